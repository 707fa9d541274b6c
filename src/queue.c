/*
 * queue.c: tasks in memory and in the state directory (see queue.h).
 */
#include "config.h"

#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "err.h"
#include "log.h"
#include "queue.h"
#include "xmalloc.h"

#define RECORD_VERSION	1

struct queue {
	char		*dir;
	char		*tasks_dir;
	int		 lockfd;
	long long	 next_id;
	struct qtask	*head, *tail;
	size_t		 n;
};

double
queue_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)(ts.tv_nsec / 1000000) / 1e3;
}

void
queue_fmt_time(double t, char *buf, size_t len)
{
	time_t s = (time_t)t;
	struct tm tm;
	char tmp[32];
	int ms = (int)((t - (double)s) * 1000.0 + 0.5);

	if (ms >= 1000)
		ms = 999;
	gmtime_r(&s, &tm);
	strftime(tmp, sizeof(tmp), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s.%03dZ", tmp, ms);
}

/* Parses queue_fmt_time()'s format; 0 or -1. */
static int
parse_time(const char *s, double *tp)
{
	struct tm tm;
	int ms = 0, n = 0;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ%n", &tm.tm_year,
	    &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms,
	    &n) != 7 || s[n] != '\0')
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*tp = (double)timegm(&tm) + ms / 1000.0;
	return 0;
}

/* Adds a time field: ISO text, or null for 0. */
static void
add_time(cJSON *o, const char *key, double t)
{
	char buf[40];

	if (t <= 0) {
		cJSON_AddNullToObject(o, key);
		return;
	}
	queue_fmt_time(t, buf, sizeof(buf));
	cJSON_AddStringToObject(o, key, buf);
}

static void
add_str(cJSON *o, const char *key, const char *s)
{
	if (s == NULL)
		cJSON_AddNullToObject(o, key);
	else
		cJSON_AddStringToObject(o, key, s);
}

/* ---------------------------------------------------------------------- */
/* Files.                                                                 */

/* fsyncs a directory so that a rename in it is durable. */
static int
sync_dir(const char *dir)
{
	int fd, r = 0;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return ERR_IO;
	if (fsync(fd) == -1)
		r = ERR_IO;
	close(fd);
	return r;
}

int
queue_write_file(const char *path, const void *data, size_t len)
{
	const char *slash = strrchr(path, '/');
	const char *p = data;
	char *tmp = NULL, *dir = NULL;
	ssize_t n;
	int fd = -1, r = ERR_IO, saved;

	if (slash == NULL)
		return ERR_INVALID;
	dir = xstrndup(path, (size_t)(slash - path));
	tmp = xasprintf("%s/.%s.tmp", dir, slash + 1);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) == -1)
		goto out;
	while (len > 0) {
		if ((n = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			goto out;
		}
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) == -1)
		goto out;
	if (close(fd) == -1) {
		fd = -1;
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) == -1)
		goto out;
	r = sync_dir(dir);
out:
	saved = errno;
	if (fd != -1)
		close(fd);
	if (r != 0)
		unlink(tmp);
	free(tmp);
	free(dir);
	errno = saved;
	return r;
}

/* Reads a whole file of at most max bytes (allocated, NUL-terminated). */
static int
read_file(const char *path, size_t max, char **datap, size_t *lenp)
{
	struct buf b;
	char chunk[16384];
	ssize_t n;
	int fd, r = 0;

	*datap = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return errno == ENOENT ? ERR_NOTFOUND : ERR_IO;
	buf_init(&b, max);
	for (;;) {
		if ((n = read(fd, chunk, sizeof(chunk))) == -1) {
			if (errno == EINTR)
				continue;
			r = ERR_IO;
			break;
		}
		if (n == 0)
			break;
		if ((r = buf_add(&b, chunk, (size_t)n)) != 0)
			break;
	}
	close(fd);
	if (r != 0) {
		buf_free(&b);
		return r;
	}
	if (lenp != NULL)
		*lenp = b.len;
	*datap = b.data != NULL ? buf_steal(&b, NULL) : xstrdup("");
	return 0;
}

