#!/usr/bin/env bash
# Installs what the end-to-end suite needs, idempotently, into .cache/e2e (git-ignored):
# Debian's chromium and git + the headers code-server's native modules build against, the Node
# that code-server release requires (from the npm registry), and code-server itself. A second run
# takes seconds.
#
# The code-server release (and so the VS Code release) is test/e2e/code-server-version, or
# INFILL_E2E_CODE_SERVER (e.g. 4.90.3 = VS Code 1.90, the oldest engines.vscode allows). Each
# release has its own folder, .cache/e2e/code-server-<release>, with node-bin linking to its Node.
set -euo pipefail
cd "$(dirname "$0")/../.."
release="${INFILL_E2E_CODE_SERVER:-$(cat test/e2e/code-server-version)}"
cache="$PWD/.cache/e2e"
dir="$cache/code-server-$release"
mkdir -p "$dir"
# Run from `npm run`, the outer npm's settings (npm_config_*, its node) leak into the nested
# installs below; they must run on code-server's Node with their own prefix.
for var in $(compgen -e | grep -i '^npm_'); do unset "$var"; done
unset NODE

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v git >/dev/null || missing+=(git) # the diff-view scenario runs VS Code's git extension
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
dpkg -s pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
command -v rg >/dev/null || missing+=(ripgrep) # for older releases, below
if [ "${#missing[@]}" -gt 0 ]; then
  echo "e2e setup: apt-get install ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The Node major code-server declares (engines.node: "24" for 4.139, "20" for 4.90), asked once.
if [ ! -s "$dir/node-major" ]; then
  npm view "code-server@$release" engines.node | grep -o '[0-9]\+' | head -1 > "$dir/node-major.tmp"
  mv "$dir/node-major.tmp" "$dir/node-major"
fi
major="$(cat "$dir/node-major")"
node="$cache/node$major/node_modules/node/bin/node"
if [ ! -x "$node" ] || ! "$node" --version | grep -q "^v$major\."; then
  echo "e2e setup: Node $major from the npm registry"
  npm install --prefix "$cache/node$major" --no-save --no-audit --no-fund "node@$major" >/dev/null
fi
ln -sfn "../node$major/node_modules/node/bin" "$dir/node-bin"

code_server="$dir/node_modules/.bin/code-server"
if [ ! -x "$code_server" ]; then
  echo "e2e setup: code-server $release (takes a few minutes the first time)"
  # npm itself runs on that Node, so code-server's install scripts see it. Older releases' install
  # script refuses to run as root without npm's old unsafe-perm setting, and their native modules
  # (kerberos's node-addon-api) pass a finalizer that current Node 20 headers declare const:
  # -fpermissive lets g++ build them.
  # Older releases' @vscode/ripgrep 1.15 downloads rg from GitHub in its install script unless its
  # download cache (in TMPDIR) has it: put Debian's ripgrep (13.0, the same release) there.
  tmp="$dir/tmp"
  mkdir -p "$tmp/vscode-ripgrep-cache-1.15.9"
  tar -czf "$tmp/vscode-ripgrep-cache-1.15.9/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" \
    -C "$(dirname "$(command -v rg)")" rg
  npm_cli="$(readlink -f "$(command -v npm)")"
  PATH="$dir/node-bin:$PATH" TMPDIR="$tmp" npm_config_unsafe_perm=true CXXFLAGS="${CXXFLAGS:-} -fpermissive" \
    "$node" "$npm_cli" install --prefix "$dir" --no-save --no-audit \
    --no-fund "code-server@$release" >/dev/null
fi

# playwright-core is a devDependency (npm ci); never download a browser.
[ -d node_modules/playwright-core ] || npm install --no-save playwright-core >/dev/null
echo "e2e setup: ready (node $("$node" --version), code-server $(PATH="$dir/node-bin:$PATH" "$code_server" --version \
  | grep -v ' info ' | head -1), $(chromium --version))"
