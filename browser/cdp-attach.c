/*
 * cdp-attach.c: new tabs caught before their first request.
 *
 * Browser-level auto-attach, shared by the pages of one connection, and
 * the process-wide claims that tell whose a new page is.  Why and how:
 * private.h, "New tabs caught before their first request".  The router
 * runs inside event dispatch: it only queues calls (cdp_send).
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "log.h"
#include "private.h"
#include "xmalloc.h"

/* Deadline of switching auto-attach on and off. */
#define ATTACH_CALL_MS	10000

/* A connection's pages and its auto-attach state. */
struct cdp_attach {
	struct cdp_conn	*conn;
	int		 listen;	/* cdp_conn_listen() handle */
	int		 enabling;	/* inside the setAutoAttach call */
	struct cdp_page	*pages[CDP_MAX_PAGES];
	size_t		 npages;
};

/* A claimed id and how many times it is claimed. */
struct claim {
	char		*id;
	int		 n;
};

static pthread_mutex_t claims_mtx = PTHREAD_MUTEX_INITIALIZER;
static struct claim *claims;	/* CDP_MAX_CLAIMS entries once used */
static size_t nclaims;

/* A string member of o, or NULL. */
static const char *
jstr(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Returns 1 if a and b are both set and equal. */
static int
same(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* Index of id in the claims, or -1.  Called with claims_mtx held. */
static long
claim_find(const char *id)
{
	size_t i;

	for (i = 0; i < nclaims; i++)
		if (strcmp(claims[i].id, id) == 0)
			return (long)i;
	return -1;
}

/* Claims an id for this process. */
void
cdp_claim(const char *id)
{
	long i;

	if (id == NULL)
		return;
	pthread_mutex_lock(&claims_mtx);
	if ((i = claim_find(id)) >= 0)
		claims[i].n++;
	else if (nclaims == CDP_MAX_CLAIMS)
		log_warnx("cdp: more than %d tabs and contexts claimed; %s "
		    "may be resumed by another connection", CDP_MAX_CLAIMS,
		    id);
	else {
		if (claims == NULL)
			claims = xreallocarray(NULL, CDP_MAX_CLAIMS,
			    sizeof(*claims));
		claims[nclaims].id = xstrdup(id);
		claims[nclaims].n = 1;
		nclaims++;
	}
	pthread_mutex_unlock(&claims_mtx);
}

/* Gives up one claim of an id. */
void
cdp_unclaim(const char *id)
{
	long i;

	if (id == NULL)
		return;
	pthread_mutex_lock(&claims_mtx);
	if ((i = claim_find(id)) >= 0 && --claims[i].n == 0) {
		free(claims[i].id);
		claims[i] = claims[--nclaims];
	}
	pthread_mutex_unlock(&claims_mtx);
}

/* 1 if a or b is claimed. */
int
cdp_claimed(const char *a, const char *b)
{
	int r;

	pthread_mutex_lock(&claims_mtx);
	r = (a != NULL && claim_find(a) >= 0) ||
	    (b != NULL && claim_find(b) >= 0);
	pthread_mutex_unlock(&claims_mtx);
	return r;
}

/* Lets go of session sid: resumes it first if resume is set. */
static void
attach_release(struct cdp_attach *a, const char *sid, int resume)
{
	cJSON *p;

	if (resume)
		cdp_send(a->conn, sid, "Runtime.runIfWaitingForDebugger", NULL);
	if ((p = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(p, "sessionId", sid) == NULL) {
		cJSON_Delete(p);
		return;
	}
	cdp_send(a->conn, NULL, "Target.detachFromTarget", p);
}

/*
 * The page of this connection that owns a new page target: the one whose
 * tab opened it, else the one whose own browser context it is in.
 */
static struct cdp_page *
attach_owner(struct cdp_attach *a, const char *ctx, const char *opener)
{
	size_t i;

	for (i = 0; opener != NULL && i < a->npages; i++)
		if (cdp_tab_find(a->pages[i], opener) != NULL)
			return a->pages[i];
	for (i = 0; ctx != NULL && i < a->npages; i++)
		if (same(a->pages[i]->context, ctx))
			return a->pages[i];
	return NULL;
}

/* Browser-level Target.attachedToTarget: route the new target. */
static void
attach_on_event(void *arg, const char *session, const char *method,
    const cJSON *params)
{
	struct cdp_attach *a = arg;
	struct cdp_page *owner;
	const cJSON *ti;
	const char *sid, *ctx, *opener;
	int waiting, shared;

	if (session != NULL || strcmp(method, "Target.attachedToTarget") != 0)
		return;
	ti = cJSON_GetObjectItemCaseSensitive(params, "targetInfo");
	if ((sid = jstr(params, "sessionId")) == NULL ||
	    jstr(ti, "targetId") == NULL)
		return;
	waiting = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(params,
	    "waitingForDebugger"));
	if (!waiting) {
		/* Pages that were there before auto-attach went on. */
		if (a->enabling)
			attach_release(a, sid, 0);
		return;
	}
	ctx = jstr(ti, "browserContextId");
	opener = jstr(ti, "openerId");
	if (same(jstr(ti, "type"), "page") &&
	    (owner = attach_owner(a, ctx, opener)) != NULL) {
		if (cdp_tab_adopt(owner, sid, ti) != 0)
			attach_release(a, sid, 1);
		return;
	}
	/*
	 * Another connection's: a popup that shares its opener's renderer
	 * would start on our resume; any other target waits for its owner
	 * whatever we do, but for us too until we resume it.
	 */
	if (cdp_claimed(ctx, opener)) {
		shared = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ti,
		    "canAccessOpener"));
		log_debug("cdp: new target %s belongs to another connection%s",
		    jstr(ti, "targetId"), shared ? " (not resumed)" : "");
		attach_release(a, sid, !shared);
	} else
		attach_release(a, sid, 1);
}

