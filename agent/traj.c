/*
 * traj.c: trajectories (run directories) and their HTML report.
 *
 * A traj owns a directory file descriptor and an append-only steps.jsonl
 * opened with O_EXCL, so two runs can never record into one directory and
 * nothing recorded is overwritten.  Every step line is built as a cJSON
 * tree whose strings are redacted one by one (which keeps the JSON valid),
 * then the printed line is checked again for secrets in raw or JSON-escaped
 * form as a safety net.  The report is rendered from steps.jsonl as it
 * was written, so it shows exactly what is on disk.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "action.h"
#include "agent.h"
#include "buf.h"
#include "err.h"
#include "log.h"
#include "observe.h"
#include "policy.h"
#include "som.h"
#include "task.h"
#include "traj.h"
#include "xmalloc.h"

#define TRAJ_MASK		"********"
#define TRAJ_STEPS		"steps.jsonl"
#define TRAJ_LOAD_MAX		((size_t)256 << 20)	/* all of steps.jsonl */
#define TRAJ_LINE_MAX		((size_t)64 << 20)	/* one line of it */
#define TRAJ_IMG_MAX		((size_t)64 << 20)	/* one image, inlined */
#define TRAJ_REPORT_MAX		((size_t)256 << 20)	/* report.html */
#define TRAJ_REPORT_IMGS	((size_t)192 << 20)	/* its base64 images */
#define TRAJ_STEP_MAX		99999
#define TRAJ_PREFIX_MIN		12	/* a secret's leading bytes masked
					   alone (page text caps cut it) */
#define TRAJ_REPORT_MARKS	300	/* marks listed per step */
#define TRAJ_URL_SHOW		300	/* bytes of a URL shown */

/*
 * A secret and the forms it takes in what we write: raw, quoted as in an
 * action's text form (TYPE [5] "..."), and each of those JSON-escaped.
 * Forms equal to an earlier one are NULL.
 */
enum { SF_RAW, SF_QUOTED, SF_JSON, SF_JSON_QUOTED, SF_N };

struct traj_secret {
	char	*form[SF_N];
	size_t	 len[SF_N];
};

/*
 * A Set-of-Mark image still to draw.  Drawing and encoding cost tens of ms,
 * so they happen in traj_finish(), off the step loop's hot path; the line
 * already names the file.
 */
struct traj_som {
	int		 n;		/* step */
	int		 highlight;	/* chosen mark, 0 none */
	int		 vw;		/* viewport width, CSS px */
	struct som_mark	*marks;
	size_t		 nmarks;
};

struct traj {
	char			*dir;
	int			 dirfd;
	int			 stepsfd;	/* -1 once finished */
	const struct task	*task;
	char			*policy;	/* NULL: none (scripted) */
	struct traj_secret	*secrets;
	size_t			 nsecrets;
	char			**files;	/* written, fsync'd at finish */
	size_t			 nfiles;
	int			 last;		/* last step number recorded */
	time_t			 started;
	struct traj_som		*soms;		/* images drawn at finish */
	size_t			 nsoms;
};

/* ---- redaction ---------------------------------------------------------- */

/*
 * Appends s to out with every match of needle masked: a match is at least
 * min bytes of needle's prefix, extended as far as s keeps agreeing with
 * needle.  *hitsp counts matches.
 */
static int
mask_needle(struct buf *out, const char *s, size_t slen, const char *needle,
    size_t nlen, size_t min, int *hitsp)
{
	const char *p = s, *end = s + slen, *q;
	size_t k;
	int r;

	while ((q = memmem(p, (size_t)(end - p), needle, min)) != NULL) {
		k = min;
		while (k < nlen && q + k < end && q[k] == needle[k])
			k++;
		if ((r = buf_add(out, p, (size_t)(q - p))) != 0 ||
		    (r = buf_puts(out, TRAJ_MASK)) != 0)
			return r;
		(*hitsp)++;
		p = q + k;
	}
	return buf_add(out, p, (size_t)(end - p));
}

/* Masks one form of a secret in *curp (replaced when it matched). */
static int
mask_form(char **curp, const char *needle, size_t nlen, size_t min)
{
	struct buf b;
	size_t len = strlen(*curp);
	int hits = 0, r;

	buf_init(&b, len * (sizeof(TRAJ_MASK) - 1) + 1);
	if ((r = mask_needle(&b, *curp, len, needle, nlen, min, &hits)) == 0 &&
	    hits > 0) {
		free(*curp);
		*curp = buf_steal(&b, NULL);
	}
	buf_free(&b);
	return r;
}

/* 1 if s may hold secret sec in the forms traj_mask() looks for. */
static int
maybe_secret(const struct traj_secret *sec, const char *s, int json)
{
	size_t i, min;

	min = sec->len[SF_RAW] < TRAJ_PREFIX_MIN ? sec->len[SF_RAW] :
	    TRAJ_PREFIX_MIN;
	if (memmem(s, strlen(s), sec->form[SF_RAW], min) != NULL)
		return 1;
	for (i = SF_QUOTED; i < (json ? SF_N : SF_JSON); i++)
		if (sec->form[i] != NULL && strstr(s, sec->form[i]) != NULL)
			return 1;
	return 0;
}

/*
 * Masks the secrets of tr's task in s: through task_redact(), then every
 * form of every secret (raw, with a leading part of TRAJ_PREFIX_MIN bytes
 * or more of a long one, as page text caps may cut it; quoted as in an
 * action's text), and with json set also their JSON-escaped forms.  *outp
 * is the masked copy, or NULL when s holds no secret.
 */
static int
traj_mask(const struct traj *tr, const char *s, int json, char **outp)
{
	const struct traj_secret *sec;
	char *cur = NULL;
	size_t i, f, min;
	int r = ERR_INTERNAL;

	*outp = NULL;
	/* Most strings hold no secret: a cheap test first. */
	for (i = 0; i < tr->nsecrets; i++)
		if (maybe_secret(&tr->secrets[i], s, json))
			break;
	if (i == tr->nsecrets)
		return 0;
	if ((cur = task_redact(tr->task, s)) == NULL) {
		r = ERR_NOMEM;
		goto out;
	}
	for (i = 0; i < tr->nsecrets; i++) {
		sec = &tr->secrets[i];
		for (f = 0; f < (json ? SF_N : SF_JSON); f++) {
			if (sec->form[f] == NULL)
				continue;
			min = sec->len[f];
			if (f == SF_RAW && min > TRAJ_PREFIX_MIN)
				min = TRAJ_PREFIX_MIN;
			if ((r = mask_form(&cur, sec->form[f], sec->len[f],
			    min)) != 0)
				goto out;
		}
	}
	if (strcmp(cur, s) != 0) {
		*outp = cur;
		cur = NULL;
	}
	r = 0;
out:
	free(cur);
	return r;
}

/* Replaces a cJSON-owned string *sp by a copy of s. */
static int
json_set_string(char **sp, const char *s)
{
	size_t len = strlen(s);
	char *n;

	if ((n = cJSON_malloc(len + 1)) == NULL)
		return ERR_NOMEM;
	memcpy(n, s, len + 1);
	cJSON_free(*sp);
	*sp = n;
	return 0;
}

/* Masks secrets in every string and key of the tree j. */
static int
traj_mask_tree(const struct traj *tr, cJSON *j)
{
	cJSON *c;
	char *m = NULL;
	int r;

	if (tr->nsecrets == 0)
		return 0;
	if (cJSON_IsString(j) && j->valuestring != NULL &&
	    !(j->type & cJSON_IsReference)) {
		if ((r = traj_mask(tr, j->valuestring, 0, &m)) != 0)
			return r;
		if (m != NULL) {
			r = json_set_string(&j->valuestring, m);
			free(m);
			if (r != 0)
				return r;
		}
	}
	for (c = j->child; c != NULL; c = c->next) {
		if (c->string != NULL) {
			if ((r = traj_mask(tr, c->string, 0, &m)) != 0)
				return r;
			if (m != NULL) {
				if (c->type & cJSON_StringIsConst) {
					c->string = NULL;
					c->type &= ~cJSON_StringIsConst;
				}
				r = json_set_string(&c->string, m);
				free(m);
				if (r != 0)
					return r;
			}
		}
		if ((r = traj_mask_tree(tr, c)) != 0)
			return r;
	}
	return 0;
}

/* The JSON-escaped form of s as cJSON prints it, without the quotes. */
static char *
json_escape(const char *s)
{
	cJSON *j;
	char *p, *e;
	size_t len;

	if ((j = cJSON_CreateString(s)) == NULL)
		fatalx("%s: out of memory", __func__);
	if ((p = cJSON_PrintUnformatted(j)) == NULL)
		fatalx("%s: out of memory", __func__);
	cJSON_Delete(j);
	len = strlen(p);
	e = xstrndup(p + 1, len >= 2 ? len - 2 : 0);
	cJSON_free(p);
	return e;
}

enum {
	PRINT_LINE,		/* compact, one line */
	PRINT_SPACED,		/* one line, a space after ':' and ',' */
	PRINT_PRETTY		/* indented, several lines */
};

/* Prints j in one of the PRINT_* layouts (malloc'd). */
static char *
json_print(const cJSON *j, int layout)
{
	char *p, *s;
	size_t i, len;

	if ((p = layout == PRINT_LINE ? cJSON_PrintUnformatted(j) :
	    cJSON_Print(j)) == NULL)
		return NULL;
	len = strlen(p);
	if ((s = malloc(len + 1)) != NULL) {
		memcpy(s, p, len + 1);
		/* cJSON escapes tabs and newlines inside strings. */
		if (layout == PRINT_SPACED)
			for (i = 0; i < len; i++)
				if (s[i] == '\n' || s[i] == '\t')
					s[i] = ' ';
	}
	cJSON_free(p);
	return s;
}

/*
 * Prints j with secrets masked: its strings are masked in the tree, so a
 * secret left in the text spans JSON structure (a secret like `":"`), and
 * another layout may avoid it.  The first of the layouts whose text holds
 * no secret wins; then the same for stub (a short object saying the record
 * was withheld, may be NULL); then "{}".
 */
