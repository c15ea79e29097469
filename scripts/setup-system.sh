#!/usr/bin/env bash
# Installs the Debian packages threatminer needs, only those missing. Idempotent; safe to re-run.
#   libtorch-dev, libopenblas0-pthread: training (the native addon links libtorch; OpenBLAS is ~4x
#   faster than the reference BLAS on RNNs).
#   chromium: the dashboard's end-to-end tests drive it headless (test/e2e).
set -euo pipefail
packages=(libtorch-dev libopenblas0-pthread chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "setup: installing Debian packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
