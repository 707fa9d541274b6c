/*
 * test-remote.c: the remote policy against tests/remotesrv (an
 * OpenAI-compatible server on loopback that checks each request and
 * answers from a script), on observations built by hand: settings, the
 * shortlist and its image, answers with prose, invalid answers and their
 * one retry, 429 and 5xx with backoff, timeouts, malformed replies, the
 * API key, usage and counters.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "action.h"
#include "err.h"
#include "img.h"
#include "log.h"
#include "observe.h"
#include "policy.h"
#include "remote.h"
#include "tap.h"
#include "xmalloc.h"

static char tmpdir[] = "/tmp/test-remote.XXXXXX";
static char srvbin[1024];
static pid_t srvpid = -1;
static int srvport;
static char logpath[1200];

/* ---- the test server ---------------------------------------------------- */

/* Starts remotesrv with script lines and extra arguments (NULL-ended). */
static void
srv_start(const char *lines, const char *const *args)
{
	char spath[1200], buf[64], *argv[32];
	int fd[2], n = 0, i;
	FILE *f;

	snprintf(spath, sizeof(spath), "%s/script", tmpdir);
	snprintf(logpath, sizeof(logpath), "%s/log", tmpdir);
	unlink(logpath);
	if ((f = fopen(spath, "w")) == NULL)
		abort();
	fputs(lines, f);
	fclose(f);
	argv[n++] = srvbin;
	argv[n++] = (char *)(uintptr_t)"-s";
	argv[n++] = spath;
	argv[n++] = (char *)(uintptr_t)"-l";
	argv[n++] = logpath;
	for (i = 0; args != NULL && args[i] != NULL && n < 30; i++)
		argv[n++] = (char *)(uintptr_t)args[i];
	argv[n] = NULL;
	if (pipe(fd) == -1)
		abort();
	if ((srvpid = fork()) == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		execv(srvbin, argv);
		_exit(127);
	}
	close(fd[1]);
	memset(buf, 0, sizeof(buf));
	n = (int)read(fd[0], buf, sizeof(buf) - 1);
	close(fd[0]);
	if (n <= 0 || sscanf(buf, "port %d", &srvport) != 1) {
		printf("Bail out! remotesrv did not start (%s)\n", srvbin);
		exit(1);
	}
}

static void
srv_stop(void)
{
	if (srvpid > 0) {
		kill(srvpid, SIGTERM);
		waitpid(srvpid, NULL, 0);
		srvpid = -1;
	}
}

/* The log's lines as a JSON array (cJSON_Delete). */
static cJSON *
srv_log(void)
{
	cJSON *arr = cJSON_CreateArray(), *j;
	char *line = NULL;
	size_t cap = 0;
	FILE *f;

	if ((f = fopen(logpath, "r")) == NULL)
		return arr;
	while (getline(&line, &cap, f) > 0)
		if ((j = cJSON_Parse(line)) != NULL)
			cJSON_AddItemToArray(arr, j);
	free(line);
	fclose(f);
	return arr;
}

/* Field k of log line i as a number (-1 if missing). */
static double
log_num(const cJSON *lg, int i, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetArrayItem(lg, i), k);

	return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

/* Field k of log line i as a string ("" if missing). */
static const char *
log_str(const cJSON *lg, int i, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetArrayItem(lg, i), k);

	return cJSON_IsString(v) ? v->valuestring : "";
}

/* ---- a page ------------------------------------------------------------- */

static struct mark *
add_mark(struct obs *o, const char *tag, const char *role, const char *text)
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
	m->x = 20 + 300 * (double)((o->nmarks - 1) % 4);
	m->y = 10 + 40 * (double)((o->nmarks - 1) / 4);
	m->w = 200;
	m->h = 30;
	m->checked = -1;
	m->selected = -1;
	m->option_selected = -1;
	return m;
}

/*
 * A shop page of 30 marks (1280x800 at device scale 2: a 2560x1600
 * screenshot): 26 product links (1-26), then a search box (27), a Search
 * button (28), a size select (29) and a Checkout link (30), so that a
 * shortlist in reading order alone would miss what matters.
 */
