/*
 * test-mind2web.c: the Mind2Web reader and metrics (agent/bench.h), on the
 * hand-written files in tests/mind2web/ with every figure worked out by
 * hand below.  No browser: scoring takes predictions given here.
 *
 * tests/mind2web/tasks.json: two task records in the Mind2Web format.
 *   task-a (bookshop): a1 TYPE "dune messiah", positive 104 (negatives
 *     103, 105); a2 CLICK 204 (206, 207); a3 SELECT "Paperback" 303 (302).
 *     Ranks given: a1 104:0 105:1 103:2; a2 204:0 206:1 207:2;
 *     a3 302:0 303:1.
 *   task-b (airline): b1 TYPE "New York" 403 (405, 406, 402); b2 CLICK 406
 *     (403, 405).  Only scores given: b1 403 .8, 405 .7, 406 .2, 402 .1
 *     (ranks 0 1 2 3); b2 406 .9, 405 .4, 403 .3 (ranks 0 1 2).
 * tests/mind2web/rows.jsonl: Multimodal-Mind2Web rows (operation and
 *   candidates JSON-encoded strings), out of order:
 *   task-c (cinema): c1 (index 1) SELECT "2 tickets" 602 (604); c0 (index
 *     0) CLICK 502 (503).  task-d (cinema): d0 CLICK with no positive.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "bench.h"
#include "err.h"
#include "tap.h"

#define M2W	WEBNAV_SRCDIR "/tests/mind2web/"
#define EPS	1e-9

static int
near(double got, double want)
{
	return fabs(got - want) < EPS;
}

#define is_num(got, want, ...) do {					\
	double g_ = (got), w_ = (want);					\
	ok(near(g_, w_), __VA_ARGS__);					\
	if (!near(g_, w_))						\
		note("  got %.12f, want %.12f", g_, w_);		\
} while (0)

/* Reads every step of a file (at most 16). */
static size_t
read_all(const char *path, const struct bench_m2w_params *p,
    struct bench_m2w_step **v, int *rp, char **causep)
{
	struct bench_m2w_reader *r = NULL;
	struct bench_m2w_step *s;
	size_t n = 0;

	*causep = NULL;
	if ((*rp = bench_m2w_open(path, p, &r, causep)) != 0)
		return 0;
	while (n < 16 && (*rp = bench_m2w_next(r, &s, causep)) == 0 &&
	    s != NULL)
		v[n++] = s;
	bench_m2w_close(r);
	return n;
}

static void
free_all(struct bench_m2w_step **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		bench_m2w_step_free(v[i]);
}

/* Writes text to a temporary file; returns its path (static). */
static const char *
tmpfile_with(const char *text)
{
	static char path[64];
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "/tmp/test-mind2web.XXXXXX");
	if ((fd = mkstemp(path)) == -1 || (f = fdopen(fd, "w")) == NULL)
		abort();
	fputs(text, f);
	fclose(f);
	return path;
}

/* Expects reading text to fail with want_r and a cause containing want. */
static void
read_err(const char *text, const struct bench_m2w_params *p, int want_r,
    const char *want, const char *name)
{
	struct bench_m2w_step *v[16];
	const char *path = tmpfile_with(text);
	char *cause = NULL;
	size_t n;
	int r;

	n = read_all(path, p, v, &r, &cause);
	is_int(r, want_r, "%s: error code", name);
	ok(cause != NULL && strstr(cause, want) != NULL, "%s: says \"%s\"",
	    name, want);
	if (cause == NULL || strstr(cause, want) == NULL)
		note("  cause: %s", cause != NULL ? cause : "(null)");
	free_all(v, n);
	free(cause);
	unlink(path);
}

