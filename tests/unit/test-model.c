/*
 * test-model.c: the built-in model: tokenizer, hashing, features on a
 * hand-built observation, a page's name as a value to type (no TYPE),
 * the weights file (round trip, corrupt files), overfitting 16 steps,
 * determinism.
 */
#include "config.h"

#include <sys/stat.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cblas.h>
#include <cjson/cJSON.h>

#include "err.h"
#include "xmalloc.h"
#include "action.h"
#include "observe.h"
#include "policy.h"
#include "features.h"
#include "model.h"
#include "nn.h"
#include "wnm.h"
#include "tap.h"

static char tmpdir[256];

/* ---------------------------------------------------------------------- */
/* Tokenizer.                                                             */

/* The normalised tokens of s joined by '|'. */
static char *
toks(const char *s)
{
	static char out[1024];
	struct feat_token t[64];
	int n, i;
	size_t k = 0;

	n = feat_tokenize(s, t, 64);
	out[0] = '\0';
	for (i = 0; i < n; i++)
		k += (size_t)snprintf(out + k, sizeof(out) - k, "%s%s",
		    i ? "|" : "", t[i].norm);
	return out;
}

static void
test_tokenizer(void)
{
	struct feat_token t[64];
	char *big;
	int n, i;

	is_str(toks("firstName"), "first|name", "camelCase split");
	is_str(toks("zip_code"), "zip|code", "underscore split");
	is_str(toks("btn-primary"), "btn|primary", "hyphen split");
	is_str(toks("rx350"), "rx|350", "letter/digit split");
	is_str(toks("350rx"), "350|rx", "digit/letter split");
	is_str(toks("HTMLParser getURL"), "html|parser|get|url",
	    "acronym followed by a word");
	is_str(toks("Caf\xc3\xa9 M\xc3\xbcller \xc3\x85SA"), "cafe|muller|asa",
	    "Latin-1 letters folded");
	is_str(toks("Stra\xc3\x9f" "e \xc5\x81\xc3\xb3" "d\xc5\xba"),
	    "strasse|lodz", "sharp s and Latin Extended-A folded");
	is_str(toks("don't stop John's car"), "dont|stop|john|car",
	    "apostrophes inside words");
	is_str(toks("the 2nd link, 3RD row, 21st"), "the|2nd|link|3rd|row|21st",
	    "ordinals kept whole");
	is_str(toks("  Sign   up!!  "), "sign|up", "spaces and punctuation");
	is_str(toks(""), "", "empty text");
	is_str(toks("\xe4\xb8\xad\xe6\x96\x87 ok"), "\xe4\xb8\xad\xe6\x96\x87|ok",
	    "other scripts kept as bytes");
	is_str(toks("bad \xff\xfe utf8 \xc3"), "bad|utf|8", "invalid UTF-8 "
	    "is a separator");

	n = feat_tokenize("Type \"New York\" into the city field", t, 64);
	is_int(n, 7, "quoted instruction: 7 tokens");
	ok((t[1].flags & FEAT_TF_QUOTED) && (t[2].flags & FEAT_TF_QUOTED) &&
	    !(t[0].flags & FEAT_TF_QUOTED) && !(t[3].flags & FEAT_TF_QUOTED),
	    "quoted tokens flagged");
	ok(t[1].quote == t[2].quote && t[1].quote != 0 && t[3].quote == 0,
	    "one quoted region");
	ok((t[1].flags & FEAT_TF_CAP) && !(t[3].flags & FEAT_TF_CAP),
	    "capitalisation kept as a flag");
	n = feat_tokenize("enter 'Hello world' and 'x'", t, 64);
	ok(n == 5 && t[1].quote != 0 && t[1].quote == t[2].quote &&
	    t[3].quote == 0 && t[4].quote != 0 && t[4].quote != t[1].quote,
	    "single quotes pair at word boundaries");

	n = feat_tokenize("mail john.doe@example.com now", t, 64);
	is_int(n, 6, "email: 6 tokens");
	ok(t[1].shape == FEAT_SHAPE_EMAIL && t[4].shape == FEAT_SHAPE_EMAIL &&
	    t[0].shape == FEAT_SHAPE_NONE, "email shape on its tokens");
	ok(t[1].start == 5 && t[4].end == 25, "byte ranges cover the email");
	n = feat_tokenize("$12.99 12/05/2024 10:30 90028 555-123-4567 7%", t,
	    64);
	ok(n >= 10 && t[0].shape == FEAT_SHAPE_PRICE &&
	    t[2].shape == FEAT_SHAPE_DATE && t[5].shape == FEAT_SHAPE_TIME &&
	    t[7].shape == FEAT_SHAPE_NUM &&
	    t[8].shape == FEAT_SHAPE_PHONE, "price, date, time, number, "
	    "phone shapes");
	ok((t[7].flags & FEAT_TF_DIGIT) && !(t[0].flags & FEAT_TF_CAP),
	    "digit flag");
	n = feat_tokenize("see https://example.com/a?b=1 now", t, 64);
	ok(n > 2 && t[1].shape == FEAT_SHAPE_URL, "url shape");

	/* Caps: tokens and text length. */
	n = feat_tokenize("a b c d e f g h", t, 3);
	is_int(n, 3, "at most max tokens");
	big = xmalloc(3 * FEAT_TEXT_MAX);
	for (i = 0; i < 3 * FEAT_TEXT_MAX - 1; i++)
		big[i] = i % 7 == 6 ? ' ' : 'a' + i % 26;
	big[3 * FEAT_TEXT_MAX - 1] = '\0';
	n = feat_tokenize(big, t, 64);
	is_int(n, 64, "long text: token cap");
	{
		struct feat_token *many = xcalloc(4 * FEAT_TEXT_MAX,
		    sizeof(*many));

		n = feat_tokenize(big, many, 4 * FEAT_TEXT_MAX);
		ok(n > 0 && many[n - 1].end <= FEAT_TEXT_MAX,
		    "long text: only the first %d bytes read",
		    FEAT_TEXT_MAX);
		free(many);
	}
	memset(big, 'x', 200);
	big[200] = '\0';
	n = feat_tokenize(big, t, 64);
	ok(n == 1 && strlen(t[0].norm) == FEAT_TOK_MAX - 1 &&
	    t[0].end == 200, "long word: normal form capped, range kept");
	free(big);
}

/* ---------------------------------------------------------------------- */
/* Hashing: pinned values catch any change (raise FEAT_VERSION then).     */

static void
test_hashing(void)
{
	struct feat_config c;
	uint64_t a, b;

	feat_default_config(&c);
	a = feat_hash(&c, FEAT_NS_WORD, "click", 5);
	b = feat_hash(&c, FEAT_NS_NGRAM, "click", 5);
	ok(a != b, "namespaces give different hashes");
	ok(a == feat_hash(&c, FEAT_NS_WORD, "click", 5), "hash is stable");
	note("word(click)=%016llx ngram(<cl)=%016llx bigram=%016llx",
	    (unsigned long long)a,
	    (unsigned long long)feat_hash(&c, FEAT_NS_NGRAM, "<cl", 3),
	    (unsigned long long)feat_hash(&c, FEAT_NS_BIGRAM, "click ok", 8));
	ok(a == 0x454065b67ae12b05ull, "pinned: word \"click\"");
	ok(feat_hash(&c, FEAT_NS_NGRAM, "<cl", 3) == 0x871c073474095ec4ull,
	    "pinned: n-gram \"<cl\"");
	ok(feat_hash(&c, FEAT_NS_BIGRAM, "click ok", 8) ==
	    0x2085dd04b774d35cull, "pinned: bigram \"click ok\"");
	ok(feat_hash(&c, FEAT_NS_TAG, "", 0) == 0xe70796ef090c3859ull,
	    "pinned: empty tag");
	c.seed++;
	ok(feat_hash(&c, FEAT_NS_WORD, "click", 5) != a, "seed changes hashes");
}

/* ---------------------------------------------------------------------- */
/* Observations built by hand.                                            */

static struct obs *
obs_new(void)
{
	struct obs *o = xcalloc(1, sizeof(*o));

	o->url = xstrdup("http://127.0.0.1/test");
	o->title = xstrdup("test");
	o->vw = 1280;
	o->vh = 800;
	o->scale = 1;
	o->page_h = 2400;
	return o;
}

static struct mark *
add_mark(struct obs *o, const char *tag, const char *role, const char *type,
    const char *text, const char *label, double x, double y)
{
	struct mark *m;

	o->marks = xreallocarray(o->marks, o->nmarks + 1, sizeof(*o->marks));
	m = &o->marks[o->nmarks++];
	memset(m, 0, sizeof(*m));
	m->id = (int)o->nmarks;
	m->tag = xstrdup(tag);
	m->role = xstrdup(role);
	m->type = xstrdup(type);
	m->text = xstrdup(text);
	m->label = xstrdup(label);
	m->value = xstrdup("");
	m->attrs = cJSON_CreateObject();
	m->x = x;
	m->y = y;
	m->w = 120;
	m->h = 30;
	m->checked = -1;
	m->selected = -1;
	m->option_selected = -1;
	m->editable = strcmp(tag, "input") == 0 && strcmp(type, "checkbox");
	return m;
}

static void
set_options(struct mark *m, const char *const *opts, size_t n)
{
	size_t i;

	m->options = xcalloc(n, sizeof(char *));
	for (i = 0; i < n; i++)
		m->options[i] = xstrdup(opts[i]);
	m->noptions = n;
	m->option_selected = 0;
	m->editable = 0;
}

static float
dense(const struct feat_step *s, int e, const char *name)
{
	int i;

	for (i = 0; i < FEAT_NDENSE; i++)
		if (strcmp(feat_dense_name(i), name) == 0)
			return s->dense[(size_t)e * FEAT_NDENSE + i];
	return NAN;
}

static int
span_kind(const struct feat_step *s, const char *text)
{
	char *t;
	int i, k = 0;

	for (i = 0; i < s->nspan && k == 0; i++) {
		t = feat_span_text(s, s->span[i].start, s->span[i].end);
		if (strcmp(t, text) == 0)
			k = s->span[i].kind;
		free(t);
	}
	return k;
}

