/* The HTML report: one self-contained page (inline CSS and SVG, nothing
 * fetched from anywhere), so it can be mailed or archived as one file. */
#include "report/mocap.h"
#include "report/report.h"
#include "report/screen.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/outfile.h"
#include "report/evidence.h"
#include "report/json.h"

/* Points per plot at most: longer series are cut into buckets and each
 * bucket keeps its minimum and maximum, so peaks survive decimation. */
#define MAX_POINTS 2000

/* Plot geometry (SVG user units). */
#define PLOT_W 960.0
#define PLOT_H 250.0
#define M_LEFT 64.0
#define M_RIGHT 118.0
#define M_TOP 22.0
#define M_BOTTOM 36.0
/* The plot area inside those margins. */
#define PLOT_X0 M_LEFT
#define PLOT_X1 (PLOT_W - M_RIGHT)
#define PLOT_Y0 M_TOP
#define PLOT_Y1 (PLOT_H - M_BOTTOM)

static void esc(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*s, f);
        }
    }
}

static const char *side_name(int side)
{
    return fc_json_side(side) ? fc_json_side(side) : "-";
}

static const char *band_class(const char *band)
{
    if (!band)
        return "none";
    if (strcmp(band, "good") == 0)
        return "good";
    if (strcmp(band, "fair") == 0)
        return "fair";
    if (strcmp(band, "needs work") == 0)
        return "work";
    if (strcmp(band, "poor") == 0)
        return "poor";
    return "none";
}

static const char css[] =
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;"
    "color:#1d2430;background:#f6f7f9;margin:0}\n"
    "main{max-width:1040px;margin:0 auto;padding:24px 28px 40px;background:#fff}\n"
    "h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 10px;"
    "border-bottom:1px solid #e3e6ea;padding-bottom:4px}\n"
    ".sub{color:#5b6573;margin:0}\n"
    "header{display:flex;justify-content:space-between;align-items:center;gap:20px}\n"
    ".badge{min-width:128px;text-align:center;border-radius:12px;padding:10px 16px;color:#fff}\n"
    ".badge .score{display:block;font-size:38px;font-weight:700;line-height:1.1}\n"
    ".badge .band{font-size:15px;text-transform:uppercase;letter-spacing:.06em}\n"
    ".b-good{background:#2e7d32}.b-fair{background:#b7860b}.b-work{background:#e65100}"
    ".b-poor{background:#c62828}.b-none{background:#6b7280}\n"
    ".caveat{margin:18px 0 0;padding:10px 14px;border-left:5px solid #e0a100;"
    "background:#fff7e0;border-radius:4px}\n"
    "ol.findings{padding-left:22px}ol.findings li{margin:0 0 6px}\n"
    "h3{font-size:15px;margin:18px 0 8px}ul.causes li{margin:0 0 12px}"
    ".try{color:#1b5e20}\n"
    ".sev{display:inline-block;font-size:12px;font-weight:700;text-transform:uppercase;"
    "padding:1px 7px;border-radius:9px;margin-right:6px;color:#fff}\n"
    ".sev.fault{background:#c62828}.sev.watch{background:#b7860b}\n"
    ".src{color:#5b6573;font-size:13px}\n"
    "table{border-collapse:collapse;font-size:14px}th,td{padding:3px 10px;text-align:right;"
    "border-bottom:1px solid #eceef1}th{background:#f1f3f5}td.l,th.l{text-align:left}\n"
    "figure{margin:14px 0 22px}figcaption{font-weight:600;margin-bottom:2px}\n"
    "figcaption .name{font-weight:400;color:#5b6573;font-size:13px}\n"
    "svg.plot{width:100%;height:auto;max-width:960px;display:block}\n"
    "svg.plot text{font-size:11px;fill:#4a5260;font-family:inherit}\n"
    ".frame{fill:#fbfcfd;stroke:#c9ced6}.grid{stroke:#e6e9ee}.zero{stroke:#aab1bc}\n"
    ".rep{fill:#dbe8f7;opacity:.7}.replabel{fill:#3f5f86!important;font-weight:600}\n"
    ".series{fill:none;stroke:#1f5fbf;stroke-width:1.6;stroke-linejoin:round;"
    "stroke-linecap:round}\n"
    ".lvl{stroke-width:1.3;stroke-dasharray:7 5}.lvl.watch{stroke:#c58f00}"
    ".lvl.fault{stroke:#c62828}\n"
    ".lvlt.watch{fill:#8a6500!important}.lvlt.fault{fill:#b71c1c!important}\n"
    ".mark{stroke:#fff;stroke-width:1.2}.mark.fault{fill:#c62828}.mark.watch{fill:#c58f00}\n"
    ".ubar{stroke-width:1.5}.ubar.fault{stroke:#c62828}.ubar.watch{stroke:#c58f00}\n"
    ".nodata{font-size:14px!important}\n"
    "footer{margin-top:32px;font-size:13px;color:#3d4552}footer li{margin-bottom:8px}\n"
    ".basis{color:#5b6573}\n"
    ".evidence{display:flex;flex-wrap:wrap;gap:16px}\n"
    ".evidence figure{margin:0;width:300px;border:1px solid #e3e6ea;border-radius:6px;"
    "padding:8px;background:#fbfcfd}\n"
    ".evidence img,.evidence svg.stick{width:100%;height:auto;display:block;border-radius:4px}\n"
    ".evidence figcaption{font-weight:400;font-size:13px;margin:6px 0 0}\n"
    ".evidence .val{font-weight:700}.evidence .how{color:#5b6573}\n"
    "table.screen td{vertical-align:top}.st-seen{color:#c62828;font-weight:700}"
    ".st-ok{color:#2e7d32;font-weight:700}.st-nm{color:#6b7280}\n";

