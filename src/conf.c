/*
 * conf.c: parsing and printing webnavd.conf.
 *
 * One table row per keyword: its name, the type of its value (which picks
 * the parse and print functions), where the value goes in struct conf,
 * its bounds, and whether it may repeat.  Lines are tokenised once: a
 * keyword, then one value, either a bare word or a double-quoted string
 * with \" and \\ escapes.
 */
#include "config.h"

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "conf.h"
#include "err.h"
#include "log.h"
#include "policy.h"
#include "remote.h"
#include "xmalloc.h"

#ifndef WEBNAV_CHROMIUM
#define WEBNAV_CHROMIUM "/usr/bin/chromium"
#endif

enum kw_type {
	KW_PATH,	/* absolute path */
	KW_NAME,	/* a word: user, group, policy */
	KW_INT,
	KW_DURATION,	/* stored in ms */
	KW_SIZE,	/* stored in bytes (size_t) */
	KW_MODE,	/* octal permission bits */
	KW_ENUM,
	KW_LISTEN,
	KW_ARG,		/* repeatable string (chromium_arg) */
	KW_CLIENT,	/* repeatable "client NAME OPTION VALUE..." */
	KW_REMOTE	/* a remote policy setting, checked by remote_set() */
};

struct kw {
	const char	*name;
	enum kw_type	 type;
	size_t		 off;		/* into struct conf */
	long long	 min, max;	/* KW_INT, KW_DURATION, KW_SIZE */
	const char *const *names;	/* KW_ENUM: value i is names[i] */
	int		 enum_base;	/* KW_ENUM: value of names[0] */
	int		 optional;	/* may be "none" (pointer NULL) */
};

static const char *const browser_names[] = { "shared", "per-session",
    NULL };
static const char *const retry_names[] = { "fail", "retry", NULL };
static const char *const sandbox_names[] = { "auto", "no", "yes", NULL };
static const char *const level_names[] = { "warn", "info", "debug", NULL };
/* Indexed by enum conf_role. */
static const char *const role_names[] = { "tasks", "admin", "metrics",
    NULL };

/* Indexed by enum conf_remote: the names remote_set() knows. */
static const char *const remote_names[] = { "endpoint", "model",
    "api_key_file", "top_k", "image_size", "temperature", "max_tokens",
    "timeout", "retries", NULL };

#define OFF(f)	offsetof(struct conf, f)

static const struct kw keywords[] = {
	{ "socket", KW_PATH, OFF(socket), 0, 0, NULL, 0, 0 },
	{ "socket_mode", KW_MODE, OFF(socket_mode), 0, 0777, NULL, 0, 0 },
	{ "socket_group", KW_NAME, OFF(socket_group), 0, 0, NULL, 0, 1 },
	{ "listen", KW_LISTEN, OFF(listen), 0, 0, NULL, 0, 1 },
	{ "token_file", KW_PATH, OFF(token_file), 0, 0, NULL, 0, 1 },
	{ "client", KW_CLIENT, OFF(clients), 0, 0, NULL, 0, 0 },
	{ "state_dir", KW_PATH, OFF(state_dir), 0, 0, NULL, 0, 0 },
	{ "user", KW_NAME, OFF(user), 0, 0, NULL, 0, 1 },
	{ "sessions", KW_INT, OFF(sessions), 1, CONF_MAX_SESSIONS, NULL, 0,
	    0 },
	{ "browser", KW_ENUM, OFF(browser), 0, 0, browser_names, 0, 0 },
	{ "chromium", KW_PATH, OFF(chromium), 0, 0, NULL, 0, 0 },
	{ "chromium_sandbox", KW_ENUM, OFF(chromium_sandbox), 0, 0,
	    sandbox_names, -1, 0 },
	{ "chromium_arg", KW_ARG, OFF(chromium_args), 0, 0, NULL, 0, 0 },
	{ "browser_start_timeout", KW_DURATION,
	    OFF(browser_start_timeout_ms), 1000, 600000, NULL, 0, 0 },
	{ "policy", KW_NAME, OFF(policy), 0, 0, NULL, 0, 0 },
	{ "task_timeout_max", KW_DURATION, OFF(task_timeout_max_ms), 1000,
	    86400000, NULL, 0, 0 },
	{ "queue_max", KW_INT, OFF(queue_max), 1, 1000000, NULL, 0, 0 },
	{ "request_max", KW_SIZE, OFF(request_max), 4096, 16 * 1024 * 1024,
	    NULL, 0, 0 },
	{ "max_connections", KW_INT, OFF(max_connections), 1,
	    CONF_MAX_CONNECTIONS, NULL, 0, 0 },
	{ "request_timeout", KW_DURATION, OFF(request_timeout_ms), 1000,
	    300000, NULL, 0, 0 },
	{ "on_interrupt", KW_ENUM, OFF(on_interrupt), 0, 0, retry_names, 0,
	    0 },
	{ "on_browser_crash", KW_ENUM, OFF(on_browser_crash), 0, 0,
	    retry_names, 0, 0 },
	{ "max_attempts", KW_INT, OFF(max_attempts), 1, 100, NULL, 0, 0 },
	{ "stop_grace", KW_DURATION, OFF(stop_grace_ms), 0, 3600000, NULL, 0,
	    0 },
	{ "keep_finished", KW_INT, OFF(keep_finished), 0, 10000000, NULL, 0,
	    0 },
	{ "log_level", KW_ENUM, OFF(log_level), 0, 0, level_names, 0, 0 },
	/* names[0]: the setting's name in remote.h. */
	{ "remote_endpoint", KW_REMOTE, OFF(remote[CONF_REMOTE_ENDPOINT]), 0,
	    0, remote_names + 0, 0, 1 },
	{ "remote_model", KW_REMOTE, OFF(remote[CONF_REMOTE_MODEL]), 0, 0,
	    remote_names + 1, 0, 1 },
	{ "remote_key_file", KW_REMOTE, OFF(remote[CONF_REMOTE_KEY_FILE]), 0,
	    0, remote_names + 2, 0, 1 },
	{ "remote_top_k", KW_REMOTE, OFF(remote[CONF_REMOTE_TOP_K]), 0, 0,
	    remote_names + 3, 0, 1 },
	{ "remote_image_size", KW_REMOTE, OFF(remote[CONF_REMOTE_IMAGE_SIZE]),
	    0, 0, remote_names + 4, 0, 1 },
	{ "remote_temperature", KW_REMOTE,
	    OFF(remote[CONF_REMOTE_TEMPERATURE]), 0, 0, remote_names + 5, 0,
	    1 },
	{ "remote_max_tokens", KW_REMOTE, OFF(remote[CONF_REMOTE_MAX_TOKENS]),
	    0, 0, remote_names + 6, 0, 1 },
	{ "remote_timeout", KW_REMOTE, OFF(remote[CONF_REMOTE_TIMEOUT]), 0, 0,
	    remote_names + 7, 0, 1 },
	{ "remote_retries", KW_REMOTE, OFF(remote[CONF_REMOTE_RETRIES]), 0, 0,
	    remote_names + 8, 0, 1 },
};
#define NKEYWORDS	(sizeof(keywords) / sizeof(keywords[0]))

