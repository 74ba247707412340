"""The widget gallery in Chromium: every widget shown, accessible, operated, and still there after a reload.

One server and one page serve the module. Each widget's test operates it as a
person would (seven of them by keyboard alone: Tab, Space, Enter, arrow keys,
Ctrl+A and typing; the others with clicks, ticks, choices and typing), waits
until the kernel has saved the answers and the page shows what the same widget
shows in Python after the same steps. Then the page is reloaded once for all
twelve (a new kernel restores every widget from the answer store; a reload of
this page is its kernel building twelve widgets and Chromium drawing them, so one
reload instead of one per widget), and ``test_survives_one_reload[...]`` finds
each widget's same text and control values. Labels are read from the widget
built in Python, so content edits do not break the tests.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from grading.serve import Server, gallery_path, start_server
from widgets.content import ContentError
from widgets.gallery import DEFAULT_SOURCE, build_widget, discover, load_entry, prepare_workdir
from widgets.i18n import t, yaml_data
from widgets.store import AnswerStore

from browser_harness import (
    axe_violations,
    describe_violations,
    normalise,
    string_pattern,
    tab_to_option,
    tab_until,
    wait_until,
)
from gallery_harness import GalleryFiles, open_gallery, python_text, reload_gallery, section, snapshot, squeeze

pytestmark = pytest.mark.browser


def sv(key: str, **values: object) -> str:
    return t(key, lang="sv", **values)


# -- fixtures: one server, one page ------------------------------------------------------


@pytest.fixture(scope="module")
def gallery_files(tmp_path_factory: pytest.TempPathFactory) -> GalleryFiles:
    """A fresh gallery working folder, so no earlier answers and nothing in anyone's home."""
    return GalleryFiles(tmp_path_factory.mktemp("galleri-mapp"))


@pytest.fixture(scope="module")
def gallery_server(gallery_files: GalleryFiles, artifacts_dir: Path, tmp_path_factory) -> Iterator[Server]:
    """The gallery served as ``cirkel serve`` serves it (apps installed in ``appar/``)."""
    root = tmp_path_factory.mktemp("galleri-server")
    with pytest.MonkeyPatch.context() as env:  # the server and its kernels inherit this
        env.setenv("CIRKEL_GALLERY_DIR", str(gallery_files.folder))
        env.delenv("CIRKEL_LANG", raising=False)
        server = start_server(root, log_path=artifacts_dir / "galleri-server.log")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def gallery_url(gallery_server: Server) -> str:
    return gallery_server.voila_url(gallery_path())


@pytest.fixture(scope="module")
def gallery(browser, gallery_url: str):
    """The gallery page, opened once for the module."""
    tab = browser.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.script_errors = errors  # type: ignore[attr-defined]
    open_gallery(tab, gallery_url)
    yield tab
    tab.close()


@pytest.fixture(autouse=True)
def _screenshot_on_failure(request: pytest.FixtureRequest, artifacts_dir: Path) -> Iterator[None]:
    yield
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed and "gallery" in request.fixturenames:
        shot = artifacts_dir / f"{request.node.name}.png"
        try:
            request.getfixturevalue("gallery").screenshot(path=str(shot), full_page=True)
            print(f"\nscreenshot of the failure: {shot}\nserver log: {artifacts_dir / 'galleri-server.log'}")
        except Exception as exc:  # a screenshot is a courtesy; never hide the real failure
            print(f"\nno screenshot ({exc})")


# -- moving around as a keyboard user ------------------------------------------------------


#: The keyboard's way starts at the table of contents, as on a page just loaded: the tests share one page,
#: so the focus would otherwise start in the widget the last test left it in. Moving to a fragment moves
#: Chromium's starting point of Tab there (as following a link to it does); the hash is cleared first so
#: that the move happens even when the page is already there.
_FROM_THE_TOP = """(nav) => {
  document.activeElement && document.activeElement.blur();
  history.replaceState(null, "", location.pathname + location.search);
  location.hash = nav.getAttribute("aria-labelledby");
}"""


def go_to_section(page, exercise_id: str, title: str):
    """With the keyboard: Tab to the table of contents' link, Enter; the section's heading gets the focus."""
    nav = page.get_by_role("navigation", name=sv("gallery.toc"))
    nav.evaluate(_FROM_THE_TOP)
    link = nav.get_by_role("link", name=title, exact=True)
    tab_until(page, link, limit=40)
    page.keyboard.press("Enter")
    heading = section(page, exercise_id).get_by_role("heading", level=2, name=title)
    wait_until(
        lambda: page.evaluate("(el) => document.activeElement === el", heading.element_handle()),
        f"the focus on the heading {title!r}",
    )
    return section(page, exercise_id)


