//! `NeuronPipe`: the fixed-point neuron update of `memfire_spec::neuron_fixed::step` as a
//! 37-cycle pipeline that accepts one neuron per clock.
//!
//! A neuron enters as (state, input `u`, parameter set, tag) into the input register, which
//! clamps `u` and forms x1 + x2 on the way (so c0 does not do both and the rest of it), and
//! leaves with its next state and spike flag `PIPE_LATENCY` rising edges later.
//! The cycles below count from the input register's output (cycle 0). The update is ten stages,
//! `c0`..`c9`; every stage with a multiply takes four cycles, because `MulRound` registers
//! its partial products, their sum and its shifted sum (multiply, rounding shift and
//! saturation do not fit fewer cycles at 100 MHz), and `c4` takes three, because
//! `SqrtNorm` registers its operand and half its search. So `c0` is cycle 0, `c1` cycles
//! 1–4, `c2` 5–8, `c3` 9–12, `c4` 13–15, `c5` 16–19, `c6` 20–23, `c7` 24–27, `c8` 28–31 and
//! `c9` 32–35: a stage's operands go into its multipliers in its first cycle and the rest of
//! its logic works in its last, on the products (c9's redraw, whose operands do not depend
//! on c8, starts early, so its last cycle only chooses); each section below says which
//! cycle a line is in. Operands travel from the cycle that makes them to the cycle that uses them
//! in the `*_l` register lines: a value made in cycle m is `x_l[j].q` in cycle m + 1 + j.
//! Coefficients come from `CoefPort`s read one cycle ahead with the delayed set number, so
//! neurons of different parameter sets can follow each other back to back.
//!
//! Formats (see `memfire_spec::fixed`): x1, x2 Q1.23; u, v Q2.22; m UQ3.14; all in-stage
//! arithmetic is on 48-bit signed values, registers hold the widths noted on each line.

use memfire_spec::coef_words::{CoefSlot, COEF_SHIFT_LSB};
use memfire_spec::fixed::{M_FRAC, M_MAX, M_MIN, ONE_M, ONE_X, X1_MAX, X_FRAC};
use memfire_spec::tables::SQRT_FRAC;
use rust_hdl::prelude::*;

use crate::arith::coef_port::CoefPort;
use crate::arith::drive_index::DriveIndex;
use crate::arith::drive_table::{DriveTable, DRIVE_LATENCY};
use crate::arith::dsp_family::DspFamily;
use crate::arith::dual_read_ram::DualReadRam;
use crate::arith::mul_round::{MulRound, MUL_LATENCY};
use crate::arith::rng::{ByteSumGauss, Xorshift};
use crate::arith::saturate::Saturate;
use crate::arith::sqrt_norm::{SqrtNorm, NORM_LATENCY};

/// Cycles from a neuron entering to its result leaving.
pub const PIPE_LATENCY: usize = 37;
/// Cycles from a neuron entering to its spike flag on `fired`: the threshold test is
/// decided in cycle 31 and registered (`spike_l[0]`), four cycles before the next state
/// leaves. The synapse walk needs only the flag, so the lane reports it this early.
pub const FIRED_LATENCY: usize = PIPE_LATENCY - 4;
// The input register takes a cycle, c0 one, c4 one plus the normalisation's two; the eight
// multiplying stages take their multiply's cycles and one more for the logic on the
// products. The line indices below are written for this.
const _: () = assert!(PIPE_LATENCY == 3 + NORM_LATENCY + 8 * (MUL_LATENCY + 1));
// The drive table is read in cycle 3 and its entry registered in cycle 3 + DRIVE_LATENCY
// (= 5), which `drive_l`'s index in cycle 9 is written for.
const _: () = assert!(DRIVE_LATENCY == 2);
// c9 cuts the redraw's product to 28 bits: |xi| ≤ XI_MEAN (four bytes less their mean) and
// |c2c| ≤ 2^17 keep it within ±2^26.
const _: () = assert!((memfire_spec::rng::XI_MEAN as i64) << 17 <= 1 << 26);
// The redrawn m keeps 18 bits of 1 + c2c·xi: its range M_MIN..=M_MAX fits them.
const _: () = assert!(M_MIN > 0 && M_MAX < 1 << 17);

/// One neuron-update lane.
#[derive(LogicBlock)]
pub struct NeuronPipe {
    pub clock: Signal<In, Clock>,
    // ---- neuron in (cycle 0) ----
    pub in_valid: Signal<In, Bit>,
    /// Caller's label (the neuron index), returned with the result.
    pub in_tag: Signal<In, Bits<20>>,
    /// Parameter set, 0..=15.
    pub in_set: Signal<In, Bits<4>>,
    pub in_x1: Signal<In, Signed<25>>,
    pub in_x2: Signal<In, Signed<25>>,
    pub in_v: Signal<In, Signed<25>>,
    /// m, UQ3.14 in 0.25..=4 (17 bits, held signed in 18).
    pub in_m: Signal<In, Signed<18>>,
    pub in_refr: Signal<In, Bits<16>>,
    pub in_rng: Signal<In, Bits<32>>,
    /// External plus synaptic input, Q2.22 in a 48-bit accumulator (clamped to 0..=4 V here).
    pub in_u: Signal<In, Signed<48>>,
    // ---- neuron out (cycle 36) ----
    pub out_valid: Signal<Out, Bit>,
    pub out_tag: Signal<Out, Bits<20>>,
    pub out_spike: Signal<Out, Bit>,
    pub out_x1: Signal<Out, Signed<25>>,
    pub out_x2: Signal<Out, Signed<25>>,
    pub out_v: Signal<Out, Signed<25>>,
    pub out_m: Signal<Out, Signed<18>>,
    pub out_refr: Signal<Out, Bits<16>>,
    pub out_rng: Signal<Out, Bits<32>>,
    // ---- the spike flag, early (cycle 32: `FIRED_LATENCY`) ----
    pub fired_valid: Signal<Out, Bit>,
    pub fired_tag: Signal<Out, Bits<20>>,
    pub fired: Signal<Out, Bit>,
    /// A neuron whose flag `fired` has reported will leave on `out_*` in a later cycle:
    /// while this is low, no write-back follows the current cycle's.
    pub unwritten: Signal<Out, Bit>,
    // ---- host configuration bus ----
    /// Coefficient word write: `cfg_addr = slot · 16 + set` (see `memfire_spec::coef_words`).
    pub coef_we: Signal<In, Bit>,
    /// Drive-table write: `cfg_addr = set · 1024 + index`, data 17 bits.
    pub drive_we: Signal<In, Bit>,
    /// Square-root table write: `cfg_addr = index` (0..=255), data 17 bits.
    pub sqrt_we: Signal<In, Bit>,
    pub cfg_addr: Signal<In, Bits<16>>,
    pub cfg_data: Signal<In, Bits<32>>,
    // ---- tables shared by two lanes (see `NeuronPipe::new`) ----
    /// This pipeline's table reads (set and drive index, square-root index), for the lane
    /// whose tables it uses when it has none; the entries come back on `ext_*`, as fast as
    /// its own would.
    pub tbl_drive_set: Signal<Out, Bits<4>>,
    pub tbl_drive_index: Signal<Out, Bits<10>>,
    pub tbl_sqrt_index: Signal<Out, Bits<8>>,
    pub ext_drive_entry: Signal<In, Bits<17>>,
    pub ext_sqrt_entry: Signal<In, Bits<17>>,
    /// The reads of the lane that shares this pipeline's tables, and their entries (the
    /// tables' second ports).
    pub nb_drive_set: Signal<In, Bits<4>>,
    pub nb_drive_index: Signal<In, Bits<10>>,
    pub nb_sqrt_index: Signal<In, Bits<8>>,
    pub nb_drive_entry: Signal<Out, Bits<17>>,
    pub nb_sqrt_entry: Signal<Out, Bits<17>>,

    // ---- constants ----
    zero: Constant<Signed<48>>,
    one_x: Constant<Signed<48>>,
    x1_max: Constant<Signed<48>>,
    one_x_less_x1_max: Constant<Signed<48>>,
    x1_max_plus_one: Constant<Signed<48>>,
    one_m: Constant<Signed<48>>,
    m_min: Constant<Signed<18>>,
    m_max: Constant<Signed<18>>,
    /// The bounds of m less 1, for the redrawn m's range checks on c2c·xi.
    c2c_floor: Constant<Signed<28>>,
    c2c_ceiling: Constant<Signed<28>>,
    m_shift: Constant<Bits<6>>,
    noise_shift: Constant<Bits<6>>,
    sqrt_scale: Constant<Signed<18>>,

    // ---- memories ----
    drive_table: DriveTable,
    sqrt_ram: DualReadRam<8, 17>,
    /// The tables above are this pipeline's (else it reads a neighbour's: `ext_*`).
    own_tables: Constant<Bit>,
    /// The square-root entry read (own table or a neighbour's).
    sqrt_entry: Signal<Local, Bits<17>>,
    set_l: [DFF<Bits<4>>; 34],
    c1_grow: CoefPort,
    c1_dec: CoefPort,
    c1_x2leak: CoefPort,
    c1_vleak: CoefPort,
    c1_von: CoefPort,
    c1_flags: CoefPort,
    c2_res: CoefPort,
    c3_drive_shift: CoefPort,
    c3_x2max: CoefPort,
    c6_noise: CoefPort,
    c7_flags: CoefPort,
    c8_eta: CoefPort,
    c8_x2max: CoefPort,
    c9_c2c: CoefPort,
    c9_x2max: CoefPort,
    c9_refr: CoefPort,
    c9_flags: CoefPort,

