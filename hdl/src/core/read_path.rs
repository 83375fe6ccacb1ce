//! `ReadPath`: the bus read's answer, nine cycles after its strobe. Every memory's word
//! and the registers' word are registered as they come (an ECP5 block RAM's output is
//! ~5.8 ns late in a 10 ns cycle, so nothing may follow it in the same cycle), then the
//! region's word is chosen, then the lanes' word (their read address, their memories'
//! words twice, the summed stage behind them and the chosen word are registered inside the
//! lanes, so it comes four cycles after the others) is chosen by lane, and the synapse word
//! (its bank registers the host's access, reads it in the synapse memory's four cycles and
//! registers the word, which is registered here too) is taken last:
//! 1. strobe, region and lane registered;
//! 2. the probe-list word registered;
//! 3. the region's word among those, the register file's with the DMA engine's (each
//!    registers its word two cycles after the strobe); the output ring's word registered
//!    (the ring registers its block RAM's word first);
//! 4. the output ring's half, or the region's word; 5. and 6. that, waiting for the lanes;
//! 7. the lanes' word, by lane, and the synapse word, each registered;
//! 8. the synapse word, the lanes' word or the region's;
//! 9. the answer.

use memfire_spec::memmap::Region;
use rust_hdl::prelude::*;

use super::{lane_ids, region};

#[derive(LogicBlock)]
pub struct ReadPath<const P: usize> {
    pub clock: Signal<In, Clock>,
    /// The registered read (from `BusPort`) and its neuron's lane.
    pub re: Signal<In, Bit>,
    pub region: Signal<In, Bits<5>>,
    pub index: Signal<In, Bits<20>>,
    pub lane: Signal<In, Bits<32>>,
    /// The words that can answer: the core's and the DMA engine's registers (two cycles
    /// after the strobe), the probe list (the cycle after), the output ring (two cycles
    /// after), each lane's and the synapse banks' (six cycles after).
    pub reg_value: Signal<In, Bits<32>>,
    pub dma_reg_value: Signal<In, Bits<32>>,
    pub syn_rdata: Signal<In, Bits<32>>,
    pub list_rdata: Signal<In, Bits<32>>,
    pub out_rdata: Signal<In, Bits<64>>,
    pub lane_rdata: [Signal<In, Bits<32>>; P],
    pub rdata: Signal<Out, Bits<32>>,
    pub rvalid: Signal<Out, Bit>,

    strobe1: DFF<Bit>,
    region1: DFF<Bits<5>>,
    lane1: DFF<Bits<32>>,
    half1: DFF<Bit>,
    strobe2: DFF<Bit>,
    region2: DFF<Bits<5>>,
    lane2: DFF<Bits<32>>,
    half2: DFF<Bit>,
    list2: DFF<Bits<32>>,
    strobe3: DFF<Bit>,
    out3: DFF<Bits<64>>,
    ring3: DFF<Bit>,
    half3: DFF<Bit>,
    lane3: DFF<Bits<32>>,
    word3: DFF<Bits<32>>,
    /// The region is outside the lanes: `word3` (or, with `syn3`, the synapse word)
    /// answers, not the lanes (whose read-data region may be a probe's field meanwhile).
    other3: DFF<Bit>,
    syn3: DFF<Bit>,
    strobe4: DFF<Bit>,
    lane4: DFF<Bits<32>>,
    word4: DFF<Bits<32>>,
    other4: DFF<Bit>,
    syn4: DFF<Bit>,
    strobe5: DFF<Bit>,
    word5: DFF<Bits<32>>,
    other5: DFF<Bit>,
    syn5: DFF<Bit>,
    lane5: DFF<Bits<32>>,
    strobe6: DFF<Bit>,
    word6: DFF<Bits<32>>,
    other6: DFF<Bit>,
    syn6: DFF<Bit>,
    lane6: DFF<Bits<32>>,
    strobe7: DFF<Bit>,
    word7: DFF<Bits<32>>,
    other7: DFF<Bit>,
    syn7: DFF<Bit>,
    lane_word7: DFF<Bits<32>>,
    syn_word7: DFF<Bits<32>>,
    strobe8: DFF<Bit>,
    word8: DFF<Bits<32>>,
    lane_word: Signal<Local, Bits<32>>,
    lane_id: [Constant<Bits<32>>; P],
    g_regs: Constant<Bits<5>>,
    g_synapse: Constant<Bits<5>>,
    g_probe_list: Constant<Bits<5>>,
    g_out_ring: Constant<Bits<5>>,
}

