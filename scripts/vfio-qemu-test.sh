#!/usr/bin/env bash
# The VFIO backend for real, without a board: boot a Debian kernel in QEMU (q35, emulated
# Intel IOMMU with interrupt remapping and caching mode) with QEMU's `edu` PCI device, bind
# it to vfio-pci inside the guest and run host/driver/examples/vfio_edu.rs (a static binary)
# in a busybox initramfs; then the real `memfire` command (static, baseline x86-64, no
# simulator) lists the device and must refuse to run a network on it by its ID register.
# Passes when the guest prints VFIO-EDU-OK and CLI-REFUSED-OK. About 10-30 s.
#
# Needs qemu-system-x86 and busybox-static (installed as root if missing) and the Debian
# kernel package (downloaded once into build/qemu with apt-get download).
set -euo pipefail
cd "$(dirname "$0")/.."
work=build/qemu
mkdir -p "$work"

need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
[ -x /bin/busybox ] && /bin/busybox --list 2>/dev/null | grep -qx cpio || need+=(busybox-static)
if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
        echo "vfio-qemu-test: installing ${need[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
    else
        echo "vfio-qemu-test: missing ${need[*]}: sudo apt-get install ${need[*]}" >&2
        exit 1
    fi
fi
ldd /bin/busybox >/dev/null 2>&1 && { echo "vfio-qemu-test: /bin/busybox is not static: install busybox-static" >&2; exit 1; }

# The kernel and its VFIO modules, from Debian's package (not installed, just unpacked).
if [ ! -f "$work/vmlinuz" ]; then
    (cd "$work" && rm -f linux-image-*.deb && apt-get download linux-image-amd64 >/dev/null 2>&1 &&
        dep=$(dpkg-deb -f linux-image-amd64_*.deb Depends | sed -E 's/[ ,(].*//') &&
        apt-get download "$dep" >/dev/null 2>&1) \
        || { echo "vfio-qemu-test: could not download the Debian kernel package (apt-get download linux-image-amd64)" >&2; exit 1; }
    rm -rf "$work/kpkg" && mkdir -p "$work/kpkg"
    dpkg-deb -x "$(ls "$work"/linux-image-[0-9]*.deb | head -1)" "$work/kpkg"
    cp "$work"/kpkg/boot/vmlinuz-* "$work/vmlinuz"
fi

# The test program, static, for a baseline x86-64 CPU (the guest CPU is emulated).
RUSTFLAGS="-C target-feature=+crt-static -C target-cpu=x86-64" \
    cargo build -q --release --locked -p memfire-host --example vfio_edu \
    --target x86_64-unknown-linux-gnu --target-dir target/guest
RUSTFLAGS="-C target-feature=+crt-static -C target-cpu=x86-64" \
    cargo build -q --release --locked -p memfire-cli --no-default-features \
    --target x86_64-unknown-linux-gnu --target-dir target/guest
bin=target/guest/x86_64-unknown-linux-gnu/release/examples/vfio_edu
cli=target/guest/x86_64-unknown-linux-gnu/release/memfire

# The initramfs: busybox, the VFIO modules, the test, and an /init that binds edu to vfio-pci.
root="$work/initramfs"
rm -rf "$root" && mkdir -p "$root"/{bin,dev,proc,sys,lib/modules,tmp}
cp /bin/busybox "$root/bin/busybox"
for app in sh mount insmod ls cat grep sleep poweroff echo basename readlink printf sed; do ln -s busybox "$root/bin/$app"; done
for m in virt/lib/irqbypass drivers/vfio/vfio drivers/vfio/vfio_iommu_type1 drivers/vfio/vfio_virqfd \
         drivers/vfio/pci/vfio-pci-core drivers/vfio/pci/vfio-pci; do
    f=$(ls "$work"/kpkg/lib/modules/*/kernel/$m.ko* 2>/dev/null | head -1 || true)
    [ -n "$f" ] && cp "$f" "$root/lib/modules/"
done
cp "$bin" "$root/bin/vfio_edu"
cp "$cli" "$root/bin/memfire"
cat > "$root/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc; mount -t sysfs sysfs /sys; mount -t devtmpfs dev /dev
for m in irqbypass vfio vfio_iommu_type1 vfio_virqfd vfio-pci-core vfio-pci; do
    for f in /lib/modules/$m.ko*; do [ -e "$f" ] && insmod "$f" 2>/dev/null; done
done
addr=
for d in /sys/bus/pci/devices/*; do
    if [ "$(cat $d/vendor)" = 0x1234 ] && [ "$(cat $d/device)" = 0x11e8 ]; then addr=$(basename $d); fi
done
if [ -z "$addr" ]; then echo "VFIO-EDU-FAIL: no edu device in the guest"; poweroff -f; fi
echo vfio-pci > /sys/bus/pci/devices/$addr/driver_override
[ -e /sys/bus/pci/devices/$addr/driver ] && echo $addr > /sys/bus/pci/devices/$addr/driver/unbind
echo $addr > /sys/bus/pci/drivers_probe
echo "guest: $addr bound to $(basename $(readlink /sys/bus/pci/devices/$addr/driver)), group $(basename $(readlink /sys/bus/pci/devices/$addr/iommu_group))"
/bin/vfio_edu $addr
/bin/memfire devices
printf '[network]\nneurons = 4\n' > /tmp/net.toml
if /bin/memfire run --backend vfio:$addr --network /tmp/net.toml --steps 10 --out /tmp/spikes.csv 2> /tmp/err; then
    echo "CLI-REFUSED-FAIL: memfire ran a network on the edu device"
elif grep -q "is not a memfire board" /tmp/err; then
    echo "CLI-REFUSED-OK: $(cat /tmp/err)"
else
    echo "CLI-REFUSED-FAIL: $(cat /tmp/err)"
fi
/bin/memfire run --backend vfio:../../$addr --network /tmp/net.toml --steps 10 --out /tmp/spikes.csv 2>&1 | sed 's/^/cli: /'
poweroff -f
INIT
chmod +x "$root/init"
(cd "$root" && find . | /bin/busybox cpio -o -H newc 2>/dev/null | gzip -1) > "$work/initramfs.cpio.gz"

log="$work/guest.log"
timeout 300 qemu-system-x86_64 -M q35,kernel-irqchip=split -cpu max -m 512 -smp 1 \
    -device intel-iommu,intremap=on,caching-mode=on -device edu \
    -kernel "$work/vmlinuz" -initrd "$work/initramfs.cpio.gz" \
    -append "console=ttyS0 intel_iommu=on iommu=pt panic=-1 quiet" \
    -nographic -no-reboot > "$log" 2>&1 || true
grep -E "^(guest:|opened|BAR0:|DMA:|reset:|backend:|VFIO-EDU|CLI-REFUSED|cli:|address|[0-9a-f]{4}:|  ->)" "$log" | tr -d '\r' || true
if grep -q "VFIO-EDU-OK" "$log" && grep -q "CLI-REFUSED-OK" "$log"; then
    echo "2 passed, 0 failed: VFIO in a QEMU guest (edu device through the IOMMU; the memfire CLI refuses it)"
else
    echo "vfio-qemu-test: FAILED; the guest's console is in $log" >&2
    tail -20 "$log" >&2
    exit 1
fi
