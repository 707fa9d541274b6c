/*
 * test-model-grad.c: finite-difference gradient check of every layer and
 * of the whole loss of the network, built in double precision
 * (-DNN_DOUBLE) with tiny sizes.
 *
 * Central differences with eps 1e-5; an analytic gradient g and a
 * numeric one n agree when |g - n| / max(|g|, |n|, 1e-4) < 1e-6 (below
 * 1e-4 that is an absolute error under 1e-10).
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "features.h"
#include "layers.h"
#include "nn.h"
#include "tap.h"

#ifndef NN_DOUBLE
#error "the gradient check is built with -DNN_DOUBLE"
#endif

#define EPS	1e-5
#define TOL	1e-6
#define FLOOR	1e-4

static uint64_t rng = 12345;

static double
urand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) * 0x1p-53;
}

/* Uniform in [-a, a]. */
static double
sym(double a)
{
	return (2 * urand() - 1) * a;
}

static void
fill(double *p, size_t n, double a)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = sym(a);
}

static int
is_zero(double x)
{
	return fpclassify(x) == FP_ZERO;
}

static double
relerr(double a, double n)
{
	double d = fabs(a) > fabs(n) ? fabs(a) : fabs(n);

	return fabs(a - n) / (d > FLOOR ? d : FLOOR);
}

/* Worst relative error of analytic grad g against f's differences on x. */
typedef double (*lossfn)(void *);

static double
check_vec(double *x, const double *g, size_t n, lossfn f, void *arg)
{
	double worst = 0, save, lp, lm, e;
	size_t i;

	for (i = 0; i < n; i++) {
		save = x[i];
		x[i] = save + EPS;
		lp = f(arg);
		x[i] = save - EPS;
		lm = f(arg);
		x[i] = save;
		e = relerr(g[i], (lp - lm) / (2 * EPS));
		if (e > worst)
			worst = e;
	}
	return worst;
}

/* ---------------------------------------------------------------------- */
/* Layers, each against a random linear read-out sum(R * out).            */

enum { LN = 3, LIN = 4, LOUT = 5, LT = 6, LD = 4 };

struct lay {
	double	X[LN * LIN], W[LOUT * LIN], b[LOUT], Y[LN * LOUT];
	double	R[LT * 3 * LD];	/* the largest read-out */
	double	V[LT * LD], X3[LT * 3 * LD];
	double	Q[LN * LD], H[LT * LD], P[LN * LT], C[LN * LD];
	double	s[8];
	unsigned char mask[8], gold[8];
	int	which;
};

static double
dot(const double *a, const double *b, size_t n)
{
	double s = 0;
	size_t i;

	for (i = 0; i < n; i++)
		s += a[i] * b[i];
	return s;
}

static double
loss_linear(void *arg)
{
	struct lay *L = arg;

	nn_linear_fwd(LN, LIN, LOUT, L->X, LIN, L->W, L->b, L->Y, LOUT);
	if (L->which == 1)
		nn_relu_fwd(LN, LOUT, L->Y, LOUT);
	else if (L->which == 2)
		nn_tanh_fwd(LN, LOUT, L->Y, LOUT);
	return dot(L->R, L->Y, LN * LOUT);
}

static void
test_linear(int which, const char *name)
{
	struct lay L;
	double dY[LN * LOUT], dX[LN * LIN], dW[LOUT * LIN], db[LOUT];

	memset(&L, 0, sizeof(L));
	L.which = which;
	fill(L.X, LN * LIN, 1);
	fill(L.W, LOUT * LIN, 1);
	fill(L.b, LOUT, 0.5);
	fill(L.R, LN * LOUT, 1);
	(void)loss_linear(&L);
	memcpy(dY, L.R, sizeof(dY));
	if (which == 1)
		nn_relu_bwd(LN, LOUT, L.Y, LOUT, dY, LOUT);
	else if (which == 2)
		nn_tanh_bwd(LN, LOUT, L.Y, LOUT, dY, LOUT);
	memset(dX, 0, sizeof(dX));
	memset(dW, 0, sizeof(dW));
	memset(db, 0, sizeof(db));
	nn_linear_bwd(LN, LIN, LOUT, L.X, LIN, L.W, dY, LOUT, dW, db, dX, LIN);
	ok(check_vec(L.X, dX, LN * LIN, loss_linear, &L) < TOL,
	    "%s: input gradient", name);
	ok(check_vec(L.W, dW, LOUT * LIN, loss_linear, &L) < TOL,
	    "%s: weight gradient", name);
	ok(check_vec(L.b, db, LOUT, loss_linear, &L) < TOL,
	    "%s: bias gradient", name);
}

