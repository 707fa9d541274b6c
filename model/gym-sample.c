/*
 * gym-sample.c: training samples, their file, and samples to features
 * and labels (gym.h).
 *
 * File: the 8 bytes "WNGYM2\n\0", then records.  A record is a u32
 * length (of what follows, at most GYM_MAX_RECORD) and the sample, all
 * integers little-endian:
 *
 *   u32 episode, u16 step, u8 family, u8 flags, str tpl, str instr,
 *   u8 nhist, nhist x (i32 op, str desc, str value, i32 mark),
 *   u8 ngold, ngold x i32 gold, i32 op, ngold x str value,
 *   obs: str url, i32 vw, i32 vh, f32 scale, f32 scroll_x, f32 scroll_y,
 *   f32 page_h, u32 nmarks, nmarks x mark
 *   mark: i32 id, i32 frame, i32 ref, str tag, str role, str type,
 *   str text, str label, str value, u16 nattrs, nattrs x (str key, str
 *   value), f32 x, f32 y, f32 w, f32 h, i8 checked, i8 selected,
 *   i8 disabled, i8 focused, i8 editable, i8 listener, u16 noptions,
 *   noptions x str, i32 option_selected, i32 prev, i32 change
 *
 * A str is a u32 length and its bytes; length 0xffffffff is NULL.  Only
 * string attributes are kept (the featuriser reads no others).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "err.h"
#include "xmalloc.h"
#include "observe.h"
#include "features.h"
#include "gym.h"

static const char gym_magic[8] = "WNGYM3\n";

/* Frees what a sample holds and empties it. */
void
gym_sample_clear(struct gym_sample *s)
{
	size_t i;

	if (s == NULL)
		return;
	free(s->tpl);
	free(s->instr);
	for (i = 0; i < s->nhist && i < GYM_MAX_HIST; i++) {
		free((char *)(uintptr_t)s->hist[i].desc);
		free((char *)(uintptr_t)s->hist[i].value);
	}
	obs_free(s->obs);
	free(s->value);
	for (i = 0; i < NN_MAX_GOLD; i++)
		free(s->alt_values[i]);
	memset(s, 0, sizeof(*s));
}

/* ---------------------------------------------------------------------- */
/* Writing.                                                               */

/* Appends v as 4 bytes, little-endian. */
static void
put_u32(struct buf *b, uint32_t v)
{
	unsigned char c[4];

	c[0] = (unsigned char)v;
	c[1] = (unsigned char)(v >> 8);
	c[2] = (unsigned char)(v >> 16);
	c[3] = (unsigned char)(v >> 24);
	(void)buf_add(b, c, 4);
}

/* Appends v as 2 bytes, little-endian. */
static void
put_u16(struct buf *b, unsigned v)
{
	unsigned char c[2];

	c[0] = (unsigned char)v;
	c[1] = (unsigned char)(v >> 8);
	(void)buf_add(b, c, 2);
}

/* Appends one byte. */
static void
put_u8(struct buf *b, int v)
{
	unsigned char c = (unsigned char)v;

	(void)buf_add(b, &c, 1);
}

/* Appends d as a 32-bit float. */
static void
put_f32(struct buf *b, double d)
{
	float f = (float)d;
	uint32_t u;

	memcpy(&u, &f, 4);
	put_u32(b, u);
}

/* Appends a length-prefixed string (NULL as length 0xffffffff). */
static void
put_str(struct buf *b, const char *s)
{
	size_t n;

	if (s == NULL) {
		put_u32(b, 0xffffffffu);
		return;
	}
	n = strlen(s);
	if (n > OBS_TEXT_MAX * 64)
		n = OBS_TEXT_MAX * 64;
	put_u32(b, (uint32_t)n);
	(void)buf_add(b, s, n);
}

