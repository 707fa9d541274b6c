/*
 * ctl-proto.h: the control API between webnav(1) and webnavd(8).
 *
 * HTTP/1.1 with JSON bodies on the unix socket (and optionally a loopback
 * TCP port with "Authorization: Bearer TOKEN").  With per-client tokens
 * ("client" in webnavd.conf(5)) each task belongs to the client that
 * submitted it ("owner"), and a client of role "tasks" sees, lists,
 * watches and cancels only its own: another's task answers 404 as if it
 * did not exist.  Role "admin" sees everything; role "metrics" may only
 * GET /metrics and /v1/health (403 otherwise).  Every response carries
 * the header "Webnav-Protocol: CTL_PROTO_VERSION"; the version goes up on
 * any incompatible change to the paths or JSON below, and webnav refuses
 * to talk to a daemon with another version.
 *
 *   POST   /v1/tasks              body: a task file (man 5 webnav-task),
 *                                 plus an optional "policy": "NAME".
 *                                 201 with the task (below) and Location.
 *   GET    /v1/tasks              {"tasks":[task...],"total":N}, oldest
 *                                 first; ?state=S filters, ?limit=N
 *                                 (default 100, at most 10000) keeps the
 *                                 newest N.
 *   GET    /v1/tasks/ID           the task with its attempts and the
 *                                 task file (secrets redacted).
 *   DELETE /v1/tasks/ID           cancel: 200 when it was queued (now
 *                                 cancelled), 202 when running (it stops
 *                                 at the next step), 409 when finished.
 *   GET    /v1/tasks/ID/steps     {"steps":[{step, action, url, error,
 *                                 timings, screenshot, som}...]} of the
 *                                 latest attempt.
 *   GET    /v1/tasks/ID/steps/N/screenshot.png, .../N/som.png
 *                                 (som.png once the attempt has ended)
 *   GET    /v1/tasks/ID/live.png  Set-of-Mark image of the latest step
 *                                 of a running task, drawn while event
 *                                 subscribers watch
 *   GET    /v1/tasks/ID/report    report.html of the latest attempt.
 *   GET    /v1/health             {"status":"ok"|"draining", "proto",
 *                                 "version", "pid", "browser", "tasks"
 *                                 (counts; a tasks client's own only),
 *                                 "client": {"name", "role",
 *                                 "per_client_tokens"}: who the daemon
 *                                 takes the caller for, ...}.
 *   GET    /metrics               Prometheus text format (admins and
 *                                 metrics clients).
 *   GET    /                      the live view (HTML).
 *   GET    /v1/events             WebSocket: one JSON object per message,
 *                                 {"type":"hello","proto":N,"tasks":[...]}
 *                                 first, then "task" (state changes),
 *                                 "step" (progress) and "browser" events;
 *                                 only of the tasks the subscriber may
 *                                 see.
 *
 * A task in JSON: {"id", "name", "state", "policy", "owner" (client
 * name, or null: an admin's, or no per-client tokens), "submitted",
 * "started", "finished" (ISO 8601 UTC or null), "attempt", "max_attempts",
 * "outcome", "reason", "steps", "max_steps", "last_action", "final_url",
 * "run_dir", "cancel_requested"}.
 *
 * Errors: {"error": "message", "status": CODE} with 400 (bad JSON, bad
 * task, unknown field or parameter), 401 (token), 403 (role, or a unix
 * socket peer that is no client), 404, 405 (with Allow), 408 (the
 * request did not arrive within request_timeout; the connection is
 * closed), 409, 411 (no Content-Length), 413 (body over request_max),
 * 414, 503 (draining, the queue is full (with Retry-After), or too many
 * connections (then closed)).  Request heads over 8 KiB are not
 * answered: the connection is closed.
 */
#ifndef WEBNAV_CTL_PROTO_H
#define WEBNAV_CTL_PROTO_H

#include <string.h>

#define CTL_PROTO_VERSION	1
#define CTL_PROTO_HEADER	"Webnav-Protocol"

#define CTL_PATH_TASKS		"/v1/tasks"
#define CTL_PATH_HEALTH		"/v1/health"
#define CTL_PATH_EVENTS		"/v1/events"
#define CTL_PATH_METRICS	"/metrics"

/* The one key of a submission that is not part of the task file. */
#define CTL_SUBMIT_POLICY	"policy"

#define CTL_LIST_DEFAULT	100
#define CTL_LIST_MAX		10000

/* States of a task.  The last five are final. */
enum ctl_state {
	CTL_QUEUED = 0,
	CTL_RUNNING,
	CTL_SUCCEEDED,		/* the task's success checks hold */
	CTL_FAILED,		/* failed, max_steps, timeout, loop, denied */
	CTL_ERROR,		/* infrastructure: browser, page, files */
	CTL_CANCELLED,
	CTL_INTERRUPTED,	/* stopped by a daemon stop or crash */
	CTL_NSTATES
};

/* Name of a state as it appears in JSON and on the command line. */
static inline const char *
ctl_state_name(enum ctl_state s)
{
	switch (s) {
	case CTL_QUEUED:
		return "queued";
	case CTL_RUNNING:
		return "running";
	case CTL_SUCCEEDED:
		return "succeeded";
	case CTL_FAILED:
		return "failed";
	case CTL_ERROR:
		return "error";
	case CTL_CANCELLED:
		return "cancelled";
	case CTL_INTERRUPTED:
		return "interrupted";
	case CTL_NSTATES:
		break;
	}
	return "unknown";
}

/* The state named s, or -1. */
static inline int
ctl_state_parse(const char *s)
{
	int i;

	for (i = 0; i < CTL_NSTATES; i++)
		if (strcmp(s, ctl_state_name((enum ctl_state)i)) == 0)
			return i;
	return -1;
}

/* 1 for a state a task never leaves. */
static inline int
ctl_state_final(enum ctl_state s)
{
	return s >= CTL_SUCCEEDED && s < CTL_NSTATES;
}

#endif /* WEBNAV_CTL_PROTO_H */
