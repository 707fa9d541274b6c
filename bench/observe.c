/*
 * bench/observe.c: per-phase cost of a webnav step against the raw
 * DevTools floor, measured in the same run on the same page.
 *
 * Floor (the least a DevTools client can do per step): one
 * Page.captureScreenshot call, one Runtime.evaluate listing interactive
 * elements with their boxes, a click (three Input.dispatchMouseEvent calls)
 * and the same settle.  webnav: obs_capture() (screenshot, decoded, plus
 * marks in every frame), the Set-of-Mark image, action_exec() of a click
 * and cdp_page_settle().  Rounds alternate between the two so drift in the
 * machine affects both alike.  Prints medians and p95 per phase.
 *
 * usage: bench/observe [-n rounds] [-s sitedir]
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "action.h"
#include "cdp.h"
#include "err.h"
#include "log.h"
#include "observe.h"
#include "site.h"
#include "xmalloc.h"

enum { F_SHOT, F_COLLECT, F_CLICK, F_SETTLE, F_TOTAL, F_N };
enum { W_SHOT, W_MARKS, W_SOM, W_ACT, W_SETTLE, W_STEP, W_TOTAL, W_N };

static const char *floor_names[F_N] = {
	"screenshot (PNG, fast)", "collect elements", "click", "settle",
	"step total"
};
static const char *wn_names[W_N] = {
	"screenshot + decode", "marks (all frames)", "Set-of-Mark image",
	"act (click)", "settle", "step without SoM image", "step total"
};

/* The floor's element listing: what a minimal raw client would run. */
static const char floor_js[] =
    "(function(){var o=[];document.querySelectorAll('a[href],button,input,"
    "select,textarea,[role=button],[onclick]').forEach(function(e){"
    "var b=e.getBoundingClientRect();if(b.width>0&&b.height>0&&"
    "b.bottom>0&&b.top<innerHeight)o.push([e.tagName,(e.innerText||"
    "e.value||'').slice(0,80),b.x,b.y,b.width,b.height]);});return o;})()";

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

/* The id of the Filters toggle among the marks. */
static int
toggle_mark(const struct obs *o)
{
	size_t i;

	for (i = 0; i < o->nmarks; i++)
		if (strcmp(o->marks[i].text, "Filters") == 0)
			return o->marks[i].id;
	return 0;
}

