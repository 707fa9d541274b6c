/*
 * sessions.h: webnavd's session threads and its supervised Chromium.
 *
 * A session is one running task: a thread with its own DevTools
 * connection and its own browser context, running agent_run() as
 * straight-line blocking code.  In "shared" mode one Chromium, launched
 * and watched by a supervisor thread that lives as long as it does (so
 * that PR_SET_PDEATHSIG in the launch is tied to the right thread),
 * carries every session; when it dies the supervisor records why, starts
 * it again (backing off when it keeps dying) and the sessions on it end
 * with crashed set.  In "per-session" mode each session thread launches
 * and frees its own Chromium.
 *
 * Threads report to the control loop only through events: they append
 * to a mutex-protected list and call the wake function (the loop's
 * lws_cancel_service()); the loop takes them with sess_events().  All
 * other functions are for the control loop's thread.
 */
#ifndef WEBNAV_SESSIONS_H
#define WEBNAV_SESSIONS_H

#include <stddef.h>
#include <sys/types.h>

#include "conf.h"
#include "metrics.h"

struct sess_params {
	int		 slots;		/* sessions at most (CONF_MAX_SESSIONS) */
	enum conf_browser mode;
	const char	*chromium;
	int		 sandbox;	/* -1 auto, 0, 1 */
	char *const	*args;		/* extra Chromium flags */
	size_t		 nargs;
	int		 start_timeout_ms;
	const char	*live_dir;	/* live Set-of-Mark images, or NULL */
	void		(*wake)(void *);	/* any thread, after posting */
	void		*wake_arg;
};

/* What a session runs. */
struct sess_job {
	long long	 id;
	int		 attempt;
	char		*body;		/* task file; taken by sess_start() */
	size_t		 len;
	char		*policy;	/* NULL: scripted; taken */
	char		*run_dir;	/* absolute; taken */
	struct cJSON	*remote;	/* webnavd.conf's remote_* settings
					   (conf_remote_json()), or NULL;
					   taken */
};

enum sess_ev_type {
	SEV_STEP,		/* a step was recorded */
	SEV_DONE,		/* the session ended; join it */
	SEV_BROWSER		/* the shared browser changed state */
};

enum sess_browser_state { SB_DOWN, SB_STARTING, SB_UP };

struct sess_event {
	enum sess_ev_type type;
	int		 slot;
	long long	 id;
	int		 attempt;
	/* SEV_STEP */
	int		 step, max_steps;
	char		*action;	/* text form, secrets redacted */
	double		 ms[MET_NPHASES];
	int		 live;		/* live_dir/ID.png shows this step */
	/* SEV_DONE */
	int		 ran;		/* agent_run() ran: outcome is valid */
	int		 outcome;	/* enum agent_outcome */
	char		*reason;
	int		 steps;
	double		 seconds;
	char		*final_url;
	int		 crashed;	/* the browser died under the task */
	char		*crash;		/* why it died */
	/* SEV_BROWSER */
	enum sess_browser_state bstate;
	int		 died;		/* it was up and died (not stopped) */
	int		 launch_failed;
	pid_t		 pid;
	char		*why;
	struct sess_event *next;
};

struct sessions;

/*
 * Creates the session slots and, in shared mode, the supervisor thread
 * that launches Chromium.  Fails only if a thread cannot be created.
 */
int	sess_init(const struct sess_params *p, struct sessions **sp,
	    char **causep);
/*
 * Stops everything: cancels running sessions, stops the browser (which
 * ends their calls at once), joins the threads, waiting at most
 * wait_ms for sessions that do not end.  NULL is a no-op.
 */
void	sess_shutdown(struct sessions *s, int wait_ms);

/* 1 when a session can start now (shared browser up). */
int	sess_ready(struct sessions *s);
/* Index of a free slot, or -1. */
int	sess_free_slot(const struct sessions *s);
int	sess_busy(const struct sessions *s);
/*
 * Starts job in slot (free).  On success the job's strings belong to the
 * session; on failure (thread creation) they are still the caller's.
 */
int	sess_start(struct sessions *s, int slot, struct sess_job *job,
	    char **causep);
/*
 * Whether sessions draw each step's Set-of-Mark image at once into
 * live_dir/ID.png (costs a PNG decode and encode per step; worth it only
 * while someone watches).
 */
void	sess_set_live(struct sessions *s, int on);
/* Asks the session in slot to stop at its next step. */
void	sess_cancel(struct sessions *s, int slot);
/* After SEV_DONE: joins the thread and frees the slot. */
void	sess_join(struct sessions *s, int slot);
/* Takes every pending event, oldest first (free with sess_events_free). */
struct sess_event *sess_events(struct sessions *s);
void	sess_events_free(struct sess_event *ev);

/* The shared browser: state, pid (0 if none), last reason, restarts. */
void	sess_browser(struct sessions *s, enum sess_browser_state *statep,
	    pid_t *pidp, char *reason, size_t len);

/*
 * Log redaction hook (log_set_redact()): hides the secret variables of
 * every running task.  Any thread.
 */
char	*sess_redact(void *arg, const char *msg);

#endif /* WEBNAV_SESSIONS_H */
