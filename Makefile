# SPDX-License-Identifier: GPL-2.0
#
# clnet top-level build.
#
#   make              build kmod/clnet.ko and tools/clnetctl/clnetctl
#   make check        build, then host unit tests and the VM selftests;
#                     ends with one line "N passed, N failed, N skipped"
#   make lint         sparse (C=2) and checkpatch --strict on kmod/ include/
#   make demo         boot a VM, load the module, show what it does
#   make bench        benchmarks in one VM run, as ratios (selftests/bench)
#   make deps         install missing build/test packages (as root, apt-get)
#
# KDIR selects the kernel to build against; it defaults to the installed
# distribution kernel with both an image in /boot and kbuild headers.

KDIR ?= /lib/modules/$(shell scripts/find-kernel)/build

KERNEL_SOURCES = $(filter-out %.mod.c,$(wildcard kmod/*.[ch] kmod/tests/*.[ch])) \
	include/uapi/linux/clnet.h

# Build and test dependencies, all from the distribution.
DEB_PACKAGES := gcc libc6-dev make pkg-config libmnl-dev python3 bc bison flex cpio \
	xz-utils libelf-dev libssl-dev kmod sparse \
	linux-image-amd64 linux-headers-amd64 linux-source-6.1 \
	qemu-system-x86 busybox-static \
	iproute2 iputils-ping arping tcpdump conntrack nftables iptables \
	iperf3 socat netcat-openbsd ethtool util-linux python3-yaml groff-base

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

check: deps all module-debug
	selftests/check

lint:
	@mkdir -p build
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 C=2 CF="-D__CHECK_ENDIAN__" modules 2>&1 | \
		tee build/lint.log; ! grep -E "warning|error" build/lint.log
	scripts/checkpatch --strict --no-tree --terse --show-types -f $(KERNEL_SOURCES)

demo: all
	selftests/vm/run -- scripts/demo

bench: all
	selftests/bench/run

deps:
	@scripts/deps $(DEB_PACKAGES)

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C tools/clnetctl clean
	rm -rf build

.PHONY: all module clnetctl debug-kernel module-debug check lint demo bench deps clean
