/*
 * model.h: the built-in model as one object: featuriser settings, the
 * network and a workspace; loading and saving .wnm files; prediction of
 * the next action from (instruction, history, observation).
 *
 * A struct model is used by one thread at a time (it holds the
 * workspace).  The weights file stores every featuriser and network
 * setting under "feat.*" and "nn.*" keys next to the tensors, so a file
 * can never be read with features it was not trained on.
 */
#ifndef WEBNAV_MODEL_H
#define WEBNAV_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "features.h"
#include "nn.h"

struct obs;
struct img;

/*
 * Network architecture; "model.version".  2: the mark encoder reads all
 * FEAT_NBAGS bags and every dense feature (version 1 files were trained
 * with a 3-bag input row that the container bag overran).
 */
#define MODEL_VERSION	2
#define MODEL_TOP	5

struct model;

/* One candidate action. */
struct model_choice {
	int	 row;		/* mark index, or nmarks + FEAT_PSEUDO_* */
	int	 mark_id;	/* struct mark id; 0 for pseudo-marks */
	int	 pseudo;	/* FEAT_PSEUDO_*, or -1 for a mark */
	int	 op;		/* NN_OP_* (marks only) */
	double	 prob;		/* softmax of the row's score */
	double	 op_prob;
	char	*value;		/* TYPE: copied span; SELECT: option text */
	int	 option;	/* SELECT: option index, else -1 */
	int	 span_start;	/* TYPE: instruction tokens, else -1 */
	int	 span_end;
};

struct model_pred {
	struct model_choice top[MODEL_TOP];	/* best first */
	int	 ntop;
	int	 nmarks;	/* marks scored */
	double	 feat_ms;	/* featurising */
	double	 net_ms;	/* network and heads */
};

/* A model with fresh weights drawn from seed. */
int	model_new(const struct feat_config *fc, const struct nn_config *nc,
	    uint64_t seed, struct model **mp, char **causep);
/* Loads a .wnm file; every failure has its cause in *causep. */
int	model_load(const char *path, struct model **mp, char **causep);
/* The same from a file image in memory. */
int	model_load_mem(const void *data, size_t len, struct model **mp,
	    char **causep);
/*
 * Saves m to path atomically; fp16: store the hashed table in half
 * precision (halves the file; the dense tensors stay fp32).
 */
int	model_save(const struct model *m, const char *path, int fp16,
	    char **causep);
void	model_free(struct model *m);

const struct feat_config *model_feat_config(const struct model *m);
struct nn *model_nn(struct model *m);
/* The model's workspace (training uses it for nn_loss). */
struct nn_run *model_run(struct model *m);

/*
 * Predicts the next action: featurises, scores every mark and the
 * pseudo-marks, picks the operation and copies the value.  p is cleared
 * first (model_pred_clear() frees its values).
 */
int	model_predict(struct model *m, const char *instr,
	    const struct feat_hist *hist, size_t nhist, const struct obs *o,
	    const struct img *im, struct model_pred *p, char **causep);
/* The same on an already featurised step (o gives ids and options). */
int	model_predict_step(struct model *m, const struct feat_step *s,
	    const struct obs *o, struct model_pred *p, char **causep);
void	model_pred_clear(struct model_pred *p);


#endif /* WEBNAV_MODEL_H */
