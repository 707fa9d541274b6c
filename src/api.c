/*
 * api.c: the control API's routes (ctl-proto.h) on top of the daemon's
 * state.  Called by ctl.c with a complete request; fills the response.
 *
 * ctl.c has settled who is asking (rq->who).  With per-client tokens a
 * "tasks" client sees only the tasks it submitted: any other task is
 * answered as if it did not exist (404), so ids tell nothing; an admin
 * sees every task; a "metrics" client reads /metrics and /v1/health
 * only.  /metrics is for admins and metrics clients.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "conf.h"
#include "ctl-proto.h"
#include "ctl.h"
#include "daemon.h"
#include "err.h"
#include "log.h"
#include "metrics.h"
#include "policy.h"
#include "queue.h"
#include "remote.h"
#include "sessions.h"
#include "task.h"
#include "xmalloc.h"

#define STEPS_LINE_MAX	(64 * 1024 * 1024)	/* as traj_load_steps() */
#define MAX_STEP_NUMBER	100000

/* The live view page, embedded at build time from src/liveview.html. */
extern const char webnavd_liveview_html[];

static const char liveview_csp[] = "default-src 'none'; "
    "script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src 'self'; connect-src 'self'";

cJSON *
api_task_json(struct daemon *d, const struct qtask *t, int detail)
{
	cJSON *o = queue_task_json(d->q, t, d->conf->max_attempts, detail);
	struct task *tk = NULL;
	char *body = NULL, *cause = NULL;
	size_t len;

	if (!detail)
		return o;
	/* The task file as submitted, secrets redacted. */
	if (queue_body(d->q, t, &body, &len, &cause) == 0 &&
	    task_parse(body, len, "task", &tk, &cause) == 0)
		cJSON_AddItemToObject(o, "task", task_to_json(tk));
	else
		cJSON_AddNullToObject(o, "task");
	task_free(tk);
	free(body);
	free(cause);
	return o;
}

static const char *
role_name(enum ctl_role r)
{
	switch (r) {
	case CTL_ROLE_TASKS:
		return "tasks";
	case CTL_ROLE_ADMIN:
		return "admin";
	case CTL_ROLE_METRICS:
		return "metrics";
	}
	return "unknown";
}

/* Refuses query parameters other than those allowed (NULL-terminated). */
static int
check_args(const struct ctl_req *rq, struct ctl_resp *rs,
    const char *const *allowed)
{
	int i, j;

	for (i = 0; i < rq->nargs; i++) {
		for (j = 0; allowed[j] != NULL; j++)
			if (strcmp(rq->argk[i], allowed[j]) == 0)
				break;
		if (allowed[j] == NULL) {
			ctl_error(rs, 400, "unknown parameter \"%.64s\"",
			    rq->argk[i]);
			return -1;
		}
	}
	return 0;
}

/* A positive decimal number of at most max; -1 otherwise. */
static long long
parse_num(const char *s, size_t n, long long max)
{
	long long v = 0;
	size_t i;

	if (n == 0 || n > 18 || s[0] == '0')
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v <= max ? v : -1;
}

static void
method_not_allowed(struct ctl_resp *rs, const char *allow)
{
	ctl_error(rs, 405, "method not allowed (allowed: %s)", allow);
	rs->allow = allow;
}

/* ---------------------------------------------------------------------- */

/* Tasks of state s that who may see. */
static int
count_visible(struct daemon *d, const struct ctl_who *who, enum ctl_state s)
{
	struct qtask *t;
	int n = 0;

	if (who->role == CTL_ROLE_ADMIN || who->role == CTL_ROLE_METRICS)
		return queue_count(d->q, s);
	for (t = queue_first(d->q); t != NULL; t = t->next)
		n += t->state == s && ctl_may_see(who, t->owner);
	return n;
}

static void
get_health(struct daemon *d, const struct ctl_who *who,
    struct ctl_resp *rs)
{
	cJSON *o = cJSON_CreateObject(), *b, *s, *ts, *tcp, *cl;
	enum sess_browser_state st;
	char reason[512];
	pid_t pid;
	int i;

