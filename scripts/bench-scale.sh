#!/usr/bin/env bash
# Where one machine ends: the fixed-point model's neuron-updates/s and peak memory on the
# steady benchmark network at 1 Ki, 16 Ki, 256 Ki and 1 Mi neurons (100 synapses each), at
# 1 and 2 threads (noise off), after the presets' warm-up, in one table.
#
#   scripts/bench-scale.sh [STEPS] [WARMUP]   (default 2000 measured steps after 30000)
#
# The 1 Mi network holds 105 M synapses and needs about 5 GB; its warm-up takes minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-2000}
warmup=${2:-30000}
command -v /usr/bin/time >/dev/null || { echo "bench-scale: /usr/bin/time not found (apt-get install time)" >&2; exit 1; }
cargo build -q --release --locked -p memfire-cli
rows=()
for preset in steady-1k steady-16k steady-256k steady-1m; do
    for threads in 1 2; do
        echo "== $preset, $threads thread(s)" >&2
        out=$( { /usr/bin/time -f 'peak_rss_kb: %M' target/release/memfire bench --preset "$preset" --threads "$threads" \
            --noise off --sim-steps 0 --steps "$steps" --warmup "$warmup"; } 2>&1)
        rate=$(grep '^model_fixed_noise_off_neuron_updates:' <<<"$out" | awk '{print $2}')
        rss=$(grep '^peak_rss_kb:' <<<"$out" | awk '{printf "%.0f", $2 / 1024}')
        spikes=$(grep '^model_fixed_noise_off_spikes:' <<<"$out" | sed 's/.*(//; s/)//')
        rows+=("$preset|$threads|$rate|$rss MB|$spikes")
    done
done
echo
echo "| network | threads | neuron-updates/s | peak memory | rate |"
echo "|---|---|---|---|---|"
for r in "${rows[@]}"; do
    echo "| ${r//|/ | } |"
done
