/* live.c: helpers for tests against real Chromium. */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "live.h"

#ifndef WEBNAV_CHROMIUM
#define WEBNAV_CHROMIUM "/usr/bin/chromium"
#endif

#define LIVE_SITE_WAIT_MS	10000

/* Launches Chromium and connects to it (skips the test without it). */
int
live_start(struct live *L)
{
	struct cdp_launch_params lp;
	const char *exe;
	char *cause = NULL;
	int r;

	memset(L, 0, sizeof(*L));
	if ((exe = getenv("WEBNAV_CHROMIUM")) == NULL || *exe == '\0')
		exe = WEBNAV_CHROMIUM;
	if (access(exe, X_OK) == -1) {
		printf("1..0 # SKIP chromium not installed at %s\n", exe);
		exit(0);
	}
	cdp_launch_default_params(&lp);
	if ((r = cdp_browser_launch(&lp, &L->browser, &cause)) != 0) {
		printf("Bail out! launching chromium: %s (%s)\n",
		    cause != NULL ? cause : "?", err_str(r));
		free(cause);
		return -1;
	}
	if ((r = cdp_conn_open(cdp_browser_ws_url(L->browser), NULL,
	    &L->conn, &cause)) != 0) {
		printf("Bail out! connecting to chromium: %s (%s)\n",
		    cause != NULL ? cause : "?", err_str(r));
		free(cause);
		live_stop(L);
		return -1;
	}
	return 0;
}

/* Closes the connection and kills the browser. */
void
live_stop(struct live *L)
{
	cdp_conn_free(L->conn);
	L->conn = NULL;
	cdp_browser_free(L->browser);
	L->browser = NULL;
}

/* Reads field values from /proc/PID/stat: state and process group. */
static int
live_stat(const char *pid, char *statep, pid_t *pgidp)
{
	char path[300], line[512], *p;
	FILE *f;
	int pgid, n = 0;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	if (fgets(line, sizeof(line), f) != NULL &&
	    (p = strrchr(line, ')')) != NULL)
		n = sscanf(p + 1, " %c %*d %d", statep, &pgid);
	fclose(f);
	if (n != 2)
		return -1;
	*pgidp = pgid;
	return 0;
}

/* Counts live processes in a process group. */
int
live_count_group(pid_t pgid)
{
	struct dirent *de;
	DIR *d;
	pid_t g;
	char st;
	int n = 0;

	if ((d = opendir("/proc")) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		if (live_stat(de->d_name, &st, &g) == 0 && g == pgid &&
		    st != 'Z' && st != 'X')
			n++;
	}
	closedir(d);
	return n;
}

/* Counts live Chromium processes with a webnav temporary profile. */
int
live_count_chromium(void)
{
	struct dirent *de;
	DIR *d;
	char path[300], cmd[8192];
	pid_t g;
	char st;
	ssize_t len, i;
	int fd, n = 0;

	if ((d = opendir("/proc")) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		if (live_stat(de->d_name, &st, &g) != 0 || st == 'Z' ||
		    st == 'X')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/cmdline", de->d_name);
		if ((fd = open(path, O_RDONLY)) == -1)
			continue;
		len = read(fd, cmd, sizeof(cmd) - 1);
		close(fd);
		if (len <= 0)
			continue;
		for (i = 0; i < len; i++)
			if (cmd[i] == '\0')
				cmd[i] = ' ';
		cmd[len] = '\0';
		if (strstr(cmd, "--user-data-dir=") != NULL &&
		    strstr(cmd, "webnav-chromium-") != NULL)
			n++;
	}
	closedir(d);
	return n;
}

/* Starts tests/sitesrv on root and reads its port. */
int
live_site_start(const char *root, int *portp, pid_t *pidp)
{
	struct pollfd pfd;
	const char *top;
	char exe[4096], line[64];
	size_t got = 0;
	ssize_t n;
	pid_t pid;
	int fds[2], port = 0, rc;

	if ((top = getenv("top_builddir")) == NULL || *top == '\0')
		top = ".";
	snprintf(exe, sizeof(exe), "%s/tests/sitesrv", top);
	if (access(exe, X_OK) == -1) {
		printf("# cannot run %s: %s\n", exe, strerror(errno));
		return -1;
	}
	if (pipe(fds) == -1)
		return -1;
	fflush(stdout);
	if ((pid = fork()) == -1) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		if (dup2(fds[1], 1) == -1)
			_exit(127);
		close(fds[1]);
		execl(exe, "sitesrv", "-r", root, "-p", "0", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	pfd.fd = fds[0];
	pfd.events = POLLIN;
	while (got < sizeof(line) - 1 && memchr(line, '\n', got) == NULL) {
		if ((rc = poll(&pfd, 1, LIVE_SITE_WAIT_MS)) <= 0) {
			if (rc == -1 && errno == EINTR)
				continue;
			break;
		}
		if ((n = read(fds[0], line + got, sizeof(line) - 1 - got)) <= 0)
			break;
		got += (size_t)n;
	}
	close(fds[0]);
	line[got] = '\0';
	if (sscanf(line, "port %d", &port) != 1 || port <= 0 ||
	    port > 65535) {
		printf("# sitesrv did not report a port (got \"%.*s\")\n",
		    (int)strcspn(line, "\n"), line);
		live_site_stop(pid);
		return -1;
	}
	*portp = port;
	*pidp = pid;
	return 0;
}

/* Stops a test site server. */
void
live_site_stop(pid_t pid)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	int i, status;

	if (pid <= 0)
		return;
	kill(pid, SIGTERM);
	for (i = 0; i < 300; i++) {
		if (waitpid(pid, &status, WNOHANG) != 0)
			return;
		nanosleep(&ts, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
}
