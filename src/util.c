/*
 * util.c: the monotonic clock and "mkdir -p".
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "xmalloc.h"
#include "util.h"

/* Monotonic time in seconds. */
double
util_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Monotonic time in milliseconds. */
double
util_now_ms(void)
{
	return util_now_s() * 1e3;
}

/* mkdir -p path. */
int
util_mkdirs(const char *path)
{
	char *p = xstrdup(path), *s;
	int r = 0, saved;

	for (s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;

			*s = '\0';
			if (mkdir(p, 0755) == -1 && errno != EEXIST) {
				r = -1;
				break;
			}
			*s = c;
			if (c == '\0')
				break;
		}
	}
	saved = errno;
	free(p);
	errno = saved;
	return r;
}
