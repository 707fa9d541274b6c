/*
 * cdp-page.c: a tab in its own browser context: open and close, navigate
 * and settle, evaluate, frames, screenshots, viewport.
 *
 * The sessions and what their events say are kept by cdp-target.c; this
 * file makes the calls and waits on that state.  Waiting pumps the
 * connection, which may free OOPIF sessions and switch the followed tab,
 * so session pointers are looked up again after every call.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "log.h"
#include "private.h"
#include "xmalloc.h"

/* A navigation requested but not started is forgotten after this. */
#define PAGE_NAV_GRACE_MS	1000
/* Bound on waiting for a new tab's auto-attach (cdp_page_open()). */
#define PAGE_ATTACH_MS		5000
/* Bound on waiting for the page to finish handling an action (settle). */
#define PAGE_FLUSH_MS		1000
/* Deadline of the calls cdp_page_free() makes. */
#define PAGE_CLOSE_MS		5000
/* Cap on one decoded screenshot. */
#define PAGE_SHOT_MAX		(64u * 1024 * 1024)
/* Caps on frames listed and on their nesting. */
#define PAGE_MAX_FRAMES		1024
#define PAGE_MAX_DEPTH		64
/* Cap on one init script. */
#define PAGE_SCRIPT_MAX		(4u * 1024 * 1024)
/* Cap on a URL to navigate to. */
#define PAGE_URL_MAX		(2u * 1024 * 1024)

/*
 * The timer tracker, an init script of every page (main world, every
 * frame): wraps setTimeout, setInterval and their clear functions to keep
 * the due time of each pending timer, so that settling can tell a page
 * that has work coming within its idle window from one that has none.
 * window.__webnavTimers.busy(ms) (non-enumerable, read-only) is 1 when a
 * timer of this frame or of a frame inside it is due within ms (or
 * overdue), when a frame inside it cannot be asked (cross-origin, or
 * without the tracker), or when more than 10000 timers are pending; else
 * 0.  Timers with a string for callback are taken as run when due; one
 * more than a second overdue is taken as gone (cleared where the wrappers
 * do not see it).  The wrappers call the originals with the same this and
 * arguments and never throw errors of their own into the page.
 */
static const char page_timers_js[] =
    "(function(){'use strict';var W=window,st,ct,si,ci,due,over=0;"
    "try{if(W.__webnavTimers!==undefined)return;}catch(e){return;}"
    "st=W.setTimeout;ct=W.clearTimeout;si=W.setInterval;ci=W.clearInterval;"
    "if(typeof st!=='function'||typeof ct!=='function'||"
    "typeof si!=='function'||typeof ci!=='function'||"
    "!W.performance||typeof Map!=='function')return;"
    "due=new Map();"
    "function now(){return W.performance.now();}"
    /* [due, period, string callback] */
    "function track(id,ms,per,str){try{if(due.size>=10000){over=1;return;}"
    "due.set(id,[now()+ms,per,str]);}catch(e){}}"
    "function wrap(fn,get,per){return function(){try{var t;if(per>0){"
    "t=due.get(get());if(t)t[0]=now()+per;}else due.delete(get());}"
    "catch(e){}return fn.apply(this,arguments);};}"
    "function ms(v){v=+v;return v>0?v:0;}"
    "var w={setTimeout(fn,d){var a=arguments,id,f=typeof fn==='function';"
    "if(f)a[0]=wrap(fn,function(){return id;},0);"
    "id=st.apply(this,a);track(id,ms(d),0,!f);return id;},"
    "setInterval(fn,d){var a=arguments,id,f=typeof fn==='function',"
    "p=Math.max(ms(d),1);if(f)a[0]=wrap(fn,function(){return id;},p);"
    "id=si.apply(this,a);track(id,p,p,!f);return id;},"
    "clearTimeout(id){try{due.delete(id);}catch(e){}"
    "return ct.apply(this,arguments);},"
    "clearInterval(id){try{due.delete(id);}catch(e){}"
    "return ci.apply(this,arguments);}};"
    "function busy(win){var t=now(),i,n,f,b;if(over)return 1;"
    "for(var [id,e] of due){if(e[2]&&e[0]<t&&e[1]>0)"
    "e[0]+=Math.ceil((t-e[0])/e[1])*e[1];"
    "if((e[2]&&e[0]<t)||e[0]<t-1000){due.delete(id);continue;}"
    "if(e[0]<=t+win)return 1;}"
    "try{n=W.frames.length;}catch(e){return 1;}"
    "for(i=0;i<n;i++){try{f=W.frames[i];b=f.__webnavTimers;"
    "if(!b||typeof b.busy!=='function'||b.busy(win))return 1;}"
    "catch(e){return 1;}}return 0;}"
    "try{Object.defineProperty(W,'__webnavTimers',{value:"
    "Object.freeze({busy:busy}),writable:false,enumerable:false,"
    "configurable:false});}catch(e){return;}"
    "try{W.setTimeout=w.setTimeout;W.setInterval=w.setInterval;"
    "W.clearTimeout=w.clearTimeout;W.clearInterval=w.clearInterval;}"
    "catch(e){}})();";

/* Fills p with the defaults. */
void
cdp_page_default_params(struct cdp_page_params *p)
{
	memset(p, 0, sizeof(*p));
	p->width = 1280;
	p->height = 800;
	p->scale = 1;
	p->own_context = 1;
	p->nav_timeout_ms = 30000;
	p->quiet_ms = 300;
	p->idle_ms = 50;
	p->settle_max_ms = 3000;
	p->dialog_prompt_text = "";
}

