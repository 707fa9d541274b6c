/*
 * site.c: a small static HTTP/1.1 file server (see site.h).
 *
 * Files: GET and HEAD (POST is accepted and treated as GET after its body
 * is read, so plain HTML forms work).  A path ending in "/" serves its
 * index.html; a directory without the "/" is redirected (301) to it.
 * Content-Type comes from the extension (html, js, css, png, svg, json, txt
 * and a few more; anything else is application/octet-stream).  Paths with
 * a ".." segment are refused (403), and every file must resolve (after
 * symlinks) to a place under the root.  Responses carry Cache-Control:
 * no-store.  Connections are kept alive for HTTP/1.1 unless the client
 * asks for Connection: close.
 *
 * Routes for tests (only with test_routes; query values are
 * percent-decoded):
 *   /__hang                  reads the request and never answers; the socket
 *                            stays open until the client closes it.
 *   /__slow?ms=N&path=/x     waits N ms (0..60000) and then serves file /x,
 *                            or the text "slow N\n" without path.
 *   /__redirect?to=URL       302 with Location: URL; &code=301|303|307|308
 *                            picks another redirect status.
 *   /__status?code=N         answers with status N (200..599) and the body
 *                            "status N\n" (no body for 204 and 304).
 *   /__echo                  answers 200 text/plain with the request line,
 *                            the request headers and the body as received.
 *
 * Limits: request head 16 KiB (431 beyond), body 64 KiB (413), files 32 MiB
 * (500), 128 connections at a time (further clients wait in the listen
 * backlog), an idle or half-sent request is dropped after 60 s.  Bad
 * requests get 400 and the connection is closed.
 *
 * The server is one poll loop over process-wide state: it runs in its own
 * process (site_start() forks one; tests/sitesrv is one).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "err.h"
#include "log.h"
#include "site.h"
#include "xmalloc.h"

#define SRV_MAX_CONNS	128
#define SRV_HEAD_MAX	(16 * 1024)
#define SRV_BODY_MAX	(64 * 1024)
#define SRV_FILE_MAX	(32 * 1024 * 1024)
#define SRV_OUT_MAX	(SRV_FILE_MAX + 4096)
#define SRV_SLOW_MAX	60000
#define SRV_IDLE_MS	60000
#define SRV_PARAM_MAX	2048

enum conn_state {
	CS_FREE = 0,
	CS_READ,	/* waiting for a complete request */
	CS_WAIT,	/* response built, held until deadline (__slow) */
	CS_WRITE,	/* sending out */
	CS_HANG		/* never answering (__hang) */
};

struct conn {
	int		 fd;
	enum conn_state	 state;
	struct buf	 in;		/* received, not yet handled */
	struct buf	 out;		/* response being sent */
	size_t		 off;		/* bytes of out already sent */
	int		 keepalive;	/* read the next request after out */
	int64_t		 deadline;	/* CS_READ: idle limit; CS_WAIT: send */
};

/* What the parser found in one request. */
struct req {
	const char	*head;		/* request line and headers */
	size_t		 headlen;
	const char	*body;
	size_t		 bodylen;
	char		 method[8];
	char		 path[SRV_PARAM_MAX];	/* decoded, without query */
	char		 rawpath[SRV_PARAM_MAX];	/* as sent, no query */
	char		 query[SRV_PARAM_MAX];	/* raw, without '?' */
	int		 http11;
	int		 close;		/* Connection: close */
	int		 head_only;	/* HEAD */
};

static volatile sig_atomic_t *srv_quit;
static volatile sig_atomic_t srv_quit_flag;
static int srv_test_routes;
static char srv_root[PATH_MAX];
static struct conn srv_conns[SRV_MAX_CONNS];

/* Sets the quit flag; the main loop notices it. */
static void
on_signal(int sig)
{
	(void)sig;
	srv_quit_flag = 1;
}

