//! `memfire bench`'s figures of the simulated FPGA (built with the `sim` feature).

use crate::output::say;
use std::time::Instant;

use anyhow::Result;
use memfire_spec::generate::Preset;

use crate::progress::bar;

/// Cycles between the DMA writer's spike writes (`hdl/src/dma/c2h_writer.rs`).
const DMA_CYCLES_PER_SPIKE_WRITE: u32 = 5;

/// Every figure of the simulated boards: the preset's network measured over `steps` steps
/// after `warmup`, and the DMA streams.
pub fn run(p: &Preset, warmup: u64, steps: u64) -> Result<()> {
    measure_sim(p, warmup, steps)?;
    measure_sim_spike_stream((steps / 4).max(1))?;
    measure_pcie_spike_stream(steps.max(1))
}

/// The benchmark network (noise off) on the simulated FPGA: Verilator's speed, and what the
/// design would do on a board at 100 MHz, over a window after the warm-up.
fn measure_sim(p: &Preset, warmup: u64, steps: u64) -> Result<()> {
    use memfire_host::Engine;
    let (net, stim) = crate::cmd_bench::network_of(p, false).build()?;
    let mut dev = memfire_sim::open_device(memfire_sim::SimOptions::default())?;
    if net.neurons() > dev.capacity().neurons {
        say!(
            "sim: skipped ({} has {} neurons; the simulated core holds {})",
            p.name,
            net.neurons(),
            dev.capacity().neurons
        );
        return Ok(());
    }
    let words: usize = memfire_host::device_image::build(&net, &dev.capacity())?
        .blocks
        .iter()
        .map(|b| b.words.len())
        .sum();
    let (upload_start, upload_cycles) = (Instant::now(), dev.backend_mut().cycles());
    dev.load(&net)?;
    let upload_cycles = dev.backend_mut().cycles() - upload_cycles;
    say!(
        "sim_upload: {words} words through the host-to-card ring as configuration records in {upload_cycles} cycles ({:.1} cycles/word; {:.2} ms at 100 MHz), {:.2} s simulated",
        upload_cycles as f64 / words as f64,
        upload_cycles as f64 / 1e5,
        upload_start.elapsed().as_secs_f64()
    );
    let pb = bar(warmup, "sim warm-up");
    let mut done = 0;
    while done < warmup {
        let n = (warmup / 50).max(1).min(warmup - done);
        dev.run(&stim, n, &mut |_, _| {})?;
        done += n;
        pb.set_position(done);
    }
    pb.finish_and_clear();
    let cycles_before = dev.backend_mut().cycles();
    let pb = bar(steps, "sim");
    let chunk = (steps / 50).max(1);
    let start = Instant::now();
    let (mut done, mut spikes, mut events) = (0, 0u64, 0u64);
    while done < steps {
        let n = chunk.min(steps - done);
        let stats = dev.run(&stim, n, &mut |_, _| {})?;
        spikes += stats.spikes;
        events += stats.synaptic_events;
        done += n;
        pb.set_position(done);
    }
    let secs = start.elapsed().as_secs_f64();
    pb.finish_and_clear();
    let cycles = dev.backend_mut().cycles() - cycles_before;
    let updates = steps * u64::from(net.neurons());
    let per_step = cycles as f64 / steps as f64;
    let lanes = dev.capacity().lanes;
    say!("sim_clock: {:.3e} cycles/s", cycles as f64 / secs);
    say!("sim_neuron_updates: {:.3e} updates/s", updates as f64 / secs);
    say!(
        "sim_spike_events_to_host: {:.3e} events/s ({spikes} spikes)",
        spikes as f64 / secs
    );
    say!(
        "sim_cycles_per_step: {per_step:.0} cycles ({} neurons, {:.1} spikes and {:.0} synaptic events per step, steps {warmup}..{})",
        net.neurons(),
        spikes as f64 / steps as f64,
        events as f64 / steps as f64,
        warmup + steps
    );
    say!(
        "fpga_neuron_updates_at_100MHz: {:.3e} updates/s (this network, {lanes} lane{}: {:.2} updates/cycle)",
        f64::from(net.neurons()) * 1e8 / per_step,
        if lanes == 1 { "" } else { "s" },
        f64::from(net.neurons()) / per_step
    );
    say!(
        "fpga_synaptic_events_per_cycle: {:.3} events/cycle",
        events as f64 / cycles as f64
    );
    // The simulated board's core is a board image's (MEMFIRE_SIM_CORE, see
    // scripts/bench-images.sh): that image's updates per second at its clock.
    if let Some((image, hz, clock)) = memfire_sim::board_image() {
        say!(
            "fpga_{image}_neuron_updates: {:.3e} updates/s (its core {}: {per_step:.0} cycles per step of this network in Verilator, at {clock})",
            f64::from(net.neurons()) * hz / per_step,
            memfire_sim::CORE_CONFIG
        );
    }
    measure_sim_probes(&mut dev, &stim, per_step)
}

