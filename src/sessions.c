/*
 * sessions.c: session threads and the browser supervisor (sessions.h).
 *
 * Locks: s->mtx guards the event list and the slots' "done" flags;
 * s->bmtx guards the supervisor's state (generation, endpoint, reason).
 * A thread never holds both.  Session threads and the supervisor block
 * SIGTERM, SIGINT and SIGHUP so that those reach the control loop.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "buf.h"
#include "cdp.h"
#include "err.h"
#include "log.h"
#include "observe.h"
#include "policy.h"
#include "remote.h"
#include "sessions.h"
#include "som.h"
#include "task.h"
#include "traj.h"
#include "xmalloc.h"

#define SUP_POLL_MS		200	/* how often the supervisor looks */
#define SUP_BACKOFF_MAX_MS	30000
#define SUP_STABLE_MS		10000	/* up this long: not crash-looping */
#define CRASH_WAIT_MS		3000	/* session waits to learn of a crash */
#define LIVE_LINE_MAX		(64 * 1024 * 1024)	/* a steps.jsonl line */
#define LIVE_PNG_MAX		(64 * 1024 * 1024)
#define LIVE_MARKS_MAX		10000

struct slot {
	struct sessions	*s;
	int		 idx;
	int		 busy;		/* loop: a thread runs or is unjoined */
	pthread_t	 thr;
	volatile int	 cancel;	/* agent_params.cancel */
	pid_t		 bpid;		/* per-session browser, 0: none
					   (under the sessions' mtx) */
	long		 stepsoff;	/* steps.jsonl read up to here */
	struct sess_job	 job;
};

struct sessions {
	struct sess_params p;
	atomic_int	 live;		/* render live Set-of-Mark images
					   (set by the loop, read by sessions) */
	char		*live_dir;
	char		*chromium;
	char		**args;
	size_t		 nargs;

	pthread_mutex_t	 mtx;
	struct sess_event *evhead, *evtail;
	struct slot	 slots[CONF_MAX_SESSIONS];

	/* The supervisor (shared mode). */
	pthread_t	 sup;
	int		 sup_started;
	pthread_mutex_t	 bmtx;
	pthread_cond_t	 bcond;
	int		 bstop;
	int		 bkick;		/* a session saw its connection die */
	enum sess_browser_state bstate;
	int		 gen;		/* launches that came up */
	int		 dead_gen;	/* generations <= this are dead */
	char		*wsurl;
	pid_t		 bpid;
	char		 breason[512];
	char		 dreason[512];	/* why generation dead_gen died */
};

/* Tasks with secret variables now running, for the log hook. */
static pthread_mutex_t redact_mtx = PTHREAD_MUTEX_INITIALIZER;
static const struct task *redact_tasks[CONF_MAX_SESSIONS];

