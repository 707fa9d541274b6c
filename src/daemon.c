/*
 * daemon.c: webnavd's life: privileges, state, the control loop, the
 * drain on SIGTERM and the reload on SIGHUP (see daemon.h).
 *
 * Order of startup: drop privileges (binding the socket first when the
 * socket group needs root), open the state directory (lock, recovery of
 * tasks that were running), listen, start the browser supervisor, tell
 * systemd READY=1.  Shutdown runs the other way.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>

#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cblas.h>
#include <cjson/cJSON.h>
#include <libwebsockets.h>

#include "agent.h"
#include "conf.h"
#include "ctl-proto.h"
#include "ctl.h"
#include "daemon.h"
#include "err.h"
#include "log.h"
#include "metrics.h"
#include "queue.h"
#include "sessions.h"
#include "xmalloc.h"

#define WATCHDOG_SLACK_MS	30000	/* past a task's timeout_ms */
#define FORCE_WAIT_MS		15000	/* after the grace, for sessions */
#define SHUTDOWN_JOIN_MS	5000

static volatile sig_atomic_t sig_quit, sig_reload;
static struct lws_context *sig_ctx;
static char *notify_path;

long long
daemon_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Signal handler: sets a flag and wakes the loop (a pipe write). */
static void
on_signal(int sig)
{
	int saved = errno;

	if (sig == SIGHUP)
		sig_reload = 1;
	else if (sig_quit < 100)
		sig_quit++;
	if (sig_ctx != NULL)
		lws_cancel_service(sig_ctx);
	errno = saved;
}

/* Sends a state change to systemd ($NOTIFY_SOCKET), if it asked. */
static void
notify(const char *fmt, ...)
    __attribute__((__format__(__printf__, 1, 2)));

static void
notify(const char *fmt, ...)
{
	struct sockaddr_un sun;
	char msg[512];
	size_t n;
	va_list ap;
	int fd;

	if (notify_path == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	n = strlen(notify_path);
	memcpy(sun.sun_path, notify_path, n);
	if (sun.sun_path[0] == '@')
		sun.sun_path[0] = '\0';
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1) {
		log_warn("notify: socket");
		return;
	}
	if (sendto(fd, msg, strlen(msg), MSG_NOSIGNAL, (struct sockaddr *)&sun,
	    (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n)) == -1)
		log_warn("notify: %s", notify_path);
	close(fd);
}

/* Takes $NOTIFY_SOCKET for us and out of the browser's environment. */
static void
notify_init(void)
{
	const char *p = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sun;

	if (p != NULL && (p[0] == '/' || p[0] == '@') &&
	    strlen(p) < sizeof(sun.sun_path))
		notify_path = xstrdup(p);
	unsetenv("NOTIFY_SOCKET");
}

static void
notify_status(struct daemon *d)
{
	notify("STATUS=%d running, %d queued, browser %s",
	    queue_count(d->q, CTL_RUNNING), queue_count(d->q, CTL_QUEUED),
	    d->bstate == SB_UP ? "up" : d->bstate == SB_STARTING ?
	    "starting" : "down");
}

/* ---------------------------------------------------------------------- */
/* Privileges.                                                            */

/* Creates dir (not its parents) owned by uid:gid if missing. */
static int
own_dir(const char *dir, mode_t mode, uid_t uid, gid_t gid, char **causep)
{
	struct stat st;

	if (mkdir(dir, mode) == 0) {
		if (chown(dir, uid, gid) == -1) {
			*causep = xasprintf("chown %s: %s", dir,
			    strerror(errno));
			return ERR_IO;
		}
		return 0;
	}
	if (errno != EEXIST || stat(dir, &st) == -1 || !S_ISDIR(st.st_mode)) {
		*causep = xasprintf("cannot create %s: %s", dir,
		    strerror(errno));
		return ERR_IO;
	}
	return 0;
}

/* The user to become, looked up while still root. */
struct user {
	uid_t	 uid;
	gid_t	 gid;
	char	*name;
	char	*home;
};

/*
 * Started as root: looks the user up and prepares what it needs (state
 * directory, socket directory).  Root without a user is refused.
 */
