"""Every course's content follows the content rules of DESIGN.md.

The rules about a module's parts live in ``grading.course.curriculum`` (the checker
``cirkel courses check`` uses too); these tests are thin wrappers around it,
over every module of every course in ``courses/``. Every failure names the
course, the module and what is missing, so a course author who breaks a rule
sees where. The rules: plain Swedish (LIX of the module's own prose: median
across modules at most 40, none above 45), one circle meeting of 2 to 3 study
hours, learning goals, the text, at least three samtalsfrågor, a graded
exercise and a reflection, commitments that exist and are taught, minutes per
part that the circle guide's timing table shows and that give the exercises
their time, a guide that says how to open, run the exercise and close, the
internal-feminist perspective; and, here, quotes that are the document's own
words with part and section, sources that are sections of the document, quiz
banks that parse, at most eight commitments a module, and each module saying
its own thing (no sentence of its own repeated in another module, no quotation
in more than two).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from grading.course.curriculum import discover_courses, lix_report, module_parts
from grading.course.loading import STUDY_HOUR_MINUTES, load_commitments, load_course, load_module
from grading.course.timing import ITEM_MINUTES, exercise_time, guide_timing
from widgets.core.i18n import yaml_data
from widgets.core.lix import analyse, module_prose

from course_paths import COMMITMENTS, COURSES, DOCUMENT

pytestmark = pytest.mark.unit


def _yaml(path: Path) -> Any:
    return yaml_data(path.read_text(encoding="utf-8"))


COURSE_DIRS = discover_courses(COURSES)
# (course folder, module name) for every module every course.yml lists, read as plain YAML so that
# one broken module fails its own tests rather than the collection.
MODULES = [
    (course, str(name)) for course in COURSE_DIRS for name in (_yaml(course / "course.yml").get("modules") or [])
]
MODULE_IDS = [f"{course.name}/{name}" for course, name in MODULES]


@pytest.fixture(params=MODULES, ids=MODULE_IDS)
def module(request: pytest.FixtureRequest) -> tuple[str, Path, dict[str, Any]]:
    course, name = request.param
    path = course / name
    assert (path / "module.yml").is_file(), f"{course.name}/{name}: module.yml saknas"
    return f"{course.name}/{name}", path, _yaml(path / "module.yml")


def test_there_are_the_two_courses():
    assert {p.name for p in COURSE_DIRS} >= {"partiforeningsskola", "ledarskap"}


@pytest.mark.parametrize("course_dir", COURSE_DIRS, ids=[p.name for p in COURSE_DIRS])
def test_course_yml_lists_existing_modules(course_dir: Path) -> None:
    course = _yaml(course_dir / "course.yml")
    assert course["id"] == course_dir.name
    assert course["language"] == "sv"
    assert course["title"].strip() and course["description"].strip()
    names = course["modules"]
    assert names and len(names) == len(set(names)), f"{course_dir.name}: modules saknas eller står två gånger"
    for name in names:
        assert (course_dir / name).is_dir(), f"{course_dir.name}: course.yml lists {name}, but the folder is missing"


def test_prose_lix_median_at_most_40_and_none_above_45() -> None:
    """LIX of each module's own prose, with the widgets' LIX function, reported across all courses."""
    report = lix_report([load_course(course) for course in COURSE_DIRS])
    print("\n" + "\n".join(report.lines()))
    assert report.modules
    assert not report.problems, "\n".join(report.problems)


def test_module_has_every_part(module: tuple[str, Path, dict[str, Any]]) -> None:
    _name, path, _spec = module
    commitments = load_commitments(path.parent)
    missing = module_parts(load_module(path, commitments=commitments), commitments)
    assert not missing, "\n".join(map(str, missing))


def test_module_prose_is_measured_with_the_widgets_lix(module: tuple[str, Path, dict[str, Any]]) -> None:
    name, path, _spec = module
    result = analyse(module_prose(path))
    print(
        f"{name}: LIX {result.lix:.1f} ({result.band}); {result.words} ord, "
        f"{result.sentences} meningar, {result.long_words} långa ord"
    )
    assert result.lix <= 45, f"{name}: LIX {result.lix:.1f} är över 45"


def test_commitments_exist(module: tuple[str, Path, dict[str, Any]]) -> None:
    name, _path, spec = module
    known = {c["id"] for c in _yaml(COMMITMENTS)}
    taken = spec.get("commitments") or []
    assert taken, f"{name}: commitments (åtaganden) saknas"
    unknown = [c for c in taken if c not in known]
    assert not unknown, f"{name}: commitments finns inte i commitments.yml: {unknown}"


#: The most commitments one circle meeting can take up and teach.
MAX_COMMITMENTS = 8


def test_a_module_carries_at_most_eight_commitments(module: tuple[str, Path, dict[str, Any]]) -> None:
    name, _path, spec = module
    taken = spec.get("commitments") or []
    assert len(taken) <= MAX_COMMITMENTS, f"{name}: {len(taken)} åtaganden på en träff, högst {MAX_COMMITMENTS}"


def test_minutes_per_part_add_up_and_the_guide_shows_them(module: tuple[str, Path, dict[str, Any]]) -> None:
    """``minutes`` in module.yml adds up to the study hours, and cirkelledare.md's table has the same parts."""
    name, path, spec = module
    loaded = load_module(path)
    assert sum(loaded.minutes.values()) == spec["study_hours"] * STUDY_HOUR_MINUTES, name
    timing = guide_timing((path / "cirkelledare.md").read_text(encoding="utf-8"))
    assert timing.unknown == [], f"{name}: rader i cirkelledare.md utan del: {timing.unknown}"
    assert timing.parts == loaded.minutes, f"{name}: cirkelledare.md {timing.parts} men module.yml {loaded.minutes}"


