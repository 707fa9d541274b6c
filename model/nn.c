/*
 * nn.c: the mark ranker network: parameters, forward pass, heads, loss,
 * manual backward pass and Adam (lazy for the hashed table).
 *
 * One step at a time: the rows of a step (its marks and three
 * pseudo-marks) go through each layer as one matrix, so every product is
 * a single gemm.  All loops run in a fixed order, so a given seed, data
 * and thread count give bit-identical weights.
 *
 * nn_forward() takes cheaper paths to the same scores (to float
 * rounding) than the training pass, which must keep every layer's input
 * for its backward: the mark encoder multiplies each distinct token,
 * tag, role and type row once instead of each mark's mean rows when
 * that is fewer rows (enc_infer()), dense feature columns that are zero
 * on every mark are left out of the products, and BLAS adds to outputs
 * that start as the bias.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "xmalloc.h"
#include "features.h"
#include "layers.h"
#include "nn.h"

/* Parameter tensors. */
enum {
	P_EMB, P_TAG, P_ROLE, P_TYPE,
	P_CONV_W, P_CONV_B, P_ENC_W, P_ENC_B, P_Q_W, P_Q_B,
	P_SC1_W, P_SC1_B, P_SC2_W, P_SC2_B, P_SC3_W, P_SC3_B,
	P_GLOB_W, P_GLOB_B, P_PSEUDO_U, P_PSEUDO_W,
	P_OP1_W, P_OP1_B, P_OP2_W, P_OP2_B,
	P_SPAN_P, P_ST1_W, P_ST1_B, P_ST2_W, P_ST2_B,
	P_EN1_W, P_EN1_B, P_EN2_W, P_EN2_B, P_LEN,
	P_OQ_W, P_OQ_B, P_OPT1_W, P_OPT1_B, P_OPT2_W, P_OPT2_B,
	P_N
};

static const char *const nn_pname[P_N] = {
	"emb", "tag", "role", "type",
	"conv.w", "conv.b", "enc.w", "enc.b", "q.w", "q.b",
	"sc1.w", "sc1.b", "sc2.w", "sc2.b", "sc3.w", "sc3.b",
	"glob.w", "glob.b", "pseudo.u", "pseudo.w",
	"op1.w", "op1.b", "op2.w", "op2.b",
	"span.p", "st1.w", "st1.b", "st2.w", "st2.b",
	"en1.w", "en1.b", "en2.w", "en2.b", "span.len",
	"oq.w", "oq.b", "opt1.w", "opt1.b", "opt2.w", "opt2.b"
};

/* How a tensor is initialised. */
enum { I_ZERO, I_EMB, I_FANIN, I_OUT };

struct nn {
	struct nn_config c;
	int		 rows[P_N], cols[P_N];
	int		 init[P_N];
	size_t		 off[P_N];	/* into dense; P_EMB unused */
	nn_real		*emb;		/* [hash_rows x d] */
	nn_real		*dense;		/* [ndense] every other tensor */
	size_t		 ndense;
	/* Derived widths. */
	int		 din;		/* mark encoder input */
	int		 dz;		/* scorer input */
	int		 dgin;		/* global input */
	int		 dst, den;	/* span start / end inputs */
	int		 doin;		/* option scorer input */
};

#define PW(n, k)	((k) == P_EMB ? (n)->emb : (n)->dense + (n)->off[k])

struct nn_grad {
	const struct nn	*net;
	nn_real		*dense;		/* [net->ndense] */
	struct nn_sparse emb;		/* [hash_rows x d], sparse */
};

#define GW(g, k)	((g)->dense + (g)->net->off[k])

/* ---------------------------------------------------------------------- */
/* Random numbers.                                                        */

static uint64_t
splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double
rnd01(uint64_t *s)
{
	return (double)(splitmix64(s) >> 11) * 0x1p-53;
}

/* ---------------------------------------------------------------------- */
/* Configuration and parameters.                                          */

void
nn_default_config(struct nn_config *c)
{
	memset(c, 0, sizeof(*c));
	c->d = 64;
	c->hash_rows = 1u << 16;
	c->cat_rows = 1u << 8;
	c->type_rows = 1u << 6;
	c->dtag = 16;
	c->drole = 16;
	c->dtype = 8;
	c->dh = 64;
	c->du = 64;
	c->ds1 = 64;
	c->ds2 = 32;
	c->dg = 64;
	c->dop = 64;
	c->dsp = 32;
	c->dlen = 8;
	c->span_max = 12;
	c->dopt = 64;
	c->nlex = FEAT_NLEX;
	c->ndense = FEAT_NDENSE;
	c->nstep = FEAT_NSTEP;
	c->ntokf = FEAT_NTOKF;
	c->noptlex = FEAT_NOPTLEX;
}

int
nn_check_config(const struct nn_config *c, char **causep)
{
	const char *bad = NULL;

	if (c->d < 1 || c->d > 1024)
		bad = "d";
	else if (c->hash_rows < 2 || c->hash_rows > (1u << 24))
		bad = "hash_rows";
	else if (c->cat_rows < 1 || c->cat_rows > 65536 ||
	    c->type_rows < 1 || c->type_rows > 65536)
		bad = "cat_rows";
	else if (c->dtag < 1 || c->dtag > 256 || c->drole < 1 ||
	    c->drole > 256 || c->dtype < 1 || c->dtype > 256)
		bad = "dtag";
	else if (c->dh < 1 || c->dh > 1024 || c->du < 1 || c->du > 4096 ||
	    c->ds1 < 1 || c->ds1 > 4096 || c->ds2 < 1 || c->ds2 > 4096 ||
	    c->dg < 1 || c->dg > 4096 || c->dop < 1 || c->dop > 4096 ||
	    c->dsp < 1 || c->dsp > 4096 || c->dopt < 1 || c->dopt > 4096 ||
	    c->dlen < 1 || c->dlen > 256)
		bad = "hidden width";
	else if (c->span_max < 1 || c->span_max > 64)
		bad = "span_max";
	else if (c->nlex != FEAT_NLEX || c->ndense != FEAT_NDENSE ||
	    c->nstep != FEAT_NSTEP || c->ntokf != FEAT_NTOKF ||
	    c->noptlex != FEAT_NOPTLEX)
		bad = "feature widths (featuriser version)";
	if (bad == NULL)
		return 0;
	if (causep != NULL)
		*causep = xasprintf("network configuration: bad %s", bad);
	return ERR_INVALID;
}

/* Shapes and initialisers of every tensor. */
static void
nn_layout(struct nn *n)
{
	const struct nn_config *c = &n->c;
	size_t off = 0;
	int k;

#define SHAPE(k, r, cl, in) do {					\
	n->rows[k] = (int)(r);						\
	n->cols[k] = (int)(cl);						\
	n->init[k] = (in);						\
} while (0)
	n->din = (int)(FEAT_NBAGS * c->d + c->dtag + c->drole + c->dtype +
	    c->ndense);
	n->dz = (int)(c->du + 2 * c->dh + c->nlex);
	n->dgin = (int)(2 * c->du + c->dh + c->d + c->nstep);
	n->dst = (int)(2 * c->dh + c->ntokf);
	n->den = (int)(3 * c->dh + c->ntokf + c->dlen);
	n->doin = (int)(c->d + c->dh + c->noptlex);
	SHAPE(P_EMB, c->hash_rows, c->d, I_EMB);
	SHAPE(P_TAG, c->cat_rows, c->dtag, I_EMB);
	SHAPE(P_ROLE, c->cat_rows, c->drole, I_EMB);
	SHAPE(P_TYPE, c->type_rows, c->dtype, I_EMB);
	SHAPE(P_CONV_W, c->dh, 3 * c->d, I_FANIN);
	SHAPE(P_CONV_B, c->dh, 1, I_ZERO);
	SHAPE(P_ENC_W, c->du, n->din, I_FANIN);
	SHAPE(P_ENC_B, c->du, 1, I_ZERO);
	SHAPE(P_Q_W, c->dh, c->du, I_FANIN);
	SHAPE(P_Q_B, c->dh, 1, I_ZERO);
	SHAPE(P_SC1_W, c->ds1, n->dz, I_FANIN);
	SHAPE(P_SC1_B, c->ds1, 1, I_ZERO);
	SHAPE(P_SC2_W, c->ds2, c->ds1, I_FANIN);
	SHAPE(P_SC2_B, c->ds2, 1, I_ZERO);
	SHAPE(P_SC3_W, 1, c->ds2, I_OUT);
	SHAPE(P_SC3_B, 1, 1, I_ZERO);
	SHAPE(P_GLOB_W, c->dg, n->dgin, I_FANIN);
	SHAPE(P_GLOB_B, c->dg, 1, I_ZERO);
	SHAPE(P_PSEUDO_U, FEAT_NPSEUDO, c->du, I_EMB);
	SHAPE(P_PSEUDO_W, c->du, c->dg, I_FANIN);
	SHAPE(P_OP1_W, c->dop, c->du + c->dg, I_FANIN);
	SHAPE(P_OP1_B, c->dop, 1, I_ZERO);
	SHAPE(P_OP2_W, NN_NOPS, c->dop, I_OUT);
	SHAPE(P_OP2_B, NN_NOPS, 1, I_ZERO);
	SHAPE(P_SPAN_P, c->dh, c->du, I_FANIN);
	SHAPE(P_ST1_W, c->dsp, n->dst, I_FANIN);
	SHAPE(P_ST1_B, c->dsp, 1, I_ZERO);
	SHAPE(P_ST2_W, 1, c->dsp, I_OUT);
	SHAPE(P_ST2_B, 1, 1, I_ZERO);
	SHAPE(P_EN1_W, c->dsp, n->den, I_FANIN);
	SHAPE(P_EN1_B, c->dsp, 1, I_ZERO);
	SHAPE(P_EN2_W, 1, c->dsp, I_OUT);
	SHAPE(P_EN2_B, 1, 1, I_ZERO);
	SHAPE(P_LEN, c->span_max, c->dlen, I_EMB);
	SHAPE(P_OQ_W, c->dh, c->d, I_FANIN);
	SHAPE(P_OQ_B, c->dh, 1, I_ZERO);
	SHAPE(P_OPT1_W, c->dopt, n->doin, I_FANIN);
	SHAPE(P_OPT1_B, c->dopt, 1, I_ZERO);
	SHAPE(P_OPT2_W, 1, c->dopt, I_OUT);
	SHAPE(P_OPT2_B, 1, 1, I_ZERO);
#undef SHAPE
	for (k = 0; k < P_N; k++) {
		if (k == P_EMB)
			continue;
		n->off[k] = off;
		/* 16-element alignment keeps rows vector-friendly. */
		off += ((size_t)n->rows[k] * n->cols[k] + 15) / 16 * 16;
	}
	n->ndense = off;
}

/* Fills tensor k from stream seed (one stream per tensor). */
static void
nn_init_tensor(struct nn *n, int k, uint64_t seed)
{
	nn_real *p = PW(n, k);
	size_t cnt = (size_t)n->rows[k] * n->cols[k], i;
	uint64_t s = seed ^ (0x51afd7ed558ccd1dull * (uint64_t)(k + 1));
	double a;

	switch (n->init[k]) {
	case I_EMB:
		a = 0.1;
		break;
	case I_FANIN:
		a = sqrt(6.0 / n->cols[k]);
		break;
	case I_OUT:
		a = sqrt(3.0 / n->cols[k]);
		break;
	default:
		a = 0;
		break;
	}
	for (i = 0; i < cnt; i++)
		p[i] = n->init[k] == I_ZERO ? 0 :
		    (nn_real)((2 * rnd01(&s) - 1) * a);
}

/* Allocates a network of shape c, all zero. */
static int
nn_alloc(const struct nn_config *c, struct nn **np, char **causep)
{
	struct nn *n;
	int r;

	*np = NULL;
	if (causep != NULL)
		*causep = NULL;
	if ((r = nn_check_config(c, causep)) != 0)
		return r;
	n = xcalloc(1, sizeof(*n));
	n->c = *c;
	nn_layout(n);
	n->emb = calloc((size_t)c->hash_rows * c->d, sizeof(nn_real));
	n->dense = calloc(n->ndense, sizeof(nn_real));
	if (n->emb == NULL || n->dense == NULL) {
		nn_free(n);
		return ERR_NOMEM;
	}
	*np = n;
	return 0;
}

int
nn_new_zero(const struct nn_config *c, struct nn **np, char **causep)
{
	return nn_alloc(c, np, causep);
}

int
nn_new(const struct nn_config *c, uint64_t seed, struct nn **np,
    char **causep)
{
	int k, r;

	if ((r = nn_alloc(c, np, causep)) != 0)
		return r;
	for (k = 0; k < P_N; k++)
		nn_init_tensor(*np, k, seed);
	return 0;
}

