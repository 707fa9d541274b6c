/*
 * bench-suite.c: suites of live tasks run in real Chromium.
 *
 * A suite is a list of task files and the directory of the local site
 * they run on.  The runner serves that directory on 127.0.0.1 (site.h),
 * passes its address to every task as the variable BASE, and runs each
 * task with each policy on a fresh page in a browser context of its own
 * (no cookies or storage carried over), through the same step loop as
 * "webnav run".  Success is what the task's checks say, never what the
 * policy claims.
 *
 * A reference script ({"actions": [...]} in a directory given by the
 * caller, same file name as the task) replaces the policy when asked: the
 * task file gets those actions (its goal stays for reports) and runs in
 * actions mode as policy "scripted".  That is how the suite itself is
 * tested: every task must be achievable, and its checks must see it.
 *
 * Every task file is loaded (and its script merged) before the first run,
 * so a broken suite fails at once.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "agent.h"
#include "bench.h"
#include "buf.h"
#include "cdp.h"
#include "err.h"
#include "log.h"
#include "observe.h"
#include "policy.h"
#include "site.h"
#include "task.h"
#include "traj.h"
#include "xmalloc.h"

#define SUITE_FILE_MAX	(1024 * 1024)	/* a suite, task or script file */
#define SUITE_NAME_MAX	200
#define SUITE_POLICIES	16
#define SUITE_STEPS_MAX	((size_t)10 * 1000 * 1000)

struct bench_suite {
	char	*name;
	char	*site;		/* NULL: no site served */
	char	**tasks;
	size_t	 ntasks;
};

/* Fills p with the defaults: no policy, no scripts, no output. */
void
bench_suite_default_params(struct bench_suite_params *p)
{
	memset(p, 0, sizeof(*p));
}

/* The suite's name. */
const char *
bench_suite_name(const struct bench_suite *s)
{
	return s->name;
}

/* The number of task files. */
size_t
bench_suite_ntasks(const struct bench_suite *s)
{
	return s->ntasks;
}

/* The path of task file i, or NULL. */
const char *
bench_suite_task(const struct bench_suite *s, size_t i)
{
	return i < s->ntasks ? s->tasks[i] : NULL;
}

/* The directory served as ${BASE}, or NULL. */
const char *
bench_suite_site(const struct bench_suite *s)
{
	return s->site;
}

/* Frees s; NULL is a no-op. */
void
bench_suite_free(struct bench_suite *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->ntasks; i++)
		free(s->tasks[i]);
	free(s->tasks);
	free(s->name);
	free(s->site);
	free(s);
}

/* Reads a whole file of at most SUITE_FILE_MAX bytes. */
static int
read_file(const char *path, char **datap, size_t *lenp, char **causep)
{
	struct buf b;
	char chunk[8192];
	ssize_t n;
	int fd, r = 0;

	*datap = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		*causep = xasprintf("%s: %s", path, strerror(errno));
		return errno == ENOENT ? ERR_NOTFOUND : ERR_IO;
	}
	buf_init(&b, SUITE_FILE_MAX);
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			*causep = xasprintf("%s: %s", path, strerror(errno));
			r = ERR_IO;
			break;
		}
		if (buf_add(&b, chunk, (size_t)n) != 0) {
			*causep = xasprintf("%s: larger than 1 MiB", path);
			r = ERR_TOOBIG;
			break;
		}
	}
	close(fd);
	if (r != 0) {
		buf_free(&b);
		return r;
	}
	*lenp = b.len;
	*datap = b.data != NULL ? buf_steal(&b, NULL) : xstrdup("");
	return 0;
}

/* "dir/name" unless name is absolute (allocated). */
static char *
path_join(const char *dir, const char *name)
{
	if (name[0] == '/' || dir == NULL || dir[0] == '\0')
		return xstrdup(name);
	return xasprintf("%s/%s", dir, name);
}