static struct obs *
shop_page(void)
{
	static const char *const sizes[] = { "Small", "Medium", "Large" };
	struct obs *o = xcalloc(1, sizeof(*o));
	struct mark *m;
	struct img im;
	char name[64];
	int i;

	o->url = xstrdup("http://127.0.0.1:1/index.html");
	o->title = xstrdup("Ridgeline Outfitters");
	o->vw = 1280;
	o->vh = 800;
	o->scale = 2;
	o->page_h = 2400;
	for (i = 1; i <= 26; i++) {
		snprintf(name, sizeof(name), "Product number %d", i);
		m = add_mark(o, "a", "link", name);
		/* Card texts: one with quotes, one long word ending in €. */
		if (i == 3)
			m->ctx = xstrdup("Waxed \"Ember\" jacket €129.00 In "
			    "stock");
		else if (i == 5) {
			m->ctx = xcalloc(1, 79 + 12 + 1);
			memset(m->ctx, 'x', 79);
			memcpy(m->ctx + 79, "€€€€", 12);
		}
	}
	m = add_mark(o, "input", "searchbox", "");
	m->editable = 1;
	m->ctx = xstrdup("");
	cJSON_AddStringToObject(m->attrs, "placeholder", "Search products");
	m = add_mark(o, "button", "button", "Search");
	m->ctx = xstrdup("Search");	/* its own text: not repeated */
	m = add_mark(o, "select", "combobox", "");
	free(m->label);
	m->label = xstrdup("Size");
	m->ctx = xstrdup("Size");	/* its label: not repeated */
	m->options = xcalloc(3, sizeof(*m->options));
	for (i = 0; i < 3; i++)
		m->options[i] = xstrdup(sizes[i]);
	m->noptions = 3;
	m->option_selected = 0;
	m = add_mark(o, "a", "link", "Checkout");
	m->ctx = xstrdup("Your cart holds 3 items for a total of €184.00 with "
	    "free delivery to Denmark and returns within thirty days");
	if (img_new(&im, 2560, 1600, 0xf0f0f0ff) != 0 ||
	    img_encode_png(&im, &o->png, &o->png_len) != 0)
		abort();
	img_free(&im);
	return o;
}

/* ---- deciding ----------------------------------------------------------- */

static struct obs *page;
static char *last_cause;

/* Settings pointing at the running server, fast backoff. */
static void
params(struct remote_params *rp)
{
	static char ep[64];

	remote_default_params(rp);
	snprintf(ep, sizeof(ep), "http://127.0.0.1:%d", srvport);
	rp->endpoint = ep;
	rp->model = "test-vlm";
	rp->backoff_ms = 10;
	rp->timeout_ms = 5000;
	rp->top_k = 8;
	rp->image_size = 768;
}

/*
 * One decision with rp on the shop page for instr; returns its code, the
 * action text in *textp (allocated, or NULL) and the info in *infop.
 */
static int
decide(const struct remote_params *rp, const char *instr,
    const struct policy_hist *hist, size_t nhist, char **textp,
    cJSON **infop)
{
	struct policy_params pp;
	struct policy *pol = NULL;
	struct policy_ctx ctx;
	struct policy_decision d;
	char *cause = NULL;
	int r;

	*textp = NULL;
	if (infop != NULL)
		*infop = NULL;
	free(last_cause);
	last_cause = NULL;
	policy_default_params(&pp);
	pp.remote = rp;
	if ((r = policy_new("remote", &pp, &pol, &cause)) != 0) {
		last_cause = cause;
		return r;
	}
	memset(&ctx, 0, sizeof(ctx));
	ctx.instr = instr;
	ctx.obs = page;
	ctx.hist = hist;
	ctx.nhist = nhist;
	ctx.step = (int)nhist;
	r = policy_decide(pol, &ctx, &d, &cause);
	if (r == 0) {
		*textp = action_format(&d.act);
		if (infop != NULL) {
			*infop = d.info;
			d.info = NULL;
		}
		policy_decision_clear(&d);
	} else
		last_cause = cause;
	policy_free(pol);
	return r;
}

