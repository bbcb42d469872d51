#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>

int fc_error_set(struct fc_error *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return code;
}

const char *fc_err_str(int code)
{
    switch (code) {
    case FC_OK: return "ok";
    case FC_ERR_IO: return "I/O error";
    case FC_ERR_FORMAT: return "format error";
    case FC_ERR_NOMEM: return "out of memory";
    case FC_ERR_ARG: return "invalid argument";
    case FC_ERR_EMPTY: return "nothing to analyse";
    case FC_ERR_UNSUPPORTED: return "unsupported";
    case FC_ERR_TRUNCATED: return "truncated";
    case FC_ERR_NOT_KEYPOINTS: return "not keypoints";
    }
    return "unknown error";
}
