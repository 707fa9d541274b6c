/*
 * test-ranker.c: the decision rules of the "ranker" policy
 * (model/ranker.c) on tiny networks trained here to controlled answers:
 * the DONE guard (nothing done yet for the instruction: DONE never comes
 * first) and the lexical policy's second opinion (DONE needs both to
 * agree, and a stop is held off by new work only, not by what the
 * instruction already did; an unsure network's answer on the lexical
 * policy's mark goes first), each checked against WEBNAV_RANKER_ALONE=1,
 * which turns the second opinion off.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cblas.h>
#include <cjson/cJSON.h>

#include "err.h"
#include "xmalloc.h"
#include "action.h"
#include "observe.h"
#include "policy.h"
#include "features.h"
#include "model.h"
#include "nn.h"
#include "tap.h"

/* RANKER_SURE of model/ranker.c: below it the network is unsure. */
#define SURE		0.5
/* Most updates a tiny network gets to fit its answers. */
#define TRAIN_MAX	3000
/* How close a fitted probability must come to its share of golds. */
#define FIT_TOL		0.05
/* A gold answer: the DONE pseudo-mark (else a mark id). */
#define GOLD_DONE	(-1)
#define NGOLD		6

/* Marks of the page, in reading order (id = index + 1). */
enum { M_LOGIN = 1, M_CART, M_CHECKOUT, M_HELP, M_SEARCH, M_LOGOUT,
    M_SETTINGS };
static const char *const buttons[] = { "Login", "Cart", "Checkout", "Help",
    "Search", "Logout", "Settings" };

/* Two steps, then the question: stop or not. */
#define I_TWO		"Click Help, then click Logout"
/* One step, whose mark the network is trained to doubt. */
#define I_ONE		"Click Search"
/*
 * A word no click serves: after a click on Logout on another page the
 * lexical policy proposes Logout again (it cannot tie that click to this
 * page's mark, and "twice" stays pending).
 */
#define I_REP		"Click Logout twice"
/* The page of the earlier steps in those histories. */
#define OTHER_URL	"http://127.0.0.1/other"

static char tmpdir[256];
static struct obs *page;
static struct policy_hist hist[2];	/* CLICK Help, CLICK Logout */
/*
 * Histories of I_REP, each step on OTHER_URL: [0] CLICK Logout, [1] HOVER
 * Logout, [2] CLICK on a link "Logout"; [3] CLICK Logout for instruction
 * 0, [4] CLICK Help for instruction 1.
 */
static struct policy_hist hrep[5];

/* One training step: instruction, history taken and gold answers. */
struct ex {
	const char	*instr;
	size_t		 nh;		/* first nh entries of hist */
	int		 gold[NGOLD];	/* mark ids or GOLD_DONE, 0 ends;
					   repeats weigh more */
	const struct policy_hist *h;	/* the history, NULL: hist */
};

/* A model fitted to examples: its weights file. */
struct net {
	char	path[512];
	int	ok;
};

/* ---------------------------------------------------------------------- */
/* The page and its history.                                              */

/* Adds a button to o. */
static void
add_button(struct obs *o, const char *text)
{
	struct mark *m;

	o->marks = xreallocarray(o->marks, o->nmarks + 1, sizeof(*o->marks));
	m = &o->marks[o->nmarks++];
	memset(m, 0, sizeof(*m));
	m->id = (int)o->nmarks;
	m->tag = xstrdup("button");
	m->role = xstrdup("button");
	m->type = xstrdup("");
	m->text = xstrdup(text);
	m->label = xstrdup("");
	m->value = xstrdup("");
	m->attrs = cJSON_CreateObject();
	m->x = 40;
	m->y = 20 + 50 * (double)(o->nmarks - 1);
	m->w = 120;
	m->h = 30;
	m->checked = -1;
	m->selected = -1;
	m->option_selected = -1;
	m->change = MARK_SAME;
	/* m->ctx stays NULL, as the featuriser must accept. */
}

/* The page every test decides on: seven buttons, nothing to scroll. */
static struct obs *
page_new(void)
{
	struct obs *o = xcalloc(1, sizeof(*o));
	size_t i;

	o->url = xstrdup("http://127.0.0.1/ranker");
	o->title = xstrdup("ranker");
	o->vw = 1280;
	o->vh = 800;
	o->scale = 1;
	o->page_h = 800;
	for (i = 0; i < sizeof(buttons) / sizeof(buttons[0]); i++)
		add_button(o, buttons[i]);
	return o;
}

