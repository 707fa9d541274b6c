/*
 * ctl.c: the control API server on libwebsockets (see ctl.h).
 *
 * One protocol, "webnavd", at index 0 of both vhosts, serves plain HTTP
 * (lws hands requests without a mount to protocols[0]) and the event
 * WebSocket (a client that names no subprotocol gets protocols[0]).  The
 * per-connection data is one struct pss for both roles; it is reset at
 * the start of each HTTP transaction and at the WebSocket handshake, and
 * everything it owns is freed on close.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libwebsockets.h>

#include "buf.h"
#include "ctl-proto.h"
#include "ctl.h"
#include "err.h"
#include "log.h"
#include "xmalloc.h"

#define CTL_CHUNK		(32 * 1024)	/* bytes per HTTP write */
#define CTL_HEADERS_MAX		8192		/* lws header space */
#define CTL_FD_LIMIT		1024

enum pss_kind { PSS_NONE, PSS_HTTP, PSS_WS };

struct wsmsg {
	struct wsmsg	*next;
	size_t		 len;
	unsigned char	 data[];	/* LWS_PRE + len */
};

struct vh {
	struct ctl	*c;
	int		 tcp;
};

struct pss {
	enum pss_kind	 kind;
	struct lws	*wsi;
	/* HTTP request. */
	enum ctl_method	 method;
	char		 path[CTL_PATH_MAX + 1];
	char		*args[CTL_MAX_ARGS];	/* "key\0value" */
	int		 nargs;
	int		 tcp;
	int		 want_body;
	struct buf	 body;
	/* HTTP response. */
	char		*out;
	size_t		 outlen, outoff;
	int		 close_after;
	/* WebSocket subscriber. */
	struct wsmsg	*qh, *qt;
	size_t		 qn, qbytes;
	int		 dead;
	struct pss	*prev, *next;
};

struct ctl {
	struct lws_context *ctx;
	struct lws_vhost *vunix, *vtcp;
	struct vh	 vh_unix, vh_tcp;
	char		*socket;
	char		*token;
	size_t		 body_max;
	ctl_handler_fn	*handler;
	ctl_hello_fn	*hello;
	void		*arg;
	struct pss	*clients;
	int		 nclients;
	int		 tcp_port;
};

static int	ctl_callback(struct lws *, enum lws_callback_reasons, void *,
		    void *, size_t);

