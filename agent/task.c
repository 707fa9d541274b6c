/*
 * task.c: task files (man 5 webnav-task).
 *
 * Loading is strict: the file is read with a size cap, parsed with cJSON,
 * and every field is checked for type, range and meaning; unknown and
 * duplicate fields are refused.  Variables are substituted while loading,
 * so everything in a struct task is final.  Every failure is explained as
 * "FILE: FIELD: message" with secrets redacted.
 *
 * The same file holds the URL allowlist (task_url_allowed), which parses
 * URLs the way a browser does for the parts that matter (scheme, host,
 * port) and fails closed on anything it does not understand.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "action.h"
#include "buf.h"
#include "err.h"
#include "remote.h"
#include "task.h"
#include "xmalloc.h"

#define TASK_FILE_MAX		(1024 * 1024)
#define TASK_NAME_MAX		200
/* Caps: goal, a step, a URL or a check; JavaScript (goal_js, js, ...). */
#define TASK_TEXT_MAX		8192
#define TASK_JS_MAX		(64 * 1024)
#define TASK_MAX_STEPS		100	/* entries of "steps" */
#define TASK_MAX_ACTIONS	500
#define TASK_MAX_CHECKS		50
#define TASK_MAX_DOMAINS	100
#define TASK_MAX_VARS		100
#define TASK_VAR_NAME_MAX	64
#define TASK_SUBST_MAX		(256 * 1024)
#define TASK_URL_SCAN		4096	/* bytes of a URL looked at */
#define TASK_REDACTED		"********"

#define TASK_DEF_MAX_STEPS	20
#define TASK_DEF_STEP_TIMEOUT	30000
#define TASK_DEF_TIMEOUT	300000
#define TASK_DEF_VW		1280
#define TASK_DEF_VH		800

/* Extra variables given by the caller (command line). */
struct task_extra {
	const char *const	*names;
	const char *const	*values;
	size_t			 n;
};

/* Parser state: the task being built and the first error. */
struct tp {
	struct task		*t;
	const struct task_extra	*extra;
	char			*err;	/* "FIELD: message" */
	int			 r;
	int			 max_steps_set;
	int			 step_timeout_set;
};

/* ---------------------------------------------------------------------- */
/* Small helpers.                                                         */

/* Records the first error as "FIELD: message"; returns -1. */
static int __attribute__((__format__(__printf__, 3, 4)))
tp_fail(struct tp *p, const char *field, const char *fmt, ...)
{
	va_list ap;
	char *msg = NULL;

	if (p->err != NULL)
		return -1;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		msg = NULL;
	va_end(ap);
	p->err = xasprintf("%s: %s", field, msg != NULL ? msg :
	    "out of memory");
	free(msg);
	p->r = ERR_INVALID;
	return -1;
}

/* s with quotes, backslashes and control bytes escaped, cut at max. */
static char *
quote(const char *s, size_t max)
{
	struct buf b;
	size_t n = 0;

	buf_init(&b, 4 * max + 8);
	for (; *s != '\0' && n < max; s++, n++) {
		if (*s == '"' || *s == '\\') {
			buf_add(&b, "\\", 1);
			buf_add(&b, s, 1);
		} else if ((unsigned char)*s < 0x20 || *s == 0x7f)
			buf_printf(&b, "\\x%02x", (unsigned char)*s);
		else
			buf_add(&b, s, 1);
	}
	if (*s != '\0')
		buf_puts(&b, "...");
	return buf_steal(&b, NULL);
}

/* 1 if s (n bytes) is a valid variable name. */
static int
valid_var_name(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > TASK_VAR_NAME_MAX || (s[0] >= '0' && s[0] <= '9'))
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

/* The variable named by n bytes at name, or NULL. */
static struct task_var *
var_find(const struct task *t, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < t->nvars; i++)
		if (strlen(t->vars[i].name) == n &&
		    strncmp(t->vars[i].name, name, n) == 0)
			return &t->vars[i];
	return NULL;
}

/*
 * Substitutes ${NAME} in s; "$${" is a literal "${".  Returns 0, or -1
 * with *whyp (allocated) on an unknown or malformed reference.
 */
static int
subst(const struct task *t, const char *s, char **outp, char **whyp)
{
	const struct task_var *v;
	const char *p = s, *end;
	struct buf b;
	char *q;

	buf_init(&b, TASK_SUBST_MAX);
	while (*p != '\0') {
		if (p[0] == '$' && p[1] == '$' && p[2] == '{') {
			if (buf_add(&b, "${", 2) != 0)
				goto toobig;
			p += 3;
			continue;
		}
		if (p[0] != '$' || p[1] != '{') {
			if (buf_add(&b, p, 1) != 0)
				goto toobig;
			p++;
			continue;
		}
		if ((end = strchr(p + 2, '}')) == NULL ||
		    !valid_var_name(p + 2, (size_t)(end - p - 2))) {
			q = quote(p, 40);
			*whyp = xasprintf("malformed variable reference "
			    "\"%s\" (write $${ for a literal ${)", q);
			free(q);
			buf_free(&b);
			return -1;
		}
		if ((v = var_find(t, p + 2, (size_t)(end - p - 2))) == NULL) {
			*whyp = xasprintf("unknown variable ${%.*s}",
			    (int)(end - p - 2), p + 2);
			buf_free(&b);
			return -1;
		}
		if (buf_puts(&b, v->value) != 0)
			goto toobig;
		p = end + 1;
	}
	*outp = buf_steal(&b, NULL);
	return 0;
toobig:
	buf_free(&b);
	*whyp = xasprintf("longer than %d bytes after substitution",
	    TASK_SUBST_MAX);
	return -1;
}

/* Substitutes variables in s; NULL on an unknown one. */
char *
task_subst(const struct task *t, const char *s)
{
	char *out = NULL, *why = NULL;

	if (subst(t, s, &out, &why) != 0) {
		free(why);
		return NULL;
	}
	return out;
}

/* qsort() order: longer strings first. */
static int
cmp_len_desc(const void *a, const void *b)
{
	size_t la = strlen(*(const char *const *)a);
	size_t lb = strlen(*(const char *const *)b);

	return la < lb ? 1 : la > lb ? -1 : 0;
}

/* s with every non-empty secret value replaced (allocated). */
char *
task_redact(const struct task *t, const char *s)
{
	const char **sec = NULL;
	struct buf b;
	size_t i, k, n = 0, len;
	int bad = 0;

	if (t == NULL)
		return xstrdup(s);
	for (i = 0; i < t->nvars; i++)
		if (t->vars[i].secret && t->vars[i].value != NULL &&
		    t->vars[i].value[0] != '\0')
			n++;
	if (n == 0)
		return xstrdup(s);
	sec = xreallocarray(NULL, n, sizeof(*sec));
	for (i = 0, k = 0; i < t->nvars; i++)
		if (t->vars[i].secret && t->vars[i].value != NULL &&
		    t->vars[i].value[0] != '\0')
			sec[k++] = t->vars[i].value;
	/* Longest first, so a secret inside another is not half shown. */
	qsort(sec, n, sizeof(*sec), cmp_len_desc);
	len = strlen(s);
	buf_init(&b, len < SIZE_MAX / 16 ? len * 8 + 64 : SIZE_MAX / 2);
	while (*s != '\0' && !bad) {
		for (k = 0; k < n; k++)
			if (strncmp(s, sec[k], strlen(sec[k])) == 0)
				break;
		if (k < n) {
			bad |= buf_puts(&b, TASK_REDACTED);
			s += strlen(sec[k]);
		} else
			bad |= buf_add(&b, s++, 1);
	}
	free(sec);
	if (bad) {
		/* Never fall back to showing the text. */
		buf_free(&b);
		return xstrdup(TASK_REDACTED);
	}
	return buf_steal(&b, NULL);
}

/* ---------------------------------------------------------------------- */
/* URLs, hosts and the allowlist.                                         */

struct url {
	char	scheme[24];	/* lower case */
	char	host[260];	/* normalised; "" for other schemes */
	int	port;		/* explicit or the default; 0 if none */
	const char *rest;	/* after "scheme:" in the cleaned copy */
};

