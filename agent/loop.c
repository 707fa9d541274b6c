/*
 * loop.c: the step loop (agent_run).
 *
 * Straight-line code over blocking browser calls, each with a deadline:
 * observe, decide, act, settle, check, record; until an outcome.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "action.h"
#include "agent.h"
#include "cdp.h"
#include "err.h"
#include "log.h"
#include "observe.h"
#include "policy.h"
#include "task.h"
#include "traj.h"
#include "xmalloc.h"

/* The same action on an unchanged page this many times is a loop. */
#define LOOP_REPEATS		3
/* This many failed actions in a row end the task. */
#define MAX_ACT_ERRORS		3

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void
agent_default_params(struct agent_params *p)
{
	memset(p, 0, sizeof(*p));
}

const char *
agent_outcome_name(enum agent_outcome o)
{
	switch (o) {
	case AGENT_SUCCESS:
		return "success";
	case AGENT_FAILED:
		return "failed";
	case AGENT_MAX_STEPS:
		return "max_steps";
	case AGENT_TIMEOUT:
		return "timeout";
	case AGENT_LOOP:
		return "loop";
	case AGENT_DENIED:
		return "denied";
	case AGENT_ERROR:
		return "error";
	case AGENT_CANCELLED:
		return "cancelled";
	}
	return "unknown";
}

void
agent_result_clear(struct agent_result *res)
{
	free(res->reason);
	free(res->final_url);
	memset(res, 0, sizeof(*res));
}

/* State of one run, so the step code stays readable. */
struct run {
	struct cdp_page		*page;
	const struct task	*task;
	struct policy		*pol;
	struct traj		*tr;
	const struct agent_params *p;
	struct agent_result	*res;
	double			 start, deadline;
	char			*goal;		/* goal mode text */
	size_t			 instr;		/* current instruction */
	struct policy_hist	*hist;
	size_t			 nhist;
	int			 repeats;	/* identical actions on an
						   unchanged page */
	int			 blocked;	/* requests refused so far */
	int			 act_errors;
	int			 stuck;		/* a document never finished
						   loading */
	struct obs_params	 op;		/* how each step observes */
};

static int
finish(struct run *R, enum agent_outcome o, char *reason)
{
	R->res->outcome = o;
	free(R->res->reason);
	R->res->reason = reason;
	return 1;
}

/* Milliseconds left before the task's deadline (at least 1). */
static int
remaining(const struct run *R)
{
	double left = R->deadline - now_ms();

	return left < 1 ? 1 : (int)fmin(left, 1e9);
}

static int
bounded(const struct run *R, int ms)
{
	int left = remaining(R);

	return ms < left ? ms : left;
}

/* Number of instructions the run goes through. */
static size_t
ninstr(const struct run *R)
{
	switch (R->task->mode) {
	case TASK_STEPS:
		return R->task->nsteps;
	case TASK_ACTIONS:
		return R->task->nactions;
	default:
		return 1;
	}
}

static const char *
instr_text(const struct run *R)
{
	if (R->task->mode == TASK_STEPS && R->instr < R->task->nsteps)
		return R->task->steps[R->instr];
	return R->goal != NULL ? R->goal : "";
}

/*
 * Evaluates the task's checks.  Returns 1 with the outcome set when a fail
 * check holds, or when all success checks hold (require_success: or when
 * they do not, at the end of the task); 0 to go on.
 */