static int
traj_print_masked(const struct traj *tr, cJSON *j, cJSON *stub,
    const int *layouts, size_t nlayouts, char **textp)
{
	cJSON *cur;
	char *text = NULL, *m = NULL;
	size_t i, k;
	int r;

	*textp = NULL;
	for (k = 0; k < 2; k++) {
		if ((cur = k == 0 ? j : stub) == NULL)
			continue;
		if ((r = traj_mask_tree(tr, cur)) != 0)
			return r;
		for (i = 0; i < nlayouts; i++) {
			if ((text = json_print(cur, layouts[i])) == NULL)
				return ERR_NOMEM;
			if ((r = traj_mask(tr, text, 1, &m)) != 0) {
				free(text);
				return r;
			}
			if (m == NULL) {
				if (k > 0)
					log_warnx("%s: a secret value matched "
					    "the JSON structure of a record; "
					    "record withheld", tr->dir);
				*textp = text;
				return 0;
			}
			free(m);
			free(text);
		}
	}
	log_warnx("%s: a secret value matched the JSON structure of a "
	    "record; record left empty", tr->dir);
	*textp = xstrdup("{}");
	return 0;
}

/* A stub record: {key: value (if key), "error": "WHAT withheld: ..."}. */
static cJSON *
withheld_stub(const char *what, const char *key, double value,
    const char *skey, const char *svalue)
{
	cJSON *o;
	char *e;

	if ((o = cJSON_CreateObject()) == NULL)
		return NULL;
	if (key != NULL)
		cJSON_AddNumberToObject(o, key, value);
	if (skey != NULL)
		cJSON_AddStringToObject(o, skey, svalue);
	e = xasprintf("%s withheld: a secret value matched its JSON "
	    "structure", what);
	cJSON_AddStringToObject(o, "error", e);
	free(e);
	return o;
}

/* ---- files -------------------------------------------------------------- */

/* Writes all n bytes of p to fd. */
static int
write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, c, n)) == -1) {
			if (errno == EINTR)
				continue;
			return ERR_IO;
		}
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * Writes name in dirfd atomically (temporary file + rename); with sync set
 * the data reaches the disk before the rename.
 */
static int
write_file_at(int dirfd, const char *dir, const char *name, const void *p,
    size_t n, int sync)
{
	const char *what = NULL;
	char *tmp;
	int fd = -1, r = ERR_IO, saved = 0;

	tmp = xasprintf(".%s.tmp", name);
	if (unlinkat(dirfd, tmp, 0) == -1 && errno != ENOENT) {
		what = "unlink";
		goto out;
	}
	if ((fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
	    O_NOFOLLOW, 0666)) == -1) {
		what = "open";
		goto out;
	}
	if (write_all(fd, p, n) != 0) {
		what = "write";
		goto out;
	}
	if (sync && fsync(fd) == -1) {
		what = "fsync";
		goto out;
	}
	if (close(fd) == -1) {
		fd = -1;
		what = "close";
		goto out;
	}
	fd = -1;
	if (renameat(dirfd, tmp, dirfd, name) == -1) {
		what = "rename";
		goto out;
	}
	r = 0;
out:
	if (r != 0) {
		saved = errno;
		log_warnx("%s/%s: %s: %s", dir, name, what, strerror(saved));
		if (fd != -1)
			close(fd);
		unlinkat(dirfd, tmp, 0);
		errno = saved;
	}
	free(tmp);
	return r;
}

/* Reads all of fd, at most max bytes, into *datap (NUL-terminated). */
static int
read_fd(int fd, size_t max, char **datap, size_t *lenp)
{
	struct buf b;
	char *chunk;
	ssize_t n;
	int r = ERR_INTERNAL;

	*datap = NULL;
	buf_init(&b, max);
	chunk = xmalloc(65536);
	for (;;) {
		if ((n = read(fd, chunk, 65536)) == -1) {
			if (errno == EINTR)
				continue;
			r = ERR_IO;
			goto out;
		}
		if (n == 0)
			break;
		if ((r = buf_add(&b, chunk, (size_t)n)) != 0)
			goto out;
	}
	*datap = buf_steal(&b, lenp);
	r = 0;
out:
	free(chunk);
	buf_free(&b);
	return r;
}

/* Creates dir and its missing parents, like mkdir -p. */
static int
mkdir_p(const char *dir)
{
	char *p, *s;
	int r = ERR_IO;

	p = xstrdup(dir);
	for (s = p + 1; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) == -1 && errno != EEXIST)
			goto out;
		*s = '/';
	}
	if (mkdir(p, 0777) == -1 && errno != EEXIST)
		goto out;
	r = 0;
out:
	free(p);
	return r;
}

/* Remembers a file written, to fsync it at finish. */
static void
traj_note_file(struct traj *tr, const char *name)
{
	size_t i;

	for (i = 0; i < tr->nfiles; i++)
		if (strcmp(tr->files[i], name) == 0)
			return;
	tr->files = xreallocarray(tr->files, tr->nfiles + 1,
	    sizeof(*tr->files));
	tr->files[tr->nfiles++] = xstrdup(name);
}

/* ---- open --------------------------------------------------------------- */

/* Orders secrets longest first. */
static int
cmp_secret(const void *a, const void *b)
{
	const struct traj_secret *x = a, *y = b;

	return x->len[SF_RAW] < y->len[SF_RAW] ? 1 :
	    x->len[SF_RAW] > y->len[SF_RAW] ? -1 : 0;
}

/* s quoted as action_format() quotes a typed value, without the quotes. */
static char *
action_quoted(const char *s)
{
	struct action a;
	char *text, *q, *e, *r = NULL;

	memset(&a, 0, sizeof(a));
	a.op = ACT_TYPE;
	a.mark = 1;
	a.value = (char *)(uintptr_t)s;
	text = action_format(&a);
	if ((q = strchr(text, '"')) != NULL &&
	    (e = strrchr(text, '"')) != NULL && e > q)
		r = xstrndup(q + 1, (size_t)(e - q - 1));
	free(text);
	return r;
}

/* Collects the task's secret values (non-empty) and their forms. */
static void
traj_collect_secrets(struct traj *tr)
{
	const struct task *t = tr->task;
	struct traj_secret *sec;
	size_t i, f, g;

	for (i = 0; i < t->nvars; i++) {
		if (!t->vars[i].secret || t->vars[i].value == NULL ||
		    t->vars[i].value[0] == '\0')
			continue;
		tr->secrets = xreallocarray(tr->secrets, tr->nsecrets + 1,
		    sizeof(*tr->secrets));
		sec = &tr->secrets[tr->nsecrets++];
		sec->form[SF_RAW] = xstrdup(t->vars[i].value);
		sec->form[SF_QUOTED] = action_quoted(sec->form[SF_RAW]);
		sec->form[SF_JSON] = json_escape(sec->form[SF_RAW]);
		sec->form[SF_JSON_QUOTED] = sec->form[SF_QUOTED] != NULL ?
		    json_escape(sec->form[SF_QUOTED]) : NULL;
		for (f = 0; f < SF_N; f++) {
			if (sec->form[f] == NULL)
				continue;
			for (g = 0; g < f; g++)
				if (sec->form[g] != NULL &&
				    strcmp(sec->form[g], sec->form[f]) == 0)
					break;
			if (g < f || sec->form[f][0] == '\0') {
				free(sec->form[f]);
				sec->form[f] = NULL;
			} else
				sec->len[f] = strlen(sec->form[f]);
		}
	}
	/* Longest first, so a secret inside another is not half shown. */
	if (tr->nsecrets > 1)
		qsort(tr->secrets, tr->nsecrets, sizeof(*tr->secrets),
		    cmp_secret);
}

/*
 * Claims dir for a new run (steps.jsonl created exclusively, so a recorded
 * run is never overwritten) and writes task.json.
 */
int
traj_open(const char *dir, const struct task *t, const char *policy,
    struct traj **trp, char **causep)
{
	struct traj *tr = NULL;
	static const int pretty[] = { PRINT_PRETTY, PRINT_LINE };
	cJSON *tj = NULL, *stub = NULL;
	char *text = NULL;
	int r = ERR_INTERNAL, claimed = 0;

	*trp = NULL;
	if (causep != NULL)
		*causep = NULL;
	if (dir == NULL || *dir == '\0' || t == NULL) {
		r = ERR_INVALID;
		if (causep != NULL)
			*causep = xstrdup("no run directory given");
		goto out;
	}
	tr = xcalloc(1, sizeof(*tr));
	tr->dirfd = tr->stepsfd = -1;
	tr->dir = xstrdup(dir);
	tr->task = t;
	tr->policy = policy != NULL ? xstrdup(policy) : NULL;
	tr->started = time(NULL);
	traj_collect_secrets(tr);

