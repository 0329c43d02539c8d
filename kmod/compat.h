/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel version compatibility. clnet targets the 6.1 LTS series (Debian 12)
 * and newer; shims for API differences between them live here and nowhere
 * else.
 */
#ifndef _CLNET_COMPAT_H
#define _CLNET_COMPAT_H

#include <linux/version.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "clnet needs Linux 6.1 or newer (strict genl policies, resv_start_op)"
#endif

#endif /* _CLNET_COMPAT_H */
