//! Configuration records in the middle of a run, on the simulated board without the
//! driver's help: the host-to-card ring carries a step's input events, then a `Config`
//! buffer that rewrites a neuron's external input, then later inputs. The core holds that
//! step for the ring, takes the configuration word into its bus decode between the host's
//! accesses, and runs the step with it: the spikes equal the model's with the same change
//! as an input event of that step. MEMFIRE_SEED replays one seed.

mod common;

use std::mem::size_of;
use std::time::Duration;

use memfire_host::bus::Bus;
use memfire_host::device_image::{self, Capacity};
use memfire_sim::{SimBackend, SimOptions};
use memfire_spec::fixed::volts_to_q;
use memfire_spec::format_spikes::Spike;
use memfire_spec::format_stimulus::{StimEvent, Stimulus};
use memfire_spec::memmap::{reg_addr, word_addr, Region};
use memfire_spec::model::FixedModel;
use memfire_spec::regs::{ctrl, dma_ctrl, irq, offset, status};
use memfire_spec::wire::{ConfigWrite, Descriptor, DescriptorKind, InputEvent};

const STEPS: u32 = 1500;
/// The step whose start the configuration word changes.
const AT: u64 = 600;

fn reg(bus: &mut SimBackend, off: u32) -> u32 {
    bus.read32(reg_addr(off)).expect("register read")
}

fn set(bus: &mut SimBackend, off: u32, value: u32) {
    bus.write32(reg_addr(off), value).expect("register write");
}

fn input(e: &StimEvent) -> InputEvent {
    InputEvent {
        step: e.step as u32,
        neuron: e.neuron,
        volts: volts_to_q(e.volts).expect("in range"),
        reserved: 0,
    }
}

/// Load `net` through the memory windows, as the driver does without a DMA engine.
fn load(bus: &mut SimBackend, net: &memfire_spec::network::Network) {
    let cap = Capacity {
        neurons: reg(bus, offset::NEURONS),
        synapses: reg(bus, offset::SYNAPSES),
        max_width: reg(bus, offset::MAX_WIDTH),
        width_classes: reg(bus, offset::WIDTH_CLASSES),
        param_sets: reg(bus, offset::PARAM_SETS),
        lanes: reg(bus, offset::LANES),
    };
    let image = device_image::build(net, &cap).expect("fits");
    for block in &image.blocks {
        bus.write_block(block.addr, &block.words).expect("upload");
    }
    set(bus, offset::CTRL, ctrl::CLEAR);
    set(bus, offset::CLASSES, image.classes);
    set(bus, offset::ACTIVE, image.neurons);
    set(bus, offset::ERRORS, u32::MAX);
    set(bus, offset::IRQ_STATUS, u32::MAX);
    set(bus, offset::IRQ_MASK, irq::DONE | irq::ERROR);
}

/// Put `bytes` in a fresh DMA buffer and describe it as `kind`.
fn buffer(bus: &mut SimBackend, bytes: &[u8], kind: DescriptorKind) -> Descriptor {
    let region = bus
        .dma_alloc(bytes.len().max(8))
        .expect("alloc")
        .expect("the sim has DMA");
    bus.dma_write(&region, 0, bytes).expect("fill");
    Descriptor {
        addr: region.iova,
        len: bytes.len() as u32,
        kind: kind as u16,
        flags: 0,
    }
}

