//! The C ABI of the Verilator shims (`csrc/*_shim.cpp`). Every `unsafe` of this crate is in
//! this module; the safe wrappers elsewhere only see [`PipeModel`].
#![allow(unsafe_code)]

use std::ptr::NonNull;

/// One cycle's inputs to the neuron pipeline (layout shared with `PipeIn` in C++).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PipeIn {
    pub u: u64,
    pub rng: u32,
    pub x1: i32,
    pub x2: i32,
    pub v: i32,
    pub m: i32,
    pub tag: u32,
    pub refr: u16,
    pub set: u8,
    pub valid: u8,
}

/// One cycle's outputs (layout shared with `PipeOut` in C++).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PipeOut {
    pub rng: u32,
    pub x1: i32,
    pub x2: i32,
    pub v: i32,
    pub m: i32,
    pub tag: u32,
    pub refr: u16,
    pub spike: u8,
    pub valid: u8,
}

/// One configuration write (layout shared with `PipeCfg` in C++).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PipeCfg {
    pub data: u32,
    pub addr: u16,
    pub target: u8,
    pub pad: u8,
}

extern "C" {
    fn mf_pipe_new() -> *mut std::ffi::c_void;
    fn mf_pipe_free(p: *mut std::ffi::c_void);
    fn mf_pipe_configure(p: *mut std::ffi::c_void, w: *const PipeCfg, n: u64);
    fn mf_pipe_run(p: *mut std::ffi::c_void, input: *const PipeIn, out: *mut PipeOut, n: u64);
}

/// An owned verilated neuron pipeline.
#[derive(Debug)]
pub struct PipeModel(NonNull<std::ffi::c_void>);

// SAFETY: the model is a plain C++ object with no thread affinity; `&mut self` on every
// call below keeps it to one thread at a time.
unsafe impl Send for PipeModel {}

impl PipeModel {
    pub fn new() -> PipeModel {
        // SAFETY: `mf_pipe_new` allocates a fresh model and context and never returns null
        // (C++ `new` throws instead, which aborts across the C boundary).
        let p = unsafe { mf_pipe_new() };
        PipeModel(NonNull::new(p).unwrap_or_else(|| std::process::abort()))
    }

    pub fn configure(&mut self, writes: &[PipeCfg]) {
        // SAFETY: the model pointer is live (owned by self); the slice gives `len` readable,
        // properly laid-out `PipeCfg`s that the shim reads only during the call.
        unsafe { mf_pipe_configure(self.0.as_ptr(), writes.as_ptr(), writes.len() as u64) }
    }

    pub fn run(&mut self, input: &[PipeIn], out: &mut [PipeOut]) {
        let n = input.len().min(out.len());
        // SAFETY: live model; `input` has ≥ n readable and `out` ≥ n writable elements, of
        // the same #[repr(C)] layout as the C++ structs; nothing is kept after the call.
        unsafe { mf_pipe_run(self.0.as_ptr(), input.as_ptr(), out.as_mut_ptr(), n as u64) }
    }
}

impl Drop for PipeModel {
    fn drop(&mut self) {
        // SAFETY: the pointer came from `mf_pipe_new`, is freed exactly once here, and is
        // not used afterwards.
        unsafe { mf_pipe_free(self.0.as_ptr()) }
    }
}

extern "C" {
    fn mf_core_new(trace_path: *const std::ffi::c_char) -> *mut std::ffi::c_void;
    fn mf_core_free(p: *mut std::ffi::c_void);
    fn mf_core_cycles(p: *mut std::ffi::c_void) -> u64;
    fn mf_core_write_block(p: *mut std::ffi::c_void, addr: u32, data: *const u32, n: u64);
    fn mf_core_read_block(p: *mut std::ffi::c_void, addr: u32, out: *mut u32, n: u64);
    fn mf_core_run(p: *mut std::ffi::c_void, max_cycles: u64, stop_on_irq: u8) -> u64;
    fn mf_core_irq(p: *mut std::ffi::c_void) -> u8;
    fn mf_core_power_cycle(p: *mut std::ffi::c_void);
    fn mf_core_set_memory(p: *mut std::ffi::c_void, base: *mut u8, iova: u64, len: u64);
    fn mf_core_set_memory_timing(
        p: *mut std::ffi::c_void,
        latency_min: u32,
        latency_max: u32,
        ready_permille: u32,
        seed: u64,
    );
    fn mf_core_memory_stats(p: *mut std::ffi::c_void, out: *mut MemStats);
}

/// Counters of the host-memory model (layout shared with `MfMemStats` in C++).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MemStats {
    /// Accesses outside the mapped window (or not 8-byte aligned).
    pub faults: u64,
    /// The first such access: address and whether it was a write.
    pub fault_addr: u64,
    pub reads: u64,
    pub writes: u64,
    pub fault_write: u8,
    pub pad: [u8; 7],
}

