#!/usr/bin/env bash
# Install everything the tests need on a fresh Debian machine with Python 3.11, then run them all:
# Python packages, Debian's Chromium for the end-to-end browser test (Playwright drives it; it never
# downloads a browser of its own), and Debian's Java 17 for the Spark tier (pyspark's local mode).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
if [ ! -x /usr/bin/chromium ]; then
  SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo "sudo")
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium > /dev/null
fi
if ! command -v java > /dev/null; then
  SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo "sudo")
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq openjdk-17-jre-headless > /dev/null
fi
python3 -m ruff check .
python3 -m pytest -q --durations=15 "$@"
