/*
 * action.c: actions and their two wire forms.
 *
 * The text form is what remote models answer with, so its parser is
 * tolerant: it finds the first well-formed action anywhere in the reply
 * (prose, markdown emphasis, code fences), takes the op in any case, marks
 * as "[12]" or "12", values in straight or curly quotes with backslash
 * escapes.  The JSON form is strict: every field is checked against the
 * op, and unknown fields are refused.  Execution (action_exec,
 * action_resolve) lives in act.c.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "action.h"
#include "buf.h"
#include "err.h"
#include "xmalloc.h"

/* Only this much of a model's reply is searched for an action. */
#define ACTION_TEXT_MAX		(64 * 1024)
/* Cap on a typed value, an option or a URL. */
#define ACTION_VALUE_MAX	(16 * 1024)
/* Largest mark id accepted (observe caps marks far lower). */
#define ACTION_MARK_MAX		1000000
/* Range of a scripted wait, ms. */
#define ACTION_WAIT_MAX		600000
/* Longest prose quoted back in an error. */
#define ACTION_EXCERPT		80

/* Fields of the JSON form, as bits, to say which op takes which. */
#define F_MARK		0x001
#define F_VALUE		0x002
#define F_URL		0x004
#define F_KEY		0x008
#define F_DIR		0x010
#define F_MS		0x020
#define F_SUBMIT	0x040
#define F_TARGET	0x080	/* text, role, label, selector, nth */

static const struct {
	enum action_op	 op;
	const char	*name;		/* JSON; upper case in text */
	int		 fields;	/* F_* it may have */
	int		 required;	/* F_* it must have */
	int		 scripted;	/* only in task files */
} ops[] = {
	{ ACT_CLICK, "click", F_MARK | F_TARGET, F_MARK, 0 },
	{ ACT_TYPE, "type", F_MARK | F_TARGET | F_VALUE | F_SUBMIT,
	    F_MARK | F_VALUE, 0 },
	{ ACT_SELECT, "select", F_MARK | F_TARGET | F_VALUE,
	    F_MARK | F_VALUE, 0 },
	{ ACT_HOVER, "hover", F_MARK | F_TARGET, F_MARK, 0 },
	{ ACT_PRESS, "press", F_KEY, F_KEY, 0 },
	{ ACT_SCROLL, "scroll", F_DIR, F_DIR, 0 },
	{ ACT_BACK, "back", 0, 0, 0 },
	{ ACT_NAVIGATE, "navigate", F_URL, F_URL, 0 },
	{ ACT_WAIT, "wait", F_MS, F_MS, 1 },
	{ ACT_DONE, "done", 0, 0, 0 },
};
#define NOPS	(sizeof(ops) / sizeof(ops[0]))

/* Key names: what people and models write, and the DOM name. */
static const struct {
	const char	*alias;
	const char	*name;
} keys[] = {
	{ "enter", "Enter" },		{ "return", "Enter" },
	{ "tab", "Tab" },
	{ "escape", "Escape" },		{ "esc", "Escape" },
	{ "backspace", "Backspace" },
	{ "delete", "Delete" },		{ "del", "Delete" },
	{ "arrowup", "ArrowUp" },	{ "up", "ArrowUp" },
	{ "arrowdown", "ArrowDown" },	{ "down", "ArrowDown" },
	{ "arrowleft", "ArrowLeft" },	{ "left", "ArrowLeft" },
	{ "arrowright", "ArrowRight" },	{ "right", "ArrowRight" },
	{ "home", "Home" },
	{ "end", "End" },
	{ "pageup", "PageUp" },		{ "pgup", "PageUp" },
	{ "pagedown", "PageDown" },	{ "pgdn", "PageDown" },
	{ "space", "Space" },		{ "spacebar", "Space" },
};

/* Modifier names, in the canonical order of the text form. */
static const struct {
	const char	*alias;
	int		 bit;
} mods[] = {
	{ "ctrl", 1 },	{ "control", 1 },
	{ "alt", 2 },	{ "option", 2 },
	{ "shift", 4 },
	{ "meta", 8 },	{ "cmd", 8 },	{ "command", 8 },
};
static const char *const mod_names[] = { "Ctrl", "Alt", "Shift", "Meta" };

/* Index of op in ops[], or -1. */
static int
op_index(enum action_op op)
{
	size_t i;

	for (i = 0; i < NOPS; i++)
		if (ops[i].op == op)
			return (int)i;
	return -1;
}

/* The JSON name of op; "none" for ACT_NONE. */
const char *
action_op_name(enum action_op op)
{
	int i;

	if ((i = op_index(op)) == -1)
		return "none";
	return ops[i].name;
}

