/*
 * fuzz-cdp.c: DevTools message handling (browser/cdp-conn.c: framing and
 * JSON-RPC; cdp-page.c, cdp-target.c, cdp-attach.c: events and replies).
 *
 * A page is opened on a fake transport (the seam test-cdp-conn.c uses),
 * every call answered with a plausible reply.  Then the input is played
 * as what the browser says, one line per service round, while the page
 * is asked for its URL, frames, an evaluation and a screenshot, with a URL
 * filter on.  Each line of the input is one of:
 *
 *   M<text>   a whole message
 *   F<text>   the first fragment of a message (C: a middle one, L: last)
 *   R<text>   a reply to the oldest call not yet answered: "R{...}" is
 *             sent as {"id":N,...}; anything else as it is.  A call
 *             whose scripted reply did not take gets the plausible one
 *             too once the lines run out.
 *   Z         the transport closes
 *
 * and any other line is sent as a whole message.  Once the lines run out
 * every call still open, and every later one, gets the plausible reply,
 * so that nothing waits for a timeout.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cdp.h"
#include "err.h"
#include "fuzz.h"
#include "log.h"
#include "private.h"
#include "xmalloc.h"

#define FF_CALLS_MAX	4096	/* calls remembered */

struct ff_frag {
	struct ff_frag	*next;
	int		 first, final;
	size_t		 len;
	char		 data[];
};

struct ff_call {
	int	 id;
	char	*session;	/* NULL: browser target */
	char	*method;
	int	 answered;	/* by the plausible reply */
	int	 scripted;	/* by an R line */
};

static int	ff_verbose;	/* FUZZ_VERBOSE: the traffic to stderr */

struct ff {
	struct cdp_conn	*conn;
	const char	*in, *end;	/* lines not yet played */
	int		 scripted;	/* playing lines, not auto */
	int		 closed;
	struct ff_frag	*head, *tail;
	size_t		 nfrags;
	struct ff_call	 calls[FF_CALLS_MAX];
	size_t		 ncalls;
};

/* Queues one fragment for delivery. */
static void
ff_push(struct ff *f, const char *data, size_t len, int first, int final)
{
	struct ff_frag *g;

	g = xmalloc(sizeof(*g) + len + 1);
	g->next = NULL;
	g->first = first;
	g->final = final;
	g->len = len;
	memcpy(g->data, data, len);
	g->data[len] = '\0';
	if (f->tail != NULL)
		f->tail->next = g;
	else
		f->head = g;
	f->tail = g;
	f->nfrags++;
}

/* The result a browser would plausibly give to method. */
static const char *
ff_result(const char *method)
{
	static const struct {
		const char	*method;
		const char	*result;
	} tab[] = {
		{ "Target.createBrowserContext",
		    "{\"browserContextId\":\"C1\"}" },
		{ "Target.createTarget", "{\"targetId\":\"T1\"}" },
		{ "Target.attachToTarget", "{\"sessionId\":\"S1\"}" },
		{ "Target.getTargetInfo", "{\"targetInfo\":{\"targetId\":"
		    "\"T1\",\"type\":\"page\",\"title\":\"\",\"url\":"
		    "\"about:blank\",\"attached\":true}}" },
		{ "Page.getFrameTree", "{\"frameTree\":{\"frame\":{\"id\":"
		    "\"T1\",\"loaderId\":\"L1\",\"url\":\"about:blank\"}}}" },
		{ "Page.navigate", "{\"frameId\":\"T1\",\"loaderId\":\"L2\"}" },
		{ "Page.captureScreenshot", "{\"data\":\"iVBORw0KGgo=\"}" },
		{ "Page.addScriptToEvaluateOnNewDocument",
		    "{\"identifier\":\"1\"}" },
		{ "Runtime.evaluate", "{\"result\":{\"type\":\"string\","
		    "\"value\":\"about:blank\"}}" },
		{ NULL, NULL }
	};
	size_t i;

	for (i = 0; tab[i].method != NULL; i++)
		if (strcmp(tab[i].method, method) == 0)
			return tab[i].result;
	return "{}";
}

