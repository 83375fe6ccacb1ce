//! A netlist pass for ECP5: each block RAM read port whose word goes straight into
//! flip-flops takes those flip-flops into the block RAM, as its output register
//! (DP16KD `REGMODE_A`/`REGMODE_B` = `OUTREG`).
//!
//! Why: a DP16KD without its output register gives its word ~5.8 ns after the clock
//! (speed grade 6), so at 100 MHz and above only ~4 ns remain for the route to the register
//! that takes it, wherever the placer has put that register. With the block's own
//! register the word leaves the block ~1 ns after the clock and the route has the whole
//! period. Yosys 0.23 maps memories onto DP16KD without that register, so this pass moves
//! it there after synthesis, on the JSON netlist nextpnr reads.
//!
//! It changes no behaviour and no cycle: the flip-flops it removes are exactly the
//! register the block RAM's output register is (same clock and edge, the flip-flops'
//! clock enable as the output clock enable, no reset, cleared at configuration as both
//! are). A port is left as it is unless every bit of its word that is used goes to one
//! flip-flop and nothing else, and those flip-flops share their clock enable.

use serde_json::{Map, Value};
use std::collections::HashMap;
use std::fmt;

/// What the pass did to a netlist.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    /// Block RAM read ports whose word is used (a pseudo-dual-port block counts once).
    pub read_ports: usize,
    /// Of those, the ports that took their register into the block.
    pub registered: usize,
    /// Flip-flops removed from the fabric.
    pub flip_flops: usize,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} of {} block-RAM read ports registered in the block ({} flip-flops moved out of the fabric)",
            self.registered, self.read_ports, self.flip_flops
        )
    }
}

/// A netlist the pass cannot read: what is missing and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetlistError(pub String);

impl fmt::Display for NetlistError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "netlist: {}", self.0)
    }
}

impl std::error::Error for NetlistError {}

/// One read port of a block RAM: its data-out pins, the pins of its clock, output clock
/// enable(s) and reset(s), and the `REGMODE` parameter(s) that register it.
struct ReadPort {
    data_out: Vec<String>,
    clock: &'static str,
    clock_mux: (&'static str, &'static str),
    output_enables: &'static [&'static str],
    resets: &'static [&'static str],
    regmodes: &'static [&'static str],
}

/// The read ports of a DP16KD: A and B apart in true-dual-port use; in pseudo-dual-port
/// use (a 36-bit port) the word is DOA and DOB together on the B clock, and the register
/// is both halves' (Lattice's PDPW16KD sets both REGMODEs). Both output clock enables take
/// the flip-flops' enable there, so the register is enabled as they were whichever of the
/// two the block applies to its word. The output clock enable is the register's own; the
/// block's clock enable (CEA/CEB) gates the read (Lattice's generated memories connect
/// both to their one clock enable to hold the whole read pipeline).
fn read_ports(pseudo_dual: bool) -> Vec<ReadPort> {
    let pins = |side: char| (0..18).map(move |i| format!("DO{side}{i}"));
    if pseudo_dual {
        vec![ReadPort {
            data_out: pins('A').chain(pins('B')).collect(),
            clock: "CLKB",
            clock_mux: ("CLKBMUX", "CLKB"),
            output_enables: &["OCEA", "OCEB"],
            resets: &["RSTA", "RSTB"],
            regmodes: &["REGMODE_A", "REGMODE_B"],
        }]
    } else {
        vec![
            ReadPort {
                data_out: pins('A').collect(),
                clock: "CLKA",
                clock_mux: ("CLKAMUX", "CLKA"),
                output_enables: &["OCEA"],
                resets: &["RSTA"],
                regmodes: &["REGMODE_A"],
            },
            ReadPort {
                data_out: pins('B').collect(),
                clock: "CLKB",
                clock_mux: ("CLKBMUX", "CLKB"),
                output_enables: &["OCEB"],
                resets: &["RSTB"],
                regmodes: &["REGMODE_B"],
            },
        ]
    }
}

/// A read port's register in the fabric, to be moved into the block: each used data-out
/// pin with the flip-flop that takes it, and the flip-flops' clock enable.
struct Register {
    flip_flops: Vec<(String, String)>,
    enable: Bit,
}

