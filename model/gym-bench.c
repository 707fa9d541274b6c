/*
 * gym-bench.c: "webnav bench gym": policies on generated pages they were
 * not trained on (gym.h).
 *
 * Two sets of episodes: held-out phrasings (the training families,
 * phrased with the templates kept out of training) and held-out families
 * (families never trained on, any phrasing).  Families take turns within
 * a set; seeds come from the bench seed, apart from those of training.
 * Every policy runs every episode through agent_run(), the same loop as
 * "webnav run", on a fresh page in its own browser context: the goal is
 * the page's instruction, success is window.__gen.done() holding after
 * an action.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "agent.h"
#include "buf.h"
#include "cdp.h"
#include "err.h"
#include "log.h"
#include "xmalloc.h"
#include "observe.h"
#include "policy.h"
#include "site.h"
#include "task.h"
#include "gym.h"

#define GYM_BENCH_MAX_POLICIES	16

/* Fills p with the defaults. */
void
gym_bench_default_params(struct gym_bench_params *p)
{
	memset(p, 0, sizeof(*p));
	p->episodes = 250;
	p->seed = 20240601;
	p->max_steps = 25;
}

/* The splitmix64 finaliser. */
static uint64_t
mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static const char *const set_names[2] = { "heldout_phrasings",
    "heldout_families" };

/* The task of one episode (JSON for task_parse()). */
static char *
task_json(const char *url, const char *name, int max_steps)
{
	cJSON *t = cJSON_CreateObject(), *a, *c;
	char *s, *out;

	cJSON_AddStringToObject(t, "name", name);
	cJSON_AddStringToObject(t, "start_url", url);
	cJSON_AddStringToObject(t, "goal_js", "window.__gen.instruction");
	a = cJSON_AddArrayToObject(t, "success");
	c = cJSON_CreateObject();
	cJSON_AddStringToObject(c, "js", "window.__gen.done()");
	cJSON_AddItemToArray(a, c);
	cJSON_AddNumberToObject(t, "max_steps", max_steps);
	cJSON_AddNumberToObject(t, "step_timeout_ms", 20000);
	cJSON_AddNumberToObject(t, "timeout_ms", 180000);
	s = cJSON_PrintUnformatted(t);
	out = xstrdup(s);
	cJSON_free(s);
	cJSON_Delete(t);
	return out;
}

/* Runs one episode with one policy on a fresh page. */
static int
run_one(struct cdp_conn *conn, const char *url, const char *name,
    int max_steps, struct policy *pol, volatile int *cancel,
    struct agent_result *res, char **causep)
{
	struct cdp_page_params pp;
	struct cdp_page *page = NULL;
	struct agent_params ap;
	struct task *t = NULL;
	char *js;
	int r;

	memset(res, 0, sizeof(*res));
	js = task_json(url, name, max_steps);
	r = task_parse(js, strlen(js), name, &t, causep);
	free(js);
	if (r != 0)
		return r;
	cdp_page_default_params(&pp);
	if ((r = cdp_page_open(conn, &pp, &page)) != 0 ||
	    (r = obs_install(page)) != 0) {
		if (causep != NULL)
			*causep = xasprintf("opening a page: %s",
			    cdp_conn_error(conn));
		goto out;
	}
	agent_default_params(&ap);
	ap.cancel = cancel;
	r = agent_run(page, t, pol, NULL, &ap, res);
	if (r != 0 && causep != NULL)
		*causep = xstrdup(res->reason != NULL ? res->reason :
		    err_str(r));
out:
	cdp_page_free(page);
	task_free(t);
	return r;
}

/* Adds one run's outcome to a policy's counts for a set and family. */
static void
count(cJSON *pol, int set, const char *family, int success, int steps)
{
	cJSON *s, *f, *fam;

	if ((s = cJSON_GetObjectItemCaseSensitive(pol, set_names[set])) ==
	    NULL) {
		s = cJSON_AddObjectToObject(pol, set_names[set]);
		cJSON_AddNumberToObject(s, "episodes", 0);
		cJSON_AddNumberToObject(s, "success", 0);
		cJSON_AddNumberToObject(s, "steps", 0);
		cJSON_AddObjectToObject(s, "families");
	}
	f = cJSON_GetObjectItemCaseSensitive(s, "episodes");
	cJSON_SetNumberValue(f, f->valuedouble + 1);
	f = cJSON_GetObjectItemCaseSensitive(s, "success");
	cJSON_SetNumberValue(f, f->valuedouble + success);
	f = cJSON_GetObjectItemCaseSensitive(s, "steps");
	cJSON_SetNumberValue(f, f->valuedouble + steps);
	fam = cJSON_GetObjectItemCaseSensitive(s, "families");
	if ((f = cJSON_GetObjectItemCaseSensitive(fam, family)) == NULL) {
		f = cJSON_AddArrayToObject(fam, family);
		cJSON_AddItemToArray(f, cJSON_CreateNumber(0));
		cJSON_AddItemToArray(f, cJSON_CreateNumber(0));
	}
	cJSON_SetNumberValue(cJSON_GetArrayItem(f, 0),
	    cJSON_GetArrayItem(f, 0)->valuedouble + success);
	cJSON_SetNumberValue(cJSON_GetArrayItem(f, 1),
	    cJSON_GetArrayItem(f, 1)->valuedouble + 1);
}

