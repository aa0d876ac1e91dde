#!/usr/bin/env bash
# Re-downloads the vendored GraphiQL files from the npm registry (with `npm pack`, through the
# registry npm is configured with), checks each package's integrity and each file's sha256
# against MANIFEST, and writes them here under their versioned names. Not run by CI: the
# files are committed; run it to prove they are what the packages ship, or after changing
# a pin (then update MANIFEST and src/graphql/graphiql_assets.rs).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# MANIFEST lines: <file here> <package@version> <path in the package> <sha256>
grep -v '^#' "$here/MANIFEST" | while read -r file spec inner sha256; do
    [ -n "$file" ] || continue
    unpacked="$work/$spec"
    if [ ! -d "$unpacked" ]; then
        mkdir -p "$unpacked"
        tarball=$(cd "$work" && npm pack --silent "$spec")
        expected=$(cd "$work" && npm view "$spec" dist.integrity)
        actual="sha512-$(openssl dgst -sha512 -binary "$work/$tarball" | base64 -w0)"
        if [ "$actual" != "$expected" ]; then
            echo "$spec: tarball integrity $actual, registry says $expected" >&2
            exit 1
        fi
        tar -xzf "$work/$tarball" -C "$unpacked"
    fi
    actual=$(sha256sum "$unpacked/package/$inner" | cut -d' ' -f1)
    if [ "$actual" != "$sha256" ]; then
        echo "$spec $inner: sha256 $actual, MANIFEST says $sha256" >&2
        exit 1
    fi
    cp "$unpacked/package/$inner" "$here/$file"
    echo "ok $file ($spec $inner)"
done
