/*
 * private.h: internals shared by the files of browser/.
 *
 * The connection (cdp-conn.c) speaks JSON-RPC over a transport: normally
 * the libwebsockets client in cdp-ws.c, in unit tests a fake that injects
 * fragments, garbage and silence.  A transport is a set of function
 * pointers plus an opaque argument; it hands every received fragment to
 * cdp_conn_feed() and reports its end with cdp_conn_closed().
 */
#ifndef WEBNAV_BROWSER_PRIVATE_H
#define WEBNAV_BROWSER_PRIVATE_H

#include <stddef.h>

#include "cdp.h"

struct cdp_transport_ops {
	/*
	 * Queues one complete text message (len bytes, copied) for sending.
	 * Must not service the connection or deliver anything synchronously:
	 * it may be called from an event handler.  0 or ERR_CLOSED/ERR_NOMEM.
	 */
	int	(*send)(void *arg, const char *msg, size_t len);
	/*
	 * Services the transport once, waiting at most timeout_ms (0: do
	 * not block) for something to happen; received fragments are fed
	 * to the connection from inside.  Returns 0, or ERR_CLOSED once the
	 * transport has closed.
	 */
	int	(*service)(void *arg, int timeout_ms);
	/* Closes the transport and frees arg; must not call back. */
	void	(*close)(void *arg);
};

/*
 * Creates a connection over a transport (not yet used; ops and arg belong
 * to the connection from now on and are closed by cdp_conn_free()).  p may
 * be NULL for defaults.  Never fails.
 */
struct cdp_conn *cdp_conn_new_transport(const struct cdp_transport_ops *ops,
	    void *arg, const struct cdp_conn_params *p);

/*
 * Hands the connection one received fragment: first is set on the first
 * fragment of a message, final on its last (a message may be a single
 * fragment with both set).  Replies are matched, events dispatched, and
 * oversized messages dropped from in here.  Returns 0, or ERR_CLOSED when
 * the connection must be closed (a message over the cap that cannot be
 * attributed); the transport then closes.
 */
int	cdp_conn_feed(struct cdp_conn *conn, const void *data, size_t len,
	    int first, int final);

/*
 * Tells the connection its transport has closed (why: e.g. "browser closed
 * the connection"); a call waiting fails with ERR_CLOSED.  Later calls to
 * the transport's send/service are not made.
 */
void	cdp_conn_closed(struct cdp_conn *conn, const char *why);

/* Sets the text returned by cdp_conn_error() (printf-style). */
void	cdp_conn_set_error(struct cdp_conn *conn, const char *fmt, ...)
	    __attribute__((__format__(__printf__, 2, 3)));

/* Milliseconds on the monotonic clock. */
long long cdp_now_ms(void);

/*
 * 1 once the reply to call id, started with cdp_call_start() and not yet
 * finished, is in (or the call failed: cdp_call_finish() then returns at
 * once); 0 while it is awaited or when id is no started call.  Usable in
 * a cdp_conn_pump() condition.
 */
int	cdp_call_ready(const struct cdp_conn *conn, int id);

struct cdp_attach;
/*
 * The connection's auto-attach state (cdp-attach.c): NULL while no page is
 * open on it.  Owned by cdp-attach.c; cdp_conn_free() frees what a
 * caller that did not free its pages left behind.
 */
struct cdp_attach *cdp_conn_attach(const struct cdp_conn *conn);
void	cdp_conn_set_attach(struct cdp_conn *conn, struct cdp_attach *a);

/* ---------------------------------------------------------------------- */
/* Pages (cdp-page.c, cdp-target.c; used by cdp-input.c, cdp-dom.c).      */

#define CDP_MAX_SESSIONS	64	/* tabs + out-of-process iframes */
#define CDP_MAX_CONTEXTS	256	/* execution contexts per session */
#define CDP_MAX_REQUESTS	1024	/* requests tracked per session */
#define CDP_MAX_SCRIPTS		64	/* init scripts per page */
#define CDP_MAX_SHOTS		4	/* screenshots in flight */
#define CDP_MAX_PAGES		256	/* pages open on one connection */
#define CDP_MAX_CLAIMS		8192	/* claims held in one process */

enum cdp_sess_kind { CDP_SESS_TAB, CDP_SESS_FRAME };

/* An execution context of a session. */
struct cdp_ctx {
	int	 id;
	int	 is_default;	/* the main world of its frame */
	char	*frame_id;
};

/*
 * A network request in flight.  Request ids are unique in the browser, not
 * only in a session: a frame's navigation request is reported by the
 * session of its parent when it starts and may end in the frame's own
 * session once the frame moved to another process, so a request is looked
 * up in every session of its tab.
 */
struct cdp_req {
	char		*id;
	char		*frame_id;	/* frame that sent it, or NULL */
	long long	 t0;	/* cdp_now_ms() when it was sent */
};