/* Adds "rate" and "mean_steps" to each set of each policy. */
static void
finish_rates(cJSON *pols)
{
	cJSON *p, *s;
	double n, k, st;
	int i;

	cJSON_ArrayForEach(p, pols) {
		for (i = 0; i < 2; i++) {
			if ((s = cJSON_GetObjectItemCaseSensitive(p,
			    set_names[i])) == NULL)
				continue;
			n = cJSON_GetObjectItemCaseSensitive(s,
			    "episodes")->valuedouble;
			k = cJSON_GetObjectItemCaseSensitive(s,
			    "success")->valuedouble;
			st = cJSON_GetObjectItemCaseSensitive(s,
			    "steps")->valuedouble;
			cJSON_AddNumberToObject(s, "rate", n > 0 ? k / n : 0);
			cJSON_AddNumberToObject(s, "mean_steps", n > 0 ?
			    st / n : 0);
		}
	}
}

/* Runs every episode of both sets with every policy. */
int
gym_bench_run(struct cdp_conn *conn, const struct gym_bench_params *p,
    cJSON **resultp, char **causep)
{
	struct policy *pols[GYM_BENCH_MAX_POLICIES];
	struct policy_params pp;
	struct agent_result res;
	struct site *site = NULL;
	const char *dir;
	cJSON *out = NULL, *jp, *jr, *pj[GYM_BENCH_MAX_POLICIES], *it;
	char *base = NULL, *url, *cause = NULL, name[96], label[160];
	int fams[2][GYM_MAX_FAMILIES], nf[2] = { 0, 0 }, port, r = 0;
	size_t i, e, k, total, done = 0, npol;
	uint64_t seed;
	int set, fam, succ;

	*resultp = NULL;
	if (causep != NULL)
		*causep = NULL;
	memset(pols, 0, sizeof(pols));
	npol = p->npolicies > GYM_BENCH_MAX_POLICIES ?
	    GYM_BENCH_MAX_POLICIES : p->npolicies;
	for (i = 0; i < gym_nfamilies && i < GYM_MAX_FAMILIES; i++) {
		set = gym_families[i].heldout ? 1 : 0;
		fams[set][nf[set]++] = (int)i;
	}
	if ((dir = gym_dir()) == NULL) {
		cause = xstrdup("the generator's files (model/gen) are not "
		    "installed: set WEBNAV_GEN_DIR");
		r = ERR_NOTFOUND;
		goto out;
	}
	policy_default_params(&pp);
	pp.model_path = p->model_path;
	for (i = 0; i < npol; i++)
		if ((r = policy_new(p->policies[i], &pp, &pols[i],
		    &cause)) != 0)
			goto out;
	if ((r = site_start(dir, &site, &port, &cause)) != 0)
		goto out;
	base = xasprintf("http://127.0.0.1:%d", port);
	out = cJSON_CreateObject();
	cJSON_AddNumberToObject(out, "episodes_per_set", (double)p->episodes);
	cJSON_AddNumberToObject(out, "seed", (double)p->seed);
	cJSON_AddNumberToObject(out, "max_steps", p->max_steps);
	jp = cJSON_AddArrayToObject(out, "policies");
	for (i = 0; i < npol; i++) {
		pj[i] = cJSON_CreateObject();
		cJSON_AddStringToObject(pj[i], "policy", policy_name(pols[i]));
		cJSON_AddItemToArray(jp, pj[i]);
	}
	jr = cJSON_AddArrayToObject(out, "results");
	total = 2 * p->episodes * npol;
	for (set = 0; set < 2; set++) {
		if (nf[set] == 0)
			continue;
		for (e = 0; e < p->episodes; e++) {
			fam = fams[set][e % (size_t)nf[set]];
			seed = mix64(p->seed * 7919 + (uint64_t)set * 1000003 +
			    e) % 1000000000;
			url = gym_url(base, gym_families[fam].name, seed,
			    set == 0 ? GYM_SPLIT_HELDOUT : GYM_SPLIT_ANY);
			snprintf(name, sizeof(name), "gym-%s-%llu",
			    gym_families[fam].name, (unsigned long long)seed);
			for (k = 0; k < npol; k++) {
				if (p->cancel != NULL && *p->cancel) {
					free(url);
					r = ERR_CANCELLED;
					cause = xstrdup("interrupted");
					goto out;
				}
				r = run_one(conn, url, name, p->max_steps,
				    pols[k], p->cancel, &res, &cause);
				if (r != 0) {
					agent_result_clear(&res);
					free(url);
					goto out;
				}
				if (res.outcome == AGENT_ERROR) {
					/* The browser is gone or broken. */
					cause = xasprintf("%s: %s", name,
					    res.reason);
					agent_result_clear(&res);
					free(url);
					r = ERR_BROWSER;
					goto out;
				}
				succ = res.outcome == AGENT_SUCCESS;
				count(pj[k], set, gym_families[fam].name, succ,
				    res.steps);
				it = cJSON_CreateObject();
				cJSON_AddStringToObject(it, "set",
				    set_names[set]);
				cJSON_AddStringToObject(it, "family",
				    gym_families[fam].name);
				cJSON_AddNumberToObject(it, "seed",
				    (double)seed);
				cJSON_AddStringToObject(it, "policy",
				    policy_name(pols[k]));
				cJSON_AddStringToObject(it, "outcome",
				    agent_outcome_name(res.outcome));
				cJSON_AddNumberToObject(it, "steps", res.steps);
				cJSON_AddNumberToObject(it, "seconds",
				    res.seconds);
				cJSON_AddStringToObject(it, "reason",
				    res.reason != NULL ? res.reason : "");
				cJSON_AddItemToArray(jr, it);
				agent_result_clear(&res);
				done++;
				if (p->progress != NULL) {
					snprintf(label, sizeof(label),
					    "%s %s %s", policy_name(pols[k]),
					    gym_families[fam].name, succ ?
					    "ok" : "failed");
					p->progress(p->progress_arg, done,
					    total, 0, label);
				}
			}
			free(url);
		}
	}
	finish_rates(jp);
	*resultp = out;
	out = NULL;
	r = 0;
out:
	cJSON_Delete(out);
	for (i = 0; i < npol; i++)
		policy_free(pols[i]);
	site_stop(site);
	free(base);
	if (causep != NULL)
		*causep = cause;
	else
		free(cause);
	return r;
}