static long long
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* An absolute CLOCK_REALTIME time ms from now, for condition waits. */
static struct timespec
deadline_in(int ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

/* Appends an event and wakes the control loop. */
static void
post(struct sessions *s, struct sess_event *ev)
{
	pthread_mutex_lock(&s->mtx);
	ev->next = NULL;
	if (s->evtail != NULL)
		s->evtail->next = ev;
	else
		s->evhead = ev;
	s->evtail = ev;
	pthread_mutex_unlock(&s->mtx);
	if (s->p.wake != NULL)
		s->p.wake(s->p.wake_arg);
}

/* Creates a thread with the daemon's signals blocked in it. */
static int
spawn(pthread_t *thr, void *(*fn)(void *), void *arg)
{
	sigset_t block, old;
	int e;

	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	e = pthread_create(thr, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return e;
}

static void
launch_params(const struct sessions *s, struct cdp_launch_params *lp,
    int w, int h)
{
	cdp_launch_default_params(lp);
	lp->executable = s->chromium;
	lp->sandbox = s->p.sandbox;
	lp->width = w;
	lp->height = h;
	lp->startup_timeout_ms = s->p.start_timeout_ms;
	lp->extra_args = (const char *const *)s->args;
}

/* ---------------------------------------------------------------------- */
/* The supervisor.                                                        */

static void
post_browser(struct sessions *s, enum sess_browser_state st, int died,
    int launch_failed, pid_t pid, const char *why)
{
	struct sess_event *ev = xcalloc(1, sizeof(*ev));

	ev->type = SEV_BROWSER;
	ev->slot = -1;
	ev->bstate = st;
	ev->died = died;
	ev->launch_failed = launch_failed;
	ev->pid = pid;
	ev->why = xstrdup(why != NULL ? why : "");
	post(s, ev);
}

/* Waits up to ms unless stopped; called and returns with bmtx held. */
static void
sup_sleep(struct sessions *s, int ms)
{
	struct timespec ts = deadline_in(ms);

	while (!s->bstop && !s->bkick)
		if (pthread_cond_timedwait(&s->bcond, &s->bmtx, &ts) ==
		    ETIMEDOUT)
			break;
	s->bkick = 0;
}

/* Launches, watches and relaunches the shared Chromium. */
static void *
sup_main(void *arg)
{
	struct sessions *s = arg;
	struct cdp_launch_params lp;
	struct cdp_browser *b = NULL;
	char *cause = NULL, why[600];
	long long up_at;
	int fails = 0, r, alive, delay;
	pid_t pid;

	launch_params(s, &lp, 1280, 800);
	pthread_mutex_lock(&s->bmtx);
	while (!s->bstop) {
		s->bstate = SB_STARTING;
		pthread_mutex_unlock(&s->bmtx);
		post_browser(s, SB_STARTING, 0, 0, 0, "starting");
		r = cdp_browser_launch(&lp, &b, &cause);
		pthread_mutex_lock(&s->bmtx);
		if (r != 0) {
			snprintf(s->breason, sizeof(s->breason),
			    "chromium did not start: %s", cause != NULL ?
			    cause : err_str(r));
			free(cause);
			cause = NULL;
			s->bstate = SB_DOWN;
			snprintf(why, sizeof(why), "%s", s->breason);
			pthread_mutex_unlock(&s->bmtx);
			post_browser(s, SB_DOWN, 0, 1, 0, why);
			pthread_mutex_lock(&s->bmtx);
			fails++;
			delay = 1000 << (fails > 5 ? 5 : fails - 1);
			sup_sleep(s, delay < SUP_BACKOFF_MAX_MS ? delay :
			    SUP_BACKOFF_MAX_MS);
			continue;
		}
		pid = cdp_browser_pid(b);
		s->gen++;
		free(s->wsurl);
		s->wsurl = xstrdup(cdp_browser_ws_url(b));
		s->bpid = pid;
		s->bstate = SB_UP;
		s->breason[0] = '\0';
		up_at = mono_ms();
		pthread_cond_broadcast(&s->bcond);
		pthread_mutex_unlock(&s->bmtx);
		snprintf(why, sizeof(why), "up at %s", cdp_browser_ws_url(b));
		post_browser(s, SB_UP, 0, 0, pid, why);
		pthread_mutex_lock(&s->bmtx);
		for (;;) {
			sup_sleep(s, SUP_POLL_MS);
			if (s->bstop)
				break;
			pthread_mutex_unlock(&s->bmtx);
			alive = cdp_browser_alive(b);
			pthread_mutex_lock(&s->bmtx);
			if (!alive)
				break;
		}
		s->dead_gen = s->gen;
		s->bstate = SB_DOWN;
		s->bpid = 0;
		if (s->bstop) {
			snprintf(s->breason, sizeof(s->breason), "stopped");
			pthread_cond_broadcast(&s->bcond);
			pthread_mutex_unlock(&s->bmtx);
			cdp_browser_free(b);
			b = NULL;
			pthread_mutex_lock(&s->bmtx);
			break;
		}
		snprintf(s->breason, sizeof(s->breason), "chromium (pid %ld) "
		    "%s", (long)pid, cdp_browser_exit_reason(b));
		/* Kept past the restart, for sessions that ask late. */
		snprintf(s->dreason, sizeof(s->dreason), "%s", s->breason);
		snprintf(why, sizeof(why), "%s", s->breason);
		pthread_cond_broadcast(&s->bcond);
		pthread_mutex_unlock(&s->bmtx);
		post_browser(s, SB_DOWN, 1, 0, pid, why);
		/* Its renderers and zygotes may still be around. */
		cdp_browser_free(b);
		b = NULL;
		pthread_mutex_lock(&s->bmtx);
		if (mono_ms() - up_at < SUP_STABLE_MS)
			fails++;
		else
			fails = 0;
		if (fails > 0) {
			delay = 1000 << (fails > 5 ? 5 : fails - 1);
			sup_sleep(s, delay < SUP_BACKOFF_MAX_MS ? delay :
			    SUP_BACKOFF_MAX_MS);
		}
	}
	pthread_mutex_unlock(&s->bmtx);
	return NULL;
}

/*
 * Waits (bounded) for the shared browser to be up; copies its endpoint.
 * Returns its generation, or 0 with *whyp if it did not come up.
 */
static int
sup_acquire(struct sessions *s, struct slot *sl, char **wsurlp,
    char **whyp)
{
	long long end = mono_ms() + s->p.start_timeout_ms + 5000;
	struct timespec ts;
	int gen = 0;

	*wsurlp = NULL;
	pthread_mutex_lock(&s->bmtx);
	while (s->bstate != SB_UP && !s->bstop && !sl->cancel &&
	    mono_ms() < end) {
		ts = deadline_in(250);
		pthread_cond_timedwait(&s->bcond, &s->bmtx, &ts);
	}
	if (s->bstate == SB_UP) {
		gen = s->gen;
		*wsurlp = xstrdup(s->wsurl);
	} else
		*whyp = xasprintf("browser unavailable: %s", s->breason[0] ?
		    s->breason : "not started");
	pthread_mutex_unlock(&s->bmtx);
	return gen;
}

/*
 * After a failure: did generation gen of the browser die?  Nudges the
 * supervisor and waits a little for it to notice.  *whyp gets the reason.
 */
static int
sup_gen_died(struct sessions *s, int gen, char **whyp)
{
	struct timespec ts = deadline_in(CRASH_WAIT_MS);
	int died;

	pthread_mutex_lock(&s->bmtx);
	s->bkick = 1;
	pthread_cond_broadcast(&s->bcond);
	while (s->dead_gen < gen && !s->bstop)
		if (pthread_cond_timedwait(&s->bcond, &s->bmtx, &ts) ==
		    ETIMEDOUT)
			break;
	died = s->dead_gen >= gen && !s->bstop;
	if (died)
		*whyp = xstrdup(s->dreason);
	pthread_mutex_unlock(&s->bmtx);
	return died;
}

/* ---------------------------------------------------------------------- */
/* Sessions.                                                              */

char *
sess_redact(void *arg, const char *msg)
{
	char *cur = NULL, *next;
	int i;

	(void)arg;
	pthread_mutex_lock(&redact_mtx);
	for (i = 0; i < CONF_MAX_SESSIONS; i++)
		if (redact_tasks[i] != NULL) {
			next = task_redact(redact_tasks[i], cur != NULL ? cur :
			    msg);
			free(cur);
			cur = next;
		}
	pthread_mutex_unlock(&redact_mtx);
	/* The remote model's API keys. */
	if ((next = remote_redact(cur != NULL ? cur : msg)) != NULL) {
		free(cur);
		cur = next;
	}
	return cur;
}

/* Adds (t) or removes (NULL) the secrets of slot idx's task. */
static void
redact_register(int idx, const struct task *t)
{
	size_t i;

	if (t != NULL) {
		for (i = 0; i < t->nvars && !t->vars[i].secret; i++)
			;
		if (i == t->nvars)
			return;
	}
	pthread_mutex_lock(&redact_mtx);
	redact_tasks[idx] = t;
	pthread_mutex_unlock(&redact_mtx);
}

/* Reads a whole file of at most max bytes (malloc'd). */
static int
read_all(const char *path, size_t max, unsigned char **datap, size_t *lenp)
{
	struct buf b;
	char chunk[65536];
	size_t n;
	FILE *f;
	int r = 0;

	*datap = NULL;
	if ((f = fopen(path, "re")) == NULL)
		return ERR_IO;
	buf_init(&b, max);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if ((r = buf_add(&b, chunk, n)) != 0)
			break;
	if (r == 0 && ferror(f))
		r = ERR_IO;
	fclose(f);
	if (r != 0 || b.data == NULL) {
		buf_free(&b);
		return r != 0 ? r : ERR_IO;
	}
	*lenp = b.len;
	*datap = (unsigned char *)buf_steal(&b, NULL);
	return 0;
}

/*
 * The steps.jsonl lines written since the last call; returns the last
 * complete one (parsed), or NULL.
 */
static cJSON *
live_last_line(struct slot *sl)
{
	char *path = xasprintf("%s/steps.jsonl", sl->job.run_dir);
	char *line = NULL, *last = NULL;
	size_t cap = 0;
	ssize_t n;
	cJSON *j = NULL;
	FILE *f;

	if ((f = fopen(path, "re")) == NULL)
		goto out;
	if (fseek(f, sl->stepsoff, SEEK_SET) == -1)
		goto out;
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] != '\n')
			break;		/* still being written */
		sl->stepsoff += n;
		if (n > LIVE_LINE_MAX)
			continue;
		free(last);
		last = xstrndup(line, (size_t)n);
	}
	if (last != NULL)
		j = cJSON_Parse(last);
