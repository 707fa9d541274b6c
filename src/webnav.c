/*
 * webnav.c: the command-line program.
 *
 *   webnav observe URL [--out DIR]          marks and Set-of-Mark image
 *   webnav act URL --click N ...            act on marks (debugging)
 *   webnav run TASK.json [--policy P] ...   carry a task to its end
 *   webnav bench mind2web|suite ...         benchmarks (webnav-bench.c)
 *   webnav bench gym, webnav train          the built-in model on
 *                                           generated pages
 *                                           (webnav-train.c)
 *   webnav submit|wait|show|cancel|list|logs  talk to webnavd
 *                                           (webnav-client.c)
 *
 * Each subcommand is an entry of the cmds[] table.  Without --endpoint,
 * webnav launches its own headless Chromium and removes it on exit.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "action.h"
#include "agent.h"
#include "cdp.h"
#include "err.h"
#include "log.h"
#include "observe.h"
#include "policy.h"
#include "remote.h"
#include "site.h"
#include "task.h"
#include "traj.h"
#include "webnav-bench.h"
#include "webnav-client.h"
#include "webnav-train.h"
#include "xmalloc.h"

/* Exit codes of webnav(1). */
enum {
	EXIT_OK = 0,		/* task succeeded, command worked */
	EXIT_TASK = 1,		/* task ran and failed */
	EXIT_USAGE = 2,		/* usage or task-file error */
	EXIT_INFRA = 3		/* browser or infrastructure error */
};

/* Options shared by the subcommands that drive a browser. */
struct opts {
	const char	*endpoint;	/* attach instead of launching */
	const char	*chromium;
	const char	*out;
	const char	*site;		/* serve this directory as ${BASE} */
	const char	*policy;
	const char	*replay;
	const char	*remote[16][2];	/* --remote-NAME VALUE, in order */
	size_t		 nremote;
	int		 headful;
	int		 json;
	int		 width, height;
	int		 timeout_ms;	/* page load, observe and act */
	int		 verbose;
	const char	**var_names;	/* --var NAME=VALUE, in order */
	const char	**var_values;
	size_t		 nvars;
	struct action	*acts;		/* act: actions in order */
	size_t		 nacts;
};

/* A browser session: the process (if launched), connection and page. */
struct session {
	struct cdp_browser	*browser;
	struct cdp_conn		*conn;
	struct cdp_page		*page;
	struct site		*site;
	char			*base;		/* http://127.0.0.1:PORT */
};

static volatile sig_atomic_t interrupted;

static void
on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static void
usage_line(FILE *f)
{
	fprintf(f,
	    "usage: webnav observe [options] URL\n"
	    "       webnav act [options] URL ACTION...\n"
	    "       webnav run [options] TASK.json\n"
	    "       webnav bench mind2web|suite|gym [options] ARGS...\n"
	    "       webnav train [options]\n"
	    "       webnav submit|wait|show|cancel|list|logs [options] ...\n"
	    "       webnav help\n");
}