/// A net bit of the JSON netlist: a number, or a constant ("0", "1", "x", "z").
type Bit = Value;

/// Where each net bit goes: (cell, input pin), or `None` for a module output.
type Sinks = HashMap<u64, Vec<Option<(String, String)>>>;

/// Register every block RAM read port of every module that can be (see the module doc).
pub fn register_block_ram_outputs(netlist: &mut Value) -> Result<Report, NetlistError> {
    let modules = netlist
        .get_mut("modules")
        .and_then(Value::as_object_mut)
        .ok_or_else(|| NetlistError("no \"modules\" object (not a yosys JSON netlist)".into()))?;
    let mut report = Report::default();
    for (name, module) in modules.iter_mut() {
        let r = register_module(module).map_err(|e| NetlistError(format!("module {name}: {}", e.0)))?;
        report.read_ports += r.read_ports;
        report.registered += r.registered;
        report.flip_flops += r.flip_flops;
    }
    Ok(report)
}

fn register_module(module: &mut Value) -> Result<Report, NetlistError> {
    let mut report = Report::default();
    let Some(cells) = module.get("cells").and_then(Value::as_object) else {
        return Ok(report);
    };
    let sinks = sinks_of(module)?;
    // Each plan: the block RAM, its read port and the register that port takes in.
    let mut plans: Vec<(String, ReadPort, Register)> = Vec::new();
    for (name, cell) in cells {
        if cell.get("type").and_then(Value::as_str) != Some("DP16KD") {
            continue;
        }
        let width = |p: &str| param_int(cell, p).unwrap_or(18);
        let pseudo_dual = width("DATA_WIDTH_A") > 18 || width("DATA_WIDTH_B") > 18;
        for port in read_ports(pseudo_dual) {
            let used: Vec<(String, u64)> = port
                .data_out
                .iter()
                .filter_map(|pin| {
                    let bit = connection(cell, pin)?.as_u64()?;
                    sinks.contains_key(&bit).then(|| (pin.clone(), bit))
                })
                .collect();
            if used.is_empty() {
                continue;
            }
            report.read_ports += 1;
            if let Some(register) = fabric_register(cells, cell, &port, &used, &sinks) {
                plans.push((name.clone(), port, register));
            }
        }
    }
    let cells = module
        .get_mut("cells")
        .and_then(Value::as_object_mut)
        .expect("checked above");
    for (ram_name, port, register) in plans {
        for (pin, ff_name) in &register.flip_flops {
            let ff = cells.remove(ff_name).expect("a flip-flop is planned once");
            let q = connection(&ff, "Q").cloned().expect("checked in fabric_register");
            set_connection(cells.get_mut(&ram_name).expect("the block RAM"), pin, q);
        }
        let ram = cells.get_mut(&ram_name).expect("the block RAM");
        for pin in port.output_enables {
            set_connection(ram, pin, register.enable.clone());
        }
        for p in port.regmodes {
            set_param(ram, p, "OUTREG");
        }
        report.registered += 1;
        report.flip_flops += register.flip_flops.len();
    }
    Ok(report)
}