def _entry_title(exercise_id: str) -> str:
    return load_entry(DEFAULT_SOURCE / f"{exercise_id}.yml").title


# -- one reload for all twelve widgets -----------------------------------------------------------

#: The widgets' tests whose steps one reload proves kept, in the file's order.
RELOADED = (
    "reflection_by_keyboard",
    "quiz_by_keyboard",
    "plan_by_keyboard",
    "meeting_planner",
    "role_expectations_by_keyboard",
    "handover_plan",
    "speaker_stats_by_mouse",
    "readability_by_keyboard",
    "goal_calculator_by_mouse",
    "suppression_by_keyboard",
    "voting_by_keyboard",
    "role_finder_by_mouse",
)


class AfterReload:
    """What each widget's test expects after the reload: registered when its steps are done."""

    def __init__(self) -> None:
        self.expected: dict[str, tuple[str, tuple[str, ...] | None, Callable[[Any], None] | None]] = {}
        self.before: dict[str, dict] = {}

    def expect(
        self,
        steps: str,
        exercise_id: str,
        check: Callable[[Any], None] | None = None,
        ignore: tuple[str, ...] | None = (),
    ) -> None:
        """After the reload: the widget shows the same text and values (``ignore`` as for ``snapshot``;
        ``None``: only ``check``), then ``check(page)`` passes."""
        assert steps in RELOADED, f"{steps} is not in RELOADED"
        self.expected[steps] = (exercise_id, ignore, check)


@pytest.fixture(scope="module")
def after_reload() -> AfterReload:
    return AfterReload()


@pytest.fixture(scope="module")
def reloaded(gallery, after_reload: AfterReload) -> AfterReload:
    """The gallery reloaded once, as a person presses F5, after every widget's steps; each snapshot taken just before."""
    for steps, (exercise_id, ignore, _check) in after_reload.expected.items():
        if ignore is not None:
            after_reload.before[steps] = snapshot(gallery, exercise_id, ignore)
    reload_gallery(gallery)
    return after_reload


# -- the page as a whole ---------------------------------------------------------------------


def test_gallery_shows_every_widget(gallery):
    entries, broken = [], []
    for path in discover(DEFAULT_SOURCE):
        try:
            entries.append(load_entry(path))
        except ContentError as problem:
            broken.append(str(problem))
    assert broken == [], "gallery files that cannot be used"
    main = gallery.get_by_role("main")
    assert gallery.locator("html").get_attribute("lang") == "sv"
    assert normalise(main.locator("h1").inner_text()) == sv("gallery.title")
    assert gallery.title() == sv("gallery.title")
    # Every gallery file is a link in the table of contents and a section with its widget.
    nav = gallery.get_by_role("navigation", name=sv("gallery.toc"))
    links = nav.get_by_role("link")
    assert [normalise(text) for text in links.all_inner_texts()] == [entry.title for entry in entries]
    for entry in entries:
        box = section(gallery, entry.exercise_id)
        heading = box.get_by_role("heading", level=2, name=entry.title)
        assert heading.get_attribute("id") == entry.anchor
        assert nav.get_by_role("link", name=entry.title, exact=True).get_attribute("href") == f"#{entry.anchor}"
        assert normalise(box.locator(".cirkel-gallery-entry-intro").inner_text()) == normalise(entry.intro)
        assert normalise(box.locator(".cirkel-gallery-usage").inner_text()) == sv("gallery.usage", widget=entry.widget)
        assert box.locator(".cirkel-exercise").count() == 1, f"{entry.path.name}: no widget"
    problems = [normalise(p) for p in gallery.locator(".cirkel-gallery-problem").all_inner_texts()]
    assert problems == []
    assert "Traceback" not in main.inner_text()
    assert gallery.script_errors == []


def test_gallery_has_no_axe_violations(gallery):
    violations = axe_violations(gallery)
    assert not violations, f"axe-core on the gallery:\n{describe_violations(violations)}"


# -- the three widgets of the foundation, by keyboard alone -------------------------------------


