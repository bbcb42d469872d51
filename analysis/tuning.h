/* formcheck: every tuning number of the analyzer, in one place, each with
 * the reason for its value. Internal to analysis/ (the names are short and
 * unprefixed); analysis/analyzer.h describes the behaviour and refers here
 * for the numbers.
 *
 * These are detection constants (algorithmic), not clinical thresholds:
 * those live in data/thresholds.json with their sources.
 *
 *     #include "analysis/tuning.h"
 *     if (dx * dx + dy * dy > (MOVE_FRAC * torso) * (MOVE_FRAC * torso)) ...
 */
#ifndef FC_ANALYSIS_TUNING_H
#define FC_ANALYSIS_TUNING_H

#include "analysis/metrics.h"

/* ---- parameter defaults (fc_analyzer_default_params) ------------------- */

/* A pose model's score under 0.3 is a guess more often than not. */
#define DEFAULT_MIN_SCORE 0.3f
/* A third of a second of standing gives ~10 frames at 30 fps for the
 * medians, and every exercise here starts from at least that much rest. */
#define DEFAULT_BASELINE_MIN_S 0.3
/* Reps kept in detail: more than any session holds (later ones counted). */
#define DEFAULT_MAX_REPS 4096
/* Rep peaks on a quadratic Savitzky-Golay fit over 0.4 s: a pose model's
 * frame-to-frame jitter would otherwise push every maximum up by about two
 * standard deviations, and the fit keeps a smooth peak's height (a 120 deg
 * knee flexion over a 2 s rep reads 0.04 deg low, over a 1 s rep 0.6 deg;
 * a plain running mean of 0.2 s would lose 1.3 and 5 deg). */
#define DEFAULT_PEAK_WINDOW_S 0.4

/* ---- standing baseline --------------------------------------------------- */

/* Baseline frames kept for the medians (34 s at 30 Hz, 4 s at 240 Hz). */
#define BASE_CAP 1024
/* Stillness longer than this locks the baseline without waiting for the
 * first movement, so live feedback starts after a couple of seconds. */
#define BASE_MAX_S 2.0
/* With no standing phase the first BASE_FALLBACK_S are used anyway. */
#define BASE_FALLBACK_S 0.5
/* Movement onset: shoulders, hips, knees or ankles leave their running mean
 * position by this fraction of the torso length, MOVE_FRAMES frames running.
 * 8% of a ~50 cm torso is 4 cm: well above the jitter of a pose model
 * (~1% of the torso) and below the first 0.2 s of any exercise here. */
#define MOVE_FRAC 0.08f
#define MOVE_FRAMES 2
/* A running mean needs this many frames before it can say "moved", and the
 * medians this many frames to be medians at all. */
#define BASE_MIN_FRAMES 3
/* A median of a joint seen in fewer than a third of the baseline frames is
 * too little to call a baseline: the joint is taken as not seen. */
#define MEDIAN_MIN_SEEN_DIV 3
/* The near leg: its summed hip + knee + ankle scores beat the other side's
 * by more than this per baseline frame (else the side facing the camera). */
#define NEAR_SCORE_MARGIN 0.05

/* ---- view ---------------------------------------------------------------- */

/* View from shoulder width / torso length in the baseline. A person facing
 * the camera measures 0.7-0.9 (COCO shoulder keypoints ~35 cm apart, hip to
 * shoulder ~45-50 cm); the ratio falls as |cos(yaw)|. Above 0.55 the
 * subject is within ~50 deg of facing the camera (front); below 0.25 within
 * ~15-20 deg of side-on (side). Up to 0.40 (0.8 sin 30 deg) it is side too
 * when the face says the body is turned more than half-way (the nose beyond
 * VIEW_NOSE_OBLIQUE, about 50 deg of yaw): people film a "side view" from
 * 20-30 deg off the side, and the sagittal measures hold there (on real deep
 * squats projected 30 deg off the side the trunk's forward lean is within a
 * median 2.3 deg of its 3-D truth and the thigh's angle within 2.4 deg,
 * docs/validity.md); the face, and the hip line (HIP_TO_SHOULDER_RATIO
 * times its width, when seen) no wider than the limit either unless the
 * ears say the face is turned past FACE_YAW_MAX_DEG, keep a narrow
 * shoulder line seen from the front (arms overhead draw the shoulders in)
 * from passing for a side view.
 * In between neither plane projects cleanly (oblique, no planar metric). */
