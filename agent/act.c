/*
 * act.c: performing actions on a page (action_exec) and finding the
 * element a scripted action addresses (action_resolve).
 *
 * Clicks are real mouse events at a point of the mark's element that a
 * click reaches (the centre of its visible box unless that is covered);
 * typing focuses the field with a click, selects its content and replaces
 * it with Input.insertText (which fires input events but no key events);
 * selects choose an option through the element, as a person's choice in
 * the native popup would, firing input and change.
 */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "action.h"
#include "buf.h"
#include "cdp.h"
#include "err.h"
#include "log.h"
#include "observe.h"
#include "xmalloc.h"

/* Settling time after a scroll, so the next observation sees it. */
#define ACT_SCROLL_SETTLE_MS	150

static void
set_cause(char **causep, char *msg)
{
	if (causep != NULL && *causep == NULL)
		*causep = msg;
	else
		free(msg);
}

/* Quotes s as a JS string literal (JSON encoding is valid JS). */
static char *
js_quote(const char *s)
{
	cJSON *j = cJSON_CreateString(s);
	char *q = cJSON_PrintUnformatted(j);
	char *r = xstrdup(q);

	cJSON_free(q);
	cJSON_Delete(j);
	return r;
}

/* Evaluates a function of the mark's element in its frame. */
static int
mark_eval(struct cdp_page *page, const struct obs *o, const struct mark *m,
    const char *body, cJSON **valuep)
{
	struct cdp_frame f;
	char *expr, *el;
	int r;

	obs_mark_frame(o, m, &f);
	el = obs_mark_expr(m);
	expr = xasprintf("(function(el){if(!el)throw new Error("
	    "'element is gone from the page');%s})(%s)", body, el);
	r = cdp_frame_eval(page, &f, expr, 0, valuep);
	free(expr);
	free(el);
	return r;
}

/*
 * The body of the point finder (see mark_point()), with the bounds
 * x1, y1, x2, y2 (frame CSS px) and a scroll flag to fill in.  Candidate
 * points are spread over each client rect (a wrapped inline element has
 * one per line) cut to the bounds and the frame's viewport, centre first;
 * a point counts when elementFromPoint() on the element's own root (a
 * shadow root, open or closed, or the document) returns the element or
 * something inside it.  Returns [x, y, hit], hit 0 when no point reached
 * the element (it is covered): then the centre of its first visible rect.
 */
#define ACT_POINT_JS \
	"var B=[%.2f,%.2f,%.2f,%.2f];if(%d){el.scrollIntoView({block:" \
	"'center',inline:'center'});B=[-1e9,-1e9,1e9,1e9];}" \
	"var d=el.ownerDocument,de=d.documentElement,w=d.defaultView," \
	"vw=Math.min(w.innerWidth,de.clientWidth||w.innerWidth)," \
	"vh=Math.min(w.innerHeight,de.clientHeight||w.innerHeight)," \
	"rt=el.getRootNode(),ef=rt.elementFromPoint?rt:d," \
	"F=[[.5,.5],[.25,.5],[.75,.5],[.5,.25],[.5,.75],[.1,.5],[.9,.5]," \
	"[.25,.25],[.75,.25],[.25,.75],[.75,.75],[.1,.1],[.9,.1],[.1,.9]," \
	"[.9,.9]],rs=el.getClientRects(),first=null,i,j,x1,y1,x2,y2,x,y," \
	"h,n,b;function mine(h){for(n=h;n;n=n.parentNode||n.host)" \
	"if(n===el)return 1;return 0;}" \
	"for(i=0;i<rs.length&&i<32;i++){x1=Math.max(rs[i].left,0,B[0]);" \
	"y1=Math.max(rs[i].top,0,B[1]);x2=Math.min(rs[i].right,vw,B[2]);" \
	"y2=Math.min(rs[i].bottom,vh,B[3]);if(x2-x1<1||y2-y1<1)continue;" \
	"if(!first)first=[(x1+x2)/2,(y1+y2)/2,0];for(j=0;j<F.length;j++){" \
	"x=x1+(x2-x1)*F[j][0];y=y1+(y2-y1)*F[j][1];" \
	"h=ef.elementFromPoint(x,y);if(h&&mine(h))return [x,y,1];}}" \
	"if(first)return first;b=el.getBoundingClientRect();" \
	"return [b.left+b.width/2,b.top+b.height/2,0];"

