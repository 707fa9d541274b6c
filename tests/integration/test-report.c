/*
 * test-report.c: report.html of a real run loads in Chromium without a
 * console error, an exception or a blocked resource, and shows one loaded
 * image per step.
 *
 * Runs "webnav run" (the built CLI) on task files of tests/tasks/run
 * against tests/sites/tasks served by tests/sitesrv, then opens each run's
 * report.html from its file:// URL in a fresh Chromium and listens for
 * Runtime.consoleAPICalled (error), Runtime.exceptionThrown and
 * Log.entryAdded (error: CSP violations, failed loads).  A page that does
 * log errors is opened first, so a listener that hears nothing cannot
 * pass the test.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cdp.h"
#include "err.h"
#include "live.h"
#include "tap.h"

/* Deadline of one "webnav run". */
#define RUN_TIMEOUT_MS	60000
/* Deadline of loading a report. */
#define LOAD_TIMEOUT_MS	20000
/* How long late console messages are waited for after load. */
#define LATE_MS		300
/* Largest file read whole (result.json, steps.jsonl). */
#define FILE_MAX	(64 * 1024 * 1024)

static struct live L;
static char tmpdir[64];	/* /tmp/webnav-report.XXXXXX */

/* What the listener heard on the report's page. */
struct heard {
	int	errors;
	char	first[512];	/* the first error's text */
};

/* Monotonic milliseconds. */
static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A string member of o, or "". */
static const char *
jstr(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(v) ? v->valuestring : "";
}

/* Records an error event, keeping the first one's text. */
static void
heard_error(struct heard *h, const char *what, const char *text)
{
	if (h->errors++ == 0)
		snprintf(h->first, sizeof(h->first), "%s: %s", what, text);
}

/* Event handler: counts the errors a page reports. */
static void
on_event(void *arg, const char *session, const char *method,
    const cJSON *params)
{
	struct heard *h = arg;
	const cJSON *e, *a;

	(void)session;
	if (strcmp(method, "Runtime.consoleAPICalled") == 0) {
		if (strcmp(jstr(params, "type"), "error") != 0 &&
		    strcmp(jstr(params, "type"), "assert") != 0)
			return;
		a = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(params,
		    "args"), 0);
		heard_error(h, "console.error", cJSON_IsString(
		    cJSON_GetObjectItemCaseSensitive(a, "value")) ?
		    jstr(a, "value") : jstr(a, "description"));
	} else if (strcmp(method, "Runtime.exceptionThrown") == 0) {
		e = cJSON_GetObjectItemCaseSensitive(params,
		    "exceptionDetails");
		heard_error(h, "exception", jstr(e, "text"));
	} else if (strcmp(method, "Log.entryAdded") == 0) {
		e = cJSON_GetObjectItemCaseSensitive(params, "entry");
		if (strcmp(jstr(e, "level"), "error") == 0)
			heard_error(h, jstr(e, "source"), jstr(e, "text"));
	}
}

