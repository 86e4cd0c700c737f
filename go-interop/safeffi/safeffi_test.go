package safeffi

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestProcessNormalizesKeywords(t *testing.T) {
	got, err := Process([]byte("  Senior  RUST\tEngineer \n"))
	if err != nil || string(got) != "senior rust engineer" {
		t.Fatalf("Process = %q, %v", got, err)
	}
}

func TestProcessKeepsUTF8(t *testing.T) {
	got, err := Process([]byte("熟悉 RUST"))
	if err != nil || string(got) != "熟悉 rust" {
		t.Fatalf("Process = %q, %v", got, err)
	}
}

func TestProcessOfNothingIsEmpty(t *testing.T) {
	got, err := Process(nil)
	if err != nil || len(got) != 0 {
		t.Fatalf("Process(nil) = %q, %v", got, err)
	}
}

func TestProcessMatchesThePureGoTwin(t *testing.T) {
	inputs := []string{"", " ", "a", "A  B", "\tRust\n\nTokio  wasm \r", "C++ C# Node.JS", strings.Repeat("Go  RUST ", 500)}
	for _, in := range inputs {
		got, err := Process([]byte(in))
		if err != nil {
			t.Fatalf("Process(%q): %v", in, err)
		}
		if want := Normalize([]byte(in)); !bytes.Equal(got, want) {
			t.Fatalf("Process(%q) = %q, Normalize = %q", in, got, want)
		}
	}
}

func expectCode(t *testing.T, err error, kind error, code int32) {
	t.Helper()
	var se *StatusError
	if !errors.Is(err, kind) || !errors.As(err, &se) || se.Code != code || se.Message == "" {
		t.Fatalf("got %v, want %v with code %d and a message", err, kind, code)
	}
}

func TestNullInputIsReported(t *testing.T) {
	expectCode(t, callNullInput(4), ErrNullInput, -1)
}

func TestNullOutputIsReported(t *testing.T) {
	expectCode(t, callNullOutput([]byte("rust")), ErrNullOutput, -2)
}

func TestOutputTooSmallIsReportedAndNothingWritten(t *testing.T) {
	buf, _, err := callWithCap([]byte("RUST ENGINEER"), 5)
	expectCode(t, err, ErrOutputTooSmall, -3)
	if !bytes.Equal(buf, bytes.Repeat([]byte{0xAA}, len(buf))) {
		t.Fatalf("the buffer changed on error: % x", buf)
	}
}

func TestInputTooLongIsReported(t *testing.T) {
	expectCode(t, callTooLong([]byte("abcd")), ErrInputTooLong, -4)
}

func TestOverlapIsReported(t *testing.T) {
	buf := []byte("RUST  GO RUST GO")
	expectCode(t, callOverlap(buf, 8, 0), ErrOverlap, -5)
	expectCode(t, callOverlap(buf, 8, 4), ErrOverlap, -5)
	if string(buf) != "RUST  GO RUST GO" {
		t.Fatalf("buffer changed on error: %q", buf)
	}
}

func TestExactCapacityIsEnough(t *testing.T) {
	buf, n, err := callWithCap([]byte("GO"), 2)
	if err != nil || string(buf[:n]) != "go" || buf[2] != 0xAA {
		t.Fatalf("got % x (n=%d), %v", buf, n, err)
	}
}

func TestPanicCodeHasItsOwnError(t *testing.T) {
	// A panic cannot be provoked from outside (that is the point); check the
	// mapping the wrapper would apply.
	expectCode(t, statusError(-6), ErrPanic, -6)
}

func TestVersionIsSet(t *testing.T) {
	if v := Version(); !strings.Contains(v, ".") {
		t.Fatalf("Version() = %q", v)
	}
}

var (
	keyword16 = []byte("  Senior RUST   ")
	text4k    = repeatTo([]byte("Rust  TOKIO\tasync wasm "), 4096)
)

func repeatTo(unit []byte, n int) []byte {
	return bytes.Repeat(unit, n/len(unit)+1)[:n]
}

// BenchmarkProcess compares the cgo call with the pure-Go twin at 16 B and
// 4 KiB. The Rust side of these numbers is labs/04-safe-ffi/benches/ffi.rs.
func BenchmarkProcess(b *testing.B) {
	for _, c := range []struct {
		name string
		in   []byte
	}{{"16B", keyword16}, {"4KiB", text4k}} {
		in := c.in
		b.Run("cgo/"+c.name, func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			for i := 0; i < b.N; i++ {
				if _, err := Process(in); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("go/"+c.name, func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			for i := 0; i < b.N; i++ {
				_ = Normalize(in)
			}
		})
	}
}
