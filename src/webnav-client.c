/*
 * webnav-client.c: the CLI's daemon commands (see webnav-client.h).
 *
 * Plain blocking HTTP over libcurl (CURLOPT_UNIX_SOCKET_PATH for the
 * unix socket), one request at a time, each with a deadline; wait and
 * logs poll.  Every response must carry our protocol version.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "buf.h"
#include "conf.h"
#include "ctl-proto.h"
#include "err.h"
#include "log.h"
#include "webnav-client.h"
#include "xmalloc.h"

enum { EXIT_OK = 0, EXIT_TASK = 1, EXIT_USAGE = 2, EXIT_INFRA = 3 };

#define CLIENT_RESP_MAX		(64 * 1024 * 1024)
#define CLIENT_TASK_MAX		(2 * 1024 * 1024)
#define CLIENT_POLL_MS		250
#define CLIENT_REQ_TIMEOUT	60

struct client_opts {
	const char	*socket;
	const char	*policy;
	char		**vars;
	size_t		 nvars;
	int		 json;
	int		 timeout_ms;
};

struct client {
	CURL		*curl;
	char		*where;		/* for messages */
	char		*base;		/* URL prefix */
	char		*unix_path;	/* NULL over TCP */
	struct curl_slist *hdrs;
	int		 proto;		/* from the last response, -1: none */
};

/* ---------------------------------------------------------------------- */
/* HTTP.                                                                  */

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct buf *b = arg;

	if (buf_add(b, p, size * n) != 0)
		return 0;
	return size * n;
}

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct client *c = arg;
	size_t len = size * n, hl = strlen(CTL_PROTO_HEADER);

	if (len > hl + 1 && strncasecmp(p, CTL_PROTO_HEADER, hl) == 0 &&
	    p[hl] == ':')
		c->proto = atoi(p + hl + 1);
	return len;
}

/* The socket webnavd listens on, by the precedence of webnav(1). */
static char *
find_socket(const struct client_opts *o)
{
	struct conf *cf = NULL;
	const char *e;
	char *s;

	if (o->socket != NULL)
		return xstrdup(o->socket);
	if ((e = getenv("WEBNAV_SOCKET")) != NULL && *e != '\0')
		return xstrdup(e);
	if (conf_load(WEBNAVD_CONF, &cf, NULL) == 0) {
		s = xstrdup(cf->socket);
		conf_free(cf);
		return s;
	}
	return xstrdup(CONF_DEFAULT_SOCKET);
}

static int
client_open(const struct client_opts *o, struct client *c)
{
	const char *tok;
	char *where, *auth;

	memset(c, 0, sizeof(*c));
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0 ||
	    (c->curl = curl_easy_init()) == NULL) {
		log_warnx("cannot initialise libcurl");
		return -1;
	}
	where = find_socket(o);
	c->where = where;
	if (strncmp(where, "http://", 7) == 0) {
		c->base = xstrdup(where);
		if (c->base[strlen(c->base) - 1] == '/')
			c->base[strlen(c->base) - 1] = '\0';
		if ((tok = getenv("WEBNAV_TOKEN")) != NULL && *tok != '\0') {
			auth = xasprintf("Authorization: Bearer %s", tok);
			c->hdrs = curl_slist_append(c->hdrs, auth);
			free(auth);
		}
	} else {
		c->base = xstrdup("http://localhost");
		c->unix_path = xstrdup(where);
	}
	c->hdrs = curl_slist_append(c->hdrs, "Content-Type: application/json");
	/* No "Expect: 100-continue" round trip for large tasks. */
	c->hdrs = curl_slist_append(c->hdrs, "Expect:");
	return 0;
}

static void
client_close(struct client *c)
{
	if (c->curl != NULL)
		curl_easy_cleanup(c->curl);
	curl_slist_free_all(c->hdrs);
	free(c->where);
	free(c->base);
	free(c->unix_path);
	curl_global_cleanup();
}

/*
 * Makes one request.  Returns 0 with *docp the JSON answer of a 2xx;
 * EXIT_TASK for 404/409 (message printed), EXIT_USAGE for other 4xx,
 * EXIT_INFRA when the daemon cannot be reached or fails.
 */
