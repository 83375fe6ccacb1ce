#!/usr/bin/env bash
# Each board image's neuron updates per second on the benchmark network: the image's core
# (hdl/src/tops.rs IMAGE_CORES: core-bench-1k for the ULX3S, core-bench-2k for the LiteFury)
# verilated as the simulated board, its cycles per step measured by `memfire bench` on
# steady-1k after the warm-up, times the clock the core runs at on the board. Prints the
# `fpga_<image>_neuron_updates` lines.
#
#   scripts/bench-images.sh [SIM_STEPS]     (default 5000 steps after the 30 000-step warm-up)
#
# Each image rebuilds the simulation crate with MEMFIRE_SIM_CORE set (the verilated models are
# cached under target/); the last build is the default core again.
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-5000}
for config in core-bench-1k core-bench-2k; do
    echo "== $config: building" >&2
    MEMFIRE_SIM_CORE=$config cargo build -q --release --locked -p memfire-cli
    target/release/memfire bench --steps 1000 --noise off --sim-steps "$steps" | grep -E '^(fpga_[a-z0-9]+_neuron_updates|sim_cycles_per_step):'
done
cargo build -q --release --locked -p memfire-cli
