/* formcheck batch: the plan, the workers and their supervisor (batch.h). */
#define _GNU_SOURCE /* prctl's PR_SET_PDEATHSIG, strsignal */
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "batch/batch.h"
#include "batch/digest.h"
#include "batch/heartbeat.h"
#include "batch/job.h"
#include "batch/manifest.h"
#include "batch/store.h"
#include "core/fileio.h"
#include "report/thresholds.h"

/* The built-in threshold table (generated from data/thresholds.json). */
extern const unsigned char fc_builtin_thresholds_json[];
extern const size_t fc_builtin_thresholds_json_len;

/* The progress bar redraws at most this often: often enough to look alive,
 * rarely enough to cost nothing. */
#define PROGRESS_REDRAW_MS 250
/* Bar width in characters, within an 80-column terminal with the counts. */
#define PROGRESS_BAR_CHARS 24
/* What a worker tells the supervisor after each recording: done or failed,
 * and the seconds it spent in the analysis and in the database (for the
 * summary's split of the time). Smaller than PIPE_BUF: written whole. */
#define MSG_DONE 'd'
#define MSG_FAILED 'f'
struct msg {
    char kind;
    float analysis_s, database_s;
};
/* A shared queue's claim lasts this long without a renewal (the worker
 * renews it every third of it): a machine that dies gives its recordings
 * to the others within a minute. */
#define DEFAULT_LEASE_S 60.0
/* A worker with nothing to claim while others hold leases looks again this
 * often: a tenth of a typical short lease. */
#define WAIT_POLL_NS 250000000L
/* A worker's exit status when it could not write to the database (a full
 * disk, a lost connection): the disk's fault, not the recording's, so the
 * supervisor fails no recording for it; the batch stops with the
 * database's error (exit 3, as the command's own writes) and the claim it
 * held is taken up again by the next run, as after a kill. Any other
 * non-zero exit is a worker dying on its recording. */
#define WORKER_EXIT_DATABASE 3

struct fc_batch_params fc_batch_default_params(void)
{
    return (struct fc_batch_params){
        .out_dir = "batch-out", .jobs = 1, .shard_count = 1, .lease_s = DEFAULT_LEASE_S};
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int fc_batch_thresholds_sha256(const char *path, char hex[65], struct fc_error *err)
{
    if (!path)
        return fc_digest_bytes(fc_builtin_thresholds_json, fc_builtin_thresholds_json_len, hex) < 0
                   ? fc_error_set(err, FC_ERR_IO, "cannot hash the built-in thresholds")
                   : 0;
    long long size;
    return fc_digest_path(path, hex, &size, err);
}

char *fc_batch_summary_json(const struct fc_batch_summary *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "event", "batch_summary");
    cJSON_AddNumberToObject(o, "listed", s->listed);
    cJSON_AddNumberToObject(o, "in_shard", s->in_shard);
    cJSON_AddNumberToObject(o, "queued", s->queued);
    cJSON_AddNumberToObject(o, "done", s->done);
    cJSON_AddNumberToObject(o, "failed", s->failed);
    cJSON_AddNumberToObject(o, "skipped_done", s->skipped_done);
    cJSON_AddNumberToObject(o, "skipped_failed", s->skipped_failed);
    cJSON_AddNumberToObject(o, "worker_deaths", s->worker_deaths);
    cJSON_AddNumberToObject(o, "seconds", round(s->seconds * 1000) / 1000);
    cJSON_AddNumberToObject(o, "analysis_seconds", round(s->analysis_seconds * 1000) / 1000);
    cJSON_AddNumberToObject(o, "database_seconds", round(s->database_seconds * 1000) / 1000);
    cJSON_AddStringToObject(o, "db", s->db_path);
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return text;
}

/* What the run shares with its workers (they are forked from it). */
struct run {
    const struct fc_batch_params *p;
    struct fc_thresholds th;
    char thr_sha[FC_SHA256_HEX];
    char db_path[4096];
    int64_t run_id;
    int lock_fd;
    int pipe_w;
};