/* 1, 2 or 5 times a power of ten, about range/n. */
static double nice_step(double range, int n)
{
    double raw = range / n;
    double p = pow(10.0, floor(log10(raw)));
    double m = raw / p;
    return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

struct axes {
    double t0, t1, y0, y1;
};

static double px_x(const struct axes *ax, double t)
{
    return M_LEFT + (t - ax->t0) / (ax->t1 - ax->t0) * (PLOT_W - M_LEFT - M_RIGHT);
}

static double px_y(const struct axes *ax, double v)
{
    return PLOT_H - M_BOTTOM - (v - ax->y0) / (ax->y1 - ax->y0) * (PLOT_H - M_TOP - M_BOTTOM);
}

/* The threshold lines a metric's plot shows: each level once. */
struct level_line {
    double v;
    int fault;
    char label[40];
};

/* The unloaded leg of a single-leg squat: its metrics are shown but not
 * graded, so they get no threshold lines. -2 when there is none. */
static int free_side(enum fc_exercise e)
{
    return e == FC_EXERCISE_SINGLE_LEG_SQUAT_LEFT    ? FC_SIDE_RIGHT
           : e == FC_EXERCISE_SINGLE_LEG_SQUAT_RIGHT ? FC_SIDE_LEFT
                                                     : -2;
}

static int collect_levels(const struct fc_report *r, int m, struct level_line *out, int cap)
{
    int n = 0;
    if (fc_metric_info(m)->side == free_side(r->analysis->exercise))
        return 0;
    for (size_t k = 0; r->thresholds && k < r->thresholds->n; k++) {
        const struct fc_threshold *t = &r->thresholds->t[k];
        if ((int)t->metric != m || t->measure == FC_MEASURE_ASYMMETRY ||
            !fc_threshold_applies(t, r->analysis->exercise))
            continue;
        double lv[2] = {t->watch, t->fault_level};
        for (int j = 0; j < 2; j++)
            for (int s = 0; s < (t->direction == 0 && lv[j] != 0 ? 2 : 1); s++) {
                double v = s ? -lv[j] : lv[j];
                int dup = 0;
                for (int i = 0; i < n; i++)
                    dup |= out[i].v == v;
                if (dup || n == cap)
                    continue;
                out[n].v = v;
                out[n].fault = j;
                if (t->direction == 0)
                    snprintf(out[n].label, sizeof out[n].label, "%s %s%g", j ? "fault" : "watch",
                             s ? "\u2212" : "+", lv[j]);
                else
                    snprintf(out[n].label, sizeof out[n].label, "%s %g", j ? "fault" : "watch", v);
                n++;
            }
    }
    return n;
}

struct series_writer {
    FILE *f;
    const struct axes *ax;
    int open, pts;
    double last_x, last_y;
};

static void sw_point(struct series_writer *w, double t, double v)
{
    double x = px_x(w->ax, t), y = px_y(w->ax, v);
    if (!w->open) {
        fputs("<polyline class=\"series\" points=\"", w->f);
        w->open = 1;
        w->pts = 0;
    }
    fprintf(w->f, "%s%.1f,%.1f", w->pts ? " " : "", x, y);
    w->pts++;
    w->last_x = x;
    w->last_y = y;
}

/* A gap ends the line: values are never joined across a missing frame. */
static void sw_break(struct series_writer *w)
{
    if (!w->open)
        return;
    if (w->pts == 1) /* a lone sample: a zero-length segment shows as a dot */
        fprintf(w->f, " %.1f,%.1f", w->last_x, w->last_y);
    fputs("\"/>\n", w->f);
    w->open = 0;
}

static void plot_series(FILE *f, const struct fc_report *r, int m, const struct axes *ax)
{
    size_t n = r->n_frames;
    size_t bucket = n <= MAX_POINTS ? 1 : (n + MAX_POINTS / 2 - 1) / (MAX_POINTS / 2);
    struct series_writer w = {.f = f, .ax = ax};
    size_t cur = (size_t)-1, imin = 0, imax = 0;
    int have = 0;
    for (size_t i = 0; i <= n; i++) {
        int end = i == n;
        double v = end ? NAN : r->frames[i].value[m];
        int boundary = end || !isfinite(v) || i / bucket != cur;
        if (boundary && have) {
            /* flush the bucket's run: its min and max, in time order */
            size_t a = imin < imax ? imin : imax, b = imin < imax ? imax : imin;
            sw_point(&w, r->frames[a].t_s, r->frames[a].value[m]);
            if (b != a)
                sw_point(&w, r->frames[b].t_s, r->frames[b].value[m]);
            have = 0;
        }
        if (end || !isfinite(v)) {
            sw_break(&w);
            continue;
        }
        cur = i / bucket;
        if (!have) {
            imin = imax = i;
            have = 1;
        } else {
            if (v < r->frames[imin].value[m])
                imin = i;
            if (v > r->frames[imax].value[m])
                imax = i;
        }
    }
    sw_break(&w);
}

/* The axes of metric m's plot: the session's time, and the values with zero
 * and every level line in view. Returns 0 when the metric has no value. */
static int plot_axes(const struct fc_report *r, int m, const struct level_line *lv, int nl,
                     struct axes *ax)
{
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; r->frames && i < r->n_frames; i++) {
        double v = r->frames[i].value[m];
        if (isfinite(v)) {
            lo = fmin(lo, v);
            hi = fmax(hi, v);
        }
    }
    *ax = (struct axes){0, 1, -1, 1};
    if (r->n_frames > 0) {
        ax->t0 = r->frames[0].t_s;
        ax->t1 = r->frames[r->n_frames - 1].t_s;
    }
    if (!(ax->t1 > ax->t0))
        ax->t1 = ax->t0 + 1.0;
    if (!isfinite(lo))
        return 0;
    lo = fmin(lo, 0.0); /* zero is the reference for every metric */
    hi = fmax(hi, 0.0);
    for (int i = 0; i < nl; i++) {
        lo = fmin(lo, lv[i].v);
        hi = fmax(hi, lv[i].v);
    }
    double pad = (hi - lo) * 0.08;
    if (!(pad > 0))
        pad = 1.0;
    ax->y0 = lo - pad;
    ax->y1 = hi + pad;
    return 1;
}

