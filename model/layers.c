/*
 * layers.c: forward and backward of the network's building blocks (see
 * layers.h).  Fixed loop orders only, so results are reproducible.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "err.h"
#include "layers.h"

/* The one matrix product: row-major BLAS gemm. */
void
nn_gemm(int ta, int tb, int m, int n, int k, nn_real alpha,
    const nn_real *A, int lda, const nn_real *B, int ldb, nn_real beta,
    nn_real *C, int ldc)
{
	int i, j;

	if (m <= 0 || n <= 0)
		return;
	if (k <= 0) {
		for (i = 0; i < m; i++)
			for (j = 0; j < n; j++)
				C[(size_t)i * ldc + j] =
				    fpclassify(beta) == FP_ZERO ? 0 :
				    beta * C[(size_t)i * ldc + j];
		return;
	}
#ifdef NN_DOUBLE
	cblas_dgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans,
	    tb ? CblasTrans : CblasNoTrans, m, n, k, alpha, A, lda, B, ldb,
	    beta, C, ldc);
#else
	cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans,
	    tb ? CblasTrans : CblasNoTrans, m, n, k, alpha, A, lda, B, ldb,
	    beta, C, ldc);
#endif
}

/*
 * y[0..n) += a * x[0..n).  Four at a time, so that the compiler
 * vectorises it at -O2; the arithmetic of each element is unchanged.
 */
void
nn_axpy(int n, nn_real a, const nn_real *restrict x, nn_real *restrict y)
{
	int j;

	for (j = 0; j + 4 <= n; j += 4) {
		y[j] += a * x[j];
		y[j + 1] += a * x[j + 1];
		y[j + 2] += a * x[j + 2];
		y[j + 3] += a * x[j + 3];
	}
	for (; j < n; j++)
		y[j] += a * x[j];
}

/* y[0..n) += x[0..n), four at a time. */
static void
vec_add(int n, const nn_real *restrict x, nn_real *restrict y)
{
	int j;

	for (j = 0; j + 4 <= n; j += 4) {
		y[j] += x[j];
		y[j + 1] += x[j + 1];
		y[j + 2] += x[j + 2];
		y[j + 3] += x[j + 3];
	}
	for (; j < n; j++)
		y[j] += x[j];
}

/* y[m] (stride incy) = A[m x k] (lda) x[k]: BLAS gemv. */
static void
nn_gemv(int m, int k, const nn_real *A, int lda, const nn_real *x,
    nn_real *y, int incy)
{
#ifdef NN_DOUBLE
	cblas_dgemv(CblasRowMajor, CblasNoTrans, m, k, 1, A, lda, x, 1, 0, y,
	    incy);
#else
	cblas_sgemv(CblasRowMajor, CblasNoTrans, m, k, 1, A, lda, x, 1, 0, y,
	    incy);
#endif
}

/*
 * Y = X W^T + b.  One input row or one output column is a matrix-vector
 * product (gemv: a gemm of that shape costs several times more).
 */
void
nn_linear_fwd(int n, int in, int out, const nn_real *X, int ldx,
    const nn_real *W, const nn_real *b, nn_real *Y, int ldy)
{
	int i;

	if (n == 1 && out > 0 && in > 0)
		nn_gemv(out, in, W, in, X, Y, 1);
	else if (out == 1 && n > 0 && in > 0)
		nn_gemv(n, in, X, ldx, W, Y, ldy);
	else
		nn_gemm(0, 1, n, out, in, 1, X, ldx, W, in, 0, Y, ldy);
	if (b == NULL)
		return;
	for (i = 0; i < n; i++)
		vec_add(out, b, Y + (size_t)i * ldy);
}

/* Gradients of Y = X W^T + b. */
void
nn_linear_bwd(int n, int in, int out, const nn_real *X, int ldx,
    const nn_real *W, const nn_real *dY, int lddy, nn_real *dW,
    nn_real *db, nn_real *dX, int lddx)
{
	int i, j;

	if (dW != NULL)
		nn_gemm(1, 0, out, in, n, 1, dY, lddy, X, ldx, 1, dW, in);
	if (db != NULL)
		for (i = 0; i < n; i++)
			for (j = 0; j < out; j++)
				db[j] += dY[(size_t)i * lddy + j];
	if (dX != NULL)
		nn_gemm(0, 0, n, in, out, 1, dY, lddy, W, in, 1, dX, lddx);
}

