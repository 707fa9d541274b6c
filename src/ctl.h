/*
 * ctl.h: the control API server of webnavd (HTTP/1.1 and WebSocket on
 * libwebsockets).
 *
 * One lws context, which the daemon's control loop services: a vhost on
 * the unix socket (LWS_SERVER_OPTION_UNIX_SOCK; access is the socket's
 * mode and group) and optionally one on a loopback TCP port, where every
 * request needs the bearer token ("Authorization: Bearer T", or
 * "?token=T" for browsers, which cannot set headers on page loads and
 * WebSockets).  ctl.c reads requests with hard caps (path, query, header,
 * body), hands each complete one to the daemon's handler and writes the
 * response it fills; /v1/events upgrades to a WebSocket fed by
 * ctl_broadcast(), each subscriber with a bounded queue (a subscriber
 * that falls too far behind is dropped).  Everything runs on the control
 * loop's thread; nothing blocks.
 */
#ifndef WEBNAV_CTL_H
#define WEBNAV_CTL_H

#include <stddef.h>
#include <sys/types.h>

#include <cjson/cJSON.h>

#include "buf.h"

#define CTL_PATH_MAX		1024	/* request path (414 beyond) */
#define CTL_MAX_ARGS		16	/* query parameters */
#define CTL_ARG_MAX		1024	/* bytes of one parameter */
#define CTL_RESP_MAX		(256 * 1024 * 1024)
#define CTL_WS_QUEUE_MAX	1024	/* messages queued per subscriber */
#define CTL_WS_BYTES_MAX	(32 * 1024 * 1024)

enum ctl_method { CTL_GET, CTL_POST, CTL_DELETE, CTL_OTHER };

struct ctl_req {
	enum ctl_method	 method;
	const char	*path;
	const char	*argk[CTL_MAX_ARGS];	/* query, decoded, token */
	const char	*argv[CTL_MAX_ARGS];	/* removed */
	int		 nargs;
	const char	*body;		/* NUL-terminated; "" without one */
	size_t		 len;
	int		 tcp;		/* came over TCP (authenticated) */
};

struct ctl_resp {
	int		 status;	/* default 200 */
	const char	*type;		/* Content-Type, default JSON */
	struct buf	 body;
	char		*file;		/* allocated: send this file instead */
	char		*location;	/* allocated: Location header */
	const char	*allow;		/* Allow header (405) */
	const char	*csp;		/* Content-Security-Policy */
	int		 retry_after;	/* seconds; 0: no header */
};

/* Fills rs for a complete request.  Must not block. */
typedef void ctl_handler_fn(void *arg, const struct ctl_req *rq,
	    struct ctl_resp *rs);
/* The first message of a new event subscriber (allocated). */
typedef char *ctl_hello_fn(void *arg);

struct ctl_params {
	const char	*socket;
	int		 socket_mode;
	uid_t		 socket_uid;	/* (uid_t)-1: leave it */
	gid_t		 socket_gid;	/* (gid_t)-1: leave it */
	const char	*listen_host;	/* NULL: no TCP */
	int		 listen_port;
	const char	*token;		/* required with listen_host */
	size_t		 body_max;
	ctl_handler_fn	*handler;
	ctl_hello_fn	*hello;
	void		*arg;
};

struct ctl;

/*
 * Creates the lws context and listens.  Fails with *causep (e.g. "cannot
 * listen on /run/webnav/webnavd.sock: ...").
 */
int	ctl_new(const struct ctl_params *p, struct ctl **cp, char **causep);
/* Closes every connection, removes the socket file.  NULL is a no-op. */
void	ctl_free(struct ctl *c);
struct lws_context *ctl_context(struct ctl *c);
/* The TCP port listened on (useful with port 0), or 0. */
int	ctl_tcp_port(const struct ctl *c);
/* New settings after a reload. */
void	ctl_set_token(struct ctl *c, const char *token);
void	ctl_set_body_max(struct ctl *c, size_t max);
/* Queues msg (copied) to every event subscriber. */
void	ctl_broadcast(struct ctl *c, const char *msg);
int	ctl_clients(const struct ctl *c);

/* Helpers for handlers. */
void	ctl_error(struct ctl_resp *rs, int status, const char *fmt, ...)
	    __attribute__((__format__(__printf__, 3, 4)));
/* Sets a JSON body from doc (consumed). */
void	ctl_json(struct ctl_resp *rs, int status, cJSON *doc);
/* The value of query parameter key, or NULL. */
const char *ctl_arg(const struct ctl_req *rq, const char *key);

#endif /* WEBNAV_CTL_H */
