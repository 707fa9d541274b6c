/*
 * bench/observe.c: per-phase cost of a webnav step against the raw
 * DevTools floor and a puppeteer-core peer, measured in the same run on
 * the same page.
 *
 * Four ways to take one observe-and-act step, each round in a rotated
 * order so that drift in the machine affects all alike:
 *
 *   floor   the least a DevTools client can do per step: one
 *           Page.captureScreenshot (PNG, optimizeForSpeed), one
 *           Runtime.evaluate listing interactive elements with their
 *           boxes, a click (three Input.dispatchMouseEvent calls) and
 *           cdp_page_settle().
 *   webnav  a step as agent_run() takes it when no trajectory is
 *           recorded: obs_capture() (a screenshot only if the policy
 *           reads pixels), obs_trace(), policy_decide(), action_exec() of
 *           a click and cdp_page_settle().
 *   rec     the same with the screenshot, as every step of a recorded
 *           run (trajectory, daemon live view); the Set-of-Mark image is
 *           timed on its own (trajectories draw it at the end of a run).
 *   peer    bench/peer/peer.js (with -P): the same loop written with
 *           puppeteer-core driving its own Chromium from the same binary
 *           (page.screenshot, one page.evaluate listing, page.mouse.click,
 *           page.waitForNetworkIdle); it times its phases itself.
 *
 * Every step clicks the Filters toggle of bench/site/index.html (the
 * policy decides for real, on the goal "Open the filters panel"; its
 * choice is counted but the bench clicks the toggle whatever it chose, so
 * every round does the same work).  Prints medians and p95 per phase as a
 * markdown table, then the ratios of the steps.
 *
 * usage: bench/observe [-n rounds] [-s sitedir] [-p policy] [-P peerdir]
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "action.h"
#include "cdp.h"
#include "err.h"
#include "log.h"
#include "observe.h"
#include "policy.h"
#include "site.h"
#include "task.h"
#include "xmalloc.h"

enum { C_FLOOR, C_WEBNAV, C_REC, C_PEER, C_N };

enum { F_SHOT, F_COLLECT, F_CLICK, F_SETTLE, F_TOTAL, F_N };
enum { W_SHOT, W_MARKS, W_DECIDE, W_ACT, W_SETTLE, W_TOTAL, W_N };
enum { R_SHOT, R_MARKS, R_DECIDE, R_ACT, R_SETTLE, R_TOTAL, R_SOM, R_N };
enum { P_SHOT, P_LIST, P_CLICK, P_SETTLE, P_TOTAL, P_N };

static const char *floor_names[F_N] = {
	"screenshot (PNG, fast)", "collect elements", "click", "settle",
	"step total"
};
static const char *wn_names[W_N] = {
	"screenshot", "marks (all frames)", "decide", "act (click)", "settle",
	"step total"
};
static const char *rec_names[R_N] = {
	"screenshot (not hidden by marks)", "marks (all frames)", "decide",
	"act (click)", "settle", "step total", "Set-of-Mark image (apart)"
};
static const char *peer_names[P_N] = {
	"page.screenshot (PNG)", "list elements (page.evaluate)",
	"page.mouse.click", "waitForNetworkIdle (50 ms)", "step total"
};
/* The members of the peer's answer, in P_* order. */
static const char *peer_keys[P_N] = {
	"shot", "list", "click", "settle", "total"
};

#define GOAL		"Open the filters panel"
#define TARGET		"Filters"
/* Deadlines for the peer: start (launch + load), one step. */
#define PEER_START_MS	60000
#define PEER_STEP_MS	20000
#define PEER_LINE_MAX	4096

