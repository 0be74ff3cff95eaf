"""Running a command without the privileges that would hide a permission problem.

Tests and CI run as root, and root reads and writes anything: a test that makes a file
unreadable and runs extractor as root tests nothing. :func:`prefix` is what to put
before a command so that it runs without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH
(``setpriv --bounding-set``): still root, but held to the permission bits. Not root:
nothing is needed. When the capabilities cannot be dropped here (no ``setpriv``, or
no CAP_SETPCAP in a container), the test is skipped and says why.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

import pytest

DROP = ["--bounding-set=-dac_override,-dac_read_search"]


@cache
def _setpriv_works() -> str | None:
    """None when a command run under setpriv is denied a file mode 000; else why not."""
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return "no setpriv on this machine (util-linux)"
    with tempfile.TemporaryDirectory() as folder:
        secret = Path(folder, "secret")
        secret.write_text("x")
        secret.chmod(0)
        done = subprocess.run(
            [setpriv, *DROP, "cat", str(secret)], capture_output=True, text=True, check=False
        )
    if done.returncode == 0:
        return "setpriv ran but the command could still read a file of mode 000"
    if "Permission denied" not in done.stderr:
        return f"setpriv cannot drop the capabilities here: {done.stderr.strip()}"
    return None


def prefix() -> list[str]:
    """The words to run a command unprivileged (skips the test when that is impossible)."""
    if os.geteuid() != 0:
        return []
    why = _setpriv_works()
    if why is not None:
        pytest.skip(f"as root a permission test tests nothing, and {why}")
    return [shutil.which("setpriv") or "setpriv", *DROP]
