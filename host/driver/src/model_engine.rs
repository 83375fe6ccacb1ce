//! The software model as an `Engine`: the spec crate's fixed-point model (bit-exact with
//! the hardware) or its f64 reference.

use memfire_spec::format_stimulus::Stimulus;
use memfire_spec::kernel::Probe;
use memfire_spec::model::{FixedModel, FloatModel, ModelStats};
use memfire_spec::network::Network;

use crate::engine::{check_same_synapses, check_same_wiring, Engine, RunStats, Wiring};
use crate::error::{EngineError, Result};

/// Which arithmetic the model uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Precision {
    /// Bit-exact fixed point, as the FPGA computes (default).
    #[default]
    Fixed,
    /// f64 reference.
    Float,
}

#[derive(Debug)]
enum Loaded {
    Fixed(Box<FixedModel>),
    Float(Box<FloatModel>),
}

/// The pure-Rust model backend.
#[derive(Debug)]
pub struct ModelEngine {
    precision: Precision,
    threads: usize,
    loaded: Option<(Loaded, u32)>,
    /// The loaded network's wiring, which `set_params` must find unchanged.
    wiring: Option<Wiring>,
}

impl ModelEngine {
    /// A model backend with the given arithmetic, in one thread.
    pub fn new(precision: Precision) -> ModelEngine {
        ModelEngine {
            precision,
            threads: 1,
            loaded: None,
            wiring: None,
        }
    }

    /// A model backend on `threads` threads (at least 1; more only in fixed point, whose
    /// spikes are the same for any count).
    pub fn with_threads(precision: Precision, threads: usize) -> Result<ModelEngine> {
        let bad = |why: &str| EngineError::UnknownBackend {
            given: format!("model with {threads} threads"),
            hint: why.into(),
        };
        if threads == 0 {
            return Err(bad("give at least 1 thread"));
        }
        if threads > 1 && precision == Precision::Float {
            return Err(bad(
                "the f64 reference model runs in one thread; use the fixed-point model",
            ));
        }
        Ok(ModelEngine {
            threads,
            ..ModelEngine::new(precision)
        })
    }

    fn loaded(&mut self) -> Result<(&mut Loaded, u32)> {
        self.loaded.as_mut().map(|(l, n)| (l, *n)).ok_or(EngineError::NotLoaded)
    }
}

fn stats_delta(before: ModelStats, after: ModelStats) -> RunStats {
    RunStats {
        steps: after.steps - before.steps,
        neuron_updates: after.neuron_updates - before.neuron_updates,
        spikes: after.spikes - before.spikes,
        synaptic_events: after.synaptic_events - before.synaptic_events,
        dropped: 0,
    }
}

impl Engine for ModelEngine {
    fn name(&self) -> String {
        match self.precision {
            Precision::Fixed if self.threads > 1 => format!("model (fixed point, {} threads)", self.threads),
            Precision::Fixed => "model (fixed point)".into(),
            Precision::Float => "model (f64)".into(),
        }
    }

    fn load(&mut self, network: &Network) -> Result<()> {
        let model = match self.precision {
            Precision::Fixed => {
                let mut model = FixedModel::new(network)?;
                model
                    .set_threads(self.threads)
                    .map_err(|why| EngineError::UnknownBackend {
                        given: format!("model with {} threads", self.threads),
                        hint: why,
                    })?;
                Loaded::Fixed(Box::new(model))
            }
            Precision::Float => Loaded::Float(Box::new(FloatModel::new(network)?)),
        };
        self.loaded = Some((model, network.neurons()));
        self.wiring = Some(Wiring::of(network));
        Ok(())
    }

    fn set_params(&mut self, network: &Network) -> Result<()> {
        check_same_wiring(self.wiring.as_ref(), network)?;
        network.validate()?;
        match self.loaded()?.0 {
            Loaded::Fixed(m) => m.set_params(network)?,
            Loaded::Float(m) => m.set_params(network)?,
        }
        Ok(())
    }

    fn set_weights(&mut self, network: &Network) -> Result<()> {
        check_same_synapses(self.wiring.as_ref(), network)?;
        network.validate()?;
        match self.loaded()?.0 {
            Loaded::Fixed(m) => m.set_weights(network),
            Loaded::Float(m) => m.set_weights(network),
        }
        self.wiring = Some(Wiring::of(network));
        Ok(())
    }

    fn reset(&mut self) -> Result<()> {
        match self.loaded()?.0 {
            Loaded::Fixed(m) => m.reset(),
            Loaded::Float(m) => m.reset(),
        }
        Ok(())
    }

    fn neurons(&self) -> Option<u32> {
        self.loaded.as_ref().map(|(_, n)| *n)
    }

    fn step_index(&self) -> u64 {
        match &self.loaded {
            Some((Loaded::Fixed(m), _)) => m.step_index(),
            Some((Loaded::Float(m), _)) => m.step_index(),
            None => 0,
        }
    }

    fn run(&mut self, stimulus: &Stimulus, steps: u64, sink: &mut dyn FnMut(u64, &[u32])) -> Result<RunStats> {
        let (model, neurons) = self.loaded()?;
        if let Some(e) = stimulus.events().iter().find(|e| e.neuron >= neurons) {
            return Err(EngineError::Stimulus(format!(
                "event at step {} sets neuron {}, but the network has {neurons} neurons",
                e.step, e.neuron
            )));
        }
        Ok(match model {
            Loaded::Fixed(m) => {
                let before = m.stats();
                m.run(stimulus, steps, sink);
                stats_delta(before, m.stats())
            }
            Loaded::Float(m) => {
                let before = m.stats();
                m.run(stimulus, steps, sink);
                stats_delta(before, m.stats())
            }
        })
    }

    fn probe(&mut self, neuron: u32) -> Result<Probe> {
        let (model, neurons) = self.loaded()?;
        if neuron >= neurons {
            return Err(EngineError::NeuronOutOfRange { neuron, neurons });
        }
        Ok(match model {
            Loaded::Fixed(m) => m.probe(neuron),
            Loaded::Float(m) => m.probe(neuron),
        })
    }
}
