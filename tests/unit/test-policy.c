/*
 * test-policy.c: the policy table, the lexical baseline and replay, on
 * observations built by hand (no browser).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "action.h"
#include "err.h"
#include "log.h"
#include "observe.h"
#include "policy.h"
#include "tap.h"
#include "task.h"
#include "xmalloc.h"

/* ---- building pages ------------------------------------------------- */

static struct obs *
page_new(const char *url, double page_h, double scroll_y)
{
	struct obs *o = xcalloc(1, sizeof(*o));

	o->url = xstrdup(url);
	o->title = xstrdup("test");
	o->vw = 1280;
	o->vh = 800;
	o->scale = 1;
	o->page_h = page_h;
	o->scroll_y = scroll_y;
	return o;
}

/* Adds a mark laid out in reading order; valid until the next add. */
static struct mark *
page_add(struct obs *o, const char *tag, const char *role, const char *text)
{
	struct mark *m;

	o->marks = xreallocarray(o->marks, o->nmarks + 1, sizeof(*o->marks));
	m = &o->marks[o->nmarks++];
	memset(m, 0, sizeof(*m));
	m->id = (int)o->nmarks;
	m->tag = xstrdup(tag);
	m->role = xstrdup(role);
	m->type = xstrdup("");
	m->text = xstrdup(text);
	m->label = xstrdup("");
	m->value = xstrdup("");
	m->attrs = cJSON_CreateObject();
	m->x = 20;
	m->y = 10 + 40 * (double)(o->nmarks - 1);
	m->w = 120;
	m->h = 30;
	m->checked = -1;
	m->selected = -1;
	m->option_selected = -1;
	m->change = MARK_SAME;
	return m;
}

static struct mark *
page_field(struct obs *o, const char *label, const char *type)
{
	struct mark *m = page_add(o, "input", "textbox", "");

	free(m->label);
	m->label = xstrdup(label);
	free(m->type);
	m->type = xstrdup(type);
	m->editable = 1;
	return m;
}

static void
mark_attr(struct mark *m, const char *k, const char *v)
{
	cJSON_AddStringToObject(m->attrs, k, v);
}

static void
mark_set(char **field, const char *v)
{
	free(*field);
	*field = xstrdup(v);
}

static struct mark *
page_select(struct obs *o, const char *label, const char *const *opts,
    size_t n, int selected)
{
	struct mark *m = page_add(o, "select", "combobox", "");
	size_t i;

	mark_set(&m->label, label);
	m->options = xcalloc(n, sizeof(*m->options));
	for (i = 0; i < n; i++)
		m->options[i] = xstrdup(opts[i]);
	m->noptions = n;
	m->option_selected = selected;
	return m;
}

/* ---- history ---------------------------------------------------------- */

struct hist {
	struct policy_hist	h[16];
	size_t			n;
};

static void
hist_add(struct hist *hs, const struct action *a, const struct obs *o,
    int instr)
{
	struct policy_hist *h = &hs->h[hs->n++];

	memset(h, 0, sizeof(*h));
	action_copy(&h->act, a);
	h->desc = obs_mark_desc_dup(obs_mark(o, a->mark));
	h->url = xstrdup(o->url);
	h->instr = instr;
}

static void
hist_clear(struct hist *hs)
{
	size_t i;

	for (i = 0; i < hs->n; i++) {
		action_clear(&hs->h[i].act);
		free(hs->h[i].desc);
		free(hs->h[i].url);
	}
	hs->n = 0;
}

/* ---- deciding ----------------------------------------------------------- */

static char last[512];

/*
 * Runs pol and returns the chosen action's text form (in a static
 * buffer); d gets the decision (cleared by the caller) if not NULL.
 */
static const char *
decide(struct policy *pol, const char *instr, const struct obs *o,
    const struct obs *prev, const struct hist *hs, const struct task *t,
    int instr_index, struct policy_decision *dout)
{
	struct policy_ctx ctx;
	struct policy_decision d;
	char *cause = NULL, *s;
	int r;

	memset(&ctx, 0, sizeof(ctx));
	ctx.task = t;
	ctx.instr = instr;
	ctx.instr_index = instr_index;
	ctx.obs = o;
	ctx.prev = prev;
	ctx.hist = hs != NULL ? hs->h : NULL;
	ctx.nhist = hs != NULL ? hs->n : 0;
	ctx.step = (int)ctx.nhist;
	if ((r = policy_decide(pol, &ctx, &d, &cause)) != 0) {
		snprintf(last, sizeof(last), "error %s: %s", err_str(r),
		    cause != NULL ? cause : "");
		free(cause);
		return last;
	}
	s = action_format(&d.act);
	snprintf(last, sizeof(last), "%s", s);
	free(s);
	if (dout != NULL)
		*dout = d;
	else
		policy_decision_clear(&d);
	return last;
}

