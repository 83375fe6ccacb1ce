//! The VFIO layer, for real, against QEMU's `edu` PCI device inside a guest with an emulated
//! IOMMU (scripts/vfio-qemu-test.sh boots it): open through container/group/device, map BAR0,
//! check the ID and liveness registers, compute a factorial, DMA a buffer to the device and
//! back through the IOMMU, and receive the DMA-done MSI through an eventfd. Then the same
//! through the driver's `VfioBackend` (the `Bus` every memfire board is driven by): DMA
//! buffers from `dma_alloc`, filled and read with `dma_write`/`dma_read`, the interrupt with
//! `wait_irq`.
//! Prints `VFIO-EDU-OK` on success and `VFIO-EDU-FAIL: <why>` otherwise.
//!
//!     vfio_edu <pci address>

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context, Result};
use memfire_host::bus::Bus;
use memfire_host::vfio::{Bar, Sysfs, VfioBackend, VfioDevice};

// edu registers (QEMU docs/specs/edu.rst).
const ID: usize = 0x00;
const LIVENESS: usize = 0x04;
const FACTORIAL: usize = 0x08;
const STATUS: usize = 0x20;
const IRQ_STATUS: usize = 0x24;
const IRQ_ACK: usize = 0x64;
const DMA_SRC: usize = 0x80;
const DMA_DST: usize = 0x88;
const DMA_COUNT: usize = 0x90;
const DMA_CMD: usize = 0x98;
/// The device's internal DMA buffer, as a DMA address.
const EDU_BUFFER: u64 = 0x40000;
/// QEMU 7.2's edu aborts on a 4096-byte transfer; 2048 works.
const LEN: usize = 2048;

/// A 64-bit edu register as two 32-bit writes, through whichever access the caller has (the
/// raw BAR mapping, or the driver's word bus).
fn write64(mut write32: impl FnMut(usize, u32) -> Result<()>, off: usize, v: u64) -> Result<()> {
    write32(off, v as u32)?;
    write32(off + 4, (v >> 32) as u32)
}

fn bar_write(bar: &mut Bar) -> impl FnMut(usize, u32) -> Result<()> + '_ {
    |off, v| Ok(bar.write32(off, v)?)
}

/// The backend's bus is word-addressed: word = byte offset / 4.
fn bus_write(b: &mut VfioBackend) -> impl FnMut(usize, u32) -> Result<()> + '_ {
    |off, v| Ok(b.write32((off / 4) as u32, v)?)
}

/// Poll a register until `mask` clears, at most 5 s.
fn wait_clear(mut read32: impl FnMut() -> Result<u32>, mask: u32, what: &str) -> Result<()> {
    let start = Instant::now();
    while read32()? & mask != 0 {
        ensure!(
            start.elapsed() < Duration::from_secs(5),
            "{what} did not finish within 5 s"
        );
        std::thread::yield_now();
    }
    Ok(())
}

fn run(address: &str) -> Result<()> {
    let dev = VfioDevice::open(address, &Sysfs::default(), Path::new("/dev/vfio")).context("open")?;
    println!("opened {address}: {} regions, {} irqs", dev.regions, dev.irqs);
    let mut bar = dev.map_bar(0).context("map BAR0")?;
    let id = bar.read32(ID)?;
    ensure!(id & 0xFFFF == 0x00ED, "ID register reads {id:#x}, not an edu device");
    bar.write32(LIVENESS, 0x1234_5678)?;
    ensure!(
        bar.read32(LIVENESS)? == !0x1234_5678u32,
        "liveness register did not invert"
    );
    bar.write32(FACTORIAL, 10)?;
    wait_clear(|| Ok(bar.read32(STATUS)?), 1, "factorial")?;
    ensure!(
        bar.read32(FACTORIAL)? == 3_628_800,
        "10! came back as {}",
        bar.read32(FACTORIAL)?
    );
    println!("BAR0: id {id:#x}, liveness and factorial ok");

    dev.enable_bus_master().context("enable bus mastering")?;
    let msi = dev.enable_msi().context("enable MSI")?;
    bar.write32(STATUS, 0x80)?; // raise an interrupt when a factorial completes
    let mut out = dev.dma_buffer(LEN, 0x10_0000).context("DMA buffer out")?;
    let back = dev.dma_buffer(LEN, 0x20_0000).context("DMA buffer back")?;
    for (i, b) in out.as_mut_slice()[..LEN].iter_mut().enumerate() {
        *b = (i * 7 + 3) as u8;
    }
    // RAM -> device, then device -> RAM, the second with "raise interrupt when done".
    write64(bar_write(&mut bar), DMA_SRC, out.iova())?;
    write64(bar_write(&mut bar), DMA_DST, EDU_BUFFER)?;
    write64(bar_write(&mut bar), DMA_COUNT, LEN as u64)?;
    write64(bar_write(&mut bar), DMA_CMD, 0x1)?;
    wait_clear(|| Ok(bar.read32(DMA_CMD)?), 1, "DMA to the device")?;
    write64(bar_write(&mut bar), DMA_SRC, EDU_BUFFER)?;
    write64(bar_write(&mut bar), DMA_DST, back.iova())?;
    write64(bar_write(&mut bar), DMA_COUNT, LEN as u64)?;
    write64(bar_write(&mut bar), DMA_CMD, 0x1 | 0x2 | 0x4)?;
    // The interrupt arrives through the eventfd, awaited on tokio's reactor.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("tokio runtime")?;
    let n = rt
        .block_on(msi.wait_async(Duration::from_secs(5)))
        .context("wait for the MSI")?;
    ensure!(
        n > 0,
        "no MSI within 5 s after the DMA (IRQ_STATUS = {:#x})",
        bar.read32(IRQ_STATUS)?
    );
    let status = bar.read32(IRQ_STATUS)?;
    bar.write32(IRQ_ACK, status)?;
    wait_clear(|| Ok(bar.read32(DMA_CMD)?), 1, "DMA back to RAM")?;
    if back.as_slice()[..LEN] != out.as_slice()[..LEN] {
        let first = (0..LEN).find(|&i| back.as_slice()[i] != out.as_slice()[i]).unwrap_or(0);
        bail!("DMA round trip corrupted byte {first}");
    }
    println!("DMA: {LEN} bytes to the device and back through the IOMMU, MSI {n}x via tokio (status {status:#x})");
    dev.disable_msi()?;
    match dev.reset() {
        Ok(()) => println!("reset: ok"),
        Err(e) => println!("reset: not supported by this device ({e})"),
    }
    drop((out, back));
    Ok(())
}