/* Reads a whole file (NUL-terminated, allocated) or returns NULL. */
static char *
slurp(const char *path, size_t *lenp)
{
	char *buf = NULL, *nb;
	size_t len = 0, cap = 0;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY)) == -1)
		return NULL;
	for (;;) {
		if (cap - len < 4096) {
			cap = cap == 0 ? 65536 : cap * 2;
			if (cap > FILE_MAX || (nb = realloc(buf, cap)) == NULL) {
				free(buf);
				close(fd);
				return NULL;
			}
			buf = nb;
		}
		if ((n = read(fd, buf + len, cap - len - 1)) <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	if (lenp != NULL)
		*lenp = len;
	return buf;
}

/*
 * Runs "webnav run --policy lexical --json --var BASE=base --out dir task"
 * with its output in dir.out and dir.err; returns its exit status, or -1.
 */
static int
run_webnav(const char *task, const char *base, const char *dir)
{
	const char *top = getenv("top_builddir");
	char exe[PATH_MAX], var[256], out[PATH_MAX + 8], err[PATH_MAX + 8];
	long long deadline;
	pid_t pid, w;
	int st, fd;

	if (top == NULL || *top == '\0')
		top = ".";
	snprintf(exe, sizeof(exe), "%s/src/webnav", top);
	snprintf(var, sizeof(var), "BASE=%s", base);
	snprintf(out, sizeof(out), "%s.out", dir);
	snprintf(err, sizeof(err), "%s.err", dir);
	fflush(stdout);
	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		if ((fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644)) == -1 ||
		    dup2(fd, 1) == -1)
			_exit(127);
		close(fd);
		if ((fd = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644)) == -1 ||
		    dup2(fd, 2) == -1)
			_exit(127);
		close(fd);
		execl(exe, "webnav", "run", "--policy", "lexical", "--json",
		    "--var", var, "--out", dir, task, (char *)NULL);
		_exit(127);
	}
	deadline = now_ms() + RUN_TIMEOUT_MS;
	while ((w = waitpid(pid, &st, WNOHANG)) == 0) {
		if (now_ms() > deadline) {
			printf("# %s: still running after %d ms\n", task,
			    RUN_TIMEOUT_MS);
			kill(pid, SIGTERM);
			waitpid(pid, &st, 0);
			return -1;
		}
		usleep(20000);
	}
	if (w == -1 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* Number of non-empty lines of a file, or -1. */
static int
count_lines(const char *path)
{
	char *s, *p;
	int n = 0, line = 0;

	if ((s = slurp(path, NULL)) == NULL)
		return -1;
	for (p = s; *p != '\0'; p++) {
		if (*p == '\n') {
			n += line;
			line = 0;
		} else
			line = 1;
	}
	n += line;
	free(s);
	return n;
}

/*
 * Opens url on a new page and returns what it logged; *infop (if not
 * NULL) gets the value of the expression info evaluated after load.
 */
static int
open_and_listen(const char *url, const char *info, struct heard *h,
    cJSON **infop)
{
	struct cdp_page_params pp;
	struct cdp_page *page = NULL;
	int handle = 0, r;

	memset(h, 0, sizeof(*h));
	if (infop != NULL)
		*infop = NULL;
	cdp_page_default_params(&pp);
	if ((r = cdp_page_open(L.conn, &pp, &page)) != 0) {
		printf("# opening a page: %s\n", cdp_conn_error(L.conn));
		return r;
	}
	handle = cdp_conn_listen(L.conn, on_event, h);
	if ((r = cdp_call(L.conn, cdp_page_session(page), "Log.enable", NULL,
	    0, NULL)) != 0) {
		printf("# Log.enable: %s\n", cdp_conn_error(L.conn));
		goto out;
	}
	if ((r = cdp_page_navigate(page, url, LOAD_TIMEOUT_MS)) != 0) {
		printf("# %s: %s\n", url, cdp_conn_error(L.conn));
		goto out;
	}
	cdp_conn_pump(L.conn, LATE_MS, NULL, NULL);
	if (info != NULL && (r = cdp_page_eval(page, info, LOAD_TIMEOUT_MS,
	    infop)) != 0)
		printf("# evaluating: %s\n", cdp_conn_error(L.conn));
out:
	if (handle > 0)
		cdp_conn_unlisten(L.conn, handle);
	cdp_page_free(page);
	return r;
}

/* What the report page shows: its images and title. */
static const char report_info[] =
    "(function () {"
    "  var im = Array.prototype.slice.call(document.images);"
    "  return {"
    "    images: im.length,"
    "    loaded: im.filter(function (i) {"
    "      return i.complete && i.naturalWidth > 0 && i.naturalHeight > 0;"
    "    }).length,"
    "    data: im.filter(function (i) {"
    "      return i.src.indexOf('data:image/png;base64,') === 0;"
    "    }).length,"
    "    title: document.title,"
    "    text: document.body.innerText"
    "  };"
    "})()";

/*
 * Runs task (a file of tests/tasks/run) and checks its report: exit
 * status want_rc, outcome want, and the report as above.
 */
static void
check_report(const char *name, const char *base, int want_rc,
    const char *want)
{
	const char *src = getenv("top_srcdir");
	char task[PATH_MAX], dir[PATH_MAX], path[PATH_MAX + 32];
	char url[PATH_MAX + 64], *s;
	struct heard h;
	cJSON *res = NULL, *info = NULL;
	int rc, steps = -1, lines;

	if (src == NULL || *src == '\0')
		src = WEBNAV_SRCDIR;
	snprintf(task, sizeof(task), "%s/tests/tasks/run/%s.json", src, name);
	snprintf(dir, sizeof(dir), "%s/%s", tmpdir, name);
	rc = run_webnav(task, base, dir);
	is_int(rc, want_rc, "%s: webnav run exits %d", name, want_rc);
	snprintf(path, sizeof(path), "%s/result.json", dir);
	if ((s = slurp(path, NULL)) != NULL)
		res = cJSON_Parse(s);
	free(s);
	ok(strcmp(jstr(res, "outcome"), want) == 0, "%s: outcome %s (%s)",
	    name, want, jstr(res, "outcome"));
	if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(res, "steps")))
		steps = cJSON_GetObjectItemCaseSensitive(res, "steps")->valueint;
	snprintf(path, sizeof(path), "%s/steps.jsonl", dir);
	lines = count_lines(path);
	ok(steps > 0 && lines == steps, "%s: steps.jsonl has a line per step "
	    "(%d lines, %d steps)", name, lines, steps);
	cJSON_Delete(res);

	snprintf(url, sizeof(url), "file://%s/report.html", dir);
	rc = open_and_listen(url, report_info, &h, &info);
	ok(rc == 0, "%s: report.html loads in Chromium", name);
	is_int(h.errors, 0, "%s: no console error, exception or blocked "
	    "load", name);
	if (h.errors > 0)
		note("first: %s", h.first);
	is_int(cJSON_GetObjectItemCaseSensitive(info, "images") != NULL ?
	    cJSON_GetObjectItemCaseSensitive(info, "images")->valueint : -1,
	    steps, "%s: one image per step", name);
	is_int(cJSON_GetObjectItemCaseSensitive(info, "loaded") != NULL ?
	    cJSON_GetObjectItemCaseSensitive(info, "loaded")->valueint : -1,
	    steps, "%s: every image decoded (naturalWidth > 0)", name);
	is_int(cJSON_GetObjectItemCaseSensitive(info, "data") != NULL ?
	    cJSON_GetObjectItemCaseSensitive(info, "data")->valueint : -1,
	    steps, "%s: images are inlined PNG data URLs", name);
	ok(strstr(jstr(info, "title"), want) != NULL &&
	    strstr(jstr(info, "text"), want) != NULL,
	    "%s: the report shows the outcome (title \"%s\")", name,
	    jstr(info, "title"));
	cJSON_Delete(info);
}

