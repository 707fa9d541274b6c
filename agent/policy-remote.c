/*
 * policy-remote.c: "remote", a vision-language model behind an
 * OpenAI-compatible chat endpoint (see remote.h).
 *
 * One decision: score the marks (the ranker when it has weights, else
 * the lexical policy), keep the top_k, draw only those on the
 * screenshot, scale it down, and POST the prompt (system: the action
 * grammar; user: goal, page, history, the shortlisted marks with their
 * text, the image).  HTTP failures that may pass (429, 5xx, timeouts,
 * refused connections) are retried with backoff; an answer that is not
 * one usable action is asked again once with the reason, then the step
 * fails with both answers' faults.  Usage (tokens as the server reports
 * them, plus our own estimate) and latency go to the decision's info and
 * to the process-wide counters of remote_get_stats().
 *
 * A policy instance is used by one thread at a time (it holds a curl
 * handle and, through the ranker, a model workspace).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "action.h"
#include "buf.h"
#include "err.h"
#include "img.h"
#include "log.h"
#include "observe.h"
#include "policy.h"
#include "remote.h"
#include "som.h"
#include "task.h"
#include "xmalloc.h"

#define RM_PROMPT_MAX	(256 * 1024)	/* bytes of the prompt's text */
#define RM_REQUEST_MAX	(64 * 1024 * 1024)	/* bytes of a request */
#define RM_MARK_TEXT	120	/* bytes of a mark's text in the list */
#define RM_CTX_TEXT	80	/* bytes of the text of its row or card */
#define RM_OPTIONS	20	/* options listed per select */
#define RM_OPTION_TEXT	40
#define RM_ANSWER_KEEP	1000	/* bytes of an answer kept in info */
#define RM_BODY_QUOTE	300	/* bytes of an error body quoted */
#define RM_BACKOFF_MAX	30000	/* ms */
#define RM_RETRY_AFTER_MAX 60	/* s */
#define RM_PATCH	28	/* image px per estimated token */
#define RM_BYTES_TOKEN	4	/* text bytes per estimated token */

static const char rm_system_prompt[] =
    "You operate a web browser to carry out a user's task. Each turn you "
    "get the task, the page's address, the steps taken so far, a "
    "screenshot in which a few interactive elements are outlined and "
    "numbered, and the list of those elements with their text; in \"...\" "
    "after an element gives the text of the table row, card or form "
    "section it belongs to.\n"
    "Answer with exactly one action on one line, in this grammar:\n"
    "  CLICK [N]                click element N\n"
    "  TYPE [N] \"text\"          replace the content of field N with "
    "text\n"
    "  TYPE [N] \"text\" SUBMIT   the same, then press Enter\n"
    "  SELECT [N] \"option\"      choose that option of element N\n"
    "  HOVER [N]                move the mouse over element N\n"
    "  PRESS Key                press a key: Enter, Escape, Tab, "
    "ArrowDown, Ctrl+a, ...\n"
    "  SCROLL down              or SCROLL up, to see more of the page\n"
    "  BACK                     go back to the previous page\n"
    "  DONE                     the task is complete\n"
    "N must be one of the listed element numbers. Quote text with double "
    "quotes and escape \" and \\ inside it with a backslash. If the "
    "element you need is not listed, SCROLL or act on the page to reach "
    "it. Reply with the action only.";

/* Reads the first line of path as the API key (allocated). */
static int
rm_read_key(const char *path, char **keyp, char **causep)
{
	char buf[REMOTE_KEY_MAX + 2];
	size_t n;
	FILE *f;

	*keyp = NULL;
	if ((f = fopen(path, "re")) == NULL) {
		*causep = xasprintf("remote api_key_file %s: %s", path,
		    strerror(errno));
		return ERR_IO;
	}
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == ' ' || buf[n - 1] == '\t'))
		buf[--n] = '\0';
	if (n == 0 || n > REMOTE_KEY_MAX) {
		explicit_bzero(buf, sizeof(buf));
		*causep = xasprintf("remote api_key_file %s: %s", path,
		    n == 0 ? "empty" : "key too long");
		return ERR_INVALID;
	}
	*keyp = xstrdup(buf);
	explicit_bzero(buf, sizeof(buf));
	return 0;
}

/* ---------------------------------------------------------------------- */
/* The policy.                                                            */

static pthread_once_t rm_curl_once = PTHREAD_ONCE_INIT;
static int rm_curl_ok;