static double
info_num(const cJSON *info, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(info, k);

	return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

/* ---- tests ---------------------------------------------------------------- */

static void
test_settings(void)
{
	struct remote_params rp;
	struct policy *pol = NULL;
	char *cause = NULL;
	cJSON *j;
	int r;

	remote_default_params(&rp);
	is_int(rp.top_k, REMOTE_TOP_K, "settings: default top_k");
	is_int(remote_set(&rp, "top_k", "5", &cause), 0, "settings: top_k 5");
	is_int(rp.top_k, 5, "settings: top_k set");
	r = remote_set(&rp, "top_k", "five", &cause);
	ok(r == ERR_INVALID && cause != NULL && strstr(cause, "top_k") !=
	    NULL, "settings: top_k five refused (%s)", cause);
	free(cause);
	r = remote_set(&rp, "colour", "red", &cause);
	ok(r == ERR_NOTFOUND && cause != NULL, "settings: unknown name "
	    "refused");
	free(cause);
	r = remote_set(&rp, "endpoint", "ftp://x", &cause);
	ok(r == ERR_INVALID, "settings: endpoint must be http(s)");
	free(cause);
	is_int(remote_set(&rp, "temperature", "0.7", &cause), 0,
	    "settings: temperature 0.7");
	ok(rp.temperature > 0.69 && rp.temperature < 0.71,
	    "settings: temperature set");
	r = remote_set(&rp, "temperature", "3", &cause);
	ok(r == ERR_INVALID, "settings: temperature 3 refused");
	free(cause);

	j = cJSON_Parse("{\"model\":\"magma\",\"top_k\":12,\"image_size\":512,"
	    "\"temperature\":0.2}");
	is_int(remote_set_json(&rp, j, &cause), 0, "settings: task object");
	ok(rp.top_k == 12 && rp.image_size == 512 &&
	    strcmp(rp.model, "magma") == 0, "settings: task object applied");
	cJSON_Delete(j);
	j = cJSON_Parse("{\"api_key\":\"sk-secret\"}");
	r = remote_set_json(&rp, j, &cause);
	ok(r == ERR_INVALID && cause != NULL && strstr(cause, "sk-secret") ==
	    NULL, "settings: api_key refused in a task, not echoed");
	free(cause);
	cJSON_Delete(j);
	j = cJSON_Parse("{\"top_k\":\"12\"}");
	r = remote_set_json(&rp, j, &cause);
	ok(r == ERR_INVALID, "settings: top_k as a string refused");
	free(cause);
	cJSON_Delete(j);
	j = cJSON_Parse("{\"top_k\":2.5}");
	r = remote_set_json(&rp, j, &cause);
	ok(r == ERR_INVALID, "settings: fractional top_k refused");
	free(cause);
	cJSON_Delete(j);

	setenv("WEBNAV_REMOTE_TOP_K", "3", 1);
	setenv("WEBNAV_REMOTE_ENDPOINT", "http://127.0.0.1:9", 1);
	remote_default_params(&rp);
	is_int(remote_params_env(&rp, &cause), 0, "settings: environment");
	ok(rp.top_k == 3 && rp.endpoint != NULL &&
	    strcmp(rp.endpoint, "http://127.0.0.1:9") == 0,
	    "settings: environment applied");
	setenv("WEBNAV_REMOTE_TOP_K", "-1", 1);
	r = remote_params_env(&rp, &cause);
	ok(r == ERR_INVALID && cause != NULL && strstr(cause,
	    "WEBNAV_REMOTE_TOP_K") != NULL, "settings: bad environment "
	    "named");
	free(cause);
	unsetenv("WEBNAV_REMOTE_TOP_K");
	unsetenv("WEBNAV_REMOTE_ENDPOINT");

	r = policy_new("remote", NULL, &pol, &cause);
	ok(r == ERR_INVALID && cause != NULL && strstr(cause, "endpoint") !=
	    NULL, "policy: no endpoint refused (%s)", cause);
	free(cause);
	policy_free(pol);
}

static void
test_click(void)
{
	struct remote_params rp;
	static const char *const args[] = { "-m", "test-vlm", "-i", "768",
	    "-K", "8", NULL };
	cJSON *info = NULL, *lg, *sl;
	char *text = NULL;
	int r;

	srv_start("click Checkout\n", args);
	params(&rp);
	r = decide(&rp, "Go to the checkout", NULL, 0, &text, &info);
	is_int(r, 0, "click: decided (%s)", last_cause);
	is_str(text, "CLICK [30]", "click: the Checkout link");
	lg = srv_log();
	is_int(cJSON_GetArraySize(lg), 1, "click: one request");
	is_int(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetArrayItem(lg, 0), "problems")), 0,
	    "click: the server's checks passed");
	is_int(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetArrayItem(lg, 0), "marks")), 8,
	    "click: 8 marks listed (top_k)");
	is_int((int)log_num(lg, 0, "auth"), 0, "click: no key, none sent");
	ok(strstr(log_str(lg, 0, "text"), "[30] link \"Checkout\"") != NULL,
	    "click: the list holds the Checkout link");
	/* Its card's text, cut at a word within 80 bytes. */
	ok(strstr(log_str(lg, 0, "text"), "[30] link \"Checkout\" in \"Your "
	    "cart holds 3 items for a total of €184.00 with free delivery to "
	    "Denmark...\"\n") != NULL,
	    "click: the link's container text, cut at a word");
	ok(strstr(log_str(lg, 0, "text"), "Task: Go to the checkout") !=
	    NULL, "click: the prompt holds the task");
	ok(strstr(log_str(lg, 0, "text"), "8 most relevant of 30") != NULL,
	    "click: the prompt says how many marks there are");
	{
		const cJSON *im = cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetArrayItem(lg, 0), "image");

		/* 2560x1600 scaled to fit 768 px. */
		ok(cJSON_IsObject(im) && cJSON_GetObjectItem(im,
		    "w")->valueint == 768 && cJSON_GetObjectItem(im,
		    "h")->valueint == 480, "click: image scaled to 768x480");
	}
	ok(info != NULL, "click: the decision has info");
	is_int((int)info_num(info, "requests"), 1, "click: info requests");
	is_int((int)info_num(info, "invalid_answers"), 0,
	    "click: info invalid_answers");
	ok(info_num(info, "prompt_tokens") > 0 && (long)info_num(info,
	    "prompt_tokens") == (long)log_num(lg, 0, "prompt_tokens"),
	    "click: prompt_tokens as the server reports");
	ok(info_num(info, "est_prompt_tokens") > 0,
	    "click: est_prompt_tokens");
	ok(info_num(info, "latency_ms") >= 0, "click: latency_ms");
	sl = cJSON_GetObjectItemCaseSensitive(info, "shortlist");
	is_int(cJSON_GetArraySize(sl), 8, "click: info shortlist of 8");
	is_str(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(info,
	    "ranked_by")), "lexical", "click: ranked by lexical (no weights)");
	cJSON_Delete(lg);
	cJSON_Delete(info);
	free(text);
	srv_stop();
}

