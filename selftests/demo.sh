#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make demo` as a selftest: runs scripts/demo in this guest (no guest of
# its own when run_tests runs it) and turns its report into TAP: one
# result per behaviour it proves (its "=> ok [ID]" or "=> FAIL [ID]"
# lines; each ID below must be there), and one for its last line, which
# must be exactly "demo: OK" with exit status 0. The demo's output is
# passed on as TAP comments.
#
#   demo.sh    (one scenario, "demo")
. "$(dirname "$0")/lib.sh"

# shellcheck disable=SC2034 # read by lib.sh
ALL_TESTS="demo"

# What the demo proves, by its IDs (scripts/demo).
PROOFS="pod-pod masq masq-tcp dns vip-arp lb-arp pod-arp failover events fastpath unload"

demo() {
	local out=$work/demo.out rc id line seen=' '
	"$TOP/scripts/demo" >"$out" 2>&1
	rc=$?
	sed 's/^/# /' "$out"
	for id in $PROOFS; do
		line=$(grep -m 1 -E "^  => (ok|FAIL) \[$id\]: " "$out")
		seen+="$id "
		case $line in
		"  => ok [$id]: "*) check "demo [$id]: ${line#*]: }" true ;;
		"  => FAIL [$id]: "*) check "demo [$id]: ${line#*]: }" false ;;
		*) check "demo [$id]: proved (no line for it in the demo's output)" false ;;
		esac
	done
	# A proof the list above does not know yet still counts.
	while IFS= read -r line; do
		id=${line#*[}
		id=${id%%]*}
		[[ $seen == *" $id "* ]] && continue
		case $line in
		"  => ok "*) check "demo [$id]: ${line#*]: }" true ;;
		*) check "demo [$id]: ${line#*]: }" false ;;
		esac
	done < <(grep -E '^  => (ok|FAIL) \[' "$out")
	check_output "the demo's last line is 'demo: OK', exit status 0" 0 '^demo: OK$' \
		sh -c "tail -n 1 '$out'; exit $rc"
}

work=$(mktemp -d)
on_exit rm -rf "$work"
[ "${CLNET_VM_FLAVOUR:-}" = stock ] ||
	echo "# the demo is made for the stock kernel (make demo); on $CLNET_VM_FLAVOUR it may be slow"
tests_run "$@"
