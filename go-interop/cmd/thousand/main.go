// Command thousand is the article's §3.1 program, fixed: GOMAXPROCS(4),
// 1000 goroutines sleeping 10 ms, and a WaitGroup so main waits for them.
// With -article it runs the article's version and says how many goroutines
// had finished when main returned.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"time"

	"github.com/rust-job-labs/go-interop/goroutines"
)

func main() {
	procs := flag.Int("procs", 4, "GOMAXPROCS")
	n := flag.Int("n", 1000, "number of goroutines")
	delay := flag.Duration("delay", 10*time.Millisecond, "how long each goroutine sleeps")
	quiet := flag.Bool("quiet", false, "print only the summary")
	article := flag.Bool("article", false, "run the article's version, which does not wait")
	flag.Parse()
	if *procs < 1 || *n < 0 {
		fmt.Fprintln(os.Stderr, "-procs must be at least 1 and -n at least 0")
		os.Exit(2)
	}
	runtime.GOMAXPROCS(*procs)

	if *article {
		done := goroutines.ArticleVersion(*n, *delay)
		fmt.Printf("article version: main returned with %d of %d goroutines done\n", done, *n)
		return
	}
	start := time.Now()
	ids := goroutines.Sleepers(*n, *delay)
	took := time.Since(start)
	if !*quiet {
		for _, id := range ids {
			fmt.Printf("goroutine %d done\n", id)
		}
	}
	fmt.Printf("%d goroutines sleeping %v finished in %.1f ms with GOMAXPROCS=%d\n",
		len(ids), *delay, float64(took.Microseconds())/1000, *procs)
}
