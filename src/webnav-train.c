/*
 * webnav-train.c: "webnav train" (the built-in model's trainer) and
 * "webnav bench gym" (policies on generated pages) on the command line.
 *
 *   webnav train [options]          collect, train, DAgger, save
 *   webnav bench gym [options]      held-out families and phrasings
 *
 * Both launch one headless Chromium (or attach to --endpoint) and serve
 * the generator (model/gen) on loopback.  The work itself is in
 * model/gym*.c.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cblas.h>
#include <cjson/cJSON.h>

#include "action.h"
#include "cdp.h"
#include "err.h"
#include "log.h"
#include "site.h"
#include "xmalloc.h"
#include "util.h"
#include "observe.h"
#include "features.h"
#include "model.h"
#include "nn.h"
#include "gym.h"
#include "webnav-train.h"

enum {
	EXIT_OK = 0,
	EXIT_TASK = 1,
	EXIT_USAGE = 2,
	EXIT_INFRA = 3
};

#define TRAIN_MAX_ROUNDS	8
#define TRAIN_ROUND_SPAN	10000000u	/* episode numbers per round */

static volatile sig_atomic_t train_interrupted;
static volatile int train_cancel;

/* SIGINT and SIGTERM: stop at the next step. */
static void
train_on_signal(int sig)
{
	(void)sig;
	train_interrupted = 1;
	train_cancel = 1;
}

/* Installs the signal handlers; SIGPIPE is ignored. */
static void
set_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = train_on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* A progress bar on a terminal, else a line every tenth. */
struct bar {
	int	 tty;
	int	 quiet;
	int	 last;
	double	 t0;
	const char *what;
};

/* Shows progress: a bar on a terminal, else a line every tenth. */
static void
bar_cb(void *arg, size_t done, size_t total, size_t samples, const char *what)
{
	struct bar *b = arg;
	char cells[31];
	double frac = total ? (double)done / (double)total : 1, el, eta;
	int i, fill, pct = (int)(frac * 100);

	if (b->quiet)
		return;
	el = util_now_s() - b->t0;
	eta = frac > 0.001 ? el / frac - el : 0;
	if (b->tty) {
		fill = (int)(frac * 30);
		for (i = 0; i < 30; i++)
			cells[i] = i < fill ? '#' : '.';
		cells[30] = '\0';
		fprintf(stderr, "\r\033[K%s [%s] %zu/%zu", b->what, cells, done,
		    total);
		if (samples > 0)
			fprintf(stderr, " %zu samples", samples);
		fprintf(stderr, " %.0fs left  %.30s", eta, what);
	} else if (pct / 10 != b->last / 10 || done == total) {
		fprintf(stderr, "%s %zu/%zu", b->what, done, total);
		if (samples > 0)
			fprintf(stderr, ", %zu samples", samples);
		fprintf(stderr, ", %.0f s\n", el);
	}
	b->last = pct;
	fflush(stderr);
}

/* Clears the bar's line. */
static void
bar_end(struct bar *b)
{
	if (b->tty && !b->quiet)
		fputs("\r\033[K", stderr);
}

/* Parses a positive integer option in [lo, hi]. */
static int
num_opt(const char *name, const char *s, long lo, long hi, long *vp)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < lo || v > hi) {
		log_warnx("--%s takes %ld to %ld", name, lo, hi);
		return -1;
	}
	*vp = v;
	return 0;
}

/*
 * Parses --drop F,L,W[,S]: three or four percentages, 0 to 90 (the
 * fourth, the synonym swap, keeps its default if absent).
 */
static int
drop_opt(const char *s, long drop[4])
{
	char *end;
	long v[4];
	int i;

	memcpy(v, drop, sizeof(v));
	for (i = 0; i < 4; i++) {
		errno = 0;
		v[i] = strtol(s, &end, 10);
		if (errno != 0 || end == s || v[i] < 0 || v[i] > 90 ||
		    (*end == ',' ? i == 3 : *end != '\0' || i < 2)) {
			log_warnx("--drop takes three or four percentages 0 "
			    "to 90, as F,L,W[,S]");
			return -1;
		}
		if (*end == '\0')
			break;
		s = end + 1;
	}
	memcpy(drop, v, sizeof(v));
	return 0;
}

/* Starts or attaches the browser; *wsp is its endpoint (allocated). */
static int
browser_start(const char *endpoint, const char *chromium,
    struct cdp_browser **bp, char **wsp, char **causep)
{
	struct cdp_launch_params lp;
	int r;

