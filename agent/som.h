/*
 * som.h: Set-of-Mark drawing.
 *
 * Draws each mark's box outline and its number in a label onto a
 * screenshot.  Each label goes to the corner (inside or outside the box)
 * that covers the fewest other boxes and labels already placed; label and
 * outline colours are chosen for contrast with the pixels underneath, so
 * marks read on light and dark pages.  Numbers come from an embedded
 * bitmap font scaled by the device pixel ratio.
 */
#ifndef WEBNAV_SOM_H
#define WEBNAV_SOM_H

#include <stddef.h>

struct img;

struct som_mark {
	int	id;		/* number drawn in the label */
	double	x, y, w, h;	/* box in CSS px */
};

/* Where a label was put, in image pixels. */
struct som_label {
	int	x, y, w, h;
	int	corner;		/* 0 top-left, 1 top-right, 2 bottom-left,
				   3 bottom-right (outside above/below when
				   there is room) */
};

struct som_params {
	double	scale;		/* image px per CSS px (device pixel ratio) */
	int	highlight;	/* id drawn emphasised, 0 for none */
};

void	som_default_params(struct som_params *p);

/*
 * Draws marks onto im in place.  labels (may be NULL) receives n entries,
 * in the order of marks.  Marks wholly outside the image are skipped (their
 * label has w == 0).
 */
int	som_draw(struct img *im, const struct som_mark *marks, size_t n,
	    const struct som_params *p, struct som_label *labels);

/*
 * Renders a decimal number with the embedded font at integer scale s into
 * im at x,y in colour rgba; returns the width drawn.  som_text_size()
 * tells the size without drawing.
 */
int	som_text(struct img *im, int x, int y, int s, const char *digits,
	    unsigned int rgba);
void	som_text_size(const char *digits, int s, int *wp, int *hp);

#endif /* WEBNAV_SOM_H */
