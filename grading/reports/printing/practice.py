"""Print forms and answer keys of the exercises with right answers and of the live ones.

Each kind has a ``form`` (what the participant booklet prints: the task, with
nothing marked) and a ``key`` (what the cirkelledarhandledning prints: the right
answers and explanations to go through together). Both read the exercise's
content file with the same loader as the widget, so the paper and the screen
never disagree.
"""

from __future__ import annotations

from pathlib import Path

from grading.reports.printing.html import box, esc, field, inline, letter, lines, tag
from widgets.core.i18n import t
from widgets.models.speaker_stats import band_range

__all__ = [
    "quiz_form",
    "quiz_key",
    "suppression_form",
    "suppression_key",
    "voting_form",
    "voting_key",
    "readability_form",
    "readability_key",
    "speaker_form",
    "speaker_key",
    "reflection_form",
]


def _intro(text: str) -> str:
    return tag("p", inline(text), class_="intro") if text else ""


def _source(source: str) -> str:
    return tag("p", esc(t("print.source", source=source)), class_="source") if source else ""


def _options(texts: list[str]) -> str:
    items = "".join(
        tag("li", box() + " " + tag("span", letter(i) + ".", class_="letter") + " " + inline(text))
        for i, text in enumerate(texts)
    )
    return tag("ul", items, class_="options")


# -- MeetingRoleQuiz -------------------------------------------------------------------------------
def quiz_form(path: Path) -> str:
    from widgets.models.quiz_bank import load_bank

    bank = load_bank(path)
    items = []
    for question in bank.questions:
        hint = t("print.quiz.multiple") if question.type == "multiple" else t("print.quiz.single")
        head = tag("p", inline(question.text) + " " + tag("span", esc(f"({hint})"), class_="hint"), class_="question")
        items.append(tag("li", head + _options([o.text for o in question.options]), class_="item"))
    return (
        _source(_bank_source(bank.source))
        + tag("p", esc(t("print.quiz.how")), class_="intro")
        + tag("ol", "".join(items), class_="items")
    )


def _bank_source(source: dict[str, str]) -> str:
    return ", ".join(source[k] for k in ("part", "section") if k in source)


def quiz_key(path: Path) -> str:
    from widgets.models.quiz_bank import load_bank

    bank = load_bank(path)
    items = []
    for question in bank.questions:
        right = [f"{letter(i)}. {option.text}" for i, option in enumerate(question.options) if option.correct]
        label = t("print.key.right_many") if len(right) > 1 else t("print.key.right_one")
        answer = tag("p", tag("strong", esc(label)) + " " + inline(" ".join(right)), class_="answer")
        why = tag("p", inline(question.explanation), class_="why") if question.explanation else ""
        items.append(tag("li", tag("p", inline(question.text), class_="question") + answer + why, class_="item"))
    return tag("ol", "".join(items), class_="items key")


# -- SuppressionTechniques -------------------------------------------------------------------------
def _choice_list(title: str, choices) -> str:
    rows = "".join(
        tag("dt", esc(c.name)) + (tag("dd", inline(c.description)) if c.description else "") for c in choices
    )
    return tag("div", tag("p", esc(title), class_="list-title") + tag("dl", rows), class_="choices")


def suppression_form(path: Path) -> str:
    from widgets.models.suppression import load_suppression_bank

    bank = load_suppression_bank(path)
    lists = (
        _choice_list(t("print.suppression.techniques"), bank.techniques)
        + _choice_list(t("print.suppression.counters"), bank.counters)
        + _choice_list(t("print.suppression.confirming"), bank.confirming)
    )
    cards = []
    for number, card in enumerate(bank.cards, start=1):
        blanks = "".join(
            tag("p", field(t(f"print.suppression.ask_{part}")), class_="fill")
            for part in ("technique", "counter", "confirming")
        )
        title = tag("p", esc(t("print.suppression.card", number=number)), class_="item-title")
        cards.append(tag("li", title + tag("p", inline(card.scenario)) + blanks, class_="item"))
    return (
        _source(bank.source_text)
        + _intro(bank.intro)
        + tag("div", lists, class_="reference")
        + tag("p", esc(t("print.suppression.how")), class_="intro")
        + tag("ol", "".join(cards), class_="items plain")
    )