def test_reflection_by_keyboard(gallery, gallery_files, after_reload):
    box = go_to_section(gallery, "reflektion", _entry_title("reflektion"))
    textarea = box.get_by_role("textbox", name=sv("reflection.label"))
    tab_until(gallery, textarea, limit=10)
    words = "Jag ska fråga dem som inte har sagt något vad de tycker innan vi beslutar"
    gallery.keyboard.type(words)
    count = box.locator(".cirkel-reflection-count")
    expect_count = sv("reflection.words", count=len(words.split()))
    wait_until(lambda: normalise(count.inner_text()).startswith(expect_count), "the word count")
    wait_until(lambda: (gallery_files.saved("reflektion") or {}).get("text") == words, "svar/reflektion.json")

    def after(page) -> None:
        box = section(page, "reflektion")
        assert box.get_by_role("textbox", name=sv("reflection.label")).input_value() == words
        assert normalise(box.locator(".cirkel-reflection-count").inner_text()).startswith(expect_count)

    after_reload.expect("reflection_by_keyboard", "reflektion", after, ignore=None)


def _quiz_bank() -> dict:
    entry = load_entry(DEFAULT_SOURCE / "motesroller.yml")
    assert entry.content_file is not None
    return yaml_data(entry.content_file.read_text(encoding="utf-8"))


def test_quiz_by_keyboard(gallery, gallery_files, after_reload):
    bank = _quiz_bank()
    first, second = bank["questions"][0], bank["questions"][1]
    right = next(i for i, option in enumerate(first["options"]) if option.get("correct"))
    wrong = next(i for i, option in enumerate(second["options"]) if not option.get("correct"))
    box = go_to_section(gallery, "motesroller", _entry_title("motesroller"))
    questions = box.locator(".cirkel-quiz-question")

    # The first question right: Tab into the options (one tab stop), arrows to the option, Space, Tab to "Svara", Enter.
    q1 = questions.nth(0)
    option = q1.locator("input[type=radio]").nth(right)
    tab_to_option(gallery, option, limit=20)
    gallery.keyboard.press("Space")
    assert option.is_checked()
    tab_until(gallery, q1.get_by_role("button", name=sv("quiz.answer")), limit=10)
    gallery.keyboard.press("Enter")
    q1.locator(".cirkel-quiz-right").wait_for(state="visible")
    assert normalise(q1.locator(".cirkel-quiz-right").inner_text()) == sv("quiz.right")

    # The second question wrong, the same way: the quiz offers another try.
    q2 = questions.nth(1)
    option = q2.locator("input[type=radio]").nth(wrong)
    tab_to_option(gallery, option, limit=20)
    gallery.keyboard.press("Space")
    tab_until(gallery, q2.get_by_role("button", name=sv("quiz.answer")), limit=10)
    gallery.keyboard.press("Enter")
    q2.get_by_role("button", name=sv("quiz.retry")).wait_for(state="visible")
    assert string_pattern("quiz.wrong_try_again").match(normalise(q2.locator(".cirkel-quiz-wrong").inner_text()))

    def both_saved() -> bool:
        saved = (gallery_files.saved("motesroller") or {}).get("questions") or {}
        return all((saved.get(q["id"]) or {}).get("tries") for q in (first, second))

    wait_until(both_saved, "svar/motesroller.json with both answers")

    def after(page) -> None:
        q1 = section(page, "motesroller").locator(".cirkel-quiz-question").nth(0)
        q2 = section(page, "motesroller").locator(".cirkel-quiz-question").nth(1)
        q1.locator(".cirkel-quiz-right").wait_for(state="visible")
        assert q1.locator("input[type=radio]").nth(right).is_checked()
        assert q1.locator("input[type=radio]").nth(right).is_disabled()
        assert q2.get_by_role("button", name=sv("quiz.retry")).is_visible()
        assert string_pattern("quiz.wrong_try_again").match(normalise(q2.locator(".cirkel-quiz-wrong").inner_text()))
        assert string_pattern("quiz.score").match(
            normalise(section(page, "motesroller").locator(".cirkel-quiz-points").inner_text())
        )

    after_reload.expect("quiz_by_keyboard", "motesroller", after, ignore=None)


