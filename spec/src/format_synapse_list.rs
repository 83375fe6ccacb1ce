//! Synapse lists: CSV `from,to,weight,width`, one synapse a row, for networks too large for
//! `[[synapse]]` tables (a TOML table costs kilobytes while it is parsed; a row here costs
//! only the synapse it becomes). A network file names one with `[synapses] file = "…"`;
//! `memfire generate` writes one for large networks. Read as a stream: memory holds one
//! line at a time.

use std::io::BufRead;

use crate::format_error::{field, FormatError};
use crate::network::{Network, Synapse};

/// The header line `memfire` writes (a first row whose first field is `from` is a header).
pub const HEADER: &str = "from,to,weight,width";

/// Longest line read, bytes: a row is four numbers; anything longer is not this format.
const MAX_LINE: usize = 4096;

/// Add the synapses listed in `reader` to `network`, then check the whole network.
/// Returns the number added.
pub fn add_synapse_list_csv(
    network: &mut Network,
    source_name: &str,
    reader: impl BufRead,
) -> Result<usize, FormatError> {
    let mut lines = Lines::new(reader);
    let mut added = 0;
    while let Some((line, text)) = lines.next_line().map_err(|e| FormatError::at(source_name, None, e))? {
        let row = text.trim();
        if row.is_empty() || row.starts_with('#') || row.split(',').next().map(str::trim) == Some("from") {
            continue;
        }
        let mut cols = row.split(',');
        let synapse = Synapse {
            from: field(source_name, line, "from", cols.next())?,
            to: field(source_name, line, "to", cols.next())?,
            weight: field(source_name, line, "weight", cols.next())?,
            width: field(source_name, line, "width", cols.next())?,
        };
        if cols.next().is_some() {
            return Err(FormatError::at(
                source_name,
                Some(line),
                format!("too many columns: expected {HEADER}"),
            ));
        }
        network
            .add_synapse(synapse)
            .map_err(|e| FormatError::at(source_name, Some(line), e.to_string()))?;
        added += 1;
    }
    network
        .validate()
        .map_err(|e| FormatError::at(source_name, None, e.to_string()))?;
    Ok(added)
}

/// The synapses of `network` as a synapse list, header included.
pub fn synapse_list_csv(network: &Network) -> String {
    let mut out = String::with_capacity(32 + network.synapses().len() * 24);
    out.push_str(HEADER);
    out.push('\n');
    for s in network.synapses() {
        out.push_str(&format!("{},{},{},{}\n", s.from, s.to, s.weight, s.width));
    }
    out
}

/// Lines of a byte stream ending in `\n`, `\r\n` or a lone `\r`, without a leading UTF-8
/// byte-order mark, numbered from 1; one line in memory at a time.
struct Lines<R> {
    reader: R,
    number: usize,
    buf: Vec<u8>,
    /// The last line ended in `\r`: a `\n` starting the next belongs to it.
    after_cr: bool,
}

impl<R: BufRead> Lines<R> {
    fn new(reader: R) -> Lines<R> {
        Lines {
            reader,
            number: 0,
            buf: Vec::new(),
            after_cr: false,
        }
    }

    fn next_line(&mut self) -> Result<Option<(usize, String)>, String> {
        self.buf.clear();
        let mut ended = false;
        loop {
            let chunk = self.reader.fill_buf().map_err(|e| format!("reading: {e}"))?;
            if chunk.is_empty() {
                break;
            }
            let mut used = 0;
            if self.after_cr && chunk[0] == b'\n' {
                used = 1;
            }
            self.after_cr = false;
            match chunk[used..].iter().position(|&b| b == b'\n' || b == b'\r') {
                Some(at) => {
                    self.buf.extend_from_slice(&chunk[used..used + at]);
                    self.after_cr = chunk[used + at] == b'\r';
                    self.reader.consume(used + at + 1);
                    ended = true;
                    break;
                }
                None => {
                    let len = chunk.len();
                    self.buf.extend_from_slice(&chunk[used..]);
                    self.reader.consume(len);
                }
            }
            if self.buf.len() > MAX_LINE {
                return Err(format!(
                    "line {} is longer than {MAX_LINE} bytes: not a synapse list",
                    self.number + 1
                ));
            }
        }
        if !ended && self.buf.is_empty() {
            return Ok(None);
        }
        self.number += 1;
        let mut text = String::from_utf8(std::mem::take(&mut self.buf))
            .map_err(|_| format!("line {} is not UTF-8 text", self.number))?;
        if self.number == 1 && text.starts_with('\u{feff}') {
            text.remove(0);
        }
        Ok(Some((self.number, text)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::NeuronParams;

    fn net() -> Network {
        Network::new(4, 1, NeuronParams::default()).expect("valid")
    }

    #[test]
    fn reads_what_it_writes_with_any_line_ending() {
        let mut a = net();
        let n = add_synapse_list_csv(
            &mut a,
            "s.csv",
            "from,to,weight,width\n0,1,0.5,3\n# x\n\n2,3,-0.25,100\n".as_bytes(),
        );
        assert_eq!(n.expect("valid"), 2);
        let written = synapse_list_csv(&a);
        for text in [
            written.clone(),
            written.replace('\n', "\r\n"),
            written.replace('\n', "\r"),
            format!("\u{feff}{}", written.replace('\n', "\r")),
        ] {
            let mut b = net();
            add_synapse_list_csv(&mut b, "s.csv", text.as_bytes()).expect("valid");
            assert_eq!(b, a, "{text:?}");
        }
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let cases = [
            ("0,1,0.5\n", "s.csv:1: missing column `width`"),
            ("0,9,0.5,3\n", "s.csv:1: "),
            ("from,to,weight,width\r0,1,x,3\r", "s.csv:2: column `weight`"),
            ("0,1,0.5,0\n", "s.csv:1: width = 0"),
            ("0,1,0.5,3,4\n", "too many columns"),
            ("0,1,9,3\n", "weight = 9 V"),
        ];
        for (text, want) in cases {
            let e = add_synapse_list_csv(&mut net(), "s.csv", text.as_bytes())
                .expect_err(text)
                .to_string();
            assert!(e.contains(want), "{text:?}: {e}");
        }
        let long = "1".repeat(10_000);
        let e = add_synapse_list_csv(&mut net(), "s.csv", long.as_bytes())
            .expect_err("long")
            .to_string();
        assert!(e.contains("longer than 4096 bytes"), "{e}");
    }
}
