package goroutines

import (
	"fmt"
	"sort"
	"sync/atomic"
	"testing"
	"time"
)

func TestSleepersReturnsEveryIDExactlyOnce(t *testing.T) {
	ids := Sleepers(1000, 10*time.Millisecond)
	if len(ids) != 1000 {
		t.Fatalf("got %d ids, want 1000", len(ids))
	}
	sort.Ints(ids)
	for i, id := range ids {
		if id != i {
			t.Fatalf("ids[%d] = %d after sorting: an id is missing or repeated", i, id)
		}
	}
}

func TestSleepersOfNothingIsEmpty(t *testing.T) {
	if ids := Sleepers(0, time.Second); len(ids) != 0 {
		t.Fatalf("got %v, want no ids", ids)
	}
	if ids := Sleepers(-3, time.Second); len(ids) != 0 {
		t.Fatalf("got %v for a negative count, want no ids", ids)
	}
}

func TestArticleVersionReturnsBeforeItsGoroutinesFinish(t *testing.T) {
	if done := ArticleVersion(1000, 200*time.Millisecond); done == 1000 {
		t.Fatalf("all 1000 goroutines finished before main returned; the article's program would print them")
	}
}

func TestSpawnJoinWaitsForEveryGoroutine(t *testing.T) {
	for _, n := range []int{0, 1, 1000} {
		var finished atomic.Int64
		// Each goroutine sleeps first: without wg.Wait() SpawnJoinWith would
		// return long before any of them finished.
		SpawnJoinWith(n, func() {
			time.Sleep(5 * time.Millisecond)
			finished.Add(1)
		})
		if got := finished.Load(); got != int64(n) {
			t.Fatalf("SpawnJoinWith(%d) returned with %d goroutines finished", n, got)
		}
		SpawnJoin(n) // the no-work version the benchmark times
	}
}

// BenchmarkSpawnJoin is the Go peer of labs/03-async-tasks/benches/spawn.rs.
// Run with -cpu 1,2 to set GOMAXPROCS; ns/goroutine is the number to compare.
func BenchmarkSpawnJoin(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			start := time.Now()
			for i := 0; i < b.N; i++ {
				SpawnJoin(n)
			}
			elapsed := time.Since(start)
			b.ReportMetric(float64(elapsed.Nanoseconds())/float64(b.N*n), "ns/goroutine")
		})
	}
}