/* The directory part of path ("." if none), allocated. */
static char *
path_dir(const char *path)
{
	const char *sl = strrchr(path, '/');

	if (sl == NULL)
		return xstrdup(".");
	if (sl == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(sl - path));
}

/* The last part of path without ".json" (allocated). */
static char *
path_stem(const char *path)
{
	const char *b = strrchr(path, '/');
	size_t n;

	b = b != NULL ? b + 1 : path;
	n = strlen(b);
	if (n > 5 && strcmp(b + n - 5, ".json") == 0)
		n -= 5;
	return xstrndup(b, n);
}

/* Compares two strings through pointers to them (qsort). */
static int
str_pcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends a task path (taken over) to the suite. */
static int
add_task(struct bench_suite *s, char *path, char **causep)
{
	if (s->ntasks >= BENCH_SUITE_MAX_TASKS) {
		*causep = xasprintf("more than %d tasks",
		    BENCH_SUITE_MAX_TASKS);
		free(path);
		return ERR_TOOBIG;
	}
	s->tasks = xreallocarray(s->tasks, s->ntasks + 1, sizeof(*s->tasks));
	s->tasks[s->ntasks++] = path;
	return 0;
}

/* Adds the *.json files of directory dir, sorted by name. */
static int
add_dir(struct bench_suite *s, const char *dir, char **causep)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, i, len;
	int r = 0;

	if ((d = opendir(dir)) == NULL) {
		*causep = xasprintf("%s: %s", dir, strerror(errno));
		return ERR_IO;
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len <= 5 ||
		    strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		if (n >= BENCH_SUITE_MAX_TASKS) {
			*causep = xasprintf("%s: more than %d task files", dir,
			    BENCH_SUITE_MAX_TASKS);
			r = ERR_TOOBIG;
			break;
		}
		names = xreallocarray(names, n + 1, sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (r == 0 && n > 0)
		qsort(names, n, sizeof(*names), str_pcmp);
	for (i = 0; i < n; i++) {
		if (r == 0)
			r = add_task(s, path_join(dir, names[i]), causep);
		free(names[i]);
	}
	free(names);
	if (r == 0 && n == 0) {
		*causep = xasprintf("%s: no *.json task files", dir);
		r = ERR_NOTFOUND;
	}
	return r;
}

/* Adds path: a task file, or a directory of them. */
static int
add_entry(struct bench_suite *s, const char *path, const char *what,
    char **causep)
{
	struct stat st;

	if (stat(path, &st) == -1) {
		*causep = xasprintf("%s%s: %s", what, path, strerror(errno));
		return ERR_NOTFOUND;
	}
	if (S_ISDIR(st.st_mode))
		return add_dir(s, path, causep);
	return add_task(s, xstrdup(path), causep);
}

/* Parses a suite file's JSON. */
static int
load_file(struct bench_suite *s, const char *path, char **causep)
{
	cJSON *j = NULL, *it;
	const cJSON *tasks = NULL;
	char *data = NULL, *dir = NULL, *p, *what;
	size_t len = 0, i = 0;
	int r = ERR_INTERNAL;

	if ((r = read_file(path, &data, &len, causep)) != 0)
		goto out;
	if ((j = cJSON_ParseWithLength(data, len)) == NULL ||
	    !cJSON_IsObject(j)) {
		*causep = xasprintf("%s: not a JSON object", path);
		r = ERR_PARSE;
		goto out;
	}
	dir = path_dir(path);
	cJSON_ArrayForEach(it, j) {
		if (strcmp(it->string, "name") == 0) {
			if (!cJSON_IsString(it) || it->valuestring[0] == '\0' ||
			    strlen(it->valuestring) > SUITE_NAME_MAX) {
				*causep = xasprintf("%s: name: must be a "
				    "non-empty string of at most 200 bytes",
				    path);
				r = ERR_INVALID;
				goto out;
			}
			free(s->name);
			s->name = xstrdup(it->valuestring);
		} else if (strcmp(it->string, "site_root") == 0) {
			if (!cJSON_IsString(it) || it->valuestring[0] == '\0') {
				*causep = xasprintf("%s: site_root: must be a "
				    "directory name", path);
				r = ERR_INVALID;
				goto out;
			}
			free(s->site);
			s->site = path_join(dir, it->valuestring);
		} else if (strcmp(it->string, "tasks") == 0) {
			tasks = it;
		} else if (strcmp(it->string, "description") != 0) {
			*causep = xasprintf("%s: %s: unknown field", path,
			    it->string);
			r = ERR_INVALID;
			goto out;
		}
	}
	if (!cJSON_IsArray(tasks) || cJSON_GetArraySize(tasks) == 0) {
		*causep = xasprintf("%s: tasks: must be a non-empty array of "
		    "paths", path);
		r = ERR_INVALID;
		goto out;
	}
	cJSON_ArrayForEach(it, tasks) {
		if (!cJSON_IsString(it) || it->valuestring[0] == '\0') {
			*causep = xasprintf("%s: tasks[%zu]: must be a path",
			    path, i);
			r = ERR_INVALID;
			goto out;
		}
		p = path_join(dir, it->valuestring);
		what = xasprintf("%s: tasks[%zu]: ", path, i);
		r = add_entry(s, p, what, causep);
		free(p);
		free(what);
		if (r != 0)
			goto out;
		i++;
	}
	r = 0;
out:
	cJSON_Delete(j);
	free(data);
	free(dir);
	return r;
}

/* Loads a suite file or a directory of task files. */
int
bench_suite_load(const char *path, const char *site, struct bench_suite **sp,
    char **causep)
{
	struct bench_suite *s = xcalloc(1, sizeof(*s));
	struct stat st;
	int r = ERR_INTERNAL;

	*sp = NULL;
	*causep = NULL;
	if (stat(path, &st) == -1) {
		*causep = xasprintf("%s: %s", path, strerror(errno));
		r = ERR_NOTFOUND;
		goto out;
	}
	s->name = path_stem(path);
	if (S_ISDIR(st.st_mode))
		r = add_dir(s, path, causep);
	else
		r = load_file(s, path, causep);
	if (r != 0)
		goto out;
	if (site != NULL) {
		free(s->site);
		s->site = xstrdup(site);
	}
	if (s->site != NULL && (stat(s->site, &st) == -1 ||
	    !S_ISDIR(st.st_mode))) {
		*causep = xasprintf("site root %s: not a directory",
		    s->site);
		r = ERR_NOTFOUND;
		goto out;
	}
	*sp = s;
	s = NULL;
	r = 0;
out:
	bench_suite_free(s);
	return r;
}

/* ---------------------------------------------------------------------- */
/* Loading tasks.                                                         */

/*
 * Loads task file path with the reference script of the same name in
 * dir merged in as its actions.  The goal stays; steps and goal_js go
 * (a scripted task has neither); max_steps grows to the script's length.
 */
static int
load_scripted(const char *path, const char *dir, const char *const *names,
    const char *const *values, size_t nvars, struct task **tp, char **causep)
{
	cJSON *tj = NULL, *sj = NULL, *acts, *ms;
	char *tdata = NULL, *sdata = NULL, *stem = NULL, *spath = NULL;
	char *txt = NULL;
	size_t tlen = 0, slen = 0;
	int r = ERR_INTERNAL, n;

	*tp = NULL;
	stem = path_stem(path);
	spath = xasprintf("%s/%s.json", dir, stem);
	if ((r = read_file(path, &tdata, &tlen, causep)) != 0 ||
	    (r = read_file(spath, &sdata, &slen, causep)) != 0)
		goto out;
	if ((tj = cJSON_ParseWithLength(tdata, tlen)) == NULL ||
	    !cJSON_IsObject(tj)) {
		*causep = xasprintf("%s: not a JSON object", path);
		r = ERR_PARSE;
		goto out;
	}
	if ((sj = cJSON_ParseWithLength(sdata, slen)) == NULL ||
	    !cJSON_IsObject(sj)) {
		*causep = xasprintf("%s: not a JSON object", spath);
		r = ERR_PARSE;
		goto out;
	}
	acts = cJSON_DetachItemFromObjectCaseSensitive(sj, "actions");
	if (!cJSON_IsArray(acts) || cJSON_GetArraySize(acts) == 0) {
		cJSON_Delete(acts);
		*causep = xasprintf("%s: actions: must be a non-empty array",
		    spath);
		r = ERR_INVALID;
		goto out;
	}
	n = cJSON_GetArraySize(acts);
	cJSON_DeleteItemFromObjectCaseSensitive(tj, "actions");
	cJSON_DeleteItemFromObjectCaseSensitive(tj, "steps");
	cJSON_DeleteItemFromObjectCaseSensitive(tj, "goal_js");
	cJSON_AddItemToObject(tj, "actions", acts);
	ms = cJSON_GetObjectItemCaseSensitive(tj, "max_steps");
	if (cJSON_IsNumber(ms) && ms->valuedouble < n)
		cJSON_SetNumberValue(ms, n);
	txt = cJSON_PrintUnformatted(tj);
	r = task_parse_vars(txt, strlen(txt), spath, names, values, nvars, tp,
	    causep);
out:
	cJSON_free(txt);
	cJSON_Delete(tj);
	cJSON_Delete(sj);
	free(tdata);
	free(sdata);
	free(stem);
	free(spath);
	return r;
}

/* ---------------------------------------------------------------------- */
/* Running.                                                               */

/* Figures of one policy over the suite. */
struct s_pol {
	const char	*name;
	char		 label[64];	/* "lexical", "lexical#2", ... */
	struct policy	*pol;		/* NULL: scripted */
	size_t		 runs;
	size_t		 success;
	size_t		 steps;		/* over all runs */
	size_t		 steps_success;
	size_t		 outcomes[AGENT_CANCELLED + 1];
	double		 seconds;
	double		*step_s;	/* every step's total time */
	size_t		 nstep_s, cap;
};

/*
 * The name policy k reports under: its own, or "NAME#2", "NAME#3" for a
 * policy given more than once (to see the spread between runs).
 */
static const char *
unique_name(struct s_pol *pols, size_t k, const char *name)
{
	size_t i, n = 1;

	for (i = 0; i < k; i++)
		if (strcmp(pols[i].pol != NULL ? policy_name(pols[i].pol) : "",
		    name) == 0)
			n++;
	if (n == 1)
		snprintf(pols[k].label, sizeof(pols[k].label), "%s", name);
	else
		snprintf(pols[k].label, sizeof(pols[k].label), "%.40s#%zu",
		    name, n);
	return pols[k].label;
}

/* What the agent's progress callback needs during one run. */
struct s_run {
	struct s_pol			*P;
	const struct bench_suite_params	*p;
	const char			*task;
	size_t				 done, total;	/* runs */
};

/*
 * Records one step's time and reports the step to the caller's progress
 * callback (the agent's progress callback).
 */
static void
on_step(void *arg, const struct agent_progress *pr)
{
	struct s_run *run = arg;
	struct s_pol *P = run->P;
	struct bench_progress bp;
	char label[160];

	if (P->nstep_s < SUITE_STEPS_MAX) {
		if (P->nstep_s == P->cap) {
			P->cap = P->cap ? P->cap * 2 : 256;
			P->step_s = xreallocarray(P->step_s, P->cap,
			    sizeof(*P->step_s));
		}
		P->step_s[P->nstep_s++] = pr->t->total / 1e3;
	}
	if (run->p->progress != NULL) {
		snprintf(label, sizeof(label), "%.80s [%.40s]: step %d",
		    run->task, P->name, pr->step);
		bp.done = run->done;
		bp.total = run->total;
		bp.label = label;
		run->p->progress(run->p->progress_arg, &bp);
	}
}

/* A directory name from a task name: letters, digits, "-", "_", ".". */
static char *
safe_name(const char *s)
{
	char *d = xstrndup(s, 80), *p;

	for (p = d; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		    *p == '.'))
			*p = '_';
	if (d[0] == '.' || d[0] == '\0') {
		p = xasprintf("t%s", d);
		free(d);
		d = p;
	}
	return d;
}