static void
help(void)
{
	usage_line(stdout);
	printf("\n"
	    "Commands:\n"
	    "  observe URL      open URL, write screenshot.png, som.png and\n"
	    "                   marks.json to --out (default ./observe), and\n"
	    "                   print the marks\n"
	    "  act URL ACTION.. open URL and perform actions in order, then\n"
	    "                   observe as above; ACTION is one of\n"
	    "                   --click N, --type N TEXT, --select N OPTION,\n"
	    "                   --hover N, --press KEY, --scroll up|down\n"
	    "  run TASK.json    carry a task to its end with a policy and\n"
	    "                   write its trajectory and report.html to --out\n"
	    "  bench mind2web FILE...  Mind2Web-format metrics (offline pages)\n"
	    "  bench suite SUITE       a suite of live tasks, per policy;\n"
	    "                   \"webnav bench help\" lists their options\n"
	    "  bench gym        policies on generated pages they were not\n"
	    "                   trained on (held-out families, phrasings)\n"
	    "  train            train the built-in model on generated pages\n"
	    "                   (\"webnav train --help\")\n"
	    "\n"
	    "Commands for webnavd (--socket PATH or http://127.0.0.1:PORT,\n"
	    "--json, --timeout MS; see webnav(1)):\n"
	    "  submit TASK.json queue a task (--var NAME=VAL, --policy P);\n"
	    "                   prints its id\n"
	    "  wait ID...       wait until the tasks end; exit status as run\n"
	    "  show ID          state, attempts, outcome and report path\n"
	    "  cancel ID...     cancel queued or running tasks\n"
	    "  list [STATE]     the tasks webnavd holds\n"
	    "  logs ID          the steps of a task, following it while it\n"
	    "                   runs\n"
	    "\n"
	    "Options:\n"
	    "  -o, --out DIR        output directory\n"
	    "  -p, --policy NAME    ranker, lexical, replay or remote (run;\n"
	    "                       default ranker: the bundled model, or\n"
	    "                       lexical when it has no weights)\n"
	    "      --replay DIR     recorded run for --policy replay\n"
	    "      --remote-endpoint URL  OpenAI-compatible server for\n"
	    "                       --policy remote (or WEBNAV_REMOTE_ENDPOINT)\n"
	    "      --remote-model NAME, --remote-key-file PATH,\n"
	    "      --remote-top-k N, --remote-image-size PX,\n"
	    "      --remote-temperature T, --remote-max-tokens N,\n"
	    "      --remote-timeout MS, --remote-retries N,\n"
	    "      --remote-backoff MS  settings of the remote model (see\n"
	    "                       webnav(1)); the key: WEBNAV_API_KEY\n"
	    "  -s, --site DIR       serve DIR on 127.0.0.1 and set ${BASE};\n"
	    "                       a URL starting with / is relative to it\n"
	    "  -V, --var NAME=VAL   set a task variable (repeatable); ${NAME}\n"
	    "                       in a URL of observe or act is replaced\n"
	    "                       too, as in task files\n"
	    "  -e, --endpoint URL   attach to a running browser (http://host:port\n"
	    "                       or ws://...) instead of launching Chromium\n"
	    "      --chromium PATH  Chromium executable (default %s)\n"
	    "      --headful        show the browser window (needs a display)\n"
	    "      --size WxH       viewport in CSS px (default 1280x800)\n"
	    "      --timeout MS     page load deadline for observe and act\n"
	    "                       (default 30000)\n"
	    "  -j, --json           print machine-readable JSON\n"
	    "  -v, --verbose        debug logging\n"
	    "\n"
	    "Exit status: 0 success, 1 task failed, 2 usage or task-file error,\n"
	    "3 browser or infrastructure error.  See webnav(1).\n",
	    WEBNAV_CHROMIUM);
}

/* Serves --site's directory, if given, and sets s->base to its address. */
static int
session_site(const struct opts *o, struct session *s, char **causep)
{
	int port, r;

	if (o->site == NULL)
		return 0;
	if ((r = site_start(o->site, &s->site, &port, causep)) != 0)
		return r;
	s->base = xasprintf("http://127.0.0.1:%d", port);
	return 0;
}

/* Starts or attaches a browser and opens a page (in a zeroed s). */
static int
session_open(const struct opts *o, struct session *s, char **causep)
{
	struct cdp_launch_params lp;
	struct cdp_conn_params cp;
	struct cdp_page_params pp;
	char *ws = NULL;
	int r;

	if (o->endpoint != NULL) {
		if ((r = cdp_discover(o->endpoint, 10000, &ws, causep)) != 0)
			return r;
	} else {
		cdp_launch_default_params(&lp);
		lp.executable = o->chromium;
		lp.headless = !o->headful;
		lp.width = o->width;
		lp.height = o->height;
		if ((r = cdp_browser_launch(&lp, &s->browser, causep)) != 0)
			return r;
		ws = xstrdup(cdp_browser_ws_url(s->browser));
	}
	cdp_conn_default_params(&cp);
	r = cdp_conn_open(ws, &cp, &s->conn, causep);
	free(ws);
	if (r != 0)
		return r;
	cdp_page_default_params(&pp);
	pp.width = o->width;
	pp.height = o->height;
	if ((r = cdp_page_open(s->conn, &pp, &s->page)) != 0) {
		*causep = xasprintf("opening a tab: %s",
		    cdp_conn_error(s->conn));
		return r;
	}
	if ((r = obs_install(s->page)) != 0) {
		*causep = xasprintf("installing the collector: %s",
		    cdp_conn_error(s->conn));
		return r;
	}
	return 0;
}

