/* realpath */
#define _XOPEN_SOURCE 700
#include "batch/manifest.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/fileio.h"

/* A manifest larger than this is refused rather than read: 64 MiB holds
 * several hundred thousand rows, more than any clinic's archive. */
#define MANIFEST_MAX_BYTES (64u << 20)
/* Columns a header may have; a wider one is not a manifest. */
#define MANIFEST_MAX_COLUMNS 256

enum column {
    COL_PATH,
    COL_PATIENT,
    COL_RECORDED_AT,
    COL_EXERCISE,
    COL_VIEW,
    COL_SESSION,
    COL_NOTES,
    COL_KNOWN,
};
static const char *const column_names[COL_KNOWN] = {
    "path", "patient", "recorded_at", "exercise", "view", "session", "notes",
};

/* One parsed row: fields point into a buffer the row owns. */
struct row {
    char **field;
    size_t n, cap;
    char *buf;
    size_t buf_len, buf_cap;
    int line;      /* where the row starts */
    int lines;     /* lines it spans (a quoted field may hold line breaks) */
    int unclosed;  /* 1: a quote was never closed */
    int bad_quote; /* 1: text after a closing quote */
};

static int buf_put(struct row *r, char c)
{
    if (r->buf_len + 1 >= r->buf_cap) {
        size_t cap = r->buf_cap ? 2 * r->buf_cap : 256;
        char *b = realloc(r->buf, cap);
        if (!b)
            return -1;
        r->buf = b;
        r->buf_cap = cap;
    }
    r->buf[r->buf_len++] = c;
    return 0;
}

/* Field offsets are kept as offsets until the row ends (the buffer moves). */
static int field_start(struct row *r)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 16;
        char **f = realloc(r->field, cap * sizeof *f);
        if (!f)
            return -1;
        r->field = f;
        r->cap = cap;
    }
    r->field[r->n++] = (char *)(uintptr_t)r->buf_len;
    return 0;
}

/* Reads one CSV row (RFC 4180: quoted fields, "" for a quote, CRLF or LF)
 * from text at *pos. 1 a row, 0 the end, -1 out of memory. */
static int read_row(const char *text, size_t len, size_t *pos, int *line, struct row *r)
{
    size_t i = *pos;
    if (i >= len)
        return 0;
    r->n = r->buf_len = 0;
    r->line = *line;
    r->lines = 1;
    r->unclosed = r->bad_quote = 0;
    if (field_start(r) < 0)
        return -1;
    int quoted = 0, after_quote = 0;
    for (; i < len; i++) {
        char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < len && text[i + 1] == '"') {
                if (buf_put(r, '"') < 0)
                    return -1;
                i++;
            } else if (c == '"') {
                quoted = 0;
                after_quote = 1;
            } else {
                if (c == '\n')
                    r->lines++;
                if (buf_put(r, c) < 0)
                    return -1;
            }
            continue;
        }
        if (c == '\n' || (c == '\r' && i + 1 < len && text[i + 1] == '\n')) {
            i += c == '\r' ? 2 : 1;
            break;
        }
        if (c == ',') {
            if (buf_put(r, 0) < 0 || field_start(r) < 0)
                return -1;
            after_quote = 0;
        } else if (c == '"' && r->buf_len == (size_t)(uintptr_t)r->field[r->n - 1] &&
                   !after_quote) {
            quoted = 1;
        } else {
            if (after_quote)
                r->bad_quote = 1;
            if (buf_put(r, c) < 0)
                return -1;
        }
    }
    r->unclosed = quoted;
    if (buf_put(r, 0) < 0)
        return -1;
    for (size_t f = 0; f < r->n; f++)
        r->field[f] = r->buf + (size_t)(uintptr_t)r->field[f];
    *line += r->lines;
    *pos = i;
    return 1;
}

/* Leading and trailing blanks do not belong to a value. */
static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = 0;
    return s;
}

static int digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

int fc_manifest_iso_date(const char *s)
{
    if (strlen(s) < 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
        !digits(s + 8, 2))
        return 0;
    int month = atoi(s + 5), day = atoi(s + 8);
    if (month < 1 || month > 12 || day < 1 || day > 31)
        return 0;
    s += 10;
    if (!*s)
        return 1;
    if ((*s != 'T' && *s != ' ') || !digits(s + 1, 2) || s[3] != ':' || !digits(s + 4, 2))
        return 0;
    if (atoi(s + 1) > 23 || atoi(s + 4) > 59)
        return 0;
    s += 6;
    if (*s == ':') {
        if (!digits(s + 1, 2) || atoi(s + 1) > 60)
            return 0;
        s += 3;
        if (*s == '.') {
            s++;
            if (!isdigit((unsigned char)*s))
                return 0;
            while (isdigit((unsigned char)*s))
                s++;
        }
    }
    if (!*s || (s[0] == 'Z' && !s[1]))
        return 1;
    return (*s == '+' || *s == '-') && digits(s + 1, 2) && s[3] == ':' && digits(s + 4, 2) && !s[6];
}