static void
test_features(void)
{
	static const char *const colors[] = { "Select a colour", "Red",
	    "Green", "Dark Blue" };
	struct feat_config c;
	struct feat_step *s = NULL;
	struct feat_hist h[2];
	struct obs *o;
	struct mark *m;
	char *cause = NULL;
	int i, r, named;

	feat_default_config(&c);
	o = obs_new();
	m = add_mark(o, "input", "textbox", "text", "", "Username", 100, 100);
	cJSON_AddStringToObject(m->attrs, "name", "user_name");
	m = add_mark(o, "input", "textbox", "password", "", "Password", 100,
	    150);
	add_mark(o, "button", "button", "", "Login", "", 100, 200);
	add_mark(o, "a", "link", "", "Forgot password?", "", 100, 250);
	m = add_mark(o, "a", "link", "", "Sign up", "", 300, 250);
	m->change = MARK_NEW;
	m = add_mark(o, "select", "combobox", "", "Select a colour", "Colour",
	    100, 300);
	set_options(m, colors, 4);
	m = add_mark(o, "input", "textbox", "text", "", "Zip code", 100, 350);
	free(m->value);
	m->value = xstrdup("90028");
	add_mark(o, "button", "button", "", "Delete", "", 100, 400);
	m = add_mark(o, "button", "button", "", "Delete", "", 100, 450);
	m->disabled = 1;

	memset(h, 0, sizeof(h));
	h[0].op = ACT_CLICK;
	h[0].desc = "[link] Forgot password?";
	h[1].op = ACT_TYPE;
	h[1].desc = "[textbox] Username";
	h[1].value = "alice";
	h[1].mark = 1;
	r = feat_step_build(&c, "Type \"alice\" into the username field, "
	    "zip code 90028, choose dark blue as colour and click Login", h, 2,
	    o, NULL, &s, &cause);
	is_int(r, 0, "features built (%s)", cause ? cause : "ok");
	if (r != 0)
		return;
	is_int(s->N, 9, "nine marks");
	is_int(s->T, 17, "instruction tokens");
	ok(s->U > 20, "unique tokens (%d)", s->U);
	for (i = 0, named = 0; i < FEAT_NDENSE; i++)
		if (feat_dense_name(i) != NULL)
			named++;
	is_int(named, FEAT_NDENSE, "every dense feature has a name");
	ok(feat_dense_name(FEAT_NDENSE) == NULL, "no name past the end");

	/* Lexical match. */
	ok(dense(s, 2, "text.phrase_in_instr") > 0.5f &&
	    dense(s, 2, "text.ov_field") > 0.99f, "Login: text found in the "
	    "instruction");
	ok(dense(s, 3, "text.ov_field") < 0.01f, "Forgot password: no "
	    "match");
	ok(dense(s, 0, "label.ov_content") > 0.99f, "username: label matches");
	ok(dense(s, 0, "attr.ov_content") < 0.01f &&
	    dense(s, 0, "attr.trigram") > 0.3f, "user_name attribute: split "
	    "tokens, trigram similarity (%g)",
	    (double)dense(s, 0, "attr.trigram"));
	ok(dense(s, 2, "match.click_verb") > 0.5f &&
	    dense(s, 0, "match.type_verb") > 0.5f, "verb context");
	ok(dense(s, 0, "value.link") > 0.99f, "username linked to a value");
	ok(dense(s, 6, "value.satisfied") > 0.5f &&
	    dense(s, 0, "value.satisfied") < 0.5f, "zip code already holds "
	    "90028");
	ok(dense(s, 2, "text.idf_field") > 0.5f, "idf-weighted overlap");
	ok(dense(s, 7, "dup.count") > 0 && dense(s, 2, "dup.count") < 0.01f,
	    "duplicates counted");
	ok(dense(s, 5, "option.best") > 0.5f, "select: an option matches");
	ok(dense(s, 0, "type.prior") > 0.5f && dense(s, 2, "type.prior") <
	    0.5f, "type prior on inputs");

	/* Geometry, state, trace, history. */
	ok(dense(s, 4, "trace.new") > 0.5f && dense(s, 3, "trace.new") < 0.5f,
	    "new mark flagged");
	ok(dense(s, 8, "state.disabled") > 0.5f, "disabled flag");
	ok(fabsf(dense(s, 0, "geo.x") - 100.0f / 1280) < 1e-6f &&
	    dense(s, 0, "geo.in_view") > 0.99f, "geometry");
	ok(dense(s, 3, "hist.clicked") > 0.5f && dense(s, 0, "hist.typed") >
	    0.5f && dense(s, 0, "hist.last") > 0.5f &&
	    dense(s, 2, "hist.count") < 0.01f, "history flags by description "
	    "and by id");
	ok(s->row_mask[s->N + FEAT_PSEUDO_DONE] &&
	    !s->row_mask[s->N + FEAT_PSEUDO_UP] &&
	    s->row_mask[s->N + FEAT_PSEUDO_DOWN], "pseudo-mark mask: no "
	    "scroll up at the top");
	ok(s->stepf[3] > 0.5f, "step features: last op TYPE");

	/* Candidate spans and span text (original case). */
	is_int(span_kind(s, "alice"), FEAT_SPAN_QUOTE, "quoted span");
	is_int(span_kind(s, "90028"), FEAT_SPAN_LABEL, "label-introduced "
	    "value (zip code 90028)");
	ok(span_kind(s, "dark blue") != 0, "value after a verb: dark blue");
	ok(s->itokf[1 * FEAT_NTOKF + 0] > 0.5f &&
	    s->itokf[1 * FEAT_NTOKF + 6] > 0.5f, "token features: quoted, "
	    "typed before");

	/* Options. */
	is_int(s->opt_off[6] - s->opt_off[5], 4, "four options");
	ok(s->optlex[(size_t)(s->opt_off[5] + 3) * FEAT_NOPTLEX + 2] > 0.99f &&
	    s->optlex[(size_t)(s->opt_off[5] + 1) * FEAT_NOPTLEX + 2] < 0.01f,
	    "option overlap: Dark Blue, not Red");
	ok(s->optlex[(size_t)s->opt_off[5] * FEAT_NOPTLEX + 8] > 0.5f,
	    "placeholder option");
	feat_step_free(s);
	s = NULL;

	/* Ordinals and deterministic rebuilds. */
	r = feat_step_build(&c, "click the second Delete button", NULL, 0, o,
	    NULL, &s, &cause);
	is_int(r, 0, "second build");
	ok(dense(s, 8, "ordinal.match") > 0.5f && dense(s, 7,
	    "ordinal.match") < 0.5f, "ordinal: second button");
	{
		struct feat_step *s2 = NULL;

		r = feat_step_build(&c, "click the second Delete button", NULL,
		    0, o, NULL, &s2, &cause);
		ok(r == 0 && s2->U == s->U && s2->nbag == s->nbag &&
		    memcmp(s2->dense, s->dense, (size_t)s->N * FEAT_NDENSE *
		    sizeof(float)) == 0 && memcmp(s2->ung, s->ung,
		    (size_t)s->ung_off[s->U] * sizeof(uint32_t)) == 0,
		    "same inputs, same features");
		feat_step_free(s2);
	}
	feat_step_free(s);
	s = NULL;

	/* Nothing at all. */
	o->nmarks = 0;
	r = feat_step_build(&c, NULL, NULL, 0, o, NULL, &s, &cause);
	ok(r == 0 && s->N == 0 && s->T == 0 && s->U == 0, "empty page and "
	    "instruction");
	feat_step_free(s);
	o->nmarks = 9;
	c.hash_bits = 40;
	r = feat_step_build(&c, "x", NULL, 0, o, NULL, &s, &cause);
	ok(r == ERR_INVALID && s == NULL && cause != NULL, "bad config "
	    "refused: %s", cause ? cause : "");
	free(cause);
	cause = NULL;
	feat_default_config(&c);
	c.version = FEAT_VERSION - 1;
	r = feat_step_build(&c, "x", NULL, 0, o, NULL, &s, &cause);
	ok(r == ERR_INVALID && s == NULL && cause != NULL &&
	    strstr(cause, "make model") != NULL, "older featuriser refused: %s",
	    cause ? cause : "");
	free(cause);
	obs_free(o);
}

/* Features of one instruction on o (the step is freed by the caller). */
static struct feat_step *
build(const struct obs *o, const char *instr)
{
	struct feat_config c;
	struct feat_step *s = NULL;
	char *cause = NULL;

	feat_default_config(&c);
	if (feat_step_build(&c, instr, NULL, 0, o, NULL, &s, &cause) != 0) {
		note("features of \"%s\": %s", instr, cause ? cause : "?");
		free(cause);
		return NULL;
	}
	return s;
}

/*
 * A control named by a verb alone ("Like", "Follow") matches the
 * instruction on that verb, though verbs are not content words.
 */
