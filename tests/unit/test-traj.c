/*
 * test-traj.c: run directories: files, steps.jsonl format, redaction of
 * secrets in every file, the HTML report, loading steps back, refusals.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "action.h"
#include "agent.h"
#include "err.h"
#include "img.h"
#include "log.h"
#include "observe.h"
#include "policy.h"
#include "tap.h"
#include "task.h"
#include "traj.h"
#include "xmalloc.h"

/*
 * The secret holds a quote, a backslash, HTML and a non-ASCII letter, so
 * its JSON- and HTML-escaped forms differ from the raw one.
 */
#define SECRET		"hunter2\"x\\y<b>&Zr\xc3\xa9t-9f3K"
#define SECRET_JSON	"hunter2\\\"x\\\\y<b>&Zr\xc3\xa9t-9f3K"
#define SECRET_HTML	"hunter2&quot;x\\y&lt;b&gt;&amp;Zr\xc3\xa9t-9f3K"
/* The first 14 bytes, as a page text cap might cut it. */
#define SECRET_CUT	"hunter2\"x\\y<b>"
#define HOSTILE		"<script>alert(1)</script>"

static const char task_json[] =
    "{\"name\": \"log in <as> admin\","
    " \"start_url\": \"http://127.0.0.1:1/login\","
    " \"goal\": \"log in with password ${PW} and open the dashboard\","
    " \"success\": [{\"url_matches\": \"/dashboard$\"}],"
    " \"vars\": {\"PW\": {\"value\": \"hunter2\\\"x\\\\y<b>&Zr\xc3\xa9t-9f3K\","
    "  \"secret\": true}, \"USER\": \"admin\"}}";

static char *
read_all(const char *path, size_t *lenp)
{
	FILE *f;
	char *p = NULL;
	long n;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0) {
		p = xmalloc((size_t)n + 1);
		if (fread(p, 1, (size_t)n, f) != (size_t)n) {
			free(p);
			p = NULL;
		} else {
			p[n] = '\0';
			*lenp = (size_t)n;
		}
	}
	fclose(f);
	return p;
}

static int
write_str(const char *path, const char *s)
{
	FILE *f;
	int ok;

	if ((f = fopen(path, "wb")) == NULL)
		return -1;
	ok = fputs(s, f) >= 0;
	return fclose(f) == 0 && ok ? 0 : -1;
}

static int
exists(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);
	struct stat st;
	int r = stat(p, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;

	free(p);
	return r;
}

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;
	const char *p = hay;

	while ((p = strstr(p, needle)) != NULL) {
		n++;
		p += strlen(needle);
	}
	return n;
}

static void
rm_rf(const char *dir)
{
	DIR *d;
	struct dirent *e;
	char *p;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		p = xasprintf("%s/%s", dir, e->d_name);
		if (e->d_type == DT_DIR)
			rm_rf(p);
		else
			unlink(p);
		free(p);
	}
	closedir(d);
	rmdir(dir);
}

static void
set_mark(struct mark *m, int id, const char *tag, const char *role,
    const char *type, const char *text, const char *label, const char *value,
    double x, double y, double w, double h)
{
	memset(m, 0, sizeof(*m));
	m->id = id;
	m->tag = xstrdup(tag);
	m->role = xstrdup(role);
	m->type = xstrdup(type);
	m->text = xstrdup(text);
	m->label = xstrdup(label);
	m->value = xstrdup(value);
	m->attrs = cJSON_CreateObject();
	m->x = x;
	m->y = y;
	m->w = w;
	m->h = h;
	m->checked = m->selected = -1;
	m->option_selected = -1;
	m->change = MARK_NEW;
}

