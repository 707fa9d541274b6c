/*
 * test-browser.c: pages, frames, input and DOM helpers against real
 * Chromium and the pages in tests/sites/browser (served by tests/sitesrv).
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>

#include <netinet/in.h>

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cdp.h"
#include "err.h"
#include "img.h"
#include "live.h"
#include "log.h"
#include "tap.h"

/* Counts its runs per window: every document must see exactly one. */
#define INIT_JS	"window.__webnavInit = (window.__webnavInit || 0) + 1;"

static struct live L;
static int port_a, port_b;
static char base[64];		/* http://127.0.0.1:A */

/* Monotonic milliseconds. */
static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v, size_t n)
{
	if (n == 0)
		return NAN;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Builds a URL on server A. */
static const char *
url_a(const char *path)
{
	static char u[4][256];
	static int i;

	i = (i + 1) % 4;
	snprintf(u[i], sizeof(u[i]), "%s/%s", base, path);
	return u[i];
}

/* Evaluates expr to a number; NAN on failure. */
static double
eval_num(struct cdp_page *page, const char *expr)
{
	cJSON *v = NULL;
	double d = NAN;
	int r;

	if ((r = cdp_page_eval(page, expr, 5000, &v)) != 0)
		note("eval %s: %s: %s", expr, err_str(r),
		    cdp_conn_error(cdp_page_conn(page)));
	else if (cJSON_IsNumber(v))
		d = v->valuedouble;
	else if (cJSON_IsBool(v))
		d = cJSON_IsTrue(v);
	cJSON_Delete(v);
	return d;
}

/* Evaluates expr to a string (static buffer); "" on failure. */
static const char *
eval_str(struct cdp_page *page, const char *expr)
{
	static char s[4][512];
	static int i;
	cJSON *v = NULL;
	int r;

	i = (i + 1) % 4;
	s[i][0] = '\0';
	if ((r = cdp_page_eval(page, expr, 5000, &v)) != 0)
		note("eval %s: %s: %s", expr, err_str(r),
		    cdp_conn_error(cdp_page_conn(page)));
	else if (cJSON_IsString(v))
		snprintf(s[i], sizeof(s[i]), "%s", v->valuestring);
	cJSON_Delete(v);
	return s[i];
}

/* Evaluates expr to an integer (rounded); LLONG_MIN on failure. */
static long long
eval_int(struct cdp_page *page, const char *expr)
{
	double d = eval_num(page, expr);

	return isfinite(d) ? llround(d) : LLONG_MIN;
}

/* Evaluates expr in frame f to a number. */
static double
frame_num(struct cdp_page *page, const struct cdp_frame *f, const char *expr)
{
	cJSON *v = NULL;
	double d = NAN;
	int r;

	if ((r = cdp_frame_eval(page, f, expr, 5000, &v)) != 0)
		note("frame eval %s: %s: %s", expr, err_str(r),
		    cdp_conn_error(cdp_page_conn(page)));
	else if (cJSON_IsNumber(v))
		d = v->valuedouble;
	cJSON_Delete(v);
	return d;
}

/* Evaluates expr in frame f to a string (static buffer). */
static const char *
frame_str(struct cdp_page *page, const struct cdp_frame *f, const char *expr)
{
	static char s[2][512];
	static int i;
	cJSON *v = NULL;

	i = (i + 1) % 2;
	s[i][0] = '\0';
	if (cdp_frame_eval(page, f, expr, 5000, &v) == 0 && cJSON_IsString(v))
		snprintf(s[i], sizeof(s[i]), "%s", v->valuestring);
	cJSON_Delete(v);
	return s[i];
}

/* Centre of the element matching sel, in viewport CSS px. */
static int
center(struct cdp_page *page, const char *sel, double *xp, double *yp)
{
	char expr[512];

	snprintf(expr, sizeof(expr), "(function () { var r = "
	    "document.querySelector('%s').getBoundingClientRect(); "
	    "return r.left + r.width / 2; })()", sel);
	*xp = eval_num(page, expr);
	snprintf(expr, sizeof(expr), "(function () { var r = "
	    "document.querySelector('%s').getBoundingClientRect(); "
	    "return r.top + r.height / 2; })()", sel);
	*yp = eval_num(page, expr);
	return isfinite(*xp) && isfinite(*yp) ? 0 : -1;
}

/* Polls expr until it is true or ms pass; returns its last value. */
static int
wait_true(struct cdp_page *page, const char *expr, int ms)
{
	double end = now_ms() + ms;
	int quiet;

	for (;;) {
		if (eval_int(page, expr) == 1)
			return 1;
		if (now_ms() > end)
			return 0;
		cdp_page_settle(page, 50, &quiet);
	}
}

/* Settles until the page's generation is gen or ms pass; 1 if it is. */
static int
wait_gen(struct cdp_page *page, int gen, int ms)
{
	double end = now_ms() + ms;
	int quiet;

	while (cdp_page_generation(page) != gen && now_ms() < end)
		cdp_page_settle(page, 50, &quiet);
	if (cdp_page_generation(page) != gen)
		note("generation %d, want %d", cdp_page_generation(page), gen);
	return cdp_page_generation(page) == gen;
}

/* Reads width and height from a PNG's IHDR. */
static int
png_size(const unsigned char *p, size_t n, int *wp, int *hp)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n',
	    0x1a, '\n' };

	if (n < 24 || memcmp(p, sig, 8) != 0 || memcmp(p + 12, "IHDR", 4) != 0)
		return -1;
	*wp = p[16] << 24 | p[17] << 16 | p[18] << 8 | p[19];
	*hp = p[20] << 24 | p[21] << 16 | p[22] << 8 | p[23];
	return 0;
}

/* Returns a loopback TCP port nobody listens on. */
static int
closed_port(void)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd, port;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) == -1) {
		close(fd);
		return -1;
	}
	port = ntohs(sin.sin_port);
	close(fd);
	return port;
}

/*
 * A loopback port that takes connections, keeps what is sent on them and
 * never answers: a request seen here went out of the browser.
 */
#define TRIP_CONNS	64
struct trip {
	int	 fd;
	int	 port;
	int	 conns[TRIP_CONNS];
	size_t	 nconns;
	char	 seen[32768];
	size_t	 nseen;
};

/* Opens a tripwire on an ephemeral loopback port. */
static int
trip_open(struct trip *t)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	memset(t, 0, sizeof(*t));
	if ((t->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)) == -1)
		return -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(t->fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(t->fd, 64) == -1 ||
	    getsockname(t->fd, (struct sockaddr *)&sin, &len) == -1) {
		close(t->fd);
		t->fd = -1;
		return -1;
	}
	t->port = ntohs(sin.sin_port);
	return 0;
}

/* Takes in new connections and what was sent, for ms (0: what is there). */
static void
trip_poll(struct trip *t, int ms)
{
	struct pollfd pfd[TRIP_CONNS + 1];
	double end = now_ms() + ms;
	size_t i, n;
	ssize_t got;
	int fd, left;

	for (;;) {
		pfd[0].fd = t->fd;
		pfd[0].events = POLLIN;
		for (i = 0; i < t->nconns; i++) {
			pfd[i + 1].fd = t->conns[i];
			pfd[i + 1].events = POLLIN;
		}
		n = t->nconns + 1;
		left = (int)(end - now_ms());
		if (poll(pfd, n, left > 0 ? left : 0) <= 0 &&
		    now_ms() >= end)
			return;
		while ((fd = accept4(t->fd, NULL, NULL, SOCK_NONBLOCK)) != -1) {
			if (t->nconns == TRIP_CONNS)
				close(fd);
			else
				t->conns[t->nconns++] = fd;
		}
		for (i = n - 1; i > 0; i--) {
			if (pfd[i].revents == 0)
				continue;
			got = read(pfd[i].fd, t->seen + t->nseen,
			    sizeof(t->seen) - 1 - t->nseen);
			if (got > 0)
				t->nseen += (size_t)got;
			t->seen[t->nseen] = '\0';
			if (got == 0 || (got == -1 && errno != EAGAIN &&
			    errno != EINTR)) {
				/* Closed (or the buffer is full): forget it. */
				close(pfd[i].fd);
				t->conns[i - 1] = t->conns[--t->nconns];
			}
		}
		if (now_ms() >= end)
			return;
	}
}

/* 1 if s was sent to the tripwire. */
static int
trip_got(const struct trip *t, const char *s)
{
	return t->nseen > 0 && strstr(t->seen, s) != NULL;
}