def test_the_exercise_part_holds_every_quiz_item(module: tuple[str, Path, dict[str, Any]]) -> None:
    """A quiz question needs 1.5 minutes, a härskarteknik situation or voting case 3, another exercise 10."""
    name, path, _spec = module
    loaded = load_module(path)
    need = exercise_time(loaded)
    assert not need.unreadable, name
    assert need.needed <= loaded.minutes["exercise"], f"{name}: övningarna behöver {need.details}"
    for ex_id, count, per, _ in need.details:
        widget = next(ex.widget for ex in loaded.exercises if ex.id == ex_id)
        if widget in ITEM_MINUTES:
            assert count is not None and per == ITEM_MINUTES[widget][1]


def _own_sentences(markdown: str) -> set[str]:
    """Sentences of at least six words in the prose of a text (no headings, quotations, tables or markers)."""
    found = set()
    for line in markdown.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", ">", "|", "<!--")):
            continue
        text = re.sub(r"[*_`]", "", re.sub(r"^([-*+]|\d+\.)\s+", "", stripped))
        for sentence in re.split(r"(?<=[.!?:])\s+", text):
            if len(sentence.split()) >= 6:
                found.add(sentence.strip())
    return found


def test_no_module_repeats_another_modules_sentences() -> None:
    """Each module says its own thing: no sentence of its own (text or guide) stands in another module."""
    where: dict[str, set[str]] = {}
    for course, name in MODULES:
        for file in ("text.md", "cirkelledare.md"):
            for sentence in _own_sentences((course / name / file).read_text(encoding="utf-8")):
                where.setdefault(sentence, set()).add(f"{course.name}/{name}")
    repeated = {s: sorted(m) for s, m in where.items() if len(m) > 1}
    assert not repeated, "\n".join(f"{m}: {s}" for s, m in sorted(repeated.items()))