static int
priv_prepare(const struct conf *c, struct user *u, char **causep)
{
	struct passwd *pw;
	struct stat st;
	char *sockdir;
	int r;

	if (c->user == NULL) {
		*causep = xasprintf("refusing to run as root: set \"user\" "
		    "in %s (Chromium also needs a non-root user for its "
		    "sandbox)", c->path);
		return ERR_DENIED;
	}
	if ((pw = getpwnam(c->user)) == NULL) {
		*causep = xasprintf("user %s: no such user", c->user);
		return ERR_INVALID;
	}
	if (pw->pw_uid == 0) {
		*causep = xasprintf("user %s is root", c->user);
		return ERR_INVALID;
	}
	u->uid = pw->pw_uid;
	u->gid = pw->pw_gid;
	u->name = xstrdup(pw->pw_name);
	u->home = xstrdup(pw->pw_dir);
	if ((r = own_dir(c->state_dir, 0700, u->uid, u->gid, causep)) != 0)
		return r;
	if (stat(c->state_dir, &st) == 0 && st.st_uid != u->uid &&
	    chown(c->state_dir, u->uid, u->gid) == -1) {
		*causep = xasprintf("chown %s: %s", c->state_dir,
		    strerror(errno));
		return ERR_IO;
	}
	sockdir = xstrdup(c->socket);
	*strrchr(sockdir, '/') = '\0';
	r = *sockdir != '\0' ? own_dir(sockdir, 0755, u->uid, u->gid,
	    causep) : 0;
	free(sockdir);
	return r;
}