void
nn_free(struct nn *n)
{
	if (n == NULL)
		return;
	free(n->emb);
	free(n->dense);
	free(n);
}

const struct nn_config *
nn_get_config(const struct nn *n)
{
	return &n->c;
}

size_t
nn_ntensors(const struct nn *n)
{
	(void)n;
	return P_N;
}

int
nn_tensor(struct nn *n, size_t i, struct nn_tensor *t)
{
	if (i >= P_N)
		return ERR_NOTFOUND;
	t->name = nn_pname[i];
	t->rows = n->rows[i];
	t->cols = n->cols[i];
	t->data = PW(n, (int)i);
	t->sparse = i == P_EMB;
	t->decay = n->init[i] == I_FANIN || n->init[i] == I_OUT;
	return 0;
}

size_t
nn_nparams(const struct nn *n)
{
	size_t s = 0;
	int k;

	for (k = 0; k < P_N; k++)
		s += (size_t)n->rows[k] * n->cols[k];
	return s;
}

static uint64_t
fnv_bytes(uint64_t h, const void *p, size_t len)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= b[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

uint64_t
nn_checksum(const struct nn *n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	int k;

	for (k = 0; k < P_N; k++)
		h = fnv_bytes(h, PW(n, k), (size_t)n->rows[k] * n->cols[k] *
		    sizeof(nn_real));
	return h;
}

/* ---------------------------------------------------------------------- */
/* Workspace.                                                             */

/*
 * Buffers of one step: T instruction tokens, M = N + 3 rows, U unique
 * tokens, O options of one select, L = span_max end positions.
 */
struct nn_run {
	const struct nn	*net;
	double		 dropout;
	uint64_t	 rng;
	int		 train;		/* grad buffers laid out */
	/* Capacities the block was laid out for. */
	int		 capT, capM, capU, capO;
	nn_real		*block;
	int		*argmax;	/* [du] max-pool winners */
	/*
	 * Mark encoder at inference (enc_infer()): the slot of each unique
	 * token and of each tag, role and type row in the step (-1: none;
	 * reset after use), and the list of those met.
	 */
	int		*tslot;		/* [capU] */
	int		*cslot;		/* [2 cat_rows + type_rows] */
	int		*ilist;		/* [max(capU, capM)] */
	int		*crow;		/* [capM x FEAT_NCAT] rows of yb */
	int		*brow;		/* [capB] rows of yb of bag entries */
	int		 capB;
	/*
	 * Dense features that are zero on every mark of the step add
	 * nothing to a product: their columns are left out (of x_e and
	 * We, of the scorer's lex block and W1).
	 */
	int		 nzc[FEAT_NDENSE];	/* nonzero columns */
	int		 nnz, nnzlex;	/* their number; of those < nlex */
	nn_real		*wpk;	/* [max(du ndense, ds1 dz)] packed weights */

	/* Forward. */
	nn_real	*tv;	/* [U x d] token vectors */
	nn_real	*v;	/* [T x d] instruction inputs */
	nn_real	*x3;	/* [T x 3d] conv columns */
	nn_real	*h;	/* [T x dh] instruction encoding */
	nn_real	*hb;	/* [d] history bag */
	nn_real	*xe;	/* [M x din] mark encoder input */
	nn_real	*u;	/* [M x du] mark vectors (marks, pseudo) */
	nn_real	*drop;	/* [M x du] dropout scale (training) */
	nn_real	*gin;	/* [dgin] global input */
	nn_real	*g;	/* [dg] global vector */
	nn_real	*wpg;	/* [du] Wp g */
	nn_real	*k;	/* [M x dh] attention queries */
	nn_real	*p;	/* [M x T] attention weights */
	nn_real	*c;	/* [M x dh] attention contexts */
	nn_real	*z;	/* [M x dz] scorer input */
	nn_real	*s1;	/* [M x ds1] */
	nn_real	*s2;	/* [M x ds2] */
	nn_real	*s;	/* [M] scores */
	nn_real	*sout;	/* [M] scores with masked rows -inf */
	nn_real	*oin;	/* [du + dg] op head input */
	nn_real	*o1;	/* [dop] */
	nn_real	*ol;	/* [3] op logits */
	nn_real	*pu;	/* [dh] P u_e */
	nn_real	*stin;	/* [T x dst] span start input */
	nn_real	*st1;	/* [T x dsp] */
	nn_real	*stl;	/* [T] start logits */
	nn_real	*enin;	/* [L x den] span end input */
	nn_real	*en1;	/* [L x dsp] */
	nn_real	*enl;	/* [L] end logits */
	nn_real	*ov;	/* [O x d] option bags */
	nn_real	*oq;	/* [O x dh] option queries */
	nn_real	*op;	/* [O x T] option attention */
	nn_real	*oc;	/* [O x dh] option contexts */
	nn_real	*ooin;	/* [O x doin] option scorer input */
	nn_real	*oo1;	/* [O x dopt] */
	nn_real	*ool;	/* [O] option logits, then probabilities */
	/*
	 * Span head at inference, by parts: those that do not depend on
	 * the mark are computed once per step (span_parts()).
	 */
	int	 span_ok;	/* the parts below are of the last forward */
	nn_real	*ftk;	/* [T x ntokf] token features */
	nn_real	*sa;	/* [T x dsp] start: h and features parts + bias */
	nn_real	*ea;	/* [T x dsp] end: h_j and features parts + bias */
	nn_real	*ec;	/* [T x dsp] end: h_a part */
	nn_real	*el;	/* [L x dsp] end: length part */
	nn_real	*hpu;	/* [T x dh] h * P u_e */
	nn_real	*sb;	/* [T x dsp] start: h * P u_e part */
	nn_real	*eb;	/* [T x dsp] end: h * P u_e part */
	nn_real	*tb;	/* [max(U, M) x max(d, dtag, drole, dtype)] gathered
			   rows */
	nn_real	*yb;	/* [(FEAT_NBAGS + FEAT_NCAT) M x du] their products
			   with We */

	/* Backward (train only). */
	nn_real	*dtv;	/* [U x d] */
	nn_real	*dv;	/* [T x d] */
	nn_real	*dx3;	/* [T x 3d] */
	nn_real	*dh;	/* [T x dh] */
	nn_real	*dhb;	/* [d] */
	nn_real	*dxe;	/* [M x din] */
	nn_real	*du;	/* [M x du] */
	nn_real	*dgin;	/* [dgin] */
	nn_real	*dg;	/* [dg] */
	nn_real	*dk;	/* [M x dh] */
	nn_real	*dc;	/* [M x dh] */
	nn_real	*dz;	/* [M x dz] */
	nn_real	*ds1;	/* [M x ds1] */
	nn_real	*ds2;	/* [M x ds2] */
	nn_real	*ds;	/* [M] */
	nn_real	*tmp;	/* [max(M, O) x T] attention scratch */
	nn_real	*doin;	/* [du + dg] */
	nn_real	*do1;	/* [dop] */
	nn_real	*dol;	/* [3] */
	nn_real	*dpu;	/* [dh] */
	nn_real	*dpre;	/* [du] pseudo-row pre-activation */
	nn_real	*dstin;	/* [T x dst] */
	nn_real	*dst1;	/* [T x dsp] */
	nn_real	*dstl;	/* [T] */
	nn_real	*denin;	/* [L x den] */
	nn_real	*den1;	/* [L x dsp] */
	nn_real	*denl;	/* [L] */
	nn_real	*dov;	/* [O x d] */
	nn_real	*doq;	/* [O x dh] */
	nn_real	*doc;	/* [O x dh] */
	nn_real	*dooin;	/* [O x doin] */
	nn_real	*doo1;	/* [O x dopt] */
	nn_real	*dool;	/* [O] */
	unsigned char *gold;	/* [M] */
};

struct nn_run *
nn_run_new(const struct nn *n)
{
	struct nn_run *r;
	size_t nc = 2 * (size_t)n->c.cat_rows + n->c.type_rows, i;

	r = xcalloc(1, sizeof(*r));
	r->net = n;
	r->argmax = xcalloc(n->c.du, sizeof(int));
	r->cslot = xcalloc(nc, sizeof(int));
	for (i = 0; i < nc; i++)
		r->cslot[i] = -1;
	i = (size_t)n->c.du * n->c.ndense;
	if ((size_t)n->c.ds1 * n->dz > i)
		i = (size_t)n->c.ds1 * n->dz;
	r->wpk = xcalloc(i, sizeof(nn_real));
	return r;
}

void
nn_run_free(struct nn_run *r)
{
	if (r == NULL)
		return;
	free(r->block);
	free(r->argmax);
	free(r->gold);
	free(r->tslot);
	free(r->cslot);
	free(r->ilist);
	free(r->crow);
	free(r->brow);
	free(r->wpk);
	free(r);
}

void
nn_run_set_dropout(struct nn_run *r, double p, uint64_t seed)
{
	r->dropout = p < 0 ? 0 : p > 0.9 ? 0.9 : p;
	r->rng = seed;
}

/*
 * Lays out the buffers for T tokens, M rows, U unique tokens, O options
 * (capacities grow by doubling); ERR_NOMEM leaves r usable.
 */
static int
run_reserve(struct nn_run *r, int T, int M, int U, int O, int train)
{
	const struct nn *n = r->net;
	const struct nn_config *c = &n->c;
	size_t total, off;
	nn_real *blk;
	int L = (int)c->span_max, MO, UM, pass, i;
	size_t dt;

	if (T <= r->capT && M <= r->capM && U <= r->capU && O <= r->capO &&
	    (r->train || !train) && r->block != NULL)
		return 0;
	T = T > r->capT ? (T > 2 * r->capT ? T : 2 * r->capT) : r->capT;
	M = M > r->capM ? (M > 2 * r->capM ? M : 2 * r->capM) : r->capM;
	U = U > r->capU ? (U > 2 * r->capU ? U : 2 * r->capU) : r->capU;
	O = O > r->capO ? (O > 2 * r->capO ? O : 2 * r->capO) : r->capO;
	if (T < 1)
		T = 1;
	if (O < 1)
		O = 1;
	if (U < 1)
		U = 1;
	train = train || r->train;
	MO = M > O ? M : O;
	UM = U > M ? U : M;
	dt = c->d;
	if (c->dtag > dt)
		dt = c->dtag;
	if (c->drole > dt)
		dt = c->drole;
	if (c->dtype > dt)
		dt = c->dtype;
	blk = NULL;
	total = 0;
	/* Two passes: count, then assign. */
	for (pass = 0; pass < 2; pass++) {
		off = 0;
#define B(f, cnt) do {							\
	if (pass == 1)							\
		r->f = blk + off;					\
	off += ((size_t)(cnt) + 7) / 8 * 8;				\
} while (0)
		B(tv, (size_t)U * c->d);
		B(v, (size_t)T * c->d);
		B(x3, (size_t)T * 3 * c->d);
		B(h, (size_t)T * c->dh);
		B(hb, c->d);
		B(xe, (size_t)M * n->din);
		B(u, (size_t)M * c->du);
		B(drop, (size_t)M * c->du);
		B(gin, n->dgin);
		B(g, c->dg);
		B(wpg, c->du);
		B(k, (size_t)M * c->dh);
		B(p, (size_t)M * T);
		B(c, (size_t)M * c->dh);
		B(z, (size_t)M * n->dz);
		B(s1, (size_t)M * c->ds1);
		B(s2, (size_t)M * c->ds2);
		B(s, M);
		B(sout, M);
		B(oin, c->du + c->dg);
		B(o1, c->dop);
		B(ol, NN_NOPS);
		B(pu, c->dh);
		B(stin, (size_t)T * n->dst);
		B(st1, (size_t)T * c->dsp);
		B(stl, T);
		B(enin, (size_t)L * n->den);
		B(en1, (size_t)L * c->dsp);
		B(enl, L);
		B(ov, (size_t)O * c->d);
		B(oq, (size_t)O * c->dh);
		B(op, (size_t)O * T);
		B(oc, (size_t)O * c->dh);
		B(ooin, (size_t)O * n->doin);
		B(oo1, (size_t)O * c->dopt);
		B(ool, O);
		B(ftk, (size_t)T * c->ntokf);
		B(sa, (size_t)T * c->dsp);
		B(ea, (size_t)T * c->dsp);
		B(ec, (size_t)T * c->dsp);
		B(el, (size_t)L * c->dsp);
		B(hpu, (size_t)T * c->dh);
		B(sb, (size_t)T * c->dsp);
		B(eb, (size_t)T * c->dsp);
		B(tb, (size_t)UM * dt);
		B(yb, (size_t)(FEAT_NBAGS + FEAT_NCAT) * M * c->du);
		if (train) {
			B(dtv, (size_t)U * c->d);
			B(dv, (size_t)T * c->d);
			B(dx3, (size_t)T * 3 * c->d);
			B(dh, (size_t)T * c->dh);
			B(dhb, c->d);
			B(dxe, (size_t)M * n->din);
			B(du, (size_t)M * c->du);
			B(dgin, n->dgin);
			B(dg, c->dg);
			B(dk, (size_t)M * c->dh);
			B(dc, (size_t)M * c->dh);
			B(dz, (size_t)M * n->dz);
			B(ds1, (size_t)M * c->ds1);
			B(ds2, (size_t)M * c->ds2);
			B(ds, M);
			B(tmp, (size_t)MO * T);
			B(doin, c->du + c->dg);
			B(do1, c->dop);
			B(dol, NN_NOPS);
			B(dpu, c->dh);
			B(dpre, c->du);
			B(dstin, (size_t)T * n->dst);
			B(dst1, (size_t)T * c->dsp);
			B(dstl, T);
			B(denin, (size_t)L * n->den);
			B(den1, (size_t)L * c->dsp);
			B(denl, L);
			B(dov, (size_t)O * c->d);
			B(doq, (size_t)O * c->dh);
			B(doc, (size_t)O * c->dh);
			B(dooin, (size_t)O * n->doin);
			B(doo1, (size_t)O * c->dopt);
			B(dool, O);
		}
#undef B
		if (pass == 0) {
			total = off;
			if ((blk = calloc(total, sizeof(nn_real))) == NULL)
				return ERR_NOMEM;
		}
	}
	free(r->block);
	r->block = blk;
	free(r->gold);
	r->gold = xcalloc((size_t)M, 1);
	free(r->tslot);
	r->tslot = xcalloc((size_t)U, sizeof(int));
	for (i = 0; i < U; i++)
		r->tslot[i] = -1;
	free(r->ilist);
	r->ilist = xcalloc((size_t)UM, sizeof(int));
	free(r->crow);
	r->crow = xcalloc((size_t)M * FEAT_NCAT, sizeof(int));
	r->capT = T;
	r->capM = M;
	r->capU = U;
	r->capO = O;
	r->train = train;
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Forward.                                                               */

/* ERR_INVALID unless every index of s is within n's tables and s. */
static int
check_step(const struct nn *n, const struct feat_step *s)
{
	const struct nn_config *c = &n->c;
	int i, e, nb;

	if (s->T < 0 || s->N < 0 || s->U < 0 || s->nopt < 0 || s->nh < 0 ||
	    s->nbag < 0)
		return ERR_INVALID;
	if (s->T > 4096 || s->N > 65536 || s->U > (1 << 20))
		return ERR_TOOBIG;
	for (i = 0; i < s->T; i++)
		if (s->itok_u[i] < 0 || s->itok_u[i] >= s->U ||
		    (s->ibigram[i] != FEAT_NONE &&
		    s->ibigram[i] >= c->hash_rows))
			return ERR_INVALID;
	if (s->ung_off[0] != 0)
		return ERR_INVALID;
	for (i = 0; i < s->U; i++) {
		if (s->uword[i] >= c->hash_rows ||
		    (s->ushape[i] != FEAT_NONE &&
		    s->ushape[i] >= c->hash_rows) ||
		    s->ung_off[i + 1] < s->ung_off[i])
			return ERR_INVALID;
	}
	for (i = 0; i < s->ung_off[s->U]; i++)
		if (s->ung[i] >= c->hash_rows)
			return ERR_INVALID;
	for (i = 0; i < s->nbag; i++)
		if (s->bag[i] < 0 || s->bag[i] >= s->U)
			return ERR_INVALID;
	for (i = 0; i < s->nh; i++)
		if (s->hbag[i] < 0 || s->hbag[i] >= s->U)
			return ERR_INVALID;
	nb = s->N * FEAT_NBAGS;
	if (s->bag_off[0] < 0)
		return ERR_INVALID;
	for (i = 0; i < nb; i++)
		if (s->bag_off[i + 1] < s->bag_off[i] ||
		    s->bag_off[i + 1] > s->nbag)
			return ERR_INVALID;
	for (e = 0; e < s->N; e++) {
		if (s->cat[e * FEAT_NCAT] >= c->cat_rows ||
		    s->cat[e * FEAT_NCAT + 1] >= c->cat_rows ||
		    s->cat[e * FEAT_NCAT + 2] >= c->type_rows)
			return ERR_INVALID;
		if (s->opt_off[e] < 0 || s->opt_off[e + 1] < s->opt_off[e] ||
		    s->opt_off[e + 1] > s->nopt)
			return ERR_INVALID;
	}
	if (s->N == 0 && (s->opt_off[0] < 0 || s->opt_off[0] > s->nopt))
		return ERR_INVALID;
	if (s->nopt > 0 && s->obag_off[0] < 0)
		return ERR_INVALID;
	for (i = 0; i < s->nopt; i++)
		if (s->obag_off[i + 1] < s->obag_off[i] ||
		    s->obag_off[i + 1] > s->nbag)
			return ERR_INVALID;
	return 0;
}

/*
 * Sums of weighted rows into one output row, in the order the rows are
 * given: out[j] += w_0 row_0[j], then += w_1 row_1[j], and so on; so the
 * result of each element is that of the same additions one row at a
 * time (nn_axpy()).  The output is held in registers while the rows
 * stream by (GCC vector extension, 16-byte vectors: SSE on x86-64).
 */
typedef nn_real nn_vec __attribute__((vector_size(16)));
#define NN_VW	((int)(sizeof(nn_vec) / sizeof(nn_real)))
#define NN_ROWS	64

struct rowsum {
	int		 d, n;
	nn_real		*out;
	const nn_real	*row[NN_ROWS];
	nn_real		 w[NN_ROWS];
};

/* Starts loading the row of rb bytes at p into the cache. */
static inline void
prefetch_row(const void *p, size_t rb)
{
	size_t o;

	for (o = 0; o < rb; o += 64)
		__builtin_prefetch((const char *)p + o);
}

/*
 * out [d] += sum of w[i] rows[i] [d], i = 0 .. n in order.  Unrolled by
 * hand, 8 then 4 vectors: written as loops over an array of
 * accumulators, GCC 12 keeps them in memory and the network is about 4 %
 * slower.
 */
static void
rows_add(int d, const nn_real *const *rows, const nn_real *w, int n,
    nn_real *restrict out)
{
	nn_vec a0, a1, a2, a3, a4, a5, a6, a7, y;
	int i, j;

	/* Rows are anywhere: their loads are started ahead. */
	for (i = 0; i < n; i++)
		prefetch_row(rows[i], (size_t)d * sizeof(nn_real));
	for (j = 0; j + 8 * NN_VW <= d; j += 8 * NN_VW) {
		memcpy(&a0, out + j, sizeof(a0));
		memcpy(&a1, out + j + NN_VW, sizeof(a1));
		memcpy(&a2, out + j + 2 * NN_VW, sizeof(a2));
		memcpy(&a3, out + j + 3 * NN_VW, sizeof(a3));
		memcpy(&a4, out + j + 4 * NN_VW, sizeof(a4));
		memcpy(&a5, out + j + 5 * NN_VW, sizeof(a5));
		memcpy(&a6, out + j + 6 * NN_VW, sizeof(a6));
		memcpy(&a7, out + j + 7 * NN_VW, sizeof(a7));
		for (i = 0; i < n; i++) {
			memcpy(&y, rows[i] + j, sizeof(y));
			a0 += w[i] * y;
			memcpy(&y, rows[i] + j + NN_VW, sizeof(y));
			a1 += w[i] * y;
			memcpy(&y, rows[i] + j + 2 * NN_VW, sizeof(y));
			a2 += w[i] * y;
			memcpy(&y, rows[i] + j + 3 * NN_VW, sizeof(y));
			a3 += w[i] * y;
			memcpy(&y, rows[i] + j + 4 * NN_VW, sizeof(y));
			a4 += w[i] * y;
			memcpy(&y, rows[i] + j + 5 * NN_VW, sizeof(y));
			a5 += w[i] * y;
			memcpy(&y, rows[i] + j + 6 * NN_VW, sizeof(y));
			a6 += w[i] * y;
			memcpy(&y, rows[i] + j + 7 * NN_VW, sizeof(y));
			a7 += w[i] * y;
		}
		memcpy(out + j, &a0, sizeof(a0));
		memcpy(out + j + NN_VW, &a1, sizeof(a1));
		memcpy(out + j + 2 * NN_VW, &a2, sizeof(a2));
		memcpy(out + j + 3 * NN_VW, &a3, sizeof(a3));
		memcpy(out + j + 4 * NN_VW, &a4, sizeof(a4));
		memcpy(out + j + 5 * NN_VW, &a5, sizeof(a5));
		memcpy(out + j + 6 * NN_VW, &a6, sizeof(a6));
		memcpy(out + j + 7 * NN_VW, &a7, sizeof(a7));
	}
	for (; j + 4 * NN_VW <= d; j += 4 * NN_VW) {
		memcpy(&a0, out + j, sizeof(a0));
		memcpy(&a1, out + j + NN_VW, sizeof(a1));
		memcpy(&a2, out + j + 2 * NN_VW, sizeof(a2));
		memcpy(&a3, out + j + 3 * NN_VW, sizeof(a3));
		for (i = 0; i < n; i++) {
			memcpy(&y, rows[i] + j, sizeof(y));
			a0 += w[i] * y;
			memcpy(&y, rows[i] + j + NN_VW, sizeof(y));
			a1 += w[i] * y;
			memcpy(&y, rows[i] + j + 2 * NN_VW, sizeof(y));
			a2 += w[i] * y;
			memcpy(&y, rows[i] + j + 3 * NN_VW, sizeof(y));
			a3 += w[i] * y;
		}
		memcpy(out + j, &a0, sizeof(a0));
		memcpy(out + j + NN_VW, &a1, sizeof(a1));
		memcpy(out + j + 2 * NN_VW, &a2, sizeof(a2));
		memcpy(out + j + 3 * NN_VW, &a3, sizeof(a3));
	}
	for (; j < d; j++)
		for (i = 0; i < n; i++)
			out[j] += w[i] * rows[i][j];
}

/* Starts a sum into out [d] (which keeps its values). */
static void
rs_begin(struct rowsum *q, int d, nn_real *out)
{
	q->d = d;
	q->n = 0;
	q->out = out;
}

/* Adds the pending rows to the output. */
static void
rs_flush(struct rowsum *q)
{
	if (q->n > 0)
		rows_add(q->d, q->row, q->w, q->n, q->out);
	q->n = 0;
}

/* Queues w row [d] (added by rs_flush() or when the queue is full). */
static void
rs_add(struct rowsum *q, const nn_real *row, nn_real w)
{
	if (q->n == NN_ROWS)
		rs_flush(q);
	q->row[q->n] = row;
	q->w[q->n++] = w;
}

/* out [d] = mean of the token vectors of bag[a..b) (0 if empty). */
static void
bag_mean(const struct nn_run *r, const int *bag, int a, int b, nn_real *out)
{
	struct rowsum q;
	int d = (int)r->net->c.d, i;
	nn_real w;

	memset(out, 0, (size_t)d * sizeof(nn_real));
	if (b <= a)
		return;
	w = (nn_real)1 / (nn_real)(b - a);
	rs_begin(&q, d, out);
	for (i = a; i < b; i++)
		rs_add(&q, r->tv + (size_t)bag[i] * d, w);
	rs_flush(&q);
}

/* dtv of bag[a..b) += dout / (b - a). */
static void
bag_mean_bwd(struct nn_run *r, const int *bag, int a, int b,
    const nn_real *dout)
{
	int d = (int)r->net->c.d, i;
	nn_real w;

	if (b <= a)
		return;
	w = (nn_real)1 / (nn_real)(b - a);
	for (i = a; i < b; i++)
		nn_axpy(d, w, dout, r->dtv + (size_t)bag[i] * d);
}

/* x [n] = the features f [n] (float) as nn_real. */
static void
copy_feats(nn_real *x, const float *f, int n)
{
#ifdef NN_DOUBLE
	int j;

	for (j = 0; j < n; j++)
		x[j] = f[j];
#else
	memcpy(x, f, (size_t)n * sizeof(*x));
#endif
}

/*
 * Y [n x out] (ldy) = X W^T + b (W's rows ldw apart; b may be NULL) at
 * inference: Y starts as the bias rows, or zeros, and BLAS only adds
 * to it (no pass of its own to clear Y first, nor one to add b after).
 */
static void
lin_infer(int n, int in, int out, const nn_real *X, int ldx,
    const nn_real *W, int ldw, const nn_real *b, nn_real *Y, int ldy)
{
	int i;

	for (i = 0; i < n; i++) {
		if (b != NULL)
			memcpy(Y + (size_t)i * ldy, b, (size_t)out *
			    sizeof(nn_real));
		else
			memset(Y + (size_t)i * ldy, 0, (size_t)out *
			    sizeof(nn_real));
	}
	nn_gemm(0, 1, n, out, in, 1, X, ldx, W, ldw, 1, Y, ldy);
}

/*
 * nn_softmax_rows() of X [n x m] without a mask, with the same
 * arithmetic (the same exponentials, double sum in order and division),
 * its maximum and division four columns at a time.
 */
static void
softmax_infer(int n, int m, nn_real *X)
{
	nn_real mx[4], *x;
	double sum;
	int i, j;

	for (i = 0; i < n && m > 0; i++) {
		x = X + (size_t)i * m;
		mx[0] = mx[1] = mx[2] = mx[3] = x[0];
		for (j = 0; j + 4 <= m; j += 4) {
			mx[0] = x[j] > mx[0] ? x[j] : mx[0];
			mx[1] = x[j + 1] > mx[1] ? x[j + 1] : mx[1];
			mx[2] = x[j + 2] > mx[2] ? x[j + 2] : mx[2];
			mx[3] = x[j + 3] > mx[3] ? x[j + 3] : mx[3];
		}
		for (; j < m; j++)
			mx[0] = x[j] > mx[0] ? x[j] : mx[0];
		mx[0] = mx[1] > mx[0] ? mx[1] : mx[0];
		mx[0] = mx[2] > mx[0] ? mx[2] : mx[0];
		mx[0] = mx[3] > mx[0] ? mx[3] : mx[0];
		sum = 0;
		for (j = 0; j < m; j++) {
			x[j] = NN_EXP(x[j] - mx[0]);
			sum += (double)x[j];
		}
		for (j = 0; j + 4 <= m; j += 4) {
			x[j] = (nn_real)((double)x[j] / sum);
			x[j + 1] = (nn_real)((double)x[j + 1] / sum);
			x[j + 2] = (nn_real)((double)x[j + 2] / sum);
			x[j + 3] = (nn_real)((double)x[j + 3] / sum);
		}
		for (; j < m; j++)
			x[j] = (nn_real)((double)x[j] / sum);
	}
}

/*
 * r->nzc: the dense feature columns not zero on every mark of s, in
 * order (r->nnz of them, r->nnzlex of the lex block).
 */
static void
nz_cols(struct nn_run *r, const struct feat_step *s)
{
	const int nd = (int)r->net->c.ndense, nlex = (int)r->net->c.nlex;
	uint32_t acc[FEAT_NDENSE], b[4];
	int e, j;

	/* The OR of each column's bits, sign left out (-0 is zero). */
	memset(acc, 0, sizeof(acc));
	for (e = 0; e < s->N; e++)
		for (j = 0; j + 4 <= nd; j += 4) {
			memcpy(b, s->dense + (size_t)e * nd + j, sizeof(b));
			acc[j] |= b[0];
			acc[j + 1] |= b[1];
			acc[j + 2] |= b[2];
			acc[j + 3] |= b[3];
		}
	for (e = 0; e < s->N; e++)
		for (j = nd / 4 * 4; j < nd; j++) {
			memcpy(b, s->dense + (size_t)e * nd + j, sizeof(b[0]));
			acc[j] |= b[0];
		}
	r->nnz = r->nnzlex = 0;
	for (j = 0; j < nd; j++)
		if ((acc[j] & 0x7fffffffu) != 0) {
			r->nzc[r->nnz++] = j;
			if (j < nlex)
				r->nnzlex++;
		}
}

/*
 * m [n] = max(m, x) element by element (NaN in x: m kept); four at a
 * time, so that it vectorises.
 */
static void
col_max(int n, const nn_real *restrict x, nn_real *restrict m)
{
	int j;

	for (j = 0; j + 4 <= n; j += 4) {
		m[j] = x[j] > m[j] ? x[j] : m[j];
		m[j + 1] = x[j + 1] > m[j + 1] ? x[j + 1] : m[j + 1];
		m[j + 2] = x[j + 2] > m[j + 2] ? x[j + 2] : m[j + 2];
		m[j + 3] = x[j + 3] > m[j + 3] ? x[j + 3] : m[j + 3];
	}
	for (; j < n; j++)
		m[j] = x[j] > m[j] ? x[j] : m[j];
}

/* z [n] = x * y element by element, four at a time. */
static void
vec_mul(int n, const nn_real *restrict x, const nn_real *restrict y,
    nn_real *restrict z)
{
	int j;

	for (j = 0; j + 4 <= n; j += 4) {
		z[j] = x[j] * y[j];
		z[j + 1] = x[j + 1] * y[j + 1];
		z[j + 2] = x[j + 2] * y[j + 2];
		z[j + 3] = x[j + 3] * y[j + 3];
	}
	for (; j < n; j++)
		z[j] = x[j] * y[j];
}

/*
 * The tag, role or type rows (table k of s->cat, width w, at We's
 * columns col ..) of the marks through We, once per distinct row: into
 * yb from row y0 on, and each mark's row number into crow.  Returns
 * the number of rows.
 */
static int
enc_cat(struct nn_run *r, const struct feat_step *s, int k,
    const nn_real *tab, int w, int *slot, int col, int y0)
{
	const struct nn *n = r->net;
	const int N = s->N, du = (int)n->c.du;
	int e, nd = 0, id;

	for (e = 0; e < N; e++) {
		id = (int)s->cat[e * FEAT_NCAT + k];
		if (slot[id] < 0) {
			slot[id] = nd;
			r->ilist[nd] = id;
			memcpy(r->tb + (size_t)nd * w, tab + (size_t)id * w,
			    (size_t)w * sizeof(nn_real));
			nd++;
		}
		r->crow[e * FEAT_NCAT + k] = y0 + slot[id];
	}
	lin_infer(nd, w, du, r->tb, w, PW(n, P_ENC_W) + col, n->din, NULL,
	    r->yb + (size_t)y0 * du, du);
	for (e = 0; e < nd; e++)
		slot[r->ilist[e]] = -1;
	return nd;
}

/*
 * Bag b of every mark through We token by token, when the bag has fewer
 * distinct tokens on the page than there are marks (We mean_t v_t =
 * mean_t We v_t, and fewer rows to multiply): the products into yb from
 * row y0 on, each bag entry's row number into brow.  Returns the number
 * of rows, or -1 (the bag is left to a product of its mean rows).
 */
static int
enc_bag(struct nn_run *r, const struct feat_step *s, int b, int y0)
{
	const struct nn *n = r->net;
	const int N = s->N, du = (int)n->c.du, d = (int)n->c.d;
	const int *bag = s->bag;
	int e, i, a, z, nd = 0;

	for (e = 0; e < N && nd < N; e++) {
		a = s->bag_off[e * FEAT_NBAGS + b];
		z = s->bag_off[e * FEAT_NBAGS + b + 1];
		for (i = a; i < z; i++) {
			if (r->tslot[bag[i]] < 0) {
				r->tslot[bag[i]] = nd;
				r->ilist[nd++] = bag[i];
			}
			r->brow[i] = y0 + r->tslot[bag[i]];
		}
	}
	if (nd < N) {
		for (i = 0; i < nd; i++)
			memcpy(r->tb + (size_t)i * d, r->tv +
			    (size_t)r->ilist[i] * d, (size_t)d * sizeof(nn_real));
		lin_infer(nd, d, du, r->tb, d, PW(n, P_ENC_W) + b * d, n->din,
		    NULL, r->yb + (size_t)y0 * du, du);
	}
	for (i = 0; i < nd; i++)
		r->tslot[r->ilist[i]] = -1;
	return nd < N ? nd : -1;
}

/*
 * The mark encoder's pre-activation at inference, u [N x du] = We x_e +
 * b, by the blocks of x_e: the dense features as they are; bags with
 * many distinct tokens as mean rows (neighbours in one product); the
 * other bags token by token (enc_bag()) and the tag, role and type rows
 * once per distinct row (enc_cat()), added to each mark.  Training
 * keeps the whole row x_e (its backward needs it).
 */
static int
enc_infer(struct nn_run *r, const struct feat_step *s)
{
	const struct nn *n = r->net;
	const struct nn_config *c = &n->c;
	const int N = s->N, du = (int)c->du, d = (int)c->d;
	const int dcol = FEAT_NBAGS * d + (int)(c->dtag + c->drole + c->dtype);
	const nn_real *we = PW(n, P_ENC_W);
	struct rowsum q;
	int done[FEAT_NBAGS], e, b, b0, i, a, z, y0 = 0, k;
	nn_real *x, w;

	if (s->nbag > r->capB) {
		free(r->brow);
		r->capB = s->nbag > 2 * r->capB ? s->nbag : 2 * r->capB;
		if ((r->brow = calloc((size_t)r->capB, sizeof(int))) == NULL) {
			r->capB = 0;
			return ERR_NOMEM;
		}
	}
	nz_cols(r, s);
	for (e = 0; e < N; e++) {
		x = r->xe + (size_t)e * n->din + dcol;
		for (k = 0; k < r->nnz; k++)
			x[k] = (nn_real)s->dense[(size_t)e * c->ndense +
			    r->nzc[k]];
	}
	for (i = 0; i < du; i++)
		for (k = 0; k < r->nnz; k++)
			r->wpk[(size_t)i * r->nnz + k] = we[(size_t)i * n->din +
			    dcol + r->nzc[k]];
	lin_infer(N, r->nnz, du, r->xe + dcol, n->din, r->wpk, r->nnz,
	    PW(n, P_ENC_B), r->u, du);
	for (b = 0; b < FEAT_NBAGS; b++) {
		k = enc_bag(r, s, b, y0);
		done[b] = k >= 0;
		if (k > 0)
			y0 += k;
	}
	for (b = 0; b < FEAT_NBAGS; b++)
		for (e = 0; e < N && !done[b]; e++)
			bag_mean(r, s->bag, s->bag_off[e * FEAT_NBAGS + b],
			    s->bag_off[e * FEAT_NBAGS + b + 1],
			    r->xe + (size_t)e * n->din + b * d);
	for (b = 0; b < FEAT_NBAGS; b = b0 + 1) {
		for (b0 = b; b0 < FEAT_NBAGS && !done[b0]; b0++)
			;
		if (b0 > b)
			nn_gemm(0, 1, N, du, (b0 - b) * d, 1, r->xe + b * d,
			    n->din, we + b * d, n->din, 1, r->u, du);
	}
	y0 += enc_cat(r, s, 0, PW(n, P_TAG), (int)c->dtag, r->cslot,
	    FEAT_NBAGS * d, y0);
	y0 += enc_cat(r, s, 1, PW(n, P_ROLE), (int)c->drole, r->cslot +
	    c->cat_rows, FEAT_NBAGS * d + (int)c->dtag, y0);
	(void)enc_cat(r, s, 2, PW(n, P_TYPE), (int)c->dtype, r->cslot +
	    2 * c->cat_rows, FEAT_NBAGS * d + (int)(c->dtag + c->drole), y0);
	for (e = 0; e < N; e++) {
		rs_begin(&q, du, r->u + (size_t)e * du);
		for (k = 0; k < FEAT_NCAT; k++)
			rs_add(&q, r->yb + (size_t)r->crow[e * FEAT_NCAT + k] * du,
			    1);
		for (b = 0; b < FEAT_NBAGS; b++) {
			a = s->bag_off[e * FEAT_NBAGS + b];
			z = s->bag_off[e * FEAT_NBAGS + b + 1];
			if (!done[b] || z <= a)
				continue;
			w = (nn_real)1 / (nn_real)(z - a);
			for (i = a; i < z; i++)
				rs_add(&q, r->yb + (size_t)r->brow[i] * du, w);
		}
		rs_flush(&q);
	}
	return 0;
}

/* Largest number of options of any mark of s. */
static int
max_options(const struct feat_step *s)
{
	int e, m = 0;

	for (e = 0; e < s->N; e++)
		if (s->opt_off[e + 1] - s->opt_off[e] > m)
			m = s->opt_off[e + 1] - s->opt_off[e];
	return m;
}

/*
 * The scorer at inference: as in fwd(), without the lex features that
 * are zero on every mark (nz_cols() of enc_infer()).
 */
static int
score_infer(struct nn_run *r, const struct feat_step *s)
{
	const struct nn *n = r->net;
	const struct nn_config *c = &n->c;
	const int du = (int)c->du, dh = (int)c->dh, ds1 = (int)c->ds1;
	const int N = s->N, M = N + FEAT_NPSEUDO, k0 = du + 2 * dh;
	const int kz = k0 + r->nnzlex;
	const nn_real *w1 = PW(n, P_SC1_W);
	nn_real *x;
	int e, j;

	for (e = 0; e < M; e++) {
		x = r->z + (size_t)e * n->dz;
		memcpy(x, r->u + (size_t)e * du, (size_t)du * sizeof(nn_real));
		memcpy(x + du, r->c + (size_t)e * dh,
		    (size_t)dh * sizeof(nn_real));
		vec_mul(dh, r->k + (size_t)e * dh, r->c + (size_t)e * dh,
		    x + du + dh);
		for (j = 0; j < r->nnzlex; j++)
			x[k0 + j] = e < N ? (nn_real)s->dense[(size_t)e *
			    c->ndense + r->nzc[j]] : 0;
	}
	for (e = 0; e < ds1; e++) {
		memcpy(r->wpk + (size_t)e * kz, w1 + (size_t)e * n->dz,
		    (size_t)k0 * sizeof(nn_real));
		for (j = 0; j < r->nnzlex; j++)
			r->wpk[(size_t)e * kz + k0 + j] = w1[(size_t)e * n->dz +
			    k0 + r->nzc[j]];
	}
	lin_infer(M, kz, ds1, r->z, n->dz, r->wpk, kz, PW(n, P_SC1_B), r->s1,
	    ds1);
	nn_relu_fwd(M, ds1, r->s1, ds1);
	lin_infer(M, ds1, (int)c->ds2, r->s1, ds1, PW(n, P_SC2_W), ds1,
	    PW(n, P_SC2_B), r->s2, (int)c->ds2);
	nn_relu_fwd(M, (int)c->ds2, r->s2, (int)c->ds2);
	nn_linear_fwd(M, (int)c->ds2, 1, r->s2, (int)c->ds2, PW(n, P_SC3_W),
	    PW(n, P_SC3_B), r->s, 1);
	for (e = 0; e < M; e++)
		r->sout[e] = s->row_mask[e] ? r->s[e] : (nn_real)-HUGE_VAL;
	return 0;
}

/*
 * The table rows of a token are scattered over a table larger than the
 * caches: their loads are started NN_PREFETCH tokens ahead.
 */
#define NN_PREFETCH	4

/* Starts loading the table rows of unique token i of s. */
static void
emb_prefetch(const struct nn *n, const struct feat_step *s, int i)
{
	const size_t rb = (size_t)n->c.d * sizeof(nn_real);
	int j;

	prefetch_row(n->emb + (size_t)s->uword[i] * n->c.d, rb);
	if (s->ushape[i] != FEAT_NONE)
		prefetch_row(n->emb + (size_t)s->ushape[i] * n->c.d, rb);
	for (j = s->ung_off[i]; j < s->ung_off[i + 1]; j++)
		prefetch_row(n->emb + (size_t)s->ung[j] * n->c.d, rb);
}

/*
 * The shared forward pass up to the scores; infer: by the cheaper
 * inference-only paths (nn_forward()), which leave no input rows for a
 * backward pass.
 */
static int
fwd(struct nn_run *r, const struct feat_step *s, int train, int infer)
{
	const struct nn *n = r->net;
	const struct nn_config *c = &n->c;
	const int d = (int)c->d, dh = (int)c->dh, du = (int)c->du;
	const int T = s->T, N = s->N, M = N + FEAT_NPSEUDO, U = s->U;
	struct rowsum q;
	nn_real *row, *x, w, scale;
	int i, j, e, b, kk, rc;

	if ((rc = check_step(n, s)) != 0)
		return rc;
	if ((rc = run_reserve(r, T, M, U, max_options(s), train)) != 0)
		return rc;
	r->span_ok = 0;

	/* Token vectors: word + shape + mean of n-grams. */
	for (i = 0; i < U && i < NN_PREFETCH; i++)
		emb_prefetch(n, s, i);
	for (i = 0; i < U; i++) {
		if (i + NN_PREFETCH < U)
			emb_prefetch(n, s, i + NN_PREFETCH);
		row = r->tv + (size_t)i * d;
		memset(row, 0, (size_t)d * sizeof(nn_real));
		rs_begin(&q, d, row);
		rs_add(&q, n->emb + (size_t)s->uword[i] * d, 1);
		if (s->ushape[i] != FEAT_NONE)
			rs_add(&q, n->emb + (size_t)s->ushape[i] * d, 1);
		kk = s->ung_off[i + 1] - s->ung_off[i];
		w = (nn_real)1 / (nn_real)(kk > 0 ? kk : 1);
		for (j = 0; j < kk; j++)
			rs_add(&q, n->emb + (size_t)s->ung[s->ung_off[i] + j] *
			    d, w);
		rs_flush(&q);
	}

	/* Instruction encoder. */
	for (i = 0; i < T; i++) {
		row = r->v + (size_t)i * d;
		memcpy(row, r->tv + (size_t)s->itok_u[i] * d,
		    (size_t)d * sizeof(nn_real));
		if (s->ibigram[i] != FEAT_NONE)
			nn_emb_gather(d, n->emb, &s->ibigram[i], 1, 1, row);
	}
	nn_conv3_cols(T, d, r->v, r->x3);
	if (infer)
		lin_infer(T, 3 * d, dh, r->x3, 3 * d, PW(n, P_CONV_W), 3 * d,
		    PW(n, P_CONV_B), r->h, dh);
	else
		nn_linear_fwd(T, 3 * d, dh, r->x3, 3 * d, PW(n, P_CONV_W),
		    PW(n, P_CONV_B), r->h, dh);
	nn_tanh_fwd(T, dh, r->h, dh);

	/* Mark encoder. */
	for (e = 0; e < N && !infer; e++) {
		x = r->xe + (size_t)e * n->din;
		for (b = 0; b < FEAT_NBAGS; b++)
			bag_mean(r, s->bag, s->bag_off[e * FEAT_NBAGS + b],
			    s->bag_off[e * FEAT_NBAGS + b + 1], x + b * d);
		x += FEAT_NBAGS * d;
		memcpy(x, PW(n, P_TAG) + (size_t)s->cat[e * FEAT_NCAT] *
		    c->dtag, c->dtag * sizeof(nn_real));
		x += c->dtag;
		memcpy(x, PW(n, P_ROLE) + (size_t)s->cat[e * FEAT_NCAT + 1] *
		    c->drole, c->drole * sizeof(nn_real));
		x += c->drole;
		memcpy(x, PW(n, P_TYPE) + (size_t)s->cat[e * FEAT_NCAT + 2] *
		    c->dtype, c->dtype * sizeof(nn_real));
		x += c->dtype;
		copy_feats(x, s->dense + (size_t)e * c->ndense, (int)c->ndense);
	}
	if (infer) {
		if ((rc = enc_infer(r, s)) != 0)
			return rc;
	} else
		nn_linear_fwd(N, n->din, du, r->xe, n->din, PW(n, P_ENC_W),
		    PW(n, P_ENC_B), r->u, du);
	nn_relu_fwd(N, du, r->u, du);
	if (train && r->dropout > 0) {
		scale = (nn_real)(1 / (1 - r->dropout));
		for (i = 0; i < N * du; i++) {
			r->drop[i] = rnd01(&r->rng) < r->dropout ? 0 : scale;
			r->u[i] *= r->drop[i];
		}
	}

	/* Global vector: [mean u; max u; q; history bag; step]. */
	x = r->gin;
	for (j = 0; j < 2 * du + dh; j++)
		x[j] = 0;
	for (j = 0; j < du; j++)
		r->argmax[j] = -1;
	if (N > 0) {
		w = (nn_real)1 / (nn_real)N;
		rs_begin(&q, du, x);
		for (e = 0; e < N; e++)
			rs_add(&q, r->u + (size_t)e * du, w);
		rs_flush(&q);
		/* The first largest of each column. */
		memcpy(x + du, r->u, (size_t)du * sizeof(nn_real));
		for (j = 0; j < du; j++)
			r->argmax[j] = 0;
		/* Inference: the maxima only (argmax is for backward). */
		for (e = 1; e < N && infer; e++)
			col_max(du, r->u + (size_t)e * du, x + du);
		for (e = 1; e < N && !infer; e++) {
			row = r->u + (size_t)e * du;
			for (j = 0; j < du; j++) {
				kk = row[j] > x[du + j];
				x[du + j] = kk ? row[j] : x[du + j];
				r->argmax[j] = kk ? e : r->argmax[j];
			}
		}
	}
	if (T > 0) {
		w = (nn_real)1 / (nn_real)T;
		for (i = 0; i < T; i++)
			for (j = 0; j < dh; j++)
				x[2 * du + j] += w * r->h[(size_t)i * dh + j];
	}
	for (j = 0; j < d; j++)
		r->hb[j] = 0;
	if (s->nh > 0)
		bag_mean(r, s->hbag, 0, s->nh, r->hb);
	memcpy(x + 2 * du + dh, r->hb, (size_t)d * sizeof(nn_real));
	for (j = 0; j < (int)c->nstep; j++)
		x[2 * du + dh + d + j] = (nn_real)s->stepf[j];
	nn_linear_fwd(1, n->dgin, (int)c->dg, r->gin, n->dgin,
	    PW(n, P_GLOB_W), PW(n, P_GLOB_B), r->g, (int)c->dg);
	nn_relu_fwd(1, (int)c->dg, r->g, (int)c->dg);

	/* Pseudo-marks: ReLU(P_k + Wp g). */
	nn_linear_fwd(1, (int)c->dg, du, r->g, (int)c->dg, PW(n, P_PSEUDO_W),
	    NULL, r->wpg, du);
	for (kk = 0; kk < FEAT_NPSEUDO; kk++) {
		row = r->u + (size_t)(N + kk) * du;
		for (j = 0; j < du; j++)
			row[j] = PW(n, P_PSEUDO_U)[kk * du + j] + r->wpg[j];
	}
	nn_relu_fwd(FEAT_NPSEUDO, du, r->u + (size_t)N * du, du);

	/* Attention of every row over the instruction. */
	if (infer) {
		lin_infer(M, du, dh, r->u, du, PW(n, P_Q_W), du, PW(n, P_Q_B),
		    r->k, dh);
		/* nn_attn_fwd() with lin_infer()'s calls. */
		memset(r->p, 0, (size_t)M * T * sizeof(nn_real));
		nn_gemm(0, 1, M, T, dh, (nn_real)1 / NN_SQRT((nn_real)dh),
		    r->k, dh, r->h, dh, 1, r->p, T);
		softmax_infer(M, T, r->p);
		memset(r->c, 0, (size_t)M * dh * sizeof(nn_real));
		nn_gemm(0, 0, M, dh, T, 1, r->p, T, r->h, dh, 1, r->c, dh);
	} else {
		nn_linear_fwd(M, du, dh, r->u, du, PW(n, P_Q_W),
		    PW(n, P_Q_B), r->k, dh);
		nn_attn_fwd(M, T, dh, (nn_real)1 / NN_SQRT((nn_real)dh),
		    r->k, r->h, r->p, r->c);
	}

	/* Scorer. */
	if (infer)
		return score_infer(r, s);
	for (e = 0; e < M; e++) {
		x = r->z + (size_t)e * n->dz;
		memcpy(x, r->u + (size_t)e * du, (size_t)du * sizeof(nn_real));
		memcpy(x + du, r->c + (size_t)e * dh,
		    (size_t)dh * sizeof(nn_real));
		for (j = 0; j < dh; j++)
			x[du + dh + j] = r->k[(size_t)e * dh + j] *
			    r->c[(size_t)e * dh + j];
		if (e < N)
			copy_feats(x + du + 2 * dh, s->dense +
			    (size_t)e * c->ndense, (int)c->nlex);
		else
			for (j = 0; j < (int)c->nlex; j++)
				x[du + 2 * dh + j] = 0;
	}
	nn_linear_fwd(M, n->dz, (int)c->ds1, r->z, n->dz, PW(n, P_SC1_W),
	    PW(n, P_SC1_B), r->s1, (int)c->ds1);
	nn_relu_fwd(M, (int)c->ds1, r->s1, (int)c->ds1);
	nn_linear_fwd(M, (int)c->ds1, (int)c->ds2, r->s1, (int)c->ds1,
	    PW(n, P_SC2_W), PW(n, P_SC2_B), r->s2, (int)c->ds2);
	nn_relu_fwd(M, (int)c->ds2, r->s2, (int)c->ds2);
	nn_linear_fwd(M, (int)c->ds2, 1, r->s2, (int)c->ds2, PW(n, P_SC3_W),
	    PW(n, P_SC3_B), r->s, 1);
	for (e = 0; e < M; e++)
		r->sout[e] = s->row_mask[e] ? r->s[e] : (nn_real)-HUGE_VAL;
	return 0;
}

int
nn_forward(struct nn_run *r, const struct feat_step *s,
    const nn_real **scoresp)
{
	int rc;

	*scoresp = NULL;
	if ((rc = fwd(r, s, 0, 1)) != 0)
		return rc;
	*scoresp = r->sout;
	return 0;
}

/* Op head logits of mark row e into r->ol. */
static void
op_fwd(struct nn_run *r, int e)
{
	const struct nn *n = r->net;
	const struct nn_config *c = &n->c;
	int du = (int)c->du;

	memcpy(r->oin, r->u + (size_t)e * du, (size_t)du * sizeof(nn_real));
	memcpy(r->oin + du, r->g, c->dg * sizeof(nn_real));
	nn_linear_fwd(1, du + (int)c->dg, (int)c->dop, r->oin,
	    du + (int)c->dg, PW(n, P_OP1_W), PW(n, P_OP1_B), r->o1,
	    (int)c->dop);
	nn_relu_fwd(1, (int)c->dop, r->o1, (int)c->dop);
	nn_linear_fwd(1, (int)c->dop, NN_NOPS, r->o1, (int)c->dop,
	    PW(n, P_OP2_W), PW(n, P_OP2_B), r->ol, NN_NOPS);
}

int
nn_op(struct nn_run *r, const struct feat_step *s, int e,
    nn_real probs[NN_NOPS])
{
	int i;

	if (r->block == NULL || e < 0 || e >= s->N)
		return ERR_INVALID;
	op_fwd(r, e);
	for (i = 0; i < NN_NOPS; i++)
		probs[i] = r->ol[i];
	nn_softmax_rows(1, NN_NOPS, probs, NN_NOPS, NULL);
	return 0;
}

/* Span start logits (all T tokens) for mark row e; sets r->pu. */
static void
start_fwd(struct nn_run *r, const struct feat_step *s, int e)
{
	const struct nn *n = r->net;
	const struct nn_config *c = &n->c;
	const int dh = (int)c->dh, T = s->T;
	nn_real *x;
	int i, j;

	nn_linear_fwd(1, (int)c->du, dh, r->u + (size_t)e * c->du,
	    (int)c->du, PW(n, P_SPAN_P), NULL, r->pu, dh);
	for (i = 0; i < T; i++) {
		x = r->stin + (size_t)i * n->dst;
		for (j = 0; j < dh; j++) {
			x[j] = r->h[(size_t)i * dh + j];
			x[dh + j] = r->h[(size_t)i * dh + j] * r->pu[j];
		}
		for (j = 0; j < (int)c->ntokf; j++)
			x[2 * dh + j] = (nn_real)s->itokf[(size_t)i *
			    c->ntokf + j];
	}
	nn_linear_fwd(T, n->dst, (int)c->dsp, r->stin, n->dst,
	    PW(n, P_ST1_W), PW(n, P_ST1_B), r->st1, (int)c->dsp);
	nn_relu_fwd(T, (int)c->dsp, r->st1, (int)c->dsp);
	nn_linear_fwd(T, (int)c->dsp, 1, r->st1, (int)c->dsp, PW(n, P_ST2_W),
	    PW(n, P_ST2_B), r->stl, 1);
}

/* End logits for a span starting at token a (r->pu set); returns L. */
static int
end_fwd(struct nn_run *r, const struct feat_step *s, int a)
{
	const struct nn *n = r->net;
	const struct nn_config *c = &n->c;
	const int dh = (int)c->dh;
	int L = s->T - a, i, j, jj;
	nn_real *x;

	if (L > (int)c->span_max)
		L = (int)c->span_max;
	for (jj = 0; jj < L; jj++) {
		i = a + jj;
		x = r->enin + (size_t)jj * n->den;
		for (j = 0; j < dh; j++) {
			x[j] = r->h[(size_t)i * dh + j];
			x[dh + j] = r->h[(size_t)i * dh + j] * r->pu[j];
			x[2 * dh + j] = r->h[(size_t)a * dh + j];
		}
		for (j = 0; j < (int)c->ntokf; j++)
			x[3 * dh + j] = (nn_real)s->itokf[(size_t)i *
			    c->ntokf + j];
		memcpy(x + 3 * dh + c->ntokf, PW(n, P_LEN) +
		    (size_t)jj * c->dlen, c->dlen * sizeof(nn_real));
	}
	nn_linear_fwd(L, n->den, (int)c->dsp, r->enin, n->den,
	    PW(n, P_EN1_W), PW(n, P_EN1_B), r->en1, (int)c->dsp);
	nn_relu_fwd(L, (int)c->dsp, r->en1, (int)c->dsp);
	nn_linear_fwd(L, (int)c->dsp, 1, r->en1, (int)c->dsp, PW(n, P_EN2_W),
	    PW(n, P_EN2_B), r->enl, 1);
	return L;
}

/* log-softmax of x[0..n) into out. */
static void
log_softmax(int n, const nn_real *x, double *out)
{
	double mx, sum = 0;
	int i;

	if (n <= 0)
		return;
	mx = (double)x[0];
	for (i = 1; i < n; i++)
		if ((double)x[i] > mx)
			mx = (double)x[i];
	for (i = 0; i < n; i++)
		sum += exp((double)x[i] - mx);
	for (i = 0; i < n; i++)
		out[i] = (double)x[i] - mx - log(sum);
}

#define NN_SPAN_BEAM	4

/*
 * The first layers of the span head split by the blocks of their input:
 * [h_i; h_i * P u_e; f_i] for a start, [h_j; h_j * P u_e; h_a; f_j;
 * len_{j-a}] for an end.  All but the h * P u_e blocks are the same for
 * every mark; they are computed here once per forward.
 */
static void
span_parts(struct nn_run *r, const struct feat_step *s)
{
	const struct nn *n = r->net;
	const struct nn_config *c = &n->c;
	const int dh = (int)c->dh, dsp = (int)c->dsp, nf = (int)c->ntokf;
	const int T = s->T, L = (int)c->span_max;
	const nn_real *ws = PW(n, P_ST1_W), *we = PW(n, P_EN1_W);
	int i;

	for (i = 0; i < T * nf; i++)
		r->ftk[i] = (nn_real)s->itokf[i];
	nn_gemm(0, 1, T, dsp, dh, 1, r->h, dh, ws, n->dst, 0, r->sa, dsp);
	nn_gemm(0, 1, T, dsp, nf, 1, r->ftk, nf, ws + 2 * dh, n->dst, 1,
	    r->sa, dsp);
	nn_gemm(0, 1, T, dsp, dh, 1, r->h, dh, we, n->den, 0, r->ea, dsp);
	nn_gemm(0, 1, T, dsp, nf, 1, r->ftk, nf, we + 3 * dh, n->den, 1,
	    r->ea, dsp);
	for (i = 0; i < T; i++) {
		nn_axpy(dsp, 1, PW(n, P_ST1_B), r->sa + (size_t)i * dsp);
		nn_axpy(dsp, 1, PW(n, P_EN1_B), r->ea + (size_t)i * dsp);
	}
	nn_gemm(0, 1, T, dsp, dh, 1, r->h, dh, we + 2 * dh, n->den, 0, r->ec,
	    dsp);
	nn_gemm(0, 1, L, dsp, (int)c->dlen, 1, PW(n, P_LEN), (int)c->dlen,
	    we + 3 * dh + nf, n->den, 0, r->el, dsp);
	r->span_ok = 1;
}

/* Start logits of mark row e into r->stl, from span_parts(). */
static void
start_infer(struct nn_run *r, const struct feat_step *s, int e)
{
	const struct nn *n = r->net;
	const struct nn_config *c = &n->c;
	const int dh = (int)c->dh, dsp = (int)c->dsp, T = s->T;
	nn_real *x;
	int i, j;

	nn_linear_fwd(1, (int)c->du, dh, r->u + (size_t)e * c->du,
	    (int)c->du, PW(n, P_SPAN_P), NULL, r->pu, dh);
	for (i = 0; i < T; i++)
		for (j = 0; j < dh; j++)
			r->hpu[(size_t)i * dh + j] = r->h[(size_t)i * dh + j] *
			    r->pu[j];
	nn_gemm(0, 1, T, dsp, dh, 1, r->hpu, dh, PW(n, P_ST1_W) + dh, n->dst,
	    0, r->sb, dsp);
	nn_gemm(0, 1, T, dsp, dh, 1, r->hpu, dh, PW(n, P_EN1_W) + dh, n->den,
	    0, r->eb, dsp);
	for (i = 0; i < T; i++) {
		x = r->st1 + (size_t)i * dsp;
		for (j = 0; j < dsp; j++)
			x[j] = r->sa[(size_t)i * dsp + j] +
			    r->sb[(size_t)i * dsp + j];
	}
	nn_relu_fwd(T, dsp, r->st1, dsp);
	nn_linear_fwd(T, dsp, 1, r->st1, dsp, PW(n, P_ST2_W), PW(n, P_ST2_B),
	    r->stl, 1);
}

/* End logits for a start at token a into r->enl (start_infer() run). */
static int
end_infer(struct nn_run *r, const struct feat_step *s, int a)
{
	const struct nn *n = r->net;
	const struct nn_config *c = &n->c;
	const int dsp = (int)c->dsp;
	int L = s->T - a, jj, j;
	const nn_real *pa, *pb, *pc, *pl;
	nn_real *x;

	if (L > (int)c->span_max)
		L = (int)c->span_max;
	pc = r->ec + (size_t)a * dsp;
	for (jj = 0; jj < L; jj++) {
		x = r->en1 + (size_t)jj * dsp;
		pa = r->ea + (size_t)(a + jj) * dsp;
		pb = r->eb + (size_t)(a + jj) * dsp;
		pl = r->el + (size_t)jj * dsp;
		for (j = 0; j < dsp; j++)
			x[j] = pa[j] + pb[j] + pc[j] + pl[j];
	}
	nn_relu_fwd(L, dsp, r->en1, dsp);
	nn_linear_fwd(L, dsp, 1, r->en1, dsp, PW(n, P_EN2_W), PW(n, P_EN2_B),
	    r->enl, 1);
	return L;
}

int
nn_span(struct nn_run *r, const struct feat_step *s, int e, int *startp,
    int *endp, double *logpp)
{
	double ls[4096], le[64], best = -HUGE_VAL;
	int top[NN_SPAN_BEAM], ntop = 0, i, j, a, L, bs = -1, be = -1;

	if (r->block == NULL || e < 0 || e >= s->N || s->T <= 0 ||
	    s->T > 4096)
		return ERR_INVALID;
	if (!r->span_ok)
		span_parts(r, s);
	start_infer(r, s, e);
	log_softmax(s->T, r->stl, ls);
	/* The best few starts, then the best end for each. */
	for (i = 0; i < s->T; i++) {
		for (j = ntop; j > 0 && ls[top[j - 1]] < ls[i]; j--)
			if (j < NN_SPAN_BEAM)
				top[j] = top[j - 1];
		if (j < NN_SPAN_BEAM) {
			top[j] = i;
			if (ntop < NN_SPAN_BEAM)
				ntop++;
		}
	}
	for (i = 0; i < ntop; i++) {
		a = top[i];
		L = end_infer(r, s, a);
		log_softmax(L, r->enl, le);
		for (j = 0; j < L; j++)
			if (ls[a] + le[j] > best) {
				best = ls[a] + le[j];
				bs = a;
				be = a + j;
			}
	}
	*startp = bs;
	*endp = be;
	*logpp = best;
	return 0;
}

int
nn_span_logp(struct nn_run *r, const struct feat_step *s, int e, int start,
    int end, double *logpp)
{
	double ls[4096], le[64];
	int L;

	if (r->block == NULL || e < 0 || e >= s->N || s->T <= 0 ||
	    s->T > 4096 || start < 0 || end < start || end >= s->T)
		return ERR_INVALID;
	if (!r->span_ok)
		span_parts(r, s);
	start_infer(r, s, e);
	log_softmax(s->T, r->stl, ls);
	L = end_infer(r, s, start);
	log_softmax(L, r->enl, le);
	*logpp = end - start < L ? ls[start] + le[end - start] : -HUGE_VAL;
	return 0;
}

/* Option scores of mark row e into r->ool; returns the count. */
static int
opt_fwd(struct nn_run *r, const struct feat_step *s, int e)
{
	const struct nn *n = r->net;
	const struct nn_config *c = &n->c;
	const int d = (int)c->d, dh = (int)c->dh;
	int o0 = s->opt_off[e], no = s->opt_off[e + 1] - o0, i, j;
	nn_real *x;

	for (i = 0; i < no; i++)
		bag_mean(r, s->bag, s->obag_off[o0 + i],
		    s->obag_off[o0 + i + 1], r->ov + (size_t)i * d);
	nn_linear_fwd(no, d, dh, r->ov, d, PW(n, P_OQ_W), PW(n, P_OQ_B), r->oq,
	    dh);
	nn_attn_fwd(no, s->T, dh, (nn_real)1 / NN_SQRT((nn_real)dh), r->oq,
	    r->h, r->op, r->oc);
	for (i = 0; i < no; i++) {
		x = r->ooin + (size_t)i * n->doin;
		memcpy(x, r->ov + (size_t)i * d, (size_t)d * sizeof(nn_real));
		memcpy(x + d, r->oc + (size_t)i * dh,
		    (size_t)dh * sizeof(nn_real));
		for (j = 0; j < (int)c->noptlex; j++)
			x[d + dh + j] = (nn_real)s->optlex[(size_t)(o0 + i) *
			    c->noptlex + j];
	}
	nn_linear_fwd(no, n->doin, (int)c->dopt, r->ooin, n->doin,
	    PW(n, P_OPT1_W), PW(n, P_OPT1_B), r->oo1, (int)c->dopt);
	nn_relu_fwd(no, (int)c->dopt, r->oo1, (int)c->dopt);
	nn_linear_fwd(no, (int)c->dopt, 1, r->oo1, (int)c->dopt,
	    PW(n, P_OPT2_W), PW(n, P_OPT2_B), r->ool, 1);
	return no;
}

int
nn_options(struct nn_run *r, const struct feat_step *s, int e,
    const nn_real **probsp, int *nprobsp, int *bestp)
{
	int no, i, best = 0;

	*probsp = NULL;
	*nprobsp = 0;
	*bestp = -1;
	if (r->block == NULL || e < 0 || e >= s->N)
		return ERR_INVALID;
	if (s->opt_off[e + 1] == s->opt_off[e])
		return ERR_NOTFOUND;
	no = opt_fwd(r, s, e);
	nn_softmax_rows(1, no, r->ool, no, NULL);
	for (i = 1; i < no; i++)
		if (r->ool[i] > r->ool[best])
			best = i;
	*probsp = r->ool;
	*nprobsp = no;
	*bestp = best;
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Gradients.                                                             */

struct nn_grad *
nn_grad_new(const struct nn *n)
{
	struct nn_grad *g;

	g = xcalloc(1, sizeof(*g));
	g->net = n;
	if ((g->dense = calloc(n->ndense, sizeof(nn_real))) == NULL ||
	    nn_sparse_init(&g->emb, (int)n->c.hash_rows, (int)n->c.d) != 0) {
		free(g->dense);
		free(g);
		return NULL;
	}
	return g;
}

void
nn_grad_free(struct nn_grad *g)
{
	if (g == NULL)
		return;
	free(g->dense);
	nn_sparse_free(&g->emb);
	free(g);
}

void
nn_grad_zero(struct nn_grad *g)
{
	memset(g->dense, 0, g->net->ndense * sizeof(nn_real));
	nn_sparse_clear(&g->emb);
}

/*
 * dst += src: the dense tensors, and src's touched table rows in the
 * order src touched them (so a fixed order of calls gives the same sums).
 */
void
nn_grad_add(struct nn_grad *dst, const struct nn_grad *src)
{
	size_t i, d = src->net->c.d;
	uint32_t row;

	for (i = 0; i < src->net->ndense; i++)
		dst->dense[i] += src->dense[i];
	for (i = 0; i < src->emb.ntouched; i++) {
		row = src->emb.touched[i];
		nn_emb_scatter(&dst->emb, &row, 1, 1, src->emb.grad + row * d);
	}
}

nn_real *
nn_grad_data(struct nn_grad *g, size_t i)
{
	if (i >= P_N)
		return NULL;
	return i == P_EMB ? g->emb.grad : GW(g, (int)i);
}

/* Zeroes cnt reals at p. */
static void
zero(nn_real *p, size_t cnt)
{
	memset(p, 0, cnt * sizeof(nn_real));
}

/* CE of logits x[0..n) against class y, weight w: sets dx, returns loss. */
static double
ce(int n, const nn_real *x, int y, nn_real w, nn_real *dx)
{
	unsigned char gold[4096];
	int i;

	if (n > (int)sizeof(gold))
		return 0;
	for (i = 0; i < n; i++)
		gold[i] = i == y;
	return nn_listwise_ce(n, x, NULL, gold, w, dx);
}

/* Backward of the span head for mark row e, gold start a, gold end b. */
static double
span_bwd(struct nn_run *r, const struct feat_step *s, struct nn_grad *g,
    int e, int a, int b, nn_real w)
{
	const struct nn *n = r->net;
	const struct nn_config *c = &n->c;
	const int dh = (int)c->dh, T = s->T, dsp = (int)c->dsp;
	double loss;
	nn_real *x;
	int L, i, j, jj;

	start_fwd(r, s, e);
	loss = ce(T, r->stl, a, w, g != NULL ? r->dstl : NULL);
	L = end_fwd(r, s, a);
	loss += ce(L, r->enl, b - a, w, g != NULL ? r->denl : NULL);
	if (g == NULL)
		return loss;
	zero(r->dpu, dh);

	/* End. */
	zero(r->den1, (size_t)L * dsp);
	nn_linear_bwd(L, dsp, 1, r->en1, dsp, PW(n, P_EN2_W), r->denl, 1,
	    GW(g, P_EN2_W), GW(g, P_EN2_B), r->den1, dsp);
	nn_relu_bwd(L, dsp, r->en1, dsp, r->den1, dsp);
	zero(r->denin, (size_t)L * n->den);
	nn_linear_bwd(L, n->den, dsp, r->enin, n->den, PW(n, P_EN1_W),
	    r->den1, dsp, GW(g, P_EN1_W), GW(g, P_EN1_B), r->denin, n->den);
	for (jj = 0; jj < L; jj++) {
		i = a + jj;
		x = r->denin + (size_t)jj * n->den;
		for (j = 0; j < dh; j++) {
			r->dh[(size_t)i * dh + j] += x[j] +
			    x[dh + j] * r->pu[j];
			r->dpu[j] += x[dh + j] * r->h[(size_t)i * dh + j];
			r->dh[(size_t)a * dh + j] += x[2 * dh + j];
		}
		x += 3 * dh + c->ntokf;
		for (j = 0; j < (int)c->dlen; j++)
			GW(g, P_LEN)[(size_t)jj * c->dlen + j] += x[j];
	}

	/* Start. */
	zero(r->dst1, (size_t)T * dsp);
	nn_linear_bwd(T, dsp, 1, r->st1, dsp, PW(n, P_ST2_W), r->dstl, 1,
	    GW(g, P_ST2_W), GW(g, P_ST2_B), r->dst1, dsp);
	nn_relu_bwd(T, dsp, r->st1, dsp, r->dst1, dsp);
	zero(r->dstin, (size_t)T * n->dst);
	nn_linear_bwd(T, n->dst, dsp, r->stin, n->dst, PW(n, P_ST1_W),
	    r->dst1, dsp, GW(g, P_ST1_W), GW(g, P_ST1_B), r->dstin, n->dst);
	for (i = 0; i < T; i++) {
		x = r->dstin + (size_t)i * n->dst;
		for (j = 0; j < dh; j++) {
			r->dh[(size_t)i * dh + j] += x[j] +
			    x[dh + j] * r->pu[j];
			r->dpu[j] += x[dh + j] * r->h[(size_t)i * dh + j];
		}
	}

	/* pu = P u_e. */
	nn_linear_bwd(1, (int)c->du, dh, r->u + (size_t)e * c->du, (int)c->du,
	    PW(n, P_SPAN_P), r->dpu, dh, GW(g, P_SPAN_P), NULL,
	    r->du + (size_t)e * c->du, (int)c->du);
	return loss;
}

/* Backward of the option scorer for mark row e, gold option y. */
static double
opt_bwd(struct nn_run *r, const struct feat_step *s, struct nn_grad *g,
    int e, int y, nn_real w)
{
	const struct nn *n = r->net;
	const struct nn_config *c = &n->c;
	const int d = (int)c->d, dh = (int)c->dh, dopt = (int)c->dopt;
	int no, o0 = s->opt_off[e], i, j;
	double loss;

	no = opt_fwd(r, s, e);
	loss = ce(no, r->ool, y, w, g != NULL ? r->dool : NULL);
	if (g == NULL)
		return loss;
	zero(r->doo1, (size_t)no * dopt);
	nn_linear_bwd(no, dopt, 1, r->oo1, dopt, PW(n, P_OPT2_W), r->dool, 1,
	    GW(g, P_OPT2_W), GW(g, P_OPT2_B), r->doo1, dopt);
	nn_relu_bwd(no, dopt, r->oo1, dopt, r->doo1, dopt);
	zero(r->dooin, (size_t)no * n->doin);
	nn_linear_bwd(no, n->doin, dopt, r->ooin, n->doin, PW(n, P_OPT1_W),
	    r->doo1, dopt, GW(g, P_OPT1_W), GW(g, P_OPT1_B), r->dooin,
	    n->doin);
	for (i = 0; i < no; i++)
		for (j = 0; j < d; j++)
			r->dov[(size_t)i * d + j] =
			    r->dooin[(size_t)i * n->doin + j];
	for (i = 0; i < no; i++)
		for (j = 0; j < dh; j++)
			r->doc[(size_t)i * dh + j] =
			    r->dooin[(size_t)i * n->doin + d + j];
	zero(r->doq, (size_t)no * dh);
	nn_attn_bwd(no, s->T, dh, (nn_real)1 / NN_SQRT((nn_real)dh), r->oq,
	    r->h, r->op, r->doc, r->doq, r->dh, r->tmp);
	nn_linear_bwd(no, d, dh, r->ov, d, PW(n, P_OQ_W), r->doq, dh,
	    GW(g, P_OQ_W), GW(g, P_OQ_B), r->dov, d);
	for (i = 0; i < no; i++)
		bag_mean_bwd(r, s->bag, s->obag_off[o0 + i],
		    s->obag_off[o0 + i + 1], r->dov + (size_t)i * d);
	return loss;
}

int
nn_loss(struct nn_run *r, const struct feat_step *s,
    const struct nn_label *y, const struct nn_loss_w *wp, struct nn_grad *g,
    struct nn_losses *out)
{
	static const struct nn_loss_w wdef = { 1.0, 0.5, 0.5, 0.5 };
	const struct nn *n = r->net;
	const struct nn_config *c = &n->c;
	const struct nn_loss_w *w = wp != NULL ? wp : &wdef;
	const int d = (int)c->d, dh = (int)c->dh, du = (int)c->du;
	const int dg = (int)c->dg, dop = (int)c->dop;
	const int T = s->T, N = s->N, M = N + FEAT_NPSEUDO;
	nn_real *x, *dx, scale;
	int e, i, j, b, kk, best, eg, rc, nng;
	double l;

	memset(out, 0, sizeof(*out));
	if (y->ngold < 1 || y->ngold > NN_MAX_GOLD)
		return ERR_INVALID;
	for (i = 0; i < y->ngold; i++)
		if (y->gold[i] < 0 || y->gold[i] >= M)
			return ERR_INVALID;
	if ((rc = fwd(r, s, g != NULL, 0)) != 0)
		return rc;
	memset(r->gold, 0, (size_t)M);
	for (i = 0; i < y->ngold; i++)
		r->gold[y->gold[i]] = 1;
	eg = y->gold[0] < N ? y->gold[0] : -1;

	/* Element loss and accuracy. */
	if (g != NULL)
		zero(r->ds, M);
	out->el = nn_listwise_ce(M, r->s, s->row_mask, r->gold,
	    (nn_real)w->el, g != NULL ? r->ds : NULL);
	best = -1;
	for (e = 0; e < M; e++)
		if (s->row_mask[e] && (best < 0 || r->s[e] > r->s[best]))
			best = e;
	out->correct = best >= 0 && r->gold[best];

	if (g != NULL) {
		zero(r->dtv, (size_t)s->U * d);
		zero(r->dh, (size_t)T * dh);
		zero(r->du, (size_t)M * du);
		zero(r->dg, dg);
		zero(r->dk, (size_t)M * dh);
	}

	/* Scorer backward. */
	if (g != NULL) {
		zero(r->ds2, (size_t)M * c->ds2);
		nn_linear_bwd(M, (int)c->ds2, 1, r->s2, (int)c->ds2,
		    PW(n, P_SC3_W), r->ds, 1, GW(g, P_SC3_W), GW(g, P_SC3_B),
		    r->ds2, (int)c->ds2);
		nn_relu_bwd(M, (int)c->ds2, r->s2, (int)c->ds2, r->ds2,
		    (int)c->ds2);
		zero(r->ds1, (size_t)M * c->ds1);
		nn_linear_bwd(M, (int)c->ds1, (int)c->ds2, r->s1, (int)c->ds1,
		    PW(n, P_SC2_W), r->ds2, (int)c->ds2, GW(g, P_SC2_W),
		    GW(g, P_SC2_B), r->ds1, (int)c->ds1);
		nn_relu_bwd(M, (int)c->ds1, r->s1, (int)c->ds1, r->ds1,
		    (int)c->ds1);
		zero(r->dz, (size_t)M * n->dz);
		nn_linear_bwd(M, n->dz, (int)c->ds1, r->z, n->dz,
		    PW(n, P_SC1_W), r->ds1, (int)c->ds1, GW(g, P_SC1_W),
		    GW(g, P_SC1_B), r->dz, n->dz);
		for (e = 0; e < M; e++) {
			dx = r->dz + (size_t)e * n->dz;
			for (j = 0; j < du; j++)
				r->du[(size_t)e * du + j] += dx[j];
			for (j = 0; j < dh; j++) {
				r->dc[(size_t)e * dh + j] = dx[du + j] +
				    dx[du + dh + j] * r->k[(size_t)e * dh + j];
				r->dk[(size_t)e * dh + j] +=
				    dx[du + dh + j] * r->c[(size_t)e * dh + j];
			}
		}
		nn_attn_bwd(M, T, dh, (nn_real)1 / NN_SQRT((nn_real)dh), r->k,
		    r->h, r->p, r->dc, r->dk, r->dh, r->tmp);
		nn_linear_bwd(M, du, dh, r->u, du, PW(n, P_Q_W), r->dk, dh,
		    GW(g, P_Q_W), GW(g, P_Q_B), r->du, du);
	}

	/* Op head on the gold mark. */
	if (eg >= 0 && y->op >= 0 && y->op < NN_NOPS) {
		op_fwd(r, eg);
		out->op = ce(NN_NOPS, r->ol, y->op, (nn_real)w->op,
		    g != NULL ? r->dol : NULL);
		if (g != NULL) {
			zero(r->do1, dop);
			nn_linear_bwd(1, dop, NN_NOPS, r->o1, dop,
			    PW(n, P_OP2_W), r->dol, NN_NOPS, GW(g, P_OP2_W),
			    GW(g, P_OP2_B), r->do1, dop);
			nn_relu_bwd(1, dop, r->o1, dop, r->do1, dop);
			zero(r->doin, (size_t)du + dg);
			nn_linear_bwd(1, du + dg, dop, r->oin, du + dg,
			    PW(n, P_OP1_W), r->do1, dop, GW(g, P_OP1_W),
			    GW(g, P_OP1_B), r->doin, du + dg);
			for (j = 0; j < du; j++)
				r->du[(size_t)eg * du + j] += r->doin[j];
			for (j = 0; j < dg; j++)
				r->dg[j] += r->doin[du + j];
		}
	}

	/* Span head. */
	if (eg >= 0 && y->op == NN_OP_TYPE && y->span_start >= 0 &&
	    y->span_end >= y->span_start && y->span_end < T &&
	    y->span_end - y->span_start < (int)c->span_max)
		out->span = span_bwd(r, s, g, eg, y->span_start, y->span_end,
		    (nn_real)w->span);

	/* Option scorer. */
	if (eg >= 0 && y->option >= 0 &&
	    y->option < s->opt_off[eg + 1] - s->opt_off[eg])
		out->opt = opt_bwd(r, s, g, eg, y->option, (nn_real)w->opt);

	out->total = out->el + out->op + out->span + out->opt;
	if (g == NULL)
		return 0;

	/* Pseudo-marks: u_k = ReLU(P_k + Wp g). */
	for (kk = 0; kk < FEAT_NPSEUDO; kk++) {
		for (j = 0; j < du; j++)
			r->dpre[j] = r->u[(size_t)(N + kk) * du + j] > 0 ?
			    r->du[(size_t)(N + kk) * du + j] : 0;
		for (j = 0; j < du; j++)
			GW(g, P_PSEUDO_U)[kk * du + j] += r->dpre[j];
		nn_linear_bwd(1, dg, du, r->g, dg, PW(n, P_PSEUDO_W), r->dpre,
		    du, GW(g, P_PSEUDO_W), NULL, r->dg, dg);
	}

	/* Global vector. */
	nn_relu_bwd(1, dg, r->g, dg, r->dg, dg);
	zero(r->dgin, n->dgin);
	nn_linear_bwd(1, n->dgin, dg, r->gin, n->dgin, PW(n, P_GLOB_W), r->dg,
	    dg, GW(g, P_GLOB_W), GW(g, P_GLOB_B), r->dgin, n->dgin);
	if (N > 0) {
		scale = (nn_real)1 / (nn_real)N;
		for (e = 0; e < N; e++)
			for (j = 0; j < du; j++)
				r->du[(size_t)e * du + j] += scale * r->dgin[j];
		for (j = 0; j < du; j++)
			if (r->argmax[j] >= 0)
				r->du[(size_t)r->argmax[j] * du + j] +=
				    r->dgin[du + j];
	}
	if (T > 0) {
		scale = (nn_real)1 / (nn_real)T;
		for (i = 0; i < T; i++)
			for (j = 0; j < dh; j++)
				r->dh[(size_t)i * dh + j] +=
				    scale * r->dgin[2 * du + j];
	}
	if (s->nh > 0)
		bag_mean_bwd(r, s->hbag, 0, s->nh, r->dgin + 2 * du + dh);

	/* Mark encoder. */
	nn_relu_bwd(N, du, r->u, du, r->du, du);
	if (r->dropout > 0)
		for (i = 0; i < N * du; i++)
			r->du[i] *= r->drop[i];
	zero(r->dxe, (size_t)N * n->din);
	nn_linear_bwd(N, n->din, du, r->xe, n->din, PW(n, P_ENC_W), r->du, du,
	    GW(g, P_ENC_W), GW(g, P_ENC_B), r->dxe, n->din);
	for (e = 0; e < N; e++) {
		x = r->dxe + (size_t)e * n->din;
		for (b = 0; b < FEAT_NBAGS; b++)
			bag_mean_bwd(r, s->bag,
			    s->bag_off[e * FEAT_NBAGS + b],
			    s->bag_off[e * FEAT_NBAGS + b + 1], x + b * d);
		x += FEAT_NBAGS * d;
		dx = GW(g, P_TAG) + (size_t)s->cat[e * FEAT_NCAT] * c->dtag;
		for (j = 0; j < (int)c->dtag; j++)
			dx[j] += x[j];
		x += c->dtag;
		dx = GW(g, P_ROLE) + (size_t)s->cat[e * FEAT_NCAT + 1] *
		    c->drole;
		for (j = 0; j < (int)c->drole; j++)
			dx[j] += x[j];
		x += c->drole;
		dx = GW(g, P_TYPE) + (size_t)s->cat[e * FEAT_NCAT + 2] *
		    c->dtype;
		for (j = 0; j < (int)c->dtype; j++)
			dx[j] += x[j];
	}

	/* Instruction encoder. */
	nn_tanh_bwd(T, dh, r->h, dh, r->dh, dh);
	zero(r->dx3, (size_t)T * 3 * d);
	nn_linear_bwd(T, 3 * d, dh, r->x3, 3 * d, PW(n, P_CONV_W), r->dh, dh,
	    GW(g, P_CONV_W), GW(g, P_CONV_B), r->dx3, 3 * d);
	zero(r->dv, (size_t)T * d);
	nn_conv3_cols_bwd(T, d, r->dx3, r->dv);
	for (i = 0; i < T; i++) {
		x = r->dtv + (size_t)s->itok_u[i] * d;
		for (j = 0; j < d; j++)
			x[j] += r->dv[(size_t)i * d + j];
		if (s->ibigram[i] != FEAT_NONE)
			nn_emb_scatter(&g->emb, &s->ibigram[i], 1, 1,
			    r->dv + (size_t)i * d);
	}

	/* Token vectors into the hashed table. */
	for (i = 0; i < s->U; i++) {
		x = r->dtv + (size_t)i * d;
		nn_emb_scatter(&g->emb, &s->uword[i], 1, 1, x);
		if (s->ushape[i] != FEAT_NONE)
			nn_emb_scatter(&g->emb, &s->ushape[i], 1, 1, x);
		nng = s->ung_off[i + 1] - s->ung_off[i];
		if (nng > 0)
			nn_emb_scatter(&g->emb, s->ung + s->ung_off[i], nng,
			    (nn_real)1 / (nn_real)nng, x);
	}
	l = out->total;
	(void)l;
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Adam.                                                                  */

struct nn_adam {
	struct nn_adam_params p;
	long		 t;		/* dense step count */
	nn_real		*m, *v;		/* [ndense] moments */
	nn_real		*em, *ev;	/* [hash_rows x d] table moments */
	uint32_t	*et;		/* [hash_rows] per-row step count */
};

void
nn_adam_default(struct nn_adam_params *p)
{
	p->lr = 2e-3;
	p->lr_emb = 1e-2;
	p->beta1 = 0.9;
	p->beta2 = 0.999;
	p->eps = 1e-8;
	p->weight_decay = 1e-5;
	p->clip = 5.0;
}

struct nn_adam *
nn_adam_new(const struct nn *n, const struct nn_adam_params *p)
{
	struct nn_adam *a;
	size_t te = (size_t)n->c.hash_rows * n->c.d;

	a = xcalloc(1, sizeof(*a));
	if (p != NULL)
		a->p = *p;
	else
		nn_adam_default(&a->p);
	a->m = calloc(n->ndense, sizeof(nn_real));
	a->v = calloc(n->ndense, sizeof(nn_real));
	a->em = calloc(te, sizeof(nn_real));
	a->ev = calloc(te, sizeof(nn_real));
	a->et = calloc(n->c.hash_rows, sizeof(uint32_t));
	if (a->m == NULL || a->v == NULL || a->em == NULL || a->ev == NULL ||
	    a->et == NULL) {
		nn_adam_free(a);
		return NULL;
	}
	return a;
}

void
nn_adam_free(struct nn_adam *a)
{
	if (a == NULL)
		return;
	free(a->m);
	free(a->v);
	free(a->em);
	free(a->ev);
	free(a->et);
	free(a);
}

/* One Adam update of cnt values (AdamW-style decoupled decay). */
static void
adam_update(nn_real *w, const nn_real *gr, nn_real *m, nn_real *v,
    size_t cnt, double gscale, double lr, double b1, double b2, double eps,
    double bc1, double bc2, double wd)
{
	double gi, mh, vh;
	size_t i;

	for (i = 0; i < cnt; i++) {
		gi = (double)gr[i] * gscale;
		m[i] = (nn_real)(b1 * (double)m[i] + (1 - b1) * gi);
		v[i] = (nn_real)(b2 * (double)v[i] + (1 - b2) * gi * gi);
		mh = (double)m[i] / bc1;
		vh = (double)v[i] / bc2;
		w[i] = (nn_real)((double)w[i] - lr * (mh / (sqrt(vh) + eps) +
		    wd * (double)w[i]));
	}
}

double
nn_adam_step(struct nn_adam *a, struct nn *n, struct nn_grad *g,
    double scale, double lr_mult)
{
	const struct nn_adam_params *p = &a->p;
	size_t i, cnt, d = n->c.d;
	double norm2 = 0, norm, gscale;
	uint32_t row;
	int k;

	/* Global norm over dense tensors and touched table rows. */
	for (i = 0; i < n->ndense; i++)
		norm2 += (double)g->dense[i] * (double)g->dense[i];
	for (i = 0; i < g->emb.ntouched; i++) {
		row = g->emb.touched[i];
		for (k = 0; k < (int)d; k++)
			norm2 += (double)g->emb.grad[row * d + k] *
			    (double)g->emb.grad[row * d + k];
	}
	norm = sqrt(norm2) * scale;
	gscale = scale;
	if (p->clip > 0 && norm > p->clip)
		gscale *= p->clip / norm;

	a->t++;
	for (k = 0; k < P_N; k++) {
		if (k == P_EMB)
			continue;
		cnt = (size_t)n->rows[k] * n->cols[k];
		adam_update(PW(n, k), GW(g, k), a->m + n->off[k],
		    a->v + n->off[k], cnt, gscale, p->lr * lr_mult, p->beta1,
		    p->beta2, p->eps, 1 - pow(p->beta1, (double)a->t),
		    1 - pow(p->beta2, (double)a->t),
		    (n->init[k] == I_FANIN || n->init[k] == I_OUT) ?
		    p->weight_decay : 0);
	}
	/* Lazy Adam: only touched rows, each with its own step count. */
	for (i = 0; i < g->emb.ntouched; i++) {
		row = g->emb.touched[i];
		a->et[row]++;
		adam_update(n->emb + row * d, g->emb.grad + row * d,
		    a->em + row * d, a->ev + row * d, d, gscale,
		    p->lr_emb * lr_mult, p->beta1, p->beta2, p->eps,
		    1 - pow(p->beta1, (double)a->et[row]),
		    1 - pow(p->beta2, (double)a->et[row]), 0);
	}
	nn_grad_zero(g);
	return norm;
}
