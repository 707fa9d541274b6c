/*
 * daemon.h: webnavd's control loop (daemon.c) and its API handlers
 * (api.c), which share struct daemon.
 *
 * One thread: lws services the API sockets and a one-second timer; after
 * every service round the loop handles signal flags, session events,
 * dispatch of queued tasks, watchdogs and the drain on SIGTERM.  Nothing
 * in it blocks except short writes to the state directory.
 */
#ifndef WEBNAV_DAEMON_H
#define WEBNAV_DAEMON_H

#include <libwebsockets.h>

#include "conf.h"
#include "ctl.h"
#include "metrics.h"
#include "queue.h"
#include "sessions.h"

/* Flags of daemon_main(). */
#define DAEMON_DEBUG	0x1	/* log level debug regardless of config */

struct daemon {
	struct conf	*conf;
	char		*conf_path;
	int		 flags;
	struct queue	*q;
	struct sessions	*S;
	struct ctl	*ctl;
	struct metrics	*m;
	struct lws_context *ctx;
	lws_sorted_usec_list_t tick;
	double		 start_time;	/* Unix time */
	int		 draining;	/* SIGTERM seen: no new tasks */
	int		 forced;	/* grace over: running tasks stopped */
	long long	 drain_end;	/* monotonic ms: end of the grace */
	long long	 force_end;	/* monotonic ms: give up on sessions */
	int		 done;
	enum sess_browser_state bstate;
	int		 restarts;	/* browser deaths */
};

/*
 * Runs the daemon with configuration c (taken: replaced on SIGHUP and
 * freed by the daemon) until SIGTERM/SIGINT and the drain.  Returns the
 * process exit status.
 */
int	daemon_main(struct conf *c, const char *conf_path, int flags);

/* Monotonic milliseconds. */
long long daemon_now_ms(void);
/* Broadcasts a task's new state to event subscribers. */
void	daemon_task_changed(struct daemon *d, struct qtask *t);
/* Cancels a running task (it ends at its next step). */
void	daemon_cancel_running(struct daemon *d, struct qtask *t);

/* api.c: the ctl handler and the first event of a subscriber. */
void	api_handle(void *arg, const struct ctl_req *rq, struct ctl_resp *rs);
char	*api_hello(void *arg, const struct ctl_who *who);
/* The task as JSON for events and lists. */
cJSON	*api_task_json(struct daemon *d, const struct qtask *t, int detail);

#endif /* WEBNAV_DAEMON_H */
