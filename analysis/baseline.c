/* formcheck: the standing baseline (analysis/baseline.h). */
#include "analysis/baseline.h"

#include <math.h>
#include <string.h>

#include "analysis/posture.h"
#include "analysis/skeleton.h"

void fc_body_ref_init(struct fc_body_ref *r, enum fc_view user_view)
{
    memset(r, 0, sizeof *r);
    r->view = user_view;
    r->view_detected = FC_VIEW_AUTO;
    r->near_side = FC_SIDE_LEFT;
    r->yaw_deg = NAN;
    r->yaw_from_face = 0;
}

void fc_baseline_init(struct fc_baseline *b, double baseline_min_s)
{
    b->min_s = baseline_min_s;
    b->n = 0;
    b->t0 = b->movement_t = b->last_t = 0;
    b->started = b->moving_run = b->movement_seen = 0;
    memset(b->sum_x, 0, sizeof b->sum_x);
    memset(b->sum_y, 0, sizeof b->sum_y);
    memset(b->cnt, 0, sizeof b->cnt);
    b->score[0] = b->score[1] = 0;
}

/* ---- collection ------------------------------------------------------- */

int fc_baseline_store(struct fc_baseline *b, const struct fc_keypoints *k, uint32_t seen)
{
    if (b->n >= BASE_CAP)
        return 0;
    size_t i = b->n++;
    for (int j = 0; j < FC_COCO17_COUNT; j++) {
        int ok = (seen >> j) & 1;
        b->x[j][i] = ok ? k->x[j] : NAN;
        b->y[j][i] = ok ? k->y[j] : NAN;
    }
    for (int s = 0; s < 2; s++)
        b->score[s] += (double)k->score[hip_j[s]] + k->score[knee_j[s]] + k->score[ank_j[s]];
    return 1;
}

/* 1 when a key joint is away from its running mean by MOVE_FRAC torso. */
static int moved(const struct fc_baseline *b, const struct fc_keypoints *k, uint32_t seen)
{
    double tx = 0, ty = 0;
    int nt = 0;
    for (int s = 0; s < 2; s++)
        for (int q = 0; q < 2; q++) {
            int j = q ? hip_j[s] : sh_j[s];
            if (!b->cnt[j])
                continue;
            double mx = b->sum_x[j] / b->cnt[j], my = b->sum_y[j] / b->cnt[j];
            tx += q ? -mx : mx;
            ty += q ? -my : my;
            nt++;
        }
    if (nt != 4 || b->n < BASE_MIN_FRAMES)
        return 0;
    float torso = (float)(0.5 * sqrt(tx * tx + ty * ty));
    float lim = MOVE_FRAC * torso;
    int any = 0;
    for (int i = 0; i < 8; i++) {
        int j = body_joints[i];
        if (!(seen & BIT(j)) || b->cnt[j] < BASE_MIN_FRAMES)
            continue;
        float dx = k->x[j] - (float)(b->sum_x[j] / b->cnt[j]);
        float dy = k->y[j] - (float)(b->sum_y[j] / b->cnt[j]);
        if (dx * dx + dy * dy > lim * lim)
            any = 1;
    }
    return any;
}

/* After the first movement: lock now, and on what. */
static enum fc_baseline_verdict after_movement(const struct fc_baseline *b, double elapsed)
{
    if (b->movement_t - b->t0 >= b->min_s && b->n >= BASE_MIN_FRAMES)
        return FC_BASELINE_STILL;
    /* It never stood still long enough: the first half second anyway. */
    if (elapsed >= fmax(BASE_FALLBACK_S, b->min_s) && b->n >= BASE_MIN_FRAMES)
        return FC_BASELINE_FALLBACK;
    if (b->n < BASE_MIN_FRAMES && elapsed >= BASE_FALLBACK_S)
        return FC_BASELINE_FALLBACK;
    return FC_BASELINE_COLLECTING;
}

