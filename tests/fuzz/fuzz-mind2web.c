/*
 * fuzz-mind2web.c: the Mind2Web reader (agent/bench-mind2web.c).
 *
 * The input is a Mind2Web file (a JSON array of task records or of rows,
 * JSON Lines, or one object).  The reader takes a path, since it streams
 * files of gigabytes, so the input is written to a temporary file first.
 * Each step read is scored the way the harness scores it (first
 * candidate, operation F1, metrics), with the candidate cut (top_k) and
 * the HTML choice taken from the input's length so that both vary.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "bench.h"
#include "fuzz.h"
#include "log.h"
#include "xmalloc.h"

#define FUZZ_M2W_STEPS	1000	/* steps read from one input */

static char	*fuzz_path;

/* At exit: removes the temporary file. */
static void
fuzz_cleanup(void)
{
	if (fuzz_path != NULL)
		unlink(fuzz_path);
}

/* Makes the temporary file the inputs are written to. */
static int
fuzz_init(void)
{
	const char *dir;
	int fd;

	log_init("fuzz-mind2web", 0, LOG_LVL_WARN);
	if ((dir = getenv("TMPDIR")) == NULL || *dir == '\0')
		dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	fuzz_path = xasprintf("%s/fuzz-m2w.XXXXXX", dir);
	if ((fd = mkstemp(fuzz_path)) == -1) {
		fprintf(stderr, "fuzz-mind2web: %s: %s\n", fuzz_path,
		    strerror(errno));
		return -1;
	}
	close(fd);
	atexit(fuzz_cleanup);
	return 0;
}

/* Scores a step as the harness would, with its first candidate. */
static void
fuzz_score(const struct bench_m2w_step *s, int top_k,
    struct bench_m2w_metrics *m)
{
	struct bench_m2w_score sc;
	const char *elem;
	char *gold, *act;
	size_t i;

	for (i = 0; i < s->ncands; i++)
		(void)bench_m2w_cand_kept(&s->cands[i], top_k);
	(void)bench_m2w_npos_kept(s, top_k);
	elem = bench_m2w_first_candidate(s, top_k);
	gold = bench_m2w_action_str(s->op, s->value);
	act = bench_m2w_action_str("TYPE", s->task);
	(void)bench_m2w_f1(act, gold);
	bench_m2w_score(s, top_k, elem, gold, &sc);
	bench_m2w_metrics_add(m, s->task_id, s->website, &sc);
	free(gold);
	free(act);
}

/* Writes the input to the file and reads every step of it. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init, ok;
	struct bench_m2w_params p;
	struct bench_m2w_reader *r = NULL;
	struct bench_m2w_step *s;
	struct bench_m2w_metrics *m;
	struct bench_m2w_summary sum;
	cJSON *j;
	FILE *f;
	char *cause = NULL, *txt;
	int n;

	if (!init) {
		ok = fuzz_init() == 0;
		init = 1;
	}
	if (!ok)
		abort();
	if ((f = fopen(fuzz_path, "wb")) == NULL)
		abort();
	if (size > 0 && fwrite(data, 1, size, f) != size)
		abort();
	if (fclose(f) != 0)
		abort();

	bench_m2w_default_params(&p);
	p.top_k = (int)(size % 4);
	p.html = (size / 4) % 2 == 0 ? BENCH_M2W_CLEANED : BENCH_M2W_RAW;
	/* Small caps, so that the fuzzer reaches them. */
	p.max_record = 64 * 1024;
	p.max_html = 16 * 1024;
	if (bench_m2w_open(fuzz_path, &p, &r, &cause) != 0)
		abort();
	m = bench_m2w_metrics_new();
	for (n = 0; n < FUZZ_M2W_STEPS; n++) {
		s = NULL;
		if (bench_m2w_next(r, &s, &cause) != 0 || s == NULL)
			break;
		fuzz_score(s, p.top_k, m);
		bench_m2w_step_free(s);
	}
	free(cause);
	bench_m2w_close(r);
	bench_m2w_metrics_summary(m, &sum);
	if ((j = bench_m2w_metrics_json(m)) != NULL) {
		if ((txt = cJSON_PrintUnformatted(j)) != NULL)
			cJSON_free(txt);
		cJSON_Delete(j);
	}
	bench_m2w_metrics_free(m);
	return 0;
}
