#!/bin/bash
# suite-scripted.sh: the live suite is sound: every task's reference script
# (tests/suite/scripted/) reaches success as the task's own checks decide,
# in real Chromium on the bundled sites.  A task no script can finish, or
# whose checks do not see the finished state, fails here.
. "$(dirname "$0")/lib.sh"

SUITE="$top_srcdir/tests/suite/live.json"
timeout 1200 "$WEBNAV" bench suite -q --json --scripted \
    "$top_srcdir/tests/suite/scripted" "$SUITE" >"$T/r.json" 2>"$T/r.err"
rc=$?
check "the suite ran" test "$rc" -eq 0
[ "$rc" -eq 0 ] && [ -s "$T/r.json" ] || sed 's/^/# /' "$T/r.err"
ntasks=$(ls "$top_srcdir"/tests/suite/tasks/*.json | wc -l)
check "at least 60 tasks" test "$ntasks" -ge 60
nsites=$(ls -d "$top_srcdir"/tests/sites/suite/*/ | wc -l)
check "on at least 8 sites" test "$nsites" -ge 8
# One TAP line per task, from the per-run results.
tr -d '\n\t' <"$T/r.json" | grep -o '{"task":[^}]*}' >"$T/runs"
check "every task ran" test "$(wc -l <"$T/runs")" -eq "$ntasks"
while read -r run; do
	name=$(printf '%s' "$run" | sed 's/.*"task":"\([^"]*\)".*/\1/')
	outcome=$(printf '%s' "$run" | sed 's/.*"outcome":"\([^"]*\)".*/\1/')
	check "scripted $name: $outcome" test "$outcome" = success
	[ "$outcome" = success ] || printf '%s\n' "$run" | sed 's/^/# /'
done <"$T/runs"
check "no Chromium left behind" test "$(chromium_count)" -eq 0
tap_done
