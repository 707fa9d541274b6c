/* test-task.c: task files: loading, errors, variables, the allowlist. */
#include "config.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "action.h"
#include "err.h"
#include "task.h"
#include "tap.h"

#define TASKS	WEBNAV_SRCDIR "/tests/tasks/"

/* Loads tests/tasks/NAME, which must succeed. */
static struct task *
load_ok(const char *name)
{
	struct task *t = NULL;
	char *path, *cause = NULL;
	int r;

	if (asprintf(&path, TASKS "%s", name) == -1)
		abort();
	r = task_load(path, &t, &cause);
	is_int(r, 0, "%s loads", name);
	if (r != 0)
		note("cause: %s", cause);
	free(cause);
	free(path);
	return t;
}

/* Parses json as "t.json"; expects result want_r and message want. */
static void
parse_err(const char *json, int want_r, const char *want, const char *name)
{
	struct task *t = (struct task *)&t;
	char *cause = NULL;
	int r;

	r = task_parse(json, strlen(json), "t.json", &t, &cause);
	is_int(r, want_r, "%s: refused", name);
	ok(t == NULL, "%s: no task", name);
	is_str(cause, want, "%s: message", name);
	task_free(t);
	free(cause);
}

static struct task *
parse_ok(const char *json, const char *name)
{
	struct task *t = NULL;
	char *cause = NULL;
	int r;

	r = task_parse(json, strlen(json), "t.json", &t, &cause);
	is_int(r, 0, "%s: parses", name);
	if (r != 0)
		note("cause: %s", cause);
	free(cause);
	return t;
}

static void
test_goal(void)
{
	struct task *t;
	struct task *o = NULL;
	const char *names[] = { "BASE" }, *values[] = { "http://127.0.0.1:9" };
	char *cause = NULL, *s;

	if ((t = load_ok("goal.json")) == NULL)
		return;
	is_int(t->mode, TASK_GOAL, "goal mode");
	is_str(t->name, "search for a product", "name");
	is_str(t->start_url, "http://127.0.0.1:8765/index.html",
	    "start_url with ${BASE}");
	is_str(t->goal, "Search for \"Blue Mug\" and open its page",
	    "goal with ${ITEM}");
	ok(t->goal_js == NULL && t->setup_js == NULL, "no goal_js, setup_js");
	is_int(t->nsuccess, 2, "two success checks");
	is_int(t->success[0].kind, CHECK_URL_MATCHES, "url_matches");
	is_str(t->success[0].arg, "/product\\.html\\?id=[0-9]+$",
	    "url_matches argument");
	is_int(t->success[1].kind, CHECK_TEXT_PRESENT, "text_present");
	is_str(t->success[1].arg, "Blue Mug", "text_present substituted");
	is_int(t->nfail, 1, "one fail check");
	is_int(t->max_steps, 12, "max_steps");
	is_int(t->step_timeout_ms, 20000, "step_timeout_ms");
	is_int(t->timeout_ms, 120000, "timeout_ms");
	is_int(t->vw, 1024, "viewport width");
	is_int(t->vh, 768, "viewport height");
	is_int(t->nvars, 2, "two vars");
	is_int(t->nallowed, 0, "no allowlist");
	s = task_check_str(&t->success[0]);
	is_str(s, "url_matches //product\\.html\\?id=[0-9]+$/", "check text");
	free(s);
	s = task_check_str(&t->success[1]);
	is_str(s, "text_present \"Blue Mug\"", "check text quoted");
	free(s);
	s = task_subst(t, "${ITEM} at ${BASE}, $${literal}");
	is_str(s, "Blue Mug at http://127.0.0.1:8765, ${literal}",
	    "task_subst");
	free(s);
	ok(task_subst(t, "${NOPE}") == NULL, "task_subst: unknown is NULL");
	s = task_redact(t, "nothing secret: Blue Mug");
	is_str(s, "nothing secret: Blue Mug", "no secrets, no redaction");
	free(s);
	task_free(t);

	is_int(task_load_vars(TASKS "goal.json", names, values, 1, &o,
	    &cause), 0, "extra variable BASE");
	if (o != NULL) {
		is_str(o->start_url, "http://127.0.0.1:9/index.html",
		    "caller's BASE overrides the file's");
		is_int(o->nvars, 2, "still two vars");
	}
	task_free(o);
	free(cause);
}

static void
test_steps(void)
{
	struct task *t;

	if ((t = load_ok("steps.json")) == NULL)
		return;
	is_int(t->mode, TASK_STEPS, "steps mode");
	is_str(t->name, "steps", "default name is the file's base name");
	is_str(t->goal, "Buy a blue mug", "goal kept as context");
	is_int(t->nsteps, 3, "three steps");
	is_str(t->steps[0], "Add the blue mug to the cart", "steps[0]");
	is_str(t->steps[2], "Check out with the name Ada Lovelace",
	    "steps[2] substituted");
	is_int(t->nsuccess, 1, "one check");
	is_int(t->success[0].kind, CHECK_ELEMENT_PRESENT, "element_present");
	is_int(t->nallowed, 2, "two allowed domains");
	is_str(t->allowed_domains[0], "127.0.0.1:8765", "host:port pattern");
	is_str(t->allowed_domains[1], "*.example.com",
	    "pattern normalised (case, trailing dot)");
	is_int(t->max_steps, 20, "default max_steps");
	is_int(t->step_timeout_ms, 30000, "default step_timeout_ms");
	is_int(t->timeout_ms, 300000, "default timeout_ms");
	is_int(t->vw, 1280, "default viewport width");
	is_int(t->vh, 800, "default viewport height");
	task_free(t);

	t = parse_ok("{\"start_url\":\"http://a/\",\"steps\":[\"1\",\"2\","
	    "\"3\",\"4\",\"5\",\"6\",\"7\"]}", "seven steps");
	if (t != NULL)
		is_int(t->max_steps, 28, "default max_steps: 4 per step");
	task_free(t);
}

