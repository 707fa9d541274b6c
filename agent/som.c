/* som.c: Set-of-Mark drawing: box outlines and numbered labels. */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "font.h"
#include "img.h"
#include "som.h"

/* Most marks som_draw() takes in one call. */
#define SOM_MAX_MARKS	100000
/* Largest device pixel ratio accepted. */
#define SOM_MAX_SCALE	16.0
/* CSS coordinates are clamped to this before conversion to int. */
#define SOM_COORD_MAX	1e7

/* Largest font scale som_text() draws at. */
#define SOM_MAX_FONT	64

/* Boxes spanning more grid cells than this are kept in a plain list. */
#define SOM_BIG_CELLS	64

/*
 * Label placement costs.  Covering another box costs the fraction of it
 * hidden (hiding a whole small button is as bad as it gets, crossing a
 * large container hardly matters); covering another label costs
 * SOM_W_LABEL per fraction of this label; covering page detail (text,
 * icons: pixels with strong edges) costs SOM_W_DETAIL per fraction of
 * edges, as the model has to read what lies there; covering the marked
 * element itself costs a little, SOM_W_OWN per fraction, so outside
 * corners win among equals; merely touching another box costs up to
 * SOM_W_NEAR, because a label squeezed against a neighbour reads as the
 * neighbour's (Magma's rule: put labels away from other boxes).
 */
#define SOM_W_LABEL	4.0
#define SOM_W_DETAIL	1.5
#define SOM_W_OWN	0.1
#define SOM_W_NEAR	0.05
/* Luma step between neighbouring pixels that counts as an edge. */
#define SOM_EDGE	40
/* Fewest luma levels between an outline and the page behind it. */
#define SOM_CONTRAST	80

/* Colours, 0xRRGGBBAA. */
#define SOM_WHITE	0xffffffffu
#define SOM_BLACK	0x000000ffu
#define SOM_NONE	0x00000000u	/* no halo */
#define SOM_HIGHLIGHT	0xffd600ffu	/* not in the palette */

/*
 * Mark colours, cycled by id: saturated, told apart easily, none of them
 * close to white, black or the highlight yellow.
 */
static const uint32_t som_palette[] = {
	0xd32f2fffu,	/* red */
	0x1565c0ffu,	/* blue */
	0x2e7d32ffu,	/* green */
	0x8e24aaffu,	/* purple */
	0xef6c00ffu,	/* orange */
	0x00796bffu,	/* teal */
	0xc2185bffu,	/* pink */
	0x5d4037ffu,	/* brown */
	0x00b8d4ffu,	/* cyan */
	0x283593ffu,	/* indigo */
	0x7cb342ffu,	/* light green */
	0x455a64ffu	/* blue grey */
};
#define SOM_NPALETTE	(sizeof(som_palette) / sizeof(som_palette[0]))

struct som_rect {
	int	x, y, w, h;
};

/* Per-mark working state of one som_draw() call. */
struct som_item {
	struct som_rect	box;	/* whole box, image px (may stick out) */
	struct som_rect	vis;	/* visible part; w == 0: skipped */
	struct som_rect	frame;	/* outline: box grown by t, clipped */
	struct som_rect	lab;	/* label, inside the image */
	int		corner;
	uint32_t	colour;
	uint32_t	text;	/* label text colour */
	uint32_t	halo[4];	/* outline halo: top, bottom, left,
					   right; SOM_NONE: none */
	uint32_t	lhalo;	/* label halo or SOM_NONE */
	int		t;	/* outline thickness */
	char		num[16];	/* label text */
};

/*
 * A uniform grid over the image for finding boxes and labels near a
 * candidate label: each cell holds a singly linked list of entries.
 */
struct som_grid {
	int	 cell, gw, gh;
	int	*head;		/* gw * gh: first entry or -1 */
	int	*next;		/* per entry: next in the cell or -1 */
	int	*item;		/* per entry: item index */
	size_t	 n, cap;
	int	*big;		/* items too large for the grid */
	size_t	 nbig;
};

/* Scale 1, nothing highlighted. */
void
som_default_params(struct som_params *p)
{
	memset(p, 0, sizeof(*p));
	p->scale = 1.0;
	p->highlight = 0;
}

/*
 * The font scale for a pixel ratio, also the label padding: 14 px digits
 * at scale 1, readable at 1280x800.
 */
