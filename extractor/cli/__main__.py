"""``python -m extractor.cli``: the same as the ``extractor`` command."""

from . import run

run()