/* mkdir -p */
static int make_dir(const char *path, struct fc_error *err)
{
    char p[4096];
    snprintf(p, sizeof p, "%s", path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = 0;
        mkdir(p, 0777);
        *s = '/';
    }
    if (mkdir(p, 0777) != 0 && errno != EEXIST)
        return fc_error_set(err, FC_ERR_IO, "%s: cannot create the folder: %s", path,
                            strerror(errno));
    return 0;
}

/* One batch on a database at a time: the lock lives as long as the
 * supervisor or any worker it forked (they inherit the descriptor). */
static int take_lock(struct run *r, struct fc_error *err)
{
    char path[4200];
    snprintf(path, sizeof path, "%s.lock", r->db_path);
    r->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (r->lock_fd < 0)
        return fc_error_set(err, FC_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    if (flock(r->lock_fd, LOCK_EX | LOCK_NB) != 0)
        return fc_error_set(err, FC_ERR_IO,
                            "%s: another batch is running on this database (%s is locked)",
                            r->db_path, path);
    return 0;
}

/* Names the recording's place in the plan and why. */
enum decision { PLAN_NEW, PLAN_CHANGED, PLAN_RETRY, PLAN_RESUME, PLAN_DONE, PLAN_FAILED };

static enum decision decide(const struct fc_store_previous *prev, const char *sha,
                            const struct run *r)
{
    if (!prev->found)
        return PLAN_NEW;
    int same = strcmp(prev->sha256, sha) == 0 && strcmp(prev->version, FC_VERSION) == 0 &&
               strcmp(prev->thresholds, r->thr_sha) == 0;
    if (strcmp(prev->status, "done") == 0)
        return same ? PLAN_DONE : PLAN_CHANGED;
    if (strcmp(prev->status, "failed") == 0) {
        if (strcmp(prev->sha256, sha) != 0)
            return PLAN_CHANGED;
        return r->p->retry_failed ? PLAN_RETRY : PLAN_FAILED;
    }
    return PLAN_RESUME;
}

static const char *decision_text(enum decision d)
{
    switch (d) {
    case PLAN_NEW: return "new";
    case PLAN_CHANGED: return "input, formcheck version or thresholds changed";
    case PLAN_RETRY: return "failed before; --retry-failed";
    case PLAN_RESUME: return "queued or interrupted before";
    case PLAN_DONE: return "done before with the same input, version and thresholds";
    case PLAN_FAILED: return "failed before (--retry-failed to try again)";
    }
    return "";
}

/* Plans one entry: hashes it, decides, and (not a dry run) queues it. */
static int plan_entry(struct run *r, struct fc_store *db, const struct fc_manifest_entry *e,
                      struct fc_batch_summary *sum, struct fc_error *err)
{
    struct fc_store_previous prev = {0};
    if (db && fc_store_lookup(db, e->path, &prev, err) < 0)
        return err->code;
    char sha[FC_SHA256_HEX] = "";
    long long size = 0;
    struct fc_error ferr = {0};
    int unreadable = fc_digest_path(e->path, sha, &size, &ferr) < 0;
    enum decision d = decide(&prev, sha, r);
    FILE *out = r->p->plan;
    if (unreadable && d != PLAN_FAILED) {
        /* failed with its message, and the batch goes on */
        if (out)
            fprintf(out, "fail     %s %s %s: %s\n", e->patient, e->session, e->path, ferr.msg);
        sum->failed++;
        return db && !r->p->dry_run ? fc_store_enqueue(db, r->run_id, e, NULL, 0, ferr.msg, err)
                                    : 0;
    }
    int skip = d == PLAN_DONE || d == PLAN_FAILED;
    if (out) {
        fprintf(out, "%-8s %s %s %s: %s", skip ? "skip" : "process", e->patient, e->session,
                e->path, decision_text(d));
        if (d == PLAN_FAILED)
            fprintf(out, ": %s", prev.error);
        fputc('\n', out);
    }
    if (skip) {
        d == PLAN_DONE ? sum->skipped_done++ : sum->skipped_failed++;
        return 0;
    }
    sum->queued++;
    return r->p->dry_run ? 0 : fc_store_enqueue(db, r->run_id, e, sha, size, NULL, err);
}

/* The shard a patient's recordings go to: the first 64 bits of the SHA-256
 * of the patient's code, modulo the shard count. All of a patient's
 * sessions land in one shard (so a shard's database holds whole patients
 * and progress works on it), whatever the manifest's order or size. */
static int shard_of(const char *patient, int count)
{
    char hex[FC_SHA256_HEX], first[17];
    if (count <= 1 || fc_digest_bytes(patient, strlen(patient), hex) < 0)
        return 0;
    memcpy(first, hex, 16);
    first[16] = 0;
    return (int)(strtoull(first, NULL, 16) % (unsigned long long)count);
}

static int plan(struct run *r, struct fc_store *db, const struct fc_manifest *m,
                struct fc_batch_summary *sum, struct fc_error *err)
{
    const struct fc_batch_params *p = r->p;
    char shard[64];
    snprintf(shard, sizeof shard, "%d/%d", p->shard_index, p->shard_count);
    if (!p->dry_run &&
        (fc_store_begin(db, err) < 0 ||
         fc_store_run_start(db, p->source, FC_VERSION, r->thr_sha, shard, &r->run_id, err) < 0))
        goto fail;
    char out_real[PATH_MAX];
    int have_out = realpath(p->out_dir, out_real) != NULL;
    size_t out_len = strlen(out_real);
    for (size_t i = 0; i < m->n; i++) {
        /* the batch's own output, when it lies in the folder walked */
        char real[PATH_MAX];
        if (have_out && realpath(m->e[i].path, real) && strncmp(real, out_real, out_len) == 0 &&
            (real[out_len] == '/' || !real[out_len]))
            continue;
        sum->listed++;
        if (shard_of(m->e[i].patient, p->shard_count) != p->shard_index)
            continue;
        sum->in_shard++;
        if (plan_entry(r, db, &m->e[i], sum, err) < 0)
            goto fail;
    }
    if (!p->dry_run && fc_store_commit(db, err) < 0)
        goto fail;
    return 0;
fail:
    if (!p->dry_run)
        fc_store_rollback(db);
    return err->code ? err->code : FC_ERR_IO;
}

/* The report files' folder and stem of a claimed recording. */
static void report_place(const struct run *r, const struct fc_store_claim *c, char *dir,
                         size_t dir_len, char *stem, size_t stem_len)
{
    const char *base = strrchr(c->path, '/');
    base = base && base[1] ? base + 1 : c->path;
    char name[256];
    snprintf(name, sizeof name, "%.200s", base);
    char *dot = strrchr(name, '.');
    if (dot && dot != name)
        *dot = 0;
    /* patient and session names become folder names: no separators in them */
    char patient[256], session[256];
    snprintf(patient, sizeof patient, "%s", c->patient);
    snprintf(session, sizeof session, "%s", c->session);
    for (char *s = patient; *s; s++)
        *s = *s == '/' || (s == patient && *s == '.') ? '_' : *s;
    for (char *s = session; *s; s++)
        *s = *s == '/' || (s == session && *s == '.') ? '_' : *s;
    snprintf(dir, dir_len, "%s/%s/%s", r->p->out_dir, patient, session);
    snprintf(stem, stem_len, "r%lld-%s", (long long)c->id, name);
}

static void worker_name(char *buf, size_t len, pid_t pid)
{
    char host[128] = "";
    gethostname(host, sizeof host - 1);
    snprintf(buf, len, "%s:%ld", host, (long)pid);
}

/* What a worker holds while it runs. */
struct worker_state {
    struct run *r;
    struct fc_store *db;
    struct fc_heartbeat *hb; /* shared queue: renews the claim's lease */
    char name[256];
};

/* One claimed recording through the analyze path into the database. 0 done
 * or failed (msg says which), 1 the claim was lost (its lease lapsed and
 * another worker took it: nothing written), < 0 a database error. */
static int process(struct worker_state *w, const struct fc_store_claim *c, struct msg *msg,
                   struct fc_error *err)
{
    char dir[4096], stem[512];
    report_place(w->r, c, dir, sizeof dir, stem, sizeof stem);
    struct fc_job job = fc_job_default(c->path);
    job.exercise = c->exercise;
    job.view = c->view;
    job.thresholds = &w->r->th;
    job.thresholds_path = w->r->p->thresholds;
    job.out_dir = dir;
    job.stem = stem;
    struct fc_job_output out;
    struct fc_error jerr = {0};
    double t_job = now_s();
    fc_heartbeat_watch(w->hb, c->id, w->name);
    int job_rc = fc_job_run(&job, &out, &jerr);
    fc_heartbeat_watch(w->hb, 0, NULL);
    double t_db = now_s();
    msg->analysis_s = (float)(t_db - t_job);
    int rc;
    if (job_rc < 0) {
        msg->kind = MSG_FAILED;
        rc = fc_store_fail(w->db, c->id, w->name, jerr.msg, err);
    } else {
        rc = fc_store_finish(w->db, c, w->name, FC_VERSION, w->r->thr_sha, &out, err);
        fc_job_output_free(&out);
        if (rc == FC_ERR_ARG) {
            err->code = 0;
            return 1;
        }
    }
    msg->database_s += (float)(now_s() - t_db);
    return rc < 0 ? rc : 0;
}

/* A worker: claims and processes until nothing is left; never returns. */
static void worker(struct run *r)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() == 1) /* the supervisor died before the line above */
        _exit(1);
    struct worker_state w = {.r = r};
    worker_name(w.name, sizeof w.name, getpid());
    struct fc_error err = {0};
    if (fc_store_open(&w.db, r->db_path, 0, &err) < 0 ||
        (fc_store_shared(w.db) && fc_heartbeat_start(&w.hb, r->db_path, r->p->lease_s, &err) < 0)) {
        fprintf(stderr, "formcheck batch: %s\n", err.msg);
        _exit(WORKER_EXIT_DATABASE);
    }
    fc_store_set_lease(w.db, r->p->lease_s);
    struct fc_store_claim c;
    int got;
    double t_claim = now_s();
    while ((got = fc_store_claim(w.db, r->run_id, w.name, &c, &err)) >= 1) {
        if (got == FC_STORE_WAIT) {
            /* others' leases may run out: look again in a while */
            nanosleep(&(struct timespec){0, WAIT_POLL_NS}, NULL);
            continue;
        }
        struct msg msg = {MSG_DONE, 0, (float)(now_s() - t_claim)};
        int rc = process(&w, &c, &msg, &err);
        if (rc < 0 || (rc == 0 && write(r->pipe_w, &msg, sizeof msg) != (ssize_t)sizeof msg))
            break;
        t_claim = now_s();
    }
    int status = got < 0 || err.code ? WORKER_EXIT_DATABASE : 0;
    if (status)
        fprintf(stderr, "formcheck batch: worker %s: %s\n", w.name, err.msg);
    fc_heartbeat_stop(w.hb);
    fc_store_close(w.db);
    _exit(status);
}

