/*
 * remotesrv.c: an OpenAI-compatible chat server for the tests of the
 * remote policy (agent/policy-remote.c).
 *
 * Usage: remotesrv -s script [-l log] [-m model] [-k key] [-i maxside]
 *            [-K maxmarks] [-d default]
 *
 * Listens on 127.0.0.1, an ephemeral port, and prints "port N" on stdout
 * once listening.  Answers POST /v1/chat/completions, one connection per
 * thread.  Each request is checked first: JSON with the model (-m), a
 * system message stating the action grammar, a user message with a text
 * part that lists marks ("[N] role ..." lines; at most -K of them) and an
 * image part holding a PNG data URL that decodes, at most -i px on its
 * longest side, and "Authorization: Bearer KEY" when -k is given.  A
 * request that fails a check gets HTTP 400 naming the problem.
 *
 * Then the next line of the script says how to answer (blank lines and
 * lines starting with '#' are skipped; when the script is used up, -d
 * TEXT answers, else HTTP 500):
 *   reply TEXT            answer TEXT (\n in TEXT is a newline)
 *   click WORDS           CLICK [N], N the first listed mark whose line
 *                         holds WORDS (any case); HTTP 400 if none does
 *   type WORDS|VALUE[|submit]  TYPE [N] "VALUE" (SUBMIT)
 *   select WORDS|OPTION   SELECT [N] "OPTION"
 *   status CODE [SECS]    HTTP CODE with an error body (and Retry-After)
 *   slow MS TEXT          wait MS, then answer TEXT
 *   garbage               HTTP 200 with a body that is not JSON
 *   nousage TEXT          answer TEXT without a "usage" object
 *   close                 close the connection without answering
 * Answers carry usage by the remote policy's documented estimate: a
 * token per 4 bytes of message text, one per 28x28 px of image.
 *
 * -l appends one JSON line per request, before answering it: n, directive, marks (the ids
 * listed), image {w,h} or null, auth (1 if the key matched), problems
 * (the failed checks), messages (count), retry (the text of a follow-up
 * user message quoting a parse error, or null), prompt_tokens, text (the
 * first user text).  Exits 0 on SIGTERM or SIGINT.
 */
#include "config.h"

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "err.h"
#include "img.h"
#include "xmalloc.h"

#define HDR_MAX		(64 * 1024)
#define BODY_MAX	(64 * 1024 * 1024)
#define SCRIPT_MAX	1024

static char *script[SCRIPT_MAX];
static int nscript, next_line, nreq;
static const char *logpath, *model, *key, *deflt;
static int maxside, maxmarks = -1;
static pthread_mutex_t mtx = PTHREAD_MUTEX_INITIALIZER;

static void __attribute__((__noreturn__))
usage(void)
{
	fprintf(stderr, "usage: remotesrv -s script [-l log] [-m model] "
	    "[-k key] [-i maxside] [-K maxmarks] [-d default]\n");
	exit(2);
}

/* Reads the script's lines. */
static void
load_script(const char *path)
{
	char line[8192];
	size_t n;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "remotesrv: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	while (fgets(line, sizeof(line), f) != NULL && nscript < SCRIPT_MAX) {
		n = strcspn(line, "\r\n");
		line[n] = '\0';
		if (line[0] == '\0' || line[0] == '#')
			continue;
		script[nscript++] = xstrdup(line);
	}
	fclose(f);
}

/* Decodes standard base64 (malloc'd); -1 on a bad character. */
static int
b64_decode(const char *s, unsigned char **outp, size_t *lenp)
{
	size_t n = strlen(s), i, j = 0;
	unsigned v = 0;
	int bits = 0, c;
	unsigned char *o = malloc(n / 4 * 3 + 3);

	if (o == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == '=')
			break;
		if (c >= 'A' && c <= 'Z')
			c -= 'A';
		else if (c >= 'a' && c <= 'z')
			c = c - 'a' + 26;
		else if (c >= '0' && c <= '9')
			c = c - '0' + 52;
		else if (c == '+')
			c = 62;
		else if (c == '/')
			c = 63;
		else {
			free(o);
			return -1;
		}
		v = (v << 6) | (unsigned)c;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			o[j++] = (unsigned char)(v >> bits);
		}
	}
	*outp = o;
	*lenp = j;
	return 0;
}

