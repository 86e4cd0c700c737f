/* The same firmware in C, for the size comparison in the README: blink
 * PF0 three times on the LM3S6965, read GPIODATA back after each change,
 * print each line over semihosting, then "blinked 3 cycles", and exit
 * QEMU with status 0 (1 if the read-back disagrees). Freestanding: no C
 * library, like the Rust firmware (which has no std). Built and run by
 * labs/09-firmware/c-blink/build.sh. */
#include <stdint.h>

#define REG(addr) (*(volatile uint32_t *)(addr))
#define RCGC2 REG(0x400FE108u)
#define PORTF 0x40025000u
#define GPIODATA_PF0 REG(PORTF + 0x004u)
#define GPIODATA_ALL REG(PORTF + 0x3FCu)
#define GPIODIR REG(PORTF + 0x400u)
#define GPIOAFSEL REG(PORTF + 0x420u)
#define GPIODEN REG(PORTF + 0x51Cu)

/* Semihosting: operation in r0, argument in r1, then BKPT 0xAB. */
static uintptr_t semihost(uintptr_t op, const void *arg) {
    register uintptr_t r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

static void print(const char *s) { semihost(0x04 /* SYS_WRITE0 */, s); }

static void exit_qemu(int failed) {
    /* SYS_EXIT with ADP_Stopped_ApplicationExit (0x20026) or RunTimeErrorUnknown (0x20023). */
    semihost(0x18, (const void *)(uintptr_t)(failed ? 0x20023u : 0x20026u));
    for (;;) {
    }
}

static void delay(uint32_t n) {
    while (n--) {
        __asm__ volatile("nop");
    }
}

static int report(int lit) {
    /* On the stack: there is no start-up code to copy .data from flash. */
    char tail[5];
    uint32_t data = GPIODATA_ALL;
    const char *hex = "0123456789abcdef";
    print(lit ? "led on (GPIODATA = 0x" : "led off (GPIODATA = 0x");
    tail[0] = hex[(data >> 4) & 0xf];
    tail[1] = hex[data & 0xf];
    tail[2] = ')';
    tail[3] = '\n';
    tail[4] = 0;
    print(tail);
    return ((data & 1u) != 0) != lit;
}

void reset(void) {
    int mismatch = 0;
    RCGC2 |= 1u << 5;
    GPIODATA_PF0 = 0;
    GPIOAFSEL &= ~1u;
    GPIODIR |= 1u;
    GPIODEN |= 1u;
    for (int i = 0; i < 3; i++) {
        GPIODATA_PF0 = 1;
        mismatch |= report(1);
        delay(1200000);
        GPIODATA_PF0 = 0;
        mismatch |= report(0);
        delay(1200000);
    }
    if (mismatch) {
        print("error: GPIODATA did not follow the LED\n");
        exit_qemu(1);
    }
    print("blinked 3 cycles\n");
    exit_qemu(0);
}

extern uint32_t _stack_top;
__attribute__((section(".vectors"), used)) static const void *vectors[] = {&_stack_top, (void *)reset};
