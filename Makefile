# rust-job-labs: the commands a learner and CI use. `make help` lists them.
#
#   make verify            build, run and grade every lab (the main job)
#   make test              the project's own test suite (what CI runs)
#   make start LAB=01      turn lab 01 into an exercise (your files are backed up)
#   make restore LAB=01    bring back lab 01's reference solution
#   make start-all / make restore-all   every lab at once (reset-all; FORCE=1 over your work)
#   make watch [LAB=01]    grade the lab again on every save: tasks, first failure, keys h/r/n/q
#   make hint LAB=01       the next hint of the task you are on (TASK=id for another)
#   make test-task LAB=01 [TASK=2]  cargo test on one task's tests (default: the one you are on)
#   make report [HTML=report.html]  your progress in Markdown, or with HTML= the portfolio page
#   make mutants LAB=01    mutation testing of lab 01's task regions (authors)
#   make wrong-answers LAB=01  every wrong answer in lab 01's catalog fails a test of its task (authors)
#   make check-order LAB=01  each task passes with only the tasks before it done (authors)

CARGO ?= cargo
# The grader, built on demand; cargo run exec()s it, so it holds no lock.
# Not --quiet: on a cold build cargo's progress is the only sign of life.
VERIFY = $(CARGO) run --package verify --
VERIFY_FLAGS ?=
# cargo's target dir (CARGO_TARGET_DIR honoured), asked only where it is used.
TARGET_DIR = $(shell ./scripts/target-dir.sh)
# Rust tests that run under Miri, one cargo invocation per lab. Left out:
# tests that spawn processes (trybuild, the C harness), which Miri cannot run.
MIRI_LAB01 ?= --package lab01-ownership --lib --test concat --test lifetimes
MIRI_LAB04 ?= --package lab04-safe-ffi --lib --test ffi_abi --test normalize
MIRI_LAB05 ?= --package lab05-buffers --lib --tests

.PHONY: help setup system-tools test fmt-check clippy actionlint cargo-test wrong-answers-check wrong-answers build-once go-test c-test check-starters watch-check check-order verify doctor \
	start restore start-all restore-all watch hint mutants report bench bench-go-vs-tokio bench-ffi bench-buffers bench-keywords bench-headers fuzz-smoke firmware firmware-run wasi-guest bench-wasi bench-otel miri need-lab

help:
	@sed -n '/^$$/q;p' Makefile

## setup: install what rust-toolchain.toml names (toolchain, components,
#   targets) and fetch the crates; idempotent, cheap when nothing is missing.
#   rustup does it on first use unless RUSTUP_AUTO_INSTALL=0 (as in CI).
setup:
	@rustup toolchain install >/dev/null 2>&1 || rustup toolchain install || \
		{ echo "setup: rustup could not install rust-toolchain.toml's toolchain (rustup >= 1.28 reads it: \`rustup self update\`)"; exit 1; }
	@$(CARGO) fetch --locked --quiet

## system-tools: install the C compiler, valgrind, Go and the sanitizer
#   runtimes if missing (apt or brew), or name the command that would.
system-tools:
	@./scripts/system-tools.sh

## test: format, lints, every crate's tests, and the starter check.
test: setup system-tools fmt-check clippy actionlint cargo-test wrong-answers-check build-once c-test go-test check-starters watch-check

fmt-check:
	$(CARGO) fmt --all --check

clippy:
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

## actionlint: the learner's CI workflow (.github/workflows/), linted by
#   actionlint (built once from the Go module proxy).
actionlint:
	./scripts/actionlint.sh

## cargo-test: the tests of verify and support. The labs' tests run in
#   check-starters (each lab's reference must pass all of them), which skips
#   a lab unchanged since it last passed.
cargo-test:
	$(CARGO) test --workspace --exclude 'lab[0-9]*' --locked

check-starters:
	$(VERIFY) check-starters

## wrong-answers-check: each lab's wrong-answer catalog was checked against
#   the lab as it is (a digest; nothing is built). A lab without a catalog
#   yet is listed, not failed.
wrong-answers-check:
	$(VERIFY) wrong-answers --check

## wrong-answers: apply each wrong answer of the catalog (labs/NN-*/
#   wrong-answers.toml) alone in a scratch copy and run the lab's tests;
#   fails on one no test of its own task rejects, else records the result.
#   Every lab with a catalog without LAB. Not part of `make test` (slow).
#   TRY=FILE tries the wrong answers in FILE instead and records nothing.
wrong-answers:
	$(VERIFY) wrong-answers $(LAB) $(if $(TRY),--try $(TRY))