/* Live processes with a Chromium profile under tmpdir. */
static int
count_ours(void)
{
	char path[300], cmd[8192], want[PATH_MAX + 32];
	struct dirent *de;
	ssize_t len, i;
	DIR *d;
	int fd, n = 0;

	snprintf(want, sizeof(want), "--user-data-dir=%s/", tmpdir);
	if ((d = opendir("/proc")) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/cmdline", de->d_name);
		if ((fd = open(path, O_RDONLY)) == -1)
			continue;
		len = read(fd, cmd, sizeof(cmd) - 1);
		close(fd);
		if (len <= 0)
			continue;
		for (i = 0; i < len; i++)
			if (cmd[i] == '\0')
				cmd[i] = ' ';
		cmd[len] = '\0';
		if (strstr(cmd, want) != NULL)
			n++;
	}
	closedir(d);
	return n;
}

/* nftw() callback: removes one file or (emptied) directory. */
static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *f)
{
	(void)sb;
	(void)flag;
	(void)f;
	return remove(path);
}

int
main(void)
{
	const char *src = getenv("top_srcdir");
	const char *noisy;
	char root[PATH_MAX], base[64], url[PATH_MAX + 64];
	struct heard h;
	pid_t site = -1;
	int port, fd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	if (src == NULL || *src == '\0')
		src = WEBNAV_SRCDIR;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/webnav-report.XXXXXX");
	if (mkdtemp(tmpdir) == NULL) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	/* Chromium profiles (ours and webnav's) go under tmpdir. */
	setenv("TMPDIR", tmpdir, 1);
	if (live_start(&L) != 0)
		goto out;
	snprintf(root, sizeof(root), "%s/tests/sites/tasks", src);
	if (live_site_start(root, &port, &site) != 0) {
		printf("Bail out! cannot start tests/sitesrv\n");
		goto out;
	}
	snprintf(base, sizeof(base), "http://127.0.0.1:%d", port);

	/* The listener hears errors where there are some. */
	snprintf(url, sizeof(url), "%s/noisy.html", tmpdir);
	if ((fd = open(url, O_WRONLY | O_CREAT | O_TRUNC, 0644)) != -1) {
		noisy = "<!doctype html><title>noisy</title>"
		    "<meta http-equiv=\"Content-Security-Policy\" "
		    "content=\"img-src data:\">"
		    "<img src=\"http://127.0.0.1:1/x.png\">"
		    "<script>console.error('planted');</script>";
		if (write(fd, noisy, strlen(noisy)) != (ssize_t)strlen(noisy))
			printf("# writing %s: %s\n", url, strerror(errno));
		close(fd);
	}
	snprintf(url, sizeof(url), "file://%s/noisy.html", tmpdir);
	open_and_listen(url, NULL, &h, NULL);
	ok(h.errors >= 2, "the listener hears a planted console.error and a "
	    "CSP violation (%d errors; first: %s)", h.errors, h.first);

	check_report("steps", base, 0, "success");
	check_report("loop", base, 1, "loop");

out:
	live_stop(&L);
	live_site_stop(site);
	is_int(count_ours(), 0, "no Chromium left behind");
	nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return done_testing();
}