/*
 * A flattened session the page owns: a tab (page target) or an
 * out-of-process iframe.  The target id of a tab is its top frame id, that
 * of an OOPIF its root frame id.  Sessions are freed by the event handler
 * when they detach, so code that pumps the connection keeps session ids,
 * not pointers, across calls.
 */
struct cdp_sess {
	char		*id;
	char		*target_id;
	enum cdp_sess_kind kind;
	struct cdp_sess	*tab;		/* the tab it belongs to (itself) */
	struct cdp_sess	*parent;	/* OOPIF: session owning the parent
					   frame; NULL for tabs */
	char		*opener;	/* tab: target id of its opener */
	struct cdp_ctx	*ctx;
	size_t		 nctx;
	struct cdp_req	*req;
	size_t		 nreq;
	/* Tabs only: the top frame's navigation state. */
	int		 closed;	/* target gone */
	int		 loading;	/* frameStartedLoading seen, not yet
					   frameStoppedLoading */
	long long	 nav_req_ms;	/* navigation requested, not started */
	char		*loader;	/* loaderId of the committed document */
	char		*loaded;	/* loaderId whose load event fired */
	unsigned	 commits;	/* top-frame commits so far */
	/*
	 * Tabs only, for cdp_page_url(): the URL of the last top-frame
	 * document that was not an error page (NULL: none seen), whether
	 * the current one is an error page, and the last top-frame document
	 * request the URL filter refused since a real document committed
	 * (Chromium shows the refusal's error page under that URL).
	 */
	char		*url;
	int		 error_page;
	char		*refused;
};

struct cdp_page {
	struct cdp_conn	*conn;
	struct cdp_page_params p;
	char		*prompt_text;	/* copy of p.dialog_prompt_text */
	int		 listen;	/* cdp_conn_listen() handle */
	char		*context;	/* our browser context, or NULL */
	struct cdp_sess	*sess[CDP_MAX_SESSIONS];
	size_t		 nsess;
	struct cdp_sess	*cur;		/* the followed tab; NULL while
					   cdp_page_open() runs */
	int		 generation;
	int		 attached;	/* registered with cdp-attach.c */
	char		*scripts[CDP_MAX_SCRIPTS];
	size_t		 nscripts;
	int		 width, height;
	double		 scale;
	int		 ndialogs;
	char		*last_dialog;
	cdp_url_filter_fn *filter;	/* document requests, or NULL */
	void		*filter_arg;
	int		 nblocked;
	char		*last_blocked;
	unsigned	 seq;		/* bumped on every state change */
	long long	 change_ms;	/* time of the last state change */
	int		 buttons;	/* mouse buttons held (DevTools bits) */
	/* Call ids of the screenshots started and not yet finished. */
	int		 shots[CDP_MAX_SHOTS];
	size_t		 nshots;
};

/* The page's event handler (cdp-target.c), a cdp_event_fn. */
void	cdp_page_on_event(void *arg, const char *session, const char *method,
	    const cJSON *params);
/*
 * Adds a session (id and target id copied); NULL when CDP_MAX_SESSIONS
 * are in use.  parent is NULL for a tab.  A tab's target id is claimed
 * (cdp_claim()) until the session is freed.
 */
struct cdp_sess *cdp_sess_add(struct cdp_page *page, const char *id,
	    const char *target_id, enum cdp_sess_kind kind,
	    struct cdp_sess *parent);
/* Frees every session of the page (cdp_page_free). */
void	cdp_sess_free_all(struct cdp_page *page);
/* Finds a session of the page by id; NULL if it is not ours (any more). */
struct cdp_sess *cdp_sess_find(struct cdp_page *page, const char *id);
/* Finds a tab of the page by target id; NULL if none. */
struct cdp_sess *cdp_tab_find(const struct cdp_page *page,
	    const char *target_id);
/*
 * Takes an auto-attached page target the page owns (cdp-attach.c), from
 * inside event dispatch: sid is its paused session, ti its targetInfo.
 * While cdp_page_open() runs (page->cur NULL) it is the page's first tab,
 * only recorded: cdp_page_open() sets it up.  Otherwise it is a popup or
 * new tab: set up (URL filter and init scripts in place before anything
 * runs), resumed and followed; one opened straight to a refused URL, or
 * one too many, is closed instead.  Returns 0 when it took the target
 * (or closed it), 1 when the caller is to resume and detach the session:
 * a prerendered page, or a target the page is attached to already.
 */
int	cdp_tab_adopt(struct cdp_page *page, const char *sid, const cJSON *ti);
/*
 * Queues (cdp_send) the calls that set up a new session: domains, URL
 * filter, init scripts, auto-attach, viewport and focus for tabs.  Flags:
 * CDP_SETUP_RESUME to resume a target waiting for the debugger, after all
 * that (one session's calls are handled in order).  May be called from
 * the event handler.
 */
#define CDP_SETUP_RESUME	0x1
int	cdp_sess_setup(struct cdp_page *page, struct cdp_sess *s, int flags);
/* Queues Fetch.enable (on) for the URL filter, or Fetch.disable. */
int	cdp_queue_fetch(struct cdp_page *page, const char *session, int on);
/* Main-world context id of frame_id in s, 0 if none. */
int	cdp_sess_context(const struct cdp_sess *s, const char *frame_id);
/*
 * Requests in flight in tab and its OOPIFs, not counting those older than
 * max_age_ms (long polls, event streams).
 */