/* Appends the fields of a mark the featuriser reads. */
static void
put_mark(struct buf *b, const struct mark *m)
{
	const cJSON *it;
	size_t i;
	unsigned n = 0;

	put_u32(b, (uint32_t)m->id);
	put_u32(b, (uint32_t)m->frame);
	put_u32(b, (uint32_t)m->ref);
	put_str(b, m->tag);
	put_str(b, m->role);
	put_str(b, m->type);
	put_str(b, m->text);
	put_str(b, m->label);
	put_str(b, m->ctx != NULL ? m->ctx : "");
	put_str(b, m->value);
	cJSON_ArrayForEach(it, m->attrs)
		if (cJSON_IsString(it) && it->string != NULL && n < 255)
			n++;
	put_u16(b, n);
	n = 0;
	cJSON_ArrayForEach(it, m->attrs)
		if (cJSON_IsString(it) && it->string != NULL && n++ < 255) {
			put_str(b, it->string);
			put_str(b, it->valuestring);
		}
	put_f32(b, m->x);
	put_f32(b, m->y);
	put_f32(b, m->w);
	put_f32(b, m->h);
	put_u8(b, m->checked);
	put_u8(b, m->selected);
	put_u8(b, m->disabled);
	put_u8(b, m->focused);
	put_u8(b, m->editable);
	put_u8(b, m->listener);
	n = m->noptions > OBS_MAX_OPTIONS ? OBS_MAX_OPTIONS :
	    (unsigned)m->noptions;
	put_u16(b, n);
	for (i = 0; i < n; i++)
		put_str(b, m->options[i]);
	put_u32(b, (uint32_t)m->option_selected);
	put_u32(b, (uint32_t)m->prev);
	put_u32(b, (uint32_t)m->change);
}

/* Writes the magic bytes that start a sample file. */
int
gym_file_header(FILE *f)
{
	return fwrite(gym_magic, 1, sizeof(gym_magic), f) ==
	    sizeof(gym_magic) ? 0 : ERR_IO;
}

/* Encodes sample s and appends it, length first, to f. */
int
gym_sample_write(FILE *f, const struct gym_sample *s)
{
	const struct obs *o = s->obs;
	struct buf b;
	size_t i, nh, nm;
	int r = ERR_INTERNAL, k;

	buf_init(&b, GYM_MAX_RECORD);
	put_u32(&b, s->episode);
	put_u16(&b, s->step);
	put_u8(&b, s->family);
	put_u8(&b, s->flags);
	put_str(&b, s->tpl);
	put_str(&b, s->instr);
	nh = s->nhist > GYM_MAX_HIST ? GYM_MAX_HIST : s->nhist;
	put_u8(&b, (int)nh);
	for (i = 0; i < nh; i++) {
		put_u32(&b, (uint32_t)s->hist[i].op);
		put_str(&b, s->hist[i].desc);
		put_str(&b, s->hist[i].value);
		put_u32(&b, (uint32_t)s->hist[i].mark);
	}
	put_u8(&b, s->ngold);
	for (k = 0; k < s->ngold && k < NN_MAX_GOLD; k++)
		put_u32(&b, (uint32_t)s->gold[k]);
	put_u32(&b, (uint32_t)s->op);
	for (k = 0; k < s->ngold && k < NN_MAX_GOLD; k++)
		put_str(&b, k == 0 ? s->value : s->alt_values[k]);
	put_str(&b, o->url);
	put_u32(&b, (uint32_t)o->vw);
	put_u32(&b, (uint32_t)o->vh);
	put_f32(&b, o->scale);
	put_f32(&b, o->scroll_x);
	put_f32(&b, o->scroll_y);
	put_f32(&b, o->page_h);
	/* Whatever does not fit is left out: a record has a hard cap. */
	nm = o->nmarks;
	put_u32(&b, (uint32_t)nm);
	for (i = 0; i < nm; i++)
		put_mark(&b, &o->marks[i]);
	if (b.data == NULL || b.len >= GYM_MAX_RECORD) {
		r = ERR_TOOBIG;
		goto out;
	}
	{
		unsigned char len[4];

		len[0] = (unsigned char)b.len;
		len[1] = (unsigned char)(b.len >> 8);
		len[2] = (unsigned char)(b.len >> 16);
		len[3] = (unsigned char)(b.len >> 24);
		if (fwrite(len, 1, 4, f) != 4 ||
		    fwrite(b.data, 1, b.len, f) != b.len) {
			r = ERR_IO;
			goto out;
		}
	}
	r = 0;
out:
	buf_free(&b);
	return r;
}