/* Returns the monotonic clock in milliseconds. */
static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Returns the reason phrase of status code. */
static const char *
status_text(int code)
{
	static const struct {
		int		 code;
		const char	*text;
	} tab[] = {
		{ 200, "OK" }, { 201, "Created" }, { 202, "Accepted" },
		{ 204, "No Content" }, { 206, "Partial Content" },
		{ 301, "Moved Permanently" }, { 302, "Found" },
		{ 303, "See Other" }, { 304, "Not Modified" },
		{ 307, "Temporary Redirect" }, { 308, "Permanent Redirect" },
		{ 400, "Bad Request" }, { 401, "Unauthorized" },
		{ 403, "Forbidden" }, { 404, "Not Found" },
		{ 405, "Method Not Allowed" }, { 408, "Request Timeout" },
		{ 411, "Length Required" }, { 413, "Content Too Large" },
		{ 414, "URI Too Long" }, { 429, "Too Many Requests" },
		{ 431, "Request Header Fields Too Large" },
		{ 500, "Internal Server Error" }, { 501, "Not Implemented" },
		{ 502, "Bad Gateway" }, { 503, "Service Unavailable" },
		{ 504, "Gateway Timeout" },
	};
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (tab[i].code == code)
			return tab[i].text;
	return "Status";
}

/* Returns the Content-Type for the file name path. */
static const char *
content_type(const char *path)
{
	static const struct {
		const char	*ext;
		const char	*type;
	} tab[] = {
		{ "html", "text/html; charset=utf-8" },
		{ "htm", "text/html; charset=utf-8" },
		{ "js", "text/javascript; charset=utf-8" },
		{ "mjs", "text/javascript; charset=utf-8" },
		{ "css", "text/css; charset=utf-8" },
		{ "png", "image/png" },
		{ "svg", "image/svg+xml" },
		{ "json", "application/json" },
		{ "txt", "text/plain; charset=utf-8" },
		{ "jpg", "image/jpeg" },
		{ "jpeg", "image/jpeg" },
		{ "gif", "image/gif" },
		{ "ico", "image/x-icon" },
		{ "webp", "image/webp" },
		{ "woff2", "font/woff2" },
		{ "xml", "application/xml" },
		{ "pdf", "application/pdf" },
		{ "wasm", "application/wasm" },
	};
	const char *dot, *slash;
	size_t i;

	dot = strrchr(path, '.');
	slash = strrchr(path, '/');
	if (dot == NULL || (slash != NULL && dot < slash))
		return "application/octet-stream";
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strcasecmp(dot + 1, tab[i].ext) == 0)
			return tab[i].type;
	return "application/octet-stream";
}

/* Returns the value of hex digit c, or -1. */
static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Percent-decodes n bytes of s into out (size outlen, NUL-terminated);
 * plus is a space when form is set.  Returns 0, or -1 on a bad escape, a
 * NUL or a control byte in the result, or overflow.
 */
static int
url_decode(const char *s, size_t n, char *out, size_t outlen, int form)
{
	size_t i, o = 0;
	int c, h, l;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == '%') {
			if (i + 2 >= n)
				return -1;
			if ((h = hexval((unsigned char)s[i + 1])) == -1 ||
			    (l = hexval((unsigned char)s[i + 2])) == -1)
				return -1;
			c = h * 16 + l;
			i += 2;
		} else if (c == '+' && form)
			c = ' ';
		if (c < 0x20 || c == 0x7f)
			return -1;
		if (o + 1 >= outlen)
			return -1;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return 0;
}

/*
 * Finds key in the raw query string q and decodes its value into out.
 * Returns 0 if found and valid, -1 otherwise.
 */
static int
query_get(const char *q, const char *key, char *out, size_t outlen)
{
	size_t klen = strlen(key), n;
	const char *p = q, *amp, *eq;

	while (*p != '\0') {
		amp = strchr(p, '&');
		n = amp != NULL ? (size_t)(amp - p) : strlen(p);
		eq = memchr(p, '=', n);
		if (eq != NULL && (size_t)(eq - p) == klen &&
		    strncmp(p, key, klen) == 0)
			return url_decode(eq + 1, n - klen - 1, out, outlen, 1);
		if (amp == NULL)
			break;
		p = amp + 1;
	}
	return -1;
}

/* Parses a decimal integer in [lo, hi]; returns 0 and sets *vp on success. */
static int
parse_int(const char *s, long lo, long hi, long *vp)
{
	char *end;
	long v;

	if (*s == '\0')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < lo || v > hi)
		return -1;
	*vp = v;
	return 0;
}

/*
 * Builds a complete response into c->out: status line, headers and body
 * (no body for HEAD, and neither body nor Content-Length for 204 and 304).
 * extra holds further header lines, each ending in CRLF, or is NULL.
 */
