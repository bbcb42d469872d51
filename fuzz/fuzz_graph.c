/* Fuzz target: the XNNPACK graph file reader (pose/xnn_graph.h), which
 * reads movenet-*.xnn from the model cache. The payload's CRC-32 is set
 * right before the file is written, so that mutations reach the structural
 * checks behind it instead of all stopping at the checksum (the checksum
 * itself is pinned down in tests/test_xnn_graph.c). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz_input.h"
#include "pose/xnn_graph.h"

/* Header layout (docs/models.md): the CRC is the u32 at byte 40 of 48. */
#define HEADER_BYTES 48
#define CRC_AT 40

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    if (size >= HEADER_BYTES) {
        uint32_t crc = fc_xnn_crc32(copy + HEADER_BYTES, size - HEADER_BYTES);
        for (int i = 0; i < 4; i++)
            copy[CRC_AT + i] = (uint8_t)(crc >> (8 * i));
    }
    const char *path = fc_fuzz_file(copy, size, ".xnn");
    free(copy);
    if (!path)
        return 0;
    struct fc_error err = {0};
    struct fc_xnn_graph *g;
    if (fc_xnn_graph_load(&g, path, &err) == 0)
        fc_xnn_graph_free(g);
    return 0;
}
