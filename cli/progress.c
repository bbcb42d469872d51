/* formcheck progress and formcheck regrade: what a batch's database says
 * about a patient over time, and its sessions graded again under new
 * thresholds without their videos (batch/trend.h, batch/batch.h). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "batch/batch.h"
#include "batch/site.h"
#include "batch/store.h"
#include "batch/trend.h"
#include "cli/cli.h"

/* Where formcheck batch puts its database by default. */
#define DEFAULT_DB "batch-out/formcheck.db"

static const char progress_usage[] =
    "usage: formcheck progress [options] PATIENT\n"
    "       formcheck progress [--db FILE] --site DIR\n"
    "\n"
    "Each measure's course over the patient's sessions (mean of the rep peaks per\n"
    "session, per exercise and stance side), the change between sessions flagged\n"
    "only where it exceeds the minimal detectable change, MDC95 = 1.96 x sqrt 2 x\n"
    "SEM, from the published reliability in the threshold table; where none is\n"
    "published the MDC is unknown and said so.\n"
    "\n"
    "options:\n"
    "  --db FILE|URI      the batch's database (default " DEFAULT_DB "), or a\n"
    "                     postgresql:// URI\n"
    "  --html FILE        a printable one-page HTML report with a plot per measure\n"
    "  --json             the course as JSON on stdout instead of the text\n"
    "  --site DIR         a static site of every patient (index, a page per patient\n"
    "                     and per session) that opens from the file system\n"
    "  --thresholds FILE  the table whose reliability data to use (default built in)\n"
    "  -h, --help         this text\n";

static const char regrade_usage[] =
    "usage: formcheck regrade [options]\n"
    "\n"
    "Grades every done recording in the database again from its stored keypoints\n"
    "(no video needed), under the thresholds given; the new grade becomes the\n"
    "current one and the earlier grades stay as its history. Recordings already\n"
    "graded under these thresholds and this version are left alone.\n"
    "\n"
    "options:\n"
    "  --db FILE          the batch's database (default " DEFAULT_DB ")\n"
    "  --thresholds FILE  the new table (default: the built-in one)\n"
    "  -h, --help         this text\n";

struct opts {
    const char *db, *html, *thresholds, *patient, *site;
    int json;
};

/* 0 to go on, 1 after --help, -1 on a usage error. want_patient: progress. */
static int parse(const char *cmd, const char *usage, int argc, char **argv, int want_patient,
                 struct opts *o)
{
    enum { OPT_DB = 256, OPT_HTML, OPT_JSON, OPT_THRESHOLDS, OPT_SITE };
    static const struct option longopts[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"html", required_argument, NULL, OPT_HTML},
        {"json", no_argument, NULL, OPT_JSON},
        {"site", required_argument, NULL, OPT_SITE},
        {"thresholds", required_argument, NULL, OPT_THRESHOLDS},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    o->db = DEFAULT_DB;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (c == 'h') {
            fputs(usage, stdout);
            return 1;
        }
        if (c == OPT_DB)
            o->db = optarg;
        else if (c == OPT_THRESHOLDS)
            o->thresholds = optarg;
        else if (want_patient && c == OPT_HTML)
            o->html = optarg;
        else if (want_patient && c == OPT_JSON)
            o->json = 1;
        else if (want_patient && c == OPT_SITE)
            o->site = optarg;
        else {
            fprintf(stderr, "formcheck %s: unknown or incomplete option '%s'\n%s", cmd,
                    argv[optind - 1], usage);
            return -1;
        }
    }
    if (want_patient && o->site && optind == argc)
        return 0; /* the site alone */
    if (want_patient && optind != argc - 1) {
        fprintf(stderr, "formcheck %s: %s\n%s", cmd,
                optind >= argc ? "no PATIENT given" : "more than one PATIENT given", usage);
        return -1;
    }
    if (!want_patient && optind != argc) {
        fprintf(stderr, "formcheck %s: unexpected argument '%s'\n%s", cmd, argv[optind], usage);
        return -1;
    }
    o->patient = want_patient ? argv[optind] : NULL;
    return 0;
}

/* The database must exist: neither command makes one. */
static int have_db(const char *cmd, const char *path)
{
    struct stat st;
    if (strncmp(path, "postgres", 8) == 0 || stat(path, &st) == 0)
        return 1; /* a postgresql:// URI: the connection says what is wrong */
    fprintf(stderr, "formcheck %s: %s: no such database (run formcheck batch first, or --db)\n",
            cmd, path);
    return 0;
}

int fc_cli_progress(int argc, char **argv)
{
    struct opts o;
    int prc = parse("progress", progress_usage, argc, argv, 1, &o);
    if (prc != 0)
        return prc > 0 ? FC_EXIT_OK : FC_EXIT_USAGE;
    if (!have_db("progress", o.db))
        return FC_EXIT_INPUT;
    struct fc_error err = {0};
    if (o.site) {
        int pages;
        if (fc_site_write(o.db, o.thresholds, o.site, &pages, &err) < 0) {
            fprintf(stderr, "formcheck progress: %s\n", err.msg);
            return err.code == FC_ERR_IO ? FC_EXIT_OUTPUT : FC_EXIT_INPUT;
        }
        printf("wrote %d pages into %s (open %s/index.html)\n", pages, o.site, o.site);
        if (!o.patient)
            return FC_EXIT_OK;
    }
    struct fc_store *db = NULL;
    struct fc_thresholds th = {0};
    struct fc_trend t = {0};
    int status = FC_EXIT_INPUT;
    if (fc_thresholds_load(o.thresholds, &th, &err) < 0 ||
        fc_store_open(&db, o.db, FC_STORE_READONLY, &err) < 0 ||
        fc_trend_load(db, o.patient, &th, &t, &err) < 0)
        goto fail;
    if (o.html && fc_trend_html(o.html, &t, &err) < 0) {
        status = FC_EXIT_OUTPUT;
        goto fail;
    }
    if (o.json)
        fc_trend_json(stdout, &t);
    else
        fc_trend_text(stdout, &t);
    if (o.html)
        fprintf(o.json ? stderr : stdout, "wrote %s\n", o.html);
    status = FC_EXIT_OK;
    goto done;
fail:
    fprintf(stderr, "formcheck progress: %s%s%s\n", err.code == FC_ERR_EMPTY ? o.db : "",
            err.code == FC_ERR_EMPTY ? ": " : "", err.msg);
done:
    fc_trend_free(&t);
    fc_store_close(db);
    fc_thresholds_free(&th);
    return status;
}

int fc_cli_regrade(int argc, char **argv)
{
    struct opts o;
    int prc = parse("regrade", regrade_usage, argc, argv, 0, &o);
    if (prc != 0)
        return prc > 0 ? FC_EXIT_OK : FC_EXIT_USAGE;
    if (!have_db("regrade", o.db))
        return FC_EXIT_INPUT;
    struct fc_error err = {0};
    struct fc_regrade_summary sum;
    if (fc_batch_regrade(o.db, o.thresholds, &sum, &err) < 0) {
        fprintf(stderr, "formcheck regrade: %s\n", err.msg);
        return FC_EXIT_INPUT;
    }
    printf("{\"event\":\"regrade_summary\",\"graded\":%d,\"failed\":%d,\"db\":\"%s\"}\n",
           sum.graded, sum.failed, o.db);
    return sum.failed ? FC_EXIT_INPUT : FC_EXIT_OK;
}
