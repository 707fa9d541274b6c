/*
 * buf.h: a growable byte buffer with a hard cap.
 *
 * Every buffer filled from the network or a file is a struct buf whose
 * maximum is fixed at creation; buf_add() past it fails with ERR_TOOBIG and
 * leaves the contents unchanged.  The contents are always NUL-terminated
 * (not counted in len) so text can be used in place.
 */
#ifndef WEBNAV_BUF_H
#define WEBNAV_BUF_H

#include <stddef.h>

struct buf {
	char	*data;		/* len bytes + NUL; NULL while empty */
	size_t	 len;
	size_t	 cap;		/* allocated, excluding the NUL */
	size_t	 max;		/* hard maximum of len */
};

/* Initialises b empty with maximum max bytes. */
void	buf_init(struct buf *b, size_t max);
/* Appends n bytes; 0, ERR_TOOBIG or ERR_NOMEM (b unchanged on error). */
int	buf_add(struct buf *b, const void *p, size_t n);
/* Appends a NUL-terminated string. */
int	buf_puts(struct buf *b, const char *s);
/* Appends formatted text. */
int	buf_printf(struct buf *b, const char *fmt, ...)
	    __attribute__((__format__(__printf__, 2, 3)));
/* Empties b, keeping its allocation. */
void	buf_reset(struct buf *b);
/* Hands the contents to the caller (free() it) and empties b. */
char	*buf_steal(struct buf *b, size_t *lenp);
/* Frees the contents. */
void	buf_free(struct buf *b);

#endif /* WEBNAV_BUF_H */
