#!/usr/bin/env bash
# The Debian packages the tests drive for real (Chromium, socat ptys, udev, libusb, poppler, CUPS + cups-pdf,
# espeak-ng, Zinnia + its Chinese model, Rime's pinyin data, libfaketime for the chaos tier's clock steps, PostgreSQL for central's second store): the one list, used by `npm test` (its pretest step) and by .ci/run.
#
# Installed packages: nothing to do. Missing ones: installed with apt-get when run as root (CI, a fresh
# container); otherwise the run stops at once with one line naming the command that installs them, instead
# of every test that needs one failing on its own.
set -euo pipefail

SYSTEM_PACKAGES=(chromium socat udev libusb-1.0-0 poppler-utils cups printer-driver-cups-pdf espeak-ng libzinnia0 tegaki-zinnia-simplified-chinese tegaki-zinnia-japanese librime-data libfaketime postgresql)

ensure_system_packages() {
  if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "system packages: cannot check without dpkg (Debian 12 expected); install: ${SYSTEM_PACKAGES[*]}" >&2
    return 1
  fi
  local missing=() package
  for package in "${SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  ((${#missing[@]})) || return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "system packages missing: ${missing[*]} — install them with: sudo apt-get install -y ${missing[*]}" >&2
    return 1
  fi
  echo "system packages: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Run directly (npm's pretest): check or install now. Sourced (.ci/run): only define the list and the function.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  ensure_system_packages
fi