/* Removes one entry of a tree (nftw callback). */
static int
rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_DP) {
		if (rmdir(path) == -1 && errno != ENOENT)
			log_warn("rmdir %s", path);
	} else if (unlink(path) == -1 && errno != ENOENT)
		log_warn("unlink %s", path);
	return 0;
}

/* Removes a tree, never following links or crossing filesystems. */
static void
rm_tree(const char *path)
{
	if (nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) == -1 &&
	    errno != ENOENT)
		log_warn("removing %s", path);
}

/* mkdir with a mode; an existing directory is fine. */
static int
make_dir(const char *path, mode_t mode, char **causep)
{
	struct stat st;

	if (mkdir(path, mode) == 0)
		return 0;
	if (errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	*causep = xasprintf("cannot create %s: %s", path, strerror(errno));
	return ERR_IO;
}

/* ---------------------------------------------------------------------- */
/* Records.                                                               */

static void
attempt_clear(struct qattempt *a)
{
	free(a->outcome);
	free(a->reason);
	free(a->run_dir);
	memset(a, 0, sizeof(*a));
}

static void
task_free_rec(struct qtask *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->natt; i++)
		attempt_clear(&t->att[i]);
	free(t->att);
	free(t->name);
	free(t->policy);
	free(t->owner);
	free(t->outcome);
	free(t->reason);
	free(t->final_url);
	free(t->last_action);
	free(t);
}

/* Path of a file of task id in tasks/ (allocated). */
static char *
task_path(const struct queue *q, long long id, const char *suffix)
{
	return xasprintf("%s/%lld%s", q->tasks_dir, id, suffix);
}

/* The record as saved (the API form is queue_task_json()). */
static cJSON *
record_json(const struct qtask *t)
{
	cJSON *o = cJSON_CreateObject(), *arr, *a;
	size_t i;

	cJSON_AddNumberToObject(o, "version", RECORD_VERSION);
	cJSON_AddNumberToObject(o, "id", (double)t->id);
	add_str(o, "name", t->name);
	cJSON_AddStringToObject(o, "state", ctl_state_name(t->state));
	add_str(o, "policy", t->policy);
	add_str(o, "owner", t->owner);
	add_time(o, "submitted", t->submitted);
	add_time(o, "started", t->started);
	add_time(o, "finished", t->finished);
	cJSON_AddNumberToObject(o, "max_steps", t->max_steps);
	cJSON_AddNumberToObject(o, "timeout_ms", t->timeout_ms);
	add_str(o, "outcome", t->outcome);
	add_str(o, "reason", t->reason);
	add_str(o, "final_url", t->final_url);
	cJSON_AddNumberToObject(o, "steps", t->steps);
	arr = cJSON_AddArrayToObject(o, "attempts");
	for (i = 0; i < t->natt; i++) {
		const struct qattempt *at = &t->att[i];

		a = cJSON_CreateObject();
		cJSON_AddNumberToObject(a, "attempt", at->n);
		add_time(a, "started", at->started);
		add_time(a, "finished", at->finished);
		add_str(a, "outcome", at->outcome);
		add_str(a, "reason", at->reason);
		cJSON_AddNumberToObject(a, "steps", at->steps);
		add_str(a, "run_dir", at->run_dir);
		cJSON_AddItemToArray(arr, a);
	}
	return o;
}

/* A string field or NULL; -1 when present with another type. */
static int
get_str(const cJSON *o, const char *key, char **sp)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	*sp = NULL;
	if (v == NULL || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsString(v))
		return -1;
	*sp = xstrdup(v->valuestring);
	return 0;
}

