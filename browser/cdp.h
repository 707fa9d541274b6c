/*
 * cdp.h: the DevTools client (browser/).
 *
 * Four layers, each an opaque object:
 *
 *   struct cdp_browser  a Chromium process we launched and supervise
 *                       (cdp-launch.c), or nothing when attaching to an
 *                       endpoint found by cdp_discover() (cdp-discover.c).
 *   struct cdp_conn     one websocket to a browser endpoint (cdp-ws.c on
 *                       libwebsockets, cdp-conn.c for JSON-RPC): calls
 *                       matched to replies by id, events, flattened
 *                       sessions, a cap on message size, a deadline on
 *                       every call.  Single-threaded: one thread owns a conn
 *                       and services it while it waits.
 *   struct cdp_page     one tab in its own browser context, attached with a
 *                       flattened session (cdp-page.c, cdp-target.c): navigate
 *                       and settle, evaluate, screenshot, viewport, frames,
 *                       popups followed (caught before they start:
 *                       cdp-attach.c), JS dialogs answered.
 *   input               mouse, keys, text, scroll, file upload on a page
 *                       (cdp-input.c, cdp-dom.c).
 *
 * All functions return 0 or a negative ERR_* code (src/err.h).  Functions
 * that can fail for a reason people need to read store that reason; get it
 * with cdp_conn_error() (conn and page calls) right after the failure.
 * Nothing here calls exit() or prints except through log_debug().
 */
#ifndef WEBNAV_CDP_H
#define WEBNAV_CDP_H

#include <stddef.h>
#include <sys/types.h>

#include <cjson/cJSON.h>

struct cdp_browser;
struct cdp_conn;
struct cdp_page;

/* ---------------------------------------------------------------------- */
/* Launching and supervising Chromium (cdp-launch.c).                     */

struct cdp_launch_params {
	const char	*executable;	/* NULL: $WEBNAV_CHROMIUM, else
					   /usr/bin/chromium */
	int		 headless;	/* default 1 */
	int		 width, height;	/* --window-size, default 1280x800 */
	int		 sandbox;	/* -1 auto (off as root, on otherwise),
					   0 off, 1 on */
	int		 startup_timeout_ms;	/* default 20000 */
	const char	*const *extra_args;	/* NULL-terminated, or NULL */
	const char	*user_data_dir;	/* NULL: a fresh temp dir, removed by
					   cdp_browser_free() */
};

/* Fills p with defaults. */
void	cdp_launch_default_params(struct cdp_launch_params *p);

/*
 * Starts Chromium in its own process group with --remote-debugging-port=0
 * and reads the endpoint from DevToolsActivePort.  On success *bp is set;
 * on failure *causep (if not NULL) gets an allocated explanation (e.g.
 * "chromium not found at /usr/bin/chromium: install the chromium
 * package").
 */
int	cdp_browser_launch(const struct cdp_launch_params *p,
	    struct cdp_browser **bp, char **causep);

/* The browser websocket URL (ws://127.0.0.1:PORT/devtools/browser/ID). */
const char *cdp_browser_ws_url(const struct cdp_browser *b);
/* The process id of the Chromium main process (its process group id). */
pid_t	cdp_browser_pid(const struct cdp_browser *b);
/*
 * Returns 1 if Chromium is still running, 0 if it exited (reaped; the
 * reason is in cdp_browser_exit_reason()).
 */
int	cdp_browser_alive(struct cdp_browser *b);
/* "exited with status 1", "killed by signal 9", or "" while running. */
const char *cdp_browser_exit_reason(const struct cdp_browser *b);
/*
 * Terminates the whole process group (SIGTERM, then SIGKILL after a grace
 * period), reaps it, removes a temporary profile directory, frees b.
 * NULL is a no-op.
 */
void	cdp_browser_free(struct cdp_browser *b);

/* ---------------------------------------------------------------------- */
/* Endpoint discovery (cdp-discover.c).                                   */

