#!/usr/bin/env bash
# The logic between registers of a design on Xilinx 7-series, from yosys alone: the evidence
# for a clock where Vivado is not at hand (the LiteFury image cannot be placed and routed
# here).
#
#   scripts/logic-depth.sh [DESIGN]     DESIGN: pcie-litefury (default) or any of `gen --list`
#
# yosys synth_xilinx maps the design to 7-series cells (LUT6, CARRY4, DSP48E1, RAMB18/36,
# FDRE), then `sta` times every path between clocked cells with the delays the cells' models
# carry (yosys's Xilinx library: the cells' own delays, no routing). The slowest path is
# printed with its LUT levels and CARRY4s: routing on an Artix-7 typically adds as much
# again or more, so a path's logic delay should stay under about half the clock period.
# Both of the LiteFury image's clocks are timed together (a path is held to the faster
# one's period).
#
# The register lines that carry a neuron's values between pipeline stages map to shift-
# register LUTs (SRL16E/SRLC32E). yosys's models give an SRL's output its LUT delay
# (1.47 ns after the clock), but Vivado's synthesis keeps the last stage of every such line
# in a slice flip-flop (UG949, "Coding Shift Registers and Delay Lines"; srl_style's
# default), so a line's output leaves a flip-flop. sta here uses the same cell models with
# the SRLs' clock-to-output set to the flip-flop's (FDRE, 0.30 ns) to time what Vivado
# builds; the resources are yosys's mapping as it is.
#
# Reports go to build/depth/DESIGN/ (synthesis of the LiteFury image takes ~20 minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
design=${1:-pcie-litefury}
out=build/depth/$design
mkdir -p "$out"
command -v yosys >/dev/null || { echo "logic-depth: yosys not found: run scripts/setup.sh" >&2; exit 1; }

cargo run -q --release --locked -p memfire-hdl --bin gen -- "$design" --family xilinx7 --out "$out" >/dev/null
v="$out/${design//-/_}.v"
[ -f "$v" ] || { echo "logic-depth: gen wrote no $v" >&2; exit 1; }

# The cell models with an SRL's clock-to-output that of the slice flip-flop after it.
cells="$out/cells_sim_srl_reg.v"
share=${YOSYS_SHARE:-/usr/share/yosys}
[ -f "$share/xilinx/cells_sim.v" ] || { echo "logic-depth: no $share/xilinx/cells_sim.v (set YOSYS_SHARE)" >&2; exit 1; }
fdre_q=$(awk '/^module FDRE /,/^endmodule/' "$share/xilinx/cells_sim.v" | grep -oE "posedge C => \(Q : D \^ IS_D_INVERTED\)\) = [0-9]+" | grep -oE "[0-9]+$")
awk -v q="$fdre_q" '/^module SRL/ { srl = 1 } /^endmodule/ { srl = 0 }
    srl && /CLK => \(Q :/ { sub(/= [0-9]+;/, "= " q ";") } 1' "$share/xilinx/cells_sim.v" > "$cells"

echo "== $design: yosys synth_xilinx, sta"
yosys -q -l "$out/depth.log" -p "read_verilog $v; synth_xilinx -flatten -family xc7 -top top;
    tee -q -o $out/cells.txt stat;
    read_verilog -lib -specify $cells;
    tee -q -o $out/sta.txt sta" >/dev/null 2>&1 || {
    tail -20 "$out/depth.log" >&2
    echo "logic-depth: yosys failed on $design: see $out/depth.log" >&2
    exit 1
}

arrival=$(grep -oE "Latest arrival time in 'top' is [0-9]+" "$out/sta.txt" | grep -oE "[0-9]+$") || {
    echo "logic-depth: yosys sta reported no arrival time: see $out/sta.txt" >&2
    exit 1
}
# The path is printed from its end back to its start: a cell per line, "(TYPE.PIN->PIN)".
path=$(sed -n "/Latest arrival time/,/^$/p" "$out/sta.txt")
luts=$(grep -cE "\(LUT[1-6]\." <<< "$path" || true)
carries=$(grep -c "(CARRY4\." <<< "$path" || true)
muxes=$(grep -cE "\(MUXF[78]\." <<< "$path" || true)
# The start: the net above the clocked cell the path leaves (its output), and that cell's type.
start=$(awk '/\((FD[A-Z]+|RAMB[0-9A-Z]+|DSP48E1|RAM[0-9]+[A-Z]+)\.[A-Z0-9]+->/ {
        match($0, /\([A-Z0-9]+\./); s = prev " (" substr($0, RSTART + 1, RLENGTH - 2) ")" }
    { prev = $0 } END { print s }' <<< "$path" | sed -E 's/^ +//')
end=$(grep -E "^ +\\\\" <<< "$path" | head -1 | sed -E 's/^ +//')
echo
echo "$design on Xilinx 7-series (yosys sta, cell delays without routing):"
echo "  slowest path's logic: $arrival ps: $luts LUT levels, $muxes MUXF7/8, $carries CARRY4"
echo "  from ${start:-?}"
echo "  to   ${end:-?}"
echo "  endpoints by arrival (ps; the legend says how many a * is):"
sed -n "/Arrival histogram/,/^$/p" "$out/sta.txt" | grep -E "legend|represents|^\(" | head -9 | sed "s/^ */    /"
echo "reports: $out/ (sta.txt: the path cell by cell and the histogram; cells.txt: resources)"
