/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of lib/proc's parsers (pf_): numbers with their boundaries and
 * garbage, ns links, /proc/PID/stat with hostile command names, status
 * fields, capability sets and cmdline, and the same parsers on this
 * process's own /proc files.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "proc.h"
#include "unit.h"

static int u64_is(const char *s, uint64_t want)
{
	uint64_t v = 0;

	return pf_parse_u64(s, strlen(s), &v) == 0 && v == want;
}

static int u64_bad(const char *s, int err)
{
	uint64_t v = 7;

	errno = 0;
	return pf_parse_u64(s, strlen(s), &v) == -1 && errno == err && v == 7;
}

static int pid_bad(const char *s, int err)
{
	pid_t p = 7;

	errno = 0;
	return pf_parse_pid(s, &p) == -1 && errno == err && p == 7;
}

static int link_is(const char *s, const char *type, uint64_t ino)
{
	struct pf_nslink l;

	return pf_parse_nslink(s, strlen(s), &l) == 0 && strcmp(l.type, type) == 0 &&
	       l.ino == ino;
}

static int link_bad(const char *s)
{
	struct pf_nslink l;

	errno = 0;
	return pf_parse_nslink(s, strlen(s), &l) == -1 && (errno == EINVAL || errno == ERANGE);
}

static int stat_bad(const char *s)
{
	struct pf_stat st;

	errno = 0;
	return pf_parse_stat(s, strlen(s), &st) == -1 && (errno == EINVAL || errno == ERANGE);
}

static const char stat_tail[] = " 0 0 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 123456 1000 100";

/* The tests read /proc with lib's reader. */
static ssize_t slurp(const char *path, char *buf, size_t len)
{
	return pr_read(AT_FDCWD, path, buf, len);
}

static void on_usr1(int sig)
{
	(void)sig;
}

