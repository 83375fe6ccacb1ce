//! A PCIe board through Linux VFIO: container, group and device; BAR mapping; IOMMU DMA
//! buffers freed on drop; bus mastering; MSI through an eventfd; device reset. Opening checks
//! sysfs first so each common setup mistake ends in an error that says how to fix it.
//! `VfioBackend` is the driver's `Bus` on top (BAR0 = the core's bus, word address ·4).

mod sys;
pub mod sysfs;

use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::sync::atomic::{fence, Ordering};
use std::sync::Arc;
use std::time::Duration;

use nix::errno::Errno;
use nix::fcntl::OFlag;
use nix::poll::{PollFd, PollFlags, PollTimeout};
use nix::sys::eventfd::{EfdFlags, EventFd};
use nix::sys::stat::Mode;
use vfio_bindings::bindings::vfio::{
    VFIO_TYPE1v2_IOMMU, VFIO_API_VERSION, VFIO_DMA_MAP_FLAG_READ, VFIO_DMA_MAP_FLAG_WRITE, VFIO_GROUP_FLAGS_VIABLE,
    VFIO_IRQ_SET_ACTION_TRIGGER, VFIO_IRQ_SET_DATA_EVENTFD, VFIO_IRQ_SET_DATA_NONE, VFIO_PCI_CONFIG_REGION_INDEX,
    VFIO_PCI_MSI_IRQ_INDEX,
};

pub use sysfs::{normalize_address, KnownDevice, PciDevice, Sysfs, KNOWN_DEVICES};

use crate::bus::{outside_region, Bus, BusError, DmaRegion};

/// Why a VFIO device could not be opened or used; each message says how to fix it.
#[derive(Debug, thiserror::Error)]
pub enum VfioError {
    #[error(
        "{0:?} is not a PCI address: write it as the kernel does, DDDD:BB:DD.F (e.g. 0000:01:00.0); \
         `memfire devices` lists them"
    )]
    BadAddress(String),
    #[error("no PCI device {0}: `memfire devices` (or `lspci -D`) lists the devices there are")]
    NoSuchDevice(String),
    #[error(
        "{address} is not a memfire board: its ID register reads {id:#010x}, a memfire core's reads \
         {expected:#010x}; nothing was enabled on it"
    )]
    NotMemfire { address: String, id: u32, expected: u32 },
    #[error(
        "{path} does not exist: the IOMMU group's node appears when a device of the group is bound \
         to vfio-pci (`sudo scripts/vfio-bind.sh <address>`)"
    )]
    NoGroupNode { path: PathBuf },
    #[error(
        "the IOMMU is off (no IOMMU groups in sysfs): enable VT-d / AMD-Vi in the firmware and boot \
         with intel_iommu=on (or amd_iommu=on) iommu=pt"
    )]
    NoIommu,
    #[error("/dev/vfio/vfio does not exist: load the driver with `sudo modprobe vfio-pci`")]
    NoVfioModule,
    #[error("{address} is bound to {driver}, not vfio-pci: run `sudo scripts/vfio-bind.sh {address}`")]
    WrongDriver { address: String, driver: String },
    #[error(
        "IOMMU group {group} is not viable: every device in it must be bound to vfio-pci or to no \
         driver; group members: {members}"
    )]
    GroupNotViable { group: u32, members: String },
    #[error(
        "no permission to open {path}: run as root, or `sudo chown $USER {path}` (scripts/vfio-bind.sh does this)"
    )]
    Permission { path: PathBuf },
    #[error("{path} is busy: another process (a VM, another memfire) has this IOMMU group open")]
    Busy { path: PathBuf },
    #[error("{what}")]
    Sys {
        what: String,
        #[source]
        source: Errno,
    },
    #[error("{what}: {detail}")]
    Unsupported { what: String, detail: String },
}

fn sys(what: impl Into<String>) -> impl FnOnce(Errno) -> VfioError {
    let what = what.into();
    move |source| VfioError::Sys { what, source }
}

fn open_dev(path: &Path, flags: OFlag) -> Result<OwnedFd, VfioError> {
    nix::fcntl::open(path, flags | OFlag::O_CLOEXEC, Mode::empty()).map_err(|e| match e {
        Errno::EACCES | Errno::EPERM => VfioError::Permission {
            path: path.to_path_buf(),
        },
        Errno::EBUSY => VfioError::Busy {
            path: path.to_path_buf(),
        },
        Errno::ENOENT if path.file_name().is_some_and(|n| n == "vfio") => VfioError::NoVfioModule,
        Errno::ENOENT => VfioError::NoGroupNode {
            path: path.to_path_buf(),
        },
        e => VfioError::Sys {
            what: format!("open {}", path.display()),
            source: e,
        },
    })
}

