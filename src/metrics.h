/*
 * metrics.h: webnavd's counters and histograms, in the Prometheus text
 * exposition format (GET /metrics).
 *
 * Updated and formatted by the control loop only: no locking.
 */
#ifndef WEBNAV_METRICS_H
#define WEBNAV_METRICS_H

#include "buf.h"
#include "ctl-proto.h"

/* Phases of a step, in the order of struct agent_timing. */
enum metrics_phase {
	MET_OBSERVE, MET_DECIDE, MET_ACT, MET_SETTLE, MET_CHECK, MET_TOTAL,
	MET_NPHASES
};

/* What the loop knows at scrape time. */
struct metrics_gauges {
	int	tasks[CTL_NSTATES];	/* tasks held, by state */
	int	sessions;		/* configured */
	int	busy;			/* running a task */
	int	browser_up;		/* shared browser running (or per-session
					   mode) */
	int	ws_clients;		/* event stream subscribers */
	double	start_time;		/* Unix time the daemon started */
};

struct metrics;

struct metrics *metrics_new(void);
void	metrics_free(struct metrics *m);
/* One step's phase timings, in milliseconds. */
void	metrics_step(struct metrics *m, const double ms[MET_NPHASES]);
/* An attempt ended with outcome (agent outcome name or "crashed"...). */
void	metrics_attempt(struct metrics *m, const char *outcome,
	    double seconds);
void	metrics_submitted(struct metrics *m);
void	metrics_rejected(struct metrics *m);
/* The browser died (crash) and is being started again. */
void	metrics_browser_restart(struct metrics *m);
void	metrics_browser_launch(struct metrics *m, int ok);
/* Appends the whole exposition to b. */
int	metrics_format(const struct metrics *m, const struct metrics_gauges *g,
	    struct buf *b);

#endif /* WEBNAV_METRICS_H */
