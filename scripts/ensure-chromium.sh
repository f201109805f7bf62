#!/usr/bin/env bash
# Makes sure a Chromium is there for Playwright: CHROMIUM_PATH, /usr/bin/chromium, or — as root on
# Debian/Ubuntu — Debian's `chromium` package (Playwright's own browser download does not work offline).
set -euo pipefail
if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; then exit 0; fi
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Chromium from Debian's packages…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "No Chromium found. Install it (e.g. 'sudo apt-get install chromium') or set CHROMIUM_PATH." >&2
exit 1
