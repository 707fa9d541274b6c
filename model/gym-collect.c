/*
 * gym-collect.c: episodes on generated pages in Chromium, each step
 * labelled by the oracle (gym.h).
 *
 * Each worker thread has its own DevTools connection and page (one
 * browser context) and takes the next episode from a shared counter.  A
 * step mirrors agent_run(): observe (no screenshot: the ranker reads no
 * pixels), trace the marks against the previous observation, ask the
 * oracle, record the sample, act (the oracle's action, or in DAgger
 * rounds the model's with probability beta), settle.  The history a
 * sample carries is built as agent/loop.c and model/ranker.c build it,
 * so training sees what inference will see.  An episode's samples are
 * written when it ends, under the lock; the trainer sorts them by
 * (episode, step), so scheduling does not change the data it reads.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "action.h"
#include "cdp.h"
#include "err.h"
#include "log.h"
#include "xmalloc.h"
#include "util.h"
#include "observe.h"
#include "features.h"
#include "model.h"
#include "gym.h"

/* Fills p with the defaults. */
void
gym_collect_default_params(struct gym_collect_params *p)
{
	memset(p, 0, sizeof(*p));
	p->episodes = 100;
	p->val_episodes = 0;
	p->seed = 1;
	p->workers = 2;
	p->max_steps = 30;
	p->beta = 0.5;
	p->only = -1;
}

struct shared {
	const struct gym_collect_params *p;
	pthread_mutex_t		 mu;
	FILE			*out;
	size_t			 next;		/* next episode to start */
	size_t			 total;
	size_t			 ended;
	struct gym_collect_stats st;
	int			 err;
	char			*cause;
	size_t			 ntrain_fam, nheld_fam;
	int			 train_fam[GYM_MAX_FAMILIES];
	int			 held_fam[GYM_MAX_FAMILIES];
};

/* One executed action, as the history keeps it. */
struct hact {
	struct action	 act;
	char		*desc;
};

struct episode {
	uint32_t		 number;
	int			 family;
	int			 split;
	int			 flags;
	uint64_t		 seed;
	uint64_t		 rng;
	struct gym_sample	*s;
	size_t			 ns;
	struct hact		*h;
	size_t			 nh;
	int			 reached;
	double			 t_open, t_obs, t_oracle, t_act, t_settle;
};

/* The splitmix64 finaliser. */
static uint64_t
mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* A uniform double in [0, 1) from stream s. */
static double
rnd01(uint64_t *s)
{
	*s = mix64(*s);
	return (double)(*s >> 11) / 9007199254740992.0;
}

/* What episode i of the run is: family, phrasing split, flags, seed. */
static void
plan(const struct shared *sh, size_t i, struct episode *ep)
{
	const struct gym_collect_params *p = sh->p;
	uint64_t r = mix64(p->seed * 0x100000001b3ull + i);

	memset(ep, 0, sizeof(*ep));
	ep->number = p->first_episode + (uint32_t)i;
	ep->seed = mix64(p->seed ^ mix64((uint64_t)ep->number)) % 1000000000;
	ep->rng = mix64(r + 17);
	if (p->only >= 0) {
		ep->family = p->only;
		ep->split = gym_families[p->only].heldout ? GYM_SPLIT_ANY :
		    i < p->episodes ? GYM_SPLIT_TRAIN : GYM_SPLIT_HELDOUT;
		ep->flags = gym_families[p->only].heldout ? GYM_F_HELD_FAMILY :
		    i < p->episodes ? 0 : GYM_F_HELD_PHRASE;
		return;
	}
	if (i < p->episodes) {
		ep->family = sh->train_fam[r % sh->ntrain_fam];
		ep->split = GYM_SPLIT_TRAIN;
		return;
	}
	/* Validation: held-out families, held-out phrasings in turn. */
	if ((i - p->episodes) % 2 == 0 && sh->nheld_fam > 0) {
		ep->family = sh->held_fam[r % sh->nheld_fam];
		ep->split = GYM_SPLIT_ANY;
		ep->flags = GYM_F_HELD_FAMILY;
	} else {
		ep->family = sh->train_fam[r % sh->ntrain_fam];
		ep->split = GYM_SPLIT_HELDOUT;
		ep->flags = GYM_F_HELD_PHRASE;
	}
}