static double
loss_conv(void *arg)
{
	struct lay *L = arg;

	nn_conv3_cols(LT, LD, L->V, L->X3);
	return dot(L->R, L->X3, LT * 3 * LD);
}

static void
test_conv(void)
{
	struct lay L;
	double dV[LT * LD];

	memset(&L, 0, sizeof(L));
	fill(L.V, LT * LD, 1);
	fill(L.R, LT * 3 * LD, 1);
	memset(dV, 0, sizeof(dV));
	nn_conv3_cols_bwd(LT, LD, L.R, dV);
	ok(check_vec(L.V, dV, LT * LD, loss_conv, &L) < TOL,
	    "conv3 columns: input gradient (zero padding at both ends)");
}

static double
loss_softmax(void *arg)
{
	struct lay *L = arg;

	memcpy(L->P, L->X3, sizeof(L->P));
	nn_softmax_rows(LN, LT, L->P, LT, L->mask);
	return dot(L->R, L->P, LN * LT);
}

static void
test_softmax(void)
{
	struct lay L;
	double dX[LN * LT];
	int i;

	memset(&L, 0, sizeof(L));
	fill(L.X3, LN * LT, 2);
	fill(L.R, LN * LT, 1);
	for (i = 0; i < LT; i++)
		L.mask[i] = i != 2;	/* one column masked */
	(void)loss_softmax(&L);
	ok(is_zero(L.P[2]) && is_zero(L.P[LT + 2]), "masked column gets probability 0");
	nn_softmax_bwd(LN, LT, L.P, LT, L.R, LT, dX, LT);
	ok(check_vec(L.X3, dX, LN * LT, loss_softmax, &L) < TOL,
	    "masked softmax: input gradient");
}

static double
loss_attn(void *arg)
{
	struct lay *L = arg;

	nn_attn_fwd(LN, LT, LD, 0.5, L->Q, L->H, L->P, L->C);
	return dot(L->R, L->C, LN * LD);
}

static void
test_attn(void)
{
	struct lay L;
	double dQ[LN * LD], dH[LT * LD], tmp[LN * LT];

	memset(&L, 0, sizeof(L));
	fill(L.Q, LN * LD, 1);
	fill(L.H, LT * LD, 1);
	fill(L.R, LN * LD, 1);
	(void)loss_attn(&L);
	memset(dQ, 0, sizeof(dQ));
	memset(dH, 0, sizeof(dH));
	nn_attn_bwd(LN, LT, LD, 0.5, L.Q, L.H, L.P, L.R, dQ, dH, tmp);
	ok(check_vec(L.Q, dQ, LN * LD, loss_attn, &L) < TOL,
	    "attention: query gradient");
	ok(check_vec(L.H, dH, LT * LD, loss_attn, &L) < TOL,
	    "attention: key/value gradient");
}

static double
loss_ce(void *arg)
{
	struct lay *L = arg;

	return nn_listwise_ce(8, L->s, L->mask, L->gold, 0.7, NULL);
}