def test_no_quotation_stands_in_more_than_two_modules() -> None:
    where: dict[str, set[str]] = {}
    for course, name in MODULES:
        for quote in _block_quotes((course / name / "text.md").read_text(encoding="utf-8")):
            where.setdefault(_normalise(" ".join(quote[:-1])), set()).add(f"{course.name}/{name}")
    repeated = {q[:70]: sorted(m) for q, m in where.items() if len(m) > 2}
    assert not repeated, repeated


def _document_sections() -> dict[tuple[str, str], str]:
    """The document's text by (part, section), normalised as adopted by the congress."""
    lines = DOCUMENT.read_text(encoding="utf-8").splitlines()
    headings: dict[str, str] = {}
    for c in _yaml(COMMITMENTS):
        headings[c["section"]] = c["part"]
    sections: dict[tuple[str, str], list[str]] = {}
    current: tuple[str, str] | None = None
    for line in lines:
        stripped = line.strip()
        part_heading = re.match(r"^(Del \d): (.+)$", stripped)
        if part_heading and part_heading.group(2) in headings:
            current = (part_heading.group(1), part_heading.group(2))
        elif stripped in headings:
            current = (headings[stripped], stripped)
        elif part_heading:
            current = None
        if current:
            sections.setdefault(current, []).append(line)
    return {key: _normalise("\n".join(body)) for key, body in sections.items()}


def _normalise(text: str) -> str:
    text = re.sub(r"~~.*?~~", "", text, flags=re.DOTALL)  # struck out: not adopted
    text = text.replace("**", "")
    text = re.sub(r"\s*\((?:E\d+(?::\d+)?|PS svar till E\d+)\)", "", text)  # motion marks
    text = re.sub(r"-\n\s*\n(?=[a-zåäö])", "", text)  # a word broken over a page
    return " ".join(text.split())


def _block_quotes(markdown: str) -> list[list[str]]:
    quotes, current = [], []
    for line in markdown.splitlines() + [""]:
        if line.startswith(">"):
            current.append(line.lstrip(">").strip())
        elif current:
            quotes.append([item for item in current if item])
            current = []
    return quotes


def test_quotes_are_the_documents_words_with_part_and_section(module: tuple[str, Path, dict[str, Any]]) -> None:
    name, path, _spec = module
    sections = _document_sections()
    quotes = _block_quotes((path / "text.md").read_text(encoding="utf-8"))
    assert len(quotes) >= 3, f"{name}: text.md citerar dokumentet för lite ({len(quotes)} citat)"
    for quote in quotes:
        cite = re.match(r"^[–-] (Del \d), (.+)$", quote[-1])
        assert cite, f"{name}: citatet ”{quote[0][:40]} …” saknar raden ”– Del N, Avsnitt”"
        key = (cite.group(1), cite.group(2))
        assert key in sections, f"{name}: citatet hänvisar till {key}, som inte finns i dokumentet"
        words = _normalise(" ".join(quote[:-1]))
        assert words in sections[key], f"{name}: citatet ”{words[:60]} …” står inte ordagrant i {key}"


def test_versions_quote_the_documents_words_with_part_and_section(module: tuple[str, Path, dict[str, Any]]) -> None:
    """Lättläst and other languages keep the document's own words, cited; lättläst quotes no more than text.md."""
    name, path, _spec = module
    sections = _document_sections()
    standard = len(_block_quotes((path / "text.md").read_text(encoding="utf-8")))
    for version in sorted(path.glob("text.*.md")):
        quotes = _block_quotes(version.read_text(encoding="utf-8"))
        if version.name == "text.lattlast.md":
            assert len(quotes) <= standard, f"{name}: {version.name} har fler citat ({len(quotes)}) än text.md"
        for quote in quotes:
            cite = re.match(r"^[–-] (Del \d), (.+)$", quote[-1])
            assert cite, f"{name}: citatet ”{quote[0][:40]} …” i {version.name} saknar raden ”– Del N, Avsnitt”"
            key = (cite.group(1), cite.group(2))
            assert key in sections, f"{name}: citatet i {version.name} hänvisar till {key}, som inte finns"
            words = _normalise(" ".join(quote[:-1]))
            assert words in sections[key], f"{name}: ”{words[:60]} …” i {version.name} står inte ordagrant i {key}"


