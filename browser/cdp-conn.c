/*
 * cdp-conn.c: DevTools JSON-RPC over a transport.
 *
 * Calls get increasing ids.  A call whose reply is wanted (cdp_call(), or
 * cdp_call_start() until cdp_call_finish()) has a slot that keeps its reply
 * once it comes; cdp_call_finish() services the transport until that
 * happens, the deadline passes or the transport closes.  Replies to ids
 * without a slot (cdp_send(), calls that timed out or were discarded) are
 * dropped.  Messages without an id are events, dispatched to listeners in
 * registration order.  Incoming fragments are reassembled into a buffer
 * capped at params.max_message; a message over the cap is dropped, and the
 * call it answers (known from a leading "id" key, which is how Chromium
 * writes replies) fails with ERR_TOOBIG.
 */
#include "config.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "err.h"
#include "log.h"
#include "xmalloc.h"

#include "cdp.h"
#include "private.h"

#define CONN_DEFAULT_MAX_MESSAGE	(256u * 1024 * 1024)
#define CONN_DEFAULT_CONNECT_MS		10000
#define CONN_DEFAULT_CALL_MS		30000
#define CONN_SENT_RING			32	/* cdp_send ids remembered */
#define CONN_MAX_STARTED		16	/* cdp_call_start() calls not
						   yet finished */
#define CONN_METHOD_MAX			64
#define CONN_HEAD_MAX			128	/* prefix kept of a dropped
						   oversized message */
#define CONN_KEEP_RX			(1024 * 1024)	/* rx allocation kept
							   between messages */

struct conn_listener {
	int		 handle;
	cdp_event_fn	*fn;		/* NULL once removed */
	void		*arg;
};

struct conn_sent {
	int		 id;
	char		 method[CONN_METHOD_MAX];
};

/* A call whose reply is wanted. */
struct conn_call {
	int		 id;		/* 0: slot free */
	char		 method[CONN_METHOD_MAX];
	int		 done;		/* reply (or failure) in */
	int		 r;
	cJSON		*result;	/* r == 0: the reply's result */
	char		*error;		/* r != 0: why */
};

struct cdp_conn {
	const struct cdp_transport_ops *ops;
	void		*targ;
	struct cdp_conn_params params;
	int		 alive;
	char		*close_why;	/* why the transport closed */
	char		 error[2048];	/* cdp_conn_error() */
	int		 next_id;

	/*
	 * Calls whose replies are wanted: up to CONN_MAX_STARTED started
	 * ones plus the one cdp_call() in progress.
	 */
	struct conn_call calls[CONN_MAX_STARTED + 1];
	int		 waiting;	/* inside cdp_call_finish() */

	/* Recent cdp_send() calls, to name them when they fail. */
	struct conn_sent sent[CONN_SENT_RING];
	size_t		 sent_next;

	/* Reassembly of the message being received. */
	struct buf	 rx;
	int		 rx_inmsg;	/* inside a message */
	int		 rx_skip;	/* dropping an oversized message */
	size_t		 rx_total;	/* bytes of it seen so far */
	char		 head[CONN_HEAD_MAX];
	size_t		 head_len;

	/* Event listeners, in registration order. */
	struct conn_listener *ls;
	size_t		 nls, als;
	int		 next_handle;
	int		 dispatching;	/* depth of handler/done() calls */
	int		 ls_dirty;	/* removed entries to compact */

	/* cdp_conn_pump()'s condition, checked after every message. */
	int		 (*pump_done)(void *);
	void		*pump_arg;
	int		 pump_hit;

	/* The pages' auto-attach state (cdp-attach.c), or NULL. */
	struct cdp_attach *attach;
};

/* Milliseconds on the monotonic clock. */
long long
cdp_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Fills p with the connection defaults. */
void
cdp_conn_default_params(struct cdp_conn_params *p)
{
	memset(p, 0, sizeof(*p));
	p->max_message = CONN_DEFAULT_MAX_MESSAGE;
	p->connect_timeout_ms = CONN_DEFAULT_CONNECT_MS;
	p->call_timeout_ms = CONN_DEFAULT_CALL_MS;
}

