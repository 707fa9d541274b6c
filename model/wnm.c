/*
 * wnm.c: the weights file: build, serialise, save atomically, load and
 * validate (layout in wnm.h).
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "xmalloc.h"
#include "wnm.h"

#define WNM_HDR		64
#define WNM_CFG_REC	32
#define WNM_DIR_REC	96
#define WNM_CRC_OFF	56

enum { WNM_KIND_U32 = 1, WNM_KIND_F32 = 2 };

struct wnm_cfg {
	char		key[WNM_KEY_MAX];
	uint32_t	kind;
	uint32_t	value;
};

struct wnm_ent {
	char		 name[WNM_NAME_MAX];
	int		 dtype;
	int		 ndim;
	uint32_t	 shape[WNM_MAXDIM];
	size_t		 nelem;
	size_t		 nbytes;
	const unsigned char *bytes;	/* into w->file, or owned */
	unsigned char	*owned;
};

struct wnm {
	struct wnm_cfg	*cfg;		/* [ncfg] */
	size_t		 ncfg;
	struct wnm_ent	*ent;		/* [nent] */
	size_t		 nent;
	unsigned char	*file;		/* loaded file image, or NULL */
	size_t		 filelen;
};

/* ---------------------------------------------------------------------- */
/* Little-endian access, CRC-32, half precision.                          */

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static uint64_t
get64(const unsigned char *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static void
put64(unsigned char *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static uint32_t wnm_crc_tab[8][256];
static pthread_once_t wnm_crc_once = PTHREAD_ONCE_INIT;

/* Builds the slice-by-8 tables of the reflected polynomial 0xEDB88320. */
static void
wnm_crc_init(void)
{
	uint32_t c;
	int i, k;

	for (i = 0; i < 256; i++) {
		c = (uint32_t)i;
		for (k = 0; k < 8; k++)
			c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
		wnm_crc_tab[0][i] = c;
	}
	for (i = 0; i < 256; i++)
		for (k = 1; k < 8; k++)
			wnm_crc_tab[k][i] = (wnm_crc_tab[k - 1][i] >> 8) ^
			    wnm_crc_tab[0][wnm_crc_tab[k - 1][i] & 0xff];
}

/* CRC-32 of data, continuing from crc; eight bytes per round. */
uint32_t
wnm_crc32(uint32_t crc, const void *data, size_t n)
{
	const unsigned char *p = data;
	uint32_t c, hi;

	(void)pthread_once(&wnm_crc_once, wnm_crc_init);
	c = ~crc;
	while (n >= 8) {
		c ^= get32(p);
		hi = get32(p + 4);
		c = wnm_crc_tab[7][c & 0xff] ^
		    wnm_crc_tab[6][(c >> 8) & 0xff] ^
		    wnm_crc_tab[5][(c >> 16) & 0xff] ^
		    wnm_crc_tab[4][c >> 24] ^
		    wnm_crc_tab[3][hi & 0xff] ^
		    wnm_crc_tab[2][(hi >> 8) & 0xff] ^
		    wnm_crc_tab[1][(hi >> 16) & 0xff] ^
		    wnm_crc_tab[0][hi >> 24];
		p += 8;
		n -= 8;
	}
	while (n-- > 0)
		c = wnm_crc_tab[0][(c ^ *p++) & 0xff] ^ (c >> 8);
	return ~c;
}

/* The file's checksum: everything, with the CRC field read as zero. */
static uint32_t
wnm_file_crc(const unsigned char *p, size_t len)
{
	static const unsigned char zero[4];
	uint32_t c;

	c = wnm_crc32(0, p, WNM_CRC_OFF);
	c = wnm_crc32(c, zero, 4);
	return wnm_crc32(c, p + WNM_CRC_OFF + 4, len - WNM_CRC_OFF - 4);
}

static uint32_t
fbits(float f)
{
	uint32_t u;

	memcpy(&u, &f, sizeof(u));
	return u;
}

static float
bitsf(uint32_t u)
{
	float f;

	memcpy(&f, &u, sizeof(f));
	return f;
}

/* Float to IEEE half, rounding to nearest even; overflow gives inf. */
uint16_t
wnm_f32_to_f16(float f)
{
	uint32_t x = fbits(f), sign = (x >> 16) & 0x8000;
	uint32_t ax = x & 0x7fffffffu, m, r, rem, half;
	int shift;

	if (ax >= 0x7f800000u)		/* inf, NaN (kept quiet) */
		return (uint16_t)(sign | 0x7c00 |
		    (ax > 0x7f800000u ? 0x200 : 0));
	if (ax >= 0x477ff000u)		/* 65520 and up round to inf */
		return (uint16_t)(sign | 0x7c00);
	if (ax < 0x38800000u) {		/* below 2^-14: half subnormal */
		if (ax < 0x33000000u)	/* at most 2^-25: rounds to 0 */
			return (uint16_t)sign;
		m = (ax & 0x7fffff) | 0x800000;
		shift = 126 - (int)(ax >> 23);
		r = m >> shift;
		rem = m & ((1u << shift) - 1);
		half = 1u << (shift - 1);
		if (rem > half || (rem == half && (r & 1)))
			r++;
		return (uint16_t)(sign | r);
	}
	r = (ax >> 13) - (112u << 10);
	rem = ax & 0x1fff;
	if (rem > 0x1000 || (rem == 0x1000 && (r & 1)))
		r++;
	return (uint16_t)(sign | r);
}

/* IEEE half to float (exact). */
float
wnm_f16_to_f32(uint16_t h)
{
	uint32_t sign = (uint32_t)(h & 0x8000) << 16;
	uint32_t e = (h >> 10) & 0x1f, m = h & 0x3ff;
	float v;

	if (e == 0) {
		v = (float)m * 0x1p-24f;
		return sign ? -v : v;
	}
	if (e == 31)
		return bitsf(sign | 0x7f800000u | (m << 13));
	return bitsf(sign | ((e + 112) << 23) | (m << 13));
}

static size_t
dtype_size(int dtype)
{
	switch (dtype) {
	case WNM_F32:
		return 4;
	case WNM_F16:
		return 2;
	default:
		return 0;
	}
}

static size_t
align_up(size_t n)
{
	return (n + WNM_ALIGN - 1) / WNM_ALIGN * WNM_ALIGN;
}

/* ---------------------------------------------------------------------- */
/* Building.                                                              */

/* Returns an empty set. */
struct wnm *
wnm_new(void)
{
	return xcalloc(1, sizeof(struct wnm));
}

/* Frees w and everything it owns; NULL is fine. */
void
wnm_free(struct wnm *w)
{
	size_t i;

	if (w == NULL)
		return;
	for (i = 0; i < w->nent; i++)
		free(w->ent[i].owned);
	free(w->ent);
	free(w->cfg);
	free(w->file);
	free(w);
}

/* 1 if s is a usable key or name: printable ASCII, no spaces, fits. */
static int
valid_name(const char *s, size_t max)
{
	size_t n = strlen(s), i;

	if (n == 0 || n >= max)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] > '~')
			return 0;
	return 1;
}