/* Score of the first alternative whose text form is want, or -1. */
static double
alt_score(const struct policy_decision *d, const char *want)
{
	size_t i;
	char *s;
	double v = -1;

	for (i = 0; i < d->ntop && v < 0; i++) {
		s = action_format(&d->top[i].act);
		if (strcmp(s, want) == 0)
			v = d->top[i].score;
		free(s);
	}
	return v;
}

static struct policy *
new_policy(const char *name, const struct policy_params *p)
{
	struct policy *pol = NULL;
	char *cause = NULL;

	if (policy_new(name, p, &pol, &cause) != 0) {
		printf("Bail out! policy %s: %s\n", name,
		    cause != NULL ? cause : "?");
		exit(1);
	}
	return pol;
}

/* ---- lexical ------------------------------------------------------------ */

static void
test_table(void)
{
	struct policy_params p;
	struct policy *pol = NULL;
	char *cause = NULL;
	int r;

	policy_default_params(&p);
	is_str(p.fallback, "lexical", "default fallback is lexical");
	r = policy_new("magic", &p, &pol, &cause);
	is_int(r, ERR_NOTFOUND, "unknown policy: ERR_NOTFOUND");
	ok(pol == NULL, "unknown policy: nothing created");
	ok(cause != NULL && strstr(cause, "magic") != NULL &&
	    strstr(cause, "lexical") != NULL && strstr(cause, "replay") != NULL,
	    "unknown policy: cause names it and the known ones (%s)",
	    cause != NULL ? cause : "(null)");
	free(cause);
	pol = new_policy("lexical", NULL);
	is_str(policy_name(pol), "lexical", "policy_name");
	policy_free(pol);
	policy_free(NULL);
	r = policy_new("replay", &p, &pol, &cause);
	is_int(r, ERR_INVALID, "replay without a run directory: ERR_INVALID");
	free(cause);
}

static void
test_click_text(struct policy *pol)
{
	struct obs *o = page_new("http://t/", 800, 0);
	struct policy_decision d;

	page_add(o, "a", "link", "Home");
	page_add(o, "a", "link", "Products");
	page_add(o, "button", "button", "Sign in");
	page_add(o, "a", "link", "Contact us");
	page_add(o, "a", "link", "About us");
	page_field(o, "Search", "search");
	is_str(decide(pol, "Click Contact us", o, NULL, NULL, NULL, 0, &d),
	    "CLICK [4]", "click by text");
	ok(d.ntop >= 2 && d.ntop <= POLICY_TOP, "top list filled (%zu)",
	    d.ntop);
	ok(action_equal(&d.act, &d.top[0].act), "top[0] is the action");
	ok(d.score > 1.0, "clear match scores high (%.2f)", d.score);
	ok(alt_score(&d, "DONE") >= 0, "DONE is scored as an alternative");
	policy_decision_clear(&d);
	is_str(decide(pol, "Please sign in.", o, NULL, NULL, NULL, 0, NULL),
	    "CLICK [3]", "click by text, stopwords and case ignored");
	is_str(decide(pol, "go to the products page", o, NULL, NULL, NULL, 0,
	    NULL), "CLICK [2]", "plural/singular: products page");
	is_str(decide(pol, "Click 'About us'", o, NULL, NULL, NULL, 0,
	    NULL), "CLICK [5]", "quoted name");
	obs_free(o);
}

static void
test_aria(struct policy *pol)
{
	struct obs *o = page_new("http://t/", 800, 0);
	struct mark *m;

	page_add(o, "button", "button", "Open");
	page_add(o, "a", "link", "Help");
	m = page_add(o, "button", "button", "");
	mark_attr(m, "aria-label", "Close dialog");
	m = page_add(o, "button", "button", "");
	mark_attr(m, "aria-label", "Settings");
	is_str(decide(pol, "close the dialog", o, NULL, NULL, NULL, 0, NULL),
	    "CLICK [3]", "click by aria-label only");
	m = page_add(o, "div", "", "");
	m->listener = 1;
	mark_attr(m, "title", "Shopping cartIcon");
	is_str(decide(pol, "open the shopping cart", o, NULL, NULL, NULL, 0,
	    NULL), "CLICK [5]", "listener-only element by its title "
	    "(camelCase)");
	obs_free(o);
}

