/*
 * cdp-launch.c: starting and supervising Chromium.
 *
 * Chromium runs in its own process group (setsid), so that its zygote,
 * renderer and utility processes can be killed with it.  It is asked for
 * --remote-debugging-port=0 and reports the port it chose in
 * <profile>/DevToolsActivePort (first line the port, second the browser
 * target path).  Its stdout and stderr go to <profile>/chromium.log, whose
 * last lines explain a failed start.  The child also gets
 * PR_SET_PDEATHSIG: should this process die without cdp_browser_free(),
 * the browser dies with the thread that launched it.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "log.h"
#include "xmalloc.h"

#include "cdp.h"
#include "private.h"

extern char **environ;

#ifndef WEBNAV_CHROMIUM
#define WEBNAV_CHROMIUM "/usr/bin/chromium"
#endif

#define LAUNCH_PROFILE_PREFIX	"webnav-chromium-"
#define LAUNCH_LOG_NAME		"chromium.log"
#define LAUNCH_TERM_GRACE_MS	2000
#define LAUNCH_POLL_MS		10
#define LAUNCH_MAX_ARGS		64
#define LAUNCH_TAIL_BYTES	1024

/* Flags every launch gets (see the DevTools and headless docs). */
static const char *const launch_flags[] = {
	"--disable-gpu",
	"--disable-quic",
	"--no-first-run",
	"--no-default-browser-check",
	"--disable-background-networking",
	"--disable-component-update",
	"--disable-sync",
	"--disable-extensions",
	"--disable-default-apps",
	"--mute-audio",
	"--hide-scrollbars",
	"--remote-debugging-port=0",
	NULL
};

struct cdp_browser {
	pid_t	 pid;		/* main process = process group id */
	char	*wsurl;
	char	*profile;	/* --user-data-dir */
	int	 own_profile;	/* profile is our temp dir: remove it */
	int	 exited;	/* reaped */
	char	 reason[64];	/* cdp_browser_exit_reason() */
};

/* Fills p with defaults. */
void
cdp_launch_default_params(struct cdp_launch_params *p)
{
	memset(p, 0, sizeof(*p));
	p->executable = NULL;
	p->headless = 1;
	p->width = 1280;
	p->height = 800;
	p->sandbox = -1;
	p->startup_timeout_ms = 20000;
	p->extra_args = NULL;
	p->user_data_dir = NULL;
}