static struct wnm_cfg *
cfg_find(const struct wnm *w, const char *key)
{
	size_t i;

	for (i = 0; i < w->ncfg; i++)
		if (strcmp(w->cfg[i].key, key) == 0)
			return &w->cfg[i];
	return NULL;
}

static int
cfg_set(struct wnm *w, const char *key, uint32_t kind, uint32_t v)
{
	struct wnm_cfg *c;

	if (!valid_name(key, WNM_KEY_MAX))
		return ERR_INVALID;
	if ((c = cfg_find(w, key)) == NULL) {
		if (w->ncfg >= WNM_MAX_CONFIG)
			return ERR_TOOBIG;
		w->cfg = xreallocarray(w->cfg, w->ncfg + 1, sizeof(*w->cfg));
		c = &w->cfg[w->ncfg++];
		memset(c, 0, sizeof(*c));
		memcpy(c->key, key, strlen(key));
	}
	c->kind = kind;
	c->value = v;
	return 0;
}

int
wnm_set_u32(struct wnm *w, const char *key, uint32_t v)
{
	return cfg_set(w, key, WNM_KIND_U32, v);
}

int
wnm_set_f32(struct wnm *w, const char *key, float v)
{
	return cfg_set(w, key, WNM_KIND_F32, fbits(v));
}

