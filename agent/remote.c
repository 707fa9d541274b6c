/*
 * remote.c: the remote policy's settings, its process-wide counters and
 * the API keys to mask in logs (remote.h).  The policy itself is
 * policy-remote.c; task files and webnavd.conf use only this part.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "err.h"
#include "log.h"
#include "remote.h"
#include "xmalloc.h"

#define RM_KEYS_MAX	16	/* API keys registered for redaction */
#define RM_BACKOFF_MAX	30000	/* ms, largest backoff setting */

/* ---------------------------------------------------------------------- */
/* Process-wide state: counters, keys to redact.                          */

const double remote_latency_bounds[REMOTE_NBOUNDS] = {
	0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300
};

static pthread_mutex_t rm_mtx = PTHREAD_MUTEX_INITIALIZER;
static struct remote_stats rm_stats;
static char *rm_keys[RM_KEYS_MAX];
static int rm_key_refs[RM_KEYS_MAX];

void
remote_get_stats(struct remote_stats *st)
{
	pthread_mutex_lock(&rm_mtx);
	*st = rm_stats;
	pthread_mutex_unlock(&rm_mtx);
}

void
remote_count_request(long status)
{
	pthread_mutex_lock(&rm_mtx);
	if (status >= 200 && status < 300)
		rm_stats.requests_ok++;
	else if (status == 429)
		rm_stats.requests_429++;
	else if (status >= 500 && status < 600)
		rm_stats.requests_5xx++;
	else if (status == 0)
		rm_stats.requests_failed++;
	else
		rm_stats.requests_other++;
	pthread_mutex_unlock(&rm_mtx);
}

void
remote_count_decision(int ok, int invalid, long long ptok, long long ctok,
    double ms)
{
	double s = ms / 1000.0;
	size_t i;

	pthread_mutex_lock(&rm_mtx);
	if (ok)
		rm_stats.decisions_ok++;
	else
		rm_stats.decisions_failed++;
	rm_stats.invalid_answers += (unsigned long long)invalid;
	if (ptok > 0)
		rm_stats.prompt_tokens += (unsigned long long)ptok;
	if (ctok > 0)
		rm_stats.completion_tokens += (unsigned long long)ctok;
	for (i = 0; i < REMOTE_NBOUNDS; i++)
		if (s <= remote_latency_bounds[i]) {
			rm_stats.latency_counts[i]++;
			break;
		}
	rm_stats.latency_n++;
	rm_stats.latency_sum += s;
	pthread_mutex_unlock(&rm_mtx);
}

void
remote_key_add(const char *key)
{
	int i, fr = -1;

	if (key == NULL || strlen(key) < 4)
		return;
	pthread_mutex_lock(&rm_mtx);
	for (i = 0; i < RM_KEYS_MAX; i++) {
		if (rm_keys[i] != NULL && strcmp(rm_keys[i], key) == 0) {
			rm_key_refs[i]++;
			fr = -2;
			break;
		}
		if (rm_keys[i] == NULL && fr == -1)
			fr = i;
	}
	if (fr >= 0) {
		rm_keys[fr] = xstrdup(key);
		rm_key_refs[fr] = 1;
	} else if (fr == -1)
		log_warnx("remote: more than %d API keys in use; the "
		    "newest is not masked in logs", RM_KEYS_MAX);
	pthread_mutex_unlock(&rm_mtx);
}

void
remote_key_del(const char *key)
{
	int i;

	if (key == NULL)
		return;
	pthread_mutex_lock(&rm_mtx);
	for (i = 0; i < RM_KEYS_MAX; i++)
		if (rm_keys[i] != NULL && strcmp(rm_keys[i], key) == 0) {
			if (--rm_key_refs[i] == 0) {
				explicit_bzero(rm_keys[i], strlen(rm_keys[i]));
				free(rm_keys[i]);
				rm_keys[i] = NULL;
			}
			break;
		}
	pthread_mutex_unlock(&rm_mtx);
}

/* s with every occurrence of key replaced by "********" (allocated). */
static char *
rm_mask(const char *s, const char *key)
{
	struct buf b;
	const char *p = s, *q;
	size_t kl = strlen(key);

	buf_init(&b, SIZE_MAX / 2);
	while ((q = strstr(p, key)) != NULL) {
		(void)buf_add(&b, p, (size_t)(q - p));
		(void)buf_puts(&b, "********");
		p = q + kl;
	}
	(void)buf_puts(&b, p);
	if (b.data == NULL)
		return xstrdup("");
	return buf_steal(&b, NULL);
}

