/*
 * bench-metrics.c: Mind2Web metrics, exactly as the official evaluation
 * computes them, and the statistics the suite runner reports.
 *
 * The official code (OSU-NLP-Group/Mind2Web, src/action_prediction/
 * metric.py) turns a prediction and the gold answer into action strings
 * with postprocess_action(): the operation, a space, and the value (the
 * first line after "Value: ", stripped); CLICK carries no value.  It
 * scores per step: element accuracy (the predicted backend_node_id is one
 * of the positive candidates kept by the top-k cut), operation F1
 * (calculate_f1(): token sets from str.split(), case-sensitive) and step
 * success (both exactly 1).  A step whose positives were all cut, or
 * where the model chose none of the candidates, scores 0 on all three.
 * Micro figures average over steps; the "marco_" (sic, the official key)
 * figures average the per-task means over tasks (annotation_id); task
 * success is the share of tasks with no failed step (error_ratio[0]).
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "bench.h"
#include "xmalloc.h"

/* ---------------------------------------------------------------------- */
/* White space and tokens as Python's str.split() and str.strip().        */

/*
 * Length in bytes of the white space character at p (UTF-8), or 0.
 * Python's str.isspace(): ASCII \t \n \v \f \r, 0x1c-0x1f, space, and
 * U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F,
 * U+3000.
 */
static size_t
ws_len(const unsigned char *p)
{
	if ((*p >= 0x09 && *p <= 0x0d) || (*p >= 0x1c && *p <= 0x20))
		return 1;
	if (p[0] == 0xc2 && (p[1] == 0x85 || p[1] == 0xa0))
		return 2;
	if (p[0] == 0xe1 && p[1] == 0x9a && p[2] == 0x80)
		return 3;
	if (p[0] == 0xe2 && p[1] == 0x80 &&
	    ((p[2] >= 0x80 && p[2] <= 0x8a) || p[2] == 0xa8 ||
	    p[2] == 0xa9 || p[2] == 0xaf))
		return 3;
	if (p[0] == 0xe2 && p[1] == 0x81 && p[2] == 0x9f)
		return 3;
	if (p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80)
		return 3;
	return 0;
}

struct tok {
	const char	*p;
	size_t		 len;
};

/* Orders tokens bytewise, a prefix first. */
static int
tok_cmp(const void *a, const void *b)
{
	const struct tok *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->p, y->p, n);

	if (c != 0)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

/* Splits s into its distinct tokens, sorted; returns the count. */
static size_t
token_set(const char *s, struct tok **tp)
{
	const unsigned char *p = (const unsigned char *)s;
	struct tok *t = NULL;
	size_t n = 0, cap = 0, w, i, j;

	while (*p != '\0') {
		const unsigned char *start;

		while ((w = ws_len(p)) > 0)
			p += w;
		if (*p == '\0')
			break;
		start = p;
		while (*p != '\0' && ws_len(p) == 0)
			p++;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			t = xreallocarray(t, cap, sizeof(*t));
		}
		t[n].p = (const char *)start;
		t[n].len = (size_t)(p - start);
		n++;
	}
	if (n > 1) {
		qsort(t, n, sizeof(*t), tok_cmp);
		for (i = 1, j = 1; i < n; i++)
			if (tok_cmp(&t[i], &t[j - 1]) != 0)
				t[j++] = t[i];
		n = j;
	}
	*tp = t;
	return n;
}

/* Token-set F1 of two action strings (calculate_f1()). */
double
bench_m2w_f1(const char *pred, const char *label)
{
	struct tok *a = NULL, *b = NULL;
	size_t na, nb, i = 0, j = 0, tp = 0, fp, fn;
	double precision, recall, f1;
	int c;

	na = token_set(pred != NULL ? pred : "", &a);
	nb = token_set(label != NULL ? label : "", &b);
	if (na == 0 || nb == 0) {
		free(a);
		free(b);
		return na == 0 && nb == 0 ? 1.0 : 0.0;
	}
	while (i < na && j < nb) {
		c = tok_cmp(&a[i], &b[j]);
		if (c == 0) {
			tp++;
			i++;
			j++;
		} else if (c < 0)
			i++;
		else
			j++;
	}
	free(a);
	free(b);
	fp = na - tp;
	fn = nb - tp;
	/* The same operations in the same order as calculate_f1(). */
	precision = (double)tp / (double)(tp + fp);
	recall = (double)tp / (double)(tp + fn);
	if (tp == 0)
		return 0.0;
	f1 = 2 * precision * recall / (precision + recall);
	return f1;
}

