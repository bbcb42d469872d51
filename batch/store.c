#include "batch/store.h"

#include "batch/store_pg.h"

#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A writer waits this long for another (a worker finishing a result) before
 * giving up: far longer than any one transaction here takes. */
#define STORE_BUSY_TIMEOUT_MS 120000
/* Frames in the WAL past which a commit copies it into the database
 * (SQLite's own automatic checkpoint's default). */
#define STORE_CHECKPOINT_FRAMES 1000
/* Raise with a migration when a table changes. */
#define STORE_SCHEMA_VERSION "1"

static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS runs(id INTEGER PRIMARY KEY, started_at TEXT NOT NULL,"
    " finished_at TEXT, source TEXT NOT NULL, host TEXT, pid INTEGER,"
    " formcheck_version TEXT NOT NULL, thresholds_sha256 TEXT NOT NULL, shard TEXT,"
    " summary TEXT);"
    "CREATE TABLE IF NOT EXISTS patients(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE);"
    "CREATE TABLE IF NOT EXISTS sessions(id INTEGER PRIMARY KEY,"
    " patient_id INTEGER NOT NULL REFERENCES patients(id), label TEXT NOT NULL,"
    " recorded_at TEXT NOT NULL DEFAULT '', UNIQUE(patient_id, label));"
    "CREATE TABLE IF NOT EXISTS recordings(id INTEGER PRIMARY KEY,"
    " session_id INTEGER NOT NULL REFERENCES sessions(id), path TEXT NOT NULL UNIQUE,"
    " recorded_at TEXT NOT NULL DEFAULT '', exercise TEXT NOT NULL, view TEXT NOT NULL,"
    " notes TEXT NOT NULL DEFAULT '', metadata TEXT NOT NULL DEFAULT '{}', manifest_line INTEGER,"
    " input_sha256 TEXT, size_bytes INTEGER,"
    " status TEXT NOT NULL CHECK(status IN ('pending','running','done','failed')),"
    " error TEXT, attempts INTEGER NOT NULL DEFAULT 0, worker TEXT,"
    " run_id INTEGER REFERENCES runs(id), lease_until TEXT, queued_at TEXT, started_at TEXT,"
    " finished_at TEXT, formcheck_version TEXT, thresholds_sha256 TEXT);"
    "CREATE INDEX IF NOT EXISTS recordings_queue ON recordings(run_id, status);"
    "CREATE TABLE IF NOT EXISTS results(id INTEGER PRIMARY KEY,"
    " recording_id INTEGER NOT NULL REFERENCES recordings(id),"
    " kind TEXT NOT NULL CHECK(kind IN ('analysis','regrade')), created_at TEXT NOT NULL,"
    " input_sha256 TEXT NOT NULL, formcheck_version TEXT NOT NULL,"
    " thresholds_sha256 TEXT NOT NULL, exercise TEXT, view TEXT, score REAL, band TEXT,"
    " n_reps INTEGER, n_findings INTEGER, findings TEXT NOT NULL, report TEXT NOT NULL,"
    " current INTEGER NOT NULL DEFAULT 1,"
    " UNIQUE(recording_id, kind, input_sha256, formcheck_version, thresholds_sha256));"
    "CREATE UNIQUE INDEX IF NOT EXISTS results_current ON results(recording_id) WHERE current=1;"
    "CREATE TABLE IF NOT EXISTS rep_peaks(result_id INTEGER NOT NULL REFERENCES results(id),"
    " rep INTEGER NOT NULL, side TEXT, metric TEXT NOT NULL, value REAL, uncertainty REAL,"
    " t_s REAL, PRIMARY KEY(result_id, rep, metric));"
    "CREATE TABLE IF NOT EXISTS keypoints(recording_id INTEGER PRIMARY KEY"
    " REFERENCES recordings(id), input_sha256 TEXT NOT NULL, format TEXT NOT NULL,"
    " n_frames INTEGER, raw_bytes INTEGER NOT NULL, data BLOB NOT NULL);"
    "CREATE TABLE IF NOT EXISTS stills(recording_id INTEGER PRIMARY KEY"
    " REFERENCES recordings(id), input_sha256 TEXT NOT NULL, rep INTEGER, t_s REAL,"
    " png_base64 TEXT NOT NULL);"
    "INSERT OR IGNORE INTO meta VALUES('schema_version', '" STORE_SCHEMA_VERSION "');";

/* The time as every column keeps it: ISO 8601 UTC with milliseconds. */
#define NOW "strftime('%Y-%m-%dT%H:%M:%fZ','now')"

/* A claim's lease when none is set: longer than any one recording takes
 * (a 2-hour clinic video through the pose model on a slow machine). */
#define STORE_DEFAULT_LEASE_S 3600.0

struct fc_store {
    sqlite3 *db;
    struct fc_store_pg *pg; /* a postgresql:// database instead (store_pg.h) */
    double lease_s;
    char path[4096];
};

int fc_store_shared(const struct fc_store *s)
{
    return s->pg != NULL;
}

void fc_store_set_lease(struct fc_store *s, double seconds)
{
    s->lease_s = seconds;
}

struct sqlite3 *fc_store_db(struct fc_store *s)
{
    return s->db;
}

/* SQLite's message, with the system's reason after an I/O error: "disk
 * I/O error" alone does not say that the disk is full (ENOSPC) or that a
 * file-size limit was met (EFBIG). */
static const char *db_reason(struct fc_store *s, const char *msg, char *buf, size_t len)
{
    int code = sqlite3_errcode(s->db) & 0xff; /* the primary code */
    int sys = sqlite3_system_errno(s->db);
    if (!msg)
        msg = sqlite3_errmsg(s->db);
    if ((code == SQLITE_IOERR || code == SQLITE_FULL || code == SQLITE_CANTOPEN) && sys > 0)
        snprintf(buf, len, "%s (%s)", msg, strerror(sys));
    else
        snprintf(buf, len, "%s", msg);
    return buf;
}

static int db_error(struct fc_store *s, struct fc_error *err, const char *what)
{
    char reason[256];
    return fc_error_set(err, FC_ERR_IO, "%s: %s: %s", s->path, what,
                        db_reason(s, NULL, reason, sizeof reason));
}

static int exec(struct fc_store *s, const char *sql, struct fc_error *err)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        char reason[256];
        fc_error_set(err, FC_ERR_IO, "%s: %s", s->path, db_reason(s, msg, reason, sizeof reason));
        sqlite3_free(msg);
        return FC_ERR_IO;
    }
    return 0;
}