/*
 * The point to click on mark m, in top-level viewport CSS px: a point of
 * the element that a click reaches, found in the page, within the mark's
 * box when the box is wholly in the viewport, else after scrolling the
 * element into view.  The centre of the box is not good enough: another
 * element can cover it (a partly covered button) and a wrapped inline
 * element's box centre can lie on a neighbour.  It stays the answer when
 * the element cannot be found any more.
 */
static int
mark_point(struct cdp_page *page, const struct obs *o, const struct mark *m,
    double *xp, double *yp, char **causep)
{
	struct cdp_frame f;
	cJSON *v = NULL;
	double ox = o->frames[m->frame].ox, oy = o->frames[m->frame].oy;
	char *body;
	int r, scroll;

	scroll = !(m->x >= 0 && m->y >= 0 && m->x + m->w <= o->vw &&
	    m->y + m->h <= o->vh && m->w >= 2 && m->h >= 2);
	body = xasprintf(ACT_POINT_JS, m->x - ox, m->y - oy,
	    m->x + m->w - ox, m->y + m->h - oy, scroll);
	r = mark_eval(page, o, m, body, &v);
	free(body);
	if (r != 0 && !scroll) {
		/*
		 * The element is gone (a page that re-rendered since it was
		 * observed): the centre of its box is the best guess left.
		 */
		log_debug("mark %d: %s; clicking the centre of its box",
		    m->id, cdp_conn_error(cdp_page_conn(page)));
		*xp = m->x + m->w / 2;
		*yp = m->y + m->h / 2;
		return 0;
	}
	if (r != 0) {
		set_cause(causep, xasprintf("mark %d: %s", m->id,
		    cdp_conn_error(cdp_page_conn(page))));
		return r;
	}
	if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != 3 ||
	    !cJSON_IsNumber(cJSON_GetArrayItem(v, 0)) ||
	    !cJSON_IsNumber(cJSON_GetArrayItem(v, 1))) {
		cJSON_Delete(v);
		set_cause(causep, xasprintf("mark %d: no point to click",
		    m->id));
		return ERR_PROTOCOL;
	}
	/* Scrolling may have moved the frame itself. */
	if (scroll && m->frame != 0) {
		obs_mark_frame(o, m, &f);
		if (cdp_frame_offset(page, &f, &ox, &oy) != 0)
			log_debug("mark %d: frame offset unknown after "
			    "scrolling", m->id);
	}
	if (cJSON_GetArrayItem(v, 2)->valuedouble < 0.5)
		log_debug("mark %d: covered, clicking its centre", m->id);
	*xp = ox + cJSON_GetArrayItem(v, 0)->valuedouble;
	*yp = oy + cJSON_GetArrayItem(v, 1)->valuedouble;
	cJSON_Delete(v);
	return 0;
}

/*
 * Parses "Ctrl+Shift+a" into a key name and modifier bits.  A "+" is a
 * separator only when more follows it, so "Ctrl++" is Ctrl and the plus
 * key, and "+" alone is the plus key.
 */