static void
trip_close(struct trip *t)
{
	size_t i;

	for (i = 0; i < t->nconns; i++)
		close(t->conns[i]);
	if (t->fd != -1)
		close(t->fd);
	t->fd = -1;
	t->nconns = 0;
}

static void
test_basics(struct cdp_page *page)
{
	unsigned char *png = NULL, *jpg = NULL;
	size_t png_len = 0, jpg_len = 0;
	struct img im;
	cJSON *v = NULL;
	char *url = NULL;
	double t0, sx = -1, sy = -1;
	int r, id = 0, w = 0, h = 0;

	t0 = now_ms();
	r = cdp_page_navigate(page, url_a("index.html"), 0);
	is_int(r, 0, "navigate to index.html");
	note("navigate + settle: %.0f ms", now_ms() - t0);
	if (r != 0)
		note("%s", cdp_conn_error(cdp_page_conn(page)));
	r = cdp_page_url(page, &url);
	ok(r == 0 && strcmp(url, url_a("index.html")) == 0, "page url is %s",
	    url != NULL ? url : "(none)");
	free(url);
	is_str(eval_str(page, "document.title"), "webnav browser test",
	    "eval document.title");
	is_int(eval_int(page, "window.__webnavInit"), 1,
	    "the init script ran once");
	is_int(eval_int(page, "new Promise(function (ok) { "
	    "setTimeout(function () { ok(42); }, 30); })"), 42,
	    "eval awaits a promise");
	r = cdp_page_eval(page, "(function () { throw new Error('boom'); })()",
	    5000, &v);
	ok(r == ERR_CDP && v == NULL &&
	    strstr(cdp_conn_error(cdp_page_conn(page)), "Error: boom") != NULL,
	    "a thrown exception is ERR_CDP with its text (%s)",
	    cdp_conn_error(cdp_page_conn(page)));
	ok(cdp_page_eval(page, "undefined", 5000, &v) == 0 && cJSON_IsNull(v),
	    "undefined comes back as null");
	cJSON_Delete(v);
	v = NULL;

	is_int(eval_int(page, "innerWidth"), 1280, "innerWidth 1280");
	is_int(eval_int(page, "innerHeight"), 800, "innerHeight 800");
	r = cdp_page_get_viewport(page, &w, &h, &sx, &sy);
	ok(r == 0 && w == 1280 && h == 800 && fabs(sx) < 0.5 && fabs(sy) < 0.5,
	    "get_viewport 1280x800 at 0,0 (got %dx%d at %g,%g)", w, h, sx, sy);

	r = cdp_page_screenshot(page, CDP_IMG_PNG, 0, 1, &png, &png_len);
	is_int(r, 0, "PNG screenshot");
	memset(&im, 0, sizeof(im));
	r = png != NULL ? img_decode_png(png, png_len, 0, &im) : -1;
	ok(r == 0 && im.w == 1280 && im.h == 800,
	    "screenshot decodes as a 1280x800 PNG (%dx%d, %zu bytes)",
	    im.w, im.h, png_len);
	img_free(&im);
	r = cdp_page_screenshot(page, CDP_IMG_JPEG, 80, 0, &jpg, &jpg_len);
	ok(r == 0 && jpg_len > 4 && jpg[0] == 0xff && jpg[1] == 0xd8 &&
	    jpg[jpg_len - 2] == 0xff && jpg[jpg_len - 1] == 0xd9,
	    "JPEG screenshot has SOI and EOI markers (%zu bytes)", jpg_len);
	free(png);
	free(jpg);
	png = NULL;

	/* A capture started, an evaluation meanwhile, the image after. */
	w = h = 0;
	r = cdp_page_screenshot_start(page, CDP_IMG_PNG, 0, 1, &id);
	if (r == 0) {
		if (cdp_page_eval(page, "6 * 7", 5000, &v) != 0 ||
		    !cJSON_IsNumber(v) || v->valueint != 42)
			r = -1;
		if (cdp_page_screenshot_finish(page, id, &png, &png_len) != 0)
			r = -1;
	}
	if (r == 0)
		png_size(png, png_len, &w, &h);
	ok(r == 0 && w == 1280 && h == 800, "a screenshot started before an "
	    "eval is collected after it (%dx%d)", w, h);
	cJSON_Delete(v);
	v = NULL;
	free(png);
	png = NULL;
	r = cdp_page_screenshot_start(page, CDP_IMG_PNG, 0, 1, &id);
	ok(r == 0 && cdp_page_set_viewport(page, 800, 600, 1) == ERR_INVALID,
	    "no viewport change while a screenshot is being captured");
	if (r == 0)
		r = cdp_page_screenshot_finish(page, id, NULL, NULL);
	ok(r == 0 && cdp_page_screenshot_finish(page, id, &png,
	    &png_len) == ERR_INVALID && png == NULL &&
	    eval_int(page, "1 + 1") == 2, "a discarded screenshot cannot be "
	    "collected, and the page goes on");

	ok(cdp_page_set_viewport(page, 800, 600, 1) == 0,
	    "set viewport 800x600");
	ok(eval_int(page, "innerWidth") == 800 &&
	    eval_int(page, "innerHeight") == 600, "innerWidth/Height follow");
	w = h = 0;
	r = cdp_page_screenshot(page, CDP_IMG_PNG, 0, 1, &png, &png_len);
	if (r == 0)
		png_size(png, png_len, &w, &h);
	ok(r == 0 && w == 800 && h == 600, "screenshot is 800x600 (%dx%d)",
	    w, h);
	free(png);
	png = NULL;
	w = h = 0;
	r = cdp_page_set_viewport(page, 1280, 800, 2);
	if (r == 0)
		r = cdp_page_screenshot(page, CDP_IMG_PNG, 0, 1, &png,
		    &png_len);
	if (r == 0)
		png_size(png, png_len, &w, &h);
	ok(r == 0 && w == 2560 && h == 1600 &&
	    eval_int(page, "devicePixelRatio") == 2,
	    "scale 2 gives a 2560x1600 screenshot (%dx%d)", w, h);
	free(png);
	ok(cdp_page_set_viewport(page, 1280, 800, 1) == 0 &&
	    eval_int(page, "innerWidth") == 1280, "viewport back to 1280x800");
	is_int(cdp_page_set_viewport(page, 0, 800, 1), ERR_INVALID,
	    "a zero-width viewport is ERR_INVALID");
}