enum fc_baseline_verdict fc_baseline_push(struct fc_baseline *b, const struct fc_keypoints *k,
                                          uint32_t seen)
{
    const uint32_t body =
        BIT(LS) | BIT(RS) | BIT(LH) | BIT(RH) | BIT(LK) | BIT(RK) | BIT(LA) | BIT(RA);
    if (!b->started) {
        if (!(seen & body))
            return FC_BASELINE_COLLECTING;
        b->started = 1;
        b->t0 = k->t_s;
    }
    double elapsed = k->t_s - b->t0;
    b->moving_run = moved(b, k, seen) ? b->moving_run + 1 : 0;
    if (b->moving_run >= MOVE_FRAMES && !b->movement_seen) {
        b->movement_seen = 1;
        b->movement_t = k->t_s;
    }
    if (b->movement_seen) {
        enum fc_baseline_verdict v = after_movement(b, elapsed);
        if (v != FC_BASELINE_COLLECTING)
            return v;
    }
    /* Still (or too early to tell): store the frame. */
    if (b->n < BASE_CAP) {
        b->last_t = k->t_s;
        if (!b->movement_seen)
            for (int j = 0; j < FC_COCO17_COUNT; j++)
                if ((seen >> j) & 1) {
                    b->sum_x[j] += k->x[j];
                    b->sum_y[j] += k->y[j];
                    b->cnt[j]++;
                }
        fc_baseline_store(b, k, seen);
    }
    if (!b->movement_seen && (elapsed >= BASE_MAX_S || b->n >= BASE_CAP) && elapsed >= b->min_s)
        return FC_BASELINE_STILL;
    return FC_BASELINE_COLLECTING;
}

double fc_baseline_frame_step(const struct fc_baseline *b)
{
    return b->n > 1 ? (b->last_t - b->t0) / (double)(b->n - 1) : 0;
}

/* ---- the lock: medians ------------------------------------------------- */

/* A median skeleton of the stored frames. The median is taken of each
 * joint's position relative to the frame's mid-hip (plus the median
 * mid-hip), so that the skeleton stays one body even when the frames come
 * from a subject walking across the picture. */
static void median_skeleton(struct fc_baseline *b, struct vec *P)
{
    /* The mid-hip of every stored frame, NaN where no hip was seen. */
    float *hx = b->scratch_hx, *hy = b->scratch_hy;
    for (size_t i = 0; i < b->n; i++) {
        float lx = b->x[LH][i], ly = b->y[LH][i];
        float rx = b->x[RH][i], ry = b->y[RH][i];
        int l = !isnan(lx), r = !isnan(rx);
        hx[i] = l && r ? 0.5f * (lx + rx) : l ? lx : r ? rx : NAN;
        hy[i] = l && r ? 0.5f * (ly + ry) : l ? ly : r ? ry : NAN;
    }
    struct vec mh = {fc_median_seen(hx, b->n, b->scratch), fc_median_seen(hy, b->n, b->scratch)};
    for (int j = 0; j < FC_COCO17_COUNT; j++) {
        if (vseen(mh)) {
            for (size_t i = 0; i < b->n; i++) {
                b->scratch_rx[i] = b->x[j][i] - hx[i];
                b->scratch_ry[i] = b->y[j][i] - hy[i];
            }
            P[j].x = mh.x + fc_median_seen(b->scratch_rx, b->n, b->scratch);
            P[j].y = mh.y + fc_median_seen(b->scratch_ry, b->n, b->scratch);
        } else {
            P[j].x = fc_median_seen(b->x[j], b->n, b->scratch);
            P[j].y = fc_median_seen(b->y[j], b->n, b->scratch);
        }
        if (isnan(P[j].x) || isnan(P[j].y))
            P[j].x = P[j].y = NAN;
    }
}

/* ---- the lock: axes ---------------------------------------------------- */

/* The body vertical: mid-ankle -> mid-shoulder standing with the feet side
 * by side. In a split stance (lunge, a foot on a step) the mid-ankle is not
 * under the body, and the trunk (mid-hip -> mid-shoulder) stands in
 * (*trunk_axis = 1). */
