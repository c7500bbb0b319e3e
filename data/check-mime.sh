#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Meson test: builds a MIME database from our package alone, in a temporary
# directory, and checks that .jnlp files (and extensionless JNLP documents)
# resolve to application/x-java-jnlp-file.
set -eu

package=${1:?usage: check-mime.sh MIME-PACKAGE.xml}
type=application/x-java-jnlp-file

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

mkdir -p "$tmp/mime/packages"
cp "$package" "$tmp/mime/packages/"
XDG_DATA_HOME="$tmp" XDG_DATA_DIRS="$tmp" update-mime-database "$tmp/mime"

fail () {
  echo "FAIL: $*" >&2
  exit 1
}

# globs2 lines are "weight:type:glob".
grep -Eq "^[0-9]+:$type:\*\.jnlp\$" "$tmp/mime/globs2" \
  || fail "*.jnlp is not mapped to $type in globs2"
grep -Eq "^$type application/xml\$" "$tmp/mime/subclasses" \
  || fail "$type is not a subclass of application/xml"
grep -Eq "^ jnlp $type\$" "$tmp/mime/XMLnamespaces" \
  || fail "the root-XML rule for <jnlp> is missing"
echo "ok: globs2, subclasses and XMLnamespaces"

# Ask GIO too, seeing only the temporary database: once by file name and
# once by content alone.
if command -v gio >/dev/null 2>&1; then
  cat > "$tmp/launch.jnlp" <<'JNLP'
<?xml version="1.0" encoding="UTF-8"?>
<jnlp spec="1.0+" codebase="https://example.invalid/">
  <information><title>Test</title></information>
</jnlp>
JNLP
  cp "$tmp/launch.jnlp" "$tmp/launch"

  for file in launch.jnlp launch; do
    got=$(XDG_DATA_HOME="$tmp" XDG_DATA_DIRS="$tmp" \
          gio info -a standard::content-type "$tmp/$file" \
          | sed -n 's/^ *standard::content-type: //p')
    [ "$got" = "$type" ] || fail "gio says $file is '$got', not $type"
    echo "ok: gio: $file is $type"
  done
else
  echo "gio not found; skipped the content-type check"
fi