static void
test_input(struct cdp_page *page)
{
	const char *paths[1];
	char tmp[] = "/tmp/webnav-upload-XXXXXX";
	double x, y, t0, el, sy = -1;
	int fd, r, quiet = -1;

	if (center(page, "#btn", &x, &y) != 0) {
		ok(0, "button found");
		return;
	}
	ok(cdp_input_click(page, x, y, CDP_BUTTON_LEFT, 1) == 0, "click");
	is_int(eval_int(page, "log.clicks"), 1, "click fired the handler");
	is_int(eval_int(page, "log.trusted"), 1, "the click is trusted");
	ok(cdp_input_click(page, x + 80, y, CDP_BUTTON_LEFT, 1) == 0 &&
	    eval_int(page, "log.clicks") == 1,
	    "a click beside the button does not fire it");
	center(page, "#dbl", &x, &y);
	ok(cdp_input_click(page, x, y, CDP_BUTTON_LEFT, 2) == 0 &&
	    eval_int(page, "log.dbl") == 1, "double click fires dblclick");
	center(page, "#hov", &x, &y);
	ok(cdp_input_hover(page, x, y) == 0 && eval_int(page, "log.over") >= 1,
	    "hover fires mouseover");
	center(page, "#btn", &x, &y);
	ok(cdp_input_mouse_down(page, x, y, CDP_BUTTON_LEFT, 1) == 0 &&
	    cdp_input_mouse_up(page, x, y, CDP_BUTTON_LEFT, 1) == 0 &&
	    eval_int(page, "log.clicks") == 2, "mouse down + up is a click");

	center(page, "#t1", &x, &y);
	cdp_input_click(page, x, y, CDP_BUTTON_LEFT, 1);
	is_str(eval_str(page, "document.activeElement.id"), "t1",
	    "click focuses the input");
	ok(cdp_input_insert_text(page, "hello wörld") == 0 &&
	    strcmp(eval_str(page, "t1.value"), "hello wörld") == 0,
	    "insertText lands in the input");
	ok(cdp_input_key(page, "a", CDP_MOD_CTRL) == 0 &&
	    eval_int(page, "t1.selectionStart == 0 && "
	    "t1.selectionEnd == t1.value.length") == 1, "ctrl+a selects all");
	ok(cdp_input_key(page, "x", 0) == 0 &&
	    cdp_input_key(page, "Y", 0) == 0 &&
	    cdp_input_key(page, "z", CDP_MOD_SHIFT) == 0 &&
	    cdp_input_key(page, "?", 0) == 0 &&
	    cdp_input_key(page, "Space", 0) == 0 &&
	    cdp_input_key(page, "7", 0) == 0,
	    "typing characters");
	is_str(eval_str(page, "t1.value"), "xYZ? 7",
	    "typed characters replaced the selection");
	ok(cdp_input_key(page, "Backspace", 0) == 0 &&
	    cdp_input_key(page, "ArrowLeft", 0) == 0 &&
	    cdp_input_key(page, "Home", 0) == 0 &&
	    cdp_input_key(page, "Delete", 0) == 0 &&
	    strcmp(eval_str(page, "t1.value"), "YZ? ") == 0,
	    "Backspace, ArrowLeft, Home, Delete edit (%s)",
	    eval_str(page, "t1.value"));
	ok(cdp_input_key(page, "Tab", 0) == 0 &&
	    strcmp(eval_str(page, "document.activeElement.id"), "t2") == 0,
	    "Tab moves the focus to the next input");
	ok(cdp_input_key(page, "Tab", CDP_MOD_SHIFT) == 0 &&
	    strcmp(eval_str(page, "document.activeElement.id"), "t1") == 0,
	    "Shift+Tab moves it back");
	ok(cdp_input_key(page, "Escape", 0) == 0 &&
	    cdp_input_key(page, "ArrowDown", 0) == 0 &&
	    eval_int(page, "log.keys.indexOf('Escape') >= 0 && "
	    "log.keys.indexOf('ArrowDown') >= 0") == 1,
	    "Escape and ArrowDown reach keydown listeners");
	ok(cdp_input_key(page, "Enter", 0) == 0 &&
	    eval_int(page, "log.submits") == 1, "Enter submits the form");
	is_int(cdp_input_key(page, "NoSuchKey", 0), ERR_INVALID,
	    "unknown key name is ERR_INVALID");
	is_int(cdp_input_key(page, "ab", 0), ERR_INVALID,
	    "two characters are not a key");

	/* Wheel scrolling. */
	ok(cdp_input_scroll(page, 640, 400, 0, 600) == 0, "wheel scroll");
	r = wait_true(page, "scrollY >= 590", 3000);
	ok(r, "scrollY is %g", eval_num(page, "scrollY"));
	r = cdp_page_get_viewport(page, NULL, NULL, NULL, &sy);
	ok(r == 0 && sy >= 590 && fabs(sy - eval_num(page, "scrollY")) < 1,
	    "get_viewport reports the scroll (%g)", sy);
	eval_int(page, "scrollTo(0, 0), 1");

	/* File upload. */
	if ((fd = mkstemp(tmp)) != -1) {
		if (write(fd, "upload\n", 7) != 7)
			note("short write to %s", tmp);
		close(fd);
	}
	paths[0] = tmp;
	r = cdp_dom_set_files(page, NULL, "document.getElementById('file')",
	    paths, 1);
	is_int(r, 0, "set files");
	is_str(eval_str(page, "document.getElementById('file').files[0].name"),
	    strrchr(tmp, '/') + 1, "input.files[0].name is the file's");
	is_int(eval_int(page, "document.getElementById('file').files[0].size"),
	    7, "and its size");
	is_int(eval_int(page, "log.files"), 1, "change event fired");
	paths[0] = "/nonexistent/file";
	is_int(cdp_dom_set_files(page, NULL, "document.getElementById('file')",
	    paths, 1), ERR_NOTFOUND, "a missing file is ERR_NOTFOUND");
	paths[0] = tmp;
	is_int(cdp_dom_set_files(page, NULL, "document.body.nothing", paths, 1),
	    ERR_NOTFOUND, "an expression that is no element is ERR_NOTFOUND");
	unlink(tmp);

	/* A click that navigates; the next page fetches after load. */
	center(page, "#nav", &x, &y);
	t0 = now_ms();
	r = cdp_input_click(page, x, y, CDP_BUTTON_LEFT, 1);
	if (r == 0)
		r = cdp_page_settle(page, 5000, &quiet);
	el = now_ms() - t0;
	ok(r == 0 && quiet == 1,
	    "settle after a navigating click is quiet (%.0f ms)", el);
	is_str(eval_str(page, "document.getElementById('where') && "
	    "document.getElementById('where').textContent"), "next page",
	    "the click navigated");
	is_str(eval_str(page, "String(window.lateDone)"), "slow 400\n",
	    "settle waited for the fetch started after load");
	t0 = now_ms();
	quiet = -1;
	r = cdp_page_settle(page, 2000, &quiet);
	el = now_ms() - t0;
	ok(r == 0 && quiet == 1 && el < 1500, "settle on a quiet page "
	    "returns after the quiet window (%.0f ms)", el);
}

/* Expected content origin of frame f from the DOM of its parent. */
static int
expected_origin(struct cdp_page *page, const struct cdp_frame *frames,
    size_t n, const struct cdp_frame *f, double *xp, double *yp)
{
	const struct cdp_frame *p = NULL;
	char expr[1024], name[128];
	double px, py;
	size_t i;

	for (i = 0; i < n; i++)
		if (frames[i].frame_id != NULL && f->parent_id != NULL &&
		    strcmp(frames[i].frame_id, f->parent_id) == 0)
			p = &frames[i];
	if (p == NULL)
		return -1;
	if (cdp_frame_offset(page, p, &px, &py) != 0)
		return -1;
	snprintf(name, sizeof(name), "%s", frame_str(page, f, "window.name"));
	snprintf(expr, sizeof(expr), "(function () { var e = "
	    "document.querySelector('iframe[name=\"%s\"]'), "
	    "r = e.getBoundingClientRect(), s = getComputedStyle(e); "
	    "return r.left + parseFloat(s.borderLeftWidth) + "
	    "parseFloat(s.paddingLeft); })()", name);
	*xp = px + frame_num(page, p, expr);
	snprintf(expr, sizeof(expr), "(function () { var e = "
	    "document.querySelector('iframe[name=\"%s\"]'), "
	    "r = e.getBoundingClientRect(), s = getComputedStyle(e); "
	    "return r.top + parseFloat(s.borderTopWidth) + "
	    "parseFloat(s.paddingTop); })()", name);
	*yp = py + frame_num(page, p, expr);
	return isfinite(*xp) && isfinite(*yp) ? 0 : -1;
}

/* Checks every frame's offset against its owner's DOM box. */
static void
check_offsets(struct cdp_page *page, const char *when)
{
	struct cdp_frame *frames = NULL;
	size_t n = 0, i;
	double x, y, ex, ey;
	int bad = 0;

	if (cdp_page_frames(page, &frames, &n) != 0) {
		ok(0, "frames %s", when);
		return;
	}
	for (i = 1; i < n; i++) {
		if (cdp_frame_offset(page, &frames[i], &x, &y) != 0 ||
		    expected_origin(page, frames, n, &frames[i], &ex,
		    &ey) != 0) {
			note("frame %zu: offset failed: %s", i,
			    cdp_conn_error(cdp_page_conn(page)));
			bad++;
			continue;
		}
		if (fabs(x - ex) > 1 || fabs(y - ey) > 1) {
			note("frame %s: offset %g,%g want %g,%g",
			    frames[i].url, x, y, ex, ey);
			bad++;
		}
	}
	ok(bad == 0 && n == 5, "%zu frame offsets match the iframe boxes %s",
	    n - 1, when);
	cdp_frames_free(frames, n);
}