def test_plan_by_keyboard(gallery, gallery_files, after_reload):
    box = go_to_section(gallery, "strategisk-plan", _entry_title("strategisk-plan"))
    perception = box.get_by_role("textbox", name=sv("plan.perception_label"))
    tab_until(gallery, perception, limit=20)
    seen_as = "En förening där alla kommer till tals"
    gallery.keyboard.type(seen_as)

    # "Lägg till mål" with Enter: the new goal's text box gets the focus.
    tab_until(gallery, box.get_by_role("button", name=sv("plan.add_goal")), limit=20)
    gallery.keyboard.press("Enter")
    goal = box.get_by_role("textbox", name=sv("plan.goal_label", number=1))
    goal.wait_for(state="visible")
    wait_until(
        lambda: gallery.evaluate("(el) => document.activeElement === el", goal.element_handle()),
        "the focus on the new goal",
    )
    goal_text = "Fler medlemmar tar ordet på våra möten"
    gallery.keyboard.type(goal_text)

    members = box.get_by_role("spinbutton", name=sv("plan.members"))
    tab_until(gallery, members, limit=20)
    gallery.keyboard.press("Control+A")
    gallery.keyboard.type("25")
    gallery.keyboard.press("Enter")

    def saved() -> bool:
        plan = gallery_files.saved("strategisk-plan") or {}
        goals = plan.get("goals") or []
        return (
            plan.get("perception") == seen_as
            and len(goals) == 1
            and goals[0].get("text") == goal_text
            and (plan.get("resources") or {}).get("members") == 25
        )

    wait_until(saved, "svar/strategisk-plan.json with the perception, one goal and 25 members")

    def after(page) -> None:
        box = section(page, "strategisk-plan")
        assert box.get_by_role("textbox", name=sv("plan.perception_label")).input_value() == seen_as
        assert box.get_by_role("textbox", name=sv("plan.goal_label", number=1)).input_value() == goal_text
        assert box.get_by_role("textbox", name=sv("plan.goal_label", number=2)).count() == 0
        assert box.get_by_role("spinbutton", name=sv("plan.members")).input_value() == "25"

    after_reload.expect("plan_by_keyboard", "strategisk-plan", after, ignore=None)


# -- the nine widgets of issue 3 -------------------------------------------------------------------


@pytest.fixture(scope="module")
def headless(tmp_path_factory):
    """``headless(exercise_id)``: the gallery's widget built in Python, to read its labels and content."""
    folder = tmp_path_factory.mktemp("galleri-etiketter")

    def build(exercise_id: str):
        entry = load_entry(DEFAULT_SOURCE / f"{exercise_id}.yml")
        work = prepare_workdir([entry], DEFAULT_SOURCE, folder / exercise_id)
        return build_widget(entry, work, AnswerStore(work / "svar"))

    return build


def expect_unchanged(before: dict, after: dict, exercise_id: str) -> None:
    """The widget shows exactly the same text and control values after the reload as before."""
    if after != before:
        text = "\n".join(
            difflib.unified_diff(_lines(before), _lines(after), "before reload", "after reload", lineterm="")
        )
        raise AssertionError(f"{exercise_id} changed on reload:\n{text}")


def _lines(state: dict) -> list[str]:
    return [*re.split(r"(?<=[.:!?])\s+", state["text"]), *(repr(control) for control in state["controls"])]


def expect_as_in_python(box, widget, css_class: str) -> None:
    """Wait until the page's ``css_class`` says what the same widget says in Python after the same steps.

    The kernel answers each step in order, so once the last step's result is
    shown, every earlier change has reached the page too.
    """
    want = python_text(widget, css_class)
    shown = box.locator(f".{css_class}").first
    wait_until(lambda: squeeze(shown.inner_text()) == want, f"{css_class} showing {want!r}")


def commit(page) -> None:
    """Leave a field with Tab, as a person does (fields that save on leaving save now)."""
    page.keyboard.press("Tab")


def test_meeting_planner(gallery, gallery_files, headless, after_reload):
    planner = headless("motesplanering")
    planner.add_item()
    box = section(gallery, "motesplanering")
    box.get_by_role("textbox", name=planner.name.description, exact=True).fill("Medlemsmöte om skolan")
    commit(gallery)
    box.get_by_role("textbox", name=planner.political.description, exact=True).fill(
        "Vi bestämmer vad vi gör i skolfrågan."
    )
    commit(gallery)
    box.get_by_role("button", name=sv("meetingplan.add_item")).click()
    item = box.get_by_role("textbox", name=planner.agenda_rows[0].title.description, exact=True)
    item.fill("Välkomna och fika")
    commit(gallery)
    practical_id, practical_box = next(iter(planner.practical_boxes.items()))
    tick = box.get_by_role("checkbox", name=practical_box.description, exact=True)
    tick.check()
    minutes = box.get_by_role("spinbutton", name=planner.agenda_rows[0].minutes.description, exact=True)
    minutes.fill("15")
    minutes.press("Enter")
    # The same steps in Python: the page's check must say the same.
    planner.name.value = "Medlemsmöte om skolan"
    planner.political.value = "Vi bestämmer vad vi gör i skolfrågan."
    planner.agenda_rows[0].title.value = "Välkomna och fika"
    practical_box.value = True
    planner.agenda_rows[0].minutes.value = 15

    def saved() -> bool:
        plan = gallery_files.saved("motesplanering") or {}
        return (
            plan.get("name") == "Medlemsmöte om skolan"
            and plan.get("political") == "Vi bestämmer vad vi gör i skolfrågan."
            and [(i.get("title"), i.get("minutes")) for i in plan.get("agenda") or []] == [("Välkomna och fika", 15)]
            and (plan.get("practical") or {}).get(practical_id) is True
        )

    wait_until(saved, "svar/motesplanering.json with name, purpose, one item and one practicality")
    expect_as_in_python(box, planner, "cirkel-meeting-planner-check")

    def after(page) -> None:
        box = section(page, "motesplanering")
        assert (
            box.get_by_role("textbox", name=planner.agenda_rows[0].title.description, exact=True).input_value()
            == "Välkomna och fika"
        )
        assert box.get_by_role("checkbox", name=practical_box.description, exact=True).is_checked()

    after_reload.expect("meeting_planner", "motesplanering", after)


