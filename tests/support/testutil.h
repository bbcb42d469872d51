/* Shared helpers for the Criterion suites: temporary folders, running the
 * formcheck program, checking its JSON against the schemas, and locating
 * the real-data folder. */
#ifndef FC_TESTS_TESTUTIL_H
#define FC_TESTS_TESTUTIL_H

#include <stddef.h>

/* A fresh empty directory under $TMPDIR (or /tmp); the path is written to
 * buf. Aborts the test on failure. */
void fc_test_mkdtemp(char *buf, size_t len);
/* rm -rf of a directory made by fc_test_mkdtemp. */
void fc_test_rmtree(const char *dir);
/* Writes len bytes to path; aborts on failure. */
void fc_test_write_file(const char *path, const void *data, size_t len);
/* Reads a whole file (NUL-terminated); *len gets its size. Caller frees. NULL if absent. */
char *fc_test_read_file(const char *path, size_t *len);
int fc_test_file_exists(const char *path);
/* Number of entries in a directory (excluding . and ..). */
int fc_test_dir_count(const char *dir);

/* Runs prog with args (args[0] is prog, NULL-terminated), stdin from
 * /dev/null, stdout and stderr captured into out (truncated to outlen).
 * Returns the exit status, or -1 if it died on a signal. */
int fc_test_run_captured(const char *prog, const char *const args[], char *out, size_t outlen);
/* Runs the formcheck binary with the given argv (NULL-terminated, without
 * argv[0]) through fc_test_run_captured; only in fc_test_support_cli. */
int fc_test_run_formcheck(char *out, size_t outlen, const char *const argv[]);

/* The JSON documents formcheck writes, each with its schema in docs/schema/. */
enum fc_test_json {
    FC_TEST_JSON_REPORT,      /* analyze --json, live --json: report.schema.json */
    FC_TEST_JSON_LIVE_EVENTS, /* live --jsonl, one event a line: live-event.schema.json */
};
/* Validates the file at path against its schema with tools/validate_json.py
 * (Debian's python3-jsonschema); returns the validator's exit status: 0
 * valid, 1 not, 2 could not check. Its messages go to out. */
int fc_test_json_validate(enum fc_test_json kind, const char *path, char *out, size_t outlen);
/* Fails the test, showing what is wrong, unless path follows its schema.
 * Every test that makes formcheck write JSON calls it on what was written. */
void fc_test_assert_json_valid(enum fc_test_json kind, const char *path);

/* Runs the ffmpeg program with the printf-style arguments (after
 * "-nostdin -hide_banner -loglevel error -y"); aborts the test on failure. */
void fc_test_ffmpeg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* 1 when this ffmpeg has the named encoder (libx264, libvpx-vp9, ...). */
int fc_test_have_encoder(const char *name);

/* The real-data folder (../shared/data beside the project, or $FORMCHECK_DATA)
 * when it exists, else NULL. path_in_data joins a relative path onto it. */
const char *fc_test_data_dir(void);
int fc_test_data_path(char *buf, size_t len, const char *rel);

#endif
