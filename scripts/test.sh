#!/usr/bin/env bash
# Every test: set up, lint, run all test suites, then the README's commands end to end.
#   scripts/test.sh          the full run (what CI runs)
#   scripts/test.sh quick    the developer's loop: format, lints, and the spec, driver, CLI and
#                            register-file tests (no QEMU, no place and route, no Python)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-full}
case "$mode" in
    full | quick) ;;
    *) echo "usage: scripts/test.sh [quick]" >&2; exit 2 ;;
esac
# Each section's heading says how long the run has taken so far (where a slow run's time went).
section() { echo "== $1 [$((SECONDS / 60))m$((SECONDS % 60))s]"; }
scripts/setup.sh

section "format and lints"
if cargo fmt --version >/dev/null 2>&1; then cargo fmt --all --check; else echo "(rustfmt not installed: skipped)"; fi
if cargo clippy --version >/dev/null 2>&1; then
    cargo clippy --release --locked --all-targets -q -- -D warnings
else
    echo "(clippy not installed: skipped; rustup component add clippy)"
fi

if [ "$mode" = quick ]; then
    section "spec, driver, CLI and register-file tests"
    cargo test --release --locked -p memfire-spec -p memfire-host -p memfire-cli
    cargo test --release --locked -p memfire-hdl --test register_file --test verilog_snapshot
    section "done (quick)"
    exit 0
fi

section "unit, property and integration tests"
cargo test --release --locked --workspace

section "the ULX3S image's core (core-bench-1k) runs the benchmark network under Verilator"
scripts/check-image-cores.sh 6000 core-bench-1k

section "python: package, tests, the example notebooks and the reduced ablation study on Dask"
py=$(scripts/python-env.sh)
(cd python && "../$py" -m pytest -q tests)
section "python: the wheel, installed and used with no toolchain on the PATH"
scripts/python-wheel.sh

section "VFIO for real: QEMU guest with an emulated IOMMU and the edu device"
scripts/vfio-qemu-test.sh

section "fuzzing: every input format, 20 s a target (cargo-fuzz, nightly)"
scripts/fuzz.sh 20

section "ULX3S bitstream (small image) with open tools"
scripts/build-ulx3s.sh ulx3s-small

section "end to end: the README's commands"
out=$(mktemp -d)
target/release/memfire demo --out "$out/demo" >/dev/null
test -s "$out/demo/raster.png"
target/release/memfire demo --backend model --out "$out/demo-model" >/dev/null
cmp -s "$out/demo/spikes.csv" "$out/demo-model/spikes.csv" || { echo "the simulated FPGA and the model disagree on the demo" >&2; exit 1; }
target/release/memfire demo --backend sim-pcie --out "$out/demo-pcie" >/dev/null
cmp -s "$out/demo-pcie/spikes.csv" "$out/demo-model/spikes.csv" || { echo "the simulated PCIe board and the model disagree on the demo" >&2; exit 1; }
target/release/memfire demo --steps 500 --trace "$out/demo.fst" --out "$out/demo-trace" >/dev/null
test -s "$out/demo.fst"
scripts/study.sh --quick --workers 2 --out "$out/study" >/dev/null
grep -q "spikes identical to the model's" "$out/study/summary.md"
target/release/memfire generate --neurons 16 --fanout 4 --out "$out/gen" >/dev/null
target/release/memfire run --network "$out/gen/network.toml" --stimulus "$out/gen/stimulus.csv" --steps 20000 --out "$out/gen/spikes.csv" >/dev/null
test -s "$out/gen/spikes.csv"
target/release/memfire run --network examples/demo/network.toml --stimulus examples/demo/stimulus.csv --steps 50000 --out "$out/run.csv" >/dev/null
cmp -s "$out/run.csv" "$out/demo/spikes.csv" || { echo "memfire run and memfire demo disagree on the demo network" >&2; exit 1; }
for b in model sim; do
    target/release/memfire run --backend $b --network examples/demo/network.toml --stimulus examples/demo/stimulus.csv --steps 3000 --out "$out/probed-$b.csv" --probe 0,3,17 --probe-out "$out/states-$b.csv" >/dev/null
done
cmp -s "$out/states-sim.csv" "$out/states-model.csv" || { echo "the simulated FPGA's probe records and the model's states disagree" >&2; exit 1; }
test "$(wc -l < "$out/states-sim.csv")" -eq 9001
target/release/memfire characterize all --trials 50 --out "$out/char" >/dev/null
for p in dc-latency leaky-integration paired-pulse isi-vs-rc refractory probability; do
    test -s "$out/char/$p.csv" && test -s "$out/char/$p.png"
done
target/release/memfire bench --warmup 2000 --steps 10000 --sim-steps 2000 >/dev/null
rm -rf "$out"
echo "1 passed, 0 failed: end-to-end README commands"
section "done"
