/*
 * gym-train.c: the trainer (gym.h).
 *
 * Minibatches of samples, each featurised afresh (so field dropout can
 * blank a different text bag of a mark every epoch, and word dropout take
 * a different word out of the instruction), split across worker
 * threads that each run the network on their own workspace and gradient;
 * the gradients are summed in thread order and the main thread takes one
 * Adam step (lazy Adam for the hashed table) with linear warm-up and
 * linear decay.  Every random choice comes from the seed: the order of
 * samples (sorted by episode and step when loaded, then shuffled per
 * epoch), the augmentation of each sample, each thread's dropout stream.
 * Same data, seed and thread count: same weights.
 *
 * Samples flagged as held out (families or phrasings) are never trained
 * on; at the end of every epoch the step accuracy on them (mark, then
 * operation, then value span or option) is measured per family and
 * written to the curves with the training loss and accuracy.
 */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "err.h"
#include "xmalloc.h"
#include "util.h"
#include "observe.h"
#include "features.h"
#include "model.h"
#include "nn.h"
#include "gym.h"

#define TRAIN_MAX_THREADS	8
#define TRAIN_LOG_POINTS	25	/* curve points per epoch */

/* Fills p with the defaults. */
void
gym_train_default_params(struct gym_train_params *p)
{
	memset(p, 0, sizeof(*p));
	p->epochs = 6;
	p->batch = 32;
	p->threads = 2;
	p->seed = 1;
	p->lr = 2e-3;
	p->lr_emb = 1e-2;
	p->warmup = 300;
	p->final_lr = 0.1;
	p->dropout = 0.1;
	p->field_drop = 0.1;
	p->lex_drop = 0.1;
	p->word_drop = 0.2;
	p->syn_swap = 0.25;
	p->progress = 1;
}

/* The splitmix64 finaliser. */
static uint64_t
mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* A uniform double in [0, 1) from stream s. */
static double
rnd01(uint64_t *s)
{
	*s = mix64(*s);
	return (double)(*s >> 11) / 9007199254740992.0;
}

/* One worker's share of a minibatch or of an evaluation. */
struct job {
	const struct gym_data	*d;
	const struct feat_config *fc;
	const struct gym_train_params *p;
	struct nn_run		*run;
	struct nn_grad		*g;
	int			 train;	/* 0: evaluate */
	const size_t		*idx;
	size_t			 n;
	uint64_t		 aug;	/* augmentation seed of the epoch */
	pthread_t		 th;
	/* Results. */
	double			 loss;
	int			 correct;	/* mark right */
	int			 step_ok;	/* mark, op and value right */
	int			 fam_n[GYM_MAX_FAMILIES];
	int			 fam_ok[GYM_MAX_FAMILIES];
	int			 err;
	char			*cause;
};

/* Blanks one text bag of some marks (field dropout). */
static void
field_dropout(struct obs *o, double p, uint64_t *rs)
{
	struct mark *m;
	size_t i;
	double u;

	for (i = 0; i < o->nmarks; i++) {
		if (rnd01(rs) >= p)
			continue;
		m = &o->marks[i];
		u = rnd01(rs);
		if (u < 0.3) {
			m->text[0] = '\0';
		} else if (u < 0.6) {
			cJSON_Delete(m->attrs);
			m->attrs = cJSON_CreateObject();
		} else if (u < 0.85 || m->ctx == NULL)
			m->label[0] = '\0';
		else
			m->ctx[0] = '\0';
	}
}

/* 1 if bytes a..b of s overlap an occurrence of value v. */
static int
in_value(const char *s, size_t a, size_t b, const char *v)
{
	const char *p;
	size_t n;

	if (v == NULL || (n = strlen(v)) == 0)
		return 0;
	for (p = strstr(s, v); p != NULL; p = strstr(p + 1, v))
		if ((size_t)(p - s) < b && (size_t)(p - s) + n > a)
			return 1;
	return 0;
}

