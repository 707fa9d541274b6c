/* img.c: RGBA images, PNG decode and encode, simple drawing. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <png.h>

#include "err.h"
#include "img.h"
#include "log.h"
#include "xmalloc.h"

/* Attempts at a fresh temporary name before img_write_png() gives up. */
#define IMG_TMP_TRIES	100

/* Tells apart temporary files made by threads of this process. */
static atomic_uint img_tmp_seq;

/* Returns 1 if im has pixels and sane dimensions. */
static int
img_valid(const struct img *im)
{
	return im != NULL && im->px != NULL && im->w > 0 && im->h > 0 &&
	    (size_t)im->w * (size_t)im->h <= IMG_MAX_PIXELS;
}

/*
 * Clips the rectangle x,y,w,h to im; returns 0 if nothing is left, else 1
 * with the half-open span [*x0p, *x1p) x [*y0p, *y1p).
 */
static int
img_clip(const struct img *im, int x, int y, int w, int h, int *x0p,
    int *y0p, int *x1p, int *y1p)
{
	long long x0 = x, y0 = y, x1, y1;

	if (w <= 0 || h <= 0)
		return 0;
	/* In long long so that x + w cannot overflow. */
	x1 = x0 + w;
	y1 = y0 + h;
	if (x0 < 0)
		x0 = 0;
	if (y0 < 0)
		y0 = 0;
	if (x1 > im->w)
		x1 = im->w;
	if (y1 > im->h)
		y1 = im->h;
	if (x0 >= x1 || y0 >= y1)
		return 0;
	*x0p = (int)x0;
	*y0p = (int)y0;
	*x1p = (int)x1;
	*y1p = (int)y1;
	return 1;
}

/* Pixels are allocated with a checked malloc: the size comes from input. */
int
img_new(struct img *im, int w, int h, uint32_t rgba)
{
	uint8_t *px;

	if (im == NULL || w <= 0 || h <= 0)
		return ERR_INVALID;
	if ((size_t)w * (size_t)h > IMG_MAX_PIXELS)
		return ERR_TOOBIG;
	if ((px = malloc((size_t)w * (size_t)h * 4)) == NULL)
		return ERR_NOMEM;
	im->w = w;
	im->h = h;
	im->px = px;
	img_fill(im, 0, 0, w, h, rgba);
	return 0;
}

/* Leaves im empty (0 x 0, no pixels). */
void
img_free(struct img *im)
{
	if (im == NULL)
		return;
	free(im->px);
	im->px = NULL;
	im->w = im->h = 0;
}

/*
 * The header is read first, so that the pixel cap applies before the
 * image is allocated; any PNG colour type comes out as 8-bit RGBA.
 */
int
img_decode_png(const void *data, size_t len, size_t max_pixels,
    struct img *im)
{
	png_image pi;
	uint8_t *px = NULL;
	size_t npix;
	int r = ERR_INTERNAL;

	memset(&pi, 0, sizeof(pi));
	pi.version = PNG_IMAGE_VERSION;
	if (im == NULL || (data == NULL && len > 0))
		return ERR_INVALID;
	if (max_pixels == 0 || max_pixels > IMG_MAX_PIXELS)
		max_pixels = IMG_MAX_PIXELS;
	if (len == 0) {
		r = ERR_IMAGE;
		goto out;
	}
	/* Reads the header only: the size is known before any allocation. */
	if (!png_image_begin_read_from_memory(&pi, data, len)) {
		log_debug_f("png: %s", pi.message);
		r = ERR_IMAGE;
		goto out;
	}
	npix = (size_t)pi.width * (size_t)pi.height;
	if (pi.width == 0 || pi.height == 0) {
		r = ERR_IMAGE;
		goto out;
	}
	if (npix > max_pixels || pi.width > INT_MAX || pi.height > INT_MAX) {
		log_debug_f("png: %ux%u over the cap of %zu pixels",
		    pi.width, pi.height, max_pixels);
		r = ERR_TOOBIG;
		goto out;
	}
	pi.format = PNG_FORMAT_RGBA;
	if ((px = malloc(PNG_IMAGE_SIZE(pi))) == NULL) {
		r = ERR_NOMEM;
		goto out;
	}
	if (!png_image_finish_read(&pi, NULL, px, 0, NULL)) {
		log_debug_f("png: %s", pi.message);
		r = ERR_IMAGE;
		goto out;
	}
	im->w = (int)pi.width;
	im->h = (int)pi.height;
	im->px = px;
	px = NULL;
	r = 0;
 out:
	/* Idempotent: finish_read and the error paths may have freed it. */
	png_image_free(&pi);
	free(px);
	return r;
}