/* Drops root for good: groups, gid, uid, each checked. */
static int
priv_drop(const struct conf *c, const struct user *u, char **causep)
{
	struct stat st;
	uid_t ru, eu, su;
	gid_t rg, eg, sg;

	if (setgroups(1, &u->gid) == -1 ||
	    setresgid(u->gid, u->gid, u->gid) == -1 ||
	    setresuid(u->uid, u->uid, u->uid) == -1) {
		*causep = xasprintf("cannot drop privileges to %s: %s",
		    u->name, strerror(errno));
		return ERR_IO;
	}
	if (getresuid(&ru, &eu, &su) == -1 || getresgid(&rg, &eg, &sg) == -1 ||
	    ru != u->uid || eu != u->uid || su != u->uid ||
	    rg != u->gid || eg != u->gid || sg != u->gid ||
	    setuid(0) != -1) {
		*causep = xasprintf("privileges not dropped to %s", u->name);
		return ERR_INTERNAL;
	}
	setenv("USER", u->name, 1);
	setenv("LOGNAME", u->name, 1);
	if (stat(u->home, &st) == 0 && S_ISDIR(st.st_mode) &&
	    access(u->home, W_OK) == 0)
		setenv("HOME", u->home, 1);
	else
		setenv("HOME", c->state_dir, 1);
	log_info("running as %s (uid %ld, gid %ld)", u->name, (long)u->uid,
	    (long)u->gid);
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Tasks.                                                                 */

static enum ctl_state
outcome_state(int o)
{
	switch ((enum agent_outcome)o) {
	case AGENT_SUCCESS:
		return CTL_SUCCEEDED;
	case AGENT_FAILED:
	case AGENT_MAX_STEPS:
	case AGENT_TIMEOUT:
	case AGENT_LOOP:
	case AGENT_DENIED:
		return CTL_FAILED;
	case AGENT_CANCELLED:
		return CTL_CANCELLED;
	case AGENT_ERROR:
		break;
	}
	return CTL_ERROR;
}

void
daemon_task_changed(struct daemon *d, struct qtask *t)
{
	cJSON *ev = cJSON_CreateObject();
	char *txt;

	cJSON_AddStringToObject(ev, "type", "task");
	cJSON_AddItemToObject(ev, "task", api_task_json(d, t, 0));
	txt = cJSON_PrintUnformatted(ev);
	ctl_broadcast_task(d->ctl, t->owner, txt);
	cJSON_free(txt);
	cJSON_Delete(ev);
}

void
daemon_cancel_running(struct daemon *d, struct qtask *t)
{
	t->cancel = 1;
	sess_cancel(d->S, t->slot);
}

/* Records a final state. */
static void
finish_task(struct daemon *d, struct qtask *t, enum ctl_state st,
    const char *outcome, const char *reason)
{
	t->state = st;
	t->finished = queue_now();
	free(t->outcome);
	free(t->reason);
	t->outcome = xstrdup(outcome);
	t->reason = xstrdup(reason != NULL ? reason : "");
	(void)d;
}

/*
 * A task whose attempt ended without an outcome of its own (daemon
 * stopped, crashed, or gave up on it): queued again or interrupted.
 */
static void
interrupt_task(struct daemon *d, struct qtask *t, const char *reason)
{
	queue_end_attempt(t, "interrupted", reason, t->steps);
	if (d->conf->on_interrupt == CONF_RETRY_RETRY &&
	    (int)t->natt < d->conf->max_attempts) {
		t->state = CTL_QUEUED;
		log_info("task %lld: %s; queued again (attempt %zu of %d "
		    "was interrupted)", t->id, reason, t->natt,
		    d->conf->max_attempts);
	} else {
		finish_task(d, t, CTL_INTERRUPTED, "interrupted", reason);
		log_info("task %lld: interrupted: %s", t->id, reason);
	}
	t->slot = -1;
	queue_save(d->q, t);
}

/* After a restart: what was running when the last daemon ended. */
static void
recover(struct daemon *d)
{
	struct qtask *t;
	int nq = 0, nr = 0;

	for (t = queue_first(d->q); t != NULL; t = t->next) {
		if (t->state == CTL_RUNNING) {
			nr++;
			interrupt_task(d, t, "webnavd stopped while the task "
			    "was running");
		}
		nq += t->state == CTL_QUEUED;
	}
	if (nr > 0 || nq > 0)
		log_info("state %s: %d task(s) were running, %d queued",
		    queue_dir(d->q), nr, nq);
}

/* Starts queued task t in a free slot. */
static void
start_task(struct daemon *d, struct qtask *t, int slot)
{
	struct qattempt *a;
	struct sess_job job;
	char *body = NULL, *cause = NULL;
	size_t len = 0;

	if (queue_body(d->q, t, &body, &len, &cause) != 0) {
		log_warnx("task %lld: %s", t->id, cause);
		finish_task(d, t, CTL_ERROR, "error", cause);
		queue_save(d->q, t);
		daemon_task_changed(d, t);
		free(cause);
		return;
	}
	a = queue_begin(d->q, t);
	memset(&job, 0, sizeof(job));
	job.id = t->id;
	job.attempt = a->n;
	job.body = body;
	job.len = len;
	job.policy = t->policy != NULL ? xstrdup(t->policy) : NULL;
	job.run_dir = queue_run_path(d->q, a);
	job.remote = conf_remote_json(d->conf);
	if (sess_start(d->S, slot, &job, &cause) != 0) {
		log_warnx("task %lld: %s", t->id, cause);
		queue_end_attempt(t, "error", cause, 0);
		finish_task(d, t, CTL_ERROR, "error", cause);
		queue_save(d->q, t);
		daemon_task_changed(d, t);
		free(job.body);
		free(job.policy);
		free(job.run_dir);
		cJSON_Delete(job.remote);
		free(cause);
		return;
	}
	t->slot = slot;
	t->deadline_ms = (double)(daemon_now_ms() + t->timeout_ms +
	    WATCHDOG_SLACK_MS);
	log_info("task %lld (%s): attempt %d started in session %d", t->id,
	    t->name != NULL ? t->name : "", a->n, slot);
	daemon_task_changed(d, t);
}

static void
dispatch(struct daemon *d)
{
	struct qtask *t;
	int slot, started = 0;

	while (!d->draining && sess_busy(d->S) < d->conf->sessions &&
	    sess_ready(d->S)) {
		if ((t = queue_next_queued(d->q)) == NULL)
			break;
		if ((slot = sess_free_slot(d->S)) < 0)
			break;
		start_task(d, t, slot);
		started++;
	}
	if (started > 0)
		notify_status(d);
}

static void
on_step(struct daemon *d, const struct sess_event *ev)
{
	struct qtask *t = queue_find(d->q, ev->id);
	cJSON *o, *tm;
	char *txt, path[128];

	metrics_step(d->m, ev->ms);
	if (t == NULL || t->state != CTL_RUNNING ||
	    (int)t->natt != ev->attempt)
		return;
	free(t->last_action);
	t->last_action = xstrdup(ev->action);
	t->last_step = ev->step;
	t->steps = ev->step;
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "type", "step");
	cJSON_AddNumberToObject(o, "id", (double)t->id);
	cJSON_AddNumberToObject(o, "attempt", ev->attempt);
	cJSON_AddNumberToObject(o, "step", ev->step);
	cJSON_AddNumberToObject(o, "max_steps", ev->max_steps);
	cJSON_AddStringToObject(o, "action", ev->action);
	tm = cJSON_AddObjectToObject(o, "timings");
	cJSON_AddNumberToObject(tm, "observe", ev->ms[MET_OBSERVE]);
	cJSON_AddNumberToObject(tm, "decide", ev->ms[MET_DECIDE]);
	cJSON_AddNumberToObject(tm, "act", ev->ms[MET_ACT]);
	cJSON_AddNumberToObject(tm, "settle", ev->ms[MET_SETTLE]);
	cJSON_AddNumberToObject(tm, "check", ev->ms[MET_CHECK]);
	cJSON_AddNumberToObject(tm, "total", ev->ms[MET_TOTAL]);
	snprintf(path, sizeof(path), CTL_PATH_TASKS "/%lld/steps/%d/"
	    "screenshot.png", t->id, ev->step);
	cJSON_AddStringToObject(o, "screenshot", path);
	snprintf(path, sizeof(path), CTL_PATH_TASKS "/%lld/steps/%d/som.png",
	    t->id, ev->step);
	cJSON_AddStringToObject(o, "som", path);
	if (ev->live) {
		snprintf(path, sizeof(path), CTL_PATH_TASKS "/%lld/live.png?"
		    "step=%d", t->id, ev->step);
		cJSON_AddStringToObject(o, "live", path);
	} else
		cJSON_AddNullToObject(o, "live");
	txt = cJSON_PrintUnformatted(o);
	ctl_broadcast_task(d->ctl, t->owner, txt);
	cJSON_free(txt);
	cJSON_Delete(o);
}

