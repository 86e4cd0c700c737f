// Package goroutines holds the Go twins of lab 03 (labs/03-async-tasks):
// the article's 1000-goroutine program, fixed to wait for its goroutines,
// and the spawn-and-join pattern whose cost the benchmarks compare with
// Tokio tasks.
package goroutines

import (
	"sync"
	"sync/atomic"
	"time"
)

// Sleepers starts n goroutines that each sleep for delay and returns their
// ids in the order they finished. It waits for all of them: the article's
// version does not (see ArticleVersion).
func Sleepers(n int, delay time.Duration) []int {
	if n <= 0 {
		return []int{}
	}
	done := make(chan int, n)
	var wg sync.WaitGroup
	wg.Add(n)
	for i := 0; i < n; i++ {
		go func(id int) {
			defer wg.Done()
			time.Sleep(delay)
			done <- id
		}(i)
	}
	wg.Wait()
	close(done)
	ids := make([]int, 0, n)
	for id := range done {
		ids = append(ids, id)
	}
	return ids
}

// ArticleVersion is the article's program as written: it starts n sleeping
// goroutines, calls runtime.GC() in the article (which waits for none of
// them), and returns. It reports how many goroutines had finished when it
// returned; in the article's main, the process exits right there.
func ArticleVersion(n int, delay time.Duration) (finishedAtReturn int64) {
	var finished int64
	for i := 0; i < n; i++ {
		go func(id int) {
			time.Sleep(delay)
			atomic.AddInt64(&finished, 1)
		}(i)
	}
	return atomic.LoadInt64(&finished)
}

// SpawnJoin starts n goroutines that do nothing and waits for all of them
// with a WaitGroup: the per-goroutine cost of "go f(); wg.Wait()".
func SpawnJoin(n int) {
	SpawnJoinWith(n, func() {})
}

// SpawnJoinWith runs work in n goroutines and returns once every one of
// them has finished (the fix of ArticleVersion).
func SpawnJoinWith(n int, work func()) {
	var wg sync.WaitGroup
	wg.Add(n)
	for i := 0; i < n; i++ {
		go func() {
			defer wg.Done()
			work()
		}()
	}
	wg.Wait()
}
