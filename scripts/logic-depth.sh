#!/usr/bin/env bash
# The logic depth between registers of a design on Xilinx 7-series, from yosys alone: the
# evidence for a clock where Vivado is not at hand (the LiteFury image cannot be placed and
# routed here).
#
#   scripts/logic-depth.sh [DESIGN]     DESIGN: pcie-litefury (default) or any of `gen --list`
#
# yosys synth_xilinx runs up to its flip-flop mapping (DSP48E1, block RAM and carry chains
# inferred), abc maps the logic to 6-input LUTs, and `ltp -noff` reports the longest chain of
# cells between flip-flops. Block RAMs and DSP48E1s are cut out first: they start and end
# paths (a block RAM's read is clocked; the script counts the DSP48E1s that register neither
# their product nor their output, which would be a path through one). A CARRY4 is a level in
# the count but a fast one (about a tenth of a LUT and its net), so the path is printed as
# LUT and CARRY4 levels apart.
#
# Reports go to build/depth/DESIGN/ (synthesis of the LiteFury image takes ~15 minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
design=${1:-pcie-litefury}
out=build/depth/$design
mkdir -p "$out"
command -v yosys >/dev/null || { echo "logic-depth: yosys not found: run scripts/setup.sh" >&2; exit 1; }

cargo run -q --release --locked -p memfire-hdl --bin gen -- "$design" --family xilinx7 --out "$out" >/dev/null
v="$out/${design//-/_}.v"
[ -f "$v" ] || { echo "logic-depth: gen wrote no $v" >&2; exit 1; }

echo "== $design: yosys synth_xilinx (to the flip-flops), abc -lut 6, ltp"
yosys -q -l "$out/depth.log" -p "read_verilog $v; synth_xilinx -flatten -family xc7 -top top -run begin:map_ffs;
    abc -lut 6; opt_clean;
    tee -q -o $out/cells.txt stat;
    select -set comb_dsp t:DSP48E1 r:MREG=0 %i r:PREG=0 %i; tee -q -o $out/comb_dsp.txt select -count @comb_dsp;
    delete t:RAMB18E1 t:RAMB36E1 t:DSP48E1; tee -q -o $out/ltp.txt ltp -noff" >/dev/null

path=$(grep -E "^ +[0-9]+: " "$out/ltp.txt" | grep -v -- "->")
length=$(grep -oE "length=[0-9]+" "$out/ltp.txt" | head -1 | cut -d= -f2)
carries=$(grep -c "carry4)" <<< "$path" || true)
luts=$(grep -c "(via \$abc" <<< "$path" || true)
comb_dsp=$(grep -oE "[0-9]+ objects" "$out/comb_dsp.txt" | grep -oE "[0-9]+" || echo "?")
start=$(head -1 <<< "$path" | sed -E 's/^ +0: //')
end=$(tail -1 <<< "$path" | sed -E 's/^ +[0-9]+: //; s/ \(via.*//')
echo
echo "$design on Xilinx 7-series: longest path between registers $length cells: $luts LUT levels, $carries CARRY4"
echo "  from $start"
echo "  to   $end"
echo "  DSP48E1 with neither product nor output registered: $comb_dsp"
echo "reports: $out/ (ltp.txt: the path cell by cell)"