/* Creates a connection over a transport. */
struct cdp_conn *
cdp_conn_new_transport(const struct cdp_transport_ops *ops, void *arg,
    const struct cdp_conn_params *p)
{
	struct cdp_conn *conn;

	conn = xcalloc(1, sizeof(*conn));
	conn->ops = ops;
	conn->targ = arg;
	cdp_conn_default_params(&conn->params);
	if (p != NULL) {
		if (p->max_message > 0)
			conn->params.max_message = p->max_message;
		if (p->connect_timeout_ms > 0)
			conn->params.connect_timeout_ms = p->connect_timeout_ms;
		if (p->call_timeout_ms > 0)
			conn->params.call_timeout_ms = p->call_timeout_ms;
	}
	conn->alive = 1;
	conn->next_id = 1;
	conn->next_handle = 1;
	buf_init(&conn->rx, conn->params.max_message);
	return conn;
}

/* Closes the transport and frees conn. */
void
cdp_conn_free(struct cdp_conn *conn)
{
	size_t i;

	if (conn == NULL)
		return;
	if (conn->ops != NULL && conn->ops->close != NULL)
		conn->ops->close(conn->targ);
	cdp_attach_free(conn->attach);
	for (i = 0; i < CONN_MAX_STARTED + 1; i++) {
		cJSON_Delete(conn->calls[i].result);
		free(conn->calls[i].error);
	}
	buf_free(&conn->rx);
	free(conn->ls);
	free(conn->close_why);
	free(conn);
}

/* Sets the text returned by cdp_conn_error(). */
void
cdp_conn_set_error(struct cdp_conn *conn, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(conn->error, sizeof(conn->error), fmt, ap);
	va_end(ap);
}

/* Text of the last failure on this connection. */
const char *
cdp_conn_error(const struct cdp_conn *conn)
{
	return conn->error;
}

/* 1 while the transport is open. */
int
cdp_conn_alive(const struct cdp_conn *conn)
{
	return conn->alive;
}

/* The connection's auto-attach state. */
struct cdp_attach *
cdp_conn_attach(const struct cdp_conn *conn)
{
	return conn->attach;
}

/* Sets the connection's auto-attach state. */
void
cdp_conn_set_attach(struct cdp_conn *conn, struct cdp_attach *a)
{
	conn->attach = a;
}

/* Why the connection is closed, for error messages. */
static const char *
conn_why(const struct cdp_conn *conn)
{
	return conn->close_why != NULL ? conn->close_why :
	    "the connection is closed";
}

/* Ends call c with r and a reason (printf-style). */
static void
conn_call_fail(struct conn_call *c, int r, const char *fmt, ...)
    __attribute__((__format__(__printf__, 3, 4)));

static void
conn_call_fail(struct conn_call *c, int r, const char *fmt, ...)
{
	va_list ap;

	free(c->error);
	va_start(ap, fmt);
	if (vasprintf(&c->error, fmt, ap) == -1)
		c->error = NULL;
	va_end(ap);
	c->r = r;
	c->done = 1;
}

/* Records that the transport closed; calls waiting for replies fail. */
void
cdp_conn_closed(struct cdp_conn *conn, const char *why)
{
	struct conn_call *c;
	size_t i;

	if (!conn->alive)
		return;
	conn->alive = 0;
	conn->close_why = xstrdup(why != NULL && *why != '\0' ? why :
	    "the connection closed");
	log_debug("cdp: connection closed: %s", conn->close_why);
	for (i = 0; i < CONN_MAX_STARTED + 1; i++) {
		c = &conn->calls[i];
		if (c->id != 0 && !c->done)
			conn_call_fail(c, ERR_CLOSED, "%s during %s",
			    conn->close_why, c->method);
	}
	buf_free(&conn->rx);
	conn->rx_inmsg = conn->rx_skip = 0;
}

/* Returns the next call id (positive, wrapping). */
static int
conn_next_id(struct cdp_conn *conn)
{
	int id = conn->next_id;

	conn->next_id = id == INT_MAX ? 1 : id + 1;
	return id;
}

