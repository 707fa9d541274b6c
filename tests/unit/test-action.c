/* test-action.c: the text and JSON forms of actions. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "action.h"
#include "err.h"
#include "tap.h"

/* Parses s; on success checks op, mark and the string field. */
static void
parse_ok(const char *s, enum action_op op, int mark, const char *value,
    const char *key, const char *name)
{
	struct action a;
	char *cause = NULL;
	int r;

	r = action_parse_text(s, &a, &cause);
	is_int(r, 0, "%s: parses", name);
	if (r != 0) {
		note("cause: %s", cause != NULL ? cause : "(null)");
		free(cause);
		return;
	}
	ok(cause == NULL, "%s: no cause on success", name);
	is_int(a.op, op, "%s: op", name);
	is_int(a.mark, mark, "%s: mark", name);
	is_str(a.value, value, "%s: value", name);
	is_str(a.key, key, "%s: key", name);
	action_clear(&a);
}

/* Parsing s fails with exactly cause want. */
static void
parse_err(const char *s, const char *want, const char *name)
{
	struct action a;
	char *cause = NULL;

	is_int(action_parse_text(s, &a, &cause), ERR_PARSE, "%s: refused",
	    name);
	is_str(cause, want, "%s: cause", name);
	is_int(a.op, ACT_NONE, "%s: action left empty", name);
	free(cause);
}

