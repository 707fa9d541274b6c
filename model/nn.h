/*
 * nn.h: the mark ranker network (MODEL.md 4.2), its loss, backward pass
 * and optimiser.
 *
 *   token     v = E[word] + E[shape] + mean_g E[ngram_g]          (d)
 *   instr     h_i = tanh(Wc [v_{i-1}; v_i + E[bigram_i]; v_{i+1}] + b)  (dh)
 *             q = mean_i h_i
 *   mark      x_e = [bag text; bag attrs; bag label; bag container; tag;
 *                    role; type; dense]
 *             u_e = ReLU(We x_e + b)                                  (du)
 *   global    g = ReLU(Wg [mean_e u; max_e u; q; bag hist; step] + b) (dg)
 *   pseudo    u_k = ReLU(P_k + Wp g), k = DONE, SCROLL_UP, SCROLL_DOWN
 *   attention k_e = Wq u_e + b, a_e = softmax_i(k_e . h_i / sqrt(dh)),
 *             c_e = sum_i a_ei h_i
 *   scorer    s_e = w3 ReLU(W2 ReLU(W1 [u_e; c_e; k_e * c_e; lex_e]))
 *   op head   softmax(Wo2 ReLU(Wo1 [u_e; g]))        CLICK TYPE SELECT
 *   span head start_i = w ReLU(Ws [h_i; h_i * P u_e; f_i])
 *             end_j | i = w ReLU(We [h_j; h_j * P u_e; h_i; f_j; len_{j-i}])
 *   options   o = bag(option), c_o = attention(Wo o) over h,
 *             score = w ReLU(W [o; c_o; optlex])
 *
 * Loss per step: listwise softmax CE over marks + pseudo-marks (several
 * positives, masked rows) + 0.5 CE(op of the gold mark) + 0.5 (CE(start)
 * + CE(end | gold start)) + 0.5 CE(gold option).  The casing head of
 * MODEL.md is left out: no training data has casing variation yet.
 *
 * Default widths (nn_default_config): d 64, dh 64, du 64, scorer
 * 64 -> 32, dg 64, op head 64, span head 32, options 64.  MODEL.md 4.2
 * has du 128 and a 128 -> 64 scorer; measured here (bench/model, 300
 * marks, one core) those cost the network about twice as much, which
 * did not fit the 3 ms budget on OpenBLAS's fallback kernels (which
 * OpenBLAS 0.3.21 picks on CPUs it does not know).  All widths are stored in the weights file, so a
 * trainer can choose MODEL.md's and inference follows.
 *
 * struct nn holds the weights (read-only while inferring, shareable
 * between sessions); struct nn_run is one session's workspace;
 * struct nn_grad and struct nn_adam belong to training.  Compiled with
 * -DNN_DOUBLE everything is double (gradient check).
 */
#ifndef WEBNAV_NN_H
#define WEBNAV_NN_H

#include <stddef.h>
#include <stdint.h>

#include "layers.h"

struct feat_step;

enum { NN_OP_CLICK = 0, NN_OP_TYPE, NN_OP_SELECT, NN_NOPS };

#define NN_MAX_GOLD	16

struct nn_config {
	uint32_t	d;		/* embedding width */
	uint32_t	hash_rows;	/* rows of the hashed table */
	uint32_t	cat_rows;	/* rows of the tag and role tables */
	uint32_t	type_rows;	/* rows of the input type table */
	uint32_t	dtag, drole, dtype;	/* their widths */
	uint32_t	dh;		/* instruction encoder */
	uint32_t	du;		/* mark encoder */
	uint32_t	ds1, ds2;	/* scorer hidden layers */
	uint32_t	dg;		/* global vector */
	uint32_t	dop;		/* op head hidden */
	uint32_t	dsp;		/* span head hidden */
	uint32_t	dlen;		/* span length embedding */
	uint32_t	span_max;	/* longest span (tokens) */
	uint32_t	dopt;		/* option scorer hidden */
	uint32_t	nlex, ndense, nstep, ntokf, noptlex;	/* inputs */
};

/* A named parameter tensor (rows x cols; cols 1 for vectors). */
struct nn_tensor {
	const char	*name;
	int		 rows, cols;
	nn_real		*data;
	int		 sparse;	/* 1: the hashed table (lazy updates) */
	int		 decay;		/* 1: weight decay applies */
};

/* Gold answer of one training step. */
struct nn_label {
	int	ngold;
	int	gold[NN_MAX_GOLD];	/* rows: mark index, or N + pseudo */
	int	op;			/* NN_OP_* of the gold mark, -1 none */
	int	span_start, span_end;	/* instruction tokens, -1 none */
	int	option;			/* option of the gold mark, -1 none */
};