static void
test_ce(void)
{
	struct lay L;
	double ds[8], l;
	int i;

	memset(&L, 0, sizeof(L));
	fill(L.s, 8, 2);
	for (i = 0; i < 8; i++)
		L.mask[i] = i != 5 && i != 6;
	L.gold[1] = L.gold[3] = 1;	/* two positives */
	L.gold[6] = 1;			/* a masked positive: ignored */
	l = nn_listwise_ce(8, L.s, L.mask, L.gold, 0.7, ds);
	ok(l > 0, "listwise CE positive (%g)", l);
	ok(is_zero(ds[5]) && is_zero(ds[6]), "no gradient on masked entries");
	ok(check_vec(L.s, ds, 8, loss_ce, &L) < TOL,
	    "listwise CE, two positives, masks: score gradient");
	/* A pointer (one positive) is the same function. */
	memset(L.gold, 0, sizeof(L.gold));
	L.gold[4] = 1;
	(void)nn_listwise_ce(8, L.s, NULL, L.gold, 0.7, ds);
	memset(L.mask, 1, sizeof(L.mask));
	ok(check_vec(L.s, ds, 8, loss_ce, &L) < TOL,
	    "pointer CE (one positive): score gradient");
	memset(L.gold, 0, sizeof(L.gold));
	for (i = 0; i < 8; i++)
		L.mask[i] = i != 4;
	L.gold[4] = 1;
	ok(is_zero(nn_listwise_ce(8, L.s, L.mask, L.gold, 1, ds)) &&
	    is_zero(ds[0]), "no allowed positive: zero loss and gradient");
}

struct embt {
	double		table[16 * 3];
	double		out[3], R[3];
	uint32_t	ids[5];
};

static double
loss_emb(void *arg)
{
	struct embt *E = arg;

	memset(E->out, 0, sizeof(E->out));
	nn_emb_gather(3, E->table, E->ids, 5, 0.25, E->out);
	return dot(E->R, E->out, 3);
}

static void
test_emb(void)
{
	struct embt E;
	struct nn_sparse sp;
	uint32_t ids[5] = { 3, 7, 3, 11, 0 };
	size_t i;

	fill(E.table, 16 * 3, 1);
	fill(E.R, 3, 1);
	memcpy(E.ids, ids, sizeof(ids));
	ok(nn_sparse_init(&sp, 16, 3) == 0, "sparse gradient buffer");
	nn_emb_scatter(&sp, E.ids, 5, 0.25, E.R);
	is_int(sp.ntouched, 4, "four distinct rows touched");
	ok(sp.touched[0] == 3 && sp.touched[1] == 7 && sp.touched[2] == 11 &&
	    sp.touched[3] == 0, "touched rows in first-touch order");
	ok(check_vec(E.table, sp.grad, 16 * 3, loss_emb, &E) < TOL,
	    "embedding bag: sparse row gradients (repeated row summed)");
	nn_sparse_clear(&sp);
	for (i = 0; i < 16 * 3; i++)
		if (!is_zero(sp.grad[i]))
			break;
	ok(i == 16 * 3 && sp.ntouched == 0, "clear zeroes touched rows");
	nn_sparse_free(&sp);
}

/* ---------------------------------------------------------------------- */
/* The whole network.                                                     */

struct net {
	struct nn		*n;
	struct nn_run		*r;
	struct feat_step	*s;
	struct nn_label		 y;
};

static double
loss_net(void *arg)
{
	struct net *X = arg;
	struct nn_losses L;

	if (nn_loss(X->r, X->s, &X->y, NULL, NULL, &L) != 0)
		return (double)NAN;
	return L.total;
}

