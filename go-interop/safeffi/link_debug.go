//go:build !rustrelease
// +build !rustrelease

package safeffi

// #cgo LDFLAGS: ${SRCDIR}/../../target/debug/liblab04_safe_ffi.a
import "C"
