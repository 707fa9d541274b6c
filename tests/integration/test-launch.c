/*
 * test-launch.c: launching Chromium, the websocket connection and endpoint
 * discovery against a real browser.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "err.h"
#include "live.h"
#include "log.h"
#include "tap.h"
#include "xmalloc.h"

#include "cdp.h"

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
sleep_ms(int ms)
{
	struct timespec ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000;
	nanosleep(&ts, NULL);
}

/* Reads the --user-data-dir of a running process, or NULL. */
static char *
profile_of(pid_t pid)
{
	char path[64], cmd[8192], *p, *e;
	ssize_t n, i;
	int fd;

	snprintf(path, sizeof(path), "/proc/%ld/cmdline", (long)pid);
	if ((fd = open(path, O_RDONLY)) == -1)
		return NULL;
	n = read(fd, cmd, sizeof(cmd) - 1);
	close(fd);
	if (n <= 0)
		return NULL;
	for (i = 0; i < n; i++)
		if (cmd[i] == '\0')
			cmd[i] = '\n';
	cmd[n] = '\0';
	if ((p = strstr(cmd, "--user-data-dir=")) == NULL)
		return NULL;
	p += strlen("--user-data-dir=");
	if ((e = strchr(p, '\n')) != NULL)
		*e = '\0';
	return xstrdup(p);
}

static int
dir_exists(const char *path)
{
	struct stat st;

	return path != NULL && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Creates a tab and attaches to it; returns the session id. */
static char *
attach_tab(struct cdp_conn *c)
{
	cJSON *p, *res = NULL;
	char *target = NULL, *session = NULL;

	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "url", "about:blank");
	if (cdp_call(c, NULL, "Target.createTarget", p, 10000, &res) != 0)
		goto out;
	target = xstrdup(cJSON_GetStringValue(cJSON_GetObjectItem(res,
	    "targetId")));
	cJSON_Delete(res);
	res = NULL;
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "targetId", target);
	cJSON_AddTrueToObject(p, "flatten");
	if (cdp_call(c, NULL, "Target.attachToTarget", p, 10000, &res) != 0)
		goto out;
	session = xstrdup(cJSON_GetStringValue(cJSON_GetObjectItem(res,
	    "sessionId")));
out:
	cJSON_Delete(res);
	free(target);
	return session;
}

/* Evaluates expr in a session; returns cdp_call's code. */
static int
eval(struct cdp_conn *c, const char *session, const char *expr, int await,
    int timeout_ms, cJSON **resp)
{
	cJSON *p = cJSON_CreateObject();

	cJSON_AddStringToObject(p, "expression", expr);
	cJSON_AddTrueToObject(p, "returnByValue");
	if (await)
		cJSON_AddTrueToObject(p, "awaitPromise");
	return cdp_call(c, session, "Runtime.evaluate", p, timeout_ms, resp);
}

/* The string value of a Runtime.evaluate result, or NULL. */
static const char *
eval_string(const cJSON *res)
{
	return cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(
	    res, "result"), "value"));
}

static void
on_target_event(void *arg, const char *session, const char *method,
    const cJSON *params)
{
	int *n = arg;

	(void)session;
	if (strcmp(method, "Target.targetCreated") == 0 &&
	    cJSON_IsObject(cJSON_GetObjectItem(params, "targetInfo")))
		++*n;
}

static int
have_events(void *arg)
{
	return *(int *)arg > 0;
}

