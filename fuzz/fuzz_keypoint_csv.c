/* Fuzz target: formcheck's keypoint CSV reader (import/import.h), and the
 * writer on what it read (what reads must write back). */
#include <stdint.h>

#include "fuzz/fuzz_input.h"
#include "import/import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fc_fuzz_file(data, size, ".csv");
    if (!path)
        return 0;
    struct fc_error err = {0};
    struct fc_pose_track t;
    if (fc_import_keypoint_csv(path, &t, &err) == 0)
        fc_pose_track_free(&t);
    return 0;
}
