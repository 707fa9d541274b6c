/*
 * cdp-target.c: the sessions of a page and what their events tell.
 *
 * A page owns flattened sessions: its tabs (the first one and every popup
 * or new tab opened from it, handed over by cdp-attach.c while they wait
 * to start) and the out-of-process iframes inside them (auto-attached,
 * paused until set up).  The event handler below keeps, per session, the
 * execution contexts, the network requests in flight and, for tabs, the
 * top frame's navigation state; it answers JS dialogs, follows new tabs
 * and applies the URL filter to document requests.  It runs inside
 * cdp_call()/cdp_conn_pump(), so it only queues calls (cdp_send) and never
 * waits.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "log.h"
#include "private.h"
#include "xmalloc.h"

/* Longest dialog message or blocked URL kept, bytes. */
#define TARGET_TEXT_MAX	1024

/* A string member of o, or NULL. */
static const char *
jstr(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Returns a new object with one string member (NULL on no memory). */
static cJSON *
obj_str(const char *k, const char *v)
{
	cJSON *o;

	if ((o = cJSON_CreateObject()) == NULL)
		return NULL;
	if (cJSON_AddStringToObject(o, k, v) == NULL) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* Returns 1 if a and b are both set and equal. */
static int
same(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* Replaces *dst with a copy of src (NULL allowed). */
static void
set_str(char **dst, const char *src)
{
	free(*dst);
	*dst = src != NULL ? xstrdup(src) : NULL;
}

/* Notes a change of the state that settling waits on. */
static void
touch(struct cdp_page *page)
{
	page->seq++;
	page->change_ms = cdp_now_ms();
}

/* Adds a session. */
struct cdp_sess *
cdp_sess_add(struct cdp_page *page, const char *id, const char *target_id,
    enum cdp_sess_kind kind, struct cdp_sess *parent)
{
	struct cdp_sess *s;

	if ((s = cdp_sess_find(page, id)) != NULL)
		return s;
	if (page->nsess == CDP_MAX_SESSIONS) {
		log_warnx("cdp: more than %d sessions in one page",
		    CDP_MAX_SESSIONS);
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	s->id = xstrdup(id);
	s->target_id = xstrdup(target_id);
	s->kind = kind;
	s->parent = parent;
	s->tab = kind == CDP_SESS_TAB ? s : parent->tab;
	page->sess[page->nsess++] = s;
	if (kind == CDP_SESS_TAB)
		cdp_claim(s->target_id);
	return s;
}

/* Finds a session of the page by id. */
struct cdp_sess *
cdp_sess_find(struct cdp_page *page, const char *id)
{
	size_t i;

	if (id == NULL)
		return NULL;
	for (i = 0; i < page->nsess; i++)
		if (strcmp(page->sess[i]->id, id) == 0)
			return page->sess[i];
	return NULL;
}

/* Finds a tab by target id. */
struct cdp_sess *
cdp_tab_find(const struct cdp_page *page, const char *target_id)
{
	size_t i;

	if (target_id == NULL)
		return NULL;
	for (i = 0; i < page->nsess; i++)
		if (page->sess[i]->kind == CDP_SESS_TAB &&
		    strcmp(page->sess[i]->target_id, target_id) == 0)
			return page->sess[i];
	return NULL;
}

/* Forgets all execution contexts of s. */
static void
ctx_clear(struct cdp_sess *s)
{
	size_t i;

	for (i = 0; i < s->nctx; i++)
		free(s->ctx[i].frame_id);
	s->nctx = 0;
}

/* Frees one session (not unlinking it). */
static void
sess_free(struct cdp_sess *s)
{
	size_t i;

	if (s->kind == CDP_SESS_TAB)
		cdp_unclaim(s->target_id);
	ctx_clear(s);
	free(s->ctx);
	for (i = 0; i < s->nreq; i++) {
		free(s->req[i].id);
		free(s->req[i].frame_id);
	}
	free(s->req);
	free(s->id);
	free(s->target_id);
	free(s->opener);
	free(s->loader);
	free(s->loaded);
	free(s->url);
	free(s->refused);
	free(s);
}

/*
 * Removes s and every session below it (OOPIFs inside it).  The followed
 * tab is never freed here, only marked closed.
 */
static void
sess_remove(struct cdp_page *page, struct cdp_sess *s)
{
	size_t i;

	for (;;) {
		for (i = 0; i < page->nsess; i++)
			if (page->sess[i]->parent == s)
				break;
		if (i == page->nsess)
			break;
		sess_remove(page, page->sess[i]);
	}
	if (s == page->cur) {
		s->closed = 1;
		return;
	}
	/* Keep the order: frames are listed in attach order. */
	for (i = 0; i < page->nsess; i++) {
		if (page->sess[i] == s) {
			memmove(&page->sess[i], &page->sess[i + 1],
			    (page->nsess - i - 1) * sizeof(page->sess[0]));
			page->nsess--;
			break;
		}
	}
	sess_free(s);
	touch(page);
}

/* Frees every session. */
void
cdp_sess_free_all(struct cdp_page *page)
{
	size_t i;

	for (i = 0; i < page->nsess; i++)
		sess_free(page->sess[i]);
	page->nsess = 0;
	page->cur = NULL;
}

/* Main-world context id of frame_id in s. */
int
cdp_sess_context(const struct cdp_sess *s, const char *frame_id)
{
	size_t i;

	/* The newest default context wins. */
	for (i = s->nctx; i > 0; i--)
		if (s->ctx[i - 1].is_default &&
		    same(s->ctx[i - 1].frame_id, frame_id))
			return s->ctx[i - 1].id;
	return 0;
}

/* Counts requests in flight in tab and its OOPIFs. */
int
cdp_page_inflight(const struct cdp_page *page, const struct cdp_sess *tab,
    long long now, int max_age_ms)
{
	const struct cdp_sess *s;
	size_t i, j;
	int n = 0;

	for (i = 0; i < page->nsess; i++) {
		s = page->sess[i];
		if (s->tab != tab)
			continue;
		for (j = 0; j < s->nreq; j++)
			if (now - s->req[j].t0 < max_age_ms)
				n++;
	}
	return n;
}

/* The followed tab. */
struct cdp_sess *
cdp_page_tab(struct cdp_page *page)
{
	if (page->cur == NULL || page->cur->closed) {
		cdp_conn_set_error(page->conn, "the page's tab was closed");
		return NULL;
	}
	return page->cur;
}

/* Queues one call with params built by the caller (consumed). */
static int
queue(struct cdp_page *page, const char *session, const char *method,
    cJSON *params)
{
	int r;

	if ((r = cdp_send(page->conn, session, method, params)) != 0)
		log_debug("cdp: cannot queue %s: %s", method, err_str(r));
	return r;
}

/* Queues the viewport override of the page on tab session s. */
static int
queue_viewport(struct cdp_page *page, const char *session)
{
	cJSON *p;

	if ((p = cJSON_CreateObject()) == NULL ||
	    cJSON_AddNumberToObject(p, "width", page->width) == NULL ||
	    cJSON_AddNumberToObject(p, "height", page->height) == NULL ||
	    cJSON_AddNumberToObject(p, "deviceScaleFactor",
	    page->scale) == NULL ||
	    cJSON_AddFalseToObject(p, "mobile") == NULL) {
		cJSON_Delete(p);
		return ERR_NOMEM;
	}
	return queue(page, session, "Emulation.setDeviceMetricsOverride", p);
}

/* Queues Target.setAutoAttach for OOPIFs on a session. */
static int
queue_autoattach(struct cdp_page *page, const char *session)
{
	cJSON *p;

	if ((p = cJSON_CreateObject()) == NULL ||
	    cJSON_AddTrueToObject(p, "autoAttach") == NULL ||
	    cJSON_AddTrueToObject(p, "waitForDebuggerOnStart") == NULL ||
	    cJSON_AddTrueToObject(p, "flatten") == NULL) {
		cJSON_Delete(p);
		return ERR_NOMEM;
	}
	return queue(page, session, "Target.setAutoAttach", p);
}

/* Queues an init script on a session. */
static int
queue_script(struct cdp_page *page, const char *session, const char *js)
{
	cJSON *p;

	if ((p = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(p, "source", js) == NULL) {
		cJSON_Delete(p);
		return ERR_NOMEM;
	}
	return queue(page, session, "Page.addScriptToEvaluateOnNewDocument",
	    p);
}

/*
 * Queues Fetch.enable for every request, or Fetch.disable.  Not only
 * documents: a page must not carry what it read (a typed secret) to a
 * foreign origin by fetch, an image, a beacon or a worker either.
 * WebSockets never pass through Fetch (see webnav-task(5)).
 */
int
cdp_queue_fetch(struct cdp_page *page, const char *session, int on)
{
	cJSON *p = NULL, *pats, *pat;

	if (!on)
		return queue(page, session, "Fetch.disable", NULL);
	if ((p = cJSON_CreateObject()) == NULL ||
	    (pats = cJSON_AddArrayToObject(p, "patterns")) == NULL ||
	    (pat = cJSON_CreateObject()) == NULL ||
	    !cJSON_AddItemToArray(pats, pat) ||
	    cJSON_AddStringToObject(pat, "urlPattern", "*") == NULL ||
	    cJSON_AddStringToObject(pat, "requestStage", "Request") == NULL) {
		cJSON_Delete(p);
		return ERR_NOMEM;
	}
	return queue(page, session, "Fetch.enable", p);
}

/*
 * Asks the URL filter about url; records it when blocked and doc is set
 * (a document: the page tried to go there).  A refused subresource is
 * only logged: the page stays where it is.
 */
static int
url_blocked(struct cdp_page *page, const char *url, int doc)
{
	if (page->filter == NULL || url == NULL ||
	    !page->filter(page->filter_arg, url))
		return 0;
	if (!doc) {
		log_debug("cdp: blocked a subresource: %.*s",
		    TARGET_TEXT_MAX, url);
		return 1;
	}
	page->nblocked++;
	free(page->last_blocked);
	page->last_blocked = xstrndup(url, TARGET_TEXT_MAX);
	log_debug("cdp: blocked %s", page->last_blocked);
	return 1;
}

static void	tab_closed(struct cdp_page *, struct cdp_sess *);

/*
 * A request paused by Fetch: let it go or fail it.  A refused top-frame
 * document is remembered for cdp_page_url(); a popup whose very first
 * document is refused is closed (the page stays on its opener).  A
 * refused subresource just fails, as if the network had refused it.
 */
static void
on_request_paused(struct cdp_page *page, struct cdp_sess *s,
    const cJSON *params)
{
	const char *id = jstr(params, "requestId");
	const char *url = jstr(cJSON_GetObjectItemCaseSensitive(params,
	    "request"), "url");
	cJSON *p;
	int block, top, doc;

	if (id == NULL)
		return;
	doc = same(jstr(params, "resourceType"), "Document");
	block = url_blocked(page, url, doc);
	if ((p = obj_str("requestId", id)) == NULL ||
	    (block && cJSON_AddStringToObject(p, "errorReason",
	    "BlockedByClient") == NULL)) {
		cJSON_Delete(p);
		return;
	}
	queue(page, s->id, block ? "Fetch.failRequest" :
	    "Fetch.continueRequest", p);
	top = s->kind == CDP_SESS_TAB && same(jstr(params, "frameId"),
	    s->target_id);
	if (!block || !top || !doc)
		return;
	set_str(&s->refused, url);
	if (s->opener != NULL && s->commits == 0 && !s->closed) {
		log_debug("cdp: closing popup %s: its first document was "
		    "refused", s->target_id);
		queue(page, NULL, "Target.closeTarget", obj_str("targetId",
		    s->target_id));
		tab_closed(page, s);
	}
}

/* Sets up a new session. */
int
cdp_sess_setup(struct cdp_page *page, struct cdp_sess *s, int flags)
{
	cJSON *p;
	size_t i;
	int r;

	/*
	 * Page first: dialogs are reported through it.  Network for the
	 * requests in flight, Runtime for the execution contexts.  One
	 * session's calls are handled in order, so nothing here needs to
	 * wait for a reply.
	 */
	if ((r = queue(page, s->id, "Page.enable", NULL)) != 0 ||
	    (r = queue(page, s->id, "Runtime.enable", NULL)) != 0 ||
	    (r = queue(page, s->id, "Network.enable", NULL)) != 0)
		return r;
	if (s->kind == CDP_SESS_TAB) {
		if ((p = cJSON_CreateObject()) == NULL ||
		    cJSON_AddTrueToObject(p, "enabled") == NULL) {
			cJSON_Delete(p);
			return ERR_NOMEM;
		}
		if ((r = queue(page, s->id, "Page.setLifecycleEventsEnabled",
		    p)) != 0)
			return r;
		if ((r = queue_viewport(page, s->id)) != 0)
			return r;
		/*
		 * Focus emulation lets a tab that is not the focused window
		 * keep :focus, focus events and caret: keys still work after
		 * another tab came to the front.
		 */
		if ((p = cJSON_CreateObject()) == NULL ||
		    cJSON_AddTrueToObject(p, "enabled") == NULL) {
			cJSON_Delete(p);
			return ERR_NOMEM;
		}
		if ((r = queue(page, s->id,
		    "Emulation.setFocusEmulationEnabled", p)) != 0)
			return r;
	}
	if (page->filter != NULL && (r = cdp_queue_fetch(page, s->id, 1)) != 0)
		return r;
	for (i = 0; i < page->nscripts; i++)
		if ((r = queue_script(page, s->id, page->scripts[i])) != 0)
			return r;
	if ((r = queue_autoattach(page, s->id)) != 0)
		return r;
	if (s->kind == CDP_SESS_TAB &&
	    (r = queue(page, s->id, "Page.bringToFront", NULL)) != 0)
		return r;
	if ((flags & CDP_SETUP_RESUME) &&
	    (r = queue(page, s->id, "Runtime.runIfWaitingForDebugger",
	    NULL)) != 0)
		return r;
	return 0;
}

/* Makes tab the followed one. */
static void
follow(struct cdp_page *page, struct cdp_sess *tab)
{
	if (tab == page->cur)
		return;
	page->cur = tab;
	page->generation++;
	log_debug("cdp: page follows tab %s (generation %d)", tab->target_id,
	    page->generation);
	/* A tab not in front gets no animation frames: input stalls. */
	queue(page, tab->id, "Page.bringToFront", NULL);
	queue_viewport(page, tab->id);
	touch(page);
}

/* The followed tab closed: go back to its opener, else the newest tab. */
static void
follow_back(struct cdp_page *page)
{
	struct cdp_sess *t, *back = NULL;
	size_t i;

	if ((t = cdp_tab_find(page, page->cur->opener)) != NULL &&
	    !t->closed)
		back = t;
	for (i = page->nsess; back == NULL && i > 0; i--) {
		t = page->sess[i - 1];
		if (t->kind == CDP_SESS_TAB && !t->closed)
			back = t;
	}
	if (back != NULL)
		follow(page, back);
}

/* Marks a tab closed; frees it unless it is the followed one. */
static void
tab_closed(struct cdp_page *page, struct cdp_sess *t)
{
	t->closed = 1;
	touch(page);
	if (t == page->cur)
		follow_back(page);
	if (t != page->cur)
		sess_remove(page, t);
}

/* Takes an auto-attached page target the page owns (cdp-attach.c). */
int
cdp_tab_adopt(struct cdp_page *page, const char *sid, const cJSON *ti)
{
	const char *tid = jstr(ti, "targetId"), *url = jstr(ti, "url");
	struct cdp_sess *t, *old;
	size_t i;

	if (tid == NULL || jstr(ti, "subtype") != NULL ||
	    cdp_tab_find(page, tid) != NULL)
		return 1;
	if (page->cur == NULL) {
		/* cdp_page_open()'s first tab; anything else is not ours. */
		for (i = 0; i < page->nsess; i++)
			if (page->sess[i]->kind == CDP_SESS_TAB)
				return 1;
		return cdp_sess_add(page, sid, tid, CDP_SESS_TAB, NULL) ==
		    NULL;
	}
	if (url != NULL && *url != '\0' && strcmp(url, "about:blank") != 0 &&
	    url_blocked(page, url, 1)) {
		/* Opened straight to a refused URL: never follow it. */
		queue(page, NULL, "Target.closeTarget", obj_str("targetId",
		    tid));
		return 0;
	}
	if ((t = cdp_sess_add(page, sid, tid, CDP_SESS_TAB, NULL)) == NULL) {
		/* Resumed untracked, it would escape the URL filter. */
		log_warnx("cdp: closing new tab %s: too many sessions", tid);
		queue(page, NULL, "Target.closeTarget", obj_str("targetId",
		    tid));
		return 0;
	}
	set_str(&t->opener, jstr(ti, "openerId"));
	log_debug("cdp: new tab %s (opener %s)", tid,
	    t->opener != NULL ? t->opener : "none");
	/*
	 * It waits for us: the URL filter and the init scripts are in place
	 * before its first document is even requested.
	 */
	cdp_sess_setup(page, t, CDP_SETUP_RESUME);
	old = page->cur;
	follow(page, t);
	if (old != NULL && old->closed)
		sess_remove(page, old);
	return 0;
}

/* Removes request i of s. */
static void
req_del(struct cdp_sess *s, size_t i)
{
	free(s->req[i].id);
	free(s->req[i].frame_id);
	s->req[i] = s->req[--s->nreq];
}

/* Adds a request to s (id and frame_id taken); drops the oldest if full. */
static void
req_add(struct cdp_sess *s, char *id, char *frame_id, long long t0)
{
	size_t i, oldest = 0;

	if (s->nreq == CDP_MAX_REQUESTS) {
		for (i = 1; i < s->nreq; i++)
			if (s->req[i].t0 < s->req[oldest].t0)
				oldest = i;
		req_del(s, oldest);
	}
	if (s->req == NULL)
		s->req = xreallocarray(NULL, CDP_MAX_REQUESTS,
		    sizeof(*s->req));
	s->req[s->nreq].id = id;
	s->req[s->nreq].frame_id = frame_id;
	s->req[s->nreq].t0 = t0;
	s->nreq++;
}

/*
 * Finds request id in any session of tab; returns its session (entry in
 * *ip) or NULL.
 */
static struct cdp_sess *
req_find(struct cdp_page *page, const struct cdp_sess *tab, const char *id,
    size_t *ip)
{
	struct cdp_sess *s;
	size_t i, j;

	for (i = 0; i < page->nsess; i++) {
		s = page->sess[i];
		if (s->tab != tab)
			continue;
		for (j = 0; j < s->nreq; j++) {
			if (strcmp(s->req[j].id, id) == 0) {
				*ip = j;
				return s;
			}
		}
	}
	return NULL;
}

/* Moves request i of session from to session to, started at t0. */
static void
req_move(struct cdp_sess *from, size_t i, struct cdp_sess *to, long long t0)
{
	char *id = from->req[i].id, *fid = from->req[i].frame_id;

	from->req[i].id = NULL;
	from->req[i].frame_id = NULL;
	from->req[i] = from->req[--from->nreq];
	req_add(to, id, fid, t0);
}

/*
 * A frame got its own session c (an OOPIF attached): the requests its
 * parent's session reported for it, above all its navigation request,
 * now end in c, and go away with c.
 */
static void
req_adopt(struct cdp_page *page, struct cdp_sess *c)
{
	struct cdp_sess *s;
	size_t i, j;

	for (i = 0; i < page->nsess; i++) {
		s = page->sess[i];
		if (s == c || s->tab != c->tab)
			continue;
		j = 0;
		while (j < s->nreq) {
			if (same(s->req[j].frame_id, c->target_id)) {
				log_debug("cdp: request %s moves to the "
				    "session of frame %s", s->req[j].id,
				    c->target_id);
				req_move(s, j, c, s->req[j].t0);
			} else
				j++;
		}
	}
}

/* Finds the session of an out-of-process iframe by target id. */
static struct cdp_sess *
frame_by_target(struct cdp_page *page, const char *target_id)
{
	size_t i;

	for (i = 0; i < page->nsess; i++)
		if (page->sess[i]->kind == CDP_SESS_FRAME &&
		    strcmp(page->sess[i]->target_id, target_id) == 0)
			return page->sess[i];
	return NULL;
}

/*
 * Session level: a child target auto-attached (OOPIF, worker).  A frame
 * gets one session: an attach to a frame the page already has a session
 * for is let go like a worker.
 */
static void
on_child_attached(struct cdp_page *page, struct cdp_sess *s,
    const cJSON *params)
{
	const cJSON *ti = cJSON_GetObjectItemCaseSensitive(params,
	    "targetInfo");
	const char *sid = jstr(params, "sessionId");
	const char *tid = jstr(ti, "targetId");
	int waiting = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(params,
	    "waitingForDebugger"));
	struct cdp_sess *c = NULL;
	cJSON *p;

	if (sid == NULL || tid == NULL || cdp_sess_find(page, sid) != NULL)
		return;
	if (same(jstr(ti, "type"), "iframe")) {
		if (frame_by_target(page, tid) != NULL)
			log_debug("cdp: frame %s attached twice; letting go "
			    "of session %s", tid, sid);
		else if ((c = cdp_sess_add(page, sid, tid, CDP_SESS_FRAME,
		    s)) != NULL) {
			req_adopt(page, c);
			cdp_sess_setup(page, c, waiting ? CDP_SETUP_RESUME :
			    0);
			touch(page);
			return;
		} else if (page->filter != NULL && waiting) {
			/*
			 * No session left to put the URL filter on: a frame
			 * let go of now would run unfiltered.  It stays
			 * paused (blank) instead.
			 */
			log_warnx("cdp: frame %s stays paused: more than %d "
			    "sessions to filter", tid, CDP_MAX_SESSIONS);
			return;
		}
	}
	/* Workers and the like: let them run and let go of them. */
	if (waiting)
		queue(page, sid, "Runtime.runIfWaitingForDebugger", NULL);
	if ((p = cJSON_CreateObject()) != NULL &&
	    cJSON_AddStringToObject(p, "sessionId", sid) != NULL)
		queue(page, s->id, "Target.detachFromTarget", p);
	else
		cJSON_Delete(p);
}

/* An execution context was created in s. */
static void
on_context_created(struct cdp_sess *s, const cJSON *params)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(params, "context");
	const cJSON *aux = cJSON_GetObjectItemCaseSensitive(c, "auxData");
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(c, "id");
	struct cdp_ctx *x;

	if (!cJSON_IsNumber(id))
		return;
	if (s->nctx == CDP_MAX_CONTEXTS) {
		/* Drop the oldest: isolated worlds pile up on busy pages. */
		free(s->ctx[0].frame_id);
		memmove(&s->ctx[0], &s->ctx[1],
		    (s->nctx - 1) * sizeof(s->ctx[0]));
		s->nctx--;
	}
	if (s->ctx == NULL)
		s->ctx = xreallocarray(NULL, CDP_MAX_CONTEXTS,
		    sizeof(*s->ctx));
	x = &s->ctx[s->nctx++];
	x->id = id->valueint;
	x->is_default = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(aux,
	    "isDefault"));
	x->frame_id = jstr(aux, "frameId") != NULL ?
	    xstrdup(jstr(aux, "frameId")) : NULL;
}

/* An execution context of s went away. */
static void
on_context_destroyed(struct cdp_sess *s, const cJSON *params)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(params,
	    "executionContextId");
	size_t i;

	if (!cJSON_IsNumber(id))
		return;
	for (i = 0; i < s->nctx; i++) {
		if (s->ctx[i].id == id->valueint) {
			free(s->ctx[i].frame_id);
			memmove(&s->ctx[i], &s->ctx[i + 1],
			    (s->nctx - i - 1) * sizeof(s->ctx[0]));
			s->nctx--;
			return;
		}
	}
}

/* A JS dialog opened in s: accept it at once. */
static void
on_dialog(struct cdp_page *page, struct cdp_sess *s, const cJSON *params)
{
	const char *msg = jstr(params, "message"), *type = jstr(params, "type");
	cJSON *p;

	page->ndialogs++;
	free(page->last_dialog);
	page->last_dialog = xstrndup(msg != NULL ? msg : "",
	    TARGET_TEXT_MAX);
	log_debug("cdp: answering %s dialog: %s", type != NULL ? type : "?",
	    page->last_dialog);
	if ((p = cJSON_CreateObject()) == NULL ||
	    cJSON_AddTrueToObject(p, "accept") == NULL ||
	    (same(type, "prompt") && cJSON_AddStringToObject(p, "promptText",
	    page->prompt_text) == NULL)) {
		cJSON_Delete(p);
		return;
	}
	queue(page, s->id, "Page.handleJavaScriptDialog", p);
}

/* Network.requestWillBeSent in s. */
static void
on_request(struct cdp_page *page, struct cdp_sess *s, const cJSON *params)
{
	const cJSON *rq = cJSON_GetObjectItemCaseSensitive(params, "request");
	const char *id = jstr(params, "requestId"), *url = jstr(rq, "url");
	const char *type = jstr(params, "type");
	const char *fid = jstr(params, "frameId");
	struct cdp_sess *o;
	size_t i;

	if (id == NULL || url == NULL)
		return;
	/*
	 * data: URLs never touch the network, and an event stream is
	 * never finished: neither may keep a page from being quiet.
	 */
	if (strncmp(url, "data:", 5) == 0 || same(type, "EventSource"))
		return;
	touch(page);
	if ((o = req_find(page, s->tab, id, &i)) != NULL) {
		/*
		 * A redirect continues the same request; one reported again
		 * by another session belongs to it from now on.
		 */
		if (o == s)
			s->req[i].t0 = cdp_now_ms();
		else
			req_move(o, i, s, cdp_now_ms());
		return;
	}
	req_add(s, xstrdup(id), fid != NULL ? xstrdup(fid) : NULL,
	    cdp_now_ms());
}

/*
 * Network.loadingFinished/loadingFailed in s: the request may have been
 * reported by another session of the tab (see struct cdp_req).
 */
static void
on_request_done(struct cdp_page *page, struct cdp_sess *s,
    const cJSON *params)
{
	const char *id = jstr(params, "requestId");
	struct cdp_sess *o;
	size_t i;

	if (id == NULL || (o = req_find(page, s->tab, id, &i)) == NULL)
		return;
	req_del(o, i);
	touch(page);
}

/*
 * A new document committed in tab t: requests of the old one that are
 * still open will never report an end if its process went away.  Only the
 * navigation request itself (its id is the loader id) is kept.
 */
static void
req_forget_old(struct cdp_sess *t)
{
	size_t i = 0;

	while (i < t->nreq) {
		if (same(t->req[i].id, t->loader))
			i++;
		else
			req_del(t, i);
	}
}

/* Page.* events about the top frame of tab t. */
static void
on_top_frame(struct cdp_page *page, struct cdp_sess *t, const char *method,
    const cJSON *params)
{
	const cJSON *frame;
	const char *fid = jstr(params, "frameId"), *v, *frag;

	if (strcmp(method, "Page.frameNavigated") == 0) {
		frame = cJSON_GetObjectItemCaseSensitive(params, "frame");
		if (cJSON_GetObjectItemCaseSensitive(frame, "parentId") != NULL)
			return;
		set_str(&t->loader, jstr(frame, "loaderId"));
		t->commits++;
		t->nav_req_ms = 0;
		/* An error page has the URL it stands for as unreachableUrl. */
		t->error_page = jstr(frame, "unreachableUrl") != NULL;
		if (!t->error_page && (v = jstr(frame, "url")) != NULL) {
			frag = jstr(frame, "urlFragment");
			free(t->url);
			t->url = xasprintf("%s%s", v, frag != NULL ? frag : "");
			set_str(&t->refused, NULL);
		}
		req_forget_old(t);
		touch(page);
		return;
	}
	if (strcmp(method, "Page.navigatedWithinDocument") == 0) {
		if (same(fid, t->target_id) && !t->error_page &&
		    (v = jstr(params, "url")) != NULL)
			set_str(&t->url, v);
		return;
	}
	if (strcmp(method, "Page.loadEventFired") == 0) {
		set_str(&t->loaded, t->loader);
		touch(page);
		return;
	}
	if (!same(fid, t->target_id))
		return;
	if (strcmp(method, "Page.lifecycleEvent") == 0) {
		if (same(jstr(params, "name"), "load")) {
			set_str(&t->loaded, jstr(params, "loaderId"));
			touch(page);
		}
	} else if (strcmp(method, "Page.frameStartedLoading") == 0) {
		t->loading = 1;
		t->nav_req_ms = 0;
		touch(page);
	} else if (strcmp(method, "Page.frameStoppedLoading") == 0) {
		t->loading = 0;
		t->nav_req_ms = 0;
		touch(page);
	} else if (strcmp(method, "Page.frameRequestedNavigation") == 0) {
		/* Other dispositions open a new tab, followed on its own. */
		if ((v = jstr(params, "disposition")) == NULL ||
		    strcmp(v, "currentTab") == 0) {
			t->nav_req_ms = cdp_now_ms();
			touch(page);
		}
	} else if (strcmp(method, "Page.frameStartedNavigating") == 0) {
		if (same(jstr(params, "navigationType"), "differentDocument")) {
			t->nav_req_ms = cdp_now_ms();
			touch(page);
		}
	}
}

/* Events of the browser session (no session id). */
static void
on_browser_event(struct cdp_page *page, const char *method,
    const cJSON *params)
{
	struct cdp_sess *t;

	/*
	 * New tabs come through cdp-attach.c.  Target discovery is not on,
	 * but another user of the connection may have switched it on.
	 */
	if (strcmp(method, "Target.targetDestroyed") == 0 ||
	    strcmp(method, "Target.targetCrashed") == 0) {
		if ((t = cdp_tab_find(page, jstr(params, "targetId"))) != NULL)
			tab_closed(page, t);
	} else if (strcmp(method, "Target.detachedFromTarget") == 0) {
		t = cdp_sess_find(page, jstr(params, "sessionId"));
		if (t != NULL && t->kind == CDP_SESS_TAB)
			tab_closed(page, t);
	}
}

/* The page's event handler. */
void
cdp_page_on_event(void *arg, const char *session, const char *method,
    const cJSON *params)
{
	struct cdp_page *page = arg;
	struct cdp_sess *s, *c;

	if (session == NULL) {
		on_browser_event(page, method, params);
		return;
	}
	if ((s = cdp_sess_find(page, session)) == NULL)
		return;
	if (strncmp(method, "Network.", 8) == 0) {
		if (strcmp(method, "Network.requestWillBeSent") == 0)
			on_request(page, s, params);
		else if (strcmp(method, "Network.loadingFinished") == 0 ||
		    strcmp(method, "Network.loadingFailed") == 0)
			on_request_done(page, s, params);
	} else if (strncmp(method, "Runtime.", 8) == 0) {
		if (strcmp(method, "Runtime.executionContextCreated") == 0)
			on_context_created(s, params);
		else if (strcmp(method,
		    "Runtime.executionContextDestroyed") == 0)
			on_context_destroyed(s, params);
		else if (strcmp(method,
		    "Runtime.executionContextsCleared") == 0)
			ctx_clear(s);
	} else if (strcmp(method, "Page.javascriptDialogOpening") == 0) {
		on_dialog(page, s, params);
	} else if (strcmp(method, "Fetch.requestPaused") == 0) {
		on_request_paused(page, s, params);
	} else if (strncmp(method, "Page.", 5) == 0) {
		if (s->kind == CDP_SESS_TAB)
			on_top_frame(page, s, method, params);
	} else if (strcmp(method, "Target.attachedToTarget") == 0) {
		on_child_attached(page, s, params);
	} else if (strcmp(method, "Target.detachedFromTarget") == 0) {
		c = cdp_sess_find(page, jstr(params, "sessionId"));
		if (c != NULL && c->kind == CDP_SESS_FRAME)
			sess_remove(page, c);
	} else if (strcmp(method, "Inspector.targetCrashed") == 0) {
		if (s->kind == CDP_SESS_TAB)
			tab_closed(page, s);
	}
}
