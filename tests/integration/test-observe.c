/*
 * test-observe.c: observation against real Chromium and the fixture pages
 * in tests/sites/observe (served by tests/sitesrv from tests/sites, a
 * second server on "localhost" for the cross-site frame): the exact mark
 * set of every page, boxes, clicks, typing, selects, listener-only
 * clickables, labels and other stated fields, the Set-of-Mark image,
 * reading order, the trace of marks, a page of 2,000 elements and a
 * device pixel ratio of 2.  One Chromium, a new page per fixture.
 *
 * The pages state what they expect (tests/sites/observe/README): each
 * frame's window.__expect() lists the data-expect names that must be
 * marks now and the data-expect-FIELD values of their marks.  Each mark
 * is named by its own element, looked up in its frame through
 * obs_mark_expr() (the probe below), so a mark on the wrong element shows
 * up as one missing and one extra name.
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "action.h"
#include "buf.h"
#include "cdp.h"
#include "err.h"
#include "img.h"
#include "live.h"
#include "log.h"
#include "observe.h"
#include "som.h"
#include "tap.h"
#include "xmalloc.h"

/* Box tolerance, CSS px. */
#define BOX_TOL		1.0
/* Most failures listed per check. */
#define MAX_DIAG	12

static struct live L;
static int port_a, port_b;
static char base[64];		/* http://127.0.0.1:A */

/*
 * The probe: helpers installed in each frame (once) next to the
 * collector.  clip() is the part of an element that can be seen in its
 * frame: its border box cut by every scrolling or clipping ancestor up to
 * the nearest fixed-position one (html and body clip through the
 * viewport) and by the frame's viewport.
 */
static const char probe_js[] =
"if(!window.__wnp)window.__wnp=(function(){var H={};"
"function up(e){var p=e.parentNode;return p&&p.nodeType===11?p.host:"
"(p&&p.nodeType===1?p:null);}"
"function all(r,o){var l=r.querySelectorAll('*');for(var i=0;i<l.length;"
"i++){o.push(l[i]);if(l[i].shadowRoot)all(l[i].shadowRoot,o);}return o;}"
"function clip(e){var r=e.getBoundingClientRect(),x1=r.left,y1=r.top,"
"x2=r.right,y2=r.bottom,d=document.documentElement,n,p,s,b,cx,cy;"
"for(n=e;getComputedStyle(n).position!=='fixed'&&(p=up(n))&&p!==d&&"
"p!==document.body;n=p){s=getComputedStyle(p);"
"if(s.overflowX==='visible'&&s.overflowY==='visible')continue;"
"b=p.getBoundingClientRect();cx=b.left+p.clientLeft;cy=b.top+p.clientTop;"
"if(s.overflowX!=='visible'){x1=Math.max(x1,cx);"
"x2=Math.min(x2,cx+p.clientWidth);}"
"if(s.overflowY!=='visible'){y1=Math.max(y1,cy);"
"y2=Math.min(y2,cy+p.clientHeight);}}"
"x1=Math.max(x1,0);y1=Math.max(y1,0);x2=Math.min(x2,d.clientWidth);"
"y2=Math.min(y2,d.clientHeight);"
"return [x1,y1,Math.max(0,x2-x1),Math.max(0,y2-y1)];}"
"function desc(e){var t=String(e.innerText||e.value||"
"e.getAttribute('aria-label')||e.getAttribute('placeholder')||'')"
".replace(/\\s+/g,' ').trim().slice(0,30);return e.tagName.toLowerCase()+"
"(e.id?'#'+e.id:'')+(t?' \"'+t+'\"':'');}"
"function data(e){var o={},k;for(k in e.dataset)o[k]=e.dataset[k];"
"return o;}"
"H.el=function(k){return window.__webnav?window.__webnav.el(k):null;};"
"H.facts=function(refs){return refs.map(function(k){var e=H.el(k);"
"if(!e)return null;return {d:data(e),s:desc(e),b:clip(e)};});};"
"H.expected=function(){return all(document,[]).filter(function(e){"
"return e.hasAttribute('data-expect');}).map(function(e){"
"return {n:e.getAttribute('data-expect'),s:desc(e),b:clip(e)};});};"
"H.arm=function(refs){H.map=new Map();H.hosts=H.hosts||new Set();"
"H.roots=H.roots||new Set();refs.forEach(function(k){var e=H.el(k),r;"
"if(!e)return;H.map.set(e,k);r=e.getRootNode();"
"if(r.nodeType===11&&!H.roots.has(r)){H.roots.add(r);"
"if(!r.host.shadowRoot)H.hosts.add(r.host);"
"r.addEventListener('click',H.rec,true);}});"
"H.hits=[];H.armed=1;if(!H.inst){H.inst=1;"
"window.addEventListener('click',H.rec,true);}return H.map.size;};"
/*
 * Records a click once (window, capture) or refines it from inside a
 * closed shadow root, where window cannot see the target; then holds
 * the page's own handlers and default actions off.
 */
"H.rec=function(ev){if(!H.armed)return;var p=ev.composedPath(),k=-1,i,"
"t=p[0],c=0;if(t&&t.nodeType!==1)t=t.parentElement;"
"for(i=0;i<p.length;i++)if(H.map.has(p[i])){k=H.map.get(p[i]);break;}"
"if(H.cur!==ev){H.cur=ev;H.hits.push([k,ev.isTrusted?1:0,t?desc(t):'?']);}"
"else if(k>=0)H.hits[H.hits.length-1]=[k,ev.isTrusted?1:0,"
"t?desc(t):'?'];"
"for(i=0;this===window&&i<p.length;i++)if(H.hosts.has(p[i]))c=1;"
"ev.preventDefault();if(!c)ev.stopImmediatePropagation();};"
"H.expect=function(){return window.__expect?window.__expect():null;};"
"H.iframes=function(){return Array.from(document.querySelectorAll("
"'iframe')).map(function(f){var r=f.getBoundingClientRect(),"
"s=getComputedStyle(f);return [f.src,r.left+f.clientLeft+"
"parseFloat(s.paddingLeft),r.top+f.clientTop+"
"parseFloat(s.paddingTop)];});};"
"H.take=function(){var h=H.hits||[];H.hits=[];return h;};"
"H.disarm=function(){H.armed=0;return 1;};"
"H.values=function(){return all(document,[]).filter(function(e){"
"return e.matches('input,textarea,select,[contenteditable]')&&"
"e.getAttribute('contenteditable')!=='false';}).map(function(e,i){"
"var k=e.getAttribute('data-expect')||e.id||e.name||('#'+i),v;"
"if(e.matches('input[type=checkbox],input[type=radio]'))v=String(e.checked);"
"else if(e.matches('input,textarea,select'))v=e.value;"
"else v=e.innerText.replace(/\\n$/,'');return [k,v];});};"
"H.watch=function(k){var e=H.el(k);H.changes=0;H.inputs=0;"
"if(!e.__wnw){e.__wnw=1;e.addEventListener('change',function(){"
"H.changes++;});e.addEventListener('input',function(){H.inputs++;});}"
"return 1;};"
"H.selstate=function(k){var e=H.el(k);return [e.value,e.selectedIndex,"
"e.selectedOptions.length?e.selectedOptions[0].text.trim():'',"
"H.changes,H.inputs];};"
"return H;})();";

/* What the page says about one mark's element. */
struct fact {
	int	 found;		/* element found through its ref */
	char	*name;		/* data-expect, NULL if none */
	char	*never;		/* data-expect-not, NULL if none */
	char	*desc;		/* tag#id "text", for diagnostics */
	cJSON	*data;		/* the element's data-* attributes */
	double	 x, y, w, h;	/* visible box, top-level CSS px */
};

/* An element the page expects to be a mark. */
struct want {
	char	*name;
	char	*desc;
	int	 frame;
	double	 x, y, w, h;
};

/* Monotonic milliseconds. */
static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Builds a URL of a fixture page on server A (rotating buffers). */
static const char *
url_a(const char *path)
{
	static char u[4][512];
	static int i;

	i = (i + 1) % 4;
	snprintf(u[i], sizeof(u[i]), "%s/observe/%s", base, path);
	return u[i];
}

/* Frame fi of o as a cdp_frame. */
static void
frame_of(const struct obs *o, size_t fi, struct cdp_frame *f)
{
	memset(f, 0, sizeof(*f));
	f->frame_id = o->frames[fi].frame_id;
	f->session = o->frames[fi].session;
	f->url = o->frames[fi].url;
	f->context_id = o->frames[fi].context_id;
	f->depth = fi == 0 ? 0 : 1;
}

