/* Which importer a path needs, decided by its content, and the dispatch to it. */
#include "import/import.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "import/c3d.h"
#include "import/import_internal.h"

struct fc_import_params fc_import_default_params(void)
{
    /* 30 Hz: the commonest phone and webcam rate; sources that know their
     * rate (time columns, C3D) ignore it. */
    return (struct fc_import_params){.rate_hz = 30.0};
}

const char *fc_input_kind_name(enum fc_input_kind k)
{
    switch (k) {
    case FC_INPUT_UNKNOWN: return "unknown";
    case FC_INPUT_KEYPOINT_CSV: return "keypoint CSV";
    case FC_INPUT_MEDIAPIPE_CSV: return "MediaPipe CSV";
    case FC_INPUT_OPENPOSE_DIR: return "OpenPose folder";
    case FC_INPUT_C3D: return "C3D";
    case FC_INPUT_TRC: return "TRC";
    }
    return "unknown";
}

#define NOT_AN_INPUT "%s: not a keypoint CSV, MediaPipe CSV, OpenPose folder or C3D file (%s)"

static int dir_has_json(const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return -1;
    int found = 0;
    struct dirent *e;
    size_t stem;
    while (!found && (e = readdir(d)))
        found = e->d_name[0] != '.' && fc_ends_with(e->d_name, ".json", &stem);
    closedir(d);
    return found;
}

/* C3D header word 1: byte 0 is the block number of the first parameter block
 * (2 in every writer seen; block 1 is this header), byte 1 the key 0x50. The
 * parameter section's 4th byte is the processor type 84..86, which tells a
 * C3D file from other data that happens to begin that way (a PNG begins
 * "\x89P", text may begin "2P"). */
static int looks_like_c3d(FILE *fp, const unsigned char *head, size_t n)
{
    if (n < 2 || head[1] != 0x50 || head[0] < 2 || head[0] > 64)
        return 0;
    long at = (long)(head[0] - 1) * 512 + 3;
    int proc;
    if (fseek(fp, at, SEEK_SET) != 0 || (proc = fgetc(fp)) == EOF)
        /* Cut short before its parameters: let the C3D reader say so when
         * the rest of the start looks like one. */
        return head[0] == 2 && memchr(head, '\0', n) != NULL;
    /* A binary start (C3D headers are full of zero bytes) with a damaged
     * processor byte is still a C3D file, a broken one: the reader then
     * says what is wrong instead of "not a C3D file". */
    return (proc >= 84 && proc <= 86) || memchr(head, '\0', n) != NULL;
}

/* What a file that is none of the inputs looks like, for the message, and
 * its code: FC_ERR_NOT_KEYPOINTS when it may be a video (the caller can then
 * hand it to the video input), FC_ERR_FORMAT for an image. */
static const char *describe_binary(const unsigned char *h, size_t n, int *code)
{
    *code = FC_ERR_FORMAT;
    if (n >= 8 && memcmp(h, "\x89PNG\r\n\x1a\n", 8) == 0)
        return "a PNG image";
    if (n >= 3 && h[0] == 0xFF && h[1] == 0xD8 && h[2] == 0xFF)
        return "a JPEG image";
    *code = FC_ERR_NOT_KEYPOINTS;
    if (n >= 8 && memcmp(h + 4, "ftyp", 4) == 0)
        return "an MP4/MOV video; formcheck takes video through its video input, not here";
    return "binary data";
}

static int is_mediapipe_name(const char *name, size_t len)
{
    int n = fc_skeleton_size(FC_SKELETON_MEDIAPIPE33);
    for (int i = 0; i < n; i++) {
        const char *pn = fc_skeleton_point_name(FC_SKELETON_MEDIAPIPE33, i);
        if (strlen(pn) == len && strncmp(pn, name, len) == 0)
            return 1;
    }
    return 0;
}

static enum fc_input_kind classify_header(struct fc_csv_row *hdr)
{
    int t_s = 0, score = 0, mp_x = 0, mp_v = 0;
    for (int i = 0; i < hdr->n; i++) {
        const char *c = hdr->cell[i];
        size_t stem;
        t_s |= strcmp(c, "t_s") == 0;
        score |= fc_ends_with(c, "_score", &stem);
        if (fc_ends_with(c, "_x", &stem))
            mp_x |= is_mediapipe_name(c, stem);
        if (fc_ends_with(c, "_v", &stem))
            mp_v |= is_mediapipe_name(c, stem);
    }
    if (t_s && score)
        return FC_INPUT_KEYPOINT_CSV;
    if (mp_x && mp_v)
        return FC_INPUT_MEDIAPIPE_CSV;
    return FC_INPUT_UNKNOWN;
}