	sess_browser(d->S, &st, &pid, reason, sizeof(reason));
	cJSON_AddStringToObject(o, "status", d->draining ? "draining" : "ok");
	cJSON_AddNumberToObject(o, "proto", CTL_PROTO_VERSION);
	cJSON_AddStringToObject(o, "version", PACKAGE_VERSION);
	cJSON_AddNumberToObject(o, "pid", (double)getpid());
	cJSON_AddNumberToObject(o, "uptime_s",
	    (double)(long long)(queue_now() - d->start_time));
	cJSON_AddStringToObject(o, "state_dir", queue_dir(d->q));
	cJSON_AddStringToObject(o, "socket", d->conf->socket);
	if (d->conf->listen_host != NULL) {
		tcp = cJSON_AddObjectToObject(o, "tcp");
		cJSON_AddStringToObject(tcp, "address",
		    d->conf->listen_host);
		cJSON_AddNumberToObject(tcp, "port", ctl_tcp_port(d->ctl));
	} else
		cJSON_AddNullToObject(o, "tcp");
	s = cJSON_AddObjectToObject(o, "sessions");
	cJSON_AddNumberToObject(s, "max", d->conf->sessions);
	cJSON_AddNumberToObject(s, "busy", sess_busy(d->S));
	/* A tasks client counts its own tasks only. */
	ts = cJSON_AddObjectToObject(o, "tasks");
	for (i = 0; i < CTL_NSTATES; i++)
		cJSON_AddNumberToObject(ts, ctl_state_name((enum ctl_state)i),
		    count_visible(d, who, (enum ctl_state)i));
	/* Who the daemon takes the caller for. */
	cl = cJSON_AddObjectToObject(o, "client");
	if (who->client != NULL)
		cJSON_AddStringToObject(cl, "name", who->client);
	else
		cJSON_AddNullToObject(cl, "name");
	cJSON_AddStringToObject(cl, "role", role_name(who->role));
	cJSON_AddBoolToObject(cl, "per_client_tokens", who->clients);
	b = cJSON_AddObjectToObject(o, "browser");
	cJSON_AddStringToObject(b, "mode", d->conf->browser ==
	    CONF_BROWSER_SHARED ? "shared" : "per-session");
	cJSON_AddStringToObject(b, "state", st == SB_UP ? "up" :
	    st == SB_STARTING ? "starting" : "down");
	cJSON_AddNumberToObject(b, "pid", (double)pid);
	cJSON_AddStringToObject(b, "reason", reason);
	cJSON_AddNumberToObject(b, "restarts", d->restarts);
	ctl_json(rs, 200, o);
}

static void
get_metrics(struct daemon *d, struct ctl_resp *rs)
{
	struct metrics_gauges g;
	enum sess_browser_state st;
	char reason[8];
	pid_t pid;
	int i;

	memset(&g, 0, sizeof(g));
	for (i = 0; i < CTL_NSTATES; i++)
		g.tasks[i] = queue_count(d->q, (enum ctl_state)i);
	g.sessions = d->conf->sessions;
	g.busy = sess_busy(d->S);
	sess_browser(d->S, &st, &pid, reason, sizeof(reason));
	g.browser_up = st == SB_UP;
	g.ws_clients = ctl_clients(d->ctl);
	g.start_time = d->start_time;
	rs->status = 200;
	rs->type = "text/plain; version=0.0.4; charset=utf-8";
	if (metrics_format(d->m, &g, &rs->body) != 0)
		ctl_error(rs, 500, "metrics too large");
}

