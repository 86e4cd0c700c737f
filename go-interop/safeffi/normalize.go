package safeffi

// Normalize is the same transformation as Process in pure Go: the peer the
// benchmarks compare the cgo call with.
func Normalize(input []byte) []byte {
	out := make([]byte, 0, len(input))
	pendingSpace := false
	for _, b := range input {
		switch b {
		case ' ', '\t', '\n', '\v', '\f', '\r':
			pendingSpace = len(out) > 0
			continue
		}
		if pendingSpace {
			out = append(out, ' ')
			pendingSpace = false
		}
		if b >= 'A' && b <= 'Z' {
			b += 'a' - 'A'
		}
		out = append(out, b)
	}
	return out
}
