/* formcheck batch: what identifies an input's content and a threshold table.
 *
 * SHA-256 (OpenSSL's libcrypto) of a recording: a file's bytes, or for a
 * folder (OpenPose's frames) each regular file's name and bytes in name
 * order. A rerun compares it with the stored one, so a recording replaced
 * under the same name is processed again and an unchanged one is not.
 *
 *     char hex[FC_SHA256_HEX];
 *     long long size_bytes;
 *     if (fc_digest_path("squat.mp4", hex, &size_bytes, &err) < 0) ...;
 */
#ifndef FC_BATCH_DIGEST_H
#define FC_BATCH_DIGEST_H

#include <stddef.h>

#include "core/error.h"

/* 64 hex digits and a NUL. */
#define FC_SHA256_HEX 65

/* The SHA-256 of a file or a folder's files, and the bytes hashed. */
int fc_digest_path(const char *path, char hex[FC_SHA256_HEX], long long *size_bytes,
                   struct fc_error *err);
/* The SHA-256 of len bytes. */
int fc_digest_bytes(const void *data, size_t len, char hex[FC_SHA256_HEX]);

#endif