out:
	if (f != NULL)
		fclose(f);
	free(line);
	free(last);
	free(path);
	return j;
}

/*
 * Draws the Set-of-Mark image of the step just recorded, for the live
 * view (the trajectory draws its own at the end of the run), and puts it
 * at live_dir/ID.png.  Returns 1 when it did.
 */
static int
live_render(struct slot *sl, int step)
{
	const cJSON *v, *marks, *m, *box, *act;
	struct som_mark *sm = NULL;
	unsigned char *png = NULL, *som = NULL;
	size_t pnglen = 0, somlen = 0, n = 0;
	char *path = NULL, *tmp = NULL, *dst = NULL;
	cJSON *j;
	FILE *f;
	int vw = 1280, hl = 0, ok = 0;

	if ((j = live_last_line(sl)) == NULL)
		return 0;
	v = cJSON_GetObjectItemCaseSensitive(j, "step");
	if (!cJSON_IsNumber(v) || (int)v->valuedouble != step)
		goto out;
	v = cJSON_GetObjectItemCaseSensitive(j, "screenshot");
	if (!cJSON_IsString(v) || strchr(v->valuestring, '/') != NULL)
		goto out;
	path = xasprintf("%s/%s", sl->job.run_dir, v->valuestring);
	if (read_all(path, LIVE_PNG_MAX, &png, &pnglen) != 0)
		goto out;
	v = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j,
	    "viewport"), "w");
	if (cJSON_IsNumber(v) && v->valuedouble >= 1 && v->valuedouble < 1e5)
		vw = (int)v->valuedouble;
	act = cJSON_GetObjectItemCaseSensitive(j, "action");
	v = cJSON_GetObjectItemCaseSensitive(act, "mark");
	if (cJSON_IsNumber(v))
		hl = (int)v->valuedouble;
	marks = cJSON_GetObjectItemCaseSensitive(j, "marks");
	sm = xcalloc((size_t)cJSON_GetArraySize(marks) + 1, sizeof(*sm));
	cJSON_ArrayForEach(m, marks) {
		if (n >= LIVE_MARKS_MAX)
			break;
		box = cJSON_GetObjectItemCaseSensitive(m, "box");
		v = cJSON_GetObjectItemCaseSensitive(m, "id");
		if (!cJSON_IsNumber(v) || !cJSON_IsObject(box))
			continue;
		sm[n].id = (int)v->valuedouble;
		sm[n].x = cJSON_GetNumberValue(
		    cJSON_GetObjectItemCaseSensitive(box, "x"));
		sm[n].y = cJSON_GetNumberValue(
		    cJSON_GetObjectItemCaseSensitive(box, "y"));
		sm[n].w = cJSON_GetNumberValue(
		    cJSON_GetObjectItemCaseSensitive(box, "w"));
		sm[n].h = cJSON_GetNumberValue(
		    cJSON_GetObjectItemCaseSensitive(box, "h"));
		if (isnan(sm[n].x) || isnan(sm[n].y) || isnan(sm[n].w) ||
		    isnan(sm[n].h))
			continue;
		n++;
	}
	if (obs_som_draw(png, pnglen, vw, sm, n, hl, &som, &somlen) != 0)
		goto out;
	/* Renamed into place: the API never serves half an image. */
	dst = xasprintf("%s/%lld.png", sl->s->live_dir, sl->job.id);
	tmp = xasprintf("%s/.%lld.png.tmp", sl->s->live_dir, sl->job.id);
	if ((f = fopen(tmp, "we")) == NULL)
		goto out;
	ok = fwrite(som, 1, somlen, f) == somlen;
	if (fclose(f) != 0)
		ok = 0;
	if (ok && rename(tmp, dst) == -1)
		ok = 0;
	if (!ok)
		unlink(tmp);
