/* formcheck: the synthetic subject (import/synth.h).
 *
 * How a frame is made
 *   1. The exercise's sagittal pose: every joint's (forward, up) position in
 *      pixels, floor at up = 0, from joint angles that grow as
 *      sin^2(pi * phase) within each rep (section "poses").
 *   2. A view (section "views"). The side view draws the sagittal pose as it
 *      is. The front view keeps every joint's height from step 1 and builds
 *      the lateral picture from the frontal faults, directly in the image
 *      plane so that each frontal metric equals its injected size exactly.
 *   3. The camera: one placement for the whole track (the bounding box of
 *      every frame centred in the image), roll about the image centre, then
 *      noise and dropped joints from a seeded PRNG.
 * All geometry is in double; only the final coordinates become float.
 */
#include "import/synth.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "core/units.h"

enum { N_JOINTS = FC_COCO17_COUNT };

/* ------------------------------------------------------------ geometry */

struct vec2 {
    double x, y;
};

static struct vec2 v2(double x, double y)
{
    return (struct vec2){x, y};
}

static struct vec2 add(struct vec2 a, struct vec2 b)
{
    return v2(a.x + b.x, a.y + b.y);
}

static struct vec2 lerp(struct vec2 a, struct vec2 b, double s)
{
    return v2(a.x + s * (b.x - a.x), a.y + s * (b.y - a.y));
}

/* Counter-clockwise in a y-up frame. */
static struct vec2 rotate(struct vec2 v, double ang)
{
    double c = cos(ang), s = sin(ang);
    return v2(c * v.x - s * v.y, s * v.x + c * v.y);
}

/* Winter's segment lengths as fractions of standing height H, in pixels. */
struct body {
    double H;
    double shank, thigh, leg, trunk, ankle_h;
    double hip_w, shoulder_w, upper_arm, forearm;
};

static struct body body_of(double H)
{
    struct body b = {
        .H = H,
        .shank = 0.246 * H,
        .thigh = 0.245 * H,
        .trunk = 0.288 * H,
        .ankle_h = 0.039 * H,
        .hip_w = 0.191 * H,
        .shoulder_w = 0.259 * H,
        .upper_arm = 0.186 * H,
        .forearm = 0.146 * H,
    };
    b.leg = b.shank + b.thigh;
    return b;
}

/* Shank leaning forward by a (knee ahead of the ankle), thigh at th from
 * vertical with the hip behind the knee: knee flexion a + th. */
static void leg_by_angles(const struct body *b, struct vec2 ankle, double a, double th,
                          struct vec2 *knee, struct vec2 *hip)
{
    *knee = v2(ankle.x + b->shank * sin(a), ankle.y + b->shank * cos(a));
    *hip = v2(knee->x - b->thigh * sin(th), knee->y + b->thigh * cos(th));
}

/* A leg hanging from the hip with the thigh phi forward of straight down
 * and the knee flexed by k (the shank turns back by k). */
static void leg_from_hip(const struct body *b, struct vec2 hip, double phi, double k,
                         struct vec2 *knee, struct vec2 *ankle)
{
    *knee = v2(hip.x + b->thigh * sin(phi), hip.y - b->thigh * cos(phi));
    *ankle = v2(knee->x + b->shank * sin(phi - k), knee->y - b->shank * cos(phi - k));
}

/* A leg reaching from the hip towards target: the ankle goes there, or as
 * far as the straight leg reaches. The knee flexes the anatomical way: going
 * hip -> knee -> ankle turns clockwise in (forward, up), i.e. the knee lies
 * counter-clockwise of the hip-ankle line. */
static void leg_reach(const struct body *b, struct vec2 hip, struct vec2 target, struct vec2 *knee,
                      struct vec2 *ankle)
{
    double dx = target.x - hip.x, dy = target.y - hip.y, d = hypot(dx, dy);
    struct vec2 e = d > 1e-9 * b->H ? v2(dx / d, dy / d) : v2(0, -1);
    double dmin = fabs(b->thigh - b->shank) + 1e-6 * b->H;
    if (d > b->leg)
        d = b->leg;
    if (d < dmin)
        d = dmin;
    double c = (b->thigh * b->thigh + d * d - b->shank * b->shank) / (2 * b->thigh * d);
    double al = acos(c > 1 ? 1 : c < -1 ? -1 : c);
    struct vec2 t = rotate(e, al);
    *knee = v2(hip.x + b->thigh * t.x, hip.y + b->thigh * t.y);
    *ankle = v2(hip.x + d * e.x, hip.y + d * e.y);
}

/* ------------------------------------------------------------ poses */

