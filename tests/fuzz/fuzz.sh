#!/bin/sh
# fuzz.sh: builds the fuzz targets with clang and libFuzzer and runs each.
#
# Called by "make fuzz" with the build's settings in the environment:
# srcdir, builddir (absolute), FUZZ_CC, FUZZ_TARGETS, FUZZ_SECONDS,
# FUZZ_DEP_CFLAGS, FUZZ_LIBS, FUZZ_LIB_SOURCES, sysconfdir, pkgdatadir.
# Everything goes to $builddir/fuzz: objects, the fuzz-NAME programs, the
# corpora the runs grow (corpus/NAME, seeded from tests/fuzz/corpus/NAME)
# and crashing inputs (artifacts/NAME/).  Each target runs FUZZ_SECONDS
# (0: build, then only replay the seeds and regression inputs); the last
# line per target gives executions and findings.  Fails if any target
# found something.
set -eu

: "${FUZZ_CC:=clang}" "${FUZZ_SECONDS:=60}" "${FUZZ_JOBS:=2}"
: "${FUZZ_TARGETS:=task conf api cdp wnm mind2web}"
out="$builddir/fuzz"
mkdir -p "$out/obj"

SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
CFLAGS="-std=c11 -g -O1 -fno-omit-frame-pointer $SAN -fsanitize=fuzzer-no-link"
CPPFLAGS="-iquote $srcdir/src -iquote $srcdir/browser -iquote $srcdir/agent"
CPPFLAGS="$CPPFLAGS -iquote $srcdir/model -iquote $srcdir/tests"
CPPFLAGS="$CPPFLAGS -iquote $srcdir/tests/fuzz -iquote $builddir -I$builddir"

if ! echo 'int LLVMFuzzerTestOneInput(const char *d, long n)
    { (void)d; (void)n; return 0; }' > "$out/probe.c" ||
    ! $FUZZ_CC -fsanitize=fuzzer "$out/probe.c" -o "$out/probe" 2>/dev/null
then
	echo "fuzz: $FUZZ_CC cannot link with -fsanitize=fuzzer" \
	    "(Debian: apt-get install clang libclang-rt-14-dev)" >&2
	exit 1
fi

# Newest header: an object older than it is rebuilt.
newest=$(ls -t "$srcdir"/src/*.h "$srcdir"/browser/*.h "$srcdir"/agent/*.h \
    "$srcdir"/model/*.h "$srcdir"/tests/fuzz/*.h "$builddir/config.h" |
    head -1)

# Compiles source $1 (relative to srcdir or builddir) to $out/obj; prints
# the object's path.
obj() {
	src=$1
	[ -f "$srcdir/$src" ] && path="$srcdir/$src" || path="$builddir/$src"
	o="$out/obj/$(echo "$src" | tr '/' '_' | sed 's/\.c$/.o/')"
	if [ ! -f "$o" ] || [ "$path" -nt "$o" ] || [ "$newest" -nt "$o" ]
	then
		echo "  CC (fuzz) $src" >&2
		# shellcheck disable=SC2086
		$FUZZ_CC $CFLAGS $CPPFLAGS $FUZZ_DEP_CFLAGS \
		    "-DWEBNAV_SRCDIR=\"$srcdir\"" \
		    "-DWEBNAVD_CONF=\"$sysconfdir/webnav/webnavd.conf\"" \
		    "-DWEBNAV_DATADIR=\"$pkgdatadir\"" \
		    -c "$path" -o "$o" || return 1
	fi
	echo "$o"
}

# The libraries, as one archive.
lib="$out/libwebnav-fuzz.a"
objs=""
for s in $FUZZ_LIB_SOURCES agent/collect-js.c; do
	case $s in *.c) objs="$objs $(obj "$s")" ;; esac
done
rm -f "$lib"
# shellcheck disable=SC2086
ar cr "$lib" $objs

# Sources of the daemon a target needs beyond the libraries.
extra() {
	case $1 in
	conf) echo src/conf.c ;;
	api) echo src/api.c src/conf.c src/ctl.c src/daemon.c \
	    src/metrics.c src/queue.c src/sessions.c src/liveview-html.c ;;
	esac
}

for t in $FUZZ_TARGETS; do
	objs="$(obj "tests/fuzz/fuzz-$t.c")"
	for s in $(extra "$t"); do
		objs="$objs $(obj "$s")"
	done
	echo "  LD (fuzz) fuzz-$t" >&2
	# shellcheck disable=SC2086
	$FUZZ_CC $SAN -fsanitize=fuzzer $objs "$lib" $FUZZ_LIBS \
	    -o "$out/fuzz-$t"
done

[ "$FUZZ_SECONDS" -gt 0 ] || {
	# Only replay what is checked in.
	for t in $FUZZ_TARGETS; do
		reg="$srcdir/tests/fuzz/regress/$t"
		[ -d "$reg" ] || reg=""
		# shellcheck disable=SC2086
		"$out/fuzz-$t" -runs=0 "$srcdir/tests/fuzz/corpus/$t" $reg
	done
	exit 0
}

rc=0
for t in $FUZZ_TARGETS; do
	mkdir -p "$out/corpus/$t" "$out/artifacts/$t"
	reg="$srcdir/tests/fuzz/regress/$t"
	[ -d "$reg" ] || reg=""
	log="$out/fuzz-$t.log"
	echo "fuzz: $t for ${FUZZ_SECONDS}s (log: $log)"
	# The first directory receives what the run finds new.
	# shellcheck disable=SC2086
	if OPENBLAS_NUM_THREADS=1 "$out/fuzz-$t" \
	    -max_total_time="$FUZZ_SECONDS" -timeout=20 -rss_limit_mb=2048 \
	    -max_len=65536 -close_fd_mask=3 -print_final_stats=1 \
	    -artifact_prefix="$out/artifacts/$t/" \
	    "$out/corpus/$t" "$srcdir/tests/fuzz/corpus/$t" $reg \
	    > "$log" 2>&1; then
		res="no findings"
	else
		res="FOUND: see $log and $out/artifacts/$t/"
		rc=1
	fi
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	echo "fuzz: $t: ${execs:-?} executions in ${FUZZ_SECONDS}s, $res"
done
exit $rc