static void
test_actions(void)
{
	struct task *t, *back = NULL;
	cJSON *j, *v;
	char *s, *cause = NULL;
	int r;

	if ((t = load_ok("actions.json")) == NULL)
		return;
	is_int(t->mode, TASK_ACTIONS, "actions mode");
	is_str(t->goal, "Log in as ada", "goal for the report");
	is_str(t->setup_js, "localStorage.clear(); `${location.host}`",
	    "$${ is a literal ${");
	is_int(t->nactions, 7, "seven actions");
	is_int(t->actions[0].op, ACT_TYPE, "actions[0] type");
	is_str(t->actions[0].tgt.label, "Username", "actions[0] label");
	is_str(t->actions[0].value, "ada", "actions[0] value substituted");
	is_str(t->actions[1].tgt.selector, "#password", "actions[1] selector");
	is_str(t->actions[1].value, "s3cret-pw", "secret typed as is");
	ok(t->actions[1].submit, "actions[1] submit");
	is_int(t->actions[2].op, ACT_WAIT, "actions[2] wait");
	is_int(t->actions[2].ms, 200, "actions[2] ms");
	is_str(t->actions[3].tgt.role, "link", "actions[3] role");
	is_str(t->actions[4].key, "Escape", "actions[4] key normalised");
	is_str(t->actions[5].value, "http://127.0.0.1:8765/account.html",
	    "actions[5] url substituted");
	is_int(t->actions[6].op, ACT_DONE, "actions[6] done");
	is_int(t->max_steps, 20, "default max_steps");
	is_int(t->nvars, 3, "three vars");
	ok(t->vars[2].secret && !t->vars[0].secret, "secret flags");

	s = task_redact(t, "typed s3cret-pw and s3cret-pws3cret-pw.");
	is_str(s, "typed ******** and ****************.", "redaction");
	free(s);
	s = action_format(&t->actions[1]);
	is_str(s, "TYPE {selector=\"#password\"} \"s3cret-pw\" SUBMIT",
	    "the action itself holds the secret");
	free(s);

	j = task_to_json(t);
	ok(j != NULL, "task_to_json");
	s = cJSON_PrintUnformatted(j);
	ok(s != NULL && strstr(s, "s3cret-pw") == NULL,
	    "task.json has no secret");
	v = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(
	    j, "vars"), "PASSWORD");
	ok(cJSON_IsObject(v) && strcmp(cJSON_GetObjectItemCaseSensitive(v,
	    "value")->valuestring, "********") == 0 &&
	    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v, "secret")),
	    "secret var written redacted");
	r = task_parse(s, strlen(s), "task.json", &back, &cause);
	is_int(r, 0, "task.json loads back");
	if (r != 0)
		note("cause: %s", cause);
	if (back != NULL) {
		is_int(back->nactions, 7, "same actions");
		is_str(back->actions[1].value, "********",
		    "secret value redacted in the copy");
		ok(action_equal(&back->actions[3], &t->actions[3]),
		    "other actions equal");
		is_str(back->setup_js, t->setup_js, "literal ${ survives");
		is_str(back->name, t->name, "same name");
		is_int(back->max_steps, t->max_steps, "same max_steps");
	}
	task_free(back);
	free(cause);
	cJSON_free(s);
	cJSON_Delete(j);
	task_free(t);

	t = parse_ok("{\"start_url\":\"http://a/\",\"actions\":[{\"op\":"
	    "\"back\"}],\"timeout_ms\":1000}", "timeout below step timeout");
	if (t != NULL)
		is_int(t->step_timeout_ms, 1000,
		    "step_timeout_ms clamped to timeout_ms");
	task_free(t);
}

static void
test_goal_js(void)
{
	struct task *t;
	char *cause = NULL;

	if ((t = load_ok("goal-js.json")) == NULL)
		return;
	is_int(t->mode, TASK_GOAL, "goal_js is goal mode");
	ok(t->goal == NULL, "no goal text");
	is_str(t->goal_js, "document.getElementById('g').textContent",
	    "goal_js");
	is_int(t->nschemes, 1, "one scheme");
	is_str(t->allowed_schemes[0], "data", "scheme lower-cased");
	is_int(task_url_allowed(t, t->start_url, &cause), 0,
	    "data: start URL allowed");
	ok(cause == NULL, "no cause when allowed");
	is_int(task_url_allowed(t, "file:///etc/passwd", &cause), ERR_DENIED,
	    "file: not allowed");
	is_str(cause, "scheme file: is not in allowed_schemes", "file: cause");
	free(cause);
	task_free(t);
}

