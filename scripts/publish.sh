#!/usr/bin/env bash
# Command one: set everything up, then publish every edition into _build/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/pubflow publish
