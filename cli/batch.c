/* formcheck batch: every recording of a manifest or folder into a results
 * database and per-recording reports (batch/batch.h does the work). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch/batch.h"
#include "batch/site.h"
#include "cli/args.h"
#include "cli/cli.h"

static const char batch_usage[] =
    "usage: formcheck batch [options] MANIFEST.csv|FOLDER\n"
    "\n"
    "Processes every recording unattended: results in a database, reports per\n"
    "recording, a bad file recorded as failed while the batch goes on. A rerun\n"
    "skips what is done for the same input (SHA-256), formcheck version and\n"
    "thresholds, and resumes what a killed run left.\n"
    "\n"
    "MANIFEST.csv: a header, then a recording a row; columns path and patient\n"
    "required; recorded_at (ISO 8601), exercise (default auto), view, session,\n"
    "notes optional; other columns kept as metadata; paths relative to the\n"
    "manifest. FOLDER: FOLDER/PATIENT/DATE/RECORDING (docs/batch.md).\n"
    "\n"
    "options:\n"
    "  --out DIR          reports, DIR/PATIENT/SESSION/r<ID>-<NAME>.{json,csv,html}\n"
    "                     (default batch-out)\n"
    "  --db FILE|URI      the SQLite database (default DIR/formcheck.db), or a\n"
    "                     postgresql:// URI: one queue for workers on many machines\n"
    "  --lease SECONDS    PostgreSQL: how long a claim lasts unrenewed before the\n"
    "                     recording is taken again (its worker died with its\n"
    "                     machine); workers renew theirs every third of it; 60\n"
    "  --jobs N           worker processes (default 1)\n"
    "  --shard I/N        process the patients of share I of N (0 <= I < N, by the\n"
    "                     SHA-256 of the patient's code: whole patients); default\n"
    "                     from SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT, or from\n"
    "                     JOB_COMPLETION_INDEX with N in FORMCHECK_SHARDS\n"
    "  --retry-failed     process again what failed before\n"
    "  --dry-run          print the plan (process or skip, and why) and stop\n"
    "  --thresholds FILE  grade against this table instead of the built-in one\n"
    "  --site DIR         at the end, a static site of every patient and session\n"
    "                     (as formcheck progress --site)\n"
    "  -q, --quiet        no progress bar\n"
    "  -h, --help         this text\n"
    "\n"
    "stdout: the dry run's plan; one line of JSON with the counts at the end.\n"
    "exit status: 0 every recording done, 1 some failed (see the database's\n"
    "recordings.error) or the input list is bad, 2 bad command line, 3 the\n"
    "database or the output folder could not be written.\n";

/* Whole number in [lo, hi] from text, or -1. */
static long whole(const char *s, long lo, long hi)
{
    char *end;
    long v = strtol(s, &end, 10);
    return end == s || *end || v < lo || v > hi ? -1 : v;
}

/* --shard I/N, else the array job's environment; 0 or -1 with a message. */
static int shard_from(const char *arg, struct fc_batch_params *p)
{
    /* A shard count beyond this is a typo: no cluster runs more array tasks. */
    const long max_shards = 1000000;
    char i_text[32] = "", n_text[32] = "";
    const char *source = "--shard";
    if (arg) {
        if (sscanf(arg, "%31[0-9]/%31[0-9]", i_text, n_text) != 2) {
            fprintf(stderr, "formcheck batch: --shard needs I/N (e.g. 0/4), got '%s'\n", arg);
            return -1;
        }
    } else if (getenv("SLURM_ARRAY_TASK_ID") && getenv("SLURM_ARRAY_TASK_COUNT")) {
        source = "SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT";
        long id = whole(getenv("SLURM_ARRAY_TASK_ID"), 0, max_shards);
        const char *min = getenv("SLURM_ARRAY_TASK_MIN");
        long lo = min ? whole(min, 0, max_shards) : 0; /* arrays may start at 1 */
        snprintf(i_text, sizeof i_text, "%ld", id >= 0 && lo >= 0 ? id - lo : -1);
        snprintf(n_text, sizeof n_text, "%s", getenv("SLURM_ARRAY_TASK_COUNT"));
    } else if (getenv("JOB_COMPLETION_INDEX")) {
        source = "JOB_COMPLETION_INDEX/FORMCHECK_SHARDS";
        if (!getenv("FORMCHECK_SHARDS")) {
            fprintf(stderr, "formcheck batch: JOB_COMPLETION_INDEX is set but not "
                            "FORMCHECK_SHARDS (the Job's completions); give --shard I/N\n");
            return -1;
        }
        snprintf(i_text, sizeof i_text, "%s", getenv("JOB_COMPLETION_INDEX"));
        snprintf(n_text, sizeof n_text, "%s", getenv("FORMCHECK_SHARDS"));
    } else {
        return 0;
    }
    long n = whole(n_text, 1, max_shards), i = whole(i_text, 0, max_shards);
    if (n < 1 || i < 0 || i >= n) {
        fprintf(stderr, "formcheck batch: %s gives shard '%s' of '%s': needs 0 <= I < N\n", source,
                i_text, n_text);
        return -1;
    }
    p->shard_index = (int)i;
    p->shard_count = (int)n;
    return 0;
}

