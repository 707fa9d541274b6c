/* test-img.c: RGBA images, PNG decode and encode, drawing helpers. */
#include "config.h"

#include <dirent.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <png.h>

#include "err.h"
#include "img.h"
#include "tap.h"

/* The pixel at x,y as 0xRRGGBBAA. */
static uint32_t
px(const struct img *im, int x, int y)
{
	const uint8_t *p = im->px + ((size_t)y * im->w + x) * 4;

	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* Counts the pixels of colour c. */
static int
count(const struct img *im, uint32_t c)
{
	int x, y, n = 0;

	for (y = 0; y < im->h; y++)
		for (x = 0; x < im->w; x++)
			n += px(im, x, y) == c;
	return n;
}

/* Fills im with a pattern; alpha varies unless opaque. */
static void
pattern(struct img *im, int opaque)
{
	uint8_t *p = im->px;
	int x, y;

	for (y = 0; y < im->h; y++)
		for (x = 0; x < im->w; x++, p += 4) {
			p[0] = (uint8_t)(x * 7 + y);
			p[1] = (uint8_t)(y * 13 + x * 3);
			p[2] = (uint8_t)(x ^ y);
			p[3] = opaque ? 0xff : (uint8_t)(x * 11 + y * 5);
		}
}

/* CRC-32 of PNG chunks (ISO 3309), bit by bit: tests only. */
static uint32_t
crc32_png(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	int k;

	while (n-- > 0) {
		c ^= *p++;
		for (k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
	}
	return c ^ 0xffffffffu;
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/*
 * A PNG whose header claims w x h pixels, followed by an empty IDAT and
 * IEND: a decoder that trusts the header allocates w*h*4 bytes.
 */
static size_t
fake_png(uint8_t *out, uint32_t w, uint32_t h)
{
	static const uint8_t sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a,
	    '\n' };
	uint8_t *p = out;

	memcpy(p, sig, 8);
	p += 8;
	put32(p, 13);
	memcpy(p + 4, "IHDR", 4);
	put32(p + 8, w);
	put32(p + 12, h);
	p[16] = 8;		/* bit depth */
	p[17] = 6;		/* RGBA */
	p[18] = p[19] = p[20] = 0;
	put32(p + 21, crc32_png(p + 4, 17));
	p += 25;
	put32(p, 0);
	memcpy(p + 4, "IDAT", 4);
	put32(p + 8, crc32_png(p + 4, 4));
	p += 12;
	put32(p, 0);
	memcpy(p + 4, "IEND", 4);
	put32(p + 8, crc32_png(p + 4, 4));
	p += 12;
	return (size_t)(p - out);
}

/* Reads a whole small file; NULL on failure. */
static unsigned char *
slurp(const char *path, size_t *lenp)
{
	FILE *f;
	unsigned char *b;
	long n;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) <= 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || (b = malloc((size_t)n)) == NULL) {
		fclose(f);
		return NULL;
	}
	if (fread(b, 1, (size_t)n, f) != (size_t)n) {
		free(b);
		b = NULL;
	}
	fclose(f);
	*lenp = (size_t)n;
	return b;
}

