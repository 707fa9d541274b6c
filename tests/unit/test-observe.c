/*
 * test-observe.c: the parts of agent/observe.c that need no browser:
 * obs_mark_desc(), the "[role] text" description of a mark that the step
 * history keeps and the ranker's features hash (tests/integration/
 * test-observe.c observes real pages).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "observe.h"
#include "tap.h"

/* The buffer model/features.c and model/ranker.c describe marks into. */
#define DESC_BUF	(2 * OBS_TEXT_MAX + 32)

/* A mark with these fields (NULL stays NULL). */
static struct mark
mk(const char *tag, const char *role, const char *text, const char *label)
{
	struct mark m;

	memset(&m, 0, sizeof(m));
	m.id = 1;
	m.tag = (char *)(uintptr_t)tag;
	m.role = (char *)(uintptr_t)role;
	m.text = (char *)(uintptr_t)text;
	m.label = (char *)(uintptr_t)label;
	return m;
}

/* obs_mark_desc() into a buffer of n bytes; returns it (static). */
static const char *
desc(const struct mark *m, size_t n, size_t *lenp)
{
	static char buf[1024];

	memset(buf, 'Z', sizeof(buf));
	*lenp = obs_mark_desc(m, buf, n);
	return buf;
}

static void
test_forms(void)
{
	struct mark m;
	size_t len;

	m = mk("button", "button", "Delete", "Remove row");
	is_str(desc(&m, DESC_BUF, &len), "[button] Delete", "role and text");
	is_int(len, 15, "returns the length");
	m = mk("a", "", "Home", "");
	is_str(desc(&m, DESC_BUF, &len), "[a] Home", "no role: the tag");
	m = mk("div", NULL, "Menu", NULL);
	is_str(desc(&m, DESC_BUF, &len), "[div] Menu", "role NULL: the tag");
	m = mk(NULL, NULL, "Menu", NULL);
	is_str(desc(&m, DESC_BUF, &len), "[] Menu",
	    "role and tag NULL: empty brackets");
	m = mk("input", "textbox", "", "Email");
	is_str(desc(&m, DESC_BUF, &len), "[textbox] Email",
	    "empty text: the label");
	m = mk("input", "textbox", NULL, "Email");
	is_str(desc(&m, DESC_BUF, &len), "[textbox] Email",
	    "text NULL: the label");
	m = mk("input", "textbox", "", "");
	is_str(desc(&m, DESC_BUF, &len), "[textbox] ",
	    "no text, no label: the role and a space");
	is_int(len, 10, "that length");
	m = mk("input", "textbox", NULL, NULL);
	is_str(desc(&m, DESC_BUF, &len), "[textbox] ",
	    "text and label NULL: the same");
	m = mk("button", "button", "Größe wählen €", "");
	is_str(desc(&m, DESC_BUF, &len), "[button] Größe wählen €",
	    "UTF-8 kept whole when it fits");
	is_int(len, strlen("[button] Größe wählen €"), "length in bytes");
}

static void
test_cut(void)
{
	char text[OBS_TEXT_MAX + 1];
	struct mark m;
	const char *d;
	size_t len;

	m = mk("button", "button", "Delete", "");
	d = desc(&m, 6, &len);
	is_str(d, "[butt", "cut at n - 1 bytes");
	is_int(len, 15, "returns the whole length when cut");
	d = desc(&m, 1, &len);
	ok(d[0] == '\0' && d[1] == 'Z', "n 1: empty string, nothing more "
	    "written");
	is_int(obs_mark_desc(&m, NULL, 0), 15, "n 0, buf NULL: the length");
	d = desc(&m, 16, &len);
	is_str(d, "[button] Delete", "exactly fits");
	ok(d[16] == 'Z', "nothing written past n");

	/* The cut is snprintf()'s, byte for byte, even inside a "€". */
	m = mk("button", "button", "ab€", "");
	d = desc(&m, 13, &len);
	ok(strcmp(d, "[button] ab\xe2") == 0 && len == 14,
	    "a cut inside a UTF-8 sequence is snprintf()'s");

	/* The largest mark obs_capture() makes fits the usual buffer. */
	memset(text, 'x', OBS_TEXT_MAX);
	text[OBS_TEXT_MAX] = '\0';
	m = mk("abcdefghijklmnopqrstuvwxyz012345",
	    "abcdefghijklmnopqrstuvwxyz012345", text, text);
	d = desc(&m, DESC_BUF, &len);
	ok(len < DESC_BUF && strlen(d) == len, "a mark at its caps is not "
	    "cut in %d bytes (%zu)", DESC_BUF, len);
}