static void
test_shortlist(void)
{
	struct remote_params rp;
	static const char *const args[] = { "-i", "4096", NULL };
	cJSON *info = NULL, *lg, *marks;
	char *text = NULL;
	double with, without;
	int r, i, has1 = 0, has2 = 0;

	srv_start("type search|trail shoes|submit\nreply DONE\n", args);
	params(&rp);
	rp.top_k = 5;
	r = decide(&rp, "Search for \"trail shoes\"", NULL, 0, &text, &info);
	is_int(r, 0, "shortlist: decided (%s)", last_cause);
	is_str(text, "TYPE [27] \"trail shoes\" SUBMIT",
	    "shortlist: typed into the search box");
	lg = srv_log();
	marks = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(lg, 0),
	    "marks");
	for (i = 0; i < cJSON_GetArraySize(marks); i++) {
		has1 |= cJSON_GetArrayItem(marks, i)->valueint == 27;
		has2 |= cJSON_GetArrayItem(marks, i)->valueint == 28;
	}
	is_int(cJSON_GetArraySize(marks), 5, "shortlist: 5 marks listed");
	ok(has1 && has2, "shortlist: the search box and button are in it");
	with = info_num(info, "prompt_tokens");
	cJSON_Delete(info);
	info = NULL;
	free(text);
	text = NULL;
	cJSON_Delete(lg);

	rp.top_k = 0;
	rp.image_size = 1280;
	r = decide(&rp, "Search for \"trail shoes\"", NULL, 0, &text, &info);
	is_int(r, 0, "shortlist: all marks: decided");
	lg = srv_log();
	is_int(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetArrayItem(lg, 1), "marks")), 30,
	    "shortlist: top_k 0 lists all 30 marks");
	ok(strstr(log_str(lg, 1, "text"), "[3] link \"Product number 3\" in "
	    "\"Waxed \\\"Ember\\\" jacket €129.00 In stock\"\n") != NULL,
	    "ctx: short container text whole, quotes escaped");
	{
		char want[200];

		/* No space to cut at: 79 bytes, not half a €. */
		snprintf(want, sizeof(want), "[5] link \"Product number 5\" "
		    "in \"%.79s...\"\n", page->marks[4].ctx);
		ok(strstr(log_str(lg, 1, "text"), want) != NULL,
		    "ctx: one long word cut before a UTF-8 sequence");
	}
	ok(strstr(log_str(lg, 1, "text"), "[1] link \"Product number 1\"\n") !=
	    NULL && strstr(log_str(lg, 1, "text"), "[27] searchbox \"\" "
	    "placeholder=\"Search products\"\n") != NULL,
	    "ctx: none or empty: no in");
	ok(strstr(log_str(lg, 1, "text"), "[28] button \"Search\"\n") !=
	    NULL, "ctx: equal to the mark's text: not repeated");
	without = info_num(info, "prompt_tokens");
	ok(without > with, "shortlist: fewer tokens with it (%.0f < %.0f)",
	    with, without);
	cJSON_Delete(lg);
	cJSON_Delete(info);
	free(text);
	srv_stop();
}