/*
 * Sets history entry h: op on mark id, described as an element of role
 * with the text of page's mark id, on url, for instruction instr.
 */
static void
hist_set(struct policy_hist *h, enum action_op op, int id, const char *role,
    const char *url, int instr)
{
	memset(h, 0, sizeof(*h));
	h->act.op = op;
	h->act.mark = id;
	h->desc = xasprintf("[%s] %s", role, buttons[id - 1]);
	h->url = xstrdup(url);
	h->instr = instr;
}

/* Sets history entry h: a click on mark id of page, for instruction 0. */
static void
hist_click(struct policy_hist *h, int id)
{
	hist_set(h, ACT_CLICK, id, "button", page->url, 0);
}

/* ---------------------------------------------------------------------- */
/* Tiny networks.                                                         */

/* A small featuriser and network; max_marks caps the marks scored. */
static void
tiny_config(struct feat_config *fc, struct nn_config *nc, uint32_t max_marks)
{
	feat_default_config(fc);
	fc->hash_bits = 10;
	fc->dim = 16;
	fc->cat_bits = 6;
	fc->type_bits = 4;
	fc->max_marks = max_marks;
	nn_default_config(nc);
	nc->d = fc->dim;
	nc->hash_rows = 1u << fc->hash_bits;
	nc->cat_rows = 1u << fc->cat_bits;
	nc->type_rows = 1u << fc->type_bits;
	nc->span_max = fc->span_max;
	nc->dtag = nc->drole = nc->dtype = 4;
	nc->dh = nc->du = nc->ds1 = nc->dg = 16;
	nc->ds2 = nc->dop = nc->dsp = nc->dopt = 8;
	nc->dlen = 4;
}

/* The features of ex as the ranker builds them (no trace of marks). */
static int
ex_step(const struct feat_config *fc, const struct ex *e,
    struct feat_step **sp)
{
	const struct policy_hist *h = e->h != NULL ? e->h : hist;
	struct feat_hist fh[2];
	char *cause = NULL;
	size_t k;
	int r;

	memset(fh, 0, sizeof(fh));
	for (k = 0; k < e->nh && k < 2; k++) {
		fh[k].op = (int)h[k].act.op;
		fh[k].desc = h[k].desc;
		fh[k].value = h[k].act.value;
		fh[k].mark = 0;
	}
	r = feat_step_build(fc, e->instr, fh, e->nh, page, NULL, sp, &cause);
	if (r != 0)
		note("features: %s", cause != NULL ? cause : err_str(r));
	free(cause);
	return r;
}

/* The row of gold answer g in step s. */
static int
gold_row(const struct feat_step *s, int g)
{
	return g == GOLD_DONE ? s->N + FEAT_PSEUDO_DONE : g - 1;
}

/*
 * 1 if every gold row of e has about its share of the golds as
 * probability under m (softmax over the rows s allows).
 */
static int
fitted(struct model *m, const struct feat_step *s, const struct ex *e)
{
	const nn_real *sc;
	double mx = -HUGE_VAL, sum = 0, p;
	int M = s->N + FEAT_NPSEUDO, i, j, row, cnt, ng;

	if (nn_forward(model_run(m), s, &sc) != 0)
		return 0;
	for (i = 0; i < M; i++)
		if (s->row_mask[i] && (double)sc[i] > mx)
			mx = (double)sc[i];
	for (i = 0; i < M; i++)
		if (s->row_mask[i])
			sum += exp((double)sc[i] - mx);
	for (ng = 0; ng < NGOLD && e->gold[ng] != 0; ng++)
		;
	for (i = 0; i < ng; i++) {
		row = gold_row(s, e->gold[i]);
		for (j = 0, cnt = 0; j < ng; j++)
			cnt += e->gold[j] == e->gold[i];
		p = exp((double)sc[row] - mx) / sum;
		if (fabs(p - (double)cnt / ng) > FIT_TOL)
			return 0;
	}
	return 1;
}

/*
 * Trains a tiny network on the examples until it fits them, saves it as
 * tmpdir/name.wnm.
 */