static char *dup_or_null(const char *s)
{
    return strdup(s ? s : "");
}

static void entry_free(struct fc_manifest_entry *e)
{
    free(e->path);
    free(e->patient);
    free(e->session);
    free(e->recorded_at);
    free(e->notes);
    free(e->metadata);
}

void fc_manifest_free(struct fc_manifest *m)
{
    for (size_t i = 0; i < m->n; i++)
        entry_free(&m->e[i]);
    free(m->e);
    m->e = NULL;
    m->n = 0;
}

static struct fc_manifest_entry *append(struct fc_manifest *m, size_t *cap)
{
    if (m->n == *cap) {
        size_t c = *cap ? 2 * *cap : 64;
        struct fc_manifest_entry *e = realloc(m->e, c * sizeof *e);
        if (!e)
            return NULL;
        m->e = e;
        *cap = c;
    }
    struct fc_manifest_entry *e = &m->e[m->n++];
    memset(e, 0, sizeof *e);
    return e;
}

/* base/rel, or rel when it is absolute or there is no base. */
static char *join_path(const char *base, const char *rel)
{
    if (!base || !*base || rel[0] == '/')
        return strdup(rel);
    size_t n = strlen(base) + strlen(rel) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s%s%s", base, base[strlen(base) - 1] == '/' ? "" : "/", rel);
    return p;
}

/* The session a row belongs to when the manifest names none: the day it was
 * recorded on (a clinic's visit), else "undated". */
static char *default_session(const char *recorded_at)
{
    if (recorded_at && fc_manifest_iso_date(recorded_at)) {
        char day[11];
        memcpy(day, recorded_at, 10);
        day[10] = 0;
        return strdup(day);
    }
    return strdup("undated");
}

static int compare_entries(const void *a, const void *b)
{
    const struct fc_manifest_entry *x = a, *y = b;
    int c = strcmp(x->patient, y->patient);
    if (!c)
        c = strcmp(x->session, y->session);
    return c ? c : strcmp(x->path, y->path);
}

/* Checks the header: every name once, path and patient present. col[k] gets
 * the index of known column k (-1 absent). */
static int read_header(const struct row *h, const char *name, int col[COL_KNOWN],
                       struct fc_error *err)
{
    if (h->n > MANIFEST_MAX_COLUMNS)
        return fc_error_set(err, FC_ERR_FORMAT, "%s: line 1: %zu columns (at most %d)", name, h->n,
                            MANIFEST_MAX_COLUMNS);
    for (int k = 0; k < COL_KNOWN; k++)
        col[k] = -1;
    for (size_t f = 0; f < h->n; f++) {
        const char *v = trim(h->field[f]);
        if (!*v)
            return fc_error_set(err, FC_ERR_FORMAT, "%s: line 1: column %zu has no name", name,
                                f + 1);
        for (size_t g = 0; g < f; g++)
            if (strcmp(v, h->field[g]) == 0)
                return fc_error_set(err, FC_ERR_FORMAT, "%s: line 1: column '%s' appears twice",
                                    name, v);
        for (int k = 0; k < COL_KNOWN; k++)
            if (strcmp(v, column_names[k]) == 0)
                col[k] = (int)f;
    }
    if (col[COL_PATH] < 0 || col[COL_PATIENT] < 0)
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%s: line 1: the header needs the columns 'path' and 'patient' "
                            "(optional: recorded_at, exercise, view, session, notes)",
                            name);
    return 0;
}

/* The row's value of known column k, trimmed; "" when the column is absent. */
static const char *value(const struct row *r, const int col[COL_KNOWN], int k)
{
    return col[k] < 0 ? "" : trim(r->field[col[k]]);
}