static void
session_close(struct session *s)
{
	cdp_page_free(s->page);
	cdp_conn_free(s->conn);
	cdp_browser_free(s->browser);
	site_stop(s->site);
	free(s->base);
	memset(s, 0, sizeof(*s));
}

/*
 * The task variables: each --var in order, then BASE (--site's address)
 * when base is not NULL, so that it wins.  *namesp and *valuesp are
 * allocated (free both; the strings are not copied).
 */
static size_t
vars_get(const struct opts *o, const char *base, const char ***namesp,
    const char ***valuesp)
{
	const char **names, **values;
	size_t n;

	names = xcalloc(o->nvars + 1, sizeof(*names));
	values = xcalloc(o->nvars + 1, sizeof(*values));
	for (n = 0; n < o->nvars; n++) {
		names[n] = o->var_names[n];
		values[n] = o->var_values[n];
	}
	if (base != NULL) {
		names[n] = "BASE";
		values[n++] = base;
	}
	*namesp = names;
	*valuesp = values;
	return n;
}

/*
 * The URL of observe and act: variables substituted as in a task file's
 * start_url (--var, and ${BASE} with --site), then, with --site, one
 * starting with "/" taken relative to BASE.  NULL (logged) on a bad
 * variable reference.
 */
static char *
resolve_url(const struct opts *o, const struct session *s, const char *url)
{
	const char **names = NULL, **values = NULL;
	char *out = NULL, *cause = NULL, *abs;
	size_t n;
	int r;

	n = vars_get(o, s->base, &names, &values);
	r = task_subst_vars(url, names, values, n, &out, &cause);
	free(names);
	free(values);
	if (r != 0) {
		log_warnx("%s: %s%s", url, cause != NULL ? cause :
		    err_str(r), s->base == NULL && strstr(url, "${BASE}") !=
		    NULL ? " (--site DIR sets it)" : "");
		free(cause);
		return NULL;
	}
	if (out[0] == '/' && s->base != NULL) {
		abs = xasprintf("%s%s", s->base, out);
		free(out);
		out = abs;
	}
	return out;
}

/* Prints the marks as a table: id, role, text, box. */
static void
print_marks(const struct obs *ob, FILE *f)
{
	size_t i;

	fprintf(f, "%4s  %-10s %-44s %s\n", "mark", "role", "text",
	    "box (x,y w*h)");
	for (i = 0; i < ob->nmarks; i++) {
		const struct mark *m = &ob->marks[i];
		const char *t = m->text[0] ? m->text : m->label;
		char tb[45];

		snprintf(tb, sizeof(tb), "%s%s", m->text[0] ? "" :
		    (m->label[0] ? "~" : ""), t);
		if (strlen(t) > 42)
			memcpy(tb + 41, "...", 4);
		fprintf(f, "%4d  %-10.10s %-44s %.0f,%.0f %.0fx%.0f\n", m->id,
		    m->role[0] ? m->role : m->tag, tb, m->x, m->y, m->w, m->h);
	}
}

static int
infra_fail(const char *what, int r, char *cause)
{
	log_warnx("%s: %s", what, cause != NULL ? cause : err_str(r));
	free(cause);
	return EXIT_INFRA;
}