/* The WAL copied into the database after a commit that leaves it long, in
 * place of SQLite's automatic checkpoint. That one is PASSIVE: it runs beside
 * the other connections' writes, and up to SQLite 3.51.2 a write that
 * restarts the WAL while such a checkpoint starts can make a later one skip
 * committed frames and leave a corrupt file (the WAL-reset bug in
 * sqlite.org/wal.html): a batch's workers write and checkpoint side by side
 * all the time. A FULL checkpoint holds the writer lock from before it reads
 * the WAL's header to its end, so no write restarts the WAL under it; it
 * waits for a writer through the busy timeout. The commit stands whatever
 * the checkpoint says; one that did not finish is done by a later commit. */
static int checkpoint_after_commit(void *ctx, sqlite3 *db, const char *name, int frames)
{
    (void)ctx;
    if (frames >= STORE_CHECKPOINT_FRAMES)
        sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_FULL, NULL, NULL);
    return SQLITE_OK;
}

int fc_store_open(struct fc_store **out, const char *path, int flags, struct fc_error *err)
{
    *out = NULL;
    struct fc_store *s = calloc(1, sizeof *s);
    if (!s)
        return fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory", path);
    snprintf(s->path, sizeof s->path, "%s", path);
    s->lease_s = STORE_DEFAULT_LEASE_S;
    if (fc_pg_is_uri(path)) {
        if (fc_pg_open(&s->pg, path, err) < 0) {
            free(s);
            return FC_ERR_IO;
        }
        *out = s;
        return 0;
    }
    int ro = flags & FC_STORE_READONLY;
    int oflags = ro ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path, &s->db, oflags, NULL) != SQLITE_OK) {
        fc_error_set(err, FC_ERR_IO, "%s: cannot open the database: %s", path,
                     s->db ? sqlite3_errmsg(s->db) : "out of memory");
        goto fail;
    }
    sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
    sqlite3_wal_hook(s->db, checkpoint_after_commit, NULL); /* replaces the automatic one */
    /* WAL: readers never block the writer. synchronous=NORMAL is durable
     * against a killed process (the WAL is written before the commit
     * returns); only a power cut may lose the last transactions, never
     * corrupt the file. */
    if (!ro &&
        (exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", err) < 0 ||
         exec(s, "PRAGMA foreign_keys=ON;", err) < 0 || exec(s, "BEGIN IMMEDIATE;", err) < 0))
        goto fail;
    if (!ro && exec(s, schema_sql, err) < 0) {
        exec(s, "ROLLBACK;", err);
        goto fail;
    }
    if (!ro && exec(s, "COMMIT;", err) < 0)
        goto fail;
    if (ro && exec(s, "SELECT 1 FROM recordings LIMIT 1;", err) < 0)
        goto fail;
    *out = s;
    return 0;
