"""Reading generated PDFs back in tests with poppler-utils (pdftotext, pdffonts)."""

from __future__ import annotations

import subprocess


def pdf_text(data: bytes) -> str:
    """The PDF's text in reading order, pages separated by form feeds."""
    assert data.startswith(b"%PDF-"), data[:20]
    done = subprocess.run(
        ["/usr/bin/pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=data,
        capture_output=True,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.decode("utf-8")


def pdf_plain_text(data: bytes) -> str:
    """The text with every run of whitespace removed: Chinese lines wrap anywhere."""
    return "".join(pdf_text(data).split())


def pdf_fonts(data: bytes) -> str:
    done = subprocess.run(["/usr/bin/pdffonts", "-"], input=data, capture_output=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.decode("utf-8")


def pdf_pages(data: bytes) -> int:
    return pdf_text(data).count("\f")