/* A string member of o, or NULL. */
static const char *
jstr(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A number member of o, or NAN. */
static double
jnum(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsNumber(v) ? v->valuedouble : (double)NAN;
}

/* Returns 1 if a and b are both set and equal. */
static int
same(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
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

/* Checks viewport values. */
static int
viewport_ok(int width, int height, double scale)
{
	return width >= 1 && width <= 16384 && height >= 1 &&
	    height <= 16384 && isfinite(scale) && scale >= 0.1 && scale <= 10;
}

/* State of cdp_page_open()'s wait for its tab. */
struct page_tab {
	struct cdp_page	*page;
	const char	*tid;
};

/* Pump condition: the tab being opened was auto-attached to the page. */
static int
wait_tab(void *arg)
{
	struct page_tab *w = arg;

	return cdp_tab_find(w->page, w->tid) != NULL;
}

/* Opens a page. */
int
cdp_page_open(struct cdp_conn *conn, const struct cdp_page_params *p,
    struct cdp_page **pagep)
{
	struct cdp_page_params defaults;
	struct page_tab w;
	struct cdp_page *page = NULL;
	struct cdp_sess *s;
	cJSON *params = NULL, *res = NULL;
	const char *v;
	char *tid = NULL, *why;
	int r = ERR_INTERNAL, flags = 0;

	*pagep = NULL;
	if (p == NULL) {
		cdp_page_default_params(&defaults);
		p = &defaults;
	}
	if (!viewport_ok(p->width, p->height, p->scale) ||
	    p->nav_timeout_ms <= 0 || p->quiet_ms < 0 ||
	    p->settle_max_ms < 0) {
		cdp_conn_set_error(conn, "invalid page parameters");
		return ERR_INVALID;
	}
	page = xcalloc(1, sizeof(*page));
	page->conn = conn;
	page->p = *p;
	page->prompt_text = xstrdup(p->dialog_prompt_text != NULL ?
	    p->dialog_prompt_text : "");
	page->p.dialog_prompt_text = page->prompt_text;
	page->width = p->width;
	page->height = p->height;
	page->scale = p->scale;
	page->change_ms = cdp_now_ms();
	page->listen = cdp_conn_listen(conn, cdp_page_on_event, page);

	if (p->own_context) {
		if ((params = cJSON_CreateObject()) == NULL ||
		    cJSON_AddTrueToObject(params, "disposeOnDetach") == NULL) {
			r = ERR_NOMEM;
			goto out;
		}
		r = cdp_call(conn, NULL, "Target.createBrowserContext", params,
		    0, &res);
		params = NULL;
		if (r != 0)
			goto out;
		if ((v = jstr(res, "browserContextId")) == NULL) {
			cdp_conn_set_error(conn, "no browserContextId");
			r = ERR_PROTOCOL;
			goto out;
		}
		page->context = xstrdup(v);
		cdp_claim(page->context);
		cJSON_Delete(res);
		res = NULL;
	}
	/* New tabs wait to start until their page has set them up. */
	if ((r = cdp_attach_add(page)) != 0)
		goto out;

	/*
	 * Its own window even in the default context: a tab that is not in
	 * front of its window gets no animation frames, so input and
	 * screenshots would stall while another page is in front.
	 */
	if ((params = obj_str("url", "about:blank")) == NULL ||
	    cJSON_AddTrueToObject(params, "newWindow") == NULL ||
	    (page->context != NULL && cJSON_AddStringToObject(params,
	    "browserContextId", page->context) == NULL)) {
		r = ERR_NOMEM;
		goto out;
	}
	r = cdp_call(conn, NULL, "Target.createTarget", params, 0, &res);
	params = NULL;
	if (r != 0)
		goto out;
	if ((v = jstr(res, "targetId")) == NULL) {
		cdp_conn_set_error(conn, "no targetId");
		r = ERR_PROTOCOL;
		goto out;
	}
	tid = xstrdup(v);
	cJSON_Delete(res);
	res = NULL;

	/*
	 * In a context of its own the tab was auto-attached to the page,
	 * waiting, while it was being created (before the reply, in
	 * practice).  Elsewhere, or if that does not come, attach to it.
	 */
	memset(&w, 0, sizeof(w));
	w.page = page;
	w.tid = tid;
	if (page->context != NULL && (r = cdp_conn_pump(conn, PAGE_ATTACH_MS,
	    wait_tab, &w)) == ERR_CLOSED)
		goto out;
	if ((s = cdp_tab_find(page, tid)) != NULL)
		flags = CDP_SETUP_RESUME;
	else {
		if ((params = obj_str("targetId", tid)) == NULL ||
		    cJSON_AddTrueToObject(params, "flatten") == NULL) {
			r = ERR_NOMEM;
			goto out;
		}
		r = cdp_call(conn, NULL, "Target.attachToTarget", params, 0,
		    &res);
		params = NULL;
		if (r != 0) {
			/* Not ours yet: close it by hand. */
			if (page->context == NULL)
				cdp_call(conn, NULL, "Target.closeTarget",
				    obj_str("targetId", tid), PAGE_CLOSE_MS,
				    NULL);
			goto out;
		}
		if ((v = jstr(res, "sessionId")) == NULL ||
		    (s = cdp_sess_add(page, v, tid, CDP_SESS_TAB,
		    NULL)) == NULL) {
			cdp_conn_set_error(conn, "no sessionId");
			r = ERR_PROTOCOL;
			goto out;
		}
	}
	page->cur = s;
	/* The first init script: the timer tracker settling asks. */
	page->scripts[page->nscripts++] = xstrdup(page_timers_js);
	if ((r = cdp_sess_setup(page, s, flags)) != 0)
		goto out;
	/* The replies come in order: this one says the setup went through. */
	if ((r = cdp_call(conn, s->id, "Page.getFrameTree", NULL, 0,
	    NULL)) != 0)
		goto out;

	*pagep = page;
	page = NULL;
	r = 0;
out:
	cJSON_Delete(params);
	cJSON_Delete(res);
	free(tid);
	if (page != NULL) {
		/* Closing makes calls: keep the reason for the failure. */
		why = xstrdup(cdp_conn_error(conn));
		cdp_page_free(page);
		cdp_conn_set_error(conn, "%s", why);
		free(why);
	}
	return r;
}

/* Closes the page's tabs and context and frees it. */
void
cdp_page_free(struct cdp_page *page)
{
	char *tabs[CDP_MAX_SESSIONS];
	size_t i, n = 0;
	int r = ERR_INTERNAL;

	if (page == NULL)
		return;
	for (i = 0; i < page->nsess; i++)
		if (page->sess[i]->kind == CDP_SESS_TAB &&
		    !page->sess[i]->closed)
			tabs[n++] = xstrdup(page->sess[i]->target_id);
	if (cdp_conn_alive(page->conn) && page->context != NULL)
		r = cdp_call(page->conn, NULL, "Target.disposeBrowserContext",
		    obj_str("browserContextId", page->context), PAGE_CLOSE_MS,
		    NULL);
	/* Without a context of our own (or if disposing failed). */
	for (i = 0; i < n; i++) {
		if (r != 0 && cdp_conn_alive(page->conn))
			cdp_call(page->conn, NULL, "Target.closeTarget",
			    obj_str("targetId", tabs[i]), PAGE_CLOSE_MS, NULL);
		free(tabs[i]);
	}
	/* Screenshots never finished: their replies are of no use now. */
	for (i = 0; i < page->nshots; i++)
		cdp_call_discard(page->conn, page->shots[i]);
	cdp_attach_remove(page);
	cdp_conn_unlisten(page->conn, page->listen);
	cdp_sess_free_all(page);
	for (i = 0; i < page->nscripts; i++)
		free(page->scripts[i]);
	cdp_unclaim(page->context);
	free(page->context);
	free(page->prompt_text);
	free(page->last_dialog);
	free(page->last_blocked);
	free(page);
}

/* The connection the page was opened on. */
struct cdp_conn *
cdp_page_conn(struct cdp_page *page)
{
	return page->conn;
}

/* Session id of the followed tab ("" if there is none). */
const char *
cdp_page_session(const struct cdp_page *page)
{
	return page->cur != NULL ? page->cur->id : "";
}

/* Target id of the followed tab ("" if there is none). */
const char *
cdp_page_target(const struct cdp_page *page)
{
	return page->cur != NULL ? page->cur->target_id : "";
}

/* How many times the followed tab changed. */
int
cdp_page_generation(const struct cdp_page *page)
{
	return page->generation;
}

/* Dialogs answered so far and the last message. */
int
cdp_page_dialogs(const struct cdp_page *page, const char **lastp)
{
	if (lastp != NULL)
		*lastp = page->last_dialog != NULL ? page->last_dialog : "";
	return page->ndialogs;
}

/* Sets or removes the URL filter on every session of the page. */
int
cdp_page_set_url_filter(struct cdp_page *page, cdp_url_filter_fn *fn,
    void *arg)
{
	struct cdp_sess *t;
	char *sid;
	size_t i;
	int r, was = page->filter != NULL;

	if ((t = cdp_page_tab(page)) == NULL)
		return ERR_CLOSED;
	page->filter = fn;
	page->filter_arg = arg;
	if ((fn != NULL) == was)
		return 0;
	for (i = 0; i < page->nsess; i++)
		if (page->sess[i] != t && !page->sess[i]->closed &&
		    (r = cdp_queue_fetch(page, page->sess[i]->id,
		    fn != NULL)) != 0)
			return r;
	/*
	 * One session's calls are handled in order: a reply to a call after
	 * Fetch.enable on the followed tab says the filter is in place there.
	 */
	sid = xstrdup(t->id);
	if ((r = cdp_queue_fetch(page, sid, fn != NULL)) == 0)
		r = cdp_call(page->conn, sid, "Runtime.evaluate",
		    obj_str("expression", "0"), 0, NULL);
	free(sid);
	return r;
}

/* Requests blocked so far and the last URL. */
int
cdp_page_blocked(const struct cdp_page *page, const char **lastp)
{
	if (lastp != NULL)
		*lastp = page->last_blocked != NULL ? page->last_blocked : "";
	return page->nblocked;
}

/* Adds an init script to the page and all its sessions. */
int
cdp_page_add_init_script(struct cdp_page *page, const char *js)
{
	struct cdp_sess *t;
	char *sid = NULL;
	cJSON *p;
	size_t i;
	int r = ERR_INTERNAL;

	if (js == NULL || strlen(js) > PAGE_SCRIPT_MAX) {
		cdp_conn_set_error(page->conn, "init script too long");
		return ERR_INVALID;
	}
	if (page->nscripts == CDP_MAX_SCRIPTS) {
		cdp_conn_set_error(page->conn, "more than %d init scripts",
		    CDP_MAX_SCRIPTS);
		return ERR_TOOBIG;
	}
	if ((t = cdp_page_tab(page)) == NULL)
		return ERR_CLOSED;
	/* Stored first: sessions attached from now on get it in setup. */
	page->scripts[page->nscripts++] = xstrdup(js);
	sid = xstrdup(t->id);
	for (i = 0; i < page->nsess; i++) {
		if (page->sess[i] == t)
			continue;
		if ((p = obj_str("source", js)) == NULL) {
			r = ERR_NOMEM;
			goto out;
		}
		if ((r = cdp_send(page->conn, page->sess[i]->id,
		    "Page.addScriptToEvaluateOnNewDocument", p)) != 0)
			goto out;
	}
	if ((p = obj_str("source", js)) == NULL) {
		r = ERR_NOMEM;
		goto out;
	}
	r = cdp_call(page->conn, sid, "Page.addScriptToEvaluateOnNewDocument",
	    p, 0, NULL);
out:
	free(sid);
	return r;
}

/* State of a wait on the page. */
struct page_wait {
	struct cdp_page	*page;
	const char	*sid;		/* tab session */
	const char	*loader;	/* loaderId waited for */
	int		 saw;		/* that document committed */
	unsigned	 seq;		/* page->seq when the pump started */
};

/* Pump condition: the page's state changed. */
static int
wait_changed(void *arg)
{
	struct page_wait *w = arg;

	return w->page->seq != w->seq;
}

/*
 * Pump condition: the document w->loader has loaded, was replaced by a
 * newer one before it did, or the tab went away.
 */
static int
wait_loaded(void *arg)
{
	struct page_wait *w = arg;
	struct cdp_sess *t = cdp_sess_find(w->page, w->sid);

	if (t == NULL || t->closed)
		return 1;
	if (same(t->loader, w->loader))
		w->saw = 1;
	if (same(t->loaded, w->loader))
		return 1;
	return w->saw && !same(t->loader, w->loader);
}

/*
 * Waits until the followed tab has no navigation pending and no request
 * in flight for quiet_ms since the last change, if anything changed since
 * start, else for idle_ms since idle_from; or until deadline.  Follows tab
 * switches on the way.  0 or ERR_CLOSED (connection gone).
 */
static int
wait_quiet(struct cdp_page *page, long long start, long long idle_from,
    long long deadline, int idle_ms, int *quietp)
{
	struct page_wait w;
	struct cdp_sess *t;
	long long now, since, until;
	int nav, n, r, win;

	memset(&w, 0, sizeof(w));
	w.page = page;
	for (;;) {
		now = cdp_now_ms();
		if ((t = page->cur) == NULL || t->closed) {
			/* Nothing left to wait for. */
			*quietp = 1;
			return 0;
		}
		nav = t->loading || (t->nav_req_ms != 0 &&
		    now - t->nav_req_ms < PAGE_NAV_GRACE_MS);
		n = cdp_page_inflight(page, t, now, page->p.settle_max_ms);
		/*
		 * Once anything happened, the full quiet window; while
		 * nothing has, only idle_ms to give the page a chance to
		 * start something.
		 */
		if (page->change_ms >= start) {
			since = page->change_ms;
			win = page->p.quiet_ms;
		} else {
			since = idle_from;
			win = idle_ms;
		}
		until = deadline;
		if (!nav && n == 0) {
			if (now - since >= win) {
				*quietp = 1;
				return 0;
			}
			until = since + win;
		} else if (!t->loading && t->nav_req_ms != 0)
			until = t->nav_req_ms + PAGE_NAV_GRACE_MS;
		else if (n > 0)
			until = now + 100;	/* requests age out */
		if (until > deadline)
			until = deadline;
		if (now >= deadline) {
			*quietp = !nav && n == 0;
			return 0;
		}
		w.seq = page->seq;
		r = cdp_conn_pump(page->conn, (int)(until - now),
		    wait_changed, &w);
		if (r == ERR_CLOSED)
			return r;
	}
}

/* Stops loading after a timeout, so the tab stays usable. */
static void
stop_loading(struct cdp_page *page, const char *sid)
{
	int r;

	if ((r = cdp_call(page->conn, sid, "Page.stopLoading", NULL,
	    PAGE_CLOSE_MS, NULL)) != 0)
		log_debug("cdp: Page.stopLoading: %s", err_str(r));
}

/* Navigates the followed tab and waits until it settled. */
int
cdp_page_navigate(struct cdp_page *page, const char *url, int timeout_ms)
{
	struct page_wait w;
	struct cdp_sess *t;
	cJSON *res = NULL;
	const char *v;
	char *sid = NULL, *loader = NULL, *why = NULL;
	long long deadline, now;
	int r = ERR_INTERNAL, quiet;

	if (url == NULL || *url == '\0' || strlen(url) > PAGE_URL_MAX) {
		cdp_conn_set_error(page->conn, "invalid URL");
		return ERR_INVALID;
	}
	if (timeout_ms <= 0)
		timeout_ms = page->p.nav_timeout_ms;
	if ((t = cdp_page_tab(page)) == NULL)
		return ERR_CLOSED;
	sid = xstrdup(t->id);
	deadline = cdp_now_ms() + timeout_ms;

	r = cdp_call(page->conn, sid, "Page.navigate", obj_str("url", url),
	    timeout_ms, &res);
	if (r == ERR_TIMEOUT)
		goto timeout;	/* the document itself never came */
	if (r == ERR_CDP) {
		/* "Cannot navigate to invalid URL" and the like. */
		why = xstrdup(cdp_conn_error(page->conn));
		cdp_conn_set_error(page->conn, "%s loading %s", why, url);
		r = ERR_NAV;
		goto out;
	}
	if (r != 0)
		goto out;
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(res,
	    "isDownload"))) {
		cdp_conn_set_error(page->conn, "%s is a download", url);
		r = ERR_NAV;
		goto out;
	}
	if ((v = jstr(res, "errorText")) != NULL && *v != '\0') {
		cdp_conn_set_error(page->conn, "%s loading %s", v, url);
		r = ERR_NAV;
		goto out;
	}
	if ((v = jstr(res, "loaderId")) != NULL) {
		/* A new document (a fragment change has no loader). */
		loader = xstrdup(v);
		memset(&w, 0, sizeof(w));
		w.page = page;
		w.sid = sid;
		w.loader = loader;
		now = cdp_now_ms();
		r = cdp_conn_pump(page->conn, now < deadline ?
		    (int)(deadline - now) : 0, wait_loaded, &w);
		if (r == ERR_TIMEOUT)
			goto timeout;
		if (r != 0)
			goto out;
		if ((t = cdp_sess_find(page, sid)) == NULL || t->closed) {
			cdp_conn_set_error(page->conn,
			    "the tab closed while loading %s", url);
			r = ERR_CLOSED;
			goto out;
		}
	}
	now = cdp_now_ms();
	r = wait_quiet(page, now, now, now + page->p.settle_max_ms,
	    page->p.quiet_ms, &quiet);
	goto out;

timeout:
	/* Keep the reason: stopping makes calls that reset the error. */
	free(why);
	why = xasprintf("page did not finish loading within %d ms: %s",
	    timeout_ms, url);
	stop_loading(page, sid);
	cdp_conn_set_error(page->conn, "%s", why);
	r = ERR_TIMEOUT;
out:
	cJSON_Delete(res);
	free(sid);
	free(loader);
	free(why);
	return r;
}