static void
list_tasks(struct daemon *d, const struct ctl_req *rq, struct ctl_resp *rs)
{
	static const char *const allowed[] = { "state", "limit", NULL };
	const char *sv = ctl_arg(rq, "state"), *lv = ctl_arg(rq, "limit");
	struct qtask *t, *from;
	cJSON *o, *arr;
	long long limit = CTL_LIST_DEFAULT;
	int st = -1, n = 0;

	if (check_args(rq, rs, allowed) != 0)
		return;
	if (sv != NULL && (st = ctl_state_parse(sv)) < 0) {
		ctl_error(rs, 400, "state: unknown state \"%.32s\"", sv);
		return;
	}
	if (lv != NULL && (limit = parse_num(lv, strlen(lv),
	    CTL_LIST_MAX)) < 0) {
		ctl_error(rs, 400, "limit: expected 1 to %d", CTL_LIST_MAX);
		return;
	}
	/* The newest `limit` matches, listed oldest first. */
	from = NULL;
	for (t = queue_first(d->q); t != NULL; t = t->next)
		if ((st < 0 || (int)t->state == st) &&
		    ctl_may_see(&rq->who, t->owner)) {
			n++;
			from = from == NULL ? t : from;
		}
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "total", n);
	arr = cJSON_AddArrayToObject(o, "tasks");
	for (t = from; t != NULL; t = t->next) {
		if ((st >= 0 && (int)t->state != st) ||
		    !ctl_may_see(&rq->who, t->owner))
			continue;
		if (n-- > limit)
			continue;
		cJSON_AddItemToArray(arr, api_task_json(d, t, 0));
	}
	ctl_json(rs, 200, o);
}

