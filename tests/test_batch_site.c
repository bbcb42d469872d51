/* The static site of a batch (formcheck progress --site) in headless
 * Chromium (Debian's chromium): every page renders, logs no console message
 * (the pages have no script, so any is an error), and every link leads to a
 * page that exists. Skips itself without chromium. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support/testutil.h"

#define CHROMIUM "/usr/bin/chromium"
#define SITE_PATIENTS 3
#define SITE_SESSIONS 3

/* Chromium's DOM of the page after loading it, and whether it logged a
 * console message. */
static char *render(const char *page, int *console)
{
    char url[1200], err_path[1100], out[64];
    snprintf(url, sizeof url, "file://%s", page);
    snprintf(err_path, sizeof err_path, "%s.stderr", page);
    char dom_path[1100];
    snprintf(dom_path, sizeof dom_path, "%s.dom", page);
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             CHROMIUM " --headless --no-sandbox --disable-gpu --enable-logging=stderr --v=0"
                      " --dump-dom '%s' > '%s' 2> '%s'",
             url, dom_path, err_path);
    const char *args[] = {"/bin/sh", "-c", cmd, NULL};
    int rc = fc_test_run_captured(args[0], args, out, sizeof out);
    cr_assert_eq(rc, 0, "chromium failed on %s", page);
    size_t len;
    char *log = fc_test_read_file(err_path, &len);
    *console = log && strstr(log, "CONSOLE") != NULL;
    free(log);
    unlink(err_path);
    char *dom = fc_test_read_file(dom_path, &len);
    unlink(dom_path);
    return dom;
}

Test(batch_site, every_page_renders_without_console_errors_and_every_link_resolves, .timeout = 600)
{
    struct stat st;
    if (stat(CHROMIUM, &st) != 0)
        cr_skip_test("no " CHROMIUM);
    char work[256], path[1024], manifest[600], out_dir[600], site[700], out[8192];
    fc_test_mkdtemp(work, sizeof work);
    snprintf(manifest, sizeof manifest, "%s/m.csv", work);
    FILE *f = fopen(manifest, "w");
    fprintf(f, "path,patient,recorded_at,exercise\n");
    for (int p = 0; p < SITE_PATIENTS; p++)
        for (int s = 0; s < SITE_SESSIONS; s++) {
            char drop[16];
            snprintf(drop, sizeof drop, "%d", 3 + 2 * s * (p - 1)); /* better, same, worse */
            snprintf(path, sizeof path, "%s/p%d-s%d.csv", work, p, s);
            const char *argv[] = {
                "synth",      "--out", path, "--reps", "3", "--exercise", "single-leg-squat-left",
                "--hip-drop", drop,    NULL};
            cr_assert_eq(fc_test_run_formcheck(out, sizeof out, argv), 0, "%s", out);
            fprintf(f, "p%d-s%d.csv,P<%d>&co,2024-0%d-01,single-leg-squat-left\n", p, s, p, s + 1);
        }
    fprintf(f, "missing.csv,P<0>&co,2024-04-01,\n"); /* a failed recording on a page too */
    fclose(f);
    snprintf(out_dir, sizeof out_dir, "%s/out", work);
    char site_at_end[800];
    snprintf(site_at_end, sizeof site_at_end, "%s/site-at-end", work);
    const char *run[] = {"batch", "-q", "--out", out_dir, "--site", site_at_end, manifest, NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, run), 1, "one failed: %s", out);
    snprintf(path, sizeof path, "%s/formcheck.db", out_dir);
    snprintf(site, sizeof site, "%s/site", work);
    const char *prog[] = {"progress", "--db", path, "--site", site, NULL};
    cr_assert_eq(fc_test_run_formcheck(out, sizeof out, prog), 0, "%s", out);

    /* index, a page per patient, a page per session (4 for patient 0) */
    int expected = 1 + SITE_PATIENTS + SITE_PATIENTS * SITE_SESSIONS + 1;
    cr_assert_eq(fc_test_dir_count(site), expected);
    cr_assert_eq(fc_test_dir_count(site_at_end), expected, "batch --site writes the same pages");
    DIR *d = opendir(site);
    struct dirent *e;
    int pages = 0, links = 0;
    while ((e = readdir(d))) {
        if (!strstr(e->d_name, ".html"))
            continue;
        snprintf(path, sizeof path, "%s/%s", site, e->d_name);
        int console = 0;
        char *dom = render(path, &console);
        cr_assert(dom && strstr(dom, "<h1>") && strstr(dom, "</table>"), "%s did not render",
                  e->d_name);
        cr_assert_not(console, "%s logged a console message", e->d_name);
        for (const char *h = strstr(dom, "href=\""); h; h = strstr(h + 1, "href=\"")) {
            char target[256], target_path[1400];
            cr_assert_eq(sscanf(h + 6, "%255[^\"]", target), 1);
            cr_assert_null(strchr(target, ':'), "%s: link %s leaves the site", e->d_name, target);
            snprintf(target_path, sizeof target_path, "%s/%s", site, target);
            cr_assert(fc_test_file_exists(target_path), "%s: link %s leads nowhere", e->d_name,
                      target);
            links++;
        }
        /* names with < and & stay text */
        if (strcmp(e->d_name, "index.html") == 0)
            cr_assert(strstr(dom, "P&lt;1&gt;&amp;co"), "%s", dom);
        free(dom);
        pages++;
    }
    closedir(d);
    cr_assert_eq(pages, expected);
    cr_assert_gt(links, pages);
    fc_test_rmtree(work);
}
