#!/bin/sh
# run-observe.sh: `make bench`: runs the observe benchmark and names the
# machine, so the figures can be quoted with it.
set -eu
echo "machine: $(nproc) cores, $(sed -n 's/^model name\t: //p' /proc/cpuinfo | head -1)"
echo "chromium: $(chromium --version 2>/dev/null || echo unknown)"
echo "date: $(date -u +%Y-%m-%d)"
echo
OPENBLAS_NUM_THREADS=1 ./bench/observe -n "${ROUNDS:-30}"