/* Observes and writes the observation to o->out; prints a summary. */
static int
observe_and_write(const struct opts *o, struct session *s)
{
	struct obs *ob = NULL;
	char *cause = NULL;
	const char *out = o->out != NULL ? o->out : "observe";
	int r;

	if ((r = obs_capture(s->page, NULL, &ob, &cause)) != 0)
		return infra_fail("observe", r, cause);
	if ((r = obs_write(ob, out, &cause)) != 0) {
		obs_free(ob);
		return infra_fail("writing the observation", r, cause);
	}
	if (o->json) {
		cJSON *doc = cJSON_CreateObject();
		char *txt;

		cJSON_AddStringToObject(doc, "url", ob->url);
		cJSON_AddStringToObject(doc, "out", out);
		cJSON_AddNumberToObject(doc, "screenshot_ms",
		    ob->t.screenshot_ms);
		cJSON_AddNumberToObject(doc, "marks_ms", ob->t.marks_ms);
		cJSON_AddItemToObject(doc, "marks", obs_marks_json(ob));
		txt = cJSON_Print(doc);
		printf("%s\n", txt);
		cJSON_free(txt);
		cJSON_Delete(doc);
	} else {
		print_marks(ob, stdout);
		printf("\n%zu marks on %s (screenshot %.0f ms, marks %.0f "
		    "ms)\n", ob->nmarks, ob->url, ob->t.screenshot_ms,
		    ob->t.marks_ms);
		printf("wrote %s/screenshot.png, %s/som.png, %s/marks.json\n",
		    out, out, out);
	}
	obs_free(ob);
	return EXIT_OK;
}

/*
 * The site server (--site), the URL with its variables, the browser:
 * EXIT_OK with *urlp set, else the exit code (the failure told).
 */
static int
session_start(struct opts *o, struct session *s, const char *arg,
    char **urlp)
{
	char *cause = NULL;
	int r;

	if ((r = session_site(o, s, &cause)) != 0)
		return infra_fail("site", r, cause);
	if ((*urlp = resolve_url(o, s, arg)) == NULL)
		return EXIT_USAGE;
	if ((r = session_open(o, s, &cause)) != 0)
		return infra_fail("browser", r, cause);
	return EXIT_OK;
}

static int
cmd_observe(struct opts *o, int argc, char **argv)
{
	struct session s;
	char *url = NULL;
	int r, rc;

	if (argc != 1) {
		usage_line(stderr);
		return EXIT_USAGE;
	}
	memset(&s, 0, sizeof(s));
	if ((rc = session_start(o, &s, argv[0], &url)) != EXIT_OK)
		goto out;
	if ((r = cdp_page_navigate(s.page, url, o->timeout_ms)) != 0) {
		log_warnx("%s: %s", url, cdp_conn_error(s.conn));
		rc = EXIT_INFRA;
	} else
		rc = observe_and_write(o, &s);
out:
	free(url);
	session_close(&s);
	return rc;
}

static int
cmd_act(struct opts *o, int argc, char **argv)
{
	struct session s;
	struct obs *ob = NULL;
	char *cause = NULL, *url = NULL, *txt;
	size_t i;
	int r, rc = EXIT_OK;

	if (argc != 1 || o->nacts == 0) {
		usage_line(stderr);
		return EXIT_USAGE;
	}
	memset(&s, 0, sizeof(s));
	if ((rc = session_start(o, &s, argv[0], &url)) != EXIT_OK)
		goto out;
	if ((r = cdp_page_navigate(s.page, url, o->timeout_ms)) != 0) {
		log_warnx("%s: %s", url, cdp_conn_error(s.conn));
		rc = EXIT_INFRA;
		goto out;
	}
	for (i = 0; i < o->nacts; i++) {
		if ((r = obs_capture(s.page, NULL, &ob, &cause)) != 0) {
			rc = infra_fail("observe", r, cause);
			goto out;
		}
		txt = action_format(&o->acts[i]);
		if ((r = action_exec(s.page, ob, &o->acts[i], &cause)) != 0) {
			log_warnx("%s: %s", txt, cause != NULL ? cause :
			    err_str(r));
			free(cause);
			free(txt);
			rc = EXIT_TASK;
			goto out;
		}
		if (!o->json)
			printf("%s\n", txt);
		free(txt);
		obs_free(ob);
		ob = NULL;
		cdp_page_settle(s.page, 5000, NULL);
	}
	rc = observe_and_write(o, &s);
out:
	obs_free(ob);
	free(url);
	session_close(&s);
	return rc;
}

