#!/bin/sh
# The source map in docs/architecture.md, generated from the tree: every
# file under kernel/, lib/, include/, user/, tests/ and tools/ with the
# first sentence of its header comment.
#   tools/source-map.sh           prints the map
#   tools/source-map.sh --update  writes it into docs/architecture.md (make source-map)
#   tools/source-map.sh --check   fails if the map there differs, listing every file
#                                 missing from it, every entry with no file and every
#                                 entry whose text changed (make check-source-map)
# The header comment is, in C, assembly and linker scripts, the /* */
# comment that opens the file (after `// links:` lines); in shell, make
# and Python files the # lines after the #! line, or Python's docstring;
# in Markdown the first paragraph under the title. A file without one is
# reported on stderr and shown as such in the map. Files are those git
# tracks plus new ones it does not ignore, so the map can be made before
# `git add`.
set -eu
cd "$(dirname "$0")/.."
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	echo "source-map: needs a git work tree (the files are those git knows)" >&2
	exit 2
fi

DOC=docs/architecture.md
BEGIN_MARK='<!-- source map: tools/source-map.sh writes it (make source-map); do not edit by hand -->'
END_MARK='<!-- end of source map -->'
ROOTS='kernel lib include user tests tools'
WIDTH=120 # wrap descriptions at this column
PATHCOL=40 # where descriptions start

files() {
	# shellcheck disable=SC2086 # ROOTS is a list
	git ls-files --cached --others --exclude-standard -- $ROOTS | LC_ALL=C sort -u |
		while IFS= read -r f; do
			[ -f "$f" ] && printf '%s\n' "$f"
		done
}

