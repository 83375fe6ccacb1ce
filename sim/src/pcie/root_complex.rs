//! A PCI Express root complex at the transaction layer, played against the verilated TLP
//! adapter cycle by cycle: it stands where the 7-series integrated block and the host sit.
//!
//! - **Host memory** is one byte array seen by the device at `iova_base`; only the pages of
//!   buffers the driver allocated are mapped (an IOMMU's granularity). A read of an unmapped
//!   page is completed "unsupported request"; a write to one is dropped and logged, as a
//!   DMA-remapping fault would be.
//! - **Reads from the device** get completions after a random latency, split at random
//!   read-completion-boundary crossings (every piece but the last ends on an RCB boundary,
//!   pieces in address order), as root complexes do.
//! - **Requests to the device**: BAR0 memory reads and posted writes, queued in order
//!   (a posted write never passes an earlier one); completions come back to `bar_reads`.
//! - **MSI**: `cfg_interrupt` is acknowledged with `cfg_interrupt_rdy` after a few cycles and
//!   counted, as the integrated block does when MSI is enabled.
//! - **Random backpressure** both ways: gaps between beats to the device, and cycles in
//!   which the link does not take the device's beats.
//!
//! Every packet the device sends is checked against the rules PCIe sets (format, length
//! against payload, byte enables, 4 KiB crossings, 32-bit format below 4 GiB, our requester
//! ID, bus mastering enabled); a violation is recorded in `violations`, never ignored.

use std::collections::VecDeque;

use memfire_spec::generate::Gen;
use memfire_spec::tlp::{self, fmt_type, status};

use crate::ffi::{PcieIn, PcieModel};

/// The root complex's own ID (bus 0, device 0, function 0).
pub const RC_ID: u16 = 0;
/// The device's ID as the host enumerated it.
pub const DEVICE_ID: u16 = tlp::id(3, 0, 0);
/// Where the host placed BAR0 (32-bit, 128 MiB).
pub const BAR0_BASE: u32 = 0xF000_0000;
/// BAR0's size: the core's 25-bit word space.
pub const BAR0_BYTES: u32 = 1 << 27;

/// How the root complex behaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RcOptions {
    pub seed: u64,
    /// Read completion boundary (64 or 128 bytes).
    pub rcb: u64,
    /// Cycles from a device's read request to its first completion, drawn per request.
    pub read_latency: (u32, u32),
    /// Chance per mille that the link takes the device's beat in a cycle.
    pub tx_ready_permille: u32,
    /// Chance per mille of an idle cycle before each beat towards the device.
    pub rx_gap_permille: u32,
    /// Whether the host enabled bus mastering (DMA) in the command register.
    pub bus_master: bool,
    /// Whether the host enabled MSI.
    pub msi: bool,
    /// The core's clock period in picoseconds; the link's user clock is
    /// [`LINK_CLOCK_PS`] (62.5 MHz). The clock crossing between them takes any ratio.
    pub core_clock_ps: u32,
}

/// The integrated block's user clock period, ps: 62.5 MHz (Gen2 x1, 64-bit interface).
pub const LINK_CLOCK_PS: u32 = 16_000;

/// The LiteFury image's core clock period, ps: 125 MHz from the MMCM.
pub const CORE_CLOCK_PS: u32 = 8_000;

impl Default for RcOptions {
    fn default() -> Self {
        RcOptions {
            seed: 1,
            rcb: 64,
            read_latency: (20, 60),
            tx_ready_permille: 1000,
            rx_gap_permille: 0,
            bus_master: true,
            msi: true,
            core_clock_ps: CORE_CLOCK_PS,
        }
    }
}

/// One beat towards the device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Beat {
    data: u64,
    keep: u8,
    last: bool,
    bar0: bool,
}

/// A completion of a BAR0 read: the word, or the completion status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BarReply {
    Word(u32),
    Status(u8),
}