/* ---------------------------------------------------------------------- */
/* Reading.                                                               */

struct rd {
	const unsigned char	*p, *end;
	int			 bad;
};

/* Reads 4 bytes, little-endian; past the end sets r->bad. */
static uint32_t
get_u32(struct rd *r)
{
	uint32_t v;

	if (r->end - r->p < 4) {
		r->bad = 1;
		r->p = r->end;
		return 0;
	}
	v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 |
	    (uint32_t)r->p[2] << 16 | (uint32_t)r->p[3] << 24;
	r->p += 4;
	return v;
}

/* Reads 2 bytes, little-endian; past the end sets r->bad. */
static unsigned
get_u16(struct rd *r)
{
	unsigned v;

	if (r->end - r->p < 2) {
		r->bad = 1;
		r->p = r->end;
		return 0;
	}
	v = (unsigned)r->p[0] | (unsigned)r->p[1] << 8;
	r->p += 2;
	return v;
}

/* Reads a signed byte; past the end sets r->bad. */
static int
get_i8(struct rd *r)
{
	if (r->end - r->p < 1) {
		r->bad = 1;
		return 0;
	}
	return (signed char)*r->p++;
}

/* Reads a byte; past the end sets r->bad. */
static unsigned
get_u8(struct rd *r)
{
	if (r->end - r->p < 1) {
		r->bad = 1;
		return 0;
	}
	return *r->p++;
}

/* Reads a 32-bit float. */
static double
get_f32(struct rd *r)
{
	uint32_t u = get_u32(r);
	float f;

	memcpy(&f, &u, 4);
	return (double)f;
}

/* A string (allocated), or NULL for a NULL string. */
static char *
get_str(struct rd *r)
{
	uint32_t n = get_u32(r);
	char *s;

	if (n == 0xffffffffu || r->bad)
		return NULL;
	if ((size_t)(r->end - r->p) < n) {
		r->bad = 1;
		r->p = r->end;
		return NULL;
	}
	s = xstrndup((const char *)r->p, n);
	r->p += n;
	return s;
}

/* A string, "" for NULL. */
static char *
get_str0(struct rd *r)
{
	char *s = get_str(r);

	return s != NULL ? s : xstrdup("");
}

/* Reads a mark written by put_mark(). */
static void
get_mark(struct rd *r, struct mark *m)
{
	unsigned n, i;
	char *k, *v;

	memset(m, 0, sizeof(*m));
	m->id = (int)get_u32(r);
	m->frame = (int)get_u32(r);
	m->ref = (int)get_u32(r);
	m->tag = get_str0(r);
	m->role = get_str0(r);
	m->type = get_str0(r);
	m->text = get_str0(r);
	m->label = get_str0(r);
	m->ctx = get_str0(r);
	m->value = get_str0(r);
	m->attrs = cJSON_CreateObject();
	n = get_u16(r);
	for (i = 0; i < n && !r->bad; i++) {
		k = get_str0(r);
		v = get_str0(r);
		cJSON_AddStringToObject(m->attrs, k, v);
		free(k);
		free(v);
	}
	m->x = get_f32(r);
	m->y = get_f32(r);
	m->w = get_f32(r);
	m->h = get_f32(r);
	m->checked = get_i8(r);
	m->selected = get_i8(r);
	m->disabled = get_i8(r);
	m->focused = get_i8(r);
	m->editable = get_i8(r);
	m->listener = get_i8(r);
	n = get_u16(r);
	if (n > OBS_MAX_OPTIONS) {
		r->bad = 1;
		n = 0;
	}
	if (n > 0) {
		m->options = xcalloc(n, sizeof(*m->options));
		for (i = 0; i < n && !r->bad; i++)
			m->options[m->noptions++] = get_str0(r);
	}
	m->option_selected = (int)get_u32(r);
	m->prev = (int)get_u32(r);
	m->change = (int)get_u32(r);
}