/* POST /v1/tasks. */
static void
submit(struct daemon *d, const struct ctl_req *rq, struct ctl_resp *rs)
{
	struct task *tk = NULL;
	struct policy *pol = NULL;
	struct policy_params pp;
	struct remote_params rp;
	struct qtask *t;
	cJSON *root = NULL, *pv;
	char *cause = NULL, *body = NULL, *policy = NULL;
	const char *end = NULL;
	char g[32];
	int r;

	if (rq->nargs > 0) {
		ctl_error(rs, 400, "unknown parameter \"%.64s\"", rq->argk[0]);
		goto out;
	}
	if (d->draining) {
		ctl_error(rs, 503, "webnavd is stopping; submit again once "
		    "it is back");
		rs->retry_after = 10;
		metrics_rejected(d->m);
		goto out;
	}
	if (queue_count(d->q, CTL_QUEUED) >= d->conf->queue_max) {
		ctl_error(rs, 503, "the queue is full (%d tasks waiting)",
		    d->conf->queue_max);
		rs->retry_after = 5;
		metrics_rejected(d->m);
		goto out;
	}
	if (memchr(rq->body, '\0', rq->len) != NULL) {
		ctl_error(rs, 400, "task: NUL byte in the request body");
		metrics_rejected(d->m);
		goto out;
	}
	root = cJSON_ParseWithLengthOpts(rq->body, rq->len + 1, &end, 1);
	if (root == NULL) {
		/* task_parse() explains bad JSON best: line, column, near. */
		if (task_parse(rq->body, rq->len, "task", &tk, &cause) == 0)
			cause = xstrdup("task: invalid JSON");
		ctl_error(rs, 400, "%s", cause);
		metrics_rejected(d->m);
		goto out;
	}
	if (!cJSON_IsObject(root)) {
		ctl_error(rs, 400, "task: expected a JSON object");
		metrics_rejected(d->m);
		goto out;
	}
	if ((pv = cJSON_DetachItemFromObjectCaseSensitive(root,
	    CTL_SUBMIT_POLICY)) != NULL) {
		if (!cJSON_IsString(pv) || *pv->valuestring == '\0') {
			cJSON_Delete(pv);
			ctl_error(rs, 400, "policy: expected a policy name");
			metrics_rejected(d->m);
			goto out;
		}
		policy = xstrdup(pv->valuestring);
		cJSON_Delete(pv);
	}
	body = cJSON_PrintUnformatted(root);
	if ((r = task_parse(body, strlen(body), "task", &tk, &cause)) != 0) {
		ctl_error(rs, r == ERR_TOOBIG ? 413 : 400, "%s", cause);
		metrics_rejected(d->m);
		goto out;
	}
	if (tk->timeout_ms > d->conf->task_timeout_max_ms) {
		ctl_error(rs, 400, "task: timeout_ms: %d is over this daemon's "
		    "task_timeout_max of %s", tk->timeout_ms,
		    conf_fmt_duration(d->conf->task_timeout_max_ms, g,
		    sizeof(g)));
		metrics_rejected(d->m);
		goto out;
	}
	if (tk->mode == TASK_ACTIONS) {
		free(policy);
		policy = NULL;
	} else {
		if (policy == NULL)
			policy = xstrdup(d->conf->policy);
		if (strcmp(policy, "replay") == 0) {
			ctl_error(rs, 400, "policy: replay needs a recorded "
			    "run and is not available through webnavd");
			metrics_rejected(d->m);
			goto out;
		}
		policy_default_params(&pp);
		/*
		 * As the session will build it (sessions.c).  A task may
		 * not pick the endpoint or the key file: the daemon's key
		 * would go where the task says.
		 */
		if (tk->remote != NULL && (r = remote_json_untrusted(
		    tk->remote, &cause)) != 0) {
			ctl_error(rs, 400, "task: %s", cause);
			metrics_rejected(d->m);
			goto out;
		}
		if (strcmp(policy, "remote") == 0) {
			cJSON *cr = conf_remote_json(d->conf);

			remote_default_params(&rp);
			if ((r = remote_params_env(&rp, &cause)) == 0 &&
			    (r = remote_set_json(&rp, cr, &cause)) == 0 &&
			    tk->remote != NULL)
				r = remote_set_json(&rp, tk->remote, &cause);
			if (r == 0) {
				pp.remote = &rp;
				r = policy_new(policy, &pp, &pol, &cause);
			}
			cJSON_Delete(cr);
		} else
			r = policy_new(policy, &pp, &pol, &cause);
		if (r != 0) {
			ctl_error(rs, 400, "policy: %s", cause != NULL ?
			    cause : err_str(r));
			metrics_rejected(d->m);
			goto out;
		}
	}
	/* The task belongs to its submitter (an unnamed admin: nobody). */
	if ((r = queue_add(d->q, body, strlen(body), tk->name, policy,
	    rq->who.client, tk->max_steps, tk->timeout_ms, &t,
	    &cause)) != 0) {
		log_warnx("submit: %s", cause);
		ctl_error(rs, errno == ENOSPC ? 507 : 500, "%s", cause);
		goto out;
	}
	metrics_submitted(d->m);
	log_info("task %lld (%s): queued, policy %s%s%s", t->id, t->name,
	    policy != NULL ? policy : "script", t->owner != NULL ?
	    ", client " : "", t->owner != NULL ? t->owner : "");
	daemon_task_changed(d, t);
	ctl_json(rs, 201, api_task_json(d, t, 0));
	rs->location = xasprintf(CTL_PATH_TASKS "/%lld", t->id);
out:
	policy_free(pol);
	task_free(tk);
	cJSON_Delete(root);
	cJSON_free(body);
	free(policy);
	free(cause);
}

/* DELETE /v1/tasks/ID. */
static void
cancel(struct daemon *d, struct qtask *t, struct ctl_resp *rs)
{
	if (ctl_state_final(t->state)) {
		ctl_error(rs, 409, "task %lld already ended (%s)", t->id,
		    ctl_state_name(t->state));
		return;
	}
	if (t->state == CTL_QUEUED) {
		t->state = CTL_CANCELLED;
		t->finished = queue_now();
		free(t->outcome);
		free(t->reason);
		t->outcome = xstrdup("cancelled");
		t->reason = xstrdup("cancelled before it started");
		queue_save(d->q, t);
		log_info("task %lld: cancelled while queued", t->id);
		daemon_task_changed(d, t);
		ctl_json(rs, 200, api_task_json(d, t, 0));
		return;
	}
	daemon_cancel_running(d, t);
	log_info("task %lld: cancel requested", t->id);
	daemon_task_changed(d, t);
	ctl_json(rs, 202, api_task_json(d, t, 0));
}

