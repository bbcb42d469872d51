#include "batch/store_pg.h"

#include <cjson/cJSON.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Two batches creating the tables at once would race on CREATE ... IF NOT
 * EXISTS; this advisory lock key ("fc" in ASCII, then 1) serialises them. */
#define PG_SCHEMA_LOCK_KEY 0x66630001

static const char pg_schema_sql[] =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS runs(id BIGSERIAL PRIMARY KEY, started_at TIMESTAMPTZ NOT NULL"
    " DEFAULT now(), finished_at TIMESTAMPTZ, source TEXT NOT NULL, host TEXT, pid INTEGER,"
    " formcheck_version TEXT NOT NULL, thresholds_sha256 TEXT NOT NULL, shard TEXT, summary TEXT);"
    "CREATE TABLE IF NOT EXISTS patients(id BIGSERIAL PRIMARY KEY, code TEXT NOT NULL UNIQUE);"
    "CREATE TABLE IF NOT EXISTS sessions(id BIGSERIAL PRIMARY KEY,"
    " patient_id BIGINT NOT NULL REFERENCES patients(id), label TEXT NOT NULL,"
    " recorded_at TEXT NOT NULL DEFAULT '', UNIQUE(patient_id, label));"
    "CREATE TABLE IF NOT EXISTS recordings(id BIGSERIAL PRIMARY KEY,"
    " session_id BIGINT NOT NULL REFERENCES sessions(id), path TEXT NOT NULL UNIQUE,"
    " recorded_at TEXT NOT NULL DEFAULT '', exercise TEXT NOT NULL, view TEXT NOT NULL,"
    " notes TEXT NOT NULL DEFAULT '', metadata TEXT NOT NULL DEFAULT '{}', manifest_line INTEGER,"
    " input_sha256 TEXT, size_bytes BIGINT,"
    " status TEXT NOT NULL CHECK(status IN ('pending','running','done','failed')),"
    " error TEXT, attempts INTEGER NOT NULL DEFAULT 0, worker TEXT,"
    " run_id BIGINT REFERENCES runs(id), lease_until TIMESTAMPTZ, queued_at TIMESTAMPTZ,"
    " started_at TIMESTAMPTZ, finished_at TIMESTAMPTZ, formcheck_version TEXT,"
    " thresholds_sha256 TEXT);"
    "CREATE INDEX IF NOT EXISTS recordings_queue ON recordings(status, id);"
    "CREATE TABLE IF NOT EXISTS results(id BIGSERIAL PRIMARY KEY,"
    " recording_id BIGINT NOT NULL REFERENCES recordings(id),"
    " kind TEXT NOT NULL CHECK(kind IN ('analysis','regrade')), created_at TIMESTAMPTZ NOT NULL"
    " DEFAULT now(), input_sha256 TEXT NOT NULL, formcheck_version TEXT NOT NULL,"
    " thresholds_sha256 TEXT NOT NULL, exercise TEXT, view TEXT, score DOUBLE PRECISION,"
    " band TEXT, n_reps INTEGER, n_findings INTEGER, findings TEXT NOT NULL, report TEXT NOT NULL,"
    " current INTEGER NOT NULL DEFAULT 1,"
    " UNIQUE(recording_id, kind, input_sha256, formcheck_version, thresholds_sha256));"
    "CREATE UNIQUE INDEX IF NOT EXISTS results_current ON results(recording_id) WHERE current=1;"
    "CREATE TABLE IF NOT EXISTS rep_peaks(result_id BIGINT NOT NULL REFERENCES results(id)"
    " ON DELETE CASCADE, rep INTEGER NOT NULL, side TEXT, metric TEXT NOT NULL,"
    " value DOUBLE PRECISION, uncertainty DOUBLE PRECISION, t_s DOUBLE PRECISION,"
    " PRIMARY KEY(result_id, rep, metric));"
    "CREATE TABLE IF NOT EXISTS keypoints(recording_id BIGINT PRIMARY KEY"
    " REFERENCES recordings(id), input_sha256 TEXT NOT NULL, format TEXT NOT NULL,"
    " n_frames BIGINT, raw_bytes BIGINT NOT NULL, data BYTEA NOT NULL);"
    "CREATE TABLE IF NOT EXISTS stills(recording_id BIGINT PRIMARY KEY"
    " REFERENCES recordings(id), input_sha256 TEXT NOT NULL, rep INTEGER,"
    " t_s DOUBLE PRECISION, png_base64 TEXT NOT NULL);"
    "INSERT INTO meta VALUES('schema_version', '1') ON CONFLICT DO NOTHING;";

struct fc_store_pg {
    PGconn *conn;
    /* the run's version and thresholds (fc_pg_run_start): a recording done
     * with them is not queued again by a run planning at the same time */
    char version[32], thresholds[80];
    char where[256]; /* the URI without its password, for messages */
};

int fc_pg_is_uri(const char *path)
{
    return strncmp(path, "postgresql://", 13) == 0 || strncmp(path, "postgres://", 11) == 0;
}

/* A message with the server's words; returns FC_ERR_IO. */
static int pg_error(struct fc_store_pg *s, const PGresult *r, const char *what,
                    struct fc_error *err)
{
    const char *msg = r ? PQresultErrorMessage(r) : PQerrorMessage(s->conn);
    char text[FC_ERROR_MSG_MAX];
    snprintf(text, sizeof text, "%s", msg && *msg ? msg : "no message");
    size_t n = strlen(text);
    while (n && (text[n - 1] == '\n' || text[n - 1] == ' '))
        text[--n] = 0;
    return fc_error_set(err, FC_ERR_IO, "%s: %s: %s", s->where, what, text);
}

/* Runs sql with text parameters; NULL after setting err when it failed. */
static PGresult *run(struct fc_store_pg *s, const char *sql, int n, const char *const *params,
                     const char *what, struct fc_error *err)
{
    PGresult *r = PQexecParams(s->conn, sql, n, NULL, params, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        pg_error(s, r, what, err);
        PQclear(r);
        return NULL;
    }
    return r;
}

static int run_ok(struct fc_store_pg *s, const char *sql, int n, const char *const *params,
                  const char *what, struct fc_error *err)
{
    PGresult *r = run(s, sql, n, params, what, err);
    PQclear(r);
    return r ? 0 : FC_ERR_IO;
}

int fc_pg_exec(struct fc_store_pg *s, const char *sql, struct fc_error *err)
{
    PGresult *r = PQexec(s->conn, sql);
    ExecStatusType st = PQresultStatus(r);
    int rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? 0 : pg_error(s, r, sql, err);
    PQclear(r);
    return rc;
}

int fc_pg_open(struct fc_store_pg **out, const char *uri, struct fc_error *err)
{
    *out = NULL;
    struct fc_store_pg *s = calloc(1, sizeof *s);
    if (!s)
        return fc_error_set(err, FC_ERR_NOMEM, "out of memory");
    /* messages name the server without the password a URI may carry */
    const char *at = strchr(uri, '@');
    const char *scheme_end = strstr(uri, "://");
    if (at && scheme_end && at > scheme_end)
        snprintf(s->where, sizeof s->where, "%.*s//...%s", (int)(scheme_end - uri + 1), uri, at);
    else
        snprintf(s->where, sizeof s->where, "%s", uri);
    s->conn = PQconnectdb(uri);
    if (PQstatus(s->conn) != CONNECTION_OK) {
        pg_error(s, NULL, "cannot connect", err);
        fc_pg_close(s);
        return FC_ERR_IO;
    }
    char lock[64];
    snprintf(lock, sizeof lock, "SELECT pg_advisory_xact_lock(%d)", PG_SCHEMA_LOCK_KEY);
    if (fc_pg_exec(s, "SET client_min_messages = warning", err) < 0 ||
        fc_pg_exec(s, "BEGIN", err) < 0 || fc_pg_exec(s, lock, err) < 0 ||
        fc_pg_exec(s, pg_schema_sql, err) < 0 || fc_pg_exec(s, "COMMIT", err) < 0) {
        fc_pg_close(s);
        return FC_ERR_IO;
    }
    *out = s;
    return 0;
}

void fc_pg_close(struct fc_store_pg *s)
{
    if (!s)
        return;
    PQfinish(s->conn);
    free(s);
}

static void copy_value(char *dst, size_t len, const PGresult *r, int row, int col)
{
    snprintf(dst, len, "%s", PQgetisnull(r, row, col) ? "" : PQgetvalue(r, row, col));
}

int fc_pg_lookup(struct fc_store_pg *s, const char *path, struct fc_store_previous *prev,
                 struct fc_error *err)
{
    memset(prev, 0, sizeof *prev);
    const char *p[] = {path};
    PGresult *r = run(s,
                      "SELECT id, status, input_sha256, formcheck_version, thresholds_sha256,"
                      " error FROM recordings WHERE path = $1",
                      1, p, "lookup", err);
    if (!r)
        return FC_ERR_IO;
    if (PQntuples(r) == 1) {
        prev->found = 1;
        prev->id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        copy_value(prev->status, sizeof prev->status, r, 0, 1);
        copy_value(prev->sha256, sizeof prev->sha256, r, 0, 2);
        copy_value(prev->version, sizeof prev->version, r, 0, 3);
        copy_value(prev->thresholds, sizeof prev->thresholds, r, 0, 4);
        copy_value(prev->error, sizeof prev->error, r, 0, 5);
    }
    PQclear(r);
    return 0;
}

int fc_pg_run_start(struct fc_store_pg *s, const char *source, const char *version, const char *thr,
                    const char *shard, int64_t *run_id, struct fc_error *err)
{
    char host[256] = "", pid[32];
    gethostname(host, sizeof host - 1);
    snprintf(pid, sizeof pid, "%ld", (long)getpid());
    const char *p[] = {source, host, pid, version, thr, shard};
    PGresult *r = run(s,
                      "INSERT INTO runs(source, host, pid, formcheck_version, thresholds_sha256,"
                      " shard) VALUES($1, $2, $3, $4, $5, $6) RETURNING id",
                      6, p, "new run", err);
    if (!r)
        return FC_ERR_IO;
    *run_id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    snprintf(s->version, sizeof s->version, "%s", version);
    snprintf(s->thresholds, sizeof s->thresholds, "%s", thr);
    return 0;
}

int fc_pg_run_finish(struct fc_store_pg *s, int64_t run_id, const char *summary,
                     struct fc_error *err)
{
    char id[32];
    snprintf(id, sizeof id, "%lld", (long long)run_id);
    const char *p[] = {summary, id};
    return run_ok(s, "UPDATE runs SET finished_at = now(), summary = $1 WHERE id = $2", 2, p,
                  "finish run", err);
}

int fc_pg_enqueue(struct fc_store_pg *s, int64_t run_id, const struct fc_manifest_entry *e,
                  const char *sha256, long long size_bytes, const char *failed,
                  struct fc_error *err)
{
    char run_text[32], size[32], line[32];
    snprintf(run_text, sizeof run_text, "%lld", (long long)run_id);
    snprintf(size, sizeof size, "%lld", size_bytes);
    snprintf(line, sizeof line, "%d", e->line);
    const char *pp[] = {e->patient};
    const char *sp[] = {e->patient, e->session, e->recorded_at};
    const char *rp[] = {e->session,
                        e->patient,
                        e->path,
                        e->recorded_at,
                        fc_exercise_name(e->exercise),
                        fc_view_name(e->view),
                        e->notes,
                        e->metadata,
                        line,
                        sha256,
                        size,
                        failed ? "failed" : "pending",
                        failed,
                        run_text,
                        s->version,
                        s->thresholds};
    if (run_ok(s, "INSERT INTO patients(code) VALUES($1) ON CONFLICT(code) DO NOTHING", 1, pp,
               "patient", err) < 0 ||
        run_ok(s,
               "INSERT INTO sessions(patient_id, label, recorded_at) SELECT id, $2, $3 FROM"
               " patients WHERE code = $1 ON CONFLICT(patient_id, label) DO UPDATE SET"
               " recorded_at = CASE WHEN excluded.recorded_at <> '' AND (sessions.recorded_at ="
               " '' OR excluded.recorded_at < sessions.recorded_at) THEN excluded.recorded_at"
               " ELSE sessions.recorded_at END",
               3, sp, "session", err) < 0)
        return FC_ERR_IO;
    /* A row another worker holds under a live lease is left alone, and so
     * is one another run finished meanwhile with the same input, version
     * and thresholds. */
    return run_ok(
        s,
        "INSERT INTO recordings(session_id, path, recorded_at, exercise, view, notes, metadata,"
        " manifest_line, input_sha256, size_bytes, status, error, run_id, queued_at, finished_at)"
        " SELECT se.id, $3, $4, $5, $6, $7, $8, $9::int, $10, $11::bigint, $12, $13, $14::bigint,"
        " now(), CASE WHEN $12 = 'failed' THEN now() END FROM sessions se JOIN patients p ON"
        " p.id = se.patient_id WHERE p.code = $2 AND se.label = $1"
        " ON CONFLICT(path) DO UPDATE SET session_id = excluded.session_id,"
        " recorded_at = excluded.recorded_at, exercise = excluded.exercise, view = excluded.view,"
        " notes = excluded.notes, metadata = excluded.metadata,"
        " manifest_line = excluded.manifest_line, input_sha256 = excluded.input_sha256,"
        " size_bytes = excluded.size_bytes, status = excluded.status, error = excluded.error,"
        " run_id = excluded.run_id, queued_at = excluded.queued_at,"
        " finished_at = excluded.finished_at, worker = NULL"
        " WHERE (recordings.status <> 'running' OR recordings.lease_until < now()) AND NOT"
        " (recordings.status = 'done' AND recordings.input_sha256 = excluded.input_sha256 AND"
        " recordings.formcheck_version = $15 AND recordings.thresholds_sha256 = $16)",
        16, rp, "queue a recording", err);
}

int fc_pg_claim(struct fc_store_pg *s, int64_t run_id, const char *worker, double lease_s,
                struct fc_store_claim *c, struct fc_error *err)
{
    memset(c, 0, sizeof *c);
    char run_text[32], lease[32];
    snprintf(run_text, sizeof run_text, "%lld", (long long)run_id);
    snprintf(lease, sizeof lease, "%.3f", lease_s);
    const char *p[] = {worker, lease, run_text};
    PGresult *r =
        run(s,
            "UPDATE recordings SET status = 'running', worker = $1, attempts = attempts + 1,"
            " started_at = now(), lease_until = now() + make_interval(secs => $2::float8),"
            " run_id = $3::bigint WHERE id = (SELECT id FROM recordings WHERE status = 'pending'"
            " OR (status = 'running' AND lease_until < now()) ORDER BY id LIMIT 1"
            " FOR UPDATE SKIP LOCKED) RETURNING id, path, input_sha256, exercise, view,"
            " (SELECT p.code FROM sessions se JOIN patients p ON p.id = se.patient_id"
            "  WHERE se.id = session_id), (SELECT label FROM sessions WHERE id = session_id)",
            3, p, "claim", err);
    if (!r)
        return FC_ERR_IO;
    if (PQntuples(r) == 1) {
        c->id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        copy_value(c->path, sizeof c->path, r, 0, 1);
        copy_value(c->sha256, sizeof c->sha256, r, 0, 2);
        int e = fc_exercise_from_name(PQgetvalue(r, 0, 3));
        c->exercise = e < 0 ? FC_EXERCISE_AUTO : (enum fc_exercise)e;
        int v = fc_view_from_name(PQgetvalue(r, 0, 4));
        c->view = v < 0 ? FC_VIEW_AUTO : (enum fc_view)v;
        copy_value(c->patient, sizeof c->patient, r, 0, 5);
        copy_value(c->session, sizeof c->session, r, 0, 6);
        PQclear(r);
        return 1;
    }
    PQclear(r);
    /* Nothing free: wait while others hold leases that may run out. */
    r = run(s, "SELECT count(*) FROM recordings WHERE status = 'running'", 0, NULL, "claim", err);
    if (!r)
        return FC_ERR_IO;
    int busy = atoi(PQgetvalue(r, 0, 0)) > 0;
    PQclear(r);
    return busy ? FC_STORE_WAIT : 0;
}

/* The result row of a report JSON and its rep peaks (inside a transaction). */
static int insert_result(struct fc_store_pg *s, const char *id, const char *kind, const char *sha,
                         const char *version, const char *thr, const char *report,
                         struct fc_error *err)
{
    cJSON *j = cJSON_Parse(report);
    if (!j)
        return fc_error_set(err, FC_ERR_FORMAT, "%s: the report JSON does not parse", s->where);
    const cJSON *grade = cJSON_GetObjectItem(j, "grade");
    const cJSON *score = cJSON_GetObjectItem(grade, "score");
    const cJSON *band = cJSON_GetObjectItem(grade, "band");
    const cJSON *view = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "view"), "used");
    const cJSON *ex = cJSON_GetObjectItem(j, "exercise");
    const cJSON *n_reps = cJSON_GetObjectItem(j, "n_reps");
    const cJSON *findings = cJSON_GetObjectItem(j, "findings");
    char *findings_text = cJSON_PrintUnformatted(findings);
    char score_text[32] = "", reps_text[16], nf_text[16];
    if (cJSON_IsNumber(score))
        snprintf(score_text, sizeof score_text, "%.17g", score->valuedouble);
    snprintf(reps_text, sizeof reps_text, "%d", cJSON_IsNumber(n_reps) ? n_reps->valueint : 0);
    snprintf(nf_text, sizeof nf_text, "%d", cJSON_GetArraySize(findings));
    const char *key[] = {id, kind, sha, version, thr};
    const char *p[] = {id,
                       kind,
                       sha,
                       version,
                       thr,
                       cJSON_IsString(ex) ? ex->valuestring : NULL,
                       cJSON_IsString(view) ? view->valuestring : NULL,
                       score_text[0] ? score_text : NULL,
                       cJSON_IsString(band) ? band->valuestring : NULL,
                       reps_text,
                       nf_text,
                       findings_text ? findings_text : "[]",
                       report};
    int rc = FC_ERR_IO;
    PGresult *r = NULL;
    if (run_ok(s,
               "DELETE FROM results WHERE recording_id = $1::bigint AND kind = $2 AND"
               " input_sha256 = $3 AND formcheck_version = $4 AND thresholds_sha256 = $5",
               5, key, "old result", err) < 0 ||
        run_ok(s, "UPDATE results SET current = 0 WHERE recording_id = $1::bigint AND current = 1",
               1, key, "history", err) < 0)
        goto done;
    r = run(s,
            "INSERT INTO results(recording_id, kind, input_sha256, formcheck_version,"
            " thresholds_sha256, exercise, view, score, band, n_reps, n_findings, findings,"
            " report) VALUES($1::bigint, $2, $3, $4, $5, $6, $7, $8::float8, $9, $10::int,"
            " $11::int, $12, $13) RETURNING id",
            13, p, "result", err);
    if (!r)
        goto done;
    char result_id[32];
    snprintf(result_id, sizeof result_id, "%s", PQgetvalue(r, 0, 0));
    const cJSON *rep;
    cJSON_ArrayForEach(rep, cJSON_GetObjectItem(j, "reps"))
    {
        const cJSON *idx = cJSON_GetObjectItem(rep, "index");
        const cJSON *side = cJSON_GetObjectItem(rep, "side");
        const cJSON *us = cJSON_GetObjectItem(rep, "peaks_u");
        const cJSON *ts = cJSON_GetObjectItem(rep, "t_peak_s");
        const cJSON *pk;
        if (!cJSON_IsNumber(idx))
            continue;
        cJSON_ArrayForEach(pk, cJSON_GetObjectItem(rep, "peaks"))
        {
            const cJSON *u = cJSON_GetObjectItem(us, pk->string);
            const cJSON *t = cJSON_GetObjectItem(ts, pk->string);
            char rep_text[16], v[32], uv[32], tv[32];
            snprintf(rep_text, sizeof rep_text, "%d", idx->valueint);
            snprintf(v, sizeof v, "%.17g", cJSON_IsNumber(pk) ? pk->valuedouble : 0);
            snprintf(uv, sizeof uv, "%.17g", cJSON_IsNumber(u) ? u->valuedouble : 0);
            snprintf(tv, sizeof tv, "%.17g", cJSON_IsNumber(t) ? t->valuedouble : 0);
            const char *pp[] = {result_id,
                                rep_text,
                                cJSON_IsString(side) ? side->valuestring : NULL,
                                pk->string,
                                cJSON_IsNumber(pk) ? v : NULL,
                                cJSON_IsNumber(u) ? uv : NULL,
                                cJSON_IsNumber(t) ? tv : NULL};
            if (run_ok(s,
                       "INSERT INTO rep_peaks(result_id, rep, side, metric, value, uncertainty,"
                       " t_s) VALUES($1::bigint, $2::int, $3, $4, $5::float8, $6::float8,"
                       " $7::float8) ON CONFLICT DO NOTHING",
                       7, pp, "rep peak", err) < 0)
                goto done;
        }
    }
    rc = 0;
