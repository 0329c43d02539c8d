# SPDX-License-Identifier: GPL-2.0
# Writable throw-away views of system trees for the tests that install
# (install.sh, guide.sh): tmpfs overlays in the caller's own mount
# namespace, and what was written under them. The caller sets $work (a
# scratch directory).

# overlay DIR: a tmpfs overlay on DIR, writable, dropped with the mount
# namespace; DIR's own content stays visible under $work/ov/NAME/lower.
overlay() {
	local d=$work/ov/${1//\//_}
	mkdir -p "$d/lower" "$d/up" "$d/work" &&
	mount --bind "$1" "$d/lower" &&
	mount -t overlay overlay -o "lowerdir=$d/lower,upperdir=$d/up,workdir=$d/work" "$1"
}

# changes DIR...: what was written under the overlaid DIRs since they were
# mounted, one line each, sorted: "added PATH", "changed PATH" (content
# differs from the original) or "deleted PATH". A file rewritten with its
# old content (depmod's indexes after uninstall) is no change. Read from
# the overlays' upper layers: exact, and quick.
changes() {
	local top d f rel
	for top in "$@"; do
		d=$work/ov/${top//\//_}
		while IFS= read -r f; do
			rel=${f#"$d/up"}
			if [ -c "$f" ]; then
				echo "deleted $top$rel"
			elif [ ! -e "$d/lower$rel" ] && [ ! -L "$d/lower$rel" ]; then
				echo "added $top$rel"
			elif ! cmp -s "$f" "$d/lower$rel"; then
				echo "changed $top$rel"
			fi
		done < <(find "$d/up" -mindepth 1 \( -type f -o -type l -o -type c \))
	done | sort
}

# no_changes DIR...: nothing under the overlaid DIRs differs from the
# original (what does is printed).
no_changes() {
	local c
	c=$(changes "$@")
	printf '%s\n' "$c"
	[ -z "$c" ]
}
