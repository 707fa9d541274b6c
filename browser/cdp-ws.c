/*
 * cdp-ws.c: the websocket transport on libwebsockets.
 *
 * Each connection owns one lws context, serviced by the thread that owns
 * the connection whenever it waits (cdp_call(), cdp_conn_pump()).  lws
 * ignores lws_service()'s timeout, so every service round schedules a
 * one-shot lws_sul timer at the caller's deadline; poll() then sleeps until
 * traffic or that timer.  Messages are sent only from
 * LWS_CALLBACK_CLIENT_WRITEABLE, one lws_write() per callback, from a queue
 * of buffers with LWS_PRE headroom.  No Origin header is sent (Chromium
 * refuses websocket upgrades with an Origin it does not allow) and no
 * extensions are offered, so there is no permessage-deflate.
 */
#include "config.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>

#include "err.h"
#include "log.h"
#include "xmalloc.h"

#include "cdp.h"
#include "private.h"

#define WS_RX_BUFFER	(128 * 1024)	/* lws rx chunk handed to us */
#define WS_SERV_BUF	(128 * 1024)	/* lws read size per service */
#define WS_FD_LIMIT	16		/* one socket + lws internals */
#define WS_URL_MAX	2048

struct ws_msg {
	struct ws_msg	*next;
	size_t		 len;
	unsigned char	 data[];	/* LWS_PRE + len */
};

struct cdp_ws {
	struct lws_context *ctx;
	struct lws	*wsi;
	struct cdp_conn	*conn;		/* NULL while closing */
	lws_sorted_usec_list_t sul;	/* service round timer */
	struct ws_msg	*qhead, *qtail;	/* send queue */
	int		 established;
	int		 closed;
	int		 rx_inmsg;	/* between first and final fragment */
	char		 why[256];	/* why it closed or failed */
};

static int	ws_callback(struct lws *, enum lws_callback_reasons, void *,
		    void *, size_t);

