#!/bin/bash
# run-timeout.sh: a page that never loads (sitesrv's /__hang) ends a task
# with the outcome timeout, within the configured time plus a margin for
# starting and stopping Chromium: as the start page, as a link's target
# against the task's timeout_ms, and against step_timeout_ms.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/run-lib.sh"

site_start "$TSITE" PORT
BASE="http://127.0.0.1:$PORT"
# Launching and closing Chromium and writing the report, on a loaded
# machine.
MARGIN=15000

# start_url hangs; timeout_ms is 3000.
run start hang-start --policy lexical --var BASE="$BASE"
check "hanging start page: exits 1" test "$rc" = 1
check "hanging start page: outcome timeout" outcome_is start timeout
check "hanging start page: reason names the page" \
    reason_has start "$BASE/__hang did not load"
check "hanging start page: no step taken" test "$(field start steps)" = 0
check "hanging start page: took the whole 3000 ms" seconds_over start 2900
check "hanging start page: and no more than 1000 ms over it" \
    seconds_under start 4000
check "hanging start page: webnav done within 3000 + $MARGIN ms ($ms)" \
    test "$ms" -lt $((3000 + MARGIN))
check "hanging start page: result.json and report.html written" \
    test -s "$T/start/result.json" -a -s "$T/start/report.html"

# A link to /__hang; timeout_ms is 4000 (step_timeout_ms follows it).
run link hang-link --policy lexical --var BASE="$BASE"
check "hanging link: exits 1" test "$rc" = 1
check "hanging link: outcome timeout" outcome_is link timeout
check "hanging link: reason says the page did not load" \
    reason_has link "step 1: the page was still loading or busy after"
check "hanging link: the click was step 1" \
    grep -q '"step":1,.*"action_text":"CLICK \[1\]"' "$T/link/steps.jsonl"
# The deadline holds (the step's own timeout would be 30 s); the bound only
# catches a hang: the last step may overrun it while a busy machine settles.
check "hanging link: stopped at the 4000 ms deadline" \
    seconds_under link 8000
check "hanging link: webnav done within 4000 + $MARGIN ms ($ms)" \
    test "$ms" -lt $((4000 + MARGIN))
check "hanging link: trajectory files" run_files link

# The same link with step_timeout_ms 2000 in a task of 60 s.
run step hang-step --policy lexical --var BASE="$BASE"
check "step timeout: exits 1" test "$rc" = 1
check "step timeout: outcome timeout" outcome_is step timeout
check "step timeout: reason" reason_has step \
    "step 1: the page was still loading or busy after"
check "step timeout: ended after the step's 2000 ms, not the task's 60 s" \
    seconds_under step 10000
check "step timeout: webnav done within 2000 + $MARGIN ms ($ms)" \
    test "$ms" -lt $((2000 + MARGIN))

check "no Chromium left behind" test "$(chromium_count)" -eq 0
tap_done
