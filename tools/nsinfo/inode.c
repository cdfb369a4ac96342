/* SPDX-License-Identifier: MIT */
/*
 * nsinfo INODE: the processes of one namespace, as lsns(8) NS shows them.
 */
#include <stdio.h>
#include <stdlib.h>

#include "exits.h"
#include "msg.h"
#include "subid.h"
#include "nsinfo.h"

static void inode_json(uint64_t ino, int kind, const struct nst_member *m, size_t n)
{
	struct jw w;

	jw_init(&w, stdout);
	jw_object(&w, NULL);
	jw_uint(&w, "ns", ino);
	jw_str(&w, "type", pf_nskinds[kind].name);
	jw_lines(&w, "processes");
	for (size_t i = 0; i < n; i++) {
		jw_object(&w, NULL);
		jw_int(&w, "pid", m[i].pid);
		jw_int(&w, "ppid", m[i].ppid);
		jw_str(&w, "user", lookup_uid_name(m[i].uid));
		jw_str(&w, "command", m[i].cmd);
		jw_end(&w);
	}
	jw_end(&w);
	jw_end(&w);
	putchar('\n');
}

static void inode_text(uint64_t ino, int kind, const struct nst_member *m, size_t n)
{
	printf("%s:[%llu], %zu process%s\n", pf_nskinds[kind].name, (unsigned long long)ino,
	       n, n == 1 ? "" : "es");
	printf("%7s %7s %-8s COMMAND\n", "PID", "PPID", "USER");
	for (size_t i = 0; i < n; i++) {
		printf("%7d %7d ", (int)m[i].pid, (int)m[i].ppid);
		printf("%*s ", 8 - (int)tstr(lookup_uid_name(m[i].uid)), "");
		tstr(m[i].cmd);
		putchar('\n');
	}
}

/*
 * A number beyond any PID may be a namespace's inode (nsfs numbers them from
 * 0xF0000000): list the processes in it, as lsns(8) NS does.
 */
int show_inode(const struct req *q)
{
	uint64_t ino = q->ino;
	const char *arg = q->arg;
	int json = q->json;
	struct nst_member *m = NULL;
	size_t n = 0;
	int kind = -1, rc = 1;

	if (nst_members("/proc", ino, nst_present_kinds() & only, &m, &n, &kind) < 0) {
		msg_err("list the processes of %s", arg);
		return INFO_EXIT_FAIL;
	}
	if (n == 0) {
		msg_say("%s: no such process, nor a namespace a process is in", arg);
		goto out;
	}
	(json ? inode_json : inode_text)(ino, kind, m, n);
	rc = 0;
out:
	nst_members_free(m, n);
	return rc;
}