/* Copies at most n bytes of s into a printable one-line excerpt. */
static void
conn_excerpt(char *dst, size_t dstsz, const char *s, size_t n)
{
	size_t i, j = 0;

	for (i = 0; i < n && j + 4 < dstsz; i++) {
		unsigned char c = (unsigned char)s[i];

		dst[j++] = (c >= 0x20 && c < 0x7f) ? (char)c : '.';
	}
	if (i < n && j + 3 < dstsz) {
		memcpy(dst + j, "...", 3);
		j += 3;
	}
	dst[j] = '\0';
}

/*
 * Reads the first key of a JSON object at the start of s: "id" with an
 * integer value (returns 1, *idp set) or "method" with a string value
 * (returns 2, method copied).  Returns 0 for anything else.  Used on the
 * prefix of messages that could not be parsed whole.
 */
static int
conn_scan_head(const char *s, size_t n, int *idp, char *method, size_t msz)
{
	char key[16];
	size_t i = 0, k = 0;
	long long v = 0;

#define SKIPWS() while (i < n && (s[i] == ' ' || s[i] == '\t' ||	\
	    s[i] == '\r' || s[i] == '\n')) i++
	SKIPWS();
	if (i >= n || s[i++] != '{')
		return 0;
	SKIPWS();
	if (i >= n || s[i++] != '"')
		return 0;
	while (i < n && s[i] != '"' && k + 1 < sizeof(key))
		key[k++] = s[i++];
	key[k] = '\0';
	if (i >= n || s[i++] != '"')
		return 0;
	SKIPWS();
	if (i >= n || s[i++] != ':')
		return 0;
	SKIPWS();
	if (strcmp(key, "id") == 0) {
		if (i >= n || s[i] < '0' || s[i] > '9')
			return 0;
		while (i < n && s[i] >= '0' && s[i] <= '9' && v <= INT_MAX)
			v = v * 10 + (s[i++] - '0');
		if (v < 1 || v > INT_MAX || i >= n)
			return 0;
		SKIPWS();
		if (i >= n || (s[i] != ',' && s[i] != '}'))
			return 0;
		*idp = (int)v;
		return 1;
	}
	if (strcmp(key, "method") == 0) {
		if (i >= n || s[i++] != '"')
			return 0;
		k = 0;
		while (i < n && s[i] != '"' && s[i] != '\\' && k + 1 < msz)
			method[k++] = s[i++];
		method[k] = '\0';
		return 2;
	}
	return 0;
#undef SKIPWS
}

/* Finds the method of a recent cdp_send() by id, or NULL. */
static const char *
conn_sent_method(const struct cdp_conn *conn, int id)
{
	size_t i;

	for (i = 0; i < CONN_SENT_RING; i++)
		if (conn->sent[i].id == id)
			return conn->sent[i].method;
	return NULL;
}

/* The slot of call id, or NULL. */
static struct conn_call *
conn_call_find(struct cdp_conn *conn, int id)
{
	size_t i;

	if (id == 0)
		return NULL;
	for (i = 0; i < CONN_MAX_STARTED + 1; i++)
		if (conn->calls[i].id == id)
			return &conn->calls[i];
	return NULL;
}

/* The slot of call id if it still waits for its reply, or NULL. */
static struct conn_call *
conn_waiting_for(struct cdp_conn *conn, int id)
{
	struct conn_call *c = conn_call_find(conn, id);

	return c != NULL && !c->done ? c : NULL;
}

/*
 * Deals with a message that is not valid DevTools JSON: it fails the call
 * it answers if its id can be read from its start, else it is logged and
 * ignored.
 */
static void
conn_garbage(struct cdp_conn *conn, const char *data, size_t len,
    const char *why)
{
	char ex[96], method[CONN_METHOD_MAX];
	struct conn_call *c;
	int id = 0;

	conn_excerpt(ex, sizeof(ex), data, len < 64 ? len : 64);
	if (conn_scan_head(data, len, &id, method, sizeof(method)) == 1 &&
	    (c = conn_waiting_for(conn, id)) != NULL) {
		conn_call_fail(c, ERR_PROTOCOL, "malformed reply to %s "
		    "(%s): %s", c->method, why, ex);
		return;
	}
	log_warnx("cdp: ignoring malformed DevTools message (%s): %s", why,
	    ex);
}

