/*
 * observe.c: one observation: the viewport screenshot and the marks of
 * every frame, merged into top-level viewport coordinates and numbered in
 * reading order.
 *
 * The element work happens in the page: agent/collect.js (embedded as
 * obs_collect_js) runs in each frame's main world and returns that frame's
 * marks; this file composes frames, sorts, numbers, traces marks across
 * steps and serialises them.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cdp.h"
#include "err.h"
#include "img.h"
#include "log.h"
#include "observe.h"
#include "som.h"
#include "xmalloc.h"

extern const char obs_collect_js[];

/* Rows of this many CSS px count as one line in reading order. */
#define OBS_ROW_PX	8.0
/* Cap on frames collected per observation. */
#define OBS_MAX_FRAMES	64

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void
obs_default_params(struct obs_params *p)
{
	memset(p, 0, sizeof(*p));
	p->screenshot = 1;
	p->fast_png = 1;
	p->timeout_ms = 10000;
}

int
obs_install(struct cdp_page *page)
{
	return cdp_page_add_init_script(page, obs_collect_js);
}

/* Copies a JSON string member, capped; "" when absent. */
static char *
jstr(const cJSON *o, const char *key, size_t cap)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	const char *s;
	size_t n;

	if (!cJSON_IsString(v) || (s = v->valuestring) == NULL)
		return xstrdup("");
	n = strlen(s);
	if (n > cap) {
		/* Do not cut a UTF-8 sequence in half. */
		n = cap;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	return xstrndup(s, n);
}

static double
jnum(const cJSON *o, const char *key, double def)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (cJSON_IsNumber(v) && isfinite(v->valuedouble))
		return v->valuedouble;
	if (cJSON_IsBool(v))
		return cJSON_IsTrue(v) ? 1 : 0;
	return def;
}

/* Frees the fields of m and zeroes it (m itself stays). */
void
obs_mark_clear(struct mark *m)
{
	size_t i;

	free(m->tag);
	free(m->role);
	free(m->type);
	free(m->text);
	free(m->label);
	free(m->ctx);
	free(m->value);
	cJSON_Delete(m->attrs);
	for (i = 0; i < m->noptions; i++)
		free(m->options[i]);
	free(m->options);
	memset(m, 0, sizeof(*m));
}

void
obs_free(struct obs *o)
{
	size_t i;

	if (o == NULL)
		return;
	for (i = 0; i < o->nmarks; i++)
		obs_mark_clear(&o->marks[i]);
	free(o->marks);
	for (i = 0; i < o->nframes; i++) {
		free(o->frames[i].frame_id);
		free(o->frames[i].session);
		free(o->frames[i].url);
	}
	free(o->frames);
	free(o->url);
	free(o->title);
	free(o->png);
	free(o);
}

/*
 * Converts one collected mark of frame fi into m, shifting its box by the
 * frame's origin and clipping it to the top-level viewport.  Returns 0 if
 * the mark stays visible, -1 if it should be dropped.
 */
