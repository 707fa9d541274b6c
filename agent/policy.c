/*
 * policy.c: the table of policies and the calls every policy shares.
 *
 * A policy is a name, its ops and a constructor; policy_new() looks the
 * name up here.  Adding a policy ("ranker", "remote") means one more row.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "xmalloc.h"
#include "buf.h"
#include "action.h"
#include "policy.h"

struct policy_entry {
	const char		*name;
	const struct policy_ops	*ops;
	int			(*create)(const struct policy_params *,
				    void **, char **);
	int			 pixels;	/* reads obs->png: 1, 0, or
						   PIXELS_FALLBACK */
};

/* The policy reads the screenshot if its fallback policy does. */
#define PIXELS_FALLBACK	2

static const struct policy_entry policy_table[] = {
	{ "ranker", &policy_ranker_ops, policy_ranker_new, 0 },
	{ "lexical", &policy_lexical_ops, policy_lexical_new, 0 },
	{ "replay", &policy_replay_ops, policy_replay_new, PIXELS_FALLBACK },
	{ "remote", &policy_remote_ops, policy_remote_new, 1 },
};
#define POLICY_NTABLE (sizeof(policy_table) / sizeof(policy_table[0]))

struct policy {
	const struct policy_entry	*entry;
	void				*self;
	int				 pixels;
};

/* Fills p with the defaults: no recorded run, "lexical" as fallback. */
void
policy_default_params(struct policy_params *p)
{
	memset(p, 0, sizeof(*p));
	p->replay_dir = NULL;
	p->fallback = "lexical";
}

/* The known policy names, "a, b, c" (allocated). */
static char *
policy_known_names(void)
{
	struct buf b;
	size_t i;

	buf_init(&b, 1024);
	for (i = 0; i < POLICY_NTABLE; i++) {
		if (i > 0)
			(void)buf_puts(&b, ", ");
		(void)buf_puts(&b, policy_table[i].name);
	}
	if (b.data == NULL)
		return xstrdup("");
	return buf_steal(&b, NULL);
}

/* Looks name up and constructs that policy. */
int
policy_new(const char *name, const struct policy_params *p,
    struct policy **polp, char **causep)
{
	struct policy_params defaults;
	const struct policy_entry *e = NULL;
	struct policy *pol = NULL;
	char *cause = NULL, *names;
	void *self = NULL;
	size_t i;
	int r = ERR_INTERNAL;

	*polp = NULL;
	if (causep != NULL)
		*causep = NULL;
	if (p == NULL) {
		policy_default_params(&defaults);
		p = &defaults;
	}
	for (i = 0; name != NULL && i < POLICY_NTABLE; i++)
		if (strcmp(policy_table[i].name, name) == 0) {
			e = &policy_table[i];
			break;
		}
	if (e == NULL) {
		names = policy_known_names();
		cause = xasprintf("unknown policy \"%s\" (known: %s)",
		    name != NULL ? name : "", names);
		free(names);
		r = ERR_NOTFOUND;
		goto out;
	}
	if ((r = e->create(p, &self, &cause)) != 0)
		goto out;
	pol = xcalloc(1, sizeof(*pol));
	pol->entry = e;
	pol->self = self;
	pol->pixels = e->pixels == 1;
	if (e->pixels == PIXELS_FALLBACK) {
		const char *fb = p->fallback != NULL && p->fallback[0] !=
		    '\0' ? p->fallback : "lexical";

		for (i = 0; i < POLICY_NTABLE; i++)
			if (strcmp(policy_table[i].name, fb) == 0)
				pol->pixels = policy_table[i].pixels == 1;
	}
	*polp = pol;
	r = 0;
out:
	if (causep != NULL)
		*causep = cause;
	else
		free(cause);
	return r;
}

/* The table name of pol. */
const char *
policy_name(const struct policy *pol)
{
	return pol->entry->name;
}

/* Whether pol reads the screenshot (the table's pixels column). */
int
policy_needs_pixels(const struct policy *pol)
{
	return pol != NULL && pol->pixels;
}

/* Runs the policy's decide on a fresh d; on failure d is left empty. */
int
policy_decide(struct policy *pol, const struct policy_ctx *ctx,
    struct policy_decision *d, char **causep)
{
	char *cause = NULL;
	int r;

	memset(d, 0, sizeof(*d));
	if (causep != NULL)
		*causep = NULL;
	r = pol->entry->ops->decide(pol->self, ctx, d, &cause);
	if (r != 0) {
		policy_decision_clear(d);
		if (cause == NULL)
			cause = xasprintf("%s: %s", pol->entry->name,
			    err_str(r));
	} else if (d->act.op == ACT_NONE) {
		/* A policy must always answer with some action. */
		policy_decision_clear(d);
		free(cause);
		cause = xasprintf("%s: no action chosen", pol->entry->name);
		r = ERR_INTERNAL;
	}
	if (causep != NULL && r != 0)
		*causep = cause;
	else
		free(cause);
	return r;
}

/* Frees the actions held by d and empties it. */
void
policy_decision_clear(struct policy_decision *d)
{
	size_t i;

	if (d == NULL)
		return;
	action_clear(&d->act);
	for (i = 0; i < d->ntop && i < POLICY_TOP; i++)
		action_clear(&d->top[i].act);
	cJSON_Delete(d->info);
	memset(d, 0, sizeof(*d));
}

/* Frees pol and its policy state; NULL is a no-op. */
void
policy_free(struct policy *pol)
{
	if (pol == NULL)
		return;
	if (pol->self != NULL)
		pol->entry->ops->free(pol->self);
	free(pol);
}