/* Frees the strings of a target. */
static void
target_clear(struct action_target *t)
{
	free(t->text);
	free(t->role);
	free(t->label);
	free(t->selector);
	memset(t, 0, sizeof(*t));
}

/* Frees the strings of a and resets it to ACT_NONE. */
void
action_clear(struct action *a)
{
	free(a->value);
	free(a->key);
	target_clear(&a->tgt);
	memset(a, 0, sizeof(*a));
	a->op = ACT_NONE;
}

/* A copy of s, or NULL for NULL. */
static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

/* Deep copy of src into dst (overwritten, not freed first). */
void
action_copy(struct action *dst, const struct action *src)
{
	*dst = *src;
	dst->value = dup_or_null(src->value);
	dst->key = dup_or_null(src->key);
	dst->tgt.text = dup_or_null(src->tgt.text);
	dst->tgt.role = dup_or_null(src->tgt.role);
	dst->tgt.label = dup_or_null(src->tgt.label);
	dst->tgt.selector = dup_or_null(src->tgt.selector);
}

/* 1 if both strings are NULL or equal. */
static int
str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* 1 if a and b are the same action, field by field. */
int
action_equal(const struct action *a, const struct action *b)
{
	return a->op == b->op && a->mark == b->mark &&
	    str_eq(a->value, b->value) && str_eq(a->key, b->key) &&
	    a->dir == b->dir && a->ms == b->ms && a->submit == b->submit &&
	    str_eq(a->tgt.text, b->tgt.text) &&
	    str_eq(a->tgt.role, b->tgt.role) &&
	    str_eq(a->tgt.label, b->tgt.label) &&
	    str_eq(a->tgt.selector, b->tgt.selector) &&
	    a->tgt.nth == b->tgt.nth;
}

/* 1 if a addresses its element by a scripted target. */
static int
has_target(const struct action *a)
{
	return a->tgt.text != NULL || a->tgt.role != NULL ||
	    a->tgt.label != NULL || a->tgt.selector != NULL;
}

/* ---------------------------------------------------------------------- */
/* Keys.                                                                  */

/* Lower case of an ASCII letter, other bytes unchanged. */
static int
ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* 1 for an ASCII letter. */
static int
ascii_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* 1 for an ASCII digit. */
static int
ascii_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* 1 for a byte that can be part of a word (op keywords). */
static int
word_char(int c)
{
	return ascii_alpha(c) || ascii_digit(c) || c == '_';
}

/* Length of the UTF-8 sequence at s if it is one valid character, else 0. */
static size_t
utf8_char(const unsigned char *s, size_t len)
{
	size_t n, i;

	if (len == 0)
		return 0;
	if (s[0] < 0x80)
		return s[0] >= 0x20 && s[0] != 0x7f ? 1 : 0;
	if ((s[0] & 0xe0) == 0xc0 && s[0] >= 0xc2)
		n = 2;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3;
	else if ((s[0] & 0xf8) == 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

/*
 * Normalises a key spec of len bytes ("ctrl+A", "esc", "Shift+Tab") to
 * the canonical "Ctrl+a", "Escape", "Shift+Tab": modifiers in a fixed
 * order, a named key's DOM name or one character (lower case under Ctrl,
 * Alt or Meta).  Returns NULL if it is not a key.
 */
static char *
key_normalize(const char *spec, size_t len)
{
	const char *p = spec, *plus, *name = NULL;
	struct buf b;
	size_t i, n, rest;
	int bits = 0, found;
	char one[5];

	/* Peel "Mod+" prefixes; a trailing "+" is the plus key itself. */
	for (;;) {
		rest = len - (size_t)(p - spec);
		if (rest < 2 || (plus = memchr(p, '+', rest - 1)) == NULL ||
		    plus == p)
			break;
		n = (size_t)(plus - p);
		found = 0;
		for (i = 0; i < sizeof(mods) / sizeof(mods[0]); i++)
			if (strlen(mods[i].alias) == n &&
			    strncasecmp(p, mods[i].alias, n) == 0) {
				bits |= mods[i].bit;
				found = 1;
				break;
			}
		if (!found)
			break;
		p = plus + 1;
	}
	rest = len - (size_t)(p - spec);
	if (rest == 0)
		return NULL;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strlen(keys[i].alias) == rest &&
		    strncasecmp(p, keys[i].alias, rest) == 0) {
			name = keys[i].name;
			break;
		}
	if (name == NULL) {
		if (utf8_char((const unsigned char *)p, rest) != rest)
			return NULL;
		memcpy(one, p, rest);
		one[rest] = '\0';
		if (rest == 1 && (bits & (1 | 2 | 8)) != 0)
			one[0] = (char)ascii_lower((unsigned char)one[0]);
		name = one;
	}
	buf_init(&b, 64);
	for (i = 0; i < 4; i++)
		if (bits & (1 << i)) {
			buf_puts(&b, mod_names[i]);
			buf_puts(&b, "+");
		}
	buf_puts(&b, name);
	return buf_steal(&b, NULL);
}

/* ---------------------------------------------------------------------- */
/* Text form: formatting.                                                 */

/* Appends s as a double-quoted string with backslash escapes. */
static void
put_quoted(struct buf *b, const char *s)
{
	buf_puts(b, "\"");
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '"':
			buf_puts(b, "\\\"");
			break;
		case '\\':
			buf_puts(b, "\\\\");
			break;
		case '\n':
			buf_puts(b, "\\n");
			break;
		case '\t':
			buf_puts(b, "\\t");
			break;
		case '\r':
			buf_puts(b, "\\r");
			break;
		default:
			if ((unsigned char)*s < 0x20 || *s == 0x7f)
				buf_printf(b, "\\x%02x", (unsigned char)*s);
			else
				buf_add(b, s, 1);
			break;
		}
	}
	buf_puts(b, "\"");
}

