//! What the kernel says about PCI devices in sysfs: vendor/device ids, the bound driver and
//! the IOMMU group. `memfire devices` lists boards from here, and opening a device checks
//! here first so every common mistake gets an error that names its fix. The root is a
//! parameter so tests can build a fake tree.

use std::path::{Path, PathBuf};

/// PCI ids of memfire boards: (vendor, device, description).
pub const MEMFIRE_IDS: &[(u16, u16, &str)] = &[
    (
        memfire_spec::tlp::PCI_VENDOR_ID,
        memfire_spec::tlp::PCI_DEVICE_ID,
        "memfire on a Xilinx 7-series PCIe board (LiteFury)",
    ),
    (0x1234, 0x11E8, "QEMU edu (the VFIO test device)"),
];

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
    /// Description when the ids are a memfire board's.
    pub board: Option<&'static str>,
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
        let board = MEMFIRE_IDS
            .iter()
            .find(|(v, d, _)| *v == vendor && *d == device)
            .map(|b| b.2);
        Some(PciDevice {
            address: address.to_string(),
            vendor,
            device,
            driver: link_name(&dir.join("driver")),
            iommu_group: link_name(&dir.join("iommu_group")).and_then(|g| g.parse().ok()),
            board,
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
        assert!(all[1].board.is_some() && all[0].board.is_none());
        assert!(s.iommu_enabled());
        assert_eq!(
            s.group_members(12),
            vec![("0000:01:00.0".to_string(), Some("vfio-pci".to_string()))]
        );
    }
}