static void
net_train(struct net *n, const char *name, const struct ex *ex, size_t nex,
    uint32_t max_marks)
{
	struct feat_config fc;
	struct nn_config nc;
	struct nn_adam_params ap;
	struct nn_adam *a = NULL;
	struct nn_grad *g = NULL;
	struct nn_label y;
	struct nn_losses L;
	struct feat_step **s;
	struct model *m = NULL;
	char *cause = NULL;
	size_t i, k, nlab;
	int it, fit = 0, r;

	memset(n, 0, sizeof(*n));
	snprintf(n->path, sizeof(n->path), "%s/%s.wnm", tmpdir, name);
	s = xcalloc(nex, sizeof(*s));
	tiny_config(&fc, &nc, max_marks);
	if ((r = model_new(&fc, &nc, 7, &m, &cause)) != 0) {
		ok(0, "%s: new model: %s", name, cause);
		goto out;
	}
	for (i = 0; i < nex; i++)
		if (ex_step(&fc, &ex[i], &s[i]) != 0) {
			ok(0, "%s: features of example %zu", name, i);
			goto out;
		}
	g = nn_grad_new(model_nn(m));
	nn_adam_default(&ap);
	ap.lr = 1e-2;
	a = nn_adam_new(model_nn(m), &ap);
	for (it = 1; it <= TRAIN_MAX && !fit; it++) {
		nlab = 0;
		for (i = 0; i < nex; i++)
			for (k = 0; k < NGOLD && ex[i].gold[k] != 0; k++) {
				memset(&y, 0, sizeof(y));
				y.ngold = 1;
				y.gold[0] = gold_row(s[i], ex[i].gold[k]);
				y.op = ex[i].gold[k] == GOLD_DONE ? -1 :
				    NN_OP_CLICK;
				y.span_start = y.span_end = -1;
				y.option = -1;
				if (nn_loss(model_run(m), s[i], &y, NULL, g,
				    &L) != 0) {
					ok(0, "%s: loss", name);
					goto out;
				}
				nlab++;
			}
		(void)nn_adam_step(a, model_nn(m), g, 1.0 / (double)nlab, 1.0);
		if (it % 5 != 0)
			continue;
		for (i = 0, fit = 1; i < nex && fit; i++)
			fit = fitted(m, s[i], &ex[i]);
	}
	ok(fit, "%s: tiny network fitted its answers (%d updates)", name,
	    it - 1);
	if (!fit)
		goto out;
	if ((r = model_save(m, n->path, 0, &cause)) != 0) {
		ok(0, "%s: save: %s", name, cause);
		goto out;
	}
	n->ok = 1;
out:
	for (i = 0; i < nex; i++)
		feat_step_free(s[i]);
	free(s);
	free(cause);
	nn_grad_free(g);
	nn_adam_free(a);
	model_free(m);
}

/* ---------------------------------------------------------------------- */
/* Policies and decisions.                                                */

/*
 * Opens the ranker on n's weights twice: *onp with the second opinion,
 * *alonep with WEBNAV_RANKER_ALONE=1 (set only while it is created).
 */
static int
open_ranker(const struct net *n, struct policy **onp, struct policy **alonep)
{
	struct policy_params pp;
	char *cause = NULL;
	int r;

	*onp = *alonep = NULL;
	policy_default_params(&pp);
	pp.model_path = n->path;
	(void)unsetenv("WEBNAV_RANKER_ALONE");
	if ((r = policy_new("ranker", &pp, onp, &cause)) != 0) {
		ok(0, "ranker on %s: %s", n->path, cause);
		free(cause);
		return r;
	}
	(void)setenv("WEBNAV_RANKER_ALONE", "1", 1);
	r = policy_new("ranker", &pp, alonep, &cause);
	(void)unsetenv("WEBNAV_RANKER_ALONE");
	if (r != 0) {
		ok(0, "ranker alone on %s: %s", n->path, cause);
		free(cause);
		policy_free(*onp);
		*onp = NULL;
		return r;
	}
	return 0;
}

/*
 * Decides on the page for instr (instruction instr_index) after the
 * history h[0..nh); 0 or an error (reported).
 */
static int
decide_h(struct policy *pol, const char *instr, int instr_index,
    const struct policy_hist *h, size_t nh, struct policy_decision *d)
{
	struct policy_ctx ctx;
	char *cause = NULL;
	int r;

	memset(&ctx, 0, sizeof(ctx));
	ctx.instr = instr;
	ctx.instr_index = instr_index;
	ctx.obs = page;
	ctx.prev = NULL;
	ctx.hist = h;
	ctx.nhist = nh;
	ctx.step = (int)nh;
	r = policy_decide(pol, &ctx, d, &cause);
	if (r != 0)
		note("%s decides \"%s\": %s", policy_name(pol), instr,
		    cause != NULL ? cause : err_str(r));
	free(cause);
	return r;
}