/* State of the wait for the page to handle an action. */
struct page_flush {
	struct cdp_page	*page;
	int		 id;		/* the evaluation's call id */
	unsigned	 seq;		/* page->seq when it started */
};

/* Pump condition: the evaluation is done, or the page did something. */
static int
flush_done(void *arg)
{
	struct page_flush *f = arg;

	return f->page->seq != f->seq || cdp_call_ready(f->page->conn, f->id);
}

/*
 * The flush's expression: resolves after the next animation frame and a
 * task after it, with 0 if no timer (page_timers_js) is due within ms, 1
 * if one is, 2 if the page cannot tell (no tracker).
 */
#define PAGE_FLUSH_JS \
	"new Promise(function (ok) { requestAnimationFrame(function () { " \
	"setTimeout(function () { var t; try { t = window.__webnavTimers; " \
	"ok(t && typeof t.busy === 'function' ? t.busy(%d) : 2); } " \
	"catch (e) { ok(2); } }, 0); }); })"

/*
 * Waits, until deadline at most, for the followed tab to have handled
 * what it was sent: an evaluation in its top frame that resolves after the
 * next animation frame and a task after it.  Input events, the handlers
 * they run and the navigations those start are dealt with by then; a
 * navigation starting is announced before the reply.  The wait ends early
 * once the page shows activity, and is skipped while a navigation is
 * under way (Chromium holds calls into the page then).  *calmp is 1 when
 * the evaluation came back saying that no timer of the page is due within
 * idle_ms, else 0.  0, or ERR_CLOSED.
 */