static void
test_calls(struct live *L)
{
	struct cdp_conn_params cp;
	struct cdp_conn *small = NULL;
	cJSON *res = NULL;
	const char *s, *product;
	char *session, *session2 = NULL, *cause = NULL, url[512];
	long long t0, dt;
	size_t len, i;
	int r, nev = 0, h, port;

	r = cdp_call(L->conn, NULL, "Browser.getVersion", NULL, 0, &res);
	is_int(r, 0, "Browser.getVersion");
	product = cJSON_GetStringValue(cJSON_GetObjectItem(res, "product"));
	ok(product != NULL && strstr(product, "Chrome/") != NULL,
	    "product is Chrome: %s", product != NULL ? product : "(none)");
	cJSON_Delete(res);
	res = NULL;

	t0 = now_ms();
	for (i = 0; i < 200; i++)
		if ((r = cdp_call(L->conn, NULL, "Browser.getVersion", NULL,
		    0, NULL)) != 0)
			break;
	dt = now_ms() - t0;
	is_int(i, 200, "200 calls in a row");
	note("round trip %.3f ms per call", (double)dt / 200);
	ok(dt < 200 * 100, "round trips are fast (%lld ms for 200)", dt);

	r = cdp_call(L->conn, NULL, "No.suchMethod", NULL, 0, NULL);
	is_int(r, ERR_CDP, "unknown method: ERR_CDP");
	ok(strstr(cdp_conn_error(L->conn), "No.suchMethod") != NULL &&
	    strstr(cdp_conn_error(L->conn), "wasn't found") != NULL,
	    "browser's message: %s", cdp_conn_error(L->conn));

	/* Events arrive while calls wait and while pumping. */
	h = cdp_conn_listen(L->conn, on_target_event, &nev);
	res = cJSON_CreateObject();
	cJSON_AddTrueToObject(res, "discover");
	r = cdp_call(L->conn, NULL, "Target.setDiscoverTargets", res, 0, NULL);
	res = NULL;
	is_int(r, 0, "Target.setDiscoverTargets");
	r = cdp_conn_pump(L->conn, 5000, have_events, &nev);
	is_int(r, 0, "Target.targetCreated events received");
	cdp_conn_unlisten(L->conn, h);

	session = attach_tab(L->conn);
	ok(session != NULL, "tab created and attached");
	if (session == NULL)
		return;

	/* A 5 MB reply arrives intact and quickly. */
	t0 = now_ms();
	r = eval(L->conn, session, "'x'.repeat(5e6)", 0, 20000, &res);
	dt = now_ms() - t0;
	is_int(r, 0, "5 MB reply");
	s = eval_string(res);
	len = s != NULL ? strlen(s) : 0;
	for (i = 0; i < len && s[i] == 'x'; i++)
		;
	ok(len == 5000000 && i == len, "5 MB reply intact (%zu bytes)", len);
	ok(dt < 30000, "5 MB reply in %lld ms", dt);
	cJSON_Delete(res);
	res = NULL;

	/* Two calls with their own deadlines. */
	t0 = now_ms();
	r = eval(L->conn, session, "new Promise(r => setTimeout(() => "
	    "r('late'), 700))", 1, 250, &res);
	dt = now_ms() - t0;
	is_int(r, ERR_TIMEOUT, "call past its deadline: ERR_TIMEOUT");
	ok(dt >= 245 && dt < 10000, "after %lld ms (deadline 250)", dt);
	r = eval(L->conn, session, "'soon'", 0, 2000, &res);
	is_int(r, 0, "next call with its own deadline");
	is_str(eval_string(res), "soon", "and its own reply");
	cJSON_Delete(res);
	res = NULL;
	cdp_conn_pump(L->conn, 800, NULL, NULL);
	r = eval(L->conn, session, "'after'", 0, 2000, &res);
	is_int(r, 0, "late reply to the timed-out call ignored");
	is_str(eval_string(res), "after", "reply matched to the right call");
	cJSON_Delete(res);
	res = NULL;

	/* Connections that cannot be made. */
	r = cdp_conn_open("ws://127.0.0.1:9/devtools/browser/x", NULL, &small,
	    &cause);
	is_int(r, ERR_CONNECT, "websocket to a closed port: ERR_CONNECT");
	ok(cause != NULL && strstr(cause, "cannot connect to "
	    "ws://127.0.0.1:9/devtools/browser/x: ") != NULL && small == NULL,
	    "cause: %s", cause);
	free(cause);
	cause = NULL;
	if (sscanf(cdp_browser_ws_url(L->browser), "ws://127.0.0.1:%d/",
	    &port) != 1)
		port = 9;
	snprintf(url, sizeof(url), "ws://127.0.0.1:%d/devtools/browser/bogus",
	    port);
	r = cdp_conn_open(url, NULL, &small, &cause);
	is_int(r, ERR_CONNECT, "websocket to a wrong path: ERR_CONNECT");
	ok(cause != NULL && strstr(cause, "upgrade") != NULL, "cause: %s",
	    cause);
	free(cause);
	cause = NULL;
	r = cdp_conn_open("http://127.0.0.1:9", NULL, &small, &cause);
	is_int(r, ERR_INVALID, "not a ws:// URL: ERR_INVALID");
	free(cause);
	cause = NULL;

	/* A second connection with a small cap. */
	cdp_conn_default_params(&cp);
	cp.max_message = 100000;
	r = cdp_conn_open(cdp_browser_ws_url(L->browser), &cp, &small,
	    &cause);
	is_int(r, 0, "second connection with a 100000-byte cap");
	if (r != 0) {
		note("%s", cause);
		free(cause);
		free(session);
		return;
	}
	session2 = attach_tab(small);
	ok(session2 != NULL, "tab on the second connection");
	r = eval(small, session2, "'y'.repeat(300000)", 0, 10000, &res);
	is_int(r, ERR_TOOBIG, "reply over the cap: ERR_TOOBIG");
	ok(res == NULL, "no result");
	ok(strstr(cdp_conn_error(small), "100000") != NULL,
	    "error names the cap: %s", cdp_conn_error(small));
	ok(cdp_conn_alive(small), "connection survives");
	r = eval(small, session2, "'y'.repeat(1000)", 0, 10000, &res);
	is_int(r, 0, "next call on it works");
	s = eval_string(res);
	ok(s != NULL && strlen(s) == 1000, "with an intact reply");
	cJSON_Delete(res);
	cdp_conn_free(small);
	free(session);
	free(session2);
}

