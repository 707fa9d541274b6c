/*
 * ctl.c: the control API server on libwebsockets (see ctl.h).
 *
 * One protocol, "webnavd", at index 0 of both vhosts, serves plain HTTP
 * (lws hands requests without a mount to protocols[0]) and the event
 * WebSocket (a client that names no subprotocol gets protocols[0]).  The
 * per-connection data is one struct pss for both roles; it is reset at
 * the start of each HTTP transaction and at the WebSocket handshake, and
 * everything it owns is freed on close.
 *
 * Limits that lws does not give: a count of open connections (checked
 * at accept, where one too many is answered 503 and closed), and a timer
 * per connection (lws_set_timer_usecs()) that gives a client
 * request_timeout to send a request head and as long again for its body;
 * a client still sending then gets 408 and is closed.  lws's own
 * timeouts for the same states are set a little longer, so that ours
 * speak first.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
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
#define CTL_LWS_SLACK_S		5	/* lws timeouts past ours */
/*
 * "No deadline": lws 4.1.6 runs a timer set to LWS_SET_TIMER_USEC_CANCEL
 * at once instead of removing it, so a timer is pushed out of the way.
 */
#define CTL_TIMER_NEVER		((lws_usec_t)24 * 3600 * LWS_US_PER_SEC)

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
	int		 body_done;	/* HTTP_BODY_COMPLETION seen */
	struct buf	 body;
	/* Who is asking: per request (HTTP), at the handshake (WS). */
	char		 who_name[CTL_NAME_MAX + 1];
	int		 who_named;	/* who_name is set (not an admin) */
	enum ctl_role	 who_role;
	int		 who_set;	/* the WS filter settled it */
	int		 busy;		/* a response is being sent */
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

/* A configured client (struct ctl_client, owned). */
struct cclient {
	char		*name;
	char		*token;
	uid_t		 uid;
	enum ctl_role	 role;
};

struct ctl {
	struct lws_context *ctx;
	struct lws_vhost *vunix, *vtcp;
	struct vh	 vh_unix, vh_tcp;
	char		*socket;
	char		*token;		/* admin token */
	struct cclient	*cl;
	size_t		 ncl;
	size_t		 body_max;
	int		 max_conns;
	int		 nconns;	/* counted at accept, until destroyed */
	int		 full_logged;	/* said so since nconns hit max */
	int		 request_timeout_ms;
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
	ps->body_done = 0;
	ps->close_after = 0;
	ps->busy = 0;
	ps->path[0] = '\0';
}

/*
 * Constant-time comparison of a presented token with one of ours (NULL:
 * none): the time depends on the length of ours only.
 */
static int
token_ok(const char *ours, const char *given)
{
	size_t i, n, m;
	unsigned char d = 0;

	if (ours == NULL || given == NULL)
		return 0;
	n = strlen(ours);
	m = strlen(given);
	for (i = 0; i < n; i++)
		d |= (unsigned char)(ours[i] ^ (i < m ? given[i] : 0));
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

/*
 * The bearer token a request presents (header, else ?token=), copied
 * into buf; 0, or -1 without one.
 */
static int
presented_token(struct lws *wsi, const struct pss *ps, char *buf,
    size_t len)
{
	char hdr[CTL_ARG_MAX];
	int i, n;

	n = lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_AUTHORIZATION);
	if (n > 0 && n < (int)sizeof(hdr) &&
	    lws_hdr_copy(wsi, hdr, sizeof(hdr),
	    WSI_TOKEN_HTTP_AUTHORIZATION) > 0 &&
	    strncasecmp(hdr, "Bearer ", 7) == 0) {
		if (strlen(hdr + 7) >= len)
			return -1;
		memcpy(buf, hdr + 7, strlen(hdr + 7) + 1);
		return 0;
	}
	for (i = 0; i < ps->nargs; i++)
		if (strcmp(arg_key(ps, i), "token") == 0) {
			if (strlen(arg_val(ps, i)) >= len)
				return -1;
			memcpy(buf, arg_val(ps, i), strlen(arg_val(ps, i)) + 1);
			return 0;
		}
	return -1;
}