fail:
    sqlite3_close(s->db);
    free(s);
    return err->code ? err->code : FC_ERR_IO;
}

void fc_store_close(struct fc_store *s)
{
    if (!s)
        return;
    fc_pg_close(s->pg);
    sqlite3_close(s->db);
    free(s);
}

int fc_store_begin(struct fc_store *s, struct fc_error *err)
{
    if (s->pg)
        return fc_pg_exec(s->pg, "BEGIN", err);
    return exec(s, "BEGIN IMMEDIATE;", err);
}

int fc_store_commit(struct fc_store *s, struct fc_error *err)
{
    if (s->pg)
        return fc_pg_exec(s->pg, "COMMIT", err);
    return exec(s, "COMMIT;", err);
}

void fc_store_rollback(struct fc_store *s)
{
    if (s->pg) {
        struct fc_error ignored;
        fc_pg_exec(s->pg, "ROLLBACK", &ignored);
        return;
    }
    sqlite3_exec(s->db, "ROLLBACK;", NULL, NULL, NULL);
}

/* A prepared statement with its text arguments bound in order (NULL binds
 * NULL); NULL after setting err. */
static sqlite3_stmt *prepare(struct fc_store *s, const char *sql, struct fc_error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        db_error(s, err, "prepare");
        return NULL;
    }
    return st;
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

static void copy_column(char *dst, size_t len, sqlite3_stmt *st, int col)
{
    const unsigned char *v = sqlite3_column_text(st, col);
    snprintf(dst, len, "%s", v ? (const char *)v : "");
}

/* Runs a statement that returns no rows; finalizes it. */
static int step_done(struct fc_store *s, sqlite3_stmt *st, const char *what, struct fc_error *err)
{
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : db_error(s, err, what);
}

int fc_store_lookup(struct fc_store *s, const char *path, struct fc_store_previous *prev,
                    struct fc_error *err)
{
    if (s->pg)
        return fc_pg_lookup(s->pg, path, prev, err);
    memset(prev, 0, sizeof *prev);
    sqlite3_stmt *st = prepare(s,
                               "SELECT id, status, input_sha256, formcheck_version,"
                               " thresholds_sha256, error FROM recordings WHERE path=?1",
                               err);
    if (!st)
        return err->code;
    bind_text(st, 1, path);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        prev->found = 1;
        prev->id = sqlite3_column_int64(st, 0);
        copy_column(prev->status, sizeof prev->status, st, 1);
        copy_column(prev->sha256, sizeof prev->sha256, st, 2);
        copy_column(prev->version, sizeof prev->version, st, 3);
        copy_column(prev->thresholds, sizeof prev->thresholds, st, 4);
        copy_column(prev->error, sizeof prev->error, st, 5);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_error(s, err, "lookup");
}

int fc_store_run_start(struct fc_store *s, const char *source, const char *version,
                       const char *thresholds_sha256, const char *shard, int64_t *run_id,
                       struct fc_error *err)
{
    if (s->pg)
        return fc_pg_run_start(s->pg, source, version, thresholds_sha256, shard, run_id, err);
    char host[256] = "";
    gethostname(host, sizeof host - 1);
    sqlite3_stmt *st = prepare(s,
                               "INSERT INTO runs(started_at, source, host, pid,"
                               " formcheck_version, thresholds_sha256, shard)"
                               " VALUES(" NOW ", ?1, ?2, ?3, ?4, ?5, ?6)",
                               err);
    if (!st)
        return err->code;
    bind_text(st, 1, source);
    bind_text(st, 2, host);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)getpid());
    bind_text(st, 4, version);
    bind_text(st, 5, thresholds_sha256);
    bind_text(st, 6, shard);
    if (step_done(s, st, "new run", err) < 0)
        return err->code;
    *run_id = sqlite3_last_insert_rowid(s->db);
    return 0;
}