static const struct lws_protocols ctl_protocols[] = {
	{ "webnavd", ctl_callback, sizeof(struct pss), 4096, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

/* ---------------------------------------------------------------------- */
/* Helpers for handlers.                                                  */

void
ctl_error(struct ctl_resp *rs, int status, const char *fmt, ...)
{
	cJSON *doc = cJSON_CreateObject();
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cJSON_AddStringToObject(doc, "error", msg);
	cJSON_AddNumberToObject(doc, "status", status);
	ctl_json(rs, status, doc);
}

void
ctl_json(struct ctl_resp *rs, int status, cJSON *doc)
{
	char *txt = cJSON_PrintUnformatted(doc);

	rs->status = status;
	rs->type = "application/json";
	buf_reset(&rs->body);
	if (txt == NULL || buf_puts(&rs->body, txt) != 0 ||
	    buf_puts(&rs->body, "\n") != 0) {
		buf_reset(&rs->body);
		rs->status = 500;
		(void)buf_puts(&rs->body, "{\"error\":\"response too large\","
		    "\"status\":500}\n");
	}
	cJSON_free(txt);
	cJSON_Delete(doc);
}

const char *
ctl_arg(const struct ctl_req *rq, const char *key)
{
	int i;

	for (i = 0; i < rq->nargs; i++)
		if (strcmp(rq->argk[i], key) == 0)
			return rq->argv[i];
	return NULL;
}

/* ---------------------------------------------------------------------- */
/* Connections.                                                           */

static void
http_reset(struct pss *ps)
{
	int i;

	for (i = 0; i < ps->nargs; i++)
		free(ps->args[i]);
	ps->nargs = 0;
	buf_free(&ps->body);
	free(ps->out);
	ps->out = NULL;
	ps->outlen = ps->outoff = 0;
	ps->want_body = 0;
	ps->close_after = 0;
	ps->path[0] = '\0';
}

/* Constant-time comparison of a presented token with ours. */
static int
token_ok(const struct ctl *c, const char *given)
{
	size_t i, n, m;
	unsigned char d = 0;

	if (c->token == NULL || given == NULL)
		return 0;
	n = strlen(c->token);
	m = strlen(given);
	for (i = 0; i < n; i++)
		d |= (unsigned char)(c->token[i] ^ (i < m ? given[i] : 0));
	return d == 0 && n == m;
}

/*
 * Reads the query into ps->args.  Returns 0, 414 when too long, or 400
 * when there are too many parameters.
 */
static int
read_args(struct lws *wsi, struct pss *ps)
{
	int total, n, m;
	char *buf, *eq;

	total = lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_URI_ARGS);
	if (total <= 0)
		return 0;
	if (total > CTL_MAX_ARGS * CTL_ARG_MAX)
		return 414;
	buf = xmalloc((size_t)total + 1);
	for (n = 0;; n++) {
		m = lws_hdr_copy_fragment(wsi, buf, total + 1,
		    WSI_TOKEN_HTTP_URI_ARGS, n);
		if (m < 0)
			break;
		if (ps->nargs >= CTL_MAX_ARGS) {
			free(buf);
			return 400;
		}
		buf[m] = '\0';
		if ((eq = strchr(buf, '=')) != NULL)
			*eq = '\0';
		/* Stored as "key\0value". */
		ps->args[ps->nargs] = xmalloc((size_t)m + 2);
		memcpy(ps->args[ps->nargs], buf, (size_t)m + 1);
		if (eq == NULL)
			ps->args[ps->nargs][m + 1] = '\0';
		ps->nargs++;
	}
	free(buf);
	return 0;
}

static const char *
arg_key(const struct pss *ps, int i)
{
	return ps->args[i];
}

static const char *
arg_val(const struct pss *ps, int i)
{
	return ps->args[i] + strlen(ps->args[i]) + 1;
}

/* The bearer token of a request: header, else ?token=. */
static int
authorised(const struct ctl *c, struct lws *wsi, const struct pss *ps)
{
	char hdr[CTL_ARG_MAX];
	int i, n;

	n = lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_AUTHORIZATION);
	if (n > 0 && n < (int)sizeof(hdr) &&
	    lws_hdr_copy(wsi, hdr, sizeof(hdr),
	    WSI_TOKEN_HTTP_AUTHORIZATION) > 0 &&
	    strncasecmp(hdr, "Bearer ", 7) == 0)
		return token_ok(c, hdr + 7);
	for (i = 0; i < ps->nargs; i++)
		if (strcmp(arg_key(ps, i), "token") == 0)
			return token_ok(c, arg_val(ps, i));
	return 0;
}

/* Adds a header by name to a response being built. */
static int
add_hdr(struct lws *wsi, const char *name, const char *value,
    unsigned char **p, unsigned char *end)
{
	return lws_add_http_header_by_name(wsi, (const unsigned char *)name,
	    (const unsigned char *)value, (int)strlen(value), p, end);
}

static void
resp_clear(struct ctl_resp *rs)
{
	buf_free(&rs->body);
	free(rs->file);
	free(rs->location);
	rs->file = rs->location = NULL;
}

