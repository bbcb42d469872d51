#include "batch/job.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "analysis/analyzer.h"
#include "batch/still.h"
#include "core/fileio.h"
#include "import/c3d.h"
#include "import/import.h"
#include "pipeline/mocap.h"
#include "pipeline/video.h"
#include "report/grade.h"
#include "report/mocap.h"
#include "report/report.h"

/* The low-pass cut-off formcheck analyze uses by default (its --cutoff). */
#define JOB_CUTOFF_HZ 6.0
/* Stored keypoints expand to at most this: a 2-hour 60 fps keypoint CSV is
 * about 200 MiB; more means the blob is not what was stored. */
#define JOB_MAX_RAW_BYTES (1ull << 30)
/* A report JSON larger than this is refused on reading it back (a 2-hour
 * session's report is a few MiB: the per-frame data is in the CSV). */
#define JOB_MAX_REPORT_BYTES (256u << 20)

struct fc_job fc_job_default(const char *path)
{
    return (struct fc_job){.path = path, .exercise = FC_EXERCISE_AUTO, .view = FC_VIEW_AUTO};
}

void fc_job_output_free(struct fc_job_output *o)
{
    free(o->still_png_base64);
    free(o->report_json);
    free(o->keypoints);
    memset(o, 0, sizeof *o);
}

const char *fc_keypoints_format_name(enum fc_keypoints_format f)
{
    return f == FC_KP_INPUT_FILE ? "input-file+zlib" : "keypoint-csv+zlib";
}

int fc_keypoints_format_from_name(const char *name)
{
    if (strcmp(name, "input-file+zlib") == 0)
        return FC_KP_INPUT_FILE;
    if (strcmp(name, "keypoint-csv+zlib") == 0)
        return FC_KP_KEYPOINT_CSV;
    return -1;
}

/* Everything one recording holds, freed in one place. */
struct work {
    struct fc_pose_track track;
    struct fc_frame_metrics *frames;
    struct fc_analyzer *analyzer;
    struct fc_analysis analysis;
    struct fc_grade grade;
    struct fc_video_pose_stats video;
    const char *kind;
    int is_video, from_file;
    /* a C3D's markers through the Plug-in Gait model, graded on their own */
    int has_mocap;
    struct fc_mocap mocap;
    struct fc_mocap_thresholds mocap_thresholds; /* the verdicts point into it */
    struct fc_mocap_grade mocap_grade;
};

static void work_free(struct work *w)
{
    fc_pose_track_free(&w->track);
    free(w->frames);
    fc_analyzer_free(w->analyzer);
    fc_grade_free(&w->grade);
    fc_mocap_free(&w->mocap);
    fc_mocap_thresholds_free(&w->mocap_thresholds);
}

/* Puts "path: " before err's message, for a stage that was handed data. */
static int name_file(struct fc_error *err, const char *path)
{
    char msg[FC_ERROR_MSG_MAX];
    snprintf(msg, sizeof msg, "%s", err->msg);
    return fc_error_set(err, err->code ? err->code : FC_ERR_FORMAT, "%s: %s", path, msg);
}

/* The keypoints of path: a keypoint format by its content, else a video
 * through the pose model (as formcheck analyze decides). */
static int load(const char *path, struct work *w, struct fc_error *err)
{
    enum fc_input_kind kind = fc_input_detect(path, err);
    if (kind == FC_INPUT_C3D) {
        /* the markers-to-track step is handed data, not the file: name it */
        struct fc_c3d c3d;
        w->kind = fc_input_kind_name(kind);
        w->from_file = 1;
        if (fc_c3d_read(path, &c3d, err) < 0)
            return err->code;
        int rc = fc_c3d_to_track(&c3d, &w->track, err);
        if (rc == 0)
            w->has_mocap = fc_pipeline_mocap_from_c3d(&c3d, &w->track, &w->mocap) == 0;
        fc_c3d_free(&c3d);
        return rc < 0 ? name_file(err, path) : 0;
    }
    if (kind != FC_INPUT_UNKNOWN) {
        struct fc_import_params ip = fc_import_default_params();
        w->kind = fc_input_kind_name(kind);
        w->from_file = kind != FC_INPUT_OPENPOSE_DIR;
        return fc_import_any(path, &ip, &w->track, err);
    }
    if (err->code != FC_ERR_NOT_KEYPOINTS)
        return err->code;
    struct fc_video_pose_params vp = fc_video_pose_default_params();
    w->is_video = 1;
    w->kind = "video";
    if (fc_video_pose_track(path, &vp, &w->track, &w->video, err) < 0)
        return err->code;
    if (w->video.frames_with_person == 0)
        return fc_error_set(err, FC_ERR_EMPTY, "%s: no person found in any of the %ld frames", path,
                            w->video.frames);
    return 0;
}