def suppression_key(path: Path) -> str:
    from widgets.models.suppression import load_suppression_bank

    bank = load_suppression_bank(path)
    items = []
    for number, card in enumerate(bank.cards, start=1):
        parts = []
        for part in ("technique", "counter", "confirming"):
            names = [bank.name(part, choice.id) for choice in bank.choices(part) if choice.id in card.accepted(part)]
            parts.append(
                tag("strong", esc(t(f"print.suppression.key_{part}"))) + " " + esc(t("print.key.or").join(names))
            )
        answer = tag("p", "<br>".join(parts), class_="answer")
        why = tag("p", inline(card.explanation), class_="why") if card.explanation else ""
        title = tag("p", esc(t("print.suppression.card", number=number)), class_="item-title")
        items.append(tag("li", title + answer + why, class_="item"))
    return tag("ol", "".join(items), class_="items plain key")


# -- VotingProcedure -------------------------------------------------------------------------------
def voting_form(path: Path) -> str:
    from widgets.models.voting import load_voting_bank

    bank = load_voting_bank(path)
    items = []
    for number, scenario in enumerate(bank.scenarios, start=1):
        proposals = "".join(
            tag("li", tag("strong", esc(t(f"voting.kind.{p.kind}"))) + ": " + esc(p.text)) for p in scenario.proposals
        )
        steps = "".join(
            tag("li", tag("span", "", class_="number-box") + " " + esc(scenario.step(step_id).text))
            for step_id in scenario.start_order()
        )
        outcomes = "".join(tag("li", box() + " " + esc(words)) for _id, words in scenario.outcomes())
        items.append(
            tag(
                "li",
                tag(
                    "p",
                    esc(t("voting.scenario_number", number=number, total=len(bank.scenarios)) + " " + scenario.title),
                    class_="item-title",
                )
                + tag("p", esc(t("voting.matter", matter=scenario.matter)))
                + (tag("p", inline(scenario.situation)) if scenario.situation else "")
                + tag("ul", proposals, class_="proposals")
                + tag("p", esc(t("print.voting.order_task")), class_="task")
                + tag("ul", steps, class_="steps")
                + tag("p", esc(t("print.voting.result_task")), class_="task")
                + tag("ul", outcomes, class_="options"),
                class_="item",
            )
        )
    return _source(bank.source_text) + _intro(bank.intro) + tag("ol", "".join(items), class_="items plain")


def voting_key(path: Path) -> str:
    from widgets.models.voting import load_voting_bank

    bank = load_voting_bank(path)
    items = []
    for number, scenario in enumerate(bank.scenarios, start=1):
        order = "".join(tag("li", esc(step.text)) for step in scenario.steps())
        rounds = "".join(tag("li", esc(_round_text(scenario, r))) for r in scenario.rounds())
        decision = dict(scenario.outcomes())[scenario.decision()]
        items.append(
            tag(
                "li",
                tag(
                    "p",
                    esc(t("voting.scenario_number", number=number, total=len(bank.scenarios)) + " " + scenario.title),
                    class_="item-title",
                )
                + tag("p", tag("strong", esc(t("print.voting.key_order"))), class_="answer")
                + tag("ol", order)
                + tag("p", tag("strong", esc(t("print.voting.key_rounds"))), class_="answer")
                + tag("ul", rounds)
                + tag("p", tag("strong", esc(t("print.voting.key_decision"))) + " " + esc(decision), class_="answer")
                + (tag("p", inline(scenario.explanation), class_="why") if scenario.explanation else ""),
                class_="item",
            )
        )
    return tag("ol", "".join(items), class_="items plain key")