/*
 * Resolves an endpoint given by a user to a browser websocket URL:
 * "ws://..." or "wss://..." is returned as is; "http://host:port" is asked
 * for /json/version (libcurl, body capped at 64 KiB) and its
 * webSocketDebuggerUrl returned.  *wsurlp is allocated.
 */
int	cdp_discover(const char *endpoint, int timeout_ms, char **wsurlp,
	    char **causep);

/* ---------------------------------------------------------------------- */
/* The connection (cdp-ws.c, cdp-conn.c).                                 */

struct cdp_conn_params {
	size_t	max_message;		/* cap on one incoming message,
					   default 256 MiB */
	int	connect_timeout_ms;	/* default 10000 */
	int	call_timeout_ms;	/* default deadline of cdp_call()
					   when it is passed 0: 30000 */
};

void	cdp_conn_default_params(struct cdp_conn_params *p);

/*
 * Opens a websocket to a browser endpoint (ws://host:port/path).  No
 * Origin header and no compression are sent.
 */
int	cdp_conn_open(const char *wsurl, const struct cdp_conn_params *p,
	    struct cdp_conn **connp, char **causep);
/* Closes the socket and frees conn; pending calls fail.  NULL is a no-op. */
void	cdp_conn_free(struct cdp_conn *conn);

/*
 * Sends `method` with `params` (consumed, even on error; NULL means {}) to
 * session `session` (NULL: the browser target) and waits for its reply,
 * servicing the socket and dispatching events meanwhile.  timeout_ms 0
 * means the connection's default.  On success *resultp (if not NULL) is the
 * reply's "result" object, owned by the caller (cJSON_Delete).  Errors:
 * ERR_TIMEOUT, ERR_CLOSED (browser went away mid-call), ERR_CDP (the
 * browser answered with an error; see cdp_conn_error()), ERR_TOOBIG,
 * ERR_PROTOCOL.  Must not be called from an event handler.
 */
int	cdp_call(struct cdp_conn *conn, const char *session,
	    const char *method, cJSON *params, int timeout_ms,
	    cJSON **resultp);

/*
 * Split cdp_call(), to let the browser work on a call while the caller
 * makes others: cdp_call_start() sends the call (params consumed, even on
 * error) and sets *idp; the reply is kept when it comes, while other calls
 * are made and events dispatched, until cdp_call_finish() waits for it (up
 * to timeout_ms, 0: the default) and returns it as cdp_call() would.  Every
 * started call must be finished or discarded; at most 16 may be pending
 * (ERR_TOOBIG).  cdp_call_finish() must not be called from an event
 * handler; an id that was never started, or already finished, is
 * ERR_INVALID.  cdp_call_discard() forgets a started call (its reply is
 * dropped when it comes); an unknown id is ignored.
 */
int	cdp_call_start(struct cdp_conn *conn, const char *session,
	    const char *method, cJSON *params, int *idp);
int	cdp_call_finish(struct cdp_conn *conn, int id, int timeout_ms,
	    cJSON **resultp);
void	cdp_call_discard(struct cdp_conn *conn, int id);

/*
 * Queues a call without waiting for its reply (the reply is discarded when
 * it comes).  May be called from an event handler.
 */
int	cdp_send(struct cdp_conn *conn, const char *session,
	    const char *method, cJSON *params);

/*
 * Event handler: called for every message without an id, from inside
 * cdp_call()/cdp_conn_pump().  session is NULL for browser-level events.
 * params is owned by the connection and valid only during the call.
 */
typedef void cdp_event_fn(void *arg, const char *session,
	    const char *method, const cJSON *params);

/* Adds a handler; returns a handle (> 0) for cdp_conn_unlisten(). */
int	cdp_conn_listen(struct cdp_conn *conn, cdp_event_fn *fn, void *arg);
void	cdp_conn_unlisten(struct cdp_conn *conn, int handle);

/*
 * Services the connection for up to timeout_ms, or until done(arg) returns
 * nonzero (checked after every message; done may be NULL).  Returns 0 when
 * done() became true, ERR_TIMEOUT when the time ran out (not an error when
 * done is NULL: then it returns 0), ERR_CLOSED when the socket closed.
 */