static int
mark_from_json(const cJSON *j, int fi, const struct obs_frame *f, int vw,
    int vh, struct mark *m)
{
	const cJSON *box, *attrs, *opts, *op;
	double x, y, w, h, x2, y2;
	size_t n;

	memset(m, 0, sizeof(*m));
	if ((box = cJSON_GetObjectItemCaseSensitive(j, "box")) == NULL ||
	    !cJSON_IsObject(box))
		return -1;
	x = jnum(box, "x", 0) + f->ox;
	y = jnum(box, "y", 0) + f->oy;
	w = jnum(box, "w", 0);
	h = jnum(box, "h", 0);
	x2 = fmin(x + w, vw);
	y2 = fmin(y + h, vh);
	x = fmax(x, 0);
	y = fmax(y, 0);
	if (x2 - x < 1 || y2 - y < 1)
		return -1;
	m->x = x;
	m->y = y;
	m->w = x2 - x;
	m->h = y2 - y;
	m->frame = fi;
	m->ref = (int)jnum(j, "ref", -1);
	m->uid = (int)jnum(j, "uid", 0);
	m->tag = jstr(j, "tag", 32);
	m->role = jstr(j, "role", 32);
	m->type = jstr(j, "type", 32);
	m->text = jstr(j, "text", OBS_TEXT_MAX);
	m->label = jstr(j, "label", OBS_TEXT_MAX);
	m->ctx = jstr(j, "ctx", OBS_TEXT_MAX);
	m->value = jstr(j, "value", OBS_TEXT_MAX);
	m->checked = (int)jnum(j, "checked", -1);
	m->selected = (int)jnum(j, "selected", -1);
	m->disabled = (int)jnum(j, "disabled", 0);
	m->focused = (int)jnum(j, "focused", 0);
	m->editable = (int)jnum(j, "editable", 0);
	m->listener = (int)jnum(j, "listener", 0);
	m->option_selected = (int)jnum(j, "option_selected", -1);
	if ((attrs = cJSON_GetObjectItemCaseSensitive(j, "attrs")) != NULL &&
	    cJSON_IsObject(attrs))
		m->attrs = cJSON_Duplicate(attrs, 1);
	else
		m->attrs = cJSON_CreateObject();
	opts = cJSON_GetObjectItemCaseSensitive(j, "options");
	if (cJSON_IsArray(opts) && (n = (size_t)cJSON_GetArraySize(opts)) > 0) {
		if (n > OBS_MAX_OPTIONS)
			n = OBS_MAX_OPTIONS;
		m->options = xcalloc(n, sizeof(*m->options));
		cJSON_ArrayForEach(op, opts) {
			if (m->noptions == n)
				break;
			m->options[m->noptions++] = cJSON_IsString(op) ?
			    xstrndup(op->valuestring, OBS_TEXT_MAX) :
			    jstr(op, "text", OBS_TEXT_MAX);
		}
	}
	return 0;
}

/* Reading order: rows of OBS_ROW_PX, then left to right. */
static int
mark_cmp(const void *a, const void *b)
{
	const struct mark *ma = a, *mb = b;
	long ra = lround(floor(ma->y / OBS_ROW_PX));
	long rb = lround(floor(mb->y / OBS_ROW_PX));

	if (ra != rb)
		return ra < rb ? -1 : 1;
	if (ma->x < mb->x)
		return -1;
	if (ma->x > mb->x)
		return 1;
	if (ma->frame != mb->frame)
		return ma->frame < mb->frame ? -1 : 1;
	return ma->ref < mb->ref ? -1 : ma->ref > mb->ref;
}

/*
 * The expression run in each frame.  The result comes back as one JSON
 * string: Chromium serialises a large object by value several times slower
 * than JSON.stringify.  Null means the collector is not defined in that
 * frame (it loaded before obs_install()); then the full source is sent.
 */
#define COLLECT_CALL	"JSON.stringify(window.__webnav.collect({}))"
#define COLLECT_QUICK	"(window.__webnav&&window.__webnav.collect)?" \
			COLLECT_CALL ":null"

static char *
collect_expr(void)
{
	struct buf b;

	buf_init(&b, 1 << 20);
	if (buf_puts(&b, "(function(){if(!window.__webnav||"
	    "!window.__webnav.collect){\n") != 0 ||
	    buf_puts(&b, obs_collect_js) != 0 ||
	    buf_puts(&b, "\n}return " COLLECT_CALL ";})()") != 0)
		fatalx("collector script too large");
	return buf_steal(&b, NULL);
}