static int
get_int(const cJSON *o, const char *key, int *ip)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (v == NULL)
		return 0;
	if (!cJSON_IsNumber(v) || v->valuedouble < 0 ||
	    v->valuedouble > 1e9)
		return -1;
	*ip = (int)v->valuedouble;
	return 0;
}

static int
get_time(const cJSON *o, const char *key, double *tp)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	*tp = 0;
	if (v == NULL || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsString(v))
		return -1;
	return parse_time(v->valuestring, tp);
}

/* A run directory name as we make them: "runs/ID" or "runs/ID.N". */
static int
valid_run_dir(const char *s, long long id)
{
	char want[64];
	size_t n;

	snprintf(want, sizeof(want), "runs/%lld", id);
	n = strlen(want);
	if (strncmp(s, want, n) != 0)
		return 0;
	if (s[n] == '\0')
		return 1;
	if (s[n] != '.' || s[n + 1] == '\0')
		return 0;
	for (s += n + 1; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* Builds a task from its record; NULL with *whyp on a bad record. */
static struct qtask *
record_parse(const char *text, long long id, const char **whyp)
{
	struct qtask *t;
	const cJSON *v, *arr, *a;
	cJSON *o;
	char *state = NULL;
	int s, ver = 0;

	if ((o = cJSON_Parse(text)) == NULL || !cJSON_IsObject(o)) {
		cJSON_Delete(o);
		*whyp = "not a JSON object";
		return NULL;
	}
	t = xcalloc(1, sizeof(*t));
	t->slot = -1;
	*whyp = "bad field";
	if (get_int(o, "version", &ver) != 0 || ver != RECORD_VERSION) {
		*whyp = "unknown record version";
		goto bad;
	}
	v = cJSON_GetObjectItemCaseSensitive(o, "id");
	if (!cJSON_IsNumber(v) || (long long)v->valuedouble != id) {
		*whyp = "id does not match the file name";
		goto bad;
	}
	t->id = id;
	if (get_str(o, "state", &state) != 0 || state == NULL ||
	    (s = ctl_state_parse(state)) < 0) {
		*whyp = "bad state";
		goto bad;
	}
	t->state = (enum ctl_state)s;
	if (get_str(o, "name", &t->name) != 0 ||
	    get_str(o, "policy", &t->policy) != 0 ||
	    get_str(o, "owner", &t->owner) != 0 ||
	    get_time(o, "submitted", &t->submitted) != 0 ||
	    get_time(o, "started", &t->started) != 0 ||
	    get_time(o, "finished", &t->finished) != 0 ||
	    get_int(o, "max_steps", &t->max_steps) != 0 ||
	    get_int(o, "timeout_ms", &t->timeout_ms) != 0 ||
	    get_str(o, "outcome", &t->outcome) != 0 ||
	    get_str(o, "reason", &t->reason) != 0 ||
	    get_str(o, "final_url", &t->final_url) != 0 ||
	    get_int(o, "steps", &t->steps) != 0)
		goto bad;
	arr = cJSON_GetObjectItemCaseSensitive(o, "attempts");
	if (arr != NULL && !cJSON_IsArray(arr))
		goto bad;
	if (cJSON_GetArraySize(arr) > QUEUE_MAX_ATTEMPTS) {
		*whyp = "too many attempts";
		goto bad;
	}
	cJSON_ArrayForEach(a, arr) {
		struct qattempt *at;

		t->att = xreallocarray(t->att, t->natt + 1, sizeof(*t->att));
		at = &t->att[t->natt++];
		memset(at, 0, sizeof(*at));
		if (!cJSON_IsObject(a) || get_int(a, "attempt", &at->n) != 0 ||
		    at->n != (int)t->natt ||
		    get_time(a, "started", &at->started) != 0 ||
		    get_time(a, "finished", &at->finished) != 0 ||
		    get_str(a, "outcome", &at->outcome) != 0 ||
		    get_str(a, "reason", &at->reason) != 0 ||
		    get_int(a, "steps", &at->steps) != 0 ||
		    get_str(a, "run_dir", &at->run_dir) != 0 ||
		    at->run_dir == NULL || !valid_run_dir(at->run_dir, id)) {
			*whyp = "bad attempt";
			goto bad;
		}
	}
	if (t->state == CTL_RUNNING && t->natt == 0) {
		*whyp = "running without an attempt";
		goto bad;
	}
	free(state);
	cJSON_Delete(o);
	return t;
bad:
	free(state);
	cJSON_Delete(o);
	task_free_rec(t);
	return NULL;
}

int
queue_save(struct queue *q, struct qtask *t)
{
	cJSON *o = record_json(t);
	char *txt = cJSON_Print(o), *path = task_path(q, t->id, ".json");
	int r;

	if ((r = queue_write_file(path, txt, strlen(txt))) != 0)
		log_warn("writing %s", path);
	cJSON_free(txt);
	cJSON_Delete(o);
	free(path);
	return r;
}

/* ---------------------------------------------------------------------- */
/* The list.                                                              */

/* Inserts t in id order (records load in directory order). */
static void
list_insert(struct queue *q, struct qtask *t)
{
	struct qtask *p = q->tail;

	while (p != NULL && p->id > t->id)
		p = p->prev;
	t->prev = p;
	t->next = p != NULL ? p->next : q->head;
	if (t->next != NULL)
		t->next->prev = t;
	else
		q->tail = t;
	if (p != NULL)
		p->next = t;
	else
		q->head = t;
	q->n++;
	if (t->id >= q->next_id)
		q->next_id = t->id + 1;
}

static void
list_remove(struct queue *q, struct qtask *t)
{
	if (t->prev != NULL)
		t->prev->next = t->next;
	else
		q->head = t->next;
	if (t->next != NULL)
		t->next->prev = t->prev;
	else
		q->tail = t->prev;
	q->n--;
}

/* "123.json" -> 123 with *kindp 0, "123.task.json" -> 1; else -1. */
static long long
parse_name(const char *s, int *kindp)
{
	long long id = 0;
	const char *p = s;

	if (*p < '1' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (id > (LLONG_MAX - 9) / 10)
			return -1;
		id = id * 10 + (*p - '0');
	}
	if (strcmp(p, ".json") == 0)
		*kindp = 0;
	else if (strcmp(p, ".task.json") == 0)
		*kindp = 1;
	else
		return -1;
	return id;
}

/* Loads every record of tasks/; cleans temporaries and orphans. */
static int
load_all(struct queue *q, char **causep)
{
	DIR *d;
	struct dirent *de;
	long long id, *bodies = NULL;
	size_t nbodies = 0, i;
	char *path, *text, *bad;
	const char *why;
	struct qtask *t;
	int kind, r;

	if ((d = opendir(q->tasks_dir)) == NULL) {
		*causep = xasprintf("%s: %s", q->tasks_dir, strerror(errno));
		return ERR_IO;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.') {
			size_t l = strlen(de->d_name);

			/* A write cut short by a crash. */
			if (l > 4 && strcmp(de->d_name + l - 4, ".tmp") == 0) {
				path = xasprintf("%s/%s", q->tasks_dir,
				    de->d_name);
				unlink(path);
				free(path);
			}
			continue;
		}
		if ((id = parse_name(de->d_name, &kind)) < 0)
			continue;
		if (kind == 1) {
			bodies = xreallocarray(bodies, nbodies + 1,
			    sizeof(*bodies));
			bodies[nbodies++] = id;
			continue;
		}
		path = task_path(q, id, ".json");
		if ((r = read_file(path, QUEUE_RECORD_MAX, &text, NULL)) != 0) {
			log_warnx("%s: %s", path, err_str(r));
			free(path);
			continue;
		}
		if ((t = record_parse(text, id, &why)) == NULL) {
			bad = xasprintf("%s.bad", path);
			log_warnx("%s: %s; moved to %s", path, why, bad);
			if (rename(path, bad) == -1)
				log_warn("rename %s", path);
			free(bad);
		} else
			list_insert(q, t);
		free(text);
		free(path);
	}
	closedir(d);
	/*
	 * A task file without a record: the daemon died between the two
	 * writes of a submission, which was never acknowledged.  Its id
	 * still counts, so that it is not handed out twice.
	 */
	for (i = 0; i < nbodies; i++) {
		if (queue_find(q, bodies[i]) != NULL)
			continue;
		path = task_path(q, bodies[i], ".task.json");
		log_info("removing %s: submission never completed", path);
		unlink(path);
		free(path);
		if (bodies[i] >= q->next_id)
			q->next_id = bodies[i] + 1;
	}
	free(bodies);
	return 0;
}

int
queue_open(const char *dir, struct queue **qp, char **causep)
{
	struct queue *q;
	struct stat st;
	char *path = NULL, pidbuf[32];
	ssize_t n;
	int r = ERR_INTERNAL;

	*qp = NULL;
	*causep = NULL;
	q = xcalloc(1, sizeof(*q));
	q->lockfd = -1;
	q->next_id = 1;
	q->dir = xstrdup(dir);
	q->tasks_dir = xasprintf("%s/tasks", dir);
	if ((r = make_dir(dir, 0700, causep)) != 0)
		goto out;
	if (stat(dir, &st) == 0 && (st.st_mode & 0007) != 0)
		log_warnx("%s is accessible to every user; task files hold "
		    "secrets (chmod 0700 it)", dir);
	path = xasprintf("%s/webnavd.lock", dir);
	if ((q->lockfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC,
	    0600)) == -1) {
		*causep = xasprintf("%s: %s", path, strerror(errno));
		r = ERR_IO;
		goto out;
	}
	if (flock(q->lockfd, LOCK_EX | LOCK_NB) == -1) {
		if (errno != EWOULDBLOCK) {
			*causep = xasprintf("%s: %s", path, strerror(errno));
			r = ERR_IO;
			goto out;
		}
		/* The holder wrote its pid there. */
		n = pread(q->lockfd, pidbuf, sizeof(pidbuf) - 1, 0);
		pidbuf[n > 0 ? n : 0] = '\0';
		pidbuf[strcspn(pidbuf, "\n")] = '\0';
		*causep = xasprintf("another webnavd%s%s%s is using %s",
		    *pidbuf != '\0' ? " (pid " : "", pidbuf,
		    *pidbuf != '\0' ? ")" : "", dir);
		r = ERR_INVALID;
		goto out;
	}
	snprintf(pidbuf, sizeof(pidbuf), "%ld\n", (long)getpid());
	if (ftruncate(q->lockfd, 0) == -1 ||
	    pwrite(q->lockfd, pidbuf, strlen(pidbuf), 0) == -1)
		log_warn("%s", path);
	free(path);
	path = xasprintf("%s/runs", dir);
	if ((r = make_dir(q->tasks_dir, 0700, causep)) != 0 ||
	    (r = make_dir(path, 0700, causep)) != 0)
		goto out;
	/*
	 * Browser profiles and live images of an earlier run that did not
	 * end cleanly.
	 */
	free(path);
	path = xasprintf("%s/tmp", dir);
	rm_tree(path);
	if ((r = make_dir(path, 0700, causep)) != 0)
		goto out;
	free(path);
	path = xasprintf("%s/live", dir);
	rm_tree(path);
	if ((r = make_dir(path, 0700, causep)) != 0)
		goto out;
	if ((r = load_all(q, causep)) != 0)
		goto out;
	*qp = q;
	q = NULL;
	r = 0;
out:
	free(path);
	queue_close(q);
	return r;
}