static void
test_secrets(void)
{
	struct task *t = NULL;
	char *cause = NULL, *s;
	const char *names[] = { "PW" }, *values[] = { "from-caller" };

	unsetenv("WEBNAV_TEST_PW");
	is_int(task_load(TASKS "secret-env.json", &t, &cause), ERR_INVALID,
	    "value_env unset");
	is_str(cause, TASKS "secret-env.json: vars.PW.value_env: environment "
	    "variable WEBNAV_TEST_PW is not set", "value_env unset: message");
	free(cause);
	cause = NULL;

	setenv("WEBNAV_TEST_PW", "pa55word", 1);
	if ((t = load_ok("secret-env.json")) != NULL) {
		is_str(t->goal, "Log in with password pa55word",
		    "secret substituted");
		ok(t->vars[0].secret, "value_env is secret by default");
		ok(!t->vars[1].secret, "unless secret is false");
		s = task_redact(t, t->goal);
		is_str(s, "Log in with password ********", "goal redacted");
		free(s);
	}
	task_free(t);
	t = NULL;

	unsetenv("WEBNAV_TEST_PW");
	is_int(task_load_vars(TASKS "secret-env.json", names, values, 1, &t,
	    &cause), ERR_INVALID, "a caller's value does not cover SHOWN");
	free(cause);
	cause = NULL;
	parse_err("{\"start_url\":\"http://a/\",\"goal\":\"${PW}\",\"vars\":"
	    "{\"PW\":{\"value_env\":\"WEBNAV_TEST_PW\"}}}", ERR_INVALID,
	    "t.json: vars.PW.value_env: environment variable WEBNAV_TEST_PW "
	    "is not set", "unset env var refused inline too");
	{
		const char *j = "{\"start_url\":\"http://a/\","
		    "\"goal\":\"${PW}\",\"vars\":{\"PW\":"
		    "{\"value_env\":\"WEBNAV_TEST_PW\"}}}";

		is_int(task_parse_vars(j, strlen(j), "t.json", names, values,
		    1, &t, &cause), 0, "caller's value replaces value_env");
		if (t != NULL) {
			is_str(t->goal, "from-caller", "caller's secret used");
			ok(t->vars[0].secret, "and stays secret");
		}
		task_free(t);
		t = NULL;
		free(cause);
		cause = NULL;
	}

	/* Messages never show a secret, even when they quote a field. */
	parse_err("{\"start_url\":\"http://a/\",\"goal\":\"x\",\"vars\":{\"P\":"
	    "{\"value\":\"hunter2\",\"secret\":true}},\"allowed_domains\":"
	    "[\"${P}/x\"]}", ERR_INVALID, "t.json: allowed_domains[0]: invalid "
	    "host pattern \"********/x\": write a host, *.host or host:port, "
	    "without scheme or path", "secret redacted in messages");
	{
		const char *j = "{\"start_url\":\"http://a/\",\"goal\":\"x\"}";
		const char *bn[] = { "a-b" }, *bv[] = { "1" };

		is_int(task_parse_vars(j, strlen(j), "t.json", bn, bv, 1, &t,
		    &cause), ERR_INVALID, "bad caller variable name");
		is_str(cause, "t.json: vars: invalid variable name \"a-b\" "
		    "given by the caller", "bad caller variable: message");
		free(cause);
		cause = NULL;
	}
	t = parse_ok("{\"start_url\":\"http://a/\",\"goal\":\"x\",\"vars\":"
	    "{\"E\":{\"value\":\"\",\"secret\":true},\"S\":{\"value\":\"ab\","
	    "\"secret\":true},\"L\":{\"value\":\"abc\",\"secret\":true}}}",
	    "secrets of several lengths");
	if (t != NULL) {
		s = task_redact(t, "xabcx abx");
		is_str(s, "x********x ********x",
		    "longest secret first; empty secret ignored");
		free(s);
	}
	task_free(t);
}

static void
test_bad_json(void)
{
	struct task *t = NULL;
	char *cause = NULL;

	is_int(task_load(TASKS "bad-json.json", &t, &cause), ERR_PARSE,
	    "bad JSON is ERR_PARSE");
	is_str(cause, TASKS "bad-json.json: line 4, column 17: invalid JSON "
	    "near ','", "bad JSON: line and column");
	free(cause);
	cause = NULL;
	is_int(task_load(TASKS "bad-json-utf8.json", &t, &cause), ERR_PARSE,
	    "bad JSON after UTF-8");
	is_str(cause, TASKS "bad-json-utf8.json: line 2, column 35: invalid "
	    "JSON near 'tru'", "columns count characters");
	free(cause);
	cause = NULL;

	parse_err("{\"start_url\":\"http://a/\",\"goal\":\"x\"} x", ERR_PARSE,
	    "t.json: line 1, column 38: invalid JSON near 'x'",
	    "trailing garbage");
	parse_err("{\"goal\": \"a\\qb\"}", ERR_PARSE,
	    "t.json: line 1, column 12: invalid JSON near '\\\\qb\"}'",
	    "bad escape quoted back");
	parse_err("{\"goal\": 1, next: 2}", ERR_PARSE,
	    "t.json: line 1, column 13: invalid JSON near 'next: 2}'",
	    "unquoted key");
	parse_err("{\"a\": [1,,2]}", ERR_PARSE,
	    "t.json: line 1, column 10: invalid JSON near ',2]}'",
	    "empty array element");
	parse_err("{\"a\" 1}", ERR_PARSE,
	    "t.json: line 1, column 6: invalid JSON near '1}'",
	    "missing colon");
	parse_err("{\n\"goal\": \"x\",\n", ERR_PARSE,
	    "t.json: line 3, column 1: invalid JSON near end of file",
	    "truncated file");
	parse_err("", ERR_PARSE, "t.json: empty file", "empty file");
	parse_err(" \n\t", ERR_PARSE, "t.json: empty file", "blank file");
	parse_err("[1, 2]", ERR_INVALID, "t.json: the task must be a JSON "
	    "object", "array at top level");
	{
		static const char nul[] = "{\"goal\":\"a\0b\"}";

		is_int(task_parse(nul, sizeof(nul) - 1, "t.json", &t, &cause),
		    ERR_PARSE, "NUL byte refused");
		is_str(cause, "t.json: line 1, column 11: invalid JSON near "
		    "'\\x00b\"}'", "NUL byte: message");
		free(cause);
		cause = NULL;
	}
	{
		size_t n = 1024 * 1024 + 1;
		char *big = malloc(n);

		memset(big, ' ', n);
		is_int(task_parse(big, n, "t.json", &t, &cause), ERR_TOOBIG,
		    "over 1 MiB refused");
		is_str(cause, "t.json: larger than 1048576 bytes",
		    "over 1 MiB: message");
		free(cause);
		cause = NULL;
		free(big);
	}
	{
		static const char bom[] = "\xef\xbb\xbf{\"start_url\":"
		    "\"http://a/\",\"goal\":\"x\"}";

		is_int(task_parse(bom, strlen(bom), "t.json", &t, &cause), 0,
		    "UTF-8 BOM skipped");
		task_free(t);
		t = NULL;
	}
	is_int(task_load("/nonexistent/x.json", &t, &cause), ERR_IO,
	    "missing file");
	is_str(cause, "/nonexistent/x.json: No such file or directory",
	    "missing file: message");
	free(cause);
	cause = NULL;
	is_int(task_load(TASKS, &t, &cause), ERR_IO, "directory");
	is_str(cause, TASKS ": not a regular file", "directory: message");
	free(cause);
}

