#!/usr/bin/env bash
# Builds the pinned llama-swap commit into .cache/llama-swap/<commit>/bin for the e2e tests
# (tests/e2e/real-api.e2e.test.ts) and prints the binary's path on stdout; messages go to stderr.
#
#   bash scripts/install-llama-swap.sh            # build once, then reuse
#   LLAMA_SWAP_COMMIT=<hash> bash scripts/...     # try another commit
#
# Exit codes: 0 with the path on stdout when the binary is there; 0 with nothing on stdout when
# it cannot be had here (no Go, or the module proxy does not serve llama-swap), after writing the
# reason to .cache/llama-swap/unavailable.txt so the e2e suite skips with that reason instead of
# failing; 1 when the source was fetched but the build failed (a real breakage: CI must fail).
set -uo pipefail

# The commit the project's llama-swap API notes were read at (2026-08-22).
COMMIT="${LLAMA_SWAP_COMMIT:-0bdb3720}"
MODULE="github.com/mostlygeek/llama-swap"

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="$ROOT/.cache/llama-swap"
BIN_DIR="$CACHE/$COMMIT/bin"
BIN="$BIN_DIR/llama-swap"
MARKER="$CACHE/unavailable.txt"

say() { echo "install-llama-swap: $*" >&2; }

unavailable() {
  mkdir -p "$CACHE"
  printf '%s\n' "$1" >"$MARKER"
  say "$1 (the real-llama-swap e2e tests will be skipped)"
  exit 0
}

if [ -x "$BIN" ]; then
  rm -f "$MARKER"
  say "already built: $BIN"
  echo "$BIN"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  unavailable "Go is not installed, so llama-swap@$COMMIT cannot be built"
fi

mkdir -p "$BIN_DIR"
LOG="$CACHE/$COMMIT/build.log"
say "building $MODULE@$COMMIT with $(go version | cut -d' ' -f3) (CGO_ENABLED=0, no web UI)..."
start=$(date +%s)
# Run outside the repo so no go.mod/go.work of ours interferes; GOFLAGS=-mod=mod lets a module
# whose go.sum is incomplete still resolve its dependencies.
if (cd "$CACHE" && CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -mod=mod" GOBIN="$BIN_DIR" \
      go install "$MODULE@$COMMIT") >"$LOG" 2>&1 && [ -x "$BIN" ]; then
  rm -f "$MARKER"
  say "built in $(( $(date +%s) - start )) s, $(du -h "$BIN" | cut -f1): $BIN"
  echo "$BIN"
  exit 0
fi

# A source that cannot be downloaded here is not a breakage of ours; anything else is.
if grep -qE '403 Forbidden|404 Not Found|410 Gone|not available|no matching versions|unknown revision|invalid version|dial tcp|no such host|i/o timeout|connection refused|TLS handshake' "$LOG"; then
  why="$(grep -m1 -oE '[0-9]{3} [A-Z][A-Za-z ]+$|dial tcp.*|no such host|i/o timeout|connection refused|unknown revision.*|no matching versions.*' "$LOG" | cut -c1-120)"
  unavailable "the Go module proxy refused $MODULE@$COMMIT (${why:-see $LOG})"
fi
rm -f "$MARKER"  # a real failure must not leave an old "skip" reason behind
say "building llama-swap@$COMMIT FAILED; log follows:"
cat "$LOG" >&2
exit 1
