#!/usr/bin/env bash
# The system tools `make test` needs beyond Rust: a C compiler and make,
# valgrind, Go, tmux (the test of `verify watch`), xmllint (the JUnit
# schema check), qemu-system-arm (lab 09's firmware check), chromium (the
# portfolio page's test), Python 3 with venv (lab 02's scikit-learn and
# SciPy checks make a venv), and gcc's ASan/UBSan runtimes (the C harness's
# sanitizer build). Shared by `make test` (through `make system-tools`) and
# `.ci/run`.
#
# Installs what is missing when it can (apt as root or through sudo without
# a password prompt; brew on macOS); otherwise it stops with one line naming
# the command to run. Cheap when nothing is missing: it only probes.
# `make verify` does not run it: a lab whose tool is missing is a SKIP there.
set -euo pipefail

apt=()  # Debian/Ubuntu packages for what is missing
brew=() # Homebrew formulae for what is missing
have() { command -v "$1" >/dev/null 2>&1; }

have cc || apt+=(build-essential)
have make || apt+=(make)
have valgrind || { apt+=(valgrind); brew+=(valgrind); }
have tmux || { apt+=(tmux); brew+=(tmux); }  # verify's watch test drives it
have go || { apt+=(golang-go); brew+=(go); }
have xmllint || { apt+=(libxml2-utils); brew+=(libxml2); }  # checks verify's JUnit output
have qemu-system-arm || { apt+=(qemu-system-arm); brew+=(qemu); }  # lab 09's firmware runs in it
have chromium || { apt+=(chromium); brew+=(chromium); }  # renders the portfolio page in a test
have python3 || { apt+=(python3 python3-venv); brew+=(python); }
# Debian's python3 makes a venv only with python3-venv (ensurepip) installed.
if have python3 && ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
  apt+=(python3-venv)
fi
# The sanitizer runtimes come with gcc on most systems but not all.
if have cc && ! echo 'int main(void){return 0;}' |
    cc -x c -fsanitize=address,undefined -o /dev/null - >/dev/null 2>&1; then
  apt+=(libasan8 libubsan1)
fi

if [ ${#apt[@]} -eq 0 ]; then
  exit 0
fi

case "$(uname -s)" in
Darwin)
  have cc || { echo "system-tools: no C compiler: run \`xcode-select --install\`" >&2; exit 1; }
  if [ ${#brew[@]} -gt 0 ] && have brew; then
    echo "system-tools: installing ${brew[*]} with brew"
    brew install "${brew[@]}"
    exit 0
  fi
  echo "system-tools: missing ${apt[*]}: run \`brew install ${brew[*]}\`" >&2
  exit 1
  ;;
esac

if ! have apt-get; then
  echo "system-tools: missing ${apt[*]}: install them with your package manager (Debian names)" >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif have sudo && sudo -n true 2>/dev/null; then
  sudo=(sudo)
else
  echo "system-tools: missing ${apt[*]}: run \`sudo apt-get update && sudo apt-get install -y ${apt[*]}\`" >&2
  exit 1
fi
echo "system-tools: installing ${apt[*]} with apt-get"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${apt[@]}"