int fc_store_run_finish(struct fc_store *s, int64_t run_id, const char *summary_json,
                        struct fc_error *err)
{
    if (s->pg)
        return fc_pg_run_finish(s->pg, run_id, summary_json, err);
    sqlite3_stmt *st =
        prepare(s, "UPDATE runs SET finished_at=" NOW ", summary=?1 WHERE id=?2", err);
    if (!st)
        return err->code;
    bind_text(st, 1, summary_json);
    sqlite3_bind_int64(st, 2, run_id);
    return step_done(s, st, "finish run", err);
}

/* The id of the row that code names in table (patients by code), made if new. */
static int upsert_patient(struct fc_store *s, const char *code, int64_t *id, struct fc_error *err)
{
    sqlite3_stmt *st = prepare(s,
                               "INSERT INTO patients(code) VALUES(?1) ON CONFLICT(code)"
                               " DO UPDATE SET code=code RETURNING id",
                               err);
    if (!st)
        return err->code;
    bind_text(st, 1, code);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : db_error(s, err, "patient");
}

static int upsert_session(struct fc_store *s, int64_t patient, const struct fc_manifest_entry *e,
                          int64_t *id, struct fc_error *err)
{
    sqlite3_stmt *st =
        prepare(s,
                "INSERT INTO sessions(patient_id, label, recorded_at) VALUES(?1, ?2, ?3)"
                " ON CONFLICT(patient_id, label) DO UPDATE SET recorded_at ="
                " CASE WHEN excluded.recorded_at <> '' AND (recorded_at = '' OR"
                " excluded.recorded_at < recorded_at) THEN excluded.recorded_at"
                " ELSE recorded_at END RETURNING id",
                err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, patient);
    bind_text(st, 2, e->session);
    bind_text(st, 3, e->recorded_at);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : db_error(s, err, "session");
}

int fc_store_enqueue(struct fc_store *s, int64_t run_id, const struct fc_manifest_entry *e,
                     const char *sha256, long long size_bytes, const char *failed,
                     struct fc_error *err)
{
    if (s->pg)
        return fc_pg_enqueue(s->pg, run_id, e, sha256, size_bytes, failed, err);
    int64_t patient = 0, session = 0;
    if (upsert_patient(s, e->patient, &patient, err) < 0 ||
        upsert_session(s, patient, e, &session, err) < 0)
        return err->code;
    sqlite3_stmt *st = prepare(
        s,
        "INSERT INTO recordings(session_id, path, recorded_at, exercise, view, notes, metadata,"
        " manifest_line, input_sha256, size_bytes, status, error, run_id, queued_at,"
        " finished_at, worker)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, " NOW ","
        " CASE WHEN ?11 = 'failed' THEN " NOW " END, NULL)"
        " ON CONFLICT(path) DO UPDATE SET session_id=excluded.session_id,"
        " recorded_at=excluded.recorded_at, exercise=excluded.exercise, view=excluded.view,"
        " notes=excluded.notes, metadata=excluded.metadata, manifest_line=excluded.manifest_line,"
        " input_sha256=excluded.input_sha256, size_bytes=excluded.size_bytes,"
        " status=excluded.status, error=excluded.error, run_id=excluded.run_id,"
        " queued_at=excluded.queued_at, finished_at=excluded.finished_at, worker=NULL",
        err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, session);
    bind_text(st, 2, e->path);
    bind_text(st, 3, e->recorded_at);
    bind_text(st, 4, fc_exercise_name(e->exercise));
    bind_text(st, 5, fc_view_name(e->view));
    bind_text(st, 6, e->notes);
    bind_text(st, 7, e->metadata);
    sqlite3_bind_int(st, 8, e->line);
    bind_text(st, 9, sha256);
    sqlite3_bind_int64(st, 10, size_bytes);
    bind_text(st, 11, failed ? "failed" : "pending");
    bind_text(st, 12, failed);
    sqlite3_bind_int64(st, 13, run_id);
    return step_done(s, st, "queue a recording", err);
}

int fc_store_reset_running(struct fc_store *s, int *n, struct fc_error *err)
{
    *n = 0;
    if (s->pg) /* a shared queue: leases run out instead */
        return 0;
    sqlite3_stmt *st = prepare(
        s, "UPDATE recordings SET status='pending', worker=NULL WHERE status='running'", err);
    if (!st)
        return err->code;
    if (step_done(s, st, "reset running", err) < 0)
        return err->code;
    *n = sqlite3_changes(s->db);
    return 0;
}

