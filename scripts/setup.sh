#!/usr/bin/env bash
# Set up everything publishing needs on a Debian machine, idempotently:
#   1. the Debian packages for catalogs, checks and PDF (xelatex, xeCJK, Noto CJK);
#   2. a virtualenv in .venv with the project (pubflow, by name and version range) and its Python packages.
# Re-running it installs only what is missing. A project with tools of its own adds their Debian
# packages in scripts/dev-packages.sh (pubflow's own repository: its test and benchmark tools).
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(
  python3-venv                 # ensurepip, without which python3 -m venv makes a .venv with no pip
  gettext                      # msgmerge, msgfmt, msgcat
  texlive-xetex                # xelatex
  texlive-latex-recommended
  texlive-latex-extra          # LaTeX packages Sphinx's LaTeX writer loads
  texlive-fonts-recommended
  texlive-lang-chinese         # xeCJK, ctex
  texlive-lang-cjk
  latexmk
  lmodern
  fonts-noto-cjk               # Noto Serif/Sans CJK SC, TC
  fonts-noto-core              # Noto Serif/Sans for Latin text
  fontconfig                   # fc-list, fc-match: pubflow finds the fonts before xelatex runs
  libenchant-2-2               # pyenchant's C library (pubflow check: spelling)
  hunspell-en-gb               # en_GB dictionary for the spelling check
  hunspell-en-us               # en_US dictionary
  hunspell-fr                  # fr_FR dictionary (spelling = "fr_FR")
  hunspell-de-de               # de_DE dictionary
  hunspell-ko                  # ko_KR dictionary (Debian has none for Japanese or Chinese)
)
if [ -f scripts/dev-packages.sh ]; then
  # shellcheck source=/dev/null
  source scripts/dev-packages.sh
fi

missing=()
for package in "${DEBIAN_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "setup: Debian packages present"
fi

PYTHON="${PYTHON:-python3}"
# A .venv left half-made (an interrupted set-up, or one created before python3-venv was
# installed, has no pip) or whose Python no longer runs (the system Python was upgraded
# or removed) is rebuilt rather than failed on.
if [ -e .venv ] && ! .venv/bin/python -c 'import pip' >/dev/null 2>&1; then
  if [ -x .venv/bin/python ] && .venv/bin/python -c '' >/dev/null 2>&1; then
    echo "setup: .venv has no pip (an interrupted or failed set-up); rebuilding it"
  else
    echo "setup: .venv's Python does not run any more; rebuilding it"
  fi
  rm -rf .venv
fi
if [ ! -e .venv ]; then
  echo "setup: creating .venv with $("$PYTHON" --version)"
  if ! "$PYTHON" -m venv .venv; then
    rm -rf .venv
    echo "setup: error: $PYTHON -m venv failed; install Debian's python3-venv (apt-get install python3-venv) and run this again" >&2
    exit 2
  fi
fi
# opencc-python-reimplemented installs a module named opencc too; it must never share
# this environment with the official binding.
if .venv/bin/python -m pip show -q opencc-python-reimplemented >/dev/null 2>&1; then
  .venv/bin/python -m pip uninstall -q -y opencc-python-reimplemented opencc
fi
# pip is asked again only when what it installs from changed: a repeated set-up (scripts/test.sh runs one
# first, every time) then costs a second, not an editable wheel built again. Deleting the stamp forces it.
stamp=.venv/.setup-stamp
wanted="$(cat pyproject.toml scripts/setup.sh | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
  echo "setup: Python packages installed (pyproject.toml unchanged since; rm $stamp to install again)"
else
  .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
  echo "$wanted" > "$stamp.tmp" && mv "$stamp.tmp" "$stamp"
fi
echo "setup: ready (.venv/bin/pubflow)"