/* decide_h() after the first nh entries of hist. */
static int
decide(struct policy *pol, const char *instr, int instr_index, size_t nh,
    struct policy_decision *d)
{
	return decide_h(pol, instr, instr_index, hist, nh, d);
}

/* The index in d's list of an action on mark id (not DONE/SCROLL), or -1. */
static int
find_mark(const struct policy_decision *d, int id)
{
	size_t i;

	for (i = 0; i < d->ntop; i++)
		if (d->top[i].act.mark == id && d->top[i].act.op != ACT_DONE &&
		    d->top[i].act.op != ACT_SCROLL)
			return (int)i;
	return -1;
}

/* 1 if a and b are the same action with the same score. */
static int
same_alt(const struct policy_alt *a, const struct policy_alt *b)
{
	return action_equal(&a->act, &b->act) && fabs(a->score - b->score) <
	    1e-12;
}

/* 1 if d answers its own first alternative. */
static int
answers_top(const struct policy_decision *d)
{
	return d->ntop > 0 && action_equal(&d->act, &d->top[0].act) &&
	    fabs(d->score - d->top[0].score) < 1e-12;
}

/*
 * 1 if d's list is b's with b's entry i moved to the front, the others
 * in their order (i 0: the same list).
 */
static int
moved_front(const struct policy_decision *d, const struct policy_decision *b,
    size_t i)
{
	size_t k;

	if (d->ntop != b->ntop || i >= b->ntop || !answers_top(d))
		return 0;
	if (!same_alt(&d->top[0], &b->top[i]))
		return 0;
	for (k = 0; k < i; k++)
		if (!same_alt(&d->top[k + 1], &b->top[k]))
			return 0;
	for (k = i + 1; k < b->ntop; k++)
		if (!same_alt(&d->top[k], &b->top[k]))
			return 0;
	return 1;
}

/* The text form of d's list, for notes (static buffer). */
static const char *
list_str(const struct policy_decision *d)
{
	static char out[2048];
	size_t i, k = 0;

	/* Room for the longest entry (a %f of any double) each time. */
	out[0] = '\0';
	for (i = 0; i < d->ntop && k + 400 < sizeof(out); i++)
		k += (size_t)snprintf(out + k, sizeof(out) - k, "%s%s %d %.3f",
		    i > 0 ? ", " : "", action_op_name(d->top[i].act.op),
		    d->top[i].act.mark, d->top[i].score);
	return out;
}

/*
 * The lexical policy's answer for instruction instr_index after h[0..nh),
 * a precondition of a second-opinion test.
 */
static int
lexical_says_h(const char *instr, int instr_index,
    const struct policy_hist *h, size_t nh, enum action_op op, int id,
    struct policy_decision *d)
{
	struct policy *lex = NULL;
	int r, good;

	memset(d, 0, sizeof(*d));
	if (policy_new("lexical", NULL, &lex, NULL) != 0)
		return 0;
	r = decide_h(lex, instr, instr_index, h, nh, d);
	policy_free(lex);
	good = r == 0 && d->act.op == op && d->act.mark == id;
	ok(good, "lexical on \"%s\" after %zu steps: %s [%d] (%s)", instr, nh,
	    action_op_name(op), id, r == 0 ? list_str(d) : "failed");
	return good;
}

/* lexical_says_h() for instruction 0 after the first nh entries of hist. */
static int
lexical_says(const char *instr, size_t nh, enum action_op op, int id,
    struct policy_decision *d)
{
	return lexical_says_h(instr, 0, hist, nh, op, id, d);
}

/* ---------------------------------------------------------------------- */
/* The rules.                                                             */

/*
 * The DONE guard: the network puts DONE first with nothing done for the
 * instruction, the ranker answers its next best action, alone too; with
 * a step of this instruction done the same network stops.
 */
