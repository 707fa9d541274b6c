/*
 * features.c: tokenizer, hashing and the featurised step (features.h).
 *
 * Everything here is deterministic: no locale, no randomness, fixed
 * iteration orders; the same inputs give the same step byte for byte.
 */
#include "config.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "err.h"
#include "xmalloc.h"
#include "action.h"
#include "img.h"
#include "observe.h"
#include "features.h"

#define FEAT_NGRAMS_MAX	24	/* n-grams hashed per token */
#define FEAT_SPANS_MAX	64	/* candidate spans kept */
#define FEAT_FIELD_CMP	12	/* longest field compared as a phrase */
#define FEAT_TRI_MAX	256	/* trigrams of one field */
#define FEAT_VALUE_TOKS	6	/* tokens of a label-introduced value */
#define FEAT_WINDOW	4	/* instruction words around a value */
#define FEAT_CROP_GRID	12	/* samples per side of a crop */
#define FEAT_PER_FIELD	11	/* match features of a field */

void
feat_default_config(struct feat_config *c)
{
	memset(c, 0, sizeof(*c));
	c->version = FEAT_VERSION;
	c->hash_bits = 16;
	c->dim = 64;
	c->ngram_min = 3;
	c->ngram_max = 5;
	c->cat_bits = 8;
	c->type_bits = 6;
	c->max_instr = 64;
	c->max_marks = 2048;
	c->max_bag = 32;
	c->max_hist = 4;
	c->max_options = 64;
	c->span_max = 12;
	c->seed = 0x5eed;
	c->bigrams = 1;
}

int
feat_check_config(const struct feat_config *c, char **causep)
{
	const char *bad = NULL;

	if (c->version != FEAT_VERSION) {
		if (causep != NULL)
			*causep = xasprintf("featuriser version %u, this "
			    "webnav reads version %u: retrain the weights "
			    "(make model)", (unsigned)c->version,
			    (unsigned)FEAT_VERSION);
		return ERR_INVALID;
	}
	if (c->hash_bits < 4 || c->hash_bits > 24)
		bad = "hash_bits";
	else if (c->dim < 1 || c->dim > 1024)
		bad = "dim";
	else if (c->ngram_min < 1 || c->ngram_max < c->ngram_min ||
	    c->ngram_max > 8)
		bad = "ngram range";
	else if (c->cat_bits < 1 || c->cat_bits > 16 || c->type_bits < 1 ||
	    c->type_bits > 16)
		bad = "cat_bits";
	else if (c->max_instr < 1 || c->max_instr > 1024)
		bad = "max_instr";
	else if (c->max_marks < 1 || c->max_marks > 65536)
		bad = "max_marks";
	else if (c->max_bag < 1 || c->max_bag > 256)
		bad = "max_bag";
	else if (c->max_hist > 64)
		bad = "max_hist";
	else if (c->max_options > 1024)
		bad = "max_options";
	else if (c->span_max < 1 || c->span_max > 64)
		bad = "span_max";
	else if (c->bigrams > 1)
		bad = "bigrams";
	if (bad == NULL)
		return 0;
	if (causep != NULL)
		*causep = xasprintf("featuriser configuration: bad %s", bad);
	return ERR_INVALID;
}

/* ---------------------------------------------------------------------- */
/* Hashing.                                                               */

static uint64_t
fmix64(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ull;
	k ^= k >> 33;
	return k;
}

/* FNV-1a state after the namespace seed (4 bytes + ns byte). */
static uint64_t
hash_prefix(const struct feat_config *c, int ns)
{
	uint64_t h = 0xcbf29ce484222325ull;
	size_t i;

	for (i = 0; i < 4; i++) {
		h ^= (c->seed >> (8 * i)) & 0xff;
		h *= 0x100000001b3ull;
	}
	h ^= (uint64_t)(ns & 0xff);
	h *= 0x100000001b3ull;
	return h;
}

/* FNV-1a of s (n bytes) from state h, finalised. */
static uint64_t
hash_from(uint64_t h, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ull;
	}
	return fmix64(h);
}

/* FNV-1a over the namespace seed (4 bytes + ns byte) and s, finalised. */
uint64_t
feat_hash(const struct feat_config *c, int ns, const char *s, size_t n)
{
	return hash_from(hash_prefix(c, ns), s, n);
}

static uint32_t
rowof(const struct feat_config *c, uint64_t h)
{
	return (uint32_t)(h & ((1ull << c->hash_bits) - 1));
}

/* ---------------------------------------------------------------------- */
/* Characters.                                                            */

enum { C_SEP, C_UP, C_LO, C_DG, C_OTHER, C_APOS, C_QUOTE };

/* U+00C0..U+00FF folded; '*' is punctuation (multiplication, division). */
static const char fold_latin1[] =
    "AAAAAAACEEEEIIIIDNOOOOO*OUUUUYTs"
    "aaaaaaaceeeeiiiidnooooo*ouuuuyty";
/* U+0100..U+017F folded, case kept to know the class. */
static const char fold_latina[] =
    "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGg"
    "GgGgHhHhIiIiIiIiIiIiJjKkkLlLlLlL"
    "lLlNnNnNnnNnOoOoOoOoRrRrRrSsSsSs"
    "SsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";

/* One decoded character. */
struct ch {
	int		cls;
	unsigned	cp;		/* code point, 0xFFFD if invalid */
	size_t		len;		/* bytes */
	char		fold[3];	/* folded lower-case ASCII, NUL ended */
};

static void	decode_mb(const unsigned char *, size_t, struct ch *);

/* Decodes the character at s (n > 0 bytes left); ASCII here, inlined. */
static void
decode(const unsigned char *s, size_t n, struct ch *c)
{
	c->len = 1;
	c->cls = C_SEP;
	c->fold[0] = c->fold[1] = c->fold[2] = '\0';
	if (s[0] >= 0x80) {
		decode_mb(s, n, c);
		return;
	}
	c->cp = s[0];
	if (s[0] >= 'A' && s[0] <= 'Z') {
		c->cls = C_UP;
		c->fold[0] = (char)(s[0] - 'A' + 'a');
	} else if (s[0] >= 'a' && s[0] <= 'z') {
		c->cls = C_LO;
		c->fold[0] = (char)s[0];
	} else if (s[0] >= '0' && s[0] <= '9') {
		c->cls = C_DG;
		c->fold[0] = (char)s[0];
	} else if (s[0] == '\'')
		c->cls = C_APOS;
	else if (s[0] == '"')
		c->cls = C_QUOTE;
}

/* The rest of decode(): a character of two to four bytes at s. */
static void
decode_mb(const unsigned char *s, size_t n, struct ch *c)
{
	unsigned cp;
	size_t len, i;
	char f;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else {
		c->cp = 0xfffd;
		return;
	}
	if (len > n) {
		c->cp = 0xfffd;
		return;
	}
	cp = s[0] & (0x7f >> len);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			c->cp = 0xfffd;
			return;
		}
		cp = cp << 6 | (s[i] & 0x3f);
	}
	c->len = len;
	c->cp = cp;
	if (cp == 0xc6 || cp == 0xe6 || cp == 0x152 || cp == 0x153 ||
	    cp == 0xdf) {
		memcpy(c->fold, cp == 0xdf ? "ss" : (cp == 0xc6 || cp == 0xe6) ?
		    "ae" : "oe", 3);
		c->cls = (cp == 0xc6 || cp == 0x152) ? C_UP : C_LO;
		return;
	}
	if (cp >= 0xc0 && cp <= 0xff) {
		f = fold_latin1[cp - 0xc0];
		if (f == '*')
			return;
		c->cls = cp < 0xdf ? C_UP : C_LO;
		c->fold[0] = (char)(f >= 'A' && f <= 'Z' ? f - 'A' + 'a' : f);
		return;
	}
	if (cp >= 0x100 && cp <= 0x17f) {
		f = fold_latina[cp - 0x100];
		c->cls = f >= 'A' && f <= 'Z' ? C_UP : C_LO;
		c->fold[0] = (char)(f >= 'A' && f <= 'Z' ? f - 'A' + 'a' : f);
		return;
	}
	if (cp == 0x201c || cp == 0x201d || cp == 0xab || cp == 0xbb ||
	    cp == 0x201e) {
		c->cls = C_QUOTE;
		return;
	}
	if (cp == 0x2018 || cp == 0x2019) {
		c->cls = C_APOS;
		return;
	}
	/* Spaces, general punctuation, currency, symbols: separators. */
	if (cp < 0x250 || (cp >= 0x2000 && cp <= 0x2bff) ||
	    (cp >= 0x3000 && cp <= 0x303f) || (cp >= 0xfe30 && cp <= 0xfe4f) ||
	    (cp >= 0xff00 && cp <= 0xff0f) || cp >= 0x1f000)
		return;
	/* Letters of other scripts: kept as raw bytes, no case. */
	c->cls = C_OTHER;
}

static int
is_space(unsigned cp)
{
	if (cp > ' ' && cp < 0x80)
		return 0;
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' ||
	    cp == '\f' || cp == '\v' || cp == 0xa0 ||
	    (cp >= 0x2000 && cp <= 0x200b) || cp == 0x3000;
}

static int
is_alnum_cls(int cls)
{
	return cls == C_UP || cls == C_LO || cls == C_DG || cls == C_OTHER;
}

/* ---------------------------------------------------------------------- */
/* Tokenizer.                                                             */

static int
is_lead_punct(char c)
{
	return c == '(' || c == '[' || c == '{' || c == '"' || c == '\'' ||
	    c == '<';
}

static int
is_trail_punct(char c)
{
	return c == ')' || c == ']' || c == '}' || c == '"' || c == '\'' ||
	    c == '>' || c == ',' || c == '.' || c == ';' || c == ':' ||
	    c == '!' || c == '?';
}

/* Shape of the chunk s[a..b) (leading/trailing punctuation ignored). */
static int
chunk_shape(const char *s, size_t a, size_t b)
{

	size_t i, digits = 0, seps = 0, groups = 0, at = 0, dot_after = 0;
	int cur = 0, letters = 0, other = 0, colon = 0;
	unsigned char c;

	while (a < b && is_lead_punct(s[a]))
		a++;
	while (b > a && is_trail_punct(s[b - 1]))
		b--;
	if (a >= b)
		return FEAT_SHAPE_NONE;
	if ((s[a] == 'h' || s[a] == 'w') &&
	    ((b - a > 7 && strncmp(s + a, "http://", 7) == 0) ||
	    (b - a > 8 && strncmp(s + a, "https://", 8) == 0) ||
	    (b - a > 4 && strncmp(s + a, "www.", 4) == 0)))
		return FEAT_SHAPE_URL;
	/* Without a digit or an "@" only a URL has a shape. */
	for (i = a; i < b && !(s[i] >= '0' && s[i] <= '9') && s[i] != '@';
	    i++)
		;
	if (i == b)
		return FEAT_SHAPE_NONE;
	for (i = a; i < b; i++) {
		c = (unsigned char)s[i];
		if (c == '@' && at == 0 && i > a)
			at = i;
		else if (c == '.' && at != 0 && i > at + 1 && i + 1 < b)
			dot_after = 1;
	}
	if (at != 0 && dot_after)
		return FEAT_SHAPE_EMAIL;
	/* Currency: $ (ASCII), or the UTF-8 of euro, pound, yen. */
	if (s[a] == '$' || (s[b - 1] == '$' && b - a > 1) ||
	    (b - a > 3 && memcmp(s + a, "\xe2\x82\xac", 3) == 0) ||
	    (b - a > 2 && (memcmp(s + a, "\xc2\xa3", 2) == 0 ||
	    memcmp(s + a, "\xc2\xa5", 2) == 0)) ||
	    (b - a > 3 && memcmp(s + b - 3, "\xe2\x82\xac", 3) == 0)) {
		for (i = a; i < b; i++)
			if (s[i] >= '0' && s[i] <= '9')
				return FEAT_SHAPE_PRICE;
	}
	for (i = a; i < b; i++) {
		c = (unsigned char)s[i];
		if (c >= '0' && c <= '9') {
			digits++;
			if (!cur)
				groups++;
			cur = 1;
			continue;
		}
		cur = 0;
		if (c == ':')
			colon++;
		if (c == '/' || c == '-' || c == '.' || c == ',' || c == ':' ||
		    c == '(' || c == ')' || c == '+' || c == ' ')
			seps++;
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
			letters++;
		else if (c != '%')
			other++;
	}
	if (digits == 0 || other > 0)
		return FEAT_SHAPE_NONE;
	if (colon > 0 && colon <= 2 && groups == (size_t)colon + 1 &&
	    digits <= 6 && (letters == 0 || letters == 2))
		return FEAT_SHAPE_TIME;
	if (letters > 0)
		return FEAT_SHAPE_NONE;
	if (groups == 3 && digits >= 4 && digits <= 8 && colon == 0) {
		for (i = a; i < b; i++)
			if (s[i] == '/' || s[i] == '-')
				return FEAT_SHAPE_DATE;
		if (digits >= 6)
			return FEAT_SHAPE_DATE;
	}
	if (digits >= 7 && (seps > 0 || s[a] == '+') && colon == 0 &&
	    groups >= 2)
		return FEAT_SHAPE_PHONE;
	if (s[a] == '+' && digits >= 7)
		return FEAT_SHAPE_PHONE;
	return FEAT_SHAPE_NUM;
}

/* Appends folded bytes to the token being built. */
static void
tok_add(struct feat_token *t, const char *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t->len + 1 < FEAT_TOK_MAX)
			t->norm[t->len++] = f[i];
	t->norm[t->len] = '\0';
}

/* 1 if text[i..] after a digit run is an ordinal suffix ("2nd"). */
static int
ordinal_suffix(const char *s, size_t i, size_t n)
{
	char a, b;

	if (i + 2 > n)
		return 0;
	a = (char)(s[i] | 0x20);
	b = (char)(s[i + 1] | 0x20);
	if (!((a == 's' && b == 't') || (a == 'n' && b == 'd') ||
	    (a == 'r' && b == 'd') || (a == 't' && b == 'h')))
		return 0;
	if (i + 2 < n && ((s[i + 2] | 0x20) >= 'a' && (s[i + 2] | 0x20) <= 'z'))
		return 0;
	return 1;
}

/* Gives the tokens of chunk toks[from..nt) the chunk's shape. */
static void
set_shape(const char *text, size_t a, size_t b, struct feat_token *toks,
    int from, int nt)
{
	int k, j;

	k = chunk_shape(text, a, b);
	for (j = from; j < nt; j++) {
		if (k == FEAT_SHAPE_NUM && !(toks[j].flags & FEAT_TF_DIGIT))
			continue;
		toks[j].shape = (uint32_t)k;
	}
}

/*
 * Tokenises text: chunks at white space, tokens at non-alphanumerics,
 * camelCase and letter/digit boundaries; quotes pair up.
 */
int
feat_tokenize(const char *text, struct feat_token *toks, int max)
{
	const unsigned char *s = (const unsigned char *)text;
	struct ch c, nx, nx2;
	struct feat_token *t = NULL;
	size_t n, i, chunk_start = 0;
	int nt = 0, chunk = -1, in_chunk = 0, quoted = 0, qopen = 0;
	int prev = C_SEP, split, first_of_chunk = 0, chunk_tok0 = 0, have_nx;
	uint32_t qid = 0;

	if (text == NULL || max <= 0)
		return 0;
	n = strlen(text);
	if (n > FEAT_TEXT_MAX)
		n = FEAT_TEXT_MAX;
	have_nx = 0;
	c.len = 1;
	for (i = 0; i < n; i += c.len) {
		if (t != NULL && ((prev == C_LO && s[i] >= 'a' && s[i] <= 'z') ||
		    (prev == C_DG && s[i] >= '0' && s[i] <= '9'))) {
			/*
			 * The common case, a word going on in the same class:
			 * no split, no flag, no quote can change.
			 */
			if (t->len + 1 < FEAT_TOK_MAX)
				t->norm[t->len++] = (char)s[i];
			t->norm[t->len] = '\0';
			t->end = (uint32_t)i + 1;
			c.len = 1;
			have_nx = 0;
			continue;
		}
		if (have_nx)
			c = nx;
		else
			decode(s + i, n - i, &c);
		have_nx = 0;
		if (is_space(c.cp)) {
			if (in_chunk)
				set_shape(text, chunk_start, i, toks,
				    chunk_tok0, nt);
			in_chunk = 0;
			t = NULL;
			prev = C_SEP;
			continue;
		}
		if (!in_chunk) {
			in_chunk = 1;
			chunk++;
			chunk_start = i;
			chunk_tok0 = nt;
			first_of_chunk = 1;
		}
		if (i + c.len < n) {
			decode(s + i + c.len, n - i - c.len, &nx);
			have_nx = 1;
		} else
			memset(&nx, 0, sizeof(nx));
		if (c.cls == C_APOS && is_alnum_cls(prev) &&
		    is_alnum_cls(nx.cls)) {
			/* Inside a word: "don't" -> dont, "John's" -> john. */
			memset(&nx2, 0, sizeof(nx2));
			if (i + c.len + nx.len < n)
				decode(s + i + c.len + nx.len,
				    n - i - c.len - nx.len, &nx2);
			if ((nx.cp == 's' || nx.cp == 'S') &&
			    !is_alnum_cls(nx2.cls)) {
				c.len += nx.len;
				have_nx = 0;
				t = NULL;
				prev = C_SEP;
			}
			continue;
		}
		if (c.cls == C_QUOTE || c.cls == C_APOS) {
			/* " always counts; ' only at a word boundary. */
			if (!quoted && (c.cls == C_QUOTE || !is_alnum_cls(prev))) {
				quoted = 1;
				qopen = c.cls;
				qid++;
			} else if (quoted && (c.cls == C_QUOTE ||
			    qopen == C_APOS) && (c.cls == C_QUOTE ||
			    !is_alnum_cls(nx.cls)))
				quoted = 0;
			t = NULL;
			prev = C_SEP;
			continue;
		}
		if (!is_alnum_cls(c.cls)) {
			t = NULL;
			prev = C_SEP;
			continue;
		}
		if (t != NULL) {
			split = 0;
			if (prev == C_LO && c.cls == C_UP)
				split = 1;		/* camelCase */
			else if (prev == C_UP && c.cls == C_UP &&
			    nx.cls == C_LO && t->len > 1)
				split = 1;		/* HTMLParser */
			else if (prev == C_DG && c.cls != C_DG)
				split = !((t->flags & FEAT_TF_DIGIT) &&
				    (c.cls == C_LO || c.cls == C_UP) &&
				    ordinal_suffix(text, i, n));
			else if (prev != C_DG && c.cls == C_DG)
				split = 1;		/* rx350 */
			if (split)
				t = NULL;
			else if (c.cls != C_DG)
				t->flags &= ~(uint32_t)FEAT_TF_DIGIT;
		}
		if (t == NULL) {
			if (nt >= max)
				break;
			t = &toks[nt++];
			memset(t, 0, sizeof(*t));
			t->start = (uint32_t)i;
			t->chunk = (uint32_t)chunk;
			if (quoted) {
				t->flags |= FEAT_TF_QUOTED;
				t->quote = qid;
			}
			if (c.cls == C_UP)
				t->flags |= FEAT_TF_CAP;
			if (c.cls == C_DG)
				t->flags |= FEAT_TF_DIGIT;
			if (first_of_chunk)
				t->flags |= FEAT_TF_CHUNK0;
			first_of_chunk = 0;
		}
		if (c.cls == C_OTHER)
			tok_add(t, (const char *)s + i, c.len);
		else
			tok_add(t, c.fold, c.fold[1] != '\0' ? 2 : 1);
		t->end = (uint32_t)(i + c.len);
		prev = c.cls;
	}
	if (in_chunk) {
		/* The last chunk (or one cut short by max). */
		size_t e = i;

		while (e < n && !is_space(s[e]))
			e++;
		set_shape(text, chunk_start, e, toks, chunk_tok0, nt);
	}
	return nt;
}