/* Returns 1 if every pixel of im has alpha 255. */
static int
img_opaque(const struct img *im)
{
	const uint8_t *row, *p;
	size_t stride = (size_t)im->w * 4, i;
	unsigned int a;
	int y;

	/* One test per row, not one per pixel. */
	for (y = 0, row = im->px; y < im->h; y++, row += stride) {
		a = 0xff;
		for (i = 3, p = row; i < stride; i += 4)
			a &= p[i];
		if (a != 0xff)
			return 0;
	}
	return 1;
}

/* Opaque images are written as RGB, others as RGBA. */
int
img_encode_png(const struct img *im, unsigned char **datap, size_t *lenp)
{
	png_image pi;
	png_alloc_size_t max, len;
	uint8_t *rgb = NULL, *q;
	const uint8_t *src, *p;
	size_t n, i;
	unsigned char *out = NULL, *shrunk;
	int r = ERR_INTERNAL;

	if (datap == NULL || lenp == NULL || !img_valid(im))
		return ERR_INVALID;
	memset(&pi, 0, sizeof(pi));
	pi.version = PNG_IMAGE_VERSION;
	pi.width = (png_uint_32)im->w;
	pi.height = (png_uint_32)im->h;
	/*
	 * Screenshots are opaque: writing them as RGB makes the file about
	 * 30% smaller, and saves the encoder more time than the copy costs.
	 */
	src = im->px;
	if (img_opaque(im)) {
		pi.format = PNG_FORMAT_RGB;
		if ((rgb = malloc(PNG_IMAGE_SIZE(pi))) == NULL) {
			r = ERR_NOMEM;
			goto out;
		}
		/*
		 * Four-byte copies that overlap by one: the stray byte is
		 * overwritten by the next pixel, and the last pixel copies
		 * three bytes only.
		 */
		n = (size_t)im->w * (size_t)im->h;
		for (i = 0, p = im->px, q = rgb; i + 1 < n; i++, p += 4, q += 3)
			memcpy(q, p, 4);
		memcpy(q, p, 3);
		src = rgb;
	} else
		pi.format = PNG_FORMAT_RGBA;
	/*
	 * PNG_IMAGE_FLAG_FAST (zlib level 3, no row filters) is the one
	 * compression knob of the simplified API.  On 1280x800 Chromium
	 * screenshots it encodes in 8-12 ms against 30-75 ms by default,
	 * and the files even come out 5-16% smaller: the row filters of
	 * libpng's heuristic do badly on anti-aliased text.  (Flat synthetic
	 * images do grow, but screenshots are what we write.)
	 */
	pi.flags = PNG_IMAGE_FLAG_FAST;
	/*
	 * One pass into a worst-case buffer, shrunk afterwards: asking for
	 * the size first would compress the image twice.
	 */
	max = PNG_IMAGE_PNG_SIZE_MAX(pi);
	if ((out = malloc(max)) == NULL) {
		r = ERR_NOMEM;
		goto out;
	}
	len = max;
	if (!png_image_write_to_memory(&pi, out, &len, 0, src, 0, NULL)) {
		log_debug_f("png: %s", pi.message);
		r = ERR_IMAGE;
		goto out;
	}
	if ((shrunk = realloc(out, len)) != NULL)
		out = shrunk;
	*datap = out;
	*lenp = len;
	out = NULL;
	r = 0;
 out:
	png_image_free(&pi);
	free(out);
	free(rgb);
	return r;
}

