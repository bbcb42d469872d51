/* Fuzz target: the video decoder (capture/decoder.h) on arbitrary bytes,
 * read from memory through fc_decoder_open_memory's AVIOContext (no file
 * per input): open, probe, and decode at most MAX_FRAMES frames with their
 * conversion to the model's input, as the pose stage asks for them. */
#include <stdint.h>

#include <libavutil/log.h>

#include "capture/decoder.h"

/* Enough for every decoder state a short clip reaches (reference lists,
 * reordering, the end of stream) while one input stays well under the
 * 10 s that counts as a hang. */
#define MAX_FRAMES 300
/* The model input formcheck converts every frame to (a small square). */
#define RGB_SIDE_PX 64

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* FFmpeg's complaints about each broken input would be most of the
     * work (and gigabytes of log): errors are checked through the API. */
    av_log_set_level(AV_LOG_QUIET);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t rgb[RGB_SIDE_PX * RGB_SIDE_PX * 3];
    struct fc_error err = {0};
    struct fc_decoder *d = NULL;
    struct fc_decoder_params p = fc_decoder_default_params();
    p.threads = 1; /* one codec thread: the same input decodes the same way each run */
    if (fc_decoder_open_memory(&d, data, size, "fuzz.mp4", &p, &err) < 0)
        return 0;
    struct fc_scaler *sc = fc_scaler_new();
    for (int i = 0; i < MAX_FRAMES; i++) {
        struct fc_frame f;
        if (fc_decoder_next(d, &f, &err) != 0)
            break;
        if (sc)
            fc_frame_to_rgb(&f, 0, 0, f.width, f.height, RGB_SIDE_PX, RGB_SIDE_PX, rgb,
                            RGB_SIDE_PX * 3, sc, &err);
        fc_frame_release(&f);
    }
    fc_scaler_free(sc);
    fc_decoder_close(d);
    return 0;
}
