/*
 * util.h: the monotonic clock and "mkdir -p", shared by the programs,
 * the benchmarks and the trainer.
 */
#ifndef WEBNAV_UTIL_H
#define WEBNAV_UTIL_H

/* The monotonic clock, in seconds and in milliseconds. */
double	util_now_s(void);
double	util_now_ms(void);
/*
 * Creates path and its missing parents (mode 0755, an existing directory
 * is fine); 0, or -1 with errno set.
 */
int	util_mkdirs(const char *path);

#endif /* WEBNAV_UTIL_H */