static void
test_frames(struct cdp_page *page)
{
	struct cdp_frame *frames = NULL;
	char path[64], want[256];
	size_t n = 0, i, j;
	double x = -1, y = -1;
	int r, order = 1, ctx = 1, evals = 1, oopif = 0, init = 1;

	snprintf(path, sizeof(path), "frames.html?b=%d", port_b);
	is_int(cdp_page_navigate(page, url_a(path), 0), 0,
	    "navigate to frames.html");
	/* Nested cross-site frames attach one after another. */
	wait_true(page, "1", 10);
	r = cdp_page_frames(page, &frames, &n);
	ok(r == 0 && n == 5, "5 frames listed (%zu)", n);
	for (i = 0; i < n; i++) {
		note("frame %zu depth %d ctx %d %s %s", i, frames[i].depth,
		    frames[i].context_id, frames[i].session, frames[i].url);
		if (frames[i].context_id == 0)
			ctx = 0;
		/* Parents before children. */
		if (i == 0 && (frames[i].parent_id != NULL ||
		    frames[i].depth != 0))
			order = 0;
		for (j = i; i > 0 && j < n; j++)
			if (strcmp(frames[j].frame_id, frames[i].parent_id) ==
			    0)
				order = 0;
		if (strcmp(frames[i].session, frames[0].session) != 0)
			oopif++;
		if (strcmp(frame_str(page, &frames[i], "location.href"),
		    frames[i].url) != 0)
			evals = 0;
		if (!(fabs(frame_num(page, &frames[i],
		    "window.__webnavInit") - 1) < 0.5))
			init = 0;
	}
	ok(order, "parents come before children");
	ok(ctx, "every frame has a context id");
	ok(evals, "frame eval runs in each frame (location.href == url)");
	ok(init, "the init script ran once in every frame, OOPIFs included");
	ok(oopif == 2, "the cross-site frame and its child have their own "
	    "sessions (%d)", oopif);
	snprintf(want, sizeof(want), "http://localhost:%d/child.html?leaf=%d",
	    port_b, port_a);
	for (i = 0; i < n; i++)
		if (strcmp(frames[i].url, want) == 0)
			break;
	ok(i < n && frames[i].depth == 1 &&
	    frame_num(page, &frames[i], "document.body.childElementCount") >= 2,
	    "cross-site frame listed at depth 1 and evaluable");
	ok(cdp_frame_offset(page, &frames[0], &x, &y) == 0 && fabs(x) < 0.01 &&
	    fabs(y) < 0.01,
	    "top frame offset is 0,0");
	cdp_frames_free(frames, n);
	check_offsets(page, "unscrolled");
	eval_int(page, "scrollTo(0, 37), scrollY");
	check_offsets(page, "scrolled by 37 px");
}

/* Target.attachedToTarget events seen, per target id. */
struct attach_count {
	char	 target[8][64];
	int	 n[8];
	size_t	 ntargets;
	int	 overflow;
};

/* Connection listener: counts attaches (tabs, OOPIFs) per target. */
static void
count_attach(void *arg, const char *session, const char *method,
    const cJSON *params)
{
	struct attach_count *ac = arg;
	const cJSON *ti = cJSON_GetObjectItemCaseSensitive(params,
	    "targetInfo");
	const cJSON *tid = cJSON_GetObjectItemCaseSensitive(ti, "targetId");
	size_t i;

	(void)session;
	if (strcmp(method, "Target.attachedToTarget") != 0 ||
	    !cJSON_IsString(tid))
		return;
	for (i = 0; i < ac->ntargets; i++)
		if (strcmp(ac->target[i], tid->valuestring) == 0)
			break;
	if (i == ac->ntargets) {
		if (i == 8) {
			ac->overflow = 1;
			return;
		}
		snprintf(ac->target[i], sizeof(ac->target[i]), "%s",
		    tid->valuestring);
		ac->ntargets++;
	}
	ac->n[i]++;
}

/* How many times target tid was attached. */
static int
attaches(const struct attach_count *ac, const char *tid)
{
	size_t i;

	for (i = 0; i < ac->ntargets; i++)
		if (strcmp(ac->target[i], tid) == 0)
			return ac->n[i];
	return 0;
}

/*
 * A page opened while another one discovers targets, with cross-site
 * frames and a popup: one session per target, and the frames' document
 * requests (reported by one session, finished in another) do not hold up
 * settling.
 */
static void
test_oopif_sessions(void)
{
	struct cdp_page_params pp;
	struct cdp_page *page = NULL;
	struct cdp_frame *frames = NULL;
	struct attach_count ac;
	char path[64], tab0[64];
	size_t n = 0, i;
	double t0, el, x, y;
	int h, r, quiet = -1, once = 1, noopif = 0;

	memset(&ac, 0, sizeof(ac));
	h = cdp_conn_listen(L.conn, count_attach, &ac);
	cdp_page_default_params(&pp);
	/* Settling held up by a lost request would take all of this. */
	pp.settle_max_ms = 10000;
	if (cdp_page_open(L.conn, &pp, &page) != 0) {
		ok(0, "open a page for the OOPIF tests: %s",
		    cdp_conn_error(L.conn));
		cdp_conn_unlisten(L.conn, h);
		return;
	}
	snprintf(tab0, sizeof(tab0), "%s", cdp_page_target(page));
	ok(cdp_page_generation(page) == 0 && attaches(&ac, tab0) == 1,
	    "a page opened beside a discovering one attaches its tab once "
	    "(%d) and follows no other tab (generation %d)",
	    attaches(&ac, tab0), cdp_page_generation(page));

	snprintf(path, sizeof(path), "frames.html?b=%d", port_b);
	t0 = now_ms();
	r = cdp_page_navigate(page, url_a(path), 0);
	el = now_ms() - t0;
	ok(r == 0 && el < 4000, "navigate to a page with cross-site frames "
	    "settles without waiting out settle_max_ms (%.0f ms)", el);
	t0 = now_ms();
	r = cdp_page_settle(page, 5000, &quiet);
	el = now_ms() - t0;
	ok(r == 0 && quiet == 1 && el < 1500, "and it is quiet afterwards "
	    "(%.0f ms)", el);
	if (cdp_page_frames(page, &frames, &n) == 0) {
		for (i = 1; i < n; i++) {
			if (strcmp(frames[i].session, frames[0].session) == 0)
				continue;
			noopif++;
			if (attaches(&ac, frames[i].frame_id) != 1) {
				note("frame %s attached %d times",
				    frames[i].url,
				    attaches(&ac, frames[i].frame_id));
				once = 0;
			}
		}
		cdp_frames_free(frames, n);
	}
	ok(noopif == 2 && once && !ac.overflow,
	    "each of the %d cross-site frames is attached once", noopif);

	is_int(cdp_page_navigate(page, url_a("popup.html"), 0), 0,
	    "navigate to popup.html");
	center(page, "#blank", &x, &y);
	r = cdp_input_click(page, x, y, CDP_BUTTON_LEFT, 1);
	if (r == 0)
		r = cdp_page_settle(page, 5000, &quiet);
	ok(r == 0 && cdp_page_generation(page) == 1 &&
	    strcmp(cdp_page_target(page), tab0) != 0 &&
	    attaches(&ac, cdp_page_target(page)) == 1,
	    "the popup is followed and attached once (%d)",
	    attaches(&ac, cdp_page_target(page)));
	cdp_page_free(page);
	cdp_conn_unlisten(L.conn, h);
}

static void
test_popups(struct cdp_page *page)
{
	char *url = NULL;
	double x, y;
	int gen, quiet = 0;
	const char *tab;
	char tab0[128];

	is_int(cdp_page_navigate(page, url_a("popup.html"), 0), 0,
	    "navigate to popup.html");
	snprintf(tab0, sizeof(tab0), "%s", cdp_page_target(page));
	gen = cdp_page_generation(page);
	center(page, "#blank", &x, &y);
	ok(cdp_input_click(page, x, y, CDP_BUTTON_LEFT, 1) == 0 &&
	    cdp_page_settle(page, 5000, &quiet) == 0, "click a target=_blank "
	    "link and settle");
	is_int(cdp_page_generation(page), gen + 1, "generation incremented");
	tab = cdp_page_target(page);
	ok(strcmp(tab, tab0) != 0, "the page follows the new tab");
	is_str(eval_str(page, "location.pathname"), "/popped.html",
	    "eval runs in the new tab");
	/* Popups are not paused: late scripts run at once (maybe twice). */
	ok(eval_int(page, "window.__webnavInit") >= 1,
	    "the init script ran in the new tab");
	ok(cdp_page_url(page, &url) == 0 && strstr(url, "/popped.html") !=
	    NULL, "url is the new tab's");
	free(url);
	is_int(eval_int(page, "innerWidth"), 1280, "the new tab has the "
	    "page's viewport");

	/* window.open from the new tab, then window.close() in the third. */
	ok(eval_int(page, "!!window.open('/leaf.html')") == 1 &&
	    cdp_page_settle(page, 5000, &quiet) == 0 &&
	    cdp_page_generation(page) == gen + 2 &&
	    strcmp(eval_str(page, "location.pathname"), "/leaf.html") == 0 &&
	    eval_int(page, "window.__webnavInit") >= 1,
	    "window.open is followed too, with the init script");
	/* The tab closes after the script has run: wait for that. */
	ok(eval_int(page, "window.close(), 1") == 1 &&
	    wait_gen(page, gen + 3, 5000) &&
	    strcmp(eval_str(page, "location.pathname"), "/popped.html") == 0,
	    "when it closes, the page goes back to its opener");
}