/* COCO indices by side. */
static const int J_SHOULDER[2] = {FC_JOINT_LEFT_SHOULDER, FC_JOINT_RIGHT_SHOULDER};
static const int J_ELBOW[2] = {FC_JOINT_LEFT_ELBOW, FC_JOINT_RIGHT_ELBOW};
static const int J_WRIST[2] = {FC_JOINT_LEFT_WRIST, FC_JOINT_RIGHT_WRIST};
static const int J_HIP[2] = {FC_JOINT_LEFT_HIP, FC_JOINT_RIGHT_HIP};
static const int J_KNEE[2] = {FC_JOINT_LEFT_KNEE, FC_JOINT_RIGHT_KNEE};
static const int J_ANKLE[2] = {FC_JOINT_LEFT_ANKLE, FC_JOINT_RIGHT_ANKLE};

/* -1 midline, else enum fc_side. */
static int joint_side(int j)
{
    return j == FC_JOINT_NOSE ? -1 : (j % 2 ? FC_SIDE_LEFT : FC_SIDE_RIGHT);
}

/* What the whole track needs, worked out once from the parameters. */
struct plan {
    struct body b;
    enum fc_exercise ex;
    double knee, lean;        /* peak knee flexion and trunk lean, rad */
    double shin, thigh;       /* working leg at the bottom: a and b, rad */
    double ankle_sep;         /* front view: distance between the ankles */
    struct vec2 ankle[2];     /* feet on the ground in standing */
    double shin0, thigh0;     /* lunge, step-up: working leg angles standing */
    double box_h, s_on_box;   /* step-up: box height, sin^2 of the phase the foot lands */
    double phi_top, psi_rest; /* glute bridge: trunk-thigh line at the top, trunk at rest */
    struct vec2 shoulder;     /* glute bridge: the shoulders, fixed on the floor */
    double obliquity, hip_drop, fppa[2], lean_lat, shift_px; /* frontal faults, rad / px */
    double arm_forward; /* overhead squat: the arms forward of the trunk line at the bottom, rad */
};

/* One instant: sagittal positions (x forward, y up) and what the front view
 * needs on top of them. */
struct pose {
    struct vec2 p[N_JOINTS];
    int stance; /* enum fc_side, or -1 */
};

/* Head and arms from the mid-shoulder point with the trunk leaned forward by
 * g; arms at psi[side] forward of hanging straight down, elbows a little bent. */
static void upper_body(const struct body *b, struct pose *q, struct vec2 ms, double g,
                       const double psi[2])
{
    double H = b->H;
    /* Standing head offsets from the mid-shoulder point (forward, up), in H:
     * Winter's heights (shoulder 0.818, nose 0.913, eyes 0.936, ears 0.923)
     * with the face ahead of the ears. */
    struct vec2 nose = rotate(v2(0.060 * H, 0.095 * H), -g);
    struct vec2 eye = rotate(v2(0.045 * H, 0.118 * H), -g);
    struct vec2 ear = rotate(v2(0.000 * H, 0.105 * H), -g);
    q->p[FC_JOINT_NOSE] = add(ms, nose);
    q->p[FC_JOINT_LEFT_EYE] = q->p[FC_JOINT_RIGHT_EYE] = add(ms, eye);
    q->p[FC_JOINT_LEFT_EAR] = q->p[FC_JOINT_RIGHT_EAR] = add(ms, ear);
    for (int s = 0; s < 2; s++) {
        double fa = psi[s] + 10 * FC_RAD_PER_DEG;
        q->p[J_SHOULDER[s]] = ms;
        q->p[J_ELBOW[s]] = add(ms, v2(b->upper_arm * sin(psi[s]), -b->upper_arm * cos(psi[s])));
        q->p[J_WRIST[s]] = add(q->p[J_ELBOW[s]], v2(b->forearm * sin(fa), -b->forearm * cos(fa)));
    }
}

static void set_leg(struct pose *q, int side, struct vec2 hip, struct vec2 knee, struct vec2 ankle)
{
    q->p[J_HIP[side]] = hip;
    q->p[J_KNEE[side]] = knee;
    q->p[J_ANKLE[side]] = ankle;
}

/* Trunk at g forward of vertical above the hip; head and arms on it. */
static void trunk(const struct body *b, struct pose *q, struct vec2 hip, double g,
                  const double psi[2])
{
    upper_body(b, q, v2(hip.x + b->trunk * sin(g), hip.y + b->trunk * cos(g)), g, psi);
}