	*bp = NULL;
	*wsp = NULL;
	if (endpoint != NULL)
		return cdp_discover(endpoint, 10000, wsp, causep);
	cdp_launch_default_params(&lp);
	lp.executable = chromium;
	if ((r = cdp_browser_launch(&lp, bp, causep)) != 0)
		return r;
	*wsp = xstrdup(cdp_browser_ws_url(*bp));
	return 0;
}

/* The directory part of path ("." if none); allocated. */
static char *
dir_of(const char *path)
{
	const char *s = strrchr(path, '/');

	if (s == NULL)
		return xstrdup(".");
	if (s == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(s - path));
}

/* The usage lines of "webnav train". */
static void
train_usage(FILE *f)
{
	fprintf(f,
	    "usage: webnav train [-qv] [-o FILE] [-d DIR] [-n EPISODES] "
	    "[-E EPOCHS] [-s SEED]\n"
	    "                    [-t THREADS] [-w WORKERS] [--dagger ROUNDS] "
	    "[--reuse]\n"
	    "                    [--collect-only] [--family NAME] "
	    "[--endpoint URL]\n");
}

/* The help of "webnav train". */
static void
train_help(void)
{
	train_usage(stdout);
	printf("\n"
	    "Trains the built-in model on pages of the generator (model/gen)\n"
	    "rendered in Chromium and observed as at inference time: round 0\n"
	    "follows the oracle, each DAgger round lets the model act and the\n"
	    "oracle label the states it reaches.\n"
	    "\n"
	    "  -o, --out FILE         weights to write (default\n"
	    "                         model/weights/default.wnm)\n"
	    "  -d, --data DIR         samples, curves.csv and curves.png\n"
	    "                         (default gym-data)\n"
	    "  -n, --episodes N       round-0 episodes (default 8000)\n"
	    "      --val-episodes N   held-out episodes, for validation only\n"
	    "                         (default 400)\n"
	    "  -E, --epochs E         round-0 epochs (default 6)\n"
	    "      --dagger R         DAgger rounds (default 2)\n"
	    "      --dagger-episodes N  episodes per round (default 3000)\n"
	    "      --dagger-epochs E  epochs after each round (default 3)\n"
	    "      --beta P           share of steps the model acts, in\n"
	    "                         percent (default 50)\n"
	    "  -s, --seed S           seed of everything (default 1)\n"
	    "  -t, --threads T        training threads (default 2)\n"
	    "  -w, --workers W        pages in parallel while collecting\n"
	    "                         (default 2)\n"
	    "      --max-steps N      steps per episode (default 30)\n"
	    "      --batch B          steps per update (default 32)\n"
	    "      --drop F,L,W[,S]   dropout in percent: a mark's text, a\n"
	    "                         mark's lexical features, a word of the\n"
	    "                         instruction; S: steps whose instruction\n"
	    "                         has a word swapped for a synonym\n"
	    "                         (default 10,10,20,25)\n"
	    "      --reuse            keep sample files already in DIR\n"
	    "      --collect-only     collect round 0 and stop\n"
	    "      --family NAME      only this family (debugging)\n"
	    "      --dump FILE        print the samples of a file and exit\n"
	    "      --errors FILE      print the held-out samples of FILE the\n"
	    "                         model of -o gets wrong, and exit\n"
	    "      --episode FAMILY:SEED[:SPLIT]  follow the oracle through\n"
	    "                         one generated page, printing each step\n"
	    "      --plot FILE.csv    draw the curves of FILE.csv again, as\n"
	    "                         FILE.png\n"
	    "  -e, --endpoint URL     attach to a running browser\n"
	    "      --chromium PATH\n"
	    "  -q, --quiet            no progress output\n"
	    "  -v, --verbose          debug logging\n");
}