    // ---- input register: the neuron, with u clamped and x1 + x2 formed on the way ----
    clamp_u: Saturate,
    w_x: Signal<Local, Signed<48>>,
    p_valid: DFF<Bit>,
    p_tag: DFF<Bits<20>>,
    p_set: DFF<Bits<4>>,
    p_x1: DFF<Signed<25>>,
    p_x2: DFF<Signed<25>>,
    p_v: DFF<Signed<25>>,
    p_m: DFF<Signed<18>>,
    p_refr: DFF<Bits<16>>,
    p_rng: DFF<Bits<32>>,
    p_u: DFF<Signed<25>>,
    p_x: DFF<Signed<26>>,
    // ---- c0: 1 − x and x − 1, [u − v]+ (c1 takes |1 − x| and finds the drive index, which
    // addresses the table in cycle 3) ----
    w_e: Signal<Local, Signed<48>>,
    w_ne: Signal<Local, Signed<48>>,
    /// 1 − x and x − 1 (Q1.23, 26 bits), each registered at the end of its carry chain, so
    /// the sign's choice between them is a cycle of its own (`e_l`).
    ex_l: [DFF<Bits<26>>; 1],
    nex_l: [DFF<Bits<26>>; 1],
    w_du: Signal<Local, Signed<48>>,
    clamp_du: Saturate,
    drive_index: DriveIndex,
    /// The drive-table index, registered before it addresses the table (the index logic
    /// and the block RAM's address setup do not fit one cycle).
    didx_l: [DFF<Bits<10>>; 1],
    u_l: [DFF<Signed<25>>; 1],
    du_l: [DFF<Signed<25>>; 1],
    // ---- c1: the five coefficient products, first random draw ----
    mul_grow: MulRound,
    mul_dec: MulRound,
    mul_x2leak: MulRound,
    mul_vleak: MulRound,
    mul_von: MulRound,
    sat_g1: Saturate,
    sat_dec: Saturate,
    sat_vspk: Saturate,
    draw1: Xorshift,
    g1_l: [DFF<Signed<25>>; 1],
    dec_l: [DFF<Signed<25>>; 9],
    leak2_l: [DFF<Signed<25>>; 4],
    vleak_l: [DFF<Signed<25>>; 4],
    vspk_l: [DFF<Signed<25>>; 31],
    rng1_l: [DFF<Bits<32>>; 34],
    /// |1 − x| (UQ1.23), made in cycle 1 and registered, so that the drive-table index is
    /// found in cycle 2 rather than after the subtraction and the sign's choice.
    e_l: [DFF<Bits<25>>; 1],
    drive_l: [DFF<Bits<17>>; 4],
    // ---- c2: ·m, residue share, xi, gate leak ----
    mul_m: MulRound,
    mul_res: MulRound,
    sat_g2: Saturate,
    sat_vn: Saturate,
    gauss1: ByteSumGauss,
    g2_l: [DFF<Signed<25>>; 1],
    res_l: [DFF<Signed<25>>; 3],
    xi_l: [DFF<Signed<18>>; 16],
    vn_l: [DFF<Signed<25>>; 27],
    x2a_l: [DFF<Signed<26>>; 3],
    // ---- c3: ·drive, residue update ----
    mul_drive: MulRound,
    sat_grow: Saturate,
    w_x2sum: Signal<Local, Signed<48>>,
    /// x2 − leak2 + res, registered in cycle 11 so that cycle 12 only clamps it (the add
    /// and the clamp's compares do not fit one cycle).
    x2sum_l: [DFF<Signed<27>>; 1],
    /// The clamp decided ahead: x2max (read in cycle 10, carried to cycle 12), x2max −
    /// (x2 − leak2) (cycle 10), and whether x2 − leak2 + res is above x2max, the sign of
    /// that less res (cycle 11). Cycle 12 only chooses.
    w_x2room: Signal<Local, Signed<48>>,
    w_x2over: Signal<Local, Signed<48>>,
    w_x2n: Signal<Local, Signed<48>>,
    x2max_l: [DFF<Signed<25>>; 2],
    x2room_l: [DFF<Signed<28>>; 1],
    x2over_l: [DFF<Bit>; 1],
    grow_l: [DFF<Signed<25>>; 1],
    x2n_l: [DFF<Signed<25>>; 23],
    // ---- c4: d1 = grow − dec, square-root normalisation ----
    w_d1: Signal<Local, Signed<48>>,
    w_nd1: Signal<Local, Signed<48>>,
    w_d1_bits: Signal<Local, Bits<48>>,
    w_abs_d1: Signal<Local, Signed<48>>,
    sqrt_norm: SqrtNorm,
    d1_l: [DFF<Signed<27>>; 14],
    half_l: [DFF<Bits<4>>; 1],
    zero_l: [DFF<Bit>; 4],
    // ---- c5: sqrt|d1| ----
    mul_root: MulRound,
    root_l: [DFF<Signed<26>>; 1],
    // ---- c6: ·sqrt(sigma1)/XI_STD ----
    mul_noise: MulRound,
    sat_scaled: Saturate,
    scaled_l: [DFF<Signed<25>>; 1],
    // ---- c7: ·xi, d1 += noise ----
    mul_xi: MulRound,
    w_d1n: Signal<Local, Signed<48>>,
    d1n_l: [DFF<Signed<28>>; 3],
    // ---- c8: filament, refractory, threshold, deposit ----
    mul_eta: MulRound,
    w_xsum: Signal<Local, Signed<48>>,
    w_x1s: Signal<Local, Signed<48>>,
    w_d1m: Signal<Local, Signed<48>>,
    w_x1over: Signal<Local, Signed<48>>,
    w_x1n: Signal<Local, Signed<48>>,
    w_cross: Signal<Local, Signed<48>>,
    /// x2 − 1 (cycle 28), then x1 + x2 − 1 (cycle 29): the threshold's constant is taken
    /// off before d1 is added, so cycle 30's test is the sign of one sum.
    x2m_l: [DFF<Signed<26>>; 1],
    xsum_l: [DFF<Signed<27>>; 1],
    /// x1 + d1, registered in cycle 30 so that cycle 31 only clamps it (the add and the
    /// clamp's compares do not fit one cycle).
    x1s_l: [DFF<Signed<29>>; 1],
    /// d1 − (X1_MAX + 1) (cycle 29), then x1 + d1 > X1_MAX as the sign of x1 plus it
    /// (cycle 30, beside x1 + d1): x1's clamp is decided before cycle 31, which only
    /// chooses among x1 + d1, 0 and X1_MAX.
    d1m_l: [DFF<Signed<30>>; 1],
    x1over_l: [DFF<Bit>; 1],
    /// x1 + d1 + x2 ≥ 1: the threshold test for an x1 the clamp leaves alone.
    cross_l: [DFF<Bit>; 1],
    /// x2max − x2, formed in cycle 27 so the deposit's multiplier takes it from a register.
    room_l: [DFF<Signed<26>>; 1],
    x2hi_l: [DFF<Bit>; 1],
    x2mid_l: [DFF<Bit>; 1],
    /// The neuron is refractory (its count is not zero): tested in cycle 30, so cycle 31's
    /// choices wait on one flip-flop, not on a 16-bit OR.
    refr_now_l: [DFF<Bit>; 1],
    x1n_l: [DFF<Signed<25>>; 4],
    refrn_l: [DFF<Bits<16>>; 4],
    spike_l: [DFF<Bit>; 4],
    dep_l: [DFF<Signed<25>>; 2],
    /// x2 + the deposit, registered in cycle 33 so that cycle 34 only clamps it.
    w_x2dep: Signal<Local, Signed<48>>,
    x2dep_l: [DFF<Signed<26>>; 1],
    /// Its clamp decided ahead, as x2's in c3: x2max (read in cycle 32, carried to cycle
    /// 34), x2max − x2 (cycle 32) and whether x2 + the deposit is above x2max (cycle 33).
    w_x2droom: Signal<Local, Signed<48>>,
    w_x2dover: Signal<Local, Signed<48>>,
    w_x2s: Signal<Local, Signed<48>>,
    x2dmax_l: [DFF<Signed<25>>; 2],
    x2droom_l: [DFF<Signed<27>>; 1],
    x2dover_l: [DFF<Bit>; 1],
    // ---- c9: spike rules, cycle-to-cycle redraw of m ----
    draw2: Xorshift,
    rng2_l: [DFF<Bits<32>>; 6],
    /// The redraw's next random word (cycle 28), so cycle 29 has only its byte sum.
    drawn2_l: [DFF<Bits<32>>; 1],
    /// The redraw's Gaussian integer (cycle 29), so its multiply starts from a register.
    xi2_l: [DFF<Signed<18>>; 1],
    gauss2: ByteSumGauss,
    mul_c2c: MulRound,
    w_c2c: Signal<Local, Signed<28>>,
    /// 1 + c2c·xi (its low 18 bits, which hold all of it within M_MIN..=M_MAX) and whether
    /// it lies below M_MIN or above M_MAX (c2c·xi compared with the bounds less 1, beside
    /// the add), registered in cycle 33, so that cycle 34 only chooses among three words.
    msum_l: [DFF<Signed<18>>; 1],
    m_low_l: [DFF<Bit>; 1],
    m_high_l: [DFF<Bit>; 1],
    /// The redrawn m and the deposited x2, each registered in cycle 34.
    m_new_l: [DFF<Signed<18>>; 1],
    x2s_l: [DFF<Signed<25>>; 1],
    w_redraw: Signal<Local, Bit>,
    // ---- carried neuron fields ----
    x1_l: [DFF<Signed<25>>; 30],
    x2_l: [DFF<Signed<25>>; 8],
    v_l: [DFF<Signed<25>>; 8],
    m_l: [DFF<Signed<18>>; 35],
    refr_l: [DFF<Bits<16>>; 31],
    rng_l: [DFF<Bits<32>>; 1],
    valid_l: [DFF<Bit>; 35],
    tag_l: [DFF<Bits<20>>; 35],
    // ---- output registers ----
    o_valid: DFF<Bit>,
    o_tag: DFF<Bits<20>>,
    o_spike: DFF<Bit>,
    o_x1: DFF<Signed<25>>,
    o_x2: DFF<Signed<25>>,
    o_v: DFF<Signed<25>>,
    o_m: DFF<Signed<18>>,
    o_refr: DFF<Bits<16>>,
    o_rng: DFF<Bits<32>>,
}

