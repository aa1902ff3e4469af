#!/usr/bin/env bash
# Installs the build into a temporary prefix, builds tests/package/consumer
# against it with find_package(roster), and runs it against no server: it
# must link, run and answer `unavailable`; and an embedded server opened on
# a fresh directory, which must answer a check with `not_found`.
# Usage: find_package_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1 source=$2
dir=$(mktemp -d /tmp/roster-package.XXXXXX)
trap 'rm -rf "$dir"' EXIT
cmake --install "$build" --prefix "$dir/prefix" >/dev/null
cmake -S "$source/tests/package/consumer" -B "$dir/build" -DCMAKE_PREFIX_PATH="$dir/prefix" >/dev/null
cmake --build "$dir/build" >/dev/null
rc=0
"$dir/build/consumer" 127.0.0.1:1 token || rc=$?
[[ $rc == 3 ]] || { echo "0 passed, 1 failed (consumer exited $rc)"; exit 1; }
rc=0
"$dir/build/embedded" "$dir/data" || rc=$?
[[ $rc == 0 ]] && echo "2 passed, 0 failed" || { echo "1 passed, 1 failed (embedded exited $rc)"; exit 1; }