/* A socket listening on 127.0.0.1 that never accepts. */
static int
silent_listener(int *portp)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(fd, 4) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) == -1) {
		close(fd);
		return -1;
	}
	*portp = ntohs(sin.sin_port);
	return fd;
}

static void
test_discover(struct live *L)
{
	const char *ws = cdp_browser_ws_url(L->browser);
	char *url = NULL, *cause = NULL, endpoint[128], dir[] =
	    "/tmp/webnav-disc-XXXXXX", path[256];
	long long t0;
	int r, port = 0, sport, lfd;
	pid_t spid;
	FILE *f;

	ok(sscanf(ws, "ws://127.0.0.1:%d/", &port) == 1, "ws url has a port");
	snprintf(endpoint, sizeof(endpoint), "http://127.0.0.1:%d", port);
	r = cdp_discover(endpoint, 5000, &url, &cause);
	is_int(r, 0, "discover %s", endpoint);
	is_str(url, ws, "same websocket URL as DevToolsActivePort");
	free(url);
	url = NULL;
	snprintf(endpoint, sizeof(endpoint), "http://127.0.0.1:%d/", port);
	r = cdp_discover(endpoint, 5000, &url, &cause);
	is_str(url, ws, "trailing slash accepted");
	free(url);
	url = NULL;

	r = cdp_discover(ws, 5000, &url, &cause);
	is_int(r, 0, "ws:// passes through");
	is_str(url, ws, "unchanged");
	free(url);
	url = NULL;

	r = cdp_discover("http://127.0.0.1:9", 5000, &url, &cause);
	is_int(r, ERR_CONNECT, "unreachable endpoint: ERR_CONNECT");
	is_str(cause, "cannot reach http://127.0.0.1:9: Connection refused",
	    "clear cause");
	ok(url == NULL, "no url on failure");
	free(cause);
	cause = NULL;

	r = cdp_discover("ftp://127.0.0.1:9", 5000, &url, &cause);
	is_int(r, ERR_INVALID, "other schemes refused");
	ok(cause != NULL && strstr(cause, "ws://") != NULL, "cause: %s",
	    cause);
	free(cause);
	cause = NULL;

	/* A listener that accepts nothing and never answers. */
	if ((lfd = silent_listener(&sport)) != -1) {
		snprintf(endpoint, sizeof(endpoint), "http://127.0.0.1:%d",
		    sport);
		t0 = now_ms();
		r = cdp_discover(endpoint, 300, &url, &cause);
		is_int(r, ERR_TIMEOUT, "endpoint that never answers: "
		    "ERR_TIMEOUT");
		ok(now_ms() - t0 < 2000, "after %lld ms (timeout 300)",
		    now_ms() - t0);
		ok(cause != NULL && strstr(cause, endpoint) != NULL,
		    "cause: %s", cause);
		free(cause);
		cause = NULL;
		close(lfd);
	}

	/* A web server that is not a browser. */
	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp: %s", strerror(errno));
		return;
	}
	snprintf(path, sizeof(path), "%s/json", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/json/version", dir);
	if ((f = fopen(path, "w")) != NULL) {
		fputs("{\"Browser\":\"not really\"}\n", f);
		fclose(f);
	}
	if (live_site_start(dir, &sport, &spid) != 0) {
		ok(0, "sitesrv started");
	} else {
		snprintf(endpoint, sizeof(endpoint), "http://127.0.0.1:%d",
		    sport);
		r = cdp_discover(endpoint, 5000, &url, &cause);
		is_int(r, ERR_PROTOCOL, "reply without the URL: "
		    "ERR_PROTOCOL");
		ok(cause != NULL && strstr(cause, "no webSocketDebuggerUrl in "
		    "/json/version reply") != NULL, "cause: %s", cause);
		free(cause);
		cause = NULL;

		if ((f = fopen(path, "w")) != NULL) {
			for (r = 0; r < 20000; r++)
				fputs("{}{}", f);
			fclose(f);
		}
		r = cdp_discover(endpoint, 5000, &url, &cause);
		is_int(r, ERR_TOOBIG, "80 KB reply: ERR_TOOBIG");
		ok(cause != NULL && strstr(cause, "65536") != NULL,
		    "cause: %s", cause);
		free(cause);
		cause = NULL;

		live_site_stop(spid);
	}
	unlink(path);
	snprintf(path, sizeof(path), "%s/json", dir);
	rmdir(path);
	rmdir(dir);
}

