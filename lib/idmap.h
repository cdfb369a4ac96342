/* SPDX-License-Identifier: MIT */
/*
 * idmap: parse, validate, format and write uid_map / setgroups / gid_map.
 *
 * The kernel's rules (user_namespaces(7)): at most 340 lines, the whole map
 * in one write(2) of less than a page, no overlapping ranges inside or
 * outside, each map written once.  An unprivileged writer may only map its
 * own euid / egid, and only after writing "deny" to setgroups.  We check
 * all of it here first, so a mistake is reported as the user's input and
 * not as a bare EINVAL from the kernel.
 */
#ifndef NSLAB_IDMAP_H
#define NSLAB_IDMAP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define IDMAP_MAX_LINES 340	/* since Linux 4.15; 5 before */

struct idmap_entry {
	uint32_t inside, outside, count;
};

struct idmap {
	int n;
	struct idmap_entry e[IDMAP_MAX_LINES];
};

/*
 * Why a map or an entry was refused; idmap_strerror() words it.
 * Parse and validate return -1 with errno = EINVAL and *why set.
 */
enum idmap_why {
	IDMAP_OK = 0,
	IDMAP_SYNTAX,		/* not INSIDE:OUTSIDE:COUNT / INSIDE OUTSIDE COUNT */
	IDMAP_NUMBER,		/* not a plain decimal number (sign, space, garbage) */
	IDMAP_RANGE,		/* a number beyond 4294967295 */
	IDMAP_COUNT_ZERO,	/* COUNT is 0 */
	IDMAP_OVERFLOW,		/* INSIDE+COUNT or OUTSIDE+COUNT beyond 2^32 */
	IDMAP_OVERLAP_IN,	/* two inside ranges overlap */
	IDMAP_OVERLAP_OUT,	/* two outside ranges overlap */
	IDMAP_TOO_MANY,		/* more than 340 lines */
	IDMAP_TOO_LONG,		/* the formatted map is a page or more */
	IDMAP_EMPTY,		/* no entry at all */
};

const char *idmap_strerror(enum idmap_why why);

/* Parse a full-range unsigned 32-bit decimal: no sign, no space, no garbage. */
int idmap_parse_id(const char *s, uint32_t *out);

/* Parse one entry, "I:O:C" or the kernel's "I O C". */
int idmap_parse_entry(const char *s, struct idmap_entry *e, enum idmap_why *why);

/*
 * Append an entry to a map after checking it against the ones already
 * there (overlap, count, overflow, line limit).
 */
int idmap_add(struct idmap *m, const struct idmap_entry *e, enum idmap_why *why);

/*
 * Parse a whole map as the kernel prints it: one "I O C" per line, blank
 * lines ignored.  On error *line is the 1-based line at fault.
 */
int idmap_parse_text(const char *text, struct idmap *m, enum idmap_why *why,
		     int *line);

/* Check a complete map: non-empty, and it formats to under a page. */
int idmap_validate(const struct idmap *m, enum idmap_why *why);

/*
 * Format as the kernel wants it, "I O C\n" per line.  Returns the length,
 * or -1 with errno = ENOSPC when it does not fit in len.
 */
int idmap_format(const struct idmap *m, char *buf, size_t len);

/* Does the map give a meaning to `id` inside?  Returns 1 and *outside. */
int idmap_lookup(const struct idmap *m, uint32_t inside, uint32_t *outside);

/* The map the kernel lets a process write for itself: "INSIDE <own id> 1". */
void idmap_self_map(struct idmap *m, uint32_t inside, uint32_t own);
/* Is `m` that map, whatever its inside id? */
int idmap_is_self(const struct idmap *m, uint32_t own);

/*
 * Do two maps hold the same entries, in any order?  The kernel shows a
 * map of more than five lines sorted, not as it was written.
 */
int idmap_same(const struct idmap *a, const struct idmap *b);

/*
 * Write the maps of `pid` (0 = self) in the order the kernel requires:
 * uid_map, then setgroups, then gid_map, each in a single write(2).
 * `setgroups` is "deny", "allow" or NULL to leave the file alone; ENOENT
 * on setgroups (kernels before 3.19) is the one error tolerated.
 * Either map may be NULL to skip it.  On failure, *failed names the step
 * (IDMAP_STEP_*) and errno is the kernel's.
 */