/* 1 if bytes a..b of the instruction overlap a value of s's gold. */
static int
in_any_value(const struct gym_sample *s, size_t a, size_t b)
{
	int j;

	if (in_value(s->instr, a, b, s->value))
		return 1;
	for (j = 1; j < NN_MAX_GOLD; j++)
		if (in_value(s->instr, a, b, s->alt_values[j]))
			return 1;
	return 0;
}

/*
 * Drops one word of the instruction that is not part of a value to
 * type or select (word dropout: the wording matters less).
 */
static void
word_dropout(struct gym_sample *s, uint64_t *rs)
{
	size_t a[64], b[64], n = 0, i, k, len = strlen(s->instr);

	for (i = 0; i < len && n < 64;) {
		while (i < len && s->instr[i] == ' ')
			i++;
		if (i >= len)
			break;
		k = i;
		while (i < len && s->instr[i] != ' ')
			i++;
		if (!in_any_value(s, k, i)) {
			a[n] = k;
			b[n++] = i;
		}
	}
	if (n < 3)
		return;
	k = (size_t)(rnd01(rs) * (double)n);
	if (k >= n)
		k = n - 1;
	/* Remove the word and the space after it. */
	i = b[k] < len ? b[k] + 1 : b[k];
	memmove(s->instr + a[k], s->instr + i, len - i + 1);
}

/*
 * Swaps one word of the instruction that is not part of a value for a
 * word of the same meaning (feat_synonym()): "Reject the cookies" for
 * "Decline the cookies".  The page keeps its own word, so the model
 * learns to find a control by a synonym as well as by its own word.
 */
static void
synonym_swap(struct gym_sample *s, uint64_t *rs)
{
	size_t a[64], b[64], n = 0, i, k, len = strlen(s->instr);
	char w[FEAT_TOK_MAX], mate[FEAT_TOK_MAX], *ni;
	int j;

	for (i = 0; i < len && n < 64;) {
		while (i < len && !isalpha((unsigned char)s->instr[i]))
			i++;
		for (k = i; i < len && isalpha((unsigned char)s->instr[i]); i++)
			;
		if (i == k || i - k >= sizeof(w))
			continue;
		for (j = 0; j < (int)(i - k); j++)
			w[j] = (char)tolower((unsigned char)s->instr[k + j]);
		w[i - k] = '\0';
		if (!in_any_value(s, k, i) &&
		    feat_synonym(w, 0, mate, sizeof(mate)) > 0) {
			a[n] = k;
			b[n++] = i;
		}
	}
	if (n == 0)
		return;
	k = (size_t)(rnd01(rs) * (double)n);
	if (k >= n)
		k = n - 1;
	for (i = a[k]; i < b[k]; i++)
		w[i - a[k]] = (char)tolower((unsigned char)s->instr[i]);
	w[b[k] - a[k]] = '\0';
	if (feat_synonym(w, rnd01(rs), mate, sizeof(mate)) == 0)
		return;
	if (isupper((unsigned char)s->instr[a[k]]))
		mate[0] = (char)toupper((unsigned char)mate[0]);
	ni = xasprintf("%.*s%s%s", (int)a[k], s->instr, mate, s->instr + b[k]);
	free(s->instr);
	s->instr = ni;
}

/* Zeroes the lexical block of some marks (lexical dropout). */
static void
lex_dropout(struct feat_step *st, double p, uint64_t *rs)
{
	int e, j;

	for (e = 0; e < st->N; e++) {
		if (rnd01(rs) >= p)
			continue;
		for (j = 0; j < FEAT_NLEX; j++)
			st->dense[(size_t)e * FEAT_NDENSE + j] = 0;
	}
}

/*
 * 1 if the network's whole answer on st is right: the best row is a gold
 * row, and for a mark the operation (as model.c chooses it) and the
 * value that row wants (vals, parallel to y->gold): the copied span or
 * the chosen option.
 */