/* Collects one frame's marks into the growing array. */
static int
collect_frame(struct cdp_page *page, const struct cdp_frame *cf, int fi,
    struct obs *o, int timeout_ms, size_t *capp, const cJSON **topp,
    cJSON **keepp)
{
	cJSON *v = NULL, *doc = NULL;
	const cJSON *marks, *mj;
	struct mark m;
	char *full;
	int r;

	if ((r = cdp_frame_eval(page, cf, COLLECT_QUICK, timeout_ms,
	    &v)) != 0)
		return r;
	if (cJSON_IsNull(v)) {
		cJSON_Delete(v);
		v = NULL;
		full = collect_expr();
		r = cdp_frame_eval(page, cf, full, timeout_ms, &v);
		free(full);
		if (r != 0)
			return r;
	}
	if (!cJSON_IsString(v) || (doc = cJSON_Parse(v->valuestring)) ==
	    NULL || !cJSON_IsObject(doc)) {
		cJSON_Delete(v);
		cJSON_Delete(doc);
		return ERR_PROTOCOL;
	}
	cJSON_Delete(v);
	marks = cJSON_GetObjectItemCaseSensitive(doc, "marks");
	cJSON_ArrayForEach(mj, marks) {
		if (o->nmarks >= OBS_MAX_MARKS)
			break;
		if (mark_from_json(mj, fi, &o->frames[fi], o->vw, o->vh,
		    &m) != 0) {
			obs_mark_clear(&m);
			continue;
		}
		if (o->nmarks == *capp) {
			*capp = *capp ? *capp * 2 : 64;
			o->marks = xreallocarray(o->marks, *capp,
			    sizeof(*o->marks));
		}
		o->marks[o->nmarks++] = m;
	}
	if (fi == 0) {
		*topp = doc;
		*keepp = doc;
	} else
		cJSON_Delete(doc);
	return 0;
}

int
obs_capture(struct cdp_page *page, const struct obs_params *p,
    struct obs **obsp, char **causep)
{
	struct obs_params defp;
	struct obs *o = NULL;
	struct cdp_frame *frames = NULL;
	size_t nframes = 0, cap = 0, i;
	const cJSON *top = NULL;
	cJSON *topv = NULL;
	double t0, t1, t2;
	int r = ERR_INTERNAL, fi, shot = 0, shooting = 0;

	*obsp = NULL;
	if (causep != NULL)
		*causep = NULL;
	if (p == NULL) {
		obs_default_params(&defp);
		p = &defp;
	}
	o = xcalloc(1, sizeof(*o));
	t0 = now_ms();
	/*
	 * The browser process captures and encodes the screenshot while the
	 * marks are collected: its reply is picked up at the end.  The
	 * collector only reads the page, so the image shows the same state.
	 * screenshot_ms is then the part of the capture the marks did not
	 * hide.
	 */
	if (p->screenshot) {
		if ((r = cdp_page_screenshot_start(page, CDP_IMG_PNG, 0,
		    p->fast_png, &shot)) != 0) {
			if (causep != NULL)
				*causep = xasprintf("screenshot: %s",
				    cdp_conn_error(cdp_page_conn(page)));
			goto out;
		}
		shooting = 1;
	}
	t1 = now_ms();
	o->t.screenshot_ms = t1 - t0;

