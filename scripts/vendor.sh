#!/usr/bin/env bash
# Refresh the front-end libraries in static/vendor/ from the npm registry.
# They are committed, so that the portal needs no network at run time.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fetch() { # package@version, files to copy (relative to the package), target folder
  local spec=$1 target=$2; shift 2
  (cd "$work" && rm -rf package && npm pack --silent "$spec" >/dev/null && tar xzf ./*.tgz && rm ./*.tgz)
  mkdir -p "$target"
  for file in "$@"; do cp "$work/package/$file" "$target/"; done
  echo "$spec → $target"
}
fetch htmx.org@2.0.11 static/vendor/htmx dist/htmx.min.js LICENSE
fetch echarts@6.1.0 static/vendor/echarts dist/echarts.min.js LICENSE