/* The attempt a request asks about (?attempt=N, default the latest). */
static const struct qattempt *
pick_attempt(const struct qtask *t, const struct ctl_req *rq,
    struct ctl_resp *rs)
{
	const char *av = ctl_arg(rq, "attempt");
	long long n;

	if (av == NULL) {
		if (t->natt == 0)
			ctl_error(rs, 404, "task %lld has not started", t->id);
		return t->natt > 0 ? &t->att[t->natt - 1] : NULL;
	}
	if ((n = parse_num(av, strlen(av), QUEUE_MAX_ATTEMPTS)) < 0 ||
	    (size_t)n > t->natt) {
		ctl_error(rs, 404, "task %lld has no attempt %.16s", t->id, av);
		return NULL;
	}
	return &t->att[n - 1];
}

/* Adds an image link of a steps.jsonl record to a step summary. */
static void
add_image(cJSON *dst, const char *key, const cJSON *src, long long id,
    int step, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(src, key);
	char path[128];

	if (!cJSON_IsString(v)) {
		cJSON_AddNullToObject(dst, key);
		return;
	}
	snprintf(path, sizeof(path), CTL_PATH_TASKS "/%lld/steps/%d/%s", id,
	    step, name);
	cJSON_AddStringToObject(dst, key, path);
}

/* GET /v1/tasks/ID/steps: a summary of each line of steps.jsonl. */
static void
get_steps(struct daemon *d, struct qtask *t, const struct ctl_req *rq,
    struct ctl_resp *rs)
{
	static const char *const allowed[] = { "attempt", NULL };
	static const char *const keys[] = { "step", "instruction", "url",
	    "title", "action_text", "score", "error", "timings", NULL };
	const struct qattempt *a;
	cJSON *o, *arr, *line, *s;
	const cJSON *v;
	char *dir, *path, *buf = NULL;
	size_t cap = 0, i;
	ssize_t n;
	FILE *f;
	int step;

	if (check_args(rq, rs, allowed) != 0 ||
	    (a = pick_attempt(t, rq, rs)) == NULL)
		return;
	dir = queue_run_path(d->q, a);
	path = xasprintf("%s/steps.jsonl", dir);
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "id", (double)t->id);
	cJSON_AddNumberToObject(o, "attempt", a->n);
	cJSON_AddStringToObject(o, "run_dir", dir);
	arr = cJSON_AddArrayToObject(o, "steps");
	if ((f = fopen(path, "re")) != NULL) {
		while ((n = getline(&buf, &cap, f)) != -1) {
			/*
			 * The session may be writing the last line right
			 * now: a line that does not parse is skipped.
			 */
			if (n > STEPS_LINE_MAX || (line =
			    cJSON_ParseWithLength(buf, (size_t)n)) == NULL)
				continue;
			v = cJSON_GetObjectItemCaseSensitive(line, "step");
			step = cJSON_IsNumber(v) ? (int)v->valuedouble : 0;
			s = cJSON_CreateObject();
			for (i = 0; keys[i] != NULL; i++)
				if ((v = cJSON_GetObjectItemCaseSensitive(line,
				    keys[i])) != NULL)
					cJSON_AddItemToObject(s, keys[i],
					    cJSON_Duplicate(v, 1));
			add_image(s, "screenshot", line, t->id, step,
			    "screenshot.png");
			add_image(s, "som", line, t->id, step, "som.png");
			cJSON_AddItemToArray(arr, s);
			cJSON_Delete(line);
		}
		fclose(f);
	} else if (errno != ENOENT)
		log_warn("%s", path);
	free(buf);
	free(path);
	free(dir);
	ctl_json(rs, 200, o);
}

/* Serves a file of an attempt's run directory, if it exists. */
static void
run_file(struct daemon *d, struct qtask *t, const struct ctl_req *rq,
    struct ctl_resp *rs, const char *name, const char *type)
{
	static const char *const allowed[] = { "attempt", NULL };
	const struct qattempt *a;
	struct stat st;
	char *dir, *path;

