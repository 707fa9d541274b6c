/*
 * policy-lexical.c: "lexical", the non-learned baseline policy.
 *
 * Words: ASCII-folded, lower-cased, split on non-alphanumerics and on
 * camelCase and letter/digit boundaries, lightly stemmed (plural, -ing,
 * -ed, final e), with a few web synonyms folded together (log in/sign in,
 * basket/cart, postal/zip, ...).  Weights: page-local IDF (document
 * frequency over the marks' text, aria-label, label and attribute bag
 * (placeholder, name, id, title, alt, input type)), normalised so that a
 * word found on one mark weighs 1.  A mark's match is the IDF-weighted
 * overlap with the instruction's content words, each counted once in its
 * best field, times (0.6 + 0.4 * how much of the mark's own text the
 * instruction covers); plus a bonus when the mark's whole text occurs as
 * a phrase in the instruction, a large one when it equals a quoted span,
 * role priors from the verb and from role words ("button", "link",
 * "field", "dropdown", "checkbox", "tab"), and a preference for new marks
 * after a click opened something (some marks new, not a new page).
 *
 * The instruction is split into clauses at punctuation, "and" and "then";
 * each clause gets a verb class from its first word (click, type, select,
 * check, press KEY, scroll, go back); a clause with no verb after a typing
 * clause types too ("username alice, password secret").  Values to type
 * are copied from the instruction: quoted spans in a typing clause (or in
 * a clause whose quote names no element on the page), words after a
 * typing verb ("type X into Y", "search for X", "look up X", "fill Y with
 * X", "set Y to X", "enter zip code 90210"), words after a field's label
 * ("username alice"), and e-mail addresses.  Each value goes to the
 * editable field whose label, placeholder, aria-label, name, id or type
 * best matches the words that describe it (after the value: "into the
 * name field"; else before it), best pair first; a value equal to an
 * option of a select is chosen there instead (unless the verb says
 * type).  Select options are scored against the whole instruction with
 * IDF over that select's options; an option the instruction merely
 * mentions is only chosen with a select verb or the select named.
 *
 * History (only of the current instruction): words of the acted-on
 * marks' descriptions and of typed values are "served" and weigh little
 * afterwards; a mark clicked before (same element through the trace of
 * marks, or the one mark with that role and text on the same URL) is
 * penalised; a value is done once typed or once a field holds it; a
 * select is done when the best option is selected, a checkbox when it is
 * in the state asked for.
 *
 * Each clause is pending until served: its values are done, its key was
 * pressed, it scrolled, or enough of its own words (all of them, all but
 * one from four on) appear in what was acted on or in the state of the
 * page.  The first pending clause weighs 1, later ones 0.6, served ones
 * 0.2; typed values go in instruction order.
 *
 * DONE is chosen with a high score (1.5) when nothing is pending: every
 * value typed, every clause served, and no search waiting to be submitted
 * (the last action typed into a search-like field on this URL: then PRESS
 * Enter scores 1.0 unless a click target clearly wins).  It also wins,
 * with 0.3, once something was done and the best remaining mark scores
 * under 0.3 on a page that cannot scroll further.  SCROLL down scores 0.3
 * while work is pending and the page extends below the viewport, so it
 * wins when nothing on screen matches.  Every mark is a candidate (zero
 * when nothing matches) and DONE always is, so top lists are full.
 *
 * Deterministic: no randomness; ties go to the lower mark id.  All
 * scratch memory of a decision comes from one arena freed at its end; the
 * policy keeps no state between decisions and may be shared by threads.
 */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "err.h"
#include "xmalloc.h"
#include "action.h"
#include "observe.h"
#include "policy.h"

/* Hard caps on what one decision looks at. */
#define LX_INSTR_MAX	2048	/* bytes of the instruction analysed */
#define LX_WORD_MAX	32	/* bytes kept of one word */
#define LX_FIELD_MAX	48	/* words kept per mark field */
#define LX_ITOK_MAX	256	/* instruction words */
#define LX_QUOTE_MAX	16
#define LX_VALUE_MAX	16
#define LX_VALUE_TOKS	12	/* words in an unquoted value */
#define LX_VALUE_BYTES	200
#define LX_CLAUSE_MAX	32
#define LX_HIST_MAX	64	/* most recent history entries used */
#define LX_ATTR_MAX	OBS_TEXT_MAX
#define LX_TERMS_MAX	(1 << 20)
#define LX_PHRASE_MAX	12	/* longest mark text taken as a phrase */

#define LX_CHUNK	(64 * 1024)
#define LX_ARENA_MAX	((size_t)96 * 1024 * 1024)

/* Score constants (see the comment at the top). */
#define LX_W_FIRST	1.0	/* words of the first pending clause */
#define LX_W_LATER	0.6	/* words of later pending clauses */
#define LX_W_SERVED	0.2	/* words of served clauses */
#define LX_W_USED	0.25	/* cap on a word already acted on */
#define LX_DONE_ALL	1.5
#define LX_DONE_LOW	0.3
#define LX_DONE_MIN	0.05
#define LX_LOW		0.3	/* best mark under this: no match */
#define LX_SCROLL	0.3
#define LX_SUBMIT	1.0
#define LX_TYPE_BASE	1.2
#define LX_SELECT_BASE	0.9
#define LX_OPT_MIN	0.4	/* least score of a chosen option */
#define LX_CLICKED	0.15	/* factor on a mark clicked before */

/* ---------------------------------------------------------------------- */
/* Arena.                                                                 */

struct lx_chunk {
	struct lx_chunk	*next;
	size_t		 size;
	size_t		 used;
	max_align_t	 data[];
};

struct lx_arena {
	struct lx_chunk	*head;
	size_t		 total;
};