	if ((r = cdp_page_frames(page, &frames, &nframes)) != 0) {
		if (causep != NULL)
			*causep = xasprintf("listing frames: %s",
			    cdp_conn_error(cdp_page_conn(page)));
		goto out;
	}
	if (nframes > OBS_MAX_FRAMES)
		nframes = OBS_MAX_FRAMES;
	o->frames = xcalloc(nframes ? nframes : 1, sizeof(*o->frames));
	for (i = 0; i < nframes; i++) {
		struct obs_frame *of = &o->frames[o->nframes];

		fi = (int)o->nframes;
		of->frame_id = xstrdup(frames[i].frame_id);
		of->session = xstrdup(frames[i].session);
		of->url = xstrdup(frames[i].url ? frames[i].url : "");
		of->context_id = frames[i].context_id;
		o->nframes++;
		if (i > 0 && cdp_frame_offset(page, &frames[i], &of->ox,
		    &of->oy) != 0) {
			/* A frame that went away or has no box: skip it. */
			log_debug("frame %s: no offset", of->url);
			continue;
		}
		if (i == 0) {
			int vw = 0, vh = 0;

			if ((r = cdp_page_get_viewport(page, &vw, &vh,
			    &o->scroll_x, &o->scroll_y)) != 0) {
				if (causep != NULL)
					*causep = xasprintf("viewport: %s",
					    cdp_conn_error(
					    cdp_page_conn(page)));
				goto out;
			}
			o->vw = vw;
			o->vh = vh;
		}
		r = collect_frame(page, &frames[i], fi, o, p->timeout_ms,
		    &cap, &top, &topv);
		if (r != 0 && i == 0) {
			if (causep != NULL)
				*causep = xasprintf("collecting marks: %s",
				    cdp_conn_error(cdp_page_conn(page)));
			goto out;
		}
		if (r != 0)
			log_debug("frame %s: collector failed: %s", of->url,
			    err_str(r));
	}
	t2 = now_ms();
	if (shooting) {
		shooting = 0;
		if ((r = cdp_page_screenshot_finish(page, shot, &o->png,
		    &o->png_len)) != 0) {
			if (causep != NULL)
				*causep = xasprintf("screenshot: %s",
				    cdp_conn_error(cdp_page_conn(page)));
			goto out;
		}
	}
	o->t.screenshot_ms += now_ms() - t2;
	if (top == NULL) {
		r = ERR_PROTOCOL;
		if (causep != NULL)
			*causep = xstrdup("the page has no top frame");
		goto out;
	}
	o->url = jstr(top, "url", 4096);
	o->title = jstr(top, "title", OBS_TEXT_MAX);
	o->page_h = jnum(top, "page_h", o->vh);
	o->scale = jnum(top, "dpr", 1);
	qsort(o->marks, o->nmarks, sizeof(*o->marks), mark_cmp);
	for (i = 0; i < o->nmarks; i++)
		o->marks[i].id = (int)i + 1;
	o->t.marks_ms = t2 - t1;
	o->t.total_ms = now_ms() - t0;
	*obsp = o;
	o = NULL;
	r = 0;
out:
	if (shooting)
		cdp_page_screenshot_finish(page, shot, NULL, NULL);
	cJSON_Delete(topv);
	cdp_frames_free(frames, nframes);
	obs_free(o);
	return r;
}

const struct mark *
obs_mark(const struct obs *o, int id)
{
	if (o == NULL || id < 1 || (size_t)id > o->nmarks)
		return NULL;
	return &o->marks[id - 1];
}

/*
 * "[role] text" of m.  model/features.c hashes this string into the
 * ranker's features: any change to it changes what trained weights see.
 */
size_t
obs_mark_desc(const struct mark *m, char *buf, size_t n)
{
	int len;

	len = snprintf(buf, n, "[%s] %s",
	    m->role != NULL && m->role[0] != '\0' ? m->role :
	    m->tag != NULL ? m->tag : "",
	    m->text != NULL && m->text[0] != '\0' ? m->text :
	    m->label != NULL ? m->label : "");
	return len > 0 ? (size_t)len : 0;
}

int
obs_mark_desc_is(const struct mark *m, const char *d)
{
	const char *r = m->role != NULL && m->role[0] != '\0' ? m->role :
	    m->tag != NULL ? m->tag : "";
	const char *t = m->text != NULL && m->text[0] != '\0' ? m->text :
	    m->label != NULL ? m->label : "";
	size_t lr = strlen(r);

	return d[0] == '[' && strncmp(d + 1, r, lr) == 0 && d[lr + 1] == ']' &&
	    d[lr + 2] == ' ' && strcmp(d + lr + 3, t) == 0;
}