enum idmap_step { IDMAP_STEP_UID, IDMAP_STEP_SETGROUPS, IDMAP_STEP_GID };
int idmap_write(pid_t pid, const struct idmap *uid, const char *setgroups,
		const struct idmap *gid, enum idmap_step *failed);
/*
 * One step of idmap_write: the map `m` (uid_map, gid_map) or the word
 * `setgroups` ("deny", "allow") into /proc/PID/FILE (pid 0: self), in one
 * write(2).  0, or -1 with errno; ENOENT on setgroups is 0.
 */
int idmap_write_step(pid_t pid, enum idmap_step s, const struct idmap *m,
		     const char *setgroups);
/* The file of a step: "uid_map", "setgroups" or "gid_map". */
const char *idmap_step_file(enum idmap_step s);

/*
 * uid_map or gid_map below dirfd (lib/proc's pr_open), parsed.  An empty
 * file (nobody has written the map yet) is an empty map, not an error.
 * EINVAL when the text does not parse: *why and *line say where.
 */
int idmap_read(int dirfd, const char *file, struct idmap *map,
	       enum idmap_why *why, int *line);

/*
 * Read back what the kernel holds in /proc/self/uid_map or gid_map (the
 * file of step s) into *got: 1 when it holds the entries of `want`, 0 when
 * not, -1 with errno when it cannot be read or parsed.
 */
int idmap_read_back(enum idmap_step s, const struct idmap *want, struct idmap *got);

/*
 * A map on one line for a message, "0 1000 1,1 100000 65535"; "nothing"
 * for an empty map, "(too long to show)" when it does not fit in buf.
 */
const char *idmap_one_line(const struct idmap *m, char *buf, size_t len);

/*
 * Are all outside ids of `m` mapped in the caller's own user namespace, as
 * the map file `current` (/proc/self/uid_map or gid_map) says?  The kernel
 * refuses with a bare EPERM a map whose outside ids mean nothing where the
 * writer stands; this finds them first.  Returns 1 with the first such
 * entry in *bad, 0 when all are mapped, -1 with errno when `current` cannot
 * be read or parsed.
 */
int idmap_outside_unmapped(const struct idmap *m, const char *current,
			   struct idmap_entry *bad);

/*
 * What to write and how.  A map whose tool is set (the path of newuidmap
 * or newgidmap) is written by running that setuid helper with the map's
 * triples; the others are written to the /proc file directly.  setgroups
 * is "deny", "allow" or NULL: with newgidmap, NULL leaves it to the tool
 * (which allows setgroups when /etc/subgid grants the range).
 */
struct idmap_plan {
	const struct idmap *uid, *gid;
	const char *setgroups;
	const char *uid_tool, *gid_tool;
};

/*
 * The argument vector of newuidmap/newgidmap: "TOOL PID I O C [I O C]...",
 * the triples in the kernel's order, inside first, TOOL's base name first.
 * Into `buf`, one string after another; argv (3 * m->n + 3 slots) points
 * into it.  The count, or -1 with ENOSPC when it does not fit.
 */
int idmap_tool_argv(const char *tool, pid_t pid, const struct idmap *m,
		    char *buf, size_t len, char **argv);

/*
 * A step of a plan told for -v, which lib/step prints:
 * `call` what this process did ("write /proc/self/uid_map \"0 1000 1\"",
 * "/usr/bin/newuidmap 4242 0 1000 1 1 100000 65535"), and `shell` the
 * command a reader types in a second shell, outside, for the same result
 * ("echo '0 1000 1' > /proc/4242/uid_map", "newuidmap 4242 0 1000 1 ...").
 * `result` is 0 or -1 (with `err`) for a write, a tool's exit status.
 */
#define IDMAP_SAID_LEN 12288	/* 340 triples of three 10-digit numbers */
struct idmap_said {
	enum idmap_step step;
	int result, err;
	char call[IDMAP_SAID_LEN + 64];
	char shell[IDMAP_SAID_LEN + 64];
};

/*
 * The steps of plan `p` written into `pid`'s files (0: /proc/self), in
 * the order they were taken, as the process `shown` would be named from
 * outside.  rc, failed, err and status are what the write returned: the
 * steps stop at the one that failed.  Returns how many (at most 3), or -1
 * with errno.
 */
int idmap_steps(const struct idmap_plan *p, pid_t pid, pid_t shown, int rc,
		enum idmap_step failed, int err, int status,
		struct idmap_said out[3]);

#endif
