/* test-buf.c: the capped byte buffer (src/buf.c). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "tap.h"

static void
test_add(void)
{
	struct buf b;
	char *big;
	size_t i;

	buf_init(&b, 10);
	ok(b.data == NULL && b.len == 0 && b.max == 10, "init: empty");
	is_int(buf_add(&b, "", 0), 0, "adding nothing works");
	is_int(buf_add(&b, "hello", 5), 0, "add");
	is_int(b.len, 5, "len counts bytes");
	is_str(b.data, "hello", "contents NUL-terminated");
	is_int(buf_add(&b, "world", 5), 0, "add up to exactly the cap");
	is_str(b.data, "helloworld", "contents at the cap");
	is_int(buf_add(&b, "!", 1), ERR_TOOBIG, "one byte over the cap");
	is_int(b.len, 10, "len unchanged after ERR_TOOBIG");
	is_str(b.data, "helloworld", "contents unchanged after ERR_TOOBIG");
	is_int(buf_add(&b, "x", SIZE_MAX), ERR_TOOBIG,
	    "huge length refused without overflow");
	buf_reset(&b);
	is_int(b.len, 0, "reset empties");
	ok(b.data != NULL && b.data[0] == '\0', "reset keeps the allocation");
	is_int(buf_add(&b, "abc\0def", 7), 0, "binary data with NUL");
	ok(memcmp(b.data, "abc\0def", 8) == 0, "binary data kept");
	buf_free(&b);
	ok(b.data == NULL && b.len == 0, "free empties");
	buf_free(&b);

	/* Growth well past the first allocation, byte by byte. */
	buf_init(&b, 1 << 20);
	for (i = 0; i < 100000; i++)
		if (buf_add(&b, &"0123456789"[i % 10], 1) != 0)
			break;
	is_int(i, 100000, "100000 single-byte adds");
	ok(b.cap >= b.len && b.len == 100000, "cap covers len");
	ok(b.data[99999] == '9' && b.data[100000] == '\0',
	    "last byte and NUL in place");
	ok(b.data[12345] == '5', "middle byte in place");
	buf_free(&b);

	/* A cap that is not a power of two is reached exactly. */
	buf_init(&b, 1000);
	big = malloc(1001);
	memset(big, 'a', 1001);
	is_int(buf_add(&b, big, 999), 0, "999 of 1000");
	is_int(buf_add(&b, big, 1), 0, "the 1000th byte");
	is_int(buf_add(&b, big, 1), ERR_TOOBIG, "the 1001st byte refused");
	buf_free(&b);
	is_int(buf_add(&b, big, 1001), ERR_TOOBIG, "one add over the cap");
	ok(b.data == NULL, "nothing allocated for it");
	free(big);
}

static void
test_printf(void)
{
	struct buf b;
	char *s;
	size_t n;

	buf_init(&b, 4096);
	is_int(buf_printf(&b, "%d-%s", 42, "x"), 0, "printf");
	is_int(buf_puts(&b, "/tail"), 0, "puts");
	is_str(b.data, "42-x/tail", "printf and puts append");
	buf_reset(&b);

	/* Longer than the 512-byte fast path. */
	s = malloc(2001);
	memset(s, 'p', 2000);
	s[2000] = '\0';
	is_int(buf_printf(&b, "<%s>", s), 0, "long printf");
	is_int(b.len, 2002, "long printf length");
	ok(b.data[0] == '<' && b.data[2001] == '>' && b.data[2002] == '\0',
	    "long printf contents");
	is_int(buf_printf(&b, "%s%s", s, s), ERR_TOOBIG,
	    "printf past the cap refused");
	is_int(b.len, 2002, "unchanged after refused printf");
	free(s);

	n = 0;
	s = buf_steal(&b, &n);
	is_int(n, 2002, "steal returns the length");
	ok(s != NULL && s[0] == '<' && strlen(s) == 2002, "steal returns data");
	ok(b.data == NULL && b.len == 0, "steal empties the buffer");
	free(s);
	s = buf_steal(&b, &n);
	ok(s != NULL && *s == '\0' && n == 0, "steal of empty gives \"\"");
	free(s);
	is_int(buf_puts(&b, "again"), 0, "usable after steal");
	is_str(b.data, "again", "contents after steal");
	buf_free(&b);
}

int
main(void)
{
	test_add();
	test_printf();
	return done_testing();
}