fn wide(x: i64) -> Constant<Signed<48>> {
    Constant::new(x.to_signed_bits())
}

fn lines<T: Synth, const N: usize>() -> [DFF<T>; N] {
    std::array::from_fn(|_| DFF::default())
}

impl NeuronPipe {
    /// A pipeline for a core of `sets` parameter sets (see `DriveTable::with_sets`), with
    /// tables of its own (which a neighbour may read too) when `own_tables`, else reading a
    /// neighbour's through `tbl_*` / `ext_*` (its own are never written and synthesis
    /// drops them), its multiplies shaped for `family`'s DSP blocks.
    pub fn new(sets: usize, own_tables: bool, family: DspFamily) -> Self {
        let mul = || MulRound::for_family(family);
        Self {
            mul_grow: mul(),
            mul_dec: mul(),
            mul_x2leak: mul(),
            mul_vleak: mul(),
            mul_von: mul(),
            mul_m: mul(),
            mul_res: mul(),
            mul_drive: mul(),
            mul_root: MulRound::constant_coefficient(family),
            mul_noise: mul(),
            mul_xi: mul(),
            mul_eta: mul(),
            mul_c2c: MulRound::narrow_operand(family),
            drive_table: if own_tables {
                DriveTable::with_sets(sets)
            } else {
                DriveTable::absent()
            },
            own_tables: Constant::new(own_tables),
            ..Default::default()
        }
    }
}

impl Default for NeuronPipe {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            in_valid: Default::default(),
            in_tag: Default::default(),
            in_set: Default::default(),
            in_x1: Default::default(),
            in_x2: Default::default(),
            in_v: Default::default(),
            in_m: Default::default(),
            in_refr: Default::default(),
            in_rng: Default::default(),
            in_u: Default::default(),
            out_valid: Default::default(),
            out_tag: Default::default(),
            out_spike: Default::default(),
            out_x1: Default::default(),
            out_x2: Default::default(),
            out_v: Default::default(),
            out_m: Default::default(),
            out_refr: Default::default(),
            out_rng: Default::default(),
            fired_valid: Default::default(),
            fired_tag: Default::default(),
            fired: Default::default(),
            unwritten: Default::default(),
            coef_we: Default::default(),
            drive_we: Default::default(),
            sqrt_we: Default::default(),
            cfg_addr: Default::default(),
            cfg_data: Default::default(),
            tbl_drive_set: Default::default(),
            tbl_drive_index: Default::default(),
            tbl_sqrt_index: Default::default(),
            ext_drive_entry: Default::default(),
            ext_sqrt_entry: Default::default(),
            nb_drive_set: Default::default(),
            nb_drive_index: Default::default(),
            nb_sqrt_index: Default::default(),
            nb_drive_entry: Default::default(),
            nb_sqrt_entry: Default::default(),
            zero: wide(0),
            one_x: wide(i64::from(ONE_X)),
            x1_max: wide(i64::from(X1_MAX)),
            one_x_less_x1_max: wide(i64::from(ONE_X - X1_MAX)),
            x1_max_plus_one: wide(i64::from(X1_MAX) + 1),
            one_m: wide(i64::from(ONE_M)),
            m_min: Constant::new(i64::from(M_MIN).to_signed_bits()),
            m_max: Constant::new(i64::from(M_MAX).to_signed_bits()),
            c2c_floor: Constant::new(i64::from(M_MIN - ONE_M).to_signed_bits()),
            c2c_ceiling: Constant::new(i64::from(M_MAX - ONE_M).to_signed_bits()),
            m_shift: Constant::new(u64::from(M_FRAC).into()),
            noise_shift: Constant::new(u64::from(memfire_spec::coef_set::NOISE_EXTRA_BITS).into()),
            sqrt_scale: Constant::new((1i64 << (X_FRAC - SQRT_FRAC)).to_signed_bits()),
            drive_table: Default::default(),
            sqrt_ram: Default::default(),
            own_tables: Constant::new(true),
            sqrt_entry: Default::default(),
            set_l: lines(),
            c1_grow: CoefPort::new(CoefSlot::KGrow),
            c1_dec: CoefPort::new(CoefSlot::KDec),
            c1_x2leak: CoefPort::new(CoefSlot::KX2leak),
            c1_vleak: CoefPort::new(CoefSlot::KVleak),
            c1_von: CoefPort::new(CoefSlot::KVon),
            c1_flags: CoefPort::new(CoefSlot::Flags),
            c2_res: CoefPort::new(CoefSlot::KRes),
            c3_drive_shift: CoefPort::new(CoefSlot::DriveShift),
            c3_x2max: CoefPort::new(CoefSlot::X2max),
            c6_noise: CoefPort::new(CoefSlot::KNoise),
            c7_flags: CoefPort::new(CoefSlot::Flags),
            c8_eta: CoefPort::new(CoefSlot::KEta),
            c8_x2max: CoefPort::new(CoefSlot::X2max),
            c9_c2c: CoefPort::new(CoefSlot::KC2c),
            c9_x2max: CoefPort::new(CoefSlot::X2max),
            c9_refr: CoefPort::new(CoefSlot::Refractory),
            c9_flags: CoefPort::new(CoefSlot::Flags),
            w_x: Default::default(),
            p_valid: Default::default(),
            p_tag: Default::default(),
            p_set: Default::default(),
            p_x1: Default::default(),
            p_x2: Default::default(),
            p_v: Default::default(),
            p_m: Default::default(),
            p_refr: Default::default(),
            p_rng: Default::default(),
            p_u: Default::default(),
            p_x: Default::default(),
            w_e: Default::default(),
            w_ne: Default::default(),
            ex_l: lines(),
            nex_l: lines(),
            w_du: Default::default(),
            clamp_u: Saturate::unsigned24(),
            clamp_du: Saturate::unsigned24(),
            drive_index: Default::default(),
            u_l: lines(),
            du_l: lines(),
            mul_grow: Default::default(),
            mul_dec: Default::default(),
            mul_x2leak: Default::default(),
            mul_vleak: Default::default(),
            mul_von: Default::default(),
            sat_g1: Default::default(),
            sat_dec: Default::default(),
            sat_vspk: Default::default(),
            draw1: Default::default(),
            g1_l: lines(),
            dec_l: lines(),
            leak2_l: lines(),
            vleak_l: lines(),
            vspk_l: lines(),
            rng1_l: lines(),
            e_l: lines(),
            drive_l: lines(),
            didx_l: lines(),
            mul_m: Default::default(),
            mul_res: Default::default(),
            sat_g2: Default::default(),
            sat_vn: Default::default(),
            gauss1: Default::default(),
            g2_l: lines(),
            res_l: lines(),
            xi_l: lines(),
            vn_l: lines(),
            x2a_l: lines(),
            mul_drive: Default::default(),
            sat_grow: Default::default(),
            w_x2room: Default::default(),
            w_x2over: Default::default(),
            w_x2n: Default::default(),
            x2max_l: lines(),
            x2room_l: lines(),
            x2over_l: lines(),
            w_x2sum: Default::default(),
            x2sum_l: lines(),
            grow_l: lines(),
            x2n_l: lines(),
            w_d1: Default::default(),
            w_nd1: Default::default(),
            w_d1_bits: Default::default(),
            w_abs_d1: Default::default(),
            sqrt_norm: Default::default(),
            d1_l: lines(),
            half_l: lines(),
            zero_l: lines(),
            mul_root: Default::default(),
            root_l: lines(),
            mul_noise: Default::default(),
            sat_scaled: Default::default(),
            scaled_l: lines(),
            mul_xi: Default::default(),
            w_d1n: Default::default(),
            d1n_l: lines(),
            mul_eta: Default::default(),
            draw2: Default::default(),
            w_xsum: Default::default(),
            w_x1s: Default::default(),
            w_d1m: Default::default(),
            w_x1over: Default::default(),
            w_x1n: Default::default(),
            x2m_l: lines(),
            xsum_l: lines(),
            w_cross: Default::default(),
            x1s_l: lines(),
            d1m_l: lines(),
            x1over_l: lines(),
            cross_l: lines(),
            room_l: lines(),
            x2hi_l: lines(),
            x2mid_l: lines(),
            refr_now_l: lines(),
            x1n_l: lines(),
            refrn_l: lines(),
            spike_l: lines(),
            dep_l: lines(),
            w_x2dep: Default::default(),
            x2dep_l: lines(),
            rng2_l: lines(),
            drawn2_l: lines(),
            xi2_l: lines(),
            w_x2droom: Default::default(),
            w_x2dover: Default::default(),
            w_x2s: Default::default(),
            x2dmax_l: lines(),
            x2droom_l: lines(),
            x2dover_l: lines(),
            gauss2: Default::default(),
            mul_c2c: Default::default(),
            w_c2c: Default::default(),
            m_low_l: lines(),
            m_high_l: lines(),
            m_new_l: lines(),
            msum_l: lines(),
            x2s_l: lines(),
            w_redraw: Default::default(),
            x1_l: lines(),
            x2_l: lines(),
            v_l: lines(),
            m_l: lines(),
            refr_l: lines(),
            rng_l: lines(),
            valid_l: lines(),
            tag_l: lines(),
            o_valid: Default::default(),
            o_tag: Default::default(),
            o_spike: Default::default(),
            o_x1: Default::default(),
            o_x2: Default::default(),
            o_v: Default::default(),
            o_m: Default::default(),
            o_refr: Default::default(),
            o_rng: Default::default(),
        }
    }
}