static struct vec body_axis(const struct vec *P, int *trunk_axis)
{
    struct vec msh = pair_mid(P, LS, RS), mhip = pair_mid(P, LH, RH), mank = pair_mid(P, LA, RA);
    struct vec axis = vsub(msh, mank);
    *trunk_axis = 0;
    if (vseen(P[LA]) && vseen(P[RA]) && vlen(axis) > 0) {
        struct vec feet = vsub(P[LA], P[RA]);
        struct vec n = {-axis.y / vlen(axis), axis.x / vlen(axis)};
        float leg = 0.5f * (vlen(vsub(P[LH], P[LA])) + vlen(vsub(P[RH], P[RA])));
        float along = fabsf(vdot(feet, axis)) / vlen(axis), across = fabsf(vdot(feet, n));
        float from_vertical = fabsf(ang((struct vec){0, -1}, axis));
        int side_on = !(vlen(vsub(P[LS], P[RS])) > SIDE_ON_SHOULDER_FRAC * vlen(vsub(msh, mhip)));
        if (from_vertical <= LYING_MIN_DEG && leg > 0 &&
            (along > SPLIT_STEP * leg || (side_on && across > SPLIT_STANCE * leg))) {
            axis = vsub(msh, mhip);
            *trunk_axis = 1;
        }
    }
    return axis;
}

/* Up (U) from the body axis; lying (bridge), the shoulder-ankle line lies
 * along the floor and up is its normal. Returns the axis length (0: no
 * axis, up is the image's). */
static float lock_up(struct fc_body_ref *r, struct vec axis)
{
    struct vec up = {0, -1};
    float axis_len = vlen(axis);
    r->lying = 0;
    if (axis_len > 0) {
        struct vec b = {axis.x / axis_len, axis.y / axis_len};
        float from_vertical = fabsf(ang(up, b));
        if (from_vertical > LYING_MIN_DEG) {
            r->lying = 1;
            struct vec n = {-b.y, b.x};
            if (n.y > 0)
                n = (struct vec){-n.x, -n.y};
            r->U = n;
        } else {
            r->U = b;
        }
    } else {
        r->U = up;
    }
    return axis_len;
}

/* ---- the lock: view ---------------------------------------------------- */

/* View confidence of a ratio r and face turn yaw (NaN: not seen) once the
 * view is detected. */
static float view_confidence(enum fc_view v, float r, float yaw)
{
    float conf;
    if (v == FC_VIEW_FRONT) {
        conf = 0.5f + 0.5f * fminf(1.0f, (r - VIEW_FRONT_MIN) / VIEW_CONF_FRONT_SPAN);
        if (!isnan(yaw)) /* the face nearly as turned as an oblique view: less sure */
            conf = fminf(
                conf, 0.5f + 0.5f * fminf(1.0f, (VIEW_NOSE_OBLIQUE - yaw) / VIEW_CONF_NOSE_SPAN));
    } else if (v == FC_VIEW_SIDE) {
        /* Near side (the face turned, the ratio up to VIEW_NEAR_SIDE_MAX):
         * 0.5 at that limit, rising to 1 at a true profile. */
        float lim = r > VIEW_SIDE_MAX ? VIEW_NEAR_SIDE_MAX : VIEW_SIDE_MAX;
        float span = r > VIEW_SIDE_MAX ? VIEW_NEAR_SIDE_MAX - 0.05f : VIEW_CONF_SIDE_SPAN;
        conf = 0.5f + 0.5f * fminf(1.0f, (lim - r) / span);
    } else {
        float margin = r >= VIEW_FRONT_MIN ? yaw - VIEW_NOSE_OBLIQUE
                                           : fminf(r - VIEW_SIDE_MAX, VIEW_FRONT_MIN - r);
        conf = 0.5f * fminf(1.0f, margin / VIEW_CONF_OBLIQUE_SPAN) + 0.5f;
    }
    return conf;
}

/* Both wrists seen well above their shoulders (AUTO_ARMS_UP_TORSO). */
static int arms_up(const struct vec *P, struct vec U, float torso)
{
    for (int s = 0; s < 2; s++)
        if (!vseen(P[wrist_j[s]]) || !vseen(P[sh_j[s]]) ||
            !wrist_overhead(P[wrist_j[s]], P[sh_j[s]], U, torso))
            return 0;
    return 1;
}

/* The face's yaw (FACE_BREADTH_OVER_DEPTH), 0-90 deg; NaN unless the nose
 * and both ears are seen. */