#define VIEW_FRONT_MIN 0.55f
/* The ratio of a person squarely facing the camera (mid-range of 0.7-0.9):
 * the body's yaw is read as acos(ratio / this). */
#define VIEW_SQUARE_RATIO 0.8f
/* The face's yaw from the nose's offset against the ears: with the ears
 * 2e apart and the nose tip n ahead of the line between them, the picture
 * shows the nose (n sin yaw) off the ears' midpoint and the ears (2e cos
 * yaw) apart, so tan yaw = (2e / n) offset / separation. 2e / n is about
 * 1.3 in adults (bitragion breadth about 14.5 cm, the nose tip about 11 cm
 * ahead of the tragion; ANSUR II head breadth 15.2 cm and head length 19.7
 * cm bound both); people differ by about 10%, which moves a 15 deg reading
 * by 1.5 deg. On UI-PRMD projected from 0/15/30 deg it reads a median
 * 3/15/31 deg, where the shoulder width reads 19/25/37 (docs/validity.md). */
#define FACE_BREADTH_OVER_DEPTH 1.3f
/* The face decides the body's yaw while both it and the shoulder line say
 * less than this (beyond it the shoulder width is good, 45 -> 50, 60 -> 63
 * deg, and the far ear is hidden or guessed). A face turned to the camera
 * from a turned body reads the head's turn, not the body's: the report says
 * which one it used. */
#define FACE_YAW_MAX_DEG 45.0f
/* A face within this yaw makes a front view even where the shoulder line
 * is narrower than VIEW_FRONT_MIN (people's shoulders differ). On the 3-D
 * squats (docs/validity.md) the bilateral squat's key frontal measure, the
 * knee-to-ankle separation, keeps its accuracy to 30 deg, its turn limit;
 * the yaw read at 30 deg spreads over 22-46, so it is given in 36% of the
 * repetitions there, and the others' limits are nearer (12-27 deg). With
 * this at 30 deg, 58 of the 140 squats filmed 30 deg off the front were
 * graded, separating correct from incorrect no better than chance (AUC
 * 0.53); at 20, 22 (0.52), and at 15 deg 127 of 140 (0.72, against 0.73
 * at 30). Halfway: 20 deg. */
#define VIEW_FRONT_FACE_MAX_DEG 20.0f
#define VIEW_SIDE_MAX 0.25f
#define VIEW_NEAR_SIDE_MAX 0.40f
/* view_confidence: 0.5 at a threshold, rising to 1 this far beyond it
 * (front: at a ratio of 0.8, a person squarely facing the camera; side: at
 * 0.05, a true profile); an oblique view is surest 0.15 from both. */
#define VIEW_CONF_FRONT_SPAN 0.25f
#define VIEW_CONF_SIDE_SPAN 0.2f
#define VIEW_CONF_NOSE_SPAN 0.2f
#define VIEW_CONF_OBLIQUE_SPAN 0.15f
/* When the shoulders are not seen, hip width / torso stands in: hip joint
 * centres sit about half as far apart as the shoulder keypoints. */
#define HIP_TO_SHOULDER_RATIO 2.0f
/* View from the face: the nose's offset from the mid-shoulder point along
 * the shoulder line, in shoulder widths. The nose sits ~10 cm ahead of the
 * neck and the shoulder keypoints ~35 cm apart, so the offset is about
 * 0.29 tan(yaw): 0.35 is ~50 deg of yaw. A wide shoulder line with the face
 * turned this far is a front-oblique view (a barbell on the back widens the
 * shoulders' span). */
