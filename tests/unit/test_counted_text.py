"""Numbers, plurals and times as a person reads them: Babel's CLDR rules in Swedish and English."""

from __future__ import annotations

import datetime as dt

import pytest

from widgets.core.formats import format_date, format_datetime, format_number, format_percent, format_time
from widgets.core.i18n import plural_category, t

pytestmark = pytest.mark.unit

NBSP = "\xa0"


@pytest.fixture(autouse=True)
def _swedish(monkeypatch):
    monkeypatch.delenv("CIRKEL_LANG", raising=False)


@pytest.mark.parametrize(
    ("key", "one", "many"),
    [
        ("cli.release.done", "1 modul är utdelad.", "3 moduler är utdelade."),
        ("cli.collect.done", "Insamlat: 1 inlämning finns", "Insamlat: 3 inlämningar finns"),
        ("cli.autograde.done", "1 inlämning är rättad.", "3 inlämningar är rättade."),
        ("pipeline.fetch_failed", "1 modul kunde inte hämtas:", "3 moduler kunde inte hämtas:"),
        ("pipeline.autograde_failed", "1 inlämning kunde inte rättas:", "3 inlämningar kunde inte rättas:"),
        ("goal_calculator.people", "1 person", "3 personer"),
        ("plan.warn.few_discussions", "diskuteras 1 gång.", "diskuteras 3 gånger."),
        ("plan.export.activity", "1 timme i månaden", "3 timmar i månaden"),
    ],
)
def test_one_of_something_is_singular_in_swedish(key, one, many):
    values = {"title": "Kurs", "min": 3, "max": 5, "modules": "05-moten", "text": "Möte"}
    assert one in t(key, count=1, **values)
    assert many in t(key, count=3, **values)


def test_english_has_its_own_singular():
    assert t("cli.release.done", lang="en", count=1) == "1 module is released."
    assert t("cli.release.done", lang="en", count=0) == "0 modules are released."
    assert t("reflection.words", lang="en", count=1) == "1 word"
    assert t("reflection.words", lang="sv", count=1) == "1 ord"


def test_the_plural_rule_is_babels():
    assert [plural_category(n, "sv") for n in (0, 1, 2, 1.5, 21)] == ["other", "one", "other", "other", "other"]
    assert plural_category(1, "en") == "one"


def test_a_large_count_is_grouped():
    assert t("cli.release.done", count=1200) == f"1{NBSP}200 moduler är utdelade."


def test_a_counted_text_needs_a_number():
    with pytest.raises(TypeError):
        t("cli.release.done", count="3")


def test_numbers_in_swedish_and_english():
    assert format_number(7.5) == "7,5"
    assert format_number(3.0) == "3"
    assert format_number(12345.678) == f"12{NBSP}345,68"
    assert format_number(2.25, 1) in {"2,2", "2,3"}
    assert format_number(12345.678, lang="en") == "12,345.68"
    assert format_percent(0.755) == f"76{NBSP}%"
    assert format_percent(0.755, lang="en") == "76%"


def test_times_are_shown_in_stockholm():
    winter = dt.datetime(2026, 12, 3, 13, 5, tzinfo=dt.UTC)  # CET, UTC+1
    summer = dt.datetime(2026, 6, 3, 13, 5, tzinfo=dt.UTC)  # CEST, UTC+2
    assert format_time(winter) == "14:05"
    assert format_time(summer) == "15:05"
    assert format_datetime(winter) == "2026-12-03 14:05"
    assert format_date(winter) == "3 december 2026"
    assert format_date(winter, lang="en") == "December 3, 2026"
    # nbgrader and the store keep naive UTC times
    assert format_time(winter.replace(tzinfo=None)) == "14:05"


def test_a_value_ending_a_sentence_takes_the_full_stop():
    option = "Alla som sitter i en styrelse, på alla nivåer."
    assert t("groupquiz.your_answer", answer=option) == f"Ditt svar: {option}"
    assert t("groupquiz.saved", answer=option).startswith(f"Ditt svar är sparat: {option} Du kan")
    assert t("groupquiz.your_answer", answer="Ja") == "Ditt svar: Ja."
    assert t("groupquiz.your_answer", answer="Varför?") == "Ditt svar: Varför?"
    assert t("speaker_stats.started", label="Kvinnor") == "Inlägg startat: Kvinnor."


def test_one_minute_and_one_hour_over():
    assert "Det är 1 minut för mycket." in t("meetingplan.warn.over_time", minutes=91, length=90, count=1)
    assert "Det är 5 minuter för mycket." in t("meetingplan.warn.over_time", minutes=95, length=90, count=5)
    assert t("roleexp.summary.left", count=1) == "Det blir 1 timme över."
    assert t("roleexp.summary.missing", count=1.5) == "Det fattas 1,5 timmar."
    assert t("serve.hub_running", url="http://127.0.0.1:8000/", count=1).startswith(
        "Cirkel är igång på http://127.0.0.1:8000/ med 1 kursomgång."
    )


# -- hours and minutes counted beside their nouns, and shares through Babel's percent ----------------


