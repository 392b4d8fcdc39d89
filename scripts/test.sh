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
# And its tests, when it has any: on every core (pytest-xdist; each test file stays on one worker, so a
# module's shared build is made once), with the 15 slowest named at the end so that growth is seen.
# For a quick loop while working: ./scripts/test.sh -m "not slow"  (the core promises, in under 2 minutes).
if [ -d tests ]; then
  status=0
  # The files go out longest first (tests/conftest.py · LONGEST_FIRST), not by their number of tests.
  .venv/bin/python -m pytest -n "${PUBFLOW_TEST_WORKERS:-auto}" --dist loadfile --no-loadscope-reorder \
    --durations=15 "$@" || status=$?
  # pytest's 5 is "no test ran" (a -m or -k that selects nothing): say so rather than fail with no word.
  if [ "$status" -eq 5 ]; then echo "test.sh: no test matched the selection" >&2; fi
  exit "$status"
fi
