"""A machine without Pango, for the printing tests of both lanes (the HTML ones and the PDF ones)."""

from __future__ import annotations


class NoPango:
    """An import hook that fails as WeasyPrint does on a machine without Pango."""

    def find_spec(self, name, path=None, target=None):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file")
        return None