static int analyze(const struct fc_job *job, const char *name, struct work *w, struct fc_error *err)
{
    struct fc_analyzer_params ap = fc_analyzer_default_params();
    ap.exercise = job->exercise;
    ap.view = job->view;
    /* Marker data are already precise; the camera's keypoints are not. */
    int markers = w->track.dims == 3 && w->track.units == FC_UNITS_MM;
    if (fc_analyze_track(&w->track, &ap, !markers, JOB_CUTOFF_HZ, &w->frames, &w->analysis,
                         &w->analyzer, err) < 0)
        return name_file(err, name);
    if (fc_grade_session(&w->analysis, job->thresholds, &w->grade, err) < 0)
        return err->code;
    if (!w->has_mocap)
        return 0;
    if (fc_mocap_thresholds_load(job->thresholds_path, &w->mocap_thresholds, err) < 0)
        return err->code;
    fc_mocap_grade(&w->mocap, &w->mocap_thresholds, &w->mocap_grade);
    return 0;
}

/* Writes the reports (JSON always: it is what the database keeps) and reads
 * the JSON back. Without out_dir the JSON goes to a temporary file. */
static int write_reports(const struct fc_job *job, const struct fc_report *r, char **json,
                         struct fc_error *err)
{
    char json_path[4200], csv_path[4200], html_path[4200];
    int tmp = !job->out_dir;
    if (tmp) {
        const char *dir = getenv("TMPDIR");
        snprintf(json_path, sizeof json_path, "%s/formcheck-regrade-%ld.json",
                 dir && *dir ? dir : "/tmp", (long)getpid());
    } else {
        snprintf(json_path, sizeof json_path, "%s/%s.json", job->out_dir, job->stem);
        snprintf(csv_path, sizeof csv_path, "%s/%s.csv", job->out_dir, job->stem);
        snprintf(html_path, sizeof html_path, "%s/%s.html", job->out_dir, job->stem);
    }
    if (fc_report_json(json_path, r, err) < 0)
        return err->code;
    size_t len;
    int rc = fc_read_file(json_path, JOB_MAX_REPORT_BYTES, "a report", (unsigned char **)json, &len,
                          err);
    if (rc == 0 && !tmp && fc_report_csv(csv_path, r, err) < 0)
        rc = err->code;
    if (rc == 0 && !tmp && fc_report_html(html_path, r, err) < 0)
        rc = err->code;
    if (tmp || rc < 0) {
        unlink(json_path);
        if (!tmp) {
            unlink(csv_path);
            unlink(html_path);
        }
    }
    if (rc < 0) {
        free(*json);
        *json = NULL;
    }
    return rc;
}

static int compress_bytes(const unsigned char *raw, size_t len, struct fc_job_output *o,
                          struct fc_error *err)
{
    uLongf out_len = compressBound((uLong)len);
    o->keypoints = malloc(out_len ? out_len : 1);
    if (!o->keypoints)
        return fc_error_set(err, FC_ERR_NOMEM, "out of memory compressing keypoints");
    if (compress2(o->keypoints, &out_len, raw, (uLong)len, Z_DEFAULT_COMPRESSION) != Z_OK)
        return fc_error_set(err, FC_ERR_NOMEM, "zlib could not compress the keypoints");
    o->keypoints_len = out_len;
    o->keypoints_raw_len = len;
    return 0;
}