/* Initialises libcurl once per process. */
static void
rm_curl_init(void)
{
	rm_curl_ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

struct rm_policy {
	struct remote_params	 p;	/* strings below */
	char			*endpoint;
	char			*model;
	char			*url;	/* .../chat/completions */
	char			*key;	/* NULL: none */
	char			*auth;	/* "Authorization: Bearer KEY" */
	void			*ranker;	/* NULL: lexical scores */
	CURL			*curl;
};

/* One shortlisted mark. */
struct rm_cand {
	const struct mark	*m;
	double			 score;
	int			 overlap;	/* tie-break: words shared
						   with the instruction */
};

/* The prompt of one decision and what it costs. */
struct rm_prompt {
	char		*text;		/* the user message's text */
	char		*image;		/* data URL, or NULL */
	int		 img_w, img_h;
	size_t		 img_bytes;	/* PNG bytes */
	struct rm_cand	*cand;		/* shortlist, in mark order */
	size_t		 ncand;
};

/* A reply of the endpoint. */
struct rm_reply {
	long		 status;	/* 0: none */
	struct buf	 body;
	int		 toobig;
	long		 retry_after;	/* seconds, -1 if none */
	char		 err[CURL_ERROR_SIZE];
	CURLcode	 cc;
};

static double
rm_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void
rm_sleep_ms(long ms)
{
	struct timespec ts;

	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* Orders candidates by score, best first, ties to the lower mark id. */
static int
rm_cand_by_score(const void *a, const void *b)
{
	const struct rm_cand *x = a, *y = b;

	if (x->score > y->score)
		return -1;
	if (x->score < y->score)
		return 1;
	if (x->overlap != y->overlap)
		return x->overlap > y->overlap ? -1 : 1;
	return (x->m->id > y->m->id) - (x->m->id < y->m->id);
}

#define RM_WORDS	64	/* instruction words compared */
#define RM_WORD_LEN	24

/* Words too common to tell marks apart. */
static int
rm_stopword(const char *w)
{
	static const char *const stop[] = { "and", "are", "for", "from",
	    "into", "its", "that", "the", "then", "this", "with", "you",
	    "your" };
	size_t i;

	for (i = 0; i < sizeof(stop) / sizeof(stop[0]); i++)
		if (strcmp(w, stop[i]) == 0)
			return 1;
	return 0;
}

/*
 * Splits s into distinct lower-case ASCII words of 3 to RM_WORD_LEN - 1
 * letters or digits (longer ones cut), stopwords left out, at most max of
 * them; returns how many.
 */
static int
rm_words(const char *s, char w[][RM_WORD_LEN], int max)
{
	int n = 0, len = 0, i, dup;

	for (;; s++) {
		if (*s != '\0' && isalnum((unsigned char)*s)) {
			if (len < RM_WORD_LEN - 1 && n < max)
				w[n][len++] = (char)tolower((unsigned char)*s);
			continue;
		}
		if (len >= 3 && n < max) {
			w[n][len] = '\0';
			for (i = 0, dup = 0; i < n && !dup; i++)
				dup = strcmp(w[i], w[n]) == 0;
			if (!dup && !rm_stopword(w[n]))
				n++;
		}
		len = 0;
		if (*s == '\0')
			return n;
	}
}

/*
 * How many of the instruction's words occur in the mark's text, label,
 * placeholder or aria-label: breaks the ties of scores that are zero for
 * most marks (the lexical policy's), before reading order does.
 */
static int
rm_overlap(char iw[][RM_WORD_LEN], int ni, const struct mark *m)
{
	char mw[RM_WORDS][RM_WORD_LEN];
	const char *f[4];
	const cJSON *a;
	int i, j, k, nm, n = 0;
	unsigned long long hit = 0;	/* instruction words found */

	f[0] = m->text;
	f[1] = m->label;
	a = cJSON_GetObjectItemCaseSensitive(m->attrs, "placeholder");
	f[2] = cJSON_IsString(a) ? a->valuestring : NULL;
	a = cJSON_GetObjectItemCaseSensitive(m->attrs, "aria-label");
	f[3] = cJSON_IsString(a) ? a->valuestring : NULL;
	for (k = 0; k < 4; k++) {
		if (f[k] == NULL)
			continue;
		nm = rm_words(f[k], mw, RM_WORDS);
		for (i = 0; i < ni; i++)
			for (j = 0; j < nm && !(hit >> i & 1); j++)
				if (strcmp(iw[i], mw[j]) == 0)
					hit |= 1ULL << i;
	}
	for (i = 0; i < ni; i++)
		n += (int)(hit >> i & 1);
	return n;
}

/* Orders candidates by mark id (reading order). */
static int
rm_cand_by_id(const void *a, const void *b)
{
	const struct rm_cand *x = a, *y = b;

	return (x->m->id > y->m->id) - (x->m->id < y->m->id);
}

/* Scores the marks and keeps the top_k (all for 0), in reading order. */
static int
rm_shortlist(struct rm_policy *rp, const struct policy_ctx *ctx,
    struct rm_prompt *pr, char **causep)
{
	const struct obs *o = ctx->obs;
	struct rm_cand *c;
	char (*iw)[RM_WORD_LEN];
	double *sc;
	size_t i, k;
	int r, ni;

	if (o->nmarks == 0)
		return 0;
	sc = xcalloc(o->nmarks, sizeof(*sc));
	if (rp->ranker != NULL)
		r = policy_ranker_scores(rp->ranker, ctx, sc, causep);
	else
		r = policy_lexical_scores(ctx, sc, causep);
	if (r != 0) {
		free(sc);
		return r;
	}
	c = xcalloc(o->nmarks, sizeof(*c));
	iw = xcalloc(RM_WORDS, sizeof(*iw));
	ni = rm_words(ctx->instr != NULL ? ctx->instr : "", iw, RM_WORDS);
	for (i = 0; i < o->nmarks; i++) {
		c[i].m = &o->marks[i];
		c[i].score = sc[i];
		c[i].overlap = rm_overlap(iw, ni, c[i].m);
	}
	free(iw);
	free(sc);
	k = rp->p.top_k > 0 ? (size_t)rp->p.top_k : REMOTE_TOP_K_MAX;
	if (k > o->nmarks)
		k = o->nmarks;
	qsort(c, o->nmarks, sizeof(*c), rm_cand_by_score);
	qsort(c, k, sizeof(*c), rm_cand_by_id);
	pr->cand = c;
	pr->ncand = k;
	return 0;
}

/*
 * The length of s cut to at most max bytes, never inside a UTF-8
 * sequence; with words, at the last space past half of max when there is
 * one, so that no word is shown in part.
 */
static size_t
rm_cut(const char *s, size_t max, int words)
{
	size_t n = strlen(s), k;

	if (n <= max)
		return n;
	if (words)
		for (k = max; k > max / 2; k--)
			if (s[k] == ' ') {
				while (k > 0 && s[k - 1] == ' ')
					k--;
				return k;
			}
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

/* Appends the first n bytes of s quoted, with "..." when s is longer. */
static void
rm_quoted_n(struct buf *b, const char *s, size_t n)
{
	size_t i;

	(void)buf_puts(b, "\"");
	for (i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\')
			(void)buf_add(b, "\\", 1);
		if (s[i] == '\n' || s[i] == '\t')
			(void)buf_add(b, " ", 1);
		else
			(void)buf_add(b, &s[i], 1);
	}
	(void)buf_puts(b, s[n] != '\0' ? "...\"" : "\"");
}

/* Appends s (at most max bytes, not cutting a UTF-8 sequence) quoted. */
static void
rm_quoted(struct buf *b, const char *s, size_t max)
{
	if (s == NULL)
		s = "";
	rm_quoted_n(b, s, rm_cut(s, max, 0));
}

/*
 * One line of the mark list: [N] role "text" and what else helps, such as
 * in "..." (the text of its row, card or form section, cut at a word).
 */
static void
rm_mark_line(struct buf *b, const struct mark *m)
{
	const cJSON *a;
	size_t i;

	(void)buf_printf(b, "[%d] %s ", m->id, m->role != NULL &&
	    m->role[0] != '\0' ? m->role : m->tag);
	rm_quoted(b, m->text, RM_MARK_TEXT);
	if (m->label != NULL && m->label[0] != '\0' &&
	    (m->text == NULL || strcmp(m->label, m->text) != 0)) {
		(void)buf_puts(b, " label=");
		rm_quoted(b, m->label, RM_MARK_TEXT);
	}
	if (m->editable && (a = cJSON_GetObjectItemCaseSensitive(m->attrs,
	    "placeholder")) != NULL && cJSON_IsString(a) &&
	    a->valuestring[0] != '\0' && (m->text == NULL ||
	    strcmp(a->valuestring, m->text) != 0)) {
		(void)buf_puts(b, " placeholder=");
		rm_quoted(b, a->valuestring, RM_MARK_TEXT);
	}
	/* Which row, card or section: tells apart the "Delete" buttons. */
	if (m->ctx != NULL && m->ctx[0] != '\0' && (m->text == NULL ||
	    strcmp(m->ctx, m->text) != 0) && (m->label == NULL ||
	    strcmp(m->ctx, m->label) != 0)) {
		(void)buf_puts(b, " in ");
		rm_quoted_n(b, m->ctx, rm_cut(m->ctx, RM_CTX_TEXT, 1));
	}
	if (m->type != NULL && m->type[0] != '\0' &&
	    strcmp(m->type, "text") != 0)
		(void)buf_printf(b, " type=%s", m->type);
	if (m->editable && m->value != NULL && m->value[0] != '\0') {
		(void)buf_puts(b, " value=");
		rm_quoted(b, m->value, RM_MARK_TEXT);
	}
	if (m->noptions > 0) {
		(void)buf_puts(b, " options:");
		for (i = 0; i < m->noptions && i < RM_OPTIONS; i++) {
			(void)buf_puts(b, i == 0 ? " " : ", ");
			rm_quoted(b, m->options[i], RM_OPTION_TEXT);
		}
		if (m->noptions > RM_OPTIONS)
			(void)buf_printf(b, ", ... (%zu in all)",
			    m->noptions);
		if (m->option_selected >= 0 &&
		    (size_t)m->option_selected < m->noptions) {
			(void)buf_puts(b, " selected=");
			rm_quoted(b, m->options[m->option_selected],
			    RM_OPTION_TEXT);
		}
	}
	if (m->checked >= 0)
		(void)buf_puts(b, m->checked ? " checked" : " unchecked");
	if (m->selected == 1)
		(void)buf_puts(b, " selected");
	if (m->disabled)
		(void)buf_puts(b, " disabled");
	if (m->focused)
		(void)buf_puts(b, " focused");
	if (m->change == MARK_NEW && m->prev == 0)
		(void)buf_puts(b, " new");
	(void)buf_puts(b, "\n");
}

/* The user message's text. */
static int
rm_prompt_text(const struct policy_ctx *ctx, struct rm_prompt *pr,
    char **causep)
{
	const struct obs *o = ctx->obs;
	const struct task *t = ctx->task;
	const struct policy_hist *h;
	struct buf b;
	char *act;
	size_t i, from;
	int can_down;

	buf_init(&b, RM_PROMPT_MAX);
	(void)buf_printf(&b, "Task: %s\n", ctx->instr != NULL ?
	    ctx->instr : "");
	if (t != NULL && t->mode == TASK_STEPS && t->goal != NULL &&
	    t->goal[0] != '\0')
		(void)buf_printf(&b, "(This is step %d of a longer task: "
		    "%s)\n", ctx->instr_index + 1, t->goal);
	(void)buf_puts(&b, "Page: ");
	rm_quoted(&b, o->title, 200);
	(void)buf_printf(&b, " at %s\n", o->url != NULL ? o->url : "");
	can_down = o->page_h > o->scroll_y + o->vh + 1;
	(void)buf_printf(&b, "Scrolled %s%s.\n", o->scroll_y > 0 ?
	    "down" : "to the top", can_down ? "; more of the page is below" :
	    "; the end of the page is in view");
	(void)buf_puts(&b, "Steps so far:");
	if (ctx->nhist == 0)
		(void)buf_puts(&b, " none\n");
	else
		(void)buf_puts(&b, "\n");
	from = ctx->nhist > REMOTE_HISTORY_MAX ?
	    ctx->nhist - REMOTE_HISTORY_MAX : 0;
	for (i = from; i < ctx->nhist; i++) {
		h = &ctx->hist[i];
		act = action_format(&h->act);
		(void)buf_printf(&b, "%zu. %s", i + 1, act);
		free(act);
		if (h->desc != NULL && h->desc[0] != '\0')
			(void)buf_printf(&b, " on %s", h->desc);
		if (h->url != NULL && h->url[0] != '\0')
			(void)buf_printf(&b, " (at %s)", h->url);
		(void)buf_puts(&b, "\n");
	}
	if (pr->ncand == 0)
		(void)buf_puts(&b, "No interactive elements are visible.\n");
	else if (pr->ncand < o->nmarks)
		(void)buf_printf(&b, "Elements (the %zu most relevant of %zu "
		    "on screen, numbered in the screenshot):\n", pr->ncand,
		    o->nmarks);
	else
		(void)buf_printf(&b, "Elements (all %zu on screen, numbered "
		    "in the screenshot):\n", pr->ncand);
	for (i = 0; i < pr->ncand; i++)
		rm_mark_line(&b, pr->cand[i].m);
	if (buf_puts(&b, "Reply with one action.") != 0) {
		buf_free(&b);
		*causep = xstrdup("remote: prompt too large");
		return ERR_TOOBIG;
	}
	pr->text = buf_steal(&b, NULL);
	return 0;
}

/* Base64 of n bytes of p (allocated, NUL-terminated) after prefix. */
static char *
rm_base64(const char *prefix, const unsigned char *p, size_t n)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t pl = strlen(prefix), i, j = 0;
	char *s = xmalloc(pl + (n + 2) / 3 * 4 + 1);
	unsigned v;

	memcpy(s, prefix, pl);
	j = pl;
	for (i = 0; i + 2 < n; i += 3) {
		v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
		s[j++] = tab[v >> 18];
		s[j++] = tab[(v >> 12) & 63];
		s[j++] = tab[(v >> 6) & 63];
		s[j++] = tab[v & 63];
	}
	if (i < n) {
		v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 :
		    0);
		s[j++] = tab[v >> 18];
		s[j++] = tab[(v >> 12) & 63];
		s[j++] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
		s[j++] = '=';
	}
	s[j] = '\0';
	return s;
}

/*
 * The Set-of-Mark image of the shortlist: the screenshot with only those
 * marks drawn, scaled so that its longest side is at most image_size.
 */
static int
rm_prompt_image(struct rm_policy *rp, const struct obs *o,
    struct rm_prompt *pr, char **causep)
{
	struct img im, sm;
	struct som_mark *sk = NULL;
	struct som_params sp;
	unsigned char *png = NULL;
	size_t len = 0, i;
	int w, h, r = ERR_INTERNAL;

	memset(&im, 0, sizeof(im));
	memset(&sm, 0, sizeof(sm));
	if (rp->p.image_size == 0 || o->png == NULL || o->png_len == 0)
		return 0;
	if ((r = img_decode_png(o->png, o->png_len, 0, &im)) != 0) {
		*causep = xasprintf("remote: screenshot: %s", err_str(r));
		goto out;
	}
	sk = xcalloc(pr->ncand + 1, sizeof(*sk));
	for (i = 0; i < pr->ncand; i++) {
		sk[i].id = pr->cand[i].m->id;
		sk[i].x = pr->cand[i].m->x;
		sk[i].y = pr->cand[i].m->y;
		sk[i].w = pr->cand[i].m->w;
		sk[i].h = pr->cand[i].m->h;
	}
	som_default_params(&sp);
	sp.scale = o->scale > 0 ? o->scale : (double)im.w / (o->vw > 0 ?
	    o->vw : im.w);
	if ((r = som_draw(&im, sk, pr->ncand, &sp, NULL)) != 0) {
		*causep = xasprintf("remote: drawing marks: %s", err_str(r));
		goto out;
	}
	w = im.w;
	h = im.h;
	if (w > rp->p.image_size || h > rp->p.image_size) {
		if (w >= h) {
			h = (int)((long long)h * rp->p.image_size / w);
			w = rp->p.image_size;
		} else {
			w = (int)((long long)w * rp->p.image_size / h);
			h = rp->p.image_size;
		}
		if (w < 1)
			w = 1;
		if (h < 1)
			h = 1;
		if ((r = img_scale(&im, w, h, &sm)) != 0) {
			*causep = xasprintf("remote: scaling the image: %s",
			    err_str(r));
			goto out;
		}
		img_free(&im);
		im = sm;
		memset(&sm, 0, sizeof(sm));
	}
	if ((r = img_encode_png(&im, &png, &len)) != 0) {
		*causep = xasprintf("remote: encoding the image: %s",
		    err_str(r));
		goto out;
	}
	pr->image = rm_base64("data:image/png;base64,", png, len);
	pr->img_w = im.w;
	pr->img_h = im.h;
	pr->img_bytes = len;
	r = 0;
out:
	img_free(&im);
	img_free(&sm);
	free(sk);
	free(png);
	return r;
}

static void
rm_prompt_clear(struct rm_prompt *pr)
{
	free(pr->text);
	free(pr->image);
	free(pr->cand);
	memset(pr, 0, sizeof(*pr));
}

/*
 * The documented token estimate: one token per RM_BYTES_TOKEN bytes of
 * text (system prompt, user text), one per RM_PATCH x RM_PATCH pixels of
 * image (Qwen2-VL's rate after merging patches).
 */
static long long
rm_estimate(const struct rm_prompt *pr)
{
	long long t;

	t = (long long)((strlen(rm_system_prompt) + strlen(pr->text) +
	    RM_BYTES_TOKEN - 1) / RM_BYTES_TOKEN);
	if (pr->image != NULL)
		t += (long long)((pr->img_w + RM_PATCH - 1) / RM_PATCH) *
		    ((pr->img_h + RM_PATCH - 1) / RM_PATCH);
	return t;
}

/* The chat messages of the first request. */
static cJSON *
rm_messages(const struct rm_prompt *pr)
{
	cJSON *msgs, *m, *content, *part, *iu;

	msgs = cJSON_CreateArray();
	m = cJSON_CreateObject();
	cJSON_AddStringToObject(m, "role", "system");
	cJSON_AddStringToObject(m, "content", rm_system_prompt);
	cJSON_AddItemToArray(msgs, m);
	m = cJSON_CreateObject();
	cJSON_AddStringToObject(m, "role", "user");
	content = cJSON_AddArrayToObject(m, "content");
	part = cJSON_CreateObject();
	cJSON_AddStringToObject(part, "type", "text");
	cJSON_AddStringToObject(part, "text", pr->text);
	cJSON_AddItemToArray(content, part);
	if (pr->image != NULL) {
		part = cJSON_CreateObject();
		cJSON_AddStringToObject(part, "type", "image_url");
		iu = cJSON_AddObjectToObject(part, "image_url");
		cJSON_AddStringToObject(iu, "url", pr->image);
		cJSON_AddItemToArray(content, part);
	}
	cJSON_AddItemToArray(msgs, m);
	return msgs;
}

/* Appends reply data; refuses (aborting the transfer) past the cap. */
static size_t
rm_write(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct rm_reply *rep = arg;
	size_t n = size * nmemb;

	if (buf_add(&rep->body, ptr, n) != 0) {
		rep->toobig = 1;
		return 0;
	}
	return n;
}

/* Picks Retry-After (seconds) out of the reply's headers. */
static size_t
rm_header(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct rm_reply *rep = arg;
	size_t n = size * nmemb;
	char line[64], *end;
	long v;

	if (n > 12 && n < sizeof(line) && strncasecmp(ptr, "Retry-After:",
	    12) == 0) {
		memcpy(line, ptr + 12, n - 12);
		line[n - 12] = '\0';
		line[strcspn(line, "\r\n")] = '\0';
		errno = 0;
		v = strtol(line + strspn(line, " \t"), &end, 10);
		if (errno == 0 && end != line && *end == '\0' && v >= 0 &&
		    v <= 86400)
			rep->retry_after = v;
	}
	return n;
}

/* One POST of body; the reply (any status) in rep. */
static int
rm_post(struct rm_policy *rp, const char *body, struct rm_reply *rep)
{
	struct curl_slist *hdr = NULL;
	CURLcode cc;

	buf_reset(&rep->body);
	rep->status = 0;
	rep->toobig = 0;
	rep->retry_after = -1;
	rep->err[0] = '\0';
	curl_easy_reset(rp->curl);
	hdr = curl_slist_append(hdr, "Content-Type: application/json");
	hdr = curl_slist_append(hdr, "Expect:");
	if (rp->auth != NULL)
		hdr = curl_slist_append(hdr, rp->auth);
	if (hdr == NULL)
		return ERR_NOMEM;
	(void)curl_easy_setopt(rp->curl, CURLOPT_URL, rp->url);
#if LIBCURL_VERSION_NUM >= 0x075500
	(void)curl_easy_setopt(rp->curl, CURLOPT_PROTOCOLS_STR, "http,https");
#endif
	(void)curl_easy_setopt(rp->curl, CURLOPT_NOSIGNAL, 1L);
	(void)curl_easy_setopt(rp->curl, CURLOPT_HTTPHEADER, hdr);
	(void)curl_easy_setopt(rp->curl, CURLOPT_POSTFIELDS, body);
	(void)curl_easy_setopt(rp->curl, CURLOPT_POSTFIELDSIZE_LARGE,
	    (curl_off_t)strlen(body));
	(void)curl_easy_setopt(rp->curl, CURLOPT_TIMEOUT_MS,
	    (long)rp->p.timeout_ms);
	(void)curl_easy_setopt(rp->curl, CURLOPT_CONNECTTIMEOUT_MS,
	    (long)(rp->p.timeout_ms < 10000 ? rp->p.timeout_ms : 10000));
	(void)curl_easy_setopt(rp->curl, CURLOPT_WRITEFUNCTION, rm_write);
	(void)curl_easy_setopt(rp->curl, CURLOPT_WRITEDATA, rep);
	(void)curl_easy_setopt(rp->curl, CURLOPT_HEADERFUNCTION, rm_header);
	(void)curl_easy_setopt(rp->curl, CURLOPT_HEADERDATA, rep);
	(void)curl_easy_setopt(rp->curl, CURLOPT_ERRORBUFFER, rep->err);
	(void)curl_easy_setopt(rp->curl, CURLOPT_USERAGENT,
	    "webnav/" PACKAGE_VERSION);
	cc = curl_easy_perform(rp->curl);
	rep->cc = cc;
	(void)curl_easy_getinfo(rp->curl, CURLINFO_RESPONSE_CODE,
	    &rep->status);
	curl_slist_free_all(hdr);
	/* The header list held the key: nothing of it stays around. */
	(void)curl_easy_setopt(rp->curl, CURLOPT_HTTPHEADER, NULL);
	if (cc != CURLE_OK) {
		if (rep->toobig)
			return ERR_TOOBIG;
		rep->status = 0;
		return cc == CURLE_OPERATION_TIMEDOUT ? ERR_TIMEOUT :
		    ERR_CONNECT;
	}
	return 0;
}

/* A short, printable, key-free quote of an error body (allocated). */
static char *
rm_body_quote(const struct rm_reply *rep)
{
	const char *s = rep->body.data != NULL ? rep->body.data : "";
	char *q, *red;
	size_t n = strlen(s), i;

	if (n > RM_BODY_QUOTE)
		n = RM_BODY_QUOTE;
	q = xstrndup(s, n);
	for (i = 0; q[i] != '\0'; i++)
		if ((unsigned char)q[i] < 0x20)
			q[i] = ' ';
	if ((red = remote_redact(q)) != NULL) {
		free(q);
		q = red;
	}
	return q;
}

/*
 * POSTs body, retrying what may pass: 429, 5xx, timeouts and connection
 * failures, waiting backoff_ms, doubled each time (Retry-After wins
 * when larger).  On success rep holds a 2xx reply.
 */
static int
rm_post_retry(struct rm_policy *rp, const char *body, struct rm_reply *rep,
    int *nreqp, char **causep)
{
	long wait = rp->p.backoff_ms;
	char *q;
	int attempt, r, again;

	for (attempt = 0;; attempt++) {
		r = rm_post(rp, body, rep);
		(*nreqp)++;
		remote_count_request(r == 0 ? rep->status : 0);
		if (r == 0 && rep->status >= 200 && rep->status < 300)
			return 0;
		again = r == ERR_TIMEOUT || r == ERR_CONNECT || (r == 0 &&
		    (rep->status == 429 || rep->status >= 500));
		if (!again || attempt >= rp->p.retries) {
			if (r == ERR_TOOBIG)
				*causep = xasprintf("remote: reply over %d "
				    "bytes", REMOTE_RESPONSE_MAX);
			else if (r != 0)
				*causep = xasprintf("remote: %s: %s%s",
				    rp->url, rep->err[0] != '\0' ? rep->err :
				    curl_easy_strerror(rep->cc), attempt > 0 ?
				    " (after retries)" : "");
			else {
				q = rm_body_quote(rep);
				*causep = xasprintf("remote: HTTP %ld from %s"
				    "%s: %s", rep->status, rp->url,
				    attempt > 0 ? " (after retries)" : "", q);
				free(q);
				r = ERR_PROTOCOL;
			}
			return r;
		}
		if (rep->retry_after > wait / 1000)
			wait = (rep->retry_after > RM_RETRY_AFTER_MAX ?
			    RM_RETRY_AFTER_MAX : rep->retry_after) * 1000;
		log_info("remote: %s; retrying in %ld ms", r != 0 ? (rep->err[0]
		    != '\0' ? rep->err : err_str(r)) : rep->status == 429 ?
		    "HTTP 429 (rate limited)" : "HTTP 5xx", wait);
		rm_sleep_ms(wait);
		wait = wait * 2 > RM_BACKOFF_MAX ? RM_BACKOFF_MAX : wait * 2;
	}
}

/*
 * The answer's text from a chat completion body; its usage is added to
 * *ptokp and *ctokp (*usagep set when there is one).  A body that is not
 * a chat completion is ERR_PARSE with *causep.
 */
static int
rm_answer(const struct rm_reply *rep, char **textp, long long *ptokp,
    long long *ctokp, int *usagep, char **causep)
{
	cJSON *root, *ch, *msg, *content, *part, *u, *v;
	struct buf b;
	int r = ERR_PARSE;

	*textp = NULL;
	if ((root = cJSON_ParseWithLength(rep->body.data != NULL ?
	    rep->body.data : "", rep->body.len)) == NULL) {
		*causep = xstrdup("the reply is not JSON");
		return ERR_PARSE;
	}
	buf_init(&b, REMOTE_RESPONSE_MAX);
	if (cJSON_IsObject(u = cJSON_GetObjectItemCaseSensitive(root,
	    "usage"))) {
		*usagep = 1;
		if (cJSON_IsNumber(v = cJSON_GetObjectItemCaseSensitive(u,
		    "prompt_tokens")) && v->valuedouble >= 0)
			*ptokp += (long long)v->valuedouble;
		if (cJSON_IsNumber(v = cJSON_GetObjectItemCaseSensitive(u,
		    "completion_tokens")) && v->valuedouble >= 0)
			*ctokp += (long long)v->valuedouble;
	}
	ch = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root,
	    "choices"), 0);
	msg = cJSON_GetObjectItemCaseSensitive(ch, "message");
	content = cJSON_GetObjectItemCaseSensitive(msg, "content");
	if (cJSON_IsString(content))
		(void)buf_puts(&b, content->valuestring);
	else if (cJSON_IsArray(content)) {
		cJSON_ArrayForEach(part, content) {
			v = cJSON_GetObjectItemCaseSensitive(part, "text");
			if (cJSON_IsString(v)) {
				(void)buf_puts(&b, v->valuestring);
				(void)buf_puts(&b, "\n");
			}
		}
	} else {
		*causep = xstrdup(ch == NULL ? "the reply has no choices" :
		    "the reply's message has no text content");
		goto out;
	}
	*textp = b.data != NULL ? buf_steal(&b, NULL) : xstrdup("");
	r = 0;
