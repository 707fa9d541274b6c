/*
 * features.h: what the built-in model reads: tokens, hashed ids, lexical
 * match features, geometry and state, candidate value spans.
 *
 * Tokenizer (feat_tokenize): Latin letters folded to ASCII, lower-cased,
 * split on non-alphanumerics and at camelCase and letter/digit
 * boundaries ("firstName" -> first name, "rx350" -> rx 350).  Each token
 * keeps its byte range in the original text (values are copied from
 * there, original case kept), whether it sits in quotes, whether it was
 * capitalised, and the shape of the whitespace-delimited chunk it came
 * from (number, price, date, time, email, url, phone).
 *
 * Hashing: 64-bit FNV-1a over a namespace seed byte string, then the
 * murmur3 64-bit finaliser; the low hash_bits bits index the shared
 * embedding table.  Namespaces: word, character n-gram (n-gram_min ..
 * ngram_max over "<word>"), instruction bigram, shape token ("<num4>",
 * "<email>"), and the tag/role/type tables (field namespaces, own
 * sizes).  A change in any of this changes the hashes: the unit tests pin
 * expected values and FEAT_VERSION must be raised with it.
 *
 * Hashing is unsigned (no sign bit): collisions are rare at 2^16 rows
 * for the vocabulary of generated pages, and it keeps the gather a plain
 * sum.
 *
 * The third bag of a mark is its label; a mark with no label that takes
 * no input (a row's or a card's button) gets its context there instead:
 * the text of the marks left of it on its row, else of the nearest mark
 * above it (version 2).  The fourth bag is the text of the row, card or
 * section the mark sits in, as agent/collect.js found it in the DOM
 * (struct mark ctx; version 3); page frequencies count the first three
 * bags only.  A field whose words are all stopwords or verbs ("Like",
 * "Follow", "Search") counts its click and typing verbs as its content
 * words, and the two record-name features are new (version 4).  Version
 * 5 adds where the instruction's words are on the page (below), a token
 * feature for the end of a candidate value and one for the words naming
 * a record, and "go ahead and ..." is no clause ("ahead" a stopword).
 * Version 6 adds synonyms: a table of groups of interface words of the
 * same meaning ("recover" and "forgot", "deny" and "decline", "basket"
 * and "cart"), three lexical columns and a token feature.
 *
 * Dense per-mark features (FEAT_NDENSE floats, names from
 * feat_dense_name()): 74 lexical (11 per field for the text, attribute,
 * label and container bags: equality with a quoted span, phrase found in the
 * instruction, quoted span inside the field, raw overlap both ways,
 * content-word Jaccard and coverage (light stemming), page-local IDF
 * overlap both ways, character-trigram Dice against the best window,
 * empty; then where the match sits (quoted, after a click or a type
 * verb, position), ordinals, duplicates, label-to-value link, field
 * already holding a candidate value, check/uncheck wanted, type and
 * select priors, best option, the page's lowest or highest price when the
 * instruction asks for the cheapest or the dearest, has a price, named in
 * the first clause of the instruction the history has not done, in a
 * later one, only in done ones, the match names a record rather than a
 * control: it follows a possessive ("Ann's post") or precedes a word
 * tying it to an owner or topic ("the order from"), the share of the
 * instruction's content words its four bags hold together, that share
 * less the page's best, the share of the record words (the owner before
 * a possessive, the words after a tie word) it holds, its text is only a
 * verb the instruction uses ("Follow Ann": the Follow button), the share
 * of its text's words that name the record, the share of its text's
 * words that are synonyms of the instruction's words (and not its words
 * themselves), a synonym in its own bags, the share of the instruction's
 * content words its four bags hold themselves or by a synonym), 24
 * geometry and state, 16 crop statistics (zeros without a screenshot), 8
 * history flags.
 *
 * A featurised step (struct feat_step) holds the instruction tokens, the
 * unique tokens of the step (each with its hash rows), per-mark bags of
 * unique-token indices (text, attribute, label), categorical rows, dense
 * features (layout below), select options, the history bag, step
 * features, token features for the span head and candidate spans.
 *
 * Step features (FEAT_NSTEP): history length, nothing done yet, the
 * last operation (5), scroll position (3), marks, share of new marks,
 * instruction length, quotes, a typing verb, the last value typed is
 * one of the instruction's, a value still to type (not typed, held by
 * no field, not written on the page), no candidate value at all, every
 * clause done, the share of clauses done, the share of the content words
 * written on no mark, the best share one mark holds, a record word
 * written on no mark (the record is elsewhere: scroll).  Clauses: the
 * instruction split at , ; . ! ? and before "then", "and", "after",
 * "next", "finally"; one is done when an action of the history names
 * half its content words (an action that typed or chose a value: only
 * a clause naming a word of that value, version 5).
 *
 * Token features (FEAT_NTOKF, for the span head): quoted, capitalised,
 * digits or a shape, in a value after a typing verb, first of a
 * candidate value, in one, a word of a value typed before, a stopword,
 * last of a candidate value, a word naming a record (an owner before a
 * possessive, a topic after a tie word: "Ann Lee's post"), a word
 * written on a mark of the page, itself or by a synonym (it names a
 * control, not a value: "Recover my account" and "Forgot password?").
 */
