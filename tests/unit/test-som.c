/* test-som.c: Set-of-Mark drawing: text, label placement, outlines. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "err.h"
#include "img.h"
#include "som.h"
#include "tap.h"

#define WHITE	0xffffffffu
#define BLACK	0x000000ffu

static uint32_t
px(const struct img *im, int x, int y)
{
	const uint8_t *p = im->px + ((size_t)y * im->w + x) * 4;

	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static int
count(const struct img *im, uint32_t c)
{
	int x, y, n = 0;

	for (y = 0; y < im->h; y++)
		for (x = 0; x < im->w; x++)
			n += px(im, x, y) == c;
	return n;
}

static struct som_mark
mark(int id, double x, double y, double w, double h)
{
	struct som_mark m;

	m.id = id;
	m.x = x;
	m.y = y;
	m.w = w;
	m.h = h;
	return m;
}

/* Area shared by two labels. */
static int
overlap(const struct som_label *a, int x, int y, int w, int h)
{
	int ox = (a->x + a->w < x + w ? a->x + a->w : x + w) -
	    (a->x > x ? a->x : x);
	int oy = (a->y + a->h < y + h ? a->y + a->h : y + h) -
	    (a->y > y ? a->y : y);

	return ox > 0 && oy > 0 ? ox * oy : 0;
}

static int
inside(const struct som_label *l, const struct img *im)
{
	return l->w > 0 && l->h > 0 && l->x >= 0 && l->y >= 0 &&
	    l->x + l->w <= im->w && l->y + l->h <= im->h;
}

/* WCAG relative luminance of 0xRRGGBBAA. */
static double
rel_lum(uint32_t c)
{
	double v[3];
	int i;

	for (i = 0; i < 3; i++) {
		v[i] = ((c >> (24 - 8 * i)) & 0xff) / 255.0;
		v[i] = v[i] <= 0.04045 ? v[i] / 12.92 :
		    pow((v[i] + 0.055) / 1.055, 2.4);
	}
	return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
}