/* The reps as shaded bands, numbered from 1. */
static void plot_reps(FILE *f, const struct fc_analysis *a, const struct axes *ax)
{
    for (size_t i = 0; a->reps && i < a->n_reps_detailed; i++) {
        const struct fc_rep *rep = &a->reps[i];
        if (!isfinite(rep->t_start_s) || !isfinite(rep->t_end_s))
            continue;
        double xa = fmax(PLOT_X0, px_x(ax, rep->t_start_s));
        double xb = fmin(PLOT_X1, px_x(ax, rep->t_end_s));
        if (xb <= xa)
            continue;
        fprintf(f,
                "<rect class=\"rep\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>"
                "<text class=\"replabel\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%d</text>\n",
                xa, PLOT_Y0, xb - xa, PLOT_Y1 - PLOT_Y0, (xa + xb) / 2, PLOT_Y0 - 6,
                rep->index + 1);
    }
}

/* The value grid with its unit, and the time ticks. */
static void plot_grid(FILE *f, const char *unit, const struct axes *ax)
{
    double ys = nice_step(ax->y1 - ax->y0, 5);
    for (double v = ceil(ax->y0 / ys) * ys; v <= ax->y1 + 1e-9; v += ys) {
        double y = px_y(ax, v);
        double shown = fabs(v) < ys * 1e-6 ? 0.0 : v;
        fprintf(f,
                "<line class=\"%s\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>"
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n",
                shown == 0.0 ? "zero" : "grid", PLOT_X0, PLOT_X1, y, y, PLOT_X0 - 6, y + 4, shown);
    }
    fprintf(f,
            "<text x=\"14\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 14 %.1f)\">"
            "%s</text>\n",
            (PLOT_Y0 + PLOT_Y1) / 2, (PLOT_Y0 + PLOT_Y1) / 2, unit);
    double ts = nice_step(ax->t1 - ax->t0, 8);
    for (double t = ceil(ax->t0 / ts) * ts; t <= ax->t1 + 1e-9; t += ts) {
        double x = px_x(ax, t);
        fprintf(f,
                "<line class=\"grid\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>"
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%g</text>\n",
                x, x, PLOT_Y1, PLOT_Y1 + 4, x, PLOT_Y1 + 16, fabs(t) < ts * 1e-6 ? 0.0 : t);
    }
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">time (s)</text>\n",
            (PLOT_X0 + PLOT_X1) / 2, PLOT_H - 4);
}

/* The threshold levels: dashed lines, their labels in the right margin
 * kept at least a text line apart. */