/* ---------------------------------------------------------------------- */
/* Word lists.                                                            */

static const char *const stopwords[] = {
	"a", "about", "after", "ahead", "all", "also", "am", "an", "and", "any",
	"are", "as", "at", "be", "been", "before", "below", "but", "by", "can",
	"could", "do", "does", "each", "for", "from", "had", "has", "have",
	"he", "her", "here", "him", "his", "how", "i", "if", "in", "into",
	"is", "it", "its", "just", "let", "me", "more", "most", "my", "now",
	"of", "on", "once", "onto", "or", "our", "out", "over", "please",
	"she", "should", "so", "some", "than", "that", "the", "their",
	"them", "then", "there", "these", "they", "this", "those", "through",
	"to", "too", "under", "up", "us", "very", "want", "was", "we",
	"were", "what", "when", "where", "which", "while", "who", "will",
	"with", "would", "you", "your", "need", "like", "using", "via",
	/* Words about the interface rather than its content. */
	"button", "link", "field", "box", "page", "option", "menu", "tab",
	"input", "textbox", "checkbox", "dropdown", "icon", "item",
	"section", "form", "entry", "label", "called", "named", "labeled",
	"labelled", "titled", "saying", "says", "text",
	NULL
};

static const char *const click_verbs[] = {
	"click", "press", "tap", "hit", "select", "choose", "pick", "check",
	"uncheck", "open", "push", "toggle", "follow", "go", "navigate",
	"visit", "tick", "untick", "activate", "expand", "close", "dismiss",
	"accept", "submit", "like", "view", "show", NULL
};

static const char *const type_verbs[] = {
	"type", "enter", "fill", "input", "write", "put", "set", "search",
	"insert", "change", "replace", "provide", "specify", "key", "add",
	"update", "use", "saying", "comment", NULL
};

/* Words after which the value starts ("fill X with V", "set X to V"). */
static const char *const value_preps[] = {
	"with", "to", "as", "for", "is", "of", NULL
};

/* Words that end a value ("type V into X", "V and then"). */
static const char *const value_stops[] = {
	"into", "in", "on", "and", "then", "under", "inside", "within",
	"onto", "at", NULL
};

static const char *const ordinals[] = {
	"first", "second", "third", "fourth", "fifth", "sixth", "seventh",
	"eighth", "ninth", "tenth", NULL
};

/*
 * Words of the same meaning on web interfaces (version 6), one group per
 * string, single words in their base form (the light stem finds the
 * others).  The generated pages teach the model what the words of its
 * own vocabulary mean; this table is what it knows of the words it never
 * saw: "Recover my account" and the "Forgot password?" link, "deny the
 * cookies" and "Decline".  General interface vocabulary, not the words
 * of any page: a word may sit in several groups.
 */
static const char *const synsets[] = {
	"login log logon signin authenticate",
	"logout signout exit",
	"register signup join enroll enrol registration",
	"forgot forgotten recover recovery reset lost restore retrieve "
	    "remind trouble",
	"account profile user",
	"username user login handle nickname",
	"password pass passcode passphrase pin pwd",
	"cart basket bag trolley",
	"checkout purchase buy pay order proceed",
	"delete remove trash discard erase clear bin drop",
	"deny decline reject refuse disallow block",
	"accept agree allow approve consent okay ok yes",
	"confirm submit finish complete done apply",
	"save bookmark favorite favourite star wishlist",
	"edit modify change update rename alter revise",
	"search find lookup look query seek",
	"close dismiss hide exit collapse",
	"cancel abort discard stop",
	"expand open unfold reveal show details view",
	"next continue proceed forward onward",
	"previous prev back return prior earlier",
	"send submit deliver dispatch",
	"share forward repost retweet",
	"comment reply respond answer",
	"note remark annotation memo comment",
	"message chat dm inbox",
	"upload attach import browse",
	"download export",
	"settings preferences options configuration config setup gear",
	"help support faq assistance",
	"home main start dashboard",
	"notification alert bell",
	"subscribe newsletter",
	"unsubscribe unfollow optout",
	"add create new",
	"quantity qty amount",
	"address street",
	"zip postcode postal",
	"phone telephone mobile cell tel",
	"email mail",
	"date day calendar",
	"time hour clock",
	"price cost fee fare",
	"flight fly plane airline",
	"origin departure depart leaving",
	"destination arrival arrive going",
	"hotel lodging accommodation inn lodge room",
	"book reserve reservation booking",
	"discount coupon promo voucher promotion",
	"apply redeem",
	"filter refine narrow",
	"sort arrange",
	"color colour",
	"spam junk",
	"report flag complain",
	"mute block ban",
	"refresh reload retry",
	"undo revert",
	"copy duplicate clone",
	"move transfer",
	"payment billing pay",
	"shipping delivery deliver ship",
	"invoice receipt bill statement",
	"enable activate",
	"disable deactivate",
	"remember stay keep persist",
	"terms conditions agreement policy",
	"passenger traveler traveller guest",
	"guest people person adult",
	"class cabin",
	"review rating feedback",
	"details info information description overview",
	"post article story",
	"photo picture image pic photograph",
	"video clip movie",
	"friend connection contact",
	"job career position vacancy opening",
	"archive stash",
	"print printer",
	"language locale",
	"like love heart upvote",
	"follow subscribe",
	"schedule appointment meeting",
	"city town",
	"country nation",
	"company organization organisation employer",
	"forename firstname",
	"surname lastname",
	"message contact",
	NULL
};
#define SYN_WORDS	2	/* uint64_t words of a group mask */
_Static_assert(sizeof(synsets) / sizeof(synsets[0]) <= 64 * SYN_WORDS + 1,
    "more synsets[] groups than a group mask holds");

static size_t	stem_len(const char *, size_t);

/* Word classes, looked up through a table built once. */
#define WC_STOP		0x01
#define WC_CLICK	0x02
#define WC_TYPE		0x04
#define WC_PREP		0x08
#define WC_VSTOP	0x10
#define WC_TABSIZE	2048

static struct {
	const char	*w;
	int		 cls;
	uint64_t	 syn[SYN_WORDS];	/* synsets[] groups */
} wc_tab[WC_TABSIZE];
static char	*wc_words;		/* the words of synsets[] */
static pthread_once_t wc_once = PTHREAD_ONCE_INIT;

static uint32_t
wc_hash(const char *w)
{
	uint32_t h = 2166136261u;

	while (*w != '\0') {
		h ^= (unsigned char)*w++;
		h *= 16777619u;
	}
	return h;
}

/* The table slot of word w, empty if w is not in it. */
static uint32_t
wc_slot(const char *w)
{
	uint32_t i = wc_hash(w) & (WC_TABSIZE - 1);

	while (wc_tab[i].w != NULL && strcmp(wc_tab[i].w, w) != 0)
		i = (i + 1) & (WC_TABSIZE - 1);
	return i;
}

static void
wc_add(const char *const *list, int cls)
{
	uint32_t i;
	size_t k;

	for (k = 0; list[k] != NULL; k++) {
		i = wc_slot(list[k]);
		wc_tab[i].w = list[k];
		wc_tab[i].cls |= cls;
	}
}

/* Group g of synsets[] for each of its words (copied into wc_words). */
static void
wc_add_synsets(void)
{
	size_t g, k, n = 0;
	char *p, *w;
	uint32_t i;

	for (g = 0; synsets[g] != NULL; g++)
		n += strlen(synsets[g]) + 1;
	wc_words = xmalloc(n);
	for (g = 0, p = wc_words; synsets[g] != NULL; g++) {
		for (k = 0; ; k++) {
			if (synsets[g][k] != ' ' && synsets[g][k] != '\0') {
				*p++ = synsets[g][k];
				continue;
			}
			*p = '\0';
			for (w = p; w > wc_words && w[-1] != '\0'; w--)
				;
			if (w < p) {
				i = wc_slot(w);
				wc_tab[i].w = w;
				wc_tab[i].syn[g / 64] |= 1ull << (g % 64);
				p++;
			}
			if (synsets[g][k] == '\0')
				break;
		}
	}
}

static void
wc_init(void)
{
	wc_add(stopwords, WC_STOP);
	wc_add(click_verbs, WC_CLICK);
	wc_add(type_verbs, WC_TYPE);
	wc_add(value_preps, WC_PREP);
	wc_add(value_stops, WC_VSTOP);
	wc_add_synsets();
}

/* A synonym of w for the trainer's swaps (features.h). */
int
feat_synonym(const char *w, double r, char *out, size_t n)
{
	uint64_t syn[SYN_WORDS];
	const char *p, *q;
	size_t g, len;
	int k, pass, cnt = 0, pick = 0;

	(void)pthread_once(&wc_once, wc_init);
	syn[0] = wc_tab[wc_slot(w)].syn[0];
	syn[1] = wc_tab[wc_slot(w)].syn[1];
	/* Two passes over the groups of w: count the mates, then pick one. */
	for (pass = 0; pass < 2; pass++) {
		for (g = 0, k = 0; synsets[g] != NULL; g++) {
			if (!(syn[g / 64] >> (g % 64) & 1))
				continue;
			for (p = synsets[g]; *p != '\0'; p = *q ? q + 1 : q) {
				for (q = p; *q != ' ' && *q != '\0'; q++)
					;
				len = (size_t)(q - p);
				if (len == strlen(w) && memcmp(p, w, len) == 0)
					continue;
				if (pass == 1 && k == pick) {
					if (len >= n)
						return 0;
					memcpy(out, p, len);
					out[len] = '\0';
					return cnt;
				}
				k++;
			}
		}
		if ((cnt = k) == 0)
			return 0;
		pick = (int)(r * (double)cnt);
		if (pick >= cnt)
			pick = cnt - 1;
	}
	return 0;
}

/* The WC_* classes of word w (0 for none). */
static int
wclass(const char *w)
{
	(void)pthread_once(&wc_once, wc_init);
	return wc_tab[wc_slot(w)].cls;
}

/*
 * The synsets[] groups of word w (n bytes) into syn: those of the word,
 * else of its light stem ("recovering", "coupons").
 */
static void
wsyn(const char *w, size_t n, uint64_t *syn)
{
	char st[FEAT_TOK_MAX];
	uint32_t i;
	size_t sl;

	(void)pthread_once(&wc_once, wc_init);
	i = wc_slot(w);
	if (wc_tab[i].w == NULL || (wc_tab[i].syn[0] | wc_tab[i].syn[1]) ==
	    0) {
		sl = stem_len(w, n);
		if (sl == n || sl >= sizeof(st))
			return;
		memcpy(st, w, sl);
		st[sl] = '\0';
		i = wc_slot(st);
	}
	syn[0] = wc_tab[i].syn[0];
	syn[1] = wc_tab[i].syn[1];
}

/* Ordinal value of w: 1..10, -1 for "last", 0 if none. */
static int
ordinal_of(const char *w)
{
	size_t i, n = strlen(w);

	for (i = 0; ordinals[i] != NULL; i++)
		if (strcmp(ordinals[i], w) == 0)
			return (int)i + 1;
	if (strcmp(w, "last") == 0)
		return -1;
	if (n >= 3 && n <= 4 && w[0] >= '1' && w[0] <= '9' &&
	    ordinal_suffix(w, n - 2, n) && (n == 3 || (w[1] >= '0' &&
	    w[1] <= '9')))
		return atoi(w) <= 99 ? atoi(w) : 0;
	return 0;
}

/* Light stemming: plural, -ing, -ed (words of five letters or more). */
static size_t
stem_len(const char *w, size_t n)
{
	if (n >= 5 && strcmp(w + n - 3, "ing") == 0)
		return n - 3;
	if (n >= 5 && strcmp(w + n - 2, "ed") == 0)
		return n - 2;
	if (n >= 5 && strcmp(w + n - 3, "ies") == 0)
		return n - 3;
	if (n >= 4 && w[n - 1] == 's' && w[n - 2] != 's' && w[n - 2] != 'u' &&
	    w[n - 2] != 'i')
		return n - 1;
	return n;
}

/* ---------------------------------------------------------------------- */
/* The step builder.                                                      */

/* A growable array of elements of size sz. */
#define GROW(p, cap, need) do {						\
	if ((size_t)(need) > (cap)) {					\
		size_t ncap_ = (cap) ? (cap) * 2 : 64;			\
		while (ncap_ < (size_t)(need))				\
			ncap_ *= 2;					\
		(p) = xreallocarray((p), ncap_, sizeof(*(p)));		\
		(cap) = ncap_;						\
	}								\
} while (0)

/* What the builder knows of a unique token. */
struct utok {
	char		norm[FEAT_TOK_MAX];
	int		len;		/* bytes in norm */
	uint64_t	key;		/* word hash */
	uint64_t	stem;		/* hash of the stemmed form */
	int		stop;		/* stopword or interface word */
	int		verb;		/* a click or typing verb */
	int		df;		/* marks holding it */
	int		stamp;		/* last mark counted in df */
	int		seen;		/* distinct-count stamp */
	int		in_instr;	/* occurrences in the instruction */
	int		stem_in_instr;	/* stem found in the instruction */
	int		quoted;		/* a quoted instruction occurrence */
	uint32_t	cmask;		/* clauses whose content words share
					   its stem */
	uint64_t	syn[SYN_WORDS];	/* synsets[] groups, none for a
					   stopword */
	float		idf;
};

/* The match features of one field (its token sequence), kept. */
struct fmemo {
	const int	*f;		/* into the step's bags; NULL: free */
	int		 k;
	int		 first;
	uint64_t	 h;
	float		 out[FEAT_PER_FIELD];
};

struct fb {
	const struct feat_config *c;
	struct feat_step *s;
	uint64_t	 hword, hngram;	/* hash_prefix() of the namespaces */
	size_t		 cap_u, cap_ng, cap_bag, cap_opt, cap_obag, cap_h;
	struct utok	*ut;		/* [U] */
	int		*map;		/* open addressing: unique index + 1 */
	size_t		 mapcap;
	int		 stamp;
	/* Instruction analysis. */
	int		 nistem;
	uint64_t	*istem;		/* [T] stems of content words */
	int		*itri_off;	/* [T + 1] trigrams per token */
	uint32_t	*itri;		/* [itri_off[T]] trigram hashes */
	/* Inverted index: trigram -> instruction tokens holding it. */
	uint32_t	*tx_key;	/* [tx_cap] */
	int		*tx_head;	/* [tx_cap] first occurrence + 1 */
	size_t		 tx_cap;
	int		*tx_pos;	/* [itri_off[T]] token of occurrence */
	int		*tx_next;	/* [itri_off[T]] next occurrence + 1 */
	/* Per unique token: its trigram count and instruction hits. */
	int		*utri;		/* [U] trigrams of "<token>" */
	int		*uhit_off;	/* [U + 1] into uhit */
	int		*uhit;		/* instruction token of each hit */
	int		 ordinal;	/* 1..10, -1 last, 0 none */
	int		 has_type_verb, has_click_verb, has_quotes;
	int		 want_check, want_uncheck, want_select;
	int		 want_price;	/* -1 the cheapest, 1 the dearest */
	int		 nidistinct, nifilt;	/* distinct words, content */
	float		 iidf;		/* idf mass of content words */
	char		**snorm;	/* [nspan] normalised span texts */
	/* Per-mark scratch. */
	struct feat_token *tk;		/* [max_bag] */
	char		**vals;		/* [nhist] normalised typed values */
	/* Per unique token, for the fields of all marks. */
	int		*ufirst;	/* [U] first content word of the
					   instruction with its stem, -1 */
	signed char	*uabbr;		/* [U] an instruction word (3 or more
					   letters) is a prefix of it; -1 not
					   known yet */
	/* Fields seen, with their features (field_memo()). */
	struct fmemo	*fm;		/* [fmcap], open addressing */
	size_t		 fmcap, fmn;
	/* Stems of the instruction words around each span. */
	uint64_t	*spst;		/* [nspan x 2 FEAT_WINDOW] */
	int		*nspst;		/* [nspan] */
};

