#!/usr/bin/env bash
# Command two: set everything up, then run the linters, the gates and the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# A project with code of its own lints it first (pubflow's own repository: ruff and mypy).
if [ -f scripts/lint.sh ]; then bash scripts/lint.sh; fi
# The gates CI holds every change to: no failing check, no locale below its threshold,
# no stale catalog. The Markdown table doubles as a CI job summary.
.venv/bin/pubflow check
.venv/bin/pubflow coverage --format markdown | tee "${GITHUB_STEP_SUMMARY:-/dev/null}"
# And its tests, when it has any.
if [ -d tests ]; then .venv/bin/python -m pytest "$@"; fi