static void plot_levels(FILE *f, const char *unit, const struct level_line *lv, int nl,
                        const struct axes *ax)
{
    double label_y[16];
    int order[16];
    for (int i = 0; i < nl; i++) {
        order[i] = i;
        label_y[i] = px_y(ax, lv[i].v) + 4;
    }
    for (int i = 1; i < nl; i++) /* sort by y, then push apart */
        for (int j = i; j > 0 && label_y[order[j]] < label_y[order[j - 1]]; j--) {
            int tmp = order[j];
            order[j] = order[j - 1];
            order[j - 1] = tmp;
        }
    for (int i = 1; i < nl; i++)
        if (label_y[order[i]] < label_y[order[i - 1]] + 12)
            label_y[order[i]] = label_y[order[i - 1]] + 12;
    for (int i = 0; i < nl; i++) {
        double y = px_y(ax, lv[i].v);
        const char *cls = lv[i].fault ? "fault" : "watch";
        fprintf(f,
                "<line class=\"lvl %s\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>"
                "<text class=\"lvlt %s\" x=\"%.1f\" y=\"%.1f\">",
                cls, PLOT_X0, PLOT_X1, y, y, cls, PLOT_X1 + 6, label_y[i]);
        esc(f, lv[i].label);
        fprintf(f, " %s</text>\n", unit);
    }
}

/* Each rep finding on metric m, marked at its peak, with a bar of +- its
 * uncertainty (kept inside the plot). */
static void plot_findings(FILE *f, const struct fc_grade *g, int m, const struct axes *ax)
{
    for (size_t i = 0; g && i < g->n_findings; i++) {
        const struct fc_finding *fd = &g->findings[i];
        if ((int)fd->threshold->metric != m || fd->rep < 0 || !isfinite(fd->t_s) ||
            fd->threshold->measure != FC_MEASURE_REP_PEAK)
            continue;
        const char *cls = fd->severity == FC_SEVERITY_FAULT ? "fault" : "watch";
        double u = fd->uncertainty;
        if (isfinite(u) && u > 0) {
            double lo = fmax(fd->magnitude - u, ax->y0), hi = fmin(fd->magnitude + u, ax->y1);
            fprintf(f,
                    "<line class=\"ubar %s\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
                    "y2=\"%.1f\"/>\n",
                    cls, px_x(ax, fd->t_s), px_x(ax, fd->t_s), px_y(ax, lo), px_y(ax, hi));
        }
        fprintf(f, "<circle class=\"mark %s\" cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\"><title>", cls,
                px_x(ax, fd->t_s), px_y(ax, fd->magnitude));
        esc(f, fd->message);
        fputs("</title></circle>\n", f);
    }
}

static void plot_metric(FILE *f, const struct fc_report *r, int m)
{
    const struct fc_metric_info *mi = fc_metric_info(m);
    struct level_line lv[16];
    int nl = collect_levels(r, m, lv, 16);
    struct axes ax;
    int has_data = plot_axes(r, m, lv, nl, &ax);

    fprintf(f, "<figure id=\"plot-%s\"><figcaption>", mi->name);
    esc(f, mi->label);
    fprintf(f, " <span class=\"name\">(%s, %s)</span></figcaption>\n", mi->name, mi->unit);
    fprintf(f,
            "<svg class=\"plot\" viewBox=\"0 0 %.0f %.0f\" "
            "role=\"img\" aria-label=\"",
            PLOT_W, PLOT_H);
    esc(f, mi->label);
    fputs(" over time\">\n", f);
    fprintf(f, "<rect class=\"frame\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>\n",
            PLOT_X0, PLOT_Y0, PLOT_X1 - PLOT_X0, PLOT_Y1 - PLOT_Y0);
    plot_reps(f, r->analysis, &ax);
    if (!has_data) {
        fprintf(f,
                "<text class=\"nodata\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">no values "
                "in this recording (the joints it needs were not seen)</text>\n</svg></figure>\n",
                (PLOT_X0 + PLOT_X1) / 2, (PLOT_Y0 + PLOT_Y1) / 2);
        return;
    }
    plot_grid(f, mi->unit, &ax);
    plot_levels(f, mi->unit, lv, nl, &ax);
    plot_series(f, r, m, &ax);
    plot_findings(f, r->grade, m, &ax);
    fputs("</svg></figure>\n", f);
}

/* RFC 4648 base64, for the stills' data: URIs. */
static void base64(FILE *f, const uint8_t *p, size_t n)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) |
                     (i + 2 < n ? p[i + 2] : 0);
        fputc(abc[v >> 18 & 63], f);
        fputc(abc[v >> 12 & 63], f);
        fputc(i + 1 < n ? abc[v >> 6 & 63] : '=', f);
        fputc(i + 2 < n ? abc[v & 63] : '=', f);
    }
}