void
queue_close(struct queue *q)
{
	struct qtask *t, *next;

	if (q == NULL)
		return;
	for (t = q->head; t != NULL; t = next) {
		next = t->next;
		task_free_rec(t);
	}
	if (q->lockfd != -1)
		close(q->lockfd);	/* releases the flock */
	free(q->dir);
	free(q->tasks_dir);
	free(q);
}

const char *
queue_dir(const struct queue *q)
{
	return q->dir;
}

int
queue_add(struct queue *q, const char *body, size_t len, const char *name,
    const char *policy, const char *owner, int max_steps, int timeout_ms,
    struct qtask **tp, char **causep)
{
	struct qtask *t;
	char *path;
	int r;

	*tp = NULL;
	t = xcalloc(1, sizeof(*t));
	t->id = q->next_id;
	t->state = CTL_QUEUED;
	t->name = name != NULL ? xstrdup(name) : NULL;
	t->policy = policy != NULL ? xstrdup(policy) : NULL;
	t->owner = owner != NULL ? xstrdup(owner) : NULL;
	t->submitted = queue_now();
	t->max_steps = max_steps;
	t->timeout_ms = timeout_ms;
	t->slot = -1;
	/* The task file first: a record never points at nothing. */
	path = task_path(q, t->id, ".task.json");
	r = queue_write_file(path, body, len);
	if (r != 0) {
		*causep = xasprintf("cannot store the task: %s: %s", path,
		    strerror(errno));
		free(path);
		task_free_rec(t);
		return r;
	}
	free(path);
	q->next_id++;
	if ((r = queue_save(q, t)) != 0) {
		*causep = xasprintf("cannot store the task record: %s",
		    strerror(errno));
		path = task_path(q, t->id, ".task.json");
		unlink(path);
		free(path);
		task_free_rec(t);
		return r;
	}
	list_insert(q, t);
	*tp = t;
	return 0;
}

