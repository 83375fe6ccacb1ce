//! The driver on the simulated board against the spec model: random networks (sizes,
//! weights, widths, R_c mixes, noise on and off, seeds) for thousands of steps, run in
//! pieces; the spikes and the final states must be equal. A failure prints the seed and the
//! first differing step and neuron; MEMFIRE_SEED replays one seed.

mod common;

use memfire_host::{Device, DeviceOptions, Engine};
use memfire_sim::{open_device_with, SimBackend, SimOptions};
use memfire_spec::format_spikes::Spike;
use memfire_spec::model::FixedModel;

fn first_difference(a: &[Spike], b: &[Spike]) -> String {
    match a.iter().zip(b).position(|(x, y)| x != y) {
        Some(i) => format!("first difference at #{i}: sim {:?}, model {:?}", a[i], b[i]),
        None => format!(
            "one is a prefix of the other (sim {} spikes, model {})",
            a.len(),
            b.len()
        ),
    }
}

/// The device's spikes, and the final states of every `stride`-th of its `neurons`, equal
/// the model's; `what` names the case in a failure.
fn assert_matches_model(
    dev: &mut Device<SimBackend>,
    model: &FixedModel,
    (got, want): (&[Spike], &[Spike]),
    neurons: u32,
    stride: usize,
    what: &str,
) {
    assert!(got == want, "{what}: spikes differ; {}", first_difference(got, want));
    for i in (0..neurons).step_by(stride) {
        assert_eq!(
            dev.probe(i).expect("probe"),
            model.probe(i),
            "{what}: state of neuron {i} at the end"
        );
    }
}

fn seeds() -> Vec<u64> {
    match std::env::var("MEMFIRE_SEED") {
        Ok(s) => vec![s.parse().expect("MEMFIRE_SEED is a number")],
        Err(_) => (1..=30).collect(),
    }
}

/// Spikes and inputs through the DMA rings, host memory slow and choosy (random read
/// latency, requests refused half the time), small rings so they wrap many times.
#[test]
fn simulated_board_equals_the_model_through_dma() {
    for seed in seeds() {
        let sim = SimOptions {
            mem_latency: (1, 40),
            mem_ready_permille: 500,
            seed,
            ..SimOptions::default()
        };
        let options = common::tiny_rings();
        let mut dev = open_device_with(sim, options).expect("sim opens");
        assert!(dev.uses_dma(), "the sim core has a DMA engine");
        compare(&mut dev, seed);
    }
}

/// Spikes through the output-ring window, inputs through the EXT window between runs.
#[test]
fn simulated_board_equals_the_model_through_windows() {
    let options = DeviceOptions {
        dma: false,
        ..DeviceOptions::default()
    };
    let mut dev = open_device_with(SimOptions::default(), options).expect("sim opens");
    assert!(!dev.uses_dma());
    let mut total = 0;
    for seed in seeds() {
        total += compare(&mut dev, seed);
    }
    eprintln!("{total} spikes compared");
    assert!(total > 1000, "the random networks spike ({total} spikes)");
}

/// Large random networks (up to the core's 1024 neurons): every lane holds hundreds of
/// neurons, and synapses reach the accumulators at every address of every lane.
#[test]
fn large_random_networks_equal_the_model() {
    for seed in [101, 102, 103] {
        let (net, stim) = common::random_network_up_to(seed, 1024);
        let mut model = FixedModel::new(&net).expect("valid");
        let want = model.run_collect(&stim, 1500);
        let mut dev = open_device_with(SimOptions::default(), DeviceOptions::default()).expect("sim opens");
        dev.load(&net).expect("network fits the sim core");
        let got = dev.run_collect(&stim, 1500).expect("runs");
        let what = format!("seed {seed} ({} neurons, 1500 steps)", net.neurons());
        assert_matches_model(&mut dev, &model, (&got, &want), net.neurons(), 37, &what);
        eprintln!("seed {seed}: {} neurons, {} spikes", net.neurons(), want.len());
    }
}

