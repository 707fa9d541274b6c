/*
 * policy-replay.c: "replay", reruns a recorded run directory.
 *
 * The recorded steps (steps.jsonl through traj_load_steps()) are replayed
 * in order, one per decision.  Actions without a mark (PRESS, SCROLL,
 * BACK, NAVIGATE, WAIT, DONE) replay as they are.  An action on a mark
 * re-finds the recorded element on today's page with a scored match over
 * what identifies it: text (3; not for text fields and selects, whose
 * text is their value), role (1), tag (0.5), input type (0.5),
 * label (1), and the attributes id (1), name, aria-label (0.7 each),
 * placeholder, href (0.5 each), title, alt (0.3 each); a mark's score is
 * the fraction of the recorded evidence it matches.  Position (the
 * distance between the boxes' centres in document coordinates) only
 * breaks ties, so a moved or restyled element still matches, unless the
 * recorded element had too little else to go by (under 1.5 of evidence):
 * then nearness is required.  A mark must also take the operation (TYPE
 * an editable field, SELECT a select having the option).
 *
 * When no mark reaches RP_MIN and the page extends below the viewport,
 * replay first scrolls down (up to RP_DETOURS times, keeping the recorded
 * step), since marks are only taken from the viewport.  When no mark
 * reaches RP_MIN after that, or a recorded value was redacted
 * ("********") and the task does not have exactly one secret variable to
 * take it from, the fallback policy (params->fallback, default "lexical")
 * decides that step.  Its decision is returned as is, except that the
 * last entry of top is then the rejected replay match (its action on the
 * best mark found, with its below-threshold score), so the trajectory
 * shows why the replay let go.
 *
 * In steps mode the cursor follows the instruction index: recorded steps
 * of earlier instructions are skipped, and DONE is returned (without
 * consuming anything) while the recording is already at a later one.
 * When the recorded steps run out, DONE.
 */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "err.h"
#include "log.h"
#include "xmalloc.h"
#include "action.h"
#include "observe.h"
#include "policy.h"
#include "task.h"
#include "traj.h"

#define RP_MIN		0.6	/* least fraction of the evidence */
#define RP_THIN		1.5	/* under it, position must agree */
#define RP_WORDS	32	/* words compared per string */
#define RP_WORD_MAX	32
#define RP_STEPS_MAX	100000
#define RP_DETOURS	3	/* scrolls down looking for a target */
#define RP_SECRET	"********"

struct rp_step {
	int		 n;		/* recorded step number */
	int		 instr;
	struct action	 act;
	const cJSON	*target;	/* recorded mark, or NULL */
	double		 sx, sy;	/* recorded scroll offsets */
};

struct rp {
	cJSON		*json;		/* the loaded steps */
	struct rp_step	*st;
	size_t		 nst;
	size_t		 cur;
	int		 detours;	/* scrolls looking for this step */
	struct policy	*fallback;
	char		*dir;
};

struct rp_cand {
	int	 mark;		/* index into obs->marks */
	double	 score;		/* fraction of the evidence */
	double	 near;		/* 1 at the recorded place */
};

/* A string member of o, or "" if absent. */
static const char *
rp_str(const cJSON *o, const char *k)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(it) && it->valuestring != NULL ?
	    it->valuestring : "";
}

/* A number member of o, or def. */
static double
rp_num(const cJSON *o, const char *k, double def)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsNumber(it) ? it->valuedouble : def;
}

/*
 * Compares a and b ignoring case, surrounding blanks and runs of blanks.
 * Empty strings are never equal.
 */
static int
rp_norm_eq(const char *a, const char *b)
{
	while (isspace((unsigned char)*a))
		a++;
	while (isspace((unsigned char)*b))
		b++;
	if (*a == '\0' || *b == '\0')
		return 0;
	for (;;) {
		if (isspace((unsigned char)*a) && isspace((unsigned char)*b)) {
			while (isspace((unsigned char)*a))
				a++;
			while (isspace((unsigned char)*b))
				b++;
		}
		if (*a == '\0' || *b == '\0') {
			while (isspace((unsigned char)*a))
				a++;
			while (isspace((unsigned char)*b))
				b++;
			return *a == *b;
		}
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
		a++;
		b++;
	}
}