static void
test_kill_midcall(struct live *L)
{
	cJSON *res = NULL;
	char *session, *profile;
	long long t0, dt;
	pid_t pid = cdp_browser_pid(L->browser), killer;
	int r, i;

	session = attach_tab(L->conn);
	profile = profile_of(pid);
	ok(dir_exists(profile), "profile directory exists: %s",
	    profile != NULL ? profile : "(none)");
	ok(live_count_group(pid) > 1, "browser runs %d processes in its group",
	    live_count_group(pid));
	ok(cdp_browser_alive(L->browser), "browser alive");
	is_str(cdp_browser_exit_reason(L->browser), "", "no exit reason yet");

	fflush(stdout);
	if ((killer = fork()) == 0) {
		sleep_ms(300);
		kill(pid, SIGKILL);
		_exit(0);
	}
	t0 = now_ms();
	r = eval(L->conn, session, "new Promise(r => setTimeout(r, 20000))",
	    1, 20000, &res);
	dt = now_ms() - t0;
	waitpid(killer, NULL, 0);
	is_int(r, ERR_CLOSED, "browser killed mid-call: ERR_CLOSED");
	ok(dt < 15000, "noticed in %lld ms", dt);
	ok(strstr(cdp_conn_error(L->conn), "closed the connection during "
	    "Runtime.evaluate") != NULL, "error: %s", cdp_conn_error(L->conn));
	ok(!cdp_conn_alive(L->conn), "connection dead");
	r = cdp_call(L->conn, NULL, "Browser.getVersion", NULL, 5000, NULL);
	is_int(r, ERR_CLOSED, "later calls fail at once");
	for (i = 0; i < 200 && cdp_browser_alive(L->browser); i++)
		sleep_ms(10);
	is_int(cdp_browser_alive(L->browser), 0, "cdp_browser_alive() is 0");
	is_str(cdp_browser_exit_reason(L->browser), "killed by signal 9 "
	    "(Killed)", "exit reason");

	live_stop(L);
	is_int(live_count_group(pid), 0, "no process of the group left");
	ok(!dir_exists(profile), "temporary profile removed");
	free(profile);
	free(session);
}