#define VIEW_NOSE_OBLIQUE 0.35f
/* The baseline body axis (mid-ankle -> mid-shoulder) more than this far
 * from the image vertical: the subject is lying (glute bridge). */
#define LYING_MIN_DEG 50.0f
/* Side-on in the baseline's split-stance test: the shoulders span less than
 * this fraction of the torso (a front view spans 0.7-0.9). */
#define SIDE_ON_SHOULDER_FRAC 0.4f

/* ---- camera roll ----------------------------------------------------------- */

/* A hand-held or tripod phone stands within a few degrees of level; a body
 * vertical further than this from the image vertical is the body leaning
 * (or a camera looking down steeply), not roll: roll is then taken as 0. */
#define ROLL_MAX_DEG 15.0f
/* In a split stance the trunk stands in for the body vertical, and unless
 * seen from the front a trunk leans forward by 5-15 deg there: only an
 * estimate this small is taken as roll then. */
#define ROLL_MAX_TRUNK_DEG 5.0f

/* ---- posture ------------------------------------------------------------- */

/* Upright (standing, not squatting or lunging): a leg straight in the image
 * (knee bent less than this, and the thigh not foreshortened below this
 * fraction of the shank, which a thigh pointing at the camera in a front
 * view squat is), the trunk in line with that leg, and the leg near the
 * image vertical. Only an upright body says where "up" is. */
#define UPRIGHT_KNEE_DEG 25.0f
#define UPRIGHT_THIGH_MIN 0.7f
#define UPRIGHT_TRUNK_DEG 25.0f
#define UPRIGHT_TILT_DEG 30.0f
/* Split stance in the baseline: the ankles this far apart along the body
 * (one foot on a step) or, side-on, this far apart fore-aft (lunge), in leg
 * lengths. Feet side by side measure ~0 and ~0.3 (front view width). */
#define SPLIT_STEP 0.05f
#define SPLIT_STANCE 0.15f

/* ---- per-frame metrics ------------------------------------------------------ */

/* The lumbo-pelvic proxy is read only while the trunk is this upright. */
#define TILT_PROXY_UPRIGHT_DEG 15.0f
/* See fc_frontal_metrics: two knees reading this much valgus and varus at
 * once in a two-legged squat are a body turned from the camera. Injected
 * faults (and real knees) stay under it on one side at least. */
#define TURNED_FPPA_DEG 15.0f
/* The same at depth, from the knees against their ankles (in % of the leg):
 * a 15 deg bend at the knee of a leg whose thigh and shank are each about
 * half of it puts the knee 0.5 tan(7.5 deg), about 6.5% of the leg, off the
 * hip-ankle line; 5% keeps the rule as strict. */
#define TURNED_KNEE_PCT 5.0f
/* The knee FPPA is read only while the thigh's projection keeps this
 * fraction of its standing length, i.e. while the thigh is within
 * acos(0.7) = 46 deg of the image plane. Deeper, the thigh points at the
 * camera and the 2-D angle is out-of-plane cross-talk: a hip rotated by
 * 10 deg (ordinary in a squat) alone bends the projected thigh by
 * atan(tan(a) sin 10 deg), which passes the FPPA's smallest detectable
 * difference (7.5-8.9 deg, Munro, Herrington & Carolan 2012) beyond a =
 * 42-46 deg; and the keypoints' jitter over a shortening thigh grows as
 * 1 / fraction. Englander et al. 2019 (Orthop J Sports Med 7(1)) saw the
 * 2-D angle depart from the true varus-valgus angle more the more the knee
 * flexed. Frames below it are "not measurable: leg out of plane". */
#define FPPA_MIN_THIGH_FRAC ((float)FC_FPPA_MIN_THIGH_FRACTION)
/* Knee-to-ankle separation needs feet apart: below this fraction of the
 * standing leg length between the ankles (about 8 cm) the ratio's
 * denominator is jitter. */