static void
test_guard(const struct net *n)
{
	struct policy *on, *alone;
	struct policy_decision d, dh;
	struct model *m = NULL;
	struct model_pred p;
	char *cause = NULL;
	int r;

	if (open_ranker(n, &on, &alone) != 0)
		return;
	memset(&p, 0, sizeof(p));
	r = model_load(n->path, &m, &cause);
	if (r == 0)
		r = model_predict(m, I_TWO, NULL, 0, page, NULL, &p, &cause);
	ok(r == 0 && p.ntop == 5 && p.top[0].pseudo == FEAT_PSEUDO_DONE &&
	    p.top[0].prob > SURE && p.top[1].pseudo < 0, "guard: the network "
	    "itself puts DONE first with nothing done (p %.3f), then mark %d",
	    r == 0 ? p.top[0].prob : 0, r == 0 ? p.top[1].mark_id : 0);
	free(cause);
	if (r != 0)
		goto out;

	r = decide(alone, I_TWO, 0, 0, &d);
	ok(r == 0 && answers_top(&d) && d.ntop == 5 &&
	    d.act.op == ACT_CLICK && d.act.mark == p.top[1].mark_id &&
	    fabs(d.score - p.top[1].prob) < 1e-12 &&
	    d.top[1].act.op == ACT_DONE &&
	    fabs(d.top[1].score - p.top[0].prob) < 1e-12,
	    "guard, alone: nothing done, the next best action first, DONE "
	    "second (%s)", list_str(&d));
	policy_decision_clear(&d);

	r = decide(alone, I_TWO, 0, 1, &dh);
	ok(r == 0 && answers_top(&dh) && dh.act.op == ACT_DONE,
	    "guard, alone: after a step of this instruction DONE comes first "
	    "(%s)", list_str(&dh));
	policy_decision_clear(&dh);

	/* Steps of an earlier instruction are not this one's history. */
	r = decide(alone, I_TWO, 1, 2, &d);
	ok(r == 0 && answers_top(&d) && d.act.op == ACT_CLICK &&
	    d.act.mark == p.top[1].mark_id && d.ntop > 1 &&
	    d.top[1].act.op == ACT_DONE, "guard, alone: only earlier "
	    "instructions' steps count as nothing done (%s)", list_str(&d));
	policy_decision_clear(&d);

	r = decide(on, I_TWO, 0, 0, &d);
	ok(r == 0 && answers_top(&d) && d.act.op != ACT_DONE &&
	    d.act.op != ACT_NONE && d.ntop == 5, "guard, with the second "
	    "opinion: no DONE first either (%s)", list_str(&d));
	policy_decision_clear(&d);
out:
	model_pred_clear(&p);
	model_free(m);
	policy_free(on);
	policy_free(alone);
}

/*
 * The network would stop while the lexical policy still has a mark to
 * act on, which the network ranks lower: that answer goes first.
 */
static void
test_stop_ranked(const struct net *n)
{
	struct policy *on, *alone;
	struct policy_decision d, da, dl;
	int i, r;

	if (open_ranker(n, &on, &alone) != 0)
		return;
	if (!lexical_says(I_TWO, 1, ACT_CLICK, M_LOGOUT, &dl))
		goto out;
	memset(&d, 0, sizeof(d));
	r = decide(alone, I_TWO, 0, 1, &da);
	i = r == 0 ? find_mark(&da, M_LOGOUT) : -1;
	ok(r == 0 && answers_top(&da) && da.act.op == ACT_DONE && i > 0,
	    "stop, alone: DONE first, Logout [%d] at %d (%s)", M_LOGOUT, i,
	    list_str(&da));
	if (r != 0 || i <= 0)
		goto out2;
	r = decide(on, I_TWO, 0, 1, &d);
	ok(r == 0 && moved_front(&d, &da, (size_t)i) &&
	    d.act.op == ACT_CLICK && d.act.mark == M_LOGOUT &&
	    d.top[1].act.op == ACT_DONE, "stop, second opinion: the "
	    "network's own answer on the lexical mark first, its score kept, "
	    "DONE second (%s)", list_str(&d));
	policy_decision_clear(&d);

	/* The variable is read when the policy is made, not per decision. */
	(void)setenv("WEBNAV_RANKER_ALONE", "1", 1);
	r = decide(on, I_TWO, 0, 1, &d);
	(void)unsetenv("WEBNAV_RANKER_ALONE");
	ok(r == 0 && d.act.op == ACT_CLICK && d.act.mark == M_LOGOUT,
	    "stop: WEBNAV_RANKER_ALONE counts when the policy is created "
	    "only");
	policy_decision_clear(&d);
out2:
	policy_decision_clear(&da);
out:
	policy_decision_clear(&dl);
	policy_free(on);
	policy_free(alone);
}

/*
 * Both would stop (the lexical policy has nothing left either): DONE
 * stays first, the list untouched.
 */
