/* buf.c: growable byte buffer with a hard cap. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"

void
buf_init(struct buf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
}

int
buf_add(struct buf *b, const void *p, size_t n)
{
	size_t need, ncap;
	char *nd;

	if (n > b->max || b->len > b->max - n)
		return ERR_TOOBIG;
	need = b->len + n;
	if (b->data == NULL || need > b->cap) {
		ncap = b->cap ? b->cap : 256;
		while (ncap < need)
			ncap = ncap > b->max / 2 ? b->max : ncap * 2;
		if ((nd = realloc(b->data, ncap + 1)) == NULL)
			return ERR_NOMEM;
		b->data = nd;
		b->cap = ncap;
	}
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len = need;
	b->data[b->len] = '\0';
	return 0;
}

int
buf_puts(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	char small[512], *big = NULL;
	int n, r;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return ERR_INVALID;
	if ((size_t)n < sizeof(small))
		return buf_add(b, small, (size_t)n);
	if ((size_t)n > b->max)
		return ERR_TOOBIG;
	if ((big = malloc((size_t)n + 1)) == NULL)
		return ERR_NOMEM;
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	r = buf_add(b, big, (size_t)n);
	free(big);
	return r;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

char *
buf_steal(struct buf *b, size_t *lenp)
{
	char *p = b->data;

	if (lenp != NULL)
		*lenp = b->len;
	if (p == NULL)
		p = calloc(1, 1);
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
