//! `memfire devices`: the PCI functions that are memfire boards (or, with `--all`, every
//! one), with their driver and IOMMU group, and what to do before `--backend vfio:…` works.

use anyhow::{Context, Result};
use clap::Args;
use memfire_host::vfio::Sysfs;

use crate::output::say;

/// Arguments of `memfire devices`.
#[derive(Args, Debug)]
pub struct DevicesArgs {
    /// List every PCI function, not only memfire boards.
    #[arg(long)]
    all: bool,
    /// sysfs root (for testing).
    #[arg(long, default_value = "/sys", hide = true)]
    sysfs: std::path::PathBuf,
}

/// `memfire devices`.
pub fn run(a: &DevicesArgs) -> Result<()> {
    let sysfs = Sysfs { root: a.sysfs.clone() };
    let devices = sysfs
        .devices()
        .with_context(|| format!("reading {}/bus/pci/devices", a.sysfs.display()))?;
    let shown: Vec<_> = devices.iter().filter(|d| a.all || d.known.is_some()).collect();
    if shown.is_empty() {
        say!(
            "no memfire board found among {} PCI functions (ids {}); `memfire devices --all` lists them all",
            devices.len(),
            memfire_host::vfio::KNOWN_DEVICES
                .iter()
                .filter(|k| k.memfire)
                .map(|k| format!("{:04x}:{:04x}", k.vendor, k.device))
                .collect::<Vec<_>>()
                .join(", ")
        );
        return Ok(());
    }
    let iommu = sysfs.iommu_enabled();
    say!("{:<14} {:<10} {:<12} {:<7} board", "address", "id", "driver", "group");
    for d in shown {
        say!(
            "{:<14} {:04x}:{:04x}  {:<12} {:<7} {}",
            d.address,
            d.vendor,
            d.device,
            d.driver.as_deref().unwrap_or("-"),
            d.iommu_group.map_or("-".to_string(), |g| g.to_string()),
            d.known.map_or("", |k| k.what)
        );
        if let Some(known) = d.known {
            let hint = if !iommu {
                "the IOMMU is off: boot with intel_iommu=on (or amd_iommu=on) iommu=pt".to_string()
            } else if d.driver.as_deref() != Some("vfio-pci") {
                format!("bind it: sudo scripts/vfio-bind.sh {}", d.address)
            } else if known.memfire {
                format!("ready: memfire run --backend vfio:{} ...", d.address)
            } else {
                "VFIO works here; a memfire board is needed to run networks".to_string()
            };
            say!("  -> {hint}");
        }
    }
    Ok(())
}