static void
test_parse(void)
{
	struct action a;
	char *cause = NULL;

	parse_ok("CLICK [12]", ACT_CLICK, 12, NULL, NULL, "click");
	parse_ok("I will click the button. CLICK [12]", ACT_CLICK, 12, NULL,
	    NULL, "prose before");
	parse_ok("```\nTYPE [5] \"John Smith\"\n```", ACT_TYPE, 5,
	    "John Smith", NULL, "code fence");
	parse_ok("type [5] \"a \\\"quoted\\\" word\"", ACT_TYPE, 5,
	    "a \"quoted\" word", NULL, "escaped quotes, lower case");
	parse_ok("TYPE [5] \"back\\\\slash\"", ACT_TYPE, 5, "back\\slash",
	    NULL, "escaped backslash");
	parse_ok("TYPE [5] \"line\\nbreak\"", ACT_TYPE, 5, "line\nbreak",
	    NULL, "escaped newline");
	parse_ok("TYPE [5] \"\"", ACT_TYPE, 5, "", NULL, "empty value clears");
	parse_ok("SELECT [7] \"Blue\"", ACT_SELECT, 7, "Blue", NULL,
	    "select");
	parse_ok("PRESS Enter", ACT_PRESS, 0, NULL, "Enter", "press");
	parse_ok("PRESS Ctrl+A", ACT_PRESS, 0, NULL, "Ctrl+a",
	    "press with modifier");
	parse_ok("PRESS enter.", ACT_PRESS, 0, NULL, "Enter",
	    "key name case and trailing period");
	parse_ok("PRESS esc", ACT_PRESS, 0, NULL, "Escape", "key alias");
	parse_ok("PRESS shift+tab", ACT_PRESS, 0, NULL, "Shift+Tab",
	    "shift+tab");
	parse_ok("PRESS Shift+ctrl+K", ACT_PRESS, 0, NULL, "Ctrl+Shift+k",
	    "modifiers in canonical order");
	parse_ok("PRESS Cmd+a", ACT_PRESS, 0, NULL, "Meta+a", "cmd is meta");
	parse_ok("PRESS Ctrl++", ACT_PRESS, 0, NULL, "Ctrl++", "plus key");
	parse_ok("PRESS \"ArrowDown\"", ACT_PRESS, 0, NULL, "ArrowDown",
	    "quoted key");
	parse_ok("PRESS x", ACT_PRESS, 0, NULL, "x", "one character");
	parse_ok("SCROLL down", ACT_SCROLL, 0, NULL, NULL, "scroll down");
	parse_ok("DONE", ACT_DONE, 0, NULL, NULL, "done");
	parse_ok("BACK", ACT_BACK, 0, NULL, NULL, "back");
	parse_ok("HOVER [3]", ACT_HOVER, 3, NULL, NULL, "hover");
	parse_ok("NAVIGATE \"http://x\"", ACT_NAVIGATE, 0, "http://x", NULL,
	    "navigate");
	parse_ok("Next: NAVIGATE http://127.0.0.1:8080/a?b=c.", ACT_NAVIGATE,
	    0, "http://127.0.0.1:8080/a?b=c", NULL, "bare URL");
	parse_ok("**CLICK [4]**", ACT_CLICK, 4, NULL, NULL, "bold");
	parse_ok("Action: `SELECT [2] \"Red\"`", ACT_SELECT, 2, "Red", NULL,
	    "inline code");
	parse_ok("TYPE [3] \xe2\x80\x9chello\xe2\x80\x9d", ACT_TYPE, 3,
	    "hello", NULL, "curly quotes");
	parse_ok("TYPE [3] 'it\\'s'", ACT_TYPE, 3, "it's", NULL,
	    "single quotes");
	parse_ok("TYPE [3] hello world  \nmore", ACT_TYPE, 3, "hello world",
	    NULL, "bare value to end of line");
	parse_ok("CLICK 12", ACT_CLICK, 12, NULL, NULL,
	    "mark without brackets");
	parse_ok("CLICK [ 9 ]", ACT_CLICK, 9, NULL, NULL, "spaces in brackets");
	parse_ok("CLICK: [9]", ACT_CLICK, 9, NULL, NULL, "colon after op");
	parse_ok("Click [8]", ACT_CLICK, 8, NULL, NULL, "mixed case op");
	parse_ok("I'll go back and click it. CLICK [2]", ACT_CLICK, 2, NULL,
	    NULL, "upper case wins over prose words");
	parse_ok("First I click [3] to open it", ACT_CLICK, 3, NULL, NULL,
	    "lower case action in prose");
	parse_ok("The task is complete.\nDONE", ACT_DONE, 0, NULL, NULL,
	    "done after prose");
	parse_ok("WAIT 500", ACT_WAIT, 0, NULL, NULL, "wait");

	memset(&a, 0, sizeof(a));
	is_int(action_parse_text("SCROLL UP", &a, NULL), 0, "scroll up parses");
	is_int(a.dir, -1, "SCROLL UP is up");
	action_clear(&a);
	is_int(action_parse_text("SCROLL down", &a, NULL), 0, "scroll down");
	is_int(a.dir, 1, "SCROLL down is down");
	action_clear(&a);
	is_int(action_parse_text("TYPE [5] \"x\" SUBMIT", &a, NULL), 0,
	    "type with submit");
	ok(a.submit, "SUBMIT sets submit");
	action_clear(&a);
	is_int(action_parse_text("TYPE [5] \"x\"", &a, NULL), 0, "type");
	ok(!a.submit, "no SUBMIT, no submit");
	action_clear(&a);
	is_int(action_parse_text("CLICK [3]", &a, &cause), 0,
	    "causep may be given");
	action_clear(&a);

	parse_err("JUMP [3]", "no action found in \"JUMP [3]\" (expected "
	    "CLICK [N], TYPE [N] \"text\", SELECT [N] \"option\", HOVER [N], "
	    "PRESS key, SCROLL up|down, BACK, NAVIGATE \"url\" or DONE)",
	    "unknown op");
	parse_err("", "no action found in \"\" (expected CLICK [N], TYPE [N] "
	    "\"text\", SELECT [N] \"option\", HOVER [N], PRESS key, SCROLL "
	    "up|down, BACK, NAVIGATE \"url\" or DONE)", "empty reply");
	parse_err("CLICK the button", "click: expected a mark number in "
	    "brackets, like [12] in \"CLICK the button\"",
	    "click without mark");
	parse_err("TYPE [5]", "type: expected a quoted value in \"TYPE [5]\"",
	    "type without value");
	parse_err("TYPE [5] \"John", "type: unterminated quoted string in "
	    "\"TYPE [5] \\\"John\"", "unterminated quote");
	parse_err("SELECT [2] \"\"", "select: SELECT needs a non-empty option "
	    "in \"SELECT [2] \\\"\\\"\"", "empty option");
	parse_err("SCROLL sideways", "scroll: expected up or down in "
	    "\"SCROLL sideways\"", "bad scroll direction");
	parse_err("CLICK [0]", "click: mark numbers start at 1 in "
	    "\"CLICK [0]\"", "mark 0");
	parse_err("CLICK [12", "click: expected ] after the mark number in "
	    "\"CLICK [12\"", "unclosed bracket");
	parse_err("NAVIGATE \"\"", "navigate: expected a URL in "
	    "\"NAVIGATE \\\"\\\"\"", "empty URL");
	parse_err("PRESS Foo", "press: unknown key in \"PRESS Foo\"",
	    "unknown key");
	parse_err("PRESS Hyper+a", "press: unknown key in \"PRESS Hyper+a\"",
	    "unknown modifier");
	parse_err("CLICK [99999999]", "click: mark number out of range in "
	    "\"CLICK [99999999]\"", "huge mark");
	parse_err("wait 500", "no action found in \"wait 500\" (expected "
	    "CLICK [N], TYPE [N] \"text\", SELECT [N] \"option\", HOVER [N], "
	    "PRESS key, SCROLL up|down, BACK, NAVIGATE \"url\" or DONE)",
	    "scripted op only in upper case");
	parse_err("I clicked it and\n\n  typed   the name",
	    "no action found in \"I clicked it and typed the name\" (expected "
	    "CLICK [N], TYPE [N] \"text\", SELECT [N] \"option\", HOVER [N], "
	    "PRESS key, SCROLL up|down, BACK, NAVIGATE \"url\" or DONE)",
	    "whitespace collapsed in the quote");
}