out:
	cJSON_Delete(j);
	free(sm);
	free(png);
	free(som);
	free(path);
	free(tmp);
	free(dst);
	return ok;
}

static void
on_progress(void *arg, const struct agent_progress *p)
{
	struct slot *sl = arg;
	struct sess_event *ev = xcalloc(1, sizeof(*ev));

	ev->type = SEV_STEP;
	ev->slot = sl->idx;
	ev->id = sl->job.id;
	ev->attempt = sl->job.attempt;
	ev->step = p->step;
	ev->max_steps = p->max_steps;
	ev->action = xstrdup(p->action != NULL ? p->action : "");
	ev->ms[MET_OBSERVE] = p->t->observe;
	ev->ms[MET_DECIDE] = p->t->decide;
	ev->ms[MET_ACT] = p->t->act;
	ev->ms[MET_SETTLE] = p->t->settle;
	ev->ms[MET_CHECK] = p->t->check;
	ev->ms[MET_TOTAL] = p->t->total;
	if (atomic_load_explicit(&sl->s->live, memory_order_relaxed) &&
	    sl->s->live_dir != NULL)
		ev->live = live_render(sl, p->step);
	post(sl->s, ev);
}

/* Whether an error code means the browser side went away. */
static int
browser_gone(int r)
{
	return r == ERR_CLOSED || r == ERR_CONNECT || r == ERR_BROWSER ||
	    r == ERR_PROTOCOL || r == ERR_TIMEOUT;
}

