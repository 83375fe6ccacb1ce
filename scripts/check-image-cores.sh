#!/usr/bin/env bash
# The board images' cores run the benchmark network: each image's core configuration
# (hdl/src/tops.rs: core-bench-1k for the ULX3S, core-bench-2k for the LiteFury) verilated
# as the simulated board, loaded by the driver with the benchmark network (`steady-1k`:
# 1024 neurons x 100 synapses, 80/20 excitatory/inhibitory) and with the same shape at five
# pulse widths (3 to 1000 steps), and run; its spikes must be the model's, spike for spike.
# Any other core configuration can be named too (e.g. core-p4, core-p8: lanes sharing tables).
#
#   scripts/check-image-cores.sh [STEPS] [CONFIG...]   (default 6000 steps, both images' cores)
#
# Each configuration rebuilds the simulation crate with MEMFIRE_SIM_CORE set (the verilated
# models are cached under target/; a minute or two a configuration the first time). The
# last build is the default core again, so the tree is left as `cargo build` leaves it.
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-6000}
shift || true
configs=("$@")
[ ${#configs[@]} -gt 0 ] || configs=(core-bench-1k core-bench-2k)
out=build/image-check
mkdir -p "$out"
memfire=target/release/memfire

cargo build -q --release --locked -p memfire-cli
"$memfire" generate --preset steady-1k --out "$out/steady-1k" >/dev/null
"$memfire" generate --neurons 1024 --fanout 100 --width 3,17,100,250,1000 --dc 0.6 1.2 \
    --max-weight 0.005 --seed 7 --out "$out/mixed-widths" >/dev/null
for net in steady-1k mixed-widths; do
    "$memfire" run --backend model --network "$out/$net/network.toml" \
        --stimulus "$out/$net/stimulus.csv" --steps "$steps" --out "$out/$net/model.csv" >/dev/null
done

status=0
for config in "${configs[@]}"; do
    echo "== $config: building the simulated board with this core" >&2
    MEMFIRE_SIM_CORE=$config cargo build -q --release --locked -p memfire-cli
    for net in steady-1k mixed-widths; do
        "$memfire" run --backend sim --network "$out/$net/network.toml" \
            --stimulus "$out/$net/stimulus.csv" --steps "$steps" --out "$out/$net/$config.csv" >"$out/$net/$config.log"
        # The run names the board it ran on: the core must be this configuration.
        grep -q "core \`$config\`" "$out/$net/$config.log" || {
            echo "$config: the simulated board is not this core: $(cat "$out/$net/$config.log")" >&2
            exit 1
        }
        spikes=$(($(wc -l <"$out/$net/model.csv") - 1))
        if cmp -s "$out/$net/model.csv" "$out/$net/$config.csv"; then
            echo "$config: $net, $steps steps: $spikes spikes, the model's spike for spike"
        else
            echo "$config: $net, $steps steps: spikes differ from the model's ($out/$net/$config.csv vs model.csv)" >&2
            status=1
        fi
    done
done
cargo build -q --release --locked -p memfire-cli
exit $status