static int
respond(struct conn *c, const struct req *rq, int code, const char *ctype,
    const char *body, size_t len, const char *extra)
{
	int r;

	buf_reset(&c->out);
	c->off = 0;
	r = buf_printf(&c->out, "HTTP/1.1 %d %s\r\n"
	    "Server: sitesrv\r\n"
	    "Cache-Control: no-store\r\n"
	    "Connection: %s\r\n"
	    "%s",
	    code, status_text(code), c->keepalive ? "keep-alive" : "close",
	    extra != NULL ? extra : "");
	if (r != 0)
		return r;
	if (code == 204 || code == 304)
		return buf_puts(&c->out, "\r\n");
	if ((r = buf_printf(&c->out, "Content-Type: %s\r\n"
	    "Content-Length: %zu\r\n\r\n", ctype, len)) != 0)
		return r;
	if (rq != NULL && rq->head_only)
		return 0;
	return buf_add(&c->out, body, len);
}

/* Builds a short text/plain response "CODE Reason\n". */
static void
respond_error(struct conn *c, const struct req *rq, int code)
{
	char body[128];
	int n;

	n = snprintf(body, sizeof(body), "%d %s\n", code, status_text(code));
	if (n < 0 || (size_t)n >= sizeof(body))
		n = 0;
	if (respond(c, rq, code, "text/plain; charset=utf-8", body,
	    (size_t)n, NULL) != 0) {
		buf_reset(&c->out);
		c->keepalive = 0;
	}
}

/* Returns 1 if decoded path has a ".." segment or other unsafe bytes. */
static int
path_unsafe(const char *path)
{
	const char *p = path, *seg;
	size_t n;

	if (path[0] != '/' || strchr(path, '\\') != NULL)
		return 1;
	while (*p != '\0') {
		while (*p == '/')
			p++;
		seg = p;
		while (*p != '\0' && *p != '/')
			p++;
		n = (size_t)(p - seg);
		if (n == 2 && seg[0] == '.' && seg[1] == '.')
			return 1;
	}
	return 0;
}

/*
 * Reads the file for URL path (decoded) into the response.  rawpath is the
 * path as sent, for the directory redirect.
 */
