#!/usr/bin/env bash
# Provides a real llama.cpp `llama-server` (built from ../shared/third_party/llama.cpp) and the
# Python packages that write a random-weight GGUF for it, for the ground-truth e2e suite.
# Prints llama-server's path on stdout; messages go to stderr. Called by install-llama-swap.sh
# (one install script for the real stack), or on its own:
#
#   bash scripts/install-llama-server.sh
#
# The build lives OUTSIDE the clone, keyed by a hash of the source and the build flags, so a new
# clone (or `git clean`) reuses it while the source is unchanged:
#   ${LLAMA_SERVER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/llama-swap-swiftbar/llama-server}/<hash>/bin/llama-server
#
# Installs what a new machine lacks: cmake (apt-get, else pip) and numpy + pyyaml (pip).
# Exit codes: 0 with the path on stdout; 0 with nothing on stdout when there is no source here
# (a user's clone: the ground-truth suite then skips with the reason in
# .cache/llama-server/unavailable.txt); 1 when something failed, and always when CI=true and
# nothing could be provided (CI must fail, never skip).
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SOURCE="${LLAMA_CPP_SOURCE:-$ROOT/../shared/third_party/llama.cpp}"
GGUF_TOOL="${LLAMA_GGUF_TOOL:-$ROOT/../shared/tools/make-tiny-gguf.py}"
MARKER_DIR="$ROOT/.cache/llama-server"
MARKER="$MARKER_DIR/unavailable.txt"
CACHE_ROOT="${LLAMA_SERVER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/llama-swap-swiftbar/llama-server}"
FLAGS="-DGGML_NATIVE=OFF -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=ON -DLLAMA_USE_PREBUILT_UI=OFF -DBUILD_SHARED_LIBS=OFF -DCMAKE_BUILD_TYPE=Release"

say() { echo "install-llama-server: $*" >&2; }
fail() { say "$1"; exit 1; }

unavailable() {
  if [ "${CI:-}" = "true" ]; then fail "CI=true: $1"; fi
  mkdir -p "$MARKER_DIR"
  printf '%s\n' "$1" >"$MARKER"
  say "$1 (the ground-truth suite will be skipped)"
  exit 0
}

[ -f "$SOURCE/CMakeLists.txt" ] || unavailable "no llama.cpp source at $SOURCE"
[ -f "$GGUF_TOOL" ] || unavailable "no make-tiny-gguf.py at $GGUF_TOOL"

SUDO=""
if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; fi

# numpy + pyyaml for the GGUF writer (a new machine has neither).
if ! python3 -c 'import numpy, yaml' 2>/dev/null; then
  say "installing numpy and pyyaml with pip ..."
  python3 -m pip install --quiet --disable-pip-version-check numpy pyyaml >&2 \
    || python3 -m pip install --quiet --disable-pip-version-check --user numpy pyyaml >&2 \
    || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages numpy pyyaml >&2 \
    || fail "pip could not install numpy and pyyaml"
  python3 -c 'import numpy, yaml' || fail "numpy/pyyaml still not importable after pip"
fi

# The key: every source file's hash plus the flags. 2,800 files, ~0.2 s.
KEY="$( (cd "$SOURCE" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum; echo "$FLAGS") | sha256sum | cut -c1-16)"
OUT="$CACHE_ROOT/$KEY"
BIN="$OUT/bin/llama-server"

# The GGUF writer travels with the build (the tests must not read ../shared): the tool and the
# gguf-py package of the same llama.cpp, in the layout the tool expects (../third_party/llama.cpp/gguf-py).
provide_tool() {
  mkdir -p "$OUT/tools" "$OUT/third_party/llama.cpp" || return 1
  cp "$GGUF_TOOL" "$OUT/tools/make-tiny-gguf.py.tmp" && mv "$OUT/tools/make-tiny-gguf.py.tmp" "$OUT/tools/make-tiny-gguf.py" || return 1
  rm -rf "$OUT/third_party/llama.cpp/gguf-py" && cp -R "$SOURCE/gguf-py" "$OUT/third_party/llama.cpp/gguf-py" || return 1
  python3 "$OUT/tools/make-tiny-gguf.py" --out "$OUT/check.gguf" >/dev/null && rm -f "$OUT/check.gguf"
}

# Where the suites find it: one line in the clone's ignored .cache/ naming the folder outside it.
done_ok() {
  provide_tool || fail "could not provide make-tiny-gguf.py beside $BIN"
  mkdir -p "$MARKER_DIR"
  printf '%s\n' "$OUT" >"$MARKER_DIR/location.tmp" && mv "$MARKER_DIR/location.tmp" "$MARKER_DIR/location"
  rm -f "$MARKER"
  echo "$BIN"
  exit 0
}

if [ -x "$BIN" ] && "$BIN" --version >/dev/null 2>&1; then
  say "already built for this source ($KEY): $BIN"
  done_ok
fi

# cmake (a new machine lacks it): Debian's package, else pip's wheel.
if ! command -v cmake >/dev/null 2>&1; then
  say "installing cmake ..."
  if command -v apt-get >/dev/null 2>&1; then
    { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq cmake; } >&2 || true
  fi
  if ! command -v cmake >/dev/null 2>&1; then
    python3 -m pip install --quiet --disable-pip-version-check cmake >&2 \
      || python3 -m pip install --quiet --disable-pip-version-check --user cmake >&2 || true
    hash -r
    PATH="$PATH:$HOME/.local/bin"
  fi
  command -v cmake >/dev/null 2>&1 || fail "could not install cmake (apt-get, pip)"
fi

BUILD="$OUT/build"
LOG="$OUT/build.log"
mkdir -p "$OUT"
start=$(date +%s)
say "building llama-server from $SOURCE into $OUT (about 8 min on 2 cores; log: $LOG) ..."
# shellcheck disable=SC2086
if cmake -S "$SOURCE" -B "$BUILD" $FLAGS >"$LOG" 2>&1 \
  && cmake --build "$BUILD" --target llama-server -j"$(nproc 2>/dev/null || echo 2)" >>"$LOG" 2>&1 \
  && mkdir -p "$OUT/bin" && cp "$BUILD/bin/llama-server" "$BIN.tmp" && mv "$BIN.tmp" "$BIN" \
  && "$BIN" --version >>"$LOG" 2>&1; then
  rm -rf "$BUILD"  # ~200 MB of objects; the binary is self-contained
  say "built in $(( $(date +%s) - start )) s: $BIN"
  done_ok
fi
say "building llama-server FAILED; last lines of $LOG:"
tail -n 40 "$LOG" >&2
exit 1