static int
run_checks(struct run *R, int at_end)
{
	const struct task *t = R->task;
	char *cause = NULL, *s;
	size_t i;
	int holds, r;

	for (i = 0; i < t->nfail; i++) {
		if ((r = task_check_eval(R->page, &t->fail[i], &holds,
		    &cause)) != 0) {
			log_debug("fail check %zu: %s", i, cause);
			free(cause);
			cause = NULL;
			continue;
		}
		if (holds) {
			s = task_check_str(&t->fail[i]);
			finish(R, AGENT_FAILED, xasprintf("fail check holds: "
			    "%s", s));
			free(s);
			return 1;
		}
	}
	if (t->nsuccess == 0)
		return at_end ? finish(R, AGENT_SUCCESS, xstrdup(
		    t->mode == TASK_ACTIONS ? "all actions done" :
		    "the policy declared the task done (no success checks)")) :
		    0;
	for (i = 0; i < t->nsuccess; i++) {
		if ((r = task_check_eval(R->page, &t->success[i], &holds,
		    &cause)) != 0) {
			if (at_end) {
				s = task_check_str(&t->success[i]);
				finish(R, AGENT_FAILED, xasprintf("success "
				    "check %s could not be evaluated: %s", s,
				    cause != NULL ? cause : err_str(r)));
				free(s);
				free(cause);
				return 1;
			}
			free(cause);
			cause = NULL;
			return 0;
		}
		if (!holds) {
			if (!at_end)
				return 0;
			s = task_check_str(&t->success[i]);
			finish(R, AGENT_FAILED, xasprintf("%s, but success "
			    "check %s does not hold",
			    t->mode == TASK_ACTIONS ? "all actions done" :
			    "the policy declared the task done", s));
			free(s);
			return 1;
		}
	}
	return finish(R, AGENT_SUCCESS, xstrdup("all success checks hold"));
}

/* Ends the task if the page is somewhere the task may not go. */
static int
check_url(struct run *R)
{
	char *url = NULL, *cause = NULL;
	int r;

	if (cdp_page_url(R->page, &url) != 0)
		return 0;
	r = task_url_allowed(R->task, url, &cause);
	if (r != 0) {
		finish(R, AGENT_DENIED, xasprintf("left the allowed domains: "
		    "%s", cause != NULL ? cause : url));
		/* Leave nothing of the foreign page running. */
		cdp_page_navigate(R->page, "about:blank", 5000);
	}
	free(url);
	free(cause);
	return r != 0;
}

/* The page's URL filter: every document request must be allowed. */
static int
url_filter(void *arg, const char *url)
{
	const struct run *R = arg;

	return task_url_allowed(R->task, url, NULL) != 0;
}

/* Ends the task if the page tried to go where the task may not go. */
static int
check_blocked(struct run *R, int *blockedp)
{
	const char *last = NULL;
	int n = cdp_page_blocked(R->page, &last);

	if (n == *blockedp)
		return 0;
	*blockedp = n;
	return finish(R, AGENT_DENIED, xasprintf("refused to load %s: not in "
	    "the task's allowed domains", last != NULL ? last : "a page"));
}

/* Browser-level failure: the connection or the browser is gone. */
static int
fatal_err(int r)
{
	return r == ERR_CLOSED || r == ERR_PROTOCOL || r == ERR_BROWSER;
}

static void
hist_push(struct run *R, const struct action *a, const struct obs *o)
{
	struct policy_hist *h;

	R->hist = xreallocarray(R->hist, R->nhist + 1, sizeof(*R->hist));
	h = &R->hist[R->nhist++];
	memset(h, 0, sizeof(*h));
	action_copy(&h->act, a);
	h->desc = obs_mark_desc_dup(obs_mark(o, a->mark));
	h->url = xstrdup(o->url != NULL ? o->url : "");
	h->instr = (int)R->instr;
}

/* Chooses the next action: scripted, or the policy's. */
static int
decide(struct run *R, const struct obs *o, const struct obs *prev, int step,
    struct policy_decision *d, char **causep)
{
	struct policy_ctx ctx;
	int mark, r;

	memset(d, 0, sizeof(*d));
	if (R->task->mode == TASK_ACTIONS) {
		const struct action *a = &R->task->actions[R->instr];

		action_copy(&d->act, a);
		if (a->mark == 0 && (a->tgt.text != NULL ||
		    a->tgt.role != NULL || a->tgt.label != NULL ||
		    a->tgt.selector != NULL)) {
			if ((r = action_resolve(R->page, o, a, &mark,
			    causep)) != 0)
				return r;
			d->act.mark = mark;
		}
		d->score = 1;
		action_copy(&d->top[0].act, &d->act);
		d->top[0].score = 1;
		d->ntop = 1;
		return 0;
	}
	memset(&ctx, 0, sizeof(ctx));
	ctx.task = R->task;
	ctx.instr = instr_text(R);
	ctx.instr_index = (int)R->instr;
	ctx.obs = o;
	ctx.prev = prev;
	ctx.hist = R->hist;
	ctx.nhist = R->nhist;
	ctx.step = step;
	return policy_decide(R->pol, &ctx, d, causep);
}