/*
 * The descriptions agent/loop.c and model/ranker.c built before they
 * called obs_mark_desc(), and model/features.c's mark_desc(): the same
 * bytes for every mark whose fields are set.
 */
static void
test_same_as_before(void)
{
	static const char *const f[][4] = {
		{ "button", "button", "Delete", "" },
		{ "a", "", "Alice Smith", "" },
		{ "input", "textbox", "", "Email address" },
		{ "select", "combobox", "", "" },
		{ "button", "button", "Größe \"XL\" – 30 €", "x" },
		{ "my-widget", "", "", "" },
	};
	char loop_form[DESC_BUF], ranker_form[DESC_BUF], feat_form[DESC_BUF];
	char got[DESC_BUF];
	const struct mark *p;
	struct mark m;
	size_t i;
	int same = 1;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		m = mk(f[i][0], f[i][1], f[i][2], f[i][3]);
		p = &m;
		snprintf(loop_form, sizeof(loop_form), "[%s] %s",
		    p->role[0] ? p->role : p->tag,
		    p->text[0] ? p->text : p->label);
		snprintf(ranker_form, sizeof(ranker_form), "[%s] %s",
		    p->role != NULL && p->role[0] ? p->role : p->tag,
		    p->text != NULL && p->text[0] ? p->text : p->label);
		snprintf(feat_form, sizeof(feat_form), "[%s] %s",
		    p->role != NULL && p->role[0] ? p->role :
		    p->tag != NULL ? p->tag : "",
		    p->text != NULL && p->text[0] ? p->text :
		    p->label != NULL ? p->label : "");
		(void)obs_mark_desc(p, got, sizeof(got));
		if (strcmp(got, loop_form) != 0 ||
		    strcmp(got, ranker_form) != 0 ||
		    strcmp(got, feat_form) != 0) {
			note("differs for %s: \"%s\"", f[i][2], got);
			same = 0;
		}
	}
	ok(same, "byte-identical to the three former descriptions");
}

/* obs_mark_desc_dup(): the whole description, allocated. */
static void
test_dup(void)
{
	char text[OBS_TEXT_MAX + 1];
	struct mark m;
	char *d;

	d = obs_mark_desc_dup(NULL);
	is_str(d, "", "no mark: an empty description");
	free(d);
	m = mk("a", "", "Home", "Go home");
	d = obs_mark_desc_dup(&m);
	is_str(d, "[a] Home", "tag when the role is empty");
	free(d);
	memset(text, 'y', OBS_TEXT_MAX);
	text[OBS_TEXT_MAX] = '\0';
	m = mk("button", "button", text, "");
	d = obs_mark_desc_dup(&m);
	ok(strlen(d) == OBS_TEXT_MAX + 9 && d[OBS_TEXT_MAX + 8] == 'y',
	    "a long text is kept whole (%zu bytes)", strlen(d));
	free(d);
}

/* obs_mark_desc_is() agrees with comparing obs_mark_desc()'s bytes. */
static void
test_is(void)
{
	static const char *const d[] = { "[button] Delete", "[button] Delet",
	    "[button] Delete ", "[button]Delete", "button] Delete",
	    "[link] Delete", "[button] Save", "[a] Home", "[a] Go home",
	    "[] ", "[", "", "[button] ", "[button]" };
	struct mark ms[5];
	char want[DESC_BUF];
	size_t i, j, bad = 0, hits = 0;
	int is, exp;

	ms[0] = mk("button", "button", "Delete", "");
	ms[1] = mk("a", "", "Home", "Go home");
	ms[2] = mk("a", "", "", "Go home");
	ms[3] = mk(NULL, NULL, NULL, NULL);
	ms[4] = mk("button", "button", "", "");
	for (i = 0; i < sizeof(ms) / sizeof(ms[0]); i++)
		for (j = 0; j < sizeof(d) / sizeof(d[0]); j++) {
			(void)obs_mark_desc(&ms[i], want, sizeof(want));
			exp = strcmp(want, d[j]) == 0;
			is = obs_mark_desc_is(&ms[i], d[j]);
			hits += exp;
			if (is != exp) {
				note("mark %zu, \"%s\": %d, want %d", i, d[j],
				    is, exp);
				bad++;
			}
		}
	is_int((long)bad, 0, "obs_mark_desc_is() is obs_mark_desc() + strcmp "
	    "(70 pairs)");
	is_int((long)hits, 5, "each mark matches its own description");
}

int
main(void)
{
	test_forms();
	test_cut();
	test_same_as_before();
	test_dup();
	test_is();
	return done_testing();
}