/* Value of a hex digit, or -1. */
static int
hexdig(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * One part of an IPv4 address as browsers read it: decimal, 0x hex or
 * 0-prefixed octal.  -1 if it is not a number.
 */
static long long
ipv4_part(const char *s, size_t n)
{
	long long v = 0;
	int base = 10, d;
	size_t i = 0;

	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	} else if (n >= 2 && s[0] == '0') {
		base = 8;
		i = 1;
	} else if (n == 0)
		return -1;
	for (; i < n; i++) {
		if ((d = hexdig((unsigned char)s[i])) < 0 || d >= base)
			return -1;
		v = v * base + d;
		if (v > 0xffffffffLL)
			return -1;
	}
	return v;
}

/*
 * Normalises host h (n bytes) into out (256 bytes): percent-decoded,
 * lower case, one trailing dot removed, IPv4 in dotted-quad form, IPv6
 * in canonical brackets.  Returns 0, or -1 with *whyp.
 */
static int
host_normalize(const char *h, size_t n, char *out, const char **whyp)
{
	char tmp[256], *last;
	struct in6_addr a6;
	long long part[4], v;
	size_t i, k = 0, np = 0;
	const char *s, *dot;
	int c;

	if (n == 0) {
		*whyp = "empty host";
		return -1;
	}
	if (h[0] == '[') {
		if (n < 3 || h[n - 1] != ']' || n - 2 >= sizeof(tmp)) {
			*whyp = "invalid IPv6 address";
			return -1;
		}
		memcpy(tmp, h + 1, n - 2);
		tmp[n - 2] = '\0';
		out[0] = '[';
		if (inet_pton(AF_INET6, tmp, &a6) != 1 ||
		    inet_ntop(AF_INET6, &a6, out + 1, 250) == NULL) {
			*whyp = "invalid IPv6 address";
			return -1;
		}
		strcat(out, "]");
		return 0;
	}
	for (i = 0; i < n; i++) {
		c = (unsigned char)h[i];
		if (c == '%') {
			if (i + 2 >= n || hexdig((unsigned char)h[i + 1]) < 0 ||
			    hexdig((unsigned char)h[i + 2]) < 0) {
				*whyp = "invalid percent-encoding in host";
				return -1;
			}
			c = hexdig((unsigned char)h[i + 1]) * 16 +
			    hexdig((unsigned char)h[i + 2]);
			i += 2;
		}
		if (c >= 0x80) {
			*whyp = "non-ASCII host names are not supported "
			    "(use the punycode form)";
			return -1;
		}
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.')) {
			*whyp = "invalid character in host";
			return -1;
		}
		if (k >= 254) {
			*whyp = "host name too long";
			return -1;
		}
		tmp[k++] = (char)c;
	}
	if (k > 0 && tmp[k - 1] == '.')
		k--;
	tmp[k] = '\0';
	if (k == 0 || tmp[0] == '.' || strstr(tmp, "..") != NULL) {
		*whyp = "invalid host";
		return -1;
	}
	/*
	 * A host whose last label is a number (all digits, or one in hex or
	 * octal) is an IPv4 address, and invalid if it does not parse.
	 */
	last = strrchr(tmp, '.');
	last = last != NULL ? last + 1 : tmp;
	if (strspn(last, "0123456789") != strlen(last) &&
	    ipv4_part(last, strlen(last)) < 0) {
		memcpy(out, tmp, k + 1);
		return 0;
	}
	for (s = tmp;; s = dot + 1) {
		dot = strchr(s, '.');
		i = dot != NULL ? (size_t)(dot - s) : strlen(s);
		if (np == 4 || (v = ipv4_part(s, i)) < 0) {
			*whyp = "invalid IPv4 address";
			return -1;
		}
		part[np++] = v;
		if (dot == NULL)
			break;
	}
	for (i = 0; i + 1 < np; i++)
		if (part[i] > 255) {
			*whyp = "invalid IPv4 address";
			return -1;
		}
	if (part[np - 1] >= (1LL << (8 * (5 - np)))) {
		*whyp = "invalid IPv4 address";
		return -1;
	}
	v = part[np - 1];
	for (i = 0; i + 1 < np; i++)
		v += part[i] << (8 * (3 - i));
	(void)snprintf(out, 256, "%lld.%lld.%lld.%lld", (v >> 24) & 255,
	    (v >> 16) & 255, (v >> 8) & 255, v & 255);
	return 0;
}

/* A port number of n digits; -1 if invalid. */
static int
port_parse(const char *s, size_t n)
{
	long v = 0;
	size_t i;

	if (n == 0 || n > 5)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v <= 65535 ? (int)v : -1;
}

/*
 * Splits url into scheme, host and port as a browser would: leading and
 * trailing controls and spaces dropped, tabs and newlines removed, any run
 * of slashes or backslashes after "http:", userinfo up to the last "@".
 * clean (TASK_URL_SCAN + 1 bytes) holds the cleaned copy u->rest points
 * into.  Returns 0, or -1 with *whyp.
 */