out:
	buf_free(&b);
	cJSON_Delete(root);
	return r;
}

/* 1 if mark id is in the shortlist. */
static int
rm_listed(const struct rm_prompt *pr, int id)
{
	size_t i;

	for (i = 0; i < pr->ncand; i++)
		if (pr->cand[i].m->id == id)
			return 1;
	return 0;
}

/* "3, 12, 15" (allocated). */
static char *
rm_listed_ids(const struct rm_prompt *pr)
{
	struct buf b;
	size_t i;

	buf_init(&b, 64 * 1024);
	for (i = 0; i < pr->ncand; i++)
		(void)buf_printf(&b, "%s%d", i > 0 ? ", " : "",
		    pr->cand[i].m->id);
	if (b.data == NULL)
		return xstrdup("none");
	return buf_steal(&b, NULL);
}

/*
 * Checks that a is usable on the page: an operation a model may choose,
 * a listed mark, an existing option.  A SELECT value that differs from
 * an option only in case becomes that option.
 */
static int
rm_check_action(const struct rm_prompt *pr, const struct obs *o,
    struct action *a, char **causep)
{
	const struct mark *m;
	char *ids;
	size_t i;

	switch (a->op) {
	case ACT_WAIT:
	case ACT_NAVIGATE:
		*causep = xasprintf("%s is not one of the actions you may "
		    "use", a->op == ACT_WAIT ? "WAIT" : "NAVIGATE");
		return ERR_INVALID;
	case ACT_CLICK:
	case ACT_TYPE:
	case ACT_SELECT:
	case ACT_HOVER:
		if (a->mark <= 0 || !rm_listed(pr, a->mark) ||
		    (m = obs_mark(o, a->mark)) == NULL) {
			ids = rm_listed_ids(pr);
			*causep = xasprintf("element [%d] is not one of the "
			    "listed elements (%s)", a->mark, ids);
			free(ids);
			return ERR_INVALID;
		}
		if (a->op == ACT_SELECT && m->noptions > 0) {
			for (i = 0; i < m->noptions; i++)
				if (strcmp(m->options[i], a->value) == 0)
					return 0;
			for (i = 0; i < m->noptions; i++)
				if (strcasecmp(m->options[i], a->value) == 0) {
					free(a->value);
					a->value = xstrdup(m->options[i]);
					return 0;
				}
			*causep = xasprintf("element [%d] has no option \"%s\"",
			    a->mark, a->value);
			return ERR_INVALID;
		}
		return 0;
	default:
		return 0;
	}
}