/* Parser state: the config being filled and the errors so far. */
struct parse {
	struct conf	*c;
	const char	*name;
	struct buf	 errs;
	int		 nerrs;
	int		 seen[NKEYWORDS];	/* line of first use, 0: unused */
};

static void
perr(struct parse *P, int line, const char *fmt, ...)
    __attribute__((__format__(__printf__, 3, 4)));

/* Records one "NAME:LINE: message". */
static void
perr(struct parse *P, int line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (++P->nerrs > CONF_MAX_ERRORS + 1)
		return;
	if (P->errs.len > 0)
		(void)buf_puts(&P->errs, "\n");
	if (P->nerrs == CONF_MAX_ERRORS + 1) {
		(void)buf_printf(&P->errs, "%s: too many errors", P->name);
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line > 0)
		(void)buf_printf(&P->errs, "%s:%d: %s", P->name, line, msg);
	else
		(void)buf_printf(&P->errs, "%s: %s", P->name, msg);
}

/* Fills c with the defaults. */
static void
conf_set_defaults(struct conf *c)
{
	memset(c, 0, sizeof(*c));
	c->socket = xstrdup(CONF_DEFAULT_SOCKET);
	c->socket_mode = 0660;
	c->state_dir = xstrdup(CONF_DEFAULT_STATE_DIR);
	c->sessions = 2;
	c->browser = CONF_BROWSER_SHARED;
	c->chromium = xstrdup(WEBNAV_CHROMIUM);
	c->chromium_sandbox = -1;
	c->browser_start_timeout_ms = 30000;
	c->policy = xstrdup("lexical");
	c->task_timeout_max_ms = 3600000;
	c->queue_max = 10000;
	c->request_max = 2 * 1024 * 1024;
	c->max_connections = 256;
	c->request_timeout_ms = 10000;
	c->on_interrupt = CONF_RETRY_FAIL;
	c->on_browser_crash = CONF_RETRY_RETRY;
	c->max_attempts = 2;
	c->stop_grace_ms = 30000;
	c->keep_finished = 10000;
	c->log_level = LOG_LVL_INFO;
}

struct conf *
conf_default(void)
{
	struct conf *c = xcalloc(1, sizeof(*c));

	conf_set_defaults(c);
	c->path = xstrdup("(defaults)");
	return c;
}

void
conf_free(struct conf *c)
{
	size_t i;

	if (c == NULL)
		return;
	free(c->path);
	free(c->socket);
	free(c->socket_group);
	free(c->listen);
	free(c->listen_host);
	free(c->token_file);
	for (i = 0; i < c->nclients; i++) {
		free(c->clients[i].name);
		free(c->clients[i].token_file);
		free(c->clients[i].unix_user);
	}
	free(c->clients);
	free(c->state_dir);
	free(c->user);
	free(c->chromium);
	for (i = 0; i < c->nchromium_args; i++)
		free(c->chromium_args[i]);
	free(c->chromium_args);
	free(c->policy);
	for (i = 0; i < CONF_NREMOTE; i++)
		free(c->remote[i]);
	free(c);
}

/* ---------------------------------------------------------------------- */
/* Values.                                                                */

/*
 * Parses a decimal number with an optional unit suffix: units[i] scales
 * by mult[i]; a bare number is scaled by bare.  0 or -1.
 */
