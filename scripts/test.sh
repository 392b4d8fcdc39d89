#!/usr/bin/env bash
# Command two: set everything up, then run the linters and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check pubflow tests benchmarks conf.py
.venv/bin/mypy pubflow
# The gates CI holds every change to: no failing check, no locale below its threshold,
# no stale catalog. The Markdown table doubles as a CI job summary.
.venv/bin/pubflow check
.venv/bin/pubflow coverage --format markdown | tee "${GITHUB_STEP_SUMMARY:-/dev/null}"
.venv/bin/python -m pytest "$@"