def test_role_expectations_by_keyboard(gallery, gallery_files, headless, after_reload):
    builder = headless("forvantningar")
    labels = [label for label, _value in builder.preset.options]
    values = [value for _label, value in builder.preset.options]
    wanted = next(i for i, value in enumerate(values) if value)  # the first real assignment
    box = go_to_section(gallery, "forvantningar", _entry_title("forvantningar"))

    # Choose the template with the arrow keys, fetch its tasks with Enter.
    picker = box.get_by_role("combobox", name=builder.preset.description, exact=True)
    tab_until(gallery, picker, limit=20)
    for _ in range(wanted):
        gallery.keyboard.press("ArrowDown")
    assert normalise(picker.evaluate("(el) => el.options[el.selectedIndex].text")) == labels[wanted]
    tab_until(gallery, box.get_by_role("button", name=builder.use_preset_button.description), limit=5)
    gallery.keyboard.press("Enter")
    first_task = box.get_by_role("textbox", name=sv("roleexp.task_label", number=1), exact=True)
    first_task.wait_for(state="visible")

    available = box.get_by_role("spinbutton", name=builder.available.description, exact=True)
    tab_until(gallery, available, limit=200)
    gallery.keyboard.press("Control+A")
    gallery.keyboard.type("6")
    gallery.keyboard.press("Enter")

    def saved() -> bool:
        data = gallery_files.saved("forvantningar") or {}
        return data.get("preset") == values[wanted] and bool(data.get("tasks")) and data.get("available") == 6

    wait_until(saved, "svar/forvantningar.json with the template's tasks and 6 hours")
    builder.apply_preset(values[wanted])
    builder.available.value = 6
    expect_as_in_python(box, builder, "cirkel-role-expectations-check")
    tasks = len(gallery_files.saved("forvantningar")["tasks"])

    def after(page) -> None:
        box = section(page, "forvantningar")
        assert box.get_by_role("textbox", name=sv("roleexp.task_label", number=tasks), exact=True).is_visible()
        assert box.get_by_role("spinbutton", name=builder.available.description, exact=True).input_value() in (
            "6",
            "6.0",
        )
        assert snapshot(page, "forvantningar")["text"]

    after_reload.expect("role_expectations_by_keyboard", "forvantningar", after)


def test_handover_plan(gallery, gallery_files, headless, after_reload):
    plan = headless("overlamning")
    first_id, first_row = next(iter(plan.item_rows.items()))
    box = section(gallery, "overlamning")
    box.get_by_role("textbox", name=plan.assignment.description, exact=True).fill("Kassör")
    commit(gallery)
    box.get_by_role("textbox", name=first_row.note.description, exact=True).fill(
        "Listan över kontakter ligger i pärmen."
    )
    commit(gallery)
    box.get_by_role("checkbox", name=first_row.done.description, exact=True).check()

    def saved() -> bool:
        data = gallery_files.saved("overlamning") or {}
        item = (data.get("items") or {}).get(first_id) or {}
        return (
            data.get("assignment") == "Kassör"
            and item.get("note") == "Listan över kontakter ligger i pärmen."
            and item.get("done") is True
        )

    wait_until(saved, "svar/overlamning.json with the assignment and one item done")
    summary = box.locator(".cirkel-handover-plan-summary")
    total = len(plan.item_rows)
    wait_until(
        lambda: normalise(summary.inner_text()).startswith(
            sv("handover.summary", done=1, total=total, count=0).split(".")[0]
        ),
        "the check counting one item done",
    )
    after_reload.expect("handover_plan", "overlamning")