/* A 160x100 page: a password field holding the secret, a hostile link. */
static struct obs *
make_obs(int good_png)
{
	struct obs *o = xcalloc(1, sizeof(*o));
	struct img im;

	o->url = xstrdup("http://127.0.0.1:1/login?pw=" SECRET);
	o->title = xstrdup("Sign in \xe2\x80\x94 <Admin>");
	o->vw = 160;
	o->vh = 100;
	o->scale = 1;
	o->page_h = 100;
	o->nmarks = 4;
	o->marks = xcalloc(o->nmarks, sizeof(*o->marks));
	set_mark(&o->marks[0], 1, "input", "textbox", "text", "", "User",
	    "admin", 10, 10, 80, 16);
	set_mark(&o->marks[1], 2, "input", "textbox", "password", "",
	    "Password", SECRET, 10, 32, 80, 16);
	cJSON_AddStringToObject(o->marks[1].attrs, "placeholder",
	    "not " SECRET);
	set_mark(&o->marks[2], 3, "a", "link", "", HOSTILE,
	    "\"><img src=x onerror=alert(2)>", "", 10, 56, 120, 14);
	set_mark(&o->marks[3], 4, "button", "button", "submit",
	    "Sign in as " SECRET_CUT, "", "", 100, 10, 50, 20);
	o->marks[0].focused = 1;
	if (good_png) {
		if (img_new(&im, 160, 100, 0xf0f0f0ff) != 0)
			abort();
		img_fill(&im, 10, 10, 80, 16, 0xffffffff);
		img_fill(&im, 10, 32, 80, 16, 0xffffffff);
		img_fill(&im, 100, 10, 50, 20, 0x2060c0ff);
		if (img_encode_png(&im, &o->png, &o->png_len) != 0)
			abort();
		img_free(&im);
	} else {
		o->png = (unsigned char *)xstrdup("not a png at all");
		o->png_len = strlen((char *)o->png);
	}
	return o;
}

static void
set_alt(struct policy_alt *a, enum action_op op, int mark, const char *value,
    double score)
{
	memset(a, 0, sizeof(*a));
	a->act.op = op;
	a->act.mark = mark;
	a->act.value = value != NULL ? xstrdup(value) : NULL;
	a->score = score;
}

static void
set_dec(struct policy_decision *d, enum action_op op, int mark,
    const char *value, double score)
{
	memset(d, 0, sizeof(*d));
	d->act.op = op;
	d->act.mark = mark;
	d->act.value = value != NULL ? xstrdup(value) : NULL;
	d->score = score;
	set_alt(&d->top[0], op, mark, value, score);
	set_alt(&d->top[1], ACT_CLICK, 4, NULL, 0.2);
	set_alt(&d->top[2], ACT_CLICK, 3, NULL, 0.05);
	d->ntop = 3;
}

static void
dec_clear(struct policy_decision *d)
{
	size_t i;

	action_clear(&d->act);
	for (i = 0; i < d->ntop; i++)
		action_clear(&d->top[i].act);
}

