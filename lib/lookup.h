/* SPDX-License-Identifier: MIT */
/*
 * lookup: names looked up the way a static program must.  User and group
 * names come from /etc/passwd and /etc/group directly, so a static binary
 * (and musl) resolves them the same way: NSS sources (LDAP, sssd) are not
 * consulted.  Commands are found along $PATH as execvp(3) finds them.
 * Nothing here prints or exits.
 */
#ifndef NSLAB_LOOKUP_H
#define NSLAB_LOOKUP_H

#include <stddef.h>
#include <stdint.h>

#define LOOKUP_PASSWD   "/etc/passwd"
#define LOOKUP_GROUP    "/etc/group"
#define LOOKUP_NAME_LEN 64

/*
 * Split a colon-separated line (of /etc/passwd, /etc/subuid...) in place
 * into at most `max` fields; the newline goes.  The number of fields.
 */
int lookup_fields(char *line, char **f, int max);

/*
 * Look `key` (a name, or a decimal id: all digits) up in `db` (/etc/passwd
 * or /etc/group): the name and the id of the entry.  A number that no
 * entry has is still an id (name ""); a name that none has is ENOENT.
 * Returns 0, or -1 with errno (ENOENT, EINVAL for an empty key or a number
 * beyond 4294967295, or what opening db gave).
 */
int lookup_account(const char *db, const char *key, char *name, size_t len,
		   uint32_t *id);

/*
 * The user name of uid, as lsns(8) shows it: from /etc/passwd, else the
 * number.  The last 64 answers are kept, so listing thousands of processes
 * reads the file once per owner; not for two threads at once.
 */
const char *lookup_uid_name(uint32_t uid);

/*
 * The file execvp(cmd) runs: cmd itself when it names a path, else the
 * first regular, executable file along $PATH (musl's default when unset)
 * in buf.  NULL with ENOENT when there is none.
 */
const char *lookup_command(const char *cmd, char *buf, size_t size);

#endif
