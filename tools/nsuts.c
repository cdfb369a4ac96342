/* SPDX-License-Identifier: MIT */
/*
 * nsuts: a UTS namespace of your own, with a host name of its own.
 * unshare(CLONE_NEWUTS); then sethostname and setdomainname, when asked
 * for, in the new namespace only (the host's names never change: the names
 * are checked before anything is done, and set only after unshare has
 * taken); exec the command.
 */
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "escape.h"
#include "exits.h"
#include "keep.h"
#include "msg.h"
#include "opts.h"
#include "step.h"

/*
 * The kernel keeps each name in a struct new_utsname field of 65 bytes:
 * 64 and a NUL (__NEW_UTS_LEN); sethostname(2) refuses more with EINVAL.
 */
#define UTS_NAME_MAX 64

static void usage(FILE *f)
{
	fprintf(f,
"usage: nsuts [-hvV] [--hostname name] [--domainname name] [command [arg ...]]\n"
"\n"
"Run COMMAND (default $SHELL) in a new UTS namespace: a host name and a\n"
"NIS domain name of its own, starting as copies of the current ones.\n"
"\n"
"      --hostname NAME     set the host name inside (1 to 64 bytes)\n"
"      --domainname NAME   set the NIS domain name inside (1 to 64 bytes)\n"
"\n"
"The host's names never change.  Creating the namespace needs CAP_SYS_ADMIN;\n"
"as a user, run it under usernsselfmap.\n");
}

enum { OPT_HOSTNAME = 256, OPT_DOMAINNAME };

static const struct option longopts[] = {
	{ "hostname",   required_argument, NULL, OPT_HOSTNAME },
	{ "domainname", required_argument, NULL, OPT_DOMAINNAME },
	{ NULL, 0, NULL, 0 },
};

static const char *check_name(const char *opt, const char *s)
{
	size_t n = strlen(s);

	if (n == 0) {
		msg_say("%s '': expected a name of 1 to %d bytes", opt, UTS_NAME_MAX);
		exit(CHAIN_EXIT_FAIL);
	}
	if (n > UTS_NAME_MAX) {
		msg_say("%s '%s': %zu bytes; the kernel allows at most %d (__NEW_UTS_LEN)",
			 opt, s, n, UTS_NAME_MAX);
		exit(CHAIN_EXIT_FAIL);
	}
	return s;
}

/* sethostname(2) or setdomainname(2), narrated with hostname(1) or domainname(1). */
static int set_name(int (*set)(const char *, size_t), const char *what, const char *name)
{
	static char shell[ESC_SHELL_LEN(UTS_NAME_MAX) + 32];
	char q[ESC_SHELL_LEN(UTS_NAME_MAX)];
	int rc = set(name, strlen(name));
	int ctl = name[strcspn(name, "\001\002\003\004\005\006\007\010\011\012\013"
				   "\014\015\016\017\020\021\022\023\024\025\026"
				   "\027\030\031\032\033\034\035\036\037\177")] != '\0';

	/*
	 * "--": a name may start with '-', which hostname(1) takes as an
	 * option.  A control byte would split the narrated line, and no
	 * single-line word of sh(1) holds it: then no shell line.
	 */
	snprintf(shell, sizeof(shell), "%s -- %s", what, esc_shell(name, q, sizeof(q)));
	/* msg shows a control byte of the name as \xHH: the call stays one line. */
	msg_narrate(ctl ? NULL : shell, rc, "set%s(\"%s\", %zu)", what, name, strlen(name));
	if (rc < 0)
		msg_err("set%s '%s'", what, name);
	return rc;
}

int main(int argc, char *argv[])
{
	struct opts o = { .shortopts = "", .longopts = longopts, .usage = usage, .kind = OPTS_CHAIN };
	const char *host = NULL, *domain = NULL;
	int c;

	msg_init(argv[0]);
	while ((c = opts_next(&o, argc, argv)) != OPTS_END) {
		switch (c) {
		case OPT_HOSTNAME:
			host = check_name("--hostname", optarg);
			break;
		case OPT_DOMAINNAME:
			domain = check_name("--domainname", optarg);
			break;
		case OPTS_EXIT:
			return o.status;
		}
	}

	if (step_unshare(CLONE_NEWUTS, "unshare --uts") < 0)
		return CHAIN_EXIT_FAIL;
	/* Fail closed: a name that did not take is not the command's to find. */
	if ((host && set_name(sethostname, "hostname", host) < 0) ||
	    (domain && set_name(setdomainname, "domainname", domain) < 0))
		return CHAIN_EXIT_FAIL;

	if (keep_after(&o, "uts", getpid(), -1, KEEP_ALL) < 0)
		return CHAIN_EXIT_FAIL;
	return step_exec(argv + optind);
}
