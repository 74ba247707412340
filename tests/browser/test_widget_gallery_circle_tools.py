"""The widget gallery in Chromium: the nine study circle tools (issue 3), each operated as a person would.

Each test operates its widget by keyboard or mouse on the gallery's one page, waits until
the page shows what the same widget shows in Python after the same steps (``headless``),
and registers what the one reload (``test_widget_gallery_reload.py``) must find again.
"""

from __future__ import annotations

import re

import pytest

from widgets.core.i18n import yaml_data
from widgets.pages.gallery import DEFAULT_SOURCE

from browser_harness import normalise, string_pattern, tab_until, wait_until
from gallery_harness import python_text, section, snapshot, squeeze
from gallery_steps import commit, entry_title, expect_as_in_python, go_to_section, sv

pytestmark = pytest.mark.browser


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
    box = go_to_section(gallery, "forvantningar", entry_title("forvantningar"))

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
    box = go_to_section(gallery, "lasbarhet", entry_title("lasbarhet"))
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
    box = go_to_section(gallery, "harskartekniker", entry_title("harskartekniker"))
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
    box = go_to_section(gallery, "voteringsordning", entry_title("voteringsordning"))
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