/* Navigates to the start page and prepares the goal. */
static int
start(struct run *R)
{
	const struct task *t = R->task;
	char *cause = NULL;
	cJSON *v = NULL;
	int r;

	if ((r = task_url_allowed(t, t->start_url, &cause)) != 0)
		return finish(R, AGENT_DENIED, xasprintf("start_url: %s",
		    cause));
	r = cdp_page_navigate(R->page, t->start_url,
	    bounded(R, t->step_timeout_ms));
	if (check_blocked(R, &R->blocked))
		return 1;
	if (r == ERR_TIMEOUT)
		return finish(R, AGENT_TIMEOUT, xasprintf("%s did not load: "
		    "%s", t->start_url, cdp_conn_error(cdp_page_conn(
		    R->page))));
	if (r != 0)
		return finish(R, AGENT_ERROR, xasprintf("cannot load %s: %s",
		    t->start_url, cdp_conn_error(cdp_page_conn(R->page))));
	if (check_url(R))
		return 1;
	if (t->setup_js != NULL && (r = cdp_page_eval(R->page, t->setup_js,
	    bounded(R, t->step_timeout_ms), NULL)) != 0)
		return finish(R, AGENT_ERROR, xasprintf("setup_js: %s",
		    cdp_conn_error(cdp_page_conn(R->page))));
	if (t->goal_js != NULL) {
		if ((r = cdp_page_eval(R->page, t->goal_js,
		    bounded(R, t->step_timeout_ms), &v)) != 0 ||
		    !cJSON_IsString(v)) {
			cJSON_Delete(v);
			return finish(R, AGENT_ERROR, xasprintf("goal_js did "
			    "not give a string: %s", r != 0 ?
			    cdp_conn_error(cdp_page_conn(R->page)) :
			    "wrong type"));
		}
		R->goal = xstrdup(v->valuestring);
		cJSON_Delete(v);
	} else if (t->goal != NULL)
		R->goal = xstrdup(t->goal);
	return 0;
}

