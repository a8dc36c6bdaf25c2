#!/usr/bin/env bash
# Set up everything kaika needs on a fresh Debian/Ubuntu machine, idempotently and quickly when done:
#   1. Debian packages from scripts/apt-packages.txt (installed when running as root, else printed)
#   2. a Python 3.10 interpreter (PATH, pyenv, or `uv python find 3.10`)
#   3. the venv .venv with requirements.txt installed in one pip call (redone when the file changes)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV="${KAIKA_VENV:-$ROOT/.venv}"
say() { printf '[bootstrap] %s\n' "$*" >&2; }

# --- 1. system packages -----------------------------------------------------------------
missing=()
while read -r pkg; do
  [[ -z "$pkg" || "$pkg" == \#* ]] && continue
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done < scripts/apt-packages.txt
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    say "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    say "missing system packages: ${missing[*]}"
    say "install them with: sudo apt-get install -y ${missing[*]}"
    exit 1
  fi
fi

# --- 2. Python 3.10 ---------------------------------------------------------------------
is310() { [[ -x "$1" ]] && "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; }
find_python() {
  local c
  if [[ -n "${KAIKA_PYTHON:-}" ]] && is310 "$KAIKA_PYTHON"; then echo "$KAIKA_PYTHON"; return; fi
  c=$(PYENV_VERSION=${PYENV_VERSION:-3.10} command -v python3.10 2>/dev/null || true)
  if [[ -n "$c" ]]; then
    # a pyenv shim needs PYENV_VERSION; resolve it to the real binary
    c=$(PYENV_VERSION=$(pyenv versions --bare 2>/dev/null | grep -E '^3\.10(\.|$)' | tail -1) \
        "$c" -c 'import sys; print(sys.executable)' 2>/dev/null || true)
    if [[ -n "$c" ]] && is310 "$c"; then echo "$c"; return; fi
  fi
  for c in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.10*/bin/python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10; do
    if is310 "$c"; then echo "$c"; return; fi
  done
  if command -v uv >/dev/null; then
    c=$(uv python find 3.10 2>/dev/null || true)
    if [[ -n "$c" ]] && is310 "$c"; then echo "$c"; return; fi
  fi
  return 1
}

if [[ ! -x "$VENV/bin/python" ]] || ! is310 "$VENV/bin/python"; then
  if ! PY=$(find_python); then
    say "kaika needs Python 3.10 (Rasa 3.6 supports 3.8-3.10) and none was found."
    say "Install one of: 'pyenv install 3.10.13', 'uv python install 3.10', or 'apt-get install python3.10 python3.10-venv',"
    say "or point KAIKA_PYTHON at a python3.10 binary."
    exit 1
  fi
  say "creating $VENV with $PY"
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
fi

# --- 3. Python packages, one pip call ---------------------------------------------------
stamp="$VENV/.requirements.sha256"
want=$(sha256sum requirements.txt pyproject.toml | sha256sum | cut -d' ' -f1)
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
  say "installing Python packages (first time: about 3 minutes, 3 GB)"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade "pip<26" >/dev/null
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r requirements.txt
  "$VENV/bin/python" -m pip check >&2
  echo "$want" > "$stamp"
fi
