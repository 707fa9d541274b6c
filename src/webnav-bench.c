/*
 * webnav-bench.c: "webnav bench", the benchmark harnesses (agent/bench.h)
 * on the command line.
 *
 *   webnav bench mind2web [options] FILE...   offline Mind2Web metrics
 *   webnav bench suite [options] SUITE|DIR    live tasks in Chromium
 *
 * Launches one headless Chromium (or attaches to --endpoint) for the whole
 * run, shows a progress bar on a terminal, prints a table (or JSON) and,
 * with --out, writes results.json (with the date, the machine and the
 * command line) beside the per-step or per-run details.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/utsname.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "bench.h"
#include "buf.h"
#include "cdp.h"
#include "err.h"
#include "log.h"
#include "policy.h"
#include "webnav-bench.h"
#include "webnav-train.h"
#include "xmalloc.h"
#include "util.h"

enum {
	EXIT_OK = 0,
	EXIT_TASK = 1,
	EXIT_USAGE = 2,
	EXIT_INFRA = 3
};

#define BENCH_MAX_POLICIES	16

struct bopts {
	const char	*policies;	/* comma-separated */
	const char	*out;
	const char	*endpoint;
	const char	*chromium;
	const char	*site;
	const char	*scripted;
	const char	*replay;
	const char	*model;
	int		 json;
	int		 quiet;
	int		 strict;
	int		 top_k;
	int		 html_raw;
	long		 limit;
	char		*cmdline;
};

/* The progress bar's state. */
struct bar {
	int	tty;
	int	lines;		/* not a terminal: one line per unit */
	int	drawn;
	size_t	last;		/* units already reported as lines */
	double	t0;
};

static volatile sig_atomic_t bench_interrupted;

/* SIGINT, SIGTERM: stop after the current run or step. */
static void
bench_on_signal(int sig)
{
	(void)sig;
	bench_interrupted = 1;
}

/* Prints the usage lines. */
static void
bench_usage(FILE *f)
{
	fprintf(f,
	    "usage: webnav bench mind2web [-jq] [-p POLICY[,...]] [-k K] "
	    "[--html cleaned|raw]\n"
	    "                    [-n STEPS] [-o DIR] FILE...\n"
	    "       webnav bench suite [-jq] [-p POLICY[,...]] [-s SITE] "
	    "[--scripted DIR]\n"
	    "                    [--strict] [-o DIR] SUITE.json|DIR\n"
	    "       webnav bench gym [options]  (webnav bench gym --help)\n");
}

/* Prints the usage and the options. */
static void
bench_help(void)
{
	bench_usage(stdout);
	printf("\n"
	    "  mind2web FILE...   score policies on Mind2Web-format files (task\n"
	    "                     records or Multimodal-Mind2Web rows): element\n"
	    "                     accuracy, operation F1, step and task success,\n"
	    "                     micro and macro, beside the first-candidate "
	    "floor\n"
	    "  suite SUITE        run a suite of task files on its local site with\n"
	    "                     each policy: success rate, mean steps, seconds\n"
	    "                     per step\n"
	    "\n"
	    "  -p, --policy LIST  policies to compare, comma-separated (default\n"
	    "                     lexical)\n"
	    "  -k, --top-k K      mind2web: only candidates ranked below K (the\n"
	    "                     published setting is 50)\n"
	    "      --html WHICH   mind2web: cleaned (default) or raw HTML\n"
	    "  -n, --limit N      mind2web: stop after N steps\n"
	    "  -s, --site DIR     suite: serve DIR instead of the suite's "
	    "site_root\n"
	    "      --scripted DIR suite: run each task's reference script from DIR\n"
	    "      --replay DIR   suite: recorded run for policy replay\n"
	    "  -m, --model PATH   weights for policy ranker\n"
	    "      --strict       suite: exit 1 unless every run succeeded\n"
	    "  -o, --out DIR      write results.json (and steps.jsonl, or the\n"
	    "                     runs' trajectories) to DIR\n"
	    "  -j, --json         print the results as JSON\n"
	    "  -q, --quiet        no progress output\n"
	    "  -e, --endpoint URL attach to a running browser\n"
	    "      --chromium PATH\n"
	    "  -v, --verbose      debug logging\n");
}

