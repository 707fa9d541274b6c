/*
 * ctl.h: the control API server of webnavd (HTTP/1.1 and WebSocket on
 * libwebsockets).
 *
 * One lws context, which the daemon's control loop services: a vhost on
 * the unix socket (LWS_SERVER_OPTION_UNIX_SOCK; access is the socket's
 * mode and group) and optionally one on a loopback TCP port, where every
 * request needs a bearer token ("Authorization: Bearer T", or "?token=T"
 * for browsers, which cannot set headers on page loads and WebSockets).
 *
 * Who is asking (struct ctl_who) is settled here, before the handler
 * runs.  Without per-client tokens everyone who gets in is an admin.
 * With them (ctl_params.clients), a TCP request is the client whose
 * token it presents (or an admin with the admin token), and a unix
 * socket peer is the client whose uid it has (SO_PEERCRED); root and
 * webnavd's own uid are admins, other uids are refused (403).  Tokens
 * are compared in constant time, each against every configured token.
 *
 * ctl.c reads requests with hard caps (connections, path, query,
 * header, body, and the time to send a whole request: a slow client
 * gets 408 and is closed), hands each complete one to the daemon's
 * handler and writes the response it fills; /v1/events upgrades to a
 * WebSocket fed by ctl_broadcast*(), each subscriber with a bounded
 * queue (a subscriber that falls too far behind is dropped).  Everything
 * runs on the control loop's thread; nothing blocks.
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
#define CTL_NAME_MAX		64	/* bytes of a client name */
#define CTL_CONNS_MAX		1000	/* max_conns at most */

enum ctl_method { CTL_GET, CTL_POST, CTL_DELETE, CTL_OTHER };

/* What a client may do; as enum conf_role. */
enum ctl_role {
	CTL_ROLE_TASKS,		/* its own tasks */
	CTL_ROLE_ADMIN,		/* everything */
	CTL_ROLE_METRICS	/* /metrics and /v1/health */
};

/* Who made a request. */
struct ctl_who {
	const char	*client;	/* client name, NULL: an unnamed admin
					   (admin token, root, webnavd's uid,
					   or no per-client tokens) */
	enum ctl_role	 role;
	int		 clients;	/* per-client tokens are configured */
};

/* A configured client (ctl copies everything). */
struct ctl_client {
	const char	*name;
	const char	*token;		/* NULL: none (unix socket only) */
	uid_t		 uid;		/* unix socket peer, (uid_t)-1: none */
	enum ctl_role	 role;
};

struct ctl_req {
	enum ctl_method	 method;
	const char	*path;
	const char	*argk[CTL_MAX_ARGS];	/* query, decoded, token */
	const char	*argv[CTL_MAX_ARGS];	/* removed */
	int		 nargs;
	const char	*body;		/* NUL-terminated; "" without one */
	size_t		 len;
	int		 tcp;		/* came over TCP (authenticated) */
	struct ctl_who	 who;
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
typedef char *ctl_hello_fn(void *arg, const struct ctl_who *who);

struct ctl_params {
	const char	*socket;
	int		 socket_mode;
	uid_t		 socket_uid;	/* (uid_t)-1: leave it */
	gid_t		 socket_gid;	/* (gid_t)-1: leave it */
	const char	*listen_host;	/* NULL: no TCP */
	int		 listen_port;
	const char	*token;		/* admin token; this or a client
					   token is required with listen_host */
	const struct ctl_client *clients;	/* per-client tokens */
	size_t		 nclients;
	size_t		 body_max;
	int		 max_conns;	/* open connections, both sockets */
	int		 request_timeout_ms;	/* head and body, each */
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
/* New settings after a reload (everything is copied). */
void	ctl_set_auth(struct ctl *c, const char *token,
	    const struct ctl_client *clients, size_t nclients);
void	ctl_set_limits(struct ctl *c, size_t body_max, int max_conns);
/* Queues msg (copied) to every event subscriber. */
void	ctl_broadcast(struct ctl *c, const char *msg);
/*
 * Queues msg (copied) to the subscribers that may see a task of owner
 * (NULL: admins only): admins, and the client named owner.
 */
void	ctl_broadcast_task(struct ctl *c, const char *owner, const char *msg);
/* 1 if who may see a task of owner (see ctl_broadcast_task()). */
int	ctl_may_see(const struct ctl_who *who, const char *owner);
/* Event subscribers. */
int	ctl_clients(const struct ctl *c);
/* Open connections (HTTP and WebSocket, both sockets). */
int	ctl_connections(const struct ctl *c);

/* Helpers for handlers. */
void	ctl_error(struct ctl_resp *rs, int status, const char *fmt, ...)
	    __attribute__((__format__(__printf__, 3, 4)));
/* Sets a JSON body from doc (consumed). */
void	ctl_json(struct ctl_resp *rs, int status, cJSON *doc);
/* The value of query parameter key, or NULL. */
const char *ctl_arg(const struct ctl_req *rq, const char *key);

#endif /* WEBNAV_CTL_H */
