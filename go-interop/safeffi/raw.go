package safeffi

import "unsafe"

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

func callWithCap(input []byte, capacity int) ([]byte, error) {
	out := make([]byte, capacity+1) // one spare byte, so &out[0] is valid for capacity 0
	n, err := call(unsafe.Pointer(&input[0]), len(input), unsafe.Pointer(&out[0]), capacity)
	return out[:n], err
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
