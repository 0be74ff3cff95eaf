"""A real headless Chromium for the review pages' tests and benchmark.

Playwright drives the system's Chromium (``apt-get install chromium``; Playwright's own
browser download does not work everywhere), found as ``$CHROMIUM`` or ``chromium`` on
PATH. :func:`open_page` loads a page from ``file://`` and records what a test asserts
on: console errors, uncaught exceptions, dialogs (an injected ``alert``) and every
request that is not the page itself.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def chromium_path() -> str | None:
    found = os.environ.get("CHROMIUM") or shutil.which("chromium")
    return found or shutil.which("chromium-browser")


def why_no_browser() -> str | None:
    """The reason the browser tests cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed: pip install -e '.[test]'"
    if chromium_path() is None:
        return "no Chromium: apt-get install chromium (or set CHROMIUM=/path/to/chromium)"
    return None


@dataclass
class Visit:
    page: Any
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)  # anything but the page's own file


@contextmanager
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start
        b = p.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
        try:
            yield b
        finally:
            b.close()


@contextmanager
def open_page(b: Any, path: Path, width: int = 1280, height: int = 800) -> Iterator[Visit]:
    context = b.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    visit = Visit(page)
    url = path.resolve().as_uri()
    page.on("console", lambda m: visit.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: visit.errors.append(str(e)))

    def on_dialog(d: Any) -> None:
        visit.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    page.on("request", lambda r: visit.requests.append(r.url) if r.url != url else None)
    page.goto(url)
    try:
        yield visit
    finally:
        context.close()
