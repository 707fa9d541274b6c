/*
 * model.c: the built-in model as one object: .wnm load and save with
 * the featuriser and network settings inside, and prediction.
 */
#include "config.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cblas.h>

#include "err.h"
#include "xmalloc.h"
#include "util.h"
#include "observe.h"
#include "features.h"
#include "nn.h"
#include "wnm.h"
#include "model.h"

struct model {
	struct feat_config	 fc;
	struct nn		*net;
	struct nn_run		*run;
	struct feat_step	*step;	/* last featurised step */
};

/* Settings stored in the file: key, which struct, offset. */
struct model_key {
	const char	*key;
	int		 nn;		/* 0 feat_config, 1 nn_config */
	size_t		 off;
};

#define FK(name)	{ "feat." #name, 0, offsetof(struct feat_config, name) }
#define NK(name)	{ "nn." #name, 1, offsetof(struct nn_config, name) }

static const struct model_key model_keys[] = {
	FK(version), FK(hash_bits), FK(dim), FK(ngram_min), FK(ngram_max),
	FK(cat_bits), FK(type_bits), FK(max_instr), FK(max_marks),
	FK(max_bag), FK(max_hist), FK(max_options), FK(span_max), FK(seed),
	FK(bigrams),
	NK(d), NK(hash_rows), NK(cat_rows), NK(type_rows), NK(dtag),
	NK(drole), NK(dtype), NK(dh), NK(du), NK(ds1), NK(ds2), NK(dg),
	NK(dop), NK(dsp), NK(dlen), NK(span_max), NK(dopt), NK(nlex),
	NK(ndense), NK(nstep), NK(ntokf), NK(noptlex)
};
#define MODEL_NKEYS	(sizeof(model_keys) / sizeof(model_keys[0]))

static uint32_t *
key_field(const struct model_key *k, struct feat_config *fc,
    struct nn_config *nc)
{
	return (uint32_t *)(void *)((char *)(k->nn ? (void *)nc :
	    (void *)fc) + k->off);
}

/* ERR_INVALID unless the two configurations fit each other. */
static int
model_check(const struct feat_config *fc, const struct nn_config *nc,
    char **causep)
{
	int r;

	if ((r = feat_check_config(fc, causep)) != 0 ||
	    (r = nn_check_config(nc, causep)) != 0)
		return r;
	if (nc->d != fc->dim || nc->hash_rows != (1u << fc->hash_bits) ||
	    nc->cat_rows != (1u << fc->cat_bits) ||
	    nc->type_rows != (1u << fc->type_bits) ||
	    nc->span_max != fc->span_max) {
		if (causep != NULL)
			*causep = xstrdup("featuriser and network settings "
			    "disagree (dim, table rows or span length)");
		return ERR_INVALID;
	}
	return 0;
}

/* Wraps net into a model. */
static struct model *
model_wrap(const struct feat_config *fc, struct nn *net)
{
	struct model *m;

	m = xcalloc(1, sizeof(*m));
	m->fc = *fc;
	m->net = net;
	m->run = nn_run_new(net);
	return m;
}

int
model_new(const struct feat_config *fc, const struct nn_config *nc,
    uint64_t seed, struct model **mp, char **causep)
{
	struct nn *net = NULL;
	int r;

	*mp = NULL;
	if (causep != NULL)
		*causep = NULL;
	if ((r = model_check(fc, nc, causep)) != 0)
		return r;
	if ((r = nn_new(nc, seed, &net, causep)) != 0)
		return r;
	*mp = model_wrap(fc, net);
	return 0;
}

void
model_free(struct model *m)
{
	if (m == NULL)
		return;
	feat_step_free(m->step);
	nn_run_free(m->run);
	nn_free(m->net);
	free(m);
}

const struct feat_config *
model_feat_config(const struct model *m)
{
	return &m->fc;
}

struct nn *
model_nn(struct model *m)
{
	return m->net;
}

struct nn_run *
model_run(struct model *m)
{
	return m->run;
}