/* Hash-map slot of key. */
static size_t
map_slot(const struct fb *b, uint64_t key)
{
	size_t m = b->mapcap - 1, i = (size_t)key & m;

	while (b->map[i] != 0 && b->ut[b->map[i] - 1].key != key)
		i = (i + 1) & m;
	return i;
}

static void
map_grow(struct fb *b)
{
	size_t i, ncap = b->mapcap ? b->mapcap * 2 : 1024;
	int *old = b->map;
	size_t oldcap = b->mapcap;

	b->map = xcalloc(ncap, sizeof(int));
	b->mapcap = ncap;
	for (i = 0; i < oldcap; i++)
		if (old[i] != 0)
			b->map[map_slot(b, b->ut[old[i] - 1].key)] = old[i];
	free(old);
}

/* Index of the unique token for t, adding it (with its rows) if new. */
static int
intern(struct fb *b, const struct feat_token *t)
{
	const struct feat_config *c = b->c;
	struct feat_step *s = b->s;
	struct utok *u;
	char pad[FEAT_TOK_MAX + 2], shp[16];
	uint64_t key;
	size_t slot, plen, n, st, k;
	int idx, cnt;

	key = hash_from(b->hword, t->norm, t->len);
	if ((size_t)(s->U + 1) * 2 > b->mapcap)
		map_grow(b);
	slot = map_slot(b, key);
	if (b->map[slot] != 0)
		return b->map[slot] - 1;
	idx = s->U++;
	if ((size_t)s->U > b->cap_u) {
		/* One capacity for every U-sized array. */
		b->cap_u = b->cap_u ? b->cap_u * 2 : 256;
		b->ut = xreallocarray(b->ut, b->cap_u, sizeof(*b->ut));
		s->ukey = xreallocarray(s->ukey, b->cap_u, sizeof(*s->ukey));
		s->uword = xreallocarray(s->uword, b->cap_u,
		    sizeof(*s->uword));
		s->ushape = xreallocarray(s->ushape, b->cap_u,
		    sizeof(*s->ushape));
		s->ung_off = xreallocarray(s->ung_off, b->cap_u + 1,
		    sizeof(*s->ung_off));
	}
	b->map[slot] = idx + 1;
	u = &b->ut[idx];
	memset(u, 0, sizeof(*u));
	memcpy(u->norm, t->norm, sizeof(u->norm));
	u->len = (int)t->len;
	u->key = key;
	st = stem_len(t->norm, t->len);
	u->stem = hash_from(b->hword, t->norm, st);
	u->stop = (wclass(t->norm) & (WC_STOP | WC_CLICK | WC_TYPE)) != 0;
	u->verb = (wclass(t->norm) & (WC_CLICK | WC_TYPE)) != 0;
	if ((wclass(t->norm) & WC_STOP) == 0)
		wsyn(t->norm, t->len, u->syn);
	u->stamp = -1;
	u->seen = -1;
	s->ukey[idx] = key;
	s->uword[idx] = rowof(c, key);
	s->ushape[idx] = FEAT_NONE;
	if (t->shape != FEAT_SHAPE_NONE || (t->flags & FEAT_TF_DIGIT)) {
		if (t->shape == FEAT_SHAPE_NUM || t->shape == FEAT_SHAPE_NONE)
			n = (size_t)snprintf(shp, sizeof(shp), "<num%u>",
			    t->len > 9 ? 9 : t->len);
		else {
			static const char *const names[] = { "", "", "<price>",
			    "<date>", "<time>", "<email>", "<url>", "<phone>" };
			n = (size_t)snprintf(shp, sizeof(shp), "%s",
			    names[t->shape]);
		}
		s->ushape[idx] = rowof(c, feat_hash(c, FEAT_NS_SHAPE, shp, n));
	}
	/* Character n-grams of "<norm>". */
	pad[0] = '<';
	memcpy(pad + 1, t->norm, t->len);
	pad[t->len + 1] = '>';
	plen = t->len + 2;
	if (idx == 0)
		s->ung_off[0] = 0;
	cnt = 0;
	for (n = c->ngram_min; n <= c->ngram_max; n++) {
		if (n > plen)
			break;
		for (k = 0; k + n <= plen && cnt < FEAT_NGRAMS_MAX; k++) {
			GROW(s->ung, b->cap_ng, (size_t)s->ung_off[idx] + cnt +
			    1);
			s->ung[s->ung_off[idx] + cnt] = rowof(c,
			    hash_from(b->hngram, pad + k, n));
			cnt++;
		}
	}
	s->ung_off[idx + 1] = s->ung_off[idx] + cnt;
	return idx;
}

/* Appends index u to the step's bag array. */
static void
bag_push(struct fb *b, int u)
{
	struct feat_step *s = b->s;

	GROW(s->bag, b->cap_bag, (size_t)s->nbag + 1);
	s->bag[s->nbag++] = u;
}

/* Tokenises text into the bag (at most room tokens); returns the count. */
static int
bag_text(struct fb *b, const char *text, int room)
{
	int n, i;

	if (text == NULL || room <= 0)
		return 0;
	n = feat_tokenize(text, b->tk, room);
	for (i = 0; i < n; i++)
		bag_push(b, intern(b, &b->tk[i]));
	return n;
}

/* Attribute text of m: aria-label, placeholder, name, id, title, alt... */
static int
bag_attrs(struct fb *b, const struct mark *m)
{
	const cJSON *it;
	const char *v, *p;
	int n = 0, room = (int)b->c->max_bag;

	if (m->attrs == NULL)
		return 0;
	cJSON_ArrayForEach(it, m->attrs) {
		if (!cJSON_IsString(it) || it->string == NULL ||
		    (v = it->valuestring) == NULL)
			continue;
		if (strcmp(it->string, "style") == 0 ||
		    strcmp(it->string, "src") == 0)
			continue;
		if (strcmp(it->string, "href") == 0) {
			/* Only the path's last part names anything. */
			if ((p = strrchr(v, '/')) != NULL && p[1] != '\0')
				v = p + 1;
			else if (strncmp(v, "http", 4) == 0 ||
			    strncmp(v, "javascript:", 11) == 0)
				continue;
		}
		n += bag_text(b, v, room - n);
		if (n >= room)
			break;
	}
	return n;
}

/* ---------------------------------------------------------------------- */
/* Lexical match.                                                         */

/* 32-bit hashes of the character trigrams of "<w>" into out; count. */
static int
trigrams(const char *w, uint32_t *out, int max)
{
	char pad[FEAT_TOK_MAX + 2];
	size_t n = strlen(w), k;
	int cnt = 0;
	uint32_t h;

	pad[0] = '<';
	memcpy(pad + 1, w, n);
	pad[n + 1] = '>';
	n += 2;
	for (k = 0; k + 3 <= n && cnt < max; k++) {
		h = (uint32_t)(unsigned char)pad[k] << 16 |
		    (uint32_t)(unsigned char)pad[k + 1] << 8 |
		    (unsigned char)pad[k + 2];
		out[cnt++] = h * 2654435761u;
	}
	return cnt;
}

/* Slot of trigram h in the inverted index (empty slot if absent). */
static size_t
tx_slot(const struct fb *b, uint32_t h)
{
	size_t m = b->tx_cap - 1, i = (h * 0x9e3779b1u) & m;

	while (b->tx_head[i] != 0 && b->tx_key[i] != h)
		i = (i + 1) & m;
	return i;
}

/*
 * Looks every unique token's trigrams up in the instruction once: the
 * fields of all marks reuse the hits.
 */
static void
token_hits(struct fb *b)
{
	const struct feat_step *s = b->s;
	uint32_t tri[64];
	size_t cap = 0, sl;
	int u, n, i, j, cnt = 0;

	b->utri = xcalloc((size_t)s->U + 1, sizeof(int));
	b->uhit_off = xcalloc((size_t)s->U + 1, sizeof(int));
	for (u = 0; u < s->U; u++) {
		n = trigrams(b->ut[u].norm, tri, 64);
		b->utri[u] = n;
		b->uhit_off[u] = cnt;
		for (i = 0; i < n && s->T > 0; i++) {
			sl = tx_slot(b, tri[i]);
			for (j = b->tx_head[sl]; j != 0;
			    j = b->tx_next[j - 1]) {
				GROW(b->uhit, cap, (size_t)cnt + 1);
				b->uhit[cnt++] = b->tx_pos[j - 1];
			}
		}
	}
	b->uhit_off[s->U] = cnt;
}

/*
 * Best Dice of the trigrams of the distinct field tokens f[0..k)
 * against any window of k-1..k+1 instruction tokens (a trigram shared
 * by two field tokens counts twice; the result is clamped to 1).
 * Matches are counted per instruction token from the per-token hits,
 * windows by prefix sums.
 */
static float
tri_dice(struct fb *b, const int *f, int k)
{
	const struct feat_step *s = b->s;
	const int *it = b->itri_off;
	int na = 0, i, j, w, T = s->T, lo, hi, any = 0, pm[1025], m[1024];
	int hp[1024], nhp = 0, hmin = 1024, hmax = -1, p, hits, den;
	int bhits = 0, bden = 1;
	double best;

	if (k <= 0 || T <= 0)
		return 0;
	if (k > FEAT_FIELD_CMP)
		k = FEAT_FIELD_CMP;
	if (T > 1024)
		T = 1024;
	memset(m, 0, (size_t)T * sizeof(int));
	b->stamp++;
	for (i = 0; i < k; i++) {
		struct utok *u = &b->ut[f[i]];

		if (u->seen == b->stamp)
			continue;
		u->seen = b->stamp;
		na += b->utri[f[i]];
		for (j = b->uhit_off[f[i]]; j < b->uhit_off[f[i] + 1]; j++) {
			if ((p = b->uhit[j]) < T) {
				m[p]++;
				hmin = p < hmin ? p : hmin;
				hmax = p > hmax ? p : hmax;
			}
			any = 1;
		}
	}
	if (!any || na == 0 || hmax < 0)
		return 0;
	/* Prefix sums of the hits; the tokens with a hit, in order. */
	pm[hmin] = 0;
	for (i = hmin; i <= hmax; i++) {
		pm[i + 1] = pm[i] + m[i];
		hp[nhp] = i;
		nhp += m[i] > 0;
	}
	lo = k - 1 < 1 ? 1 : k - 1;
	hi = k + 1 > T ? T : k + 1;
	/*
	 * The best ratio hits / (na + trigrams) of a window is found on
	 * integers; rounding the division is monotonic, so its double is
	 * the largest double.  Windows without a hit score 0 and do not
	 * count, so only those over hmin..hmax are looked at (the sums of
	 * one clipped to hmin..hmax + 1 are the same).  A window wider than
	 * lo with no hit on its first or last token scores no more than
	 * the one a token narrower without it: only those from a hit to a
	 * hit are.
	 */
	for (i = hmin - lo + 1 > 0 ? hmin - lo + 1 : 0;
	    i <= hmax && i + lo <= T; i++) {
		hits = pm[i + lo < hmax + 1 ? i + lo : hmax + 1] -
		    pm[i > hmin ? i : hmin];
		den = na + it[i + lo] - it[i];
		if ((int64_t)hits * bden > (int64_t)bhits * den) {
			bhits = hits;
			bden = den;
		}
	}
	for (w = lo + 1; w <= hi; w++)
		for (j = 0; j < nhp && hp[j] + w <= T; j++) {
			i = hp[j];
			if (m[i + w - 1] == 0)
				continue;
			hits = pm[i + w] - pm[i];
			den = na + it[i + w] - it[i];
			if ((int64_t)hits * bden > (int64_t)bhits * den) {
				bhits = hits;
				bden = den;
			}
		}
	best = 2.0 * bhits / bden;
	return (float)(best > 1 ? 1 : best);
}

/* 1 if the key sequence a[0..na) occurs contiguously in b[0..nb). */
static int
contains_seq(const uint64_t *a, int na, const uint64_t *bb, int nb)
{
	int i, j;

	if (na <= 0 || na > nb)
		return 0;
	for (i = 0; i + na <= nb; i++) {
		for (j = 0; j < na && bb[i + j] == a[j]; j++)
			;
		if (j == na)
			return 1;
	}
	return 0;
}

/* Instruction token keys in order, for phrase matching. */
struct ikeys {
	uint64_t	k[1024];
	int		n;
	/* Quoted regions: [qa[i], qb[i]) token ranges. */
	int		qa[32], qb[32], nq;
};

static void
field_feats(struct fb *b, const struct ikeys *ik, const int *f, int k,
    float *out, int *firstp)
{
	uint64_t fk[FEAT_FIELD_CMP];
	struct utok *u;
	int i, j, nd = 0, nov = 0, nfd = 0, nfov = 0, nverb = 0, q;
	int first = -1;
	double idf_all = 0, idf_ov = 0;

	memset(out, 0, FEAT_PER_FIELD * sizeof(float));
	*firstp = -1;
	if (k <= 0) {
		out[10] = 1;
		return;
	}
	b->stamp++;
	for (i = 0; i < k; i++) {
		u = &b->ut[f[i]];
		if (u->seen == b->stamp)
			continue;
		u->seen = b->stamp;
		nd++;
		if (u->in_instr)
			nov++;
		if (!u->stop) {
			nfd++;
			idf_all += (double)u->idf;
			if (u->stem_in_instr) {
				nfov++;
				idf_ov += (double)u->idf;
			}
		}
	}
	/*
	 * A field of verbs and stopwords only ("Like", "Follow", "Search",
	 * "Submit") matches on its verbs: the instruction names such a
	 * control by its verb ("Like the post by ...").  They are not in
	 * the instruction's content words, so the union counts them apart.
	 */
	if (nfd == 0) {
		b->stamp++;
		for (i = 0; i < k; i++) {
			u = &b->ut[f[i]];
			if (!u->verb || u->seen == b->stamp)
				continue;
			u->seen = b->stamp;
			nfd++;
			idf_all += (double)u->idf;
			if (u->in_instr) {
				nfov++;
				nverb++;
				idf_ov += (double)u->idf;
				for (j = 0; j < b->s->T; j++)
					if (b->s->itok_u[j] == f[i]) {
						if (first < 0 || j < first)
							first = j;
						break;
					}
			}
		}
	}
	for (i = 0; i < k && i < FEAT_FIELD_CMP; i++)
		fk[i] = b->ut[f[i]].key;
	/* A phrase with a word the instruction lacks is not in it. */
	if (k <= FEAT_FIELD_CMP && nov == nd) {
		for (q = 0; q < ik->nq; q++)
			if (ik->qb[q] - ik->qa[q] == k &&
			    contains_seq(fk, k, ik->k + ik->qa[q], k))
				out[0] = 1;
		out[1] = (float)contains_seq(fk, k, ik->k, ik->n);
	}
	for (q = 0; q < ik->nq; q++) {
		if (ik->qb[q] - ik->qa[q] > k)
			continue;
		for (i = 0; i + (ik->qb[q] - ik->qa[q]) <= k; i++) {
			for (j = 0; j < ik->qb[q] - ik->qa[q] &&
			    b->ut[f[i + j]].key == ik->k[ik->qa[q] + j]; j++)
				;
			if (j == ik->qb[q] - ik->qa[q] && j > 0)
				out[2] = 1;
		}
	}
	out[3] = nd > 0 ? (float)nov / (float)nd : 0;
	out[4] = b->nidistinct > 0 ? (float)nov / (float)b->nidistinct : 0;
	out[5] = nfd + b->nifilt - (nfov - nverb) > 0 ?
	    (float)nfov / (float)(nfd + b->nifilt - (nfov - nverb)) : 0;
	out[6] = nfd > 0 ? (float)nfov / (float)nfd : 0;
	out[7] = idf_all > 0 ? (float)(idf_ov / idf_all) : 0;
	out[8] = b->iidf > 0 ? (float)(idf_ov / (double)b->iidf) : 0;
	if (out[8] > 1)
		out[8] = 1;
	out[9] = tri_dice(b, f, k);
	/* Where the first matching content word sits in the instruction. */
	for (j = 0; j < k; j++)
		if (b->ufirst[f[j]] >= 0 && (first < 0 ||
		    b->ufirst[f[j]] < first))
			first = b->ufirst[f[j]];
	*firstp = first;
}

/*
 * field_feats() of f[0..k), computed once per distinct token sequence:
 * the same text on many marks (a row's container, "Add to cart") gives
 * the same features.
 */