static void
test_stop_agreed(const struct net *n)
{
	struct policy *on, *alone;
	struct policy_decision d, da, dl;
	int r;

	if (open_ranker(n, &on, &alone) != 0)
		return;
	if (!lexical_says(I_TWO, 2, ACT_DONE, 0, &dl))
		goto out;
	memset(&d, 0, sizeof(d));
	r = decide(alone, I_TWO, 0, 2, &da);
	ok(r == 0 && answers_top(&da) && da.act.op == ACT_DONE,
	    "agreed stop, alone: DONE first (%s)", list_str(&da));
	if (r != 0)
		goto out2;
	r = decide(on, I_TWO, 0, 2, &d);
	ok(r == 0 && moved_front(&d, &da, 0) && d.act.op == ACT_DONE,
	    "agreed stop, second opinion: DONE first, list unchanged (%s)",
	    list_str(&d));
	policy_decision_clear(&d);
out2:
	policy_decision_clear(&da);
out:
	policy_decision_clear(&dl);
	policy_free(on);
	policy_free(alone);
}

/*
 * The network would stop and does not score the lexical policy's mark at
 * all (max_marks): the lexical action itself goes first, with its
 * score, and the list keeps POLICY_TOP entries.
 */
static void
test_stop_inserted(const struct net *n)
{
	struct policy *on, *alone;
	struct policy_decision d, da, dl;
	size_t k;
	int r, same;

	if (open_ranker(n, &on, &alone) != 0)
		return;
	if (!lexical_says(I_TWO, 1, ACT_CLICK, M_LOGOUT, &dl))
		goto out;
	memset(&d, 0, sizeof(d));
	r = decide(alone, I_TWO, 0, 1, &da);
	ok(r == 0 && answers_top(&da) && da.act.op == ACT_DONE &&
	    da.ntop == POLICY_TOP && find_mark(&da, M_LOGOUT) < 0,
	    "stop, alone: DONE first, Logout not scored (%s)", list_str(&da));
	if (r != 0)
		goto out2;
	r = decide(on, I_TWO, 0, 1, &d);
	for (k = 0, same = r == 0 && d.ntop == da.ntop; same && k + 1 < d.ntop;
	    k++)
		same = same_alt(&d.top[k + 1], &da.top[k]);
	ok(r == 0 && answers_top(&d) && action_equal(&d.act, &dl.act) &&
	    fabs(d.score - dl.score) < 1e-12 && same, "stop, second opinion: "
	    "the lexical action with its score first, the network's list "
	    "after it, %d entries (%s)", POLICY_TOP, list_str(&d));
	policy_decision_clear(&d);
out2:
	policy_decision_clear(&da);
out:
	policy_decision_clear(&dl);
	policy_free(on);
	policy_free(alone);
}

/*
 * The network would stop after h[0..nh) while the lexical policy proposes
 * a click on Logout: new work for instruction instr_index (want_new: no
 * step of it has that operation on an element described as "[button]
 * Logout") goes first, DONE second; a repeat of a step of this
 * instruction leaves DONE first and the list untouched.
 */
static void
test_stop_repeat(const struct net *n, const char *what, int instr_index,
    const struct policy_hist *h, size_t nh, int want_new)
{
	struct policy *on, *alone;
	struct policy_decision d, da, dl;
	int i, r;

	if (open_ranker(n, &on, &alone) != 0)
		return;
	if (!lexical_says_h(I_REP, instr_index, h, nh, ACT_CLICK, M_LOGOUT,
	    &dl))
		goto out;
	memset(&d, 0, sizeof(d));
	r = decide_h(alone, I_REP, instr_index, h, nh, &da);
	i = r == 0 ? find_mark(&da, M_LOGOUT) : -1;
	ok(r == 0 && answers_top(&da) && da.act.op == ACT_DONE && i > 0,
	    "%s, alone: DONE first, Logout [%d] at %d (%s)", what, M_LOGOUT,
	    i, list_str(&da));
	if (r != 0 || i <= 0)
		goto out2;
	r = decide_h(on, I_REP, instr_index, h, nh, &d);
	if (want_new)
		ok(r == 0 && moved_front(&d, &da, (size_t)i) &&
		    d.act.op == ACT_CLICK && d.act.mark == M_LOGOUT &&
		    d.top[1].act.op == ACT_DONE, "%s, second opinion: new "
		    "work, the click on Logout first, DONE second (%s)", what,
		    list_str(&d));
	else
		ok(r == 0 && moved_front(&d, &da, 0) && d.act.op == ACT_DONE,
		    "%s, second opinion: done already for this instruction, "
		    "DONE stays first, list unchanged (%s)", what,
		    list_str(&d));
	policy_decision_clear(&d);
out2:
	policy_decision_clear(&da);
out:
	policy_decision_clear(&dl);
	policy_free(on);
	policy_free(alone);
}

