// C ABI around the verilated neuron pipeline: create, destroy, and run many cycles per call
// (one FFI crossing per batch, not per cycle). Field layout must match `src/ffi.rs`.
#include <cstdint>
#include "Vneuron_pipe.h"
#include "verilated.h"

extern "C" {

struct PipeIn {        // one cycle's inputs
    uint64_t u;        // Q2.22 in a 48-bit accumulator, two's complement
    uint32_t rng;
    int32_t x1, x2, v, m;
    uint32_t tag;
    uint16_t refr;
    uint8_t set;
    uint8_t valid;
};

struct PipeOut {       // one cycle's outputs, after the rising edge
    uint32_t rng;
    int32_t x1, x2, v, m;
    uint32_t tag;
    uint16_t refr;
    uint8_t spike;
    uint8_t valid;
};

struct PipeCfg {       // one configuration write
    uint32_t data;
    uint16_t addr;
    uint8_t target;    // 0 coefficient, 1 drive table, 2 sqrt table
    uint8_t pad;
};

static int32_t sext(uint32_t v, int bits) {
    return (int32_t)(v << (32 - bits)) >> (32 - bits);
}

void* mf_pipe_new() {
    auto* ctx = new VerilatedContext;
    auto* top = new Vneuron_pipe{ctx};
    top->clock = 0;
    top->eval();
    return top;
}

void mf_pipe_free(void* p) {
    auto* top = static_cast<Vneuron_pipe*>(p);
    auto* ctx = top->contextp();
    top->final();
    delete top;
    delete ctx;
}

static void tick(Vneuron_pipe* top) {
    top->clock = 0;
    top->eval();
    top->clock = 1;
    top->eval();
}

void mf_pipe_configure(void* p, const PipeCfg* w, uint64_t n) {
    auto* top = static_cast<Vneuron_pipe*>(p);
    top->in_valid = 0;
    for (uint64_t i = 0; i < n; ++i) {
        top->cfg_addr = w[i].addr;
        top->cfg_data = w[i].data;
        top->coef_we = w[i].target == 0;
        top->drive_we = w[i].target == 1;
        top->sqrt_we = w[i].target == 2;
        tick(top);
    }
    top->coef_we = top->drive_we = top->sqrt_we = 0;
}

void mf_pipe_run(void* p, const PipeIn* in, PipeOut* out, uint64_t n) {
    auto* top = static_cast<Vneuron_pipe*>(p);
    for (uint64_t i = 0; i < n; ++i) {
        top->in_valid = in[i].valid;
        top->in_tag = in[i].tag;
        top->in_set = in[i].set;
        top->in_x1 = (uint32_t)in[i].x1 & 0x1FFFFFF;
        top->in_x2 = (uint32_t)in[i].x2 & 0x1FFFFFF;
        top->in_v = (uint32_t)in[i].v & 0x1FFFFFF;
        top->in_m = (uint32_t)in[i].m & 0x3FFFF;
        top->in_refr = in[i].refr;
        top->in_rng = in[i].rng;
        top->in_u = in[i].u & 0xFFFFFFFFFFFFULL;
        tick(top);
        out[i].valid = top->out_valid;
        out[i].tag = top->out_tag;
        out[i].spike = top->out_spike;
        out[i].x1 = sext(top->out_x1, 25);
        out[i].x2 = sext(top->out_x2, 25);
        out[i].v = sext(top->out_v, 25);
        out[i].m = sext(top->out_m, 18);
        out[i].refr = top->out_refr;
        out[i].rng = top->out_rng;
    }
}

}  // extern "C"
