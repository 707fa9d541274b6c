/*
 * gym-plot.c: the training curves as a PNG (gym.h).
 *
 * Reads the CSV gym_train() writes and draws two panels: the training
 * loss, and the accuracies (training mark accuracy, held-out step
 * accuracy on held-out families and on held-out phrasings), both against
 * the update number, with axes, tick labels and a legend in the
 * Set-of-Mark bitmap font.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "xmalloc.h"
#include "img.h"
#include "som.h"
#include "gym.h"

#define PLOT_W		1240
#define PLOT_H		520
#define PLOT_MAX_ROWS	100000
#define PLOT_MAX_COLS	64

struct series {
	const char	*col;
	const char	*name;
	uint32_t	 rgba;
	int		 panel;		/* 0 loss, 1 accuracy */
};

static const struct series plot_series[] = {
	{ "train_loss", "train loss", 0x1f77b4ffu, 0 },
	{ "train_acc", "train mark accuracy", 0x1f77b4ffu, 1 },
	{ "val_family_acc", "held-out families (step)", 0xd62728ffu, 1 },
	{ "val_phrase_acc", "held-out phrasings (step)", 0x2ca02cffu, 1 },
};
#define PLOT_NSERIES	(sizeof(plot_series) / sizeof(plot_series[0]))

struct table {
	char	*cols[PLOT_MAX_COLS];
	int	 ncols;
	double	*v;		/* [nrows x ncols], NAN when empty */
	int	 nrows;
};

/* Splits a CSV line (no quoting) into at most max fields in place. */
static int
split(char *line, char **f, int max)
{
	int n = 0;
	char *p = line;

	line[strcspn(line, "\r\n")] = '\0';
	while (n < max) {
		f[n++] = p;
		if ((p = strchr(p, ',')) == NULL)
			break;
		*p++ = '\0';
	}
	return n;
}

/* Reads a CSV of numbers with a header line into t. */
static int
read_csv(const char *path, struct table *t, char **causep)
{
	FILE *f;
	char line[8192], *fld[PLOT_MAX_COLS], *end;
	int n, i, cap = 0;

	memset(t, 0, sizeof(*t));
	if ((f = fopen(path, "r")) == NULL) {
		*causep = xasprintf("%s: cannot open", path);
		return ERR_IO;
	}
	if (fgets(line, sizeof(line), f) == NULL) {
		fclose(f);
		*causep = xasprintf("%s: empty", path);
		return ERR_FORMAT;
	}
	n = split(line, fld, PLOT_MAX_COLS);
	for (i = 0; i < n; i++)
		t->cols[i] = xstrdup(fld[i]);
	t->ncols = n;
	while (fgets(line, sizeof(line), f) != NULL &&
	    t->nrows < PLOT_MAX_ROWS) {
		n = split(line, fld, PLOT_MAX_COLS);
		if (t->nrows == cap) {
			cap = cap ? cap * 2 : 256;
			t->v = xreallocarray(t->v, (size_t)cap * t->ncols,
			    sizeof(double));
		}
		for (i = 0; i < t->ncols; i++) {
			double *d = &t->v[(size_t)t->nrows * t->ncols + i];

			*d = NAN;
			if (i < n && fld[i][0] != '\0') {
				*d = strtod(fld[i], &end);
				if (*end != '\0')
					*d = NAN;
			}
		}
		t->nrows++;
	}
	fclose(f);
	return 0;
}

/* Frees a table read by read_csv(). */
static void
table_free(struct table *t)
{
	int i;

	for (i = 0; i < t->ncols; i++)
		free(t->cols[i]);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

/* Index of column name, or -1. */
static int
col_of(const struct table *t, const char *name)
{
	int i;

	for (i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i], name) == 0)
			return i;
	return -1;
}

/* A thick line from (x0,y0) to (x1,y1). */
static void
line(struct img *im, double x0, double y0, double x1, double y1,
    uint32_t rgba)
{
	double dx = x1 - x0, dy = y1 - y0, len = fmax(fabs(dx), fabs(dy));
	int i, n = (int)ceil(len) + 1;

	for (i = 0; i <= n; i++)
		img_fill(im, (int)lround(x0 + dx * i / n) - 1,
		    (int)lround(y0 + dy * i / n) - 1, 2, 2, rgba);
}

