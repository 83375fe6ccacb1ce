//! Spike streams on tokio: a run goes to a blocking task that owns the engine, and each
//! step's spikes come back as one batch through a bounded channel.
//!
//! Backpressure is end to end: when the consumer stops reading, the channel fills, the
//! blocking task waits in `blocking_send`, stops draining the device, the device's output
//! ring fills and the core stalls (it counts the cycles in STALL_CYCLES). Nothing is dropped.

use std::time::Duration;

use memfire_spec::format_stimulus::Stimulus;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tracing::debug;

use crate::engine::{Engine, RunStats};
use crate::error::{EngineError, Result};

/// The spikes of one step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpikeBatch {
    pub step: u64,
    /// Ascending neuron ids.
    pub neurons: Vec<u32>,
}

/// A run in progress: read `next` until it returns `None`, then `finish`.
pub struct SpikeStream {
    spikes: mpsc::Receiver<SpikeBatch>,
    task: JoinHandle<(Box<dyn Engine>, Result<RunStats>)>,
}

impl std::fmt::Debug for SpikeStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpikeStream")
            .field("pending", &self.spikes.len())
            .finish_non_exhaustive()
    }
}

/// The consumer waited longer than its timeout for the next batch.
fn timed_out(limit: Duration) -> EngineError {
    EngineError::Stream(format!(
        "no spikes and no end of run within {limit:?}: the backend stopped producing"
    ))
}

/// The blocking task's end of the spike channel. If the consumer goes away the run still
/// finishes (the device must end in a known state); its spikes are then discarded.
struct SpikeSender {
    tx: mpsc::Sender<SpikeBatch>,
    closed: bool,
}

impl SpikeSender {
    fn send(&mut self, step: u64, neurons: &[u32]) {
        if !self.closed
            && self
                .tx
                .blocking_send(SpikeBatch {
                    step,
                    neurons: neurons.to_vec(),
                })
                .is_err()
        {
            debug!("spike stream consumer went away; finishing the run without it");
            self.closed = true;
        }
    }
}

/// Start `steps` steps of `engine` under `stimulus` on a blocking task; `capacity` batches
/// may wait in the channel before the device is made to wait.
pub fn stream_run(mut engine: Box<dyn Engine>, stimulus: Stimulus, steps: u64, capacity: usize) -> SpikeStream {
    let (tx, rx) = mpsc::channel(capacity.max(1));
    let task = tokio::task::spawn_blocking(move || {
        let mut out = SpikeSender { tx, closed: false };
        let result = engine.run(&stimulus, steps, &mut |step, neurons| out.send(step, neurons));
        (engine, result)
    });
    SpikeStream { spikes: rx, task }
}

impl SpikeStream {
    /// The next step's spikes, `None` at the end of the run, an error after `timeout`
    /// without either.
    pub async fn next(&mut self, timeout: Duration) -> Result<Option<SpikeBatch>> {
        tokio::time::timeout(timeout, self.spikes.recv())
            .await
            .map_err(|_| timed_out(timeout))
    }

    /// Wait for the run to end; returns the engine (for the next run) and the run's result.
    pub async fn finish(self) -> Result<(Box<dyn Engine>, RunStats)> {
        drop(self.spikes);
        let (engine, result) = self
            .task
            .await
            .map_err(|e| EngineError::Stream(format!("the run's task failed: {e}")))?;
        Ok((engine, result?))
    }
}

/// External inputs for one step: `(neuron, volts)` pairs that hold from `step` on.
#[derive(Debug, Clone, PartialEq)]
pub struct InputBatch {
    pub step: u64,
    pub inputs: Vec<(u32, f64)>,
}

/// Steps run between looks at the input channel when no input is pending.
pub const INPUT_LOOKAHEAD: u64 = 100;

/// Like [`stream_run`], with inputs streamed in: batches must arrive in step order and before
/// the device reaches their step (it runs at most `INPUT_LOOKAHEAD` steps past the last batch
/// it has seen, and waits for the next batch when the channel is open and empty). A batch for
/// a step already run ends the run with an error that names both steps.
pub fn stream_run_with_inputs(
    mut engine: Box<dyn Engine>,
    mut inputs: mpsc::Receiver<InputBatch>,
    steps: u64,
    capacity: usize,
) -> SpikeStream {
    use memfire_spec::format_stimulus::StimEvent;
    let (tx, rx) = mpsc::channel(capacity.max(1));
    let task = tokio::task::spawn_blocking(move || {
        let Some(neurons) = engine.neurons() else {
            return (engine, Err(EngineError::NotLoaded));
        };
        let start = engine.step_index();
        let end = start + steps;
        let mut events: Vec<StimEvent> = Vec::new();
        let mut open = true;
        let mut total = RunStats::default();
        let mut out = SpikeSender { tx, closed: false };
        while engine.step_index() < end {
            let now = engine.step_index();
            // Take every batch that is there; wait for one if none is and the sender lives.
            loop {
                let next = if open && events.iter().all(|e| e.step < now) {
                    inputs.blocking_recv()
                } else {
                    inputs.try_recv().ok()
                };
                match next {
                    Some(b) if b.step < now => {
                        let msg = format!("input for step {} arrived when the device was at step {now}", b.step);
                        return (engine, Err(EngineError::Stream(msg)));
                    }
                    Some(b) => events.extend(b.inputs.iter().map(|&(neuron, volts)| StimEvent {
                        step: b.step,
                        neuron,
                        volts,
                    })),
                    None => {
                        open = open && !inputs.is_closed();
                        break;
                    }
                }
                if inputs.is_empty() {
                    break;
                }
            }
            events.retain(|e| e.step >= now);
            let horizon = if open {
                events.iter().map(|e| e.step).max().unwrap_or(now) + INPUT_LOOKAHEAD
            } else {
                end
            };
            let chunk = horizon.min(end) - now;
            let stim = match Stimulus::new(events.clone(), neurons) {
                Ok(s) => s,
                Err(e) => return (engine, Err(EngineError::Stimulus(e))),
            };
            match engine.run(&stim, chunk.max(1), &mut |step, neurons| out.send(step, neurons)) {
                Ok(s) => total.add(&s),
                Err(e) => return (engine, Err(e)),
            }
        }
        (engine, Ok(total))
    });
    SpikeStream { spikes: rx, task }
}