/*
 * Parses the answer: the last line that holds an action wins (a model
 * that thinks aloud ends with its choice); else the whole text, whose
 * parse error explains.
 */
static int
rm_parse(const char *text, struct action *a, char **causep)
{
	const char *end, *start;
	char *line, *cause = NULL;
	size_t n = strlen(text);

	end = text + n;
	while (end > text) {
		start = end;
		while (start > text && start[-1] != '\n')
			start--;
		line = xstrndup(start, (size_t)(end - start));
		if (action_parse_text(line, a, &cause) == 0) {
			free(line);
			return 0;
		}
		free(cause);
		cause = NULL;
		free(line);
		end = start > text ? start - 1 : text;
	}
	return action_parse_text(text, a, causep);
}

/* The decision's info: what was sent, what came back, what it cost. */
static cJSON *
rm_info(const struct rm_policy *rp, const struct rm_prompt *pr,
    const struct obs *o, int nreq, int invalid, double ms, long long ptok,
    long long ctok, int have_usage, const char *answer)
{
	cJSON *j = cJSON_CreateObject(), *ids, *im;
	char *keep, *red;
	size_t i;

	cJSON_AddStringToObject(j, "policy", "remote");
	cJSON_AddStringToObject(j, "model", rp->model);
	cJSON_AddStringToObject(j, "ranked_by", rp->ranker != NULL ?
	    "ranker" : "lexical");
	cJSON_AddNumberToObject(j, "marks", (double)o->nmarks);
	ids = cJSON_AddArrayToObject(j, "shortlist");
	for (i = 0; i < pr->ncand; i++)
		cJSON_AddItemToArray(ids, cJSON_CreateNumber(
		    pr->cand[i].m->id));
	if (pr->image != NULL) {
		im = cJSON_AddObjectToObject(j, "image");
		cJSON_AddNumberToObject(im, "w", pr->img_w);
		cJSON_AddNumberToObject(im, "h", pr->img_h);
		cJSON_AddNumberToObject(im, "bytes", (double)pr->img_bytes);
	} else
		cJSON_AddNullToObject(j, "image");
	cJSON_AddNumberToObject(j, "requests", nreq);
	cJSON_AddNumberToObject(j, "invalid_answers", invalid);
	cJSON_AddNumberToObject(j, "latency_ms", floor(ms * 10 + 0.5) / 10);
	if (have_usage) {
		cJSON_AddNumberToObject(j, "prompt_tokens", (double)ptok);
		cJSON_AddNumberToObject(j, "completion_tokens", (double)ctok);
		cJSON_AddNumberToObject(j, "total_tokens",
		    (double)(ptok + ctok));
	} else {
		cJSON_AddNullToObject(j, "prompt_tokens");
		cJSON_AddNullToObject(j, "completion_tokens");
		cJSON_AddNullToObject(j, "total_tokens");
	}
	cJSON_AddNumberToObject(j, "est_prompt_tokens",
	    (double)rm_estimate(pr));
	if (answer != NULL) {
		keep = xstrndup(answer, RM_ANSWER_KEEP);
		if ((red = remote_redact(keep)) != NULL) {
			free(keep);
			keep = red;
		}
		cJSON_AddStringToObject(j, "answer", keep);
		free(keep);
	}
	return j;
}