/// Counts of what crossed the link.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LinkStats {
    pub dma_reads: u64,
    pub dma_read_bytes: u64,
    pub completions: u64,
    /// Reads answered in more than one completion.
    pub split_reads: u64,
    pub dma_writes: u64,
    pub dma_write_bytes: u64,
    /// Memory writes with a 4 DW header (addresses above 4 GiB).
    pub writes_64: u64,
    pub msis: u64,
    /// Device reads that got no completion (see `RootComplex::unanswered_reads`).
    pub unanswered_reads: u64,
}

/// The root complex and the device it talks to.
#[derive(Debug)]
pub struct RootComplex {
    model: PcieModel,
    pub options: RcOptions,
    rng: Gen,
    /// Host memory; byte `i` is at bus address `iova_base + i`.
    pub memory: Vec<u8>,
    pub iova_base: u64,
    /// Mapped byte ranges of `memory` (page-aligned starts, lengths rounded up to pages).
    mapped: Vec<(usize, usize)>,
    to_device: VecDeque<Beat>,
    /// Completions waiting for their time: (cycle due, beats).
    delayed: VecDeque<(u64, Vec<Beat>)>,
    from_device: Vec<u32>,
    next_tag: u8,
    /// Replies to BAR0 reads, by tag.
    pub bar_reads: VecDeque<(u8, BarReply)>,
    msi_rdy_in: u32,
    pub msi_count: u64,
    /// Whether the device's interrupt line is high (for an LED; the host sees MSIs).
    pub irq_line: bool,
    pub stats: LinkStats,
    /// Rule violations by the device, in order.
    pub violations: Vec<String>,
    /// DMA faults: (write?, bus address) of accesses to unmapped pages.
    pub faults: Vec<(bool, u64)>,
    /// The next this many device reads get no completion at all (a completion lost on the
    /// way, a host bridge that never answers): the device's completion timeout must act.
    pub unanswered_reads: u32,
}

impl RootComplex {
    pub fn new(options: RcOptions, iova_base: u64) -> RootComplex {
        let rng = Gen::new(options.seed, 0x7C1E);
        RootComplex {
            model: PcieModel::new(LINK_CLOCK_PS, options.core_clock_ps),
            options,
            rng,
            memory: Vec::new(),
            iova_base,
            mapped: Vec::new(),
            to_device: VecDeque::new(),
            delayed: VecDeque::new(),
            from_device: Vec::new(),
            next_tag: 0,
            bar_reads: VecDeque::new(),
            msi_rdy_in: 0,
            msi_count: 0,
            irq_line: false,
            stats: LinkStats::default(),
            violations: Vec::new(),
            faults: Vec::new(),
            unanswered_reads: 0,
        }
    }

    pub fn cycles(&mut self) -> u64 {
        self.model.cycles()
    }

    /// Map `len` more bytes of host memory (page-aligned); returns their offset in `memory`.
    pub fn map(&mut self, len: usize) -> usize {
        let start = self.memory.len().next_multiple_of(tlp::PAGE_BYTES as usize);
        let mapped = len.max(1).next_multiple_of(tlp::PAGE_BYTES as usize);
        self.memory.resize(start + mapped, 0);
        self.mapped.push((start, mapped));
        start
    }

    /// Packets queued towards the device and not yet taken.
    pub fn backlog(&self) -> usize {
        self.to_device.len()
    }

    /// Queue a BAR0 read of the word at byte offset `offset`; returns its tag.
    pub fn bar_read(&mut self, offset: u32) -> u8 {
        self.bar_read_dws(offset, 1)
    }

    /// Queue a BAR0 read of `len` DWs (the device serves only 1; longer reads must be
    /// answered "unsupported request").
    pub fn bar_read_dws(&mut self, offset: u32, len: u16) -> u8 {
        let tag = self.next_tag;
        self.next_tag = self.next_tag.wrapping_add(1);
        let dws = [
            tlp::dw0(fmt_type::MRD32, 0, 0, len),
            tlp::request_dw1(RC_ID, tag, if len > 1 { 0xF } else { 0 }, 0xF),
            BAR0_BASE + offset,
        ];
        self.queue(&dws, true);
        tag
    }