static const char *const keys[] = {
	"step", "instr", "instruction", "url", "title", "viewport", "action",
	"action_text", "target", "score", "top", "timings", "marks",
	"screenshot", "som", "error"
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static int
keys_in_order(const cJSON *o)
{
	const cJSON *c;
	size_t i = 0;

	for (c = o->child; c != NULL; c = c->next, i++)
		if (i >= NKEYS || c->string == NULL ||
		    strcmp(c->string, keys[i]) != 0)
			return 0;
	return i == NKEYS;
}

/* No file of dir holds the secret in any form. */
static void
check_no_secret(const char *dir)
{
	static const char *const forms[] = {
		SECRET, SECRET_JSON, SECRET_HTML, SECRET_CUT, "hunter2"
	};
	DIR *d;
	struct dirent *e;
	char *p, *data;
	size_t len, i, nfiles = 0, leaks = 0;

	if ((d = opendir(dir)) == NULL) {
		ok(0, "open %s", dir);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		p = xasprintf("%s/%s", dir, e->d_name);
		if ((data = read_all(p, &len)) != NULL) {
			nfiles++;
			for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
				if (memmem(data, len, forms[i],
				    strlen(forms[i])) != NULL) {
					leaks++;
					note("%s holds \"%s\"", e->d_name,
					    forms[i]);
				}
			free(data);
		}
		free(p);
	}
	closedir(d);
	ok(nfiles >= 3, "read %zu files of the run", nfiles);
	is_int(leaks, 0, "the secret is in no file, raw, JSON-, "
	    "HTML-escaped or cut");
}

static void
test_run(const char *root, const struct task *t)
{
	struct traj *tr = NULL;
	struct traj_step s;
	struct policy_decision d;
	struct agent_timing tm = { 120, 8.5, 40, 300, 2, 470.5 };
	struct agent_result res;
	struct obs *o1, *o2;
	cJSON *steps = NULL, *line, *v;
	char *dir, *p, *data, *cause = NULL;
	size_t len, n;
	int r, i;

	dir = xasprintf("%s/run/a", root);
	r = traj_open(dir, t, "lexical", &tr, &cause);
	is_int(r, 0, "traj_open creates %s", dir);
	if (r != 0) {
		note("%s", cause);
		free(cause);
		free(dir);
		return;
	}
	is_str(traj_dir(tr), dir, "traj_dir");
	ok(exists(dir, "task.json"), "task.json written");

	o1 = make_obs(1);
	memset(&s, 0, sizeof(s));
	s.n = 1;
	s.instr = 0;
	s.instr_text = "log in with password " SECRET " and open the "
	    "dashboard";
	s.obs = o1;
	set_dec(&d, ACT_TYPE, 2, SECRET, 0.9);
	s.dec = &d;
	s.t = &tm;
	is_int(traj_step(tr, &s), 0, "step 1 recorded");
	dec_clear(&d);

	s.n = 2;
	set_dec(&d, ACT_CLICK, 3, NULL, 0.7);
	s.error = "click on " SECRET " failed: " HOSTILE;
	is_int(traj_step(tr, &s), 0, "step 2 recorded");
	dec_clear(&d);

	s.n = 3;
	set_dec(&d, ACT_PRESS, 0, NULL, 0.6);
	d.act.key = xstrdup("Enter");
	d.top[0].act.key = xstrdup("Enter");
	s.instr = 0;
	s.error = NULL;
	is_int(traj_step(tr, &s), 0, "step 3 recorded");
	dec_clear(&d);

	o2 = make_obs(0);
	s.n = 4;
	s.obs = o2;
	s.dec = NULL;
	s.error = NULL;
	is_int(traj_step(tr, &s), 0, "step 4 (no decision, bad PNG) "
	    "recorded");

	s.n = 4;
	is_int(traj_step(tr, &s), ERR_INVALID, "a repeated step number is "
	    "refused");

	memset(&res, 0, sizeof(res));
	res.outcome = AGENT_SUCCESS;
	res.reason = xstrdup("success checks hold after typing " SECRET);
	res.steps = 4;
	res.seconds = 1.4;
	res.final_url = xstrdup("http://127.0.0.1:1/dashboard#" SECRET);
	is_int(traj_finish(tr, &res), 0, "traj_finish");
	s.n = 5;
	is_int(traj_step(tr, &s), ERR_INVALID, "no step after finish");
	traj_free(tr);
	tr = NULL;

	ok(exists(dir, "steps.jsonl") && exists(dir, "result.json") &&
	    exists(dir, "report.html"), "steps.jsonl, result.json and "
	    "report.html exist");
	ok(exists(dir, "step-001.png") && exists(dir, "step-001-som.png") &&
	    exists(dir, "step-002.png") && exists(dir, "step-002-som.png") &&
	    exists(dir, "step-003.png") && exists(dir, "step-003-som.png") &&
	    exists(dir, "step-004.png"), "step images exist");
	ok(!exists(dir, "step-004-som.png"), "no som image for a bad PNG");
	ok(!exists(dir, ".report.html.tmp") &&
	    !exists(dir, ".step-001.png.tmp"), "no temporary files left");

	/* The screenshot goes to disk byte for byte. */
	p = xasprintf("%s/step-001.png", dir);
	data = read_all(p, &len);
	ok(data != NULL && len == o1->png_len &&
	    memcmp(data, o1->png, len) == 0, "step-001.png is obs->png");
	free(data);
	free(p);
	p = xasprintf("%s/step-001-som.png", dir);
	data = read_all(p, &len);
	ok(data != NULL && len > 8 && memcmp(data, "\x89PNG", 4) == 0 &&
	    (len != o1->png_len || memcmp(data, o1->png, len) != 0),
	    "step-001-som.png is a drawn PNG");
	free(data);
	free(p);

	/* steps.jsonl: three lines in the documented format. */
	p = xasprintf("%s/steps.jsonl", dir);
	data = read_all(p, &len);
	free(p);
	ok(data != NULL && count(data, "\n") == 4 && data[len - 1] == '\n',
	    "steps.jsonl has 4 lines");
	r = traj_load_steps(dir, &steps, &cause);
	is_int(r, 0, "traj_load_steps");
	if (r != 0) {
		note("%s", cause);
		free(cause);
		cause = NULL;
	}
	is_int(cJSON_GetArraySize(steps), 4, "4 steps loaded");
	i = 0;
	n = 0;
	cJSON_ArrayForEach(line, steps) {
		i++;
		if (keys_in_order(line))
			n++;
		v = cJSON_GetObjectItemCaseSensitive(line, "step");
		ok(cJSON_IsNumber(v) && v->valueint == i, "line %d is step %d",
		    i, i);
	}
	is_int(n, 4, "every line has the documented keys in order");
	/* The round trip: what was loaded is what the file says. */
	if (data != NULL && steps != NULL) {
		char *nl = strchr(data, '\n'), *pr;

		*nl = '\0';
		pr = cJSON_PrintUnformatted(cJSON_GetArrayItem(steps, 0));
		is_str(pr, data, "line 1 loads back unchanged");
		cJSON_free(pr);
	}
	free(data);

	line = cJSON_GetArrayItem(steps, 0);
	v = cJSON_GetObjectItemCaseSensitive(line, "action");
	is_str(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(v, "op")),
	    "type", "step 1 action op");
	is_str(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(v,
	    "value")), "********", "step 1 typed value is redacted");
	p = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(line,
	    "action_text"));
	ok(p != NULL && strncmp(p, "TYPE [2]", 8) == 0 &&
	    strstr(p, "********") != NULL, "step 1 action_text: %s",
	    p != NULL ? p : "(null)");
	v = cJSON_GetObjectItemCaseSensitive(line, "target");
	is_int(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(v, "id")),
	    2, "step 1 target is mark 2");
	is_str(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(v,
	    "value")), "********", "the password field's value is redacted");
	is_int(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(line,
	    "top")), 3, "step 1 has 3 alternatives");
	v = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(line, "top"),
	    1);
	is_str(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(v,
	    "text")), "CLICK [4]", "second alternative text");
	ok(fabs(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(v,
	    "score")) - 0.2) < 1e-9, "second alternative score");
	v = cJSON_GetObjectItemCaseSensitive(line, "timings");
	ok(fabs(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(v,
	    "settle")) - 300) < 1e-9 && fabs(cJSON_GetNumberValue(
	    cJSON_GetObjectItemCaseSensitive(v, "total")) - 470.5) < 1e-9,
	    "timings recorded");
	is_int(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(line,
	    "marks")), 4, "4 marks recorded");
	is_str(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(line,
	    "som")), "step-001-som.png", "som file named");
	ok(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(line, "error")),
	    "step 1 has no error");
	p = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(line,
	    "url"));
	is_str(p, "http://127.0.0.1:1/login?pw=********", "URL redacted");

	line = cJSON_GetArrayItem(steps, 1);
	p = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(line,
	    "error"));
	ok(p != NULL && strstr(p, "click on ******** failed") != NULL,
	    "step 2 error recorded, redacted");

	line = cJSON_GetArrayItem(steps, 2);
	is_str(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(line,
	    "action_text")), "PRESS Enter", "step 3 action_text");
	ok(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(line, "target")),
	    "step 3: no target for a key press");

	line = cJSON_GetArrayItem(steps, 3);
	ok(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(line, "action")) &&
	    cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(line, "target")) &&
	    cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(line,
	    "top")) == 0, "step 4: no action");
	ok(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(line, "som")),
	    "step 4: som is null");
	p = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(line,
	    "error"));
	ok(p != NULL && strstr(p, "som image") != NULL,
	    "step 4: the som failure is noted: %s", p != NULL ? p : "(null)");
	cJSON_Delete(steps);

	/* result.json */
	p = xasprintf("%s/result.json", dir);
	data = read_all(p, &len);
	free(p);
	v = data != NULL ? cJSON_Parse(data) : NULL;
	is_str(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(v,
	    "outcome")), "success", "result.json outcome");
	is_int(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(v,
	    "steps")), 4, "result.json steps");
	is_str(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(v,
	    "policy")), "lexical", "result.json policy");
	is_str(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(v,
	    "task")), "log in <as> admin", "result.json task name");
	ok(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(v, "reason")) &&
	    cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(v, "seconds")) &&
	    cJSON_IsString(cJSON_GetObjectItemCaseSensitive(v, "final_url")),
	    "result.json reason, seconds, final_url");
	cJSON_Delete(v);
	free(data);

	/* report.html */
	p = xasprintf("%s/report.html", dir);
	data = read_all(p, &len);
	free(p);
	ok(data != NULL, "report.html readable");
	if (data != NULL) {
		is_int(count(data, "<img src=\"data:image/png;base64,"), 3,
		    "report inlines 3 images");
		is_int(count(data, "<img src=\"data:image/png;base64,"
		    "iVBORw0KGgo"), 3, "the inlined images are PNG");
		ok(strstr(data, "not a PNG image") != NULL,
		    "step 4's bad image is noted, not inlined");
		ok(strstr(data, "&lt;script&gt;alert(1)&lt;/script&gt;") !=
		    NULL, "hostile mark text shown as text");
		is_int(count(data, "<script"), 0, "no <script in the report");
		is_int(count(data, "<img src=x"), 0, "no injected <img>");
		ok(strstr(data, "log in &lt;as&gt; admin") != NULL,
		    "task name escaped");
		ok(strstr(data, "src=\"http") == NULL && strstr(data,
		    "href=\"http") == NULL && strstr(data, "<link") == NULL,
		    "no external resources");
		ok(strstr(data, ">success<") != NULL, "outcome shown");
		ok(strstr(data, "id=\"step-4\"") != NULL, "step 4 has a card");
		ok(strstr(data, "Content-Security-Policy") != NULL,
		    "report carries a CSP");
		free(data);
	}
	check_no_secret(dir);

	/* A directory holding a recorded run is never reused. */
	p = xasprintf("%s/steps.jsonl", dir);
	data = read_all(p, &len);
	r = traj_open(dir, t, "lexical", &tr, &cause);
	is_int(r, ERR_INVALID, "traj_open refuses a directory with "
	    "steps.jsonl");
	ok(cause != NULL && strstr(cause, "already holds a recorded run") !=
	    NULL, "cause: %s", cause != NULL ? cause : "(null)");
	ok(tr == NULL, "no traj returned");
	free(cause);
	cause = NULL;
	{
		size_t len2 = 0;
		char *again = read_all(p, &len2);

		ok(data != NULL && again != NULL && len2 == len &&
		    memcmp(data, again, len) == 0,
		    "the recorded steps.jsonl is untouched");
		free(again);
	}
	free(data);
	free(p);

	obs_free(o1);
	obs_free(o2);
	agent_result_clear(&res);
	free(dir);
}