/// An owned verilated core and the host memory its DMA port reaches.
#[derive(Debug)]
pub struct CoreModel {
    model: NonNull<std::ffi::c_void>,
    /// Host memory at bus address `iova`; the shim holds a pointer into it, renewed by
    /// [`CoreModel::resize_memory`] whenever it moves.
    memory: Vec<u8>,
}

// SAFETY: a plain C++ object with no thread affinity; `&mut self` serialises every call.
unsafe impl Send for CoreModel {}

impl CoreModel {
    /// A core after power-up; with `trace`, every cycle is written to that FST file.
    pub fn new(trace: Option<&std::ffi::CStr>) -> CoreModel {
        let path = trace.map_or(std::ptr::null(), |t| t.as_ptr());
        // SAFETY: `path` is null or a NUL-terminated string that outlives the call (the
        // shim copies it into the FST writer); the returned pointer is a fresh allocation.
        let p = unsafe { mf_core_new(path) };
        CoreModel {
            model: NonNull::new(p).unwrap_or_else(|| std::process::abort()),
            memory: Vec::new(),
        }
    }

    /// Make host memory `len` bytes long (new bytes zero) at bus address `iova`.
    pub fn resize_memory(&mut self, iova: u64, len: usize) {
        self.memory.resize(len, 0);
        // SAFETY: live model; the pointer and length describe `self.memory`, which stays
        // where it is until the next call of this method (the only place that resizes it)
        // re-registers it, and outlives the model (fields drop after `Drop::drop`). The
        // shim touches it only inside calls made through `&mut self`.
        unsafe { mf_core_set_memory(self.model.as_ptr(), self.memory.as_mut_ptr(), iova, len as u64) }
    }

    /// Host memory as the device wrote it.
    pub fn memory(&self) -> &[u8] {
        &self.memory
    }

    /// Host memory, to write.
    pub fn memory_mut(&mut self) -> &mut [u8] {
        &mut self.memory
    }

    /// Read latency (cycles, drawn uniformly) and the chance per mille that the port
    /// accepts a request in a cycle.
    pub fn set_memory_timing(&mut self, latency: (u32, u32), ready_permille: u32, seed: u64) {
        // SAFETY: live model owned by self; plain values.
        unsafe {
            mf_core_set_memory_timing(
                self.model.as_ptr(),
                latency.0,
                latency.1.max(latency.0),
                ready_permille,
                seed,
            )
        }
    }

    pub fn memory_stats(&mut self) -> MemStats {
        let mut stats = MemStats::default();
        // SAFETY: live model; `stats` is a valid, properly laid-out out-parameter.
        unsafe { mf_core_memory_stats(self.model.as_ptr(), &mut stats) };
        stats
    }

    pub fn cycles(&mut self) -> u64 {
        // SAFETY: live model owned by self.
        unsafe { mf_core_cycles(self.model.as_ptr()) }
    }

    pub fn write_block(&mut self, addr: u32, data: &[u32]) {
        // SAFETY: live model; `data` has `len` readable words, used only during the call.
        unsafe { mf_core_write_block(self.model.as_ptr(), addr, data.as_ptr(), data.len() as u64) }
    }

    pub fn read_block(&mut self, addr: u32, out: &mut [u32]) {
        // SAFETY: live model; `out` has `len` writable words, used only during the call.
        unsafe { mf_core_read_block(self.model.as_ptr(), addr, out.as_mut_ptr(), out.len() as u64) }
    }

    /// Run up to `max_cycles`, stopping after the edge that raises the interrupt if
    /// `stop_on_irq`; returns the cycles run.
    pub fn run(&mut self, max_cycles: u64, stop_on_irq: bool) -> u64 {
        // SAFETY: live model owned by self.
        unsafe { mf_core_run(self.model.as_ptr(), max_cycles, u8::from(stop_on_irq)) }
    }

    pub fn irq(&mut self) -> bool {
        // SAFETY: live model owned by self.
        unsafe { mf_core_irq(self.model.as_ptr()) != 0 }
    }

    /// Every register and memory of the core back to its power-up value; host memory kept.
    pub fn power_cycle(&mut self) {
        // SAFETY: live model owned by self; the shim keeps its pointer into `self.memory`.
        unsafe { mf_core_power_cycle(self.model.as_ptr()) }
    }
}

impl Drop for CoreModel {
    fn drop(&mut self) {
        // SAFETY: the pointer came from `mf_core_new` and is freed once, here.
        unsafe { mf_core_free(self.model.as_ptr()) }
    }
}

extern "C" {
    fn mf_uart_new(cpb: u32) -> *mut std::ffi::c_void;
    fn mf_uart_free(p: *mut std::ffi::c_void);
    #[allow(clippy::too_many_arguments)]
    fn mf_uart_exchange(
        p: *mut std::ffi::c_void,
        out: *const u8,
        n_out: u64,
        input: *mut u8,
        cap: u64,
        want: u64,
        max_cycles: u64,
        cycles: *mut u64,
    ) -> u64;
}

