//! Every VFIO system call of memfire, and every `unsafe` block of the host library: the
//! ioctls of <linux/vfio.h> (numbers pinned by a test), BAR and DMA mappings. Each wrapper
//! returns the errno as the error's source; nothing here interprets results.
#![allow(unsafe_code)]

use std::ffi::CString;
use std::num::NonZeroUsize;
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::ptr::NonNull;

use nix::errno::Errno;
use nix::sys::mman::{mmap, mmap_anonymous, munmap, MapFlags, ProtFlags};
use vfio_bindings::bindings::vfio::{
    vfio_device_info, vfio_group_status, vfio_iommu_type1_dma_map, vfio_iommu_type1_dma_unmap, vfio_irq_info,
    vfio_region_info, VFIO_BASE, VFIO_TYPE,
};

/// `_IO(VFIO_TYPE, VFIO_BASE + n)`: every VFIO request code has this form.
const fn vfio_io(n: u32) -> u32 {
    ((VFIO_TYPE as u32) << 8) | (VFIO_BASE + n)
}

pub const VFIO_GET_API_VERSION: u32 = vfio_io(0);
pub const VFIO_CHECK_EXTENSION: u32 = vfio_io(1);
pub const VFIO_SET_IOMMU: u32 = vfio_io(2);
pub const VFIO_GROUP_GET_STATUS: u32 = vfio_io(3);
pub const VFIO_GROUP_SET_CONTAINER: u32 = vfio_io(4);
pub const VFIO_GROUP_GET_DEVICE_FD: u32 = vfio_io(6);
pub const VFIO_DEVICE_GET_INFO: u32 = vfio_io(7);
pub const VFIO_DEVICE_GET_REGION_INFO: u32 = vfio_io(8);
pub const VFIO_DEVICE_GET_IRQ_INFO: u32 = vfio_io(9);
pub const VFIO_DEVICE_SET_IRQS: u32 = vfio_io(10);
pub const VFIO_DEVICE_RESET: u32 = vfio_io(11);
pub const VFIO_IOMMU_MAP_DMA: u32 = vfio_io(13);
pub const VFIO_IOMMU_UNMAP_DMA: u32 = vfio_io(14);

nix::ioctl_none_bad!(ioctl_get_api_version, VFIO_GET_API_VERSION);
nix::ioctl_write_int_bad!(ioctl_check_extension, VFIO_CHECK_EXTENSION);
nix::ioctl_write_int_bad!(ioctl_set_iommu, VFIO_SET_IOMMU);
nix::ioctl_readwrite_bad!(ioctl_group_get_status, VFIO_GROUP_GET_STATUS, vfio_group_status);
nix::ioctl_write_ptr_bad!(ioctl_group_set_container, VFIO_GROUP_SET_CONTAINER, libc::c_int);
nix::ioctl_write_ptr_bad!(ioctl_group_get_device_fd, VFIO_GROUP_GET_DEVICE_FD, libc::c_char);
nix::ioctl_readwrite_bad!(ioctl_device_get_info, VFIO_DEVICE_GET_INFO, vfio_device_info);
nix::ioctl_readwrite_bad!(
    ioctl_device_get_region_info,
    VFIO_DEVICE_GET_REGION_INFO,
    vfio_region_info
);
nix::ioctl_readwrite_bad!(ioctl_device_get_irq_info, VFIO_DEVICE_GET_IRQ_INFO, vfio_irq_info);
nix::ioctl_write_ptr_bad!(ioctl_device_set_irqs, VFIO_DEVICE_SET_IRQS, u8);
nix::ioctl_none_bad!(ioctl_device_reset, VFIO_DEVICE_RESET);
nix::ioctl_write_ptr_bad!(ioctl_iommu_map_dma, VFIO_IOMMU_MAP_DMA, vfio_iommu_type1_dma_map);
nix::ioctl_readwrite_bad!(ioctl_iommu_unmap_dma, VFIO_IOMMU_UNMAP_DMA, vfio_iommu_type1_dma_unmap);