def test_speaker_stats_by_mouse(gallery, gallery_files, headless, after_reload):
    stats = headless("talarstatistik")
    category = next(iter(stats.category_buttons))
    box = section(gallery, "talarstatistik")
    box.locator(f".cirkel-speaker-stats-category-{category}").click()
    box.get_by_role("button", name=stats.stop_button.description).click()

    def saved() -> bool:
        data = gallery_files.saved("talarstatistik") or {}
        return (data.get("counts") or {}).get(category) == 1 and data.get("running") is None

    wait_until(saved, "svar/talarstatistik.json with one finished contribution")
    button = box.locator(f".cirkel-speaker-stats-category-{category}")
    label = stats.category_buttons[category].description
    ready = sv("speaker_stats.button", label=label.split(" (")[0], count=1)
    wait_until(lambda: normalise(button.inner_text()) == ready, f"the button saying {ready!r}")
    # the line under the buttons is drawn after them: a person reads it before reloading too
    idle = sv("speaker_stats.none_running")
    now_line = box.locator(".cirkel-speaker-stats-now")
    wait_until(lambda: idle in normalise(now_line.inner_text()), f"the line saying {idle!r}")
    # "Inlägg stoppat ..." announces the last tap; it is not part of the statistics.

    def after(page) -> None:
        shown = section(page, "talarstatistik").locator(f".cirkel-speaker-stats-category-{category}").inner_text()
        assert "(1)" in shown

    after_reload.expect("speaker_stats_by_mouse", "talarstatistik", after, ignore=(".cirkel-speaker-stats-announce",))


def test_readability_by_keyboard(gallery, gallery_files, headless, after_reload):
    meter = headless("lasbarhet")
    box = go_to_section(gallery, "lasbarhet", _entry_title("lasbarhet"))
    textarea = box.get_by_role("textbox", name=meter.textarea.description, exact=True)
    tab_until(gallery, textarea, limit=10)
    text = "Vi ses på torsdag. Alla medlemmar är välkomna till föreningens medlemsmöte."
    empty_result = normalise(box.locator(".cirkel-readability-result").inner_text())
    gallery.keyboard.type(text)
    wait_until(lambda: (gallery_files.saved("lasbarhet") or {}).get("text") == text, "svar/lasbarhet.json")
    result = box.locator(".cirkel-readability-result")
    wait_until(lambda: normalise(result.inner_text()) != empty_result, "the LIX result")
    # The page shows what the same widget shows in Python for the same text.
    meter.textarea.value = text
    shown_in_python = normalise(re.sub(r"<[^>]+>", " ", meter._result.value))
    wait_until(lambda: normalise(result.inner_text()) == shown_in_python, f"the result {shown_in_python!r}")

    def after(page) -> None:
        field = section(page, "lasbarhet").get_by_role("textbox", name=meter.textarea.description, exact=True)
        assert field.input_value() == text

    after_reload.expect("readability_by_keyboard", "lasbarhet", after)


def test_goal_calculator_by_mouse(gallery, gallery_files, headless, after_reload):
    calculator = headless("mal-2030")
    label, value = next((label, value) for label, value in calculator.example_picker.options if value)
    box = section(gallery, "mal-2030")
    box.get_by_role("combobox", name=calculator.example_picker.description, exact=True).select_option(label=label)
    box.get_by_role("button", name=calculator.example_button.description).click()
    # As a person does: see the example's numbers arrive, then change one of them.
    first_number = box.locator(".cirkel-goal-calculator-population input").first
    wait_until(lambda: first_number.input_value() not in ("", "0"), "the example's numbers in the fields")
    members = box.get_by_role("spinbutton", name=calculator.members.description, exact=True)
    members.fill("12")
    members.press("Enter")

    def saved() -> bool:
        data = gallery_files.saved("mal-2030") or {}
        return data.get("members") == 12 and any((data.get("populations") or {}).values())

    wait_until(
        saved, f"svar/mal-2030.json with the example's numbers and 12 members: {gallery_files.saved('mal-2030')}"
    )
    calculator.use_example(value)
    calculator.members.value = 12
    expect_as_in_python(box, calculator, "cirkel-goal-calculator-result")
    # The example picker is a way to fill in numbers, not an answer: a reload may reset it.
    picker = (".cirkel-goal-calculator-example-picker",)

    def after(page) -> None:
        members = section(page, "mal-2030").get_by_role("spinbutton", name=calculator.members.description, exact=True)
        assert members.input_value() == "12"
        assert snapshot(page, "mal-2030", picker)["text"]

    after_reload.expect("goal_calculator_by_mouse", "mal-2030", after, ignore=picker)


