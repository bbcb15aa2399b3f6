#!/usr/bin/env bash
# Installs what the end-to-end suite needs, idempotently, into .cache/e2e (git-ignored):
# Debian's chromium and git + the headers code-server's native modules build against, Node 24 from the
# npm registry (code-server 4.139 requires it), and code-server itself. A second run takes seconds.
set -euo pipefail
cd "$(dirname "$0")/../.."
cache="$PWD/.cache/e2e"
mkdir -p "$cache"
# Run from `npm run`, the outer npm's settings (npm_config_*, its node) leak into the nested
# installs below; they must run on Node 24 with their own prefix.
for var in $(compgen -e | grep -i '^npm_'); do unset "$var"; done
unset NODE

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v git >/dev/null || missing+=(git) # the diff-view scenario runs VS Code's git extension
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
dpkg -s pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "e2e setup: apt-get install ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

node24="$cache/node24/node_modules/node/bin/node"
if [ ! -x "$node24" ] || ! "$node24" --version | grep -q '^v24\.'; then
  echo "e2e setup: Node 24 from the npm registry"
  npm install --prefix "$cache/node24" --no-save --no-audit --no-fund node@24 >/dev/null
fi
node24_bin="$(dirname "$node24")"

code_server="$cache/code-server/node_modules/.bin/code-server"
if [ ! -x "$code_server" ]; then
  echo "e2e setup: code-server 4.139.1 (takes a few minutes the first time)"
  # npm itself runs on Node 24, so code-server's install scripts see Node 24.
  npm_cli="$(readlink -f "$(command -v npm)")"
  PATH="$node24_bin:$PATH" "$node24" "$npm_cli" install --prefix "$cache/code-server" --no-save --no-audit \
    --no-fund code-server@4.139.1 >/dev/null
fi

# playwright-core is a devDependency (npm ci); never download a browser.
[ -d node_modules/playwright-core ] || npm install --no-save playwright-core >/dev/null
echo "e2e setup: ready (node $("$node24" --version), code-server $(PATH="$node24_bin:$PATH" "$code_server" --version | head -1), $(chromium --version))"
