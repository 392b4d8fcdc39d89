"""Quality checks over the catalogs, each a small module with one function per concern.

Every finding is ``file:line: check-name: message``. A check can be silenced
for one entry with the flag ``pubflow-skip-<check-name>`` (``#, pubflow-skip-numbers``).
"""

from typing import Any

from pubflow.checks.model import Finding, Severity

__all__ = ["CHECK_NAMES", "Finding", "Severity", "run_checks"]


def __getattr__(name: str) -> Any:
    # The runner loads every check (cn2an, Enchant …): a build or a Sphinx run that needs only the
    # security rule or the model imports this package without paying for them.
    if name in {"CHECK_NAMES", "run_checks"}:
        from pubflow.checks import runner

        return getattr(runner, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
