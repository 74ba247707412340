"""The note to the board as Markdown and as a Word document, with the same parts."""

from __future__ import annotations

import io
from typing import Any

from widgets.core.i18n import t
from widgets.core.safe_text import markdown_literal
from widgets.models.role_finder.choices import MemberChoices, reason_text, suggest_roles
from widgets.models.role_finder.content import RoleContent
from widgets.models.role_finder.privacy import privacy_problems


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _export_parts(content: RoleContent, choices: MemberChoices) -> dict[str, Any]:
    """What both exports show, in order; the name only when it is just a first name."""
    problems = {p.code for p in privacy_problems(choices)}
    name = choices.first_name.strip() if "name" not in problems else ""
    time = content.time(choices.time)
    fitting = [s for s in suggest_roles(content, choices) if s.fits_time][: content.suggestions]
    return {
        "from": t("rolefinder.export.from", name=name) if name else t("rolefinder.export.from_anonymous"),
        "interests": ", ".join(content.label(i) for i in choices.interests) or t("rolefinder.export.none"),
        "skills": ", ".join(content.label(i) for i in choices.skills) or t("rolefinder.export.none"),
        "time": time.label if time else t("rolefinder.export.none"),
        "roles": [
            (s.role.name, _one_line(s.role.description), reason_text(content, s, "rolefinder.export.reason"))
            for s in fitting
        ],
        "note": [_one_line(p) for p in choices.note.strip().split("\n\n") if p.strip()],
    }


def note_markdown(content: RoleContent, choices: MemberChoices) -> str:
    """The note to the board as Markdown."""
    parts = _export_parts(content, choices)
    out = [f"# {t('rolefinder.export.title')}", ""]
    if content.source:
        out += [f"*{t('rolefinder.export.source', source=content.source_text)}*", ""]
    out += [markdown_literal(parts["from"]), ""]
    out += [f"## {t('rolefinder.export.choices')}", ""]
    out += [f"- {t('rolefinder.export.interests', items=parts['interests'])}"]
    out += [f"- {t('rolefinder.export.skills', items=parts['skills'])}"]
    out += [f"- {t('rolefinder.export.time', time=parts['time'])}", ""]
    out += [f"## {t('rolefinder.export.roles')}", ""]
    for number, (name, description, reason) in enumerate(parts["roles"], start=1):
        out.append(f"{number}. **{name}**: {description} {reason}")
    if not parts["roles"]:
        out.append(f"*{t('rolefinder.export.no_roles')}*")
    out += ["", f"## {t('rolefinder.export.note')}", ""]
    out += [markdown_literal("\n\n".join(parts["note"])) or f"*{t('rolefinder.export.none')}*", ""]
    return "\n".join(out)


def note_docx_bytes(content: RoleContent, choices: MemberChoices) -> bytes:
    """The note to the board as a Word document, with the same parts as the Markdown."""
    import docx  # python-docx, imported only when someone asks for a Word file

    parts = _export_parts(content, choices)
    document = docx.Document()
    document.core_properties.title = t("rolefinder.export.title")
    document.add_heading(t("rolefinder.export.title"), level=0)
    if content.source:
        document.add_paragraph(t("rolefinder.export.source", source=content.source_text)).runs[0].italic = True
    document.add_paragraph(parts["from"])
    document.add_heading(t("rolefinder.export.choices"), level=1)
    document.add_paragraph(t("rolefinder.export.interests", items=parts["interests"]), style="List Bullet")
    document.add_paragraph(t("rolefinder.export.skills", items=parts["skills"]), style="List Bullet")
    document.add_paragraph(t("rolefinder.export.time", time=parts["time"]), style="List Bullet")
    document.add_heading(t("rolefinder.export.roles"), level=1)
    for name, description, reason in parts["roles"]:
        paragraph = document.add_paragraph(style="List Number")
        paragraph.add_run(name).bold = True
        paragraph.add_run(f": {description} {reason}")
    if not parts["roles"]:
        document.add_paragraph(t("rolefinder.export.no_roles"))
    document.add_heading(t("rolefinder.export.note"), level=1)
    for paragraph in parts["note"] or [t("rolefinder.export.none")]:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
