package safeffi

import (
	"bytes"
	"unsafe"
)

// callNull, callOverlap and friends give the tests (which cannot use cgo
// themselves) the raw calls that reach each error code.

func callNullInput(n int) error {
	out := make([]byte, 8)
	_, err := call(nil, n, unsafe.Pointer(&out[0]), len(out))
	return err
}

func callNullOutput(input []byte) error {
	_, err := call(unsafe.Pointer(&input[0]), len(input), nil, 64)
	return err
}

func callWithCap(input []byte, capacity int) (buf []byte, n int, err error) {
	// One spare byte, so &buf[0] is valid for capacity 0. The buffer is
	// pre-filled with 0xAA and returned whole, so a test can tell which
	// bytes the library wrote.
	buf = bytes.Repeat([]byte{0xAA}, capacity+1)
	n, err = call(unsafe.Pointer(&input[0]), len(input), unsafe.Pointer(&buf[0]), capacity)
	return buf, n, err
}

func callTooLong(input []byte) error {
	out := make([]byte, len(input))
	// The length is a lie on purpose: the library must reject it unread.
	_, err := call(unsafe.Pointer(&input[0]), int(MaxInput)+1, unsafe.Pointer(&out[0]), int(MaxInput)+1)
	return err
}

func callOverlap(buf []byte, inLen, outOffset int) error {
	_, err := call(unsafe.Pointer(&buf[0]), inLen, unsafe.Pointer(&buf[outOffset]), inLen)
	return err
}