static void
serve_file(struct conn *c, const struct req *rq, const char *path,
    const char *rawpath)
{
	char full[PATH_MAX], real[PATH_MAX], loc[PATH_MAX + 32];
	struct stat st;
	struct buf body;
	size_t rootlen = strlen(srv_root), plen = strlen(path), ilen, got;
	const char *idx;
	ssize_t n;
	int fd = -1, len;

	buf_init(&body, SRV_FILE_MAX);
	if (path_unsafe(path)) {
		respond_error(c, rq, 403);
		goto out;
	}
	/* root + path [+ index.html], built by hand: no silent truncation. */
	idx = path[plen - 1] == '/' ? "index.html" : "";
	ilen = strlen(idx);
	if (rootlen + plen + ilen >= sizeof(full)) {
		respond_error(c, rq, 414);
		goto out;
	}
	memcpy(full, srv_root, rootlen);
	memcpy(full + rootlen, path, plen);
	memcpy(full + rootlen + plen, idx, ilen + 1);
	if (stat(full, &st) == -1) {
		respond_error(c, rq, 404);
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		len = snprintf(loc, sizeof(loc), "Location: %s/\r\n",
		    rawpath);
		if (len < 0 || (size_t)len >= sizeof(loc))
			respond_error(c, rq, 414);
		else
			respond(c, rq, 301, "text/plain; charset=utf-8",
			    "moved\n", 6, loc);
		goto out;
	}
	if (realpath(full, real) == NULL ||
	    strncmp(real, srv_root, rootlen) != 0 || real[rootlen] != '/') {
		respond_error(c, rq, 404);
		goto out;
	}
	if ((fd = open(real, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1) {
		respond_error(c, rq, errno == EACCES ? 403 : 404);
		goto out;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		respond_error(c, rq, 404);
		goto out;
	}
	if (st.st_size > SRV_FILE_MAX) {
		respond_error(c, rq, 500);
		goto out;
	}
	got = 0;
	for (;;) {
		char chunk[65536];

		if ((n = read(fd, chunk, sizeof(chunk))) == -1) {
			if (errno == EINTR)
				continue;
			respond_error(c, rq, 500);
			goto out;
		}
		if (n == 0)
			break;
		if (buf_add(&body, chunk, (size_t)n) != 0) {
			respond_error(c, rq, 500);
			goto out;
		}
		got += (size_t)n;
	}
	if (respond(c, rq, 200, content_type(real), body.data, got,
	    NULL) != 0)
		respond_error(c, rq, 500);
out:
	if (fd != -1)
		close(fd);
	buf_free(&body);
}

/* Answers /__redirect?to=URL[&code=N]. */
static void
route_redirect(struct conn *c, const struct req *rq)
{
	char to[SRV_PARAM_MAX], cbuf[16], loc[SRV_PARAM_MAX + 32];
	long code = 302;
	int n;

	if (query_get(rq->query, "to", to, sizeof(to)) == -1 || to[0] == '\0') {
		respond_error(c, rq, 400);
		return;
	}
	if (query_get(rq->query, "code", cbuf, sizeof(cbuf)) == 0 &&
	    (parse_int(cbuf, 300, 308, &code) == -1 ||
	    (code != 301 && code != 302 && code != 303 && code != 307 &&
	    code != 308))) {
		respond_error(c, rq, 400);
		return;
	}
	n = snprintf(loc, sizeof(loc), "Location: %s\r\n", to);
	if (n < 0 || (size_t)n >= sizeof(loc)) {
		respond_error(c, rq, 414);
		return;
	}
	respond(c, rq, (int)code, "text/plain; charset=utf-8", "redirect\n", 9,
	    loc);
}

/* Answers /__status?code=N. */
static void
route_status(struct conn *c, const struct req *rq)
{
	char cbuf[16], body[32];
	long code;
	int n;

	if (query_get(rq->query, "code", cbuf, sizeof(cbuf)) == -1 ||
	    parse_int(cbuf, 200, 599, &code) == -1) {
		respond_error(c, rq, 400);
		return;
	}
	n = snprintf(body, sizeof(body), "status %ld\n", code);
	respond(c, rq, (int)code, "text/plain; charset=utf-8", body,
	    n > 0 ? (size_t)n : 0, NULL);
}

/* Answers /__echo with the request as received. */
static void
route_echo(struct conn *c, const struct req *rq)
{
	struct buf b;

	buf_init(&b, SRV_HEAD_MAX + SRV_BODY_MAX);
	if (buf_add(&b, rq->head, rq->headlen) != 0 ||
	    buf_add(&b, rq->body, rq->bodylen) != 0 ||
	    respond(c, rq, 200, "text/plain; charset=utf-8", b.data, b.len,
	    NULL) != 0)
		respond_error(c, rq, 500);
	buf_free(&b);
}

/*
 * Answers /__slow?ms=N[&path=/x]: builds the response now and returns the
 * delay in ms, or -1 if the request was bad (response already built).
 */
static long
route_slow(struct conn *c, const struct req *rq)
{
	char mbuf[16], path[SRV_PARAM_MAX], body[32];
	long ms;
	int n;

	if (query_get(rq->query, "ms", mbuf, sizeof(mbuf)) == -1 ||
	    parse_int(mbuf, 0, SRV_SLOW_MAX, &ms) == -1) {
		respond_error(c, rq, 400);
		return -1;
	}
	if (query_get(rq->query, "path", path, sizeof(path)) == 0) {
		if (path[0] != '/') {
			respond_error(c, rq, 400);
			return -1;
		}
		serve_file(c, rq, path, path);
	} else {
		n = snprintf(body, sizeof(body), "slow %ld\n", ms);
		respond(c, rq, 200, "text/plain; charset=utf-8", body,
		    n > 0 ? (size_t)n : 0, NULL);
	}
	return ms;
}

/*
 * Returns the value of header line hdr (n bytes) if its name is name, with
 * its length in *vlenp; NULL otherwise.
 */
static const char *
header_value(const char *hdr, size_t n, const char *name, size_t *vlenp)
{
	size_t nl = strlen(name);
	const char *v, *end = hdr + n;

	if (n <= nl || strncasecmp(hdr, name, nl) != 0 || hdr[nl] != ':')
		return NULL;
	v = hdr + nl + 1;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\r'))
		end--;
	*vlenp = (size_t)(end - v);
	return v;
}

/* Returns 1 if the comma list v (length n) holds token tok. */
static int
has_token(const char *v, size_t n, const char *tok)
{
	size_t tl = strlen(tok), i = 0, s, e;

	while (i < n) {
		while (i < n && (v[i] == ' ' || v[i] == ',' || v[i] == '\t'))
			i++;
		s = i;
		while (i < n && v[i] != ',')
			i++;
		e = i;
		while (e > s && (v[e - 1] == ' ' || v[e - 1] == '\t'))
			e--;
		if (e - s == tl && strncasecmp(v + s, tok, tl) == 0)
			return 1;
	}
	return 0;
}

/*
 * Parses the request head (headlen bytes ending with the blank line).
 * Returns 0, or an HTTP status code for a bad request; sets *clenp to the
 * body length.
 */
static int
parse_head(struct req *rq, const char *head, size_t headlen, size_t *clenp)
{
	const char *p = head, *end = head + headlen, *eol, *sp1, *sp2, *tgt;
	const char *q, *v;
	size_t n, tlen, vlen;
	long clen = 0;
	char num[24];

	*clenp = 0;
	if ((eol = memchr(p, '\n', headlen)) == NULL)
		return 400;
	n = (size_t)(eol - p);
	if (n > 0 && p[n - 1] == '\r')
		n--;
	if ((sp1 = memchr(p, ' ', n)) == NULL ||
	    (size_t)(sp1 - p) >= sizeof(rq->method) || sp1 == p)
		return 400;
	memcpy(rq->method, p, (size_t)(sp1 - p));
	rq->method[sp1 - p] = '\0';
	tgt = sp1 + 1;
	if ((sp2 = memchr(tgt, ' ', (size_t)(p + n - tgt))) == NULL)
		return 400;
	if ((size_t)(p + n - (sp2 + 1)) != 8 ||
	    strncmp(sp2 + 1, "HTTP/1.", 7) != 0 ||
	    (sp2[8] != '0' && sp2[8] != '1'))
		return 400;
	rq->http11 = sp2[8] == '1';
	tlen = (size_t)(sp2 - tgt);
	/* absolute-form: drop scheme and authority. */
	if (tlen > 7 && strncasecmp(tgt, "http://", 7) == 0) {
		q = memchr(tgt + 7, '/', tlen - 7);
		if (q == NULL)
			return 400;
		tlen -= (size_t)(q - tgt);
		tgt = q;
	}
	if (tlen == 0 || tgt[0] != '/')
		return 400;
	q = memchr(tgt, '?', tlen);
	n = q != NULL ? (size_t)(q - tgt) : tlen;
	if (n >= sizeof(rq->rawpath))
		return 414;
	memcpy(rq->rawpath, tgt, n);
	rq->rawpath[n] = '\0';
	if (strpbrk(rq->rawpath, "\r\n\"<> \t") != NULL)
		return 400;
	if (url_decode(tgt, n, rq->path, sizeof(rq->path), 0) == -1)
		return 400;
	if (q != NULL) {
		n = tlen - n - 1;
		if (n >= sizeof(rq->query))
			return 414;
		memcpy(rq->query, q + 1, n);
		rq->query[n] = '\0';
	} else
		rq->query[0] = '\0';
	/* Drop a fragment a careless client sent. */
	if ((v = strchr(rq->query, '#')) != NULL)
		rq->query[v - rq->query] = '\0';

	rq->close = !rq->http11;
	for (p = eol + 1; p < end; p = eol + 1) {
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			break;
		n = (size_t)(eol - p);
		if (n == 0 || (n == 1 && p[0] == '\r'))
			break;
		if ((v = header_value(p, n, "Connection", &vlen)) != NULL) {
			if (has_token(v, vlen, "close"))
				rq->close = 1;
			else if (has_token(v, vlen, "keep-alive"))
				rq->close = 0;
		} else if ((v = header_value(p, n, "Content-Length",
		    &vlen)) != NULL) {
			if (vlen == 0 || vlen >= sizeof(num))
				return 400;
			memcpy(num, v, vlen);
			num[vlen] = '\0';
			if (parse_int(num, 0, LONG_MAX, &clen) == -1)
				return 400;
			if (clen > SRV_BODY_MAX)
				return 413;
		} else if (header_value(p, n, "Transfer-Encoding",
		    &vlen) != NULL)
			return 501;
	}
	*clenp = (size_t)clen;
	return 0;
}

/* Finds the end of the request head in b; returns its length or 0. */
static size_t
head_end(const char *b, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i++) {
		if (b[i] != '\n')
			continue;
		if (b[i + 1] == '\n')
			return i + 2;
		if (i + 2 < n && b[i + 1] == '\r' && b[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

/* Drops the first n bytes of b. */
static void
buf_consume(struct buf *b, size_t n)
{
	if (n >= b->len) {
		buf_reset(b);
		return;
	}
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
	b->data[b->len] = '\0';
}

/* Closes connection c and frees its slot. */
static void
conn_close(struct conn *c)
{
	if (c->fd != -1)
		close(c->fd);
	buf_free(&c->in);
	buf_free(&c->out);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->state = CS_FREE;
}

/* Puts c into CS_WRITE with a fatal error response that closes it. */
static void
conn_fail(struct conn *c, int code)
{
	c->keepalive = 0;
	respond_error(c, NULL, code);
	buf_reset(&c->in);
	c->state = CS_WRITE;
}

/*
 * Handles the complete request at the start of c->in, if there is one:
 * builds the response and moves c to its next state.
 */
static void
conn_process(struct conn *c)
{
	struct req rq;
	size_t hlen, clen;
	long ms;
	int code;

	if (c->state != CS_READ)
		return;
	if ((hlen = head_end(c->in.data != NULL ? c->in.data : "",
	    c->in.len)) == 0) {
		if (c->in.len >= SRV_HEAD_MAX)
			conn_fail(c, 431);
		return;
	}
	if (hlen > SRV_HEAD_MAX) {
		conn_fail(c, 431);
		return;
	}
	memset(&rq, 0, sizeof(rq));
	if ((code = parse_head(&rq, c->in.data, hlen, &clen)) != 0) {
		conn_fail(c, code);
		return;
	}
	if (c->in.len - hlen < clen)
		return;		/* body still coming */
	rq.head = c->in.data;
	rq.headlen = hlen;
	rq.body = c->in.data + hlen;
	rq.bodylen = clen;
	rq.head_only = strcmp(rq.method, "HEAD") == 0;
	c->keepalive = !rq.close;
	c->state = CS_WRITE;

	log_info("%s %s%s%s", rq.method, rq.rawpath,
	    rq.query[0] != '\0' ? "?" : "", rq.query);
	if (strcmp(rq.method, "GET") != 0 && strcmp(rq.method, "HEAD") != 0 &&
	    strcmp(rq.method, "POST") != 0) {
		c->keepalive = 0;
		respond_error(c, &rq, 405);
	} else if (!srv_test_routes || strncmp(rq.path, "/__", 3) != 0)
		serve_file(c, &rq, rq.path, rq.rawpath);
	else if (strcmp(rq.path, "/__hang") == 0) {
		c->state = CS_HANG;
		c->keepalive = 0;
	} else if (strcmp(rq.path, "/__slow") == 0) {
		if ((ms = route_slow(c, &rq)) > 0) {
			c->state = CS_WAIT;
			c->deadline = now_ms() + ms;
		}
	} else if (strcmp(rq.path, "/__redirect") == 0)
		route_redirect(c, &rq);
	else if (strcmp(rq.path, "/__status") == 0)
		route_status(c, &rq);
	else if (strcmp(rq.path, "/__echo") == 0)
		route_echo(c, &rq);
	else
		serve_file(c, &rq, rq.path, rq.rawpath);
	buf_consume(&c->in, hlen + clen);
	if (c->state == CS_HANG)
		buf_reset(&c->in);
}

/* Reads what is available on c; closes c on EOF or error. */
static void
conn_read(struct conn *c)
{
	char chunk[8192];
	ssize_t n;

	for (;;) {
		n = recv(c->fd, chunk, sizeof(chunk), 0);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				break;
			conn_close(c);
			return;
		}
		if (n == 0) {
			conn_close(c);
			return;
		}
		if (c->state == CS_HANG)
			continue;
		if (buf_add(&c->in, chunk, (size_t)n) != 0) {
			if (c->state != CS_READ) {
				/* Pipelined too much behind a response. */
				conn_close(c);
				return;
			}
			conn_fail(c, 431);
			return;
		}
		c->deadline = now_ms() + SRV_IDLE_MS;
		if ((size_t)n < sizeof(chunk))
			break;
	}
	conn_process(c);
}

/* Sends what it can of c->out; on completion reads on or closes. */
static void
conn_write(struct conn *c)
{
	ssize_t n;

	while (c->off < c->out.len) {
		n = send(c->fd, c->out.data + c->off, c->out.len - c->off,
		    MSG_NOSIGNAL);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return;
			conn_close(c);
			return;
		}
		c->off += (size_t)n;
	}
	if (!c->keepalive) {
		shutdown(c->fd, SHUT_WR);
		conn_close(c);
		return;
	}
	buf_reset(&c->out);
	c->off = 0;
	c->state = CS_READ;
	c->deadline = now_ms() + SRV_IDLE_MS;
	conn_process(c);
	if (c->state == CS_WRITE)
		conn_write(c);
}

/* Accepts pending connections into free slots. */
static void
srv_accept(int lfd)
{
	struct conn *c = NULL;
	size_t i;
	int fd;

	for (;;) {
		for (i = 0, c = NULL; i < SRV_MAX_CONNS; i++)
			if (srv_conns[i].state == CS_FREE) {
				c = &srv_conns[i];
				break;
			}
		if (c == NULL)
			return;
		fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd == -1) {
			if (errno != EAGAIN &&
			    errno != EINTR && errno != ECONNABORTED)
				log_warn("accept");
			return;
		}
		memset(c, 0, sizeof(*c));
		c->fd = fd;
		c->state = CS_READ;
		buf_init(&c->in, SRV_HEAD_MAX + SRV_BODY_MAX);
		buf_init(&c->out, SRV_OUT_MAX);
		c->deadline = now_ms() + SRV_IDLE_MS;
	}
}

int
site_listen(const char *addr, const char *port, int *fdp, int *boundp,
    char **causep)
{
	struct addrinfo hints, *res = NULL;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	const char *what = NULL;
	int fd = -1, on = 1, e;

	*fdp = -1;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV;
	if ((e = getaddrinfo(addr, port, &hints, &res)) != 0) {
		if (causep != NULL)
			*causep = xasprintf("%s port %s: %s", addr, port,
			    gai_strerror(e));
		return ERR_INVALID;
	}
	fd = socket(res->ai_family, res->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, res->ai_protocol);
	if (fd == -1) {
		what = "socket";
		goto fail;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (bind(fd, res->ai_addr, res->ai_addrlen) == -1) {
		what = "bind";
		goto fail;
	}
	if (listen(fd, 128) == -1) {
		what = "listen";
		goto fail;
	}
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) == -1) {
		what = "getsockname";
		goto fail;
	}
	if (ss.ss_family == AF_INET)
		*boundp = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	else
		*boundp = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	freeaddrinfo(res);
	*fdp = fd;
	return 0;
fail:
	if (causep != NULL)
		*causep = xasprintf("%s %s port %s: %s", what, addr, port,
		    strerror(errno));
	if (fd != -1)
		close(fd);
	freeaddrinfo(res);
	return ERR_IO;
}

/*
 * Runs the poll loop until *srv_quit is set.  SIGTERM and SIGINT are
 * blocked except inside ppoll(), so that one arriving between the check
 * of the flag and the wait still ends the wait (a plain poll() would
 * sleep through it, and site_stop() would wait forever).
 */
static void
srv_loop(int lfd)
{
	struct pollfd pfd[SRV_MAX_CONNS + 1];
	struct conn *map[SRV_MAX_CONNS + 1];
	struct conn *c;
	struct timespec ts;
	sigset_t block, orig;
	int64_t now, next;
	size_t i, n, nfree;

	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &orig);
	while (!*srv_quit) {
		now = now_ms();
		next = -1;
		n = 0;
		nfree = 0;
		for (i = 0; i < SRV_MAX_CONNS; i++) {
			c = &srv_conns[i];
			if (c->state == CS_FREE) {
				nfree++;
				continue;
			}
			if ((c->state == CS_READ || c->state == CS_WAIT) &&
			    c->deadline <= now) {
				if (c->state == CS_READ) {
					conn_close(c);
					nfree++;
					continue;
				}
				c->state = CS_WRITE;
			}
			if (c->state == CS_READ || c->state == CS_WAIT) {
				if (next == -1 || c->deadline < next)
					next = c->deadline;
			}
			pfd[n].fd = c->fd;
			pfd[n].events = c->state == CS_WRITE ? POLLOUT :
			    c->state == CS_WAIT ? 0 : POLLIN;
			pfd[n].revents = 0;
			map[n++] = c;
		}
		if (nfree > 0) {
			pfd[n].fd = lfd;
			pfd[n].events = POLLIN;
			pfd[n].revents = 0;
			map[n++] = NULL;
		}
		if (next != -1) {
			ts.tv_sec = (time_t)((next - now) / 1000);
			ts.tv_nsec = (long)((next - now) % 1000) * 1000000L;
		}
		if (ppoll(pfd, n, next == -1 ? NULL : &ts, &orig) == -1) {
			if (errno == EINTR)
				continue;
			log_warn("poll");
			break;
		}
		for (i = 0; i < n; i++) {
			if (pfd[i].revents == 0)
				continue;
			if ((c = map[i]) == NULL) {
				srv_accept(lfd);
				continue;
			}
			if (c->state == CS_FREE)
				continue;
			if (pfd[i].revents & (POLLERR | POLLNVAL)) {
				conn_close(c);
				continue;
			}
			if (c->state == CS_WRITE) {
				conn_write(c);
				continue;
			}
			conn_read(c);
			if (c->state == CS_WRITE)
				conn_write(c);
		}
	}
	sigprocmask(SIG_SETMASK, &orig, NULL);
}