static double
contrast(uint32_t a, uint32_t b)
{
	double la = rel_lum(a), lb = rel_lum(b);

	return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

static void
test_text(void)
{
	struct img im;
	int w = -1, h = -1, x, y, n;

	som_text_size("123", 2, &w, &h);
	ok(w == 34 && h == 14, "text size: \"123\" at 2 is 34x14 (%dx%d)", w,
	    h);
	som_text_size("", 1, &w, &h);
	ok(w == 0 && h == 7, "text size: empty string");
	som_text_size("8", 0, &w, &h);
	ok(w == 5 && h == 7, "text size: scale 0 counts as 1");

	if (img_new(&im, 20, 20, BLACK) != 0)
		return;
	is_int(som_text(&im, 2, 3, 1, "1", WHITE), 5, "text: width of \"1\"");
	/* The glyph of 1: a flag, a stem in column 2, a foot of three. */
	ok(px(&im, 4, 3) == WHITE && px(&im, 3, 4) == WHITE &&
	    px(&im, 4, 6) == WHITE && px(&im, 3, 9) == WHITE &&
	    px(&im, 5, 9) == WHITE, "text: \"1\" set pixels");
	ok(px(&im, 2, 3) == BLACK && px(&im, 3, 3) == BLACK &&
	    px(&im, 2, 9) == BLACK && px(&im, 6, 9) == BLACK &&
	    px(&im, 5, 6) == BLACK, "text: \"1\" clear pixels");
	is_int(count(&im, WHITE), 10, "text: \"1\" has 10 pixels");

	img_fill(&im, 0, 0, 20, 20, BLACK);
	som_text(&im, 1, 0, 2, "1", WHITE);
	is_int(count(&im, WHITE), 40, "text: at scale 2, 4x the pixels");
	ok(px(&im, 5, 0) == WHITE && px(&im, 6, 1) == WHITE &&
	    px(&im, 4, 0) == BLACK && px(&im, 7, 0) == BLACK,
	    "text: scale 2 doubles each pixel");

	/* Every digit draws something, and no two look alike. */
	n = 0;
	for (x = 0; x < 10; x++) {
		char d[2] = { (char)('0' + x), '\0' };

		img_fill(&im, 0, 0, 20, 20, BLACK);
		som_text(&im, 0, 0, 1, d, WHITE);
		n += count(&im, WHITE) >= 7;
	}
	is_int(n, 10, "text: all digits drawn");

	img_fill(&im, 0, 0, 20, 20, BLACK);
	som_text(&im, 0, 0, 1, "\x01", WHITE);
	y = count(&im, WHITE);
	img_fill(&im, 0, 0, 20, 20, BLACK);
	som_text(&im, 0, 0, 1, "?", WHITE);
	is_int(count(&im, WHITE), y, "text: unprintable drawn as ?");

	img_fill(&im, 0, 0, 20, 20, BLACK);
	som_text(&im, -3, -4, 3, "42", WHITE);
	som_text(&im, 10, 10, 3, "42", WHITE);
	ok(1, "text: clipped at the edges without harm");
	is_int(som_text(&im, 0, 0, 1, NULL, WHITE), 0, "text: NULL is 0");
	img_free(&im);
}

static void
test_params(void)
{
	struct som_params p;
	struct som_mark m = mark(1, 10, 10, 20, 20);
	struct som_label l;
	struct img im;

	som_default_params(&p);
	ok(p.scale > 0.999 && p.scale < 1.001 && p.highlight == 0,
	    "default params: scale 1, no highlight");
	if (img_new(&im, 50, 50, WHITE) != 0)
		return;
	p.scale = 0;
	is_int(som_draw(&im, &m, 1, &p, &l), ERR_INVALID, "draw: scale 0");
	p.scale = nan("");
	is_int(som_draw(&im, &m, 1, &p, &l), ERR_INVALID, "draw: scale NaN");
	p.scale = 100;
	is_int(som_draw(&im, &m, 1, &p, &l), ERR_INVALID, "draw: scale 100");
	p.scale = 1;
	is_int(som_draw(&im, NULL, 1, &p, &l), ERR_INVALID,
	    "draw: no marks");
	is_int(som_draw(NULL, &m, 1, &p, &l), ERR_INVALID, "draw: no image");
	is_int(som_draw(&im, NULL, 0, &p, NULL), 0, "draw: zero marks");
	is_int(count(&im, WHITE), 2500, "draw: nothing drawn so far");
	is_int(som_draw(&im, &m, 1, NULL, NULL), 0,
	    "draw: default params, no labels wanted");
	ok(count(&im, WHITE) < 2500, "draw: something drawn");
	img_free(&im);
}

static void
test_single(void)
{
	struct img im;
	struct som_mark m = mark(7, 50, 60, 40, 20);
	struct som_label l;
	uint32_t fill, text = 0;
	int x, y, other = 0;

	if (img_new(&im, 200, 150, WHITE) != 0)
		return;
	is_int(som_draw(&im, &m, 1, NULL, &l), 0, "single: drawn");
	/*
	 * The outline (2 px) goes around the box: 48,58 to 92,82.  The label
	 * for "7" is 10x14 text plus 2 px padding, above its top left.
	 */
	ok(l.x == 48 && l.y == 40 && l.w == 14 && l.h == 18 && l.corner == 0,
	    "single: label above the top left corner (%d,%d %dx%d c%d)", l.x,
	    l.y, l.w, l.h, l.corner);
	fill = px(&im, l.x, l.y);
	ok(fill != WHITE && px(&im, 48, 70) == fill &&
	    px(&im, 49, 70) == fill && px(&im, 91, 70) == fill &&
	    px(&im, 70, 81) == fill,
	    "single: outline in the label's colour");
	ok(px(&im, 50, 70) == WHITE && px(&im, 89, 79) == WHITE &&
	    px(&im, 47, 70) == WHITE && px(&im, 70, 83) == WHITE,
	    "single: box inside and page outside untouched (no halo needed)");
	for (y = l.y; y < l.y + l.h; y++)
		for (x = l.x; x < l.x + l.w; x++)
			if (px(&im, x, y) != fill) {
				if (text == 0)
					text = px(&im, x, y);
				other += px(&im, x, y) != text;
			}
	ok(text == WHITE || text == BLACK, "single: text white or black");
	is_int(other, 0, "single: label holds two colours only");
	ok(contrast(fill, text) >= 3.0, "single: text contrast %.1f",
	    contrast(fill, text));
	img_free(&im);
}

static void
test_palette(void)
{
	struct img im;
	struct som_mark m;
	struct som_label l;
	uint32_t fill[12], text;
	int id, x, y, bad = 0, distinct = 0, j;
	double worst = 100;

	for (id = 1; id <= 12; id++) {
		if (img_new(&im, 60, 60, WHITE) != 0)
			return;
		m = mark(id, 20, 30, 20, 10);
		som_draw(&im, &m, 1, NULL, &l);
		fill[id - 1] = px(&im, l.x, l.y);
		text = fill[id - 1];
		for (y = l.y; y < l.y + l.h; y++)
			for (x = l.x; x < l.x + l.w; x++)
				if (px(&im, x, y) != fill[id - 1])
					text = px(&im, x, y);
		if (text != WHITE && text != BLACK)
			bad++;
		else if (contrast(fill[id - 1], text) < worst)
			worst = contrast(fill[id - 1], text);
		img_free(&im);
	}
	is_int(bad, 0, "palette: label text is white or black");
	ok(worst >= 4.0, "palette: worst text contrast %.2f >= 4", worst);
	for (id = 0; id < 12; id++) {
		for (j = 0; j < id; j++)
			if (fill[j] == fill[id])
				break;
		distinct += j == id;
	}
	ok(distinct >= 10, "palette: %d distinct colours in 12 ids", distinct);
}

static void
test_edges(void)
{
	struct img im;
	struct som_mark m[6];
	struct som_label l[6];
	int i, good = 0;

	if (img_new(&im, 200, 150, WHITE) != 0)
		return;
	m[0] = mark(1, 0, 0, 30, 20);
	m[1] = mark(22, 170, 130, 30, 20);
	m[2] = mark(333, -10, -10, 30, 30);
	m[3] = mark(4444, 190, 0, 30, 30);
	m[4] = mark(5, 0, 140, 200, 10);
	m[5] = mark(123456, 0, 0, 200, 150);
	is_int(som_draw(&im, m, 6, NULL, l), 0, "edges: drawn");
	for (i = 0; i < 6; i++)
		good += inside(&l[i], &im);
	is_int(good, 6, "edges: every label inside the image");
	img_free(&im);

	/* An image smaller than a label: clipped, still inside. */
	if (img_new(&im, 10, 8, WHITE) != 0)
		return;
	m[0] = mark(99999, 2, 2, 4, 4);
	is_int(som_draw(&im, m, 1, NULL, l), 0, "tiny image: drawn");
	ok(inside(&l[0], &im), "tiny image: label clipped to the image");
	img_free(&im);
}

static void
test_outside(void)
{
	struct img im, copy;
	struct som_mark m[5];
	struct som_label l[5];

	if (img_new(&im, 200, 150, WHITE) != 0 ||
	    img_new(&copy, 200, 150, WHITE) != 0)
		return;
	m[0] = mark(1, -100, -100, 50, 50);
	m[1] = mark(2, 500, 10, 20, 20);
	m[2] = mark(3, 10, 150, 20, 20);
	m[3] = mark(4, nan(""), 10, 20, 20);
	m[4] = mark(5, 10, 10, HUGE_VAL, 20);
	memset(l, 0x55, sizeof(l));
	is_int(som_draw(&im, m, 5, NULL, l), 0, "outside: drawn");
	ok(l[0].w == 0 && l[1].w == 0 && l[2].w == 0,
	    "outside: labels of marks off the image have w == 0");
	ok(l[3].w == 0 && l[4].w == 0, "outside: non-finite boxes skipped");
	ok(memcmp(im.px, copy.px, 200 * 150 * 4) == 0,
	    "outside: image untouched");
	img_free(&im);
	img_free(&copy);
}

static void
test_avoid(void)
{
	struct img im;
	struct som_mark m[2];
	struct som_label l[2];

	if (img_new(&im, 300, 200, WHITE) != 0)
		return;
	/*
	 * B sits above A's left half: A's label goes above A's right end,
	 * the free corner.
	 */
	m[0] = mark(1, 100, 100, 80, 30);
	m[1] = mark(2, 60, 70, 60, 30);
	is_int(som_draw(&im, m, 2, NULL, l), 0, "avoid: drawn");
	ok(l[0].corner == 1 && l[0].x + l[0].w == 182 && l[0].y + l[0].h == 98,
	    "avoid: A labelled above its top right (%d,%d %dx%d c%d)", l[0].x,
	    l[0].y, l[0].w, l[0].h, l[0].corner);
	is_int(overlap(&l[0], 60, 70, 60, 30), 0, "avoid: A's label off B");
	ok(l[1].corner == 0 && l[1].y + l[1].h == 68,
	    "avoid: B labelled above its top left");

	/* B right on top of A, as wide: A's label goes inside A. */
	img_fill(&im, 0, 0, 300, 200, WHITE);
	m[0] = mark(1, 100, 100, 80, 30);
	m[1] = mark(2, 100, 70, 80, 30);
	is_int(som_draw(&im, m, 2, NULL, l), 0, "avoid: stacked drawn");
	is_int(overlap(&l[0], 100, 70, 80, 30), 0,
	    "avoid: stacked, A's label off B");
	is_int(overlap(&l[0], l[1].x, l[1].y, l[1].w, l[1].h), 0,
	    "avoid: stacked, labels apart");
	img_free(&im);
}

static void
test_grid(void)
{
	struct img im;
	struct som_mark m[40];
	struct som_label l[40];
	int i, j, n = 0, bad = 0, corner0 = 0, attached = 0;

	if (img_new(&im, 900, 400, WHITE) != 0)
		return;
	for (i = 0; i < 8; i++)
		for (j = 0; j < 5; j++, n++)
			m[n] = mark(n + 1, 20 + i * 110, 30 + j * 75, 50, 25);
	is_int(som_draw(&im, m, 40, NULL, l), 0, "grid: drawn");
	for (i = 0; i < 40; i++) {
		for (j = 0; j < i; j++)
			bad += overlap(&l[i], l[j].x, l[j].y, l[j].w,
			    l[j].h) > 0;
		corner0 += l[i].corner == 0;
		/* Flush with the top of the 2 px outline, at its left. */
		attached += l[i].x == (int)m[i].x - 2 &&
		    l[i].y + l[i].h == (int)m[i].y - 2;
	}
	is_int(bad, 0, "grid: no two labels overlap");
	is_int(corner0, 40, "grid: all labels at the preferred corner");
	is_int(attached, 40, "grid: labels attached to their outline");
	img_free(&im);
}

static void
test_dense(void)
{
	struct img im;
	struct som_mark *m;
	struct som_label *l;
	unsigned int seed = 7;
	int i, good = 0, n = 2000;

	m = calloc((size_t)n, sizeof(*m));
	l = calloc((size_t)n, sizeof(*l));
	if (m == NULL || l == NULL || img_new(&im, 1280, 800, WHITE) != 0)
		return;
	for (i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		/* All at least partly visible, some over the edges. */
		m[i] = mark(i + 1, (seed >> 8) % 1270 - 5.5,
		    (seed >> 4) % 790 - 5.25, 10 + (seed >> 12) % 300,
		    10 + (seed >> 20) % 80);
	}
	m[5] = mark(6, 100, 100, 0, 10);
	m[6] = mark(7, 100.4, 100.2, 0.2, 0);
	is_int(som_draw(&im, m, (size_t)n, NULL, l), 0, "dense: 2000 drawn");
	for (i = 0; i < n; i++)
		good += inside(&l[i], &im);
	is_int(good, n, "dense: every label inside the image");
	free(m);
	free(l);
	img_free(&im);
}

/* Counts pixels of colour c on row y from x0 to x1 (exclusive). */
static int
run(const struct img *im, int y, int x0, int x1, uint32_t c)
{
	int n = 0;

	for (; x0 < x1; x0++)
		n += px(im, x0, y) == c;
	return n;
}

static void
test_highlight(void)
{
	struct img im;
	struct som_mark m[2];
	struct som_label l[2];
	struct som_params p;
	uint32_t normal, hi;

	som_default_params(&p);
	if (img_new(&im, 200, 150, WHITE) != 0)
		return;
	m[0] = mark(1, 50, 50, 60, 30);
	m[1] = mark(2, 130, 50, 40, 30);
	som_draw(&im, m, 2, &p, l);
	normal = px(&im, l[0].x, l[0].y);
	is_int(run(&im, 65, 40, 50, normal), 2, "highlight: normal is 2 px");

	img_fill(&im, 0, 0, 200, 150, WHITE);
	p.highlight = 1;
	som_draw(&im, m, 2, &p, l);
	hi = px(&im, l[0].x, l[0].y);
	ok(hi != normal && hi != px(&im, l[1].x, l[1].y),
	    "highlight: a colour of its own");
	is_int(run(&im, 65, 40, 50, hi), 4, "highlight: outline is 4 px");
	ok(px(&im, 45, 65) == BLACK, "highlight: yellow gets a dark halo");
	is_int(run(&im, 65, 120, 130, px(&im, l[1].x, l[1].y)), 2,
	    "highlight: the other mark stays thin");
	img_free(&im);
}

static void
test_halo(void)
{
	struct img im;
	struct som_mark m = mark(10, 50, 50, 60, 30);
	struct som_label l;
	uint32_t c;

	/* Indigo on black: the outline gets a white halo on both sides. */
	if (img_new(&im, 200, 150, BLACK) != 0)
		return;
	som_draw(&im, &m, 1, NULL, &l);
	c = px(&im, l.x, l.y);
	ok(px(&im, 48, 65) == c && px(&im, 49, 65) == c,
	    "halo: outline around the box");
	ok(px(&im, 47, 65) == WHITE && px(&im, 50, 65) == WHITE,
	    "halo: white on a dark page");
	ok(px(&im, l.x - 1, l.y + 5) == WHITE, "halo: around the label too");
	img_free(&im);
}

static void
test_scale(void)
{
	struct img a, b;
	struct som_mark m = mark(42, 50, 60, 40, 20);
	struct som_label la, lb;
	struct som_params p;

	som_default_params(&p);
	if (img_new(&a, 200, 150, WHITE) != 0 ||
	    img_new(&b, 400, 300, WHITE) != 0)
		return;
	som_draw(&a, &m, 1, &p, &la);
	p.scale = 2;
	som_draw(&b, &m, 1, &p, &lb);
	ok(lb.w == 2 * la.w && lb.h == 2 * la.h,
	    "scale 2: label twice the size (%dx%d, %dx%d)", la.w, la.h, lb.w,
	    lb.h);
	ok(lb.x == 2 * la.x && lb.y == 2 * la.y,
	    "scale 2: label twice as far (%d,%d, %d,%d)", la.x, la.y, lb.x,
	    lb.y);
	ok(la.h >= 16 && la.h <= 20, "scale 1: label %d px tall", la.h);
	is_int(run(&b, 140, 80, 100, px(&b, lb.x, lb.y)), 4,
	    "scale 2: outline 4 px");
	img_free(&a);
	img_free(&b);
}

int
main(void)
{
	test_text();
	test_params();
	test_single();
	test_palette();
	test_edges();
	test_outside();
	test_avoid();
	test_grid();
	test_dense();
	test_highlight();
	test_halo();
	test_scale();
	return done_testing();
}
