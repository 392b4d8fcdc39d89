#!/usr/bin/env bash
# pubflow's own code: ruff and mypy (scripts/test.sh runs this first when it is there).
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/ruff check pubflow tests benchmarks conf.py
.venv/bin/ruff format --check pubflow tests benchmarks conf.py
.venv/bin/mypy pubflow
