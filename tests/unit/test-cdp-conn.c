/*
 * test-cdp-conn.c: the DevTools JSON-RPC layer over a fake transport.
 *
 * The fake records what the connection sends and, on each service round,
 * delivers fragments a test (or its responder, which sees every request)
 * queued: replies out of order, events, garbage, messages over the cap,
 * silence and a closing transport.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "err.h"
#include "log.h"
#include "tap.h"
#include "xmalloc.h"

#include "cdp.h"
#include "private.h"

struct frag {
	struct frag	*next;
	int		 close;		/* close the transport here */
	int		 first, final;
	size_t		 len;
	char		 data[];
};

struct fake;
typedef void responder_fn(struct fake *, int id, const char *method,
    const cJSON *msg);

struct fake {
	struct cdp_conn	*conn;
	struct frag	*head, *tail;
	cJSON		*sent;		/* array of parsed requests */
	int		 closed;
	int		*freed;		/* set when close() runs */
	int		 per_round;	/* fragments per service round, 0 all */
	int		 rounds;
	responder_fn	*respond;
};

/* ---------------------------------------------------------------------- */
/* The fake transport.                                                     */

static int
fake_send(void *arg, const char *msg, size_t len)
{
	struct fake *fk = arg;
	cJSON *m, *id, *method;

	if (fk->closed)
		return ERR_CLOSED;
	if ((m = cJSON_ParseWithLength(msg, len)) == NULL)
		return ERR_INTERNAL;
	cJSON_AddItemToArray(fk->sent, m);
	id = cJSON_GetObjectItem(m, "id");
	method = cJSON_GetObjectItem(m, "method");
	if (fk->respond != NULL && cJSON_IsNumber(id) &&
	    cJSON_IsString(method))
		fk->respond(fk, id->valueint, method->valuestring, m);
	return 0;
}

static void
sleep_ms(int ms)
{
	struct timespec ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000;
	nanosleep(&ts, NULL);
}

static int
fake_service(void *arg, int timeout_ms)
{
	struct fake *fk = arg;
	struct frag *f;
	int n = 0;

	fk->rounds++;
	if (fk->closed)
		return ERR_CLOSED;
	if (fk->head == NULL) {
		/* Nothing to say: wait like poll() would. */
		sleep_ms(timeout_ms);
		return 0;
	}
	while ((f = fk->head) != NULL &&
	    (fk->per_round == 0 || n < fk->per_round)) {
		fk->head = f->next;
		if (fk->head == NULL)
			fk->tail = NULL;
		n++;
		if (f->close) {
			free(f);
			fk->closed = 1;
			cdp_conn_closed(fk->conn,
			    "browser closed the connection");
			return ERR_CLOSED;
		}
		if (cdp_conn_feed(fk->conn, f->data, f->len, f->first,
		    f->final) == ERR_CLOSED)
			fk->closed = 1;
		free(f);
		if (fk->closed)
			return ERR_CLOSED;
	}
	return 0;
}

static void
fake_close(void *arg)
{
	struct fake *fk = arg;
	struct frag *f;

	while ((f = fk->head) != NULL) {
		fk->head = f->next;
		free(f);
	}
	if (fk->freed != NULL)
		*fk->freed = 1;
	cJSON_Delete(fk->sent);
	free(fk);
}

static const struct cdp_transport_ops fake_ops = {
	fake_send, fake_service, fake_close
};

/* Queues a message split into fragments of at most fragsz bytes. */
static void
fk_push_frags(struct fake *fk, const char *data, size_t len, size_t fragsz)
{
	size_t off = 0, n;
	struct frag *f;

	do {
		n = len - off;
		if (fragsz > 0 && n > fragsz)
			n = fragsz;
		f = xmalloc(sizeof(*f) + n + 1);
		f->next = NULL;
		f->close = 0;
		f->first = off == 0;
		f->final = off + n == len;
		f->len = n;
		memcpy(f->data, data + off, n);
		if (fk->tail != NULL)
			fk->tail->next = f;
		else
			fk->head = f;
		fk->tail = f;
		off += n;
	} while (off < len);
}

static void
fk_push(struct fake *fk, const char *s)
{
	fk_push_frags(fk, s, strlen(s), 0);
}

static void
fk_pushf(struct fake *fk, const char *fmt, ...)
    __attribute__((__format__(__printf__, 2, 3)));