def test_suppression_by_keyboard(gallery, gallery_files, headless, after_reload):
    widget = headless("harskartekniker")
    bank = yaml_data((DEFAULT_SOURCE / "harskartekniker.yml").read_text(encoding="utf-8"))["content"]
    card = bank["cards"][0]
    box = go_to_section(gallery, "harskartekniker", _entry_title("harskartekniker"))
    first = box.locator(".cirkel-suppression-card").first
    points_before = normalise(box.locator(".cirkel-suppression-score .cirkel-suppression-points").inner_text())
    # Each list: Tab to it, arrow down to the right choice (the lists keep the content's order).
    for css, listed, right in (
        ("technique", bank["techniques"], card["technique"]),
        ("counter", bank["counters"], card["counters"][0]),
        ("confirming", bank["confirming"], card["confirming"][0]),
    ):
        select = first.locator(f".cirkel-suppression-{css} select")
        tab_until(gallery, select, limit=20)
        for _ in range([item["id"] for item in listed].index(right) + 1):
            gallery.keyboard.press("ArrowDown")
        chosen = normalise(select.evaluate("(el) => el.options[el.selectedIndex].text"))
        assert chosen == next(i["name"] for i in listed if i["id"] == right)
    tab_until(gallery, first.get_by_role("button", name=sv("suppression.check")), limit=5)
    gallery.keyboard.press("Enter")
    first.locator(".cirkel-suppression-feedback").filter(has_text=re.compile(r"\S")).wait_for(state="visible")
    wait_until(
        lambda: ((gallery_files.saved("harskartekniker") or {}).get("cards") or {}).get(card["id"], {}).get("checked"),
        "svar/harskartekniker.json with the answered card",
    )
    for part, right in (
        ("technique", card["technique"]),
        ("counter", card["counters"][0]),
        ("confirming", card["confirming"][0]),
    ):
        widget.choose(card["id"], part, right)
    widget.check_card(card["id"])
    expect_as_in_python(box, widget, "cirkel-suppression-score")
    assert widget.score > 0

    def after(page) -> None:
        first = section(page, "harskartekniker").locator(".cirkel-suppression-card").first
        assert first.locator(".cirkel-suppression-technique select").is_disabled()
        points = section(page, "harskartekniker").locator(".cirkel-suppression-score .cirkel-suppression-points")
        assert string_pattern("suppression.score").match(normalise(points.inner_text()))
        assert points_before != normalise(points.inner_text())

    after_reload.expect("suppression_by_keyboard", "harskartekniker", after)


def test_voting_by_keyboard(gallery, gallery_files, headless, after_reload):
    voting = headless("voteringsordning")
    box = go_to_section(gallery, "voteringsordning", _entry_title("voteringsordning"))
    scenario = box.locator(".cirkel-voting-scenario").first
    steps = scenario.locator(".cirkel-voting-step-text")
    order_before = [normalise(s) for s in steps.all_inner_texts()]
    # Move the second question up: Tab to its "Upp", Enter.
    tab_until(gallery, scenario.locator(".cirkel-voting-step").nth(1).locator(".cirkel-voting-up"), limit=20)
    gallery.keyboard.press("Enter")
    wait_until(lambda: [normalise(s) for s in steps.all_inner_texts()] != order_before, "the questions in a new order")
    tab_until(gallery, scenario.get_by_role("button", name=sv("voting.check_order")), limit=20)
    gallery.keyboard.press("Enter")
    scenario.locator(".cirkel-voting-order-feedback").filter(has_text=re.compile(r"\S")).wait_for(state="visible")

    def saved() -> bool:
        answers = (gallery_files.saved("voteringsordning") or {}).get("scenarios") or {}
        return any(a.get("order_checked") for a in answers.values())

    wait_until(saved, "svar/voteringsordning.json with the checked order")
    scenario_id = next(iter(gallery_files.saved("voteringsordning")["scenarios"]))
    voting.move(scenario_id, voting.order(scenario_id)[1], -1)
    voting.check_order(scenario_id)
    expect_as_in_python(box, voting, "cirkel-voting-score")
    expect_as_in_python(box, voting, "cirkel-voting-order-feedback")
    after_reload.expect("voting_by_keyboard", "voteringsordning")