/*
 * Settles who is asking on wsi (the request's query is in ps->args).
 * Returns 0 with *who set (who->client points into c's client table:
 * copy it to keep it), or 401/403 with *whyp.
 */
static int
identify(const struct ctl *c, struct lws *wsi, int tcp, const struct pss *ps,
    struct ctl_who *who, const char **whyp)
{
	char given[CTL_ARG_MAX];
	struct ucred cr;
	socklen_t sl = sizeof(cr);
	size_t i, hit = SIZE_MAX;
	int admin, fd;

	memset(who, 0, sizeof(*who));
	who->role = CTL_ROLE_ADMIN;
	who->clients = c->ncl > 0;
	if (tcp) {
		*whyp = "a valid bearer token is required";
		if (presented_token(wsi, ps, given, sizeof(given)) != 0)
			return 401;
		/* Every token is compared, so timing tells nothing. */
		admin = token_ok(c->token, given);
		for (i = 0; i < c->ncl; i++)
			if (token_ok(c->cl[i].token, given))
				hit = i;
		explicit_bzero(given, sizeof(given));
		if (admin)
			return 0;
		if (hit == SIZE_MAX)
			return 401;
		who->client = c->cl[hit].name;
		who->role = c->cl[hit].role;
		return 0;
	}
	if (c->ncl == 0)
		return 0;
	/* The unix socket: the peer's uid. */
	*whyp = "cannot tell who is on the other end of the socket";
	if ((fd = lws_get_socket_fd(wsi)) < 0 ||
	    getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &sl) == -1)
		return 403;
	if (cr.uid == 0 || cr.uid == geteuid())
		return 0;
	for (i = 0; i < c->ncl; i++)
		if (c->cl[i].uid == cr.uid) {
			who->client = c->cl[i].name;
			who->role = c->cl[i].role;
			return 0;
		}
	*whyp = "this uid is not a client of webnavd (see unix_user in "
	    "webnavd.conf(5))";
	return 403;
}