impl<const P: usize> Default for ReadPath<P> {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            re: Default::default(),
            region: Default::default(),
            index: Default::default(),
            lane: Default::default(),
            reg_value: Default::default(),
            dma_reg_value: Default::default(),
            syn_rdata: Default::default(),
            list_rdata: Default::default(),
            out_rdata: Default::default(),
            lane_rdata: core::array::from_fn(|_| Default::default()),
            rdata: Default::default(),
            rvalid: Default::default(),
            strobe1: Default::default(),
            region1: Default::default(),
            lane1: Default::default(),
            half1: Default::default(),
            strobe2: Default::default(),
            region2: Default::default(),
            lane2: Default::default(),
            half2: Default::default(),
            list2: Default::default(),
            strobe3: Default::default(),
            out3: Default::default(),
            ring3: Default::default(),
            half3: Default::default(),
            lane3: Default::default(),
            word3: Default::default(),
            other3: Default::default(),
            syn3: Default::default(),
            strobe4: Default::default(),
            lane4: Default::default(),
            word4: Default::default(),
            other4: Default::default(),
            syn4: Default::default(),
            strobe5: Default::default(),
            word5: Default::default(),
            other5: Default::default(),
            syn5: Default::default(),
            lane5: Default::default(),
            strobe6: Default::default(),
            word6: Default::default(),
            other6: Default::default(),
            syn6: Default::default(),
            lane6: Default::default(),
            strobe7: Default::default(),
            word7: Default::default(),
            other7: Default::default(),
            syn7: Default::default(),
            lane_word7: Default::default(),
            syn_word7: Default::default(),
            strobe8: Default::default(),
            word8: Default::default(),
            lane_word: Default::default(),
            lane_id: lane_ids::<P>(),
            g_regs: region(Region::Regs),
            g_synapse: region(Region::Synapse),
            g_probe_list: region(Region::ProbeList),
            g_out_ring: region(Region::OutRing),
        }
    }
}

impl<const P: usize> Logic for ReadPath<P> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, strobe1, region1, lane1, half1, strobe2, region2, lane2, half2, list2, strobe3, out3, ring3,
            half3, lane3, word3, other3, syn3, strobe4, lane4, word4, other4, syn4, strobe5, word5, other5, syn5,
            lane5, strobe6, word6, other6, syn6, lane6, strobe7, word7, other7, syn7, lane_word7, syn_word7, strobe8,
            word8
        );
        // 1.
        self.strobe1.d.next = self.re.val();
        self.region1.d.next = self.region.val();
        self.lane1.d.next = self.lane.val();
        self.half1.d.next = self.index.val().get_bit(0);
        // 2.
        self.strobe2.d.next = self.strobe1.q.val();
        self.region2.d.next = self.region1.q.val();
        self.lane2.d.next = self.lane1.q.val();
        self.half2.d.next = self.half1.q.val();
        self.list2.d.next = self.list_rdata.val();
        // 3.
        self.strobe3.d.next = self.strobe2.q.val();
        self.lane3.d.next = self.lane2.q.val();
        self.word3.d.next = bits::<32>(0);
        self.other3.d.next = false;
        self.syn3.d.next = false;
        self.out3.d.next = self.out_rdata.val();
        self.ring3.d.next = false;
        self.half3.d.next = self.half2.q.val();
        // (Each of the two register blocks answers 0 for the other's indices.)
        if self.region2.q.val() == self.g_regs.val() {
            self.word3.d.next = self.reg_value.val() | self.dma_reg_value.val();
            self.other3.d.next = true;
        }
        if self.region2.q.val() == self.g_synapse.val() {
            self.other3.d.next = true;
            self.syn3.d.next = true;
        }
        if self.region2.q.val() == self.g_probe_list.val() {
            self.word3.d.next = self.list2.q.val();
            self.other3.d.next = true;
        }
        if self.region2.q.val() == self.g_out_ring.val() {
            self.other3.d.next = true;
            self.ring3.d.next = true;
        }
        // 4.
        self.strobe4.d.next = self.strobe3.q.val();
        self.lane4.d.next = self.lane3.q.val();
        self.word4.d.next = self.word3.q.val();
        if self.ring3.q.val() {
            self.word4.d.next = self.out3.q.val().get_bits::<32>(32); // step
            if self.half3.q.val() {
                self.word4.d.next = self.out3.q.val().get_bits::<32>(0); // neuron
            }
        }
        self.other4.d.next = self.other3.q.val();
        self.syn4.d.next = self.syn3.q.val();
        // 5.
        self.strobe5.d.next = self.strobe4.q.val();
        self.word5.d.next = self.word4.q.val();
        self.other5.d.next = self.other4.q.val();
        self.syn5.d.next = self.syn4.q.val();
        self.lane5.d.next = self.lane4.q.val();
        // 6.
        self.strobe6.d.next = self.strobe5.q.val();
        self.word6.d.next = self.word5.q.val();
        self.other6.d.next = self.other5.q.val();
        self.syn6.d.next = self.syn5.q.val();
        self.lane6.d.next = self.lane5.q.val();
        // 7.
        self.lane_word.next = bits::<32>(0);
        for i in 0..P {
            if self.lane6.q.val() == self.lane_id[i].val() {
                self.lane_word.next = self.lane_rdata[i].val();
            }
        }
        self.strobe7.d.next = self.strobe6.q.val();
        self.word7.d.next = self.word6.q.val();
        self.other7.d.next = self.other6.q.val();
        self.syn7.d.next = self.syn6.q.val();
        self.lane_word7.d.next = self.lane_word.val();
        self.syn_word7.d.next = self.syn_rdata.val();
        // 8.
        self.strobe8.d.next = self.strobe7.q.val();
        self.word8.d.next = self.lane_word7.q.val();
        if self.other7.q.val() {
            self.word8.d.next = self.word7.q.val();
        }
        if self.syn7.q.val() {
            self.word8.d.next = self.syn_word7.q.val();
        }
        // 9.
        self.rvalid.next = self.strobe8.q.val();
        self.rdata.next = self.word8.q.val();
    }
}
