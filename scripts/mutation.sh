#!/bin/sh
# Mutation testing of the modules whose promises matter most, each against a fast subset of the tests.
#
# mutmut 2 mutates the source in place, so the tests that run pubflow as a command see every mutant.
# To keep the working tree untouched, the run happens in a copy (default: a temporary folder) that
# the virtualenv reaches through PYTHONPATH. Prints killed/survived per module; `mutmut results`
# inside the copy lists the survivors.
#
# Usage: [MODULES="pubflow/convert.py …"] scripts/mutation.sh [COPY_DIR]
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
COPY=${1:-$(mktemp -d /tmp/pubflow-mutation.XXXXXX)}
PYTHON="$ROOT/.venv/bin/python"
MUTMUT="$ROOT/.venv/bin/mutmut"

mkdir -p "$COPY"
(cd "$ROOT" && git ls-files -z | xargs -0 cp --parents -t "$COPY")
cd "$COPY"
export PYTHONPATH="$COPY"

# module | tests, fastest first (pytest -x stops at the first failure, so most mutants die in seconds).
# --continue-on-collection-errors: a mutant that makes its module fail to import fails every test (exit 1,
# killed); without it pytest exits 2 at collection, which mutmut 2 counts as survived.
while IFS='|' read -r module tests; do
    [ -n "$module" ] || continue
    [ -z "${MODULES:-}" ] || case " $MODULES " in *" $module "*) ;; *) continue ;; esac
    rm -f .mutmut-cache
    "$MUTMUT" run --paths-to-mutate "$module" --tests-dir tests --no-progress \
        --runner "$PYTHON -m pytest -x -q -p no:cacheprovider $tests" >/dev/null 2>&1 || true
    killed=$("$MUTMUT" result-ids killed 2>/dev/null | wc -w)
    survived=$("$MUTMUT" result-ids survived 2>/dev/null | wc -w)
    timeout=$("$MUTMUT" result-ids timeout 2>/dev/null | wc -w)
    suspicious=$("$MUTMUT" result-ids suspicious 2>/dev/null | wc -w)
    echo "$module: killed $killed, survived $survived, timeout $timeout, suspicious $suspicious"
    "$MUTMUT" results > "mutation-$(basename "$module" .py).txt" 2>&1 || true
    cp .mutmut-cache "mutation-$(basename "$module" .py).cache"  # copy back to .mutmut-cache for `mutmut show ID`
done <<'EOF'
pubflow/fileio.py|tests/test_fileio.py tests/test_faults.py -k "not killed and not git"
pubflow/checks/security.py|tests/test_rules.py -k "security or build_drops or judge"
pubflow/convert.py|--continue-on-collection-errors tests/test_convert.py tests/test_rules.py tests/test_lost_save.py tests/test_faults.py tests/test_translator_tools.py -k "(convert or rename or record or person or machine or crlf or review) and not killed"
pubflow/update.py|--continue-on-collection-errors tests/test_update.py tests/test_rules.py tests/test_faults.py tests/test_catalogs.py -k "(update or carry or merge or rename or rerunning) and not (slow and test_update.py) and not killed"
pubflow/review.py|--continue-on-collection-errors tests/test_review.py tests/test_lost_save.py tests/test_convert.py tests/test_update.py tests/test_memory.py tests/test_fileio.py -m "not slow" -k "not (test_review.py and (shipped or coverage_counts))"
pubflow/memory.py|tests/test_memory.py -k "in_process or first_translation or lengths or memory_comment or only_when or loses_no or every_core or which_messages or leave_out or reads_tmx or line_break_its or many_catalogs or while_it_worked"
EOF
echo "(survivors: $COPY/mutation-*.txt)"