static int
page_flush(struct cdp_page *page, long long deadline, int *calmp)
{
	struct page_flush f;
	struct cdp_sess *t = page->cur;
	const cJSON *v;
	cJSON *p, *res = NULL;
	long long now = cdp_now_ms(), until = now + PAGE_FLUSH_MS;
	char *expr;
	int r;

	*calmp = 0;
	if (t == NULL || t->closed || t->loading || t->nav_req_ms != 0 ||
	    now >= deadline)
		return 0;
	if (until > deadline)
		until = deadline;
	expr = xasprintf(PAGE_FLUSH_JS, page->p.idle_ms);
	p = obj_str("expression", expr);
	free(expr);
	if (p == NULL || cJSON_AddTrueToObject(p, "awaitPromise") == NULL ||
	    cJSON_AddTrueToObject(p, "returnByValue") == NULL) {
		cJSON_Delete(p);
		return 0;
	}
	memset(&f, 0, sizeof(f));
	f.page = page;
	f.seq = page->seq;
	if ((r = cdp_call_start(page->conn, t->id, "Runtime.evaluate", p,
	    &f.id)) != 0)
		return r == ERR_CLOSED ? r : 0;
	r = cdp_conn_pump(page->conn, (int)(until - now), flush_done, &f);
	/* An error is as good as a reply, but says nothing of timers. */
	if (cdp_call_ready(page->conn, f.id)) {
		if (cdp_call_finish(page->conn, f.id, 1, &res) == ERR_CLOSED)
			r = ERR_CLOSED;
		v = cJSON_GetObjectItemCaseSensitive(res, "result");
		v = cJSON_GetObjectItemCaseSensitive(v, "value");
		*calmp = page->seq == f.seq && cJSON_IsNumber(v) &&
		    v->valueint == 0;
		cJSON_Delete(res);
	} else
		cdp_call_discard(page->conn, f.id);
	return r == ERR_CLOSED ? r : 0;
}

