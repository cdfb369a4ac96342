/* SPDX-License-Identifier: MIT */
/*
 * tcp_sink [-r] [-a ADDRESS] COMMAND [ARG]...: listen on the host's 127.0.0.1
 * (or on the IPv4 ADDRESS, then also saying whom each connection came
 * from: what a NAT router rewrote), run COMMAND with the port in
 * $SINK_PORT, then say what arrived.  With -r it answers while COMMAND
 * runs: each connection's first line is printed and sent back after
 * "ok ", so a client that reads the answer knows its line went through a
 * user-mode network helper that may be stopped the moment it exits.  It shows whether a
 * task's connection really left its namespace, not only whether a route
 * existed: after COMMAND has exited, every connection it made is already
 * queued on the listener (loopback completes the handshake inside
 * connect(2)), so nothing here waits on time.  Exits with COMMAND's status.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * Print what one accepted connection had sent, a line at a time.  Through
 * a router (-a) the last segments may still be on their way when COMMAND
 * exits: wait for the sender's end, 5 seconds at most.
 */
static int drain(int c, int wait)
{
	struct timeval tv = { .tv_sec = 5 };
	char buf[4096];
	ssize_t n;
	size_t got = 0;

	if (wait)
		setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while (got < sizeof(buf) - 1 &&
	       (n = recv(c, buf + got, sizeof(buf) - 1 - got, wait ? 0 : MSG_DONTWAIT)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		printf("tcp_sink: received: %s\n", line);
	if (got == 0)
		printf("tcp_sink: a connection, no data\n");
	return 1;
}

/* -r: read one line (5 seconds at most), print it, send it back after "ok ". */
static int answer(int c)
{
	struct timeval tv = { .tv_sec = 5 };
	char buf[512], out[600];
	size_t got = 0;
	ssize_t n;

	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while (got < sizeof(buf) - 1 && (n = recv(c, buf + got, sizeof(buf) - 1 - got, 0)) > 0) {
		got += (size_t)n;
		if (memchr(buf, '\n', got))
			break;
	}
	buf[got] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	printf("tcp_sink: received: %s\n", buf);
	fflush(stdout);
	n = snprintf(out, sizeof(out), "ok %s\n", buf);
	if (send(c, out, (size_t)n, MSG_NOSIGNAL) < 0)
		printf("tcp_sink: could not answer: %s\n", strerror(errno));
	return 1;
}

int main(int argc, char *argv[])
{
	struct sockaddr_in a = { .sin_family = AF_INET }, from;
	socklen_t len = sizeof(a), flen;
	int s, c, status, conns = 0, say_from = 0, reply = 0;
	char port[16], addr[INET_ADDRSTRLEN];
	pid_t pid;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (argc > 1 && strcmp(argv[1], "-r") == 0) {
		reply = 1;
		argv++;
		argc--;
	}
	if (argc > 2 && strcmp(argv[1], "-a") == 0) {
		if (inet_pton(AF_INET, argv[2], &a.sin_addr) != 1) {
			fprintf(stderr, "tcp_sink: -a %s: not an IPv4 address\n", argv[2]);
			return 125;
		}
		say_from = 1;
		argv += 2;
		argc -= 2;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: tcp_sink [-r] [-a address] command [arg ...]\n");
		return 125;
	}
	s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(s, 16) < 0 ||
	    getsockname(s, (struct sockaddr *)&a, &len) < 0) {
		fprintf(stderr, "tcp_sink: listen on %s: %s\n",
			inet_ntop(AF_INET, &a.sin_addr, addr, sizeof(addr)), strerror(errno));
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
	while (reply && waitpid(pid, &status, WNOHANG) == 0) {
		struct pollfd p = { .fd = s, .events = POLLIN };

		if (poll(&p, 1, 50) <= 0 || (c = accept4(s, NULL, NULL, SOCK_CLOEXEC)) < 0)
			continue;
		conns += answer(c);
		close(c);
	}
	while (!reply && waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			fprintf(stderr, "tcp_sink: waitpid: %s\n", strerror(errno));
			return 125;
		}
	/* The same for the handshake's last ACK: wait for the first connection. */
	if (say_from) {
		struct pollfd p = { .fd = s, .events = POLLIN };

		poll(&p, 1, 5000);
	}
	while (flen = sizeof(from), (c = accept4(s, (struct sockaddr *)&from, &flen, SOCK_CLOEXEC)) >= 0) {
		if (say_from)
			printf("tcp_sink: from %s\n", inet_ntop(AF_INET, &from.sin_addr, addr, sizeof(addr)));
		conns += drain(c, say_from);
		close(c);
	}
	if (conns == 0)
		printf("tcp_sink: nothing arrived\n");
	close(s);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