/* Sends all of p. */
static void
send_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = send(fd, p, n, MSG_NOSIGNAL)) <= 0) {
			if (w == -1 && errno == EINTR)
				continue;
			return;
		}
		p += w;
		n -= (size_t)w;
	}
}

/* Sends an HTTP reply with a body. */
static void
respond(int fd, int status, const char *extra, const char *body)
{
	char hdr[512];
	int n;

	n = snprintf(hdr, sizeof(hdr), "HTTP/1.1 %d %s\r\n"
	    "Content-Type: application/json\r\nContent-Length: %zu\r\n"
	    "Connection: close\r\n%s\r\n", status, status == 200 ? "OK" :
	    "Error", strlen(body), extra != NULL ? extra : "");
	send_all(fd, hdr, (size_t)n);
	send_all(fd, body, strlen(body));
}

/* An error body {"error":{"message":...}} (allocated). */
static char *
err_body(const char *msg)
{
	cJSON *j = cJSON_CreateObject(), *e;
	char *s;

	e = cJSON_AddObjectToObject(j, "error");
	cJSON_AddStringToObject(e, "message", msg);
	s = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	return s;
}

/* What one request showed. */
struct req {
	cJSON		*problems;	/* array of strings */
	cJSON		*marks;		/* array of ids */
	char		*text;		/* first user text */
	char		*retry;		/* a later user message's text */
	int		 img_w, img_h;
	int		 auth;
	int		 nmsg;
	long		 text_bytes;
};

/* Notes a failed check. */
static void
problem(struct req *q, const char *msg)
{
	cJSON_AddItemToArray(q->problems, cJSON_CreateString(msg));
}

/* Collects the "[N] ..." lines of the mark list. */
static void
scan_marks(struct req *q)
{
	const char *p = q->text;
	int id, n;

	while (p != NULL && *p != '\0') {
		if (sscanf(p, "[%d]%n", &id, &n) == 1 && p[n] == ' ')
			cJSON_AddItemToArray(q->marks, cJSON_CreateNumber(id));
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	}
}

/* Checks an image_url part. */
static void
check_image(struct req *q, const cJSON *part)
{
	const cJSON *u = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(part, "image_url"), "url");
	static const char pfx[] = "data:image/png;base64,";
	unsigned char *png = NULL;
	struct img im;
	size_t len;
	char msg[128];

	memset(&im, 0, sizeof(im));
	if (!cJSON_IsString(u) || strncmp(u->valuestring, pfx,
	    sizeof(pfx) - 1) != 0) {
		problem(q, "image_url is not a PNG data URL");
		return;
	}
	if (b64_decode(u->valuestring + sizeof(pfx) - 1, &png, &len) != 0) {
		problem(q, "image: bad base64");
		return;
	}
	if (img_decode_png(png, len, 0, &im) != 0)
		problem(q, "image: not a decodable PNG");
	else {
		q->img_w = im.w;
		q->img_h = im.h;
		if (maxside > 0 && (im.w > maxside || im.h > maxside)) {
			snprintf(msg, sizeof(msg), "image %dx%d is over %d px",
			    im.w, im.h, maxside);
			problem(q, msg);
		}
	}
	img_free(&im);
	free(png);
}

