//! Network files (TOML) and dense weight matrices (CSV).
//!
//! ```toml
//! [network]
//! neurons = 16          # required
//! seed = 1              # random streams; default 0
//!
//! [neuron]              # any model parameter; omitted ones take the defaults
//! R_c = 250e6
//!
//! [[group]]             # neurons with their own parameters (at most 15 groups)
//! neurons = [0, 1, 2]   # or a half-open range "0..8"
//! R_c = 1e9
//! sigma1 = 1e-3
//!
//! [[synapse]]           # each spike of `from` adds `weight` V to `to` for `width` steps
//! from = 0
//! to = 1
//! weight = 0.05
//! width = 100
//!
//! [matrix]              # dense form: N×N CSV, row = from, column = to, 0 = no synapse
//! file = "weights.csv"  # relative to the network file
//! width = 100
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::format_error::{csv_rows, line_of, normalize_text, FormatError};
use crate::network::{Network, Synapse};
use crate::params::NeuronParams;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    network: Spanned<RawNetwork>,
    #[serde(default)]
    neuron: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
    #[serde(default)]
    group: Vec<Spanned<BTreeMap<Spanned<String>, Spanned<toml::Value>>>>,
    #[serde(default)]
    synapse: Vec<Spanned<RawSynapse>>,
    #[serde(default)]
    matrix: Option<Spanned<RawMatrix>>,
    #[serde(default)]
    synapses: Option<Spanned<RawSynapseList>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSynapseList {
    file: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNetwork {
    neurons: Spanned<i64>,
    #[serde(default)]
    seed: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSynapse {
    from: Spanned<i64>,
    to: Spanned<i64>,
    weight: Spanned<f64>,
    width: Spanned<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMatrix {
    file: Spanned<String>,
    width: Spanned<i64>,
}

/// A dense weight matrix the network file refers to; the caller reads the file and passes
/// its text to [`add_weight_matrix_csv`].
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixRef {
    /// Path as written in the network file (relative to it).
    pub file: String,
    /// Pulse width of every synapse of the matrix, steps.
    pub width: u32,
}

/// A parsed network file.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkFile {
    /// The network (without the matrix synapses, if any).
    pub network: Network,
    /// The dense weight matrix still to be read, if the file names one.
    pub matrix: Option<MatrixRef>,
    /// The synapse list (`format_synapse_list`) still to be read, if the file names one:
    /// its path as written (relative to the network file).
    pub synapse_list: Option<String>,
}

struct Ctx<'a> {
    name: &'a str,
    text: &'a str,
}

impl Ctx<'_> {
    fn err<T>(&self, span: std::ops::Range<usize>, msg: impl Into<String>) -> Result<T, FormatError> {
        Err(FormatError::at(self.name, Some(line_of(self.text, span.start)), msg))
    }

    /// The span of the first key of `table` (in file order) that `message` names as a
    /// word: where a derived coefficient's error points, at a parameter the user set.
    fn key_named_in(
        &self,
        table: &BTreeMap<Spanned<String>, Spanned<toml::Value>>,
        message: &str,
    ) -> Option<std::ops::Range<usize>> {
        let words: Vec<&str> = message
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .collect();
        table
            .keys()
            .filter(|k| words.contains(&k.get_ref().as_str()))
            .map(|k| k.span())
            .min_by_key(|span| span.start)
    }

    fn u32_of(&self, v: &Spanned<i64>, what: &str) -> Result<u32, FormatError> {
        u32::try_from(*v.get_ref()).or_else(|_| {
            self.err(
                v.span(),
                format!("{what} = {}: must be a non-negative integer", v.get_ref()),
            )
        })
    }

    fn params(
        &self,
        base: NeuronParams,
        table: &BTreeMap<Spanned<String>, Spanned<toml::Value>>,
        section: &str,
    ) -> Result<NeuronParams, FormatError> {
        let mut p = base;
        for (key, value) in table {
            if section == "group" && key.get_ref() == "neurons" {
                continue;
            }
            let number = match value.get_ref() {
                toml::Value::Float(f) => *f,
                toml::Value::Integer(i) => *i as f64,
                other => {
                    return self.err(
                        value.span(),
                        format!("[{section}] {} = {other}: expected a number", key.get_ref()),
                    )
                }
            };
            if let Err(e) = p.set(key.get_ref(), number) {
                return self.err(key.span(), format!("[{section}] {e}"));
            }
        }
        Ok(p)
    }

    fn members(
        &self,
        group: &Spanned<BTreeMap<Spanned<String>, Spanned<toml::Value>>>,
        neurons: u32,
    ) -> Result<Vec<u32>, FormatError> {
        let Some((_, value)) = group.get_ref().iter().find(|(k, _)| k.get_ref() == "neurons") else {
            return self.err(
                group.span(),
                "[[group]] needs `neurons = [ids]` or `neurons = \"a..b\"`",
            );
        };
        let line = Some(line_of(self.text, value.span().start));
        let bad = |msg: String| FormatError::at(self.name, line, msg);
        match value.get_ref() {
            toml::Value::Array(items) => items
                .iter()
                .map(|item| match item {
                    toml::Value::Integer(i) if (0..i64::from(neurons)).contains(i) => Ok(*i as u32),
                    other => Err(bad(format!(
                        "[[group]] neurons: {other} is not a neuron id (the network has {neurons} neurons, ids 0..={})",
                        neurons - 1
                    ))),
                })
                .collect(),
            toml::Value::String(range) => {
                let parsed = range
                    .split_once("..")
                    .and_then(|(a, b)| Some((a.trim().parse::<u32>().ok()?, b.trim().parse::<u32>().ok()?)));
                match parsed {
                    Some((a, b)) if a < b && b <= neurons => Ok((a..b).collect()),
                    _ => Err(bad(format!(
                        "[[group]] neurons = {range:?}: expected a half-open range \"a..b\" with a < b <= {neurons}"
                    ))),
                }
            }
            other => Err(bad(format!(
                "[[group]] neurons = {other}: expected an array of ids or a range \"a..b\""
            ))),
        }
    }
}