int
main(int argc, char **argv)
{
	struct cdp_launch_params lp;
	struct cdp_page_params pp;
	struct cdp_browser *b = NULL;
	struct cdp_conn *conn = NULL;
	struct cdp_page *page = NULL;
	struct site *site = NULL;
	struct obs *o = NULL;
	struct action a;
	const char *sitedir = WEBNAV_SRCDIR "/bench/site";
	char *cause = NULL, *url = NULL;
	double *fl[F_N], *wn[W_N], t0, t1, t2, t3, t4, t5, fx = 0, fy = 0;
	unsigned char *som = NULL;
	size_t somlen, nmarks = 0;
	int rounds = 30, ch, i, k, port, r, rc = 1, id;

	while ((ch = getopt(argc, argv, "n:s:")) != -1) {
		switch (ch) {
		case 'n':
			rounds = atoi(optarg);
			break;
		case 's':
			sitedir = optarg;
			break;
		default:
			fprintf(stderr, "usage: bench/observe [-n rounds] "
			    "[-s sitedir]\n");
			return 2;
		}
	}
	if (rounds < 1)
		rounds = 1;
	log_init("bench", 0, LOG_LVL_WARN);
	for (k = 0; k < F_N; k++)
		fl[k] = xcalloc((size_t)rounds, sizeof(double));
	for (k = 0; k < W_N; k++)
		wn[k] = xcalloc((size_t)rounds, sizeof(double));
	if ((r = site_start(sitedir, &site, &port, &cause)) != 0)
		goto fail;
	cdp_launch_default_params(&lp);
	if ((r = cdp_browser_launch(&lp, &b, &cause)) != 0)
		goto fail;
	if ((r = cdp_conn_open(cdp_browser_ws_url(b), NULL, &conn,
	    &cause)) != 0)
		goto fail;
	cdp_page_default_params(&pp);
	if ((r = cdp_page_open(conn, &pp, &page)) != 0 ||
	    (r = obs_install(page)) != 0)
		goto fail;
	url = xasprintf("http://127.0.0.1:%d/index.html", port);
	if ((r = cdp_page_navigate(page, url, 0)) != 0)
		goto fail;

	/* Where the floor clicks: the toggle's centre, found once. */
	if ((r = obs_capture(page, NULL, &o, &cause)) != 0)
		goto fail;
	if ((id = toggle_mark(o)) == 0) {
		cause = xstrdup("no Filters button on the bench page");
		goto fail;
	}
	fx = o->marks[id - 1].x + o->marks[id - 1].w / 2;
	fy = o->marks[id - 1].y + o->marks[id - 1].h / 2;
	obs_free(o);
	o = NULL;

	for (i = 0; i < rounds; i++) {
		cJSON *res = NULL;

		/* The floor. */
		t0 = now_ms();
		if ((r = cdp_call(conn, cdp_page_session(page),
		    "Page.captureScreenshot", cJSON_Parse("{\"format\":\"png\","
		    "\"optimizeForSpeed\":true}"), 0, &res)) != 0)
			goto fail;
		cJSON_Delete(res);
		t1 = now_ms();
		if ((r = cdp_page_eval(page, floor_js, 0, &res)) != 0)
			goto fail;
		cJSON_Delete(res);
		t2 = now_ms();
		if ((r = cdp_input_click(page, fx, fy, CDP_BUTTON_LEFT,
		    1)) != 0)
			goto fail;
		t3 = now_ms();
		cdp_page_settle(page, 2000, NULL);
		t4 = now_ms();
		fl[F_SHOT][i] = t1 - t0;
		fl[F_COLLECT][i] = t2 - t1;
		fl[F_CLICK][i] = t3 - t2;
		fl[F_SETTLE][i] = t4 - t3;
		fl[F_TOTAL][i] = t4 - t0;

		/* webnav. */
		t0 = now_ms();
		if ((r = obs_capture(page, NULL, &o, &cause)) != 0)
			goto fail;
		t1 = now_ms();
		if ((r = obs_som_png(o, 0, &som, &somlen)) != 0)
			goto fail;
		free(som);
		som = NULL;
		t2 = now_ms();
		memset(&a, 0, sizeof(a));
		a.op = ACT_CLICK;
		a.mark = toggle_mark(o);
		if ((r = action_exec(page, o, &a, &cause)) != 0)
			goto fail;
		t3 = now_ms();
		cdp_page_settle(page, 2000, NULL);
		t4 = now_ms();
		t5 = t4 - t0 - (t2 - t1);
		wn[W_SHOT][i] = o->t.screenshot_ms;
		wn[W_MARKS][i] = o->t.marks_ms;
		wn[W_SOM][i] = t2 - t1;
		wn[W_ACT][i] = t3 - t2;
		wn[W_SETTLE][i] = t4 - t3;
		wn[W_STEP][i] = t5;
		wn[W_TOTAL][i] = t4 - t0;
		nmarks = o->nmarks;
		obs_free(o);
		o = NULL;
	}

	printf("bench/observe: %d rounds, %zu marks on %s\n\n", rounds,
	    nmarks, url);
	printf("| phase | median ms | p95 ms |\n|---|---:|---:|\n");
	for (k = 0; k < F_N; k++) {
		double p95 = quantile(fl[k], rounds, 0.95);

		printf("| floor: %s | %.1f | %.1f |\n", floor_names[k],
		    quantile(fl[k], rounds, 0.5), p95);
	}
	for (k = 0; k < W_N; k++) {
		double p95 = quantile(wn[k], rounds, 0.95);

		printf("| webnav: %s | %.1f | %.1f |\n", wn_names[k],
		    quantile(wn[k], rounds, 0.5), p95);
	}
	printf("\nwebnav step without SoM image / floor step (medians): "
	    "%.2f\n", quantile(wn[W_STEP], rounds, 0.5) /
	    quantile(fl[F_TOTAL], rounds, 0.5));
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "bench/observe: %s\n", cause != NULL ? cause :
	    conn != NULL ? cdp_conn_error(conn) : err_str(r));
out:
	for (k = 0; k < F_N; k++)
		free(fl[k]);
	for (k = 0; k < W_N; k++)
		free(wn[k]);
	free(cause);
	free(url);
	obs_free(o);
	cdp_page_free(page);
	cdp_conn_free(conn);
	cdp_browser_free(b);
	site_stop(site);
	return rc;
}