/// An open VFIO device with its group and container.
#[derive(Debug)]
pub struct VfioDevice {
    address: String,
    container: Arc<OwnedFd>,
    _group: OwnedFd,
    device: OwnedFd,
    pub regions: u32,
    pub irqs: u32,
}

impl VfioDevice {
    /// Open the PCI function `address` (`0000:01:00.0`, or `01:00.0`), checking the setup on
    /// the way. Nothing is enabled on the device: bus mastering and interrupts are the
    /// caller's to turn on once it knows what the device is.
    pub fn open(address: &str, sysfs: &Sysfs, dev_root: &Path) -> Result<VfioDevice, VfioError> {
        let address = &normalize_address(address).ok_or_else(|| VfioError::BadAddress(address.to_string()))?;
        let pci = sysfs
            .device(address)
            .ok_or_else(|| VfioError::NoSuchDevice(address.to_string()))?;
        if !sysfs.iommu_enabled() {
            return Err(VfioError::NoIommu);
        }
        match pci.driver.as_deref() {
            Some("vfio-pci") => {}
            other => {
                return Err(VfioError::WrongDriver {
                    address: address.to_string(),
                    driver: other.map_or("no driver".to_string(), |d| format!("the {d} driver")),
                })
            }
        }
        let group_no = pci.iommu_group.ok_or(VfioError::NoIommu)?;
        let container_path = dev_root.join("vfio");
        if !container_path.exists() {
            return Err(VfioError::NoVfioModule);
        }
        let container = open_dev(&container_path, OFlag::O_RDWR)?;
        let version = sys::get_api_version(container.as_fd()).map_err(sys("VFIO_GET_API_VERSION"))?;
        if version != VFIO_API_VERSION as i32 {
            return Err(VfioError::Unsupported {
                what: "VFIO API version".into(),
                detail: format!("kernel has {version}, memfire speaks {VFIO_API_VERSION}"),
            });
        }
        if !sys::check_extension(container.as_fd(), VFIO_TYPE1v2_IOMMU).map_err(sys("VFIO_CHECK_EXTENSION"))? {
            return Err(VfioError::Unsupported {
                what: "IOMMU".into(),
                detail: "the kernel's VFIO lacks the type-1 v2 IOMMU backend (vfio_iommu_type1)".into(),
            });
        }
        let group_path = dev_root.join(group_no.to_string());
        let group = open_dev(&group_path, OFlag::O_RDWR)?;
        let status = sys::group_get_status(group.as_fd()).map_err(sys("VFIO_GROUP_GET_STATUS"))?;
        if status.flags & VFIO_GROUP_FLAGS_VIABLE == 0 {
            let members = sysfs
                .group_members(group_no)
                .iter()
                .map(|(a, d)| format!("{a} ({})", d.as_deref().unwrap_or("no driver")))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(VfioError::GroupNotViable {
                group: group_no,
                members,
            });
        }
        sys::group_set_container(group.as_fd(), container.as_fd()).map_err(sys("VFIO_GROUP_SET_CONTAINER"))?;
        sys::set_iommu(container.as_fd(), VFIO_TYPE1v2_IOMMU).map_err(sys("VFIO_SET_IOMMU"))?;
        let device = sys::group_get_device_fd(group.as_fd(), address).map_err(sys("VFIO_GROUP_GET_DEVICE_FD"))?;
        let info = sys::device_get_info(device.as_fd()).map_err(sys("VFIO_DEVICE_GET_INFO"))?;
        let dev = VfioDevice {
            address: address.to_string(),
            container: Arc::new(container),
            _group: group,
            device,
            regions: info.num_regions,
            irqs: info.num_irqs,
        };
        Ok(dev)
    }

    pub fn address(&self) -> &str {
        &self.address
    }

    /// Set Memory Space and Bus Master in the PCI command register: without bus mastering a
    /// device's DMA silently does nothing.
    pub fn enable_bus_master(&self) -> Result<(), VfioError> {
        let cfg = sys::device_get_region_info(self.device.as_fd(), VFIO_PCI_CONFIG_REGION_INDEX)
            .map_err(sys("VFIO_DEVICE_GET_REGION_INFO (config space)"))?;
        let mut cmd = [0u8; 2];
        nix::sys::uio::pread(&self.device, &mut cmd, cfg.offset as i64 + 4)
            .map_err(sys("read PCI command register"))?;
        let value = u16::from_le_bytes(cmd) | 0x0006;
        nix::sys::uio::pwrite(&self.device, &value.to_le_bytes(), cfg.offset as i64 + 4)
            .map_err(sys("write PCI command register"))?;
        Ok(())
    }