/// The DMA round trip again, through the driver's backend interface.
fn run_backend(address: &str) -> Result<()> {
    // The memfire backend refuses a device whose ID register is not a memfire core's...
    match VfioBackend::open(address) {
        Err(memfire_host::vfio::VfioError::NotMemfire { id, .. }) => {
            println!("backend: refused as not a memfire board (ID {id:#x}), nothing enabled")
        }
        Err(e) => bail!("the edu device should be refused by its ID, not: {e}"),
        Ok(_) => bail!("the edu device was taken for a memfire board"),
    }
    // ...and drives any device as a bus without that check.
    let mut b = VfioBackend::open_any(address).context("open as a driver backend")?;
    let out = b.dma_alloc(LEN)?.context("the VFIO backend offers DMA memory")?;
    let back = b.dma_alloc(LEN)?.context("the VFIO backend offers DMA memory")?;
    let data: Vec<u8> = (0..LEN).map(|i| (i * 13 + 1) as u8).collect();
    b.dma_write(&out, 0, &data)?;
    write64(bus_write(&mut b), DMA_SRC, out.iova)?;
    write64(bus_write(&mut b), DMA_DST, EDU_BUFFER)?;
    write64(bus_write(&mut b), DMA_COUNT, LEN as u64)?;
    write64(bus_write(&mut b), DMA_CMD, 0x1)?;
    wait_clear(|| Ok(b.read32((DMA_CMD / 4) as u32)?), 1, "backend DMA to the device")?;
    write64(bus_write(&mut b), DMA_SRC, EDU_BUFFER)?;
    write64(bus_write(&mut b), DMA_DST, back.iova)?;
    write64(bus_write(&mut b), DMA_COUNT, LEN as u64)?;
    write64(bus_write(&mut b), DMA_CMD, 0x1 | 0x2 | 0x4)?;
    ensure!(b.wait_irq(Duration::from_secs(5))?, "backend: no interrupt within 5 s");
    let status = b.read32((IRQ_STATUS / 4) as u32)?;
    b.write32((IRQ_ACK / 4) as u32, status)?;
    wait_clear(|| Ok(b.read32((DMA_CMD / 4) as u32)?), 1, "backend DMA back to RAM")?;
    let mut got = vec![0u8; LEN];
    b.dma_read(&back, 0, &mut got)?;
    ensure!(got == data, "backend DMA round trip corrupted the data");
    let past_end = b.dma_read(&back, LEN - 4, &mut [0u8; 8]);
    ensure!(past_end.is_err(), "a read past a DMA buffer's end must be an error");
    println!(
        "backend: {LEN} bytes out of iova {:#x} and back into {:#x}, interrupt via wait_irq (status {status:#x})",
        out.iova, back.iova
    );
    Ok(())
}

fn main() {
    let Some(address) = std::env::args().nth(1) else {
        println!("VFIO-EDU-FAIL: usage: vfio_edu <pci address>");
        std::process::exit(2);
    };
    match run(&address).and_then(|()| run_backend(&address)) {
        Ok(()) => println!("VFIO-EDU-OK"),
        Err(e) => {
            println!("VFIO-EDU-FAIL: {e:#}");
            std::process::exit(1);
        }
    }
}