/* Draws the bar (terminal) or prints a line (otherwise). */
static void
bar_progress(void *arg, const struct bench_progress *p)
{
	struct bar *b = arg;
	char cells[31], left[32];
	double frac = p->total > 0 ? (double)p->done / (double)p->total : 0;
	double el = util_now_s() - b->t0, eta;
	size_t i, fill;

	if (frac > 1)
		frac = 1;
	if (b->tty) {
		fill = (size_t)(frac * 30);
		for (i = 0; i < 30; i++)
			cells[i] = i < fill ? '#' : '.';
		cells[30] = '\0';
		eta = frac > 0.01 ? el / frac - el : -1;
		if (eta >= 0)
			snprintf(left, sizeof(left), "%4lds left",
			    (long)(eta < 1e6 ? eta : 1e6));
		else
			snprintf(left, sizeof(left), "          ");
		fprintf(stderr, "\r\033[K[%s] %3.0f%% %s  %.60s", cells,
		    frac * 100, left, p->label != NULL ? p->label : "");
		b->drawn = 1;
	} else if (b->lines && p->done > b->last) {
		/* One line per finished run, not per step. */
		fprintf(stderr, "[%zu/%zu] %s\n", p->done, p->total,
		    p->label != NULL ? p->label : "");
		b->last = p->done;
	}
	fflush(stderr);
}

/* Clears the progress bar from the terminal. */
static void
bar_end(struct bar *b)
{
	if (b->tty && b->drawn)
		fprintf(stderr, "\r\033[K");
}

/* Writes text to dir/name; logs a failure. */
static int
write_text(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f;
	int r = 0;

	if ((f = fopen(path, "w")) == NULL ||
	    fputs(text, f) == EOF || fputc('\n', f) == EOF) {
		log_warn("%s", path);
		r = -1;
	}
	if (f != NULL && fclose(f) == EOF && r == 0) {
		log_warn("%s", path);
		r = -1;
	}
	free(path);
	return r;
}

/* The CPU model from /proc/cpuinfo (allocated), or "unknown". */
static char *
cpu_model(void)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[512], *c, *s = NULL;

	while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, "model name", 10) != 0 ||
		    (c = strchr(line, ':')) == NULL)
			continue;
		c++;
		c += strspn(c, " \t");
		c[strcspn(c, "\n")] = '\0';
		s = xstrdup(c);
		break;
	}
	if (f != NULL)
		fclose(f);
	return s != NULL ? s : xstrdup("unknown");
}

/* Adds "date", "machine" and "command" to a result. */
static void
add_context(cJSON *res, const struct bopts *o, struct cdp_conn *conn)
{
	struct utsname u;
	cJSON *m, *v = NULL, *pv;
	time_t now = time(NULL);
	struct tm tm;
	char ts[64], *cpu;

	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	cJSON_AddStringToObject(res, "date", ts);
	m = cJSON_AddObjectToObject(res, "machine");
	cpu = cpu_model();
	cJSON_AddStringToObject(m, "cpu", cpu);
	free(cpu);
	cJSON_AddNumberToObject(m, "cores", (double)sysconf(
	    _SC_NPROCESSORS_ONLN));
	if (uname(&u) == 0) {
		char *k = xasprintf("%s %s %s", u.sysname, u.release,
		    u.machine);

		cJSON_AddStringToObject(m, "kernel", k);
		free(k);
	}
	if (cdp_call(conn, NULL, "Browser.getVersion", NULL, 10000, &v) == 0 &&
	    cJSON_IsString(pv = cJSON_GetObjectItemCaseSensitive(v,
	    "product")))
		cJSON_AddStringToObject(m, "browser", pv->valuestring);
	cJSON_Delete(v);
	cJSON_AddStringToObject(res, "command", o->cmdline);
}

/* Starts or attaches the browser. */
static int
browser_open(const struct bopts *o, struct cdp_browser **bp,
    struct cdp_conn **connp, char **causep)
{
	struct cdp_launch_params lp;
	struct cdp_conn_params cp;
	char *ws = NULL;
	int r;

	*bp = NULL;
	*connp = NULL;
	if (o->endpoint != NULL) {
		if ((r = cdp_discover(o->endpoint, 10000, &ws, causep)) != 0)
			return r;
	} else {
		cdp_launch_default_params(&lp);
		lp.executable = o->chromium;
		if ((r = cdp_browser_launch(&lp, bp, causep)) != 0)
			return r;
		ws = xstrdup(cdp_browser_ws_url(*bp));
	}
	cdp_conn_default_params(&cp);
	r = cdp_conn_open(ws, &cp, connp, causep);
	free(ws);
	return r;
}

