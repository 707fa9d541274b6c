#!/bin/bash
# model-live.sh: the bundled model (model/weights/default.wnm) passes a
# small fixed set of live tasks: generated episodes of held-out phrasings
# and held-out families (webnav bench gym, a fixed seed, pages it was not
# trained on), run through the same step loop as "webnav run", and one
# "webnav run" of the README's quick start.  Skipped when the weights have not
# been built ("make model").
. "$(dirname "$0")/lib.sh"

W="$top_srcdir/model/weights/default.wnm"
[ -f "$W" ] || skip_all "no bundled weights: make model builds them"
export WEBNAV_GEN_DIR="$top_srcdir/model/gen"

# Twelve generated episodes per set; their seed is fixed.
timeout -k 5 900 "$WEBNAV" bench gym -q -n 12 --seed 7 -p ranker -m "$W" \
    -o "$T/gym" >"$T/gym.out" 2>"$T/gym.err"
rc=$?
note "bench gym: exit $rc: $(head -c 400 "$T/gym.out" | tr '\n' ' ')"
check "bench gym: exits 0" test "$rc" = 0
# "| ranker | 91.7% (12) | 75.0% (12) |": successes per set.
won() {
	awk -F'|' -v col="$1" '$2 ~ /ranker/ {
		gsub(/[%() ]/, " ", $col); split($col, v, " ");
		printf "%.0f\n", v[1] * v[2] / 100; exit }' "$T/gym.out"
}
ph=$(won 3)
fa=$(won 4)
note "held-out phrasings: ${ph:-?}/12, held-out families: ${fa:-?}/12"
# The bundled model of 2026-11-26 (third session) wins 11 and 6 here;
# one less is allowed for a page whose timing differs on a busy machine.
check "bench gym: at least 9 of 12 held-out phrasings" \
    test "${ph:-0}" -ge 9
check "bench gym: at least 5 of 12 held-out families" \
    test "${fa:-0}" -ge 5
check "bench gym: every episode has a result" \
    test "$(grep -c '"outcome"' "$T/gym/results.json")" = 24

# The default policy of "webnav run" is the bundled model: the README's
# quick start, a sign-in on the bank site of the live suite.
timeout -k 5 300 "$WEBNAV" run --site "$top_srcdir/tests/sites/suite" \
    --out "$T/run" "$top_srcdir/tests/suite/tasks/bank-login.json" \
    >"$T/run.out" 2>"$T/run.err"
rc=$?
note "run: exit $rc: $(head -c 300 "$T/run.out" | tr '\n' ' ')"
check "run: the default policy is the ranker" \
    grep -q '(policy ranker)$' "$T/run.err"
check "run: the bank sign-in task succeeds" test "$rc" = 0
tap_done