struct rp_words {
	char	w[RP_WORDS][RP_WORD_MAX + 1];
	int	n;
};

/* Splits s into lower-case alphanumeric words (bytes >= 0x80 kept). */
static void
rp_split(const char *s, struct rp_words *ws)
{
	size_t n;
	int i, dup;

	ws->n = 0;
	while (*s != '\0' && ws->n < RP_WORDS) {
		while (*s != '\0' && !isalnum((unsigned char)*s) &&
		    (unsigned char)*s < 0x80)
			s++;
		n = 0;
		while (*s != '\0' && (isalnum((unsigned char)*s) ||
		    (unsigned char)*s >= 0x80)) {
			if (n < RP_WORD_MAX)
				ws->w[ws->n][n++] = (char)tolower(
				    (unsigned char)*s);
			s++;
		}
		if (n == 0)
			continue;
		ws->w[ws->n][n] = '\0';
		for (i = 0, dup = 0; i < ws->n; i++)
			if (strcmp(ws->w[i], ws->w[ws->n]) == 0)
				dup = 1;
		if (!dup)
			ws->n++;
	}
}

/* Dice coefficient of the word sets of a and b. */
static double
rp_dice(const char *a, const char *b)
{
	struct rp_words wa, wb;
	int i, j, common = 0;

	rp_split(a, &wa);
	rp_split(b, &wb);
	if (wa.n == 0 || wb.n == 0)
		return 0;
	for (i = 0; i < wa.n; i++)
		for (j = 0; j < wb.n; j++)
			if (strcmp(wa.w[i], wb.w[j]) == 0) {
				common++;
				break;
			}
	return 2.0 * common / (wa.n + wb.n);
}

/* A string attribute of mark m, or "". */
static const char *
rp_mattr(const struct mark *m, const char *k)
{
	return m->attrs != NULL ? rp_str(m->attrs, k) : "";
}

/* NULL-safe string for a mark's field. */
static const char *
rp_s(const char *s)
{
	return s != NULL ? s : "";
}

/* 1 if select mark m has an option equal to value. */
static int
rp_has_option(const struct mark *m, const char *value)
{
	size_t i;

	for (i = 0; i < m->noptions; i++)
		if (rp_norm_eq(m->options[i], value))
			return 1;
	return 0;
}

/*
 * How well mark m matches the recorded target t: the fraction of the
 * recorded evidence it matches, and how near it is to where t was.
 */
static void
rp_match(const struct rp_step *s, const struct obs *o, const struct mark *m,
    struct rp_cand *cd)
{
	static const struct {
		const char	*k;
		double		 w;
	} attrs[] = {
		{ "id", 1.0 }, { "name", 0.7 }, { "aria-label", 0.7 },
		{ "placeholder", 0.5 }, { "href", 0.5 }, { "title", 0.3 },
		{ "alt", 0.3 }
	};
	const cJSON *t = s->target, *ta, *box;
	const char *rs, *ms;
	double got = 0, max = 0, d, rx, ry, mx, my, x;
	size_t i;

