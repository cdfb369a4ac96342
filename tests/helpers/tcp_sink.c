/* SPDX-License-Identifier: MIT */
/*
 * tcp_sink COMMAND [ARG]...: listen on the host's 127.0.0.1, run COMMAND
 * with the port in $SINK_PORT, then say what arrived.  It shows whether a
 * task's connection really left its namespace, not only whether a route
 * existed: after COMMAND has exited, every connection it made is already
 * queued on the listener (loopback completes the handshake inside
 * connect(2)), so nothing here waits on time.  Exits with COMMAND's status.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* Print what one accepted connection had sent, a line at a time. */
static int drain(int c)
{
	char buf[4096];
	ssize_t n;
	size_t got = 0;

	while (got < sizeof(buf) - 1 &&
	       (n = recv(c, buf + got, sizeof(buf) - 1 - got, MSG_DONTWAIT)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		printf("tcp_sink: received: %s\n", line);
	if (got == 0)
		printf("tcp_sink: a connection, no data\n");
	return 1;
}

int main(int argc, char *argv[])
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int s, c, status, conns = 0;
	char port[16];
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: tcp_sink command [arg ...]\n");
		return 125;
	}
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(s, 16) < 0 ||
	    getsockname(s, (struct sockaddr *)&a, &len) < 0) {
		fprintf(stderr, "tcp_sink: listen on 127.0.0.1: %s\n", strerror(errno));
		return 125;
	}
	snprintf(port, sizeof(port), "%u", ntohs(a.sin_port));
	setenv("SINK_PORT", port, 1);
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "tcp_sink: fork: %s\n", strerror(errno));
		return 125;
	}
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		fprintf(stderr, "tcp_sink: %s: %s\n", argv[1], strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			fprintf(stderr, "tcp_sink: waitpid: %s\n", strerror(errno));
			return 125;
		}
	while ((c = accept4(s, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
		conns += drain(c);
		close(c);
	}
	if (conns == 0)
		printf("tcp_sink: nothing arrived\n");
	close(s);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