/* Ends call c with the DevTools error object err. */
static void
conn_cdp_error(struct conn_call *c, const cJSON *err)
{
	const cJSON *msg, *code, *data;

	msg = cJSON_GetObjectItemCaseSensitive(err, "message");
	code = cJSON_GetObjectItemCaseSensitive(err, "code");
	data = cJSON_GetObjectItemCaseSensitive(err, "data");
	conn_call_fail(c, ERR_CDP, "%s: %s%s%s%s (code %d)", c->method,
	    cJSON_IsString(msg) ? msg->valuestring : "error without message",
	    cJSON_IsString(data) ? " (" : "",
	    cJSON_IsString(data) ? data->valuestring : "",
	    cJSON_IsString(data) ? ")" : "",
	    cJSON_IsNumber(code) ? code->valueint : 0);
}

/* Handles a reply (a message with an integer id). */
static void
conn_reply(struct cdp_conn *conn, int id, cJSON *root, const char *data,
    size_t len)
{
	struct conn_call *c;
	cJSON *err, *res;
	const char *m;

	err = cJSON_GetObjectItemCaseSensitive(root, "error");
	if ((c = conn_waiting_for(conn, id)) == NULL) {
		/* A cdp_send() reply, or one that came too late. */
		if (err != NULL && log_getlevel() >= LOG_LVL_DEBUG) {
			char ex[160];

			m = conn_sent_method(conn, id);
			conn_excerpt(ex, sizeof(ex), data, len < 150 ? len :
			    150);
			log_debug("cdp: %s (id %d) failed: %s",
			    m != NULL ? m : "call", id, ex);
		}
		return;
	}
	if (err != NULL) {
		if (!cJSON_IsObject(err)) {
			conn_garbage(conn, data, len, "error is not an object");
			return;
		}
		conn_cdp_error(c, err);
		return;
	}
	res = cJSON_GetObjectItemCaseSensitive(root, "result");
	if (res == NULL || !cJSON_IsObject(res)) {
		conn_garbage(conn, data, len, "no result object");
		return;
	}
	c->result = cJSON_DetachItemViaPointer(root, res);
	c->r = 0;
	c->done = 1;
}

/* Removes listeners marked removed (only outside dispatch). */
static void
conn_compact_listeners(struct cdp_conn *conn)
{
	size_t i, j = 0;

	for (i = 0; i < conn->nls; i++)
		if (conn->ls[i].fn != NULL)
			conn->ls[j++] = conn->ls[i];
	conn->nls = j;
	conn->ls_dirty = 0;
}

/* Hands an event to every listener registered when it arrived. */
static void
conn_event(struct cdp_conn *conn, const char *method, cJSON *root,
    const char *data, size_t len)
{
	cJSON *params, *sess;
	const char *session = NULL;
	size_t i, n;

	sess = cJSON_GetObjectItemCaseSensitive(root, "sessionId");
	if (sess != NULL) {
		if (!cJSON_IsString(sess)) {
			conn_garbage(conn, data, len, "sessionId not a string");
			return;
		}
		session = sess->valuestring;
	}
	params = cJSON_GetObjectItemCaseSensitive(root, "params");
	if (params == NULL) {
		if ((params = cJSON_AddObjectToObject(root, "params")) == NULL)
			return;
	} else if (!cJSON_IsObject(params)) {
		conn_garbage(conn, data, len, "params not an object");
		return;
	}
	conn->dispatching++;
	n = conn->nls;
	for (i = 0; i < n && i < conn->nls; i++) {
		cdp_event_fn *fn = conn->ls[i].fn;

		if (fn != NULL)
			fn(conn->ls[i].arg, session, method, params);
	}
	conn->dispatching--;
	if (conn->dispatching == 0 && conn->ls_dirty)
		conn_compact_listeners(conn);
}

