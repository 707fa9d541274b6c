/*
 * policy.h: the interface every policy implements.
 *
 * A policy gets the instruction (the goal, or the current step's
 * instruction), the history of actions and the observation, and returns
 * one action with its score and the best alternatives.  Policies:
 * "ranker" (the built-in model, model/ranker.c), "lexical"
 * (policy-lexical.c), "replay" (policy-replay.c), "remote" (an
 * OpenAI-compatible vision model, policy-remote.c and remote.h).
 */
#ifndef WEBNAV_POLICY_H
#define WEBNAV_POLICY_H

#include <stddef.h>

#include "action.h"

struct obs;
struct remote_params;
struct task;

#define POLICY_TOP	5

/* One earlier step, as a policy sees it. */
struct policy_hist {
	struct action	 act;
	char		*desc;	/* "[button] Search" for the acted mark, or "" */
	char		*url;	/* page URL when it was taken */
	int		 instr;	/* index of the instruction it served */
};

struct policy_ctx {
	const struct task	*task;
	const char		*instr;	/* goal or current step, vars in */
	int			 instr_index;	/* 0 in goal mode */
	const struct obs	*obs;	/* now */
	const struct obs	*prev;	/* previous step's, or NULL */
	const struct policy_hist *hist;
	size_t			 nhist;
	int			 step;	/* 0-based step number */
};

struct policy_alt {
	struct action	act;
	double		score;
};

struct policy_decision {
	struct action	 act;
	double		 score;
	struct policy_alt top[POLICY_TOP];	/* best first, act included */
	size_t		 ntop;
	cJSON		*info;	/* what the policy wants recorded with the
				   step ("policy_info" in steps.jsonl: the
				   remote model's tokens and latency), or
				   NULL; owned, freed by
				   policy_decision_clear() */
};

struct policy_ops {
	const char	*name;
	/* Chooses an action; returns 0 or an ERR_* code with *causep. */
	int		(*decide)(void *self, const struct policy_ctx *ctx,
			    struct policy_decision *d, char **causep);
	void		(*free)(void *self);
};

struct policy_params {
	const char	*replay_dir;	/* replay: the recorded run */
	const char	*fallback;	/* replay: policy when a mark is gone,
					   default "lexical" */
	const char	*model_path;	/* ranker: weights (.wnm); NULL:
					   $WEBNAV_MODEL */
	const struct remote_params *remote;	/* remote: settings (copied);
					   NULL: defaults and environment
					   (remote.h) */
};

struct policy;

void	policy_default_params(struct policy_params *p);
/* Creates policy `name`; ERR_NOTFOUND with a cause for unknown names. */
int	policy_new(const char *name, const struct policy_params *p,
	    struct policy **polp, char **causep);
const char *policy_name(const struct policy *pol);
/*
 * 1 if pol reads the screenshot (obs->png) when it decides; 0 if it
 * decides from the marks alone, so a step may observe without one
 * (obs_params.screenshot 0).  "ranker" passes no image to the model (its
 * crop features are zeros in training and in use), "lexical" and "replay"
 * read marks only (replay: as its fallback), "remote" sends the image.
 * NULL: 0.
 */
int	policy_needs_pixels(const struct policy *pol);
int	policy_decide(struct policy *pol, const struct policy_ctx *ctx,
	    struct policy_decision *d, char **causep);
/* Frees the decision's actions (not d itself). */
void	policy_decision_clear(struct policy_decision *d);
void	policy_free(struct policy *pol);

/* Constructors of the built-in policies (for policy.c's table). */
int	policy_lexical_new(const struct policy_params *p, void **selfp,
	    char **causep);
extern const struct policy_ops policy_lexical_ops;
int	policy_replay_new(const struct policy_params *p, void **selfp,
	    char **causep);
extern const struct policy_ops policy_replay_ops;
/*
 * The built-in model (model/ranker.c).  Its weights: model_path, else
 * $WEBNAV_MODEL, else the bundled model (policy_ranker_default_weights());
 * $WEBNAV_MODEL set but empty means none.
 */
int	policy_ranker_new(const struct policy_params *p, void **selfp,
	    char **causep);
extern const struct policy_ops policy_ranker_ops;
/*
 * The bundled weights: the installed copy, else the source tree's
 * model/weights/default.wnm; NULL if neither is readable or
 * $WEBNAV_MODEL is set but empty.
 */
const char *policy_ranker_default_weights(void);
/*
 * Scores for a shortlist (the remote policy): scores[i] (caller's array
 * of ctx->obs->nmarks) for obs->marks[i], higher is better.  The ranker's
 * self is what policy_ranker_new() made.
 */
int	policy_ranker_scores(void *self, const struct policy_ctx *ctx,
	    double *scores, char **causep);
int	policy_lexical_scores(const struct policy_ctx *ctx, double *scores,
	    char **causep);
/* The remote model (policy-remote.c; settings in remote.h). */
int	policy_remote_new(const struct policy_params *p, void **selfp,
	    char **causep);
extern const struct policy_ops policy_remote_ops;

#endif /* WEBNAV_POLICY_H */
