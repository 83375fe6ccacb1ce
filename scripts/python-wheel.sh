#!/usr/bin/env bash
# Build memfire's wheel (maturin, with the simulated FPGA compiled in) into build/wheels, then
# install it into a fresh virtualenv and use it with no toolchain on the PATH (no cargo,
# rustc, Verilator or g++): the model and the simulated FPGA run, spike for spike alike.
# Prints the wheel's path. Needs what scripts/python-env.sh needs to build it.
set -euo pipefail
cd "$(dirname "$0")/.."
py=$(scripts/python-env.sh)
rm -rf build/wheels
(cd python && VIRTUAL_ENV=$PWD/../build/pyenv "../${py%/python}/maturin" build --release --strip -q --out ../build/wheels >&2)
wheel=$(ls build/wheels/memfire-*.whl)
venv=build/wheel-venv
rm -rf $venv
python3 -m venv $venv
$venv/bin/pip install -q "$wheel" >&2
# Only the venv on the PATH: whatever the wheel needs at run time must be inside it.
env -i HOME="$HOME" PATH="$PWD/$venv/bin" $venv/bin/python - >&2 <<'EOF'
import shutil
import numpy as np
import memfire

for tool in ("cargo", "rustc", "verilator", "g++"):
    assert shutil.which(tool) is None, f"{tool} is on the PATH: the check would prove nothing"
net = memfire.Network(16, seed=3)
rng = np.random.default_rng(3)
net.connect(np.where(rng.random((16, 16)) < 0.2, 0.08, 0.0), width=20)
volts = np.linspace(0.9, 1.6, 16)
outs = []
for backend in ("model", "sim"):
    dev = memfire.open(backend)
    dev.load(net)
    outs.append(dev.run(5000, stimulus=volts))
assert len(outs[0]["step"]) > 0
assert np.array_equal(outs[0]["step"], outs[1]["step"]) and np.array_equal(outs[0]["neuron"], outs[1]["neuron"])
print(f"python-wheel: memfire {memfire.__version__} from the wheel, no toolchain on the PATH: "
      f"model and simulated FPGA agree on {len(outs[0]['step'])} spikes")
EOF
echo "$wheel"