/* Frees a connection's state. */
void
cdp_attach_free(struct cdp_attach *a)
{
	free(a);
}

/* Switches auto-attach on or off for the whole browser. */
static int
attach_switch(struct cdp_attach *a, int on)
{
	cJSON *p, *filter, *f;
	int r;

	if ((p = cJSON_CreateObject()) == NULL ||
	    cJSON_AddBoolToObject(p, "autoAttach", on) == NULL ||
	    cJSON_AddBoolToObject(p, "waitForDebuggerOnStart", on) == NULL ||
	    cJSON_AddTrueToObject(p, "flatten") == NULL) {
		cJSON_Delete(p);
		return ERR_NOMEM;
	}
	if (on && ((filter = cJSON_AddArrayToObject(p, "filter")) == NULL ||
	    (f = cJSON_CreateObject()) == NULL ||
	    !cJSON_AddItemToArray(filter, f) ||
	    cJSON_AddStringToObject(f, "type", "page") == NULL)) {
		cJSON_Delete(p);
		return ERR_NOMEM;
	}
	a->enabling = on;
	r = cdp_call(a->conn, NULL, "Target.setAutoAttach", p, ATTACH_CALL_MS,
	    NULL);
	a->enabling = 0;
	return r;
}

/* Registers a page; the first one switches auto-attach on. */
int
cdp_attach_add(struct cdp_page *page)
{
	struct cdp_attach *a;
	int r;

	if ((a = cdp_conn_attach(page->conn)) != NULL) {
		if (a->npages == CDP_MAX_PAGES) {
			cdp_conn_set_error(page->conn, "more than %d pages on "
			    "one connection", CDP_MAX_PAGES);
			return ERR_TOOBIG;
		}
		a->pages[a->npages++] = page;
		page->attached = 1;
		return 0;
	}
	a = xcalloc(1, sizeof(*a));
	a->conn = page->conn;
	a->listen = cdp_conn_listen(a->conn, attach_on_event, a);
	cdp_conn_set_attach(a->conn, a);
	a->pages[a->npages++] = page;
	page->attached = 1;
	if ((r = attach_switch(a, 1)) != 0) {
		/* No switching off: keep the reason in the conn error. */
		page->attached = 0;
		cdp_conn_unlisten(a->conn, a->listen);
		cdp_conn_set_attach(a->conn, NULL);
		cdp_attach_free(a);
		return r;
	}
	return 0;
}

/* Unregisters a page; after the last one, auto-attach goes off. */
void
cdp_attach_remove(struct cdp_page *page)
{
	struct cdp_attach *a = cdp_conn_attach(page->conn);
	size_t i;
	int r;

	if (a == NULL || !page->attached)
		return;
	page->attached = 0;
	for (i = 0; i < a->npages; i++) {
		if (a->pages[i] == page) {
			memmove(&a->pages[i], &a->pages[i + 1],
			    (a->npages - i - 1) * sizeof(a->pages[0]));
			a->npages--;
			break;
		}
	}
	if (a->npages > 0)
		return;
	/*
	 * Still listening meanwhile: pages created before the switch
	 * takes effect are let go like any other.  Switching off detaches
	 * the sessions auto-attach made.
	 */
	if (cdp_conn_alive(a->conn) && (r = attach_switch(a, 0)) != 0)
		log_debug("cdp: switching auto-attach off: %s", err_str(r));
	cdp_conn_unlisten(a->conn, a->listen);
	cdp_conn_set_attach(a->conn, NULL);
	cdp_attach_free(a);
}