static void
progress(void *arg, const struct agent_progress *p)
{
	const struct opts *o = arg;
	char what[256];

	if (o->json)
		return;
	snprintf(what, sizeof(what), "%s%s%s", p->action,
	    p->target[0] != '\0' ? " " : "", p->target);
	fprintf(stderr, "step %2d/%-2d %-44.44s %4.0f ms (observe %.0f, "
	    "decide %.0f, act %.0f, settle %.0f, check %.0f)\n", p->step,
	    p->max_steps, what, p->t->total, p->t->observe, p->t->decide,
	    p->t->act, p->t->settle, p->t->check);
}

/*
 * The policy of "webnav run" without --policy: the built-in model when
 * its weights are there ($WEBNAV_MODEL or the bundled model), else
 * lexical, saying so.
 */
static const char *
default_policy(int quiet)
{
	const char *env = getenv("WEBNAV_MODEL");

	if ((env != NULL && env[0] != '\0') ||
	    policy_ranker_default_weights() != NULL)
		return "ranker";
	if (!quiet)
		fprintf(stderr, "webnav: no model weights (model/weights/"
		    "default.wnm is built by \"make model\"; or set "
		    "WEBNAV_MODEL): using the lexical policy\n");
	return "lexical";
}

/* A fresh run directory name: runs/NAME-YYYYmmdd-HHMMSS. */
static char *
default_out(const struct task *t)
{
	char ts[32];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y%m%d-%H%M%S", &tm);
	return xasprintf("runs/%s-%s", t->name, ts);
}

/* Log redaction hook: no log line shows a secret of the task (arg). */
static char *
redact_log(void *arg, const char *msg)
{
	char *t, *k;

	t = arg != NULL ? task_redact(arg, msg) : NULL;
	if ((k = remote_redact(t != NULL ? t : msg)) != NULL) {
		free(t);
		return k;
	}
	return t;
}

/*
 * The remote policy's settings: defaults, the environment, the task's
 * "remote" object, then the command line.
 */
static int
remote_settings(const struct opts *o, const struct task *t,
    struct remote_params *rp)
{
	char *cause = NULL;
	size_t i;
	int r;

	remote_default_params(rp);
	if ((r = remote_params_env(rp, &cause)) != 0)
		goto out;
	if (t->remote != NULL && (r = remote_set_json(rp, t->remote,
	    &cause)) != 0)
		goto out;
	for (i = 0; i < o->nremote; i++) {
		if ((r = remote_set(rp, o->remote[i][0], o->remote[i][1],
		    &cause)) != 0)
			goto out;
	}
	r = remote_params_check(rp, &cause);
out:
	if (r != 0)
		fprintf(stderr, "webnav: %s\n", cause != NULL ? cause :
		    err_str(r));
	free(cause);
	return r;
}

