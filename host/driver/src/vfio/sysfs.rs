//! What the kernel says about PCI devices in sysfs: vendor/device ids, the bound driver and
//! the IOMMU group. `memfire devices` lists boards from here, and opening a device checks
//! here first so every common mistake gets an error that names its fix. The root is a
//! parameter so tests can build a fake tree.

use std::path::{Path, PathBuf};

/// A PCI function `memfire devices` lists by its ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownDevice {
    pub vendor: u16,
    pub device: u16,
    pub what: &'static str,
    /// A memfire board (else a device that only tests the VFIO setup).
    pub memfire: bool,
}

/// The PCI functions memfire knows: its boards, and QEMU's `edu` device, which
/// `scripts/vfio-qemu-test.sh` drives to test VFIO without a board.
pub const KNOWN_DEVICES: &[KnownDevice] = &[
    KnownDevice {
        vendor: memfire_spec::tlp::PCI_VENDOR_ID,
        device: memfire_spec::tlp::PCI_DEVICE_ID,
        what: "memfire on a Xilinx 7-series PCIe board (LiteFury)",
        memfire: true,
    },
    KnownDevice {
        vendor: 0x1234,
        device: 0x11E8,
        what: "QEMU edu (the VFIO test device, not a memfire board)",
        memfire: false,
    },
];

/// A PCI address in the kernel's full form `DDDD:BB:DD.F` (domain, bus, device 0-1f,
/// function 0-7), from that form or the short `BB:DD.F` that `lspci` prints; `None` for
/// anything else (it becomes part of a sysfs path, so nothing else may pass).
pub fn normalize_address(address: &str) -> Option<String> {
    let full = if address.len() == 7 {
        format!("0000:{address}")
    } else {
        address.to_string()
    };
    let b = full.as_bytes();
    let hex = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_hexdigit);
    let shape = b.len() == 12 && b[4] == b':' && b[7] == b':' && b[10] == b'.';
    if !(shape && hex(0..4) && hex(5..7) && hex(8..10) && (b'0'..=b'7').contains(&b[11])) {
        return None;
    }
    let device = u8::from_str_radix(&full[8..10], 16).ok()?;
    (device < 0x20).then(|| full.to_ascii_lowercase())
}

/// One PCI function as sysfs describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PciDevice {
    /// `0000:01:00.0`.
    pub address: String,
    pub vendor: u16,
    pub device: u16,
    /// Bound driver (`vfio-pci`, `xdma`, …), if any.
    pub driver: Option<String>,
    /// IOMMU group number, if the IOMMU is on.
    pub iommu_group: Option<u32>,
    /// What it is, when memfire knows its ids (`KNOWN_DEVICES`).
    pub known: Option<KnownDevice>,
}

/// Where sysfs is (normally `/sys`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sysfs {
    pub root: PathBuf,
}

impl Default for Sysfs {
    fn default() -> Self {
        Sysfs {
            root: PathBuf::from("/sys"),
        }
    }
}

fn read_hex(path: &Path) -> Option<u16> {
    let text = std::fs::read_to_string(path).ok()?;
    u16::from_str_radix(text.trim().trim_start_matches("0x"), 16).ok()
}

fn link_name(path: &Path) -> Option<String> {
    let target = std::fs::read_link(path).ok()?;
    Some(target.file_name()?.to_string_lossy().into_owned())
}

impl Sysfs {
    fn device_dir(&self, address: &str) -> PathBuf {
        self.root.join("bus/pci/devices").join(address)
    }

    /// The device at `address`, or `None` if there is no such PCI function.
    pub fn device(&self, address: &str) -> Option<PciDevice> {
        let dir = self.device_dir(address);
        let vendor = read_hex(&dir.join("vendor"))?;
        let device = read_hex(&dir.join("device"))?;
        let known = KNOWN_DEVICES
            .iter()
            .find(|k| k.vendor == vendor && k.device == device)
            .copied();
        Some(PciDevice {
            address: address.to_string(),
            vendor,
            device,
            driver: link_name(&dir.join("driver")),
            iommu_group: link_name(&dir.join("iommu_group")).and_then(|g| g.parse().ok()),
            known,
        })
    }