done:
    PQclear(r);
    cJSON_free(findings_text);
    cJSON_Delete(j);
    return rc;
}

static int insert_keypoints(struct fc_store_pg *s, const char *id, const struct fc_store_claim *c,
                            const struct fc_job_output *o, struct fc_error *err)
{
    char frames[32], raw[32];
    snprintf(frames, sizeof frames, "%ld", o->n_frames);
    snprintf(raw, sizeof raw, "%zu", o->keypoints_raw_len);
    const char *p[] = {id,     c->sha256, fc_keypoints_format_name(o->keypoints_format),
                       frames, raw,       (const char *)o->keypoints};
    int lengths[6] = {0, 0, 0, 0, 0, (int)o->keypoints_len};
    int formats[6] = {0, 0, 0, 0, 0, 1}; /* the blob goes as binary */
    PGresult *r = PQexecParams(
        s->conn,
        "INSERT INTO keypoints(recording_id, input_sha256, format, n_frames, raw_bytes, data)"
        " VALUES($1::bigint, $2, $3, $4::bigint, $5::bigint, $6::bytea) ON CONFLICT"
        " (recording_id) DO UPDATE SET input_sha256 = excluded.input_sha256,"
        " format = excluded.format, n_frames = excluded.n_frames,"
        " raw_bytes = excluded.raw_bytes, data = excluded.data",
        6, NULL, p, lengths, formats, 0);
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : pg_error(s, r, "keypoints", err);
    PQclear(r);
    return rc;
}

