#include "analysis/gait.h"

#include "analysis/pelvis.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Walking steps come every 0.4-0.7 s and each foot's events once a stride
 * (about 1 s); 0.35 s keeps a foot's successive events apart without
 * merging real ones even in fast walking (cadence 170). */
static const double default_min_step_s = 0.35;
/* The heel swings some 300 mm either side of the sacrum in walking; 40 mm
 * is well above marker noise and well below a step. */
static const double default_min_prominence_mm = 40.0;

struct fc_gait_params fc_gait_default_params(void)
{
    return (struct fc_gait_params){default_min_step_s, default_min_prominence_mm};
}

void fc_gait_free(struct fc_gait *g)
{
    if (!g)
        return;
    free(g->events);
    g->events = NULL;
    g->n_events = 0;
}

static int event_cmp(const void *a, const void *b)
{
    const struct fc_gait_event *x = a, *y = b;
    return (x->frame > y->frame) - (x->frame < y->frame);
}

/* Local maxima of y that are the largest within +-half frames and stand
 * prominence above the lowest value there. Appends them to ev. */
static int find_peaks(const double *y, size_t n, size_t half, double prominence, enum fc_side side,
                      enum fc_gait_event_kind kind, const double *t_s, struct fc_gait_event **ev,
                      size_t *n_ev, size_t *cap)
{
    for (size_t i = 1; i + 1 < n; i++) {
        if (!isfinite(y[i]) || !isfinite(y[i - 1]) || !isfinite(y[i + 1]) ||
            !(y[i] > y[i - 1] && y[i] >= y[i + 1]))
            continue;
        size_t lo = i > half ? i - half : 0, hi = i + half < n ? i + half : n - 1;
        double low = y[i];
        int is_max = 1;
        for (size_t k = lo; k <= hi && is_max; k++) {
            if (!isfinite(y[k]))
                continue;
            if (y[k] > y[i] || (y[k] == y[i] && k < i))
                is_max = 0;
            low = fmin(low, y[k]);
        }
        if (!is_max || y[i] - low < prominence)
            continue;
        if (*n_ev == *cap) {
            size_t nc = *cap ? *cap * 2 : 32;
            struct fc_gait_event *ne = realloc(*ev, nc * sizeof *ne);
            if (!ne)
                return -1;
            *ev = ne;
            *cap = nc;
        }
        (*ev)[(*n_ev)++] = (struct fc_gait_event){side, kind, i, t_s[i]};
    }
    return 0;
}