int	cdp_conn_pump(struct cdp_conn *conn, int timeout_ms,
	    int (*done)(void *), void *arg);

/* 1 while the socket is open. */
int	cdp_conn_alive(const struct cdp_conn *conn);
/* Text of the last failure on this connection ("" if none). */
const char *cdp_conn_error(const struct cdp_conn *conn);

/* ---------------------------------------------------------------------- */
/* Pages (cdp-page.c, cdp-target.c, cdp-attach.c).                        */

struct cdp_page_params {
	int	 width, height;		/* viewport in CSS px, default 1280x800 */
	double	 scale;			/* device pixel ratio, default 1 */
	int	 own_context;		/* 1 (default): a new browser context,
					   disposed with the page */
	int	 nav_timeout_ms;	/* default 30000 */
	int	 quiet_ms;		/* network quiet window, default 300 */
	int	 idle_ms;		/* cdp_page_settle(): how long a page
					   that shows no activity but has
					   timers due is watched, default 50 */
	int	 settle_max_ms;		/* bound on waiting for quiet after
					   load, default 3000 */
	const char *dialog_prompt_text;	/* answer to prompt(), default "" */
};

void	cdp_page_default_params(struct cdp_page_params *p);

/*
 * Creates a tab (in a new browser context unless own_context is 0),
 * attaches to it with a flattened session, enables Page, Runtime, Network
 * and DOM, auto-attaches to out-of-process iframes and answers JS dialogs
 * (alert/confirm accept, prompt gets dialog_prompt_text, beforeunload
 * accept).  The page follows popups and new tabs it opens: after one opens,
 * the page's calls go to the new tab.  A new tab waits to start until the
 * page has set it up (URL filter, init scripts, viewport), so nothing of
 * it escapes them.
 *
 * For that, a connection with pages open has browser-level auto-attach on
 * (details in private.h): new tabs of the browser (those made with
 * Target.createTarget and noopener popups), other connections' included,
 * also wait for this connection to be serviced (any call or
 * cdp_conn_pump() on it) before they start.  A thread that keeps pages open
 * on a connection must keep servicing it while other connections open
 * tabs or popups; one thread with pages on two connections would stall
 * (up to the call deadlines) opening tabs on either.  Pages of several
 * threads, each with its connection, are fine.  Popups of another
 * process's webnav pages in the same browser may start before that
 * process's filter is in place.
 */
int	cdp_page_open(struct cdp_conn *conn, const struct cdp_page_params *p,
	    struct cdp_page **pagep);
/* Closes the tab(s) and disposes the context.  NULL is a no-op. */
void	cdp_page_free(struct cdp_page *page);

struct cdp_conn *cdp_page_conn(struct cdp_page *page);
/* Session id of the tab currently followed. */
const char *cdp_page_session(const struct cdp_page *page);
/* Target id of the tab currently followed. */
const char *cdp_page_target(const struct cdp_page *page);

/*
 * Adds a script run in every frame before the page's own scripts, for
 * every later navigation (Page.addScriptToEvaluateOnNewDocument), also in
 * popups (set up before their first document) and out-of-process frames.
 * Documents already loaded do not run it.  A window opened with a
 * same-origin URL may keep its first realm, where Chromium can run such
 * scripts twice: scripts should be idempotent.
 */
int	cdp_page_add_init_script(struct cdp_page *page, const char *js);

/*
 * Navigates and waits until settled: the load event, then no network
 * request in flight for quiet_ms (bounded by settle_max_ms).  Errors:
 * ERR_NAV with the reason (net::ERR_CONNECTION_REFUSED, ...) in
 * cdp_conn_error(), ERR_TIMEOUT if load does not come within timeout_ms
 * (0: nav_timeout_ms).
 */
int	cdp_page_navigate(struct cdp_page *page, const char *url,
	    int timeout_ms);