/* Splits the policy list; *np names (pointers into the copy *bufp). */
static int
split_policies(const char *list, char **bufp, const char **names,
    size_t *np)
{
	char *buf = xstrdup(list), *tok, *save = NULL;
	size_t n = 0;

	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		tok += strspn(tok, " ");
		if (*tok == '\0')
			continue;
		if (n == BENCH_MAX_POLICIES) {
			free(buf);
			return -1;
		}
		names[n++] = tok;
	}
	if (n == 0) {
		free(buf);
		return -1;
	}
	*bufp = buf;
	*np = n;
	return 0;
}

/* Exit status for an error code from a harness. */
static int
exit_for(int r)
{
	switch (r) {
	case ERR_PARSE:
	case ERR_INVALID:
	case ERR_TOOBIG:
	case ERR_NOTFOUND:
	case ERR_FORMAT:
		return EXIT_USAGE;
	case ERR_CANCELLED:
		return EXIT_TASK;
	default:
		return EXIT_INFRA;
	}
}

/* Prints a result as indented JSON. */
static void
print_json(const cJSON *res)
{
	char *txt = cJSON_Print(res);

	printf("%s\n", txt);
	cJSON_free(txt);
}

/* "webnav bench mind2web FILE...". */
static int
bench_mind2web(struct bopts *o, int argc, char **argv)
{
	struct bench_m2w_run_params rp;
	struct policy *pols[BENCH_MAX_POLICIES];
	struct policy_params pp;
	struct cdp_browser *b = NULL;
	struct cdp_conn *conn = NULL;
	const char *names[BENCH_MAX_POLICIES];
	struct bar bar;
	cJSON *res = NULL;
	FILE *steps = NULL;
	char *pbuf = NULL, *cause = NULL, *txt, *path;
	size_t npols = 0, i;
	int r, rc = EXIT_OK;

	memset(pols, 0, sizeof(pols));
	if (argc < 1) {
		bench_usage(stderr);
		return EXIT_USAGE;
	}
	if (split_policies(o->policies, &pbuf, names, &npols) != 0) {
		log_warnx("--policy: give 1 to %d names", BENCH_MAX_POLICIES);
		return EXIT_USAGE;
	}
	policy_default_params(&pp);
	pp.replay_dir = o->replay;
	pp.model_path = o->model;
	for (i = 0; i < npols; i++)
		if ((r = policy_new(names[i], &pp, &pols[i], &cause)) != 0) {
			log_warnx("--policy: %s", cause != NULL ? cause :
			    err_str(r));
			rc = EXIT_USAGE;
			goto out;
		}
	bench_m2w_run_default_params(&rp);
	rp.read.top_k = o->top_k;
	rp.read.html = o->html_raw ? BENCH_M2W_RAW : BENCH_M2W_CLEANED;
	rp.max_steps = o->limit > 0 ? (size_t)o->limit : 0;
	rp.cancel = (volatile int *)&bench_interrupted;
	memset(&bar, 0, sizeof(bar));
	bar.tty = !o->quiet && isatty(STDERR_FILENO);
	bar.t0 = util_now_s();
	rp.progress = bar_progress;
	rp.progress_arg = &bar;
	if (o->out != NULL) {
		if (util_mkdirs(o->out) != 0) {
			log_warn("%s", o->out);
			rc = EXIT_USAGE;
			goto out;
		}
		path = xasprintf("%s/steps.jsonl", o->out);
		if ((steps = fopen(path, "w")) == NULL) {
			log_warn("%s", path);
			free(path);
			rc = EXIT_USAGE;
			goto out;
		}
		free(path);
		rp.steps_out = steps;
	}
	if ((r = browser_open(o, &b, &conn, &cause)) != 0) {
		log_warnx("browser: %s", cause != NULL ? cause : err_str(r));
		rc = EXIT_INFRA;
		goto out;
	}
	r = bench_m2w_run(conn, (const char *const *)argv, (size_t)argc, pols,
	    npols, &rp, &res, &cause);
	bar_end(&bar);
	if (r != 0) {
		log_warnx("%s", cause != NULL ? cause : err_str(r));
		rc = exit_for(r);
		goto out;
	}
	add_context(res, o, conn);
	if (o->out != NULL) {
		txt = cJSON_Print(res);
		write_text(o->out, "results.json", txt);
		cJSON_free(txt);
	}
	if (o->json)
		print_json(res);
	else {
		txt = bench_m2w_table(res);
		fputs(txt, stdout);
		free(txt);
	}
out:
	if (steps != NULL && fclose(steps) == EOF)
		log_warn("steps.jsonl");
	cJSON_Delete(res);
	for (i = 0; i < npols; i++)
		policy_free(pols[i]);
	cdp_conn_free(conn);
	cdp_browser_free(b);
	free(pbuf);
	free(cause);
	return rc;
}

