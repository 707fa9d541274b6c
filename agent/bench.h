/*
 * bench.h: benchmark harnesses and their metrics.
 *
 * Mind2Web (bench-mind2web.c, bench-metrics.c): offline action prediction
 * on files in the format Mind2Web publishes.  Each step's cleaned_html (or
 * raw_html) is loaded into Chromium, observed with the same code as a live
 * page, restricted to the step's candidates (matched by backend_node_id,
 * optionally the top k by candidate rank), and the policy's choice is
 * scored the way the official evaluation (OSU-NLP-Group/Mind2Web,
 * src/action_prediction/metric.py) scores a prediction: element accuracy,
 * operation F1, step success, task success; micro over steps and macro
 * over tasks.
 *
 * Suite (bench-suite.c): task files run to their end in real Chromium,
 * each on a fresh page in its own browser context, with one or more
 * policies (or each task's reference script), reporting success rate,
 * mean steps and seconds per step.
 *
 * Nothing here prints; results come back as JSON for the caller.
 */
#ifndef WEBNAV_BENCH_H
#define WEBNAV_BENCH_H

#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

struct cdp_conn;
struct policy;

/* ---------------------------------------------------------------------- */
/* Mind2Web: reading.                                                     */

/* Caps (bytes or counts) applied while reading; see bench_m2w_params. */
#define BENCH_M2W_RECORD_MAX	((size_t)512 * 1024 * 1024)
#define BENCH_M2W_HTML_MAX	((size_t)64 * 1024 * 1024)
#define BENCH_M2W_CANDS_MAX	50000	/* pos + neg of one step */
#define BENCH_M2W_ACTIONS_MAX	1000	/* steps of one task */
#define BENCH_M2W_TEXT_MAX	(64 * 1024)	/* task text, a repr, a value */

enum bench_m2w_html {
	BENCH_M2W_CLEANED = 0,	/* cleaned_html, else raw_html */
	BENCH_M2W_RAW		/* raw_html, else cleaned_html */
};

struct bench_m2w_params {
	enum bench_m2w_html html;
	int	 top_k;		/* > 0: keep candidates with rank < top_k
				   (ranks must be given or derivable from
				   scores); 0: keep all */
	size_t	 max_record;	/* one JSON record, default
				   BENCH_M2W_RECORD_MAX */
	size_t	 max_html;	/* one step's HTML, default
				   BENCH_M2W_HTML_MAX */
};

void	bench_m2w_default_params(struct bench_m2w_params *p);

/* One candidate element of a step. */
struct bench_m2w_cand {
	char	*id;		/* backend_node_id */
	char	*tag;		/* "" if not given */
	int	 pos;		/* 1: from pos_candidates */
	int	 rank;		/* 0-based rank, -1 when unknown */
	double	 score;
	int	 has_score;
};

/* One step (action) of a task, as read from a task record or a row. */
struct bench_m2w_step {
	char		*task_id;	/* annotation_id */
	char		*website;	/* "" if not given */
	char		*domain;
	char		*task;		/* confirmed_task */
	char		*action_uid;
	int		 index;		/* 0-based step in its task */
	char		**prev;		/* action_reprs of the earlier steps */
	size_t		 nprev;
	char		*html;		/* the chosen HTML */
	size_t		 html_len;
	int		 html_raw;	/* html is raw_html */
	char		*op;		/* "CLICK", "TYPE" or "SELECT" */
	char		*original_op;	/* "" if not given */
	char		*value;		/* "" for none */
	struct bench_m2w_cand *cands;	/* positives first */
	size_t		 ncands;
	size_t		 npos;
	int		 screenshot;	/* the row carried a screenshot */
	size_t		 record;	/* 1-based record number in the file */
};

struct bench_m2w_reader;

/*
 * Opens a Mind2Web file: a JSON array of task records (each with
 * "actions"), a JSON array of Multimodal-Mind2Web rows (one action each,
 * "operation" and candidates possibly JSON-encoded strings), or the same
 * records one per line (JSON Lines) or one object.  The file is read as a
 * stream, one record at a time.  On failure *causep explains.
 */
int	bench_m2w_open(const char *path, const struct bench_m2w_params *p,
	    struct bench_m2w_reader **rp, char **causep);
/*
 * Reads the next step: *stepp is allocated (bench_m2w_step_free()), or
 * NULL at the end of the file.  Errors: ERR_PARSE (not JSON), ERR_INVALID
 * (a field is wrong: "PATH: record N: FIELD: message"), ERR_TOOBIG (a
 * record or HTML over its cap), ERR_IO.
 */
