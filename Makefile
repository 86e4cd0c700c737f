# rust-job-labs: the commands a learner and CI use. `make help` lists them.
#
#   make verify            build, run and grade every lab (the main job)
#   make test              the project's own test suite (what CI runs)
#   make start LAB=01      turn lab 01 into an exercise (your files are backed up)
#   make restore LAB=01    bring back lab 01's reference solution
#   make hint LAB=01       the next hint of the task you are on (TASK=id for another)
#   make mutants LAB=01    mutation testing of lab 01's task regions (authors)
#   make check-order LAB=01  each task passes with only the tasks before it done (authors)

CARGO ?= cargo
# The grader, built on demand; cargo run exec()s it, so it holds no lock.
VERIFY = $(CARGO) run --quiet --package verify --
VERIFY_FLAGS ?=
TOOLCHAIN := 1.95.0
# Rust tests that run under Miri, one cargo invocation per lab. Left out:
# tests that spawn processes (trybuild, the C harness), which Miri cannot run.
MIRI_LAB01 ?= --package lab01-ownership --lib --test concat --test lifetimes
MIRI_LAB04 ?= --package lab04-safe-ffi --lib --test ffi_abi --test normalize

.PHONY: help setup test fmt-check clippy cargo-test go-test c-test check-starters check-order verify doctor \
	start restore hint mutants report bench bench-go-vs-tokio bench-ffi bench-headers fuzz-smoke wasi-guest bench-wasi bench-otel miri need-lab

help:
	@sed -n '1,10p' Makefile

## setup: install the Rust parts the labs need (idempotent).
setup:
	@rustup run $(TOOLCHAIN) rustc --version >/dev/null 2>&1 || \
		rustup toolchain install $(TOOLCHAIN) --profile minimal --component rustfmt,clippy
	@rustup component list --installed --toolchain $(TOOLCHAIN) | grep -q '^clippy' || \
		rustup component add --toolchain $(TOOLCHAIN) rustfmt clippy
	@rustup target list --installed --toolchain $(TOOLCHAIN) | grep -qx wasm32-wasip1 || \
		rustup target add --toolchain $(TOOLCHAIN) wasm32-wasip1
	$(CARGO) fetch --locked
	@echo "setup done; \`make doctor\` checks the non-Rust tools (C compiler, Go, valgrind)."

## test: format, lints, every crate's tests, and the starter check.
test: fmt-check clippy cargo-test c-test go-test check-starters

fmt-check:
	$(CARGO) fmt --all --check

clippy:
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

cargo-test:
	$(CARGO) test --workspace --locked

check-starters:
	$(VERIFY) check-starters

## check-order: every task can be done in order (one grade per task; authors).
check-order:
	$(VERIFY) check-starters --order $(if $(LAB),--lab $(LAB))

## c-test: lab 04's C harness: plain, valgrind, ASan+UBSan, negative control.
c-test:
	$(MAKE) -C ffi-c test

## go-test: the Go twins and callers (go-interop/); -count=1 defeats Go's test cache.
#   The cgo package links lab 04's static library, so it is built first;
#   with-lab04-lib.sh points cgo at it in cargo's target dir.
#   cgocheck2 checks every pointer passed to C (Go >= 1.21; older Go uses
#   GODEBUG=cgocheck=2 instead).
go-test:
	$(CARGO) build --quiet -p lab04-safe-ffi --lib
	cd go-interop && test -z "$$(gofmt -l .)" || { gofmt -l .; echo "gofmt: files above need formatting"; exit 1; }
	cd go-interop && ./with-lab04-lib.sh debug sh -c 'go vet ./... && go test -count=1 ./...'
	cd go-interop && GOEXPERIMENT=cgocheck2 ./with-lab04-lib.sh debug go test -count=1 ./safeffi/

## verify: grade every lab (VERIFY_FLAGS=--require-all in CI).
verify:
	$(VERIFY) $(VERIFY_FLAGS)

doctor:
	$(VERIFY) doctor

report:
	$(VERIFY) report

need-lab:
	@test -n "$(LAB)" || { echo "say which lab: make $(MAKECMDGOALS) LAB=01"; exit 2; }

start: need-lab
	$(VERIFY) start $(LAB) $(if $(FORCE),--force)

restore: need-lab
	$(VERIFY) restore $(LAB)

hint: need-lab
	$(VERIFY) hint $(LAB) $(if $(TASK),--task $(TASK)) $(if $(RESET),--reset)

## mutants: cargo-mutants on one lab's task regions; fails on an unexplained
#   survivor (installs cargo-mutants if missing). Not part of `make test`.
mutants: need-lab
	@command -v cargo-mutants >/dev/null || $(CARGO) install cargo-mutants --locked
	$(VERIFY) mutants $(LAB)

bench:
	$(CARGO) bench --workspace

## bench-go-vs-tokio / bench-ffi: the labs' Rust-vs-Go tables, as in their READMEs.
bench-go-vs-tokio:
	python3 labs/03-async-tasks/compare_with_go.py

bench-ffi:
	python3 labs/04-safe-ffi/compare_with_go.py

## bench-headers: lab 06's criterion run and its ratio table (httparse, nghttp2, ...).
bench-headers:
	$(CARGO) bench -p lab06-h2-headers --bench headers

## wasi-guest: lab 07's guest for wasm32-wasip1 (the tests build it too).
wasi-guest:
	$(CARGO) build --release --target wasm32-wasip1 --manifest-path labs/07-wasi-reader/guest/Cargo.toml --target-dir target/lab07-guest
	@echo "guest: target/lab07-guest/wasm32-wasip1/release/wasi-cat.wasm"

## bench-wasi: lab 07's criterion run and its guest/native table.
bench-wasi:
	$(CARGO) bench -p lab07-wasi-reader --bench wasi

## bench-otel: lab 08's criterion run and its ns-per-span table.
bench-otel:
	$(CARGO) bench -p lab08-otel-tracing --bench spans

## fuzz-smoke: each of lab 06's fuzz targets for FUZZ_SECONDS (not part of
#   `make test`). Needs nightly and cargo-fuzz; installs them if missing.
#   Seeds come from fuzz/seeds/, new inputs go to fuzz/corpus/ (ignored by git).
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := head hpack_decode frames
fuzz-smoke:
	@rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
	@command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz --locked
	cd labs/06-h2-headers/fuzz && for t in $(FUZZ_TARGETS); do \
		mkdir -p corpus/$$t && \
		$(CARGO) +nightly fuzz run $$t corpus/$$t seeds/$$t -- -max_total_time=$(FUZZ_SECONDS) || exit 1; \
	done

## miri: the labs' Rust tests under Miri (installs nightly + miri if missing).
miri:
	@rustup component list --installed --toolchain nightly 2>/dev/null | grep -q '^miri' || \
		rustup toolchain install nightly --profile minimal --component miri,rust-src
	$(CARGO) +nightly miri test $(MIRI_LAB01)
	$(CARGO) +nightly miri test $(MIRI_LAB04)