// `get_bits::<6>(18)` below reads a coefficient word's shift field. rust-hdl writes a named
// constant into the Verilog by name, so the position is a literal, pinned here.
const _: () = assert!(COEF_SHIFT_LSB == 18);

impl Logic for NeuronPipe {
    #[hdl_gen]
    fn update(&mut self) {
        // ================= clocks and register lines =================
        dff_setup!(self, clock, o_valid, o_tag, o_spike, o_x1, o_x2, o_v, o_m, o_refr, o_rng);
        self.drive_table.clock.next = self.clock.val();
        self.sqrt_ram.clock.next = self.clock.val();
        self.mul_grow.clock.next = self.clock.val();
        self.mul_dec.clock.next = self.clock.val();
        self.mul_x2leak.clock.next = self.clock.val();
        self.mul_vleak.clock.next = self.clock.val();
        self.mul_von.clock.next = self.clock.val();
        self.mul_m.clock.next = self.clock.val();
        self.mul_res.clock.next = self.clock.val();
        self.mul_drive.clock.next = self.clock.val();
        self.mul_root.clock.next = self.clock.val();
        self.mul_noise.clock.next = self.clock.val();
        self.mul_xi.clock.next = self.clock.val();
        self.mul_eta.clock.next = self.clock.val();
        self.mul_c2c.clock.next = self.clock.val();
        self.sqrt_norm.clock.next = self.clock.val();
        // The input register.
        self.p_valid.clock.next = self.clock.val();
        self.p_tag.clock.next = self.clock.val();
        self.p_set.clock.next = self.clock.val();
        self.p_x1.clock.next = self.clock.val();
        self.p_x2.clock.next = self.clock.val();
        self.p_v.clock.next = self.clock.val();
        self.p_m.clock.next = self.clock.val();
        self.p_refr.clock.next = self.clock.val();
        self.p_rng.clock.next = self.clock.val();
        self.p_u.clock.next = self.clock.val();
        self.p_x.clock.next = self.clock.val();
        // Lines of one register.
        self.u_l[0].clock.next = self.clock.val();
        self.du_l[0].clock.next = self.clock.val();
        self.e_l[0].clock.next = self.clock.val();
        self.ex_l[0].clock.next = self.clock.val();
        self.nex_l[0].clock.next = self.clock.val();
        self.g1_l[0].clock.next = self.clock.val();
        self.g2_l[0].clock.next = self.clock.val();
        self.grow_l[0].clock.next = self.clock.val();
        self.didx_l[0].clock.next = self.clock.val();
        self.half_l[0].clock.next = self.clock.val();
        self.root_l[0].clock.next = self.clock.val();
        self.scaled_l[0].clock.next = self.clock.val();
        self.xi2_l[0].clock.next = self.clock.val();
        self.drawn2_l[0].clock.next = self.clock.val();
        self.refr_now_l[0].clock.next = self.clock.val();
        self.m_new_l[0].clock.next = self.clock.val();
        self.msum_l[0].clock.next = self.clock.val();
        self.m_low_l[0].clock.next = self.clock.val();
        self.m_high_l[0].clock.next = self.clock.val();
        self.x2s_l[0].clock.next = self.clock.val();
        self.x2sum_l[0].clock.next = self.clock.val();
        self.x2room_l[0].clock.next = self.clock.val();
        self.x2over_l[0].clock.next = self.clock.val();
        for i in 0..2 {
            self.x2max_l[i].clock.next = self.clock.val();
        }
        self.x2max_l[1].d.next = self.x2max_l[0].q.val();
        self.x2dep_l[0].clock.next = self.clock.val();
        self.x2droom_l[0].clock.next = self.clock.val();
        self.x2dover_l[0].clock.next = self.clock.val();
        for i in 0..2 {
            self.x2dmax_l[i].clock.next = self.clock.val();
        }
        self.x2dmax_l[1].d.next = self.x2dmax_l[0].q.val();
        self.x2m_l[0].clock.next = self.clock.val();
        self.xsum_l[0].clock.next = self.clock.val();
        self.x1s_l[0].clock.next = self.clock.val();
        self.d1m_l[0].clock.next = self.clock.val();
        self.x1over_l[0].clock.next = self.clock.val();
        self.cross_l[0].clock.next = self.clock.val();
        self.room_l[0].clock.next = self.clock.val();
        self.x2hi_l[0].clock.next = self.clock.val();
        self.x2mid_l[0].clock.next = self.clock.val();
        self.rng_l[0].clock.next = self.clock.val();
        // Longer lines: clock every register, then move each value one register per cycle.
        for i in 0..2 {
            self.dep_l[i].clock.next = self.clock.val();
        }
        for i in 0..3 {
            self.res_l[i].clock.next = self.clock.val();
            self.x2a_l[i].clock.next = self.clock.val();
            self.d1n_l[i].clock.next = self.clock.val();
        }
        for i in 0..4 {
            self.leak2_l[i].clock.next = self.clock.val();
            self.vleak_l[i].clock.next = self.clock.val();
            self.zero_l[i].clock.next = self.clock.val();
            self.x1n_l[i].clock.next = self.clock.val();
            self.refrn_l[i].clock.next = self.clock.val();
            self.spike_l[i].clock.next = self.clock.val();
        }
        for i in 0..6 {
            self.rng2_l[i].clock.next = self.clock.val();
        }
        for i in 0..4 {
            self.drive_l[i].clock.next = self.clock.val();
        }
        for i in 0..8 {
            self.x2_l[i].clock.next = self.clock.val();
            self.v_l[i].clock.next = self.clock.val();
        }
        for i in 0..9 {
            self.dec_l[i].clock.next = self.clock.val();
        }
        for i in 0..14 {
            self.d1_l[i].clock.next = self.clock.val();
        }
        for i in 0..16 {
            self.xi_l[i].clock.next = self.clock.val();
        }
        for i in 0..23 {
            self.x2n_l[i].clock.next = self.clock.val();
        }
        for i in 0..27 {
            self.vn_l[i].clock.next = self.clock.val();
        }
        for i in 0..30 {
            self.x1_l[i].clock.next = self.clock.val();
        }
        for i in 0..31 {
            self.refr_l[i].clock.next = self.clock.val();
            self.vspk_l[i].clock.next = self.clock.val();
        }
        for i in 0..34 {
            self.set_l[i].clock.next = self.clock.val();
            self.rng1_l[i].clock.next = self.clock.val();
        }
        for i in 0..35 {
            self.m_l[i].clock.next = self.clock.val();
            self.valid_l[i].clock.next = self.clock.val();
            self.tag_l[i].clock.next = self.clock.val();
        }
        for i in 1..2 {
            self.dep_l[i].d.next = self.dep_l[i - 1].q.val();
        }
        for i in 1..3 {
            self.res_l[i].d.next = self.res_l[i - 1].q.val();
            self.x2a_l[i].d.next = self.x2a_l[i - 1].q.val();
            self.d1n_l[i].d.next = self.d1n_l[i - 1].q.val();
        }
        for i in 1..4 {
            self.leak2_l[i].d.next = self.leak2_l[i - 1].q.val();
            self.vleak_l[i].d.next = self.vleak_l[i - 1].q.val();
            self.zero_l[i].d.next = self.zero_l[i - 1].q.val();
            self.x1n_l[i].d.next = self.x1n_l[i - 1].q.val();
            self.refrn_l[i].d.next = self.refrn_l[i - 1].q.val();
            self.spike_l[i].d.next = self.spike_l[i - 1].q.val();
        }
        for i in 1..6 {
            self.rng2_l[i].d.next = self.rng2_l[i - 1].q.val();
        }
        for i in 1..4 {
            self.drive_l[i].d.next = self.drive_l[i - 1].q.val();
        }
        for i in 1..8 {
            self.x2_l[i].d.next = self.x2_l[i - 1].q.val();
            self.v_l[i].d.next = self.v_l[i - 1].q.val();
        }
        for i in 1..9 {
            self.dec_l[i].d.next = self.dec_l[i - 1].q.val();
        }
        for i in 1..14 {
            self.d1_l[i].d.next = self.d1_l[i - 1].q.val();
        }
        for i in 1..16 {
            self.xi_l[i].d.next = self.xi_l[i - 1].q.val();
        }
        for i in 1..23 {
            self.x2n_l[i].d.next = self.x2n_l[i - 1].q.val();
        }
        for i in 1..27 {
            self.vn_l[i].d.next = self.vn_l[i - 1].q.val();
        }
        for i in 1..30 {
            self.x1_l[i].d.next = self.x1_l[i - 1].q.val();
        }
        for i in 1..31 {
            self.refr_l[i].d.next = self.refr_l[i - 1].q.val();
            self.vspk_l[i].d.next = self.vspk_l[i - 1].q.val();
        }
        for i in 1..34 {
            self.set_l[i].d.next = self.set_l[i - 1].q.val();
            self.rng1_l[i].d.next = self.rng1_l[i - 1].q.val();
        }
        for i in 1..35 {
            self.m_l[i].d.next = self.m_l[i - 1].q.val();
            self.valid_l[i].d.next = self.valid_l[i - 1].q.val();
            self.tag_l[i].d.next = self.tag_l[i - 1].q.val();
        }
        // Carried fields enter their lines in cycle 0, from the input register.
        self.set_l[0].d.next = self.p_set.q.val();
        self.x1_l[0].d.next = self.p_x1.q.val();
        self.x2_l[0].d.next = self.p_x2.q.val();
        self.v_l[0].d.next = self.p_v.q.val();
        self.m_l[0].d.next = self.p_m.q.val();
        self.refr_l[0].d.next = self.p_refr.q.val();
        self.rng_l[0].d.next = self.p_rng.q.val();
        self.valid_l[0].d.next = self.p_valid.q.val();
        self.tag_l[0].d.next = self.p_tag.q.val();

        // ================= host configuration =================
        self.drive_table.addr.next = self.cfg_addr.val().get_bits::<14>(0);
        self.drive_table.data.next = self.cfg_data.val().get_bits::<17>(0);
        self.drive_table.we.next = self.drive_we.val();
        self.sqrt_ram.write_address.next = self.cfg_addr.val().get_bits::<8>(0);
        self.sqrt_ram.write_data.next = self.cfg_data.val().get_bits::<17>(0);
        self.sqrt_ram.write_enable.next = self.own_tables.val() & self.sqrt_we.val();
        // The second ports: the reads of the lane sharing these tables.
        self.drive_table.set_b.next = self.nb_drive_set.val();
        self.drive_table.index_b.next = self.nb_drive_index.val();
        self.nb_drive_entry.next = self.drive_table.entry_b.val();
        self.sqrt_ram.read_address_b.next = self.nb_sqrt_index.val();
        self.sqrt_ram.read_enable_a.next = true;
        self.sqrt_ram.read_enable_b.next = true;
        self.nb_sqrt_entry.next = self.sqrt_ram.read_data_b.val();
        // Every coefficient port: clock, shared write bus, and the set of the neuron that
        // will be in the cycle that uses the word: a word used in cycle c reads with the set
        // seen in cycle c − 1, which is `set_l[c − 2]` (`in_set` for c = 1).
        self.c1_grow.clock.next = self.clock.val();
        self.c1_grow.we.next = self.coef_we.val();
        self.c1_grow.addr.next = self.cfg_addr.val().get_bits::<8>(0);
        self.c1_grow.data.next = self.cfg_data.val();
        self.c1_grow.set.next = self.p_set.q.val(); // used in cycle 1
        self.c1_dec.clock.next = self.clock.val();
        self.c1_dec.we.next = self.coef_we.val();
        self.c1_dec.addr.next = self.cfg_addr.val().get_bits::<8>(0);
        self.c1_dec.data.next = self.cfg_data.val();
        self.c1_dec.set.next = self.p_set.q.val(); // cycle 1
        self.c1_x2leak.clock.next = self.clock.val();
        self.c1_x2leak.we.next = self.coef_we.val();
        self.c1_x2leak.addr.next = self.cfg_addr.val().get_bits::<8>(0);
        self.c1_x2leak.data.next = self.cfg_data.val();
        self.c1_x2leak.set.next = self.p_set.q.val(); // cycle 1
        self.c1_vleak.clock.next = self.clock.val();
        self.c1_vleak.we.next = self.coef_we.val();
        self.c1_vleak.addr.next = self.cfg_addr.val().get_bits::<8>(0);
        self.c1_vleak.data.next = self.cfg_data.val();
        self.c1_vleak.set.next = self.p_set.q.val(); // cycle 1
        self.c1_von.clock.next = self.clock.val();
        self.c1_von.we.next = self.coef_we.val();
        self.c1_von.addr.next = self.cfg_addr.val().get_bits::<8>(0);
        self.c1_von.data.next = self.cfg_data.val();
        self.c1_von.set.next = self.p_set.q.val(); // cycle 1
        self.c1_flags.clock.next = self.clock.val();
        self.c1_flags.we.next = self.coef_we.val();
        self.c1_flags.addr.next = self.cfg_addr.val().get_bits::<8>(0);
        self.c1_flags.data.next = self.cfg_data.val();
        self.c1_flags.set.next = self.p_set.q.val(); // cycle 1
        self.c2_res.clock.next = self.clock.val();
        self.c2_res.we.next = self.coef_we.val();
        self.c2_res.addr.next = self.cfg_addr.val().get_bits::<8>(0);
        self.c2_res.data.next = self.cfg_data.val();
        self.c2_res.set.next = self.set_l[3].q.val(); // cycle 5
        self.c3_drive_shift.clock.next = self.clock.val();
        self.c3_drive_shift.we.next = self.coef_we.val();
        self.c3_drive_shift.addr.next = self.cfg_addr.val().get_bits::<8>(0);
        self.c3_drive_shift.data.next = self.cfg_data.val();
        self.c3_drive_shift.set.next = self.set_l[7].q.val(); // cycle 9
        self.c3_x2max.clock.next = self.clock.val();
        self.c3_x2max.we.next = self.coef_we.val();
        self.c3_x2max.addr.next = self.cfg_addr.val().get_bits::<8>(0);
        self.c3_x2max.data.next = self.cfg_data.val();
        self.c3_x2max.set.next = self.set_l[8].q.val(); // cycle 10
        self.c6_noise.clock.next = self.clock.val();
        self.c6_noise.we.next = self.coef_we.val();
        self.c6_noise.addr.next = self.cfg_addr.val().get_bits::<8>(0);
        self.c6_noise.data.next = self.cfg_data.val();
        self.c6_noise.set.next = self.set_l[18].q.val(); // cycle 20
        self.c7_flags.clock.next = self.clock.val();
        self.c7_flags.we.next = self.coef_we.val();
        self.c7_flags.addr.next = self.cfg_addr.val().get_bits::<8>(0);
        self.c7_flags.data.next = self.cfg_data.val();
        self.c7_flags.set.next = self.set_l[25].q.val(); // cycle 27
        self.c8_eta.clock.next = self.clock.val();
        self.c8_eta.we.next = self.coef_we.val();
        self.c8_eta.addr.next = self.cfg_addr.val().get_bits::<8>(0);
        self.c8_eta.data.next = self.cfg_data.val();
        self.c8_eta.set.next = self.set_l[26].q.val(); // cycle 28
        self.c8_x2max.clock.next = self.clock.val();
        self.c8_x2max.we.next = self.coef_we.val();
        self.c8_x2max.addr.next = self.cfg_addr.val().get_bits::<8>(0);
        self.c8_x2max.data.next = self.cfg_data.val();
        self.c8_x2max.set.next = self.set_l[25].q.val(); // cycle 27 (the deposit's operand)
        self.c9_c2c.clock.next = self.clock.val();
        self.c9_c2c.we.next = self.coef_we.val();
        self.c9_c2c.addr.next = self.cfg_addr.val().get_bits::<8>(0);
        self.c9_c2c.data.next = self.cfg_data.val();
        self.c9_c2c.set.next = self.set_l[28].q.val(); // cycle 30 (the redraw starts early)
        self.c9_x2max.clock.next = self.clock.val();
        self.c9_x2max.we.next = self.coef_we.val();
        self.c9_x2max.addr.next = self.cfg_addr.val().get_bits::<8>(0);
        self.c9_x2max.data.next = self.cfg_data.val();
        self.c9_x2max.set.next = self.set_l[30].q.val(); // cycle 32
        self.c9_refr.clock.next = self.clock.val();
        self.c9_refr.we.next = self.coef_we.val();
        self.c9_refr.addr.next = self.cfg_addr.val().get_bits::<8>(0);
        self.c9_refr.data.next = self.cfg_data.val();
        self.c9_refr.set.next = self.set_l[33].q.val(); // cycle 35
        self.c9_flags.clock.next = self.clock.val();
        self.c9_flags.we.next = self.coef_we.val();
        self.c9_flags.addr.next = self.cfg_addr.val().get_bits::<8>(0);
        self.c9_flags.data.next = self.cfg_data.val();
        self.c9_flags.set.next = self.set_l[33].q.val(); // cycle 35

        // ================= input register (the cycle before c0) =================
        self.p_valid.d.next = self.in_valid.val();
        self.p_tag.d.next = self.in_tag.val();
        self.p_set.d.next = self.in_set.val();
        self.p_x1.d.next = self.in_x1.val();
        self.p_x2.d.next = self.in_x2.val();
        self.p_v.d.next = self.in_v.val();
        self.p_m.d.next = self.in_m.val();
        self.p_refr.d.next = self.in_refr.val();
        self.p_rng.d.next = self.in_rng.val();
        self.clamp_u.a.next = self.in_u.val(); // Q2.22, 48 bits, to 0..=U_MAX
        self.p_u.d.next = signed_bit_cast::<25, 48>(self.clamp_u.y.val()); // Q2.22 in 0..=4 V, 25 bits
        self.w_x.next = signed_bit_cast::<48, 25>(self.in_x1.val()) + signed_bit_cast::<48, 25>(self.in_x2.val());
        self.p_x.d.next = signed_bit_cast::<26, 48>(self.w_x.val()); // Q1.23 x1 + x2, 26 bits

        // ================= c0 (cycle 0) =================
        self.u_l[0].d.next = self.p_u.q.val();
        // |1 − x| without a carry chain after the subtraction: x − 1 is formed beside it,
        // and cycle 1 chooses by the sign.
        self.w_e.next = self.one_x.val() - signed_bit_cast::<48, 26>(self.p_x.q.val()); // Q1.23 1 − x, 26 bits
        self.w_ne.next = signed_bit_cast::<48, 26>(self.p_x.q.val()) - self.one_x.val(); // Q1.23 x − 1, 26 bits
        self.ex_l[0].d.next = bit_cast::<26, 48>(unsigned_cast(self.w_e.val()));
        self.nex_l[0].d.next = bit_cast::<26, 48>(unsigned_cast(self.w_ne.val()));
        self.w_du.next = signed_bit_cast::<48, 25>(self.p_u.q.val()) - signed_bit_cast::<48, 25>(self.p_v.q.val()); // Q2.22 u − v, 26 bits
        self.clamp_du.a.next = self.w_du.val(); // to 0..=SAT_MAX
        self.du_l[0].d.next = signed_bit_cast::<25, 48>(self.clamp_du.y.val()); // Q2.22 [u − v]+, 25 bits

        // ================= c1 (cycles 1–4) =================
        // Cycle 1: the five products start; |1 − x|; the first random draw.
        self.e_l[0].d.next = bit_cast::<25, 26>(self.ex_l[0].q.val()); // UQ1.23 |1 − x|, 25 bits
        if self.ex_l[0].q.val().get_bit(25) {
            self.e_l[0].d.next = bit_cast::<25, 26>(self.nex_l[0].q.val()); // 1 − x < 0: x − 1
        }
        self.mul_grow.a.next = self.du_l[0].q.val();
        self.mul_grow.k.next = signed_cast(self.c1_grow.word.val().get_bits::<18>(0));
        self.mul_grow.shift.next = self.c1_grow.word.val().get_bits::<6>(18);
        self.mul_dec.a.next = self.x1_l[0].q.val();
        self.mul_dec.k.next = signed_cast(self.c1_dec.word.val().get_bits::<18>(0));
        self.mul_dec.shift.next = self.c1_dec.word.val().get_bits::<6>(18);
        self.mul_x2leak.a.next = self.x2_l[0].q.val();
        self.mul_x2leak.k.next = signed_cast(self.c1_x2leak.word.val().get_bits::<18>(0));
        self.mul_x2leak.shift.next = self.c1_x2leak.word.val().get_bits::<6>(18);
        self.mul_vleak.a.next = self.v_l[0].q.val();
        self.mul_vleak.k.next = signed_cast(self.c1_vleak.word.val().get_bits::<18>(0));
        self.mul_vleak.shift.next = self.c1_vleak.word.val().get_bits::<6>(18);
        self.mul_von.a.next = self.u_l[0].q.val();
        self.mul_von.k.next = signed_cast(self.c1_von.word.val().get_bits::<18>(0));
        self.mul_von.shift.next = self.c1_von.word.val().get_bits::<6>(18);
        self.draw1.state.next = self.rng_l[0].q.val();
        self.rng1_l[0].d.next = self.rng_l[0].q.val();
        if self.c1_flags.word.val().get_bit(0) {
            self.rng1_l[0].d.next = self.draw1.drawn.val(); // ionic noise draws once per step
        }
        // Cycle 2: the drive-table index; cycle 3: its read; cycle 5: its entry.
        self.drive_index.e.next = self.e_l[0].q.val(); // UQ1.23 |1 − x|, 25 bits
        self.didx_l[0].d.next = self.drive_index.index.val();
        self.drive_table.set.next = self.set_l[2].q.val();
        self.drive_table.index.next = self.didx_l[0].q.val();
        self.tbl_drive_set.next = self.set_l[2].q.val();
        self.tbl_drive_index.next = self.didx_l[0].q.val();
        self.drive_l[0].d.next = self.ext_drive_entry.val(); // UQ.(drive shift), 17 bits
        if self.own_tables.val() {
            self.drive_l[0].d.next = self.drive_table.entry.val();
        }

        // Cycle 4: the products, saturated where the model saturates.
        self.sat_g1.a.next = self.mul_grow.p.val(); // Q1.23 du·mu·dt
        self.g1_l[0].d.next = signed_bit_cast::<25, 48>(self.sat_g1.y.val()); // Q1.23, 25 bits
        self.sat_dec.a.next = self.mul_dec.p.val(); // Q1.23 x1·(1 − e^−(γ1+β)dt)
        self.dec_l[0].d.next = signed_bit_cast::<25, 48>(self.sat_dec.y.val()); // Q1.23, 25 bits
        self.leak2_l[0].d.next = signed_bit_cast::<25, 48>(self.mul_x2leak.p.val()); // Q1.23 x2·(1 − e^−γ2·dt), 25 bits
        self.vleak_l[0].d.next = signed_bit_cast::<25, 48>(self.mul_vleak.p.val()); // Q2.22 v·(1 − e^−dt/τc), 25 bits
        self.sat_vspk.a.next = self.mul_von.p.val(); // Q2.22 u·R_c/(R_c + R_on)
        self.vspk_l[0].d.next = signed_bit_cast::<25, 48>(self.sat_vspk.y.val()); // Q2.22, 25 bits

        // ================= c2 (cycles 5–8) =================
        // Cycle 5: ·m and the residue share start.
        self.mul_m.a.next = self.g1_l[0].q.val();
        self.mul_m.k.next = self.m_l[4].q.val();
        self.mul_m.shift.next = self.m_shift.val();
        self.mul_res.a.next = self.dec_l[0].q.val();
        self.mul_res.k.next = signed_cast(self.c2_res.word.val().get_bits::<18>(0));
        self.mul_res.shift.next = self.c2_res.word.val().get_bits::<6>(18);
        // Cycle 8: the products; xi, the gate leak, x2 − leak2.
        self.sat_g2.a.next = self.mul_m.p.val(); // Q1.23 g1·m
        self.g2_l[0].d.next = signed_bit_cast::<25, 48>(self.sat_g2.y.val()); // Q1.23, 25 bits
        self.res_l[0].d.next = signed_bit_cast::<25, 48>(self.mul_res.p.val()); // Q1.23 β/(γ1+β)·dec, 25 bits
        self.gauss1.draw.next = self.rng1_l[6].q.val();
        self.xi_l[0].d.next = self.gauss1.xi.val(); // integer −510..=510
        self.sat_vn.a.next =
            signed_bit_cast::<48, 25>(self.v_l[7].q.val()) - signed_bit_cast::<48, 25>(self.vleak_l[3].q.val());
        self.vn_l[0].d.next = signed_bit_cast::<25, 48>(self.sat_vn.y.val()); // Q2.22 v·e^−dt/τc, 25 bits
        self.x2a_l[0].d.next = signed_bit_cast::<26, 48>(
            signed_bit_cast::<48, 25>(self.x2_l[7].q.val()) - signed_bit_cast::<48, 25>(self.leak2_l[3].q.val()),
        ); // Q1.23 x2 − leak2, 26 bits

        // ================= c3 (cycles 9–12) =================
        // Cycle 9: ·drive starts.
        self.mul_drive.a.next = self.g2_l[0].q.val();
        self.mul_drive.k.next = signed_cast(bit_cast::<18, 17>(self.drive_l[3].q.val()));
        self.mul_drive.shift.next = self.c3_drive_shift.word.val().get_bits::<6>(0);
        // Cycle 10: x2max, and its room above x2 − leak2.
        self.x2max_l[0].d.next = signed_cast(self.c3_x2max.word.val().get_bits::<25>(0)); // Q1.23
        self.w_x2room.next = signed_bit_cast::<48, 25>(signed_cast(self.c3_x2max.word.val().get_bits::<25>(0)))
            - signed_bit_cast::<48, 26>(self.x2a_l[1].q.val());
        self.x2room_l[0].d.next = signed_bit_cast::<28, 48>(self.w_x2room.val()); // Q1.23 x2max − x2 + leak2, 27 bits

        // Cycle 11: the residue added; above x2max when the room less the residue is
        // negative.
        self.w_x2sum.next =
            signed_bit_cast::<48, 26>(self.x2a_l[2].q.val()) + signed_bit_cast::<48, 25>(self.res_l[2].q.val());
        self.x2sum_l[0].d.next = signed_bit_cast::<27, 48>(self.w_x2sum.val()); // Q1.23 x2 − leak2 + res, 27 bits
        self.w_x2over.next =
            signed_bit_cast::<48, 28>(self.x2room_l[0].q.val()) - signed_bit_cast::<48, 25>(self.res_l[2].q.val());
        self.x2over_l[0].d.next = self.w_x2over.val().get_bit(47);

        // Cycle 12: the growth; the residue update clamped to 0..=x2max (the upper bound
        // last, as the model's `max(0).min(x2max)`).
        self.sat_grow.a.next = self.mul_drive.p.val(); // Q1.23 g2/(alpha + |1 − x|)
        self.grow_l[0].d.next = signed_bit_cast::<25, 48>(self.sat_grow.y.val()); // Q1.23, 25 bits
        self.w_x2n.next = signed_bit_cast::<48, 27>(self.x2sum_l[0].q.val());
        if self.x2sum_l[0].q.val().get_bit(26) {
            self.w_x2n.next = self.zero.val();
        }
        if self.x2over_l[0].q.val() {
            self.w_x2n.next = signed_bit_cast::<48, 25>(self.x2max_l[1].q.val());
        }
        self.x2n_l[0].d.next = signed_bit_cast::<25, 48>(self.w_x2n.val()); // Q1.23 in 0..=x2max, 25 bits

        // ================= c4 (cycles 13–15): d1 = grow − dec, square-root normalisation =================
        // Cycle 13: d1 and |d1|, into the normalisation's input register.
        self.w_d1.next =
            signed_bit_cast::<48, 25>(self.grow_l[0].q.val()) - signed_bit_cast::<48, 25>(self.dec_l[8].q.val()); // Q1.23 grow − dec, 26 bits

        // |d1| without a carry chain after the subtraction: dec − grow is formed beside it
        // and the sign picks one.
        self.w_nd1.next =
            signed_bit_cast::<48, 25>(self.dec_l[8].q.val()) - signed_bit_cast::<48, 25>(self.grow_l[0].q.val());
        self.w_d1_bits.next = unsigned_cast(self.w_d1.val());
        self.w_abs_d1.next = self.w_d1.val();
        if self.w_d1_bits.val().get_bit(47) {
            self.w_abs_d1.next = self.w_nd1.val();
        }
        self.sqrt_norm.a.next = bit_cast::<32, 48>(unsigned_cast(self.w_abs_d1.val())); // Q1.23 |d1|, 26 bits
        self.d1_l[0].d.next = signed_bit_cast::<27, 48>(self.w_d1.val());
        // Cycle 14: the normalisation's first half; cycle 15: its second half and the
        // table's read address.
        self.sqrt_ram.read_address_a.next = self.sqrt_norm.index.val();
        self.tbl_sqrt_index.next = self.sqrt_norm.index.val();
        self.half_l[0].d.next = self.sqrt_norm.half_shift.val();
        self.zero_l[0].d.next = self.sqrt_norm.zero.val();

        // ================= c5 (cycles 16–19): sqrt|d1| =================
        self.sqrt_entry.next = self.ext_sqrt_entry.val();
        if self.own_tables.val() {
            self.sqrt_entry.next = self.sqrt_ram.read_data_a.val();
        }
        self.mul_root.a.next = signed_cast(bit_cast::<25, 17>(self.sqrt_entry.val())); // UQ1.16 table entry
        self.mul_root.k.next = self.sqrt_scale.val(); // · 2^7 → Q1.23
        self.mul_root.shift.next = bit_cast::<6, 4>(self.half_l[0].q.val()); // undo half the normalising shift
        self.root_l[0].d.next = signed_bit_cast::<26, 48>(self.mul_root.p.val()); // Q1.23 sqrt|d1|, 25 bits
        if self.zero_l[3].q.val() {
            self.root_l[0].d.next = signed_bit_cast::<26, 48>(self.zero.val());
        }

        // ================= c6 (cycles 20–23): ·sqrt(sigma1)/XI_STD =================
        self.mul_noise.a.next = signed_bit_cast::<25, 26>(self.root_l[0].q.val()); // Q1.23 sqrt|d1| < 2^24, as |d1| < 2
        self.mul_noise.k.next = signed_cast(self.c6_noise.word.val().get_bits::<18>(0));
        self.mul_noise.shift.next = self.c6_noise.word.val().get_bits::<6>(18);
        self.sat_scaled.a.next = self.mul_noise.p.val(); // Q1.31 sqrt(sigma1·|d1|)/XI_STD
        self.scaled_l[0].d.next = signed_bit_cast::<25, 48>(self.sat_scaled.y.val()); // 25 bits

        // ================= c7 (cycles 24–27): ·xi, d1 += noise =================
        self.mul_xi.a.next = self.scaled_l[0].q.val();
        self.mul_xi.k.next = self.xi_l[15].q.val();
        self.mul_xi.shift.next = self.noise_shift.val();
        self.w_d1n.next = signed_bit_cast::<48, 27>(self.d1_l[13].q.val()); // Q1.23 d1, 26 bits
        if self.c7_flags.word.val().get_bit(0) {
            self.w_d1n.next = signed_bit_cast::<48, 27>(self.d1_l[13].q.val()) + self.mul_xi.p.val();
            // Q1.23 d1 + noise, 27 bits
        }
        self.d1n_l[0].d.next = signed_bit_cast::<28, 48>(self.w_d1n.val());

        // ================= c8 (cycles 28–31): filament, refractory, threshold, deposit =================
        // Cycle 27 (c7's last): the deposit's operand, so its multiplier starts from a register
        // (no subtraction's carry chain in front of the MULT18X18D).
        self.room_l[0].d.next = signed_bit_cast::<26, 25>(signed_cast(self.c8_x2max.word.val().get_bits::<25>(0)))
            - signed_bit_cast::<26, 25>(self.x2n_l[14].q.val()); // Q1.23 x2max − x2, 26 bits

        // Cycle 28: the deposit's product starts.
        self.mul_eta.a.next = signed_bit_cast::<25, 26>(self.room_l[0].q.val()); // 0..=x2max < 2^23
        self.mul_eta.k.next = signed_cast(self.c8_eta.word.val().get_bits::<18>(0));
        self.mul_eta.shift.next = self.c8_eta.word.val().get_bits::<6>(18);
        // Cycles 28–30: the threshold test, prepared for each way x1's clamp can go, so that
        // cycle 31 only chooses: x2 − 1 (cycle 28), x1 + x2 − 1 (cycle 29), then the sign
        // of x1 + x2 − 1 + d1, and x2 alone against 1 and against 1 − X1_MAX (cycle 30).
        // (Each sum gets a 48-bit signal of its own: inside one cast, Verilog would add at
        // the operands' widths and wrap.)
        self.x2m_l[0].d.next =
            signed_bit_cast::<26, 48>(signed_bit_cast::<48, 25>(self.x2n_l[15].q.val()) - self.one_x.val()); // Q1.23 x2 − 1, 25 bits
        self.w_xsum.next =
            signed_bit_cast::<48, 25>(self.x1_l[28].q.val()) + signed_bit_cast::<48, 26>(self.x2m_l[0].q.val());
        self.xsum_l[0].d.next = signed_bit_cast::<27, 48>(self.w_xsum.val()); // Q1.23 x1 + x2 − 1, 26 bits
        self.w_cross.next =
            signed_bit_cast::<48, 27>(self.xsum_l[0].q.val()) + signed_bit_cast::<48, 28>(self.d1n_l[2].q.val());
        self.cross_l[0].d.next = !self.w_cross.val().get_bit(47); // x1 + d1 + x2 − 1 ≥ 0
        self.x2hi_l[0].d.next = signed_bit_cast::<48, 25>(self.x2n_l[17].q.val()) >= self.one_x.val();
        self.x2mid_l[0].d.next = signed_bit_cast::<48, 25>(self.x2n_l[17].q.val()) >= self.one_x_less_x1_max.val();
        // Cycle 29: d1 − (X1_MAX + 1), for x1's clamp.
        self.w_d1m.next = signed_bit_cast::<48, 28>(self.d1n_l[1].q.val()) - self.x1_max_plus_one.val();
        self.d1m_l[0].d.next = signed_bit_cast::<30, 48>(self.w_d1m.val()); // 29 bits

        // Cycle 30: x1 + d1, and whether it is above X1_MAX (x1 + d1 − (X1_MAX + 1) ≥ 0).
        self.w_x1s.next =
            signed_bit_cast::<48, 25>(self.x1_l[29].q.val()) + signed_bit_cast::<48, 28>(self.d1n_l[2].q.val());
        self.x1s_l[0].d.next = signed_bit_cast::<29, 48>(self.w_x1s.val()); // Q1.23 x1 + d1, 28 bits
        self.w_x1over.next =
            signed_bit_cast::<48, 25>(self.x1_l[29].q.val()) + signed_bit_cast::<48, 30>(self.d1m_l[0].q.val());
        self.x1over_l[0].d.next = !self.w_x1over.val().get_bit(47);
        self.refr_now_l[0].d.next = self.refr_l[29].q.val().any();

        // Cycle 31: the rest. x1 + d1 clamped to 0..=X1_MAX, chosen by its sign and the
        // flag from cycle 30.
        self.w_x1n.next = signed_bit_cast::<48, 29>(self.x1s_l[0].q.val());
        if self.x1over_l[0].q.val() {
            self.w_x1n.next = self.x1_max.val();
        }
        if self.x1s_l[0].q.val().get_bit(28) {
            self.w_x1n.next = self.zero.val();
        }
        if self.refr_now_l[0].q.val() {
            self.w_x1n.next = self.zero.val(); // absolute refractory: the filament cannot grow
        }
        self.x1n_l[0].d.next = signed_bit_cast::<25, 48>(self.w_x1n.val()); // Q1.23 in 0..=1.5
        self.refrn_l[0].d.next = self.refr_l[30].q.val();
        if self.refr_now_l[0].q.val() {
            self.refrn_l[0].d.next = self.refr_l[30].q.val() - 1;
        }
        // Spike when x1' + x2 ≥ 1, x1' being x1 + d1 clamped to 0..=X1_MAX (0 while refractory).
        self.spike_l[0].d.next = self.cross_l[0].q.val();
        if self.x1over_l[0].q.val() {
            self.spike_l[0].d.next = self.x2mid_l[0].q.val(); // x1' = X1_MAX
        }
        if self.refr_now_l[0].q.val() | self.x1s_l[0].q.val().get_bit(28) {
            self.spike_l[0].d.next = self.x2hi_l[0].q.val(); // x1' = 0 (refractory, or x1 + d1 < 0)
        }
        self.dep_l[0].d.next = signed_bit_cast::<25, 48>(self.mul_eta.p.val()); // Q1.23 eta·(x2max − x2), 25 bits

        // ================= c9 (cycles 32–35): spike rules, cycle-to-cycle redraw of m =================
        // Its candidates are made ahead, each into a register, so cycle 35 only chooses
        // (no add-and-clamp in front of the output registers). The
        // redraw's operands do not depend on c8, so it starts early: cycle 28 draws,
        // cycle 29 sums the draw's bytes, cycle 30 starts the product, cycle 33 adds
        // 1 + c2c·xi and checks its bounds, and cycle 34 clamps it.
        self.draw2.state.next = self.rng1_l[26].q.val();
        self.drawn2_l[0].d.next = self.draw2.drawn.val();
        self.rng2_l[0].d.next = self.drawn2_l[0].q.val();
        self.gauss2.draw.next = self.drawn2_l[0].q.val();
        self.xi2_l[0].d.next = self.gauss2.xi.val(); // integer −510..=510
        self.mul_c2c.a.next = signed_bit_cast::<25, 18>(self.xi2_l[0].q.val());
        self.mul_c2c.k.next = signed_cast(self.c9_c2c.word.val().get_bits::<18>(0));
        self.mul_c2c.shift.next = self.c9_c2c.word.val().get_bits::<6>(18);
        // |c2c·xi| ≤ 2^17 · 510 < 2^26, so the product's low 28 bits are all of it: cut to
        // them, the add and the clamp's compares are 28 bits wide instead of 48 (synthesis
        // cannot know the register's upper bits only copy the sign).
        self.w_c2c.next = signed_bit_cast::<28, 48>(self.mul_c2c.p.val()); // UQ3.14 c2c·xi, 28 bits
        self.msum_l[0].d.next =
            signed_bit_cast::<18, 48>(self.one_m.val() + signed_bit_cast::<48, 28>(self.w_c2c.val())); // UQ3.14 1 + c2c·xi, low 18 bits
        self.m_low_l[0].d.next = self.w_c2c.val() < self.c2c_floor.val(); // 1 + c2c·xi < M_MIN
        self.m_high_l[0].d.next = self.w_c2c.val() > self.c2c_ceiling.val(); // 1 + c2c·xi > M_MAX
        self.m_new_l[0].d.next = self.msum_l[0].q.val();
        if self.m_low_l[0].q.val() {
            self.m_new_l[0].d.next = self.m_min.val();
        }
        if self.m_high_l[0].q.val() {
            self.m_new_l[0].d.next = self.m_max.val();
        }

        // Cycle 32: x2max and its room above x2. Cycle 33: x2 after a spike's deposit, and
        // whether that is above x2max (the room less the deposit is negative). Cycle 34:
        // clamped to 0..=x2max (the upper bound last, as the model's `max(0).min(x2max)`).
        self.x2dmax_l[0].d.next = signed_cast(self.c9_x2max.word.val().get_bits::<25>(0)); // Q1.23
        self.w_x2droom.next = signed_bit_cast::<48, 25>(signed_cast(self.c9_x2max.word.val().get_bits::<25>(0)))
            - signed_bit_cast::<48, 25>(self.x2n_l[19].q.val());
        self.x2droom_l[0].d.next = signed_bit_cast::<27, 48>(self.w_x2droom.val()); // Q1.23 x2max − x2, 26 bits
        self.w_x2dep.next =
            signed_bit_cast::<48, 25>(self.x2n_l[20].q.val()) + signed_bit_cast::<48, 25>(self.dep_l[1].q.val());
        self.x2dep_l[0].d.next = signed_bit_cast::<26, 48>(self.w_x2dep.val()); // Q1.23 x2 + deposit, 26 bits
        self.w_x2dover.next =
            signed_bit_cast::<48, 27>(self.x2droom_l[0].q.val()) - signed_bit_cast::<48, 25>(self.dep_l[1].q.val());
        self.x2dover_l[0].d.next = self.w_x2dover.val().get_bit(47);
        self.w_x2s.next = signed_bit_cast::<48, 26>(self.x2dep_l[0].q.val());
        if self.x2dep_l[0].q.val().get_bit(25) {
            self.w_x2s.next = self.zero.val();
        }
        if self.x2dover_l[0].q.val() {
            self.w_x2s.next = signed_bit_cast::<48, 25>(self.x2dmax_l[1].q.val());
        }
        self.x2s_l[0].d.next = signed_bit_cast::<25, 48>(self.w_x2s.val()); // Q1.23 in 0..=x2max

        // Cycle 35: the next state into the output registers.
        self.w_redraw.next = self.spike_l[3].q.val() & self.c9_flags.word.val().get_bit(1);
        self.o_valid.d.next = self.valid_l[34].q.val();
        self.o_tag.d.next = self.tag_l[34].q.val();
        self.o_spike.d.next = self.spike_l[3].q.val();
        self.o_x1.d.next = self.x1n_l[3].q.val();
        self.o_x2.d.next = self.x2n_l[22].q.val();
        self.o_v.d.next = self.vn_l[26].q.val();
        self.o_refr.d.next = self.refrn_l[3].q.val();
        self.o_m.d.next = self.m_l[34].q.val();
        self.o_rng.d.next = self.rng1_l[33].q.val();
        if self.spike_l[3].q.val() {
            self.o_x1.d.next = signed_bit_cast::<25, 48>(self.zero.val());
            self.o_x2.d.next = self.x2s_l[0].q.val();
            self.o_v.d.next = self.vspk_l[30].q.val();
            self.o_refr.d.next = self.c9_refr.word.val().get_bits::<16>(0);
        }
        if self.w_redraw.val() {
            self.o_m.d.next = self.m_new_l[0].q.val();
            self.o_rng.d.next = self.rng2_l[5].q.val();
        }
        self.out_valid.next = self.o_valid.q.val();
        self.out_tag.next = self.o_tag.q.val();
        self.out_spike.next = self.o_spike.q.val();
        self.out_x1.next = self.o_x1.q.val();
        self.out_x2.next = self.o_x2.q.val();
        self.out_v.next = self.o_v.q.val();
        self.out_m.next = self.o_m.q.val();
        self.out_refr.next = self.o_refr.q.val();
        self.out_rng.next = self.o_rng.q.val();

        // Cycle 32: the spike flag, as soon as it is registered.
        self.fired_valid.next = self.valid_l[31].q.val();
        self.fired_tag.next = self.tag_l[31].q.val();
        self.fired.next = self.valid_l[31].q.val() & self.spike_l[0].q.val();
        self.unwritten.next =
            self.valid_l[31].q.val() | self.valid_l[32].q.val() | self.valid_l[33].q.val() | self.valid_l[34].q.val();
    }
}