int	bench_m2w_next(struct bench_m2w_reader *r,
	    struct bench_m2w_step **stepp, char **causep);
void	bench_m2w_close(struct bench_m2w_reader *r);
void	bench_m2w_step_free(struct bench_m2w_step *s);

/* ---------------------------------------------------------------------- */
/* Mind2Web: metrics (bench-metrics.c; no browser).                       */

/*
 * Token-set F1 of two action strings as the official calculate_f1():
 * split on white space (Python's str.split(), Unicode white space
 * included), compared as sets, case-sensitive; 1 if both are empty, 0 if
 * one is.
 */
double	bench_m2w_f1(const char *pred, const char *label);

/*
 * An action string as the official postprocess_action() makes it: op,
 * a space, and the value's first line with white space stripped; CLICK
 * ignores the value.  Allocated.
 */
char	*bench_m2w_action_str(const char *op, const char *value);

/* 1 if candidate c is kept under top_k (0: all kept). */
int	bench_m2w_cand_kept(const struct bench_m2w_cand *c, int top_k);
/* Number of positive candidates kept under top_k. */
size_t	bench_m2w_npos_kept(const struct bench_m2w_step *s, int top_k);

/* The three per-step scores. */
struct bench_m2w_score {
	int	elem;		/* predicted element is a kept positive */
	double	f1;		/* operation F1 against the gold action */
	int	step;		/* elem and f1 == 1 */
};

/*
 * Scores a prediction on step s: elem is the predicted backend_node_id
 * (NULL: no prediction, "None of the above"), action its action string
 * (bench_m2w_action_str()).  As the official code: without a kept
 * positive, or without a prediction, all three are 0.
 */
void	bench_m2w_score(const struct bench_m2w_step *s, int top_k,
	    const char *elem, const char *action, struct bench_m2w_score *sc);

/*
 * The floor: the first kept candidate in page order (the order of the
 * backend_node_id attributes in the step's HTML), or NULL if no kept
 * candidate occurs there.  Points into s.
 */
const char *bench_m2w_first_candidate(const struct bench_m2w_step *s,
	    int top_k);

/* Accumulates step scores per task (annotation_id). */
struct bench_m2w_metrics;

struct bench_m2w_summary {
	size_t	nsteps;
	size_t	ntasks;
	double	element_acc;		/* micro: mean over steps */
	double	action_f1;
	double	step_acc;
	double	macro_element_acc;	/* mean over tasks of task means */
	double	macro_action_f1;
	double	macro_step_acc;
	double	task_success;		/* tasks whose steps all succeed */
};

struct bench_m2w_metrics *bench_m2w_metrics_new(void);
/* Adds one step's scores to task task_id of website. */
void	bench_m2w_metrics_add(struct bench_m2w_metrics *m,
	    const char *task_id, const char *website,
	    const struct bench_m2w_score *sc);
/* The figures so far (all 0 without steps). */
void	bench_m2w_metrics_summary(const struct bench_m2w_metrics *m,
	    struct bench_m2w_summary *s);
/*
 * The figures as JSON, with the official names (element_acc, action_f1,
 * step_acc, marco_element_acc, marco_action_f1, marco_step_acc), plus
 * task_success, error_ratio (share of tasks with 0, 1, 2, 3, >3 failed
 * steps) and acc_per_website ({website: [mean task step_acc, tasks]}).
 */
cJSON	*bench_m2w_metrics_json(const struct bench_m2w_metrics *m);
void	bench_m2w_metrics_free(struct bench_m2w_metrics *m);

/* ---------------------------------------------------------------------- */
/* Mind2Web: the harness (bench-mind2web.c).                              */

/*
 * Progress of a run, for a progress bar: Mind2Web counts bytes of the
 * input files read, after each step; a suite counts runs, after each step
 * of a run (done unchanged) and after each run.
 */
struct bench_progress {
	size_t		 done;		/* units finished */
	size_t		 total;		/* 0 when unknown */
	const char	*label;		/* what was just done */
};

typedef void bench_progress_fn(void *arg, const struct bench_progress *p);

struct bench_m2w_run_params {
	struct bench_m2w_params	 read;
	int			 width;		/* viewport, default 1280 */
	int			 max_height;	/* tallest viewport a page is
						   laid out in, default
						   16384 */
	size_t			 max_steps;	/* stop after this many steps,
						   0: all */
	FILE			*steps_out;	/* one JSON line per step, or
						   NULL */
	bench_progress_fn	*progress;
	void			*progress_arg;
	volatile int		*cancel;	/* nonzero stops the run */
};