static void
test_fields(void)
{
	regex_t re;
	char ebuf[160], *want;

#define SU	"\"start_url\":\"http://a/\""
	parse_err("{\"goal\":\"x\"}", ERR_INVALID, "t.json: start_url: missing",
	    "missing start_url");
	parse_err("{" SU "}", ERR_INVALID, "t.json: goal: missing (give goal, "
	    "goal_js, steps or actions)", "missing goal");
	parse_err("{" SU ",\"goal\":\"x\",\"colour\":1}", ERR_INVALID,
	    "t.json: colour: unknown field", "unknown top-level field");
	parse_err("{" SU ",\"goal\":\"x\",\"viewport\":{\"width\":800,"
	    "\"height\":600,\"depth\":3}}", ERR_INVALID,
	    "t.json: viewport.depth: unknown field", "unknown viewport field");
	parse_err("{" SU ",\"goal\":\"x\",\"success\":[{\"text_presnt\":"
	    "\"a\"}]}", ERR_INVALID, "t.json: success[0].text_presnt: unknown "
	    "check (expected url_matches, text_present, element_present or "
	    "js)", "unknown check");
	parse_err("{" SU ",\"actions\":[{\"op\":\"back\"},{\"op\":\"click\","
	    "\"mark\":1,\"colour\":2}]}", ERR_INVALID,
	    "t.json: actions[1].colour: unknown field", "unknown action field");
	parse_err("{" SU ",\"actions\":[{\"op\":\"back\"},{\"op\":\"jump\"}]}",
	    ERR_INVALID, "t.json: actions[1].op: unknown operation \"jump\"",
	    "unknown action op");
	parse_err("{" SU ",\"goal\":\"x\",\"vars\":{\"A\":{\"value\":\"1\","
	    "\"secrt\":true}}}", ERR_INVALID, "t.json: vars.A.secrt: unknown "
	    "field", "unknown var field");

	/* Types. */
	parse_err("{" SU ",\"goal\":\"x\",\"name\":3}", ERR_INVALID,
	    "t.json: name: must be a non-empty string", "name not a string");
	parse_err("{" SU ",\"goal\":\"x\",\"name\":\"a\\nb\"}", ERR_INVALID,
	    "t.json: name: must not contain control characters",
	    "name with a newline");
	parse_err("{" SU ",\"goal\":\"\"}", ERR_INVALID,
	    "t.json: goal: must be a non-empty string", "empty goal");
	parse_err("{" SU ",\"goal\":[\"x\"]}", ERR_INVALID,
	    "t.json: goal: must be a non-empty string", "goal as an array");
	parse_err("{\"start_url\":5,\"goal\":\"x\"}", ERR_INVALID,
	    "t.json: start_url: must be a non-empty string",
	    "start_url not a string");
	parse_err("{" SU ",\"goal\":\"x\",\"max_steps\":\"5\"}", ERR_INVALID,
	    "t.json: max_steps: must be an integer from 1 to 500",
	    "max_steps as a string");
	parse_err("{" SU ",\"steps\":\"do it\"}", ERR_INVALID,
	    "t.json: steps: must be an array", "steps not an array");
	parse_err("{" SU ",\"steps\":[\"a\",7]}", ERR_INVALID,
	    "t.json: steps[1]: must be a non-empty string",
	    "step not a string");
	parse_err("{" SU ",\"steps\":[\"a\",\"\"]}", ERR_INVALID,
	    "t.json: steps[1]: must be a non-empty string", "empty step");
	parse_err("{" SU ",\"steps\":[]}", ERR_INVALID,
	    "t.json: steps: must not be empty", "no steps");
	parse_err("{" SU ",\"actions\":[]}", ERR_INVALID,
	    "t.json: actions: must not be empty", "no actions");
	parse_err("{" SU ",\"actions\":[\"CLICK [1]\"]}", ERR_INVALID,
	    "t.json: actions[0]: must be an object", "action not an object");
	parse_err("{" SU ",\"goal\":\"x\",\"success\":{\"js\":\"1\"}}",
	    ERR_INVALID, "t.json: success: must be an array",
	    "success not an array");
	parse_err("{" SU ",\"goal\":\"x\",\"success\":[\"x\"]}", ERR_INVALID,
	    "t.json: success[0]: must be an object", "check not an object");
	parse_err("{" SU ",\"goal\":\"x\",\"fail\":[{}]}", ERR_INVALID,
	    "t.json: fail[0]: empty check (give one of url_matches, "
	    "text_present, element_present or js)", "empty check");
	parse_err("{" SU ",\"goal\":\"x\",\"fail\":[{\"js\":\"1\"},"
	    "{\"url_matches\":\"a\",\"js\":\"1\"}]}", ERR_INVALID,
	    "t.json: fail[1]: one check per object (found url_matches and js)",
	    "two checks in one object");
	parse_err("{" SU ",\"goal\":\"x\",\"success\":[{\"text_present\":3}]}",
	    ERR_INVALID, "t.json: success[0].text_present: must be a non-empty "
	    "string", "check argument not a string");
	parse_err("{" SU ",\"goal\":\"x\",\"viewport\":5}", ERR_INVALID,
	    "t.json: viewport: must be an object with width and height",
	    "viewport not an object");
	parse_err("{" SU ",\"goal\":\"x\",\"viewport\":{\"width\":800}}",
	    ERR_INVALID, "t.json: viewport.height: missing",
	    "viewport without height");
	parse_err("{" SU ",\"goal\":\"x\",\"vars\":[]}", ERR_INVALID,
	    "t.json: vars: must be an object", "vars not an object");
	parse_err("{" SU ",\"goal\":\"x\",\"vars\":{\"A\":5}}", ERR_INVALID,
	    "t.json: vars.A: must be a string or an object",
	    "var not a string");
	parse_err("{" SU ",\"goal\":\"x\",\"vars\":{\"A\":{\"secret\":true}}}",
	    ERR_INVALID, "t.json: vars.A: missing value or value_env",
	    "var without value");
	parse_err("{" SU ",\"goal\":\"x\",\"vars\":{\"A\":{\"value\":\"1\","
	    "\"value_env\":\"HOME\"}}}", ERR_INVALID, "t.json: vars.A: give "
	    "value or value_env, not both", "var with both values");
	parse_err("{" SU ",\"goal\":\"x\",\"vars\":{\"A\":{\"value\":\"1\","
	    "\"secret\":\"yes\"}}}", ERR_INVALID, "t.json: vars.A.secret: must "
	    "be true or false", "secret not a boolean");
	parse_err("{" SU ",\"goal\":\"x\",\"vars\":{\"1A\":\"x\"}}",
	    ERR_INVALID,
	    "t.json: vars: invalid variable name \"1A\" (letters, digits and "
	    "_, not starting with a digit)", "bad var name");
	parse_err("{" SU ",\"goal\":\"x\",\"allowed_schemes\":[\"ftp\"]}",
	    ERR_INVALID, "t.json: allowed_schemes[0]: unknown scheme \"ftp\" "
	    "(expected file, data or chrome)", "unknown scheme");
	parse_err("{" SU ",\"goal\":\"x\",\"allowed_schemes\":[\"file\","
	    "\"JavaScript\"]}", ERR_INVALID, "t.json: allowed_schemes[1]: "
	    "javascript: URLs are never allowed", "javascript scheme");
	parse_err("{" SU ",\"goal\":\"x\",\"allowed_schemes\":[\"https\"]}",
	    ERR_INVALID, "t.json: allowed_schemes[0]: https is always allowed "
	    "(for the hosts in allowed_domains); list only file, data or "
	    "chrome", "https scheme");
	parse_err("{" SU ",\"goal\":\"x\",\"goal\":\"y\"}", ERR_INVALID,
	    "t.json: goal: duplicate field", "duplicate top-level field");
	parse_err("{" SU ",\"goal\":\"x\",\"success\":[{\"js\":\"1\",\"js\":"
	    "\"2\"}]}", ERR_INVALID, "t.json: success[0].js: duplicate field",
	    "duplicate nested field");

	/* Ranges. */
	parse_err("{" SU ",\"goal\":\"x\",\"max_steps\":0}", ERR_INVALID,
	    "t.json: max_steps: must be an integer from 1 to 500",
	    "max_steps 0");
	parse_err("{" SU ",\"goal\":\"x\",\"max_steps\":501}", ERR_INVALID,
	    "t.json: max_steps: must be an integer from 1 to 500",
	    "max_steps 501");
	parse_err("{" SU ",\"goal\":\"x\",\"max_steps\":2.5}", ERR_INVALID,
	    "t.json: max_steps: must be an integer from 1 to 500",
	    "max_steps 2.5");
	parse_err("{" SU ",\"goal\":\"x\",\"step_timeout_ms\":99}",
	    ERR_INVALID, "t.json: step_timeout_ms: must be an integer from 100 "
	    "to 600000", "step_timeout_ms 99");
	parse_err("{" SU ",\"goal\":\"x\",\"timeout_ms\":86400001}",
	    ERR_INVALID, "t.json: timeout_ms: must be an integer from 1000 to "
	    "86400000", "timeout_ms too long");
	parse_err("{" SU ",\"goal\":\"x\",\"viewport\":{\"width\":99,"
	    "\"height\":600}}", ERR_INVALID, "t.json: viewport.width: must be "
	    "an integer from 100 to 4096", "viewport too narrow");
	parse_err("{" SU ",\"goal\":\"x\",\"viewport\":{\"width\":800,"
	    "\"height\":4097}}", ERR_INVALID, "t.json: viewport.height: must "
	    "be an integer from 100 to 4096", "viewport too tall");
	parse_err("{" SU ",\"goal\":\"x\",\"timeout_ms\":1000,"
	    "\"step_timeout_ms\":5000}", ERR_INVALID,
	    "t.json: step_timeout_ms: 5000 is longer than timeout_ms (1000)",
	    "step longer than task");
	parse_err("{" SU ",\"max_steps\":1,\"actions\":[{\"op\":\"back\"},"
	    "{\"op\":\"done\"}]}", ERR_INVALID, "t.json: max_steps: 1 is fewer "
	    "than the 2 actions", "max_steps below actions");

	/* Modes. */
	parse_err("{" SU ",\"goal\":\"x\",\"goal_js\":\"'y'\"}", ERR_INVALID,
	    "t.json: goal_js: cannot be combined with goal",
	    "goal and goal_js");
	parse_err("{" SU ",\"steps\":[\"a\"],\"actions\":[{\"op\":\"done\"}]}",
	    ERR_INVALID, "t.json: actions: cannot be combined with steps",
	    "steps and actions");
	parse_err("{" SU ",\"goal_js\":\"'y'\",\"steps\":[\"a\"]}",
	    ERR_INVALID, "t.json: goal_js: only in goal mode, without steps or "
	    "actions", "goal_js with steps");

	/* Regular expressions. */
	memset(ebuf, 0, sizeof(ebuf));
	if (regcomp(&re, "(unclosed", REG_EXTENDED | REG_NOSUB) != 0)
		(void)regerror(regcomp(&re, "(unclosed", REG_EXTENDED |
		    REG_NOSUB), &re, ebuf, sizeof(ebuf));
	else
		regfree(&re);
	if (asprintf(&want, "t.json: success[1].url_matches: invalid regular "
	    "expression: %s", ebuf) == -1)
		abort();
	parse_err("{" SU ",\"goal\":\"x\",\"success\":[{\"url_matches\":\"a\"},"
	    "{\"url_matches\":\"(unclosed\"}]}", ERR_INVALID, want,
	    "bad regex");
	free(want);

	/* Variables. */
	parse_err("{" SU ",\"goal\":\"hi ${WHO}\"}", ERR_INVALID,
	    "t.json: goal: unknown variable ${WHO}", "unknown var in goal");
	parse_err("{" SU ",\"steps\":[\"a\",\"b ${X}\"]}", ERR_INVALID,
	    "t.json: steps[1]: unknown variable ${X}", "unknown var in a step");
	parse_err("{" SU ",\"actions\":[{\"op\":\"type\",\"mark\":1,\"value\":"
	    "\"${X}\"}]}", ERR_INVALID, "t.json: actions[0].value: unknown "
	    "variable ${X}", "unknown var in an action");
	parse_err("{" SU ",\"actions\":[{\"op\":\"click\",\"text\":\"${T}\"}]}",
	    ERR_INVALID, "t.json: actions[0].text: unknown variable ${T}",
	    "unknown var in a target");
	parse_err("{" SU ",\"goal\":\"x\",\"success\":[{\"text_present\":"
	    "\"${Y}\"}]}", ERR_INVALID, "t.json: success[0].text_present: "
	    "unknown variable ${Y}", "unknown var in a check");
	parse_err("{\"start_url\":\"${BASE}/\",\"goal\":\"x\"}", ERR_INVALID,
	    "t.json: start_url: unknown variable ${BASE}",
	    "unknown var in start_url");
	parse_err("{" SU ",\"goal\":\"a ${1X} b\"}", ERR_INVALID,
	    "t.json: goal: malformed variable reference \"${1X} b\" (write $${ "
	    "for a literal ${)", "malformed reference");
	parse_err("{" SU ",\"goal\":\"a ${X\"}", ERR_INVALID,
	    "t.json: goal: malformed variable reference \"${X\" (write $${ for "
	    "a literal ${)", "unterminated reference");

	/* URLs in the task. */
	parse_err("{\"start_url\":\"ftp://a/\",\"goal\":\"x\"}", ERR_INVALID,
	    "t.json: start_url: must be an http, https, file or data URL",
	    "ftp start_url");
	parse_err("{\"start_url\":\"javascript:alert(1)\",\"goal\":\"x\"}",
	    ERR_INVALID, "t.json: start_url: must be an http, https, file or "
	    "data URL", "javascript start_url");
	parse_err("{\"start_url\":\"index.html\",\"goal\":\"x\"}", ERR_INVALID,
	    "t.json: start_url: invalid URL: not an absolute URL",
	    "relative start_url");
	parse_err("{\"start_url\":\"http://:8080/x\",\"goal\":\"x\"}",
	    ERR_INVALID,
	    "t.json: start_url: invalid URL: empty host", "start_url no host");
	parse_err("{\"start_url\":\"https://\",\"goal\":\"x\"}", ERR_INVALID,
	    "t.json: start_url: invalid URL: empty host",
	    "start_url only a scheme");
	parse_err("{\"start_url\":\"file:///tmp/x.html\",\"goal\":\"x\"}",
	    ERR_INVALID, "t.json: start_url: scheme file: is not in "
	    "allowed_schemes", "file start_url without allowed_schemes");
	parse_err("{\"start_url\":\"http://127.0.0.1/\",\"goal\":\"x\","
	    "\"allowed_domains\":[\"example.com\"]}", ERR_INVALID,
	    "t.json: start_url: host 127.0.0.1 (port 80) is not in "
	    "allowed_domains", "start_url outside allowed_domains");
	parse_err("{" SU ",\"actions\":[{\"op\":\"back\"},{\"op\":\"navigate\","
	    "\"url\":\"http://evil.com/\"}]}", ERR_INVALID, "t.json: "
	    "actions[1].url: host evil.com is not the start URL's host; list "
	    "it in allowed_domains", "navigate outside the allowlist");
	parse_err("{" SU ",\"goal\":\"x\",\"allowed_domains\":["
	    "\"http://a.com\"]}", ERR_INVALID, "t.json: allowed_domains[0]: "
	    "invalid host pattern \"http://a.com\": write a host, *.host or "
	    "host:port, without scheme or path", "pattern with scheme");
	parse_err("{" SU ",\"goal\":\"x\",\"allowed_domains\":"
	    "[\"a\",\"a*.com\"]}", ERR_INVALID, "t.json: allowed_domains[1]: "
	    "invalid host pattern \"a*.com\": a wildcard is only allowed as a "
	    "leading \"*.\"",
	    "inner wildcard");
	parse_err("{" SU ",\"goal\":\"x\",\"allowed_domains\":"
	    "[\"*.10.0.0.1\"]}", ERR_INVALID, "t.json: allowed_domains[0]: "
	    "invalid host pattern \"*.10.0.0.1\": a wildcard cannot apply to "
	    "an IP address",
	    "wildcard IP");
	parse_err("{" SU ",\"goal\":\"x\",\"allowed_domains\":[\"a.com:0\"]}",
	    ERR_INVALID, "t.json: allowed_domains[0]: invalid host pattern "
	    "\"a.com:0\": invalid port", "port 0");
	parse_err("{" SU ",\"goal\":\"x\",\"allowed_domains\":"
	    "[\"a.com:70000\"]}", ERR_INVALID, "t.json: allowed_domains[0]: "
	    "invalid host pattern \"a.com:70000\": invalid port",
	    "port too big");
	parse_err("{" SU ",\"goal\":\"x\",\"allowed_domains\":[\"b\xc3\xbc"
	    "cher.de\"]}", ERR_INVALID, "t.json: allowed_domains[0]: invalid "
	    "host pattern \"b\xc3\xbc" "cher.de\": non-ASCII host names are "
	    "not supported (use the punycode form)", "IDN pattern");
#undef SU
}