static void pose_bridge(const struct plan *pl, double s, struct pose *q)
{
    const struct body *b = &pl->b;
    double H = b->H;
    /* Supine, x towards the feet: the shoulders stay on the floor and the
     * hip swings up about them on the trunk's length. */
    double psi = pl->psi_rest + s * (pl->phi_top - pl->psi_rest);
    struct vec2 S = pl->shoulder;
    struct vec2 hip = v2(S.x + b->trunk * cos(psi), S.y + b->trunk * sin(psi));
    for (int side = 0; side < 2; side++) {
        struct vec2 knee, ankle;
        leg_reach(b, hip, pl->ankle[side], &knee, &ankle);
        set_leg(q, side, hip, knee, ankle);
        q->p[J_SHOULDER[side]] = S;
        q->p[J_ELBOW[side]] = add(S, v2(0.18 * H, -0.015 * H)); /* arms flat beside the body */
        q->p[J_WRIST[side]] = add(S, v2(0.32 * H, -0.015 * H));
    }
    q->p[FC_JOINT_NOSE] = add(S, v2(-0.100 * H, 0.060 * H));
    q->p[FC_JOINT_LEFT_EYE] = q->p[FC_JOINT_RIGHT_EYE] = add(S, v2(-0.110 * H, 0.045 * H));
    q->p[FC_JOINT_LEFT_EAR] = q->p[FC_JOINT_RIGHT_EAR] = add(S, v2(-0.095 * H, 0.015 * H));
}

/* The step-up: onto the box with the left leg, then up onto it. */
static void pose_step_up(const struct plan *pl, double s, struct pose *q)
{
    const struct body *b = &pl->b;
    const double deg = FC_RAD_PER_DEG;
    struct vec2 knee, hip, ankle;
    q->stance = FC_SIDE_LEFT;
    struct vec2 box = pl->ankle[FC_SIDE_LEFT], floor = pl->ankle[FC_SIDE_RIGHT];
    if (s <= pl->s_on_box) {
        /* Standing on the right leg, the left leg lifts onto the box: thigh
         * and knee flexion grow together to their values on the box, so
         * the knee is never more flexed than when the foot lands there. */
        double u = s / pl->s_on_box;
        hip = v2(0, b->ankle_h + b->leg);
        leg_from_hip(b, hip, u * pl->thigh0, u * pl->knee, &knee, &ankle);
        set_leg(q, FC_SIDE_LEFT, hip, knee, ankle);
        set_leg(q, FC_SIDE_RIGHT, hip, v2(0, b->ankle_h + b->shank), floor);
    } else {
        /* Rising onto the left leg: its knee extends to 10 deg at the top
         * while the right foot leaves the floor and comes up beside the box. */
        double v = (s - pl->s_on_box) / (1 - pl->s_on_box);
        const double k_top = 10 * deg;
        double a = pl->shin0 + v * (0.4 * k_top - pl->shin0);
        double th = pl->thigh0 + v * (0.6 * k_top - pl->thigh0);
        leg_by_angles(b, box, a, th, &knee, &hip);
        set_leg(q, FC_SIDE_LEFT, hip, knee, box);
        struct vec2 top = v2(box.x - 0.05 * b->H, box.y + 0.06 * b->H);
        leg_reach(b, hip, lerp(floor, top, v), &knee, &ankle);
        set_leg(q, FC_SIDE_RIGHT, hip, knee, ankle);
    }
    double arms[2] = {s * 15 * deg, -s * 15 * deg};
    trunk(b, q, hip, s * pl->lean, arms);
}

