/*
 * fuzz-api.c: the control API's request handling (src/ctl.c on
 * libwebsockets' HTTP server, src/api.c's routes).
 *
 * A real control server runs in the process, as webnavd's loop sets it
 * up: the unix socket vhost and a loopback TCP vhost that wants a bearer
 * token, api_handle() over a state directory and per-session sessions
 * (nothing launches Chromium).  The input is what a client writes on the
 * connection (one or more HTTP requests, or a WebSocket upgrade); it is
 * sent on the unix socket and again on the TCP port, then the connection
 * is half-closed and the answer read to its end.  The state directory is
 * made afresh for every input and holds task 1, started, with a
 * steps.jsonl, so the routes under /v1/tasks/1 have something to show.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libwebsockets.h>

#include "conf.h"
#include "ctl.h"
#include "daemon.h"
#include "err.h"
#include "fuzz.h"
#include "log.h"
#include "metrics.h"
#include "queue.h"
#include "sessions.h"
#include "xmalloc.h"

#define FUZZ_TOKEN	"fuzz-token-0123456789abcdef"
#define FUZZ_ROUNDS	4000	/* service rounds per connection */
#define FUZZ_WAIT_MS	2000	/* per connection at most */

static const char fuzz_task[] = "{\"name\":\"seeded\",\"start_url\":"
    "\"http://127.0.0.1:1/\",\"actions\":[{\"click\":\"#a\"}]}";
static const char fuzz_steps[] =
    "{\"step\":1,\"url\":\"http://127.0.0.1:1/\",\"action_text\":\"click\","
    "\"screenshot\":\"step-001.png\",\"som\":\"step-001-som.png\"}\n"
    "{\"step\":2,\"error\":\"x\",\"timings\":{\"observe\":1}}\n"
    "not json\n";

static struct daemon	 fuzz_d;
static char		*fuzz_top, *fuzz_sock, *fuzz_state;
static int		 fuzz_port;
static int		 fuzz_verbose;	/* FUZZ_VERBOSE: show answers */

/* nftw() callback: removes one entry. */
static int
fuzz_rm1(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) == -1 && errno != ENOENT ? -1 : 0;
}

/* Removes a directory tree. */
static void
fuzz_rmtree(const char *dir)
{
	(void)nftw(dir, fuzz_rm1, 16, FTW_DEPTH | FTW_PHYS);
}

/* At exit: stops the server and removes the temporary tree. */
static void
fuzz_cleanup(void)
{
	queue_close(fuzz_d.q);
	fuzz_d.q = NULL;
	ctl_free(fuzz_d.ctl);
	fuzz_d.ctl = NULL;
	if (fuzz_top != NULL)
		fuzz_rmtree(fuzz_top);
}

/* Sets up the server once per process. */
static int
fuzz_init(void)
{
	struct ctl_params cp;
	struct sess_params sp;
	const char *tmp;
	char *cause = NULL;

	log_init("fuzz-api", 0, LOG_LVL_WARN);
	fuzz_verbose = getenv("FUZZ_VERBOSE") != NULL;
	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	fuzz_top = xasprintf("%s/fuzz-api.XXXXXX", tmp);
	if (mkdtemp(fuzz_top) == NULL) {
		fprintf(stderr, "fuzz-api: %s: %s\n", fuzz_top,
		    strerror(errno));
		return -1;
	}
	atexit(fuzz_cleanup);
	fuzz_sock = xasprintf("%s/sock", fuzz_top);
	fuzz_state = xasprintf("%s/state", fuzz_top);

	fuzz_d.conf = conf_default();
	fuzz_d.conf->max_attempts = 3;
	fuzz_d.m = metrics_new();
	fuzz_d.start_time = queue_now();
	memset(&sp, 0, sizeof(sp));
	sp.slots = 1;
	sp.mode = CONF_BROWSER_PER_SESSION;
	sp.chromium = "/nonexistent/chromium";
	sp.sandbox = 0;
	sp.start_timeout_ms = 1000;
	if (sess_init(&sp, &fuzz_d.S, &cause) != 0) {
		fprintf(stderr, "fuzz-api: %s\n", cause);
		return -1;
	}
	memset(&cp, 0, sizeof(cp));
	cp.socket = fuzz_sock;
	cp.socket_mode = 0600;
	cp.socket_uid = (uid_t)-1;
	cp.socket_gid = (gid_t)-1;
	cp.listen_host = "127.0.0.1";
	cp.listen_port = 0;
	cp.token = FUZZ_TOKEN;
	cp.body_max = 64 * 1024;
	cp.handler = api_handle;
	cp.hello = api_hello;
	cp.arg = &fuzz_d;
	if (ctl_new(&cp, &fuzz_d.ctl, &cause) != 0) {
		fprintf(stderr, "fuzz-api: %s\n", cause);
		return -1;
	}
	fuzz_d.ctx = ctl_context(fuzz_d.ctl);
	fuzz_port = ctl_tcp_port(fuzz_d.ctl);
	/* lws's own complaints about bad requests are expected here. */
	lws_set_log_level(0, NULL);
	return 0;
}