/* The worst rep's still (batch/still.h), or none: an older one goes. */
static int insert_still(struct fc_store_pg *s, const char *id, const struct fc_store_claim *c,
                        const struct fc_job_output *o, struct fc_error *err)
{
    if (!o->still_png_base64) {
        const char *p[] = {id};
        return run_ok(s, "DELETE FROM stills WHERE recording_id = $1::bigint", 1, p, "still", err);
    }
    char rep[16], t[32];
    snprintf(rep, sizeof rep, "%d", o->still_rep);
    snprintf(t, sizeof t, "%.17g", o->still_t_s);
    const char *p[] = {id, c->sha256, rep, t, o->still_png_base64};
    return run_ok(s,
                  "INSERT INTO stills(recording_id, input_sha256, rep, t_s, png_base64)"
                  " VALUES($1::bigint, $2, $3::int, $4::float8, $5) ON CONFLICT(recording_id)"
                  " DO UPDATE SET input_sha256 = excluded.input_sha256, rep = excluded.rep,"
                  " t_s = excluded.t_s, png_base64 = excluded.png_base64",
                  5, p, "still", err);
}

int fc_pg_finish(struct fc_store_pg *s, const struct fc_store_claim *c, const char *worker,
                 const char *version, const char *thr, const struct fc_job_output *o,
                 struct fc_error *err)
{
    char id[32];
    snprintf(id, sizeof id, "%lld", (long long)c->id);
    const char *p[] = {id, worker, version, thr};
    if (fc_pg_exec(s, "BEGIN", err) < 0)
        return FC_ERR_IO;
    PGresult *r = run(s,
                      "UPDATE recordings SET status = 'done', error = NULL, finished_at = now(),"
                      " formcheck_version = $3, thresholds_sha256 = $4, lease_until = NULL"
                      " WHERE id = $1::bigint AND worker = $2 AND status = 'running'",
                      4, p, "finish", err);
    if (!r)
        goto fail;
    int mine = strcmp(PQcmdTuples(r), "1") == 0;
    PQclear(r);
    if (!mine) {
        fc_error_set(err, FC_ERR_ARG, "%s: recording %s is no longer this worker's", s->where, id);
        goto fail;
    }
    if (insert_result(s, id, "analysis", c->sha256, version, thr, o->report_json, err) < 0 ||
        insert_keypoints(s, id, c, o, err) < 0 || insert_still(s, id, c, o, err) < 0 ||
        fc_pg_exec(s, "COMMIT", err) < 0)
        goto fail;
    return 0;
fail:
    PQclear(PQexec(s->conn, "ROLLBACK"));
    return err->code ? err->code : FC_ERR_IO;
}