static void
fk_pushf(struct fake *fk, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		abort();
	va_end(ap);
	fk_push(fk, s);
	free(s);
}

static void
fk_push_close(struct fake *fk)
{
	struct frag *f = xcalloc(1, sizeof(*f));

	f->close = 1;
	if (fk->tail != NULL)
		fk->tail->next = f;
	else
		fk->head = f;
	fk->tail = f;
}

static struct fake *
fake_new(const struct cdp_conn_params *p, int *freed)
{
	struct fake *fk = xcalloc(1, sizeof(*fk));

	fk->sent = cJSON_CreateArray();
	fk->freed = freed;
	fk->conn = cdp_conn_new_transport(&fake_ops, fk, p);
	return fk;
}

static const cJSON *
fk_sent(struct fake *fk, int i)
{
	return cJSON_GetArrayItem(fk->sent, i);
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---------------------------------------------------------------------- */
/* Responders.                                                             */

/* Answers every call with {"echo": method}. */
static void
resp_echo(struct fake *fk, int id, const char *method, const cJSON *msg)
{
	(void)msg;
	fk_pushf(fk, "{\"id\":%d,\"result\":{\"echo\":\"%s\"}}", id, method);
}

/* Answers "Slow.*" never, everything else with echo. */
static void
resp_silent_slow(struct fake *fk, int id, const char *method,
    const cJSON *msg)
{
	if (strncmp(method, "Slow.", 5) == 0)
		return;
	resp_echo(fk, id, method, msg);
}

/* ---------------------------------------------------------------------- */
/* Tests.                                                                  */

static void
test_basic(void)
{
	struct fake *fk;
	struct cdp_conn *c;
	cJSON *res = NULL, *p;
	const cJSON *m;
	int r, freed = 0;

	fk = fake_new(NULL, &freed);
	c = fk->conn;
	fk->respond = resp_echo;
	ok(cdp_conn_alive(c), "new connection is alive");
	is_str(cdp_conn_error(c), "", "no error yet");

	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "url", "about:blank");
	r = cdp_call(c, "SESS1", "Page.navigate", p, 1000, &res);
	is_int(r, 0, "call answered");
	is_str(cJSON_GetStringValue(cJSON_GetObjectItem(res, "echo")),
	    "Page.navigate", "result object handed over");
	cJSON_Delete(res);

	m = fk_sent(fk, 0);
	is_int(cJSON_GetObjectItem(m, "id")->valueint, 1, "first id is 1");
	is_str(cJSON_GetStringValue(cJSON_GetObjectItem(m, "method")),
	    "Page.navigate", "method sent");
	is_str(cJSON_GetStringValue(cJSON_GetObjectItem(m, "sessionId")),
	    "SESS1", "sessionId sent");
	is_str(cJSON_GetStringValue(cJSON_GetObjectItem(
	    cJSON_GetObjectItem(m, "params"), "url")), "about:blank",
	    "params sent");

	r = cdp_call(c, NULL, "Browser.getVersion", NULL, 1000, NULL);
	is_int(r, 0, "call without result pointer");
	m = fk_sent(fk, 1);
	is_int(cJSON_GetObjectItem(m, "id")->valueint, 2, "ids increase");
	ok(cJSON_GetObjectItem(m, "sessionId") == NULL,
	    "no sessionId for the browser target");
	ok(cJSON_IsObject(cJSON_GetObjectItem(m, "params")),
	    "NULL params sent as {}");

	r = cdp_call(c, NULL, "Bad.params", cJSON_CreateArray(), 1000, NULL);
	is_int(r, ERR_INVALID, "non-object params refused (and freed)");

	cdp_conn_free(c);
	ok(freed, "cdp_conn_free closes the transport");
	cdp_conn_free(NULL);
}

struct evlog {
	char	 text[1024];
	int	 n;
	struct cdp_conn *conn;
	int	 self_handle;	/* handler that removes itself */
	int	 added;		/* handle added from a handler */
	int	 call_r;
};

static void
ev_a(void *arg, const char *session, const char *method,
    const cJSON *params)
{
	struct evlog *l = arg;
	const cJSON *v = cJSON_GetObjectItem(params, "v");

	l->n++;
	snprintf(l->text + strlen(l->text), sizeof(l->text) - strlen(l->text),
	    "A:%s:%s:%d ", session != NULL ? session : "-", method,
	    cJSON_IsNumber(v) ? v->valueint : -1);
}