int
queue_body(struct queue *q, const struct qtask *t, char **bodyp,
    size_t *lenp, char **causep)
{
	char *path = task_path(q, t->id, ".task.json");
	int r;

	if ((r = read_file(path, QUEUE_RECORD_MAX, bodyp, lenp)) != 0)
		*causep = xasprintf("%s: %s", path, r == ERR_IO ?
		    strerror(errno) : err_str(r));
	free(path);
	return r;
}

struct qattempt *
queue_begin(struct queue *q, struct qtask *t)
{
	struct qattempt *a;

	t->att = xreallocarray(t->att, t->natt + 1, sizeof(*t->att));
	a = &t->att[t->natt++];
	memset(a, 0, sizeof(*a));
	a->n = (int)t->natt;
	a->started = queue_now();
	a->run_dir = a->n == 1 ? xasprintf("runs/%lld", t->id) :
	    xasprintf("runs/%lld.%d", t->id, a->n);
	t->state = CTL_RUNNING;
	if (t->started <= 0)
		t->started = a->started;
	free(t->last_action);
	t->last_action = NULL;
	t->last_step = 0;
	t->steps = 0;
	queue_save(q, t);
	return a;
}

void
queue_end_attempt(struct qtask *t, const char *outcome, const char *reason,
    int steps)
{
	struct qattempt *a;

	if (t->natt == 0)
		return;
	a = &t->att[t->natt - 1];
	if (a->finished > 0)
		return;
	a->finished = queue_now();
	free(a->outcome);
	free(a->reason);
	a->outcome = xstrdup(outcome);
	a->reason = xstrdup(reason != NULL ? reason : "");
	a->steps = steps;
}