/* Zeroed memory from a; NULL past the cap or on allocation failure. */
static void *
lx_alloc(struct lx_arena *a, size_t n)
{
	struct lx_chunk *c = a->head;
	size_t al = sizeof(max_align_t), sz;
	void *p;

	if (n > LX_ARENA_MAX)
		return NULL;
	n = n == 0 ? al : (n + al - 1) / al * al;
	if (c == NULL || c->size - c->used < n) {
		sz = n > LX_CHUNK ? n : LX_CHUNK;
		if (a->total + sz > LX_ARENA_MAX)
			return NULL;
		if ((c = malloc(sizeof(*c) + sz)) == NULL)
			return NULL;
		c->next = a->head;
		c->size = sz;
		c->used = 0;
		a->head = c;
		a->total += sz;
	}
	p = (char *)c->data + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

/* Frees everything taken from a. */
static void
lx_arena_free(struct lx_arena *a)
{
	struct lx_chunk *c, *next;

	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	a->head = NULL;
	a->total = 0;
}

/* ---------------------------------------------------------------------- */
/* Characters and words.                                                  */

enum { LX_C_SEP, LX_C_UP, LX_C_LO, LX_C_DG, LX_C_OT, LX_C_APOS };

/* Latin-1 letters U+00C0..U+00FF folded to ASCII ('_': not a letter). */
static const char lx_latin1[] =
    "aaaaaaaceeeeiiiidnooooo_ouuuuyts"
    "aaaaaaaceeeeiiiidnooooo_ouuuuyty";
/* Latin Extended-A U+0100..U+017F folded (case kept to know the class). */
static const char lx_latina[] =
    "AaAaAaCcCcCcCcDd" "DdEeEeEeEeEeGgGg" "GgGgHhHhIiIiIiIi"
    "IiIiJjKkkLlLlLlL" "lLlNnNnNnnNnOoOo" "OoOoRrRrRrSsSsSs"
    "SsTtTtTtUuUuUuUu" "UuUuWwYyYZzZzZzs";

/*
 * Decodes the character at s (n bytes left): returns its length, sets
 * *clsp to its class and *cp to its folded lower-case ASCII letter (0 for
 * letters of other scripts, kept as raw bytes).
 */
static size_t
lx_char(const unsigned char *s, size_t n, int *clsp, char *cp)
{
	size_t len, i;
	unsigned cpv;
	char f;

	*cp = 0;
	*clsp = LX_C_SEP;
	if (s[0] < 0x80) {
		if (s[0] >= 'A' && s[0] <= 'Z') {
			*clsp = LX_C_UP;
			*cp = (char)(s[0] - 'A' + 'a');
		} else if (s[0] >= 'a' && s[0] <= 'z') {
			*clsp = LX_C_LO;
			*cp = (char)s[0];
		} else if (s[0] >= '0' && s[0] <= '9') {
			*clsp = LX_C_DG;
			*cp = (char)s[0];
		} else if (s[0] == '\'')
			*clsp = LX_C_APOS;
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 1;
	if (len > n)
		return 1;
	for (i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 1;
	if (len == 2) {
		cpv = ((unsigned)(s[0] & 0x1f) << 6) | (s[1] & 0x3f);
		if (cpv >= 0xc0 && cpv <= 0xff) {
			f = lx_latin1[cpv - 0xc0];
			if (f == '_')
				return len;
			*cp = f;
			*clsp = cpv < 0xdf ? LX_C_UP : LX_C_LO;
		} else if (cpv >= 0x100 && cpv <= 0x17f) {
			f = lx_latina[cpv - 0x100];
			*clsp = f >= 'A' && f <= 'Z' ? LX_C_UP : LX_C_LO;
			*cp = (char)(*clsp == LX_C_UP ? f - 'A' + 'a' : f);
		} else if (cpv >= 0x180)
			*clsp = LX_C_OT;
		return len;
	}
	if (len == 3) {
		/* U+2019 is an apostrophe; U+2000..U+2FFF and CJK
		   punctuation separate words. */
		if (s[0] == 0xe2 && s[1] == 0x80 && s[2] == 0x99)
			*clsp = LX_C_APOS;
		else if (s[0] != 0xe2 && !(s[0] == 0xe3 && s[1] == 0x80))
			*clsp = LX_C_OT;
		return len;
	}
	/* Four bytes: emoji separate, other scripts are letters. */
	if (!(s[0] == 0xf0 && s[1] == 0x9f))
		*clsp = LX_C_OT;
	return len;
}

typedef int lx_word_fn(void *arg, const char *w, size_t n, int start,
    int end);

struct lx_split {
	char		 w[LX_WORD_MAX + 1];
	size_t		 n;
	int		 start, end;
	lx_word_fn	*fn;
	void		*arg;
};

/* Hands the current word to the callback. */
static int
lx_flush(struct lx_split *sp)
{
	int r = 0;

	if (sp->n > 0) {
		sp->w[sp->n] = '\0';
		r = sp->fn(sp->arg, sp->w, sp->n, sp->start, sp->end);
	}
	sp->n = 0;
	return r;
}

/*
 * Splits s[0..len) into words: folded and lower-cased, split on
 * non-alphanumerics, lower-to-upper and letter/digit changes
 * ("HTMLParser" -> "html parser", "rx350" -> "rx 350"); apostrophes inside
 * words vanish ("women's" -> "womens").  fn gets each word and its byte
 * span; a nonzero return stops the split.
 */
static int
lx_split(const char *s, size_t len, lx_word_fn *fn, void *arg)
{
	struct lx_split sp;
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n, nn, lastn = 0;
	int k, pk = LX_C_SEP, ppk = LX_C_SEP, nk, lastpos = 0, r;
	char ch, nch, last[5];

	memset(&sp, 0, sizeof(sp));
	sp.fn = fn;
	sp.arg = arg;
	while (i < len) {
		n = lx_char(u + i, len - i, &k, &ch);
		if (k == LX_C_APOS) {
			nk = LX_C_SEP;
			if (i + n < len)
				(void)lx_char(u + i + n, len - i - n, &nk,
				    &nch);
			if (sp.n > 0 && pk != LX_C_DG && pk != LX_C_SEP &&
			    (nk == LX_C_LO || nk == LX_C_UP || nk == LX_C_OT)) {
				i += n;
				continue;
			}
			k = LX_C_SEP;
		}
		if (k == LX_C_SEP) {
			if ((r = lx_flush(&sp)) != 0)
				return r;
			pk = ppk = LX_C_SEP;
			i += n;
			continue;
		}
		if (sp.n > 0 && k == LX_C_LO && pk == LX_C_UP &&
		    ppk == LX_C_UP && lastn > 0 && sp.n - lastn <= 4) {
			/* "HTMLParser": the last capital starts a word. */
			nn = sp.n - lastn;
			memcpy(last, sp.w + lastn, nn);
			sp.n = lastn;
			sp.end = lastpos;
			if ((r = lx_flush(&sp)) != 0)
				return r;
			memcpy(sp.w, last, nn);
			sp.n = nn;
			sp.start = lastpos;
			lastn = 0;
		} else if (sp.n > 0 && ((k == LX_C_DG) != (pk == LX_C_DG) ||
		    (k == LX_C_UP && (pk == LX_C_LO || pk == LX_C_OT)))) {
			if ((r = lx_flush(&sp)) != 0)
				return r;
			pk = ppk = LX_C_SEP;
		}
		if (sp.n == 0)
			sp.start = (int)i;
		lastpos = (int)i;
		lastn = sp.n;
		if (ch != 0 && sp.n < LX_WORD_MAX)
			sp.w[sp.n++] = ch;
		else if (ch == 0 && sp.n + n <= LX_WORD_MAX) {
			memcpy(sp.w + sp.n, s + i, n);
			sp.n += n;
		} else
			lastn = 0;	/* truncated: no late split */
		sp.end = (int)(i + n);
		ppk = pk;
		pk = k;
		i += n;
	}
	return lx_flush(&sp);
}

/* 1 if c is an ASCII vowel (y counts). */
static int
lx_vowel(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' ||
	    c == 'y';
}

/* 1 if w[0..n) has a vowel. */
static int
lx_has_vowel(const char *w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (lx_vowel(w[i]))
			return 1;
	return 0;
}

/* 1 if w[0..n) ends with suffix sfx. */
static int
lx_ends(const char *w, size_t n, const char *sfx)
{
	size_t k = strlen(sfx);

	return n >= k && memcmp(w + n - k, sfx, k) == 0;
}

/*
 * Light suffix stemmer on a lower-case ASCII word, in place: plurals
 * (-ies -> -y, -sses, -xes/-ches/..., -s), then -ing and -ed (when a vowel
 * stays, undoubling "shipp" -> "ship"), then a final e.  Both sides of
 * every comparison go through it, so consistency matters more than
 * linguistics.  Returns the new length.
 */
static size_t
lx_stem(char *w, size_t n)
{
	static const char *const keep[] = { "always", "news", "perhaps",
	    "series", "species", "this", "thus", "yes" };
	size_t i, s;

	for (i = 0; i < n; i++)
		if (w[i] < 'a' || w[i] > 'z')
			return n;
	if (n <= 3)
		return n;
	if (w[n - 1] == 's' && n <= 7)
		for (i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
			if (strlen(keep[i]) == n && memcmp(keep[i], w, n) == 0)
				return n;
	if (n > 4 && lx_ends(w, n, "ies")) {
		n -= 2;
		w[n - 1] = 'y';
	} else if (lx_ends(w, n, "sses"))
		n -= 2;
	else if (n > 4 && lx_ends(w, n, "es") && (w[n - 3] == 's' ||
	    w[n - 3] == 'x' || w[n - 3] == 'z' || lx_ends(w, n, "ches") ||
	    lx_ends(w, n, "shes")))
		n -= 2;
	else if (w[n - 1] == 's' && !lx_ends(w, n, "ss") &&
	    !lx_ends(w, n, "us") && !lx_ends(w, n, "is"))
		n -= 1;
	s = n;
	if (n > 5 && lx_ends(w, n, "ing") && lx_has_vowel(w, n - 3))
		s = n - 3;
	else if (n > 4 && lx_ends(w, n, "ed") && !lx_ends(w, n, "eed") &&
	    lx_has_vowel(w, n - 2))
		s = n - 2;
	if (s != n) {
		n = s;
		if (n >= 4 && w[n - 1] == w[n - 2] && !lx_vowel(w[n - 1]) &&
		    w[n - 1] != 'l' && w[n - 1] != 's' && w[n - 1] != 'z')
			n--;
	}
	if (n >= 4 && w[n - 1] == 'e' && w[n - 2] != 'e')
		n--;
	w[n] = '\0';
	return n;
}

/* ---------------------------------------------------------------------- */
/* Word lists (sorted: looked up with bsearch).                           */

/*
 * Stopwords, looked up after stemming: the list also holds the stems of
 * its longer words ("befor", "thes", "wher").
 */
static const char *const lx_stops[] = {
	"a", "after", "also", "am", "an", "and", "any", "are", "as", "at",
	"be", "been", "befor", "before", "being", "but", "by", "can", "could",
	"did", "do", "doe", "does", "for", "from", "had", "has", "hav", "have",
	"her", "here", "his", "how", "i", "if", "in", "into", "is", "it",
	"its", "just", "me", "my", "now", "of", "on", "onto", "or", "our",
	"pleas", "please", "should", "so", "som", "some", "than", "that",
	"the", "their", "them", "then", "ther", "there", "thes", "these",
	"they", "this", "thos", "those", "to", "us", "via", "was", "we",
	"wer", "were", "what", "when", "wher", "where", "which", "whil",
	"while", "who", "will", "with", "would", "you", "your"
};

enum { LX_VB_NONE, LX_VB_CLICK, LX_VB_TYPE, LX_VB_SELECT, LX_VB_CHECK,
    LX_VB_SCROLL, LX_VB_KEY, LX_VB_BACK };

struct lx_class {
	const char	*w;
	int		 cls;
};

static const struct lx_class lx_verbs[] = {
	{ "activate", LX_VB_CLICK }, { "check", LX_VB_CHECK },
	{ "choose", LX_VB_SELECT }, { "click", LX_VB_CLICK },
	{ "disable", LX_VB_CHECK }, { "enable", LX_VB_CHECK },
	{ "enter", LX_VB_TYPE }, { "fill", LX_VB_TYPE },
	{ "follow", LX_VB_CLICK }, { "go", LX_VB_CLICK },
	{ "hit", LX_VB_CLICK }, { "input", LX_VB_TYPE },
	{ "insert", LX_VB_TYPE }, { "look", LX_VB_TYPE },
	{ "navigate", LX_VB_CLICK },
	{ "open", LX_VB_CLICK }, { "pick", LX_VB_SELECT },
	{ "press", LX_VB_CLICK }, { "provide", LX_VB_TYPE },
	{ "push", LX_VB_CLICK }, { "put", LX_VB_TYPE },
	{ "scroll", LX_VB_SCROLL }, { "search", LX_VB_TYPE },
	{ "select", LX_VB_SELECT }, { "set", LX_VB_TYPE },
	{ "tap", LX_VB_CLICK }, { "tick", LX_VB_CHECK },
	{ "toggle", LX_VB_CHECK }, { "type", LX_VB_TYPE },
	{ "uncheck", LX_VB_CHECK }, { "untick", LX_VB_CHECK },
	{ "visit", LX_VB_CLICK }, { "write", LX_VB_TYPE }
};

enum { LX_R_NONE, LX_R_BUTTON, LX_R_LINK, LX_R_FIELD, LX_R_SELECT,
    LX_R_CHECK, LX_R_RADIO, LX_R_TAB };

static const struct lx_class lx_roles[] = {
	{ "bar", LX_R_FIELD }, { "box", LX_R_FIELD },
	{ "btn", LX_R_BUTTON }, { "button", LX_R_BUTTON },
	{ "buttons", LX_R_BUTTON }, { "checkbox", LX_R_CHECK },
	{ "checkboxes", LX_R_CHECK }, { "combobox", LX_R_SELECT },
	{ "dropdown", LX_R_SELECT }, { "field", LX_R_FIELD },
	{ "fields", LX_R_FIELD }, { "hyperlink", LX_R_LINK },
	{ "icon", LX_R_BUTTON }, { "link", LX_R_LINK },
	{ "links", LX_R_LINK }, { "radio", LX_R_RADIO },
	{ "searchbox", LX_R_FIELD }, { "tab", LX_R_TAB },
	{ "tabs", LX_R_TAB }, { "textarea", LX_R_FIELD },
	{ "textbox", LX_R_FIELD }, { "textfield", LX_R_FIELD }
};

static const struct lx_class lx_keys[] = {
	{ "backspace", 0 }, { "delete", 1 }, { "enter", 2 },
	{ "esc", 3 }, { "escape", 3 }, { "return", 2 }, { "tab", 4 }
};
static const char *const lx_key_names[] = {
	"Backspace", "Delete", "Enter", "Escape", "Tab"
};
#define LX_KEY_ENTER	2

/* Comparison of a word with a string-list entry, for bsearch. */
static int
lx_cmp_word(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* 1 if w (a stem) is a stopword. */
static int
lx_stop(const char *w)
{
	return bsearch(&w, lx_stops, sizeof(lx_stops) / sizeof(lx_stops[0]),
	    sizeof(lx_stops[0]), lx_cmp_word) != NULL;
}

/* The class of w in a sorted class list, or 0. */
static int
lx_class_of(const struct lx_class *list, size_t n, const char *w)
{
	const struct lx_class *c;

	c = bsearch(&w, list, n, sizeof(*list), lx_cmp_word);
	return c != NULL ? c->cls : -1;
}

#define LX_NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---------------------------------------------------------------------- */
/* Decision state.                                                        */

struct lx_term {
	const char	*s;		/* the stem (arena) */
	int		 len;
	int		 stop;		/* a stopword */
	unsigned	 hash;
	int		 df;		/* marks holding it */
	int		 dflast;	/* last mark counted */
	double		 idf;		/* normalised: 1 at df 1 */
	double		 w;		/* weight in the instruction */
	double		 q;		/* scratch query weight */
	int		 served;	/* acted on, or true of the page */
	int		 mstamp, fstamp, qstamp;
	int		 odf, odflast;	/* option-local df */
};

enum { LX_F_TEXT, LX_F_ARIA, LX_F_LABEL, LX_F_ATTR, LX_NF };

struct lx_field {
	int		*t;		/* term ids, in order */
	unsigned char	*stop;
	int		 n;
	double		 idfsum;	/* over distinct content terms */
};

struct lx_opt {
	struct lx_field	 f;
};

struct lx_mark {
	const struct mark *m;
	struct lx_field	 f[LX_NF];
	struct lx_opt	*opts;
	int		 nopts;
	int		 clickable, editable, select, check, search;
	int		 role;		/* LX_R_* of its kind */
	int		 clicked;	/* clicked before */
	int		 state_done;	/* already as asked (checked, ...) */
	int		 value;		/* assigned value, -1 */
	double		 fs;		/* how well the value fits */
	int		 opt;		/* best option, -1 */
	double		 os;
	double		 lex;
	double		 score;
	enum action_op	 op;
	const char	*val;
};

enum { LX_K_CONTENT, LX_K_STOP, LX_K_VERB, LX_K_ROLE, LX_K_KEY,
    LX_K_VALUE, LX_K_HINT };

struct lx_itok {
	char		 w[LX_WORD_MAX + 1];	/* surface, folded */
	int		 term;
	int		 start, end;
	int		 clause;
	int		 quote;		/* -1 or quote index */
	int		 value;		/* -1 or value index */
	int		 hint;		/* -1 or value index */
	int		 stop, verb, role, key; /* -1: none */
	int		 kind;		/* LX_K_* */
};

struct lx_quote {
	int	 start, end;	/* inner bytes */
	int	 a, b;		/* tokens */
	int	 value;		/* 1 if it is a value */
};

enum { LX_HOW_QUOTE, LX_HOW_VERB, LX_HOW_LABEL };

struct lx_value {
	char	*s;
	int	 a, b;		/* tokens */
	int	 ha, hb;	/* tokens describing the field */
	int	 clause;
	int	 how;
	int	 search;	/* from "search for" */
	int	 lmark;		/* LX_HOW_LABEL: whose label led */
	enum action_op op;	/* ACT_TYPE or ACT_SELECT */
	int	 smark;		/* ACT_SELECT: the select's index */
	int	 sopt;		/* ACT_SELECT: the option */
	int	 done;
	int	 field;		/* mark index, -1 */
};

struct lx_clause {
	int	 a, b;		/* tokens [a, b) */
	int	 verb;		/* LX_VB_* */
	int	 vtok;		/* its verb word, -1 */
	int	 key;		/* LX_VB_KEY: index into lx_key_names */
	int	 dir;		/* LX_VB_SCROLL: 1 down, -1 up */
	int	 want;		/* LX_VB_CHECK: 1 check, 0 un-, -1 */
	int	 role;		/* LX_R_* named in it */
	int	 ncontent;
	int	 nserved;
	int	 pending;
	double	 w;
};

struct lx_ctx {
	struct lx_arena		 ar;
	int			 nomem;
	const struct policy_ctx	*pc;
	const struct obs	*obs;

	struct lx_term		*terms;
	int			 nterms, capterms;
	int			*index;
	unsigned		 nindex;
	int			 stamp;

	struct lx_mark		*mk;
	int			 nmk;

	/* scratch for tokenizing one field */
	int			 tb[LX_FIELD_MAX];
	unsigned char		 sb[LX_FIELD_MAX];
	int			 tn;

	const char		*s;	/* instruction */
	size_t			 slen;
	struct lx_itok		*tok;
	int			 ntok;
	struct lx_quote		 q[LX_QUOTE_MAX];
	int			 nq;
	struct lx_clause	 cl[LX_CLAUSE_MAX];
	int			 ncl;
	struct lx_value		 v[LX_VALUE_MAX];
	int			 nv;

	/* label runs: per instruction token, best label match */
	int			*run;	/* words matched from here */
	int			*runend;
	int			*runmark;

	/* history of the current instruction */
	int			 h0;	/* first entry considered */
	int			 nh;	/* entries of this instruction */
	int			 last_click;	/* last action clicked */
	int			 need_submit;
	int			 scrolls;
	int			 backs;
	int			 pressed[LX_NELEM(lx_key_names)];
};

/* ---------------------------------------------------------------------- */
/* Terms.                                                                 */

/* FNV-1a. */
static unsigned
lx_hash(const char *s, size_t n)
{
	unsigned h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

/* Rebuilds the index with twice the slots. */
static int
lx_rehash(struct lx_ctx *c)
{
	unsigned n = c->nindex == 0 ? 1024 : c->nindex * 2, j;
	int *ix, i;

	if ((ix = malloc(n * sizeof(*ix))) == NULL)
		return ERR_NOMEM;
	for (j = 0; j < n; j++)
		ix[j] = -1;
	for (i = 0; i < c->nterms; i++) {
		j = c->terms[i].hash & (n - 1);
		while (ix[j] != -1)
			j = (j + 1) & (n - 1);
		ix[j] = i;
	}
	free(c->index);
	c->index = ix;
	c->nindex = n;
	return 0;
}

/*
 * The id of term w[0..n); inserts it if insert is set.  -1 if absent (or
 * on allocation failure, with c->nomem set).
 */
static int
lx_term(struct lx_ctx *c, const char *w, size_t n, int insert)
{
	struct lx_term *t;
	unsigned h = lx_hash(w, n), j;
	int id;
	char *s;

	if (c->nindex != 0) {
		j = h & (c->nindex - 1);
		while ((id = c->index[j]) != -1) {
			t = &c->terms[id];
			if (t->hash == h && (size_t)t->len == n &&
			    memcmp(t->s, w, n) == 0)
				return id;
			j = (j + 1) & (c->nindex - 1);
		}
	}
	if (!insert || c->nomem)
		return -1;
	if (c->nterms >= LX_TERMS_MAX)
		return -1;
	if ((unsigned)(c->nterms + 1) * 2 > c->nindex &&
	    lx_rehash(c) != 0) {
		c->nomem = 1;
		return -1;
	}
	if (c->nterms == c->capterms) {
		int cap = c->capterms == 0 ? 1024 : c->capterms * 2;
		void *p = realloc(c->terms, (size_t)cap * sizeof(*c->terms));

		if (p == NULL) {
			c->nomem = 1;
			return -1;
		}
		c->terms = p;
		c->capterms = cap;
	}
	if ((s = lx_alloc(&c->ar, n + 1)) == NULL) {
		c->nomem = 1;
		return -1;
	}
	memcpy(s, w, n);
	id = c->nterms++;
	t = &c->terms[id];
	memset(t, 0, sizeof(*t));
	t->s = s;
	t->len = (int)n;
	t->stop = lx_stop(s);
	t->hash = h;
	t->dflast = t->odflast = -1;
	j = h & (c->nindex - 1);
	while (c->index[j] != -1)
		j = (j + 1) & (c->nindex - 1);
	c->index[j] = id;
	return id;
}

/*
 * Stems that name the same thing on web pages, mapped to one (sorted by
 * the stem; both sides of every comparison go through it).
 */
static const struct {
	const char	*from;
	const char	*to;
} lx_syn[] = {
	{ "basket", "cart" }, { "log", "sign" }, { "login", "sign" },
	{ "logon", "sign" }, { "logout", "signout" }, { "passwd", "password" },
	{ "postal", "zip" }, { "postcod", "zip" }, { "purchas", "buy" },
	{ "pwd", "password" }, { "signin", "sign" }, { "tel", "phon" },
	{ "telephon", "phon" }
};

/*
 * Stems a folded word into out (LX_WORD_MAX + 1 bytes) and maps it to its
 * synonym class; returns the length.
 */
static size_t
lx_stemmed(const char *w, size_t n, char *out)
{
	size_t lo = 0, hi = sizeof(lx_syn) / sizeof(lx_syn[0]), mid;
	int cmp;

	memcpy(out, w, n);
	out[n] = '\0';
	n = lx_stem(out, n);
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if ((cmp = strcmp(out, lx_syn[mid].from)) == 0) {
			n = strlen(lx_syn[mid].to);
			memcpy(out, lx_syn[mid].to, n + 1);
			break;
		}
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return n;
}

/* Word callback for mark fields: intern, note stopwords. */
static int
lx_field_word(void *arg, const char *w, size_t n, int start, int end)
{
	struct lx_ctx *c = arg;
	char st[LX_WORD_MAX + 1];
	size_t sn;
	int id;

	(void)start;
	(void)end;
	if (c->tn >= LX_FIELD_MAX)
		return 1;
	sn = lx_stemmed(w, n, st);
	if ((id = lx_term(c, st, sn, 1)) < 0)
		return c->nomem ? 1 : 0;
	c->tb[c->tn] = id;
	c->sb[c->tn] = (unsigned char)c->terms[id].stop;
	c->tn++;
	return 0;
}

/* Tokenizes up to LX_ATTR_MAX bytes of s, appending to the scratch. */
static void
lx_scan(struct lx_ctx *c, const char *s)
{
	size_t n;

	if (s == NULL || *s == '\0' || c->tn >= LX_FIELD_MAX)
		return;
	n = strlen(s);
	if (n > LX_ATTR_MAX)
		n = LX_ATTR_MAX;
	(void)lx_split(s, n, lx_field_word, c);
}

/* Moves the scratch into field f (arena). */
static int
lx_keep(struct lx_ctx *c, struct lx_field *f)
{
	f->n = c->tn;
	c->tn = 0;
	if (f->n == 0)
		return 0;
	if ((f->t = lx_alloc(&c->ar, (size_t)f->n * sizeof(int))) == NULL ||
	    (f->stop = lx_alloc(&c->ar, (size_t)f->n)) == NULL)
		return ERR_NOMEM;
	memcpy(f->t, c->tb, (size_t)f->n * sizeof(int));
	memcpy(f->stop, c->sb, (size_t)f->n);
	return 0;
}

/* An attribute of m as a string, or NULL. */
static const char *
lx_attr(const struct mark *m, const char *k)
{
	const cJSON *it;

	if (m->attrs == NULL)
		return NULL;
	it = cJSON_GetObjectItemCaseSensitive(m->attrs, k);
	return cJSON_IsString(it) ? it->valuestring : NULL;
}

/* 1 if s equals one of the NULL-terminated list. */
static int
lx_one_of(const char *s, const char *const *list)
{
	for (; s != NULL && *list != NULL; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Marks.                                                                 */

/* What a role, tag or input type says about an element. */
enum { LX_KF_CLICK = 1, LX_KF_SELECT = 2, LX_KF_CHECK = 4, LX_KF_RADIO = 8,
    LX_KF_LINK = 16, LX_KF_TAB = 32, LX_KF_BUTTON = 64 };

static const struct lx_class lx_kind_roles[] = {
	{ "button", LX_KF_CLICK | LX_KF_BUTTON },
	{ "checkbox", LX_KF_CLICK | LX_KF_CHECK },
	{ "combobox", LX_KF_CLICK | LX_KF_SELECT },
	{ "gridcell", LX_KF_CLICK }, { "link", LX_KF_CLICK | LX_KF_LINK },
	{ "listbox", LX_KF_CLICK | LX_KF_SELECT }, { "menuitem", LX_KF_CLICK },
	{ "menuitemcheckbox", LX_KF_CLICK }, { "menuitemradio", LX_KF_CLICK },
	{ "option", LX_KF_CLICK },
	{ "radio", LX_KF_CLICK | LX_KF_CHECK | LX_KF_RADIO },
	{ "row", LX_KF_CLICK }, { "slider", LX_KF_CLICK },
	{ "spinbutton", LX_KF_CLICK },
	{ "switch", LX_KF_CLICK | LX_KF_CHECK },
	{ "tab", LX_KF_CLICK | LX_KF_TAB },
	{ "treeitem", LX_KF_CLICK }
};
static const struct lx_class lx_kind_tags[] = {
	{ "a", LX_KF_CLICK | LX_KF_LINK },
	{ "button", LX_KF_CLICK | LX_KF_BUTTON },
	{ "details", LX_KF_CLICK }, { "label", LX_KF_CLICK },
	{ "select", LX_KF_SELECT }, { "summary", LX_KF_CLICK }
};
static const struct lx_class lx_kind_types[] = {
	{ "button", LX_KF_BUTTON }, { "checkbox", LX_KF_CHECK },
	{ "radio", LX_KF_CHECK | LX_KF_RADIO }, { "submit", LX_KF_BUTTON }
};

/* The LX_KF_* flags of s in list, 0 if none. */
static int
lx_kind_of(const struct lx_class *list, size_t n, const char *s)
{
	int f;

	if (s == NULL || *s == '\0')
		return 0;
	f = lx_class_of(list, n, s);
	return f < 0 ? 0 : f;
}

/* Fills k's kind flags from m's tag, role and type. */
static void
lx_mark_kind(struct lx_mark *k, const struct mark *m)
{
	int r = lx_kind_of(lx_kind_roles, LX_NELEM(lx_kind_roles), m->role);
	int t = lx_kind_of(lx_kind_tags, LX_NELEM(lx_kind_tags), m->tag);
	int y = lx_kind_of(lx_kind_types, LX_NELEM(lx_kind_types), m->type);
	int all = r | t | y;

	k->select = m->noptions > 0 && ((t | r) & LX_KF_SELECT) != 0;
	k->check = ((r | y) & LX_KF_CHECK) != 0;
	k->editable = m->editable && !k->select && !k->check;
	k->clickable = m->listener || ((r | t) & LX_KF_CLICK) != 0;
	if (k->editable)
		k->role = LX_R_FIELD;
	else if (all & LX_KF_SELECT)
		k->role = LX_R_SELECT;
	else if ((r | y) & LX_KF_RADIO)
		k->role = LX_R_RADIO;
	else if (k->check)
		k->role = LX_R_CHECK;
	else if ((r | t) & LX_KF_LINK)
		k->role = LX_R_LINK;
	else if (r & LX_KF_TAB)
		k->role = LX_R_TAB;
	else if (all & LX_KF_BUTTON)
		k->role = LX_R_BUTTON;
	else
		k->role = LX_R_NONE;
}

/* 1 if field f of k holds one of the terms named. */
static int
lx_field_has(struct lx_ctx *c, const struct lx_field *f,
    const char *const *words)
{
	int i;

	for (i = 0; i < f->n; i++)
		if (lx_one_of(c->terms[f->t[i]].s, words))
			return 1;
	return 0;
}

/* Tokenizes every mark's fields and options; counts document frequency. */
static int
lx_marks(struct lx_ctx *c)
{
	static const char *const attrs[] = { "placeholder", "name", "id",
	    "title", "alt" };
	static const char *const searchw[] = { "search", "query", "q",
	    "find", "keyword", NULL };
	const struct obs *o = c->obs;
	struct lx_mark *k;
	const struct mark *m;
	size_t i, j, nm, no;
	int f, r, x;

	nm = o->nmarks > OBS_MAX_MARKS ? OBS_MAX_MARKS : o->nmarks;
	if (nm == 0)
		return 0;
	if ((c->mk = lx_alloc(&c->ar, nm * sizeof(*c->mk))) == NULL)
		return ERR_NOMEM;
	c->nmk = (int)nm;
	for (i = 0; i < nm; i++) {
		k = &c->mk[i];
		m = &o->marks[i];
		k->m = m;
		k->value = k->opt = -1;
		lx_mark_kind(k, m);
		/* An input's text may be its value: that is not a name. */
		if (!(k->editable && m->value != NULL && m->value[0] != '\0' &&
		    m->text != NULL && strcmp(m->text, m->value) == 0))
			lx_scan(c, m->text);
		if ((r = lx_keep(c, &k->f[LX_F_TEXT])) != 0)
			return r;
		lx_scan(c, lx_attr(m, "aria-label"));
		if ((r = lx_keep(c, &k->f[LX_F_ARIA])) != 0)
			return r;
		lx_scan(c, m->label);
		if ((r = lx_keep(c, &k->f[LX_F_LABEL])) != 0)
			return r;
		for (j = 0; j < LX_NELEM(attrs); j++)
			lx_scan(c, lx_attr(m, attrs[j]));
		if ((k->editable || k->check) && m->type != NULL &&
		    strcmp(m->type, "text") != 0)
			lx_scan(c, m->type);
		if ((r = lx_keep(c, &k->f[LX_F_ATTR])) != 0)
			return r;
		if (c->nomem)
			return ERR_NOMEM;
		k->search = k->editable && ((m->role != NULL &&
		    strcmp(m->role, "searchbox") == 0) || (m->type != NULL &&
		    strcmp(m->type, "search") == 0) ||
		    lx_field_has(c, &k->f[LX_F_ATTR], searchw) ||
		    lx_field_has(c, &k->f[LX_F_ARIA], searchw) ||
		    lx_field_has(c, &k->f[LX_F_LABEL], searchw));
		for (f = 0; f < LX_NF; f++)
			for (x = 0; x < k->f[f].n; x++) {
				struct lx_term *t = &c->terms[k->f[f].t[x]];

				if (t->dflast != (int)i) {
					t->dflast = (int)i;
					t->df++;
				}
			}
		if (m->noptions > 0 && k->select) {
			no = m->noptions > OBS_MAX_OPTIONS ? OBS_MAX_OPTIONS :
			    m->noptions;
			if ((k->opts = lx_alloc(&c->ar, no *
			    sizeof(*k->opts))) == NULL)
				return ERR_NOMEM;
			k->nopts = (int)no;
			for (j = 0; j < no; j++) {
				lx_scan(c, m->options[j]);
				if ((r = lx_keep(c, &k->opts[j].f)) != 0)
					return r;
			}
		}
		if (c->nomem)
			return ERR_NOMEM;
	}
	return 0;
}

/* BM25-style IDF of a term found in df of n documents. */
static double
lx_idf(int df, int n)
{
	return log(1.0 + ((double)n - df + 0.5) / (df + 0.5));
}

/* Normalised IDF of every term, and each field's IDF mass. */
static void
lx_weigh(struct lx_ctx *c)
{
	double top = lx_idf(1, c->nmk > 0 ? c->nmk : 1);
	int i, f, x;

	for (i = 0; i < c->nterms; i++) {
		struct lx_term *t = &c->terms[i];

		t->idf = t->df > 0 ? lx_idf(t->df, c->nmk) / top : 0;
	}
	for (i = 0; i < c->nmk; i++)
		for (f = 0; f < LX_NF; f++) {
			struct lx_field *fl = &c->mk[i].f[f];
			int st = ++c->stamp;

			fl->idfsum = 0;
			for (x = 0; x < fl->n; x++) {
				struct lx_term *t = &c->terms[fl->t[x]];

				if (fl->stop[x] || t->fstamp == st)
					continue;
				t->fstamp = st;
				/* "Cart (3)": counts say little about what
				   an element is. */
				fl->idfsum += t->idf * (isdigit(
				    (unsigned char)t->s[0]) ? 0.3 : 1);
			}
		}
}

/* ---------------------------------------------------------------------- */
/* The instruction.                                                       */

/* 1 if byte c is an ASCII letter or digit. */
static int
lx_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/* Length of an opening quote at s[i], with its kind; 0 if none. */
static size_t
lx_quote_open(const char *s, size_t len, size_t i, int *kindp)
{
	const unsigned char *u = (const unsigned char *)s;

	if (u[i] == '"') {
		*kindp = 0;
		return 1;
	}
	if (u[i] == '\'' && (i == 0 || !lx_alnum(u[i - 1]))) {
		*kindp = 1;
		return 1;
	}
	if (i + 2 < len && u[i] == 0xe2 && u[i + 1] == 0x80 &&
	    (u[i + 2] == 0x9c || u[i + 2] == 0x98)) {
		*kindp = u[i + 2] == 0x9c ? 2 : 3;
		return 3;
	}
	if (i + 1 < len && u[i] == 0xc2 && u[i + 1] == 0xab) {
		*kindp = 4;
		return 2;
	}
	return 0;
}

/* Length of a quote of kind closing at s[i]; 0 if it does not. */
static size_t
lx_quote_close(const char *s, size_t len, size_t i, int kind)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = 0;

	switch (kind) {
	case 0:
		return u[i] == '"' ? 1 : 0;
	case 2:
		if (u[i] == '"')
			return 1;
		return i + 2 < len && u[i] == 0xe2 && u[i + 1] == 0x80 &&
		    u[i + 2] == 0x9d ? 3 : 0;
	case 4:
		return i + 1 < len && u[i] == 0xc2 && u[i + 1] == 0xbb ? 2 : 0;
	default:
		/* Single quotes: not an apostrophe inside a word. */
		if (u[i] == '\'')
			n = 1;
		else if (i + 2 < len && u[i] == 0xe2 && u[i + 1] == 0x80 &&
		    u[i + 2] == 0x99)
			n = 3;
		if (n == 0 || i == 0 || u[i - 1] == ' ')
			return 0;
		if (i + n < len && lx_alnum(u[i + n]))
			return 0;
		return n;
	}
}

/* Finds the quoted spans of the instruction. */
static void
lx_quotes(struct lx_ctx *c)
{
	size_t i = 0, j, on, cn;
	int kind;

	while (i < c->slen && c->nq < LX_QUOTE_MAX) {
		if ((on = lx_quote_open(c->s, c->slen, i, &kind)) == 0) {
			i++;
			continue;
		}
		for (j = i + on, cn = 0; j < c->slen; j++)
			if ((cn = lx_quote_close(c->s, c->slen, j, kind)) != 0)
				break;
		if (cn == 0 || j == i + on || j - (i + on) > LX_VALUE_BYTES) {
			i += on;
			continue;
		}
		c->q[c->nq].start = (int)(i + on);
		c->q[c->nq].end = (int)j;
		c->q[c->nq].a = c->q[c->nq].b = -1;
		c->nq++;
		i = j + cn;
	}
}

/* Word callback for the instruction. */
static int
lx_instr_word(void *arg, const char *w, size_t n, int start, int end)
{
	struct lx_ctx *c = arg;
	struct lx_itok *t;
	char st[LX_WORD_MAX + 1];
	size_t sn;
	int i;

	if (c->ntok >= LX_ITOK_MAX)
		return 1;
	t = &c->tok[c->ntok];
	memset(t, 0, sizeof(*t));
	memcpy(t->w, w, n);
	t->w[n] = '\0';
	sn = lx_stemmed(w, n, st);
	if ((t->term = lx_term(c, st, sn, 1)) < 0)
		return 1;
	t->start = start;
	t->end = end;
	t->quote = t->value = t->hint = -1;
	for (i = 0; i < c->nq; i++)
		if (start >= c->q[i].start && start < c->q[i].end) {
			t->quote = i;
			if (c->q[i].a < 0)
				c->q[i].a = c->ntok;
			c->q[i].b = c->ntok + 1;
		}
	t->stop = c->terms[t->term].stop;
	t->verb = lx_class_of(lx_verbs, LX_NELEM(lx_verbs), t->w);
	t->role = lx_class_of(lx_roles, LX_NELEM(lx_roles), t->w);
	t->key = lx_class_of(lx_keys, LX_NELEM(lx_keys), t->w);
	t->kind = t->stop ? LX_K_STOP : LX_K_CONTENT;
	c->ntok++;
	return 0;
}

/* 1 if a clause ends between tokens i - 1 and i. */
static int
lx_break(struct lx_ctx *c, int i)
{
	const struct lx_itok *p = &c->tok[i - 1], *t = &c->tok[i];
	int j;

	if (t->quote >= 0 && t->quote == p->quote)
		return 0;
	if (t->quote < 0 && (strcmp(t->w, "and") == 0 ||
	    strcmp(t->w, "then") == 0))
		return 1;
	for (j = p->end; j < t->start; j++) {
		switch (c->s[j]) {
		case ',':
			/* 1,000 */
			if (j == p->end && j + 1 == t->start &&
			    lx_alnum((unsigned char)c->s[j - 1]) &&
			    isdigit((unsigned char)c->s[j + 1]))
				break;
			return 1;
		case ';':
		case '!':
		case '?':
		case '\n':
			return 1;
		case '.':
			/* A full stop, not "x.org" or "3.5". */
			if (j + 1 < t->start &&
			    isspace((unsigned char)c->s[j + 1]))
				return 1;
			break;
		default:
			break;
		}
	}
	return 0;
}

/* The next token at or after i in [i, b) that is not a stopword; b if none. */
static int
lx_next_word(struct lx_ctx *c, int i, int b)
{
	while (i < b && c->tok[i].stop)
		i++;
	return i;
}

/* The next token in [i, b) that can start a value (no stopword or role). */
static int
lx_next_value_word(struct lx_ctx *c, int i, int b)
{
	while (i < b && (c->tok[i].stop || c->tok[i].kind == LX_K_ROLE))
		i++;
	return i;
}

/* Splits the instruction into clauses and reads each clause's verb. */
static void
lx_clauses(struct lx_ctx *c)
{
	struct lx_clause *cl;
	int i, j, k, prev = LX_VB_NONE;

	c->ncl = 0;
	for (i = 0; i < c->ntok; i++) {
		if (i == 0 || (lx_break(c, i) && c->ncl < LX_CLAUSE_MAX)) {
			cl = &c->cl[c->ncl++];
			memset(cl, 0, sizeof(*cl));
			cl->a = i;
			cl->vtok = -1;
			cl->want = -1;
		}
		c->tok[i].clause = c->ncl - 1;
		c->cl[c->ncl - 1].b = i + 1;
	}
	for (k = 0; k < c->ncl; k++) {
		cl = &c->cl[k];
		i = lx_next_word(c, cl->a, cl->b);
		if (i < cl->b && c->tok[i].verb > 0 && c->tok[i].quote < 0) {
			cl->vtok = i;
			cl->verb = c->tok[i].verb;
			c->tok[i].kind = LX_K_VERB;
		} else if (prev == LX_VB_TYPE)
			cl->verb = LX_VB_TYPE;	/* ", password secret" */
		if (cl->vtok >= 0) {
			const char *vw = c->tok[cl->vtok].w;

			j = lx_next_word(c, cl->vtok + 1, cl->b);
			if ((strcmp(vw, "press") == 0 ||
			    strcmp(vw, "hit") == 0) &&
			    j < cl->b && c->tok[j].key >= 0) {
				cl->verb = LX_VB_KEY;
				cl->key = c->tok[j].key;
				c->tok[j].kind = LX_K_KEY;
				if (j + 1 < cl->b &&
				    strcmp(c->tok[j + 1].w, "key") == 0)
					c->tok[j + 1].kind = LX_K_STOP;
			} else if (strcmp(vw, "go") == 0 && j < cl->b &&
			    strcmp(c->tok[j].w, "back") == 0)
				cl->verb = LX_VB_BACK;
			else if (cl->verb == LX_VB_SCROLL) {
				cl->dir = 1;
				for (j = cl->vtok + 1; j < cl->b; j++)
					if (strcmp(c->tok[j].w, "up") == 0)
						cl->dir = -1;
			} else if (cl->verb == LX_VB_CHECK)
				cl->want = strncmp(vw, "un", 2) == 0 ||
				    strcmp(vw, "disable") == 0 ? 0 :
				    strcmp(vw, "toggle") == 0 ? -1 : 1;
			else if (cl->verb == LX_VB_TYPE &&
			    strcmp(vw, "enter") == 0 && j >= cl->b) {
				/* A bare "enter" is the key. */
				cl->verb = LX_VB_KEY;
				cl->key = LX_KEY_ENTER;
			}
		}
		prev = cl->verb;
		for (j = cl->a; j < cl->b; j++)
			if (c->tok[j].kind == LX_K_CONTENT &&
			    c->tok[j].quote < 0 && c->tok[j].role > 0) {
				c->tok[j].kind = LX_K_ROLE;
				cl->role = c->tok[j].role;
			}
	}
}

/* 1 if term sequences a[0..na) and tokens [ta, tb) are equal. */
static int
lx_seq_tok_eq(struct lx_ctx *c, const struct lx_field *f, int ta, int tb)
{
	int i;

	if (f->n != tb - ta || f->n == 0)
		return 0;
	for (i = 0; i < f->n; i++)
		if (f->t[i] != c->tok[ta + i].term)
			return 0;
	return 1;
}

/* Index of the first option of select k equal to tokens [a, b), or -1. */
static int
lx_option_eq(struct lx_ctx *c, const struct lx_mark *k, int a, int b)
{
	int i;

	for (i = 0; i < k->nopts; i++)
		if (lx_seq_tok_eq(c, &k->opts[i].f, a, b))
			return i;
	return -1;
}

/* The raw value text of tokens [a, b), with attached punctuation. */
static char *
lx_value_text(struct lx_ctx *c, int a, int b)
{
	const char *s = c->s;
	int st = c->tok[a].start, en = c->tok[b - 1].end;
	char *v;

	/* "$500", "#42", "+33 1", "-5": signs stay with the value. */
	while (st > 0 && strchr("$#+-~", s[st - 1]) != NULL && s[st - 1] != 0)
		st--;
	while ((size_t)en < c->slen && !isspace((unsigned char)s[en]) &&
	    strchr("\"')]},;!?", s[en]) == NULL &&
	    !((s[en] == '.' || s[en] == ':') && ((size_t)en + 1 >= c->slen ||
	    isspace((unsigned char)s[en + 1]))))
		en++;
	if (en - st > LX_VALUE_BYTES) {
		en = st + LX_VALUE_BYTES;
		while (en > st && ((unsigned char)s[en] & 0xc0) == 0x80)
			en--;	/* not inside a UTF-8 character */
	}
	if ((v = lx_alloc(&c->ar, (size_t)(en - st) + 1)) == NULL) {
		c->nomem = 1;
		return NULL;
	}
	memcpy(v, s + st, (size_t)(en - st));
	return v;
}

/* Adds a value; tokens [a, b) are the value, [ha, hb) describe the field. */
static struct lx_value *
lx_add_value(struct lx_ctx *c, int clause, int a, int b, int ha, int hb,
    int how, const char *text)
{
	struct lx_value *v;
	char *s;
	int i;

	if (c->nv >= LX_VALUE_MAX || a >= b)
		return NULL;
	if (text != NULL) {
		if ((s = lx_alloc(&c->ar, strlen(text) + 1)) == NULL) {
			c->nomem = 1;
			return NULL;
		}
		strcpy(s, text);
	} else if ((s = lx_value_text(c, a, b)) == NULL)
		return NULL;
	v = &c->v[c->nv];
	memset(v, 0, sizeof(*v));
	v->s = s;
	v->a = a;
	v->b = b;
	v->ha = ha;
	v->hb = hb;
	v->clause = clause;
	v->how = how;
	v->op = ACT_TYPE;
	v->field = v->smark = v->sopt = v->lmark = -1;
	for (i = a; i < b; i++) {
		c->tok[i].value = c->nv;
		c->tok[i].kind = LX_K_VALUE;
	}
	for (i = ha; i < hb; i++)
		if (c->tok[i].value < 0 && c->tok[i].hint < 0 &&
		    c->tok[i].kind != LX_K_VERB) {
			c->tok[i].hint = c->nv;
			if (c->tok[i].kind == LX_K_CONTENT)
				c->tok[i].kind = LX_K_HINT;
		}
	c->nv++;
	return v;
}

/* 1 if tokens [a, b) hold a word that can be a value. */
static int
lx_valuable(struct lx_ctx *c, int a, int b)
{
	int i;

	for (i = a; i < b; i++)
		if (!c->tok[i].stop && c->tok[i].kind != LX_K_ROLE &&
		    c->tok[i].value < 0)
			return 1;
	return 0;
}

/* Index of the first token in [a, b) whose word is in list; b if none. */
static int
lx_find_word(struct lx_ctx *c, int a, int b, const char *const *list)
{
	for (; a < b; a++)
		if (c->tok[a].quote < 0 && lx_one_of(c->tok[a].w, list))
			return a;
	return b;
}

/*
 * Words that describe the field of a value at tokens [a, b) with no
 * preposition after it: the clause's words before it, else up to four
 * words right before it.
 */
static void
lx_hint_before(struct lx_ctx *c, const struct lx_clause *cl, int a,
    int *hap, int *hbp)
{
	int i, n = 0, from = cl->vtok >= 0 ? cl->vtok + 1 : cl->a;

	*hap = *hbp = a;
	for (i = from; i < a; i++)
		if (c->tok[i].value < 0 && c->tok[i].quote < 0 &&
		    !c->tok[i].stop) {
			*hap = from;
			return;
		}
	for (i = a - 1; i >= 0 && n < 4; i--) {
		if (c->tok[i].value >= 0 || c->tok[i].quote >= 0)
			break;
		if (c->tok[i].kind == LX_K_CONTENT || c->tok[i].kind ==
		    LX_K_ROLE) {
			n++;
			*hap = i;
		}
	}
}

static const char *const lx_preps[] = { "into", "in", "on", "as", "inside",
    "under", "for", "within", NULL };

/* 1 if clause cl asks to search ("search for", "look up"). */
static int
lx_search_verb(struct lx_ctx *c, const struct lx_clause *cl)
{
	return cl->verb == LX_VB_TYPE && cl->vtok >= 0 &&
	    (strcmp(c->tok[cl->vtok].w, "search") == 0 ||
	    strcmp(c->tok[cl->vtok].w, "look") == 0);
}

/* 1 if clause cl's verb says to type, not merely to set. */
static int
lx_typing(struct lx_ctx *c, const struct lx_clause *cl)
{
	static const char *const typing[] = { "type", "enter", "input",
	    "write", "insert", "search", "look", NULL };

	return cl->verb == LX_VB_TYPE && cl->vtok >= 0 &&
	    lx_one_of(c->tok[cl->vtok].w, typing);
}

/* Quoted spans: values, options or names of elements. */
static void
lx_quote_values(struct lx_ctx *c)
{
	struct lx_value *v;
	struct lx_clause *cl;
	struct lx_quote *q;
	int i, k, isval, sel, opt, ha, hb, verb;

	for (i = 0; i < c->nq; i++) {
		q = &c->q[i];
		if (q->a < 0)
			continue;
		cl = &c->cl[c->tok[q->a].clause];
		verb = cl->verb;
		sel = opt = -1;
		for (k = 0; k < c->nmk && sel < 0; k++)
			if (c->mk[k].select &&
			    (opt = lx_option_eq(c, &c->mk[k], q->a, q->b)) >= 0)
				sel = k;
		isval = 0;
		if (verb == LX_VB_TYPE)
			isval = 1;
		else if (verb == LX_VB_SELECT)
			isval = sel >= 0;
		else if (verb == LX_VB_NONE) {
			int named = 0, editables = 0;

			for (k = 0; k < c->nmk; k++) {
				const struct lx_mark *mk = &c->mk[k];

				editables += mk->editable;
				if (!mk->editable && (lx_seq_tok_eq(c,
				    &mk->f[LX_F_TEXT], q->a, q->b) ||
				    lx_seq_tok_eq(c, &mk->f[LX_F_ARIA], q->a,
				    q->b) || lx_seq_tok_eq(c,
				    &mk->f[LX_F_LABEL], q->a, q->b)))
					named = 1;
			}
			isval = !named && (sel >= 0 || editables > 0);
		}
		if (!isval)
			continue;
		/* "'v' into the X field", else the words before. */
		ha = hb = q->b;
		if (q->b < cl->b && lx_one_of(c->tok[q->b].w, lx_preps)) {
			ha = q->b + 1;
			hb = cl->b;
			for (k = ha; k < hb; k++)
				if (c->tok[k].quote >= 0) {
					hb = k;
					break;
				}
		} else
			lx_hint_before(c, cl, q->a, &ha, &hb);
		{
			char *raw = lx_alloc(&c->ar,
			    (size_t)(q->end - q->start) + 1);

			if (raw == NULL) {
				c->nomem = 1;
				return;
			}
			memcpy(raw, c->s + q->start,
			    (size_t)(q->end - q->start));
			if ((v = lx_add_value(c, c->tok[q->a].clause, q->a,
			    q->b, ha, hb, LX_HOW_QUOTE, raw)) == NULL)
				return;
		}
		q->value = 1;
		v->search = lx_search_verb(c, cl);
		if (sel >= 0 && !lx_typing(c, cl)) {
			v->op = ACT_SELECT;
			v->smark = sel;
			v->sopt = opt;
		}
	}
}

/* Finds label runs: per token, the longest field label starting there. */
static int
lx_label_runs(struct lx_ctx *c)
{
	static const int lf[] = { LX_F_TEXT, LX_F_ARIA, LX_F_LABEL,
	    LX_F_ATTR };
	const struct lx_mark *k;
	int i, j, f, x, st, n, e, last;

	if ((c->run = lx_alloc(&c->ar, (size_t)c->ntok * sizeof(int))) ==
	    NULL || (c->runend = lx_alloc(&c->ar, (size_t)c->ntok *
	    sizeof(int))) == NULL || (c->runmark = lx_alloc(&c->ar,
	    (size_t)c->ntok * sizeof(int))) == NULL)
		return ERR_NOMEM;
	for (i = 0; i < c->nmk; i++) {
		k = &c->mk[i];
		if (!k->editable || k->m->disabled)
			continue;
		st = ++c->stamp;
		for (f = 0; f < (int)LX_NELEM(lf); f++)
			for (x = 0; x < k->f[lf[f]].n; x++)
				if (!k->f[lf[f]].stop[x])
					c->terms[k->f[lf[f]].t[x]].qstamp = st;
		for (j = 0; j < c->ntok; j++) {
			n = 0;
			last = j;
			for (e = j; e < c->ntok && c->tok[e].clause ==
			    c->tok[j].clause; e++) {
				const struct lx_itok *t = &c->tok[e];

				if (t->quote >= 0 || t->value >= 0 ||
				    t->kind == LX_K_VERB)
					break;
				if (t->stop || t->kind == LX_K_ROLE)
					continue;
				if (c->terms[t->term].qstamp != st)
					break;
				n++;
				last = e + 1;
			}
			if (n > c->run[j]) {
				c->run[j] = n;
				c->runend[j] = last;
				c->runmark[j] = i;
			}
		}
	}
	return 0;
}

/* The blank-delimited chunk of the instruction around token i. */
static void
lx_chunk(struct lx_ctx *c, int i, int *ap, int *bp)
{
	int a = c->tok[i].start, b = c->tok[i].end;

	while (a > 0 && !isspace((unsigned char)c->s[a - 1]))
		a--;
	while ((size_t)b < c->slen && !isspace((unsigned char)c->s[b]))
		b++;
	*ap = a;
	*bp = b;
}

/* 1 if the blank-delimited chunk of the instruction around token i has c. */
static int
lx_chunk_has(struct lx_ctx *c, int i, int ch)
{
	int a, b;

	lx_chunk(c, i, &a, &b);
	return memchr(c->s + a, ch, (size_t)(b - a)) != NULL;
}

/* 1 if the chunk around token i looks like data (has a digit or an @). */
static int
lx_datum(struct lx_ctx *c, int i)
{
	int a, b;

	lx_chunk(c, i, &a, &b);
	for (; a < b; a++)
		if (isdigit((unsigned char)c->s[a]) || c->s[a] == '@')
			return 1;
	return 0;
}

/*
 * "zip code 90210", "phone number 555 1234": whole plain words followed
 * by data; the words describe the field and the data is the value.
 */
static void
lx_shape_split(struct lx_ctx *c, int *vbp, int ve, int *hap, int *hbp)
{
	int k;

	for (k = *vbp; k < ve; k++) {
		if (k > *vbp && !isspace((unsigned char)c->s[c->tok[k].start -
		    1]))
			continue;	/* not the start of a chunk */
		if (lx_datum(c, k))
			break;
	}
	if (k == *vbp || k >= ve)
		return;
	*hap = *vbp;
	*hbp = k;
	*vbp = k;
}

/* E-mail addresses in clauses without a verb or value: values to type. */
static void
lx_email_values(struct lx_ctx *c)
{
	struct lx_clause *cl;
	int i, b, ha, hb;

	for (i = 0; i < c->ntok; i++) {
		cl = &c->cl[c->tok[i].clause];
		if (c->tok[i].value >= 0 || c->tok[i].quote >= 0 ||
		    (cl->verb != LX_VB_NONE && cl->verb != LX_VB_TYPE) ||
		    !lx_chunk_has(c, i, '@'))
			continue;
		for (b = i + 1; b < cl->b && c->tok[b].value < 0 &&
		    c->tok[b].start <= c->tok[b - 1].end + 1 &&
		    !isspace((unsigned char)c->s[c->tok[b].start - 1]); b++)
			;
		lx_hint_before(c, cl, i, &ha, &hb);
		if (lx_add_value(c, c->tok[i].clause, i, b, ha, hb,
		    LX_HOW_VERB, NULL) == NULL)
			return;
		i = b - 1;
	}
}

/*
 * A value that is an option of a select is chosen there, not typed,
 * unless the verb says to type it.
 */
static void
lx_value_option(struct lx_ctx *c, struct lx_value *v)
{
	int k, opt;

	if (lx_typing(c, &c->cl[v->clause]))
		return;
	for (k = 0; k < c->nmk; k++)
		if (c->mk[k].select &&
		    (opt = lx_option_eq(c, &c->mk[k], v->a, v->b)) >= 0) {
			v->op = ACT_SELECT;
			v->smark = k;
			v->sopt = opt;
			return;
		}
}

/* Unquoted values led by a typing verb. */
static void
lx_verb_values(struct lx_ctx *c, struct lx_clause *cl, int ci)
{
	static const char *const with[] = { "with", NULL };
	static const char *const to[] = { "to", "as", NULL };
	static const char *const fillskip[] = { "in", "out", NULL };
	static const char *const forw[] = { "for", "up", NULL };
	static const char *const searchpreps[] = { "in", "on", "using",
	    "within", "under", NULL };
	struct lx_value *v;
	const char *vw;
	int r, j, vb, ve, ha = 0, hb = 0, search;

	if (cl->vtok < 0 || cl->verb != LX_VB_TYPE)
		return;
	for (j = cl->a; j < cl->b; j++)
		if (c->tok[j].value >= 0)
			return;		/* a quoted value already */
	vw = c->tok[cl->vtok].w;
	search = lx_search_verb(c, cl);
	r = cl->vtok + 1;
	vb = ve = -1;
	if (strcmp(vw, "fill") == 0) {
		if (r < cl->b && lx_one_of(c->tok[r].w, fillskip))
			r++;
		if ((j = lx_find_word(c, r, cl->b, with)) < cl->b) {
			ha = r;
			hb = j;
			vb = j + 1;
			ve = cl->b;
		}
	} else if (strcmp(vw, "set") == 0) {
		if ((j = lx_find_word(c, r, cl->b, to)) < cl->b) {
			ha = r;
			hb = j;
			vb = j + 1;
			ve = cl->b;
		}
	} else if (search) {
		if (r < cl->b && lx_one_of(c->tok[r].w, forw))
			r++;
		j = lx_find_word(c, r + 1, cl->b, searchpreps);
		vb = r;
		ve = j;
		ha = j < cl->b ? j + 1 : j;
		hb = cl->b;
	} else {
		if (r < cl->b && strcmp(c->tok[r].w, "in") == 0)
			r++;	/* "type in ..." */
		j = lx_find_word(c, r + 1, cl->b, lx_preps);
		if (j < cl->b) {
			vb = r;
			ve = j;
			ha = j + 1;
			hb = cl->b;
		} else {
			int s0 = lx_next_word(c, r, cl->b);

			if (s0 < cl->b && c->run[s0] > 0) {
				/* "enter username alice" */
				ha = s0;
				hb = c->runend[s0];
				vb = lx_next_value_word(c, hb, cl->b);
				ve = cl->b;
			} else {
				vb = lx_next_word(c, r, cl->b);
				ve = cl->b;
				ha = hb = r;
				lx_shape_split(c, &vb, ve, &ha, &hb);
			}
		}
	}
	if (vb < 0)
		return;
	vb = lx_next_word(c, vb, ve);	/* "type the word" */
	if (vb < ve && c->run[vb] > 0 && c->runend[vb] < ve &&
	    lx_next_value_word(c, c->runend[vb], ve) < ve) {
		/* "fill the form with first name Ann" */
		ha = vb;
		hb = c->runend[vb];
		vb = lx_next_value_word(c, hb, ve);
	}
	while (ve > vb && c->tok[ve - 1].stop)
		ve--;
	if (ve - vb > LX_VALUE_TOKS)
		ve = vb + LX_VALUE_TOKS;
	if (vb >= ve || !lx_valuable(c, vb, ve))
		return;
	if ((v = lx_add_value(c, ci, vb, ve, ha, hb, LX_HOW_VERB, NULL)) ==
	    NULL)
		return;
	v->search = search;
	lx_value_option(c, v);
}

/* Values after a field's label: "username alice, password secret". */
static void
lx_label_values(struct lx_ctx *c, struct lx_clause *cl, int ci)
{
	struct lx_value *v;
	int i, j, vb, ve, ha, hb;

	if (cl->verb != LX_VB_TYPE && cl->verb != LX_VB_NONE)
		return;
	for (j = cl->a; j < cl->b; j++)
		if (c->tok[j].value >= 0)
			return;
	i = cl->a;
	while (i < cl->b) {
		if (c->run[i] == 0 || c->tok[i].hint >= 0) {
			i++;
			continue;
		}
		vb = lx_next_value_word(c, c->runend[i], cl->b);
		for (ve = vb + 1; ve < cl->b && c->run[ve] == 0; ve++)
			;
		if (ve > cl->b)
			ve = cl->b;
		while (ve > vb && c->tok[ve - 1].stop)
			ve--;
		if (ve - vb > LX_VALUE_TOKS)
			ve = vb + LX_VALUE_TOKS;
		hb = c->runend[i];
		ha = i;
		lx_shape_split(c, &vb, ve, &ha, &hb);
		if (vb < ve && lx_valuable(c, vb, ve)) {
			if ((v = lx_add_value(c, ci, vb, ve, i, hb,
			    LX_HOW_LABEL, NULL)) == NULL)
				return;
			v->lmark = c->runmark[i];
			i = ve;
		} else
			i = c->runend[i] > i ? c->runend[i] : i + 1;
	}
}

/* Reads the instruction: words, quotes, clauses, values. */
static int
lx_instr(struct lx_ctx *c, const char *instr)
{
	int i, r;

	c->s = instr != NULL ? instr : "";
	c->slen = strlen(c->s);
	if (c->slen > LX_INSTR_MAX)
		c->slen = LX_INSTR_MAX;
	lx_quotes(c);
	if ((c->tok = lx_alloc(&c->ar, LX_ITOK_MAX * sizeof(*c->tok))) ==
	    NULL)
		return ERR_NOMEM;
	(void)lx_split(c->s, c->slen, lx_instr_word, c);
	if (c->nomem)
		return ERR_NOMEM;
	if (c->ntok == 0)
		return 0;
	lx_clauses(c);
	if ((r = lx_label_runs(c)) != 0)
		return r;
	lx_quote_values(c);
	for (i = 0; i < c->ncl; i++)
		lx_verb_values(c, &c->cl[i], i);
	for (i = 0; i < c->ncl; i++)
		lx_label_values(c, &c->cl[i], i);
	lx_email_values(c);
	return c->nomem ? ERR_NOMEM : 0;
}

/* ---------------------------------------------------------------------- */
/* History and state.                                                     */

/* Equality of two values ignoring case and surrounding blanks. */
static int
lx_value_eq(const char *a, const char *b)
{
	size_t na, nb, i;

	if (a == NULL || b == NULL)
		return 0;
	while (isspace((unsigned char)*a))
		a++;
	while (isspace((unsigned char)*b))
		b++;
	na = strlen(a);
	nb = strlen(b);
	while (na > 0 && isspace((unsigned char)a[na - 1]))
		na--;
	while (nb > 0 && isspace((unsigned char)b[nb - 1]))
		nb--;
	if (na != nb || na == 0)
		return 0;
	for (i = 0; i < na; i++)
		if (tolower((unsigned char)a[i]) !=
		    tolower((unsigned char)b[i]))
			return 0;
	return 1;
}

/* Word callback marking known terms as served. */
static int
lx_serve_word(void *arg, const char *w, size_t n, int start, int end)
{
	struct lx_ctx *c = arg;
	char st[LX_WORD_MAX + 1];
	size_t sn;
	int id;

	(void)start;
	(void)end;
	sn = lx_stemmed(w, n, st);
	if ((id = lx_term(c, st, sn, 0)) >= 0)
		c->terms[id].served = 1;
	return 0;
}

/* Marks the words of s as served. */
static void
lx_serve(struct lx_ctx *c, const char *s)
{
	size_t n;

	if (s == NULL)
		return;
	n = strlen(s);
	if (n > LX_ATTR_MAX)
		n = LX_ATTR_MAX;
	(void)lx_split(s, n, lx_serve_word, c);
}

/* Marks the content words of field f as served. */
static void
lx_serve_field(struct lx_ctx *c, const struct lx_field *f)
{
	int i;

	for (i = 0; i < f->n; i++)
		if (!f->stop[i])
			c->terms[f->t[i]].served = 1;
}

/* The text part of a history description "[role] text". */
static const char *
lx_desc_text(const char *desc, const char **rolep, size_t *rolelenp)
{
	const char *e;

	*rolep = "";
	*rolelenp = 0;
	if (desc == NULL)
		return "";
	if (desc[0] == '[' && (e = strchr(desc, ']')) != NULL) {
		*rolep = desc + 1;
		*rolelenp = (size_t)(e - desc - 1);
		desc = e + 1;
		while (*desc == ' ')
			desc++;
	}
	return desc;
}

/* 1 if mark m is what history description desc names. */
static int
lx_desc_is(const struct mark *m, const char *desc)
{
	const char *role, *text, *mr, *mt;
	size_t rl;

	text = lx_desc_text(desc, &role, &rl);
	mr = m->role != NULL && m->role[0] != '\0' ? m->role :
	    m->tag != NULL ? m->tag : "";
	mt = m->text != NULL && m->text[0] != '\0' ? m->text :
	    m->label != NULL ? m->label : "";
	if (*text == '\0')
		return 0;
	if (rl != 0 && (strlen(mr) != rl || strncmp(mr, role, rl) != 0))
		return 0;
	return strcmp(mt, text) == 0;
}

/* Reads the history of the current instruction. */
static void
lx_history(struct lx_ctx *c)
{
	const struct policy_ctx *pc = c->pc;
	const struct policy_hist *h, *last;
	const char *url = c->obs->url != NULL ? c->obs->url : "", *role;
	const struct mark *pm = NULL;
	size_t i, from, rl;
	int j, k, search = 0;

	if (pc->hist == NULL || pc->nhist == 0)
		return;
	from = pc->nhist > LX_HIST_MAX ? pc->nhist - LX_HIST_MAX : 0;
	for (i = from; i < pc->nhist; i++) {
		h = &pc->hist[i];
		if (h->instr != pc->instr_index)
			continue;
		c->nh++;
		lx_serve(c, lx_desc_text(h->desc, &role, &rl));
		switch (h->act.op) {
		case ACT_TYPE:
		case ACT_SELECT:
			lx_serve(c, h->act.value);
			for (k = 0; k < c->nv; k++)
				if (lx_value_eq(c->v[k].s, h->act.value))
					c->v[k].done = 1;
			break;
		case ACT_PRESS:
			for (k = 0; k < (int)LX_NELEM(lx_key_names); k++)
				if (h->act.key != NULL &&
				    strcmp(h->act.key, lx_key_names[k]) == 0)
					c->pressed[k] = 1;
			break;
		case ACT_SCROLL:
			c->scrolls++;
			break;
		case ACT_BACK:
			c->backs++;
			break;
		case ACT_CLICK:
		case ACT_HOVER:
			/* The last action is traced exactly below; older ones
			   by description when it names one mark only. */
			if (h->act.mark <= 0 || h->url == NULL ||
			    strcmp(h->url, url) != 0 ||
			    (i == pc->nhist - 1 && pc->prev != NULL))
				break;
			for (j = 0, k = -1; j < c->nmk; j++)
				if (lx_desc_is(c->mk[j].m, h->desc))
					k = k == -1 ? j : -2;
			if (k >= 0)
				c->mk[k].clicked = 1;
			break;
		default:
			break;
		}
	}
	/* The last action overall: did it open something? */
	last = &pc->hist[pc->nhist - 1];
	c->last_click = last->act.op == ACT_CLICK ||
	    last->act.op == ACT_HOVER;
	if (last->instr != pc->instr_index)
		return;
	/* The trace of marks ties the last action to today's element. */
	if (pc->prev != NULL && last->act.mark > 0 && c->last_click)
		for (j = 0; j < c->nmk; j++)
			if (c->mk[j].m->prev == last->act.mark &&
			    c->mk[j].m->change != MARK_NEW)
				c->mk[j].clicked = 1;
	if (last->act.op != ACT_TYPE || last->act.submit ||
	    last->url == NULL || strcmp(last->url, url) != 0)
		return;
	/* Typed into a search field and still here: submit it. */
	if (pc->prev != NULL)
		for (i = 0; i < pc->prev->nmarks; i++)
			if (pc->prev->marks[i].id == last->act.mark)
				pm = &pc->prev->marks[i];
	for (j = 0; j < c->nmk; j++)
		if (c->mk[j].search && ((pm != NULL &&
		    c->mk[j].m->prev == pm->id) ||
		    lx_desc_is(c->mk[j].m, last->desc)))
			search = 1;
	if (pm != NULL && ((pm->role != NULL &&
	    strcmp(pm->role, "searchbox") == 0) || (pm->type != NULL &&
	    strcmp(pm->type, "search") == 0)))
		search = 1;
	c->need_submit = search;
}

/* Value states: which fields already hold which values. */
static void
lx_value_state(struct lx_ctx *c)
{
	struct lx_value *v;
	struct lx_mark *k;
	int i, j;

	for (i = 0; i < c->nv; i++) {
		v = &c->v[i];
		if (v->op == ACT_SELECT) {
			k = &c->mk[v->smark];
			if (k->m->option_selected == v->sopt) {
				v->done = 1;
				v->field = v->smark;
				lx_serve_field(c, &k->opts[v->sopt].f);
			}
			continue;
		}
		for (j = 0; j < c->nmk; j++) {
			k = &c->mk[j];
			if (!k->editable || k->value >= 0 ||
			    !lx_value_eq(k->m->value, v->s))
				continue;
			v->done = 1;
			v->field = j;
			k->value = i;
			lx_serve_field(c, &k->f[LX_F_LABEL]);
			lx_serve_field(c, &k->f[LX_F_ARIA]);
			lx_serve_field(c, &k->f[LX_F_ATTR]);
			break;
		}
	}
}

/* ---------------------------------------------------------------------- */
/* Matching.                                                              */

/*
 * IDF-weighted overlap between the query terms (term->w, or term->q with
 * useq) and mark k: each query term counts once, in its best field (text
 * and aria-label 1, label 0.9 for fields else 0.5, attributes 0.8),
 * times (0.6 + 0.4 * coverage of the best-covered field).
 */
static double
lx_overlap(struct lx_ctx *c, const struct lx_mark *k, int useq)
{
	static const int ford[2][LX_NF] = {
		{ LX_F_TEXT, LX_F_ARIA, LX_F_LABEL, LX_F_ATTR },
		{ LX_F_TEXT, LX_F_ARIA, LX_F_ATTR, LX_F_LABEL } };
	const int *order;
	const struct lx_field *f;
	struct lx_term *t;
	double sum = 0, cov = 0, fw, matched, qw;
	int i, x, ms, fs, labelled;

	labelled = k->editable || k->select || k->check;
	order = ford[labelled ? 0 : 1];
	ms = ++c->stamp;
	for (i = 0; i < LX_NF; i++) {
		f = &k->f[order[i]];
		fw = order[i] == LX_F_LABEL ? (labelled ? 0.9 : 0.5) :
		    order[i] == LX_F_ATTR ? 0.8 : 1.0;
		fs = ++c->stamp;
		matched = 0;
		for (x = 0; x < f->n; x++) {
			if (f->stop[x])
				continue;
			t = &c->terms[f->t[x]];
			qw = useq ? t->q : t->w;
			if (qw <= 0)
				continue;
			if (t->fstamp != fs) {
				t->fstamp = fs;
				matched += t->idf;
			}
			if (t->mstamp != ms) {
				t->mstamp = ms;
				sum += t->idf * qw * fw;
			}
		}
		if (f->idfsum > 0 && matched / f->idfsum > cov)
			cov = matched / f->idfsum;
	}
	return sum * (0.6 + 0.4 * (cov > 1 ? 1 : cov));
}

/* 1 if instruction token i may take part in matching a mark's name. */
static int
lx_nameable(const struct lx_itok *t)
{
	return t->kind == LX_K_CONTENT || t->kind == LX_K_STOP ||
	    t->kind == LX_K_ROLE;
}

/*
 * If field f's whole word sequence occurs in one clause of the
 * instruction, the weight of that clause (the best occurrence), else 0.
 */
static double
lx_phrase(struct lx_ctx *c, const struct lx_field *f)
{
	double best = 0;
	int i, j, content = 0;

	if (f->n == 0 || f->n > LX_PHRASE_MAX)
		return 0;
	for (j = 0; j < f->n; j++)
		content += !f->stop[j];
	if (content == 0)
		return 0;
	for (i = 0; i + f->n <= c->ntok; i++) {
		for (j = 0; j < f->n; j++) {
			const struct lx_itok *t = &c->tok[i + j];

			if (t->term != f->t[j] || !lx_nameable(t) ||
			    t->clause != c->tok[i].clause)
				break;
		}
		if (j == f->n && c->cl[c->tok[i].clause].w > best)
			best = c->cl[c->tok[i].clause].w;
	}
	if (best > 0) {
		for (j = 0; j < f->n; j++)
			if (!f->stop[j] && !c->terms[f->t[j]].served)
				break;
		if (j == f->n)
			best *= LX_W_USED;
	}
	return best;
}

/* The weight of a quoted name field f equals exactly, else 0. */
static double
lx_quoted(struct lx_ctx *c, const struct lx_field *f)
{
	double best = 0;
	int i;

	for (i = 0; i < c->nq; i++)
		if (!c->q[i].value && c->q[i].a >= 0 &&
		    lx_seq_tok_eq(c, f, c->q[i].a, c->q[i].b) &&
		    c->cl[c->tok[c->q[i].a].clause].w > best)
			best = c->cl[c->tok[c->q[i].a].clause].w;
	return best;
}

/* Words that order steps ("First, ...") and ask for nothing themselves. */
static const char *const lx_seqw[] = { "afterwards", "finally", "first",
    "firstly", "lastly", "next", "second", "secondly", "third", NULL };

/* Counts each clause's own words and how many are served; sets pending. */
static void
lx_pending(struct lx_ctx *c)
{
	struct lx_clause *cl;
	int i, j, need;

	for (i = 0; i < c->ncl; i++) {
		cl = &c->cl[i];
		cl->ncontent = cl->nserved = 0;
		for (j = cl->a; j < cl->b; j++)
			if (c->tok[j].kind == LX_K_CONTENT &&
			    !lx_one_of(c->tok[j].w, lx_seqw)) {
				cl->ncontent++;
				cl->nserved += c->terms[c->tok[j].term].served;
			}
		switch (cl->verb) {
		case LX_VB_KEY:
			cl->pending = !c->pressed[cl->key];
			continue;
		case LX_VB_SCROLL:
			cl->pending = c->scrolls == 0;
			continue;
		case LX_VB_BACK:
			cl->pending = c->backs == 0 && cl->nserved == 0;
			continue;
		default:
			break;
		}
		cl->pending = 0;
		for (j = 0; j < c->nv; j++)
			if (c->v[j].clause == i && !c->v[j].done)
				cl->pending = 1;
		need = cl->ncontent - (cl->ncontent >= 4 ? 1 : 0);
		if (cl->ncontent > 0 && cl->nserved < need)
			cl->pending = 1;
	}
}

/* Clause weights and the weight each content word asks for. */
static void
lx_weights(struct lx_ctx *c)
{
	struct lx_term *t;
	int i, first = 1;
	double w;

	for (i = 0; i < c->ncl; i++) {
		if (!c->cl[i].pending)
			c->cl[i].w = LX_W_SERVED;
		else if (first) {
			c->cl[i].w = LX_W_FIRST;
			first = 0;
		} else
			c->cl[i].w = LX_W_LATER;
	}
	for (i = 0; i < c->nterms; i++)
		c->terms[i].w = 0;
	for (i = 0; i < c->ntok; i++) {
		if (c->tok[i].kind != LX_K_CONTENT)
			continue;
		t = &c->terms[c->tok[i].term];
		w = c->cl[c->tok[i].clause].w;
		if (t->served && w > LX_W_USED)
			w = LX_W_USED;
		if (w > t->w)
			t->w = w;
	}
}

/* The first pending clause, or -1. */
static int
lx_first_pending(const struct lx_ctx *c)
{
	int i;

	for (i = 0; i < c->ncl; i++)
		if (c->cl[i].pending)
			return i;
	return -1;
}

/* Sets the query weight of value v's describing words to w. */
static void
lx_hint_query(struct lx_ctx *c, const struct lx_value *v, double w)
{
	const struct lx_clause *cl = &c->cl[v->clause];
	int x;

	for (x = v->ha; x < v->hb; x++)
		if (c->tok[x].kind == LX_K_HINT ||
		    c->tok[x].kind == LX_K_CONTENT)
			c->terms[c->tok[x].term].q = w;
	if (v->search && cl->vtok >= 0)
		c->terms[c->tok[cl->vtok].term].q = w;
}

static const char *const lx_mailw[] = { "email", "mail", NULL };

/* How well editable k fits value v (query weights already set). */
static double
lx_fit(struct lx_ctx *c, const struct lx_value *v, int vi, int j)
{
	const struct lx_mark *k = &c->mk[j];
	double fs;

	(void)vi;
	fs = lx_overlap(c, k, 1);
	if (v->how == LX_HOW_LABEL && v->lmark == j)
		fs += 0.8;
	if (v->search && k->search)
		fs += 0.6;
	/* The shape of the value: an e-mail address wants an e-mail field. */
	if (strchr(v->s, '@') != NULL && strchr(v->s, ' ') == NULL &&
	    ((k->m->type != NULL && strcmp(k->m->type, "email") == 0) ||
	    lx_field_has(c, &k->f[LX_F_LABEL], lx_mailw) ||
	    lx_field_has(c, &k->f[LX_F_ATTR], lx_mailw) ||
	    lx_field_has(c, &k->f[LX_F_ARIA], lx_mailw)))
		fs += 0.5;
	return fs;
}

/*
 * Assigns each value to the editable field that best fits the words that
 * describe it, best pair first; values nothing describes go to the first
 * free field (a search field for "search for", else an empty one).
 */
static void
lx_assign(struct lx_ctx *c)
{
	struct lx_value *v;
	struct lx_mark *k;
	double best, fs;
	int i, j, bv, bm, rank, brank;

	for (;;) {
		best = 0;
		bv = bm = -1;
		for (i = 0; i < c->nv; i++) {
			v = &c->v[i];
			if (v->done || v->field >= 0 || v->op != ACT_TYPE)
				continue;
			lx_hint_query(c, v, 1);
			for (j = 0; j < c->nmk; j++) {
				k = &c->mk[j];
				if (!k->editable || k->value >= 0 ||
				    k->m->disabled)
					continue;
				fs = lx_fit(c, v, i, j);
				if (fs > best + 1e-9) {
					best = fs;
					bv = i;
					bm = j;
				}
			}
			lx_hint_query(c, v, 0);
		}
		if (bv < 0)
			break;
		c->v[bv].field = bm;
		c->mk[bm].value = bv;
		c->mk[bm].fs = best;
	}
	for (i = 0; i < c->nv; i++) {
		v = &c->v[i];
		if (v->done || v->field >= 0 || v->op != ACT_TYPE)
			continue;
		bm = -1;
		brank = 4;
		for (j = 0; j < c->nmk; j++) {
			k = &c->mk[j];
			if (!k->editable || k->value >= 0 || k->m->disabled)
				continue;
			rank = (v->search && k->search ? 0 : 2) +
			    (k->m->value == NULL || k->m->value[0] == '\0' ?
			    0 : 1);
			if (rank < brank) {
				brank = rank;
				bm = j;
			}
		}
		if (bm < 0)
			continue;
		v->field = bm;
		c->mk[bm].value = i;
		c->mk[bm].fs = 0.05;
	}
}

/*
 * A value with no field on this page (a search box behind an icon): the
 * words describing its field name what to click to open it.
 */
static void
lx_unplaced(struct lx_ctx *c)
{
	const struct lx_value *v;
	const struct lx_clause *cl;
	struct lx_term *t;
	int i, x;

	for (i = 0; i < c->nv; i++) {
		v = &c->v[i];
		if (v->done || v->field >= 0 || v->op != ACT_TYPE)
			continue;
		cl = &c->cl[v->clause];
		for (x = v->ha; x < v->hb; x++)
			if (c->tok[x].kind == LX_K_HINT) {
				t = &c->terms[c->tok[x].term];
				if (t->w < 0.5)
					t->w = 0.5;
			}
		if (v->search && cl->vtok >= 0) {
			t = &c->terms[c->tok[cl->vtok].term];
			if (t->w < 0.5)
				t->w = 0.5;
		}
	}
}

/* Scores the options of select k against the instruction. */
static void
lx_options(struct lx_ctx *c, struct lx_mark *k)
{
	struct lx_term *t;
	const struct lx_field *f;
	double top, s, sum, matched, mass, ph;
	int i, j, x, st, fst;

	k->opt = -1;
	k->os = 0;
	if (k->nopts == 0)
		return;
	/* Option-local document frequency. */
	for (i = 0; i < k->nopts; i++)
		for (x = 0; x < k->opts[i].f.n; x++) {
			t = &c->terms[k->opts[i].f.t[x]];
			t->odf = 0;
			t->odflast = -1;
		}
	for (i = 0; i < k->nopts; i++)
		for (x = 0; x < k->opts[i].f.n; x++) {
			t = &c->terms[k->opts[i].f.t[x]];
			if (t->odflast != i) {
				t->odflast = i;
				t->odf++;
			}
		}
	top = lx_idf(1, k->nopts);
	/* Query: every content word not part of a value to type. */
	st = ++c->stamp;
	for (j = 0; j < c->ntok; j++) {
		const struct lx_itok *it = &c->tok[j];

		if (it->stop || it->kind == LX_K_VERB || it->kind == LX_K_KEY ||
		    (it->value >= 0 && c->v[it->value].op == ACT_TYPE))
			continue;
		c->terms[it->term].qstamp = st;
	}
	for (i = 0; i < k->nopts; i++) {
		f = &k->opts[i].f;
		sum = matched = mass = 0;
		fst = ++c->stamp;
		for (x = 0; x < f->n; x++) {
			if (f->stop[x])
				continue;
			t = &c->terms[f->t[x]];
			if (t->fstamp == fst)
				continue;
			t->fstamp = fst;
			s = lx_idf(t->odf, k->nopts) / top;
			mass += s;
			if (t->qstamp == st)
				sum += s;
		}
		matched = sum;
		if (mass > 0)
			sum *= 0.6 + 0.4 * matched / mass;
		ph = 0;
		for (x = 0; x < c->nq; x++)
			if (c->q[x].a >= 0 &&
			    lx_seq_tok_eq(c, f, c->q[x].a, c->q[x].b))
				ph = 1.0;
		if (ph < 0.5 && sum > 0) {
			/* the whole option, as words of the instruction */
			for (j = 0; j + f->n <= c->ntok && f->n > 0; j++) {
				for (x = 0; x < f->n; x++)
					if (c->tok[j + x].term != f->t[x] ||
					    c->tok[j + x].kind == LX_K_VERB)
						break;
				if (x == f->n) {
					ph = 0.5;
					break;
				}
			}
		}
		sum += ph;
		if (sum > k->os + 1e-9) {
			k->os = sum;
			k->opt = i;
		}
	}
}

/* 1 if mark k fits the role word r. */
static int
lx_role_fits(const struct lx_mark *k, int r)
{
	if (r == LX_R_NONE)
		return 0;
	if (r == LX_R_FIELD)
		return k->editable;
	if (r == LX_R_SELECT)
		return k->select || k->role == LX_R_SELECT;
	return k->role == r;
}

/* Scores every mark and picks its operation. */
static void
lx_score_marks(struct lx_ctx *c)
{
	struct lx_mark *k;
	const struct lx_clause *fc;
	double lex, ph, qb, s;
	int i, x, fp, nnew = 0, boost_new, named;

	fp = lx_first_pending(c);
	fc = fp >= 0 ? &c->cl[fp] : NULL;
	for (i = 0; i < c->nmk; i++)
		nnew += c->mk[i].m->change == MARK_NEW;
	boost_new = c->pc->prev != NULL && c->last_click && nnew > 0 &&
	    nnew * 10 < c->nmk * 7;
	for (i = 0; i < c->nmk; i++) {
		k = &c->mk[i];
		lex = lx_overlap(c, k, 0);
		if (lex > 0) {
			ph = lx_phrase(c, &k->f[LX_F_TEXT]);
			s = lx_phrase(c, &k->f[LX_F_ARIA]);
			if (s > ph)
				ph = s;
			if (!k->editable) {
				s = lx_phrase(c, &k->f[LX_F_LABEL]) *
				    (k->check || k->select ? 1 : 0.5);
				if (s > ph)
					ph = s;
			}
			lex += 0.4 * ph;
			qb = lx_quoted(c, &k->f[LX_F_TEXT]);
			s = lx_quoted(c, &k->f[LX_F_ARIA]);
			if (s > qb)
				qb = s;
			s = lx_quoted(c, &k->f[LX_F_LABEL]);
			if (s > qb)
				qb = s;
			lex += 1.5 * qb;
			/* Role priors. */
			if (fc != NULL) {
				if ((fc->verb == LX_VB_CLICK ||
				    fc->verb == LX_VB_NONE) && k->clickable &&
				    !k->editable)
					lex += 0.1;
				if (fc->verb == LX_VB_CLICK && k->editable)
					lex -= 0.1;
				if (fc->verb == LX_VB_CHECK && k->check)
					lex += 0.3;
				if (fc->verb == LX_VB_SELECT && (k->select ||
				    k->role == LX_R_RADIO ||
				    (k->m->role != NULL &&
				    strcmp(k->m->role, "option") == 0)))
					lex += 0.2;
				if (lx_role_fits(k, fc->role))
					lex += 0.3;
			}
			if (boost_new && k->m->change == MARK_NEW)
				lex = lex * 1.5 + 0.1;
			if (lex < 0)
				lex = 0;
		}
		k->lex = lex;
		k->op = ACT_CLICK;
		k->val = NULL;
		if (k->editable) {
			if (k->value >= 0 && !c->v[k->value].done) {
				k->op = ACT_TYPE;
				k->val = c->v[k->value].s;
				s = LX_TYPE_BASE + (k->fs > 1.5 ? 1.5 :
				    k->fs) + 0.2 * lex;
				/* Values in the order of the instruction; a
				   value no field fits waits behind clicks. */
				if (c->v[k->value].clause == fp)
					s += 0.5;
				else if (k->fs < 0.1)
					s -= 0.4;
				s -= 0.002 * c->v[k->value].a;
			} else if (k->value >= 0)
				s = 0.05 * lex;
			else
				s = 0.5 * lex;
		} else if (k->select) {
			lx_options(c, k);
			s = 0.3 * lex;
			named = lex > 0 || (fc != NULL &&
			    fc->verb == LX_VB_SELECT);
			for (x = 0; x < c->nv; x++)
				if (c->v[x].op == ACT_SELECT &&
				    c->v[x].smark == i) {
					/* Named outright: "set size to 'M'". */
					k->opt = c->v[x].sopt;
					k->os = 1.5;
					named = 1;
				}
			if (k->opt >= 0 && k->os >= LX_OPT_MIN) {
				k->op = ACT_SELECT;
				k->val = k->m->options[k->opt];
				if (k->m->option_selected == k->opt) {
					s = 0.05;
					k->state_done = 1;
				} else
					s = named ? LX_SELECT_BASE + k->os +
					    0.5 * lex : 0.3 * k->os;
			}
		} else
			s = lex;
		if (k->op == ACT_CLICK && k->clicked)
			s *= LX_CLICKED;
		if (k->op == ACT_CLICK && k->check && fc != NULL &&
		    fc->verb == LX_VB_CHECK && fc->want >= 0 &&
		    k->m->checked == fc->want && lex >= 0.5) {
			/* Already in the state asked for. */
			s *= 0.1;
			k->state_done = 1;
		}
		if (k->m->disabled)
			s *= 0.2;
		k->score = s;
	}
	/* What is already true of the page serves the instruction. */
	for (i = 0; i < c->nmk; i++) {
		k = &c->mk[i];
		if (!k->state_done)
			continue;
		if (k->select && k->opt >= 0)
			lx_serve_field(c, &k->opts[k->opt].f);
		else {
			lx_serve_field(c, &k->f[LX_F_TEXT]);
			lx_serve_field(c, &k->f[LX_F_ARIA]);
		}
		lx_serve_field(c, &k->f[LX_F_LABEL]);
	}
}

/* ---------------------------------------------------------------------- */
/* Candidates and the decision.                                           */

struct lx_cand {
	enum action_op	 op;
	int		 mark;
	const char	*value;
	const char	*key;
	int		 dir;
	double		 score;
	int		 order;
};

/* Orders candidates by score, then by order (mark id, then pseudo). */
static int
lx_cand_cmp(const void *a, const void *b)
{
	const struct lx_cand *x = a, *y = b;

	if (x->score > y->score)
		return -1;
	if (x->score < y->score)
		return 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Turns a candidate into an action (allocated strings). */
static void
lx_cand_action(const struct lx_cand *k, struct action *a)
{
	memset(a, 0, sizeof(*a));
	a->op = k->op;
	a->mark = k->mark;
	a->value = k->value != NULL ? xstrdup(k->value) : NULL;
	a->key = k->key != NULL ? xstrdup(k->key) : NULL;
	a->dir = k->dir;
}

/* Builds the candidates and fills d. */
static int
lx_decide_all(struct lx_ctx *c, struct policy_decision *d)
{
	const struct obs *o = c->obs;
	struct lx_cand *cand, *k;
	double best = 0, done, press = 0;
	int i, n = 0, pend_values = 0, pend_clauses = 0, can_scroll,
	    pkey = LX_KEY_ENTER, fp, scroll_dir = 0, back = 0;

	if ((cand = lx_alloc(&c->ar, ((size_t)c->nmk + 8) *
	    sizeof(*cand))) == NULL)
		return ERR_NOMEM;
	for (i = 0; i < c->nmk; i++) {
		const struct lx_mark *mk = &c->mk[i];

		k = &cand[n++];
		k->op = mk->op;
		k->mark = mk->m->id;
		k->value = mk->val;
		k->score = mk->score;
		k->order = mk->m->id;
		if (mk->score > best)
			best = mk->score;
	}
	/* What remains to do. */
	lx_pending(c);
	fp = lx_first_pending(c);
	for (i = 0; i < c->nv; i++)
		pend_values += !c->v[i].done;
	for (i = 0; i < c->ncl; i++) {
		const struct lx_clause *cl = &c->cl[i];

		if (!cl->pending)
			continue;
		pend_clauses++;
		if (cl->verb == LX_VB_KEY && press < 1.0 + 0.3 * (i == fp)) {
			press = 1.0 + 0.3 * (i == fp);
			pkey = cl->key;
		} else if (cl->verb == LX_VB_SCROLL && scroll_dir == 0)
			scroll_dir = cl->dir;
		else if (cl->verb == LX_VB_BACK)
			back = 1;
	}
	if (c->need_submit && pend_values > 0)
		c->need_submit = 0;
	if (c->need_submit && press < LX_SUBMIT) {
		press = LX_SUBMIT;
		pkey = LX_KEY_ENTER;
	}
	can_scroll = o->page_h > o->scroll_y + o->vh + 1;
	if (press > 0) {
		k = &cand[n++];
		k->op = ACT_PRESS;
		k->key = lx_key_names[pkey];
		k->score = press;
		k->order = INT32_MAX - 4;
	}
	if (scroll_dir != 0 && (scroll_dir > 0 ? can_scroll :
	    o->scroll_y > 0)) {
		k = &cand[n++];
		k->op = ACT_SCROLL;
		k->dir = scroll_dir;
		k->score = 1.0;
		k->order = INT32_MAX - 3;
	} else if (can_scroll && pend_values + pend_clauses > 0) {
		k = &cand[n++];
		k->op = ACT_SCROLL;
		k->dir = 1;
		k->score = LX_SCROLL - 0.02 * (c->scrolls > 5 ? 5 :
		    c->scrolls);
		k->order = INT32_MAX - 3;
	}
	if (back) {
		k = &cand[n++];
		k->op = ACT_BACK;
		k->score = 0.9;
		k->order = INT32_MAX - 2;
	}
	if (pend_values + pend_clauses + c->need_submit == 0)
		done = LX_DONE_ALL;
	else if (c->nh > 0 && best < LX_LOW && !can_scroll && press <= 0)
		done = LX_DONE_LOW;
	else
		done = LX_DONE_MIN;
	k = &cand[n++];
	k->op = ACT_DONE;
	k->score = done;
	k->order = INT32_MAX - 1;

	qsort(cand, (size_t)n, sizeof(*cand), lx_cand_cmp);
	for (i = 0; i < n && i < POLICY_TOP; i++) {
		lx_cand_action(&cand[i], &d->top[i].act);
		d->top[i].score = cand[i].score;
	}
	d->ntop = (size_t)i;
	action_copy(&d->act, &d->top[0].act);
	d->score = d->top[0].score;
	return 0;
}

/* ---------------------------------------------------------------------- */
/* The policy.                                                            */

struct lx_policy {
	int	 unused;
};

/*
 * Analyses pc: the marks, the instruction, the history, and every mark's
 * score; *cp is allocated (lx_ctx_free) even on failure.
 */
static int
lx_analyse(const struct policy_ctx *pc, struct lx_ctx **cp)
{
	static const struct obs empty;
	struct lx_ctx *c;
	int r;

	*cp = c = xcalloc(1, sizeof(*c));
	c->pc = pc;
	c->obs = pc->obs != NULL ? pc->obs : &empty;
	if ((r = lx_marks(c)) != 0)
		return r;
	lx_weigh(c);
	if ((r = lx_instr(c, pc->instr)) != 0)
		return r;
	lx_history(c);
	lx_value_state(c);
	lx_pending(c);
	lx_weights(c);
	lx_assign(c);
	lx_unplaced(c);
	lx_score_marks(c);
	return 0;
}

/* Frees what lx_analyse() made. */
static void
lx_ctx_free(struct lx_ctx *c)
{
	if (c == NULL)
		return;
	lx_arena_free(&c->ar);
	free(c->terms);
	free(c->index);
	free(c);
}

/* Chooses an action for ctx. */
static int
lx_decide(void *self, const struct policy_ctx *pc, struct policy_decision *d,
    char **causep)
{
	struct lx_ctx *c;
	int r;

	(void)self;
	if ((r = lx_analyse(pc, &c)) == 0)
		r = lx_decide_all(c, d);
	if (r == ERR_NOMEM && causep != NULL)
		*causep = xstrdup("lexical: page too large to analyse");
	lx_ctx_free(c);
	return r;
}

/* Frees the policy. */
static void
lx_free(void *self)
{
	free(self);
}

const struct policy_ops policy_lexical_ops = {
	"lexical", lx_decide, lx_free
};

/* 1 if the word lists are sorted, as bsearch needs. */
static int
lx_lists_sorted(void)
{
	size_t i;

	for (i = 1; i < LX_NELEM(lx_stops); i++)
		if (strcmp(lx_stops[i - 1], lx_stops[i]) >= 0)
			return 0;
	for (i = 1; i < LX_NELEM(lx_verbs); i++)
		if (strcmp(lx_verbs[i - 1].w, lx_verbs[i].w) >= 0)
			return 0;
	for (i = 1; i < LX_NELEM(lx_roles); i++)
		if (strcmp(lx_roles[i - 1].w, lx_roles[i].w) >= 0)
			return 0;
	for (i = 1; i < LX_NELEM(lx_keys); i++)
		if (strcmp(lx_keys[i - 1].w, lx_keys[i].w) >= 0)
			return 0;
	for (i = 1; i < LX_NELEM(lx_kind_roles); i++)
		if (strcmp(lx_kind_roles[i - 1].w, lx_kind_roles[i].w) >= 0)
			return 0;
	for (i = 1; i < LX_NELEM(lx_kind_tags); i++)
		if (strcmp(lx_kind_tags[i - 1].w, lx_kind_tags[i].w) >= 0)
			return 0;
	for (i = 1; i < LX_NELEM(lx_syn); i++)
		if (strcmp(lx_syn[i - 1].from, lx_syn[i].from) >= 0)
			return 0;
	for (i = 1; i < LX_NELEM(lx_kind_types); i++)
		if (strcmp(lx_kind_types[i - 1].w, lx_kind_types[i].w) >= 0)
			return 0;
	return 1;
}

/* Creates the lexical policy (it has no parameters). */
int
policy_lexical_new(const struct policy_params *p, void **selfp, char **causep)
{
	(void)p;
	if (causep != NULL)
		*causep = NULL;
	*selfp = NULL;
	if (!lx_lists_sorted()) {
		if (causep != NULL)
			*causep = xstrdup("lexical: word lists not sorted");
		return ERR_INTERNAL;
	}
	*selfp = xcalloc(1, sizeof(struct lx_policy));
	return 0;
}

/*
 * Scores every mark of pc->obs as lx_decide() would before choosing:
 * scores[i] for obs->marks[i] (0 when nothing matches; marks past
 * OBS_MAX_MARKS get -1).  For the remote policy's shortlist.
 */
int
policy_lexical_scores(const struct policy_ctx *pc, double *scores,
    char **causep)
{
	struct lx_ctx *c;
	size_t i;
	int r;

	if (causep != NULL)
		*causep = NULL;
	if (pc->obs == NULL)
		return ERR_INVALID;
	for (i = 0; i < pc->obs->nmarks; i++)
		scores[i] = -1;
	if ((r = lx_analyse(pc, &c)) == 0)
		for (i = 0; i < (size_t)c->nmk; i++)
			scores[i] = c->mk[i].score;
	if (r == ERR_NOMEM && causep != NULL)
		*causep = xstrdup("lexical: page too large to analyse");
	lx_ctx_free(c);
	return r;
}
