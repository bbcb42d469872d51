/* Fuzz target: the OpenPose folder reader (import/import.h). The input is
 * split at each form feed (0x0c) into up to 8 per-frame JSON files, so one
 * input is a folder's worth: frames that disagree, missing people, a
 * broken file among good ones. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fuzz/fuzz_input.h"
#include "import/import.h"

#define MAX_FILES 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *dir = fc_fuzz_dir();
    if (!dir)
        return 0;
    size_t start = 0;
    for (int n = 0; n < MAX_FILES && start <= size; n++) {
        const uint8_t *ff = memchr(data + start, 0x0c, size - start);
        size_t end = ff && n + 1 < MAX_FILES ? (size_t)(ff - data) : size;
        char path[1024];
        snprintf(path, sizeof path, "%s/clip_%012d_keypoints.json", dir, n);
        FILE *f = fopen(path, "wb");
        if (!f)
            return 0;
        if (end > start)
            fwrite(data + start, 1, end - start, f);
        fclose(f);
        start = end + 1;
    }
    struct fc_error err = {0};
    struct fc_pose_track t;
    struct fc_import_params p = fc_import_default_params();
    if (fc_import_openpose_dir(dir, &p, &t, &err) == 0)
        fc_pose_track_free(&t);
    return 0;
}