	/* A field's text is its value: state, not what identifies it. */
	rs = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(t, "editable")) ||
	    strcmp(rp_str(t, "tag"), "select") == 0 ? "" : rp_str(t, "text");
	if (*rs != '\0') {
		max += 3;
		if (rp_norm_eq(rs, rp_s(m->text)))
			got += 3;
		else {
			x = rp_dice(rs, rp_s(m->text));
			got += 3 * x * x;
		}
	}
	rs = rp_str(t, "role");
	if (*rs != '\0') {
		max += 1;
		got += strcmp(rs, rp_s(m->role)) == 0;
	}
	rs = rp_str(t, "tag");
	if (*rs != '\0') {
		max += 0.5;
		got += strcmp(rs, rp_s(m->tag)) == 0 ? 0.5 : 0;
	}
	rs = rp_str(t, "type");
	if (*rs != '\0') {
		max += 0.5;
		got += strcmp(rs, rp_s(m->type)) == 0 ? 0.5 : 0;
	}
	rs = rp_str(t, "label");
	if (*rs != '\0') {
		max += 1;
		if (rp_norm_eq(rs, rp_s(m->label)))
			got += 1;
		else {
			x = rp_dice(rs, rp_s(m->label));
			got += x * x;
		}
	}
	ta = cJSON_GetObjectItemCaseSensitive(t, "attrs");
	for (i = 0; cJSON_IsObject(ta) && i < sizeof(attrs) / sizeof(attrs[0]);
	    i++) {
		rs = rp_str(ta, attrs[i].k);
		if (*rs == '\0')
			continue;
		max += attrs[i].w;
		ms = rp_mattr(m, attrs[i].k);
		if (strcmp(rs, ms) == 0)
			got += attrs[i].w;
	}
	cd->score = max > 0 ? got / max : 0;

	/* The operation must fit the element. */
	switch (s->act.op) {
	case ACT_TYPE:
		if (!m->editable)
			cd->score *= 0.3;
		break;
	case ACT_SELECT:
		if (m->noptions == 0)
			cd->score *= 0.3;
		else if (s->act.value != NULL &&
		    !rp_has_option(m, s->act.value))
			cd->score *= 0.5;
		break;
	default:
		break;
	}

	/* Nearness in document coordinates. */
	cd->near = 0;
	box = cJSON_GetObjectItemCaseSensitive(t, "box");
	if (cJSON_IsObject(box)) {
		rx = rp_num(box, "x", 0) + rp_num(box, "w", 0) / 2 + s->sx;
		ry = rp_num(box, "y", 0) + rp_num(box, "h", 0) / 2 + s->sy;
		mx = m->x + m->w / 2 + o->scroll_x;
		my = m->y + m->h / 2 + o->scroll_y;
		d = hypot(rx - mx, ry - my);
		cd->near = 1 / (1 + d / 200);
	}
	if (max < RP_THIN)
		cd->score *= cd->near;
}

/* Ranks candidates: score, then nearness, then reading order. */
static int
rp_cand_cmp(const void *a, const void *b)
{
	const struct rp_cand *x = a, *y = b;

	if (x->score > y->score)
		return -1;
	if (x->score < y->score)
		return 1;
	if (x->near > y->near)
		return -1;
	if (x->near < y->near)
		return 1;
	return x->mark < y->mark ? -1 : x->mark > y->mark;
}

/* The recorded action s->act redone on mark id (value as given). */
static void
rp_action_on(const struct rp_step *s, int id, const char *value,
    struct action *a)
{
	memset(a, 0, sizeof(*a));
	a->op = s->act.op;
	a->mark = id;
	a->value = value != NULL ? xstrdup(value) : NULL;
	a->submit = s->act.submit;
}

/*
 * The value to type for a recorded value: itself, or for a redacted one
 * the task's only secret.  NULL if it cannot be known.
 */
static const char *
rp_value(const struct policy_ctx *ctx, const char *v)
{
	const struct task *t = ctx->task;
	const char *secret = NULL;
	size_t i;
	int n = 0;

	if (v == NULL || strstr(v, RP_SECRET) == NULL)
		return v;
	if (strcmp(v, RP_SECRET) != 0 || t == NULL)
		return NULL;
	for (i = 0; i < t->nvars; i++)
		if (t->vars[i].secret) {
			secret = t->vars[i].value;
			n++;
		}
	return n == 1 ? secret : NULL;
}

/* Lets the fallback policy decide, noting the rejected replay match. */
static int
rp_fall_back(struct rp *rp, const struct policy_ctx *ctx,
    const struct rp_step *s, const struct rp_cand *best,
    struct policy_decision *d, char **causep, const char *why)
{
	struct policy_decision fd;
	size_t last;
	int r;

