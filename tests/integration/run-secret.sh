#!/bin/bash
# run-secret.sh: secret variables are typed into the page but written
# nowhere: not in the run directory (task.json, steps.jsonl, result.json,
# report.html), not on stdout (summary or --json) and not on stderr, even
# with debug logging of the DevTools traffic (-v).  The page is careless:
# it shows the secrets back in its text and title, and keeps them in field
# values, so redaction of page content is tested too.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/run-lib.sh"

site_start "$TSITE" PORT
BASE="http://127.0.0.1:$PORT"
# One from the environment (value_env), one marked secret in the file.
PW="Pw-Xylophone-7731"
KEY="k3y-Quartz-Meadow-Owl"
export WEBNAV_TEST_PASSWORD="$PW"

# leaks NAME: files of run NAME that hold a secret (none expected).
leaks() {
	grep -rlF -e "$PW" -e "$KEY" "$T/$1" "$T/$1.out" "$T/$1.err"
}

# A script: user name, API key and password typed, then Sign in.
run script secret -v --var BASE="$BASE"
check "script: exits 0" test "$rc" = 0
check "script: outcome success (the secrets were typed)" \
    outcome_is script success
check "script: trajectory files" run_files script
check "script: no secret in any file, stdout or stderr" \
    test -z "$(leaks script)"
check "script: steps.jsonl shows the redaction mark" \
    grep -qF '********' "$T/script/steps.jsonl"
check "script: the report shows the redaction mark" \
    grep -qF '********' "$T/script/report.html"
check "script: the debug log shows the redaction mark" \
    grep -qF '********' "$T/script.err"
check "script: the debug log is there (DevTools traffic)" \
    grep -q 'Input.insertText' "$T/script.err"
check "script: task.json keeps the plain variable" \
    grep -q '"ada"' "$T/script/task.json"

# Goal mode: the secret is part of the goal itself.
run goal secret-goal --policy lexical -v --json --var BASE="$BASE"
check "goal: exits 0" test "$rc" = 0
check "goal: outcome success" outcome_is goal success
check "goal: no secret in any file, stdout or stderr" \
    test -z "$(leaks goal)"
check "goal: --json output" grep -q '"outcome":"success"' "$T/goal.out"
check "goal: the instruction is recorded redacted" \
    grep -qF '"instruction":"Type \"ada\" into User name, type \"********\" into Password and click Sign in"' \
    "$T/goal/steps.jsonl"

# Without the environment variable the task does not load, and says so
# without a value.
unset WEBNAV_TEST_PASSWORD
run noenv secret --var BASE="$BASE"
check "no env: exits 2" test "$rc" = 2
check "no env: names the variable" grep -q \
    'secret.json: vars.PASSWORD.value_env: environment variable WEBNAV_TEST_PASSWORD is not set' \
    "$T/noenv.err"
check "no env: no secret on stderr" test -z "$(grep -F "$KEY" "$T/noenv.err")"

leaked=$(leaks script; leaks goal)
[ -z "$leaked" ] || note "leaked into: $leaked"
check "no Chromium left behind" test "$(chromium_count)" -eq 0
tap_done