#define KASR_MIN_ANKLE_SEP 0.10f
/* Lateral shift and knee travel are reported in percent (of the hip width,
 * of the shank length). */
#define PERCENT 100.0f

/* ---- sides --------------------------------------------------------------- */

/* Stance leg in gait and deadlifts: the lower ankle, once the heights differ
 * by this fraction of the leg length (hysteresis against jitter; while the
 * feet are level the hip drop is near zero anyway). */
#define STANCE_SWITCH 0.01f
/* Step-ups: the leading leg is the first ankle to rise this far. */
#define LEAD_RISE 0.05f

/* ---- reps: per-exercise movement signal thresholds ----------------------- */

/* start: the signal crossing it starts a rep; end: falling back under it
 * ends the rep (and below it the subject is at rest); min_amp: the rep's
 * extreme must reach it; min_s: shortest rep. Hip heights are in leg
 * lengths (~85-90 cm): 0.06 is ~5 cm, 0.10 ~9 cm; a quarter squat sinks
 * about 0.25, a single-leg squat 0.15-0.3. */
#define REP_SQUAT_START 0.06f
#define REP_SQUAT_END 0.03f
#define REP_SQUAT_MIN_AMP 0.10f
/* A single-leg squat sinks less than a two-legged one. */
#define REP_SL_SQUAT_START 0.04f
#define REP_SL_SQUAT_END 0.02f
#define REP_SL_SQUAT_MIN_AMP 0.06f
/* Single-leg deadlift, on trunk inclination / 90 deg: 20 deg of trunk
 * inclination starts a rep, 10 deg ends it, 30 deg needed. */
#define REP_SL_DEADLIFT_START (20.0f / 90)
#define REP_SL_DEADLIFT_END (10.0f / 90)
#define REP_SL_DEADLIFT_MIN_AMP (30.0f / 90)
/* Glute bridge, on hip rise / torso length from the lying baseline. */
#define REP_BRIDGE_START 0.08f
#define REP_BRIDGE_END 0.04f
#define REP_BRIDGE_MIN_AMP 0.12f
/* Gait stepping in place: a swing foot lifts 5-15 cm, so 0.03 leg lengths
 * starts a step. */
#define REP_GAIT_START 0.03f
#define REP_GAIT_END 0.015f
#define REP_GAIT_MIN_AMP 0.04f
/* Reps shorter than this are ignored (a step is quicker than a squat). */
#define REP_MIN_S 0.3
#define REP_GAIT_MIN_S 0.12
/* Walking across a side view: the ankles' fore-aft separation in leg
 * lengths. A stride spreads the feet by 0.6-1.0 leg at heel strike; they
 * pass each other at mid-swing. Once the feet have been this far apart the
 * steps are counted from the separation (start / end / required peak),
 * which, unlike the ankle lift, survives the model swapping left and right
 * legs as they cross; before, from the lift (stepping in place). */
#define STRIDE_ON 0.40f
#define STRIDE_START 0.35f
#define STRIDE_END 0.20f
#define STRIDE_MIN_AMP 0.50f
/* A stride's walking direction is the hip's travel once it exceeds this
 * fraction of the leg (~2 cm); before, the way the subject faces. */
#define STRIDE_DIR_MIN 0.02f
/* A rep already under way when the analysis starts (the clip opens in the
 * middle of one) counts only if at least this fraction of the rep's
 * minimum amplitude was seen going into its extreme: a clip that opens at
 * the bottom of a squat and rises has shown that rep's bottom; one that
 * opens at the top of a bridge and lowers has not shown a rep. */
#define PARTIAL_REP_SEEN 0.5f
/* A rep the session ends in whose signal at the last frame is within this
 * of its extreme (in the signal's units) was cut off on its way down: its
 * bottom was not seen. It counts (it went deep enough) but has no peaks. */
#define CUT_REP_MARGIN 0.01f

