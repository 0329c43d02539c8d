#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Installing clnet as a node would: `make install` puts the module under
# /lib/modules/KVER/extra (depmod) and clnetctl and its manual page under
# /usr/local; `modprobe clnet` loads it without nf_conntrack/nf_nat, which
# come on demand with the first masquerade configuration; the module is
# used (a pod pair, a masqueraded ping); `make uninstall` leaves the file
# trees exactly as they were. Then the same with DESTDIR (and modprobe -d),
# and with DKMS (make dkms-install: dkms add, build and install against
# the running kernel, whose headers the guest sees on the host's root).
#
# The guest's root is the host's, read-only: the script runs in a mount
# namespace of its own with a tmpfs overlay on /lib/modules, /usr/local and
# /usr/src and a tmpfs on /var/lib/dkms, all gone when it ends.
#
#   install.sh [-t SCENARIO]...    (or TESTS="a b"; CLNET_DKMS=0 skips DKMS)
. "$(dirname "$0")/lib.sh"

# shellcheck disable=SC2034 # read by lib.sh
ALL_TESTS="
	install_modprobe_uninstall
	install_destdir
	dkms_install
"

KVER=$(uname -r)
MODS=/lib/modules/$KVER
VERSION=$(cat "$TOP/VERSION")
# The default PREFIX's files; the module's path once installed.
SBIN=/usr/local/sbin/clnetctl
MAN8=/usr/local/share/man/man8/clnetctl.8
EXTRA=$MODS/extra/clnet.ko
# What install.sh lets the targets write to, each under an overlay.
TREES="/lib/modules /usr/local /usr/src"

if [ -z "${CLNET_INSTALL_MNTNS:-}" ]; then
	export CLNET_INSTALL_MNTNS=1
	exec unshare -m --propagation private "$0" "$@"
fi

work=$(mktemp -d)
on_exit rm -rf "$work"

. "$(dirname "$0")/lib/overlay.sh"

# added_only PATH...: exactly the PATHs were added, nothing deleted, and
# nothing changed but depmod's indexes.
added_only() {
	local c want
	c=$(changes $TREES | grep -v "^changed $MODS/modules\.")
	want=$(printf 'added %s\n' "$@" | sort)
	printf '%s\n' "$c"
	[ "$c" = "$want" ]
}

# added_only_dkms: what make dkms-install and install-tools add: the
# module in updates/dkms, the sources in /usr/src, the tools; nothing
# deleted, nothing changed but depmod's indexes.
added_only_dkms() {
	local c bad=0
	c=$(changes $TREES | grep -v "^changed $MODS/modules\.")
	printf '%s\n' "$c"
	grep -qx "added $MODS/updates/dkms/clnet.ko" <<<"$c" &&
		grep -qx "added /usr/src/clnet-$VERSION/dkms.conf" <<<"$c" &&
		grep -qx "added /usr/src/clnet-$VERSION/kmod/main.c" <<<"$c" &&
		grep -qx "added $SBIN" <<<"$c" && grep -qx "added $MAN8" <<<"$c" || bad=1
	c=$(grep -vE "^added ($MODS/updates/dkms/clnet\.ko|/usr/src/clnet-$VERSION/.*|$SBIN|$MAN8)\$" <<<"$c")
	[ -z "$c" ] || { echo "unexpected: $c"; bad=1; }
	return $bad
}

# nat_unloaded: nf_nat and nf_conntrack are not loaded, after removing
# what an earlier test may have left (conntrack's netlink, nft's nat).
nat_unloaded() {
	local m
	for m in nft_masq nft_nat nft_chain_nat xt_MASQUERADE nf_conntrack_netlink \
		 nft_ct xt_conntrack nf_nat nf_conntrack; do
		[ -d /sys/module/$m ] && modprobe -r $m 2>/dev/null
	done
	[ ! -d /sys/module/nf_nat ] && [ ! -d /sys/module/nf_conntrack ]
}