/* s: sin^2 of the rep phase (0 standing, 1 at the bottom); rep: index or -1. */
static void pose_at(const struct plan *pl, double s, int rep, struct pose *q)
{
    const struct body *b = &pl->b;
    const double deg = FC_RAD_PER_DEG;
    struct vec2 knee, hip, ankle;
    q->stance = -1;
    switch (pl->ex) {
    case FC_EXERCISE_OVERHEAD_SQUAT: {
        leg_by_angles(b, pl->ankle[0], s * pl->shin, s * pl->thigh, &knee, &hip);
        set_leg(q, FC_SIDE_LEFT, hip, knee, pl->ankle[0]);
        set_leg(q, FC_SIDE_RIGHT, hip, knee, pl->ankle[1]);
        /* Straight up along the trunk line (pi from hanging down, less the
         * trunk's lean), then forward of it by the fault. */
        double up = FC_PI - s * (pl->lean + pl->arm_forward);
        double arms[2] = {up, up};
        trunk(b, q, hip, s * pl->lean, arms);
        break;
    }
    case FC_EXERCISE_SQUAT: {
        leg_by_angles(b, pl->ankle[0], s * pl->shin, s * pl->thigh, &knee, &hip);
        set_leg(q, FC_SIDE_LEFT, hip, knee, pl->ankle[0]);
        set_leg(q, FC_SIDE_RIGHT, hip, knee, pl->ankle[1]);
        double arms[2] = {s * 85 * deg, s * 85 * deg}; /* raised forward to balance */
        trunk(b, q, hip, s * pl->lean, arms);
        break;
    }
    case FC_EXERCISE_SINGLE_LEG_SQUAT_LEFT:
    case FC_EXERCISE_SINGLE_LEG_SQUAT_RIGHT: {
        int st = pl->ex == FC_EXERCISE_SINGLE_LEG_SQUAT_LEFT ? FC_SIDE_LEFT : FC_SIDE_RIGHT;
        q->stance = st;
        leg_by_angles(b, pl->ankle[st], s * pl->shin, s * pl->thigh, &knee, &hip);
        set_leg(q, st, hip, knee, pl->ankle[st]);
        /* The free foot leaves the floor as the rep starts and goes forward,
         * 0.1 H up at the bottom; a straight leg when it cannot reach. */
        struct vec2 target = lerp(pl->ankle[1 - st], v2(0.30 * b->H, b->ankle_h + 0.10 * b->H), s);
        leg_reach(b, hip, target, &knee, &ankle);
        set_leg(q, 1 - st, hip, knee, ankle);
        double arms[2] = {s * 80 * deg, s * 80 * deg};
        trunk(b, q, hip, s * pl->lean, arms);
        break;
    }
    case FC_EXERCISE_LUNGE: {
        /* Left leg in front; from straight (inclined) legs to the bottom. */
        double a = pl->shin0 + s * (pl->shin - pl->shin0);
        double th = pl->thigh0 + s * (pl->thigh - pl->thigh0);
        leg_by_angles(b, pl->ankle[FC_SIDE_LEFT], a, th, &knee, &hip);
        set_leg(q, FC_SIDE_LEFT, hip, knee, pl->ankle[FC_SIDE_LEFT]);
        /* The back heel rises as the back knee bends. */
        struct vec2 back = add(pl->ankle[FC_SIDE_RIGHT], v2(0, s * 0.04 * b->H));
        leg_reach(b, hip, back, &knee, &ankle);
        set_leg(q, FC_SIDE_RIGHT, hip, knee, ankle);
        double arms[2] = {0, 0};
        trunk(b, q, hip, s * pl->lean, arms);
        break;
    }
    case FC_EXERCISE_STEP_UP: pose_step_up(pl, s, q); break;
    case FC_EXERCISE_SINGLE_LEG_DEADLIFT: {
        q->stance = FC_SIDE_LEFT;
        double g = s * pl->lean;
        leg_by_angles(b, pl->ankle[FC_SIDE_LEFT], s * pl->shin, s * pl->thigh, &knee, &hip);
        set_leg(q, FC_SIDE_LEFT, hip, knee, pl->ankle[FC_SIDE_LEFT]);
        /* The free leg swings back in line with the trunk, knee soft. */
        leg_from_hip(b, hip, -g, s * 15 * deg, &knee, &ankle);
        set_leg(q, FC_SIDE_RIGHT, hip, knee, ankle);
        double arms[2] = {0, 0}; /* hanging straight down with the weight */
        trunk(b, q, hip, g, arms);
        break;
    }
    case FC_EXERCISE_GLUTE_BRIDGE: pose_bridge(pl, s, q); break;
    case FC_EXERCISE_GAIT:
    default: {
        int st = rep >= 0 && rep % 2 ? FC_SIDE_RIGHT : FC_SIDE_LEFT;
        q->stance = rep >= 0 ? st : -1;
        /* Stance knee flexes 10 deg; the swing thigh comes forward by half
         * the swing knee's flexion, which puts the foot under the hip. */
        const double k_stance = 10 * deg;
        leg_by_angles(b, pl->ankle[st], s * 0.4 * k_stance, s * 0.6 * k_stance, &knee, &hip);
        set_leg(q, st, hip, knee, pl->ankle[st]);
        leg_from_hip(b, hip, s * 0.5 * pl->knee, s * pl->knee, &knee, &ankle);
        set_leg(q, 1 - st, hip, knee, ankle);
        double arms[2];
        arms[st] = s * 20 * deg; /* the arm opposite the swing leg comes forward */
        arms[1 - st] = -s * 20 * deg;
        trunk(b, q, hip, s * pl->lean, arms);
        break;
    }
    }
}

/* Split stance with the feet 0.18 H ahead of and behind the hip and both
 * legs straight, so that standing the mid-ankle is under the mid-hip and the
 * body line is vertical. */