static int
som_font_scale(double scale)
{
	long s = lround(2.0 * scale);

	return s < 1 ? 1 : (int)s;
}

/* The outline width for a pixel ratio: 2 px at scale 1. */
static int
som_outline(double scale)
{
	long t = lround(2.0 * scale);

	return t < 1 ? 1 : (int)t;
}

/* The halo width for a pixel ratio: 1 px at scale 1. */
static int
som_halo(double scale)
{
	long h = lround(scale);

	return h < 1 ? 1 : (int)h;
}

/* Brings a font scale into 1..SOM_MAX_FONT. */
static int
som_clamp_font(int s)
{
	if (s < 1)
		return 1;
	return s > SOM_MAX_FONT ? SOM_MAX_FONT : s;
}

/* Glyphs sit FONT_GAP columns apart, with no gap after the last one. */
void
som_text_size(const char *digits, int s, int *wp, int *hp)
{
	size_t n = digits != NULL ? strlen(digits) : 0;
	long long w;

	s = som_clamp_font(s);
	w = n == 0 ? 0 :
	    (long long)n * (FONT_W + FONT_GAP) * s - FONT_GAP * s;
	if (wp != NULL)
		*wp = w > INT_MAX ? INT_MAX : (int)w;
	if (hp != NULL)
		*hp = FONT_H * s;
}

/*
 * Draws each set glyph pixel as an s x s square; characters outside the
 * font are drawn as '?'.
 */
int
som_text(struct img *im, int x, int y, int s, const char *digits,
    unsigned int rgba)
{
	const uint8_t *g;
	const char *c;
	long long cx;
	int w, row, col;
	unsigned char ch;

	if (digits == NULL)
		return 0;
	s = som_clamp_font(s);
	som_text_size(digits, s, &w, NULL);
	for (c = digits, cx = x; *c != '\0' && cx < INT_MAX / 2;
	    c++, cx += (FONT_W + FONT_GAP) * s) {
		ch = (unsigned char)*c;
		if (ch < FONT_FIRST || ch > FONT_LAST)
			ch = '?';
		g = font_glyphs[ch - FONT_FIRST];
		for (row = 0; row < FONT_H; row++) {
			if (g[row] == 0)
				continue;
			for (col = 0; col < FONT_W; col++)
				if (g[row] & (0x10 >> col))
					img_fill(im, (int)cx + col * s,
					    y + row * s, s, s, rgba);
		}
	}
	return w;
}

/* Area of the intersection of a and b. */
static long long
som_overlap(const struct som_rect *a, const struct som_rect *b)
{
	long long w, h;

	w = (long long)(a->x + a->w < b->x + b->w ? a->x + a->w : b->x + b->w) -
	    (a->x > b->x ? a->x : b->x);
	h = (long long)(a->y + a->h < b->y + b->h ? a->y + a->h : b->y + b->h) -
	    (a->y > b->y ? a->y : b->y);
	return w > 0 && h > 0 ? w * h : 0;
}

/* Gap between a and b (Chebyshev distance of their edges; 0 if touching). */
static int
som_gap(const struct som_rect *a, const struct som_rect *b)
{
	int dx, dy, d;

	dx = b->x - (a->x + a->w);
	if ((d = a->x - (b->x + b->w)) > dx)
		dx = d;
	dy = b->y - (a->y + a->h);
	if ((d = a->y - (b->y + b->h)) > dy)
		dy = d;
	d = dx > dy ? dx : dy;
	return d > 0 ? d : 0;
}

/* Clips r to a w x h image; returns 0 if nothing is left. */
static int
som_clip(struct som_rect *r, int w, int h)
{
	int x1 = r->x + r->w, y1 = r->y + r->h;

	if (r->x < 0)
		r->x = 0;
	if (r->y < 0)
		r->y = 0;
	if (x1 > w)
		x1 = w;
	if (y1 > h)
		y1 = h;
	r->w = x1 - r->x;
	r->h = y1 - r->y;
	if (r->w <= 0 || r->h <= 0) {
		r->w = r->h = 0;
		return 0;
	}
	return 1;
}

/* Converts a CSS coordinate to image px, clamped to a safe range. */
static int
som_px(double v, double scale)
{
	v *= scale;
	if (v > SOM_COORD_MAX)
		v = SOM_COORD_MAX;
	if (v < -SOM_COORD_MAX)
		v = -SOM_COORD_MAX;
	return (int)lround(v);
}