/*
 * Waits until the page is quiet after an action.  First, until the
 * followed tab has handled what it was sent (one evaluation in its top
 * frame that resolves after the next animation frame and a task after
 * that, at most 1 s; cut short by any activity, skipped while a navigation
 * is under way): input handlers and the navigations they start are seen
 * then, even on a slow machine.  Then: any navigation committed and
 * loaded, and no request in flight for quiet_ms.  A page that shows no
 * network or navigation activity by then is quiet at once if none of its
 * timers (setTimeout, setInterval: every page tracks them from an init
 * script of its own, window.__webnavTimers) is due within idle_ms, in it
 * or in a frame inside it; else, or if it cannot tell (a cross-origin
 * frame, a document loaded before the tracker), it is quiet when it still
 * shows none idle_ms after the call.  At most max_ms in all.  Returns 0 (also when max_ms ran out: a page that
 * never goes quiet is not an error here; *quietp tells, if not NULL), or
 * ERR_CLOSED.
 */
int	cdp_page_settle(struct cdp_page *page, int max_ms, int *quietp);

/*
 * URL of the followed tab (allocated): that of its current document, with
 * one exception.  When a document request of its top frame was refused by
 * the URL filter and no document has loaded there since, Chromium shows an
 * error page under the refused URL (and, until that commits, no URL at
 * all); then it is the URL of the last document that did load in the tab
 * ("about:blank" if none), which is where the tab really is.
 */
int	cdp_page_url(struct cdp_page *page, char **urlp);
/* Number of times the followed tab changed (popups followed) so far. */
int	cdp_page_generation(const struct cdp_page *page);

/*
 * Evaluates an expression in the top frame's main world (awaiting a
 * promise, returnByValue).  *valuep (if not NULL) is the value; a thrown
 * exception is ERR_CDP with its text in cdp_conn_error().
 */
int	cdp_page_eval(struct cdp_page *page, const char *expr, int timeout_ms,
	    cJSON **valuep);

/* A frame of the page, for evaluation inside iframes. */
struct cdp_frame {
	char	*frame_id;
	char	*parent_id;	/* NULL for the top frame */
	char	*session;	/* session that owns it (OOPIFs have their own) */
	char	*url;
	int	 context_id;	/* main-world execution context, 0 if none yet */
	int	 depth;		/* 0 for the top frame */
};

/*
 * Lists the frames of the followed tab, parents before children.  The array
 * is allocated; free it with cdp_frames_free().
 */
int	cdp_page_frames(struct cdp_page *page, struct cdp_frame **framesp,
	    size_t *nframesp);
void	cdp_frames_free(struct cdp_frame *frames, size_t n);

/* Evaluates expr in a frame's main world (as cdp_page_eval). */
int	cdp_frame_eval(struct cdp_page *page, const struct cdp_frame *f,
	    const char *expr, int timeout_ms, cJSON **valuep);

/*
 * The frame's content box origin in top-level viewport CSS px (the owner
 * iframe's content box, composed up to the top frame).  0,0 for the top.
 */
int	cdp_frame_offset(struct cdp_page *page, const struct cdp_frame *f,
	    double *xp, double *yp);

enum cdp_image_format { CDP_IMG_PNG, CDP_IMG_JPEG };

/*
 * Captures the viewport.  *datap is the decoded image file (allocated,
 * *lenp bytes).  quality is for JPEG (1-100); fast uses optimizeForSpeed.
 */
int	cdp_page_screenshot(struct cdp_page *page, enum cdp_image_format fmt,
	    int quality, int fast, unsigned char **datap, size_t *lenp);
/*
 * cdp_page_screenshot() in two halves (see cdp_call_start()), so that the
 * capture and encoding, done by the browser process, overlap with calls
 * made in between (e.g. evaluations in the page).  *idp is for
 * cdp_page_screenshot_finish(), which must be called exactly once per
 * started capture (datap NULL: wait for it and drop the image); an id not
 * started is ERR_INVALID.  At most 4 may be pending (ERR_TOOBIG).  Calls
 * in between must not change what is captured; cdp_page_set_viewport() is
 * ERR_INVALID meanwhile (Chromium puts back the metrics a capture began
 * with when it ends).
 */
