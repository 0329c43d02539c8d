#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The module's life cycle and the genl family: insmod on a fresh boot,
# the family as seen by a tool we did not write, clnetctl version and
# global options, rmmod leaving nothing behind.
#
# The scenarios follow the module's life, each from where the one before
# left it: not loaded, loaded, unloaded.
#
#   module.sh [-t SCENARIO]...    (or TESTS="a b")
. "$(dirname "$0")/lib.sh"

# shellcheck disable=SC2034 # read by lib.sh
ALL_TESTS="
	fresh_boot
	genl_family
	version
	cli_conventions
	netns_option
	batch
	rmmod_leaves_nothing
"

[ -f "$CLNET_KO" ] || bail "$CLNET_KO not built: run make"
[ -x "$CLNETCTL" ] || bail "$CLNETCTL not built: run make"
want_version=$(cat "$TOP/VERSION")

# unprivileged CMD...: CMD as nobody.
unprivileged() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
}

# new_modules: the modules loaded since $mods_before was taken.
new_modules() {
	comm -13 <(echo "$mods_before") <(cut -d' ' -f1 /proc/modules | sort)
}

# Nothing loads clnet behind our back; insmod loads it and nothing else.
fresh_boot() {
	check_fail "fresh boot: clnet is not loaded" module_loaded
	check_output "clnetctl without the module says so plainly" 1 \
		'^clnet kernel module is not loaded: modprobe clnet, or insmod path/to/clnet.ko$' \
		"$CLNETCTL" version

	mods_before=$(cut -d' ' -f1 /proc/modules | sort)
	check "insmod clnet.ko" insmod "$CLNET_KO"
	check "insmod loaded clnet and nothing else" test "$(new_modules)" = clnet
}

genl_family() {
	load_module
	check_output "genl (iproute2) sees family clnet version 1" 0 \
		'Name: clnet' genl ctrl get name clnet
	check_output "genl lists the GET_INFO op" 0 'ID-0x1 ' genl ctrl get name clnet
	check_output "genl shows version 0x1" 0 'Version: 0x1 ' genl ctrl get name clnet
}

version() {
	local modinfo_version

	load_module
	modinfo_version=$(modinfo -F version "$CLNET_KO")
	check "modinfo version is the tree's VERSION" test "$modinfo_version" = "$want_version"
	check_output "clnetctl version agrees with modinfo" 0 \
		"^clnet module $modinfo_version \(genl family clnet version 1\)$" "$CLNETCTL" version
	check_output "clnetctl version prints its own version" 0 \
		"^clnetctl $want_version$" "$CLNETCTL" version
	check_output "clnetctl -j version is JSON with the module version" 0 \
		"^$modinfo_version$" sh -c "'$CLNETCTL' -j version | '$JSON_GET' module.version"
	check_output "clnetctl -j -p version is pretty JSON" 0 '^    "module": \{$' \
		"$CLNETCTL" -j -p version
	check_output "clnetctl version reports its features" 0 \
		'^features: link fastpath masq announce events$' "$CLNETCTL" version
	check_output "clnetctl version reports address family inet" 0 \
		'^address families: inet$' "$CLNETCTL" version
}

# Global options and CLI conventions.
cli_conventions() {
	check_output "abbreviated object 'v' runs version" 0 "^clnetctl $want_version$" \
		"$CLNETCTL" v
	check_output "unknown object is a usage error (exit 2)" 2 'object "bogus" is unknown' \
		"$CLNETCTL" bogus
	check_output "extra argument is a usage error (exit 2)" 2 'takes no arguments' \
		"$CLNETCTL" version extra
	check_output "unknown option is a usage error (exit 2)" 2 'option "-z" is unknown' \
		"$CLNETCTL" -z version
	check_output "no object prints usage (exit 2)" 2 '^Usage: clnetctl' "$CLNETCTL"
	check_output "help at the top level" 0 '^Usage: clnetctl' "$CLNETCTL" help
	check_output "help for an object" 0 '^Usage: clnetctl .*version' "$CLNETCTL" version help
}

# -n NETNS, and a netns deleted with the module loaded, which releases its
# pernet state.
netns_option() {
	load_module
	netns_add clnet-mod-a
	check_output "-n NETNS talks to the module in that netns" 0 '^clnet module ' \
		"$CLNETCTL" -n clnet-mod-a version
	check_output "-n with a missing netns fails clearly" 1 \
		'cannot open network namespace "nonexistent"' "$CLNETCTL" -n nonexistent version
	check_output "GET_INFO needs no privilege" 0 '^clnet module ' \
		unprivileged "$CLNETCTL" version
	check "deleting a netns with the module loaded" ip netns del clnet-mod-a
}

# batch_versions ARGS...: how many "clnetctl VERSION" lines a batch run
# printed.
batch_versions() {
	"$CLNETCTL" "$@" 2>/dev/null | grep -c '^clnetctl '
}

batch() {
	local batch=$work/batch

	load_module
	printf 'version\n# a comment\n\nbogus\nversion\n' >"$batch"
	check_output "batch: a bad line is reported by line number" 1 \
		"command failed $batch:4" "$CLNETCTL" -b "$batch"
	check_output "batch: stops at the first failure without -force" 0 \
		'^1$' batch_versions -b "$batch"
	check_output "batch: -force runs the remaining lines" 0 \
		'^2$' batch_versions -force -b "$batch"
	check_output "batch from stdin (-b -)" 0 '^clnet module ' \
		sh -c "echo version | '$CLNETCTL' -b -"
}

rmmod_leaves_nothing() {
	load_module
	check "rmmod clnet" rmmod clnet
	check_fail "the module is gone" module_loaded
	check_fail "genl no longer finds the family" genl ctrl get name clnet
	check_output "clnetctl says the module is not loaded again" 1 \
		'^clnet kernel module is not loaded' "$CLNETCTL" version
	check "insmod again after rmmod" insmod "$CLNET_KO"
	check "rmmod again" rmmod clnet
}

work=$(mktemp -d)
on_exit rm -rf "$work"
on_exit unload_module
tests_run "$@"