void	bench_m2w_run_default_params(struct bench_m2w_run_params *p);

/*
 * Runs policies pols[0..npols-1] over every step of files[0..nfiles-1] on
 * browser connection conn (one page in its own context) and returns the
 * results as JSON in *resultp: {"files", "html", "top_k", "steps", "tasks",
 * "steps_without_positive", "mark_recall" (share of steps where a kept
 * positive is a mark), "observe_ms_mean", "policies": [{"policy",
 * ...bench_m2w_metrics_json(), "no_element" (steps without an element
 * action), "fallback" (element action taken from the alternatives),
 * "errors", "decide_ms_mean"}], "floor": {"policy": "first-candidate",
 * ...bench_m2w_metrics_json()}}.  A policy given twice is named "NAME#2".
 * A policy that fails on a step scores 0 there.  Reading errors and
 * browser failures end the run with an error and *causep.
 */
int	bench_m2w_run(struct cdp_conn *conn, const char *const *files,
	    size_t nfiles, struct policy *const *pols, size_t npols,
	    const struct bench_m2w_run_params *p, cJSON **resultp,
	    char **causep);

/* The results of bench_m2w_run() as a text table (allocated). */
char	*bench_m2w_table(const cJSON *result);

/* ---------------------------------------------------------------------- */
/* Suites of live tasks (bench-suite.c).                                  */

#define BENCH_SUITE_MAX_TASKS	10000

struct bench_suite;

/*
 * Loads a suite: a JSON file {"name": ..., "description": ..., "site_root":
 * DIR, "tasks": [PATH, ...]} (only tasks required; paths relative to the
 * file's directory; a directory entry stands for the *.json files in it,
 * sorted), or a directory of task files.  site (may be NULL) overrides
 * site_root.  On failure *causep explains.
 */
int	bench_suite_load(const char *path, const char *site,
	    struct bench_suite **sp, char **causep);
const char *bench_suite_name(const struct bench_suite *s);
size_t	bench_suite_ntasks(const struct bench_suite *s);
/* Path of task i. */
const char *bench_suite_task(const struct bench_suite *s, size_t i);
/* The site root, or NULL if the suite serves none. */
const char *bench_suite_site(const struct bench_suite *s);
void	bench_suite_free(struct bench_suite *s);

struct bench_suite_params {
	const char		*const *policies;	/* names */
	size_t			 npolicies;
	const char		*replay_dir;	/* for policy "replay" */
	const char		*model_path;	/* for policy "ranker" (NULL:
						   its default) */
	const char		*scripted;	/* directory of reference
						   scripts: run them instead
						   of policies */
	const char		*out;		/* trajectories under
						   OUT/POLICY/TASK, or NULL */
	bench_progress_fn	*progress;
	void			*progress_arg;
	volatile int		*cancel;
};

void	bench_suite_default_params(struct bench_suite_params *p);

/*
 * Runs every task of the suite with every policy on browser connection
 * conn, each run on a fresh page in its own browser context, with the
 * suite's site served on 127.0.0.1 as ${BASE}.  With p->scripted, each
 * task runs instead the actions of the file of the same name in that
 * directory ({"actions": [...]}), as policy "scripted".  A policy given
 * twice is named "NAME#2".  *resultp: {"suite", "tasks", "complete",
 * "policies": [{"policy", "tasks", "success", "success_rate",
 * "mean_steps", "mean_steps_success", "steps", "step_seconds": {"median",
 * "p95", "mean"}, "outcomes": {...}, "seconds"}], "results": [{"task",
 * "file", "policy", "outcome", "steps", "seconds", "reason", "run_dir"}]}.
 * Returns 0; ERR_CANCELLED with *resultp covering the runs done; or an
 * error (a task file that does not load, the browser gone) with *causep.
 */
int	bench_suite_run(struct bench_suite *s, struct cdp_conn *conn,
	    const struct bench_suite_params *p, cJSON **resultp,
	    char **causep);

/* The policies' figures of a suite result as a markdown table. */
char	*bench_suite_markdown(const cJSON *result);

/*
 * The q-quantile (0..1) of v[0..n-1] by the nearest-rank method: the
 * smallest value with at least q*n values at or below it.  Sorts v; 0 for
 * n 0.
 */
double	bench_quantile(double *v, size_t n, double q);
/* The median of v[0..n-1] (mean of the middle two for even n); sorts v. */
double	bench_median(double *v, size_t n);

#endif /* WEBNAV_BENCH_H */