static void
test_load_errors(const char *root)
{
	cJSON *steps = NULL;
	char *dir, *p, *cause = NULL;
	int r;

	dir = xasprintf("%s/bad", root);
	mkdir(dir, 0777);
	p = xasprintf("%s/steps.jsonl", dir);

	r = traj_load_steps(dir, &steps, &cause);
	is_int(r, ERR_NOTFOUND, "missing steps.jsonl");
	free(cause);
	cause = NULL;

	write_str(p, "{\"step\":1}\n{\"step\":2,\"url\":\"x\"\n{\"step\":3}\n");
	r = traj_load_steps(dir, &steps, &cause);
	is_int(r, ERR_PARSE, "malformed line");
	ok(cause != NULL && strstr(cause, "steps.jsonl: line 2: ") != NULL,
	    "cause names the file and line: %s", cause ? cause : "(null)");
	ok(steps == NULL, "no array on error");
	free(cause);
	cause = NULL;

	write_str(p, "{\"step\":1}\n\n[1,2]\n");
	r = traj_load_steps(dir, &steps, &cause);
	is_int(r, ERR_PARSE, "a line that is not an object");
	ok(cause != NULL && strstr(cause, "line 3: not a JSON object") !=
	    NULL, "cause: %s", cause ? cause : "(null)");
	free(cause);
	cause = NULL;

	write_str(p, "{\"step\":1} {\"step\":2}\n");
	r = traj_load_steps(dir, &steps, &cause);
	is_int(r, ERR_PARSE, "two values on a line");
	ok(cause != NULL && strstr(cause, "line 1: column 12: ") != NULL,
	    "cause: %s", cause ? cause : "(null)");
	free(cause);
	cause = NULL;

	write_str(p, "{\"step\":1}\r\n\n{\"step\":2}");
	r = traj_load_steps(dir, &steps, &cause);
	is_int(r, 0, "blank lines, CRLF and a last line without newline");
	is_int(cJSON_GetArraySize(steps), 2, "2 steps");
	cJSON_Delete(steps);
	steps = NULL;

	write_str(p, "");
	r = traj_load_steps(dir, &steps, &cause);
	ok(r == 0 && cJSON_IsArray(steps) && cJSON_GetArraySize(steps) == 0,
	    "an empty steps.jsonl is an empty array");
	cJSON_Delete(steps);

	free(p);
	free(dir);
}

