#include "report/summary.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/outfile.h"

static void stats_add(struct fc_angle_stats *st, double v)
{
    if (!isfinite(v))
        return;
    if (st->n == 0)
        st->min = st->max = v;
    st->min = fmin(st->min, v);
    st->max = fmax(st->max, v);
    st->mean += v; /* sum until finished */
    st->n++;
}

static void stats_finish(struct fc_angle_stats *st)
{
    if (st->n > 0) {
        st->mean /= (double)st->n;
        st->range = st->max - st->min;
    } else {
        st->mean = st->min = st->max = st->range = NAN;
    }
}

void fc_summary_compute(struct fc_summary *s)
{
    const struct fc_pose_track *t = s->track;
    size_t n = t->n_frames;
    s->duration_s = n > 1 ? t->frames[n - 1].t_s - t->frames[0].t_s : 0.0;
    for (int j = 0; j < FC_JOINT_COUNT; j++) {
        size_t seen = 0;
        for (size_t i = 0; i < n; i++)
            seen += t->frames[i].score[j] > 0.0f;
        s->joint_seen_fraction[j] = n ? (double)seen / (double)n : 0.0;
    }

    memset(&s->tilt, 0, sizeof s->tilt);
    memset(&s->obliquity, 0, sizeof s->obliquity);
    memset(&s->rotation, 0, sizeof s->rotation);
    double sq[3] = {0, 0, 0}, mx[3] = {0, 0, 0};
    long both = 0;
    for (size_t i = 0; s->pelvis && i < n; i++) {
        const struct fc_pelvis_angles *p = &s->pelvis[i];
        stats_add(&s->tilt, p->tilt_deg);
        stats_add(&s->obliquity, p->obliquity_deg);
        stats_add(&s->rotation, p->rotation_deg);
        if (!s->reference)
            continue;
        const struct fc_pelvis_angles *r = &s->reference[i];
        double d[3] = {p->tilt_deg - r->tilt_deg, p->obliquity_deg - r->obliquity_deg,
                       p->rotation_deg - r->rotation_deg};
        if (!isfinite(d[0]) || !isfinite(d[1]) || !isfinite(d[2]))
            continue;
        for (int k = 0; k < 3; k++) {
            sq[k] += d[k] * d[k];
            mx[k] = fmax(mx[k], fabs(d[k]));
        }
        both++;
    }
    stats_finish(&s->tilt);
    stats_finish(&s->obliquity);
    stats_finish(&s->rotation);
    s->reference_frames = both;
    for (int k = 0; k < 3; k++) {
        s->reference_rms_deg[k] = both ? sqrt(sq[k] / (double)both) : NAN;
        s->reference_max_abs_deg[k] = both ? mx[k] : NAN;
    }
}

/* Empty cell for a gap: a missing value is never written as a number. */
static void put_num(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, ",%.4f", v);
    else
        fputc(',', f);
}

int fc_report_frames_csv(const char *path, const struct fc_summary *s, struct fc_error *err)
{
    struct fc_outfile out;
    int rc = fc_outfile_open(&out, path, err);
    if (rc < 0)
        return rc;
    FILE *f = out.fp;
    const struct fc_pose_track *t = s->track;
    fprintf(f, "t_s,frame,joints_seen,mean_score");
    if (s->pelvis)
        fprintf(f, ",pelvis_tilt_deg,pelvis_obliquity_deg,pelvis_rotation_deg");
    if (s->reference)
        fprintf(f, ",ref_pelvis_tilt_deg,ref_pelvis_obliquity_deg,ref_pelvis_rotation_deg");
    fputc('\n', f);
    for (size_t i = 0; i < t->n_frames; i++) {
        const struct fc_keypoints *k = &t->frames[i];
        int seen = 0;
        double score = 0.0;
        for (int j = 0; j < FC_JOINT_COUNT; j++)
            if (k->score[j] > 0.0f) {
                seen++;
                score += k->score[j];
            }
        fprintf(f, "%.6f,%zu,%d", k->t_s, i, seen);
        put_num(f, seen ? score / seen : NAN);
        if (s->pelvis) {
            put_num(f, s->pelvis[i].tilt_deg);
            put_num(f, s->pelvis[i].obliquity_deg);
            put_num(f, s->pelvis[i].rotation_deg);
        }
        if (s->reference) {
            put_num(f, s->reference[i].tilt_deg);
            put_num(f, s->reference[i].obliquity_deg);
            put_num(f, s->reference[i].rotation_deg);
        }
        fputc('\n', f);
    }
    return fc_outfile_commit(&out, err);
}

/* cJSON writes NaN as null, which is what a gap should be. */
static cJSON *stats_json(const struct fc_angle_stats *st)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "frames", (double)st->n);
    cJSON_AddNumberToObject(o, "mean", st->mean);
    cJSON_AddNumberToObject(o, "min", st->min);
    cJSON_AddNumberToObject(o, "max", st->max);
    cJSON_AddNumberToObject(o, "range", st->range);
    return o;
}