int fc_pg_renew(struct fc_store_pg *s, int64_t id, const char *worker, double lease_s,
                struct fc_error *err)
{
    char id_text[32], lease[32];
    snprintf(id_text, sizeof id_text, "%lld", (long long)id);
    snprintf(lease, sizeof lease, "%.3f", lease_s);
    const char *p[] = {id_text, worker, lease};
    return run_ok(s,
                  "UPDATE recordings SET lease_until = now() + make_interval(secs => $3::float8)"
                  " WHERE id = $1::bigint AND worker = $2 AND status = 'running'",
                  3, p, "renew the lease", err);
}

int fc_pg_fail(struct fc_store_pg *s, int64_t id, const char *worker, const char *message,
               struct fc_error *err)
{
    char id_text[32];
    snprintf(id_text, sizeof id_text, "%lld", (long long)id);
    const char *p[] = {id_text, worker, message};
    return run_ok(s,
                  "UPDATE recordings SET status = 'failed', error = $3, finished_at = now(),"
                  " lease_until = NULL WHERE id = $1::bigint AND worker = $2 AND"
                  " status = 'running'",
                  3, p, "fail", err);
}

int fc_pg_fail_worker(struct fc_store_pg *s, const char *worker, const char *message, int64_t *id,
                      struct fc_error *err)
{
    *id = 0;
    const char *p[] = {worker, message};
    PGresult *r = run(s,
                      "UPDATE recordings SET status = 'failed', error = $2, finished_at = now(),"
                      " lease_until = NULL WHERE worker = $1 AND status = 'running' RETURNING id",
                      2, p, "fail a worker's recording", err);
    if (!r)
        return FC_ERR_IO;
    if (PQntuples(r) > 0)
        *id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return 0;
}