static void
field_memo(struct fb *b, const struct ikeys *ik, const int *f, int k,
    float *out, int *firstp)
{
	struct fmemo *e, *old;
	uint64_t h = 0xcbf29ce484222325ull;
	size_t i, m, oldcap;
	int j;

	if (k <= 0) {
		field_feats(b, ik, f, k, out, firstp);
		return;
	}
	for (j = 0; j < k; j++)
		h = (h ^ (uint64_t)(unsigned)f[j]) * 0x100000001b3ull;
	h = fmix64(h ^ (uint64_t)k);
	if (2 * (b->fmn + 1) > b->fmcap) {
		old = b->fm;
		oldcap = b->fmcap;
		b->fmcap = oldcap ? 2 * oldcap : 1024;
		b->fm = xcalloc(b->fmcap, sizeof(*b->fm));
		for (i = 0; i < oldcap; i++) {
			if (old[i].f == NULL)
				continue;
			m = (size_t)old[i].h & (b->fmcap - 1);
			while (b->fm[m].f != NULL)
				m = (m + 1) & (b->fmcap - 1);
			b->fm[m] = old[i];
		}
		free(old);
	}
	m = (size_t)h & (b->fmcap - 1);
	for (e = &b->fm[m]; e->f != NULL; e = &b->fm[m]) {
		if (e->h == h && e->k == k &&
		    memcmp(e->f, f, (size_t)k * sizeof(*f)) == 0) {
			memcpy(out, e->out, sizeof(e->out));
			*firstp = e->first;
			return;
		}
		m = (m + 1) & (b->fmcap - 1);
	}
	field_feats(b, ik, f, k, out, firstp);
	e->f = f;
	e->k = k;
	e->h = h;
	e->first = *firstp;
	memcpy(e->out, out, sizeof(e->out));
	b->fmn++;
}

/* ---------------------------------------------------------------------- */
/* Instruction analysis and candidate spans.                              */

#define FEAT_CLAUSES	16	/* clauses of an instruction told apart */

/* 1 if a new clause starts at instruction token i + 1. */
static int
clause_starts(const struct feat_step *s, int i)
{
	const char *w;
	uint32_t a, z;

	if (i + 1 >= s->T)
		return 0;
	w = s->itok[i + 1].norm;
	if (strcmp(w, "then") == 0 || strcmp(w, "and") == 0 ||
	    strcmp(w, "after") == 0 || strcmp(w, "finally") == 0 ||
	    strcmp(w, "next") == 0)
		return 1;
	if (s->itok[i].quote != 0 && s->itok[i].quote == s->itok[i + 1].quote)
		return 0;
	if (s->itok[i].chunk == s->itok[i + 1].chunk &&
	    s->itok[i].shape != FEAT_SHAPE_NONE)
		return 0;
	for (a = s->itok[i].end, z = s->itok[i + 1].start; a < z; a++)
		if (strchr(",;.!?", s->instr[a]) != NULL)
			return 1;
	return 0;
}

/* 1 if instruction token i is "go" of "go ahead and ...": no clause. */
static int
filler(const struct feat_step *s, int i)
{
	return i + 1 < s->T && strcmp(s->itok[i].norm, "go") == 0 &&
	    strcmp(s->itok[i + 1].norm, "ahead") == 0;
}

/*
 * Splits the instruction into clauses ("untick Pool, check Gym and Spa.
 * Then Save": four) and sets cmask of every unique token whose stem is a
 * content word of a clause.  *contentp gets the clauses with a content
 * word; returns the number of clauses.
 */
static int
clause_masks(struct fb *b, uint32_t *contentp)
{
	const struct feat_step *s = b->s;
	int i, j, c = 0, n = 0, *in;
	uint32_t bit;

	*contentp = 0;
	/* The tokens sharing a stem with the instruction, few. */
	in = xcalloc((size_t)s->U + 1, sizeof(int));
	for (i = 0; i < s->U; i++) {
		b->ut[i].cmask = 0;
		if (b->ut[i].stem_in_instr)
			in[n++] = i;
	}
	for (i = 0; i < s->T; i++) {
		struct utok *u = &b->ut[s->itok_u[i]];

		bit = 1u << c;
		if (!u->stop && !filler(s, i)) {
			*contentp |= bit;
			for (j = 0; j < n; j++)
				if (b->ut[in[j]].stem == u->stem)
					b->ut[in[j]].cmask |= bit;
		}
		if (clause_starts(s, i) && c < FEAT_CLAUSES - 1)
			c++;
	}
	free(in);
	return s->T > 0 ? c + 1 : 0;
}

/*
 * The clauses the history has done: those with half of their content
 * words or more in the description or value of an action taken for
 * this instruction.  An action that typed or chose a value does only
 * the clauses naming a word of its value: the label of the field it
 * typed into ("Search products") does not do "open the product page".
 * hoff: the n entries' token ranges in the history bag; hval: where the
 * value's tokens start in each (hval[k] == hoff[k + 1]: no value).
 */
static uint32_t
clauses_done(struct fb *b, const int *hoff, const int *hval, int n,
    uint32_t content)
{
	const struct feat_step *s = b->s;
	uint32_t done = 0, hit[FEAT_CLAUSES], all[FEAT_CLAUSES];
	uint32_t valued;
	int i, k, c;

	if (n <= 0 || content == 0)
		return 0;
	memset(all, 0, sizeof(all));
	for (i = 0, c = 0; i < s->T; i++) {
		if (!b->ut[s->itok_u[i]].stop && !filler(s, i))
			all[c]++;
		if (clause_starts(s, i) && c < FEAT_CLAUSES - 1)
			c++;
	}
	for (k = 0; k < n; k++) {
		memset(hit, 0, sizeof(hit));
		valued = 0;
		b->stamp++;
		for (i = hoff[k]; i < hoff[k + 1]; i++) {
			struct utok *u = &b->ut[s->hbag[i]];

			if (i >= hval[k])
				valued |= u->cmask;
			if (u->stop || u->seen == b->stamp)
				continue;
			u->seen = b->stamp;
			for (c = 0; c < FEAT_CLAUSES; c++)
				if (u->cmask >> c & 1)
					hit[c]++;
		}
		for (c = 0; c < FEAT_CLAUSES; c++)
			if (hit[c] > 0 && 2 * hit[c] >= all[c] &&
			    (hval[k] == hoff[k + 1] || (valued >> c & 1)))
				done |= 1u << c;
	}
	return done & content;
}

/* Words that tie a record to its owner or topic ("the order from"). */
static const char *const tie_words[] = {
	"by", "from", "about", "regarding", "concerning", "owned", "sent",
	"placed", "written", "uploaded", "shared", "belonging", "mentioning"
};

/* 1 if byte c may be part of a word: a letter, a digit, UTF-8. */
static int
word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c >= 0x80;
}

/*
 * 1 if instruction token i follows a possessive: "Ann's post", "Ann\u2019s
 * post" (the tokenizer drops the "'s"), "the Lees' order".
 */
static int
possessed(const struct feat_step *s, int i)
{
	const struct feat_token *t;
	const unsigned char *p;
	size_t n;

	if (i < 1)
		return 0;
	t = &s->itok[i - 1];
	p = (const unsigned char *)s->instr + t->end;
	if (p[0] == '\'')
		n = 1;
	else if (p[0] == 0xe2 && p[1] == 0x80 && p[2] == 0x99)
		n = 3;
	else
		return 0;
	if ((p[n] == 's' || p[n] == 'S') && !word_byte(p[n + 1]))
		return 1;
	return !word_byte(p[n]) && t->len > 1 && t->norm[t->len - 1] == 's';
}

/* 1 if a sentence ends between instruction tokens i and i + 1. */
static int
sentence_break(const struct feat_step *s, int i)
{
	uint32_t a, z;

	if (i + 1 >= s->T)
		return 1;
	for (a = s->itok[i].end, z = s->itok[i + 1].start; a < z; a++)
		if (strchr(";.!?", s->instr[a]) != NULL)
			return 1;
	return 0;
}

/* 1 if w is one of the n words of list. */
static int
word_in(const char *w, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(w, list[i]) == 0)
			return 1;
	return 0;
}

/*
 * The state instruction token i asks of a checkbox: 1 on ("check",
 * "tick", "select", "turn on"), -1 off ("uncheck", "clear", "turn
 * off"), 0 neither.  state: words that follow the name ("... checked",
 * "... off") instead of verbs that precede it.
 */
static int
check_word(const struct feat_step *s, int i, int state)
{
	static const char *const on_v[] = { "check", "tick", "enable",
	    "select", "choose", "pick", "activate", "include", "add",
	    "mark", "want", "keep" };
	static const char *const off_v[] = { "uncheck", "untick", "disable",
	    "deselect", "unselect", "clear", "remove", "exclude",
	    "deactivate", "unmark", "drop" };
	static const char *const on_s[] = { "checked", "ticked", "selected",
	    "enabled", "on", "active", "activated", "chosen", "marked" };
	static const char *const off_s[] = { "unchecked", "unticked",
	    "deselected", "unselected", "disabled", "off", "cleared",
	    "inactive", "deactivated", "unmarked" };
	const char *w = s->itok[i].norm;
	const char *pv = i > 0 ? s->itok[i - 1].norm : "";
	int turn = strcmp(pv, "turn") == 0 || strcmp(pv, "switch") == 0 ||
	    strcmp(pv, "toggle") == 0 || strcmp(pv, "opt") == 0;

	if (state) {
		if (word_in(w, on_s, sizeof(on_s) / sizeof(on_s[0])))
			return 1;
		if (word_in(w, off_s, sizeof(off_s) / sizeof(off_s[0])))
			return -1;
		return 0;
	}
	if (turn && (strcmp(w, "on") == 0 || strcmp(w, "in") == 0))
		return 1;
	if (turn && (strcmp(w, "off") == 0 || strcmp(w, "out") == 0))
		return -1;
	if (word_in(w, on_v, sizeof(on_v) / sizeof(on_v[0])))
		return 1;
	if (word_in(w, off_v, sizeof(off_v) / sizeof(off_v[0])))
		return -1;
	return 0;
}

/*
 * The state the instruction asks of a checkbox it names at token at: a
 * state word right after the name ("Pool unchecked"), else the nearest
 * verb before it in the sentence ("untick Pool, check Gym and Spa"),
 * else a state word a few words on ("Bacon, Peppers and Pineapple
 * selected"); 1 on, -1 off, 0 not said.
 */
static int
check_desire(const struct feat_step *s, int at)
{
	int i, d;

	for (i = at + 1; i < s->T && i <= at + 2; i++) {
		if ((d = check_word(s, i, 1)) != 0)
			return d;
		if (sentence_break(s, i))
			break;
	}
	for (i = at - 1; i >= 0 && i >= at - 10 && !sentence_break(s, i);
	    i--)
		if ((d = check_word(s, i, 0)) != 0)
			return d;
	for (i = at + 1; i < s->T && i <= at + 6; i++) {
		if ((d = check_word(s, i, 1)) != 0)
			return d;
		if (sentence_break(s, i))
			break;
	}
	return 0;
}

/* 1 if the instruction asks for these boxes and no others ("only"). */
static int
wants_only(const struct feat_step *s)
{
	int i;

	for (i = 0; i < s->T; i++)
		if (strcmp(s->itok[i].norm, "only") == 0 ||
		    strcmp(s->itok[i].norm, "exactly") == 0 ||
		    strcmp(s->itok[i].norm, "solely") == 0 ||
		    (strcmp(s->itok[i].norm, "else") == 0 && i > 0 &&
		    (strcmp(s->itok[i - 1].norm, "nothing") == 0 ||
		    strcmp(s->itok[i - 1].norm, "none") == 0)))
			return 1;
	return 0;
}

/* 1 if w names a price ("price", "fare", "cost", ...). */
static int
is_price_noun(const char *w)
{
	static const char *const nouns[] = { "price", "priced", "prices",
	    "fare", "fares", "cost", "costs", "rate", "rates", "total" };
	size_t i;

	for (i = 0; i < sizeof(nouns) / sizeof(nouns[0]); i++)
		if (strcmp(w, nouns[i]) == 0)
			return 1;
	return 0;
}

/*
 * Whether instruction token i asks for the cheapest (-1: "cheapest",
 * "least expensive", "lowest price", "most affordable") or the dearest
 * (1: "priciest", "most expensive", "highest fare") of the priced
 * items; 0 if it does not.
 */
static int
price_word(const struct feat_step *s, int i)
{
	const char *w = s->itok[i].norm;
	const char *nx = i + 1 < s->T ? s->itok[i + 1].norm : "";
	const char *nx2 = i + 2 < s->T ? s->itok[i + 2].norm : "";

	if (strcmp(w, "cheapest") == 0 || strcmp(w, "cheaper") == 0 ||
	    strcmp(w, "cheap") == 0)
		return -1;
	if (strcmp(w, "priciest") == 0 || strcmp(w, "costliest") == 0 ||
	    strcmp(w, "dearest") == 0 || strcmp(w, "pricier") == 0)
		return 1;
	if ((strcmp(w, "least") == 0 || strcmp(w, "most") == 0) &&
	    (strcmp(nx, "expensive") == 0 || strcmp(nx, "costly") == 0 ||
	    strcmp(nx, "pricey") == 0))
		return w[0] == 'l' ? -1 : 1;
	if ((strcmp(w, "least") == 0 || strcmp(w, "most") == 0) &&
	    strcmp(nx, "affordable") == 0)
		return w[0] == 'l' ? 1 : -1;
	if ((strcmp(w, "lowest") == 0 || strcmp(w, "highest") == 0 ||
	    strcmp(w, "lower") == 0 || strcmp(w, "higher") == 0 ||
	    strcmp(w, "minimum") == 0 || strcmp(w, "maximum") == 0) &&
	    (is_price_noun(nx) || is_price_noun(nx2)))
		return w[0] == 'l' || w[1] == 'i' ? -1 : 1;
	return 0;
}

/* Value of the number at s (digits with "," and "." groups), or NAN. */
static double
price_number(const char *s)
{
	char buf[32];
	size_t n = 0, i;
	int last_sep = -1, ndot = 0, ncomma = 0;

	while (*s == ' ')
		s++;
	for (; n + 1 < sizeof(buf) && ((*s >= '0' && *s <= '9') ||
	    ((*s == ',' || *s == '.') && s[1] >= '0' && s[1] <= '9' && n > 0));
	    s++) {
		if (*s == ',' || *s == '.') {
			last_sep = (int)n;
			*s == ',' ? ncomma++ : ndot++;
		}
		buf[n++] = *s;
	}
	buf[n] = '\0';
	if (n == 0)
		return NAN;
	/* The last separator is a decimal point if 1-2 digits follow it. */
	{
		char out[32];
		size_t k = 0;
		int dec = last_sep >= 0 && (int)n - last_sep - 1 <= 2 &&
		    !(ncomma + ndot > 1 && buf[last_sep] == buf[0]);

		for (i = 0; i < n; i++) {
			if (buf[i] == ',' || buf[i] == '.') {
				if (dec && (int)i == last_sep)
					out[k++] = '.';
				continue;
			}
			out[k++] = buf[i];
		}
		out[k] = '\0';
		return strtod(out, NULL);
	}
}

/*
 * The first price in text ("$1,299.00", "EUR 45", "45,50 \u20ac"), or
 * NAN: a currency sign or code next to a number.
 */
static double
first_price(const char *text)
{
	static const char *const signs[] = { "$", "\xe2\x82\xac", "\xc2\xa3",
	    "\xc2\xa5", "USD", "EUR", "GBP" };
	const char *p, *best = NULL, *num = NULL, *q;
	size_t i, l;

	if (text == NULL)
		return NAN;
	for (i = 0; i < sizeof(signs) / sizeof(signs[0]); i++) {
		l = strlen(signs[i]);
		for (p = strstr(text, signs[i]); p != NULL;
		    p = strstr(p + l, signs[i])) {
			q = p + l;
			while (*q == ' ')
				q++;
			if (*q >= '0' && *q <= '9') {
				if (best == NULL || p < best) {
					best = p;
					num = q;
				}
				break;
			}
			/* "45 EUR", "45$": the number before the sign. */
			q = p;
			while (q > text && q[-1] == ' ')
				q--;
			if (q > text && q[-1] >= '0' && q[-1] <= '9') {
				while (q > text && ((q[-1] >= '0' &&
				    q[-1] <= '9') || q[-1] == ',' ||
				    q[-1] == '.'))
					q--;
				if (best == NULL || q < best) {
					best = q;
					num = q;
				}
				break;
			}
		}
	}
	if (num == NULL)
		return NAN;
	return price_number(num);
}

/* 1 if punctuation that ends a clause lies between tokens i and i+1. */
static int
clause_break(const struct feat_step *s, int i)
{
	uint32_t a, z;

	if (i + 1 >= s->T)
		return 1;
	if (s->itok[i].chunk == s->itok[i + 1].chunk &&
	    s->itok[i].shape != FEAT_SHAPE_NONE)
		return 0;
	for (a = s->itok[i].end, z = s->itok[i + 1].start; a < z; a++)
		if (strchr(",;.!?:()", s->instr[a]) != NULL)
			return 1;
	if (s->itok[i].quote != s->itok[i + 1].quote)
		return 1;
	return 0;
}

/* How strongly a kind of span suggests a value (quotes most). */
static int
span_prio(int kind)
{
	switch (kind) {
	case FEAT_SPAN_QUOTE:
		return 4;
	case FEAT_SPAN_LABEL:
		return 3;
	case FEAT_SPAN_VERB:
		return 2;
	default:
		return 1;
	}
}

