/*
 * bench/model.c: cost of the built-in model on one core: a whole
 * prediction (features, network, heads) for a page of 300 marks and a
 * 48-token instruction, and the time to load the weights file.
 *
 * The page is synthetic but shaped like a real one: buttons, links,
 * inputs with labels and attributes, selects with options, texts drawn
 * from a fixed vocabulary (deterministic).  Weights are random unless -m
 * names a .wnm file; the cost does not depend on their values.
 *
 * usage: bench/model [-n rounds] [-k marks] [-m weights.wnm]
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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

static const char *const words[] = {
	"search", "flights", "hotel", "cart", "checkout", "account", "sign",
	"in", "out", "register", "help", "contact", "about", "news", "sports",
	"weather", "music", "video", "shop", "deals", "today", "new",
	"arrivals", "women", "men", "kids", "home", "garden", "electronics",
	"books", "toys", "price", "low", "high", "filter", "sort", "by",
	"rating", "reviews", "more", "less", "show", "all", "next",
	"previous", "page", "close", "open", "menu", "settings", "profile",
	"orders", "returns", "gift", "cards", "sell", "careers", "privacy",
	"terms", "cookies", "accept", "reject", "subscribe", "newsletter",
	"email", "address", "city", "zip", "code", "phone", "first", "last",
	"name", "password", "remember", "me", "forgot", "submit", "cancel",
	"save", "delete", "edit", "share", "like", "reply", "forward",
	"download", "upload", "Glasgow", "Paris", "New", "York", "Berlin",
	"Tokyo", "2024", "March", "12", "$19.99", "4.5", "stars"
};
#define NWORDS	(sizeof(words) / sizeof(words[0]))

static uint64_t rs = 88172645463325252ull;

static unsigned
rnd(unsigned n)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return (unsigned)(rs % n);
}

/* A phrase of 1..maxw random words (allocated). */
static char *
phrase(int maxw)
{
	char buf[512];
	size_t k = 0;
	int n = 1 + (int)rnd((unsigned)maxw), i;

	buf[0] = '\0';
	for (i = 0; i < n; i++)
		k += (size_t)snprintf(buf + k, sizeof(buf) - k, "%s%s",
		    i ? " " : "", words[rnd(NWORDS)]);
	return xstrdup(buf);
}