/// Parse a network file. `source_name` is used in error messages.
pub fn parse_network(source_name: &str, text: &str) -> Result<NetworkFile, FormatError> {
    let normalized = normalize_text(text);
    let text: &str = &normalized;
    let ctx = Ctx {
        name: source_name,
        text,
    };
    if text.trim().is_empty() {
        return Err(FormatError::at(
            source_name,
            None,
            "empty file: expected at least `[network] neurons = N`",
        ));
    }
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start));
        FormatError::at(source_name, line, toml_message(&e, text))
    })?;
    let net = raw.network.get_ref();
    let neurons = ctx.u32_of(&net.neurons, "[network] neurons")?;
    let seed = match &net.seed {
        Some(s) => u64::try_from(*s.get_ref()).or_else(|_| {
            ctx.err(
                s.span(),
                format!("[network] seed = {}: must be a non-negative integer", s.get_ref()),
            )
        })?,
        None => 0,
    };
    let base = ctx.params(NeuronParams::default(), &raw.neuron, "neuron")?;
    let mut network = Network::new(neurons, seed, base).or_else(|e| {
        let message = e.to_string();
        let span = ctx.key_named_in(&raw.neuron, &message).unwrap_or(net.neurons.span());
        ctx.err(span, format!("[neuron] {message}"))
    })?;
    for group in &raw.group {
        let members = ctx.members(group, neurons)?;
        let params = ctx.params(base, group.get_ref(), "group")?;
        network.add_group(params, &members).or_else(|e| {
            let message = e.to_string();
            let span = ctx.key_named_in(group.get_ref(), &message).unwrap_or(group.span());
            ctx.err(span, format!("[[group]] {message}"))
        })?;
    }
    for s in &raw.synapse {
        let r = s.get_ref();
        let width = match u32::try_from(*r.width.get_ref()) {
            Ok(w) => w,
            Err(_) => {
                return ctx.err(
                    r.width.span(),
                    format!(
                        "[[synapse]] width = {}: must be a positive number of steps",
                        r.width.get_ref()
                    ),
                )
            }
        };
        let synapse = Synapse {
            from: ctx.u32_of(&r.from, "[[synapse]] from")?,
            to: ctx.u32_of(&r.to, "[[synapse]] to")?,
            weight: *r.weight.get_ref(),
            width,
        };
        network
            .add_synapse(synapse)
            .or_else(|e| ctx.err(s.span(), format!("[[synapse]] {e}")))?;
    }
    network
        .validate()
        .map_err(|e| FormatError::at(source_name, None, e.to_string()))?;
    let matrix = match &raw.matrix {
        Some(m) => {
            let m = m.get_ref();
            let width = u32::try_from(*m.width.get_ref()).or_else(|_| {
                ctx.err(
                    m.width.span(),
                    format!(
                        "[matrix] width = {}: must be a positive number of steps",
                        m.width.get_ref()
                    ),
                )
            })?;
            if m.file.get_ref().trim().is_empty() {
                return ctx.err(
                    m.file.span(),
                    "[matrix] file = \"\": name the CSV file of weights (relative to this file)",
                );
            }
            Some(MatrixRef {
                file: m.file.get_ref().clone(),
                width,
            })
        }
        None => None,
    };
    let synapse_list = match &raw.synapses {
        Some(list) => {
            let file = &list.get_ref().file;
            if file.get_ref().trim().is_empty() {
                return ctx.err(
                    file.span(),
                    "[synapses] file = \"\": name the CSV synapse list (relative to this file)",
                );
            }
            Some(file.get_ref().clone())
        }
        None => None,
    };
    Ok(NetworkFile {
        network,
        matrix,
        synapse_list,
    })
}

