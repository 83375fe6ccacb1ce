#!/usr/bin/env bash
# Install what memfire needs on a fresh Debian machine, then build it.
# Idempotent: skips what is already there. Says clearly what is missing when it can't.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
# Fonts for the labels of the PNG plots.
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need_apt+=(fonts-dejavu-core)
command -v cc >/dev/null || need_apt+=(build-essential)
command -v c++ >/dev/null || need_apt+=(g++)
# The simulated FPGA (memfire-sim) is the generated Verilog compiled by Verilator 5.
command -v verilator >/dev/null || need_apt+=(verilator)
# Synthesis reports (scripts/synth.sh): yosys for ECP5 and Xilinx 7-series.
command -v yosys >/dev/null || need_apt+=(yosys)

if [ ${#need_apt[@]} -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
        echo "setup: installing ${need_apt[*]} with apt-get"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
    else
        echo "setup: missing Debian packages: ${need_apt[*]}" >&2
        echo "setup: run as root, or: sudo apt-get install ${need_apt[*]}" >&2
        exit 1
    fi
fi

if ! command -v cargo >/dev/null; then
    echo "setup: cargo not found: install Rust (rustup, stable >= 1.87) first" >&2
    exit 1
fi

cargo build --release --locked --bin memfire