static int
step_right(struct nn_run *r, const struct feat_step *st,
    const struct nn_label *y, const char *const *vals, const struct obs *o,
    int *elemp)
{
	const nn_real *sc, *op;
	nn_real probs[NN_NOPS];
	const struct mark *mk;
	int e, best = -1, i, k, g = -1, a, b, no, bo, ok;
	double lp;
	char *txt;

	*elemp = 0;
	if (nn_forward(r, st, &sc) != 0)
		return 0;
	for (e = 0; e < st->N + FEAT_NPSEUDO; e++)
		if (st->row_mask[e] && (best < 0 || sc[e] > sc[best]))
			best = e;
	for (i = 0; i < y->ngold; i++)
		if (y->gold[i] == best)
			g = i;
	if (g < 0)
		return 0;
	*elemp = 1;
	if (best >= st->N)
		return 1;
	if (nn_op(r, st, best, probs) != 0)
		return 0;
	mk = &o->marks[best];
	if (!mk->editable)
		probs[NN_OP_TYPE] = 0;
	if (mk->noptions == 0 || st->opt_off[best + 1] == st->opt_off[best])
		probs[NN_OP_SELECT] = 0;
	for (i = 1, k = 0; i < NN_NOPS; i++)
		if (probs[i] > probs[k])
			k = i;
	if (y->op >= 0 && k != y->op)
		return 0;
	if (k == NN_OP_TYPE) {
		if (vals[g] == NULL || st->T == 0 || nn_span(r, st, best, &a,
		    &b, &lp) != 0 || a < 0)
			return 0;
		txt = feat_span_text(st, a, b);
		ok = strcmp(txt, vals[g]) == 0;
		free(txt);
		return ok;
	}
	if (k == NN_OP_SELECT) {
		if (vals[g] == NULL || nn_options(r, st, best, &op, &no,
		    &bo) != 0 || bo < 0 || (size_t)bo >= mk->noptions)
			return 0;
		return strcasecmp(mk->options[bo], vals[g]) == 0;
	}
	return 1;
}

/* Runs one worker's share: forward and backward, or evaluation. */
static void *
job_main(void *arg)
{
	struct job *j = arg;
	struct gym_sample s;
	struct feat_step *st;
	struct nn_label y;
	struct nn_losses L;
	const char *vals[NN_MAX_GOLD];
	uint64_t rs;
	size_t i;
	int r, elem, fam;

	for (i = 0; i < j->n; i++) {
		if ((r = gym_data_get(j->d, j->idx[i], &s)) != 0) {
			j->err = r;
			j->cause = xasprintf("sample %zu: cannot decode",
			    j->idx[i]);
			return NULL;
		}
		rs = mix64(j->aug ^ mix64(j->idx[i] + 1));
		if (j->train && j->p->field_drop > 0)
			field_dropout(s.obs, j->p->field_drop, &rs);
		if (j->train && j->p->word_drop > 0 && rnd01(&rs) <
		    j->p->word_drop)
			word_dropout(&s, &rs);
		if (j->train && j->p->syn_swap > 0 && rnd01(&rs) <
		    j->p->syn_swap)
			synonym_swap(&s, &rs);
		if ((r = gym_sample_features(j->fc, &s, &st, &y, vals,
		    &j->cause)) != 0) {
			gym_sample_clear(&s);
			j->err = r;
			return NULL;
		}
		fam = s.family < GYM_MAX_FAMILIES ? s.family : 0;
		if (y.ngold == 0) {
			/* Gold not among the featurised marks: skip. */
		} else if (j->train) {
			if (j->p->lex_drop > 0)
				lex_dropout(st, j->p->lex_drop, &rs);
			if ((r = nn_loss(j->run, st, &y, NULL, j->g,
			    &L)) != 0) {
				j->err = r;
				j->cause = xasprintf("sample %zu: %s",
				    j->idx[i], err_str(r));
			} else {
				j->loss += L.total;
				j->correct += L.correct;
			}
		} else {
			r = step_right(j->run, st, &y, vals, s.obs, &elem);
			j->step_ok += r;
			j->correct += elem;
			j->fam_n[fam]++;
			j->fam_ok[fam] += r;
		}
		feat_step_free(st);
		gym_sample_clear(&s);
		if (j->err != 0)
			return NULL;
	}
	return NULL;
}