	log_info("replay: step %d (recorded %d): %s; %s decides",
	    ctx->step + 1, s->n, why, policy_name(rp->fallback));
	if ((r = policy_decide(rp->fallback, ctx, &fd, causep)) != 0)
		return r;
	*d = fd;
	if (best == NULL || ctx->obs == NULL)
		return 0;
	if (d->ntop < POLICY_TOP)
		last = d->ntop++;
	else {
		last = POLICY_TOP - 1;
		action_clear(&d->top[last].act);
	}
	rp_action_on(s, ctx->obs->marks[best->mark].id, s->act.value,
	    &d->top[last].act);
	d->top[last].score = best->score;
	return 0;
}

/* Replays the next recorded step. */
static int
rp_decide(void *self, const struct policy_ctx *ctx, struct policy_decision *d,
    char **causep)
{
	struct rp *rp = self;
	const struct obs *o = ctx->obs;
	const struct rp_step *s;
	struct rp_cand *cand = NULL;
	const char *value;
	size_t i, n = 0;
	int r = ERR_INTERNAL;

	while (rp->cur < rp->nst && rp->st[rp->cur].instr < ctx->instr_index)
		rp->cur++;
	if (rp->cur >= rp->nst || rp->st[rp->cur].instr > ctx->instr_index) {
		/* Nothing (more) recorded for this instruction. */
		d->act.op = ACT_DONE;
		d->score = 1;
		d->top[0].act.op = ACT_DONE;
		d->top[0].score = 1;
		d->ntop = 1;
		return 0;
	}
	s = &rp->st[rp->cur];
	switch (s->act.op) {
	case ACT_CLICK:
	case ACT_TYPE:
	case ACT_SELECT:
	case ACT_HOVER:
		break;
	default:
		rp->cur++;
		rp->detours = 0;
		action_copy(&d->act, &s->act);
		action_copy(&d->top[0].act, &s->act);
		d->score = d->top[0].score = 1;
		d->ntop = 1;
		return 0;
	}
	if (o != NULL && o->nmarks > 0 && s->target != NULL) {
		cand = xcalloc(o->nmarks, sizeof(*cand));
		for (i = 0; i < o->nmarks; i++) {
			cand[n].mark = (int)i;
			rp_match(s, o, &o->marks[i], &cand[n]);
			n++;
		}
		qsort(cand, n, sizeof(*cand), rp_cand_cmp);
	}
	if ((n == 0 || cand[0].score < RP_MIN) && s->target != NULL &&
	    o != NULL && o->page_h > o->scroll_y + o->vh + 1 &&
	    rp->detours < RP_DETOURS) {
		/* Perhaps further down today: look there first, keeping the
		   recorded step for the next decision. */
		rp->detours++;
		d->act.op = ACT_SCROLL;
		d->act.dir = 1;
		action_copy(&d->top[0].act, &d->act);
		d->score = d->top[0].score = 0.5;
		d->ntop = 1;
		if (n > 0) {
			rp_action_on(s, o->marks[cand[0].mark].id,
			    s->act.value, &d->top[1].act);
			d->top[1].score = cand[0].score;
			d->ntop = 2;
		}
		r = 0;
		goto out;
	}
	rp->cur++;
	rp->detours = 0;
	if (n == 0 || cand[0].score < RP_MIN) {
		r = rp_fall_back(rp, ctx, s, n > 0 ? &cand[0] : NULL, d, causep,
		    s->target == NULL ? "no recorded target" :
		    "recorded target not found");
		goto out;
	}
	value = rp_value(ctx, s->act.value);
	if (s->act.value != NULL && value == NULL) {
		r = rp_fall_back(rp, ctx, s, NULL, d, causep,
		    "recorded value is redacted");
		goto out;
	}
	for (i = 0; i < n && i < POLICY_TOP && cand[i].score > 0; i++) {
		rp_action_on(s, o->marks[cand[i].mark].id, value,
		    &d->top[i].act);
		d->top[i].score = cand[i].score;
	}
	d->ntop = i;
	action_copy(&d->act, &d->top[0].act);
	d->score = d->top[0].score;
	r = 0;
out:
	free(cand);
	return r;
}

