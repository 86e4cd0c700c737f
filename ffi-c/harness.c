/*
 * The C harness for lab 04: calls process_data through its C header, as a
 * C program would, and checks success and every error code. Prints
 * "N passed, N failed" and exits non-zero on any failure.
 *
 * `make test` here runs it plain, under valgrind memcheck, and built with
 * AddressSanitizer + UBSan; and proves the sanitizer build catches a real
 * overflow (-DDELIBERATE_OVERFLOW, the negative control).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "safe_ffi.h"

static int passed;
static int failed;

#define CHECK(cond)                                                        \
    do {                                                                   \
        if (cond) {                                                        \
            passed++;                                                      \
        } else {                                                           \
            failed++;                                                      \
            fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                  \
    } while (0)

/* A heap buffer of exactly `n` bytes, so ASan and valgrind flag any write
 * past it; filled with 0xAA to detect writes on error paths. */
static uint8_t *exact_buffer(size_t n) {
    uint8_t *p = malloc(n ? n : 1);
    if (p == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    memset(p, 0xAA, n ? n : 1);
    return p;
}

static int all_bytes(const uint8_t *p, size_t n, uint8_t value) {
    for (size_t i = 0; i < n; i++) {
        if (p[i] != value) {
            return 0;
        }
    }
    return 1;
}

static void test_normalizes_keywords(void) {
    const char *in = "  Senior  RUST\tEngineer \n";
    size_t len = strlen(in);
    uint8_t *out = exact_buffer(len);
    int32_t n = process_data((const uint8_t *)in, len, out, len);
    CHECK(n == 20);
    CHECK(n == 20 && memcmp(out, "senior rust engineer", 20) == 0);
    free(out);
}

static void test_utf8_passes_through(void) {
    const char *in = "\xe7\x86\x9f\xe6\x82\x89 RUST"; /* "熟悉 RUST" */
    size_t len = strlen(in);
    uint8_t *out = exact_buffer(len);
    int32_t n = process_data((const uint8_t *)in, len, out, len);
    CHECK(n == (int32_t)len);
    CHECK(memcmp(out, "\xe7\x86\x9f\xe6\x82\x89 rust", len) == 0);
    free(out);
}

static void test_zero_length_accepts_null(void) {
    CHECK(process_data(NULL, 0, NULL, 0) == 0);
}

static void test_null_input(void) {
    uint8_t out[8];
    CHECK(process_data(NULL, 4, out, sizeof out) == PROCESS_STATUS_NULL_INPUT);
}

static void test_null_output(void) {
    const uint8_t in[4] = {'R', 'U', 'S', 'T'};
    CHECK(process_data(in, sizeof in, NULL, 64) == PROCESS_STATUS_NULL_OUTPUT);
}

static void test_output_too_small_writes_nothing(void) {
    const char *in = "RUST ENGINEER";
    uint8_t *out = exact_buffer(5);
    CHECK(process_data((const uint8_t *)in, strlen(in), out, 5) == PROCESS_STATUS_OUTPUT_TOO_SMALL);
    CHECK(all_bytes(out, 5, 0xAA));
    free(out);
}

static void test_input_too_long_is_checked_before_reading(void) {
    const uint8_t in[4] = {'a', 'b', 'c', 'd'};
    uint8_t out[4];
    /* The length is a lie; the library must reject it without reading. */
    CHECK(process_data(in, (size_t)PROCESS_MAX_INPUT + 1, out, SIZE_MAX) ==
          PROCESS_STATUS_INPUT_TOO_LONG);
}

static void test_overlap(void) {
    uint8_t buf[16];
    memcpy(buf, "RUST  GO RUST GO", 16);
    CHECK(process_data(buf, 8, buf, 8) == PROCESS_STATUS_OVERLAP);
    CHECK(process_data(buf, 8, buf + 4, 8) == PROCESS_STATUS_OVERLAP);
    CHECK(memcmp(buf, "RUST  GO RUST GO", 16) == 0);
    /* Adjacent halves of one buffer do not overlap. */
    CHECK(process_data(buf, 8, buf + 8, 8) == 7);
    CHECK(memcmp(buf + 8, "rust go", 7) == 0);
}

static void test_messages(void) {
    const int32_t codes[] = {
        PROCESS_STATUS_OK,          PROCESS_STATUS_NULL_INPUT,      PROCESS_STATUS_NULL_OUTPUT,
        PROCESS_STATUS_OUTPUT_TOO_SMALL, PROCESS_STATUS_INPUT_TOO_LONG, PROCESS_STATUS_OVERLAP,
        PROCESS_STATUS_PANIC,
    };
    const char *unknown = process_error_message(-1000);
    CHECK(unknown != NULL && strcmp(unknown, "unknown status code") == 0);
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        const char *m = process_error_message(codes[i]);
        CHECK(m != NULL && m[0] != '\0' && strcmp(m, unknown) != 0);
    }
}

static void test_version(void) {
    const char *v = process_version();
    CHECK(v != NULL && v[0] >= '0' && v[0] <= '9' && strchr(v, '.') != NULL);
}

int main(void) {
#ifdef DELIBERATE_OVERFLOW
    /* Negative control: a one-byte heap overflow that only a sanitizer or
     * valgrind sees. The sanitizer build of this file must die here. */
    volatile size_t past_end = 8;
    uint8_t *p = exact_buffer(8);
    p[past_end] = 1;
    free(p);
#endif
    test_normalizes_keywords();
    test_utf8_passes_through();
    test_zero_length_accepts_null();
    test_null_input();
    test_null_output();
    test_output_too_small_writes_nothing();
    test_input_too_long_is_checked_before_reading();
    test_overlap();
    test_messages();
    test_version();
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
