/*
 * img.h: RGBA images, PNG decode and encode (libpng simplified API).
 */
#ifndef WEBNAV_IMG_H
#define WEBNAV_IMG_H

#include <stddef.h>
#include <stdint.h>

struct img {
	int	 w, h;		/* pixels */
	uint8_t	*px;		/* w*h*4 bytes, RGBA, rows top to bottom */
};

/* Largest image accepted by img_decode() unless told otherwise. */
#define IMG_MAX_PIXELS	(16384u * 16384u)

/*
 * Decodes a PNG held in memory into *im (allocated; img_free()).  Images
 * over max_pixels (0: IMG_MAX_PIXELS) are ERR_TOOBIG; anything that is not
 * a valid PNG is ERR_IMAGE.
 */
int	img_decode_png(const void *data, size_t len, size_t max_pixels,
	    struct img *im);
/* Encodes im as PNG into *datap (malloc'd, *lenp bytes). */
int	img_encode_png(const struct img *im, unsigned char **datap,
	    size_t *lenp);
/* Writes im as PNG to path (atomically: temp file + rename). */
int	img_write_png(const struct img *im, const char *path);
/* Allocates a w x h image filled with rgba. */
int	img_new(struct img *im, int w, int h, uint32_t rgba);
/* Frees the pixels; the struct may be reused.  NULL pixels are fine. */
void	img_free(struct img *im);

/* Fills a rectangle (clipped to the image) with colour rgba (0xRRGGBBAA). */
void	img_fill(struct img *im, int x, int y, int w, int h, uint32_t rgba);
/* Draws a rectangle outline of thickness t, clipped. */
void	img_rect(struct img *im, int x, int y, int w, int h, int t,
	    uint32_t rgba);
/*
 * Scales src down to w x h (each at most src's, at least 1) by area
 * averaging into *dst (allocated; img_free()).  ERR_INVALID for other
 * sizes, ERR_NOMEM.
 */
int	img_scale(const struct img *src, int w, int h, struct img *dst);
/* Mean luminance (0-255) of a clipped rectangle; 0 if empty. */
double	img_luma(const struct img *im, int x, int y, int w, int h);

#endif /* WEBNAV_IMG_H */
