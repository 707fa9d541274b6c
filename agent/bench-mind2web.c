/*
 * bench-mind2web.c: the Mind2Web harness: reading the published format,
 * replaying each step's page in Chromium, asking the policies, scoring.
 *
 * Reading.  Mind2Web ships JSON arrays of task records, hundreds of MB
 * per file; Multimodal-Mind2Web ships one row per action (operation and
 * candidates JSON-encoded as strings, a screenshot beside).  The reader
 * never holds a whole file: it splits the top-level array (or a JSON Lines
 * stream) into records by scanning brackets outside strings, parses one
 * record at a time with a cap, and hands out one step at a time.  Steps
 * are scored independently; per-task figures are gathered by annotation_id
 * (bench-metrics.c), so rows of a task need not be adjacent.
 *
 * Replaying.  A step's HTML goes into one page with
 * Page.setDocumentContent, behind a Content-Security-Policy that lets no
 * script run and nothing load (images only from data: URLs) and a URL
 * filter that refuses every navigation.  The kept candidates (all, or the
 * top k by rank) get an empty onclick attribute, so the collector counts
 * each visible one as a clickable element even where the cleaned markup
 * lost what made it one; the official evaluation likewise offers every
 * kept candidate as a choice.  The viewport is then made as tall as the
 * document (up to max_height), the page is observed with the same code as
 * a live page (without a screenshot), and the marks are mapped to
 * candidates through the backend_node_id attribute of the collector's
 * elements.  The policy sees only marks that are kept candidates,
 * numbered 1..n in reading order, the confirmed task as its instruction,
 * and the earlier steps' action_reprs as its history.
 *
 * The prediction is the policy's action if it addresses a mark (CLICK,
 * HOVER as CLICK, TYPE, SELECT), else the best such action among its
 * alternatives (a policy that would scroll or declare DONE is asked for
 * its best element, as a multiple-choice model must pick one); without
 * one the step counts as "None of the above".  The floor beside the
 * policies clicks the first kept candidate in page order.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "action.h"
#include "bench.h"
#include "buf.h"
#include "cdp.h"
#include "err.h"
#include "log.h"
#include "observe.h"
#include "policy.h"
#include "task.h"
#include "xmalloc.h"
#include "util.h"

#define RD_CHUNK	(64 * 1024)
/* Cap on a JSON-encoded operation or candidate inside a row. */
#define M2W_SUBJSON_MAX	(1024 * 1024)
#define M2W_ID_MAX	128
#define M2W_GOAL_MAX	8000	/* task files take goals up to 8192 */
#define M2W_CALL_MS	30000

static const char m2w_csp[] =
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
    "'none'; style-src 'unsafe-inline'; img-src data:; font-src data:\">";

struct bench_m2w_reader {
	char			*path;
	FILE			*f;
	struct bench_m2w_params	 p;
	int			 started;
	int			 array;		/* top level is an array */
	int			 eof;
	size_t			 nrec;		/* records read */
	size_t			 consumed;	/* bytes taken from the file */
	unsigned char		 rb[RD_CHUNK];
	size_t			 rpos, rlen;
	cJSON			*rec;		/* task record being expanded */
	int			 next;		/* its next action */
	int			 nactions;
};

/* Fills p with the defaults: cleaned HTML, no cut, the caps. */
void
bench_m2w_default_params(struct bench_m2w_params *p)
{
	memset(p, 0, sizeof(*p));
	p->html = BENCH_M2W_CLEANED;
	p->top_k = 0;
	p->max_record = BENCH_M2W_RECORD_MAX;
	p->max_html = BENCH_M2W_HTML_MAX;
}

/* Fills p with the defaults of a run. */
void
bench_m2w_run_default_params(struct bench_m2w_run_params *p)
{
	memset(p, 0, sizeof(*p));
	bench_m2w_default_params(&p->read);
	p->width = 1280;
	p->max_height = 16384;
}

/* ---------------------------------------------------------------------- */
/* Splitting the file into records.                                       */

/* Next byte without taking it; -1 at the end, -2 on a read error. */
static int
rd_peek(struct bench_m2w_reader *r)
{
	if (r->rpos == r->rlen) {
		r->rpos = 0;
		r->rlen = fread(r->rb, 1, sizeof(r->rb), r->f);
		if (r->rlen == 0)
			return ferror(r->f) ? -2 : -1;
	}
	return r->rb[r->rpos];
}

/* Takes the byte rd_peek() returned. */
static void
rd_take(struct bench_m2w_reader *r)
{
	r->rpos++;
	r->consumed++;
}

/* Skips white space; returns the next byte as rd_peek(). */
static int
rd_skip_ws(struct bench_m2w_reader *r)
{
	int c;

	while ((c = rd_peek(r)) == ' ' || c == '\t' || c == '\n' || c == '\r')
		rd_take(r);
	return c;
}

/* A message about the record being read (allocated). */
static char *
rd_cause(const struct bench_m2w_reader *r, const char *msg)
{
	return xasprintf("%s: record %zu: %s", r->path, r->nrec + 1, msg);
}

/*
 * Reads the next top-level record into b.  Returns 0 with b empty at the
 * end of the file.
 */
static int
rd_record(struct bench_m2w_reader *r, struct buf *b, char **causep)
{
	int c, depth = 0, instr = 0, esc = 0, done = 0;
	size_t i, start;

	buf_reset(b);
	if (r->eof)
		return 0;
	if (!r->started) {
		r->started = 1;
		/* A UTF-8 byte order mark. */
		if (rd_peek(r) == 0xef) {
			rd_take(r);
			if (rd_peek(r) != 0xbb)
				goto bad;
			rd_take(r);
			if (rd_peek(r) != 0xbf)
				goto bad;
			rd_take(r);
		}
		if (rd_skip_ws(r) == '[') {
			r->array = 1;
			rd_take(r);
		}
	}
	c = rd_skip_ws(r);
	if (r->array) {
		if (c == ']') {
			rd_take(r);
			if ((c = rd_skip_ws(r)) != -1)
				goto trailing;
			r->eof = 1;
			return 0;
		}
		if (r->nrec > 0) {
			if (c != ',')
				goto bad;
			rd_take(r);
			c = rd_skip_ws(r);
		}
	} else if (c == -1) {
		r->eof = 1;
		return 0;
	}
	if (c == -2)
		goto ioerr;
	if (c == -1) {
		*causep = rd_cause(r, "the file ends inside the top-level "
		    "array");
		return ERR_PARSE;
	}
	if (c != '{') {
		*causep = rd_cause(r, "not a JSON object (a task record or a "
		    "row)");
		return ERR_INVALID;
	}
	while (!done) {
		if ((c = rd_peek(r)) < 0) {
			if (c == -2)
				goto ioerr;
			*causep = rd_cause(r, "the file ends inside the "
			    "record");
			return ERR_PARSE;
		}
		start = r->rpos;
		for (i = r->rpos; i < r->rlen && !done; i++) {
			c = r->rb[i];
			if (instr) {
				if (esc)
					esc = 0;
				else if (c == '\\')
					esc = 1;
				else if (c == '"')
					instr = 0;
			} else if (c == '"')
				instr = 1;
			else if (c == '{' || c == '[')
				depth++;
			else if (c == '}' || c == ']') {
				if (--depth == 0)
					done = 1;
			}
		}
		if (buf_add(b, r->rb + start, i - start) != 0) {
			char *msg = xasprintf("larger than the cap of %zu "
			    "MiB", r->p.max_record >> 20);

			*causep = rd_cause(r, msg);
			free(msg);
			return ERR_TOOBIG;
		}
		r->consumed += i - start;
		r->rpos = i;
	}
	return 0;
trailing:
	if (c == -2)
		goto ioerr;
	*causep = xasprintf("%s: data after the end of the top-level array",
	    r->path);
	return ERR_PARSE;
bad:
	*causep = rd_cause(r, "expected ',' or ']' between records");
	return ERR_PARSE;
ioerr:
	*causep = xasprintf("%s: %s", r->path, strerror(errno));
	return ERR_IO;
}

