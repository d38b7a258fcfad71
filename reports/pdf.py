"""The digest as files: the HTML (reports/render.py) and a PDF of it printed by headless Chromium, and
the PNG of it the README shows."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from reports.digest import Digest, DigestError
from reports.render import render


def write(d: Digest, out: Path) -> tuple[Path, Path]:
    """DIR/<role>-<start>-<end>.html and .pdf of the same content."""
    out.mkdir(parents=True, exist_ok=True)
    stem = f"revline-{d.role}-{d.start.isoformat()}-{d.end.isoformat()}"
    html_path, pdf_path = out / f"{stem}.html", out / f"{stem}.pdf"
    html_path.write_text(render(d), encoding="utf-8")
    print_pdf(html_path, pdf_path)
    return html_path, pdf_path


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if found := shutil.which(name):
            return found
    raise DigestError("no Chromium found for the PDF: install it (`apt-get install chromium`)")


def print_pdf(html_path: Path, pdf_path: Path, timeout: float = 120) -> None:
    """Headless Chromium prints the HTML file as the browser shows it (docs/decisions/0102-digest-pdf-by-headless-chromium.md: measured
    against WeasyPrint). A private profile directory: never the user's, never left behind."""
    with tempfile.TemporaryDirectory(prefix="revline-chromium-") as profile:
        cmd = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
               f"--user-data-dir={profile}", f"--print-to-pdf={pdf_path}", html_path.resolve().as_uri()]  # fmt: skip
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0 or not pdf_path.is_file() or pdf_path.stat().st_size == 0:
        raise DigestError(f"Chromium could not print {html_path.name} to PDF: {done.stderr.strip()[-500:]}")


def screenshot(html_path: Path, png_path: Path, width: int = 900, height: int = 1800) -> None:
    """A PNG of the digest as a browser shows it (the README's picture)."""
    with tempfile.TemporaryDirectory(prefix="revline-chromium-") as profile:
        subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        f"--user-data-dir={profile}", f"--window-size={width},{height}",
                        f"--screenshot={png_path}", html_path.resolve().as_uri()],
                       capture_output=True, timeout=120, check=True)  # fmt: skip