static int
request(struct client *c, const char *method, const char *path,
    const char *body, cJSON **docp)
{
	struct buf b;
	CURLcode cr;
	cJSON *doc = NULL;
	const cJSON *err;
	char *url;
	long status = 0;
	int rc = EXIT_INFRA;

	*docp = NULL;
	buf_init(&b, CLIENT_RESP_MAX);
	url = xasprintf("%s%s", c->base, path);
	curl_easy_reset(c->curl);
	curl_easy_setopt(c->curl, CURLOPT_URL, url);
	if (c->unix_path != NULL)
		curl_easy_setopt(c->curl, CURLOPT_UNIX_SOCKET_PATH,
		    c->unix_path);
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, c->hdrs);
	curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c->curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c->curl, CURLOPT_HEADERDATA, c);
	curl_easy_setopt(c->curl, CURLOPT_CONNECTTIMEOUT, 5L);
	curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, (long)CLIENT_REQ_TIMEOUT);
	curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c->curl, CURLOPT_PROXY, "");
	if (strcmp(method, "POST") == 0) {
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE,
		    (long)strlen(body));
	} else if (strcmp(method, "GET") != 0)
		curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, method);
	c->proto = -1;
	if ((cr = curl_easy_perform(c->curl)) != CURLE_OK) {
		log_warnx("cannot reach webnavd at %s: %s%s", c->where,
		    curl_easy_strerror(cr), cr == CURLE_COULDNT_CONNECT ?
		    " (is it running? see --socket)" : "");
		goto out;
	}
	curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &status);
	if (c->proto != CTL_PROTO_VERSION) {
		if (c->proto < 0)
			log_warnx("%s does not look like webnavd (HTTP %ld, no "
			    "%s header)", c->where, status, CTL_PROTO_HEADER);
		else
			log_warnx("webnavd at %s speaks protocol %d, this "
			    "webnav speaks %d: upgrade the older one",
			    c->where, c->proto, CTL_PROTO_VERSION);
		goto out;
	}
	doc = cJSON_ParseWithLength(b.data != NULL ? b.data : "", b.len);
	if (status >= 200 && status < 300) {
		if (doc == NULL) {
			log_warnx("webnavd sent a response that is not JSON");
			goto out;
		}
		*docp = doc;
		doc = NULL;
		rc = 0;
		goto out;
	}
	err = cJSON_GetObjectItemCaseSensitive(doc, "error");
	log_warnx("%s", cJSON_IsString(err) ? err->valuestring :
	    "webnavd refused the request");
	if (status == 404 || status == 409)
		rc = EXIT_TASK;
	else if (status >= 400 && status < 500)
		rc = EXIT_USAGE;
	else
		rc = EXIT_INFRA;
out:
	cJSON_Delete(doc);
	buf_free(&b);
	free(url);
	return rc;
}

/* ---------------------------------------------------------------------- */
/* Output.                                                                */

static const char *
jstr(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A string field, or def when it is missing or null. */
static const char *
jstrd(const cJSON *o, const char *key, const char *def)
{
	const char *v = jstr(o, key);

	return v != NULL ? v : def;
}

static int
jint(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? (int)v->valuedouble : 0;
}

static long long
jid(const cJSON *o)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "id");

	return cJSON_IsNumber(v) ? (long long)v->valuedouble : 0;
}

static void
print_json(const cJSON *doc)
{
	char *txt = cJSON_Print(doc);

	printf("%s\n", txt);
	cJSON_free(txt);
}

/* "2025-01-02T03:04:05.678Z" as local "2025-01-02 04:04:05". */
static void
fmt_time(const char *iso, char *buf, size_t len)
{
	struct tm tm;
	time_t t;

	if (iso == NULL) {
		snprintf(buf, len, "-");
		return;
	}
	memset(&tm, 0, sizeof(tm));
	if (strptime(iso, "%Y-%m-%dT%H:%M:%S", &tm) == NULL) {
		snprintf(buf, len, "%s", iso);
		return;
	}
	t = timegm(&tm);
	localtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
}

/* Exit status for a task's final state. */
static int
state_exit(const char *st)
{
	if (st == NULL)
		return EXIT_INFRA;
	if (strcmp(st, "succeeded") == 0)
		return EXIT_OK;
	if (strcmp(st, "failed") == 0 || strcmp(st, "cancelled") == 0)
		return EXIT_TASK;
	return EXIT_INFRA;
}