/* 1 if every run in a suite result succeeded. */
static int
all_succeeded(const cJSON *res)
{
	const cJSON *P, *pols = cJSON_GetObjectItemCaseSensitive(res,
	    "policies");
	const cJSON *t, *s;

	cJSON_ArrayForEach(P, pols) {
		t = cJSON_GetObjectItemCaseSensitive(P, "tasks");
		s = cJSON_GetObjectItemCaseSensitive(P, "success");
		if (!cJSON_IsNumber(t) || !cJSON_IsNumber(s) ||
		    s->valuedouble < t->valuedouble)
			return 0;
	}
	return 1;
}

/* "webnav bench suite SUITE". */
static int
bench_suite(struct bopts *o, int argc, char **argv)
{
	struct bench_suite_params sp;
	struct bench_suite *s = NULL;
	struct cdp_browser *b = NULL;
	struct cdp_conn *conn = NULL;
	const char *names[BENCH_MAX_POLICIES];
	struct bar bar;
	cJSON *res = NULL;
	char *pbuf = NULL, *cause = NULL, *txt;
	size_t npols = 0;
	int r, rc = EXIT_OK;

	if (argc != 1) {
		bench_usage(stderr);
		return EXIT_USAGE;
	}
	if (split_policies(o->policies, &pbuf, names, &npols) != 0) {
		log_warnx("--policy: give 1 to %d names", BENCH_MAX_POLICIES);
		return EXIT_USAGE;
	}
	if ((r = bench_suite_load(argv[0], o->site, &s, &cause)) != 0) {
		log_warnx("%s", cause != NULL ? cause : err_str(r));
		rc = EXIT_USAGE;
		goto out;
	}
	bench_suite_default_params(&sp);
	sp.policies = names;
	sp.npolicies = npols;
	sp.replay_dir = o->replay;
	sp.model_path = o->model;
	sp.scripted = o->scripted;
	sp.out = o->out;
	sp.cancel = (volatile int *)&bench_interrupted;
	memset(&bar, 0, sizeof(bar));
	bar.tty = !o->quiet && isatty(STDERR_FILENO);
	bar.lines = !o->quiet && !bar.tty;
	bar.t0 = util_now_s();
	sp.progress = bar_progress;
	sp.progress_arg = &bar;
	if (o->out != NULL && util_mkdirs(o->out) != 0) {
		log_warn("%s", o->out);
		rc = EXIT_USAGE;
		goto out;
	}
	if ((r = browser_open(o, &b, &conn, &cause)) != 0) {
		log_warnx("browser: %s", cause != NULL ? cause : err_str(r));
		rc = EXIT_INFRA;
		goto out;
	}
	r = bench_suite_run(s, conn, &sp, &res, &cause);
	bar_end(&bar);
	if (r != 0 && res == NULL) {
		log_warnx("%s", cause != NULL ? cause : err_str(r));
		rc = exit_for(r);
		goto out;
	}
	if (r == ERR_CANCELLED) {
		log_warnx("interrupted: the results cover the runs done");
		rc = EXIT_TASK;
	}
	add_context(res, o, conn);
	if (o->out != NULL) {
		txt = cJSON_Print(res);
		write_text(o->out, "results.json", txt);
		cJSON_free(txt);
		txt = bench_suite_markdown(res);
		write_text(o->out, "results.md", txt);
		free(txt);
	}
	if (o->json)
		print_json(res);
	else {
		printf("suite %s: %zu tasks\n\n", bench_suite_name(s),
		    bench_suite_ntasks(s));
		txt = bench_suite_markdown(res);
		fputs(txt, stdout);
		free(txt);
	}
	if (o->strict && rc == EXIT_OK && !all_succeeded(res))
		rc = EXIT_TASK;
out:
	cJSON_Delete(res);
	bench_suite_free(s);
	cdp_conn_free(conn);
	cdp_browser_free(b);
	free(pbuf);
	free(cause);
	return rc;
}