static int
parse_scaled(const char *s, const char *const *units, const long long *mult,
    long long bare, long long *vp)
{
	long long v = 0, m = bare;
	const char *p = s;
	size_t i;

	if (!isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		if (v > (LLONG_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (*p != '\0') {
		for (i = 0; units[i] != NULL; i++)
			if (strcmp(p, units[i]) == 0)
				break;
		if (units[i] == NULL)
			return -1;
		m = mult[i];
	}
	if (m != 0 && v > LLONG_MAX / m)
		return -1;
	*vp = v * m;
	return 0;
}

static const char *const dur_units[] = { "ms", "s", "m", "h", NULL };
static const long long dur_mult[] = { 1, 1000, 60000, 3600000 };
static const char *const size_units[] = { "k", "K", "m", "M", NULL };
static const long long size_mult[] = { 1024, 1024, 1048576, 1048576 };

/* A duration in its largest exact unit. */
const char *
conf_fmt_duration(int ms, char *buf, size_t len)
{
	if (ms != 0 && ms % 3600000 == 0)
		snprintf(buf, len, "%dh", ms / 3600000);
	else if (ms != 0 && ms % 60000 == 0)
		snprintf(buf, len, "%dm", ms / 60000);
	else if (ms % 1000 == 0)
		snprintf(buf, len, "%ds", ms / 1000);
	else
		snprintf(buf, len, "%dms", ms);
	return buf;
}

/* A size in its largest exact unit. */
static void
fmt_size(size_t n, char *buf, size_t len)
{
	if (n != 0 && n % 1048576 == 0)
		snprintf(buf, len, "%zum", n / 1048576);
	else if (n != 0 && n % 1024 == 0)
		snprintf(buf, len, "%zuk", n / 1024);
	else
		snprintf(buf, len, "%zu", n);
}

/* 1 for a loopback address we can listen on; *hostp is normalised. */
static int
loopback_host(const char *h, const char **hostp)
{
	unsigned a, b, c, d;
	char tail;

	if (strcmp(h, "localhost") == 0) {
		*hostp = "127.0.0.1";
		return 1;
	}
	if (strcmp(h, "::1") == 0) {
		*hostp = "::1";
		return 1;
	}
	if (sscanf(h, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) == 4 &&
	    a == 127 && b < 256 && c < 256 && d < 256) {
		*hostp = h;
		return 1;
	}
	return 0;
}

/* "HOST:PORT" or "[::1]:PORT" on a loopback address. */
static int
parse_listen(struct parse *P, int line, const char *v)
{
	struct conf *c = P->c;
	char host[64], *end;
	const char *colon, *norm = NULL;
	size_t hl;
	long port;

	if (v[0] == '[') {
		if ((colon = strstr(v, "]:")) == NULL) {
			perr(P, line, "listen: expected [::1]:PORT");
			return -1;
		}
		hl = (size_t)(colon - v - 1);
		if (hl >= sizeof(host))
			hl = sizeof(host) - 1;
		memcpy(host, v + 1, hl);
		host[hl] = '\0';
		colon++;
	} else {
		if ((colon = strrchr(v, ':')) == NULL) {
			perr(P, line, "listen: expected HOST:PORT, e.g. "
			    "127.0.0.1:8570");
			return -1;
		}
		hl = (size_t)(colon - v);
		if (hl >= sizeof(host))
			hl = sizeof(host) - 1;
		memcpy(host, v, hl);
		host[hl] = '\0';
	}
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (colon[1] == '\0' || *end != '\0' || errno != 0 || port < 0 ||
	    port > 65535) {
		perr(P, line, "listen: bad port \"%s\"", colon + 1);
		return -1;
	}
	if (!loopback_host(host, &norm)) {
		perr(P, line, "listen: %s is not a loopback address (the "
		    "API may only listen on 127.0.0.0/8 or ::1)", host);
		return -1;
	}
	free(c->listen);
	free(c->listen_host);
	c->listen = xstrdup(v);
	c->listen_host = xstrdup(norm);
	c->listen_port = (int)port;
	return 0;
}

/* 1 if s is a plain word: letters, digits, '_', '-', '.'. */
static int
plain_word(const char *s)
{
	if (*s == '\0' || *s == '-')
		return 0;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' &&
		    *s != '.')
			return 0;
	return 1;
}

/* Stores value v of keyword k (line `line`); 0 or -1 (error recorded). */
static int
set_value(struct parse *P, int line, const struct kw *k, const char *v)
{
	char *base = (char *)P->c;
	char **sp = (char **)(void *)(base + k->off);
	int *ip = (int *)(void *)(base + k->off);
	size_t *zp = (size_t *)(void *)(base + k->off);
	long long n;
	char *end;
	size_t i;

	if (k->optional && strcmp(v, "none") == 0) {
		free(*sp);
		*sp = NULL;
		if (k->type == KW_LISTEN) {
			free(P->c->listen_host);
			P->c->listen_host = NULL;
			P->c->listen_port = 0;
		}
		return 0;
	}
	switch (k->type) {
	case KW_REMOTE: {
		struct remote_params rp;
		char *cause = NULL, *ms = NULL;

		/* The timeout is a duration here, milliseconds there. */
		if (strcmp(k->names[0], "timeout") == 0) {
			if (parse_scaled(v, dur_units, dur_mult, 1000, &n) !=
			    0 || n > INT_MAX) {
				perr(P, line, "%s: \"%s\" is not a duration "
				    "(e.g. 60s)", k->name, v);
				return -1;
			}
			ms = xasprintf("%lld", n);
		}
		remote_default_params(&rp);
		if (remote_set(&rp, k->names[0], ms != NULL ? ms : v,
		    &cause) != 0 || (strcmp(k->names[0], "api_key_file") == 0 &&
		    v[0] != '/' && (cause = xstrdup("not an absolute "
		    "path")) != NULL)) {
			/* "remote top_k: want ..." says the name again. */
			perr(P, line, "%s: %s", k->name, strncmp(cause,
			    "remote ", 7) == 0 && strstr(cause, ": ") != NULL ?
			    strstr(cause, ": ") + 2 : cause);
			free(cause);
			free(ms);
			return -1;
		}
		free(*sp);
		*sp = ms != NULL ? ms : xstrdup(v);
		return 0;
	}
	case KW_PATH:
		if (v[0] != '/') {
			perr(P, line, "%s: \"%s\" is not an absolute path",
			    k->name, v);
			return -1;
		}
		if (strlen(v) >= PATH_MAX) {
			perr(P, line, "%s: path too long", k->name);
			return -1;
		}
		free(*sp);
		*sp = xstrdup(v);
		return 0;
	case KW_NAME:
		if (!plain_word(v) || strlen(v) > 64) {
			perr(P, line, "%s: \"%s\" is not a valid name",
			    k->name, v);
			return -1;
		}
		free(*sp);
		*sp = xstrdup(v);
		return 0;
	case KW_INT:
		errno = 0;
		n = strtoll(v, &end, 10);
		if (errno != 0 || end == v || *end != '\0' || n < k->min ||
		    n > k->max) {
			perr(P, line, "%s: expected a number from %lld to %lld, "
			    "not \"%s\"", k->name, k->min, k->max, v);
			return -1;
		}
		*ip = (int)n;
		return 0;
	case KW_DURATION:
		if (parse_scaled(v, dur_units, dur_mult, 1000, &n) != 0) {
			perr(P, line, "%s: \"%s\" is not a duration (e.g. 30s, "
			    "500ms, 5m, 1h)", k->name, v);
			return -1;
		}
		if (n < k->min || n > k->max) {
			char lo[32], hi[32];

			perr(P, line, "%s: %s is out of range (%s to %s)",
			    k->name, v, conf_fmt_duration((int)k->min, lo,
			    sizeof(lo)), conf_fmt_duration((int)k->max, hi,
			    sizeof(hi)));
			return -1;
		}
		*ip = (int)n;
		return 0;
	case KW_SIZE:
		if (parse_scaled(v, size_units, size_mult, 1, &n) != 0) {
			perr(P, line, "%s: \"%s\" is not a size (e.g. 65536, "
			    "64k, 1m)", k->name, v);
			return -1;
		}
		if (n < k->min || n > k->max) {
			char lo[32], hi[32];

			fmt_size((size_t)k->min, lo, sizeof(lo));
			fmt_size((size_t)k->max, hi, sizeof(hi));
			perr(P, line, "%s: %s is out of range (%s to %s)",
			    k->name, v, lo, hi);
			return -1;
		}
		*zp = (size_t)n;
		return 0;
	case KW_MODE:
		errno = 0;
		n = strtoll(v, &end, 8);
		if (v[0] != '0' || errno != 0 || *end != '\0' || n < k->min ||
		    n > k->max) {
			perr(P, line, "%s: expected octal permission bits such "
			    "as 0660, not \"%s\"", k->name, v);
			return -1;
		}
		if ((n & 0600) != 0600) {
			perr(P, line, "%s: %s would lock webnavd out of its "
			    "own socket (the owner needs rw)", k->name, v);
			return -1;
		}
		if ((n & 0007) != 0) {
			perr(P, line, "%s: %s gives every local user the "
			    "control API", k->name, v);
			return -1;
		}
		*ip = (int)n;
		return 0;
	case KW_ENUM:
		for (i = 0; k->names[i] != NULL; i++)
			if (strcmp(v, k->names[i]) == 0) {
				*ip = k->enum_base + (int)i;
				return 0;
			}
		{
			struct buf b;

			buf_init(&b, 256);
			for (i = 0; k->names[i] != NULL; i++)
				(void)buf_printf(&b, "%s%s", i == 0 ? "" :
				    k->names[i + 1] == NULL ? " or " : ", ",
				    k->names[i]);
			perr(P, line, "%s: expected %s, not \"%s\"", k->name,
			    b.data, v);
			buf_free(&b);
		}
		return -1;
	case KW_LISTEN:
		return parse_listen(P, line, v);
	case KW_ARG:
		if (v[0] != '-') {
			perr(P, line, "%s: \"%s\" is not a flag (flags start "
			    "with -)", k->name, v);
			return -1;
		}
		if (P->c->nchromium_args >= CONF_MAX_CHROMIUM_ARGS) {
			perr(P, line, "%s: more than %d", k->name,
			    CONF_MAX_CHROMIUM_ARGS);
			return -1;
		}
		if (strncmp(v, "--remote-debugging", 18) == 0 ||
		    strncmp(v, "--user-data-dir", 15) == 0) {
			perr(P, line, "%s: %s is set by webnavd itself",
			    k->name, v);
			return -1;
		}
		P->c->chromium_args = xreallocarray(P->c->chromium_args,
		    P->c->nchromium_args + 1, sizeof(char *));
		P->c->chromium_args[P->c->nchromium_args++] = xstrdup(v);
		return 0;
	case KW_CLIENT:
		break;
	}
	perr(P, line, "%s: internal error", k->name);
	return -1;
}

/* ---------------------------------------------------------------------- */
/* Lines.                                                                 */

/*
 * Reads the value at s: a bare word up to whitespace, or a quoted string.
 * *valp is allocated; *restp points after it.  0 or -1 with *whyp.
 */
static int
read_value(const char *s, char **valp, const char **restp, const char **whyp)
{
	struct buf b;

	if (*s != '"') {
		size_t n = strcspn(s, " \t");

		*valp = xstrndup(s, n);
		*restp = s + n;
		return 0;
	}
	buf_init(&b, CONF_LINE_MAX);
	for (s++; *s != '"'; s++) {
		if (*s == '\0') {
			buf_free(&b);
			*whyp = "unterminated quoted value";
			return -1;
		}
		if (*s == '\\') {
			if (s[1] != '"' && s[1] != '\\') {
				buf_free(&b);
				*whyp = "only \\\" and \\\\ may be escaped";
				return -1;
			}
			s++;
		}
		(void)buf_add(&b, s, 1);
	}
	*valp = b.data != NULL ? buf_steal(&b, NULL) : xstrdup("");
	*restp = s + 1;
	return 0;
}

const char *
conf_role_name(enum conf_role r)
{
	if ((int)r < 0 || (size_t)r >= sizeof(role_names) /
	    sizeof(role_names[0]) - 1)
		return "unknown";
	return role_names[r];
}

/*
 * "client NAME [token_file PATH] [unix_user USER] [role ROLE]": the rest
 * of the line after the keyword, as words (each bare or quoted).
 */
static void
parse_client(struct parse *P, int line, const char *s)
{
	struct conf *c = P->c;
	struct conf_client cl;
	char *w[8];
	const char *rest, *why = NULL;
	size_t nw = 0, i, j;
	int role_seen = 0;

	memset(&cl, 0, sizeof(cl));
	while (*s != '\0') {
		if (nw == sizeof(w) / sizeof(w[0])) {
			perr(P, line, "client: too many words (expected "
			    "client NAME [token_file PATH] [unix_user USER] "
			    "[role ROLE])");
			goto out;
		}
		if (read_value(s, &w[nw], &rest, &why) != 0) {
			perr(P, line, "client: %s", why);
			goto out;
		}
		nw++;
		for (s = rest; *s == ' ' || *s == '\t'; s++)
			;
	}
	if (nw == 0 || !plain_word(w[0]) || strlen(w[0]) > 64) {
		perr(P, line, "client: \"%.64s\" is not a valid name",
		    nw > 0 ? w[0] : "");
		goto out;
	}
	for (j = 0; j < c->nclients; j++)
		if (strcmp(c->clients[j].name, w[0]) == 0) {
			perr(P, line, "client %s: given twice (first on line "
			    "%d)", w[0], c->clients[j].line);
			goto out;
		}
	for (i = 1; i < nw; i += 2) {
		if (i + 1 >= nw) {
			perr(P, line, "client %s: %.32s needs a value", w[0],
			    w[i]);
			goto out;
		}
		if (strcmp(w[i], "token_file") == 0 && cl.token_file == NULL) {
			if (w[i + 1][0] != '/' ||
			    strlen(w[i + 1]) >= PATH_MAX) {
				perr(P, line, "client %s: token_file: \"%.64s\" "
				    "is not an absolute path", w[0], w[i + 1]);
				goto out;
			}
			cl.token_file = xstrdup(w[i + 1]);
		} else if (strcmp(w[i], "unix_user") == 0 &&
		    cl.unix_user == NULL) {
			if (!plain_word(w[i + 1]) || strlen(w[i + 1]) > 64) {
				perr(P, line, "client %s: unix_user: \"%.64s\" "
				    "is not a valid name", w[0], w[i + 1]);
				goto out;
			}
			cl.unix_user = xstrdup(w[i + 1]);
		} else if (strcmp(w[i], "role") == 0 && !role_seen) {
			for (j = 0; role_names[j] != NULL; j++)
				if (strcmp(w[i + 1], role_names[j]) == 0)
					break;
			if (role_names[j] == NULL) {
				perr(P, line, "client %s: role: expected tasks, "
				    "admin or metrics, not \"%.32s\"", w[0],
				    w[i + 1]);
				goto out;
			}
			cl.role = (enum conf_role)j;
			role_seen = 1;
		} else if (strcmp(w[i], "token_file") == 0 ||
		    strcmp(w[i], "unix_user") == 0 ||
		    strcmp(w[i], "role") == 0) {
			perr(P, line, "client %s: %s given twice", w[0], w[i]);
			goto out;
		} else {
			perr(P, line, "client %s: unknown option \"%.32s\" "
			    "(expected token_file, unix_user or role)", w[0],
			    w[i]);
			goto out;
		}
	}
	if (cl.token_file == NULL && cl.unix_user == NULL) {
		perr(P, line, "client %s: needs token_file or unix_user (or "
		    "both)", w[0]);
		goto out;
	}
	if (c->nclients >= CONF_MAX_CLIENTS) {
		perr(P, line, "client: more than %d", CONF_MAX_CLIENTS);
		goto out;
	}
	cl.name = xstrdup(w[0]);
	cl.line = line;
	c->clients = xreallocarray(c->clients, c->nclients + 1,
	    sizeof(*c->clients));
	c->clients[c->nclients++] = cl;
	memset(&cl, 0, sizeof(cl));
out:
	free(cl.token_file);
	free(cl.unix_user);
	for (i = 0; i < nw; i++)
		free(w[i]);
}

/* Edit distance of two short strings (insert, delete, substitute). */
static size_t
edit_distance(const char *a, const char *b)
{
	size_t prev[65], cur[65], i, j, la = strlen(a), lb = strlen(b);

	if (la > 64 || lb > 64)
		return 64;
	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t d = prev[j - 1] + (a[i - 1] != b[j - 1]);

			if (prev[j] + 1 < d)
				d = prev[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			cur[j] = d;
		}
		memcpy(prev, cur, sizeof(prev));
	}
	return prev[lb];
}

/* Closest keyword to an unknown one, for "did you mean", or NULL. */
static const char *
suggest(const char *w)
{
	const char *best = NULL;
	size_t i, d, bestd = 3;

	for (i = 0; i < NKEYWORDS; i++)
		if ((d = edit_distance(w, keywords[i].name)) < bestd) {
			bestd = d;
			best = keywords[i].name;
		}
	return best;
}

/* Parses one line (NUL-terminated, no newline). */
static void
parse_line(struct parse *P, int line, char *s)
{
	const struct kw *k = NULL;
	const char *rest, *why = NULL, *sug;
	char *val = NULL, *end;
	size_t i, n;

	n = strlen(s);
	if (n > 0 && s[n - 1] == '\r')
		s[n - 1] = '\0';
	for (i = 0; s[i] != '\0'; i++)
		if ((unsigned char)s[i] < 0x20 && s[i] != '\t') {
			perr(P, line, "control character in line");
			return;
		}
	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\r'))
		*--end = '\0';
	if (*s == '\0' || *s == '#')
		return;
	n = strcspn(s, " \t");
	for (i = 0; i < NKEYWORDS; i++)
		if (strlen(keywords[i].name) == n &&
		    strncmp(keywords[i].name, s, n) == 0) {
			k = &keywords[i];
			break;
		}
	if (k == NULL) {
		s[n] = '\0';
		if ((sug = suggest(s)) != NULL)
			perr(P, line, "unknown keyword \"%.64s\" (did you "
			    "mean \"%s\"?)", s, sug);
		else
			perr(P, line, "unknown keyword \"%.64s\"", s);
		return;
	}
	s += n;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0') {
		perr(P, line, "%s: missing value", k->name);
		return;
	}
	if (k->type == KW_CLIENT) {
		parse_client(P, line, s);
		return;
	}
	if (read_value(s, &val, &rest, &why) != 0) {
		perr(P, line, "%s: %s", k->name, why);
		return;
	}
	while (*rest == ' ' || *rest == '\t')
		rest++;
	if (*rest != '\0') {
		perr(P, line, "%s: one value expected, found more (\"%.32s\"); "
		    "quote a value that contains spaces", k->name, rest);
		free(val);
		return;
	}
	if (*val == '\0' && k->type != KW_ARG) {
		perr(P, line, "%s: empty value", k->name);
		free(val);
		return;
	}
	if (k->type != KW_ARG && k->type != KW_CLIENT && P->seen[i] != 0) {
		perr(P, line, "%s: given twice (first on line %d)", k->name,
		    P->seen[i]);
		free(val);
		return;
	}
	if (set_value(P, line, k, val) == 0 && P->seen[i] == 0)
		P->seen[i] = line;
	free(val);
}