/* Lays m out as a wnm set. */
static int
model_to_wnm(const struct model *m, int fp16, struct wnm **wp)
{
	struct feat_config fc = m->fc;
	struct nn_config nc = *nn_get_config(m->net);
	struct nn_tensor t;
	struct wnm *w;
	uint32_t shape[2];
	float *tmp = NULL;
	size_t i, k, cnt;
	int r = ERR_INTERNAL;

	*wp = NULL;
	w = wnm_new();
	if ((r = wnm_set_u32(w, "model.version", MODEL_VERSION)) != 0)
		goto out;
	for (i = 0; i < MODEL_NKEYS; i++)
		if ((r = wnm_set_u32(w, model_keys[i].key,
		    *key_field(&model_keys[i], &fc, &nc))) != 0)
			goto out;
	for (i = 0; i < nn_ntensors(m->net); i++) {
		if ((r = nn_tensor(m->net, i, &t)) != 0)
			goto out;
		shape[0] = (uint32_t)t.rows;
		shape[1] = (uint32_t)t.cols;
		cnt = (size_t)t.rows * t.cols;
		tmp = xreallocarray(tmp, cnt, sizeof(float));
		for (k = 0; k < cnt; k++)
			tmp[k] = (float)t.data[k];
		if ((r = wnm_add(w, t.name, fp16 && t.sparse ? WNM_F16 :
		    WNM_F32, 2, shape, tmp)) != 0)
			goto out;
	}
	*wp = w;
	w = NULL;
	r = 0;
out:
	free(tmp);
	wnm_free(w);
	return r;
}

int
model_save(const struct model *m, const char *path, int fp16, char **causep)
{
	struct wnm *w = NULL;
	int r;

	if (causep != NULL)
		*causep = NULL;
	if ((r = model_to_wnm(m, fp16, &w)) != 0) {
		if (causep != NULL)
			*causep = xasprintf("%s: %s", path, err_str(r));
		return r;
	}
	r = wnm_save(w, path, causep);
	wnm_free(w);
	return r;
}

/*
 * Index of the first NaN or infinity of p[0..n), n if none; blocks
 * without one are scanned branch-free.
 */
static size_t
first_nonfinite(const nn_real *p, size_t n)
{
	size_t i, j, blk;
	int bad;

	for (i = 0; i < n; i += blk) {
		blk = n - i < 4096 ? n - i : 4096;
		bad = 0;
		for (j = 0; j < blk; j++)
			bad |= !(p[i + j] < (nn_real)INFINITY &&
			    p[i + j] > -(nn_real)INFINITY);
		if (!bad)
			continue;
		for (j = 0; j < blk; j++)
			if (!isfinite(p[i + j]))
				return i + j;
	}
	return n;
}