/* Queues the plausible reply to call c. */
static void
ff_answer(struct ff *f, struct ff_call *c)
{
	char *msg;

	c->answered = 1;
	if (c->session != NULL)
		msg = xasprintf("{\"id\":%d,\"sessionId\":\"%s\","
		    "\"result\":%s}",
		    c->id, c->session, ff_result(c->method));
	else
		msg = xasprintf("{\"id\":%d,\"result\":%s}", c->id,
		    ff_result(c->method));
	ff_push(f, msg, strlen(msg), 1, 1);
	free(msg);
}

/* Transport send: records the call, answers it when not scripted. */
static int
ff_send(void *arg, const char *msg, size_t len)
{
	struct ff *f = arg;
	struct ff_call *c;
	const cJSON *id, *method, *sess;
	cJSON *m;

	if (f->closed)
		return ERR_CLOSED;
	if (ff_verbose)
		fprintf(stderr, "> %.*s\n", (int)len, msg);
	if ((m = cJSON_ParseWithLength(msg, len)) == NULL)
		abort();	/* the connection sent something not JSON */
	id = cJSON_GetObjectItemCaseSensitive(m, "id");
	method = cJSON_GetObjectItemCaseSensitive(m, "method");
	sess = cJSON_GetObjectItemCaseSensitive(m, "sessionId");
	if (!cJSON_IsNumber(id) || !cJSON_IsString(method) ||
	    (sess != NULL && !cJSON_IsString(sess)))
		abort();
	if (f->ncalls < FF_CALLS_MAX) {
		c = &f->calls[f->ncalls++];
		c->id = id->valueint;
		c->method = xstrdup(method->valuestring);
		c->session = sess != NULL ? xstrdup(sess->valuestring) : NULL;
		c->answered = 0;
		c->scripted = 0;
		if (!f->scripted)
			ff_answer(f, c);
	}
	cJSON_Delete(m);
	return 0;
}

/* Turns the next input line into fragments; 0 at the end of the input. */
static int
ff_line(struct ff *f)
{
	const char *p = f->in, *nl;
	size_t n, i;
	char *msg;

	if (p >= f->end)
		return 0;
	if ((nl = memchr(p, '\n', (size_t)(f->end - p))) == NULL)
		nl = f->end;
	f->in = nl < f->end ? nl + 1 : nl;
	n = (size_t)(nl - p);
	if (n == 0)
		return 1;
	switch (p[0]) {
	case 'M':
		ff_push(f, p + 1, n - 1, 1, 1);
		break;
	case 'F':
		ff_push(f, p + 1, n - 1, 1, 0);
		break;
	case 'C':
		ff_push(f, p + 1, n - 1, 0, 0);
		break;
	case 'L':
		ff_push(f, p + 1, n - 1, 0, 1);
		break;
	case 'R':
		for (i = 0; i < f->ncalls; i++)
			if (!f->calls[i].answered && !f->calls[i].scripted)
				break;
		if (n >= 2 && p[1] == '{' && i < f->ncalls) {
			f->calls[i].scripted = 1;
			msg = xasprintf("{\"id\":%d,%.*s", f->calls[i].id,
			    (int)(n - 2), p + 2);
			ff_push(f, msg, strlen(msg), 1, 1);
			free(msg);
		} else
			ff_push(f, p + 1, n - 1, 1, 1);
		break;
	case 'Z':
		f->closed = 1;
		break;
	default:
		ff_push(f, p, n, 1, 1);
		break;
	}
	return 1;
}

/*
 * Transport service: plays the next input line, or answers every open
 * call once the lines are over, then delivers what is queued.
 */
static int
ff_service(void *arg, int timeout_ms)
{
	struct ff *f = arg;
	struct ff_frag *g;
	size_t i;

	(void)timeout_ms;
	if (f->closed)
		return ERR_CLOSED;
	if (f->head == NULL && f->scripted && !ff_line(f)) {
		/* The input is over: answer every call still open. */
		f->scripted = 0;
		for (i = 0; i < f->ncalls; i++)
			if (!f->calls[i].answered)
				ff_answer(f, &f->calls[i]);
	}
	if (f->closed) {
		cdp_conn_closed(f->conn, "browser closed the connection");
		return ERR_CLOSED;
	}
	while ((g = f->head) != NULL) {
		f->head = g->next;
		if (f->head == NULL)
			f->tail = NULL;
		f->nfrags--;
		if (ff_verbose)
			fprintf(stderr, "< %s%s%s\n", g->first ? "" : "...",
			    g->data, g->final ? "" : "...");
		if (cdp_conn_feed(f->conn, g->data, g->len, g->first,
		    g->final) == ERR_CLOSED)
			f->closed = 1;
		free(g);
		if (f->closed) {
			cdp_conn_closed(f->conn, "connection dropped");
			return ERR_CLOSED;
		}
	}
	return 0;
}

