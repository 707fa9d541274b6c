/*
 * test-gen.c: the training-page generator (model/gen) against real
 * Chromium: the JS families match the C table, pages are deterministic
 * per seed, the oracle's actions executed by action_exec() reach the goal
 * (window.__gen.done()) in every family, the oracle still finds the way
 * after a wrong action, and collected samples read back with labels
 * (gold rows, value spans, options).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "action.h"
#include "cdp.h"
#include "err.h"
#include "features.h"
#include "gym.h"
#include "live.h"
#include "nn.h"
#include "observe.h"
#include "site.h"
#include "tap.h"
#include "xmalloc.h"

#define MAX_STEPS	30

static struct live L;
static char base[64];

/* The action for the oracle's answer. */
static void
to_action(const struct gym_gold *g, struct action *a)
{
	memset(a, 0, sizeof(*a));
	a->mark = g->mark;
	switch (g->op) {
	case GYM_CLICK:
		a->op = ACT_CLICK;
		break;
	case GYM_TYPE:
		a->op = ACT_TYPE;
		a->value = xstrdup(g->value);
		break;
	case GYM_SELECT:
		a->op = ACT_SELECT;
		a->value = xstrdup(g->value);
		break;
	case GYM_SCROLL:
		a->op = ACT_SCROLL;
		a->dir = g->dir;
		break;
	default:
		a->op = ACT_DONE;
		break;
	}
}

/* 1 if window.__gen.done() holds. */
static int
page_done(struct cdp_page *page)
{
	cJSON *v = NULL;
	int d;

	if (cdp_page_eval(page, "window.__gen.done()", 10000, &v) != 0)
		return 0;
	d = cJSON_IsTrue(v);
	cJSON_Delete(v);
	return d;
}

/*
 * Follows the oracle from the current state; returns the steps taken to
 * the goal, or -1 (with a note).
 */
static int
follow(struct cdp_page *page, const char *what)
{
	struct obs_params op;
	struct obs *o = NULL;
	struct gym_gold g;
	struct action a;
	char *cause = NULL;
	int n, r;

	obs_default_params(&op);
	op.screenshot = 0;
	for (n = 0; n < MAX_STEPS; n++) {
		if ((r = obs_capture(page, &op, &o, &cause)) != 0 ||
		    (r = gym_oracle(page, o, &g, &cause)) != 0) {
			note("%s: step %d: %s", what, n, cause != NULL ? cause :
			    err_str(r));
			free(cause);
			obs_free(o);
			return -1;
		}
		if (g.op == GYM_DONE) {
			gym_gold_clear(&g);
			obs_free(o);
			return page_done(page) ? n : -1;
		}
		to_action(&g, &a);
		gym_gold_clear(&g);
		r = action_exec(page, o, &a, &cause);
		action_clear(&a);
		obs_free(o);
		o = NULL;
		if (r != 0) {
			note("%s: step %d: %s", what, n, cause != NULL ? cause :
			    err_str(r));
			free(cause);
			return -1;
		}
		cdp_page_settle(page, 5000, NULL);
	}
	note("%s: no goal after %d steps", what, MAX_STEPS);
	return -1;
}

static struct cdp_page *
new_page(void)
{
	struct cdp_page_params pp;
	struct cdp_page *page = NULL;

	cdp_page_default_params(&pp);
	pp.quiet_ms = 60;
	if (cdp_page_open(L.conn, &pp, &page) != 0 || obs_install(page) != 0) {
		cdp_page_free(page);
		return NULL;
	}
	return page;
}

static void
test_families(struct cdp_page *page)
{
	struct gym_page gp;
	cJSON *v = NULL, *it;
	char *url, *cause = NULL;
	size_t n = 0, same = 0, i;
	int k;

	url = gym_url(base, "buttons", 1, GYM_SPLIT_ANY);
	ok(gym_open(page, url, &gp, &cause) == 0, "generator page loads (%s)",
	    cause != NULL ? cause : "ok");
	free(cause);
	cause = NULL;
	gym_page_clear(&gp);
	free(url);
	if (cdp_page_eval(page, "window.__gen.families()", 10000, &v) == 0)
		cJSON_ArrayForEach(it, v) {
			const cJSON *nm = cJSON_GetObjectItem(it, "name");
			const cJSON *sp = cJSON_GetObjectItem(it, "split");

			n++;
			k = cJSON_IsString(nm) ? gym_family_index(
			    nm->valuestring) : -1;
			if (k >= 0 && cJSON_IsString(sp) &&
			    gym_families[k].heldout == (strcmp(sp->valuestring,
			    "heldout") == 0))
				same++;
		}
	cJSON_Delete(v);
	is_int(n, gym_nfamilies, "the page defines %zu families",
	    gym_nfamilies);
	is_int(same, gym_nfamilies, "names and held-out flags match the C "
	    "table");
	for (i = 0, k = 0; i < gym_nfamilies; i++)
		k += gym_families[i].heldout;
	ok(gym_nfamilies >= 12 && k >= 2, "at least 12 families, %d held out",
	    k);
}