/* Decodes one record (after its length) into s. */
static int
decode(const unsigned char *p, size_t len, struct gym_sample *s)
{
	struct rd r;
	struct obs *o;
	size_t i, n;

	memset(s, 0, sizeof(*s));
	r.p = p;
	r.end = p + len;
	r.bad = 0;
	s->episode = get_u32(&r);
	s->step = (uint16_t)get_u16(&r);
	s->family = (uint8_t)get_u8(&r);
	s->flags = (uint8_t)get_u8(&r);
	s->tpl = get_str0(&r);
	s->instr = get_str0(&r);
	n = get_u8(&r);
	if (n > GYM_MAX_HIST)
		r.bad = 1;
	for (i = 0; i < n && !r.bad; i++) {
		s->hist[i].op = (int)get_u32(&r);
		s->hist[i].desc = get_str0(&r);
		s->hist[i].value = get_str(&r);
		s->hist[i].mark = (int)get_u32(&r);
		s->nhist = i + 1;
	}
	s->ngold = (int)get_u8(&r);
	if (s->ngold > NN_MAX_GOLD) {
		r.bad = 1;
		s->ngold = 0;
	}
	for (i = 0; i < (size_t)s->ngold; i++)
		s->gold[i] = (int)get_u32(&r);
	s->op = (int)get_u32(&r);
	for (i = 0; i < (size_t)s->ngold; i++) {
		if (i == 0)
			s->value = get_str(&r);
		else
			s->alt_values[i] = get_str(&r);
	}
	o = xcalloc(1, sizeof(*o));
	s->obs = o;
	o->url = get_str0(&r);
	o->title = xstrdup("");
	o->vw = (int)get_u32(&r);
	o->vh = (int)get_u32(&r);
	o->scale = get_f32(&r);
	o->scroll_x = get_f32(&r);
	o->scroll_y = get_f32(&r);
	o->page_h = get_f32(&r);
	n = get_u32(&r);
	if (n > OBS_MAX_MARKS || n * 40 > len)
		r.bad = 1;
	else if (n > 0) {
		o->marks = xcalloc(n, sizeof(*o->marks));
		for (i = 0; i < n && !r.bad; i++) {
			get_mark(&r, &o->marks[i]);
			o->nmarks = i + 1;
		}
	}
	if (r.bad || r.p != r.end) {
		for (i = 0; i < o->nmarks; i++)
			obs_mark_clear(&o->marks[i]);
		o->nmarks = 0;
		gym_sample_clear(s);
		return ERR_FORMAT;
	}
	return 0;
}

struct gym_rec {
	const unsigned char	*p;
	uint32_t		 len;
	uint32_t		 episode;
	uint16_t		 step;
	uint8_t			 family, flags;
};

struct gym_data {
	unsigned char	**files;
	size_t		  nfiles;
	struct gym_rec	 *rec;
	size_t		  n;
};

/* Orders records by episode, then step. */
static int
rec_cmp(const void *a, const void *b)
{
	const struct gym_rec *x = a, *y = b;

	if (x->episode != y->episode)
		return x->episode < y->episode ? -1 : 1;
	if (x->step != y->step)
		return x->step < y->step ? -1 : 1;
	return 0;
}

