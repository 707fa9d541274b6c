#!/bin/sh
# remote-tokens.sh: what the remote policy's shortlist saves, in prompt
# tokens per step, on the live suite's pages (tests/sites/suite).
#
# Runs "webnav bench suite -p remote" on $SUITE (default
# tests/suite/live.json) twice against tests/remotesrv, which answers DONE
# to everything (so each task gives one step: its start page) and reports
# usage by the remote policy's documented estimate (a token per 4 bytes of
# message text, one per 28x28 px of image): once with top_k $K (default
# 10), once with every mark (top_k 0).  The image is the same size both
# times ($IMAGE px, default 1024); only the marks drawn and listed differ.
# The shortlist comes from the lexical scores (WEBNAV_MODEL is emptied) so
# the figures do not move with the bundled model.  Needs jq.  Run from the
# build directory after "make src/webnav tests/remotesrv"; results go to
# $OUT (default remote-tokens/).
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
SUITE=${SUITE:-$top_srcdir/tests/suite/live.json}
K=${K:-10}
IMAGE=${IMAGE:-1024}
OUT=${OUT:-remote-tokens}

[ -x src/webnav ] && [ -x tests/remotesrv ] || {
	echo "run from the build directory after make src/webnav tests/remotesrv" >&2
	exit 2
}
command -v jq >/dev/null 2>&1 || { echo "jq is needed" >&2; exit 2; }
rm -rf "$OUT"
mkdir -p "$OUT"
: >"$OUT/empty.script"
mkfifo "$OUT/port"
tests/remotesrv -s "$OUT/empty.script" -d DONE -l "$OUT/requests.log" \
    >"$OUT/port" &
srv=$!
trap 'kill $srv 2>/dev/null; rm -f "$OUT/port"' EXIT
read -r _ port <"$OUT/port"

# tokens DIR: steps, then mean and median prompt tokens, mean marks on the
# page, mean marks listed, mean image tokens, from the runs' steps.jsonl.
tokens() {
	cat "$1"/remote/*/steps.jsonl | jq -s -r '
	    [.[] | .policy_info | select(. != null)] as $p |
	    ($p | map(.prompt_tokens) | sort) as $t |
	    [($p | length),
	     ($t | add / length | floor),
	     $t[(length / 2 | floor)],
	     ($p | map(.marks) | add / length | . * 10 | floor / 10),
	     ($p | map(.shortlist | length) | add / length | . * 10 |
	      floor / 10),
	     ($p | map(if .image == null then 0 else
	      ((.image.w + 27) / 28 | floor) * ((.image.h + 27) / 28 | floor)
	      end) | add / length | floor)] | @tsv'
}

for k in "$K" 0; do
	echo "top_k $k: running $(basename "$SUITE") ..."
	WEBNAV_MODEL= WEBNAV_REMOTE_ENDPOINT="http://127.0.0.1:$port" \
	    WEBNAV_REMOTE_TOP_K=$k WEBNAV_REMOTE_IMAGE_SIZE=$IMAGE \
	    src/webnav bench suite -q -p remote -o "$OUT/k$k" "$SUITE" \
	    >/dev/null
done
echo
echo "| shortlist | steps | prompt tokens, mean | median | marks on page | marks listed | image tokens |"
echo "|---|---:|---:|---:|---:|---:|---:|"
tokens "$OUT/k$K" | awk -F'\t' -v k="$K" '{ printf "| top %s | %s | %s | %s | %s | %s | %s |\n", k, $1, $2, $3, $4, $5, $6 }'
tokens "$OUT/k0" | awk -F'\t' '{ printf "| all marks | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6 }'
