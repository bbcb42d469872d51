/* OpenPose JSON: a folder with one "<video>_<frame>_keypoints.json" per frame,
 * as written by openpose --write_json. */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "import/import.h"

#include "core/fileio.h"
#include "import/import_internal.h"

/* A per-frame file is a few kilobytes per person; anything this large is not one. */
#define OPENPOSE_MAX_FILE_BYTES (64L << 20)

struct name_list {
    char **name;
    size_t n, cap;
};

static void name_list_free(struct name_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->name[i]);
    free(l->name);
    memset(l, 0, sizeof *l);
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_regular_file(const char *dir, const char *name)
{
    char path[4096];
    struct stat st;
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
        return 0;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The folder's *.json files in name order, which is frame order for
 * OpenPose's zero-padded frame numbers. When some names end in
 * "_keypoints.json", only those: OpenPose may share the folder with other
 * JSON output (hand or face only runs, a camera parameter file). */
static int list_json(const char *dir, struct name_list *l, struct fc_error *err)
{
    int rc = 0, any_keypoints = 0;
    memset(l, 0, sizeof *l);
    DIR *d = opendir(dir);
    if (!d)
        return fc_error_set(err, FC_ERR_IO, "%s: cannot open folder: %s", dir, strerror(errno));
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t stem;
        if (e->d_name[0] == '.' || !fc_ends_with(e->d_name, ".json", &stem) ||
            !is_regular_file(dir, e->d_name))
            continue;
        if (l->n == l->cap) {
            size_t cap = l->cap ? l->cap * 2 : 256;
            char **nn = realloc(l->name, cap * sizeof *nn);
            if (!nn)
                goto nomem;
            l->name = nn;
            l->cap = cap;
        }
        if (!(l->name[l->n] = strdup(e->d_name)))
            goto nomem;
        l->n++;
        any_keypoints |= fc_ends_with(e->d_name, "_keypoints.json", &stem);
    }
    closedir(d);
    if (any_keypoints) {
        size_t kept = 0, stem;
        for (size_t i = 0; i < l->n; i++) {
            if (fc_ends_with(l->name[i], "_keypoints.json", &stem))
                l->name[kept++] = l->name[i];
            else
                free(l->name[i]);
        }
        l->n = kept;
    }
    if (l->n > 1)
        qsort(l->name, l->n, sizeof *l->name, cmp_name);
    return 0;

nomem:
    closedir(d);
    name_list_free(l);
    rc = fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory listing the folder", dir);
    return rc;
}

/* Fills k from the most confident person of one parsed frame. *skeleton is
 * -1 until a frame with a person fixes it; later frames must agree. */
static int read_frame(const char *path, const cJSON *root, int *skeleton, struct fc_keypoints *k,
                      struct fc_error *err)
{
    if (!cJSON_IsObject(root))
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%s: not an OpenPose frame (expected a JSON object)", path);
    const cJSON *people = cJSON_GetObjectItemCaseSensitive(root, "people");
    if (!cJSON_IsArray(people))
        return fc_error_set(err, FC_ERR_FORMAT, "%s: not an OpenPose frame (no \"people\" array)",
                            path);

    const cJSON *best = NULL;
    double best_sum = -1.0;
    int best_skel = -1, person = 0;
    const cJSON *p;
    cJSON_ArrayForEach(p, people)
    {
        const cJSON *kp = cJSON_GetObjectItemCaseSensitive(p, "pose_keypoints_2d");
        if (!cJSON_IsArray(kp))
            return fc_error_set(err, FC_ERR_FORMAT,
                                "%s: person %d has no \"pose_keypoints_2d\" array", path, person);
        int n = cJSON_GetArraySize(kp), skel;
        if (n == 0) {
            person++;
            continue; /* run without the body model (hands or face only) */
        }
        if (n == 3 * 25)
            skel = FC_SKELETON_BODY25;
        else if (n == 3 * 18)
            skel = FC_SKELETON_OPENPOSE18;
        else
            return fc_error_set(err, FC_ERR_UNSUPPORTED,
                                "%s: person %d has %d pose_keypoints_2d values; formcheck reads "
                                "BODY_25 (75) and COCO (54)",
                                path, person, n);
        double sum = 0.0;
        int i = 0;
        const cJSON *v;
        cJSON_ArrayForEach(v, kp)
        {
            if (!cJSON_IsNumber(v))
                return fc_error_set(err, FC_ERR_FORMAT,
                                    "%s: person %d: pose_keypoints_2d[%d] is not a number", path,
                                    person, i);
            if (i % 3 == 2 && v->valuedouble > 0.0 && isfinite(v->valuedouble))
                sum += v->valuedouble;
            i++;
        }
        if (*skeleton >= 0 && skel != *skeleton)
            return fc_error_set(err, FC_ERR_FORMAT,
                                "%s: person %d is %s but earlier frames are %s; mixed skeletons "
                                "in one folder",
                                path, person, fc_skeleton_name(skel), fc_skeleton_name(*skeleton));
        if (sum > best_sum) {
            best = kp;
            best_sum = sum;
            best_skel = skel;
        }
        person++;
    }
    if (!best)
        return 0; /* nobody in view: the frame stays all-missing */

