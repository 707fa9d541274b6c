/*
 * queue.h: webnavd's tasks and their state directory.
 *
 * Every task lives in memory (a list in id order) and on disk, so that
 * nothing submitted is lost to a crash or a restart:
 *
 *   STATE/webnavd.lock      flock()ed by the running daemon, holds its pid
 *   STATE/tasks/ID.task.json  the submitted task file, written once
 *   STATE/tasks/ID.json     the task's record (state, attempts, outcome),
 *                           rewritten on every change
 *   STATE/runs/ID[.N]/      trajectory of attempt N (traj.h)
 *   STATE/tmp/              browser profiles (cleaned at start)
 *   STATE/live/ID.png       Set-of-Mark image of the latest step of a
 *                           running task, for the live view (cleaned at
 *                           start and when the task ends)
 *
 * Every file is written atomically: to a temporary name, fsync(), rename(),
 * then fsync() of the directory.  Ids count up from 1 and are never reused
 * while a record with a higher id exists.  Files are 0600, directories 0700:
 * task files hold secret variables.  Used by the control loop only.
 */
#ifndef WEBNAV_QUEUE_H
#define WEBNAV_QUEUE_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "ctl-proto.h"

#define QUEUE_RECORD_MAX	(4 * 1024 * 1024)	/* bytes of a record */
#define QUEUE_MAX_ATTEMPTS	100

/* One run of a task. */
struct qattempt {
	int	 n;		/* 1-based */
	double	 started;	/* Unix time */
	double	 finished;	/* 0 while running */
	char	*outcome;	/* agent outcome name, "interrupted", "crashed";
				   NULL while running */
	char	*reason;
	int	 steps;
	char	*run_dir;	/* relative to the state directory */
};

struct qtask {
	long long	 id;
	enum ctl_state	 state;
	char		*name;
	char		*policy;	/* NULL for scripted tasks */
	char		*owner;		/* client that submitted it, NULL: an
					   admin or no per-client tokens */
	double		 submitted, started, finished;	/* Unix time or 0 */
	int		 max_steps;
	int		 timeout_ms;
	struct qattempt	*att;		/* oldest first */
	size_t		 natt;
	char		*outcome;	/* of the final attempt */
	char		*reason;
	char		*final_url;
	int		 steps;
	/* Not saved: what the running attempt reported so far. */
	char		*last_action;
	int		 last_step;	/* latest step recorded, 0: none */
	int		 cancel;	/* cancellation requested (API) */
	int		 interrupting;	/* stopped by the drain on SIGTERM */
	int		 overdue;	/* stopped by the watchdog */
	int		 slot;		/* session slot while running, else -1 */
	double		 deadline_ms;	/* monotonic: watchdog of the attempt */
	struct qtask	*prev, *next;
};

struct queue;

/*
 * Opens (creating it if needed) the state directory: takes the lock,
 * removes temporary leftovers, loads every record.  A record that cannot
 * be read is renamed to ID.json.bad and skipped, with a warning.  Fails
 * with ERR_IO or, when another daemon holds the lock, ERR_INVALID; *causep
 * explains.
 */
int	queue_open(const char *dir, struct queue **qp, char **causep);
/* Releases the lock and frees everything.  NULL is a no-op. */
void	queue_close(struct queue *q);
const char *queue_dir(const struct queue *q);

/*
 * Stores a new task (body: the task file; name, policy, owner may be
 * NULL) as queued, on disk before it returns.  *tp belongs to the queue.
 */
int	queue_add(struct queue *q, const char *body, size_t len,
	    const char *name, const char *policy, const char *owner,
	    int max_steps, int timeout_ms, struct qtask **tp, char **causep);
/* Writes t's record again (after changing it).  0 or ERR_IO (logged). */
int	queue_save(struct queue *q, struct qtask *t);
/* Reads the task file of t (allocated, NUL-terminated). */
int	queue_body(struct queue *q, const struct qtask *t, char **bodyp,
	    size_t *lenp, char **causep);
/*
 * Starts attempt natt+1: state running, a fresh run directory name, the
 * record saved.  Returns the attempt (owned by t).
 */
struct qattempt *queue_begin(struct queue *q, struct qtask *t);
/* Ends the running attempt with an outcome (not saved: see queue_save). */
void	queue_end_attempt(struct qtask *t, const char *outcome,
	    const char *reason, int steps);

struct qtask *queue_find(struct queue *q, long long id);
struct qtask *queue_first(struct queue *q);
/* Oldest queued task, or NULL. */
struct qtask *queue_next_queued(struct queue *q);
int	queue_count(const struct queue *q, enum ctl_state s);
size_t	queue_total(const struct queue *q);
/*
 * Deletes the oldest final tasks (record, task file, runs) beyond keep
 * (0: keep all).
 */
void	queue_prune(struct queue *q, int keep);

/* Absolute path of an attempt's run directory (allocated). */
char	*queue_run_path(const struct queue *q, const struct qattempt *a);
/*
 * The task as the API shows it (ctl-proto.h); detail adds "attempts".
 * max_attempts is the daemon's setting, shown with it.
 */
cJSON	*queue_task_json(const struct queue *q, const struct qtask *t,
	    int max_attempts, int detail);

/* Current Unix time in seconds (with milliseconds). */
double	queue_now(void);
/* Writes t as ISO 8601 UTC with milliseconds ("...T12:00:00.000Z"). */
void	queue_fmt_time(double t, char *buf, size_t len);
/*
 * Writes data to path atomically (temporary file, fsync, rename, fsync of
 * the directory).  0 or ERR_IO with errno set.
 */
int	queue_write_file(const char *path, const void *data, size_t len);

#endif /* WEBNAV_QUEUE_H */