/* Prints the samples of a file, one line each (--dump). */
static int
dump_samples(const char *path)
{
	struct gym_data *d = NULL;
	struct gym_sample s;
	const struct mark *m;
	char *cause = NULL;
	size_t i;
	int r, k;

	if ((r = gym_data_load(&path, 1, &d, &cause)) != 0) {
		log_warnx("%s", cause != NULL ? cause : err_str(r));
		free(cause);
		return EXIT_USAGE;
	}
	for (i = 0; i < gym_data_count(d); i++) {
		if (gym_data_get(d, i, &s) != 0)
			continue;
		printf("%u/%u %s%s%s %s \"%s\" [%zu marks, %zu hist] ->",
		    s.episode, s.step, gym_families[s.family %
		    gym_nfamilies].name, s.flags & GYM_F_HELD_PHRASE ?
		    " (held phrasing)" : s.flags & GYM_F_HELD_FAMILY ?
		    " (held family)" : "", s.flags & GYM_F_DAGGER ?
		    " dagger" : "", s.tpl, s.instr, s.obs->nmarks, s.nhist);
		for (k = 0; k < s.ngold; k++) {
			if (s.gold[k] == GYM_GOLD_DONE)
				printf(" DONE");
			else if (s.gold[k] == GYM_GOLD_UP)
				printf(" SCROLL up");
			else if (s.gold[k] == GYM_GOLD_DOWN)
				printf(" SCROLL down");
			else if ((m = obs_mark(s.obs, s.gold[k])) != NULL)
				printf(" %s[%d %s \"%.40s\"]", k ? "| " : "",
				    m->id, m->role[0] ? m->role : m->tag,
				    m->text[0] ? m->text : m->label);
		}
		if (s.op == NN_OP_TYPE || s.op == NN_OP_SELECT)
			printf(" %s \"%s\"", s.op == NN_OP_TYPE ? "TYPE" :
			    "SELECT", s.value != NULL ? s.value : "");
		printf("\n");
		gym_sample_clear(&s);
	}
	gym_data_free(d);
	return EXIT_OK;
}

/* Prints the held-out samples the model gets wrong (--errors). */
static int
print_errors(const char *weights, const char *path)
{
	struct gym_data *d = NULL;
	struct model *m = NULL;
	char *cause = NULL;
	int r;

	openblas_set_num_threads(1);
	if ((r = model_load(weights, &m, &cause)) != 0 ||
	    (r = gym_data_load(&path, 1, &d, &cause)) != 0 ||
	    (r = gym_eval_print(m, d, GYM_F_HELD_FAMILY | GYM_F_HELD_PHRASE,
	    stdout, &cause)) != 0) {
		log_warnx("%s", cause != NULL ? cause : err_str(r));
		free(cause);
		model_free(m);
		gym_data_free(d);
		return EXIT_USAGE;
	}
	model_free(m);
	gym_data_free(d);
	return EXIT_OK;
}

/*
 * Runs one episode with the oracle, printing each step (--episode
 * FAMILY:SEED[:SPLIT]): for looking at a generated page's task.
 */
static int
show_episode(const char *spec, const char *endpoint, const char *chromium)
{
	struct cdp_browser *br = NULL;
	struct cdp_conn_params cp;
	struct cdp_page_params pp;
	struct cdp_conn *conn = NULL;
	struct cdp_page *page = NULL;
	struct site *site = NULL;
	struct obs_params op;
	struct gym_page gp;
	struct gym_gold g;
	struct obs *o = NULL;
	struct action a;
	const struct mark *m;
	char fam[64], sp[16] = "any", *ws = NULL, *cause = NULL, *base = NULL;
	char *txt;
	unsigned long long seed;
	int r, n, port, split, rc = EXIT_INFRA;

	memset(&gp, 0, sizeof(gp));
	if (sscanf(spec, "%63[a-z]:%llu:%15[a-z]", fam, &seed, sp) < 2 ||
	    gym_family_index(fam) < 0) {
		log_warnx("--episode takes FAMILY:SEED[:train|heldout|any]");
		return EXIT_USAGE;
	}
	split = strcmp(sp, "train") == 0 ? GYM_SPLIT_TRAIN :
	    strcmp(sp, "heldout") == 0 ? GYM_SPLIT_HELDOUT : GYM_SPLIT_ANY;
	cdp_conn_default_params(&cp);
	cdp_page_default_params(&pp);
	if (gym_dir() == NULL || (r = site_start(gym_dir(), &site, &port,
	    &cause)) != 0 || (r = browser_start(endpoint, chromium, &br, &ws,
	    &cause)) != 0 || (r = cdp_conn_open(ws, &cp, &conn,
	    &cause)) != 0 || (r = cdp_page_open(conn, &pp, &page)) != 0 ||
	    (r = obs_install(page)) != 0) {
		log_warnx("%s", cause != NULL ? cause : "cannot start");
		goto out;
	}
	base = xasprintf("http://127.0.0.1:%d", port);
	if ((r = gym_reset(page, base, fam, seed, split, &gp, &cause)) != 0) {
		log_warnx("%s", cause);
		goto out;
	}
	printf("%s seed %llu (%s, %s, %s): %s\n", fam, seed, gp.kind, gp.tpl,
	    gp.impl, gp.instr);
	obs_default_params(&op);
	op.screenshot = 0;
	for (n = 0; n < 40; n++) {
		if ((r = obs_capture(page, &op, &o, &cause)) != 0)
			break;
		if ((r = gym_oracle(page, o, &g, &cause)) != 0) {
			printf("%2d: %zu marks: %s\n", n, o->nmarks, cause);
			break;
		}
		memset(&a, 0, sizeof(a));
		a.op = g.op == GYM_CLICK ? ACT_CLICK : g.op == GYM_TYPE ?
		    ACT_TYPE : g.op == GYM_SELECT ? ACT_SELECT : g.op ==
		    GYM_SCROLL ? ACT_SCROLL : ACT_DONE;
		a.mark = g.mark;
		a.dir = g.dir;
		a.value = g.value != NULL ? xstrdup(g.value) : NULL;
		txt = action_format(&a);
		m = obs_mark(o, g.mark);
		printf("%2d: %zu marks: %s %s%s%s (%d alternatives) %s\n", n,
		    o->nmarks, txt, m != NULL ? "[" : "", m != NULL ?
		    (m->text[0] ? m->text : m->label) : "", m != NULL ? "]" :
		    "", g.nalts, g.why);
		free(txt);
		gym_gold_clear(&g);
		if (a.op == ACT_DONE) {
			rc = EXIT_OK;
			break;
		}
		if ((r = action_exec(page, o, &a, &cause)) != 0) {
			printf("    %s\n", cause);
			free(cause);
			cause = NULL;
		}
		action_clear(&a);
		obs_free(o);
		o = NULL;
		cdp_page_settle(page, 5000, NULL);
	}
	if (rc != EXIT_OK)
		rc = EXIT_TASK;
out:
	obs_free(o);
	gym_page_clear(&gp);
	cdp_page_free(page);
	cdp_conn_free(conn);
	cdp_browser_free(br);
	site_stop(site);
	free(base);
	free(ws);
	free(cause);
	return rc;
}