/* Evaluates `window.__wnp.<call>` in frame fi, installing the probe. */
static cJSON *
probe(struct cdp_page *page, const struct obs *o, size_t fi,
    const char *call)
{
	struct cdp_frame f;
	cJSON *v = NULL;
	char *expr;
	int r;

	frame_of(o, fi, &f);
	expr = xasprintf("(function(){%s\nreturn window.__wnp.%s;})()",
	    probe_js, call);
	if ((r = cdp_frame_eval(page, &f, expr, 10000, &v)) != 0) {
		note("probe %s in frame %zu (%s): %s: %s", call, fi,
		    o->frames[fi].url, err_str(r),
		    cdp_conn_error(cdp_page_conn(page)));
		v = NULL;
	}
	free(expr);
	return v;
}

/* The refs of o's marks in frame fi, as a JS array literal. */
static char *
frame_refs(const struct obs *o, size_t fi, size_t *np)
{
	struct buf b;
	size_t i, n = 0;
	char num[32];

	buf_init(&b, 1 << 20);
	buf_puts(&b, "[");
	for (i = 0; i < o->nmarks; i++) {
		if (o->marks[i].frame != (int)fi)
			continue;
		snprintf(num, sizeof(num), "%s%d", n ? "," : "",
		    o->marks[i].ref);
		buf_puts(&b, num);
		n++;
	}
	buf_puts(&b, "]");
	if (np != NULL)
		*np = n;
	return buf_steal(&b, NULL);
}

/* Number i of JSON array a; NAN if it is not one. */
static double
jd(const cJSON *a, int i)
{
	const cJSON *v = cJSON_GetArrayItem(a, i);

	return cJSON_IsNumber(v) ? v->valuedouble : (double)NAN;
}

/* String i of JSON array row; "" if it is not one. */
static const char *
row_str(const cJSON *row, int i)
{
	const cJSON *v = cJSON_GetArrayItem(row, i);

	return cJSON_IsString(v) ? v->valuestring : "";
}

/* A copy of string member key of o; NULL if it is not one. */
static char *
jdup(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? xstrdup(v->valuestring) : NULL;
}

/*
 * Clips a frame-relative box b (x, y, w, h) of frame fi into top-level
 * viewport CSS px.
 */
static void
to_top(const struct obs *o, int fi, const cJSON *b, double *xp, double *yp,
    double *wp, double *hp)
{
	double x1, y1, x2, y2;

	x1 = jd(b, 0) + o->frames[fi].ox;
	y1 = jd(b, 1) + o->frames[fi].oy;
	x2 = x1 + jd(b, 2);
	y2 = y1 + jd(b, 3);
	x1 = fmax(x1, 0);
	y1 = fmax(y1, 0);
	x2 = fmin(x2, o->vw);
	y2 = fmin(y2, o->vh);
	*xp = x1;
	*yp = y1;
	*wp = fmax(0, x2 - x1);
	*hp = fmax(0, y2 - y1);
}

/* Frees n facts. */
static void
facts_free(struct fact *f, size_t n)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(f[i].name);
		free(f[i].never);
		free(f[i].desc);
		cJSON_Delete(f[i].data);
	}
	free(f);
}

/* Reads, for every mark of o, its element's facts (one eval per frame). */
static struct fact *
read_facts(struct cdp_page *page, const struct obs *o)
{
	struct fact *facts;
	cJSON *v, *e;
	char *refs, *call;
	size_t fi, i, k, n;

	facts = xcalloc(o->nmarks ? o->nmarks : 1, sizeof(*facts));
	for (fi = 0; fi < o->nframes; fi++) {
		refs = frame_refs(o, fi, &n);
		if (n == 0) {
			free(refs);
			continue;
		}
		call = xasprintf("facts(%s)", refs);
		v = probe(page, o, fi, call);
		free(call);
		free(refs);
		k = 0;
		for (i = 0; i < o->nmarks && cJSON_IsArray(v); i++) {
			struct fact *f = &facts[i];

			if (o->marks[i].frame != (int)fi)
				continue;
			e = cJSON_GetArrayItem(v, (int)k++);
			if (!cJSON_IsObject(e))
				continue;
			f->found = 1;
			f->data = cJSON_Duplicate(
			    cJSON_GetObjectItemCaseSensitive(e, "d"), 1);
			f->name = jdup(f->data, "expect");
			f->never = jdup(f->data, "expectNot");
			f->desc = jdup(e, "s");
			to_top(o, (int)fi, cJSON_GetObjectItemCaseSensitive(e,
			    "b"), &f->x, &f->y, &f->w, &f->h);
		}
		cJSON_Delete(v);
	}
	for (i = 0; i < o->nmarks; i++)
		if (facts[i].desc == NULL)
			facts[i].desc = xasprintf("%s (element not found)",
			    o->marks[i].tag);
	return facts;
}

/* Frees n wants. */
static void
wants_free(struct want *w, size_t n)
{
	size_t i;

	if (w == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(w[i].name);
		free(w[i].desc);
	}
	free(w);
}

/*
 * The names the page expects as marks now: window.__expect().expect of
 * every frame of o (tests/sites/observe/expect.js), with each element's
 * description and box where the probe can see it (not in closed shadow
 * roots).  *offp gets the frames' "offscreen" names (JSON array).
 */
static struct want *
read_wants(struct cdp_page *page, const struct obs *o, size_t *np,
    cJSON **offp)
{
	struct want *w = NULL;
	size_t n = 0, cap = 0, fi;
	cJSON *ex, *v, *e, *x, *y, *off = cJSON_CreateArray();
	const char *name;

	for (fi = 0; fi < o->nframes; fi++) {
		ex = probe(page, o, fi, "expect()");
		if (!cJSON_IsObject(ex)) {
			note("frame %zu (%s) has no window.__expect", fi,
			    o->frames[fi].url);
			cJSON_Delete(ex);
			continue;
		}
		v = probe(page, o, fi, "expected()");
		cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(ex,
		    "offscreen"))
			cJSON_AddItemToArray(off, cJSON_Duplicate(x, 1));
		cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(ex,
		    "expect")) {
			if (!cJSON_IsString(x))
				continue;
			name = x->valuestring;
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				w = xreallocarray(w, cap, sizeof(*w));
			}
			memset(&w[n], 0, sizeof(w[n]));
			w[n].name = xstrdup(name);
			w[n].frame = (int)fi;
			cJSON_ArrayForEach(e, v) {
				y = cJSON_GetObjectItemCaseSensitive(e, "n");
				if (cJSON_IsString(y) &&
				    strcmp(y->valuestring, name) == 0) {
					w[n].desc = jdup(e, "s");
					to_top(o, (int)fi,
					    cJSON_GetObjectItemCaseSensitive(e,
					    "b"), &w[n].x, &w[n].y, &w[n].w,
					    &w[n].h);
					break;
				}
			}
			n++;
		}
		cJSON_Delete(v);
		cJSON_Delete(ex);
	}
	*np = n;
	*offp = off;
	return w;
}

/* 1 if the JSON array of strings a holds s. */
static int
has_str(const cJSON *a, const char *s)
{
	const cJSON *x;

	cJSON_ArrayForEach(x, a)
		if (cJSON_IsString(x) && strcmp(x->valuestring, s) == 0)
			return 1;
	return 0;
}