/* Appends the element of a: "[12]" or the scripted target in braces. */
static void
put_element(struct buf *b, const struct action *a)
{
	const char *sep = "";

	if (!has_target(a)) {
		buf_printf(b, " [%d]", a->mark);
		return;
	}
	buf_puts(b, " {");
	if (a->tgt.text != NULL) {
		buf_printf(b, "%stext=", sep);
		put_quoted(b, a->tgt.text);
		sep = ", ";
	}
	if (a->tgt.role != NULL) {
		buf_printf(b, "%srole=", sep);
		put_quoted(b, a->tgt.role);
		sep = ", ";
	}
	if (a->tgt.label != NULL) {
		buf_printf(b, "%slabel=", sep);
		put_quoted(b, a->tgt.label);
		sep = ", ";
	}
	if (a->tgt.selector != NULL) {
		buf_printf(b, "%sselector=", sep);
		put_quoted(b, a->tgt.selector);
		sep = ", ";
	}
	if (a->tgt.nth != 0)
		buf_printf(b, "%snth=%d", sep, a->tgt.nth);
	buf_puts(b, "}");
}

/* The one-line text form of a (allocated). */
char *
action_format(const struct action *a)
{
	struct buf b;
	const char *name = action_op_name(a->op);
	size_t i;

	/* Values are capped on input; the cap here only bounds the worst. */
	buf_init(&b, 8 * ACTION_VALUE_MAX);
	for (i = 0; name[i] != '\0'; i++) {
		char c = (char)(name[i] - 'a' + 'A');

		buf_add(&b, &c, 1);
	}
	switch (a->op) {
	case ACT_CLICK:
	case ACT_HOVER:
		put_element(&b, a);
		break;
	case ACT_TYPE:
	case ACT_SELECT:
		put_element(&b, a);
		buf_puts(&b, " ");
		put_quoted(&b, a->value != NULL ? a->value : "");
		if (a->op == ACT_TYPE && a->submit)
			buf_puts(&b, " SUBMIT");
		break;
	case ACT_PRESS:
		/* Keys such as `, * or : would not read back bare. */
		if (a->key != NULL && (strpbrk(a->key, " \t`*\"':") != NULL ||
		    strstr(a->key, "\xe2\x80") != NULL)) {
			buf_puts(&b, " ");
			put_quoted(&b, a->key);
		} else
			buf_printf(&b, " %s", a->key != NULL ? a->key : "");
		break;
	case ACT_SCROLL:
		buf_puts(&b, a->dir < 0 ? " up" : " down");
		break;
	case ACT_NAVIGATE:
		buf_puts(&b, " ");
		put_quoted(&b, a->value != NULL ? a->value : "");
		break;
	case ACT_WAIT:
		buf_printf(&b, " %d", a->ms);
		break;
	case ACT_BACK:
	case ACT_DONE:
	case ACT_NONE:
		break;
	}
	return buf_steal(&b, NULL);
}

/* ---------------------------------------------------------------------- */
/* Text form: parsing.                                                    */

/* Closing quote for an opening one at p (and its length), or NULL. */
static const char *
quote_close(const char *p, size_t *openlenp)
{
	static const struct {
		const char *open, *close;
	} q[] = {
		{ "\"", "\"" }, { "'", "'" },
		{ "\xe2\x80\x9c", "\xe2\x80\x9d" },	/* curly double */
		{ "\xe2\x80\x98", "\xe2\x80\x99" },	/* curly single */
		{ "\xe2\x80\x9d", "\xe2\x80\x9d" },
	};
	size_t i;

	for (i = 0; i < sizeof(q) / sizeof(q[0]); i++)
		if (strncmp(p, q[i].open, strlen(q[i].open)) == 0) {
			*openlenp = strlen(q[i].open);
			return q[i].close;
		}
	return NULL;
}