/* Index of keyword name in the table. */
static size_t
kw_index(const char *name)
{
	size_t i;

	for (i = 0; i < NKEYWORDS; i++)
		if (strcmp(keywords[i].name, name) == 0)
			return i;
	return 0;
}

cJSON *
conf_remote_json(const struct conf *c)
{
	cJSON *j = cJSON_CreateObject();
	size_t i;

	for (i = 0; i < CONF_NREMOTE; i++) {
		if (c->remote[i] == NULL)
			continue;
		if (i == CONF_REMOTE_ENDPOINT || i == CONF_REMOTE_MODEL ||
		    i == CONF_REMOTE_KEY_FILE)
			cJSON_AddStringToObject(j, remote_names[i],
			    c->remote[i]);
		else
			cJSON_AddNumberToObject(j, remote_names[i],
			    strtod(c->remote[i], NULL));
	}
	return j;
}

/* The remote_* settings together (image_size's range, for one). */
static void
check_remote(struct parse *P)
{
	struct remote_params rp;
	cJSON *j;
	char *cause = NULL;
	size_t i;
	int line = 0;

	for (i = 0; i < NKEYWORDS; i++)
		if (keywords[i].type == KW_REMOTE && P->seen[i] != 0 &&
		    (line == 0 || P->seen[i] < line))
			line = P->seen[i];
	if (line == 0)
		return;
	remote_default_params(&rp);
	j = conf_remote_json(P->c);
	if (remote_set_json(&rp, j, &cause) != 0 ||
	    remote_params_check(&rp, &cause) != 0)
		perr(P, line, "%s", cause);
	free(cause);
	cJSON_Delete(j);
}

