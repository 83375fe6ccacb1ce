#!/usr/bin/env bash
# Build the LiteFury bitstream with Vivado and report its resources and timing:
#   firmware-gen litefury -> Vivado (pcie_7x_0 from firmware/litefury/pcie_ip.tcl, synth,
#   place, route; constraints/litefury/litefury.xdc) -> build/litefury/litefury.{bit,bin}
#
#   scripts/build-litefury.sh
#
# Needs Vivado (2019.1 or later; the free edition covers the XC7A100T) on PATH, e.g. after
# `source /tools/Xilinx/Vivado/<version>/settings64.sh`. It cannot run in CI (Vivado is not
# a package); CI builds the same Verilog and checks it (firmware tests, sim/tests/pcie_board).
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/litefury
command -v vivado >/dev/null || {
    echo "build-litefury: vivado not found: install Vivado (Artix-7 support) and source its settings64.sh" >&2
    exit 1
}
mkdir -p "$out"
cargo build -q --release --locked -p memfire-firmware --bin firmware-gen
target/release/firmware-gen litefury "$out/litefury.v"
target/release/firmware-gen --pcie-ids "$out/pcie_ids.tcl"
echo "== litefury: Vivado (synthesis, place and route take 10-20 minutes)"
vivado -mode batch -nojournal -log "$out/vivado.log" \
    -source firmware/litefury/build.tcl -tclargs "$out/litefury.v" "$out/pcie_ids.tcl" "$out" \
    || { tail -30 "$out/vivado.log" >&2; exit 1; }
echo
grep -E "^\| (Slice LUTs|Slice Registers|Block RAM Tile|DSPs) " "$out/utilization.txt" || true
grep -E "litefury: worst setup slack" "$out/vivado.log" || true
echo "bitstream: $out/litefury.bit (JTAG), $out/litefury.bin (SPI flash); flash with scripts/flash-litefury.sh"