/* task_url_allowed(t, url) is want (0 or ERR_DENIED). */
static void
url_case(const struct task *t, const char *url, int want, const char *wcause)
{
	char *cause = NULL;

	is_int(task_url_allowed(t, url, &cause), want, "%s %s", want == 0 ?
	    "allowed:" : "denied:", url);
	if (wcause != NULL)
		is_str(cause, wcause, "cause for %s", url);
	free(cause);
}

static void
test_allowlist(void)
{
	struct task *t;

	t = parse_ok("{\"start_url\":\"http://127.0.0.1:8765/index.html\","
	    "\"goal\":\"x\"}", "default allowlist");
	if (t != NULL) {
		url_case(t, "http://127.0.0.1:8765/x", 0, NULL);
		url_case(t, "http://127.0.0.1:9000/", 0, NULL);
		url_case(t, "https://127.0.0.1/", 0, NULL);
		url_case(t, "HTTP://127.0.0.1/", 0, NULL);
		url_case(t, "http://evil.com@127.0.0.1/", 0, NULL);
		url_case(t, "http://a@b@127.0.0.1:8765/", 0, NULL);
		url_case(t, "http://127.0.0.1@evil.com/", ERR_DENIED,
		    "host evil.com is not the start URL's host; list it in "
		    "allowed_domains");
		url_case(t, "http://127.0.0.1.evil.com/", ERR_DENIED,
		    "host 127.0.0.1.evil.com is not the start URL's host; list "
		    "it in allowed_domains");
		url_case(t, "http://127.0.0.1%2eevil.com/", ERR_DENIED, NULL);
		url_case(t, "http://%31%32%37.0.0.1/", 0, NULL);
		url_case(t, "http://127.1:8765/", 0, NULL);
		url_case(t, "http://0x7f000001/", 0, NULL);
		url_case(t, "http://2130706433/", 0, NULL);
		url_case(t, "http://0177.0.0.1/", 0, NULL);
		url_case(t, "http://127.0.0.1./", 0, NULL);
		url_case(t, "http://127.0.0.256/", ERR_DENIED,
		    "\"http://127.0.0.256/\": invalid IPv4 address");
		url_case(t, "http://1.127.0.0.1/", ERR_DENIED,
		    "\"http://1.127.0.0.1/\": invalid IPv4 address");
		url_case(t, "http://127.0.0.1:8765\\@evil.com/", 0, NULL);
		url_case(t, "http:/\\evil.com/", ERR_DENIED, NULL);
		url_case(t, "http:evil.com", ERR_DENIED, NULL);
		url_case(t, "  http://evil.com", ERR_DENIED, NULL);
		url_case(t, "http://evil\t.com", ERR_DENIED,
		    "host evil.com is not the start URL's host; list it in "
		    "allowed_domains");
		url_case(t, "http://localhost:8765/", ERR_DENIED, NULL);
		url_case(t, "http://[::1]:8765/", ERR_DENIED, NULL);
		url_case(t, "http://127.0.0.1:99999/", ERR_DENIED,
		    "\"http://127.0.0.1:99999/\": invalid port");
		url_case(t, "http://exa mple.com/", ERR_DENIED,
		    "\"http://exa mple.com/\": invalid character in host");
		url_case(t, "http://b\xc3\xbc" "cher.de/", ERR_DENIED,
		    "\"http://b\xc3\xbc" "cher.de/\": non-ASCII host names are "
		    "not supported (use the punycode form)");
		url_case(t, "about:blank", 0, NULL);
		url_case(t, "about:blank#top", 0, NULL);
		url_case(t, "ABOUT:blank", 0, NULL);
		url_case(t, "about:config", ERR_DENIED,
		    "\"about:config\": only about:blank is allowed among "
		    "about: pages");
		url_case(t, "javascript:alert(1)", ERR_DENIED,
		    "javascript: URLs are never allowed");
		url_case(t, "JavaScript:alert(1)", ERR_DENIED,
		    "javascript: URLs are never allowed");
		url_case(t, " java\tscript:alert(1)", ERR_DENIED,
		    "javascript: URLs are never allowed");
		url_case(t, "data:text/html,<p>x", ERR_DENIED,
		    "scheme data: is not in allowed_schemes");
		url_case(t, "file:///etc/passwd", ERR_DENIED,
		    "scheme file: is not in allowed_schemes");
		url_case(t, "chrome://settings", ERR_DENIED,
		    "scheme chrome: is not in allowed_schemes");
		url_case(t, "ftp://127.0.0.1/", ERR_DENIED,
		    "scheme ftp: is not allowed");
		url_case(t, "blob:http://127.0.0.1/x", ERR_DENIED,
		    "scheme blob: is not allowed");
		url_case(t, "index.html", ERR_DENIED,
		    "\"index.html\": not an absolute URL");
		url_case(t, "", ERR_DENIED, "\"\": not an absolute URL");
		is_int(task_url_allowed(t, "http://evil.com/", NULL),
		    ERR_DENIED, "causep may be NULL");
	}
	task_free(t);

	t = parse_ok("{\"start_url\":\"https://example.com/\",\"goal\":\"x\","
	    "\"allowed_domains\":[\"example.com\",\"*.test.org\","
	    "\"127.0.0.1:8080\",\"[::1]:9000\",\"secure.net:443\"],"
	    "\"allowed_schemes\":[\"file\",\"data\"]}", "allowlist");
	if (t != NULL) {
		is_str(t->allowed_domains[3], "[::1]:9000", "IPv6 pattern");
		url_case(t, "https://example.com/", 0, NULL);
		url_case(t, "https://EXAMPLE.COM./", 0, NULL);
		url_case(t, "HTTP://EXAMPLE.COM./", 0, NULL);
		url_case(t, "https://www.example.com/", 0, NULL);
		url_case(t, "https://a.b.example.com:8443/", 0, NULL);
		url_case(t, "https://example.com.evil.org/", ERR_DENIED,
		    "host example.com.evil.org (port 443) is not in "
		    "allowed_domains");
		url_case(t, "https://notexample.com/", ERR_DENIED, NULL);
		url_case(t, "https://test.org/", ERR_DENIED, NULL);
		url_case(t, "https://a.test.org/", 0, NULL);
		url_case(t, "https://a.b.test.org/", 0, NULL);
		url_case(t, "http://127.0.0.1:8080/", 0, NULL);
		url_case(t, "http://127.0.0.1/", ERR_DENIED,
		    "host 127.0.0.1 (port 80) is not in allowed_domains");
		url_case(t, "http://x.127.0.0.1:8080/", ERR_DENIED, NULL);
		url_case(t, "http://[0:0::1]:9000/", 0, NULL);
		url_case(t, "http://[::1]:9001/", ERR_DENIED, NULL);
		url_case(t, "https://secure.net/", 0, NULL);
		url_case(t, "http://secure.net/", ERR_DENIED, NULL);
		url_case(t, "file:///tmp/x.html", 0, NULL);
		url_case(t, "data:text/plain,hi", 0, NULL);
		url_case(t, "chrome://version", ERR_DENIED, NULL);
		url_case(t, "javascript:void(0)", ERR_DENIED, NULL);
	}
	task_free(t);
}

