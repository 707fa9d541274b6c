/*
 * fuzz-wnm.c: the weights loader (model/wnm.c, model_load_mem()).
 *
 * The input is a .wnm file image.  It is loaded as it is, which mostly
 * stops at the checksum, then again with its CRC-32 field set to the
 * checksum of the bytes given, so that the fuzzer reaches the section and
 * tensor checks behind it.  A file that loads has every tensor described
 * and read back, and is loaded as a model (the network's shapes checked
 * against the configuration).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "log.h"
#include "model.h"
#include "wnm.h"

#define FUZZ_WNM_HDR		64
#define FUZZ_WNM_CRC_OFF	56
#define FUZZ_READ_MAX	(1024 * 1024)	/* elements read back */

/* Reads every tensor of a loaded file back as floats. */
static void
fuzz_tensors(const struct wnm *w)
{
	struct wnm_info info;
	uint32_t u;
	float f, *dst;
	char *cause;
	size_t i;

	(void)wnm_get_u32(w, "model.version", &u);
	(void)wnm_get_f32(w, "model.version", &f);
	for (i = 0; wnm_tensor(w, i, &info) == 0; i++) {
		if (info.nelem > FUZZ_READ_MAX)
			continue;
		dst = malloc(info.nelem > 0 ? info.nelem * sizeof(*dst) : 1);
		if (dst == NULL)
			continue;
		cause = NULL;
		(void)wnm_read(w, info.name, info.ndim, info.shape, dst,
		    &cause);
		free(cause);
		free(dst);
	}
}

/* Loads one image as weights and as a model. */
static void
fuzz_load(const unsigned char *data, size_t size)
{
	struct wnm *w = NULL;
	struct model *m = NULL;
	char *cause = NULL;

	if (wnm_load_mem(data, size, &w, &cause) == 0)
		fuzz_tensors(w);
	wnm_free(w);
	free(cause);
	cause = NULL;
	if (model_load_mem(data, size, &m, &cause) == 0)
		model_free(m);
	free(cause);
}

/* Loads the input as given, then with its checksum made right. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	unsigned char *copy;
	uint32_t crc;
	int i;

	if (!init) {
		log_init("fuzz-wnm", 0, LOG_LVL_WARN);
		init = 1;
	}
	fuzz_load(data, size);
	if (size < FUZZ_WNM_HDR)
		return 0;
	if ((copy = malloc(size)) == NULL)
		return 0;
	memcpy(copy, data, size);
	memset(copy + FUZZ_WNM_CRC_OFF, 0, 4);
	crc = wnm_crc32(0, copy, size);
	for (i = 0; i < 4; i++)
		copy[FUZZ_WNM_CRC_OFF + i] = (unsigned char)(crc >> (8 * i));
	if (memcmp(copy, data, size) != 0)
		fuzz_load(copy, size);
	free(copy);
	return 0;
}