static void
test_dialogs(struct cdp_page *page)
{
	const char *last = NULL;
	double x, y, t0, el;
	cJSON *v = NULL;
	int n0, r, quiet;

	is_int(cdp_page_navigate(page, url_a("dialogs.html"), 0), 0,
	    "navigate to dialogs.html");
	n0 = cdp_page_dialogs(page, NULL);
	center(page, "#alert", &x, &y);
	t0 = now_ms();
	r = cdp_input_click(page, x, y, CDP_BUTTON_LEFT, 1);
	if (r == 0)
		r = cdp_page_settle(page, 2000, &quiet);
	el = now_ms() - t0;
	ok(r == 0 && el < 2500, "a click that opens alert() returns (%.0f ms)",
	    el);
	r = cdp_page_dialogs(page, &last);
	ok(r == n0 + 1 && strcmp(last, "hello from alert") == 0,
	    "the alert was answered and recorded (%s)", last);
	is_str(eval_str(page, "results.join()"), "after-alert",
	    "the page went on after the alert");
	is_int(eval_int(page, "confirm('sure?')"), 1, "confirm() is accepted");
	is_str(eval_str(page, "prompt('name?', 'x')"), "webnav",
	    "prompt() gets the configured text");
	is_int(cdp_page_dialogs(page, &last), n0 + 3, "three dialogs so far");
	is_str(last, "name?", "last dialog message");
	/* The click gave the page a user activation: beforeunload fires. */
	t0 = now_ms();
	r = cdp_page_navigate(page, url_a("index.html"), 5000);
	el = now_ms() - t0;
	ok(r == 0 && el < 4000, "navigating away past a "
	    "beforeunload handler does not hang (%.0f ms)", el);
	is_int(cdp_page_dialogs(page, NULL), n0 + 4,
	    "the beforeunload dialog was answered");
	is_str(eval_str(page, "document.title"), "webnav browser test",
	    "and the navigation went through");
	r = cdp_page_eval(page, "new Promise(function (ok) { "
	    "setTimeout(function () { alert('later'); ok(7); }, 20); })",
	    5000, &v);
	ok(r == 0 && cJSON_IsNumber(v) && v->valueint == 7,
	    "an alert during an eval does not wedge it");
	cJSON_Delete(v);
}

static void
test_contexts(struct cdp_page *page)
{
	struct cdp_page_params pp;
	struct cdp_page *p2 = NULL, *p3 = NULL;
	unsigned char *png = NULL;
	size_t len;
	double x, y, t0, el;
	int r;

	cdp_page_default_params(&pp);
	ok(cdp_page_open(L.conn, &pp, &p2) == 0, "second page");
	if (p2 == NULL)
		return;
	ok(strcmp(cdp_page_session(page), cdp_page_session(p2)) != 0,
	    "its own session");
	is_int(cdp_page_navigate(page, url_a("leaf.html"), 0), 0,
	    "first page at leaf.html");
	is_int(cdp_page_navigate(p2, url_a("leaf.html"), 0), 0,
	    "second page at leaf.html");
	eval_int(page, "localStorage.setItem('k', 'one'), "
	    "document.cookie = 'c=1; path=/', 1");
	is_str(eval_str(page, "localStorage.getItem('k') + document.cookie"),
	    "onec=1", "first page stored an item and a cookie");
	is_str(eval_str(p2, "String(localStorage.getItem('k')) + "
	    "'/' + document.cookie"), "null/",
	    "the second page sees neither");
	/*
	 * The second page came to the front last; the first must still
	 * get animation frames and input (each context has its own window).
	 */
	is_int(cdp_page_navigate(page, url_a("index.html"), 0), 0,
	    "first page at index.html");
	center(page, "#btn", &x, &y);
	t0 = now_ms();
	r = cdp_input_click(page, x, y, CDP_BUTTON_LEFT, 1);
	el = now_ms() - t0;
	ok(r == 0 && eval_int(page, "log.clicks") == 1 && el < 500,
	    "a click on the page not in front is not stalled (%.0f ms)", el);
	r = cdp_page_screenshot(page, CDP_IMG_PNG, 0, 1, &png, &len);
	ok(r == 0, "and it can take a screenshot");
	free(png);
	cdp_page_free(p2);
	is_str(eval_str(page, "localStorage.getItem('k')"), "one",
	    "the first page still works after the second is freed");

	/* Two pages in the default context share state, not windows. */
	pp.own_context = 0;
	p2 = p3 = NULL;
	ok(cdp_page_open(L.conn, &pp, &p2) == 0 &&
	    cdp_page_open(L.conn, &pp, &p3) == 0, "two pages without a "
	    "context of their own");
	if (p2 == NULL || p3 == NULL) {
		cdp_page_free(p2);
		cdp_page_free(p3);
		return;
	}
	ok(cdp_page_navigate(p2, url_a("index.html"), 0) == 0 &&
	    cdp_page_navigate(p3, url_a("leaf.html"), 0) == 0,
	    "both navigate");
	eval_int(p3, "localStorage.setItem('shared', 'yes'), 1");
	is_str(eval_str(p2, "String(localStorage.getItem('shared'))"), "yes",
	    "they share the default context's storage");
	center(p2, "#btn", &x, &y);
	t0 = now_ms();
	r = cdp_input_click(p2, x, y, CDP_BUTTON_LEFT, 1);
	el = now_ms() - t0;
	ok(r == 0 && eval_int(p2, "log.clicks") == 1 && el < 500,
	    "a click on the one not in front is not stalled (%.0f ms)", el);
	cdp_page_free(p3);
	cdp_page_free(p2);
}

static void
test_failures(struct cdp_page *page)
{
	char u[128];
	double t0, el;
	int r, port, quiet;

	if ((port = closed_port()) == -1) {
		ok(0, "a closed port");
		return;
	}
	snprintf(u, sizeof(u), "http://127.0.0.1:%d/", port);
	r = cdp_page_navigate(page, u, 5000);
	is_int(r, ERR_NAV, "a closed port is ERR_NAV");
	ok(strstr(cdp_conn_error(cdp_page_conn(page)),
	    "net::ERR_CONNECTION_REFUSED") != NULL &&
	    strstr(cdp_conn_error(cdp_page_conn(page)), u) != NULL,
	    "cause names the error and URL: %s",
	    cdp_conn_error(cdp_page_conn(page)));

	/*
	 * Long enough for the document itself to come on a loaded machine:
	 * what never comes is its image.
	 */
	t0 = now_ms();
	r = cdp_page_navigate(page, url_a("hang.html"), 4000);
	el = now_ms() - t0;
	is_int(r, ERR_TIMEOUT, "a page whose load never fires is ERR_TIMEOUT");
	ok(el >= 3900 && el < 7000, "at the deadline (%.0f ms)", el);
	ok(strstr(cdp_conn_error(cdp_page_conn(page)),
	    "did not finish loading within 4000 ms") != NULL, "cause: %s",
	    cdp_conn_error(cdp_page_conn(page)));
	is_str(eval_str(page, "document.title"), "hang",
	    "the page is usable afterwards");
	t0 = now_ms();
	quiet = -1;
	r = cdp_page_settle(page, 5000, &quiet);
	el = now_ms() - t0;
	ok(r == 0 && quiet == 1 && el < 1500,
	    "and quiet: the stopped request no longer counts (%.0f ms)", el);

	t0 = now_ms();
	r = cdp_page_navigate(page, url_a("__hang"), 1000);
	el = now_ms() - t0;
	ok(r == ERR_TIMEOUT && el >= 900 && el < 3500,
	    "a document that never comes is ERR_TIMEOUT (%.0f ms)", el);
	is_int(cdp_page_navigate(page, url_a("index.html"), 0), 0,
	    "the page navigates normally afterwards");
	is_str(eval_str(page, "document.title"), "webnav browser test",
	    "and evaluates");
	is_int(cdp_page_navigate(page, "", 0), ERR_INVALID,
	    "an empty URL is ERR_INVALID");
	r = cdp_page_navigate(page, "http://[::1", 0);
	ok(r == ERR_NAV && strstr(cdp_conn_error(cdp_page_conn(page)),
	    "http://[::1") != NULL, "a malformed URL is ERR_NAV (%s)",
	    cdp_conn_error(cdp_page_conn(page)));
	is_int(cdp_page_navigate(page, url_a("no-such-page.html"), 0), 0,
	    "a 404 page is not a navigation error");
}