/* Transport close: frees the fake. */
static void
ff_close(void *arg)
{
	struct ff *f = arg;
	struct ff_frag *g;
	size_t i;

	while ((g = f->head) != NULL) {
		f->head = g->next;
		free(g);
	}
	for (i = 0; i < f->ncalls; i++) {
		free(f->calls[i].method);
		free(f->calls[i].session);
	}
	free(f);
}

static const struct cdp_transport_ops ff_ops = {
	ff_send, ff_service, ff_close
};

/* The URL filter of the page: refuses anything with "deny" in it. */
static int
ff_filter(void *arg, const char *url)
{
	(void)arg;
	return strstr(url, "deny") == NULL;
}

/* 1 once the input has been played and everything delivered. */
static int
ff_drained(void *arg)
{
	struct ff *f = arg;

	return f->closed || (!f->scripted && f->head == NULL);
}

/* What a step does with the page while the browser talks. */
static void
ff_drive(struct cdp_page *page)
{
	struct cdp_frame *fr = NULL;
	unsigned char *img = NULL;
	size_t nfr = 0, len, i;
	cJSON *v = NULL;
	const char *last;
	char *url = NULL;
	double x, y;
	int w, h;

	if (cdp_page_url(page, &url) == 0)
		free(url);
	if (cdp_page_frames(page, &fr, &nfr) == 0) {
		for (i = 0; i < nfr && i < 4; i++) {
			v = NULL;
			if (cdp_frame_eval(page, &fr[i], "1", 1000, &v) == 0)
				cJSON_Delete(v);
			(void)cdp_frame_offset(page, &fr[i], &x, &y);
		}
		cdp_frames_free(fr, nfr);
	}
	v = NULL;
	if (cdp_page_eval(page, "document.title", 1000, &v) == 0)
		cJSON_Delete(v);
	if (cdp_page_screenshot(page, CDP_IMG_PNG, 0, 1, &img, &len) == 0)
		free(img);
	(void)cdp_page_get_viewport(page, &w, &h, NULL, NULL);
	(void)cdp_page_blocked(page, &last);
	(void)cdp_page_dialogs(page, &last);
	(void)cdp_page_generation(page);
	(void)cdp_page_session(page);
	(void)cdp_page_target(page);
}

/* Opens a page on the fake, drives it through the input, frees all. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	struct cdp_conn_params cp;
	struct cdp_page_params pp;
	struct cdp_page *page = NULL;
	struct cdp_conn *conn;
	struct ff *f;

	if (!init) {
		log_init("fuzz-cdp", 0, LOG_LVL_WARN);
		ff_verbose = getenv("FUZZ_VERBOSE") != NULL;
		init = 1;
	}
	f = xcalloc(1, sizeof(*f));
	f->in = (const char *)data;
	f->end = (const char *)data + size;
	cdp_conn_default_params(&cp);
	cp.max_message = 64 * 1024;	/* small, for the fuzzer to reach */
	cp.call_timeout_ms = 2000;
	conn = cdp_conn_new_transport(&ff_ops, f, &cp);
	f->conn = conn;

	cdp_page_default_params(&pp);
	pp.own_context = 0;
	pp.nav_timeout_ms = 1000;
	pp.settle_max_ms = 100;
	if (cdp_page_open(conn, &pp, &page) == 0) {
		if (ff_verbose)
			fprintf(stderr, "= page open\n");
		(void)cdp_page_set_url_filter(page, ff_filter, NULL);
		f->scripted = 1;
		ff_drive(page);
		(void)cdp_conn_pump(conn, 2000, ff_drained, f);
		cdp_page_free(page);
	}
	cdp_conn_free(conn);
	return 0;
}
