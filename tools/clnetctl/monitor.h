/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clnetctl monitor: the events of the clnet family's "events" group, one
 * line (or JSON object) each.
 */
#ifndef CLNETCTL_MONITOR_H
#define CLNETCTL_MONITOR_H

#include <libmnl/libmnl.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/*
 * @ts as ISO 8601 local time with microseconds and the UTC offset,
 * "2026-12-02T14:03:05.123456+00:00".
 */
void monitor_fmt_time(const struct timespec *ts, char *buf, size_t len);

/*
 * Print the event @nlh (a message of the clnet family) that arrived at
 * @ts to stdout: text, or one JSON object (indented with @pretty).
 * Commands and attributes this CLI does not know are shown by number.
 */
void monitor_print(const struct nlmsghdr *nlh, const struct timespec *ts,
		   bool json, bool pretty);

#endif /* CLNETCTL_MONITOR_H */
