//! The block-RAM output-register pass on netlists yosys `synth_ecp5` makes: which read
//! ports take their fabric register into the block, and which must keep it.

use memfire_firmware::bram_outreg::{register_block_ram_outputs, Report};
use serde_json::Value;
use std::process::Command;

/// `synth_ecp5` of `verilog` (top module `top`) as a JSON netlist.
fn synthesize(verilog: &str) -> Value {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = dir.path().join("top.v");
    let json = dir.path().join("top.json");
    std::fs::write(&src, verilog).expect("write the Verilog");
    let out = Command::new("yosys")
        .arg("-q")
        .arg("-p")
        .arg(format!(
            "read_verilog {}; synth_ecp5 -top top -json {}",
            src.display(),
            json.display()
        ))
        .output()
        .unwrap_or_else(|e| panic!("yosys not found ({e}): run scripts/setup.sh"));
    assert!(out.status.success(), "yosys: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_str(&std::fs::read_to_string(&json).expect("the netlist")).expect("JSON")
}

fn cells_of<'a>(netlist: &'a Value, kind: &str) -> Vec<&'a Value> {
    netlist["modules"]["top"]["cells"]
        .as_object()
        .expect("cells")
        .values()
        .filter(|c| c["type"] == kind)
        .collect()
}

fn param<'a>(cell: &'a Value, name: &str) -> &'a str {
    cell["parameters"][name]
        .as_str()
        .expect("a string parameter")
        .trim_end()
}

/// A memory of `width` bits read into `rd` (the block RAM's own read register), then `rd`
/// through `stage` into the register `q`, enabled by `en`. Without `no_rw_check` yosys puts
/// logic for a read of the word being written after the block, as it does for the core's
/// memories that may see one.
fn memory(width: u32, stage: &str) -> String {
    format!(
        "module top(input clk, input we, input en, input [8:0] wa, input [8:0] ra,
                    input [{w}:0] wd, input [{w}:0] x, output reg [{w}:0] q);
             (* no_rw_check *) reg [{w}:0] mem [0:511];
             reg [{w}:0] rd;
             always @(posedge clk) begin
                 if (we) mem[wa] <= wd;
                 rd <= mem[ra];
                 if (en) q <= {stage};
             end
         endmodule",
        w = width - 1
    )
}

#[test]
fn a_read_register_moves_into_its_block_ram() {
    let mut netlist = synthesize(&memory(16, "rd"));
    let ffs_before = cells_of(&netlist, "TRELLIS_FF").len();
    let report = register_block_ram_outputs(&mut netlist).expect("a yosys netlist");
    assert_eq!(
        report,
        Report {
            read_ports: 1,
            registered: 1,
            flip_flops: 16
        }
    );
    assert_eq!(cells_of(&netlist, "TRELLIS_FF").len(), ffs_before - 16);
    let rams = cells_of(&netlist, "DP16KD");
    assert_eq!(rams.len(), 1);
    let ram = rams[0];
    // The read port is the one whose word is used; its output clock enable is `en`.
    let (side, other) = if param(ram, "REGMODE_A") == "OUTREG" {
        ("A", "B")
    } else {
        ("B", "A")
    };
    assert_eq!(param(ram, &format!("REGMODE_{side}")), "OUTREG");
    assert_eq!(param(ram, &format!("REGMODE_{other}")), "NOREG");
    let en = &netlist["modules"]["top"]["ports"]["en"]["bits"][0];
    assert_eq!(&ram["connections"][format!("OCE{side}")][0], en);
    // The output `q` is driven by the block's pins now.
    let q = netlist["modules"]["top"]["ports"]["q"]["bits"].as_array().expect("q");
    for (i, bit) in q.iter().enumerate() {
        let driven = (0..18).any(|p| &ram["connections"][format!("DO{side}{p}")][0] == bit);
        assert!(driven, "q[{i}] is not a DO{side} pin");
    }
}

#[test]
fn a_36_bit_port_registers_both_halves() {
    let mut netlist = synthesize(&memory(32, "rd"));
    let report = register_block_ram_outputs(&mut netlist).expect("a yosys netlist");
    assert_eq!(report.registered, report.read_ports, "{report}");
    assert_eq!(report.flip_flops, 32);
    for ram in cells_of(&netlist, "DP16KD") {
        assert_eq!(param(ram, "REGMODE_A"), "OUTREG");
        assert_eq!(param(ram, "REGMODE_B"), "OUTREG");
    }
}

#[test]
fn logic_between_the_block_and_the_register_keeps_the_register_in_the_fabric() {
    let mut netlist = synthesize(&memory(16, "rd ^ x"));
    let before = netlist.clone();
    let report = register_block_ram_outputs(&mut netlist).expect("a yosys netlist");
    assert_eq!(report.read_ports, 1);
    assert_eq!(report.registered, 0);
    assert_eq!(netlist, before, "a netlist with nothing to move is left as it was");
}

#[test]
fn a_word_used_twice_keeps_its_register_in_the_fabric() {
    // `rd` goes to `q` and to the output `r` as well: the block's register would change `r`.
    let verilog = memory(16, "rd")
        .replace("output reg [15:0] q);", "output reg [15:0] q, output [15:0] r);")
        .replace("reg [15:0] rd;", "reg [15:0] rd;\n assign r = rd;");
    let mut netlist = synthesize(&verilog);
    let report = register_block_ram_outputs(&mut netlist).expect("a yosys netlist");
    assert_eq!(report.read_ports, 1);
    assert_eq!(report.registered, 0, "{report}");
}

#[test]
fn a_file_that_is_not_a_netlist_is_refused_with_what_is_missing() {
    let mut not_a_netlist = serde_json::json!({ "creator": "someone" });
    let err = register_block_ram_outputs(&mut not_a_netlist).expect_err("no modules");
    assert!(err.to_string().contains("\"modules\""), "{err}");
}