/* 1 if cdp_page_url() is want (notes what it is otherwise). */
static int
page_url_is(struct cdp_page *page, const char *want)
{
	char *url = NULL;
	int r, same;

	if ((r = cdp_page_url(page, &url)) != 0) {
		note("cdp_page_url: %s", err_str(r));
		return 0;
	}
	if (!(same = strcmp(url, want) == 0))
		note("page URL %s, want %s", url, want);
	free(url);
	return same;
}

/* URL filter for the tests: blocks popped.html and leaf.html. */
static int
filter_urls(void *arg, const char *url)
{
	(*(int *)arg)++;
	return strstr(url, "popped") != NULL || strstr(url, "leaf") != NULL;
}

static void
test_filter(struct cdp_page *page)
{
	const char *last = NULL;
	double x, y;
	int asked = 0, n0, gen, r, quiet;

	is_int(cdp_page_navigate(page, url_a("index.html"), 0), 0,
	    "navigate to index.html");
	n0 = cdp_page_blocked(page, NULL);
	is_int(cdp_page_set_url_filter(page, filter_urls, &asked), 0,
	    "set a URL filter");
	r = cdp_page_navigate(page, url_a("popped.html"), 0);
	ok(r == ERR_NAV && strstr(cdp_conn_error(cdp_page_conn(page)),
	    "net::ERR_BLOCKED_BY_CLIENT") != NULL,
	    "a blocked URL is ERR_NAV (%s)",
	    cdp_conn_error(cdp_page_conn(page)));
	r = cdp_page_blocked(page, &last);
	ok(r == n0 + 1 && strcmp(last, url_a("popped.html")) == 0,
	    "blocked once, last %s", last);
	ok(asked >= 1, "the filter was asked (%d)", asked);
	/* Chromium shows the refusal under the refused URL. */
	ok(page_url_is(page, url_a("index.html")), "after the refusal the "
	    "page's URL is still the last one loaded");
	is_int(cdp_page_navigate(page, url_a("child.html"), 0), 0,
	    "an allowed page with a blocked iframe loads");
	is_int(cdp_page_blocked(page, NULL), n0 + 2,
	    "the iframe's document was blocked");
	ok(eval_int(page, "document.querySelector('iframe').contentDocument "
	    "=== null") == 1, "the iframe shows an error page");
	ok(page_url_is(page, url_a("child.html")), "a refused iframe does not "
	    "change the page's URL");
	eval_int(page, "setTimeout(function () { "
	    "location.href = '/leaf.html#x'; }, 0), 1");
	r = cdp_page_settle(page, 3000, &quiet);
	ok(r == 0 && cdp_page_blocked(page, NULL) == n0 + 3 &&
	    page_url_is(page, url_a("child.html")), "a refused navigation "
	    "from script leaves the URL too");
	n0++;
	r = cdp_page_navigate(page, url_a("__redirect?to=/leaf.html"), 0);
	ok(r == ERR_NAV && cdp_page_blocked(page, NULL) == n0 + 3,
	    "a redirect to a blocked URL is blocked");
	ok(page_url_is(page, url_a("child.html")), "and the page's URL stays");

	is_int(cdp_page_navigate(page, url_a("popup.html"), 0), 0,
	    "navigate to popup.html");
	gen = cdp_page_generation(page);
	center(page, "#blank", &x, &y);
	r = cdp_input_click(page, x, y, CDP_BUTTON_LEFT, 1);
	if (r == 0)
		r = cdp_page_settle(page, 3000, &quiet);
	/*
	 * Its first document escapes Fetch (the popup is not paused): it
	 * may be followed for a moment before it is closed.
	 */
	gen = cdp_page_generation(page) - gen;
	ok(r == 0 && cdp_page_blocked(page, NULL) == n0 + 4 &&
	    (gen == 0 || gen == 2) &&
	    strcmp(eval_str(page, "location.pathname"), "/popup.html") == 0,
	    "a popup to a blocked URL is closed; the page stays on its opener "
	    "(generation +%d)", gen);

	is_int(cdp_page_set_url_filter(page, NULL, NULL), 0,
	    "remove the filter");
	is_int(cdp_page_navigate(page, url_a("popped.html"), 0), 0,
	    "the URL is allowed again");
	ok(page_url_is(page, url_a("popped.html")), "and it is the page's URL");
}

/* URL filter: blocks everything on the tripwire's port. */
static int
filter_trip(void *arg, const char *url)
{
	const char *hostport = arg;

	return strstr(url, hostport) != NULL;
}

/* Another session's connection and page, run by a thread of their own. */
struct other {
	pthread_t	 th;
	atomic_int	 ready;		/* set up (or failed) */
	atomic_int	 stop;		/* main thread: wind down */
	char		 start[256];	/* popup.html */
	char		 popup[256];	/* what it opens */
	int		 opened;	/* page open and navigated */
	int		 gen;		/* its generation after the popup */
	char		 where[256];	/* the popup's location.href */
	char		 why[512];
};

/*
 * The other session: a page of its own on a connection of its own (as a
 * daemon session thread has), which opens an allowed popup and then keeps
 * servicing its connection until told to stop.  It must not resume the
 * main page's popups, nor be left paused by the main connection.
 */
static void *
other_main(void *arg)
{
	struct other *o = arg;
	struct cdp_page_params pp;
	struct cdp_conn *conn = NULL;
	struct cdp_page *pg = NULL;
	char *cause = NULL, js[512];
	cJSON *v = NULL;
	int quiet;

	if (cdp_conn_open(cdp_browser_ws_url(L.browser), NULL, &conn,
	    &cause) != 0) {
		snprintf(o->why, sizeof(o->why), "connect: %s", cause);
		goto out;
	}
	cdp_page_default_params(&pp);
	if (cdp_page_open(conn, &pp, &pg) != 0 ||
	    cdp_page_navigate(pg, o->start, 0) != 0) {
		snprintf(o->why, sizeof(o->why), "open: %s",
		    cdp_conn_error(conn));
		goto out;
	}
	o->opened = 1;
	snprintf(js, sizeof(js), "!!window.open('%s')", o->popup);
	if (cdp_page_eval(pg, js, 10000, NULL) != 0 ||
	    cdp_page_settle(pg, 10000, &quiet) != 0 ||
	    cdp_page_eval(pg, "location.href", 10000, &v) != 0) {
		snprintf(o->why, sizeof(o->why), "popup: %s",
		    cdp_conn_error(conn));
		goto out;
	}
	o->gen = cdp_page_generation(pg);
	if (cJSON_IsString(v))
		snprintf(o->where, sizeof(o->where), "%s", v->valuestring);
	atomic_store(&o->ready, 1);
	while (!atomic_load(&o->stop) && cdp_conn_alive(conn))
		cdp_conn_pump(conn, 50, NULL, NULL);
out:
	atomic_store(&o->ready, 1);
	cJSON_Delete(v);
	cdp_page_free(pg);
	cdp_conn_free(conn);
	free(cause);
	return NULL;
}

/* A raw call on the main connection; the result's string member k. */
static char *
raw_call(const char *session, const char *method, const char *json,
    const char *k)
{
	cJSON *res = NULL, *v;
	char *out = NULL;

	if (cdp_call(L.conn, session, method, cJSON_Parse(json), 10000,
	    &res) != 0)
		note("%s: %s", method, cdp_conn_error(L.conn));
	else if (k != NULL && cJSON_IsString(v =
	    cJSON_GetObjectItemCaseSensitive(res, k)))
		out = strdup(v->valuestring);
	else if (k == NULL)
		out = strdup("");
	cJSON_Delete(res);
	return out;
}

/*
 * Popups to a refused URL, opened by window.open and by target=_blank
 * links, never send their request: they are paused from birth until the
 * URL filter is in place.  All the while another connection (a thread,
 * as in the daemon) auto-attaches to the same popups and must leave them
 * to their owner; a tab and a popup that no page owns are let run.
 */