static void
test_features_verbs(void)
{
	struct feat_step *s;
	struct obs *o;

	o = obs_new();
	add_mark(o, "button", "button", "", "Like", "", 100, 100);
	add_mark(o, "button", "button", "", "Follow", "", 200, 100);
	add_mark(o, "button", "button", "", "Post", "", 300, 100);
	add_mark(o, "a", "link", "", "Joseph Harris", "", 100, 50);
	add_mark(o, "button", "button", "", "Like photos", "", 400, 100);
	s = build(o, "Like the post by Joseph Harris");
	ok(s != NULL, "features of a verb-named control");
	if (s == NULL)
		goto out;
	ok(dense(s, 0, "text.ov_content") > 0.99f &&
	    dense(s, 0, "text.jaccard") > 0.2f &&
	    dense(s, 0, "text.jaccard") < 0.5f, "Like: matched on its verb "
	    "(coverage %g, Jaccard %g)", (double)dense(s, 0,
	    "text.ov_content"), (double)dense(s, 0, "text.jaccard"));
	ok(dense(s, 1, "text.ov_content") < 0.01f &&
	    dense(s, 1, "text.jaccard") < 0.01f, "Follow: the instruction "
	    "does not name it");
	ok(dense(s, 2, "text.ov_content") > 0.99f, "Post: a content word");
	ok(dense(s, 3, "text.ov_content") > 0.99f &&
	    dense(s, 3, "text.jaccard") > 0.6f, "Joseph Harris: unchanged");
	ok(dense(s, 4, "text.ov_content") < 0.01f, "Like photos: its content "
	    "word is not in the instruction, so no verb match");
	ok(dense(s, 2, "match.tied") > 0.5f &&
	    dense(s, 2, "match.possessed") < 0.5f &&
	    dense(s, 3, "match.tied") < 0.5f, "the post by: Post names a "
	    "record, the author does not (%g %g %g)", (double)dense(s, 2,
	    "match.tied"), (double)dense(s, 2, "match.possessed"),
	    (double)dense(s, 3, "match.tied"));
	feat_step_free(s);
	s = build(o, "Share Joseph Harris's post");
	ok(s != NULL && dense(s, 2, "match.possessed") > 0.5f &&
	    dense(s, 2, "match.tied") < 0.5f &&
	    dense(s, 3, "match.possessed") < 0.5f, "Harris's post: Post "
	    "follows a possessive");
	feat_step_free(s);
	s = build(o, "Share Joseph Harris\xe2\x80\x99s post");
	ok(s != NULL && dense(s, 2, "match.possessed") > 0.5f,
	    "Harris\xe2\x80\x99s post: a typographic apostrophe too");
	feat_step_free(s);
	s = build(o, "Click Post, then share it");
	ok(s != NULL && dense(s, 2, "match.possessed") < 0.5f &&
	    dense(s, 2, "match.tied") < 0.5f, "Click Post: a control");
	feat_step_free(s);
out:
	obs_free(o);
}

/*
 * Synonyms (version 6): a word of the instruction the page writes with
 * another word of the same meaning.
 */
static void
test_features_synonyms(void)
{
	struct feat_step *s;
	struct obs *o;
	int i;

	o = obs_new();
	add_mark(o, "input", "textbox", "email", "", "Email", 100, 100);
	add_mark(o, "input", "textbox", "password", "", "Password", 100, 150);
	add_mark(o, "button", "button", "", "Sign in", "", 100, 200);
	add_mark(o, "a", "link", "", "Forgot password?", "", 100, 250);
	add_mark(o, "a", "link", "", "Create account", "", 100, 300);
	s = build(o, "Recover my account, email pyoung11@company.org");
	ok(s != NULL, "features of a login page");
	if (s == NULL)
		goto out;
	ok(dense(s, 3, "syn.text") > 0.49f && dense(s, 3, "syn.text") < 0.51f &&
	    dense(s, 3, "syn.own") > 0.5f, "Forgot password?: forgot is a "
	    "synonym of recover, half its words (%g)",
	    (double)dense(s, 3, "syn.text"));
	ok(dense(s, 3, "reach.syn") > dense(s, 3, "reach.share") + 0.01f,
	    "Forgot password?: the synonym adds to its reach (%g > %g)",
	    (double)dense(s, 3, "reach.syn"),
	    (double)dense(s, 3, "reach.share"));
	for (i = 0; i < 3; i++)
		ok(dense(s, i, "syn.own") < 0.5f && dense(s, i, "syn.text") <
		    0.01f, "mark %d: no synonym", i);
	ok(dense(s, 4, "syn.text") < 0.01f && dense(s, 4, "text.ov_content") >
	    0.49f, "Create account: account is the instruction's own word, "
	    "not a synonym");
	ok(s->itokf[0 * FEAT_NTOKF + 10] > 0.5f, "token feature 10: Recover "
	    "names a link of the page");
	ok(s->itokf[1 * FEAT_NTOKF + 10] < 0.5f, "token feature 10: not my");
	for (i = 0; i < s->T && strcmp(s->itok[i].norm, "email") != 0; i++)
		;
	ok(i < s->T && s->itokf[(size_t)i * FEAT_NTOKF + 10] > 0.5f &&
	    s->itokf[(size_t)(s->T - 1) * FEAT_NTOKF + 10] < 0.5f,
	    "token feature 10: email is on the page, the address is not");
	feat_step_free(s);
	obs_free(o);

	o = obs_new();
	add_mark(o, "button", "button", "", "Accept all", "", 100, 700);
	add_mark(o, "button", "button", "", "Decline", "", 300, 700);
	add_mark(o, "input", "textbox", "text", "", "Promo code", 100, 100);
	add_mark(o, "button", "button", "", "Delete", "", 300, 100);
	s = build(o, "Deny the cookies");
	ok(s != NULL && dense(s, 1, "syn.text") > 0.99f &&
	    dense(s, 1, "syn.own") > 0.5f && dense(s, 0, "syn.own") < 0.5f,
	    "Deny: Decline, not Accept all");
	feat_step_free(s);
	s = build(o, "Decline the cookies");
	ok(s != NULL && dense(s, 1, "syn.own") < 0.5f &&
	    dense(s, 1, "text.ov_content") > 0.99f, "Decline: a match of its "
	    "own word, not a synonym");
	feat_step_free(s);
	s = build(o, "Remove the coupons");
	ok(s != NULL && dense(s, 3, "syn.own") > 0.5f &&
	    dense(s, 2, "syn.own") > 0.5f && dense(s, 2, "syn.text") < 0.01f &&
	    dense(s, 1, "syn.own") < 0.5f, "Remove the coupons: Delete and "
	    "the Promo code label (through the stem of coupons)");
	feat_step_free(s);
out:
	obs_free(o);
}

/* The synonyms the trainer swaps into instructions. */
static void
test_feat_synonym(void)
{
	char w[FEAT_TOK_MAX];
	int n, k, forgot = 0, self = 0;

	n = feat_synonym("recover", 0, w, sizeof(w));
	for (k = 0; k < n; k++) {
		feat_synonym("recover", ((double)k + 0.5) / n, w, sizeof(w));
		forgot += strcmp(w, "forgot") == 0;
		self += strcmp(w, "recover") == 0;
	}
	ok(n >= 5 && forgot == 1 && self == 0, "feat_synonym: the %d "
	    "synonyms of recover hold forgot once, recover never", n);
	ok(feat_synonym("the", 0.5, w, sizeof(w)) == 0 &&
	    feat_synonym("xylophone", 0.5, w, sizeof(w)) == 0 &&
	    feat_synonym("deny", 0.999, w, 3) == 0, "feat_synonym: none for "
	    "a stopword, an unknown word, or a buffer too small");
}

/* The authors of three posts. */
static const char *const authors[] = { "Ashley Lopez", "Hugo Allen",
    "Ravi Brown" };

/*
 * Three buttons named text, one above the other at x 100, the container
 * of button i "<authors[i]> <mid> <tail[i]>" (a post's card).
 */
static void
add_cards(struct obs *o, const char *text, const char *mid,
    const char *const *tail)
{
	struct mark *m;
	char buf[128];
	int i;

	for (i = 0; i < 3; i++) {
		m = add_mark(o, "button", "button", "", text, "", 100,
		    100 + 50 * i);
		(void)snprintf(buf, sizeof(buf), "%s %s %s", authors[i], mid,
		    tail[i]);
		m->ctx = xstrdup(buf);
	}
}

/*
 * Where the instruction's words are on the page: each mark's share of
 * them (its own text and its container together), the record words,
 * the verb-named control, and the step's "not on the page" signals.
 */
static void
test_features_reach(void)
{
	static const char *const topic[] = { "budget!", "picnic!",
	    "launch!" };
	struct feat_step *s;
	struct obs *o;
	struct mark *m;
	int i;

	o = obs_new();
	add_cards(o, "Share", "Follow Like Notes from the", topic);
	m = add_mark(o, "a", "link", "", "Hugo Allen", "", 300, 150);
	m->ctx = xstrdup("Follow Share Like Notes from the picnic!");
	m = add_mark(o, "button", "button", "", "Follow", "", 400, 150);
	m->ctx = xstrdup("Hugo Allen Share Like Notes from the picnic!");

	if ((s = build(o, "Share Hugo Allen's post about picnic")) != NULL) {
		/* share, hugo, allen, post, picnic: the second card holds 4. */
		ok(fabsf(dense(s, 1, "reach.share") - 0.8f) < 1e-4f &&
		    fabsf(dense(s, 1, "reach.gap")) < 1e-4f &&
		    fabsf(dense(s, 0, "reach.share") - 0.2f) < 1e-4f &&
		    fabsf(dense(s, 0, "reach.gap") + 0.6f) < 1e-4f,
		    "reach: Share of Hugo Allen's card 0.8 (best), Ashley's "
		    "0.2 (%g %g %g)", (double)dense(s, 1, "reach.share"),
		    (double)dense(s, 0, "reach.share"),
		    (double)dense(s, 0, "reach.gap"));
		ok(fabsf(dense(s, 1, "reach.record") - 1) < 1e-4f &&
		    dense(s, 0, "reach.record") < 1e-4f &&
		    dense(s, 2, "reach.record") < 1e-4f, "record words hugo, "
		    "allen, picnic: in the second card only");
		ok(fabsf(s->stepf[20] - 0.2f) < 1e-4f, "post is on no mark "
		    "(%g)", (double)s->stepf[20]);
		ok(fabsf(s->stepf[21] - 0.8f) < 1e-4f && s->stepf[22] < 0.5f,
		    "best share 0.8, every record word on the page");
		ok(dense(s, 4, "text.verb_named") < 0.5f && dense(s, 0,
		    "text.verb_named") < 0.5f, "no verb names Follow or Share "
		    "here (share is a content word)");
		feat_step_free(s);
	}
	if ((s = build(o, "Like the post by Ingrid Scott")) != NULL) {
		ok(s->stepf[22] > 0.5f, "Ingrid Scott is on no mark: the "
		    "record is elsewhere");
		feat_step_free(s);
	}
	if ((s = build(o, "Like Hugo Allen's post")) != NULL) {
		ok(fabsf(dense(s, 3, "text.record") - 1) < 1e-4f &&
		    dense(s, 4, "text.record") < 1e-4f && dense(s, 1,
		    "text.record") < 1e-4f, "Like Hugo Allen's post: the link "
		    "Hugo Allen names the record, Follow and Share do not");
		ok(s->T == 4 && s->itokf[1 * FEAT_NTOKF + 9] > 0.5f &&
		    s->itokf[2 * FEAT_NTOKF + 9] > 0.5f &&
		    s->itokf[0 * FEAT_NTOKF + 9] < 0.5f &&
		    s->itokf[3 * FEAT_NTOKF + 9] < 0.5f, "token feature 9: "
		    "hugo and allen name the record, like and post do not");
		feat_step_free(s);
	}
	if ((s = build(o, "Follow Hugo Allen")) != NULL) {
		ok(dense(s, 4, "text.verb_named") > 0.5f && dense(s, 3,
		    "text.verb_named") < 0.5f, "Follow Hugo Allen: the Follow "
		    "button is named by the verb, the link is not");
		ok(s->stepf[22] < 0.5f, "no record words without a possessive "
		    "or a tie word");
		feat_step_free(s);
	}
	if ((s = build(o, "Write Love this as a comment on it")) != NULL) {
		int a = -1, z = -1;

		for (i = 0; i < s->nspan; i++)
			if (s->span[i].kind == FEAT_SPAN_VERB &&
			    strcmp(s->itok[s->span[i].start].norm, "love") == 0)
				a = s->span[i].start, z = s->span[i].end;
		ok(a >= 0 && z == a + 1 && s->itokf[(size_t)z * FEAT_NTOKF +
		    8] > 0.5f && s->itokf[(size_t)a * FEAT_NTOKF + 8] < 0.5f,
		    "the value \"Love this\" ends at this: token feature 8 "
		    "marks its end");
		feat_step_free(s);
	}
	obs_free(o);
}

