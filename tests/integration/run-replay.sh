#!/bin/bash
# run-replay.sh: a run recorded with the lexical policy replays (--policy
# replay --replay RUNDIR) on a redesigned page: the same form with its
# elements in another order and place and with other classes
# (profile-v2.html), so every recorded mark has a new number.  The replay's
# goal says nothing useful, so only the recording can make it succeed; a
# lexical run with that goal does not.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/run-lib.sh"

site_start "$TSITE" PORT
BASE="http://127.0.0.1:$PORT"

# acts NAME: the operations and mark numbers of a run, one line.
acts() {
	grep -o '"action_text":"[A-Z]* \[[0-9]*\]' "$T/$1/steps.jsonl" |
	    sed 's/"action_text":"//' | tr '\n' ' '
}

run rec profile --policy lexical --var BASE="$BASE"
check "record: exits 0" test "$rc" = 0
check "record: outcome success" outcome_is rec success
check "record: four actions" test "$(field rec steps)" = 4

run replay profile --var BASE="$BASE" --var PAGE=profile-v2.html \
    --var GOAL="Do what was recorded" --policy replay --replay "$T/rec"
check "replay: exits 0" test "$rc" = 0
check "replay: outcome success" outcome_is replay success
check "replay: policy replay" test "$(field replay policy)" = replay
check "replay: trajectory files" run_files replay
check "replay: the same operations in the same order" \
    test "$(acts rec | sed 's/ \[[0-9]*\]//g')" = \
    "$(acts replay | sed 's/ \[[0-9]*\]//g')"
# Recorded and replayed mark numbers side by side, one pair a line.
paste -d' ' <(acts rec | tr ' ' '\n' | grep '^\[') \
    <(acts replay | tr ' ' '\n' | grep '^\[') >"$T/pairs"
check "replay: every mark moved ($(tr '\n' ',' <"$T/pairs"))" \
    test "$(awk '$1 != $2' "$T/pairs" | wc -l)" = 4
check "replay: no step fell back to the lexical policy" \
    sh -c "! grep -q 'lexical decides' '$T/replay.err'"
check "replay: stdout names the outcome" \
    grep -q '^profile: success after 4 steps' "$T/replay.out"

# Control: the goal alone gets nowhere.
run control profile --policy lexical --var BASE="$BASE" --var PAGE=profile-v2.html \
    --var GOAL="Do what was recorded"
check "control: lexical with that goal does not succeed" test "$rc" = 1
check "control: outcome is not success" \
    test "$(field control outcome)" != success

check "no Chromium left behind" test "$(chromium_count)" -eq 0
tap_done