def test_sources_are_sections_of_the_document(module: tuple[str, Path, dict[str, Any]]) -> None:
    name, _path, spec = module
    sections = _document_sections()
    for source in spec["source"]:
        key = (source["part"], source["section"])
        assert key in sections, f"{name}: source {key} är inget avsnitt i strategidokumentet"


# -- quiz banks ---------------------------------------------------------------


def _quiz_banks() -> list[tuple[str, Path]]:
    banks = []
    for course, name in MODULES:
        spec = _yaml(course / name / "module.yml")
        banks += [
            (f"{course.name}/{name}", course / name / ex["content"])
            for ex in spec.get("exercises") or []
            if ex.get("widget") == "MeetingRoleQuiz"
        ]
    return banks


QUIZ_BANKS = _quiz_banks()


@pytest.mark.parametrize(("name", "bank_path"), QUIZ_BANKS, ids=[f"{n}/{p.name}" for n, p in QUIZ_BANKS])
def test_quiz_bank_follows_the_format(name: str, bank_path: Path) -> None:
    """Plain YAML against the format in the task, so this holds whatever the widget accepts."""
    bank = _yaml(bank_path)
    assert set(bank) <= {"title", "source", "attempts", "retry_credit", "questions"}, f"{name}: okända nycklar"
    assert bank["title"].strip() and bank["source"]["part"] and bank["source"]["section"]
    assert isinstance(bank["attempts"], int) and bank["attempts"] >= 1
    assert 0 <= bank["retry_credit"] <= 1
    questions = bank["questions"]
    assert len(questions) >= 12, f"{name}: {bank_path.name} har {len(questions)} frågor, minst 12 behövs"
    ids = [q["id"] for q in questions]
    assert len(ids) == len(set(ids)), f"{name}: två frågor har samma id"
    assert {q["type"] for q in questions} == {"single", "multiple"}, f"{name}: blanda single och multiple"
    for q in questions:
        where = f"{name}: {bank_path.name}, fråga {q['id']}"
        assert re.fullmatch(r"[a-z0-9_-]+", q["id"]), where
        assert q["text"].strip() and q["explanation"].strip(), f"{where}: text eller explanation saknas"
        assert len(q["options"]) >= 2, f"{where}: för få svarsalternativ"
        right = sum(bool(o.get("correct")) for o in q["options"])
        if q["type"] == "single":
            assert right == 1, f"{where}: single ska ha exakt ett rätt svar, har {right}"
        else:
            assert right >= 1, f"{where}: multiple ska ha minst ett rätt svar"
        assert all(str(o["text"]).strip() for o in q["options"]), f"{where}: tomt svarsalternativ"


@pytest.mark.parametrize(("name", "bank_path"), QUIZ_BANKS, ids=[f"{n}/{p.name}" for n, p in QUIZ_BANKS])
def test_quiz_bank_loads_in_the_quiz_widget(name: str, bank_path: Path) -> None:
    from widgets.exercises import quiz

    bank = quiz.load_bank(bank_path)
    assert len(bank.questions) >= 12, f"{name}: {bank_path.name}"
    assert bank.max_score == len(bank.questions)


@pytest.mark.parametrize("course_dir", COURSE_DIRS, ids=[p.name for p in COURSE_DIRS])
def test_course_loads_with_the_course_loader(course_dir: Path) -> None:
    """The same loader ``cirkel run create`` uses accepts the course with no warnings."""
    course = load_course(course_dir)
    assert [m.name for m in course.modules] == _yaml(course_dir / "course.yml")["modules"]
    assert course.warnings == []