int fc_store_claim(struct fc_store *s, int64_t run_id, const char *worker, struct fc_store_claim *c,
                   struct fc_error *err)
{
    if (s->pg)
        return fc_pg_claim(s->pg, run_id, worker, s->lease_s, c, err);
    memset(c, 0, sizeof *c);
    /* One statement: atomic without an explicit transaction. */
    sqlite3_stmt *st = prepare(
        s,
        "UPDATE recordings SET status='running', worker=?2, attempts=attempts+1,"
        " started_at=" NOW " WHERE id=(SELECT id FROM recordings WHERE run_id=?1 AND"
        " status='pending' ORDER BY id LIMIT 1) RETURNING id, path, input_sha256, exercise, view,"
        " (SELECT p.code FROM sessions se JOIN patients p ON p.id=se.patient_id"
        "  WHERE se.id=session_id), (SELECT label FROM sessions WHERE id=session_id)",
        err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, run_id);
    bind_text(st, 2, worker);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        c->id = sqlite3_column_int64(st, 0);
        copy_column(c->path, sizeof c->path, st, 1);
        copy_column(c->sha256, sizeof c->sha256, st, 2);
        char name[64];
        copy_column(name, sizeof name, st, 3);
        int e = fc_exercise_from_name(name);
        c->exercise = e < 0 ? FC_EXERCISE_AUTO : (enum fc_exercise)e;
        copy_column(name, sizeof name, st, 4);
        int v = fc_view_from_name(name);
        c->view = v < 0 ? FC_VIEW_AUTO : (enum fc_view)v;
        copy_column(c->patient, sizeof c->patient, st, 5);
        copy_column(c->session, sizeof c->session, st, 6);
        rc = sqlite3_step(st);
        sqlite3_finalize(st);
        return rc == SQLITE_DONE ? 1 : db_error(s, err, "claim");
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : db_error(s, err, "claim");
}

/* One rep's peaks from the report JSON: {metric: value} with peaks_u and
 * t_peak_s beside it. */