static void draw_progress(FILE *out, int done, int failed, int total, double t0)
{
    int finished = done + failed;
    double elapsed = now_s() - t0;
    int fill = total ? PROGRESS_BAR_CHARS * finished / total : PROGRESS_BAR_CHARS;
    char bar[PROGRESS_BAR_CHARS + 1];
    for (int i = 0; i < PROGRESS_BAR_CHARS; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[PROGRESS_BAR_CHARS] = 0;
    char eta[32] = "--";
    if (finished > 0 && finished < total) {
        double left_s = elapsed / finished * (total - finished);
        snprintf(eta, sizeof eta, "%dm%02ds", (int)(left_s / 60), (int)fmod(left_s, 60));
    } else if (finished >= total) {
        snprintf(eta, sizeof eta, "0s");
    }
    fprintf(out, "\r[%s] %d/%d done, %d failed, %.0f s, ETA %s   ", bar, done, total, failed,
            elapsed, eta);
    fflush(out);
}

struct workers {
    pid_t *pid;
    int n_alive, capacity;
};

static int spawn(struct run *r, struct workers *w, int slot, struct fc_error *err)
{
    pid_t pid = fork();
    if (pid < 0)
        return fc_error_set(err, FC_ERR_IO, "cannot start a worker: %s", strerror(errno));
    if (pid == 0)
        worker(r);
    w->pid[slot] = pid;
    w->n_alive++;
    return 0;
}

/* A worker that ended: a death fails the recording it held and, while work
 * is left, another worker takes its place. */
static int reap(struct run *r, struct workers *w, pid_t pid, int status, int *finished, int queued,
                struct fc_batch_summary *sum, struct fc_error *err)
{
    int slot = -1;
    for (int i = 0; i < w->capacity; i++)
        if (w->pid[i] == pid)
            slot = i;
    if (slot < 0)
        return 0;
    w->pid[slot] = 0;
    w->n_alive--;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    if (WIFEXITED(status) && WEXITSTATUS(status) == WORKER_EXIT_DATABASE)
        return fc_error_set(err, FC_ERR_IO,
                            "%s: a worker could not write to the database (its message is "
                            "above); the batch stops, and the next run does what is left",
                            r->db_path);
    sum->worker_deaths++;
    char name[256], msg[256];
    worker_name(name, sizeof name, pid);
    if (WIFSIGNALED(status))
        snprintf(msg, sizeof msg, "the worker processing it died of signal %d (%s)",
                 WTERMSIG(status), strsignal(WTERMSIG(status)));
    else
        snprintf(msg, sizeof msg, "the worker processing it exited with status %d",
                 WEXITSTATUS(status));
    struct fc_store *db;
    int64_t id = 0;
    if (fc_store_open(&db, r->db_path, 0, err) < 0)
        return err->code;
    int rc = fc_store_fail_worker(db, name, msg, &id, err);
    fc_store_close(db);
    if (rc < 0)
        return rc;
    if (id)
        (*finished)++;
    if (*finished < queued && (id || WIFSIGNALED(status)))
        return spawn(r, w, slot, err);
    return 0;
}

/* Runs the queue with p->jobs workers until every one has ended. */
static int supervise(struct run *r, int queued, struct fc_batch_summary *sum, struct fc_error *err)
{
    int fds[2];
    if (pipe(fds) != 0)
        return fc_error_set(err, FC_ERR_IO, "cannot make a pipe: %s", strerror(errno));
    r->pipe_w = fds[1];
    struct workers w = {0};
    w.capacity = r->p->jobs < queued ? r->p->jobs : queued;
    w.pid = calloc((size_t)(w.capacity ? w.capacity : 1), sizeof *w.pid);
    int rc = w.pid ? 0 : fc_error_set(err, FC_ERR_NOMEM, "out of memory");
    fflush(NULL); /* nothing buffered is written twice by a worker */
    for (int i = 0; rc == 0 && i < w.capacity; i++)
        rc = spawn(r, &w, i, err);
    close(fds[1]);
    double t0 = now_s();
    int done = 0, failed = 0;
    /* the pipe is read whole messages at a time (each write is atomic) */
    struct msg buf[64];
    size_t have = 0;
    while (w.n_alive > 0) {
        struct pollfd pfd = {.fd = fds[0], .events = POLLIN};
        if (poll(&pfd, 1, PROGRESS_REDRAW_MS) > 0) {
            ssize_t n = read(fds[0], (char *)buf + have, sizeof buf - have);
            have += n > 0 ? (size_t)n : 0;
            size_t whole = have / sizeof *buf;
            for (size_t i = 0; i < whole; i++) {
                buf[i].kind == MSG_DONE ? done++ : failed++;
                sum->analysis_seconds += buf[i].analysis_s;
                sum->database_seconds += buf[i].database_s;
            }
            have -= whole * sizeof *buf;
            memmove(buf, buf + whole, have);
        }
        int status;
        pid_t pid;
        while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
            int finished = done + failed;
            int before = finished;
            if (reap(r, &w, pid, status, &finished, queued, sum, err) < 0 && rc == 0)
                rc = err->code;
            failed += finished - before;
        }
        if (r->p->progress)
            draw_progress(r->p->progress, done, failed, queued, t0);
    }
    if (r->p->progress)
        fputc('\n', r->p->progress);
    close(fds[0]);
    free(w.pid);
    return rc;
}

