/*
 * webnav-client.h: webnav's commands that talk to webnavd (ctl-proto.h).
 *
 *   webnav submit TASK.json [--var N=V] [--policy P]   prints the task id
 *   webnav wait ID...        until each task ends; exit status by outcome
 *   webnav show ID           state, attempts, outcome, report path
 *   webnav cancel ID...
 *   webnav list [STATE]
 *   webnav logs ID           the steps, following a running task
 *
 * The daemon is found at --socket (a unix socket path, or
 * http://127.0.0.1:PORT with the token in $WEBNAV_TOKEN), else
 * $WEBNAV_SOCKET, else the "socket" of webnavd.conf, else the default
 * /run/webnav/webnavd.sock.  Exit status: 0 success, 1 task failed,
 * cancelled or interrupted (or the daemon refused the request: no such
 * task, already ended), 2 usage or task-file error, 3 infrastructure
 * (daemon unreachable, task error, wait timed out).
 */
#ifndef WEBNAV_CLIENT_H
#define WEBNAV_CLIENT_H

#include <stddef.h>

/*
 * Runs one of the commands above: argv[0] is its name, then its options
 * (--socket PATH|URL, --json, --policy NAME, --var NAME=VALUE,
 * --timeout MS) and arguments.  Returns the exit status.
 */
int	client_main(int argc, char **argv);

#endif /* WEBNAV_CLIENT_H */
