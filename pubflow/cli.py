"""The ``pubflow`` command: finds the project, holds its lock, runs the verb, and turns errors into one line.

The verbs themselves, their arguments and their reports are in ``pubflow/commands/``.
Exit status: 0 on success, 1 when a check or a gate fails, 2 on a usage or
input error (printed as one line naming the file and line).
"""

from __future__ import annotations

import codecs
import io
import os
import select
import sys
import time
from pathlib import Path

from pubflow.commands import build_parser
from pubflow.commands.common import EXIT_USAGE
from pubflow.config import load_config
from pubflow.errors import PubflowError, display_path
from pubflow.fileio import describe_os_error, remove_stale_temporaries
from pubflow.progress import Reporter

EXIT_READER_GONE = 141  # what a shell reports for a writer killed by SIGPIPE, as in `pubflow coverage | head`


def _stdout_closed_by_reader() -> bool:
    """Whether standard output is a pipe whose reader has gone; if so, silence it so Python's exit flush stays quiet."""
    poller = select.poll()
    poller.register(sys.stdout.fileno(), select.POLLOUT)
    if not any(events & select.POLLERR for _, events in poller.poll(0)):
        return False  # the broken pipe was another one, e.g. a gettext tool's
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return True


def _flushed(exit_code: int) -> int:
    """The verb's exit code, once its output has left: a broken pipe must surface here, not in Python's exit."""
    sys.stdout.flush()
    return exit_code


def _json_escapes(error: UnicodeError) -> tuple[str, int]:
    """What a console cannot show, as JSON's ``\\uXXXX`` escapes: still valid in ``--format json``, still legible."""
    assert isinstance(error, UnicodeEncodeError)
    escaped = []
    for char in error.object[error.start : error.end]:
        code = ord(char)
        if code > 0xFFFF:  # JSON spells a character beyond the BMP as its UTF-16 surrogate pair
            code -= 0x10000
            escaped.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
        else:
            escaped.append(f"\\u{code:04x}")
    return "".join(escaped), error.end


codecs.register_error("pubflow-json-escapes", _json_escapes)


def _escape_what_the_console_cannot_show() -> None:
    # A console in ASCII or a legacy code page (LANG=C on an old system, PYTHONIOENCODING=ascii)
    # cannot print Chinese: escaped, the finding is still reported, instead of a traceback.
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors="pubflow-json-escapes")


def main(argv: list[str] | None = None) -> int:
    _escape_what_the_console_cannot_show()
    parser = build_parser()
    args = parser.parse_args(argv)
    report = Reporter(args.quiet)
    try:
        optional = getattr(args, "project_optional", False) and getattr(args, "paths", None)
        no_project = optional or getattr(args, "no_project", False)
        config = None if no_project else load_config(Path(args.project) if args.project else None)
        from pubflow.catalog import default_verdict_folder, use_verdict_cache, use_wrap_style

        # msgfmt's acceptances are kept in the project's _build (outside a project, the user's cache).
        use_verdict_cache(config.output_dir / "cache" / "msgfmt-verdicts" if config else default_verdict_folder())
        use_wrap_style(config.wrap_style if config else "gettext")
        if config is not None and args.lock != "none":
            from pubflow.lock import project_lock

            shared = args.lock == "shared"
            with project_lock(config.output_dir, args.verb, wait=not args.no_wait, progress=report, shared=shared):
                # Another reader may be writing its own temporary files now: only a writer's time is all clear.
                remove_stale_temporaries(
                    config.work_folders, before=None if shared else time.time(), top_level=[config.root]
                )
                return _flushed(args.run(args, config, report))
        if config is not None:
            remove_stale_temporaries(config.work_folders, top_level=[config.root])
        return _flushed(args.run(args, config, report))
    except PubflowError as exc:
        print(f"pubflow: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError as exc:
        if _stdout_closed_by_reader():
            return EXIT_READER_GONE
        print(f"pubflow: error: {describe_os_error(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:  # the file system said no: a full disk, a permission, a folder where a file should be
        where = f"{display_path(Path(exc.filename))}: " if exc.filename else ""
        print(f"pubflow: error: {where}{describe_os_error(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("pubflow: interrupted; no catalog was left half-written", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