static void
ev_b(void *arg, const char *session, const char *method,
    const cJSON *params)
{
	struct evlog *l = arg;

	(void)session;
	(void)params;
	snprintf(l->text + strlen(l->text), sizeof(l->text) - strlen(l->text),
	    "B:%s ", method);
}

/* Removes itself on its first event and adds ev_b again. */
static void
ev_once(void *arg, const char *session, const char *method,
    const cJSON *params)
{
	struct evlog *l = arg;

	(void)session;
	(void)params;
	snprintf(l->text + strlen(l->text), sizeof(l->text) - strlen(l->text),
	    "O:%s ", method);
	cdp_conn_unlisten(l->conn, l->self_handle);
	l->added = cdp_conn_listen(l->conn, ev_b, l);
	/* A handler may send, but not call. */
	cdp_send(l->conn, NULL, "From.handler", NULL);
	l->call_r = cdp_call(l->conn, NULL, "Nested.call", NULL, 100, NULL);
}

/* Replies out of order, with events in between. */
static void
resp_shuffle(struct fake *fk, int id, const char *method, const cJSON *msg)
{
	(void)msg;
	if (strcmp(method, "Wanted.call") != 0)
		return;		/* replies to sends come below */
	fk_pushf(fk, "{\"id\":%d,\"result\":{\"which\":\"second\"}}", id - 1);
	fk_push(fk, "{\"method\":\"Ev.one\",\"params\":{\"v\":1}}");
	fk_push(fk, "{\"method\":\"Ev.two\",\"params\":{\"v\":2},"
	    "\"sessionId\":\"S9\"}");
	fk_push(fk, "{\"id\":99999,\"result\":{\"which\":\"stray\"}}");
	fk_pushf(fk, "{\"id\":%d,\"result\":{\"which\":\"wanted\"}}", id);
	fk_pushf(fk, "{\"id\":%d,\"error\":{\"code\":-1,\"message\":\"x\"}}",
	    id - 2);
	fk_push(fk, "{\"method\":\"Ev.three\"}");
}

static void
test_order_and_events(void)
{
	struct fake *fk;
	struct cdp_conn *c;
	struct evlog l;
	cJSON *res = NULL;
	int r, ha, ho;

	memset(&l, 0, sizeof(l));
	fk = fake_new(NULL, NULL);
	c = l.conn = fk->conn;
	fk->respond = resp_shuffle;
	fk->per_round = 1;
	ha = cdp_conn_listen(c, ev_a, &l);
	ho = l.self_handle = cdp_conn_listen(c, ev_once, &l);
	ok(ha > 0 && ho > 0 && ha != ho, "listen returns distinct handles");

	is_int(cdp_send(c, NULL, "First.send", NULL), 0, "send 1");
	is_int(cdp_send(c, "S1", "Second.send", NULL), 0, "send 2");
	r = cdp_call(c, NULL, "Wanted.call", NULL, 1000, &res);
	is_int(r, 0, "call answered among out-of-order replies");
	is_str(cJSON_GetStringValue(cJSON_GetObjectItem(res, "which")),
	    "wanted", "reply matched by id, not by order");
	cJSON_Delete(res);
	is_str(l.text, "A:-:Ev.one:1 O:Ev.one A:S9:Ev.two:2 B:Ev.two ",
	    "events before the reply dispatched in registration order, "
	    "handler removed and added from a handler");
	is_int(l.call_r, ERR_INTERNAL, "cdp_call from a handler refused");
	ok(cJSON_GetArraySize(fk->sent) == 4 &&
	    strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(fk_sent(fk, 3),
	    "method")), "From.handler") == 0,
	    "cdp_send from a handler queued");

	/* Ev.two and Ev.three are still queued: pump them. */
	r = cdp_conn_pump(c, 200, NULL, NULL);
	is_int(r, 0, "pump without condition returns 0");
	is_str(l.text, "A:-:Ev.one:1 O:Ev.one A:S9:Ev.two:2 B:Ev.two "
	    "A:-:Ev.three:-1 B:Ev.three ",
	    "later event dispatched by pump; missing params given as {}");

	cdp_conn_unlisten(c, ha);
	cdp_conn_unlisten(c, l.added);
	cdp_conn_unlisten(c, 12345);
	fk_push(fk, "{\"method\":\"Ev.four\",\"params\":{}}");
	l.text[0] = '\0';
	cdp_conn_pump(c, 50, NULL, NULL);
	is_str(l.text, "", "no handler after unlisten");
	cdp_conn_free(c);
}