/* Checks that span keywords, once every line is read. */
static void
check_all(struct parse *P)
{
	struct conf *c = P->c;
	struct policy *pol = NULL;
	struct policy_params pp;
	struct sockaddr_un sun;
	char *cause = NULL;
	size_t i, j, ntokens = 0;
	int r;

	if (strlen(c->socket) >= sizeof(sun.sun_path))
		perr(P, P->seen[kw_index("socket")], "socket: path longer "
		    "than %zu bytes", sizeof(sun.sun_path) - 1);
	for (i = 0; i < c->nclients; i++)
		ntokens += c->clients[i].token_file != NULL;
	if (c->listen != NULL && c->token_file == NULL && ntokens == 0)
		perr(P, P->seen[kw_index("listen")], "listen: needs "
		    "token_file (the TCP port requires a bearer token)");
	if (c->token_file != NULL && c->listen == NULL)
		perr(P, P->seen[kw_index("token_file")], "token_file: only "
		    "used with listen");
	for (i = 0; i < c->nclients; i++) {
		const struct conf_client *a = &c->clients[i];

		if (a->token_file != NULL && c->listen == NULL)
			perr(P, a->line, "client %s: token_file is only used "
			    "with listen", a->name);
		for (j = 0; j < i; j++)
			if (a->unix_user != NULL &&
			    c->clients[j].unix_user != NULL &&
			    strcmp(a->unix_user, c->clients[j].unix_user) == 0)
				perr(P, a->line, "client %s: unix_user %s is "
				    "already client %s", a->name, a->unix_user,
				    c->clients[j].name);
	}
	check_remote(P);
	if (strcmp(c->policy, "replay") == 0)
		perr(P, P->seen[kw_index("policy")], "policy: replay needs a "
		    "recorded run and cannot be the default");
	else if (strcmp(c->policy, "remote") == 0) {
		/* Checked without contacting it or reading its key. */
		if (c->remote[CONF_REMOTE_ENDPOINT] == NULL &&
		    getenv("WEBNAV_REMOTE_ENDPOINT") == NULL)
			perr(P, P->seen[kw_index("policy")], "policy: remote "
			    "needs remote_endpoint (or "
			    "WEBNAV_REMOTE_ENDPOINT in webnavd's "
			    "environment)");
	} else {
		policy_default_params(&pp);
		if ((r = policy_new(c->policy, &pp, &pol, &cause)) != 0)
			perr(P, P->seen[kw_index("policy")], "policy: %s",
			    cause != NULL ? cause : err_str(r));
		free(cause);
		policy_free(pol);
	}
	if (strcmp(c->state_dir, "/") == 0)
		perr(P, P->seen[kw_index("state_dir")], "state_dir: refusing "
		    "/");
}