	if (mkdir_p(dir) != 0 || (tr->dirfd = open(dir,
	    O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		r = ERR_IO;
		if (causep != NULL)
			*causep = xasprintf("%s: %s", dir, strerror(errno));
		goto out;
	}
	if ((tr->stepsfd = openat(tr->dirfd, TRAJ_STEPS, O_WRONLY | O_CREAT |
	    O_EXCL | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0666)) == -1) {
		r = errno == EEXIST ? ERR_INVALID : ERR_IO;
		if (causep != NULL) {
			if (errno == EEXIST)
				*causep = xasprintf("%s: already holds a "
				    "recorded run (%s); choose another "
				    "directory", dir, TRAJ_STEPS);
			else
				*causep = xasprintf("%s/%s: %s", dir,
				    TRAJ_STEPS, strerror(errno));
		}
		goto out;
	}
	claimed = 1;

	if ((tj = task_to_json(t)) == NULL) {
		r = ERR_NOMEM;
		goto out;
	}
	stub = withheld_stub("task", NULL, 0, NULL, NULL);
	if ((r = traj_print_masked(tr, tj, stub, pretty, 2, &text)) != 0)
		goto out;
	{
		char *nl = xasprintf("%s\n", text);

		free(text);
		text = nl;
	}
	if ((r = write_file_at(tr->dirfd, dir, "task.json", text,
	    strlen(text), 0)) != 0) {
		if (causep != NULL)
			*causep = xasprintf("%s/task.json: %s", dir,
			    strerror(errno));
		goto out;
	}
	traj_note_file(tr, "task.json");
	*trp = tr;
	tr = NULL;
	r = 0;
out:
	if (tr != NULL && claimed)
		unlinkat(tr->dirfd, TRAJ_STEPS, 0);
	traj_free(tr);
	cJSON_Delete(tj);
	cJSON_Delete(stub);
	free(text);
	return r;
}

/* The run directory as given to traj_open(). */
const char *
traj_dir(const struct traj *tr)
{
	return tr->dir;
}

/* Closes and frees tr (without finishing it); NULL is fine. */
void
traj_free(struct traj *tr)
{
	size_t i, f;

	if (tr == NULL)
		return;
	if (tr->stepsfd != -1)
		close(tr->stepsfd);
	if (tr->dirfd != -1)
		close(tr->dirfd);
	for (i = 0; i < tr->nsecrets; i++)
		for (f = 0; f < SF_N; f++) {
			if (tr->secrets[i].form[f] == NULL)
				continue;
			explicit_bzero(tr->secrets[i].form[f],
			    tr->secrets[i].len[f]);
			free(tr->secrets[i].form[f]);
		}
	free(tr->secrets);
	for (i = 0; i < tr->nsoms; i++)
		free(tr->soms[i].marks);
	free(tr->soms);
	for (i = 0; i < tr->nfiles; i++)
		free(tr->files[i]);
	free(tr->files);
	free(tr->policy);
	free(tr->dir);
	free(tr);
}

/* ---- steps -------------------------------------------------------------- */

/* Adds item to o under key, remembering a failure in *badp. */
static void
jadd(cJSON *o, const char *key, cJSON *item, int *badp)
{
	if (item == NULL) {
		*badp = 1;
		return;
	}
	if (!cJSON_AddItemToObject(o, key, item)) {
		cJSON_Delete(item);
		*badp = 1;
	}
}

/* A JSON string, or null for NULL. */
static cJSON *
jstr(const char *s)
{
	return s != NULL ? cJSON_CreateString(s) : cJSON_CreateNull();
}

/* The action part of a step: action, action_text, target, score, top. */
static void
step_json_decision(cJSON *o, const struct traj_step *s, int *badp)
{
	const struct policy_decision *d = s->dec;
	const struct mark *m = NULL;
	cJSON *top, *alt;
	char *text;
	size_t i;

	if (d == NULL) {
		jadd(o, "action", cJSON_CreateNull(), badp);
		jadd(o, "action_text", cJSON_CreateNull(), badp);
		jadd(o, "target", cJSON_CreateNull(), badp);
		jadd(o, "score", cJSON_CreateNull(), badp);
		jadd(o, "top", cJSON_CreateArray(), badp);
		return;
	}
	jadd(o, "action", action_to_json(&d->act), badp);
	text = action_format(&d->act);
	jadd(o, "action_text", jstr(text), badp);
	free(text);
	if (s->obs != NULL && d->act.mark > 0)
		m = obs_mark(s->obs, d->act.mark);
	jadd(o, "target", m != NULL ? obs_mark_json(m) : cJSON_CreateNull(),
	    badp);
	jadd(o, "score", cJSON_CreateNumber(d->score), badp);
	if ((top = cJSON_CreateArray()) == NULL) {
		*badp = 1;
		return;
	}
	for (i = 0; i < d->ntop && i < POLICY_TOP; i++) {
		if ((alt = cJSON_CreateObject()) == NULL) {
			*badp = 1;
			break;
		}
		jadd(alt, "action", action_to_json(&d->top[i].act), badp);
		text = action_format(&d->top[i].act);
		jadd(alt, "text", jstr(text), badp);
		free(text);
		jadd(alt, "score", cJSON_CreateNumber(d->top[i].score), badp);
		if (!cJSON_AddItemToArray(top, alt)) {
			cJSON_Delete(alt);
			*badp = 1;
		}
	}
	jadd(o, "top", top, badp);
	/* What the policy reports about itself (remote: tokens, latency). */
	if (d->info != NULL)
		jadd(o, "policy_info", cJSON_Duplicate(d->info, 1), badp);
}

/* The line of step s (see traj.h for the format). */
static cJSON *
step_json(const struct traj_step *s, const char *shot, const char *som,
    const char *error, int with_marks)
{
	const struct obs *ob = s->obs;
	const struct agent_timing *t = s->t;
	cJSON *o, *v;
	int bad = 0;

	if ((o = cJSON_CreateObject()) == NULL)
		return NULL;
	jadd(o, "step", cJSON_CreateNumber(s->n), &bad);
	jadd(o, "instr", cJSON_CreateNumber(s->instr), &bad);
	jadd(o, "instruction", jstr(s->instr_text), &bad);
	jadd(o, "url", jstr(ob != NULL ? ob->url : NULL), &bad);
	jadd(o, "title", jstr(ob != NULL ? ob->title : NULL), &bad);
	if (ob == NULL)
		jadd(o, "viewport", cJSON_CreateNull(), &bad);
	else if ((v = cJSON_CreateObject()) == NULL)
		bad = 1;
	else {
		jadd(v, "w", cJSON_CreateNumber(ob->vw), &bad);
		jadd(v, "h", cJSON_CreateNumber(ob->vh), &bad);
		jadd(v, "scroll_x", cJSON_CreateNumber(ob->scroll_x), &bad);
		jadd(v, "scroll_y", cJSON_CreateNumber(ob->scroll_y), &bad);
		jadd(v, "scale", cJSON_CreateNumber(ob->scale), &bad);
		jadd(o, "viewport", v, &bad);
	}
	step_json_decision(o, s, &bad);
	if (t == NULL)
		jadd(o, "timings", cJSON_CreateNull(), &bad);
	else if ((v = cJSON_CreateObject()) == NULL)
		bad = 1;
	else {
		jadd(v, "observe", cJSON_CreateNumber(t->observe), &bad);
		jadd(v, "decide", cJSON_CreateNumber(t->decide), &bad);
		jadd(v, "act", cJSON_CreateNumber(t->act), &bad);
		jadd(v, "settle", cJSON_CreateNumber(t->settle), &bad);
		jadd(v, "check", cJSON_CreateNumber(t->check), &bad);
		jadd(v, "total", cJSON_CreateNumber(t->total), &bad);
		jadd(o, "timings", v, &bad);
	}
	if (ob != NULL && with_marks)
		jadd(o, "marks", obs_marks_json(ob), &bad);
	else
		jadd(o, "marks", cJSON_CreateArray(), &bad);
	jadd(o, "screenshot", jstr(shot), &bad);
	jadd(o, "som", jstr(som), &bad);
	jadd(o, "error", jstr(error), &bad);
	if (bad) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* Appends "; what: why" (or "what: why") to *errp. */
static void
add_error(char **errp, const char *what, const char *why)
{
	char *n;

	if (*errp == NULL)
		n = xasprintf("%s: %s", what, why);
	else
		n = xasprintf("%s; %s: %s", *errp, what, why);
	free(*errp);
	*errp = n;
}

/*
 * The masked text of step s's line; without marks when it would pass
 * TRAJ_LINE_MAX, and a short line saying so when a secret matched JSON
 * structure.
 */
static int
step_line(struct traj *tr, const struct traj_step *s, const char *shot,
    const char *som, char **errp, char **linep)
{
	static const int line[] = { PRINT_LINE, PRINT_SPACED };
	cJSON *o = NULL, *stub = NULL;
	char *text = NULL;
	int r = ERR_INTERNAL, with_marks = 1;

	*linep = NULL;
	for (;;) {
		if ((o = step_json(s, shot, som, *errp, with_marks)) == NULL) {
			r = ERR_NOMEM;
			goto out;
		}
		stub = withheld_stub("step record", "step", s->n, NULL, NULL);
		if ((r = traj_print_masked(tr, o, stub, line, 2, &text)) != 0)
			goto out;
		cJSON_Delete(o);
		cJSON_Delete(stub);
		o = stub = NULL;
		if (strlen(text) < TRAJ_LINE_MAX || !with_marks)
			break;
		free(text);
		text = NULL;
		with_marks = 0;
		add_error(errp, "marks", "omitted: the line would pass "
		    "64 MiB");
	}
	if (strlen(text) >= TRAJ_LINE_MAX) {
		r = ERR_TOOBIG;
		goto out;
	}
	*linep = text;
	text = NULL;
	r = 0;
out:
	cJSON_Delete(o);
	cJSON_Delete(stub);
	free(text);
	return r;
}

/*
 * 1 if data looks like a whole PNG file: the signature, an IHDR first and
 * an IEND last.  Full decoding waits for traj_finish().
 */
static int
png_plausible(const unsigned char *d, size_t n)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r',
	    '\n', 0x1a, '\n' };

	return n >= 8 + 25 + 12 && memcmp(d, sig, 8) == 0 &&
	    memcmp(d + 12, "IHDR", 4) == 0 &&
	    memcmp(d + n - 8, "IEND", 4) == 0;
}

/* Remembers what step n's Set-of-Mark image needs. */
static void
som_queue(struct traj *tr, int n, int highlight, const struct obs *ob)
{
	struct traj_som *q;
	size_t i;

	tr->soms = xreallocarray(tr->soms, tr->nsoms + 1, sizeof(*tr->soms));
	q = &tr->soms[tr->nsoms++];
	q->n = n;
	q->highlight = highlight;
	q->vw = ob->vw;
	q->nmarks = ob->nmarks;
	q->marks = xcalloc(ob->nmarks ? ob->nmarks : 1, sizeof(*q->marks));
	for (i = 0; i < ob->nmarks; i++) {
		q->marks[i].id = ob->marks[i].id;
		q->marks[i].x = ob->marks[i].x;
		q->marks[i].y = ob->marks[i].y;
		q->marks[i].w = ob->marks[i].w;
		q->marks[i].h = ob->marks[i].h;
	}
}

/* Reads a file of the run directory, at most max bytes. */
static int
read_file_at(int dirfd, const char *name, size_t max, unsigned char **datap,
    size_t *lenp)
{
	struct stat st;
	unsigned char *p = NULL;
	size_t off = 0;
	ssize_t n;
	int fd, r = ERR_IO;

	if ((fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) ==
	    -1)
		return ERR_IO;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode))
		goto out;
	if ((size_t)st.st_size > max) {
		r = ERR_TOOBIG;
		goto out;
	}
	p = xmalloc((size_t)st.st_size + 1);
	while (off < (size_t)st.st_size) {
		if ((n = read(fd, p + off, (size_t)st.st_size - off)) <= 0) {
			if (n == -1 && errno == EINTR)
				continue;
			goto out;
		}
		off += (size_t)n;
	}
	*datap = p;
	*lenp = off;
	p = NULL;
	r = 0;
