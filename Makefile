# SPDX-License-Identifier: GPL-2.0
#
# clnet top-level build.
#
#   make              build kmod/clnet.ko and tools/clnetctl/clnetctl
#   make check        build, then host unit tests and the VM selftests;
#                     ends with one line "N passed, N failed, N skipped"
#   make lint         sparse (C=2) and checkpatch --strict on kmod/ include/
#   make demo         boot a VM, build the example cluster with clnet in it,
#                     prove each behaviour; ends "demo: OK" or "demo: FAIL (..)"
#   make bench        benchmarks in one VM run, as ratios (selftests/bench)
#   make stress       long stress runs on the debug kernel (selftests/stress)
#   make deps         install missing build/test packages (as root, apt-get)
#   make install      the module into /lib/modules/KVER/extra (then depmod),
#                     clnetctl and clnetctl.8 under PREFIX (/usr/local);
#                     DESTDIR and INSTALL_MOD_PATH honoured; parts:
#                     install-module, install-tools
#   make uninstall    remove exactly what make install put there
#   make dkms-install the module's source into /usr/src/clnet-VERSION, then
#                     dkms add, build and install for KVER (dkms.conf);
#                     make dkms-uninstall undoes it
#
# KDIR selects the kernel to build against; it defaults to the installed
# distribution kernel with both an image in /boot and kbuild headers. KVER
# is that kernel's release, which install and dkms-install use.

KDIR ?= /lib/modules/$(shell scripts/find-kernel)/build