void
nn_relu_fwd(int n, int m, nn_real *Y, int ld)
{
	nn_real *y;
	int i, j;

	/* Branch-free, four at a time, so that it vectorises; NaN: 0. */
	for (i = 0; i < n; i++) {
		y = Y + (size_t)i * ld;
		for (j = 0; j + 4 <= m; j += 4) {
			y[j] = y[j] > 0 ? y[j] : 0;
			y[j + 1] = y[j + 1] > 0 ? y[j + 1] : 0;
			y[j + 2] = y[j + 2] > 0 ? y[j + 2] : 0;
			y[j + 3] = y[j + 3] > 0 ? y[j + 3] : 0;
		}
		for (; j < m; j++)
			y[j] = y[j] > 0 ? y[j] : 0;
	}
}

void
nn_relu_bwd(int n, int m, const nn_real *Y, int ldy, nn_real *dY, int lddy)
{
	int i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < m; j++)
			if (!(Y[(size_t)i * ldy + j] > 0))
				dY[(size_t)i * lddy + j] = 0;
}

void
nn_tanh_fwd(int n, int m, nn_real *Y, int ld)
{
	int i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < m; j++)
			Y[(size_t)i * ld + j] = NN_TANH(Y[(size_t)i * ld + j]);
}

void
nn_tanh_bwd(int n, int m, const nn_real *Y, int ldy, nn_real *dY, int lddy)
{
	nn_real y;
	int i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < m; j++) {
			y = Y[(size_t)i * ldy + j];
			dY[(size_t)i * lddy + j] *= 1 - y * y;
		}
}

/* X3[t] = [V[t-1]; V[t]; V[t+1]], zeros outside 0..T-1. */
void
nn_conv3_cols(int T, int d, const nn_real *V, nn_real *X3)
{
	size_t sz = (size_t)d * sizeof(nn_real);
	int t, k, src;

	for (t = 0; t < T; t++)
		for (k = 0; k < 3; k++) {
			src = t + k - 1;
			if (src < 0 || src >= T)
				memset(X3 + (size_t)t * 3 * d + (size_t)k * d,
				    0, sz);
			else
				memcpy(X3 + (size_t)t * 3 * d + (size_t)k * d,
				    V + (size_t)src * d, sz);
		}
}

/* Folds dX3 back onto dV. */
void
nn_conv3_cols_bwd(int T, int d, const nn_real *dX3, nn_real *dV)
{
	const nn_real *g;
	int t, k, src, j;

	for (t = 0; t < T; t++)
		for (k = 0; k < 3; k++) {
			src = t + k - 1;
			if (src < 0 || src >= T)
				continue;
			g = dX3 + (size_t)t * 3 * d + (size_t)k * d;
			for (j = 0; j < d; j++)
				dV[(size_t)src * d + j] += g[j];
		}
}

/* Masked row softmax in place. */
void
nn_softmax_rows(int n, int m, nn_real *X, int ld, const unsigned char *mask)
{
	nn_real mx, *x;
	double sum;
	int i, j, any;

	for (i = 0; i < n; i++) {
		x = X + (size_t)i * ld;
		any = 0;
		mx = 0;
		for (j = 0; j < m; j++) {
			if (mask != NULL && !mask[j])
				continue;
			if (!any || x[j] > mx)
				mx = x[j];
			any = 1;
		}
		sum = 0;
		for (j = 0; j < m; j++) {
			if (!any || (mask != NULL && !mask[j])) {
				x[j] = 0;
				continue;
			}
			x[j] = NN_EXP(x[j] - mx);
			sum += (double)x[j];
		}
		if (any)
			for (j = 0; j < m; j++)
				x[j] = (nn_real)((double)x[j] / sum);
	}
}

/* dX = P (dP - rowsum(dP P)); dX may alias dP. */
void
nn_softmax_bwd(int n, int m, const nn_real *P, int ldp, const nn_real *dP,
    int lddp, nn_real *dX, int lddx)
{
	double s;
	int i, j;

	for (i = 0; i < n; i++) {
		s = 0;
		for (j = 0; j < m; j++)
			s += (double)dP[(size_t)i * lddp + j] *
			    (double)P[(size_t)i * ldp + j];
		for (j = 0; j < m; j++)
			dX[(size_t)i * lddx + j] = (nn_real)(
			    (double)P[(size_t)i * ldp + j] *
			    ((double)dP[(size_t)i * lddp + j] - s));
	}
}

void
nn_attn_fwd(int n, int T, int d, nn_real scale, const nn_real *Q,
    const nn_real *H, nn_real *P, nn_real *C)
{
	nn_gemm(0, 1, n, T, d, scale, Q, d, H, d, 0, P, T);
	nn_softmax_rows(n, T, P, T, NULL);
	nn_gemm(0, 0, n, d, T, 1, P, T, H, d, 0, C, d);
}

