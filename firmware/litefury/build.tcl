# Build the LiteFury bitstream in Vivado's non-project mode (scripts/build-litefury.sh runs
# this; Vivado 2019.1 or later with Artix-7 support, the free edition suffices):
#   vivado -mode batch -source firmware/litefury/build.tcl -tclargs TOP.v IDS.tcl OUT_DIR
# Writes OUT_DIR/litefury.bit (JTAG), litefury.bin (SPI flash), and the reports.
lassign $argv top_v ids_tcl out
set part xc7a100tfgg484-2L
set here [file dirname [info script]]
set root [file normalize $here/../..]
file mkdir $out
set ip_dir [file normalize $out/ip]
file mkdir $ip_dir

create_project -in_memory -part $part
source $ids_tcl
source $here/pcie_ip.tcl
read_verilog $top_v
read_xdc $root/constraints/litefury/litefury.xdc

synth_design -top top -part $part
opt_design
place_design
phys_opt_design
route_design
report_utilization -file $out/utilization.txt
report_timing_summary -max_paths 10 -file $out/timing.txt
write_bitstream -force -bin_file $out/litefury.bit
# Fail loudly when the 62.5 MHz user clock does not close: a bitstream that misses timing
# may work on the bench and fail on the next board.
set wns [get_property SLACK [get_timing_paths -max_paths 1 -nworst 1 -setup]]
puts "litefury: worst setup slack $wns ns (see $out/timing.txt)"
if {$wns < 0} {
    puts "litefury: timing FAILED"
    exit 1
}