/* Counts the directory entries of dir other than . and .. */
static int
entries(const char *dir)
{
	DIR *d;
	struct dirent *e;
	int n = 0;

	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void
test_new_free(void)
{
	struct img im = { 0, 0, NULL };

	is_int(img_new(&im, 0, 5, 0), ERR_INVALID, "new: zero width");
	is_int(img_new(&im, 5, -1, 0), ERR_INVALID, "new: negative height");
	is_int(img_new(NULL, 5, 5, 0), ERR_INVALID, "new: NULL image");
	is_int(img_new(&im, 16385, 16384, 0), ERR_TOOBIG,
	    "new: over IMG_MAX_PIXELS");
	ok(im.px == NULL, "new: nothing set on failure");
	is_int(img_new(&im, 7, 3, 0x11223344u), 0, "new: 7x3");
	ok(im.w == 7 && im.h == 3, "new: size");
	is_int(count(&im, 0x11223344u), 21, "new: every pixel filled");
	img_free(&im);
	ok(im.px == NULL && im.w == 0, "free: cleared");
	img_free(&im);
	img_free(NULL);
	ok(1, "free: twice and NULL are harmless");
}

static void
test_roundtrip(int opaque)
{
	struct img im, back = { 0, 0, NULL };
	unsigned char *png = NULL;
	size_t len = 0;
	const char *what = opaque ? "opaque" : "alpha";

	if (img_new(&im, 37, 23, 0) != 0)
		return;
	pattern(&im, opaque);
	is_int(img_encode_png(&im, &png, &len), 0, "encode %s", what);
	ok(png != NULL && len > 8 && memcmp(png, "\x89PNG\r\n\x1a\n", 8) == 0,
	    "encode %s: PNG signature", what);
	is_int(img_decode_png(png, len, 0, &back), 0, "decode %s", what);
	ok(back.w == 37 && back.h == 23, "decode %s: size", what);
	ok(back.px != NULL && memcmp(back.px, im.px, 37 * 23 * 4) == 0,
	    "decode %s: exact pixels", what);
	img_free(&back);
	free(png);
	img_free(&im);
}

/* Other PNG formats (here 8-bit grey, written by libpng) come out RGBA. */
static void
test_gray(void)
{
	png_image pi;
	uint8_t grey[6 * 4];
	unsigned char out[1024];
	png_alloc_size_t len = sizeof(out);
	struct img back = { 0, 0, NULL };
	int i, good = 0;

	for (i = 0; i < 24; i++)
		grey[i] = (uint8_t)(i * 11);
	memset(&pi, 0, sizeof(pi));
	pi.version = PNG_IMAGE_VERSION;
	pi.width = 6;
	pi.height = 4;
	pi.format = PNG_FORMAT_GRAY;
	if (!png_image_write_to_memory(&pi, out, &len, 0, grey, 0, NULL)) {
		ok(0, "grey: libpng wrote it");
		return;
	}
	is_int(img_decode_png(out, len, 0, &back), 0, "grey: decoded");
	for (i = 0; i < 24 && back.px != NULL; i++)
		good += back.px[4 * i] == grey[i] &&
		    back.px[4 * i + 1] == grey[i] &&
		    back.px[4 * i + 2] == grey[i] && back.px[4 * i + 3] == 255;
	is_int(good, 24, "grey: R = G = B = grey, opaque");
	img_free(&back);
}

static void
test_bad_png(void)
{
	struct img im, back = { 0, 0, NULL };
	unsigned char *png = NULL, *bad;
	uint8_t junk[1000], fake[64];
	size_t len = 0, cuts[6], i, n;
	unsigned int seed = 1;
	int r;

	if (img_new(&im, 64, 48, 0) != 0)
		return;
	pattern(&im, 1);
	if (img_encode_png(&im, &png, &len) != 0)
		return;

	cuts[0] = 0;
	cuts[1] = 8;
	cuts[2] = 20;
	cuts[3] = 33;
	cuts[4] = len / 2;
	cuts[5] = len - 20;
	for (i = 0; i < 6; i++) {
		/* A copy of exactly the cut length, so ASan sees overreads. */
		bad = malloc(cuts[i] > 0 ? cuts[i] : 1);
		memcpy(bad, png, cuts[i]);
		is_int(img_decode_png(bad, cuts[i], 0, &back), ERR_IMAGE,
		    "truncated to %zu of %zu bytes: ERR_IMAGE", cuts[i], len);
		free(bad);
	}
	ok(back.px == NULL, "truncated: nothing returned");

	/* Missing only IEND: all pixels are there; either answer is fine. */
	r = img_decode_png(png, len - 12, 0, &back);
	ok(r == 0 || r == ERR_IMAGE, "missing IEND: no crash (%d)", r);
	img_free(&back);

	for (i = 0; i < sizeof(junk); i++) {
		seed = seed * 1103515245u + 12345u;
		junk[i] = (uint8_t)(seed >> 16);
	}
	is_int(img_decode_png(junk, sizeof(junk), 0, &back), ERR_IMAGE,
	    "garbage: ERR_IMAGE");
	memcpy(junk, png, 8);
	is_int(img_decode_png(junk, sizeof(junk), 0, &back), ERR_IMAGE,
	    "signature then garbage: ERR_IMAGE");
	is_int(img_decode_png(NULL, 0, 0, &back), ERR_IMAGE,
	    "empty: ERR_IMAGE");

	/* A flipped bit in the image data breaks the chunk CRC. */
	bad = malloc(len);
	memcpy(bad, png, len);
	bad[len / 2] ^= 0x10;
	is_int(img_decode_png(bad, len, 0, &back), ERR_IMAGE,
	    "corrupt IDAT: ERR_IMAGE");
	free(bad);

	/* Caps. */
	is_int(img_decode_png(png, len, 64 * 48, &back), 0,
	    "cap: exactly max_pixels is fine");
	img_free(&back);
	is_int(img_decode_png(png, len, 64 * 48 - 1, &back), ERR_TOOBIG,
	    "cap: one pixel over max_pixels is ERR_TOOBIG");
	n = fake_png(fake, 100000, 100000);
	is_int(img_decode_png(fake, n, 0, &back), ERR_TOOBIG,
	    "header claiming 100000x100000: ERR_TOOBIG before allocating");
	n = fake_png(fake, 20000, 20000);
	is_int(img_decode_png(fake, n, 0, &back), ERR_TOOBIG,
	    "20000x20000 is over the default cap");
	n = fake_png(fake, 1000, 1000);
	is_int(img_decode_png(fake, n, 999999, &back), ERR_TOOBIG,
	    "1000x1000 over a cap of 999999");
	is_int(img_decode_png(fake, n, 0, &back), ERR_IMAGE,
	    "1000x1000 without image data: ERR_IMAGE");
	ok(back.px == NULL, "caps: nothing returned");

	free(png);
	img_free(&im);
}

static void
test_encode_invalid(void)
{
	struct img im = { 4, 4, NULL };
	unsigned char mark[1], *png = mark;
	size_t len = 77;

	is_int(img_encode_png(&im, &png, &len), ERR_INVALID,
	    "encode: no pixels");
	ok(png == mark && len == 77, "encode: out-params untouched on failure");
	is_int(img_write_png(&im, "/nonexistent/x.png"), ERR_INVALID,
	    "write: no pixels");
}

static void
test_write(void)
{
	char dir[] = "/tmp/webnav-test-img.XXXXXX", path[256], bad[300];
	struct img im, back = { 0, 0, NULL };
	unsigned char *data;
	size_t len = 0;

	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/shot.png", dir);
	if (img_new(&im, 50, 40, 0x336699ffu) != 0)
		return;
	is_int(img_write_png(&im, path), 0, "write: ok");
	data = slurp(path, &len);
	ok(data != NULL, "write: file exists");
	is_int(img_decode_png(data, len, 0, &back), 0, "write: file decodes");
	ok(back.w == 50 && back.h == 40 && count(&back, 0x336699ffu) == 2000,
	    "write: same pixels");
	img_free(&back);
	free(data);
	is_int(entries(dir), 1, "write: no temporary file left behind");

	/* Replacing an existing file. */
	img_fill(&im, 0, 0, 10, 10, 0xff0000ffu);
	is_int(img_write_png(&im, path), 0, "write: replace");
	data = slurp(path, &len);
	ok(data != NULL && img_decode_png(data, len, 0, &back) == 0 &&
	    count(&back, 0xff0000ffu) == 100, "write: new contents");
	img_free(&back);
	free(data);
	is_int(entries(dir), 1, "write: still one file");

	snprintf(bad, sizeof(bad), "%s/missing/shot.png", dir);
	is_int(img_write_png(&im, bad), ERR_IO, "write: missing directory");
	snprintf(bad, sizeof(bad), "%s/", dir);
	is_int(img_write_png(&im, bad), ERR_INVALID, "write: path is a dir");
	is_int(img_write_png(&im, ""), ERR_INVALID, "write: empty path");
	is_int(entries(dir), 1, "write: failures leave nothing behind");

	unlink(path);
	rmdir(dir);
	img_free(&im);
}

static void
test_fill(void)
{
	struct img im;
	const uint32_t R = 0xff0000ffu, K = 0x000000ffu;

	if (img_new(&im, 10, 10, K) != 0)
		return;
	img_fill(&im, -5, -5, 8, 8, R);
	ok(px(&im, 0, 0) == R && px(&im, 2, 2) == R && px(&im, 3, 3) == K &&
	    px(&im, 2, 3) == K, "fill: clipped at the top left");
	is_int(count(&im, R), 9, "fill: 3x3 left after clipping");
	img_fill(&im, 8, 8, 100, 100, R);
	ok(px(&im, 9, 9) == R && px(&im, 8, 8) == R && px(&im, 7, 9) == K,
	    "fill: clipped at the bottom right");
	is_int(count(&im, R), 13, "fill: 2x2 more");
	img_fill(&im, -100, 0, 50, 10, R);
	img_fill(&im, 10, 0, 5, 5, R);
	img_fill(&im, 0, 10, 5, 5, R);
	img_fill(&im, 2, 2, 0, 5, R);
	img_fill(&im, 2, 2, -3, 5, R);
	img_fill(&im, INT_MAX - 1, INT_MAX - 1, INT_MAX, INT_MAX, R);
	img_fill(&im, INT_MIN, INT_MIN, 5, 5, R);
	is_int(count(&im, R), 13, "fill: outside, empty and huge: no change");
	img_fill(&im, INT_MIN, 4, INT_MAX, 1, R);
	is_int(count(&im, R), 13, "fill: INT_MIN + INT_MAX ends left of 0");
	img_fill(&im, -1, 0, INT_MAX, INT_MAX, R);
	is_int(count(&im, R), 100, "fill: huge rectangle covers all");
	img_free(&im);
}

static void
test_rect(void)
{
	struct img im;
	const uint32_t G = 0x00ff00ffu, K = 0x000000ffu;

	if (img_new(&im, 20, 20, K) != 0)
		return;
	img_rect(&im, 2, 2, 10, 8, 2, G);
	ok(px(&im, 2, 2) == G && px(&im, 3, 3) == G && px(&im, 11, 9) == G &&
	    px(&im, 10, 8) == G && px(&im, 2, 9) == G && px(&im, 11, 2) == G,
	    "rect: outline pixels");
	ok(px(&im, 4, 4) == K && px(&im, 9, 7) == K && px(&im, 12, 5) == K &&
	    px(&im, 5, 10) == K, "rect: inside and outside untouched");
	is_int(count(&im, G), 10 * 8 - 6 * 4, "rect: outline area");

	img_fill(&im, 0, 0, 20, 20, K);
	img_rect(&im, -3, -3, 10, 10, 2, G);
	ok(px(&im, 5, 0) == G && px(&im, 6, 3) == G && px(&im, 0, 5) == G &&
	    px(&im, 0, 0) == K && px(&im, 4, 4) == K,
	    "rect: clipped at the top left");
	is_int(count(&im, G), 2 * 7 * 2 - 4, "rect: clipped area");

	img_fill(&im, 0, 0, 20, 20, K);
	img_rect(&im, 15, 15, 10, 10, 1, G);
	is_int(count(&im, G), 5 + 4, "rect: clipped at the bottom right");

	img_fill(&im, 0, 0, 20, 20, K);
	img_rect(&im, 1, 1, 6, 5, 3, G);
	is_int(count(&im, G), 30, "rect: thick enough to fill");
	img_rect(&im, 1, 1, 6, 5, 0, K);
	img_rect(&im, INT_MAX - 5, INT_MAX - 5, INT_MAX, INT_MAX, 3, K);
	is_int(count(&im, G), 30, "rect: zero thickness, far away: nothing");
	img_free(&im);
}

static void
test_luma(void)
{
	struct img im;

	if (img_new(&im, 10, 10, 0xffffffffu) != 0)
		return;
	ok(fabs(img_luma(&im, 0, 0, 10, 10) - 255.0) < 1e-9, "luma: white");
	img_fill(&im, 0, 0, 5, 10, 0x000000ffu);
	ok(fabs(img_luma(&im, 0, 0, 5, 10)) < 1e-9, "luma: black");
	ok(fabs(img_luma(&im, 0, 0, 10, 10) - 127.5) < 1e-9,
	    "luma: half and half");
	ok(fabs(img_luma(&im, -100, -100, 105, 200) - 0.0) < 1e-9,
	    "luma: clipped to the black half");
	img_fill(&im, 0, 0, 10, 10, 0xff0000ffu);
	ok(fabs(img_luma(&im, 2, 2, 3, 3) - 54.0 * 255 / 256) < 1e-9,
	    "luma: red (Rec. 709 weight)");
	img_fill(&im, 0, 0, 10, 10, 0x00ff00ffu);
	ok(img_luma(&im, 0, 0, 10, 10) > 180, "luma: green is bright");
	ok(fabs(img_luma(&im, 20, 20, 5, 5)) < 1e-9 &&
	    fabs(img_luma(&im, 2, 2, 0, 5)) < 1e-9, "luma: empty is 0");
	img_free(&im);
}

int
main(void)
{
	test_new_free();
	test_roundtrip(1);
	test_roundtrip(0);
	test_gray();
	test_bad_png();
	test_encode_invalid();
	test_write();
	test_fill();
	test_rect();
	test_luma();
	return done_testing();
}