static float face_yaw_deg(const struct vec *P)
{
    struct vec le = P[FC_JOINT_LEFT_EAR], re = P[FC_JOINT_RIGHT_EAR], n = P[FC_JOINT_NOSE];
    if (!vseen(le) || !vseen(re) || !vseen(n))
        return NAN;
    struct vec e = vsub(le, re);
    float sep = vlen(e);
    if (!(sep > 0))
        return NAN;
    struct vec mid = {0.5f * (le.x + re.x), 0.5f * (le.y + re.y)};
    float off = fabsf(vdot(vsub(n, mid), e)) / sep;
    return atanf(FACE_BREADTH_OVER_DEPTH * off / sep) * DEG;
}

/* The view from shoulder width / torso and the face's turn. */
static void lock_view(struct fc_body_ref *ref, const struct vec *P, enum fc_view user_view)
{
    struct vec msh = pair_mid(P, LS, RS), mhip = pair_mid(P, LH, RH);
    float torso = vlen(vsub(msh, mhip));
    float r = NAN;
    if (vseen(P[LS]) && vseen(P[RS]) && torso > 0)
        r = vlen(vsub(P[LS], P[RS])) / torso;
    else if (vseen(P[LH]) && vseen(P[RH]) && torso > 0)
        r = HIP_TO_SHOULDER_RATIO * vlen(vsub(P[LH], P[RH])) / torso;
    ref->sh_ratio = r;
    /* The face's turn: the nose's offset along the shoulder line. */
    float yaw = NAN;
    if (vseen(P[FC_JOINT_NOSE]) && vseen(P[LS]) && vseen(P[RS])) {
        struct vec sh = vsub(P[LS], P[RS]);
        float w = vlen(sh);
        if (w > 0)
            yaw = fabsf(vdot(vsub(P[FC_JOINT_NOSE], msh), sh)) / (w * w);
    }
    /* The hip line as a second width: with both hips seen, a near-side view
     * needs it narrow too (a shoulder line drawn in by the arms overhead is
     * no turned body), unless the ears say the face itself is turned past
     * FACE_YAW_MAX_DEG. Pelvis widths differ between people by as much as
     * the turn from 30 to 40 deg off the side changes them (adults' pelvis
     * breadth over torso length: 0.89-1.16 of the median, 5th-95th
     * percentile, ANSUR II; one UI-PRMD subject's hip line is 1.3 times the
     * others' and reads a body 30 deg off the side as 37), where the face
     * does not depend on the pelvis. */
    float rh = vseen(P[LH]) && vseen(P[RH]) && torso > 0
                   ? HIP_TO_SHOULDER_RATIO * vlen(vsub(P[LH], P[RH])) / torso
                   : NAN;
    float face = face_yaw_deg(P);
    int near_side = r <= VIEW_NEAR_SIDE_MAX && yaw > VIEW_NOSE_OBLIQUE &&
                    (!(rh > VIEW_NEAR_SIDE_MAX) || face >= FACE_YAW_MAX_DEG);
    /* Arms held up overhead draw the shoulder keypoints up and in: a body
     * facing the camera shows a narrow shoulder line, its hip line says
     * whether it faces the camera. */
    float w = arms_up(P, ref->U, torso) && rh > r ? rh : r;
    ref->yaw_deg = acosf(fminf(1.0f, w / VIEW_SQUARE_RATIO)) * DEG;
    ref->yaw_from_face = !(ref->yaw_deg >= FACE_YAW_MAX_DEG) && face < FACE_YAW_MAX_DEG;
    if (ref->yaw_from_face)
        ref->yaw_deg = face;
    int face_front = ref->yaw_from_face && ref->yaw_deg <= VIEW_FRONT_FACE_MAX_DEG;
    if (isnan(r))
        ref->view_detected = FC_VIEW_AUTO;
    else if (w >= VIEW_FRONT_MIN && !(yaw > VIEW_NOSE_OBLIQUE))
        ref->view_detected = FC_VIEW_FRONT;
    else if (face_front)
        ref->view_detected = FC_VIEW_FRONT; /* narrow shoulders, a face that says front */
    else if (r <= VIEW_SIDE_MAX || near_side)
        ref->view_detected = FC_VIEW_SIDE;
    else
        ref->view_detected = FC_VIEW_OBLIQUE;
    ref->view_conf = isnan(r) ? 0
                              : view_confidence(ref->view_detected,
                                                ref->view_detected == FC_VIEW_FRONT ? w : r, yaw);
    if (ref->view_detected == FC_VIEW_FRONT && face_front &&
        !(w >= VIEW_FRONT_MIN && !(yaw > VIEW_NOSE_OBLIQUE)))
        ref->view_conf =
            0.5f + 0.5f * (VIEW_FRONT_FACE_MAX_DEG - ref->yaw_deg) / VIEW_FRONT_FACE_MAX_DEG;
    if (user_view == FC_VIEW_AUTO)
        ref->view = ref->view_detected == FC_VIEW_AUTO ? FC_VIEW_OBLIQUE : ref->view_detected;
    else
        ref->view = user_view;
}