/* Writes the response headers and queues the body; -1 closes. */
static int
respond(struct pss *ps, struct lws *wsi, struct ctl_resp *rs)
{
	unsigned char hb[LWS_PRE + 2048], *start = hb + LWS_PRE, *p = start,
	    *end = hb + sizeof(hb) - 1;
	char extra[512], num[32];
	int n;

	if (rs->file != NULL) {
		n = snprintf(extra, sizeof(extra), "%s: %d\x0d\x0a"
		    "cache-control: no-store\x0d\x0a"
		    "x-content-type-options: nosniff\x0d\x0a",
		    CTL_PROTO_HEADER, CTL_PROTO_VERSION);
		n = lws_serve_http_file(wsi, rs->file, rs->type, extra, n);
		resp_clear(rs);
		if (n < 0 || (n > 0 && lws_http_transaction_completed(wsi)))
			return -1;
		return 0;
	}
	snprintf(num, sizeof(num), "%d", CTL_PROTO_VERSION);
	if (lws_add_http_common_headers(wsi, (unsigned)rs->status, rs->type,
	    rs->body.len, &p, end) ||
	    add_hdr(wsi, CTL_PROTO_HEADER ":", num, &p, end) ||
	    add_hdr(wsi, "cache-control:", "no-store", &p, end) ||
	    add_hdr(wsi, "x-content-type-options:", "nosniff", &p, end) ||
	    (rs->location != NULL && add_hdr(wsi, "location:", rs->location,
	    &p, end)) ||
	    (rs->allow != NULL && add_hdr(wsi, "allow:", rs->allow, &p,
	    end)) ||
	    (rs->csp != NULL && add_hdr(wsi, "content-security-policy:",
	    rs->csp, &p, end)) ||
	    (rs->status == 401 && add_hdr(wsi, "www-authenticate:",
	    "Bearer realm=\"webnavd\"", &p, end))) {
		resp_clear(rs);
		return -1;
	}
	if (rs->retry_after > 0) {
		snprintf(num, sizeof(num), "%d", rs->retry_after);
		if (add_hdr(wsi, "retry-after:", num, &p, end)) {
			resp_clear(rs);
			return -1;
		}
	}
	if (lws_finalize_write_http_header(wsi, start, &p, end)) {
		resp_clear(rs);
		return -1;
	}
	ps->outlen = rs->body.len;
	ps->outoff = 0;
	ps->out = buf_steal(&rs->body, NULL);
	resp_clear(rs);
	if (ps->outlen == 0) {
		free(ps->out);
		ps->out = NULL;
		if (ps->close_after || lws_http_transaction_completed(wsi))
			return -1;
		return 0;
	}
	lws_callback_on_writable(wsi);
	return 0;
}

/* Answers with an error without asking the daemon. */
static int
respond_error(struct pss *ps, struct lws *wsi, int status, const char *msg)
{
	struct ctl_resp rs;

	memset(&rs, 0, sizeof(rs));
	buf_init(&rs.body, 64 * 1024);
	ctl_error(&rs, status, "%s", msg);
	return respond(ps, wsi, &rs);
}

/* Hands a complete request to the daemon and answers. */
static int
dispatch(struct ctl *c, struct pss *ps, struct lws *wsi)
{
	struct ctl_req rq;
	struct ctl_resp rs;
	int i;

	memset(&rq, 0, sizeof(rq));
	memset(&rs, 0, sizeof(rs));
	rq.method = ps->method;
	rq.path = ps->path;
	rq.tcp = ps->tcp;
	for (i = 0; i < ps->nargs; i++) {
		if (strcmp(arg_key(ps, i), "token") == 0)
			continue;
		rq.argk[rq.nargs] = arg_key(ps, i);
		rq.argv[rq.nargs++] = arg_val(ps, i);
	}
	rq.body = ps->body.data != NULL ? ps->body.data : "";
	rq.len = ps->body.len;
	rs.status = 200;
	rs.type = "application/json";
	buf_init(&rs.body, CTL_RESP_MAX);
	c->handler(c->arg, &rq, &rs);
	return respond(ps, wsi, &rs);
}