/*
 * The container bag (struct mark ctx), prices against "the cheapest",
 * and the state each checkbox is asked to be in.
 */
static void
test_features_ctx(void)
{
	static const char *const price[] = { "$1,299.00", "$89.50",
	    "$120" };
	static const char *const box[] = { "Pool", "Gym", "Parking", "Spa" };
	static const int on[] = { 1, 0, 1, 1 };
	struct feat_step *s;
	struct obs *o;
	struct mark *m;
	int i;

	o = obs_new();
	add_cards(o, "Like", "@x 2h Notes from the trip!", price);
	add_mark(o, "a", "link", "", "Ashley Lopez", "", 300, 100);
	for (i = 0; i < 4; i++) {
		m = add_mark(o, "input", "checkbox", "checkbox", "", box[i],
		    500, 100 + 50 * i);
		m->checked = on[i];
		m->editable = 0;
	}

	if ((s = build(o, "Like Ravi Brown's post")) != NULL) {
		ok(dense(s, 2, "ctx.idf_instr") > 0.3f &&
		    dense(s, 0, "ctx.idf_instr") < 0.01f &&
		    dense(s, 1, "ctx.idf_instr") < 0.01f, "the post's author "
		    "is matched in its Like button's container only");
		ok(dense(s, 3, "ctx.empty") > 0.5f &&
		    dense(s, 2, "ctx.empty") < 0.5f, "no container: empty");
		ok(fabsf(dense(s, 2, "price.wanted")) < 0.5f, "no price asked "
		    "for");
		ok(dense(s, 0, "price.has") > 0.5f && dense(s, 3, "price.has")
		    < 0.5f, "prices read from the container");
		feat_step_free(s);
	}
	if ((s = build(o, "Like the cheapest post")) != NULL) {
		ok(dense(s, 1, "price.wanted") > 0.5f &&
		    dense(s, 0, "price.wanted") < -0.5f &&
		    dense(s, 2, "price.wanted") < -0.5f, "cheapest: $89.50, "
		    "not $1,299.00 or $120");
		feat_step_free(s);
	}
	if ((s = build(o, "Like the most expensive one")) != NULL) {
		ok(dense(s, 0, "price.wanted") > 0.5f &&
		    dense(s, 2, "price.wanted") < -0.5f, "most expensive: "
		    "$1,299.00");
		feat_step_free(s);
	}

	/* Pool on, Gym off, Parking on, Spa on. */
	if ((s = build(o, "Untick Pool, check Gym and Spa")) != NULL) {
		ok(dense(s, 4, "check.wanted") > 0.5f, "untick Pool (on)");
		ok(dense(s, 5, "check.wanted") > 0.5f, "check Gym (off)");
		ok(dense(s, 7, "check.wanted") < -0.5f, "check Spa: already "
		    "on");
		feat_step_free(s);
	}
	if ((s = build(o, "Make sure Parking is unchecked and Gym checked")) !=
	    NULL) {
		ok(dense(s, 6, "check.wanted") > 0.5f, "Parking unchecked");
		ok(dense(s, 5, "check.wanted") > 0.5f, "Gym checked");
		feat_step_free(s);
	}
	if ((s = build(o, "Leave only Gym and Spa selected")) != NULL) {
		ok(dense(s, 4, "check.wanted") > 0.5f &&
		    dense(s, 6, "check.wanted") > 0.5f, "only: the others "
		    "are to be cleared");
		ok(dense(s, 5, "check.wanted") > 0.5f &&
		    dense(s, 7, "check.wanted") < -0.5f, "only: Gym to "
		    "check, Spa stays");
		feat_step_free(s);
	}
	/* Values still to type (step feature 16), no value at all (17). */
	m = add_mark(o, "input", "textbox", "text", "", "Message", 700, 100);
	if ((s = build(o, "Type \"see you there\" as the message")) != NULL) {
		ok(s->stepf[16] > 0.5f && s->stepf[17] < 0.5f, "a quoted value "
		    "to type is pending");
		feat_step_free(s);
	}
	if ((s = build(o, "Like the post of \"Ravi Brown\"")) != NULL) {
		ok(s->stepf[16] < 0.5f, "a quoted name found in a container "
		    "is a reference, not a value");
		feat_step_free(s);
	}
	{
		struct feat_config c;
		struct feat_hist h;
		char *cause = NULL;

		feat_default_config(&c);
		memset(&h, 0, sizeof(h));
		h.op = ACT_TYPE;
		h.desc = "[textbox] Message";
		h.value = "see you there";
		s = NULL;
		ok(feat_step_build(&c, "Type \"see you there\" as the message",
		    &h, 1, o, NULL, &s, &cause) == 0 && s->stepf[16] < 0.5f,
		    "typed already: nothing pending");
		feat_step_free(s);
		free(cause);
	}
	free(m->value);
	m->value = xstrdup("See you there");
	if ((s = build(o, "Type \"see you there\" as the message")) != NULL) {
		ok(s->stepf[16] < 0.5f, "a field holds it: nothing pending");
		feat_step_free(s);
	}
	/* Clauses: which the history has done, which is next. */
	{
		struct feat_config c;
		struct feat_hist h;
		char *cause = NULL;

		feat_default_config(&c);
		memset(&h, 0, sizeof(h));
		h.op = ACT_CLICK;
		h.desc = "[checkbox] Pool";
		h.mark = 5;
		s = NULL;
		if (feat_step_build(&c, "Untick Pool, check Gym and Spa. Then "
		    "Save", &h, 1, o, NULL, &s, &cause) == 0) {
			ok(dense(s, 4, "clause.done") > 0.5f &&
			    dense(s, 4, "clause.open") < 0.5f, "Pool: its "
			    "clause done");
			ok(dense(s, 5, "clause.open") > 0.5f, "Gym: the first "
			    "open clause");
			ok(dense(s, 7, "clause.later") > 0.5f &&
			    dense(s, 7, "clause.open") < 0.5f, "Spa: a later "
			    "clause");
			ok(s->stepf[18] < 0.5f && fabsf(s->stepf[19] - 0.25f) <
			    1e-6f, "one clause of four done (%.3f)",
			    (double)s->stepf[19]);
		} else
			ok(0, "features: %s", cause ? cause : "?");
		feat_step_free(s);
		free(cause);
		cause = NULL;
		s = NULL;
		if (feat_step_build(&c, "Go ahead and untick Pool and check "
		    "Gym and press Save", &h, 1, o, NULL, &s, &cause) == 0)
			ok(dense(s, 5, "clause.open") > 0.5f &&
			    fabsf(s->stepf[19] - 1.0f / 3) < 1e-6f, "go ahead "
			    "and ...: no clause of its own; Gym is next (%.3f)",
			    (double)s->stepf[19]);
		else
			ok(0, "features: %s", cause ? cause : "?");
		feat_step_free(s);
		free(cause);
	}
	/*
	 * A typed value does its own clause only: the label of the field
	 * it went into does not do the next one.
	 */
	{
		struct feat_config c;
		struct feat_hist h[2];
		char *cause = NULL;
		static const char *const goal = "Search the shop for \"Trail "
		    "Runner Shoes\" and open their product page";

		feat_default_config(&c);
		memset(h, 0, sizeof(h));
		h[0].op = ACT_TYPE;
		h[0].desc = "[searchbox] Search products";
		h[0].value = "Trail Runner Shoes";
		h[1].op = ACT_CLICK;
		h[1].desc = "[button] Search";
		s = NULL;
		if (feat_step_build(&c, goal, h, 2, o, NULL, &s, &cause) == 0)
			ok(s->stepf[18] < 0.5f && fabsf(s->stepf[19] - 0.5f) <
			    1e-6f, "searched in \"Search products\": the "
			    "search clause done, not \"open their product "
			    "page\" (%.3f)", (double)s->stepf[19]);
		else
			ok(0, "features: %s", cause ? cause : "?");
		feat_step_free(s);
		free(cause);
		cause = NULL;
		s = NULL;
		h[1].desc = "[link] Trail Runner Shoes product page";
		if (feat_step_build(&c, goal, h, 2, o, NULL, &s, &cause) == 0)
			ok(s->stepf[18] > 0.5f, "a click on the product page "
			    "link does it (%.3f)", (double)s->stepf[19]);
		else
			ok(0, "features: %s", cause ? cause : "?");
		feat_step_free(s);
		free(cause);
	}
	if ((s = build(o, "Turn off Spa")) != NULL) {
		ok(dense(s, 7, "check.wanted") > 0.5f &&
		    fabsf(dense(s, 4, "check.wanted")) < 0.5f, "turn off Spa; the "
		    "others not named, not touched");
		feat_step_free(s);
	}
	obs_free(o);
}

