/*
 * test-gym.c: the trainer's side that needs no browser: the sample file
 * (round trip, damaged files refused), samples to labels (gold rows,
 * value spans, options, alternatives), and training: it learns, it is
 * deterministic for a seed and a thread count, it writes its curves and
 * their plot.
 */
#include "config.h"

#include <sys/stat.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cblas.h>
#include <cjson/cJSON.h>

#include "err.h"
#include "xmalloc.h"
#include "action.h"
#include "observe.h"
#include "features.h"
#include "model.h"
#include "nn.h"
#include "gym.h"
#include "tap.h"

static char tmpdir[256];

static struct mark *
add_mark(struct obs *o, const char *tag, const char *role, const char *text,
    const char *label, double x, double y)
{
	struct mark *m;

	o->marks = xreallocarray(o->marks, o->nmarks + 1, sizeof(*o->marks));
	m = &o->marks[o->nmarks++];
	memset(m, 0, sizeof(*m));
	m->id = (int)o->nmarks;
	m->ref = (int)o->nmarks - 1;
	m->tag = xstrdup(tag);
	m->role = xstrdup(role);
	m->type = xstrdup(strcmp(tag, "input") == 0 ? "text" : "");
	m->text = xstrdup(text);
	m->label = xstrdup(label);
	m->value = xstrdup("");
	m->attrs = cJSON_CreateObject();
	m->x = x;
	m->y = y;
	m->w = 100;
	m->h = 30;
	m->checked = -1;
	m->selected = -1;
	m->option_selected = -1;
	m->editable = strcmp(tag, "input") == 0;
	return m;
}

static const char *const names[] = { "Ada Lovelace", "Alan Turing",
    "Grace Hopper", "Edsger Dijkstra" };
static const char *const colours[] = { "Red", "Green", "Blue" };

/*
 * Sample i of a small task set: a contacts table (name links, Call and
 * Delete buttons per row), a name field, a city field, a colour select.
 */
static void
make_sample(int i, struct gym_sample *s)
{
	struct obs *o = xcalloc(1, sizeof(*o));
	struct mark *m;
	int k, row = i % 4;

	o->url = xstrdup("http://127.0.0.1/t");
	o->title = xstrdup("t");
	o->vw = 1280;
	o->vh = 800;
	o->scale = 1;
	o->page_h = 800;
	for (k = 0; k < 4; k++) {
		add_mark(o, "a", "link", names[k], "", 20, 40 + 40 * k);
		add_mark(o, "button", "button", "Call", "", 300, 40 + 40 * k);
		add_mark(o, "button", "button", "Delete", "", 420,
		    40 + 40 * k);
	}
	add_mark(o, "input", "textbox", "", "Name", 20, 300);
	add_mark(o, "input", "textbox", "", "City", 20, 340);
	m = add_mark(o, "select", "combobox", "Red", "Colour", 20, 380);
	m->options = xcalloc(3, sizeof(char *));
	for (k = 0; k < 3; k++)
		m->options[k] = xstrdup(colours[k]);
	m->noptions = 3;
	m->option_selected = 0;
	memset(s, 0, sizeof(*s));
	s->episode = (uint32_t)(1000 - i);	/* written out of order */
	s->step = (uint16_t)(i % 3);
	s->family = (uint8_t)(i % 5 == 4 ? gym_family_index("tabs") :
	    gym_family_index("table"));
	s->flags = i % 5 == 4 ? GYM_F_HELD_FAMILY : 0;
	s->tpl = xasprintf("t:%d", i % 3);
	s->obs = o;
	s->op = -1;
	switch (i % 4) {
	case 0:
		s->instr = xasprintf("Call %s", names[row]);
		s->gold[s->ngold++] = 2 + 3 * row;
		s->op = NN_OP_CLICK;
		break;
	case 1:
		s->instr = xasprintf("Delete the contact %s", names[row]);
		s->gold[s->ngold++] = 3 + 3 * row;
		s->op = NN_OP_CLICK;
		break;
	case 2:
		/* Two fields to fill, in any order: two golds. */
		s->instr = xasprintf("Set the name to \"%s\" and the city to "
		    "Paris", names[row]);
		s->gold[s->ngold++] = 13;
		s->value = xstrdup(names[row]);
		s->alt_values[s->ngold] = xstrdup("Paris");
		s->gold[s->ngold++] = 14;
		s->op = NN_OP_TYPE;
		s->hist[0].op = ACT_CLICK;
		s->hist[0].desc = xstrdup("[link] Home");
		s->nhist = 1;
		break;
	default:
		s->instr = xasprintf("Choose %s as the colour",
		    colours[1 + row % 2]);
		s->gold[s->ngold++] = 15;
		s->value = xstrdup(colours[1 + row % 2]);
		s->op = NN_OP_SELECT;
		break;
	}
}