out:
	free(p);
	close(fd);
	return r;
}

/* Draws the queued Set-of-Mark images from the recorded screenshots. */
static void
som_render(struct traj *tr)
{
	unsigned char *png = NULL, *som = NULL;
	size_t pnglen, somlen, i;
	char shot[32], somname[32];
	int r;

	for (i = 0; i < tr->nsoms; i++) {
		struct traj_som *q = &tr->soms[i];

		snprintf(shot, sizeof(shot), "step-%03d.png", q->n);
		snprintf(somname, sizeof(somname), "step-%03d-som.png", q->n);
		if ((r = read_file_at(tr->dirfd, shot, TRAJ_IMG_MAX, &png,
		    &pnglen)) == 0 &&
		    (r = obs_som_draw(png, pnglen, q->vw, q->marks, q->nmarks,
		    q->highlight, &som, &somlen)) == 0 &&
		    (r = write_file_at(tr->dirfd, tr->dir, somname, som,
		    somlen, 0)) == 0)
			traj_note_file(tr, somname);
		else
			log_warnx("%s/%s: %s", tr->dir, somname, err_str(r));
		free(png);
		free(som);
		png = som = NULL;
		free(q->marks);
		q->marks = NULL;
	}
	tr->nsoms = 0;
}

/*
 * Writes step s: its screenshot and its steps.jsonl line, and queues its
 * Set-of-Mark image (the chosen mark highlighted) for traj_finish().
 * Step numbers must increase.
 */
int
traj_step(struct traj *tr, const struct traj_step *s)
{
	const struct obs *ob = s->obs;
	struct stat st;
	size_t len;
	char shot[32], somname[32], *err = NULL, *line = NULL, *nl;
	int r = ERR_INTERNAL, rimg = 0, hl = 0, have_shot = 0, have_som = 0;

	if (tr->stepsfd == -1 || s->n < 1 || s->n > TRAJ_STEP_MAX ||
	    s->n <= tr->last) {
		log_warnx("%s: step %d: out of order or after finish",
		    tr->dir, s->n);
		return ERR_INVALID;
	}
	st.st_size = -1;
	snprintf(shot, sizeof(shot), "step-%03d.png", s->n);
	snprintf(somname, sizeof(somname), "step-%03d-som.png", s->n);
	if (s->error != NULL)
		err = xstrdup(s->error);

	if (ob != NULL && ob->png != NULL && ob->png_len > 0) {
		if ((r = write_file_at(tr->dirfd, tr->dir, shot, ob->png,
		    ob->png_len, 0)) == 0) {
			have_shot = 1;
			traj_note_file(tr, shot);
		} else {
			add_error(&err, "screenshot", strerror(errno));
			rimg = r;
		}
		if (s->dec != NULL)
			hl = s->dec->act.mark;
		if (!png_plausible(ob->png, ob->png_len))
			add_error(&err, "som image", "the screenshot is not a "
			    "whole PNG");
		else if (have_shot) {
			som_queue(tr, s->n, hl, ob);
			have_som = 1;
		}
	}

	if ((r = step_line(tr, s, have_shot ? shot : NULL,
	    have_som ? somname : NULL, &err, &line)) != 0) {
		log_warnx_r(r, "%s: step %d", tr->dir, s->n);
		goto out;
	}
	len = strlen(line);
	if ((nl = realloc(line, len + 2)) == NULL) {
		r = ERR_NOMEM;
		goto out;
	}
	line = nl;
	memcpy(line + len, "\n", 2);
	/* A line is written whole or not at all: cut a partial write. */
	if (fstat(tr->stepsfd, &st) == -1 ||
	    write_all(tr->stepsfd, line, len + 1) != 0) {
		r = ERR_IO;
		log_warn("%s/%s", tr->dir, TRAJ_STEPS);
		if (st.st_size >= 0 &&
		    ftruncate(tr->stepsfd, st.st_size) == -1)
			log_warn("%s/%s: truncate", tr->dir, TRAJ_STEPS);
		goto out;
	}
	tr->last = s->n;
	r = rimg;
out:
	free(err);
	free(line);
	return r;
}

/* ---- loading ------------------------------------------------------------ */

/* 1 if the n bytes at p are all JSON whitespace. */
static int
all_space(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' &&
		    p[i] != '\n')
			return 0;
	return 1;
}

/* Parses the lines of a steps.jsonl (name for messages) into an array. */
static int
parse_steps(const char *data, size_t len, const char *name, cJSON **arrp,
    char **causep)
{
	const char *p = data, *end = data + len, *nl, *pe;
	cJSON *arr = NULL, *j;
	size_t llen, line = 1;
	int r = ERR_INTERNAL;

	*arrp = NULL;
	if ((arr = cJSON_CreateArray()) == NULL) {
		r = ERR_NOMEM;
		goto out;
	}
	for (; p < end; p = nl != NULL ? nl + 1 : end, line++) {
		nl = memchr(p, '\n', (size_t)(end - p));
		llen = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		if (llen > TRAJ_LINE_MAX) {
			r = ERR_TOOBIG;
			*causep = xasprintf("%s: line %zu: longer than %zu MiB",
			    name, line, TRAJ_LINE_MAX >> 20);
			goto out;
		}
		if (all_space(p, llen))
			continue;
		pe = NULL;
		if ((j = cJSON_ParseWithLengthOpts(p, llen, &pe, 0)) == NULL) {
			r = ERR_PARSE;
			*causep = xasprintf("%s: line %zu: column %zu: "
			    "invalid JSON", name, line,
			    pe != NULL && pe >= p ? (size_t)(pe - p) + 1 : 1);
			goto out;
		}
		while (pe < p + llen && all_space(pe, 1))
			pe++;
		if (pe < p + llen) {
			cJSON_Delete(j);
			r = ERR_PARSE;
			*causep = xasprintf("%s: line %zu: column %zu: text "
			    "after the JSON value", name, line,
			    (size_t)(pe - p) + 1);
			goto out;
		}
		if (!cJSON_IsObject(j)) {
			cJSON_Delete(j);
			r = ERR_PARSE;
			*causep = xasprintf("%s: line %zu: not a JSON object",
			    name, line);
			goto out;
		}
		if (!cJSON_AddItemToArray(arr, j)) {
			cJSON_Delete(j);
			r = ERR_NOMEM;
			goto out;
		}
	}
	*arrp = arr;
	arr = NULL;
	r = 0;
out:
	cJSON_Delete(arr);
	return r;
}