/*
 * Runs task t (file i) with policy P on a fresh page and adds the run to
 * P's figures and to results.  Returns 1 if the run was cancelled (and
 * then counts nowhere), else 0.
 */
static int
run_one(struct cdp_conn *conn, const struct bench_suite_params *p,
    struct s_pol *P, const struct task *t, size_t i, size_t done,
    size_t total, cJSON *results, int *fatalp, char **labelp)
{
	struct s_run run;
	struct cdp_page_params pp;
	struct cdp_page *page = NULL;
	struct agent_params ap;
	struct agent_result res;
	struct traj *tr = NULL;
	cJSON *j;
	char *dir = NULL, *tn = NULL, *cause = NULL, *red;
	int r;

	memset(&res, 0, sizeof(res));
	*fatalp = 0;
	if (p->out != NULL) {
		tn = safe_name(t->name);
		dir = xasprintf("%s/%s/%03zu-%s", p->out, P->name, i + 1, tn);
		if ((r = traj_open(dir, t, P->name, &tr, &cause)) != 0) {
			log_warnx("%s", cause != NULL ? cause : err_str(r));
			free(cause);
			cause = NULL;
			tr = NULL;
		}
	}
	cdp_page_default_params(&pp);
	pp.width = t->vw;
	pp.height = t->vh;
	if (cdp_page_open(conn, &pp, &page) != 0 || obs_install(page) != 0) {
		res.outcome = AGENT_ERROR;
		res.reason = xasprintf("opening a tab: %s",
		    cdp_conn_error(conn));
		res.final_url = xstrdup("");
		*fatalp = !cdp_conn_alive(conn);
	} else {
		agent_default_params(&ap);
		run.P = P;
		run.p = p;
		run.task = t->name;
		run.done = done;
		run.total = total;
		ap.progress = on_step;
		ap.progress_arg = &run;
		ap.cancel = p->cancel;
		agent_run(page, t, P->pol, tr, &ap, &res);
		if (res.outcome == AGENT_ERROR && !cdp_conn_alive(conn))
			*fatalp = 1;
	}
	cdp_page_free(page);
	if (res.outcome == AGENT_CANCELLED) {
		*labelp = xasprintf("%s [%s]: cancelled", t->name, P->name);
		agent_result_clear(&res);
		traj_free(tr);
		free(dir);
		free(tn);
		return 1;
	}
	P->runs++;
	P->steps += (size_t)res.steps;
	P->seconds += res.seconds;
	if (res.outcome <= AGENT_CANCELLED)
		P->outcomes[res.outcome]++;
	if (res.outcome == AGENT_SUCCESS) {
		P->success++;
		P->steps_success += (size_t)res.steps;
	}
	j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "task", t->name);
	cJSON_AddStringToObject(j, "file", t->path != NULL ? t->path : "");
	cJSON_AddStringToObject(j, "policy", P->name);
	cJSON_AddStringToObject(j, "outcome", agent_outcome_name(res.outcome));
	cJSON_AddNumberToObject(j, "steps", res.steps);
	cJSON_AddNumberToObject(j, "seconds", res.seconds);
	red = task_redact(t, res.reason != NULL ? res.reason : "");
	cJSON_AddStringToObject(j, "reason", red);
	free(red);
	if (tr != NULL)
		cJSON_AddStringToObject(j, "run_dir", dir);
	cJSON_AddItemToArray(results, j);
	*labelp = xasprintf("%s [%s]: %s, %d step%s", t->name, P->name,
	    agent_outcome_name(res.outcome), res.steps, res.steps == 1 ? "" :
	    "s");
	agent_result_clear(&res);
	traj_free(tr);
	free(dir);
	free(tn);
	return 0;
}