static int
cmd_run(struct opts *o, int argc, char **argv)
{
	struct session s;
	struct task *t = NULL;
	struct policy *pol = NULL;
	struct policy_params pp;
	struct remote_params rp;
	struct traj *tr = NULL;
	struct agent_params ap;
	struct agent_result res;
	const char **names = NULL, **values = NULL;
	char *cause = NULL, *out = NULL;
	size_t n;
	int r, rc;

	memset(&s, 0, sizeof(s));
	memset(&res, 0, sizeof(res));
	if (argc != 1) {
		usage_line(stderr);
		return EXIT_USAGE;
	}
	/* The site server first: its address is the BASE variable. */
	if ((r = session_site(o, &s, &cause)) != 0) {
		rc = infra_fail("site", r, cause);
		goto out;
	}
	n = vars_get(o, s.base, &names, &values);
	if ((r = task_load_vars(argv[0], names, values, n, &t, &cause)) != 0) {
		fprintf(stderr, "webnav: %s\n", cause != NULL ? cause :
		    err_str(r));
		free(cause);
		rc = EXIT_USAGE;
		goto out;
	}
	log_set_redact(redact_log, t);
	if (remote_settings(o, t, &rp) != 0) {
		rc = EXIT_USAGE;
		goto out;
	}
	policy_default_params(&pp);
	pp.replay_dir = o->replay;
	pp.remote = &rp;
	if (t->mode != TASK_ACTIONS && (r = policy_new(o->policy != NULL ?
	    o->policy : default_policy(o->json), &pp, &pol, &cause)) != 0) {
		fprintf(stderr, "webnav: --policy: %s\n", cause != NULL ?
		    cause : err_str(r));
		free(cause);
		rc = EXIT_USAGE;
		goto out;
	}
	out = o->out != NULL ? xstrdup(o->out) : default_out(t);
	if ((r = traj_open(out, t, pol != NULL ? policy_name(pol) : "script",
	    &tr, &cause)) != 0) {
		fprintf(stderr, "webnav: %s\n", cause != NULL ? cause :
		    err_str(r));
		free(cause);
		rc = EXIT_USAGE;
		goto out;
	}
	{
		struct opts o2 = *o;

		o2.width = t->vw;
		o2.height = t->vh;
		if ((r = session_open(&o2, &s, &cause)) != 0) {
			rc = infra_fail("browser", r, cause);
			goto out;
		}
	}
	agent_default_params(&ap);
	ap.progress = progress;
	ap.progress_arg = o;
	ap.cancel = (volatile int *)&interrupted;
	if (!o->json) {
		char *goal = task_redact(t, t->goal != NULL ? t->goal :
		    t->mode == TASK_STEPS ? "steps" : "scripted actions");

		fprintf(stderr, "task %s: %s (policy %s)\n", t->name, goal,
		    pol != NULL ? policy_name(pol) : "script");
		free(goal);
	}
	agent_run(s.page, t, pol, tr, &ap, &res);
	if (o->json) {
		cJSON *doc = cJSON_CreateObject();
		char *txt;

		cJSON_AddStringToObject(doc, "task", t->name);
		cJSON_AddStringToObject(doc, "outcome",
		    agent_outcome_name(res.outcome));
		cJSON_AddStringToObject(doc, "reason", res.reason);
		cJSON_AddNumberToObject(doc, "steps", res.steps);
		cJSON_AddNumberToObject(doc, "seconds", res.seconds);
		cJSON_AddStringToObject(doc, "final_url", res.final_url);
		cJSON_AddStringToObject(doc, "run_dir", out);
		cJSON_AddStringToObject(doc, "report", "report.html");
		txt = cJSON_PrintUnformatted(doc);
		{
			char *red = task_redact(t, txt);

			printf("%s\n", red);
			free(red);
		}
		cJSON_free(txt);
		cJSON_Delete(doc);
	} else {
		char *red = task_redact(t, res.reason);

		printf("%s: %s after %d steps in %.1f s: %s\nreport: "
		    "%s/report.html\n", t->name,
		    agent_outcome_name(res.outcome), res.steps, res.seconds,
		    red, out);
		free(red);
	}
	switch (res.outcome) {
	case AGENT_SUCCESS:
		rc = EXIT_OK;
		break;
	case AGENT_ERROR:
		rc = EXIT_INFRA;
		break;
	default:
		rc = EXIT_TASK;
		break;
	}
out:
	agent_result_clear(&res);
	traj_free(tr);
	session_close(&s);
	policy_free(pol);
	log_set_redact(NULL, NULL);
	task_free(t);
	free(names);
	free(values);
	free(out);
	return rc;
}

struct cmd {
	const char	*name;
	int		(*exec)(struct opts *, int, char **);
	int		(*main)(int, char **);	/* parses its own options */
};

static const struct cmd cmds[] = {
	{ "observe", cmd_observe, NULL },
	{ "act", cmd_act, NULL },
	{ "run", cmd_run, NULL },
	{ "bench", NULL, bench_main },
	{ "train", NULL, train_main },
	{ "submit", NULL, client_main },
	{ "wait", NULL, client_main },
	{ "show", NULL, client_main },
	{ "cancel", NULL, client_main },
	{ "list", NULL, client_main },
	{ "logs", NULL, client_main },
};

