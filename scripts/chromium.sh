#!/usr/bin/env bash
# Sourced by scripts/test.sh: the console's browser tests drive Debian's Chromium at /usr/bin/chromium through
# Microsoft.Playwright (browser downloads are impossible here), so it is installed from Debian's packages if missing.
if [ ! -x /usr/bin/chromium ]; then
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  echo "chromium: installing Debian's chromium package"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