static int
parse_key(const char *spec, char **keyp, int *modsp)
{
	static const struct {
		const char	*name;
		int		 bit;
	} mods[] = {
		{ "ctrl", CDP_MOD_CTRL }, { "control", CDP_MOD_CTRL },
		{ "shift", CDP_MOD_SHIFT }, { "alt", CDP_MOD_ALT },
		{ "meta", CDP_MOD_META }, { "cmd", CDP_MOD_META },
	};
	const char *p = spec, *plus;
	size_t i, n;
	int bits = 0, found;

	while ((plus = strchr(p, '+')) != NULL && plus != p &&
	    plus[1] != '\0') {
		n = (size_t)(plus - p);
		found = 0;
		for (i = 0; i < sizeof(mods) / sizeof(mods[0]); i++)
			if (strlen(mods[i].name) == n &&
			    strncasecmp(p, mods[i].name, n) == 0) {
				bits |= mods[i].bit;
				found = 1;
			}
		if (!found)
			return ERR_INVALID;
		p = plus + 1;
	}
	if (*p == '\0')
		return ERR_INVALID;
	*keyp = xstrdup(p);
	/* "Ctrl+A" means the a key. */
	if (bits != 0 && strlen(*keyp) == 1)
		(*keyp)[0] = (char)tolower((unsigned char)(*keyp)[0]);
	*modsp = bits;
	return 0;
}

static int
exec_type(struct cdp_page *page, const struct obs *o, const struct mark *m,
    const struct action *a, char **causep)
{
	double x, y;
	int r;

	if ((r = mark_point(page, o, m, &x, &y, causep)) != 0)
		return r;
	if ((r = cdp_input_click(page, x, y, CDP_BUTTON_LEFT, 1)) != 0)
		goto fail;
	/* Replace what the field holds: select it all, type over it. */
	r = mark_eval(page, o, m, "if(el.getRootNode().activeElement!==el&&"
	    "!el.contains(document.activeElement))el.focus();"
	    "if(typeof el.select==='function'&&el.value!==undefined)"
	    "el.select();else{var s=el.ownerDocument.getSelection(),"
	    "g=el.ownerDocument.createRange();g.selectNodeContents(el);"
	    "s.removeAllRanges();s.addRange(g);}return true;", NULL);
	if (r != 0)
		goto fail;
	if (a->value != NULL && a->value[0] != '\0') {
		if ((r = cdp_input_insert_text(page, a->value)) != 0)
			goto fail;
	} else if ((r = cdp_input_key(page, "Delete", 0)) != 0)
		goto fail;
	if (a->submit && (r = cdp_input_key(page, "Enter", 0)) != 0)
		goto fail;
	return 0;
fail:
	set_cause(causep, xasprintf("typing into mark %d: %s", m->id,
	    cdp_conn_error(cdp_page_conn(page))));
	return r;
}

static int
exec_select(struct cdp_page *page, const struct obs *o, const struct mark *m,
    const struct action *a, char **causep)
{
	cJSON *v = NULL;
	char *q, *body;
	int r;

	if (strcmp(m->tag, "select") != 0) {
		set_cause(causep, xasprintf("mark %d is a %s, not a select: "
		    "click it and then the option", m->id, m->tag));
		return ERR_INVALID;
	}
	q = js_quote(a->value != NULL ? a->value : "");
	/* Exact text, exact value, then case-insensitive, then contains. */
	body = xasprintf("var w=%s,n=function(s){return s.replace(/\\s+/g,' ')"
	    ".trim().toLowerCase()},o=Array.from(el.options),"
	    "f=o.find(function(x){return x.text.trim()===w})||"
	    "o.find(function(x){return x.value===w})||"
	    "o.find(function(x){return n(x.text)===n(w)})||"
	    "o.find(function(x){return n(x.text).indexOf(n(w))>=0});"
	    "if(!f)return null;el.focus();el.value=f.value;f.selected=true;"
	    "el.dispatchEvent(new Event('input',{bubbles:true}));"
	    "el.dispatchEvent(new Event('change',{bubbles:true}));"
	    "return f.text;", q);
	r = mark_eval(page, o, m, body, &v);
	free(body);
	free(q);
	if (r != 0) {
		set_cause(causep, xasprintf("selecting in mark %d: %s", m->id,
		    cdp_conn_error(cdp_page_conn(page))));
		return r;
	}
	if (!cJSON_IsString(v)) {
		cJSON_Delete(v);
		set_cause(causep, xasprintf("mark %d has no option \"%s\"",
		    m->id, a->value != NULL ? a->value : ""));
		return ERR_NOTFOUND;
	}
	cJSON_Delete(v);
	return 0;
}