/* What the lines of a metric's evidence are, for the caption. */
static const char *evidence_how(enum fc_metric m)
{
    switch (m) {
    case FC_M_KNEE_FPPA_LEFT:
    case FC_M_KNEE_FPPA_RIGHT:
        return "hip-knee-ankle; dashed: the thigh line continued, the angle from it to the shank";
    case FC_M_KNEE_FLEXION_LEFT:
    case FC_M_KNEE_FLEXION_RIGHT: return "hip-knee-ankle; dashed: the thigh line continued";
    case FC_M_HIP_FLEXION_LEFT:
    case FC_M_HIP_FLEXION_RIGHT:
    case FC_M_PELVIC_TILT_PROXY: return "shoulder-hip-knee; dashed: the trunk line continued";
    case FC_M_PELVIC_OBLIQUITY:
    case FC_M_HIP_DROP:
        return "the hip line; dashed: level (measured against the standing hip line)";
    case FC_M_TRUNK_LEAN_LATERAL:
    case FC_M_TRUNK_FORWARD_LEAN: return "mid-hip to mid-shoulder; dashed: vertical";
    case FC_M_TRUNK_SHIN_DIFF: return "the trunk and (blue) the shin; dashed: vertical";
    case FC_M_LATERAL_SHIFT:
        return "mid-hip across from the vertical through mid-ankle (measured against the "
               "standing offset); blue: the ankles";
    case FC_M_KNEE_ANKLE_SEP: return "knee separation against (blue) ankle separation";
    case FC_M_KNEE_MEDIAL_LEFT:
    case FC_M_KNEE_MEDIAL_RIGHT: return "the knee across from the vertical through its ankle";
    case FC_M_DEPTH: return "knee to hip; dashed: level";
    case FC_M_KNEE_TRAVEL: return "the knee ahead of the vertical through the toe (or ankle)";
    case FC_M_HIP_OVER_BASE:
        return "mid-hip across from the vertical through mid-ankle; blue: the ankles";
    case FC_M_ARM_FORWARD:
        return "shoulder to elbow (both arms seen: the value is their mean); dashed: the trunk "
               "line (blue) continued past the shoulder";
    case FC_M_WRIST_AHEAD:
        return "the hands (the wrists' midpoint) ahead of the vertical through the ankles' "
               "midpoint";
    case FC_M_HEEL_RISE: return "heel to toe; dashed: level (measured against the standing foot)";
    case FC_M_KNEE_INSIDE_TOE: return "the knee across from the vertical through its toe";
    case FC_M_FEET_TURN_OUT:
        return "heel to toe; dashed: straight down the picture (measured against the standing "
               "foot)";
    default: return "";
    }
}

/* Each rep finding's frame with the lines it was measured from: a still
 * when the video gave one, else a stick figure. */
/* The frame of finding i's figure, or -1 when the page shows none: a
 * set-level finding, no still and no 2-D track, or past the first
 * FC_EVIDENCE_MAX_STILLS figures. */
static long figure_frame(const struct fc_report *r, size_t i)
{
    int shown = 0;
    for (size_t j = 0; j <= i && shown < FC_EVIDENCE_MAX_STILLS; j++) {
        long k = fc_evidence_frame(r, &r->grade->findings[j]);
        int has = k >= 0 && (fc_evidence_still_of(r->evidence, j) ||
                             (r->track && r->track->dims == 2 && (size_t)k < r->track->n_frames));
        if (j == i)
            return has ? k : -1;
        shown += has;
    }
    return -1;
}

static void evidence_html(FILE *f, const struct fc_report *r)
{
    const struct fc_grade *g = r->grade;
    int header = 0;
    for (size_t i = 0; i < g->n_findings; i++) {
        const struct fc_finding *fd = &g->findings[i];
        long k = figure_frame(r, i);
        if (k < 0)
            continue;
        const struct fc_evidence_still *st = fc_evidence_still_of(r->evidence, i);
        if (!header++)
            fputs("<h3>Evidence: each finding's frame</h3>\n<p class=\"src\">The frame at "
                  "the finding's peak, with the lines the value was measured from (solid) and "
                  "what it is measured against (dashed). No lines: not measurable in that "
                  "frame.</p>\n<div class=\"evidence\">\n",
                  f);
        const char *metric = fc_metric_info(fd->threshold->metric)->name;
        fprintf(f,
                "<figure id=\"evidence-%zu\" data-rep=\"%d\" data-t=\"%.3f\" data-metric=\"%s\">",
                i + 1, fd->rep + 1, r->frames[k].t_s, metric);
        if (st) {
            fprintf(f,
                    "<img width=\"%d\" height=\"%d\" alt=\"frame at %.2f s\" "
                    "src=\"data:image/jpeg;base64,",
                    st->width, st->height, st->t_s);
            base64(f, st->jpeg, st->jpeg_size);
            fputs("\">", f);
        } else if (fc_evidence_write_svg(f, r, i, k) < 0) {
            fputs("<p class=\"src\">no picture: no joint seen in that frame</p>", f);
        }
        char v[64];
        fc_evidence_value_text(fd, v, sizeof v);
        fprintf(f, "<figcaption><span class=\"sev %s\">%s</span>Rep %d at %.2f s: ",
                fd->severity == FC_SEVERITY_FAULT ? "fault" : "watch",
                fd->severity == FC_SEVERITY_FAULT ? "fault" : "watch", fd->rep + 1,
                r->frames[k].t_s);
        esc(f, fc_metric_info(fd->threshold->metric)->label);
        fputs(" <span class=\"val\">", f);
        esc(f, v);
        const char *unit = fc_metric_info(fd->threshold->metric)->unit;
        fprintf(f, "</span> (%s level %s%g%s%s)<br><span class=\"how\">",
                fd->severity == FC_SEVERITY_FAULT ? "fault" : "watch",
                fd->threshold->direction == 0 ? "&plusmn;" : "", fd->level,
                strcmp(unit, "%") == 0 ? "" : " ", unit);
        esc(f, evidence_how(fd->threshold->metric));
        fputs("</span></figcaption></figure>\n", f);
    }
    if (header)
        fputs("</div>\n", f);
}