/* Value of a hex digit, or -1. */
static int
hex_val(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Skips spaces and tabs (not newlines: an action is one line). */
static const char *
skip_blank(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/*
 * Parses a quoted string at *pp (backslash escapes \" \\ \n \t \r and an
 * escaped quote of either kind).  Returns 0 and the value, or -1 with *whyp
 * (static text).
 */
static int
parse_quoted(const char **pp, char **valp, const char **whyp)
{
	const char *p = *pp, *close;
	struct buf b;
	size_t olen, clen;

	if ((close = quote_close(p, &olen)) == NULL) {
		*whyp = "expected a quoted string";
		return -1;
	}
	clen = strlen(close);
	p += olen;
	buf_init(&b, ACTION_VALUE_MAX);
	for (;;) {
		if (*p == '\0' || *p == '\n') {
			buf_free(&b);
			*whyp = "unterminated quoted string";
			return -1;
		}
		if (strncmp(p, close, clen) == 0) {
			p += clen;
			break;
		}
		/* A curly double quote may be closed by a straight one. */
		if (clen > 1 && close[2] == '\x9d' && *p == '"') {
			p++;
			break;
		}
		if (*p == '\\' && p[1] == 'x' && hex_val(p[2]) >= 0 &&
		    hex_val(p[3]) >= 0 && (p[2] != '0' || p[3] != '0')) {
			char c = (char)(hex_val(p[2]) * 16 + hex_val(p[3]));

			if (buf_add(&b, &c, 1) != 0)
				goto toobig;
			p += 4;
			continue;
		}
		if (*p == '\\' && p[1] != '\0' && p[1] != '\n') {
			char c = p[1];

			switch (c) {
			case 'n':
				c = '\n';
				break;
			case 't':
				c = '\t';
				break;
			case 'r':
				c = '\r';
				break;
			case '"':
			case '\'':
			case '\\':
				break;
			default:
				/* Unknown escape: keep the backslash. */
				c = '\0';
				break;
			}
			if (c == '\0') {
				if (buf_add(&b, p, 2) != 0)
					goto toobig;
			} else if (buf_add(&b, &c, 1) != 0)
				goto toobig;
			p += 2;
			continue;
		}
		if (buf_add(&b, p, 1) != 0)
			goto toobig;
		p++;
	}
	*pp = p;
	*valp = buf_steal(&b, NULL);
	return 0;
toobig:
	buf_free(&b);
	*whyp = "quoted string too long";
	return -1;
}

/*
 * Parses an unquoted value: the rest of the line, without surrounding
 * blanks and markdown emphasis or code marks.
 */
static int
parse_bare(const char **pp, char **valp, const char **whyp)
{
	const char *p = *pp, *e;

	e = p + strcspn(p, "\n");
	while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
	    e[-1] == '`' || e[-1] == '*'))
		e--;
	if (e == p) {
		*whyp = "expected a quoted value";
		return -1;
	}
	if ((size_t)(e - p) > ACTION_VALUE_MAX) {
		*whyp = "value too long";
		return -1;
	}
	*valp = xstrndup(p, (size_t)(e - p));
	*pp = p + strcspn(p, "\n");
	return 0;
}

/* A value: quoted, or (tolerated) bare to the end of the line. */
static int
parse_value(const char **pp, char **valp, const char **whyp)
{
	size_t olen;

	*pp = skip_blank(*pp);
	if (quote_close(*pp, &olen) != NULL)
		return parse_quoted(pp, valp, whyp);
	return parse_bare(pp, valp, whyp);
}

/* A mark: "[12]", "[ 12 ]" or a bare "12". */
static int
parse_mark(const char **pp, int *markp, const char **whyp)
{
	const char *p = skip_blank(*pp);
	long v = 0;
	int bracket = 0;

	if (*p == '[') {
		bracket = 1;
		p = skip_blank(p + 1);
	}
	if (!ascii_digit((unsigned char)*p)) {
		*whyp = "expected a mark number in brackets, like [12]";
		return -1;
	}
	while (ascii_digit((unsigned char)*p)) {
		v = v * 10 + (*p - '0');
		if (v > ACTION_MARK_MAX) {
			*whyp = "mark number out of range";
			return -1;
		}
		p++;
	}
	if (bracket) {
		p = skip_blank(p);
		if (*p != ']') {
			*whyp = "expected ] after the mark number";
			return -1;
		}
		p++;
	} else if (word_char((unsigned char)*p)) {
		*whyp = "expected a mark number in brackets, like [12]";
		return -1;
	}
	if (v < 1) {
		*whyp = "mark numbers start at 1";
		return -1;
	}
	*pp = p;
	*markp = (int)v;
	return 0;
}