/* One step; returns 1 when the run has an outcome. */
static int
step(struct run *R, int n, struct obs **prevp)
{
	const struct task *t = R->task;
	struct agent_timing tm;
	struct policy_decision d;
	struct traj_step ts;
	struct agent_progress pr;
	struct obs *o = NULL;
	char *cause = NULL, *text = NULL, *red = NULL;
	double t0, t1;
	size_t changed;
	int r, done = 0, quiet, unchanged, pushed = 0;

	memset(&tm, 0, sizeof(tm));
	memset(&d, 0, sizeof(d));
	t0 = now_ms();
	if ((r = obs_capture(R->page, &R->op, &o, &cause)) != 0) {
		done = finish(R, AGENT_ERROR, xasprintf("step %d: observing "
		    "the page: %s", n, cause != NULL ? cause : err_str(r)));
		goto out;
	}
	changed = obs_trace(*prevp, o);
	unchanged = *prevp != NULL && changed == 0 &&
	    strcmp((*prevp)->url, o->url) == 0;
	t1 = now_ms();
	tm.observe = t1 - t0;

	r = decide(R, o, *prevp, n - 1, &d, &cause);
	tm.decide = now_ms() - t1;
	if (r != 0) {
		done = finish(R, t->mode == TASK_ACTIONS ? AGENT_FAILED :
		    AGENT_ERROR, xasprintf("step %d: %s%s", n,
		    t->mode == TASK_ACTIONS ? "" : "policy: ",
		    cause != NULL ? cause : err_str(r)));
		goto record;
	}
	text = action_format(&d.act);
	red = task_redact(t, text);

	/* Loop detection: the same action on an unchanged page. */
	if (unchanged && R->nhist > 0 &&
	    action_equal(&R->hist[R->nhist - 1].act, &d.act) &&
	    d.act.op != ACT_DONE)
		R->repeats++;
	else
		R->repeats = 1;
	if (R->repeats >= LOOP_REPEATS) {
		done = finish(R, AGENT_LOOP, xasprintf("%s repeated %d times "
		    "on an unchanged page", red, R->repeats));
		goto record;
	}

	if (d.act.op == ACT_DONE) {
		hist_push(R, &d.act, o);
		pushed = 1;
		R->instr++;
		if (R->instr >= ninstr(R)) {
			t1 = now_ms();
			done = run_checks(R, 1);
			tm.check = now_ms() - t1;
		}
		goto record;
	}

	t1 = now_ms();
	r = action_exec(R->page, o, &d.act, &cause);
	tm.act = now_ms() - t1;
	if (r != 0) {
		if (fatal_err(r)) {
			done = finish(R, AGENT_ERROR, xasprintf("step %d: %s: "
			    "%s", n, red, cause != NULL ? cause :
			    err_str(r)));
			goto record;
		}
		if (++R->act_errors >= MAX_ACT_ERRORS ||
		    t->mode == TASK_ACTIONS) {
			done = finish(R, AGENT_FAILED, xasprintf("step %d: %s "
			    "failed: %s", n, red, cause != NULL ? cause :
			    err_str(r)));
			goto record;
		}
	} else
		R->act_errors = 0;
	hist_push(R, &d.act, o);
	pushed = 1;
	if (t->mode == TASK_ACTIONS)
		R->instr++;

	t1 = now_ms();
	if ((r = cdp_page_settle(R->page, bounded(R, t->step_timeout_ms),
	    &quiet)) != 0) {
		tm.settle = now_ms() - t1;
		done = finish(R, AGENT_ERROR, xasprintf("step %d: browser "
		    "failed while settling: %s", n, cdp_conn_error(
		    cdp_page_conn(R->page))));
		goto record;
	}
	tm.settle = now_ms() - t1;
	/*
	 * Not quiet: the step's time (or the task's) ran out while the page
	 * was still loading.  Chromium holds every call into the page while
	 * a navigation is pending, so checks and the next observation would
	 * only wait out their own deadlines: this is the step's timeout.
	 */
	if (!quiet) {
		R->stuck = 1;
		done = finish(R, AGENT_TIMEOUT, xasprintf("step %d: the page "
		    "was still loading or busy after %.0f ms", n, tm.settle));
		goto record;
	}

	t1 = now_ms();
	if (!(done = check_blocked(R, &R->blocked)) && !(done = check_url(R))) {
		done = run_checks(R, t->mode == TASK_ACTIONS &&
		    R->instr >= ninstr(R));
		/*
		 * A navigation the action started can show up after the
		 * settle (a busy machine is slow to report it); the checks'
		 * calls into the page wait for it, so a refused one is known
		 * now and outweighs what the checks found.
		 */
		if (check_blocked(R, &R->blocked))
			done = 1;
	}
	tm.check = now_ms() - t1;

record:
	tm.total = now_ms() - t0;
	if (R->tr != NULL) {
		memset(&ts, 0, sizeof(ts));
		ts.n = n;
		ts.instr = (int)(R->instr < ninstr(R) ? R->instr :
		    ninstr(R) - 1);
		ts.instr_text = t->mode == TASK_ACTIONS ? "" : instr_text(R);
		ts.obs = o;
		ts.dec = text != NULL ? &d : NULL;
		ts.t = &tm;
		ts.error = cause;
		if ((r = traj_step(R->tr, &ts)) != 0)
			log_warnx("step %d: writing the trajectory: %s", n,
			    err_str(r));
	}
	if (R->p->progress != NULL) {
		memset(&pr, 0, sizeof(pr));
		pr.step = n;
		pr.max_steps = t->max_steps;
		pr.action = red != NULL ? red : "(none)";
		pr.target = pushed ? R->hist[R->nhist - 1].desc : "";
		pr.t = &tm;
		R->p->progress(R->p->progress_arg, &pr);
	}
	R->res->steps = n;
out:
	free(cause);
	free(text);
	free(red);
	policy_decision_clear(&d);
	if (o != NULL) {
		obs_free(*prevp);
		*prevp = o;
	}
	return done;
}