static void findings_html(FILE *f, const struct fc_report *r)
{
    const struct fc_grade *g = r->grade;
    fputs("<section><h2>Findings</h2>\n", f);
    if (!g || !isfinite(g->score)) {
        fputs("<p>Not graded: see the note above.</p></section>\n", f);
        return;
    }
    if (g->n_findings == 0) {
        fputs("<p>None: every graded measurement stayed within its watch level.</p>"
              "</section>\n",
              f);
        return;
    }
    fputs("<ol class=\"findings\">\n", f);
    for (size_t i = 0; i < g->n_findings; i++) {
        const struct fc_finding *fd = &g->findings[i];
        const char *sev = fd->severity == FC_SEVERITY_FAULT ? "fault" : "watch";
        fprintf(f, "<li><span class=\"sev %s\">%s</span>", sev, sev);
        esc(f, fd->what);
        if (figure_frame(r, i) >= 0)
            fprintf(f, " <a href=\"#evidence-%zu\">(frame)</a>", i + 1);
        fputs("</li>\n", f);
    }
    fputs("</ol>\n", f);
    evidence_html(f, r);
    fputs("<h3>What the findings suggest, and what helps</h3>\n<ul class=\"causes\">\n", f);
    for (size_t i = 0; i < g->n_findings; i++) {
        const struct fc_finding *fd = &g->findings[i];
        int seen = 0; /* each cause once: many reps often share one */
        for (size_t j = 0; j < i; j++)
            seen |= strcmp(g->findings[j].threshold->fault, fd->threshold->fault) == 0 &&
                    strcmp(g->findings[j].cause, fd->cause) == 0;
        if (seen)
            continue;
        fputs("<li><b>", f);
        esc(f, fd->threshold->fault);
        fputs("</b>: ", f);
        esc(f, fd->cause);
        fputs(".<br><span class=\"try\">Try: ", f);
        esc(f, fd->remedies);
        fputs(".</span><div class=\"src\">Source: ", f);
        esc(f, fd->threshold->source);
        fputs("</div></li>\n", f);
    }
    fputs("</ul></section>\n", f);
}