    /// Queue posted BAR0 writes of `words` from byte offset `offset`: one or two DWs per
    /// packet, as a CPU's 32- and 64-bit stores make them.
    pub fn bar_write(&mut self, offset: u32, words: &[u32]) {
        let mut i = 0;
        while i < words.len() {
            let two = i + 1 < words.len() && self.rng.below(2) == 1;
            let n = if two { 2 } else { 1 };
            let mut dws = vec![
                tlp::dw0(fmt_type::MWR32, 0, 0, n as u16),
                tlp::request_dw1(RC_ID, 0, if two { 0xF } else { 0 }, 0xF),
                BAR0_BASE + offset + 4 * i as u32,
            ];
            dws.extend(words[i..i + n].iter().map(|w| tlp::payload_dw(w.to_le_bytes())));
            self.queue(&dws, true);
            i += n;
        }
    }

    fn queue(&mut self, dws: &[u32], bar0: bool) {
        let beats = beats_of(dws, bar0);
        self.to_device.extend(beats);
    }

    /// One clock cycle of the link.
    pub fn tick(&mut self) {
        let now = self.model.cycles();
        while self.delayed.front().is_some_and(|(due, _)| *due <= now) {
            if let Some((_, beats)) = self.delayed.pop_front() {
                self.to_device.extend(beats);
            }
        }
        let gap = self.options.rx_gap_permille > 0 && self.rng.below(1000) < self.options.rx_gap_permille;
        let beat = if gap { None } else { self.to_device.front().copied() };
        let tx_ready = self.options.tx_ready_permille >= 1000 || self.rng.below(1000) < self.options.tx_ready_permille;
        let rdy = self.msi_rdy_in == 1;
        let input = PcieIn {
            rx_tdata: beat.map_or(0, |b| b.data),
            cfg_id: DEVICE_ID,
            rx_tkeep: beat.map_or(0, |b| b.keep),
            rx_tlast: beat.is_some_and(|b| b.last) as u8,
            rx_tvalid: beat.is_some() as u8,
            rx_bar0: beat.is_some_and(|b| b.bar0) as u8,
            tx_tready: tx_ready as u8,
            cfg_bus_master: self.options.bus_master as u8,
            cfg_msi_enable: self.options.msi as u8,
            cfg_interrupt_rdy: rdy as u8,
            pad: [0; 6],
        };
        let out = self.model.tick(&input);
        self.irq_line = out.irq != 0;
        if beat.is_some() && out.rx_tready != 0 {
            self.to_device.pop_front();
        }
        // MSI: acknowledge a request a few cycles after it shows.
        if rdy {
            self.msi_count += 1;
            self.stats.msis += 1;
            self.msi_rdy_in = 0;
        } else if self.msi_rdy_in > 1 {
            self.msi_rdy_in -= 1;
        } else if out.cfg_interrupt != 0 && self.msi_rdy_in == 0 {
            if !self.options.msi {
                self.violations
                    .push("cfg_interrupt raised while MSI is disabled".into());
            }
            self.msi_rdy_in = 2 + self.rng.below(4);
        }
        if out.tx_tvalid != 0 && tx_ready {
            self.take_beat(out.tx_tdata, out.tx_tkeep, out.tx_tlast != 0);
        }
    }

    fn take_beat(&mut self, data: u64, keep: u8, last: bool) {
        match (keep, last) {
            (0xFF, _) => {
                self.from_device.push(data as u32);
                self.from_device.push((data >> 32) as u32);
            }
            (0x0F, true) => self.from_device.push(data as u32),
            _ => {
                self.violations.push(format!(
                    "beat with tkeep {keep:#04x}{}: only 0xFF, or 0x0F on a packet's last beat, are valid",
                    if last { " (last)" } else { "" }
                ));
                self.from_device.push(data as u32);
            }
        }
        if last {
            let dws = std::mem::take(&mut self.from_device);
            self.packet(&dws);
        }
    }

