#include "cli/outputs.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report/evidence.h"

void fc_cli_input_stem(const char *input, char *stem, size_t len)
{
    char copy[4096];
    snprintf(copy, sizeof copy, "%s", input);
    size_t n = strlen(copy);
    while (n > 1 && copy[n - 1] == '/')
        copy[--n] = 0;
    snprintf(stem, len, "%s", basename(copy));
    char *dot = strrchr(stem, '.');
    if (dot && dot != stem)
        *dot = 0;
}

static int make_dir(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s", dir);
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        if (mkdir(path, 0777) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

int fc_cli_write_reports(const struct fc_cli_outputs *o, const char *stem,
                         const struct fc_report *r, const char **written, int *n_written,
                         struct fc_error *err)
{
    /* Paths live as long as the process: the caller prints them afterwards. */
    static char csv_path[4200], json_path[4200], html_path[4200];
    const char *csv = o->csv, *json = o->json, *html = o->html;
    if (o->out_dir) {
        if (make_dir(o->out_dir) != 0)
            return fc_error_set(err, FC_ERR_IO, "%s: cannot create output folder: %s", o->out_dir,
                                strerror(errno));
        snprintf(csv_path, sizeof csv_path, "%s/%s.csv", o->out_dir, stem);
        snprintf(json_path, sizeof json_path, "%s/%s.json", o->out_dir, stem);
        snprintf(html_path, sizeof html_path, "%s/%s.html", o->out_dir, stem);
        csv = csv ? csv : csv_path;
        json = json ? json : json_path;
        html = html ? html : html_path;
    }
    if (csv) {
        if (fc_report_csv(csv, r, err) < 0)
            return err->code;
        written[(*n_written)++] = csv;
    }
    if (json) {
        if (fc_report_json(json, r, err) < 0)
            return err->code;
        written[(*n_written)++] = json;
    }
    if (html) {
        /* The findings' frames from the video; keypoint inputs get stick
         * figures from the track. */
        struct fc_evidence ev = {0};
        struct fc_report with = *r;
        if (r->video && r->track && r->input_path) {
            if (fc_evidence_from_video(r->input_path, r, &ev, err) < 0)
                return err->code;
            with.evidence = &ev;
        }
        int rc = fc_report_html(html, &with, err);
        fc_evidence_free(&ev);
        if (rc < 0)
            return err->code;
        written[(*n_written)++] = html;
    }
    return 0;
}