static void
test_popup_leak(struct cdp_page *page)
{
	struct other o;
	struct trip t;
	char hostport[64], js[1024], *ctx = NULL, *tid = NULL, *sid = NULL;
	char *ctx2 = NULL;
	double x, y, end;
	int i, n0, gen, r, quiet, bad = 0, started;

	if (trip_open(&t) != 0) {
		ok(0, "a tripwire port");
		return;
	}
	memset(&o, 0, sizeof(o));
	snprintf(o.start, sizeof(o.start), "%s", url_a("popup.html"));
	snprintf(o.popup, sizeof(o.popup), "%s", url_a("leaf.html"));
	started = pthread_create(&o.th, NULL, other_main, &o) == 0;
	ok(started, "another session starts on a connection of its own");
	/* Its tab waits for this connection too: service it meanwhile. */
	end = now_ms() + 60000;
	while (started && !atomic_load(&o.ready) && now_ms() < end)
		cdp_conn_pump(L.conn, 50, NULL, NULL);
	ok(o.opened && o.gen == 1 && strcmp(o.where, o.popup) == 0,
	    "its own popup is followed and loads (generation %d, at %s) %s",
	    o.gen, o.where, o.why);

	snprintf(hostport, sizeof(hostport), "127.0.0.1:%d/", t.port);
	is_int(cdp_page_navigate(page, url_a("popup.html"), 0), 0,
	    "navigate to popup.html");
	is_int(cdp_page_set_url_filter(page, filter_trip, hostport), 0,
	    "refuse the tripwire's port");
	n0 = cdp_page_blocked(page, NULL);
	gen = cdp_page_generation(page);
	snprintf(js, sizeof(js), "(function () { var a = "
	    "document.createElement('a'); a.id = 'trip'; a.target = '_blank'; "
	    "a.textContent = 'trip'; a.style.cssText = 'position: fixed; "
	    "left: 300px; top: 300px; width: 100px; height: 40px; display: "
	    "block'; document.body.appendChild(a); return 1; })()");
	eval_int(page, js);
	for (i = 0; i < 12; i++) {
		if (i % 2 == 0) {
			snprintf(js, sizeof(js), "!!window.open('http://%s"
			    "open-%d')", hostport, i);
			r = cdp_page_eval(page, js, 10000, NULL);
		} else {
			snprintf(js, sizeof(js), "document.getElementById("
			    "'trip').href = 'http://%slink-%d', 1", hostport, i);
			eval_int(page, js);
			r = center(page, "#trip", &x, &y);
			if (r == 0)
				r = cdp_input_click(page, x, y,
				    CDP_BUTTON_LEFT, 1);
		}
		if (r == 0)
			r = cdp_page_settle(page, 5000, &quiet);
		if (r != 0 || cdp_page_blocked(page, NULL) != n0 + i + 1) {
			note("popup %d: r %d, %d blocked", i, r,
			    cdp_page_blocked(page, NULL) - n0);
			bad++;
		}
	}
	wait_gen(page, gen + 2 * 12, 5000);
	trip_poll(&t, 500);
	ok(bad == 0, "12 popups to a refused URL were refused");
	ok(!trip_got(&t, "GET /"), "none of them sent its request%s%.200s",
	    t.nseen > 0 ? ": " : "", t.seen);
	ok((cdp_page_generation(page) - gen) % 2 == 0 &&
	    strcmp(eval_str(page, "location.pathname"), "/popup.html") == 0,
	    "each was closed; the page is back on its opener (generation +%d)",
	    cdp_page_generation(page) - gen);
	cdp_page_set_url_filter(page, NULL, NULL);

	/* A tab nobody here owns, and its popup: neither is left paused. */
	ctx = raw_call(NULL, "Target.createBrowserContext", "{}",
	    "browserContextId");
	if (ctx != NULL) {
		snprintf(js, sizeof(js), "{\"url\": \"about:blank\", "
		    "\"newWindow\": true, \"browserContextId\": \"%s\"}", ctx);
		tid = raw_call(NULL, "Target.createTarget", js, "targetId");
	}
	if (tid != NULL) {
		snprintf(js, sizeof(js), "{\"targetId\": \"%s\", "
		    "\"flatten\": true}", tid);
		sid = raw_call(NULL, "Target.attachToTarget", js, "sessionId");
	}
	if (sid != NULL) {
		snprintf(js, sizeof(js), "{\"expression\": \"window.open("
		    "'http://%sfree'), 1\", \"userGesture\": true}", hostport);
		free(raw_call(sid, "Runtime.evaluate", js, NULL));
	}
	end = now_ms() + 10000;
	while (sid != NULL && !trip_got(&t, "GET /free") && now_ms() < end) {
		cdp_conn_pump(L.conn, 50, NULL, NULL);
		trip_poll(&t, 0);
	}
	ok(sid != NULL && trip_got(&t, "GET /free"), "a popup of a tab no "
	    "page owns is let run");
	r = 0;
	if (sid != NULL) {
		snprintf(js, sizeof(js), "{\"url\": \"%s\"}",
		    url_a("leaf.html"));
		ctx2 = raw_call(sid, "Page.navigate", js, "frameId");
		r = ctx2 != NULL;
		free(ctx2);
	}
	ok(r, "and so is the tab itself");
	if (ctx != NULL) {
		snprintf(js, sizeof(js), "{\"browserContextId\": \"%s\"}",
		    ctx);
		free(raw_call(NULL, "Target.disposeBrowserContext", js, NULL));
	}
	free(ctx);
	free(tid);
	free(sid);

	if (started) {
		atomic_store(&o.stop, 1);
		pthread_join(o.th, NULL);
	}
	trip_close(&t);
}

/*
 * A click whose navigation starts late (its handler defers the work, and
 * the work takes longer than idle_ms): settling sees it, because it first
 * waits for the page to have handled the click.
 */
static void
test_settle_late(struct cdp_page *page)
{
	char *url = NULL;
	double x, y, t0, el;
	int r, quiet = -1;

	is_int(cdp_page_navigate(page, url_a("index.html"), 0), 0,
	    "navigate to index.html");
	eval_int(page, "(function () { var b = "
	    "document.createElement('button'); b.id = 'late'; "
	    "b.textContent = 'late'; b.style.cssText = 'position: fixed; "
	    "left: 400px; top: 20px; width: 100px; height: 40px'; "
	    "b.onclick = function () { setTimeout(function () { "
	    "var t = Date.now(); while (Date.now() - t < 150); "
	    "location.href = '/next.html'; }, 0); }; "
	    "document.body.appendChild(b); return 1; })()");
	if (center(page, "#late", &x, &y) != 0) {
		ok(0, "the late button");
		return;
	}
	t0 = now_ms();
	r = cdp_input_click(page, x, y, CDP_BUTTON_LEFT, 1);
	if (r == 0)
		r = cdp_page_settle(page, 10000, &quiet);
	el = now_ms() - t0;
	/* Target.getTargetInfo: asks the browser, not the page. */
	if (r == 0)
		r = cdp_page_url(page, &url);
	ok(r == 0 && quiet == 1 && strcmp(url, url_a("next.html")) == 0 &&
	    el >= 150, "settle waits for a navigation started 150 ms after "
	    "the click (%.0f ms, at %s)", el, url != NULL ? url : "?");
	free(url);
}

/* Adds a fixed button #id to the page whose click runs js. */
static void
add_button(struct cdp_page *page, const char *id, const char *js)
{
	char expr[1024];

	snprintf(expr, sizeof(expr), "(function () { var b = "
	    "document.createElement('button'); b.id = '%s'; "
	    "b.textContent = '%s'; b.style.cssText = 'position: fixed; "
	    "left: 400px; top: 20px; width: 100px; height: 40px'; "
	    "b.onclick = function () { %s }; "
	    "document.body.appendChild(b); return 1; })()", id, id, js);
	eval_int(page, expr);
}

/*
 * Settling and the page's timers (page_timers_js): with a long idle
 * window, a click that starts nothing settles without waiting it out; one
 * that leaves a timer due within the window is watched for the window,
 * and what the timer does (change the page, fetch) is seen; timers of
 * the page's own that are far off do not count.
 */