/* A temporary file name in $TMPDIR, made and opened by mkstemp. */
static int temp_file(char *path, size_t len, const char *what)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, len, "%s/formcheck-%s-XXXXXX", dir && *dir ? dir : "/tmp", what);
    return mkstemp(path);
}

/* The keypoints as the database keeps them (see enum fc_keypoints_format). */
static int keep_keypoints(const struct fc_job *job, const struct work *w, struct fc_job_output *o,
                          struct fc_error *err)
{
    unsigned char *raw = NULL;
    size_t len = 0;
    int rc;
    o->n_frames = (long)w->track.n_frames;
    if (w->from_file) {
        o->keypoints_format = FC_KP_INPUT_FILE;
        rc = fc_read_file(job->path, 0, "a recording", &raw, &len, err);
    } else {
        char path[4200];
        int fd = temp_file(path, sizeof path, "keypoints");
        if (fd < 0)
            return fc_error_set(err, FC_ERR_IO, "cannot make a temporary file: %s",
                                strerror(errno));
        close(fd);
        o->keypoints_format = FC_KP_KEYPOINT_CSV;
        rc = fc_write_keypoint_csv(path, &w->track, err);
        if (rc == 0)
            rc = fc_read_file(path, 0, "keypoints", &raw, &len, err);
        unlink(path);
    }
    if (rc == 0)
        rc = compress_bytes(raw, len, o, err);
    free(raw);
    return rc;
}

static int report_and_keep(const struct fc_job *job, struct work *w, struct fc_job_output *out,
                           int keep, struct fc_error *err)
{
    struct fc_source_info video = {0};
    if (w->is_video) {
        const struct fc_video_pose_stats *v = &w->video;
        video = (struct fc_source_info){
            .width = v->width,
            .height = v->height,
            .codec = v->codec,
            .fps = v->fps,
            .frames_decoded = v->frames,
            .person_found_fraction =
                v->frames ? (double)v->frames_with_person / (double)v->frames : 0.0,
            .pose_model = "MoveNet Thunder",
            .warning = v->warning[0] ? v->warning : NULL,
        };
    }
    struct fc_report r = {
        .input_path = job->path,
        .input_kind = w->kind,
        .skeleton = fc_skeleton_name(w->track.skeleton),
        .analysis = &w->analysis,
        .grade = &w->grade,
        .thresholds = job->thresholds,
        .frames = w->frames,
        .n_frames = w->track.n_frames,
        .video = w->is_video ? &video : NULL,
        .mocap = w->has_mocap ? &w->mocap : NULL,
        .mocap_grade = w->has_mocap ? &w->mocap_grade : NULL,
    };
    if (write_reports(job, &r, &out->report_json, err) < 0)
        return err->code;
    if (keep && keep_keypoints(job, w, out, err) < 0)
        return err->code;
    return 0;
}

/* mkdir -p */
static int make_dir(const char *path, struct fc_error *err)
{
    char p[4200];
    snprintf(p, sizeof p, "%s", path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = 0;
        if (mkdir(p, 0777) != 0 && errno != EEXIST)
            break;
        *s = '/';
    }
    if (mkdir(p, 0777) != 0 && errno != EEXIST)
        return fc_error_set(err, FC_ERR_IO, "%s: cannot create output folder: %s", path,
                            strerror(errno));
    return 0;
}

/* The still of a video's worst graded rep; none (not an error) when no rep
 * was graded or no face could be placed to hide. */
static void worst_rep_still(const struct fc_job *job, const struct work *w,
                            struct fc_job_output *out)
{
    const struct fc_rep_grade *worst = NULL;
    for (size_t i = 0; i < w->grade.n_reps; i++)
        if (isfinite(w->grade.reps[i].score) && (!worst || w->grade.reps[i].score < worst->score))
            worst = &w->grade.reps[i];
    const struct fc_rep *rep = NULL;
    for (size_t i = 0; worst && i < w->analysis.n_reps_detailed; i++)
        if (w->analysis.reps[i].index == worst->rep)
            rep = &w->analysis.reps[i];
    struct fc_error err = {0};
    if (rep && fc_still_from_video(job->path, &w->track, rep->t_bottom_s, &out->still_png_base64,
                                   &err) == 0) {
        out->still_rep = rep->index;
        out->still_t_s = rep->t_bottom_s;
    }
}