/// `argsz` of a VFIO argument struct.
fn argsz<T>() -> u32 {
    std::mem::size_of::<T>() as u32
}

pub fn get_api_version(container: BorrowedFd<'_>) -> Result<i32, Errno> {
    // SAFETY: VFIO_GET_API_VERSION takes no argument; the fd is open for the call's duration.
    unsafe { ioctl_get_api_version(container.as_raw_fd()) }
}

pub fn check_extension(container: BorrowedFd<'_>, extension: u32) -> Result<bool, Errno> {
    // SAFETY: the argument is an integer passed by value; the fd is open.
    unsafe { ioctl_check_extension(container.as_raw_fd(), extension as libc::c_int) }.map(|r| r > 0)
}

pub fn set_iommu(container: BorrowedFd<'_>, iommu_type: u32) -> Result<(), Errno> {
    // SAFETY: integer argument by value; the fd is open.
    unsafe { ioctl_set_iommu(container.as_raw_fd(), iommu_type as libc::c_int) }.map(drop)
}

pub fn group_get_status(group: BorrowedFd<'_>) -> Result<vfio_group_status, Errno> {
    let mut status = vfio_group_status {
        argsz: argsz::<vfio_group_status>(),
        flags: 0,
    };
    // SAFETY: `status` is a properly sized, writable vfio_group_status with argsz set; the
    // kernel writes at most argsz bytes into it.
    unsafe { ioctl_group_get_status(group.as_raw_fd(), &mut status) }?;
    Ok(status)
}

pub fn group_set_container(group: BorrowedFd<'_>, container: BorrowedFd<'_>) -> Result<(), Errno> {
    let fd: libc::c_int = container.as_raw_fd();
    // SAFETY: the kernel reads one c_int (the container fd) through the pointer, which is
    // valid for the call.
    unsafe { ioctl_group_set_container(group.as_raw_fd(), &fd) }.map(drop)
}

