#!/usr/bin/env bash
# One-time (idempotent) machine setup for batcoder.
#
#   tools/setup.sh            GPU driver if needed, npm ci, build, print the adapter
#   tools/setup.sh --eval     also install ruby, golang-go, bubblewrap for the evaluation harness
#   tools/setup.sh --no-build driver only
#
# If Dawn already finds a WebGPU adapter (a real GPU, or lavapipe already present)
# the driver step installs nothing. Otherwise on Debian/Ubuntu it installs Mesa's
# lavapipe CPU Vulkan driver. Debian bookworm's own Mesa (22.3) is refused by Dawn
# ("shaderUniform*ArrayDynamicIndexing required"), so there it comes from
# bookworm-backports (Mesa 25.x), which runs Dawn at the full "core" feature level.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"

want_eval=0; want_build=1
for a in "$@"; do
  case "$a" in
    --eval) want_eval=1 ;;
    --no-build) want_build=0 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown option $a" >&2; exit 2 ;;
  esac
done

say() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] error: %s\n' "$*" >&2; exit 1; }
t0=$(date +%s)

export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp/xdg-runtime-$(id -u)}"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR" 2>/dev/null || true

command -v node >/dev/null || die "node is not installed (Node >= 20 is required; on Debian: apt-get install nodejs npm, or use nodesource)"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || die "Node $(node --version) is too old: Node >= 20 is required"
command -v npm >/dev/null || die "npm is not installed"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO="sudo"; fi
fi

# Under `sudo tools/setup.sh`, only the apt steps need root: npm and the build run as the
# invoking user, so node_modules/ and dist/ stay theirs (a later `npm test` rebuilds dist/).
as_user() {
  if [ "$(id -u)" -eq 0 ] && [ -n "${SUDO_USER:-}" ] && [ "$SUDO_USER" != root ]; then
    sudo -u "$SUDO_USER" -E env "PATH=$PATH" XDG_RUNTIME_DIR="/tmp/xdg-runtime-$(id -u "$SUDO_USER")" "$@"
  else
    "$@"
  fi
}

# Does Dawn find an adapter? Needs the webgpu package, so install deps first.
if [ ! -d node_modules/webgpu ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "npm ci"
  as_user npm ci --no-audit --no-fund --loglevel=error
fi

probe() { as_user node tools/probe-adapter.mjs 2>/dev/null; }

apt_install() {
  # $1.. packages; honours a backports suite when given in APT_SUITE
  local suite_args=()
  [ -n "${APT_SUITE:-}" ] && suite_args=(-t "$APT_SUITE")
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${suite_args[@]}" "$@"
}

ensure_backports() {
  # Add bookworm-backports with the same mirror and keyring as the existing sources.
  if grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null; then
    say "bookworm-backports already configured"
    return
  fi
  local uri="http://deb.debian.org/debian" keyring="/usr/share/keyrings/debian-archive-keyring.gpg"
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    uri=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources)
    local k; k=$(awk '/^Signed-By:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources)
    [ -n "$k" ] && keyring="$k"
  elif [ -f /etc/apt/sources.list ]; then
    local u; u=$(awk '$1=="deb" && $0 ~ /bookworm/ && $0 !~ /security/ {for(i=2;i<=NF;i++) if ($i ~ /^https?:/) {print $i; exit}}' /etc/apt/sources.list)
    [ -n "$u" ] && uri="$u"
  fi
  say "adding bookworm-backports ($uri)"
  printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: %s\n' "$uri" "$keyring" \
    | $SUDO tee /etc/apt/sources.list.d/batcoder-bookworm-backports.sources >/dev/null
}

install_driver() {
  command -v apt-get >/dev/null || die "no WebGPU adapter found and this is not a Debian/Ubuntu system: install a Vulkan driver (Mesa >= 24 lavapipe, or a GPU driver) and libvulkan1 by hand"
  if [ "$(id -u)" -ne 0 ] && [ -z "$SUDO" ]; then
    die "no WebGPU adapter found; installing Mesa's lavapipe needs root: rerun as root or install sudo"
  fi
  local codename=""
  [ -r /etc/os-release ] && codename=$(. /etc/os-release; echo "${VERSION_CODENAME:-}")
  if [ "$codename" = "bookworm" ]; then
    ensure_backports
    $SUDO apt-get update -qq
    APT_SUITE=bookworm-backports apt_install libvulkan1 mesa-vulkan-drivers
  else
    $SUDO apt-get update -qq
    apt_install libvulkan1 mesa-vulkan-drivers
  fi
}

if probe >/dev/null; then
  say "WebGPU adapter already available: nothing to install for the driver"
else
  say "no WebGPU adapter: installing Mesa lavapipe (CPU Vulkan)"
  install_driver
  probe >/dev/null || {
    as_user node tools/probe-adapter.mjs || true
    die "Dawn still finds no adapter after installing lavapipe. Check 'vulkaninfo --summary' (package vulkan-tools) and that Mesa is >= 24."
  }
fi

if [ "$want_eval" = 1 ]; then
  missing=()
  command -v python3 >/dev/null || missing+=(python3)
  command -v ruby >/dev/null || missing+=(ruby)
  command -v go >/dev/null || missing+=(golang-go)
  command -v bwrap >/dev/null || missing+=(bubblewrap)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing evaluation interpreters: ${missing[*]}"
    command -v apt-get >/dev/null || die "cannot install ${missing[*]}: not a Debian/Ubuntu system"
    $SUDO apt-get update -qq
    apt_install "${missing[@]}"
  else
    say "evaluation interpreters present"
  fi
fi

if [ "$want_build" = 1 ]; then
  say "building (tsc)"
  as_user npm run --silent build
fi

say "setup done in $(( $(date +%s) - t0 )) s; adapter:"
as_user node tools/probe-adapter.mjs