int fc_pg_run_counts(struct fc_store_pg *s, int64_t run_id, int *done, int *failed,
                     struct fc_error *err)
{
    char id[32];
    snprintf(id, sizeof id, "%lld", (long long)run_id);
    const char *p[] = {id};
    PGresult *r = run(s,
                      "SELECT count(*) FILTER (WHERE status = 'done'),"
                      " count(*) FILTER (WHERE status = 'failed') FROM recordings"
                      " WHERE run_id = $1::bigint",
                      1, p, "count", err);
    if (!r)
        return FC_ERR_IO;
    *done = atoi(PQgetvalue(r, 0, 0));
    *failed = atoi(PQgetvalue(r, 0, 1));
    PQclear(r);
    return 0;
}

int fc_pg_query(struct fc_store_pg *s, const char *sql, int n_params, const char *const *params,
                fc_store_row_fn row, void *ctx, struct fc_error *err)
{
    PGresult *r = run(s, sql, n_params, params, "query", err);
    if (!r)
        return FC_ERR_IO;
    int n = PQnfields(r), rows = PQntuples(r), rc = 0;
    if (n > FC_STORE_MAX_COLUMNS)
        n = FC_STORE_MAX_COLUMNS;
    for (int i = 0; i < rows && rc == 0; i++) {
        const char *v[FC_STORE_MAX_COLUMNS];
        for (int c = 0; c < n; c++)
            v[c] = PQgetisnull(r, i, c) ? NULL : PQgetvalue(r, i, c);
        rc = row(ctx, n, v);
    }
    PQclear(r);
    return rc;
}

