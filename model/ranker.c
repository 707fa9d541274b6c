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

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cblas.h>

#include "err.h"
#include "log.h"
#include "xmalloc.h"
#include "action.h"
#include "observe.h"
#include "policy.h"
#include "features.h"
#include "model.h"

struct ranker {
	struct model	*m;
	void		*lex;	/* the lexical policy, second opinion */
};

/*
 * Below this probability the network is unsure: among its best few
 * answers, the one on the mark the lexical policy picks comes first.
 */
#define RANKER_SURE	0.5
/*
 * ... unless the network gives that answer less than this: a click on
 * a field the network wants typed into is no second choice.
 */
#define RANKER_PROMOTE_MIN	0.05

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

/*
 * 1 if the lexical policy's action a is what history entry h did: the
 * same operation and value on an element of the same description (mark
 * ids change from page to page).
 */
static int
lexical_same(const struct policy_hist *h, const struct action *a,
    const struct policy_ctx *ctx)
{
	const struct mark *m = NULL;
	size_t k;

	if (h->act.op != a->op || (h->act.value == NULL) !=
	    (a->value == NULL) || (a->value != NULL &&
	    strcmp(h->act.value, a->value) != 0))
		return 0;
	for (k = 0; ctx->obs != NULL && k < ctx->obs->nmarks; k++)
		if (ctx->obs->marks[k].id == a->mark)
			m = &ctx->obs->marks[k];
	if (m == NULL || h->desc == NULL)
		return 0;
	return obs_mark_desc_is(m, h->desc);
}

/*
 * The second opinion of the lexical policy.  DONE needs both to agree:
 * when the network would stop and the lexical policy still has
 * something new to do (not done for this instruction already), its
 * action goes first (the network's own answer for that mark when it has
 * one).  When the network is unsure, its answer on the mark the lexical
 * policy picks, if among its best, goes first.
 */
static void
second_opinion(struct ranker *rk, const struct policy_ctx *ctx,
    struct policy_decision *d)
{
	struct policy_decision ld;
	struct policy_alt t;
	size_t i;
	int stop;

	memset(&ld, 0, sizeof(ld));
	if (policy_lexical_ops.decide(rk->lex, ctx, &ld, NULL) != 0) {
		policy_decision_clear(&ld);
		return;
	}
	stop = d->top[0].act.op == ACT_DONE;
	if (!(ld.act.op == ACT_CLICK || ld.act.op == ACT_TYPE ||
	    ld.act.op == ACT_SELECT) || ld.act.mark <= 0 ||
	    (!stop && d->top[0].score >= RANKER_SURE))
		goto out;
	/* A stop is held off by new work only, never by a repeat. */
	for (i = 0; stop && i < ctx->nhist; i++)
		if (ctx->hist[i].instr == ctx->instr_index &&
		    lexical_same(&ctx->hist[i], &ld.act, ctx))
			goto out;
	for (i = 0; i < d->ntop; i++)
		if (d->top[i].act.mark == ld.act.mark &&
		    d->top[i].act.op != ACT_DONE &&
		    d->top[i].act.op != ACT_SCROLL)
			break;
	if (i == 0)
		goto out;
	if (i < d->ntop && !stop && d->top[i].score < RANKER_PROMOTE_MIN &&
	    d->top[i].act.op != ld.act.op)
		goto out;
	if (i < d->ntop) {
		t = d->top[i];
		memmove(&d->top[1], &d->top[0], i * sizeof(d->top[0]));
		d->top[0] = t;
	} else if (stop) {
		/* Not among the network's best: the lexical action itself. */
		if (d->ntop == POLICY_TOP)
			action_clear(&d->top[--d->ntop].act);
		memmove(&d->top[1], &d->top[0], d->ntop * sizeof(d->top[0]));
		memset(&d->top[0], 0, sizeof(d->top[0]));
		action_copy(&d->top[0].act, &ld.act);
		d->top[0].score = ld.score;
		d->ntop++;
	}
out:
	policy_decision_clear(&ld);
}

/*
 * 1 if the page looks as it did before the last action: same URL, same
 * marks, none moved or changed (obs_trace() marked them).
 */
static int
page_unchanged(const struct policy_ctx *ctx)
{
	const struct obs *o = ctx->obs, *p = ctx->prev;
	size_t i;

	if (p == NULL || o == NULL || o->nmarks != p->nmarks ||
	    o->url == NULL || p->url == NULL || strcmp(o->url, p->url) != 0)
		return 0;
	for (i = 0; i < o->nmarks; i++)
		if (o->marks[i].change != MARK_SAME)
			return 0;
	return 1;
}

/* Actions of the history looked at for a repeat. */
#define RANKER_REPEAT_BACK	3

/*
 * 1 if a is one of the last RANKER_REPEAT_BACK actions of this
 * instruction taken on this URL.
 */
static int
recently_done(const struct policy_ctx *ctx, const struct action *a)
{
	const struct policy_hist *h;
	size_t i, n = 0;

	for (i = ctx->nhist; i > 0 && n < RANKER_REPEAT_BACK; i--) {
		h = &ctx->hist[i - 1];
		if (h->instr != ctx->instr_index)
			break;
		n++;
		if (h->url != NULL && ctx->obs->url != NULL &&
		    strcmp(h->url, ctx->obs->url) == 0 &&
		    action_equal(&h->act, a))
			return 1;
	}
	return 0;
}