int
conf_parse(const char *text, size_t len, const char *name,
    struct conf **confp, char **causep)
{
	struct parse P;
	struct conf *c;
	const char *p = text, *nl, *lim = text + len;
	char *line;
	int lineno = 0, r;

	*confp = NULL;
	if (causep != NULL)
		*causep = NULL;
	memset(&P, 0, sizeof(P));
	c = xcalloc(1, sizeof(*c));
	conf_set_defaults(c);
	c->path = xstrdup(name);
	P.c = c;
	P.name = name;
	buf_init(&P.errs, 64 * 1024);
	while (p < lim) {
		lineno++;
		if ((nl = memchr(p, '\n', (size_t)(lim - p))) == NULL)
			nl = lim;
		if (memchr(p, '\0', (size_t)(nl - p)) != NULL)
			perr(&P, lineno, "NUL byte in line");
		else if (nl - p > CONF_LINE_MAX)
			perr(&P, lineno, "line longer than %d bytes",
			    CONF_LINE_MAX);
		else {
			line = xstrndup(p, (size_t)(nl - p));
			parse_line(&P, lineno, line);
			free(line);
		}
		p = nl + 1;
	}
	if (P.nerrs == 0)
		check_all(&P);
	if (P.nerrs > 0) {
		if (causep != NULL)
			*causep = buf_steal(&P.errs, NULL);
		conf_free(c);
		r = ERR_PARSE;
	} else {
		*confp = c;
		r = 0;
	}
	buf_free(&P.errs);
	return r;
}