/// Every width class the core has, from one step to the longest it holds (MAX_WIDTH), on
/// a network whose rows are longer than a lane's share of the neurons, with excitatory and
/// inhibitory synapses: pulses of one source end at sixteen different steps, and the
/// history frees a step's entries only after the widest class's pulses end.
#[test]
fn every_width_class_from_one_step_to_the_longest_equals_the_model() {
    use memfire_spec::generate::Gen;
    use memfire_spec::network::{Network, Synapse};
    use memfire_spec::params::NeuronParams;
    let mut dev = open_device_with(SimOptions::default(), DeviceOptions::default()).expect("sim opens");
    let cap = dev.capacity();
    assert_eq!(cap.width_classes, 16, "the sim core's width classes");
    let neurons = 300;
    let mut widths: Vec<u32> = (0..cap.width_classes - 2).map(|k| 2 + 37 * k).collect();
    widths.extend([1, cap.max_width]);
    for seed in [7, 8] {
        let mut g = Gen::new(seed, 3);
        let mut net = Network::new(neurons, seed, NeuronParams::default()).expect("valid");
        for from in 0..neurons {
            // Rows of 200 synapses: longer than a lane's 150 neurons.
            for _ in 0..200 {
                net.add_synapse(Synapse {
                    from,
                    to: g.below(neurons),
                    weight: g.uniform(-0.02, 0.025),
                    width: widths[g.below(widths.len() as u32) as usize],
                })
                .expect("valid synapse");
            }
        }
        let stim = memfire_spec::format_stimulus::Stimulus::constant(
            &(0..neurons).map(|i| (i, g.uniform(0.8, 1.6))).collect::<Vec<_>>(),
            neurons,
        )
        .expect("valid");
        let mut model = FixedModel::new(&net).expect("valid");
        let want = model.run_collect(&stim, 2500);
        dev.load(&net).expect("16 widths fit the sim core");
        let got = dev.run_collect(&stim, 2500).expect("runs");
        let what = format!("seed {seed}: 16 widths from 1 to {}", cap.max_width);
        assert_matches_model(&mut dev, &model, (&got, &want), neurons, 13, &what);
        eprintln!("{what}: {} spikes", want.len());
        assert!(want.len() > 400, "{what}: the network fires ({} spikes)", want.len());
    }
}

/// Summed synaptic input far past a 32-bit word's 512 V: 128 sources of 3.99 V pulses, each
/// 1023 steps wide, into one neuron, so each source's pulses overlap and the input reaches
/// thousands of volts (the spec's accumulator is 48 bits: `network::MAX_INPUT_LSB`). The
/// target is clamped at 4 V and fires at its fastest in the model; a 32-bit accumulator
/// wraps to a negative input and silences it.
#[test]
fn input_past_512_volts_equals_the_model() {
    use memfire_spec::network::{Network, Synapse};
    use memfire_spec::params::NeuronParams;
    let (sources, target, steps) = (128, 128, 3000);
    let mut net = Network::new(sources + 1, 1, NeuronParams::default()).expect("valid");
    for from in 0..sources {
        net.add_synapse(Synapse {
            from,
            to: target,
            weight: 3.99,
            width: 1023,
        })
        .expect("valid synapse");
    }
    net.validate().expect("within the spec's bounds");
    let stim = memfire_spec::format_stimulus::Stimulus::constant(
        &(0..sources).map(|i| (i, 3.9)).collect::<Vec<_>>(),
        sources + 1,
    )
    .expect("valid");
    let mut model = FixedModel::new(&net).expect("valid");
    let want = model.run_collect(&stim, steps);
    let fired = want.iter().filter(|s| s.neuron == target).count();
    assert!(fired > 10, "the target fires in the model ({fired} spikes)");
    let mut dev = open_device_with(SimOptions::default(), DeviceOptions::default()).expect("sim opens");
    dev.load(&net).expect("network fits the sim core");
    let got = dev.run_collect(&stim, steps).expect("runs");
    assert_matches_model(&mut dev, &model, (&got, &want), sources + 1, 1, "input past 512 V");
}

/// Run seed's network for 3000 steps in two pieces; returns the spikes compared.
fn compare(dev: &mut Device<SimBackend>, seed: u64) -> usize {
    {
        let (net, stim) = common::random_network(seed);
        let mut model = FixedModel::new(&net).expect("valid");
        let want = model.run_collect(&stim, 3000);
        dev.load(&net).expect("network fits the sim core");
        let mut got = dev.run_collect(&stim, 1234).expect("runs");
        got.extend(dev.run_collect(&stim, 3000 - 1234).expect("runs"));
        let what = format!("seed {seed} (3000 steps)");
        assert_matches_model(dev, &model, (&got, &want), net.neurons(), 1, &what);
        want.len()
    }
}