/* ---- AUTO exercise: the first clear movement decides --------------------- */

#define AUTO_DESCENT 0.10f /* hip descends 10% of the leg: a squat family */
/* A squat is an overhead squat when, as it begins, every wrist seen is this
 * many standing torso lengths above its shoulder: a straight arm (upper arm
 * + forearm, 0.33 H against a 0.29 H torso, Winter 2009) held up at 120 deg
 * of elevation or more reaches 0.55; arms forward for balance (90 deg) reach
 * 0, a dowel on the back (the hands at the shoulders) about 0. */
#define AUTO_ARMS_UP_TORSO 0.5f
#define AUTO_RISE 0.10f   /* hip rises 10%: step-up (standing) */
#define AUTO_LIFT 0.06f   /* one ankle lifted 6% of the leg */
#define AUTO_GROUND 0.03f /* the other within 3%: on the ground */
#define AUTO_SPLIT 0.30f  /* ankles 30% of the leg further apart (side view): lunge */
/* Trunk inclined this far with the hip level: a single-leg deadlift (a squat
 * leans the trunk too, but its hip descends first). */
#define AUTO_TRUNK_DEG 35.0f
/* Hip and ankles within 3% of the leg of standing: at rest. */
#define AUTO_REST 0.03f
/* A foot lifted and set down is a step only while the hip stayed within
 * this fraction of AUTO_DESCENT (else a single-leg squat was beginning). */
#define AUTO_STEP_LEVEL 0.5f

/* ---- rep peaks (Savitzky-Golay) ------------------------------------------ */

/* Rep peaks are taken on a centred quadratic Savitzky-Golay fit over
 * peak_window_s (odd, at most PEAK_RING - 1 frames), see fc_analyzer_params.
 * The fit's running moments are recomputed exactly every PEAK_RESYNC frames
 * so that rounding never accumulates. */
#define PEAK_RING 64
#define PEAK_RESYNC 4096

/* ---- low confidence ---------------------------------------------------- */

/* Low-confidence stretches shorter than this are not reported; untracked
 * runs closer than LOWCONF_GAP_S are one stretch. */
#define LOWCONF_MIN_S 0.3
#define LOWCONF_GAP_S 0.3

/* ---- offline (fc_analyze_track) ------------------------------------------ */

/* A joint fc_analyze_track found implausible (see JITTER_TORSO) carries
 * this score: not seen (below any min_score), and its frame untracked. */
#define SCORE_IMPLAUSIBLE (-1.0f)
/* A keypoint whose raw position lies further than this from its low-passed
 * path, in (median) torso lengths, is the model guessing, not measuring:
 * an occluded knee behind a barbell plate hops by 10-30% of the torso from
 * frame to frame while a tracked one stays within 3-5% (real clips, 25-30
 * fps, MoveNet Thunder: 99th percentile 0.04-0.06 on unoccluded squats).
 * Such a joint is a gap, so what it would measure is not graded and the
 * stretch is reported as low confidence. */
#define JITTER_TORSO 0.08f
/* The offline reference posture: the frames within this of the session's
 * extreme hip height (standing: thigh + shank lengths, ~3 cm; lying: the
 * sine of the trunk's angle to the floor, ~3 deg), ignoring the extreme
 * tenth of the frames (a stray frame is no posture). */
#define REF_BAND 0.03f
#define REF_BAND_LYING 0.05f
#define REF_OUTLIER_DIV 10
/* A reference needs at least this many frames to be a median. */
#define REF_MIN_FRAMES 3

/* Depth takes the far thigh only when its picture keeps this much more of
 * its length than the near one's (5%): two legs equally in plane keep the
 * near one, better seen in real video, rather than flickering
 * between them. The thighs the choice is for differ by far more: level
 * thighs 20 deg out from the midline, the camera 30 deg short of side-on,
 * show horizontal runs of 0.64 and 0.98 of their length. */
#define DEPTH_LEG_MARGIN 1.05f

#endif
