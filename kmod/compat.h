/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API compatibility. clnet targets the 6.1 LTS series (Debian 12),
 * whose genetlink already has strict per-family validation
 * (resv_start_op); shims for newer kernels' API changes live here and
 * nowhere else, so that the other files read like in-tree code.
 */
#ifndef _CLNET_COMPAT_H
#define _CLNET_COMPAT_H

#endif /* _CLNET_COMPAT_H */