/*
 * Waits until the page is quiet after an action.  A page that did nothing
 * by the end of the flush and has no timer due within idle_ms is quiet at
 * once; one that cannot tell is watched for idle_ms, counted from the
 * start: the action's input calls returned once the page's handlers had
 * run, so the flush is part of that window.
 */
int
cdp_page_settle(struct cdp_page *page, int max_ms, int *quietp)
{
	long long start = cdp_now_ms(), deadline;
	int r, quiet = 0, calm;

	if (max_ms < 0)
		max_ms = 0;
	deadline = start + max_ms;
	if ((r = page_flush(page, deadline, &calm)) != 0)
		return r;
	r = wait_quiet(page, start, start, deadline, calm ? 0 :
	    page->p.idle_ms, &quiet);
	if (r == 0 && quietp != NULL)
		*quietp = quiet;
	return r;
}

/* The followed tab's URL, or the last one it loaded for a refusal. */
int
cdp_page_url(struct cdp_page *page, char **urlp)
{
	struct cdp_sess *t;
	cJSON *res = NULL;
	const char *v;
	char *sid = NULL;
	int r = ERR_INTERNAL;

	*urlp = NULL;
	if ((t = cdp_page_tab(page)) == NULL)
		return ERR_CLOSED;
	sid = xstrdup(t->id);
	if ((r = cdp_call(page->conn, NULL, "Target.getTargetInfo",
	    obj_str("targetId", t->target_id), 0, &res)) != 0)
		goto out;
	if ((v = jstr(cJSON_GetObjectItemCaseSensitive(res, "targetInfo"),
	    "url")) == NULL) {
		cdp_conn_set_error(page->conn, "no url in targetInfo");
		r = ERR_PROTOCOL;
		goto out;
	}
	/*
	 * After a refused navigation Chromium shows its error page under
	 * the refused URL (before that commits, no URL at all), though
	 * nothing was loaded from there: say where the tab really is.
	 */
	if ((t = cdp_sess_find(page, sid)) != NULL && t->refused != NULL) {
		log_debug("cdp: %s was refused; the tab is at %s", v,
		    t->url != NULL ? t->url : "about:blank");
		v = t->url != NULL ? t->url : "about:blank";
	}
	*urlp = xstrdup(v);
	r = 0;
out:
	cJSON_Delete(res);
	free(sid);
	return r;
}

/* Turns a by-value RemoteObject into a JSON value. */
static cJSON *
remote_value(const cJSON *ro)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(ro, "value");
	const char *u = jstr(ro, "unserializableValue");

	if (v != NULL)
		return cJSON_Duplicate(v, 1);
	if (u != NULL) {
		/* NaN, Infinity, -Infinity, -0 or a BigInt ("12n"). */
		if (strcmp(u, "NaN") == 0)
			return cJSON_CreateNumber(NAN);
		if (strcmp(u, "Infinity") == 0)
			return cJSON_CreateNumber(INFINITY);
		if (strcmp(u, "-Infinity") == 0)
			return cJSON_CreateNumber(-INFINITY);
		if (strcmp(u, "-0") == 0)
			return cJSON_CreateNumber(-0.0);
		return cJSON_CreateString(u);
	}
	return cJSON_CreateNull();	/* undefined */
}

/* Sets the conn error from Runtime exceptionDetails. */
void
cdp_set_exception(struct cdp_conn *conn, const cJSON *ed)
{
	const cJSON *ex = cJSON_GetObjectItemCaseSensitive(ed, "exception");
	const char *text = jstr(ed, "text"), *desc = jstr(ex, "description");
	const cJSON *val = cJSON_GetObjectItemCaseSensitive(ex, "value");
	char *vs = NULL;
	size_t n;

	if (text == NULL)
		text = "exception";
	if (desc == NULL && val != NULL) {
		if (cJSON_IsString(val))
			desc = val->valuestring;
		else if ((vs = cJSON_PrintUnformatted(val)) != NULL)
			desc = vs;
	}
	if (desc == NULL) {
		cdp_conn_set_error(conn, "%s", text);
	} else {
		n = strcspn(desc, "\n");
		if (strncmp(desc, text, strlen(text)) == 0)
			cdp_conn_set_error(conn, "%.*s", (int)n, desc);
		else
			cdp_conn_set_error(conn, "%s %.*s", text, (int)n, desc);
	}
	cJSON_free(vs);
}

/* Evaluates expr in a session, in context ctx (0: its main frame). */
static int
eval_in(struct cdp_page *page, const char *sid, int ctx, const char *expr,
    int timeout_ms, cJSON **valuep)
{
	cJSON *p = NULL, *res = NULL, *val = NULL;
	const cJSON *ed;
	int r = ERR_INTERNAL;

	if (valuep != NULL)
		*valuep = NULL;
	if (expr == NULL) {
		cdp_conn_set_error(page->conn, "no expression");
		return ERR_INVALID;
	}
	if ((p = obj_str("expression", expr)) == NULL ||
	    cJSON_AddTrueToObject(p, "returnByValue") == NULL ||
	    cJSON_AddTrueToObject(p, "awaitPromise") == NULL ||
	    cJSON_AddTrueToObject(p, "userGesture") == NULL ||
	    (ctx != 0 && cJSON_AddNumberToObject(p, "contextId", ctx) ==
	    NULL)) {
		r = ERR_NOMEM;
		goto out;
	}
	r = cdp_call(page->conn, sid, "Runtime.evaluate", p, timeout_ms, &res);
	p = NULL;
	if (r != 0)
		goto out;
	if ((ed = cJSON_GetObjectItemCaseSensitive(res,
	    "exceptionDetails")) != NULL) {
		cdp_set_exception(page->conn, ed);
		r = ERR_CDP;
		goto out;
	}
	if (valuep != NULL) {
		if ((val = remote_value(cJSON_GetObjectItemCaseSensitive(res,
		    "result"))) == NULL) {
			r = ERR_NOMEM;
			goto out;
		}
		*valuep = val;
	}
	r = 0;
out:
	cJSON_Delete(p);
	cJSON_Delete(res);
	return r;
}

/* Evaluates expr in the followed tab's top frame. */
int
cdp_page_eval(struct cdp_page *page, const char *expr, int timeout_ms,
    cJSON **valuep)
{
	struct cdp_sess *t;
	char *sid;
	int r;

	if (valuep != NULL)
		*valuep = NULL;
	if ((t = cdp_page_tab(page)) == NULL)
		return ERR_CLOSED;
	sid = xstrdup(t->id);
	r = eval_in(page, sid, 0, expr, timeout_ms, valuep);
	free(sid);
	return r;
}