/* Checks the request body. */
static void
check_request(struct req *q, const cJSON *root)
{
	const cJSON *msgs, *m, *role, *content, *part, *type, *mo;
	int nimg = 0, user = 0;
	char msg[160];

	mo = cJSON_GetObjectItemCaseSensitive(root, "model");
	if (!cJSON_IsString(mo))
		problem(q, "no model");
	else if (model != NULL && strcmp(mo->valuestring, model) != 0) {
		snprintf(msg, sizeof(msg), "model \"%.60s\", want \"%.60s\"",
		    mo->valuestring, model);
		problem(q, msg);
	}
	msgs = cJSON_GetObjectItemCaseSensitive(root, "messages");
	if (!cJSON_IsArray(msgs) || cJSON_GetArraySize(msgs) < 2) {
		problem(q, "messages: want system and user");
		return;
	}
	q->nmsg = cJSON_GetArraySize(msgs);
	cJSON_ArrayForEach(m, msgs) {
		role = cJSON_GetObjectItemCaseSensitive(m, "role");
		content = cJSON_GetObjectItemCaseSensitive(m, "content");
		if (!cJSON_IsString(role)) {
			problem(q, "a message has no role");
			continue;
		}
		if (cJSON_IsString(content))
			q->text_bytes += (long)strlen(content->valuestring);
		if (strcmp(role->valuestring, "system") == 0) {
			if (!cJSON_IsString(content) ||
			    strstr(content->valuestring, "CLICK [N]") == NULL ||
			    strstr(content->valuestring, "DONE") == NULL)
				problem(q, "the system message does not state "
				    "the action grammar");
			continue;
		}
		if (strcmp(role->valuestring, "user") != 0)
			continue;
		if (user++ > 0) {
			if (cJSON_IsString(content) && q->retry == NULL)
				q->retry = xstrdup(content->valuestring);
			continue;
		}
		if (!cJSON_IsArray(content)) {
			problem(q, "the first user message is not a list of "
			    "parts");
			continue;
		}
		cJSON_ArrayForEach(part, content) {
			type = cJSON_GetObjectItemCaseSensitive(part, "type");
			if (!cJSON_IsString(type))
				continue;
			if (strcmp(type->valuestring, "text") == 0) {
				const cJSON *t = cJSON_GetObjectItemCaseSensitive(
				    part, "text");

				if (cJSON_IsString(t) && q->text == NULL) {
					q->text = xstrdup(t->valuestring);
					q->text_bytes += (long)strlen(
					    t->valuestring);
				}
			} else if (strcmp(type->valuestring,
			    "image_url") == 0) {
				nimg++;
				check_image(q, part);
			}
		}
	}
	if (q->text == NULL)
		problem(q, "no user text");
	else {
		scan_marks(q);
		if (cJSON_GetArraySize(q->marks) == 0 &&
		    strstr(q->text, "No interactive elements") == NULL)
			problem(q, "no marks listed");
		if (maxmarks >= 0 && cJSON_GetArraySize(q->marks) > maxmarks) {
			snprintf(msg, sizeof(msg), "%d marks listed, want at "
			    "most %d", cJSON_GetArraySize(q->marks), maxmarks);
			problem(q, msg);
		}
	}
	if (nimg != 1)
		problem(q, nimg == 0 ? "no image" : "more than one image");
}

/* The first listed mark whose line holds words (any case), or 0. */
static int
find_mark(const struct req *q, const char *words)
{
	const char *p = q->text, *e;
	char *line;
	int id, n;
	size_t wl = strlen(words), i;

	while (p != NULL && *p != '\0') {
		e = strchr(p, '\n');
		line = xstrndup(p, e != NULL ? (size_t)(e - p) : strlen(p));
		if (sscanf(line, "[%d]%n", &id, &n) == 1)
			for (i = 0; line[i] != '\0'; i++)
				if (strncasecmp(line + i, words, wl) == 0) {
					free(line);
					return id;
				}
		free(line);
		p = e != NULL ? e + 1 : NULL;
	}
	return 0;
}

/* Replaces the two characters \n by a newline, in place. */
static void
unescape(char *s)
{
	char *d = s;

	for (; *s != '\0'; s++) {
		if (s[0] == '\\' && s[1] == 'n') {
			*d++ = '\n';
			s++;
		} else
			*d++ = *s;
	}
	*d = '\0';
}

