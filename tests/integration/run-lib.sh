# run-lib.sh: helpers for the "webnav run" scripts (run-*.sh).
#
# Sourced after lib.sh.  run() carries a task file of tests/tasks/run to
# its end with the built webnav; the other helpers read what it left: the
# exit status, the run directory's result.json, stdout and stderr.

TASKS="$top_srcdir/tests/tasks/run"
TSITE="$top_srcdir/tests/sites/tasks"
# Bound on one webnav run, so a hang fails the test instead of stalling it.
RUN_LIMIT=90

# run NAME TASK [ARGS...]: "webnav run ARGS --out $T/NAME TASKS/TASK.json"
# with stdout in $T/NAME.out and stderr in $T/NAME.err; sets rc (exit
# status) and ms (wall time in milliseconds).
run() {
	local name=$1 task=$2 t0
	shift 2
	t0=$(date +%s%N)
	timeout -k 5 "$RUN_LIMIT" "$WEBNAV" run "$@" --out "$T/$name" \
	    "$TASKS/$task.json" >"$T/$name.out" 2>"$T/$name.err"
	rc=$?
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	note "$name: exit $rc in $ms ms: $(head -c 300 "$T/$name.out" | tr "\n" " ")"
}

# field NAME KEY: the value of KEY in $T/NAME/result.json (strings without
# their quotes, JSON escapes kept).
field() {
	sed -n "s/^[[:space:]]*\"$2\":[[:space:]]*//p" "$T/$1/result.json" \
	    2>/dev/null | head -n 1 | sed -e 's/,$//' -e 's/^"\(.*\)"$/\1/'
}

# outcome_is NAME OUTCOME: result.json says OUTCOME.
outcome_is() {
	[ "$(field "$1" outcome)" = "$2" ] || {
		note "$1: outcome \"$(field "$1" outcome)\", want \"$2\"" \
		    "(reason: $(field "$1" reason))"
		run_tail "$1"
		return 1
	}
}

# run_tail NAME: notes what NAME's run left, for a failed check: whether
# result.json exists, and the end of its stdout and stderr.
run_tail() {
	local f

	[ -s "$T/$1/result.json" ] || note "$1: no result.json"
	for f in "$T/$1.out" "$T/$1.err"; do
		[ -s "$f" ] || continue
		tail -n 8 "$f" | while IFS= read -r l; do
			note "$1: ${f##*.}: $l"
		done
	done
}

# reason_has NAME TEXT: result.json's reason contains TEXT.
reason_has() {
	case "$(field "$1" reason)" in
	*"$2"*) return 0 ;;
	esac
	note "$1: reason \"$(field "$1" reason)\" lacks \"$2\""
	return 1
}

# run_files NAME: the run directory holds a complete trajectory: task.json,
# result.json, report.html, and steps.jsonl with one line per step and a
# screenshot and a Set-of-Mark PNG for each.
run_files() {
	local d="$T/$1" steps lines i f
	steps=$(field "$1" steps)
	for f in task.json result.json report.html steps.jsonl; do
		[ -s "$d/$f" ] || { note "$1: no $f"; return 1; }
	done
	lines=$(grep -c . "$d/steps.jsonl")
	[ "$lines" = "$steps" ] || {
		note "$1: $lines lines in steps.jsonl for $steps steps"
		return 1
	}
	for i in $(seq 1 "$steps"); do
		for f in "$(printf 'step-%03d.png' "$i")" \
		    "$(printf 'step-%03d-som.png' "$i")"; do
			head -c 8 "$d/$f" 2>/dev/null | od -An -c |
			    grep -q 'P   N   G' || {
				note "$1: $f is not a PNG"
				return 1
			}
		done
	done
}

# seconds_under NAME MS: result.json's seconds are under MS milliseconds.
seconds_under() {
	awk -v s="$(field "$1" seconds)" -v lim="$2" \
	    'BEGIN { exit !(s != "" && s * 1000 < lim) }'
}

# seconds_over NAME MS: result.json's seconds are at least MS milliseconds.
seconds_over() {
	awk -v s="$(field "$1" seconds)" -v lim="$2" \
	    'BEGIN { exit !(s != "" && s * 1000 >= lim) }'
}

# site_start_log DIR VAR LOG: as site_start, with sitesrv -v logging each
# request to LOG.
site_start_log() {
	local dir=$1 var=$2 log=$3 fifo="$T/port.$$.$RANDOM" port=""
	mkfifo "$fifo"
	"$SITESRV" -v -r "$dir" -p 0 >"$fifo" 2>"$log" &
	site_pids="$site_pids $!"
	read -r _ port <"$fifo"
	rm -f "$fifo"
	eval "$var=\$port"
}

# known_bug NAME WHY: reports NAME as a TODO failure (a known bug, listed
# but not failing the script), as TAP "not ok N - NAME # TODO WHY".
known_bug() {
	tap_n=$((tap_n + 1))
	echo "not ok $tap_n - $1 # TODO $2"
}
