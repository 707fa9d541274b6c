/* xmalloc.c: allocation wrappers that die on failure. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

static void
die(const char *what, size_t n)
{
	fprintf(stderr, "webnav: %s: cannot allocate %zu bytes\n", what, n);
	abort();
}

void *
xmalloc(size_t size)
{
	void *p;

	if (size == 0)
		die("xmalloc: zero size", size);
	if ((p = malloc(size)) == NULL)
		die("xmalloc", size);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p;

	if (nmemb == 0 || size == 0)
		die("xcalloc: zero size", 0);
	if (SIZE_MAX / nmemb < size)
		die("xcalloc: overflow", SIZE_MAX);
	if ((p = calloc(nmemb, size)) == NULL)
		die("xcalloc", nmemb * size);
	return p;
}

void *
xreallocarray(void *ptr, size_t nmemb, size_t size)
{
	void *p;

	if (nmemb == 0 || size == 0)
		die("xreallocarray: zero size", 0);
	if (SIZE_MAX / nmemb < size)
		die("xreallocarray: overflow", SIZE_MAX);
	if ((p = realloc(ptr, nmemb * size)) == NULL)
		die("xreallocarray", nmemb * size);
	return p;
}

char *
xstrdup(const char *s)
{
	char *p;

	if ((p = strdup(s)) == NULL)
		die("xstrdup", strlen(s) + 1);
	return p;
}

char *
xstrndup(const char *s, size_t n)
{
	char *p;

	if ((p = strndup(s, n)) == NULL)
		die("xstrndup", n + 1);
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&p, fmt, ap);
	va_end(ap);
	if (n < 0)
		die("xasprintf", 0);
	return p;
}
