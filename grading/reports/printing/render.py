"""HTML to an accessible PDF with WeasyPrint: tagged (PDF/UA-1), with title and language.

WeasyPrint lays the document out with Pango, which comes from Debian
(``libpango-1.0-0``, ``libpangoft2-1.0-0``; ``make`` installs them). It is
imported only here and only when a PDF is made, so no other command pays for
it, and a machine without Pango gets a plain Swedish message, not a traceback.
Fonts are the machine's own DejaVu (Debian's ``fonts-dejavu-core``), embedded
in the PDF; nothing is ever fetched: every URL in the document is refused.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from grading.course_runs.run import RunError
from grading.system.atomic_write import write_atomically
from widgets.core.i18n import t

__all__ = ["PrintError", "Rendered", "render_pdf", "weasyprint_module", "PDF_VARIANT"]

#: Tagged PDF for accessibility: a structure tree, the document's title shown, its language set.
PDF_VARIANT = "pdf/ua-1"


class PrintError(RunError):
    """The printed material could not be made; the message is plain Swedish."""


@dataclass(frozen=True)
class Rendered:
    """A PDF written: where, how many pages."""

    path: Path
    pages: int


def weasyprint_module():
    """WeasyPrint, or a ``PrintError`` saying what to install."""
    quiet = io.StringIO()
    try:
        # WeasyPrint prints its own English advice when a library is missing: ours is enough
        with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
            import weasyprint
    except ImportError as exc:
        if (exc.name or "").split(".")[0] in ("weasyprint", "pydyf", "tinyhtml5", "cssselect2", "pyphen", "tinycss2"):
            raise PrintError(t("print.no_weasyprint")) from None
        raise
    except OSError as exc:  # a shared library (Pango, HarfBuzz, fontconfig) cannot be loaded
        raise PrintError(t("print.no_pango", detail=str(exc).splitlines()[0] if str(exc) else "")) from None
    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    return weasyprint


def render_pdf(html: str, target: str | os.PathLike[str]) -> Rendered:
    """Lay ``html`` out and write it as a tagged PDF to ``target`` (atomically)."""
    weasyprint = weasyprint_module()
    target = Path(target)
    fetcher = weasyprint.URLFetcher(allowed_protocols=())  # the document needs nothing from anywhere
    document = weasyprint.HTML(string=html, url_fetcher=fetcher).render(pdf_variant=PDF_VARIANT)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PrintError(t("print.write_failed", path=str(target), reason=exc.strerror or str(exc))) from None
    write_atomically(
        target,
        lambda tmp: document.write_pdf(tmp, pdf_variant=PDF_VARIANT),
        lambda where, reason: PrintError(t("print.write_failed", path=str(where), reason=reason)),
    )
    return Rendered(target, len(document.pages))