static int
done_two(void *arg)
{
	int *n = arg;

	return *n >= 2;
}

static int
done_never(void *arg)
{
	(void)arg;
	return 0;
}

static void
count_ev(void *arg, const char *session, const char *method,
    const cJSON *params)
{
	int *n = arg;

	(void)session;
	(void)method;
	(void)params;
	++*n;
}

static void
test_pump(void)
{
	struct fake *fk;
	struct cdp_conn *c;
	long long t0;
	int r, nev = 0;

	fk = fake_new(NULL, NULL);
	c = fk->conn;
	cdp_conn_listen(c, count_ev, &nev);
	fk_push(fk, "{\"method\":\"E.a\",\"params\":{}}");
	fk_push(fk, "{\"method\":\"E.b\",\"params\":{}}");
	fk_push(fk, "{\"method\":\"E.c\",\"params\":{}}");
	fk->per_round = 1;
	r = cdp_conn_pump(c, 1000, done_two, &nev);
	is_int(r, 0, "pump returns 0 when done() turns true");
	is_int(nev, 2, "pump stops once done() is true");
	r = cdp_conn_pump(c, 1000, done_two, &nev);
	is_int(r, 0, "done() already true: returns at once");
	is_int(nev, 2, "without servicing");

	t0 = now_ms();
	r = cdp_conn_pump(c, 150, done_never, NULL);
	is_int(r, ERR_TIMEOUT, "pump times out when done() stays false");
	ok(now_ms() - t0 >= 140 && now_ms() - t0 < 1000,
	    "pump honours its timeout (%lld ms)", now_ms() - t0);
	is_int(nev, 3, "remaining event delivered while pumping");

	fk_push_close(fk);
	r = cdp_conn_pump(c, 1000, NULL, NULL);
	is_int(r, ERR_CLOSED, "pump reports a closed transport");
	ok(!cdp_conn_alive(c), "connection dead after close");
	cdp_conn_free(c);
}

static void
test_fragments(void)
{
	struct fake *fk;
	struct cdp_conn *c;
	const char *msg;
	char *big;
	cJSON *res = NULL;
	size_t n, i;
	long long t0;
	int r;

	fk = fake_new(NULL, NULL);
	c = fk->conn;

	/* Reply 1 arrives in one-byte fragments, delivered 7 per round. */
	msg = "{\"id\":1,\"result\":{\"s\":\"fragmented \\u00e9\"}}";
	fk_push_frags(fk, msg, strlen(msg), 1);
	fk->per_round = 7;
	r = cdp_call(c, NULL, "A.b", NULL, 2000, &res);
	is_int(r, 0, "reply in 1-byte fragments reassembled");
	is_str(cJSON_GetStringValue(cJSON_GetObjectItem(res, "s")),
	    "fragmented \xc3\xa9", "content intact");
	cJSON_Delete(res);
	res = NULL;
	fk->per_round = 0;

	/* A 20 MB reply in 4 KiB fragments: linear, not quadratic. */
	n = 20 * 1024 * 1024;
	big = xmalloc(n + 64);
	i = (size_t)snprintf(big, 64, "{\"id\":2,\"result\":{\"data\":\"");
	memset(big + i, 'q', n);
	i += n;
	memcpy(big + i, "\"}}", 4);
	i += 3;
	fk_push_frags(fk, big, i, 4096);
	free(big);
	t0 = now_ms();
	r = cdp_call(c, NULL, "Big.reply", NULL, 10000, &res);
	is_int(r, 0, "20 MB reply in 4 KiB fragments");
	ok(res != NULL && strlen(cJSON_GetStringValue(cJSON_GetObjectItem(res,
	    "data"))) == n, "20 MB reply intact");
	/* Under valgrind (make valgrind sets WEBNAV_TEST_SLOW) it is slow. */
	ok(now_ms() - t0 < (getenv("WEBNAV_TEST_SLOW") != NULL ? 60000 : 3000),
	    "20 MB reassembled quickly (%lld ms)",
	    now_ms() - t0);
	cJSON_Delete(res);
	res = NULL;

	/* A message cut short by a new first fragment is dropped. */
	fk_push_frags(fk, "{\"id\":3,\"res", 12, 4);
	fk->tail->final = 0;
	fk_push(fk, "{\"id\":3,\"result\":{\"ok\":true}}");
	r = cdp_call(c, NULL, "After.cut", NULL, 1000, &res);
	is_int(r, 0, "new message after an unfinished one parsed");
	ok(cJSON_IsTrue(cJSON_GetObjectItem(res, "ok")),
	    "the complete message wins");
	cJSON_Delete(res);
	cdp_conn_free(c);
}