/* ---------------------------------------------------------------------- */
/* Values that name the page (model.c value_is_reference()).              */

/* The name the instructions give and the network learns to type. */
#define VR_NAME		"Ann Lee"
#define VR_TRAIN_MAX	1500

/* One page of the value-or-reference test and the answer it calls for. */
struct vr_case {
	const char	*what;
	const char	*instr;
	const char	*link;		/* a link's text */
	const char	*like_ctx;	/* a Like button's container, or
					   NULL */
	const char	*draft;		/* text of the textbox (editable) */
	int		 typed;		/* 1: TYPE VR_NAME stays the answer */
};

/* A page: the textbox (mark 1), a link, a Like button, a Send button. */
static struct obs *
vr_page(const struct vr_case *v)
{
	struct obs *o = obs_new();
	struct mark *m;

	add_mark(o, "input", "textbox", "text", v->draft, "Status", 100,
	    100);
	add_mark(o, "a", "link", "", v->link, "", 100, 150);
	m = add_mark(o, "button", "button", "", "Like", "", 100, 200);
	if (v->like_ctx != NULL)
		m->ctx = xstrdup(v->like_ctx);
	add_mark(o, "button", "button", "", "Send", "", 100, 250);
	o->page_h = 800;
	return o;
}

/* A small featuriser and network, quick to fit. */
static void
vr_config(struct feat_config *fc, struct nn_config *nc)
{
	feat_default_config(fc);
	fc->hash_bits = 10;
	fc->dim = 16;
	fc->cat_bits = 6;
	fc->type_bits = 4;
	nn_default_config(nc);
	nc->d = fc->dim;
	nc->hash_rows = 1u << fc->hash_bits;
	nc->cat_rows = 1u << fc->cat_bits;
	nc->type_rows = 1u << fc->type_bits;
	nc->span_max = fc->span_max;
	nc->dtag = nc->drole = nc->dtype = 4;
	nc->dh = nc->du = nc->ds1 = nc->dg = 16;
	nc->ds2 = nc->dop = nc->dsp = nc->dopt = 8;
	nc->dlen = 4;
}

/* The label of s: TYPE the tokens of VR_NAME into mark row 0. */
static int
vr_label(const struct feat_step *s, struct nn_label *y)
{
	struct feat_token v[8];
	int nv = feat_tokenize(VR_NAME, v, 8), a, j;

	memset(y, 0, sizeof(*y));
	y->ngold = 1;
	y->gold[0] = 0;
	y->op = NN_OP_TYPE;
	y->option = -1;
	y->span_start = y->span_end = -1;
	for (a = 0; a + nv <= s->T; a++) {
		for (j = 0; j < nv && strcmp(s->itok[a + j].norm,
		    v[j].norm) == 0; j++)
			;
		if (j == nv) {
			y->span_start = a;
			y->span_end = a + nv - 1;
			return 0;
		}
	}
	return -1;
}

/*
 * Fits m to the n labelled steps (Adam, learning rate 1e-2) until their
 * mean loss is under 0.01 or after VR_TRAIN_MAX updates; returns the
 * mean loss, *itp the updates made.
 */
static double
vr_fit(struct model *m, struct feat_step *const *s, const struct nn_label *y,
    size_t n, int *itp)
{
	struct nn_adam_params ap;
	struct nn_adam *a;
	struct nn_grad *g;
	struct nn_losses L;
	double loss = HUGE_VAL;
	size_t i;
	int it;

	g = nn_grad_new(model_nn(m));
	nn_adam_default(&ap);
	ap.lr = 1e-2;
	a = nn_adam_new(model_nn(m), &ap);
	for (it = 1; it <= VR_TRAIN_MAX; it++) {
		for (i = 0, loss = 0; i < n; i++) {
			if (nn_loss(model_run(m), s[i], &y[i], NULL, g,
			    &L) != 0) {
				loss = HUGE_VAL;
				break;
			}
			loss += L.total / (double)n;
		}
		(void)nn_adam_step(a, model_nn(m), g, 1.0 / (double)n, 1.0);
		if (loss < 0.01)
			break;
	}
	nn_grad_free(g);
	nn_adam_free(a);
	*itp = it;
	return loss;
}

/*
 * A network fitted to TYPE a name into the textbox on every page: where
 * the name is written on a mark that is not editable (its text or its
 * container) and no candidate value span covers it, the answer becomes
 * a click with probability row * (1 - P(TYPE)), sorted below the
 * others; elsewhere (name not on the page, only in the editable field,
 * quoted) TYPE stays.
 */
static void
test_value_reference(void)
{
	static const struct vr_case vc[] = {
		{ "a link's text", "Share Ann Lee post", VR_NAME, NULL, "", 0 },
		{ "a container", "Share Ann Lee post", "Profile",
		    "Ann Lee 2h Off to the lake!", "", 0 },
		{ "not on the page", "Share Ann Lee post", "Bob Hart", NULL,
		    "", 1 },
		{ "only in the editable field", "Share Ann Lee post",
		    "Bob Hart", NULL, VR_NAME, 1 },
		{ "quoted", "Share \"Ann Lee\" post", VR_NAME, NULL, "", 1 },
	};
#define VR_N	(sizeof(vc) / sizeof(vc[0]))
	struct feat_config fc;
	struct nn_config nc;
	struct nn_label y[VR_N];
	struct feat_step *s[VR_N];
	struct obs *o[VR_N];
	struct model *m = NULL;
	struct model_pred p;
	const struct model_choice *ch;
	const nn_real *sc;
	nn_real probs[NN_NOPS];
	char *cause = NULL;
	double loss = 0, mx, sum, want;
	size_t i;
	int it, e, k, sorted;

	memset(s, 0, sizeof(s));
	memset(o, 0, sizeof(o));
	vr_config(&fc, &nc);
	if (model_new(&fc, &nc, 11, &m, &cause) != 0) {
		ok(0, "value or reference: new model: %s", cause);
		goto out;
	}
	for (i = 0; i < VR_N; i++) {
		o[i] = vr_page(&vc[i]);
		if (feat_step_build(&fc, vc[i].instr, NULL, 0, o[i], NULL,
		    &s[i], &cause) != 0 || vr_label(s[i], &y[i]) != 0) {
			ok(0, "value or reference: features of %s: %s",
			    vc[i].what, cause != NULL ? cause : "no span");
			goto out;
		}
	}
	loss = vr_fit(m, s, y, VR_N, &it);
	ok(loss < 0.01, "value or reference: tiny network fitted to "
	    "TYPE \"%s\" on %zu pages (loss %.4f, %d updates)", VR_NAME,
	    VR_N, loss, it);

	for (i = 0; i < VR_N; i++) {
		memset(&p, 0, sizeof(p));
		if (model_predict_step(m, s[i], o[i], &p, &cause) != 0 ||
		    nn_forward(model_run(m), s[i], &sc) != 0 ||
		    nn_op(model_run(m), s[i], 0, probs) != 0) {
			ok(0, "value or reference, %s: predict: %s",
			    vc[i].what, cause != NULL ? cause : "?");
			model_pred_clear(&p);
			continue;
		}
		/* The textbox's share of the softmax, before any gate. */
		for (e = 0, mx = -HUGE_VAL; e < s[i]->N + FEAT_NPSEUDO; e++)
			if (s[i]->row_mask[e] && (double)sc[e] > mx)
				mx = (double)sc[e];
		for (e = 0, sum = 0; e < s[i]->N + FEAT_NPSEUDO; e++)
			if (s[i]->row_mask[e])
				sum += exp((double)sc[e] - mx);
		want = exp((double)sc[0] - mx) / sum;
		for (k = 0, ch = NULL; k < p.ntop; k++)
			if (p.top[k].row == 0)
				ch = &p.top[k];
		for (k = 1, sorted = 1; k < p.ntop; k++)
			sorted &= p.top[k - 1].prob >= p.top[k].prob;
		if (vc[i].typed)
			ok(ch == &p.top[0] && ch->op == NN_OP_TYPE &&
			    ch->value != NULL && strcmp(ch->value, VR_NAME) ==
			    0 && fabs(ch->prob - want) < 1e-9 && want > 0.9,
			    "value or reference, name %s: TYPE \"%s\" into "
			    "the textbox first (%.3f)", vc[i].what,
			    ch != NULL && ch->value != NULL ? ch->value : "",
			    ch != NULL ? ch->prob : 0);
		else
			ok(ch != NULL && ch != &p.top[0] &&
			    p.top[0].op != NN_OP_TYPE &&
			    ch->op == NN_OP_CLICK && ch->value == NULL &&
			    want > 0.9 && (double)probs[NN_OP_TYPE] > 0.9 &&
			    fabs(ch->prob - want * (1 -
			    (double)probs[NN_OP_TYPE])) < 1e-9 && sorted,
			    "value or reference, name on %s: no TYPE; the "
			    "textbox clicked at %.4f = %.3f * (1 - %.3f), "
			    "after the other choices (first: row %d)",
			    vc[i].what, ch != NULL ? ch->prob : 0, want,
			    (double)probs[NN_OP_TYPE], p.top[0].row);
		model_pred_clear(&p);
	}
out:
	for (i = 0; i < VR_N; i++) {
		feat_step_free(s[i]);
		obs_free(o[i]);
	}
	free(cause);
	model_free(m);
#undef VR_N
}