struct qtask *
queue_find(struct queue *q, long long id)
{
	struct qtask *t;

	for (t = q->tail; t != NULL; t = t->prev)
		if (t->id == id)
			return t;
	return NULL;
}

struct qtask *
queue_first(struct queue *q)
{
	return q->head;
}

struct qtask *
queue_next_queued(struct queue *q)
{
	struct qtask *t;

	for (t = q->head; t != NULL; t = t->next)
		if (t->state == CTL_QUEUED)
			return t;
	return NULL;
}

int
queue_count(const struct queue *q, enum ctl_state s)
{
	const struct qtask *t;
	int n = 0;

	for (t = q->head; t != NULL; t = t->next)
		n += t->state == s;
	return n;
}

size_t
queue_total(const struct queue *q)
{
	return q->n;
}

char *
queue_run_path(const struct queue *q, const struct qattempt *a)
{
	return xasprintf("%s/%s", q->dir, a->run_dir);
}

void
queue_prune(struct queue *q, int keep)
{
	struct qtask *t, *next;
	char *path;
	size_t i;
	int nfinal = 0;

	if (keep <= 0)
		return;
	for (t = q->head; t != NULL; t = t->next)
		nfinal += ctl_state_final(t->state);
	for (t = q->head; t != NULL && nfinal > keep; t = next) {
		next = t->next;
		if (!ctl_state_final(t->state))
			continue;
		log_debug("pruning task %lld", t->id);
		for (i = 0; i < t->natt; i++) {
			path = queue_run_path(q, &t->att[i]);
			rm_tree(path);
			free(path);
		}
		path = task_path(q, t->id, ".json");
		unlink(path);
		free(path);
		path = task_path(q, t->id, ".task.json");
		unlink(path);
		free(path);
		list_remove(q, t);
		task_free_rec(t);
		nfinal--;
	}
	sync_dir(q->tasks_dir);
}