/*
 * Unsure network (best under SURE): its answer on the lexical policy's
 * mark goes first if it is among its best; nothing moves when the
 * network is sure or does not rank that mark.
 */
static void
test_unsure(const struct net *n, const char *what, int want_moved,
    int want_sure)
{
	struct policy *on, *alone;
	struct policy_decision d, da, dl;
	int i, r;

	if (open_ranker(n, &on, &alone) != 0)
		return;
	if (!lexical_says(I_ONE, 0, ACT_CLICK, M_SEARCH, &dl))
		goto out;
	memset(&d, 0, sizeof(d));
	r = decide(alone, I_ONE, 0, 0, &da);
	i = r == 0 ? find_mark(&da, M_SEARCH) : -1;
	ok(r == 0 && answers_top(&da) && da.act.op == ACT_CLICK &&
	    da.act.mark == M_LOGIN && (da.score >= SURE) == want_sure &&
	    (want_moved ? i > 0 : i != 0), "%s, alone: Login [%d] first "
	    "(%.3f), Search [%d] at %d (%s)", what, M_LOGIN, da.score,
	    M_SEARCH, i, list_str(&da));
	if (r != 0 || (want_moved && i <= 0))
		goto out2;
	r = decide(on, I_ONE, 0, 0, &d);
	if (want_moved)
		ok(r == 0 && moved_front(&d, &da, (size_t)i) &&
		    d.act.mark == M_SEARCH && d.top[1].act.mark == M_LOGIN,
		    "%s, second opinion: the network's answer on Search "
		    "first, its score kept (%s)", what, list_str(&d));
	else
		ok(r == 0 && moved_front(&d, &da, 0), "%s, second opinion: "
		    "the network's list unchanged (%s)", what, list_str(&d));
	policy_decision_clear(&d);
out2:
	policy_decision_clear(&da);
out:
	policy_decision_clear(&dl);
	policy_free(on);
	policy_free(alone);
}

/*
 * The last action of the instruction changed nothing (same URL, every
 * mark the same): the ranker does not answer it again while it has
 * another; it does once the page changed.
 */
static void
test_no_repeat(const struct net *n)
{
	struct policy *on, *alone;
	struct policy_decision d0, d1, d2;
	struct policy_hist h;
	struct policy_ctx ctx;
	char *cause = NULL;
	int r0, r1, r2;

	if (open_ranker(n, &on, &alone) != 0)
		return;
	hist_click(&h, M_LOGIN);
	memset(&ctx, 0, sizeof(ctx));
	ctx.instr = I_ONE;
	ctx.obs = page;
	ctx.hist = &h;
	ctx.nhist = 1;
	ctx.step = 1;
	r0 = policy_decide(alone, &ctx, &d0, &cause);
	ok(r0 == 0 && d0.act.op == ACT_CLICK && d0.act.mark == M_LOGIN,
	    "no trace of the page: Login [%d] again (%s)", M_LOGIN,
	    r0 == 0 ? list_str(&d0) : cause);
	free(cause);
	cause = NULL;
	ctx.prev = page;
	r1 = policy_decide(alone, &ctx, &d1, &cause);
	ok(r1 == 0 && r0 == 0 && !(d1.act.op == ACT_CLICK &&
	    d1.act.mark == M_LOGIN) && d1.ntop == d0.ntop &&
	    action_equal(&d1.top[d1.ntop - 1].act, &d0.act) &&
	    action_equal(&d1.act, &d0.top[1].act), "the page did not "
	    "change: Login goes last, the next choice first (%s)",
	    r1 == 0 ? list_str(&d1) : cause);
	free(cause);
	cause = NULL;
	page->marks[M_CART - 1].change = MARK_CHANGED;
	r2 = policy_decide(alone, &ctx, &d2, &cause);
	page->marks[M_CART - 1].change = MARK_SAME;
	ok(r2 == 0 && d2.act.op == ACT_CLICK && d2.act.mark == M_LOGIN,
	    "a mark changed: Login again (%s)", r2 == 0 ? list_str(&d2) :
	    cause);
	free(cause);
	policy_decision_clear(&d0);
	policy_decision_clear(&d1);
	policy_decision_clear(&d2);
	free(h.desc);
	free(h.url);
	policy_free(on);
	policy_free(alone);
}