/*
 * A network fitted to type only the first token of a word ("ann" of
 * "ann-lee"): the value typed is still the whole word, and a colon
 * parts a chunk ("status:ann" types "ann").  Cut at a stopword, it grows
 * to the end of the value after the typing verb ("ann me too"), but not
 * over "please" or a number.
 */
static void
test_value_word(void)
{
	static const char *const instr[] = {
		"Set the status to ann-lee now",
		"Set the status to ann.lee@example.com now",
		"Set status:ann today",
		"Write ann me too as the status",
		"Set the status to ann please",
		"Write ann 5 as the status",
	};
	static const char *const want[] = { "ann-lee", "ann.lee@example.com",
	    "ann", "ann me too", "ann", "ann" };
#define VW_N	(sizeof(instr) / sizeof(instr[0]))
	static const struct vr_case vc = { "", "", "Bob Hart", NULL, "", 1 };
	struct feat_config fc;
	struct nn_config nc;
	struct nn_label y[VW_N];
	struct feat_step *s[VW_N];
	struct obs *o = NULL;
	struct model *m = NULL;
	struct model_pred p;
	char *cause = NULL;
	double loss = 0;
	size_t i;
	int it, k;

	memset(s, 0, sizeof(s));
	vr_config(&fc, &nc);
	if (model_new(&fc, &nc, 5, &m, &cause) != 0) {
		ok(0, "whole words: new model: %s", cause);
		goto out;
	}
	o = vr_page(&vc);
	for (i = 0; i < VW_N; i++) {
		if (feat_step_build(&fc, instr[i], NULL, 0, o, NULL, &s[i],
		    &cause) != 0) {
			ok(0, "whole words: features: %s", cause);
			goto out;
		}
		memset(&y[i], 0, sizeof(y[i]));
		y[i].ngold = 1;
		y[i].op = NN_OP_TYPE;
		y[i].option = -1;
		y[i].span_start = y[i].span_end = -1;
		for (k = 0; k < s[i]->T; k++)
			if (strcmp(s[i]->itok[k].norm, "ann") == 0)
				y[i].span_start = y[i].span_end = k;
	}
	loss = vr_fit(m, s, y, VW_N, &it);
	ok(loss < 0.01, "whole words: tiny network fitted to type "
	    "\"ann\" alone (loss %.4f, %d updates)", loss, it);
	for (i = 0; i < VW_N; i++) {
		memset(&p, 0, sizeof(p));
		if (model_predict_step(m, s[i], o, &p, &cause) != 0) {
			ok(0, "whole words: predict: %s", cause);
			continue;
		}
		ok(p.ntop > 0 && p.top[0].op == NN_OP_TYPE &&
		    p.top[0].value != NULL && strcmp(p.top[0].value,
		    want[i]) == 0, "whole words: \"%s\" types \"%s\"",
		    instr[i], p.ntop > 0 && p.top[0].value != NULL ?
		    p.top[0].value : "");
		model_pred_clear(&p);
	}
out:
	for (i = 0; i < VW_N; i++)
		feat_step_free(s[i]);
	obs_free(o);
	free(cause);
	model_free(m);
#undef VW_N
}

/* ---------------------------------------------------------------------- */
/* A small synthetic task set for training tests.                         */

#define NTASK	16

static const char *const buttons[] = {
	"Search", "Login", "Sign up", "Cart", "Checkout", "Home", "About us",
	"Contact", "Help", "Settings", "Profile", "Logout"
};
static const char *const fields[] = { "First name", "Email", "City" };
static const char *const sizes[] = { "Small", "Medium", "Large" };

struct task {
	struct obs		*o;
	struct feat_step	*s;
	struct nn_label		 y;
	char			*instr;
	struct feat_hist	 h[1];
	int			 nh;
	const char		*want_value;
};

/* Builds task i: a page of 12 buttons, 3 inputs, a select. */
static void
make_task(const struct feat_config *c, int i, struct task *t)
{
	struct mark *m;
	char *cause = NULL;
	int k, gold = -1;

	memset(t, 0, sizeof(*t));
	t->o = obs_new();
	for (k = 0; k < 12; k++)
		add_mark(t->o, "button", "button", "", buttons[(k + i) % 12],
		    "", 50 + 100 * (k % 6), 50 + 40 * (k / 6));
	for (k = 0; k < 3; k++)
		add_mark(t->o, "input", "textbox", "text", "", fields[k],
		    50, 200 + 40 * k);
	m = add_mark(t->o, "select", "combobox", "", "Small", "Size", 50, 400);
	set_options(m, sizes, 3);
	t->y.option = -1;
	t->y.span_start = t->y.span_end = -1;
	t->y.op = -1;
	if (i < 8) {
		static const char *const pre[] = { "Click", "Press the",
		    "open", "go to" };

		k = (i * 5) % 12;
		t->instr = xasprintf("%s %s%s", pre[i % 4], buttons[k],
		    i % 4 == 1 ? " button" : "");
		gold = (k - i % 12 + 24) % 12;
		t->y.op = NN_OP_CLICK;
	} else if (i < 12) {
		static const char *const vals[] = { "Ada", "ada@example.com",
		    "Glasgow", "Zoe" };

		k = (i - 8) % 3;
		t->instr = i % 2 ? xasprintf("Type \"%s\" into the %s field",
		    vals[i - 8], fields[k]) : xasprintf("enter %s as %s",
		    vals[i - 8], fields[k]);
		gold = 12 + k;
		t->y.op = NN_OP_TYPE;
		t->want_value = vals[i - 8];
	} else if (i < 14) {
		t->instr = xasprintf("choose %s size", sizes[i - 11]);
		gold = 15;
		t->y.op = NN_OP_SELECT;
		t->y.option = i - 11;
	} else {
		/* The task was done in the previous step. */
		t->instr = xstrdup(i == 14 ? "Click Help" : "press Logout");
		t->h[0].op = ACT_CLICK;
		t->h[0].desc = i == 14 ? "[button] Help" : "[button] Logout";
		t->nh = 1;
		gold = (int)t->o->nmarks + FEAT_PSEUDO_DONE;
	}
	if (feat_step_build(c, t->instr, t->h, (size_t)t->nh, t->o, NULL,
	    &t->s, &cause) != 0) {
		fprintf(stderr, "task %d: %s\n", i, cause);
		abort();
	}
	free(cause);
	t->y.ngold = 1;
	t->y.gold[0] = gold;
	if (t->want_value != NULL) {
		/* Gold span: the tokens of the value. */
		struct feat_token v[8];
		int nv = feat_tokenize(t->want_value, v, 8), a, j;

		for (a = 0; a + nv <= t->s->T; a++) {
			for (j = 0; j < nv && strcmp(t->s->itok[a + j].norm,
			    v[j].norm) == 0; j++)
				;
			if (j == nv) {
				t->y.span_start = a;
				t->y.span_end = a + nv - 1;
				break;
			}
		}
	}
}

static void
free_task(struct task *t)
{
	feat_step_free(t->s);
	obs_free(t->o);
	free(t->instr);
}

/* One full-batch update over the tasks; returns mean loss, sets acc. */
static double
train_epoch(struct model *m, struct nn_grad *g, struct nn_adam *a,
    struct task *ts, int n, int *correct)
{
	struct nn_losses L;
	double sum = 0;
	int i;

	*correct = 0;
	for (i = 0; i < n; i++) {
		if (nn_loss(model_run(m), ts[i].s, &ts[i].y, NULL, g, &L) != 0)
			return (double)NAN;
		sum += L.total;
		*correct += L.correct;
	}
	nn_adam_step(a, model_nn(m), g, 1.0 / n, 1.0);
	return sum / n;
}

/* Loss and accuracy without updating. */
static double
eval(struct model *m, struct task *ts, int n, int *correct)
{
	struct nn_losses L;
	double sum = 0;
	int i;

	*correct = 0;
	for (i = 0; i < n; i++) {
		if (nn_loss(model_run(m), ts[i].s, &ts[i].y, NULL, NULL,
		    &L) != 0)
			return (double)NAN;
		sum += L.total;
		*correct += L.correct;
	}
	return sum / n;
}

static void
test_overfit(struct model **mp, struct task *ts)
{
	struct feat_config fc;
	struct nn_config nc;
	struct nn_adam_params ap;
	struct nn_adam *a;
	struct nn_grad *g;
	struct model *m = NULL;
	struct model_pred p;
	double loss = 0;
	int it, correct = 0, r, i, ok_val, ok_op;
	char *cause = NULL;

	feat_default_config(&fc);
	nn_default_config(&nc);
	r = model_new(&fc, &nc, 1, &m, &cause);
	is_int(r, 0, "default-size model (%zu parameters)",
	    m ? nn_nparams(model_nn(m)) : 0);
	if (r != 0)
		return;
	g = nn_grad_new(model_nn(m));
	nn_adam_default(&ap);
	a = nn_adam_new(model_nn(m), &ap);
	loss = eval(m, ts, NTASK, &correct);
	note("before training: loss %.3f, %d/%d correct", loss, correct,
	    NTASK);
	for (it = 1; it <= 400; it++) {
		loss = train_epoch(m, g, a, ts, NTASK, &correct);
		if (it % 50 == 0)
			note("update %d: loss %.4f, %d/%d", it, loss, correct,
			    NTASK);
		loss = eval(m, ts, NTASK, &correct);
		if (correct == NTASK && loss < 0.01)
			break;
	}
	ok(correct == NTASK, "overfit: 16/16 marks right after %d updates",
	    it);
	ok(loss < 0.01, "overfit: loss %.4f < 0.01", loss);

	/* The heads, through prediction. */
	ok_val = ok_op = 0;
	for (i = 0; i < NTASK; i++) {
		if (model_predict_step(m, ts[i].s, ts[i].o, &p, &cause) != 0)
			break;
		if (p.top[0].row == ts[i].y.gold[0] &&
		    (ts[i].y.op < 0 || p.top[0].op == ts[i].y.op))
			ok_op++;
		if ((ts[i].want_value == NULL ||
		    strcmp(p.top[0].value, ts[i].want_value) == 0) &&
		    (ts[i].y.option < 0 || p.top[0].option == ts[i].y.option))
			ok_val++;
		else
			note("task %d: value \"%s\"", i, p.top[0].value ?
			    p.top[0].value : "(none)");
		model_pred_clear(&p);
	}
	is_int(ok_op, NTASK, "predicted mark and operation");
	is_int(ok_val, NTASK, "copied values (original case) and options");
	nn_grad_free(g);
	nn_adam_free(a);
	*mp = m;
}