/* Frees an episode's samples and history. */
static void
episode_clear(struct episode *ep)
{
	size_t i;

	for (i = 0; i < ep->ns; i++)
		gym_sample_clear(&ep->s[i]);
	free(ep->s);
	for (i = 0; i < ep->nh; i++) {
		action_clear(&ep->h[i].act);
		free(ep->h[i].desc);
	}
	free(ep->h);
	memset(ep, 0, sizeof(*ep));
}

/* "[role] text" of the mark acted on, as agent/loop.c writes it. */
static char *
mark_desc(const struct obs *o, int id)
{
	return obs_mark_desc_dup(obs_mark(o, id));
}

/*
 * The sample's history: the last GYM_MAX_HIST actions; the last one's
 * mark mapped to the current observation through the trace of marks
 * (model/ranker.c does the same).
 */
static void
fill_hist(const struct episode *ep, const struct obs *o, int have_prev,
    struct gym_sample *s)
{
	size_t first, i, k;
	const struct hact *a;
	struct feat_hist *fh;

	first = ep->nh > GYM_MAX_HIST ? ep->nh - GYM_MAX_HIST : 0;
	for (i = first; i < ep->nh; i++) {
		a = &ep->h[i];
		fh = &s->hist[s->nhist++];
		fh->op = (int)a->act.op;
		fh->desc = xstrdup(a->desc);
		fh->value = a->act.value != NULL ? xstrdup(a->act.value) :
		    NULL;
		fh->mark = 0;
		if (i == ep->nh - 1 && a->act.mark > 0 && have_prev)
			for (k = 0; k < o->nmarks; k++)
				if (o->marks[k].prev == a->act.mark) {
					fh->mark = o->marks[k].id;
					break;
				}
	}
}

/* The action for the oracle's answer. */
static void
gold_action(const struct gym_gold *g, struct action *a)
{
	memset(a, 0, sizeof(*a));
	switch (g->op) {
	case GYM_CLICK:
		a->op = ACT_CLICK;
		a->mark = g->mark;
		break;
	case GYM_TYPE:
		a->op = ACT_TYPE;
		a->mark = g->mark;
		a->value = xstrdup(g->value != NULL ? g->value : "");
		break;
	case GYM_SELECT:
		a->op = ACT_SELECT;
		a->mark = g->mark;
		a->value = xstrdup(g->value != NULL ? g->value : "");
		break;
	case GYM_SCROLL:
		a->op = ACT_SCROLL;
		a->dir = g->dir;
		break;
	default:
		a->op = ACT_DONE;
		break;
	}
}

/* The model's action; ACT_DONE when it says so or cannot answer. */
static void
model_action(struct shared *sh, const struct episode *ep, const char *instr,
    const struct obs *o, int have_prev, struct action *a)
{
	struct gym_sample tmp;
	struct model_pred pr;
	const struct model_choice *ch;
	int r;

	memset(a, 0, sizeof(*a));
	a->op = ACT_DONE;
	memset(&tmp, 0, sizeof(tmp));
	fill_hist(ep, o, have_prev, &tmp);
	pthread_mutex_lock(&sh->mu);
	r = model_predict(sh->p->model, instr, tmp.hist, tmp.nhist, o, NULL,
	    &pr, NULL);
	pthread_mutex_unlock(&sh->mu);
	tmp.obs = NULL;
	gym_sample_clear(&tmp);
	if (r != 0)
		return;
	if (pr.ntop > 0) {
		ch = &pr.top[0];
		if (ch->pseudo == FEAT_PSEUDO_UP || ch->pseudo ==
		    FEAT_PSEUDO_DOWN) {
			a->op = ACT_SCROLL;
			a->dir = ch->pseudo == FEAT_PSEUDO_UP ? -1 : 1;
		} else if (ch->pseudo < 0) {
			a->mark = ch->mark_id;
			a->op = ch->op == NN_OP_TYPE ? ACT_TYPE :
			    ch->op == NN_OP_SELECT ? ACT_SELECT : ACT_CLICK;
			if (a->op != ACT_CLICK)
				a->value = xstrdup(ch->value != NULL ?
				    ch->value : "");
		}
	}
	model_pred_clear(&pr);
}