static void
test_f1(void)
{
	char *s;

	is_num(bench_m2w_f1("CLICK", "CLICK "), 1, "f1: CLICK == CLICK");
	is_num(bench_m2w_f1("", ""), 1, "f1: both empty is 1");
	is_num(bench_m2w_f1("CLICK", ""), 0, "f1: one empty is 0");
	is_num(bench_m2w_f1("click", "CLICK"), 0, "f1: case-sensitive");
	/* {TYPE,New,York,City} vs {TYPE,New,York}: tp 3, P 3/4, R 1,
	   F1 = 2 * .75 / 1.75 = 6/7. */
	is_num(bench_m2w_f1("TYPE New York City", "TYPE New York"), 6.0 / 7,
	    "f1: TYPE New York City vs TYPE New York is 6/7");
	/* Sets: duplicates count once. */
	is_num(bench_m2w_f1("TYPE a a a", "TYPE a"), 1, "f1: token sets");
	/* {SELECT,Hardcover} vs {SELECT,Paperback}: tp 1, P = R = 1/2. */
	is_num(bench_m2w_f1("SELECT Hardcover", "SELECT Paperback"), 0.5,
	    "f1: one of two tokens right is 1/2");
	/* No token shared: 0, not a division by zero. */
	is_num(bench_m2w_f1("CLICK", "TYPE x"), 0, "f1: disjoint is 0");
	/* Python's split(): NBSP, U+3000 and \x1c split too. */
	is_num(bench_m2w_f1("TYPE New\xc2\xa0York", "TYPE New York"), 1,
	    "f1: NBSP is white space");
	is_num(bench_m2w_f1("TYPE a\xe3\x80\x80" "b\x1c" "c", "TYPE a b c"),
	    1, "f1: U+3000 and 0x1c are white space");
	/* "é" (c3 a9) is not; nor is U+200B (zero width space). */
	is_num(bench_m2w_f1("TYPE caf\xc3\xa9", "TYPE caf"), 0.5,
	    "f1: UTF-8 letters are not white space");
	/* {TYPE, a<ZWSP>b} vs {TYPE, a, b}: tp 1, P 1/2, R 1/3, F1 2/5. */
	is_num(bench_m2w_f1("TYPE a\xe2\x80\x8b" "b", "TYPE a b"), 0.4,
	    "f1: U+200B is not white space (as in Python)");

	s = bench_m2w_action_str("CLICK", "ignored");
	is_str(s, "CLICK ", "action: CLICK drops the value");
	free(s);
	s = bench_m2w_action_str("TYPE", "  New York \n second line");
	is_str(s, "TYPE New York", "action: first line of the value, "
	    "stripped");
	free(s);
	s = bench_m2w_action_str("SELECT", "");
	is_str(s, "SELECT ", "action: empty value");
	free(s);
}