int	cdp_page_screenshot_start(struct cdp_page *page,
	    enum cdp_image_format fmt, int quality, int fast, int *idp);
int	cdp_page_screenshot_finish(struct cdp_page *page, int id,
	    unsigned char **datap, size_t *lenp);

/* Sets the viewport (Emulation.setDeviceMetricsOverride). */
int	cdp_page_set_viewport(struct cdp_page *page, int width, int height,
	    double scale);
/* Current viewport and scroll position in CSS px. */
int	cdp_page_get_viewport(struct cdp_page *page, int *widthp,
	    int *heightp, double *scrollxp, double *scrollyp);

/*
 * URL filter: fn is asked about every document request of the page (top
 * frame, iframes, popups, each redirect hop) before it is sent, and
 * returns 0 to allow it or nonzero to block it (the request fails with
 * net::ERR_BLOCKED_BY_CLIENT).  A popup whose first document is refused is
 * closed, and the page goes back to its opener.  fn runs inside event
 * dispatch and must not call into the page.  fn NULL removes the filter.
 */
typedef int cdp_url_filter_fn(void *arg, const char *url);
int	cdp_page_set_url_filter(struct cdp_page *page, cdp_url_filter_fn *fn,
	    void *arg);
/* Number of requests blocked so far, and the last blocked URL. */
int	cdp_page_blocked(const struct cdp_page *page, const char **lastp);

/* Number of JS dialogs answered so far, and the last one's message. */
int	cdp_page_dialogs(const struct cdp_page *page, const char **lastp);

/* ---------------------------------------------------------------------- */
/* Input (cdp-input.c) and DOM helpers (cdp-dom.c).                       */

enum cdp_button { CDP_BUTTON_LEFT, CDP_BUTTON_MIDDLE, CDP_BUTTON_RIGHT };

/* Modifier bits as DevTools defines them. */
enum {
	CDP_MOD_ALT = 1, CDP_MOD_CTRL = 2, CDP_MOD_META = 4, CDP_MOD_SHIFT = 8
};

/* Coordinates are top-level viewport CSS px. */
int	cdp_input_mouse_move(struct cdp_page *page, double x, double y);
int	cdp_input_mouse_down(struct cdp_page *page, double x, double y,
	    enum cdp_button b, int click_count);
int	cdp_input_mouse_up(struct cdp_page *page, double x, double y,
	    enum cdp_button b, int click_count);
/* Move, press, release (count 1) or twice (count 2: double click). */
int	cdp_input_click(struct cdp_page *page, double x, double y,
	    enum cdp_button b, int count);
int	cdp_input_hover(struct cdp_page *page, double x, double y);
/*
 * Presses and releases a key by its DOM name: "Enter", "Tab", "Escape",
 * "Backspace", "Delete", "ArrowUp/Down/Left/Right", "Home", "End",
 * "PageUp", "PageDown", "Space", or a single character; with CDP_MOD_*
 * modifiers ("a" with CDP_MOD_CTRL selects all).  Unknown names are
 * ERR_INVALID.
 */
int	cdp_input_key(struct cdp_page *page, const char *key, int modifiers);
/* Inserts text at the focus (Input.insertText: no key events). */
int	cdp_input_insert_text(struct cdp_page *page, const char *text);
/* Wheel scroll by dx,dy CSS px with the pointer at x,y. */
int	cdp_input_scroll(struct cdp_page *page, double x, double y,
	    double dx, double dy);

/*
 * Sets the files of an <input type=file>: elem_expr is a JS expression
 * that evaluates, in frame f (NULL: top frame), to the element
 * (DOM.setFileInputFiles).  Paths must exist.
 */
int	cdp_dom_set_files(struct cdp_page *page, const struct cdp_frame *f,
	    const char *elem_expr, const char *const *paths, size_t npaths);

#endif /* WEBNAV_CDP_H */
