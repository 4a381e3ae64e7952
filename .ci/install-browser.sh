#!/usr/bin/env bash
# Installs Debian's chromium for the HTML report's browser test
# (reports/browser_test.go). Idempotent: does nothing when /usr/bin/chromium
# is there. Where it cannot install (no apt-get, not root and no sudo) it says
# so and exits 0; the test then skips, or fails when CI=true.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
	echo "install-browser: $(/usr/bin/chromium --version 2>/dev/null || echo chromium) is installed"
	exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "install-browser: no apt-get here; install chromium by hand to run the browser test" >&2
	exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
		sudo="sudo -n"
	else
		echo "install-browser: not root and no sudo; cannot install chromium" >&2
		exit 0
	fi
fi

echo "install-browser: installing chromium with apt-get"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q chromium
/usr/bin/chromium --version || true
