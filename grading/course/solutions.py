"""Solution answers: drive each real exercise widget to an answer its check gives full points.

A course author who writes a new module wants to know that the module can be
passed: that its exercises have right answers and that the grading checks
find them. This module answers a module as a learner would, by building each
widget exactly as the notebook builds it (``from_file`` in the module's
folder, with the folder as working directory) and using only the widget's
public methods and controls. The answers land in ``svar/`` through the
widget's own saving, so an nbgrader autograde of the folder grades them.

The tests use it for the solution submission of every module, and for every
gallery sample::

    from grading.course.solutions import solve_module
    solve_module("autograded/anna/05-moten")        # writes svar/*.json

ipywidgets is imported only when a widget is built, so importing this module
(and ``CHECK_FOR_WIDGET``) stays light.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import importlib
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from widgets.models.kinds import KINDS, resolve

if TYPE_CHECKING:
    from widgets.kit.exercise import Exercise
    from widgets.storage.answers import AnswerStore

__all__ = [
    "CHECK_FOR_WIDGET",
    "SOLVERS",
    "ManualClock",
    "build_exercise",
    "solve",
    "solve_module",
    "module_exercises",
    "REFLECTION_TEXT",
]

#: The grading check that scores each exercise widget (``grading.checks``), from ``widgets.models.kinds``.
CHECK_FOR_WIDGET: dict[str, str] = {kind.widget: kind.check_name for kind in KINDS.values() if kind.check_name}

#: A reflection a course leader would be glad to read (filled up to the widget's ``min_words``).
REFLECTION_TEXT = (
    "Jag ska be dem som inte har sagt något om sin mening först. "
    "Efter mötet frågar vi alla hur det kändes och vad vi kan göra bättre nästa gång."
)

# Short sentences of short words: LIX far below any target a content file may set (10 to 80).
_EASY_SENTENCES = (
    "Vi ses på fredag.",
    "Alla får tala.",
    "Ta med en vän.",
    "Det finns kaffe.",
    "Vi går ut och knackar dörr.",
    "Ring mig om du vill vara med.",
    "Vi vill ha lägre hyror.",
    "Kom som du är.",
)


class ManualClock:
    """A clock that moves only when told: talarstatistik gets exact, instant contributions."""

    def __init__(self, now: float = 1_700_000_000.0):
        self.now = float(now)

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += float(seconds)


def _widget_class(name: str) -> type[Exercise]:
    if name not in KINDS:
        raise KeyError(f"unknown exercise widget {name!r}")
    return getattr(importlib.import_module(KINDS[name].module), name)


def _field(exercise: Any, key: str) -> Any:
    if isinstance(exercise, Mapping):
        return exercise.get(key)
    return getattr(exercise, key, None)


def build_exercise(
    folder: str | os.PathLike[str],
    exercise: Mapping[str, Any] | Any,
    *,
    store: AnswerStore | None = None,
    **options: Any,
) -> Exercise:
    """Build an exercise's widget as its notebook cell does, with ``folder`` as working directory.

    Parameters
    ----------
    folder
        The module's (or notebook's) folder: content files are read from it and
        answers go to its ``svar/`` unless ``store`` says otherwise.
    exercise
        An entry of ``module.yml``'s ``exercises`` (a dict with ``id``,
        ``widget``, ``content`` or ``prompt``) or a ``grading.course.loading.ExerciseSpec``.
    store
        Where answers are kept; ``<folder>/svar`` by default.
    options
        Extra keyword arguments for the widget (a Reflection's ``min_words``).
        A ``SpeakerStats`` gets a :class:`ManualClock` unless a ``clock`` is given.

    Raises ``widgets.models.answer_keys.KeysUnavailable`` for a learner copy whose answer key
    is not at hand (see ``grading.course_runs.answer_keys``): it cannot be answered right.
    """
    from widgets.kit.exercise import Unavailable
    from widgets.storage.answers import AnswerStore

    folder = Path(folder)
    name = str(_field(exercise, "widget"))
    exercise_id = str(_field(exercise, "id"))
    content = _field(exercise, "content")
    cls = _widget_class(name)
    store = store if store is not None else AnswerStore(folder / "svar")
    if name == "SpeakerStats":
        options.setdefault("clock", ManualClock())
    with contextlib.chdir(folder):
        if content:
            widget = cls.from_file(str(content), exercise_id=exercise_id, store=store, **options)
            if isinstance(widget, Unavailable):  # a learner copy with no key at hand
                raise widget.problem
            return widget
        prompt = _field(exercise, "prompt")
        if prompt:
            options.setdefault("prompt", prompt)
        return cls(exercise_id=exercise_id, store=store, **options)


def module_exercises(folder: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The ``exercises`` of ``<folder>/module.yml`` (a course module or a fetched notebook's folder)."""
    from widgets.models.content import ContentError, load_yaml

    path = Path(folder) / "module.yml"
    data = load_yaml(path)
    items = data.get("exercises") if isinstance(data, dict) else None
    if not isinstance(items, list):
        from widgets.core.i18n import t

        raise ContentError(path, "exercises", t("content.missing_key", key="exercises"))
    return [dict(item) for item in items if isinstance(item, dict)]


def solve_module(
    folder: str | os.PathLike[str],
    *,
    reflection: str | None = None,
    store: AnswerStore | None = None,
) -> dict[str, Exercise]:
    """Answer every exercise of the module in ``folder`` for full points; returns the widgets by id.

    ``folder`` holds ``module.yml`` and the content files: a course module, a
    released or fetched module, or a submission. Answers are saved in its
    ``svar/`` by the widgets themselves. ``reflection`` is the text written
    in every reflection (a plain one by default).
    """
    solved: dict[str, Exercise] = {}
    for exercise in module_exercises(folder):
        widget = build_exercise(folder, exercise, store=store)
        solve(widget, reflection=reflection)
        solved[widget.exercise_id] = widget
    return solved


def solve(widget: Exercise, *, reflection: str | None = None) -> Exercise:
    """Drive ``widget`` through its public methods and controls to a full-points answer.

    The widget should start from a blank answer (a fresh ``svar/``): what a
    learner has already locked, such as a checked quiz question, is not undone.
    Returns the widget.
    """
    name = type(widget).__name__
    solver = SOLVERS.get(name)
    if solver is None:
        raise KeyError(f"no solver for the exercise widget {name!r}")
    if name == "Reflection":
        _solve_reflection(widget, reflection)
    else:
        solver(widget)
    return widget


# -- one solver per widget -----------------------------------------------------------------


def solve_quiz(quiz: Any) -> None:
    for question in quiz.bank.questions:
        quiz.choose(question.id, sorted(question.correct))
        quiz.submit_answer(question.id)


def solve_plan(plan: Any) -> None:
    prompts = plan.prompts
    plan.perception.value = "Vi vill vara partiet som finns på plats när grannarna organiserar sig."
    plan.members.value = 12
    plan.hours.value = 40
    plan.money.value = 6000
    years = max(prompts.min_years, 2)
    wanted = max(prompts.min_goals, min(2, prompts.max_goals))
    goals = [
        "Fler medlemmar är aktiva mellan valen",
        "Vi syns i hyresgästernas frågor",
        "Fler unga kommer till våra möten",
        "Vi har en studiecirkel varje termin",
    ]
    ids = [
        plan.add_goal(goals[i % len(goals)] + ("" if i < len(goals) else f" ({i + 1})"), years=years)
        for i in range(wanted)
    ]
    plan.add_activity("Medlemsträffar varje månad", goal=ids[0], hours=10, cost=1000)
    plan.add_activity("Dörrknackning i vårt område", goal=ids[-1], hours=12, cost=500)
    plan.add_discussion("Medlemsmöte om utkastet", "i mars")
    plan.add_discussion("Årsmötet antar planen", "i maj")
    plan.revisit.value = "En punkt på varje styrelsemöte."


def _solve_reflection(widget: Any, text: str | None) -> None:
    text = text or REFLECTION_TEXT
    while widget.min_words and len(text.split()) < widget.min_words:
        text += " " + REFLECTION_TEXT
    widget.text = text


def solve_meeting_planner(planner: Any) -> None:
    planner.name.value = "Medlemsmöte om skolan"
    planner.date.value = _dt.date(2025, 3, 12)
    planner.start.value = _dt.time(18, 30)
    planner.place.value = "Folkets hus"
    planner.political.value = "Att vi kommer överens om vad vi vill med skolan i vår kommun."
    planner.social.value = "Att nya medlemmar lär känna någon och vill komma igen."
    share = max(1, planner.plan.length // 4)
    for title in ("Välkomna och fika", "Samtal om skolan", "Vad gör vi nu?"):
        planner.add_item(title, share)
    for number, control in enumerate(planner.role_inputs.values()):
        control.value = ("Sara", "Ali", "Eva", "Kim", "Maja", "Omar")[number % 6]
    first = next(iter(planner.practical_boxes.values()), None)
    if first is not None:
        first.value = True
    planner.practical_note.value = "Lokalen har hiss och ramp. Vi ordnar barnpassning."


def solve_role_expectations(builder: Any) -> None:
    builder.assignment.value = "Kassör i partiföreningen"
    builder.period.value = "Ett verksamhetsår, från årsmöte till årsmöte"
    builder.add_task("Betala föreningens räkningar", 3)
    builder.add_task("Föra föreningens bokföring", 4)
    builder.add_task("Skriva en rad i nyhetsbrevet", 1, optional=True)
    builder.support.value = "En överlämning från den som var kassör förut, och en mentor i distriktet."
    builder.available.value = 10


def solve_handover(plan: Any) -> None:
    plan.assignment.value = "Kassör"
    for row in plan.item_rows.values():
        row.note.value = "Det finns i föreningens gemensamma mapp."
        row.done.value = True
    plan.new_name.value = "Eva"
    plan.mentor_name.value = "Ali"
    roles = [value for _label, value in plan.mentor_role.options if value]
    plan.mentor_role.value = roles[0]
    plan.focus.value = "Den första budgeten och årsmötet."
    first = _dt.date(2025, 3, 5)
    for number in range(plan.content.min_meetings):
        plan.add_meeting(first + _dt.timedelta(weeks=4 * number), f"Vi går igenom del {number + 1} av uppdraget")
    if plan.refused:  # a guard refused the solver's own text: the solution would not be full
        raise ValueError(f"the handover plan refused {list(plan.refused)}")


def solve_speaker_stats(stats: Any) -> None:
    counted = [c.id for c in stats.settings.categories if not c.apart] or list(stats.settings.ids)
    clock = stats.clock
    for number in range(stats.settings.min_contributions):
        stats.start(counted[number % len(counted)])
        if isinstance(clock, ManualClock):
            clock.advance(60)
        stats.stop()


def solve_readability(meter: Any) -> None:
    settings = meter.settings
    sentences: list[str] = []
    number = 0
    while sum(len(s.split()) for s in sentences) < settings.min_words + 5:
        sentences.append(_EASY_SENTENCES[number % len(_EASY_SENTENCES)])
        number += 1
    meter.text = " ".join(sentences)


def solve_goal_calculator(calculator: Any) -> None:
    for number, control in enumerate(calculator.population_inputs.values()):
        control.value = 1237 + 311 * number
    for control in calculator.today_inputs.values():
        control.value = 10
    calculator.members.value = 23
    while not calculator.own_numbers:  # exactly an example row: one more member makes it the learner's own
        calculator.members.value += 1
    calculator.planned.value = 12


def solve_suppression(widget: Any) -> None:
    for card in widget.bank.cards:
        widget.choose(card.id, "technique", card.technique)
        widget.choose(card.id, "counter", sorted(card.counters)[0])
        widget.choose(card.id, "confirming", sorted(card.confirming)[0])
        widget.check_card(card.id)


def solve_voting(widget: Any) -> None:
    for scenario in widget.bank.scenarios:
        wanted = [step.id for step in scenario.steps()]
        for target, step_id in enumerate(wanted):
            while widget.order(scenario.id).index(step_id) > target:
                widget.move(scenario.id, step_id, -1)
        widget.check_order(scenario.id)
        widget.choose_result(scenario.id, scenario.decision())
        widget.check_result(scenario.id)


def solve_role_finder(finder: Any) -> None:
    boxes = list(finder.interest_boxes.values()) or list(finder.skill_boxes.values())
    boxes[0].value = True
    finder.time_choice.value = finder.content.times[0].id
    finder.note.value = "Jag vill gärna hjälpa till med det här."


#: Widget class name -> the function that answers it (Reflection takes its text from ``solve``).
def solve_reflection(widget: Any) -> None:
    """A reflection's model answer: :data:`REFLECTION_TEXT`, filled up to its ``min_words``."""
    _solve_reflection(widget, None)


#: The solver of each exercise widget, as its entry in ``widgets.models.kinds`` names it.
SOLVERS: dict[str, Callable[[Any], None]] = {
    kind.widget: resolve(kind.solver) for kind in KINDS.values() if kind.solver
}