static void
test_type_values(struct policy *pol)
{
	struct obs *o = page_new("http://t/form", 800, 0);
	struct mark *m;

	page_field(o, "First name", "text");
	page_field(o, "Last name", "text");
	page_field(o, "Email", "email");
	m = page_field(o, "", "text");
	mark_attr(m, "name", "phoneNumber");
	m = page_field(o, "", "number");
	mark_attr(m, "placeholder", "Quantity");
	page_add(o, "button", "button", "Submit");
	is_str(decide(pol, "Type 'Smith' into the last name field", o, NULL,
	    NULL, NULL, 0, NULL), "TYPE [2] \"Smith\"",
	    "quoted value into the field named after it");
	is_str(decide(pol, "In the first name box, type \"Ann Lee\"", o, NULL,
	    NULL, NULL, 0, NULL), "TYPE [1] \"Ann Lee\"",
	    "quoted value, field named before it");
	is_str(decide(pol, "Fill the email field with bob@example.com", o,
	    NULL, NULL, NULL, 0, NULL), "TYPE [3] \"bob@example.com\"",
	    "fill X with V, value keeps its punctuation");
	is_str(decide(pol, "set quantity to 3", o, NULL, NULL, NULL, 0, NULL),
	    "TYPE [5] \"3\"", "set X to V, field by placeholder");
	is_str(decide(pol, "enter 555-1234 as the phone number", o, NULL,
	    NULL, NULL, 0, NULL), "TYPE [4] \"555-1234\"",
	    "enter V as X, field by camelCase name attribute");
	is_str(decide(pol, "email: ann@x.org", o, NULL, NULL, NULL, 0, NULL),
	    "TYPE [3] \"ann@x.org\"", "label then value");
	is_str(decide(pol, "Sign up for news with ann@x.org", o, NULL, NULL,
	    NULL, 0, NULL), "TYPE [3] \"ann@x.org\"",
	    "an e-mail address in a clause without a verb");
	is_str(decide(pol, "enter your phone 555 1234", o, NULL, NULL, NULL,
	    0, NULL), "TYPE [4] \"555 1234\"",
	    "type verb, words then data: the words name the field");
	obs_free(o);

	/* The field is behind an icon: click what its words name. */
	o = page_new("http://t/", 800, 0);
	page_add(o, "a", "link", "Home");
	m = page_add(o, "button", "button", "");
	mark_attr(m, "aria-label", "Search");
	page_add(o, "a", "link", "Blog");
	is_str(decide(pol, "search for shoes", o, NULL, NULL, NULL, 0, NULL),
	    "CLICK [2]", "value with no field yet: open the search first");
	obs_free(o);
}

static void
test_login(struct policy *pol)
{
	struct obs *o = page_new("http://t/login", 800, 0), *o2, *o3;
	struct hist hs = { .n = 0 };
	struct action a;
	const char *instr = "Log in with username alice, password s3cret";
	char alice[] = "alice", secret[] = "s3cret";

	page_add(o, "a", "link", "Forgot password?");
	page_field(o, "Username", "text");
	page_field(o, "Password", "password");
	page_add(o, "button", "button", "Log in");
	is_str(decide(pol, instr, o, NULL, NULL, NULL, 0, NULL),
	    "TYPE [2] \"alice\"", "login: username first ('username alice')");

	/* The username is typed: the password next. */
	memset(&a, 0, sizeof(a));
	a.op = ACT_TYPE;
	a.mark = 2;
	a.value = alice;
	hist_add(&hs, &a, o, 0);
	o2 = page_new("http://t/login", 800, 0);
	page_add(o2, "a", "link", "Forgot password?");
	mark_set(&page_field(o2, "Username", "text")->value, "alice");
	page_field(o2, "Password", "password");
	page_add(o2, "button", "button", "Log in");
	is_str(decide(pol, instr, o2, o, &hs, NULL, 0, NULL),
	    "TYPE [3] \"s3cret\"", "login: then the password");

	/* Both typed: log in. */
	a.mark = 3;
	a.value = secret;
	hist_add(&hs, &a, o2, 0);
	mark_set(&o2->marks[2].value, "s3cret");
	is_str(decide(pol, instr, o2, o2, &hs, NULL, 0, NULL), "CLICK [4]",
	    "login: then the button");

	/* Logged in: a new page; DONE. */
	a.op = ACT_CLICK;
	a.mark = 4;
	a.value = NULL;
	hist_add(&hs, &a, o2, 0);
	o3 = page_new("http://t/home", 800, 0);
	page_add(o3, "a", "link", "Log out");
	page_add(o3, "a", "link", "Profile");
	is_str(decide(pol, instr, o3, o2, &hs, NULL, 0, NULL), "DONE",
	    "login: DONE after completing");

	/* Steps mode: history of another instruction does not count. */
	is_str(decide(pol, instr, o, NULL, &hs, NULL, 1, NULL),
	    "TYPE [2] \"alice\"", "history of other instructions ignored");
	hist_clear(&hs);
	obs_free(o);
	obs_free(o2);
	obs_free(o3);
}