/* Reads and parses the steps.jsonl open as fd (name for messages). */
static int
load_steps_fd(int fd, const char *name, cJSON **stepsp, char **causep)
{
	struct stat st;
	char *data = NULL;
	size_t len;
	int r = ERR_INTERNAL;

	if (fstat(fd, &st) == -1) {
		r = ERR_IO;
		*causep = xasprintf("%s: %s", name, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		r = ERR_INVALID;
		*causep = xasprintf("%s: not a regular file", name);
		goto out;
	}
	if ((r = read_fd(fd, TRAJ_LOAD_MAX, &data, &len)) != 0) {
		if (r == ERR_TOOBIG)
			*causep = xasprintf("%s: larger than %zu MiB", name,
			    TRAJ_LOAD_MAX >> 20);
		else if (r == ERR_IO)
			*causep = xasprintf("%s: %s", name, strerror(errno));
		else
			*causep = xasprintf("%s: %s", name, err_str(r));
		goto out;
	}
	r = parse_steps(data, len, name, stepsp, causep);
out:
	free(data);
	return r;
}

/* Reads dir/steps.jsonl into an array of step objects. */
int
traj_load_steps(const char *dir, cJSON **stepsp, char **causep)
{
	char *name, *cause = NULL;
	int fd, r;

	*stepsp = NULL;
	if (causep != NULL)
		*causep = NULL;
	name = xasprintf("%s/%s", dir, TRAJ_STEPS);
	if ((fd = open(name, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1) {
		r = errno == ENOENT ? ERR_NOTFOUND : ERR_IO;
		cause = xasprintf("%s: %s", name, strerror(errno));
	} else {
		r = load_steps_fd(fd, name, stepsp, &cause);
		close(fd);
	}
	if (causep != NULL)
		*causep = cause;
	else
		free(cause);
	free(name);
	return r;
}

/* ---- result and report -------------------------------------------------- */

/* Formats t as "YYYY-mm-dd HH:MM:SS UTC" (iso: "YYYY-mm-ddTHH:MM:SSZ"). */
static void
fmt_time(time_t t, int iso, char *s, size_t len)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(s, len, iso ? "%Y-%m-%dT%H:%M:%SZ" :
	    "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		snprintf(s, len, "?");
}

/* Writes result.json. */
static int
write_result(struct traj *tr, const struct agent_result *res, time_t done)
{
	static const int pretty[] = { PRINT_PRETTY, PRINT_LINE };
	cJSON *o, *stub = NULL;
	char *text = NULL, ts[64];
	int r = ERR_INTERNAL, bad = 0;

	if ((o = cJSON_CreateObject()) == NULL)
		return ERR_NOMEM;
	jadd(o, "outcome", cJSON_CreateString(
	    agent_outcome_name(res->outcome)), &bad);
	jadd(o, "reason", jstr(res->reason), &bad);
	jadd(o, "steps", cJSON_CreateNumber(res->steps), &bad);
	jadd(o, "seconds", cJSON_CreateNumber(res->seconds), &bad);
	jadd(o, "final_url", jstr(res->final_url), &bad);
	jadd(o, "policy", jstr(tr->policy), &bad);
	jadd(o, "task", jstr(tr->task->name), &bad);
	fmt_time(tr->started, 1, ts, sizeof(ts));
	jadd(o, "started", cJSON_CreateString(ts), &bad);
	fmt_time(done, 1, ts, sizeof(ts));
	jadd(o, "finished", cJSON_CreateString(ts), &bad);
	if (bad) {
		r = ERR_NOMEM;
		goto out;
	}
	stub = withheld_stub("result", "steps", res->steps, "outcome",
	    agent_outcome_name(res->outcome));
	if ((r = traj_print_masked(tr, o, stub, pretty, 2, &text)) != 0)
		goto out;
	{
		char *nl = xasprintf("%s\n", text);

		r = write_file_at(tr->dirfd, tr->dir, "result.json", nl,
		    strlen(nl), 1);
		free(nl);
	}
out:
	cJSON_Delete(o);
	cJSON_Delete(stub);
	free(text);
	return r;
}

/* The HTML report being built. */
struct report {
	const struct traj	*tr;
	struct buf		 b;
	size_t			 imgbytes;	/* base64 inlined so far */
	int			 err;		/* first error */
};

/* Appends s verbatim (markup of our own). */
static void
rp_raw(struct report *rp, const char *s)
{
	int r;

	if (rp->err == 0 && (r = buf_puts(&rp->b, s)) != 0)
		rp->err = r;
}

/* Appends formatted markup of our own (short: numbers and fixed text). */
static void __attribute__((__format__(__printf__, 2, 3)))
rp_fmt(struct report *rp, const char *fmt, ...)
{
	char s[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(s, sizeof(s), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(s)) {
		if (rp->err == 0)
			rp->err = ERR_INTERNAL;
		return;
	}
	rp_raw(rp, s);
}

/*
 * Appends text s HTML-escaped (for element content and quoted attribute
 * values) after masking secrets; at most max bytes of it (0: all), cut at
 * a character boundary with an ellipsis.
 */
static void
rp_text(struct report *rp, const char *s, size_t max)
{
	char *m = NULL, tmp[8];
	const char *p, *end;
	size_t len;
	int r;

	if (rp->err != 0 || s == NULL)
		return;
	if ((r = traj_mask(rp->tr, s, 0, &m)) != 0) {
		rp->err = r;
		return;
	}
	if (m != NULL)
		s = m;
	len = strlen(s);
	end = s + len;
	if (max > 0 && len > max) {
		end = s + max;
		while (end > s && ((unsigned char)*end & 0xc0) == 0x80)
			end--;
	}
	for (p = s; p < end && rp->err == 0; p++) {
		switch (*p) {
		case '&':
			rp_raw(rp, "&amp;");
			break;
		case '<':
			rp_raw(rp, "&lt;");
			break;
		case '>':
			rp_raw(rp, "&gt;");
			break;
		case '"':
			rp_raw(rp, "&quot;");
			break;
		case '\'':
			rp_raw(rp, "&#39;");
			break;
		default:
			if ((unsigned char)*p < 0x20 && *p != '\n' &&
			    *p != '\t')
				tmp[0] = ' ';
			else
				tmp[0] = *p;
			if ((r = buf_add(&rp->b, tmp, 1)) != 0)
				rp->err = r;
			break;
		}
	}
	if (end < s + len)
		rp_raw(rp, "\xe2\x80\xa6");
	free(m);
}

/* A string member of o, or NULL. */
static const char *
jget_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A number member of o, or NAN. */
static double
jget_num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? v->valuedouble : (double)NAN;
}

/* Describes a mark (obs_mark_json form): role "text" (label). */
static void
rp_mark_desc(struct report *rp, const cJSON *m)
{
	const char *role, *text, *label;

	if (!cJSON_IsObject(m)) {
		rp_raw(rp, "<span class=\"mut\">\xe2\x80\x94</span>");
		return;
	}
	if ((role = jget_str(m, "role")) == NULL || *role == '\0')
		role = jget_str(m, "tag");
	text = jget_str(m, "text");
	label = jget_str(m, "label");
	rp_raw(rp, "<span class=\"role\">");
	rp_text(rp, role != NULL && *role != '\0' ? role : "element", 40);
	rp_raw(rp, "</span>");
	if (text != NULL && *text != '\0') {
		rp_raw(rp, " \xe2\x80\x9c");
		rp_text(rp, text, 120);
		rp_raw(rp, "\xe2\x80\x9d");
	}
	if (label != NULL && *label != '\0' && (text == NULL ||
	    strcmp(label, text) != 0)) {
		rp_raw(rp, " <span class=\"mut\">(");
		rp_text(rp, label, 80);
		rp_raw(rp, ")</span>");
	}
}

/* Finds the mark with id in a step's marks array. */
static const cJSON *
step_mark(const cJSON *step, int id)
{
	const cJSON *marks, *m;

	if (id <= 0)
		return NULL;
	marks = cJSON_GetObjectItemCaseSensitive(step, "marks");
	cJSON_ArrayForEach(m, marks)
		if ((int)jget_num(m, "id") == id)
			return m;
	return NULL;
}

/* The mark an action JSON addresses, 0 if none. */
static int
action_mark(const cJSON *act)
{
	double v = jget_num(act, "mark");

	return isfinite(v) && v > 0 && v < 1e6 ? (int)v : 0;
}

/* A file name as written by traj_step (no path, no leading dot). */
static int
safe_name(const char *s)
{
	const char *p;

	if (s == NULL || *s == '\0' || *s == '.' || strlen(s) > 64)
		return 0;
	for (p = s; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		    *p == '.'))
			return 0;
	return 1;
}

/* Appends the base64 encoding of n bytes of p. */
static void
rp_base64(struct report *rp, const unsigned char *p, size_t n)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char out[4096];
	size_t i, o = 0;
	unsigned int v;
	int r;

	for (i = 0; i < n && rp->err == 0; i += 3) {
		v = (unsigned int)p[i] << 16;
		if (i + 1 < n)
			v |= (unsigned int)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		out[o++] = tab[(v >> 18) & 63];
		out[o++] = tab[(v >> 12) & 63];
		out[o++] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < n ? tab[v & 63] : '=';
		if (o + 4 > sizeof(out) || i + 3 >= n) {
			if ((r = buf_add(&rp->b, out, o)) != 0)
				rp->err = r;
			o = 0;
		}
	}
}

/*
 * Inlines image name of the run directory as a data URL <img>, linked to
 * the file itself; a note instead when it is missing, not a PNG or over
 * the report's image budget.
 */
static void
rp_image(struct report *rp, const char *name, const char *alt)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n',
	    0x1a, '\n' };
	struct stat st;
	char *data = NULL;
	size_t len = 0;
	int fd;
	const char *why = NULL;

	if (!safe_name(name))
		why = "no screenshot";
	else if ((fd = openat(rp->tr->dirfd, name, O_RDONLY | O_CLOEXEC |
	    O_NOFOLLOW | O_NONBLOCK)) == -1)
		why = "image file missing";
	else {
		if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
		    read_fd(fd, TRAJ_IMG_MAX, &data, &len) != 0)
			why = "image unreadable or too large";
		close(fd);
	}
	if (why == NULL && (len < sizeof(sig) ||
	    memcmp(data, sig, sizeof(sig)) != 0))
		why = "not a PNG image";
	if (why == NULL && rp->imgbytes + (len + 2) / 3 * 4 >
	    TRAJ_REPORT_IMGS)
		why = "image left out to keep the report small";
	if (why != NULL) {
		rp_raw(rp, "<div class=\"noimg\">");
		rp_text(rp, why, 0);
		if (safe_name(name)) {
			rp_raw(rp, ": <a href=\"");
			rp_text(rp, name, 0);
			rp_raw(rp, "\">");
			rp_text(rp, name, 0);
			rp_raw(rp, "</a>");
		}
		rp_raw(rp, "</div>");
		free(data);
		return;
	}
	rp->imgbytes += (len + 2) / 3 * 4;
	rp_raw(rp, "<a href=\"");
	rp_text(rp, name, 0);
	rp_raw(rp, "\" title=\"Open the full-size image\"><img src=\""
	    "data:image/png;base64,");
	rp_base64(rp, (const unsigned char *)data, len);
	rp_raw(rp, "\" alt=\"");
	rp_text(rp, alt, 0);
	rp_raw(rp, "\"></a>");
	free(data);
}

/* CSS class for an outcome name. */
static const char *
outcome_class(const char *o)
{
	if (strcmp(o, "success") == 0)
		return "ok";
	if (strcmp(o, "failed") == 0 || strcmp(o, "error") == 0)
		return "bad";
	if (strcmp(o, "denied") == 0)
		return "deny";
	if (strcmp(o, "cancelled") == 0)
		return "gray";
	return "warn";
}

/* Phases of a step, in order, as keys of "timings". */
static const char *const phases[] = {
	"observe", "decide", "act", "settle", "check"
};
#define NPHASES (sizeof(phases) / sizeof(phases[0]))

/* Compares doubles for qsort. */
static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Appends a number of milliseconds ("840 ms", "12.3 s"). */
static void
rp_ms(struct report *rp, double ms)
{
	if (!isfinite(ms))
		rp_raw(rp, "\xe2\x80\x94");
	else if (ms >= 10000)
		rp_fmt(rp, "%.1f&nbsp;s", ms / 1000);
	else
		rp_fmt(rp, "%.0f&nbsp;ms", ms);
}