#ifndef WEBNAV_FEATURES_H
#define WEBNAV_FEATURES_H

#include <stddef.h>
#include <stdint.h>

struct obs;
struct mark;

#define FEAT_VERSION	6

/* Dense per-mark feature layout (floats). */
#define FEAT_NLEX	74	/* lexical match, first in dense */
#define FEAT_NGEO	24	/* geometry and state */
#define FEAT_NCROP	16	/* screenshot crop statistics */
#define FEAT_NHIST	8	/* per-mark history flags */
#define FEAT_NDENSE	(FEAT_NLEX + FEAT_NGEO + FEAT_NCROP + FEAT_NHIST)
#define FEAT_NSTEP	23	/* per-step features */
#define FEAT_NTOKF	11	/* per instruction token, for the span head */
#define FEAT_NOPTLEX	16	/* per select option */
#define FEAT_NBAGS	4	/* text, attributes, label, container */
#define FEAT_NOWN	3	/* of which the mark's own */
#define FEAT_NCAT	3	/* tag, role, input type */
#define FEAT_NPSEUDO	3	/* DONE, SCROLL_UP, SCROLL_DOWN */

/* Pseudo-mark rows follow the marks: row nmarks + FEAT_PSEUDO_*. */
enum { FEAT_PSEUDO_DONE = 0, FEAT_PSEUDO_UP, FEAT_PSEUDO_DOWN };

/* Chunk shapes. */
enum {
	FEAT_SHAPE_NONE = 0, FEAT_SHAPE_NUM, FEAT_SHAPE_PRICE,
	FEAT_SHAPE_DATE, FEAT_SHAPE_TIME, FEAT_SHAPE_EMAIL, FEAT_SHAPE_URL,
	FEAT_SHAPE_PHONE
};

/* Token flags. */
#define FEAT_TF_QUOTED	0x01	/* inside quotes */
#define FEAT_TF_CAP	0x02	/* first letter upper case in the source */
#define FEAT_TF_DIGIT	0x04	/* all digits */
#define FEAT_TF_STOP	0x08	/* stopword */
#define FEAT_TF_CHUNK0	0x10	/* first token of its chunk */

/* Candidate span kinds. */
enum {
	FEAT_SPAN_QUOTE = 1,	/* a quoted span */
	FEAT_SPAN_VERB,		/* after a typing verb ("type X", "search for X") */
	FEAT_SPAN_LABEL,	/* after a field's label ("zip code 90028") */
	FEAT_SPAN_SHAPE		/* an email, number, date, ... chunk */
};

#define FEAT_TOK_MAX	32	/* bytes of a normalised token */
#define FEAT_TEXT_MAX	4096	/* bytes of any text tokenized */
#define FEAT_NONE	UINT32_MAX

struct feat_config {
	uint32_t	version;	/* FEAT_VERSION */
	uint32_t	hash_bits;	/* table rows = 1 << hash_bits */
	uint32_t	dim;		/* embedding width */
	uint32_t	ngram_min;	/* character n-grams, with < > marks */
	uint32_t	ngram_max;
	uint32_t	cat_bits;	/* tag and role tables: 1 << cat_bits */
	uint32_t	type_bits;	/* input type table */
	uint32_t	max_instr;	/* instruction tokens kept */
	uint32_t	max_marks;	/* marks featurised (reading order) */
	uint32_t	max_bag;	/* tokens per bag */
	uint32_t	max_hist;	/* most recent history entries */
	uint32_t	max_options;	/* options per select */
	uint32_t	span_max;	/* tokens in a value span */
	uint32_t	seed;		/* base of the namespace seeds */
	uint32_t	bigrams;	/* 1: instruction word bigrams */
};

/* One token of a text. */
struct feat_token {
	char		norm[FEAT_TOK_MAX];	/* folded, lower case */
	uint32_t	len;			/* bytes in norm */
	uint32_t	start, end;		/* byte range in the source */
	uint32_t	flags;			/* FEAT_TF_* */
	uint32_t	shape;			/* FEAT_SHAPE_* of its chunk */
	uint32_t	chunk;			/* index of its chunk */
	uint32_t	quote;			/* quoted region, 1-based; 0 */
};

