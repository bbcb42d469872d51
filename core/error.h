/* formcheck: errors that name the file and the problem.
 *
 * Every fallible function returns 0 on success or a negative FC_ERR_* code,
 * and fills a caller-owned struct fc_error with a message a user can act on.
 * The code is for the program (what to do next), the message for the user
 * (what was wrong): a caller that needs to tell two cases apart gets two
 * codes, and never looks into the text.
 *
 *     struct fc_error err = {0};
 *     if (fc_c3d_read("walk.c3d", &c3d, &err) < 0)
 *         fprintf(stderr, "formcheck analyze: %s\n", err.msg);
 *     // "formcheck analyze: walk.c3d: parameter block says 3 blocks but the file ends after 1"
 *
 * A message starts with the file it is about (a function handed data, not a
 * file, leaves that to its caller); the program puts its command's name
 * before it: "formcheck COMMAND: FILE: problem".
 */
#ifndef FC_CORE_ERROR_H
#define FC_CORE_ERROR_H

#include <stddef.h>

enum fc_err {
    FC_OK = 0,
    FC_ERR_IO = -1,          /* cannot open, read or write a file */
    FC_ERR_FORMAT = -2,      /* the content is not what its format requires */
    FC_ERR_NOMEM = -3,       /* allocation failed */
    FC_ERR_ARG = -4,         /* the caller asked for something invalid */
    FC_ERR_EMPTY = -5,       /* well-formed but holds nothing to analyse */
    FC_ERR_UNSUPPORTED = -6, /* valid, but a variant formcheck does not handle */
    /* A format error a caller acts on, so that no caller reads the message: */
    FC_ERR_TRUNCATED = -7,     /* the file ends before the data its format promised */
    FC_ERR_NOT_KEYPOINTS = -8, /* binary content in none of the keypoint formats: maybe a video */
};

#define FC_ERROR_MSG_MAX 512

struct fc_error {
    int code;
    char msg[FC_ERROR_MSG_MAX];
};

/* Sets err (when non-NULL) and returns code, so callers can write
 * `return fc_error_set(err, FC_ERR_FORMAT, "%s: ...", path);`. */
int fc_error_set(struct fc_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Short name of a code, for logs: "format error", "I/O error", ... */
const char *fc_err_str(int code);

#endif