/* Draws curves CSV again beside it, as .png (--plot). */
static int
replot(const char *csv)
{
	char *png, *cause = NULL, *dot;
	int r;

	png = xasprintf("%s.png", csv);
	if ((dot = strrchr(png, '.')) != NULL && dot - png >= 4 &&
	    strncmp(dot - 4, ".csv", 4) == 0)
		memmove(dot - 4, dot, strlen(dot) + 1);
	if ((r = gym_plot(csv, png, &cause)) != 0) {
		log_warnx("%s", cause != NULL ? cause : err_str(r));
		free(cause);
		free(png);
		return EXIT_USAGE;
	}
	printf("wrote %s\n", png);
	free(png);
	return EXIT_OK;
}

struct topts {
	const char	*out;
	const char	*data;
	const char	*endpoint;
	const char	*chromium;
	const char	*family;
	long		 episodes, val_episodes, epochs, dagger, dagger_eps;
	long		 dagger_epochs, beta, seed, threads, workers, max_steps;
	long		 batch;
	long		 drop[4];	/* field, lexical, word dropout,
					   synonym swap, % */
	int		 reuse, collect_only, quiet;
};

/* Collects one round into path. */
static int
collect_round(const struct topts *o, const char *ws, const char *base,
    int round, struct model *m, const char *path, char **causep)
{
	struct gym_collect_params cp;
	struct gym_collect_stats st;
	struct bar b;
	FILE *f;
	char *tmp;
	int r;

	gym_collect_default_params(&cp);
	cp.wsurl = ws;
	cp.base = base;
	cp.episodes = (size_t)(round == 0 ? o->episodes : o->dagger_eps);
	cp.val_episodes = round == 0 ? (size_t)o->val_episodes : 0;
	cp.seed = (uint64_t)o->seed * 1000 + (uint64_t)round;
	cp.first_episode = (uint32_t)round * TRAIN_ROUND_SPAN;
	cp.workers = (int)o->workers;
	cp.max_steps = (int)o->max_steps;
	cp.model = m;
	cp.beta = (double)o->beta / 100.0;
	cp.cancel = &train_cancel;
	if (o->family != NULL)
		cp.only = gym_family_index(o->family);
	memset(&b, 0, sizeof(b));
	b.tty = isatty(STDERR_FILENO);
	b.quiet = o->quiet;
	b.t0 = util_now_s();
	b.what = round == 0 ? "collecting" : "DAgger";
	b.last = -1;
	cp.progress = bar_cb;
	cp.progress_arg = &b;
	tmp = xasprintf("%s.tmp", path);
	if ((f = fopen(tmp, "wb")) == NULL) {
		*causep = xasprintf("%s: %s", tmp, strerror(errno));
		free(tmp);
		return ERR_IO;
	}
	if ((r = gym_file_header(f)) == 0)
		r = gym_collect(&cp, f, &st, causep);
	bar_end(&b);
	if (fclose(f) != 0 && r == 0) {
		*causep = xasprintf("%s: write error", tmp);
		r = ERR_IO;
	}
	if (r == 0 && rename(tmp, path) != 0) {
		*causep = xasprintf("%s: %s", path, strerror(errno));
		r = ERR_IO;
	}
	if (r != 0)
		(void)unlink(tmp);
	free(tmp);
	if (!o->quiet)
		fprintf(stderr, "round %d: %zu episodes (%zu reached the goal, "
		    "%zu dropped: oracle failed), %zu samples in %.0f s "
		    "(%.1f samples/s)\n", round, st.episodes, st.reached,
		    st.failed, st.samples, st.seconds, st.seconds > 0 ?
		    (double)st.samples / st.seconds : 0);
	if (!o->quiet && st.samples > 0)
		fprintf(stderr, "round %d: per sample (ms, all workers): open "
		    "%.0f, observe %.0f, oracle %.0f, act %.0f, settle %.0f\n",
		    round, 1e3 * st.open_s / st.samples, 1e3 * st.observe_s /
		    st.samples, 1e3 * st.oracle_s / st.samples, 1e3 *
		    st.act_s / st.samples, 1e3 * st.settle_s / st.samples);
	return r;
}