static void
test_read_tasks(void)
{
	struct bench_m2w_step *v[16];
	struct bench_m2w_params p;
	char *cause = NULL;
	size_t n;
	int r;

	bench_m2w_default_params(&p);
	n = read_all(M2W "tasks.json", &p, v, &r, &cause);
	is_int(r, 0, "tasks.json reads");
	if (r != 0)
		note("cause: %s", cause);
	free(cause);
	is_int(n, 5, "tasks.json: 5 steps from 2 task records");
	if (n != 5) {
		free_all(v, n);
		return;
	}
	is_str(v[0]->task_id, "task-a", "step 1: annotation_id");
	is_str(v[0]->website, "bookshop", "step 1: website");
	is_str(v[0]->task, "Find the paperback of Dune Messiah",
	    "step 1: confirmed_task");
	is_str(v[0]->action_uid, "a1", "step 1: action_uid");
	is_str(v[0]->op, "TYPE", "step 1: op");
	is_str(v[0]->value, "dune messiah", "step 1: value");
	is_int(v[0]->nprev, 0, "step 1: no history");
	is_int(v[0]->html_raw, 0, "step 1: cleaned_html chosen");
	ok(strstr(v[0]->html, "<script>") == NULL, "step 1: not the raw HTML");
	is_int(v[0]->ncands, 3, "step 1: 3 candidates");
	is_int(v[0]->npos, 1, "step 1: 1 positive");
	is_str(v[0]->cands[0].id, "104", "step 1: positive first");
	is_int(v[0]->cands[0].pos, 1, "step 1: marked positive");
	is_int(v[0]->cands[1].rank, 2, "step 1: rank read");
	is_str(v[0]->cands[0].tag, "input", "step 1: tag read");
	is_int(v[1]->index, 1, "step 2: index");
	is_int(v[1]->nprev, 1, "step 2: one earlier action");
	is_str(v[1]->prev[0], "[textbox]  Search books -> TYPE: dune messiah",
	    "step 2: history is the action_repr");
	is_str(v[1]->op, "CLICK", "step 2: op");
	is_int(v[2]->nprev, 2, "step 3: two earlier actions");
	is_str(v[3]->task_id, "task-b", "step 4: second task");
	is_str(v[4]->original_op, "ENTER", "step 5: original_op kept");
	/* Without a top-k cut no rank is derived. */
	is_int(v[3]->cands[0].rank, -1, "no cut: ranks stay unknown");
	free_all(v, n);

	/* raw_html on request; cleaned_html where raw is empty. */
	p.html = BENCH_M2W_RAW;
	n = read_all(M2W "tasks.json", &p, v, &r, &cause);
	free(cause);
	is_int(n, 5, "raw: 5 steps");
	if (n == 5) {
		is_int(v[0]->html_raw, 1, "raw: step 1 uses raw_html");
		ok(strstr(v[0]->html, "<script>") != NULL, "raw: the raw page");
		is_int(v[1]->html_raw, 0, "raw: empty raw_html falls back");
	}
	free_all(v, n);

	/* top-k: ranks from scores where none are given (task-b). */
	p.html = BENCH_M2W_CLEANED;
	p.top_k = 2;
	n = read_all(M2W "tasks.json", &p, v, &r, &cause);
	free(cause);
	is_int(n, 5, "top-2: 5 steps");
	if (n == 5) {
		/* b1: 403 .8 -> 0, 405 .7 -> 1, 406 .2 -> 2, 402 .1 -> 3 */
		is_int(v[3]->cands[0].rank, 0, "b1: 403 ranks 0");
		is_int(v[3]->cands[1].rank, 1, "b1: 405 ranks 1");
		is_int(v[3]->cands[2].rank, 2, "b1: 406 ranks 2");
		is_int(v[3]->cands[3].rank, 3, "b1: 402 ranks 3");
		is_int(bench_m2w_npos_kept(v[2], 2), 1, "a3: 303 (rank 1) "
		    "kept under top-2");
		is_int(bench_m2w_npos_kept(v[2], 1), 0, "a3: 303 cut under "
		    "top-1");
	}
	free_all(v, n);
}

static void
test_read_rows(void)
{
	struct bench_m2w_step *v[16];
	struct bench_m2w_params p;
	char *cause = NULL;
	size_t n;
	int r;

	bench_m2w_default_params(&p);
	n = read_all(M2W "rows.jsonl", &p, v, &r, &cause);
	is_int(r, 0, "rows.jsonl reads");
	if (r != 0)
		note("cause: %s", cause);
	free(cause);
	is_int(n, 3, "rows.jsonl: 3 rows");
	if (n != 3) {
		free_all(v, n);
		return;
	}
	is_str(v[0]->action_uid, "c1", "row 1: action_uid");
	is_int(v[0]->index, 1, "row 1: target_action_index \"1\"");
	is_str(v[0]->op, "SELECT", "row 1: op from the encoded operation");
	is_str(v[0]->value, "2 tickets", "row 1: value");
	is_int(v[0]->nprev, 1, "row 1: one earlier action");
	is_str(v[0]->prev[0], "[link]  Showtimes -> CLICK",
	    "row 1: history from action_reprs");
	is_int(v[0]->screenshot, 1, "row 1: has a screenshot");
	is_str(v[0]->cands[0].id, "602", "row 1: encoded candidate");
	is_int(v[0]->npos, 1, "row 1: one positive");
	is_int(v[1]->index, 0, "row 2: index 0");
	is_int(v[2]->npos, 0, "row 3: no positive");
	is_int(v[2]->screenshot, 0, "row 3: null screenshot");
	is_int(v[2]->index, 0, "row 3: numeric target_action_index");
	free_all(v, n);

	/* A cut with neither rank nor score is refused. */
	p.top_k = 50;
	n = read_all(M2W "rows.jsonl", &p, v, &r, &cause);
	is_int(r, ERR_INVALID, "rows with top-k but no scores: refused");
	ok(cause != NULL && strstr(cause, "record 1") != NULL &&
	    strstr(cause, "rank or a score") != NULL, "... and says why");
	free(cause);
	free_all(v, n);
}

