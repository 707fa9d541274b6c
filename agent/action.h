/*
 * action.h: actions, their JSON and one-line text forms, and their
 * execution on a page.
 *
 *   JSON                                   text
 *   {"op":"click","mark":12}               CLICK [12]
 *   {"op":"type","mark":5,"value":"John"}  TYPE [5] "John"
 *   {"op":"select","mark":7,"value":"Blue"} SELECT [7] "Blue"
 *   {"op":"hover","mark":3}                HOVER [3]
 *   {"op":"press","key":"Enter"}           PRESS Enter
 *   {"op":"scroll","dir":"down"}           SCROLL down
 *   {"op":"back"}                          BACK
 *   {"op":"navigate","url":"http://.."}    NAVIGATE "http://.."
 *   {"op":"done"}                          DONE
 *   {"op":"wait","ms":500}                 WAIT 500 (task files only)
 *
 * TYPE with "submit":true is written TYPE [5] "John" SUBMIT.  Values are
 * quoted with backslash escapes (\" \\ \n \t \xHH).  Keys are stored as
 * modifiers in the order Ctrl, Alt, Shift, Meta, then a DOM key name or one
 * character, lower case under Ctrl/Alt/Meta ("ctrl+A" is "Ctrl+a").
 *
 * Scripted actions (task files, actions mode) address their element by
 * "text", "role", "label" and/or "selector" (CSS) instead of "mark", with
 * "nth" (0-based) among several matches; their text form, for logs only,
 * is CLICK {text="Sign in", role="button", nth=1}.
 */
#ifndef WEBNAV_ACTION_H
#define WEBNAV_ACTION_H

#include <cjson/cJSON.h>

struct cdp_page;
struct obs;

enum action_op {
	ACT_NONE = 0,
	ACT_CLICK,
	ACT_TYPE,
	ACT_SELECT,
	ACT_HOVER,
	ACT_PRESS,
	ACT_SCROLL,
	ACT_BACK,
	ACT_NAVIGATE,
	ACT_WAIT,		/* scripted only: {"op":"wait","ms":500} */
	ACT_DONE
};

struct action_target {
	char	*text;		/* visible text, label or attribute text */
	char	*role;
	char	*label;
	char	*selector;	/* CSS, top frame then frames in order */
	int	 nth;
};

struct action {
	enum action_op	 op;
	int		 mark;		/* 1-based mark id, 0 if none */
	char		*value;		/* TYPE text, SELECT option, NAVIGATE
					   url */
	char		*key;		/* PRESS key name ("Enter", "Ctrl+a") */
	int		 dir;		/* SCROLL: 1 down, -1 up */
	int		 ms;		/* WAIT */
	int		 submit;	/* TYPE: press Enter afterwards */
	struct action_target tgt;	/* scripted addressing */
};

/* Name of op in lower case ("click"). */
const char *action_op_name(enum action_op op);
/* Resets a to ACT_NONE, freeing its strings. */
void	action_clear(struct action *a);
/* Deep copy; dst is overwritten, not freed first. */
void	action_copy(struct action *dst, const struct action *src);
/* 1 if a and b are the same action (every field, targets included). */
int	action_equal(const struct action *a, const struct action *b);

/*
 * Parses the text form, tolerating surrounding prose (the first action
 * found wins) and case in the op.  On failure ERR_PARSE and *causep.
 */
int	action_parse_text(const char *s, struct action *a, char **causep);
/* The text form (allocated).  value is shown as given. */
char	*action_format(const struct action *a);

cJSON	*action_to_json(const struct action *a);
/*
 * Parses JSON; allow_target permits scripted addressing.  *causep names the
 * offending field ("op: unknown operation \"jump\"").
 */
int	action_from_json(const cJSON *j, int allow_target, struct action *a,
	    char **causep);

/*
 * Finds the mark a scripted target addresses on page/o; *markp is its id.
 * ERR_NOTFOUND with a cause when nothing matches.
 */
int	action_resolve(struct cdp_page *page, const struct obs *o,
	    const struct action *a, int *markp, char **causep);

/*
 * Performs a on the page observed as o: scrolls the mark into view, real
 * mouse events at its centre, Input.insertText and key events for typing
 * (replacing the field's content), option choice for selects.
 */
int	action_exec(struct cdp_page *page, const struct obs *o,
	    const struct action *a, char **causep);

#endif /* WEBNAV_ACTION_H */