/* The floor's element listing: what a minimal raw client would run. */
static const char floor_js[] =
    "(function(){var o=[];document.querySelectorAll('a[href],button,input,"
    "select,textarea,[role=button],[onclick]').forEach(function(e){"
    "var b=e.getBoundingClientRect();if(b.width>0&&b.height>0&&"
    "b.bottom>0&&b.top<innerHeight)o.push([e.tagName,(e.innerText||"
    "e.value||'').slice(0,80),b.x,b.y,b.width,b.height]);});return o;})()";

/* The puppeteer-core peer: a node process spoken to over two pipes. */
struct peer {
	pid_t	 pid;
	int	 to;		/* its stdin */
	int	 from;		/* its stdout */
	char	 buf[PEER_LINE_MAX];
	size_t	 len;
	char	*about;		/* "puppeteer-core X, Chrome/Y" */
	int	 nels;		/* elements its last listing found */
};

/* State of the webnav side across rounds. */
struct side {
	struct cdp_page	*page;
	struct policy	*pol;
	struct task	*task;
	struct obs	*prev;
	int		 chose;		/* decisions that picked the toggle */
	size_t		 nmarks;
};

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Sorts v and returns its q-quantile (nearest rank). */
static double
quantile(double *v, int n, double q)
{
	int k;

	qsort(v, (size_t)n, sizeof(*v), dcmp);
	k = (int)(q * n + 0.999999) - 1;
	if (k < 0)
		k = 0;
	if (k >= n)
		k = n - 1;
	return v[k];
}

/* The mark of the Filters toggle, or NULL. */
static const struct mark *
toggle_mark(const struct obs *o)
{
	size_t i;

	for (i = 0; i < o->nmarks; i++)
		if (strcmp(o->marks[i].text, TARGET) == 0)
			return &o->marks[i];
	return NULL;
}

/*
 * Reads one line from the peer into p->buf (NUL-terminated, without the
 * newline), waiting up to timeout_ms.  Lines longer than the buffer are an
 * error.
 */
static int
peer_line(struct peer *p, int timeout_ms, char **causep)
{
	struct pollfd pfd;
	double deadline = now_ms() + timeout_ms;
	char *nl;
	ssize_t n;
	int left;

	for (;;) {
		if ((nl = memchr(p->buf, '\n', p->len)) != NULL) {
			*nl = '\0';
			return 0;
		}
		if (p->len >= sizeof(p->buf) - 1) {
			*causep = xstrdup("peer: line too long");
			return ERR_TOOBIG;
		}
		if ((left = (int)(deadline - now_ms())) <= 0) {
			*causep = xstrdup("peer: no answer in time");
			return ERR_TIMEOUT;
		}
		pfd.fd = p->from;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, left) == -1 && errno != EINTR) {
			*causep = xasprintf("peer: poll: %s", strerror(errno));
			return ERR_IO;
		}
		if (!(pfd.revents & (POLLIN | POLLHUP)))
			continue;
		n = read(p->from, p->buf + p->len, sizeof(p->buf) - 1 -
		    p->len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			*causep = xstrdup("peer: exited (see its messages "
			    "above)");
			return ERR_CLOSED;
		}
		p->len += (size_t)n;
	}
}

/* Drops the line peer_line() returned. */
static void
peer_consume(struct peer *p)
{
	size_t n = strlen(p->buf) + 1;

	memmove(p->buf, p->buf + n, p->len - n);
	p->len -= n;
}

/* Reads one JSON object line; an {"error"} line is an error. */
static int
peer_read(struct peer *p, int timeout_ms, cJSON **vp, char **causep)
{
	const cJSON *e;
	cJSON *v;
	int r;

	*vp = NULL;
	if ((r = peer_line(p, timeout_ms, causep)) != 0)
		return r;
	v = cJSON_Parse(p->buf);
	peer_consume(p);
	if (!cJSON_IsObject(v)) {
		cJSON_Delete(v);
		*causep = xstrdup("peer: not a JSON object");
		return ERR_PROTOCOL;
	}
	if (cJSON_IsString(e = cJSON_GetObjectItemCaseSensitive(v,
	    "error"))) {
		*causep = xasprintf("peer: %s", e->valuestring);
		cJSON_Delete(v);
		return ERR_BROWSER;
	}
	*vp = v;
	return 0;
}