# The map on stdout, one entry per file: its path, then the first
# sentence of its header comment from column PATHCOL, wrapped at WIDTH.
generate() {
	echo '```'
	files | LC_ALL=C awk -v width="$WIDTH" -v col="$PATHCOL" '
	function kind(f) {
		if (f ~ /\.(c|h|S|ld)$/) return "c"
		if (f ~ /\.md$/) return "md"
		if (f ~ /\.py$/) return "py"
		if (f ~ /\.lua$/) return "lua"
		if (f ~ /\.(sh|mk)$/ || f ~ /(^|\/)Makefile$/) return "hash"
		return "other"
	}
	# The first paragraph of the header comment of f as one line, or "" if
	# f has none; a blank or an indented line (a list) ends a paragraph.
	function header(f,    k, line, text, state, n) {
		k = kind(f)
		text = ""
		state = "start"
		n = 0
		while ((getline line < f) > 0) {
			n++
			sub(/\r$/, "", line)
			if (k == "c") {
				if (state == "start") {
					if (line ~ /^[ \t]*$/ || line ~ /^\/\//) continue
					if (line !~ /^\/\*/) break
					sub(/^\/\*+/, "", line)
					state = "in"
				} else if (line ~ /^[ \t]*\*+([ \t]|\/|$)/ && line !~ /^[ \t]*\*\//) {
					sub(/^[ \t]*\*+[ \t]?/, "", line)
				}
				if (line ~ /\*\//) {
					sub(/\*\/.*/, "", line)
					text = text " " line
					break
				}
				if (text ~ /[^ ]/ && (line ~ /^[ \t]*$/ || line ~ /^[ \t]/)) break # paragraph ends
				text = text " " line
			} else if (k == "hash" || k == "py" || k == "other") {
				if (n == 1 && line ~ /^#!/) continue
				if (k == "py" && state == "start" && line ~ /^[ \t]*("""|\047\047\047)/) {
					sub(/^[ \t]*("""|\047\047\047)/, "", line)
					state = "doc"
				}
				if (state == "doc") {
					if (text ~ /[^ ]/ && (line ~ /^[ \t]*$/ || line ~ /^[ \t]/)) break
					if (line ~ /"""|\047\047\047/) {
						sub(/("""|\047\047\047).*/, "", line)
						text = text " " line
						break
					}
					text = text " " line
					continue
				}
				if (k == "other" && n > 1 && state == "start") break
				if (line ~ /^#/ && line !~ /^#!/) {
					sub(/^#+[ \t]?/, "", line)
					if (text ~ /[^ ]/ && (line ~ /^[ \t]*$/ || line ~ /^[ \t]/)) break
					text = text " " line
					state = "in"
				} else if (state == "in" || line !~ /^[ \t]*$/) {
					break
				}
			} else if (k == "lua") { # -- comments, as # ones above
				if (line ~ /^--/) {
					sub(/^--+[ \t]?/, "", line)
					if (text ~ /[^ ]/ && (line ~ /^[ \t]*$/ || line ~ /^[ \t]/)) break
					text = text " " line
				} else {
					break
				}
			} else if (k == "md") {
				if (state == "start") {
					if (line ~ /^[ \t]*$/ || line ~ /^#/) continue
					state = "in"
				}
				if (line ~ /^[ \t]*$/) break
				text = text " " line
			}
		}
		close(f)
		gsub(/[ \t]+/, " ", text)
		sub(/^ /, "", text)
		sub(/ $/, "", text)
		return text
	}
	# Its first sentence: up to the first . ! or ? before a space or the
	# end (not in "e.g.", "i.e." or "...").
	function first_sentence(t,    s, i, c, rest) {
		s = t
		gsub(/e\.g\./, "e\001g\001", s)
		gsub(/i\.e\./, "i\001e\001", s)
		gsub(/\.\.\./, "\001\001\001", s)
		for (i = 1; i <= length(s); i++) {
			c = substr(s, i, 1)
			if (c == "." || c == "!" || c == "?") {
				rest = substr(s, i + 1, 1)
				if (rest == "" || rest == " ") {
					s = substr(s, 1, i)
					break
				}
			}
		}
		gsub(/\001/, ".", s)
		return s
	}
	function pad(n,    s) {
		s = ""
		while (n-- > 0) s = s " "
		return s
	}
	# Prints path and text, the text wrapped into [col, width).
	function entry(path, text,    w, nw, i, line, out, first) {
		out = path
		if (length(out) >= col - 1) {
			print out
			out = pad(col - 1)
		} else {
			out = out pad(col - 1 - length(out))
		}
		nw = split(text, w, " ")
		line = ""
		for (i = 1; i <= nw; i++) {
			if (line != "" && col + length(line) + 1 + length(w[i]) > width) {
				print out line
				out = pad(col - 1)
				line = ""
			}
			line = line (line == "" ? "" : " ") w[i]
		}
		print out line
	}
	{
		t = header($0)
		if (t == "") {
			print "source-map: no header comment: " $0 > "/dev/stderr"
			t = "(no header comment)"
		} else {
			t = first_sentence(t)
		}
		entry($0, t)
	}'
	echo '```'
}

# The map as it stands in DOC (without the marker lines).
current() {
	awk -v b="$BEGIN_MARK" -v e="$END_MARK" '
		$0 == e { inside = 0 }
		inside { print }
		$0 == b { inside = 1; found++ }
		END { if (found != 1) exit 1 }' "$DOC"
}

# "path<TAB>text" per entry of a map on stdin, continuation lines joined.
entries() {
	awk '
		/^```/ { next }
		/^[^ ]/ { if (p != "") print p "\t" t; p = $1; t = $0; sub(/^[^ ]+ */, "", t); next }
		/^ / { s = $0; sub(/^ +/, "", s); t = (t == "" ? s : t " " s) }
		END { if (p != "") print p "\t" t }'
}

check() {
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	if ! current >"$tmp/doc"; then
		echo "source-map: $DOC lacks the marker lines around the map"
		exit 1
	fi
	generate >"$tmp/gen" 2>"$tmp/warn"
	sed 's/^/warning: /' "$tmp/warn"
	if cmp -s "$tmp/doc" "$tmp/gen"; then
		echo "source-map: $(entries <"$tmp/gen" | wc -l) files, the map in $DOC is up to date" \
			"($(wc -l <"$tmp/warn") without a header comment)"
		return 0
	fi
	entries <"$tmp/doc" | LC_ALL=C sort >"$tmp/doc.e"
	entries <"$tmp/gen" | LC_ALL=C sort >"$tmp/gen.e"
	cut -f1 "$tmp/doc.e" >"$tmp/doc.p"
	cut -f1 "$tmp/gen.e" >"$tmp/gen.p"
	LC_ALL=C comm -13 "$tmp/doc.p" "$tmp/gen.p" | sed 's/^/missing from the map: /'
	LC_ALL=C comm -23 "$tmp/doc.p" "$tmp/gen.p" | sed 's/^/in the map, but no such file: /'
	LC_ALL=C comm -12 "$tmp/doc.p" "$tmp/gen.p" >"$tmp/both"
	LC_ALL=C comm -23 "$tmp/doc.e" "$tmp/gen.e" | cut -f1 | LC_ALL=C comm -12 - "$tmp/both" |
		sed 's/^/header comment changed: /'
	echo "source-map: the map in $DOC is out of date; make source-map rewrites it"
	exit 1
}

update() {
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	if ! current >/dev/null; then
		echo "source-map: $DOC lacks the marker lines around the map" >&2
		exit 1
	fi
	generate >"$tmp/gen"
	awk -v b="$BEGIN_MARK" -v e="$END_MARK" -v gen="$tmp/gen" '
		$0 == e { while ((getline l < gen) > 0) print l; inside = 0 }
		!inside { print }
		$0 == b { inside = 1 }' "$DOC" >"$tmp/doc"
	if cmp -s "$tmp/doc" "$DOC"; then
		echo "source-map: $DOC is up to date"
	else
		cat "$tmp/doc" >"$DOC"
		echo "source-map: rewrote the map in $DOC"
	fi
}

case ${1:-} in
'') generate ;;
--update) update ;;
--check) check ;;
*)
	echo "usage: tools/source-map.sh [--update | --check]" >&2
	exit 2
	;;
esac
