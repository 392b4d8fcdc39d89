"""Quality checks over the catalogs, each a small module with one function per concern.

Every finding is ``file:line: check-name: message``. A check can be silenced
for one entry with the flag ``pubflow-skip-<check-name>`` (``#, pubflow-skip-numbers``).
"""

from pubflow.checks.model import Finding, Severity
from pubflow.checks.runner import CHECK_NAMES, run_checks

__all__ = ["CHECK_NAMES", "Finding", "Severity", "run_checks"]