    /// A whole packet from the device.
    fn packet(&mut self, dws: &[u32]) {
        let Some(&dw0) = dws.first() else { return };
        let ft = tlp::fmt_type_of(dw0);
        let hdr = if tlp::four_dw(ft) { 4 } else { 3 };
        if dws.len() < hdr {
            self.violations
                .push(format!("packet of {} DWs is shorter than its header", dws.len()));
            return;
        }
        let len = usize::from(tlp::length_of(dw0));
        let payload = &dws[hdr..];
        let expect = if tlp::has_data(ft) { len } else { 0 };
        if payload.len() != expect {
            self.violations.push(format!(
                "packet {ft:#04x} says {len} DWs but carries {} payload DWs",
                payload.len()
            ));
            return;
        }
        match ft {
            fmt_type::MWR32 | fmt_type::MWR64 | fmt_type::MRD32 | fmt_type::MRD64 => self.request(ft, dws, len),
            fmt_type::CPL | fmt_type::CPLD => self.bar_completion(dws, payload),
            other => self
                .violations
                .push(format!("unexpected packet type {other:#04x} from the device")),
        }
    }

    /// A memory read or write by the device (DMA).
    fn request(&mut self, ft: u8, dws: &[u32], len: usize) {
        let requester = (dws[1] >> 16) as u16;
        let tag = (dws[1] >> 8) as u8;
        let last_be = (dws[1] >> 4) & 0xF;
        let first_be = dws[1] & 0xF;
        let addr = if tlp::four_dw(ft) {
            (u64::from(dws[2]) << 32) | u64::from(dws[3] & !3)
        } else {
            u64::from(dws[2] & !3)
        };
        let bytes = 4 * len as u64;
        if requester != DEVICE_ID {
            self.violations.push(format!(
                "request with requester ID {requester:#06x}, not the device's {DEVICE_ID:#06x}"
            ));
        }
        if !self.options.bus_master {
            self.violations
                .push(format!("memory request to {addr:#x} while bus mastering is disabled"));
        }
        if tlp::four_dw(ft) && addr >> 32 == 0 {
            self.violations
                .push(format!("4 DW header for address {addr:#x} below 4 GiB"));
        }
        if addr / tlp::PAGE_BYTES != (addr + bytes - 1) / tlp::PAGE_BYTES {
            self.violations
                .push(format!("request {addr:#x}+{bytes} crosses a 4 KiB boundary"));
        }
        if first_be != 0xF || last_be != if len == 1 { 0 } else { 0xF } {
            self.violations.push(format!(
                "byte enables {first_be:#x}/{last_be:#x} for a {len} DW request"
            ));
        }
        if tlp::has_data(ft) {
            self.stats.dma_writes += 1;
            self.stats.dma_write_bytes += bytes;
            if tlp::four_dw(ft) {
                self.stats.writes_64 += 1;
            }
            let data: Vec<u8> = dws[dws.len() - len..].iter().flat_map(|d| d.to_be_bytes()).collect();
            match self.host_range(addr, data.len()) {
                Some(r) => self.memory[r].copy_from_slice(&data),
                None => self.faults.push((true, addr)),
            }
        } else {
            self.stats.dma_reads += 1;
            self.stats.dma_read_bytes += bytes;
            if bytes > tlp::MAX_READ_BYTES {
                self.violations
                    .push(format!("read of {bytes} bytes exceeds Max_Read_Request_Size"));
            }
            if self.unanswered_reads > 0 {
                self.unanswered_reads -= 1;
                self.stats.unanswered_reads += 1;
                return;
            }
            self.complete_read(requester, tag, addr, bytes as usize);
        }
    }