/* LWS_CALLBACK_HTTP: a request head has arrived. */
static int
http_begin(struct ctl *c, const struct vh *vh, struct pss *ps,
    struct lws *wsi, const char *uri)
{
	char cl[32], *end;
	unsigned long long n;
	int r;

	http_reset(ps);
	ps->kind = PSS_HTTP;
	ps->wsi = wsi;
	ps->tcp = vh->tcp;
	if (lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI) > 0)
		ps->method = CTL_GET;
	else if (lws_hdr_total_length(wsi, WSI_TOKEN_POST_URI) > 0)
		ps->method = CTL_POST;
	else if (lws_hdr_total_length(wsi, WSI_TOKEN_DELETE_URI) > 0)
		ps->method = CTL_DELETE;
	else
		ps->method = CTL_OTHER;
	if (strlen(uri) > CTL_PATH_MAX) {
		ps->close_after = 1;
		return respond_error(ps, wsi, 414, "request path too long");
	}
	snprintf(ps->path, sizeof(ps->path), "%s", uri);
	if ((r = read_args(wsi, ps)) != 0) {
		ps->close_after = 1;
		return respond_error(ps, wsi, r, r == 414 ? "query too long" :
		    "too many query parameters");
	}
	if (ps->tcp && !authorised(c, wsi, ps)) {
		log_debug("ctl: refused %s without a valid token", ps->path);
		ps->close_after = ps->method == CTL_POST;
		return respond_error(ps, wsi, 401, "a valid bearer token is "
		    "required");
	}
	if (ps->method != CTL_POST)
		return dispatch(c, ps, wsi);
	if (lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH) <= 0) {
		if (lws_hdr_total_length(wsi,
		    WSI_TOKEN_HTTP_TRANSFER_ENCODING) > 0) {
			ps->close_after = 1;
			return respond_error(ps, wsi, 411, "Content-Length "
			    "is required");
		}
		return dispatch(c, ps, wsi);
	}
	lws_hdr_copy(wsi, cl, sizeof(cl), WSI_TOKEN_HTTP_CONTENT_LENGTH);
	errno = 0;
	n = strtoull(cl, &end, 10);
	if (errno != 0 || end == cl || *end != '\0') {
		ps->close_after = 1;
		return respond_error(ps, wsi, 400, "bad Content-Length");
	}
	if (n > c->body_max) {
		char msg[128];

		snprintf(msg, sizeof(msg), "request body of %llu bytes is over "
		    "the limit of %zu bytes", n, c->body_max);
		ps->close_after = 1;
		return respond_error(ps, wsi, 413, msg);
	}
	if (n == 0)
		return dispatch(c, ps, wsi);
	buf_init(&ps->body, (size_t)n);
	ps->want_body = 1;
	return 0;
}

/* LWS_CALLBACK_HTTP_WRITEABLE: the next chunk of the body. */
static int
http_write(struct pss *ps, struct lws *wsi)
{
	static unsigned char wbuf[LWS_PRE + CTL_CHUNK];
	size_t n;
	int final;

	if (ps->out == NULL)
		return 0;
	n = ps->outlen - ps->outoff;
	if (n > CTL_CHUNK)
		n = CTL_CHUNK;
	memcpy(wbuf + LWS_PRE, ps->out + ps->outoff, n);
	final = ps->outoff + n == ps->outlen;
	if (lws_write(wsi, wbuf + LWS_PRE, n, final ? LWS_WRITE_HTTP_FINAL :
	    LWS_WRITE_HTTP) < (int)n)
		return -1;
	ps->outoff += n;
	if (!final) {
		lws_callback_on_writable(wsi);
		return 0;
	}
	free(ps->out);
	ps->out = NULL;
	if (ps->close_after || lws_http_transaction_completed(wsi))
		return -1;
	return 0;
}