static void
test_settle_timers(void)
{
	struct cdp_page_params pp;
	struct cdp_page *page = NULL;
	double x, y, t0, el;
	int r, quiet = -1;

	cdp_page_default_params(&pp);
	pp.idle_ms = 4000;
	if (cdp_page_open(L.conn, &pp, &page) != 0) {
		ok(0, "open a page with a 4 s idle window");
		return;
	}
	is_int(cdp_page_navigate(page, url_a("index.html"), 0), 0,
	    "navigate to index.html");
	is_int(eval_int(page, "typeof window.__webnavTimers.busy === "
	    "'function' && Object.keys(window).indexOf('__webnavTimers') < 0 "
	    "? 1 : 0"), 1, "the timer tracker is there, not enumerable");
	is_int(eval_int(page, "window.__webnavTimers.busy(10)"), 0,
	    "no timer pending on index.html");
	is_int(eval_int(page, "(function () { var id = setTimeout("
	    "function () {}, 100000); var b = window.__webnavTimers.busy("
	    "200000); clearTimeout(id); return b * 2 + "
	    "window.__webnavTimers.busy(200000); })()"), 2,
	    "a timer counts until cleared");
	is_int(eval_int(page, "(function () { var id = setInterval("
	    "function () {}, 100000); var b = window.__webnavTimers.busy("
	    "200000); clearInterval(id); return b * 2 + "
	    "window.__webnavTimers.busy(200000); })()"), 2,
	    "an interval counts until cleared");
	/* A far timer of the page's own. */
	eval_int(page, "(window.far = setTimeout(function () {}, 60000), 1)");

	add_button(page, "calm", "document.title = 'calm';");
	if (center(page, "#calm", &x, &y) != 0) {
		ok(0, "the calm button");
		goto out;
	}
	t0 = now_ms();
	r = cdp_input_click(page, x, y, CDP_BUTTON_LEFT, 1);
	if (r == 0)
		r = cdp_page_settle(page, 10000, &quiet);
	el = now_ms() - t0;
	ok(r == 0 && quiet == 1 && el < 3000, "a click that starts nothing "
	    "settles before the idle window ends (%.0f ms)", el);
	is_str(eval_str(page, "document.title"), "calm", "its handler ran");
	eval_int(page, "(document.getElementById('calm').remove(), 1)");

	add_button(page, "later", "setTimeout(function () { "
	    "document.title = 'later'; }, 300);");
	center(page, "#later", &x, &y);
	t0 = now_ms();
	quiet = -1;
	r = cdp_input_click(page, x, y, CDP_BUTTON_LEFT, 1);
	if (r == 0)
		r = cdp_page_settle(page, 10000, &quiet);
	el = now_ms() - t0;
	ok(r == 0 && quiet == 1 && el >= 3900, "a click that leaves a timer "
	    "due is watched for the idle window (%.0f ms)", el);
	is_str(eval_str(page, "document.title"), "later",
	    "and the timer's work is done");
	eval_int(page, "(document.getElementById('later').remove(), 1)");

	add_button(page, "fetch", "setTimeout(function () { "
	    "fetch('/__slow?ms=1500').then(function (r) { return r.text(); })"
	    ".then(function () { window.fetched = 1; }); }, 3000);");
	center(page, "#fetch", &x, &y);
	quiet = -1;
	r = cdp_input_click(page, x, y, CDP_BUTTON_LEFT, 1);
	if (r == 0)
		r = cdp_page_settle(page, 15000, &quiet);
	ok(r == 0 && quiet == 1 && eval_int(page, "window.fetched === 1 ? "
	    "1 : 0") == 1, "a fetch a timer starts inside the window is "
	    "waited for");
	is_int(eval_int(page, "(clearTimeout(window.far), "
	    "window.__webnavTimers.busy(100000))"), 0,
	    "no timer pending at the end");
out:
	cdp_page_free(page);
}

/* A request that never ends must not keep a page from settling. */
static void
test_long_poll(void)
{
	struct cdp_page_params pp;
	struct cdp_page *page = NULL;
	double t0, el;
	int r, quiet = -1;

	cdp_page_default_params(&pp);
	pp.settle_max_ms = 1000;
	if (cdp_page_open(L.conn, &pp, &page) != 0) {
		ok(0, "open a page for the long poll");
		return;
	}
	t0 = now_ms();
	r = cdp_page_navigate(page, url_a("poll.html"), 0);
	el = now_ms() - t0;
	ok(r == 0 && el < 3500, "navigate to a page with a hanging fetch "
	    "returns after the settle bound (%.0f ms)", el);
	t0 = now_ms();
	r = cdp_page_settle(page, 3000, &quiet);
	el = now_ms() - t0;
	ok(r == 0 && quiet == 1 && el < 2000, "the old request is ignored: "
	    "quiet after %.0f ms", el);
	cdp_page_free(page);
}

static void
test_timings(struct cdp_page *page)
{
	double t[30], x, y, t0;
	unsigned char *d;
	size_t len, i, bytes;
	const char *names[] = { "PNG fast", "PNG", "JPEG q80" };
	int k;

	if (cdp_page_navigate(page, url_a("index.html"), 0) != 0)
		return;
	for (k = 0; k < 3; k++) {
		bytes = 0;
		for (i = 0; i < 30; i++) {
			t0 = now_ms();
			if (cdp_page_screenshot(page, k == 2 ? CDP_IMG_JPEG :
			    CDP_IMG_PNG, 80, k == 0, &d, &len) != 0)
				break;
			t[i] = now_ms() - t0;
			bytes += len;
			free(d);
		}
		ok(i == 30, "30 screenshots %s: median %.1f ms, %zu KiB",
		    names[k], median(t, i), bytes / (i ? i : 1) / 1024);
	}
	center(page, "#btn", &x, &y);
	for (i = 0; i < 30; i++) {
		t0 = now_ms();
		if (cdp_input_click(page, x, y, CDP_BUTTON_LEFT, 1) != 0)
			break;
		t[i] = now_ms() - t0;
	}
	ok(i == 30 && eval_int(page, "log.clicks") == 30,
	    "30 clicks: median round trip %.1f ms", median(t, i));
	for (i = 0; i < 30; i++) {
		t0 = now_ms();
		if (eval_int(page, "1") != 1)
			break;
		t[i] = now_ms() - t0;
	}
	ok(i == 30, "30 evals: median %.1f ms", median(t, i));
}

int
main(void)
{
	struct cdp_page_params pp;
	struct cdp_page *page = NULL;
	char root[1024];
	pid_t site_a = -1, site_b = -1;
	double t0;
	int r;

	log_init("test-browser", 0, getenv("WEBNAV_DEBUG") != NULL ?
	    LOG_LVL_DEBUG : LOG_LVL_WARN);
	snprintf(root, sizeof(root), "%s/tests/sites/browser", WEBNAV_SRCDIR);
	if (live_start(&L) != 0)
		return 1;
	if (live_site_start(root, &port_a, &site_a) != 0 ||
	    live_site_start(root, &port_b, &site_b) != 0) {
		printf("Bail out! cannot start tests/sitesrv\n");
		live_site_stop(site_a);
		live_stop(&L);
		return 1;
	}
	snprintf(base, sizeof(base), "http://127.0.0.1:%d", port_a);

	cdp_page_default_params(&pp);
	pp.dialog_prompt_text = "webnav";
	t0 = now_ms();
	r = cdp_page_open(L.conn, &pp, &page);
	is_int(r, 0, "open a page (%.0f ms)", now_ms() - t0);
	if (r != 0) {
		note("%s", cdp_conn_error(L.conn));
		goto out;
	}
	ok(*cdp_page_session(page) != '\0' && *cdp_page_target(page) != '\0',
	    "page has a session and a target");
	is_int(cdp_page_generation(page), 0, "generation starts at 0");
	is_int(cdp_page_add_init_script(page, INIT_JS), 0, "add init script");

	test_basics(page);
	test_input(page);
	test_frames(page);
	test_oopif_sessions();
	test_dialogs(page);
	test_contexts(page);
	test_failures(page);
	test_filter(page);
	test_popup_leak(page);
	test_settle_late(page);
	test_settle_timers();
	test_long_poll();
	test_timings(page);
	test_popups(page);

	t0 = now_ms();
	cdp_page_free(page);
	page = NULL;
	note("page free: %.0f ms", now_ms() - t0);
	ok(cdp_conn_alive(L.conn), "connection alive after page free");
out:
	cdp_page_free(page);
	live_site_stop(site_a);
	live_site_stop(site_b);
	live_stop(&L);
	return done_testing();
}