int	cdp_page_inflight(const struct cdp_page *page,
	    const struct cdp_sess *tab, long long now, int max_age_ms);
/*
 * The followed tab's session, or NULL with the conn error set when it is
 * gone.
 */
struct cdp_sess *cdp_page_tab(struct cdp_page *page);
/*
 * Where to evaluate in frame f (NULL: the followed tab's top frame): its
 * session id (*sidp, allocated) and main-world context (*ctxp: the current
 * one, which may be newer than f->context_id; 0 means the session's own
 * main frame).  ERR_NOTFOUND when the frame or its session is gone.
 */
int	cdp_frame_target(struct cdp_page *page, const struct cdp_frame *f,
	    char **sidp, int *ctxp);
/*
 * Sets the conn error from Runtime exceptionDetails: "Uncaught Error: x"
 * (the first line of the description).
 */
void	cdp_set_exception(struct cdp_conn *conn, const cJSON *details);

/* ---------------------------------------------------------------------- */
/* New tabs caught before their first request (cdp-attach.c).            */

/*
 * A popup starts loading the moment it exists: attached after the fact,
 * its first document request has gone out before Fetch (the URL filter)
 * is enabled in it.  Only browser-level Target.setAutoAttach with
 * waitForDebuggerOnStart pauses a new page early enough.  That is a
 * setting of the connection, and it catches every new page of the
 * browser: those of this connection's pages, of other connections' (the
 * daemon has one per session thread, each page in a browser context of
 * its own) and of strangers.  Chromium 156, as measured (the tests in
 * tests/integration/test-browser.c, test_popup_leak(), hold it to that):
 *
 *   - a popup that shares its opener's renderer (window.open without
 *     noopener: targetInfo.canAccessOpener) waits until one auto-attached
 *     session resumes it (Runtime.runIfWaitingForDebugger), whichever
 *     connection that session belongs to; detaching does not resume it;
 *   - any other new page (a target=_blank link, which implies noopener,
 *     or a tab made with Target.createTarget) waits until every
 *     connection auto-attached to it has resumed it; one connection's
 *     resume does not start it while another one still holds it, and
 *     detaching does not let go of a popup.
 *
 * So only the owner may resume a popup of the first kind, and only once
 * its URL filter and init scripts are in place; everybody else detaches
 * from it without resuming.  Pages of the second kind are resumed by
 * every connection: they start once their owner, having set them up,
 * has resumed them too.  A page
 * that no page anywhere in the process owns is resumed by every
 * connection that sees it (resuming one that no longer waits is
 * harmless).  Each connection with pages has one struct cdp_attach: it
 * switches auto-attach on with the first page and off after the last,
 * and routes each page target auto-attached while waiting:
 *
 *   1. owned by a page of this connection (one of its tabs opened it, or
 *      it is in that page's own browser context): cdp_tab_adopt();
 *   2. else claimed in this process (cdp_claim(): its browser context or
 *      its opener belongs to a page on another connection): detached,
 *      after a resume unless it shares its opener's renderer; its owner
 *      gets the same event on its own connection and resumes it;
 *   3. else: resumed and detached.
 *
 * Targets attached without waiting are the pages' own attachToTarget
 * calls (left alone) or, while auto-attach is being switched on, the
 * pages that already exist (detached).  A connection only acts while it
 * is serviced: a new tab or noopener popup of another connection waits
 * until every connection with pages has been serviced once (a thread that
 * keeps pages open must keep calling into them or pump; single-threaded
 * code should keep its pages on one connection).  webnav processes that
 * share one browser cannot see each other's claims: there a popup may be
 * resumed by the other process before its owner's filter is in place.
 */

/*
 * Registers a page with its connection; the first one switches
 * browser-level auto-attach on (a call: not from an event handler).
 * ERR_TOOBIG past CDP_MAX_PAGES; else what the call returns.
 */
int	cdp_attach_add(struct cdp_page *page);
/*
 * Unregisters a page (one never added is ignored); after the last one,
 * switches auto-attach off (if the connection is alive) and frees the
 * connection's state.
 */
void	cdp_attach_remove(struct cdp_page *page);
/* Frees a connection's state without calls (cdp_conn_free()). */
void	cdp_attach_free(struct cdp_attach *a);
/*
 * Process-wide claims (thread-safe): a browser context id or a tab target
 * id that belongs to a page of this process.  A multiset: every
 * cdp_claim() is undone by one cdp_unclaim().  NULL is ignored.
 */
void	cdp_claim(const char *id);
void	cdp_unclaim(const char *id);
/* 1 if a or b (either may be NULL) is claimed. */
int	cdp_claimed(const char *a, const char *b);

#endif /* WEBNAV_BROWSER_PRIVATE_H */
