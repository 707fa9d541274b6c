#!/bin/bash
# bench-suite.sh: "webnav bench suite" on a 3-task suite in real Chromium:
# scripted runs all succeed, a policy run reports per-policy figures as a
# markdown table and JSON, two policies compare in one run, and bad input
# is refused.
. "$(dirname "$0")/lib.sh"

SUITE="$top_srcdir/tests/suite/tiny.json"
SCRIPTED="$top_srcdir/tests/suite/scripted"

# The reference scripts: every task must succeed (--strict exits 1 if not).
timeout 300 "$WEBNAV" bench suite -q --strict --json --scripted "$SCRIPTED" \
    "$SUITE" >"$T/scripted.json" 2>"$T/scripted.err"
rc=$?
check "scripted run exits 0" test "$rc" -eq 0
[ "$rc" -eq 0 ] || sed 's/^/# /' "$T/scripted.err"
check "scripted run: 3 of 3 succeed" grep -q '"success":[[:space:]]*3,' \
    "$T/scripted.json"
check "scripted run: policy is \"scripted\"" \
    grep -q '"policy":[[:space:]]*"scripted"' "$T/scripted.json"
check "JSON names the machine and the command" bash -c \
    "grep -q '\"cores\"' '$T/scripted.json' &&
     grep -q '\"command\":[[:space:]]*\"webnav bench suite' '$T/scripted.json'"

# A policy, twice in one run, with results written to a directory.
timeout 600 "$WEBNAV" bench suite -p lexical,lexical -o "$T/out" "$SUITE" \
    >"$T/lex.md" 2>"$T/lex.err"
rc=$?
check "policy run exits 0 (whatever the success rate)" test "$rc" -eq 0
[ "$rc" -eq 0 ] || sed 's/^/# /' "$T/lex.err"
check "markdown table header" grep -q \
    '^| policy | tasks | success | success rate | mean steps | s/step median | s/step p95 |$' \
    "$T/lex.md"
check "one row per policy (a repeat as lexical#2)" bash -c \
    "grep -q '^| lexical | 3 | ' '$T/lex.md' &&
     grep -q '^| lexical#2 | 3 | ' '$T/lex.md'"
check "progress lines on stderr (not a terminal)" grep -q '^\[6/6\] ' \
    "$T/lex.err"
check "results.json and results.md written" test -s "$T/out/results.json" \
    -a -s "$T/out/results.md"
n=$(grep -c '"outcome":' "$T/out/results.json")
check "6 runs recorded (3 tasks x 2 policies)" test "$n" -eq 6
check "step seconds have median and p95" bash -c \
    "grep -q '\"median\"' '$T/out/results.json' &&
     grep -q '\"p95\"' '$T/out/results.json'"
check "a trajectory per run" test "$(ls -d "$T"/out/lexical*/*/ | wc -l)" -eq 6
check "trajectories hold report.html" test -s \
    "$T/out/lexical/001-mail-star-school-trip/report.html"

# A directory of tasks with --site.
mkdir -p "$T/dir"
cp "$top_srcdir/tests/suite/tasks/console-timezone.json" "$T/dir/"
timeout 120 "$WEBNAV" bench suite -q --json --strict --scripted "$SCRIPTED" \
    --site "$top_srcdir/tests/sites/suite" "$T/dir" >"$T/dir.json" 2>&1
check "a directory suite runs with --site" grep -q \
    '"success_rate":[[:space:]]*1' "$T/dir.json"

# Refusals.
"$WEBNAV" bench suite -q -p nosuch "$SUITE" >/dev/null 2>"$T/e1"
check "unknown policy: exit 2" test $? -eq 2
check "... names the known ones" grep -q 'known: ' "$T/e1"
"$WEBNAV" bench suite -q "$T/missing.json" >/dev/null 2>"$T/e2"
check "missing suite: exit 2" test $? -eq 2
printf '{"tasks": ["nope.json"]}' >"$T/bad.json"
"$WEBNAV" bench suite -q "$T/bad.json" >/dev/null 2>"$T/e3"
check "suite naming a missing task: exit 2" test $? -eq 2
check "... names the entry" grep -q 'tasks\[0\]: .*nope.json' "$T/e3"
printf '{"tasks": ["x"], "colour": 1}' >"$T/bad2.json"
"$WEBNAV" bench suite -q "$T/bad2.json" >/dev/null 2>"$T/e4"
check "unknown suite field: exit 2" grep -q 'colour: unknown field' "$T/e4"
"$WEBNAV" bench nosuch >/dev/null 2>&1
check "unknown benchmark: exit 2" test $? -eq 2

check "no Chromium left behind" test "$(chromium_count)" -eq 0
tap_done