/* ---- the lock: roll ---------------------------------------------------- */

/* Roll: the angle from the image vertical to the body vertical, positive
 * counter-clockwise on screen (as import/synth.h rolls). Only an upright
 * (or lying) body gives it, and only within ROLL_MAX_DEG: a body leaning in
 * a held squat or a camera looking down on a subject near the frame's edge
 * would otherwise turn every angle by tens of degrees. Otherwise the camera
 * is taken as level (U is the image's up) and the report says so. */
static void lock_roll(struct fc_body_ref *r, int trunk_axis)
{
    /* Unless seen from the front, the trunk of a split stance leans forward
     * as much as a camera ever rolls. */
    float roll_max =
        trunk_axis && r->view_detected != FC_VIEW_FRONT ? ROLL_MAX_TRUNK_DEG : ROLL_MAX_DEG;
    r->roll_assumed = !(fabsf(r->roll_estimate_deg) <= roll_max) || !(r->lying || r->ref_upright);
    if (r->roll_assumed) {
        r->U = (struct vec){0, -1};
        r->roll_deg = 0;
    } else {
        r->roll_deg = r->roll_estimate_deg;
    }
}

/* ---- the lock: lengths ------------------------------------------------- */

/* The hip line (L), widths, lengths and standing heights along U. */
static void lock_lengths(struct fc_body_ref *r, const struct vec *P)
{
    struct vec msh = pair_mid(P, LS, RS), mhip = pair_mid(P, LH, RH), mank = pair_mid(P, LA, RA);
    struct vec H = {-r->U.y, r->U.x}; /* horizontal, to the right of up on screen */
    if (vseen(P[LH]) && vseen(P[RH])) {
        struct vec h = vsub(P[LH], P[RH]);
        r->hip_w = vlen(h);
        r->L = r->hip_w > 0 ? (struct vec){h.x / r->hip_w, h.y / r->hip_w} : H;
    } else {
        r->hip_w = NAN;
        r->L = H;
    }
    r->torso = vlen(vsub(msh, mhip));
    float legs = 0;
    int nl = 0;
    for (int s = 0; s < 2; s++) {
        float l = vlen(vsub(P[hip_j[s]], P[ank_j[s]]));
        if (!isnan(l)) {
            legs += l;
            nl++;
        }
        r->shank[s] = vlen(vsub(P[knee_j[s]], P[ank_j[s]]));
        r->thigh[s] = vlen(vsub(P[hip_j[s]], P[knee_j[s]]));
        r->h0_hip[s] = vdot(P[hip_j[s]], r->U);
        r->h0_ankle[s] = vdot(P[ank_j[s]], r->U);
    }
    r->leg = nl ? legs / nl : NAN;
    if (!(r->leg > 0))
        r->leg = NAN;
    r->h0_midhip = vdot(mhip, r->U);
    r->off0_lat = vdot(vsub(mhip, mank), r->L);
    r->ank_sep0 = vseen(P[LA]) && vseen(P[RA]) ? fabsf(vdot(vsub(P[LA], P[RA]), H)) : 0;
    /* A step-up that begins with one foot on the step: that is the lead. */
    r->lead_fixed = -1;
    if (!isnan(r->h0_ankle[0]) && !isnan(r->h0_ankle[1]) &&
        fabsf(r->h0_ankle[0] - r->h0_ankle[1]) > SPLIT_STEP * r->leg)
        r->lead_fixed = r->h0_ankle[0] > r->h0_ankle[1] ? FC_SIDE_LEFT : FC_SIDE_RIGHT;
}