/// Per-step probe records of 16 neurons streamed beside the spikes: what they cost the
/// core per step (it stops while each record goes to the host).
fn measure_sim_probes(
    dev: &mut memfire_host::Device<memfire_sim::SimBackend>,
    stim: &memfire_spec::format_stimulus::Stimulus,
    plain_per_step: f64,
) -> Result<()> {
    use memfire_host::Engine;
    let probes: Vec<u32> = (0..16).map(|i| i * 61).collect();
    let steps = 200;
    let (start, cycles_before) = (Instant::now(), dev.backend_mut().cycles());
    let mut records = 0u64;
    dev.run_probed(stim, steps, &probes, &mut |_, _| {}, &mut |_, _, _| records += 1)?;
    let secs = start.elapsed().as_secs_f64();
    let per_step = (dev.backend_mut().cycles() - cycles_before) as f64 / steps as f64;
    say!(
        "sim_probe_stream: {records} probe records of {} neurons in {steps} steps ({:.3e} records/s simulated; streamed: {}); {per_step:.0} cycles/step vs {plain_per_step:.0} without probes = {:.1} cycles per record",
        probes.len(),
        records as f64 / secs,
        dev.streams_probes(probes.len()),
        (per_step - plain_per_step) / probes.len() as f64
    );
    Ok(())
}

/// Spikes streamed to the host through the card-to-host DMA ring of the simulated board:
/// 1024 strongly driven neurons, no synapses: a few spikes every step from the first steps on
/// (about 5 per step over the first 5000).
fn measure_sim_spike_stream(steps: u64) -> Result<()> {
    use memfire_host::Engine;
    use memfire_spec::format_stimulus::Stimulus;
    use memfire_spec::network::Network;
    use memfire_spec::params::NeuronParams;
    let n = 1024;
    let net = Network::new(n, 9, NeuronParams::default())?;
    let inputs: Vec<(u32, f64)> = (0..n).map(|i| (i, 3.0 + f64::from(i % 100) * 0.01)).collect();
    let stim = Stimulus::constant(&inputs, n).map_err(anyhow::Error::msg)?;
    let mut dev = memfire_sim::open_device(memfire_sim::SimOptions::default())?;
    dev.load(&net)?;
    let cycles_before = dev.backend_mut().cycles();
    let (_, writes_before) = dev.backend_mut().dma_requests();
    let start = Instant::now();
    let stats = dev.run(&stim, steps, &mut |_, _| {})?;
    let secs = start.elapsed().as_secs_f64();
    let cycles = dev.backend_mut().cycles() - cycles_before;
    let (_, writes) = dev.backend_mut().dma_requests();
    say!(
        "sim_dma_spike_stream: {:.3e} spikes/s to the host ({} spikes in {steps} steps, {} DMA writes, dma={})",
        stats.spikes as f64 / secs,
        stats.spikes,
        writes - writes_before,
        dev.uses_dma()
    );
    let bound = 1.0 / DMA_CYCLES_PER_SPIKE_WRITE as f64;
    say!(
        "fpga_dma_spikes_per_cycle: {:.4} spikes/cycle on this network; engine bound {bound} (one 8-byte write per {DMA_CYCLES_PER_SPIKE_WRITE} cycles: the write's request and its acceptance, two for the output ring's registered read of the next record, one idle) = {:.1e} spikes/s at 100 MHz",
        stats.spikes as f64 / cycles as f64,
        bound * 1e8
    );
    Ok(())
}

/// Spikes through the simulated PCIe board: the TLP adapter and `core-small` under
/// Verilator, a root-complex model on the link. Reports what one spike costs on the link.
fn measure_pcie_spike_stream(steps: u64) -> Result<()> {
    use memfire_host::Engine;
    use memfire_spec::format_stimulus::Stimulus;
    use memfire_spec::network::Network;
    use memfire_spec::params::NeuronParams;
    let n = 64;
    let net = Network::new(n, 9, NeuronParams::default())?;
    let inputs: Vec<(u32, f64)> = (0..n).map(|i| (i, 3.0 + f64::from(i) * 0.01)).collect();
    let stim = Stimulus::constant(&inputs, n).map_err(anyhow::Error::msg)?;
    let mut dev = memfire_sim::open_pcie_device(Default::default(), Default::default())?;
    dev.load(&net)?;
    let cycles_before = dev.backend_mut().cycles();
    let link_before = dev.backend_mut().stats();
    let start = Instant::now();
    let stats = dev.run(&stim, steps, &mut |_, _| {})?;
    let secs = start.elapsed().as_secs_f64();
    let cycles = dev.backend_mut().cycles() - cycles_before;
    let link = dev.backend_mut().stats();
    let wrote = link.dma_write_bytes - link_before.dma_write_bytes;
    let writes = link.dma_writes - link_before.dma_writes;
    let reads = link.dma_reads - link_before.dma_reads;
    say!(
        "sim_pcie_spike_stream: {:.3e} spikes/s to the host, {:.3e} cycles/s ({} spikes of 64 neurons in {steps} steps; {writes} memory writes, {wrote} bytes; {reads} reads; {} MSIs)",
        stats.spikes as f64 / secs,
        cycles as f64 / secs,
        stats.spikes,
        link.msis - link_before.msis
    );
    say!(
        "pcie_link_bytes_per_spike: {:.1} payload bytes and {:.2} memory writes per spike (8-byte events + descriptor write-backs); at 62.5 MHz this network would send {:.2e} spikes/s",
        wrote as f64 / stats.spikes.max(1) as f64,
        writes as f64 / stats.spikes.max(1) as f64,
        stats.spikes as f64 / cycles as f64 * 62.5e6
    );
    Ok(())
}