/* The command line as one string, for results.json. */
static char *
join_args(int argc, char **argv)
{
	struct buf b;
	const char *p;
	int i;

	buf_init(&b, 64 * 1024);
	(void)buf_puts(&b, "webnav");
	for (i = 0; i < argc; i++) {
		(void)buf_puts(&b, " ");
		if (argv[i][strcspn(argv[i], " \t'\"$\\*?")] == '\0') {
			(void)buf_puts(&b, argv[i]);
			continue;
		}
		/* Quoted for a shell: ' as '\''. */
		(void)buf_puts(&b, "'");
		for (p = argv[i]; *p != '\0'; p++)
			(void)buf_puts(&b, *p == '\'' ? "'\\''" : (char[2]){ *p, 0 });
		(void)buf_puts(&b, "'");
	}
	return b.data != NULL ? buf_steal(&b, NULL) : xstrdup("webnav");
}

/* "webnav bench": parses the options and runs a harness. */
int
bench_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "out", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "endpoint", required_argument, NULL, 'e' },
		{ "chromium", required_argument, NULL, 'C' },
		{ "top-k", required_argument, NULL, 'k' },
		{ "html", required_argument, NULL, 'H' },
		{ "limit", required_argument, NULL, 'n' },
		{ "site", required_argument, NULL, 's' },
		{ "scripted", required_argument, NULL, 'S' },
		{ "replay", required_argument, NULL, 'R' },
		{ "model", required_argument, NULL, 'm' },
		{ "strict", no_argument, NULL, 'X' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct bopts o;
	struct sigaction sa;
	const char *sub;
	char *end;
	int ch, rc;

	memset(&o, 0, sizeof(o));
	o.policies = "lexical";
	if (argc < 2) {
		bench_usage(stderr);
		return EXIT_USAGE;
	}
	sub = argv[1];
	if (strcmp(sub, "help") == 0 || strcmp(sub, "-h") == 0 ||
	    strcmp(sub, "--help") == 0) {
		bench_help();
		return EXIT_OK;
	}
	/* "gym" parses its own options (webnav-train.c). */
	if (strcmp(sub, "gym") == 0)
		return bench_gym_main(argc, argv);
	if (strcmp(sub, "mind2web") != 0 && strcmp(sub, "suite") != 0) {
		log_warnx("bench: unknown benchmark \"%s\"", sub);
		bench_usage(stderr);
		return EXIT_USAGE;
	}
	o.cmdline = join_args(argc, argv);
	argc--;
	argv++;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "p:o:jqve:k:n:s:m:h", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'p':
			o.policies = optarg;
			break;
		case 'o':
			o.out = optarg;
			break;
		case 'j':
			o.json = 1;
			break;
		case 'q':
			o.quiet = 1;
			break;
		case 'v':
			log_setlevel(LOG_LVL_DEBUG);
			break;
		case 'e':
			o.endpoint = optarg;
			break;
		case 'C':
			o.chromium = optarg;
			break;
		case 'k':
			errno = 0;
			o.top_k = (int)strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || o.top_k < 1 ||
			    o.top_k > 100000) {
				log_warnx("--top-k takes 1 to 100000");
				rc = EXIT_USAGE;
				goto out;
			}
			break;
		case 'H':
			if (strcmp(optarg, "raw") != 0 &&
			    strcmp(optarg, "cleaned") != 0) {
				log_warnx("--html takes cleaned or raw");
				rc = EXIT_USAGE;
				goto out;
			}
			o.html_raw = strcmp(optarg, "raw") == 0;
			break;
		case 'n':
			errno = 0;
			o.limit = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || o.limit < 1) {
				log_warnx("--limit takes a positive number");
				rc = EXIT_USAGE;
				goto out;
			}
			break;
		case 's':
			o.site = optarg;
			break;
		case 'S':
			o.scripted = optarg;
			break;
		case 'R':
			o.replay = optarg;
			break;
		case 'm':
			o.model = optarg;
			break;
		case 'X':
			o.strict = 1;
			break;
		case 'h':
			bench_help();
			rc = EXIT_OK;
			goto out;
		default:
			bench_usage(stderr);
			rc = EXIT_USAGE;
			goto out;
		}
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = bench_on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (strcmp(sub, "mind2web") == 0)
		rc = bench_mind2web(&o, argc - optind, argv + optind);
	else
		rc = bench_suite(&o, argc - optind, argv + optind);
	if (bench_interrupted && rc == EXIT_OK)
		rc = EXIT_TASK;
out:
	free(o.cmdline);
	return rc;
}