int
action_exec(struct cdp_page *page, const struct obs *o,
    const struct action *a, char **causep)
{
	const struct mark *m = NULL;
	char *key = NULL;
	double x, y;
	int r = 0, mods;

	if (causep != NULL)
		*causep = NULL;
	switch (a->op) {
	case ACT_CLICK:
	case ACT_TYPE:
	case ACT_SELECT:
	case ACT_HOVER:
		if ((m = obs_mark(o, a->mark)) == NULL) {
			set_cause(causep, xasprintf("no mark %d on this page "
			    "(%zu marks)", a->mark, o->nmarks));
			return ERR_NOTFOUND;
		}
		break;
	default:
		break;
	}
	switch (a->op) {
	case ACT_CLICK:
	case ACT_HOVER:
		if ((r = mark_point(page, o, m, &x, &y, causep)) != 0)
			return r;
		r = a->op == ACT_CLICK ?
		    cdp_input_click(page, x, y, CDP_BUTTON_LEFT, 1) :
		    cdp_input_hover(page, x, y);
		break;
	case ACT_TYPE:
		return exec_type(page, o, m, a, causep);
	case ACT_SELECT:
		return exec_select(page, o, m, a, causep);
	case ACT_PRESS:
		if (a->key == NULL || parse_key(a->key, &key, &mods) != 0) {
			set_cause(causep, xasprintf("bad key \"%s\"",
			    a->key != NULL ? a->key : ""));
			return ERR_INVALID;
		}
		r = cdp_input_key(page, key, mods);
		free(key);
		break;
	case ACT_SCROLL:
		r = cdp_input_scroll(page, o->vw / 2.0, o->vh / 2.0, 0,
		    (a->dir < 0 ? -0.8 : 0.8) * o->vh);
		if (r == 0)
			r = cdp_conn_pump(cdp_page_conn(page),
			    ACT_SCROLL_SETTLE_MS, NULL, NULL);
		break;
	case ACT_BACK:
		r = cdp_page_eval(page, "history.back(),true", 0, NULL);
		break;
	case ACT_NAVIGATE:
		if (a->value == NULL)
			return ERR_INVALID;
		r = cdp_page_navigate(page, a->value, 0);
		break;
	case ACT_WAIT:
		r = cdp_conn_pump(cdp_page_conn(page), a->ms, NULL, NULL);
		break;
	case ACT_DONE:
	case ACT_NONE:
		return 0;
	}
	if (r != 0)
		set_cause(causep, xasprintf("%s: %s", action_op_name(a->op),
		    cdp_conn_error(cdp_page_conn(page))));
	return r;
}

/* Lower-cased, whitespace-collapsed copy. */
static char *
norm(const char *s)
{
	char *d = xmalloc(strlen(s) + 1), *p = d;
	int sp = 0;

	for (; *s != '\0'; s++) {
		if (isspace((unsigned char)*s)) {
			sp = p != d;
			continue;
		}
		if (sp)
			*p++ = ' ';
		sp = 0;
		*p++ = (char)tolower((unsigned char)*s);
	}
	*p = '\0';
	return d;
}

static const char *
attr(const struct mark *m, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(m->attrs, k);

	return cJSON_IsString(v) ? v->valuestring : "";
}

/*
 * How well mark m fits a text/label target: 3 exact text, 2 exact label or
 * aria-label/placeholder, 1 contains; 0 no.
 */
static int
text_fit(const struct mark *m, const char *want, int label_only)
{
	const char *fields[6];
	char *w = norm(want), *f;
	int best = 0, i, n = 0;

	if (!label_only)
		fields[n++] = m->text;
	fields[n++] = m->label;
	fields[n++] = attr(m, "aria-label");
	fields[n++] = attr(m, "placeholder");
	fields[n++] = attr(m, "title");
	if (!label_only)
		fields[n++] = m->value;
	for (i = 0; i < n; i++) {
		f = norm(fields[i]);
		if (strcmp(f, w) == 0)
			best = best > (i == 0 && !label_only ? 3 : 2) ? best :
			    (i == 0 && !label_only ? 3 : 2);
		else if (*w != '\0' && strstr(f, w) != NULL && best < 1)
			best = 1;
		free(f);
	}
	free(w);
	return best;
}