/* Runs jobs[0..n) (job 0 on this thread); the first error wins. */
static int
run_jobs(struct job *jobs, int n, char **causep)
{
	int t, started = 0, r = 0;

	for (t = 1; t < n; t++) {
		if (pthread_create(&jobs[t].th, NULL, job_main, &jobs[t]) != 0)
			break;
		started = t;
	}
	job_main(&jobs[0]);
	/* A thread that could not start: run its share here. */
	for (t = started + 1; t < n; t++)
		job_main(&jobs[t]);
	for (t = 1; t <= started; t++)
		pthread_join(jobs[t].th, NULL);
	for (t = 0; t < n; t++)
		if (jobs[t].err != 0 && r == 0) {
			r = jobs[t].err;
			if (causep != NULL) {
				*causep = jobs[t].cause;
				jobs[t].cause = NULL;
			}
		}
	for (t = 0; t < n; t++) {
		free(jobs[t].cause);
		jobs[t].cause = NULL;
	}
	return r;
}

/* Splits idx[0..n) into nt contiguous shares. */
static void
split_jobs(struct job *jobs, int nt, const size_t *idx, size_t n)
{
	size_t per = (n + (size_t)nt - 1) / (size_t)nt, a = 0;
	int t;

	for (t = 0; t < nt; t++) {
		jobs[t].idx = idx + a;
		jobs[t].n = a < n ? (n - a < per ? n - a : per) : 0;
		a += jobs[t].n;
		jobs[t].loss = 0;
		jobs[t].correct = jobs[t].step_ok = 0;
		memset(jobs[t].fam_n, 0, sizeof(jobs[t].fam_n));
		memset(jobs[t].fam_ok, 0, sizeof(jobs[t].fam_ok));
	}
}

/* Validation figures of one evaluation. */
struct val {
	double	fam_acc, phr_acc;	/* step accuracy */
	double	fam_elem, phr_elem;	/* mark accuracy */
	int	n_fam, n_phr;
	int	per_n[GYM_MAX_FAMILIES], per_ok[GYM_MAX_FAMILIES];
};

/* Step accuracy on the held-out families and phrasings. */
static int
evaluate(struct job *jobs, int nt, const size_t *fam_idx, size_t nfam,
    const size_t *phr_idx, size_t nphr, struct val *v, char **causep)
{
	int t, f, r, ok, el;

	memset(v, 0, sizeof(*v));
	for (t = 0; t < nt; t++)
		jobs[t].train = 0;
	split_jobs(jobs, nt, fam_idx, nfam);
	if ((r = run_jobs(jobs, nt, causep)) != 0)
		return r;
	for (t = 0, ok = el = 0; t < nt; t++) {
		ok += jobs[t].step_ok;
		el += jobs[t].correct;
		for (f = 0; f < GYM_MAX_FAMILIES; f++) {
			v->per_n[f] += jobs[t].fam_n[f];
			v->per_ok[f] += jobs[t].fam_ok[f];
		}
	}
	v->n_fam = (int)nfam;
	v->fam_acc = nfam ? (double)ok / (double)nfam : 0;
	v->fam_elem = nfam ? (double)el / (double)nfam : 0;
	split_jobs(jobs, nt, phr_idx, nphr);
	if ((r = run_jobs(jobs, nt, causep)) != 0)
		return r;
	for (t = 0, ok = el = 0; t < nt; t++) {
		ok += jobs[t].step_ok;
		el += jobs[t].correct;
		for (f = 0; f < GYM_MAX_FAMILIES; f++) {
			v->per_n[f] += jobs[t].fam_n[f];
			v->per_ok[f] += jobs[t].fam_ok[f];
		}
	}
	v->n_phr = (int)nphr;
	v->phr_acc = nphr ? (double)ok / (double)nphr : 0;
	v->phr_elem = nphr ? (double)el / (double)nphr : 0;
	return 0;
}