int
site_serve(int lfd, const char *root, int test_routes, int verbose,
    volatile sig_atomic_t *quit)
{
	struct sigaction sa;
	size_t i;

	if (realpath(root, srv_root) == NULL) {
		log_warn("%s", root);
		return ERR_IO;
	}
	if (strcmp(srv_root, "/") == 0)
		srv_root[0] = '\0';	/* so that root + path stays sane */
	srv_test_routes = test_routes;
	srv_quit = quit != NULL ? quit : &srv_quit_flag;
	log_setlevel(verbose ? LOG_LVL_INFO : LOG_LVL_WARN);
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	for (i = 0; i < SRV_MAX_CONNS; i++) {
		srv_conns[i].fd = -1;
		srv_conns[i].state = CS_FREE;
	}
	srv_loop(lfd);
	for (i = 0; i < SRV_MAX_CONNS; i++)
		if (srv_conns[i].state != CS_FREE)
			conn_close(&srv_conns[i]);
	return 0;
}

struct site {
	pid_t	pid;
};

int
site_start(const char *root, struct site **sitep, int *portp, char **causep)
{
	struct sigaction sa;
	struct stat st;
	struct site *s;
	sigset_t block, orig;
	pid_t pid;
	int lfd, port, r;

	*sitep = NULL;
	if (stat(root, &st) != 0 || !S_ISDIR(st.st_mode)) {
		if (causep != NULL)
			*causep = xasprintf("%s: not a directory", root);
		return ERR_NOTFOUND;
	}
	if ((r = site_listen("127.0.0.1", "0", &lfd, &port, causep)) != 0)
		return r;
	/*
	 * The child starts with the caller's handlers: SIGTERM stays blocked
	 * until its own is installed, so that a site_stop() right away is
	 * not taken by the caller's handler and lost.
	 */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &orig);
	if ((pid = fork()) == -1) {
		sigprocmask(SIG_SETMASK, &orig, NULL);
		if (causep != NULL)
			*causep = xasprintf("fork: %s", strerror(errno));
		close(lfd);
		return ERR_IO;
	}
	if (pid == 0) {
		/* The server must not outlive the program that needs it. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		memset(&sa, 0, sizeof(sa));
		sigemptyset(&sa.sa_mask);
		sa.sa_handler = on_signal;
		sigaction(SIGTERM, &sa, NULL);
		sa.sa_handler = SIG_IGN;
		sigaction(SIGINT, &sa, NULL);
		sigdelset(&orig, SIGTERM);
		sigprocmask(SIG_SETMASK, &orig, NULL);
		_exit(site_serve(lfd, root, 0, 0, NULL) == 0 ? 0 : 1);
	}
	sigprocmask(SIG_SETMASK, &orig, NULL);
	close(lfd);
	s = xcalloc(1, sizeof(*s));
	s->pid = pid;
	*sitep = s;
	*portp = port;
	return 0;
}

void
site_stop(struct site *s)
{
	if (s == NULL)
		return;
	kill(s->pid, SIGTERM);
	while (waitpid(s->pid, NULL, 0) == -1 && errno == EINTR)
		;
	free(s);
}