/* Parses and handles one complete message. */
static void
conn_message(struct cdp_conn *conn, const char *data, size_t len)
{
	cJSON *root, *id, *method;
	int i;

	if (log_getlevel() >= LOG_LVL_DEBUG) {
		char ex[200];

		conn_excerpt(ex, sizeof(ex), data, len < 180 ? len : 180);
		log_debug("cdp <- (%zu) %s", len, ex);
	}
	root = cJSON_ParseWithLength(data, len);
	if (root == NULL || !cJSON_IsObject(root)) {
		conn_garbage(conn, data, len, root == NULL ? "not JSON" :
		    "not a JSON object");
		goto out;
	}
	id = cJSON_GetObjectItemCaseSensitive(root, "id");
	method = cJSON_GetObjectItemCaseSensitive(root, "method");
	if (id != NULL) {
		if (!cJSON_IsNumber(id) || id->valuedouble < 1 ||
		    id->valuedouble > (double)INT_MAX) {
			conn_garbage(conn, data, len, "id is not a positive "
			    "integer");
			goto out;
		}
		i = (int)id->valuedouble;
		if (id->valuedouble > (double)i) {
			conn_garbage(conn, data, len, "id is not an integer");
			goto out;
		}
		conn_reply(conn, i, root, data, len);
	} else if (cJSON_IsString(method))
		conn_event(conn, method->valuestring, root, data, len);
	else
		conn_garbage(conn, data, len, "neither id nor method");
out:
	cJSON_Delete(root);
	if (conn->pump_done != NULL && !conn->pump_hit) {
		conn->dispatching++;
		conn->pump_hit = conn->pump_done(conn->pump_arg) != 0;
		conn->dispatching--;
	}
}

/*
 * Deals with a message over the cap, once its start is known: the call it
 * answers fails with ERR_TOOBIG; an event is dropped; anything else cannot
 * be attributed and closes the connection (ERR_CLOSED returned).
 */
static int
conn_oversize(struct cdp_conn *conn)
{
	char method[CONN_METHOD_MAX], ex[96];
	struct conn_call *c;
	size_t i;
	int id = 0;

	switch (conn_scan_head(conn->head, conn->head_len, &id, method,
	    sizeof(method))) {
	case 1:
		if ((c = conn_waiting_for(conn, id)) != NULL)
			conn_call_fail(c, ERR_TOOBIG, "reply to %s is over "
			    "the %zu-byte message cap", c->method,
			    conn->params.max_message);
		else
			log_warnx("cdp: dropped a reply (id %d) over the "
			    "%zu-byte message cap", id,
			    conn->params.max_message);
		return 0;
	case 2:
		log_warnx("cdp: dropped event %s over the %zu-byte message "
		    "cap", method, conn->params.max_message);
		return 0;
	default:
		break;
	}
	conn_excerpt(ex, sizeof(ex), conn->head, conn->head_len < 64 ?
	    conn->head_len : 64);
	log_warnx("cdp: unattributable message over the %zu-byte cap: %s",
	    conn->params.max_message, ex);
	for (i = 0; i < CONN_MAX_STARTED + 1; i++) {
		c = &conn->calls[i];
		if (c->id != 0 && !c->done)
			conn_call_fail(c, ERR_TOOBIG, "closed the connection: "
			    "a message over the %zu-byte cap could not be "
			    "matched to a call (while waiting for %s)",
			    conn->params.max_message, c->method);
	}
	cdp_conn_closed(conn, "a message over the size cap could not be "
	    "matched to a call");
	return ERR_CLOSED;
}

/* Appends to the kept prefix of the current message. */
static void
conn_head_add(struct cdp_conn *conn, const void *data, size_t len)
{
	size_t n = sizeof(conn->head) - conn->head_len;

	if (len < n)
		n = len;
	memcpy(conn->head + conn->head_len, data, n);
	conn->head_len += n;
}