/* s without leading and trailing white space, as str.strip() (copy). */
static char *
strip_dup(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + len;
	const unsigned char *q, *last = p;
	size_t w;

	while (p < e && (w = ws_len(p)) > 0 && p + w <= e)
		p += w;
	/* Find the end of the last non-space character. */
	for (q = p; q < e;) {
		if ((w = ws_len(q)) > 0 && q + w <= e)
			q += w;
		else {
			q++;
			last = q;
		}
	}
	if (last < p)
		last = p;
	return xstrndup((const char *)p, (size_t)(last - p));
}

/* An action string as postprocess_action() makes it. */
char *
bench_m2w_action_str(const char *op, const char *value)
{
	const char *nl;
	char *v, *o, *s;

	o = strip_dup(op, strlen(op));
	if (strcmp(o, "CLICK") == 0 || value == NULL) {
		s = xasprintf("%s ", o);
		free(o);
		return s;
	}
	/* "Value: (.*)$" with re.MULTILINE: up to the first newline. */
	nl = strchr(value, '\n');
	v = strip_dup(value, nl != NULL ? (size_t)(nl - value) :
	    strlen(value));
	s = xasprintf("%s %s", o, v);
	free(o);
	free(v);
	return s;
}

/* ---------------------------------------------------------------------- */
/* Scoring one step.                                                      */

/* Whether candidate c survives the top-k cut. */
int
bench_m2w_cand_kept(const struct bench_m2w_cand *c, int top_k)
{
	return top_k <= 0 || (c->rank >= 0 && c->rank < top_k);
}

/* Counts the positives that survive the top-k cut. */
size_t
bench_m2w_npos_kept(const struct bench_m2w_step *s, int top_k)
{
	size_t i, n = 0;

	for (i = 0; i < s->ncands; i++)
		if (s->cands[i].pos && bench_m2w_cand_kept(&s->cands[i],
		    top_k))
			n++;
	return n;
}

/* Scores one prediction against the step's gold answer. */
void
bench_m2w_score(const struct bench_m2w_step *s, int top_k, const char *elem,
    const char *action, struct bench_m2w_score *sc)
{
	char *gold;
	size_t i;

	memset(sc, 0, sizeof(*sc));
	if (bench_m2w_npos_kept(s, top_k) == 0 || elem == NULL)
		return;
	for (i = 0; i < s->ncands; i++)
		if (s->cands[i].pos && bench_m2w_cand_kept(&s->cands[i],
		    top_k) && strcmp(s->cands[i].id, elem) == 0)
			sc->elem = 1;
	gold = bench_m2w_action_str(s->op, s->value);
	sc->f1 = bench_m2w_f1(action != NULL ? action : "", gold);
	free(gold);
	sc->step = sc->elem && sc->f1 >= 1.0;
}

/* Compares two strings through pointers to them (qsort, bsearch). */
static int
str_pcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The first kept candidate in page order (the floor). */
const char *
bench_m2w_first_candidate(const struct bench_m2w_step *s, int top_k)
{
	static const char attr[] = "backend_node_id=";
	const char **kept = NULL, *p, *q, *found = NULL;
	char idbuf[128], *key;
	size_t n = 0, i, len;
	char quote;

	if (s->ncands == 0 || s->html == NULL)
		return NULL;
	kept = xcalloc(s->ncands, sizeof(*kept));
	for (i = 0; i < s->ncands; i++)
		if (bench_m2w_cand_kept(&s->cands[i], top_k))
			kept[n++] = s->cands[i].id;
	if (n == 0)
		goto out;
	qsort(kept, n, sizeof(*kept), str_pcmp);
	for (p = s->html; (p = strstr(p, attr)) != NULL; p = q) {
		q = p + sizeof(attr) - 1;
		/* A whole attribute name, not the tail of a longer one. */
		if (p > s->html && !(p[-1] == ' ' || p[-1] == '\t' ||
		    p[-1] == '\n' || p[-1] == '\r'))
			continue;
		quote = *q;
		if (quote == '"' || quote == '\'')
			q++;
		else
			quote = '\0';
		for (len = 0; len < sizeof(idbuf) - 1 && q[len] != '\0'; len++)
			if (quote != '\0' ? q[len] == quote :
			    (q[len] == ' ' || q[len] == '>' || q[len] == '/' ||
			    q[len] == '\t' || q[len] == '\n'))
				break;
		memcpy(idbuf, q, len);
		idbuf[len] = '\0';
		q += len;
		key = idbuf;
		if (bsearch(&key, kept, n, sizeof(*kept), str_pcmp) != NULL)
			break;
	}
	if (p == NULL)
		goto out;
	/* Return the candidate's own string. */
	for (i = 0; i < s->ncands; i++)
		if (strcmp(s->cands[i].id, idbuf) == 0) {
			found = s->cands[i].id;
			break;
		}
out:
	free(kept);
	return found;
}