/* Runs one task; everything it needs is in the slot's job. */
static void *
sess_main(void *arg)
{
	struct slot *sl = arg;
	struct sessions *s = sl->s;
	struct sess_event *ev = xcalloc(1, sizeof(*ev));
	struct task *t = NULL;
	struct policy *pol = NULL;
	struct policy_params pp;
	struct remote_params rp;
	struct traj *tr = NULL;
	struct cdp_browser *own = NULL;
	struct cdp_launch_params lp;
	struct cdp_conn_params cp;
	struct cdp_page_params gp;
	struct cdp_conn *conn = NULL;
	struct cdp_page *page = NULL;
	struct agent_params ap;
	struct agent_result res;
	char *cause = NULL, *wsurl = NULL, *name;
	int r, gen = 0, tried_browser = 0, i;

	memset(&res, 0, sizeof(res));
	ev->type = SEV_DONE;
	ev->slot = sl->idx;
	ev->id = sl->job.id;
	ev->attempt = sl->job.attempt;
	name = xasprintf("task %lld", sl->job.id);

	if ((r = task_parse(sl->job.body, sl->job.len, name, &t,
	    &cause)) != 0)
		goto fail;
	redact_register(sl->idx, t);
	if (t->mode != TASK_ACTIONS) {
		policy_default_params(&pp);
		/* Remote: defaults, environment, webnavd.conf, task file. */
		remote_default_params(&rp);
		if ((r = remote_params_env(&rp, &cause)) != 0 ||
		    (sl->job.remote != NULL && (r = remote_set_json(&rp,
		    sl->job.remote, &cause)) != 0) || (t->remote != NULL &&
		    ((r = remote_json_untrusted(t->remote, &cause)) != 0 ||
		    (r = remote_set_json(&rp, t->remote, &cause)) != 0)))
			goto fail;
		pp.remote = &rp;
		if ((r = policy_new(sl->job.policy != NULL ? sl->job.policy :
		    "lexical", &pp, &pol, &cause)) != 0)
			goto fail;
	}
	if ((r = traj_open(sl->job.run_dir, t, pol != NULL ? policy_name(pol) :
	    "script", &tr, &cause)) != 0)
		goto fail;

	tried_browser = 1;
	if (s->p.mode == CONF_BROWSER_PER_SESSION) {
		launch_params(s, &lp, t->vw, t->vh);
		if ((r = cdp_browser_launch(&lp, &own, &cause)) != 0) {
			char *c = xasprintf("chromium did not start: %s",
			    cause != NULL ? cause : err_str(r));

			free(cause);
			cause = c;
			goto fail;
		}
		wsurl = xstrdup(cdp_browser_ws_url(own));
		pthread_mutex_lock(&s->mtx);
		sl->bpid = cdp_browser_pid(own);
		pthread_mutex_unlock(&s->mtx);
	} else if ((gen = sup_acquire(s, sl, &wsurl, &cause)) == 0) {
		r = sl->cancel ? ERR_CANCELLED : ERR_BROWSER;
		goto fail;
	}
	cdp_conn_default_params(&cp);
	if ((r = cdp_conn_open(wsurl, &cp, &conn, &cause)) != 0)
		goto fail;
	cdp_page_default_params(&gp);
	gp.width = t->vw;
	gp.height = t->vh;
	gp.own_context = 1;
	if ((r = cdp_page_open(conn, &gp, &page)) != 0) {
		cause = xasprintf("opening a tab: %s", cdp_conn_error(conn));
		goto fail;
	}
	if ((r = obs_install(page)) != 0) {
		cause = xasprintf("installing the collector: %s",
		    cdp_conn_error(conn));
		goto fail;
	}
	agent_default_params(&ap);
	ap.progress = on_progress;
	ap.progress_arg = sl;
	ap.cancel = &sl->cancel;
	/* agent_run() finishes the trajectory; it is freed below. */
	agent_run(page, t, pol, tr, &ap, &res);
	ev->ran = 1;
	ev->outcome = (int)res.outcome;
	ev->reason = task_redact(t, res.reason);
	ev->steps = res.steps;
	ev->seconds = res.seconds;
	ev->final_url = task_redact(t, res.final_url);
	r = 0;
	goto done;

fail:
	if (r == ERR_CANCELLED || sl->cancel) {
		ev->ran = 1;
		ev->outcome = AGENT_CANCELLED;
		ev->reason = xstrdup("cancelled before the first step");
	} else {
		ev->ran = 0;
		ev->outcome = AGENT_ERROR;
		ev->reason = xstrdup(cause != NULL ? cause : err_str(r));
	}
	ev->final_url = xstrdup("");
	if (tr != NULL) {
		/* Leave evidence: result.json and report.html say why. */
		res.outcome = (enum agent_outcome)ev->outcome;
		res.reason = xstrdup(ev->reason);
		res.final_url = xstrdup("");
		traj_finish(tr, &res);
		agent_result_clear(&res);
	}
done:
	/*
	 * Did the browser die under us?  Only asked after an infrastructure
	 * failure, and decided by the process, not by the error text.
	 */
	if (tried_browser && ((ev->ran && ev->outcome == AGENT_ERROR) ||
	    (!ev->ran && browser_gone(r)))) {
		if (s->p.mode == CONF_BROWSER_PER_SESSION && own != NULL) {
			for (i = 0; i < CRASH_WAIT_MS / 50 &&
			    cdp_browser_alive(own); i++)
				usleep(50000);
			if (!cdp_browser_alive(own)) {
				ev->crashed = 1;
				ev->crash = xasprintf("chromium (pid %ld) %s",
				    (long)cdp_browser_pid(own),
				    cdp_browser_exit_reason(own));
			}
		} else if (gen > 0 && sup_gen_died(s, gen, &ev->crash))
			ev->crashed = 1;
		else if (gen == 0 && s->p.mode == CONF_BROWSER_SHARED &&
		    !ev->ran && r == ERR_BROWSER) {
			ev->crashed = 1;
			ev->crash = xstrdup(ev->reason);
		}
	}
	cdp_page_free(page);
	cdp_conn_free(conn);
	/* Cleared before the browser is reaped: its pid is not reused. */
	pthread_mutex_lock(&s->mtx);
	sl->bpid = 0;
	pthread_mutex_unlock(&s->mtx);
	cdp_browser_free(own);
	traj_free(tr);
	policy_free(pol);
	redact_register(sl->idx, NULL);
	task_free(t);
	agent_result_clear(&res);
	free(wsurl);
	free(cause);
	free(name);
	post(s, ev);
	return NULL;
}

