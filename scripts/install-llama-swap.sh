#!/usr/bin/env bash
# Provides the pinned llama-swap (and upstream's cmd/fake-model, a second kind of upstream) for
# the real-server e2e suites, in .cache/llama-swap/<commit>/bin, and prints llama-swap's path on
# stdout; messages go to stderr. Then provides the real llama.cpp llama-server and its GGUF writer
# for the ground-truth suite (scripts/install-llama-server.sh: cmake, numpy, pyyaml when missing;
# a build kept outside the clone, reused while its source is unchanged).
#
#   bash scripts/install-llama-swap.sh            # build once, then reuse
#   LLAMA_SWAP_COMMIT=<hash> bash scripts/...     # try another commit (go install only)
#
# Where the source comes from, in order:
#   1. `go install github.com/mostlygeek/llama-swap@<commit>` (a machine with internet access);
#   2. a copy of llama-swap's source at the pinned commit in ../shared/third_party/llama-swap
#      (LLAMA_SWAP_SOURCE overrides the folder), for machines whose Go module proxy refuses
#      llama-swap itself but serves its dependencies.
#
# Exit codes: 0 with the path on stdout when the binary is there; 0 with nothing on stdout when
# it cannot be had here (no Go, no source), after writing the reason to
# .cache/llama-swap/unavailable.txt so the suites skip with that reason; 1 when a build failed, or
# when CI=true and the source folder is there but nothing could be built (CI must then fail,
# never skip).
set -uo pipefail

# The commit the project's llama-swap API notes were read at (2026-08-22).
COMMIT="${LLAMA_SWAP_COMMIT:-0bdb3720}"
MODULE="github.com/mostlygeek/llama-swap"

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SOURCE="${LLAMA_SWAP_SOURCE:-$ROOT/../shared/third_party/llama-swap}"
CACHE="$ROOT/.cache/llama-swap"
BIN_DIR="$CACHE/$COMMIT/bin"
BIN="$BIN_DIR/llama-swap"
FAKE="$BIN_DIR/fake-model"
MARKER="$CACHE/unavailable.txt"
LOG="$CACHE/$COMMIT/build.log"

say() { echo "install-llama-swap: $*" >&2; }

# The real llama.cpp server for the ground-truth suite comes with the same install (it prints its
# own path; only llama-swap's goes to our stdout). A failure under CI=true fails this script.
with_llama_server() {
  if ! bash "$ROOT/scripts/install-llama-server.sh" >/dev/null; then
    say "llama-server could not be provided (see above)"
    [ "${CI:-}" = "true" ] && exit 1
  fi
}

done_ok() {
  rm -f "$MARKER"
  with_llama_server
  echo "$BIN"
  exit 0
}

unavailable() {
  mkdir -p "$CACHE"
  printf '%s\n' "$1" >"$MARKER"
  say "$1 (the real-llama-swap e2e tests will be skipped)"
  exit 0
}

if [ -x "$BIN" ] && [ -x "$FAKE" ]; then
  say "already built: $BIN"
  done_ok
fi

if ! command -v go >/dev/null 2>&1; then
  if [ "${CI:-}" = "true" ] && [ -d "$SOURCE" ]; then
    say "CI=true and llama-swap's source is at $SOURCE, but Go is not installed"
    exit 1
  fi
  unavailable "Go is not installed, so llama-swap@$COMMIT cannot be built"
fi

mkdir -p "$BIN_DIR"
: >"$LOG"
start=$(date +%s)

# 1. The module proxy (a user's machine). Run outside the repo so no go.mod of ours interferes.
say "trying go install $MODULE@$COMMIT ($(go version | cut -d' ' -f3), CGO_ENABLED=0, no web UI)..."
if (cd "$CACHE" && CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -mod=mod" GOBIN="$BIN_DIR" \
      go install "$MODULE@$COMMIT" "$MODULE/cmd/fake-model@$COMMIT") >>"$LOG" 2>&1 && [ -x "$BIN" ] && [ -x "$FAKE" ]; then
  say "installed in $(( $(date +%s) - start )) s: $BIN"
  done_ok
fi
proxy_why="$(grep -m1 -oE '[0-9]{3} [A-Z][A-Za-z ]+$|dial tcp.*|no such host|i/o timeout|connection refused|unknown revision.*|no matching versions.*' "$LOG" | cut -c1-120)"
say "go install did not work here (${proxy_why:-see $LOG})"

# 2. The source copy beside the project (read-only is fine: Go writes only to its own caches).
if [ -d "$SOURCE" ] && [ -f "$SOURCE/go.mod" ]; then
  say "building from $SOURCE ..."
  if (cd "$SOURCE" && CGO_ENABLED=0 go build -trimpath -ldflags "-X main.commit=$COMMIT -X main.version=$COMMIT" -o "$BIN" . \
        && CGO_ENABLED=0 go build -trimpath -o "$FAKE" ./cmd/fake-model) >>"$LOG" 2>&1 && [ -x "$BIN" ] && [ -x "$FAKE" ]; then
    say "built from source in $(( $(date +%s) - start )) s, $(du -h "$BIN" | cut -f1): $BIN"
    done_ok
  fi
  rm -f "$MARKER"  # a real failure must not leave an old "skip" reason behind
  say "building llama-swap from $SOURCE FAILED; log follows:"
  cat "$LOG" >&2
  exit 1
fi

unavailable "the Go module proxy refused $MODULE@$COMMIT (${proxy_why:-see $LOG}) and no source copy is at $SOURCE"