/* ---------------------------------------------------------------------- */
/* Accumulating per task.                                                 */

struct m_task {
	char	*id;
	char	*website;
	size_t	 n;
	double	 elem, f1, step;	/* sums */
	size_t	 failed;		/* steps with step == 0 */
};

struct bench_m2w_metrics {
	struct m_task	*tasks;		/* in order of first appearance */
	size_t		 ntasks, cap;
	size_t		*slots;		/* hash: index + 1, 0 empty */
	size_t		 nslots;	/* power of two */
	size_t		 nsteps;
	double		 elem, f1, step;	/* sums over steps */
};

/* FNV-1a hash of a string. */
static uint64_t
hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

/* A new, empty accumulator. */
struct bench_m2w_metrics *
bench_m2w_metrics_new(void)
{
	struct bench_m2w_metrics *m = xcalloc(1, sizeof(*m));

	m->nslots = 64;
	m->slots = xcalloc(m->nslots, sizeof(*m->slots));
	return m;
}

/* Doubles the hash table and reinserts every task. */
static void
metrics_rehash(struct bench_m2w_metrics *m)
{
	size_t i, h;

	free(m->slots);
	m->nslots *= 2;
	m->slots = xcalloc(m->nslots, sizeof(*m->slots));
	for (i = 0; i < m->ntasks; i++) {
		h = (size_t)hash_str(m->tasks[i].id) & (m->nslots - 1);
		while (m->slots[h] != 0)
			h = (h + 1) & (m->nslots - 1);
		m->slots[h] = i + 1;
	}
}

/* The task with id, created if new. */
static struct m_task *
metrics_task(struct bench_m2w_metrics *m, const char *id,
    const char *website)
{
	struct m_task *t;
	size_t h;

	h = (size_t)hash_str(id) & (m->nslots - 1);
	while (m->slots[h] != 0) {
		t = &m->tasks[m->slots[h] - 1];
		if (strcmp(t->id, id) == 0)
			return t;
		h = (h + 1) & (m->nslots - 1);
	}
	if (m->ntasks == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		m->tasks = xreallocarray(m->tasks, m->cap, sizeof(*m->tasks));
	}
	t = &m->tasks[m->ntasks++];
	memset(t, 0, sizeof(*t));
	t->id = xstrdup(id);
	t->website = xstrdup(website != NULL ? website : "");
	m->slots[h] = m->ntasks;
	if (m->ntasks * 2 > m->nslots)
		metrics_rehash(m);
	return &m->tasks[m->ntasks - 1];
}

/* Adds one step to its task and to the totals. */
void
bench_m2w_metrics_add(struct bench_m2w_metrics *m, const char *task_id,
    const char *website, const struct bench_m2w_score *sc)
{
	struct m_task *t = metrics_task(m, task_id, website);

	t->n++;
	t->elem += sc->elem;
	t->f1 += sc->f1;
	t->step += sc->step;
	if (!sc->step)
		t->failed++;
	m->nsteps++;
	m->elem += sc->elem;
	m->f1 += sc->f1;
	m->step += sc->step;
}

/* Micro and macro figures and task success so far. */
void
bench_m2w_metrics_summary(const struct bench_m2w_metrics *m,
    struct bench_m2w_summary *s)
{
	size_t i, ok = 0;

