/*
 * test-conf.c: webnavd.conf parsing (src/conf.c).
 *
 * Golden tests: every tests/conf/NAME.in is parsed; the effective
 * configuration (or the errors) must equal tests/conf/NAME.ok byte for
 * byte.  Run with WEBNAV_UPDATE_GOLDEN=1 (make update-conf-golden) to
 * rewrite the .ok files after an intended change, then review the diff.
 * Then unit checks: printing parses back to the same configuration, the
 * duration and size units, the token file rules.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "err.h"
#include "log.h"
#include "xmalloc.h"

#include "tap.h"

/* Reads a whole small file (allocated), or NULL. */
static char *
slurp(const char *path)
{
	FILE *f;
	char *s;
	long n;

	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	s = xmalloc((size_t)n + 1);
	if (fread(s, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(s);
		return NULL;
	}
	s[n] = '\0';
	fclose(f);
	return s;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* What webnavd -n shows for a file: the config or the errors. */
static char *
golden_output(const char *in)
{
	struct conf *c = NULL;
	char *cause = NULL, *out;
	int r;

	if ((r = conf_load(in, &c, &cause)) != 0) {
		out = xasprintf("%s\n", cause != NULL ? cause : err_str(r));
		free(cause);
		return out;
	}
	out = conf_format(c);
	conf_free(c);
	return out;
}

static void
golden(const char *dir, int update)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL, *got, *want, ok[512];
	size_t n = 0, i, l;

	if (chdir(dir) == -1) {
		ok(0, "chdir %s: %s", dir, strerror(errno));
		return;
	}
	if ((d = opendir(".")) == NULL) {
		ok(0, "opendir %s", dir);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		l = strlen(de->d_name);
		if (l > 3 && strcmp(de->d_name + l - 3, ".in") == 0) {
			names = xreallocarray(names, n + 1, sizeof(*names));
			names[n++] = xstrdup(de->d_name);
		}
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_names);
	ok(n >= 8, "found %zu golden inputs", n);
	for (i = 0; i < n; i++) {
		l = strlen(names[i]) - 3;
		if (l + 4 > sizeof(ok))
			l = sizeof(ok) - 4;
		memcpy(ok, names[i], l);
		memcpy(ok + l, ".ok", 4);
		got = golden_output(names[i]);
		if (update) {
			FILE *f = fopen(ok, "w");

			if (f != NULL) {
				fputs(got, f);
				fclose(f);
			}
			note("updated %s", ok);
		}
		want = slurp(ok);
		ok(want != NULL && strcmp(got, want) == 0, "golden %s",
		    names[i]);
		if (want == NULL)
			note("missing %s (make update-conf-golden)", ok);
		else if (strcmp(got, want) != 0) {
			note("got:");
			printf("%s", got);
			note("want:");
			printf("%s", want);
		}
		free(got);
		free(want);
		free(names[i]);
	}
	free(names);
}

/* Printing a parsed config and parsing that again changes nothing. */
static void
round_trip(const char *text, const char *what)
{
	struct conf *a = NULL, *b = NULL;
	char *cause = NULL, *fa = NULL, *fb = NULL;

	if (conf_parse(text, strlen(text), "rt", &a, &cause) != 0) {
		ok(0, "round trip %s: parse: %s", what, cause);
		free(cause);
		return;
	}
	fa = conf_format(a);
	if (conf_parse(fa, strlen(fa), "rt2", &b, &cause) != 0) {
		ok(0, "round trip %s: reparse: %s", what, cause);
		free(cause);
	} else {
		fb = conf_format(b);
		is_str(fb, fa, "round trip %s", what);
	}
	free(fa);
	free(fb);
	conf_free(a);
	conf_free(b);
}

/* Parses one line; returns the value via conf or the error text. */
static char *
parse1(const char *text, struct conf **cp)
{
	char *cause = NULL;

	*cp = NULL;
	if (conf_parse(text, strlen(text), "t", cp, &cause) != 0)
		return cause;
	return NULL;
}

static void
values(void)
{
	struct conf *c;
	char *e, buf[32];

	e = parse1("stop_grace 90\n", &c);
	ok(e == NULL && c->stop_grace_ms == 90000, "bare duration is seconds");
	conf_free(c);
	free(e);
	e = parse1("stop_grace 250ms\n", &c);
	ok(e == NULL && c->stop_grace_ms == 250, "ms unit");
	conf_free(c);
	free(e);
	e = parse1("task_timeout_max 2h\n", &c);
	ok(e == NULL && c->task_timeout_max_ms == 7200000, "h unit");
	conf_free(c);
	free(e);
	e = parse1("request_max 64k\n", &c);
	ok(e == NULL && c->request_max == 65536, "k unit");
	conf_free(c);
	free(e);
	e = parse1("request_max 99999999999999999999\n", &c);
	ok(e != NULL && strstr(e, "not a size") != NULL,
	    "overflowing size refused");
	free(e);
	e = parse1("stop_grace 1s5\n", &c);
	ok(e != NULL, "trailing digits after a unit refused");
	free(e);
	is_str(conf_fmt_duration(90000, buf, sizeof(buf)), "90s", "fmt 90s");
	is_str(conf_fmt_duration(120000, buf, sizeof(buf)), "2m", "fmt 2m");
	is_str(conf_fmt_duration(0, buf, sizeof(buf)), "0s", "fmt 0s");
	is_str(conf_fmt_duration(1500, buf, sizeof(buf)), "1500ms",
	    "fmt 1500ms");
	e = parse1("listen 127.0.0.5:80\ntoken_file /t\n", &c);
	ok(e == NULL && strcmp(c->listen_host, "127.0.0.5") == 0 &&
	    c->listen_port == 80, "any 127/8 address listens");
	conf_free(c);
	free(e);
	e = parse1("listen 0.0.0.0:80\ntoken_file /t\n", &c);
	ok(e != NULL && strstr(e, "not a loopback") != NULL,
	    "0.0.0.0 refused");
	free(e);
	e = parse1("listen [::]:80\ntoken_file /t\n", &c);
	ok(e != NULL && strstr(e, "not a loopback") != NULL, ":: refused");
	free(e);
	e = parse1("policy oracle\n", &c);
	ok(e != NULL && strstr(e, "t:1: policy: unknown policy \"oracle\"") !=
	    NULL, "unknown policy refused");
	free(e);
	e = parse1("socket /run/x.sock\r\n", &c);
	ok(e == NULL && strcmp(c->socket, "/run/x.sock") == 0,
	    "CRLF line ends");
	conf_free(c);
	free(e);
	e = parse1("sessions 2\0junk\n", &c);
	ok(e == NULL, "text stops at the given length");
	conf_free(c);
	free(e);
	{
		static const char nul[] = "sessions 2\nsessions\0 3\n";
		char *cause = NULL;

		ok(conf_parse(nul, sizeof(nul) - 1, "t", &c, &cause) ==
		    ERR_PARSE && cause != NULL &&
		    strstr(cause, "t:2: NUL byte") != NULL, "NUL byte refused");
		free(cause);
	}
	{
		char *big = xmalloc(CONF_LINE_MAX + 20), *cause = NULL;

		memset(big, 'x', CONF_LINE_MAX + 10);
		big[CONF_LINE_MAX + 10] = '\n';
		big[CONF_LINE_MAX + 11] = '\0';
		ok(conf_parse(big, strlen(big), "t", &c, &cause) ==
		    ERR_PARSE && strstr(cause, "longer than") != NULL,
		    "overlong line refused");
		free(cause);
		free(big);
	}
	{
		const char *p;
		char *txt = xmalloc(64 * 30 + 1), *cause = NULL;
		int i, nl = 0;

		txt[0] = '\0';
		for (i = 0; i < 30; i++)
			strcat(txt, "bogus 1\n");
		ok(conf_parse(txt, strlen(txt), "t", &c, &cause) == ERR_PARSE,
		    "30 errors fail");
		for (p = cause; p != NULL && *p != '\0'; p++)
			nl += *p == '\n';
		ok(nl == CONF_MAX_ERRORS && strstr(cause, "too many errors"),
		    "errors stop after %d (%d lines)", CONF_MAX_ERRORS, nl + 1);
		free(cause);
		free(txt);
	}
}

static void
tokens(void)
{
	char dir[] = "/tmp/test-conf.XXXXXX", path[256], *tok = NULL,
	    *cause = NULL;
	FILE *f;

	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/token", dir);
	f = fopen(path, "w");
	fputs("0123456789abcdef0123\n", f);
	fclose(f);
	ok(conf_read_token(path, &tok, &cause) == 0 &&
	    strcmp(tok, "0123456789abcdef0123") == 0, "token read, newline "
	    "dropped");
	free(tok);
	f = fopen(path, "w");
	fputs("short\n", f);
	fclose(f);
	ok(conf_read_token(path, &tok, &cause) == ERR_INVALID &&
	    strstr(cause, "at least") != NULL, "short token refused");
	free(cause);
	f = fopen(path, "w");
	fputs("0123456789 abcdef0123\n", f);
	fclose(f);
	ok(conf_read_token(path, &tok, &cause) == ERR_INVALID,
	    "token with a space refused");
	free(cause);
	unlink(path);
	ok(conf_read_token(path, &tok, &cause) == ERR_IO &&
	    strstr(cause, "No such file") != NULL, "missing token file");
	free(cause);
	rmdir(dir);
}

/* conf_check() on client tokens: each must be readable and unique. */
static void
client_tokens(void)
{
	char dir[] = "/tmp/test-conf.XXXXXX", path[256], *txt, *cause = NULL;
	static const char *const toks[] = { "admin-token-0123456789",
	    "alice-token-0123456789", "alice-token-0123456789" };
	struct conf *c = NULL;
	FILE *f;
	size_t i;

	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp");
		return;
	}
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/t%zu", dir, i);
		if ((f = fopen(path, "w")) != NULL) {
			fprintf(f, "%s\n", toks[i]);
			fclose(f);
		}
	}
	txt = xasprintf("chromium /bin/sh\nlisten 127.0.0.1:0\n"
	    "token_file %s/t0\nclient alice token_file %s/t1\n", dir, dir);
	ok(conf_parse(txt, strlen(txt), "t", &c, &cause) == 0 &&
	    conf_check(c, &cause) == 0, "distinct client tokens accepted");
	conf_free(c);
	free(txt);
	free(cause);
	cause = NULL;
	txt = xasprintf("chromium /bin/sh\nlisten 127.0.0.1:0\n"
	    "token_file %s/t0\nclient alice token_file %s/t1\n"
	    "client bob token_file %s/t2\n", dir, dir, dir);
	ok(conf_parse(txt, strlen(txt), "t", &c, &cause) == 0 &&
	    conf_check(c, &cause) == ERR_INVALID && cause != NULL &&
	    strstr(cause, "t:5: client bob: its token is also client "
	    "alice's") != NULL, "two clients with one token refused");
	conf_free(c);
	free(txt);
	free(cause);
	cause = NULL;
	txt = xasprintf("chromium /bin/sh\nlisten 127.0.0.1:0\n"
	    "token_file %s/t0\nclient root token_file %s/t0\n", dir, dir);
	ok(conf_parse(txt, strlen(txt), "t", &c, &cause) == 0 &&
	    conf_check(c, &cause) == ERR_INVALID && cause != NULL &&
	    strstr(cause, "admin token") != NULL,
	    "a client with the admin token refused");
	conf_free(c);
	free(txt);
	free(cause);
	cause = NULL;
	txt = xstrdup("chromium /bin/sh\n"
	    "client x unix_user no-such-user-webnav\n");
	ok(conf_parse(txt, strlen(txt), "t", &c, &cause) == 0 &&
	    conf_check(c, &cause) == ERR_INVALID && cause != NULL &&
	    strstr(cause, "no such user") != NULL,
	    "an unknown unix_user refused");
	conf_free(c);
	free(txt);
	free(cause);
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/t%zu", dir, i);
		unlink(path);
	}
	rmdir(dir);
}