/* Reads a whole file (at most 32 GiB). */
static int
slurp(const char *path, unsigned char **pp, size_t *lenp, char **causep)
{
	FILE *f;
	unsigned char *p = NULL;
	long n;

	if ((f = fopen(path, "rb")) == NULL) {
		*causep = xasprintf("%s: %s", path, strerror(errno));
		return errno == ENOENT ? ERR_NOTFOUND : ERR_IO;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		*causep = xasprintf("%s: cannot size the file", path);
		return ERR_IO;
	}
	if ((unsigned long)n > (32ul << 30)) {
		fclose(f);
		*causep = xasprintf("%s: too large", path);
		return ERR_TOOBIG;
	}
	if ((p = malloc((size_t)n + 1)) == NULL) {
		fclose(f);
		*causep = xasprintf("%s: out of memory", path);
		return ERR_NOMEM;
	}
	if (fread(p, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(p);
		*causep = xasprintf("%s: read error", path);
		return ERR_IO;
	}
	fclose(f);
	*pp = p;
	*lenp = (size_t)n;
	return 0;
}

/* Reads sample files whole and indexes their records. */
int
gym_data_load(const char *const *paths, size_t npaths, struct gym_data **dp,
    char **causep)
{
	struct gym_data *d;
	unsigned char *p;
	size_t len, off, i, cap = 0;
	uint32_t n;
	char *cause = NULL;
	int r = ERR_INTERNAL;

	*dp = NULL;
	if (causep != NULL)
		*causep = NULL;
	d = xcalloc(1, sizeof(*d));
	d->files = xcalloc(npaths ? npaths : 1, sizeof(*d->files));
	for (i = 0; i < npaths; i++) {
		if ((r = slurp(paths[i], &p, &len, &cause)) != 0)
			goto out;
		d->files[d->nfiles++] = p;
		if (len < sizeof(gym_magic) || memcmp(p, gym_magic,
		    sizeof(gym_magic)) != 0) {
			cause = len >= sizeof(gym_magic) &&
			    memcmp(p, gym_magic, 5) == 0 ? xasprintf("%s: "
			    "samples of another format (%.6s, this webnav "
			    "reads %.6s): collect them again", paths[i], p,
			    gym_magic) : xasprintf("%s: not a sample file",
			    paths[i]);
			r = ERR_FORMAT;
			goto out;
		}
		for (off = sizeof(gym_magic); off < len; off += n) {
			if (len - off < 4) {
				cause = xasprintf("%s: truncated at byte %zu",
				    paths[i], off);
				r = ERR_FORMAT;
				goto out;
			}
			n = (uint32_t)p[off] | (uint32_t)p[off + 1] << 8 |
			    (uint32_t)p[off + 2] << 16 |
			    (uint32_t)p[off + 3] << 24;
			off += 4;
			if (n > GYM_MAX_RECORD || n > len - off || n < 8) {
				cause = xasprintf("%s: bad record at byte %zu",
				    paths[i], off - 4);
				r = ERR_FORMAT;
				goto out;
			}
			if (d->n == GYM_MAX_SAMPLES) {
				cause = xasprintf("more than %d samples",
				    GYM_MAX_SAMPLES);
				r = ERR_TOOBIG;
				goto out;
			}
			if (d->n == cap) {
				cap = cap ? cap * 2 : 1024;
				d->rec = xreallocarray(d->rec, cap,
				    sizeof(*d->rec));
			}
			d->rec[d->n].p = p + off;
			d->rec[d->n].len = n;
			d->rec[d->n].episode = (uint32_t)p[off] |
			    (uint32_t)p[off + 1] << 8 |
			    (uint32_t)p[off + 2] << 16 |
			    (uint32_t)p[off + 3] << 24;
			d->rec[d->n].step = (uint16_t)(p[off + 4] |
			    p[off + 5] << 8);
			d->rec[d->n].family = p[off + 6];
			d->rec[d->n].flags = p[off + 7];
			d->n++;
		}
	}
	if (d->n > 0)
		qsort(d->rec, d->n, sizeof(*d->rec), rec_cmp);
	*dp = d;
	d = NULL;
	r = 0;
out:
	gym_data_free(d);
	if (causep != NULL)
		*causep = cause;
	else
		free(cause);
	return r;
}

/* Number of samples loaded. */
size_t
gym_data_count(const struct gym_data *d)
{
	return d->n;
}

/* Family index of sample i, read from its header. */
int
gym_data_family(const struct gym_data *d, size_t i)
{
	return i < d->n ? d->rec[i].family : -1;
}

/* GYM_F_* flags of sample i, read from its header. */
int
gym_data_flags(const struct gym_data *d, size_t i)
{
	return i < d->n ? d->rec[i].flags : 0;
}

/* Episode number of sample i, read from its header. */
uint32_t
gym_data_episode(const struct gym_data *d, size_t i)
{
	return i < d->n ? d->rec[i].episode : 0;
}

/* Decodes sample i. */
int
gym_data_get(const struct gym_data *d, size_t i, struct gym_sample *s)
{
	if (i >= d->n)
		return ERR_INVALID;
	return decode(d->rec[i].p, d->rec[i].len, s);
}

/* Frees loaded samples; NULL is a no-op. */
void
gym_data_free(struct gym_data *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->nfiles; i++)
		free(d->files[i]);
	free(d->files);
	free(d->rec);
	free(d);
}