/* Oracle failures reported so far (the first few are shown). */
static int oracle_warned;

/* 1 for errors that mean the browser or connection is gone. */
static int
fatal_err(int r)
{
	return r == ERR_CLOSED || r == ERR_PROTOCOL || r == ERR_BROWSER;
}

/*
 * Runs one episode on page.  Returns 0 (the episode ended, well or not:
 * ep->reached, or ERR_NOTFOUND when the oracle failed and the samples
 * must be dropped) or a fatal error.
 */
static int
run_episode(struct shared *sh, struct cdp_page *page, struct episode *ep,
    char **causep)
{
	const struct gym_collect_params *p = sh->p;
	struct obs_params op;
	struct gym_page gp;
	struct gym_gold g;
	struct gym_sample *s;
	struct obs *o = NULL, *prev = NULL;
	struct action act;
	char *cause = NULL;
	double t0;
	int r, k, stepn, dagger;

	memset(&gp, 0, sizeof(gp));
	memset(&act, 0, sizeof(act));
	t0 = util_now_s();
	r = gym_reset(page, p->base, gym_families[ep->family].name, ep->seed,
	    ep->split, &gp, &cause);
	ep->t_open += util_now_s() - t0;
	if (r != 0)
		goto out;
	obs_default_params(&op);
	op.screenshot = 0;
	dagger = p->model != NULL && !(ep->flags & (GYM_F_HELD_FAMILY |
	    GYM_F_HELD_PHRASE));
	for (stepn = 0; stepn < p->max_steps; stepn++) {
		if (p->cancel != NULL && *p->cancel) {
			r = ERR_CANCELLED;
			goto out;
		}
		t0 = util_now_s();
		r = obs_capture(page, &op, &o, &cause);
		ep->t_obs += util_now_s() - t0;
		if (r != 0)
			goto out;
		obs_trace(prev, o);
		t0 = util_now_s();
		r = gym_oracle(page, o, &g, &cause);
		ep->t_oracle += util_now_s() - t0;
		if (r != 0)
			goto out;
		ep->s = xreallocarray(ep->s, ep->ns + 1, sizeof(*ep->s));
		s = &ep->s[ep->ns++];
		memset(s, 0, sizeof(*s));
		s->episode = ep->number;
		s->step = (uint16_t)stepn;
		s->family = (uint8_t)ep->family;
		s->flags = (uint8_t)ep->flags;
		s->tpl = xstrdup(gp.tpl);
		s->instr = xstrdup(gp.instr);
		fill_hist(ep, o, prev != NULL, s);
		s->op = -1;
		switch (g.op) {
		case GYM_DONE:
			s->gold[s->ngold++] = GYM_GOLD_DONE;
			break;
		case GYM_SCROLL:
			s->gold[s->ngold++] = g.dir < 0 ? GYM_GOLD_UP :
			    GYM_GOLD_DOWN;
			break;
		default:
			s->gold[s->ngold++] = g.mark;
			for (k = 0; k < g.nalts && s->ngold < NN_MAX_GOLD;
			    k++) {
				s->alt_values[s->ngold] = g.alt_values[k] !=
				    NULL ? xstrdup(g.alt_values[k]) : NULL;
				s->gold[s->ngold++] = g.alts[k];
			}
			s->op = g.op == GYM_TYPE ? NN_OP_TYPE :
			    g.op == GYM_SELECT ? NN_OP_SELECT : NN_OP_CLICK;
			s->value = g.value != NULL ? xstrdup(g.value) : NULL;
			break;
		}
		if (g.op == GYM_DONE) {
			s->obs = o;
			o = NULL;
			ep->reached = 1;
			gym_gold_clear(&g);
			r = 0;
			goto out;
		}
		/* Act: the model now and then in DAgger rounds. */
		act.op = ACT_NONE;
		if (dagger && rnd01(&ep->rng) < p->beta) {
			model_action(sh, ep, gp.instr, o, prev != NULL, &act);
			if (act.op == ACT_DONE)
				action_clear(&act);
			else
				s->flags |= GYM_F_DAGGER;
		}
		if (act.op == ACT_NONE)
			gold_action(&g, &act);
		gym_gold_clear(&g);
		t0 = util_now_s();
		r = action_exec(page, o, &act, &cause);
		ep->t_act += util_now_s() - t0;
		if (r != 0 && fatal_err(r))
			goto out;
		if (r != 0) {
			log_debug("episode %u step %d: %s", ep->number, stepn,
			    cause != NULL ? cause : err_str(r));
			free(cause);
			cause = NULL;
		}
		ep->h = xreallocarray(ep->h, ep->nh + 1, sizeof(*ep->h));
		ep->h[ep->nh].desc = mark_desc(o, act.mark);
		ep->h[ep->nh++].act = act;
		memset(&act, 0, sizeof(act));
		t0 = util_now_s();
		r = cdp_page_settle(page, 5000, NULL);
		ep->t_settle += util_now_s() - t0;
		if (r != 0)
			goto out;
		/* The sample keeps its observation; the trace needs it too. */
		s->obs = o;
		prev = o;
		o = NULL;
	}
	r = 0;
out:
	if (r != 0 && !fatal_err(r) && r != ERR_CANCELLED && r != ERR_TIMEOUT) {
		/* The generator's own bugs: show the first few. */
		if (log_getlevel() >= LOG_LVL_DEBUG || __atomic_fetch_add(
		    &oracle_warned, 1, __ATOMIC_RELAXED) < 5)
			log_warnx("episode %u (%s seed %llu %s): %s",
			    ep->number, gym_families[ep->family].name,
			    (unsigned long long)ep->seed, ep->split ==
			    GYM_SPLIT_TRAIN ? "train" : ep->split ==
			    GYM_SPLIT_HELDOUT ? "heldout" : "any",
			    cause != NULL ? cause : err_str(r));
		r = ERR_NOTFOUND;
	} else if (r == ERR_TIMEOUT) {
		/* A page that did not answer in time: drop the episode. */
		log_debug("episode %u: timeout: %s", ep->number,
		    cause != NULL ? cause : "");
		r = ERR_NOTFOUND;
	}
	if (r != 0 && r != ERR_NOTFOUND && causep != NULL) {
		*causep = cause;
		cause = NULL;
	}
	action_clear(&act);
	obs_free(o);
	gym_page_clear(&gp);
	free(cause);
	return r;
}

