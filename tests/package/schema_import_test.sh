#!/usr/bin/env bash
# The installed schema loads in a Cap'n Proto implementation that knows
# nothing but the installed folder: `capnp compile` with no standard import
# path and share/roster/ alone on it (as a Python or Rust client would load
# it), and every interface and the error codes are there.
# Usage: schema_import_test.sh BUILD_DIR
set -euo pipefail
build=$1
dir=$(mktemp -d /tmp/roster-schema.XXXXXX)
trap 'rm -rf "$dir"' EXIT
cmake --install "$build" --prefix "$dir/prefix" --component Unspecified >/dev/null
share=$dir/prefix/share/roster
[[ -f $share/roster.capnp ]] || { echo "0 passed, 1 failed: no share/roster/roster.capnp"; exit 1; }
# Copied elsewhere first: no path relative to the source tree can help it.
mkdir "$dir/elsewhere" && cp "$share/roster.capnp" "$dir/elsewhere/"
if ! capnp compile --no-standard-import --import-path="$share" -ocapnp "$dir/elsewhere/roster.capnp" >"$dir/out" 2>"$dir/err"; then
  echo "0 passed, 1 failed: the installed schema does not load with only share/roster/ to import from:"
  cat "$dir/err"
  exit 1
fi
for name in "interface Bootstrap" "interface Service" "interface Session" "enum ErrorCode"; do
  grep -q "$name" "$dir/out" || { echo "1 passed, 1 failed: $name missing from the loaded schema"; exit 1; }
done
echo "2 passed, 0 failed"