/* 0 to go on, 1 after --help, -1 on a usage error (message printed). */
static int parse(int argc, char **argv, struct fc_batch_params *p, int *quiet, const char **site)
{
    enum {
        OPT_OUT = 256,
        OPT_DB,
        OPT_JOBS,
        OPT_SHARD,
        OPT_RETRY,
        OPT_DRY,
        OPT_THRESHOLDS,
        OPT_LEASE,
        OPT_SITE
    };
    static const struct option longopts[] = {
        {"out", required_argument, NULL, OPT_OUT},
        {"db", required_argument, NULL, OPT_DB},
        {"jobs", required_argument, NULL, OPT_JOBS},
        {"shard", required_argument, NULL, OPT_SHARD},
        {"retry-failed", no_argument, NULL, OPT_RETRY},
        {"dry-run", no_argument, NULL, OPT_DRY},
        {"thresholds", required_argument, NULL, OPT_THRESHOLDS},
        {"lease", required_argument, NULL, OPT_LEASE},
        {"site", required_argument, NULL, OPT_SITE},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    /* More workers than this is a typo: each holds a pose model. */
    const long max_jobs = 1024;
    const char *shard = NULL;
    *p = fc_batch_default_params();
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "hq", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_OUT: p->out_dir = optarg; break;
        case OPT_DB: p->db_path = optarg; break;
        case OPT_SHARD: shard = optarg; break;
        case OPT_RETRY: p->retry_failed = 1; break;
        case OPT_DRY: p->dry_run = 1; break;
        case OPT_THRESHOLDS: p->thresholds = optarg; break;
        case 'q': *quiet = 1; break;
        case OPT_SITE: *site = optarg; break;
        case OPT_LEASE:
            if (fc_cli_number("batch", "--lease", optarg, 0, 1e7, &p->lease_s) < 0)
                return -1;
            break;
        case OPT_JOBS:
            p->jobs = (int)whole(optarg, 1, max_jobs);
            if (p->jobs < 1) {
                fprintf(stderr,
                        "formcheck batch: --jobs needs a whole number from 1 to %ld, "
                        "got '%s'\n",
                        max_jobs, optarg);
                return -1;
            }
            break;
        case 'h': fputs(batch_usage, stdout); return 1;
        default:
            fprintf(stderr, "formcheck batch: unknown or incomplete option '%s'\n%s",
                    argv[optind - 1], batch_usage);
            return -1;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "formcheck batch: %s\n%s",
                optind >= argc ? "no MANIFEST.csv or FOLDER given" : "more than one input given",
                batch_usage);
        return -1;
    }
    p->source = argv[optind];
    return shard_from(shard, p);
}

int fc_cli_batch(int argc, char **argv)
{
    struct fc_batch_params p;
    int quiet = 0;
    const char *site = NULL;
    int prc = parse(argc, argv, &p, &quiet, &site);
    if (prc != 0)
        return prc > 0 ? FC_EXIT_OK : FC_EXIT_USAGE;
    p.progress = !quiet && !p.dry_run && isatty(STDERR_FILENO) ? stderr : NULL;
    p.plan = p.dry_run ? stdout : NULL;
    struct fc_error err = {0};
    struct fc_batch_summary sum;
    if (fc_batch_run(&p, &sum, &err) < 0) {
        fprintf(stderr, "formcheck batch: %s\n", err.msg);
        return sum.output_error ? FC_EXIT_OUTPUT : FC_EXIT_INPUT;
    }
    int pages = 0;
    if (site && !p.dry_run && fc_site_write(sum.db_path, p.thresholds, site, &pages, &err) < 0) {
        fprintf(stderr, "formcheck batch: %s\n", err.msg);
        return FC_EXIT_OUTPUT;
    }
    char *json = fc_batch_summary_json(&sum);
    if (json)
        puts(json);
    free(json);
    return sum.failed + sum.skipped_failed > 0 ? FC_EXIT_INPUT : FC_EXIT_OK;
}