static int
is_final(const char *st)
{
	int s = st != NULL ? ctl_state_parse(st) : -1;

	return s >= 0 && ctl_state_final((enum ctl_state)s);
}

/* A task id argument; -1 (with a message) if it is not one. */
static long long
parse_id(const char *s)
{
	long long v;
	char *end;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 1) {
		log_warnx("\"%s\" is not a task id", s);
		return -1;
	}
	return v;
}

static long long
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* ---------------------------------------------------------------------- */
/* Commands.                                                              */

/* Reads the task file; adds --var and --policy. */
static char *
submission(const struct client_opts *o, const char *path)
{
	struct buf b;
	cJSON *root = NULL, *vars, *old, *val;
	char chunk[8192], *eq, *txt = NULL, *out = NULL;
	size_t i, n;
	FILE *f;

	buf_init(&b, CLIENT_TASK_MAX);
	if ((f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r")) == NULL) {
		log_warn("%s", path);
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_add(&b, chunk, n) != 0) {
			log_warnx("%s: larger than %d bytes", path,
			    CLIENT_TASK_MAX);
			goto out;
		}
	if (ferror(f)) {
		log_warn("%s", path);
		goto out;
	}
	if (o->nvars == 0 && o->policy == NULL) {
		out = b.data != NULL ? buf_steal(&b, NULL) : xstrdup("");
		goto out;
	}
	if ((root = cJSON_ParseWithLength(b.data != NULL ? b.data : "",
	    b.len)) == NULL || !cJSON_IsObject(root)) {
		log_warnx("%s: not a JSON object (check it with webnav run)",
		    path);
		goto out;
	}
	if (o->nvars > 0) {
		if ((vars = cJSON_GetObjectItemCaseSensitive(root,
		    "vars")) == NULL)
			vars = cJSON_AddObjectToObject(root, "vars");
		if (!cJSON_IsObject(vars)) {
			log_warnx("%s: vars: expected an object", path);
			goto out;
		}
		for (i = 0; i < o->nvars; i++) {
			if ((eq = strchr(o->vars[i], '=')) == NULL ||
			    eq == o->vars[i]) {
				log_warnx("--var %s: expected NAME=VALUE",
				    o->vars[i]);
				goto out;
			}
			*eq = '\0';
			old = cJSON_GetObjectItemCaseSensitive(vars,
			    o->vars[i]);
			/* A secret stays secret with its new value. */
			if (cJSON_IsObject(old) && (val =
			    cJSON_GetObjectItemCaseSensitive(old,
			    "value")) != NULL)
				cJSON_ReplaceItemInObjectCaseSensitive(old,
				    "value", cJSON_CreateString(eq + 1));
			else if (old != NULL)
				cJSON_ReplaceItemInObjectCaseSensitive(vars,
				    o->vars[i], cJSON_CreateString(eq + 1));
			else
				cJSON_AddStringToObject(vars, o->vars[i],
				    eq + 1);
			*eq = '=';
		}
	}
	if (o->policy != NULL) {
		cJSON_DeleteItemFromObjectCaseSensitive(root,
		    CTL_SUBMIT_POLICY);
		cJSON_AddStringToObject(root, CTL_SUBMIT_POLICY, o->policy);
	}
	txt = cJSON_PrintUnformatted(root);
	out = xstrdup(txt);
	cJSON_free(txt);
out:
	if (f != stdin)
		fclose(f);
	cJSON_Delete(root);
	buf_free(&b);
	return out;
}

static int
cmd_submit(struct client *c, const struct client_opts *o, int argc,
    char **argv)
{
	cJSON *doc;
	char *body;
	int rc;

	if (argc != 1) {
		fprintf(stderr, "usage: webnav submit [--var NAME=VALUE] "
		    "[--policy NAME] TASK.json\n");
		return EXIT_USAGE;
	}
	if ((body = submission(o, argv[0])) == NULL)
		return EXIT_USAGE;
	rc = request(c, "POST", CTL_PATH_TASKS, body, &doc);
	free(body);
	if (rc != 0)
		return rc;
	if (o->json)
		print_json(doc);
	else
		printf("%lld\n", jid(doc));
	cJSON_Delete(doc);
	return EXIT_OK;
}

static int
cmd_wait(struct client *c, const struct client_opts *o, int argc,
    char **argv)
{
	cJSON *doc = NULL;
	char path[64];
	long long id, end = o->timeout_ms > 0 ? mono_ms() + o->timeout_ms : 0;
	int i, rc, worst = EXIT_OK, e;

	if (argc < 1) {
		fprintf(stderr, "usage: webnav wait [--timeout MS] ID...\n");
		return EXIT_USAGE;
	}
	for (i = 0; i < argc; i++) {
		if ((id = parse_id(argv[i])) < 0)
			return EXIT_USAGE;
		snprintf(path, sizeof(path), CTL_PATH_TASKS "/%lld", id);
		for (;;) {
			if ((rc = request(c, "GET", path, NULL, &doc)) != 0)
				return rc;
			if (is_final(jstr(doc, "state")))
				break;
			if (end > 0 && mono_ms() >= end) {
				log_warnx("task %lld is still %s after %d ms",
				    id, jstr(doc, "state"), o->timeout_ms);
				cJSON_Delete(doc);
				return EXIT_INFRA;
			}
			cJSON_Delete(doc);
			doc = NULL;
			sleep_ms(CLIENT_POLL_MS);
		}
		if (o->json)
			print_json(doc);
		else
			printf("%lld: %s: %s\n", id, jstr(doc, "state"),
			    jstr(doc, "reason") != NULL ? jstr(doc, "reason") :
			    "");
		e = state_exit(jstr(doc, "state"));
		if (e > worst)
			worst = e;
		cJSON_Delete(doc);
		doc = NULL;
	}
	return worst;
}

static int
cmd_show(struct client *c, const struct client_opts *o, int argc,
    char **argv)
{
	const cJSON *a, *arr;
	cJSON *doc;
	char path[64], t1[32], t2[32], t3[32];
	const char *rd;
	long long id;
	int rc;

	if (argc != 1) {
		fprintf(stderr, "usage: webnav show ID\n");
		return EXIT_USAGE;
	}
	if ((id = parse_id(argv[0])) < 0)
		return EXIT_USAGE;
	snprintf(path, sizeof(path), CTL_PATH_TASKS "/%lld", id);
	if ((rc = request(c, "GET", path, NULL, &doc)) != 0)
		return rc;
	if (o->json) {
		print_json(doc);
		cJSON_Delete(doc);
		return EXIT_OK;
	}
	printf("task %lld (%s): %s%s\n", id, jstr(doc, "name") != NULL ?
	    jstr(doc, "name") : "", jstr(doc, "state"),
	    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc,
	    "cancel_requested")) ? ", cancel requested" : "");
	fmt_time(jstr(doc, "submitted"), t1, sizeof(t1));
	fmt_time(jstr(doc, "started"), t2, sizeof(t2));
	fmt_time(jstr(doc, "finished"), t3, sizeof(t3));
	printf("  policy     %s\n", jstr(doc, "policy") != NULL ?
	    jstr(doc, "policy") : "(scripted actions)");
	if (jstr(doc, "owner") != NULL)
		printf("  client     %s\n", jstr(doc, "owner"));
	printf("  submitted  %s\n  started    %s\n  finished   %s\n", t1, t2,
	    t3);
	printf("  steps      %d of at most %d\n", jint(doc, "steps"),
	    jint(doc, "max_steps"));
	if (jstr(doc, "last_action") != NULL)
		printf("  last       %s\n", jstr(doc, "last_action"));
	if (jstr(doc, "outcome") != NULL)
		printf("  outcome    %s: %s\n", jstr(doc, "outcome"),
		    jstr(doc, "reason") != NULL ? jstr(doc, "reason") : "");
	if (*jstrd(doc, "final_url", "") != '\0')
		printf("  final url  %s\n", jstrd(doc, "final_url", ""));
	if ((rd = jstr(doc, "run_dir")) != NULL) {
		printf("  run dir    %s\n", rd);
		if (is_final(jstr(doc, "state")))
			printf("  report     %s/report.html\n", rd);
	}
	arr = cJSON_GetObjectItemCaseSensitive(doc, "attempts");
	if (cJSON_GetArraySize(arr) > 0) {
		printf("  attempts\n");
		cJSON_ArrayForEach(a, arr) {
			fmt_time(jstr(a, "started"), t1, sizeof(t1));
			printf("    %d  %s  %s%s%s  (%d steps)\n",
			    jint(a, "attempt"), t1, jstr(a, "outcome") !=
			    NULL ? jstr(a, "outcome") : "running",
			    jstr(a, "reason") != NULL ? ": " : "",
			    jstr(a, "reason") != NULL ? jstr(a, "reason") : "",
			    jint(a, "steps"));
		}
	}
	cJSON_Delete(doc);
	return EXIT_OK;
}

