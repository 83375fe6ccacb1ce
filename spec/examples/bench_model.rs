use memfire_spec::generate::RandomNetwork;
use memfire_spec::model::FixedModel;
fn main() {
    for (noise, fanout) in [(false, 100), (false, 0), (true, 100)] {
        let mut rn = RandomNetwork::benchmark(noise);
        rn.fanout = fanout;
        let (net, stim) = rn.build().unwrap();
        let mut m = FixedModel::new(&net).unwrap();
        let t = std::time::Instant::now();
        m.run(&stim, 100_000, |_, _| {});
        let s = t.elapsed().as_secs_f64();
        let st = m.stats();
        println!("noise={noise} fanout={fanout} {:.3}s upd/s {:.3e} syn/s {:.3e} spikes {}", s, st.neuron_updates as f64 / s, st.synaptic_events as f64 / s, st.spikes);
    }
}
