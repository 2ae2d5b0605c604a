#!/usr/bin/env bash
# Installs every build and test dependency of libparse from Debian packages.
# Does nothing (no apt-get at all) when everything is already present, so it is
# cheap to call before every build. Needs root or passwordless sudo otherwise.
# Arguments are further packages a script needs beyond those (for example
# `scripts/setup.sh valgrind` from bench/instructions.sh).
set -euo pipefail

packages=(
  g++ clang libclang-rt-14-dev cmake ninja-build pkg-config
  libboost-dev libfmt-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libprotobuf-dev protobuf-compiler libprotozero-dev
  flatbuffers-compiler libflatbuffers-dev
  tshark tcpdump python3 clang-format
  knot dnsutils dnsperf
  "$@"
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "setup: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer no without a prompt.
echo "wireshark-common wireshark-common/install-setuid boolean false" | $sudo debconf-set-selections
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
