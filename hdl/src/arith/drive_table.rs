//! `DriveTable`: the drive-law table of all parameter sets (`set · 1024 + index`, 17-bit
//! entries), one block RAM per set, each read registered before the set's entry is chosen.
//!
//! Why banks: as one 16 Ki × 17 memory, synthesis cascades eight block RAMs deep and puts
//! a 3-level multiplexer behind their outputs; an ECP5 DP16KD's output comes 5.8 ns after
//! the clock (yosys does not use its output register), so the RAMs, the multiplexer and
//! the routing between RAMs spread over the die do not fit one cycle. A bank per set is one
//! DP16KD (1 K × 18) each, the same count, and its output goes straight into a register;
//! the choice among the registers has the next cycle.
//!
//! A core may have fewer parameter sets than the 16 the set numbers address
//! (`with_sets`): the banks of the others are never written and never chosen, so synthesis
//! drops them, and a board's block RAM goes to synapses instead.
//!
//! The host's writes are registered beside the banks (`w_*`) and reach a bank's port a cycle
//! later: the write's decode then ends at a register, and the bank's address multiplexer
//! (its port A takes the write's address while it writes) starts at one, so neither shares
//! a cycle with the route from the bus, which on a core of many lanes crosses the die.
//! Tables are written only while the lanes are idle, so the cycle is never seen.
//!
//! Two lanes read one table: port A (`set`, `index`, `entry`) for its own lane, port B
//! (`set_b`, `index_b`, `entry_b`) for its neighbour, through each bank's two block-RAM
//! ports (`DualReadRam`). The neighbour's own table is `absent`: no banks.

use memfire_spec::coef_words::HW_PARAM_SETS;
use memfire_spec::tables::DRIVE_ENTRIES;
use rust_hdl::prelude::*;

use super::dual_read_ram::DualReadRam;

// A bank per parameter set, addressed by a 4-bit set number; 1024 entries a bank (10-bit
// index); the host's `set · 1024 + index` is 14 bits.
const _: () = assert!(HW_PARAM_SETS == 1 << 4 && DRIVE_ENTRIES == 1 << 10);

/// Rising edges from `set`/`index` to `entry`.
pub const DRIVE_LATENCY: usize = 2;

#[derive(LogicBlock)]
pub struct DriveTable {
    pub clock: Signal<In, Clock>,
    /// Entry `set · 1024 + index` is read; it shows on `entry` two rising edges later.
    pub set: Signal<In, Bits<4>>,
    pub index: Signal<In, Bits<10>>,
    /// UQ.(the set's drive shift), 17 bits.
    pub entry: Signal<Out, Bits<17>>,
    /// The same for the lane that shares this table.
    pub set_b: Signal<In, Bits<4>>,
    pub index_b: Signal<In, Bits<10>>,
    pub entry_b: Signal<Out, Bits<17>>,
    /// Host write: `addr = set · 1024 + index`; the entry is in its bank a cycle after the
    /// next rising edge.
    pub we: Signal<In, Bit>,
    pub addr: Signal<In, Bits<14>>,
    pub data: Signal<In, Bits<17>>,
    banks: [DualReadRam<10, 17>; HW_PARAM_SETS],
    /// The host's write, registered: each bank's enable, the index and the entry.
    w_en: [DFF<Bit>; HW_PARAM_SETS],
    w_index: DFF<Bits<10>>,
    w_data: DFF<Bits<17>>,
    bank_q: [DFF<Bits<17>>; HW_PARAM_SETS],
    bank_qb: [DFF<Bits<17>>; HW_PARAM_SETS],
    bank_id: [Constant<Bits<4>>; HW_PARAM_SETS],
    /// The set has a bank (see `with_sets`).
    present: [Constant<Bit>; HW_PARAM_SETS],
    /// The set, delayed to the cycle its bank's register holds the entry (ports A, B).
    set_q: DFF<Bits<4>>,
    set_qq: DFF<Bits<4>>,
    set_qb: DFF<Bits<4>>,
    set_qqb: DFF<Bits<4>>,
}

impl Default for DriveTable {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            set: Default::default(),
            index: Default::default(),
            entry: Default::default(),
            set_b: Default::default(),
            index_b: Default::default(),
            entry_b: Default::default(),
            we: Default::default(),
            addr: Default::default(),
            data: Default::default(),
            banks: std::array::from_fn(|_| DualReadRam::default()),
            w_en: std::array::from_fn(|_| DFF::default()),
            w_index: Default::default(),
            w_data: Default::default(),
            bank_q: std::array::from_fn(|_| DFF::default()),
            bank_qb: std::array::from_fn(|_| DFF::default()),
            bank_id: std::array::from_fn(|i| Constant::new((i as u64).into())),
            present: std::array::from_fn(|_| Constant::new(true)),
            set_q: Default::default(),
            set_qq: Default::default(),
            set_qb: Default::default(),
            set_qqb: Default::default(),
        }
    }
}

impl DriveTable {
    /// A table of the first `sets` parameter sets only (1..=16).
    pub fn with_sets(sets: usize) -> Self {
        assert!(
            (1..=HW_PARAM_SETS).contains(&sets),
            "1 to {HW_PARAM_SETS} parameter sets"
        );
        Self {
            present: std::array::from_fn(|i| Constant::new(i < sets)),
            ..Default::default()
        }
    }

    /// No table: the lane reads its neighbour's (port B of that lane's).
    pub fn absent() -> Self {
        Self {
            present: std::array::from_fn(|_| Constant::new(false)),
            ..Default::default()
        }
    }
}

impl Logic for DriveTable {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, set_q, set_qq, set_qb, set_qqb, w_index, w_data);
        self.w_index.d.next = self.addr.val().get_bits::<10>(0);
        self.w_data.d.next = self.data.val();
        self.set_q.d.next = self.set.val();
        self.set_qq.d.next = self.set_q.q.val();
        self.set_qb.d.next = self.set_b.val();
        self.set_qqb.d.next = self.set_qb.q.val();
        self.entry.next = bits::<17>(0);
        self.entry_b.next = bits::<17>(0);
        for i in 0..HW_PARAM_SETS {
            self.banks[i].clock.next = self.clock.val();
            self.banks[i].read_address_a.next = self.index.val();
            self.banks[i].read_address_b.next = self.index_b.val();
            // Only the chosen set's bank reads (its register is the one chosen next cycle).
            self.banks[i].read_enable_a.next = self.present[i].val() & (self.set.val() == self.bank_id[i].val());
            self.banks[i].read_enable_b.next = self.present[i].val() & (self.set_b.val() == self.bank_id[i].val());
            self.w_en[i].clock.next = self.clock.val();
            self.w_en[i].d.next =
                self.present[i].val() & self.we.val() & (self.addr.val().get_bits::<4>(10) == self.bank_id[i].val());
            self.banks[i].write_address.next = self.w_index.q.val();
            self.banks[i].write_data.next = self.w_data.q.val();
            self.banks[i].write_enable.next = self.w_en[i].q.val();
            self.bank_q[i].clock.next = self.clock.val();
            self.bank_q[i].d.next = self.banks[i].read_data_a.val();
            self.bank_qb[i].clock.next = self.clock.val();
            self.bank_qb[i].d.next = self.banks[i].read_data_b.val();
            if self.present[i].val() & (self.set_qq.q.val() == self.bank_id[i].val()) {
                self.entry.next = self.bank_q[i].q.val();
            }
            if self.present[i].val() & (self.set_qqb.q.val() == self.bank_id[i].val()) {
                self.entry_b.next = self.bank_qb[i].q.val();
            }
        }
    }
}