/* Formats a and checks the text, then parses it back to an equal action. */
static void
format_rt(const struct action *a, const char *want, const char *name)
{
	struct action b;
	char *s, *cause = NULL;

	s = action_format(a);
	is_str(s, want, "%s: format", name);
	is_int(action_parse_text(s, &b, &cause), 0, "%s: parses back", name);
	if (cause != NULL)
		note("cause: %s", cause);
	ok(action_equal(a, &b), "%s: round trip is equal", name);
	action_clear(&b);
	free(cause);
	free(s);
}

/* Replaces *f with a copy of v (NULL clears it). */
static void
set(char **f, const char *v)
{
	free(*f);
	*f = v != NULL ? strdup(v) : NULL;
}

static void
test_format(void)
{
	struct action a;

	memset(&a, 0, sizeof(a));
	a.op = ACT_CLICK;
	a.mark = 12;
	format_rt(&a, "CLICK [12]", "click");
	a.op = ACT_HOVER;
	a.mark = 3;
	format_rt(&a, "HOVER [3]", "hover");
	a.op = ACT_TYPE;
	a.mark = 5;
	set(&a.value, "John");
	format_rt(&a, "TYPE [5] \"John\"", "type");
	set(&a.value, "say \"hi\"\\ \n\tthere\x01");
	format_rt(&a, "TYPE [5] \"say \\\"hi\\\"\\\\ \\n\\tthere\\x01\"",
	    "type with characters to escape");
	set(&a.value, "x");
	a.submit = 1;
	format_rt(&a, "TYPE [5] \"x\" SUBMIT", "type with submit");
	a.submit = 0;
	a.op = ACT_SELECT;
	a.mark = 7;
	set(&a.value, "Blue");
	format_rt(&a, "SELECT [7] \"Blue\"", "select");
	action_clear(&a);
	a.op = ACT_PRESS;
	set(&a.key, "Enter");
	format_rt(&a, "PRESS Enter", "press");
	set(&a.key, "Ctrl+a");
	format_rt(&a, "PRESS Ctrl+a", "press with modifier");
	set(&a.key, ":");
	format_rt(&a, "PRESS \":\"", "key : is quoted");
	set(&a.key, "Ctrl+`");
	format_rt(&a, "PRESS \"Ctrl+`\"", "key ` is quoted");
	set(&a.key, "*");
	format_rt(&a, "PRESS \"*\"", "key * is quoted");
	set(&a.key, NULL);
	a.op = ACT_SCROLL;
	a.dir = 1;
	format_rt(&a, "SCROLL down", "scroll down");
	a.dir = -1;
	format_rt(&a, "SCROLL up", "scroll up");
	a.dir = 0;
	a.op = ACT_BACK;
	format_rt(&a, "BACK", "back");
	a.op = ACT_DONE;
	format_rt(&a, "DONE", "done");
	a.op = ACT_NAVIGATE;
	set(&a.value, "http://127.0.0.1:8080/x?a=\"b\"");
	format_rt(&a, "NAVIGATE \"http://127.0.0.1:8080/x?a=\\\"b\\\"\"",
	    "navigate");
	set(&a.value, NULL);
	a.op = ACT_WAIT;
	a.ms = 250;
	format_rt(&a, "WAIT 250", "wait");

	/* Scripted targets are shown, not parsed back. */
	action_clear(&a);
	a.op = ACT_CLICK;
	set(&a.tgt.text, "Sign \"in\"");
	set(&a.tgt.role, "button");
	a.tgt.nth = 1;
	{
		char *s = action_format(&a);

		is_str(s, "CLICK {text=\"Sign \\\"in\\\"\", role=\"button\", "
		    "nth=1}", "scripted target format");
		free(s);
	}
	set(&a.tgt.text, NULL);
	set(&a.tgt.role, NULL);
	a.tgt.nth = 0;
	set(&a.tgt.selector, "#q");
	a.op = ACT_TYPE;
	set(&a.value, "v");
	{
		char *s = action_format(&a);

		is_str(s, "TYPE {selector=\"#q\"} \"v\"",
		    "scripted selector format");
		free(s);
	}
	action_clear(&a);
}