int
agent_run(struct cdp_page *page, const struct task *t, struct policy *pol,
    struct traj *tr, const struct agent_params *p, struct agent_result *res)
{
	struct agent_params defp;
	struct run R;
	struct obs *prev = NULL;
	size_t i;
	int n;

	if (p == NULL) {
		agent_default_params(&defp);
		p = &defp;
	}
	memset(res, 0, sizeof(*res));
	memset(&R, 0, sizeof(R));
	R.page = page;
	R.task = t;
	R.pol = pol;
	R.tr = tr;
	R.p = p;
	R.res = res;
	R.start = now_ms();
	R.deadline = R.start + t->timeout_ms;
	/*
	 * The screenshot is the costliest part of observing (Chromium makes
	 * a new frame for it): take it only for someone who looks at it, the
	 * trajectory (and the daemon's live view, drawn from it) or a policy
	 * that reads pixels.
	 */
	obs_default_params(&R.op);
	R.op.screenshot = tr != NULL || (t->mode != TASK_ACTIONS &&
	    policy_needs_pixels(pol));

	/* Every navigation, redirect, frame and popup passes the allowlist. */
	if (cdp_page_set_url_filter(page, url_filter, &R) != 0) {
		finish(&R, AGENT_ERROR, xasprintf("cannot enforce the allowed "
		    "domains: %s", cdp_conn_error(cdp_page_conn(page))));
		goto out;
	}
	R.blocked = cdp_page_blocked(page, NULL);
	if (start(&R))
		goto out;
	if (t->mode == TASK_ACTIONS && t->nactions == 0) {
		run_checks(&R, 1);
		goto out;
	}
	for (n = 1;; n++) {
		if (p->cancel != NULL && *p->cancel) {
			finish(&R, AGENT_CANCELLED, xstrdup("cancelled"));
			break;
		}
		if (now_ms() >= R.deadline) {
			finish(&R, AGENT_TIMEOUT, xasprintf("task timeout of "
			    "%d ms reached after %d steps", t->timeout_ms,
			    n - 1));
			break;
		}
		if (n > t->max_steps) {
			finish(&R, AGENT_MAX_STEPS, xasprintf("max_steps (%d) "
			    "reached", t->max_steps));
			break;
		}
		if (step(&R, n, &prev))
			break;
	}
out:
	res->seconds = (now_ms() - R.start) / 1e3;
	if (cdp_page_url(page, &res->final_url) != 0)
		res->final_url = xstrdup("");
	if (res->reason == NULL)
		res->reason = xstrdup("");
	else {
		/* Check arguments and page text may carry a secret. */
		char *red = task_redact(t, res->reason);

		free(res->reason);
		res->reason = red;
	}
	/*
	 * Leave the page while the filter still holds: its timers, workers
	 * and event streams would go on unfiltered until the caller closes
	 * it (an EventSource reconnecting with a secret it read, say).  This
	 * also abandons a pending load, which the calls below would wait out.
	 */
	if (cdp_page_navigate(page, "about:blank", 5000) != 0)
		log_debug("leaving the %spage: %s", R.stuck ? "stuck " : "",
		    cdp_conn_error(cdp_page_conn(page)));
	cdp_page_set_url_filter(page, NULL, NULL);
	if (tr != NULL && traj_finish(tr, res) != 0)
		log_warnx("writing the trajectory's result failed");
	obs_free(prev);
	for (i = 0; i < R.nhist; i++) {
		action_clear(&R.hist[i].act);
		free(R.hist[i].desc);
		free(R.hist[i].url);
	}
	free(R.hist);
	free(R.goal);
	return 0;
}