/* ---------------------------------------------------------------------- */
/* Fields.                                                                */

/* Message for field `field` of the current record (allocated). */
static char *
fcause(const struct bench_m2w_reader *r, const char *field, const char *msg)
{
	return xasprintf("%s: record %zu: %s: %s", r->path, r->nrec, field,
	    msg);
}

/*
 * A string field: *outp is a copy ("" when absent and optional).  Errors
 * for a missing required field, a wrong type, or more than max bytes.
 */
static int
get_str(const struct bench_m2w_reader *r, const cJSON *o, const char *key,
    const char *field, int required, size_t max, char **outp, char **causep)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	char *f;

	*outp = NULL;
	if (v == NULL || cJSON_IsNull(v)) {
		if (required) {
			f = xasprintf("%s%s", field, key);
			*causep = fcause(r, f, "missing");
			free(f);
			return ERR_INVALID;
		}
		*outp = xstrdup("");
		return 0;
	}
	if (!cJSON_IsString(v) || v->valuestring == NULL) {
		f = xasprintf("%s%s", field, key);
		*causep = fcause(r, f, "must be a string");
		free(f);
		return ERR_INVALID;
	}
	if (strlen(v->valuestring) > max) {
		f = xasprintf("%s%s", field, key);
		*causep = fcause(r, f, "longer than its cap");
		free(f);
		return ERR_TOOBIG;
	}
	if (required && v->valuestring[0] == '\0') {
		f = xasprintf("%s%s", field, key);
		*causep = fcause(r, f, "must not be empty");
		free(f);
		return ERR_INVALID;
	}
	*outp = xstrdup(v->valuestring);
	return 0;
}

/*
 * An object that may come JSON-encoded in a string (Multimodal-Mind2Web):
 * *outp is the object, *ownp the parsed copy to free (or NULL).
 */
static int
get_obj(const struct bench_m2w_reader *r, const cJSON *v, const char *field,
    const cJSON **outp, cJSON **ownp, char **causep)
{
	cJSON *p;

	*outp = NULL;
	*ownp = NULL;
	if (cJSON_IsObject(v)) {
		*outp = v;
		return 0;
	}
	if (cJSON_IsString(v) && v->valuestring != NULL) {
		size_t len = strlen(v->valuestring);

		if (len > M2W_SUBJSON_MAX) {
			*causep = fcause(r, field, "encoded object larger than "
			    "1 MiB");
			return ERR_TOOBIG;
		}
		if ((p = cJSON_ParseWithLength(v->valuestring, len)) == NULL ||
		    !cJSON_IsObject(p)) {
			cJSON_Delete(p);
			*causep = fcause(r, field, "a string that is not a "
			    "JSON-encoded object");
			return ERR_INVALID;
		}
		*outp = p;
		*ownp = p;
		return 0;
	}
	*causep = fcause(r, field, v == NULL ? "missing" :
	    "must be an object (or an object encoded as a string)");
	return ERR_INVALID;
}

/* A backend_node_id: a string or an integer. */
static int
id_str(const cJSON *v, char *out, size_t outlen)
{
	if (cJSON_IsString(v) && v->valuestring != NULL &&
	    v->valuestring[0] != '\0' && strlen(v->valuestring) < outlen) {
		snprintf(out, outlen, "%s", v->valuestring);
		return 0;
	}
	if (cJSON_IsNumber(v) && v->valuedouble >= 0 &&
	    v->valuedouble < 1e15 &&
	    (double)(long long)v->valuedouble >= v->valuedouble) {
		snprintf(out, outlen, "%lld", (long long)v->valuedouble);
		return 0;
	}
	return -1;
}

/* One candidate (an object, or one encoded as a string). */
static int
get_cand(const struct bench_m2w_reader *r, const cJSON *v, const char *field,
    int pos, struct bench_m2w_cand *c, char **causep)
{
	const cJSON *o, *attrs = NULL, *it;
	cJSON *own = NULL, *aown = NULL;
	char id[M2W_ID_MAX], *f = NULL;
	int rc = ERR_INTERNAL;

	memset(c, 0, sizeof(*c));
	c->rank = -1;
	if ((rc = get_obj(r, v, field, &o, &own, causep)) != 0)
		return rc;
	it = cJSON_GetObjectItemCaseSensitive(o, "attributes");
	if (it != NULL && !cJSON_IsNull(it)) {
		f = xasprintf("%s.attributes", field);
		if ((rc = get_obj(r, it, f, &attrs, &aown, causep)) != 0)
			goto out;
	}
	it = cJSON_GetObjectItemCaseSensitive(o, "backend_node_id");
	if (it == NULL && attrs != NULL)
		it = cJSON_GetObjectItemCaseSensitive(attrs,
		    "backend_node_id");
	if (it == NULL || id_str(it, id, sizeof(id)) != 0) {
		free(f);
		f = xasprintf("%s.backend_node_id", field);
		*causep = fcause(r, f, it == NULL ? "missing" :
		    "must be a non-empty string or an integer");
		rc = ERR_INVALID;
		goto out;
	}
	it = cJSON_GetObjectItemCaseSensitive(o, "tag");
	if (it != NULL && !cJSON_IsNull(it) && !cJSON_IsString(it)) {
		free(f);
		f = xasprintf("%s.tag", field);
		*causep = fcause(r, f, "must be a string");
		rc = ERR_INVALID;
		goto out;
	}
	c->tag = xstrndup(cJSON_IsString(it) ? it->valuestring : "", 64);
	it = cJSON_GetObjectItemCaseSensitive(o, "score");
	if (cJSON_IsNumber(it)) {
		c->score = it->valuedouble;
		c->has_score = 1;
	}
	it = cJSON_GetObjectItemCaseSensitive(o, "rank");
	if (it != NULL && !cJSON_IsNull(it)) {
		if (!cJSON_IsNumber(it) || it->valuedouble < 0 ||
		    it->valuedouble > 1e9 ||
		    (double)(int)it->valuedouble < it->valuedouble) {
			free(f);
			f = xasprintf("%s.rank", field);
			*causep = fcause(r, f, "must be an integer >= 0");
			free(c->tag);
			c->tag = NULL;
			rc = ERR_INVALID;
			goto out;
		}
		c->rank = (int)it->valuedouble;
	}
	c->id = xstrdup(id);
	c->pos = pos;
	rc = 0;
out:
	free(f);
	cJSON_Delete(aown);
	cJSON_Delete(own);
	return rc;
}