static void
ws_free_queue(struct pss *ps)
{
	struct wsmsg *m, *next;

	for (m = ps->qh; m != NULL; m = next) {
		next = m->next;
		free(m);
	}
	ps->qh = ps->qt = NULL;
	ps->qn = ps->qbytes = 0;
}

/* Queues a message to one subscriber; drops one that lags too far. */
static void
ws_enqueue(struct ctl *c, struct pss *ps, const char *msg, size_t len)
{
	struct wsmsg *m;

	(void)c;
	if (ps->dead)
		return;
	if (ps->qn >= CTL_WS_QUEUE_MAX || ps->qbytes + len > CTL_WS_BYTES_MAX) {
		log_warnx("ctl: event subscriber fell %zu messages behind; "
		    "dropping it", ps->qn);
		ps->dead = 1;
		ws_free_queue(ps);
		lws_set_timeout(ps->wsi, PENDING_TIMEOUT_USER_OK,
		    LWS_TO_KILL_ASYNC);
		return;
	}
	m = xmalloc(sizeof(*m) + LWS_PRE + len);
	m->next = NULL;
	m->len = len;
	memcpy(m->data + LWS_PRE, msg, len);
	if (ps->qt != NULL)
		ps->qt->next = m;
	else
		ps->qh = m;
	ps->qt = m;
	ps->qn++;
	ps->qbytes += len;
	lws_callback_on_writable(ps->wsi);
}

/* Accepts a WebSocket only on /v1/events, and with the token on TCP. */
static int
ws_filter(struct ctl *c, const struct vh *vh, struct lws *wsi)
{
	struct pss tmp;
	char uri[CTL_PATH_MAX + 1];
	int ok;

	if (lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI) <= 0 ||
	    lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI) > CTL_PATH_MAX ||
	    lws_hdr_copy(wsi, uri, sizeof(uri), WSI_TOKEN_GET_URI) < 0 ||
	    strcmp(uri, CTL_PATH_EVENTS) != 0)
		return 1;
	if (!vh->tcp)
		return 0;
	memset(&tmp, 0, sizeof(tmp));
	if (read_args(wsi, &tmp) != 0)
		ok = 0;
	else
		ok = authorised(c, wsi, &tmp);
	http_reset(&tmp);
	if (!ok)
		log_debug("ctl: refused an event subscriber without a valid "
		    "token");
	return !ok;
}

static int
ws_open(struct ctl *c, struct pss *ps, struct lws *wsi)
{
	char *hello;

	http_reset(ps);
	memset(ps, 0, sizeof(*ps));
	ps->kind = PSS_WS;
	ps->wsi = wsi;
	ps->next = c->clients;
	if (c->clients != NULL)
		c->clients->prev = ps;
	c->clients = ps;
	c->nclients++;
	if (c->hello != NULL && (hello = c->hello(c->arg)) != NULL) {
		ws_enqueue(c, ps, hello, strlen(hello));
		free(hello);
	}
	return 0;
}

static void
ws_close(struct ctl *c, struct pss *ps)
{
	if (ps->kind != PSS_WS)
		return;
	if (ps->prev != NULL)
		ps->prev->next = ps->next;
	else
		c->clients = ps->next;
	if (ps->next != NULL)
		ps->next->prev = ps->prev;
	c->nclients--;
	ws_free_queue(ps);
	ps->kind = PSS_NONE;
}

static int
ws_write(struct pss *ps, struct lws *wsi)
{
	struct wsmsg *m;
	int n;

	if (ps->dead)
		return -1;
	if ((m = ps->qh) == NULL)
		return 0;
	ps->qh = m->next;
	if (ps->qh == NULL)
		ps->qt = NULL;
	ps->qn--;
	ps->qbytes -= m->len;
	n = lws_write(wsi, m->data + LWS_PRE, m->len, LWS_WRITE_TEXT);
	free(m);
	if (n < 0)
		return -1;
	if (ps->qh != NULL)
		lws_callback_on_writable(wsi);
	return 0;
}

