/*
 * fuzz.h: the entry points of a fuzz target (tests/fuzz/fuzz-NAME.c).
 *
 * Each target defines LLVMFuzzerTestOneInput(), which must accept any
 * bytes without crashing, leaking or tripping a sanitizer, and return 0.
 * Linked with libFuzzer (make fuzz) libFuzzer calls it; linked with
 * replay.c (make check) it is fed every file of the target's corpus and
 * regression directories.  The names are libFuzzer's.
 */
#ifndef WEBNAV_FUZZ_H
#define WEBNAV_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif /* WEBNAV_FUZZ_H */
