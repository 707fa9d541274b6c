/*
 * gym.h: the training-page generator (model/gen/) seen from C: its
 * families, page URLs, the oracle, training samples and their file,
 * data collection, the trainer and the "bench gym" harness.
 *
 * The generator is a set of static files (gen.html and *.js) served on
 * loopback; gen.html?family=F&seed=S[&impl=I][&split=P] builds a page in
 * the browser with a task (window.__gen.instruction), an oracle that
 * knows the right next action in the page's current state and a goal
 * check (window.__gen.done()).  Pages are observed through agent/ exactly
 * as at inference time.
 *
 * Files: gym.c (families, URLs, oracle), gym-sample.c (samples, their
 * file, samples to features and labels), gym-collect.c (episodes in
 * Chromium, DAgger), gym-train.c (the trainer, curves, plot),
 * gym-bench.c ("webnav bench gym").
 */
#ifndef WEBNAV_GYM_H
#define WEBNAV_GYM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "features.h"
#include "nn.h"

struct cdp_page;
struct cdp_conn;
struct obs;
struct model;

/* ---------------------------------------------------------------------- */
/* Families and pages (gym.c).                                            */

#define GYM_MAX_FAMILIES	32

struct gym_family {
	const char	*name;
	int		 heldout;	/* 1: validation only */
};

/* The families, in a fixed order (their index is a sample's family). */
extern const struct gym_family gym_families[];
extern const size_t gym_nfamilies;
/* Index of family name, or -1. */
int	gym_family_index(const char *name);

/* Phrasing splits of the generator (split=). */
enum { GYM_SPLIT_TRAIN = 0, GYM_SPLIT_HELDOUT, GYM_SPLIT_ANY };

/*
 * The directory of the generator's files: $WEBNAV_GEN_DIR, else the
 * installed copy, else the source tree's model/gen (when they hold
 * gen.html).  NULL when none is found.
 */
const char *gym_dir(void);

/* URL of a page: base is "http://127.0.0.1:PORT" (allocated). */
char	*gym_url(const char *base, const char *family, uint64_t seed,
	    int split);

/* What gym_open() read from a generated page. */
struct gym_page {
	char	*instr;		/* the instruction */
	char	*kind;		/* task kind */
	char	*tpl;		/* phrasing template id */
	char	*impl;		/* element implementation */
};

/*
 * Navigates page to url and reads the task.  On failure *causep
 * explains (the generator's own exception included).
 */
int	gym_open(struct cdp_page *page, const char *url, struct gym_page *gp,
	    char **causep);
/*
 * The same for the page of family/seed/split, built in the document the
 * page already shows when it is a generator page of base (no page load:
 * window.__gen.restart()), else by navigating there.
 */
int	gym_reset(struct cdp_page *page, const char *base, const char *family,
	    uint64_t seed, int split, struct gym_page *gp, char **causep);
void	gym_page_clear(struct gym_page *gp);

/* The oracle's answer for the last observation. */
enum { GYM_CLICK = 1, GYM_TYPE, GYM_SELECT, GYM_SCROLL, GYM_DONE };

#define GYM_MAX_ALTS	8

struct gym_gold {
	int	 op;			/* GYM_* */
	int	 mark;			/* mark id (click, type, select) */
	int	 alts[GYM_MAX_ALTS];	/* other right marks */
	char	*alt_values[GYM_MAX_ALTS];	/* their values (type), or
						   NULL */
	int	 nalts;
	int	 dir;			/* GYM_SCROLL: 1 down, -1 up */
	char	*value;			/* type: text; select: option */
	char	*why;
};

/*
 * Asks the oracle for the next action in the page's current state,
 * mapped onto the marks of o (which must be the observation just taken:
 * the collector's element list is that of the last collect).  An oracle
 * that cannot answer (its target is no mark) is ERR_NOTFOUND with
 * *causep.
 */
int	gym_oracle(struct cdp_page *page, const struct obs *o,
	    struct gym_gold *g, char **causep);
void	gym_gold_clear(struct gym_gold *g);

/* ---------------------------------------------------------------------- */
/* Samples and their file (gym-sample.c).                                 */

#define GYM_MAX_HIST	8
#define GYM_MAX_RECORD	(8u << 20)	/* bytes of one sample on disk */
#define GYM_MAX_SAMPLES	2000000