int fc_pg_keypoints(struct fc_store_pg *s, int64_t recording_id, struct fc_stored_keypoints *k,
                    struct fc_error *err)
{
    char id[32];
    snprintf(id, sizeof id, "%lld", (long long)recording_id);
    const char *p[] = {id};
    /* binary results: the blob arrives as its bytes; numbers as text */
    PGresult *r = PQexecParams(s->conn,
                               "SELECT rec.path, rec.exercise, rec.view, k.input_sha256, k.format,"
                               " k.raw_bytes::text, k.data FROM recordings rec JOIN keypoints k"
                               " ON k.recording_id = rec.id WHERE rec.id = $1::bigint",
                               1, NULL, p, NULL, NULL, 1);
    int rc = 0;
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        rc = pg_error(s, r, "stored keypoints", err);
    else if (PQntuples(r) != 1)
        rc = fc_error_set(err, FC_ERR_IO, "%s: recording %s has no stored keypoints", s->where, id);
    if (rc == 0) {
        copy_value(k->path, sizeof k->path, r, 0, 0);
        copy_value(k->sha256, sizeof k->sha256, r, 0, 3);
        fc_store_stored_names(k, PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 2), PQgetvalue(r, 0, 4));
        k->raw_len = (size_t)strtoull(PQgetvalue(r, 0, 5), NULL, 10);
        k->len = (size_t)PQgetlength(r, 0, 6);
        k->data = malloc(k->len ? k->len : 1);
        if (!k->data)
            rc = fc_error_set(err, FC_ERR_NOMEM, "out of memory");
        else
            memcpy(k->data, PQgetvalue(r, 0, 6), k->len);
    }
    PQclear(r);
    return rc;
}

int fc_pg_add_regrade(struct fc_store_pg *s, int64_t recording_id, const char *sha256,
                      const char *version, const char *thr, const char *report_json,
                      struct fc_error *err)
{
    char id[32];
    snprintf(id, sizeof id, "%lld", (long long)recording_id);
    if (fc_pg_exec(s, "BEGIN", err) < 0)
        return FC_ERR_IO;
    if (insert_result(s, id, "regrade", sha256, version, thr, report_json, err) < 0 ||
        fc_pg_exec(s, "COMMIT", err) < 0) {
        PQclear(PQexec(s->conn, "ROLLBACK"));
        return err->code ? err->code : FC_ERR_IO;
    }
    return 0;
}