/* Draws the progress bar (terminal) or a line now and then. */
static void
progress(int tty, int epoch, int epochs, size_t done, size_t total,
    double loss, double acc, double rate, int *lastpct)
{
	char cells[31];
	int i, fill, pct = total ? (int)(100 * done / total) : 100;

	if (tty) {
		fill = total ? (int)(30 * done / total) : 30;
		for (i = 0; i < 30; i++)
			cells[i] = i < fill ? '#' : '.';
		cells[30] = '\0';
		fprintf(stderr, "\r\033[Kepoch %d/%d [%s] %3d%% loss %.4f "
		    "acc %.3f %5.0f steps/s", epoch, epochs, cells, pct, loss,
		    acc, rate);
	} else if (pct / 25 != *lastpct / 25 || done == total) {
		fprintf(stderr, "epoch %d/%d %3d%% loss %.4f acc %.3f "
		    "%.0f steps/s\n", epoch, epochs, pct, loss, acc, rate);
	}
	*lastpct = pct;
	fflush(stderr);
}

/*
 * Writes the CSV header: fixed columns, then one per family.  Rows come
 * every 1/TRAIN_LOG_POINTS of an epoch (running training loss and mark
 * accuracy) and at the end of each epoch (the epoch's means and the
 * held-out step accuracies).
 */
static void
csv_header(FILE *f)
{
	size_t i;

	fprintf(f, "epoch,update,samples,lr,train_loss,train_acc,"
	    "epoch_loss,epoch_acc,val_family_acc,val_phrase_acc,"
	    "val_family_elem,val_phrase_elem");
	for (i = 0; i < gym_nfamilies; i++)
		fprintf(f, ",val_%s", gym_families[i].name);
	fputc('\n', f);
}

