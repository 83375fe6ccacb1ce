#!/usr/bin/env bash
# memfire's model beside Brian2 (C++ standalone, one thread) on the very same network files:
# `memfire generate --preset` writes them, Brian2 runs the f64 model of the model document
# on them (scripts/peer/brian2_run.py), `memfire bench` runs the fixed-point model on the same
# network, both for the same steps from step 0, noise off. Prints both figures, both spike
# counts and the ratio.
#
#   scripts/bench-peer.sh [PRESET] [STEPS]     (default steady-1k, 100000 steps = 1 s)
#
# Installs Brian2 into build/peerenv on first use (needs python3-venv and g++).
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-steady-1k}
steps=${2:-100000}
venv=build/peerenv
command -v g++ >/dev/null || { echo "bench-peer: g++ not found: Brian2's standalone mode compiles C++ (apt-get install g++)" >&2; exit 1; }
if [ ! -x $venv/bin/python ]; then
    python3 -m venv $venv || { echo "bench-peer: cannot create a virtualenv: install python3-venv" >&2; exit 1; }
fi
if ! $venv/bin/python -c "import brian2" 2>/dev/null; then
    echo "bench-peer: installing Brian2 into $venv" >&2
    $venv/bin/pip install -q --upgrade pip >/dev/null
    # Brian2 2.9 uses ndarray.ptp, which NumPy 2.4 removed.
    $venv/bin/pip install -q brian2 "numpy<2.4" >&2
fi
cargo build -q --release --locked -p memfire-cli
files=build/peer/$preset
target/release/memfire generate --preset "$preset" --out "$files" >/dev/null
echo "# $preset, $steps steps from step 0, noise off, one thread, on $(nproc) cores of $(uname -m)"
mem=$(target/release/memfire bench --preset "$preset" --warmup 0 --steps "$steps" --noise off --sim-steps 0 \
    | grep '^model_fixed_noise_off_\(neuron_updates\|spikes\|wall\)\|^# model compiled')
echo "$mem"
peer=$($venv/bin/python scripts/peer/brian2_run.py "$files" "$steps" build/peer/brian2-$preset)
echo "$peer"
ours=$(grep '^model_fixed_noise_off_neuron_updates' <<<"$mem" | awk '{print $2}')
theirs=$(grep '^brian2_neuron_updates' <<<"$peer" | awk '{print $2}')
python3 -c "print(f'memfire_over_brian2: {float(\"$ours\") / float(\"$theirs\"):.2f}x neuron-updates/s')"