static void plan_lunge(struct plan *pl)
{
    const struct body *b = &pl->b;
    double fwd = 0.18 * b->H;
    pl->thigh0 = asin(fwd / b->leg);
    pl->shin0 = -pl->thigh0;
    pl->ankle[FC_SIDE_LEFT] = v2(fwd, b->ankle_h);
    pl->ankle[FC_SIDE_RIGHT] = v2(-fwd, b->ankle_h);
}

/* The right leg straight under the hip; the left foot on a box D ahead, as
 * high as makes the left knee's flexion the asked one (law of cosines for
 * the hip-ankle distance). Needs pl->knee. */
static void plan_step_up(struct plan *pl)
{
    const struct body *b = &pl->b;
    double D = 0.12 * b->H;
    double d =
        sqrt(b->thigh * b->thigh + b->shank * b->shank + 2 * b->thigh * b->shank * cos(pl->knee));
    pl->box_h = b->leg - sqrt(d * d - D * D);
    pl->ankle[FC_SIDE_LEFT] = v2(D, b->ankle_h + pl->box_h);
    /* The left foot lands on the box at phase 0.2 (sin^2 = 0.345), on a
     * frame whenever a rep has a multiple of 5 frames. */
    pl->s_on_box = sin(0.2 * FC_PI) * sin(0.2 * FC_PI);
    struct vec2 hip = v2(0, b->ankle_h + b->leg), knee, ankle;
    leg_reach(b, hip, pl->ankle[FC_SIDE_LEFT], &knee, &ankle);
    pl->shin0 = atan2(knee.x - ankle.x, knee.y - ankle.y);
    pl->thigh0 = atan2(knee.x - hip.x, hip.y - knee.y);
}

/* Shoulder and hip joint centres 0.045 H and 0.05 H above the floor lying
 * down. At the top shoulder, hip and knee are in line at phi above
 * horizontal, and the shank comes down to the floor: solve
 * shoulder_y + (trunk + thigh) sin phi + shank sin(phi - K) = ankle_h.
 * Needs pl->knee. */
static void plan_glute_bridge(struct plan *pl)
{
    const double deg = FC_RAD_PER_DEG;
    const struct body *b = &pl->b;
    double H = b->H;
    pl->shoulder = v2(0, 0.045 * H);
    double lo = 0, hi = 85 * deg;
    for (int i = 0; i < 200; i++) {
        double mid = 0.5 * (lo + hi);
        double y = pl->shoulder.y + (b->trunk + b->thigh) * sin(mid) +
                   b->shank * sin(mid - pl->knee) - b->ankle_h;
        if (y < 0)
            lo = mid;
        else
            hi = mid;
    }
    pl->phi_top = 0.5 * (lo + hi);
    struct vec2 knee = add(pl->shoulder, v2((b->trunk + b->thigh) * cos(pl->phi_top),
                                            (b->trunk + b->thigh) * sin(pl->phi_top)));
    pl->ankle[0] = pl->ankle[1] = add(
        knee, v2(b->shank * cos(pl->phi_top - pl->knee), b->shank * sin(pl->phi_top - pl->knee)));
    pl->psi_rest = asin((0.05 * H - pl->shoulder.y) / b->trunk);
}

/* What stays fixed over a session: the body, the peak angles and faults in
 * radians, and where the feet stand, with the exercise's own set-up. */