/* Receives one fragment of a message. */
int
cdp_conn_feed(struct cdp_conn *conn, const void *data, size_t len,
    int first, int final)
{
	int r;

	if (!conn->alive)
		return ERR_CLOSED;
	if (first && conn->rx_inmsg) {
		log_warnx("cdp: message cut short by a new one (%zu bytes "
		    "lost)", conn->rx_total);
		conn->rx_inmsg = 0;
	}
	if (!conn->rx_inmsg) {
		buf_reset(&conn->rx);
		conn->rx_inmsg = 1;
		conn->rx_skip = 0;
		conn->rx_total = 0;
		conn->head_len = 0;
	}
	conn->rx_total += len;
	if (conn->rx_skip) {
		if (final)
			conn->rx_inmsg = 0;
		return 0;
	}
	if ((r = buf_add(&conn->rx, data, len)) != 0) {
		/* Over the cap (or out of memory): drop the message. */
		conn_head_add(conn, conn->rx.data != NULL ? conn->rx.data : "",
		    conn->rx.len);
		conn_head_add(conn, data, len);
		buf_free(&conn->rx);
		conn->rx_skip = 1;
		if (final)
			conn->rx_inmsg = 0;
		if (r == ERR_NOMEM)
			log_warnx("cdp: out of memory for a %zu-byte message",
			    conn->rx_total);
		return conn_oversize(conn);
	}
	if (!final)
		return 0;
	conn->rx_inmsg = 0;
	conn_message(conn, conn->rx.data, conn->rx.len);
	/* A handler may not free conn, but the transport may have closed. */
	if (conn->rx.cap > CONN_KEEP_RX)
		buf_free(&conn->rx);
	else
		buf_reset(&conn->rx);
	return 0;
}

/*
 * Builds and queues one call; *idp gets its id.  params is consumed.
 */
static int
conn_send_call(struct cdp_conn *conn, const char *session, const char *method,
    cJSON *params, int *idp)
{
	cJSON *msg = NULL;
	char *text = NULL;
	int r = ERR_INTERNAL, id;

	if (method == NULL || *method == '\0' ||
	    (params != NULL && !cJSON_IsObject(params))) {
		cdp_conn_set_error(conn, "invalid call %s",
		    method != NULL ? method : "(null)");
		r = ERR_INVALID;
		goto out;
	}
	if (!conn->alive) {
		cdp_conn_set_error(conn, "%s before %s", conn_why(conn),
		    method);
		r = ERR_CLOSED;
		goto out;
	}
	if (params == NULL && (params = cJSON_CreateObject()) == NULL) {
		r = ERR_NOMEM;
		goto out;
	}
	id = conn_next_id(conn);
	if ((msg = cJSON_CreateObject()) == NULL ||
	    cJSON_AddNumberToObject(msg, "id", id) == NULL ||
	    cJSON_AddStringToObject(msg, "method", method) == NULL ||
	    (session != NULL &&
	    cJSON_AddStringToObject(msg, "sessionId", session) == NULL)) {
		r = ERR_NOMEM;
		goto out;
	}
	if (!cJSON_AddItemToObject(msg, "params", params)) {
		r = ERR_NOMEM;
		goto out;
	}
	params = NULL;
	if ((text = cJSON_PrintUnformatted(msg)) == NULL) {
		r = ERR_NOMEM;
		goto out;
	}
	if (log_getlevel() >= LOG_LVL_DEBUG) {
		char ex[200];
		size_t n = strlen(text);

		conn_excerpt(ex, sizeof(ex), text, n < 180 ? n : 180);
		log_debug("cdp -> %s", ex);
	}
	if ((r = conn->ops->send(conn->targ, text, strlen(text))) != 0) {
		cdp_conn_set_error(conn, "cannot send %s: %s", method,
		    r == ERR_CLOSED ? conn_why(conn) : err_str(r));
		goto out;
	}
	*idp = id;
	r = 0;
out:
	if (r == ERR_NOMEM)
		cdp_conn_set_error(conn, "out of memory sending %s", method);
	cJSON_Delete(params);
	cJSON_Delete(msg);
	cJSON_free(text);
	return r;
}