    /// Map BAR `index` (0..=5).
    pub fn map_bar(&self, index: u32) -> Result<Bar, VfioError> {
        let info = sys::device_get_region_info(self.device.as_fd(), index)
            .map_err(sys(format!("VFIO_DEVICE_GET_REGION_INFO (BAR{index})")))?;
        if info.size == 0 {
            return Err(VfioError::Unsupported {
                what: format!("BAR{index}"),
                detail: "the device has no such BAR".into(),
            });
        }
        let map = sys::Mapping::of_region(self.device.as_fd(), info.offset, info.size as usize)
            .map_err(sys(format!("mmap BAR{index}")))?;
        Ok(Bar { map })
    }

    /// A DMA buffer of `len` bytes at I/O virtual address `iova`, unmapped and freed on drop.
    pub fn dma_buffer(&self, len: usize, iova: u64) -> Result<DmaBuffer, VfioError> {
        let len = len.div_ceil(4096) * 4096;
        let map = sys::Mapping::anonymous(len).map_err(sys("allocate DMA memory"))?;
        sys::iommu_map_dma(
            self.container.as_fd(),
            map.addr(),
            iova,
            len as u64,
            VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
        )
        .map_err(sys("VFIO_IOMMU_MAP_DMA"))?;
        Ok(DmaBuffer {
            container: Arc::clone(&self.container),
            map,
            iova,
        })
    }

    /// Route MSI vector 0 to a new eventfd.
    pub fn enable_msi(&self) -> Result<Msi, VfioError> {
        let efd = EventFd::from_flags(EfdFlags::EFD_CLOEXEC | EfdFlags::EFD_NONBLOCK).map_err(sys("eventfd"))?;
        let info = sys::device_get_irq_info(self.device.as_fd(), VFIO_PCI_MSI_IRQ_INDEX)
            .map_err(sys("VFIO_DEVICE_GET_IRQ_INFO (MSI)"))?;
        if info.count == 0 {
            return Err(VfioError::Unsupported {
                what: "MSI".into(),
                detail: "the device offers no MSI vector".into(),
            });
        }
        sys::device_set_irqs(
            self.device.as_fd(),
            VFIO_PCI_MSI_IRQ_INDEX,
            VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
            0,
            &[efd.as_fd().as_raw_fd()],
        )
        .map_err(sys("VFIO_DEVICE_SET_IRQS (MSI -> eventfd)"))?;
        Ok(Msi { efd })
    }

    /// Stop delivering MSI.
    pub fn disable_msi(&self) -> Result<(), VfioError> {
        sys::device_set_irqs(
            self.device.as_fd(),
            VFIO_PCI_MSI_IRQ_INDEX,
            VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
            0,
            &[],
        )
        .map_err(sys("VFIO_DEVICE_SET_IRQS (MSI off)"))
    }

    /// Function-level reset of the device.
    pub fn reset(&self) -> Result<(), VfioError> {
        sys::device_reset(self.device.as_fd()).map_err(sys("VFIO_DEVICE_RESET"))
    }
}

/// A mapped BAR.
#[derive(Debug)]
pub struct Bar {
    map: sys::Mapping,
}

fn outside(offset: usize, len: usize) -> VfioError {
    VfioError::Unsupported {
        what: format!("BAR access at {offset:#x}"),
        detail: format!("outside the {len} byte BAR or not 4-byte aligned"),
    }
}

impl Bar {
    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    pub fn read32(&self, offset: usize) -> Result<u32, VfioError> {
        self.map.read32(offset).ok_or_else(|| outside(offset, self.map.len()))
    }

    pub fn write32(&mut self, offset: usize, value: u32) -> Result<(), VfioError> {
        let len = self.map.len();
        self.map.write32(offset, value).ok_or_else(|| outside(offset, len))
    }
}

/// Host memory the device can reach at `iova`; unmapped from the IOMMU, then freed, on drop.
#[derive(Debug)]
pub struct DmaBuffer {
    container: Arc<OwnedFd>,
    map: sys::Mapping,
    iova: u64,
}

impl DmaBuffer {
    pub fn iova(&self) -> u64 {
        self.iova
    }

    pub fn as_slice(&self) -> &[u8] {
        self.map.as_slice()
    }

    pub fn as_mut_slice(&mut self) -> &mut [u8] {
        self.map.as_mut_slice()
    }
}