static void
test_search_submit(struct policy *pol)
{
	struct obs *o = page_new("http://t/", 800, 0), *o2;
	struct hist hs = { .n = 0 };
	struct action a;
	struct mark *m;
	const char *instr = "Search for red running shoes";
	char value[] = "red running shoes", enter[] = "Enter";

	page_add(o, "a", "link", "Shoes");
	page_add(o, "a", "link", "Running");
	m = page_field(o, "", "search");
	mark_attr(m, "placeholder", "Search products");
	page_add(o, "button", "button", "Search");
	is_str(decide(pol, instr, o, NULL, NULL, NULL, 0, NULL),
	    "TYPE [3] \"red running shoes\"",
	    "search for V: into the search field, not the links");

	memset(&a, 0, sizeof(a));
	a.op = ACT_TYPE;
	a.mark = 3;
	a.value = value;
	hist_add(&hs, &a, o, 0);
	o2 = page_new("http://t/", 800, 0);
	page_add(o2, "a", "link", "Shoes");
	page_add(o2, "a", "link", "Running");
	m = page_field(o2, "", "search");
	mark_attr(m, "placeholder", "Search products");
	mark_set(&m->value, "red running shoes");
	m->prev = 3;
	page_add(o2, "button", "button", "Search");
	is_str(decide(pol, instr, o2, o, &hs, NULL, 0, NULL), "PRESS Enter",
	    "typed into a search field: submit with Enter");

	memset(&a, 0, sizeof(a));
	a.op = ACT_PRESS;
	a.key = enter;
	hist_add(&hs, &a, o2, 0);
	obs_free(o);
	o = page_new("http://t/results?q=red", 800, 0);
	page_add(o, "a", "link", "Red running shoes X1");
	page_add(o, "a", "link", "Shoes");
	is_str(decide(pol, instr, o, o2, &hs, NULL, 0, NULL), "DONE",
	    "search submitted: DONE");
	hist_clear(&hs);

	/* "press enter" in the instruction is pressed once. */
	is_str(decide(pol, "press enter", o, NULL, NULL, NULL, 0, NULL),
	    "PRESS Enter", "press enter");
	obs_free(o);
	obs_free(o2);
}

static void
test_select(struct policy *pol)
{
	static const char *const sizes[] = { "Choose...", "Small", "Medium",
	    "Large", "Extra large" };
	static const char *const colors[] = { "Red", "Blue", "Green" };
	struct obs *o = page_new("http://t/p", 800, 0);
	struct policy_decision d;

	page_add(o, "a", "link", "Size guide");
	page_select(o, "Color", colors, 3, 0);
	page_select(o, "Size", sizes, 5, 0);
	page_add(o, "button", "button", "Add to cart");
	is_str(decide(pol, "Choose Medium size", o, NULL, NULL, NULL, 0, NULL),
	    "SELECT [3] \"Medium\"", "select: option from the instruction");
	is_str(decide(pol, "select 'Blue' as the color", o, NULL, NULL, NULL,
	    0, NULL), "SELECT [2] \"Blue\"", "select: quoted option");
	is_str(decide(pol, "pick extra large", o, NULL, NULL, NULL, 0, NULL),
	    "SELECT [3] \"Extra large\"", "select: two-word option beats "
	    "its one-word sibling");
	is_str(decide(pol, "set the color to green", o, NULL, NULL, NULL, 0,
	    NULL), "SELECT [2] \"Green\"", "select: set X to an option");
	is_str(decide(pol, "pick the country dropdown", o, NULL, NULL, NULL,
	    0, NULL), "DONE", "select: nothing named, nothing to do");
	page_add(o, "a", "link", "Large print edition");
	is_str(decide(pol, "Click Large print", o, NULL, NULL, NULL, 0, NULL),
	    "CLICK [5]", "select: an option word does not beat a named link");
	o->marks[2].option_selected = 2;
	is_str(decide(pol, "Choose Medium size", o, NULL, NULL, NULL, 0, &d),
	    "DONE", "select: DONE once the option is selected");
	ok(d.score >= 1.0, "select: DONE is sure (%.2f)", d.score);
	policy_decision_clear(&d);
	obs_free(o);
}

