#!/usr/bin/env bash
# Sourced by scripts/test.sh. Makes Debian's Chromium available to the console's browser tests (Playwright drives
# it through TOLLGATE_TEST_CHROMIUM; browser downloads are impossible on the build machines).
if [ -z "${TOLLGATE_TEST_CHROMIUM:-}" ]; then
  if ! command -v chromium >/dev/null 2>&1; then
    echo "chromium: installing Debian's chromium package"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
  fi
  TOLLGATE_TEST_CHROMIUM="$(command -v chromium)"
fi
export TOLLGATE_TEST_CHROMIUM
echo "chromium: $("$TOLLGATE_TEST_CHROMIUM" --version 2>/dev/null | head -1)"