cJSON *
queue_task_json(const struct queue *q, const struct qtask *t,
    int max_attempts, int detail)
{
	cJSON *o = cJSON_CreateObject(), *arr, *a;
	char *path;
	size_t i;

	cJSON_AddNumberToObject(o, "id", (double)t->id);
	add_str(o, "name", t->name);
	cJSON_AddStringToObject(o, "state", ctl_state_name(t->state));
	add_str(o, "policy", t->policy);
	add_str(o, "owner", t->owner);
	add_time(o, "submitted", t->submitted);
	add_time(o, "started", t->started);
	add_time(o, "finished", t->finished);
	cJSON_AddNumberToObject(o, "attempt", (double)t->natt);
	cJSON_AddNumberToObject(o, "max_attempts", max_attempts);
	add_str(o, "outcome", t->outcome);
	add_str(o, "reason", t->reason);
	cJSON_AddNumberToObject(o, "steps", t->steps);
	cJSON_AddNumberToObject(o, "max_steps", t->max_steps);
	cJSON_AddNumberToObject(o, "timeout_ms", t->timeout_ms);
	add_str(o, "last_action", t->last_action);
	cJSON_AddNumberToObject(o, "last_step", t->last_step);
	add_str(o, "final_url", t->final_url);
	if (t->natt > 0) {
		path = queue_run_path(q, &t->att[t->natt - 1]);
		cJSON_AddStringToObject(o, "run_dir", path);
		free(path);
	} else
		cJSON_AddNullToObject(o, "run_dir");
	cJSON_AddBoolToObject(o, "cancel_requested", t->cancel);
	if (!detail)
		return o;
	arr = cJSON_AddArrayToObject(o, "attempts");
	for (i = 0; i < t->natt; i++) {
		const struct qattempt *at = &t->att[i];

		a = cJSON_CreateObject();
		cJSON_AddNumberToObject(a, "attempt", at->n);
		add_time(a, "started", at->started);
		add_time(a, "finished", at->finished);
		add_str(a, "outcome", at->outcome);
		add_str(a, "reason", at->reason);
		cJSON_AddNumberToObject(a, "steps", at->steps);
		path = queue_run_path(q, at);
		cJSON_AddStringToObject(a, "run_dir", path);
		free(path);
		cJSON_AddItemToArray(arr, a);
	}
	return o;
}