## watch-check: `verify watch 01` driven in tmux on lab 01's real starter
#   (check-starters' scratch copy): task 1 open, its solution saved turns it
#   ✓, a typo shows the compiler's message, q quits.
watch-check: check-starters
	$(CARGO) build --quiet -p verify
	python3 scripts/watch-lab01-in-tmux.py

## build-once: building any one package after the workspace compiles no
#   registry crate again (support/workspace-hack, from cargo hakari, is current).
build-once:
	$(VERIFY) build-once

## check-order: every task can be done in order (one grade per task; authors).
check-order:
	$(VERIFY) check-starters --order $(if $(LAB),--lab $(LAB))

## c-test: lab 04's C harness: plain, valgrind, ASan+UBSan, negative control.
c-test:
	$(MAKE) -C ffi-c test

## go-test: the Go twins and callers (go-interop/); -count=1 defeats Go's test cache.
#   The cgo package links lab 04's static library, so it is built first;
#   with-lab04-lib.sh points cgo at it in cargo's target dir, and
#   cgocheck2.sh has Go check every pointer passed to C.
go-test:
	$(CARGO) build --quiet -p lab04-safe-ffi --lib
	cd go-interop && test -z "$$(gofmt -l .)" || { gofmt -l .; echo "gofmt: files above need formatting"; exit 1; }
	cd go-interop && go vet ./...
	cd go-interop && ./with-lab04-lib.sh debug ./cgocheck2.sh go test -count=1 ./...

## verify: grade every lab (VERIFY_FLAGS=--require-all in CI).
verify: setup
	$(VERIFY) $(VERIFY_FLAGS)

doctor:
	$(VERIFY) doctor

report:
	$(VERIFY) report $(if $(HTML),--html $(HTML))

need-lab:
	@test -n "$(LAB)" || { echo "say which lab: make $(MAKECMDGOALS) LAB=01"; exit 2; }

start: need-lab
	$(VERIFY) start $(LAB) $(if $(FORCE),--force)

restore: need-lab
	$(VERIFY) restore $(LAB)

watch:
	$(VERIFY) watch $(LAB) $(if $(POLL),--poll)

start-all:
	$(VERIFY) start --all $(if $(FORCE),--force)

restore-all:
	$(VERIFY) restore --all $(if $(FORCE),--force)

hint: need-lab
	$(VERIFY) hint $(LAB) $(if $(TASK),--task $(TASK)) $(if $(RESET),--reset)

test-task: need-lab
	@$(VERIFY) test-task $(LAB) $(TASK)

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

## bench-buffers: lab 05's criterion run and ratio table, then its pool
#   against Go's sync.Pool in interleaved rounds (compare_with_go.py).
bench-buffers:
	$(CARGO) bench -p lab05-buffers --bench pool
	python3 labs/05-buffers/compare_with_go.py

## bench-keywords: lab 02's TF-IDF against scikit-learn and jieba-rs against
#   Python jieba, interleaved processes (compare_with_python.py; makes its venv).
bench-keywords:
	python3 labs/02-jd-keywords/compare_with_python.py

## bench-headers: lab 06's criterion run and its ratio table (httparse, nghttp2, ...).
bench-headers:
	$(CARGO) bench -p lab06-h2-headers --bench headers

## firmware: lab 09's firmware for the LM3S6965 (thumbv7m-none-eabi,
#   installed through its toolchain file); firmware-run runs it in QEMU.
firmware:
	@./labs/09-firmware/build-firmware.sh

firmware-run:
	./labs/09-firmware/run-in-qemu.sh

## wasi-guest: lab 07's guest for wasm32-wasip1 (the tests build it too).
wasi-guest:
	$(CARGO) build --release --target wasm32-wasip1 --manifest-path labs/07-wasi-reader/guest/Cargo.toml --target-dir $(TARGET_DIR)/lab07-guest
	@echo "guest: $(TARGET_DIR)/lab07-guest/wasm32-wasip1/release/wasi-cat.wasm"

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
	MIRIFLAGS=-Zmiri-strict-provenance $(CARGO) +nightly miri test $(MIRI_LAB05)