/* Chooses white or black text for the best contrast on colour rgba. */
static uint32_t
som_text_colour(uint32_t rgba)
{
	double c[3], l;
	int i;

	for (i = 0; i < 3; i++) {
		c[i] = ((rgba >> (24 - 8 * i)) & 0xff) / 255.0;
		c[i] = c[i] <= 0.04045 ? c[i] / 12.92 :
		    pow((c[i] + 0.055) / 1.055, 2.4);
	}
	l = 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
	/* WCAG contrast: (1.05 / (l + 0.05)) against (l + 0.05) / 0.05. */
	return (l + 0.05) * (l + 0.05) > 0.0525 ? SOM_BLACK : SOM_WHITE;
}

/* Luma (0-255) of colour rgba, weighted as img_luma() does. */
static int
som_colour_luma(uint32_t rgba)
{
	return (int)((54u * (rgba >> 24) + 183u * ((rgba >> 16) & 0xff) +
	    19u * ((rgba >> 8) & 0xff)) >> 8);
}

/*
 * The halo for colour rgba on a page of luma bg: none when the two differ
 * enough already, else black or white, whichever stands out from the
 * page.  So outlines stay clean where they show anyway and get a
 * contrasting rim where they would melt into the page.
 */
static uint32_t
som_halo_for(double bg, uint32_t rgba)
{
	if (fabs(bg - som_colour_luma(rgba)) >= SOM_CONTRAST)
		return SOM_NONE;
	return bg >= 128.0 ? SOM_BLACK : SOM_WHITE;
}

/* The rectangle r grown by d on every side. */
static struct som_rect
som_grow(const struct som_rect *r, int d)
{
	struct som_rect g;

	g.x = r->x - d;
	g.y = r->y - d;
	g.w = r->w + 2 * d;
	g.h = r->h + 2 * d;
	return g;
}

/* Adds the luma of line l (clipped) and its pixel count to *sum, *n. */
static void
som_line_luma(const struct img *im, struct som_rect l, double *sum,
    double *n)
{
	double k;

	if (!som_clip(&l, im->w, im->h))
		return;
	k = (double)l.w * (double)l.h;
	*sum += img_luma(im, l.x, l.y, l.w, l.h) * k;
	*n += k;
}

/*
 * The mean luma of the one-pixel ring just outside a label at r with a
 * halo of width halo, as far as it lies in the image.  Reading only the
 * ring keeps this cheap, and those are the pixels the halo has to stand
 * out from.
 */
static double
som_ring_luma(const struct img *im, const struct som_rect *r, int halo)
{
	struct som_rect o, l;
	double sum = 0, n = 0;

	o = som_grow(r, halo + 1);
	l = o;
	l.h = 1;
	som_line_luma(im, l, &sum, &n);
	l.y = o.y + o.h - 1;
	som_line_luma(im, l, &sum, &n);
	l.y = o.y + 1;
	l.w = 1;
	l.h = o.h - 2;
	som_line_luma(im, l, &sum, &n);
	l.x = o.x + o.w - 1;
	som_line_luma(im, l, &sum, &n);
	if (n < 1)
		return img_luma(im, r->x, r->y, r->w, r->h);
	return sum / n;
}

/* Most cells in a detail map. */
#define SOM_DETAIL_CELLS	(1u << 20)
/* Sampling steps of the detail map: columns, rows. */
#define SOM_DETAIL_SX		2
#define SOM_DETAIL_SY		4

/*
 * Page detail at a glance: the image is sampled at every other pixel of
 * every fourth row (text strokes are thin but glyphs are several rows
 * tall), each sample compared with its left and upper neighbours, and the
 * edges found are counted per d x d cell in a summed-area table, so that
 * the share of edges under any rectangle costs four lookups.  One
 * sequential pass over the image is much cheaper than reading each
 * candidate label's pixels, scattered over many cache lines.
 */
struct som_detail {
	int		 d;		/* cell size, a multiple of SY */
	int		 mw, mh;	/* cells */
	uint32_t	*sat;		/* (mw + 1) * (mh + 1) */
};