static int
url_parse(const char *url, char *clean, struct url *u, const char **whyp)
{
	const char *p, *auth, *hp, *at, *e;
	size_t n = 0, alen, i;
	int port = 0;

	memset(u, 0, sizeof(*u));
	while (*url != '\0' && (unsigned char)*url <= 0x20)
		url++;
	for (p = url; *p != '\0' && n < TASK_URL_SCAN; p++)
		if (*p != '\t' && *p != '\n' && *p != '\r')
			clean[n++] = *p;
	if (*p == '\0')
		while (n > 0 && (unsigned char)clean[n - 1] <= 0x20)
			n--;
	clean[n] = '\0';
	for (i = 0; clean[i] != '\0' && clean[i] != ':'; i++) {
		int c = (unsigned char)clean[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (i > 0 && ((c >= '0' && c <= '9') || c == '+' ||
		    c == '-' || c == '.')))) {
			*whyp = "not an absolute URL";
			return -1;
		}
		if (i + 1 >= sizeof(u->scheme)) {
			*whyp = "scheme too long";
			return -1;
		}
		u->scheme[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	if (i == 0 || clean[i] != ':') {
		*whyp = "not an absolute URL";
		return -1;
	}
	u->rest = clean + i + 1;
	if (strcmp(u->scheme, "http") == 0)
		port = 80;
	else if (strcmp(u->scheme, "https") == 0)
		port = 443;
	else
		return 0;
	for (auth = u->rest; *auth == '/' || *auth == '\\'; auth++)
		;
	alen = strcspn(auth, "/\\?#");
	if (alen == strlen(auth) && n == TASK_URL_SCAN) {
		*whyp = "URL too long";
		return -1;
	}
	/* Userinfo ends at the last "@", as browsers read it. */
	hp = auth;
	for (at = auth; at < auth + alen; at++)
		if (*at == '@')
			hp = at + 1;
	e = auth + alen;
	if (*hp == '[') {
		const char *rb = memchr(hp, ']', (size_t)(e - hp));

		if (rb == NULL) {
			*whyp = "invalid IPv6 address";
			return -1;
		}
		p = rb + 1;
		if (p < e && *p != ':') {
			*whyp = "invalid host";
			return -1;
		}
	} else if ((p = memchr(hp, ':', (size_t)(e - hp))) == NULL)
		p = e;
	if (host_normalize(hp, (size_t)(p - hp), u->host, whyp) != 0)
		return -1;
	if (p < e && p + 1 < e) {
		if ((port = port_parse(p + 1, (size_t)(e - p - 1))) < 0) {
			*whyp = "invalid port";
			return -1;
		}
	}
	u->port = port;
	return 0;
}

/* 1 if normalised host h is an IP address. */
static int
host_is_ip(const char *h)
{
	if (h[0] == '[')
		return 1;
	return strspn(h, "0123456789.") == strlen(h);
}

/*
 * Normalises an allowed_domains pattern ("example.com", "*.example.com",
 * "127.0.0.1:8080", "[::1]:8080").  Returns it allocated, or NULL with
 * *whyp.
 */
static char *
pattern_normalize(const char *s, const char **whyp)
{
	char host[260];
	const char *hp = s, *colon;
	int wild = 0, port = 0;

	if (strstr(s, "://") != NULL || strchr(s, '/') != NULL) {
		*whyp = "write a host, *.host or host:port, without scheme "
		    "or path";
		return NULL;
	}
	if (strncmp(s, "*.", 2) == 0) {
		wild = 1;
		hp += 2;
	}
	if (*hp == '[') {
		if ((colon = strchr(hp, ']')) == NULL) {
			*whyp = "invalid IPv6 address";
			return NULL;
		}
		colon++;
		if (*colon != '\0' && *colon != ':') {
			*whyp = "invalid host";
			return NULL;
		}
	} else if ((colon = strchr(hp, ':')) == NULL)
		colon = hp + strlen(hp);
	if (strchr(hp, '*') != NULL) {
		*whyp = "a wildcard is only allowed as a leading \"*.\"";
		return NULL;
	}
	if (host_normalize(hp, (size_t)(colon - hp), host, whyp) != 0)
		return NULL;
	if (wild && host_is_ip(host)) {
		*whyp = "a wildcard cannot apply to an IP address";
		return NULL;
	}
	if (*colon == ':' && (port = port_parse(colon + 1,
	    strlen(colon + 1))) <= 0) {
		*whyp = "invalid port";
		return NULL;
	}
	if (port > 0)
		return xasprintf("%s%s:%d", wild ? "*." : "", host, port);
	return xasprintf("%s%s", wild ? "*." : "", host);
}

/* 1 if host h ends with "." + d. */
static int
subdomain_of(const char *h, const char *d)
{
	size_t lh = strlen(h), ld = strlen(d);

	return lh > ld + 1 && h[lh - ld - 1] == '.' &&
	    strcmp(h + lh - ld, d) == 0;
}

/* 1 if URL u matches normalised pattern pat. */
static int
pattern_match(const char *pat, const struct url *u)
{
	char host[260];
	const char *colon;
	size_t n;
	int wild = 0;

	if (strncmp(pat, "*.", 2) == 0) {
		wild = 1;
		pat += 2;
	}
	if (*pat == '[')
		colon = strchr(strchr(pat, ']'), ':');
	else
		colon = strchr(pat, ':');
	n = colon != NULL ? (size_t)(colon - pat) : strlen(pat);
	if (n >= sizeof(host))
		return 0;
	memcpy(host, pat, n);
	host[n] = '\0';
	if (colon != NULL && atoi(colon + 1) != u->port)
		return 0;
	if (wild)
		return subdomain_of(u->host, host);
	return strcmp(u->host, host) == 0 ||
	    (!host_is_ip(host) && subdomain_of(u->host, host));
}

/* Hands msg to *causep (or frees it); returns ERR_DENIED. */
static int
set_cause(char **causep, char *msg)
{
	if (causep != NULL)
		*causep = msg;
	else
		free(msg);
	return ERR_DENIED;
}

/* 1 if scheme is in the task's allowed_schemes. */
static int
scheme_listed(const struct task *t, const char *scheme)
{
	size_t i;

	for (i = 0; i < t->nschemes; i++)
		if (strcmp(t->allowed_schemes[i], scheme) == 0)
			return 1;
	return 0;
}

/* Decides whether the task may visit url. */
int
task_url_allowed(const struct task *t, const char *url, char **causep)
{
	char clean[TASK_URL_SCAN + 1], sclean[TASK_URL_SCAN + 1], *q, *msg;
	struct url u, su;
	const char *why = NULL;
	size_t i;

	if (causep != NULL)
		*causep = NULL;
	if (url_parse(url, clean, &u, &why) != 0) {
		q = quote(url, 100);
		msg = xasprintf("\"%s\": %s", q, why);
		free(q);
		return set_cause(causep, msg);
	}
	if (strcmp(u.scheme, "about") == 0) {
		if (strncmp(u.rest, "blank", 5) == 0 && (u.rest[5] == '\0' ||
		    u.rest[5] == '?' || u.rest[5] == '#'))
			return 0;
		q = quote(url, 100);
		msg = xasprintf("\"%s\": only about:blank is allowed among "
		    "about: pages", q);
		free(q);
		return set_cause(causep, msg);
	}
	if (strcmp(u.scheme, "javascript") == 0)
		return set_cause(causep, xstrdup("javascript: URLs are never "
		    "allowed"));
	if (strcmp(u.scheme, "http") != 0 && strcmp(u.scheme, "https") != 0) {
		if (strcmp(u.scheme, "file") != 0 &&
		    strcmp(u.scheme, "data") != 0 &&
		    strcmp(u.scheme, "chrome") != 0)
			return set_cause(causep, xasprintf("scheme %s: is not "
			    "allowed", u.scheme));
		if (scheme_listed(t, u.scheme))
			return 0;
		return set_cause(causep, xasprintf("scheme %s: is not in "
		    "allowed_schemes", u.scheme));
	}
	if (t->nallowed > 0) {
		for (i = 0; i < t->nallowed; i++)
			if (pattern_match(t->allowed_domains[i], &u))
				return 0;
		return set_cause(causep, xasprintf("host %s (port %d) is not "
		    "in allowed_domains", u.host, u.port));
	}
	/* No allowlist: the start URL's host, on any port. */
	if (t->start_url != NULL && url_parse(t->start_url, sclean, &su,
	    &why) == 0 && su.host[0] != '\0' && strcmp(su.host, u.host) == 0)
		return 0;
	return set_cause(causep, xasprintf("host %s is not the start URL's "
	    "host; list it in allowed_domains", u.host));
}

/* ---------------------------------------------------------------------- */
/* Field parsers.                                                         */

/* An integral JSON number in [min, max]. */
static int
tp_int(struct tp *p, const char *field, const cJSON *it, long min, long max,
    int *vp)
{
	double d;

	if (cJSON_IsNumber(it)) {
		d = it->valuedouble;
		if (d >= (double)min && d <= (double)max &&
		    !((double)(long)d < d || (double)(long)d > d)) {
			*vp = (int)d;
			return 0;
		}
	}
	return tp_fail(p, field, "must be an integer from %ld to %ld", min,
	    max);
}

/*
 * A non-empty JSON string of at most max bytes, with variables
 * substituted when sub is set.
 */
static int
tp_str(struct tp *p, const char *field, const cJSON *it, size_t max, int sub,
    char **outp)
{
	char *why = NULL, *out = NULL;

	if (!cJSON_IsString(it) || it->valuestring == NULL ||
	    it->valuestring[0] == '\0')
		return tp_fail(p, field, "must be a non-empty string");
	if (strlen(it->valuestring) > max)
		return tp_fail(p, field, "longer than %zu bytes", max);
	if (!sub) {
		*outp = xstrdup(it->valuestring);
		return 0;
	}
	if (subst(p->t, it->valuestring, &out, &why) != 0) {
		tp_fail(p, field, "%s", why);
		free(why);
		return -1;
	}
	if (strlen(out) > max) {
		free(out);
		return tp_fail(p, field, "longer than %zu bytes after "
		    "substitution", max);
	}
	*outp = out;
	return 0;
}

/* Substitutes variables in *sp in place (NULL is left alone). */
static int
tp_subst_in(struct tp *p, const char *field, char **sp)
{
	char *out = NULL, *why = NULL;

	if (*sp == NULL)
		return 0;
	if (subst(p->t, *sp, &out, &why) != 0) {
		tp_fail(p, field, "%s", why);
		free(why);
		return -1;
	}
	free(*sp);
	*sp = out;
	return 0;
}

/* Returns the array's size, or -1 if it is not a non-empty array <= max. */
static int
tp_array(struct tp *p, const char *field, const cJSON *v, int max,
    int nonempty)
{
	int n;

	if (!cJSON_IsArray(v))
		return tp_fail(p, field, "must be an array");
	n = cJSON_GetArraySize(v);
	if (nonempty && n == 0)
		return tp_fail(p, field, "must not be empty");
	if (n > max)
		return tp_fail(p, field, "more than %d entries", max);
	return n;
}

/* Index of the caller's variable name, or -1. */
static int
extra_index(const struct tp *p, const char *name)
{
	size_t i;

	for (i = 0; p->extra != NULL && i < p->extra->n; i++)
		if (strcmp(p->extra->names[i], name) == 0)
			return (int)i;
	return -1;
}

/* One variable: "NAME": "value" or {"value"|"value_env", "secret"}. */
static int
parse_var(struct tp *p, const cJSON *it, struct task_var *v)
{
	const cJSON *k, *val = NULL, *env = NULL, *sec = NULL;
	char field[TASK_VAR_NAME_MAX + 80], *q;
	const char *e;

	(void)snprintf(field, sizeof(field), "vars.%s", it->string);
	if (cJSON_IsString(it)) {
		if (strlen(it->valuestring) > TASK_TEXT_MAX)
			return tp_fail(p, field, "longer than %d bytes",
			    TASK_TEXT_MAX);
		v->value = xstrdup(it->valuestring);
		return 0;
	}
	if (!cJSON_IsObject(it))
		return tp_fail(p, field, "must be a string or an object");
	for (k = it->child; k != NULL; k = k->next) {
		if (strcmp(k->string, "value") == 0)
			val = k;
		else if (strcmp(k->string, "value_env") == 0)
			env = k;
		else if (strcmp(k->string, "secret") == 0)
			sec = k;
		else {
			q = quote(k->string, 40);
			(void)snprintf(field, sizeof(field), "vars.%s.%s",
			    it->string, q);
			free(q);
			return tp_fail(p, field, "unknown field");
		}
	}
	if (val != NULL && env != NULL)
		return tp_fail(p, field, "give value or value_env, not both");
	if (val == NULL && env == NULL)
		return tp_fail(p, field, "missing value or value_env");
	if (sec != NULL && !cJSON_IsBool(sec)) {
		(void)snprintf(field, sizeof(field), "vars.%s.secret",
		    it->string);
		return tp_fail(p, field, "must be true or false");
	}
	if (val != NULL) {
		(void)snprintf(field, sizeof(field), "vars.%s.value",
		    it->string);
		if (!cJSON_IsString(val))
			return tp_fail(p, field, "must be a string");
		if (strlen(val->valuestring) > TASK_TEXT_MAX)
			return tp_fail(p, field, "longer than %d bytes",
			    TASK_TEXT_MAX);
		v->value = xstrdup(val->valuestring);
	} else {
		(void)snprintf(field, sizeof(field), "vars.%s.value_env",
		    it->string);
		if (!cJSON_IsString(env) || !valid_var_name(env->valuestring,
		    strlen(env->valuestring)))
			return tp_fail(p, field, "must be the name of an "
			    "environment variable");
		/* A value given by the caller wins; no need for the env. */
		if (extra_index(p, it->string) >= 0)
			v->value = xstrdup("");
		else if ((e = getenv(env->valuestring)) == NULL)
			return tp_fail(p, field, "environment variable %s is "
			    "not set", env->valuestring);
		else if (strlen(e) > TASK_TEXT_MAX)
			return tp_fail(p, field, "environment variable %s is "
			    "longer than %d bytes", env->valuestring,
			    TASK_TEXT_MAX);
		else
			v->value = xstrdup(e);
	}
	/* A value from the environment is a credential unless said not. */
	v->secret = sec != NULL ? cJSON_IsTrue(sec) : env != NULL;
	return 0;
}

/* Adds the caller's variables, over those of the same name. */
static int
tp_extra_vars(struct tp *p)
{
	struct task *t = p->t;
	struct task_var *tv;
	size_t i;
	char *q;

	for (i = 0; p->extra != NULL && i < p->extra->n; i++) {
		const char *name = p->extra->names[i];
		const char *value = p->extra->values[i];

		if (name == NULL || !valid_var_name(name, strlen(name))) {
			q = quote(name != NULL ? name : "", 40);
			tp_fail(p, "vars", "invalid variable name \"%s\" "
			    "given by the caller", q);
			free(q);
			return -1;
		}
		if (value == NULL || strlen(value) > TASK_TEXT_MAX)
			return tp_fail(p, "vars", "value of %s given by the "
			    "caller is missing or too long", name);
		if ((tv = var_find(t, name, strlen(name))) != NULL) {
			free(tv->value);
			tv->value = xstrdup(value);
			continue;
		}
		if (t->nvars >= TASK_MAX_VARS)
			return tp_fail(p, "vars", "more than %d variables",
			    TASK_MAX_VARS);
		t->vars = xreallocarray(t->vars, t->nvars + 1,
		    sizeof(*t->vars));
		tv = &t->vars[t->nvars++];
		memset(tv, 0, sizeof(*tv));
		tv->name = xstrdup(name);
		tv->value = xstrdup(value);
	}
	return 0;
}

/*
 * Substitutes the caller's variables in s as a task file's fields are:
 * the same names, checks, precedence and errors.
 */
int
task_subst_vars(const char *s, const char *const *names,
    const char *const *values, size_t n, char **outp, char **causep)
{
	struct task_extra extra;
	struct tp p;
	char *out = NULL, *why = NULL;
	int r = ERR_INVALID;

	*outp = NULL;
	if (causep != NULL)
		*causep = NULL;
	memset(&p, 0, sizeof(p));
	extra.names = names;
	extra.values = values;
	extra.n = n;
	p.t = xcalloc(1, sizeof(*p.t));
	p.extra = &extra;
	if (tp_extra_vars(&p) != 0) {
		why = p.err;
		p.err = NULL;
		goto out;
	}
	if (subst(p.t, s, &out, &why) != 0)
		goto out;
	*outp = out;
	r = 0;
out:
	if (causep != NULL)
		*causep = why;
	else
		free(why);
	free(p.err);
	task_free(p.t);
	return r;
}

/* "vars", then the caller's variables over them. */
static int
parse_vars(struct tp *p, const cJSON *v)
{
	struct task *t = p->t;
	struct task_var *tv;
	const cJSON *it;
	char *q;

	if (v != NULL) {
		if (!cJSON_IsObject(v))
			return tp_fail(p, "vars", "must be an object");
		if (cJSON_GetArraySize(v) > TASK_MAX_VARS)
			return tp_fail(p, "vars", "more than %d variables",
			    TASK_MAX_VARS);
		for (it = v->child; it != NULL; it = it->next) {
			if (!valid_var_name(it->string, strlen(it->string))) {
				q = quote(it->string, 40);
				tp_fail(p, "vars", "invalid variable name "
				    "\"%s\" (letters, digits and _, not "
				    "starting with a digit)", q);
				free(q);
				return -1;
			}
			t->vars = xreallocarray(t->vars, t->nvars + 1,
			    sizeof(*t->vars));
			tv = &t->vars[t->nvars];
			memset(tv, 0, sizeof(*tv));
			tv->name = xstrdup(it->string);
			t->nvars++;
			if (parse_var(p, it, tv) != 0)
				return -1;
		}
	}
	return tp_extra_vars(p);
}

/* "name": a short one-line string. */
static int
parse_name(struct tp *p, const cJSON *v)
{
	const char *s;

	if (tp_str(p, "name", v, TASK_NAME_MAX, 0, &p->t->name) != 0)
		return -1;
	for (s = p->t->name; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return tp_fail(p, "name", "must not contain control "
			    "characters");
	return 0;
}

/* "start_url": an absolute http, https, file or data URL. */
static int
parse_start_url(struct tp *p, const cJSON *v)
{
	char clean[TASK_URL_SCAN + 1];
	struct url u;
	const char *why = NULL;

	if (tp_str(p, "start_url", v, TASK_TEXT_MAX, 1, &p->t->start_url) != 0)
		return -1;
	if (url_parse(p->t->start_url, clean, &u, &why) != 0)
		return tp_fail(p, "start_url", "invalid URL: %s", why);
	if (strcmp(u.scheme, "http") != 0 && strcmp(u.scheme, "https") != 0 &&
	    strcmp(u.scheme, "file") != 0 && strcmp(u.scheme, "data") != 0)
		return tp_fail(p, "start_url", "must be an http, https, file "
		    "or data URL");
	return 0;
}

/* "goal": the task in plain language. */
static int
parse_goal(struct tp *p, const cJSON *v)
{
	return tp_str(p, "goal", v, TASK_TEXT_MAX, 1, &p->t->goal);
}

/* "goal_js": an expression that gives the goal. */
static int
parse_goal_js(struct tp *p, const cJSON *v)
{
	return tp_str(p, "goal_js", v, TASK_JS_MAX, 1, &p->t->goal_js);
}

/* "setup_js": a script run on the start page. */
static int
parse_setup_js(struct tp *p, const cJSON *v)
{
	return tp_str(p, "setup_js", v, TASK_JS_MAX, 1, &p->t->setup_js);
}

/* "steps": instructions done in order. */
static int
parse_steps(struct tp *p, const cJSON *v)
{
	struct task *t = p->t;
	const cJSON *it;
	char field[32];
	int n;

	if ((n = tp_array(p, "steps", v, TASK_MAX_STEPS, 1)) < 0)
		return -1;
	t->steps = xcalloc((size_t)n, sizeof(*t->steps));
	for (it = v->child; it != NULL; it = it->next) {
		(void)snprintf(field, sizeof(field), "steps[%zu]", t->nsteps);
		if (tp_str(p, field, it, TASK_TEXT_MAX, 1,
		    &t->steps[t->nsteps]) != 0)
			return -1;
		t->nsteps++;
	}
	return 0;
}

/* "actions": scripted actions, with scripted targets allowed. */
static int
parse_actions(struct tp *p, const cJSON *v)
{
	struct task *t = p->t;
	struct action *a;
	const cJSON *it;
	char field[48], *cause = NULL;
	int n;

	if ((n = tp_array(p, "actions", v, TASK_MAX_ACTIONS, 1)) < 0)
		return -1;
	t->actions = xcalloc((size_t)n, sizeof(*t->actions));
	for (it = v->child; it != NULL; it = it->next) {
		(void)snprintf(field, sizeof(field), "actions[%zu]",
		    t->nactions);
		if (!cJSON_IsObject(it))
			return tp_fail(p, field, "must be an object");
		a = &t->actions[t->nactions];
		if (action_from_json(it, 1, a, &cause) != 0) {
			/* cause is "FIELD: message" within the action. */
			p->err = xasprintf("%s.%s", field, cause);
			p->r = ERR_INVALID;
			free(cause);
			return -1;
		}
		t->nactions++;
		(void)snprintf(field, sizeof(field), "actions[%zu].%s",
		    t->nactions - 1, a->op == ACT_NAVIGATE ? "url" : "value");
		if (tp_subst_in(p, field, &a->value) != 0)
			return -1;
		(void)snprintf(field, sizeof(field), "actions[%zu].text",
		    t->nactions - 1);
		if (tp_subst_in(p, field, &a->tgt.text) != 0)
			return -1;
		(void)snprintf(field, sizeof(field), "actions[%zu].role",
		    t->nactions - 1);
		if (tp_subst_in(p, field, &a->tgt.role) != 0)
			return -1;
		(void)snprintf(field, sizeof(field), "actions[%zu].label",
		    t->nactions - 1);
		if (tp_subst_in(p, field, &a->tgt.label) != 0)
			return -1;
		(void)snprintf(field, sizeof(field), "actions[%zu].selector",
		    t->nactions - 1);
		if (tp_subst_in(p, field, &a->tgt.selector) != 0)
			return -1;
	}
	return 0;
}

static const struct {
	const char	*name;
	enum check_kind	 kind;
	size_t		 max;
} check_kinds[] = {
	{ "url_matches", CHECK_URL_MATCHES, TASK_TEXT_MAX },
	{ "text_present", CHECK_TEXT_PRESENT, TASK_TEXT_MAX },
	{ "element_present", CHECK_ELEMENT_PRESENT, TASK_TEXT_MAX },
	{ "js", CHECK_JS, TASK_JS_MAX },
};
#define NCHECK_KINDS	(sizeof(check_kinds) / sizeof(check_kinds[0]))

/* "success" or "fail": an array of one-key check objects. */
static int
parse_checks(struct tp *p, const char *what, const cJSON *v,
    struct task_check **checksp, size_t *np)
{
	struct task_check *c;
	const cJSON *it;
	regex_t re;
	char field[128], ebuf[160], *q;
	size_t i;
	int n, rc;

	if ((n = tp_array(p, what, v, TASK_MAX_CHECKS, 0)) < 0)
		return -1;
	if (n == 0)
		return 0;
	*checksp = xcalloc((size_t)n, sizeof(**checksp));
	for (it = v->child; it != NULL; it = it->next) {
		(void)snprintf(field, sizeof(field), "%s[%zu]", what, *np);
		if (!cJSON_IsObject(it))
			return tp_fail(p, field, "must be an object");
		if (it->child == NULL)
			return tp_fail(p, field, "empty check (give one of "
			    "url_matches, text_present, element_present or "
			    "js)");
		for (i = 0; i < NCHECK_KINDS; i++)
			if (strcmp(it->child->string, check_kinds[i].name) == 0)
				break;
		if (i == NCHECK_KINDS) {
			q = quote(it->child->string, 40);
			(void)snprintf(field, sizeof(field), "%s[%zu].%s",
			    what, *np, q);
			free(q);
			return tp_fail(p, field, "unknown check (expected "
			    "url_matches, text_present, element_present or "
			    "js)");
		}
		if (it->child->next != NULL)
			return tp_fail(p, field, "one check per object (found "
			    "%s and %s)", it->child->string,
			    it->child->next->string);
		c = &(*checksp)[*np];
		(void)snprintf(field, sizeof(field), "%s[%zu].%s", what, *np,
		    check_kinds[i].name);
		if (tp_str(p, field, it->child, check_kinds[i].max, 1,
		    &c->arg) != 0)
			return -1;
		c->kind = check_kinds[i].kind;
		(*np)++;
		if (c->kind != CHECK_URL_MATCHES)
			continue;
		rc = regcomp(&re, c->arg, REG_EXTENDED | REG_NOSUB);
		if (rc != 0) {
			(void)regerror(rc, &re, ebuf, sizeof(ebuf));
			return tp_fail(p, field, "invalid regular expression: "
			    "%s", ebuf);
		}
		regfree(&re);
	}
	return 0;
}

/* "success": checks that must all hold. */
static int
parse_success(struct tp *p, const cJSON *v)
{
	return parse_checks(p, "success", v, &p->t->success, &p->t->nsuccess);
}

/* "fail": checks of which any one fails the task. */
static int
parse_fail(struct tp *p, const cJSON *v)
{
	return parse_checks(p, "fail", v, &p->t->fail, &p->t->nfail);
}

/* "max_steps". */
static int
parse_max_steps(struct tp *p, const cJSON *v)
{
	p->max_steps_set = 1;
	return tp_int(p, "max_steps", v, 1, 500, &p->t->max_steps);
}

/* "step_timeout_ms". */
static int
parse_step_timeout(struct tp *p, const cJSON *v)
{
	p->step_timeout_set = 1;
	return tp_int(p, "step_timeout_ms", v, 100, 600000,
	    &p->t->step_timeout_ms);
}

/* "timeout_ms". */
static int
parse_timeout(struct tp *p, const cJSON *v)
{
	return tp_int(p, "timeout_ms", v, 1000, 86400000, &p->t->timeout_ms);
}

/* "allowed_domains": host patterns, normalised. */
static int
parse_domains(struct tp *p, const cJSON *v)
{
	struct task *t = p->t;
	const cJSON *it;
	const char *why = NULL;
	char field[40], *s = NULL, *norm, *q;
	int n;

	if ((n = tp_array(p, "allowed_domains", v, TASK_MAX_DOMAINS, 0)) <= 0)
		return n;
	t->allowed_domains = xcalloc((size_t)n, sizeof(*t->allowed_domains));
	for (it = v->child; it != NULL; it = it->next) {
		(void)snprintf(field, sizeof(field), "allowed_domains[%zu]",
		    t->nallowed);
		if (tp_str(p, field, it, 300, 1, &s) != 0)
			return -1;
		if ((norm = pattern_normalize(s, &why)) == NULL) {
			q = quote(s, 80);
			tp_fail(p, field, "invalid host pattern \"%s\": %s",
			    q, why);
			free(q);
			free(s);
			return -1;
		}
		free(s);
		t->allowed_domains[t->nallowed++] = norm;
	}
	return 0;
}

/* "allowed_schemes": file, data or chrome. */
static int
parse_schemes(struct tp *p, const cJSON *v)
{
	static const char *const known[] = { "file", "data", "chrome" };
	struct task *t = p->t;
	const cJSON *it;
	char field[40], *q;
	size_t i;
	int n;

	if ((n = tp_array(p, "allowed_schemes", v, 8, 0)) <= 0)
		return n;
	t->allowed_schemes = xcalloc((size_t)n, sizeof(*t->allowed_schemes));
	for (it = v->child; it != NULL; it = it->next) {
		(void)snprintf(field, sizeof(field), "allowed_schemes[%zu]",
		    t->nschemes);
		if (!cJSON_IsString(it))
			return tp_fail(p, field, "must be a string");
		for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			if (strcasecmp(it->valuestring, known[i]) == 0)
				break;
		if (i < sizeof(known) / sizeof(known[0])) {
			t->allowed_schemes[t->nschemes++] = xstrdup(known[i]);
			continue;
		}
		if (strcasecmp(it->valuestring, "javascript") == 0)
			return tp_fail(p, field, "javascript: URLs are never "
			    "allowed");
		if (strcasecmp(it->valuestring, "http") == 0 ||
		    strcasecmp(it->valuestring, "https") == 0)
			return tp_fail(p, field, "%s is always allowed (for "
			    "the hosts in allowed_domains); list only file, "
			    "data or chrome", it->valuestring);
		q = quote(it->valuestring, 40);
		tp_fail(p, field, "unknown scheme \"%s\" (expected file, "
		    "data or chrome)", q);
		free(q);
		return -1;
	}
	return 0;
}

/* "viewport": {width, height}. */
static int
parse_viewport(struct tp *p, const cJSON *v)
{
	const cJSON *it, *w = NULL, *h = NULL;
	char *q;

	if (!cJSON_IsObject(v))
		return tp_fail(p, "viewport", "must be an object with width "
		    "and height");
	for (it = v->child; it != NULL; it = it->next) {
		if (strcmp(it->string, "width") == 0)
			w = it;
		else if (strcmp(it->string, "height") == 0)
			h = it;
		else {
			char field[80];

			q = quote(it->string, 40);
			(void)snprintf(field, sizeof(field), "viewport.%s", q);
			free(q);
			return tp_fail(p, field, "unknown field");
		}
	}
	if (w == NULL)
		return tp_fail(p, "viewport.width", "missing");
	if (h == NULL)
		return tp_fail(p, "viewport.height", "missing");
	if (tp_int(p, "viewport.width", w, 100, 4096, &p->t->vw) != 0 ||
	    tp_int(p, "viewport.height", h, 100, 4096, &p->t->vh) != 0)
		return -1;
	return 0;
}

/* "remote": settings of the remote policy (remote.h), checked here. */
static int
parse_remote(struct tp *p, const cJSON *v)
{
	struct remote_params rp;
	char *cause = NULL;
	int r;

	remote_default_params(&rp);
	if ((r = remote_set_json(&rp, v, &cause)) == 0)
		r = remote_params_check(&rp, &cause);
	if (r != 0) {
		r = tp_fail(p, "remote", "%s", cause != NULL ? cause :
		    err_str(r));
		free(cause);
		return r;
	}
	cJSON_Delete(p->t->remote);
	p->t->remote = cJSON_Duplicate(v, 1);
	return 0;
}

/* Top-level fields in the order they are handled ("vars" comes first). */
static const struct {
	const char	*name;
	int		(*fn)(struct tp *, const cJSON *);
} top_fields[] = {
	{ "vars", NULL },
	{ "name", parse_name },
	{ "start_url", parse_start_url },
	{ "goal", parse_goal },
	{ "goal_js", parse_goal_js },
	{ "setup_js", parse_setup_js },
	{ "steps", parse_steps },
	{ "actions", parse_actions },
	{ "success", parse_success },
	{ "fail", parse_fail },
	{ "max_steps", parse_max_steps },
	{ "step_timeout_ms", parse_step_timeout },
	{ "timeout_ms", parse_timeout },
	{ "allowed_domains", parse_domains },
	{ "allowed_schemes", parse_schemes },
	{ "viewport", parse_viewport },
	{ "remote", parse_remote },
};
#define NTOP_FIELDS	(sizeof(top_fields) / sizeof(top_fields[0]))

/*
 * Finds a duplicate key anywhere under j; returns its path (allocated) or
 * NULL.
 */
static char *
find_duplicate(const cJSON *j, const char *path)
{
	const cJSON *it, *o;
	char *sub, *dup = NULL;
	int i = 0;

	for (it = j->child; it != NULL && dup == NULL; it = it->next, i++) {
		if (cJSON_IsObject(j)) {
			for (o = it->next; o != NULL; o = o->next)
				if (strcmp(it->string, o->string) == 0)
					return *path != '\0' ? xasprintf(
					    "%s.%s", path, it->string) :
					    xstrdup(it->string);
			sub = *path != '\0' ? xasprintf("%s.%s", path,
			    it->string) : xstrdup(it->string);
		} else
			sub = xasprintf("%s[%d]", path, i);
		if (it->child != NULL)
			dup = find_duplicate(it, sub);
		free(sub);
	}
	return dup;
}

/* Validates the fields of root into p->t. */
static int
parse_root(struct tp *p, const cJSON *root)
{
	struct task *t = p->t;
	const cJSON *it;
	char *dup, *q, *cause = NULL;
	size_t i, nact;

	if (!cJSON_IsObject(root)) {
		p->err = xstrdup("the task must be a JSON object");
		p->r = ERR_INVALID;
		return -1;
	}
	if ((dup = find_duplicate(root, "")) != NULL) {
		tp_fail(p, dup, "duplicate field");
		free(dup);
		return -1;
	}
	for (it = root->child; it != NULL; it = it->next) {
		for (i = 0; i < NTOP_FIELDS; i++)
			if (strcmp(it->string, top_fields[i].name) == 0)
				break;
		if (i == NTOP_FIELDS) {
			q = quote(it->string, 40);
			tp_fail(p, q, "unknown field");
			free(q);
			return -1;
		}
	}
	if (parse_vars(p, cJSON_GetObjectItemCaseSensitive(root, "vars")) != 0)
		return -1;
	for (i = 0; i < NTOP_FIELDS; i++) {
		if (top_fields[i].fn == NULL || (it =
		    cJSON_GetObjectItemCaseSensitive(root,
		    top_fields[i].name)) == NULL)
			continue;
		if (top_fields[i].fn(p, it) != 0)
			return -1;
	}

	if (t->start_url == NULL)
		return tp_fail(p, "start_url", "missing");
	if (t->goal != NULL && t->goal_js != NULL)
		return tp_fail(p, "goal_js", "cannot be combined with goal");
	if (t->nsteps > 0 && t->nactions > 0)
		return tp_fail(p, "actions", "cannot be combined with steps");
	if (t->goal_js != NULL && (t->nsteps > 0 || t->nactions > 0))
		return tp_fail(p, "goal_js", "only in goal mode, without "
		    "steps or actions");
	if (t->nactions > 0)
		t->mode = TASK_ACTIONS;
	else if (t->nsteps > 0)
		t->mode = TASK_STEPS;
	else if (t->goal != NULL || t->goal_js != NULL)
		t->mode = TASK_GOAL;
	else
		return tp_fail(p, "goal", "missing (give goal, goal_js, steps "
		    "or actions)");

	/* Every instruction takes a step at least, every action one. */
	nact = t->mode == TASK_ACTIONS ? t->nactions : t->nsteps;
	if (p->max_steps_set && (size_t)t->max_steps < nact)
		return tp_fail(p, "max_steps", "%d is fewer than the %zu %s",
		    t->max_steps, nact, t->mode == TASK_ACTIONS ? "actions" :
		    "steps");
	if (!p->max_steps_set) {
		if (t->mode == TASK_STEPS &&
		    t->nsteps * 4 > (size_t)t->max_steps)
			t->max_steps = (int)(t->nsteps * 4 < 500 ?
			    t->nsteps * 4 : 500);
		if (t->mode == TASK_ACTIONS &&
		    t->nactions > (size_t)t->max_steps)
			t->max_steps = (int)t->nactions;
	}
	if (t->step_timeout_ms > t->timeout_ms) {
		if (p->step_timeout_set)
			return tp_fail(p, "step_timeout_ms", "%d is longer "
			    "than timeout_ms (%d)", t->step_timeout_ms,
			    t->timeout_ms);
		t->step_timeout_ms = t->timeout_ms;
	}

	if (task_url_allowed(t, t->start_url, &cause) != 0) {
		tp_fail(p, "start_url", "%s", cause);
		free(cause);
		return -1;
	}
	for (i = 0; i < t->nactions; i++) {
		char field[40];

		if (t->actions[i].op != ACT_NAVIGATE)
			continue;
		if (task_url_allowed(t, t->actions[i].value, &cause) != 0) {
			(void)snprintf(field, sizeof(field), "actions[%zu].url",
			    i);
			tp_fail(p, field, "%s", cause);
			free(cause);
			return -1;
		}
	}
	return 0;
}

/* Length of the UTF-8 sequence a lead byte starts (1 if invalid). */
static size_t
utf8_len(unsigned char c)
{
	if ((c & 0xe0) == 0xc0)
		return 2;
	if ((c & 0xf0) == 0xe0)
		return 3;
	if ((c & 0xf8) == 0xf0)
		return 4;
	return 1;
}

/* Default task name: the file's base name without ".json". */
static char *
default_name(const char *path)
{
	const char *b = strrchr(path, '/');
	size_t n;

	b = b != NULL ? b + 1 : path;
	n = strlen(b);
	if (n > 5 && strcmp(b + n - 5, ".json") == 0)
		n -= 5;
	if (n == 0)
		return xstrdup("task");
	if (n > TASK_NAME_MAX)
		n = TASK_NAME_MAX;
	return xstrndup(b, n);
}

/* 1 for JSON white space. */
static int
json_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Where the error cJSON reports at `at` really is.  When an object key is
 * not a string, cJSON points one past the offending character; move back
 * onto it (the character before `at`, not blank and not a quote, that
 * follows "{" or ",").
 */
static const char *
json_error_at(const char *text, const char *at)
{
	const char *q, *b;

	if (at <= text)
		return at;
	q = at - 1;
	if (json_space((unsigned char)*q) || *q == '"')
		return at;
	for (b = q; b > text && json_space((unsigned char)b[-1]); b--)
		;
	if (b > text && (b[-1] == '{' || b[-1] == ','))
		return q;
	return at;
}

/* "line L, column C: invalid JSON near '...'" for an error at `at`. */
static char *
json_error(const char *text, size_t len, const char *at)
{
	const char *p, *bol = text;
	struct buf b;
	size_t line = 1, col = 1, k;
	char *near, *msg;

	if (at < text || at > text + len)
		at = text + len;
	for (p = text; p < at; p++)
		if (*p == '\n') {
			line++;
			bol = p + 1;
		}
	/* Columns count characters, not bytes. */
	for (p = bol; p < at; p++)
		if (((unsigned char)*p & 0xc0) != 0x80)
			col++;
	if (at == text + len)
		return xasprintf("line %zu, column %zu: invalid JSON near end "
		    "of file", line, col);
	buf_init(&b, 256);
	for (k = 0, p = at; p < text + len && k < 20; p++, k++) {
		if (*p == '\n' || *p == '\r')
			break;
		if (*p == '\'' || *p == '\\')
			buf_printf(&b, "\\%c", *p);
		else if ((unsigned char)*p < 0x20 || *p == 0x7f)
			buf_printf(&b, "\\x%02x", (unsigned char)*p);
		else
			buf_add(&b, p, 1);
	}
	/* Do not end in the middle of a UTF-8 character. */
	if (b.len > 0 && ((unsigned char)b.data[b.len - 1] & 0x80)) {
		k = b.len - 1;
		while (k > 0 && ((unsigned char)b.data[k] & 0xc0) == 0x80)
			k--;
		if (b.len - k < utf8_len((unsigned char)b.data[k])) {
			b.len = k;
			b.data[k] = '\0';
		}
	}
	near = buf_steal(&b, NULL);
	msg = xasprintf("line %zu, column %zu: invalid JSON near '%s'", line,
	    col, near);
	free(near);
	return msg;
}

/* Parses a task from memory, with the caller's variables. */
static int
parse_common(const char *json, size_t len, const char *name,
    const struct task_extra *extra, struct task **taskp, char **causep)
{
	struct tp p;
	struct task *t;
	cJSON *root = NULL;
	const char *end = NULL, *s = json;
	char *red, *copy = NULL;
	size_t n = len, i;
	int r = ERR_INTERNAL;

	*taskp = NULL;
	if (causep != NULL)
		*causep = NULL;
	if (name == NULL)
		name = "task";
	memset(&p, 0, sizeof(p));
	t = xcalloc(1, sizeof(*t));
	t->path = xstrdup(name);
	t->max_steps = TASK_DEF_MAX_STEPS;
	t->step_timeout_ms = TASK_DEF_STEP_TIMEOUT;
	t->timeout_ms = TASK_DEF_TIMEOUT;
	t->vw = TASK_DEF_VW;
	t->vh = TASK_DEF_VH;
	p.t = t;
	p.extra = extra;

	if (len > TASK_FILE_MAX) {
		r = ERR_TOOBIG;
		p.err = xasprintf("larger than %d bytes", TASK_FILE_MAX);
		goto out;
	}
	/* A UTF-8 byte order mark is allowed and skipped. */
	if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
		s += 3;
		n -= 3;
	}
	for (i = 0; i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
	    s[i] == '\r'); i++)
		;
	if (i == n) {
		r = ERR_PARSE;
		p.err = xstrdup("empty file");
		goto out;
	}
	if (memchr(s, '\0', n) != NULL) {
		r = ERR_PARSE;
		p.err = json_error(s, n, (const char *)memchr(s, '\0', n));
		goto out;
	}
	/*
	 * cJSON refuses trailing garbage only when it sees the terminating
	 * NUL, so it parses a terminated copy, NUL included in the length.
	 */
	copy = xmalloc(n + 1);
	memcpy(copy, s, n);
	copy[n] = '\0';
	if ((root = cJSON_ParseWithLengthOpts(copy, n + 1, &end, 1)) == NULL) {
		r = ERR_PARSE;
		p.err = json_error(copy, n, json_error_at(copy,
		    end != NULL ? end : copy + n));
		goto out;
	}
	if (parse_root(&p, root) != 0) {
		r = p.r != 0 ? p.r : ERR_INVALID;
		goto out;
	}
	if (t->name == NULL)
		t->name = default_name(name);
	*taskp = t;
	t = NULL;
	r = 0;
out:
	if (r != 0 && causep != NULL) {
		/* Messages may quote substituted text: hide secrets. */
		red = task_redact(t, p.err != NULL ? p.err : err_str(r));
		*causep = xasprintf("%s: %s", name, red);
		free(red);
	}
	free(p.err);
	free(copy);
	cJSON_Delete(root);
	task_free(t);
	return r;
}

