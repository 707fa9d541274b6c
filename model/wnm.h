/*
 * wnm.h: the weights file (.wnm): named tensors plus a configuration.
 *
 * Layout, all integers little-endian:
 *
 *   header, 64 bytes:
 *     0  magic "WNM1"          4  format version (WNM_VERSION)
 *     8  header size (64)     12  flags (0)
 *     16 file size (u64)      24  config records    28  tensors
 *     32 config offset (u64)  40  directory offset (u64)
 *     48 data offset (u64)    56  CRC-32            60  reserved (0)
 *   config: 32-byte records: key[24] (NUL-padded), kind u32 (1 u32,
 *     2 f32), value u32 (the f32's bits for kind 2)
 *   directory: 96-byte records: name[48] (NUL-padded), dtype u32,
 *     ndim u32, shape[4] u32 (unused dims 0), offset u64, size u64,
 *     reserved u64
 *   data: each tensor at a 64-byte aligned offset, zero padding between.
 *
 * The CRC-32 (IEEE 802.3) covers the whole file with its own field read
 * as zero.  Loading reads the file into memory, checks magic, version,
 * length and checksum in that order, then every section and tensor bound
 * against the file length before any tensor is touched; each failure is
 * ERR_FORMAT with its own cause ("truncated", "checksum mismatch", "bad
 * magic", "version"), never a crash.  Saving writes a temporary file in
 * the same directory and renames it over the target.
 */
#ifndef WEBNAV_WNM_H
#define WEBNAV_WNM_H

#include <stddef.h>
#include <stdint.h>

#define WNM_VERSION	1
#define WNM_MAXDIM	4
#define WNM_NAME_MAX	48	/* bytes of a tensor name, NUL included */
#define WNM_KEY_MAX	24	/* bytes of a config key, NUL included */
#define WNM_MAX_FILE	((size_t)512 * 1024 * 1024)
#define WNM_MAX_TENSORS	4096
#define WNM_MAX_CONFIG	1024
#define WNM_ALIGN	64

enum wnm_dtype {
	WNM_F32 = 1,
	WNM_F16 = 2
};

struct wnm;

struct wnm_info {
	const char	*name;
	int		 dtype;
	int		 ndim;
	uint32_t	 shape[WNM_MAXDIM];
	size_t		 nelem;
};

/* An empty set of tensors, to fill and save. */
struct wnm	*wnm_new(void);
void		 wnm_free(struct wnm *w);

/* Sets config key (replacing an earlier value); ERR_INVALID on bad keys. */
int	wnm_set_u32(struct wnm *w, const char *key, uint32_t v);
int	wnm_set_f32(struct wnm *w, const char *key, float v);
/* Reads config key; ERR_NOTFOUND if absent, ERR_FORMAT if of other kind. */
int	wnm_get_u32(const struct wnm *w, const char *key, uint32_t *vp);
int	wnm_get_f32(const struct wnm *w, const char *key, float *vp);

/*
 * Adds tensor name of ndim dims with shape, copying nelem floats from
 * data and storing them as dtype.  ERR_INVALID for a bad or duplicate
 * name or shape.
 */
int	wnm_add(struct wnm *w, const char *name, int dtype, int ndim,
	    const uint32_t *shape, const float *data);

/* Writes w to path atomically; *causep explains a failure. */
int	wnm_save(const struct wnm *w, const char *path, char **causep);
/* The file image of w (malloc'd) and its length. */
int	wnm_serialize(const struct wnm *w, unsigned char **datap,
	    size_t *lenp);

/* Loads and validates path; *causep explains a failure. */
int	wnm_load(const char *path, struct wnm **wp, char **causep);
/* Validates a file image held in memory (copied). */
int	wnm_load_mem(const void *data, size_t len, struct wnm **wp,
	    char **causep);

size_t	wnm_ntensors(const struct wnm *w);
/* Describes tensor i (0-based); ERR_NOTFOUND past the end. */
int	wnm_tensor(const struct wnm *w, size_t i, struct wnm_info *info);
/* Describes tensor name; ERR_NOTFOUND if absent. */
int	wnm_find(const struct wnm *w, const char *name, struct wnm_info *info);
/*
 * Copies tensor name into dst (as floats) after checking that its shape
 * is exactly ndim/shape: ERR_NOTFOUND or ERR_FORMAT with *causep.
 */
int	wnm_read(const struct wnm *w, const char *name, int ndim,
	    const uint32_t *shape, float *dst, char **causep);

/* CRC-32 (IEEE) of n bytes, continuing from crc (0 to start). */
uint32_t wnm_crc32(uint32_t crc, const void *data, size_t n);
/* IEEE half precision conversions (round to nearest even). */
uint16_t wnm_f32_to_f16(float f);
float	 wnm_f16_to_f32(uint16_t h);

#endif /* WEBNAV_WNM_H */