/* Where to evaluate in frame f. */
int
cdp_frame_target(struct cdp_page *page, const struct cdp_frame *f,
    char **sidp, int *ctxp)
{
	struct cdp_sess *s, *t;
	int ctx;

	*sidp = NULL;
	if (f == NULL) {
		if ((t = cdp_page_tab(page)) == NULL)
			return ERR_CLOSED;
		*sidp = xstrdup(t->id);
		*ctxp = 0;
		return 0;
	}
	if ((s = cdp_sess_find(page, f->session)) == NULL) {
		cdp_conn_set_error(page->conn, "frame %s is gone", f->frame_id);
		return ERR_NOTFOUND;
	}
	if ((ctx = cdp_sess_context(s, f->frame_id)) == 0 &&
	    !same(f->frame_id, s->target_id)) {
		cdp_conn_set_error(page->conn,
		    "frame %s has no execution context", f->frame_id);
		return ERR_NOTFOUND;
	}
	*sidp = xstrdup(s->id);
	*ctxp = ctx;
	return 0;
}

/* Evaluates expr in frame f. */
int
cdp_frame_eval(struct cdp_page *page, const struct cdp_frame *f,
    const char *expr, int timeout_ms, cJSON **valuep)
{
	char *sid = NULL;
	int r, ctx = 0;

	if (valuep != NULL)
		*valuep = NULL;
	if ((r = cdp_frame_target(page, f, &sid, &ctx)) != 0)
		return r;
	r = eval_in(page, sid, ctx, expr, timeout_ms, valuep);
	free(sid);
	return r;
}

/* A frame while listing. */
struct page_fent {
	char	*id, *parent, *url, *sid;
	int	 done;
};

struct page_flist {
	struct page_fent *e;
	size_t		  n;
};

/* Adds the frames of one session's frame tree to the list. */
static int
frames_collect(struct page_flist *l, const cJSON *node, const char *sid,
    int oopif_root, int depth)
{
	const cJSON *fr = cJSON_GetObjectItemCaseSensitive(node, "frame");
	const cJSON *kids = cJSON_GetObjectItemCaseSensitive(node,
	    "childFrames"), *k;
	const char *id = jstr(fr, "id"), *parent = jstr(fr, "parentId");
	const char *url = jstr(fr, "url");
	struct page_fent *e;
	size_t i;
	int r;

	if (id == NULL)
		return ERR_PROTOCOL;
	if (depth > PAGE_MAX_DEPTH)
		return ERR_TOOBIG;
	for (i = 0; i < l->n; i++) {
		if (strcmp(l->e[i].id, id) == 0)
			break;
	}
	if (i < l->n) {
		/* A frame seen from two sides: the OOPIF's session owns it. */
		if (oopif_root) {
			free(l->e[i].sid);
			free(l->e[i].url);
			l->e[i].sid = xstrdup(sid);
			l->e[i].url = xstrdup(url != NULL ? url : "");
		}
	} else {
		if (l->n == PAGE_MAX_FRAMES)
			return ERR_TOOBIG;
		e = &l->e[l->n++];
		e->id = xstrdup(id);
		e->parent = parent != NULL ? xstrdup(parent) : NULL;
		e->url = xstrdup(url != NULL ? url : "");
		e->sid = xstrdup(sid);
		e->done = 0;
	}
	cJSON_ArrayForEach(k, kids) {
		if ((r = frames_collect(l, k, sid, 0, depth + 1)) != 0)
			return r;
	}
	return 0;
}

/* Emits frame i and its subtree, parents first. */
static void
frames_emit(struct cdp_page *page, struct page_flist *l, size_t i,
    int depth, struct cdp_frame *out, size_t *np)
{
	struct cdp_frame *f = &out[(*np)++];
	struct page_fent *e = &l->e[i];
	struct cdp_sess *s;
	size_t j;

	e->done = 1;
	f->frame_id = xstrdup(e->id);
	f->parent_id = depth > 0 && e->parent != NULL ?
	    xstrdup(e->parent) : NULL;
	f->session = xstrdup(e->sid);
	f->url = xstrdup(e->url);
	f->context_id = (s = cdp_sess_find(page, e->sid)) != NULL ?
	    cdp_sess_context(s, e->id) : 0;
	f->depth = depth;
	if (depth >= PAGE_MAX_DEPTH)
		return;
	for (j = 0; j < l->n; j++)
		if (!l->e[j].done && same(l->e[j].parent, e->id))
			frames_emit(page, l, j, depth + 1, out, np);
}

/* Lists the frames of the followed tab. */
int
cdp_page_frames(struct cdp_page *page, struct cdp_frame **framesp,
    size_t *nframesp)
{
	struct page_flist l;
	struct cdp_frame *out = NULL;
	struct cdp_sess *t, *s;
	char *sids[CDP_MAX_SESSIONS], *tid = NULL;
	int roots[CDP_MAX_SESSIONS];
	cJSON *res = NULL;
	size_t i, n = 0, nsids = 0;
	int r = ERR_INTERNAL;

	*framesp = NULL;
	*nframesp = 0;
	memset(&l, 0, sizeof(l));
	if ((t = cdp_page_tab(page)) == NULL)
		return ERR_CLOSED;
	tid = xstrdup(t->target_id);
	/* The tab's own session first, then its OOPIFs in attach order. */
	sids[nsids] = xstrdup(t->id);
	roots[nsids++] = 0;
	for (i = 0; i < page->nsess; i++) {
		s = page->sess[i];
		if (s->tab == t && s != t) {
			sids[nsids] = xstrdup(s->id);
			roots[nsids++] = 1;
		}
	}
	l.e = xreallocarray(NULL, PAGE_MAX_FRAMES, sizeof(*l.e));
	for (i = 0; i < nsids; i++) {
		r = cdp_call(page->conn, sids[i], "Page.getFrameTree", NULL, 0,
		    &res);
		if (r != 0 && i > 0)
			continue;	/* an OOPIF that went away meanwhile */
		if (r != 0)
			goto out;
		r = frames_collect(&l, cJSON_GetObjectItemCaseSensitive(res,
		    "frameTree"), sids[i], roots[i], 0);
		cJSON_Delete(res);
		res = NULL;
		if (r != 0) {
			cdp_conn_set_error(page->conn, "bad frame tree: %s",
			    err_str(r));
			goto out;
		}
	}
	out = xcalloc(l.n + 1, sizeof(*out));
	for (i = 0; i < l.n; i++)
		if (strcmp(l.e[i].id, tid) == 0)
			break;
	if (i == l.n) {
		cdp_conn_set_error(page->conn, "top frame not in frame tree");
		r = ERR_PROTOCOL;
		goto out;
	}
	frames_emit(page, &l, i, 0, out, &n);
	*framesp = out;
	*nframesp = n;
	out = NULL;
	r = 0;
out:
	cdp_frames_free(out, n);
	for (i = 0; i < l.n; i++) {
		free(l.e[i].id);
		free(l.e[i].parent);
		free(l.e[i].url);
		free(l.e[i].sid);
	}
	free(l.e);
	for (i = 0; i < nsids; i++)
		free(sids[i]);
	free(tid);
	cJSON_Delete(res);
	return r;
}

