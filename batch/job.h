/* formcheck batch: one recording through the analyze path, as a library.
 *
 * A C3D with Plug-in Gait markers also goes through the motion-capture path
 * (pipeline/mocap.h, report/mocap.h), as with analyze: its report JSON, the
 * one the database keeps, then has the "mocap" object with the grade.
 *
 * The same stages as `formcheck analyze` (import/ or pipeline/video.h for
 * the keypoints, analysis/ with the zero-lag filter, report/grade.h, the
 * report writers), with what a batch keeps of it: the report JSON as text
 * and the keypoints compressed (zlib), so that a session can be graded
 * again without its video (fc_job_regrade).
 *
 *     struct fc_job job = fc_job_default(path);
 *     job.out_dir = "batch-out/P01/2024-03-05";  job.stem = "r12-squat";
 *     job.thresholds = &th;
 *     struct fc_job_output o;
 *     if (fc_job_run(&job, &o, &err) < 0) ... err.msg names the file ...
 *     ... o.report_json, o.keypoints (o.keypoints_len bytes) ...
 *     fc_job_output_free(&o);
 */
#ifndef FC_BATCH_JOB_H
#define FC_BATCH_JOB_H

#include <stddef.h>

#include "core/error.h"
#include "core/exercise.h"
#include "report/thresholds.h"

struct fc_job {
    const char *path; /* the recording: a video, keypoint file, C3D or OpenPose folder */
    enum fc_exercise exercise;
    enum fc_view view;
    const struct fc_thresholds *thresholds;
    /* The file thresholds came from, for its mocap_thresholds (a C3D with
     * Plug-in Gait markers is graded by those); NULL: the built-in table. */
    const char *thresholds_path;
    const char *out_dir; /* STEM.json, STEM.csv, STEM.html go here; NULL: no files */
    const char *stem;
};

struct fc_job fc_job_default(const char *path);

/* How the keypoints are kept: the input file's own bytes when it is a
 * keypoint file or C3D (so that grading them again reads exactly what was
 * read), else (video, OpenPose folder) the track as formcheck's keypoint
 * CSV. Both zlib-compressed. */
enum fc_keypoints_format { FC_KP_INPUT_FILE, FC_KP_KEYPOINT_CSV };

struct fc_job_output {
    char *report_json;        /* the report (docs/schema/report.schema.json) */
    unsigned char *keypoints; /* zlib */
    size_t keypoints_len, keypoints_raw_len;
    enum fc_keypoints_format keypoints_format;
    long n_frames;
    /* A video's worst rep (the lowest graded score) at its bottom, face
     * pixelated (batch/still.h), base64 PNG; NULL when there is none. */
    char *still_png_base64;
    int still_rep; /* the rep's index (from 0) */
    double still_t_s;
};

/* Analyses and grades one recording and writes its reports. A failure
 * leaves no report file and err says what was wrong with which file. */
int fc_job_run(const struct fc_job *job, struct fc_job_output *out, struct fc_error *err);

/* Grades stored keypoints again (fc_job_output's keypoints, format and raw
 * length) under job->thresholds; job->path is what the report calls the
 * input, job->out_dir is ignored. out gets the report JSON only. */
int fc_job_regrade(const struct fc_job *job, const unsigned char *keypoints, size_t len,
                   size_t raw_len, enum fc_keypoints_format format, struct fc_job_output *out,
                   struct fc_error *err);

void fc_job_output_free(struct fc_job_output *o);

const char *fc_keypoints_format_name(enum fc_keypoints_format f); /* "input-file+zlib" ... */
int fc_keypoints_format_from_name(const char *name);              /* -1 unknown */

#endif