/* Writes all n bytes of p to fd; 0 or ERR_IO with errno set. */
static int
img_write_all(int fd, const unsigned char *p, size_t n)
{
	ssize_t k;

	while (n > 0) {
		if ((k = write(fd, p, n)) == -1) {
			if (errno == EINTR)
				continue;
			return ERR_IO;
		}
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/*
 * The temporary file is a hidden sibling of path, so that rename() stays
 * within one file system and directory listings skip it.  It is not
 * fsync()ed: readers never see a partial file, and step images are not
 * worth a disk flush each.
 */
int
img_write_png(const struct img *im, const char *path)
{
	unsigned char *data = NULL;
	size_t len;
	const char *base;
	char *tmp = NULL;
	int fd = -1, r = ERR_INTERNAL, saved, i;

	if (path == NULL || *path == '\0')
		return ERR_INVALID;
	if ((r = img_encode_png(im, &data, &len)) != 0)
		goto out;
	base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	if (*base == '\0') {
		r = ERR_INVALID;
		goto out;
	}
	for (i = 0; i < IMG_TMP_TRIES; i++) {
		free(tmp);
		tmp = xasprintf("%.*s.%s.%ld.%u.tmp", (int)(base - path), path,
		    base, (long)getpid(), atomic_fetch_add(&img_tmp_seq, 1));
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd != -1 || errno != EEXIST)
			break;
	}
	if (fd == -1) {
		log_warn_f("%s", tmp);
		r = ERR_IO;
		goto out;
	}
	if (img_write_all(fd, data, len) != 0) {
		log_warn_f("write %s", tmp);
		r = ERR_IO;
		goto out;
	}
	if (close(fd) == -1) {
		fd = -1;
		log_warn_f("close %s", tmp);
		r = ERR_IO;
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) == -1) {
		log_warn_f("rename %s to %s", tmp, path);
		r = ERR_IO;
		goto out;
	}
	free(tmp);
	tmp = NULL;
	r = 0;
 out:
	saved = errno;
	if (fd != -1)
		close(fd);
	if (tmp != NULL)
		unlink(tmp);
	free(tmp);
	free(data);
	errno = saved;
	return r;
}

/* The colour replaces the pixels, alpha included; nothing is blended. */
void
img_fill(struct img *im, int x, int y, int w, int h, uint32_t rgba)
{
	uint8_t c[4], *row, *p;
	size_t rowlen, stride;
	int x0, y0, x1, y1, i;

	if (!img_valid(im) || !img_clip(im, x, y, w, h, &x0, &y0, &x1, &y1))
		return;
	c[0] = (uint8_t)(rgba >> 24);
	c[1] = (uint8_t)(rgba >> 16);
	c[2] = (uint8_t)(rgba >> 8);
	c[3] = (uint8_t)rgba;
	stride = (size_t)im->w * 4;
	rowlen = (size_t)(x1 - x0) * 4;
	row = im->px + (size_t)y0 * stride + (size_t)x0 * 4;
	/* Paint one row, then copy it down. */
	for (i = x0, p = row; i < x1; i++, p += 4)
		memcpy(p, c, 4);
	for (i = y0 + 1, p = row + stride; i < y1; i++, p += stride)
		memcpy(p, row, rowlen);
}

/* Narrows v to int; out-of-range values are off any image anyway. */
static int
img_narrow(long long v)
{
	if (v > INT_MAX)
		return INT_MAX;
	if (v < INT_MIN)
		return INT_MIN;
	return (int)v;
}

/* The outline lies inside x,y,w,h; thick enough to meet, it fills. */
void
img_rect(struct img *im, int x, int y, int w, int h, int t, uint32_t rgba)
{
	int xr, yb, yi;

	if (t <= 0 || w <= 0 || h <= 0)
		return;
	if (2LL * t >= w || 2LL * t >= h) {
		img_fill(im, x, y, w, h, rgba);
		return;
	}
	xr = img_narrow((long long)x + w - t);
	yb = img_narrow((long long)y + h - t);
	yi = img_narrow((long long)y + t);
	img_fill(im, x, y, w, t, rgba);
	img_fill(im, x, yb, w, t, rgba);
	img_fill(im, x, yi, t, h - 2 * t, rgba);
	img_fill(im, xr, yi, t, h - 2 * t, rgba);
}

/*
 * Rec. 709 luma of the sRGB values, weights in 1/256: 0.2126, 0.7152,
 * 0.0722; alpha is ignored.
 */
double
img_luma(const struct img *im, int x, int y, int w, int h)
{
	const uint8_t *row, *p, *end;
	uint64_t sum = 0;
	size_t stride, n;
	int x0, y0, x1, y1, j;

	if (!img_valid(im) || !img_clip(im, x, y, w, h, &x0, &y0, &x1, &y1))
		return 0;
	stride = (size_t)im->w * 4;
	row = im->px + (size_t)y0 * stride + (size_t)x0 * 4;
	for (j = y0; j < y1; j++, row += stride) {
		end = row + (size_t)(x1 - x0) * 4;
		for (p = row; p < end; p += 4)
			sum += 54u * p[0] + 183u * p[1] + 19u * p[2];
	}
	n = (size_t)(x1 - x0) * (size_t)(y1 - y0);
	return (double)sum / (256.0 * (double)n);
}