pub fn group_get_device_fd(group: BorrowedFd<'_>, pci_address: &str) -> Result<OwnedFd, Errno> {
    let name = CString::new(pci_address).map_err(|_| Errno::EINVAL)?;
    // SAFETY: `name` is a NUL-terminated string valid for the call; on success the ioctl
    // returns a new file descriptor that we own from here on.
    let fd: RawFd = unsafe { ioctl_group_get_device_fd(group.as_raw_fd(), name.as_ptr()) }?;
    // SAFETY: `fd` was just returned by the kernel and is owned by nobody else.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

pub fn device_get_info(device: BorrowedFd<'_>) -> Result<vfio_device_info, Errno> {
    let mut info = vfio_device_info {
        argsz: argsz::<vfio_device_info>(),
        ..Default::default()
    };
    // SAFETY: writable, properly sized struct with argsz set.
    unsafe { ioctl_device_get_info(device.as_raw_fd(), &mut info) }?;
    Ok(info)
}

pub fn device_get_region_info(device: BorrowedFd<'_>, index: u32) -> Result<vfio_region_info, Errno> {
    let mut info = vfio_region_info {
        argsz: argsz::<vfio_region_info>(),
        index,
        ..Default::default()
    };
    // SAFETY: writable, properly sized struct with argsz and index set.
    unsafe { ioctl_device_get_region_info(device.as_raw_fd(), &mut info) }?;
    Ok(info)
}

pub fn device_get_irq_info(device: BorrowedFd<'_>, index: u32) -> Result<vfio_irq_info, Errno> {
    let mut info = vfio_irq_info {
        argsz: argsz::<vfio_irq_info>(),
        index,
        ..Default::default()
    };
    // SAFETY: writable, properly sized struct with argsz and index set.
    unsafe { ioctl_device_get_irq_info(device.as_raw_fd(), &mut info) }?;
    Ok(info)
}

/// `VFIO_DEVICE_SET_IRQS` with `flags`, for vectors `start..start+count` of IRQ `index`;
/// `eventfds` (one per vector) is the payload when DATA_EVENTFD is set.
pub fn device_set_irqs(
    device: BorrowedFd<'_>,
    index: u32,
    flags: u32,
    start: u32,
    eventfds: &[RawFd],
) -> Result<(), Errno> {
    // struct vfio_irq_set { u32 argsz, flags, index, start, count; u8 data[]; }
    let header = [0u32, flags, index, start, eventfds.len() as u32];
    let mut buf: Vec<u8> = Vec::with_capacity(20 + 4 * eventfds.len());
    for w in header {
        buf.extend_from_slice(&w.to_ne_bytes());
    }
    for fd in eventfds {
        buf.extend_from_slice(&fd.to_ne_bytes());
    }
    let len = buf.len() as u32;
    buf[..4].copy_from_slice(&len.to_ne_bytes());
    // SAFETY: `buf` holds a complete vfio_irq_set (header plus `count` i32 eventfds) of
    // `argsz` bytes, alive and unaliased for the call; the kernel only reads it.
    unsafe { ioctl_device_set_irqs(device.as_raw_fd(), buf.as_ptr()) }.map(drop)
}

pub fn device_reset(device: BorrowedFd<'_>) -> Result<(), Errno> {
    // SAFETY: no argument; the fd is open.
    unsafe { ioctl_device_reset(device.as_raw_fd()) }.map(drop)
}

pub fn iommu_map_dma(container: BorrowedFd<'_>, vaddr: u64, iova: u64, size: u64, flags: u32) -> Result<(), Errno> {
    let map = vfio_iommu_type1_dma_map {
        argsz: argsz::<vfio_iommu_type1_dma_map>(),
        flags,
        vaddr,
        iova,
        size,
    };
    // SAFETY: the kernel reads the struct; the mapping it creates refers to memory the
    // caller (`DmaBuffer`) keeps mapped until it unmaps it again.
    unsafe { ioctl_iommu_map_dma(container.as_raw_fd(), &map) }.map(drop)
}

pub fn iommu_unmap_dma(container: BorrowedFd<'_>, iova: u64, size: u64) -> Result<(), Errno> {
    let mut unmap = vfio_iommu_type1_dma_unmap {
        argsz: argsz::<vfio_iommu_type1_dma_unmap>(),
        iova,
        size,
        ..Default::default()
    };
    // SAFETY: writable, properly sized struct with argsz set (the kernel writes back size).
    unsafe { ioctl_iommu_unmap_dma(container.as_raw_fd(), &mut unmap) }.map(drop)
}

/// Register `fd` with the current tokio reactor for readability.
pub fn async_readable(fd: BorrowedFd<'_>) -> std::io::Result<tokio::io::unix::AsyncFd<BorrowedFd<'_>>> {
    // SAFETY: a `BorrowedFd` is an open descriptor for its whole lifetime, and the AsyncFd
    // holds that borrow, so the descriptor stays open and the same until it is dropped.
    unsafe { tokio::io::unix::AsyncFd::register_with_interest(fd, tokio::io::Interest::READABLE) }.map_err(|e| e.into())
}

/// An owned memory mapping (a BAR or DMA memory), unmapped on drop. All access is bounds-
/// checked and, for device registers, volatile.
#[derive(Debug)]
pub struct Mapping {
    ptr: NonNull<u8>,
    len: usize,
}

// SAFETY: the mapping is plain memory with no thread affinity; Rust access goes through
// `&self`/`&mut self`, so moving the owner between threads is sound.
unsafe impl Send for Mapping {}

impl Mapping {
    /// A shared, read-write mapping of `len` bytes of `fd` at `offset` (a BAR of the device).
    pub fn of_region(fd: BorrowedFd<'_>, offset: u64, len: usize) -> Result<Mapping, Errno> {
        let nz = NonZeroUsize::new(len).ok_or(Errno::EINVAL)?;
        // SAFETY: a fresh mapping chosen by the kernel (no address hint): it aliases no Rust
        // object, and only `Drop` unmaps it.
        let p = unsafe {
            mmap(
                None,
                nz,
                ProtFlags::PROT_READ | ProtFlags::PROT_WRITE,
                MapFlags::MAP_SHARED,
                fd,
                offset as libc::off_t,
            )
        }?;
        Ok(Mapping { ptr: p.cast(), len })
    }

    /// Zeroed, page-aligned anonymous memory (for DMA).
    pub fn anonymous(len: usize) -> Result<Mapping, Errno> {
        let nz = NonZeroUsize::new(len).ok_or(Errno::EINVAL)?;
        // SAFETY: a fresh private anonymous mapping: no aliasing, zero-filled by the kernel.
        let p = unsafe {
            mmap_anonymous(
                None,
                nz,
                ProtFlags::PROT_READ | ProtFlags::PROT_WRITE,
                MapFlags::MAP_PRIVATE | MapFlags::MAP_POPULATE,
            )
        }?;
        Ok(Mapping { ptr: p.cast(), len })
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Address of the first byte (for the IOMMU map).
    pub fn addr(&self) -> u64 {
        self.ptr.as_ptr() as u64
    }

    fn in_bounds(&self, offset: usize) -> bool {
        offset.is_multiple_of(4) && offset.checked_add(4).is_some_and(|end| end <= self.len)
    }

    /// Volatile 32-bit read at byte `offset`; `None` if out of bounds or misaligned.
    pub fn read32(&self, offset: usize) -> Option<u32> {
        if !self.in_bounds(offset) {
            return None;
        }
        // SAFETY: in bounds and 4-byte aligned (checked above; the base is page aligned)
        // within the live mapping; volatile because the device changes it behind our back.
        Some(unsafe { std::ptr::read_volatile(self.ptr.as_ptr().add(offset).cast::<u32>()) })
    }

    /// Volatile 32-bit write at byte `offset`; `None` if out of bounds or misaligned.
    pub fn write32(&mut self, offset: usize, value: u32) -> Option<()> {
        if !self.in_bounds(offset) {
            return None;
        }
        // SAFETY: as in read32; one 32-bit store reaches the device.
        unsafe { std::ptr::write_volatile(self.ptr.as_ptr().add(offset).cast::<u32>(), value) };
        Some(())
    }

    pub fn as_slice(&self) -> &[u8] {
        // SAFETY: a live mapping of `len` bytes owned by self. A device may write it by DMA
        // meanwhile; for plain bytes that only means the reader sees old or new data.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }

    pub fn as_mut_slice(&mut self) -> &mut [u8] {
        // SAFETY: as above, and `&mut self` excludes every other Rust reference.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) }
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        // SAFETY: `ptr`/`len` is exactly the mapping made by a constructor, unmapped once
        // here; no reference into it outlives `self`.
        let _ = unsafe { munmap(self.ptr.cast(), self.len) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The request codes of <linux/vfio.h>: `_IO(';', 100 + n)`.
    #[test]
    fn ioctl_numbers_match_linux() {
        assert_eq!(VFIO_GET_API_VERSION, 0x3B64);
        assert_eq!(VFIO_CHECK_EXTENSION, 0x3B65);
        assert_eq!(VFIO_SET_IOMMU, 0x3B66);
        assert_eq!(VFIO_GROUP_GET_STATUS, 0x3B67);
        assert_eq!(VFIO_GROUP_SET_CONTAINER, 0x3B68);
        assert_eq!(VFIO_GROUP_GET_DEVICE_FD, 0x3B6A);
        assert_eq!(VFIO_DEVICE_GET_INFO, 0x3B6B);
        assert_eq!(VFIO_DEVICE_GET_REGION_INFO, 0x3B6C);
        assert_eq!(VFIO_DEVICE_GET_IRQ_INFO, 0x3B6D);
        assert_eq!(VFIO_DEVICE_SET_IRQS, 0x3B6E);
        assert_eq!(VFIO_DEVICE_RESET, 0x3B6F);
        assert_eq!(VFIO_IOMMU_MAP_DMA, 0x3B71);
        assert_eq!(VFIO_IOMMU_UNMAP_DMA, 0x3B72);
    }
}