static void
test_read_errors(void)
{
	struct bench_m2w_params p;
	const char *row = "{\"annotation_id\":\"t\",\"confirmed_task\":\"x\","
	    "\"action_uid\":\"u\",\"cleaned_html\":\"<p>\","
	    "\"target_action_index\":0,";

	bench_m2w_default_params(&p);
	read_err("[{\"annotation_id\":\"t\",\"confirmed_task\":\"x\","
	    "\"actions\":[{\"action_uid\":\"u\",\"cleaned_html\":\"<p>\","
	    "\"operation\":{\"op\":\"JUMP\"},\"pos_candidates\":[],"
	    "\"neg_candidates\":[]}]}]", &p, ERR_INVALID,
	    "record 1: actions[0].operation.op: must be CLICK, TYPE or SELECT",
	    "bad op");
	{
		char *t;

		if (asprintf(&t, "%s\"operation\":{\"op\":\"CLICK\"},"
		    "\"pos_candidates\":[{\"tag\":\"a\"}],"
		    "\"neg_candidates\":[]}", row) == -1)
			abort();
		read_err(t, &p, ERR_INVALID,
		    "pos_candidates[0].backend_node_id: missing",
		    "candidate without backend_node_id");
		free(t);
		if (asprintf(&t, "%s\"operation\":\"{not json\","
		    "\"pos_candidates\":[],\"neg_candidates\":[]}", row) == -1)
			abort();
		read_err(t, &p, ERR_INVALID, "operation: a string that is not "
		    "a JSON-encoded object", "garbled encoded operation");
		free(t);
		if (asprintf(&t, "%s\"operation\":{\"op\":\"CLICK\"},"
		    "\"pos_candidates\":[],\"neg_candidates\":[]}\n"
		    "{\"annotation_id\":1,\"target_action_index\":0,"
		    "\"operation\":{\"op\":\"CLICK\"}}", row) == -1)
			abort();
		read_err(t, &p, ERR_INVALID, "record 2: annotation_id: must "
		    "be a string", "second record wrong");
		free(t);
	}
	read_err("[{\"annotation_id\":\"t\", \"actions\": [", &p, ERR_PARSE,
	    "record 1: the file ends inside the record", "truncated record");
	{
		char *t;

		if (asprintf(&t, "[%s\"operation\":{\"op\":\"CLICK\"},"
		    "\"pos_candidates\":[],\"neg_candidates\":[]} {}]",
		    row) == -1)
			abort();
		read_err(t, &p, ERR_PARSE, "record 2: expected ',' or ']'",
		    "missing comma");
		free(t);
		if (asprintf(&t, "[%s\"operation\":{\"op\":\"CLICK\"},"
		    "\"pos_candidates\":[],\"neg_candidates\":[]}] x",
		    row) == -1)
			abort();
		read_err(t, &p, ERR_PARSE, "data after the end of the "
		    "top-level array", "trailing data");
		free(t);
	}
	read_err("[3]", &p, ERR_INVALID, "not a JSON object", "not objects");
	read_err("{\"a\": tru}", &p, ERR_PARSE, "record 1: invalid JSON",
	    "invalid JSON");
	read_err("{\"annotation_id\":\"t\",\"confirmed_task\":\"x\"}", &p,
	    ERR_INVALID, "neither a task record", "neither task nor row");
	p.max_record = 64;
	read_err("[{\"annotation_id\":\"a long record that does not fit in "
	    "sixty-four bytes at all\"}]", &p, ERR_TOOBIG, "larger than the cap",
	    "record over its cap");
	bench_m2w_default_params(&p);
	/* Braces inside strings do not end a record. */
	{
		struct bench_m2w_step *v[16];
		const char *path;
		char *t, *cause = NULL;
		size_t n;
		int r;

		if (asprintf(&t, "[%s\"operation\":{\"op\":\"TYPE\","
		    "\"value\":\"}]{\\\"[\"},\"pos_candidates\":["
		    "{\"backend_node_id\":7}],\"neg_candidates\":[]} ]", row) ==
		    -1)
			abort();
		path = tmpfile_with(t);
		n = read_all(path, &p, v, &r, &cause);
		is_int(r, 0, "brackets and escaped quotes inside strings");
		is_int(n, 1, "... one step");
		if (n == 1) {
			is_str(v[0]->value, "}]{\"[", "... value intact");
			is_str(v[0]->cands[0].id, "7", "... numeric id read");
		}
		free_all(v, n);
		free(cause);
		free(t);
		unlink(path);
	}
	/* An empty array and an empty file are empty, not errors. */
	{
		struct bench_m2w_step *v[16];
		const char *path;
		char *cause = NULL;
		size_t n;
		int r;

		path = tmpfile_with(" [ ] \n");
		n = read_all(path, &p, v, &r, &cause);
		ok(r == 0 && n == 0, "empty array: no steps");
		free(cause);
		unlink(path);
		path = tmpfile_with("");
		n = read_all(path, &p, v, &r, &cause);
		ok(r == 0 && n == 0, "empty file: no steps");
		free(cause);
		unlink(path);
	}
}