/* 1 if luma values a and b (in 1/256) differ by an edge's worth. */
#define SOM_IS_EDGE(a, b)						\
	((unsigned int)((a) - (b) + SOM_EDGE * 256 - 1) >		\
	    2u * (SOM_EDGE * 256 - 1))

/* Builds the detail map of im with cells of at least d pixels. */
static int
som_detail_init(struct som_detail *dm, const struct img *im, int d)
{
	const uint8_t *p;
	size_t stride = (size_t)im->w * 4, k;
	uint32_t *sat, *row;
	int *prev = NULL, *cell = NULL, x, y, i, l, left, ns, w1;
	int r = ERR_NOMEM;

	memset(dm, 0, sizeof(*dm));
	d = (d + SOM_DETAIL_SY - 1) / SOM_DETAIL_SY * SOM_DETAIL_SY;
	while ((size_t)((im->w + d - 1) / d) * (size_t)((im->h + d - 1) / d) >
	    SOM_DETAIL_CELLS)
		d *= 2;
	dm->d = d;
	dm->mw = (im->w + d - 1) / d;
	dm->mh = (im->h + d - 1) / d;
	w1 = dm->mw + 1;
	ns = (im->w + SOM_DETAIL_SX - 1) / SOM_DETAIL_SX;
	if ((dm->sat = calloc((size_t)w1 * (size_t)(dm->mh + 1),
	    sizeof(*dm->sat))) == NULL ||
	    (prev = calloc((size_t)ns, sizeof(*prev))) == NULL ||
	    (cell = calloc((size_t)ns, sizeof(*cell))) == NULL)
		goto out;
	sat = dm->sat;
	for (i = 0; i < ns; i++)
		cell[i] = i * SOM_DETAIL_SX / d + 1;
	/* The first row compares with itself: no vertical edges. */
	for (i = 0, p = im->px; i < ns; i++, p += 4 * SOM_DETAIL_SX)
		prev[i] = 54 * p[0] + 183 * p[1] + 19 * p[2];
	for (y = 0; y < im->h; y += SOM_DETAIL_SY) {
		p = im->px + (size_t)y * stride;
		row = sat + (size_t)(y / d + 1) * w1;
		left = 54 * p[0] + 183 * p[1] + 19 * p[2];
		for (i = 0; i < ns; i++, p += 4 * SOM_DETAIL_SX) {
			l = 54 * p[0] + 183 * p[1] + 19 * p[2];
			row[cell[i]] += SOM_IS_EDGE(l, left) +
			    SOM_IS_EDGE(l, prev[i]);
			prev[i] = left = l;
		}
	}
	/* Counts to sums over everything above and to the left. */
	for (y = 1; y <= dm->mh; y++)
		for (x = 1; x < w1; x++) {
			k = (size_t)y * w1 + x;
			sat[k] += sat[k - 1] + sat[k - w1] - sat[k - w1 - 1];
		}
	r = 0;
 out:
	free(prev);
	free(cell);
	return r;
}

/* Frees the map; a zeroed map is fine. */
static void
som_detail_free(struct som_detail *dm)
{
	free(dm->sat);
	memset(dm, 0, sizeof(*dm));
}

/*
 * The share of edges among the samples under r (within the image), to the
 * nearest cell: how much page detail a label there would hide.
 */
static double
som_detail_at(const struct som_detail *dm, const struct som_rect *r)
{
	const uint32_t *s = dm->sat;
	size_t w1 = (size_t)dm->mw + 1;
	int c0, r0, c1, r1;
	double n;

	c0 = r->x / dm->d;
	r0 = r->y / dm->d;
	c1 = (r->x + r->w - 1) / dm->d + 1;
	r1 = (r->y + r->h - 1) / dm->d + 1;
	/* Two comparisons for each sample in a cell. */
	n = (double)(c1 - c0) * (r1 - r0) * (dm->d / SOM_DETAIL_SX) *
	    (dm->d / SOM_DETAIL_SY) * 2;
	return (double)(s[r1 * w1 + c1] - s[r0 * w1 + c1] - s[r1 * w1 + c0] +
	    s[r0 * w1 + c0]) / n;
}