/* Frees the replay state and its fallback. */
static void
rp_free(void *self)
{
	struct rp *rp = self;
	size_t i;

	if (rp == NULL)
		return;
	for (i = 0; i < rp->nst; i++)
		action_clear(&rp->st[i].act);
	free(rp->st);
	cJSON_Delete(rp->json);
	policy_free(rp->fallback);
	free(rp->dir);
	free(rp);
}

const struct policy_ops policy_replay_ops = {
	"replay", rp_decide, rp_free
};

/* Reads the recorded steps of p->replay_dir and creates the fallback. */
int
policy_replay_new(const struct policy_params *p, void **selfp, char **causep)
{
	struct rp *rp = NULL;
	struct rp_step *s;
	const cJSON *j, *a, *t, *vp;
	const char *fb;
	char *cause = NULL, *why = NULL;
	double num;
	size_t n;
	int r = ERR_INTERNAL;

	*selfp = NULL;
	if (causep != NULL)
		*causep = NULL;
	if (p == NULL || p->replay_dir == NULL || p->replay_dir[0] == '\0') {
		cause = xstrdup("replay: no recorded run directory given");
		r = ERR_INVALID;
		goto out;
	}
	fb = p->fallback != NULL && p->fallback[0] != '\0' ? p->fallback :
	    "lexical";
	if (strcmp(fb, "replay") == 0) {
		cause = xstrdup("replay: the fallback cannot be replay");
		r = ERR_INVALID;
		goto out;
	}
	rp = xcalloc(1, sizeof(*rp));
	rp->dir = xstrdup(p->replay_dir);
	if ((r = traj_load_steps(p->replay_dir, &rp->json, &why)) != 0) {
		cause = xasprintf("replay: %s", why != NULL ? why :
		    err_str(r));
		goto out;
	}
	n = (size_t)cJSON_GetArraySize(rp->json);
	if (n > RP_STEPS_MAX) {
		cause = xasprintf("replay: %s: more than %d steps",
		    p->replay_dir, RP_STEPS_MAX);
		r = ERR_TOOBIG;
		goto out;
	}
	rp->st = xcalloc(n > 0 ? n : 1, sizeof(*rp->st));
	cJSON_ArrayForEach(j, rp->json) {
		s = &rp->st[rp->nst];
		num = rp_num(j, "step", (double)rp->nst + 1);
		s->n = num >= 0 && num < RP_STEPS_MAX ? (int)num : 0;
		num = rp_num(j, "instr", 0);
		s->instr = num >= 0 && num < RP_STEPS_MAX ? (int)num : 0;
		a = cJSON_GetObjectItemCaseSensitive(j, "action");
		if (a == NULL || cJSON_IsNull(a))
			continue;	/* failed before deciding */
		if ((r = action_from_json(a, 0, &s->act, &why)) != 0) {
			cause = xasprintf("replay: %s/steps.jsonl: step %d: "
			    "action: %s", p->replay_dir, s->n,
			    why != NULL ? why : err_str(r));
			r = ERR_PARSE;
			goto out;
		}
		rp->nst++;
		t = cJSON_GetObjectItemCaseSensitive(j, "target");
		s->target = cJSON_IsObject(t) ? t : NULL;
		vp = cJSON_GetObjectItemCaseSensitive(j, "viewport");
		s->sx = cJSON_IsObject(vp) ? rp_num(vp, "scroll_x", 0) : 0;
		s->sy = cJSON_IsObject(vp) ? rp_num(vp, "scroll_y", 0) : 0;
	}
	free(why);
	why = NULL;
	if ((r = policy_new(fb, p, &rp->fallback, &why)) != 0) {
		cause = xasprintf("replay: fallback: %s", why != NULL ? why :
		    err_str(r));
		goto out;
	}
	*selfp = rp;
	rp = NULL;
	r = 0;
out:
	free(why);
	rp_free(rp);
	if (causep != NULL)
		*causep = cause;
	else
		free(cause);
	return r;
}
