#!/usr/bin/env bash
# Fuzz every format memfire reads from a user or a device (spec/fuzz: network TOML; stimulus,
# matrix, synapse-list and spike CSV; the records a device writes into host memory; UART
# replies) for SECONDS each (default 20), with cargo-fuzz and libFuzzer on nightly Rust.
#
#   scripts/fuzz.sh [SECONDS]
#
# Installs the nightly toolchain (minimal profile) and cargo-fuzz on first use. The seeds in
# spec/fuzz/corpus/<target> are committed and only read; what the fuzzer finds goes to
# build/fuzz/corpus/<target>. A crash stops the script with the input that caused it in
# spec/fuzz/artifacts/<target>/ (replay: cd spec && cargo +nightly fuzz run <target> <file>).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-20}
command -v rustup >/dev/null || { echo "fuzz: rustup not found: the fuzzers need nightly Rust (https://rustup.rs)" >&2; exit 1; }
if ! rustup toolchain list | grep -q '^nightly'; then
    echo "fuzz: installing the nightly toolchain (minimal)"
    rustup toolchain install nightly --profile minimal >/dev/null
fi
if ! command -v cargo-fuzz >/dev/null; then
    echo "fuzz: installing cargo-fuzz"
    cargo install cargo-fuzz --locked -q
fi
cd spec
for target in $(cargo +nightly fuzz list); do
    mkdir -p "../build/fuzz/corpus/$target"
    echo "== fuzz $target: ${secs} s"
    log="../build/fuzz/$target.log"
    if ! cargo +nightly fuzz run "$target" "../build/fuzz/corpus/$target" "fuzz/corpus/$target" -- \
        -max_total_time="$secs" -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1; then
        grep -E "panicked|ERROR|SUMMARY|Test unit written" "$log" | head -20 >&2
        echo "fuzz: $target failed; the input is in spec/fuzz/artifacts/$target/ (full log: build/fuzz/$target.log)" >&2
        exit 1
    fi
    grep -E "^(Done|stat::new_units_added)" "$log" || true
done
echo "fuzz: every target ran ${secs} s without a failure"