/* Removes the live image of a task that no longer runs. */
static void
live_remove(struct daemon *d, const struct qtask *t)
{
	char *path = xasprintf("%s/live/%lld.png", queue_dir(d->q), t->id);

	if (unlink(path) == -1 && errno != ENOENT)
		log_warn("%s", path);
	free(path);
}

static void
on_done(struct daemon *d, const struct sess_event *ev)
{
	struct qtask *t = queue_find(d->q, ev->id);
	enum ctl_state st;
	const char *outcome;
	char *reason;
	int retry = 0, again;

	sess_join(d->S, ev->slot);
	if (t == NULL || t->state != CTL_RUNNING ||
	    (int)t->natt != ev->attempt) {
		log_warnx("session %d: task %lld attempt %d ended, but the "
		    "task is not running it", ev->slot, ev->id, ev->attempt);
		return;
	}
	t->slot = -1;
	live_remove(d, t);
	if (ev->crashed) {
		outcome = "crashed";
		reason = xasprintf("the browser died during the task: %s",
		    ev->crash);
		retry = d->conf->on_browser_crash == CONF_RETRY_RETRY;
		st = CTL_ERROR;
	} else if (t->interrupting) {
		outcome = "interrupted";
		reason = xstrdup("webnavd was stopping and its stop grace ran "
		    "out");
		retry = d->conf->on_interrupt == CONF_RETRY_RETRY;
		st = CTL_INTERRUPTED;
	} else if (t->overdue && !t->cancel && ev->outcome == AGENT_CANCELLED) {
		outcome = "timeout";
		reason = xasprintf("stopped by webnavd: still running %d s "
		    "after its timeout of %d ms", WATCHDOG_SLACK_MS / 1000,
		    t->timeout_ms);
		st = CTL_FAILED;
	} else {
		outcome = ev->ran ? agent_outcome_name(
		    (enum agent_outcome)ev->outcome) : "error";
		reason = xstrdup(ev->reason != NULL ? ev->reason : "");
		st = ev->ran ? outcome_state(ev->outcome) : CTL_ERROR;
	}
	queue_end_attempt(t, outcome, reason, ev->steps);
	metrics_attempt(d->m, outcome, ev->seconds);
	t->steps = ev->steps;
	free(t->final_url);
	t->final_url = xstrdup(ev->final_url != NULL ? ev->final_url : "");
	again = retry && (int)t->natt < d->conf->max_attempts;
	if (again) {
		t->state = CTL_QUEUED;
		log_warnx("task %lld: attempt %zu %s: %s; queued again", t->id,
		    t->natt, outcome, reason);
	} else {
		if (retry) {
			char *r2 = xasprintf("%s (after %zu attempts)",
			    reason, t->natt);

			free(reason);
			reason = r2;
		}
		finish_task(d, t, st, outcome, reason);
		log_info("task %lld: %s after %d steps: %s", t->id,
		    ctl_state_name(st), ev->steps, reason);
	}
	t->interrupting = t->overdue = t->cancel = 0;
	free(reason);
	queue_save(d->q, t);
	daemon_task_changed(d, t);
	if (!again)
		queue_prune(d->q, d->conf->keep_finished);
	notify_status(d);
}