/* ---------------------------------------------------------------------- */
/* The control loop's side.                                               */

int
sess_init(const struct sess_params *p, struct sessions **sp, char **causep)
{
	struct sessions *s;
	size_t i;
	int e;

	*sp = NULL;
	s = xcalloc(1, sizeof(*s));
	s->p = *p;
	if (s->p.slots < 1 || s->p.slots > CONF_MAX_SESSIONS)
		s->p.slots = CONF_MAX_SESSIONS;
	s->chromium = xstrdup(p->chromium);
	s->live_dir = p->live_dir != NULL ? xstrdup(p->live_dir) : NULL;
	s->p.live_dir = s->live_dir;
	s->args = xcalloc(p->nargs + 1, sizeof(*s->args));
	for (i = 0; i < p->nargs; i++)
		s->args[i] = xstrdup(p->args[i]);
	s->nargs = p->nargs;
	s->p.chromium = s->chromium;
	s->p.args = s->args;
	pthread_mutex_init(&s->mtx, NULL);
	pthread_mutex_init(&s->bmtx, NULL);
	pthread_cond_init(&s->bcond, NULL);
	for (i = 0; i < CONF_MAX_SESSIONS; i++) {
		s->slots[i].s = s;
		s->slots[i].idx = (int)i;
	}
	if (p->mode == CONF_BROWSER_SHARED) {
		if ((e = spawn(&s->sup, sup_main, s)) != 0) {
			*causep = xasprintf("cannot start the browser "
			    "supervisor: %s", strerror(e));
			sess_shutdown(s, 0);
			return ERR_INTERNAL;
		}
		s->sup_started = 1;
	}
	*sp = s;
	return 0;
}