/* "webnav train": collect, train, DAgger rounds, save. */
int
train_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "data", required_argument, NULL, 'd' },
		{ "episodes", required_argument, NULL, 'n' },
		{ "val-episodes", required_argument, NULL, 'V' },
		{ "epochs", required_argument, NULL, 'E' },
		{ "dagger", required_argument, NULL, 'D' },
		{ "dagger-episodes", required_argument, NULL, 'N' },
		{ "dagger-epochs", required_argument, NULL, 'P' },
		{ "beta", required_argument, NULL, 'B' },
		{ "seed", required_argument, NULL, 's' },
		{ "threads", required_argument, NULL, 't' },
		{ "workers", required_argument, NULL, 'w' },
		{ "max-steps", required_argument, NULL, 'M' },
		{ "batch", required_argument, NULL, 'b' },
		{ "drop", required_argument, NULL, 'K' },
		{ "reuse", no_argument, NULL, 'R' },
		{ "collect-only", no_argument, NULL, 'c' },
		{ "family", required_argument, NULL, 'f' },
		{ "dump", required_argument, NULL, 'U' },
		{ "errors", required_argument, NULL, 'X' },
		{ "episode", required_argument, NULL, 'Z' },
		{ "plot", required_argument, NULL, 'G' },
		{ "endpoint", required_argument, NULL, 'e' },
		{ "chromium", required_argument, NULL, 'C' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct topts o;
	struct cdp_browser *br = NULL;
	struct site *site = NULL;
	struct model *m = NULL;
	struct gym_data *data = NULL;
	struct gym_train_params tp;
	struct gym_train_result tr;
	struct feat_config fc;
	struct nn_config nc;
	struct stat sb;
	char *ws = NULL, *base = NULL, *cause = NULL, *curves = NULL;
	char *plot = NULL, *paths[TRAIN_MAX_ROUNDS + 1], *odir;
	const char *gdir;
	double t0 = util_now_s();
	long v, upd0 = 0;
	int ch, r, rc = EXIT_OK, round, port, nrounds, epoch0 = 0;

	memset(&o, 0, sizeof(o));
	memset(paths, 0, sizeof(paths));
	o.out = "model/weights/default.wnm";
	o.data = "gym-data";
	o.episodes = 8000;
	o.val_episodes = 400;
	o.epochs = 6;
	o.dagger = 2;
	o.dagger_eps = 3000;
	o.dagger_epochs = 3;
	o.beta = 50;
	o.seed = 1;
	o.threads = 2;
	o.workers = 2;
	o.max_steps = 30;
	o.batch = 32;
	o.drop[0] = 10;
	o.drop[1] = 10;
	o.drop[2] = 20;
	o.drop[3] = 25;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "o:d:n:E:s:t:w:e:qvh", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'o':
			o.out = optarg;
			break;
		case 'd':
			o.data = optarg;
			break;
		case 'n':
			if (num_opt("episodes", optarg, 1, 10000000, &v) != 0)
				return EXIT_USAGE;
			o.episodes = v;
			break;
		case 'V':
			if (num_opt("val-episodes", optarg, 0, 1000000,
			    &v) != 0)
				return EXIT_USAGE;
			o.val_episodes = v;
			break;
		case 'E':
			if (num_opt("epochs", optarg, 1, 1000, &v) != 0)
				return EXIT_USAGE;
			o.epochs = v;
			break;
		case 'D':
			if (num_opt("dagger", optarg, 0, TRAIN_MAX_ROUNDS,
			    &v) != 0)
				return EXIT_USAGE;
			o.dagger = v;
			break;
		case 'N':
			if (num_opt("dagger-episodes", optarg, 1, 10000000,
			    &v) != 0)
				return EXIT_USAGE;
			o.dagger_eps = v;
			break;
		case 'P':
			if (num_opt("dagger-epochs", optarg, 1, 1000, &v) != 0)
				return EXIT_USAGE;
			o.dagger_epochs = v;
			break;
		case 'B':
			if (num_opt("beta", optarg, 0, 100, &v) != 0)
				return EXIT_USAGE;
			o.beta = v;
			break;
		case 's':
			if (num_opt("seed", optarg, 0, LONG_MAX / 2000,
			    &v) != 0)
				return EXIT_USAGE;
			o.seed = v;
			break;
		case 't':
			if (num_opt("threads", optarg, 1, 8, &v) != 0)
				return EXIT_USAGE;
			o.threads = v;
			break;
		case 'w':
			if (num_opt("workers", optarg, 1, 4, &v) != 0)
				return EXIT_USAGE;
			o.workers = v;
			break;
		case 'M':
			if (num_opt("max-steps", optarg, 1, 200, &v) != 0)
				return EXIT_USAGE;
			o.max_steps = v;
			break;
		case 'b':
			if (num_opt("batch", optarg, 1, 4096, &v) != 0)
				return EXIT_USAGE;
			o.batch = v;
			break;
		case 'K':
			if (drop_opt(optarg, o.drop) != 0)
				return EXIT_USAGE;
			break;
		case 'R':
			o.reuse = 1;
			break;
		case 'c':
			o.collect_only = 1;
			break;
		case 'f':
			if (gym_family_index(optarg) < 0) {
				log_warnx("--family: unknown family \"%s\"",
				    optarg);
				return EXIT_USAGE;
			}
			o.family = optarg;
			break;
		case 'U':
			return dump_samples(optarg);
		case 'X':
			return print_errors(o.out, optarg);
		case 'Z':
			return show_episode(optarg, o.endpoint, o.chromium);
		case 'G':
			return replot(optarg);
		case 'e':
			o.endpoint = optarg;
			break;
		case 'C':
			o.chromium = optarg;
			break;
		case 'q':
			o.quiet = 1;
			break;
		case 'v':
			log_setlevel(LOG_LVL_DEBUG);
			break;
		case 'h':
			train_help();
			return EXIT_OK;
		default:
			train_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		train_usage(stderr);
		return EXIT_USAGE;
	}
	nrounds = o.collect_only ? 1 : 1 + (int)o.dagger;
	set_signals();
	openblas_set_num_threads(1);
	if (util_mkdirs(o.data) != 0) {
		log_warn("%s", o.data);
		return EXIT_USAGE;
	}
	curves = xasprintf("%s/curves.csv", o.data);
	plot = xasprintf("%s/curves.png", o.data);
	for (round = 0; round < nrounds; round++) {
		paths[round] = xasprintf("%s/round%d.bin", o.data, round);
		if (!(o.reuse && stat(paths[round], &sb) == 0)) {
			if (ws == NULL) {
				if ((gdir = gym_dir()) == NULL) {
					log_warnx("the generator's files "
					    "(model/gen) are missing: set "
					    "WEBNAV_GEN_DIR");
					rc = EXIT_INFRA;
					goto out;
				}
				if ((r = site_start(gdir, &site, &port,
				    &cause)) != 0 || (r = browser_start(
				    o.endpoint, o.chromium, &br, &ws,
				    &cause)) != 0) {
					log_warnx("%s", cause != NULL ? cause :
					    err_str(r));
					rc = EXIT_INFRA;
					goto out;
				}
				base = xasprintf("http://127.0.0.1:%d", port);
			}
			if ((r = collect_round(&o, ws, base, round, m,
			    paths[round], &cause)) != 0) {
				log_warnx("round %d: %s", round, cause != NULL ?
				    cause : err_str(r));
				rc = r == ERR_CANCELLED ? EXIT_TASK :
				    EXIT_INFRA;
				goto out;
			}
		} else if (!o.quiet)
			fprintf(stderr, "round %d: reusing %s\n", round,
			    paths[round]);
		if (o.collect_only)
			break;
		gym_data_free(data);
		data = NULL;
		if ((r = gym_data_load((const char *const *)paths,
		    (size_t)round + 1, &data, &cause)) != 0) {
			log_warnx("%s", cause != NULL ? cause : err_str(r));
			rc = EXIT_INFRA;
			goto out;
		}
		if (m == NULL) {
			feat_default_config(&fc);
			nn_default_config(&nc);
			if ((r = model_new(&fc, &nc, (uint64_t)o.seed, &m,
			    &cause)) != 0) {
				log_warnx("%s", cause);
				rc = EXIT_INFRA;
				goto out;
			}
		}
		gym_train_default_params(&tp);
		tp.epochs = (int)(round == 0 ? o.epochs : o.dagger_epochs);
		tp.batch = (int)o.batch;
		tp.field_drop = (double)o.drop[0] / 100.0;
		tp.lex_drop = (double)o.drop[1] / 100.0;
		tp.word_drop = (double)o.drop[2] / 100.0;
		tp.syn_swap = (double)o.drop[3] / 100.0;
		tp.threads = (int)o.threads;
		tp.seed = (uint64_t)o.seed * 1000 + (uint64_t)round;
		tp.curves = curves;
		tp.plot = plot;
		tp.append = round > 0;
		tp.update0 = upd0;
		tp.epoch0 = epoch0;
		tp.progress = !o.quiet;
		tp.cancel = &train_cancel;
		if (round > 0) {
			/* Fine-tuning: shorter warm-up, lower peak. */
			tp.warmup = 50;
			tp.lr *= 0.5;
			tp.lr_emb *= 0.5;
		}
		if (!o.quiet)
			fprintf(stderr, "round %d: training on %zu samples "
			    "(rounds 0-%d)\n", round, gym_data_count(data),
			    round);
		if ((r = gym_train(m, data, &tp, &tr, &cause)) != 0) {
			log_warnx("training: %s", cause != NULL ? cause :
			    err_str(r));
			rc = r == ERR_CANCELLED ? EXIT_TASK : EXIT_INFRA;
			goto out;
		}
		upd0 += tr.updates;
		epoch0 += tp.epochs;
		odir = dir_of(o.out);
		if (util_mkdirs(odir) != 0) {
			log_warn("%s", odir);
			free(odir);
			rc = EXIT_USAGE;
			goto out;
		}
		free(odir);
		if ((r = model_save(m, o.out, 1, &cause)) != 0) {
			log_warnx("%s", cause != NULL ? cause : err_str(r));
			rc = EXIT_INFRA;
			goto out;
		}
		if (!o.quiet)
			fprintf(stderr, "round %d: wrote %s (train loss %.4f, "
			    "held-out step accuracy %.3f families, %.3f "
			    "phrasings)\n", round, o.out, tr.train_loss,
			    tr.val_acc_family, tr.val_acc_phrase);
	}
	if (!o.quiet)
		fprintf(stderr, "done in %.0f s; curves: %s, %s\n",
		    util_now_s() - t0, curves, plot);