/* Orders candidates by score, highest first, then file order. */
static int
cand_score_cmp(const void *a, const void *b)
{
	const struct bench_m2w_cand *x = *(const struct bench_m2w_cand *const *)a;
	const struct bench_m2w_cand *y = *(const struct bench_m2w_cand *const *)b;

	if (x->score > y->score)
		return -1;
	if (x->score < y->score)
		return 1;
	return x < y ? -1 : x > y;
}

/*
 * With a top-k cut every candidate needs a rank: given, or derived from
 * the scores (highest first) when some rank is missing.
 */
static int
fix_ranks(const struct bench_m2w_reader *r, struct bench_m2w_step *s,
    char **causep)
{
	struct bench_m2w_cand **v;
	size_t i;
	int missing = 0;

	if (r->p.top_k <= 0)
		return 0;
	for (i = 0; i < s->ncands; i++) {
		if (s->cands[i].rank < 0)
			missing = 1;
		if (s->cands[i].rank < 0 && !s->cands[i].has_score) {
			*causep = fcause(r, "candidates", "a top-k cut needs "
			    "a rank or a score on every candidate");
			return ERR_INVALID;
		}
	}
	if (!missing)
		return 0;
	for (i = 0; i < s->ncands; i++)
		if (!s->cands[i].has_score) {
			*causep = fcause(r, "candidates", "some candidates "
			    "have no rank and not all have a score to rank "
			    "them by");
			return ERR_INVALID;
		}
	v = xcalloc(s->ncands, sizeof(*v));
	for (i = 0; i < s->ncands; i++)
		v[i] = &s->cands[i];
	qsort(v, s->ncands, sizeof(*v), cand_score_cmp);
	for (i = 0; i < s->ncands; i++)
		v[i]->rank = (int)i;
	free(v);
	return 0;
}

/* Adds the candidates of array `key` of o to s. */
static int
get_cands(const struct bench_m2w_reader *r, const cJSON *o, const char *key,
    const char *prefix, int pos, struct bench_m2w_step *s, char **causep)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, key), *it;
	char *f;
	size_t n, i = 0;
	int rc;

	if (!cJSON_IsArray(a)) {
		f = xasprintf("%s%s", prefix, key);
		*causep = fcause(r, f, a == NULL ? "missing" :
		    "must be an array");
		free(f);
		return ERR_INVALID;
	}
	n = (size_t)cJSON_GetArraySize(a);
	if (s->ncands + n > BENCH_M2W_CANDS_MAX) {
		f = xasprintf("%s%s", prefix, key);
		*causep = fcause(r, f, "more candidates than the cap");
		free(f);
		return ERR_TOOBIG;
	}
	s->cands = xreallocarray(s->cands, s->ncands + n + 1,
	    sizeof(*s->cands));
	cJSON_ArrayForEach(it, a) {
		f = xasprintf("%s%s[%zu]", prefix, key, i++);
		rc = get_cand(r, it, f, pos, &s->cands[s->ncands], causep);
		free(f);
		if (rc != 0)
			return rc;
		s->ncands++;
		if (pos)
			s->npos++;
	}
	return 0;
}

/* Frees a step; NULL is a no-op. */
void
bench_m2w_step_free(struct bench_m2w_step *s)
{
	size_t i;

	if (s == NULL)
		return;
	free(s->task_id);
	free(s->website);
	free(s->domain);
	free(s->task);
	free(s->action_uid);
	for (i = 0; i < s->nprev; i++)
		free(s->prev[i]);
	free(s->prev);
	free(s->html);
	free(s->op);
	free(s->original_op);
	free(s->value);
	for (i = 0; i < s->ncands; i++) {
		free(s->cands[i].id);
		free(s->cands[i].tag);
	}
	free(s->cands);
	free(s);
}

/*
 * Builds step `index` from task fields in t and action fields in a (the
 * same object for a row); prefix names a's place in messages.
 */
static int
make_step(const struct bench_m2w_reader *r, const cJSON *t, const cJSON *a,
    int index, const char *prefix, struct bench_m2w_step **sp, char **causep)
{
	struct bench_m2w_step *s = xcalloc(1, sizeof(*s));
	const cJSON *op = NULL, *reprs, *it;
	cJSON *opown = NULL;
	const char *first, *second;
	char *cleaned = NULL, *raw = NULL, *f = NULL;
	size_t i;
	int rc = ERR_INTERNAL;

	*sp = NULL;
	s->index = index;
	s->record = r->nrec;
	if ((rc = get_str(r, t, "annotation_id", "", 1, M2W_ID_MAX,
	    &s->task_id, causep)) != 0 ||
	    (rc = get_str(r, t, "website", "", 0, BENCH_M2W_TEXT_MAX,
	    &s->website, causep)) != 0 ||
	    (rc = get_str(r, t, "domain", "", 0, BENCH_M2W_TEXT_MAX,
	    &s->domain, causep)) != 0 ||
	    (rc = get_str(r, t, "confirmed_task", "", 1, BENCH_M2W_TEXT_MAX,
	    &s->task, causep)) != 0 ||
	    (rc = get_str(r, a, "action_uid", prefix, 1, M2W_ID_MAX,
	    &s->action_uid, causep)) != 0)
		goto out;

	/* History: the representations of the earlier actions. */
	reprs = cJSON_GetObjectItemCaseSensitive(t, "action_reprs");
	if (reprs != NULL && !cJSON_IsNull(reprs) && !cJSON_IsArray(reprs)) {
		*causep = fcause(r, "action_reprs", "must be an array");
		rc = ERR_INVALID;
		goto out;
	}
	s->prev = xcalloc((size_t)index + 1, sizeof(*s->prev));
	for (i = 0; i < (size_t)index; i++) {
		it = cJSON_IsArray(reprs) ? cJSON_GetArrayItem(reprs, (int)i) :
		    NULL;
		if (it != NULL && (!cJSON_IsString(it) ||
		    strlen(it->valuestring) > BENCH_M2W_TEXT_MAX)) {
			f = xasprintf("action_reprs[%zu]", i);
			*causep = fcause(r, f, "must be a string (at most 64 "
			    "KiB)");
			rc = ERR_INVALID;
			goto out;
		}
		s->prev[s->nprev++] = xstrdup(it != NULL ? it->valuestring :
		    "");
	}

	/* The page. */
	if ((rc = get_str(r, a, "cleaned_html", prefix, 0, r->p.max_html,
	    &cleaned, causep)) != 0 ||
	    (rc = get_str(r, a, "raw_html", prefix, 0, r->p.max_html,
	    &raw, causep)) != 0)
		goto out;
	first = r->p.html == BENCH_M2W_RAW ? raw : cleaned;
	second = r->p.html == BENCH_M2W_RAW ? cleaned : raw;
	if (first[0] == '\0' && second[0] == '\0') {
		f = xasprintf("%scleaned_html", prefix);
		*causep = fcause(r, f, "neither cleaned_html nor raw_html is "
		    "given");
		rc = ERR_INVALID;
		goto out;
	}
	if (first[0] != '\0') {
		s->html = first == raw ? raw : cleaned;
		s->html_raw = first == raw;
	} else {
		s->html = second == raw ? raw : cleaned;
		s->html_raw = second == raw;
	}
	if (s->html == raw)
		raw = NULL;
	else
		cleaned = NULL;
	s->html_len = strlen(s->html);

	/* The gold operation. */
	free(f);
	f = xasprintf("%soperation", prefix);
	if ((rc = get_obj(r, cJSON_GetObjectItemCaseSensitive(a, "operation"),
	    f, &op, &opown, causep)) != 0)
		goto out;
	free(f);
	f = xasprintf("%soperation.", prefix);
	if ((rc = get_str(r, op, "op", f, 1, 32, &s->op, causep)) != 0 ||
	    (rc = get_str(r, op, "original_op", f, 0, 32, &s->original_op,
	    causep)) != 0 ||
	    (rc = get_str(r, op, "value", f, 0, BENCH_M2W_TEXT_MAX,
	    &s->value, causep)) != 0)
		goto out;
	if (strcmp(s->op, "CLICK") != 0 && strcmp(s->op, "TYPE") != 0 &&
	    strcmp(s->op, "SELECT") != 0) {
		free(f);
		f = xasprintf("%soperation.op", prefix);
		*causep = fcause(r, f, "must be CLICK, TYPE or SELECT");
		rc = ERR_INVALID;
		goto out;
	}

	/* The candidates. */
	if ((rc = get_cands(r, a, "pos_candidates", prefix, 1, s,
	    causep)) != 0 ||
	    (rc = get_cands(r, a, "neg_candidates", prefix, 0, s,
	    causep)) != 0 ||
	    (rc = fix_ranks(r, s, causep)) != 0)
		goto out;
	it = cJSON_GetObjectItemCaseSensitive(a, "screenshot");
	s->screenshot = it != NULL && !cJSON_IsNull(it);
	*sp = s;
	s = NULL;
	rc = 0;
out:
	free(f);
	free(cleaned);
	free(raw);
	cJSON_Delete(opown);
	bench_m2w_step_free(s);
	return rc;
}

