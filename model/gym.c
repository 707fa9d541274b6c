/*
 * gym.c: the generator's families, page URLs and oracle (gym.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cdp.h"
#include "err.h"
#include "xmalloc.h"
#include "observe.h"
#include "gym.h"

/*
 * Must match the G.def() calls of model/gen/fam-*.js (the integration
 * test checks it).  Held out: whole families kept for validation.
 */
const struct gym_family gym_families[] = {
	{ "buttons", 0 },
	{ "form", 0 },
	{ "login", 0 },
	{ "menu", 0 },
	{ "table", 0 },
	{ "posts", 1 },
	{ "dialog", 0 },
	{ "date", 0 },
	{ "select", 0 },
	{ "shop", 0 },
	{ "travel", 0 },
	{ "search", 0 },
	{ "tabs", 1 },
	{ "checks", 1 },
};
const size_t gym_nfamilies = sizeof(gym_families) / sizeof(gym_families[0]);

/* Index of family name in gym_families, or -1. */
int
gym_family_index(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < gym_nfamilies; i++)
		if (strcmp(gym_families[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* 1 if dir holds gen.html. */
static int
has_gen(const char *dir)
{
	char *p = xasprintf("%s/gen.html", dir);
	int ok = access(p, R_OK) == 0;

	free(p);
	return ok;
}

/* The generator's directory: $WEBNAV_GEN_DIR, installed, source tree. */
const char *
gym_dir(void)
{
	static char *found;
	const char *env = getenv("WEBNAV_GEN_DIR");
	char *p;

	if (env != NULL && env[0] != '\0')
		return has_gen(env) ? env : NULL;
	if (found != NULL)
		return found;
#ifdef WEBNAV_DATADIR
	p = xstrdup(WEBNAV_DATADIR "/gen");
	if (has_gen(p))
		return found = p;
	free(p);
#endif
	p = xstrdup(WEBNAV_SRCDIR "/model/gen");
	if (has_gen(p))
		return found = p;
	free(p);
	return NULL;
}

/* The URL of a generated page under base (allocated). */
char *
gym_url(const char *base, const char *family, uint64_t seed, int split)
{
	static const char *const splits[] = { "train", "heldout", "any" };

	if (split < 0 || split > GYM_SPLIT_ANY)
		split = GYM_SPLIT_ANY;
	return xasprintf("%s/gen.html?family=%s&seed=%llu&split=%s", base,
	    family, (unsigned long long)seed, splits[split]);
}

/* A string member of o (allocated), or "" if absent. */
static char *
jstr(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return xstrdup(cJSON_IsString(v) ? v->valuestring : "");
}

#define GYM_READ_JS \
	"(function(){var g=window.__gen;if(!g)return {error:'no generator'};" \
	"if(g.error)return {error:g.error};if(!g.ready)return {error:" \
	"'generator not ready'};return {instr:g.instruction,kind:g.kind," \
	"tpl:g.tpl,impl:g.impl};})()"

/* Reads the task of the generated page (GYM_READ_JS's answer v). */
static int
read_task(const cJSON *v, const char *what, struct gym_page *gp,
    char **causep)
{
	const cJSON *e;

	if (!cJSON_IsObject(v)) {
		if (causep != NULL)
			*causep = xasprintf("%s: no task", what);
		return ERR_INVALID;
	}
	if ((e = cJSON_GetObjectItemCaseSensitive(v, "error")) != NULL) {
		if (causep != NULL)
			*causep = xasprintf("%s: generator: %s", what,
			    cJSON_IsString(e) ? e->valuestring : "error");
		return ERR_INVALID;
	}
	gp->instr = jstr(v, "instr");
	gp->kind = jstr(v, "kind");
	gp->tpl = jstr(v, "tpl");
	gp->impl = jstr(v, "impl");
	return 0;
}

/* Loads the generated page at url and reads its task. */
int
gym_open(struct cdp_page *page, const char *url, struct gym_page *gp,
    char **causep)
{
	cJSON *v = NULL;
	int r;

	memset(gp, 0, sizeof(*gp));
	if (causep != NULL)
		*causep = NULL;
	if ((r = cdp_page_navigate(page, url, 20000)) != 0 ||
	    (r = cdp_page_eval(page, GYM_READ_JS, 10000, &v)) != 0) {
		if (causep != NULL)
			*causep = xasprintf("%s: %s", url, cdp_conn_error(
			    cdp_page_conn(page)));
		return r;
	}
	r = read_task(v, url, gp, causep);
	cJSON_Delete(v);
	return r;
}

/* A new generated page, in the same document when possible. */
int
gym_reset(struct cdp_page *page, const char *base, const char *family,
    uint64_t seed, int split, struct gym_page *gp, char **causep)
{
	static const char *const splits[] = { "train", "heldout", "any" };
	cJSON *v = NULL, *arg;
	char *expr, *url, *a, *o;
	int r;

	memset(gp, 0, sizeof(*gp));
	if (causep != NULL)
		*causep = NULL;
	if (split < 0 || split > GYM_SPLIT_ANY)
		split = GYM_SPLIT_ANY;
	arg = cJSON_CreateObject();
	cJSON_AddStringToObject(arg, "family", family);
	url = xasprintf("%llu", (unsigned long long)seed);
	cJSON_AddStringToObject(arg, "seed", url);
	free(url);
	cJSON_AddStringToObject(arg, "split", splits[split]);
	a = cJSON_PrintUnformatted(arg);
	cJSON_Delete(arg);
	arg = cJSON_CreateString(base);
	o = cJSON_PrintUnformatted(arg);
	cJSON_Delete(arg);
	/* null: not a generator page of this server, so navigate. */
	expr = xasprintf("(function(){var g=window.__gen;if(!g||!g.restart||"
	    "location.origin!==%s)return null;g.restart(%s);return %s;})()",
	    o, a, GYM_READ_JS);
	cJSON_free(a);
	cJSON_free(o);
	r = cdp_page_eval(page, expr, 10000, &v);
	free(expr);
	if (r == 0 && v != NULL && !cJSON_IsNull(v)) {
		r = read_task(v, family, gp, causep);
		cJSON_Delete(v);
		return r;
	}
	cJSON_Delete(v);
	url = gym_url(base, family, seed, split);
	r = gym_open(page, url, gp, causep);
	free(url);
	return r;
}

/* Frees what gym_open() or gym_reset() filled in. */
void
gym_page_clear(struct gym_page *gp)
{
	free(gp->instr);
	free(gp->kind);
	free(gp->tpl);
	free(gp->impl);
	memset(gp, 0, sizeof(*gp));
}

/* The mark of the top frame's collector element ref, or 0. */
static int
mark_of_ref(const struct obs *o, int ref)
{
	size_t i;

	for (i = 0; ref >= 0 && i < o->nmarks; i++)
		if (o->marks[i].frame == 0 && o->marks[i].ref == ref)
			return o->marks[i].id;
	return 0;
}

/* Asks the page's oracle for the next action, as marks of o. */
int
gym_oracle(struct cdp_page *page, const struct obs *o, struct gym_gold *g,
    char **causep)
{
	static const struct {
		const char	*name;
		int		 op;
	} ops[] = {
		{ "click", GYM_CLICK }, { "type", GYM_TYPE },
		{ "select", GYM_SELECT }, { "scroll", GYM_SCROLL },
		{ "done", GYM_DONE }
	};
	cJSON *v = NULL;
	const cJSON *a, *it;
	char *op = NULL;
	size_t i;
	int r = ERR_INTERNAL, m;

	memset(g, 0, sizeof(*g));
	if (causep != NULL)
		*causep = NULL;
	if ((r = cdp_page_eval(page, "window.__gen.step()", 10000, &v)) != 0) {
		if (causep != NULL)
			*causep = xasprintf("oracle: %s", cdp_conn_error(
			    cdp_page_conn(page)));
		return r;
	}
	if (!cJSON_IsObject(v)) {
		r = ERR_INVALID;
		if (causep != NULL)
			*causep = xstrdup("oracle: no answer");
		goto out;
	}
	op = jstr(v, "op");
	g->why = jstr(v, "why");
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(op, ops[i].name) == 0)
			g->op = ops[i].op;
	if (g->op == 0) {
		r = ERR_NOTFOUND;
		if (causep != NULL)
			*causep = xasprintf("oracle: %s: %s", op, g->why);
		goto out;
	}
	if (g->op == GYM_SCROLL) {
		it = cJSON_GetObjectItemCaseSensitive(v, "dir");
		g->dir = cJSON_IsNumber(it) && it->valuedouble < 0 ? -1 : 1;
	}
	if (g->op == GYM_CLICK || g->op == GYM_TYPE || g->op == GYM_SELECT) {
		it = cJSON_GetObjectItemCaseSensitive(v, "ref");
		g->mark = cJSON_IsNumber(it) ? mark_of_ref(o,
		    it->valueint) : 0;
		if (g->mark == 0) {
			r = ERR_NOTFOUND;
			if (causep != NULL)
				*causep = xasprintf("oracle: %s target is no "
				    "mark (%s)", op, g->why);
			goto out;
		}
		a = cJSON_GetObjectItemCaseSensitive(v, "alts");
		cJSON_ArrayForEach(it, a) {
			const cJSON *ref = cJSON_GetObjectItemCaseSensitive(it,
			    "ref");

			if (g->nalts == GYM_MAX_ALTS || !cJSON_IsNumber(ref))
				break;
			if ((m = mark_of_ref(o, ref->valueint)) != 0 &&
			    m != g->mark) {
				g->alt_values[g->nalts] = g->op != GYM_CLICK ?
				    jstr(it, "value") : NULL;
				g->alts[g->nalts++] = m;
			}
		}
		if (g->op != GYM_CLICK)
			g->value = jstr(v, "value");
	}
	r = 0;
out:
	if (r != 0)
		gym_gold_clear(g);
	free(op);
	cJSON_Delete(v);
	return r;
}

/* Frees an oracle answer. */
void
gym_gold_clear(struct gym_gold *g)
{
	int i;

	for (i = 0; i < g->nalts && i < GYM_MAX_ALTS; i++)
		free(g->alt_values[i]);
	free(g->value);
	free(g->why);
	memset(g, 0, sizeof(*g));
}
