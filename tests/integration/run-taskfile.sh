#!/bin/bash
# run-taskfile.sh: "webnav run" refuses bad task files and arguments with
# exit status 2 and one clear message each ("FILE: FIELD: what is wrong"),
# before it starts a browser or creates the run directory.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/run-lib.sh"

# bad NAME TASK MESSAGE [ARGS...]: running TASK fails with MESSAGE.
bad() {
	local name=$1 task=$2 msg=$3
	shift 3
	run "$name" "$task" "$@"
	check "$name: exits 2" test "$rc" = 2
	check "$name: says \"$msg\"" grep -qF -- "$msg" "$T/$name.err"
	check "$name: one line on stderr, nothing on stdout" \
	    test "$(wc -l <"$T/$name.err")" = 1 -a ! -s "$T/$name.out"
	check "$name: no run directory" test ! -e "$T/$name"
}

bad json bad-json \
    "webnav: $TASKS/bad-json.json: line 4, column 2: invalid JSON near '\"max_steps\": 5'"
bad type bad-type \
    "webnav: $TASKS/bad-type.json: max_steps: must be an integer from 1 to 500"
bad nogoal bad-no-goal \
    "webnav: $TASKS/bad-no-goal.json: goal: missing (give goal, goal_js, steps or actions)"
bad unknown bad-unknown \
    "webnav: $TASKS/bad-unknown.json: max_step: unknown field"
bad missing no-such-task "no-such-task.json: No such file or directory"
bad var goal "--var BASE: expected NAME=VALUE" --var BASE
bad policy goal '--policy: unknown policy "nope"' --policy nope \
    --var BASE=http://127.0.0.1:1

# Each message is its own.
check "the four task file errors differ" \
    test "$(cat "$T"/json.err "$T"/type.err "$T"/nogoal.err \
    "$T"/unknown.err | sort -u | wc -l)" = 4
check "no Chromium running" test "$(chromium_count)" -eq 0
tap_done