	memset(s, 0, sizeof(*s));
	s->nsteps = m->nsteps;
	s->ntasks = m->ntasks;
	if (m->nsteps == 0 || m->ntasks == 0)
		return;
	s->element_acc = m->elem / (double)m->nsteps;
	s->action_f1 = m->f1 / (double)m->nsteps;
	s->step_acc = m->step / (double)m->nsteps;
	for (i = 0; i < m->ntasks; i++) {
		const struct m_task *t = &m->tasks[i];

		s->macro_element_acc += t->elem / (double)t->n;
		s->macro_action_f1 += t->f1 / (double)t->n;
		s->macro_step_acc += t->step / (double)t->n;
		if (t->failed == 0)
			ok++;
	}
	s->macro_element_acc /= (double)m->ntasks;
	s->macro_action_f1 /= (double)m->ntasks;
	s->macro_step_acc /= (double)m->ntasks;
	s->task_success = (double)ok / (double)m->ntasks;
}

/* The figures under the official names, as JSON. */
cJSON *
bench_m2w_metrics_json(const struct bench_m2w_metrics *m)
{
	struct bench_m2w_summary s;
	cJSON *j = cJSON_CreateObject(), *er, *web;
	size_t counts[5] = { 0, 0, 0, 0, 0 }, i, k;
	static const char *const names[5] = { "0", "1", "2", "3", ">3" };

	bench_m2w_metrics_summary(m, &s);
	cJSON_AddNumberToObject(j, "steps", (double)s.nsteps);
	cJSON_AddNumberToObject(j, "tasks", (double)s.ntasks);
	cJSON_AddNumberToObject(j, "element_acc", s.element_acc);
	cJSON_AddNumberToObject(j, "action_f1", s.action_f1);
	cJSON_AddNumberToObject(j, "step_acc", s.step_acc);
	cJSON_AddNumberToObject(j, "marco_element_acc", s.macro_element_acc);
	cJSON_AddNumberToObject(j, "marco_action_f1", s.macro_action_f1);
	cJSON_AddNumberToObject(j, "marco_step_acc", s.macro_step_acc);
	cJSON_AddNumberToObject(j, "task_success", s.task_success);
	er = cJSON_AddObjectToObject(j, "error_ratio");
	for (i = 0; i < m->ntasks; i++)
		counts[m->tasks[i].failed > 3 ? 4 : m->tasks[i].failed]++;
	for (k = 0; k < 5; k++)
		if (counts[k] > 0)
			cJSON_AddNumberToObject(er, names[k],
			    (double)counts[k] / (double)m->ntasks);
	web = cJSON_AddObjectToObject(j, "acc_per_website");
	for (i = 0; i < m->ntasks; i++) {
		const char *w = m->tasks[i].website;
		double sum = 0;
		size_t n = 0;

		if (cJSON_GetObjectItemCaseSensitive(web, w) != NULL)
			continue;
		for (k = i; k < m->ntasks; k++)
			if (strcmp(m->tasks[k].website, w) == 0) {
				sum += m->tasks[k].step /
				    (double)m->tasks[k].n;
				n++;
			}
		{
			cJSON *pair = cJSON_CreateArray();

			cJSON_AddItemToArray(pair,
			    cJSON_CreateNumber(sum / (double)n));
			cJSON_AddItemToArray(pair,
			    cJSON_CreateNumber((double)n));
			cJSON_AddItemToObject(web, w, pair);
		}
	}
	return j;
}

/* Frees m; NULL is a no-op. */
void
bench_m2w_metrics_free(struct bench_m2w_metrics *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->ntasks; i++) {
		free(m->tasks[i].id);
		free(m->tasks[i].website);
	}
	free(m->tasks);
	free(m->slots);
	free(m);
}

/* ---------------------------------------------------------------------- */
/* Statistics for the suite.                                              */

/* Orders doubles ascending (qsort). */
static int
dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The nearest-rank q-quantile of v. */
double
bench_quantile(double *v, size_t n, double q)
{
	size_t k;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), dbl_cmp);
	if (q <= 0)
		return v[0];
	if (q >= 1)
		return v[n - 1];
	k = (size_t)ceil(q * (double)n);
	if (k < 1)
		k = 1;
	return v[k - 1];
}

/* The median of v. */
double
bench_median(double *v, size_t n)
{
	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), dbl_cmp);
	if (n % 2 == 1)
		return v[n / 2];
	return (v[n / 2 - 1] + v[n / 2]) / 2;
}
