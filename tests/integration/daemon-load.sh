#!/bin/bash
# daemon-load.sh: 20 tasks on 4 sessions all end with the outcome they
# should have, at most 4 at once, each in a browser context of its own.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon-lib.sh"

site_start "$top_srcdir/tests/sites" PORT
BASE="http://127.0.0.1:$PORT"
daemon_conf a "sessions 4"
check "webnavd starts" daemon_start a || { tap_done; exit 1; }

# A task that succeeds only in a fresh context: it marks localStorage and
# fails if an earlier task's mark is there.
iso_task() {
	cat >"$1" <<EOF
{
	"name": "$2",
	"start_url": "$BASE/demo/index.html?t=$2",
	"setup_js": "window.__fresh = localStorage.getItem('mark') === null; localStorage.setItem('mark', '$2'); 1",
	"actions": [ { "op": "wait", "ms": 600 }, { "op": "done" } ],
	"success": [ { "js": "window.__fresh === true" } ]
}
EOF
}

declare -A want
ids=""
for i in $(seq 1 20); do
	case $((i % 4)) in
	0|1)	iso_task "$T/t$i.json" "iso$i"; want[iso$i]=succeeded ;;
	2)	task_file "$T/t$i.json" "ok$i" "$BASE/demo" 200
		want[ok$i]=succeeded ;;
	3)	task_file "$T/t$i.json" "bad$i" "$BASE/demo" 200 nope
		want[bad$i]=failed ;;
	esac
	ids="$ids $(wn a submit "$T/t$i.json")"
done
check "20 tasks submitted" test "$(wc -w <<<"$ids")" -eq 20

# Sample how many run at once until all have ended.
maxbusy=0
for i in $(seq 1 1200); do
	h=$(api a GET /v1/health)
	b=$(jf "$h" .sessions.busy)
	[ "$b" -gt "$maxbusy" ] && maxbusy=$b
	[ "$(jf "$h" '.tasks.queued + .tasks.running')" -eq 0 ] && break
	sleep 0.1
done
note "at most $maxbusy sessions busy at once"
check "all 20 ended" test "$(api a GET /v1/health | jq '.tasks.queued + .tasks.running')" -eq 0
check "4 sessions ran at once, never more" test "$maxbusy" -eq 4

bad=0
for id in $ids; do
	t=$(api a GET "/v1/tasks/$id")
	name=$(jf "$t" .name)
	st=$(jf "$t" .state)
	if [ "$st" != "${want[$name]}" ]; then
		note "task $id ($name): $st, want ${want[$name]}: $(jf "$t" .reason)"
		bad=$((bad + 1))
	fi
done
check "every task has the outcome it should" test "$bad" -eq 0
check "each ran once" test "$(api a GET '/v1/tasks?limit=100' |
    jq '[.tasks[] | select(.attempt != 1)] | length')" -eq 0
check "fresh browser context for every task" test "$(api a GET \
    '/v1/tasks?state=succeeded&limit=100' | jq '[.tasks[] |
    select(.name | startswith("iso"))] | length')" -eq 10
check "every run has its result.json" bash -c "
    for id in $ids; do [ -s '$T/a/state/runs/'\$id/result.json ] || exit 1
    done"
m=$(api a GET /metrics)
check "metrics count 20 attempts" test "$(grep '^webnavd_attempts_total' <<<"$m" |
    awk '{s += $2} END {print s}')" -eq 20
check "stops" daemon_stop a
check "no Chromium left" test "$(daemon_chromium a)" -eq 0
check "no sanitizer report in the daemon logs" logs_clean
tap_done