/// Every neuron of the simulated core (1024, on its lanes) fires in the same steps:
/// identical neurons, identical drive. Each group leaves the lanes with a spike from every
/// lane at once, so the spike queue fills and holds the lanes back; a synapse from every
/// neuron makes the walk touch every lane's accumulators. Nothing may be lost or reordered,
/// through the DMA rings (tiny, so the core also stalls on the host) and through the windows.
#[test]
fn neurons_firing_together_lose_no_spike() {
    let (net, stim) = common::synchronous_network(1024);
    let mut model = FixedModel::new(&net).expect("valid");
    let want = model.run_collect(&stim, 1000);
    assert!(
        want.len() >= 3 * 1024,
        "every neuron fires together, three times ({} spikes)",
        want.len()
    );
    for dma in [true, false] {
        let options = DeviceOptions {
            dma,
            ..common::tiny_rings()
        };
        let mut dev = open_device_with(SimOptions::default(), options).expect("sim opens");
        dev.load(&net).expect("network fits the sim core");
        let got = dev.run_collect(&stim, 1000).expect("runs");
        let what = format!("all firing together, dma {dma}");
        assert_matches_model(&mut dev, &model, (&got, &want), net.neurons(), 97, &what);
    }
}

/// A run's probed states: (step, slot in the probe list, state), in arrival order.
type Trace = Vec<(u64, usize, memfire_spec::kernel::Probe)>;

/// Run `steps` steps probing `probes` on `engine`, in two pieces.
fn probed_run(
    engine: &mut dyn Engine,
    stim: &memfire_spec::format_stimulus::Stimulus,
    probes: &[u32],
) -> (Vec<Spike>, Trace) {
    let mut spikes = Vec::new();
    let mut trace = Vec::new();
    for steps in [137, 263] {
        engine
            .run_probed(
                stim,
                steps,
                probes,
                &mut |step, ns| spikes.extend(ns.iter().map(|&neuron| Spike { step, neuron })),
                &mut |step, slot, p| trace.push((step, slot, *p)),
            )
            .expect("probed run");
    }
    (spikes, trace)
}

/// Per-step probes stream through the card-to-host ring as probe records, beside the
/// spikes, while the core runs: every step's state of every listed neuron (repeats
/// allowed) equals the model's, through tiny rings and slow host memory; without DMA the
/// driver probes between steps and gets the same.
#[test]
fn probe_records_carry_the_models_state_every_step() {
    let seeds = match std::env::var("MEMFIRE_SEED") {
        Ok(s) => vec![s.parse().expect("MEMFIRE_SEED is a number")],
        Err(_) => (1..=6).collect(),
    };
    for seed in seeds {
        let (net, stim) = common::random_network(seed);
        let n = net.neurons();
        let mut g = memfire_spec::generate::Gen::new(seed, 5);
        let mut probes: Vec<u32> = (0..1 + g.below(9)).map(|_| g.below(n)).collect();
        probes.push(probes[0]);
        let mut model = memfire_host::ModelEngine::new(memfire_host::Precision::Fixed);
        model.load(&net).expect("valid");
        let want = probed_run(&mut model, &stim, &probes);
        assert_eq!(want.1.len(), 400 * probes.len());
        for dma in [true, false] {
            let sim = SimOptions {
                mem_latency: (1, 40),
                mem_ready_permille: 500,
                seed,
                ..SimOptions::default()
            };
            let options = DeviceOptions {
                dma,
                ..common::tiny_rings()
            };
            let mut dev = open_device_with(sim, options).expect("sim opens");
            dev.load(&net).expect("network fits the sim core");
            assert_eq!(dev.streams_probes(probes.len()), dma, "probe records with DMA only");
            let got = probed_run(&mut dev, &stim, &probes);
            let what = format!("seed {seed}, dma {dma}, probes {probes:?}");
            assert!(
                got.0 == want.0,
                "{what}: spikes differ; {}",
                first_difference(&got.0, &want.0)
            );
            if let Some(i) = (0..want.1.len()).find(|&i| got.1.get(i) != Some(&want.1[i])) {
                panic!("{what}: probe #{i}: sim {:?}, model {:?}", got.1.get(i), want.1[i]);
            }
            assert_eq!(got.1.len(), want.1.len(), "{what}: probe records");
        }
    }
}