int
main(void)
{
	/*
	 * net1: stops with nothing done and after both steps; after Help
	 * stops (0.75) before Logout (0.25); sure of Login for I_ONE.
	 */
	static const struct ex ex1[] = {
		{ I_TWO, 0, { GOLD_DONE }, NULL },
		{ I_TWO, 1, { GOLD_DONE, GOLD_DONE, GOLD_DONE, M_LOGOUT },
		    NULL },
		{ I_TWO, 2, { GOLD_DONE }, NULL },
		{ I_ONE, 0, { M_LOGIN }, NULL },
	};
	/* net2: unsure of Login (0.4) over Search, Cart, Checkout (0.2). */
	static const struct ex ex2[] = {
		{ I_ONE, 0, { M_LOGIN, M_LOGIN, M_SEARCH, M_CART,
		    M_CHECKOUT }, NULL },
	};
	/*
	 * net3: scores the first four marks only (not Search, Logout):
	 * stops after Help; unsure of Login for I_ONE.
	 */
	static const struct ex ex3[] = {
		{ I_TWO, 1, { GOLD_DONE }, NULL },
		{ I_ONE, 0, { M_LOGIN, M_LOGIN, M_CART, M_CHECKOUT,
		    M_HELP }, NULL },
	};
	/*
	 * net4: after each history of I_REP stops (0.75) before Logout
	 * (0.25); the network reads the current instruction's steps only.
	 */
	static const struct ex ex4[] = {
		{ I_REP, 1, { GOLD_DONE, GOLD_DONE, GOLD_DONE, M_LOGOUT },
		    &hrep[0] },
		{ I_REP, 1, { GOLD_DONE, GOLD_DONE, GOLD_DONE, M_LOGOUT },
		    &hrep[1] },
		{ I_REP, 1, { GOLD_DONE, GOLD_DONE, GOLD_DONE, M_LOGOUT },
		    &hrep[2] },
		{ I_REP, 1, { GOLD_DONE, GOLD_DONE, GOLD_DONE, M_LOGOUT },
		    &hrep[4] },
	};
	struct net n1, n2, n3, n4;
	size_t i;

	openblas_set_num_threads(1);
	(void)unsetenv("WEBNAV_RANKER_ALONE");
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test-ranker.XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		skip_all("no temporary directory");
	page = page_new();
	hist_click(&hist[0], M_HELP);
	hist_click(&hist[1], M_LOGOUT);
	hist_set(&hrep[0], ACT_CLICK, M_LOGOUT, "button", OTHER_URL, 0);
	hist_set(&hrep[1], ACT_HOVER, M_LOGOUT, "button", OTHER_URL, 0);
	hist_set(&hrep[2], ACT_CLICK, M_LOGOUT, "link", OTHER_URL, 0);
	hist_set(&hrep[3], ACT_CLICK, M_LOGOUT, "button", OTHER_URL, 0);
	hist_set(&hrep[4], ACT_CLICK, M_HELP, "button", OTHER_URL, 1);

	net_train(&n1, "net1", ex1, sizeof(ex1) / sizeof(ex1[0]), 2048);
	net_train(&n2, "net2", ex2, sizeof(ex2) / sizeof(ex2[0]), 2048);
	net_train(&n3, "net3", ex3, sizeof(ex3) / sizeof(ex3[0]), 4);
	net_train(&n4, "net4", ex4, sizeof(ex4) / sizeof(ex4[0]), 2048);
	if (n1.ok) {
		test_guard(&n1);
		test_stop_ranked(&n1);
		test_stop_agreed(&n1);
		test_unsure(&n1, "sure", 0, 1);
		test_no_repeat(&n1);
	}
	if (n2.ok)
		test_unsure(&n2, "unsure", 1, 0);
	if (n3.ok) {
		test_stop_inserted(&n3);
		test_unsure(&n3, "unsure, mark not scored", 0, 0);
	}
	if (n4.ok) {
		test_stop_repeat(&n4, "repeat", 0, &hrep[0], 1, 0);
		test_stop_repeat(&n4, "other operation", 0, &hrep[1], 1, 1);
		test_stop_repeat(&n4, "other element", 0, &hrep[2], 1, 1);
		test_stop_repeat(&n4, "earlier instruction's step", 1,
		    &hrep[3], 2, 1);
	}

	(void)unlink(n1.path);
	(void)unlink(n2.path);
	(void)unlink(n3.path);
	(void)unlink(n4.path);
	(void)rmdir(tmpdir);
	for (i = 0; i < 2; i++) {
		free(hist[i].desc);
		free(hist[i].url);
	}
	for (i = 0; i < sizeof(hrep) / sizeof(hrep[0]); i++) {
		free(hrep[i].desc);
		free(hrep[i].url);
	}
	obs_free(page);
	return done_testing();
}