int fc_job_run(const struct fc_job *job, struct fc_job_output *out, struct fc_error *err)
{
    struct work w;
    memset(&w, 0, sizeof w);
    memset(out, 0, sizeof *out);
    fc_pose_track_init(&w.track, FC_SKELETON_COCO17, FC_UNITS_PIXELS, 2);
    int rc = job->out_dir ? make_dir(job->out_dir, err) : 0;
    if (rc == 0)
        rc = load(job->path, &w, err);
    if (rc == 0)
        rc = analyze(job, job->path, &w, err);
    if (rc == 0)
        rc = report_and_keep(job, &w, out, 1, err);
    if (rc == 0 && w.is_video)
        worst_rep_still(job, &w, out);
    if (rc < 0)
        fc_job_output_free(out);
    work_free(&w);
    return rc < 0 ? rc : 0;
}

/* Inflates the stored keypoints into a temporary file (path gets its name). */
static int unpack(const unsigned char *data, size_t len, size_t raw_len, char *path,
                  size_t path_len, struct fc_error *err)
{
    if (raw_len > JOB_MAX_RAW_BYTES)
        return fc_error_set(err, FC_ERR_FORMAT, "stored keypoints claim %zu bytes", raw_len);
    unsigned char *raw = malloc(raw_len ? raw_len : 1);
    if (!raw)
        return fc_error_set(err, FC_ERR_NOMEM, "out of memory unpacking keypoints");
    uLongf n = (uLongf)raw_len;
    int rc = 0;
    if (uncompress(raw, &n, data, (uLong)len) != Z_OK || n != raw_len)
        rc = fc_error_set(err, FC_ERR_FORMAT, "stored keypoints do not inflate to %zu bytes",
                          raw_len);
    int fd = rc == 0 ? temp_file(path, path_len, "stored") : -1;
    if (rc == 0 && fd < 0)
        rc = fc_error_set(err, FC_ERR_IO, "cannot make a temporary file: %s", strerror(errno));
    if (rc == 0 && write(fd, raw, n) != (ssize_t)n)
        rc = fc_error_set(err, FC_ERR_IO, "%s: cannot write: %s", path, strerror(errno));
    if (fd >= 0)
        close(fd);
    if (rc < 0 && fd >= 0)
        unlink(path);
    free(raw);
    return rc;
}

int fc_job_regrade(const struct fc_job *job, const unsigned char *keypoints, size_t len,
                   size_t raw_len, enum fc_keypoints_format format, struct fc_job_output *out,
                   struct fc_error *err)
{
    (void)format; /* both forms are keypoint files the importers tell apart */
    struct work w;
    memset(&w, 0, sizeof w);
    memset(out, 0, sizeof *out);
    fc_pose_track_init(&w.track, FC_SKELETON_COCO17, FC_UNITS_PIXELS, 2);
    char path[4200];
    int rc = unpack(keypoints, len, raw_len, path, sizeof path, err);
    if (rc < 0)
        return rc;
    enum fc_input_kind kind = fc_input_detect(path, err);
    if (kind == FC_INPUT_UNKNOWN)
        rc = err->code;
    else /* as the first time: a C3D through the motion-capture path too */
        rc = load(path, &w, err);
    w.kind = fc_input_kind_name(kind);
    unlink(path);
    struct fc_job j = *job;
    j.out_dir = NULL;
    if (rc == 0)
        rc = analyze(&j, job->path, &w, err);
    if (rc == 0)
        rc = report_and_keep(&j, &w, out, 0, err);
    if (rc < 0)
        fc_job_output_free(out);
    work_free(&w);
    return rc < 0 ? rc : 0;
}