# use_module CLNETCTL: a pod behind a pair in a node, which masquerades
# out of its uplink to a LAN host that has no route back to the pod.
use_module() {
	local ctl=$1
	netns_add in-node in-pod in-lan || return 1
	ip -n in-node link add up0 type veth peer name eth0 netns in-lan &&
	ip -n in-node addr add 192.168.77.1/24 dev up0 &&
	ip -n in-node link set up0 up &&
	ip -n in-lan addr add 192.168.77.2/24 dev eth0 &&
	ip -n in-lan link set eth0 up &&
	in_ns in-node sysctl -qw net.ipv4.ip_forward=1 &&
	"$ctl" -n in-node link add lxc1 peer eth0 netns in-pod &&
	ip -n in-node link set lxc1 up &&
	ip -n in-pod addr add 10.0.208.10/32 dev eth0 &&
	ip -n in-pod link set eth0 up &&
	ip -n in-pod route add default dev eth0 &&
	"$ctl" -n in-node addroute 10.0.208.10/32 dev lxc1 &&
	"$ctl" -n in-node masq set dev up0 native-cidr 10.0.208.0/20 &&
	pings in-pod 2 192.168.77.2
}

use_done() {
	ip netns del in-pod 2>/dev/null
	ip netns del in-node 2>/dev/null
	ip netns del in-lan 2>/dev/null
	wait_until 10 netns_absent 'in-.*'
}

install_modprobe_uninstall() {
	check "make install" make -s -C "$TOP" install
	check "... added exactly $EXTRA, $SBIN and $MAN8 (and ran depmod)" \
		added_only "$EXTRA" "$SBIN" "$MAN8"
	check_output "... depmod indexed it (modinfo -n clnet)" 0 "^$EXTRA\$" modinfo -n clnet
	check_output "... the manual page is found (man -w clnetctl)" 0 "^/usr/local/(share/)?man/man8/clnetctl\.8$" man -w clnetctl
	check_output "clnetctl without the module says how to load it" 1 \
		"not loaded: modprobe clnet" $SBIN link show
	if nat_unloaded; then
		check "modprobe clnet" modprobe clnet
		check "... loaded nothing of nf_conntrack or nf_nat" \
			test ! -d /sys/module/nf_conntrack -a ! -d /sys/module/nf_nat
	else
		check "modprobe clnet" modprobe clnet
		skip "... loaded nothing of nf_conntrack or nf_nat" \
			"nf_conntrack stays loaded ($(lsmod | grep ^nf_conntrack)): run install.sh alone"
	fi
	check_output "installed clnetctl talks to it" 0 "^clnet module $VERSION " $SBIN version
	check "a pod pair, its route and masquerade; the pod pings a LAN host with no route back" \
		use_module $SBIN
	check "... masquerade brought in nf_nat and nf_conntrack" \
		test -d /sys/module/nf_nat -a -d /sys/module/nf_conntrack
	use_done
	check "modprobe -r clnet" modprobe -r clnet
	check "make uninstall" make -s -C "$TOP" uninstall
	check "... nothing left changed under /lib/modules or /usr/local (depmod's indexes as before)" \
		no_changes $TREES
	check_fail "... modinfo finds no clnet" modinfo -n clnet
}

install_destdir() {
	local d=$work/dest
	mkdir -p "$d"
	check "make install DESTDIR=$d" make -s -C "$TOP" install DESTDIR="$d"
	check "... the module in DESTDIR/lib/modules/$KVER/extra" test -f "$d$EXTRA"
	check "... clnetctl and clnetctl.8 under DESTDIR/usr/local" test -x "$d$SBIN" -a -f "$d$MAN8"
	check "... nothing outside DESTDIR" no_changes $TREES
	check_output "modprobe -d DESTDIR finds it" 0 "^insmod $d$EXTRA" \
		modprobe -d "$d" --show-depends clnet
	check "make uninstall DESTDIR=$d" make -s -C "$TOP" uninstall DESTDIR="$d"
	check "... no clnet file left in DESTDIR" no_output find "$d" -name 'clnet*'
}