/* Sample flags. */
#define GYM_F_HELD_FAMILY	0x01	/* family held out */
#define GYM_F_HELD_PHRASE	0x02	/* phrasing held out */
#define GYM_F_DAGGER		0x04	/* state reached by the model */

/* Gold of a pseudo-mark, stored in gold[] as negative numbers. */
#define GYM_GOLD_DONE	(-1 - FEAT_PSEUDO_DONE)
#define GYM_GOLD_UP	(-1 - FEAT_PSEUDO_UP)
#define GYM_GOLD_DOWN	(-1 - FEAT_PSEUDO_DOWN)

/* One step of an episode with its gold answer. */
struct gym_sample {
	uint32_t	 episode;	/* global episode number */
	uint16_t	 step;		/* 0-based within the episode */
	uint8_t		 family;	/* index into gym_families */
	uint8_t		 flags;		/* GYM_F_* */
	char		*tpl;		/* phrasing template id */
	char		*instr;
	struct feat_hist hist[GYM_MAX_HIST];	/* oldest first; strings
						   owned */
	size_t		 nhist;
	struct obs	*obs;		/* marks and page geometry only */
	int		 gold[NN_MAX_GOLD];	/* mark ids, or GYM_GOLD_* */
	int		 ngold;
	int		 op;		/* NN_OP_* of a mark gold, else -1 */
	char		*value;		/* TYPE text or SELECT option of
					   gold[0], or NULL */
	char		*alt_values[NN_MAX_GOLD];	/* the same for
							   gold[1..] */
};

void	gym_sample_clear(struct gym_sample *s);

/* Appends s to f; ERR_IO on a write error. */
int	gym_sample_write(FILE *f, const struct gym_sample *s);
/* Writes the file header (once, at the start of a file). */
int	gym_file_header(FILE *f);

/*
 * A sample file read whole into memory; samples are decoded on demand
 * (each record stays in its encoded form until then).
 */
struct gym_data;

/*
 * Reads every sample file in paths (at most GYM_MAX_SAMPLES samples in
 * all), sorted by (episode, step) so that the order does not depend on
 * how collection was scheduled.  On failure *causep explains.
 */
int	gym_data_load(const char *const *paths, size_t npaths,
	    struct gym_data **dp, char **causep);
size_t	gym_data_count(const struct gym_data *d);
/* Family and flags of sample i without decoding it. */
int	gym_data_family(const struct gym_data *d, size_t i);
int	gym_data_flags(const struct gym_data *d, size_t i);
uint32_t gym_data_episode(const struct gym_data *d, size_t i);
/* Decodes sample i into s (gym_sample_clear() it). */
int	gym_data_get(const struct gym_data *d, size_t i, struct gym_sample *s);
void	gym_data_free(struct gym_data *d);

/*
 * Featurises sample s and fills its label: gold rows, operation, value
 * span (the instruction tokens that spell the value, a quoted match
 * first) and option of gold[0].  values (may be NULL) receives the value
 * each gold row of y wants typed or selected (NULL for clicks), pointing
 * into s.  *stepp is allocated (feat_step_free).
 */
int	gym_sample_features(const struct feat_config *fc,
	    const struct gym_sample *s, struct feat_step **stepp,
	    struct nn_label *y, const char **values, char **causep);

/* ---------------------------------------------------------------------- */
/* Collecting episodes (gym-collect.c).                                   */

typedef void gym_progress_fn(void *arg, size_t done, size_t total,
	    size_t samples, const char *what);

struct gym_collect_params {
	const char	*wsurl;		/* browser endpoint */
	const char	*base;		/* where model/gen is served */
	size_t		 episodes;	/* on training families */
	size_t		 val_episodes;	/* on held-out families and
					   phrasings */
	uint64_t	 seed;
	uint32_t	 first_episode;	/* episode numbers start here */
	int		 workers;	/* pages in parallel (1-4) */
	int		 max_steps;	/* per episode */
	int		 only;		/* one family (index), -1 all */
	struct model	*model;		/* DAgger: act with it (NULL: the
					   oracle acts) */
	double		 beta;		/* DAgger: probability that the
					   model acts */
	gym_progress_fn	*progress;
	void		*progress_arg;
	volatile int	*cancel;
};