static int insert_peaks(struct fc_store *s, int64_t result_id, const cJSON *rep,
                        struct fc_error *err)
{
    const cJSON *idx = cJSON_GetObjectItem(rep, "index");
    const cJSON *side = cJSON_GetObjectItem(rep, "side");
    const cJSON *peaks = cJSON_GetObjectItem(rep, "peaks");
    const cJSON *us = cJSON_GetObjectItem(rep, "peaks_u");
    const cJSON *ts = cJSON_GetObjectItem(rep, "t_peak_s");
    if (!cJSON_IsNumber(idx) || !cJSON_IsObject(peaks))
        return 0;
    const cJSON *p;
    cJSON_ArrayForEach(p, peaks)
    {
        sqlite3_stmt *st = prepare(s,
                                   "INSERT OR REPLACE INTO rep_peaks(result_id, rep, side,"
                                   " metric, value, uncertainty, t_s)"
                                   " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                   err);
        if (!st)
            return err->code;
        const cJSON *u = cJSON_GetObjectItem(us, p->string);
        const cJSON *t = cJSON_GetObjectItem(ts, p->string);
        sqlite3_bind_int64(st, 1, result_id);
        sqlite3_bind_int(st, 2, idx->valueint);
        bind_text(st, 3, cJSON_IsString(side) ? side->valuestring : NULL);
        bind_text(st, 4, p->string);
        if (cJSON_IsNumber(p))
            sqlite3_bind_double(st, 5, p->valuedouble);
        if (cJSON_IsNumber(u))
            sqlite3_bind_double(st, 6, u->valuedouble);
        if (cJSON_IsNumber(t))
            sqlite3_bind_double(st, 7, t->valuedouble);
        if (step_done(s, st, "rep peak", err) < 0)
            return err->code;
    }
    return 0;
}

/* A result row and its peaks from a report JSON, made the current one. */
static int insert_result(struct fc_store *s, int64_t recording_id, const char *kind,
                         const char *sha256, const char *version, const char *thr,
                         const char *report_json, struct fc_error *err)
{
    cJSON *r = cJSON_Parse(report_json);
    if (!r)
        return fc_error_set(err, FC_ERR_FORMAT, "%s: the report JSON does not parse", s->path);
    const cJSON *grade = cJSON_GetObjectItem(r, "grade");
    const cJSON *score = cJSON_GetObjectItem(grade, "score");
    const cJSON *band = cJSON_GetObjectItem(grade, "band");
    const cJSON *view = cJSON_GetObjectItem(cJSON_GetObjectItem(r, "view"), "used");
    const cJSON *ex = cJSON_GetObjectItem(r, "exercise");
    const cJSON *n_reps = cJSON_GetObjectItem(r, "n_reps");
    const cJSON *findings = cJSON_GetObjectItem(r, "findings");
    char *findings_text = cJSON_PrintUnformatted(findings);
    int rc = -1;
    /* An identical earlier result (the input changed and changed back) gives
     * way: the key says it is the same grade. */
    sqlite3_stmt *st = prepare(s,
                               "DELETE FROM rep_peaks WHERE result_id IN (SELECT id FROM results"
                               " WHERE recording_id=?1 AND kind=?2 AND input_sha256=?3 AND"
                               " formcheck_version=?4 AND thresholds_sha256=?5)",
                               err);
    if (!st)
        goto done;
    sqlite3_bind_int64(st, 1, recording_id);
    bind_text(st, 2, kind);
    bind_text(st, 3, sha256);
    bind_text(st, 4, version);
    bind_text(st, 5, thr);
    if (step_done(s, st, "old peaks", err) < 0)
        goto done;
    st = prepare(s,
                 "DELETE FROM results WHERE recording_id=?1 AND kind=?2 AND input_sha256=?3 AND"
                 " formcheck_version=?4 AND thresholds_sha256=?5",
                 err);
    if (!st)
        goto done;
    sqlite3_bind_int64(st, 1, recording_id);
    bind_text(st, 2, kind);
    bind_text(st, 3, sha256);
    bind_text(st, 4, version);
    bind_text(st, 5, thr);
    if (step_done(s, st, "old result", err) < 0)
        goto done;
    st = prepare(s, "UPDATE results SET current=0 WHERE recording_id=?1 AND current=1", err);
    if (!st)
        goto done;
    sqlite3_bind_int64(st, 1, recording_id);
    if (step_done(s, st, "history", err) < 0)
        goto done;
    st = prepare(s,
                 "INSERT INTO results(recording_id, kind, created_at, input_sha256,"
                 " formcheck_version, thresholds_sha256, exercise, view, score, band, n_reps,"
                 " n_findings, findings, report, current)"
                 " VALUES(?1, ?2, " NOW ", ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 1)",
                 err);
    if (!st)
        goto done;
    sqlite3_bind_int64(st, 1, recording_id);
    bind_text(st, 2, kind);
    bind_text(st, 3, sha256);
    bind_text(st, 4, version);
    bind_text(st, 5, thr);
    bind_text(st, 6, cJSON_IsString(ex) ? ex->valuestring : NULL);
    bind_text(st, 7, cJSON_IsString(view) ? view->valuestring : NULL);
    if (cJSON_IsNumber(score))
        sqlite3_bind_double(st, 8, score->valuedouble);
    bind_text(st, 9, cJSON_IsString(band) ? band->valuestring : NULL);
    sqlite3_bind_int(st, 10, cJSON_IsNumber(n_reps) ? n_reps->valueint : 0);
    sqlite3_bind_int(st, 11, cJSON_GetArraySize(findings));
    bind_text(st, 12, findings_text ? findings_text : "[]");
    bind_text(st, 13, report_json);
    if (step_done(s, st, "result", err) < 0)
        goto done;
    int64_t result_id = sqlite3_last_insert_rowid(s->db);
    const cJSON *rep;
    cJSON_ArrayForEach(rep, cJSON_GetObjectItem(r, "reps"))
    {
        if (insert_peaks(s, result_id, rep, err) < 0)
            goto done;
    }
    rc = 0;
done:
    cJSON_free(findings_text);
    cJSON_Delete(r);
    return rc < 0 ? (err->code ? err->code : FC_ERR_IO) : 0;
}

static int insert_keypoints(struct fc_store *s, const struct fc_store_claim *c,
                            const struct fc_job_output *o, struct fc_error *err)
{
    sqlite3_stmt *st = prepare(s,
                               "INSERT OR REPLACE INTO keypoints(recording_id, input_sha256,"
                               " format, n_frames, raw_bytes, data)"
                               " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
                               err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, c->id);
    bind_text(st, 2, c->sha256);
    bind_text(st, 3, fc_keypoints_format_name(o->keypoints_format));
    sqlite3_bind_int64(st, 4, o->n_frames);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)o->keypoints_raw_len);
    sqlite3_bind_blob(st, 6, o->keypoints, (int)o->keypoints_len, SQLITE_STATIC);
    return step_done(s, st, "keypoints", err);
}