int
main(void)
{
	const char *src = getenv("top_srcdir");
	const char *upd = getenv("WEBNAV_UPDATE_GOLDEN");
	char dir[4096];
	struct conf *d;
	char *fd, *fe, *cause = NULL;
	struct conf *e = NULL;

	log_init("test-conf", 0, LOG_LVL_WARN);
	values();
	tokens();
	client_tokens();
	round_trip("", "defaults");
	round_trip("listen 127.0.0.1:1\nclient a token_file \"/t a\" "
	    "unix_user u role metrics\nclient b unix_user v\n", "clients");
	round_trip("listen [::1]:8000\ntoken_file /x\nchromium_arg \"--a b\"\n"
	    "chromium_arg --c\nstate_dir \"/a \\\"b\\\"\"\n", "quoting");
	d = conf_default();
	fd = conf_format(d);
	conf_parse("", 0, "empty", &e, &cause);
	fe = e != NULL ? conf_format(e) : xstrdup("");
	is_str(fd, fe, "conf_default() equals an empty file");
	free(fd);
	free(fe);
	conf_free(d);
	conf_free(e);

	snprintf(dir, sizeof(dir), "%s/tests/conf",
	    src != NULL ? src : WEBNAV_SRCDIR);
	golden(dir, upd != NULL && *upd == '1');
	return done_testing();
}