void	gym_collect_default_params(struct gym_collect_params *p);

struct gym_collect_stats {
	size_t	episodes, samples, reached, failed;
	double	seconds;
	/* Time spent per phase, summed over workers (seconds). */
	double	open_s, observe_s, oracle_s, act_s, settle_s;
};

/*
 * Runs the episodes and appends their samples to out (one file; the
 * header must already be written).  Returns 0, or an error when the
 * browser failed (*causep); episodes whose oracle failed are counted in
 * st->failed and their samples dropped.
 */
int	gym_collect(const struct gym_collect_params *p, FILE *out,
	    struct gym_collect_stats *st, char **causep);

/* ---------------------------------------------------------------------- */
/* Training (gym-train.c).                                                */

struct gym_train_params {
	int		 epochs;
	int		 batch;		/* steps per update */
	int		 threads;	/* gradient workers, 1-8 */
	uint64_t	 seed;
	double		 lr, lr_emb;
	int		 warmup;	/* updates of linear warm-up */
	double		 final_lr;	/* linear decay to this fraction */
	double		 dropout;	/* on mark vectors */
	double		 field_drop;	/* blank a mark's text bag */
	double		 lex_drop;	/* zero a mark's lexical block */
	double		 word_drop;	/* drop a word of the instruction
					   (never of a value) */
	double		 syn_swap;	/* swap a word of the instruction
					   for a synonym (feat_synonym()) */
	const char	*curves;	/* CSV path, or NULL */
	int		 append;	/* 1: add to an existing CSV */
	long		 update0;	/* updates done before (curves) */
	int		 epoch0;	/* epochs done before (curves) */
	const char	*plot;		/* PNG path, or NULL */
	int		 progress;	/* 1: progress bar on stderr */
	volatile int	*cancel;
};

void	gym_train_default_params(struct gym_train_params *p);

struct gym_train_result {
	double	train_loss, train_acc;	/* last epoch */
	long	updates;
	double	val_acc_family;		/* held-out families */
	double	val_acc_phrase;		/* held-out phrasings */
	size_t	ntrain, nval;
	double	seconds;
};

/*
 * Trains model m on the training samples of d (samples flagged held out
 * are validation only), m->run for the first worker; writes curves and
 * the plot when asked.  On failure *causep explains.
 */
int	gym_train(struct model *m, const struct gym_data *d,
	    const struct gym_train_params *p, struct gym_train_result *res,
	    char **causep);

/*
 * Prints the samples of d that model m gets wrong (flags: which samples,
 * GYM_F_* held-out bits, 0 for the training ones, -1 for all) to out,
 * one line each with the gold and the model's best three answers, and a
 * summary per family.  For looking at errors.
 */
int	gym_eval_print(struct model *m, const struct gym_data *d, int flags,
	    FILE *out, char **causep);

/* Draws the curves of a CSV written by gym_train() as a PNG. */
int	gym_plot(const char *csv, const char *png, char **causep);

/* ---------------------------------------------------------------------- */
/* The benchmark (gym-bench.c).                                           */

struct gym_bench_params {
	const char	*const *policies;
	size_t		 npolicies;
	const char	*model_path;	/* ranker weights, or NULL */
	size_t		 episodes;	/* per set (held-out families, held-out
					   phrasings) */
	uint64_t	 seed;
	int		 max_steps;
	gym_progress_fn	*progress;
	void		*progress_arg;
	volatile int	*cancel;
};

void	gym_bench_default_params(struct gym_bench_params *p);

struct cJSON;

/*
 * Runs every episode with every policy through agent_run() on browser
 * connection conn, each on a fresh page in its own context, with the
 * generator served on loopback.  The task of an episode: the page's
 * instruction as its goal, success when window.__gen.done() holds.
 * *resultp: {"episodes", "sets": [...], "policies": [{"policy", per set
 * {"episodes", "success", "rate", "mean_steps"}, per family rates}],
 * "results": [...]}.
 */
int	gym_bench_run(struct cdp_conn *conn, const struct gym_bench_params *p,
	    struct cJSON **resultp, char **causep);
/* The result as a markdown table (allocated). */
char	*gym_bench_markdown(const struct cJSON *result);

#endif /* WEBNAV_GYM_H */
