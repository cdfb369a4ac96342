/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for lib/netlink's reply parser: the first four bytes
 * are the sequence number we wait for, the rest a datagram "from the
 * kernel".  It must never read out of bounds (ASan), must say EBADMSG or give
 * a sane result, and must read the same bytes the same way unaligned.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "netlink.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct nl_reply *r, int rc, int err)
{
	size_t n = strnlen(r->ext_ack, sizeof(r->ext_ack));

	if (rc < 0 && err != EBADMSG)
		abort();
	if (r->error < 0 || r->error > 4095 || (r->error && !r->done))
		abort();
	if (n == sizeof(r->ext_ack))
		abort();
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)r->ext_ack[i] < 0x20 || r->ext_ack[i] == 0x7f)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nl_reply a, b;
	uint32_t seq = 0;
	uint8_t *copy;
	int rc, err;

	if (size < 4)
		return 0;
	memcpy(&seq, data, 4);
	data += 4;
	size -= 4;
	memset(&a, 0, sizeof(a));
	errno = 0;
	rc = nl_parse_ack(data, size, seq, &a);
	err = errno;
	check(&a, rc, err);

	/* One byte off alignment, the same answer. */
	copy = malloc(size + 1);
	if (!copy)
		return 0;
	memcpy(copy + 1, data, size);
	memset(&b, 0, sizeof(b));
	if (nl_parse_ack(copy + 1, size, seq, &b) != rc || memcmp(&a, &b, sizeof(a)) != 0)
		abort();
	free(copy);

	/* A second datagram into a finished reply changes nothing. */
	if (rc == 0 && a.done) {
		b = a;
		if (nl_parse_ack(data, size, seq, &b) != 0 || memcmp(&a, &b, sizeof(a)) != 0)
			abort();
	}
	return 0;
}
