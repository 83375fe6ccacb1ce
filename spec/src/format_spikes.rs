//! Spike files: CSV `step,neuron`, sorted by step then neuron.

use crate::format_error::{csv_rows, field, normalize_text, FormatError};

/// One output spike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Spike {
    /// Step in which the neuron fired.
    pub step: u64,
    /// Neuron that fired.
    pub neuron: u32,
}

/// Spikes as CSV text with a header.
pub fn spikes_to_csv(spikes: &[Spike]) -> String {
    let mut out = String::with_capacity(16 + spikes.len() * 12);
    out.push_str("step,neuron\n");
    for s in spikes {
        out.push_str(&s.step.to_string());
        out.push(',');
        out.push_str(&s.neuron.to_string());
        out.push('\n');
    }
    out
}

/// Parse a spike CSV, checking it is sorted by step then neuron.
pub fn parse_spikes(source_name: &str, text: &str) -> Result<Vec<Spike>, FormatError> {
    let normalized = normalize_text(text);
    let text: &str = &normalized;
    let mut spikes: Vec<Spike> = Vec::new();
    for (line, row) in csv_rows(text, "step") {
        let mut cols = row.split(',');
        let spike = Spike {
            step: field(source_name, line, "step", cols.next())?,
            neuron: field(source_name, line, "neuron", cols.next())?,
        };
        if let Some(prev) = spikes.last() {
            if *prev >= spike {
                return Err(FormatError::at(
                    source_name,
                    Some(line),
                    "spikes must be sorted by step then neuron, without duplicates",
                ));
            }
        }
        spikes.push(spike);
    }
    Ok(spikes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let s = vec![Spike { step: 1, neuron: 3 }, Spike { step: 2, neuron: 0 }];
        assert_eq!(parse_spikes("x", &spikes_to_csv(&s)).expect("ok"), s);
        assert!(parse_spikes("x", "2,0\n1,0\n").is_err());
    }
}