/*
 * Scores a hand-made prediction on every step of both files and checks
 * the metrics against the arithmetic below.
 *
 * step  gold               prediction               elem  f1     step
 * a1    104 TYPE dune m.   104 "TYPE dune messiah"  1     1      1
 * a2    204 CLICK          206 "CLICK "             0     1      0
 * a3    303 SELECT Paperb. 303 "SELECT Hardcover"   1     1/2    0
 * b1    403 TYPE New York  403 "TYPE New York City" 1     6/7    0
 * b2    406 CLICK          406 "CLICK "             1     1      1
 * c1    602 SELECT 2 tick. 602 "SELECT 2 tickets"   1     1      1
 * c0    502 CLICK          502 "CLICK "             1     1      1
 * d0    (no positive)      701 "CLICK "             0     0      0
 *
 * micro (8 steps): elem 6/8 = .75; f1 (1+1+.5+6/7+1+1+1+0)/8
 *   = (5.5 + 6/7)/8 = 89/112; step 4/8 = .5.
 * per task: A elem 2/3, f1 2.5/3 = 5/6, step 1/3; B elem 1, f1
 *   (6/7+1)/2 = 13/14, step 1/2; C 1, 1, 1; D 0, 0, 0.
 * macro: elem (2/3+1+1+0)/4 = 2/3; f1 (5/6+13/14+1)/4 = 58/21/4 = 29/42;
 *   step (1/3+1/2+1)/4 = 11/24; task success: C only, 1/4.
 * error_ratio: A 2 failed, B 1, C 0, D 1: {"0": .25, "1": .5, "2": .25}.
 * acc_per_website: bookshop [1/3, 1], airline [1/2, 1], cinema
 *   [(1+0)/2, 2].
 *
 * The floor (first kept candidate in page order, CLICK):
 * a1 103 (elem 0, f1 0); a2 204 (1, 1, 1); a3 302 (0, 0); b1 402 (0, 0);
 * b2 403 (0, f1 1, 0); c1 602 (1, f1 0, 0); c0 502 (1, 1, 1); d0 701
 * (no positive, so 0 whatever is chosen).
 * micro: elem 3/8, f1 3/8, step 2/8; task success 0.
 * Under top-2: a1 104 (1, 0); a2 204 (1, 1, 1); a3 302 (0, 0); b1 403
 * (1, 0); b2 405 (0, 1): elem 3/5, f1 2/5, step 1/5.
 */