/* Opens a Mind2Web file for reading, one step at a time. */
int
bench_m2w_open(const char *path, const struct bench_m2w_params *p,
    struct bench_m2w_reader **rp, char **causep)
{
	struct bench_m2w_reader *r;
	FILE *f;

	*rp = NULL;
	if ((f = fopen(path, "rb")) == NULL) {
		*causep = xasprintf("%s: %s", path, strerror(errno));
		return errno == ENOENT ? ERR_NOTFOUND : ERR_IO;
	}
	r = xcalloc(1, sizeof(*r));
	r->path = xstrdup(path);
	r->f = f;
	if (p != NULL)
		r->p = *p;
	else
		bench_m2w_default_params(&r->p);
	if (r->p.max_record == 0)
		r->p.max_record = BENCH_M2W_RECORD_MAX;
	if (r->p.max_html == 0)
		r->p.max_html = BENCH_M2W_HTML_MAX;
	*rp = r;
	return 0;
}

/* Bytes of the file consumed so far. */
static size_t
reader_pos(const struct bench_m2w_reader *r)
{
	return r->consumed;
}

/* Reads the next step of the file (NULL at its end). */
int
bench_m2w_next(struct bench_m2w_reader *r, struct bench_m2w_step **stepp,
    char **causep)
{
	struct buf b;
	const cJSON *acts, *idx;
	cJSON *rec = NULL;
	char *prefix, num[32];
	long n;
	int rc = ERR_INTERNAL;

	*stepp = NULL;
	*causep = NULL;
	buf_init(&b, r->p.max_record);
	for (;;) {
		/* The next action of the task record being expanded. */
		if (r->rec != NULL && r->next < r->nactions) {
			acts = cJSON_GetObjectItemCaseSensitive(r->rec,
			    "actions");
			prefix = xasprintf("actions[%d].", r->next);
			rc = make_step(r, r->rec, cJSON_GetArrayItem(acts,
			    r->next), r->next, prefix, stepp, causep);
			free(prefix);
			r->next++;
			goto out;
		}
		cJSON_Delete(r->rec);
		r->rec = NULL;
		if ((rc = rd_record(r, &b, causep)) != 0)
			goto out;
		if (b.len == 0) {
			rc = 0;
			goto out;
		}
		r->nrec++;
		if ((rec = cJSON_ParseWithLength(b.data, b.len)) == NULL) {
			const char *e = cJSON_GetErrorPtr();
			char near[24];

			snprintf(near, sizeof(near), "%.20s", e != NULL &&
			    e >= b.data && e < b.data + b.len ? e : "");
			*causep = xasprintf("%s: record %zu: invalid JSON "
			    "near '%s'", r->path, r->nrec, near);
			rc = ERR_PARSE;
			goto out;
		}
		buf_reset(&b);
		acts = cJSON_GetObjectItemCaseSensitive(rec, "actions");
		if (acts != NULL) {
			/* A task record. */
			if (!cJSON_IsArray(acts)) {
				*causep = fcause(r, "actions",
				    "must be an array");
				rc = ERR_INVALID;
				goto out;
			}
			if (cJSON_GetArraySize(acts) > BENCH_M2W_ACTIONS_MAX) {
				*causep = fcause(r, "actions",
				    "more actions than the cap (1000)");
				rc = ERR_TOOBIG;
				goto out;
			}
			r->rec = rec;
			rec = NULL;
			r->next = 0;
			r->nactions = cJSON_GetArraySize(acts);
			continue;
		}
		if (cJSON_GetObjectItemCaseSensitive(rec, "operation") == NULL) {
			*causep = fcause(r, "actions", "missing (neither a "
			    "task record with actions nor a row with an "
			    "operation)");
			rc = ERR_INVALID;
			goto out;
		}
		/* A Multimodal-Mind2Web row: one action. */
		idx = cJSON_GetObjectItemCaseSensitive(rec,
		    "target_action_index");
		n = -1;
		if (cJSON_IsNumber(idx) && idx->valuedouble >= 0 &&
		    idx->valuedouble < BENCH_M2W_ACTIONS_MAX &&
		    (double)(long)idx->valuedouble >= idx->valuedouble)
			n = (long)idx->valuedouble;
		else if (cJSON_IsString(idx) && strlen(idx->valuestring) < 16) {
			char *end;

			snprintf(num, sizeof(num), "%s", idx->valuestring);
			errno = 0;
			n = strtol(num, &end, 10);
			if (num[0] == '\0' || *end != '\0' || errno != 0 ||
			    n >= BENCH_M2W_ACTIONS_MAX)
				n = -1;
		}
		if (n < 0) {
			*causep = fcause(r, "target_action_index", idx == NULL ?
			    "missing" : "must be an integer from 0 to 999 (or "
			    "a string holding one)");
			rc = ERR_INVALID;
			goto out;
		}
		rc = make_step(r, rec, rec, (int)n, "", stepp, causep);
		goto out;
	}
out:
	cJSON_Delete(rec);
	buf_free(&b);
	return rc;
}

/* Closes the file and frees r; NULL is a no-op. */
void
bench_m2w_close(struct bench_m2w_reader *r)
{
	if (r == NULL)
		return;
	if (r->f != NULL)
		fclose(r->f);
	cJSON_Delete(r->rec);
	free(r->path);
	free(r);
}