	if (check_args(rq, rs, allowed) != 0 ||
	    (a = pick_attempt(t, rq, rs)) == NULL)
		return;
	dir = queue_run_path(d->q, a);
	path = xasprintf("%s/%s", dir, name);
	free(dir);
	if (stat(path, &st) == -1 || !S_ISREG(st.st_mode)) {
		ctl_error(rs, 404, "task %lld attempt %d has no %s", t->id,
		    a->n, name);
		free(path);
		return;
	}
	rs->file = path;
	rs->type = type;
}

/* The live Set-of-Mark image of a running task (?step=N is ignored). */
static void
live_image(struct daemon *d, struct qtask *t, const struct ctl_req *rq,
    struct ctl_resp *rs)
{
	static const char *const allowed[] = { "step", NULL };
	struct stat st;
	char *path;

	if (check_args(rq, rs, allowed) != 0)
		return;
	path = xasprintf("%s/live/%lld.png", queue_dir(d->q), t->id);
	if (t->state != CTL_RUNNING || stat(path, &st) == -1) {
		ctl_error(rs, 404, "task %lld has no live image", t->id);
		free(path);
		return;
	}
	rs->file = path;
	rs->type = "image/png";
}

/* Everything under /v1/tasks/ID. */
static void
task_routes(struct daemon *d, const struct ctl_req *rq, struct ctl_resp *rs,
    const char *rest)
{
	static const char *const none[] = { NULL };
	struct qtask *t;
	const char *slash = strchr(rest, '/'), *sub;
	char name[64];
	long long id, step;
	size_t n = slash != NULL ? (size_t)(slash - rest) : strlen(rest);

	if ((id = parse_num(rest, n, LLONG_MAX / 10)) < 0) {
		ctl_error(rs, 404, "no such resource");
		return;
	}
	/* Another client's task is not there, as far as this one knows. */
	if ((t = queue_find(d->q, id)) == NULL ||
	    !ctl_may_see(&rq->who, t->owner)) {
		ctl_error(rs, 404, "no task %lld", id);
		return;
	}
	sub = slash != NULL ? slash : "";
	if (*sub == '\0') {
		if (rq->method == CTL_GET) {
			if (check_args(rq, rs, none) == 0)
				ctl_json(rs, 200, api_task_json(d, t, 1));
		} else if (rq->method == CTL_DELETE) {
			if (check_args(rq, rs, none) == 0)
				cancel(d, t, rs);
		} else
			method_not_allowed(rs, "GET, DELETE");
		return;
	}
	if (rq->method != CTL_GET) {
		method_not_allowed(rs, "GET");
		return;
	}
	if (strcmp(sub, "/steps") == 0) {
		get_steps(d, t, rq, rs);
		return;
	}
	if (strcmp(sub, "/live.png") == 0) {
		live_image(d, t, rq, rs);
		return;
	}
	if (strcmp(sub, "/report") == 0) {
		run_file(d, t, rq, rs, "report.html",
		    "text/html; charset=utf-8");
		return;
	}
	if (strncmp(sub, "/steps/", 7) == 0) {
		sub += 7;
		n = strcspn(sub, "/");
		if ((step = parse_num(sub, n, MAX_STEP_NUMBER)) > 0) {
			if (strcmp(sub + n, "/screenshot.png") == 0) {
				snprintf(name, sizeof(name), "step-%03lld.png",
				    step);
				run_file(d, t, rq, rs, name, "image/png");
				return;
			}
			if (strcmp(sub + n, "/som.png") == 0) {
				snprintf(name, sizeof(name),
				    "step-%03lld-som.png", step);
				run_file(d, t, rq, rs, name, "image/png");
				return;
			}
		}
	}
	ctl_error(rs, 404, "no such resource");
}

