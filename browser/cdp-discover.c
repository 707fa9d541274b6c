/*
 * cdp-discover.c: finding a browser's websocket URL.
 *
 * A ws:// or wss:// endpoint is used as given.  For http://host:port the
 * browser is asked for /json/version with libcurl; the body is capped at
 * 64 KiB (the write callback refuses more) and its webSocketDebuggerUrl is
 * the answer.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <cjson/cJSON.h>

#include "buf.h"
#include "err.h"
#include "log.h"
#include "xmalloc.h"

#include "cdp.h"
#include "private.h"

#define DISCOVER_BODY_MAX	(64 * 1024)
#define DISCOVER_URL_MAX	2048
#define DISCOVER_DEFAULT_MS	10000

struct discover_body {
	struct buf	 b;
	int		 toobig;
};

static pthread_once_t discover_once = PTHREAD_ONCE_INIT;
static int discover_curl_ok;

/* Initialises libcurl once per process. */
static void
discover_init(void)
{
	discover_curl_ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

/* Appends reply data; refuses (aborting the transfer) past the cap. */
static size_t
discover_write(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct discover_body *body = arg;
	size_t n = size * nmemb;

	if (buf_add(&body->b, ptr, n) != 0) {
		body->toobig = 1;
		return 0;
	}
	return n;
}

/* True if s starts with prefix, ignoring case. */
static int
discover_prefix(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* Resolves an endpoint to a browser websocket URL. */
int
cdp_discover(const char *endpoint, int timeout_ms, char **wsurlp,
    char **causep)
{
	struct discover_body body;
	CURL *curl = NULL;
	CURLcode cr;
	cJSON *root = NULL, *ws;
	char errbuf[CURL_ERROR_SIZE], *url = NULL;
	const char *why;
	size_t n;
	long status = 0, oserr = 0;
	int r = ERR_INTERNAL;

	*wsurlp = NULL;
	if (causep != NULL)
		*causep = NULL;
	buf_init(&body.b, DISCOVER_BODY_MAX);
	body.toobig = 0;
	if (endpoint == NULL || *endpoint == '\0' ||
	    strlen(endpoint) > DISCOVER_URL_MAX) {
		if (causep != NULL)
			*causep = xstrdup("browser endpoint missing or too "
			    "long");
		r = ERR_INVALID;
		goto out;
	}
	if (discover_prefix(endpoint, "ws://") ||
	    discover_prefix(endpoint, "wss://")) {
		*wsurlp = xstrdup(endpoint);
		r = 0;
		goto out;
	}
	if (!discover_prefix(endpoint, "http://") &&
	    !discover_prefix(endpoint, "https://")) {
		if (causep != NULL)
			*causep = xasprintf("browser endpoint must be ws://, "
			    "wss:// or http://host:port: %s", endpoint);
		r = ERR_INVALID;
		goto out;
	}
	n = strlen(endpoint);
	while (n > 0 && endpoint[n - 1] == '/')
		n--;
	if (n >= 13 && strncmp(endpoint + n - 13, "/json/version", 13) == 0)
		url = xstrndup(endpoint, n);
	else
		url = xasprintf("%.*s/json/version", (int)n, endpoint);
	if (timeout_ms <= 0)
		timeout_ms = DISCOVER_DEFAULT_MS;

	pthread_once(&discover_once, discover_init);
	if (!discover_curl_ok || (curl = curl_easy_init()) == NULL) {
		if (causep != NULL)
			*causep = xstrdup("cannot initialise libcurl");
		r = ERR_NOMEM;
		goto out;
	}
	errbuf[0] = '\0';
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, (long)timeout_ms);
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discover_write);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "webnav/" PACKAGE_VERSION);

	cr = curl_easy_perform(curl);
	if (cr != CURLE_OK) {
		if (body.toobig) {
			if (causep != NULL)
				*causep = xasprintf("reply from %s is over "
				    "%d bytes", url, DISCOVER_BODY_MAX);
			r = ERR_TOOBIG;
			goto out;
		}
		curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &oserr);
		if (cr == CURLE_COULDNT_CONNECT && oserr != 0)
			why = strerror((int)oserr);
		else if (errbuf[0] != '\0')
			why = errbuf;
		else
			why = curl_easy_strerror(cr);
		if (causep != NULL)
			*causep = xasprintf("cannot reach %.*s: %s", (int)n,
			    endpoint, why);
		r = cr == CURLE_OPERATION_TIMEDOUT ? ERR_TIMEOUT : ERR_CONNECT;
		goto out;
	}
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	if (status != 200) {
		if (causep != NULL)
			*causep = xasprintf("%s answered HTTP %ld (is it a "
			    "DevTools endpoint?)", url, status);
		r = ERR_PROTOCOL;
		goto out;
	}
	root = cJSON_ParseWithLength(body.b.data != NULL ? body.b.data : "",
	    body.b.len);
	ws = cJSON_GetObjectItemCaseSensitive(root, "webSocketDebuggerUrl");
	if (!cJSON_IsString(ws) || (!discover_prefix(ws->valuestring,
	    "ws://") && !discover_prefix(ws->valuestring, "wss://"))) {
		if (causep != NULL)
			*causep = xasprintf("no webSocketDebuggerUrl in "
			    "/json/version reply from %.*s", (int)n, endpoint);
		r = ERR_PROTOCOL;
		goto out;
	}
	*wsurlp = xstrdup(ws->valuestring);
	log_debug("cdp: %s -> %s", endpoint, *wsurlp);
	r = 0;
out:
	if (curl != NULL)
		curl_easy_cleanup(curl);
	cJSON_Delete(root);
	buf_free(&body.b);
	free(url);
	return r;
}
