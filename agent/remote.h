/*
 * remote.h: settings and counters (remote.c) of the "remote" policy
 * (policy-remote.c): any OpenAI-compatible chat endpoint that takes
 * images (vLLM, llama.cpp's server, hosted APIs).
 *
 * Each step the built-in ranker (or, without weights, the lexical
 * policy) scores every mark; the top_k marks are drawn alone on the
 * screenshot (sparse Set-of-Mark labels), the image is scaled down to
 * image_size and sent with the goal, the history and the list of those
 * marks with their text (and the text of the row, card or section each
 * sits in) to POST {endpoint}/v1/chat/completions.  The
 * answer is one action in the text form of action.h; prose around it is
 * tolerated; an unusable answer is asked again once, quoting why.
 *
 * Settings come, later ones winning, from remote_default_params(), the
 * environment (remote_params_env()), then the caller: webnav(1) options,
 * webnavd.conf(5) keywords, the task file's "remote" object.  The API
 * key is read from api_key, else api_key_file, else $WEBNAV_API_KEY; it
 * is sent only in the Authorization header, never logged, never written
 * to a trajectory (remote_redact() masks it in any text).
 */
#ifndef WEBNAV_REMOTE_H
#define WEBNAV_REMOTE_H

#include <stddef.h>

#include <cjson/cJSON.h>

#define REMOTE_TOP_K		10	/* default shortlist */
#define REMOTE_TOP_K_MAX	200	/* 0 means every mark, up to this */
#define REMOTE_IMAGE_SIZE	1024	/* default longest side, px */
#define REMOTE_IMAGE_MIN	64
#define REMOTE_IMAGE_MAX	4096
#define REMOTE_MAX_TOKENS	256
#define REMOTE_TIMEOUT_MS	60000
#define REMOTE_RETRIES		3
#define REMOTE_BACKOFF_MS	1000
#define REMOTE_RESPONSE_MAX	(4 * 1024 * 1024)	/* bytes of a reply */
#define REMOTE_KEY_MAX		4096	/* bytes of an API key */
#define REMOTE_HISTORY_MAX	20	/* last steps put in the prompt */

struct remote_params {
	const char	*endpoint;	/* base URL ("http://127.0.0.1:8000");
					   "/v1/chat/completions" is added
					   unless the URL already ends in
					   "/chat/completions" */
	const char	*model;		/* "model" of the request */
	const char	*api_key;	/* NULL: api_key_file, $WEBNAV_API_KEY */
	const char	*api_key_file;	/* first line is the key */
	int		 top_k;		/* marks shortlisted; 0: all marks */
	int		 image_size;	/* longest side of the image sent, px;
					   0: no image */
	double		 temperature;	/* default 0 */
	int		 max_tokens;
	int		 timeout_ms;	/* one HTTP request, connect included */
	int		 retries;	/* on 429, 5xx, timeouts, refused
					   connections */
	int		 backoff_ms;	/* first wait; doubles, at most 30 s;
					   Retry-After wins when larger */
};

/* Fills p with the defaults above (no endpoint, model "default"). */
void	remote_default_params(struct remote_params *p);
/*
 * Overrides p from the environment: WEBNAV_REMOTE_ENDPOINT,
 * WEBNAV_REMOTE_MODEL, WEBNAV_API_KEY_FILE, WEBNAV_REMOTE_TOP_K,
 * WEBNAV_REMOTE_IMAGE_SIZE, WEBNAV_REMOTE_TIMEOUT (ms).  The strings
 * point into the environment.  ERR_INVALID with *causep for a bad number.
 */
int	remote_params_env(struct remote_params *p, char **causep);
/* 0 if every setting of p is in range (as remote_set()), else ERR_INVALID. */
int	remote_params_check(const struct remote_params *p, char **causep);
/*
 * Sets one setting by name, for webnav(1) options, webnavd.conf and
 * task files: "endpoint", "model", "api_key_file", "top_k",
 * "image_size", "temperature", "max_tokens", "timeout" (ms), "retries",
 * "backoff" (ms).  String values are kept as pointers (they must outlive
 * p).  ERR_NOTFOUND for an unknown name, ERR_INVALID for a bad value,
 * both with *causep.
 */
int	remote_set(struct remote_params *p, const char *name, const char *val,
	    char **causep);
/* Applies a task file's "remote" object (strings point into j). */
int	remote_set_json(struct remote_params *p, const cJSON *j,
	    char **causep);
/*
 * 0 if a "remote" object from someone who does not own the endpoint's
 * key (a webnavd client) sets neither "endpoint" nor "api_key_file": a
 * task that named them could send the daemon's key to a server of its
 * choosing, or read a file of the daemon's.  Else ERR_DENIED, *causep.
 */
int	remote_json_untrusted(const cJSON *j, char **causep);

/*
 * Masks every API key a remote policy of this process has loaded in s:
 * the redacted copy (allocated), or NULL when s holds none.  For
 * log_set_redact() hooks; any thread.
 */
char	*remote_redact(const char *s);

/* Counters since the process started, for webnavd's /metrics. */
#define REMOTE_NBOUNDS	13
struct remote_stats {
	unsigned long long	 requests_ok;
	unsigned long long	 requests_429;
	unsigned long long	 requests_5xx;
	unsigned long long	 requests_other;	/* other HTTP status */
	unsigned long long	 requests_failed;	/* no reply: refused,
							   timeout */
	unsigned long long	 invalid_answers;	/* asked again */
	unsigned long long	 decisions_ok;
	unsigned long long	 decisions_failed;
	unsigned long long	 prompt_tokens;	/* as the server reports */
	unsigned long long	 completion_tokens;
	/* Latency of whole decisions (retries included), seconds. */
	unsigned long long	 latency_counts[REMOTE_NBOUNDS];	/* not
							   cumulative */
	unsigned long long	 latency_n;
	double			 latency_sum;
};
/* The bucket bounds of latency_counts, seconds (REMOTE_NBOUNDS). */
extern const double remote_latency_bounds[REMOTE_NBOUNDS];
/* A consistent snapshot; any thread. */
void	remote_get_stats(struct remote_stats *st);

/* For policy-remote.c (any thread). */
/* Counts one HTTP request by its result (status 0: no reply). */
void	remote_count_request(long status);
/* Counts one decision: ok, invalid answers, tokens, its time in ms. */
void	remote_count_decision(int ok, int invalid, long long ptok,
	    long long ctok, double ms);
/* Registers a key for remote_redact() (shorter than 4 bytes: not). */
void	remote_key_add(const char *key);
/* Drops one registration of key. */
void	remote_key_del(const char *key);

#endif /* WEBNAV_REMOTE_H */