void
api_handle(void *arg, const struct ctl_req *rq, struct ctl_resp *rs)
{
	static const char *const none[] = { NULL };
	struct daemon *d = arg;
	const char *p = rq->path;

	if (rq->who.role == CTL_ROLE_METRICS &&
	    strcmp(p, CTL_PATH_METRICS) != 0 &&
	    strcmp(p, CTL_PATH_HEALTH) != 0) {
		ctl_error(rs, 403, "client %s has role metrics: it may read "
		    "%s and %s only", rq->who.client != NULL ?
		    rq->who.client : "?", CTL_PATH_METRICS, CTL_PATH_HEALTH);
		return;
	}
	if (strcmp(p, "/") == 0 || strcmp(p, "/index.html") == 0) {
		if (rq->method != CTL_GET)
			method_not_allowed(rs, "GET");
		else if (check_args(rq, rs, none) == 0) {
			rs->status = 200;
			rs->type = "text/html; charset=utf-8";
			rs->csp = liveview_csp;
			(void)buf_puts(&rs->body, webnavd_liveview_html);
		}
	} else if (strcmp(p, CTL_PATH_HEALTH) == 0) {
		if (rq->method != CTL_GET)
			method_not_allowed(rs, "GET");
		else if (check_args(rq, rs, none) == 0)
			get_health(d, &rq->who, rs);
	} else if (strcmp(p, CTL_PATH_METRICS) == 0) {
		if (rq->method != CTL_GET)
			method_not_allowed(rs, "GET");
		else if (rq->who.role == CTL_ROLE_TASKS)
			/* Counts of every client's tasks: not for one. */
			ctl_error(rs, 403, "client %s may not read %s: it "
			    "needs role metrics or admin", rq->who.client !=
			    NULL ? rq->who.client : "?", CTL_PATH_METRICS);
		else if (check_args(rq, rs, none) == 0)
			get_metrics(d, rs);
	} else if (strcmp(p, CTL_PATH_TASKS) == 0 ||
	    strcmp(p, CTL_PATH_TASKS "/") == 0) {
		if (rq->method == CTL_GET)
			list_tasks(d, rq, rs);
		else if (rq->method == CTL_POST)
			submit(d, rq, rs);
		else
			method_not_allowed(rs, "GET, POST");
	} else if (strncmp(p, CTL_PATH_TASKS "/", sizeof(CTL_PATH_TASKS)) ==
	    0)
		task_routes(d, rq, rs, p + sizeof(CTL_PATH_TASKS));
	else if (strcmp(p, CTL_PATH_EVENTS) == 0)
		ctl_error(rs, 400, "%s is a WebSocket: send an Upgrade",
		    CTL_PATH_EVENTS);
	else
		ctl_error(rs, 404, "no such resource");
}

char *
api_hello(void *arg, const struct ctl_who *who)
{
	struct daemon *d = arg;
	struct qtask *t;
	enum sess_browser_state st;
	char reason[512], *txt, *s;
	cJSON *o, *arr, *b;
	pid_t pid;
	int n = 0;

	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "type", "hello");
	cJSON_AddNumberToObject(o, "proto", CTL_PROTO_VERSION);
	cJSON_AddStringToObject(o, "version", PACKAGE_VERSION);
	sess_browser(d->S, &st, &pid, reason, sizeof(reason));
	b = cJSON_AddObjectToObject(o, "browser");
	cJSON_AddStringToObject(b, "state", st == SB_UP ? "up" :
	    st == SB_STARTING ? "starting" : "down");
	cJSON_AddNumberToObject(b, "restarts", d->restarts);
	arr = cJSON_AddArrayToObject(o, "tasks");
	/* The newest tasks it may see, oldest first. */
	for (t = queue_first(d->q); t != NULL; t = t->next)
		n += ctl_may_see(who, t->owner);
	for (t = queue_first(d->q); t != NULL; t = t->next) {
		if (!ctl_may_see(who, t->owner))
			continue;
		if (n-- <= CTL_LIST_DEFAULT || t->state == CTL_RUNNING ||
		    t->state == CTL_QUEUED)
			cJSON_AddItemToArray(arr, api_task_json(d, t, 0));
	}
	txt = cJSON_PrintUnformatted(o);
	s = xstrdup(txt);
	cJSON_free(txt);
	cJSON_Delete(o);
	return s;
}