static void
test_history_penalty(struct policy *pol)
{
	struct obs *o = page_new("http://t/feed", 800, 0), *o2;
	struct hist hs = { .n = 0 };
	struct action a;
	int i;

	page_add(o, "button", "button", "Show more");
	page_add(o, "button", "button", "Show more");
	page_add(o, "a", "link", "Home");
	is_str(decide(pol, "click show more", o, NULL, NULL, NULL, 0, NULL),
	    "CLICK [1]", "first of two equal marks (ties: reading order)");
	memset(&a, 0, sizeof(a));
	a.op = ACT_CLICK;
	a.mark = 1;
	hist_add(&hs, &a, o, 0);
	o2 = page_new("http://t/feed", 800, 0);
	page_add(o2, "a", "link", "Home");
	page_add(o2, "button", "button", "Show more");
	page_add(o2, "button", "button", "Show more");
	for (i = 0; i < 3; i++)
		o2->marks[i].prev = i == 0 ? 3 : i;
	/* Multi-action goal: the same element is not clicked again. */
	is_str(decide(pol, "click show more, then click the other show more",
	    o2, o, &hs, NULL, 0, NULL), "CLICK [3]",
	    "element clicked before (trace of marks) is penalised");
	hist_clear(&hs);

	/* Two clauses: the second one after the first was served. */
	obs_free(o);
	o = page_new("http://t/", 800, 0);
	page_add(o, "a", "link", "Apples");
	page_add(o, "a", "link", "Bananas");
	page_add(o, "a", "link", "Cherries");
	is_str(decide(pol, "Open bananas and then cherries", o, NULL, NULL,
	    NULL, 0, NULL), "CLICK [2]", "clauses: first clause first");
	a.mark = 2;
	hist_add(&hs, &a, o, 0);
	is_str(decide(pol, "Open bananas and then cherries", o, o, &hs, NULL,
	    0, NULL), "CLICK [3]", "clauses: then the second");
	a.mark = 3;
	hist_add(&hs, &a, o, 0);
	is_str(decide(pol, "Open bananas and then cherries", o, o, &hs, NULL,
	    0, NULL), "DONE", "clauses: DONE when both are served");
	hist_clear(&hs);
	obs_free(o);
	obs_free(o2);
}

static void
test_new_marks(struct policy *pol)
{
	struct obs *o = page_new("http://t/", 800, 0), *o2;
	struct hist hs = { .n = 0 };
	struct action a;
	struct mark *m;
	size_t i;

	page_add(o, "button", "button", "Account");
	page_add(o, "a", "link", "Settings help");
	page_add(o, "a", "link", "Blog");
	memset(&a, 0, sizeof(a));
	a.op = ACT_CLICK;
	a.mark = 1;
	hist_add(&hs, &a, o, 0);
	o2 = page_new("http://t/", 800, 0);
	page_add(o2, "button", "button", "Account");
	page_add(o2, "a", "link", "Settings help");
	page_add(o2, "a", "link", "Blog");
	for (i = 0; i < o2->nmarks; i++)
		o2->marks[i].prev = (int)i + 1;
	m = page_add(o2, "a", "menuitem", "Settings");
	m->change = MARK_NEW;
	m = page_add(o2, "a", "menuitem", "Sign out");
	m->change = MARK_NEW;
	is_str(decide(pol, "open the account menu and go to settings", o2, o,
	    &hs, NULL, 0, NULL), "CLICK [4]",
	    "after a click opened a menu, its new items are preferred");
	hist_clear(&hs);
	obs_free(o);
	obs_free(o2);
}

