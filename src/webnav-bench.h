/*
 * webnav-bench.h: "webnav bench", the benchmark harnesses on the command
 * line (webnav-bench.c).
 */
#ifndef WEBNAV_BENCH_CLI_H
#define WEBNAV_BENCH_CLI_H

/*
 * Runs "webnav bench SUBCOMMAND [options] ARGS"; argv[0] is "bench".
 * Parses its own options and returns webnav's exit status: 0 the
 * benchmark ran, 1 interrupted (or --strict and a task failed), 2 usage
 * or input file error, 3 browser or infrastructure error.
 */
int	bench_main(int argc, char **argv);

#endif /* WEBNAV_BENCH_CLI_H */
