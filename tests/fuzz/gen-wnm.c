/*
 * gen-wnm.c: writes the seed weights files of tests/fuzz/corpus/wnm with
 * the code's own writers: a tiny model (every tensor of the network, dims
 * 1-2, table of 16 rows) saved in fp32 and fp16, and a file of two plain
 * tensors and two configuration records.  Not built by default:
 * "make tests/fuzz/gen-wnm && tests/fuzz/gen-wnm DIR".
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "features.h"
#include "model.h"
#include "nn.h"
#include "wnm.h"
#include "xmalloc.h"

/* Writes the three seed files into the directory given. */
int
main(int argc, char **argv)
{
	static const float data[6] = { 1, -2, 0.5f, 65504, 1e-8f, 0 };
	uint32_t shape2[2] = { 2, 3 }, shape1[1] = { 4 };
	struct feat_config fc;
	struct nn_config nc;
	struct model *m = NULL;
	struct wnm *w;
	char *cause = NULL, *path;
	int r;

	if (argc != 2) {
		fprintf(stderr, "usage: gen-wnm DIR\n");
		return 2;
	}
	feat_default_config(&fc);
	nn_default_config(&nc);
	fc.hash_bits = 4;
	fc.dim = 2;
	fc.cat_bits = 1;
	fc.type_bits = 1;
	fc.span_max = 2;
	fc.max_marks = 8;
	fc.max_instr = 8;
	nc.d = 2;
	nc.hash_rows = 1u << fc.hash_bits;
	nc.cat_rows = 1u << fc.cat_bits;
	nc.type_rows = 1u << fc.type_bits;
	nc.dtag = nc.drole = nc.dtype = 1;
	nc.dh = nc.du = nc.ds1 = nc.ds2 = nc.dg = 2;
	nc.dop = nc.dsp = nc.dopt = 2;
	nc.dlen = 1;
	nc.span_max = fc.span_max;
	if ((r = model_new(&fc, &nc, 1, &m, &cause)) != 0)
		goto out;
	path = xasprintf("%s/tiny-model-f32.wnm", argv[1]);
	r = model_save(m, path, 0, &cause);
	free(path);
	if (r != 0)
		goto out;
	path = xasprintf("%s/tiny-model-f16.wnm", argv[1]);
	r = model_save(m, path, 1, &cause);
	free(path);
	if (r != 0)
		goto out;

	w = wnm_new();
	if ((r = wnm_set_u32(w, "a.count", 3)) != 0 ||
	    (r = wnm_set_f32(w, "b.scale", 0.25f)) != 0 ||
	    (r = wnm_add(w, "t.f32", WNM_F32, 2, shape2, data)) != 0 ||
	    (r = wnm_add(w, "t.f16", WNM_F16, 1, shape1, data)) != 0) {
		wnm_free(w);
		cause = xstrdup("cannot build the tensors file");
		goto out;
	}
	path = xasprintf("%s/tensors.wnm", argv[1]);
	r = wnm_save(w, path, &cause);
	free(path);
	wnm_free(w);
out:
	model_free(m);
	if (r != 0) {
		fprintf(stderr, "gen-wnm: %s\n", cause != NULL ? cause :
		    "error");
		free(cause);
		return 1;
	}
	return 0;
}