static int
cmd_cancel(struct client *c, const struct client_opts *o, int argc,
    char **argv)
{
	cJSON *doc;
	char path[64];
	long long id;
	int i, rc, worst = EXIT_OK;

	if (argc < 1) {
		fprintf(stderr, "usage: webnav cancel ID...\n");
		return EXIT_USAGE;
	}
	for (i = 0; i < argc; i++) {
		if ((id = parse_id(argv[i])) < 0)
			return EXIT_USAGE;
		snprintf(path, sizeof(path), CTL_PATH_TASKS "/%lld", id);
		if ((rc = request(c, "DELETE", path, NULL, &doc)) != 0) {
			if (rc > worst)
				worst = rc;
			continue;
		}
		if (o->json)
			print_json(doc);
		else if (strcmp(jstrd(doc, "state", ""), "running") == 0)
			printf("%lld: cancelling (it stops at its next "
			    "step)\n", id);
		else
			printf("%lld: %s\n", id, jstr(doc, "state"));
		cJSON_Delete(doc);
	}
	return worst;
}

static int
cmd_list(struct client *c, const struct client_opts *o, int argc,
    char **argv)
{
	const cJSON *t, *arr;
	cJSON *doc;
	char path[128], tb[32];
	int rc;

	if (argc > 1) {
		fprintf(stderr, "usage: webnav list [STATE]\n");
		return EXIT_USAGE;
	}
	if (argc == 1 && ctl_state_parse(argv[0]) < 0) {
		log_warnx("unknown state \"%s\" (queued, running, succeeded, "
		    "failed, error, cancelled, interrupted)", argv[0]);
		return EXIT_USAGE;
	}
	snprintf(path, sizeof(path), CTL_PATH_TASKS "?limit=%d%s%s",
	    CTL_LIST_MAX, argc == 1 ? "&state=" : "", argc == 1 ? argv[0] :
	    "");
	if ((rc = request(c, "GET", path, NULL, &doc)) != 0)
		return rc;
	if (o->json) {
		print_json(doc);
		cJSON_Delete(doc);
		return EXIT_OK;
	}
	arr = cJSON_GetObjectItemCaseSensitive(doc, "tasks");
	printf("%6s  %-11s  %-24s  %5s  %3s  %-19s  %s\n", "ID", "STATE",
	    "NAME", "STEPS", "TRY", "SUBMITTED", "REASON");
	cJSON_ArrayForEach(t, arr) {
		fmt_time(jstr(t, "submitted"), tb, sizeof(tb));
		printf("%6lld  %-11s  %-24.24s  %5d  %3d  %-19s  %s\n", jid(t),
		    jstr(t, "state"), jstr(t, "name") != NULL ?
		    jstr(t, "name") : "", jint(t, "steps"),
		    jint(t, "attempt"), tb, jstr(t, "reason") != NULL ?
		    jstr(t, "reason") : "");
	}
	cJSON_Delete(doc);
	return EXIT_OK;
}

