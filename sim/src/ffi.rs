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