/* Appends a stacked bar of a step's phases, scaled to max ms. */
static void
rp_phase_bar(struct report *rp, const cJSON *tm, double max)
{
	double v, total = jget_num(tm, "total");
	size_t i;

	if (!isfinite(total) || !(max > 0))
		return;
	rp_fmt(rp, "<div class=\"bar\" style=\"width:%.1f%%\" title=\"",
	    fmin(100, 100 * total / max));
	for (i = 0; i < NPHASES; i++) {
		v = jget_num(tm, phases[i]);
		rp_fmt(rp, "%s%s %.0f ms", i > 0 ? ", " : "", phases[i],
		    isfinite(v) ? v : 0);
	}
	rp_raw(rp, "\">");
	for (i = 0; i < NPHASES; i++) {
		v = jget_num(tm, phases[i]);
		if (isfinite(v) && v > 0 && total > 0)
			rp_fmt(rp, "<i class=\"ph-%s\" style=\"width:%.2f%%\">"
			    "</i>", phases[i], fmin(100, 100 * v / total));
	}
	rp_raw(rp, "</div>");
}

/* Appends the head, style and the run's summary. */
static void
rp_head(struct report *rp, const struct agent_result *res, double medms,
    time_t done)
{
	const struct traj *tr = rp->tr;
	const char *oname = agent_outcome_name(res->outcome);
	char ts[64];

	rp_raw(rp, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\""
	    "default-src 'none'; img-src data:; style-src 'unsafe-inline'\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<title>");
	rp_text(rp, tr->task->name != NULL ? tr->task->name : "task", 200);
	rp_raw(rp, " \xe2\x80\x94 ");
	rp_text(rp, oname, 0);
	rp_raw(rp, " \xe2\x80\x94 webnav report</title>\n<style>\n"
":root{--fg:#1f2328;--mut:#59636e;--bd:#d1d9e0;--bg:#f6f8fa;"
"--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700;--deny:#8250df;--gray:#59636e}\n"
"*{box-sizing:border-box}\n"
"body{margin:0;font:14px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,"
"\"Noto Sans\",\"DejaVu Sans\",sans-serif;color:var(--fg);background:#fff}\n"
"main{max-width:1360px;margin:0 auto;padding:20px 24px 48px}\n"
"h1{font-size:22px;margin:0;overflow-wrap:anywhere}\n"
"h2{font-size:16px;margin:28px 0 10px;padding-bottom:4px;"
"border-bottom:1px solid var(--bd)}\n"
"a{color:#0969da}\n"
"code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"
"\"DejaVu Sans Mono\",monospace;font-size:12.5px}\n"
".mut{color:var(--mut)}\n"
".head{display:flex;align-items:center;gap:12px;flex-wrap:wrap}\n"
".badge{display:inline-block;padding:3px 12px;border-radius:14px;"
"color:#fff;font-weight:700;font-size:13px;letter-spacing:.04em;"
"text-transform:uppercase}\n"
".b-ok{background:var(--ok)}.b-bad{background:var(--bad)}"
".b-warn{background:var(--warn)}.b-deny{background:var(--deny)}"
".b-gray{background:var(--gray)}\n"
".reason{margin:12px 0;padding:10px 14px;border-radius:6px;"
"border-left:6px solid;font-size:15px;overflow-wrap:anywhere}\n"
".r-ok{border-color:var(--ok);background:#dafbe1}"
".r-bad{border-color:var(--bad);background:#ffebe9}"
".r-warn{border-color:var(--warn);background:#fff8c5}"
".r-deny{border-color:var(--deny);background:#fbefff}"
".r-gray{border-color:var(--gray);background:var(--bg)}\n"
".facts{display:grid;grid-template-columns:repeat(auto-fill,"
"minmax(150px,1fr));gap:8px;margin:12px 0}\n"
".fact{background:var(--bg);border:1px solid var(--bd);border-radius:6px;"
"padding:6px 10px}\n"
".fact b{display:block;font-size:18px}"
".fact span{color:var(--mut);font-size:12px}\n"
"dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px;"
"margin:8px 0}\n"
"dl.kv dt{color:var(--mut)}dl.kv dd{margin:0;overflow-wrap:anywhere}\n"
"ol,ul{margin:4px 0;padding-left:22px}\n"
"table{border-collapse:collapse;width:100%}\n");
	rp_raw(rp,
"th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--bd);"
"vertical-align:top;overflow-wrap:anywhere}\n"
"th{font-size:12px;color:var(--mut);font-weight:600;background:var(--bg);"
"white-space:nowrap;overflow-wrap:normal}\n"
"table.fixed{table-layout:fixed}\n"
"td.num,th.num{text-align:right;white-space:nowrap}\n"
"tr.chosen td{background:#ddf4ff;font-weight:600}\n"
"tr.bad td{background:#fff5f5}\n"
".step{border:1px solid var(--bd);border-radius:8px;margin:18px 0;"
"overflow:hidden}\n"
".step>h3{margin:0;padding:8px 14px;background:var(--bg);font-size:15px;"
"border-bottom:1px solid var(--bd);display:flex;gap:8px 14px;"
"align-items:baseline;flex-wrap:wrap}\n"
".step.err>h3{background:#ffebe9}\n"
".step>h3 a{color:inherit;text-decoration:none}\n"
".act{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"
"\"DejaVu Sans Mono\",monospace;background:#fff;border:1px solid var(--bd);"
"border-radius:4px;padding:1px 6px;overflow-wrap:anywhere}\n"
".role{font-weight:600}\n"
".grid{display:grid;grid-template-columns:minmax(0,1.6fr) minmax(340px,1fr);"
"gap:18px;padding:14px}\n"
"@media (max-width:900px){.grid{grid-template-columns:1fr}}\n");
	rp_raw(rp,
"figure{margin:0}\n"
"figure img{max-width:100%;height:auto;display:block;border:1px solid "
"var(--bd);border-radius:4px}\n"
"figcaption{margin-top:4px;font-size:12px;color:var(--mut);"
"overflow-wrap:anywhere}\n"
".noimg{padding:40px 10px;text-align:center;color:var(--mut);"
"background:var(--bg);border:1px dashed var(--bd);border-radius:4px}\n"
".side>*+*{margin-top:12px}\n"
".side h4{margin:0 0 4px;font-size:12px;color:var(--mut);"
"text-transform:uppercase;letter-spacing:.05em}\n"
".instr{padding:8px 12px;background:#f1f8ff;border:1px solid #c8e1ff;"
"border-radius:6px;overflow-wrap:anywhere}\n"
".errbox{padding:8px 12px;background:#ffebe9;border:1px solid #ffcecb;"
"color:#82071e;border-radius:6px;overflow-wrap:anywhere}\n"
".bar{display:flex;height:12px;min-width:2px;border-radius:3px;"
"overflow:hidden;background:#eaeef2}\n"
".bar i{display:block;height:100%}\n"
".ph-observe{background:#4c8bf5}.ph-decide{background:#a371f7}"
".ph-act{background:#f0883e}.ph-settle{background:#3fb950}"
".ph-check{background:#8b949e}\n"
".sw{display:inline-block;width:10px;height:10px;border-radius:2px;"
"margin-right:5px;vertical-align:-1px}\n"
".legend{font-size:12px;color:var(--mut)}"
".legend span{margin-right:12px;white-space:nowrap}\n"
".sbar{display:inline-block;height:8px;background:#54aeff;"
"border-radius:2px;vertical-align:middle;margin-left:6px}\n"
"details summary{cursor:pointer;color:var(--mut)}\n"
"details table{margin-top:6px;font-size:12.5px}\n"
"footer{margin-top:32px;color:var(--mut);font-size:12px}\n"
"</style>\n</head>\n<body>\n<main>\n");

	rp_raw(rp, "<div class=\"head\"><h1>");
	rp_text(rp, tr->task->name != NULL ? tr->task->name : "(unnamed task)",
	    300);
	rp_fmt(rp, "</h1><span class=\"badge b-%s\">", outcome_class(oname));
	rp_text(rp, oname, 0);
	rp_raw(rp, "</span></div>\n");
	rp_fmt(rp, "<div class=\"reason r-%s\">", outcome_class(oname));
	rp_text(rp, res->reason != NULL && *res->reason != '\0' ?
	    res->reason : "no reason given", 2000);
	rp_raw(rp, "</div>\n<div class=\"facts\">");
	rp_fmt(rp, "<div class=\"fact\"><b>%d</b><span>steps</span></div>",
	    res->steps);
	rp_fmt(rp, "<div class=\"fact\"><b>%.1f&nbsp;s</b><span>total "
	    "time</span></div>", isfinite(res->seconds) ? res->seconds : 0.0);
	rp_raw(rp, "<div class=\"fact\"><b>");
	rp_ms(rp, medms);
	rp_raw(rp, "</b><span>median step</span></div>");
	rp_raw(rp, "<div class=\"fact\"><b>");
	rp_text(rp, tr->policy != NULL ? tr->policy : "none", 40);
	rp_raw(rp, "</b><span>policy</span></div></div>\n<dl class=\"kv\">");
	rp_raw(rp, "<dt>Start URL</dt><dd><code>");
	rp_text(rp, tr->task->start_url, TRAJ_URL_SHOW);
	rp_raw(rp, "</code></dd><dt>Final URL</dt><dd><code>");
	rp_text(rp, res->final_url != NULL ? res->final_url : "\xe2\x80\x94",
	    TRAJ_URL_SHOW);
	fmt_time(tr->started, 0, ts, sizeof(ts));
	rp_raw(rp, "</code></dd><dt>Started</dt><dd>");
	rp_text(rp, ts, 0);
	fmt_time(done, 0, ts, sizeof(ts));
	rp_raw(rp, "</dd><dt>Finished</dt><dd>");
	rp_text(rp, ts, 0);
	rp_raw(rp, "</dd><dt>Run directory</dt><dd><code>");
	rp_text(rp, tr->dir, 400);
	rp_raw(rp, "</code></dd></dl>\n");
}

/* Appends a list of checks under a heading. */
static void
rp_checks(struct report *rp, const char *title,
    const struct task_check *c, size_t n)
{
	char *s;
	size_t i;

	if (n == 0)
		return;
	rp_raw(rp, "<dt>");
	rp_text(rp, title, 0);
	rp_raw(rp, "</dt><dd><ul>");
	for (i = 0; i < n; i++) {
		s = task_check_str(&c[i]);
		rp_raw(rp, "<li><code>");
		rp_text(rp, s, 500);
		rp_raw(rp, "</code></li>");
		free(s);
	}
	rp_raw(rp, "</ul></dd>");
}