static void
on_browser(struct daemon *d, const struct sess_event *ev)
{
	cJSON *o;
	char *txt;

	d->bstate = ev->bstate;
	if (ev->died) {
		d->restarts++;
		metrics_browser_restart(d->m);
		log_warnx("browser died: %s; starting it again", ev->why);
	} else if (ev->launch_failed) {
		metrics_browser_launch(d->m, 0);
		log_warnx("%s", ev->why);
	} else if (ev->bstate == SB_UP) {
		metrics_browser_launch(d->m, 1);
		log_info("browser pid %ld %s", (long)ev->pid, ev->why);
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "type", "browser");
	cJSON_AddStringToObject(o, "state", ev->bstate == SB_UP ? "up" :
	    ev->bstate == SB_STARTING ? "starting" : "down");
	cJSON_AddNumberToObject(o, "pid", ev->pid);
	cJSON_AddStringToObject(o, "reason", ev->why != NULL ? ev->why : "");
	cJSON_AddNumberToObject(o, "restarts", d->restarts);
	txt = cJSON_PrintUnformatted(o);
	ctl_broadcast(d->ctl, txt);
	cJSON_free(txt);
	cJSON_Delete(o);
	notify_status(d);
}

/* Tasks running past their timeout are told to stop. */
static void
watchdog(struct daemon *d)
{
	struct qtask *t;
	long long now = daemon_now_ms();

	for (t = queue_first(d->q); t != NULL; t = t->next)
		if (t->state == CTL_RUNNING && !t->overdue &&
		    (double)now > t->deadline_ms) {
			log_warnx("task %lld: still running %d s after its "
			    "timeout; stopping it", t->id,
			    WATCHDOG_SLACK_MS / 1000);
			t->overdue = 1;
			sess_cancel(d->S, t->slot);
		}
}

/* ---------------------------------------------------------------------- */
/* Who may use the API.                                                   */

/* The tokens and clients of a configuration, read for ctl. */
struct auth {
	char		*token;		/* admin token, or NULL */
	struct ctl_client *cl;
	size_t		 ncl;
};

static void
auth_free(struct auth *a)
{
	size_t i;

	if (a->token != NULL)
		explicit_bzero(a->token, strlen(a->token));
	free(a->token);
	for (i = 0; i < a->ncl; i++)
		if (a->cl[i].token != NULL) {
			explicit_bzero((char *)(uintptr_t)a->cl[i].token,
			    strlen(a->cl[i].token));
			free((char *)(uintptr_t)a->cl[i].token);
		}
	free(a->cl);
	memset(a, 0, sizeof(*a));
}

/*
 * Reads the admin token and each client's token, and looks up each
 * client's unix_user.  0, or an error with *causep.
 */
