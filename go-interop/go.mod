module github.com/rust-job-labs/go-interop

go 1.19
