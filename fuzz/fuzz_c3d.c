/* Fuzz target: the C3D reader and its conversion to keypoints
 * (import/c3d.h), as `formcheck analyze walk.c3d` runs them. */
#include <stdint.h>

#include "fuzz/fuzz_input.h"
#include "import/c3d.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fc_fuzz_file(data, size, ".c3d");
    if (!path)
        return 0;
    struct fc_error err = {0};
    struct fc_c3d c;
    if (fc_c3d_read(path, &c, &err) == 0) {
        struct fc_pose_track t;
        if (fc_c3d_to_track(&c, &t, &err) == 0)
            fc_pose_track_free(&t);
        fc_c3d_free(&c);
    }
    return 0;
}