/* Sets up an empty grid over a w x h image with cells of size cell. */
static int
som_grid_init(struct som_grid *g, int w, int h, int cell, size_t nitems)
{
	size_t ncell, i;

	memset(g, 0, sizeof(*g));
	g->cell = cell;
	g->gw = (w + cell - 1) / cell;
	g->gh = (h + cell - 1) / cell;
	ncell = (size_t)g->gw * (size_t)g->gh;
	if ((g->head = calloc(ncell, sizeof(*g->head))) == NULL ||
	    (g->big = calloc(nitems > 0 ? nitems : 1, sizeof(*g->big))) == NULL)
		return ERR_NOMEM;
	for (i = 0; i < ncell; i++)
		g->head[i] = -1;
	return 0;
}

/* Frees the grid; a zeroed grid is fine. */
static void
som_grid_free(struct som_grid *g)
{
	free(g->head);
	free(g->next);
	free(g->item);
	free(g->big);
	memset(g, 0, sizeof(*g));
}

/* The span of grid cells that rectangle r (within the image) covers. */
static void
som_grid_span(const struct som_grid *g, const struct som_rect *r, int *c0,
    int *r0, int *c1, int *r1)
{
	*c0 = r->x / g->cell;
	*r0 = r->y / g->cell;
	*c1 = (r->x + r->w - 1) / g->cell;
	*r1 = (r->y + r->h - 1) / g->cell;
	if (*c0 < 0)
		*c0 = 0;
	if (*r0 < 0)
		*r0 = 0;
	if (*c1 >= g->gw)
		*c1 = g->gw - 1;
	if (*r1 >= g->gh)
		*r1 = g->gh - 1;
}

/* Files item idx (rectangle r, inside the image) in the grid. */
static int
som_grid_add(struct som_grid *g, int idx, const struct som_rect *r)
{
	int c0, r0, c1, r1, cx, cy, *nn, *ni;
	size_t need, ncap;

	som_grid_span(g, r, &c0, &r0, &c1, &r1);
	if ((long long)(c1 - c0 + 1) * (r1 - r0 + 1) > SOM_BIG_CELLS) {
		g->big[g->nbig++] = idx;
		return 0;
	}
	need = g->n + (size_t)(c1 - c0 + 1) * (size_t)(r1 - r0 + 1);
	if (need > g->cap) {
		ncap = g->cap > 0 ? g->cap : 256;
		while (ncap < need)
			ncap *= 2;
		if ((nn = reallocarray(g->next, ncap, sizeof(*nn))) == NULL)
			return ERR_NOMEM;
		g->next = nn;
		if ((ni = reallocarray(g->item, ncap, sizeof(*ni))) == NULL)
			return ERR_NOMEM;
		g->item = ni;
		g->cap = ncap;
	}
	for (cy = r0; cy <= r1; cy++)
		for (cx = c0; cx <= c1; cx++) {
			g->item[g->n] = idx;
			g->next[g->n] = g->head[cy * g->gw + cx];
			g->head[cy * g->gw + cx] = (int)g->n;
			g->n++;
		}
	return 0;
}

/* State of one som_draw() call. */
struct som_ctx {
	struct img		*im;
	struct som_item		*it;
	size_t			 n;
	struct som_grid		 boxes, labels;
	unsigned int		*bstamp;	/* per item: last query */
	unsigned int		*lstamp;
	unsigned int		 query;
	struct som_detail	 detail;
	int			 near;	/* distance that is touching */
	int			 halo;
};

/* Cost of box j for a label at r belonging to item i. */
static double
som_box_cost(const struct som_ctx *c, size_t i, size_t j,
    const struct som_rect *r)
{
	const struct som_rect *b = &c->it[j].vis;
	double area = (double)b->w * (double)b->h;
	long long ov;
	int d;

	ov = som_overlap(r, b);
	if (j == i)
		return SOM_W_OWN * (double)ov / area;
	if (ov > 0)
		return (double)ov / area;
	if ((d = som_gap(r, b)) < c->near)
		return SOM_W_NEAR * (1.0 - (double)d / c->near);
	return 0;
}