/* ---------------------------------------------------------------------- */
/* The harness.                                                           */

/* Per policy (and the floor) over the whole run. */
struct m2w_pol {
	const char			*name;
	char				 label[64];	/* "lexical#2"
							   for a repeat */
	struct policy			*pol;	/* NULL: the floor */
	struct bench_m2w_metrics	*m;
	size_t				 no_element;	/* "None" */
	size_t				 fallback;	/* element from top[] */
	size_t				 errors;
	double				 decide_ms;
	size_t				 ndecide;
};

/* Everything one run carries from step to step. */
struct m2w_run {
	struct cdp_page			*page;
	const struct bench_m2w_run_params *p;
	struct m2w_pol			*pols;	/* npols policies + floor */
	size_t				 npols;
	size_t				 nsteps;
	size_t				 nopos;	/* no kept positive */
	size_t				 recalled;	/* a kept positive is
							   a mark */
	size_t				 observed;	/* steps observed */
	double				 observe_ms;
	size_t				 bytes_done, bytes_total;
};

/* No document may load: the page only shows what it is given. */
static int
deny_all(void *arg, const char *url)
{
	(void)arg;
	return strncmp(url, "about:", 6) != 0;
}

/* Evaluates expr on the page; *vp (may be NULL) gets the value. */
static int
page_eval(struct cdp_page *page, const char *expr, cJSON **vp,
    char **causep, const char *what)
{
	int rc;

	if ((rc = cdp_page_eval(page, expr, M2W_CALL_MS, vp)) != 0)
		*causep = xasprintf("%s: %s", what,
		    cdp_conn_error(cdp_page_conn(page)));
	return rc;
}

/* The kept candidates' ids (pointers into s). */
static const char **
kept_ids(const struct bench_m2w_step *s, int top_k, size_t *np)
{
	const char **v = xcalloc(s->ncands + 1, sizeof(*v));
	size_t i, n = 0;

	for (i = 0; i < s->ncands; i++)
		if (bench_m2w_cand_kept(&s->cands[i], top_k))
			v[n++] = s->cands[i].id;
	*np = n;
	return v;
}

/* Compares two strings through pointers to them (qsort, bsearch). */
static int
pstr_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Whether id is among the n sorted ids of v. */
static int
id_in(const char *const *v, size_t n, const char *id)
{
	return id != NULL && bsearch(&id, v, n, sizeof(*v), pstr_cmp) != NULL;
}

/*
 * Disarms <meta http-equiv="refresh">, which would navigate the page away
 * (the CSP does not cover it): "refresh" becomes "xefresh", in place.
 */
static void
no_refresh(char *html)
{
	static const char attr[] = "http-equiv=";
	char *p = html, *q;

	while ((p = strcasestr(p, attr)) != NULL) {
		q = p + sizeof(attr) - 1;
		if (*q == '"' || *q == '\'')
			q++;
		if (strncasecmp(q, "refresh", 7) == 0)
			*q = 'x';
		p = q;
	}
}

/*
 * Loads step s's HTML into the page, marks the kept candidates as
 * clickable, and makes the viewport as tall as the document.
 */
static int
load_step(struct m2w_run *R, const struct bench_m2w_step *s,
    const char *const *kept, size_t nkept, char **causep)
{
	struct cdp_frame *frames = NULL;
	size_t nframes = 0, i;
	cJSON *params, *ids = NULL, *v = NULL;
	struct buf html;
	const char *h = s->html, *gt;
	char *idjs = NULL, *js = NULL;
	double height;
	int rc = ERR_INTERNAL, vh;

	buf_init(&html, s->html_len + sizeof(m2w_csp) + 16);
	if ((rc = cdp_page_set_viewport(R->page, R->p->width, 800, 1)) != 0) {
		*causep = xasprintf("viewport: %s",
		    cdp_conn_error(cdp_page_conn(R->page)));
		goto out;
	}
	if ((rc = cdp_page_frames(R->page, &frames, &nframes)) != 0 ||
	    nframes == 0) {
		*causep = xasprintf("listing frames: %s",
		    cdp_conn_error(cdp_page_conn(R->page)));
		rc = rc != 0 ? rc : ERR_PROTOCOL;
		goto out;
	}
	/* The policy goes first, after a doctype if there is one. */
	h += strspn(h, " \t\r\n");
	if (strncasecmp(h, "<!doctype", 9) == 0 &&
	    (gt = strchr(h, '>')) != NULL) {
		(void)buf_add(&html, h, (size_t)(gt + 1 - h));
		h = gt + 1;
	}
	(void)buf_puts(&html, m2w_csp);
	if ((rc = buf_puts(&html, h)) != 0) {
		*causep = xstrdup("the page is larger than its cap");
		goto out;
	}
	no_refresh(html.data);
	params = cJSON_CreateObject();
	cJSON_AddStringToObject(params, "frameId", frames[0].frame_id);
	cJSON_AddStringToObject(params, "html", html.data);
	buf_free(&html);
	if ((rc = cdp_call(cdp_page_conn(R->page), cdp_page_session(R->page),
	    "Page.setDocumentContent", params, M2W_CALL_MS, NULL)) != 0) {
		*causep = xasprintf("loading the page: %s",
		    cdp_conn_error(cdp_page_conn(R->page)));
		goto out;
	}
	ids = cJSON_CreateArray();
	for (i = 0; i < nkept; i++)
		cJSON_AddItemToArray(ids, cJSON_CreateString(kept[i]));
	idjs = cJSON_PrintUnformatted(ids);
	js = xasprintf("(function (ids) {"
	    " var s = new Set(ids), d = document.documentElement,"
	    "     b = document.body;"
	    " document.querySelectorAll('[backend_node_id]')"
	    "     .forEach(function (e) {"
	    "   if (s.has(e.getAttribute('backend_node_id')) &&"
	    "       !e.hasAttribute('onclick'))"
	    "     e.setAttribute('onclick', '');"
	    " });"
	    " return Math.max(d ? d.scrollHeight : 0,"
	    "     b ? b.scrollHeight : 0);"
	    "})(%s)", idjs);
	if ((rc = page_eval(R->page, js, &v, causep, "preparing the page")) !=
	    0)
		goto out;
	height = cJSON_IsNumber(v) ? v->valuedouble : 800;
	vh = height < 800 ? 800 : height > R->p->max_height ?
	    R->p->max_height : (int)height;
	if ((rc = cdp_page_set_viewport(R->page, R->p->width, vh, 1)) != 0) {
		*causep = xasprintf("viewport: %s",
		    cdp_conn_error(cdp_page_conn(R->page)));
		goto out;
	}
	rc = 0;
out:
	buf_free(&html);
	cJSON_Delete(ids);
	cJSON_Delete(v);
	cJSON_free(idjs);
	free(js);
	cdp_frames_free(frames, nframes);
	return rc;
}

