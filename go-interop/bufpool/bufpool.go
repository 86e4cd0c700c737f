// Package bufpool is the Go twin of lab 05 (labs/05-buffers): the same
// workload as the Rust benchmark, a 64 KiB buffer taken, 4 KiB written
// into it, and given back, with sync.Pool and with a fresh make([]byte)
// each time.
//
// sync.Pool has no bound: it keeps whatever is Put, and the garbage
// collector may empty it at any GC (it survives one in a victim cache
// since Go 1.13). A buffer that grew must be checked by hand before Put,
// as Pooled does; the Rust pool drops it by itself.
package bufpool

import "sync"

const (
	// BufferCap is the capacity of each buffer.
	BufferCap = 64 << 10
	// WriteLen is what each round writes into its buffer.
	WriteLen = 4 << 10
)

var pool = sync.Pool{New: func() any {
	b := make([]byte, 0, BufferCap)
	return &b // a pointer: putting a slice header in an interface allocates
}}

// sink keeps Fresh's buffer on the heap: without it the compiler may put a
// 64 KiB buffer that does not escape on the stack, which is not the cost
// being measured.
var sink []byte

// Pooled takes a buffer from the pool, writes payload into it and gives it
// back, unless it grew past BufferCap. It returns the bytes written.
func Pooled(payload []byte) int {
	bp := pool.Get().(*[]byte)
	b := append((*bp)[:0], payload...)
	n := len(b)
	if cap(b) <= BufferCap {
		*bp = b[:0]
		pool.Put(bp)
	}
	return n
}

// Fresh allocates a new buffer, writes payload into it and drops it.
func Fresh(payload []byte) int {
	b := make([]byte, 0, BufferCap)
	b = append(b, payload...)
	sink = b
	return len(b)
}