/* One policy's figures as JSON. */
static cJSON *
pol_json(struct s_pol *P)
{
	cJSON *j = cJSON_CreateObject(), *o;
	int k;

	cJSON_AddStringToObject(j, "policy", P->name);
	cJSON_AddNumberToObject(j, "tasks", (double)P->runs);
	cJSON_AddNumberToObject(j, "success", (double)P->success);
	cJSON_AddNumberToObject(j, "success_rate", P->runs > 0 ?
	    (double)P->success / (double)P->runs : 0);
	cJSON_AddNumberToObject(j, "mean_steps", P->runs > 0 ?
	    (double)P->steps / (double)P->runs : 0);
	cJSON_AddNumberToObject(j, "mean_steps_success", P->success > 0 ?
	    (double)P->steps_success / (double)P->success : 0);
	cJSON_AddNumberToObject(j, "steps", (double)P->nstep_s);
	o = cJSON_AddObjectToObject(j, "step_seconds");
	{
		double sum = 0;
		size_t i;

		for (i = 0; i < P->nstep_s; i++)
			sum += P->step_s[i];
		cJSON_AddNumberToObject(o, "median",
		    bench_median(P->step_s, P->nstep_s));
		cJSON_AddNumberToObject(o, "p95",
		    bench_quantile(P->step_s, P->nstep_s, 0.95));
		cJSON_AddNumberToObject(o, "mean", P->nstep_s > 0 ?
		    sum / (double)P->nstep_s : 0);
	}
	o = cJSON_AddObjectToObject(j, "outcomes");
	for (k = 0; k <= AGENT_CANCELLED; k++)
		if (P->outcomes[k] > 0)
			cJSON_AddNumberToObject(o, agent_outcome_name(k),
			    (double)P->outcomes[k]);
	cJSON_AddNumberToObject(j, "seconds", P->seconds);
	return j;
}