/* Adds span a..z; a span found twice keeps its strongest kind. */
static void
add_span(struct feat_step *s, int a, int z, int kind)
{
	int i;

	if (a < 0 || z < a || z >= s->T)
		return;
	for (i = 0; i < s->nspan; i++)
		if (s->span[i].start == a && s->span[i].end == z) {
			if (span_prio(kind) > span_prio(s->span[i].kind))
				s->span[i].kind = kind;
			return;
		}
	if (s->nspan >= FEAT_SPANS_MAX)
		return;
	s->span[s->nspan].start = a;
	s->span[s->nspan].end = z;
	s->span[s->nspan].kind = kind;
	s->nspan++;
}

/* 1 if only a colon or "=" separates tokens i and i+1 ("Name: Ada"). */
static int
colon_after(const struct feat_step *s, int i)
{
	uint32_t a, z;
	int seen = 0;

	if (i + 1 >= s->T || s->itok[i].quote != s->itok[i + 1].quote)
		return 0;
	for (a = s->itok[i].end, z = s->itok[i + 1].start; a < z; a++) {
		if (s->instr[a] == ':' || s->instr[a] == '=')
			seen = 1;
		else if (strchr(",;.!?()", s->instr[a]) != NULL)
			return 0;
	}
	return seen;
}

/*
 * The value after token i (or after its colon): up to a stop word or
 * clause break.
 */
static void
value_after(struct fb *b, int i, int kind, int maxlen)
{
	const struct feat_step *s = b->s;
	const char *w;
	int a = i + 1, z;

	if (clause_break(s, i) && !colon_after(s, i))
		return;
	/*
	 * Skip articles, "for" after "search" and the copula of "my
	 * password is ...", "it should be ...".
	 */
	while (a < s->T && (strcmp((w = s->itok[a].norm), "the") == 0 ||
	    strcmp(w, "a") == 0 || strcmp(w, "an") == 0 ||
	    strcmp(w, "for") == 0 || strcmp(w, "in") == 0 ||
	    strcmp(w, "is") == 0 || strcmp(w, "be") == 0 ||
	    strcmp(w, "should") == 0 || strcmp(w, "say") == 0) &&
	    !(s->itok[a].flags & FEAT_TF_QUOTED) && !clause_break(s, a))
		a++;
	if (a >= s->T)
		return;
	for (z = a; z + 1 < s->T && z - a + 1 < maxlen; z++) {
		if (clause_break(s, z))
			break;
		if (!(s->itok[z + 1].flags & FEAT_TF_QUOTED) &&
		    (wclass(s->itok[z + 1].norm) & (WC_VSTOP | WC_PREP)))
			break;
	}
	if (!(s->itok[a].flags & FEAT_TF_QUOTED) &&
	    (wclass(s->itok[a].norm) & WC_STOP) && a == z)
		return;
	add_span(b->s, a, z, kind);
}

/* Tokenises the instruction; finds quotes, verbs, shapes, spans. */
static void
analyse_instr(struct fb *b, struct ikeys *ik)
{
	struct feat_step *s = b->s;
	const struct feat_config *c = b->c;
	int i, j, o, verb = 0, T = s->T;
	uint32_t buf[64];
	size_t cap = 0;

	ik->n = T < 1024 ? T : 1024;
	ik->nq = 0;
	for (i = 0; i < ik->n; i++)
		ik->k[i] = s->ukey[s->itok_u[i]];
	/* Quoted regions: runs of tokens with the same quote id. */
	for (i = 0; i < ik->n; i = j) {
		for (j = i + 1; j < ik->n && s->itok[j].quote == s->itok[i].quote;
		    j++)
			;
		if (s->itok[i].quote == 0 || ik->nq >= 32)
			continue;
		ik->qa[ik->nq] = i;
		ik->qb[ik->nq++] = j;
		add_span(s, i, j - 1, FEAT_SPAN_QUOTE);
		b->has_quotes = 1;
	}

	/* Per-token trigrams, verbs, ordinals, check words. */
	b->itri_off = xcalloc((size_t)T + 1, sizeof(int));
	for (i = 0; i < T; i++) {
		const char *w = s->itok[i].norm;
		int nt = trigrams(w, buf, 64);

		GROW(b->itri, cap, (size_t)b->itri_off[i] + nt);
		memcpy(b->itri + b->itri_off[i], buf, nt * sizeof(*buf));
		b->itri_off[i + 1] = b->itri_off[i] + nt;
		if ((o = ordinal_of(w)) != 0 && b->ordinal == 0)
			b->ordinal = o;
		if (wclass(w) & WC_TYPE)
			b->has_type_verb = 1;
		if (wclass(w) & WC_CLICK)
			b->has_click_verb = 1;
		if (strcmp(w, "check") == 0 || strcmp(w, "tick") == 0 ||
		    strcmp(w, "enable") == 0)
			b->want_check = 1;
		if (strcmp(w, "uncheck") == 0 || strcmp(w, "untick") == 0 ||
		    strcmp(w, "disable") == 0 || strcmp(w, "clear") == 0)
			b->want_uncheck = 1;
		if (strcmp(w, "select") == 0 || strcmp(w, "choose") == 0 ||
		    strcmp(w, "pick") == 0)
			b->want_select = 1;
		if (b->want_price == 0)
			b->want_price = price_word(s, i);
	}

	/* The inverted trigram index (open addressing, half full). */
	for (b->tx_cap = 64; b->tx_cap < 2 * (size_t)b->itri_off[T];
	    b->tx_cap *= 2)
		;
	b->tx_key = xcalloc(b->tx_cap, sizeof(uint32_t));
	b->tx_head = xcalloc(b->tx_cap, sizeof(int));
	b->tx_pos = xcalloc((size_t)b->itri_off[T] + 1, sizeof(int));
	b->tx_next = xcalloc((size_t)b->itri_off[T] + 1, sizeof(int));
	for (i = T - 1; i >= 0; i--)
		for (j = b->itri_off[i]; j < b->itri_off[i + 1]; j++) {
			size_t sl = tx_slot(b, b->itri[j]);

			b->tx_key[sl] = b->itri[j];
			b->tx_pos[j] = i;
			b->tx_next[j] = b->tx_head[sl];
			b->tx_head[sl] = j + 1;
		}

	/* Values after typing verbs and after "with/to/as" in their clause. */
	for (i = 0; i < T; i++) {
		const char *w = s->itok[i].norm;

		if (s->itok[i].flags & FEAT_TF_QUOTED)
			continue;
		if (strcmp(w, "choose") == 0 || strcmp(w, "select") == 0 ||
		    strcmp(w, "pick") == 0) {
			/* "choose Dark Blue as colour": an option's text. */
			value_after(b, i, FEAT_SPAN_VERB, (int)c->span_max);
		} else if (wclass(w) & WC_TYPE) {
			verb = 1;
			if (strcmp(w, "fill") != 0 && strcmp(w, "set") != 0 &&
			    strcmp(w, "change") != 0 &&
			    strcmp(w, "update") != 0)
				value_after(b, i, FEAT_SPAN_VERB,
				    (int)c->span_max);
		} else if (verb && (wclass(w) & WC_PREP) &&
		    strcmp(w, "of") != 0)
			value_after(b, i, FEAT_SPAN_VERB, (int)c->span_max);
		if (clause_break(s, i) && !(i + 1 < T &&
		    (s->itok[i + 1].flags & FEAT_TF_QUOTED)))
			verb = 0;
	}

	/* Shaped chunks: emails, numbers, dates, prices. */
	for (i = 0; i < T; i = j) {
		for (j = i + 1; j < T && s->itok[j].chunk == s->itok[i].chunk;
		    j++)
			;
		if (s->itok[i].shape != FEAT_SHAPE_NONE &&
		    s->itok[j - 1].shape != FEAT_SHAPE_NONE &&
		    j - i <= (int)c->span_max)
			add_span(s, i, j - 1, FEAT_SPAN_SHAPE);
	}

	/* Instruction word statistics. */
	b->istem = xcalloc((size_t)T + 1, sizeof(uint64_t));
	b->stamp++;
	for (i = 0; i < T; i++) {
		struct utok *u = &b->ut[s->itok_u[i]];

		u->in_instr++;
		if (s->itok[i].flags & FEAT_TF_QUOTED)
			u->quoted = 1;
		if (u->seen != b->stamp) {
			u->seen = b->stamp;
			b->nidistinct++;
			if (!u->stop) {
				b->nifilt++;
				b->istem[b->nistem++] = u->stem;
			}
		}
	}
}

/* Label-introduced values: "zip code 90028", "username alice". */
static void
label_spans(struct fb *b, const struct obs *o, int N)
{
	struct feat_step *s = b->s;
	struct feat_token lt[16];
	int e, n, i, j, a, z, ok, k;

	for (e = 0; e < N; e++) {
		const struct mark *m = &o->marks[e];
		const char *lab;

		if (!m->editable && m->noptions == 0)
			continue;
		lab = m->label != NULL && m->label[0] ? m->label : NULL;
		if (lab == NULL && m->attrs != NULL) {
			const cJSON *p = cJSON_GetObjectItemCaseSensitive(
			    m->attrs, "placeholder");
			if (!cJSON_IsString(p))
				p = cJSON_GetObjectItemCaseSensitive(m->attrs,
				    "aria-label");
			if (!cJSON_IsString(p))
				p = cJSON_GetObjectItemCaseSensitive(m->attrs,
				    "name");
			if (cJSON_IsString(p))
				lab = p->valuestring;
		}
		if (lab == NULL)
			continue;
		n = feat_tokenize(lab, lt, 16);
		/* Content words of the label, in order. */
		for (i = 0, k = 0; i < n; i++)
			if (!(wclass(lt[i].norm) & WC_STOP))
				lt[k++] = lt[i];
		n = k;
		if (n == 0 || n > 4)
			continue;
		for (a = 0; a + n <= s->T; a++) {
			for (j = 0, ok = 1; j < n && ok; j++)
				ok = strcmp(s->itok[a + j].norm,
				    lt[j].norm) == 0;
			if (!ok)
				continue;
			z = a + n - 1;
			value_after(b, z, FEAT_SPAN_LABEL, FEAT_VALUE_TOKS);
		}
	}
}

/* ---------------------------------------------------------------------- */
/* Context of marks without a label.                                      */

#define CTX_MARKS	3	/* marks whose text makes a context */
#define CTX_ABOVE_PX	160	/* how far above a mark its context may be */
#define CTX_TALL_PX	200	/* marks taller than this are not looked at */
#define CTX_TOKENS	6	/* tokens of context at most */

/* A mark index with the top of its box, for sorting. */
struct ctx_key {
	double	y;
	int	i;
};

static int
ctx_ycmp(const void *a, const void *b)
{
	const struct ctx_key *x = a, *y = b;

	if (x->y < y->y)
		return -1;
	if (x->y > y->y)
		return 1;
	return x->i - y->i;
}

/*
 * Sorts k[0..n) as qsort() with ctx_ycmp() does (the order is total:
 * indices differ), merging runs: marks come mostly in reading order.
 * tmp holds n keys.
 */
static void
ctx_sort(struct ctx_key *k, struct ctx_key *tmp, int n)
{
	struct ctx_key *src = k, *dst = tmp, *sw;
	int w, lo, mid, hi, a, b, o, i;

	for (i = 0; i < n; i++)
		if (isnan(k[i].y)) {
			/* No total order: leave it to qsort(). */
			qsort(k, (size_t)n, sizeof(*k), ctx_ycmp);
			return;
		}
	for (w = 1; w < n; w *= 2) {
		for (lo = 0; lo < n; lo += 2 * w) {
			mid = lo + w < n ? lo + w : n;
			hi = lo + 2 * w < n ? lo + 2 * w : n;
			for (a = lo, b = mid, o = lo; a < mid && b < hi; o++)
				dst[o] = ctx_ycmp(&src[b], &src[a]) < 0 ?
				    src[b++] : src[a++];
			while (a < mid)
				dst[o++] = src[a++];
			while (b < hi)
				dst[o++] = src[b++];
		}
		sw = src;
		src = dst;
		dst = sw;
	}
	if (src != k)
		memcpy(k, src, (size_t)n * sizeof(*k));
}

/* What mark_context() gathers: row-left marks, the nearest above. */
struct ctx_acc {
	int	left[CTX_MARKS];
	int	nl;
	int	above;
	double	best;
};

/* Looks at mark i of o as context of m. */
static void
ctx_consider(const struct obs *o, const struct mark *m, int i,
    struct ctx_acc *c)
{
	const struct mark *q = &o->marks[i];
	double cy = m->y + m->h / 2, qy = q->y + q->h / 2, d;
	int j;

	if (q->x + q->w <= m->x + 2 && qy >= m->y && qy <= m->y + m->h &&
	    cy >= q->y && cy <= q->y + q->h) {
		/* Keep the CTX_MARKS leftmost, in x order. */
		for (j = c->nl; j > 0 && o->marks[c->left[j - 1]].x > q->x;
		    j--)
			if (j < CTX_MARKS)
				c->left[j] = c->left[j - 1];
		if (j < CTX_MARKS) {
			c->left[j] = i;
			if (c->nl < CTX_MARKS)
				c->nl++;
		}
	} else if (q->y + q->h <= m->y + 2 &&
	    (d = m->y - (q->y + q->h)) < CTX_ABOVE_PX &&
	    q->x < m->x + m->w && q->x + q->w > m->x - 40 &&
	    (d < c->best || (!(d > c->best) && i < c->above))) {
		c->best = d;
		c->above = i;
	}
}

/*
 * The context of mark e when it has no label and takes no input (an
 * action button of a table row, a card or a post): the marks left of it
 * on its row, leftmost first (the row's name link comes before its other
 * actions), else the nearest mark above it in its column (a card's
 * title).  Their indices go to out; returns how many.  ord holds the N
 * marks by the top of their box, e at position pe: only marks whose top
 * is at most CTX_ABOVE_PX + CTX_TALL_PX above it are looked at.
 */
static int
mark_context(const struct obs *o, const int *ord, int N, int pe,
    int out[CTX_MARKS])
{
	const struct mark *m = &o->marks[ord[pe]];
	struct ctx_acc c;
	int k;

	memset(&c, 0, sizeof(c));
	c.above = -1;
	c.best = 1e9;
	for (k = pe - 1; k >= 0 && o->marks[ord[k]].y >= m->y -
	    CTX_ABOVE_PX - CTX_TALL_PX; k--)
		ctx_consider(o, m, ord[k], &c);
	for (k = pe + 1; k < N && o->marks[ord[k]].y <= m->y + m->h; k++)
		ctx_consider(o, m, ord[k], &c);
	if (c.nl == 0 && c.above >= 0)
		c.left[c.nl++] = c.above;
	for (k = 0; k < c.nl; k++)
		out[k] = c.left[k];
	return c.nl;
}

/* ---------------------------------------------------------------------- */
/* Per-mark features.                                                     */

/* Normalised form of text: tokens joined by single spaces. */
static void
norm_text(struct fb *b, const char *text, char *out, size_t n)
{
	int nt, i;
	size_t k = 0, l;

	out[0] = '\0';
	if (text == NULL)
		return;
	nt = feat_tokenize(text, b->tk, (int)b->c->max_bag);
	for (i = 0; i < nt; i++) {
		l = strlen(b->tk[i].norm);
		if (k + l + 2 > n)
			break;
		if (k > 0)
			out[k++] = ' ';
		memcpy(out + k, b->tk[i].norm, l);
		k += l;
		out[k] = '\0';
	}
}

/*
 * Normalised form of the tokens bag[a..z) of the step, as norm_text()
 * writes the text they came from (tokens joined by single spaces, cut
 * at a whole token to fit n bytes).
 */
static void
bag_norm(const struct fb *b, int a, int z, char *out, size_t n)
{
	const struct utok *u;
	size_t k = 0;
	int i;

	out[0] = '\0';
	for (i = a; i < z; i++) {
		u = &b->ut[b->s->bag[i]];
		if (k + (size_t)u->len + 2 > n)
			break;
		if (k > 0)
			out[k++] = ' ';
		memcpy(out + k, u->norm, (size_t)u->len + 1);
		k += (size_t)u->len;
	}
}

/*
 * 1 if a candidate value of the instruction (a quoted one, if any is
 * quoted) is still to be typed: not typed for this instruction yet, held
 * by no field, and not the text of a mark or of its container (a name on
 * the page is a reference to it, as in "share Ann Lee's post", not a
 * value).  The texts of the marks are their text and container bags,
 * joined; vnorm[e] is the normalised value of field e (NULL: empty).
 */