/* Builds a model from a validated file. */
static int
model_from_wnm(const struct wnm *w, struct model **mp, char **causep)
{
	struct feat_config fc;
	struct nn_config nc;
	struct nn *net = NULL;
	struct nn_tensor t;
	struct wnm_info info;
	uint32_t v, shape[2];
	float *tmp = NULL;
	size_t i, k, cnt;
	int r = ERR_INTERNAL;

	memset(&fc, 0, sizeof(fc));
	memset(&nc, 0, sizeof(nc));
	if ((r = wnm_get_u32(w, "model.version", &v)) != 0 ||
	    v != MODEL_VERSION) {
		if (causep != NULL)
			*causep = r != 0 ? xstrdup("config key model.version "
			    "missing") : xasprintf("model version %u not "
			    "supported (this build runs version %d)", v,
			    MODEL_VERSION);
		r = ERR_FORMAT;
		goto out;
	}
	for (i = 0; i < MODEL_NKEYS; i++)
		if ((r = wnm_get_u32(w, model_keys[i].key,
		    key_field(&model_keys[i], &fc, &nc))) != 0) {
			if (causep != NULL)
				*causep = xasprintf("config key %s missing",
				    model_keys[i].key);
			r = ERR_FORMAT;
			goto out;
		}
	if ((r = model_check(&fc, &nc, causep)) != 0) {
		r = ERR_FORMAT;
		goto out;
	}
	if ((r = nn_new_zero(&nc, &net, causep)) != 0)
		goto out;
	if (wnm_ntensors(w) != nn_ntensors(net)) {
		for (i = 0; i < wnm_ntensors(w); i++) {
			(void)wnm_tensor(w, i, &info);
			for (k = 0; k < nn_ntensors(net); k++) {
				(void)nn_tensor(net, k, &t);
				if (strcmp(t.name, info.name) == 0)
					break;
			}
			if (k == nn_ntensors(net))
				break;
		}
		if (causep != NULL)
			*causep = i < wnm_ntensors(w) ?
			    xasprintf("unknown tensor %s", info.name) :
			    xasprintf("%zu tensors, model has %zu",
			    wnm_ntensors(w), nn_ntensors(net));
		r = ERR_FORMAT;
		goto out;
	}
	for (i = 0; i < nn_ntensors(net); i++) {
		(void)nn_tensor(net, i, &t);
		shape[0] = (uint32_t)t.rows;
		shape[1] = (uint32_t)t.cols;
		cnt = (size_t)t.rows * t.cols;
#ifdef NN_DOUBLE
		tmp = xreallocarray(tmp, cnt, sizeof(float));
		if ((r = wnm_read(w, t.name, 2, shape, tmp, causep)) != 0)
			goto out;
		for (k = 0; k < cnt; k++)
			t.data[k] = tmp[k];
#else
		if ((r = wnm_read(w, t.name, 2, shape, t.data, causep)) != 0)
			goto out;
#endif
		if ((k = first_nonfinite(t.data, cnt)) < cnt) {
			if (causep != NULL)
				*causep = xasprintf("tensor %s: value %zu not "
				    "finite", t.name, k);
			r = ERR_FORMAT;
			goto out;
		}
	}
	*mp = model_wrap(&fc, net);
	net = NULL;
	r = 0;
out:
	free(tmp);
	nn_free(net);
	return r;
}

int
model_load(const char *path, struct model **mp, char **causep)
{
	struct wnm *w = NULL;
	char *cause = NULL;
	int r;

	*mp = NULL;
	if (causep != NULL)
		*causep = NULL;
	if ((r = wnm_load(path, &w, causep)) != 0)
		return r;
	if ((r = model_from_wnm(w, mp, &cause)) != 0 && causep != NULL)
		*causep = xasprintf("%s: %s", path, cause != NULL ? cause :
		    err_str(r));
	free(cause);
	wnm_free(w);
	return r;
}

int
model_load_mem(const void *data, size_t len, struct model **mp,
    char **causep)
{
	struct wnm *w = NULL;
	int r;

	*mp = NULL;
	if (causep != NULL)
		*causep = NULL;
	if ((r = wnm_load_mem(data, len, &w, causep)) != 0)
		return r;
	r = model_from_wnm(w, mp, causep);
	wnm_free(w);
	return r;
}

/* ---------------------------------------------------------------------- */
/* Prediction.                                                            */

void
model_pred_clear(struct model_pred *p)
{
	int i;

	for (i = 0; i < p->ntop && i < MODEL_TOP; i++)
		free(p->top[i].value);
	memset(p, 0, sizeof(*p));
}

/*
 * A span that lies inside a quoted value grows to the whole quote: a
 * value the user quoted is typed as one ("hotels in Copenhagen", never
 * "Copenhagen").
 */
static void
snap_to_quote(const struct feat_step *s, int *a, int *b)
{
	int k;

	for (k = 0; k < s->nspan; k++) {
		if (s->span[k].kind != FEAT_SPAN_QUOTE)
			continue;
		if (*a >= s->span[k].start && *b <= s->span[k].end) {
			*a = s->span[k].start;
			*b = s->span[k].end;
			return;
		}
	}
}

/*
 * 1 if instruction tokens i and i + 1 are parts of one word: nothing
 * but '-', '_', '.', '@', '/', '+', '#', '&' or an apostrophe between
 * them ("harbor-2291", "ann.lee@example.com", "rx350").
 */