/*
 * Weights of a 1-D area resampling from sn to dn samples (dn <= sn): each
 * output sample i covers source [i*sn/dn, (i+1)*sn/dn); *firstp[i] is the
 * first source sample it touches, and its weights (summing to 1) follow
 * in w at i * span, span being the most samples one output covers.
 */
static int
img_area_weights(int sn, int dn, int **firstp, float **wp, int *spanp)
{
	double ratio = (double)sn / dn, a, b, lo, hi;
	int span = (int)ratio + 2, i, j, s0;
	int *first;
	float *w;

	if ((first = calloc((size_t)dn, sizeof(*first))) == NULL)
		return ERR_NOMEM;
	if ((w = calloc((size_t)dn * (size_t)span, sizeof(*w))) == NULL) {
		free(first);
		return ERR_NOMEM;
	}
	for (i = 0; i < dn; i++) {
		a = i * ratio;
		b = (i + 1) * ratio;
		if (b > sn)
			b = sn;
		s0 = (int)a;
		first[i] = s0;
		for (j = 0; j < span && s0 + j < sn; j++) {
			lo = s0 + j > a ? s0 + j : a;
			hi = s0 + j + 1 < b ? s0 + j + 1 : b;
			if (hi > lo)
				w[(size_t)i * (size_t)span + (size_t)j] =
				    (float)((hi - lo) / ratio);
		}
	}
	*firstp = first;
	*wp = w;
	*spanp = span;
	return 0;
}

/*
 * Area averaging (a box filter of the exact footprint), separable:
 * columns first into a float buffer of dw x src->h, then rows.
 */
int
img_scale(const struct img *src, int w, int h, struct img *dst)
{
	struct img out;
	int *fx = NULL, *fy = NULL, sx = 0, sy = 0, x, y, j, c;
	float *wx = NULL, *wy = NULL, *tmp = NULL, acc[4], wt;
	const uint8_t *sp;
	float *tp;
	int r = ERR_INTERNAL;

	memset(&out, 0, sizeof(out));
	if (!img_valid(src) || dst == NULL || w <= 0 || h <= 0 ||
	    w > src->w || h > src->h)
		return ERR_INVALID;
	if ((r = img_area_weights(src->w, w, &fx, &wx, &sx)) != 0 ||
	    (r = img_area_weights(src->h, h, &fy, &wy, &sy)) != 0)
		goto out;
	if ((tmp = malloc((size_t)w * (size_t)src->h * 4 *
	    sizeof(*tmp))) == NULL) {
		r = ERR_NOMEM;
		goto out;
	}
	if ((r = img_new(&out, w, h, 0)) != 0)
		goto out;
	for (y = 0; y < src->h; y++)
		for (x = 0; x < w; x++) {
			acc[0] = acc[1] = acc[2] = acc[3] = 0;
			sp = src->px + ((size_t)y * (size_t)src->w +
			    (size_t)fx[x]) * 4;
			for (j = 0; j < sx && fx[x] + j < src->w; j++) {
				wt = wx[(size_t)x * (size_t)sx + (size_t)j];
				for (c = 0; c < 4; c++)
					acc[c] += wt * sp[j * 4 + c];
			}
			tp = tmp + ((size_t)y * (size_t)w + (size_t)x) * 4;
			memcpy(tp, acc, sizeof(acc));
		}
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			acc[0] = acc[1] = acc[2] = acc[3] = 0;
			for (j = 0; j < sy && fy[y] + j < src->h; j++) {
				wt = wy[(size_t)y * (size_t)sy + (size_t)j];
				tp = tmp + ((size_t)(fy[y] + j) * (size_t)w +
				    (size_t)x) * 4;
				for (c = 0; c < 4; c++)
					acc[c] += wt * tp[c];
			}
			for (c = 0; c < 4; c++) {
				float v = acc[c] + 0.5f;

				out.px[((size_t)y * (size_t)w + (size_t)x) *
				    4 + (size_t)c] = (uint8_t)(v < 0 ? 0 :
				    v > 255 ? 255 : v);
			}
		}
	*dst = out;
	memset(&out, 0, sizeof(out));
	r = 0;
out:
	img_free(&out);
	free(fx);
	free(fy);
	free(wx);
	free(wy);
	free(tmp);
	return r;
}
