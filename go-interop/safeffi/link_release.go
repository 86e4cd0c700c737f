//go:build rustrelease
// +build rustrelease

package safeffi

// #cgo LDFLAGS: ${SRCDIR}/../../target/release/liblab04_safe_ffi.a
import "C"