static void
test_scroll_idf(struct policy *pol)
{
	struct obs *o = page_new("http://t/long", 4000, 0);
	struct hist hs = { .n = 0 };
	struct action a;
	struct policy_decision d;

	page_add(o, "a", "link", "Home");
	page_add(o, "a", "link", "About");
	is_str(decide(pol, "Click Pricing", o, NULL, NULL, NULL, 0, NULL),
	    "SCROLL down", "nothing matches on a long page: SCROLL down");
	o->scroll_y = 3200;
	is_str(decide(pol, "Click Pricing", o, NULL, NULL, NULL, 0, NULL),
	    "DONE", "nothing matches at the bottom: DONE");
	memset(&a, 0, sizeof(a));
	a.op = ACT_SCROLL;
	a.dir = 1;
	hist_add(&hs, &a, o, 0);
	is_str(decide(pol, "Click Pricing", o, o, &hs, NULL, 0, &d), "DONE",
	    "after scrolling to the bottom: DONE");
	ok(d.score < 1.0, "that DONE is unsure (%.2f)", d.score);
	policy_decision_clear(&d);
	hist_clear(&hs);
	obs_free(o);

	/* IDF: "settings" is on four marks, "news" on one. */
	o = page_new("http://t/", 800, 0);
	page_add(o, "a", "link", "Settings");
	page_add(o, "a", "link", "Account settings");
	page_add(o, "a", "link", "Privacy settings");
	page_add(o, "a", "link", "Display settings");
	page_add(o, "a", "link", "News");
	is_str(decide(pol, "open the news settings", o, NULL, NULL, NULL, 0,
	    &d), "CLICK [5]", "IDF: a word on many marks weighs less");
	ok(alt_score(&d, "CLICK [1]") < d.score / 2,
	    "IDF: the common word scores under half (%.2f vs %.2f)",
	    alt_score(&d, "CLICK [1]"), d.score);
	policy_decision_clear(&d);
	obs_free(o);
}

