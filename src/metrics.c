/*
 * metrics.c: Prometheus text format for webnavd (see metrics.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "metrics.h"
#include "remote.h"
#include "xmalloc.h"

/* Bucket bounds in seconds: steps take from milliseconds to a minute. */
static const double step_bounds[] = {
	0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60
};
#define NSTEP_BOUNDS	(sizeof(step_bounds) / sizeof(step_bounds[0]))

static const double task_bounds[] = {
	0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600
};
#define NTASK_BOUNDS	(sizeof(task_bounds) / sizeof(task_bounds[0]))

static const char *const phase_names[MET_NPHASES] = {
	"observe", "decide", "act", "settle", "check", "total"
};

/* Outcomes counted separately; anything else is "other". */
static const char *const outcome_names[] = {
	"success", "failed", "max_steps", "timeout", "loop", "denied",
	"error", "cancelled", "crashed", "interrupted", "other"
};
#define NOUTCOMES	(sizeof(outcome_names) / sizeof(outcome_names[0]))

struct hist {
	unsigned long long	 counts[16];	/* per bound, not cumulative */
	unsigned long long	 n;
	double			 sum;
};

struct metrics {
	struct hist		 phase[MET_NPHASES];
	struct hist		 task;
	unsigned long long	 attempts[NOUTCOMES];
	unsigned long long	 submitted, rejected;
	unsigned long long	 restarts, launches, launch_failures;
};

struct metrics *
metrics_new(void)
{
	return xcalloc(1, sizeof(struct metrics));
}

void
metrics_free(struct metrics *m)
{
	free(m);
}

static void
hist_add(struct hist *h, const double *bounds, size_t nb, double v)
{
	size_t i;

	for (i = 0; i < nb; i++)
		if (v <= bounds[i]) {
			h->counts[i]++;
			break;
		}
	h->n++;
	h->sum += v;
}

void
metrics_step(struct metrics *m, const double ms[MET_NPHASES])
{
	int i;

	for (i = 0; i < MET_NPHASES; i++)
		hist_add(&m->phase[i], step_bounds, NSTEP_BOUNDS,
		    ms[i] / 1000.0);
}

void
metrics_attempt(struct metrics *m, const char *outcome, double seconds)
{
	size_t i;

	for (i = 0; i < NOUTCOMES - 1; i++)
		if (strcmp(outcome, outcome_names[i]) == 0)
			break;
	m->attempts[i]++;
	hist_add(&m->task, task_bounds, NTASK_BOUNDS, seconds);
}

void
metrics_submitted(struct metrics *m)
{
	m->submitted++;
}

void
metrics_rejected(struct metrics *m)
{
	m->rejected++;
}

void
metrics_browser_restart(struct metrics *m)
{
	m->restarts++;
}

void
metrics_browser_launch(struct metrics *m, int ok)
{
	if (ok)
		m->launches++;
	else
		m->launch_failures++;
}

/* Writes a bound the way Prometheus clients do ("0.005", "1", "60"). */
static void
fmt_bound(double v, char *buf, size_t len)
{
	snprintf(buf, len, "%g", v);
}

static void
hist_format(struct buf *b, const char *name, const char *label,
    const struct hist *h, const double *bounds, size_t nb)
{
	unsigned long long cum = 0;
	char lb[32];
	size_t i;

	for (i = 0; i < nb; i++) {
		cum += h->counts[i];
		fmt_bound(bounds[i], lb, sizeof(lb));
		(void)buf_printf(b, "%s_bucket{%s%sle=\"%s\"} %llu\n", name,
		    label, *label ? "," : "", lb, cum);
	}
	(void)buf_printf(b, "%s_bucket{%s%sle=\"+Inf\"} %llu\n", name, label,
	    *label ? "," : "", h->n);
	(void)buf_printf(b, "%s_sum%s%s%s %.6f\n", name, *label ? "{" : "",
	    label, *label ? "}" : "", h->sum);
	(void)buf_printf(b, "%s_count%s%s%s %llu\n", name, *label ? "{" : "",
	    label, *label ? "}" : "", h->n);
}

/* The remote policy's counters (agent/remote.h), from every session. */
static void
remote_format(struct buf *b)
{
	struct remote_stats st;
	struct hist h;
	size_t i;

	remote_get_stats(&st);
	(void)buf_printf(b, "# HELP webnavd_remote_requests_total Requests "
	    "to the remote model's endpoint, by result.\n"
	    "# TYPE webnavd_remote_requests_total counter\n"
	    "webnavd_remote_requests_total{result=\"ok\"} %llu\n"
	    "webnavd_remote_requests_total{result=\"429\"} %llu\n"
	    "webnavd_remote_requests_total{result=\"5xx\"} %llu\n"
	    "webnavd_remote_requests_total{result=\"other\"} %llu\n"
	    "webnavd_remote_requests_total{result=\"failed\"} %llu\n",
	    st.requests_ok, st.requests_429, st.requests_5xx,
	    st.requests_other, st.requests_failed);
	(void)buf_printf(b, "# HELP webnavd_remote_decisions_total Steps the "
	    "remote model decided, by result.\n"
	    "# TYPE webnavd_remote_decisions_total counter\n"
	    "webnavd_remote_decisions_total{result=\"ok\"} %llu\n"
	    "webnavd_remote_decisions_total{result=\"failed\"} %llu\n",
	    st.decisions_ok, st.decisions_failed);
	(void)buf_printf(b, "# HELP webnavd_remote_invalid_answers_total "
	    "Answers of the remote model that were not a usable action.\n"
	    "# TYPE webnavd_remote_invalid_answers_total counter\n"
	    "webnavd_remote_invalid_answers_total %llu\n",
	    st.invalid_answers);
	(void)buf_printf(b, "# HELP webnavd_remote_tokens_total Tokens the "
	    "remote endpoint reported using.\n"
	    "# TYPE webnavd_remote_tokens_total counter\n"
	    "webnavd_remote_tokens_total{kind=\"prompt\"} %llu\n"
	    "webnavd_remote_tokens_total{kind=\"completion\"} %llu\n",
	    st.prompt_tokens, st.completion_tokens);
	(void)buf_puts(b, "# HELP webnavd_remote_decision_seconds Time the "
	    "remote model took per step, retries included.\n"
	    "# TYPE webnavd_remote_decision_seconds histogram\n");
	memset(&h, 0, sizeof(h));
	for (i = 0; i < REMOTE_NBOUNDS; i++)
		h.counts[i] = st.latency_counts[i];
	h.n = st.latency_n;
	h.sum = st.latency_sum;
	hist_format(b, "webnavd_remote_decision_seconds", "", &h,
	    remote_latency_bounds, REMOTE_NBOUNDS);
}

