/* Fuzz target: input detection and whichever keypoint reader it picks
 * (import/import.h), as `formcheck analyze FILE` does for a file that is
 * not a video. */
#include <stdint.h>

#include "fuzz/fuzz_input.h"
#include "import/import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fc_fuzz_file(data, size, ".dat");
    if (!path)
        return 0;
    struct fc_error err = {0};
    struct fc_pose_track t;
    struct fc_import_params p = fc_import_default_params();
    if (fc_import_any(path, &p, &t, &err) == 0)
        fc_pose_track_free(&t);
    return 0;
}
