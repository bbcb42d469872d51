/* formcheck import: keypoint files in, keypoint CSV out.
 *
 * import/ turns keypoints made elsewhere (formcheck's own CSV, MediaPipe,
 * OpenPose, C3D motion capture, and the synthetic subject of
 * import/synth.h) into the canonical track of core/keypoints.h. It knows
 * nothing of video or of the pose model; what is read here goes to the
 * analyzer exactly as the pose stage's output does.
 *
 * Each importer fills a struct fc_pose_track (core/keypoints.h) from one
 * source and either succeeds completely or leaves the track empty and sets
 * err to a message naming the file and the problem.
 *
 *     struct fc_pose_track t;
 *     struct fc_import_params p = fc_import_default_params();
 *     if (fc_import_any("session.csv", &p, &t, &err) < 0) { ...err.msg... }
 *
 * Formats
 *   keypoint CSV   formcheck's own: optional "# width=W height=H" first line
 *                  (it may also say "units=normalized"),
 *                  then a header "t_s,<joint>_x,<joint>_y,<joint>_score,..."
 *                  over the COCO-17 joints, pixel coordinates. Empty cells
 *                  (or "nan") mean the joint was not seen.
 *   MediaPipe CSV  columns "<landmark>_x,_y,_z,_v" with MediaPipe names
 *                  (nose, left_shoulder, ..., left_foot_index), normalised
 *                  coordinates; an optional "label" column is kept per frame.
 *   OpenPose JSON  a folder of per-frame "*_keypoints.json" files (BODY_25 or
 *                  COCO-18), read with cJSON; the most confident person.
 *   C3D            see import/c3d.h.
 */
#ifndef FC_IMPORT_IMPORT_H
#define FC_IMPORT_IMPORT_H

#include "core/error.h"
#include "core/keypoints.h"

enum fc_input_kind {
    FC_INPUT_UNKNOWN,
    FC_INPUT_KEYPOINT_CSV,
    FC_INPUT_MEDIAPIPE_CSV,
    FC_INPUT_OPENPOSE_DIR,
    FC_INPUT_C3D,
    FC_INPUT_TRC, /* OpenSim / Pose2Sim marker text (import/trc.h) */
};

struct fc_import_params {
    double rate_hz; /* frame rate for sources without time stamps (default 30) */
};

struct fc_import_params fc_import_default_params(void);

const char *fc_input_kind_name(enum fc_input_kind k);
/* Looks at the content (not the name) of path; FC_INPUT_UNKNOWN with err set
 * when it is none of the formats above or cannot be read. The code says what
 * to try next: FC_ERR_NOT_KEYPOINTS for binary content that may be a video,
 * another code (an image, text, an empty file, a folder) when it is not. */
enum fc_input_kind fc_input_detect(const char *path, struct fc_error *err);

/* A TRC file's markers as a 3-D track in mm (import/trc.h). */
int fc_import_trc(const char *path, struct fc_pose_track *t, struct fc_error *err);
int fc_import_keypoint_csv(const char *path, struct fc_pose_track *t, struct fc_error *err);
int fc_import_mediapipe_csv(const char *path, const struct fc_import_params *p,
                            struct fc_pose_track *t, struct fc_error *err);
int fc_import_openpose_dir(const char *dir, const struct fc_import_params *p,
                           struct fc_pose_track *t, struct fc_error *err);
int fc_import_c3d(const char *path, struct fc_pose_track *t, struct fc_error *err);
int fc_import_any(const char *path, const struct fc_import_params *p, struct fc_pose_track *t,
                  struct fc_error *err);

/* Writes the COCO-17 joints of t as keypoint CSV, atomically (core/outfile.h).
 * Reading the file back gives the same track: floats are written with enough
 * digits to round-trip exactly. A normalised track is written with
 * "units=normalized" in the first comment line and read back as such. */
int fc_write_keypoint_csv(const char *path, const struct fc_pose_track *t, struct fc_error *err);

#endif