/* One data row into an entry; a message naming the line when it is wrong. */
static int read_entry(const struct row *r, const struct row *h, const int col[COL_KNOWN],
                      const char *name, const char *base_dir, struct fc_manifest_entry *e,
                      struct fc_error *err)
{
    e->line = r->line;
    if (r->n != h->n)
        return fc_error_set(err, FC_ERR_FORMAT, "%s: line %d: %zu fields, the header has %zu", name,
                            r->line, r->n, h->n);
    const char *path = value(r, col, COL_PATH), *patient = value(r, col, COL_PATIENT);
    const char *when = value(r, col, COL_RECORDED_AT), *ex = value(r, col, COL_EXERCISE);
    const char *view = value(r, col, COL_VIEW), *session = value(r, col, COL_SESSION);
    if (!*path || !*patient)
        return fc_error_set(err, FC_ERR_FORMAT, "%s: line %d: no %s", name, r->line,
                            *path ? "patient" : "path");
    if (*when && !fc_manifest_iso_date(when))
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%s: line %d: recorded_at '%s' is not an ISO 8601 date or date-time "
                            "(2024-03-05 or 2024-03-05T14:30)",
                            name, r->line, when);
    int exercise = *ex ? fc_exercise_from_name(ex) : FC_EXERCISE_AUTO;
    if (exercise < 0)
        return fc_error_set(err, FC_ERR_FORMAT, "%s: line %d: unknown exercise '%s'", name, r->line,
                            ex);
    int v = *view ? fc_view_from_name(view) : FC_VIEW_AUTO;
    if (v < 0)
        return fc_error_set(err, FC_ERR_FORMAT,
                            "%s: line %d: unknown view '%s' (front, side or auto)", name, r->line,
                            view);
    e->exercise = (enum fc_exercise)exercise;
    e->view = (enum fc_view)v;
    cJSON *meta = cJSON_CreateObject();
    for (size_t f = 0; meta && f < r->n; f++) {
        int known = 0;
        for (int k = 0; k < COL_KNOWN; k++)
            known |= col[k] == (int)f;
        if (!known)
            cJSON_AddStringToObject(meta, trim(h->field[f]), trim(r->field[f]));
    }
    e->metadata = meta ? cJSON_PrintUnformatted(meta) : NULL;
    cJSON_Delete(meta);
    e->path = join_path(base_dir, path);
    e->patient = strdup(patient);
    e->recorded_at = strdup(when);
    e->session = *session ? strdup(session) : default_session(when);
    e->notes = dup_or_null(value(r, col, COL_NOTES));
    if (!e->metadata || !e->path || !e->patient || !e->recorded_at || !e->session || !e->notes)
        return fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory", name);
    return 0;
}

static int blank_row(const struct row *r)
{
    for (size_t f = 0; f < r->n; f++)
        if (*trim(r->field[f]))
            return 0;
    return 1;
}

int fc_manifest_parse(const char *text, size_t len, const char *name, const char *base_dir,
                      struct fc_manifest *out, struct fc_error *err)
{
    memset(out, 0, sizeof *out);
    struct row h = {0}, r = {0};
    size_t pos = 0, cap = 0;
    int line = 1, rc = -1;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) /* a spreadsheet's byte-order mark */
        pos = 3;
    int got = read_row(text, len, &pos, &line, &h);
    if (got < 0)
        goto nomem;
    if (got == 0 || blank_row(&h)) {
        fc_error_set(err, FC_ERR_EMPTY, "%s: empty: no header line", name);
        goto fail;
    }
    if (h.unclosed || h.bad_quote) {
        fc_error_set(err, FC_ERR_FORMAT, "%s: line 1: a quote is not closed where it should be",
                     name);
        goto fail;
    }
    int col[COL_KNOWN];
    if (read_header(&h, name, col, err) < 0)
        goto fail;
    while ((got = read_row(text, len, &pos, &line, &r)) > 0) {
        if (r.unclosed || r.bad_quote) {
            fc_error_set(err, FC_ERR_FORMAT, "%s: line %d: %s", name, r.line,
                         r.unclosed ? "a quoted field is never closed"
                                    : "text after a closing quote");
            goto fail;
        }
        if (blank_row(&r) && r.n == 1)
            continue;
        struct fc_manifest_entry *e = append(out, &cap);
        if (!e)
            goto nomem;
        if (read_entry(&r, &h, col, name, base_dir, e, err) < 0)
            goto fail;
    }
    if (got < 0)
        goto nomem;
    if (out->n == 0) {
        fc_error_set(err, FC_ERR_EMPTY, "%s: no recordings listed under the header", name);
        goto fail;
    }
    qsort(out->e, out->n, sizeof *out->e, compare_entries);
    rc = 0;
    goto done;
nomem:
    fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory", name);
fail:
    fc_manifest_free(out);
done:
    free(h.field);
    free(h.buf);
    free(r.field);
    free(r.buf);
    return rc;
}