static void screen_items_html(FILE *f, const struct fc_screen_item *it, size_t n, int fms)
{
    fputs("<table class=\"screen\"><tr><th class=\"l\">item</th><th class=\"l\">"
          "</th><th class=\"l\">what decided</th></tr>\n",
          f);
    for (size_t i = 0; i < n; i++) {
        const char *cls = it[i].state == FC_SCREEN_SEEN       ? "st-seen"
                          : it[i].state == FC_SCREEN_NOT_SEEN ? "st-ok"
                                                              : "st-nm";
        fputs("<tr><td class=\"l\">", f);
        esc(f, it[i].name);
        fprintf(f, "</td><td class=\"l %s\">%s</td><td class=\"l src\">", cls,
                fc_screen_state_name(it[i].state, fms));
        esc(f, it[i].detail);
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
}

/* An overhead squat: the NASM checklist and the FMS deep squat score. */
static void screen_html(FILE *f, const struct fc_report *r)
{
    struct fc_screen s;
    if (!r->grade || !r->thresholds || !fc_screen_assess(r->analysis, r->grade, r->thresholds, &s))
        return;
    fputs("<section><h2>Overhead squat assessment</h2>\n<h3>NASM checklist</h3>\n", f);
    screen_items_html(f, s.nasm, s.n_nasm, 0);
    fputs("<h3>FMS deep squat</h3>\n<p><b>", f);
    esc(f, s.fms_text);
    fputs("</b>", f);
    if (s.fms_best_rep >= 0)
        fprintf(f, " (criteria in the best rep, rep %d; 0 is for pain, which video cannot tell)",
                s.fms_best_rep + 1);
    fputs("</p>\n", f);
    screen_items_html(f, s.fms, FC_SCREEN_FMS_CRITERIA, 1);
    fputs("</section>\n", f);
}

static void reps_html(FILE *f, const struct fc_report *r)
{
    const struct fc_analysis *a = r->analysis;
    const char *word = a->exercise == FC_EXERCISE_GAIT ? "Steps" : "Reps";
    fprintf(f, "<section><h2>%s</h2>\n", word);
    if (!a->reps || a->n_reps_detailed == 0) {
        fprintf(f, "<p>No %s were found.</p></section>\n",
                a->exercise == FC_EXERCISE_GAIT ? "steps" : "reps");
        return;
    }
    int any_score = 0;
    for (size_t i = 0; r->grade && i < r->grade->n_reps; i++)
        any_score |= isfinite(r->grade->reps[i].score);
    if (!any_score && r->grade && isfinite(r->grade->score))
        fputs("<p class=\"src\">Graded on the whole set (means over the reps or steps of each "
              "side), not one by one.</p>\n",
              f);
    fputs("<table><thead><tr><th>#</th><th class=\"l\">side</th><th>start (s)</th>"
          "<th>bottom (s)</th><th>end (s)</th><th>tracked</th><th>score</th></tr></thead>"
          "<tbody>\n",
          f);
    for (size_t i = 0; i < a->n_reps_detailed; i++) {
        const struct fc_rep *rep = &a->reps[i];
        double sc = r->grade && i < r->grade->n_reps ? r->grade->reps[i].score : NAN;
        fprintf(f,
                "<tr><td>%d</td><td class=\"l\">%s</td><td>%.2f</td><td>%.2f</td><td>%.2f</td>"
                "<td>%.0f%%</td>",
                rep->index + 1, side_name(rep->side), rep->t_start_s, rep->t_bottom_s, rep->t_end_s,
                100.0 * rep->tracked_fraction);
        if (isfinite(sc))
            fprintf(f, "<td>%.0f</td></tr>\n", sc);
        else
            fputs("<td>&ndash;</td></tr>\n", f);
    }
    fputs("</tbody></table></section>\n", f);
}

static void sources_html(FILE *f, const struct fc_report *r)
{
    const struct fc_analysis *a = r->analysis;
    fputs("<footer><h2>Thresholds and sources</h2><ul>\n", f);
    for (size_t k = 0; r->thresholds && k < r->thresholds->n; k++) {
        const struct fc_threshold *t = &r->thresholds->t[k];
        if (!fc_threshold_applies(t, a->exercise))
            continue;
        int seen = 0; /* one line per id (a both-knees entry is two thresholds) */
        for (size_t j = 0; j < k; j++)
            seen |= strcmp(r->thresholds->t[j].id, t->id) == 0 &&
                    fc_threshold_applies(&r->thresholds->t[j], a->exercise);
        if (seen)
            continue;
        fputs("<li><b>", f);
        esc(f, t->fault);
        const char *unit = fc_metric_info(t->metric)->unit;
        int pct = strcmp(unit, "%") == 0;
        fprintf(f, "</b> (%s; %s, watch %g%s, fault %g%s%s): ", t->id,
                fc_direction_name(t->direction), t->watch, pct ? "%" : "", t->fault_level,
                pct ? "" : " ", pct ? "%" : unit);
        esc(f, t->source);
        fputs("<br><span class=\"basis\">", f);
        esc(f, t->basis);
        fputs("</span></li>\n", f);
    }
    fprintf(f,
            "</ul><p>formcheck %s. A grade of movement quality, not a diagnosis: for pain, "
            "numbness or an injury, see a physiotherapist or doctor.</p></footer>\n",
            FC_VERSION);
}

/* The page's head and the header: what was analysed, and the grade badge. */
static void header_html(FILE *f, const struct fc_report *r)
{
    const struct fc_analysis *a = r->analysis;
    const struct fc_grade *g = r->grade;
    const char *path = r->input_path ? r->input_path : "-";

    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
          f);
    fprintf(f, "formcheck: %s &ndash; ", fc_exercise_name(a->exercise));
    esc(f, path);
    fprintf(f, "</title>\n<style>\n%s</style></head><body><main>\n", css);

    fputs("<header><div><h1>formcheck report</h1><p class=\"sub\">", f);
    esc(f, path);
    if (r->input_kind) {
        fputs(" &middot; ", f);
        esc(f, r->input_kind);
    }
    if (r->skeleton) {
        fputs(" &middot; ", f);
        esc(f, r->skeleton);
    }
    if (r->mocap) {
        /* markers: what they recorded, not the keypoint analyzer's setting */
        const char *what = fc_mocap_recording(r->mocap);
        fprintf(f,
                "</p><p class=\"sub\">%s%s &middot; every plane in 3-D (no camera view) "
                "&middot; %.1f s</p></div>\n",
                what ? what : "markers, no gait cycle or squat rep found",
                what ? " from markers" : "", a->duration_s);
    } else
        fprintf(f,
                "</p><p class=\"sub\">%s &middot; view %s (%s) &middot; %.1f s &middot; %zu %s "
                "&middot; camera roll %.1f&deg;</p></div>\n",
                fc_exercise_name(a->exercise), fc_view_name(a->view),
                a->view_from_user ? "given" : "detected", a->duration_s, a->n_reps,
                a->exercise == FC_EXERCISE_GAIT ? "steps" : "reps",
                fabs(a->camera_roll_deg) < 0.05 ? 0.0 : a->camera_roll_deg);
    const char *band = g ? g->band : "not graded";
    if (r->mocap) {
        /* the motion-capture section's grade: its counts, no 0-100 score */
        const struct fc_mocap_grade *mg = r->mocap_grade;
        fprintf(f,
                "<div class=\"badge b-none\"><span class=\"score\">%d</span><span "
                "class=\"band\">fault, %d watch of %d graded</span></div></header>\n",
                mg ? mg->faults : 0, mg ? mg->watches : 0, mg ? mg->graded : 0);
        return;
    }
    fprintf(f, "<div class=\"badge b-%s\"><span class=\"score\">", band_class(band));
    if (g && isfinite(g->score))
        fprintf(f, "%.0f", g->score);
    else
        fputs("&ndash;", f);
    fputs("</span><span class=\"band\">", f);
    esc(f, band);
    fputs("</span></div></header>\n", f);
}

