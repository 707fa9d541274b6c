/*
 * task.h: task files (JSON; man 5 webnav-task).
 *
 * A task names a start URL and either a goal, a list of step instructions
 * or a list of scripted actions, plus success and failure checks, limits,
 * an allowlist of domains and variables.  task_load() validates every
 * field and rejects unknown ones, explaining failures as
 * "FILE: FIELD: message".
 */
#ifndef WEBNAV_TASK_H
#define WEBNAV_TASK_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "action.h"

enum task_mode {
	TASK_GOAL,		/* one natural-language goal */
	TASK_STEPS,		/* instructions done in order */
	TASK_ACTIONS		/* scripted actions, no model */
};

enum check_kind {
	CHECK_URL_MATCHES,	/* POSIX extended regex against the URL */
	CHECK_TEXT_PRESENT,	/* substring of the page's visible text */
	CHECK_ELEMENT_PRESENT,	/* CSS selector matches a visible element */
	CHECK_JS		/* expression is truthy */
};

struct task_check {
	enum check_kind	 kind;
	char		*arg;		/* variables substituted */
};

struct task_var {
	char	*name;
	char	*value;
	int	 secret;	/* typed but never written anywhere */
};

struct task {
	char		*path;		/* file it came from, for messages */
	char		*name;
	char		*start_url;
	enum task_mode	 mode;
	char		*goal;		/* NULL when goal_js is used */
	char		*goal_js;	/* expression giving the goal */
	char		*setup_js;	/* run after the start page loads */
	char		**steps;	/* TASK_STEPS: instructions */
	size_t		 nsteps;
	struct action	*actions;	/* TASK_ACTIONS: scripted actions */
	size_t		 nactions;
	struct task_check *success;	/* all must hold for success */
	size_t		 nsuccess;
	struct task_check *fail;	/* any one holding ends in failure */
	size_t		 nfail;
	int		 max_steps;	/* default 20 */
	int		 step_timeout_ms;	/* default 30000 */
	int		 timeout_ms;	/* whole task, default 300000 */
	char		**allowed_domains;	/* empty: the start URL's host */
	size_t		 nallowed;
	char		**allowed_schemes;	/* beyond http/https: "file",
						   "data", "chrome" */
	size_t		 nschemes;
	int		 vw, vh;	/* viewport, default 1280x800 */
	cJSON		*remote;	/* "remote": remote policy settings
					   (remote_set_json()), or NULL */
	struct task_var	*vars;
	size_t		 nvars;
};

/*
 * Loads and validates a task file (at most 1 MiB).  On failure returns
 * ERR_PARSE (bad JSON: *causep is "PATH: line L, column C: invalid JSON
 * near '...'"), ERR_INVALID (a field is wrong: "PATH: FIELD: message",
 * FIELD a path such as "steps[2]" or "success[0].url_matches"), ERR_TOOBIG
 * or ERR_IO ("PATH: message").  *causep is allocated (causep may be NULL)
 * and never shows a secret value.
 */
int	task_load(const char *path, struct task **taskp, char **causep);
/*
 * As task_load() with n extra variables (names[i] = values[i], e.g. BASE
 * from the command line): they override the file's "vars" of the same
 * name, keeping its secret flag, and are substituted like them.
 */
int	task_load_vars(const char *path, const char *const *names,
	    const char *const *values, size_t n, struct task **taskp,
	    char **causep);
/* As task_load() on a string; name is used in messages. */
int	task_parse(const char *json, size_t len, const char *name,
	    struct task **taskp, char **causep);
int	task_parse_vars(const char *json, size_t len, const char *name,
	    const char *const *names, const char *const *values, size_t n,
	    struct task **taskp, char **causep);
/* Frees t; NULL is a no-op. */
void	task_free(struct task *t);

/*
 * Returns s with ${NAME} replaced by variable values and "$${" by "${"
 * (allocated), or NULL if s names an unknown variable.  task_load()
 * already did this for every field that takes variables.
 */
char	*task_subst(const struct task *t, const char *s);
/*
 * Substitutes ${NAME} in s from n variables (names[i] = values[i], later
 * ones winning) exactly as task_load_vars() does in a task file's fields:
 * "$${" is a literal "${".  For a URL given on the command line.  Returns
 * 0 with *outp (allocated), or ERR_INVALID with *causep (allocated, if
 * causep is not NULL) on a bad name or an unknown or malformed reference.
 */
int	task_subst_vars(const char *s, const char *const *names,
	    const char *const *values, size_t n, char **outp, char **causep);
/* Returns s with every secret value replaced by "********" (allocated). */
char	*task_redact(const struct task *t, const char *s);
/* The task as JSON with secrets redacted (for task.json in a run). */
cJSON	*task_to_json(const struct task *t);

/*
 * 0 if url may be visited under the task's allowlist and schemes, else
 * ERR_DENIED with *causep saying why.  about:blank is always allowed.
 */
int	task_url_allowed(const struct task *t, const char *url,
	    char **causep);

struct cdp_page;

/*
 * Evaluates check c on the page: *holdsp is 1 if it holds.  A check that
 * cannot be evaluated (JS exception) returns an error with *causep.
 */
int	task_check_eval(struct cdp_page *page, const struct task_check *c,
	    int *holdsp, char **causep);
/* Text form of a check for messages ("url_matches /done$/"). */
char	*task_check_str(const struct task_check *c);

#endif /* WEBNAV_TASK_H */