KERNEL_SOURCES = $(filter-out %.mod.c,$(wildcard kmod/*.[ch] kmod/tests/*.[ch])) \
	include/uapi/linux/clnet.h

# Build and test dependencies, all from the distribution.
DEB_PACKAGES := gcc libc6-dev make pkg-config libmnl-dev python3 bc bison flex cpio \
	xz-utils libelf-dev libssl-dev kmod sparse \
	linux-image-amd64 linux-headers-amd64 linux-source-6.1 \
	qemu-system-x86 busybox-static \
	iproute2 iputils-ping arping tcpdump conntrack nftables iptables \
	iperf3 socat netcat-openbsd ethtool util-linux python3-yaml groff-base \
	dkms

all: module clnetctl build/bench/udpbench build/bench/connbench build/selftests/nfq_accept \
	build/selftests/nsrun build/bench/insn-count.so build/bench/insn-mark

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

clnetctl:
	$(MAKE) -C tools/clnetctl

build/bench/udpbench: selftests/bench/udpbench.c selftests/bench/insn-mark.h
	@mkdir -p build/bench
	$(CC) -O2 -Wall -Wextra -o $@ $<

build/bench/connbench: selftests/bench/connbench.c selftests/bench/insn-mark.h
	@mkdir -p build/bench
	$(CC) -O2 -Wall -Wextra -o $@ $<

# The QEMU plugin that counts guest kernel instructions, and the guest's
# window marker (Documentation/insn-count.rst).
build/bench/insn-count.so: selftests/bench/insn-count.c selftests/bench/insn-mark.h
	@mkdir -p build/bench
	$(CC) -O2 -Wall -Wextra -fPIC -shared -fvisibility=hidden -o $@ $< -lpthread

build/bench/insn-mark: selftests/bench/insn-mark.c selftests/bench/insn-mark.h
	@mkdir -p build/bench
	$(CC) -O2 -Wall -Wextra -o $@ $<

# The selftests' quick "ip netns exec" (static: it starts faster).
build/selftests/nsrun: selftests/nsrun.c
	@mkdir -p build/selftests
	$(CC) -O2 -Wall -Wextra -static -o $@ $<

# An NFQUEUE listener that accepts what it is given (forwarding.sh).
build/selftests/nfq_accept: selftests/nfq_accept.c
	@mkdir -p build/selftests
	$(CC) -O2 -Wall -Wextra $(shell pkg-config --cflags libmnl) -o $@ $< \
		$(shell pkg-config --libs libmnl)

# The debug flavour: a KASAN/UBSAN/lockdep/kmemleak kernel built from the
# distribution's source (cached outside the tree), and the module and its
# KUnit suites built against it in build/debug (kbuild cannot put two
# kernels' objects beside the same sources).
DEBUG_SOURCES = Kbuild VERSION include/uapi/linux/clnet.h \
	$(filter-out %.mod.c,$(wildcard kmod/Kbuild kmod/*.[ch] kmod/tests/*.[ch]))

debug-kernel:
	@mkdir -p build
	selftests/vm/build-debug-kernel > build/debug-kdir.tmp
	tail -n 1 build/debug-kdir.tmp > build/debug-kdir && rm build/debug-kdir.tmp

module-debug: debug-kernel
	@mkdir -p build/debug
	cp -p --parents $(DEBUG_SOURCES) build/debug/
	$(MAKE) -C $$(cat build/debug-kdir) M=$(CURDIR)/build/debug W=1 modules

check: deps all module-debug dkms-prebuilt
	selftests/check

lint:
	@mkdir -p build
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 C=2 CF="-D__CHECK_ENDIAN__" modules 2>&1 | \
		tee build/lint.log; ! grep -E "warning|error" build/lint.log
	scripts/checkpatch --strict --no-tree --terse --show-types -f $(KERNEL_SOURCES)

demo: all
	selftests/vm/run --timeout 600 -- scripts/demo

bench: all
	selftests/bench/run

stress: all module-debug
	selftests/stress/run

# Installing (Documentation/using-clnet.rst). The targets only copy what
# make built (they never build: as root on a node, or in a VM whose checkout
# is read-only), and refuse a module built for another kernel than KVER.
PREFIX ?= /usr/local
DESTDIR ?=
INSTALL_MOD_PATH ?= $(DESTDIR)
# (utsrelease.h, not include/config/kernel.release: Debian's headers carry
# the upstream release there, the module's vermagic the package's.)
KVER ?= $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' $(KDIR)/include/generated/utsrelease.h 2>/dev/null)
VERSION := $(shell cat VERSION)
MODDIR = $(INSTALL_MOD_PATH)/lib/modules/$(KVER)/extra
SBINDIR = $(DESTDIR)$(PREFIX)/sbin
MAN8DIR = $(DESTDIR)$(PREFIX)/share/man/man8
DEPMOD = depmod $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) $(KVER)
DKMS_SRC = $(DESTDIR)/usr/src/clnet-$(VERSION)

install: install-module install-tools

install-module:
	@test -n "$(KVER)" || { echo "install: no kernel release in $(KDIR) (set KVER)" >&2; exit 1; }
	@test -f kmod/clnet.ko || { echo "install: kmod/clnet.ko not built: run make module" >&2; exit 1; }
	@case "$$(modinfo -F vermagic kmod/clnet.ko)" in "$(KVER) "*) ;; \
	*) echo "install: kmod/clnet.ko is not built for $(KVER): make clean module" >&2; exit 1 ;; esac
	install -D -m 644 kmod/clnet.ko $(MODDIR)/clnet.ko
	$(DEPMOD)

install-tools:
	@test -f tools/clnetctl/clnetctl || { echo "install: clnetctl not built: run make clnetctl" >&2; exit 1; }
	install -D -m 755 tools/clnetctl/clnetctl $(SBINDIR)/clnetctl
	install -D -m 644 Documentation/clnetctl.8 $(MAN8DIR)/clnetctl.8

uninstall:
	rm -f $(MODDIR)/clnet.ko $(SBINDIR)/clnetctl $(MAN8DIR)/clnetctl.8
	$(DEPMOD)

# DKMS rebuilds the module for each new kernel from its source in
# /usr/src/clnet-VERSION (dkms.conf says how); clnetctl is installed with
# install-tools.
DKMS_FILES = Kbuild VERSION dkms.conf include/uapi/linux/clnet.h \
	$(filter-out %.mod.c,$(wildcard kmod/Kbuild kmod/*.[ch] kmod/tests/*.[ch]))

dkms-source:
	@grep -qx 'PACKAGE_VERSION="$(VERSION)"' dkms.conf || \
		{ echo "dkms.conf: PACKAGE_VERSION is not VERSION ($(VERSION))" >&2; exit 1; }
	for f in $(DKMS_FILES); do install -D -m 644 $$f $(DKMS_SRC)/$$f || exit 1; done

dkms-install: dkms-source
	dkms add -m clnet -v $(VERSION)
	dkms build -m clnet -v $(VERSION) -k $(KVER)
	dkms install -m clnet -v $(VERSION) -k $(KVER)

dkms-uninstall:
	dkms remove -m clnet -v $(VERSION) --all
	rm -rf $(DKMS_SRC)

# For install.sh: dkms add and build on this host, in trees of its own
# under build/dkms (nothing outside the checkout), so that the guest runs
# dkms install on a built tree, as a machine does after a build host
# made it, instead of compiling for minutes under TCG. Skipped, saying
# so, without dkms or root; install.sh then builds in the guest.
DKMS_TREES = --sourcetree $(CURDIR)/build/dkms/src --dkmstree $(CURDIR)/build/dkms/tree
dkms-prebuilt:
	@if ! command -v dkms >/dev/null || [ "$$(id -u)" != 0 ]; then \
		echo "dkms-prebuilt: needs dkms and root; install.sh will build in the guest"; \
	else \
		rm -rf build/dkms && mkdir -p build/dkms/tree && \
		$(MAKE) -s dkms-source DKMS_SRC=$(CURDIR)/build/dkms/src/clnet-$(VERSION) && \
		dkms add -m clnet -v $(VERSION) $(DKMS_TREES) >build/dkms.log 2>&1 && \
		dkms build -m clnet -v $(VERSION) -k $(KVER) $(DKMS_TREES) >>build/dkms.log 2>&1 || \
		{ cat build/dkms.log; exit 1; }; \
	fi

deps:
	@scripts/deps $(DEB_PACKAGES)

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C tools/clnetctl clean
	rm -rf build

.PHONY: all module clnetctl debug-kernel module-debug check lint demo bench stress deps clean \
	install install-module install-tools uninstall dkms-source dkms-install dkms-uninstall \
	dkms-prebuilt