static int
ctl_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct pss *ps = user;
	struct lws_vhost *vhost = lws_get_vhost(wsi);
	struct vh *vh = vhost != NULL ? lws_get_vhost_user(vhost) : NULL;
	struct ctl *c = vh != NULL ? vh->c : NULL;

	if (c == NULL)
		return lws_callback_http_dummy(wsi, reason, user, in, len);
	switch (reason) {
	case LWS_CALLBACK_HTTP:
		return http_begin(c, vh, ps, wsi, in != NULL ? in : "/");
	case LWS_CALLBACK_HTTP_BODY:
		if (!ps->want_body)
			return 0;
		if (buf_add(&ps->body, in, len) != 0) {
			ps->want_body = 0;
			ps->close_after = 1;
			return respond_error(ps, wsi, 413, "request body "
			    "larger than its Content-Length");
		}
		return 0;
	case LWS_CALLBACK_HTTP_BODY_COMPLETION:
		if (!ps->want_body)
			return 0;
		ps->want_body = 0;
		return dispatch(c, ps, wsi);
	case LWS_CALLBACK_HTTP_WRITEABLE:
		return http_write(ps, wsi);
	case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
	case LWS_CALLBACK_CLOSED_HTTP:
		if (ps != NULL && ps->kind == PSS_HTTP)
			http_reset(ps);
		break;
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		return ws_filter(c, vh, wsi);
	case LWS_CALLBACK_ESTABLISHED:
		return ws_open(c, ps, wsi);
	case LWS_CALLBACK_SERVER_WRITEABLE:
		return ws_write(ps, wsi);
	case LWS_CALLBACK_RECEIVE:
		/* Subscribers have nothing to say; ignore it. */
		return 0;
	case LWS_CALLBACK_CLOSED:
		ws_close(c, ps);
		return 0;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

/* ---------------------------------------------------------------------- */
/* Setup.                                                                 */

/* lws's own errors and warnings go to our log. */
static void
ctl_lws_log(int level, const char *line)
{
	size_t n = strlen(line);

	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	if (level & LLL_ERR)
		log_warnx("lws: %.*s", (int)n, line);
	else
		log_debug("lws(%d): %.*s", level, (int)n, line);
}

/* 1 if something already accepts connections on the socket path. */
static int
socket_live(const char *path)
{
	struct sockaddr_un sun;
	int fd, live;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path))
		return 0;
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return 0;
	live = connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0;
	close(fd);
	return live;
}