/* Finds the mark whose element has data-expect name; -1 if none. */
static int
find_mark(const struct obs *o, const struct fact *facts, const char *name)
{
	size_t i;

	for (i = 0; i < o->nmarks; i++)
		if (facts[i].name != NULL && strcmp(facts[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* The name of mark i, or its description when it has none. */
static const char *
mark_desc(const struct obs *o, const struct fact *facts, size_t i)
{
	static char s[4][256];
	static int k;

	if (facts[i].name != NULL)
		return facts[i].name;
	k = (k + 1) % 4;
	snprintf(s[k], sizeof(s[k]), "[%d] %s", o->marks[i].id,
	    facts[i].desc != NULL ? facts[i].desc : "?");
	return s[k];
}

/* The text of b ("" while empty). */
static const char *
bstr(const struct buf *b)
{
	return b->data != NULL ? b->data : "";
}

/* Appends to a diagnostic list, at most MAX_DIAG items. */
static void
diag_add(struct buf *b, size_t *n, const char *fmt, ...)
    __attribute__((__format__(__printf__, 3, 4)));

static void
diag_add(struct buf *b, size_t *n, const char *fmt, ...)
{
	va_list ap;
	char s[512];

	(*n)++;
	if (*n > MAX_DIAG) {
		if (*n == MAX_DIAG + 1)
			buf_puts(b, "; ...");
		return;
	}
	va_start(ap, fmt);
	vsnprintf(s, sizeof(s), fmt, ap);
	va_end(ap);
	if (*n > 1)
		buf_puts(b, "; ");
	buf_puts(b, s);
}

/*
 * Asserts that the marks of o are exactly the elements the page expects
 * now, by name and frame, and that their boxes are the visible part of
 * the element's client rect.  Returns the facts.
 */
static struct fact *
check_marks(struct cdp_page *page, const struct obs *o, const char *what)
{
	struct fact *facts;
	struct want *w;
	struct buf miss, extra, bad;
	unsigned char *used;
	cJSON *off = NULL;
	size_t nw = 0, i, j, nmiss = 0, nextra = 0, nbad = 0, nbox = 0;

	facts = read_facts(page, o);
	w = read_wants(page, o, &nw, &off);
	used = xcalloc(o->nmarks + 1, 1);
	buf_init(&miss, 1 << 16);
	buf_init(&extra, 1 << 16);
	buf_init(&bad, 1 << 16);
	for (j = 0; j < nw; j++) {
		for (i = 0; i < o->nmarks; i++)
			if (!used[i] && facts[i].name != NULL &&
			    strcmp(facts[i].name, w[j].name) == 0 &&
			    o->marks[i].frame == w[j].frame)
				break;
		if (i == o->nmarks) {
			if (w[j].desc != NULL)
				diag_add(&miss, &nmiss, "%s (%s at %.0f,%.0f "
				    "%.0fx%.0f)", w[j].name, w[j].desc,
				    w[j].x, w[j].y, w[j].w, w[j].h);
			else
				diag_add(&miss, &nmiss, "%s", w[j].name);
			continue;
		}
		used[i] = 1;
	}
	for (i = 0; i < o->nmarks; i++) {
		const struct mark *m = &o->marks[i];

		if (!used[i])
			diag_add(&extra, &nextra, "[%d] %s%s%s%s at %.0f,%.0f "
			    "%.0fx%.0f", m->id, facts[i].desc,
			    facts[i].never ? " data-expect-not=" : "",
			    facts[i].never ? facts[i].never : "",
			    facts[i].name && has_str(off, facts[i].name) ?
			    " (off screen)" : "", m->x, m->y, m->w, m->h);
		if (!facts[i].found)
			continue;
		nbox++;
		if (fabs(m->x - facts[i].x) > BOX_TOL ||
		    fabs(m->y - facts[i].y) > BOX_TOL ||
		    fabs(m->w - facts[i].w) > BOX_TOL ||
		    fabs(m->h - facts[i].h) > BOX_TOL)
			diag_add(&bad, &nbad, "%s: mark %.1f,%.1f "
			    "%.1fx%.1f, page %.1f,%.1f %.1fx%.1f",
			    mark_desc(o, facts, i), m->x, m->y, m->w, m->h,
			    facts[i].x, facts[i].y, facts[i].w, facts[i].h);
	}
	ok(nmiss == 0 && nextra == 0 && nw > 0,
	    "%s: marks are exactly the %zu expected elements (%zu marks)",
	    what, nw, o->nmarks);
	if (nmiss > 0)
		note("  missing %zu: %s", nmiss, bstr(&miss));
	if (nextra > 0)
		note("  extra %zu: %s", nextra, bstr(&extra));
	ok(nbad == 0 && nbox == o->nmarks,
	    "%s: %zu boxes within %.0f px of the visible client rect",
	    what, nbox, BOX_TOL);
	if (nbad > 0)
		note("  %zu off: %s", nbad, bstr(&bad));
	if (nbox != o->nmarks)
		note("  %zu marks whose element was not found by ref",
		    o->nmarks - nbox);
	buf_free(&miss);
	buf_free(&extra);
	buf_free(&bad);
	free(used);
	cJSON_Delete(off);
	wants_free(w, nw);
	return facts;
}

/* Opens a page with the collector installed at device pixel ratio scale. */
static struct cdp_page *
page_new(double scale)
{
	struct cdp_page_params pp;
	struct cdp_page *page = NULL;
	int r;

	cdp_page_default_params(&pp);
	pp.scale = scale;
	if ((r = cdp_page_open(L.conn, &pp, &page)) != 0) {
		note("open page: %s: %s", err_str(r), cdp_conn_error(L.conn));
		return NULL;
	}
	if ((r = obs_install(page)) != 0) {
		note("obs_install: %s: %s", err_str(r),
		    cdp_conn_error(L.conn));
		cdp_page_free(page);
		return NULL;
	}
	return page;
}

/* Opens a page on path (server A); NULL (after a failed test) if not. */
static struct cdp_page *
page_load(const char *path, double scale)
{
	struct cdp_page *page;
	double t0 = now_ms();
	int r;

	if ((page = page_new(scale)) == NULL) {
		ok(0, "%s: open a page", path);
		return NULL;
	}
	if ((r = cdp_page_navigate(page, url_a(path), 0)) != 0) {
		ok(0, "%s: navigate: %s: %s", path, err_str(r),
		    cdp_conn_error(cdp_page_conn(page)));
		cdp_page_free(page);
		return NULL;
	}
	note("%s: loaded in %.0f ms", path, now_ms() - t0);
	return page;
}

/* Observes page; NULL (after a failed test) if it fails. */
static struct obs *
capture(struct cdp_page *page, int screenshot, const char *what)
{
	struct obs_params op;
	struct obs *o = NULL;
	char *cause = NULL;
	int r;

	obs_default_params(&op);
	op.screenshot = screenshot;
	if ((r = obs_capture(page, &op, &o, &cause)) != 0) {
		ok(0, "%s: obs_capture: %s: %s", what, err_str(r),
		    cause != NULL ? cause : "?");
		free(cause);
		return NULL;
	}
	return o;
}

/* Runs one action on mark id of o; 0 or the error (noted). */
static int
act(struct cdp_page *page, const struct obs *o, enum action_op op, int id,
    const char *value)
{
	struct action a;
	char *cause = NULL;
	int r;

	memset(&a, 0, sizeof(a));
	a.op = op;
	a.mark = id;
	a.value = value != NULL ? xstrdup(value) : NULL;
	if ((r = action_exec(page, o, &a, &cause)) != 0)
		note("%s [%d]: %s: %s", action_op_name(op), id, err_str(r),
		    cause != NULL ? cause : "?");
	free(cause);
	action_clear(&a);
	return r;
}

/* 1 if mark m lies wholly in the viewport (act clicks it where it is). */
static int
in_view(const struct obs *o, const struct mark *m)
{
	return m->x >= 0 && m->y >= 0 && m->x + m->w <= o->vw &&
	    m->y + m->h <= o->vh;
}

/* Arms the click recorder in every frame of o for o's marks. */
static void
arm_clicks(struct cdp_page *page, const struct obs *o)
{
	char *refs, *call;
	size_t fi;

	for (fi = 0; fi < o->nframes; fi++) {
		refs = frame_refs(o, fi, NULL);
		call = xasprintf("arm(%s)", refs);
		cJSON_Delete(probe(page, o, fi, call));
		free(call);
		free(refs);
	}
}

/* Lets clicks through to the page again. */
static void
disarm_clicks(struct cdp_page *page, const struct obs *o)
{
	size_t fi;

	for (fi = 0; fi < o->nframes; fi++)
		cJSON_Delete(probe(page, o, fi, "disarm()"));
}

/*
 * Clicks mark i of o and checks that exactly one trusted click reached
 * the page, and that the innermost mark on its path is mark i's element.
 * Returns 1 if so; else adds a diagnostic.
 */
static int
click_one(struct cdp_page *page, const struct obs *o,
    const struct fact *facts, size_t i, struct buf *d, size_t *nd)
{
	const struct mark *m = &o->marks[i];
	cJSON *v, *h;
	size_t fi, nhits = 0;
	int good = 0, hitref = -2, hitframe = -1, trusted = 0;
	char target[128] = "";

	if (act(page, o, ACT_CLICK, m->id, NULL) != 0) {
		diag_add(d, nd, "%s: action failed", mark_desc(o, facts, i));
		return 0;
	}
	for (fi = 0; fi < o->nframes; fi++) {
		v = probe(page, o, fi, "take()");
		cJSON_ArrayForEach(h, v) {
			if (nhits++ == 0) {
				hitref = (int)jd(h, 0);
				hitframe = (int)fi;
				trusted = (int)jd(h, 1);
				if (cJSON_IsString(cJSON_GetArrayItem(h, 2)))
					snprintf(target, sizeof(target), "%s",
					    cJSON_GetArrayItem(h,
					    2)->valuestring);
			}
		}
		cJSON_Delete(v);
	}
	if (nhits == 1 && hitframe == m->frame && hitref == m->ref && trusted)
		good = 1;
	else if (nhits != 1)
		diag_add(d, nd, "%s: %zu clicks reached the page",
		    mark_desc(o, facts, i), nhits);
	else {
		size_t k;

		for (k = 0; k < o->nmarks; k++)
			if (o->marks[k].frame == hitframe &&
			    o->marks[k].ref == hitref)
				break;
		diag_add(d, nd, "%s: the click hit %s (target %s)%s",
		    mark_desc(o, facts, i), k < o->nmarks ?
		    mark_desc(o, facts, k) : "no mark", target,
		    trusted ? "" : ", untrusted");
	}
	return good;
}

/*
 * Clicks every mark of the page (but selects, file inputs and disabled
 * controls, which do not take plain clicks) with the page's own handlers
 * held off, and checks each click reached exactly its element.  After a
 * click that had to scroll, the page is observed again.
 */
static void
check_clicks(struct cdp_page *page, const char *what, int every)
{
	struct obs *o;
	struct fact *facts;
	struct buf d;
	char **names = NULL;
	size_t n, i, nd = 0, tried = 0, good = 0, skipped = 0;
	int k, dirty = 0;

	if ((o = capture(page, 0, what)) == NULL)
		return;
	facts = read_facts(page, o);
	n = o->nmarks;
	names = xcalloc(n ? n : 1, sizeof(*names));
	for (i = 0; i < n; i++)
		names[i] = facts[i].name ? xstrdup(facts[i].name) : NULL;
	buf_init(&d, 1 << 16);
	arm_clicks(page, o);
	for (i = 0; i < n; i += every > 0 ? (size_t)every : 1) {
		if (names[i] == NULL)
			continue;
		if (dirty) {
			disarm_clicks(page, o);
			facts_free(facts, o->nmarks);
			obs_free(o);
			if ((o = capture(page, 0, what)) == NULL) {
				facts = NULL;
				break;
			}
			facts = read_facts(page, o);
			arm_clicks(page, o);
			dirty = 0;
		}
		if ((k = find_mark(o, facts, names[i])) < 0) {
			diag_add(&d, &nd, "%s: no longer a mark", names[i]);
			continue;
		}
		if (strcmp(o->marks[k].tag, "select") == 0 ||
		    strcmp(o->marks[k].type, "file") == 0 ||
		    o->marks[k].disabled) {
			skipped++;
			continue;
		}
		tried++;
		dirty = !in_view(o, &o->marks[k]);
		good += click_one(page, o, facts, (size_t)k, &d, &nd);
	}
	if (o != NULL)
		disarm_clicks(page, o);
	ok(tried > 0 && good == tried && nd == 0,
	    "%s: a click on each of %zu marks reaches exactly its element "
	    "(%zu skipped: selects, file inputs, disabled)", what, tried,
	    skipped);
	if (nd > 0)
		note("  %zu wrong: %s", nd, bstr(&d));
	buf_free(&d);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (o != NULL)
		facts_free(facts, o->nmarks);
	obs_free(o);
}

/*
 * Reading order: a mark never comes after one that starts a row (8 CSS px,
 * observe.c's line height) or more above it, and marks with the same top
 * go left to right.
 */
static void
check_order(const struct obs *o, const struct fact *facts, const char *what)
{
	struct buf d;
	size_t i, j, nd = 0;
	int ids = 1;

	buf_init(&d, 1 << 16);
	for (i = 0; i < o->nmarks; i++) {
		if (o->marks[i].id != (int)i + 1)
			ids = 0;
		for (j = i + 1; j < o->nmarks; j++) {
			const struct mark *a = &o->marks[i], *b = &o->marks[j];

			if (a->y >= b->y + 8)
				diag_add(&d, &nd, "[%d] %s at y %.0f before "
				    "[%d] %s at y %.0f", a->id,
				    mark_desc(o, facts, i), a->y, b->id,
				    mark_desc(o, facts, j), b->y);
			else if (fabs(a->y - b->y) < 0.01 && a->x > b->x)
				diag_add(&d, &nd, "[%d] %s at x %.0f before "
				    "[%d] %s at x %.0f on the same line",
				    a->id, mark_desc(o, facts, i), a->x,
				    b->id, mark_desc(o, facts, j), b->x);
		}
	}
	ok(ids && nd == 0, "%s: ids 1..%zu in reading order", what,
	    o->nmarks);
	if (nd > 0)
		note("  %zu out of order: %s", nd, bstr(&d));
	buf_free(&d);
}

/*
 * Share of pixels of rectangle x, y, w, h (clipped) where a and b differ,
 * leaving out the rectangle hole (x, y, w, h; may be NULL) and pixels set
 * in skip (a.w x a.h bytes; may be NULL).  -1 if no pixel is left.
 */
static double
differ(const struct img *a, const struct img *b, int x, int y, int w, int h,
    const int *hole, const unsigned char *skip)
{
	long n = 0, nd = 0;
	int i, j;

	for (j = y < 0 ? 0 : y; j < y + h && j < a->h; j++)
		for (i = x < 0 ? 0 : x; i < x + w && i < a->w; i++) {
			const uint8_t *p, *q;

			if (hole != NULL && i >= hole[0] &&
			    i < hole[0] + hole[2] && j >= hole[1] &&
			    j < hole[1] + hole[3])
				continue;
			if (skip != NULL && skip[(size_t)j * a->w + i])
				continue;
			p = a->px + ((size_t)j * a->w + i) * 4;
			q = b->px + ((size_t)j * b->w + i) * 4;
			n++;
			if (memcmp(p, q, 3) != 0)
				nd++;
		}
	return n == 0 ? -1 : (double)nd / n;
}

/*
 * The Set-of-Mark image: obs_som_png() decodes to the screenshot's size,
 * is what som_draw() makes of the screenshot and the marks, differs from
 * the screenshot around every mark's box, and every label lies in the
 * image at the corner som_draw() reports, touching the mark's outline.
 * Returns the labels' height (image px), or 0.
 */
static int
check_som(const struct obs *o, const struct fact *facts, const char *what)
{
	struct img shot = { 0, 0, NULL }, som = { 0, 0, NULL },
	    mine = { 0, 0, NULL };
	struct som_mark *sm = NULL;
	struct som_label *lab = NULL;
	struct som_params sp;
	struct buf d, dl;
	unsigned char *png = NULL, *under = NULL;
	size_t len = 0, i, nd = 0, nl = 0, nring = 0;
	double scale, f;
	int r, t, same, halo, lh = 0;

	buf_init(&d, 1 << 16);
	buf_init(&dl, 1 << 16);
	if (o->png == NULL || img_decode_png(o->png, o->png_len, 0,
	    &shot) != 0) {
		ok(0, "%s: the screenshot decodes", what);
		goto out;
	}
	r = obs_som_png(o, 0, &png, &len);
	if (r == 0)
		r = img_decode_png(png, len, 0, &som);
	ok(r == 0 && som.w == shot.w && som.h == shot.h &&
	    shot.w == (int)lround(o->vw * o->scale) &&
	    shot.h == (int)lround(o->vh * o->scale),
	    "%s: som.png decodes to the screenshot's %dx%d (%dx%d, viewport "
	    "%dx%d at %g)", what, shot.w, shot.h, som.w, som.h, o->vw, o->vh,
	    o->scale);
	if (r != 0 || som.w != shot.w || som.h != shot.h)
		goto out;
	scale = (double)shot.w / o->vw;
	t = (int)lround(2 * scale) < 1 ? 1 : (int)lround(2 * scale);

	/* The same drawing done here, to learn where labels went. */
	sm = xcalloc(o->nmarks + 1, sizeof(*sm));
	lab = xcalloc(o->nmarks + 1, sizeof(*lab));
	for (i = 0; i < o->nmarks; i++) {
		sm[i].id = o->marks[i].id;
		sm[i].x = o->marks[i].x;
		sm[i].y = o->marks[i].y;
		sm[i].w = o->marks[i].w;
		sm[i].h = o->marks[i].h;
	}
	mine.w = shot.w;
	mine.h = shot.h;
	mine.px = xmalloc((size_t)shot.w * shot.h * 4);
	memcpy(mine.px, shot.px, (size_t)shot.w * shot.h * 4);
	som_default_params(&sp);
	sp.scale = scale;
	r = som_draw(&mine, sm, o->nmarks, &sp, lab);
	same = r == 0 && memcmp(mine.px, som.px,
	    (size_t)shot.w * shot.h * 4) == 0;
	/*
	 * Labels (with their halo) go on top of outlines and can match the
	 * page where they cover another mark's outline: leave them out.
	 */
	halo = (int)lround(scale) < 1 ? 1 : (int)lround(scale);
	under = xcalloc((size_t)shot.w * shot.h, 1);
	for (i = 0; i < o->nmarks; i++) {
		int x, y;

		for (y = lab[i].y - halo; lab[i].w > 0 &&
		    y < lab[i].y + lab[i].h + halo; y++)
			for (x = lab[i].x - halo; x < lab[i].x + lab[i].w +
			    halo; x++)
				if (x >= 0 && y >= 0 && x < shot.w &&
				    y < shot.h)
					under[(size_t)y * shot.w + x] = 1;
	}
	ok(same, "%s: som.png is som_draw() of the screenshot and the marks",
	    what);

	for (i = 0; i < o->nmarks; i++) {
		const struct mark *m = &o->marks[i];
		int box[4], fr[4], x1, y1, ok_x, ok_y;
		const struct som_label *l = &lab[i];

		box[0] = (int)lround(m->x * scale);
		box[1] = (int)lround(m->y * scale);
		x1 = (int)lround((m->x + m->w) * scale);
		y1 = (int)lround((m->y + m->h) * scale);
		box[2] = x1 > box[0] ? x1 - box[0] : 1;
		box[3] = y1 > box[1] ? y1 - box[1] : 1;
		/* The outline ring: the box grown by t, minus the box. */
		fr[0] = box[0] - t;
		fr[1] = box[1] - t;
		fr[2] = box[2] + 2 * t;
		fr[3] = box[3] + 2 * t;
		f = differ(&shot, &som, fr[0], fr[1], fr[2], fr[3], box,
		    under);
		if (f >= 0) {
			nring++;
			if (f < 0.95)
				diag_add(&d, &nd, "%s: only %.0f%% of the "
				    "outline differs", mark_desc(o, facts, i),
				    f * 100);
		}
		if (l->w == 0) {
			diag_add(&dl, &nl, "%s: no label",
			    mark_desc(o, facts, i));
			continue;
		}
		if (lh == 0)
			lh = l->h;
		/* The outline clipped to the image, as som_draw() has it. */
		x1 = fr[0] + fr[2] > shot.w ? shot.w : fr[0] + fr[2];
		y1 = fr[1] + fr[3] > shot.h ? shot.h : fr[1] + fr[3];
		fr[0] = fr[0] < 0 ? 0 : fr[0];
		fr[1] = fr[1] < 0 ? 0 : fr[1];
		fr[2] = x1 - fr[0];
		fr[3] = y1 - fr[1];
		ok_x = l->corner == 0 || l->corner == 2 ? l->x == fr[0] :
		    l->x + l->w == fr[0] + fr[2];
		ok_y = l->corner < 2 ? l->y + l->h == fr[1] || l->y == fr[1] :
		    l->y == fr[1] + fr[3] || l->y + l->h == fr[1] + fr[3];
		/* Pushed back into the image at an edge. */
		if (l->x == 0 || l->x + l->w == shot.w)
			ok_x = l->x <= fr[0] + fr[2] && l->x + l->w >= fr[0];
		if (l->y == 0 || l->y + l->h == shot.h)
			ok_y = l->y <= fr[1] + fr[3] && l->y + l->h >= fr[1];
		if (l->x < 0 || l->y < 0 || l->x + l->w > shot.w ||
		    l->y + l->h > shot.h)
			diag_add(&dl, &nl, "%s: label %d,%d %dx%d outside the "
			    "image", mark_desc(o, facts, i), l->x, l->y, l->w,
			    l->h);
		else if (!ok_x || !ok_y)
			diag_add(&dl, &nl, "%s: label %d,%d %dx%d (corner %d) "
			    "not at the outline %d,%d %dx%d",
			    mark_desc(o, facts, i), l->x, l->y, l->w, l->h,
			    l->corner, fr[0], fr[1], fr[2], fr[3]);
		else if ((f = differ(&shot, &som, l->x, l->y, l->w, l->h,
		    NULL, NULL)) < 0.5)
			diag_add(&dl, &nl, "%s: som.png shows no label at "
			    "%d,%d (%.0f%% differs)", mark_desc(o, facts, i),
			    l->x, l->y, f * 100);
	}
	ok(nd == 0 && nring > 0, "%s: som.png differs from the screenshot "
	    "around %zu mark boxes", what, nring);
	if (nd > 0)
		note("  %zu: %s", nd, bstr(&d));
	ok(nl == 0, "%s: %zu labels in the image, at their mark's corner",
	    what, o->nmarks);
	if (nl > 0)
		note("  %zu: %s", nl, bstr(&dl));
out:
	buf_free(&d);
	buf_free(&dl);
	free(png);
	free(under);
	free(sm);
	free(lab);
	img_free(&shot);
	img_free(&som);
	img_free(&mine);
	return lh;
}

/* The value of every field in every frame: [[frame, key, value], ...]. */
static cJSON *
field_values(struct cdp_page *page, const struct obs *o)
{
	cJSON *all = cJSON_CreateArray(), *v, *e, *row;
	size_t fi;

	for (fi = 0; fi < o->nframes; fi++) {
		v = probe(page, o, fi, "values()");
		cJSON_ArrayForEach(e, v) {
			row = cJSON_CreateArray();
			cJSON_AddItemToArray(row,
			    cJSON_CreateNumber((double)fi));
			cJSON_AddItemToArray(row, cJSON_Duplicate(
			    cJSON_GetArrayItem(e, 0), 1));
			cJSON_AddItemToArray(row, cJSON_Duplicate(
			    cJSON_GetArrayItem(e, 1), 1));
			cJSON_AddItemToArray(all, row);
		}
		cJSON_Delete(v);
	}
	return all;
}

/*
 * The text to type into mark m, or NULL when it takes no free text
 * (dates, colours, ranges...).
 */
static char *
typing_text(const struct mark *m, int n)
{
	static const char *const texty[] = { "", "text", "search", "email",
	    "url", "tel", "password" };
	size_t i;

	if (strcmp(m->tag, "select") == 0)
		return NULL;
	if (strcmp(m->tag, "input") != 0)
		return xasprintf("typed %d wörld", n);
	if (strcmp(m->type, "number") == 0)
		return xasprintf("%d", 4200 + n);
	for (i = 0; i < sizeof(texty) / sizeof(texty[0]); i++)
		if (strcmp(m->type, texty[i]) == 0)
			return xasprintf(strcmp(m->type, "email") == 0 ?
			    "typed%d@example.org" : "typed-%d-wörld", n);
	return NULL;
}

/*
 * Types into every editable mark and checks that the text landed in that
 * field, replacing its value, and that no other field changed.
 */
static void
check_typing(struct cdp_page *page, const char *what)
{
	struct obs *o;
	struct fact *facts;
	struct buf d;
	cJSON *before = NULL, *after = NULL;
	size_t i, j, nd = 0, tried = 0, replaced = 0, ce = 0;
	char *text;

	if ((o = capture(page, 0, what)) == NULL)
		return;
	facts = read_facts(page, o);
	buf_init(&d, 1 << 16);
	for (i = 0; i < o->nmarks; i++) {
		const struct mark *m = &o->marks[i];
		const cJSON *br, *ar, *target = NULL;
		size_t nchanged = 0;
		int hadvalue = 0;

		if (!m->editable || m->disabled || facts[i].name == NULL ||
		    (text = typing_text(m, m->id)) == NULL)
			continue;
		tried++;
		before = field_values(page, o);
		if (act(page, o, ACT_TYPE, m->id, text) != 0) {
			diag_add(&d, &nd, "%s: TYPE failed",
			    mark_desc(o, facts, i));
			goto next;
		}
		after = field_values(page, o);
		if (cJSON_GetArraySize(before) != cJSON_GetArraySize(after)) {
			diag_add(&d, &nd, "%s: the number of fields changed",
			    mark_desc(o, facts, i));
			goto next;
		}
		for (j = 0; j < (size_t)cJSON_GetArraySize(after); j++) {
			br = cJSON_GetArrayItem(before, (int)j);
			ar = cJSON_GetArrayItem(after, (int)j);
			if ((int)jd(ar, 0) == m->frame &&
			    strcmp(row_str(ar, 1), facts[i].name) == 0) {
				target = ar;
				hadvalue = *row_str(br, 2) != '\0';
			}
			if (strcmp(row_str(br, 2), row_str(ar, 2)) != 0) {
				nchanged++;
				if (strcmp(row_str(ar, 1), facts[i].name) != 0)
					diag_add(&d, &nd, "typing into %s "
					    "changed %s too (\"%s\")",
					    mark_desc(o, facts, i),
					    row_str(ar, 1), row_str(ar, 2));
			}
		}
		if (target == NULL)
			diag_add(&d, &nd, "%s: field not found by name",
			    mark_desc(o, facts, i));
		else if (strcmp(row_str(target, 2), text) != 0)
			diag_add(&d, &nd, "%s: value \"%s\", want \"%s\"%s",
			    mark_desc(o, facts, i), row_str(target, 2), text,
			    hadvalue ? " (had a value before)" : "");
		else {
			replaced += hadvalue;
			ce += strcmp(m->tag, "input") != 0 &&
			    strcmp(m->tag, "textarea") != 0;
		}
		if (nchanged == 0)
			diag_add(&d, &nd, "%s: no field changed",
			    mark_desc(o, facts, i));
next:
		cJSON_Delete(before);
		cJSON_Delete(after);
		before = after = NULL;
		free(text);
	}
	ok(tried > 0 && nd == 0, "%s: typing into each of %zu fields lands "
	    "there and nowhere else", what, tried);
	if (nd > 0)
		note("  %zu: %s", nd, bstr(&d));
	note("%s: %zu fields had a value that typing replaced, %zu "
	    "contenteditable", what, replaced, ce);
	buf_free(&d);
	facts_free(facts, o->nmarks);
	obs_free(o);
}

/*
 * Chooses another option in every select mark by its text and checks the
 * choice, and that change fired once.
 */
static void
check_selects(struct cdp_page *page, const char *what)
{
	struct obs *o;
	struct fact *facts;
	struct buf d;
	cJSON *v;
	size_t i, nd = 0, tried = 0;
	char *call;

	if ((o = capture(page, 0, what)) == NULL)
		return;
	facts = read_facts(page, o);
	buf_init(&d, 1 << 16);
	for (i = 0; i < o->nmarks; i++) {
		const struct mark *m = &o->marks[i];
		int want;

		if (strcmp(m->tag, "select") != 0 || m->disabled ||
		    m->noptions < 2)
			continue;
		tried++;
		want = m->option_selected < 0 ? 1 :
		    (m->option_selected + 1) % (int)m->noptions;
		call = xasprintf("watch(%d)", m->ref);
		cJSON_Delete(probe(page, o, (size_t)m->frame, call));
		free(call);
		if (act(page, o, ACT_SELECT, m->id, m->options[want]) != 0) {
			diag_add(&d, &nd, "%s: SELECT \"%s\" failed",
			    mark_desc(o, facts, i), m->options[want]);
			continue;
		}
		call = xasprintf("selstate(%d)", m->ref);
		v = probe(page, o, (size_t)m->frame, call);
		free(call);
		if (!cJSON_IsArray(v) || (int)jd(v, 1) != want ||
		    strcmp(row_str(v, 2), m->options[want]) != 0 ||
		    (int)jd(v, 3) != 1)
			diag_add(&d, &nd, "%s: after SELECT \"%s\" (option %d) "
			    "the select has option %d \"%s\", %d change "
			    "events", mark_desc(o, facts, i), m->options[want],
			    want, (int)jd(v, 1), row_str(v, 2), (int)jd(v, 3));
		cJSON_Delete(v);
	}
	ok(tried > 0 && nd == 0, "%s: SELECT by option text in each of %zu "
	    "selects picks it and fires change once", what, tried);
	if (nd > 0)
		note("  %zu: %s", nd, bstr(&d));
	buf_free(&d);
	facts_free(facts, o->nmarks);
	obs_free(o);
}

/* Collapses white space and trims, in place. */
static char *
squash(char *s)
{
	char *d = s, *p;
	int sp = 0;

	for (p = s; *p != '\0'; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			sp = d != s;
			continue;
		}
		if (sp)
			*d++ = ' ';
		sp = 0;
		*d++ = *p;
	}
	*d = '\0';
	return s;
}

/* The value of mark field key as the pages write it; NULL if unknown. */
static char *
mark_field(const struct mark *m, const char *key)
{
	if (strcmp(key, "role") == 0)
		return xstrdup(m->role);
	if (strcmp(key, "label") == 0)
		return xstrdup(m->label);
	if (strcmp(key, "text") == 0)
		return xstrdup(m->text);
	if (strcmp(key, "type") == 0)
		return xstrdup(m->type);
	if (strcmp(key, "value") == 0)
		return xstrdup(m->value);
	if (strcmp(key, "checked") == 0)
		return xasprintf("%d", m->checked);
	if (strcmp(key, "selected") == 0)
		return xasprintf("%d", m->selected);
	if (strcmp(key, "disabled") == 0)
		return xasprintf("%d", m->disabled);
	if (strcmp(key, "listener") == 0)
		return xasprintf("%d", m->listener);
	if (strcmp(key, "editable") == 0)
		return xasprintf("%d", m->editable);
	if (strcmp(key, "focused") == 0)
		return xasprintf("%d", m->focused);
	if (strcmp(key, "option_selected") == 0)
		return xasprintf("%d", m->option_selected);
	return NULL;
}

/* The field kinds pages state (data-expect-FIELD). */
static const char *const kinds[] = { "label", "listener", "role", "text",
    "value", "checked", "selected", "disabled", "editable", "focused",
    "option_selected", "type" };
#define NKINDS	(sizeof(kinds) / sizeof(kinds[0]))

/*
 * Compares mark m (named name) with the fields f the page states for it,
 * counting per kind in nt and listing differences in d and nd.
 */
static void
details_one(const struct mark *m, const char *name, const cJSON *f,
    struct buf *d, size_t *nd, size_t *nt)
{
	char *got, *want;
	size_t k;

	for (k = 0; k < NKINDS; k++) {
		if ((want = jdup(f, kinds[k])) == NULL)
			continue;
		nt[k]++;
		got = squash(mark_field(m, kinds[k]));
		squash(want);
		if (strcmp(got, want) != 0)
			diag_add(&d[k], &nd[k], "%s: %s \"%s\", want \"%s\"",
			    name, kinds[k], got, want);
		free(got);
		free(want);
	}
}

/*
 * The fields the pages state for their marks (data-expect-FIELD, as
 * window.__expect().details): labels, listener flags, roles, text,
 * values and states.  One test per field kind present.
 */
static void
check_details(struct cdp_page *page, const struct obs *o,
    const struct fact *facts, const char *what)
{
	struct buf d[NKINDS];
	size_t nd[NKINDS], nt[NKINDS], fi, i, k;
	cJSON *ex;

	for (k = 0; k < NKINDS; k++) {
		buf_init(&d[k], 1 << 16);
		nd[k] = nt[k] = 0;
	}
	for (fi = 0; fi < o->nframes; fi++) {
		ex = probe(page, o, fi, "expect()");
		for (i = 0; i < o->nmarks; i++)
			if (o->marks[i].frame == (int)fi &&
			    facts[i].name != NULL)
				details_one(&o->marks[i], facts[i].name,
				    cJSON_GetObjectItemCaseSensitive(
				    cJSON_GetObjectItemCaseSensitive(ex,
				    "details"), facts[i].name), d, nd, nt);
		cJSON_Delete(ex);
	}
	for (k = 0; k < NKINDS; k++) {
		if (nt[k] > 0) {
			ok(nd[k] == 0, "%s: %zu marks have the expected %s",
			    what, nt[k], kinds[k]);
			if (nd[k] > 0)
				note("  %zu: %s", nd[k], bstr(&d[k]));
		}
		buf_free(&d[k]);
	}
}

enum {
	T_CLICK = 1,
	T_TYPE = 2,
	T_SELECT = 4,
	T_FRAMES = 8,
	T_HANDLERS = 16,
	T_SCROLL = 32
};

/* A mark's box by name, kept from one capture to compare with another. */
struct snap {
	char	*name;
	double	 x, y, w, h;	/* the mark's box */
	double	 px, py, pw, ph;	/* the element's, by the page */
};

static struct snap *snaps;
static size_t nsnaps;
static int som_lh1;		/* label height at scale 1 */

/* Forgets the kept boxes. */
static void
snaps_free(void)
{
	size_t i;

	for (i = 0; i < nsnaps; i++)
		free(snaps[i].name);
	free(snaps);
	snaps = NULL;
	nsnaps = 0;
}

/* Keeps the named marks' boxes of o. */
static void
snaps_take(const struct obs *o, const struct fact *facts)
{
	size_t i;

	snaps_free();
	snaps = xcalloc(o->nmarks + 1, sizeof(*snaps));
	for (i = 0; i < o->nmarks; i++) {
		if (facts[i].name == NULL)
			continue;
		snaps[nsnaps].name = xstrdup(facts[i].name);
		snaps[nsnaps].x = o->marks[i].x;
		snaps[nsnaps].y = o->marks[i].y;
		snaps[nsnaps].w = o->marks[i].w;
		snaps[nsnaps].h = o->marks[i].h;
		snaps[nsnaps].px = facts[i].x;
		snaps[nsnaps].py = facts[i].y;
		snaps[nsnaps].pw = facts[i].w;
		snaps[nsnaps].ph = facts[i].h;
		nsnaps++;
	}
}

/*
 * Frames: each child frame's origin is the content box of its iframe
 * element as the top frame measures it, and marks come from the
 * same-origin and the cross-site frame.
 */
static void
check_frames(struct cdp_page *page, const struct obs *o, const char *what)
{
	struct buf d;
	cJSON *v, *e;
	size_t fi, i, nd = 0, nchild = 0, cross = 0, same = 0;
	char host[64];

	buf_init(&d, 1 << 16);
	v = probe(page, o, 0, "iframes()");
	snprintf(host, sizeof(host), "//localhost:%d/", port_b);
	for (fi = 1; fi < o->nframes; fi++) {
		const struct obs_frame *f = &o->frames[fi];
		size_t nm = 0;

		for (i = 0; i < o->nmarks; i++)
			nm += o->marks[i].frame == (int)fi;
		if (strstr(f->url, host) != NULL)
			cross += nm;
		else
			same += nm;
		cJSON_ArrayForEach(e, v)
			if (strcmp(row_str(e, 0), f->url) == 0)
				break;
		if (e == NULL)
			continue;	/* nested deeper, or gone */
		nchild++;
		if (fabs(f->ox - jd(e, 1)) > BOX_TOL ||
		    fabs(f->oy - jd(e, 2)) > BOX_TOL)
			diag_add(&d, &nd, "%s: origin %.1f,%.1f, iframe "
			    "content box at %.1f,%.1f", f->url, f->ox, f->oy,
			    jd(e, 1), jd(e, 2));
	}
	cJSON_Delete(v);
	ok(nchild > 0 && nd == 0, "%s: %zu child frames' origins are their "
	    "iframes' content boxes", what, nchild);
	if (nd > 0)
		note("  %zu: %s", nd, bstr(&d));
	ok(same > 0 && cross > 0, "%s: marks from the same-origin (%zu) and "
	    "the cross-site frame (%zu)", what, same, cross);
	buf_free(&d);
}

/*
 * listener.html with its own handlers live: a click on each listener-only
 * mark whose handler records itself (data-hit = the event type) runs
 * exactly that handler, and the onclick attribute's handler runs.
 */
static void
check_handlers(struct cdp_page *page, const char *what)
{
	static const char *const names[] = { "span-click", "div-mousedown",
	    "late-listener", "onclick-attr" };
	struct obs *o;
	struct fact *facts;
	cJSON *v = NULL;
	char *got = NULL;
	size_t i;
	int k, acted = 1;

	if ((o = capture(page, 0, what)) == NULL)
		return;
	facts = read_facts(page, o);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if ((k = find_mark(o, facts, names[i])) < 0 ||
		    act(page, o, ACT_CLICK, o->marks[k].id, NULL) != 0) {
			note("%s: cannot click %s", what, names[i]);
			acted = 0;
		}
	}
	if (cdp_page_eval(page, "Array.from(document.querySelectorAll("
	    "'[data-hit]')).map(function(e){return e.getAttribute("
	    "'data-expect')+'='+e.getAttribute('data-hit');}).join(' ')+"
	    "' / '+document.querySelector('[data-expect=onclick-attr]')"
	    ".textContent", 5000, &v) == 0 && cJSON_IsString(v))
		got = xstrdup(v->valuestring);
	cJSON_Delete(v);
	ok(acted && got != NULL && strcmp(got, "span-click=click "
	    "div-mousedown=mousedown late-listener=pointerup / clicked") == 0,
	    "%s: clicks run exactly the clicked elements' own handlers", what);
	if (got == NULL || strcmp(got, "span-click=click div-mousedown="
	    "mousedown late-listener=pointerup / clicked") != 0)
		note("  handlers that ran: %s", got != NULL ? got : "?");
	free(got);
	facts_free(facts, o->nmarks);
	obs_free(o);
}

/*
 * Scrolls down with the wheel (SCROLL down, twice) and observes again: the
 * marks are then exactly what the page expects at the new position, boxes
 * included, and the scroll position is reported.
 */
static void
check_scrolled(struct cdp_page *page, const char *what)
{
	struct obs *o;
	struct fact *facts;
	struct action a;
	char *cause = NULL, label[160];
	double last;
	int r = 0, i;

	if ((o = capture(page, 0, what)) == NULL)
		return;
	memset(&a, 0, sizeof(a));
	a.op = ACT_SCROLL;
	a.dir = 1;
	for (i = 0; i < 2 && r == 0; i++)
		if ((r = action_exec(page, o, &a, &cause)) != 0)
			note("SCROLL: %s", cause != NULL ? cause : "?");
	free(cause);
	obs_free(o);
	/* Wait for the scroll position to hold still (smooth scrolling). */
	for (i = 0, last = -1; i < 20; i++) {
		cJSON *v = NULL;
		double y = -2;

		if (cdp_page_eval(page, "scrollY", 5000, &v) == 0 &&
		    cJSON_IsNumber(v))
			y = v->valuedouble;
		cJSON_Delete(v);
		if (fabs(y - last) < 0.5)
			break;
		last = y;
		cdp_conn_pump(cdp_page_conn(page), 50, NULL, NULL);
	}
	if ((o = capture(page, 1, what)) == NULL)
		return;
	ok(r == 0 && o->scroll_y > 1000, "%s: scrolled down twice to y %.0f",
	    what, o->scroll_y);
	snprintf(label, sizeof(label), "%s scrolled", what);
	facts = check_marks(page, o, label);
	check_order(o, facts, label);
	facts_free(facts, o->nmarks);
	obs_free(o);
}

/*
 * The checks every fixture page gets: exact marks and boxes, reading
 * order, the Set-of-Mark image, stated labels and listener flags; then
 * clicks, typing and selects as flags ask.  Returns the observation (and
 * *factsp) when keep is set, for more checks.
 */
static void
test_fixture(const char *path, int flags)
{
	struct cdp_page *page;
	struct obs *o;
	struct fact *facts;
	int lh;

	if ((page = page_load(path, 1)) == NULL)
		return;
	if ((o = capture(page, 1, path)) == NULL) {
		cdp_page_free(page);
		return;
	}
	note("%s: %zu marks in %zu frames, screenshot %.0f ms, marks %.0f "
	    "ms", path, o->nmarks, o->nframes, o->t.screenshot_ms,
	    o->t.marks_ms);
	facts = check_marks(page, o, path);
	check_order(o, facts, path);
	lh = check_som(o, facts, path);
	check_details(page, o, facts, path);
	if (flags & T_FRAMES)
		check_frames(page, o, path);
	if (strcmp(path, "controls.html") == 0) {
		snaps_take(o, facts);
		som_lh1 = lh;
	}
	facts_free(facts, o->nmarks);
	obs_free(o);
	if (flags & T_CLICK)
		check_clicks(page, path, 1);
	if (flags & T_TYPE)
		check_typing(page, path);
	if (flags & T_SELECT)
		check_selects(page, path);
	if (flags & T_HANDLERS)
		check_handlers(page, path);
	if (flags & T_SCROLL)
		check_scrolled(page, path);
	cdp_page_free(page);
}

/* The mark of o whose element is named name (via facts); NULL if none. */
static const struct mark *
mark_named(const struct obs *o, const struct fact *facts, const char *name)
{
	int k = find_mark(o, facts, name);

	return k < 0 ? NULL : &o->marks[k];
}

/*
 * The trace of marks: a menu opened by a click brings new marks, a field
 * typed into is changed, everything else is the same; with nothing done
 * nothing changed; a closed menu's marks count as gone.
 */
static void
test_trace(void)
{
	static const char *const change[] = { "same", "new", "moved",
	    "changed" };
	struct cdp_page *page;
	struct obs *o1 = NULL, *o2 = NULL, *o3 = NULL, *o4 = NULL;
	struct fact *f1 = NULL, *f2 = NULL;
	const struct mark *btn, *field, *pm;
	struct buf d;
	size_t i, n, nd = 0, nnew = 0, nsame = 0;
	int quiet, all;

	buf_init(&d, 1 << 16);
	if ((page = page_load("trace.html", 1)) == NULL)
		return;
	if ((o1 = capture(page, 0, "trace.html")) == NULL)
		goto out;
	f1 = check_marks(page, o1, "trace.html before");
	n = obs_trace(NULL, o1);
	for (i = 0, all = 1; i < o1->nmarks; i++)
		if (o1->marks[i].change != MARK_NEW || o1->marks[i].prev != 0)
			all = 0;
	ok(n == o1->nmarks && all, "trace: without a previous observation "
	    "all %zu marks are new (%zu)", o1->nmarks, n);
	btn = mark_named(o1, f1, "menu-button");
	field = mark_named(o1, f1, "field");
	if (btn == NULL || field == NULL) {
		ok(0, "trace: the page has its button and field");
		goto out;
	}
	ok(act(page, o1, ACT_TYPE, field->id, "hello") == 0 &&
	    act(page, o1, ACT_CLICK, btn->id, NULL) == 0,
	    "trace: type into the field, click the menu button");
	cdp_page_settle(page, 1000, &quiet);
	if ((o2 = capture(page, 0, "trace.html")) == NULL)
		goto out;
	f2 = check_marks(page, o2, "trace.html with the menu open");
	n = obs_trace(o1, o2);
	for (i = 0; i < o2->nmarks; i++) {
		const struct mark *m = &o2->marks[i];
		const char *name = f2[i].name != NULL ? f2[i].name : "?";
		int want;

		pm = f2[i].name != NULL ? mark_named(o1, f1, f2[i].name) :
		    NULL;
		if (strncmp(name, "item-", 5) == 0)
			want = MARK_NEW;
		else if (strcmp(name, "field") == 0)
			want = MARK_CHANGED;
		else
			want = MARK_SAME;
		if (m->change != want)
			diag_add(&d, &nd, "%s is %s, want %s", name,
			    change[m->change & 3], change[want]);
		else if (want != MARK_NEW && (pm == NULL || m->prev != pm->id))
			diag_add(&d, &nd, "%s: prev %d, want %d", name,
			    m->prev, pm != NULL ? pm->id : -1);
		else if (want == MARK_NEW && m->prev != 0)
			diag_add(&d, &nd, "%s: new but prev %d", name,
			    m->prev);
		nnew += m->change == MARK_NEW;
		nsame += m->change == MARK_SAME;
	}
	ok(nd == 0 && nnew == 3, "trace: the 3 menu items are new, the "
	    "field changed, %zu others the same", nsame);
	if (nd > 0)
		note("  %zu: %s", nd, bstr(&d));
	is_int(n, 4, "trace: obs_trace counts 4 changes");

	if ((o3 = capture(page, 0, "trace.html")) == NULL)
		goto out;
	n = obs_trace(o2, o3);
	for (i = 0, all = 1; i < o3->nmarks; i++)
		if (o3->marks[i].change != MARK_SAME ||
		    o3->marks[i].prev != o2->marks[i].id)
			all = 0;
	ok(n == 0 && all && o3->nmarks == o2->nmarks, "trace: observing "
	    "again, all %zu marks are the same (%zu changes)", o3->nmarks,
	    n);

	/* Close the menu: three marks gone, the rest the same. */
	if ((btn = mark_named(o2, f2, "menu-button")) == NULL ||
	    act(page, o3, ACT_CLICK, btn->id, NULL) != 0) {
		ok(0, "trace: click the menu button again");
		goto out;
	}
	cdp_page_settle(page, 1000, &quiet);
	if ((o4 = capture(page, 0, "trace.html")) == NULL)
		goto out;
	n = obs_trace(o3, o4);
	for (i = 0, all = 1; i < o4->nmarks; i++)
		if (o4->marks[i].change != MARK_SAME)
			all = 0;
	ok(n == 3 && all && o4->nmarks + 3 == o3->nmarks, "trace: after "
	    "the menu closed, 3 marks are gone and %zu the same (%zu "
	    "changes)", o4->nmarks, n);
out:
	buf_free(&d);
	if (o1 != NULL)
		facts_free(f1, o1->nmarks);
	if (o2 != NULL)
		facts_free(f2, o2->nmarks);
	obs_free(o1);
	obs_free(o2);
	obs_free(o3);
	obs_free(o4);
	cdp_page_free(page);
}

/* The page of 2,000 elements: bounded, in the viewport, exact, timed. */
static void
test_big(void)
{
	struct cdp_page *page;
	struct obs *o;
	struct fact *facts;
	size_t i, out = 0;
	double t0;

	if ((page = page_load("big.html", 1)) == NULL)
		return;
	t0 = now_ms();
	if ((o = capture(page, 1, "big.html")) == NULL) {
		cdp_page_free(page);
		return;
	}
	note("big.html: capture %.0f ms (screenshot %.0f, marks %.0f), %zu "
	    "marks", now_ms() - t0, o->t.screenshot_ms, o->t.marks_ms,
	    o->nmarks);
	ok(o->nmarks > 0 && o->nmarks <= OBS_MAX_MARKS,
	    "big.html: %zu marks, at most %d", o->nmarks, OBS_MAX_MARKS);
	for (i = 0; i < o->nmarks; i++) {
		const struct mark *m = &o->marks[i];

		if (m->x < 0 || m->y < 0 || m->x + m->w > o->vw + 0.01 ||
		    m->y + m->h > o->vh + 0.01 || m->w < 1 || m->h < 1)
			out++;
	}
	is_int(out, 0, "big.html: every mark lies in the %dx%d viewport",
	    o->vw, o->vh);
	facts = check_marks(page, o, "big.html");
	check_order(o, facts, "big.html");
	check_som(o, facts, "big.html");
	facts_free(facts, o->nmarks);
	obs_free(o);
	check_clicks(page, "big.html (every 25th)", 25);
	cdp_page_free(page);
}

/*
 * Device pixel ratio 2: the screenshot is twice the viewport, boxes stay
 * in CSS px (the same as at ratio 1), and SoM labels are twice as tall.
 */
static void
test_dpr2(void)
{
	struct cdp_page *page;
	struct obs *o;
	struct fact *facts;
	struct img im = { 0, 0, NULL };
	struct buf d;
	size_t i, nd = 0, matched = 0, moved = 0;
	int lh, k, r;

	buf_init(&d, 1 << 16);
	if ((page = page_load("controls.html", 2)) == NULL)
		return;
	if ((o = capture(page, 1, "controls.html at 2x")) == NULL) {
		cdp_page_free(page);
		return;
	}
	r = img_decode_png(o->png, o->png_len, 0, &im);
	ok(r == 0 && im.w == 2 * o->vw && im.h == 2 * o->vh &&
	    fabs(o->scale - 2) < 0.01, "2x: the screenshot is %dx%d for a "
	    "%dx%d viewport, scale %g", im.w, im.h, o->vw, o->vh, o->scale);
	img_free(&im);
	facts = check_marks(page, o, "controls.html at 2x");
	for (i = 0; i < nsnaps; i++) {
		if ((k = find_mark(o, facts, snaps[i].name)) < 0) {
			diag_add(&d, &nd, "%s: not a mark at 2x",
			    snaps[i].name);
			continue;
		}
		matched++;
		if (!(fabs(o->marks[k].x - snaps[i].x) > BOX_TOL ||
		    fabs(o->marks[k].y - snaps[i].y) > BOX_TOL ||
		    fabs(o->marks[k].w - snaps[i].w) > BOX_TOL ||
		    fabs(o->marks[k].h - snaps[i].h) > BOX_TOL))
			continue;
		/*
		 * Native controls may lay out a little differently at 2x
		 * (font metrics): fine when the page's own rect moved too.
		 */
		if (fabs(facts[k].x - snaps[i].px) > BOX_TOL ||
		    fabs(facts[k].y - snaps[i].py) > BOX_TOL ||
		    fabs(facts[k].w - snaps[i].pw) > BOX_TOL ||
		    fabs(facts[k].h - snaps[i].ph) > BOX_TOL) {
			moved++;
			note("2x: %s is laid out at %.1f,%.1f %.1fx%.1f, "
			    "not %.1f,%.1f %.1fx%.1f", snaps[i].name,
			    facts[k].x, facts[k].y, facts[k].w, facts[k].h,
			    snaps[i].px, snaps[i].py, snaps[i].pw,
			    snaps[i].ph);
			continue;
		}
		diag_add(&d, &nd, "%s: %.1f,%.1f %.1fx%.1f at 2x, %.1f,%.1f "
		    "%.1fx%.1f at 1x", snaps[i].name, o->marks[k].x,
		    o->marks[k].y, o->marks[k].w, o->marks[k].h, snaps[i].x,
		    snaps[i].y, snaps[i].w, snaps[i].h);
	}
	ok(nsnaps > 0 && nd == 0 && matched == o->nmarks && moved <= 2,
	    "2x: the %zu boxes are the CSS px boxes of 1x (%zu marks, %zu "
	    "laid out differently by the page)", nsnaps, o->nmarks, moved);
	if (nd > 0)
		note("  %zu: %s", nd, bstr(&d));
	lh = check_som(o, facts, "controls.html at 2x");
	ok(som_lh1 > 0 && lh == 2 * som_lh1, "2x: SoM labels are %d px "
	    "tall, twice %d", lh, som_lh1);
	facts_free(facts, o->nmarks);
	obs_free(o);
	buf_free(&d);
	cdp_page_free(page);
}

int
main(void)
{
	char root[1024], path[128];
	pid_t site_a = -1, site_b = -1;
	double t0 = now_ms();

	log_init("test-observe", 0, getenv("WEBNAV_DEBUG") != NULL ?
	    LOG_LVL_DEBUG : LOG_LVL_WARN);
	/* The pages link to each other as /observe/...: serve tests/sites. */
	snprintf(root, sizeof(root), "%s/tests/sites", WEBNAV_SRCDIR);
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

	test_fixture("controls.html", T_CLICK | T_TYPE | T_SELECT);
	test_fixture("listener.html", T_CLICK | T_HANDLERS);
	test_fixture("labels.html", T_TYPE | T_SELECT);
	snprintf(path, sizeof(path), "frames.html?xo=http://localhost:%d/"
	    "observe/frame-xo.html", port_b);
	test_fixture(path, T_CLICK | T_TYPE | T_FRAMES);
	test_fixture("shadow.html", T_CLICK | T_TYPE);
	test_fixture("modal.html", T_CLICK);
	test_fixture("modal.html?only=dialog", T_CLICK);
	test_fixture("modal.html?only=overlay", T_CLICK);
	test_fixture("hidden.html", T_CLICK | T_SCROLL);
	test_big();
	test_trace();
	test_dpr2();
	snaps_free();

	live_site_stop(site_a);
	live_site_stop(site_b);
	live_stop(&L);
	note("total %.1f s", (now_ms() - t0) / 1e3);
	return done_testing();
}