/* Loss weights. */
struct nn_loss_w {
	double	el, op, span, opt;
};

struct nn_losses {
	double	total, el, op, span, opt;
	int	correct;	/* argmax row is gold */
};

struct nn;
struct nn_run;
struct nn_grad;
struct nn_adam;

/* MODEL.md sizes for a table of hash_rows x d and the feature widths. */
void	nn_default_config(struct nn_config *c);
/* 0 if c is usable, else ERR_INVALID with *causep. */
int	nn_check_config(const struct nn_config *c, char **causep);

/* A network with weights drawn from seed (deterministic). */
int	nn_new(const struct nn_config *c, uint64_t seed, struct nn **np,
	    char **causep);
/* A network with all weights zero (to be filled by a loader). */
int	nn_new_zero(const struct nn_config *c, struct nn **np, char **causep);
void	nn_free(struct nn *n);
const struct nn_config *nn_get_config(const struct nn *n);
size_t	nn_ntensors(const struct nn *n);
/* Tensor i of n (its data writable: loading, tests). */
int	nn_tensor(struct nn *n, size_t i, struct nn_tensor *t);
/* Number of parameters. */
size_t	nn_nparams(const struct nn *n);
/* FNV-1a of all parameter bytes (determinism tests). */
uint64_t nn_checksum(const struct nn *n);

/* A workspace for n (one per thread). */
struct nn_run *nn_run_new(const struct nn *n);
void	nn_run_free(struct nn_run *r);
/* Dropout rate on u_e in training (0 off) and its random stream. */
void	nn_run_set_dropout(struct nn_run *r, double p, uint64_t seed);

/*
 * Inference: scores every row (marks, then DONE, SCROLL_UP, SCROLL_DOWN)
 * of step s.  *scoresp points into r ([s->N + 3]; rows the step masks
 * hold -HUGE_VAL) and stays valid until the next call on r.
 */
int	nn_forward(struct nn_run *r, const struct feat_step *s,
	    const nn_real **scoresp);
/* After nn_forward: probabilities of CLICK/TYPE/SELECT for mark row e. */
int	nn_op(struct nn_run *r, const struct feat_step *s, int e,
	    nn_real probs[NN_NOPS]);
/*
 * After nn_forward: the best value span for mark row e: tokens
 * *startp..*endp and its log-probability.
 */
int	nn_span(struct nn_run *r, const struct feat_step *s, int e,
	    int *startp, int *endp, double *logpp);
/*
 * After nn_forward: the log-probability of span start..end for mark
 * row e (-HUGE_VAL past the longest span).
 */
int	nn_span_logp(struct nn_run *r, const struct feat_step *s, int e,
	    int start, int end, double *logpp);
/*
 * After nn_forward: option scores of mark row e (probabilities,
 * [number of options]); *bestp the best option index.
 */
int	nn_options(struct nn_run *r, const struct feat_step *s, int e,
	    const nn_real **probsp, int *nprobsp, int *bestp);

/* Gradients of n. */
struct nn_grad *nn_grad_new(const struct nn *n);
void	nn_grad_free(struct nn_grad *g);
void	nn_grad_zero(struct nn_grad *g);
/*
 * dst += src (both of the same network): dense tensors, and the table
 * rows src touched, in src's order; for summing the gradients of worker
 * threads in a fixed order.
 */
void	nn_grad_add(struct nn_grad *dst, const struct nn_grad *src);
/* The gradient of tensor i (dense view; sparse table: full buffer). */
nn_real	*nn_grad_data(struct nn_grad *g, size_t i);

/*
 * Training: forward, loss and (when g is not NULL) backward of one
 * step, gradients added to g.  w NULL: the default weights.
 */
int	nn_loss(struct nn_run *r, const struct feat_step *s,
	    const struct nn_label *y, const struct nn_loss_w *w,
	    struct nn_grad *g, struct nn_losses *out);

struct nn_adam_params {
	double	lr;		/* dense learning rate (2e-3) */
	double	lr_emb;		/* hashed table (lazy Adam) */
	double	beta1, beta2, eps;
	double	weight_decay;	/* on matrices */
	double	clip;		/* global gradient norm, 0 off */
};

void	nn_adam_default(struct nn_adam_params *p);
struct nn_adam *nn_adam_new(const struct nn *n, const struct nn_adam_params *p);
void	nn_adam_free(struct nn_adam *a);
/*
 * One update of n from g (gradients of a minibatch, averaged by scale:
 * pass 1/steps), learning rates times lr_mult (warm-up and decay); g is
 * zeroed.  Returns the gradient norm before clipping.
 */
double	nn_adam_step(struct nn_adam *a, struct nn *n, struct nn_grad *g,
	    double scale, double lr_mult);

#endif /* WEBNAV_NN_H */