static double median(double *v, size_t n)
{
    if (n == 0)
        return NAN;
    for (size_t i = 1; i < n; i++) /* insertion sort: n is a few dozen */
        for (size_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
            double t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

void fc_gait_compare(const struct fc_gait_event *det, size_t nd, const struct fc_gait_event *ref,
                     size_t nr, double tol, struct fc_gait_match *out)
{
    double *abs_err = malloc((nr ? nr : 1) * sizeof *abs_err);
    double *signed_err = malloc((nr ? nr : 1) * sizeof *signed_err);
    memset(out, 0, sizeof *out);
    out->reference = (long)nr;
    out->median_abs_frames = out->median_signed_frames = out->max_abs_frames = NAN;
    if (!abs_err || !signed_err)
        goto done;
    size_t m = 0;
    for (size_t i = 0; i < nr; i++) {
        double best = INFINITY, best_signed = 0;
        for (size_t j = 0; j < nd; j++) {
            if (det[j].side != ref[i].side || det[j].kind != ref[i].kind)
                continue;
            double d = (double)det[j].frame - (double)ref[i].frame;
            if (fabs(d) < best)
                best = fabs(d), best_signed = d;
        }
        if (best <= tol) {
            abs_err[m] = best;
            signed_err[m] = best_signed;
            out->max_abs_frames = m ? fmax(out->max_abs_frames, best) : best;
            m++;
        }
    }
    out->matched = (long)m;
    out->median_abs_frames = median(abs_err, m);
    out->median_signed_frames = median(signed_err, m);
done:
    free(abs_err);
    free(signed_err);
}

/* The next event of side and kind after frame (strictly), before limit;
 * -1 if none. */
static long next_event(const struct fc_gait_event *ev, size_t n, enum fc_side side,
                       enum fc_gait_event_kind kind, size_t after, size_t limit)
{
    for (size_t i = 0; i < n; i++)
        if (ev[i].side == side && ev[i].kind == kind && ev[i].frame > after && ev[i].frame < limit)
            return (long)ev[i].frame;
    return -1;
}

/* The last event of side and kind before frame; -1 if none. */
static long prev_event(const struct fc_gait_event *ev, size_t n, enum fc_side side,
                       enum fc_gait_event_kind kind, size_t before)
{
    long found = -1;
    for (size_t i = 0; i < n; i++)
        if (ev[i].side == side && ev[i].kind == kind && ev[i].frame < before)
            found = (long)ev[i].frame;
    return found;
}

static double sym_index(double l, double r)
{
    if (!isfinite(l) || !isfinite(r) || l + r == 0.0)
        return NAN;
    return 100.0 * fabs(l - r) / (0.5 * (l + r));
}

struct sums {
    double v[8];
    int n[8];
};

static void add(struct sums *s, int k, double v)
{
    if (isfinite(v))
        s->v[k] += v, s->n[k]++;
}

static double mean_of(const struct sums *s, int k)
{
    return s->n[k] ? s->v[k] / s->n[k] : NAN;
}

enum { S_STRIDE_T, S_STRIDE_L, S_STEP_T, S_STEP_L, S_STANCE, S_SINGLE, S_DOUBLE };

void fc_gait_parameters(const struct fc_gait_event *ev, size_t n, const double *heel_fwd_mm[2],
                        double rate_hz, struct fc_gait *out)
{
    long steps = 0;
    long first_strike = -1, last_strike = -1;
    double speed_sum = 0;
    int speed_n = 0;
    for (int s = 0; s < 2; s++) {
        enum fc_side me = (enum fc_side)s, other = (enum fc_side)(1 - s);
        const double *heel = heel_fwd_mm[s], *heel_o = heel_fwd_mm[1 - s];
        struct sums sum;
        memset(&sum, 0, sizeof sum);
        int strides = 0;
        for (size_t i = 0; i < n; i++) {
            if (ev[i].side != me || ev[i].kind != FC_GAIT_FOOT_STRIKE)
                continue;
            size_t fs = ev[i].frame;
            steps++;
            first_strike = first_strike < 0 || (long)fs < first_strike ? (long)fs : first_strike;
            last_strike = (long)fs > last_strike ? (long)fs : last_strike;
            /* the step that ends here: from the other foot's last strike */
            long fs_o_prev = prev_event(ev, n, other, FC_GAIT_FOOT_STRIKE, fs);
            if (fs_o_prev >= 0)
                add(&sum, S_STEP_T, (double)(fs - (size_t)fs_o_prev) / rate_hz);
            if (heel && heel_o)
                add(&sum, S_STEP_L, heel[fs] - heel_o[fs]);
            long fs2 = next_event(ev, n, me, FC_GAIT_FOOT_STRIKE, fs, (size_t)-1);
            if (fs2 < 0)
                continue;
            double stride = (double)((size_t)fs2 - fs);
            strides++;
            add(&sum, S_STRIDE_T, stride / rate_hz);
            if (heel) {
                double len = fabs(heel[fs2] - heel[fs]);
                add(&sum, S_STRIDE_L, len);
                if (isfinite(len))
                    speed_sum += len / 1000.0 / (stride / rate_hz), speed_n++;
            }
            /* within the stride: other foot off, other foot strike, own off */
            long fo_o = next_event(ev, n, other, FC_GAIT_FOOT_OFF, fs, (size_t)fs2);
            long fs_o =
                fo_o >= 0 ? next_event(ev, n, other, FC_GAIT_FOOT_STRIKE, (size_t)fo_o, (size_t)fs2)
                          : -1;
            long fo =
                fs_o >= 0 ? next_event(ev, n, me, FC_GAIT_FOOT_OFF, (size_t)fs_o, (size_t)fs2) : -1;
            if (fo < 0)
                continue;
            add(&sum, S_STANCE, 100.0 * (double)((size_t)fo - fs) / stride);
            add(&sum, S_SINGLE, 100.0 * (double)(fs_o - fo_o) / stride);
            add(&sum, S_DOUBLE,
                100.0 * (double)(((size_t)fo_o - fs) + ((size_t)fo - (size_t)fs_o)) / stride);
        }
        out->side[s] = (struct fc_gait_side){
            .strides = strides,
            .stride_time_s = mean_of(&sum, S_STRIDE_T),
            .stride_length_mm = mean_of(&sum, S_STRIDE_L),
            .step_time_s = mean_of(&sum, S_STEP_T),
            .step_length_mm = mean_of(&sum, S_STEP_L),
            .stance_pct = mean_of(&sum, S_STANCE),
            .single_support_pct = mean_of(&sum, S_SINGLE),
            .double_support_pct = mean_of(&sum, S_DOUBLE),
        };
    }
    out->cadence_steps_per_min =
        steps >= 2 && last_strike > first_strike
            ? 60.0 * (double)(steps - 1) / ((double)(last_strike - first_strike) / rate_hz)
            : NAN;
    out->speed_m_s = speed_n ? speed_sum / speed_n : NAN;
    const struct fc_gait_side *L = &out->side[0], *R = &out->side[1];
    out->step_length_asym_pct = sym_index(L->step_length_mm, R->step_length_mm);
    out->step_time_asym_pct = sym_index(L->step_time_s, R->step_time_s);
    out->single_support_asym_pct = sym_index(L->single_support_pct, R->single_support_pct);
    out->stance_asym_pct = sym_index(L->stance_pct, R->stance_pct);
}

static int joint_xyz(const struct fc_keypoints *k, enum fc_joint j, double out[3])
{
    if (!(k->score[j] > 0.0f)) {
        out[0] = out[1] = out[2] = NAN;
        return 0;
    }
    out[0] = k->x[j], out[1] = k->y[j], out[2] = k->z[j];
    return isfinite(out[0]) && isfinite(out[1]) && isfinite(out[2]);
}

/* The pelvis of each frame: the sacrum (mid-PSIS, or SACR) into sacrum
 * and the progression frame into P. < 0 when no frame has a pelvis. */
static int pelvis_pass(const struct fc_pose_track *t, double *sacrum, double P[9],
                       struct fc_error *err)
{
    size_t n = t->n_frames;
    double *origin = malloc(n * 3 * sizeof *origin), *xs = malloc(n * 3 * sizeof *xs);
    double *zs = malloc(n * 3 * sizeof *zs);
    int rc = 0;
    long valid = 0;
    if (!origin || !xs || !zs) {
        rc = fc_error_set(err, FC_ERR_NOMEM, "out of memory for %zu frames", n);
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        const struct fc_keypoints *k = &t->frames[i];
        double la[3], ra[3], lp[3], rp[3], sa[3], R[9];
        joint_xyz(k, FC_JOINT_LEFT_ASIS, la);
        joint_xyz(k, FC_JOINT_RIGHT_ASIS, ra);
        int psis = joint_xyz(k, FC_JOINT_LEFT_PSIS, lp) & joint_xyz(k, FC_JOINT_RIGHT_PSIS, rp);
        int sac = joint_xyz(k, FC_JOINT_SACRUM, sa);
        for (int c = 0; c < 3; c++)
            sacrum[3 * i + c] = psis ? 0.5 * (lp[c] + rp[c]) : sac ? sa[c] : NAN;
        int ok = fc_pelvis_frame(la, ra, lp, rp, sa, R) == 0;
        for (int c = 0; c < 3; c++) {
            origin[3 * i + c] = ok ? 0.5 * (la[c] + ra[c]) : NAN;
            xs[3 * i + c] = ok ? R[c * 3 + 0] : NAN;
            zs[3 * i + c] = ok ? R[c * 3 + 2] : NAN;
        }
        valid += ok;
    }
    double up[3];
    if (valid == 0)
        rc = fc_error_set(err, FC_ERR_EMPTY, "no frame has the pelvis markers");
    else if ((rc = fc_lab_up_axis(zs, n, up, err)) == 0)
        rc = fc_progression_frame(origin, xs, n, up, P, err);
done:
    free(origin);
    free(xs);
    free(zs);
    return rc;
}

/* One foot's signals along the progression fwd: the heel ahead of the
 * sacrum, minus the toe ahead of it (so that toe off is a maximum too), and
 * the heel's own position. Returns the frames with both markers. */
static long foot_signals(const struct fc_pose_track *t, enum fc_side s, const double *sacrum,
                         const double fwd[3], double *heel, double *toe, double *heel_abs)
{
    const enum fc_joint hj = s == FC_SIDE_LEFT ? FC_JOINT_LEFT_HEEL : FC_JOINT_RIGHT_HEEL;
    const enum fc_joint tj = s == FC_SIDE_LEFT ? FC_JOINT_LEFT_BIG_TOE : FC_JOINT_RIGHT_BIG_TOE;
    long seen = 0;
    for (size_t i = 0; i < t->n_frames; i++) {
        double h[3], to[3];
        int hv = joint_xyz(&t->frames[i], hj, h), tv = joint_xyz(&t->frames[i], tj, to);
        const double *sc = sacrum + 3 * i;
        heel_abs[i] = hv ? h[0] * fwd[0] + h[1] * fwd[1] + h[2] * fwd[2] : NAN;
        heel[i] =
            hv ? (h[0] - sc[0]) * fwd[0] + (h[1] - sc[1]) * fwd[1] + (h[2] - sc[2]) * fwd[2] : NAN;
        toe[i] =
            tv ? -((to[0] - sc[0]) * fwd[0] + (to[1] - sc[1]) * fwd[1] + (to[2] - sc[2]) * fwd[2])
               : NAN;
        seen += hv && tv;
    }
    return seen;
}

int fc_gait_from_track(const struct fc_pose_track *t, const struct fc_gait_params *p,
                       struct fc_gait *out, struct fc_error *err)
{
    int rc = 0;
    memset(out, 0, sizeof *out);
    struct fc_gait_params gp = p ? *p : fc_gait_default_params();
    size_t n = t->n_frames;
    if (t->dims != 3 || t->units != FC_UNITS_MM)
        return fc_error_set(err, FC_ERR_UNSUPPORTED, "gait events need 3-D markers in mm");
    if (n < 3 || !(t->rate_hz > 0))
        return fc_error_set(err, FC_ERR_EMPTY, "gait events need a rate and at least 3 frames");
    double *sacrum = malloc(n * 3 * sizeof *sacrum);
    double *sig = malloc(n * 6 * sizeof *sig), *ts = malloc(n * sizeof *ts);
    size_t cap = 0;
    if (!sacrum || !sig || !ts) {
        rc = fc_error_set(err, FC_ERR_NOMEM, "out of memory for %zu frames", n);
        goto done;
    }
    double P[9];
    if ((rc = pelvis_pass(t, sacrum, P, err)) < 0)
        goto done;
    for (size_t i = 0; i < n; i++)
        ts[i] = t->frames[i].t_s;
    const double fwd[3] = {P[0], P[3], P[6]};
    /* sig: [side][heel, toe, heel absolute] per frame */
    int feet = 0;
    size_t half = (size_t)lround(gp.min_step_s * t->rate_hz);
    for (int s = 0; s < 2; s++) {
        double *heel = sig + (size_t)s * 3 * n, *toe = heel + n, *heel_abs = toe + n;
        feet += foot_signals(t, (enum fc_side)s, sacrum, fwd, heel, toe, heel_abs) > 0;
        if (find_peaks(heel, n, half, gp.min_prominence_mm, (enum fc_side)s, FC_GAIT_FOOT_STRIKE,
                       ts, &out->events, &out->n_events, &cap) < 0 ||
            find_peaks(toe, n, half, gp.min_prominence_mm, (enum fc_side)s, FC_GAIT_FOOT_OFF, ts,
                       &out->events, &out->n_events, &cap) < 0) {
            rc = fc_error_set(err, FC_ERR_NOMEM, "out of memory for gait events");
            goto done;
        }
    }
    if (feet == 0) {
        rc = fc_error_set(err, FC_ERR_EMPTY, "no heel and toe markers (LHEE/LTOE, L_FCC/L_FM1)");
        goto done;
    }
    if (out->n_events)
        qsort(out->events, out->n_events, sizeof *out->events, event_cmp);
    const double *heels[2] = {sig + 2 * n, sig + 3 * n + 2 * n};
    fc_gait_parameters(out->events, out->n_events, heels, t->rate_hz, out);
done:
    free(sacrum);
    free(sig);
    free(ts);
    if (rc < 0)
        fc_gait_free(out);
    return rc;
}

/* Horizontal distance (the two lab axes other than the vertical one the
 * plate's corners share) from joint j to the plate's centre; INFINITY when
 * the joint is missing. */
static double distance_to_plate(const struct fc_keypoints *k, enum fc_joint j, const double c[6])
{
    double p[3];
    if (!joint_xyz(k, j, p))
        return INFINITY;
    double d0 = p[0] - c[0], d1 = p[1] - c[1], d2 = p[2] - c[2];
    /* a plate lies in the floor: drop the axis its corners do not span */
    return sqrt(d0 * d0 + d1 * d1 + d2 * d2 -
                (c[3 + 0] * d0 + c[3 + 1] * d1 + c[3 + 2] * d2) *
                    (c[3 + 0] * d0 + c[3 + 1] * d1 + c[3 + 2] * d2));
}

int fc_gait_plate_events(const struct fc_gait_plate *pl, const struct fc_pose_track *t,
                         double threshold_n, struct fc_gait_event **ev, size_t *n,
                         struct fc_error *err)
{
    if (!pl->fz_n || pl->samples_per_frame <= 0 || !t || t->n_frames == 0)
        return 0;
    /* centre and the floor's normal (from two edges), packed as c[0..5] */
    double c[6] = {0, 0, 0, 0, 0, 0}, e1[3], e2[3];
    for (int k = 0; k < 4; k++)
        for (int a = 0; a < 3; a++)
            c[a] += pl->corners_mm[k][a] / 4.0;
    for (int a = 0; a < 3; a++) {
        e1[a] = pl->corners_mm[1][a] - pl->corners_mm[0][a];
        e2[a] = pl->corners_mm[2][a] - pl->corners_mm[1][a];
    }
    c[3] = e1[1] * e2[2] - e1[2] * e2[1];
    c[4] = e1[2] * e2[0] - e1[0] * e2[2];
    c[5] = e1[0] * e2[1] - e1[1] * e2[0];
    double nn = sqrt(c[3] * c[3] + c[4] * c[4] + c[5] * c[5]);
    if (!(nn > 0))
        return 0;
    for (int a = 3; a < 6; a++)
        c[a] /= nn;
    int added = 0, loaded = 0;
    for (size_t i = 0; i < pl->n_samples; i++) {
        double f = fabs((double)pl->fz_n[i * pl->stride]);
        if (!isfinite(f))
            continue;
        int now = f > threshold_n;
        if (now == loaded)
            continue;
        loaded = now;
        size_t frame = (size_t)lround((double)i / pl->samples_per_frame);
        if (frame >= t->n_frames)
            frame = t->n_frames - 1;
        const struct fc_keypoints *k = &t->frames[frame];
        enum fc_joint lj = now ? FC_JOINT_LEFT_HEEL : FC_JOINT_LEFT_BIG_TOE;
        enum fc_joint rj = now ? FC_JOINT_RIGHT_HEEL : FC_JOINT_RIGHT_BIG_TOE;
        double dl = distance_to_plate(k, lj, c), dr = distance_to_plate(k, rj, c);
        if (!isfinite(dl) && !isfinite(dr))
            continue;
        struct fc_gait_event *ne = realloc(*ev, (*n + 1) * sizeof *ne);
        if (!ne)
            return fc_error_set(err, FC_ERR_NOMEM, "out of memory for plate events");
        *ev = ne;
        ne[(*n)++] =
            (struct fc_gait_event){dl <= dr ? FC_SIDE_LEFT : FC_SIDE_RIGHT,
                                   now ? FC_GAIT_FOOT_STRIKE : FC_GAIT_FOOT_OFF, frame, k->t_s};
        added++;
    }
    return added;
}
