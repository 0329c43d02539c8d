/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Talking to the clnet generic netlink family over libmnl.
 */
#ifndef CLNETCTL_GENL_H
#define CLNETCTL_GENL_H

#include <libmnl/libmnl.h>
#include <stdint.h>

struct clnet_nl {
	struct mnl_socket *sock;
	uint16_t family;
	uint32_t portid;
	uint32_t seq;
	char *buf;
};

/*
 * Open a socket and resolve the clnet family in the current netns.
 * Returns 0, or -ENOENT when the module is not loaded (after saying so),
 * or another negative errno (after printing why).
 */
int clnet_nl_open(struct clnet_nl *nl);
void clnet_nl_close(struct clnet_nl *nl);

/* Start a request for @cmd in the socket's buffer. */
struct nlmsghdr *clnet_nl_msg(struct clnet_nl *nl, uint8_t cmd, uint16_t flags);

/*
 * Send @nlh and run @cb on every reply message until the ACK or DONE.
 * Returns 0 or a negative errno; a kernel error is printed with its extack
 * message ("Error: ...") before returning.
 */
int clnet_nl_talk(struct clnet_nl *nl, struct nlmsghdr *nlh,
		  mnl_cb_t cb, void *data);

#endif /* CLNETCTL_GENL_H */
