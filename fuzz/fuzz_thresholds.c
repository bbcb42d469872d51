/* Fuzz target: the thresholds table reader (report/grade.h), which takes
 * a user's --thresholds FILE. */
#include <stdint.h>

#include "fuzz/fuzz_input.h"
#include "report/grade.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fc_fuzz_file(data, size, ".json");
    if (!path)
        return 0;
    struct fc_error err = {0};
    struct fc_thresholds th;
    if (fc_thresholds_load(path, &th, &err) == 0)
        fc_thresholds_free(&th);
    return 0;
}
