# LiteFury (RHS Research): XC7A100T-L2FGG484E on an M.2 2280 M-key card. The pins memfire
# uses, from the board's public sample-project constraints (RHSResearchLLC/NiteFury-and-
# LiteFury, Sample-Projects/Project-0/FPGA-A100T-2/src/constraints). Port names match the
# top that `firmware-gen litefury` writes (memfire-firmware, src/litefury.rs).

# ---- PCIe: 100 MHz reference clock from the slot, on the GTP quad's MGTREFCLK0 ----
set_property PACKAGE_PIN F6 [get_ports pcie_clkin_p]
set_property PACKAGE_PIN E6 [get_ports pcie_clkin_n]
create_clock -name pcie_refclk -period 10.000 [get_ports pcie_clkin_p]

# ---- The core's clock: 125 MHz from an MMCM on the block's 62.5 MHz user clock ----
# Vivado derives it from the MMCM's settings (firmware/src/core_mmcm.rs). The core and the
# TLP adapter meet only in the clock crossing's FIFOs, whose pointers cross through
# handshaking synchronisers: no path between the two clocks is timed.
set_clock_groups -asynchronous \
    -group [get_clocks -of_objects [get_pins -hierarchical -filter {NAME =~ *core_mmcm/CLKOUT0}]] \
    -group [get_clocks -of_objects [get_pins -hierarchical -filter {NAME =~ *core_mmcm/CLKIN1}]]

# ---- PCIe lane 0 of the M.2 connector: GTP channel X0Y7 ----
# The board routes the M.2 lanes to the quad out of order; the x1 core's lane 0 must sit
# on the channel wired to M.2 lane 0 (the IP's default placement would pick another).
set_property PACKAGE_PIN B10 [get_ports pcie_mgt_rxp]
set_property PACKAGE_PIN A10 [get_ports pcie_mgt_rxn]
set_property PACKAGE_PIN B6 [get_ports pcie_mgt_txp]
set_property PACKAGE_PIN A6 [get_ports pcie_mgt_txn]
set_property LOC GTPE2_CHANNEL_X0Y7 [get_cells -hierarchical -filter {NAME =~ *pipe_lane?0?.gt_wrapper_i/gtp_channel.gtpe2_channel_i}]

# ---- PERST# and CLKREQ# ----
set_property PACKAGE_PIN J1 [get_ports pci_reset]
set_property IOSTANDARD LVCMOS33 [get_ports pci_reset]
set_property PULLUP true [get_ports pci_reset]
# PERST# is asynchronous; the integrated block synchronises it.
set_false_path -from [get_ports pci_reset]
set_property PACKAGE_PIN G1 [get_ports pcie_clkreq_l]
set_property IOSTANDARD LVCMOS33 [get_ports pcie_clkreq_l]

# ---- LEDs A1..A4 (led_n[0..3], lit by a low level) ----
set_property PACKAGE_PIN G3 [get_ports {led_n[0]}]
set_property PACKAGE_PIN H3 [get_ports {led_n[1]}]
set_property PACKAGE_PIN G4 [get_ports {led_n[2]}]
set_property PACKAGE_PIN H4 [get_ports {led_n[3]}]
set_property IOSTANDARD LVCMOS33 [get_ports {led_n[*]}]
set_property DRIVE 8 [get_ports {led_n[*]}]
# LEDs are slow and asynchronous to everything.
set_false_path -to [get_ports {led_n[*]}]
set_false_path -to [get_ports pcie_clkreq_l]

# ---- Configuration: quad SPI flash at full speed, so the card is up before the host
# enumerates (PCIe allows 100 ms after power-good) ----
set_property CONFIG_VOLTAGE 3.3 [current_design]
set_property CFGBVS VCCO [current_design]
set_property CONFIG_MODE SPIx4 [current_design]
set_property BITSTREAM.CONFIG.SPI_BUSWIDTH 4 [current_design]
set_property BITSTREAM.CONFIG.EXTMASTERCCLK_EN Div-1 [current_design]
set_property BITSTREAM.CONFIG.SPI_FALL_EDGE YES [current_design]
set_property BITSTREAM.GENERAL.COMPRESS TRUE [current_design]