/* One panel: frame, ticks, series. */
static void
panel(struct img *im, const struct table *t, int px, int py, int pw,
    int ph, int which, const char *title)
{
	double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY;
	double ymax = -INFINITY, x, y, lx = 0, ly = 0, v;
	int xc = col_of(t, "update"), c, r, k, have, tw, th, ly0;
	char buf[400];
	size_t s;

	img_fill(im, px, py, pw, ph, 0xffffffffu);
	img_rect(im, px, py, pw, ph, 1, 0x333333ffu);
	som_text(im, px, py - 22, 2, title, 0x111111ffu);
	if (xc < 0)
		return;
	for (s = 0; s < PLOT_NSERIES; s++) {
		if (plot_series[s].panel != which ||
		    (c = col_of(t, plot_series[s].col)) < 0)
			continue;
		for (r = 0; r < t->nrows; r++) {
			v = t->v[(size_t)r * t->ncols + c];
			x = t->v[(size_t)r * t->ncols + xc];
			if (isnan(v) || isnan(x))
				continue;
			xmin = fmin(xmin, x);
			xmax = fmax(xmax, x);
			ymin = fmin(ymin, v);
			ymax = fmax(ymax, v);
		}
	}
	if (!isfinite(xmin))
		return;
	if (which == 1) {
		ymin = 0;
		ymax = 1;
	} else {
		ymin = 0;
		ymax = ymax > 0 ? ymax * 1.05 : 1;
	}
	if (xmax <= xmin)
		xmax = xmin + 1;
	/* Grid and tick labels: 5 divisions each way. */
	for (k = 0; k <= 5; k++) {
		y = py + ph - (double)ph * k / 5;
		if (k > 0 && k < 5)
			img_fill(im, px + 1, (int)y, pw - 2, 1, 0xddddddffu);
		snprintf(buf, sizeof(buf), which == 1 ? "%.1f" : "%.2f",
		    ymin + (ymax - ymin) * k / 5);
		som_text_size(buf, 1, &tw, &th);
		som_text(im, px - tw - 6, (int)y - th / 2, 1, buf,
		    0x333333ffu);
		x = px + (double)pw * k / 5;
		snprintf(buf, sizeof(buf), "%.0f", xmin + (xmax - xmin) * k /
		    5);
		som_text_size(buf, 1, &tw, &th);
		som_text(im, (int)x - tw / 2, py + ph + 6, 1, buf,
		    0x333333ffu);
	}
	som_text(im, px + pw / 2 - 18, py + ph + 20, 1, "updates",
	    0x333333ffu);
	/* The legend where the curves are not: low for accuracy. */
	ly0 = which == 1 ? py + ph - 16 - 14 * 3 : py + 10;
	for (s = 0; s < PLOT_NSERIES; s++) {
		if (plot_series[s].panel != which ||
		    (c = col_of(t, plot_series[s].col)) < 0)
			continue;
		have = 0;
		for (r = 0; r < t->nrows; r++) {
			v = t->v[(size_t)r * t->ncols + c];
			x = t->v[(size_t)r * t->ncols + xc];
			if (isnan(v) || isnan(x))
				continue;
			x = px + (x - xmin) / (xmax - xmin) * pw;
			y = py + ph - (fmin(fmax(v, ymin), ymax) - ymin) /
			    (ymax - ymin) * ph;
			if (have)
				line(im, lx, ly, x, y, plot_series[s].rgba);
			img_fill(im, (int)x - 2, (int)y - 2, 5, 5,
			    plot_series[s].rgba);
			lx = x;
			ly = y;
			have = 1;
		}
		/* Legend entry. */
		img_fill(im, px + pw - 190, ly0, 14, 8, plot_series[s].rgba);
		som_text(im, px + pw - 170, ly0, 1, plot_series[s].name,
		    0x111111ffu);
		ly0 += 14;
	}
}

/* Draws the curves of a CSV into a PNG. */
int
gym_plot(const char *csv, const char *png, char **causep)
{
	struct table t;
	struct img im;
	int r;

	if (causep != NULL)
		*causep = NULL;
	if ((r = read_csv(csv, &t, causep)) != 0)
		return r;
	if ((r = img_new(&im, PLOT_W, PLOT_H, 0xf4f4f4ffu)) != 0) {
		table_free(&t);
		return r;
	}
	panel(&im, &t, 70, 50, 500, 400, 0, "training loss");
	panel(&im, &t, 700, 50, 500, 400, 1, "accuracy");
	r = img_write_png(&im, png);
	if (r != 0 && causep != NULL)
		*causep = xasprintf("%s: cannot write the plot", png);
	img_free(&im);
	table_free(&t);
	return r;
}