/* Appends the task: goal or instructions or actions, checks, limits. */
static void
rp_task(struct report *rp)
{
	const struct task *t = rp->tr->task;
	char *s;
	size_t i;

	rp_raw(rp, "<h2>Task</h2>\n<dl class=\"kv\">");
	if (t->goal != NULL) {
		rp_raw(rp, "<dt>Goal</dt><dd>");
		rp_text(rp, t->goal, 4000);
		rp_raw(rp, "</dd>");
	} else if (t->goal_js != NULL) {
		rp_raw(rp, "<dt>Goal</dt><dd>read from the page: <code>");
		rp_text(rp, t->goal_js, 2000);
		rp_raw(rp, "</code></dd>");
	}
	if (t->nsteps > 0) {
		rp_raw(rp, "<dt>Instructions</dt><dd><ol>");
		for (i = 0; i < t->nsteps; i++) {
			rp_raw(rp, "<li>");
			rp_text(rp, t->steps[i], 2000);
			rp_raw(rp, "</li>");
		}
		rp_raw(rp, "</ol></dd>");
	}
	if (t->nactions > 0) {
		rp_raw(rp, "<dt>Scripted actions</dt><dd><ol>");
		for (i = 0; i < t->nactions; i++) {
			s = action_format(&t->actions[i]);
			rp_raw(rp, "<li><code>");
			rp_text(rp, s, 500);
			rp_raw(rp, "</code></li>");
			free(s);
		}
		rp_raw(rp, "</ol></dd>");
	}
	rp_checks(rp, "Success when all hold", t->success, t->nsuccess);
	rp_checks(rp, "Fails when any holds", t->fail, t->nfail);
	rp_fmt(rp, "<dt>Limits</dt><dd>%d steps, %.0f s per step, %.0f s in "
	    "all</dd>", t->max_steps, t->step_timeout_ms / 1000.0,
	    t->timeout_ms / 1000.0);
	if (t->nallowed > 0) {
		rp_raw(rp, "<dt>Allowed domains</dt><dd><code>");
		for (i = 0; i < t->nallowed; i++) {
			if (i > 0)
				rp_raw(rp, ", ");
			rp_text(rp, t->allowed_domains[i], 200);
		}
		rp_raw(rp, "</code></dd>");
	}
	rp_raw(rp, "</dl>\n");
}

/* Appends the one-line summary table of all steps. */
static void
rp_overview(struct report *rp, const cJSON *steps, double maxms)
{
	const cJSON *st, *tm, *act;
	const char *at, *err;
	double sc;
	int n;

	rp_raw(rp, "<h2>Steps</h2>\n");
	if (cJSON_GetArraySize(steps) == 0) {
		rp_raw(rp, "<p class=\"mut\">No step was recorded.</p>\n");
		return;
	}
	rp_raw(rp, "<table class=\"fixed\"><colgroup><col style=\"width:44px\">"
	    "<col style=\"width:20%\"><col><col style=\"width:70px\">"
	    "<col style=\"width:22%\"><col style=\"width:20%\"></colgroup>"
	    "<tr><th class=\"num\">#</th><th>Action</th><th>Element</th>"
	    "<th class=\"num\">Score</th><th>Time</th><th>Error</th></tr>\n");
	cJSON_ArrayForEach(st, steps) {
		n = (int)jget_num(st, "step");
		err = jget_str(st, "error");
		act = cJSON_GetObjectItemCaseSensitive(st, "action");
		at = jget_str(st, "action_text");
		tm = cJSON_GetObjectItemCaseSensitive(st, "timings");
		rp_fmt(rp, "<tr%s><td class=\"num\"><a href=\"#step-%d\">%d"
		    "</a></td><td><code>", err != NULL ? " class=\"bad\"" : "",
		    n, n);
		rp_text(rp, at != NULL ? at : "\xe2\x80\x94", 120);
		rp_raw(rp, "</code></td><td>");
		rp_mark_desc(rp, cJSON_GetObjectItemCaseSensitive(st,
		    "target"));
		if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(st,
		    "target")) && action_mark(act) > 0)
			rp_fmt(rp, " <span class=\"mut\">(mark %d)</span>",
			    action_mark(act));
		sc = jget_num(st, "score");
		rp_raw(rp, "</td><td class=\"num\">");
		if (isfinite(sc))
			rp_fmt(rp, "%.3f", sc);
		rp_raw(rp, "</td><td><div style=\"display:flex;gap:8px;"
		    "align-items:center\"><span style=\"min-width:64px\">");
		rp_ms(rp, jget_num(tm, "total"));
		rp_raw(rp, "</span><div style=\"flex:1\">");
		rp_phase_bar(rp, tm, maxms);
		rp_raw(rp, "</div></div></td><td>");
		rp_text(rp, err, 160);
		rp_raw(rp, "</td></tr>\n");
	}
	rp_raw(rp, "</table>\n<p class=\"legend\">");
	{
		size_t i;

		for (i = 0; i < NPHASES; i++)
			rp_fmt(rp, "<span><i class=\"sw ph-%s\"></i>%s</span>",
			    phases[i], phases[i]);
	}
	rp_raw(rp, "</p>\n");
}

/* Appends the top alternatives of a step. */
static void
rp_top(struct report *rp, const cJSON *st)
{
	const cJSON *top, *alt, *act;
	const char *text, *chosen = jget_str(st, "action_text");
	double sc, lo = INFINITY, hi = -INFINITY;
	int i = 0, marked = 0, probs;

	top = cJSON_GetObjectItemCaseSensitive(st, "top");
	if (cJSON_GetArraySize(top) == 0)
		return;
	cJSON_ArrayForEach(alt, top) {
		sc = jget_num(alt, "score");
		if (isfinite(sc)) {
			lo = fmin(lo, sc);
			hi = fmax(hi, sc);
		}
	}
	probs = lo >= 0 && hi <= 1;
	rp_fmt(rp, "<div><h4>Top alternatives</h4><table class=\"fixed\">"
	    "<colgroup><col style=\"width:28px\"><col style=\"width:34%%\">"
	    "<col><col style=\"width:%dpx\"></colgroup><tr>"
	    "<th class=\"num\">#</th><th>Action</th><th>Element</th>"
	    "<th class=\"num\">Score</th></tr>", probs ? 116 : 64);
	cJSON_ArrayForEach(alt, top) {
		text = jget_str(alt, "text");
		act = cJSON_GetObjectItemCaseSensitive(alt, "action");
		sc = jget_num(alt, "score");
		i++;
		if (!marked && chosen != NULL && text != NULL &&
		    strcmp(chosen, text) == 0) {
			marked = 1;
			rp_raw(rp, "<tr class=\"chosen\">");
		} else
			rp_raw(rp, "<tr>");
		rp_fmt(rp, "<td class=\"num\">%d</td><td><code>", i);
		rp_text(rp, text != NULL ? text : "?", 120);
		rp_raw(rp, "</code></td><td>");
		if (action_mark(act) > 0)
			rp_mark_desc(rp, step_mark(st, action_mark(act)));
		rp_raw(rp, "</td><td class=\"num\">");
		if (isfinite(sc)) {
			rp_fmt(rp, "%.3f", sc);
			if (probs)
				rp_fmt(rp, "<span class=\"sbar\" style=\""
				    "width:%.0fpx\"></span>", 2 + 48 * sc);
		}
		rp_raw(rp, "</td></tr>");
	}
	rp_raw(rp, "</table></div>");
}

/* Appends the phase timings of a step as a bar and a table. */
static void
rp_timings(struct report *rp, const cJSON *tm, double maxms)
{
	double v;
	size_t i;

	if (!cJSON_IsObject(tm))
		return;
	rp_raw(rp, "<div><h4>Timings</h4>");
	rp_phase_bar(rp, tm, jget_num(tm, "total") > 0 ? jget_num(tm,
	    "total") : maxms);
	rp_raw(rp, "<table style=\"margin-top:6px\"><tr>");
	for (i = 0; i < NPHASES; i++)
		rp_fmt(rp, "<th class=\"num\"><i class=\"sw ph-%s\"></i>%s"
		    "</th>", phases[i], phases[i]);
	rp_raw(rp, "<th class=\"num\">total</th></tr><tr>");
	for (i = 0; i < NPHASES; i++) {
		v = jget_num(tm, phases[i]);
		rp_raw(rp, "<td class=\"num\">");
		rp_ms(rp, v);
		rp_raw(rp, "</td>");
	}
	rp_raw(rp, "<td class=\"num\"><b>");
	rp_ms(rp, jget_num(tm, "total"));
	rp_raw(rp, "</b></td></tr></table></div>");
}

/* Appends the (collapsed) list of a step's marks. */
static void
rp_marks(struct report *rp, const cJSON *st, int chosen)
{
	const cJSON *marks, *m, *box;
	const char *role, *v;
	int n, i = 0;

	marks = cJSON_GetObjectItemCaseSensitive(st, "marks");
	if ((n = cJSON_GetArraySize(marks)) == 0)
		return;
	rp_fmt(rp, "<details><summary>All %d marks</summary><table><tr>"
	    "<th class=\"num\">id</th><th>role</th><th>text</th><th>label"
	    "</th><th>value</th><th class=\"num\">box</th></tr>", n);
	cJSON_ArrayForEach(m, marks) {
		if (i++ >= TRAJ_REPORT_MARKS) {
			rp_fmt(rp, "<tr><td colspan=\"6\" class=\"mut\">"
			    "\xe2\x80\xa6 %d more in steps.jsonl</td></tr>",
			    n - TRAJ_REPORT_MARKS);
			break;
		}
		rp_fmt(rp, "<tr%s><td class=\"num\">%d</td><td>",
		    (int)jget_num(m, "id") == chosen && chosen > 0 ?
		    " class=\"chosen\"" : "", (int)jget_num(m, "id"));
		if ((role = jget_str(m, "role")) == NULL || *role == '\0')
			role = jget_str(m, "tag");
		rp_text(rp, role, 40);
		rp_raw(rp, "</td><td>");
		rp_text(rp, jget_str(m, "text"), 120);
		rp_raw(rp, "</td><td>");
		rp_text(rp, jget_str(m, "label"), 80);
		rp_raw(rp, "</td><td>");
		if ((v = jget_str(m, "value")) != NULL)
			rp_text(rp, v, 80);
		box = cJSON_GetObjectItemCaseSensitive(m, "box");
		rp_raw(rp, "</td><td class=\"num mono\">");
		if (cJSON_IsObject(box))
			rp_fmt(rp, "%.0f,%.0f %.0f\xc3\x97%.0f",
			    jget_num(box, "x"), jget_num(box, "y"),
			    jget_num(box, "w"), jget_num(box, "h"));
		rp_raw(rp, "</td></tr>");
	}
	rp_raw(rp, "</table></details>");
}