/*
 * The last action changed nothing on the page: an action taken lately
 * for this instruction on it will not either ("Find", "Cart", "Find",
 * ...), so such actions go last among the choices, DONE excepted (the
 * step loop would stop the task as a loop).
 */
static void
no_repeat(const struct policy_ctx *ctx, struct policy_decision *d)
{
	struct policy_alt t;
	size_t k;

	if (ctx->nhist == 0 || d->ntop < 2 || !page_unchanged(ctx))
		return;
	for (k = 0; k < d->ntop; k++) {
		if (d->top[0].act.op == ACT_DONE ||
		    !recently_done(ctx, &d->top[0].act))
			return;
		t = d->top[0];
		memmove(&d->top[0], &d->top[1],
		    (d->ntop - 1) * sizeof(d->top[0]));
		d->top[d->ntop - 1] = t;
	}
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
	/*
	 * Nothing done yet for this instruction: DONE is not an answer (a
	 * task asks for something), the best action after it is.
	 */
	if (nh == 0 && d->ntop > 1 && d->top[0].act.op == ACT_DONE) {
		struct policy_alt t = d->top[0];

		memmove(&d->top[0], &d->top[1], sizeof(d->top[0]));
		d->top[1] = t;
	}
	if (rk->lex != NULL && d->ntop > 0)
		second_opinion(rk, ctx, d);
	no_repeat(ctx, d);
	if (d->ntop > 0) {
		action_copy(&d->act, &d->top[0].act);
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
	if (rk->lex != NULL)
		policy_lexical_ops.free(rk->lex);
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

static pthread_once_t blas_once = PTHREAD_ONCE_INIT;

/*
 * Says once per process when OpenBLAS runs its oldest x86-64 kernels
 * (Prescott, SSE3) on a CPU that has far better ones: OpenBLAS 0.3.21
 * (Debian 12) does not recognise some recent CPUs and falls back to them,
 * which doubles the network's cost.  Only the user can pick the core
 * (the variable is read when the library loads).
 */
static void
blas_hint(void)
{
	const char *core = openblas_get_corename(), *better = NULL;

	if (getenv("OPENBLAS_CORETYPE") != NULL || core == NULL ||
	    strcasecmp(core, "prescott") != 0)
		return;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx512f") &&
	    __builtin_cpu_supports("avx512bw") &&
	    __builtin_cpu_supports("avx512vl"))
		better = "SkylakeX";
	else if (__builtin_cpu_supports("avx2") &&
	    __builtin_cpu_supports("fma"))
		better = "Haswell";
#endif
	if (better != NULL)
		log_info("ranker: OpenBLAS runs its %s kernels on this CPU; "
		    "OPENBLAS_CORETYPE=%s in the environment makes the "
		    "model's network about twice as fast", core, better);
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
	(void)pthread_once(&blas_once, blas_hint);
	rk = xcalloc(1, sizeof(*rk));
	rk->m = m;
	if (getenv("WEBNAV_RANKER_ALONE") == NULL &&
	    policy_lexical_new(NULL, &rk->lex, NULL) != 0)
		rk->lex = NULL;
	*selfp = rk;
	return 0;
}

/*
 * Scores every mark of ctx->obs with the network (the same history as a
 * decision): scores[i] for obs->marks[i], the row's raw score, higher is
 * better; marks the step does not score or masks get -1e300.  self is
 * what policy_ranker_new() made.  For the remote policy's shortlist.
 */
int
policy_ranker_scores(void *self, const struct policy_ctx *ctx,
    double *scores, char **causep)
{
	struct ranker *rk = self;
	struct feat_step *s = NULL;
	struct feat_hist *h = NULL;
	const nn_real *sc;
	const struct obs *o = ctx->obs;
	size_t nh = 0, i, k;
	int e, r = ERR_INTERNAL;

	if (causep != NULL)
		*causep = NULL;
	if (o == NULL)
		return ERR_INVALID;
	for (i = 0; i < o->nmarks; i++)
		scores[i] = -1e300;
	h = history(ctx, &nh);
	if ((r = feat_step_build(model_feat_config(rk->m), ctx->instr !=
	    NULL ? ctx->instr : "", h, nh, o, NULL, &s, causep)) != 0)
		goto out;
	if ((r = nn_forward(model_run(rk->m), s, &sc)) != 0) {
		if (causep != NULL)
			*causep = xasprintf("ranker: %s", err_str(r));
		goto out;
	}
	for (e = 0; e < s->N; e++) {
		if (!s->row_mask[e])
			continue;
		k = (size_t)s->mark_id[e] - 1;
		if (s->mark_id[e] < 1 || k >= o->nmarks ||
		    o->marks[k].id != s->mark_id[e])
			for (k = 0; k < o->nmarks; k++)
				if (o->marks[k].id == s->mark_id[e])
					break;
		if (k < o->nmarks)
			scores[k] = (double)sc[e];
	}
	r = 0;
out:
	feat_step_free(s);
	free(h);
	return r;
}