/// A TOML error's message on one line ("invalid table header: expected `.`, `]`"); where
/// the parser gives none, what the position says.
fn toml_message(e: &toml::de::Error, text: &str) -> String {
    let message = e
        .message()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(": ");
    if !message.is_empty() {
        return message;
    }
    match e.span() {
        Some(span) if span.start >= text.trim_end().len() => "the file ends where a value was expected".into(),
        _ => "not valid TOML here".into(),
    }
}

/// Add the synapses of a dense N×N CSV weight matrix (row = from, column = to, 0 = none).
pub fn add_weight_matrix_csv(
    network: &mut Network,
    source_name: &str,
    text: &str,
    width: u32,
) -> Result<usize, FormatError> {
    let normalized = normalize_text(text);
    let text: &str = &normalized;
    let n = network.neurons();
    let mut rows = 0u32;
    let mut added = 0;
    for (line, row) in csv_rows(text, "\u{0}") {
        if rows >= n {
            return Err(FormatError::at(
                source_name,
                Some(line),
                format!("more than {n} rows: the network has {n} neurons"),
            ));
        }
        let cols: Vec<&str> = row.split(',').collect();
        if cols.len() != n as usize {
            return Err(FormatError::at(
                source_name,
                Some(line),
                format!("{} columns, expected {n} (one per neuron)", cols.len()),
            ));
        }
        for (to, raw) in cols.iter().enumerate() {
            let weight: f64 = raw.trim().parse().map_err(|_| {
                FormatError::at(
                    source_name,
                    Some(line),
                    format!("column {} : cannot read {:?} as a number", to + 1, raw.trim()),
                )
            })?;
            if weight != 0.0 {
                let s = Synapse {
                    from: rows,
                    to: to as u32,
                    weight,
                    width,
                };
                network
                    .add_synapse(s)
                    .map_err(|e| FormatError::at(source_name, Some(line), format!("column {}: {e}", to + 1)))?;
                added += 1;
            }
        }
        rows += 1;
    }
    if rows != n {
        return Err(FormatError::at(
            source_name,
            None,
            format!("{rows} rows, expected {n} (one per neuron)"),
        ));
    }
    network
        .validate()
        .map_err(|e| FormatError::at(source_name, None, e.to_string()))?;
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[network]
neurons = 4
seed = 7

[neuron]
R_c = 500e6
mu = 150

[[group]]
neurons = [2, 3]
sigma1 = 1e-3

[[synapse]]
from = 0
to = 1
weight = 0.05
width = 100
"#;

    #[test]
    fn parses_a_full_file() {
        let f = parse_network("n.toml", GOOD).expect("valid");
        let n = &f.network;
        assert_eq!((n.neurons(), n.seed()), (4, 7));
        assert_eq!(n.params_of(0).r_c, 500e6);
        assert_eq!(n.params_of(3).sigma1, 1e-3);
        assert_eq!(n.params_of(3).r_c, 500e6);
        assert_eq!(n.synapses().len(), 1);
    }

    #[test]
    fn every_line_ending_and_a_byte_order_mark_are_read() {
        let want = parse_network("n.toml", GOOD).expect("valid").network;
        for text in [
            GOOD.replace('\n', "\r\n"),
            GOOD.replace('\n', "\r"),
            format!("\u{feff}{}", GOOD.replace('\n', "\r")),
        ] {
            let got = parse_network("n.toml", &text).expect("valid").network;
            assert_eq!(format!("{got:?}"), format!("{want:?}"));
        }
        let e = error_of("[network]\rneurons = 4\rbogus = 1\r");
        assert!(e.contains("n.toml:3: unknown field `bogus`"), "{e}");
        let mut a = parse_network("n.toml", "[network]\nneurons = 2\n").expect("ok").network;
        let mut b = a.clone();
        add_weight_matrix_csv(&mut a, "w.csv", "0,0.1\n0.2,0\n", 10).expect("LF");
        add_weight_matrix_csv(&mut b, "w.csv", "\u{feff}0,0.1\r0.2,0\r", 10).expect("CR");
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
    }

    fn error_of(text: &str) -> String {
        parse_network("n.toml", text).expect_err(text).to_string()
    }

    #[test]
    fn errors_name_file_line_and_key() {
        let cases = [
            ("", "n.toml: empty file"),
            ("[network\nneurons = 4", "n.toml:1: invalid table header: expected"),
            (
                "[network]\nneurons =",
                "n.toml:2: the file ends where a value was expected",
            ),
            ("[network]\nneurons = 4\nbogus = 1\n", "n.toml:3: unknown field `bogus`"),
            (
                "[network]\nneurons = 4\n[neuron]\nRc = 1\n",
                "n.toml:4: [neuron] parameter `Rc`",
            ),
            (
                "[network]\nneurons = 4\n[neuron]\nmu = nan\n",
                "n.toml:4: [neuron] parameter `mu` = NaN: must be a finite number",
            ),
            ("[network]\nneurons = 4\n[neuron]\nR_c = -5.0\n", "out of range"),
            (
                "[network]\nneurons = 4\n[[synapse]]\nfrom = 0\nto = 4\nweight = 0.1\nwidth = 1\n",
                "n.toml:3: [[synapse]] to = 4 is out of range",
            ),
            (
                "[network]\nneurons = 4\n[[synapse]]\nfrom = 0\nto = 1\nweight = 0.1\nwidth = -3\n",
                "n.toml:7: [[synapse]] width = -3",
            ),
            (
                "[network]\nneurons = 4\n[[synapse]]\nfrom = 0\nto = 1\nweight = nan\nwidth = 3\n",
                "weight = NaN",
            ),
            (
                "[network]\nneurons = 4\n[[synapse]]\nfrom = 0\nto = 1\nwidth = 3\n",
                "missing field `weight`",
            ),
            ("[network]\nneurons = -4\n", "n.toml:2: [network] neurons = -4"),
            ("[network]\nneurons = 0\n", "neurons = 0"),
            (
                "[network]\nneurons = 4\n[[group]]\nneurons = [9]\n",
                "n.toml:4: [[group]] neurons: 9 is not a neuron id",
            ),
            ("[network]\nneurons = 4\n[[group]]\nR_c = 1e9\n", "needs `neurons"),
            (
                "[network]\nneurons = 4\n[[group]]\nneurons = \"0..9\"\n",
                "half-open range",
            ),
            ("[neuron]\nmu = 1\n", "missing field `network`"),
            (
                "[network]\nneurons = 2\n[matrix]\nfile = \"\"\nwidth = 3\n",
                "n.toml:4: [matrix] file = \"\": name the CSV file",
            ),
            (
                "[network]\nneurons = 2\n[synapses]\nfile = \" \"\n",
                "n.toml:4: [synapses] file = \"\": name the CSV synapse list",
            ),
            (
                "[network]\nneurons = 2\n[synapses]\nfiles = \"s.csv\"\n",
                "unknown field `files`",
            ),
        ];
        for (text, want) in cases {
            let e = error_of(text);
            assert!(e.contains(want), "{text:?}\n got: {e}\nwant: {want}");
        }
    }

    #[test]
    fn dense_matrix() {
        let f = parse_network(
            "n.toml",
            "[network]\nneurons = 2\n[matrix]\nfile = \"w.csv\"\nwidth = 10\n",
        )
        .expect("ok");
        assert_eq!(
            f.matrix,
            Some(MatrixRef {
                file: "w.csv".into(),
                width: 10
            })
        );
        let mut n = f.network;
        assert_eq!(
            add_weight_matrix_csv(&mut n, "w.csv", "0,0.1\n0.2,0\n", 10).expect("ok"),
            2
        );
        let e = add_weight_matrix_csv(&mut n, "w.csv", "0,0.1\n0.2\n", 10)
            .expect_err("short")
            .to_string();
        assert!(e.contains("w.csv:2: 1 columns"), "{e}");
        let e = add_weight_matrix_csv(&mut n, "w.csv", "0,x\n0,0\n", 10)
            .expect_err("bad")
            .to_string();
        assert!(e.contains("w.csv:1"), "{e}");
    }
}

