// C ABI around the verilated core-behind-a-UART-bridge: bytes in on the rx pin, bytes out
// decoded from the tx pin, many cycles per call. `cpb` clocks per bit, 8N1.
#include <cstdint>
#include <memory>
#include "Vuart_core.h"
#include "verilated.h"

namespace {
struct Uart {
    std::unique_ptr<VerilatedContext> ctx;
    std::unique_ptr<Vuart_core> top;
    uint32_t cpb = 4;
    uint64_t cycles = 0;
    // tx decoder: -1 idle, else cycles until the next sample; bit index and shift register
    int32_t wait = -1;
    int32_t bit = 0;
    uint32_t shift = 0;

    void tick() {
        top->clock = 0;
        top->eval();
        top->clock = 1;
        top->eval();
        ++cycles;
    }

    // Advance the tx decoder one cycle; returns a byte (0..255) when one completes, else -1.
    int decode() {
        int line = top->tx & 1;
        if (wait < 0) {
            if (line == 0) { wait = cpb + cpb / 2 - 1; bit = 0; shift = 0; }  // middle of bit 0
            return -1;
        }
        if (wait-- > 0) return -1;
        if (bit < 8) {
            shift |= (uint32_t)line << bit;
            ++bit;
            wait = cpb - 1;
            return -1;
        }
        wait = -1;  // stop bit sampled
        return line ? (int)shift : -1;
    }
};
}  // namespace

extern "C" {

void* mf_uart_new(uint32_t cpb) {
    auto* u = new Uart;
    u->cpb = cpb;
    u->ctx = std::make_unique<VerilatedContext>();
    u->top = std::make_unique<Vuart_core>(u->ctx.get());
    u->top->rx = 1;
    u->top->clock = 0;
    u->top->eval();
    for (int i = 0; i < 16; ++i) u->tick();
    return u;
}

void mf_uart_free(void* p) {
    auto* u = static_cast<Uart*>(p);
    u->top->final();
    delete u;
}

// Send `n_out` bytes on rx while collecting bytes from tx into `in` (capacity `cap`); after
// sending, keep running until `want` bytes arrived or `max_cycles` passed. Returns bytes
// received; `*cycles` gets the cycles run.
uint64_t mf_uart_exchange(void* p, const uint8_t* out, uint64_t n_out, uint8_t* in, uint64_t cap,
                          uint64_t want, uint64_t max_cycles, uint64_t* cycles) {
    auto* u = static_cast<Uart*>(p);
    uint64_t got = 0, run = 0;
    auto step = [&]() {
        u->tick();
        ++run;
        int b = u->decode();
        if (b >= 0 && got < cap) in[got++] = (uint8_t)b;
    };
    for (uint64_t i = 0; i < n_out; ++i) {
        uint32_t frame = ((uint32_t)out[i] << 1) | (1u << 9);  // start 0, data LSB first, stop 1
        for (int b = 0; b < 10; ++b) {
            u->top->rx = (frame >> b) & 1;
            for (uint32_t c = 0; c < u->cpb; ++c) step();
        }
    }
    u->top->rx = 1;
    while (got < want && run < max_cycles) step();
    *cycles = run;
    return got;
}

}  // extern "C"
