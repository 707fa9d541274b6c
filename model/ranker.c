/*
 * ranker.c: "ranker", the built-in model as a policy (agent/policy.h).
 *
 * Loads the weights named by policy_params.model_path (else
 * $WEBNAV_MODEL, else the bundled model) once per policy instance, i.e.
 * per session, and runs OpenBLAS on one thread.  Each decision
 * featurises the instruction, the history of the current instruction and
 * the observation, scores every mark plus DONE / SCROLL up / SCROLL down,
 * and turns the best choices into actions: CLICK, TYPE with a value
 * copied from the instruction, or SELECT with the best option of the
 * select.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cblas.h>

#include "err.h"
#include "xmalloc.h"
#include "action.h"
#include "observe.h"
#include "policy.h"
#include "features.h"
#include "model.h"

struct ranker {
	struct model	*m;
};

/* The action for model choice ch. */
static void
choice_action(const struct model_choice *ch, struct action *a)
{
	memset(a, 0, sizeof(*a));
	if (ch->pseudo == FEAT_PSEUDO_DONE) {
		a->op = ACT_DONE;
		return;
	}
	if (ch->pseudo == FEAT_PSEUDO_UP || ch->pseudo == FEAT_PSEUDO_DOWN) {
		a->op = ACT_SCROLL;
		a->dir = ch->pseudo == FEAT_PSEUDO_UP ? -1 : 1;
		return;
	}
	a->mark = ch->mark_id;
	switch (ch->op) {
	case NN_OP_TYPE:
		a->op = ACT_TYPE;
		a->value = xstrdup(ch->value != NULL ? ch->value : "");
		break;
	case NN_OP_SELECT:
		a->op = ACT_SELECT;
		a->value = xstrdup(ch->value != NULL ? ch->value : "");
		break;
	default:
		a->op = ACT_CLICK;
		break;
	}
}

/*
 * The history the model reads: the steps of the current instruction.
 * The last one was taken on ctx->prev, whose mark ids the trace of marks
 * maps to the current observation.
 */
static struct feat_hist *
history(const struct policy_ctx *ctx, size_t *np)
{
	struct feat_hist *h;
	const struct policy_hist *ph;
	size_t i, n = 0, k;

	*np = 0;
	if (ctx->nhist == 0)
		return NULL;
	h = xcalloc(ctx->nhist, sizeof(*h));
	for (i = 0; i < ctx->nhist; i++) {
		ph = &ctx->hist[i];
		if (ph->instr != ctx->instr_index)
			continue;
		h[n].op = (int)ph->act.op;
		h[n].desc = ph->desc;
		h[n].value = ph->act.value;
		h[n].mark = 0;
		if (i == ctx->nhist - 1 && ph->act.mark > 0 &&
		    ctx->prev != NULL && ctx->obs != NULL)
			for (k = 0; k < ctx->obs->nmarks; k++)
				if (ctx->obs->marks[k].prev == ph->act.mark) {
					h[n].mark = ctx->obs->marks[k].id;
					break;
				}
		n++;
	}
	*np = n;
	return h;
}

static int
ranker_decide(void *self, const struct policy_ctx *ctx,
    struct policy_decision *d, char **causep)
{
	struct ranker *rk = self;
	struct model_pred p;
	struct feat_hist *h;
	size_t nh, i;
	int r;

	memset(d, 0, sizeof(*d));
	if (causep != NULL)
		*causep = NULL;
	if (ctx->obs == NULL) {
		if (causep != NULL)
			*causep = xstrdup("ranker: no observation");
		return ERR_INVALID;
	}
	h = history(ctx, &nh);
	r = model_predict(rk->m, ctx->instr != NULL ? ctx->instr : "", h, nh,
	    ctx->obs, NULL, &p, causep);
	free(h);
	if (r != 0)
		return r;
	for (i = 0; i < (size_t)p.ntop && i < POLICY_TOP; i++) {
		choice_action(&p.top[i], &d->top[i].act);
		d->top[i].score = p.top[i].prob;
	}
	d->ntop = i;
	if (d->ntop > 0) {
		choice_action(&p.top[0], &d->act);
		d->score = d->top[0].score;
	} else {
		/* Nothing allowed at all (cannot happen: DONE always is). */
		d->act.op = ACT_DONE;
		d->score = 0;
	}
	model_pred_clear(&p);
	return 0;
}

static void
ranker_free(void *self)
{
	struct ranker *rk = self;

	if (rk == NULL)
		return;
	model_free(rk->m);
	free(rk);
}

const struct policy_ops policy_ranker_ops = {
	"ranker", ranker_decide, ranker_free
};

const char *
policy_ranker_default_weights(void)
{
	static const char *const paths[] = {
#ifdef WEBNAV_DATADIR
		WEBNAV_DATADIR "/default.wnm",
#endif
		WEBNAV_SRCDIR "/model/weights/default.wnm",
	};
	const char *env = getenv("WEBNAV_MODEL");
	size_t i;

	if (env != NULL && env[0] == '\0')
		return NULL;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (access(paths[i], R_OK) == 0)
			return paths[i];
	return NULL;
}

/* Loads the weights; ERR_NOTFOUND with a cause when there are none. */
int
policy_ranker_new(const struct policy_params *p, void **selfp, char **causep)
{
	struct ranker *rk;
	const char *path;
	struct model *m = NULL;
	int r;

	*selfp = NULL;
	if (causep != NULL)
		*causep = NULL;
	path = p != NULL && p->model_path != NULL ? p->model_path :
	    getenv("WEBNAV_MODEL");
	if (path == NULL || path[0] == '\0')
		path = policy_ranker_default_weights();
	if (path == NULL) {
		if (causep != NULL)
			*causep = xstrdup("ranker: no weights file: set "
			    "model_path or WEBNAV_MODEL, or build the bundled "
			    "model with \"make model\" (webnav train --out "
			    "FILE makes one)");
		return ERR_NOTFOUND;
	}
	if ((r = model_load(path, &m, causep)) != 0)
		return r;
	/* One BLAS thread per session (DESIGN.md, threads). */
	openblas_set_num_threads(1);
	rk = xcalloc(1, sizeof(*rk));
	rk->m = m;
	*selfp = rk;
	return 0;
}