/* A key token: quoted or up to the next blank, trailing punctuation off. */
static int
parse_key_token(const char **pp, char **keyp, const char **whyp)
{
	const char *p = skip_blank(*pp), *e;
	char *tok = NULL, *k;
	size_t olen, n;

	if (quote_close(p, &olen) != NULL) {
		if (parse_quoted(&p, &tok, whyp) != 0)
			return -1;
		e = p;
		n = strlen(tok);
	} else {
		e = p + strcspn(p, " \t\r\n`*");
		n = (size_t)(e - p);
		while (n > 1 && strchr(".,;:!?)", p[n - 1]) != NULL &&
		    p[n - 2] != '+')
			n--;
		tok = xstrndup(p, n);
	}
	if (n == 0) {
		free(tok);
		*whyp = "expected a key name, like Enter or Ctrl+a";
		return -1;
	}
	if ((k = key_normalize(tok, n)) == NULL) {
		free(tok);
		*whyp = "unknown key";
		return -1;
	}
	free(tok);
	*pp = e;
	*keyp = k;
	return 0;
}

/* Parses the arguments of op at p into a (already zeroed, op set). */
static int
parse_args(const char *p, struct action *a, const char **whyp)
{
	const char *q;

	switch (a->op) {
	case ACT_CLICK:
	case ACT_HOVER:
		return parse_mark(&p, &a->mark, whyp);
	case ACT_TYPE:
	case ACT_SELECT:
		if (parse_mark(&p, &a->mark, whyp) != 0 ||
		    parse_value(&p, &a->value, whyp) != 0)
			return -1;
		if (a->op == ACT_SELECT && a->value[0] == '\0') {
			*whyp = "SELECT needs a non-empty option";
			return -1;
		}
		q = skip_blank(p);
		if (a->op == ACT_TYPE && strncasecmp(q, "submit", 6) == 0 &&
		    !word_char((unsigned char)q[6]))
			a->submit = 1;
		return 0;
	case ACT_PRESS:
		return parse_key_token(&p, &a->key, whyp);
	case ACT_SCROLL:
		p = skip_blank(p);
		if (strncasecmp(p, "down", 4) == 0 &&
		    !word_char((unsigned char)p[4]))
			a->dir = 1;
		else if (strncasecmp(p, "up", 2) == 0 &&
		    !word_char((unsigned char)p[2]))
			a->dir = -1;
		else {
			*whyp = "expected up or down";
			return -1;
		}
		return 0;
	case ACT_NAVIGATE:
		p = skip_blank(p);
		{
			size_t olen, n;

			if (quote_close(p, &olen) != NULL) {
				if (parse_quoted(&p, &a->value, whyp) != 0)
					return -1;
				if (a->value[0] == '\0') {
					*whyp = "expected a URL";
					return -1;
				}
				return 0;
			}
			n = strcspn(p, " \t\r\n`*\"<>");
			while (n > 0 && strchr(".,;", p[n - 1]) != NULL)
				n--;
			if (n == 0) {
				*whyp = "expected a URL";
				return -1;
			}
			if (n > ACTION_VALUE_MAX) {
				*whyp = "URL too long";
				return -1;
			}
			a->value = xstrndup(p, n);
		}
		return 0;
	case ACT_WAIT:
		p = skip_blank(p);
		{
			long v = 0;

			if (!ascii_digit((unsigned char)*p)) {
				*whyp = "expected milliseconds";
				return -1;
			}
			while (ascii_digit((unsigned char)*p)) {
				v = v * 10 + (*p++ - '0');
				if (v > ACTION_WAIT_MAX) {
					*whyp = "wait too long";
					return -1;
				}
			}
			if (v < 1) {
				*whyp = "wait must be at least 1 ms";
				return -1;
			}
			a->ms = (int)v;
		}
		return 0;
	case ACT_BACK:
	case ACT_DONE:
	case ACT_NONE:
		break;
	}
	return 0;
}

/*
 * Quotes up to ACTION_EXCERPT characters of s for an error message:
 * whitespace runs become one space, quotes and backslashes are escaped.
 */