/* A candidate value span of the instruction: tokens start..end. */
struct feat_span {
	int	start, end;	/* inclusive instruction token indices */
	int	kind;		/* FEAT_SPAN_* */
};

/* One earlier action, as the featuriser sees it. */
struct feat_hist {
	int		 op;		/* enum action_op */
	const char	*desc;		/* "[role] text" of the acted mark */
	const char	*value;		/* typed or selected value, or NULL */
	int		 mark;		/* id of the acted element in the
					   current observation, 0 unknown */
};

struct feat_step {
	/* Instruction: T tokens. */
	int		 T;
	char		*instr;		/* the instruction text (copy) */
	struct feat_token *itok;	/* [T] */
	int		*itok_u;	/* [T] unique-token index */
	uint32_t	*ibigram;	/* [T] bigram row (t-1, t), or
					   FEAT_NONE */
	float		*itokf;		/* [T x FEAT_NTOKF] span features */
	struct feat_span *span;		/* [nspan] candidate value spans */
	int		 nspan;

	/* Unique tokens: U, each word + optional shape + n-gram rows. */
	int		 U;
	uint64_t	*ukey;		/* [U] full hash of the normal form */
	uint32_t	*uword;		/* [U] word row */
	uint32_t	*ushape;	/* [U] shape row or FEAT_NONE */
	int		*ung_off;	/* [U + 1] into ung */
	uint32_t	*ung;		/* [ung_off[U]] n-gram rows */

	/* Marks: N, in observation order. */
	int		 N;
	int		*mark_id;	/* [N] struct mark id */
	int		*bag_off;	/* [N * FEAT_NBAGS + 1] into bag */
	int		*bag;		/* [nbag] unique-token indices */
	int		 nbag;
	uint32_t	*cat;		/* [N x FEAT_NCAT] tag, role, type rows */
	float		*dense;		/* [N x FEAT_NDENSE] */
	unsigned char	*row_mask;	/* [N + FEAT_NPSEUDO] 1: may be
					   chosen */

	/* Options of selects: mark e has opt_off[e] .. opt_off[e+1]. */
	int		*opt_off;	/* [N + 1] */
	int		 nopt;
	int		*obag_off;	/* [nopt + 1] into bag */
	float		*optlex;	/* [nopt x FEAT_NOPTLEX] */

	/* History bag and step features. */
	int		*hbag;		/* [nh] unique-token indices */
	int		 nh;
	float		 stepf[FEAT_NSTEP];

	void		*mem;		/* arena (private) */
};

/* Fills c with the defaults (2^16 x 64 table, n-grams 3..5, ...). */
void	feat_default_config(struct feat_config *c);
/* 0 if c is usable, else ERR_INVALID with *causep. */
int	feat_check_config(const struct feat_config *c, char **causep);

/*
 * Tokenises text (at most FEAT_TEXT_MAX bytes of it) into toks (at most
 * max); returns the number of tokens.  Quotes and shapes as above.
 */
int	feat_tokenize(const char *text, struct feat_token *toks, int max);

/*
 * A word of the same meaning as w (lower case) from the synonym table,
 * the one at r (0 <= r < 1) of all, into out (n bytes); returns how many
 * there are, 0 for none (or out too small).  For training: the trainer
 * swaps instruction words for these, so the model learns to trust the
 * synonym features.
 */
int	feat_synonym(const char *w, double r, char *out, size_t n);

/* Hash of s (n bytes) in namespace ns (FEAT_NS_*), full 64 bits. */
enum {
	FEAT_NS_WORD = 1, FEAT_NS_NGRAM, FEAT_NS_BIGRAM, FEAT_NS_SHAPE,
	FEAT_NS_TAG, FEAT_NS_ROLE, FEAT_NS_TYPE
};
uint64_t feat_hash(const struct feat_config *c, int ns, const char *s,
	    size_t n);

/*
 * Featurises one step: the instruction, the history (oldest first,
 * nhist entries) and the observation.  *sp is allocated (feat_step_free);
 * img (RGBA, may be NULL) gives the crop statistics.
 */
struct img;
int	feat_step_build(const struct feat_config *c, const char *instr,
	    const struct feat_hist *hist, size_t nhist, const struct obs *o,
	    const struct img *img, struct feat_step **sp, char **causep);
void	feat_step_free(struct feat_step *s);

/* The step's candidate span index that best covers tokens a..b, or -1. */
int	feat_span_find(const struct feat_step *s, int a, int b);
/*
 * The instruction text of tokens a..b (original case, from the start of
 * a to the end of b, surrounding quotes excluded); allocated.
 */
char	*feat_span_text(const struct feat_step *s, int a, int b);

/* Names of the dense features (for debugging and docs); NULL past end. */
const char *feat_dense_name(int i);

#endif /* WEBNAV_FEATURES_H */