int
wnm_get_u32(const struct wnm *w, const char *key, uint32_t *vp)
{
	const struct wnm_cfg *c;

	if ((c = cfg_find(w, key)) == NULL)
		return ERR_NOTFOUND;
	if (c->kind != WNM_KIND_U32)
		return ERR_FORMAT;
	*vp = c->value;
	return 0;
}

int
wnm_get_f32(const struct wnm *w, const char *key, float *vp)
{
	const struct wnm_cfg *c;

	if ((c = cfg_find(w, key)) == NULL)
		return ERR_NOTFOUND;
	if (c->kind != WNM_KIND_F32)
		return ERR_FORMAT;
	*vp = bitsf(c->value);
	return 0;
}

static const struct wnm_ent *
ent_find(const struct wnm *w, const char *name)
{
	size_t i;

	for (i = 0; i < w->nent; i++)
		if (strcmp(w->ent[i].name, name) == 0)
			return &w->ent[i];
	return NULL;
}

/*
 * Number of elements of shape (ndim dims, each 1..2^31), 0 if invalid or
 * larger than the file cap allows.
 */
static size_t
shape_nelem(int ndim, const uint32_t *shape)
{
	size_t n = 1;
	int i;

	if (ndim < 1 || ndim > WNM_MAXDIM)
		return 0;
	for (i = 0; i < ndim; i++) {
		if (shape[i] == 0 || shape[i] > INT32_MAX)
			return 0;
		if (n > WNM_MAX_FILE / shape[i])
			return 0;
		n *= shape[i];
	}
	return n;
}

/* Adds a tensor, converting data to dtype. */
int
wnm_add(struct wnm *w, const char *name, int dtype, int ndim,
    const uint32_t *shape, const float *data)
{
	struct wnm_ent *e;
	size_t nelem, esz, i;
	uint16_t h;

	if (!valid_name(name, WNM_NAME_MAX) || ent_find(w, name) != NULL)
		return ERR_INVALID;
	if ((esz = dtype_size(dtype)) == 0 ||
	    (nelem = shape_nelem(ndim, shape)) == 0 ||
	    nelem > WNM_MAX_FILE / esz)
		return ERR_INVALID;
	if (w->nent >= WNM_MAX_TENSORS)
		return ERR_TOOBIG;
	w->ent = xreallocarray(w->ent, w->nent + 1, sizeof(*w->ent));
	e = &w->ent[w->nent];
	memset(e, 0, sizeof(*e));
	memcpy(e->name, name, strlen(name));
	e->dtype = dtype;
	e->ndim = ndim;
	for (i = 0; i < (size_t)ndim; i++)
		e->shape[i] = shape[i];
	e->nelem = nelem;
	e->nbytes = nelem * esz;
	if ((e->owned = malloc(e->nbytes)) == NULL)
		return ERR_NOMEM;
	if (dtype == WNM_F32) {
		for (i = 0; i < nelem; i++)
			put32(e->owned + 4 * i, fbits(data[i]));
	} else {
		for (i = 0; i < nelem; i++) {
			h = wnm_f32_to_f16(data[i]);
			e->owned[2 * i] = (unsigned char)h;
			e->owned[2 * i + 1] = (unsigned char)(h >> 8);
		}
	}
	e->bytes = e->owned;
	w->nent++;
	return 0;
}