char *
obs_mark_desc_dup(const struct mark *m)
{
	size_t n;
	char *d;

	if (m == NULL)
		return xstrdup("");
	n = obs_mark_desc(m, NULL, 0);
	d = xmalloc(n + 1);
	(void)obs_mark_desc(m, d, n + 1);
	return d;
}

/* Same element, judged by identity fields and text. */
static int
mark_same(const struct mark *a, const struct mark *b)
{
	return a->frame == b->frame && strcmp(a->tag, b->tag) == 0 &&
	    strcmp(a->role, b->role) == 0 && strcmp(a->type, b->type) == 0 &&
	    strcmp(a->label, b->label) == 0 &&
	    (strcmp(a->text, b->text) == 0 || a->editable);
}

static int
mark_state_differs(const struct mark *a, const struct mark *b)
{
	return strcmp(a->text, b->text) != 0 ||
	    strcmp(a->value, b->value) != 0 || a->checked != b->checked ||
	    a->selected != b->selected || a->disabled != b->disabled ||
	    a->option_selected != b->option_selected;
}

/* Records that cur's mark m is prev's mark pm. */
static void
trace_link(struct mark *m, const struct mark *pm)
{
	m->prev = pm->id;
	if (mark_state_differs(pm, m))
		m->change = MARK_CHANGED;
	else if (fabs(pm->x - m->x) + fabs(pm->y - m->y) +
	    fabs(pm->w - m->w) + fabs(pm->h - m->h) > 2)
		m->change = MARK_MOVED;
	else
		m->change = MARK_SAME;
}

size_t
obs_trace(const struct obs *prev, struct obs *cur)
{
	unsigned char *used = NULL;
	size_t i, j, changed = 0;
	int same_doc;

	if (prev != NULL && prev->nmarks > 0)
		used = xcalloc(prev->nmarks, 1);
	for (i = 0; i < cur->nmarks; i++) {
		cur->marks[i].prev = 0;
		cur->marks[i].change = MARK_NEW;
	}
	if (prev == NULL || used == NULL)
		goto count;
	/*
	 * The collector's identities hold within one document: on the same
	 * URL, the same frame and uid is the same element.
	 */
	same_doc = prev->url != NULL && cur->url != NULL &&
	    strcmp(prev->url, cur->url) == 0;
	for (i = 0; same_doc && i < cur->nmarks; i++) {
		struct mark *m = &cur->marks[i];

		if (m->uid <= 0)
			continue;
		for (j = 0; j < prev->nmarks; j++)
			if (!used[j] && prev->marks[j].uid == m->uid &&
			    prev->marks[j].frame == m->frame &&
			    strcmp(prev->marks[j].tag, m->tag) == 0) {
				used[j] = 1;
				trace_link(m, &prev->marks[j]);
				break;
			}
	}
	/* Else the nearest unused mark that looks like the same element. */
	for (i = 0; i < cur->nmarks; i++) {
		struct mark *m = &cur->marks[i];
		double best = INFINITY, d;
		size_t bj = 0;

		if (m->prev != 0)
			continue;
		for (j = 0; j < prev->nmarks; j++) {
			const struct mark *pm = &prev->marks[j];

			if (used[j] || !mark_same(pm, m))
				continue;
			d = fabs(pm->x - m->x) + fabs(pm->y - m->y) +
			    fabs(pm->w - m->w) + fabs(pm->h - m->h);
			if (d < best) {
				best = d;
				bj = j;
			}
		}
		if (isinf(best))
			continue;
		used[bj] = 1;
		trace_link(m, &prev->marks[bj]);
	}
count:
	for (i = 0; i < cur->nmarks; i++)
		if (cur->marks[i].change != MARK_SAME)
			changed++;
	/* Marks that disappeared are changes too. */
	for (j = 0; used != NULL && j < prev->nmarks; j++)
		if (!used[j])
			changed++;
	free(used);
	return changed;
}

static const char *
change_name(int c)
{
	switch (c) {
	case MARK_NEW:
		return "new";
	case MARK_MOVED:
		return "moved";
	case MARK_CHANGED:
		return "changed";
	default:
		return "same";
	}
}