/* Stops the peer: quit, then SIGTERM if it lingers.  NULL is a no-op. */
static void
peer_stop(struct peer *p)
{
	int i, st;

	if (p == NULL)
		return;
	if (p->to != -1) {
		if (write(p->to, "quit\n", 5) != 5)
			log_debug("peer: cannot send quit");
		close(p->to);
	}
	for (i = 0; i < 100; i++) {
		if (waitpid(p->pid, &st, WNOHANG) != 0)
			break;
		usleep(100 * 1000);
	}
	if (i == 100) {
		/* Its SIGTERM handler closes the browser it launched. */
		kill(p->pid, SIGTERM);
		waitpid(p->pid, &st, 0);
	}
	if (p->from != -1)
		close(p->from);
	free(p->about);
	free(p);
}

/* Starts node DIR/peer.js on url and waits until its page loaded. */
static int
peer_start(const char *dir, const char *url, struct peer **pp,
    char **causep)
{
	struct peer *p;
	const char *chromium = getenv("WEBNAV_CHROMIUM");
	const cJSON *a, *b;
	char *script;
	cJSON *v = NULL;
	int in[2], out[2], r;

	*pp = NULL;
	if (chromium == NULL || chromium[0] == '\0')
		chromium = "/usr/bin/chromium";
	script = xasprintf("%s/peer.js", dir);
	if (pipe2(in, O_CLOEXEC) == -1)
		fatal("pipe2");
	if (pipe2(out, O_CLOEXEC) == -1)
		fatal("pipe2");
	p = xcalloc(1, sizeof(*p));
	if ((p->pid = fork()) == -1)
		fatal("fork");
	if (p->pid == 0) {
		if (dup2(in[0], 0) == -1 || dup2(out[1], 1) == -1)
			_exit(127);
		execlp("node", "node", script, "--url", url, "--chromium",
		    chromium, "--text", TARGET, (char *)NULL);
		fprintf(stderr, "bench/observe: node: %s\n", strerror(errno));
		_exit(127);
	}
	free(script);
	close(in[0]);
	close(out[1]);
	p->to = in[1];
	p->from = out[0];
	if ((r = peer_read(p, PEER_START_MS, &v, causep)) != 0) {
		peer_stop(p);
		return r;
	}
	a = cJSON_GetObjectItemCaseSensitive(v, "puppeteer");
	b = cJSON_GetObjectItemCaseSensitive(v, "chromium");
	p->about = xasprintf("puppeteer-core %s, %s", cJSON_IsString(a) ?
	    a->valuestring : "?", cJSON_IsString(b) ? b->valuestring : "?");
	cJSON_Delete(v);
	*pp = p;
	return 0;
}

/* One peer step; its own timings go to t[P_*]. */
static int
peer_step(struct peer *p, double *t, char **causep)
{
	const cJSON *x;
	cJSON *v = NULL;
	int k, r;

	if (write(p->to, "step\n", 5) != 5) {
		*causep = xasprintf("peer: write: %s", strerror(errno));
		return ERR_CLOSED;
	}
	if ((r = peer_read(p, PEER_STEP_MS, &v, causep)) != 0)
		return r;
	for (k = 0; k < P_N; k++) {
		x = cJSON_GetObjectItemCaseSensitive(v, peer_keys[k]);
		if (!cJSON_IsNumber(x) || !isfinite(x->valuedouble)) {
			*causep = xasprintf("peer: no \"%s\" in its answer",
			    peer_keys[k]);
			cJSON_Delete(v);
			return ERR_PROTOCOL;
		}
		t[k] = x->valuedouble;
	}
	if (cJSON_IsNumber(x = cJSON_GetObjectItemCaseSensitive(v, "n")))
		p->nels = x->valueint;
	cJSON_Delete(v);
	return 0;
}