/* Trains m on the training samples of d. */
int
gym_train(struct model *m, const struct gym_data *d,
    const struct gym_train_params *p, struct gym_train_result *res,
    char **causep)
{
	struct job jobs[TRAIN_MAX_THREADS];
	struct nn_adam_params ap;
	struct nn_adam *adam = NULL;
	struct nn *net = model_nn(m);
	struct val v;
	FILE *csv = NULL;
	size_t *tr = NULL, *vf = NULL, *vp = NULL, ntr = 0, nvf = 0, nvp = 0;
	size_t i, k, b, n = gym_data_count(d), tmp, logevery, nb;
	uint64_t rs;
	double lr_mult, t0 = util_now_s(), tb, eloss, rloss = 0, racc = 0;
	double rate = 0;
	long upd = 0, total_upd;
	int nt, t, ep, r = ERR_INTERNAL, ecorr, rn = 0, tty, lastpct = -1;
	int flags;
	char *cause = NULL;

	memset(res, 0, sizeof(*res));
	memset(jobs, 0, sizeof(jobs));
	if (causep != NULL)
		*causep = NULL;
	nt = p->threads < 1 ? 1 : p->threads > TRAIN_MAX_THREADS ?
	    TRAIN_MAX_THREADS : p->threads;
	tr = xcalloc(n ? n : 1, sizeof(*tr));
	vf = xcalloc(n ? n : 1, sizeof(*vf));
	vp = xcalloc(n ? n : 1, sizeof(*vp));
	for (i = 0; i < n; i++) {
		flags = gym_data_flags(d, i);
		if (flags & GYM_F_HELD_FAMILY)
			vf[nvf++] = i;
		else if (flags & GYM_F_HELD_PHRASE)
			vp[nvp++] = i;
		else
			tr[ntr++] = i;
	}
	if (ntr == 0) {
		cause = xstrdup("no training samples");
		r = ERR_INVALID;
		goto out;
	}
	res->ntrain = ntr;
	res->nval = nvf + nvp;
	for (t = 0; t < nt; t++) {
		jobs[t].d = d;
		jobs[t].fc = model_feat_config(m);
		jobs[t].p = p;
		jobs[t].run = t == 0 ? model_run(m) : nn_run_new(net);
		jobs[t].g = nn_grad_new(net);
		if (jobs[t].run == NULL || jobs[t].g == NULL) {
			cause = xstrdup("out of memory");
			r = ERR_NOMEM;
			goto out;
		}
		nn_run_set_dropout(jobs[t].run, p->dropout,
		    mix64(p->seed * 31 + (uint64_t)t));
	}
	nn_adam_default(&ap);
	ap.lr = p->lr;
	ap.lr_emb = p->lr_emb;
	if ((adam = nn_adam_new(net, &ap)) == NULL) {
		cause = xstrdup("out of memory");
		r = ERR_NOMEM;
		goto out;
	}
	if (p->curves != NULL) {
		if ((csv = fopen(p->curves, p->append ? "a" : "w")) == NULL) {
			cause = xasprintf("%s: cannot create", p->curves);
			r = ERR_IO;
			goto out;
		}
		if (!p->append)
			csv_header(csv);
	}
	nb = (size_t)(p->batch < 1 ? 1 : p->batch);
	total_upd = (long)p->epochs * (long)((ntr + nb - 1) / nb);
	logevery = (ntr + nb - 1) / nb / TRAIN_LOG_POINTS;
	if (logevery < 1)
		logevery = 1;
	tty = p->progress && isatty(STDERR_FILENO);
	for (ep = 1; ep <= p->epochs; ep++) {
		/* Shuffle the training samples (Fisher-Yates, seeded). */
		rs = mix64(p->seed * 1000003 + (uint64_t)ep);
		for (i = ntr - 1; i > 0; i--) {
			k = (size_t)(rnd01(&rs) * (double)(i + 1));
			if (k > i)
				k = i;
			tmp = tr[i];
			tr[i] = tr[k];
			tr[k] = tmp;
		}
		eloss = 0;
		ecorr = 0;
		tb = util_now_s();
		for (b = 0; b < ntr; b += nb) {
			if (p->cancel != NULL && *p->cancel) {
				cause = xstrdup("interrupted");
				r = ERR_CANCELLED;
				goto out;
			}
			k = ntr - b < nb ? ntr - b : nb;
			for (t = 0; t < nt; t++) {
				jobs[t].aug = mix64(p->seed ^ ((uint64_t)ep <<
				    32));
				jobs[t].train = 1;
				nn_grad_zero(jobs[t].g);
			}
			split_jobs(jobs, nt, tr + b, k);
			if ((r = run_jobs(jobs, nt, &cause)) != 0)
				goto out;
			for (t = 1; t < nt; t++)
				nn_grad_add(jobs[0].g, jobs[t].g);
			upd++;
			lr_mult = upd <= p->warmup ? (double)upd /
			    (double)(p->warmup > 0 ? p->warmup : 1) :
			    1.0 - (1.0 - p->final_lr) * (double)(upd -
			    p->warmup) / (double)(total_upd > p->warmup ?
			    total_upd - p->warmup : 1);
			if (lr_mult < p->final_lr && upd > p->warmup)
				lr_mult = p->final_lr;
			nn_adam_step(adam, net, jobs[0].g, 1.0 / (double)k,
			    lr_mult);
			for (t = 0; t < nt; t++) {
				eloss += jobs[t].loss;
				ecorr += jobs[t].correct;
				rloss += jobs[t].loss;
				racc += jobs[t].correct;
			}
			rn += (int)k;
			rate = (double)(b + k) / (util_now_s() - tb + 1e-9);
			if (p->progress)
				progress(tty, ep, p->epochs, b + k, ntr,
				    eloss / (double)(b + k),
				    (double)ecorr / (double)(b + k), rate,
				    &lastpct);
			if (csv != NULL && upd % (long)logevery == 0) {
				fprintf(csv, "%d,%ld,%zu,%.6g,%.5f,%.4f,,,,,,",
				    p->epoch0 + ep, p->update0 + upd,
				    (size_t)(p->update0 + upd) * nb,
				    p->lr * lr_mult,
				    rloss / rn, racc / rn);
				for (i = 0; i < gym_nfamilies; i++)
					fputc(',', csv);
				fputc('\n', csv);
				rloss = racc = 0;
				rn = 0;
			}
		}
		if (tty)
			fputc('\n', stderr);
		res->train_loss = eloss / (double)ntr;
		res->train_acc = (double)ecorr / (double)ntr;
		if ((r = evaluate(jobs, nt, vf, nvf, vp, nvp, &v,
		    &cause)) != 0)
			goto out;
		res->val_acc_family = v.fam_acc;
		res->val_acc_phrase = v.phr_acc;
		if (p->progress) {
			fprintf(stderr, "epoch %d: train loss %.4f, mark "
			    "accuracy %.3f; held-out step accuracy: families "
			    "%.3f (%d), phrasings %.3f (%d); %.0f s\n", ep,
			    res->train_loss, res->train_acc, v.fam_acc,
			    v.n_fam, v.phr_acc, v.n_phr, util_now_s() - t0);
			for (i = 0; i < gym_nfamilies; i++)
				if (v.per_n[i] > 0)
					fprintf(stderr, "  %-8s %s %.3f (%d)\n",
					    gym_families[i].name,
					    gym_families[i].heldout ?
					    "family " : "phrases",
					    (double)v.per_ok[i] / v.per_n[i],
					    v.per_n[i]);
		}
		if (csv != NULL) {
			fprintf(csv, "%d,%ld,%zu,%.6g,,,%.5f,%.4f,%.4f,%.4f,"
			    "%.4f,%.4f", p->epoch0 + ep, p->update0 + upd,
			    (size_t)(p->update0 + upd) * nb,
			    p->lr * lr_mult, res->train_loss, res->train_acc,
			    v.fam_acc, v.phr_acc, v.fam_elem, v.phr_elem);
			for (i = 0; i < gym_nfamilies; i++) {
				if (v.per_n[i] > 0)
					fprintf(csv, ",%.4f",
					    (double)v.per_ok[i] / v.per_n[i]);
				else
					fputc(',', csv);
			}
			fputc('\n', csv);
			fflush(csv);
		}
	}
	r = 0;
out:
	res->updates = upd;
	res->seconds = util_now_s() - t0;
	if (csv != NULL && fclose(csv) != 0 && r == 0) {
		cause = xasprintf("%s: write error", p->curves);
		r = ERR_IO;
	}
	if (r == 0 && p->curves != NULL && p->plot != NULL)
		r = gym_plot(p->curves, p->plot, &cause);
	for (t = 0; t < nt; t++) {
		if (t > 0)
			nn_run_free(jobs[t].run);
		nn_grad_free(jobs[t].g);
	}
	nn_adam_free(adam);
	free(tr);
	free(vf);
	free(vp);
	if (causep != NULL)
		*causep = cause;
	else
		free(cause);
	return r;
}