char *
remote_redact(const char *s)
{
	char *cur = NULL, *next;
	int i;

	if (s == NULL)
		return NULL;
	pthread_mutex_lock(&rm_mtx);
	for (i = 0; i < RM_KEYS_MAX; i++)
		if (rm_keys[i] != NULL && strstr(cur != NULL ? cur : s,
		    rm_keys[i]) != NULL) {
			next = rm_mask(cur != NULL ? cur : s, rm_keys[i]);
			free(cur);
			cur = next;
		}
	pthread_mutex_unlock(&rm_mtx);
	return cur;
}

/* ---------------------------------------------------------------------- */
/* Settings.                                                              */

void
remote_default_params(struct remote_params *p)
{
	memset(p, 0, sizeof(*p));
	p->model = "default";
	p->top_k = REMOTE_TOP_K;
	p->image_size = REMOTE_IMAGE_SIZE;
	p->temperature = 0;
	p->max_tokens = REMOTE_MAX_TOKENS;
	p->timeout_ms = REMOTE_TIMEOUT_MS;
	p->retries = REMOTE_RETRIES;
	p->backoff_ms = REMOTE_BACKOFF_MS;
}

/* Parses a whole decimal integer in [lo, hi]. */
static int
rm_int(const char *s, long lo, long hi, int *vp)
{
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < lo || v > hi)
		return -1;
	*vp = (int)v;
	return 0;
}

/* The settings remote_set() knows, with their ranges. */
struct rm_opt {
	const char	*name;
	int		 type;		/* 0 string, 1 int, 2 double */
	size_t		 off;
	long		 lo, hi;
};

#define RM_OFF(f)	offsetof(struct remote_params, f)
static const struct rm_opt rm_opts[] = {
	{ "endpoint", 0, RM_OFF(endpoint), 0, 0 },
	{ "model", 0, RM_OFF(model), 0, 0 },
	{ "api_key_file", 0, RM_OFF(api_key_file), 0, 0 },
	{ "top_k", 1, RM_OFF(top_k), 0, REMOTE_TOP_K_MAX },
	{ "image_size", 1, RM_OFF(image_size), 0, REMOTE_IMAGE_MAX },
	{ "temperature", 2, RM_OFF(temperature), 0, 2 },
	{ "max_tokens", 1, RM_OFF(max_tokens), 1, 32768 },
	{ "timeout", 1, RM_OFF(timeout_ms), 100, 3600000 },
	{ "retries", 1, RM_OFF(retries), 0, 10 },
	{ "backoff", 1, RM_OFF(backoff_ms), 0, RM_BACKOFF_MAX },
};
#define RM_NOPTS	(sizeof(rm_opts) / sizeof(rm_opts[0]))

/* Checks one string setting. */
static int
rm_check_string(const char *name, const char *v, char **causep)
{
	size_t i;

	if (v == NULL)
		return 0;
	if (*v == '\0' || strlen(v) > 2048) {
		*causep = xasprintf("remote %s: empty or longer than 2048 "
		    "bytes", name);
		return ERR_INVALID;
	}
	for (i = 0; v[i] != '\0'; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f) {
			*causep = xasprintf("remote %s: control character",
			    name);
			return ERR_INVALID;
		}
	if (strcmp(name, "endpoint") == 0 &&
	    strncasecmp(v, "http://", 7) != 0 &&
	    strncasecmp(v, "https://", 8) != 0) {
		*causep = xasprintf("remote endpoint: want an http:// or "
		    "https:// URL, not \"%s\"", v);
		return ERR_INVALID;
	}
	return 0;
}

int
remote_set(struct remote_params *p, const char *name, const char *val,
    char **causep)
{
	const struct rm_opt *o = NULL;
	char *end, *cause = NULL;
	double d;
	size_t i;
	int v, r;

	*causep = NULL;
	for (i = 0; i < RM_NOPTS; i++)
		if (strcmp(rm_opts[i].name, name) == 0)
			o = &rm_opts[i];
	if (o == NULL) {
		*causep = xasprintf("unknown remote setting \"%s\"", name);
		return ERR_NOTFOUND;
	}
	switch (o->type) {
	case 0:
		if ((r = rm_check_string(name, val, &cause)) != 0) {
			*causep = cause;
			return r;
		}
		*(const char **)(void *)((char *)p + o->off) = val;
		return 0;
	case 1:
		if (rm_int(val, o->lo, o->hi, &v) != 0) {
			*causep = xasprintf("remote %s: want an integer from "
			    "%ld to %ld, not \"%s\"", name, o->lo, o->hi,
			    val != NULL ? val : "");
			return ERR_INVALID;
		}
		*(int *)(void *)((char *)p + o->off) = v;
		return 0;
	default:
		errno = 0;
		d = val != NULL ? strtod(val, &end) : 0;
		if (val == NULL || *val == '\0' || errno != 0 ||
		    *end != '\0' || !(d >= (double)o->lo &&
		    d <= (double)o->hi)) {
			*causep = xasprintf("remote %s: want a number from "
			    "%ld to %ld, not \"%s\"", name, o->lo, o->hi,
			    val != NULL ? val : "");
			return ERR_INVALID;
		}
		*(double *)(void *)((char *)p + o->off) = d;
		return 0;
	}
}

