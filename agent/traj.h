/*
 * traj.h: trajectories (run directories) and their HTML report.
 *
 * A run directory holds task.json, steps.jsonl (one JSON line per step:
 * url, marks, chosen action, top-5 alternatives with scores, timings,
 * outcome), step-NNN.png, step-NNN-som.png (chosen mark highlighted),
 * result.json and report.html (self-contained: images inlined as data URLs,
 * no script needed, opens offline in any browser).  Secret variable values
 * are redacted from everything written.
 *
 * One line of steps.jsonl (keys in this order):
 *   {"step":1, "instr":0, "instruction":"...", "url":"...", "title":"...",
 *    "viewport":{"w":1280,"h":800,"scroll_x":0,"scroll_y":0,"scale":1},
 *    "action":{"op":"click","mark":12}, "action_text":"CLICK [12]",
 *    "target":{...the chosen mark as obs_mark_json()...} or null,
 *    "score":1.5,
 *    "top":[{"action":{...},"text":"CLICK [3]","score":0.7}, ...],
 *    "timings":{"observe":..,"decide":..,"act":..,"settle":..,"check":..,
 *               "total":..},
 *    "marks":[...obs_marks_json()...],
 *    "screenshot":"step-001.png", "som":"step-001-som.png",
 *    "error":null}
 */
#ifndef WEBNAV_TRAJ_H
#define WEBNAV_TRAJ_H

#include <stddef.h>

#include <cjson/cJSON.h>

struct agent_result;
struct agent_timing;
struct obs;
struct policy_decision;
struct task;

struct traj;

struct traj_step {
	int				 n;	/* 1-based */
	int				 instr;	/* instruction index */
	const char			*instr_text;
	const struct obs		*obs;
	const struct policy_decision	*dec;	/* NULL if none */
	const struct agent_timing	*t;
	const char			*error;	/* NULL, or why the step
						   failed */
};

/*
 * Creates the run directory (and parents) and writes task.json.  The task
 * must outlive the traj (it is used for redaction).
 */
int	traj_open(const char *dir, const struct task *t, const char *policy,
	    struct traj **trp, char **causep);
/* Writes a step's images and appends its line to steps.jsonl. */
int	traj_step(struct traj *tr, const struct traj_step *s);
/* Writes result.json and report.html. */
int	traj_finish(struct traj *tr, const struct agent_result *res);
const char *traj_dir(const struct traj *tr);
void	traj_free(struct traj *tr);

/*
 * Reads steps.jsonl of a run directory into an array of JSON objects (one
 * per step; cJSON_Delete the array).  For the replay policy.
 */
int	traj_load_steps(const char *dir, cJSON **stepsp, char **causep);

#endif /* WEBNAV_TRAJ_H */
