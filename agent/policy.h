/*
 * policy.h: the interface every policy implements.
 *
 * A policy gets the instruction (the goal, or the current step's
 * instruction), the history of actions and the observation, and returns
 * one action with its score and the best alternatives.  Policies:
 * "ranker" (the built-in model, model/ranker.c), "lexical"
 * (policy-lexical.c), "replay" (policy-replay.c); the remote model comes
 * through the same table.
 */
#ifndef WEBNAV_POLICY_H
#define WEBNAV_POLICY_H

#include <stddef.h>

#include "action.h"

struct obs;
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
};

struct policy;

void	policy_default_params(struct policy_params *p);
/* Creates policy `name`; ERR_NOTFOUND with a cause for unknown names. */
int	policy_new(const char *name, const struct policy_params *p,
	    struct policy **polp, char **causep);
const char *policy_name(const struct policy *pol);
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

#endif /* WEBNAV_POLICY_H */