/* Finds the mark of the element a CSS selector matches, frame by frame. */
static int
resolve_selector(struct cdp_page *page, const struct obs *o,
    const struct action *a, int *markp, char **causep)
{
	struct cdp_frame f;
	cJSON *v = NULL;
	char *q, *expr;
	size_t fi, i;
	int r, ref, nth = a->tgt.nth;

	q = js_quote(a->tgt.selector);
	/* The element, or its nearest ancestor that is a mark. */
	expr = xasprintf("(function(){var l=document.querySelectorAll(%s),"
	    "W=window.__webnav,out=[];if(!W)return out;for(var i=0;i<l.length;"
	    "i++){for(var e=l[i];e;e=e.parentElement||(e.getRootNode()&&"
	    "e.getRootNode().host)){var k=W.els.indexOf(e);if(k>=0){"
	    "out.push(k);break;}}}return out;})()", q);
	free(q);
	r = ERR_NOTFOUND;
	for (fi = 0; fi < o->nframes && r == ERR_NOTFOUND; fi++) {
		memset(&f, 0, sizeof(f));
		f.frame_id = o->frames[fi].frame_id;
		f.session = o->frames[fi].session;
		f.context_id = o->frames[fi].context_id;
		if (cdp_frame_eval(page, &f, expr, 0, &v) != 0 ||
		    !cJSON_IsArray(v)) {
			cJSON_Delete(v);
			v = NULL;
			continue;
		}
		for (i = 0; i < (size_t)cJSON_GetArraySize(v); i++) {
			size_t k;

			ref = (int)cJSON_GetArrayItem(v, (int)i)->valuedouble;
			for (k = 0; k < o->nmarks; k++)
				if (o->marks[k].frame == (int)fi &&
				    o->marks[k].ref == ref)
					break;
			if (k == o->nmarks)
				continue;	/* not visible now */
			if (nth-- == 0) {
				*markp = o->marks[k].id;
				r = 0;
				break;
			}
		}
		cJSON_Delete(v);
		v = NULL;
	}
	free(expr);
	if (r != 0)
		set_cause(causep, xasprintf("no visible element matches "
		    "selector \"%s\"", a->tgt.selector));
	return r;
}

int
action_resolve(struct cdp_page *page, const struct obs *o,
    const struct action *a, int *markp, char **causep)
{
	const struct action_target *t = &a->tgt;
	int level, nth, fit;
	size_t i;

	*markp = 0;
	if (causep != NULL)
		*causep = NULL;
	if (a->mark > 0) {
		*markp = a->mark;
		return obs_mark(o, a->mark) != NULL ? 0 : ERR_NOTFOUND;
	}
	if (t->selector != NULL)
		return resolve_selector(page, o, a, markp, causep);
	/* Best fit level first; nth counts among marks of that level. */
	for (level = 3; level >= 1; level--) {
		nth = t->nth;
		for (i = 0; i < o->nmarks; i++) {
			const struct mark *m = &o->marks[i];

			if (t->role != NULL && strcasecmp(m->role, t->role) != 0)
				continue;
			fit = 3;
			if (t->text != NULL && (fit = text_fit(m, t->text, 0))
			    < level)
				continue;
			if (t->label != NULL && text_fit(m, t->label, 1) <
			    (level > 2 ? 2 : level))
				continue;
			if (fit < level)
				continue;
			if (nth-- == 0) {
				*markp = m->id;
				return 0;
			}
		}
		if (t->text == NULL && t->label == NULL)
			break;
	}
	set_cause(causep, xasprintf("no visible element with%s%s%s%s%s%s%s",
	    t->text ? " text \"" : "", t->text ? t->text : "",
	    t->text ? "\"" : "", t->role ? " role " : "",
	    t->role ? t->role : "", t->label ? " label " : "",
	    t->label ? t->label : ""));
	return ERR_NOTFOUND;
}