/* The history a policy sees: one entry per earlier action_repr. */
static struct policy_hist *
make_hist(const struct bench_m2w_step *s)
{
	struct policy_hist *h = xcalloc(s->nprev + 1, sizeof(*h));
	const char *arrow, *opp;
	size_t i;

	for (i = 0; i < s->nprev; i++) {
		const char *rep = s->prev[i];

		/* "[button]  Search -> CLICK", "[textbox]  From -> TYPE: x" */
		arrow = strstr(rep, " -> ");
		h[i].desc = arrow != NULL ? xstrndup(rep, (size_t)(arrow -
		    rep)) : xstrdup(rep);
		opp = arrow != NULL ? arrow + 4 : "";
		if (strncmp(opp, "TYPE", 4) == 0 ||
		    strncmp(opp, "SELECT", 6) == 0) {
			const char *colon = strchr(opp, ':');

			h[i].act.op = opp[0] == 'T' ? ACT_TYPE : ACT_SELECT;
			h[i].act.value = xstrdup(colon != NULL ? colon + 1 +
			    (colon[1] == ' ') : "");
		} else if (strncmp(opp, "HOVER", 5) == 0)
			h[i].act.op = ACT_HOVER;
		else if (strncmp(opp, "ENTER", 5) == 0) {
			h[i].act.op = ACT_PRESS;
			h[i].act.key = xstrdup("Enter");
		} else
			h[i].act.op = ACT_CLICK;
		h[i].url = xstrdup("");
		h[i].instr = 0;
	}
	return h;
}

/* Frees a history made by make_hist(). */
static void
hist_free(struct policy_hist *h, size_t n)
{
	size_t i;

	for (i = 0; h != NULL && i < n; i++) {
		action_clear(&h[i].act);
		free(h[i].desc);
		free(h[i].url);
	}
	free(h);
}

/* A task for the policy's context: the confirmed task as the goal. */
static struct task *
make_task(const struct bench_m2w_step *s)
{
	struct buf g;
	struct task *t = NULL;
	cJSON *j;
	const char *p;
	char *txt, *cause = NULL;
	size_t len;

	buf_init(&g, M2W_GOAL_MAX + 8);
	/*
	 * "${" would name a variable: write it as "$${".  Control characters
	 * (which goals may not hold) become spaces.
	 */
	for (p = s->task; *p != '\0' && g.len < M2W_GOAL_MAX; p++) {
		if (p[0] == '$' && p[1] == '{')
			(void)buf_puts(&g, "$");
		(void)buf_add(&g, (unsigned char)*p < 0x20 || *p == 0x7f ?
		    " " : p, 1);
	}
	/* Do not end inside a UTF-8 sequence. */
	len = g.len;
	while (len > 0 && *p != '\0' &&
	    ((unsigned char)g.data[len - 1] & 0xc0) == 0x80)
		len--;
	if (len > 0 && *p != '\0' && (unsigned char)g.data[len - 1] >= 0xc0)
		len--;
	j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "name", "mind2web");
	cJSON_AddStringToObject(j, "start_url", "data:text/html,");
	cJSON_AddItemToObject(j, "allowed_schemes",
	    cJSON_CreateStringArray((const char *[]){ "data" }, 1));
	if (len > 0) {
		g.data[len] = '\0';
		cJSON_AddStringToObject(j, "goal", g.data);
	} else
		cJSON_AddStringToObject(j, "goal", "(no task)");
	txt = cJSON_PrintUnformatted(j);
	if (task_parse(txt, strlen(txt), "mind2web", &t, &cause) != 0) {
		log_debug("mind2web task: %s", cause);
		t = NULL;
	}
	free(cause);
	cJSON_free(txt);
	cJSON_Delete(j);
	buf_free(&g);
	return t;
}

/* The first action of d that addresses one of the view's n marks. */
static const struct action *
element_action(const struct policy_decision *d, size_t n, int *fallbackp)
{
	const struct action *a;
	size_t i;

	*fallbackp = 0;
	for (i = 0; i <= d->ntop && i <= POLICY_TOP; i++) {
		a = i == 0 ? &d->act : &d->top[i - 1].act;
		if ((a->op == ACT_CLICK || a->op == ACT_HOVER ||
		    a->op == ACT_TYPE || a->op == ACT_SELECT) &&
		    a->mark >= 1 && (size_t)a->mark <= n) {
			*fallbackp = i > 0;
			return a;
		}
	}
	return NULL;
}

/* The prediction's action string. */
static char *
pred_action(const struct action *a)
{
	switch (a->op) {
	case ACT_TYPE:
		return bench_m2w_action_str("TYPE", a->value != NULL ?
		    a->value : "");
	case ACT_SELECT:
		return bench_m2w_action_str("SELECT", a->value != NULL ?
		    a->value : "");
	default:
		return bench_m2w_action_str("CLICK", NULL);
	}
}

/* One prediction and its scores as JSON (steps.jsonl). */
static cJSON *
score_json(const char *policy, const char *elem, const char *action,
    const struct bench_m2w_score *sc)
{
	cJSON *j = cJSON_CreateObject();

	cJSON_AddStringToObject(j, "policy", policy);
	if (elem != NULL)
		cJSON_AddStringToObject(j, "element", elem);
	else
		cJSON_AddNullToObject(j, "element");
	if (action != NULL)
		cJSON_AddStringToObject(j, "action", action);
	else
		cJSON_AddNullToObject(j, "action");
	cJSON_AddNumberToObject(j, "elem", sc->elem);
	cJSON_AddNumberToObject(j, "f1", sc->f1);
	cJSON_AddNumberToObject(j, "step", sc->step);
	return j;
}