static void
test_free_running(void)
{
	struct cdp_launch_params lp;
	struct cdp_browser *b = NULL;
	char *cause = NULL, *profile, udd[] = "/tmp/webnav-udd-XXXXXX", cmd[64];
	long long t0;
	pid_t pid;
	int r;

	cdp_launch_default_params(&lp);
	lp.width = 800;
	lp.height = 600;
	r = cdp_browser_launch(&lp, &b, &cause);
	is_int(r, 0, "second browser launched");
	if (r != 0) {
		note("%s", cause);
		free(cause);
		return;
	}
	pid = cdp_browser_pid(b);
	profile = profile_of(pid);
	ok(live_count_group(pid) > 1, "it runs several processes");
	t0 = now_ms();
	cdp_browser_free(b);
	ok(now_ms() - t0 < 3000, "freed in %lld ms", now_ms() - t0);
	is_int(live_count_group(pid), 0, "free leaves no process behind");
	ok(profile != NULL && !dir_exists(profile), "profile removed");
	free(profile);

	/* A caller's profile directory is used and kept. */
	if (mkdtemp(udd) == NULL)
		return;
	lp.user_data_dir = udd;
	r = cdp_browser_launch(&lp, &b, &cause);
	is_int(r, 0, "launch with a given profile directory");
	if (r != 0) {
		free(cause);
		return;
	}
	profile = profile_of(cdp_browser_pid(b));
	is_str(profile, udd, "--user-data-dir is the given directory");
	pid = cdp_browser_pid(b);
	cdp_browser_free(b);
	is_int(live_count_group(pid), 0, "no process left");
	ok(dir_exists(udd), "given profile directory kept");
	free(profile);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", udd);
	r = system(cmd);
	(void)r;
}

static void
test_bad_launch(void)
{
	struct cdp_launch_params lp;
	struct cdp_browser *b = NULL;
	char *cause = NULL, dir[] = "/tmp/webnav-fake-XXXXXX", script[256],
	    pidfile[256], buf[32];
	long long t0;
	FILE *f;
	pid_t fpid = 0;
	int r;

	cdp_launch_default_params(&lp);
	lp.executable = "/nonexistent/chromium";
	r = cdp_browser_launch(&lp, &b, &cause);
	is_int(r, ERR_BROWSER, "missing executable: ERR_BROWSER");
	is_str(cause, "chromium not found at /nonexistent/chromium: install "
	    "the Debian package chromium", "clear cause");
	ok(b == NULL, "no browser");
	free(cause);
	cause = NULL;

	lp.executable = "/bin/false";
	r = cdp_browser_launch(&lp, &b, &cause);
	is_int(r, ERR_BROWSER, "browser exiting at once: ERR_BROWSER");
	ok(cause != NULL && strstr(cause, "exited with status 1 during "
	    "startup") != NULL, "cause: %s", cause);
	free(cause);
	cause = NULL;

	/* A "browser" that never reports its port. */
	if (mkdtemp(dir) == NULL)
		return;
	snprintf(script, sizeof(script), "%s/fake-chromium", dir);
	snprintf(pidfile, sizeof(pidfile), "%s/pid", dir);
	if ((f = fopen(script, "w")) == NULL)
		return;
	fprintf(f, "#!/bin/sh\necho \"starting fake browser\" >&2\n"
	    "sleep 30 &\necho $! > %s\nwait\n", pidfile);
	fclose(f);
	chmod(script, 0700);
	lp.executable = script;
	lp.startup_timeout_ms = 500;
	t0 = now_ms();
	r = cdp_browser_launch(&lp, &b, &cause);
	is_int(r, ERR_TIMEOUT, "no DevTools port: ERR_TIMEOUT");
	ok(now_ms() - t0 < 4000, "after %lld ms", now_ms() - t0);
	ok(cause != NULL && strstr(cause, "did not report its DevTools port "
	    "within 500 ms") != NULL && strstr(cause, "starting fake "
	    "browser") != NULL, "cause with the log's last lines: %s", cause);
	free(cause);
	if ((f = fopen(pidfile, "r")) != NULL) {
		if (fgets(buf, sizeof(buf), f) != NULL)
			fpid = (pid_t)atol(buf);
		fclose(f);
	}
	ok(fpid > 0 && (kill(fpid, 0) == -1 || live_count_group(
	    getpgid(fpid)) == 0), "its child process was killed too");
	unlink(pidfile);
	unlink(script);
	rmdir(dir);
}

int
main(void)
{
	struct live L;
	int before;

	log_init("test-launch", 0, getenv("WEBNAV_DEBUG") != NULL ?
	    LOG_LVL_DEBUG : LOG_LVL_WARN);
	signal(SIGPIPE, SIG_IGN);
	before = live_count_chromium();
	if (live_start(&L) != 0)
		return 1;
	ok(1, "launched %s", cdp_browser_ws_url(L.browser));
	test_calls(&L);
	test_discover(&L);
	test_kill_midcall(&L);
	test_free_running();
	test_bad_launch();
	note("webnav chromium processes: %d before, %d after (other tests "
	    "may run concurrently)", before, live_count_chromium());
	return done_testing();
}