static void
test_answers(void)
{
	struct remote_params rp;
	struct policy_hist h;
	cJSON *info = NULL, *lg;
	char *text = NULL;
	int r;

	srv_start(
	    "reply The search box is element 27. I will click it.\\n\\nCLICK [28]\n"
	    "reply I am not sure.\n"
	    "reply CLICK [28]\n"
	    "reply CLICK [20]\n"
	    "reply CLICK [28]\n"
	    "reply hmm\n"
	    "reply still thinking\n"
	    "select size|large\n"
	    "reply NAVIGATE \"http://evil.example/\"\n"
	    "reply DONE\n", NULL);
	params(&rp);
	r = decide(&rp, "Search", NULL, 0, &text, &info);
	ok(r == 0 && text != NULL && strcmp(text, "CLICK [28]") == 0,
	    "answers: prose then the action on the last line");
	free(text);
	cJSON_Delete(info);

	r = decide(&rp, "Search", NULL, 0, &text, &info);
	ok(r == 0 && text != NULL && strcmp(text, "CLICK [28]") == 0,
	    "answers: an unusable answer, asked again, then usable");
	is_int((int)info_num(info, "invalid_answers"), 1,
	    "answers: one invalid answer counted");
	is_int((int)info_num(info, "requests"), 2, "answers: two requests");
	lg = srv_log();
	ok(strstr(log_str(lg, 2, "retry"), "could not be used") != NULL,
	    "answers: the retry quotes the parse error (%s)",
	    log_str(lg, 2, "retry"));
	is_int((int)log_num(lg, 2, "messages"), 4,
	    "answers: the retry carries the first answer and the error");
	cJSON_Delete(lg);
	free(text);
	cJSON_Delete(info);

	r = decide(&rp, "Search", NULL, 0, &text, &info);
	ok(r == 0 && text != NULL && strcmp(text, "CLICK [28]") == 0,
	    "answers: a mark not listed is asked again");
	lg = srv_log();
	ok(strstr(log_str(lg, 4, "retry"), "[20] is not one of the listed") !=
	    NULL, "answers: the retry says the mark was not listed");
	cJSON_Delete(lg);
	free(text);
	cJSON_Delete(info);

	r = decide(&rp, "Search", NULL, 0, &text, &info);
	ok(r == ERR_PARSE && last_cause != NULL && strstr(last_cause,
	    "no usable answer after a retry") != NULL && strstr(last_cause,
	    "still thinking") != NULL, "answers: two unusable answers fail "
	    "the step (%s)", last_cause);

	memset(&h, 0, sizeof(h));
	h.act.op = ACT_CLICK;
	h.act.mark = 28;
	h.desc = xstrdup("[button] Search");
	h.url = xstrdup("http://127.0.0.1:1/index.html");
	r = decide(&rp, "Choose the large size", &h, 1, &text, &info);
	ok(r == 0 && text != NULL && strcmp(text, "SELECT [29] \"Large\"") ==
	    0, "answers: SELECT's option case follows the page (%s)", text);
	free(h.desc);
	free(h.url);
	lg = srv_log();
	ok(strstr(log_str(lg, 7, "text"), "1. CLICK [28] on [button] Search "
	    "(at http://127.0.0.1:1/index.html)") != NULL,
	    "answers: the history is in the prompt");
	ok(strstr(log_str(lg, 7, "text"), "[29] combobox \"\" label=\"Size\" "
	    "options: \"Small\", \"Medium\", \"Large\" "
	    "selected=\"Small\"") != NULL,
	    "answers: a select is listed with its options");
	cJSON_Delete(lg);
	free(text);
	cJSON_Delete(info);

	r = decide(&rp, "Search", NULL, 0, &text, &info);
	ok(r == 0 && text != NULL && strcmp(text, "DONE") == 0,
	    "answers: NAVIGATE is refused, asked again");
	free(text);
	cJSON_Delete(info);
	srv_stop();
}