/* ---------------------------------------------------------------------- */
/* Samples to features and labels.                                        */

/*
 * The instruction tokens that spell value: a match inside quotes first,
 * then one whose text is the value exactly, then any.  -1 if none.
 */
static void
find_span(const struct feat_step *st, const char *value, int span_max,
    int *ap, int *bp)
{
	struct feat_token v[64];
	int nv, a, j, best = -1, bestq = -1;
	char *txt;

	*ap = *bp = -1;
	if (value == NULL || (nv = feat_tokenize(value, v, 64)) == 0 ||
	    nv > span_max)
		return;
	for (a = 0; a + nv <= st->T; a++) {
		for (j = 0; j < nv && strcmp(st->itok[a + j].norm,
		    v[j].norm) == 0; j++)
			;
		if (j < nv)
			continue;
		txt = feat_span_text(st, a, a + nv - 1);
		j = strcmp(txt, value) == 0 ? 2 : 0;
		free(txt);
		if (st->itok[a].quote != 0 && st->itok[a].quote ==
		    st->itok[a + nv - 1].quote)
			j++;
		if (j > bestq) {
			bestq = j;
			best = a;
		}
	}
	if (best >= 0) {
		*ap = best;
		*bp = best + nv - 1;
	}
}

/* Case-insensitive comparison with runs of spaces as one. */
static int
same_text(const char *a, const char *b)
{
	for (;;) {
		while (*a == ' ' && (a[1] == ' ' || a[1] == '\0'))
			a++;
		while (*b == ' ' && (b[1] == ' ' || b[1] == '\0'))
			b++;
		if (*a == '\0' || *b == '\0')
			return *a == *b;
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
		a++;
		b++;
	}
}

/* Featurises a sample and fills its label. */
int
gym_sample_features(const struct feat_config *fc, const struct gym_sample *s,
    struct feat_step **stepp, struct nn_label *y, const char **values,
    char **causep)
{
	struct feat_step *st = NULL;
	const struct mark *m;
	int r, k, e, row;
	size_t i;

	*stepp = NULL;
	if ((r = feat_step_build(fc, s->instr, s->hist, s->nhist, s->obs,
	    NULL, &st, causep)) != 0)
		return r;
	memset(y, 0, sizeof(*y));
	y->op = -1;
	y->span_start = y->span_end = -1;
	y->option = -1;
	for (k = 0; k < s->ngold && y->ngold < NN_MAX_GOLD; k++) {
		row = -1;
		if (s->gold[k] < 0 && s->gold[k] >= -FEAT_NPSEUDO)
			row = st->N + (-1 - s->gold[k]);
		else
			for (e = 0; e < st->N; e++)
				if (st->mark_id[e] == s->gold[k]) {
					row = e;
					break;
				}
		if (row >= 0 && st->row_mask[row]) {
			if (values != NULL)
				values[y->ngold] = k == 0 ? s->value :
				    s->alt_values[k];
			y->gold[y->ngold++] = row;
		}
	}
	if (y->ngold > 0 && y->gold[0] < st->N && s->ngold > 0 &&
	    s->gold[0] > 0) {
		y->op = s->op;
		if (s->op == NN_OP_TYPE)
			find_span(st, s->value, (int)fc->span_max,
			    &y->span_start, &y->span_end);
		else if (s->op == NN_OP_SELECT && s->value != NULL &&
		    (m = obs_mark(s->obs, s->gold[0])) != NULL)
			for (i = 0; i < m->noptions; i++)
				if (same_text(m->options[i], s->value)) {
					y->option = (int)i;
					break;
				}
		/* Only options the featuriser kept can be the answer. */
		if (y->option >= st->opt_off[y->gold[0] + 1] -
		    st->opt_off[y->gold[0]])
			y->option = -1;
	}
	*stepp = st;
	return 0;
}