# dkms_prebuilt_current: build/dkms holds a DKMS build of these sources
# for this kernel (the same srcversion as kmod/clnet.ko).
DKMS_TREE=$TOP/build/dkms/tree
dkms_prebuilt_current() {
	local ko=$DKMS_TREE/clnet/$VERSION/$KVER/$(uname -m)/module/clnet.ko
	[ -f "$ko" ] &&
		[ "$(modinfo -F srcversion "$ko")" = "$(modinfo -F srcversion "$TOP/kmod/clnet.ko")" ]
}

# dkms_install_prebuilt: the built tree into the guest's (tmpfs) DKMS
# tree, its source where make dkms-source puts it, then dkms install,
# which finds the module built.
dkms_install_prebuilt() {
	make -s -C "$TOP" dkms-source &&
		cp -a "$DKMS_TREE/clnet" /var/lib/dkms/ &&
		ln -sfn "/usr/src/clnet-$VERSION" "/var/lib/dkms/clnet/$VERSION/source" &&
		dkms install -m clnet -v "$VERSION" -k "$KVER"
}

dkms_install() {
	local t0 t1 status
	if ! command -v dkms >/dev/null; then
		skip "DKMS" "dkms is not installed: apt-get install dkms (or make deps)"
		return
	fi
	# Without a current make dkms-prebuilt, the build compiles the
	# module in the guest: minutes under TCG.
	if [ "${CLNET_DKMS:-1}" = 0 ]; then
		skip "DKMS" "CLNET_DKMS=0 was set; without it DKMS installs the module (built by make dkms-prebuilt, or in the guest)"
		return
	fi
	t0=$SECONDS
	if dkms_prebuilt_current; then
		check "dkms install of the tree make dkms-prebuilt built on the host (for $KVER)" \
			dkms_install_prebuilt
	else
		echo "# no current build/dkms (make dkms-prebuilt): dkms builds in the guest"
		check "make dkms-install (dkms add, build, install for $KVER)" \
			make -s -C "$TOP" dkms-install
	fi
	t1=$SECONDS
	echo "# dkms took $((t1 - t0)) s"
	check "make install-tools (clnetctl and its manual page only)" \
		make -s -C "$TOP" install-tools
	check "... added exactly the DKMS build, its source, $SBIN and $MAN8" \
		added_only_dkms
	status=$(dkms status clnet 2>&1)
	check_output "dkms status: clnet/$VERSION installed for $KVER" 0 \
		"^clnet/$VERSION, $KVER, [^:]*: installed" echo "$status"
	check_output "... in updates/dkms (modinfo -n clnet)" 0 "^$MODS/updates/dkms/clnet\.ko" \
		modinfo -n clnet
	check "modprobe clnet (the DKMS build)" modprobe clnet
	check_output "... it is the sources' version" 0 "^clnet module $VERSION " \
		$SBIN version
	check "... it works: a pod pair, masquerade, a ping" use_module $SBIN
	use_done
	check "modprobe -r clnet" modprobe -r clnet
	check "make dkms-uninstall" make -s -C "$TOP" dkms-uninstall
	check "make uninstall (the tools)" make -s -C "$TOP" uninstall
	check "... dkms knows no clnet" no_output dkms status clnet
	check "... nothing left changed under /lib/modules, /usr/local or /usr/src" no_changes $TREES
}

[ -x "$CLNETCTL" ] || bail "$CLNETCTL not built: run make"
[ -f "$TOP/kmod/clnet.ko" ] || bail "kmod/clnet.ko not built: run make"
# The debug kernel's module is built elsewhere (build/debug) and make
# install installs the stock one: there is nothing to check there.
if [ "$CLNET_VM_FLAVOUR" != stock ]; then
	skip "install.sh" "it checks the stock kernel's module: run it on the stock kernel (selftests/run_tests install.sh)"
	tap_done
	exit
fi
module_loaded && { rmmod clnet || bail "clnet is loaded and cannot be removed"; }
on_exit unload_module
for d in $TREES; do
	overlay $d || bail "cannot put a tmpfs overlay on $d (overlayfs)"
done
if command -v dkms >/dev/null; then
	mount -t tmpfs tmpfs /var/lib/dkms || bail "cannot mount a tmpfs on /var/lib/dkms"
fi
on_exit use_done
tests_run "$@"