static void
test_metrics(void)
{
	static const struct {
		const char	*uid;
		const char	*elem;
		const char	*op, *value;
		const char	*floor, *floor2;	/* no cut, top-2 */
	} pred[] = {
		{ "a1", "104", "TYPE", "dune messiah", "103", "104" },
		{ "a2", "206", "CLICK", NULL, "204", "204" },
		{ "a3", "303", "SELECT", "Hardcover", "302", "302" },
		{ "b1", "403", "TYPE", "New York City", "402", "403" },
		{ "b2", "406", "CLICK", NULL, "403", "405" },
		{ "c1", "602", "SELECT", "2 tickets", "602", NULL },
		{ "c0", "502", "CLICK", NULL, "502", NULL },
		{ "d0", "701", "CLICK", NULL, "701", NULL },
	};
	struct bench_m2w_step *v[16];
	struct bench_m2w_params p;
	struct bench_m2w_metrics *m, *fl;
	struct bench_m2w_summary s;
	struct bench_m2w_score sc;
	const char *first;
	cJSON *j, *it;
	char *cause = NULL, *act;
	size_t n, i, k;
	int r;

	bench_m2w_default_params(&p);
	n = read_all(M2W "tasks.json", &p, v, &r, &cause);
	free(cause);
	n += read_all(M2W "rows.jsonl", &p, v + n, &r, &cause);
	free(cause);
	is_int(n, 8, "8 steps in both files");
	if (n != 8) {
		free_all(v, n);
		return;
	}
	m = bench_m2w_metrics_new();
	fl = bench_m2w_metrics_new();
	for (i = 0; i < n; i++) {
		for (k = 0; k < 8; k++)
			if (strcmp(pred[k].uid, v[i]->action_uid) == 0)
				break;
		act = bench_m2w_action_str(pred[k].op, pred[k].value);
		bench_m2w_score(v[i], 0, pred[k].elem, act, &sc);
		bench_m2w_metrics_add(m, v[i]->task_id, v[i]->website, &sc);
		free(act);
		first = bench_m2w_first_candidate(v[i], 0);
		is_str(first, pred[k].floor, "floor on %s", pred[k].uid);
		act = bench_m2w_action_str("CLICK", NULL);
		bench_m2w_score(v[i], 0, first, act, &sc);
		bench_m2w_metrics_add(fl, v[i]->task_id, v[i]->website, &sc);
		free(act);
	}
	bench_m2w_metrics_summary(m, &s);
	is_int(s.nsteps, 8, "8 steps scored");
	is_int(s.ntasks, 4, "4 tasks (rows of task-c gathered)");
	is_num(s.element_acc, 0.75, "micro element accuracy 6/8");
	is_num(s.action_f1, 89.0 / 112, "micro operation F1 89/112");
	is_num(s.step_acc, 0.5, "micro step success 4/8");
	is_num(s.macro_element_acc, 2.0 / 3, "macro element accuracy 2/3");
	is_num(s.macro_action_f1, 29.0 / 42, "macro operation F1 29/42");
	is_num(s.macro_step_acc, 11.0 / 24, "macro step success 11/24");
	is_num(s.task_success, 0.25, "task success 1/4");

	j = bench_m2w_metrics_json(m);
	it = cJSON_GetObjectItemCaseSensitive(j, "marco_step_acc");
	ok(cJSON_IsNumber(it) && near(it->valuedouble, 11.0 / 24),
	    "json: official key marco_step_acc");
	it = cJSON_GetObjectItemCaseSensitive(j, "error_ratio");
	ok(near(cJSON_GetObjectItemCaseSensitive(it, "0")->valuedouble, .25) &&
	    near(cJSON_GetObjectItemCaseSensitive(it, "1")->valuedouble, .5) &&
	    near(cJSON_GetObjectItemCaseSensitive(it, "2")->valuedouble, .25) &&
	    cJSON_GetObjectItemCaseSensitive(it, "3") == NULL,
	    "json: error_ratio 0: 1/4, 1: 1/2, 2: 1/4");
	it = cJSON_GetObjectItemCaseSensitive(j, "acc_per_website");
	it = cJSON_GetObjectItemCaseSensitive(it, "cinema");
	ok(cJSON_GetArraySize(it) == 2 &&
	    near(cJSON_GetArrayItem(it, 0)->valuedouble, 0.5) &&
	    near(cJSON_GetArrayItem(it, 1)->valuedouble, 2),
	    "json: acc_per_website cinema [1/2, 2]");
	cJSON_Delete(j);

	bench_m2w_metrics_summary(fl, &s);
	is_num(s.element_acc, 3.0 / 8, "floor: element accuracy 3/8");
	is_num(s.action_f1, 3.0 / 8, "floor: operation F1 3/8");
	is_num(s.step_acc, 2.0 / 8, "floor: step success 2/8");
	is_num(s.task_success, 0, "floor: no task succeeds");
	bench_m2w_metrics_free(m);
	bench_m2w_metrics_free(fl);
	free_all(v, n);

	/* The top-2 cut (tasks.json has ranks or scores). */
	p.top_k = 2;
	n = read_all(M2W "tasks.json", &p, v, &r, &cause);
	free(cause);
	fl = bench_m2w_metrics_new();
	for (i = 0; i < n; i++) {
		first = bench_m2w_first_candidate(v[i], 2);
		is_str(first, pred[i].floor2, "top-2 floor on %s",
		    pred[i].uid);
		act = bench_m2w_action_str("CLICK", NULL);
		bench_m2w_score(v[i], 2, first, act, &sc);
		bench_m2w_metrics_add(fl, v[i]->task_id, v[i]->website, &sc);
		free(act);
	}
	bench_m2w_metrics_summary(fl, &s);
	is_num(s.element_acc, 3.0 / 5, "top-2 floor: element accuracy 3/5");
	is_num(s.action_f1, 2.0 / 5, "top-2 floor: operation F1 2/5");
	is_num(s.step_acc, 1.0 / 5, "top-2 floor: step success 1/5");
	/* A prediction of a cut positive is wrong: 303 has rank 1. */
	bench_m2w_score(v[2], 1, "303", "SELECT Paperback", &sc);
	ok(sc.elem == 0 && sc.step == 0 && near(sc.f1, 0),
	    "a3 under top-1: its positive is cut, all 0 (official)");
	bench_m2w_score(v[2], 2, NULL, "SELECT Paperback", &sc);
	ok(sc.elem == 0 && sc.step == 0 && near(sc.f1, 0),
	    "no element chosen: all 0 (official)");
	bench_m2w_metrics_free(fl);
	free_all(v, n);

	/* Empty metrics are zeros, not NaN. */
	m = bench_m2w_metrics_new();
	bench_m2w_metrics_summary(m, &s);
	ok(s.nsteps == 0 && near(s.element_acc, 0) && near(s.task_success, 0),
	    "no steps: zeros");
	bench_m2w_metrics_free(m);
}

static void
test_quantile(void)
{
	double v[] = { 5, 1, 4, 2, 3 }, w[] = { 4, 1, 3, 2 };
	double x[20];
	size_t i;

	is_num(bench_median(v, 5), 3, "median of 5 values");
	is_num(bench_median(w, 4), 2.5, "median of 4 values: mean of middle");
	for (i = 0; i < 20; i++)
		x[i] = (double)(20 - i);
	/* Nearest rank: ceil(.95 * 20) = 19th smallest = 19. */
	is_num(bench_quantile(x, 20, 0.95), 19, "p95 of 1..20 is 19");
	x[0] = 7;
	is_num(bench_quantile(x, 1, 0.95), 7, "p95 of one value");
	is_num(bench_quantile(x, 0, 0.95), 0, "p95 of nothing is 0");
}

int
main(void)
{
	test_f1();
	test_read_tasks();
	test_read_rows();
	test_read_errors();
	test_metrics();
	test_quantile();
	return done_testing();
}