int
ctl_may_see(const struct ctl_who *who, const char *owner)
{
	if (who->role == CTL_ROLE_ADMIN)
		return 1;
	return who->role == CTL_ROLE_TASKS && owner != NULL &&
	    who->client != NULL && strcmp(owner, who->client) == 0;
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

/*
 * A response has been sent: closes, or keeps the connection for the
 * next request, which has request_timeout to arrive.  -1 closes.
 */
static int
transaction_done(struct pss *ps, struct lws *wsi)
{
	struct lws_vhost *vhost = lws_get_vhost(wsi);
	struct vh *vh = vhost != NULL ? lws_get_vhost_user(vhost) : NULL;

	ps->busy = 0;
	if (ps->close_after || lws_http_transaction_completed(wsi))
		return -1;
	if (vh != NULL)
		lws_set_timer_usecs(wsi, (lws_usec_t)vh->c->request_timeout_ms *
		    1000);
	return 0;
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
		    "x-content-type-options: nosniff\x0d\x0a%s",
		    CTL_PROTO_HEADER, CTL_PROTO_VERSION, ps->close_after ?
		    "connection: close\x0d\x0a" : "");
		n = lws_serve_http_file(wsi, rs->file, rs->type, extra, n);
		resp_clear(rs);
		if (n < 0 || (n > 0 && (ps->close_after ||
		    lws_http_transaction_completed(wsi))))
			return -1;
		return 0;
	}
	snprintf(num, sizeof(num), "%d", CTL_PROTO_VERSION);
	if (lws_add_http_common_headers(wsi, (unsigned)rs->status, rs->type,
	    rs->body.len, &p, end) ||
	    add_hdr(wsi, CTL_PROTO_HEADER ":", num, &p, end) ||
	    add_hdr(wsi, "cache-control:", "no-store", &p, end) ||
	    add_hdr(wsi, "x-content-type-options:", "nosniff", &p, end) ||
	    (ps->close_after && add_hdr(wsi, "connection:", "close", &p,
	    end)) ||
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
		return transaction_done(ps, wsi);
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
	rq.who.client = ps->who_named ? ps->who_name : NULL;
	rq.who.role = ps->who_role;
	rq.who.clients = c->ncl > 0;
	/* The whole request is in: the response is not hurried. */
	ps->busy = 1;
	lws_set_timer_usecs(wsi, CTL_TIMER_NEVER);
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
	struct ctl_who who;
	const char *why = NULL;
	char cl[32], *end;
	unsigned long long n;
	int r;

	http_reset(ps);
	ps->kind = PSS_HTTP;
	ps->wsi = wsi;
	ps->tcp = vh->tcp;
	/*
	 * One request per connection: lws 4.1.6 mishandles a request
	 * pipelined behind another (its body handed over from freed memory,
	 * or HTTP_BODY_COMPLETION called for ever; tests/fuzz/regress/api),
	 * so the connection closes after each response, which says so.
	 */
	ps->close_after = 1;
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
	if ((r = identify(c, wsi, ps->tcp, ps, &who, &why)) != 0) {
		log_debug("ctl: refused %s: %s", ps->path, why);
		return respond_error(ps, wsi, r, why);
	}
	ps->who_named = who.client != NULL;
	snprintf(ps->who_name, sizeof(ps->who_name), "%s",
	    who.client != NULL ? who.client : "");
	ps->who_role = who.role;
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
	/* As long again for the body as for the head. */
	lws_set_timer_usecs(wsi, (lws_usec_t)c->request_timeout_ms * 1000);
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
	return transaction_done(ps, wsi);
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

/*
 * Accepts a WebSocket only on /v1/events, from someone who may watch
 * tasks (a token on TCP, a known peer on the unix socket); who it is
 * goes to ps for the handshake.
 */
static int
ws_filter(struct ctl *c, const struct vh *vh, struct pss *ps,
    struct lws *wsi)
{
	struct ctl_who who;
	struct pss tmp;
	const char *why = "bad query";
	char uri[CTL_PATH_MAX + 1];
	int r = 400;

	if (lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI) <= 0 ||
	    lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI) > CTL_PATH_MAX ||
	    lws_hdr_copy(wsi, uri, sizeof(uri), WSI_TOKEN_GET_URI) < 0 ||
	    strcmp(uri, CTL_PATH_EVENTS) != 0)
		return 1;
	memset(&tmp, 0, sizeof(tmp));
	if (read_args(wsi, &tmp) == 0)
		r = identify(c, wsi, vh->tcp, &tmp, &who, &why);
	http_reset(&tmp);
	if (r == 0 && who.role == CTL_ROLE_METRICS) {
		r = 403;
		why = "a metrics client may not watch tasks";
	}
	if (r != 0 || ps == NULL) {
		log_debug("ctl: refused an event subscriber: %s", r != 0 ?
		    why : "no session data");
		return 1;
	}
	ps->who_named = who.client != NULL;
	snprintf(ps->who_name, sizeof(ps->who_name), "%s",
	    who.client != NULL ? who.client : "");
	ps->who_role = who.role;
	ps->who_set = 1;
	return 0;
}

/*
 * The handshake is done: a subscriber from now on, as the filter settled
 * who it is (lws hands both callbacks the same session data).
 */
