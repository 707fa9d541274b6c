/*
 * tap.h: a tiny TAP producer for unit tests.
 *
 * ok(cond, name...), is_int(got, want, name...), is_str(got, want, name...),
 * note(...), skip_all(reason...), done_testing().  Header-only: each test
 * program includes it once.
 */
#ifndef WEBNAV_TAP_H
#define WEBNAV_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_n, tap_failed;

static void __attribute__((__format__(__printf__, 2, 3)))
tap_result(int pass, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	if (!pass)
		tap_failed++;
	printf("%sok %d - ", pass ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

#define ok(cond, ...) tap_result(!!(cond), __VA_ARGS__)

#define is_int(got, want, ...) do {					\
	long long tap_g_ = (long long)(got), tap_w_ = (long long)(want); \
	tap_result(tap_g_ == tap_w_, __VA_ARGS__);			\
	if (tap_g_ != tap_w_)						\
		printf("#   got %lld, want %lld (%s:%d)\n", tap_g_, tap_w_, \
		    __FILE__, __LINE__);				\
} while (0)

#define is_str(got, want, ...) do {					\
	const char *tap_g_ = (got), *tap_w_ = (want);			\
	int tap_p_ = (tap_g_ == NULL && tap_w_ == NULL) ||		\
	    (tap_g_ != NULL && tap_w_ != NULL && strcmp(tap_g_, tap_w_) == 0); \
	tap_result(tap_p_, __VA_ARGS__);				\
	if (!tap_p_)							\
		printf("#   got \"%s\", want \"%s\" (%s:%d)\n",		\
		    tap_g_ ? tap_g_ : "(null)", tap_w_ ? tap_w_ : "(null)", \
		    __FILE__, __LINE__);				\
} while (0)

#define note(...) do {							\
	printf("# ");							\
	printf(__VA_ARGS__);						\
	printf("\n");							\
} while (0)

#define skip_all(...) do {						\
	printf("1..0 # SKIP ");						\
	printf(__VA_ARGS__);						\
	printf("\n");							\
	exit(0);							\
} while (0)

static int
done_testing(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif /* WEBNAV_TAP_H */