static void
add_tristate(cJSON *o, const char *key, int v)
{
	if (v < 0)
		cJSON_AddNullToObject(o, key);
	else
		cJSON_AddBoolToObject(o, key, v);
}

cJSON *
obs_mark_json(const struct mark *m)
{
	cJSON *o, *box, *opts;
	size_t i;

	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "id", m->id);
	cJSON_AddNumberToObject(o, "frame", m->frame);
	cJSON_AddStringToObject(o, "tag", m->tag);
	cJSON_AddStringToObject(o, "role", m->role);
	cJSON_AddStringToObject(o, "type", m->type);
	cJSON_AddStringToObject(o, "text", m->text);
	cJSON_AddStringToObject(o, "label", m->label);
	cJSON_AddStringToObject(o, "ctx", m->ctx != NULL ? m->ctx : "");
	cJSON_AddItemToObject(o, "attrs", m->attrs != NULL ?
	    cJSON_Duplicate(m->attrs, 1) : cJSON_CreateObject());
	box = cJSON_AddObjectToObject(o, "box");
	cJSON_AddNumberToObject(box, "x", round(m->x * 10) / 10);
	cJSON_AddNumberToObject(box, "y", round(m->y * 10) / 10);
	cJSON_AddNumberToObject(box, "w", round(m->w * 10) / 10);
	cJSON_AddNumberToObject(box, "h", round(m->h * 10) / 10);
	cJSON_AddStringToObject(o, "value", m->value);
	add_tristate(o, "checked", m->checked);
	add_tristate(o, "selected", m->selected);
	cJSON_AddBoolToObject(o, "disabled", m->disabled);
	cJSON_AddBoolToObject(o, "focused", m->focused);
	cJSON_AddBoolToObject(o, "editable", m->editable);
	cJSON_AddBoolToObject(o, "listener", m->listener);
	opts = cJSON_AddArrayToObject(o, "options");
	for (i = 0; i < m->noptions; i++)
		cJSON_AddItemToArray(opts, cJSON_CreateString(m->options[i]));
	if (m->noptions > 0)
		cJSON_AddNumberToObject(o, "option_selected",
		    m->option_selected);
	cJSON_AddStringToObject(o, "change", change_name(m->change));
	return o;
}

cJSON *
obs_marks_json(const struct obs *o)
{
	cJSON *a = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < o->nmarks; i++)
		cJSON_AddItemToArray(a, obs_mark_json(&o->marks[i]));
	return a;
}

int
obs_som_draw(const unsigned char *png, size_t pnglen, int vw,
    const struct som_mark *marks, size_t n, int highlight,
    unsigned char **datap, size_t *lenp)
{
	struct img im = { 0, 0, NULL };
	struct som_params sp;
	int r;

	*datap = NULL;
	*lenp = 0;
	if ((r = img_decode_png(png, pnglen, 0, &im)) != 0)
		return r;
	som_default_params(&sp);
	/* Image pixels per CSS px, from the capture itself. */
	sp.scale = vw > 0 ? (double)im.w / vw : 1;
	sp.highlight = highlight;
	if ((r = som_draw(&im, marks, n, &sp, NULL)) == 0)
		r = img_encode_png(&im, datap, lenp);
	img_free(&im);
	return r;
}

int
obs_som_png(const struct obs *o, int highlight, unsigned char **datap,
    size_t *lenp)
{
	struct som_mark *sm;
	size_t i;
	int r;

	*datap = NULL;
	*lenp = 0;
	if (o->png == NULL)
		return ERR_NOTFOUND;
	sm = xcalloc(o->nmarks ? o->nmarks : 1, sizeof(*sm));
	for (i = 0; i < o->nmarks; i++) {
		sm[i].id = o->marks[i].id;
		sm[i].x = o->marks[i].x;
		sm[i].y = o->marks[i].y;
		sm[i].w = o->marks[i].w;
		sm[i].h = o->marks[i].h;
	}
	r = obs_som_draw(o->png, o->png_len, o->vw, sm, o->nmarks, highlight,
	    datap, lenp);
	free(sm);
	return r;
}