static int
tokens_joined(const struct feat_step *s, int i)
{
	uint32_t p;

	if (i < 0 || i + 1 >= s->T || s->itok[i].chunk != s->itok[i + 1].chunk)
		return 0;
	for (p = s->itok[i].end; p < s->itok[i + 1].start; p++)
		if (s->instr[p] == '\0' || strchr("-_.@/+#&'", s->instr[p]) ==
		    NULL)
			return 0;
	return 1;
}

/*
 * A span never cuts a word: "the password harbor-2291" types
 * "harbor-2291", never "harbor".  A colon or an equals sign does part
 * a chunk ("username:alice").
 */
static void
snap_to_word(const struct feat_step *s, int *a, int *b)
{
	while (*a > 0 && tokens_joined(s, *a - 1))
		(*a)--;
	while (tokens_joined(s, *b))
		(*b)++;
}

/*
 * An unquoted value the span head ends early ("write Love this as a
 * comment" typing "Love") grows to the end of the candidate value after
 * a typing verb that starts where it starts: the shortest one, when the
 * head's span is no candidate itself (a number "5" of "enter 5 guests"
 * stays) and the words it would add are neither numbers nor "please" or
 * "now".  A value after a field's label does not grow ("status:ann
 * today" types "ann").
 */
static void
snap_to_value(const struct feat_step *s, int *a, int *b)
{
	const struct feat_token *t;
	int k, i, z = -1;

	k = feat_span_find(s, *a, *b);
	if (k >= 0 && s->span[k].start == *a && s->span[k].end == *b)
		return;
	for (k = 0; k < s->nspan; k++)
		if (s->span[k].start == *a && s->span[k].end > *b &&
		    s->span[k].kind == FEAT_SPAN_VERB &&
		    (z < 0 || s->span[k].end < z))
			z = s->span[k].end;
	if (z < 0 || (s->itok[*a].flags & FEAT_TF_QUOTED))
		return;
	for (i = *b + 1; i <= z; i++) {
		t = &s->itok[i];
		if ((t->flags & FEAT_TF_DIGIT) || t->shape != FEAT_SHAPE_NONE ||
		    strcmp(t->norm, "please") == 0 || strcmp(t->norm, "now") == 0)
			return;
	}
	*b = z;
}

/* 1 if the normalised token w is among the tokens of text. */
static int
text_has_token(const char *text, const char *w, struct feat_token *tk,
    int max)
{
	int n, i;

	if (text == NULL || text[0] == '\0')
		return 0;
	/* Most texts lack even the letters: no tokenising for them. */
	if (strlen(w) >= 3 && strcasestr(text, w) == NULL)
		return 0;
	n = feat_tokenize(text, tk, max);
	for (i = 0; i < n; i++)
		if (strcmp(tk[i].norm, w) == 0)
			return 1;
	return 0;
}

/*
 * text_has_token() for the text of bag k (FEAT_NBAGS layout) of mark
 * row e of s and instruction token i: the step's bags already hold the
 * tokens, unless the text had more than a bag keeps (max_bag).
 */
static int
mark_has_token(const struct feat_step *s, int e, int k, const char *text,
    int i, int max_bag, struct feat_token *tk, int max)
{
	const char *w = s->itok[i].norm;
	int a, z, j;

	if (e >= s->N)
		return text_has_token(text, w, tk, max);
	a = s->bag_off[e * FEAT_NBAGS + k];
	z = s->bag_off[e * FEAT_NBAGS + k + 1];
	if (z - a >= max_bag)
		return text_has_token(text, w, tk, max);
	for (j = a; j < z; j++)
		if (s->bag[j] == s->itok_u[i])
			break;
	if (j == z)
		return 0;
	/* As text_has_token(): the word's letters must be in the text. */
	return strlen(w) < 3 || strcasestr(text, w) != NULL;
}