/* Parses JSON text j with allow_target; checks the result or the cause. */
static void
json_case(const char *j, int allow_target, int want_r, const char *want,
    const char *name)
{
	struct action a;
	cJSON *js;
	char *cause = NULL, *s;
	int r;

	if ((js = cJSON_Parse(j)) == NULL) {
		ok(0, "%s: test JSON parses", name);
		return;
	}
	r = action_from_json(js, allow_target, &a, &cause);
	is_int(r, want_r, "%s: result", name);
	if (r == 0) {
		s = action_format(&a);
		is_str(s, want, "%s: parsed as", name);
		free(s);
		action_clear(&a);
	} else
		is_str(cause, want, "%s: cause", name);
	free(cause);
	cJSON_Delete(js);
}

static void
json_rt(const struct action *a, const char *want, int allow_target,
    const char *name)
{
	struct action b;
	cJSON *j;
	char *s, *cause = NULL;

	j = action_to_json(a);
	ok(j != NULL, "%s: to JSON", name);
	s = cJSON_PrintUnformatted(j);
	is_str(s, want, "%s: JSON", name);
	is_int(action_from_json(j, allow_target, &b, &cause), 0,
	    "%s: back from JSON", name);
	if (cause != NULL)
		note("cause: %s", cause);
	ok(action_equal(a, &b), "%s: JSON round trip is equal", name);
	action_clear(&b);
	cJSON_free(s);
	cJSON_Delete(j);
	free(cause);
}