int
conf_load(const char *path, struct conf **confp, char **causep)
{
	struct buf b;
	char chunk[8192];
	ssize_t n;
	int fd, r = ERR_INTERNAL;

	*confp = NULL;
	if (causep != NULL)
		*causep = NULL;
	buf_init(&b, CONF_FILE_MAX);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (causep != NULL)
			*causep = xasprintf("%s: %s", path, strerror(errno));
		return ERR_IO;
	}
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			if (causep != NULL)
				*causep = xasprintf("%s: %s", path,
				    strerror(errno));
			r = ERR_IO;
			goto out;
		}
		if (n == 0)
			break;
		if (buf_add(&b, chunk, (size_t)n) != 0) {
			if (causep != NULL)
				*causep = xasprintf("%s: larger than %d bytes",
				    path, CONF_FILE_MAX);
			r = ERR_TOOBIG;
			goto out;
		}
	}
	r = conf_parse(b.data != NULL ? b.data : "", b.len, path, confp,
	    causep);
out:
	close(fd);
	buf_free(&b);
	return r;
}

int
conf_read_token(const char *path, char **tokenp, char **causep)
{
	char buf[CONF_TOKEN_MAX + 2];
	size_t i, len;
	ssize_t n;
	int fd;

	*tokenp = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		*causep = xasprintf("token_file %s: %s", path,
		    strerror(errno));
		return ERR_IO;
	}
	do
		n = read(fd, buf, sizeof(buf) - 1);
	while (n == -1 && errno == EINTR);
	close(fd);
	if (n < 0) {
		*causep = xasprintf("token_file %s: %s", path,
		    strerror(errno));
		return ERR_IO;
	}
	len = (size_t)n;
	buf[len] = '\0';
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	if (len > CONF_TOKEN_MAX) {
		*causep = xasprintf("token_file %s: longer than %d bytes",
		    path, CONF_TOKEN_MAX);
		return ERR_INVALID;
	}
	if (len < CONF_TOKEN_MIN) {
		*causep = xasprintf("token_file %s: a token needs at least %d "
		    "bytes", path, CONF_TOKEN_MIN);
		return ERR_INVALID;
	}
	for (i = 0; i < len; i++)
		if (buf[i] <= ' ' || buf[i] > '~') {
			*causep = xasprintf("token_file %s: the token must be "
			    "one line of printable characters without spaces",
			    path);
			return ERR_INVALID;
		}
	*tokenp = xstrdup(buf);
	return 0;
}