out:
	if (train_interrupted && rc == EXIT_OK)
		rc = EXIT_TASK;
	gym_data_free(data);
	model_free(m);
	cdp_browser_free(br);
	site_stop(site);
	for (round = 0; round <= TRAIN_MAX_ROUNDS; round++)
		free(paths[round]);
	free(ws);
	free(base);
	free(cause);
	free(curves);
	free(plot);
	return rc;
}

/* ---------------------------------------------------------------------- */
/* webnav bench gym                                                       */

/* The usage lines of "webnav bench gym". */
static void
gym_usage(FILE *f)
{
	fprintf(f,
	    "usage: webnav bench gym [-jq] [-p POLICY[,...]] [-n EPISODES] "
	    "[-m WEIGHTS]\n"
	    "                        [--seed S] [--max-steps N] [-o DIR]\n");
}

/* "webnav bench gym": the policies on held-out episodes. */
int
bench_gym_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "episodes", required_argument, NULL, 'n' },
		{ "model", required_argument, NULL, 'm' },
		{ "seed", required_argument, NULL, 's' },
		{ "max-steps", required_argument, NULL, 'M' },
		{ "out", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "endpoint", required_argument, NULL, 'e' },
		{ "chromium", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct gym_bench_params bp;
	struct cdp_browser *br = NULL;
	struct cdp_conn_params cp;
	struct cdp_conn *conn = NULL;
	struct bar b;
	const char *names[16], *policies = "ranker,lexical", *out = NULL;
	const char *endpoint = NULL, *chromium = NULL;
	char *pbuf = NULL, *tok, *save = NULL, *ws = NULL, *cause = NULL;
	char *txt, *path;
	cJSON *res = NULL;
	FILE *f;
	long v;
	size_t n = 0;
	int ch, r, rc = EXIT_OK, json = 0;

	gym_bench_default_params(&bp);
	memset(&b, 0, sizeof(b));
	/* argv[0] "bench", argv[1] "gym". */
	argc--;
	argv++;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "p:n:m:s:o:jqve:h", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'p':
			policies = optarg;
			break;
		case 'n':
			if (num_opt("episodes", optarg, 1, 1000000, &v) != 0)
				return EXIT_USAGE;
			bp.episodes = (size_t)v;
			break;
		case 'm':
			bp.model_path = optarg;
			break;
		case 's':
			if (num_opt("seed", optarg, 0, LONG_MAX / 8000,
			    &v) != 0)
				return EXIT_USAGE;
			bp.seed = (uint64_t)v;
			break;
		case 'M':
			if (num_opt("max-steps", optarg, 1, 200, &v) != 0)
				return EXIT_USAGE;
			bp.max_steps = (int)v;
			break;
		case 'o':
			out = optarg;
			break;
		case 'j':
			json = 1;
			break;
		case 'q':
			b.quiet = 1;
			break;
		case 'v':
			log_setlevel(LOG_LVL_DEBUG);
			break;
		case 'e':
			endpoint = optarg;
			break;
		case 'C':
			chromium = optarg;
			break;
		case 'h':
			gym_usage(stdout);
			printf("\n"
			    "Runs each policy on the same generated episodes: "
			    "held-out phrasings of\nthe training families and "
			    "held-out families, EPISODES each (default\n250); "
			    "prints the success rates as markdown.  -m names "
			    "the ranker's\nweights (default: $WEBNAV_MODEL, "
			    "then the bundled model).\n");
			return EXIT_OK;
		default:
			gym_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		gym_usage(stderr);
		return EXIT_USAGE;
	}
	pbuf = xstrdup(policies);
	for (tok = strtok_r(pbuf, ",", &save); tok != NULL && n < 16;
	    tok = strtok_r(NULL, ",", &save))
		if (*tok != '\0')
			names[n++] = tok;
	if (n == 0) {
		log_warnx("--policy: no policy named");
		free(pbuf);
		return EXIT_USAGE;
	}
	bp.policies = names;
	bp.npolicies = n;
	set_signals();
	openblas_set_num_threads(1);
	if ((r = browser_start(endpoint, chromium, &br, &ws, &cause)) != 0) {
		log_warnx("browser: %s", cause != NULL ? cause : err_str(r));
		rc = EXIT_INFRA;
		goto out;
	}
	cdp_conn_default_params(&cp);
	if ((r = cdp_conn_open(ws, &cp, &conn, &cause)) != 0) {
		log_warnx("browser: %s", cause != NULL ? cause : err_str(r));
		rc = EXIT_INFRA;
		goto out;
	}
	b.tty = isatty(STDERR_FILENO);
	b.t0 = util_now_s();
	b.what = "bench gym";
	b.last = -1;
	bp.progress = bar_cb;
	bp.progress_arg = &b;
	bp.cancel = &train_cancel;
	r = gym_bench_run(conn, &bp, &res, &cause);
	bar_end(&b);
	if (r != 0) {
		log_warnx("%s", cause != NULL ? cause : err_str(r));
		rc = r == ERR_CANCELLED ? EXIT_TASK : r == ERR_NOTFOUND ||
		    r == ERR_INVALID || r == ERR_FORMAT ? EXIT_USAGE :
		    EXIT_INFRA;
		goto out;
	}
	txt = gym_bench_markdown(res);
	if (out != NULL) {
		if (util_mkdirs(out) != 0) {
			log_warn("%s", out);
			rc = EXIT_USAGE;
			free(txt);
			goto out;
		}
		path = xasprintf("%s/results.json", out);
		if ((f = fopen(path, "w")) != NULL) {
			char *j = cJSON_Print(res);

			fputs(j, f);
			fputc('\n', f);
			cJSON_free(j);
			if (fclose(f) != 0)
				log_warn("%s", path);
		} else
			log_warn("%s", path);
		free(path);
		path = xasprintf("%s/results.md", out);
		if ((f = fopen(path, "w")) != NULL) {
			fputs(txt, f);
			if (fclose(f) != 0)
				log_warn("%s", path);
		} else
			log_warn("%s", path);
		free(path);
	}
	if (json) {
		char *j = cJSON_Print(res);

		printf("%s\n", j);
		cJSON_free(j);
	} else
		fputs(txt, stdout);
	free(txt);
out:
	if (train_interrupted && rc == EXIT_OK)
		rc = EXIT_TASK;
	cJSON_Delete(res);
	cdp_conn_free(conn);
	cdp_browser_free(br);
	free(ws);
	free(pbuf);
	free(cause);
	return rc;
}