/* Writes n samples to path; 0 on success. */
static int
write_samples(const char *path, int n)
{
	struct gym_sample s;
	FILE *f;
	int i, r = 0;

	if ((f = fopen(path, "wb")) == NULL)
		return -1;
	r = gym_file_header(f);
	for (i = 0; i < n && r == 0; i++) {
		make_sample(i, &s);
		r = gym_sample_write(f, &s);
		gym_sample_clear(&s);
	}
	if (fclose(f) != 0)
		r = -1;
	return r;
}

static void
test_file(const char *path)
{
	struct gym_data *d = NULL;
	struct gym_sample a, b;
	char *cause = NULL, bad[300];
	const char *p = path;
	FILE *f;
	size_t i;
	int r, same = 1, sorted = 1;

	r = gym_data_load(&p, 1, &d, &cause);
	is_int(r, 0, "sample file loads (%s)", cause ? cause : "ok");
	if (r != 0)
		return;
	is_int(gym_data_count(d), 40, "40 samples");
	for (i = 1; i < gym_data_count(d); i++)
		if (gym_data_episode(d, i - 1) > gym_data_episode(d, i))
			sorted = 0;
	ok(sorted, "sorted by episode whatever the order written");
	/* Sample 39 was written first: episode 961. */
	for (i = 0; i < gym_data_count(d) && same; i++) {
		if (gym_data_get(d, i, &a) != 0) {
			same = 0;
			break;
		}
		make_sample((int)(1000 - a.episode), &b);
		same = strcmp(a.instr, b.instr) == 0 &&
		    a.ngold == b.ngold && a.gold[0] == b.gold[0] &&
		    a.op == b.op && a.obs->nmarks == b.obs->nmarks &&
		    strcmp(a.obs->marks[0].text, b.obs->marks[0].text) == 0 &&
		    a.obs->marks[14].noptions == 3 &&
		    strcmp(a.obs->marks[14].options[2], "Blue") == 0 &&
		    a.nhist == b.nhist && (a.value == NULL) == (b.value ==
		    NULL) && (a.value == NULL || strcmp(a.value,
		    b.value) == 0) && (a.ngold < 2 || strcmp(a.alt_values[1],
		    b.alt_values[1]) == 0) && a.flags == b.flags &&
		    a.family == b.family;
		if (!same)
			note("sample %zu (episode %u) differs", i, a.episode);
		gym_sample_clear(&a);
		gym_sample_clear(&b);
	}
	ok(same, "every sample reads back as written");
	ok(gym_data_family(d, 0) >= 0 && gym_data_flags(d, 999) == 0,
	    "family and flags without decoding");
	gym_data_free(d);

	/* A truncated file and a file of something else are refused. */
	snprintf(bad, sizeof(bad), "%s/bad.bin", tmpdir);
	{
		FILE *in = fopen(path, "rb");
		char buf[4096];
		size_t n = in != NULL ? fread(buf, 1, sizeof(buf), in) : 0;

		if (in != NULL)
			fclose(in);
		if ((f = fopen(bad, "wb")) != NULL) {
			fwrite(buf, 1, n > 100 ? n - 7 : n, f);
			fclose(f);
		}
	}
	free(cause);
	cause = NULL;
	p = bad;
	r = gym_data_load(&p, 1, &d, &cause);
	ok(r == ERR_FORMAT && d == NULL && cause != NULL, "truncated file "
	    "refused: %s", cause ? cause : "");
	free(cause);
	cause = NULL;
	if ((f = fopen(bad, "wb")) != NULL) {
		fputs("WNM1 not samples", f);
		fclose(f);
	}
	r = gym_data_load(&p, 1, &d, &cause);
	ok(r == ERR_FORMAT && cause != NULL, "not a sample file: %s",
	    cause ? cause : "");
	free(cause);
	(void)unlink(bad);
}