static void
test_speed(struct policy *pol)
{
	static const char *const words[] = { "news", "sports", "weather",
	    "account", "settings", "privacy", "help", "store", "music",
	    "video", "search", "cart", "shoes", "shirts", "books" };
	struct obs *o = page_new("http://t/big", 5000, 0);
	struct policy_decision d1, d2;
	struct timespec t0, t1;
	struct mark *m;
	char text[64];
	double ms;
	size_t i, j;
	int n = 200, same;

	for (i = 0; i < 300; i++) {
		snprintf(text, sizeof(text), "%s %s item %zu",
		    words[i % 15], words[(i * 7 + 3) % 15], i);
		m = page_add(o, i % 3 == 0 ? "button" : "a",
		    i % 3 == 0 ? "button" : "link", text);
		mark_attr(m, "title", words[(i * 11) % 15]);
		mark_attr(m, "id", "someElementId");
	}
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
	for (i = 0; i < (size_t)n; i++)
		decide(pol, "Open the privacy settings of my account and "
		    "type 'hello world' into the search box", o, NULL, NULL,
		    NULL, 0, NULL);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
	ms = ((double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6) / n;
	note("lexical: %.3f ms per decision on 300 marks", ms);
	ok(ms < 1000, "300 marks decided quickly (%.3f ms)", ms);

	decide(pol, "click music video item 42", o, NULL, NULL, NULL, 0, &d1);
	decide(pol, "click music video item 42", o, NULL, NULL, NULL, 0, &d2);
	same = d1.ntop == d2.ntop && action_equal(&d1.act, &d2.act);
	for (j = 0; same && j < d1.ntop; j++)
		same = action_equal(&d1.top[j].act, &d2.top[j].act) &&
		    d1.top[j].score <= d2.top[j].score &&
		    d1.top[j].score >= d2.top[j].score;
	ok(same, "deterministic: same decision and scores twice");
	policy_decision_clear(&d1);
	policy_decision_clear(&d2);
	obs_free(o);
}

static void
test_check_and_misc(struct policy *pol)
{
	struct obs *o = page_new("http://t/", 800, 0);
	struct mark *m;

	m = page_add(o, "input", "checkbox", "");
	mark_set(&m->label, "Remember me");
	m->checked = 0;
	page_add(o, "a", "link", "Remember the milk");
	page_add(o, "button", "button", "Continue");
	is_str(decide(pol, "check remember me", o, NULL, NULL, NULL, 0, NULL),
	    "CLICK [1]", "checkbox by its label");
	o->marks[0].checked = 1;
	is_str(decide(pol, "check remember me", o, NULL, NULL, NULL, 0, NULL),
	    "DONE", "checkbox already checked: DONE");
	is_str(decide(pol, "", o, NULL, NULL, NULL, 0, NULL), "DONE",
	    "empty instruction: DONE");
	obs_free(o);
	o = page_new("http://t/", 800, 0);
	is_str(decide(pol, "Click the Ünïcödé café link", o, NULL, NULL, NULL,
	    0, NULL), "DONE", "no marks at all: DONE");
	page_add(o, "a", "link", "Cafe");
	page_add(o, "a", "link", "Menu");
	is_str(decide(pol, "Click the Ünïcödé café link", o, NULL, NULL, NULL,
	    0, NULL), "CLICK [1]", "accents folded (café = Cafe)");
	obs_free(o);
}

/* ---- replay ------------------------------------------------------------- */

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f == NULL || fputs(text, f) == EOF || fclose(f) != 0) {
		printf("Bail out! %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

static const char replay_steps[] =
    "{\"step\":1,\"instr\":0,\"instruction\":\"x\",\"url\":\"http://t/\","
    "\"viewport\":{\"w\":1280,\"h\":800,\"scroll_x\":0,\"scroll_y\":0,"
    "\"scale\":1},\"action\":{\"op\":\"click\",\"mark\":3},"
    "\"action_text\":\"CLICK [3]\",\"target\":{\"id\":3,\"frame\":0,"
    "\"tag\":\"button\",\"role\":\"button\",\"type\":\"\","
    "\"text\":\"Add to cart\",\"label\":\"\",\"attrs\":{\"class\":\"btn\"},"
    "\"box\":{\"x\":100,\"y\":200,\"w\":80,\"h\":30},\"value\":\"\"},"
    "\"score\":1.5,\"top\":[],\"error\":null}\n"
    "{\"step\":2,\"instr\":0,\"action\":{\"op\":\"type\",\"mark\":2,"
    "\"value\":\"hello\"},\"target\":{\"id\":2,\"tag\":\"textarea\","
    "\"role\":\"textbox\",\"type\":\"\",\"text\":\"\",\"label\":\"Comment\","
    "\"attrs\":{\"name\":\"comment\"},\"box\":{\"x\":10,\"y\":300,\"w\":300,"
    "\"h\":80},\"editable\":true}}\n"
    "{\"step\":3,\"instr\":0,\"action\":{\"op\":\"press\",\"key\":\"Enter\"},"
    "\"target\":null}\n"
    "{\"step\":4,\"instr\":0,\"action\":{\"op\":\"click\",\"mark\":5},"
    "\"target\":{\"tag\":\"a\",\"role\":\"link\",\"text\":\"Vanished link\","
    "\"label\":\"\",\"attrs\":{\"href\":\"/gone\"},\"box\":{\"x\":0,\"y\":0,"
    "\"w\":10,\"h\":10}}}\n"
    "{\"step\":5,\"instr\":0,\"action\":{\"op\":\"click\",\"mark\":1},"
    "\"viewport\":{\"scroll_x\":0,\"scroll_y\":400},"
    "\"target\":{\"tag\":\"button\",\"role\":\"button\",\"text\":\"Delete\","
    "\"box\":{\"x\":20,\"y\":100,\"w\":60,\"h\":20}}}\n"
    "{\"step\":6,\"instr\":0,\"action\":{\"op\":\"type\",\"mark\":1,"
    "\"value\":\"********\"},\"target\":{\"tag\":\"input\","
    "\"role\":\"textbox\",\"type\":\"password\",\"text\":\"\","
    "\"label\":\"Password\",\"attrs\":{\"id\":\"pw\"}}}\n"
    "{\"step\":7,\"instr\":0,\"action\":{\"op\":\"done\"},\"target\":null}\n";

static void
test_replay(const char *dir)
{
	struct policy_params p;
	struct policy *pol = NULL;
	struct policy_decision d;
	struct obs *o;
	struct mark *m;
	struct task t;
	struct task_var var;
	char *path, *cause = NULL, pw[] = "PW", hunter[] = "hunter2";
	int r;

	path = xasprintf("%s/steps.jsonl", dir);
	write_file(path, replay_steps);
	free(path);
	policy_default_params(&p);
	p.replay_dir = dir;
	p.fallback = "replay";
	r = policy_new("replay", &p, &pol, &cause);
	is_int(r, ERR_INVALID, "replay: fallback replay refused");
	free(cause);
	p.fallback = NULL;
	pol = new_policy("replay", &p);

	/* Today's page: the button moved and the order changed; a look-alike
	   sits where the button was. */
	o = page_new("http://t/", 2000, 0);
	page_add(o, "a", "link", "Home");
	m = page_add(o, "textarea", "textbox", "");
	mark_set(&m->label, "Comment");
	mark_attr(m, "name", "comment");
	m->editable = 1;
	m = page_add(o, "button", "button", "Add to wishlist");
	m->x = 100;
	m->y = 200;
	m = page_add(o, "button", "button", "Add to cart");
	mark_attr(m, "class", "btn btn-primary big");
	m->x = 900;
	m->y = 40;
	m = page_add(o, "button", "button", "Delete");
	m->y = 100;
	m = page_add(o, "button", "button", "Delete");
	m->y = 500;
	m = page_field(o, "Password", "password");
	mark_attr(m, "id", "pw");

	is_str(decide(pol, "Click Home", o, NULL, NULL, NULL, 0, &d),
	    "CLICK [4]", "replay: re-finds a moved, restyled, reordered "
	    "button");
	ok(d.score >= 0.99, "replay: exact text+role scores 1 (%.2f)",
	    d.score);
	policy_decision_clear(&d);
	is_str(decide(pol, "Click Home", o, NULL, NULL, NULL, 0, NULL),
	    "TYPE [2] \"hello\"", "replay: typed value replayed");
	is_str(decide(pol, "Click Home", o, NULL, NULL, NULL, 0, NULL),
	    "PRESS Enter", "replay: PRESS replayed as is");
	is_str(decide(pol, "Click Home", o, NULL, NULL, NULL, 0, &d),
	    "SCROLL down", "replay: target not in view, page goes on: scroll");
	ok(d.ntop == 2 && d.top[1].act.op == ACT_CLICK,
	    "replay: the best (rejected) match is listed");
	policy_decision_clear(&d);
	o->scroll_y = 1200;
	is_str(decide(pol, "Click Home", o, NULL, NULL, NULL, 0, &d),
	    "CLICK [1]", "replay: target gone, the fallback decides");
	ok(d.ntop >= 2 && d.top[d.ntop - 1].score < 0.6,
	    "replay: the rejected match is the last alternative (%.2f)",
	    d.ntop > 0 ? d.top[d.ntop - 1].score : -1.0);
	policy_decision_clear(&d);
	o->scroll_y = 0;
	/* Recorded at document y 510 (100 + scroll 400): the lower one. */
	is_str(decide(pol, "x", o, NULL, NULL, NULL, 0, NULL), "CLICK [6]",
	    "replay: position breaks a tie between equal marks");

	/* A redacted value: the task's only secret. */
	memset(&t, 0, sizeof(t));
	var.name = pw;
	var.value = hunter;
	var.secret = 1;
	t.vars = &var;
	t.nvars = 1;
	is_str(decide(pol, "x", o, NULL, NULL, &t, 0, NULL),
	    "TYPE [7] \"hunter2\"", "replay: redacted value from the secret");
	is_str(decide(pol, "x", o, NULL, NULL, NULL, 0, NULL), "DONE",
	    "replay: recorded DONE");
	is_str(decide(pol, "x", o, NULL, NULL, NULL, 0, NULL), "DONE",
	    "replay: steps ran out: DONE");
	policy_free(pol);

	/* Redacted value without a secret to take it from: fallback. */
	o->page_h = 800;	/* no scrolling to look for the vanished link */
	pol = new_policy("replay", &p);
	decide(pol, "x", o, NULL, NULL, NULL, 0, NULL);
	decide(pol, "x", o, NULL, NULL, NULL, 0, NULL);
	decide(pol, "x", o, NULL, NULL, NULL, 0, NULL);
	decide(pol, "x", o, NULL, NULL, NULL, 0, NULL);
	decide(pol, "x", o, NULL, NULL, NULL, 0, NULL);
	is_str(decide(pol, "type hunter3 into the password field", o, NULL,
	    NULL, NULL, 0, NULL), "TYPE [7] \"hunter3\"",
	    "replay: redacted value, no single secret: fallback");
	policy_free(pol);

	/* Steps mode: a later instruction skips the earlier recorded steps. */
	pol = new_policy("replay", &p);
	is_str(decide(pol, "x", o, NULL, NULL, NULL, 1, NULL), "DONE",
	    "replay: no recorded steps for instruction 1: DONE");
	policy_free(pol);
	obs_free(o);

	p.replay_dir = "/nonexistent/run";
	r = policy_new("replay", &p, &pol, &cause);
	ok(r != 0 && cause != NULL && strstr(cause, "/nonexistent/run") != NULL,
	    "replay: missing run directory explained (%s)",
	    cause != NULL ? cause : "(null)");
	free(cause);
}

int
main(void)
{
	struct policy *pol;
	char dir[] = "/tmp/test-policy.XXXXXX";
	char *path;

	log_init("test-policy", 0, LOG_LVL_WARN);
	test_table();
	pol = new_policy("lexical", NULL);
	test_click_text(pol);
	test_aria(pol);
	test_type_values(pol);
	test_login(pol);
	test_search_submit(pol);
	test_select(pol);
	test_history_penalty(pol);
	test_new_marks(pol);
	test_scroll_idf(pol);
	test_check_and_misc(pol);
	test_speed(pol);
	policy_free(pol);

	if (mkdtemp(dir) == NULL) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	test_replay(dir);
	path = xasprintf("%s/steps.jsonl", dir);
	unlink(path);
	free(path);
	rmdir(dir);
	return done_testing();
}