/* Frees a frame list. */
void
cdp_frames_free(struct cdp_frame *frames, size_t n)
{
	size_t i;

	if (frames == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(frames[i].frame_id);
		free(frames[i].parent_id);
		free(frames[i].session);
		free(frames[i].url);
	}
	free(frames);
}

/*
 * Content-box origin of the iframe element owning frame fid, in the
 * viewport of session sid's main frame.
 */
static int
owner_box(struct cdp_page *page, const char *sid, const char *fid,
    double *xp, double *yp)
{
	cJSON *res = NULL, *p = NULL;
	const cJSON *quad;
	double id;
	int r = ERR_INTERNAL;

	if ((r = cdp_call(page->conn, sid, "DOM.getFrameOwner",
	    obj_str("frameId", fid), 0, &res)) != 0)
		goto out;
	if (!isfinite(id = jnum(res, "backendNodeId"))) {
		cdp_conn_set_error(page->conn, "no owner for frame %s", fid);
		r = ERR_NOTFOUND;
		goto out;
	}
	cJSON_Delete(res);
	res = NULL;
	if ((p = cJSON_CreateObject()) == NULL ||
	    cJSON_AddNumberToObject(p, "backendNodeId", id) == NULL) {
		r = ERR_NOMEM;
		goto out;
	}
	r = cdp_call(page->conn, sid, "DOM.getBoxModel", p, 0, &res);
	p = NULL;
	if (r != 0)
		goto out;
	quad = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(res, "model"), "content");
	if (cJSON_GetArraySize(quad) != 8 ||
	    !cJSON_IsNumber(cJSON_GetArrayItem(quad, 0)) ||
	    !cJSON_IsNumber(cJSON_GetArrayItem(quad, 1))) {
		cdp_conn_set_error(page->conn, "bad box model for frame %s",
		    fid);
		r = ERR_PROTOCOL;
		goto out;
	}
	*xp = cJSON_GetArrayItem(quad, 0)->valuedouble;
	*yp = cJSON_GetArrayItem(quad, 1)->valuedouble;
	r = 0;
out:
	cJSON_Delete(p);
	cJSON_Delete(res);
	return r;
}

/* The frame's content origin in top-level viewport CSS px. */
int
cdp_frame_offset(struct cdp_page *page, const struct cdp_frame *f,
    double *xp, double *yp)
{
	struct cdp_sess *s, *owner;
	char *sid = NULL, *fid = NULL, *osid = NULL;
	double x = 0, y = 0, bx, by;
	int r = ERR_INTERNAL, hops;

	sid = xstrdup(f->session);
	fid = xstrdup(f->frame_id);
	/*
	 * Box models are relative to the viewport of the session's main
	 * frame, whatever local frames lie between: one hop per session.
	 */
	for (hops = 0; hops <= PAGE_MAX_DEPTH; hops++) {
		if ((s = cdp_sess_find(page, sid)) == NULL) {
			cdp_conn_set_error(page->conn, "frame %s is gone",
			    f->frame_id);
			r = ERR_NOTFOUND;
			goto out;
		}
		if (strcmp(fid, s->target_id) == 0) {
			if (s->kind == CDP_SESS_TAB) {
				*xp = x;
				*yp = y;
				r = 0;
				goto out;
			}
			owner = s->parent;
		} else
			owner = s;
		osid = xstrdup(owner->id);
		if ((r = owner_box(page, osid, fid, &bx, &by)) != 0)
			goto out;
		x += bx;
		y += by;
		if ((owner = cdp_sess_find(page, osid)) == NULL) {
			cdp_conn_set_error(page->conn, "frame %s is gone",
			    f->frame_id);
			r = ERR_NOTFOUND;
			goto out;
		}
		free(fid);
		fid = xstrdup(owner->target_id);
		free(sid);
		sid = osid;
		osid = NULL;
	}
	cdp_conn_set_error(page->conn, "frames nested too deeply");
	r = ERR_TOOBIG;
out:
	free(sid);
	free(fid);
	free(osid);
	return r;
}

/* Base64 alphabet to values; 255 for anything else. */
static const unsigned char b64_tab[256] = {
	255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 62, 255, 255, 255, 63,
	52, 53, 54, 55, 56, 57, 58, 59,
	60, 61, 255, 255, 255, 255, 255, 255,
	255, 0, 1, 2, 3, 4, 5, 6,
	7, 8, 9, 10, 11, 12, 13, 14,
	15, 16, 17, 18, 19, 20, 21, 22,
	23, 24, 25, 255, 255, 255, 255, 255,
	255, 26, 27, 28, 29, 30, 31, 32,
	33, 34, 35, 36, 37, 38, 39, 40,
	41, 42, 43, 44, 45, 46, 47, 48,
	49, 50, 51, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255,
};

/*
 * Decodes standard base64 (padding optional, no whitespace) into a new
 * buffer of at most max bytes.  ERR_PARSE on a bad character or length.
 */
static int
b64_decode(const char *in, size_t n, size_t max, unsigned char **outp,
    size_t *lenp)
{
	const unsigned char *s = (const unsigned char *)in;
	unsigned char *out, *o;
	unsigned a, b, c, d;
	size_t i, full, rest;

	*outp = NULL;
	if (n > 0 && s[n - 1] == '=')
		n--;
	if (n > 0 && s[n - 1] == '=')
		n--;
	full = n / 4;
	rest = n % 4;
	if (rest == 1)
		return ERR_PARSE;
	if (full > max / 3 || full * 3 + (rest ? rest - 1 : 0) > max)
		return ERR_TOOBIG;
	if ((out = malloc(full * 3 + rest + 1)) == NULL)
		return ERR_NOMEM;
	o = out;
	for (i = 0; i < full; i++, s += 4) {
		a = b64_tab[s[0]];
		b = b64_tab[s[1]];
		c = b64_tab[s[2]];
		d = b64_tab[s[3]];
		if ((a | b | c | d) > 63)
			goto bad;
		*o++ = (unsigned char)(a << 2 | b >> 4);
		*o++ = (unsigned char)(b << 4 | c >> 2);
		*o++ = (unsigned char)(c << 6 | d);
	}
	if (rest >= 2) {
		a = b64_tab[s[0]];
		b = b64_tab[s[1]];
		if ((a | b) > 63)
			goto bad;
		*o++ = (unsigned char)(a << 2 | b >> 4);
		if (rest == 3) {
			if ((c = b64_tab[s[2]]) > 63)
				goto bad;
			*o++ = (unsigned char)(b << 4 | c >> 2);
		}
	}
	*outp = out;
	*lenp = (size_t)(o - out);
	return 0;
bad:
	free(out);
	return ERR_PARSE;
}