static int
pending_value(struct fb *b, const struct obs *o, int N,
    const struct feat_hist *hist, size_t hstart, size_t nhist,
    char *const *vnorm)
{
	const struct feat_step *s = b->s;
	char nt[512];
	char *texts = NULL;
	size_t *toff = NULL, cap = 0, len = 0, l;
	int i, e, f, pend = 0;
	size_t k;

	if (s->nspan == 0)
		return 0;
	for (i = 0; i < s->nspan && !pend; i++) {
		const char *v = b->snorm[i];

		/* Quoted values, when there are, are the values. */
		if (v[0] == '\0' || (b->has_quotes &&
		    s->span[i].kind != FEAT_SPAN_QUOTE))
			continue;
		pend = 1;
		for (k = hstart; k < nhist && pend; k++)
			if (hist[k].value != NULL && b->vals[k] != NULL &&
			    strcmp(b->vals[k], v) == 0)
				pend = 0;
		if (pend && toff == NULL) {
			/* Text and container of each mark, apart ("\001"). */
			toff = xcalloc((size_t)N + 1, sizeof(*toff));
			for (e = 0; e < N; e++) {
				toff[e] = len;
				if (o->marks[e].editable) {
					const char *vn = vnorm[e] != NULL ?
					    vnorm[e] : "";

					l = strlen(vn);
					GROW(texts, cap, len + l + 1);
					memcpy(texts + len, vn, l + 1);
					len += l + 1;
					continue;
				}
				for (f = 0; f < FEAT_NBAGS; f += 3) {
					bag_norm(b, s->bag_off[e * FEAT_NBAGS +
					    f], s->bag_off[e * FEAT_NBAGS + f +
					    1], nt, sizeof(nt));
					l = strlen(nt);
					GROW(texts, cap, len + l + 1);
					memcpy(texts + len, nt, l);
					texts[len + l] = f == 0 ? '\001' : '\0';
					len += l + 1;
				}
			}
		}
		for (e = 0; e < N && pend; e++) {
			if (o->marks[e].editable ? strcmp(texts + toff[e],
			    v) == 0 : strstr(texts + toff[e], v) != NULL)
				pend = 0;
		}
	}
	free(toff);
	free(texts);
	return pend;
}

/* Normalised text of candidate span i. */
static void
span_norm(const struct feat_step *s, int i, char *out, size_t n)
{
	size_t k = 0, l;
	int t;

	out[0] = '\0';
	for (t = s->span[i].start; t <= s->span[i].end; t++) {
		l = strlen(s->itok[t].norm);
		if (k + l + 2 > n)
			break;
		if (k > 0)
			out[k++] = ' ';
		memcpy(out + k, s->itok[t].norm, l);
		k += l;
		out[k] = '\0';
	}
}

/* The stems of the instruction words around each candidate span. */
static void
span_stems(struct fb *b)
{
	const struct feat_step *s = b->s;
	uint64_t *st;
	int i, t, a, z;

	b->spst = xcalloc((size_t)s->nspan * 2 * FEAT_WINDOW + 1,
	    sizeof(uint64_t));
	b->nspst = xcalloc((size_t)s->nspan + 1, sizeof(int));
	for (i = 0; i < s->nspan; i++) {
		a = s->span[i].start;
		z = s->span[i].end;
		st = b->spst + (size_t)i * 2 * FEAT_WINDOW;
		for (t = a - FEAT_WINDOW; t <= z + FEAT_WINDOW; t++) {
			if (t < 0 || t >= s->T || (t >= a && t <= z))
				continue;
			st[b->nspst[i]++] = b->ut[s->itok_u[t]].stem;
		}
	}
}

/*
 * Share of the content words of field f[0..k) found among the
 * instruction words around value span sp (the label-to-value link).
 */
static float
link_score(const struct fb *b, const int *f, int k, int sp)
{
	const uint64_t *st = b->spst + (size_t)sp * 2 * FEAT_WINDOW;
	int j, t, hit = 0, tot = 0, ns = b->nspst[sp];

	for (j = 0; j < k; j++) {
		const struct utok *u = &b->ut[f[j]];

		if (u->stop)
			continue;
		tot++;
		for (t = 0; t < ns; t++)
			if (st[t] == u->stem) {
				hit++;
				break;
			}
	}
	return tot > 0 ? (float)hit / (float)tot : 0;
}

/* Crop statistics of box (CSS px) in img (16 floats). */
static void
crop_feats(const struct img *im, double scale, const struct mark *m,
    float *out)
{
	double x0, y0, x1, y1, sx, sy, sum[3] = { 0, 0, 0 };
	double sq[3] = { 0, 0, 0 }, hue[8], r, g, bl, mx, mn, h, l, pl = -1;
	double edges = 0, dark = 0, cnt = 0, pairs = 0;
	int i, j, k, px, py;
	const uint8_t *p;

	memset(out, 0, FEAT_NCROP * sizeof(float));
	memset(hue, 0, sizeof(hue));
	if (im == NULL || im->px == NULL || im->w <= 0 || im->h <= 0)
		return;
	if (!(scale > 0))
		scale = 1;
	x0 = m->x * scale;
	y0 = m->y * scale;
	x1 = (m->x + m->w) * scale;
	y1 = (m->y + m->h) * scale;
	if (x0 < 0)
		x0 = 0;
	if (y0 < 0)
		y0 = 0;
	if (x1 > im->w)
		x1 = im->w;
	if (y1 > im->h)
		y1 = im->h;
	if (x1 - x0 < 1 || y1 - y0 < 1)
		return;
	sx = (x1 - x0) / FEAT_CROP_GRID;
	sy = (y1 - y0) / FEAT_CROP_GRID;
	for (j = 0; j < FEAT_CROP_GRID; j++) {
		pl = -1;
		for (i = 0; i < FEAT_CROP_GRID; i++) {
			px = (int)(x0 + (i + 0.5) * sx);
			py = (int)(y0 + (j + 0.5) * sy);
			if (px >= im->w)
				px = im->w - 1;
			if (py >= im->h)
				py = im->h - 1;
			p = im->px + ((size_t)py * im->w + px) * 4;
			r = p[0] / 255.0;
			g = p[1] / 255.0;
			bl = p[2] / 255.0;
			sum[0] += r;
			sum[1] += g;
			sum[2] += bl;
			sq[0] += r * r;
			sq[1] += g * g;
			sq[2] += bl * bl;
			l = 0.299 * r + 0.587 * g + 0.114 * bl;
			if (l < 0.25)
				dark++;
			if (pl >= 0) {
				pairs++;
				if (fabs(l - pl) > 0.1)
					edges++;
			}
			pl = l;
			mx = r > g ? (r > bl ? r : bl) : (g > bl ? g : bl);
			mn = r < g ? (r < bl ? r : bl) : (g < bl ? g : bl);
			if (mx - mn > 0.1) {
				if (!(r < mx))
					h = fmod((g - bl) / (mx - mn) + 6, 6);
				else if (!(g < mx))
					h = (bl - r) / (mx - mn) + 2;
				else
					h = (r - g) / (mx - mn) + 4;
				k = (int)(h / 6 * 8);
				if (k > 7)
					k = 7;
				if (k < 0)
					k = 0;
				hue[k] += mx - mn;
			}
			cnt++;
		}
	}
	for (k = 0; k < 3; k++) {
		out[k] = (float)(sum[k] / cnt);
		out[3 + k] = (float)sqrt(fmax(0, sq[k] / cnt -
		    (sum[k] / cnt) * (sum[k] / cnt)));
	}
	for (k = 0; k < 8; k++)
		out[6 + k] = (float)(hue[k] / cnt);
	out[14] = pairs > 0 ? (float)(edges / pairs) : 0;
	out[15] = (float)(dark / cnt);
}

/* Option features of option text t (index i of no) of mark m. */
static void
option_feats(struct fb *b, const struct ikeys *ik, const int *f, int k,
    const struct mark *m, int i, int no, float *out)
{
	float ff[FEAT_PER_FIELD];
	char nt[256];
	size_t len;
	int first, sp, j, a, q, hit;

	memset(out, 0, FEAT_NOPTLEX * sizeof(float));
	field_memo(b, ik, f, k, ff, &first);
	out[0] = ff[0];
	out[1] = ff[1];
	out[2] = ff[3];
	out[3] = ff[6];
	out[4] = ff[7];
	out[5] = ff[9];
	out[6] = m->option_selected == i;
	out[7] = i == 0;
	/* The option's words, joined (its bag). */
	nt[0] = '\0';
	for (j = 0, len = 0; j < k; j++) {
		const struct utok *u = &b->ut[f[j]];

		if (len + (size_t)u->len + 2 > sizeof(nt))
			break;
		if (len > 0)
			nt[len++] = ' ';
		memcpy(nt + len, u->norm, (size_t)u->len + 1);
		len += (size_t)u->len;
	}
	out[8] = nt[0] == '\0' || strncmp(nt, "select", 6) == 0 ||
	    strncmp(nt, "choose", 6) == 0 || strncmp(nt, "please", 6) == 0;
	out[9] = no > 1 ? (float)i / (float)(no - 1) : 0;
	out[10] = k == 0;
	/* An instruction word that abbreviates an option word. */
	for (j = 0, hit = 0; j < k && !hit; j++) {
		if (b->uabbr[f[j]] < 0) {
			b->uabbr[f[j]] = 0;
			for (a = 0; a < b->s->T; a++) {
				const struct feat_token *w = &b->s->itok[a];

				if (w->len >= 3 &&
				    (int)w->len < b->ut[f[j]].len &&
				    memcmp(w->norm, b->ut[f[j]].norm,
				    w->len) == 0) {
					b->uabbr[f[j]] = 1;
					break;
				}
			}
		}
		hit = b->uabbr[f[j]];
	}
	out[11] = hit;
	for (j = 0, q = 0; j < k; j++)
		if (b->ut[f[j]].quoted)
			q++;
	out[12] = k > 0 ? (float)q / (float)k : 0;
	for (sp = 0; sp < b->s->nspan && nt[0] != '\0'; sp++)
		if (strcmp(b->snorm[sp], nt) == 0)
			out[13] = 1;
	out[14] = (float)(log1p(no) / log1p(OBS_MAX_OPTIONS));
	out[15] = 1;
}

/* ---------------------------------------------------------------------- */
/* Ranks among equal keys.                                                */

/*
 * For each i of keys[0..n): its 1-based rank among the entries with the
 * same key (in index order) and how many there are.  One pass in index
 * order counts each key in a hash table (slot: the group's first entry).
 */
static void
group_ranks(const uint64_t *keys, int n, int *rank, int *count)
{
	int *slot, *grp, i;
	size_t cap, m, h;

	if (n <= 0)
		return;
	for (cap = 16; cap < 2 * (size_t)n; cap *= 2)
		;
	m = cap - 1;
	slot = xcalloc(cap, sizeof(int));
	grp = xcalloc((size_t)n, sizeof(int));
	for (i = 0; i < n; i++) {
		h = (size_t)fmix64(keys[i]) & m;
		while (slot[h] != 0 && keys[slot[h] - 1] != keys[i])
			h = (h + 1) & m;
		if (slot[h] == 0) {
			slot[h] = i + 1;
			count[i] = 0;
		}
		grp[i] = slot[h] - 1;
		rank[i] = ++count[grp[i]];
	}
	for (i = 0; i < n; i++)
		count[i] = count[grp[i]];
	free(grp);
	free(slot);
}

/* ---------------------------------------------------------------------- */
/* The step.                                                              */

void
feat_step_free(struct feat_step *s)
{
	if (s == NULL)
		return;
	free(s->instr);
	free(s->itok);
	free(s->itok_u);
	free(s->ibigram);
	free(s->itokf);
	free(s->span);
	free(s->ukey);
	free(s->uword);
	free(s->ushape);
	free(s->ung_off);
	free(s->ung);
	free(s->mark_id);
	free(s->bag_off);
	free(s->bag);
	free(s->cat);
	free(s->dense);
	free(s->row_mask);
	free(s->opt_off);
	free(s->obag_off);
	free(s->optlex);
	free(s->hbag);
	free(s);
}

static void
fb_free(struct fb *b)
{
	int i;

	free(b->ut);
	free(b->map);
	free(b->istem);
	free(b->itri_off);
	free(b->itri);
	free(b->tx_key);
	free(b->tx_head);
	free(b->tx_pos);
	free(b->tx_next);
	free(b->utri);
	free(b->uhit_off);
	free(b->uhit);
	free(b->tk);
	free(b->vals);
	free(b->ufirst);
	free(b->uabbr);
	free(b->spst);
	free(b->nspst);
	free(b->fm);
	if (b->snorm != NULL)
		for (i = 0; i < b->s->nspan; i++)
			free(b->snorm[i]);
	free(b->snorm);
}

static uint32_t
cat_row(const struct feat_config *c, int ns, const char *v, uint32_t bits)
{
	if (v == NULL)
		v = "";
	return (uint32_t)(feat_hash(c, ns, v, strlen(v)) &
	    ((1ull << bits) - 1));
}

/* 1 if instruction token i is a content word that may name a record. */
static int
record_word(const struct fb *b, int i)
{
	const struct utok *u = &b->ut[b->s->itok_u[i]];

	return !u->stop && !u->verb;
}

/* 1 if instruction token t is the first content word of its stem. */
static int
first_content(const struct fb *b, int t)
{
	return !b->ut[b->s->itok_u[t]].stop && b->ufirst[b->s->itok_u[t]] == t;
}

/*
 * Marks in rec (by the first instruction token of each stem) the words
 * that name a record by its owner or topic: the owner before a
 * possessive ("Share Ann Lee's post": ann, lee; not the first word of
 * the instruction unless it is the owner) and the words after a tie word
 * ("the post about budget": budget), at most 3 each, within a clause.
 * Returns how many stems it marked.
 */
static int
record_words(const struct fb *b, unsigned char *rec)
{
	const struct feat_step *s = b->s;
	int i, j, n = 0, t;

	for (i = 1; i < s->T; i++) {
		/* Before the word next to it, a capitalised name only. */
		if (possessed(s, i))
			for (j = i - 1; j >= 0 && j >= i - 3 &&
			    record_word(b, j) && !clause_break(s, j) &&
			    (j == i - 1 || (j > 0 && (s->itok[j].flags &
			    FEAT_TF_CAP) && (s->itok[j + 1].flags &
			    FEAT_TF_CAP))); j--) {
				t = b->ufirst[s->itok_u[j]];
				n += !rec[t];
				rec[t] = 1;
			}
		if (!word_in(s->itok[i].norm, tie_words,
		    sizeof(tie_words) / sizeof(tie_words[0])) ||
		    !record_word(b, i - 1))
			continue;
		for (j = i + 1; j < s->T && j <= i + 3 && record_word(b, j) &&
		    !clause_break(s, j - 1); j++) {
			t = b->ufirst[s->itok_u[j]];
			n += !rec[t];
			rec[t] = 1;
		}
	}
	return n;
}

/* 1 if group masks a and b share a group. */
static int
syn_meet(const uint64_t *a, const uint64_t *b)
{
	return ((a[0] & b[0]) | (a[1] & b[1])) != 0;
}

/*
 * 1 if unique token u is a synonym of an instruction word (isyn: the
 * groups of the instruction's words) without being one itself.
 */
static int
syn_hit(const struct utok *u, const uint64_t *isyn)
{
	return u->in_instr == 0 && !u->stem_in_instr && syn_meet(u->syn, isyn);
}

/*
 * Synonyms (synsets[], version 6) of the instruction's words in the
 * bags of mark e: dense columns x[5] (the share of its text's words that
 * are synonyms), x[6] (one in its own bags) and x[7] (the share of the
 * content stems its four bags hold, themselves or by a synonym, after
 * reach_feats() stamped the direct ones with e + 1); synpage marks the
 * instruction words with a synonym on the page.
 */
static void
syn_feats(struct fb *b, int e, const uint64_t *isyn, int *stamp, int n,
    int nref, unsigned char *synpage, float *x)
{
	const struct feat_step *s = b->s;
	const struct utok *u;
	int f, i, a, z, t, nt = 0, hits = 0, own = 0;

	if ((isyn[0] | isyn[1]) == 0) {
		/* No word of the instruction has a synonym. */
		x[7] = nref > 0 ? (float)n / (float)nref : 0;
		return;
	}
	for (f = 0; f < FEAT_NBAGS; f++) {
		a = s->bag_off[e * FEAT_NBAGS + f];
		z = s->bag_off[e * FEAT_NBAGS + f + 1];
		for (i = a; i < z; i++) {
			u = &b->ut[s->bag[i]];
			if (f == 0 && (!u->stop || u->verb))
				nt++;
			if (!syn_hit(u, isyn))
				continue;
			hits += f == 0;
			own |= f < FEAT_NOWN;
			for (t = 0; t < s->T; t++) {
				if (!syn_meet(b->ut[s->itok_u[t]].syn, u->syn))
					continue;
				synpage[t] = 1;
				if (first_content(b, t) && stamp[t] != e + 1) {
					stamp[t] = e + 1;
					n++;
				}
			}
		}
	}
	x[5] = nt > 0 ? (float)hits / (float)nt : 0;
	x[6] = own;
	x[7] = nref > 0 ? (float)n / (float)nref : 0;
}

/*
 * Where the instruction's words are on the page.  For every mark: the
 * share of the instruction's content stems its four bags hold together
 * (its own text, label and container: "the Share button of Ann Lee's
 * post about budget" holds share, ann, lee and budget), that share less
 * the page's best, the share of the record words it holds
 * (record_words()), whether its text is nothing but a verb the
 * instruction uses ("Follow Ann Lee": the Follow button, not the link
 * "Ann Lee"), and the share of its text's content words that are record
 * words (the link "Ann Lee" of "like Ann Lee's post" names the record,
 * not the control).  Dense columns lex..lex+4 of each mark; stepf gets
 * the share of the content stems written on no mark, the best share,
 * and whether a record word is written on no mark (scroll to find it);
 * token feature 9 marks the record words of the instruction.  Columns
 * lex+5..lex+7 and token feature 10 are the synonyms' (syn_feats()).
 */
