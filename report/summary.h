/* formcheck: the session summary and per-frame table.
 *
 * What `formcheck analyze` writes for an imported session: a per-frame CSV
 * (time, tracking quality and, for marker data, the pelvis angles), a JSON
 * summary with a versioned schema, and a short text summary. All files are
 * written atomically (core/outfile.h): complete or absent.
 *
 *     struct fc_summary s = {.input_path = path, .track = &track, ...};
 *     fc_summary_compute(&s);
 *     fc_report_frames_csv("out.csv", &s, &err);
 *     fc_report_summary_json("out.json", &s, &err);
 *     fc_report_summary_text(stdout, &s);
 */
#ifndef FC_REPORT_SUMMARY_H
#define FC_REPORT_SUMMARY_H

#include <stdio.h>

#include "core/exercise.h"
#include "analysis/pelvis.h"
#include "core/error.h"
#include "pose/keypoints.h"

#define FC_SUMMARY_SCHEMA_VERSION 1

/* Statistics of one angle over the frames where it exists. */
struct fc_angle_stats {
    long n;
    double mean, min, max, range;
};

struct fc_summary {
    /* filled by the caller */
    const char *input_path;
    const char *input_kind; /* fc_input_kind_name() */
    enum fc_exercise exercise;
    enum fc_view view;
    const struct fc_pose_track *track;
    /* Pelvis angles per frame (left-side signs, Plug-in Gait), or NULL. */
    const struct fc_pelvis_angles *pelvis;
    /* A reference for the same frames stored in the input (e.g. the C3D's
     * LPelvisAngles from Plug-in Gait / CGM), or NULL; reference_label names it. */
    const struct fc_pelvis_angles *reference;
    const char *reference_label;

    /* filled by fc_summary_compute */
    double duration_s;
    double joint_seen_fraction[FC_JOINT_COUNT];
    struct fc_angle_stats tilt, obliquity, rotation;
    long reference_frames;       /* frames where both exist */
    double reference_rms_deg[3]; /* tilt, obliquity, rotation */
    double reference_max_abs_deg[3];
};

void fc_summary_compute(struct fc_summary *s);

int fc_report_frames_csv(const char *path, const struct fc_summary *s, struct fc_error *err);
int fc_report_summary_json(const char *path, const struct fc_summary *s, struct fc_error *err);
void fc_report_summary_text(FILE *out, const struct fc_summary *s);

#endif
