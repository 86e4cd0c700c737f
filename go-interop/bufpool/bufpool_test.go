package bufpool

import (
	"bytes"
	"sync"
	"testing"
)

var payload = bytes.Repeat([]byte{'x'}, WriteLen)

func TestBothWriteThePayload(t *testing.T) {
	if n := Pooled(payload); n != WriteLen {
		t.Fatalf("Pooled wrote %d bytes, want %d", n, WriteLen)
	}
	if n := Fresh(payload); n != WriteLen {
		t.Fatalf("Fresh wrote %d bytes, want %d", n, WriteLen)
	}
}

func TestPooledBuffersComeBackEmptyFromManyGoroutines(t *testing.T) {
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 1000; i++ {
				bp := pool.Get().(*[]byte)
				if len(*bp) != 0 || cap(*bp) != BufferCap {
					t.Errorf("a pooled buffer came back with len %d, cap %d", len(*bp), cap(*bp))
				}
				pool.Put(bp)
				Pooled(payload)
			}
		}()
	}
	wg.Wait()
}

func TestAGrownBufferIsNotPutBack(t *testing.T) {
	big := bytes.Repeat([]byte{'y'}, BufferCap+1)
	if n := Pooled(big); n != BufferCap+1 {
		t.Fatalf("wrote %d", n)
	}
	bp := pool.Get().(*[]byte)
	if cap(*bp) != BufferCap {
		t.Fatalf("the grown buffer (cap %d) was pooled", cap(*bp))
	}
}

// BenchmarkPooled and BenchmarkFresh are one round each per iteration;
// with -cpu 1,2 they run with GOMAXPROCS 1 and 2, on as many goroutines.
func BenchmarkPooled(b *testing.B) {
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			Pooled(payload)
		}
	})
}

func BenchmarkFresh(b *testing.B) {
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			Fresh(payload)
		}
	})
}