static char *
excerpt(const char *s)
{
	struct buf b;
	size_t n = 0, cl;
	int space = 0;

	buf_init(&b, 4 * ACTION_EXCERPT + 8);
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	while (*s != '\0' && n < ACTION_EXCERPT) {
		if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') {
			space = 1;
			s++;
			continue;
		}
		if (space) {
			buf_puts(&b, " ");
			n++;
			space = 0;
		}
		if (*s == '"' || *s == '\\') {
			buf_add(&b, "\\", 1);
			buf_add(&b, s, 1);
			s++;
		} else if ((cl = utf8_char((const unsigned char *)s,
		    strnlen(s, 4))) == 0) {
			buf_puts(&b, "?");
			s++;
		} else {
			buf_add(&b, s, cl);
			s += cl;
		}
		n++;
	}
	if (*s != '\0')
		buf_puts(&b, "...");
	return buf_steal(&b, NULL);
}

/* Tries to parse an action whose op keyword starts at p (length n). */
static int
try_at(const char *p, size_t n, enum action_op op, struct action *a,
    const char **whyp)
{
	struct action t;
	const char *q = p + n;

	memset(&t, 0, sizeof(t));
	t.op = op;
	/* "CLICK: [12]" */
	q = skip_blank(q);
	if (*q == ':')
		q++;
	if (parse_args(q, &t, whyp) != 0) {
		action_clear(&t);
		return -1;
	}
	*a = t;
	return 0;
}

/* Finds and parses the first action in a model's reply. */
int
action_parse_text(const char *s, struct action *a, char **causep)
{
	char *text = NULL, *ex = NULL;
	const char *p, *why = NULL, *fail_why = NULL, *fail_at = NULL, *kw;
	size_t i, k, n, fail_op = 0;
	int pass, r = ERR_PARSE;

	memset(a, 0, sizeof(*a));
	if (causep != NULL)
		*causep = NULL;
	text = xstrndup(s, strnlen(s, ACTION_TEXT_MAX));
	/*
	 * Pass 0 takes only upper-case ops, as the form is written, so prose
	 * such as "I will click the button" does not shadow the action that
	 * follows it; pass 1 takes any case.  When nothing parses, the first
	 * keyword that did not (upper case preferred) explains why.
	 */
	for (pass = 0; pass < 2; pass++) {
		for (p = text; *p != '\0'; p++) {
			if ((p > text && word_char((unsigned char)p[-1])) ||
			    !ascii_alpha((unsigned char)*p))
				continue;
			for (i = 0; i < NOPS; i++) {
				kw = ops[i].name;
				n = strlen(kw);
				if (strncasecmp(p, kw, n) != 0 ||
				    word_char((unsigned char)p[n]))
					continue;
				for (k = 0; pass == 0 && k < n; k++)
					if (p[k] != kw[k] - 'a' + 'A')
						break;
				if ((pass == 0 && k < n) ||
				    (pass == 1 && ops[i].scripted))
					break;
				if (try_at(p, n, ops[i].op, a, &why) == 0) {
					r = 0;
					goto out;
				}
				if (fail_at == NULL) {
					fail_at = p;
					fail_op = i;
					fail_why = why;
				}
				break;
			}
		}
	}
	if (causep == NULL)
		goto out;
	if (fail_at != NULL) {
		ex = excerpt(fail_at);
		*causep = xasprintf("%s: %s in \"%s\"",
		    action_op_name(ops[fail_op].op), fail_why, ex);
	} else {
		ex = excerpt(text);
		*causep = xasprintf("no action found in \"%s\" (expected "
		    "CLICK [N], TYPE [N] \"text\", SELECT [N] \"option\", "
		    "HOVER [N], PRESS key, SCROLL up|down, BACK, "
		    "NAVIGATE \"url\" or DONE)", ex);
	}
out:
	free(ex);
	free(text);
	return r;
}

/* ---------------------------------------------------------------------- */
/* JSON form.                                                             */

static const struct {
	const char	*name;
	int		 bit;
} fields[] = {
	{ "mark", F_MARK },		{ "value", F_VALUE },
	{ "url", F_URL },		{ "key", F_KEY },
	{ "dir", F_DIR },		{ "ms", F_MS },
	{ "submit", F_SUBMIT },		{ "text", F_TARGET },
	{ "role", F_TARGET },		{ "label", F_TARGET },
	{ "selector", F_TARGET },	{ "nth", F_TARGET },
};

/* An integral JSON number in [min, max]. */
static int
json_int(const cJSON *it, long min, long max, int *vp)
{
	double d;

	if (!cJSON_IsNumber(it))
		return -1;
	d = it->valuedouble;
	if (!(d >= (double)min && d <= (double)max))
		return -1;
	if ((double)(long)d < d || (double)(long)d > d)
		return -1;
	*vp = (int)d;
	return 0;
}