/* Writes len bytes to path through a temporary file and rename. */
static int
write_file(const char *path, const void *data, size_t len)
{
	char *tmp = xasprintf("%s.tmp", path);
	FILE *f;
	int r = ERR_IO;

	if ((f = fopen(tmp, "wb")) == NULL)
		goto out;
	if (fwrite(data, 1, len, f) != len) {
		fclose(f);
		unlink(tmp);
		goto out;
	}
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		goto out;
	}
	r = 0;
out:
	free(tmp);
	return r;
}

/* mkdir -p. */
static int
make_dirs(const char *dir)
{
	char *p = xstrdup(dir), *s;
	int r = 0;

	for (s = p + 1; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST)
			r = ERR_IO;
		*s = '/';
	}
	if (r == 0 && mkdir(p, 0755) != 0 && errno != EEXIST)
		r = ERR_IO;
	free(p);
	return r;
}

int
obs_write(const struct obs *o, const char *dir, char **causep)
{
	unsigned char *som = NULL;
	size_t somlen = 0;
	char *path = NULL, *json = NULL;
	cJSON *doc = NULL;
	int r;

	if (causep != NULL)
		*causep = NULL;
	if ((r = make_dirs(dir)) != 0) {
		if (causep != NULL)
			*causep = xasprintf("%s: %s", dir, strerror(errno));
		goto out;
	}
	if (o->png != NULL) {
		path = xasprintf("%s/screenshot.png", dir);
		if ((r = write_file(path, o->png, o->png_len)) != 0)
			goto fail;
		free(path);
		path = NULL;
		if ((r = obs_som_png(o, 0, &som, &somlen)) != 0) {
			if (causep != NULL)
				*causep = xasprintf("drawing marks: %s",
				    err_str(r));
			goto out;
		}
		path = xasprintf("%s/som.png", dir);
		if ((r = write_file(path, som, somlen)) != 0)
			goto fail;
		free(path);
		path = NULL;
	}
	doc = cJSON_CreateObject();
	cJSON_AddStringToObject(doc, "url", o->url);
	cJSON_AddStringToObject(doc, "title", o->title);
	{
		cJSON *vp = cJSON_AddObjectToObject(doc, "viewport");

		cJSON_AddNumberToObject(vp, "w", o->vw);
		cJSON_AddNumberToObject(vp, "h", o->vh);
		cJSON_AddNumberToObject(vp, "scroll_x", o->scroll_x);
		cJSON_AddNumberToObject(vp, "scroll_y", o->scroll_y);
		cJSON_AddNumberToObject(vp, "scale", o->scale);
	}
	cJSON_AddItemToObject(doc, "marks", obs_marks_json(o));
	json = cJSON_Print(doc);
	path = xasprintf("%s/marks.json", dir);
	if ((r = write_file(path, json, strlen(json))) != 0)
		goto fail;
	r = 0;
	goto out;
fail:
	if (causep != NULL)
		*causep = xasprintf("%s: %s", path, strerror(errno));
out:
	cJSON_free(json);
	cJSON_Delete(doc);
	free(path);
	free(som);
	return r;
}

char *
obs_mark_expr(const struct mark *m)
{
	return xasprintf("window.__webnav.el(%d)", m->ref);
}

void
obs_mark_frame(const struct obs *o, const struct mark *m,
    struct cdp_frame *f)
{
	const struct obs_frame *of = &o->frames[m->frame];

	memset(f, 0, sizeof(*f));
	f->frame_id = of->frame_id;
	f->session = of->session;
	f->url = of->url;
	f->context_id = of->context_id;
	f->depth = m->frame == 0 ? 0 : 1;
}