/* Lays w out as a file image. */
int
wnm_serialize(const struct wnm *w, unsigned char **datap, size_t *lenp)
{
	const struct wnm_ent *e;
	unsigned char *p, *rec;
	size_t cfg_off, dir_off, data_off, off, len, i;
	int d;

	*datap = NULL;
	cfg_off = WNM_HDR;
	dir_off = align_up(cfg_off + w->ncfg * WNM_CFG_REC);
	data_off = align_up(dir_off + w->nent * WNM_DIR_REC);
	len = data_off;
	for (i = 0; i < w->nent; i++) {
		if (w->ent[i].nbytes > WNM_MAX_FILE - len)
			return ERR_TOOBIG;
		len = align_up(len + w->ent[i].nbytes);
	}
	if (len > WNM_MAX_FILE)
		return ERR_TOOBIG;
	if ((p = calloc(1, len)) == NULL)
		return ERR_NOMEM;
	memcpy(p, "WNM1", 4);
	put32(p + 4, WNM_VERSION);
	put32(p + 8, WNM_HDR);
	put32(p + 12, 0);
	put64(p + 16, len);
	put32(p + 24, (uint32_t)w->ncfg);
	put32(p + 28, (uint32_t)w->nent);
	put64(p + 32, cfg_off);
	put64(p + 40, dir_off);
	put64(p + 48, data_off);
	for (i = 0; i < w->ncfg; i++) {
		rec = p + cfg_off + i * WNM_CFG_REC;
		memcpy(rec, w->cfg[i].key, WNM_KEY_MAX);
		put32(rec + 24, w->cfg[i].kind);
		put32(rec + 28, w->cfg[i].value);
	}
	off = data_off;
	for (i = 0; i < w->nent; i++) {
		e = &w->ent[i];
		rec = p + dir_off + i * WNM_DIR_REC;
		memcpy(rec, e->name, WNM_NAME_MAX);
		put32(rec + 48, (uint32_t)e->dtype);
		put32(rec + 52, (uint32_t)e->ndim);
		for (d = 0; d < WNM_MAXDIM; d++)
			put32(rec + 56 + 4 * d, d < e->ndim ? e->shape[d] : 0);
		put64(rec + 72, off);
		put64(rec + 80, e->nbytes);
		memcpy(p + off, e->bytes, e->nbytes);
		off = align_up(off + e->nbytes);
	}
	put32(p + WNM_CRC_OFF, wnm_file_crc(p, len));
	*datap = p;
	*lenp = len;
	return 0;
}