/* A JSON string of at most ACTION_VALUE_MAX bytes, maybe non-empty. */
static int
json_str(const cJSON *it, int nonempty, char **sp, char **causep)
{
	if (!cJSON_IsString(it) || it->valuestring == NULL) {
		*causep = xasprintf("%s: must be a string", it->string);
		return -1;
	}
	if (nonempty && it->valuestring[0] == '\0') {
		*causep = xasprintf("%s: must not be empty", it->string);
		return -1;
	}
	if (strlen(it->valuestring) > ACTION_VALUE_MAX) {
		*causep = xasprintf("%s: longer than %d bytes", it->string,
		    ACTION_VALUE_MAX);
		return -1;
	}
	free(*sp);
	*sp = xstrdup(it->valuestring);
	return 0;
}

/* Parses field it (bit fld) of an action into t. */
static int
field_from_json(const cJSON *it, int fld, struct action *t, char **causep)
{
	const char *k = it->string;

	switch (fld) {
	case F_MARK:
		if (json_int(it, 1, ACTION_MARK_MAX, &t->mark) != 0) {
			*causep = xasprintf("mark: must be an integer from 1 "
			    "to %d", ACTION_MARK_MAX);
			return -1;
		}
		return 0;
	case F_VALUE:
		return json_str(it, t->op == ACT_SELECT, &t->value, causep);
	case F_URL:
		return json_str(it, 1, &t->value, causep);
	case F_KEY:
		if (!cJSON_IsString(it) || it->valuestring == NULL) {
			*causep = xstrdup("key: must be a string");
			return -1;
		}
		free(t->key);
		t->key = key_normalize(it->valuestring,
		    strlen(it->valuestring));
		if (t->key == NULL) {
			char *ex = excerpt(it->valuestring);

			*causep = xasprintf("key: unknown key \"%s\" (expected "
			    "a name such as Enter, Tab, Escape, ArrowDown or "
			    "one character, with Ctrl+, Alt+, Shift+ or Meta+)",
			    ex);
			free(ex);
			return -1;
		}
		return 0;
	case F_DIR:
		if (cJSON_IsString(it) && strcmp(it->valuestring, "down") == 0)
			t->dir = 1;
		else if (cJSON_IsString(it) &&
		    strcmp(it->valuestring, "up") == 0)
			t->dir = -1;
		else {
			*causep = xstrdup("dir: must be \"up\" or \"down\"");
			return -1;
		}
		return 0;
	case F_MS:
		if (json_int(it, 1, ACTION_WAIT_MAX, &t->ms) != 0) {
			*causep = xasprintf("ms: must be an integer from 1 to "
			    "%d", ACTION_WAIT_MAX);
			return -1;
		}
		return 0;
	case F_SUBMIT:
		if (!cJSON_IsBool(it)) {
			*causep = xstrdup("submit: must be true or false");
			return -1;
		}
		t->submit = cJSON_IsTrue(it);
		return 0;
	case F_TARGET:
		if (strcmp(k, "nth") == 0) {
			if (json_int(it, 0, 1000, &t->tgt.nth) != 0) {
				*causep = xstrdup("nth: must be an integer "
				    "from 0 to 1000");
				return -1;
			}
			return 0;
		}
		if (strcmp(k, "text") == 0)
			return json_str(it, 1, &t->tgt.text, causep);
		if (strcmp(k, "role") == 0)
			return json_str(it, 1, &t->tgt.role, causep);
		if (strcmp(k, "label") == 0)
			return json_str(it, 1, &t->tgt.label, causep);
		return json_str(it, 1, &t->tgt.selector, causep);
	}
	*causep = xasprintf("%s: unknown field", k);
	return -1;
}