/*
 * The instruction's candidate value (quoted, after a typing verb or a
 * field's label, a shaped chunk) the span head likes best for mark row
 * e, into *ap..*bp; unchanged when there is none.  For a best span that
 * only names something on the page: "with the username dwhitfield" types
 * "dwhitfield" even when the head prefers a word of the page.
 */
static void
best_candidate(struct model *m, const struct feat_step *s, int e, int *ap,
    int *bp)
{
	double lp, best = -HUGE_VAL;
	int k;

	for (k = 0; k < s->nspan; k++)
		if (nn_span_logp(m->run, s, e, s->span[k].start,
		    s->span[k].end, &lp) == 0 && lp > best) {
			best = lp;
			*ap = s->span[k].start;
			*bp = s->span[k].end;
		}
}

/*
 * 1 if the value the network would type, instruction tokens a..b, is a
 * reference to the page rather than a value: no candidate value of the
 * instruction (quoted, after a typing verb or a field's label, a shaped
 * chunk) overlaps it, and every content word of it is written on a mark
 * or its container ("give Ann Lee's post a like" names a post; typing
 * "Ann Lee" into the page's composer is not what was asked).  mb: the
 * featuriser's max_bag.
 */
static int
value_is_reference(const struct feat_step *s, const struct obs *o, int a,
    int b, int mb)
{
	struct feat_token *tk;
	size_t e;
	int i, k, words = 0, found;

	for (k = 0; k < s->nspan; k++)
		if (s->span[k].start <= b && s->span[k].end >= a)
			return 0;
	tk = xcalloc(256, sizeof(*tk));
	for (i = a, found = 1; i <= b && found; i++) {
		if (s->itok[i].flags & FEAT_TF_STOP)
			continue;
		words++;
		found = 0;
		for (e = 0; e < o->nmarks && !found; e++)
			if (!o->marks[e].editable)
				found = mark_has_token(s, (int)e, 0,
				    o->marks[e].text, i, mb, tk, 256) ||
				    mark_has_token(s, (int)e, FEAT_NBAGS - 1,
				    o->marks[e].ctx, i, mb, tk, 256);
	}
	free(tk);
	return words > 0 && found;
}

/*
 * Operation, span or option of mark row e (choice ch).  A value that is
 * a reference to the page is not typed: the mark is clicked instead and
 * *demote gets the share of typing, by which its probability shrinks.
 */
static int
choose_op(struct model *m, const struct feat_step *s, const struct obs *o,
    struct model_choice *ch, double *demote)
{
	const struct mark *mk = &o->marks[ch->row];
	nn_real probs[NN_NOPS];
	const nn_real *oprob;
	double lp;
	int r, i, best, no, a, b;

	if ((r = nn_op(m->run, s, ch->row, probs)) != 0)
		return r;
	/* Operations the element cannot take are out. */
	if (!mk->editable)
		probs[NN_OP_TYPE] = 0;
	if (mk->noptions == 0 || s->opt_off[ch->row + 1] ==
	    s->opt_off[ch->row])
		probs[NN_OP_SELECT] = 0;
	for (i = 1, best = 0; i < NN_NOPS; i++)
		if (probs[i] > probs[best])
			best = i;
	ch->op = best;
	ch->op_prob = (double)probs[best];
	*demote = 0;
	if (best == NN_OP_TYPE) {
		a = b = -1;
		if (s->T > 0 && nn_span(m->run, s, ch->row, &a, &b, &lp) != 0)
			a = -1;
		if (a >= 0 && value_is_reference(s, o, a, b,
		    (int)m->fc.max_bag))
			best_candidate(m, s, ch->row, &a, &b);
		if (a >= 0 && value_is_reference(s, o, a, b,
		    (int)m->fc.max_bag)) {
			*demote = (double)probs[NN_OP_TYPE];
			ch->op = NN_OP_CLICK;
			ch->op_prob = (double)probs[NN_OP_CLICK];
		} else if (a >= 0) {
			snap_to_value(s, &a, &b);
			snap_to_word(s, &a, &b);
			snap_to_quote(s, &a, &b);
			ch->span_start = a;
			ch->span_end = b;
			ch->value = feat_span_text(s, a, b);
		} else
			ch->value = xstrdup("");
	} else if (best == NN_OP_SELECT) {
		if ((r = nn_options(m->run, s, ch->row, &oprob, &no,
		    &i)) != 0)
			return r;
		ch->option = i;
		ch->value = xstrdup(i >= 0 && (size_t)i < mk->noptions ?
		    mk->options[i] : "");
	}
	return 0;
}