/* The statuses of this run's recordings at its end. */
static int count_outcome(struct run *r, struct fc_batch_summary *sum, struct fc_error *err)
{
    struct fc_store *db;
    if (fc_store_open(&db, r->db_path, 0, err) < 0)
        return err->code;
    int rc = fc_store_run_counts(db, r->run_id, &sum->done, &sum->failed, err);
    if (rc == 0) {
        char *json = fc_batch_summary_json(sum);
        rc = fc_store_run_finish(db, r->run_id, json ? json : "{}", err);
        cJSON_free(json);
    }
    fc_store_close(db);
    return rc;
}

/* 1 for a postgresql:// database (batch/store_pg.h). */
static int is_pg_uri(const char *path)
{
    return strncmp(path, "postgresql://", 13) == 0 || strncmp(path, "postgres://", 11) == 0;
}

/* The database a run uses: the one asked for, else one in the output folder
 * (one per shard: SQLite is a file on one machine). */
static void db_path(const struct fc_batch_params *p, char *buf, size_t len)
{
    if (p->db_path)
        snprintf(buf, len, "%s", p->db_path);
    else if (p->shard_count > 1)
        snprintf(buf, len, "%s/formcheck-shard-%d-of-%d.db", p->out_dir, p->shard_index,
                 p->shard_count);
    else
        snprintf(buf, len, "%s/formcheck.db", p->out_dir);
}

