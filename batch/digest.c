#include "batch/digest.h"

#include <dirent.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Read in pieces this large: a video is never held in memory whole. */
#define DIGEST_CHUNK_BYTES (1u << 16)

static void to_hex(const unsigned char *md, unsigned n, char hex[FC_SHA256_HEX])
{
    static const char digit[] = "0123456789abcdef";
    for (unsigned i = 0; i < n && i < 32; i++) {
        hex[2 * i] = digit[md[i] >> 4];
        hex[2 * i + 1] = digit[md[i] & 15];
    }
    hex[64] = 0;
}

static int add_file(EVP_MD_CTX *ctx, const char *path, long long *size, struct fc_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return fc_error_set(err, FC_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    unsigned char *buf = malloc(DIGEST_CHUNK_BYTES);
    int rc = 0;
    size_t n;
    while (buf && (n = fread(buf, 1, DIGEST_CHUNK_BYTES, f)) > 0) {
        EVP_DigestUpdate(ctx, buf, n);
        *size += (long long)n;
    }
    if (!buf)
        rc = fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory", path);
    else if (ferror(f))
        rc = fc_error_set(err, FC_ERR_IO, "%s: read error: %s", path, strerror(errno));
    free(buf);
    fclose(f);
    return rc;
}

static int add_folder(EVP_MD_CTX *ctx, const char *dir, long long *size, struct fc_error *err)
{
    struct dirent **list;
    int k = scandir(dir, &list, NULL, alphasort);
    if (k < 0)
        return fc_error_set(err, FC_ERR_IO, "%s: cannot list: %s", dir, strerror(errno));
    int rc = 0;
    for (int i = 0; i < k; i++) {
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, list[i]->d_name);
        if (rc == 0 && list[i]->d_name[0] != '.' && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            /* the name with its NUL, so that "ab"+"c" and "a"+"bc" differ */
            EVP_DigestUpdate(ctx, list[i]->d_name, strlen(list[i]->d_name) + 1);
            rc = add_file(ctx, path, size, err);
        }
        free(list[i]);
    }
    free(list);
    return rc;
}

int fc_digest_path(const char *path, char hex[FC_SHA256_HEX], long long *size_bytes,
                   struct fc_error *err)
{
    struct stat st;
    *size_bytes = 0;
    if (stat(path, &st) != 0)
        return fc_error_set(err, FC_ERR_IO, "%s: %s", path, strerror(errno));
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(ctx);
        return fc_error_set(err, FC_ERR_NOMEM, "%s: cannot start SHA-256", path);
    }
    int rc = S_ISDIR(st.st_mode) ? add_folder(ctx, path, size_bytes, err)
                                 : add_file(ctx, path, size_bytes, err);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    if (rc == 0 && EVP_DigestFinal_ex(ctx, md, &n) != 1)
        rc = fc_error_set(err, FC_ERR_IO, "%s: SHA-256 failed", path);
    if (rc == 0)
        to_hex(md, n, hex);
    EVP_MD_CTX_free(ctx);
    return rc;
}

int fc_digest_bytes(const void *data, size_t len, char hex[FC_SHA256_HEX])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    if (EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) != 1)
        return -1;
    to_hex(md, n, hex);
    return 0;
}