int
model_predict_step(struct model *m, const struct feat_step *s,
    const struct obs *o, struct model_pred *p, char **causep)
{
	const nn_real *sc;
	struct model_choice *ch;
	double mx = -HUGE_VAL, sum = 0, t0, demote;
	int M, e, i, j, r, resort = 0;
	int order[MODEL_TOP];

	if (causep != NULL)
		*causep = NULL;
	t0 = util_now_ms();
	mx = p->feat_ms;
	memset(p, 0, sizeof(*p));
	p->feat_ms = mx;
	mx = -HUGE_VAL;
	if ((r = nn_forward(m->run, s, &sc)) != 0) {
		if (causep != NULL)
			*causep = xasprintf("model: %s", err_str(r));
		return r;
	}
	M = s->N + FEAT_NPSEUDO;
	for (e = 0; e < M; e++)
		if (s->row_mask[e] && (double)sc[e] > mx)
			mx = (double)sc[e];
	for (e = 0; e < M; e++)
		if (s->row_mask[e])
			sum += exp((double)sc[e] - mx);
	/* The best MODEL_TOP allowed rows, ties to the lower row. */
	p->ntop = 0;
	for (e = 0; e < M; e++) {
		if (!s->row_mask[e])
			continue;
		if (p->ntop < MODEL_TOP)
			j = p->ntop++;
		else if (sc[e] > sc[order[MODEL_TOP - 1]])
			j = MODEL_TOP - 1;
		else
			continue;
		while (j > 0 && sc[order[j - 1]] < sc[e]) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = e;
	}
	for (i = 0; i < p->ntop; i++) {
		ch = &p->top[i];
		memset(ch, 0, sizeof(*ch));
		ch->row = order[i];
		ch->prob = exp((double)sc[order[i]] - mx) / sum;
		ch->option = -1;
		ch->span_start = ch->span_end = -1;
		if (order[i] < s->N) {
			ch->pseudo = -1;
			ch->mark_id = s->mark_id[order[i]];
			if ((r = choose_op(m, s, o, ch, &demote)) != 0) {
				if (causep != NULL)
					*causep = xasprintf("model: %s",
					    err_str(r));
				return r;
			}
			ch->prob *= 1 - demote;
			resort |= demote > 0;
		} else {
			ch->pseudo = order[i] - s->N;
			ch->op = -1;
			ch->op_prob = 1;
		}
	}
	/* Demoted choices sink below those now more likely. */
	for (i = 1; resort && i < p->ntop; i++) {
		struct model_choice t = p->top[i];

		for (j = i; j > 0 && p->top[j - 1].prob < t.prob; j--)
			p->top[j] = p->top[j - 1];
		p->top[j] = t;
	}
	p->nmarks = s->N;
	p->net_ms = util_now_ms() - t0;
	return 0;
}

int
model_predict(struct model *m, const char *instr,
    const struct feat_hist *hist, size_t nhist, const struct obs *o,
    const struct img *im, struct model_pred *p, char **causep)
{
	double t0;
	int r;

	memset(p, 0, sizeof(*p));
	if (causep != NULL)
		*causep = NULL;
	t0 = util_now_ms();
	feat_step_free(m->step);
	m->step = NULL;
	if ((r = feat_step_build(&m->fc, instr, hist, nhist, o, im, &m->step,
	    causep)) != 0)
		return r;
	p->feat_ms = util_now_ms() - t0;
	if ((r = model_predict_step(m, m->step, o, p, causep)) != 0) {
		model_pred_clear(p);
		return r;
	}
	return 0;
}