/* The floor: one raw step at the toggle's centre (fx, fy). */
static int
floor_step(struct cdp_page *page, double fx, double fy, double *t)
{
	struct cdp_conn *conn = cdp_page_conn(page);
	cJSON *res = NULL;
	double t0, t1, t2, t3, t4;
	int r;

	t0 = now_ms();
	if ((r = cdp_call(conn, cdp_page_session(page),
	    "Page.captureScreenshot", cJSON_Parse("{\"format\":\"png\","
	    "\"optimizeForSpeed\":true}"), 0, &res)) != 0)
		return r;
	cJSON_Delete(res);
	t1 = now_ms();
	if ((r = cdp_page_eval(page, floor_js, 0, &res)) != 0)
		return r;
	cJSON_Delete(res);
	t2 = now_ms();
	if ((r = cdp_input_click(page, fx, fy, CDP_BUTTON_LEFT, 1)) != 0)
		return r;
	t3 = now_ms();
	if ((r = cdp_page_settle(page, 2000, NULL)) != 0)
		return r;
	t4 = now_ms();
	t[F_SHOT] = t1 - t0;
	t[F_COLLECT] = t2 - t1;
	t[F_CLICK] = t3 - t2;
	t[F_SETTLE] = t4 - t3;
	t[F_TOTAL] = t4 - t0;
	return 0;
}

/*
 * A webnav step, as agent/loop.c takes it: observe (with a screenshot if
 * shot), trace, decide, click the toggle, settle.  t gets the R_* phases
 * (W_* is a prefix of them); som: also draw the Set-of-Mark image, apart.
 */
static int
webnav_step(struct side *S, int shot, int som, double *t, char **causep)
{
	struct obs_params op;
	struct policy_ctx ctx;
	struct policy_decision d;
	struct action a;
	const struct mark *m;
	struct obs *o = NULL;
	unsigned char *img = NULL;
	size_t imglen;
	double t0, t1, t2, t3, t4, t5;
	int r;

	memset(&d, 0, sizeof(d));
	obs_default_params(&op);
	op.screenshot = shot;
	t0 = now_ms();
	if ((r = obs_capture(S->page, &op, &o, causep)) != 0)
		goto out;
	obs_trace(S->prev, o);
	t1 = now_ms();
	memset(&ctx, 0, sizeof(ctx));
	ctx.task = S->task;
	ctx.instr = GOAL;
	ctx.obs = o;
	ctx.prev = S->prev;
	if ((r = policy_decide(S->pol, &ctx, &d, causep)) != 0)
		goto out;
	t2 = now_ms();
	if ((m = toggle_mark(o)) == NULL) {
		*causep = xstrdup("no " TARGET " button on the bench page");
		r = ERR_NOTFOUND;
		goto out;
	}
	if (d.act.op == ACT_CLICK && d.act.mark == m->id)
		S->chose++;
	memset(&a, 0, sizeof(a));
	a.op = ACT_CLICK;
	a.mark = m->id;
	if ((r = action_exec(S->page, o, &a, causep)) != 0)
		goto out;
	t3 = now_ms();
	if ((r = cdp_page_settle(S->page, 2000, NULL)) != 0)
		goto out;
	t4 = now_ms();
	t[R_SHOT] = o->t.screenshot_ms;
	t[R_MARKS] = o->t.marks_ms;
	t[R_DECIDE] = t2 - t1;
	t[R_ACT] = t3 - t2;
	t[R_SETTLE] = t4 - t3;
	t[R_TOTAL] = t4 - t0;
	if (som) {
		t5 = now_ms();
		if ((r = obs_som_png(o, 0, &img, &imglen)) != 0)
			goto out;
		t[R_SOM] = now_ms() - t5;
	}
	S->nmarks = o->nmarks;
	obs_free(S->prev);
	S->prev = o;
	o = NULL;
	r = 0;
out:
	policy_decision_clear(&d);
	free(img);
	obs_free(o);
	return r;
}