int fc_batch_run(const struct fc_batch_params *p, struct fc_batch_summary *sum,
                 struct fc_error *err)
{
    struct run r = {.p = p, .lock_fd = -1};
    struct fc_manifest m = {0};
    struct fc_store *db = NULL;
    memset(sum, 0, sizeof *sum);
    double t0 = now_s();
    db_path(p, r.db_path, sizeof r.db_path);
    snprintf(sum->db_path, sizeof sum->db_path, "%s", r.db_path);
    int rc = fc_thresholds_load(p->thresholds, &r.th, err);
    if (rc == 0)
        rc = fc_batch_thresholds_sha256(p->thresholds, r.thr_sha, err);
    if (rc == 0)
        rc = fc_manifest_load(p->source, &m, err);
    if (rc < 0)
        goto done;
    if (p->dry_run) {
        struct stat st;
        if ((is_pg_uri(r.db_path) || stat(r.db_path, &st) == 0) &&
            (rc = fc_store_open(&db, r.db_path, FC_STORE_READONLY, err)) < 0)
            goto done;
        rc = plan(&r, db, &m, sum, err);
        goto done;
    }
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", r.db_path);
    int shared = is_pg_uri(r.db_path);
    char *slash = shared ? NULL : strrchr(dir, '/');
    if (slash)
        *slash = 0;
    int n_reset = 0;
    sum->output_error = 1; /* from here on, what fails is the database or the folder */
    if ((rc = make_dir(p->out_dir, err)) < 0 || (slash && (rc = make_dir(dir, err)) < 0) ||
        (!shared && (rc = take_lock(&r, err)) < 0) ||
        (rc = fc_store_open(&db, r.db_path, 0, err)) < 0 ||
        (rc = fc_store_reset_running(db, &n_reset, err)) < 0 ||
        (rc = plan(&r, db, &m, sum, err)) < 0)
        goto done;
    /* the workers open their own connections: none crosses a fork */
    fc_store_close(db);
    db = NULL;
    if (sum->queued > 0 && (rc = supervise(&r, sum->queued, sum, err)) < 0)
        goto done;
    rc = count_outcome(&r, sum, err);
done:
    sum->seconds = now_s() - t0;
    fc_store_close(db);
    fc_manifest_free(&m);
    fc_thresholds_free(&r.th);
    if (r.lock_fd >= 0)
        close(r.lock_fd);
    return rc < 0 ? rc : 0;
}