/* Sleeps for ms milliseconds. */
static void
launch_sleep_ms(int ms)
{
	struct timespec ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* Describes a wait status ("exited with status 1", "killed by ..."). */
static void
launch_describe(int status, char *dst, size_t dstsz)
{
	if (WIFEXITED(status))
		snprintf(dst, dstsz, "exited with status %d",
		    WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(dst, dstsz, "killed by signal %d (%s)",
		    WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		snprintf(dst, dstsz, "stopped (status 0x%x)", status);
}

/* Reaps the main process if it exited; returns 1 if it did. */
static int
launch_reap(struct cdp_browser *b, int block)
{
	pid_t w;
	int status = 0;

	if (b->exited)
		return 1;
	do
		w = waitpid(b->pid, &status, block ? 0 : WNOHANG);
	while (w == -1 && errno == EINTR);
	if (w == 0)
		return 0;
	b->exited = 1;
	if (w == -1)
		snprintf(b->reason, sizeof(b->reason), "exited (status "
		    "unknown: %s)", strerror(errno));
	else
		launch_describe(status, b->reason, sizeof(b->reason));
	return 1;
}

/*
 * Counts live (not zombie) processes in process group pgid by scanning
 * /proc.
 */
static int
launch_group_count(pid_t pgid)
{
	DIR *d;
	struct dirent *de;
	char path[300], line[512], *p;
	FILE *f;
	int n = 0, fpgid;
	char state;

	if ((d = opendir("/proc")) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		if (fgets(line, sizeof(line), f) != NULL &&
		    (p = strrchr(line, ')')) != NULL &&
		    sscanf(p + 1, " %c %*d %d", &state, &fpgid) == 2 &&
		    fpgid == pgid && state != 'Z' && state != 'X')
			n++;
		fclose(f);
	}
	closedir(d);
	return n;
}

/*
 * Kills what is left of the group: SIGKILL until no live member remains
 * (bounded: members that ignore it for a second are left to init).
 */
static void
launch_kill_group(pid_t pgid)
{
	int i;

	for (i = 0; i < 100; i++) {
		if (kill(-pgid, SIGKILL) == -1 && errno == ESRCH)
			return;
		if (launch_group_count(pgid) == 0)
			return;
		launch_sleep_ms(LAUNCH_POLL_MS);
	}
	log_warnx("chromium: processes of group %ld survived SIGKILL",
	    (long)pgid);
}

/* Removes one entry of the profile tree (nftw callback). */
static int
launch_rm_entry(const char *path, const struct stat *st, int type,
    struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_DP) {
		if (rmdir(path) == -1 && errno != ENOENT)
			log_debug("chromium: rmdir %s: %s", path,
			    strerror(errno));
	} else if (unlink(path) == -1 && errno != ENOENT)
		log_debug("chromium: unlink %s: %s", path, strerror(errno));
	return 0;
}

/*
 * Removes a temporary profile directory we created.  Refuses anything
 * that does not look like one of ours.
 */
static void
launch_rm_profile(const char *dir)
{
	const char *base;

	if (dir == NULL || *dir != '/' ||
	    (base = strrchr(dir, '/')) == NULL ||
	    strncmp(base + 1, LAUNCH_PROFILE_PREFIX,
	    strlen(LAUNCH_PROFILE_PREFIX)) != 0) {
		log_warnx("chromium: not removing unexpected profile %s",
		    dir != NULL ? dir : "(null)");
		return;
	}
	/* Depth first, never following links or leaving the filesystem. */
	if (nftw(dir, launch_rm_entry, 16, FTW_DEPTH | FTW_PHYS |
	    FTW_MOUNT) == -1 && errno != ENOENT)
		log_warn("chromium: removing %s", dir);
}

/* Returns the last lines of the browser log, for a failure cause. */
static char *
launch_log_tail(const char *profile)
{
	char path[PATH_MAX], buf[LAUNCH_TAIL_BYTES + 1], *p;
	ssize_t n;
	off_t size;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", profile, LAUNCH_LOG_NAME);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return xstrdup("");
	size = lseek(fd, 0, SEEK_END);
	if (size > LAUNCH_TAIL_BYTES)
		lseek(fd, size - LAUNCH_TAIL_BYTES, SEEK_SET);
	else
		lseek(fd, 0, SEEK_SET);
	n = read(fd, buf, LAUNCH_TAIL_BYTES);
	close(fd);
	if (n <= 0)
		return xstrdup("");
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	/* Start at a line boundary when the tail was cut. */
	p = buf;
	if (size > LAUNCH_TAIL_BYTES && (p = strchr(buf, '\n')) != NULL)
		p++;
	else
		p = buf;
	for (char *q = p; *q != '\0'; q++)
		if (*q == '\n')
			*q = '|';
	return *p != '\0' ? xasprintf("; log (%s): %s", path, p) :
	    xstrdup("");
}

/*
 * Reads DevToolsActivePort.  Returns 1 with *wsurlp set when it is
 * complete, 0 while it is missing or partial.
 */
static int
launch_read_port(const char *profile, char **wsurlp)
{
	char path[PATH_MAX], buf[512], *nl, *end;
	ssize_t n;
	long port;
	int fd;

	snprintf(path, sizeof(path), "%s/DevToolsActivePort", profile);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	if ((nl = strchr(buf, '\n')) == NULL)
		return 0;
	*nl = '\0';
	errno = 0;
	port = strtol(buf, &end, 10);
	if (errno != 0 || end == buf || *end != '\0' || port < 1 ||
	    port > 65535)
		return 0;
	nl++;
	nl[strcspn(nl, "\r\n")] = '\0';
	if (strncmp(nl, "/devtools/browser/", 18) != 0 || nl[18] == '\0')
		return 0;
	*wsurlp = xasprintf("ws://127.0.0.1:%ld%s", port, nl);
	return 1;
}

/*
 * The environment of the browser: ours with TMPDIR set to tmpdir, so
 * that the scoped temporary directories Chromium makes go inside its
 * profile and are removed with it, even after a SIGKILL.  Built before
 * the fork (the child may not allocate).  The array is allocated, and
 * so is its TMPDIR entry, *tmpenvp.
 */
static char **
launch_env(const char *tmpdir, char **tmpenvp)
{
	char **env;
	size_t n = 0, i, j = 0;

	while (environ[n] != NULL)
		n++;
	env = xreallocarray(NULL, n + 2, sizeof(*env));
	for (i = 0; i < n; i++)
		if (strncmp(environ[i], "TMPDIR=", 7) != 0)
			env[j++] = environ[i];
	*tmpenvp = xasprintf("TMPDIR=%s", tmpdir);
	env[j++] = *tmpenvp;
	env[j] = NULL;
	return env;
}

/* In the child: becomes the browser (never returns). */
static void __attribute__((__noreturn__))
launch_child(char *const argv[], char *const envp[], const char *logpath,
    int errfd, pid_t parent)
{
	sigset_t all;
	int fd, e;

	setsid();
	/* Die with the launching thread if it goes without cleaning up. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	if ((fd = open("/dev/null", O_RDONLY)) != -1) {
		dup2(fd, 0);
		if (fd > 2)
			close(fd);
	}
	if ((fd = open(logpath, O_WRONLY | O_CREAT | O_APPEND | O_TRUNC,
	    0600)) == -1)
		fd = open("/dev/null", O_WRONLY);
	if (fd != -1) {
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	/* errfd is close-on-exec: it closes by itself if exec works. */
	if (errfd > 3)
		close_range(3, (unsigned int)errfd - 1, 0);
	close_range((unsigned int)errfd + 1, ~0u, 0);
	execve(argv[0], argv, envp);
	e = errno;
	if (write(errfd, &e, sizeof(e)) == -1) {
		/* Nothing more to do. */
	}
	_exit(127);
}

/* Starts Chromium and waits for its DevTools endpoint. */
int
cdp_browser_launch(const struct cdp_launch_params *p,
    struct cdp_browser **bp, char **causep)
{
	struct cdp_launch_params dp;
	struct cdp_browser *b = NULL;
	const char *exe, *tmpdir;
	char *argv[LAUNCH_MAX_ARGS];
	char *logpath = NULL, *tail = NULL, *tmpl = NULL, *portfile;
	char **envp = NULL, *tmpenv = NULL, *btmp;
	long long deadline;
	int r = ERR_INTERNAL, argc = 0, sandbox, i, e, errpipe[2] = { -1, -1 };
	ssize_t n;
	pid_t pid;

	*bp = NULL;
	if (causep != NULL)
		*causep = NULL;
	if (p == NULL) {
		cdp_launch_default_params(&dp);
		p = &dp;
	}
	exe = p->executable;
	if (exe == NULL)
		exe = getenv("WEBNAV_CHROMIUM");
	if (exe == NULL || *exe == '\0')
		exe = WEBNAV_CHROMIUM;
	if (access(exe, X_OK) == -1) {
		if (causep != NULL)
			*causep = errno == ENOENT ? xasprintf("chromium not "
			    "found at %s: install the Debian package "
			    "chromium", exe) : xasprintf("cannot execute "
			    "chromium at %s: %s", exe, strerror(errno));
		r = ERR_BROWSER;
		goto out;
	}

	b = xcalloc(1, sizeof(*b));
	b->pid = -1;
	if (p->user_data_dir != NULL) {
		b->profile = xstrdup(p->user_data_dir);
		if (mkdir(b->profile, 0700) == -1 && errno != EEXIST) {
			if (causep != NULL)
				*causep = xasprintf("cannot create profile "
				    "directory %s: %s", b->profile,
				    strerror(errno));
			r = ERR_IO;
			goto out;
		}
	} else {
		if ((tmpdir = getenv("TMPDIR")) == NULL || *tmpdir != '/')
			tmpdir = "/tmp";
		tmpl = xasprintf("%s/" LAUNCH_PROFILE_PREFIX "XXXXXX", tmpdir);
		if (mkdtemp(tmpl) == NULL) {
			if (causep != NULL)
				*causep = xasprintf("cannot create a profile "
				    "directory in %s: %s", tmpdir,
				    strerror(errno));
			r = ERR_IO;
			goto out;
		}
		b->profile = tmpl;
		tmpl = NULL;
		b->own_profile = 1;
	}
	/* A stale file from an earlier run would point at a dead port. */
	portfile = xasprintf("%s/DevToolsActivePort", b->profile);
	unlink(portfile);
	free(portfile);
	logpath = xasprintf("%s/%s", b->profile, LAUNCH_LOG_NAME);
	if (b->own_profile) {
		btmp = xasprintf("%s/tmp", b->profile);
		if (mkdir(btmp, 0700) == 0 || errno == EEXIST)
			envp = launch_env(btmp, &tmpenv);
		free(btmp);
	}

	sandbox = p->sandbox;
	if (sandbox < 0)
		sandbox = geteuid() != 0;
	argv[argc++] = xstrdup(exe);
	if (p->headless)
		argv[argc++] = xstrdup("--headless");
	if (!sandbox)
		argv[argc++] = xstrdup("--no-sandbox");
	for (i = 0; launch_flags[i] != NULL; i++)
		argv[argc++] = xstrdup(launch_flags[i]);
	argv[argc++] = xasprintf("--user-data-dir=%s", b->profile);
	argv[argc++] = xasprintf("--window-size=%d,%d",
	    p->width > 0 ? p->width : 1280, p->height > 0 ? p->height : 800);
	for (i = 0; p->extra_args != NULL && p->extra_args[i] != NULL; i++) {
		if (argc >= LAUNCH_MAX_ARGS - 2) {
			if (causep != NULL)
				*causep = xstrdup("too many extra chromium "
				    "arguments");
			r = ERR_INVALID;
			goto out;
		}
		argv[argc++] = xstrdup(p->extra_args[i]);
	}
	argv[argc++] = xstrdup("about:blank");
	argv[argc] = NULL;

	if (pipe2(errpipe, O_CLOEXEC) == -1) {
		if (causep != NULL)
			*causep = xasprintf("pipe: %s", strerror(errno));
		r = ERR_IO;
		goto out;
	}
	pid = getpid();
	switch ((b->pid = fork())) {
	case -1:
		if (causep != NULL)
			*causep = xasprintf("cannot fork chromium: %s",
			    strerror(errno));
		r = ERR_IO;
		goto out;
	case 0:
		close(errpipe[0]);
		launch_child(argv, envp != NULL ? envp : environ, logpath,
		    errpipe[1], pid);
	default:
		break;
	}
	close(errpipe[1]);
	errpipe[1] = -1;
	/* exec failures come back through the pipe; success closes it. */
	do
		n = read(errpipe[0], &e, sizeof(e));
	while (n == -1 && errno == EINTR);
	if (n == (ssize_t)sizeof(e)) {
		launch_reap(b, 1);
		if (causep != NULL)
			*causep = xasprintf("cannot execute %s: %s", exe,
			    strerror(e));
		r = ERR_BROWSER;
		goto out;
	}
	log_debug("chromium: started %s, pid %ld, profile %s", exe,
	    (long)b->pid, b->profile);

	deadline = cdp_now_ms() + (p->startup_timeout_ms > 0 ?
	    p->startup_timeout_ms : 20000);
	for (;;) {
		if (launch_read_port(b->profile, &b->wsurl))
			break;
		if (launch_reap(b, 0)) {
			tail = launch_log_tail(b->profile);
			if (causep != NULL)
				*causep = xasprintf("chromium %s during "
				    "startup%s", b->reason, tail);
			r = ERR_BROWSER;
			goto out;
		}
		if (cdp_now_ms() >= deadline) {
			tail = launch_log_tail(b->profile);
			if (causep != NULL)
				*causep = xasprintf("chromium did not report "
				    "its DevTools port within %d ms%s",
				    p->startup_timeout_ms > 0 ?
				    p->startup_timeout_ms : 20000, tail);
			r = ERR_TIMEOUT;
			goto out;
		}
		launch_sleep_ms(LAUNCH_POLL_MS);
	}
	log_debug("chromium: pid %ld listening at %s", (long)b->pid,
	    b->wsurl);
	*bp = b;
	b = NULL;
	r = 0;
out:
	if (errpipe[0] != -1)
		close(errpipe[0]);
	if (errpipe[1] != -1)
		close(errpipe[1]);
	cdp_browser_free(b);
	for (i = 0; i < argc; i++)
		free(argv[i]);
	free(logpath);
	free(tail);
	free(tmpl);
	free(envp);
	free(tmpenv);
	return r;
}

/* The browser websocket URL. */
const char *
cdp_browser_ws_url(const struct cdp_browser *b)
{
	return b->wsurl;
}

/* The main process id (and process group id). */
pid_t
cdp_browser_pid(const struct cdp_browser *b)
{
	return b->pid;
}

/* 1 while the main process runs, 0 once it exited (reaped). */
int
cdp_browser_alive(struct cdp_browser *b)
{
	return !launch_reap(b, 0);
}

/* Why the browser exited, or "" while it runs. */
const char *
cdp_browser_exit_reason(const struct cdp_browser *b)
{
	return b->exited ? b->reason : "";
}

/* Terminates the process group, reaps it, removes a temp profile. */
void
cdp_browser_free(struct cdp_browser *b)
{
	long long deadline;

	if (b == NULL)
		return;
	if (b->pid > 0) {
		if (!launch_reap(b, 0)) {
			kill(-b->pid, SIGTERM);
			deadline = cdp_now_ms() + LAUNCH_TERM_GRACE_MS;
			while (!launch_reap(b, 0) && cdp_now_ms() < deadline)
				launch_sleep_ms(LAUNCH_POLL_MS);
		}
		/*
		 * Even after the main process is gone (on its own or by
		 * SIGTERM) the group may hold zygote or renderer processes.
		 */
		launch_kill_group(b->pid);
		launch_reap(b, 1);
		log_debug("chromium: pid %ld %s", (long)b->pid, b->reason);
	}
	if (b->own_profile)
		launch_rm_profile(b->profile);
	free(b->profile);
	free(b->wsurl);
	free(b);
}
