#!/usr/bin/env bash
# Cycles per step of the benchmark network on the simulated FPGA at 2, 4 and 8 lanes: the
# same 1024-neuron core verilated as `core` (2 lanes), `core-p4` and `core-p8`
# (hdl/src/tops.rs), each measured by `memfire bench` in Verilator, in one table.
#
#   scripts/bench-lanes.sh [SIM_STEPS]     (default 20000 steps of the benchmark network)
#
# Each configuration rebuilds the simulation crate with MEMFIRE_SIM_CORE set (the verilated
# models are cached under target/; about two minutes a configuration the first time). The
# last build is the default core again, so the tree is left as `cargo build` leaves it.
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-20000}
rows=()
for config in core core-p4 core-p8; do
    echo "== $config: building" >&2
    MEMFIRE_SIM_CORE=$config cargo build -q --release --locked -p memfire-cli
    out=$(target/release/memfire bench --steps 1000 --noise off --sim-steps "$steps")
    lanes=$(grep -o '[0-9]* lanes:' <<<"$out" | grep -o '[0-9]*' || echo 1)
    cycles=$(grep '^sim_cycles_per_step:' <<<"$out" | awk '{print $2}')
    events=$(grep '^fpga_synaptic_events_per_cycle:' <<<"$out" | awk '{print $2}')
    per_step=$(grep '^sim_cycles_per_step:' <<<"$out" | sed 's/.*(//; s/)//')
    rows+=("$config|$lanes|$cycles|$((1024 / lanes))|$events|$per_step")
done
cargo build -q --release --locked -p memfire-cli
echo
echo "| core | lanes | cycles/step | N/P | synaptic events/cycle | load |"
echo "|---|---|---|---|---|---|"
for r in "${rows[@]}"; do
    echo "| ${r//|/ | } |"
done