/// Write a network as TOML in the format [`parse_network`] reads (parameters that equal
/// the defaults are left out).
pub fn network_to_toml(network: &Network) -> String {
    network_to_toml_with(network, None)
}

/// `network_to_toml`, with the synapses left to the synapse list `synapse_list` (a path
/// relative to the TOML file; write it with `format_synapse_list::synapse_list_csv`)
/// instead of `[[synapse]]` tables, when given.
pub fn network_to_toml_with(network: &Network, synapse_list: Option<&str>) -> String {
    let defaults = NeuronParams::default();
    let base = network.param_sets()[0];
    let mut out = format!(
        "[network]\nneurons = {}\nseed = {}\n",
        network.neurons(),
        network.seed()
    );
    let params_lines = |p: &NeuronParams, against: &NeuronParams| -> String {
        NeuronParams::NAMES
            .iter()
            .filter_map(|&name| {
                let (v, d) = (p.get(name)?, against.get(name)?);
                (v != d).then(|| format!("{name} = {v:e}\n"))
            })
            .collect()
    };
    let neuron = params_lines(&base, &defaults);
    if !neuron.is_empty() {
        out.push_str("\n[neuron]\n");
        out.push_str(&neuron);
    }
    for (set, p) in network.param_sets().iter().enumerate().skip(1) {
        let members: Vec<String> = network
            .param_set_of()
            .iter()
            .enumerate()
            .filter(|(_, &s)| usize::from(s) == set)
            .map(|(i, _)| i.to_string())
            .collect();
        out.push_str(&format!("\n[[group]]\nneurons = [{}]\n", members.join(", ")));
        out.push_str(&params_lines(p, &base));
    }
    if let Some(file) = synapse_list {
        out.push_str(&format!("\n[synapses]\nfile = {:?}\n", file));
        return out;
    }
    for s in network.synapses() {
        out.push_str(&format!(
            "\n[[synapse]]\nfrom = {}\nto = {}\nweight = {}\nwidth = {}\n",
            s.from, s.to, s.weight, s.width
        ));
    }
    out
}

#[cfg(test)]
mod writer_tests {
    use super::*;

    #[test]
    fn written_networks_read_back_equal() {
        let mut n = Network::new(
            5,
            3,
            NeuronParams {
                r_c: 1e8,
                ..NeuronParams::default()
            },
        )
        .expect("valid");
        n.add_group(
            NeuronParams {
                r_c: 1e8,
                sigma1: 1e-3,
                ..NeuronParams::default()
            },
            &[1, 4],
        )
        .expect("group");
        n.add_synapse(Synapse {
            from: 0,
            to: 4,
            weight: 0.0123,
            width: 7,
        })
        .expect("synapse");
        let back = parse_network("w.toml", &network_to_toml(&n)).expect("parses");
        assert_eq!(back.network, n);
        let listed = parse_network("w.toml", &network_to_toml_with(&n, Some("s.csv"))).expect("parses");
        assert_eq!(listed.synapse_list.as_deref(), Some("s.csv"));
        let mut back = listed.network;
        crate::format_synapse_list::add_synapse_list_csv(
            &mut back,
            "s.csv",
            crate::format_synapse_list::synapse_list_csv(&n).as_bytes(),
        )
        .expect("the list reads back");
        assert_eq!(back, n);
    }
}