static int plan_make(const struct fc_synth_params *p, struct plan *pl, struct fc_error *err)
{
    memset(pl, 0, sizeof *pl);
    const double deg = FC_RAD_PER_DEG;
    const struct fc_synth_faults *f = &p->faults;
    pl->b = body_of(p->subject_height_px);
    const struct body *b = &pl->b;
    double H = b->H;
    pl->ex = p->exercise;
    pl->knee = (f->knee_flexion_deg != 0 ? f->knee_flexion_deg
                                         : fc_synth_normal_knee_flexion_deg(p->exercise)) *
               deg;
    pl->lean = (f->trunk_forward_lean_deg >= 0 ? f->trunk_forward_lean_deg
                                               : fc_synth_normal_trunk_lean_deg(p->exercise)) *
               deg;
    /* Shin lean from the knee travel when given (travel = 100 sin a with the
     * ankle for the toe), else a fixed share of the knee flexion. */
    pl->shin = f->knee_travel_pct != 0 ? asin(f->knee_travel_pct / 100) : 0.4 * pl->knee;
    pl->thigh = pl->knee - pl->shin;
    if (pl->thigh < 0)
        return fc_error_set(err, FC_ERR_ARG,
                            "synth: knee travel %g %% needs a shin lean of %.1f deg, more than "
                            "the knee flexion of %.1f deg",
                            f->knee_travel_pct, pl->shin / deg, pl->knee / deg);
    pl->obliquity = f->pelvic_obliquity_deg * deg;
    pl->hip_drop = f->hip_drop_deg * deg;
    pl->fppa[0] = f->fppa_deg[0] * deg;
    pl->fppa[1] = f->fppa_deg[1] * deg;
    pl->lean_lat = f->trunk_lean_lateral_deg * deg;
    pl->shift_px = f->lateral_shift_pct / 100 * b->hip_w;
    pl->arm_forward = f->arm_forward_deg * deg;
    pl->ankle_sep = fc_exercise_bilateral_squat(p->exercise) ? 0.24 * H
                    : p->exercise == FC_EXERCISE_GAIT        ? 0.15 * H
                                                             : b->hip_w;
    pl->ankle[0] = pl->ankle[1] = v2(0, b->ankle_h);

    switch (p->exercise) {
    case FC_EXERCISE_LUNGE: plan_lunge(pl); break;
    case FC_EXERCISE_STEP_UP: plan_step_up(pl); break;
    case FC_EXERCISE_GLUTE_BRIDGE: plan_glute_bridge(pl); break;
    default: break;
    }
    return 0;
}

/* ------------------------------------------------------------ views */

/* The knee in a front view: on the image triangle hip-knee-ankle whose angle
 * at the knee is 180 - fppa (FPPA as in Willson & Davis 2008: 180 minus the
 * hip-knee-ankle angle, so this is exact), with the thigh:shank ratio the
 * sagittal pose projects to. Valgus (fppa > 0) puts the knee on the side of
 * the hip-ankle line towards the body's midline: smaller x for the left leg. */
static struct vec2 knee_front(struct vec2 hip, struct vec2 ankle, double thigh_px, double shank_px,
                              double fppa, int side)
{
    double dx = hip.x - ankle.x, dy = hip.y - ankle.y, d = hypot(dx, dy);
    if (d < 1e-9 * (thigh_px + shank_px))
        return hip;
    double r = thigh_px / shank_px;
    double ps = d / sqrt(r * r + 1 + 2 * r * cos(fppa)); /* law of cosines, knee angle 180-fppa */
    double al = atan2(r * sin(fppa), 1 + r * cos(fppa)); /* angle at the ankle */
    struct vec2 e = v2(dx / d, dy / d);
    /* Counter-clockwise turns an upward line towards smaller x. */
    double turn = side == FC_SIDE_LEFT ? al : -al;
    if (e.y < 0)
        turn = -turn;
    struct vec2 k = rotate(e, turn);
    return v2(ankle.x + ps * k.x, ankle.y + ps * k.y);
}

/* Lateral offsets (subject's left +) of the upper-body joints in the trunk's
 * frame, in H: the eyes, ears and shoulders from Winter's widths, elbows and
 * wrists just outside the shoulders. */
static double upper_lateral(int j, double shoulder_w)
{
    double sign = joint_side(j) == FC_SIDE_LEFT ? 1 : -1;
    switch (j) {
    case FC_JOINT_LEFT_EYE:
    case FC_JOINT_RIGHT_EYE: return sign * 0.032;
    case FC_JOINT_LEFT_EAR:
    case FC_JOINT_RIGHT_EAR: return sign * 0.068;
    case FC_JOINT_LEFT_SHOULDER:
    case FC_JOINT_RIGHT_SHOULDER: return sign * shoulder_w / 2;
    case FC_JOINT_LEFT_ELBOW:
    case FC_JOINT_RIGHT_ELBOW: return sign * (shoulder_w / 2 + 0.015);
    case FC_JOINT_LEFT_WRIST:
    case FC_JOINT_RIGHT_WRIST: return sign * (shoulder_w / 2 + 0.010);
    default: return 0;
    }
}

/* Front view, x = the subject's left (image right), y up, body midline at 0
 * while standing. s scales the frontal faults like every other one. */