struct worker {
	struct shared	*sh;
	int		 id;
	pthread_t	 th;
};

/* A worker: its own connection and page, episodes until none are left. */
static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct shared *sh = w->sh;
	const struct gym_collect_params *p = sh->p;
	struct cdp_conn_params cp;
	struct cdp_page_params pp;
	struct cdp_conn *conn = NULL;
	struct cdp_page *page = NULL;
	struct episode ep;
	char *cause = NULL, what[96];
	size_t i, k;
	int r;

	cdp_conn_default_params(&cp);
	if ((r = cdp_conn_open(p->wsurl, &cp, &conn, &cause)) != 0)
		goto fail;
	cdp_page_default_params(&pp);
	/*
	 * Generated pages load nothing after their scripts: a short quiet
	 * window is enough, and most of an episode's time otherwise.
	 */
	pp.quiet_ms = 60;
	pp.idle_ms = 20;
	if ((r = cdp_page_open(conn, &pp, &page)) != 0 ||
	    (r = obs_install(page)) != 0) {
		cause = xasprintf("opening a page: %s", cdp_conn_error(conn));
		goto fail;
	}
	for (;;) {
		pthread_mutex_lock(&sh->mu);
		if (sh->err != 0 || sh->next >= sh->total ||
		    (p->cancel != NULL && *p->cancel)) {
			pthread_mutex_unlock(&sh->mu);
			break;
		}
		i = sh->next++;
		pthread_mutex_unlock(&sh->mu);
		plan(sh, i, &ep);
		r = run_episode(sh, page, &ep, &cause);
		if (r != 0 && r != ERR_NOTFOUND) {
			episode_clear(&ep);
			if (r == ERR_CANCELLED)
				break;
			goto fail;
		}
		pthread_mutex_lock(&sh->mu);
		sh->st.episodes++;
		sh->ended++;
		sh->st.open_s += ep.t_open;
		sh->st.observe_s += ep.t_obs;
		sh->st.oracle_s += ep.t_oracle;
		sh->st.act_s += ep.t_act;
		sh->st.settle_s += ep.t_settle;
		if (r == ERR_NOTFOUND)
			sh->st.failed++;
		else {
			sh->st.reached += ep.reached;
			for (k = 0; k < ep.ns && sh->err == 0; k++) {
				if (ep.s[k].obs == NULL)
					continue;
				if ((r = gym_sample_write(sh->out,
				    &ep.s[k])) != 0 && r != ERR_TOOBIG) {
					sh->err = r;
					sh->cause = xstrdup("writing samples "
					    "failed");
				} else if (r == 0)
					sh->st.samples++;
			}
		}
		if (p->progress != NULL) {
			snprintf(what, sizeof(what), "%s %s",
			    gym_families[ep.family].name, r == ERR_NOTFOUND ?
			    "(oracle failed)" : ep.reached ? "reached" :
			    "not reached");
			p->progress(p->progress_arg, sh->ended, sh->total,
			    sh->st.samples, what);
		}
		pthread_mutex_unlock(&sh->mu);
		episode_clear(&ep);
	}
	cdp_page_free(page);
	cdp_conn_free(conn);
	return NULL;