static void
test_json(void)
{
	struct action a;

	json_case("{\"op\":\"click\",\"mark\":12}", 0, 0, "CLICK [12]",
	    "click");
	json_case("{\"op\":\"type\",\"mark\":5,\"value\":\"John\"}", 0, 0,
	    "TYPE [5] \"John\"", "type");
	json_case("{\"op\":\"type\",\"mark\":5,\"value\":\"\",\"submit\":true}",
	    0, 0, "TYPE [5] \"\" SUBMIT", "type empty with submit");
	json_case("{\"op\":\"select\",\"mark\":7,\"value\":\"Blue\"}", 0, 0,
	    "SELECT [7] \"Blue\"", "select");
	json_case("{\"op\":\"press\",\"key\":\"ctrl+A\"}", 0, 0,
	    "PRESS Ctrl+a", "press normalises the key");
	json_case("{\"op\":\"scroll\",\"dir\":\"up\"}", 0, 0, "SCROLL up",
	    "scroll");
	json_case("{\"op\":\"navigate\",\"url\":\"http://x/\"}", 0, 0,
	    "NAVIGATE \"http://x/\"", "navigate");
	json_case("{\"op\":\"done\"}", 0, 0, "DONE", "done");
	json_case("{\"op\":\"back\"}", 0, 0, "BACK", "back");
	json_case("{\"op\":\"hover\",\"mark\":1}", 0, 0, "HOVER [1]", "hover");
	json_case("{\"op\":\"wait\",\"ms\":300}", 1, 0, "WAIT 300",
	    "wait in a task file");
	json_case("{\"op\":\"click\",\"text\":\"Go\",\"role\":\"button\","
	    "\"nth\":2}", 1, 0, "CLICK {text=\"Go\", role=\"button\", nth=2}",
	    "target");
	json_case("{\"op\":\"type\",\"label\":\"Email\",\"value\":\"a@b\"}", 1,
	    0, "TYPE {label=\"Email\"} \"a@b\"", "label target");

	json_case("[1]", 0, ERR_INVALID, "must be a JSON object",
	    "not an object");
	json_case("{\"mark\":1}", 0, ERR_INVALID, "op: missing", "no op");
	json_case("{\"op\":3}", 0, ERR_INVALID, "op: must be a string",
	    "op not a string");
	json_case("{\"op\":\"jump\"}", 0, ERR_INVALID,
	    "op: unknown operation \"jump\"", "unknown op");
	json_case("{\"op\":\"CLICK\",\"mark\":1}", 0, ERR_INVALID,
	    "op: unknown operation \"CLICK\"", "op is lower case");
	json_case("{\"op\":\"wait\",\"ms\":300}", 0, ERR_INVALID,
	    "op: \"wait\" is only allowed in task files", "wait from a model");
	json_case("{\"op\":\"click\"}", 0, ERR_INVALID, "mark: missing",
	    "click without mark");
	json_case("{\"op\":\"click\"}", 1, ERR_INVALID, "mark: missing (give "
	    "mark, or text, role, label or selector)",
	    "click without mark or target");
	json_case("{\"op\":\"click\",\"mark\":0}", 0, ERR_INVALID,
	    "mark: must be an integer from 1 to 1000000", "mark 0");
	json_case("{\"op\":\"click\",\"mark\":1.5}", 0, ERR_INVALID,
	    "mark: must be an integer from 1 to 1000000", "fractional mark");
	json_case("{\"op\":\"click\",\"mark\":\"3\"}", 0, ERR_INVALID,
	    "mark: must be an integer from 1 to 1000000", "mark as a string");
	json_case("{\"op\":\"click\",\"mark\":1,\"value\":\"x\"}", 0,
	    ERR_INVALID, "value: not used by click", "value with click");
	json_case("{\"op\":\"click\",\"mark\":1,\"colour\":\"x\"}", 0,
	    ERR_INVALID, "colour: unknown field", "unknown field");
	json_case("{\"op\":\"click\",\"text\":\"Go\"}", 0, ERR_INVALID,
	    "text: element targets are only allowed in task files; use mark",
	    "target from a model");
	json_case("{\"op\":\"click\",\"mark\":2,\"text\":\"Go\"}", 1,
	    ERR_INVALID, "mark: cannot be combined with text, role, label or "
	    "selector", "mark and target");
	json_case("{\"op\":\"click\",\"mark\":2,\"nth\":1}", 1, ERR_INVALID,
	    "nth: needs text, role, label or selector", "nth alone");
	json_case("{\"op\":\"click\",\"text\":\"\"}", 1, ERR_INVALID,
	    "text: must not be empty", "empty target text");
	json_case("{\"op\":\"type\",\"mark\":5}", 0, ERR_INVALID,
	    "value: missing", "type without value");
	json_case("{\"op\":\"type\",\"mark\":5,\"value\":7}", 0, ERR_INVALID,
	    "value: must be a string", "value not a string");
	json_case("{\"op\":\"type\",\"mark\":5,\"value\":\"x\",\"submit\":1}",
	    0, ERR_INVALID, "submit: must be true or false", "submit not bool");
	json_case("{\"op\":\"select\",\"mark\":5,\"value\":\"\"}", 0,
	    ERR_INVALID, "value: must not be empty", "empty option");
	json_case("{\"op\":\"scroll\",\"dir\":\"left\"}", 0, ERR_INVALID,
	    "dir: must be \"up\" or \"down\"", "bad dir");
	json_case("{\"op\":\"scroll\"}", 0, ERR_INVALID, "dir: missing",
	    "scroll without dir");
	json_case("{\"op\":\"press\",\"key\":\"Hyper\"}", 0, ERR_INVALID,
	    "key: unknown key \"Hyper\" (expected a name such as Enter, Tab, "
	    "Escape, ArrowDown or one character, with Ctrl+, Alt+, Shift+ or "
	    "Meta+)", "unknown key");
	json_case("{\"op\":\"navigate\",\"url\":\"\"}", 0, ERR_INVALID,
	    "url: must not be empty", "empty url");
	json_case("{\"op\":\"navigate\",\"value\":\"http://x\"}", 0,
	    ERR_INVALID, "value: not used by navigate", "navigate takes url");
	json_case("{\"op\":\"wait\",\"ms\":0}", 1, ERR_INVALID,
	    "ms: must be an integer from 1 to 600000", "wait 0");
	json_case("{\"op\":\"done\",\"op\":\"back\"}", 0, ERR_INVALID,
	    "op: duplicate field", "duplicate field");

	memset(&a, 0, sizeof(a));
	a.op = ACT_TYPE;
	a.mark = 4;
	set(&a.value, "hi \"there\"");
	a.submit = 1;
	json_rt(&a, "{\"op\":\"type\",\"mark\":4,\"value\":\"hi \\\"there\\\""
	    "\",\"submit\":true}", 0, "type");
	action_clear(&a);
	a.op = ACT_SCROLL;
	a.dir = -1;
	json_rt(&a, "{\"op\":\"scroll\",\"dir\":\"up\"}", 0, "scroll");
	action_clear(&a);
	a.op = ACT_PRESS;
	set(&a.key, "Shift+Tab");
	json_rt(&a, "{\"op\":\"press\",\"key\":\"Shift+Tab\"}", 0, "press");
	action_clear(&a);
	a.op = ACT_NAVIGATE;
	set(&a.value, "https://example.com/");
	json_rt(&a, "{\"op\":\"navigate\",\"url\":\"https://example.com/\"}",
	    0, "navigate");
	action_clear(&a);
	a.op = ACT_SELECT;
	set(&a.tgt.selector, "select#colour");
	a.tgt.nth = 1;
	set(&a.value, "Red");
	json_rt(&a, "{\"op\":\"select\",\"selector\":\"select#colour\","
	    "\"nth\":1,\"value\":\"Red\"}", 1, "scripted select");
	action_clear(&a);
	a.op = ACT_WAIT;
	a.ms = 1000;
	json_rt(&a, "{\"op\":\"wait\",\"ms\":1000}", 1, "wait");
	action_clear(&a);
	a.op = ACT_DONE;
	json_rt(&a, "{\"op\":\"done\"}", 0, "done");
	action_clear(&a);
}