int main(void)
{
	char buf[4096], out[64];
	struct pf_stat st;
	struct pf_nslink l;
	const char *v;
	size_t vlen;
	uint64_t caps;
	pid_t p;
	ssize_t n;

	/* Numbers: digits only, full 64-bit range, no sign, space or garbage. */
	CHECK("u64 zero", u64_is("0", 0));
	CHECK("u64 max", u64_is("18446744073709551615", UINT64_MAX));
	CHECK("u64 leading zeros", u64_is("000042", 42));
	CHECK("u64 max+1", u64_bad("18446744073709551616", ERANGE));
	CHECK("u64 huge", u64_bad("99999999999999999999999", ERANGE));
	CHECK("u64 empty", u64_bad("", EINVAL));
	CHECK("u64 minus", u64_bad("-1", EINVAL));
	CHECK("u64 plus", u64_bad("+3", EINVAL));
	CHECK("u64 space", u64_bad(" 12", EINVAL));
	CHECK("u64 trailing space", u64_bad("12 ", EINVAL));
	CHECK("u64 garbage", u64_bad("12abc", EINVAL));
	CHECK("u64 hex", u64_bad("0x10", EINVAL));
	CHECK("u64 garbage beats range", u64_bad("99999999999999999999x", EINVAL));
	CHECK("u64 length respected", pf_parse_u64("12345", 2, &caps) == 0 && caps == 12);

	/* PIDs: 1 to INT_MAX. */
	CHECK("pid 1", pf_parse_pid("1", &p) == 0 && p == 1);
	CHECK("pid INT_MAX", pf_parse_pid("2147483647", &p) == 0 && p == INT_MAX);
	CHECK("pid 0 is out of range", pid_bad("0", ERANGE));
	CHECK("pid INT_MAX+1", pid_bad("2147483648", ERANGE));
	CHECK("pid 99999999999", pid_bad("99999999999", ERANGE));
	CHECK("pid -1", pid_bad("-1", EINVAL));
	CHECK("pid abc", pid_bad("abc", EINVAL));
	CHECK("pid 12abc", pid_bad("12abc", EINVAL));
	CHECK("pid empty", pid_bad("", EINVAL));

	/* ns links, as readlink(2) gives them. */
	CHECK("link net", link_is("net:[4026532164]", "net", 4026532164u));
	CHECK("link pid_for_children's target", link_is("pid:[4026531836]", "pid", 4026531836u));
	CHECK("link type with underscore", link_is("time_for_children:[1]", "time_for_children", 1));
	CHECK("link no brackets", link_bad("net:4026532164"));
	CHECK("link no colon", link_bad("net[4026532164]"));
	CHECK("link empty type", link_bad(":[1]"));
	CHECK("link empty inode", link_bad("net:[]"));
	CHECK("link trailing garbage", link_bad("net:[12]x"));
	CHECK("link inode garbage", link_bad("net:[12x]"));
	CHECK("link upper case", link_bad("NET:[1]"));
	CHECK("link inode too big", link_bad("net:[99999999999999999999]"));
	CHECK("link type too long", link_bad("abcdefghijklmnopqrstuvwxyzabcdefgh:[1]"));
	CHECK("link length respected",
	      pf_parse_nslink("net:[5]garbage", 7, &l) == 0 && l.ino == 5);

	/* stat: comm is between the first '(' and the last ')'. */
	snprintf(buf, sizeof(buf), "1234 (sleep) S 1%s\n", stat_tail);
	CHECK("stat plain", pf_parse_stat(buf, strlen(buf), &st) == 0 && st.pid == 1234 &&
	      strcmp(st.comm, "sleep") == 0 && st.state == 'S' && st.ppid == 1 &&
	      st.starttime == 123456);
	snprintf(buf, sizeof(buf), "77 (a) (b) Z 9) R 5%s", stat_tail);
	CHECK("stat comm with ') ('", pf_parse_stat(buf, strlen(buf), &st) == 0 &&
	      strcmp(st.comm, "a) (b) Z 9") == 0 && st.state == 'R' && st.ppid == 5);
	snprintf(buf, sizeof(buf), "2 () S 0%s", stat_tail);
	CHECK("stat empty comm", pf_parse_stat(buf, strlen(buf), &st) == 0 && st.comm[0] == '\0' &&
	      st.ppid == 0);
	snprintf(buf, sizeof(buf), "3 (%s) S 1%s",
		 "0123456789012345678901234567890123456789012345678901234567890123456789", stat_tail);
	CHECK("stat long comm truncated", pf_parse_stat(buf, strlen(buf), &st) == 0 &&
	      strlen(st.comm) == PF_COMM_LEN - 1);
	CHECK("stat empty", stat_bad(""));
	CHECK("stat no comm", stat_bad("1234 S 1 2 3"));
	CHECK("stat no pid", stat_bad("(sleep) S 1 2 3"));
	CHECK("stat bad pid", stat_bad("12a (sleep) S 1 2 3"));
	CHECK("stat negative ppid", stat_bad("1 (x) S -1 0 0 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 5 1 1"));
	CHECK("stat two-letter state", stat_bad("1 (x) SS 1 0 0 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 5 1 1"));
	CHECK("stat cut before starttime", stat_bad("1 (x) S 1 0 0 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0"));
	CHECK("stat bad starttime", stat_bad("1 (x) S 1 0 0 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 5x 1 1"));
	CHECK("stat double space", stat_bad("1 (x) S  1 0 0 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 5 1 1"));
	/* A NUL inside the buffer is just a byte: the length rules. */
	memcpy(buf, "9 (a\0b) S 1", 11);
	snprintf(buf + 11, sizeof(buf) - 11, "%s", stat_tail);
	CHECK("stat NUL in comm", pf_parse_stat(buf, 11 + strlen(stat_tail), &st) == 0 &&
	      st.pid == 9 && memcmp(st.comm, "a\0b", 4) == 0);

	/* status fields and capabilities. */
	snprintf(buf, sizeof(buf), "Name:\tsleep\nCapInh:\t0000000000000000\n"
		 "CapEff:\t000001ffffffffff\nSeccomp:\t2\nSeccomp_filters:\t1\n");
	CHECK("status field", pf_status_field(buf, strlen(buf), "Seccomp", &v, &vlen) == 0 &&
	      vlen == 1 && v[0] == '2');
	CHECK("status field is not a prefix match",
	      pf_status_field(buf, strlen(buf), "Seccomp_filters", &v, &vlen) == 0 && v[0] == '1');
	errno = 0;
	CHECK("status missing field", pf_status_field(buf, strlen(buf), "NoNewPrivs", &v, &vlen) == -1 &&
	      errno == ENOENT);
	CHECK("status CapEff", pf_status_caps(buf, strlen(buf), "CapEff", &caps) == 0 &&
	      caps == 0x1ffffffffffull && (caps >> 21 & 1));
	CHECK("status CapInh", pf_status_caps(buf, strlen(buf), "CapInh", &caps) == 0 && caps == 0);
	CHECK("status caps not hex", pf_status_caps("CapEff:\t00zz\n", 13, "CapEff", &caps) == -1 &&
	      errno == EINVAL);
	CHECK("status caps too long",
	      pf_status_caps("CapEff:\t00000000000000000\n", 26, "CapEff", &caps) == -1 && errno == ERANGE);
	CHECK("status caps empty", pf_status_caps("CapEff:\n", 8, "CapEff", &caps) == -1 && errno == EINVAL);
	CHECK("status last line without newline",
	      pf_status_field("A:\t1\nB:\t22", 10, "B", &v, &vlen) == 0 && vlen == 2);

	/* cmdline: NULs between arguments become spaces, the trailing ones go. */
	CHECK("cmdline args", pf_cmdline("sleep\0" "100\0", 10, out, sizeof(out)) == 9 &&
	      strcmp(out, "sleep 100") == 0);
	CHECK("cmdline keeps spaces in args", pf_cmdline("a  \0b\0", 6, out, sizeof(out)) == 5 &&
	      strcmp(out, "a   b") == 0);
	CHECK("cmdline kernel thread", pf_cmdline("", 0, out, sizeof(out)) == 0 && out[0] == '\0');
	CHECK("cmdline title padded with NULs",
	      pf_cmdline("sshd: x\0\0\0\0", 11, out, sizeof(out)) == 7 && strcmp(out, "sshd: x") == 0);
	CHECK("cmdline truncated to the buffer",
	      pf_cmdline("abcdefgh\0", 9, out, 4) == 3 && strcmp(out, "abc") == 0);
	CHECK("cmdline zero-size buffer", pf_cmdline("ab\0", 3, out, 0) == 0);

	/* The parsers on what this kernel writes about this very process. */
	n = slurp("/proc/self/stat", buf, sizeof(buf));
	CHECK("own stat parses", n > 0 && pf_parse_stat(buf, (size_t)n, &st) == 0 &&
	      st.pid == getpid() && st.ppid == getppid() && st.state == 'R');
	n = readlink("/proc/self/ns/net", buf, sizeof(buf));
	CHECK("own ns link parses", n > 0 && pf_parse_nslink(buf, (size_t)n, &l) == 0 &&
	      strcmp(l.type, "net") == 0 && l.ino > 0);
	n = slurp("/proc/self/status", buf, sizeof(buf));
	CHECK("own CapEff parses", n > 0 && pf_status_caps(buf, (size_t)n, "CapEff", &caps) == 0);
	/* SigCgt: bit N-1 for a signal N with a handler (the keeper reads it). */
	signal(SIGUSR1, on_usr1);
	n = slurp("/proc/self/status", buf, sizeof(buf));
	CHECK("own SigCgt shows a handler", n > 0 &&
	      pf_status_caps(buf, (size_t)n, "SigCgt", &caps) == 0 && (caps >> (SIGUSR1 - 1) & 1));
	n = slurp("/proc/self/cmdline", buf, sizeof(buf));
	CHECK("own cmdline", n > 0 && pf_cmdline(buf, (size_t)n, out, sizeof(out)) > 0 &&
	      strstr(out, "unit_proc_parse") != NULL);
	CHECK("kind index: user is first", pf_nskind_index("user") == 0);
	for (int k = 0; k < PF_NSKINDS; k++)
		CHECK(pf_nskinds[k].name, pf_nskind_index(pf_nskinds[k].name) == k);
	CHECK("kind index: pid_for_children is no kind", pf_nskind_index("pid_for_children") == -1);
	CHECK("kind index: empty", pf_nskind_index("") == -1);
	return unit_done();
}