static void
test_http(void)
{
	struct remote_params rp;
	struct remote_stats st0, st1;
	cJSON *info = NULL;
	char *text = NULL;
	int r;

	remote_get_stats(&st0);
	srv_start(
	    "status 429 0\n"
	    "status 503\n"
	    "reply CLICK [2]\n"
	    "status 500\nstatus 500\nstatus 500\nstatus 500\n"
	    "status 400\n"
	    "slow 2000 CLICK [1]\n"
	    "reply CLICK [2]\n"
	    "garbage\n"
	    "reply CLICK [4]\n"
	    "close\n"
	    "nousage CLICK [4]\n", NULL);
	params(&rp);
	r = decide(&rp, "Search", NULL, 0, &text, &info);
	ok(r == 0 && text != NULL && strcmp(text, "CLICK [2]") == 0,
	    "http: 429 and 503 retried, then answered");
	is_int((int)info_num(info, "requests"), 3, "http: three requests");
	free(text);
	cJSON_Delete(info);

	r = decide(&rp, "Search", NULL, 0, &text, &info);
	ok(r == ERR_PROTOCOL && last_cause != NULL && strstr(last_cause,
	    "HTTP 500") != NULL && strstr(last_cause, "after retries") != NULL,
	    "http: 5xx past the retries fails (%s)", last_cause);

	r = decide(&rp, "Search", NULL, 0, &text, &info);
	ok(r == ERR_PROTOCOL && last_cause != NULL && strstr(last_cause,
	    "HTTP 400") != NULL && strstr(last_cause, "after retries") == NULL,
	    "http: 400 is not retried (%s)", last_cause);

	rp.timeout_ms = 500;
	r = decide(&rp, "Search", NULL, 0, &text, &info);
	ok(r == 0 && text != NULL && strcmp(text, "CLICK [2]") == 0,
	    "http: a slow reply times out and is retried (%s)", last_cause);
	free(text);
	cJSON_Delete(info);
	rp.timeout_ms = 5000;

	r = decide(&rp, "Search", NULL, 0, &text, &info);
	ok(r == 0 && text != NULL && strcmp(text, "CLICK [4]") == 0,
	    "http: a body that is not JSON is asked again");
	is_int((int)info_num(info, "invalid_answers"), 1,
	    "http: counted as invalid");
	free(text);
	cJSON_Delete(info);

	r = decide(&rp, "Search", NULL, 0, &text, &info);
	ok(r == 0 && text != NULL && strcmp(text, "CLICK [4]") == 0,
	    "http: a closed connection is retried");
	ok(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(info,
	    "prompt_tokens")) && info_num(info, "est_prompt_tokens") > 0,
	    "http: no usage: prompt_tokens null, the estimate kept");
	free(text);
	cJSON_Delete(info);
	srv_stop();

	remote_get_stats(&st1);
	ok(st1.requests_429 - st0.requests_429 == 1, "stats: one 429");
	ok(st1.requests_5xx - st0.requests_5xx == 5, "stats: five 5xx");
	ok(st1.requests_failed - st0.requests_failed >= 2,
	    "stats: the timeout and the closed connection");
	ok(st1.decisions_failed - st0.decisions_failed == 2,
	    "stats: two failed decisions");
	ok(st1.decisions_ok - st0.decisions_ok == 4, "stats: four decisions");
	ok(st1.prompt_tokens > st0.prompt_tokens, "stats: prompt tokens");
	ok(st1.latency_n - st0.latency_n == 6, "stats: latency of each");

	/* Nobody listens: a refused connection, retried, then an error. */
	rp.retries = 1;
	r = decide(&rp, "Search", NULL, 0, &text, &info);
	ok(r == ERR_CONNECT && last_cause != NULL,
	    "http: no server: connect error (%s)", last_cause);
}