/* Appends one step's card. */
static void
rp_step(struct report *rp, const cJSON *st, double maxms)
{
	const struct task *t = rp->tr->task;
	const cJSON *target, *act;
	const char *err, *img, *url, *title, *instr, *at;
	double instrn;
	char alt[64];
	int n;

	n = (int)jget_num(st, "step");
	err = jget_str(st, "error");
	at = jget_str(st, "action_text");
	act = cJSON_GetObjectItemCaseSensitive(st, "action");
	target = cJSON_GetObjectItemCaseSensitive(st, "target");
	rp_fmt(rp, "<section class=\"step%s\" id=\"step-%d\"><h3><a "
	    "href=\"#step-%d\">Step %d</a><span class=\"act\">",
	    err != NULL ? " err" : "", n, n, n);
	rp_text(rp, at != NULL ? at : "no action", 200);
	rp_raw(rp, "</span><span>");
	rp_mark_desc(rp, target);
	rp_raw(rp, "</span><span class=\"mut\" style=\"margin-left:auto\">");
	rp_ms(rp, jget_num(cJSON_GetObjectItemCaseSensitive(st, "timings"),
	    "total"));
	rp_raw(rp, "</span></h3>\n<div class=\"grid\"><figure>");

	snprintf(alt, sizeof(alt), "Step %d: Set-of-Mark screenshot", n);
	if ((img = jget_str(st, "som")) != NULL)
		rp_image(rp, img, alt);
	else {
		snprintf(alt, sizeof(alt), "Step %d: screenshot", n);
		rp_image(rp, jget_str(st, "screenshot"), alt);
	}
	url = jget_str(st, "url");
	title = jget_str(st, "title");
	rp_raw(rp, "<figcaption>");
	if (title != NULL && *title != '\0') {
		rp_text(rp, title, 200);
		rp_raw(rp, " \xc2\xb7 ");
	}
	rp_raw(rp, "<code>");
	rp_text(rp, url != NULL ? url : "no page", TRAJ_URL_SHOW);
	rp_raw(rp, "</code>");
	if (img == NULL && jget_str(st, "screenshot") != NULL)
		rp_raw(rp, " (plain screenshot: no Set-of-Mark image)");
	rp_raw(rp, "</figcaption></figure>\n<div class=\"side\">");

	instr = jget_str(st, "instruction");
	instrn = jget_num(st, "instr");
	rp_raw(rp, "<div class=\"instr\"><h4>");
	if (t->mode == TASK_STEPS && isfinite(instrn))
		rp_fmt(rp, "Instruction %d of %zu", (int)instrn + 1,
		    t->nsteps);
	else if (t->mode == TASK_ACTIONS && isfinite(instrn))
		rp_fmt(rp, "Scripted action %d of %zu", (int)instrn + 1,
		    t->nactions);
	else
		rp_raw(rp, "Goal");
	rp_raw(rp, "</h4>");
	if ((instr == NULL || *instr == '\0') && t->mode == TASK_ACTIONS &&
	    isfinite(instrn) && instrn >= 0 && instrn < (double)t->nactions) {
		char *a = action_format(&t->actions[(size_t)instrn]);

		rp_raw(rp, "<code>");
		rp_text(rp, a, 500);
		rp_raw(rp, "</code>");
		free(a);
	} else
		rp_text(rp, instr != NULL && *instr != '\0' ? instr :
		    "\xe2\x80\x94", 4000);
	rp_raw(rp, "</div>");
	if (err != NULL) {
		rp_raw(rp, "<div class=\"errbox\"><b>Error:</b> ");
		rp_text(rp, err, 4000);
		rp_raw(rp, "</div>");
	}
	rp_raw(rp, "<div><h4>Action</h4><code>");
	rp_text(rp, at != NULL ? at : "none", 500);
	rp_raw(rp, "</code>");
	if (cJSON_IsObject(target)) {
		rp_raw(rp, " on ");
		rp_mark_desc(rp, target);
	}
	if (isfinite(jget_num(st, "score")))
		rp_fmt(rp, " <span class=\"mut\">score %.3f</span>",
		    jget_num(st, "score"));
	rp_raw(rp, "</div>");
	rp_top(rp, st);
	rp_timings(rp, cJSON_GetObjectItemCaseSensitive(st, "timings"),
	    maxms);
	rp_marks(rp, st, action_mark(act));
	rp_raw(rp, "</div></div></section>\n");
}

/*
 * Renders report.html from the recorded steps (NULL with why set when
 * steps.jsonl could not be read).
 */
static int
write_report(struct traj *tr, const struct agent_result *res,
    const cJSON *steps, const char *why, time_t done)
{
	struct report rp;
	const cJSON *st;
	double *totals = NULL, v, med = NAN, maxms = 0;
	size_t n = 0, cap;
	int r;

	memset(&rp, 0, sizeof(rp));
	rp.tr = tr;
	buf_init(&rp.b, TRAJ_REPORT_MAX);
	cap = (size_t)cJSON_GetArraySize(steps);
	if (cap > 0)
		totals = xreallocarray(NULL, cap, sizeof(*totals));
	cJSON_ArrayForEach(st, steps) {
		v = jget_num(cJSON_GetObjectItemCaseSensitive(st, "timings"),
		    "total");
		if (isfinite(v) && n < cap) {
			totals[n++] = v;
			maxms = fmax(maxms, v);
		}
	}
	if (n > 0) {
		qsort(totals, n, sizeof(*totals), cmp_double);
		med = n % 2 ? totals[n / 2] :
		    (totals[n / 2 - 1] + totals[n / 2]) / 2;
	}
	rp_head(&rp, res, med, done);
	if (why != NULL) {
		rp_raw(&rp, "<div class=\"errbox\"><b>The step log could not "
		    "be read:</b> ");
		rp_text(&rp, why, 2000);
		rp_raw(&rp, "</div>\n");
	}
	rp_task(&rp);
	rp_overview(&rp, steps, maxms);
	cJSON_ArrayForEach(st, steps)
		rp_step(&rp, st, maxms);
	rp_raw(&rp, "<footer>Written by webnav " PACKAGE_VERSION ". Files of "
	    "this run: task.json, steps.jsonl (one line per step), "
	    "step-NNN.png, step-NNN-som.png, result.json.</footer>\n"
	    "</main>\n</body>\n</html>\n");
	if ((r = rp.err) != 0) {
		log_warnx_r(r, "%s/report.html", tr->dir);
		goto out;
	}
	r = write_file_at(tr->dirfd, tr->dir, "report.html", rp.b.data,
	    rp.b.len, 1);
out:
	free(totals);
	buf_free(&rp.b);
	return r;
}

/* fsyncs the files written during the run, steps.jsonl and the directory. */
static int
traj_sync(struct traj *tr)
{
	size_t i;
	int fd, r = 0;

	for (i = 0; i < tr->nfiles; i++) {
		if ((fd = openat(tr->dirfd, tr->files[i], O_RDONLY |
		    O_CLOEXEC | O_NOFOLLOW)) == -1 || fsync(fd) == -1) {
			log_warn("%s/%s: fsync", tr->dir, tr->files[i]);
			r = ERR_IO;
		}
		if (fd != -1)
			close(fd);
	}
	if (fsync(tr->stepsfd) == -1) {
		log_warn("%s/%s: fsync", tr->dir, TRAJ_STEPS);
		r = ERR_IO;
	}
	return r;
}

/*
 * Makes the recorded steps durable, then writes result.json and report.html
 * (rendered from steps.jsonl as written).  No step may follow.
 */
int
traj_finish(struct traj *tr, const struct agent_result *res)
{
	cJSON *steps = NULL;
	char *why = NULL;
	time_t done = time(NULL);
	int r, r2;

	if (tr->stepsfd == -1 || res == NULL) {
		log_warnx("%s: trajectory already finished", tr->dir);
		return ERR_INVALID;
	}
	/* A missing image is logged; the report notes it, the run stands. */
	som_render(tr);
	r = traj_sync(tr);
	if (close(tr->stepsfd) == -1 && r == 0) {
		log_warn("%s/%s: close", tr->dir, TRAJ_STEPS);
		r = ERR_IO;
	}
	tr->stepsfd = -1;
	if ((r2 = write_result(tr, res, done)) != 0 && r == 0)
		r = r2;
	{
		int fd;
		char *name = xasprintf("%s/%s", tr->dir, TRAJ_STEPS);

		if ((fd = openat(tr->dirfd, TRAJ_STEPS, O_RDONLY |
		    O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)) == -1)
			why = xasprintf("%s: %s", name, strerror(errno));
		else {
			if (load_steps_fd(fd, name, &steps, &why) != 0)
				log_warnx("%s", why);
			close(fd);
		}
		free(name);
	}
	if ((r2 = write_report(tr, res, steps, why, done)) != 0 && r == 0)
		r = r2;
	if (fsync(tr->dirfd) == -1) {
		log_warn("%s: fsync", tr->dir);
		if (r == 0)
			r = ERR_IO;
	}
	cJSON_Delete(steps);
	free(why);
	return r;
}