/* The chat completion body answering text. */
static char *
completion(const char *text, const struct req *q, int with_usage,
    long *ptokp)
{
	cJSON *j = cJSON_CreateObject(), *ch, *c, *m, *u;
	long pt;
	char *s;

	pt = (q->text_bytes + 3) / 4;
	if (q->img_w > 0)
		pt += (long)((q->img_w + 27) / 28) * ((q->img_h + 27) / 28);
	*ptokp = pt;
	cJSON_AddStringToObject(j, "id", "chatcmpl-test");
	cJSON_AddStringToObject(j, "object", "chat.completion");
	cJSON_AddStringToObject(j, "model", model != NULL ? model : "test");
	ch = cJSON_AddArrayToObject(j, "choices");
	c = cJSON_CreateObject();
	cJSON_AddNumberToObject(c, "index", 0);
	m = cJSON_AddObjectToObject(c, "message");
	cJSON_AddStringToObject(m, "role", "assistant");
	cJSON_AddStringToObject(m, "content", text);
	cJSON_AddStringToObject(c, "finish_reason", "stop");
	cJSON_AddItemToArray(ch, c);
	if (with_usage) {
		u = cJSON_AddObjectToObject(j, "usage");
		cJSON_AddNumberToObject(u, "prompt_tokens", (double)pt);
		cJSON_AddNumberToObject(u, "completion_tokens",
		    (double)((strlen(text) + 3) / 4));
		cJSON_AddNumberToObject(u, "total_tokens", (double)(pt +
		    (long)((strlen(text) + 3) / 4)));
	}
	s = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	return s;
}

/* Appends the request's log line. */
static void
log_request(int n, const char *dir, const struct req *q, long ptok)
{
	cJSON *j;
	char *s;
	FILE *f;

	if (logpath == NULL)
		return;
	j = cJSON_CreateObject();
	cJSON_AddNumberToObject(j, "n", n);
	cJSON_AddStringToObject(j, "directive", dir != NULL ? dir : "");
	cJSON_AddItemToObject(j, "marks", cJSON_Duplicate(q->marks, 1));
	if (q->img_w > 0) {
		cJSON *im = cJSON_AddObjectToObject(j, "image");

		cJSON_AddNumberToObject(im, "w", q->img_w);
		cJSON_AddNumberToObject(im, "h", q->img_h);
	} else
		cJSON_AddNullToObject(j, "image");
	cJSON_AddNumberToObject(j, "auth", q->auth);
	cJSON_AddItemToObject(j, "problems", cJSON_Duplicate(q->problems, 1));
	cJSON_AddNumberToObject(j, "messages", q->nmsg);
	if (q->retry != NULL)
		cJSON_AddStringToObject(j, "retry", q->retry);
	else
		cJSON_AddNullToObject(j, "retry");
	cJSON_AddNumberToObject(j, "prompt_tokens", (double)ptok);
	cJSON_AddStringToObject(j, "text", q->text != NULL ? q->text : "");
	s = cJSON_PrintUnformatted(j);
	pthread_mutex_lock(&mtx);
	if ((f = fopen(logpath, "a")) != NULL) {
		fprintf(f, "%s\n", s);
		fclose(f);
	}
	pthread_mutex_unlock(&mtx);
	cJSON_free(s);
	cJSON_Delete(j);
}

/* Reads one request: headers into hdr, the body into body. */
static int
read_request(int fd, struct buf *hdr, struct buf *body)
{
	char chunk[65536], *end, *cl;
	ssize_t n;
	size_t want = 0, have;

	for (;;) {
		if (hdr->data != NULL &&
		    (end = strstr(hdr->data, "\r\n\r\n")) != NULL)
			break;
		if ((n = recv(fd, chunk, sizeof(chunk), 0)) <= 0)
			return -1;
		if (buf_add(hdr, chunk, (size_t)n) != 0)
			return -1;
	}
	have = hdr->len - (size_t)(end + 4 - hdr->data);
	if (buf_add(body, end + 4, have) != 0)
		return -1;
	end[2] = '\0';
	for (cl = hdr->data; cl != NULL && *cl != '\0';) {
		if (strncasecmp(cl, "Content-Length:", 15) == 0)
			want = strtoul(cl + 15, NULL, 10);
		if ((cl = strstr(cl, "\r\n")) != NULL)
			cl += 2;
	}
	if (want > BODY_MAX)
		return -1;
	while (body->len < want) {
		if ((n = recv(fd, chunk, sizeof(chunk), 0)) <= 0)
			return -1;
		if (buf_add(body, chunk, (size_t)n) != 0)
			return -1;
	}
	return 0;
}

