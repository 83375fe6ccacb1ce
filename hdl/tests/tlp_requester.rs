//! The TLP adapter's requester in rust-hdl's simulator, with the transmitter and the
//! receiver played by the test: an engine read that misses asks the link for the rest of
//! its 4 KiB page (at most 128 bytes) with a new tag and is answered from the completions;
//! later reads inside that line are answered without a link read; an engine write into the
//! line, a BAR0 write, or a completion with an error status drops it; a failed read is
//! answered with `mem_rsp_error`; nothing is taken while bus mastering is off.

use std::collections::{HashMap, VecDeque};

use memfire_hdl::bridges::tlp::requester::TlpRequester;
use memfire_hdl::testbench::{cycle, settle};
use memfire_spec::tlp::{MAX_READ_BYTES, PAGE_BYTES};
use rust_hdl::prelude::*;

/// What the receiver hands the requester in one cycle.
enum Beat {
    Word(u64, u64),
    Done { error: bool },
}

struct Bench {
    uut: TlpRequester,
    host: HashMap<u64, u64>,
    /// Read requests sent over the link: (address, length in DWs, tag).
    link_reads: Vec<(u64, u64, u64)>,
    link_writes: Vec<(u64, u64)>,
    beats: VecDeque<Beat>,
    /// The next read's completion carries an error status.
    fail_next: bool,
}

impl Bench {
    fn new() -> Bench {
        let mut uut = TlpRequester::default();
        uut.connect_all();
        uut.cfg_bus_master.next = true;
        Bench {
            uut,
            host: HashMap::new(),
            link_reads: Vec::new(),
            link_writes: Vec::new(),
            beats: VecDeque::new(),
            fail_next: false,
        }
    }

    fn word(addr: u64) -> u64 {
        addr.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x5555
    }

    /// One clock, playing the transmitter (sends what is pending, one packet a cycle) and
    /// the receiver (one beat of the completions a cycle). Returns whether the engine's
    /// request was taken at this edge and the read response shown in this cycle.
    fn tick(&mut self) -> (bool, Option<(u64, bool)>) {
        let u = &mut self.uut;
        u.line_we.next = false;
        u.cpl_done.next = false;
        u.cpl_error.next = false;
        u.write_sent.next = false;
        u.read_sent.next = false;
        match self.beats.pop_front() {
            Some(Beat::Word(i, data)) => {
                u.line_we.next = true;
                u.line_waddr.next = i.into();
                u.line_wdata.next = data.into();
            }
            Some(Beat::Done { error }) => {
                u.cpl_done.next = true;
                u.cpl_error.next = error;
            }
            None => {}
        }
        settle(u).expect("settles");
        if u.write_pending.val() {
            let (addr, data) = (u.write_addr.val().to_u64(), u.write_data.val().to_u64());
            self.link_writes.push((addr, data));
            self.host.insert(addr, data);
            u.write_sent.next = true;
        } else if u.read_pending.val() {
            let (addr, len_dw, tag) = (
                u.read_addr.val().to_u64(),
                u.read_len_dw.val().to_u64(),
                u.read_tag.val().to_u64(),
            );
            self.link_reads.push((addr, len_dw, tag));
            u.read_sent.next = true;
            for i in 0..len_dw / 2 {
                self.beats.push_back(Beat::Word(i, Self::word(addr + 8 * i)));
            }
            self.beats.push_back(Beat::Done { error: self.fail_next });
            self.fail_next = false;
        }
        settle(u).expect("settles");
        let taken = u.mem_req_valid.val() && u.mem_req_ready.val();
        let rsp = u
            .mem_rsp_valid
            .val()
            .then(|| (u.mem_rsp_data.val().to_u64(), u.mem_rsp_error.val()));
        cycle(u, |u| &mut u.clock).expect("settles");
        (taken, rsp)
    }

    /// The engine's request, held until taken; a read waits for its answer.
    fn request(&mut self, write: bool, addr: u64, data: u64) -> Option<(u64, bool)> {
        self.uut.mem_req_valid.next = true;
        self.uut.mem_req_write.next = write;
        self.uut.mem_req_addr.next = addr.into();
        self.uut.mem_req_wdata.next = data.into();
        let mut taken = false;
        for _ in 0..50 {
            taken = self.tick().0;
            if taken {
                break;
            }
        }
        self.uut.mem_req_valid.next = false;
        assert!(taken, "request at {addr:#x} taken");
        if write {
            return None;
        }
        (0..200).find_map(|_| self.tick().1)
    }

    fn read(&mut self, addr: u64) -> (u64, bool) {
        self.request(false, addr, 0).expect("a read is answered")
    }
}

#[test]
fn a_missed_read_fetches_to_the_page_end_and_later_reads_hit_the_line() {
    let mut b = Bench::new();
    // 16 bytes before a page boundary: the link read stops at the page.
    let near_end = 0x1_0000_0000 + PAGE_BYTES - 16;
    assert_eq!(b.read(near_end), (Bench::word(near_end), false));
    assert_eq!(b.link_reads, vec![(near_end, 4, 1)], "4 DWs to the page end, tag 1");
    // A whole line: MAX_READ_BYTES from here, and every word of it without another read.
    let base = 0x2000_0000;
    assert_eq!(b.read(base), (Bench::word(base), false));
    assert_eq!(b.link_reads.last(), Some(&(base, MAX_READ_BYTES / 4, 2)));
    for off in (8..MAX_READ_BYTES).step_by(8) {
        assert_eq!(b.read(base + off), (Bench::word(base + off), false), "word at +{off}");
    }
    assert_eq!(b.link_reads.len(), 2, "the line answered every read inside it");
    b.read(base + MAX_READ_BYTES);
    assert_eq!(b.link_reads.len(), 3, "past the line: a new read");
}

#[test]
fn writes_into_the_line_and_bar0_writes_drop_it() {
    let mut b = Bench::new();
    let base = 0x3000_0000;
    b.read(base);
    b.request(true, base + 8, 0xDEAD);
    for _ in 0..5 {
        b.tick();
    }
    assert_eq!(b.link_writes, vec![(base + 8, 0xDEAD)], "the write went to the link");
    b.read(base + 16);
    assert_eq!(b.link_reads.len(), 2, "a write into the line dropped it");
    b.read(base + 24);
    assert_eq!(b.link_reads.len(), 2, "the new line answers");
    b.uut.bus_write.next = true;
    b.tick();
    b.uut.bus_write.next = false;
    b.read(base + 32);
    assert_eq!(b.link_reads.len(), 3, "a BAR0 write dropped the line");
}

#[test]
fn a_failed_completion_answers_with_an_error_and_keeps_no_line() {
    let mut b = Bench::new();
    let base = 0x4000_0000;
    b.fail_next = true;
    assert!(b.read(base).1, "mem_rsp_error");
    assert!(!b.read(base + 8).1, "retried over the link");
    assert_eq!(b.link_reads.len(), 2, "no line was kept from the failed read");
}

#[test]
fn nothing_is_taken_while_bus_mastering_is_off() {
    let mut b = Bench::new();
    b.uut.cfg_bus_master.next = false;
    b.uut.mem_req_valid.next = true;
    b.uut.mem_req_addr.next = 0x5000_0000u64.into();
    for _ in 0..30 {
        assert!(!b.tick().0, "taken without bus mastering");
    }
    assert!(b.link_reads.is_empty());
    b.uut.cfg_bus_master.next = true;
    b.uut.mem_req_valid.next = false;
    assert!(!b.read(0x5000_0000).1, "served once bus mastering is on");
}