int
remote_set_json(struct remote_params *p, const cJSON *j, char **causep)
{
	const cJSON *it;
	char num[64];
	size_t i;
	int r, type;

	*causep = NULL;
	if (!cJSON_IsObject(j)) {
		*causep = xstrdup("remote: want an object");
		return ERR_INVALID;
	}
	cJSON_ArrayForEach(it, j) {
		if (strcmp(it->string, "api_key") == 0) {
			*causep = xstrdup("remote: api_key does not belong in "
			    "a task file (use api_key_file or "
			    "WEBNAV_API_KEY)");
			return ERR_INVALID;
		}
		type = -1;
		for (i = 0; i < RM_NOPTS; i++)
			if (strcmp(rm_opts[i].name, it->string) == 0)
				type = rm_opts[i].type;
		if (type == 0 && !cJSON_IsString(it)) {
			*causep = xasprintf("remote %s: want a string",
			    it->string);
			return ERR_INVALID;
		}
		if (type > 0 && !cJSON_IsNumber(it)) {
			*causep = xasprintf("remote %s: want a number",
			    it->string);
			return ERR_INVALID;
		}
		if (cJSON_IsNumber(it)) {
			/* %.17g writes integers without a fraction. */
			snprintf(num, sizeof(num), "%.17g", it->valuedouble);
			r = remote_set(p, it->string, num, causep);
		} else
			r = remote_set(p, it->string, cJSON_IsString(it) ?
			    it->valuestring : NULL, causep);
		if (r != 0)
			return r;
	}
	return 0;
}

int
remote_json_untrusted(const cJSON *j, char **causep)
{
	static const char *const owned[] = { "endpoint", "api_key_file",
	    "api_key" };
	size_t i;

	*causep = NULL;
	for (i = 0; i < sizeof(owned) / sizeof(owned[0]); i++)
		if (cJSON_GetObjectItemCaseSensitive(j, owned[i]) != NULL) {
			*causep = xasprintf("remote: %s is set by webnavd.conf "
			    "(remote_endpoint, remote_key_file), not by "
			    "tasks", owned[i]);
			return ERR_DENIED;
		}
	return 0;
}

int
remote_params_env(struct remote_params *p, char **causep)
{
	static const struct {
		const char	*env, *name;
	} vars[] = {
		{ "WEBNAV_REMOTE_ENDPOINT", "endpoint" },
		{ "WEBNAV_REMOTE_MODEL", "model" },
		{ "WEBNAV_API_KEY_FILE", "api_key_file" },
		{ "WEBNAV_REMOTE_TOP_K", "top_k" },
		{ "WEBNAV_REMOTE_IMAGE_SIZE", "image_size" },
		{ "WEBNAV_REMOTE_TIMEOUT", "timeout" },
	};
	const char *v;
	char *cause = NULL;
	size_t i;
	int r;

	*causep = NULL;
	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		if ((v = getenv(vars[i].env)) == NULL || *v == '\0')
			continue;
		if ((r = remote_set(p, vars[i].name, v, &cause)) != 0) {
			*causep = xasprintf("%s: %s", vars[i].env, cause);
			free(cause);
			return r;
		}
	}
	return 0;
}

int
remote_params_check(const struct remote_params *p, char **causep)
{
	char buf[64];
	size_t i;
	int r, v;

	*causep = NULL;
	for (i = 0; i < RM_NOPTS; i++) {
		const struct rm_opt *o = &rm_opts[i];

		if (o->type == 0) {
			if ((r = rm_check_string(o->name,
			    *(const char *const *)(const void *)(
			    (const char *)p + o->off), causep)) != 0)
				return r;
			continue;
		}
		if (o->type == 1) {
			v = *(const int *)(const void *)((const char *)p +
			    o->off);
			snprintf(buf, sizeof(buf), "%d", v);
		} else
			snprintf(buf, sizeof(buf), "%.17g",
			    *(const double *)(const void *)(
			    (const char *)p + o->off));
		{
			struct remote_params tmp = *p;

			if ((r = remote_set(&tmp, o->name, buf, causep)) != 0)
				return r;
		}
	}
	if (p->image_size != 0 && p->image_size < REMOTE_IMAGE_MIN) {
		*causep = xasprintf("remote image_size: 0 (no image) or %d "
		    "to %d px", REMOTE_IMAGE_MIN, REMOTE_IMAGE_MAX);
		return ERR_INVALID;
	}
	return 0;
}