    /// Answer a device read: UR for an unmapped page, else completions split at RCB
    /// boundaries chosen at random.
    fn complete_read(&mut self, requester: u16, tag: u8, addr: u64, bytes: usize) {
        let (lo, hi) = self.options.read_latency;
        let mut due = self.model.cycles() + u64::from(lo) + u64::from(self.rng.below(hi.saturating_sub(lo) + 1));
        let Some(range) = self.host_range(addr, bytes) else {
            self.faults.push((false, addr));
            let dws = [
                tlp::dw0(fmt_type::CPL, 0, 0, 0),
                tlp::completion_dw1(RC_ID, status::UR, bytes as u16),
                tlp::completion_dw2(requester, tag, (addr & 0x7F) as u8),
            ];
            self.delayed.push_back((due, beats_of(&dws, false)));
            self.stats.completions += 1;
            return;
        };
        let data = self.memory[range].to_vec();
        let mut done = 0usize;
        let mut pieces = 0;
        while done < bytes {
            let at = addr + done as u64;
            // End this piece at the next RCB boundary, or (by chance) at a later one.
            let mut end = ((at / self.options.rcb) + 1) * self.options.rcb;
            while end < addr + bytes as u64 && self.rng.below(2) == 1 {
                end += self.options.rcb;
            }
            let end = end.min(addr + bytes as u64);
            let n = (end - at) as usize;
            let mut dws = vec![
                tlp::dw0(fmt_type::CPLD, 0, 0, (n / 4) as u16),
                tlp::completion_dw1(RC_ID, status::SC, (bytes - done) as u16),
                tlp::completion_dw2(requester, tag, (at & 0x7F) as u8),
            ];
            dws.extend(
                data[done..done + n]
                    .chunks(4)
                    .map(|c| tlp::payload_dw([c[0], c[1], c[2], c[3]])),
            );
            self.delayed.push_back((due, beats_of(&dws, false)));
            due += 1 + u64::from(self.rng.below(8));
            done += n;
            pieces += 1;
            self.stats.completions += 1;
        }
        if pieces > 1 {
            self.stats.split_reads += 1;
        }
    }

    /// A completion for one of our BAR0 reads.
    fn bar_completion(&mut self, dws: &[u32], payload: &[u32]) {
        let completer = (dws[1] >> 16) as u16;
        let st = ((dws[1] >> 13) & 7) as u8;
        let byte_count = dws[1] & 0xFFF;
        let requester = (dws[2] >> 16) as u16;
        let tag = (dws[2] >> 8) as u8;
        if completer != DEVICE_ID || requester != RC_ID {
            self.violations.push(format!(
                "completion from {completer:#06x} for {requester:#06x}: expected {DEVICE_ID:#06x} for {RC_ID:#06x}"
            ));
        }
        if byte_count != 4 {
            self.violations
                .push(format!("completion of a 4-byte read says {byte_count} bytes remain"));
        }
        let reply = match (st, payload) {
            (status::SC, [dw]) => BarReply::Word(u32::from_le_bytes(dw.to_be_bytes())),
            (status::SC, _) => {
                self.violations
                    .push("successful completion without exactly one data DW".into());
                BarReply::Status(status::CA)
            }
            (other, _) => BarReply::Status(other),
        };
        self.bar_reads.push_back((tag, reply));
    }

    /// Bytes of `memory` at bus address `addr`, if every byte is on a mapped page.
    fn host_range(&self, addr: u64, len: usize) -> Option<std::ops::Range<usize>> {
        let start = usize::try_from(addr.checked_sub(self.iova_base)?).ok()?;
        let end = start.checked_add(len)?;
        self.mapped
            .iter()
            .any(|&(s, l)| start >= s && end <= s + l)
            .then_some(start..end)
    }
}

/// A packet's DWs as beats: two DWs per beat, the first in the low half.
fn beats_of(dws: &[u32], bar0: bool) -> Vec<Beat> {
    let n = dws.chunks(2).len();
    dws.chunks(2)
        .enumerate()
        .map(|(i, c)| Beat {
            data: u64::from(c[0]) | c.get(1).map_or(0, |&h| u64::from(h) << 32),
            keep: if c.len() == 2 { 0xFF } else { 0x0F },
            last: i + 1 == n,
            bar0,
        })
        .collect()
}