    /// Every PCI function, sorted by address.
    pub fn devices(&self) -> std::io::Result<Vec<PciDevice>> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(self.root.join("bus/pci/devices"))? {
            let name = entry?.file_name().to_string_lossy().into_owned();
            if let Some(d) = self.device(&name) {
                out.push(d);
            }
        }
        out.sort_by(|a, b| a.address.cmp(&b.address));
        Ok(out)
    }

    /// Whether any IOMMU group exists (the IOMMU is on).
    pub fn iommu_enabled(&self) -> bool {
        std::fs::read_dir(self.root.join("kernel/iommu_groups")).is_ok_and(|mut d| d.next().is_some())
    }

    /// The other devices of IOMMU group `group` and their drivers.
    pub fn group_members(&self, group: u32) -> Vec<(String, Option<String>)> {
        let dir = self.root.join(format!("kernel/iommu_groups/{group}/devices"));
        let mut out: Vec<(String, Option<String>)> = std::fs::read_dir(dir)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .map(|e| {
                        let name = e.file_name().to_string_lossy().into_owned();
                        let driver = link_name(&self.device_dir(&name).join("driver"));
                        (name, driver)
                    })
                    .collect()
            })
            .unwrap_or_default();
        out.sort();
        out
    }
}

#[cfg(test)]
pub(crate) mod fake {
    //! A fake sysfs tree for tests.
    use std::path::Path;

    pub fn device(root: &Path, address: &str, vendor: u16, device: u16, driver: Option<&str>, group: Option<u32>) {
        let dir = root.join("bus/pci/devices").join(address);
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(dir.join("vendor"), format!("0x{vendor:04x}\n")).expect("write");
        std::fs::write(dir.join("device"), format!("0x{device:04x}\n")).expect("write");
        if let Some(drv) = driver {
            let target = root.join("bus/pci/drivers").join(drv);
            std::fs::create_dir_all(&target).expect("mkdir");
            std::os::unix::fs::symlink(&target, dir.join("driver")).expect("symlink");
        }
        if let Some(g) = group {
            let gdir = root.join(format!("kernel/iommu_groups/{g}/devices"));
            std::fs::create_dir_all(&gdir).expect("mkdir");
            std::os::unix::fs::symlink(&dir, gdir.join(address)).expect("symlink");
            std::os::unix::fs::symlink(root.join(format!("kernel/iommu_groups/{g}")), dir.join("iommu_group"))
                .expect("symlink");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_in_kernel_form_only() {
        assert_eq!(normalize_address("0000:01:00.0").as_deref(), Some("0000:01:00.0"));
        assert_eq!(normalize_address("01:00.0").as_deref(), Some("0000:01:00.0"));
        assert_eq!(normalize_address("0000:AF:1f.7").as_deref(), Some("0000:af:1f.7"));
        for bad in [
            "",
            "0000:01:00",
            "0000:01:20.0",
            "0000:01:00.8",
            "../../../bus/pci/devices/x",
            "0000:01:00.0/",
            "00000:01:00.0",
        ] {
            assert_eq!(normalize_address(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn lists_devices_with_driver_group_and_board() {
        let dir = tempfile::tempdir().expect("tempdir");
        fake::device(dir.path(), "0000:01:00.0", 0x10EE, 0x7024, Some("vfio-pci"), Some(12));
        fake::device(dir.path(), "0000:00:02.0", 0x8086, 0x1234, Some("i915"), None);
        let s = Sysfs {
            root: dir.path().to_path_buf(),
        };
        let all = s.devices().expect("listing");
        assert_eq!(all.len(), 2);
        assert_eq!(all[1].driver.as_deref(), Some("vfio-pci"));
        assert_eq!(all[1].iommu_group, Some(12));
        assert!(all[1].known.is_some_and(|k| k.memfire) && all[0].known.is_none());
        assert!(s.iommu_enabled());
        assert_eq!(
            s.group_members(12),
            vec![("0000:01:00.0".to_string(), Some("vfio-pci".to_string()))]
        );
    }
}