int
sess_ready(struct sessions *s)
{
	int up;

	if (s->p.mode != CONF_BROWSER_SHARED)
		return 1;
	pthread_mutex_lock(&s->bmtx);
	up = s->bstate == SB_UP;
	pthread_mutex_unlock(&s->bmtx);
	return up;
}

int
sess_free_slot(const struct sessions *s)
{
	int i;

	for (i = 0; i < s->p.slots; i++)
		if (!s->slots[i].busy)
			return i;
	return -1;
}

int
sess_busy(const struct sessions *s)
{
	int i, n = 0;

	for (i = 0; i < CONF_MAX_SESSIONS; i++)
		n += s->slots[i].busy;
	return n;
}

int
sess_start(struct sessions *s, int slot, struct sess_job *job,
    char **causep)
{
	struct slot *sl;
	int e;

	if (slot < 0 || slot >= CONF_MAX_SESSIONS || s->slots[slot].busy) {
		*causep = xstrdup("no free session");
		return ERR_INTERNAL;
	}
	sl = &s->slots[slot];
	sl->job = *job;
	sl->cancel = 0;
	sl->stepsoff = 0;
	if ((e = spawn(&sl->thr, sess_main, sl)) != 0) {
		memset(&sl->job, 0, sizeof(sl->job));
		*causep = xasprintf("cannot start a session thread: %s",
		    strerror(e));
		return ERR_INTERNAL;
	}
	sl->busy = 1;
	memset(job, 0, sizeof(*job));
	return 0;
}