/* Parses and checks the JSON form of an action. */
int
action_from_json(const cJSON *j, int allow_target, struct action *a,
    char **causep)
{
	struct action t;
	const cJSON *op, *it, *o;
	char *cause = NULL;
	size_t i;
	int idx = -1, fld, seen = 0, r = ERR_INVALID;

	memset(&t, 0, sizeof(t));
	if (causep != NULL)
		*causep = NULL;
	if (!cJSON_IsObject(j)) {
		cause = xstrdup("must be a JSON object");
		goto out;
	}
	for (it = j->child; it != NULL; it = it->next)
		for (o = it->next; o != NULL; o = o->next)
			if (strcmp(it->string, o->string) == 0) {
				cause = xasprintf("%s: duplicate field",
				    it->string);
				goto out;
			}
	if ((op = cJSON_GetObjectItemCaseSensitive(j, "op")) == NULL) {
		cause = xstrdup("op: missing");
		goto out;
	}
	if (!cJSON_IsString(op)) {
		cause = xstrdup("op: must be a string");
		goto out;
	}
	for (i = 0; i < NOPS; i++)
		if (strcmp(op->valuestring, ops[i].name) == 0)
			idx = (int)i;
	if (idx == -1) {
		char *ex = excerpt(op->valuestring);

		cause = xasprintf("op: unknown operation \"%s\"", ex);
		free(ex);
		goto out;
	}
	if (ops[idx].scripted && !allow_target) {
		cause = xasprintf("op: \"%s\" is only allowed in task files",
		    ops[idx].name);
		goto out;
	}
	t.op = ops[idx].op;
	for (it = j->child; it != NULL; it = it->next) {
		if (strcmp(it->string, "op") == 0)
			continue;
		fld = 0;
		for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
			if (strcmp(it->string, fields[i].name) == 0)
				fld = fields[i].bit;
		if (fld == 0) {
			char *ex = excerpt(it->string);

			cause = xasprintf("%s: unknown field", ex);
			free(ex);
			goto out;
		}
		if (fld == F_TARGET && !allow_target) {
			cause = xasprintf("%s: element targets are only "
			    "allowed in task files; use mark", it->string);
			goto out;
		}
		if ((ops[idx].fields & fld) == 0) {
			cause = xasprintf("%s: not used by %s", it->string,
			    ops[idx].name);
			goto out;
		}
		if (field_from_json(it, fld, &t, &cause) != 0)
			goto out;
		seen |= fld;
	}
	if (ops[idx].required & F_MARK) {
		if ((seen & F_MARK) && has_target(&t)) {
			cause = xstrdup("mark: cannot be combined with text, "
			    "role, label or selector");
			goto out;
		}
		if (!(seen & F_MARK) && !has_target(&t)) {
			cause = xstrdup(allow_target ? "mark: missing (give "
			    "mark, or text, role, label or selector)" :
			    "mark: missing");
			goto out;
		}
	}
	if ((seen & F_TARGET) && !has_target(&t)) {
		cause = xstrdup("nth: needs text, role, label or selector");
		goto out;
	}
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		fld = fields[i].bit;
		if (fld != F_MARK && (ops[idx].required & fld) &&
		    !(seen & fld)) {
			cause = xasprintf("%s: missing", fields[i].name);
			goto out;
		}
	}
	*a = t;
	memset(&t, 0, sizeof(t));
	r = 0;
out:
	action_clear(&t);
	if (r != 0 && causep != NULL)
		*causep = cause;
	else
		free(cause);
	return r;
}

/* Adds string s to j under k if s is not NULL; 0 or -1. */
static int
add_str(cJSON *j, const char *k, const char *s)
{
	if (s == NULL)
		return 0;
	return cJSON_AddStringToObject(j, k, s) != NULL ? 0 : -1;
}

/* Adds number v to j under k; 0 or -1. */
static int
add_num(cJSON *j, const char *k, int v)
{
	return cJSON_AddNumberToObject(j, k, v) != NULL ? 0 : -1;
}

/* The JSON form of a; NULL if memory ran out. */
cJSON *
action_to_json(const struct action *a)
{
	cJSON *j;
	int bad = 0;

	if ((j = cJSON_CreateObject()) == NULL)
		return NULL;
	bad |= add_str(j, "op", action_op_name(a->op));
	switch (a->op) {
	case ACT_CLICK:
	case ACT_TYPE:
	case ACT_SELECT:
	case ACT_HOVER:
		if (a->mark > 0 || !has_target(a))
			bad |= add_num(j, "mark", a->mark);
		bad |= add_str(j, "text", a->tgt.text);
		bad |= add_str(j, "role", a->tgt.role);
		bad |= add_str(j, "label", a->tgt.label);
		bad |= add_str(j, "selector", a->tgt.selector);
		if (a->tgt.nth != 0)
			bad |= add_num(j, "nth", a->tgt.nth);
		if (a->op == ACT_TYPE || a->op == ACT_SELECT)
			bad |= add_str(j, "value",
			    a->value != NULL ? a->value : "");
		if (a->op == ACT_TYPE && a->submit &&
		    cJSON_AddTrueToObject(j, "submit") == NULL)
			bad = -1;
		break;
	case ACT_PRESS:
		bad |= add_str(j, "key", a->key != NULL ? a->key : "");
		break;
	case ACT_SCROLL:
		bad |= add_str(j, "dir", a->dir < 0 ? "up" : "down");
		break;
	case ACT_NAVIGATE:
		bad |= add_str(j, "url", a->value != NULL ? a->value : "");
		break;
	case ACT_WAIT:
		bad |= add_num(j, "ms", a->ms);
		break;
	case ACT_BACK:
	case ACT_DONE:
	case ACT_NONE:
		break;
	}
	if (bad) {
		cJSON_Delete(j);
		return NULL;
	}
	return j;
}