/* "[role] text" of mark id of o, or the pseudo-mark's name. */
static void
describe(const struct obs *o, int gold, char *buf, size_t len)
{
	const struct mark *m;

	if (gold == GYM_GOLD_DONE)
		snprintf(buf, len, "DONE");
	else if (gold == GYM_GOLD_UP)
		snprintf(buf, len, "SCROLL up");
	else if (gold == GYM_GOLD_DOWN)
		snprintf(buf, len, "SCROLL down");
	else if ((m = obs_mark(o, gold)) != NULL)
		snprintf(buf, len, "[%d %s \"%.40s\"]", m->id, m->role[0] ?
		    m->role : m->tag, m->text[0] ? m->text : m->label);
	else
		snprintf(buf, len, "[%d ?]", gold);
}

/* Prints the samples m gets wrong, then accuracy per family. */
int
gym_eval_print(struct model *m, const struct gym_data *d, int flags,
    FILE *out, char **causep)
{
	static const char *const ops[] = { "CLICK", "TYPE", "SELECT" };
	struct gym_sample s;
	struct feat_step *st;
	struct nn_label y;
	struct model_pred pr;
	const struct model_choice *c;
	const char *vals[NN_MAX_GOLD];
	char g[96], p[96];
	size_t i;
	int r, k, f, right, fam_n[GYM_MAX_FAMILIES] = { 0 };
	int fam_ok[GYM_MAX_FAMILIES] = { 0 };

	if (causep != NULL)
		*causep = NULL;
	for (i = 0; i < gym_data_count(d); i++) {
		f = gym_data_flags(d, i) & (GYM_F_HELD_FAMILY |
		    GYM_F_HELD_PHRASE);
		if (flags >= 0 && f != flags && !(f & flags))
			continue;
		if ((r = gym_data_get(d, i, &s)) != 0)
			return r;
		if ((r = gym_sample_features(model_feat_config(m), &s, &st,
		    &y, vals, causep)) != 0) {
			gym_sample_clear(&s);
			return r;
		}
		if ((r = model_predict_step(m, st, s.obs, &pr, causep)) != 0) {
			feat_step_free(st);
			gym_sample_clear(&s);
			return r;
		}
		c = &pr.top[0];
		right = 0;
		for (k = 0; k < y.ngold; k++)
			if (y.gold[k] == c->row) {
				right = 1;
				break;
			}
		if (right && c->pseudo < 0 && y.op >= 0 && c->op != y.op)
			right = 0;
		if (right && c->pseudo < 0 && vals[k] != NULL &&
		    (c->value == NULL || (c->op == NN_OP_SELECT ?
		    strcasecmp(c->value, vals[k]) : strcmp(c->value,
		    vals[k])) != 0))
			right = 0;
		fam_n[s.family % GYM_MAX_FAMILIES]++;
		fam_ok[s.family % GYM_MAX_FAMILIES] += right;
		if (!right) {
			describe(s.obs, s.gold[0], g, sizeof(g));
			fprintf(out, "%u/%u %s %s \"%s\"\n  gold %s", s.episode,
			    s.step, gym_families[s.family % gym_nfamilies].name,
			    s.tpl, s.instr, g);
			if (s.op >= 0 && s.op < 3)
				fprintf(out, " %s", ops[s.op]);
			if (s.value != NULL)
				fprintf(out, " \"%s\"", s.value);
			fputc('\n', out);
			for (k = 0; k < pr.ntop && k < 3; k++) {
				c = &pr.top[k];
				describe(s.obs, c->pseudo >= 0 ?
				    -1 - c->pseudo : c->mark_id, p, sizeof(p));
				fprintf(out, "  %.2f %s", c->prob, p);
				if (c->pseudo < 0 && c->op >= 0 && c->op < 3)
					fprintf(out, " %s", ops[c->op]);
				if (c->value != NULL)
					fprintf(out, " \"%s\"", c->value);
				fputc('\n', out);
			}
			if (s.nhist > 0)
				fprintf(out, "  last: %s\n",
				    s.hist[s.nhist - 1].desc);
		}
		model_pred_clear(&pr);
		feat_step_free(st);
		gym_sample_clear(&s);
	}
	for (k = 0; k < (int)gym_nfamilies; k++)
		if (fam_n[k] > 0)
			fprintf(out, "%-8s %.3f (%d)\n", gym_families[k].name,
			    (double)fam_ok[k] / fam_n[k], fam_n[k]);
	return 0;
}