/* The worst rep's still (batch/still.h), or none: an older one goes. */
static int insert_still(struct fc_store *s, const struct fc_store_claim *c,
                        const struct fc_job_output *o, struct fc_error *err)
{
    sqlite3_stmt *st =
        o->still_png_base64
            ? prepare(s,
                      "INSERT OR REPLACE INTO stills(recording_id, input_sha256, rep, t_s,"
                      " png_base64) VALUES(?1, ?2, ?3, ?4, ?5)",
                      err)
            : prepare(s, "DELETE FROM stills WHERE recording_id = ?1", err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, c->id);
    if (o->still_png_base64) {
        bind_text(st, 2, c->sha256);
        sqlite3_bind_int(st, 3, o->still_rep);
        sqlite3_bind_double(st, 4, o->still_t_s);
        bind_text(st, 5, o->still_png_base64);
    }
    return step_done(s, st, "still", err);
}

int fc_store_finish(struct fc_store *s, const struct fc_store_claim *c, const char *worker,
                    const char *version, const char *thresholds_sha256,
                    const struct fc_job_output *o, struct fc_error *err)
{
    if (s->pg)
        return fc_pg_finish(s->pg, c, worker, version, thresholds_sha256, o, err);
    if (fc_store_begin(s, err) < 0)
        return err->code;
    sqlite3_stmt *st = prepare(s,
                               "UPDATE recordings SET status='done', error=NULL,"
                               " finished_at=" NOW ", formcheck_version=?3,"
                               " thresholds_sha256=?4 WHERE id=?1 AND worker=?2 AND"
                               " status='running'",
                               err);
    if (!st)
        goto fail;
    sqlite3_bind_int64(st, 1, c->id);
    bind_text(st, 2, worker);
    bind_text(st, 3, version);
    bind_text(st, 4, thresholds_sha256);
    if (step_done(s, st, "finish", err) < 0)
        goto fail;
    if (sqlite3_changes(s->db) != 1) {
        fc_error_set(err, FC_ERR_ARG, "%s: recording %lld is no longer this worker's", s->path,
                     (long long)c->id);
        goto fail;
    }
    if (insert_result(s, c->id, "analysis", c->sha256, version, thresholds_sha256, o->report_json,
                      err) < 0 ||
        insert_keypoints(s, c, o, err) < 0 || insert_still(s, c, o, err) < 0 ||
        fc_store_commit(s, err) < 0)
        goto fail;
    return 0;
fail:
    fc_store_rollback(s);
    return err->code ? err->code : FC_ERR_IO;
}

int fc_store_renew(struct fc_store *s, int64_t id, const char *worker, struct fc_error *err)
{
    return s->pg ? fc_pg_renew(s->pg, id, worker, s->lease_s, err) : 0;
}

int fc_store_fail(struct fc_store *s, int64_t id, const char *worker, const char *message,
                  struct fc_error *err)
{
    if (s->pg)
        return fc_pg_fail(s->pg, id, worker, message, err);
    sqlite3_stmt *st = prepare(s,
                               "UPDATE recordings SET status='failed', error=?3,"
                               " finished_at=" NOW " WHERE id=?1 AND worker=?2 AND"
                               " status='running'",
                               err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, id);
    bind_text(st, 2, worker);
    bind_text(st, 3, message);
    return step_done(s, st, "fail", err);
}

int fc_store_fail_worker(struct fc_store *s, const char *worker, const char *message, int64_t *id,
                         struct fc_error *err)
{
    if (s->pg)
        return fc_pg_fail_worker(s->pg, worker, message, id, err);
    *id = 0;
    sqlite3_stmt *st = prepare(s,
                               "UPDATE recordings SET status='failed', error=?2,"
                               " finished_at=" NOW " WHERE worker=?1 AND status='running'"
                               " RETURNING id",
                               err);
    if (!st)
        return err->code;
    bind_text(st, 1, worker);
    bind_text(st, 2, message);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : db_error(s, err, "fail a worker's recording");
}

int fc_store_add_regrade(struct fc_store *s, int64_t recording_id, const char *sha256,
                         const char *version, const char *thresholds_sha256,
                         const char *report_json, struct fc_error *err)
{
    if (s->pg)
        return fc_pg_add_regrade(s->pg, recording_id, sha256, version, thresholds_sha256,
                                 report_json, err);
    if (fc_store_begin(s, err) < 0)
        return err->code;
    if (insert_result(s, recording_id, "regrade", sha256, version, thresholds_sha256, report_json,
                      err) < 0 ||
        fc_store_commit(s, err) < 0) {
        fc_store_rollback(s);
        return err->code ? err->code : FC_ERR_IO;
    }
    return 0;
}

