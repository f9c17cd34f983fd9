"""The plan as a PDF, for agencies that file PDFs: the Word document converted
by LibreOffice where it is installed, a clear message where it is not."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from .text import ExportError, write_atomically

CONVERT_TIMEOUT = 180  # seconds: LibreOffice's first start on a slow machine


class PdfError(ExportError):
    """No PDF can be made."""


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def write_pdf(write_docx: Callable[[Path], Path], path: str | os.PathLike[str]) -> Path:
    """Write the document ``write_docx`` makes, converted to PDF, at ``path`` (atomically).
    The Word file and LibreOffice's own profile live in a private temporary folder
    that is removed afterwards, so a running LibreOffice does not interfere."""
    soffice = libreoffice()
    if soffice is None:
        raise PdfError("pdf.error.no_libreoffice")
    with tempfile.TemporaryDirectory(prefix="sip-pdf-") as work:
        folder = Path(work)
        source = write_docx(folder / "plan.docx")
        try:
            subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(folder),
                    str(source),
                ],
                check=True,
                capture_output=True,
                timeout=CONVERT_TIMEOUT,
            )
        except (subprocess.SubprocessError, OSError):
            raise PdfError("pdf.error.failed") from None
        made = folder / "plan.pdf"
        if not made.is_file() or not made.read_bytes().startswith(b"%PDF"):
            raise PdfError("pdf.error.failed")
        return write_atomically(Path(path), made.read_bytes())


__all__ = ["PdfError", "libreoffice", "write_pdf"]
