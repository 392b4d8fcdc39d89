#!/usr/bin/env bash
# Command two: set everything up, then run the linters and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check pubflow tests benchmarks conf.py
.venv/bin/python -m pytest "$@"