static void
reach_feats(struct fb *b, int N, int lex, float *stepf)
{
	const struct feat_step *s = b->s;
	unsigned char *rec, *onpage, *synpage;
	int *stamp, e, f, i, a, z, t, nref = 0, nrec, n, nr, ok, verb;
	uint64_t isyn[SYN_WORDS] = { 0, 0 };
	float *x, best = 0;

	rec = xcalloc((size_t)s->T + 1, 1);
	onpage = xcalloc((size_t)s->T + 1, 1);
	synpage = xcalloc((size_t)s->T + 1, 1);
	stamp = xcalloc((size_t)s->T + 1, sizeof(int));
	for (t = 0; t < s->T; t++) {
		nref += first_content(b, t);
		isyn[0] |= b->ut[s->itok_u[t]].syn[0];
		isyn[1] |= b->ut[s->itok_u[t]].syn[1];
	}
	nrec = record_words(b, rec);
	for (e = 0; e < N; e++) {
		x = s->dense + (size_t)e * FEAT_NDENSE + lex;
		n = nr = 0;
		for (f = 0; f < FEAT_NBAGS; f++) {
			a = s->bag_off[e * FEAT_NBAGS + f];
			z = s->bag_off[e * FEAT_NBAGS + f + 1];
			for (i = a; i < z; i++) {
				t = b->ufirst[s->bag[i]];
				if (t < 0 || b->ut[s->bag[i]].stop ||
				    stamp[t] == e + 1)
					continue;
				stamp[t] = e + 1;
				onpage[t] = 1;
				n++;
				nr += rec[t];
			}
		}
		x[0] = nref > 0 ? (float)n / (float)nref : 0;
		x[2] = nrec > 0 ? (float)nr / (float)nrec : 0;
		if (x[0] > best)
			best = x[0];
		syn_feats(b, e, isyn, stamp, n, nref, synpage, x);
		/* Text of verbs only, one of them the instruction's. */
		a = s->bag_off[e * FEAT_NBAGS];
		z = s->bag_off[e * FEAT_NBAGS + 1];
		for (i = a, ok = z > a, verb = 0; i < z && ok; i++) {
			const struct utok *u = &b->ut[s->bag[i]];

			ok = u->stop || u->verb;
			if (u->verb && (u->in_instr > 0 || u->stem_in_instr))
				verb = 1;
		}
		x[3] = ok && verb;
		/* Its own text names the record ("Ann Lee", the author). */
		for (i = a, n = nr = 0; i < z; i++) {
			const struct utok *u = &b->ut[s->bag[i]];

			if (u->stop)
				continue;
			n++;
			t = b->ufirst[s->bag[i]];
			nr += t >= 0 && rec[t];
		}
		x[4] = n > 0 ? (float)nr / (float)n : 0;
	}
	for (e = 0; e < N; e++) {
		x = s->dense + (size_t)e * FEAT_NDENSE + lex;
		x[1] = x[0] - best;
	}
	for (t = 0, n = 0, nr = 0; t < s->T; t++) {
		if (first_content(b, t) && !onpage[t])
			n++;
		if (rec[t] && !onpage[t])
			nr = 1;
	}
	stepf[0] = nref > 0 ? (float)n / (float)nref : 0;
	stepf[1] = best;
	stepf[2] = (float)nr;
	/*
	 * For the span head: a record's name is not a value to type, nor
	 * is a word the page writes on a mark, itself or by a synonym
	 * ("Recover" of "Recover my account": the "Forgot password?" link).
	 */
	for (t = 0; t < s->T; t++) {
		i = b->ufirst[s->itok_u[t]];
		if (i >= 0 && rec[i] && !b->ut[s->itok_u[t]].stop)
			s->itokf[(size_t)t * FEAT_NTOKF + 9] = 1;
		if ((i >= 0 && onpage[i]) || synpage[t])
			s->itokf[(size_t)t * FEAT_NTOKF + 10] = 1;
	}
	free(stamp);
	free(synpage);
	free(onpage);
	free(rec);
}