/* Sorted names in dir, hidden ones left out; NULL-terminated, caller frees. */
static int list_dir(const char *dir, char ***names, size_t *n)
{
    struct dirent **list;
    int k = scandir(dir, &list, NULL, alphasort);
    if (k < 0)
        return -1;
    *names = calloc((size_t)k + 1, sizeof **names);
    *n = 0;
    for (int i = 0; i < k; i++) {
        if (*names && list[i]->d_name[0] != '.')
            (*names)[(*n)++] = strdup(list[i]->d_name);
        free(list[i]);
    }
    free(list);
    return *names ? 0 : -1;
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The recordings of one session folder ROOT/PATIENT/DATE. */
static int walk_session(const char *dir, const char *patient, const char *date,
                        struct fc_manifest *m, size_t *cap, struct fc_error *err)
{
    char **names;
    size_t n;
    if (list_dir(dir, &names, &n) < 0)
        return fc_error_set(err, FC_ERR_IO, "%s: cannot list: %s", dir, strerror(errno));
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        struct fc_manifest_entry *e = append(m, cap);
        if (!e) {
            rc = fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory", dir);
            break;
        }
        e->path = join_path(dir, names[i]);
        e->patient = strdup(patient);
        e->session = strdup(date);
        /* "2024-03-05" or "2024-03-05_am": the session's day */
        char day[11];
        snprintf(day, sizeof day, "%.10s", date);
        e->recorded_at = strdup(fc_manifest_iso_date(day) ? day : "");
        e->notes = strdup("");
        e->metadata = strdup("{}");
        if (!e->path || !e->patient || !e->session || !e->recorded_at || !e->notes || !e->metadata)
            rc = fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory", dir);
    }
    free_names(names, n);
    return rc;
}

/* ROOT/PATIENT/DATE/RECORDING: files beside the patients' folders (a
 * README, the manifest) and beside the session folders are not recordings. */
static int walk_folder(const char *root, struct fc_manifest *m, struct fc_error *err)
{
    char **patients;
    size_t np, cap = 0;
    memset(m, 0, sizeof *m);
    if (list_dir(root, &patients, &np) < 0)
        return fc_error_set(err, FC_ERR_IO, "%s: cannot list: %s", root, strerror(errno));
    int rc = 0;
    for (size_t p = 0; p < np && rc == 0; p++) {
        char *pdir = join_path(root, patients[p]);
        char **dates = NULL;
        size_t nd = 0;
        if (!pdir)
            rc = fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory", root);
        else if (is_dir(pdir) && list_dir(pdir, &dates, &nd) < 0)
            rc = fc_error_set(err, FC_ERR_IO, "%s: cannot list: %s", pdir, strerror(errno));
        for (size_t d = 0; d < nd && rc == 0; d++) {
            char *sdir = join_path(pdir, dates[d]);
            if (!sdir)
                rc = fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory", root);
            else if (is_dir(sdir))
                rc = walk_session(sdir, patients[p], dates[d], m, &cap, err);
            free(sdir);
        }
        free_names(dates, nd);
        free(pdir);
    }
    free_names(patients, np);
    if (rc == 0 && m->n == 0)
        rc = fc_error_set(err, FC_ERR_EMPTY,
                          "%s: no recordings found (expected PATIENT/DATE/RECORDING below it)",
                          root);
    if (rc < 0)
        fc_manifest_free(m);
    else
        qsort(m->e, m->n, sizeof *m->e, compare_entries);
    return rc;
}

int fc_manifest_load(const char *path, struct fc_manifest *out, struct fc_error *err)
{
    memset(out, 0, sizeof *out);
    /* Recordings are known by absolute path, so that a rerun from another
     * folder finds them done. */
    char real[PATH_MAX];
    if (is_dir(path)) {
        if (!realpath(path, real))
            return fc_error_set(err, FC_ERR_IO, "%s: %s", path, strerror(errno));
        return walk_folder(real, out, err);
    }
    unsigned char *text;
    size_t len;
    if (fc_read_file(path, MANIFEST_MAX_BYTES, "a manifest", &text, &len, err) < 0)
        return err->code;
    char *base = realpath(path, real) ? strdup(real) : NULL;
    if (!base) {
        free(text);
        return fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory", path);
    }
    char *slash = strrchr(base, '/');
    if (slash)
        slash[1] = 0;
    else
        base[0] = 0;
    int rc = fc_manifest_parse((const char *)text, len, path, base, out, err);
    free(base);
    free(text);
    return rc;
}
