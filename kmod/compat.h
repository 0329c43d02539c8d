/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API compatibility. clnet targets the 6.1 LTS series (Debian 12),
 * whose genetlink already has strict per-family validation
 * (resv_start_op); shims for newer kernels' API changes live here and
 * nowhere else, so that the other files read like in-tree code.
 */
#ifndef _CLNET_COMPAT_H
#define _CLNET_COMPAT_H

#include <net/dropreason.h>

/*
 * 6.1 has no drop reason for "a policy at the device's egress said
 * drop"; the nearest is the tc egress hook's, the other place where an
 * egress policy drops packets.
 */
#define CLNET_DROP_REASON_POLICY	SKB_DROP_REASON_TC_EGRESS

#endif /* _CLNET_COMPAT_H */
