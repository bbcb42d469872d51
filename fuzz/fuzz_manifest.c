/* Fuzz target: the batch manifest reader (batch/manifest.h), on bytes held
 * in memory: quoting, line breaks inside quotes, the header's columns, ISO
 * dates, the metadata JSON. Whatever it accepts must have a patient and a
 * path in every entry. */
#include <stdint.h>
#include <stdlib.h>

#include "batch/manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fc_manifest m;
    struct fc_error err = {0};
    if (fc_manifest_parse((const char *)data, size, "fuzz.csv", "/base", &m, &err) == 0) {
        for (size_t i = 0; i < m.n; i++)
            if (!m.e[i].patient[0] || !m.e[i].path[0] || !m.e[i].metadata)
                abort();
        fc_manifest_free(&m);
    }
    return 0;
}