/// The flip-flops that are this port's register and their clock enable, or `None` where
/// the port must keep its register in the fabric.
fn fabric_register(
    cells: &Map<String, Value>,
    ram: &Value,
    port: &ReadPort,
    used: &[(String, u64)],
    sinks: &Sinks,
) -> Option<Register> {
    let is_zero = |pin: &str| connection(ram, pin).is_none_or(|b| b.as_str() == Some("0"));
    if port
        .regmodes
        .iter()
        .any(|p| param_str(ram, p).is_some_and(|m| m != "NOREG"))
    {
        return None; // already registered
    }
    if !port.resets.iter().all(|p| is_zero(p)) {
        return None; // a reset of the word would act on the register a cycle later
    }
    if param_str(ram, port.clock_mux.0).is_some_and(|m| m != port.clock_mux.1) {
        return None; // an inverted clock
    }
    let clock = connection(ram, port.clock)?;
    let gsr = param_str(ram, "GSR").unwrap_or("ENABLED");
    let mut enable: Option<Bit> = None;
    let mut ffs = Vec::with_capacity(used.len());
    for (pin, bit) in used {
        let [Some((ff_name, ff_pin))] = sinks.get(bit)?.as_slice() else {
            return None; // the word goes to more than one place, or out of the module
        };
        let ff = cells.get(ff_name)?;
        if ff.get("type").and_then(Value::as_str) != Some("TRELLIS_FF") || ff_pin != "DI" {
            return None;
        }
        let plain = param_str(ff, "CLKMUX").unwrap_or("CLK") == "CLK"
            && param_str(ff, "REGSET").unwrap_or("RESET") == "RESET"
            && param_str(ff, "GSR").unwrap_or("ENABLED") == gsr
            && connection(ff, "LSR").is_none_or(|b| b.as_str() == Some("0"))
            && connection(ff, "M").is_none_or(|b| b.as_str().is_some())
            && connection(ff, "CLK") == Some(clock)
            && connection(ff, "Q").and_then(Value::as_u64).is_some();
        if !plain {
            return None;
        }
        let ce = match (param_str(ff, "CEMUX").unwrap_or("1"), connection(ff, "CE")) {
            ("1", _) | ("CE", None) => Value::from("1"),
            ("CE", Some(b)) => b.clone(),
            _ => return None, // an inverted or constant-0 enable
        };
        match &enable {
            None => enable = Some(ce),
            Some(e) if *e == ce => {}
            Some(_) => return None, // the bits' registers are enabled apart
        }
        ffs.push((pin.clone(), ff_name.clone()));
    }
    Some(Register {
        flip_flops: ffs,
        enable: enable?,
    })
}

/// Every net bit's sinks: the cells' input pins and the module's outputs.
fn sinks_of(module: &Value) -> Result<Sinks, NetlistError> {
    let mut sinks: Sinks = HashMap::new();
    if let Some(cells) = module.get("cells").and_then(Value::as_object) {
        for (name, cell) in cells {
            let directions = cell
                .get("port_directions")
                .and_then(Value::as_object)
                .ok_or_else(|| NetlistError(format!("cell {name} has no port_directions")))?;
            let connections = cell
                .get("connections")
                .and_then(Value::as_object)
                .ok_or_else(|| NetlistError(format!("cell {name} has no connections")))?;
            for (pin, bits) in connections {
                if directions.get(pin).and_then(Value::as_str) == Some("output") {
                    continue;
                }
                for bit in bits.as_array().into_iter().flatten().filter_map(Value::as_u64) {
                    sinks.entry(bit).or_default().push(Some((name.clone(), pin.clone())));
                }
            }
        }
    }
    if let Some(ports) = module.get("ports").and_then(Value::as_object) {
        for port in ports.values() {
            if port.get("direction").and_then(Value::as_str) == Some("input") {
                continue;
            }
            for bit in port.get("bits").and_then(Value::as_array).into_iter().flatten() {
                if let Some(bit) = bit.as_u64() {
                    sinks.entry(bit).or_default().push(None);
                }
            }
        }
    }
    Ok(sinks)
}

/// The one bit on a single-bit pin.
fn connection<'a>(cell: &'a Value, pin: &str) -> Option<&'a Bit> {
    cell.get("connections")?.get(pin)?.as_array()?.first()
}

fn set_connection(cell: &mut Value, pin: &str, bit: Bit) {
    cell["connections"][pin] = Value::Array(vec![bit]);
}

/// A string parameter. Yosys writes a string that reads as binary digits (`"1"`) with a
/// space after it (`"1 "`), to tell it from a bit vector.
fn param_str<'a>(cell: &'a Value, name: &str) -> Option<&'a str> {
    Some(cell.get("parameters")?.get(name)?.as_str()?.trim_end())
}

/// An integer parameter: yosys writes them as binary digit strings (or as numbers).
fn param_int(cell: &Value, name: &str) -> Option<u64> {
    let v = cell.get("parameters")?.get(name)?;
    v.as_u64().or_else(|| u64::from_str_radix(v.as_str()?.trim(), 2).ok())
}

fn set_param(cell: &mut Value, name: &str, value: &str) {
    cell["parameters"][name] = Value::from(value);
}