/* Answers with a result string of the size in the method name. */
static void
resp_sized(struct fake *fk, int id, const char *method, const cJSON *msg)
{
	size_t n = strtoul(method + strcspn(method, "0123456789"), NULL, 10);
	char *s;
	int k;

	(void)msg;
	s = xmalloc(n + 64);
	k = snprintf(s, 64, "{\"id\":%d,\"result\":{\"v\":\"", id);
	memset(s + k, 'z', n);
	memcpy(s + k + n, "\"}}", 4);
	fk_push_frags(fk, s, (size_t)k + n + 3, 300);
	free(s);
}

static void
test_cap(void)
{
	struct cdp_conn_params p;
	struct fake *fk;
	struct cdp_conn *c;
	cJSON *res = NULL;
	char *s;
	int r, nev = 0;

	cdp_conn_default_params(&p);
	is_int((long long)p.max_message, 256LL * 1024 * 1024,
	    "default cap 256 MiB");
	is_int(p.call_timeout_ms, 30000, "default call timeout");
	p.max_message = 1000;
	fk = fake_new(&p, NULL);
	c = fk->conn;
	fk->respond = resp_sized;
	cdp_conn_listen(c, count_ev, &nev);

	r = cdp_call(c, NULL, "Size.900", NULL, 1000, &res);
	is_int(r, 0, "reply under the cap");
	cJSON_Delete(res);
	res = NULL;
	r = cdp_call(c, NULL, "Size.5000", NULL, 1000, &res);
	is_int(r, ERR_TOOBIG, "reply over the cap: ERR_TOOBIG");
	ok(res == NULL, "no result on error");
	ok(strstr(cdp_conn_error(c), "Size.5000") != NULL &&
	    strstr(cdp_conn_error(c), "1000-byte") != NULL,
	    "error names the call and the cap: %s", cdp_conn_error(c));
	ok(cdp_conn_alive(c), "connection still alive");
	r = cdp_call(c, NULL, "Size.10", NULL, 1000, &res);
	is_int(r, 0, "next call works after an oversized reply");
	is_str(cJSON_GetStringValue(cJSON_GetObjectItem(res, "v")),
	    "zzzzzzzzzz", "next reply intact");
	cJSON_Delete(res);
	res = NULL;

	/* An oversized event is dropped; the next one is delivered. */
	fk->respond = resp_echo;
	s = xmalloc(3000);
	r = snprintf(s, 100, "{\"method\":\"Big.event\",\"params\":{\"x\":\"");
	memset(s + r, 'e', 2000);
	memcpy(s + r + 2000, "\"}}", 4);
	fk_push_frags(fk, s, strlen(s), 100);
	fk_push(fk, "{\"method\":\"Small.event\",\"params\":{}}");
	r = cdp_call(c, NULL, "After.event", NULL, 1000, NULL);
	is_int(r, 0, "call works after an oversized event");
	is_int(nev, 1, "oversized event dropped, next one delivered");

	/* Oversized and not attributable: the connection closes. */
	fk->respond = NULL;
	memset(s, ' ', 2500);
	s[0] = '[';
	s[2500] = '\0';
	fk_push_frags(fk, s, 2500, 500);
	free(s);
	r = cdp_call(c, NULL, "Victim.call", NULL, 1000, NULL);
	is_int(r, ERR_TOOBIG, "unattributable oversized message fails the "
	    "call");
	ok(strstr(cdp_conn_error(c), "closed") != NULL,
	    "error says the connection closed: %s", cdp_conn_error(c));
	ok(!cdp_conn_alive(c), "connection closed");
	r = cdp_call(c, NULL, "Later.call", cJSON_CreateObject(), 1000, NULL);
	is_int(r, ERR_CLOSED, "later calls fail ERR_CLOSED");
	cdp_conn_free(c);
}

