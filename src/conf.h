/*
 * conf.h: webnavd's configuration file (man 5 webnavd.conf).
 *
 * "keyword value" lines looked up in a keyword table, one handler per
 * value type; blank lines and lines starting with '#' are ignored.  Every
 * problem is reported as "FILE:LINE: message" and parsing goes on, so one
 * run shows all of them.  conf_format() writes the effective configuration
 * (every keyword, defaults filled in) in the same syntax, which parses back
 * to the same values; webnavd -n prints it.
 */
#ifndef WEBNAV_CONF_H
#define WEBNAV_CONF_H

#include <stddef.h>

#ifndef WEBNAVD_CONF
#define WEBNAVD_CONF		"/etc/webnav/webnavd.conf"
#endif
#define CONF_DEFAULT_SOCKET	"/run/webnav/webnavd.sock"
#define CONF_DEFAULT_STATE_DIR	"/var/lib/webnav"

#define CONF_FILE_MAX		(1024 * 1024)	/* bytes of a config file */
#define CONF_LINE_MAX		4096		/* bytes of one line */
#define CONF_MAX_ERRORS		20		/* reported before giving up */
#define CONF_MAX_SESSIONS	64
#define CONF_MAX_CHROMIUM_ARGS	32
#define CONF_TOKEN_MIN		16		/* bytes of a bearer token */
#define CONF_TOKEN_MAX		512
#define CONF_MAX_CLIENTS	256		/* "client" lines */
#define CONF_MAX_CONNECTIONS	1000		/* max_connections at most */

/*
 * The remote policy's settings (agent/remote.h) a config may give, as
 * "remote_NAME value"; index into struct conf's remote[].
 */
enum conf_remote {
	CONF_REMOTE_ENDPOINT, CONF_REMOTE_MODEL, CONF_REMOTE_KEY_FILE,
	CONF_REMOTE_TOP_K, CONF_REMOTE_IMAGE_SIZE, CONF_REMOTE_TEMPERATURE,
	CONF_REMOTE_MAX_TOKENS, CONF_REMOTE_TIMEOUT, CONF_REMOTE_RETRIES,
	CONF_NREMOTE
};

enum conf_browser {
	CONF_BROWSER_SHARED,		/* one Chromium, a context per session */
	CONF_BROWSER_PER_SESSION	/* a Chromium per running task */
};

/* What a client of the API may do (see webnavd.conf(5), CLIENTS). */
enum conf_role {
	CONF_ROLE_TASKS,		/* submit, see and cancel its own tasks */
	CONF_ROLE_ADMIN,		/* everything, every task */
	CONF_ROLE_METRICS		/* /metrics and /v1/health only */
};

/* One "client NAME ..." line. */
struct conf_client {
	char		*name;
	char		*token_file;	/* its bearer token (TCP), or NULL */
	char		*unix_user;	/* unix socket peer, or NULL */
	enum conf_role	 role;
	int		 line;		/* in the file, for messages */
};

enum conf_retry {
	CONF_RETRY_FAIL,		/* record the task as failed */
	CONF_RETRY_RETRY		/* queue it again (max_attempts) */
};

struct conf {
	char		*path;		/* file it was read from */
	char		*socket;	/* unix socket of the control API */
	int		 socket_mode;	/* permission bits, default 0660 */
	char		*socket_group;	/* group of the socket, NULL: keep */
	char		*listen;	/* "HOST:PORT" as written, NULL: none */
	char		*listen_host;	/* "127.0.0.1" or "::1" */
	int		 listen_port;	/* 0: an ephemeral port */
	char		*token_file;	/* admin bearer token for listen */
	struct conf_client *clients;	/* per-client tokens, in file order */
	size_t		 nclients;
	char		*state_dir;
	char		*user;		/* drop root to this user, NULL: none */
	int		 sessions;	/* tasks run at once */
	enum conf_browser browser;
	char		*chromium;	/* executable */
	int		 chromium_sandbox;	/* -1 auto, 0 no, 1 yes */
	char		**chromium_args;	/* extra flags */
	size_t		 nchromium_args;
	int		 browser_start_timeout_ms;
	char		*policy;	/* default policy of tasks */
	int		 task_timeout_max_ms;	/* cap on a task's timeout_ms */
	int		 queue_max;	/* queued tasks at most */
	size_t		 request_max;	/* bytes of one API request body */
	int		 max_connections;	/* open API connections at most */
	int		 request_timeout_ms;	/* to send a whole request */
	enum conf_retry	 on_interrupt;	/* running when webnavd stopped */
	enum conf_retry	 on_browser_crash;
	int		 max_attempts;	/* runs of one task at most */
	int		 stop_grace_ms;	/* SIGTERM: time for running tasks */
	int		 keep_finished;	/* finished tasks kept, 0: all */
	int		 log_level;	/* LOG_LVL_* */
	/* remote_* keywords as written (checked), NULL: not set. */
	char		*remote[CONF_NREMOTE];
};

/*
 * Reads and parses a configuration file (at most CONF_FILE_MAX bytes).
 * Returns 0 with *confp set, ERR_IO ("PATH: strerror") or ERR_TOOBIG, or
 * ERR_PARSE with every problem found, one "PATH:LINE: message" per line.
 * *causep (allocated) explains any failure; causep may be NULL.
 */
int	conf_load(const char *path, struct conf **confp, char **causep);
/* As conf_load() on text; name is used in messages. */
int	conf_parse(const char *text, size_t len, const char *name,
	    struct conf **confp, char **causep);
/*
 * A configuration with every default and path "(defaults)", for running
 * without a file.  Never fails.
 */
struct conf *conf_default(void);
/*
 * Checks what depends on the machine rather than the text: the users
 * exist, every token file is readable and holds a usable token, no two
 * tokens are the same, the Chromium executable exists.  0 or
 * ERR_INVALID/ERR_IO with *causep.
 */
int	conf_check(const struct conf *c, char **causep);
/*
 * Reads the bearer token of token_file (one line, CONF_TOKEN_MIN to
 * CONF_TOKEN_MAX printable bytes, trailing newline dropped).  *tokenp is
 * allocated.
 */
int	conf_read_token(const char *path, char **tokenp, char **causep);
/* Name of a client role as written in the file ("tasks", "admin"...). */
const char *conf_role_name(enum conf_role r);
/*
 * The remote_* settings that c sets, as a JSON object for
 * remote_set_json() (numbers as numbers, timeout in ms); cJSON_Delete.
 */
struct cJSON;
struct cJSON *conf_remote_json(const struct conf *c);
/* The effective configuration in config-file syntax (allocated). */
char	*conf_format(const struct conf *c);
/* Writes "1h", "30s" or "250ms" for ms milliseconds into buf; returns buf. */
const char *conf_fmt_duration(int ms, char *buf, size_t len);
void	conf_free(struct conf *c);

#endif /* WEBNAV_CONF_H */