/* A hand-built step: 6 tokens, 8 unique tokens, 3 marks, options. */
static struct feat_step *
tiny_step(void)
{
	static struct feat_token itok[6];
	static int itok_u[6] = { 0, 1, 2, 3, 1, 4 };
	static uint32_t ibigram[6] = { FEAT_NONE, 5, 9, FEAT_NONE, 2, 14 };
	static float itokf[6 * FEAT_NTOKF];
	static struct feat_span span[2] = { { 1, 3, FEAT_SPAN_QUOTE },
	    { 5, 5, FEAT_SPAN_SHAPE } };
	static uint64_t ukey[8];
	static uint32_t uword[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	static uint32_t ushape[8] = { FEAT_NONE, FEAT_NONE, 10, FEAT_NONE,
	    FEAT_NONE, 12, FEAT_NONE, FEAT_NONE };
	static int ung_off[9] = { 0, 2, 3, 3, 5, 6, 8, 9, 10 };
	static uint32_t ung[10] = { 11, 12, 13, 14, 15, 0, 9, 10, 3, 11 };
	static int mark_id[3] = { 1, 2, 3 };
	/* text, attrs, label, container of each mark; then option bags. */
	static int bag_off[13] = { 0, 2, 3, 3, 4, 5, 7, 8, 8, 9, 9, 10, 11 };
	static int bag[16] = { 5, 6, 0, 3, 1, 2, 3, 7, 4, 1, 6,
	    6, 7, 5, 5, 2 };
	static uint32_t cat[9] = { 0, 1, 2, 1, 3, 0, 2, 2, 3 };
	static float dense[3 * FEAT_NDENSE];
	static unsigned char row_mask[6] = { 1, 1, 1, 1, 0, 1 };
	static int opt_off[4] = { 0, 0, 0, 3 };
	static int obag_off[4] = { 11, 13, 14, 16 };
	static float optlex[3 * FEAT_NOPTLEX];
	static int hbag[2] = { 7, 2 };
	static struct feat_step s;
	int i;

	for (i = 0; i < 6 * FEAT_NTOKF; i++)
		itokf[i] = (float)sym(1);
	for (i = 0; i < 3 * FEAT_NDENSE; i++)
		dense[i] = (float)sym(1);
	for (i = 0; i < 3 * FEAT_NOPTLEX; i++)
		optlex[i] = (float)sym(1);
	memset(&s, 0, sizeof(s));
	s.T = 6;
	s.instr = (char *)(uintptr_t)"click the big red button now";
	s.itok = itok;
	s.itok_u = itok_u;
	s.ibigram = ibigram;
	s.itokf = itokf;
	s.span = span;
	s.nspan = 2;
	s.U = 8;
	s.ukey = ukey;
	s.uword = uword;
	s.ushape = ushape;
	s.ung_off = ung_off;
	s.ung = ung;
	s.N = 3;
	s.mark_id = mark_id;
	s.bag_off = bag_off;
	s.bag = bag;
	s.nbag = 16;
	s.cat = cat;
	s.dense = dense;
	s.row_mask = row_mask;
	s.opt_off = opt_off;
	s.nopt = 3;
	s.obag_off = obag_off;
	s.optlex = optlex;
	s.hbag = hbag;
	s.nh = 2;
	for (i = 0; i < FEAT_NSTEP; i++)
		s.stepf[i] = (float)sym(1);
	return &s;
}

static void
tiny_config(struct nn_config *c)
{
	nn_default_config(c);
	c->d = 4;
	c->hash_rows = 16;
	c->cat_rows = 4;
	c->type_rows = 4;
	c->dtag = 2;
	c->drole = 3;
	c->dtype = 2;
	c->dh = 5;
	c->du = 5;
	c->ds1 = 5;
	c->ds2 = 4;
	c->dg = 4;
	c->dop = 5;
	c->dsp = 4;
	c->dlen = 3;
	c->span_max = 4;
	c->dopt = 4;
}

/* Checks ~20 entries of every tensor; returns the worst error. */
static void
check_all(struct net *X, struct nn_grad *g, const char *what)
{
	struct nn_tensor t;
	struct nn_losses L;
	double worst, e, save, lp, lm, *gd;
	size_t i, cnt, k, pick, nz;
	int r;

	nn_grad_zero(g);
	r = nn_loss(X->r, X->s, &X->y, NULL, g, &L);
	is_int(r, 0, "%s: loss and backward", what);
	ok(isfinite(L.total) && L.total > 0, "%s: loss %g", what, L.total);
	for (i = 0; i < nn_ntensors(X->n); i++) {
		(void)nn_tensor(X->n, i, &t);
		gd = nn_grad_data(g, i);
		cnt = (size_t)t.rows * t.cols;
		worst = 0;
		nz = 0;
		for (k = 0; k < cnt; k++)
			if (!is_zero(gd[k]))
				nz++;
		for (k = 0; k < 20 && k < cnt; k++) {
			pick = cnt <= 20 ? k : (size_t)(urand() * (double)cnt);
			if (pick >= cnt)
				pick = cnt - 1;
			save = t.data[pick];
			t.data[pick] = save + EPS;
			lp = loss_net(X);
			t.data[pick] = save - EPS;
			lm = loss_net(X);
			t.data[pick] = save;
			e = relerr(gd[pick], (lp - lm) / (2 * EPS));
			if (e > worst)
				worst = e;
		}
		/* Every nonzero entry of the sparse table, too. */
		if (t.sparse)
			for (k = 0; k < cnt; k++) {
				if (is_zero(gd[k]))
					continue;
				save = t.data[k];
				t.data[k] = save + EPS;
				lp = loss_net(X);
				t.data[k] = save - EPS;
				lm = loss_net(X);
				t.data[k] = save;
				e = relerr(gd[k], (lp - lm) / (2 * EPS));
				if (e > worst)
					worst = e;
			}
		ok(worst < TOL, "%s: %s [%dx%d] (%zu nonzero, worst %.2g)",
		    what, t.name, t.rows, t.cols, nz, worst);
	}
}

/*
 * The mark encoder's weights have one column per input of a mark's row
 * (every bag, tag, role, type and every dense feature), and each column
 * gets a gradient: no input is dropped or overwritten by the next row.
 */
static void
check_encoder_input(struct net *X, struct nn_grad *g,
    const struct nn_config *c)
{
	struct nn_tensor t;
	double *gd;
	size_t i, want, col, row, dead = 0;
	int nz;

	want = FEAT_NBAGS * c->d + c->dtag + c->drole + c->dtype + c->ndense;
	for (i = 0; i < nn_ntensors(X->n); i++) {
		(void)nn_tensor(X->n, i, &t);
		if (strcmp(t.name, "enc.w") == 0)
			break;
	}
	ok(i < nn_ntensors(X->n), "encoder weights enc.w exist");
	if (i == nn_ntensors(X->n))
		return;
	is_int((long)t.cols, (long)want, "enc.w: %zu inputs per mark "
	    "(%d bags of %u, tag, role, type, %u dense)", want, FEAT_NBAGS,
	    c->d, c->ndense);
	gd = nn_grad_data(g, i);
	for (col = 0; col < (size_t)t.cols; col++) {
		nz = 0;
		for (row = 0; row < (size_t)t.rows; row++)
			if (!is_zero(gd[row * (size_t)t.cols + col]))
				nz = 1;
		dead += !nz;
	}
	is_int((long)dead, 0, "every encoder input gets a gradient");
}

/*
 * nn_span_logp() gives the best span nn_span() finds its log-probability,
 * and the probabilities of all spans a mark can take sum to 1.
 */
static void
check_span_logp(struct net *X, int e)
{
	const nn_real *sc;
	double lp, best, sum = 0;
	int a, b, bad = 0, r;

	r = nn_forward(X->r, X->s, &sc);
	is_int(r, 0, "span logp: forward");
	r = nn_span(X->r, X->s, e, &a, &b, &best);
	is_int(r, 0, "span logp: best span %d..%d", a, b);
	r = nn_span_logp(X->r, X->s, e, a, b, &lp);
	ok(r == 0 && fabs(lp - best) < 1e-9, "span logp: the best span's "
	    "(%g, %g)", lp, best);
	for (a = 0; a < X->s->T; a++)
		for (b = a; b < X->s->T; b++) {
			if (nn_span_logp(X->r, X->s, e, a, b, &lp) != 0)
				bad++;
			else if (lp > -HUGE_VAL)
				sum += exp(lp);
		}
	ok(bad == 0 && fabs(sum - 1) < 1e-9, "span logp: all spans sum to "
	    "1 (%.12f)", sum);
	ok(nn_span_logp(X->r, X->s, e, 2, 1, &lp) == ERR_INVALID &&
	    nn_span_logp(X->r, X->s, e, 0, X->s->T, &lp) == ERR_INVALID &&
	    nn_span_logp(X->r, X->s, X->s->N, 0, 0, &lp) == ERR_INVALID,
	    "span logp: bad spans and rows refused");
}

/* The gradient of tensor name has a nonzero entry. */
static int
has_grad(struct net *X, struct nn_grad *g, const char *name)
{
	struct nn_tensor t;
	double *gd;
	size_t i, k;

	for (i = 0; i < nn_ntensors(X->n); i++) {
		(void)nn_tensor(X->n, i, &t);
		if (strcmp(t.name, name) != 0)
			continue;
		gd = nn_grad_data(g, i);
		for (k = 0; k < (size_t)t.rows * t.cols; k++)
			if (!is_zero(gd[k]))
				return 1;
	}
	return 0;
}

static void
test_network(void)
{
	struct nn_config c;
	struct nn_tensor t;
	struct net X;
	struct nn_grad *g;
	char *cause = NULL;
	size_t i, k;
	int r;

	tiny_config(&c);
	memset(&X, 0, sizeof(X));
	r = nn_new(&c, 7, &X.n, &cause);
	is_int(r, 0, "tiny network (%s)", cause ? cause : "ok");
	if (r != 0)
		return;
	/*
	 * Every weight random, biases included: zero biases on rows whose
	 * inputs are all dead put a ReLU exactly on its kink.
	 */
	for (i = 0; i < nn_ntensors(X.n); i++) {
		(void)nn_tensor(X.n, i, &t);
		fill(t.data, (size_t)t.rows * t.cols, 0.6);
		/*
		 * Mark encodings alive: a mark whose units are all dead gives
		 * the span head's projection no gradient, whatever the seed.
		 */
		if (strcmp(t.name, "enc.b") == 0)
			for (k = 0; k < (size_t)t.rows; k++)
				t.data[k] = 0.5 + fabs(t.data[k]);
	}
	X.r = nn_run_new(X.n);
	X.s = tiny_step();
	g = nn_grad_new(X.n);
	ok(g != NULL, "gradient buffers");

	/* TYPE into mark 1 (gold also mark 0: two positives), a span. */
	memset(&X.y, 0, sizeof(X.y));
	X.y.ngold = 3;
	X.y.gold[0] = 1;
	X.y.gold[1] = 0;
	X.y.gold[2] = 3 + FEAT_PSEUDO_UP;	/* masked: ignored */
	X.y.op = NN_OP_TYPE;
	X.y.span_start = 1;
	X.y.span_end = 3;
	X.y.option = -1;
	check_all(&X, g, "type+span");
	check_encoder_input(&X, g, &c);
	check_span_logp(&X, 1);
	ok(has_grad(&X, g, "st1.w") && has_grad(&X, g, "en1.w") &&
	    has_grad(&X, g, "span.len") && has_grad(&X, g, "span.p"),
	    "type+span: span head gradients present");
	ok(!has_grad(&X, g, "opt1.w"), "type+span: option scorer untouched");

	/* SELECT on mark 2, option 1. */
	X.y.ngold = 1;
	X.y.gold[0] = 2;
	X.y.op = NN_OP_SELECT;
	X.y.span_start = X.y.span_end = -1;
	X.y.option = 1;
	check_all(&X, g, "select+option");
	ok(has_grad(&X, g, "opt1.w") && has_grad(&X, g, "oq.w"),
	    "select+option: option scorer gradients present");

	/* DONE: a pseudo-mark only. */
	X.y.ngold = 1;
	X.y.gold[0] = 3 + FEAT_PSEUDO_DONE;
	X.y.op = -1;
	X.y.option = -1;
	check_all(&X, g, "done");
	ok(has_grad(&X, g, "pseudo.u") && !has_grad(&X, g, "op1.w"),
	    "done: pseudo-mark gradients, no op head");

	/* An empty instruction and no marks still work. */
	X.s->T = 0;
	X.s->N = 0;
	X.s->nh = 0;
	X.s->opt_off[0] = 0;
	X.y.gold[0] = 0 + FEAT_PSEUDO_DOWN;
	check_all(&X, g, "empty");

	nn_grad_free(g);
	nn_run_free(X.r);
	nn_free(X.n);
}

int
main(void)
{
	test_linear(0, "linear");
	test_linear(1, "linear+relu");
	test_linear(2, "linear+tanh");
	test_conv();
	test_softmax();
	test_attn();
	test_ce();
	test_emb();
	test_network();
	return done_testing();
}