static const struct lws_protocols ws_protocols[] = {
	{ "cdp", ws_callback, 0, WS_RX_BUFFER, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

/*
 * No lws validity checks.  The default policy PINGs after 300 s without
 * traffic and hangs up 10 s later unless a PONG was read by then; a
 * connection whose owner does not service it meanwhile (an agent thinking
 * for minutes) could be hung up with the PONG unread.  Calls have
 * deadlines and a dead browser closes the socket, so nothing is lost.
 */
static const lws_retry_bo_t ws_no_validity = {
	NULL, 0, 0, 0, 0, 0
};

static pthread_once_t ws_log_once = PTHREAD_ONCE_INIT;

/* Passes lws's own messages to our log at debug level. */
static void
ws_log_emit(int level, const char *line)
{
	size_t n = strlen(line);

	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	log_debug("lws(%d): %.*s", level, (int)n, line);
}

/* Quiets lws: errors and warnings only, and only into our debug log. */
static void
ws_log_init(void)
{
	lws_set_log_level(LLL_ERR | LLL_WARN, ws_log_emit);
}

/* Marks the transport closed and tells the connection why. */
static void
ws_set_closed(struct cdp_ws *ws, const char *why)
{
	if (ws->closed)
		return;
	ws->closed = 1;
	if (ws->why[0] == '\0')
		snprintf(ws->why, sizeof(ws->why), "%s", why);
	if (ws->conn != NULL)
		cdp_conn_closed(ws->conn, ws->why);
}

/* Sends the next queued message (one lws_write per WRITEABLE). */
static int
ws_writeable(struct cdp_ws *ws, struct lws *wsi)
{
	struct ws_msg *m;
	int n;

	if ((m = ws->qhead) == NULL)
		return 0;
	ws->qhead = m->next;
	if (ws->qhead == NULL)
		ws->qtail = NULL;
	n = lws_write(wsi, m->data + LWS_PRE, m->len, LWS_WRITE_TEXT);
	if (n < 0 || (size_t)n < m->len) {
		free(m);
		snprintf(ws->why, sizeof(ws->why), "websocket write failed");
		return -1;
	}
	free(m);
	if (ws->qhead != NULL)
		lws_callback_on_writable(wsi);
	return 0;
}

/* The lws protocol callback. */
static int
ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct cdp_ws *ws;
	char tmp[200];
	int first, final;

	(void)user;
	ws = lws_context_user(lws_get_context(wsi));
	if (ws == NULL)
		return 0;
	switch (reason) {
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		ws->wsi = wsi;
		ws->established = 1;
		if (ws->qhead != NULL)
			lws_callback_on_writable(wsi);
		break;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		if (ws->wsi == wsi)
			ws->wsi = NULL;
		snprintf(tmp, sizeof(tmp), "%s", in != NULL ?
		    (const char *)in : "connection failed");
		if (ws->established)
			ws_set_closed(ws, "the connection to the browser "
			    "failed");
		else
			ws_set_closed(ws, tmp);
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		if (ws->conn == NULL || ws->closed)
			break;
		first = !ws->rx_inmsg;
		final = lws_is_final_fragment(wsi) &&
		    lws_remaining_packet_payload(wsi) == 0;
		ws->rx_inmsg = !final;
		if (cdp_conn_feed(ws->conn, in, len, first, final) ==
		    ERR_CLOSED) {
			ws_set_closed(ws, "a message over the size cap could "
			    "not be matched to a call");
			return -1;
		}
		break;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		if (ws->closed)
			return -1;
		return ws_writeable(ws, wsi);
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		if (in != NULL && len >= 2)
			snprintf(ws->why, sizeof(ws->why), "browser closed "
			    "the connection (code %d%s%.*s)",
			    ((const unsigned char *)in)[0] << 8 |
			    ((const unsigned char *)in)[1],
			    len > 2 ? ": " : "",
			    len > 2 ? (int)(len - 2 < 100 ? len - 2 : 100) : 0,
			    (const char *)in + 2);
		break;
	case LWS_CALLBACK_CLIENT_CLOSED:
		if (ws->wsi == wsi)
			ws->wsi = NULL;
		ws_set_closed(ws, "browser closed the connection");
		break;
	case LWS_CALLBACK_WSI_DESTROY:
		if (ws->wsi == wsi) {
			ws->wsi = NULL;
			ws_set_closed(ws, "browser closed the connection");
		}
		break;
	default:
		break;
	}
	return 0;
}

/* Fires at the end of a service round; waking poll() is all it does. */
static void
ws_sul_cb(lws_sorted_usec_list_t *sul)
{
	(void)sul;
}

/* Queues one text message. */
static int
ws_send(void *arg, const char *msg, size_t len)
{
	struct cdp_ws *ws = arg;
	struct ws_msg *m;

	if (ws->closed)
		return ERR_CLOSED;
	if (len > INT_MAX - LWS_PRE - sizeof(*m))
		return ERR_TOOBIG;
	if ((m = malloc(sizeof(*m) + LWS_PRE + len)) == NULL)
		return ERR_NOMEM;
	m->next = NULL;
	m->len = len;
	memcpy(m->data + LWS_PRE, msg, len);
	if (ws->qtail != NULL)
		ws->qtail->next = m;
	else
		ws->qhead = m;
	ws->qtail = m;
	if (ws->established && ws->wsi != NULL)
		lws_callback_on_writable(ws->wsi);
	return 0;
}

/* Runs one lws service round of at most timeout_ms. */
static int
ws_service(void *arg, int timeout_ms)
{
	struct cdp_ws *ws = arg;
	int n;

	if (ws->closed || ws->ctx == NULL)
		return ERR_CLOSED;
	if (timeout_ms < 0)
		timeout_ms = 0;
	lws_sul_schedule(ws->ctx, 0, &ws->sul, ws_sul_cb,
	    (lws_usec_t)timeout_ms * 1000);
	n = lws_service(ws->ctx, 0);
	lws_sul_cancel(&ws->sul);
	if (n < 0)
		ws_set_closed(ws, "websocket service failed");
	return ws->closed ? ERR_CLOSED : 0;
}

/* Destroys the lws context and frees the transport. */
static void
ws_close(void *arg)
{
	struct cdp_ws *ws = arg;
	struct ws_msg *m;

	if (ws == NULL)
		return;
	ws->conn = NULL;
	ws->closed = 1;
	if (ws->ctx != NULL) {
		lws_sul_cancel(&ws->sul);
		lws_context_destroy(ws->ctx);
		ws->ctx = NULL;
	}
	while ((m = ws->qhead) != NULL) {
		ws->qhead = m->next;
		free(m);
	}
	free(ws);
}

static const struct cdp_transport_ops ws_ops = {
	ws_send,
	ws_service,
	ws_close
};

/* Explains lws's terse connection errors. */
static const char *
ws_hint(const char *why)
{
	if (strstr(why, "Unable to connect") != NULL)
		return " (refused or unreachable: is the browser running "
		    "with --remote-debugging-port?)";
	if (strstr(why, "not 101") != NULL)
		return " (the server refused the websocket upgrade: wrong "
		    "path, or not a DevTools endpoint)";
	return "";
}

/* Opens a websocket to a browser endpoint. */
int
cdp_conn_open(const char *wsurl, const struct cdp_conn_params *p,
    struct cdp_conn **connp, char **causep)
{
	struct lws_context_creation_info info;
	struct lws_client_connect_info ci;
	struct cdp_conn_params params;
	struct cdp_conn *conn = NULL;
	struct cdp_ws *ws = NULL;
	const char *prot, *ads, *path;
	char *copy = NULL, *fullpath = NULL, *host = NULL;
	long long deadline;
	int r = ERR_INTERNAL, port, tls;

	*connp = NULL;
	if (causep != NULL)
		*causep = NULL;
	pthread_once(&ws_log_once, ws_log_init);
	cdp_conn_default_params(&params);
	if (p != NULL) {
		if (p->max_message > 0)
			params.max_message = p->max_message;
		if (p->connect_timeout_ms > 0)
			params.connect_timeout_ms = p->connect_timeout_ms;
		if (p->call_timeout_ms > 0)
			params.call_timeout_ms = p->call_timeout_ms;
	}

	if (wsurl == NULL || strlen(wsurl) > WS_URL_MAX) {
		if (causep != NULL)
			*causep = xstrdup("websocket URL missing or too long");
		r = ERR_INVALID;
		goto out;
	}
	copy = xstrdup(wsurl);
	if (lws_parse_uri(copy, &prot, &ads, &port, &path) != 0 ||
	    (strcmp(prot, "ws") != 0 && strcmp(prot, "wss") != 0) ||
	    *ads == '\0' || port <= 0 || port > 65535) {
		if (causep != NULL)
			*causep = xasprintf("not a websocket URL "
			    "(ws://host:port/path): %s", wsurl);
		r = ERR_INVALID;
		goto out;
	}
	tls = strcmp(prot, "wss") == 0;
	fullpath = xasprintf("/%s", path);
	host = xasprintf("%s:%d", ads, port);

	ws = xcalloc(1, sizeof(*ws));
	memset(&info, 0, sizeof(info));
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = ws_protocols;
	info.gid = -1;
	info.uid = -1;
	info.user = ws;
	info.fd_limit_per_thread = WS_FD_LIMIT;
	info.pt_serv_buf_size = WS_SERV_BUF;
	if (tls)
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	if ((ws->ctx = lws_create_context(&info)) == NULL) {
		if (causep != NULL)
			*causep = xstrdup("cannot create a libwebsockets "
			    "context");
		free(ws);
		ws = NULL;
		r = ERR_NOMEM;
		goto out;
	}
	conn = cdp_conn_new_transport(&ws_ops, ws, &params);
	ws->conn = conn;

	memset(&ci, 0, sizeof(ci));
	ci.context = ws->ctx;
	ci.address = ads;
	ci.port = port;
	ci.ssl_connection = tls ? LCCSCF_USE_SSL : 0;
	ci.path = fullpath;
	ci.host = host;
	ci.origin = NULL;		/* Chromium 403s unknown origins */
	ci.protocol = NULL;		/* no Sec-WebSocket-Protocol */
	ci.local_protocol_name = ws_protocols[0].name;
	ci.ietf_version_or_minus_one = -1;
	ci.retry_and_idle_policy = &ws_no_validity;
	ws->wsi = lws_client_connect_via_info(&ci);
	if (ws->wsi == NULL && !ws->closed)
		ws_set_closed(ws, "connection failed");

	deadline = cdp_now_ms() + params.connect_timeout_ms;
	while (!ws->established && !ws->closed) {
		long long left = deadline - cdp_now_ms();

		if (left <= 0) {
			if (causep != NULL)
				*causep = xasprintf("cannot connect to %s: no "
				    "websocket handshake within %d ms", wsurl,
				    params.connect_timeout_ms);
			r = ERR_TIMEOUT;
			goto out;
		}
		ws_service(ws, left > INT_MAX ? INT_MAX : (int)left);
	}
	if (!ws->established) {
		if (causep != NULL)
			*causep = xasprintf("cannot connect to %s: %s%s", wsurl,
			    ws->why, ws_hint(ws->why));
		r = ERR_CONNECT;
		goto out;
	}
	log_debug("cdp: connected to %s", wsurl);
	*connp = conn;
	conn = NULL;
	r = 0;
out:
	cdp_conn_free(conn);
	free(copy);
	free(fullpath);
	free(host);
	return r;
}