/* Runs and scores one step. */
static int
run_step(struct m2w_run *R, const struct bench_m2w_step *s, char **causep)
{
	const struct bench_m2w_run_params *p = R->p;
	int top_k = p->read.top_k;
	struct bench_m2w_score sc;
	struct obs_params op;
	struct obs *o = NULL, view;
	struct mark *vm = NULL;
	const char **vid = NULL, **kept = NULL, *elem;
	struct policy_hist *hist = NULL;
	struct task *t = NULL;
	cJSON *line = NULL, *arr, *ids = NULL, *it;
	char *gold = NULL, *act = NULL, *txt;
	size_t nkept = 0, i, k, n = 0;
	double t0;
	int rc = ERR_INTERNAL, recalled = 0, fb;

	memset(&view, 0, sizeof(view));
	R->nsteps++;
	line = cJSON_CreateObject();
	cJSON_AddStringToObject(line, "annotation_id", s->task_id);
	cJSON_AddStringToObject(line, "action_uid", s->action_uid);
	cJSON_AddNumberToObject(line, "index", s->index);
	gold = bench_m2w_action_str(s->op, s->value);
	cJSON_AddStringToObject(line, "gold", gold);
	arr = cJSON_AddArrayToObject(line, "pos");
	for (i = 0; i < s->ncands; i++)
		if (s->cands[i].pos && bench_m2w_cand_kept(&s->cands[i],
		    top_k))
			cJSON_AddItemToArray(arr,
			    cJSON_CreateString(s->cands[i].id));

	/* The floor needs no browser. */
	elem = bench_m2w_first_candidate(s, top_k);
	act = bench_m2w_action_str("CLICK", NULL);
	bench_m2w_score(s, top_k, elem, act, &sc);
	bench_m2w_metrics_add(R->pols[R->npols].m, s->task_id, s->website,
	    &sc);
	cJSON_AddItemToObject(line, "floor", score_json(
	    R->pols[R->npols].name, elem, act, &sc));
	free(act);
	act = NULL;
	arr = cJSON_AddArrayToObject(line, "policies");

	if (bench_m2w_npos_kept(s, top_k) == 0) {
		/* As the official code: 0 on everything, nothing asked. */
		R->nopos++;
		memset(&sc, 0, sizeof(sc));
		for (k = 0; k < R->npols; k++) {
			bench_m2w_metrics_add(R->pols[k].m, s->task_id,
			    s->website, &sc);
			cJSON_AddItemToArray(arr, score_json(R->pols[k].name,
			    NULL, NULL, &sc));
		}
		cJSON_AddNumberToObject(line, "marks", 0);
		cJSON_AddFalseToObject(line, "recalled");
		rc = 0;
		goto write;
	}

	kept = kept_ids(s, top_k, &nkept);
	qsort(kept, nkept, sizeof(*kept), pstr_cmp);
	t0 = util_now_ms();
	if ((rc = load_step(R, s, kept, nkept, causep)) != 0)
		goto out;
	obs_default_params(&op);
	op.screenshot = 0;
	op.timeout_ms = M2W_CALL_MS;
	if ((rc = obs_capture(R->page, &op, &o, causep)) != 0)
		goto out;
	if ((rc = page_eval(R->page, "(function () {"
	    " var w = window.__webnav, a = [], i, e;"
	    " if (!w || !w.els) return a;"
	    " for (i = 0; i < w.els.length; i++) {"
	    "   e = w.els[i];"
	    "   a.push(e && e.getAttribute ?"
	    "       e.getAttribute('backend_node_id') : null);"
	    " }"
	    " return a;"
	    "})()", &ids, causep, "mapping marks to candidates")) != 0)
		goto out;
	R->observe_ms += util_now_ms() - t0;
	R->observed++;

	/* The view: marks that are kept candidates, renumbered. */
	view = *o;
	vm = xcalloc(o->nmarks + 1, sizeof(*vm));
	vid = xcalloc(o->nmarks + 1, sizeof(*vid));
	for (i = 0; i < o->nmarks; i++) {
		const struct mark *m = &o->marks[i];

		if (m->frame != 0 || m->ref < 0 ||
		    (it = cJSON_GetArrayItem(ids, m->ref)) == NULL ||
		    !cJSON_IsString(it) ||
		    !id_in(kept, nkept, it->valuestring))
			continue;
		vm[n] = *m;
		vm[n].id = (int)n + 1;
		vm[n].prev = 0;
		vm[n].change = MARK_NEW;
		vid[n] = it->valuestring;
		for (k = 0; k < s->ncands; k++)
			if (s->cands[k].pos && strcmp(s->cands[k].id,
			    vid[n]) == 0)
				recalled = 1;
		n++;
	}
	view.marks = vm;
	view.nmarks = n;
	R->recalled += recalled;
	cJSON_AddNumberToObject(line, "marks", (double)n);
	cJSON_AddBoolToObject(line, "recalled", recalled);

	t = make_task(s);
	hist = make_hist(s);
	for (k = 0; k < R->npols; k++) {
		struct m2w_pol *P = &R->pols[k];
		struct policy_decision d;
		struct policy_ctx ctx;
		const struct action *a = NULL;
		char *cause = NULL;

		memset(&ctx, 0, sizeof(ctx));
		ctx.task = t;
		ctx.instr = s->task;
		ctx.instr_index = 0;
		ctx.obs = &view;
		ctx.prev = NULL;
		ctx.hist = hist;
		ctx.nhist = s->nprev;
		ctx.step = s->index;
		elem = NULL;
		fb = 0;
		t0 = util_now_ms();
		if (policy_decide(P->pol, &ctx, &d, &cause) != 0) {
			log_debug("%s: %s step %d: %s", P->name, s->task_id,
			    s->index, cause != NULL ? cause : "failed");
			P->errors++;
			memset(&d, 0, sizeof(d));
		} else if ((a = element_action(&d, n, &fb)) != NULL) {
			elem = vid[a->mark - 1];
			act = pred_action(a);
		}
		P->decide_ms += util_now_ms() - t0;
		P->ndecide++;
		free(cause);
		if (a == NULL)
			P->no_element++;
		else if (fb)
			P->fallback++;
		bench_m2w_score(s, top_k, elem, act, &sc);
		bench_m2w_metrics_add(P->m, s->task_id, s->website, &sc);
		it = score_json(P->name, elem, act, &sc);
		if (d.act.op != ACT_NONE) {
			txt = action_format(&d.act);
			cJSON_AddStringToObject(it, "chose", txt);
			free(txt);
		}
		cJSON_AddItemToArray(arr, it);
		free(act);
		act = NULL;
		policy_decision_clear(&d);
	}
	rc = 0;
write:
	if (p->steps_out != NULL) {
		txt = cJSON_PrintUnformatted(line);
		fprintf(p->steps_out, "%s\n", txt);
		cJSON_free(txt);
	}
out:
	hist_free(hist, s->nprev);
	task_free(t);
	free(vm);
	free(vid);
	free(kept);
	free(gold);
	free(act);
	cJSON_Delete(ids);
	cJSON_Delete(line);
	obs_free(o);
	return rc;
}

/* The figures of one policy as JSON. */
static cJSON *
pol_json(const struct m2w_pol *P)
{
	cJSON *j = cJSON_CreateObject(), *m = bench_m2w_metrics_json(P->m);
	cJSON *it;

	cJSON_AddStringToObject(j, "policy", P->name);
	/* Move the metrics' members into j, after the name. */
	while ((it = m->child) != NULL) {
		char *key = xstrdup(it->string);

		cJSON_AddItemToObject(j, key, cJSON_DetachItemViaPointer(m,
		    it));
		free(key);
	}
	cJSON_Delete(m);
	if (P->pol != NULL) {
		cJSON_AddNumberToObject(j, "no_element",
		    (double)P->no_element);
		cJSON_AddNumberToObject(j, "fallback", (double)P->fallback);
		cJSON_AddNumberToObject(j, "errors", (double)P->errors);
		cJSON_AddNumberToObject(j, "decide_ms_mean", P->ndecide > 0 ?
		    P->decide_ms / (double)P->ndecide : 0);
	}
	return j;
}