static void view_front(const struct plan *pl, const struct pose *q, double s,
                       struct vec2 out[N_JOINTS])
{
    const struct body *b = &pl->b;
    double theta = s * pl->obliquity;
    if (q->stance >= 0)
        theta += s * (q->stance == FC_SIDE_LEFT ? pl->hip_drop : -pl->hip_drop);
    double lean = s * pl->lean_lat;
    /* Both hips share one sagittal position: the pelvis centre. */
    double hip_y = q->p[FC_JOINT_LEFT_HIP].y;
    struct vec2 mid = v2(s * pl->shift_px, hip_y);
    struct vec2 half = v2(0.5 * b->hip_w * cos(theta), 0.5 * b->hip_w * sin(theta));
    out[FC_JOINT_LEFT_HIP] = add(mid, half);
    out[FC_JOINT_RIGHT_HIP] = v2(mid.x - half.x, mid.y - half.y);
    for (int side = 0; side < 2; side++) {
        double lat = side == FC_SIDE_LEFT ? 0.5 * pl->ankle_sep : -0.5 * pl->ankle_sep;
        struct vec2 ankle = v2(lat, q->p[J_ANKLE[side]].y);
        struct vec2 hip = out[J_HIP[side]];
        double knee_y = q->p[J_KNEE[side]].y;
        out[J_ANKLE[side]] = ankle;
        if (pl->ex == FC_EXERCISE_GLUTE_BRIDGE) {
            /* Supine: the knees point at the ceiling, between hip and foot. */
            out[J_KNEE[side]] = v2(0.5 * (hip.x + ankle.x), knee_y);
            continue;
        }
        /* Projected segment lengths: the sagittal heights (cos of the
         * segment's angle from vertical), never quite zero. */
        double t = fmax(hip_y - knee_y, 0.05 * b->thigh);
        double sh = fmax(knee_y - q->p[J_ANKLE[side]].y, 0.05 * b->shank);
        out[J_KNEE[side]] = knee_front(hip, ankle, t, sh, s * pl->fppa[side], side);
    }
    /* The trunk keeps its projected height and leans about the mid-hip;
     * head and arms ride along in the trunk's frame. */
    struct vec2 ms_sag = q->p[FC_JOINT_LEFT_SHOULDER];
    double tp = ms_sag.y - hip_y;
    struct vec2 ms = v2(mid.x + tp * sin(lean), mid.y + tp * cos(lean));
    for (int j = 0; j < FC_JOINT_LEFT_HIP; j++) {
        struct vec2 rel = v2(upper_lateral(j, b->shoulder_w / b->H) * b->H, q->p[j].y - ms_sag.y);
        out[j] = add(ms, rotate(rel, -lean));
    }
}

/* Side view, x = image right, y up: the sagittal pose mirrored when the
 * subject faces left; far-side joints shifted a little back and up. */
static void view_side(const struct plan *pl, const struct pose *q, int facing_right,
                      struct vec2 out[N_JOINTS])
{
    double dir = facing_right ? 1 : -1;
    int far = facing_right ? FC_SIDE_LEFT : FC_SIDE_RIGHT;
    double off = 0.004 * pl->b.H;
    for (int j = 0; j < N_JOINTS; j++) {
        out[j] = v2(dir * q->p[j].x, q->p[j].y);
        if (joint_side(j) == far)
            out[j] = add(out[j], v2(-dir * off, off));
    }
}

static void frame_motion(const struct fc_synth_params *p, size_t i, double *s, int *rep)
{
    double t = (double)i / p->rate_hz;
    *s = 0;
    *rep = -1;
    double tau = t - p->standing_s, cycle = p->rep_s + p->pause_s;
    if (tau < 0)
        return;
    double k = floor(tau / cycle);
    if (k >= p->reps)
        return;
    double in = tau - k * cycle;
    if (in >= p->rep_s || in < 0)
        return;
    double sp = sin(FC_PI * in / p->rep_s);
    *s = sp * sp;
    *rep = (int)k;
}

/* Unrotated image-plane figure of frame i (x right, y up, origin arbitrary). */
static void frame_figure(const struct fc_synth_params *p, const struct plan *pl, size_t i,
                         struct vec2 out[N_JOINTS])
{
    double s;
    int rep;
    struct pose q;
    frame_motion(p, i, &s, &rep);
    pose_at(pl, s, rep, &q);
    if (p->view == FC_VIEW_FRONT)
        view_front(pl, &q, s, out);
    else
        view_side(pl, &q, p->facing_right, out);
}

/* ------------------------------------------------------------ camera */

/* xorshift64* (Vigna 2016) seeded through splitmix64, so that nearby seeds
 * give unrelated streams; no rand(), identical on every platform. */
struct rng {
    uint64_t s;
};

static uint64_t splitmix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

static struct rng rng_seed(unsigned seed, uint64_t stream)
{
    struct rng r = {splitmix64(((uint64_t)seed << 8) ^ stream)};
    if (r.s == 0)
        r.s = 0x9E3779B97F4A7C15ull;
    return r;
}

static uint64_t rng_next(struct rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * 0x2545F4914F6CDD1Dull;
}