/* Prints one contender's rows of the table. */
static void
print_rows(const char *who, const char *const *names, double **v, int n,
    int rounds)
{
	int k;

	for (k = 0; k < n; k++) {
		double med = quantile(v[k], rounds, 0.5);

		printf("| %s: %s | %.1f | %.1f |\n", who, names[k], med,
		    quantile(v[k], rounds, 0.95));
	}
}

static void
usage(void)
{
	fprintf(stderr, "usage: bench/observe [-n rounds] [-s sitedir] "
	    "[-p policy] [-P peerdir]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	static const int nph[C_N] = { F_N, W_N, R_N, P_N };
	struct cdp_launch_params lp;
	struct cdp_page_params pp;
	struct cdp_browser *b = NULL;
	struct cdp_conn *conn = NULL;
	struct site *site = NULL;
	struct peer *peer = NULL;
	struct side S;
	struct obs *o = NULL;
	const struct mark *m;
	const char *sitedir = WEBNAV_SRCDIR "/bench/site", *peerdir = NULL;
	const char *polname = NULL;
	char *cause = NULL, *url = NULL, *json = NULL;
	double *v[C_N][R_N], t[R_N], fx, fy, med[C_N] = { 0, 0, 0, 0 };
	int rounds = 30, ch, i, j, c, k, port, r = 0, rc = 1;

	while ((ch = getopt(argc, argv, "n:P:p:s:")) != -1) {
		switch (ch) {
		case 'n':
			rounds = atoi(optarg);
			break;
		case 'P':
			peerdir = optarg;
			break;
		case 'p':
			polname = optarg;
			break;
		case 's':
			sitedir = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (rounds < 1)
		rounds = 1;
	signal(SIGPIPE, SIG_IGN);
	log_init("bench", 0, LOG_LVL_WARN);
	memset(&S, 0, sizeof(S));
	for (c = 0; c < C_N; c++)
		for (k = 0; k < R_N; k++)
			v[c][k] = xcalloc((size_t)rounds, sizeof(double));

	/* The default policy as webnav run picks it: ranker if it loads. */
	if (polname == NULL) {
		polname = "ranker";
		if (policy_new(polname, NULL, &S.pol, NULL) != 0)
			polname = "lexical";
	}
	if (S.pol == NULL && (r = policy_new(polname, NULL, &S.pol,
	    &cause)) != 0)
		goto fail;
	if ((r = site_start(sitedir, &site, &port, &cause)) != 0)
		goto fail;
	url = xasprintf("http://127.0.0.1:%d/index.html", port);
	json = xasprintf("{\"start_url\":\"%s\",\"goal\":\"" GOAL "\"}",
	    url);
	if ((r = task_parse(json, strlen(json), "bench", &S.task,
	    &cause)) != 0)
		goto fail;
	/* A peer that cannot start is left out, not the whole bench. */
	if (peerdir != NULL && peer_start(peerdir, url, &peer, &cause) != 0) {
		fprintf(stderr, "bench/observe: %s: going on without the "
		    "peer\n", cause);
		free(cause);
		cause = NULL;
	}
	cdp_launch_default_params(&lp);
	if ((r = cdp_browser_launch(&lp, &b, &cause)) != 0)
		goto fail;
	if ((r = cdp_conn_open(cdp_browser_ws_url(b), NULL, &conn,
	    &cause)) != 0)
		goto fail;
	cdp_page_default_params(&pp);
	if ((r = cdp_page_open(conn, &pp, &S.page)) != 0 ||
	    (r = obs_install(S.page)) != 0 ||
	    (r = cdp_page_navigate(S.page, url, 0)) != 0)
		goto fail;

	/* Where the floor clicks: the toggle's centre, found once. */
	if ((r = obs_capture(S.page, NULL, &o, &cause)) != 0)
		goto fail;
	if ((m = toggle_mark(o)) == NULL) {
		cause = xstrdup("no " TARGET " button on the bench page");
		goto fail;
	}
	fx = m->x + m->w / 2;
	fy = m->y + m->h / 2;
	obs_free(o);
	o = NULL;

	for (i = 0; i < rounds; i++) {
		for (j = 0; j < C_N; j++) {
			/* Round i starts with contender i mod C_N. */
			c = (i + j) % C_N;
			memset(t, 0, sizeof(t));
			switch (c) {
			case C_FLOOR:
				r = floor_step(S.page, fx, fy, t);
				break;
			case C_WEBNAV:
				r = webnav_step(&S, policy_needs_pixels(S.pol),
				    0, t, &cause);
				break;
			case C_REC:
				r = webnav_step(&S, 1, 1, t, &cause);
				break;
			default:
				if (peer == NULL)
					continue;
				r = peer_step(peer, t, &cause);
				break;
			}
			if (r != 0)
				goto fail;
			for (k = 0; k < nph[c]; k++)
				v[c][k][i] = t[k];
		}
	}

	printf("bench/observe: %d rounds on %s: %zu marks (webnav)",
	    rounds, url, S.nmarks);
	if (peer != NULL)
		printf(", %d elements (peer: %s)", peer->nels, peer->about);
	printf("; policy %s (%s pixels; chose the toggle %d of %d times)\n\n",
	    polname, policy_needs_pixels(S.pol) ? "reads" : "no",
	    S.chose, 2 * rounds);
	printf("| phase | median ms | p95 ms |\n|---|---:|---:|\n");
	print_rows("floor", floor_names, v[C_FLOOR], F_N, rounds);
	print_rows("webnav", wn_names, v[C_WEBNAV], W_N, rounds);
	print_rows("webnav recording", rec_names, v[C_REC], R_N, rounds);
	if (peer != NULL)
		print_rows("peer", peer_names, v[C_PEER], P_N, rounds);
	/* print_rows() sorted each column: medians of the step totals. */
	med[C_FLOOR] = quantile(v[C_FLOOR][F_TOTAL], rounds, 0.5);
	med[C_WEBNAV] = quantile(v[C_WEBNAV][W_TOTAL], rounds, 0.5);
	med[C_REC] = quantile(v[C_REC][R_TOTAL], rounds, 0.5);
	printf("\nstep medians: floor %.1f ms, webnav %.1f ms, webnav "
	    "recording %.1f ms", med[C_FLOOR], med[C_WEBNAV], med[C_REC]);
	if (peer != NULL) {
		med[C_PEER] = quantile(v[C_PEER][P_TOTAL], rounds, 0.5);
		printf(", peer %.1f ms", med[C_PEER]);
	}
	printf("\nwebnav / floor: %.2f; webnav recording / floor: %.2f\n",
	    med[C_WEBNAV] / med[C_FLOOR], med[C_REC] / med[C_FLOOR]);
	if (peer != NULL)
		printf("webnav / peer: %.2f; webnav recording / peer: %.2f\n",
		    med[C_WEBNAV] / med[C_PEER], med[C_REC] / med[C_PEER]);
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "bench/observe: %s\n", cause != NULL ? cause :
	    conn != NULL ? cdp_conn_error(conn) : err_str(r));
out:
	for (c = 0; c < C_N; c++)
		for (k = 0; k < R_N; k++)
			free(v[c][k]);
	free(cause);
	free(url);
	free(json);
	obs_free(o);
	obs_free(S.prev);
	task_free(S.task);
	policy_free(S.pol);
	peer_stop(peer);
	cdp_page_free(S.page);
	cdp_conn_free(conn);
	cdp_browser_free(b);
	site_stop(site);
	return rc;
}