/* A plot per measurable metric: the graded ones first. */
static void plots_html(FILE *f, const struct fc_report *r)
{
    const struct fc_analysis *a = r->analysis;
    fputs("<section><h2>Measurements over time</h2>\n<p class=\"src\">Reps are shaded and "
          "numbered; dashed lines are the watch and fault levels; dots mark findings; a gap in "
          "a line is a stretch where the joints were not seen.</p>\n",
          f);
    /* graded metrics first, then the rest that this recording measures */
    int graded[FC_METRIC_COUNT] = {0};
    for (size_t k = 0; r->thresholds && k < r->thresholds->n; k++)
        if (fc_threshold_applies(&r->thresholds->t[k], a->exercise) &&
            fc_metric_info(r->thresholds->t[k].metric)->side != free_side(a->exercise))
            graded[r->thresholds->t[k].metric] = 1;
    for (int pass = 0; pass < 2; pass++)
        for (int m = 0; m < FC_METRIC_COUNT; m++)
            if (a->metric[m].measurable && graded[m] == !pass)
                plot_metric(f, r, m);
    fputs("</section>\n", f);
}

/* The metrics this recording cannot measure, grouped by what would. */
static void not_measurable_html(FILE *f, const struct fc_analysis *a)
{
    int header = 0;
    for (int p = 0; p < 3; p++) {
        int n = 0;
        for (int m = 0; m < FC_METRIC_COUNT; m++) {
            if (a->metric[m].measurable || (int)fc_metric_info(m)->plane != p)
                continue;
            if (!header++)
                fprintf(f, "<section><h2>Not measurable from this recording (view %s)</h2><ul>\n",
                        fc_view_name(a->view));
            if (n++ == 0) {
                int view_ok = (p == FC_PLANE_FRONTAL && a->view == FC_VIEW_FRONT) ||
                              (p == FC_PLANE_SAGITTAL && a->view == FC_VIEW_SIDE);
                if (view_ok)
                    fputs("<li>Not measured in this exercise, or its joints were not seen: ", f);
                else
                    fprintf(f, "<li>Needs %s: ", fc_metric_view_needed(m));
            } else {
                fputs(", ", f);
            }
            esc(f, fc_metric_info(m)->label);
            fprintf(f, " <span class=\"src\">(%s)</span>", fc_metric_info(m)->name);
        }
        if (n)
            fputs("</li>\n", f);
    }
    if (header)
        fputs("</ul></section>\n", f);
}

static void tracking_html(FILE *f, const struct fc_analysis *a)
{
    double frac = a->frames ? (double)a->frames_tracked / (double)a->frames : 0.0;
    fprintf(f, "<p class=\"src\">Tracking: %zu of %zu frames (%.0f%%)", a->frames_tracked,
            a->frames, 100.0 * frac);
    for (size_t i = 0; i < a->n_low_confidence && i < FC_MAX_LOW_CONFIDENCE; i++)
        fprintf(f, "%s%.1f&ndash;%.1f s", i ? ", " : "; low confidence at ",
                a->low_confidence[i].t_start_s, a->low_confidence[i].t_end_s);
    fputs(".</p>\n", f);
}

static void write_html(FILE *f, const struct fc_report *r)
{
    const struct fc_grade *g = r->grade;
    /* From markers the motion-capture section grades; the keypoint grade's
     * caveat, findings and camera-view limits do not apply. */
    const int markers = r->mocap != NULL;
    header_html(f, r);
    if (g && g->caveat[0] && !markers) {
        fputs("<div class=\"caveat\" role=\"note\"><strong>Read with care:</strong> ", f);
        esc(f, g->caveat);
        fputs("</div>\n", f);
    }
    if (!markers)
        findings_html(f, r);
    screen_html(f, r);
    reps_html(f, r);
    plots_html(f, r);
    if (r->mocap)
        fc_mocap_report_html(f, r->mocap, r->mocap_grade);
    if (!markers)
        not_measurable_html(f, r->analysis);
    tracking_html(f, r->analysis);
    sources_html(f, r);
    fputs("</main></body></html>\n", f);
}

int fc_report_html(const char *path, const struct fc_report *r, struct fc_error *err)
{
    struct fc_outfile out;
    int rc = fc_outfile_open(&out, path, err);
    if (rc < 0)
        return rc;
    write_html(out.fp, r);
    return fc_outfile_commit(&out, err);
}