static int
ws_open(struct ctl *c, struct pss *ps, struct lws *wsi)
{
	struct ctl_who who;
	char name[CTL_NAME_MAX + 1], *hello;
	int named = ps->who_named;
	enum ctl_role role = ps->who_role;

	if (!ps->who_set)
		return -1;
	memcpy(name, ps->who_name, sizeof(name));
	http_reset(ps);
	memset(ps, 0, sizeof(*ps));
	ps->kind = PSS_WS;
	ps->wsi = wsi;
	memcpy(ps->who_name, name, sizeof(name));
	ps->who_named = named;
	ps->who_role = role;
	ps->who_set = 1;
	/* A subscriber stays as long as it likes. */
	lws_set_timer_usecs(wsi, CTL_TIMER_NEVER);
	ps->next = c->clients;
	if (c->clients != NULL)
		c->clients->prev = ps;
	c->clients = ps;
	c->nclients++;
	who.client = named ? ps->who_name : NULL;
	who.role = role;
	who.clients = c->ncl > 0;
	if (c->hello != NULL && (hello = c->hello(c->arg, &who)) != NULL) {
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

/*
 * Answers a connection that lws has not parsed a request on (or never
 * will): one small write on a fresh socket, which cannot block, then the
 * caller closes it.
 */
static void
raw_reply(int fd, int status, const char *reason, const char *msg)
{
	char body[256], out[512];
	int n, m;

	n = snprintf(body, sizeof(body), "{\"error\":\"%s\",\"status\":%d}\n",
	    msg, status);
	m = snprintf(out, sizeof(out), "HTTP/1.1 %d %s\r\n"
	    "content-type: application/json\r\n"
	    "content-length: %d\r\n"
	    "%s: %d\r\n"
	    "connection: close\r\n\r\n%s", status, reason, n,
	    CTL_PROTO_HEADER, CTL_PROTO_VERSION, body);
	if (m > 0 && (size_t)m < sizeof(out))
		(void)send(fd, out, (size_t)m, MSG_NOSIGNAL | MSG_DONTWAIT);
}

/*
 * The connection's timer: a request that is not in after
 * request_timeout.  Returns -1 to close.
 */
static int
on_timer(struct ctl *c, struct pss *ps, struct lws *wsi)
{
	char msg[128];

	snprintf(msg, sizeof(msg), "the request took longer than %d ms "
	    "to arrive", c->request_timeout_ms);
	if (ps != NULL && ps->kind == PSS_HTTP && ps->want_body) {
		/* The head was read: lws can still answer properly. */
		log_info("ctl: closing a connection whose request body is "
		    "still not in after %d ms", c->request_timeout_ms);
		ps->want_body = 0;
		ps->close_after = 1;
		return respond_error(ps, wsi, 408, msg);
	}
	if (ps != NULL && (ps->kind == PSS_WS || (ps->kind == PSS_HTTP &&
	    (ps->busy || ps->out != NULL)))) {
		/* A subscriber, or a response on its way: no deadline. */
		lws_set_timer_usecs(wsi, CTL_TIMER_NEVER);
		return 0;
	}
	if (ps == NULL || ps->kind == PSS_NONE) {
		/* Never finished a first request head. */
		log_info("ctl: closing a connection whose request is still "
		    "not in after %d ms", c->request_timeout_ms);
		raw_reply(lws_get_socket_fd(wsi), 408, "Request Timeout",
		    msg);
	}
	/* Else idle between requests: just close. */
	return -1;
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
	case LWS_CALLBACK_FILTER_NETWORK_CONNECTION: {
		/* user: the accepted socket, before any wsi exists. */
		const struct lws_filter_network_conn_args *fa = user;

		if (fa == NULL || c->nconns < c->max_conns)
			return 0;
		/* Once per flood, not once per connection. */
		if (!c->full_logged)
			log_warnx("ctl: %d connections open; refusing more "
			    "(max_connections)", c->nconns);
		c->full_logged = 1;
		raw_reply(fa->accept_fd, 503, "Service Unavailable",
		    "too many connections");
		return 1;
	}
	case LWS_CALLBACK_SERVER_NEW_CLIENT_INSTANTIATED:
		/* Counted until LWS_CALLBACK_WSI_DESTROY. */
		lws_set_opaque_user_data(wsi, c);
		c->nconns++;
		lws_set_timer_usecs(wsi, (lws_usec_t)c->request_timeout_ms *
		    1000);
		return 0;
	case LWS_CALLBACK_WSI_DESTROY:
		if (lws_get_opaque_user_data(wsi) == c) {
			lws_set_opaque_user_data(wsi, NULL);
			if (--c->nconns < c->max_conns)
				c->full_logged = 0;
		}
		break;
	case LWS_CALLBACK_TIMER:
		return on_timer(c, ps, wsi);
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
		/*
		 * lws 4.1.6 calls this over and over, never returning from
		 * lws_service(), when a request with a body came pipelined
		 * behind another (found by tests/fuzz/fuzz-api.c): such a
		 * connection is closed.
		 */
		if (ps->body_done) {
			log_info("ctl: closing a connection that pipelined a "
			    "request with a body");
			return -1;
		}
		ps->body_done = 1;
		if (!ps->want_body)
			return 0;
		ps->want_body = 0;
		return dispatch(c, ps, wsi);
	case LWS_CALLBACK_HTTP_FILE_COMPLETION:
		/* A file sent by lws: close as after any response. */
		if (ps != NULL && ps->close_after)
			return -1;
		break;
	case LWS_CALLBACK_HTTP_WRITEABLE:
		return http_write(ps, wsi);
	case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
	case LWS_CALLBACK_CLOSED_HTTP:
		if (ps != NULL && ps->kind == PSS_HTTP)
			http_reset(ps);
		break;
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		return ws_filter(c, vh, ps, wsi);
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

/* 1 if the TCP port can be used: an admin or a client token is set. */
static int
any_token(const struct ctl *c)
{
	size_t i;

	if (c->token != NULL)
		return 1;
	for (i = 0; i < c->ncl; i++)
		if (c->cl[i].token != NULL)
			return 1;
	return 0;
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
	ctl_set_auth(c, p->token, p->clients, p->nclients);
	ctl_set_limits(c, p->body_max, p->max_conns);
	c->request_timeout_ms = p->request_timeout_ms > 0 ?
	    p->request_timeout_ms : 10000;
	c->handler = p->handler;
	c->hello = p->hello;
	c->arg = p->arg;
	c->vh_unix.c = c;
	c->vh_tcp.c = c;
	c->vh_tcp.tcp = 1;
	if (p->listen_host != NULL && !any_token(c)) {
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
	/* After ours (on_timer()), as a backstop. */
	info.timeout_secs = (unsigned)(c->request_timeout_ms / 1000 +
	    CTL_LWS_SLACK_S);
	info.timeout_secs_ah_idle = info.timeout_secs;
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
		info.timeout_secs = (unsigned)(c->request_timeout_ms / 1000 +
		    CTL_LWS_SLACK_S);
		info.timeout_secs_ah_idle = info.timeout_secs;
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
	ctl_set_auth(c, NULL, NULL, 0);
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

/* Frees a token, wiping it first. */
static void
token_free(char *t)
{
	if (t != NULL) {
		explicit_bzero(t, strlen(t));
		free(t);
	}
}

void
ctl_set_auth(struct ctl *c, const char *token,
    const struct ctl_client *clients, size_t nclients)
{
	size_t i;

	token_free(c->token);
	for (i = 0; i < c->ncl; i++) {
		free(c->cl[i].name);
		token_free(c->cl[i].token);
	}
	free(c->cl);
	c->cl = NULL;
	c->ncl = 0;
	c->token = token != NULL ? xstrdup(token) : NULL;
	if (nclients == 0)
		return;
	c->cl = xcalloc(nclients, sizeof(*c->cl));
	for (i = 0; i < nclients; i++) {
		c->cl[i].name = xstrdup(clients[i].name);
		c->cl[i].token = clients[i].token != NULL ?
		    xstrdup(clients[i].token) : NULL;
		c->cl[i].uid = clients[i].uid;
		c->cl[i].role = clients[i].role;
	}
	c->ncl = nclients;
}

void
ctl_set_limits(struct ctl *c, size_t body_max, int max_conns)
{
	c->body_max = body_max;
	c->max_conns = max_conns > 0 && max_conns <= CTL_CONNS_MAX ?
	    max_conns : CTL_CONNS_MAX;
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

void
ctl_broadcast_task(struct ctl *c, const char *owner, const char *msg)
{
	struct pss *ps, *next;
	struct ctl_who who;
	size_t len = strlen(msg);

	for (ps = c->clients; ps != NULL; ps = next) {
		next = ps->next;
		who.client = ps->who_named ? ps->who_name : NULL;
		who.role = ps->who_role;
		who.clients = c->ncl > 0;
		if (ctl_may_see(&who, owner))
			ws_enqueue(c, ps, msg, len);
	}
}

int
ctl_clients(const struct ctl *c)
{
	return c->nclients;
}

int
ctl_connections(const struct ctl *c)
{
	return c->nconns;
}