/* Queues a call whose reply is discarded. */
int
cdp_send(struct cdp_conn *conn, const char *session, const char *method,
    cJSON *params)
{
	struct conn_sent *s;
	int r, id = 0;

	if ((r = conn_send_call(conn, session, method, params, &id)) != 0)
		return r;
	s = &conn->sent[conn->sent_next++ % CONN_SENT_RING];
	s->id = id;
	snprintf(s->method, sizeof(s->method), "%s", method);
	return 0;
}

/* Services the transport once; notices a transport that closed. */
static int
conn_service(struct cdp_conn *conn, long long left)
{
	int r;

	if (left < 0)
		left = 0;
	if (left > INT_MAX)
		left = INT_MAX;
	r = conn->ops->service(conn->targ, (int)left);
	if (r == ERR_CLOSED && conn->alive)
		cdp_conn_closed(conn, "the connection closed");
	return conn->alive ? 0 : ERR_CLOSED;
}

/*
 * Sends a call and gives it a slot for its reply; reserved is set for
 * cdp_call()'s own slot, which is never taken by started calls.
 */
static int
conn_call_start(struct cdp_conn *conn, const char *session,
    const char *method, cJSON *params, int reserved, int *idp)
{
	struct conn_call *c = NULL;
	size_t i, used = 0;
	int r, id = 0;

	for (i = 0; i < CONN_MAX_STARTED + 1; i++) {
		if (conn->calls[i].id != 0)
			used++;
		else if (c == NULL)
			c = &conn->calls[i];
	}
	if (c == NULL || (!reserved && used >= CONN_MAX_STARTED)) {
		cJSON_Delete(params);
		cdp_conn_set_error(conn, "%s: more than %d calls started",
		    method != NULL ? method : "(null)", CONN_MAX_STARTED);
		return ERR_TOOBIG;
	}
	if ((r = conn_send_call(conn, session, method, params, &id)) != 0)
		return r;
	memset(c, 0, sizeof(*c));
	c->id = id;
	snprintf(c->method, sizeof(c->method), "%s", method);
	*idp = id;
	return 0;
}

/* Sends a call whose reply cdp_call_finish() collects. */
int
cdp_call_start(struct cdp_conn *conn, const char *session,
    const char *method, cJSON *params, int *idp)
{
	return conn_call_start(conn, session, method, params, 0, idp);
}

/* Frees the slot of call c. */
static void
conn_call_free(struct conn_call *c)
{
	cJSON_Delete(c->result);
	free(c->error);
	memset(c, 0, sizeof(*c));
}

/* Waits for the reply to a started call and frees its slot. */
int
cdp_call_finish(struct cdp_conn *conn, int id, int timeout_ms,
    cJSON **resultp)
{
	struct conn_call *c;
	long long deadline, left;
	int r = ERR_INTERNAL;

	if (resultp != NULL)
		*resultp = NULL;
	if ((c = conn_call_find(conn, id)) == NULL) {
		cdp_conn_set_error(conn, "no call %d in progress", id);
		return ERR_INVALID;
	}
	if (conn->dispatching > 0 || conn->waiting) {
		cdp_conn_set_error(conn, "waiting for %s from an event "
		    "handler", c->method);
		log_warnx("cdp: %s", conn->error);
		return ERR_INTERNAL;
	}
	if (timeout_ms <= 0)
		timeout_ms = conn->params.call_timeout_ms;
	deadline = cdp_now_ms() + timeout_ms;
	conn->waiting = 1;
	while (!c->done) {
		if (!conn->alive) {
			conn_call_fail(c, ERR_CLOSED, "%s during %s",
			    conn_why(conn), c->method);
			break;
		}
		if ((left = deadline - cdp_now_ms()) <= 0) {
			conn_call_fail(c, ERR_TIMEOUT, "no reply to %s within "
			    "%d ms", c->method, timeout_ms);
			break;
		}
		conn_service(conn, left);
	}
	conn->waiting = 0;
	r = c->r;
	if (r != 0)
		cdp_conn_set_error(conn, "%s", c->error != NULL ? c->error :
		    err_str(r));
	else if (resultp != NULL) {
		*resultp = c->result;
		c->result = NULL;
	}
	conn_call_free(c);
	return r;
}

