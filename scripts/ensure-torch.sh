#!/usr/bin/env bash
# The PyTorch export tests (tests/unit/export/pytorch.test.ts) run Debian's
# PyTorch at /usr/bin/python3. Install python3-torch when it is missing and we
# may (root + apt-get); otherwise say what to do: the tests then skip, saying
# why. The check looks the modules up without importing torch (seconds), so
# it is a no-op when they are there.
set -euo pipefail
has_torch() {
  [ -x /usr/bin/python3 ] && /usr/bin/python3 -c \
    'import importlib.util as u, sys; sys.exit(0 if u.find_spec("torch") and u.find_spec("numpy") else 1)' 2>/dev/null
}
if has_torch; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's python3-torch for the PyTorch export tests (apt-get)…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends python3-torch python3-numpy >/dev/null
  exit 0
fi
echo "The PyTorch export tests need torch for /usr/bin/python3: run 'sudo apt-get install python3-torch' (Debian/Ubuntu); until then they are skipped." >&2