void
sess_set_live(struct sessions *s, int on)
{
	atomic_store_explicit(&s->live, on, memory_order_relaxed);
}

void
sess_cancel(struct sessions *s, int slot)
{
	if (slot >= 0 && slot < CONF_MAX_SESSIONS && s->slots[slot].busy)
		s->slots[slot].cancel = 1;
}

static void
job_clear(struct sess_job *j)
{
	free(j->body);
	free(j->policy);
	free(j->run_dir);
	cJSON_Delete(j->remote);
	memset(j, 0, sizeof(*j));
}

void
sess_join(struct sessions *s, int slot)
{
	struct slot *sl;

	if (slot < 0 || slot >= CONF_MAX_SESSIONS || !s->slots[slot].busy)
		return;
	sl = &s->slots[slot];
	pthread_join(sl->thr, NULL);
	job_clear(&sl->job);
	sl->busy = 0;
}

struct sess_event *
sess_events(struct sessions *s)
{
	struct sess_event *ev;

	pthread_mutex_lock(&s->mtx);
	ev = s->evhead;
	s->evhead = s->evtail = NULL;
	pthread_mutex_unlock(&s->mtx);
	return ev;
}

void
sess_events_free(struct sess_event *ev)
{
	struct sess_event *next;

	for (; ev != NULL; ev = next) {
		next = ev->next;
		free(ev->action);
		free(ev->reason);
		free(ev->final_url);
		free(ev->crash);
		free(ev->why);
		free(ev);
	}
}

void
sess_browser(struct sessions *s, enum sess_browser_state *statep,
    pid_t *pidp, char *reason, size_t len)
{
	pthread_mutex_lock(&s->bmtx);
	*statep = s->p.mode == CONF_BROWSER_SHARED ? s->bstate : SB_UP;
	*pidp = s->bpid;
	snprintf(reason, len, "%s", s->breason);
	pthread_mutex_unlock(&s->bmtx);
}

void
sess_shutdown(struct sessions *s, int wait_ms)
{
	struct timespec ts;
	int i, e;

	if (s == NULL)
		return;
	for (i = 0; i < CONF_MAX_SESSIONS; i++)
		if (s->slots[i].busy)
			s->slots[i].cancel = 1;
	/* Stopping the browser ends every call the sessions wait in. */
	pthread_mutex_lock(&s->bmtx);
	s->bstop = 1;
	pthread_cond_broadcast(&s->bcond);
	pthread_mutex_unlock(&s->bmtx);
	if (s->sup_started)
		pthread_join(s->sup, NULL);
	/*
	 * Per-session browsers: their sessions end once they are gone.
	 * Under the lock, so that a session cannot reap its browser
	 * between the test and the kill (found by TSan).
	 */
	pthread_mutex_lock(&s->mtx);
	for (i = 0; i < CONF_MAX_SESSIONS; i++)
		if (s->slots[i].busy && s->slots[i].bpid > 0)
			kill(-s->slots[i].bpid, SIGKILL);
	pthread_mutex_unlock(&s->mtx);
	for (i = 0; i < CONF_MAX_SESSIONS; i++) {
		if (!s->slots[i].busy)
			continue;
		ts = deadline_in(wait_ms);
		if ((e = pthread_timedjoin_np(s->slots[i].thr, NULL,
		    &ts)) != 0) {
			log_warnx("session %d (task %lld) did not end: %s; "
			    "leaving it", i, s->slots[i].job.id, strerror(e));
			continue;
		}
		job_clear(&s->slots[i].job);
		s->slots[i].busy = 0;
	}
	sess_events_free(s->evhead);
	s->evhead = s->evtail = NULL;
	free(s->wsurl);
	for (i = 0; i < (int)s->nargs; i++)
		free(s->args[i]);
	free(s->args);
	free(s->chromium);
	free(s->live_dir);
	/* A session left running still uses the locks and slots. */
	for (i = 0; i < CONF_MAX_SESSIONS; i++)
		if (s->slots[i].busy)
			return;
	pthread_mutex_destroy(&s->mtx);
	pthread_mutex_destroy(&s->bmtx);
	pthread_cond_destroy(&s->bcond);
	free(s);
}
