//! Stimulus files: CSV `step,neuron,volts`. Each row sets that neuron's external input from
//! that step on (piecewise constant); inputs start at 0 V.

use crate::fixed::volts_range_error;
use crate::format_error::{csv_rows, field, normalize_text, FormatError};

/// One change of a neuron's external input.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StimEvent {
    /// First step at which the new value holds.
    pub step: u64,
    /// Neuron.
    pub neuron: u32,
    /// New external input, volts.
    pub volts: f64,
}

/// External input of a network: events sorted by step, then neuron; at most one per
/// (step, neuron).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Stimulus {
    events: Vec<StimEvent>,
}

impl Stimulus {
    /// Build from events in any order; rejects duplicates and bad values.
    pub fn new(mut events: Vec<StimEvent>, neurons: u32) -> Result<Stimulus, String> {
        for e in &events {
            check_event(e, neurons)?;
        }
        events.sort_by_key(|e| (e.step, e.neuron));
        if let Some(w) = events
            .windows(2)
            .find(|w| (w[0].step, w[0].neuron) == (w[1].step, w[1].neuron))
        {
            return Err(format!("neuron {} is set twice at step {}", w[0].neuron, w[0].step));
        }
        Ok(Stimulus { events })
    }

    /// The events, sorted by step then neuron.
    pub fn events(&self) -> &[StimEvent] {
        &self.events
    }

    /// A constant input from step 0 on for each listed neuron.
    pub fn constant(inputs: &[(u32, f64)], neurons: u32) -> Result<Stimulus, String> {
        Stimulus::new(
            inputs
                .iter()
                .map(|&(neuron, volts)| StimEvent { step: 0, neuron, volts })
                .collect(),
            neurons,
        )
    }

    /// As CSV text, header included.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("step,neuron,volts\n");
        for e in &self.events {
            out.push_str(&format!("{},{},{}\n", e.step, e.neuron, e.volts));
        }
        out
    }
}

fn check_event(e: &StimEvent, neurons: u32) -> Result<(), String> {
    if e.neuron >= neurons {
        return Err(format!(
            "neuron {} is out of range: the network has {neurons} neurons (ids 0..={})",
            e.neuron,
            neurons - 1
        ));
    }
    if let Some(why) = volts_range_error(e.volts) {
        return Err(format!("volts = {}: {why}", e.volts));
    }
    Ok(())
}

/// Parse a stimulus CSV for a network of `neurons` neurons.
pub fn parse_stimulus(source_name: &str, text: &str, neurons: u32) -> Result<Stimulus, FormatError> {
    let normalized = normalize_text(text);
    let text: &str = &normalized;
    if text.trim().is_empty() {
        return Err(FormatError::at(
            source_name,
            None,
            "empty file: expected a `step,neuron,volts` header and rows",
        ));
    }
    let mut events = Vec::new();
    let mut lines = Vec::new();
    for (line, row) in csv_rows(text, "step") {
        let mut cols = row.split(',');
        let step: u64 = field(source_name, line, "step", cols.next())?;
        let neuron: u32 = field(source_name, line, "neuron", cols.next())?;
        let volts: f64 = field(source_name, line, "volts", cols.next())?;
        if cols.next().is_some() {
            return Err(FormatError::at(
                source_name,
                Some(line),
                "too many columns: expected step,neuron,volts",
            ));
        }
        let event = StimEvent { step, neuron, volts };
        check_event(&event, neurons).map_err(|m| FormatError::at(source_name, Some(line), m))?;
        events.push(event);
        lines.push(line);
    }
    let mut order: Vec<usize> = (0..events.len()).collect();
    order.sort_by_key(|&i| (events[i].step, events[i].neuron));
    for w in order.windows(2) {
        let (a, b) = (events[w[0]], events[w[1]]);
        if (a.step, a.neuron) == (b.step, b.neuron) {
            return Err(FormatError::at(
                source_name,
                Some(lines[w[1]].max(lines[w[0]])),
                format!(
                    "neuron {} is set twice at step {} (also on line {})",
                    a.neuron,
                    a.step,
                    lines[w[1]].min(lines[w[0]])
                ),
            ));
        }
    }
    Stimulus::new(events, neurons).map_err(|m| FormatError::at(source_name, None, m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_sorts() {
        let s = parse_stimulus("s.csv", "step,neuron,volts\n10,1,0.5\n# comment\n0,0,0.8\n\n", 2).expect("ok");
        assert_eq!(s.events().len(), 2);
        assert_eq!(s.events()[0].neuron, 0);
    }

    #[test]
    fn every_line_ending_and_a_byte_order_mark_are_read() {
        let want = parse_stimulus("s.csv", "step,neuron,volts\n0,0,0.5\n3,1,0.25\n", 2).expect("LF");
        for text in [
            "step,neuron,volts\r\n0,0,0.5\r\n3,1,0.25\r\n",
            "step,neuron,volts\r0,0,0.5\r3,1,0.25\r",
            "\u{feff}step,neuron,volts\n0,0,0.5\n3,1,0.25",
            "\u{feff}step,neuron,volts\r\n0,0,0.5\r3,1,0.25\n",
        ] {
            assert_eq!(parse_stimulus("s.csv", text, 2).expect(text), want, "{text:?}");
        }
    }

    #[test]
    fn errors_name_file_and_line() {
        let cases = [
            ("", "empty"),
            ("step,neuron,volts\n0,5,0.5\n", "s.csv:2: neuron 5 is out of range"),
            ("0,0,nan\n", "s.csv:1: volts = NaN"),
            ("0,0\n", "s.csv:1: missing column `volts`"),
            ("0,x,1\n", "s.csv:1: column `neuron`"),
            ("-1,0,1\n", "s.csv:1: column `step`"),
            (
                "0,0,1\n0,0,2\n",
                "s.csv:2: neuron 0 is set twice at step 0 (also on line 1)",
            ),
            ("0,0,9\n", "volts = 9: must be a finite number from -4 V to 3.99999976"),
            ("0,0,1,1\n", "too many columns"),
            ("step,neuron,volts\r0,5,0.5\r", "s.csv:2: neuron 5 is out of range"),
        ];
        for (text, want) in cases {
            let e = parse_stimulus("s.csv", text, 2).expect_err(text).to_string();
            assert!(e.contains(want), "{text:?}: {e}");
        }
    }
}
