/*
 * cdp-dom.c: DOM helpers that input events cannot do (file upload).
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "log.h"
#include "private.h"
#include "xmalloc.h"

/* Cap on files set on one input. */
#define DOM_MAX_FILES	64

/*
 * Evaluates elem_expr in a session and context to a remote object;
 * *objp is its objectId (allocated).
 */
static int
dom_object(struct cdp_page *page, const char *sid, int ctx,
    const char *elem_expr, char **objp)
{
	cJSON *p = NULL, *res = NULL;
	const cJSON *ed, *ro, *id;
	int r = ERR_INTERNAL;

	*objp = NULL;
	if ((p = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(p, "expression", elem_expr) == NULL ||
	    cJSON_AddFalseToObject(p, "returnByValue") == NULL ||
	    cJSON_AddTrueToObject(p, "awaitPromise") == NULL ||
	    (ctx != 0 && cJSON_AddNumberToObject(p, "contextId", ctx) ==
	    NULL)) {
		r = ERR_NOMEM;
		goto out;
	}
	r = cdp_call(page->conn, sid, "Runtime.evaluate", p, 0, &res);
	p = NULL;
	if (r != 0)
		goto out;
	if ((ed = cJSON_GetObjectItemCaseSensitive(res,
	    "exceptionDetails")) != NULL) {
		cdp_set_exception(page->conn, ed);
		r = ERR_CDP;
		goto out;
	}
	ro = cJSON_GetObjectItemCaseSensitive(res, "result");
	id = cJSON_GetObjectItemCaseSensitive(ro, "objectId");
	if (!cJSON_IsString(id) || !cJSON_IsString(
	    cJSON_GetObjectItemCaseSensitive(ro, "subtype")) ||
	    strcmp(cJSON_GetObjectItemCaseSensitive(ro, "subtype")->valuestring,
	    "node") != 0) {
		cdp_conn_set_error(page->conn, "%s is not an element",
		    elem_expr);
		r = ERR_NOTFOUND;
		goto out;
	}
	*objp = xstrdup(id->valuestring);
	r = 0;
out:
	cJSON_Delete(p);
	cJSON_Delete(res);
	return r;
}

/* Sets the files of an <input type=file>. */
int
cdp_dom_set_files(struct cdp_page *page, const struct cdp_frame *f,
    const char *elem_expr, const char *const *paths, size_t npaths)
{
	cJSON *p = NULL, *files = NULL, *rel;
	char *sid = NULL, *obj = NULL, *abs;
	size_t i;
	int r = ERR_INTERNAL, ctx = 0;

	if (elem_expr == NULL || (paths == NULL && npaths > 0) ||
	    npaths > DOM_MAX_FILES) {
		cdp_conn_set_error(page->conn, "invalid file list");
		return ERR_INVALID;
	}
	if ((files = cJSON_CreateArray()) == NULL)
		return ERR_NOMEM;
	/* The browser reads the files itself: give it absolute paths. */
	for (i = 0; i < npaths; i++) {
		if ((abs = realpath(paths[i], NULL)) == NULL) {
			cdp_conn_set_error(page->conn, "%s: %s", paths[i],
			    strerror(errno));
			r = ERR_NOTFOUND;
			goto out;
		}
		if (!cJSON_AddItemToArray(files, cJSON_CreateString(abs))) {
			free(abs);
			r = ERR_NOMEM;
			goto out;
		}
		free(abs);
	}
	if ((r = cdp_frame_target(page, f, &sid, &ctx)) != 0)
		goto out;
	if ((r = dom_object(page, sid, ctx, elem_expr, &obj)) != 0)
		goto out;
	if ((p = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(p, "objectId", obj) == NULL ||
	    !cJSON_AddItemToObject(p, "files", files)) {
		r = ERR_NOMEM;
		goto out;
	}
	files = NULL;
	r = cdp_call(page->conn, sid, "DOM.setFileInputFiles", p, 0, NULL);
	p = NULL;
	if ((rel = cJSON_CreateObject()) != NULL &&
	    cJSON_AddStringToObject(rel, "objectId", obj) != NULL)
		cdp_send(page->conn, sid, "Runtime.releaseObject", rel);
	else
		cJSON_Delete(rel);
out:
	cJSON_Delete(p);
	cJSON_Delete(files);
	free(sid);
	free(obj);
	return r;
}