/*
 * A secret that matches JSON structure cannot reach disk either: `":"`
 * is avoided by the spaced layout, `":` by no layout (records are
 * emptied).
 */
static void
test_structural_secret(const char *root, const char *name,
    const char *json_value, const char *secret, int kept)
{
	struct task *t = NULL;
	struct traj *tr = NULL;
	struct traj_step s;
	struct agent_timing tm = { 1, 1, 1, 1, 1, 5 };
	struct agent_result res;
	struct obs *o;
	cJSON *steps = NULL, *v;
	DIR *d;
	struct dirent *e;
	char *tj, *dir, *cause = NULL, *p, *data;
	size_t len, leaks = 0;
	int r;

	tj = xasprintf("{\"name\": \"odd\", \"start_url\": "
	    "\"http://127.0.0.1:1/\", \"goal\": \"x\", \"vars\": "
	    "{\"S\": {\"value\": \"%s\", \"secret\": true}}}", json_value);
	r = task_parse(tj, strlen(tj), "odd.json", &t, &cause);
	free(tj);
	if (r != 0) {
		ok(0, "task_parse: %s", cause ? cause : err_str(r));
		free(cause);
		return;
	}
	dir = xasprintf("%s/%s", root, name);
	r = traj_open(dir, t, NULL, &tr, &cause);
	is_int(r, 0, "%s: traj_open", name);
	if (r != 0) {
		free(cause);
		task_free(t);
		free(dir);
		return;
	}
	o = make_obs(1);
	memset(&s, 0, sizeof(s));
	s.n = 1;
	s.instr_text = "x";
	s.obs = o;
	s.t = &tm;
	is_int(traj_step(tr, &s), 0, "%s: step recorded", name);
	memset(&res, 0, sizeof(res));
	res.outcome = AGENT_MAX_STEPS;
	res.reason = xstrdup("out of steps");
	res.final_url = xstrdup("http://127.0.0.1:1/");
	res.steps = 1;
	is_int(traj_finish(tr, &res), 0, "%s: traj_finish", name);
	traj_free(tr);
	r = traj_load_steps(dir, &steps, &cause);
	is_int(r, 0, "%s: the step line is valid JSON", name);
	free(cause);
	v = cJSON_GetArrayItem(steps, 0);
	if (kept)
		is_int(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(v,
		    "marks")), 4, "%s: the record is kept whole", name);
	else
		ok(v != NULL && v->child == NULL, "%s: the record is emptied",
		    name);
	cJSON_Delete(steps);

	if ((d = opendir(dir)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.' ||
			    strstr(e->d_name, ".png") != NULL)
				continue;
			p = xasprintf("%s/%s", dir, e->d_name);
			if ((data = read_all(p, &len)) != NULL &&
			    memmem(data, len, secret, strlen(secret)) != NULL) {
				note("%s holds the secret", e->d_name);
				leaks++;
			}
			free(data);
			free(p);
		}
		closedir(d);
	}
	is_int(leaks, 0, "%s: no text file holds the secret", name);
	obs_free(o);
	agent_result_clear(&res);
	task_free(t);
	free(dir);
}