/* Cost of putting item i's label at r (see SOM_W_*). */
static double
som_cost(struct som_ctx *c, size_t i, const struct som_rect *r)
{
	struct som_rect q, h;
	double cost = 0, larea;
	size_t k;
	int c0, r0, c1, r1, cx, cy, e, j;

	c->query++;
	/* Boxes: anything within the touching distance. */
	q = som_grow(r, c->near);
	som_grid_span(&c->boxes, &q, &c0, &r0, &c1, &r1);
	for (cy = r0; cy <= r1; cy++)
		for (cx = c0; cx <= c1; cx++)
			for (e = c->boxes.head[cy * c->boxes.gw + cx]; e != -1;
			    e = c->boxes.next[e]) {
				j = c->boxes.item[e];
				if (c->bstamp[j] == c->query)
					continue;
				c->bstamp[j] = c->query;
				cost += som_box_cost(c, i, (size_t)j, r);
			}
	for (k = 0; k < c->boxes.nbig; k++)
		cost += som_box_cost(c, i, (size_t)c->boxes.big[k], r);
	/* Labels placed so far, halo included. */
	h = som_grow(r, c->halo);
	larea = (double)h.w * (double)h.h;
	som_grid_span(&c->labels, &h, &c0, &r0, &c1, &r1);
	for (cy = r0; cy <= r1; cy++)
		for (cx = c0; cx <= c1; cx++)
			for (e = c->labels.head[cy * c->labels.gw + cx];
			    e != -1; e = c->labels.next[e]) {
				j = c->labels.item[e];
				if (c->lstamp[j] == c->query)
					continue;
				c->lstamp[j] = c->query;
				q = som_grow(&c->it[j].lab, c->halo);
				cost += SOM_W_LABEL *
				    (double)som_overlap(&h, &q) / larea;
			}
	for (k = 0; k < c->labels.nbig; k++) {
		q = som_grow(&c->it[c->labels.big[k]].lab, c->halo);
		cost += SOM_W_LABEL * (double)som_overlap(&h, &q) / larea;
	}
	/* Page detail under the label itself. */
	q = *r;
	if (som_clip(&q, c->im->w, c->im->h))
		cost += SOM_W_DETAIL * som_detail_at(&c->detail, &q);
	return cost;
}

/*
 * Places item i's label (size lw x lh) at the cheapest candidate position;
 * ties go to the earlier candidate.  Order: outside above (the usual place
 * people look), inside the top corners, outside below, inside the bottom
 * corners.
 */
static int
som_place(struct som_ctx *c, size_t i, int lw, int lh)
{
	static const struct {
		int	right, inside, below, corner;
	} cand[] = {
		{ 0, 0, 0, 0 }, { 1, 0, 0, 1 },
		{ 0, 1, 0, 0 }, { 1, 1, 0, 1 },
		{ 0, 0, 1, 2 }, { 1, 0, 1, 3 },
		{ 0, 1, 1, 2 }, { 1, 1, 1, 3 }
	};
	struct som_item *it = &c->it[i];
	const struct som_rect *b = &it->frame;
	struct som_rect r, best;
	double cost, bestcost = 0;
	size_t k;
	int W = c->im->w, H = c->im->h, bestcorner = 0;

	memset(&best, 0, sizeof(best));
	for (k = 0; k < sizeof(cand) / sizeof(cand[0]); k++) {
		r.w = lw;
		r.h = lh;
		r.x = cand[k].right ? b->x + b->w - lw : b->x;
		if (cand[k].below)
			r.y = cand[k].inside ? b->y + b->h - lh : b->y + b->h;
		else
			r.y = cand[k].inside ? b->y : b->y - lh;
		/* Keep the label inside the image. */
		if (r.x + r.w > W)
			r.x = W - r.w;
		if (r.y + r.h > H)
			r.y = H - r.h;
		if (r.x < 0)
			r.x = 0;
		if (r.y < 0)
			r.y = 0;
		cost = som_cost(c, i, &r);
		if (k == 0 || cost < bestcost) {
			bestcost = cost;
			best = r;
			bestcorner = cand[k].corner;
		}
	}
	som_clip(&best, W, H);
	it->lab = best;
	it->corner = bestcorner;
	return som_grid_add(&c->labels, (int)i, &best);
}

/* Fills a rectangle unless rgba is SOM_NONE. */
static void
som_fill(struct img *im, int x, int y, int w, int h, uint32_t rgba)
{
	if (rgba != SOM_NONE)
		img_fill(im, x, y, w, h, rgba);
}

/*
 * Draws a frame of thickness t around the inside of r with one colour per
 * side (top, bottom, left, right; SOM_NONE: that side is left alone).
 */
