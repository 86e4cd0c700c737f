// Package safeffi calls lab 04's process_data (labs/04-safe-ffi) through cgo
// and wraps it in an idiomatic Go function.
//
// It links the static library that `cargo build -p lab04-safe-ffi` puts in
// cargo's target dir, which may be anywhere (CARGO_TARGET_DIR), so the path
// comes in CGO_LDFLAGS: run Go through `../with-lab04-lib.sh debug go test
// ./safeffi/` (`make go-test` at the repository root does), or `release`
// after `cargo build --release -p lab04-safe-ffi --lib` for benchmarks.
package safeffi

/*
#cgo CFLAGS: -I${SRCDIR}/../../labs/04-safe-ffi/include
#cgo LDFLAGS: -lpthread -ldl -lm
#include <stdlib.h>
#include "safe_ffi.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"unsafe"
)

// The errors Process can return; each wraps the library's status code.
var (
	ErrNullInput      = errors.New("safeffi: input is NULL")
	ErrNullOutput     = errors.New("safeffi: output is NULL")
	ErrOutputTooSmall = errors.New("safeffi: output buffer too small")
	ErrInputTooLong   = errors.New("safeffi: input too long")
	ErrOverlap        = errors.New("safeffi: input and output overlap")
	ErrPanic          = errors.New("safeffi: the Rust library panicked")
)

// MaxInput is the longest input the library accepts.
const MaxInput = int64(C.PROCESS_MAX_INPUT)

// StatusError is a negative status code from process_data, with the
// library's own message.
type StatusError struct {
	Code    int32
	Message string
	kind    error
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("%v (code %d: %s)", e.kind, e.Code, e.Message)
}

// Unwrap lets errors.Is(err, ErrOverlap) and friends work.
func (e *StatusError) Unwrap() error { return e.kind }

func statusError(code C.int32_t) error {
	kinds := map[int32]error{
		int32(C.PROCESS_STATUS_NULL_INPUT):       ErrNullInput,
		int32(C.PROCESS_STATUS_NULL_OUTPUT):      ErrNullOutput,
		int32(C.PROCESS_STATUS_OUTPUT_TOO_SMALL): ErrOutputTooSmall,
		int32(C.PROCESS_STATUS_INPUT_TOO_LONG):   ErrInputTooLong,
		int32(C.PROCESS_STATUS_OVERLAP):          ErrOverlap,
		int32(C.PROCESS_STATUS_PANIC):            ErrPanic,
	}
	kind, ok := kinds[int32(code)]
	if !ok {
		kind = errors.New("safeffi: unknown status")
	}
	return &StatusError{Code: int32(code), Message: C.GoString(C.process_error_message(code)), kind: kind}
}

// Process returns the normal form of input: ASCII lower-cased, whitespace
// runs collapsed to one space, ends trimmed.
//
// Go memory is passed to C directly: cgo allows it for the duration of the
// call because neither buffer contains Go pointers, and the library keeps
// nothing after it returns.
func Process(input []byte) ([]byte, error) {
	if len(input) == 0 {
		return []byte{}, nil
	}
	out := make([]byte, len(input))
	n, err := call(unsafe.Pointer(&input[0]), len(input), unsafe.Pointer(&out[0]), len(out))
	if err != nil {
		return nil, err
	}
	return out[:n], nil
}

// call is the raw C call, kept separate so tests can reach every error path
// (NULL pointers, overlapping buffers) that Process itself never produces.
func call(in unsafe.Pointer, n int, out unsafe.Pointer, capacity int) (int, error) {
	code := C.process_data((*C.uint8_t)(in), C.size_t(n), (*C.uint8_t)(out), C.size_t(capacity))
	if code < 0 {
		return 0, statusError(code)
	}
	return int(code), nil
}

// Version is the library's version string.
func Version() string { return C.GoString(C.process_version()) }