/* 1 if the headers hold "Authorization: Bearer KEY". */
static int
auth_ok(const char *hdr)
{
	const char *p;
	char want[4200];

	if (key == NULL)
		return 0;
	snprintf(want, sizeof(want), "Bearer %s\r\n", key);
	for (p = hdr; p != NULL && *p != '\0';) {
		if (strncasecmp(p, "Authorization:", 14) == 0) {
			p += 14;
			while (*p == ' ')
				p++;
			return strncmp(p, want, strlen(want)) == 0;
		}
		if ((p = strstr(p, "\r\n")) != NULL)
			p += 2;
	}
	return 0;
}

/* Serves one connection. */
static void *
serve(void *arg)
{
	int fd = (int)(long)arg, n, id, status = 0;
	struct buf hdr, body;
	struct req q;
	cJSON *root = NULL;
	char *dir = NULL, *out = NULL, *e, *s, *text = NULL, ans[8192];
	char extra[64];
	long ptok = 0, ms;

	memset(&q, 0, sizeof(q));
	q.problems = cJSON_CreateArray();
	q.marks = cJSON_CreateArray();
	buf_init(&hdr, HDR_MAX);
	buf_init(&body, BODY_MAX);
	extra[0] = '\0';
	if (read_request(fd, &hdr, &body) != 0)
		goto out;
	if (strncmp(hdr.data, "POST /v1/chat/completions ", 26) != 0) {
		out = err_body("not found");
		respond(fd, 404, NULL, out);
		goto out;
	}
	q.auth = auth_ok(hdr.data);
	if ((root = cJSON_ParseWithLength(body.data != NULL ? body.data : "",
	    body.len)) == NULL)
		problem(&q, "the body is not JSON");
	else
		check_request(&q, root);
	if (key != NULL && !q.auth)
		problem(&q, "no or wrong Authorization");
	pthread_mutex_lock(&mtx);
	n = ++nreq;
	if (next_line < nscript)
		dir = xstrdup(script[next_line++]);
	pthread_mutex_unlock(&mtx);
	if (cJSON_GetArraySize(q.problems) > 0) {
		s = cJSON_PrintUnformatted(q.problems);
		e = xasprintf("check failed: %s", s);
		out = err_body(e);
		free(e);
		cJSON_free(s);
		log_request(n, dir, &q, 0);
		respond(fd, 400, NULL, out);
		goto out;
	}
	if (dir == NULL) {
		if (deflt == NULL) {
			out = err_body("script exhausted");
			log_request(n, "", &q, 0);
			respond(fd, 500, NULL, out);
			goto out;
		}
		text = xstrdup(deflt);
	} else if (strncmp(dir, "reply ", 6) == 0 ||
	    strncmp(dir, "nousage ", 8) == 0)
		text = xstrdup(strchr(dir, ' ') + 1);
	else if (strncmp(dir, "click ", 6) == 0 ||
	    strncmp(dir, "type ", 5) == 0 || strncmp(dir, "select ", 7) == 0) {
		char *w = xstrdup(strchr(dir, ' ') + 1), *v = NULL, *sub;

		if ((v = strchr(w, '|')) != NULL)
			*v++ = '\0';
		sub = v != NULL ? strchr(v, '|') : NULL;
		if (sub != NULL)
			*sub++ = '\0';
		if ((id = find_mark(&q, w)) == 0) {
			e = xasprintf("no listed mark holds \"%s\"", w);
			problem(&q, e);
			out = err_body(e);
			free(e);
			log_request(n, dir, &q, 0);
			respond(fd, 400, NULL, out);
			free(w);
			goto out;
		}
		if (dir[0] == 'c')
			snprintf(ans, sizeof(ans), "CLICK [%d]", id);
		else
			snprintf(ans, sizeof(ans), "%s [%d] \"%s\"%s",
			    dir[0] == 't' ? "TYPE" : "SELECT", id,
			    v != NULL ? v : "", sub != NULL ? " SUBMIT" : "");
		text = xstrdup(ans);
		free(w);
	} else if (strncmp(dir, "status ", 7) == 0) {
		long ra = -1;

		if (sscanf(dir + 7, "%d %ld", &status, &ra) < 1)
			status = 500;
		if (ra >= 0)
			snprintf(extra, sizeof(extra), "Retry-After: %ld\r\n",
			    ra);
		out = err_body("scripted error");
		log_request(n, dir, &q, 0);
		respond(fd, status, extra, out);
		goto out;
	} else if (strncmp(dir, "slow ", 5) == 0) {
		struct timespec ts;

		ms = strtol(dir + 5, &e, 10);
		ts.tv_sec = ms / 1000;
		ts.tv_nsec = (ms % 1000) * 1000000L;
		nanosleep(&ts, NULL);
		text = xstrdup(*e == ' ' ? e + 1 : "DONE");
	} else if (strcmp(dir, "garbage") == 0) {
		log_request(n, dir, &q, 0);
		respond(fd, 200, NULL, "{\"choices\": [ this is not json");
		goto out;
	} else if (strcmp(dir, "close") == 0) {
		log_request(n, dir, &q, 0);
		goto out;
	} else {
		out = err_body("bad script line");
		respond(fd, 500, NULL, out);
		goto out;
	}
	unescape(text);
	out = completion(text, &q, dir == NULL ||
	    strncmp(dir, "nousage ", 8) != 0, &ptok);
	log_request(n, dir, &q, ptok);
	respond(fd, 200, NULL, out);
out:
	close(fd);
	cJSON_Delete(root);
	cJSON_Delete(q.problems);
	cJSON_Delete(q.marks);
	free(q.text);
	free(q.retry);
	free(dir);
	free(text);
	cJSON_free(out);
	buf_free(&hdr);
	buf_free(&body);
	return NULL;
}