@pytest.mark.parametrize(
    ("key", "values", "one", "many"),
    [
        ("course.minutes_sum", {"sum": "45", "total": 45, "expected": 90}, "1 studietimme är", "2 studietimmar är"),
        (
            "curriculum.reason.timing_sum",
            {"file": "f.md", "minutes": 1, "expected": 90},
            "1 studietimme är",
            "2 studietimmar är",
        ),
        ("meetingplan.summary.minutes", {"minutes": 1}, "tar 1 av 1 minut.", "tar 1 av 2 minuter."),
        (
            "speaker_stats.capped",
            {},
            "längre än 1 minut och räknas som 1 minut.",
            "längre än 2 minuter och räknas som 2 minuter.",
        ),
        (
            "plan.export.planned",
            {"planned": "1"},
            "behöver 1 av 1 timme i månaden.",
            "behöver 1 av 2 timmar i månaden.",
        ),
        ("roleexp.summary.available", {}, "Personen har 1 timme i månaden.", "Personen har 2 timmar i månaden."),
        ("roleexp.export.hours", {"core": "1"}, "Tid: 1 timme i månaden", "Tid: 2 timmar i månaden"),
        (
            "roleexp.warn.over_time",
            {"available": "0,5", "core": "1"},
            "tar 1 timme i månaden",
            "tar 2 timmar i månaden",
        ),
        ("plan.warn.hours_exceeded", {"available": "0"}, "behöver 1 timme i månaden", "behöver 2 timmar i månaden"),
        ("circles.break_too_long", {"length": 1}, "Rasten på 1 minut är", "Rasten på 2 minuter är"),
    ],
)
def test_hours_and_minutes_are_singular_for_one(key, values, one, many):
    assert one in t(key, count=1, **values)
    assert many in t(key, count=2, **values)


def test_the_role_summary_reads_one_hour_and_two_hours():
    from widgets.models.role_expectations import Expectations, Task, role_summary

    one = role_summary(Expectations(tasks=[Task("Kalla till möten", 1.0)], available=1.0))
    assert one.startswith("Uppdraget tar 1 timme i månaden (1 utan det som kan väljas bort). Personen har 1 timme")
    two = role_summary(Expectations(tasks=[Task("Kalla till möten", 2.0)], available=2.0))
    assert two.startswith("Uppdraget tar 2 timmar i månaden (2 utan det som kan väljas bort). Personen har 2 timmar")
    half = role_summary(Expectations(tasks=[Task("Kalla till möten", 1.5)], available=1.5))
    assert half.startswith("Uppdraget tar 1,5 timmar i månaden")  # CLDR: only a whole 1 is singular


def test_a_module_whose_minutes_do_not_add_up_names_one_study_hour(tmp_path):
    from widgets.models.check import validate
    from widgets.models.content import ContentError
    from widgets.models.course import ModuleFile

    minutes = {"reading": 10, "discussion": 10, "exercise": 10, "reflection": 10}
    module = {
        "title": "Prov",
        "minutes": minutes,
        "goals": ["Ett mål"],
        "samtalsfragor": ["En?", "Två?", "Tre?"],
        "exercises": [{"id": "q", "widget": "MeetingRoleQuiz", "content": "q.yml", "check": "score_quiz", "points": 1}],
    }
    for hours, words in ((1, "men 1 studietimme är 45 minuter"), (2, "men 2 studietimmar är 90 minuter")):
        with pytest.raises(ContentError) as refused:
            validate(ModuleFile, {**module, "study_hours": hours}, tmp_path / "module.yml")
        assert words in str(refused.value)


@pytest.mark.parametrize(("lang", "band", "share"), [("sv", f"40–60{NBSP}%", f"25{NBSP}%"), ("en", "40–60%", "25%")])
def test_speaking_time_shares_are_babels_percentages(monkeypatch, lang, band, share):
    from widgets.models.speaker_stats import BandVerdict, Category, SpeakerSettings, band_range, shown_share

    monkeypatch.setenv("CIRKEL_LANG", lang)
    settings = SpeakerSettings("Talarstatistik", (Category("kvinnor", "Kvinnor", band=True),))
    assert band_range(settings) == band and shown_share(25.0) == share and shown_share(None) == "–"
    said = BandVerdict(settings.categories[0], 25.0, inside=False).message(settings)
    assert said == t("speaker_stats.band_outside", lang=lang, label="Kvinnor", share=share, band=band)
    assert f"Kvinnor: {share} " in said and said.endswith(f"{band}.")


def test_percent_keeps_decimals_only_when_asked():
    assert format_percent(0.125) == f"12{NBSP}%"  # Babel rounds half to even
    assert format_percent(0.125, decimals=1) == f"12,5{NBSP}%"
    assert format_percent(0.4, decimals=2) == f"40{NBSP}%"
    assert format_percent(0.125, "en", decimals=1) == "12.5%"


def test_one_page_open_is_one_page():
    from grading.servers.kernel_cap import TooManyPages

    one, two = TooManyPages(1, 2), TooManyPages(2, 2)
    assert (one.log_message % one.args).startswith("Du har redan 1 sida öppen i Cirkel,")
    assert (two.log_message % two.args).startswith("Du har redan 2 sidor öppna i Cirkel,")


def test_the_leaders_guide_counts_one_meeting_as_one():
    import dataclasses
    import re

    from grading.course.loading import load_course
    from grading.reports.printing.guide import _overview
    from grading.servers.serve import DEMO_COURSE

    course = load_course(DEMO_COURSE)
    one = dataclasses.replace(course, modules=course.modules[:1])
    hours = one.modules[0].study_hours
    said = re.search(r"<p>(Kursen har [^<]*)</p>", _overview(one)).group(1)
    assert said.startswith(f"Kursen har 1 träff och {hours} studietimmar.")
    whole = re.search(r"<p>(Kursen har [^<]*)</p>", _overview(course)).group(1)
    assert whole.startswith(f"Kursen har {len(course.modules)} träffar och ")