/* Weights checksum after n updates from seed. */
static uint64_t
train_hash(uint64_t seed, struct task *ts, int n)
{
	struct feat_config fc;
	struct nn_config nc;
	struct nn_adam *a;
	struct nn_grad *g;
	struct model *m = NULL;
	uint64_t h;
	int i, correct;

	feat_default_config(&fc);
	nn_default_config(&nc);
	if (model_new(&fc, &nc, seed, &m, NULL) != 0)
		return 0;
	nn_run_set_dropout(model_run(m), 0.1, seed + 1);
	g = nn_grad_new(model_nn(m));
	a = nn_adam_new(model_nn(m), NULL);
	for (i = 0; i < n; i++)
		(void)train_epoch(m, g, a, ts, NTASK, &correct);
	h = nn_checksum(model_nn(m));
	nn_grad_free(g);
	nn_adam_free(a);
	model_free(m);
	return h;
}

static void
test_determinism(struct task *ts)
{
	uint64_t a, b, c;

	a = train_hash(5, ts, 20);
	b = train_hash(5, ts, 20);
	c = train_hash(6, ts, 20);
	note("weights checksum after 20 updates: %016llx",
	    (unsigned long long)a);
	ok(a != 0 && a == b, "same seed, same weights after 20 updates "
	    "(with dropout)");
	ok(a != c, "other seed, other weights");
}

/* ---------------------------------------------------------------------- */
/* Weights file.                                                          */

static void
test_wnm_basics(void)
{
	static const char digits[] = "123456789";
	uint16_t h;
	float f;
	unsigned u;
	int bad = 0;

	ok(wnm_crc32(0, digits, 9) == 0xcbf43926u, "CRC-32 check value");
	ok(wnm_crc32(wnm_crc32(0, digits, 4), digits + 4, 5) == 0xcbf43926u,
	    "CRC-32 in pieces");
	ok(wnm_f32_to_f16(1.0f) == 0x3c00 && wnm_f32_to_f16(-2.0f) == 0xc000 &&
	    wnm_f32_to_f16(65504.0f) == 0x7bff &&
	    wnm_f32_to_f16(65520.0f) == 0x7c00 &&
	    wnm_f32_to_f16(0x1p-24f) == 0x0001 &&
	    wnm_f32_to_f16(1e-9f) == 0x0000, "f16 conversions");
	ok(wnm_f32_to_f16(1.0f + 0x1p-11f) == 0x3c00 &&
	    wnm_f32_to_f16(1.0f + 0x1p-11f + 0x1p-20f) == 0x3c01,
	    "f16 rounds to nearest even");
	for (u = 0; u < 65536; u++) {
		h = (uint16_t)u;
		if ((h & 0x7c00) == 0x7c00 && (h & 0x3ff))
			continue;	/* NaN */
		f = wnm_f16_to_f32(h);
		if (wnm_f32_to_f16(f) != h)
			bad++;
	}
	is_int(bad, 0, "every half survives f16 -> f32 -> f16");
}

/* Reads a whole file. */
static unsigned char *
slurp(const char *path, size_t *lenp)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *p;
	long n;

	*lenp = 0;
	if (fp == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	p = xmalloc((size_t)n + 1);
	if (fread(p, 1, (size_t)n, fp) != (size_t)n) {
		free(p);
		p = NULL;
	}
	fclose(fp);
	*lenp = (size_t)n;
	return p;
}

static void
spit(const char *path, const void *p, size_t n)
{
	FILE *fp = fopen(path, "wb");

	if (fp == NULL)
		return;
	if (n > 0)
		(void)fwrite(p, 1, n, fp);
	fclose(fp);
}

/* Loads path; 1 if refused with ERR_FORMAT and a cause containing want. */
static int
refused(const char *path, const char *want, char **causep)
{
	struct model *m = NULL;
	int r;

	free(*causep);
	*causep = NULL;
	r = model_load(path, &m, causep);
	if (r == 0) {
		model_free(m);
		return 0;
	}
	return r == ERR_FORMAT && m == NULL && *causep != NULL &&
	    strstr(*causep, want) != NULL;
}

/* Rewrites the CRC of a file image after an edit. */
static void
fix_crc(unsigned char *p, size_t len)
{
	uint32_t c;

	memset(p + 56, 0, 4);
	c = wnm_crc32(0, p, len);
	p[56] = (unsigned char)c;
	p[57] = (unsigned char)(c >> 8);
	p[58] = (unsigned char)(c >> 16);
	p[59] = (unsigned char)(c >> 24);
}

static int
same_scores(struct model *a, struct model *b, const struct feat_step *s,
    double tol)
{
	const nn_real *sa, *sb;
	nn_real *copy;
	int M = s->N + FEAT_NPSEUDO, i, same = 1;

	if (nn_forward(model_run(a), s, &sa) != 0)
		return 0;
	copy = xcalloc((size_t)M, sizeof(*copy));
	memcpy(copy, sa, (size_t)M * sizeof(*copy));
	if (nn_forward(model_run(b), s, &sb) != 0) {
		free(copy);
		return 0;
	}
	for (i = 0; i < M; i++) {
		if (!s->row_mask[i])
			continue;
		if (tol <= 0 ? memcmp(&copy[i], &sb[i], sizeof(*sb)) != 0 :
		    fabs((double)copy[i] - (double)sb[i]) > tol)
			same = 0;
	}
	free(copy);
	return same;
}

static void
test_file(struct model *m, struct task *ts)
{
	char path[512], bad[512], *cause = NULL;
	struct model *m2 = NULL;
	struct wnm *w;
	struct stat st32, st16;
	unsigned char *img, *cp;
	size_t len, i;
	uint32_t shape[2] = { 2, 3 };
	float six[6] = { 0 };
	int r, crashes = 0, loaded = 0;

	snprintf(path, sizeof(path), "%s/m.wnm", tmpdir);
	snprintf(bad, sizeof(bad), "%s/bad.wnm", tmpdir);
	r = model_save(m, path, 0, &cause);
	is_int(r, 0, "save fp32 (%s)", cause ? cause : "ok");
	r = model_load(path, &m2, &cause);
	is_int(r, 0, "load (%s)", cause ? cause : "ok");
	if (r != 0)
		return;
	ok(nn_checksum(model_nn(m2)) == nn_checksum(model_nn(m)),
	    "round trip: identical weights");
	for (i = 0, r = 1; i < NTASK; i++)
		r &= same_scores(m, m2, ts[i].s, 0);
	ok(r, "round trip: identical scores on all 16 steps");
	ok(memcmp(model_feat_config(m2), model_feat_config(m),
	    sizeof(struct feat_config)) == 0, "featuriser settings restored");
	model_free(m2);
	m2 = NULL;
	(void)stat(path, &st32);

	snprintf(bad, sizeof(bad), "%s/m16.wnm", tmpdir);
	r = model_save(m, bad, 1, &cause);
	(void)stat(bad, &st16);
	ok(r == 0 && model_load(bad, &m2, &cause) == 0, "fp16 table: save, "
	    "load");
	note("file sizes: fp32 %lld bytes, fp16 table %lld bytes",
	    (long long)st32.st_size, (long long)st16.st_size);
	ok(st16.st_size < st32.st_size * 6 / 10, "fp16 table halves the file");
	for (i = 0, r = 1; m2 != NULL && i < NTASK; i++)
		r &= same_scores(m, m2, ts[i].s, 0.05);
	ok(m2 != NULL && r, "fp16 table: scores within 0.05");
	model_free(m2);
	m2 = NULL;

	/* Broken files: each refused with its own cause, no crash. */
	img = slurp(path, &len);
	ok(img != NULL && len > 1000, "read back %zu bytes", len);
	if (img == NULL)
		return;
	snprintf(bad, sizeof(bad), "%s/bad.wnm", tmpdir);
	spit(bad, img, len / 2);
	r = refused(bad, "truncated", &cause);
	ok(r, "truncated file: %s", cause);
	spit(bad, img, 40);
	r = refused(bad, "truncated", &cause);
	ok(r, "truncated header: %s", cause);
	spit(bad, img, 0);
	r = refused(bad, "truncated", &cause);
	ok(r, "empty file: %s", cause);
	cp = xmalloc(len + 16);
	memcpy(cp, img, len);
	cp[len / 2] ^= 0x40;
	spit(bad, cp, len);
	r = refused(bad, "checksum mismatch", &cause);
	ok(r, "flipped bit: %s", cause);
	memcpy(cp, img, len);
	memcpy(cp, "GGUF", 4);
	spit(bad, cp, len);
	r = refused(bad, "bad magic", &cause);
	ok(r, "wrong magic: %s", cause);
	memcpy(cp, img, len);
	cp[4] = 2;
	spit(bad, cp, len);
	r = refused(bad, "version 2", &cause);
	ok(r, "wrong version: %s", cause);
	memcpy(cp, img, len);
	memset(cp + len, 0, 16);
	spit(bad, cp, len + 16);
	r = refused(bad, "header says", &cause);
	ok(r, "trailing bytes: %s", cause);
	/* Valid checksum, broken structure: a tensor past the end. */
	memcpy(cp, img, len);
	{
		size_t dir = (size_t)cp[40] | (size_t)cp[41] << 8 |
		    (size_t)cp[42] << 16 | (size_t)cp[43] << 24;

		cp[dir + 72 + 6] = 0x7f;
	}
	fix_crc(cp, len);
	spit(bad, cp, len);
	r = refused(bad, "outside the file", &cause);
	ok(r, "tensor outside the "
	    "file: %s", cause);
	free(cp);
	/* Shape mismatch and a missing key, written by wnm itself. */
	w = wnm_new();
	(void)wnm_set_u32(w, "model.version", MODEL_VERSION);
	(void)wnm_add(w, "emb", WNM_F32, 2, shape, six);
	(void)wnm_save(w, bad, NULL);
	wnm_free(w);
	r = refused(bad, "missing", &cause);
	ok(r, "missing settings: %s", cause);
	{
		struct wnm *src = NULL;
		struct wnm_info info;
		float *buf;

		(void)wnm_load(path, &src, NULL);
		w = wnm_new();
		/* Copy everything, but one tensor one row short. */
		for (i = 0; src != NULL && i < wnm_ntensors(src); i++) {
			(void)wnm_tensor(src, i, &info);
			buf = xcalloc(info.nelem, sizeof(float));
			(void)wnm_read(src, info.name, info.ndim, info.shape,
			    buf, NULL);
			if (strcmp(info.name, "sc2.w") == 0)
				info.shape[0]--;
			(void)wnm_add(w, info.name, WNM_F32, info.ndim,
			    info.shape, buf);
			free(buf);
		}
		{
			static const char *const keys[] = { "model.version",
			    "feat.version", "feat.hash_bits", "feat.dim",
			    "feat.ngram_min", "feat.ngram_max",
			    "feat.cat_bits", "feat.type_bits",
			    "feat.max_instr", "feat.max_marks",
			    "feat.max_bag", "feat.max_hist",
			    "feat.max_options", "feat.span_max", "feat.seed",
			    "feat.bigrams", "nn.d", "nn.hash_rows",
			    "nn.cat_rows", "nn.type_rows", "nn.dtag",
			    "nn.drole", "nn.dtype", "nn.dh", "nn.du",
			    "nn.ds1", "nn.ds2", "nn.dg", "nn.dop", "nn.dsp",
			    "nn.dlen", "nn.span_max", "nn.dopt", "nn.nlex",
			    "nn.ndense", "nn.nstep", "nn.ntokf",
			    "nn.noptlex", NULL };
			uint32_t v;

			for (i = 0; keys[i] != NULL; i++)
				if (wnm_get_u32(src, keys[i], &v) == 0)
					(void)wnm_set_u32(w, keys[i], v);
		}
		(void)wnm_save(w, bad, NULL);
		wnm_free(w);
		r = refused(bad, "shape mismatch", &cause);
		ok(r, "shape mismatch: %s", cause);
		wnm_free(src);
	}
	free(cause);
	cause = NULL;
	r = model_load("/nonexistent/x.wnm", &m2, &cause);
	ok(r == ERR_NOTFOUND && cause != NULL, "missing file: %s", cause);
	free(cause);
	cause = NULL;

	/* Random damage with a valid checksum: errors, never crashes. */
	cp = xmalloc(len);
	for (i = 0; i < 300; i++) {
		size_t pos = i < 150 ? (i * 7) % 1024 :
		    (size_t)(((uint64_t)i * 2654435761u) % len);

		memcpy(cp, img, len);
		cp[pos] ^= (unsigned char)(1u << (i % 8));
		if (pos < 56 || pos >= 60)
			fix_crc(cp, len);
		r = model_load_mem(cp, len, &m2, &cause);
		if (r == 0) {
			loaded++;
			model_free(m2);
			m2 = NULL;
		} else if (cause == NULL)
			crashes++;
		free(cause);
		cause = NULL;
	}
	is_int(crashes, 0, "300 damaged images: every refusal explained "
	    "(%d still loaded: damage in weights)", loaded);
	free(cp);
	free(img);
	(void)unlink(path);
	(void)unlink(bad);
	snprintf(bad, sizeof(bad), "%s/m16.wnm", tmpdir);
	(void)unlink(bad);
}