static void
test_labels(void)
{
	struct feat_config fc;
	struct feat_step *st = NULL;
	struct gym_sample s;
	struct nn_label y;
	const char *vals[NN_MAX_GOLD];
	char *t;
	int r;

	feat_default_config(&fc);
	make_sample(2, &s);
	r = gym_sample_features(&fc, &s, &st, &y, vals, NULL);
	ok(r == 0 && y.ngold == 2 && y.gold[0] == 12 && y.gold[1] == 13 &&
	    y.op == NN_OP_TYPE, "typing: two gold rows, TYPE");
	t = r == 0 && y.span_start >= 0 ? feat_span_text(st, y.span_start,
	    y.span_end) : NULL;
	is_str(t, "Grace Hopper", "the gold span is the quoted value");
	ok(r == 0 && vals[0] != NULL && strcmp(vals[1], "Paris") == 0,
	    "each gold row has its value");
	free(t);
	feat_step_free(st);
	gym_sample_clear(&s);

	make_sample(3, &s);
	r = gym_sample_features(&fc, &s, &st, &y, vals, NULL);
	ok(r == 0 && y.op == NN_OP_SELECT && y.option == 2, "select: option "
	    "%d", y.option);
	feat_step_free(st);
	gym_sample_clear(&s);

	make_sample(0, &s);
	s.gold[0] = GYM_GOLD_DONE;
	r = gym_sample_features(&fc, &s, &st, &y, vals, NULL);
	ok(r == 0 && y.ngold == 1 && y.gold[0] == st->N + FEAT_PSEUDO_DONE &&
	    y.op == -1, "DONE is the pseudo-row after the marks");
	feat_step_free(st);
	gym_sample_clear(&s);
}

/* Trains a fresh model on d; returns its checksum (0 on failure). */
static uint64_t
train(const struct gym_data *d, uint64_t seed, int threads, int epochs,
    const char *curves, const char *plot, struct gym_train_result *res)
{
	struct feat_config fc;
	struct nn_config nc;
	struct gym_train_params p;
	struct model *m = NULL;
	char *cause = NULL;
	uint64_t h = 0;
	int r;

	feat_default_config(&fc);
	nn_default_config(&nc);
	if (model_new(&fc, &nc, seed, &m, NULL) != 0)
		return 0;
	gym_train_default_params(&p);
	p.epochs = epochs;
	p.batch = 8;
	p.threads = threads;
	p.seed = seed;
	p.warmup = 5;
	p.lr = 5e-3;
	p.progress = 0;
	p.curves = curves;
	p.plot = plot;
	r = gym_train(m, d, &p, res, &cause);
	if (r == 0)
		h = nn_checksum(model_nn(m));
	else
		note("training failed: %s", cause != NULL ? cause : err_str(r));
	free(cause);
	model_free(m);
	return h;
}

static void
test_train(const char *path)
{
	struct gym_data *d = NULL;
	struct gym_train_result res;
	struct stat sb;
	char csv[300], png[300], line[4096];
	const char *p = path;
	uint64_t a, b, c, e;
	FILE *f;
	int rows = 0, r;

	if (gym_data_load(&p, 1, &d, NULL) != 0) {
		ok(0, "data for training");
		return;
	}
	snprintf(csv, sizeof(csv), "%s/curves.csv", tmpdir);
	snprintf(png, sizeof(png), "%s/curves.png", tmpdir);
	a = train(d, 3, 2, 30, csv, png, &res);
	ok(a != 0, "trained 30 epochs on 2 threads");
	is_int(res.ntrain, 32, "32 training samples");
	is_int(res.nval, 8, "8 held out (one family), never trained on");
	ok(res.train_acc > 0.95, "the training samples are learnt (mark "
	    "accuracy %.3f, loss %.4f)", res.train_acc, res.train_loss);
	b = train(d, 3, 2, 30, NULL, NULL, &res);
	ok(a == b, "same seed, same threads: same weights");
	c = train(d, 4, 2, 30, NULL, NULL, &res);
	ok(c != 0 && c != a, "another seed: other weights");
	e = train(d, 3, 1, 30, NULL, NULL, &res);
	e = e == train(d, 3, 1, 30, NULL, NULL, &res) ? e : 0;
	ok(e != 0, "one thread: deterministic too");
	if ((f = fopen(csv, "r")) != NULL) {
		while (fgets(line, sizeof(line), f) != NULL)
			rows++;
		fclose(f);
	}
	ok(rows > 30, "curves.csv: a header and %d rows", rows - 1);
	memset(&sb, 0, sizeof(sb));
	r = stat(png, &sb);
	ok(r == 0 && sb.st_size > 2000, "curves.png written (%lld bytes)",
	    (long long)sb.st_size);
	(void)unlink(csv);
	(void)unlink(png);
	gym_data_free(d);
}

int
main(void)
{
	char path[300];

	openblas_set_num_threads(1);
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test-gym.XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		skip_all("no temporary directory");
	snprintf(path, sizeof(path), "%s/s.bin", tmpdir);
	ok(write_samples(path, 40) == 0, "40 samples written");
	test_file(path);
	test_labels();
	test_train(path);
	(void)unlink(path);
	(void)rmdir(tmpdir);
	return done_testing();
}
