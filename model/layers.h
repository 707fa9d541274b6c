/*
 * layers.h: the network's building blocks, forward and backward.
 *
 * Matrices are row-major with an explicit leading dimension.  Every
 * matrix product goes through BLAS: nn_gemm() (cblas_sgemm, or
 * cblas_dgemm in the double-precision build used by the gradient check:
 * compile with -DNN_DOUBLE and nn_real is double), and nn_linear_fwd()
 * of one row or one output column through gemv.  Element-wise loops go
 * four at a time so that -O2 vectorises them without changing any
 * result.  Backward functions accumulate (+=) into their gradient
 * outputs; pass NULL for a gradient not wanted.
 */
#ifndef WEBNAV_LAYERS_H
#define WEBNAV_LAYERS_H

#include <stddef.h>
#include <stdint.h>

#ifdef NN_DOUBLE
typedef double nn_real;
#define NN_EXP	exp
#define NN_LOG	log
#define NN_TANH	tanh
#define NN_SQRT	sqrt
#else
typedef float nn_real;
#define NN_EXP	expf
#define NN_LOG	logf
#define NN_TANH	tanhf
#define NN_SQRT	sqrtf
#endif

/*
 * C[m x n] = alpha * op(A) * op(B) + beta * C, op(X) = X or X^T (ta, tb
 * nonzero): the one matrix product of the model.
 */
void	nn_gemm(int ta, int tb, int m, int n, int k, nn_real alpha,
	    const nn_real *A, int lda, const nn_real *B, int ldb, nn_real beta,
	    nn_real *C, int ldc);

/* Y[n x out] = X[n x in] W[out x in]^T + b[out] (b may be NULL). */
void	nn_linear_fwd(int n, int in, int out, const nn_real *X, int ldx,
	    const nn_real *W, const nn_real *b, nn_real *Y, int ldy);
/* dW += dY^T X, db += colsum(dY), dX += dY W. */
void	nn_linear_bwd(int n, int in, int out, const nn_real *X, int ldx,
	    const nn_real *W, const nn_real *dY, int lddy, nn_real *dW,
	    nn_real *db, nn_real *dX, int lddx);

/* y = max(x, 0) in place on n x m (ld) values. */
void	nn_relu_fwd(int n, int m, nn_real *Y, int ld);
/* dY *= (Y > 0). */
void	nn_relu_bwd(int n, int m, const nn_real *Y, int ldy, nn_real *dY,
	    int lddy);
void	nn_tanh_fwd(int n, int m, nn_real *Y, int ld);
/* dY *= 1 - Y^2. */
void	nn_tanh_bwd(int n, int m, const nn_real *Y, int ldy, nn_real *dY,
	    int lddy);

/*
 * Width-3 convolution as a product: X3[t] = [V[t-1]; V[t]; V[t+1]] with
 * zeros past the ends; V [T x d], X3 [T x 3d].
 */
void	nn_conv3_cols(int T, int d, const nn_real *V, nn_real *X3);
/* dV [T x d] += the columns' gradient dX3 [T x 3d] folded back. */
void	nn_conv3_cols_bwd(int T, int d, const nn_real *dX3, nn_real *dV);

/*
 * Masked softmax of each row of X [n x m] in place; mask (m bytes, may be
 * NULL) excludes columns (probability 0).  A row with no column allowed
 * becomes all zeros.
 */
void	nn_softmax_rows(int n, int m, nn_real *X, int ld,
	    const unsigned char *mask);
/* dX [n x m] (ld) = P (dP - rowsum(dP P)), computed from P and dP. */
void	nn_softmax_bwd(int n, int m, const nn_real *P, int ldp,
	    const nn_real *dP, int lddp, nn_real *dX, int lddx);

/*
 * Dot-product attention of n queries Q [n x d] over T keys/values
 * H [T x d]: P [n x T] = softmax(scale Q H^T), C [n x d] = P H.
 */
void	nn_attn_fwd(int n, int T, int d, nn_real scale, const nn_real *Q,
	    const nn_real *H, nn_real *P, nn_real *C);
/* dQ += ..., dH += ... from dC; tmp [n x T] scratch. */
void	nn_attn_bwd(int n, int T, int d, nn_real scale, const nn_real *Q,
	    const nn_real *H, const nn_real *P, const nn_real *dC,
	    nn_real *dQ, nn_real *dH, nn_real *tmp);

/*
 * Listwise softmax cross-entropy with several positives: over the
 * entries allowed by mask (NULL: all) of s [n], loss = logsumexp(s) -
 * logsumexp(s over gold).  Sets ds [n] = w * dloss/ds (0 where masked)
 * when ds is not NULL and returns w * loss.  No allowed gold entry: loss
 * and gradient 0.
 */
double	nn_listwise_ce(int n, const nn_real *s, const unsigned char *mask,
	    const unsigned char *gold, nn_real w, nn_real *ds);

/* y [n] += a * x [n] (x and y do not overlap). */
void	nn_axpy(int n, nn_real a, const nn_real *restrict x,
	    nn_real *restrict y);

/* out [d] += scale * sum of the rows ids[0..n) of table [rows x d]. */
void	nn_emb_gather(int d, const nn_real *table, const uint32_t *ids,
	    int n, nn_real scale, nn_real *out);

/*
 * Gradient of an embedding table kept sparse: a dense buffer of rows
 * plus the list of rows touched since the last clear, in first-touch
 * order (deterministic).
 */
struct nn_sparse {
	int		 rows, d;
	nn_real		*grad;		/* [rows x d], zero except touched */
	uint32_t	*touched;	/* [ntouched] row ids */
	size_t		 ntouched;
	unsigned char	*flag;		/* [rows] 1 if touched */
};

int	nn_sparse_init(struct nn_sparse *sp, int rows, int d);
void	nn_sparse_free(struct nn_sparse *sp);
/* Zeroes the touched rows and forgets them. */
void	nn_sparse_clear(struct nn_sparse *sp);
/* grad[id] += scale * dout [d] for each of ids[0..n). */
void	nn_emb_scatter(struct nn_sparse *sp, const uint32_t *ids, int n,
	    nn_real scale, const nn_real *dout);

#endif /* WEBNAV_LAYERS_H */