/* Reads the first line that is not a comment or blank and classifies it. */
static enum fc_input_kind detect_text(const char *path, struct fc_error *err)
{
    struct fc_text_reader r;
    struct fc_csv_row row = {0};
    enum fc_input_kind kind = FC_INPUT_UNKNOWN;
    char *line;
    int rc;
    if (fc_text_open(&r, path, err) < 0)
        return FC_INPUT_UNKNOWN;
    while ((rc = fc_text_next(&r, &line, err)) > 0 &&
           (line[0] == '#' || line[strspn(line, " \t")] == '\0'))
        ;
    if (rc < 0) {
        fc_error_set(err, FC_ERR_NOT_KEYPOINTS, NOT_AN_INPUT, path, "binary data");
    } else if (rc == 0) {
        fc_error_set(err, FC_ERR_EMPTY, NOT_AN_INPUT, path, "only comments and blank lines");
    } else {
        /* Copy the header's start before splitting cuts it at its commas. */
        char shown[64];
        size_t len = strlen(line);
        snprintf(shown, sizeof shown, "%s", line);
        for (char *s = shown; *s; s++)
            if (!isprint((unsigned char)*s))
                *s = '?';
        if (fc_csv_split(line, &row, err) == 0 &&
            (kind = classify_header(&row)) == FC_INPUT_UNKNOWN) {
            char what[128];
            snprintf(what, sizeof what, "%s whose first line is '%s%s'",
                     shown[0] == '{' || shown[0] == '[' ? "JSON text" : "text", shown,
                     len >= sizeof shown ? "..." : "");
            fc_error_set(err, FC_ERR_FORMAT, NOT_AN_INPUT, path, what);
        }
    }
    fc_csv_row_free(&row);
    fc_text_close(&r);
    return kind;
}

enum fc_input_kind fc_input_detect(const char *path, struct fc_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fc_error_set(err, FC_ERR_IO, "%s: %s", path, strerror(errno));
        return FC_INPUT_UNKNOWN;
    }
    if (S_ISDIR(st.st_mode)) {
        int has = dir_has_json(path);
        if (has < 0)
            fc_error_set(err, FC_ERR_IO, "%s: cannot open folder: %s", path, strerror(errno));
        else if (!has)
            fc_error_set(err, FC_ERR_EMPTY, NOT_AN_INPUT, path, "a folder without .json files");
        return has > 0 ? FC_INPUT_OPENPOSE_DIR : FC_INPUT_UNKNOWN;
    }
    if (!S_ISREG(st.st_mode)) {
        fc_error_set(err, FC_ERR_FORMAT, NOT_AN_INPUT, path, "not a regular file");
        return FC_INPUT_UNKNOWN;
    }

    FILE *fp = fopen(path, "rb");
    if (!fp) {
        fc_error_set(err, FC_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
        return FC_INPUT_UNKNOWN;
    }
    unsigned char head[512];
    size_t n = fread(head, 1, sizeof head, fp);
    int read_failed = ferror(fp);
    int c3d = !read_failed && looks_like_c3d(fp, head, n);
    fclose(fp);
    if (read_failed) {
        fc_error_set(err, FC_ERR_IO, "%s: read error", path);
        return FC_INPUT_UNKNOWN;
    }
    if (n == 0) {
        fc_error_set(err, FC_ERR_EMPTY, NOT_AN_INPUT, path, "empty file");
        return FC_INPUT_UNKNOWN;
    }
    if (c3d)
        return FC_INPUT_C3D;
    /* TRC's first line names its type (import/trc.h). */
    if (n >= 12 && strncasecmp((const char *)head, "PathFileType", 12) == 0)
        return FC_INPUT_TRC;
    if (memchr(head, '\0', n)) {
        int code;
        const char *what = describe_binary(head, n, &code);
        fc_error_set(err, code, NOT_AN_INPUT, path, what);
        return FC_INPUT_UNKNOWN;
    }
    return detect_text(path, err);
}

int fc_import_c3d(const char *path, struct fc_pose_track *t, struct fc_error *err)
{
    struct fc_c3d c3d;
    fc_pose_track_init(t, FC_SKELETON_MARKERS, FC_UNITS_MM, 3);
    int rc = fc_c3d_read(path, &c3d, err);
    if (rc < 0)
        return rc;
    rc = fc_c3d_to_track(&c3d, t, err);
    fc_c3d_free(&c3d);
    if (rc < 0)
        fc_pose_track_free(t);
    return rc;
}

int fc_import_any(const char *path, const struct fc_import_params *p, struct fc_pose_track *t,
                  struct fc_error *err)
{
    struct fc_import_params defaults = fc_import_default_params();
    struct fc_error local;
    if (!p)
        p = &defaults;
    if (!err)
        err = &local; /* detect reports its verdict's code through err */
    /* An empty track, so that fc_pose_track_free is safe whatever happens. */
    fc_pose_track_init(t, FC_SKELETON_COCO17, FC_UNITS_PIXELS, 2);
    switch (fc_input_detect(path, err)) {
    case FC_INPUT_KEYPOINT_CSV: return fc_import_keypoint_csv(path, t, err);
    case FC_INPUT_MEDIAPIPE_CSV: return fc_import_mediapipe_csv(path, p, t, err);
    case FC_INPUT_OPENPOSE_DIR: return fc_import_openpose_dir(path, p, t, err);
    case FC_INPUT_C3D: return fc_import_c3d(path, t, err);
    case FC_INPUT_TRC: return fc_import_trc(path, t, err);
    case FC_INPUT_UNKNOWN: break;
    }
    return err->code < 0 ? err->code : FC_ERR_FORMAT;
}
