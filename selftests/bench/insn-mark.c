// SPDX-License-Identifier: GPL-2.0
/*
 * insn-mark [N]: a window for the insn-count plugin around N getppid()
 * system calls (none by default): two marks with only the calls between
 * them, so that an empty window and one of known work can be compared.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "insn-mark.h"

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 0, i;

	if (argc > 2 || n < 0) {
		fprintf(stderr, "usage: insn-mark [N]\n");
		return 2;
	}
	insn_mark();
	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
	insn_mark();
	return 0;
}