/* Runs every task with every policy and gathers the figures. */
int
bench_suite_run(struct bench_suite *s, struct cdp_conn *conn,
    const struct bench_suite_params *p, cJSON **resultp, char **causep)
{
	struct s_pol pols[SUITE_POLICIES];
	struct policy_params pp;
	struct bench_progress pr;
	struct site *srv = NULL;
	struct task **tasks = NULL;	/* [task * npols + policy] */
	const char *names[1] = { NULL }, *values[1] = { NULL };
	cJSON *res = NULL, *results = NULL, *arr;
	char *base = NULL, *cause = NULL, *label = NULL;
	size_t npols, nvars = 0, i, k, done = 0;
	int r = ERR_INTERNAL, port, fatal = 0, cancelled = 0;

	*resultp = NULL;
	*causep = NULL;
	memset(pols, 0, sizeof(pols));
	npols = p->scripted != NULL ? 1 : p->npolicies;
	if (npols == 0 || npols > SUITE_POLICIES) {
		*causep = xasprintf("give 1 to %d policies", SUITE_POLICIES);
		return ERR_INVALID;
	}

	/* The policies. */
	policy_default_params(&pp);
	pp.replay_dir = p->replay_dir;
	pp.model_path = p->model_path;
	for (k = 0; k < npols; k++) {
		if (p->scripted != NULL) {
			pols[k].name = "scripted";
			continue;
		}
		if ((r = policy_new(p->policies[k], &pp, &pols[k].pol,
		    &cause)) != 0)
			goto out;
		pols[k].name = unique_name(pols, k, policy_name(pols[k].pol));
	}

	/* The site, then every task, before anything runs. */
	if (s->site != NULL) {
		if ((r = site_start(s->site, &srv, &port, &cause)) != 0)
			goto out;
		base = xasprintf("http://127.0.0.1:%d", port);
		names[0] = "BASE";
		values[0] = base;
		nvars = 1;
	}
	tasks = xcalloc(s->ntasks + 1, sizeof(*tasks));
	for (i = 0; i < s->ntasks; i++) {
		if ((r = task_load_vars(s->tasks[i], names, values, nvars,
		    &tasks[i], &cause)) != 0)
			goto out;
		if (p->scripted != NULL) {
			task_free(tasks[i]);
			tasks[i] = NULL;
			if ((r = load_scripted(s->tasks[i], p->scripted, names,
			    values, nvars, &tasks[i], &cause)) != 0)
				goto out;
		} else if (tasks[i]->mode == TASK_ACTIONS) {
			cause = xasprintf("%s: a scripted task (actions) "
			    "cannot measure a policy", s->tasks[i]);
			r = ERR_INVALID;
			goto out;
		}
	}

	results = cJSON_CreateArray();
	for (i = 0; i < s->ntasks && !fatal && !cancelled; i++) {
		for (k = 0; k < npols && !fatal && !cancelled; k++) {
			if (p->cancel != NULL && *p->cancel) {
				cancelled = 1;
				break;
			}
			if (run_one(conn, p, &pols[k], tasks[i], i, done,
			    s->ntasks * npols, results, &fatal, &label))
				cancelled = 1;
			done++;
			if (p->progress != NULL) {
				pr.done = done;
				pr.total = s->ntasks * npols;
				pr.label = label;
				p->progress(p->progress_arg, &pr);
			}
			free(label);
			label = NULL;
		}
	}
	if (fatal) {
		cause = xstrdup("the browser went away");
		r = ERR_CLOSED;
		goto out;
	}

	res = cJSON_CreateObject();
	cJSON_AddStringToObject(res, "suite", s->name);
	cJSON_AddNumberToObject(res, "tasks", (double)s->ntasks);
	cJSON_AddBoolToObject(res, "complete", !cancelled);
	arr = cJSON_AddArrayToObject(res, "policies");
	for (k = 0; k < npols; k++)
		cJSON_AddItemToArray(arr, pol_json(&pols[k]));
	cJSON_AddItemToObject(res, "results", results);
	results = NULL;
	*resultp = res;
	r = cancelled ? ERR_CANCELLED : 0;
out:
	cJSON_Delete(results);
	for (i = 0; tasks != NULL && i < s->ntasks; i++)
		task_free(tasks[i]);
	free(tasks);
	for (k = 0; k < npols; k++) {
		policy_free(pols[k].pol);
		free(pols[k].step_s);
	}
	site_stop(srv);
	free(base);
	if (r != 0 && r != ERR_CANCELLED)
		*causep = cause != NULL ? cause : xstrdup(err_str(r));
	else
		free(cause);
	return r;
}