/* Chooses an action by asking the model. */
static int
rm_decide(void *self, const struct policy_ctx *ctx, struct policy_decision *d,
    char **causep)
{
	struct rm_policy *rp = self;
	struct rm_prompt pr;
	struct rm_reply rep;
	struct action a;
	cJSON *req = NULL, *msgs, *m;
	char *body = NULL, *text = NULL, *cause = NULL, *why = NULL, *first;
	double t0 = rm_now_ms();
	long long ptok = 0, ctok = 0;
	int nreq = 0, invalid = 0, tries, r = ERR_INTERNAL, have_usage = 0;

	memset(&pr, 0, sizeof(pr));
	memset(&rep, 0, sizeof(rep));
	memset(&a, 0, sizeof(a));
	buf_init(&rep.body, REMOTE_RESPONSE_MAX);
	if (ctx->obs == NULL) {
		*causep = xstrdup("remote: no observation");
		return ERR_INVALID;
	}
	if ((r = rm_shortlist(rp, ctx, &pr, &cause)) != 0 ||
	    (r = rm_prompt_text(ctx, &pr, &cause)) != 0 ||
	    (r = rm_prompt_image(rp, ctx->obs, &pr, &cause)) != 0)
		goto out;
	req = cJSON_CreateObject();
	cJSON_AddStringToObject(req, "model", rp->model);
	msgs = rm_messages(&pr);
	cJSON_AddItemToObject(req, "messages", msgs);
	cJSON_AddNumberToObject(req, "temperature", rp->p.temperature);
	cJSON_AddNumberToObject(req, "max_tokens", rp->p.max_tokens);
	cJSON_AddFalseToObject(req, "stream");
	/* The first answer, and one more after a fault. */
	for (tries = 0; tries < 2; tries++) {
		cJSON_free(body);
		if ((body = cJSON_PrintUnformatted(req)) == NULL ||
		    strlen(body) > RM_REQUEST_MAX) {
			cause = xstrdup("remote: request too large");
			r = ERR_TOOBIG;
			goto out;
		}
		if ((r = rm_post_retry(rp, body, &rep, &nreq, &cause)) != 0)
			goto out;
		free(text);
		text = NULL;
		free(why);
		why = NULL;
		if ((r = rm_answer(&rep, &text, &ptok, &ctok, &have_usage,
		    &why)) != 0) {
			/* Not a chat completion: ask the same again. */
			invalid++;
			continue;
		}
		action_clear(&a);
		if ((r = rm_parse(text, &a, &why)) == 0 &&
		    (r = rm_check_action(&pr, ctx->obs, &a, &why)) == 0)
			break;
		invalid++;
		if (tries == 0) {
			m = cJSON_CreateObject();
			cJSON_AddStringToObject(m, "role", "assistant");
			cJSON_AddStringToObject(m, "content", text);
			cJSON_AddItemToArray(msgs, m);
			m = cJSON_CreateObject();
			cJSON_AddStringToObject(m, "role", "user");
			first = xasprintf("Your answer could not be used: %s. "
			    "Reply with exactly one action line from the "
			    "grammar, using only the listed element "
			    "numbers.", why);
			cJSON_AddStringToObject(m, "content", first);
			free(first);
			cJSON_AddItemToArray(msgs, m);
			first = xstrdup(why);
			free(why);
			why = first;
			log_info("remote: step %d: unusable answer (%s); "
			    "asking again", ctx->step + 1, why);
		}
	}
	if (tries == 2) {
		first = text != NULL ? xstrndup(text, 200) : NULL;
		if (first != NULL)
			for (size_t i = 0; first[i] != '\0'; i++)
				if ((unsigned char)first[i] < 0x20)
					first[i] = ' ';
		cause = xasprintf("remote: no usable answer after a retry: "
		    "%s%s%s%s", why != NULL ? why : "malformed reply",
		    first != NULL ? " (answer: \"" : "",
		    first != NULL ? first : "", first != NULL ? "\")" : "");
		free(first);
		r = ERR_PARSE;
		goto out;
	}
	d->act = a;
	memset(&a, 0, sizeof(a));
	d->score = 1;
	action_copy(&d->top[0].act, &d->act);
	d->top[0].score = 1;
	d->ntop = 1;
	d->info = rm_info(rp, &pr, ctx->obs, nreq, invalid,
	    rm_now_ms() - t0, ptok, ctok, have_usage, text);
	r = 0;
out:
	remote_count_decision(r == 0, invalid, ptok, ctok, rm_now_ms() - t0);
	if (r != 0) {
		if (cause != NULL && (first = remote_redact(cause)) != NULL) {
			free(cause);
			cause = first;
		}
		*causep = cause;
		cause = NULL;
	}
	action_clear(&a);
	cJSON_Delete(req);
	cJSON_free(body);
	free(text);
	free(why);
	free(cause);
	buf_free(&rep.body);
	rm_prompt_clear(&pr);
	return r;
}

