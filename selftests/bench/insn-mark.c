// SPDX-License-Identifier: GPL-2.0
/*
 * insn-mark [N]: a window for the insn-count plugin around N getppid()
 * system calls (none by default): two marks with only the calls between
 * them, so that an empty window and one of known work can be compared.
 *
 * insn-mark -- CMD...: a window around running CMD (fork, exec, wait);
 * exits with CMD's status.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "insn-mark.h"

static int run(char **argv)
{
	int status;
	pid_t pid;

	insn_mark();
	pid = fork();
	if (pid < 0) {
		perror("insn-mark: fork");
		return 125;
	}
	if (!pid) {
		execvp(argv[0], argv);
		perror("insn-mark: exec");
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0) {
		perror("insn-mark: waitpid");
		return 125;
	}
	insn_mark();
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(int argc, char **argv)
{
	long n, i;

	if (argc > 2 && !strcmp(argv[1], "--"))
		return run(argv + 2);
	n = argc > 1 ? strtol(argv[1], NULL, 10) : 0;
	if (argc > 2 || n < 0) {
		fprintf(stderr, "usage: insn-mark [N] | insn-mark -- CMD...\n");
		return 2;
	}
	insn_mark();
	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
	insn_mark();
	return 0;
}
