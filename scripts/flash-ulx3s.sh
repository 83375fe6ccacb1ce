#!/usr/bin/env bash
# Program a ULX3S with a bitstream from scripts/build-ulx3s.sh, over its USB port (FTDI JTAG):
#   scripts/flash-ulx3s.sh [ulx3s|ulx3s-small|ulx3s-p4] [--flash]
# Without --flash the FPGA is configured until power-off (SRAM); with it, the SPI flash is
# written and the image survives power cycles. Needs openFPGALoader (apt-get install openfpgaloader).
set -euo pipefail
cd "$(dirname "$0")/.."
image=${1:-ulx3s}
bit=build/ulx3s/$image.bit
[ -f "$bit" ] || { echo "flash-ulx3s: $bit not found: run scripts/build-ulx3s.sh $image first" >&2; exit 1; }
command -v openFPGALoader >/dev/null || {
    echo "flash-ulx3s: openFPGALoader not found: sudo apt-get install openfpgaloader" >&2
    exit 1
}
if [ "${2:-}" = "--flash" ]; then
    openFPGALoader --board ulx3s --write-flash "$bit"
else
    openFPGALoader --board ulx3s "$bit"
fi
echo "flash-ulx3s: done. The board answers on its USB serial port: memfire run --backend serial:/dev/ttyUSB0 ..."