int
metrics_format(const struct metrics *m, const struct metrics_gauges *g,
    struct buf *b)
{
	char label[64];
	size_t i;

	(void)buf_puts(b, "# HELP webnavd_tasks Tasks held by the daemon, by "
	    "state.\n# TYPE webnavd_tasks gauge\n");
	for (i = 0; i < CTL_NSTATES; i++)
		(void)buf_printf(b, "webnavd_tasks{state=\"%s\"} %d\n",
		    ctl_state_name((enum ctl_state)i), g->tasks[i]);
	(void)buf_printf(b, "# HELP webnavd_tasks_submitted_total Tasks "
	    "accepted by POST /v1/tasks.\n"
	    "# TYPE webnavd_tasks_submitted_total counter\n"
	    "webnavd_tasks_submitted_total %llu\n", m->submitted);
	(void)buf_printf(b, "# HELP webnavd_tasks_rejected_total Submissions "
	    "refused (invalid, queue full, draining).\n"
	    "# TYPE webnavd_tasks_rejected_total counter\n"
	    "webnavd_tasks_rejected_total %llu\n", m->rejected);
	(void)buf_puts(b, "# HELP webnavd_attempts_total Task attempts that "
	    "ended, by outcome.\n# TYPE webnavd_attempts_total counter\n");
	for (i = 0; i < NOUTCOMES; i++)
		(void)buf_printf(b, "webnavd_attempts_total{outcome=\"%s\"} "
		    "%llu\n", outcome_names[i], m->attempts[i]);
	(void)buf_puts(b, "# HELP webnavd_attempt_seconds Duration of task "
	    "attempts.\n# TYPE webnavd_attempt_seconds histogram\n");
	hist_format(b, "webnavd_attempt_seconds", "", &m->task, task_bounds,
	    NTASK_BOUNDS);
	(void)buf_puts(b, "# HELP webnavd_step_phase_seconds Time spent in "
	    "each phase of an agent step.\n"
	    "# TYPE webnavd_step_phase_seconds histogram\n");
	for (i = 0; i < MET_NPHASES; i++) {
		snprintf(label, sizeof(label), "phase=\"%s\"", phase_names[i]);
		hist_format(b, "webnavd_step_phase_seconds", label,
		    &m->phase[i], step_bounds, NSTEP_BOUNDS);
	}
	(void)buf_printf(b, "# HELP webnavd_browser_restarts_total Times "
	    "Chromium died under the daemon and was started again.\n"
	    "# TYPE webnavd_browser_restarts_total counter\n"
	    "webnavd_browser_restarts_total %llu\n", m->restarts);
	(void)buf_printf(b, "# HELP webnavd_browser_launches_total Chromium "
	    "launches, by result.\n"
	    "# TYPE webnavd_browser_launches_total counter\n"
	    "webnavd_browser_launches_total{result=\"ok\"} %llu\n"
	    "webnavd_browser_launches_total{result=\"failed\"} %llu\n",
	    m->launches, m->launch_failures);
	(void)buf_printf(b, "# HELP webnavd_browser_up Whether the browser "
	    "is running.\n# TYPE webnavd_browser_up gauge\n"
	    "webnavd_browser_up %d\n", g->browser_up);
	(void)buf_printf(b, "# HELP webnavd_sessions Sessions configured.\n"
	    "# TYPE webnavd_sessions gauge\nwebnavd_sessions %d\n",
	    g->sessions);
	(void)buf_printf(b, "# HELP webnavd_sessions_busy Sessions running a "
	    "task.\n# TYPE webnavd_sessions_busy gauge\n"
	    "webnavd_sessions_busy %d\n", g->busy);
	(void)buf_printf(b, "# HELP webnavd_event_clients Subscribers of the "
	    "event stream.\n# TYPE webnavd_event_clients gauge\n"
	    "webnavd_event_clients %d\n", g->ws_clients);
	remote_format(b);
	return buf_printf(b, "# HELP webnavd_start_time_seconds Start time "
	    "of the daemon since the Unix epoch.\n"
	    "# TYPE webnavd_start_time_seconds gauge\n"
	    "webnavd_start_time_seconds %.3f\n", g->start_time);
}
