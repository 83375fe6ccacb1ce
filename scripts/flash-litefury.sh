#!/usr/bin/env bash
# Program a LiteFury with the image from scripts/build-litefury.sh through a JTAG cable on
# the card's JTAG header (e.g. a Digilent JTAG-HS2 or a Xilinx platform cable):
#   scripts/flash-litefury.sh [--flash] [--cable NAME]
# Without --flash the FPGA is configured until power-off, and the host must then find the
# card again (scripts/flash-litefury.sh prints how). With --flash the quad-SPI flash is
# written (openFPGALoader loads its own SPI bridge into the FPGA first); power-cycle the
# host so the card configures from flash before the BIOS enumerates PCIe.
# Needs openFPGALoader (apt-get install openfpgaloader); --cable as in `openFPGALoader
# --list-cables` (default digilent_hs2).
set -euo pipefail
cd "$(dirname "$0")/.."
flash=no
cable=digilent_hs2
while [ $# -gt 0 ]; do
    case "$1" in
        --flash) flash=yes ;;
        --cable) cable=${2:?--cable needs a name}; shift ;;
        *) echo "flash-litefury: unknown argument $1" >&2; exit 1 ;;
    esac
    shift
done
command -v openFPGALoader >/dev/null || {
    echo "flash-litefury: openFPGALoader not found: sudo apt-get install openfpgaloader" >&2
    exit 1
}
if [ "$flash" = yes ]; then
    bin=build/litefury/litefury.bin
    [ -f "$bin" ] || { echo "flash-litefury: $bin not found: run scripts/build-litefury.sh first" >&2; exit 1; }
    openFPGALoader -c "$cable" --fpga-part xc7a100tfgg484 --write-flash "$bin"
    echo "flash-litefury: flash written. Power-cycle the host; then: memfire devices"
else
    bit=build/litefury/litefury.bit
    [ -f "$bit" ] || { echo "flash-litefury: $bit not found: run scripts/build-litefury.sh first" >&2; exit 1; }
    openFPGALoader -c "$cable" "$bit"
    echo "flash-litefury: FPGA configured (until power-off). Make the host find it again:"
    echo "  echo 1 | sudo tee /sys/bus/pci/devices/<its address>/remove; echo 1 | sudo tee /sys/bus/pci/rescan"
    echo "  (or reboot without powering off); then: memfire devices"
fi