/// An owned verilated core behind its UART bridge.
#[derive(Debug)]
pub struct UartModel(NonNull<std::ffi::c_void>);

// SAFETY: a plain C++ object with no thread affinity; `&mut self` serialises every call.
unsafe impl Send for UartModel {}

impl UartModel {
    pub fn new(clocks_per_bit: u32) -> UartModel {
        // SAFETY: allocates a fresh model; never returns null (C++ `new` aborts instead).
        let p = unsafe { mf_uart_new(clocks_per_bit) };
        UartModel(NonNull::new(p).unwrap_or_else(|| std::process::abort()))
    }

    /// Send `out` serially while collecting what the board sends into `input`; keep going
    /// until `want` bytes arrived or `max_cycles` passed. Returns (bytes received, cycles).
    pub fn exchange(&mut self, out: &[u8], input: &mut [u8], want: usize, max_cycles: u64) -> (usize, u64) {
        let mut cycles = 0u64;
        // SAFETY: live model; `out` readable and `input` writable for their lengths (the shim
        // never writes past `cap`); `cycles` is a valid u64 out-parameter; nothing is kept.
        let got = unsafe {
            mf_uart_exchange(
                self.0.as_ptr(),
                out.as_ptr(),
                out.len() as u64,
                input.as_mut_ptr(),
                input.len() as u64,
                want.min(input.len()) as u64,
                max_cycles,
                &mut cycles,
            )
        };
        (got as usize, cycles)
    }
}

impl Drop for UartModel {
    fn drop(&mut self) {
        // SAFETY: the pointer came from `mf_uart_new` and is freed once, here.
        unsafe { mf_uart_free(self.0.as_ptr()) }
    }
}

/// One cycle of the PCIe integrated block's outputs towards the adapter (layout shared with
/// `MfPcieIn` in `csrc/pcie_core_shim.cpp`).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PcieIn {
    pub rx_tdata: u64,
    pub cfg_id: u16,
    pub rx_tkeep: u8,
    pub rx_tlast: u8,
    pub rx_tvalid: u8,
    pub rx_bar0: u8,
    pub tx_tready: u8,
    pub cfg_bus_master: u8,
    pub cfg_msi_enable: u8,
    pub cfg_interrupt_rdy: u8,
    pub pad: [u8; 6],
}

/// What the adapter shows in that cycle (layout shared with `MfPcieOut`).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PcieOut {
    pub tx_tdata: u64,
    pub tx_tkeep: u8,
    pub tx_tlast: u8,
    pub tx_tvalid: u8,
    pub rx_tready: u8,
    pub cfg_interrupt: u8,
    pub irq: u8,
    pub pad: [u8; 2],
}

extern "C" {
    fn mf_pcie_new(link_period: u32, core_period: u32) -> *mut std::ffi::c_void;
    fn mf_pcie_free(p: *mut std::ffi::c_void);
    fn mf_pcie_cycles(p: *mut std::ffi::c_void) -> u64;
    fn mf_pcie_tick(p: *mut std::ffi::c_void, input: *const PcieIn, out: *mut PcieOut);
}

/// An owned verilated core behind the PCIe TLP adapter.
#[derive(Debug)]
pub struct PcieModel(NonNull<std::ffi::c_void>);

// SAFETY: a plain C++ object with no thread affinity; `&mut self` serialises every call.
unsafe impl Send for PcieModel {}

impl PcieModel {
    /// A model whose link clock and core clock have periods `link_period` and
    /// `core_period` (any one unit).
    pub fn new(link_period: u32, core_period: u32) -> PcieModel {
        // SAFETY: allocates a fresh model; never returns null (C++ `new` aborts instead).
        let p = unsafe { mf_pcie_new(link_period, core_period) };
        PcieModel(NonNull::new(p).unwrap_or_else(|| std::process::abort()))
    }

    /// One clock cycle with `input` driven; returns what the adapter showed at the edge.
    pub fn tick(&mut self, input: &PcieIn) -> PcieOut {
        let mut out = PcieOut::default();
        // SAFETY: live model; `input` and `out` are valid #[repr(C)] structs of the shim's
        // layout, read/written only during the call.
        unsafe { mf_pcie_tick(self.0.as_ptr(), input, &mut out) };
        out
    }

    pub fn cycles(&mut self) -> u64 {
        // SAFETY: live model; a plain read.
        unsafe { mf_pcie_cycles(self.0.as_ptr()) }
    }
}

impl Drop for PcieModel {
    fn drop(&mut self) {
        // SAFETY: the pointer came from `mf_pcie_new` and is freed once, here.
        unsafe { mf_pcie_free(self.0.as_ptr()) }
    }
}