static struct obs *
make_page(int nmarks)
{
	static const char *const tags[] = { "a", "button", "input", "select",
	    "div" };
	static const char *const roles[] = { "link", "button", "textbox",
	    "combobox", "button" };
	struct obs *o = xcalloc(1, sizeof(*o));
	struct mark *m;
	int i, k, t;

	o->url = xstrdup("http://127.0.0.1/bench");
	o->title = xstrdup("bench");
	o->vw = 1280;
	o->vh = 800;
	o->scale = 1;
	o->page_h = 4000;
	o->marks = xcalloc((size_t)nmarks, sizeof(*o->marks));
	o->nmarks = (size_t)nmarks;
	for (i = 0; i < nmarks; i++) {
		m = &o->marks[i];
		t = (int)rnd(100);
		t = t < 45 ? 0 : t < 75 ? 1 : t < 90 ? 2 : t < 95 ? 3 : 4;
		m->id = i + 1;
		m->tag = xstrdup(tags[t]);
		m->role = xstrdup(roles[t]);
		m->type = xstrdup(t == 2 ? "text" : "");
		m->text = t == 2 ? xstrdup("") : phrase(4);
		m->label = t == 2 || t == 3 ? phrase(3) : xstrdup("");
		/* The row or card it sits in, as collect.js gives it. */
		m->ctx = phrase(16);
		m->value = xstrdup("");
		m->attrs = cJSON_CreateObject();
		if (t == 0) {
			char *h = phrase(2), *p;

			for (p = h; *p; p++)
				if (*p == ' ')
					*p = '-';
			cJSON_AddStringToObject(m->attrs, "href", h);
			free(h);
		}
		if (t == 2) {
			char *p = phrase(2);

			cJSON_AddStringToObject(m->attrs, "placeholder", p);
			cJSON_AddStringToObject(m->attrs, "name", "field_name");
			free(p);
		}
		if (rnd(4) == 0) {
			char *p = phrase(3);

			cJSON_AddStringToObject(m->attrs, "aria-label", p);
			free(p);
		}
		m->x = rnd(1200);
		m->y = rnd(3800);
		m->w = 40 + rnd(200);
		m->h = 20 + rnd(30);
		m->checked = -1;
		m->selected = -1;
		m->option_selected = -1;
		m->editable = t == 2;
		m->change = rnd(10) == 0 ? MARK_NEW : MARK_SAME;
		if (t == 3) {
			m->noptions = 5 + rnd(20);
			m->options = xcalloc(m->noptions, sizeof(char *));
			for (k = 0; k < (int)m->noptions; k++)
				m->options[k] = phrase(2);
			m->option_selected = 0;
		}
	}
	return o;
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The 1-minute load average, as text (the wall times depend on it). */
static const char *
loadavg(void)
{
	static char buf[64];
	FILE *fp;

	snprintf(buf, sizeof(buf), "unknown");
	if ((fp = fopen("/proc/loadavg", "r")) != NULL) {
		if (fscanf(fp, "%63s", buf) != 1)
			snprintf(buf, sizeof(buf), "unknown");
		fclose(fp);
	}
	return buf;
}

/* CPU time of this thread: what one core spent, whatever the load. */
static double
cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Sorts v and returns its q-quantile (nearest rank). */
static double
quantile(double *v, int n, double q)
{
	int k;

	qsort(v, (size_t)n, sizeof(*v), dcmp);
	k = (int)(q * n + 0.999999) - 1;
	if (k < 0)
		k = 0;
	if (k >= n)
		k = n - 1;
	return v[k];
}

int
main(int argc, char **argv)
{
	struct feat_config fc;
	struct nn_config nc;
	struct model *m = NULL, *m2 = NULL;
	struct model_pred p;
	struct feat_hist h[2];
	struct obs *o;
	const char *wpath = NULL, *core = NULL;
	char *cause = NULL, *instr, tmp[64];
	double *tot, *cpu, *fe, *ne, *ld, *ldc, t0, c0;
	int rounds = 200, nmarks = 300, ch, i, loads = 10, rc = 1, T;
	struct feat_step *s = NULL;

	while ((ch = getopt(argc, argv, "n:k:m:")) != -1) {
		switch (ch) {
		case 'n':
			rounds = atoi(optarg);
			break;
		case 'k':
			nmarks = atoi(optarg);
			break;
		case 'm':
			wpath = optarg;
			break;
		default:
			fprintf(stderr, "usage: bench/model [-n rounds] "
			    "[-k marks] [-m weights.wnm]\n");
			return 2;
		}
	}
	if (rounds < 1 || nmarks < 1 || nmarks > OBS_MAX_MARKS) {
		fprintf(stderr, "bench/model: bad -n or -k\n");
		return 2;
	}
	/*
	 * The kernel OpenBLAS chose.  OPENBLAS_CORETYPE is left as the
	 * machine has it: forcing a kernel on a CPU OpenBLAS does not know
	 * can compute wrong results.
	 */
	core = openblas_get_corename();
	openblas_set_num_threads(1);
	feat_default_config(&fc);
	nn_default_config(&nc);
	snprintf(tmp, sizeof(tmp), "/tmp/bench-model.XXXXXX");
	if (wpath == NULL) {
		if (model_new(&fc, &nc, 1, &m, &cause) != 0 ||
		    mkdtemp(tmp) == NULL)
			goto out;
		strncat(tmp, "/w.wnm", sizeof(tmp) - strlen(tmp) - 1);
		if (model_save(m, tmp, 0, &cause) != 0)
			goto out;
		model_free(m);
		m = NULL;
		wpath = tmp;
	}

	/* Weights load: median of several. */
	ld = xcalloc((size_t)loads, sizeof(double));
	ldc = xcalloc((size_t)loads, sizeof(double));
	for (i = 0; i < loads; i++) {
		t0 = now_ms();
		c0 = cpu_ms();
		if (model_load(wpath, &m2, &cause) != 0)
			goto out;
		ldc[i] = cpu_ms() - c0;
		ld[i] = now_ms() - t0;
		if (i < loads - 1) {
			model_free(m2);
			m2 = NULL;
		}
	}
	m = m2;

	/* A page and a 48-token instruction. */
	o = make_page(nmarks);
	instr = xstrdup("Search for a hotel in New York from March 12 to "
	    "March 19 for two adults, then sort the results by price from "
	    "low to high, open the first deal with at least 4.5 stars and "
	    "type \"late arrival after 11 pm\" into the special requests "
	    "field before you click submit");
	memset(h, 0, sizeof(h));
	h[0].op = ACT_CLICK;
	h[0].desc = "[link] Hotels";
	h[1].op = ACT_TYPE;
	h[1].desc = "[textbox] Destination";
	h[1].value = "New York";
	if (feat_step_build(&fc, instr, h, 2, o, NULL, &s, &cause) != 0)
		goto out;
	T = s->T;
	feat_step_free(s);

	tot = xcalloc((size_t)rounds, sizeof(double));
	cpu = xcalloc((size_t)rounds, sizeof(double));
	fe = xcalloc((size_t)rounds, sizeof(double));
	ne = xcalloc((size_t)rounds, sizeof(double));
	/* Two warm-up rounds, not counted. */
	for (i = -2; i < rounds; i++) {
		t0 = now_ms();
		c0 = cpu_ms();
		if (model_predict(m, instr, h, 2, o, NULL, &p, &cause) != 0)
			goto out;
		if (i >= 0) {
			cpu[i] = cpu_ms() - c0;
			tot[i] = now_ms() - t0;
			fe[i] = p.feat_ms;
			ne[i] = p.net_ms;
		}
		model_pred_clear(&p);
	}
	/* Components alone, CPU time. */
	for (i = 0; i < rounds; i++) {
		struct feat_step *st = NULL;
		const nn_real *sc;

		c0 = cpu_ms();
		if (feat_step_build(&fc, instr, h, 2, o, NULL, &st,
		    &cause) != 0)
			goto out;
		fe[i] = cpu_ms() - c0;
		c0 = cpu_ms();
		if (nn_forward(model_run(m), st, &sc) != 0)
			goto out;
		ne[i] = cpu_ms() - c0;
		feat_step_free(st);
	}
	printf("| bench/model (1 BLAS thread, %d marks, %d-token "
	    "instruction, %d rounds) | median | p95 |\n", nmarks, T, rounds);
	printf("|---|---|---|\n");
	printf("| prediction, features included (CPU time) | %.2f ms | "
	    "%.2f ms |\n", quantile(cpu, rounds, 0.5),
	    quantile(cpu, rounds, 0.95));
	printf("| prediction, features included (wall) | %.2f ms | %.2f ms |\n",
	    quantile(tot, rounds, 0.5), quantile(tot, rounds, 0.95));
	printf("| features alone (CPU time) | %.2f ms | %.2f ms |\n",
	    quantile(fe, rounds, 0.5), quantile(fe, rounds, 0.95));
	printf("| network forward alone (CPU time) | %.2f ms | %.2f ms |\n",
	    quantile(ne, rounds, 0.5), quantile(ne, rounds, 0.95));
	printf("| weights load, %s, %d loads (CPU time) | %.1f ms | "
	    "%.1f ms |\n", wpath == tmp ? "17 MB fp32" : wpath, loads,
	    quantile(ldc, loads, 0.5), quantile(ldc, loads, 0.95));
	printf("| weights load (wall) | %.1f ms | %.1f ms |\n",
	    quantile(ld, loads, 0.5), quantile(ld, loads, 0.95));
	printf("\nparameters: %zu; OpenBLAS core %s%s; load average %s\n",
	    nn_nparams(model_nn(m)), core,
	    getenv("OPENBLAS_CORETYPE") != NULL ? " (OPENBLAS_CORETYPE)" : "",
	    loadavg());
	rc = 0;
	free(tot);
	free(cpu);
	free(fe);
	free(ne);
	free(ld);
	free(ldc);
	free(instr);
	obs_free(o);
out:
	if (rc != 0)
		fprintf(stderr, "bench/model: %s\n", cause ? cause : "failed");
	free(cause);
	model_free(m);
	if (wpath == tmp) {
		(void)unlink(tmp);
		*strrchr(tmp, '/') = '\0';
		(void)rmdir(tmp);
	}
	return rc;
}