static cJSON *summary_json(const struct fc_summary *s)
{
    const struct fc_pose_track *t = s->track;
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "schema_version", FC_SUMMARY_SCHEMA_VERSION);
    cJSON_AddStringToObject(root, "formcheck_version", FC_VERSION);

    cJSON *in = cJSON_AddObjectToObject(root, "input");
    cJSON_AddStringToObject(in, "path", s->input_path);
    cJSON_AddStringToObject(in, "kind", s->input_kind);
    cJSON_AddStringToObject(in, "skeleton", fc_skeleton_name(t->skeleton));
    cJSON_AddStringToObject(in, "units", fc_units_name(t->units));
    cJSON_AddNumberToObject(in, "dims", t->dims);
    cJSON_AddNumberToObject(in, "frames", (double)t->n_frames);
    cJSON_AddNumberToObject(in, "duration_s", s->duration_s);
    cJSON_AddNumberToObject(in, "rate_hz", t->rate_hz);
    cJSON_AddBoolToObject(in, "time_from_source", t->time_from_source);
    if (t->width > 0) {
        cJSON_AddNumberToObject(in, "width", t->width);
        cJSON_AddNumberToObject(in, "height", t->height);
    }

    cJSON_AddStringToObject(root, "exercise", fc_exercise_name(s->exercise));
    cJSON_AddStringToObject(root, "view", fc_view_name(s->view));

    cJSON *joints = cJSON_AddObjectToObject(root, "joints_seen_fraction");
    for (int j = 0; j < FC_JOINT_COUNT; j++)
        if (s->joint_seen_fraction[j] > 0.0)
            cJSON_AddNumberToObject(joints, fc_joint_name(j), s->joint_seen_fraction[j]);

    if (t->labels) {
        /* Count each distinct label; a labelled data set shows its classes. */
        cJSON *labels = cJSON_AddObjectToObject(root, "labels");
        for (size_t i = 0; i < t->n_frames; i++) {
            const char *l = t->labels[i][0] ? t->labels[i] : "(none)";
            cJSON *c = cJSON_GetObjectItemCaseSensitive(labels, l);
            if (c)
                cJSON_SetNumberValue(c, c->valuedouble + 1);
            else
                cJSON_AddNumberToObject(labels, l, 1);
        }
    }

    if (s->pelvis) {
        cJSON *p = cJSON_AddObjectToObject(root, "pelvis");
        cJSON_AddStringToObject(p, "convention",
                                "Plug-in Gait: Euler YXZ of the pelvis relative to the "
                                "progression frame; left-side signs (anterior tilt, left "
                                "side up, left side forward positive)");
        cJSON_AddItemToObject(p, "tilt_deg", stats_json(&s->tilt));
        cJSON_AddItemToObject(p, "obliquity_deg", stats_json(&s->obliquity));
        cJSON_AddItemToObject(p, "rotation_deg", stats_json(&s->rotation));
        if (s->reference) {
            cJSON *r = cJSON_AddObjectToObject(p, "reference");
            cJSON_AddStringToObject(r, "source", s->reference_label);
            cJSON_AddNumberToObject(r, "frames_compared", (double)s->reference_frames);
            cJSON *rms = cJSON_AddObjectToObject(r, "rms_difference_deg");
            cJSON_AddNumberToObject(rms, "tilt", s->reference_rms_deg[0]);
            cJSON_AddNumberToObject(rms, "obliquity", s->reference_rms_deg[1]);
            cJSON_AddNumberToObject(rms, "rotation", s->reference_rms_deg[2]);
            cJSON *mx = cJSON_AddObjectToObject(r, "max_abs_difference_deg");
            cJSON_AddNumberToObject(mx, "tilt", s->reference_max_abs_deg[0]);
            cJSON_AddNumberToObject(mx, "obliquity", s->reference_max_abs_deg[1]);
            cJSON_AddNumberToObject(mx, "rotation", s->reference_max_abs_deg[2]);
        }
    }
    return root;
}

int fc_report_summary_json(const char *path, const struct fc_summary *s, struct fc_error *err)
{
    cJSON *root = summary_json(s);
    char *text = root ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    if (!text)
        return fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory building the summary", path);
    struct fc_outfile out;
    int rc = fc_outfile_open(&out, path, err);
    if (rc == 0) {
        fputs(text, out.fp);
        fputc('\n', out.fp);
        rc = fc_outfile_commit(&out, err);
    }
    cJSON_free(text);
    return rc;
}

static void text_angle(FILE *out, const char *name, const struct fc_angle_stats *st)
{
    if (st->n == 0)
        fprintf(out, "  %-10s not measurable (no frame has the pelvis markers)\n", name);
    else
        fprintf(out, "  %-10s mean %6.2f deg   range %6.2f .. %6.2f deg\n", name, st->mean, st->min,
                st->max);
}

void fc_report_summary_text(FILE *out, const struct fc_summary *s)
{
    const struct fc_pose_track *t = s->track;
    fprintf(out, "%s: %s, %zu frames, %.2f s", s->input_path, s->input_kind, t->n_frames,
            s->duration_s);
    if (t->rate_hz > 0)
        fprintf(out, " at %.4g Hz", t->rate_hz);
    fprintf(out, " (skeleton %s, %s)\n", fc_skeleton_name(t->skeleton), fc_units_name(t->units));
    if (!t->time_from_source)
        fprintf(out, "  the source has no time stamps: times assume %.4g frames/s\n", t->rate_hz);
    if (s->pelvis) {
        fprintf(out, "pelvis angles (Plug-in Gait convention, left side):\n");
        text_angle(out, "tilt", &s->tilt);
        text_angle(out, "obliquity", &s->obliquity);
        text_angle(out, "rotation", &s->rotation);
        if (s->reference && s->reference_frames > 0)
            fprintf(out,
                    "agreement with %s over %ld frames: RMS difference tilt %.2g, "
                    "obliquity %.2g, rotation %.2g deg\n",
                    s->reference_label, s->reference_frames, s->reference_rms_deg[0],
                    s->reference_rms_deg[1], s->reference_rms_deg[2]);
    }
}
