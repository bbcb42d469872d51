/* Fuzz target: the video decoder (capture/decoder.h) on arbitrary bytes:
 * open, probe, and decode at most MAX_FRAMES frames with their conversion
 * to the model's input, as the pose stage asks for them. */
#include <stdint.h>

#include "capture/decoder.h"
#include "fuzz/fuzz_input.h"

#define MAX_FRAMES 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fc_fuzz_file(data, size, ".mp4");
    if (!path)
        return 0;
    struct fc_error err = {0};
    struct fc_decoder *d = NULL;
    struct fc_decoder_params p = fc_decoder_default_params();
    if (fc_decoder_open(&d, path, &p, &err) < 0)
        return 0;
    struct fc_scaler *sc = fc_scaler_new();
    static uint8_t rgb[64 * 64 * 3];
    for (int i = 0; i < MAX_FRAMES; i++) {
        struct fc_frame f;
        if (fc_decoder_next(d, &f, &err) != 0)
            break;
        if (sc)
            fc_frame_to_rgb(&f, 0, 0, f.width, f.height, 64, 64, rgb, 64 * 3, sc, &err);
        fc_frame_release(&f);
    }
    fc_scaler_free(sc);
    fc_decoder_close(d);
    return 0;
}