/* A step without observation or decision; paths that cannot be used. */
static void
test_bare(const char *root, const struct task *t)
{
	struct traj *tr = NULL;
	struct traj_step s;
	struct agent_result res;
	cJSON *steps = NULL, *v;
	char *dir, *file, *cause = NULL, *p, *data;
	size_t len = 0;
	int r;

	dir = xasprintf("%s/bare/x/y", root);
	r = traj_open(dir, t, NULL, &tr, &cause);
	is_int(r, 0, "traj_open creates missing parents");
	free(cause);
	cause = NULL;
	if (r != 0) {
		free(dir);
		return;
	}
	memset(&s, 0, sizeof(s));
	s.n = 1;
	s.error = "step 1: observing the page: the browser went away";
	is_int(traj_step(tr, &s), 0, "a step without observation");
	memset(&res, 0, sizeof(res));
	res.outcome = AGENT_ERROR;
	is_int(traj_finish(tr, &res), 0, "finish with no reason or URL");
	traj_free(tr);
	r = traj_load_steps(dir, &steps, &cause);
	v = cJSON_GetArrayItem(steps, 0);
	ok(r == 0 && cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(v, "url")) &&
	    cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(v, "viewport")) &&
	    cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(v, "screenshot")) &&
	    cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(v, "timings")) &&
	    cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(v,
	    "marks")) == 0, "the line has nulls and no marks");
	cJSON_Delete(steps);
	free(cause);
	cause = NULL;
	p = xasprintf("%s/report.html", dir);
	data = read_all(p, &len);
	ok(data != NULL && strstr(data, "b-bad") != NULL &&
	    strstr(data, "no screenshot") != NULL &&
	    strstr(data, "the browser went away") != NULL,
	    "the report shows the error outcome and the step's error");
	free(data);
	free(p);
	free(dir);

	/* A path through a regular file cannot be a run directory. */
	file = xasprintf("%s/file", root);
	write_str(file, "x");
	dir = xasprintf("%s/run", file);
	r = traj_open(dir, t, NULL, &tr, &cause);
	is_int(r, ERR_IO, "traj_open under a regular file fails");
	ok(cause != NULL && strstr(cause, dir) != NULL, "cause: %s",
	    cause != NULL ? cause : "(null)");
	free(cause);
	free(dir);
	free(file);
}

int
main(void)
{
	struct task *t = NULL;
	char root[] = "/tmp/test-traj.XXXXXX", *cause = NULL;
	int r;

	log_init("test-traj", 0, LOG_LVL_WARN);
	if (mkdtemp(root) == NULL) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	if ((r = task_parse(task_json, strlen(task_json), "t.json", &t,
	    &cause)) != 0) {
		printf("Bail out! task_parse: %s\n", cause ? cause :
		    err_str(r));
		rm_rf(root);
		return 1;
	}
	test_run(root, t);
	test_load_errors(root);
	test_bare(root, t);
	test_structural_secret(root, "odd1", "\\\":\\\"", "\":\"", 1);
	test_structural_secret(root, "odd2", "\\\":", "\":", 0);
	task_free(t);
	if (getenv("TRAJ_KEEP") != NULL)
		note("kept %s", root);
	else
		rm_rf(root);
	return done_testing();
}
