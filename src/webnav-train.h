/*
 * webnav-train.h: "webnav train" and "webnav bench gym", the built-in
 * model's trainer and its benchmark on generated pages
 * (webnav-train.c).
 */
#ifndef WEBNAV_TRAIN_CLI_H
#define WEBNAV_TRAIN_CLI_H

/*
 * Runs "webnav train [options]"; argv[0] is "train".  Returns webnav's
 * exit status: 0 trained, 1 interrupted, 2 usage error, 3 browser or
 * infrastructure error.
 */
int	train_main(int argc, char **argv);

/*
 * Runs "webnav bench gym [options]"; argv[0] is "bench", argv[1] "gym".
 * Exit status as bench_main().
 */
int	bench_gym_main(int argc, char **argv);

#endif /* WEBNAV_TRAIN_CLI_H */