static void
test_determinism(struct cdp_page *page)
{
	struct gym_page a, b;
	char *url, *cause = NULL;
	int r1, r2;

	url = gym_url(base, "form", 42, GYM_SPLIT_TRAIN);
	r1 = gym_open(page, url, &a, &cause);
	r2 = gym_open(page, url, &b, &cause);
	ok(r1 == 0 && r2 == 0 && strcmp(a.instr, b.instr) == 0 &&
	    strcmp(a.tpl, b.tpl) == 0 && strcmp(a.impl, b.impl) == 0,
	    "same seed, same task: \"%s\"", r1 == 0 ? a.instr : "");
	gym_page_clear(&b);
	free(url);
	url = gym_url(base, "form", 43, GYM_SPLIT_TRAIN);
	r2 = gym_open(page, url, &b, &cause);
	ok(r1 == 0 && r2 == 0 && strcmp(a.instr, b.instr) != 0,
	    "another seed, another task: \"%s\"", r2 == 0 ? b.instr : "");
	gym_page_clear(&a);
	gym_page_clear(&b);
	free(url);
	free(cause);
}

/* Every family reaches its goal by the oracle's actions. */
static void
test_oracle(struct cdp_page *page)
{
	static const char *const extra[] = { "form", "menu", "shop" };
	struct gym_page gp;
	char *url, *cause = NULL, what[96];
	size_t i;
	int n, seed, split;

	for (i = 0; i < gym_nfamilies + 6; i++) {
		const char *fam = i < gym_nfamilies ? gym_families[i].name :
		    extra[(i - gym_nfamilies) % 3];

		seed = i < gym_nfamilies ? 7 : 100 + (int)i;
		split = i % 2 ? GYM_SPLIT_HELDOUT : GYM_SPLIT_TRAIN;
		url = gym_url(base, fam, (uint64_t)seed, split);
		snprintf(what, sizeof(what), "%s seed %d", fam, seed);
		if (gym_open(page, url, &gp, &cause) != 0) {
			ok(0, "%s: %s", what, cause);
			free(cause);
			cause = NULL;
			free(url);
			continue;
		}
		ok(!page_done(page), "%s: not done at the start", what);
		n = follow(page, what);
		ok(n > 0, "%s: \"%s\" reached in %d steps", what, gp.instr, n);
		gym_page_clear(&gp);
		free(url);
	}
}

/* A wrong action first: the oracle still finds the way. */
static void
test_recovery(struct cdp_page *page)
{
	static const char *const fams[] = { "form", "checks", "shop" };
	struct obs_params op;
	struct gym_page gp;
	struct gym_gold g;
	struct obs *o = NULL;
	struct action a;
	char *url, *cause = NULL;
	size_t i, k;
	int n;

	obs_default_params(&op);
	op.screenshot = 0;
	for (i = 0; i < 3; i++) {
		url = gym_url(base, fams[i], 11, GYM_SPLIT_TRAIN);
		if (gym_open(page, url, &gp, &cause) != 0 ||
		    obs_capture(page, &op, &o, &cause) != 0 ||
		    gym_oracle(page, o, &g, &cause) != 0) {
			ok(0, "%s: %s", fams[i], cause);
			free(cause);
			cause = NULL;
			obs_free(o);
			o = NULL;
			gym_page_clear(&gp);
			free(url);
			continue;
		}
		/* Click the last mark that is not the oracle's. */
		memset(&a, 0, sizeof(a));
		a.op = ACT_CLICK;
		for (k = o->nmarks; k > 0; k--)
			if (o->marks[k - 1].id != g.mark &&
			    !o->marks[k - 1].editable) {
				a.mark = o->marks[k - 1].id;
				break;
			}
		gym_gold_clear(&g);
		if (a.mark > 0 && action_exec(page, o, &a, &cause) != 0) {
			free(cause);
			cause = NULL;
		}
		obs_free(o);
		o = NULL;
		cdp_page_settle(page, 5000, NULL);
		n = follow(page, fams[i]);
		ok(n > 0, "%s: goal reached after a wrong click (%d steps)",
		    fams[i], n);
		gym_page_clear(&gp);
		free(url);
	}
}