/* Prints the steps of doc after step *lastp; returns the attempt. */
static void
print_steps(const cJSON *doc, int *attemptp, int *lastp)
{
	const cJSON *s, *arr, *tm, *v;
	int attempt = jint(doc, "attempt"), n;

	if (attempt != *attemptp) {
		if (*attemptp != 0 || attempt > 1)
			printf("-- attempt %d\n", attempt);
		*attemptp = attempt;
		*lastp = 0;
	}
	arr = cJSON_GetObjectItemCaseSensitive(doc, "steps");
	cJSON_ArrayForEach(s, arr) {
		if ((n = jint(s, "step")) <= *lastp)
			continue;
		*lastp = n;
		tm = cJSON_GetObjectItemCaseSensitive(s, "timings");
		v = cJSON_GetObjectItemCaseSensitive(tm, "total");
		printf("step %3d  %-40s %6.0f ms  %s\n", n,
		    jstr(s, "action_text") != NULL ? jstr(s, "action_text") :
		    "(no action)", cJSON_IsNumber(v) ? v->valuedouble : 0.0,
		    jstr(s, "url") != NULL ? jstr(s, "url") : "");
		if (jstr(s, "error") != NULL)
			printf("          error: %s\n", jstr(s, "error"));
	}
	fflush(stdout);
}

