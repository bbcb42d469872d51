/* formcheck fuzzing: hand a fuzzer's bytes to a reader that takes a path.
 *
 * formcheck's readers take file names (as its users give them), so each
 * fuzz target writes the input to one scratch file per process, under
 * $TMPDIR (a tmpfs such as /dev/shm makes this cheap), and reads it back
 * through the real reader:
 *
 *     int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
 *         const char *path = fc_fuzz_file(data, size, ".csv");
 *         if (path) { ...read path... }
 *         return 0;
 *     }
 */
#ifndef FC_FUZZ_INPUT_H
#define FC_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>

/* The path of a file holding exactly data[0..size), named with suffix;
 * NULL when it cannot be written (the target then skips the input). */
const char *fc_fuzz_file(const uint8_t *data, size_t size, const char *suffix);

/* A scratch folder of this process (created once, emptied on each call)
 * for readers of a whole folder; NULL on failure. */
const char *fc_fuzz_dir(void);

#endif
