/*
 * observe.h: one observation of a page: the screenshot and the marks.
 *
 * A mark is a visible element a person could act on: links, buttons,
 * inputs, textareas, selects, contenteditable, ARIA widgets and plain
 * elements that only have a JS click listener, in every frame (same- and
 * cross-origin iframes, open shadow roots) and in dialogs attached anywhere;
 * minus hidden, zero-size, off-viewport and fully occluded ones.  Marks are
 * numbered from 1 in reading order; boxes are top-level viewport CSS px.
 *
 * The in-page collector (agent/collect.js) runs in each frame's main world;
 * obs_install() adds the listener tracker that finds listener-only
 * clickables, and must be called on a page before it navigates.
 */
#ifndef WEBNAV_OBSERVE_H
#define WEBNAV_OBSERVE_H

#include <stddef.h>

#include <cjson/cJSON.h>

struct cdp_page;
struct cdp_frame;

/* Caps on text taken from the page (bytes, after normalisation). */
#define OBS_TEXT_MAX	200
#define OBS_MAX_MARKS	2000
#define OBS_MAX_OPTIONS	100

struct mark {
	int	 id;		/* 1-based, reading order */
	int	 frame;		/* index into obs->frames */
	int	 ref;		/* collector's element index in that frame */
	int	 uid;		/* collector's identity of the element, stable
				   within one document; 0 if unknown */
	char	*tag;		/* lower-case tag name */
	char	*role;		/* explicit or implicit ARIA role */
	char	*type;		/* input type, "" otherwise */
	char	*text;		/* visible text, else aria-label, alt, title,
				   value, placeholder */
	char	*label;		/* label[for], wrapping label,
				   aria-labelledby, else nearest text to the
				   left or above */
	char	*ctx;		/* text of the row, card or section it sits
				   in, its own text and label left out */
	char	*value;		/* current value of a field, "" otherwise */
	cJSON	*attrs;		/* object: aria-label, placeholder, name, id,
				   title, alt, href, ... (owned) */
	double	 x, y, w, h;	/* box, top-level viewport CSS px */
	int	 checked;	/* -1 not checkable, 0, 1 */
	int	 selected;	/* -1 not selectable, 0, 1 (aria-selected) */
	int	 disabled;
	int	 focused;
	int	 editable;	/* takes typed text */
	int	 listener;	/* found only through a JS click listener */
	char	**options;	/* option texts of a select or listbox */
	size_t	 noptions;
	int	 option_selected;	/* index, -1 if none */
	int	 prev;		/* id of the same element in the previous
				   observation, 0 if new (obs_trace()) */
	int	 change;	/* MARK_* since the previous observation */
};

/* Trace of marks: what happened to a mark since the previous step. */
enum {
	MARK_SAME = 0,
	MARK_NEW,		/* not there before: a menu or dialog opened */
	MARK_MOVED,		/* same element, other box */
	MARK_CHANGED		/* same element, other text, value or state */
};

struct obs_frame {
	char	*frame_id;
	char	*session;
	char	*url;
	int	 context_id;
	double	 ox, oy;	/* content origin, top-level CSS px */
};

struct obs_timing {
	double	screenshot_ms;
	double	marks_ms;
	double	decode_ms;	/* PNG decode, only when drawn */
	double	total_ms;
};

struct obs {
	char		*url;
	char		*title;
	int		 vw, vh;	/* viewport, CSS px */
	double		 scale;		/* screenshot px per CSS px */
	double		 scroll_x, scroll_y;
	double		 page_h;	/* document height, CSS px */
	struct mark	*marks;
	size_t		 nmarks;
	struct obs_frame *frames;
	size_t		 nframes;
	unsigned char	*png;		/* screenshot, PNG file bytes */
	size_t		 png_len;
	struct obs_timing t;
};

struct obs_params {
	int	screenshot;	/* 1 (default): capture the viewport */
	int	fast_png;	/* 1 (default): optimizeForSpeed */
	int	timeout_ms;	/* per DevTools call, default 10000 */
};

void	obs_default_params(struct obs_params *p);

/* Installs the listener tracker on page (before navigating). */
int	obs_install(struct cdp_page *page);

/*
 * Observes the page: screenshot and marks in every frame.  *obsp is
 * allocated (obs_free()).  On failure *causep (if not NULL) explains.
 */
int	obs_capture(struct cdp_page *page, const struct obs_params *p,
	    struct obs **obsp, char **causep);
void	obs_free(struct obs *o);
/* Frees the fields of a mark and zeroes it (the mark itself stays). */
void	obs_mark_clear(struct mark *m);

/*
 * Matches the marks of cur to those of prev (same element: same frame and
 * collector identity, else same tag, role and text near the same place) and
 * sets each mark's prev and change.  prev may be NULL (all MARK_NEW).
 * Returns the number of marks that changed in any way (0: page unchanged).
 */
size_t	obs_trace(const struct obs *prev, struct obs *cur);

/* One mark as JSON (DESIGN.md section 4 fields, plus change). */
cJSON	*obs_mark_json(const struct mark *m);
/* The marks as a JSON array. */
cJSON	*obs_marks_json(const struct obs *o);
/* Finds a mark by id; NULL if none. */
const struct mark *obs_mark(const struct obs *o, int id);
/*
 * Writes "[role] text" of m into buf, the one-line description the step
 * history keeps of an acted-on mark and the ranker's features compare:
 * the role, else the tag; the text, else the label; a NULL field as "".
 * Cut at n - 1 bytes and NUL-terminated exactly as snprintf() does (a
 * UTF-8 sequence may be cut; no mark obs_capture() makes comes near
 * 2 * OBS_TEXT_MAX bytes).  Returns the length of the whole description,
 * so a result >= n means it was cut; buf may be NULL when n is 0.
 */
size_t	obs_mark_desc(const struct mark *m, char *buf, size_t n);
/* The same, whole, allocated; "" for a NULL mark. */
char	*obs_mark_desc_dup(const struct mark *m);
/* 1 if d is m's whole description (no copy made). */
int	obs_mark_desc_is(const struct mark *m, const char *d);

/*
 * Writes screenshot.png, som.png and marks.json into dir (created if
 * missing).
 */
int	obs_write(const struct obs *o, const char *dir, char **causep);

/*
 * Draws the Set-of-Mark image of o (highlight: a mark id to emphasise, or
 * 0) and returns it as PNG bytes (malloc'd).
 */
int	obs_som_png(const struct obs *o, int highlight, unsigned char **datap,
	    size_t *lenp);

struct som_mark;

/*
 * Draws marks (CSS px) onto a PNG screenshot of a viewport vw CSS px wide
 * and returns the Set-of-Mark image as PNG bytes (malloc'd).
 */
int	obs_som_draw(const unsigned char *png, size_t pnglen, int vw,
	    const struct som_mark *marks, size_t n, int highlight,
	    unsigned char **datap, size_t *lenp);

/*
 * A JS expression that evaluates, in mark m's frame, to its element; for
 * cdp_frame_eval() and cdp_dom_set_files().  Allocated.
 */
char	*obs_mark_expr(const struct mark *m);

/* The frame of mark m as a cdp_frame for cdp_frame_eval() (not owned). */
void	obs_mark_frame(const struct obs *o, const struct mark *m,
	    struct cdp_frame *f);

#endif /* WEBNAV_OBSERVE_H */