/* rate of one set of a policy, or -1. */
static double
rate_of(const cJSON *pol, int set, double *np)
{
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(pol,
	    set_names[set]);
	const cJSON *v;

	*np = 0;
	if (s == NULL || (v = cJSON_GetObjectItemCaseSensitive(s,
	    "rate")) == NULL)
		return -1;
	*np = cJSON_GetObjectItemCaseSensitive(s, "episodes")->valuedouble;
	return v->valuedouble;
}

/* The success rates per set and per family as markdown. */
char *
gym_bench_markdown(const cJSON *result)
{
	const cJSON *pols = cJSON_GetObjectItemCaseSensitive(result,
	    "policies"), *p, *s, *fams, *f;
	struct buf b;
	double r0, r1, n0, n1;
	size_t i;
	int set;

	buf_init(&b, 1 << 20);
	(void)buf_puts(&b, "| policy | held-out phrasings | held-out families "
	    "|\n|---|---|---|\n");
	cJSON_ArrayForEach(p, pols) {
		r0 = rate_of(p, 0, &n0);
		r1 = rate_of(p, 1, &n1);
		(void)buf_printf(&b, "| %s | %.1f%% (%.0f) | %.1f%% (%.0f) |\n",
		    cJSON_GetObjectItemCaseSensitive(p, "policy")->valuestring,
		    r0 < 0 ? 0 : 100 * r0, n0, r1 < 0 ? 0 : 100 * r1, n1);
	}
	/* Per family: one column per policy. */
	(void)buf_puts(&b, "\n| family | set |");
	cJSON_ArrayForEach(p, pols)
		(void)buf_printf(&b, " %s |", cJSON_GetObjectItemCaseSensitive(
		    p, "policy")->valuestring);
	(void)buf_puts(&b, "\n|---|---|");
	cJSON_ArrayForEach(p, pols)
		(void)buf_puts(&b, "---|");
	(void)buf_puts(&b, "\n");
	for (i = 0; i < gym_nfamilies; i++) {
		set = gym_families[i].heldout ? 1 : 0;
		(void)buf_printf(&b, "| %s | %s |", gym_families[i].name,
		    set ? "family" : "phrasings");
		cJSON_ArrayForEach(p, pols) {
			s = cJSON_GetObjectItemCaseSensitive(p,
			    set_names[set]);
			fams = s != NULL ? cJSON_GetObjectItemCaseSensitive(s,
			    "families") : NULL;
			f = fams != NULL ? cJSON_GetObjectItemCaseSensitive(
			    fams, gym_families[i].name) : NULL;
			if (f == NULL)
				(void)buf_puts(&b, " - |");
			else
				(void)buf_printf(&b, " %.0f/%.0f |",
				    cJSON_GetArrayItem(f, 0)->valuedouble,
				    cJSON_GetArrayItem(f, 1)->valuedouble);
		}
		(void)buf_puts(&b, "\n");
	}
	return b.data != NULL ? buf_steal(&b, NULL) : xstrdup("");
}