static void
test_garbage(void)
{
	static const unsigned char noise[] = {
		0x00, 0xff, 0x7b, 0x22, 0x69, 0x64, 0x22, 0x3a, 0x00, 0x80,
		0xc3, 0x28, 0x1b, 0x5b, 0x7d
	};
	struct fake *fk;
	struct cdp_conn *c;
	cJSON *res = NULL;
	int r, nev = 0;

	fk = fake_new(NULL, NULL);
	c = fk->conn;
	cdp_conn_listen(c, count_ev, &nev);
	fk_push(fk, "hello, not json {");
	fk_push_frags(fk, (const char *)noise, sizeof(noise), 4);
	fk_push(fk, "[1,2,3]");
	fk_push(fk, "{\"id\":\"x\"}");
	fk_push(fk, "{\"id\":-5,\"result\":{}}");
	fk_push(fk, "{\"id\":1.5,\"result\":{}}");
	fk_push(fk, "{\"id\":1e300,\"result\":{}}");
	fk_push(fk, "{\"method\":5}");
	fk_push(fk, "{\"method\":\"E.x\",\"params\":7}");
	fk_push(fk, "{\"method\":\"E.y\",\"params\":{},\"sessionId\":3}");
	fk_push(fk, "{\"foo\":1}");
	fk_push(fk, "null");
	fk_push(fk, "");
	fk_push(fk, "{\"id\":1,\"result\":{\"ok\":1}}");
	r = cdp_call(c, NULL, "Survives.garbage", NULL, 1000, &res);
	is_int(r, 0, "call answered after unattributable garbage");
	is_int(nev, 0, "malformed events not dispatched");
	cJSON_Delete(res);
	res = NULL;

	fk_push(fk, "{\"id\":2,\"result\":{\"trunc");
	r = cdp_call(c, NULL, "Gets.truncated", NULL, 5000, &res);
	is_int(r, ERR_PROTOCOL, "truncated reply: ERR_PROTOCOL at once");
	ok(strstr(cdp_conn_error(c), "Gets.truncated") != NULL,
	    "error names the call: %s", cdp_conn_error(c));

	fk_push(fk, "{\"id\":3,\"result\":7}");
	r = cdp_call(c, NULL, "Result.number", NULL, 1000, &res);
	is_int(r, ERR_PROTOCOL, "result not an object: ERR_PROTOCOL");
	fk_push(fk, "{\"id\":4}");
	r = cdp_call(c, NULL, "No.result", NULL, 1000, &res);
	is_int(r, ERR_PROTOCOL, "neither result nor error: ERR_PROTOCOL");
	fk_push(fk, "{\"id\":5,\"error\":\"oops\"}");
	r = cdp_call(c, NULL, "Error.string", NULL, 1000, &res);
	is_int(r, ERR_PROTOCOL, "error not an object: ERR_PROTOCOL");
	ok(res == NULL, "no result after protocol errors");

	fk_push(fk, "{\"id\":6,\"error\":{\"code\":-32000,\"message\":"
	    "\"Cannot navigate to invalid URL\",\"data\":\"detail\"}}");
	r = cdp_call(c, "S", "Page.navigate", NULL, 1000, &res);
	is_int(r, ERR_CDP, "error reply: ERR_CDP");
	is_str(cdp_conn_error(c), "Page.navigate: Cannot navigate to invalid "
	    "URL (detail) (code -32000)", "browser's message kept");
	fk_push(fk, "{\"id\":7,\"error\":{}}");
	r = cdp_call(c, NULL, "Bare.error", NULL, 1000, &res);
	is_int(r, ERR_CDP, "error without message: ERR_CDP");
	ok(cdp_conn_alive(c), "garbage does not kill the connection");
	cdp_conn_free(c);
}