static void
test_misc(void)
{
	struct action a, b;

	is_str(action_op_name(ACT_CLICK), "click", "op name click");
	is_str(action_op_name(ACT_NAVIGATE), "navigate", "op name navigate");
	is_str(action_op_name(ACT_NONE), "none", "op name none");

	memset(&a, 0, sizeof(a));
	a.op = ACT_TYPE;
	a.mark = 3;
	a.value = strdup("abc");
	a.tgt.label = strdup("Name");
	action_copy(&b, &a);
	ok(b.value != a.value && b.tgt.label != a.tgt.label,
	    "copy is deep");
	ok(action_equal(&a, &b), "copy is equal");
	free(b.value);
	b.value = strdup("abd");
	ok(!action_equal(&a, &b), "different value is not equal");
	action_clear(&b);
	is_int(b.op, ACT_NONE, "clear resets op");
	ok(b.value == NULL && b.tgt.label == NULL, "clear frees strings");
	action_copy(&b, &a);
	b.submit = 1;
	ok(!action_equal(&a, &b), "submit makes a difference");
	action_clear(&b);
	action_clear(&a);
	action_clear(&a);
	ok(1, "clearing twice is harmless");
}

int
main(void)
{
	test_parse();
	test_format();
	test_json();
	test_misc();
	return done_testing();
}