def test_role_finder_by_mouse(gallery, gallery_files, headless, after_reload):
    finder = headless("rollsokaren")
    interest_id, interest = next(iter(finder.interest_boxes.items()))
    skill_id, skill = next(iter(finder.skill_boxes.items()))
    time_label, time_id = finder.time_choice.options[-1]
    box = section(gallery, "rollsokaren")
    box.get_by_role("checkbox", name=interest.description, exact=True).check()
    box.get_by_role("checkbox", name=skill.description, exact=True).check()
    box.get_by_role("radio", name=time_label, exact=True).check()
    box.get_by_role("textbox", name=finder.first_name.description, exact=True).fill("Kim")
    commit(gallery)

    def saved() -> bool:
        data = gallery_files.saved("rollsokaren") or {}
        return (
            interest_id in (data.get("interests") or [])
            and skill_id in (data.get("skills") or [])
            and data.get("time") == time_id
            and data.get("first_name") == "Kim"
        )

    wait_until(saved, "svar/rollsokaren.json with an interest, a skill, the time and a first name")
    interest.value = True
    skill.value = True
    finder.time_choice.value = time_id
    finder.first_name.value = "Kim"
    assert squeeze(sv("rolefinder.tick_first")) not in python_text(finder, "cirkel-role-finder-suggestions")
    expect_as_in_python(box, finder, "cirkel-role-finder-suggestions")

    def after(page) -> None:
        box = section(page, "rollsokaren")
        assert box.get_by_role("checkbox", name=interest.description, exact=True).is_checked()
        assert box.get_by_role("radio", name=time_label, exact=True).is_checked()

    after_reload.expect("role_finder_by_mouse", "rollsokaren", after)


# -- after every widget's steps: one reload --------------------------------------------------------


@pytest.mark.parametrize("steps", RELOADED)
def test_survives_one_reload(reloaded: AfterReload, gallery, steps: str):
    """After the one reload (a new kernel restoring every widget), the widget that ``test_<steps>`` operated
    shows the same text and control values as before it, and what that test expects of it."""
    assert steps in reloaded.expected, f"test_{steps} did not finish its steps before the reload"
    exercise_id, ignore, check = reloaded.expected[steps]
    if ignore is not None:
        expect_unchanged(reloaded.before[steps], snapshot(gallery, exercise_id, ignore), exercise_id)
    if check is not None:
        check(gallery)


def test_handover_plan_never_saves_a_password(gallery, gallery_files, headless):
    """A password is refused where it was typed, and nothing of it reaches the file."""
    plan = headless("overlamning")
    second_row = list(plan.item_rows.values())[1]
    box = section(gallery, "overlamning")
    note = box.get_by_role("textbox", name=second_row.note.description, exact=True)
    note.fill("Lösenordet är Sommar24")
    commit(gallery)
    item = box.locator(".cirkel-handover-plan-item").nth(1)
    item.locator(".cirkel-handover-plan-refusal").filter(has_text=re.compile(r"\S")).wait_for(state="visible")
    wait_until(lambda: note.input_value() == "", "the refused text taken back out of the field")
    assert "Sommar24" not in (gallery_files.folder / "svar" / "overlamning.json").read_text(encoding="utf-8")


# -- a text too long for its field -----------------------------------------------------------------


def test_a_paste_too_long_for_a_field_is_cut_in_the_browser_refused_and_said_in_swedish(gallery, gallery_files):
    from widgets._numbers import format_number
    from widgets._ui import MAX_TEXTAREA_LENGTH

    box = section(gallery, "reflektion")
    box.scroll_into_view_if_needed()
    textarea = box.get_by_role("textbox", name=sv("reflection.label"))
    # the browser's field knows the limit: a paste is cut one character past it
    assert textarea.get_attribute("maxlength") == str(MAX_TEXTAREA_LENGTH + 1)
    textarea.click()
    gallery.keyboard.press("Control+End")
    gallery.keyboard.type(" Och vi bjuder på fika.")
    wait_until(
        lambda: (gallery_files.saved("reflektion") or {}).get("text", "").endswith("Och vi bjuder på fika."),
        "the reflection in svar/reflektion.json",
    )
    kept = gallery_files.saved("reflektion")["text"]

    gallery.keyboard.insert_text("å" * (2 * MAX_TEXTAREA_LENGTH))  # a paste of 40 000 characters

    message = sv("store.text_too_long", max=format_number(MAX_TEXTAREA_LENGTH, 0))
    # said at once: in the exercise's alert region, drawn with it before anything went wrong
    status = box.locator(".cirkel-status-alert[role=alert][aria-live=assertive] .cirkel-status-text")
    wait_until(lambda: status.count() == 1 and normalise(status.inner_text()) == normalise(message), "the message")
    wait_until(lambda: textarea.input_value() == kept, "the field showing the kept text again")
    assert gallery_files.saved("reflektion")["text"] == kept  # nothing of the paste was saved
