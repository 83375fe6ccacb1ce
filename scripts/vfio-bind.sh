#!/usr/bin/env bash
# Bind a PCI function (a memfire board) to vfio-pci and give the invoking user its VFIO group:
#   sudo scripts/vfio-bind.sh 0000:01:00.0
# Undo: echo 0000:01:00.0 > /sys/bus/pci/drivers/vfio-pci/unbind; echo > .../driver_override
set -euo pipefail
addr=${1:?usage: sudo scripts/vfio-bind.sh <pci address, e.g. 0000:01:00.0>}
dev=/sys/bus/pci/devices/$addr
[ -d "$dev" ] || { echo "vfio-bind: no PCI device $addr (memfire devices --all lists them)" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "vfio-bind: run as root (sudo)" >&2; exit 1; }
[ -e "$dev/iommu_group" ] || {
    echo "vfio-bind: $addr has no IOMMU group: enable VT-d/AMD-Vi and boot with intel_iommu=on (or amd_iommu=on) iommu=pt" >&2
    exit 1
}
modprobe vfio-pci
echo vfio-pci > "$dev/driver_override"
[ -e "$dev/driver" ] && echo "$addr" > "$dev/driver/unbind"
echo "$addr" > /sys/bus/pci/drivers_probe
group=$(basename "$(readlink "$dev/iommu_group")")
if [ -n "${SUDO_USER:-}" ]; then
    chown "$SUDO_USER" "/dev/vfio/$group"
fi
echo "vfio-bind: $addr -> vfio-pci, IOMMU group $group (/dev/vfio/$group)"
for other in /sys/kernel/iommu_groups/$group/devices/*; do
    o=$(basename "$other")
    [ "$o" = "$addr" ] && continue
    drv=$( [ -e "$other/driver" ] && basename "$(readlink "$other/driver")" || echo none)
    [ "$drv" = vfio-pci ] || [ "$drv" = none ] || echo "vfio-bind: warning: $o in the same group is bound to $drv; bind it too or the group is not viable" >&2
done