/* Parses a task held in memory. */
int
task_parse(const char *json, size_t len, const char *name,
    struct task **taskp, char **causep)
{
	return parse_common(json, len, name, NULL, taskp, causep);
}

/* Parses a task held in memory, with the caller's variables. */
int
task_parse_vars(const char *json, size_t len, const char *name,
    const char *const *names, const char *const *values, size_t n,
    struct task **taskp, char **causep)
{
	struct task_extra extra;

	extra.names = names;
	extra.values = values;
	extra.n = n;
	return parse_common(json, len, name, &extra, taskp, causep);
}

/* Reads a whole file of at most TASK_FILE_MAX bytes. */
static int
read_file(const char *path, char **datap, size_t *lenp, char **causep)
{
	struct stat st;
	struct buf b;
	char chunk[8192];
	ssize_t n;
	int fd = -1, r = ERR_INTERNAL, saved;

	buf_init(&b, TASK_FILE_MAX);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1) {
		r = ERR_IO;
		*causep = xasprintf("%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		r = ERR_IO;
		*causep = xasprintf("%s: not a regular file", path);
		goto out;
	}
	if (st.st_size > TASK_FILE_MAX) {
		r = ERR_TOOBIG;
		*causep = xasprintf("%s: larger than %d bytes", path,
		    TASK_FILE_MAX);
		goto out;
	}
	for (;;) {
		if ((n = read(fd, chunk, sizeof(chunk))) == -1) {
			if (errno == EINTR)
				continue;
			r = ERR_IO;
			*causep = xasprintf("%s: %s", path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		if ((r = buf_add(&b, chunk, (size_t)n)) != 0) {
			*causep = xasprintf("%s: larger than %d bytes", path,
			    TASK_FILE_MAX);
			goto out;
		}
	}
	*datap = buf_steal(&b, lenp);
	r = 0;
out:
	saved = errno;
	if (fd != -1)
		close(fd);
	buf_free(&b);
	errno = saved;
	return r;
}

/* Loads a task file, with the caller's variables. */
int
task_load_vars(const char *path, const char *const *names,
    const char *const *values, size_t n, struct task **taskp, char **causep)
{
	char *data = NULL, *cause = NULL;
	size_t len = 0;
	int r;

	*taskp = NULL;
	if (causep != NULL)
		*causep = NULL;
	if ((r = read_file(path, &data, &len, &cause)) != 0) {
		if (causep != NULL)
			*causep = cause;
		else
			free(cause);
		return r;
	}
	r = task_parse_vars(data, len, path, names, values, n, taskp, causep);
	free(data);
	return r;
}

/* Loads a task file. */
int
task_load(const char *path, struct task **taskp, char **causep)
{
	return task_load_vars(path, NULL, NULL, 0, taskp, causep);
}

/* ---------------------------------------------------------------------- */
/* Output and cleanup.                                                    */

/*
 * A string for task.json: secrets redacted and "${" written "$${" so the
 * file loads back to the same text.
 */
static char *
out_str(const struct task *t, const char *s)
{
	char *red = task_redact(t, s);
	struct buf b;
	const char *p;

	if (strstr(red, "${") == NULL)
		return red;
	buf_init(&b, 2 * strlen(red) + 1);
	for (p = red; *p != '\0'; p++) {
		if (p[0] == '$' && p[1] == '{')
			buf_add(&b, "$", 1);
		buf_add(&b, p, 1);
	}
	free(red);
	return buf_steal(&b, NULL);
}

/* Adds string s to j under k as out_str() writes it. */
static void
add_out(const struct task *t, cJSON *j, const char *k, const char *s)
{
	char *o;

	if (s == NULL)
		return;
	o = out_str(t, s);
	cJSON_AddStringToObject(j, k, o);
	free(o);
}

/* Adds checks c as an array under k (nothing when empty). */
static void
add_checks(const struct task *t, cJSON *j, const char *k,
    const struct task_check *c, size_t n)
{
	cJSON *arr, *o;
	size_t i, m;

	if (n == 0)
		return;
	arr = cJSON_AddArrayToObject(j, k);
	for (i = 0; i < n; i++) {
		o = cJSON_CreateObject();
		for (m = 0; m < NCHECK_KINDS; m++)
			if (check_kinds[m].kind == c[i].kind)
				add_out(t, o, check_kinds[m].name, c[i].arg);
		cJSON_AddItemToArray(arr, o);
	}
}

/* A check as text for messages ("url_matches /x/"). */
char *
task_check_str(const struct task_check *c)
{
	cJSON *j;
	char *q, *s;
	size_t i;

	for (i = 0; i < NCHECK_KINDS; i++)
		if (check_kinds[i].kind == c->kind)
			break;
	if (i == NCHECK_KINDS)
		return xstrdup("check");
	if (c->kind == CHECK_URL_MATCHES)
		return xasprintf("url_matches /%s/", c->arg);
	/* The argument as a JSON string: quoted, escaped, one line. */
	if ((j = cJSON_CreateString(c->arg)) == NULL ||
	    (q = cJSON_PrintUnformatted(j)) == NULL) {
		cJSON_Delete(j);
		return xstrdup(check_kinds[i].name);
	}
	s = xasprintf("%s %s", check_kinds[i].name, q);
	cJSON_free(q);
	cJSON_Delete(j);
	return s;
}

/* Replaces *sp by its out_str() form. */
static void
redact_field(const struct task *t, char **sp)
{
	char *o;

	if (*sp == NULL)
		return;
	o = out_str(t, *sp);
	free(*sp);
	*sp = o;
}

/* The task as JSON, secrets redacted (for task.json). */
cJSON *
task_to_json(const struct task *t)
{
	cJSON *j, *arr, *o;
	struct action a;
	size_t i;

	if ((j = cJSON_CreateObject()) == NULL)
		return NULL;
	cJSON_AddStringToObject(j, "name", t->name);
	add_out(t, j, "start_url", t->start_url);
	add_out(t, j, "goal", t->goal);
	add_out(t, j, "goal_js", t->goal_js);
	add_out(t, j, "setup_js", t->setup_js);
	if (t->nsteps > 0) {
		arr = cJSON_AddArrayToObject(j, "steps");
		for (i = 0; i < t->nsteps; i++) {
			char *s = out_str(t, t->steps[i]);

			cJSON_AddItemToArray(arr, cJSON_CreateString(s));
			free(s);
		}
	}
	if (t->nactions > 0) {
		arr = cJSON_AddArrayToObject(j, "actions");
		for (i = 0; i < t->nactions; i++) {
			action_copy(&a, &t->actions[i]);
			redact_field(t, &a.value);
			redact_field(t, &a.tgt.text);
			redact_field(t, &a.tgt.role);
			redact_field(t, &a.tgt.label);
			redact_field(t, &a.tgt.selector);
			cJSON_AddItemToArray(arr, action_to_json(&a));
			action_clear(&a);
		}
	}
	add_checks(t, j, "success", t->success, t->nsuccess);
	add_checks(t, j, "fail", t->fail, t->nfail);
	cJSON_AddNumberToObject(j, "max_steps", t->max_steps);
	cJSON_AddNumberToObject(j, "step_timeout_ms", t->step_timeout_ms);
	cJSON_AddNumberToObject(j, "timeout_ms", t->timeout_ms);
	if (t->nallowed > 0) {
		arr = cJSON_AddArrayToObject(j, "allowed_domains");
		for (i = 0; i < t->nallowed; i++) {
			char *s = out_str(t, t->allowed_domains[i]);

			cJSON_AddItemToArray(arr, cJSON_CreateString(s));
			free(s);
		}
	}
	if (t->nschemes > 0) {
		arr = cJSON_AddArrayToObject(j, "allowed_schemes");
		for (i = 0; i < t->nschemes; i++)
			cJSON_AddItemToArray(arr,
			    cJSON_CreateString(t->allowed_schemes[i]));
	}
	o = cJSON_AddObjectToObject(j, "viewport");
	cJSON_AddNumberToObject(o, "width", t->vw);
	cJSON_AddNumberToObject(o, "height", t->vh);
	if (t->remote != NULL)
		cJSON_AddItemToObject(j, "remote", cJSON_Duplicate(t->remote,
		    1));
	if (t->nvars > 0) {
		o = cJSON_AddObjectToObject(j, "vars");
		for (i = 0; i < t->nvars; i++) {
			cJSON *v;

			if (!t->vars[i].secret) {
				cJSON_AddStringToObject(o, t->vars[i].name,
				    t->vars[i].value);
				continue;
			}
			v = cJSON_AddObjectToObject(o, t->vars[i].name);
			cJSON_AddStringToObject(v, "value", TASK_REDACTED);
			cJSON_AddTrueToObject(v, "secret");
		}
	}
	return j;
}

/* Frees an array of n strings. */
static void
free_strv(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Frees an array of n checks. */
static void
free_checks(struct task_check *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(c[i].arg);
	free(c);
}

/* Frees t and wipes secret values; NULL is a no-op. */
void
task_free(struct task *t)
{
	size_t i;

	if (t == NULL)
		return;
	free(t->path);
	free(t->name);
	free(t->start_url);
	free(t->goal);
	free(t->goal_js);
	free(t->setup_js);
	free_strv(t->steps, t->nsteps);
	for (i = 0; i < t->nactions; i++)
		action_clear(&t->actions[i]);
	free(t->actions);
	free_checks(t->success, t->nsuccess);
	free_checks(t->fail, t->nfail);
	free_strv(t->allowed_domains, t->nallowed);
	free_strv(t->allowed_schemes, t->nschemes);
	cJSON_Delete(t->remote);
	for (i = 0; i < t->nvars; i++) {
		free(t->vars[i].name);
		if (t->vars[i].value != NULL) {
			/* Secrets do not linger in freed memory. */
			explicit_bzero(t->vars[i].value,
			    strlen(t->vars[i].value));
			free(t->vars[i].value);
		}
	}
	free(t->vars);
	free(t);
}