static void
test_timeout_and_close(void)
{
	struct cdp_conn_params p;
	struct fake *fk;
	struct cdp_conn *c;
	cJSON *res = NULL;
	long long t0, dt;
	int r;

	cdp_conn_default_params(&p);
	p.call_timeout_ms = 120;
	fk = fake_new(&p, NULL);
	c = fk->conn;
	fk->respond = resp_silent_slow;

	t0 = now_ms();
	r = cdp_call(c, NULL, "Slow.one", NULL, 250, &res);
	dt = now_ms() - t0;
	is_int(r, ERR_TIMEOUT, "reply that never comes: ERR_TIMEOUT");
	ok(dt >= 245 && dt < 10000, "deadline honoured (%lld ms for 250)", dt);
	is_str(cdp_conn_error(c), "no reply to Slow.one within 250 ms",
	    "timeout error names the call");

	t0 = now_ms();
	r = cdp_call(c, NULL, "Slow.two", NULL, 0, &res);
	dt = now_ms() - t0;
	is_int(r, ERR_TIMEOUT, "timeout 0 uses the default deadline");
	ok(dt >= 115 && dt < 10000, "default deadline honoured (%lld ms for "
	    "120)", dt);

	/* A late reply to Slow.one is dropped, not taken for this call. */
	fk_push(fk, "{\"id\":1,\"result\":{\"late\":true}}");
	r = cdp_call(c, NULL, "Fast.one", NULL, 1000, &res);
	is_int(r, 0, "call after a timeout works");
	ok(res != NULL && cJSON_GetObjectItem(res, "late") == NULL &&
	    cJSON_GetObjectItem(res, "echo") != NULL,
	    "late reply to a timed-out call discarded");
	cJSON_Delete(res);
	res = NULL;

	/* The transport closes while a call waits. */
	fk->respond = NULL;
	fk_push(fk, "{\"method\":\"Page.frameStartedLoading\",\"params\":{}}");
	fk_push_close(fk);
	t0 = now_ms();
	r = cdp_call(c, "S", "Page.navigate", NULL, 5000, &res);
	is_int(r, ERR_CLOSED, "transport closed mid-call: ERR_CLOSED");
	ok(now_ms() - t0 < 1000, "noticed at once");
	is_str(cdp_conn_error(c), "browser closed the connection during "
	    "Page.navigate", "error names the call");
	ok(!cdp_conn_alive(c), "not alive");
	r = cdp_call(c, NULL, "Next.call", NULL, 5000, &res);
	is_int(r, ERR_CLOSED, "calls after close fail at once");
	ok(strstr(cdp_conn_error(c), "Next.call") != NULL,
	    "and say so: %s", cdp_conn_error(c));
	is_int(cdp_send(c, NULL, "X.y", cJSON_CreateObject()), ERR_CLOSED,
	    "send after close fails");
	cdp_conn_free(c);
}