def _round_text(scenario, round_) -> str:
    """One round as the widget shows it after the order is checked (``voting.round_*``)."""
    from widgets.models.voting import NO, PROCEDURAL, YES, quoted

    name = t(f"voting.round.{round_.step.kind}")
    if not round_.held:
        return t("voting.round_not_held", round=name)
    votes = dict(round_.votes)
    if round_.step.kind in PROCEDURAL:
        winner = t("voting.yes") if round_.winner == YES else t("voting.no")
        return t("voting.round_yes_no", round=name, yes=votes.get(YES, 0), no=votes.get(NO, 0), winner=winner)
    counts = t("voting.list_sep").join(
        t("voting.votes_for", text=quoted(scenario.proposal(pid).text), count=count) for pid, count in round_.votes
    )
    return t("voting.round_votes", round=name, counts=counts, winner=quoted(scenario.proposal(round_.winner).text))


# -- ReadabilityMeter ------------------------------------------------------------------------------
def readability_form(path: Path) -> str:
    from widgets.models.readability import load_settings

    settings = load_settings(path)
    target = _number(settings.target_lix)
    example = tag("div", tag("p", esc(settings.example)), class_="example") if settings.example else ""
    count = tag(
        "p",
        field(t("print.readability.words"), "short")
        + field(t("print.readability.sentences"), "short")
        + field(t("print.readability.long_words"), "short")
        + field(t("print.readability.lix"), "short"),
        class_="fill",
    )
    return (
        _source(settings.source_text)
        + _intro(settings.intro)
        + example
        + tag("p", esc(t("readability.goal", words=settings.min_words, target=target)), class_="task")
        + lines(12, t("print.readability.rewrite"))
        + tag("p", esc(t("print.readability.formula")), class_="task")
        + count
    )


def readability_key(path: Path) -> str:
    from widgets.models.readability import load_settings, measure

    settings = load_settings(path)
    target = _number(settings.target_lix)
    parts = [tag("p", esc(t("print.readability.key_target", target=target, words=settings.min_words)), class_="answer")]
    if settings.example:
        result = measure(settings.example)
        parts.append(
            tag(
                "p",
                esc(
                    t(
                        "print.readability.key_example",
                        lix=_number(round(result.lix)),
                        words=result.words,
                        sentences=result.sentences,
                        long_words=result.long_words,
                    )
                ),
                class_="why",
            )
        )
    return "".join(parts)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value).replace(".", ",")


# -- SpeakerStats ---------------------------------------------------------------------------------
def speaker_form(path: Path) -> str:
    from widgets.models.speaker_stats import load_settings

    settings = load_settings(path)
    headers = [t("speaker_stats.col_category"), t("print.speaker.count"), t("print.speaker.minutes")]
    # the one row a circle that has not agreed to counting gender fills in (as the app counts it)
    rows = [tag("tr", tag("th", esc(t("print.speaker.anonymous_row")), scope="row") + tag("td", "") + tag("td", ""))]
    for category in settings.categories:
        label = category.label + (f" ({t('speaker_stats.apart')})" if category.apart else "")
        rows.append(tag("tr", tag("th", esc(label), scope="row") + tag("td", "") + tag("td", "")))
    head = tag("thead", tag("tr", "".join(tag("th", esc(h), scope="col") for h in headers)))
    table = tag("table", head + tag("tbody", "".join(rows)), class_="form tally")
    note = t("print.speaker.band", band=band_range(settings))
    consent = " ".join(
        t(key) for key in ("livespeaker.consent.why_count", "livespeaker.consent.why_ask", "print.speaker.consent")
    )
    return (
        _source(settings.source_text)
        + _intro(settings.intro)
        + tag("p", esc(consent), class_="task")
        + table
        + tag("p", esc(note), class_="task")
        + tag("p", esc(t("print.speaker.privacy")), class_="task")
    )


def speaker_key(path: Path) -> str:
    from widgets.models.speaker_stats import load_settings

    settings = load_settings(path)
    return tag(
        "p",
        esc(
            t(
                "print.speaker.key",
                count=settings.min_contributions,
                band=band_range(settings),
            )
        ),
        class_="why",
    )


# -- Reflection -----------------------------------------------------------------------------------
def reflection_form(prompt: str) -> str:
    return tag("p", inline(prompt), class_="task") + lines(10)