/* Collection end to end: a sample file with usable labels. */
static void
test_collect(void)
{
	struct gym_collect_params cp;
	struct gym_collect_stats st;
	struct gym_data *d = NULL;
	struct gym_sample s;
	struct feat_config fc;
	struct feat_step *fs;
	struct nn_label y;
	char path[] = "/tmp/test-gen-XXXXXX", *cause = NULL;
	const char *p = path;
	FILE *f;
	size_t i, labelled = 0, typed = 0, spans = 0, done = 0;
	size_t unsorted = 0;
	int fd, r;

	if ((fd = mkstemp(path)) == -1 || (f = fdopen(fd, "wb")) == NULL) {
		ok(0, "temporary file");
		return;
	}
	gym_collect_default_params(&cp);
	cp.wsurl = cdp_browser_ws_url(L.browser);
	cp.base = base;
	cp.episodes = 6;
	cp.val_episodes = 2;
	cp.seed = 3;
	cp.workers = 2;
	r = gym_file_header(f);
	if (r == 0)
		r = gym_collect(&cp, f, &st, &cause);
	fclose(f);
	ok(r == 0 && st.episodes == 8 && st.reached + st.failed == 8 &&
	    st.samples > 8, "collected %zu episodes, %zu samples (%s)",
	    st.episodes, st.samples, cause != NULL ? cause : "ok");
	free(cause);
	cause = NULL;
	r = gym_data_load(&p, 1, &d, &cause);
	ok(r == 0 && gym_data_count(d) == st.samples, "read back %zu samples "
	    "(%s)", r == 0 ? gym_data_count(d) : 0, cause != NULL ? cause :
	    "ok");
	free(cause);
	cause = NULL;
	feat_default_config(&fc);
	for (i = 0; r == 0 && i < gym_data_count(d); i++) {
		if (i > 0 && gym_data_episode(d, i - 1) >
		    gym_data_episode(d, i))
			unsorted++;
		if (gym_data_get(d, i, &s) != 0)
			continue;
		if (gym_sample_features(&fc, &s, &fs, &y, NULL, NULL) == 0) {
			if (y.ngold > 0)
				labelled++;
			if (s.op == NN_OP_TYPE) {
				typed++;
				spans += y.span_start >= 0;
			}
			done += y.ngold > 0 && y.gold[0] == fs->N +
			    FEAT_PSEUDO_DONE;
			feat_step_free(fs);
		}
		gym_sample_clear(&s);
	}
	is_int(unsorted, 0, "samples sorted by episode");
	is_int(labelled, gym_data_count(d), "every sample has a gold row");
	is_int(spans, typed, "every TYPE sample has its value span (%zu)",
	    typed);
	is_int(done, st.reached, "one DONE sample per episode that reached "
	    "its goal");
	gym_data_free(d);
	(void)unlink(path);
}

int
main(void)
{
	struct site *site = NULL;
	struct cdp_page *page;
	const char *dir;
	char *cause = NULL;
	int port;

	if ((dir = gym_dir()) == NULL)
		skip_all("generator files not found");
	if (live_start(&L) != 0)
		return 1;
	if (site_start(dir, &site, &port, &cause) != 0) {
		printf("Bail out! %s\n", cause);
		live_stop(&L);
		return 1;
	}
	snprintf(base, sizeof(base), "http://127.0.0.1:%d", port);
	if ((page = new_page()) == NULL) {
		printf("Bail out! cannot open a page\n");
		site_stop(site);
		live_stop(&L);
		return 1;
	}
	test_families(page);
	test_determinism(page);
	test_oracle(page);
	test_recovery(page);
	cdp_page_free(page);
	test_collect();
	site_stop(site);
	live_stop(&L);
	return done_testing();
}