static void
test_key(void)
{
	struct remote_params rp;
	static const char *const args[] = { "-k", "sk-test-0123456789", NULL };
	char kpath[1200], *text = NULL, *red;
	cJSON *info = NULL, *lg;
	FILE *f;
	int r;

	snprintf(kpath, sizeof(kpath), "%s/key", tmpdir);
	f = fopen(kpath, "w");
	fputs("sk-test-0123456789\n", f);
	fclose(f);
	srv_start("reply CLICK [2]\nstatus 401\n", args);
	params(&rp);
	rp.api_key_file = kpath;
	r = decide(&rp, "Search", NULL, 0, &text, &info);
	ok(r == 0, "key: decided with the key from a file (%s)", last_cause);
	lg = srv_log();
	is_int((int)log_num(lg, 0, "auth"), 1, "key: sent as a bearer token");
	cJSON_Delete(lg);
	free(text);
	cJSON_Delete(info);

	setenv("WEBNAV_API_KEY", "sk-test-0123456789", 1);
	rp.api_key_file = NULL;
	{
		struct policy_params pp;
		struct policy *pol = NULL;
		char *cause = NULL;

		policy_default_params(&pp);
		pp.remote = &rp;
		r = policy_new("remote", &pp, &pol, &cause);
		ok(r == 0, "key: from WEBNAV_API_KEY");
		red = remote_redact("key sk-test-0123456789 here");
		is_str(red, "key ******** here",
		    "key: remote_redact masks it while in use");
		free(red);
		ok(remote_redact("nothing secret") == NULL,
		    "key: remote_redact leaves other text");
		policy_free(pol);
		free(cause);
	}
	ok(remote_redact("key sk-test-0123456789 here") == NULL,
	    "key: forgotten once no policy uses it");
	unsetenv("WEBNAV_API_KEY");
	srv_stop();

	rp.api_key_file = "/nonexistent/key";
	r = decide(&rp, "Search", NULL, 0, &text, &info);
	ok(r == ERR_IO && last_cause != NULL && strstr(last_cause,
	    "/nonexistent/key") != NULL, "key: a missing key file is named");
}

static void
test_scale(void)
{
	struct img a, b;
	int r;

	memset(&b, 0, sizeof(b));
	if (img_new(&a, 4, 2, 0x000000ff) != 0)
		abort();
	img_fill(&a, 0, 0, 1, 2, 0xffffffff);
	img_fill(&a, 2, 0, 2, 2, 0x808080ff);
	r = img_scale(&a, 2, 1, &b);
	is_int(r, 0, "scale: 4x2 to 2x1");
	ok(r == 0 && b.w == 2 && b.h == 1 && b.px[0] >= 127 &&
	    b.px[0] <= 128 && b.px[4] == 128 && b.px[3] == 255,
	    "scale: areas averaged (%d, %d)", r == 0 ? b.px[0] : -1,
	    r == 0 ? b.px[4] : -1);
	img_free(&b);
	r = img_scale(&a, 3, 2, &b);
	ok(r == 0 && b.w == 3, "scale: 4 to 3 columns");
	img_free(&b);
	ok(img_scale(&a, 5, 2, &b) == ERR_INVALID, "scale: no upscaling");
	ok(img_scale(&a, 0, 2, &b) == ERR_INVALID, "scale: zero width");
	img_free(&a);
}

int
main(void)
{
	const char *bd = getenv("top_builddir");
	char cmd[1200];

	log_init("test-remote", 0, LOG_LVL_WARN);
	signal(SIGPIPE, SIG_IGN);
	/* The shortlist by lexical scores, whatever weights exist. */
	setenv("WEBNAV_MODEL", "", 1);
	unsetenv("WEBNAV_API_KEY");
	unsetenv("WEBNAV_API_KEY_FILE");
	unsetenv("WEBNAV_REMOTE_ENDPOINT");
	snprintf(srvbin, sizeof(srvbin), "%s/tests/remotesrv",
	    bd != NULL ? bd : ".");
	if (access(srvbin, X_OK) != 0) {
		printf("1..0 # SKIP %s not built\n", srvbin);
		return 0;
	}
	if (mkdtemp(tmpdir) == NULL)
		abort();
	page = shop_page();
	test_settings();
	test_scale();
	test_click();
	test_shortlist();
	test_answers();
	test_http();
	test_key();
	obs_free(page);
	free(last_cause);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		note("could not remove %s", tmpdir);
	done_testing();
}