static void
som_frame(struct img *im, const struct som_rect *r, int t,
    const uint32_t col[4])
{
	int i;

	if (2 * t >= r->w || 2 * t >= r->h) {
		for (i = 0; i < 4; i++)
			if (col[i] != SOM_NONE) {
				img_fill(im, r->x, r->y, r->w, r->h, col[i]);
				break;
			}
		return;
	}
	som_fill(im, r->x, r->y, r->w, t, col[0]);
	som_fill(im, r->x, r->y + r->h - t, r->w, t, col[1]);
	som_fill(im, r->x, r->y + t, t, r->h - 2 * t, col[2]);
	som_fill(im, r->x + r->w - t, r->y + t, t, r->h - 2 * t, col[3]);
}

/*
 * Picks the halo colours of item it from the undrawn image: from the line
 * of pixels under the middle of each side of the outline (a whole band
 * would cost several times as much and hardly ever choose differently),
 * and from the ring of pixels around the label that its halo will touch.
 */
static void
som_pick_halos(const struct img *im, struct som_item *it, int halo)
{
	const struct som_rect *f = &it->frame;
	int m = it->t / 2;

	it->halo[0] = som_halo_for(img_luma(im, f->x, f->y + m, f->w, 1),
	    it->colour);
	it->halo[1] = som_halo_for(img_luma(im, f->x, f->y + f->h - 1 - m,
	    f->w, 1), it->colour);
	it->halo[2] = som_halo_for(img_luma(im, f->x + m, f->y, 1, f->h),
	    it->colour);
	it->halo[3] = som_halo_for(img_luma(im, f->x + f->w - 1 - m, f->y, 1,
	    f->h), it->colour);
	it->lhalo = som_halo_for(som_ring_luma(im, &it->lab, halo),
	    it->colour);
}

/*
 * Draws item it's outline in one of two passes: 0 the halo (both sides of
 * the outline), 1 the outline itself.
 */
static void
som_draw_outline(struct img *im, const struct som_item *it, int halo,
    int pass)
{
	struct som_rect o;
	uint32_t col[4];

	if (pass == 0) {
		o = som_grow(&it->frame, halo);
		som_frame(im, &o, it->t + 2 * halo, it->halo);
	} else {
		col[0] = col[1] = col[2] = col[3] = it->colour;
		som_frame(im, &it->frame, it->t, col);
	}
}

/* Draws item it's label: halo, fill, number. */
static void
som_draw_label(struct img *im, const struct som_item *it, int s, int pad,
    int halo)
{
	const struct som_rect *l = &it->lab;

	som_fill(im, l->x - halo, l->y - halo, l->w + 2 * halo,
	    l->h + 2 * halo, it->lhalo);
	img_fill(im, l->x, l->y, l->w, l->h, it->colour);
	som_text(im, l->x + pad, l->y + pad, s, it->num, it->text);
}

/*
 * Boxes to pixels, then labels placed one by one (each seeing the labels
 * before it), then drawing: halos, outlines, labels.
 */
