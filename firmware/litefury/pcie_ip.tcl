# The 7-series PCI Express integrated block for the LiteFury image, as `pcie_7x_0`:
# endpoint, Gen2 x1, 64-bit AXI-Stream at 62.5 MHz (the user clock memfire's core runs on),
# BAR0 = 128 MiB non-prefetchable 32-bit memory (the core's 25-bit word space), one MSI
# vector, no legacy interrupt. Sourced by build.tcl; expects $ip_dir and the IDs from
# firmware-gen --pcie-ids ($memfire_vendor_id, $memfire_device_id).
create_ip -name pcie_7x -vendor xilinx.com -library ip -module_name pcie_7x_0 -dir $ip_dir
set_property -dict [list \
    CONFIG.mode_selection {Advanced} \
    CONFIG.Device_Port_Type {PCI_Express_Endpoint_device} \
    CONFIG.Maximum_Link_Width {X1} \
    CONFIG.Link_Speed {5.0_GT/s} \
    CONFIG.Trgt_Link_Speed {4'h2} \
    CONFIG.Interface_Width {64_bit} \
    CONFIG.User_Clk_Freq {62.5} \
    CONFIG.Ref_Clk_Freq {100_MHz} \
    CONFIG.PCIe_Blk_Locn {X0Y0} \
    CONFIG.Vendor_ID $memfire_vendor_id \
    CONFIG.Device_ID $memfire_device_id \
    CONFIG.Subsystem_Vendor_ID $memfire_vendor_id \
    CONFIG.Subsystem_ID $memfire_device_id \
    CONFIG.Class_Code_Base {12} \
    CONFIG.Class_Code_Sub {00} \
    CONFIG.Class_Code_Interface {00} \
    CONFIG.Bar0_Enabled {true} \
    CONFIG.Bar0_Type {Memory} \
    CONFIG.Bar0_64bit {false} \
    CONFIG.Bar0_Prefetchable {false} \
    CONFIG.Bar0_Scale {Megabytes} \
    CONFIG.Bar0_Size {128} \
    CONFIG.Bar1_Enabled {false} \
    CONFIG.Max_Payload_Size {256_bytes} \
    CONFIG.Legacy_Interrupt {NONE} \
    CONFIG.IntX_Generation {false} \
    CONFIG.MSI_Enabled {true} \
    CONFIG.MSI_64b {true} \
    CONFIG.Multiple_Message_Capable {1_vector} \
    CONFIG.cfg_status_if {true} \
    CONFIG.cfg_ctl_if {true} \
    CONFIG.cfg_fc_if {false} \
    CONFIG.cfg_mgmt_if {false} \
    CONFIG.err_reporting_if {false} \
    CONFIG.PCIe_Debug_Ports {false} \
    CONFIG.Trans_Buf_Pipeline {None} \
] [get_ips pcie_7x_0]
generate_target all [get_ips pcie_7x_0]
synth_ip [get_ips pcie_7x_0]