impl Drop for DmaBuffer {
    fn drop(&mut self) {
        // Remove the device's view first; the memory itself goes when `map` drops.
        let _ = sys::iommu_unmap_dma(self.container.as_fd(), self.iova, self.map.len() as u64);
    }
}

/// An MSI vector delivered through an eventfd.
#[derive(Debug)]
pub struct Msi {
    efd: EventFd,
}

impl Msi {
    /// Wait for the interrupt at most `timeout`; returns how many arrived (0 = timed out).
    pub fn wait(&self, timeout: Duration) -> Result<u64, VfioError> {
        let ms = u16::try_from(timeout.as_millis()).unwrap_or(u16::MAX);
        let mut fds = [PollFd::new(self.efd.as_fd(), PollFlags::POLLIN)];
        let ready = nix::poll::poll(&mut fds, PollTimeout::from(ms)).map_err(sys("poll MSI eventfd"))?;
        if ready == 0 {
            return Ok(0);
        }
        match self.efd.read() {
            Ok(n) => Ok(n),
            Err(Errno::EAGAIN) => Ok(0),
            Err(e) => Err(VfioError::Sys {
                what: "read MSI eventfd".into(),
                source: e,
            }),
        }
    }

    /// Await the interrupt on the tokio reactor (the eventfd is non-blocking); returns how
    /// many arrived, or 0 if `timeout` passed first. Needs a tokio runtime with I/O enabled.
    pub async fn wait_async(&self, timeout: Duration) -> Result<u64, VfioError> {
        let afd = sys::async_readable(self.efd.as_fd()).map_err(|e| VfioError::Sys {
            what: "register the MSI eventfd with tokio".into(),
            source: Errno::from_raw(e.raw_os_error().unwrap_or(0)),
        })?;
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let mut guard = match tokio::time::timeout_at(deadline, afd.readable()).await {
                Err(_) => return Ok(0),
                Ok(Ok(guard)) => guard,
                Ok(Err(e)) => {
                    return Err(VfioError::Sys {
                        what: "wait for the MSI eventfd".into(),
                        source: Errno::from_raw(e.raw_os_error().unwrap_or(0)),
                    })
                }
            };
            match self.efd.read() {
                Ok(n) => return Ok(n),
                Err(Errno::EAGAIN) => guard.clear_ready(),
                Err(e) => {
                    return Err(VfioError::Sys {
                        what: "read MSI eventfd".into(),
                        source: e,
                    })
                }
            }
        }
    }

    /// The eventfd, for another event loop to watch.
    pub fn fd(&self) -> std::os::fd::BorrowedFd<'_> {
        self.efd.as_fd()
    }
}

/// A memfire board behind VFIO: BAR0 is the core's bus (byte offset = word address · 4).
#[derive(Debug)]
pub struct VfioBackend {
    dev: VfioDevice,
    bar0: Bar,
    msi: Option<Msi>,
    /// DMA buffers of the driver's rings, unmapped and freed when the backend drops.
    dma: Vec<DmaBuffer>,
    next_iova: u64,
}

/// First I/O virtual address handed to DMA buffers: any page-aligned range the IOMMU accepts
/// and the device can address. 128 MiB suits cards with narrow DMA masks too (QEMU's `edu`
/// device, which the QEMU test drives, decodes 28 bits).
const FIRST_IOVA: u64 = 0x0800_0000;

impl VfioBackend {
    /// Open the memfire board at `address`: its ID register is read first, and only a
    /// memfire core's (`memfire_spec::regs::MAGIC`) gets bus mastering and MSI turned on.
    pub fn open(address: &str) -> Result<VfioBackend, VfioError> {
        Self::open_checked(address, true)
    }

    /// Open any PCI function at `address` as a bus, without the ID check: for tests of the
    /// VFIO path on a device that is not a memfire board (QEMU's `edu`).
    pub fn open_any(address: &str) -> Result<VfioBackend, VfioError> {
        Self::open_checked(address, false)
    }

    fn open_checked(address: &str, memfire_only: bool) -> Result<VfioBackend, VfioError> {
        let dev = VfioDevice::open(address, &Sysfs::default(), Path::new("/dev/vfio"))?;
        let bar0 = dev.map_bar(0)?;
        if memfire_only {
            let id = bar0.read32(memfire_spec::memmap::reg_addr(memfire_spec::regs::offset::ID) as usize * 4)?;
            if id != memfire_spec::regs::MAGIC {
                return Err(VfioError::NotMemfire {
                    address: dev.address().to_string(),
                    id,
                    expected: memfire_spec::regs::MAGIC,
                });
            }
        }
        dev.enable_bus_master()?;
        let msi = dev.enable_msi().ok();
        Ok(VfioBackend {
            dev,
            bar0,
            msi,
            dma: Vec::new(),
            next_iova: FIRST_IOVA,
        })
    }