int
som_draw(struct img *im, const struct som_mark *marks, size_t n,
    const struct som_params *p, struct som_label *labels)
{
	struct som_params defp;
	struct som_ctx c;
	struct som_item *it;
	const struct som_mark *m;
	size_t i, k, hi = SIZE_MAX;
	int s, pad, t, lw, lh, cell, x1, y1, pass, r = ERR_INTERNAL;

	memset(&c, 0, sizeof(c));
	if (p == NULL) {
		som_default_params(&defp);
		p = &defp;
	}
	if (im == NULL || im->px == NULL || im->w <= 0 || im->h <= 0 ||
	    (marks == NULL && n > 0) || !(p->scale > 0) ||
	    p->scale > SOM_MAX_SCALE)
		return ERR_INVALID;
	if (n > SOM_MAX_MARKS)
		return ERR_TOOBIG;
	if (labels != NULL && n > 0)
		memset(labels, 0, n * sizeof(*labels));
	if (n == 0)
		return 0;

	s = som_font_scale(p->scale);
	pad = s;
	t = som_outline(p->scale);
	c.im = im;
	c.n = n;
	c.halo = som_halo(p->scale);
	som_text_size("0", s, NULL, &lh);
	lh += 2 * pad;
	c.near = lh / 2;
	/* Cells about twice a label's height: a label spans few of them. */
	cell = 2 * lh > 64 ? 2 * lh : 64;
	if ((c.it = calloc(n, sizeof(*c.it))) == NULL ||
	    (c.bstamp = calloc(n, sizeof(*c.bstamp))) == NULL ||
	    (c.lstamp = calloc(n, sizeof(*c.lstamp))) == NULL) {
		r = ERR_NOMEM;
		goto out;
	}
	if ((r = som_grid_init(&c.boxes, im->w, im->h, cell, n)) != 0 ||
	    (r = som_grid_init(&c.labels, im->w, im->h, cell, n)) != 0 ||
	    (r = som_detail_init(&c.detail, im, 2 * s)) != 0)
		goto out;

	/* Boxes in image pixels; at least one pixel each way. */
	for (i = 0; i < n; i++) {
		m = &marks[i];
		it = &c.it[i];
		if (!isfinite(m->x) || !isfinite(m->y) || !isfinite(m->w) ||
		    !isfinite(m->h) || m->w < 0 || m->h < 0)
			continue;
		it->box.x = som_px(m->x, p->scale);
		it->box.y = som_px(m->y, p->scale);
		x1 = som_px(m->x + m->w, p->scale);
		y1 = som_px(m->y + m->h, p->scale);
		it->box.w = x1 > it->box.x ? x1 - it->box.x : 1;
		it->box.h = y1 > it->box.y ? y1 - it->box.y : 1;
		it->vis = it->box;
		if (!som_clip(&it->vis, im->w, im->h))
			continue;
		it->t = t;
		if (p->highlight != 0 && m->id == p->highlight &&
		    hi == SIZE_MAX) {
			hi = i;
			it->t = 2 * t;
			it->colour = SOM_HIGHLIGHT;
		} else
			it->colour = som_palette[(unsigned int)(m->id - 1) %
			    SOM_NPALETTE];
		/*
		 * The outline goes around the box, not over the element's
		 * own edge pixels, except where the image ends.
		 */
		it->frame = som_grow(&it->box, it->t);
		som_clip(&it->frame, im->w, im->h);
		it->text = som_text_colour(it->colour);
		snprintf(it->num, sizeof(it->num), "%d", m->id);
		if ((r = som_grid_add(&c.boxes, (int)i, &it->vis)) != 0)
			goto out;
	}

	/* Labels: the highlighted mark first, so it gets the best place. */
	for (k = 0; k <= n; k++) {
		i = k == 0 ? hi : k - 1;
		if (i == SIZE_MAX || (k > 0 && i == hi) || c.it[i].vis.w == 0)
			continue;
		som_text_size(c.it[i].num, s, &lw, NULL);
		lw += 2 * pad;
		if ((r = som_place(&c, i, lw, lh)) != 0)
			goto out;
	}

	/* Halo colours come from the page, before anything is drawn. */
	for (i = 0; i < n; i++)
		if (c.it[i].vis.w > 0)
			som_pick_halos(im, &c.it[i], c.halo);

	/*
	 * All halos, then all outlines, so that no halo cuts through another
	 * mark's outline; the highlighted one last, then all labels on top.
	 */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < n; i++)
			if (c.it[i].vis.w > 0 && i != hi)
				som_draw_outline(im, &c.it[i], c.halo, pass);
	if (hi != SIZE_MAX) {
		som_draw_outline(im, &c.it[hi], c.halo, 0);
		som_draw_outline(im, &c.it[hi], c.halo, 1);
	}
	for (i = 0; i < n; i++)
		if (c.it[i].vis.w > 0 && i != hi)
			som_draw_label(im, &c.it[i], s, pad, c.halo);
	if (hi != SIZE_MAX)
		som_draw_label(im, &c.it[hi], s, pad, c.halo);

	if (labels != NULL)
		for (i = 0; i < n; i++) {
			if (c.it[i].vis.w == 0)
				continue;
			labels[i].x = c.it[i].lab.x;
			labels[i].y = c.it[i].lab.y;
			labels[i].w = c.it[i].lab.w;
			labels[i].h = c.it[i].lab.h;
			labels[i].corner = c.it[i].corner;
		}
	r = 0;
 out:
	som_detail_free(&c.detail);
	som_grid_free(&c.boxes);
	som_grid_free(&c.labels);
	free(c.it);
	free(c.bstamp);
	free(c.lstamp);
	return r;
}