void
nn_attn_bwd(int n, int T, int d, nn_real scale, const nn_real *Q,
    const nn_real *H, const nn_real *P, const nn_real *dC, nn_real *dQ,
    nn_real *dH, nn_real *tmp)
{
	/* tmp = dP = dC H^T, then the logits' gradient in place. */
	nn_gemm(0, 1, n, T, d, 1, dC, d, H, d, 0, tmp, T);
	if (dH != NULL)
		nn_gemm(1, 0, T, d, n, 1, P, T, dC, d, 1, dH, d);
	nn_softmax_bwd(n, T, P, T, tmp, T, tmp, T);
	if (dQ != NULL)
		nn_gemm(0, 0, n, d, T, scale, tmp, T, H, d, 1, dQ, d);
	if (dH != NULL)
		nn_gemm(1, 0, T, d, n, scale, tmp, T, Q, d, 1, dH, d);
}

/* log-sum-exp of s over the entries allowed by a and b (b may be NULL). */
static double
lse(int n, const nn_real *s, const unsigned char *a, const unsigned char *b,
    double *mxp)
{
	double mx = 0, sum = 0;
	int i, any = 0;

	for (i = 0; i < n; i++) {
		if ((a != NULL && !a[i]) || (b != NULL && !b[i]))
			continue;
		if (!any || (double)s[i] > mx)
			mx = (double)s[i];
		any = 1;
	}
	*mxp = mx;
	if (!any)
		return -HUGE_VAL;
	for (i = 0; i < n; i++) {
		if ((a != NULL && !a[i]) || (b != NULL && !b[i]))
			continue;
		sum += exp((double)s[i] - mx);
	}
	return mx + log(sum);
}

/* Listwise CE with a positive set and a mask. */
double
nn_listwise_ce(int n, const nn_real *s, const unsigned char *mask,
    const unsigned char *gold, nn_real w, nn_real *ds)
{
	double la, lg, mx, pa, pg;
	int i;

	lg = lse(n, s, mask, gold, &mx);
	if (isinf(lg)) {
		if (ds != NULL)
			for (i = 0; i < n; i++)
				ds[i] = 0;
		return 0;
	}
	la = lse(n, s, mask, NULL, &mx);
	if (ds != NULL)
		for (i = 0; i < n; i++) {
			if (mask != NULL && !mask[i]) {
				ds[i] = 0;
				continue;
			}
			pa = exp((double)s[i] - la);
			pg = gold[i] ? exp((double)s[i] - lg) : 0;
			ds[i] = (nn_real)((double)w * (pa - pg));
		}
	return (double)w * (la - lg);
}

void
nn_emb_gather(int d, const nn_real *table, const uint32_t *ids, int n,
    nn_real scale, nn_real *out)
{
	int i;

	for (i = 0; i < n; i++)
		nn_axpy(d, scale, table + (size_t)ids[i] * d, out);
}

int
nn_sparse_init(struct nn_sparse *sp, int rows, int d)
{
	memset(sp, 0, sizeof(*sp));
	sp->rows = rows;
	sp->d = d;
	sp->grad = calloc((size_t)rows * d, sizeof(nn_real));
	sp->touched = calloc((size_t)rows, sizeof(uint32_t));
	sp->flag = calloc((size_t)rows, 1);
	if (sp->grad == NULL || sp->touched == NULL || sp->flag == NULL) {
		nn_sparse_free(sp);
		return ERR_NOMEM;
	}
	return 0;
}

void
nn_sparse_free(struct nn_sparse *sp)
{
	free(sp->grad);
	free(sp->touched);
	free(sp->flag);
	memset(sp, 0, sizeof(*sp));
}

void
nn_sparse_clear(struct nn_sparse *sp)
{
	size_t i;
	uint32_t r;

	for (i = 0; i < sp->ntouched; i++) {
		r = sp->touched[i];
		memset(sp->grad + (size_t)r * sp->d, 0,
		    (size_t)sp->d * sizeof(nn_real));
		sp->flag[r] = 0;
	}
	sp->ntouched = 0;
}

void
nn_emb_scatter(struct nn_sparse *sp, const uint32_t *ids, int n,
    nn_real scale, const nn_real *dout)
{
	nn_real *row;
	uint32_t r;
	int i, j;

	for (i = 0; i < n; i++) {
		r = ids[i];
		if (!sp->flag[r]) {
			sp->flag[r] = 1;
			sp->touched[sp->ntouched++] = r;
		}
		row = sp->grad + (size_t)r * sp->d;
		for (j = 0; j < sp->d; j++)
			row[j] += scale * dout[j];
	}
}
