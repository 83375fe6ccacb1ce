//! memfire-firmware: board top-levels. Each board puts a memfire core (memfire-hdl) in the
//! shell the board needs (a UART bridge, or the PCIe integrated block and the TLP adapter);
//! `firmware-gen` writes the Verilog that `scripts/build-<board>.sh` turns into a bitstream
//! with the board's constraints from `constraints/<board>/`.
#![allow(missing_debug_implementations)] // rust-hdl blocks have no useful Debug form

pub mod bram_outreg;
pub mod clock_gen;
pub mod core_mmcm;
pub mod ecp5_pll;
pub mod litefury;
pub mod ulx3s;

use memfire_hdl::tops::image_core;
use rust_hdl::prelude::*;

/// Board images by name, with a description.
pub const IMAGES: &[(&str, &str)] = &[
    (
        "ulx3s",
        "ULX3S 85F: core-bench-1k (1024 neurons on 2 lanes, room for 106 496 synapses: the benchmark network) behind the UART bridge at 1 Mbaud",
    ),
    (
        "ulx3s-p4",
        "ULX3S 85F: core-bench-1k-p4 (the same network on 4 lanes of 256) behind the UART bridge; not yet met at the PLL's clock on every nextpnr seed (docs/timing.md)",
    ),
    (
        "ulx3s-small",
        "ULX3S: core-small (64 neurons) behind the UART bridge, for quick builds and CI",
    ),
    (
        "litefury",
        "LiteFury (XC7A100T, M.2 PCIe Gen2 x1): core-bench-2k (2048 neurons on 8 lanes at 125 MHz, 106 496 synapses) behind the TLP adapter and a clock crossing; Vivado builds it",
    ),
];

/// The Verilog of image `name`.
pub fn verilog(name: &str) -> Option<String> {
    let name = name.to_owned();
    memfire_hdl::tops::on_deep_stack(move || image_verilog(&name))
}

fn image_verilog(name: &str) -> Option<String> {
    match name {
        "ulx3s" => {
            let mut top = ulx3s::Ulx3s::default().sized(image_core("ulx3s")?);
            top.connect_all();
            Some(generate_verilog(&top))
        }
        "ulx3s-p4" => {
            let config = memfire_hdl::tops::core_config("core-bench-1k-p4")?;
            let mut top = ulx3s::Ulx3sP4::default().sized(config);
            top.connect_all();
            Some(generate_verilog(&top))
        }
        "ulx3s-small" => {
            let mut top = ulx3s::Ulx3sSmall::default();
            top.connect_all();
            Some(generate_verilog(&top))
        }
        "litefury" => {
            let mut top = litefury::Litefury::default().sized(image_core("litefury")?);
            top.connect_all();
            Some(generate_verilog(&top))
        }
        _ => None,
    }
}