int
conf_check(const struct conf *c, char **causep)
{
	char **tok = NULL;
	size_t i, j;
	int r = ERR_INVALID;

	*causep = NULL;
	if (c->user != NULL && getpwnam(c->user) == NULL) {
		*causep = xasprintf("%s: user: no such user \"%s\"", c->path,
		    c->user);
		return ERR_INVALID;
	}
	/* tok[0]: the admin token, tok[1 + i]: client i's; NULL: none. */
	tok = xcalloc(c->nclients + 1, sizeof(*tok));
	if (c->token_file != NULL &&
	    (r = conf_read_token(c->token_file, &tok[0], causep)) != 0)
		goto out;
	for (i = 0; i < c->nclients; i++) {
		const struct conf_client *a = &c->clients[i];

		if (a->unix_user != NULL && getpwnam(a->unix_user) == NULL) {
			*causep = xasprintf("%s:%d: client %s: unix_user: no "
			    "such user \"%s\"", c->path, a->line, a->name,
			    a->unix_user);
			r = ERR_INVALID;
			goto out;
		}
		if (a->token_file != NULL && (r = conf_read_token(
		    a->token_file, &tok[1 + i], causep)) != 0)
			goto out;
	}
	/* A token names one client: two with the same one would merge. */
	for (i = 0; i <= c->nclients; i++)
		for (j = 0; j < i; j++)
			if (tok[i] != NULL && tok[j] != NULL &&
			    strcmp(tok[i], tok[j]) == 0) {
				if (j == 0)
					*causep = xasprintf("%s:%d: client %s: "
					    "its token is the admin token of "
					    "token_file", c->path,
					    c->clients[i - 1].line,
					    c->clients[i - 1].name);
				else
					*causep = xasprintf("%s:%d: client %s: "
					    "its token is also client %s's",
					    c->path, c->clients[i - 1].line,
					    c->clients[i - 1].name,
					    c->clients[j - 1].name);
				r = ERR_INVALID;
				goto out;
			}
	if (access(c->chromium, X_OK) == -1) {
		*causep = xasprintf("%s: chromium: cannot execute %s: %s",
		    c->path, c->chromium, strerror(errno));
		r = ERR_INVALID;
		goto out;
	}
	r = 0;
out:
	for (i = 0; i <= c->nclients; i++)
		free(tok[i]);
	free(tok);
	return r;
}

/* ---------------------------------------------------------------------- */
/* Printing.                                                              */

/* Writes a value, quoted when it is not a plain token. */
static void
put_value(struct buf *b, const char *v)
{
	const char *p;

	if (*v != '\0' && strcspn(v, " \t\"#") == strlen(v) && *v != '"') {
		(void)buf_puts(b, v);
		return;
	}
	(void)buf_puts(b, "\"");
	for (p = v; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			(void)buf_puts(b, "\\");
		(void)buf_add(b, p, 1);
	}
	(void)buf_puts(b, "\"");
}

char *
conf_format(const struct conf *c)
{
	const char *base = (const char *)c;
	struct buf b;
	char tmp[64];
	size_t i, j;

	buf_init(&b, 1024 * 1024);
	for (i = 0; i < NKEYWORDS; i++) {
		const struct kw *k = &keywords[i];
		const void *fp = base + k->off;
		int iv = *(const int *)fp;

		if (k->type == KW_CLIENT) {
			for (j = 0; j < c->nclients; j++) {
				const struct conf_client *a = &c->clients[j];

				(void)buf_printf(&b, "%s %s", k->name, a->name);
				if (a->token_file != NULL) {
					(void)buf_puts(&b, " token_file ");
					put_value(&b, a->token_file);
				}
				if (a->unix_user != NULL)
					(void)buf_printf(&b, " unix_user %s",
					    a->unix_user);
				(void)buf_printf(&b, " role %s\n",
				    conf_role_name(a->role));
			}
			continue;
		}
		if (k->type == KW_ARG) {
			for (j = 0; j < c->nchromium_args; j++) {
				(void)buf_printf(&b, "%s ", k->name);
				put_value(&b, c->chromium_args[j]);
				(void)buf_puts(&b, "\n");
			}
			continue;
		}
		(void)buf_printf(&b, "%s ", k->name);
		switch (k->type) {
		case KW_PATH:
		case KW_NAME:
		case KW_LISTEN: {
			const char *s = *(char *const *)fp;

			put_value(&b, s != NULL ? s : "none");
			break;
		}
		case KW_REMOTE: {
			const char *s = *(char *const *)fp;

			if (s != NULL && strcmp(k->names[0], "timeout") == 0)
				(void)buf_puts(&b, conf_fmt_duration(atoi(s),
				    tmp, sizeof(tmp)));
			else
				put_value(&b, s != NULL ? s : "none");
			break;
		}
		case KW_INT:
			(void)buf_printf(&b, "%d", iv);
			break;
		case KW_DURATION:
			(void)buf_puts(&b, conf_fmt_duration(iv, tmp,
			    sizeof(tmp)));
			break;
		case KW_SIZE:
			fmt_size(*(const size_t *)fp, tmp, sizeof(tmp));
			(void)buf_puts(&b, tmp);
			break;
		case KW_MODE:
			(void)buf_printf(&b, "0%03o", (unsigned)iv);
			break;
		case KW_ENUM:
			(void)buf_puts(&b, k->names[iv - k->enum_base]);
			break;
		case KW_ARG:
		case KW_CLIENT:
			break;
		}
		(void)buf_puts(&b, "\n");
	}
	return buf_steal(&b, NULL);
}