static int
cmd_logs(struct client *c, const struct client_opts *o, int argc,
    char **argv)
{
	cJSON *doc = NULL, *task = NULL;
	char path[64], spath[80];
	long long id, end = o->timeout_ms > 0 ? mono_ms() + o->timeout_ms : 0;
	int rc, attempt = 0, last = 0, final;

	if (argc != 1) {
		fprintf(stderr, "usage: webnav logs ID\n");
		return EXIT_USAGE;
	}
	if ((id = parse_id(argv[0])) < 0)
		return EXIT_USAGE;
	snprintf(path, sizeof(path), CTL_PATH_TASKS "/%lld", id);
	snprintf(spath, sizeof(spath), CTL_PATH_TASKS "/%lld/steps", id);
	for (;;) {
		if ((rc = request(c, "GET", path, NULL, &task)) != 0)
			return rc;
		final = is_final(jstr(task, "state"));
		if (jint(task, "attempt") > 0) {
			if ((rc = request(c, "GET", spath, NULL, &doc)) != 0) {
				cJSON_Delete(task);
				return rc;
			}
			if (o->json) {
				print_json(doc);
				cJSON_Delete(doc);
				cJSON_Delete(task);
				return EXIT_OK;
			}
			print_steps(doc, &attempt, &last);
			cJSON_Delete(doc);
		}
		if (final) {
			if (!o->json)
				printf("%lld: %s: %s\n", id, jstr(task, "state"),
				    jstr(task, "reason") != NULL ?
				    jstr(task, "reason") : "");
			cJSON_Delete(task);
			return EXIT_OK;
		}
		cJSON_Delete(task);
		if (end > 0 && mono_ms() >= end)
			return EXIT_OK;
		sleep_ms(CLIENT_POLL_MS * 2);
	}
}

int
client_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 'S' },
		{ "json", no_argument, NULL, 'j' },
		{ "policy", required_argument, NULL, 'p' },
		{ "var", required_argument, NULL, 'V' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	static const struct {
		const char *name;
		int (*fn)(struct client *, const struct client_opts *, int,
		    char **);
	} cmds[] = {
		{ "submit", cmd_submit }, { "wait", cmd_wait },
		{ "show", cmd_show }, { "cancel", cmd_cancel },
		{ "list", cmd_list }, { "logs", cmd_logs },
	};
	struct client_opts o;
	struct client c;
	char *end;
	size_t i, k = sizeof(cmds) / sizeof(cmds[0]);
	long v;
	int ch, rc;

	memset(&o, 0, sizeof(o));
	for (i = 0; i < k; i++)
		if (strcmp(argv[0], cmds[i].name) == 0)
			break;
	if (i == k)
		return EXIT_USAGE;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "jp:V:v", longopts, NULL)) != -1) {
		switch (ch) {
		case 'S':
			o.socket = optarg;
			break;
		case 'j':
			o.json = 1;
			break;
		case 'p':
			o.policy = optarg;
			break;
		case 'V':
			o.vars = xreallocarray(o.vars, o.nvars + 1,
			    sizeof(*o.vars));
			o.vars[o.nvars++] = optarg;
			break;
		case 'T':
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || v < 1 ||
			    v > INT_MAX) {
				log_warnx("--timeout takes milliseconds");
				free(o.vars);
				return EXIT_USAGE;
			}
			o.timeout_ms = (int)v;
			break;
		case 'v':
			log_setlevel(LOG_LVL_DEBUG);
			break;
		default:
			free(o.vars);
			return EXIT_USAGE;
		}
	}
	if (client_open(&o, &c) != 0) {
		free(o.vars);
		return EXIT_INFRA;
	}
	rc = cmds[i].fn(&c, &o, argc - optind, argv + optind);
	client_close(&c);
	free(o.vars);
	return rc;
}