/* A number member of o, or 0. */
static double
num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? v->valuedouble : 0.0;
}

/* The per-policy figures as a markdown table. */
char *
bench_suite_markdown(const cJSON *res)
{
	const cJSON *pols = cJSON_GetObjectItemCaseSensitive(res, "policies");
	const cJSON *P, *v, *ss;
	struct buf b;

	buf_init(&b, 1 << 20);
	(void)buf_puts(&b, "| policy | tasks | success | success rate | "
	    "mean steps | s/step median | s/step p95 |\n"
	    "|---|---:|---:|---:|---:|---:|---:|\n");
	cJSON_ArrayForEach(P, pols) {
		v = cJSON_GetObjectItemCaseSensitive(P, "policy");
		ss = cJSON_GetObjectItemCaseSensitive(P, "step_seconds");
		(void)buf_printf(&b, "| %s | %.0f | %.0f | %.1f%% | %.1f | "
		    "%.2f | %.2f |\n", cJSON_IsString(v) ? v->valuestring : "?",
		    num(P, "tasks"), num(P, "success"),
		    num(P, "success_rate") * 100, num(P, "mean_steps"),
		    num(ss, "median"), num(ss, "p95"));
	}
	return b.data != NULL ? buf_steal(&b, NULL) : xstrdup("");
}