    fn buffer(&mut self, region: &DmaRegion, offset: usize, len: usize) -> Result<&mut DmaBuffer, BusError> {
        let describe = self.describe();
        match self.dma.get_mut(region.id) {
            Some(b) if b.iova() == region.iova && region.holds(offset, len) => Ok(b),
            _ => Err(outside_region(describe, region, offset, len)),
        }
    }
}

fn bus(address: &str) -> impl FnOnce(VfioError) -> BusError + '_ {
    move |e| BusError::Transport {
        backend: format!("vfio {address}"),
        what: e.to_string(),
        source: Some(Box::new(e)),
    }
}

impl Bus for VfioBackend {
    fn describe(&self) -> String {
        format!("vfio {}", self.dev.address())
    }

    fn read32(&mut self, addr: u32) -> Result<u32, BusError> {
        self.bar0.read32(addr as usize * 4).map_err(bus(self.dev.address()))
    }

    fn write32(&mut self, addr: u32, value: u32) -> Result<(), BusError> {
        let address = self.dev.address().to_string();
        self.bar0.write32(addr as usize * 4, value).map_err(bus(&address))
    }

    fn wait_irq(&mut self, timeout: Duration) -> Result<bool, BusError> {
        match &self.msi {
            Some(msi) => Ok(msi.wait(timeout).map_err(bus(self.dev.address()))? > 0),
            None => {
                // No MSI: poll gently; the driver re-reads STATUS after each return.
                std::thread::sleep(timeout.min(Duration::from_micros(200)));
                Ok(true)
            }
        }
    }

    fn dma_alloc(&mut self, len: usize) -> Result<Option<DmaRegion>, BusError> {
        let iova = self.next_iova;
        let buf = self.dev.dma_buffer(len, iova).map_err(bus(self.dev.address()))?;
        self.next_iova += buf.as_slice().len() as u64;
        self.dma.push(buf);
        Ok(Some(DmaRegion {
            iova,
            len,
            id: self.dma.len() - 1,
        }))
    }

    fn dma_read(&mut self, region: &DmaRegion, offset: usize, out: &mut [u8]) -> Result<(), BusError> {
        let buf = self.buffer(region, offset, out.len())?;
        // The card wrote this memory: order our reads after whatever we observed of it
        // (a DONE flag, an interrupt).
        fence(Ordering::SeqCst);
        out.copy_from_slice(&buf.as_slice()[offset..offset + out.len()]);
        Ok(())
    }

    fn dma_write(&mut self, region: &DmaRegion, offset: usize, data: &[u8]) -> Result<(), BusError> {
        let buf = self.buffer(region, offset, data.len())?;
        buf.as_mut_slice()[offset..offset + data.len()].copy_from_slice(data);
        // Visible before the doorbell (tail register) write that follows.
        fence(Ordering::SeqCst);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::sysfs::fake;
    use super::*;

    fn open(root: &Path, dev: &Path, addr: &str) -> String {
        let s = Sysfs {
            root: root.to_path_buf(),
        };
        match VfioDevice::open(addr, &s, dev) {
            Ok(_) => "opened".into(),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn setup_mistakes_name_their_fix() {
        let sys = tempfile::tempdir().expect("tempdir");
        let dev = tempfile::tempdir().expect("tempdir");
        let (s, d) = (sys.path(), dev.path());
        assert!(open(s, d, "0000:01:00.0").contains("no PCI device 0000:01:00.0"));
        let e = open(s, d, "../../../bus/pci/devices/0000:01:00.0");
        assert!(e.contains("is not a PCI address") && e.contains("DDDD:BB:DD.F"), "{e}");
        fake::device(s, "0000:01:00.0", 0x10EE, 0x7024, Some("xdma"), None);
        assert!(open(s, d, "0000:01:00.0").contains("IOMMU is off"));
        fake::device(s, "0000:02:00.0", 0x10EE, 0x7024, Some("xdma"), Some(3));
        let e = open(s, d, "0000:02:00.0");
        assert!(
            e.contains("bound to the xdma driver") && e.contains("vfio-bind.sh 0000:02:00.0"),
            "{e}"
        );
        fake::device(s, "0000:03:00.0", 0x10EE, 0x7024, Some("vfio-pci"), Some(4));
        assert!(open(s, d, "0000:03:00.0").contains("modprobe vfio-pci"));
    }
}
