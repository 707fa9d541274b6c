/*
 * xmalloc.h: allocation that cannot fail.
 *
 * For small, fixed-size allocations only: these print a message and abort
 * the process on exhaustion or overflow.  Anything sized by input (network,
 * files) uses checked malloc with a hard cap instead.
 */
#ifndef WEBNAV_XMALLOC_H
#define WEBNAV_XMALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
/* Returns a newly allocated formatted string (vasprintf that dies). */
char	*xasprintf(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));

#endif /* WEBNAV_XMALLOC_H */