static volatile sig_atomic_t quit;

static void
on_signal(int sig)
{
	(void)sig;
	quit = 1;
}

int
main(int argc, char *argv[])
{
	struct sockaddr_in sin;
	struct sigaction sa;
	socklen_t sl = sizeof(sin);
	pthread_attr_t attr;
	pthread_t th;
	const char *spath = NULL;
	int ch, lfd, fd, one = 1;

	while ((ch = getopt(argc, argv, "d:i:k:K:l:m:s:")) != -1) {
		switch (ch) {
		case 'd':
			deflt = optarg;
			break;
		case 'i':
			maxside = atoi(optarg);
			break;
		case 'k':
			key = optarg;
			break;
		case 'K':
			maxmarks = atoi(optarg);
			break;
		case 'l':
			logpath = optarg;
			break;
		case 'm':
			model = optarg;
			break;
		case 's':
			spath = optarg;
			break;
		default:
			usage();
		}
	}
	if (spath == NULL)
		usage();
	load_script(spath);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if ((lfd = socket(AF_INET, SOCK_STREAM, 0)) == -1) {
		perror("socket");
		return 1;
	}
	(void)setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(lfd, 64) == -1 ||
	    getsockname(lfd, (struct sockaddr *)&sin, &sl) == -1) {
		perror("bind");
		return 1;
	}
	printf("port %d\n", ntohs(sin.sin_port));
	fflush(stdout);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	while (!quit) {
		if ((fd = accept(lfd, NULL, NULL)) == -1) {
			if (errno == EINTR)
				continue;
			perror("accept");
			break;
		}
		if (pthread_create(&th, &attr, serve, (void *)(long)fd) != 0)
			close(fd);
	}
	close(lfd);
	return 0;
}
