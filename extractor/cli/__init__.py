"""The ``extractor`` command: parse arguments, call the library, render with rich.

Exit status: :mod:`.status` (0 done, 1 failure, 2 usage, 3 partial success, 130
interrupted); an error extractor reports is one red line on stderr.
Set EXTRACTOR_DEBUG=1 to see the traceback of a reported error. :mod:`.parser` holds
the arguments and the handler of each command (:mod:`.commands`, :mod:`.output_commands`,
:mod:`.batch_command`), :mod:`.render` what they show.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from collections.abc import Sequence

from rich.console import Console
from rich.markup import escape

from ..errors import ExtractorError, UsageError
from . import status
from .parser import ArgumentsRefused, parser

__all__ = ["main", "run"]


def main(
    argv: Sequence[str] | None = None, console: Console | None = None, err: Console | None = None
) -> int:
    """Run the CLI; returns the exit code (tests call this directly)."""
    console = console or Console(highlight=False)
    err = err or Console(stderr=True, highlight=False)
    if os.environ.get("EXTRACTOR_DEBUG") != "1":
        # instructor logs every failed attempt and the transport every retry; the run
        # summary counts them and reports each failed chunk once
        logging.getLogger("instructor").setLevel(logging.CRITICAL)
        logging.getLogger("extractor").setLevel(logging.ERROR)
    try:
        args = parser().parse_command_line(argv)
    except ArgumentsRefused as exc:  # argparse's usage and error lines, as it writes them
        err.file.write(f"{exc}\n")
        return status.USAGE
    except SystemExit as exc:  # --help or --version, printed
        return int(exc.code or 0)
    try:
        return int(args.handler(args, console, err))
    except KeyboardInterrupt:  # a batch says what it finished; any other command, this
        err.print("[yellow]interrupted[/]: outputs not written; run the command again")
        return status.INTERRUPTED
    except ExtractorError as exc:
        if os.environ.get("EXTRACTOR_DEBUG") == "1":
            raise
        err.print(f"[red]error:[/] {escape(str(exc))}", markup=True, highlight=False)
        return status.USAGE if isinstance(exc, UsageError) else status.FAILURE


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM (``kill``, a scheduler's stop) ends the command as Ctrl-C does: every
    ``with`` block unwinds, so the embedded model server is stopped and the run
    directory's lock released."""
    raise SystemExit(128 + signum)


def run() -> None:
    """Console-script entry point."""
    signal.signal(signal.SIGTERM, _terminate)
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:  # `extractor quantities f --format jsonl | head`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = 0
    sys.exit(code)