/* Adds an action given on the command line. */
static int
add_act(struct opts *o, enum action_op op, const char *mark, const char *v)
{
	struct action *a;
	char *end;
	long n = 0;

	if (mark != NULL) {
		errno = 0;
		n = strtol(mark, &end, 10);
		if (errno != 0 || *end != '\0' || n < 1 || n > INT_MAX) {
			log_warnx("bad mark number \"%s\"", mark);
			return -1;
		}
	}
	o->acts = xreallocarray(o->acts, o->nacts + 1, sizeof(*o->acts));
	a = &o->acts[o->nacts++];
	memset(a, 0, sizeof(*a));
	a->op = op;
	a->mark = (int)n;
	if (op == ACT_PRESS)
		a->key = xstrdup(v);
	else if (op == ACT_SCROLL) {
		if (strcmp(v, "up") != 0 && strcmp(v, "down") != 0) {
			log_warnx("--scroll takes up or down");
			return -1;
		}
		a->dir = strcmp(v, "up") == 0 ? -1 : 1;
	} else if (v != NULL)
		a->value = xstrdup(v);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "policy", required_argument, NULL, 'p' },
		{ "replay", required_argument, NULL, 'R' },
		{ "site", required_argument, NULL, 's' },
		{ "var", required_argument, NULL, 'V' },
		{ "endpoint", required_argument, NULL, 'e' },
		{ "chromium", required_argument, NULL, 'C' },
		{ "headful", no_argument, NULL, 'H' },
		{ "size", required_argument, NULL, 'S' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "json", no_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "click", required_argument, NULL, 'c' },
		{ "hover", required_argument, NULL, 'O' },
		{ "type", required_argument, NULL, 't' },
		{ "select", required_argument, NULL, 'l' },
		{ "press", required_argument, NULL, 'k' },
		{ "scroll", required_argument, NULL, 'r' },
		/* --remote-*: 1000 + index into remote_opts[]. */
		{ "remote-endpoint", required_argument, NULL, 1000 },
		{ "remote-model", required_argument, NULL, 1001 },
		{ "remote-key-file", required_argument, NULL, 1002 },
		{ "remote-top-k", required_argument, NULL, 1003 },
		{ "remote-image-size", required_argument, NULL, 1004 },
		{ "remote-temperature", required_argument, NULL, 1005 },
		{ "remote-max-tokens", required_argument, NULL, 1006 },
		{ "remote-timeout", required_argument, NULL, 1007 },
		{ "remote-retries", required_argument, NULL, 1008 },
		{ "remote-backoff", required_argument, NULL, 1009 },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const remote_opts[] = { "endpoint", "model",
	    "api_key_file", "top_k", "image_size", "temperature",
	    "max_tokens", "timeout", "retries", "backoff" };
	struct opts o;
	const struct cmd *c = NULL;
	struct sigaction sa;
	size_t i;
	char *eq;
	int ch, rc;

	memset(&o, 0, sizeof(o));
	o.width = 1280;
	o.height = 800;
	log_init("webnav", 0, LOG_LVL_INFO);
	if (argc < 2) {
		usage_line(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		help();
		return EXIT_OK;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			c = &cmds[i];
	if (c == NULL) {
		log_warnx("unknown command \"%s\"", argv[1]);
		usage_line(stderr);
		return EXIT_USAGE;
	}
	if (c->main != NULL)
		return c->main(argc - 1, argv + 1);
	argc--;
	argv++;
	while ((ch = getopt_long(argc, argv, "o:p:s:V:e:jvh", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'o':
			o.out = optarg;
			break;
		case 'p':
			o.policy = optarg;
			break;
		case 'R':
			o.replay = optarg;
			break;
		case 's':
			o.site = optarg;
			break;
		case 'V':
			if ((eq = strchr(optarg, '=')) == NULL) {
				log_warnx("--var %s: expected NAME=VALUE",
				    optarg);
				rc = EXIT_USAGE;
				goto done;
			}
			*eq = '\0';
			o.var_names = xreallocarray(o.var_names, o.nvars + 1,
			    sizeof(*o.var_names));
			o.var_values = xreallocarray(o.var_values,
			    o.nvars + 1, sizeof(*o.var_values));
			o.var_names[o.nvars] = optarg;
			o.var_values[o.nvars++] = eq + 1;
			break;
		case 'e':
			o.endpoint = optarg;
			break;
		case 'C':
			o.chromium = optarg;
			break;
		case 'H':
			o.headful = 1;
			break;
		case 'S':
			if (sscanf(optarg, "%dx%d", &o.width, &o.height) != 2 ||
			    o.width < 100 || o.height < 100 ||
			    o.width > 4096 || o.height > 4096) {
				log_warnx("--size takes WxH, e.g. 1280x800");
				rc = EXIT_USAGE;
				goto done;
			}
			break;
		case 'T':
			o.timeout_ms = atoi(optarg);
			if (o.timeout_ms < 100 || o.timeout_ms > 3600000) {
				log_warnx("--timeout takes 100 to 3600000 ms");
				rc = EXIT_USAGE;
				goto done;
			}
			break;
		case 'j':
			o.json = 1;
			break;
		case 'v':
			o.verbose = 1;
			log_setlevel(LOG_LVL_DEBUG);
			break;
		case 'h':
			help();
			rc = EXIT_OK;
			goto done;
		case 'c':
		case 'O':
			if (add_act(&o, ch == 'c' ? ACT_CLICK : ACT_HOVER,
			    optarg, NULL) != 0) {
				rc = EXIT_USAGE;
				goto done;
			}
			break;
		case 't':
		case 'l':
			/* --type N TEXT: TEXT is the next argument. */
			if (optind >= argc) {
				log_warnx("--%s N TEXT: missing TEXT",
				    ch == 't' ? "type" : "select");
				rc = EXIT_USAGE;
				goto done;
			}
			if (add_act(&o, ch == 't' ? ACT_TYPE : ACT_SELECT,
			    optarg, argv[optind++]) != 0) {
				rc = EXIT_USAGE;
				goto done;
			}
			break;
		case 'k':
			if (add_act(&o, ACT_PRESS, NULL, optarg) != 0) {
				rc = EXIT_USAGE;
				goto done;
			}
			break;
		case 'r':
			if (add_act(&o, ACT_SCROLL, NULL, optarg) != 0) {
				rc = EXIT_USAGE;
				goto done;
			}
			break;
		case 1000:
		case 1001:
		case 1002:
		case 1003:
		case 1004:
		case 1005:
		case 1006:
		case 1007:
		case 1008:
		case 1009: {
			struct remote_params chk;
			char *cause = NULL;

			/* Checked now, applied after the task's own. */
			remote_default_params(&chk);
			if (remote_set(&chk, remote_opts[ch - 1000], optarg,
			    &cause) != 0) {
				log_warnx("%s", cause);
				free(cause);
				rc = EXIT_USAGE;
				goto done;
			}
			if (o.nremote >= sizeof(o.remote) /
			    sizeof(o.remote[0])) {
				log_warnx("too many --remote options");
				rc = EXIT_USAGE;
				goto done;
			}
			o.remote[o.nremote][0] = remote_opts[ch - 1000];
			o.remote[o.nremote++][1] = optarg;
			break;
		}
		default:
			usage_line(stderr);
			rc = EXIT_USAGE;
			goto done;
		}
	}
	if (o.nacts > 0 && c->exec != cmd_act) {
		log_warnx("actions are only for \"webnav act\"");
		rc = EXIT_USAGE;
		goto done;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	rc = c->exec(&o, argc - optind, argv + optind);
done:
	for (i = 0; i < o.nacts; i++)
		action_clear(&o.acts[i]);
	free(o.acts);
	free(o.var_names);
	free(o.var_values);
	return rc;
}