/* Starts a capture of the followed tab's viewport. */
int
cdp_page_screenshot_start(struct cdp_page *page, enum cdp_image_format fmt,
    int quality, int fast, int *idp)
{
	struct cdp_sess *t;
	cJSON *p = NULL;
	char *sid = NULL;
	int r = ERR_INTERNAL;

	if (page->nshots == CDP_MAX_SHOTS) {
		cdp_conn_set_error(page->conn, "more than %d screenshots "
		    "started", CDP_MAX_SHOTS);
		return ERR_TOOBIG;
	}
	if ((t = cdp_page_tab(page)) == NULL)
		return ERR_CLOSED;
	sid = xstrdup(t->id);
	if (quality < 1)
		quality = 1;
	if (quality > 100)
		quality = 100;
	if ((p = obj_str("format", fmt == CDP_IMG_JPEG ? "jpeg" :
	    "png")) == NULL ||
	    (fmt == CDP_IMG_JPEG &&
	    cJSON_AddNumberToObject(p, "quality", quality) == NULL) ||
	    (fast && cJSON_AddTrueToObject(p, "optimizeForSpeed") == NULL) ||
	    cJSON_AddFalseToObject(p, "captureBeyondViewport") == NULL ||
	    cJSON_AddTrueToObject(p, "fromSurface") == NULL) {
		cJSON_Delete(p);
		r = ERR_NOMEM;
		goto out;
	}
	if ((r = cdp_call_start(page->conn, sid, "Page.captureScreenshot", p,
	    idp)) == 0)
		page->shots[page->nshots++] = *idp;
out:
	free(sid);
	return r;
}

/*
 * Collects the image of a capture started by cdp_page_screenshot_start().
 * A discarded capture is waited for all the same: when a capture ends, the
 * browser restores the device metrics it had when it began, which would
 * undo a viewport set in between.
 */
int
cdp_page_screenshot_finish(struct cdp_page *page, int id,
    unsigned char **datap, size_t *lenp)
{
	cJSON *res = NULL;
	const cJSON *data;
	size_t i;
	int r = ERR_INTERNAL;

	if (datap != NULL) {
		*datap = NULL;
		*lenp = 0;
	}
	for (i = 0; i < page->nshots; i++)
		if (page->shots[i] == id)
			break;
	if (i == page->nshots) {
		cdp_conn_set_error(page->conn, "no screenshot %d started", id);
		return ERR_INVALID;
	}
	page->shots[i] = page->shots[--page->nshots];
	r = cdp_call_finish(page->conn, id, 0, &res);
	if (datap == NULL) {
		r = 0;
		goto out;
	}
	if (r != 0)
		goto out;
	data = cJSON_GetObjectItemCaseSensitive(res, "data");
	if (!cJSON_IsString(data)) {
		cdp_conn_set_error(page->conn, "screenshot without data");
		r = ERR_PROTOCOL;
		goto out;
	}
	if ((r = b64_decode(data->valuestring, strlen(data->valuestring),
	    PAGE_SHOT_MAX, datap, lenp)) != 0) {
		cdp_conn_set_error(page->conn, "screenshot data: %s",
		    err_str(r));
		goto out;
	}
	r = 0;
out:
	cJSON_Delete(res);
	return r;
}

/* Captures the viewport of the followed tab. */
int
cdp_page_screenshot(struct cdp_page *page, enum cdp_image_format fmt,
    int quality, int fast, unsigned char **datap, size_t *lenp)
{
	int r, id = 0;

	*datap = NULL;
	*lenp = 0;
	if ((r = cdp_page_screenshot_start(page, fmt, quality, fast,
	    &id)) != 0)
		return r;
	return cdp_page_screenshot_finish(page, id, datap, lenp);
}

/* Sets the viewport of the followed tab (and of tabs followed later). */
int
cdp_page_set_viewport(struct cdp_page *page, int width, int height,
    double scale)
{
	struct cdp_sess *t;
	cJSON *p;
	char *sid;
	int r;

	if (!viewport_ok(width, height, scale)) {
		cdp_conn_set_error(page->conn, "invalid viewport %dx%d@%g",
		    width, height, scale);
		return ERR_INVALID;
	}
	if (page->nshots > 0) {
		/* Its end would put the old metrics back. */
		cdp_conn_set_error(page->conn, "cannot set the viewport while "
		    "a screenshot is being captured");
		return ERR_INVALID;
	}
	if ((t = cdp_page_tab(page)) == NULL)
		return ERR_CLOSED;
	if ((p = cJSON_CreateObject()) == NULL ||
	    cJSON_AddNumberToObject(p, "width", width) == NULL ||
	    cJSON_AddNumberToObject(p, "height", height) == NULL ||
	    cJSON_AddNumberToObject(p, "deviceScaleFactor", scale) == NULL ||
	    cJSON_AddFalseToObject(p, "mobile") == NULL) {
		cJSON_Delete(p);
		return ERR_NOMEM;
	}
	sid = xstrdup(t->id);
	r = cdp_call(page->conn, sid, "Emulation.setDeviceMetricsOverride", p,
	    0, NULL);
	free(sid);
	if (r == 0) {
		page->width = width;
		page->height = height;
		page->scale = scale;
	}
	return r;
}

/* Reads the viewport size and scroll position of the followed tab. */
int
cdp_page_get_viewport(struct cdp_page *page, int *widthp, int *heightp,
    double *scrollxp, double *scrollyp)
{
	struct cdp_sess *t;
	cJSON *res = NULL;
	const cJSON *vv;
	double w, h, sx, sy;
	char *sid;
	int r = ERR_INTERNAL;

	if ((t = cdp_page_tab(page)) == NULL)
		return ERR_CLOSED;
	sid = xstrdup(t->id);
	if ((r = cdp_call(page->conn, sid, "Page.getLayoutMetrics", NULL, 0,
	    &res)) != 0)
		goto out;
	vv = cJSON_GetObjectItemCaseSensitive(res, "cssVisualViewport");
	w = jnum(vv, "clientWidth");
	h = jnum(vv, "clientHeight");
	sx = jnum(vv, "pageX");
	sy = jnum(vv, "pageY");
	if (!isfinite(w) || !isfinite(h) || !isfinite(sx) || !isfinite(sy)) {
		cdp_conn_set_error(page->conn, "bad layout metrics");
		r = ERR_PROTOCOL;
		goto out;
	}
	if (widthp != NULL)
		*widthp = (int)lround(w);
	if (heightp != NULL)
		*heightp = (int)lround(h);
	if (scrollxp != NULL)
		*scrollxp = sx;
	if (scrollyp != NULL)
		*scrollyp = sy;
	r = 0;
out:
	cJSON_Delete(res);
	free(sid);
	return r;
}
