/*
 * traj.h: trajectories (run directories) and their HTML report.
 *
 * A run directory holds task.json, steps.jsonl (one JSON line per step:
 * url, marks, chosen action, top-5 alternatives with scores, timings,
 * outcome), step-NNN.png, step-NNN-som.png (chosen mark highlighted),
 * result.json and report.html (self-contained: images inlined as data URLs,
 * no script needed, opens offline in any browser).  Secret variable values
 * are redacted ("********") from every text file written: raw, quoted as in
 * an action's text form, JSON-escaped, and a leading part of 12 bytes or
 * more of a long secret (page text is capped); a record whose JSON
 * structure itself matches a secret is withheld.  Screenshots are written
 * as captured and cannot be redacted.  A traj is used by one thread.
 *
 * One line of steps.jsonl (keys in this order):
 *   {"step":1, "instr":0, "instruction":"...", "url":"...", "title":"...",
 *    "viewport":{"w":1280,"h":800,"scroll_x":0,"scroll_y":0,"scale":1},
 *    "action":{"op":"click","mark":12}, "action_text":"CLICK [12]",
 *    "target":{...the chosen mark as obs_mark_json()...} or null,
 *    "score":1.5,
 *    "top":[{"action":{...},"text":"CLICK [3]","score":0.7}, ...],
 *    "policy_info":{...} (only when the policy gave one: the remote
 *                   policy's model, shortlist, tokens and latency),
 *    "timings":{"observe":..,"decide":..,"act":..,"settle":..,"check":..,
 *               "total":..},
 *    "marks":[...obs_marks_json()...],
 *    "screenshot":"step-001.png", "som":"step-001-som.png",
 *    "error":null}
 * Without a decision action, action_text, target and score are null and
 * top is []; without an observation url, title, viewport are null and marks
 * is []; screenshot and som are null when not written; error is null or
 * why the step failed (and why an image is missing).
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
 * must outlive the traj (it is used for redaction).  A directory that
 * already holds steps.jsonl is refused (ERR_INVALID), so nothing recorded is
 * overwritten.  policy may be NULL (scripted runs).  On failure *causep
 * (if not NULL) explains.
 */
int	traj_open(const char *dir, const struct task *t, const char *policy,
	    struct traj **trp, char **causep);
/*
 * Writes a step's images and appends its line to steps.jsonl (written
 * whole, not fsync'd until traj_finish()).  Step numbers must increase
 * (ERR_INVALID otherwise).  A Set-of-Mark image that cannot be drawn is
 * noted in the line's error; an image that cannot be written returns
 * ERR_IO after the line is written.
 */
int	traj_step(struct traj *tr, const struct traj_step *s);
/*
 * fsyncs what the run wrote, then writes result.json and report.html (from
 * steps.jsonl as written).  Call once; no step may follow.
 */
int	traj_finish(struct traj *tr, const struct agent_result *res);
const char *traj_dir(const struct traj *tr);
void	traj_free(struct traj *tr);

/*
 * Reads steps.jsonl of a run directory into an array of JSON objects (one
 * per step; cJSON_Delete the array).  For the replay policy.  Caps: 256 MiB
 * in all, 64 MiB a line.  Blank lines are skipped; a malformed line is
 * ERR_PARSE with *causep "DIR/steps.jsonl: line N: ..."; a missing file is
 * ERR_NOTFOUND.
 */
int	traj_load_steps(const char *dir, cJSON **stepsp, char **causep);

#endif /* WEBNAV_TRAJ_H */