int
ctl_new(const struct ctl_params *p, struct ctl **cp, char **causep)
{
	struct lws_context_creation_info info;
	struct ctl *c;
	mode_t old;
	char *dir;
	int r = ERR_IO, e;

	*cp = NULL;
	*causep = NULL;
	c = xcalloc(1, sizeof(*c));
	c->socket = xstrdup(p->socket);
	c->token = p->token != NULL ? xstrdup(p->token) : NULL;
	c->body_max = p->body_max;
	c->handler = p->handler;
	c->hello = p->hello;
	c->arg = p->arg;
	c->vh_unix.c = c;
	c->vh_tcp.c = c;
	c->vh_tcp.tcp = 1;
	if (p->listen_host != NULL && c->token == NULL) {
		*causep = xstrdup("listen needs a token");
		r = ERR_INVALID;
		goto fail;
	}
	if (socket_live(p->socket)) {
		*causep = xasprintf("another process (webnavd?) is listening "
		    "on %s", p->socket);
		r = ERR_INVALID;
		goto fail;
	}
	/* lws does not say why a bind failed; find out first. */
	dir = xstrdup(p->socket);
	*strrchr(dir, '/') = '\0';
	if (access(*dir != '\0' ? dir : "/", W_OK | X_OK) == -1) {
		*causep = xasprintf("cannot listen on %s: %s: %s", p->socket,
		    *dir != '\0' ? dir : "/", strerror(errno));
		free(dir);
		r = ERR_IO;
		goto fail;
	}
	free(dir);
	lws_set_log_level(LLL_ERR | LLL_WARN, ctl_lws_log);

	memset(&info, 0, sizeof(info));
	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
	info.fd_limit_per_thread = CTL_FD_LIMIT;
	info.max_http_header_data = CTL_HEADERS_MAX;
	info.uid = (uid_t)-1;
	info.gid = (gid_t)-1;
	info.user = c;
	if ((c->ctx = lws_create_context(&info)) == NULL) {
		*causep = xstrdup("cannot create the libwebsockets context");
		goto fail;
	}

	memset(&info, 0, sizeof(info));
	info.options = LWS_SERVER_OPTION_UNIX_SOCK;
	info.iface = c->socket;
	info.port = 0;
	info.protocols = ctl_protocols;
	info.vhost_name = "unix";
	info.user = &c->vh_unix;
	info.keepalive_timeout = 30;
	/* Created with the mode asked for: no window with a wider one. */
	old = umask((mode_t)(0777 & ~p->socket_mode));
	errno = 0;
	c->vunix = lws_create_vhost(c->ctx, &info);
	e = errno;
	umask(old);
	if (c->vunix == NULL) {
		*causep = xasprintf("cannot listen on %s: %s", c->socket,
		    e != 0 ? strerror(e) : "see the log");
		goto fail;
	}
	if (chmod(c->socket, (mode_t)p->socket_mode) == -1 ||
	    ((p->socket_uid != (uid_t)-1 || p->socket_gid != (gid_t)-1) &&
	    chown(c->socket, p->socket_uid, p->socket_gid) == -1)) {
		/* lws keeps a vhost whose bind failed, to retry later. */
		*causep = xasprintf("cannot listen on %s: %s", c->socket,
		    strerror(errno));
		goto fail;
	}

	if (p->listen_host != NULL) {
		memset(&info, 0, sizeof(info));
		if (strchr(p->listen_host, ':') == NULL)
			info.options = LWS_SERVER_OPTION_DISABLE_IPV6;
		info.iface = p->listen_host;
		info.port = p->listen_port;
		info.protocols = ctl_protocols;
		info.vhost_name = "tcp";
		info.user = &c->vh_tcp;
		info.keepalive_timeout = 30;
		errno = 0;
		if ((c->vtcp = lws_create_vhost(c->ctx, &info)) == NULL) {
			e = errno;
			*causep = xasprintf("cannot listen on %s port %d: %s",
			    p->listen_host, p->listen_port, e != 0 ?
			    strerror(e) : "see the log");
			goto fail;
		}
		c->tcp_port = lws_get_vhost_port(c->vtcp);
	}
	*cp = c;
	return 0;
fail:
	ctl_free(c);
	return r;
}

void
ctl_free(struct ctl *c)
{
	if (c == NULL)
		return;
	if (c->ctx != NULL)
		lws_context_destroy(c->ctx);
	if (c->vunix != NULL)
		unlink(c->socket);
	free(c->socket);
	free(c->token);
	free(c);
}

struct lws_context *
ctl_context(struct ctl *c)
{
	return c->ctx;
}

int
ctl_tcp_port(const struct ctl *c)
{
	return c->tcp_port;
}

void
ctl_set_token(struct ctl *c, const char *token)
{
	free(c->token);
	c->token = token != NULL ? xstrdup(token) : NULL;
}

void
ctl_set_body_max(struct ctl *c, size_t max)
{
	c->body_max = max;
}

void
ctl_broadcast(struct ctl *c, const char *msg)
{
	struct pss *ps, *next;
	size_t len = strlen(msg);

	for (ps = c->clients; ps != NULL; ps = next) {
		next = ps->next;
		ws_enqueue(c, ps, msg, len);
	}
}

int
ctl_clients(const struct ctl *c)
{
	return c->nclients;
}
