/*
 * fuzz-conf.c: webnavd's configuration parser (src/conf.c).
 *
 * The input is a configuration file.  Beyond not crashing, the parser must
 * keep its promise that conf_format() writes what parses back to the same
 * configuration: a parsed input is formatted, parsed again and formatted
 * again, and the two texts must be equal (abort() otherwise, which the
 * fuzzer reports like a crash).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "fuzz.h"
#include "log.h"

/* Parses, formats, parses again and compares. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	struct conf *a = NULL, *b = NULL;
	char *cause = NULL, *fa = NULL, *fb = NULL, dur[32];

	if (!init) {
		log_init("fuzz-conf", 0, LOG_LVL_WARN);
		init = 1;
	}
	if (conf_parse((const char *)data, size, "fuzz", &a, &cause) != 0)
		goto out;
	fa = conf_format(a);
	if (conf_parse(fa, strlen(fa), "fuzz-formatted", &b, &cause) != 0) {
		fprintf(stderr, "formatted configuration does not parse:\n"
		    "%s\n--- error:\n%s\n", fa, cause);
		abort();
	}
	fb = conf_format(b);
	if (strcmp(fa, fb) != 0) {
		fprintf(stderr, "formatting is not stable:\n%s\n---\n%s\n",
		    fa, fb);
		abort();
	}
	(void)conf_fmt_duration(a->task_timeout_max_ms, dur, sizeof(dur));
	(void)conf_fmt_duration(a->stop_grace_ms, dur, sizeof(dur));
out:
	free(fa);
	free(fb);
	free(cause);
	conf_free(a);
	conf_free(b);
	return 0;
}
