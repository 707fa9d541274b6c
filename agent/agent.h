/*
 * agent.h: the step loop.
 *
 * agent_run() carries a task to its end on a page: navigate to the start
 * URL, then per step observe, decide (policy), act, settle, check, until a
 * success check holds, a fail check holds, the policy says DONE (in steps
 * mode: DONE moves to the next instruction), max_steps, the task timeout (or
 * a page still loading or busy when the step's step_timeout_ms ran out), or
 * loop detection (the same action on an unchanged page, three times).
 * Every step goes to the trajectory, with its screenshot; without a
 * trajectory, a step takes a screenshot only for a policy that reads
 * pixels (policy_needs_pixels()).
 */
#ifndef WEBNAV_AGENT_H
#define WEBNAV_AGENT_H

#include <stddef.h>

struct cdp_page;
struct policy;
struct task;
struct traj;

enum agent_outcome {
	AGENT_SUCCESS = 0,	/* success checks hold (or DONE without
				   checks) */
	AGENT_FAILED,		/* a fail check held, or DONE with success
				   checks unmet */
	AGENT_MAX_STEPS,
	AGENT_TIMEOUT,
	AGENT_LOOP,
	AGENT_DENIED,		/* tried to leave allowed_domains */
	AGENT_ERROR,		/* browser or infrastructure failure */
	AGENT_CANCELLED
};

/* Milliseconds spent in each phase of one step. */
struct agent_timing {
	double	observe, decide, act, settle, check, total;
};

struct agent_progress {
	int			 step;		/* 1-based */
	int			 max_steps;
	const char		*action;	/* text form, redacted */
	const char		*target;	/* "[role] text" of the mark
						   acted on, or "" */
	const struct agent_timing *t;
};

typedef void agent_progress_fn(void *arg, const struct agent_progress *p);

struct agent_params {
	agent_progress_fn	*progress;	/* may be NULL */
	void			*progress_arg;
	volatile int		*cancel;	/* nonzero cancels; may be NULL */
};

struct agent_result {
	enum agent_outcome	 outcome;
	char			*reason;	/* human text (allocated) */
	int			 steps;
	double			 seconds;
	char			*final_url;
};

void	agent_default_params(struct agent_params *p);
/* Name of an outcome ("success", "max_steps", ...). */
const char *agent_outcome_name(enum agent_outcome o);

/*
 * Runs task t on page with policy pol (ignored in actions mode), writing
 * the trajectory to tr (may be NULL).  Returns 0 when the task ran to any
 * outcome (see res->outcome); a negative code only for failures before the
 * first step with res->reason set.  res is always filled; free it with
 * agent_result_clear().
 */
int	agent_run(struct cdp_page *page, const struct task *t,
	    struct policy *pol, struct traj *tr, const struct agent_params *p,
	    struct agent_result *res);
void	agent_result_clear(struct agent_result *res);

#endif /* WEBNAV_AGENT_H */