int fc_store_run_counts(struct fc_store *s, int64_t run_id, int *done, int *failed,
                        struct fc_error *err)
{
    if (s->pg)
        return fc_pg_run_counts(s->pg, run_id, done, failed, err);
    *done = *failed = 0;
    sqlite3_stmt *st = prepare(s,
                               "SELECT coalesce(sum(status='done'), 0),"
                               " coalesce(sum(status='failed'), 0) FROM recordings"
                               " WHERE run_id=?1",
                               err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, run_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *done = sqlite3_column_int(st, 0);
        *failed = sqlite3_column_int(st, 1);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : db_error(s, err, "count");
}

int fc_store_query(struct fc_store *s, const char *sql, int n_params, const char *const *params,
                   fc_store_row_fn row, void *ctx, struct fc_error *err)
{
    if (s->pg)
        return fc_pg_query(s->pg, sql, n_params, params, row, ctx, err);
    sqlite3_stmt *st = prepare(s, sql, err);
    if (!st)
        return err->code;
    for (int i = 0; i < n_params; i++) {
        char name[16];
        snprintf(name, sizeof name, "$%d", i + 1);
        int at = sqlite3_bind_parameter_index(st, name);
        if (at > 0)
            bind_text(st, at, params[i]);
    }
    int n = sqlite3_column_count(st), rc = 0, step;
    if (n > FC_STORE_MAX_COLUMNS)
        n = FC_STORE_MAX_COLUMNS;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *v[FC_STORE_MAX_COLUMNS];
        for (int i = 0; i < n; i++)
            v[i] = (const char *)sqlite3_column_text(st, i);
        rc = row(ctx, n, v);
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = db_error(s, err, "query");
    sqlite3_finalize(st);
    return rc;
}

/* Names as stored back to enums (AUTO for a name this version does not know). */
static void stored_names(struct fc_stored_keypoints *k, const char *exercise, const char *view,
                         const char *format)
{
    int e = fc_exercise_from_name(exercise), v = fc_view_from_name(view);
    k->exercise = e < 0 ? FC_EXERCISE_AUTO : (enum fc_exercise)e;
    k->view = v < 0 ? FC_VIEW_AUTO : (enum fc_view)v;
    k->format = fc_keypoints_format_from_name(format);
}

int fc_store_keypoints(struct fc_store *s, int64_t recording_id, struct fc_stored_keypoints *k,
                       struct fc_error *err)
{
    memset(k, 0, sizeof *k);
    if (s->pg)
        return fc_pg_keypoints(s->pg, recording_id, k, err);
    sqlite3_stmt *st = prepare(s,
                               "SELECT rec.path, rec.exercise, rec.view, k.input_sha256, k.format,"
                               " k.raw_bytes, k.data FROM recordings rec JOIN keypoints k ON"
                               " k.recording_id = rec.id WHERE rec.id = ?1",
                               err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, recording_id);
    int rc = 0;
    if (sqlite3_step(st) != SQLITE_ROW) {
        rc = fc_error_set(err, FC_ERR_IO, "%s: recording %lld has no stored keypoints", s->path,
                          (long long)recording_id);
    } else {
        copy_column(k->path, sizeof k->path, st, 0);
        copy_column(k->sha256, sizeof k->sha256, st, 3);
        char ex[64], view[32], format[64];
        copy_column(ex, sizeof ex, st, 1);
        copy_column(view, sizeof view, st, 2);
        copy_column(format, sizeof format, st, 4);
        stored_names(k, ex, view, format);
        k->raw_len = (size_t)sqlite3_column_int64(st, 5);
        k->len = (size_t)sqlite3_column_bytes(st, 6);
        k->data = malloc(k->len ? k->len : 1);
        if (!k->data)
            rc = fc_error_set(err, FC_ERR_NOMEM, "out of memory");
        else if (k->len)
            memcpy(k->data, sqlite3_column_blob(st, 6), k->len);
    }
    sqlite3_finalize(st);
    return rc;
}

void fc_store_stored_names(struct fc_stored_keypoints *k, const char *exercise, const char *view,
                           const char *format)
{
    stored_names(k, exercise, view, format);
}