fail:
	pthread_mutex_lock(&sh->mu);
	if (sh->err == 0) {
		sh->err = r;
		sh->cause = cause != NULL ? cause : xstrdup(err_str(r));
		cause = NULL;
	}
	pthread_mutex_unlock(&sh->mu);
	free(cause);
	cdp_page_free(page);
	cdp_conn_free(conn);
	return NULL;
}

/* Runs the episodes on parallel workers, writing their samples. */
int
gym_collect(const struct gym_collect_params *p, FILE *out,
    struct gym_collect_stats *st, char **causep)
{
	struct shared sh;
	struct worker w[4];
	double t0 = util_now_s();
	size_t i;
	int n, r;

	memset(&sh, 0, sizeof(sh));
	memset(st, 0, sizeof(*st));
	if (causep != NULL)
		*causep = NULL;
	sh.p = p;
	sh.out = out;
	sh.total = p->episodes + p->val_episodes;
	for (i = 0; i < gym_nfamilies && i < GYM_MAX_FAMILIES; i++) {
		if (gym_families[i].heldout)
			sh.held_fam[sh.nheld_fam++] = (int)i;
		else
			sh.train_fam[sh.ntrain_fam++] = (int)i;
	}
	if (sh.ntrain_fam == 0)
		return ERR_INTERNAL;
	pthread_mutex_init(&sh.mu, NULL);
	n = p->workers < 1 ? 1 : p->workers > 4 ? 4 : p->workers;
	for (i = 0; i < (size_t)n; i++) {
		w[i].sh = &sh;
		w[i].id = (int)i;
		if (pthread_create(&w[i].th, NULL, worker_main, &w[i]) != 0) {
			n = (int)i;
			pthread_mutex_lock(&sh.mu);
			if (sh.err == 0) {
				sh.err = ERR_NOMEM;
				sh.cause = xstrdup("cannot start a thread");
			}
			pthread_mutex_unlock(&sh.mu);
			break;
		}
	}
	for (i = 0; i < (size_t)n; i++)
		pthread_join(w[i].th, NULL);
	pthread_mutex_destroy(&sh.mu);
	sh.st.seconds = util_now_s() - t0;
	*st = sh.st;
	r = sh.err;
	if (r == 0 && p->cancel != NULL && *p->cancel)
		r = ERR_CANCELLED;
	if (causep != NULL)
		*causep = sh.cause;
	else
		free(sh.cause);
	if (fflush(out) != 0 && r == 0)
		r = ERR_IO;
	return r;
}