int
feat_step_build(const struct feat_config *c, const char *instr,
    const struct feat_hist *hist, size_t nhist, const struct obs *o,
    const struct img *im, struct feat_step **sp, char **causep)
{
	struct feat_step *s = NULL;
	struct fb b;
	struct ikeys *ik = NULL;
	const struct mark *m;
	char nv[512], sn[512], *lastnv = NULL, **vnorm = NULL;
	int *ctx_ord = NULL, *ctx_pos = NULL, *tb = NULL, *tb_off = NULL;
	int ctxm[CTX_MARKS], nctx, room;
	size_t tb_cap = 0;
	float *x, best_opt;
	int N, e, i, j, k, f, first, firsts, firstt, n, h0, cnt, rank;
	int r = ERR_INTERNAL;
	int *role_rank = NULL, *role_cnt = NULL, *text_rank = NULL;
	int *text_cnt = NULL, *fields[FEAT_NBAGS], nf[FEAT_NBAGS];
	int *named = NULL, any_named = 0, only;
	int *hoff = NULL, *hval = NULL, first_open = -1, nclause = 0;
	uint32_t done_mask = 0, content_mask = 0, mmask;
	uint64_t *keys = NULL;
	double vw, vh, area, ix, iy, *price = NULL, price_lo, price_hi;
	size_t hstart;

	*sp = NULL;
	if (causep != NULL)
		*causep = NULL;
	memset(&b, 0, sizeof(b));
	if ((r = feat_check_config(c, causep)) != 0)
		return r;
	if (o == NULL || (o->nmarks > 0 && o->marks == NULL)) {
		if (causep != NULL)
			*causep = xstrdup("no observation");
		return ERR_INVALID;
	}
	if (instr == NULL)
		instr = "";
	s = xcalloc(1, sizeof(*s));
	b.c = c;
	b.s = s;
	b.hword = hash_prefix(c, FEAT_NS_WORD);
	b.hngram = hash_prefix(c, FEAT_NS_NGRAM);
	b.tk = xcalloc(c->max_bag > 64 ? c->max_bag : 64, sizeof(*b.tk));
	ik = xcalloc(1, sizeof(*ik));
	N = o->nmarks < c->max_marks ? (int)o->nmarks : (int)c->max_marks;

	/* Instruction. */
	s->instr = xstrndup(instr, FEAT_TEXT_MAX);
	s->itok = xcalloc(c->max_instr, sizeof(*s->itok));
	s->T = feat_tokenize(s->instr, s->itok, (int)c->max_instr);
	s->itok_u = xcalloc((size_t)s->T + 1, sizeof(int));
	s->ibigram = xcalloc((size_t)s->T + 1, sizeof(uint32_t));
	s->itokf = xcalloc((size_t)(s->T + 1) * FEAT_NTOKF, sizeof(float));
	s->span = xcalloc(FEAT_SPANS_MAX, sizeof(*s->span));
	for (i = 0; i < s->T; i++) {
		s->itok_u[i] = intern(&b, &s->itok[i]);
		s->ibigram[i] = FEAT_NONE;
		if (c->bigrams && i > 0) {
			char bg[2 * FEAT_TOK_MAX + 2];
			int l = snprintf(bg, sizeof(bg), "%s %s",
			    s->itok[i - 1].norm, s->itok[i].norm);

			s->ibigram[i] = rowof(c, feat_hash(c, FEAT_NS_BIGRAM,
			    bg, (size_t)l));
		}
	}

	/* Marks by the top of their box, for the context of each. */
	ctx_ord = xcalloc((size_t)N + 1, sizeof(int));
	ctx_pos = xcalloc((size_t)N + 1, sizeof(int));
	{
		struct ctx_key *ck = xcalloc(2 * (size_t)N + 1, sizeof(*ck));

		for (e = 0; e < N; e++) {
			ck[e].y = o->marks[e].y;
			ck[e].i = e;
		}
		if (N > 1)
			ctx_sort(ck, ck + N, N);
		for (e = 0; e < N; e++) {
			ctx_ord[e] = ck[e].i;
			ctx_pos[ck[e].i] = e;
		}
		free(ck);
	}

	/* The text bag of every mark first: contexts reuse them. */
	tb_off = xcalloc((size_t)N + 1, sizeof(int));
	for (e = 0; e < N; e++) {
		tb_off[e + 1] = tb_off[e];
		n = feat_tokenize(o->marks[e].text, b.tk, (int)c->max_bag);
		GROW(tb, tb_cap, (size_t)tb_off[e] + n + 1);
		for (i = 0; i < n; i++)
			tb[tb_off[e + 1]++] = intern(&b, &b.tk[i]);
	}

	/* Marks: bags, categories; document frequencies. */
	s->N = N;
	s->mark_id = xcalloc((size_t)N + 1, sizeof(int));
	s->bag_off = xcalloc((size_t)N * FEAT_NBAGS + 1, sizeof(int));
	s->cat = xcalloc((size_t)N * FEAT_NCAT + 1, sizeof(uint32_t));
	s->dense = xcalloc((size_t)N * FEAT_NDENSE + 1, sizeof(float));
	s->row_mask = xcalloc((size_t)N + FEAT_NPSEUDO, 1);
	s->opt_off = xcalloc((size_t)N + 1, sizeof(int));
	for (e = 0; e < N; e++) {
		m = &o->marks[e];
		s->mark_id[e] = m->id;
		s->bag_off[e * FEAT_NBAGS] = s->nbag;
		for (i = tb_off[e]; i < tb_off[e + 1]; i++)
			bag_push(&b, tb[i]);
		s->bag_off[e * FEAT_NBAGS + 1] = s->nbag;
		bag_attrs(&b, m);
		s->bag_off[e * FEAT_NBAGS + 2] = s->nbag;
		if ((m->label == NULL || m->label[0] == '\0') &&
		    !m->editable && m->noptions == 0) {
			/* No label: the row or card it belongs to. */
			nctx = mark_context(o, ctx_ord, N, ctx_pos[e], ctxm);
			room = (int)c->max_bag < CTX_TOKENS ?
			    (int)c->max_bag : CTX_TOKENS;
			for (k = 0; k < nctx && room > 0; k++) {
				if (tb_off[ctxm[k] + 1] == tb_off[ctxm[k]]) {
					room -= bag_text(&b,
					    o->marks[ctxm[k]].label, room);
					continue;
				}
				for (i = tb_off[ctxm[k]]; i < tb_off[ctxm[k] +
				    1] && room > 0; i++, room--)
					bag_push(&b, tb[i]);
			}
		} else
			bag_text(&b, m->label, (int)c->max_bag);
		s->bag_off[e * FEAT_NBAGS + 3] = s->nbag;
		/* The row, card or section it sits in (collect.js). */
		bag_text(&b, m->ctx, (int)c->max_bag);
		s->bag_off[e * FEAT_NBAGS + 4] = s->nbag;
		s->cat[e * FEAT_NCAT] = cat_row(c, FEAT_NS_TAG, m->tag,
		    c->cat_bits);
		s->cat[e * FEAT_NCAT + 1] = cat_row(c, FEAT_NS_ROLE, m->role,
		    c->cat_bits);
		s->cat[e * FEAT_NCAT + 2] = cat_row(c, FEAT_NS_TYPE, m->type,
		    c->type_bits);
		/* Page frequencies count the mark's own bags only. */
		for (i = s->bag_off[e * FEAT_NBAGS];
		    i < s->bag_off[e * FEAT_NBAGS + FEAT_NOWN]; i++)
			if (b.ut[s->bag[i]].stamp != e) {
				b.ut[s->bag[i]].stamp = e;
				b.ut[s->bag[i]].df++;
			}
	}
	/* Options of selects. */
	for (e = 0; e < N; e++) {
		m = &o->marks[e];
		s->opt_off[e] = s->nopt;
		n = m->noptions < c->max_options ? (int)m->noptions :
		    (int)c->max_options;
		for (i = 0; i < n; i++) {
			GROW(s->obag_off, b.cap_obag, (size_t)s->nopt + 2);
			s->obag_off[s->nopt] = s->nbag;
			bag_text(&b, m->options[i], (int)c->max_bag);
			s->nopt++;
			s->obag_off[s->nopt] = s->nbag;
		}
	}
	s->opt_off[N] = s->nopt;
	if (s->obag_off == NULL)
		s->obag_off = xcalloc(1, sizeof(int));
	s->optlex = xcalloc((size_t)s->nopt * FEAT_NOPTLEX + 1,
	    sizeof(float));

	/* History: the last max_hist entries. */
	hstart = nhist > c->max_hist ? nhist - c->max_hist : 0;
	b.vals = xcalloc(nhist + 1, sizeof(char *));
	{
		int hb0 = s->nbag;

		hoff = xcalloc(nhist - hstart + 1, sizeof(int));
		hval = xcalloc(nhist - hstart + 1, sizeof(int));
		for (i = (int)hstart; i < (int)nhist; i++) {
			bag_text(&b, hist[i].desc, (int)c->max_bag);
			hval[i - (int)hstart] = s->nbag - hb0;
			bag_text(&b, hist[i].value, (int)c->max_bag);
			hoff[i - (int)hstart + 1] = s->nbag - hb0;
		}
		s->nh = s->nbag - hb0;
		s->hbag = xcalloc((size_t)s->nh + 1, sizeof(int));
		if (s->nh > 0)
			memcpy(s->hbag, s->bag + hb0,
			    (size_t)s->nh * sizeof(int));
		s->nbag = hb0;
	}

	/* Page-local IDF of every unique token. */
	for (i = 0; i < s->U; i++) {
		struct utok *u = &b.ut[i];

		u->idf = N > 0 ? (float)(log1p((double)N / (1.0 + u->df)) /
		    log1p((double)N)) : 1;
		u->stem_in_instr = 0;
	}
	analyse_instr(&b, ik);
	token_hits(&b);
	for (i = 0; i < s->U; i++)
		for (j = 0; j < b.nistem; j++)
			if (b.ut[i].stem == b.istem[j] && !b.ut[i].stop) {
				b.ut[i].stem_in_instr = 1;
				break;
			}
	/* The first content word of the instruction sharing each's stem. */
	b.ufirst = xcalloc((size_t)s->U + 1, sizeof(int));
	b.uabbr = xcalloc((size_t)s->U + 1, 1);
	memset(b.uabbr, 0xff, (size_t)s->U + 1);
	{
		int *cw = xcalloc((size_t)s->T + 1, sizeof(int)), ncw = 0;

		for (i = 0; i < s->T; i++)
			if (!b.ut[s->itok_u[i]].stop)
				cw[ncw++] = i;
		for (i = 0; i < s->U; i++) {
			b.ufirst[i] = -1;
			for (j = 0; j < ncw; j++)
				if (b.ut[s->itok_u[cw[j]]].stem ==
				    b.ut[i].stem) {
					b.ufirst[i] = cw[j];
					break;
				}
		}
		free(cw);
	}
	nclause = clause_masks(&b, &content_mask);
	done_mask = clauses_done(&b, hoff, hval, (int)(nhist - hstart),
	    content_mask);
	for (i = 0; i < nclause && first_open < 0; i++)
		if ((content_mask >> i & 1) && !(done_mask >> i & 1))
			first_open = i;
	b.iidf = 0;
	b.stamp++;
	for (i = 0; i < s->T; i++) {
		struct utok *u = &b.ut[s->itok_u[i]];

		if (u->stop || u->seen == b.stamp)
			continue;
		u->seen = b.stamp;
		b.iidf += u->df > 0 ? u->idf : 1;
	}
	label_spans(&b, o, N);
	span_stems(&b);
	b.snorm = xcalloc((size_t)s->nspan + 1, sizeof(char *));
	for (i = 0; i < s->nspan; i++) {
		span_norm(s, i, sn, sizeof(sn));
		b.snorm[i] = xstrdup(sn);
	}

	/* Typed values of the history, normalised. */
	for (i = (int)hstart; i < (int)nhist; i++) {
		if (hist[i].value == NULL || hist[i].value[0] == '\0')
			continue;
		norm_text(&b, hist[i].value, nv, sizeof(nv));
		b.vals[i] = xstrdup(nv);
	}

	/* Instruction token features for the span head. */
	for (i = 0; i < s->T; i++) {
		x = s->itokf + (size_t)i * FEAT_NTOKF;
		x[0] = (s->itok[i].flags & FEAT_TF_QUOTED) != 0;
		x[1] = (s->itok[i].flags & FEAT_TF_CAP) != 0;
		x[2] = s->itok[i].shape != FEAT_SHAPE_NONE ||
		    (s->itok[i].flags & FEAT_TF_DIGIT);
		x[7] = b.ut[s->itok_u[i]].stop;
		for (k = 0; k < (int)nhist; k++)
			if (b.vals[k] != NULL) {
				/* Word of a value typed before. */
				const char *v = b.vals[k], *w = s->itok[i].norm;
				size_t lw = strlen(w);
				const char *p = strstr(v, w);

				while (p != NULL && !((p == v || p[-1] == ' ') &&
				    (p[lw] == '\0' || p[lw] == ' ')))
					p = strstr(p + 1, w);
				if (p != NULL)
					x[6] = 1;
			}
	}
	for (k = 0; k < s->nspan; k++) {
		for (i = s->span[k].start; i <= s->span[k].end; i++) {
			x = s->itokf + (size_t)i * FEAT_NTOKF;
			if (s->span[k].kind == FEAT_SPAN_VERB)
				x[3] = 1;
			x[5] = 1;
		}
		s->itokf[(size_t)s->span[k].start * FEAT_NTOKF + 4] = 1;
		s->itokf[(size_t)s->span[k].end * FEAT_NTOKF + 8] = 1;
	}

	/* Ranks among marks of the same role and of the same text. */
	keys = xcalloc((size_t)N + 1, sizeof(uint64_t));
	role_rank = xcalloc((size_t)N + 1, sizeof(int));
	role_cnt = xcalloc((size_t)N + 1, sizeof(int));
	text_rank = xcalloc((size_t)N + 1, sizeof(int));
	text_cnt = xcalloc((size_t)N + 1, sizeof(int));
	for (e = 0; e < N; e++) {
		const char *re = o->marks[e].role != NULL &&
		    o->marks[e].role[0] ? o->marks[e].role :
		    o->marks[e].tag != NULL ? o->marks[e].tag : "";

		keys[e] = feat_hash(c, FEAT_NS_ROLE, re, strlen(re));
	}
	group_ranks(keys, N, role_rank, role_cnt);
	for (e = 0; e < N; e++) {
		uint64_t h = 0;

		for (i = s->bag_off[e * FEAT_NBAGS];
		    i < s->bag_off[e * FEAT_NBAGS + 1]; i++)
			h = fmix64(h * 31 + s->ukey[s->bag[i]]);
		keys[e] = h;
	}
	group_ranks(keys, N, text_rank, text_cnt);

	named = xcalloc((size_t)N + 1, sizeof(int));
	vnorm = xcalloc((size_t)N + 1, sizeof(char *));
	only = wants_only(s);

	/* Prices: of the mark's own text, else of its container. */
	price = xcalloc((size_t)N + 1, sizeof(double));
	price_lo = INFINITY;
	price_hi = -INFINITY;
	for (e = 0; e < N; e++) {
		price[e] = first_price(o->marks[e].text);
		if (isnan(price[e]))
			price[e] = first_price(o->marks[e].ctx);
		if (!isnan(price[e])) {
			price_lo = fmin(price_lo, price[e]);
			price_hi = fmax(price_hi, price[e]);
		}
	}

	vw = o->vw > 0 ? o->vw : 1280;
	vh = o->vh > 0 ? o->vh : 800;
	for (e = 0; e < N; e++) {
		m = &o->marks[e];
		x = s->dense + (size_t)e * FEAT_NDENSE;
		s->row_mask[e] = 1;

		/*
		 * Lexical block: 11 per field, then 27 mark-level (the
		 * last 5 from reach_feats(), after this loop).
		 */
		firsts = firstt = -1;
		for (f = 0; f < FEAT_NBAGS; f++) {
			fields[f] = s->bag + s->bag_off[e * FEAT_NBAGS + f];
			nf[f] = s->bag_off[e * FEAT_NBAGS + f + 1] -
			    s->bag_off[e * FEAT_NBAGS + f];
			field_memo(&b, ik, fields[f], nf[f],
			    x + f * FEAT_PER_FIELD, &first);
			if (f < FEAT_NOWN && first >= 0 &&
			    (firsts < 0 || first < firsts))
				firsts = first;
			/* The text and attributes: what the mark is called. */
			if (f < 2 && first >= 0 &&
			    (firstt < 0 || first < firstt))
				firstt = first;
		}
		k = FEAT_NBAGS * FEAT_PER_FIELD;	/* 44 */
		if (firsts >= 0) {
			x[k] = (s->itok[firsts].flags & FEAT_TF_QUOTED) != 0;
			for (i = firsts - 1; i >= 0 && i >= firsts -
			    FEAT_WINDOW; i--) {
				if (wclass(s->itok[i].norm) & WC_CLICK)
					x[k + 1] = 1;
				if ((wclass(s->itok[i].norm) & WC_TYPE) ||
				    strcmp(s->itok[i].norm, "into") == 0)
					x[k + 2] = 1;
			}
			x[k + 3] = (float)(firsts + 1) / (float)s->T;
		}
		if (b.ordinal != 0)
			x[k + 5] = 1;
		/*
		 * "the second Delete button": rank among marks of the same
		 * text when the text is named, else among the same role.
		 */
		if (nf[0] > 0 && text_cnt[e] > 1 && x[3] > 0.5f) {
			rank = text_rank[e];
			cnt = text_cnt[e];
		} else {
			rank = role_rank[e];
			cnt = role_cnt[e];
		}
		if ((b.ordinal > 0 && rank == b.ordinal) ||
		    (b.ordinal < 0 && rank == cnt))
			x[k + 4] = 1;
		/* Duplicates of the same text. */
		if (nf[0] > 0) {
			x[k + 6] = (float)text_rank[e] / (float)text_cnt[e];
			x[k + 7] = (float)(log1p(text_cnt[e] - 1) / log1p(50));
		}
		/* Label-to-value link and satisfied fields. */
		if (m->editable || m->noptions > 0) {
			float link = 0;

			for (i = 0; i < s->nspan; i++) {
				for (f = 0; f < FEAT_NOWN; f++) {
					float l = link_score(&b, fields[f],
					    nf[f], i);

					if (l > link)
						link = l;
				}
			}
			x[k + 8] = link;
		}
		norm_text(&b, m->value, nv, sizeof(nv));
		if (nv[0] != '\0') {
			int sat = 0;

			vnorm[e] = xstrdup(nv);

			for (i = 0; i < s->nspan && !sat; i++)
				sat = strcmp(b.snorm[i], nv) == 0;
			x[k + 9] = sat;
			x[k + 10] = !sat;
		}
		if (m->checked >= 0 && firsts >= 0) {
			int want = check_desire(s, firsts);

			/* A named radio is to be chosen; "only": named on. */
			if (want == 0 && (only || (m->role != NULL &&
			    strcmp(m->role, "radio") == 0)))
				want = 1;
			named[e] = 1;
			any_named = 1;
			if (want != 0)
				x[k + 11] = (want > 0) != (m->checked == 1) ?
				    1 : -1;
			else
				x[k + 11] = (b.want_check && m->checked == 0) ||
				    (b.want_uncheck && m->checked == 1) ? 1 :
				    (b.want_check || b.want_uncheck) ? -1 : 0;
		}
		x[k + 12] = m->editable && b.has_type_verb;
		x[k + 13] = m->noptions > 0 && b.want_select;
		best_opt = 0;
		for (i = s->opt_off[e]; i < s->opt_off[e + 1]; i++) {
			int a = s->obag_off[i], z = s->obag_off[i + 1];

			option_feats(&b, ik, s->bag + a, z - a, m,
			    i - s->opt_off[e], s->opt_off[e + 1] -
			    s->opt_off[e], s->optlex + (size_t)i * FEAT_NOPTLEX);
			if (s->optlex[(size_t)i * FEAT_NOPTLEX + 4] > best_opt)
				best_opt = s->optlex[(size_t)i *
				    FEAT_NOPTLEX + 4];
		}
		x[k + 14] = best_opt;
		/* "the cheapest": the page's lowest or highest price. */
		if (!isnan(price[e])) {
			x[k + 16] = 1;
			if (price_lo < price_hi && b.want_price != 0)
				x[k + 15] = (b.want_price < 0 ?
				    !(price[e] > price_lo) :
				    !(price[e] < price_hi)) ? 1 : -1;
		}

		/* Clauses it is named in: the first still open, later. */
		for (f = 0, mmask = 0; f < FEAT_NOWN; f++)
			for (i = 0; i < nf[f]; i++)
				if (!b.ut[fields[f][i]].stop)
					mmask |= b.ut[fields[f][i]].cmask;
		if (first_open >= 0 && (mmask >> first_open & 1))
			x[k + 17] = 1;
		else if (first_open >= 0 && (mmask & ~done_mask &
		    ~((2u << first_open) - 1)) != 0)
			x[k + 18] = 1;
		if (mmask != 0 && (mmask & ~done_mask) == 0)
			x[k + 19] = 1;
		/*
		 * Named as a record rather than as a control: "Ann Lee's
		 * post", "the order from Bob Lee".
		 */
		if (firstt >= 0) {
			x[k + 20] = possessed(s, firstt);
			x[k + 21] = firstt + 1 < s->T &&
			    word_in(s->itok[firstt + 1].norm, tie_words,
			    sizeof(tie_words) / sizeof(tie_words[0]));
		}

		/* Geometry and state. */
		x = s->dense + (size_t)e * FEAT_NDENSE + FEAT_NLEX;
		x[0] = (float)(m->x / vw);
		x[1] = (float)(m->y / vh);
		x[2] = (float)(m->w / vw);
		x[3] = (float)(m->h / vh);
		x[4] = (float)((m->x + m->w / 2) / vw);
		x[5] = (float)((m->y + m->h / 2) / vh);
		area = m->w * m->h;
		x[6] = (float)(log1p(area > 0 ? area : 0) / log1p(vw * vh));
		ix = fmin(m->x + m->w, vw) - fmax(m->x, 0);
		iy = fmin(m->y + m->h, vh) - fmax(m->y, 0);
		x[7] = area > 0 && ix > 0 && iy > 0 ?
		    (float)(ix * iy / area) : 0;
		x[8] = m->focused != 0;
		x[9] = m->checked == 1;
		x[10] = m->checked >= 0;
		x[11] = m->selected == 1;
		x[12] = m->disabled != 0;
		x[13] = m->editable != 0;
		x[14] = m->listener != 0;
		x[15] = m->value != NULL && m->value[0] != '\0';
		x[16] = m->change == MARK_NEW;
		x[17] = m->change == MARK_CHANGED;
		x[18] = m->change == MARK_MOVED;
		x[19] = m->noptions > 0;
		x[20] = (float)(log1p((double)m->noptions) /
		    log1p(OBS_MAX_OPTIONS));
		x[21] = N > 1 ? (float)e / (float)(N - 1) : 0;
		x[22] = m->frame != 0;
		x[23] = m->text == NULL || m->text[0] == '\0';

		/* Crop. */
		crop_feats(im, o->scale, m,
		    s->dense + (size_t)e * FEAT_NDENSE + FEAT_NLEX + FEAT_NGEO);

		/* History flags. */
		x = s->dense + (size_t)e * FEAT_NDENSE + FEAT_NLEX +
		    FEAT_NGEO + FEAT_NCROP;
		cnt = 0;
		for (i = (int)hstart; i < (int)nhist; i++) {
			int same = hist[i].mark != 0 ? hist[i].mark == m->id :
			    (hist[i].desc != NULL &&
			    obs_mark_desc_is(m, hist[i].desc));

			if (b.vals[i] != NULL && nv[0] != '\0' &&
			    strcmp(b.vals[i], nv) == 0)
				x[5] = 1;
			if (!same)
				continue;
			cnt++;
			if (i == (int)nhist - 1)
				x[1] = 1;
			if (hist[i].op == ACT_CLICK)
				x[2] = 1;
			else if (hist[i].op == ACT_TYPE)
				x[3] = 1;
			else if (hist[i].op == ACT_SELECT)
				x[4] = 1;
			x[6] = (float)(1.0 / (double)(nhist - (size_t)i));
		}
		x[0] = (float)(cnt > 3 ? 1 : cnt / 3.0);
		x[7] = nhist > 0 && hist[nhist - 1].op == ACT_CLICK &&
		    m->change == MARK_NEW;
	}
	/* "Only Bacon and Peppers": every other box is to be cleared. */
	for (e = 0; only && any_named && e < N; e++)
		if (o->marks[e].checked >= 0 && !named[e])
			s->dense[(size_t)e * FEAT_NDENSE + FEAT_NBAGS *
			    FEAT_PER_FIELD + 11] = o->marks[e].checked == 1 ?
			    1 : -1;
	reach_feats(&b, N, FEAT_NBAGS * FEAT_PER_FIELD + 22, s->stepf + 20);
	s->row_mask[N + FEAT_PSEUDO_DONE] = 1;
	s->row_mask[N + FEAT_PSEUDO_UP] = o->scroll_y > 0;
	s->row_mask[N + FEAT_PSEUDO_DOWN] = o->page_h <= 0 ||
	    o->scroll_y + o->vh + 1 < o->page_h;

	/* Step features. */
	x = s->stepf;
	x[0] = (float)(nhist > 10 ? 1 : (double)nhist / 10);
	x[1] = nhist == 0;
	if (nhist > 0) {
		h0 = hist[nhist - 1].op;
		x[2] = h0 == ACT_CLICK;
		x[3] = h0 == ACT_TYPE;
		x[4] = h0 == ACT_SELECT;
		x[5] = h0 == ACT_SCROLL;
		x[6] = h0 == ACT_PRESS;
		lastnv = b.vals[nhist - 1];
	}
	x[7] = o->page_h > 0 ? (float)(o->scroll_y / o->page_h) : 0;
	x[8] = o->scroll_y > 0;
	x[9] = s->row_mask[N + FEAT_PSEUDO_DOWN] && o->page_h > 0;
	x[10] = (float)(log1p(N) / log1p(1000));
	for (e = 0, cnt = 0; e < N; e++)
		if (o->marks[e].change == MARK_NEW)
			cnt++;
	x[11] = N > 0 ? (float)cnt / (float)N : 0;
	x[12] = (float)s->T / (float)c->max_instr;
	x[13] = b.has_quotes;
	x[14] = b.has_type_verb;
	if (lastnv != NULL)
		for (i = 0; i < s->nspan; i++)
			if (strcmp(b.snorm[i], lastnv) == 0)
				x[15] = 1;
	x[16] = pending_value(&b, o, N, hist, hstart, nhist, vnorm);
	x[17] = s->nspan == 0;
	x[18] = content_mask != 0 && (content_mask & ~done_mask) == 0;
	for (i = 0, j = 0, cnt = 0; i < nclause; i++)
		if (content_mask >> i & 1) {
			j++;
			cnt += done_mask >> i & 1;
		}
	x[19] = j > 0 ? (float)cnt / (float)j : 0;

	if (s->ung_off == NULL)
		s->ung_off = xcalloc(1, sizeof(int));
	*sp = s;
	r = 0;
	free(ctx_ord);
	free(ctx_pos);
	free(tb);
	free(tb_off);
	free(keys);
	free(role_rank);
	free(role_cnt);
	free(text_rank);
	free(text_cnt);
	free(price);
	free(named);
	for (e = 0; e < N; e++)
		free(vnorm[e]);
	free(vnorm);
	free(hoff);
	free(hval);
	for (i = 0; i < (int)nhist; i++)
		free(b.vals[i]);
	fb_free(&b);
	free(ik);
	return r;
}

int
feat_span_find(const struct feat_step *s, int a, int b)
{
	int i, best = -1, bl = 0;

	for (i = 0; i < s->nspan; i++) {
		if (s->span[i].start == a && s->span[i].end == b)
			return i;
		if (s->span[i].start <= a && s->span[i].end >= b &&
		    (best < 0 || s->span[i].end - s->span[i].start < bl)) {
			best = i;
			bl = s->span[i].end - s->span[i].start;
		}
	}
	return best;
}

char *
feat_span_text(const struct feat_step *s, int a, int b)
{
	if (a < 0 || b < a || b >= s->T)
		return xstrdup("");
	return xstrndup(s->instr + s->itok[a].start,
	    s->itok[b].end - s->itok[a].start);
}

static const char *const dense_names[FEAT_NDENSE] = {
	"text.eq_quote", "text.phrase_in_instr", "text.has_quote",
	"text.ov_field", "text.ov_instr", "text.jaccard", "text.ov_content",
	"text.idf_field", "text.idf_instr", "text.trigram", "text.empty",
	"attr.eq_quote", "attr.phrase_in_instr", "attr.has_quote",
	"attr.ov_field", "attr.ov_instr", "attr.jaccard", "attr.ov_content",
	"attr.idf_field", "attr.idf_instr", "attr.trigram", "attr.empty",
	"label.eq_quote", "label.phrase_in_instr", "label.has_quote",
	"label.ov_field", "label.ov_instr", "label.jaccard",
	"label.ov_content", "label.idf_field", "label.idf_instr",
	"label.trigram", "label.empty",
	"ctx.eq_quote", "ctx.phrase_in_instr", "ctx.has_quote",
	"ctx.ov_field", "ctx.ov_instr", "ctx.jaccard", "ctx.ov_content",
	"ctx.idf_field", "ctx.idf_instr", "ctx.trigram", "ctx.empty",
	"match.quoted", "match.click_verb", "match.type_verb", "match.pos",
	"ordinal.match", "ordinal.present", "dup.rank", "dup.count",
	"value.link", "value.satisfied", "value.other", "check.wanted",
	"type.prior", "select.prior", "option.best", "price.wanted",
	"price.has", "clause.open", "clause.later", "clause.done",
	"match.possessed", "match.tied", "reach.share", "reach.gap",
	"reach.record", "text.verb_named", "text.record", "syn.text",
	"syn.own", "reach.syn",
	"geo.x", "geo.y", "geo.w", "geo.h", "geo.cx", "geo.cy", "geo.area",
	"geo.in_view", "state.focused", "state.checked", "state.checkable",
	"state.selected", "state.disabled", "state.editable",
	"state.listener", "state.has_value", "trace.new", "trace.changed",
	"trace.moved", "state.has_options", "state.noptions", "geo.rank",
	"geo.iframe", "state.no_text",
	"crop.r", "crop.g", "crop.b", "crop.sd_r", "crop.sd_g", "crop.sd_b",
	"crop.hue0", "crop.hue1", "crop.hue2", "crop.hue3", "crop.hue4",
	"crop.hue5", "crop.hue6", "crop.hue7", "crop.edges", "crop.dark",
	"hist.count", "hist.last", "hist.clicked", "hist.typed",
	"hist.selected", "hist.value_typed", "hist.recency",
	"hist.opened_by_last"
};

const char *
feat_dense_name(int i)
{
	if (i < 0 || i >= FEAT_NDENSE)
		return NULL;
	return dense_names[i];
}