/* Runs the policies over every step of the files and scores them. */
int
bench_m2w_run(struct cdp_conn *conn, const char *const *files, size_t nfiles,
    struct policy *const *pols, size_t npols,
    const struct bench_m2w_run_params *p, cJSON **resultp, char **causep)
{
	struct bench_m2w_run_params defp;
	struct cdp_page_params pp;
	struct bench_m2w_reader *rd = NULL;
	struct bench_m2w_step *s = NULL;
	struct bench_progress pr;
	struct m2w_run R;
	struct stat st;
	cJSON *res = NULL, *arr;
	char *cause = NULL, label[64];
	size_t i, base = 0;
	int rc = ERR_INTERNAL, stop = 0;

	*resultp = NULL;
	*causep = NULL;
	if (p == NULL) {
		bench_m2w_run_default_params(&defp);
		p = &defp;
	}
	memset(&R, 0, sizeof(R));
	R.p = p;
	R.npols = npols;
	R.pols = xcalloc(npols + 1, sizeof(*R.pols));
	for (i = 0; i < npols; i++) {
		size_t k, n = 1;

		R.pols[i].pol = pols[i];
		for (k = 0; k < i; k++)
			if (strcmp(policy_name(pols[k]), policy_name(pols[i])) == 0)
				n++;
		if (n > 1)
			snprintf(R.pols[i].label, sizeof(R.pols[i].label),
			    "%.40s#%zu", policy_name(pols[i]), n);
		else
			snprintf(R.pols[i].label, sizeof(R.pols[i].label),
			    "%s", policy_name(pols[i]));
		R.pols[i].name = R.pols[i].label;
		R.pols[i].m = bench_m2w_metrics_new();
	}
	R.pols[npols].name = "first-candidate";
	R.pols[npols].m = bench_m2w_metrics_new();
	for (i = 0; i < nfiles; i++)
		if (stat(files[i], &st) == 0)
			R.bytes_total += (size_t)st.st_size;

	cdp_page_default_params(&pp);
	pp.width = p->width;
	pp.height = 800;
	if ((rc = cdp_page_open(conn, &pp, &R.page)) != 0) {
		cause = xasprintf("opening a tab: %s", cdp_conn_error(conn));
		goto out;
	}
	if ((rc = cdp_page_set_url_filter(R.page, deny_all, NULL)) != 0) {
		cause = xasprintf("blocking navigation: %s",
		    cdp_conn_error(conn));
		goto out;
	}

	for (i = 0; i < nfiles && !stop; i++) {
		if ((rc = bench_m2w_open(files[i], &p->read, &rd,
		    &cause)) != 0)
			goto out;
		for (;;) {
			if (p->cancel != NULL && *p->cancel) {
				rc = ERR_CANCELLED;
				cause = xstrdup("cancelled");
				goto out;
			}
			if (p->max_steps > 0 && R.nsteps >= p->max_steps) {
				stop = 1;
				break;
			}
			if ((rc = bench_m2w_next(rd, &s, &cause)) != 0)
				goto out;
			if (s == NULL)
				break;
			if ((rc = run_step(&R, s, &cause)) != 0) {
				char *c2 = xasprintf("%s: record %zu (%s, "
				    "action %s): %s", files[i], s->record,
				    s->task_id, s->action_uid, cause);

				free(cause);
				cause = c2;
				goto out;
			}
			if (p->progress != NULL) {
				snprintf(label, sizeof(label), "step %zu",
				    R.nsteps);
				pr.done = base + reader_pos(rd);
				pr.total = R.bytes_total;
				pr.label = label;
				p->progress(p->progress_arg, &pr);
			}
			bench_m2w_step_free(s);
			s = NULL;
		}
		base += reader_pos(rd);
		bench_m2w_close(rd);
		rd = NULL;
	}

	res = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(res, "files");
	for (i = 0; i < nfiles; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(files[i]));
	cJSON_AddStringToObject(res, "html", p->read.html == BENCH_M2W_RAW ?
	    "raw_html" : "cleaned_html");
	cJSON_AddNumberToObject(res, "top_k", p->read.top_k);
	cJSON_AddNumberToObject(res, "steps", (double)R.nsteps);
	{
		struct bench_m2w_summary sum;

		bench_m2w_metrics_summary(R.pols[npols].m, &sum);
		cJSON_AddNumberToObject(res, "tasks", (double)sum.ntasks);
	}
	cJSON_AddNumberToObject(res, "steps_without_positive",
	    (double)R.nopos);
	cJSON_AddNumberToObject(res, "mark_recall", R.nsteps > 0 ?
	    (double)R.recalled / (double)R.nsteps : 0);
	cJSON_AddNumberToObject(res, "observe_ms_mean", R.observed > 0 ?
	    R.observe_ms / (double)R.observed : 0);
	arr = cJSON_AddArrayToObject(res, "policies");
	for (i = 0; i < npols; i++)
		cJSON_AddItemToArray(arr, pol_json(&R.pols[i]));
	cJSON_AddItemToObject(res, "floor", pol_json(&R.pols[npols]));
	*resultp = res;
	rc = 0;
out:
	bench_m2w_step_free(s);
	bench_m2w_close(rd);
	cdp_page_free(R.page);
	for (i = 0; i <= npols; i++)
		bench_m2w_metrics_free(R.pols[i].m);
	free(R.pols);
	if (rc != 0)
		*causep = cause != NULL ? cause : xstrdup(err_str(rc));
	else
		free(cause);
	return rc;
}

/* One row of the table. */
static void
table_row(struct buf *b, const cJSON *P)
{
	const char *keys[] = { "element_acc", "action_f1", "step_acc",
	    "task_success", "marco_element_acc", "marco_action_f1",
	    "marco_step_acc" };
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(P, "policy");
	size_t i;

	(void)buf_printf(b, "%-18.18s", cJSON_IsString(v) ? v->valuestring :
	    "?");
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		v = cJSON_GetObjectItemCaseSensitive(P, keys[i]);
		(void)buf_printf(b, "%s%8.1f", i == 4 ? "  |" : " ",
		    cJSON_IsNumber(v) ? v->valuedouble * 100 : 0.0);
	}
	(void)buf_puts(b, "\n");
}

/* A number member of o, or 0. */
static double
num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? v->valuedouble : 0.0;
}

/* The results as a text table. */
char *
bench_m2w_table(const cJSON *res)
{
	const cJSON *pols = cJSON_GetObjectItemCaseSensitive(res, "policies");
	const cJSON *P, *v;
	struct buf b;

	buf_init(&b, 1 << 20);
#define NUM(k) num(res, k)
	(void)buf_printf(&b, "Mind2Web: %.0f tasks, %.0f steps (%s, ",
	    NUM("tasks"), NUM("steps"), cJSON_IsString(v =
	    cJSON_GetObjectItemCaseSensitive(res, "html")) ? v->valuestring :
	    "");
	if (NUM("top_k") > 0)
		(void)buf_printf(&b, "top-%.0f candidates", NUM("top_k"));
	else
		(void)buf_puts(&b, "all candidates");
	(void)buf_printf(&b, ")\nsteps without a kept positive: %.0f; a kept "
	    "positive is a mark in %.1f%% of steps; observe %.0f ms/step\n\n",
	    NUM("steps_without_positive"), NUM("mark_recall") * 100,
	    NUM("observe_ms_mean"));
#undef NUM
	(void)buf_printf(&b, "%-18s %8s %8s %8s %8s  | %8s %8s %8s\n",
	    "(percent)", "elem", "op F1", "step SR", "task SR", "m.elem",
	    "m.op F1", "m.step");
	cJSON_ArrayForEach(P, pols)
		table_row(&b, P);
	if ((P = cJSON_GetObjectItemCaseSensitive(res, "floor")) != NULL)
		table_row(&b, P);
	(void)buf_puts(&b, "\nmicro over steps; m.: macro over tasks "
	    "(mean of per-task means)\n");
	return b.data != NULL ? buf_steal(&b, NULL) : xstrdup("");
}