/* 1 once the reply to a started call (or its failure) is in. */
int
cdp_call_ready(const struct cdp_conn *conn, int id)
{
	size_t i;

	if (id == 0)
		return 0;
	for (i = 0; i < CONN_MAX_STARTED + 1; i++)
		if (conn->calls[i].id == id)
			return conn->calls[i].done || !conn->alive;
	return 0;
}

/* Gives up on a started call: its reply is dropped when it comes. */
void
cdp_call_discard(struct cdp_conn *conn, int id)
{
	struct conn_call *c;

	if ((c = conn_call_find(conn, id)) != NULL)
		conn_call_free(c);
}

/* Sends a call and waits for its reply. */
int
cdp_call(struct cdp_conn *conn, const char *session, const char *method,
    cJSON *params, int timeout_ms, cJSON **resultp)
{
	int r, id = 0;

	if (resultp != NULL)
		*resultp = NULL;
	if (conn->dispatching > 0 || conn->waiting) {
		cJSON_Delete(params);
		cdp_conn_set_error(conn, "cdp_call(%s) from an event handler",
		    method != NULL ? method : "(null)");
		log_warnx("cdp: %s", conn->error);
		return ERR_INTERNAL;
	}
	if ((r = conn_call_start(conn, session, method, params, 1,
	    &id)) != 0)
		return r;
	return cdp_call_finish(conn, id, timeout_ms, resultp);
}

/* Adds an event listener; returns its handle. */
int
cdp_conn_listen(struct cdp_conn *conn, cdp_event_fn *fn, void *arg)
{
	struct conn_listener *l;

	if (conn->nls == conn->als) {
		conn->als = conn->als ? conn->als * 2 : 8;
		conn->ls = xreallocarray(conn->ls, conn->als,
		    sizeof(*conn->ls));
	}
	l = &conn->ls[conn->nls++];
	l->handle = conn->next_handle;
	conn->next_handle = conn->next_handle == INT_MAX ? 1 :
	    conn->next_handle + 1;
	l->fn = fn;
	l->arg = arg;
	return l->handle;
}

/* Removes a listener; safe from inside a handler. */
void
cdp_conn_unlisten(struct cdp_conn *conn, int handle)
{
	size_t i;

	for (i = 0; i < conn->nls; i++) {
		if (conn->ls[i].handle == handle && conn->ls[i].fn != NULL) {
			conn->ls[i].fn = NULL;
			conn->ls_dirty = 1;
			break;
		}
	}
	if (conn->dispatching == 0 && conn->ls_dirty)
		conn_compact_listeners(conn);
}

/* Services the connection until done() or the time runs out. */
int
cdp_conn_pump(struct cdp_conn *conn, int timeout_ms, int (*done)(void *),
    void *arg)
{
	long long deadline;
	int r = ERR_INTERNAL;

	if (conn->dispatching > 0 || conn->waiting) {
		cdp_conn_set_error(conn, "cdp_conn_pump from an event handler");
		log_warnx("cdp: %s", conn->error);
		return ERR_INTERNAL;
	}
	if (done != NULL && done(arg))
		return 0;
	if (!conn->alive) {
		cdp_conn_set_error(conn, "%s", conn_why(conn));
		return ERR_CLOSED;
	}
	if (timeout_ms < 0)
		timeout_ms = 0;
	deadline = cdp_now_ms() + timeout_ms;
	conn->pump_done = done;
	conn->pump_arg = arg;
	conn->pump_hit = 0;
	for (;;) {
		int sr = conn_service(conn, deadline - cdp_now_ms());

		if (conn->pump_hit || (done != NULL && done(arg))) {
			r = 0;
			break;
		}
		if (sr == ERR_CLOSED) {
			cdp_conn_set_error(conn, "%s", conn_why(conn));
			r = ERR_CLOSED;
			break;
		}
		if (cdp_now_ms() >= deadline) {
			r = done != NULL ? ERR_TIMEOUT : 0;
			break;
		}
	}
	conn->pump_done = NULL;
	conn->pump_arg = NULL;
	conn->pump_hit = 0;
	return r;
}