/* Uniform in [0, 1). */
static double rng_uniform(struct rng *r)
{
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* Standard normal, Box-Muller. */
static double rng_gauss(struct rng *r)
{
    double u1 = 1.0 - rng_uniform(r); /* (0, 1]: log is finite */
    double u2 = rng_uniform(r);
    return sqrt(-2.0 * log(u1)) * cos(2.0 * FC_PI * u2);
}

int fc_synth_generate(const struct fc_synth_params *p, struct fc_pose_track *out,
                      struct fc_error *err)
{
    fc_pose_track_init(out, FC_SKELETON_COCO17, FC_UNITS_PIXELS, 2);
    if (!p)
        return fc_error_set(err, FC_ERR_ARG, "synth: no parameters given");
    int rc = fc_synth_check(p, err);
    if (rc < 0)
        return rc;
    struct plan pl;
    if ((rc = plan_make(p, &pl, err)) < 0)
        return rc;
    size_t n = fc_synth_frame_count(p);
    struct vec2 fig[N_JOINTS];

    /* One placement for the whole track, as a fixed camera would have:
     * the bounding box of every frame centred in the image (y up here). */
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        frame_figure(p, &pl, i, fig);
        for (int j = 0; j < N_JOINTS; j++) {
            x0 = fmin(x0, fig[j].x);
            x1 = fmax(x1, fig[j].x);
            y0 = fmin(y0, fig[j].y);
            y1 = fmax(y1, fig[j].y);
        }
    }
    const char *ex = fc_exercise_name(p->exercise), *view = fc_view_name(p->view);
    if (x1 - x0 > p->width - 1 || y1 - y0 > p->height - 1)
        return fc_error_set(err, FC_ERR_ARG,
                            "synth: a %s (%s view) by a subject %g px tall needs %.0f x %.0f px; "
                            "the image is %d x %d (make the subject smaller or the image "
                            "larger)",
                            ex, view, p->subject_height_px, ceil(x1 - x0) + 1, ceil(y1 - y0) + 1,
                            p->width, p->height);
    double cx = 0.5 * (p->width - 1), cy = 0.5 * (p->height - 1);
    double ox = cx - 0.5 * (x0 + x1), oy = cy + 0.5 * (y0 + y1);
    double roll = p->camera_roll_deg * FC_RAD_PER_DEG, cr = cos(roll), sr = sin(roll);

    out->width = p->width;
    out->height = p->height;
    out->rate_hz = p->rate_hz;
    out->time_from_source = 1;
    /* Separate streams so that turning noise on leaves the drops alone and
     * the reverse; every sample draws the same numbers whatever is enabled. */
    struct rng noise = rng_seed(p->seed, 0x6E6F697365ull), drops = rng_seed(p->seed, 0x64726F70ull);
    for (size_t i = 0; i < n; i++) {
        struct fc_keypoints *k = fc_pose_track_push(out, err);
        if (!k) {
            fc_pose_track_free(out);
            return FC_ERR_NOMEM;
        }
        k->t_s = (double)i / p->rate_hz;
        frame_figure(p, &pl, i, fig);
        for (int j = 0; j < N_JOINTS; j++) {
            /* Image coordinates (y down), then the roll: counter-clockwise as
             * seen in the image, about its centre. */
            double dx = ox + fig[j].x - cx, dy = oy - fig[j].y - cy;
            double x = cx + cr * dx + sr * dy, y = cy - sr * dx + cr * dy;
            if (!(x >= 0 && x <= p->width - 1 && y >= 0 && y <= p->height - 1)) {
                double t_s = k->t_s; /* k dies with the track */
                fc_pose_track_free(out);
                return fc_error_set(err, FC_ERR_ARG,
                                    "synth: with %g deg of camera roll the %s of a %s (%s view) "
                                    "leaves the %d x %d image at t = %.2f s (less roll, a "
                                    "smaller subject or a larger image)",
                                    p->camera_roll_deg, fc_joint_name(j), ex, view, p->width,
                                    p->height, t_s);
            }
            double nx = rng_gauss(&noise) * p->noise_px, ny = rng_gauss(&noise) * p->noise_px;
            double u = rng_uniform(&drops);
            if (u < p->drop_fraction)
                continue; /* stays missing: score 0, NaN */
            float score = 0.9f;
            if (p->view == FC_VIEW_SIDE &&
                joint_side(j) == (p->facing_right ? FC_SIDE_LEFT : FC_SIDE_RIGHT))
                score = 0.6f;
            fc_keypoints_set(k, j, (float)(x + nx), (float)(y + ny), NAN, score);
        }
    }
    return 0;
}