#[test]
fn a_config_record_between_inputs_changes_the_step_it_precedes() {
    let seeds = match std::env::var("MEMFIRE_SEED") {
        Ok(s) => vec![s.parse().expect("MEMFIRE_SEED is a number")],
        Err(_) => (1..=4).collect(),
    };
    for seed in seeds {
        let (net, stim) = common::random_network(seed);
        let n = net.neurons();
        if n < 3 {
            continue;
        }
        // k: the last neuron outside the slow R_c group (`random_network` puts every third
        // neuron in it), so a strong input makes it fire soon.
        let (j, k) = (0, (1..n).rev().find(|i| i % 3 != 0).expect("n ≥ 3"));
        // An input of neuron j at step AT (so the ring reaches the configuration word at
        // that step), then the word: neuron k's external input becomes 1.8 V (it fires).
        let marker = StimEvent {
            step: AT,
            neuron: j,
            volts: 0.8,
        };
        let change = StimEvent {
            step: AT,
            neuron: k,
            volts: 1.8,
        };
        let mut before: Vec<StimEvent> = stim
            .events()
            .iter()
            .filter(|e| e.step < AT || (e.step == AT && e.neuron != j && e.neuron != k))
            .copied()
            .collect();
        before.push(marker);
        let after: Vec<StimEvent> = stim.events().iter().filter(|e| e.step > AT).copied().collect();
        let mut all = [before.clone(), vec![change], after.clone()].concat();
        all.sort_by_key(|e| (e.step, e.neuron));
        let unchanged = Stimulus::new(all.iter().filter(|e| **e != change).copied().collect(), n).expect("valid");
        let model_stim = Stimulus::new(all, n).expect("valid");
        let mut model = FixedModel::new(&net).expect("valid");
        let want = model.run_collect(&model_stim, u64::from(STEPS));
        let mut model = FixedModel::new(&net).expect("valid");
        assert_ne!(
            model.run_collect(&unchanged, u64::from(STEPS)),
            want,
            "seed {seed}: the change shows in the spikes"
        );

        let mut bus = SimBackend::new(SimOptions {
            seed,
            mem_latency: (1, 30),
            ..SimOptions::default()
        })
        .expect("sim");
        load(&mut bus, &net);
        assert!(
            (want.len() as u32) < reg(&mut bus, offset::OUT_RING),
            "seed {seed}: the output ring holds the run"
        );
        let word = ConfigWrite {
            addr: word_addr(Region::Ext, k),
            value: volts_to_q(change.volts).expect("in range") as u32,
        };
        let inputs = |events: &[StimEvent]| events.iter().map(input).collect::<Vec<_>>();
        let mut descriptors = vec![
            buffer(&mut bus, bytemuck::cast_slice(&inputs(&before)), DescriptorKind::Input),
            buffer(&mut bus, bytemuck::bytes_of(&word), DescriptorKind::Config),
        ];
        if !after.is_empty() {
            descriptors.push(buffer(
                &mut bus,
                bytemuck::cast_slice(&inputs(&after)),
                DescriptorKind::Input,
            ));
        }
        let ring = bus
            .dma_alloc(4 * size_of::<Descriptor>())
            .expect("alloc")
            .expect("the sim has DMA");
        for (i, d) in descriptors.iter().enumerate() {
            bus.dma_write(&ring, i * size_of::<Descriptor>(), bytemuck::bytes_of(d))
                .expect("descriptor");
        }
        set(&mut bus, offset::H2C_RING_LO, ring.iova as u32);
        set(&mut bus, offset::H2C_RING_HI, (ring.iova >> 32) as u32);
        set(&mut bus, offset::H2C_RING_SIZE, 4);
        set(&mut bus, offset::DMA_CTRL, dma_ctrl::H2C);
        set(&mut bus, offset::H2C_TAIL, descriptors.len() as u32);
        set(&mut bus, offset::RUN_STEPS, STEPS);
        set(&mut bus, offset::CTRL, ctrl::RUN);
        while reg(&mut bus, offset::STATUS) & status::RUNNING != 0 {
            let step = reg(&mut bus, offset::STEP_LO);
            let raised = bus.wait_irq(Duration::from_secs(20)).expect("simulates");
            assert!(raised, "seed {seed}: the run is stuck at step {step}");
            set(&mut bus, offset::IRQ_STATUS, u32::MAX);
        }
        assert_eq!(reg(&mut bus, offset::ERRORS), 0, "seed {seed}: no error");
        let count = reg(&mut bus, offset::OUT_HEAD) as usize;
        let mut words = vec![0u32; 2 * count];
        bus.read_block(word_addr(Region::OutRing, 0), &mut words)
            .expect("out ring");
        let got: Vec<Spike> = words
            .chunks_exact(2)
            .map(|p| Spike {
                step: u64::from(p[0]),
                neuron: p[1],
            })
            .collect();
        let first = got.iter().zip(&want).position(|(a, b)| a != b);
        assert!(
            got == want,
            "seed {seed}: spikes differ (sim {}, model {}); first difference at #{first:?}",
            got.len(),
            want.len()
        );
        // Neuron k's input at the end: the configured one, or a later input event's.
        let last = model_stim
            .events()
            .iter()
            .rfind(|e| e.neuron == k && e.step < u64::from(STEPS))
            .map(|e| volts_to_q(e.volts).expect("in range") as u32);
        let ext = bus.read32(word_addr(Region::Ext, k)).expect("ext");
        assert_eq!(Some(ext), last, "seed {seed}: neuron {k}'s input at the end");
        assert!(
            reg(&mut bus, offset::H2C_HEAD) >= 2,
            "seed {seed}: the inputs and the configuration buffer were consumed"
        );
        eprintln!("seed {seed}: {n} neurons, {} spikes", want.len());
    }
}