/* Calls started, answered in any order, finished later or discarded. */
static void
test_started(void)
{
	struct fake *fk;
	struct cdp_conn *c;
	cJSON *res = NULL;
	int ids[20], a = 0, b = 0, x = 0, r, i, n;

	fk = fake_new(NULL, NULL);
	c = fk->conn;
	r = cdp_call_start(c, "S", "Shot.a", NULL, &a);
	if (r == 0)
		r = cdp_call_start(c, "S", "Eval.b", NULL, &b);
	ok(r == 0 && a == 1 && b == 2, "two calls started (ids %d, %d)", a,
	    b);
	ok(!cdp_call_ready(c, a) && !cdp_call_ready(c, b) &&
	    !cdp_call_ready(c, 999), "no reply in yet: not ready");
	/* Replies out of order, around the reply to a call made meanwhile. */
	fk_push(fk, "{\"id\":2,\"result\":{\"v\":\"b\"}}");
	fk_push(fk, "{\"method\":\"Ev.x\",\"params\":{}}");
	fk_push(fk, "{\"id\":3,\"result\":{\"v\":\"c\"}}");
	fk_push(fk, "{\"id\":1,\"result\":{\"v\":\"a\"}}");
	r = cdp_call(c, NULL, "Mid.c", NULL, 1000, &res);
	ok(r == 0 && strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(res,
	    "v")), "c") == 0, "a call made meanwhile gets its own reply");
	cJSON_Delete(res);
	res = NULL;
	ok(cdp_call_ready(c, b) && !cdp_call_ready(c, 3),
	    "a started call whose reply came is ready; a finished one is not");
	r = cdp_call_finish(c, a, 1000, &res);
	ok(r == 0 && strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(res,
	    "v")), "a") == 0 && !cdp_call_ready(c, a),
	    "first started call finished with its reply, and no longer ready");
	cJSON_Delete(res);
	res = NULL;
	r = cdp_call_finish(c, b, 1000, &res);
	ok(r == 0 && strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(res,
	    "v")), "b") == 0, "second one too, though its reply came first");
	cJSON_Delete(res);
	res = NULL;
	is_int(cdp_call_finish(c, a, 1000, &res), ERR_INVALID,
	    "finishing twice is ERR_INVALID");
	is_int(cdp_call_finish(c, 999, 1000, &res), ERR_INVALID,
	    "finishing an id never started is ERR_INVALID");

	/* An error reply is kept and reported at finish. */
	cdp_call_start(c, NULL, "Bad.x", NULL, &x);
	fk_pushf(fk, "{\"id\":%d,\"error\":{\"code\":-32000,"
	    "\"message\":\"nope\"}}", x);
	fk_pushf(fk, "{\"id\":%d,\"result\":{}}", x + 1);
	is_int(cdp_call(c, NULL, "Ok.y", NULL, 1000, NULL), 0,
	    "a call after the error reply came");
	is_int(cdp_call_finish(c, x, 1000, NULL), ERR_CDP,
	    "the started call fails with ERR_CDP");
	is_str(cdp_conn_error(c), "Bad.x: nope (code -32000)",
	    "with its own error text");

	/* Timeout, then the late reply is dropped. */
	cdp_call_start(c, NULL, "Slow.s", NULL, &x);
	is_int(cdp_call_finish(c, x, 100, &res), ERR_TIMEOUT,
	    "no reply: ERR_TIMEOUT");
	is_str(cdp_conn_error(c), "no reply to Slow.s within 100 ms",
	    "timeout error names the call");
	fk_pushf(fk, "{\"id\":%d,\"result\":{\"late\":1}}", x);
	fk_pushf(fk, "{\"id\":%d,\"result\":{\"v\":\"own\"}}", x + 1);
	r = cdp_call(c, NULL, "After.t", NULL, 1000, &res);
	ok(r == 0 && cJSON_GetObjectItem(res, "late") == NULL,
	    "late reply to a timed-out started call discarded");
	cJSON_Delete(res);
	res = NULL;

	/* Discarded: its reply is dropped. */
	cdp_call_start(c, NULL, "Gone.d", NULL, &x);
	cdp_call_discard(c, x);
	cdp_call_discard(c, 12345);
	fk_pushf(fk, "{\"id\":%d,\"result\":{\"gone\":1}}", x);
	fk_pushf(fk, "{\"id\":%d,\"result\":{}}", x + 1);
	r = cdp_call(c, NULL, "Next.u", NULL, 1000, &res);
	ok(r == 0 && cJSON_GetObjectItem(res, "gone") == NULL,
	    "reply to a discarded call dropped");
	cJSON_Delete(res);
	res = NULL;
	is_int(cdp_call_finish(c, x, 1000, NULL), ERR_INVALID,
	    "a discarded call cannot be finished");

	/* At most 16 pending; cdp_call() still works then. */
	for (n = 0; n < 20; n++)
		if (cdp_call_start(c, NULL, "Many.m", NULL, &ids[n]) != 0)
			break;
	is_int(n, 16, "16 calls may be pending");
	is_int(cdp_call_start(c, NULL, "Many.m", NULL, &x), ERR_TOOBIG,
	    "the 17th is ERR_TOOBIG");
	fk_pushf(fk, "{\"id\":%d,\"result\":{}}", ids[n - 1] + 1);
	is_int(cdp_call(c, NULL, "Still.v", NULL, 1000, NULL), 0,
	    "cdp_call works with 16 pending");
	for (i = 0; i < n; i++)
		cdp_call_discard(c, ids[i]);

	/* The transport closes while started calls wait. */
	cdp_call_start(c, NULL, "Pend.p", NULL, &x);
	cdp_call_start(c, NULL, "Pend.q", NULL, &b);
	fk_push_close(fk);
	is_int(cdp_call_finish(c, x, 5000, NULL), ERR_CLOSED,
	    "transport closed: ERR_CLOSED");
	is_str(cdp_conn_error(c), "browser closed the connection during "
	    "Pend.p", "error names the call");
	is_int(cdp_call_finish(c, b, 5000, NULL), ERR_CLOSED,
	    "and for the other started call");
	is_int(cdp_call_start(c, NULL, "Late.w", NULL, &x), ERR_CLOSED,
	    "starting after close fails");
	cdp_conn_free(c);
}

int
main(void)
{
	log_init("test-cdp-conn", 0, getenv("WEBNAV_DEBUG") != NULL ?
	    LOG_LVL_DEBUG : LOG_LVL_WARN);
	test_basic();
	test_order_and_events();
	test_pump();
	test_fragments();
	test_cap();
	test_garbage();
	test_timeout_and_close();
	test_started();
	return done_testing();
}
