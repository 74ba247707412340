"""The accessibility statement (tillgänglighetsredogörelse), one text for every place it is shown.

Its source is ``grading/servers/tillganglighet.md`` (package data), reviewable in git like
the course text. It is rendered here (markdown-it-py, raw HTML off) with the
contact a deployment configures (:class:`AccessibilityStatement`), and served by
the hub at ``/hub/tillganglighet`` (:mod:`grading.hub.pages`) and by every Jupyter
server that renders Cirkel's apps at ``<base>/cirkel/tillganglighet``
(:mod:`grading.servers.statement_server`), both reachable without logging in. Every page
links to it from its footer.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from markdown_it import MarkdownIt
from traitlets import Unicode, default
from traitlets.config import Configurable

from widgets.core.i18n import t

__all__ = ["SOURCE", "HUB_PAGE", "SERVER_PAGE", "AccessibilityStatement", "page_html"]

SOURCE = Path(__file__).with_name("tillganglighet.md")
#: the statement's address below the hub's base URL (``/hub/tillganglighet``)
HUB_PAGE = "tillganglighet"
#: its address below a Jupyter server's base URL (``/user/anna/cirkel/tillganglighet``)
SERVER_PAGE = "cirkel/tillganglighet"
#: where the source says who to contact; filled from :attr:`AccessibilityStatement.contact`
CONTACT_MARK = "{kontakt}"


@lru_cache(maxsize=1)
def _source() -> str:
    return SOURCE.read_text(encoding="utf-8")


class AccessibilityStatement(Configurable):
    """The statement as HTML, with this deployment's contact for reporting a problem."""

    contact = Unicode(
        help="""Who a person tells about an accessibility problem, as a sentence (Markdown; a
        mailto: link is fine). Cirkel knows no address of its own: the default sends people to
        their course leader or their branch.""",
    ).tag(config=True)

    @default("contact")
    def _default_contact(self) -> str:
        return t("statement.contact_default")

    def body_html(self) -> str:
        """The statement's text as HTML (headings, lists, links), no page around it."""
        text = _source().replace(CONTACT_MARK, self.contact)
        return MarkdownIt("commonmark", {"html": False}).render(text)


def page_html(statement: AccessibilityStatement) -> str:
    """A whole Swedish page for servers without the hub's frame (``cirkel serve``, the apps' servers)."""
    title = f"{t('hub.page.title')} – {t('statement.title')}"
    return (
        f'<!DOCTYPE html>\n<html lang="sv">\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
        "<style>body{font-family:system-ui,sans-serif;line-height:1.5;color:#1d1d1d;margin:0 auto;"
        "max-width:45rem;padding:1rem;overflow-wrap:anywhere}a{color:#0b5394}"
        "a:focus-visible{outline:2px solid #1d1d1d;outline-offset:2px}</style>\n</head>\n<body>\n"
        f'<main class="cirkel-statement">\n{statement.body_html()}</main>\n</body>\n</html>\n'
    )
