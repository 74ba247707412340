"""How live talarstatistik looks: the style sheets, the big buttons, and the HTML of the chart, table and verdicts.

Only aggregates are drawn, never a name; every text goes through ``text_html``.
"""

from __future__ import annotations

import ipywidgets as ipw

from widgets.core.i18n import t
from widgets.core.safe_text import text_html as _e
from widgets.exercises.speaker_stats.markup import bare_table_html, chart_svg
from widgets.kit import controls as ui
from widgets.models.speaker_stats import (
    SpeakerSettings,
    Tally,
    band_range,
    band_verdicts,
    format_duration,
)
from widgets.storage.live_speaker import TapOutcome
from widgets.storage.speaker_consent import is_anonymous

#: the big screen's app notebook, beside the keeper's in the run's samverkan folder
SCREEN_NOTEBOOK = "talarstatistik-skarm.ipynb"
CSS = "cirkel-livespeaker"
RUNNING_BACKGROUND = "#ffd54f"
RUNNING_TEXT = "#1b1b1b"
KEEPER_STYLE = f"""<style>
.{CSS}-keeper .{CSS}-category, .{CSS}-keeper .{CSS}-action {{ font-size: 1.05rem; white-space: normal; }}
.{CSS}-keeper .{CSS}-now {{ font-size: 1.15rem; }}
.{CSS}-table .widget-html-content {{ width: 100%; }}
.{CSS}-keeper table {{ border-collapse: collapse; margin: 0.5em 0; width: 100%; font-size: 0.9rem; }}
.{CSS}-keeper th, .{CSS}-keeper td {{ border: 1px solid #595959; padding: 0.2em 0.3em; text-align: left;
  overflow-wrap: break-word; }}
.{CSS}-keeper caption {{ text-align: left; font-weight: bold; }}
@media (max-width: 26rem) {{ .{CSS}-keeper table {{ font-size: 0.8rem; }} }}
</style>"""
#: the big screen: the whole width of the room's screen, large type, dark on white
SCREEN_STYLE = f"""<style>
body:has(.{CSS}-screen) #rendered_cells > div {{ max-width: none; }}
.{CSS}-screen {{ font-size: 1.6rem; color: #1b1b1b; background: #ffffff; }}
.{CSS}-screen h2 {{ font-size: 2.4rem; margin: 0.2em 0; }}
.{CSS}-screen .{CSS}-now p {{ font-size: 2.2rem; margin: 0.3em 0; }}
.{CSS}-screen .{CSS}-chart .widget-html-content {{ width: 100%; }}
.{CSS}-screen svg.{CSS}-svg {{ width: 100%; max-width: 100% !important; height: auto; }}
.{CSS}-screen .{CSS}-band li {{ margin: 0.2em 0; }}
.{CSS}-screen table {{ border-collapse: collapse; max-width: 60rem; }}
.{CSS}-screen th, .{CSS}-screen td {{ border: 1px solid #595959; padding: 0.2em 0.5em; text-align: left; }}
.{CSS}-screen caption {{ text-align: left; font-weight: bold; }}
</style>"""


def big_button(description: str, css: str, *, style: str = "") -> ipw.Button:
    """A button big enough for a thumb (at least 44 px high) that may wrap on a narrow phone."""
    button = ui.Button(
        description=description,
        button_style=style,
        layout=ui.layout(height="auto", min_height="48px", width="auto", margin="0.25em"),
    )
    button.add_class(f"{CSS}-{css}")
    return button


def message_html(text: str, *, error: bool = False) -> str:
    """An announcement or a refusal, for a region made live once (``ui.live``) when the panel is built."""
    return f'<p class="{CSS}-{"error" if error else "info"}">{_e(text)}</p>'


def screen_link_html(screen_url: str) -> str:
    """The keeper's link to the circle's big screen; empty for none."""
    if not screen_url:
        return ""
    return (
        f'<p class="{CSS}-screen-link"><a href="{_e(screen_url)}" target="_blank" rel="noopener">'
        f"{_e(t('livespeaker.screen_link'))}</a></p>"
    )


def tally_table_html(tally: Tally, settings: SpeakerSettings, now: float) -> str:
    """The numbers as a table (the chart's text alternative), as ``SpeakerStats`` shows them."""
    return bare_table_html(tally, settings, tally.live_seconds(now))


def tally_chart_svg(tally: Tally, settings: SpeakerSettings, now: float) -> str:
    """Bars of each category's share of the speaking time, with its contributions and time."""
    return chart_svg(settings, tally.live_seconds(now), counts=tally.counts, css=CSS)


def band_html(tally: Tally, settings: SpeakerSettings, now: float) -> str:
    """The band verdicts (kvinnor, män inside 40-60 %?) worded as the single-device widget words them.

    The running contribution's time so far counts, so the verdicts agree with
    the chart beside them and the keeper's phone agrees with the big screen.
    """
    if is_anonymous(settings.ids):  # no gender without the circle's consent: nothing to weigh
        return f'<p class="{CSS}-anonymous">{_e(t("livespeaker.consent.screen_anonymous"))}</p>'
    verdicts = band_verdicts(tally.live_seconds(now), settings)
    if verdicts:
        items = "".join(
            f'<li class="{CSS}-{"inside" if v.inside else "outside"}" data-category="{_e(v.category.id)}">'
            f"{_e(v.message(settings))}</li>"
            for v in verdicts
        )
        body = f"<ul>{items}</ul>"
    else:
        body = f"<p>{_e(t('livespeaker.band_none'))}</p>"
    title = t("speaker_stats.band_title", band=band_range(settings))
    return f'<p class="{CSS}-band-title"><strong>{_e(title)}</strong></p>{body}'


def outcome_text(outcome: TapOutcome) -> str:
    """What a tap did, said to the keeper (as ``SpeakerStats`` says it)."""
    settings = outcome.session.settings
    label = settings.category(outcome.category).label if outcome.category in settings.ids else ""
    if outcome.action == "started":
        text = t("speaker_stats.started", label=label)
    elif outcome.action == "switched":
        text = t(
            "speaker_stats.switched",
            previous=settings.category(outcome.previous).label,
            time=format_duration(outcome.spoken),
            label=label,
        )
    elif outcome.action == "stopped":
        text = t("speaker_stats.stopped", label=label, time=format_duration(outcome.spoken))
    elif outcome.action == "undone":
        text = t("livespeaker.undone")
    else:
        text = t("livespeaker.already_done")
    if outcome.capped:
        text += " " + t("speaker_stats.capped", count=settings.max_minutes)
    return text
