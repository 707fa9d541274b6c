/*
 * replay.c: runs a fuzz target over files without libFuzzer.
 *
 * With arguments, each file, or every file of each directory, is fed to
 * LLVMFuzzerTestOneInput() once.  Without, the target's seed corpus
 * (tests/fuzz/corpus/FUZZ_NAME) and regression inputs
 * (tests/fuzz/regress/FUZZ_NAME, optional) are.  Output is TAP, one test
 * per file: an input that crashes, trips a sanitizer or runs longer than
 * REPLAY_TIMEOUT_S ends the program, which the TAP driver reports as an
 * error.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "xmalloc.h"

#define REPLAY_FILE_MAX	(64 * 1024 * 1024) /* bytes of one input */
#define REPLAY_DIR_MAX	100000		/* files of one directory */
#define REPLAY_TIMEOUT_S 60		/* per input (SIGALRM ends it) */

static int	replay_n, replay_failed;

/* Reads a whole file (allocated; *lenp its size), or NULL with errno. */
static unsigned char *
replay_read(const char *path, size_t *lenp)
{
	unsigned char *data;
	struct stat st;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	if (fstat(fileno(f), &st) == -1 || st.st_size > REPLAY_FILE_MAX) {
		fclose(f);
		errno = EFBIG;
		return NULL;
	}
	/* One byte more, so an empty file is not a NULL buffer. */
	data = xmalloc((size_t)st.st_size + 1);
	if (fread(data, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		free(data);
		fclose(f);
		errno = EIO;
		return NULL;
	}
	fclose(f);
	*lenp = (size_t)st.st_size;
	return data;
}

/* Feeds one file to the target and prints its result. */
static void
replay_file(const char *path)
{
	unsigned char *data, *copy;
	size_t len;

	replay_n++;
	if ((data = replay_read(path, &len)) == NULL) {
		replay_failed++;
		printf("not ok %d - %s: %s\n", replay_n, path,
		    strerror(errno));
		return;
	}
	/* An exact-size copy, so reading past the input is caught. */
	copy = xmalloc(len > 0 ? len : 1);
	memcpy(copy, data, len);
	free(data);
	printf("# %s (%zu bytes)\n", path, len);
	fflush(stdout);
	/* A hang is a finding too: the default SIGALRM ends the program. */
	alarm(REPLAY_TIMEOUT_S);
	LLVMFuzzerTestOneInput(copy, len);
	alarm(0);
	free(copy);
	printf("ok %d - %s\n", replay_n, path);
	fflush(stdout);
}

/* qsort() order of paths. */
static int
replay_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Feeds every regular file of directory dir, in name order.  Returns the
 * number of files, or -1 if dir cannot be read.
 */
static int
replay_dir(const char *dir)
{
	struct dirent *de;
	struct stat st;
	char **names = NULL, *path;
	size_t n = 0, cap = 0, i;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL && n < REPLAY_DIR_MAX) {
		if (de->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		if (stat(path, &st) == -1 || !S_ISREG(st.st_mode)) {
			free(path);
			continue;
		}
		if (n == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			names = xreallocarray(names, cap, sizeof(*names));
		}
		names[n++] = path;
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(*names), replay_cmp);
	for (i = 0; i < n; i++) {
		replay_file(names[i]);
		free(names[i]);
	}
	free(names);
	return (int)n;
}

/* Replays the files given, or the target's corpus and regressions. */
int
main(int argc, char **argv)
{
	struct stat st;
	char *dir;
	int i, n;

	if (argc > 1) {
		for (i = 1; i < argc; i++) {
			if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
				(void)replay_dir(argv[i]);
			else
				replay_file(argv[i]);
		}
	} else {
		dir = xasprintf("%s/tests/fuzz/corpus/%s", WEBNAV_SRCDIR,
		    FUZZ_NAME);
		if ((n = replay_dir(dir)) <= 0) {
			replay_n++;
			replay_failed++;
			printf("not ok %d - %s: no seed inputs\n", replay_n,
			    dir);
		}
		free(dir);
		dir = xasprintf("%s/tests/fuzz/regress/%s", WEBNAV_SRCDIR,
		    FUZZ_NAME);
		(void)replay_dir(dir);
		free(dir);
	}
	printf("1..%d\n", replay_n);
	return replay_failed > 0;
}