static int
auth_load(const struct conf *c, struct auth *a, char **causep)
{
	struct passwd *pw;
	char *tok;
	size_t i;
	int r;

	memset(a, 0, sizeof(*a));
	if (c->token_file != NULL &&
	    (r = conf_read_token(c->token_file, &a->token, causep)) != 0)
		return r;
	if (c->nclients == 0)
		return 0;
	a->cl = xcalloc(c->nclients, sizeof(*a->cl));
	for (i = 0; i < c->nclients; i++) {
		const struct conf_client *cc = &c->clients[i];
		struct ctl_client *cl = &a->cl[a->ncl++];

		cl->name = cc->name;
		cl->uid = (uid_t)-1;
		cl->role = cc->role == CONF_ROLE_ADMIN ? CTL_ROLE_ADMIN :
		    cc->role == CONF_ROLE_METRICS ? CTL_ROLE_METRICS :
		    CTL_ROLE_TASKS;
		if (cc->token_file != NULL) {
			if ((r = conf_read_token(cc->token_file, &tok,
			    causep)) != 0) {
				auth_free(a);
				return r;
			}
			cl->token = tok;
		}
		if (cc->unix_user != NULL) {
			if ((pw = getpwnam(cc->unix_user)) == NULL) {
				*causep = xasprintf("client %s: unix_user: no "
				    "such user \"%s\"", cc->name,
				    cc->unix_user);
				auth_free(a);
				return ERR_INVALID;
			}
			cl->uid = pw->pw_uid;
		}
	}
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Stop and reload.                                                       */

static void
begin_drain(struct daemon *d)
{
	char g[32];

	d->draining = 1;
	d->drain_end = daemon_now_ms() + d->conf->stop_grace_ms;
	notify("STOPPING=1");
	log_info("stopping: no new tasks; %d running get %s to finish",
	    sess_busy(d->S), conf_fmt_duration(d->conf->stop_grace_ms, g,
	    sizeof(g)));
}

static void
drain(struct daemon *d)
{
	struct qtask *t;
	long long now = daemon_now_ms();
	int busy = sess_busy(d->S);

	if (busy == 0) {
		d->done = 1;
		return;
	}
	if (!d->forced && (now >= d->drain_end || sig_quit >= 2)) {
		log_warnx("stop: interrupting %d running task(s)", busy);
		for (t = queue_first(d->q); t != NULL; t = t->next)
			if (t->state == CTL_RUNNING) {
				t->interrupting = 1;
				sess_cancel(d->S, t->slot);
			}
		d->forced = 1;
		d->force_end = now + FORCE_WAIT_MS;
	} else if (d->forced && now >= d->force_end) {
		log_warnx("stop: %d session(s) did not end; leaving them",
		    busy);
		for (t = queue_first(d->q); t != NULL; t = t->next)
			if (t->state == CTL_RUNNING) {
				interrupt_task(d, t, "webnavd was stopping "
				    "and the task did not end");
				daemon_task_changed(d, t);
			}
		d->done = 1;
	}
}

/* Keeps a setting that only a restart can change. */
static void
keep_str(const char *name, char **newp, char *const *oldp)
{
	const char *a = *newp, *b = *oldp;

	if ((a == NULL) != (b == NULL) || (a != NULL && strcmp(a, b) != 0)) {
		log_warnx("reload: %s changed; restart webnavd to apply it",
		    name);
		free(*newp);
		*newp = b != NULL ? xstrdup(b) : NULL;
	}
}

static void
keep_int(const char *name, int *newp, const int *oldp)
{
	if (*newp != *oldp) {
		log_warnx("reload: %s changed; restart webnavd to apply it",
		    name);
		*newp = *oldp;
	}
}

static void
reload(struct daemon *d)
{
	struct conf *nc = NULL, *oc = d->conf;
	struct auth au;
	char *cause = NULL;
	size_t i;
	int same;

	memset(&au, 0, sizeof(au));
	notify("RELOADING=1");
	if (conf_load(d->conf_path, &nc, &cause) != 0 ||
	    conf_check(nc, &cause) != 0) {
		log_warnx("reload: %s; keeping the running configuration",
		    cause);
		goto out;
	}
	if (auth_load(nc, &au, &cause) != 0) {
		log_warnx("reload: %s; keeping the running configuration",
		    cause);
		goto out;
	}
	keep_str("socket", &nc->socket, &oc->socket);
	keep_int("socket_mode", &nc->socket_mode, &oc->socket_mode);
	keep_str("socket_group", &nc->socket_group, &oc->socket_group);
	keep_str("listen", &nc->listen, &oc->listen);
	keep_str("listen", &nc->listen_host, &oc->listen_host);
	keep_int("listen", &nc->listen_port, &oc->listen_port);
	keep_str("state_dir", &nc->state_dir, &oc->state_dir);
	keep_str("user", &nc->user, &oc->user);
	keep_int("browser", (int *)&nc->browser, (const int *)&oc->browser);
	keep_str("chromium", &nc->chromium, &oc->chromium);
	keep_int("chromium_sandbox", &nc->chromium_sandbox,
	    &oc->chromium_sandbox);
	keep_int("browser_start_timeout", &nc->browser_start_timeout_ms,
	    &oc->browser_start_timeout_ms);
	keep_int("request_timeout", &nc->request_timeout_ms,
	    &oc->request_timeout_ms);
	same = nc->nchromium_args == oc->nchromium_args;
	for (i = 0; same && i < nc->nchromium_args; i++)
		same = strcmp(nc->chromium_args[i], oc->chromium_args[i]) == 0;
	if (!same)
		log_warnx("reload: chromium_arg changed; restart webnavd to "
		    "apply it");
	/* New tokens and clients apply to the next request. */
	ctl_set_auth(d->ctl, au.token, au.cl, au.ncl);
	ctl_set_limits(d->ctl, nc->request_max, nc->max_connections);
	if (!(d->flags & DAEMON_DEBUG))
		log_setlevel(nc->log_level);
	d->conf = nc;
	nc = NULL;
	conf_free(oc);
	log_info("reloaded %s: %d sessions, policy %s, %zu clients",
	    d->conf_path, d->conf->sessions, d->conf->policy,
	    d->conf->nclients);
out:
	free(cause);
	auth_free(&au);
	conf_free(nc);
	notify("READY=1");
	notify_status(d);
}

/* Everything the loop does between service rounds. */
static void
step(struct daemon *d)
{
	struct sess_event *evs, *ev;

	if (sig_reload) {
		sig_reload = 0;
		if (!d->draining)
			reload(d);
	}
	if (sig_quit && !d->draining)
		begin_drain(d);
	/* Live images cost a PNG round trip per step: only for watchers. */
	sess_set_live(d->S, ctl_clients(d->ctl) > 0);
	evs = sess_events(d->S);
	for (ev = evs; ev != NULL; ev = ev->next)
		switch (ev->type) {
		case SEV_STEP:
			on_step(d, ev);
			break;
		case SEV_DONE:
			on_done(d, ev);
			break;
		case SEV_BROWSER:
			on_browser(d, ev);
			break;
		}
	sess_events_free(evs);
	watchdog(d);
	if (d->draining)
		drain(d);
	else
		dispatch(d);
}

/* The one-second timer: keeps the loop turning for deadlines. */
static void
on_tick(lws_sorted_usec_list_t *sul)
{
	struct daemon *d = lws_container_of(sul, struct daemon, tick);

	lws_sul_schedule(d->ctx, 0, &d->tick, on_tick, LWS_US_PER_SEC);
}

static void
wake(void *arg)
{
	lws_cancel_service(arg);
}

/* ---------------------------------------------------------------------- */

int
daemon_main(struct conf *c, const char *conf_path, int flags)
{
	struct daemon D;
	struct ctl_params cp;
	struct sess_params sp;
	struct sigaction sa;
	struct group *gr;
	struct passwd *pw;
	struct user u;
	struct auth au;
	char *cause = NULL, *tmp, *live = NULL;
	int n = 0, rc = 1, root;

	memset(&D, 0, sizeof(D));
	memset(&au, 0, sizeof(au));
	memset(&u, 0, sizeof(u));
	D.conf = c;
	D.conf_path = xstrdup(conf_path);
	D.flags = flags;
	D.start_time = queue_now();
	D.bstate = c->browser == CONF_BROWSER_SHARED ? SB_DOWN : SB_UP;
	if (!(flags & DAEMON_DEBUG))
		log_setlevel(c->log_level);
	notify_init();
	openblas_set_num_threads(1);
	/* Session threads log; no line may show a task's secret. */
	log_set_redact(sess_redact, NULL);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	/*
	 * Tokens are read before root is dropped; a reload (SIGHUP) reads
	 * them again as the user.
	 */
	if (auth_load(c, &au, &cause) != 0)
		goto fail;

	memset(&cp, 0, sizeof(cp));
	cp.socket = c->socket;
	cp.socket_mode = c->socket_mode;
	cp.socket_uid = (uid_t)-1;
	cp.socket_gid = (gid_t)-1;
	if (c->socket_group != NULL) {
		if ((gr = getgrnam(c->socket_group)) == NULL) {
			cause = xasprintf("socket_group %s: no such group",
			    c->socket_group);
			goto fail;
		}
		cp.socket_gid = gr->gr_gid;
	}
	cp.listen_host = c->listen_host;
	cp.listen_port = c->listen_port;
	cp.token = au.token;
	cp.clients = au.cl;
	cp.nclients = au.ncl;
	cp.body_max = c->request_max;
	cp.max_conns = c->max_connections;
	cp.request_timeout_ms = c->request_timeout_ms;
	cp.handler = api_handle;
	cp.hello = api_hello;
	cp.arg = &D;
	/*
	 * As root: prepare the directories, bind the socket (so that it
	 * gets its owner and group), then drop root before anything else.
	 */
	if ((root = geteuid() == 0)) {
		if (priv_prepare(c, &u, &cause) != 0)
			goto fail;
		cp.socket_uid = u.uid;
		if (cp.socket_gid == (gid_t)-1)
			cp.socket_gid = u.gid;
	} else if (c->user != NULL && (pw = getpwnam(c->user)) != NULL &&
	    pw->pw_uid != geteuid())
		log_warnx("not started as root: running as uid %ld, not as "
		    "user %s", (long)geteuid(), c->user);
	if (ctl_new(&cp, &D.ctl, &cause) != 0)
		goto fail;
	if (root && priv_drop(c, &u, &cause) != 0)
		goto fail;
	D.ctx = ctl_context(D.ctl);
	sig_ctx = D.ctx;

	if (queue_open(c->state_dir, &D.q, &cause) != 0)
		goto fail;
	recover(&D);
	/* Browser profiles live in the state directory, cleaned at start. */
	tmp = xasprintf("%s/tmp", c->state_dir);
	setenv("TMPDIR", tmp, 1);
	free(tmp);
	D.m = metrics_new();

	memset(&sp, 0, sizeof(sp));
	sp.slots = CONF_MAX_SESSIONS;
	sp.mode = c->browser;
	sp.chromium = c->chromium;
	sp.sandbox = c->chromium_sandbox;
	sp.args = c->chromium_args;
	sp.nargs = c->nchromium_args;
	sp.start_timeout_ms = c->browser_start_timeout_ms;
	live = xasprintf("%s/live", c->state_dir);
	sp.live_dir = live;
	sp.wake = wake;
	sp.wake_arg = D.ctx;
	if (sess_init(&sp, &D.S, &cause) != 0)
		goto fail;

	lws_sul_schedule(D.ctx, 0, &D.tick, on_tick, LWS_US_PER_SEC);
	if (c->listen_host != NULL)
		log_info("listening on %s and %s port %d", c->socket,
		    c->listen_host, ctl_tcp_port(D.ctl));
	else
		log_info("listening on %s", c->socket);
	log_info("webnavd %s ready: %d sessions, browser %s, state %s",
	    PACKAGE_VERSION, c->sessions, c->browser == CONF_BROWSER_SHARED ?
	    "shared" : "per-session", c->state_dir);
	notify("READY=1\nMAINPID=%ld", (long)getpid());
	notify_status(&D);

	n = 0;
	while (!D.done && n >= 0) {
		step(&D);
		if (D.done)
			break;
		n = lws_service(D.ctx, 0);
	}
	log_info("stopped");
	rc = 0;
	goto out;
fail:
	log_warnx("%s", cause != NULL ? cause : "startup failed");
	notify("STATUS=%s", cause != NULL ? cause : "startup failed");
out:
	if (D.ctx != NULL)
		lws_sul_cancel(&D.tick);
	sess_shutdown(D.S, SHUTDOWN_JOIN_MS);
	sig_ctx = NULL;
	ctl_free(D.ctl);
	queue_close(D.q);
	metrics_free(D.m);
	conf_free(D.conf);
	free(D.conf_path);
	free(cause);
	auth_free(&au);
	free(live);
	free(notify_path);
	notify_path = NULL;
	free(u.name);
	free(u.home);
	log_set_redact(NULL, NULL);
	return rc;
}