    *skeleton = best_skel;
    const cJSON *v = best->child;
    for (int i = 0; v && v->next && v->next->next; i++, v = v->next->next->next) {
        double x = v->valuedouble, y = v->next->valuedouble, c = v->next->next->valuedouble;
        int j = fc_skeleton_to_joint(best_skel, i);
        /* OpenPose writes 0,0,0 for a point it did not find. */
        if (j < 0 || !(c > 0.0) || !isfinite(x) || !isfinite(y) || !isfinite(c))
            continue;
        fc_keypoints_set(k, j, (float)x, (float)y, NAN, (float)c);
    }
    return 0;
}

int fc_import_openpose_dir(const char *dir, const struct fc_import_params *p,
                           struct fc_pose_track *t, struct fc_error *err)
{
    struct fc_import_params defaults = fc_import_default_params();
    struct name_list files = {0};
    char path[4096];
    char *text = NULL;
    cJSON *root = NULL;
    int rc, skeleton = -1;

    fc_pose_track_init(t, FC_SKELETON_BODY25, FC_UNITS_PIXELS, 2);
    if (!p)
        p = &defaults;
    if (!(p->rate_hz > 0.0) || !isfinite(p->rate_hz))
        return fc_error_set(err, FC_ERR_ARG, "%s: frame rate %g Hz is not a positive number", dir,
                            p->rate_hz);
    if ((rc = list_json(dir, &files, err)) < 0)
        return rc;
    if (files.n == 0) {
        rc = fc_error_set(err, FC_ERR_EMPTY, "%s: no OpenPose *_keypoints.json files in folder",
                          dir);
        goto fail;
    }

    for (size_t i = 0; i < files.n; i++) {
        if (snprintf(path, sizeof path, "%s/%s", dir, files.name[i]) >= (int)sizeof path) {
            rc = fc_error_set(err, FC_ERR_ARG, "%s/%s: path too long", dir, files.name[i]);
            goto fail;
        }
        size_t len = 0;
        if ((rc = fc_read_file(path, OPENPOSE_MAX_FILE_BYTES, "an OpenPose frame",
                               (unsigned char **)&text, &len, err)) < 0)
            goto fail;
        const char *end = NULL;
        root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
        if (!root) {
            rc = fc_error_set(err, FC_ERR_FORMAT,
                              "%s: not valid JSON (near byte %td; frame %zu of %zu)", path,
                              end ? end - text : (ptrdiff_t)0, i + 1, files.n);
            goto fail;
        }
        struct fc_keypoints *k = fc_pose_track_push(t, err);
        if (!k) {
            rc = FC_ERR_NOMEM;
            goto fail;
        }
        k->t_s = (double)i / p->rate_hz;
        if ((rc = read_frame(path, root, &skeleton, k, err)) < 0)
            goto fail;
        cJSON_Delete(root);
        root = NULL;
        free(text);
        text = NULL;
    }
    if (skeleton < 0) {
        rc = fc_error_set(err, FC_ERR_EMPTY, "%s: none of the %zu OpenPose frames has a person",
                          dir, files.n);
        goto fail;
    }
    t->skeleton = skeleton;
    t->rate_hz = p->rate_hz;
    name_list_free(&files);
    return 0;

fail:
    cJSON_Delete(root);
    free(text);
    name_list_free(&files);
    fc_pose_track_free(t);
    return rc;
}