/* ---- the lock: facing -------------------------------------------------- */

/* Facing: the nose ahead of the ears (else of the shoulders), else the
 * toes ahead of the heels. Anterior = the way the face points. Then the
 * signs that orient the angles, and the standing hip flexion. */
static void lock_facing(struct fc_body_ref *r, const struct vec *P)
{
    struct vec msh = pair_mid(P, LS, RS), mhip = pair_mid(P, LH, RH), mank = pair_mid(P, LA, RA);
    struct vec H = {-r->U.y, r->U.x};
    struct vec cue = {NAN, NAN};
    struct vec ears = pair_mid(P, FC_JOINT_LEFT_EAR, FC_JOINT_RIGHT_EAR);
    if (vseen(P[FC_JOINT_NOSE]) && vseen(ears))
        cue = vsub(P[FC_JOINT_NOSE], ears);
    else if (vseen(P[FC_JOINT_NOSE]) && vseen(msh))
        cue = vsub(P[FC_JOINT_NOSE], msh);
    r->facing_known = vseen(cue) && vlen(cue) > 0;
    if (r->lying) {
        /* Supine: the face points up unless the cue clearly says down. */
        r->A = (r->facing_known && vdot(cue, r->U) < 0) ? (struct vec){-r->U.x, -r->U.y} : r->U;
        /* "Forward" for the absolute sagittal angles: towards the feet. */
        struct vec to_feet = vsub(mank, msh);
        r->F = vdot(to_feet, H) >= 0 ? H : (struct vec){-H.x, -H.y};
    } else {
        float f = r->facing_known ? vdot(cue, H) : 1.0f;
        r->F = f >= 0 ? H : (struct vec){-H.x, -H.y};
        r->A = r->F;
    }
    r->s_lu = sgnf(vcross(r->L, r->U));
    r->s_uf = sgnf(vcross(r->U, r->F));
    struct vec body_down = vsub(mhip, msh);
    if (!(vlen(body_down) > 0))
        body_down = (struct vec){-r->U.x, -r->U.y};
    r->s_flex = sgnf(vcross(body_down, r->A));
    for (int s = 0; s < 2; s++) {
        struct vec sh = vseen(P[sh_j[s]]) ? P[sh_j[s]] : msh;
        r->hipflex0[s] = ang(vsub(P[hip_j[s]], sh), vsub(P[knee_j[s]], P[hip_j[s]])) * r->s_flex;
    }
}

/* The near leg: better seen in the baseline; tied, the side facing the
 * camera. A subject facing image-right shows the right side: with the
 * camera looking into the picture and up out of its top, the left side
 * (up x forward) points away from the camera. */
static int near_side(const struct fc_baseline *b, const struct fc_body_ref *r)
{
    if (fabs(b->score[0] - b->score[1]) > NEAR_SCORE_MARGIN * (double)b->n)
        return b->score[0] > b->score[1] ? FC_SIDE_LEFT : FC_SIDE_RIGHT;
    return r->F.x >= 0 ? FC_SIDE_RIGHT : FC_SIDE_LEFT;
}

void fc_baseline_lock(struct fc_baseline *b, enum fc_view user_view, struct fc_body_ref *r)
{
    struct vec P[FC_COCO17_COUNT];
    median_skeleton(b, P);
    int trunk_axis;
    float axis_len = lock_up(r, body_axis(P, &trunk_axis));
    r->ref_upright = fc_skeleton_upright(P);
    r->ref_height = fc_reference_height(P, r->lying);
    r->roll_estimate_deg = axis_len > 0 ? -ang((struct vec){0, -1}, r->U) : NAN;
    lock_view(r, P, user_view);
    lock_roll(r, trunk_axis);
    lock_lengths(r, P);
    lock_facing(r, P);
    r->near_side = near_side(b, r);
}