/* The shipped examples load, in the mode each is meant to show. */
static void
test_examples(void)
{
	static const struct {
		const char	*file;
		enum task_mode	 mode;
		int		 nfail;
	} ex[] = {
		{ "search.json", TASK_GOAL, 1 },
		{ "login.json", TASK_GOAL, 2 },
		{ "checkout.json", TASK_STEPS, 0 },
		{ "scripted.json", TASK_ACTIONS, 0 },
		{ "newsletter.json", TASK_GOAL, 1 },
		{ "filters.json", TASK_GOAL, 0 },
	};
	const char *names[] = { "BASE" }, *values[] = { "http://127.0.0.1:1" };
	struct task *t;
	char *path, *cause, *s;
	size_t i;
	int r;

	for (i = 0; i < sizeof(ex) / sizeof(ex[0]); i++) {
		t = NULL;
		cause = NULL;
		if (asprintf(&path, WEBNAV_SRCDIR "/examples/%s",
		    ex[i].file) == -1)
			abort();
		r = task_load_vars(path, names, values, 1, &t, &cause);
		is_int(r, 0, "examples/%s loads", ex[i].file);
		if (r != 0)
			note("cause: %s", cause);
		if (t != NULL) {
			is_int(t->mode, ex[i].mode, "examples/%s mode",
			    ex[i].file);
			ok(strncmp(t->start_url, "http://127.0.0.1:1/", 19) == 0,
			    "examples/%s starts on ${BASE}", ex[i].file);
			ok(t->nsuccess > 0, "examples/%s has success checks",
			    ex[i].file);
			is_int(t->nfail, ex[i].nfail, "examples/%s fail checks",
			    ex[i].file);
		}
		if (t != NULL && strcmp(ex[i].file, "login.json") == 0) {
			s = task_redact(t, t->goal);
			ok(strstr(s, "trail-mix-42") == NULL &&
			    strstr(t->goal, "trail-mix-42") != NULL,
			    "examples/login.json: password is secret");
			free(s);
		}
		task_free(t);
		free(cause);
		free(path);
	}
}

int
main(void)
{
	test_goal();
	test_steps();
	test_actions();
	test_goal_js();
	test_secrets();
	test_bad_json();
	test_fields();
	test_allowlist();
	test_examples();
	return done_testing();
}