/* Frees the policy. */
static void
rm_free(void *self)
{
	struct rm_policy *rp = self;

	if (rp == NULL)
		return;
	if (rp->curl != NULL)
		curl_easy_cleanup(rp->curl);
	if (rp->ranker != NULL)
		policy_ranker_ops.free(rp->ranker);
	remote_key_del(rp->key);
	if (rp->key != NULL)
		explicit_bzero(rp->key, strlen(rp->key));
	if (rp->auth != NULL)
		explicit_bzero(rp->auth, strlen(rp->auth));
	free(rp->key);
	free(rp->auth);
	free(rp->endpoint);
	free(rp->model);
	free(rp->url);
	free(rp);
}

const struct policy_ops policy_remote_ops = {
	"remote", rm_decide, rm_free
};

/*
 * Creates the policy: settings (p->remote, else defaults and the
 * environment), the API key, the shortlist's scorer, a curl handle.
 * Nothing is sent until the first decision.
 */
int
policy_remote_new(const struct policy_params *p, void **selfp, char **causep)
{
	struct remote_params rpar;
	struct rm_policy *rp = NULL;
	const char *env, *keyfile;
	char *cause = NULL;
	size_t n;
	int r = ERR_INTERNAL;

	*selfp = NULL;
	if (causep != NULL)
		*causep = NULL;
	if (p != NULL && p->remote != NULL)
		rpar = *p->remote;
	else {
		remote_default_params(&rpar);
		if ((r = remote_params_env(&rpar, &cause)) != 0)
			goto out;
	}
	if ((r = remote_params_check(&rpar, &cause)) != 0)
		goto out;
	if (rpar.endpoint == NULL) {
		cause = xstrdup("remote: no endpoint (--remote-endpoint, "
		    "remote_endpoint in webnavd.conf, \"remote\" in the task "
		    "file, or WEBNAV_REMOTE_ENDPOINT)");
		r = ERR_INVALID;
		goto out;
	}
	pthread_once(&rm_curl_once, rm_curl_init);
	if (!rm_curl_ok) {
		cause = xstrdup("remote: libcurl did not initialise");
		r = ERR_INTERNAL;
		goto out;
	}
	rp = xcalloc(1, sizeof(*rp));
	rp->p = rpar;
	rp->endpoint = xstrdup(rpar.endpoint);
	rp->model = xstrdup(rpar.model != NULL ? rpar.model : "default");
	rp->p.endpoint = rp->endpoint;
	rp->p.model = rp->model;
	rp->p.api_key = NULL;
	rp->p.api_key_file = NULL;
	n = strlen(rp->endpoint);
	while (n > 0 && rp->endpoint[n - 1] == '/')
		n--;
	if (n >= 17 && strncmp(rp->endpoint + n - 17, "/chat/completions",
	    17) == 0)
		rp->url = xstrndup(rp->endpoint, n);
	else if (n >= 3 && strncmp(rp->endpoint + n - 3, "/v1", 3) == 0)
		rp->url = xasprintf("%.*s/chat/completions", (int)n,
		    rp->endpoint);
	else
		rp->url = xasprintf("%.*s/v1/chat/completions", (int)n,
		    rp->endpoint);
	keyfile = rpar.api_key_file;
	if (rpar.api_key != NULL && rpar.api_key[0] != '\0')
		rp->key = xstrdup(rpar.api_key);
	else if (keyfile != NULL) {
		if ((r = rm_read_key(keyfile, &rp->key, &cause)) != 0)
			goto out;
	} else if ((env = getenv("WEBNAV_API_KEY")) != NULL && *env != '\0')
		rp->key = xstrdup(env);
	if (rp->key != NULL) {
		if (strlen(rp->key) > REMOTE_KEY_MAX ||
		    strpbrk(rp->key, "\r\n") != NULL) {
			cause = xstrdup("remote: the API key is too long or "
			    "spans lines");
			r = ERR_INVALID;
			goto out;
		}
		rp->auth = xasprintf("Authorization: Bearer %s", rp->key);
		remote_key_add(rp->key);
	}
	if ((rp->curl = curl_easy_init()) == NULL) {
		cause = xstrdup("remote: curl_easy_init failed");
		r = ERR_NOMEM;
		goto out;
	}
	/* The shortlist: the built-in model when it has weights. */
	if (policy_ranker_default_weights() != NULL || (p != NULL &&
	    p->model_path != NULL) || ((env = getenv("WEBNAV_MODEL")) != NULL &&
	    *env != '\0')) {
		char *rc = NULL;

		if ((r = policy_ranker_new(p, &rp->ranker, &rc)) != 0) {
			log_warnx("remote: the ranker cannot shortlist (%s); "
			    "using lexical scores", rc != NULL ? rc :
			    err_str(r));
			rp->ranker = NULL;
		}
		free(rc);
	}
	log_debug("remote: %s, model %s, top_k %d, image %d px, %s key, "
	    "shortlist by %s", rp->url, rp->model, rp->p.top_k,
	    rp->p.image_size, rp->key != NULL ? "with" : "no",
	    rp->ranker != NULL ? "ranker" : "lexical");
	*selfp = rp;
	rp = NULL;
	r = 0;
out:
	rm_free(rp);
	if (causep != NULL)
		*causep = cause;
	else
		free(cause);
	return r;
}
