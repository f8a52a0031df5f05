#!/usr/bin/env bash
# One command from a fresh clone: check Node, get pnpm, install system test tools when missing,
# install from the lockfile, build, then run the main job (`pnpm demo`).
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION=12.4.2

node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) { console.error("error: Node.js >= 20.19 is required (found "+process.versions.node+")"); process.exit(1) }'

if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version)" != "$PNPM_VERSION" ]; then
  echo "setup: installing pnpm@$PNPM_VERSION with npm"
  npm install -g "pnpm@$PNPM_VERSION" >/dev/null
fi

missing=()
for pair in docker-registry:docker-registry skopeo:skopeo umoci:umoci; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "setup: installing system packages for the test suite: ${missing[*]}"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null \
      || echo "setup: warning: could not install ${missing[*]}; the tests need them (the CLI does not)"
  else
    echo "setup: warning: ${missing[*]} missing and no apt-get; the tests need them (the CLI does not)"
  fi
fi

pnpm install --frozen-lockfile
pnpm build
pnpm demo