/* The ranker policy on tasks the model was trained on. */
static void
test_ranker(struct model *m, struct task *ts)
{
	struct policy_params pp;
	struct policy_ctx ctx;
	struct policy_decision d;
	struct policy_hist ph;
	char path[512], *cause = NULL;
	void *self = NULL;
	int r;

	snprintf(path, sizeof(path), "%s/r.wnm", tmpdir);
	if (model_save(m, path, 1, NULL) != 0) {
		ok(0, "ranker: save weights");
		return;
	}
	memset(&pp, 0, sizeof(pp));
	/* Set but empty: not even the bundled model. */
	(void)setenv("WEBNAV_MODEL", "", 1);
	r = policy_ranker_new(&pp, &self, &cause);
	ok(r == ERR_NOTFOUND && self == NULL && cause != NULL,
	    "ranker without weights: %s", cause ? cause : "");
	free(cause);
	cause = NULL;
	pp.model_path = path;
	r = policy_ranker_new(&pp, &self, &cause);
	is_int(r, 0, "ranker loads %s", cause ? cause : "its weights");
	if (r != 0)
		return;
	is_str(policy_ranker_ops.name, "ranker", "policy name");

	memset(&ctx, 0, sizeof(ctx));
	ctx.instr = ts[9].instr;
	ctx.obs = ts[9].o;
	r = policy_ranker_ops.decide(self, &ctx, &d, &cause);
	ok(r == 0 && d.act.op == ACT_TYPE &&
	    d.act.mark == ts[9].s->mark_id[ts[9].y.gold[0]] &&
	    d.act.value != NULL && strcmp(d.act.value, ts[9].want_value) == 0,
	    "ranker: TYPE [%d] \"%s\" for \"%s\"", d.act.mark,
	    d.act.value ? d.act.value : "", ts[9].instr);
	ok(d.ntop >= 2 && d.score > 0 && d.score <= 1 &&
	    d.top[0].score >= d.top[1].score, "ranker: scored alternatives");
	policy_decision_clear(&d);

	ctx.instr = ts[12].instr;
	ctx.obs = ts[12].o;
	r = policy_ranker_ops.decide(self, &ctx, &d, &cause);
	ok(r == 0 && d.act.op == ACT_SELECT && d.act.value != NULL &&
	    strcmp(d.act.value, sizes[ts[12].y.option]) == 0,
	    "ranker: SELECT \"%s\"", d.act.value ? d.act.value : "");
	policy_decision_clear(&d);

	memset(&ph, 0, sizeof(ph));
	ph.act.op = ACT_CLICK;
	ph.act.mark = 3;
	ph.desc = (char *)(uintptr_t)ts[14].h[0].desc;
	ctx.instr = ts[14].instr;
	ctx.obs = ts[14].o;
	ctx.hist = &ph;
	ctx.nhist = 1;
	r = policy_ranker_ops.decide(self, &ctx, &d, &cause);
	ok(r == 0 && d.act.op == ACT_DONE, "ranker: DONE after the click");
	policy_decision_clear(&d);
	policy_ranker_ops.free(self);
	(void)unlink(path);
}

/*
 * nn_forward() takes its own, cheaper paths (distinct rows through the
 * encoder once, zero feature columns left out, BLAS adding to the bias):
 * its scores must be those of the training pass.  For every row g of
 * every task, the training pass's mark loss with gold g is
 * logsumexp(scores) - scores[g]; the inference scores must give the
 * same, to float rounding.
 */
static void
test_infer_matches_train(struct model *m, struct task *ts)
{
	struct nn_label y;
	struct nn_loss_w w = { 1, 0, 0, 0 };
	struct nn_losses L;
	const nn_real *sc;
	double *keep, lse, mx, want, worst = 0;
	int i, g, rows, n = 0, bad = 0;

	for (i = 0; i < NTASK; i++) {
		rows = ts[i].s->N + FEAT_NPSEUDO;
		if (nn_forward(model_run(m), ts[i].s, &sc) != 0) {
			bad++;
			continue;
		}
		keep = xcalloc((size_t)rows, sizeof(*keep));
		for (g = 0; g < rows; g++)
			keep[g] = (double)sc[g];
		for (g = 0, mx = -HUGE_VAL; g < rows; g++)
			if (keep[g] > mx)
				mx = keep[g];
		for (g = 0, lse = 0; g < rows; g++)
			if (isfinite(keep[g]))
				lse += exp(keep[g] - mx);
		lse = mx + log(lse);
		for (g = 0; g < rows; g++) {
			if (!isfinite(keep[g]))
				continue;
			memset(&y, 0, sizeof(y));
			y.ngold = 1;
			y.gold[0] = g;
			y.op = -1;
			y.span_start = y.span_end = -1;
			y.option = -1;
			if (nn_loss(model_run(m), ts[i].s, &y, &w, NULL,
			    &L) != 0) {
				bad++;
				continue;
			}
			want = lse - keep[g];
			if (fabs(L.el - want) > worst)
				worst = fabs(L.el - want);
			if (fabs(L.el - want) > 1e-4 * (1 + fabs(want)))
				bad++;
			n++;
		}
		free(keep);
	}
	ok(n > NTASK * 10 && bad == 0, "inference scores are the training "
	    "pass's: %d rows of %d steps, largest loss difference %.2g", n,
	    NTASK, worst);
}

int
main(void)
{
	struct feat_config fc;
	struct task ts[NTASK];
	struct model *m = NULL;
	int i;

	openblas_set_num_threads(1);
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test-model.XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		skip_all("no temporary directory");
	test_tokenizer();
	test_hashing();
	test_features();
	test_features_verbs();
	test_features_ctx();
	test_features_reach();
	test_features_synonyms();
	test_feat_synonym();
	test_value_reference();
	test_value_word();
	test_wnm_basics();

	feat_default_config(&fc);
	for (i = 0; i < NTASK; i++)
		make_task(&fc, i, &ts[i]);
	test_overfit(&m, ts);
	if (m != NULL) {
		test_infer_matches_train(m, ts);
		test_file(m, ts);
		test_ranker(m, ts);
	}
	test_determinism(ts);
	model_free(m);
	for (i = 0; i < NTASK; i++)
		free_task(&ts[i]);
	(void)rmdir(tmpdir);
	return done_testing();
}
