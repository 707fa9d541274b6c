#!/bin/sh
# run-observe.sh: `make bench`: runs the observe benchmark and names the
# machine, so the figures can be quoted with it.
#
# With node and npm on the PATH, the puppeteer-core peer (bench/peer/) is
# installed with `npm ci` into the build tree (bench/peer/node_modules,
# again only when package-lock.json changed) and timed in the same run;
# without them, or when the install fails, the peer is skipped with a
# message.  $ROUNDS rounds (default 30); $POLICY the policy (default: ranker
# if its weights load, else lexical); PEER=0 skips the peer.  Run from the
# build directory.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"

peer_install() {
	command -v node >/dev/null 2>&1 || { echo "no node: peer skipped"; return 1; }
	command -v npm >/dev/null 2>&1 || { echo "no npm: peer skipped"; return 1; }
	mkdir -p bench/peer
	for f in package.json package-lock.json peer.js; do
		cmp -s "$top_srcdir/bench/peer/$f" "bench/peer/$f" ||
		    cp "$top_srcdir/bench/peer/$f" "bench/peer/$f"
	done
	if [ -d bench/peer/node_modules/puppeteer-core ] &&
	    cmp -s bench/peer/package-lock.json bench/peer/.installed-lock; then
		return 0
	fi
	echo "installing the peer: npm ci in bench/peer"
	if ! (cd bench/peer && npm ci --no-audit --no-fund --loglevel=error \
	    >npm-ci.log 2>&1); then
		echo "npm ci failed (bench/peer/npm-ci.log): peer skipped"
		return 1
	fi
	cp bench/peer/package-lock.json bench/peer/.installed-lock
}

echo "machine: $(nproc) cores, $(sed -n 's/^model name\t: //p' /proc/cpuinfo | head -1)"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "chromium: $(chromium --version 2>/dev/null || echo unknown)"
echo "node: $(node --version 2>/dev/null || echo none)"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
set -- -n "${ROUNDS:-30}"
[ -n "${POLICY:-}" ] && set -- "$@" -p "$POLICY"
if [ "${PEER:-1}" != 0 ] && peer_install; then
	set -- "$@" -P bench/peer
fi
echo "command: bench/observe $*"
echo
OPENBLAS_NUM_THREADS=1 ./bench/observe "$@"