/* Writes all of p to fd. */
static int
write_all(int fd, const unsigned char *p, size_t n)
{
	ssize_t k;

	while (n > 0) {
		k = write(fd, p, n > (1u << 30) ? (1u << 30) : n);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* Saves w to path: temporary file in the same directory, then rename. */
int
wnm_save(const struct wnm *w, const char *path, char **causep)
{
	unsigned char *img = NULL;
	char *tmp = NULL;
	size_t len = 0;
	int fd = -1, r = ERR_INTERNAL;

	if (causep != NULL)
		*causep = NULL;
	if ((r = wnm_serialize(w, &img, &len)) != 0) {
		if (causep != NULL)
			*causep = xasprintf("%s: cannot lay out weights: %s",
			    path, err_str(r));
		goto out;
	}
	tmp = xasprintf("%s.tmpXXXXXX", path);
	if ((fd = mkstemp(tmp)) == -1) {
		r = ERR_IO;
		if (causep != NULL)
			*causep = xasprintf("%s: %s", tmp, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	if (fchmod(fd, 0644) == -1 || write_all(fd, img, len) == -1 ||
	    fsync(fd) == -1) {
		r = ERR_IO;
		if (causep != NULL)
			*causep = xasprintf("%s: %s", tmp, strerror(errno));
		goto out;
	}
	if (close(fd) == -1) {
		fd = -1;
		r = ERR_IO;
		if (causep != NULL)
			*causep = xasprintf("%s: %s", tmp, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) == -1) {
		r = ERR_IO;
		if (causep != NULL)
			*causep = xasprintf("%s: %s", path, strerror(errno));
		goto out;
	}
	free(tmp);
	tmp = NULL;
	r = 0;
out:
	if (fd != -1)
		close(fd);
	if (tmp != NULL) {
		(void)unlink(tmp);
		free(tmp);
	}
	free(img);
	return r;
}

/* ---------------------------------------------------------------------- */
/* Loading.                                                               */

static int
fail(char **causep, const char *fmt, ...)
    __attribute__((__format__(__printf__, 2, 3)));

/* Sets *causep (if wanted) and returns ERR_FORMAT. */
static int
fail(char **causep, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (causep != NULL) {
		va_start(ap, fmt);
		if (vasprintf(&s, fmt, ap) < 0)
			s = NULL;
		va_end(ap);
		*causep = s;
	}
	return ERR_FORMAT;
}

/* 1 if the n-byte field p holds a NUL-terminated valid name. */
static int
field_name(const unsigned char *p, size_t n)
{
	if (memchr(p, '\0', n) == NULL)
		return 0;
	return valid_name((const char *)p, n);
}

/*
 * Validates the image p (len bytes, owned by the result on success) and
 * builds the tables.  Nothing is read past len.
 */
static int
wnm_parse(unsigned char *p, size_t len, struct wnm **wp, char **causep)
{
	struct wnm *w = NULL;
	struct wnm_ent *e;
	const unsigned char *rec;
	uint64_t fsize, cfg_off, dir_off, data_off, off, nbytes;
	uint32_t version, hsize, ncfg, nten, crc, want;
	size_t i, j, esz;
	int d, r = ERR_FORMAT;

	if (len < 4) {
		r = fail(causep, "truncated: %zu bytes, not even a header",
		    len);
		goto out;
	}
	if (memcmp(p, "WNM1", 4) != 0) {
		r = fail(causep, "bad magic: not a webnav weights file");
		goto out;
	}
	if (len < WNM_HDR) {
		r = fail(causep, "truncated: %zu bytes, header needs %d", len,
		    WNM_HDR);
		goto out;
	}
	if ((version = get32(p + 4)) != WNM_VERSION) {
		r = fail(causep, "unsupported format version %u "
		    "(this build reads version %d)", version, WNM_VERSION);
		goto out;
	}
	hsize = get32(p + 8);
	fsize = get64(p + 16);
	if (hsize != WNM_HDR) {
		r = fail(causep, "corrupt header: header size %u", hsize);
		goto out;
	}
	if (fsize > len) {
		r = fail(causep, "truncated: %zu bytes, header says %llu", len,
		    (unsigned long long)fsize);
		goto out;
	}
	if (fsize < len) {
		r = fail(causep, "corrupt: %zu bytes, header says %llu", len,
		    (unsigned long long)fsize);
		goto out;
	}
	crc = get32(p + WNM_CRC_OFF);
	if ((want = wnm_file_crc(p, len)) != crc) {
		r = fail(causep, "checksum mismatch (corrupt file): "
		    "stored %08x, computed %08x", crc, want);
		goto out;
	}
	if (get32(p + 12) != 0) {
		r = fail(causep, "unknown flags %08x", get32(p + 12));
		goto out;
	}
	ncfg = get32(p + 24);
	nten = get32(p + 28);
	cfg_off = get64(p + 32);
	dir_off = get64(p + 40);
	data_off = get64(p + 48);
	if (ncfg > WNM_MAX_CONFIG || nten > WNM_MAX_TENSORS) {
		r = fail(causep, "corrupt header: %u config records, "
		    "%u tensors", ncfg, nten);
		goto out;
	}
	if (cfg_off < WNM_HDR || cfg_off > len ||
	    (uint64_t)ncfg * WNM_CFG_REC > len - cfg_off ||
	    dir_off < cfg_off + (uint64_t)ncfg * WNM_CFG_REC ||
	    dir_off > len || (uint64_t)nten * WNM_DIR_REC > len - dir_off ||
	    data_off < dir_off + (uint64_t)nten * WNM_DIR_REC ||
	    data_off > len) {
		r = fail(causep, "corrupt header: sections outside the file");
		goto out;
	}
	w = xcalloc(1, sizeof(*w));
	if (ncfg > 0)
		w->cfg = xcalloc(ncfg, sizeof(*w->cfg));
	for (i = 0; i < ncfg; i++) {
		rec = p + cfg_off + i * WNM_CFG_REC;
		if (!field_name(rec, WNM_KEY_MAX)) {
			r = fail(causep, "config record %zu: bad key", i);
			goto out;
		}
		if (cfg_find(w, (const char *)rec) != NULL) {
			r = fail(causep, "config key %s twice",
			    (const char *)rec);
			goto out;
		}
		memcpy(w->cfg[i].key, rec, WNM_KEY_MAX);
		w->cfg[i].kind = get32(rec + 24);
		w->cfg[i].value = get32(rec + 28);
		if (w->cfg[i].kind != WNM_KIND_U32 &&
		    w->cfg[i].kind != WNM_KIND_F32) {
			r = fail(causep, "config key %s: unknown kind %u",
			    w->cfg[i].key, w->cfg[i].kind);
			goto out;
		}
		w->ncfg = i + 1;
	}
	if (nten > 0)
		w->ent = xcalloc(nten, sizeof(*w->ent));
	for (i = 0; i < nten; i++) {
		rec = p + dir_off + i * WNM_DIR_REC;
		e = &w->ent[i];
		if (!field_name(rec, WNM_NAME_MAX)) {
			r = fail(causep, "tensor %zu: bad name", i);
			goto out;
		}
		memcpy(e->name, rec, WNM_NAME_MAX);
		for (j = 0; j < i; j++)
			if (strcmp(w->ent[j].name, e->name) == 0) {
				r = fail(causep, "tensor %s twice", e->name);
				goto out;
			}
		e->dtype = (int)get32(rec + 48);
		if ((esz = dtype_size(e->dtype)) == 0) {
			r = fail(causep, "tensor %s: unknown dtype %d",
			    e->name, e->dtype);
			goto out;
		}
		if (get32(rec + 52) < 1 || get32(rec + 52) > WNM_MAXDIM) {
			r = fail(causep, "tensor %s: %u dimensions", e->name,
			    get32(rec + 52));
			goto out;
		}
		e->ndim = (int)get32(rec + 52);
		for (d = 0; d < WNM_MAXDIM; d++)
			e->shape[d] = get32(rec + 56 + 4 * d);
		for (d = e->ndim; d < WNM_MAXDIM; d++)
			if (e->shape[d] != 0) {
				r = fail(causep, "tensor %s: stray dimension",
				    e->name);
				goto out;
			}
		if ((e->nelem = shape_nelem(e->ndim, e->shape)) == 0) {
			r = fail(causep, "tensor %s: bad shape", e->name);
			goto out;
		}
		off = get64(rec + 72);
		nbytes = get64(rec + 80);
		if (nbytes / esz != e->nelem || nbytes % esz != 0) {
			r = fail(causep, "tensor %s: %llu bytes for %zu "
			    "elements", e->name, (unsigned long long)nbytes,
			    e->nelem);
			goto out;
		}
		if (off < data_off || off % WNM_ALIGN != 0 || off > len ||
		    nbytes > len - off) {
			r = fail(causep, "tensor %s: data outside the file",
			    e->name);
			goto out;
		}
		e->nbytes = (size_t)nbytes;
		e->bytes = p + off;
		w->nent = i + 1;
	}
	w->file = p;
	w->filelen = len;
	*wp = w;
	w = NULL;
	r = 0;
out:
	if (w != NULL) {
		w->file = NULL;
		wnm_free(w);
	}
	return r;
}

/* Validates a copy of the image data. */
int
wnm_load_mem(const void *data, size_t len, struct wnm **wp, char **causep)
{
	unsigned char *p;
	int r;

	*wp = NULL;
	if (causep != NULL)
		*causep = NULL;
	if (len > WNM_MAX_FILE)
		return fail(causep, "%zu bytes: over the %zu-byte limit", len,
		    WNM_MAX_FILE);
	if ((p = malloc(len > 0 ? len : 1)) == NULL)
		return ERR_NOMEM;
	if (len > 0)
		memcpy(p, data, len);
	if ((r = wnm_parse(p, len, wp, causep)) != 0)
		free(p);
	return r;
}

/* Reads path whole and validates it. */
int
wnm_load(const char *path, struct wnm **wp, char **causep)
{
	struct stat st;
	unsigned char *p = NULL;
	char *cause = NULL;
	size_t len = 0, got = 0;
	ssize_t k;
	int fd = -1, r = ERR_INTERNAL;

	*wp = NULL;
	if (causep != NULL)
		*causep = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		r = errno == ENOENT ? ERR_NOTFOUND : ERR_IO;
		if (causep != NULL)
			*causep = xasprintf("%s: %s", path, strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		r = ERR_IO;
		if (causep != NULL)
			*causep = xasprintf("%s: not a regular file", path);
		goto out;
	}
	if ((uint64_t)st.st_size > WNM_MAX_FILE) {
		r = ERR_TOOBIG;
		if (causep != NULL)
			*causep = xasprintf("%s: %lld bytes, over the limit "
			    "of %zu", path, (long long)st.st_size,
			    WNM_MAX_FILE);
		goto out;
	}
	len = (size_t)st.st_size;
	if ((p = malloc(len > 0 ? len : 1)) == NULL) {
		r = ERR_NOMEM;
		goto out;
	}
	while (got < len) {
		k = read(fd, p + got, len - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			r = ERR_IO;
			if (causep != NULL)
				*causep = xasprintf("%s: %s", path,
				    strerror(errno));
			goto out;
		}
		if (k == 0)
			break;		/* shrank meanwhile: parse says so */
		got += (size_t)k;
	}
	if ((r = wnm_parse(p, got, wp, &cause)) != 0) {
		if (causep != NULL)
			*causep = xasprintf("%s: %s", path,
			    cause != NULL ? cause : err_str(r));
		goto out;
	}
	p = NULL;
	r = 0;
out:
	free(cause);
	free(p);
	if (fd != -1)
		close(fd);
	return r;
}

/* ---------------------------------------------------------------------- */
/* Access.                                                                */

size_t
wnm_ntensors(const struct wnm *w)
{
	return w->nent;
}

static void
ent_info(const struct wnm_ent *e, struct wnm_info *info)
{
	memset(info, 0, sizeof(*info));
	info->name = e->name;
	info->dtype = e->dtype;
	info->ndim = e->ndim;
	memcpy(info->shape, e->shape, sizeof(info->shape));
	info->nelem = e->nelem;
}

int
wnm_tensor(const struct wnm *w, size_t i, struct wnm_info *info)
{
	if (i >= w->nent)
		return ERR_NOTFOUND;
	ent_info(&w->ent[i], info);
	return 0;
}

int
wnm_find(const struct wnm *w, const char *name, struct wnm_info *info)
{
	const struct wnm_ent *e;

	if ((e = ent_find(w, name)) == NULL)
		return ERR_NOTFOUND;
	ent_info(e, info);
	return 0;
}

/* Formats a shape as "[a, b]" into s (n >= 64 bytes). */
static void
shape_str(char *s, size_t n, int ndim, const uint32_t *sh)
{
	switch (ndim) {
	case 1:
		(void)snprintf(s, n, "[%u]", sh[0]);
		break;
	case 2:
		(void)snprintf(s, n, "[%u, %u]", sh[0], sh[1]);
		break;
	case 3:
		(void)snprintf(s, n, "[%u, %u, %u]", sh[0], sh[1], sh[2]);
		break;
	default:
		(void)snprintf(s, n, "[%u, %u, %u, %u]", sh[0], sh[1], sh[2],
		    sh[3]);
		break;
	}
}

/* Copies a tensor out as floats after checking its shape. */
int
wnm_read(const struct wnm *w, const char *name, int ndim,
    const uint32_t *shape, float *dst, char **causep)
{
	const struct wnm_ent *e;
	char have[96], want[96];
	size_t i;
	int d, same;

	if (causep != NULL)
		*causep = NULL;
	if ((e = ent_find(w, name)) == NULL) {
		if (causep != NULL)
			*causep = xasprintf("tensor %s missing", name);
		return ERR_NOTFOUND;
	}
	same = e->ndim == ndim;
	for (d = 0; same && d < ndim; d++)
		same = e->shape[d] == shape[d];
	if (!same) {
		shape_str(have, sizeof(have), e->ndim, e->shape);
		shape_str(want, sizeof(want), ndim, shape);
		return fail(causep, "tensor %s: shape mismatch: %s in file, "
		    "model wants %s", name, have, want);
	}
	if (e->dtype == WNM_F32) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		memcpy(dst, e->bytes, e->nelem * sizeof(float));
#else
		for (i = 0; i < e->nelem; i++)
			dst[i] = bitsf(get32(e->bytes + 4 * i));
#endif
	} else {
		for (i = 0; i < e->nelem; i++)
			dst[i] = wnm_f16_to_f32((uint16_t)(e->bytes[2 * i] |
			    e->bytes[2 * i + 1] << 8));
	}
	return 0;
}