/* A fresh state directory with task 1 started and task 2 queued. */
static int
fuzz_state_new(void)
{
	struct qattempt *a;
	struct qtask *t;
	char *cause = NULL, *dir, *path;

	queue_close(fuzz_d.q);
	fuzz_d.q = NULL;
	fuzz_rmtree(fuzz_state);
	if (queue_open(fuzz_state, &fuzz_d.q, &cause) != 0 ||
	    queue_add(fuzz_d.q, fuzz_task, strlen(fuzz_task), "seeded", NULL,
	    NULL, 5, 10000, &t, &cause) != 0) {
		fprintf(stderr, "fuzz-api: %s\n", cause);
		free(cause);
		return -1;
	}
	a = queue_begin(fuzz_d.q, t);
	dir = queue_run_path(fuzz_d.q, a);
	(void)mkdir(dir, 0700);
	path = xasprintf("%s/steps.jsonl", dir);
	(void)queue_write_file(path, fuzz_steps, strlen(fuzz_steps));
	free(path);
	free(dir);
	queue_end_attempt(t, "failure", "seeded", 2);
	t->state = CTL_FAILED;
	t->finished = queue_now();
	t->outcome = xstrdup("failure");
	t->reason = xstrdup("seeded");
	(void)queue_save(fuzz_d.q, t);
	if (queue_add(fuzz_d.q, fuzz_task, strlen(fuzz_task), "queued", NULL,
	    NULL, 5, 10000, &t, &cause) != 0) {
		fprintf(stderr, "fuzz-api: %s\n", cause);
		free(cause);
		return -1;
	}
	return 0;
}

/* A non-blocking connection to the unix socket or the TCP port. */
static int
fuzz_connect(int tcp)
{
	struct sockaddr_un sun;
	struct sockaddr_in sin;
	int fd;

	if (tcp) {
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_port = htons((uint16_t)fuzz_port);
		sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd == -1 || connect(fd, (struct sockaddr *)&sin,
		    sizeof(sin)) == -1)
			goto fail;
	} else {
		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", fuzz_sock);
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd == -1 || connect(fd, (struct sockaddr *)&sun,
		    sizeof(sun)) == -1)
			goto fail;
	}
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == -1)
		goto fail;
	return fd;
fail:
	fprintf(stderr, "fuzz-api: connect: %s\n", strerror(errno));
	abort();
}

/* Plays the input on one connection and reads the answer to its end. */
static void
fuzz_conn(const uint8_t *data, size_t size, int tcp)
{
	char rbuf[16384];
	size_t off = 0;
	long long deadline = daemon_now_ms() + FUZZ_WAIT_MS;
	int fd, rounds, shut = 0;
	ssize_t n;

	fd = fuzz_connect(tcp);
	for (rounds = 0; rounds < FUZZ_ROUNDS; rounds++) {
		if (off < size) {
			n = send(fd, data + off, size - off, MSG_NOSIGNAL);
			if (n > 0)
				off += (size_t)n;
			else if (n == -1 && errno != EAGAIN &&
			    errno != EWOULDBLOCK)
				off = size;	/* the server hung up */
		}
		if (off == size && !shut) {
			(void)shutdown(fd, SHUT_WR);
			shut = 1;
		}
		lws_service(fuzz_d.ctx, -1);
		n = recv(fd, rbuf, sizeof(rbuf), 0);
		if (n == 0 || (n == -1 && errno != EAGAIN &&
		    errno != EWOULDBLOCK))
			break;
		if (n > 0 && fuzz_verbose)
			(void)fwrite(rbuf, 1, (size_t)n, stderr);
		if (n == -1) {
			if (daemon_now_ms() > deadline)
				break;
			(void)poll(NULL, 0, 0);
		}
	}
	close(fd);
	/* Let the server see the close and free the connection. */
	for (rounds = 0; rounds < 8; rounds++)
		lws_service(fuzz_d.ctx, -1);
}

/* Plays one input on each vhost, each with a fresh state directory. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init, ok;

	if (!init) {
		ok = fuzz_init() == 0;
		init = 1;
	}
	if (!ok || fuzz_state_new() != 0)
		abort();
	fuzz_conn(data, size, 0);
	if (fuzz_state_new() != 0)
		abort();
	fuzz_conn(data, size, 1);
	return 0;
}
