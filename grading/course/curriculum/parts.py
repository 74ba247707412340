"""What each module lacks: goals, text, samtalsfrågor, a graded exercise, a reflection, timing, the guide.

Every finding names the course, the module and the part, in Swedish.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from grading.course.curriculum.lix import one_decimal
from grading.course.loading import STUDY_HOUR_MINUTES, Course, Module
from grading.course.solutions import CHECK_FOR_WIDGET
from grading.course.teaching import MIN_EXPLANATION_WORDS as MIN_WORDS
from grading.course.teaching import teaching, text_markers
from grading.course.timing import GUIDE_PARTS, exercise_time, guide_timing
from grading.course.variant_checks import variant_findings
from widgets.core.i18n import t
from widgets.core.lix import analyse, module_prose

#: The circle guide (cirkelledarhandledning) beside ``module.yml``.
GUIDE_FILE = "cirkelledare.md"
#: Words of its own prose a module's ``text.md`` must have (more than this).
MIN_PROSE_WORDS = 300
#: One circle meeting (träff) is 2 to 3 study hours.
MEETING_HOURS = (2, 3)
#: What the internal-feminist perspective asks of the circle guide: practices named in it.
GUIDE_PRACTICES = ("talarstatistik", "talarlista", "inte har talat")
# Headings of the circle guide's three moments (matched in lower case, anywhere in a heading).
_GUIDE_HEADINGS = {
    "guide_opening": ("öppna",),
    "guide_exercise": ("övning",),
    "guide_closing": ("avslut",),
}


@dataclass(frozen=True)
class MissingPart:
    """A part a module lacks (or has wrong), and why, in Swedish.

    Attributes
    ----------
    course, module:
        Where: the course id and the module's folder name.
    key:
        A stable id of the part (``goals``, ``guide_timing`` ...), for programs.
    part:
        The part's Swedish name, as a course author says it.
    reason:
        What is wrong, as a Swedish sentence.
    """

    course: str
    module: str
    key: str
    part: str
    reason: str

    def __str__(self) -> str:
        return t("curriculum.missing", course=self.course, module=self.module, part=self.part, reason=self.reason)


def _missing(module: Module, key: str, reason_key: str, **values: Any) -> MissingPart:
    return MissingPart(
        course=module.path.parent.name,
        module=module.name,
        key=key,
        part=t(f"curriculum.part.{key}"),
        reason=t(f"curriculum.reason.{reason_key}", **values),
    )


def module_parts(
    module: Module, commitments: Mapping[str, Any] | None = None, language: str = "sv"
) -> list[MissingPart]:
    """What ``module`` lacks of the parts every module has; an empty list when it has them all.

    Parameters
    ----------
    module:
        A module as ``grading.course.loading.load_module`` reads it.
    commitments:
        The known commitments by id (``commitments.yml``); when given, the
        module's commitment ids must be among them.
    language:
        The course's language: the versions of the text in it
        (``grading.course.variant_checks``) keep the perspectives ``text.md`` must have.
    """
    found: list[MissingPart] = []
    if not module.title.strip():
        found.append(_missing(module, "title", "empty"))
    if not MEETING_HOURS[0] <= module.study_hours <= MEETING_HOURS[1]:
        found.append(_missing(module, "study_hours", "study_hours", hours=module.study_hours))
    if not [goal for goal in module.goals if goal.strip()]:
        found.append(_missing(module, "goals", "empty"))
    found += _text_parts(module)
    questions = [q for q in module.samtalsfragor if q.strip()]
    if len(questions) < 3:
        found.append(_missing(module, "samtalsfragor", "too_few_questions", count=len(questions)))
    if not module.sources or not all(s.get("part") and s.get("section") for s in module.sources):
        found.append(_missing(module, "source", "source"))
    found += _exercise_parts(module)
    found += _exercise_time(module)
    if not module.commitments:
        found.append(_missing(module, "commitments", "empty"))
    elif commitments:
        unknown = [cid for cid in module.commitments if cid not in commitments]
        if unknown:
            found.append(_missing(module, "commitments", "unknown_commitments", ids=", ".join(unknown)))
    found += _teaching_parts(module, commitments)
    found += _guide_parts(module)
    found += [_missing(module, f.key, f.reason, **f.values) for f in variant_findings(module, language)]
    return found


def course_parts(course: Course) -> list[MissingPart]:
    """``module_parts`` of every module of ``course``, in teaching order."""
    return [
        part for module in course.modules for part in module_parts(module, course.commitments or None, course.language)
    ]


def _text_parts(module: Module) -> list[MissingPart]:
    if not module.text.strip():
        return [_missing(module, "text", "no_text")]
    found = []
    words = analyse(module_prose(module.path)).words
    if words <= MIN_PROSE_WORDS:
        found.append(_missing(module, "text", "little_prose", words=words, min=MIN_PROSE_WORDS))
    lowered = module.text.lower()
    if "internfeminis" not in lowered:
        found.append(_missing(module, "internfeminism", "text_no_internfeminism"))
    if "funktionsförmåga" not in lowered:
        found.append(_missing(module, "accessibility", "text_no_accessibility"))
    return found


def _exercise_parts(module: Module) -> list[MissingPart]:
    found = []
    graded = [ex for ex in module.exercises if ex.check]
    if not graded:
        found.append(_missing(module, "graded", "no_graded"))
    for ex in graded:
        expected = CHECK_FOR_WIDGET.get(ex.widget)
        if expected and ex.check != expected:
            found.append(
                _missing(module, "graded", "wrong_check", id=ex.id, widget=ex.widget, check=ex.check, expected=expected)
            )
    reflections = [ex for ex in module.exercises if ex.is_reflection]
    if not reflections:
        found.append(_missing(module, "reflection", "no_reflection"))
    for ex in reflections:
        if not (ex.prompt or "").strip():
            found.append(_missing(module, "reflection", "no_prompt", id=ex.id))
    return found


def _guide_timing(module: Module, guide: str) -> list[MissingPart]:
    """The guide's timing table: there, adding up to the study hours, each row a part, agreeing with ``minutes``."""
    timing = guide_timing(guide)
    expected = module.study_hours * STUDY_HOUR_MINUTES
    total = sum(timing.minutes)
    if not timing.rows:
        return [_missing(module, "guide_timing", "no_timing", file=GUIDE_FILE)]
    if total != expected:
        return [
            _missing(
                module,
                "guide_timing",
                "timing_sum",
                file=GUIDE_FILE,
                minutes=total,
                expected=expected,
                count=module.study_hours,
            )
        ]
    if list(timing.totals) != [expected]:
        return [_missing(module, "guide_timing", "timing_total", file=GUIDE_FILE, expected=expected)]
    if timing.unknown:
        moment, word = timing.unknown[0]
        return [
            _missing(
                module,
                "guide_timing",
                "timing_part",
                file=GUIDE_FILE,
                moment=moment,
                word=word or "–",
                parts=", ".join(GUIDE_PARTS),
            )
        ]
    differ = [
        t("curriculum.reason.timing_part_minutes", word=word, guide=timing.parts[part], module=module.minutes[part])
        for word, part in GUIDE_PARTS.items()
        if module.minutes and timing.parts[part] != module.minutes[part]
    ]
    if differ:
        return [_missing(module, "guide_timing", "timing_parts", file=GUIDE_FILE, differ="; ".join(differ))]
    return []


def _exercise_time(module: Module) -> list[MissingPart]:
    """The exercise part gives every exercise its time (``grading.course.timing``)."""
    if not module.minutes:
        return []
    time = exercise_time(module)
    if time.needed <= module.minutes["exercise"]:
        return []
    details = "; ".join(
        t("curriculum.reason.exercise_items", id=ex_id, count=count, per=one_decimal(per), minutes=one_decimal(need))
        if count is not None
        else t("curriculum.reason.exercise_whole", id=ex_id, minutes=one_decimal(need))
        for ex_id, count, per, need in time.details
    )
    return [
        _missing(
            module,
            "exercise_time",
            "exercise_time",
            needed=one_decimal(time.needed),
            details=details,
            minutes=module.minutes["exercise"],
        )
    ]


def _teaching_parts(module: Module, commitments: Mapping[str, Any] | None) -> list[MissingPart]:
    """Every commitment the module names is one it lists, and every known one it lists is taught."""
    if not module.commitments:
        return []  # reported once, as missing commitments
    found = []
    listed = set(module.commitments)
    named = [(t("curriculum.taught.samtal", number=i), ids) for i, ids in enumerate(module.samtal_commitments, 1)]
    named += [(t("curriculum.taught.exercise", id=ex.id), ex.commitments) for ex in module.exercises]
    markers = text_markers(module.text)
    named += [(t("curriculum.taught.marker", line=m.line), m.ids) for m in markers]
    for where, ids in named:
        strays = [cid for cid in ids if cid not in listed]
        if strays:
            found.append(_missing(module, "commitments", "not_listed", where=where, ids=", ".join(strays)))
    badly_marked: set[str] = set()
    for marker in markers:
        if not marker.explains:
            badly_marked.update(marker.ids)
            found.append(
                _missing(
                    module, "taught", "marker_no_paragraph", line=marker.line, ids=", ".join(marker.ids), min=MIN_WORDS
                )
            )
    for cid, item in teaching(module).items():
        if (commitments and cid not in commitments) or (cid in badly_marked and item.worked_with):
            continue  # reported above, as unknown or as a marker before no paragraph
        if not item.taught:
            found.append(_missing(module, "taught", "only_listed", id=cid, missing=item.missing))
    return found


def _guide_parts(module: Module) -> list[MissingPart]:
    path = module.path / GUIDE_FILE
    guide = path.read_text(encoding="utf-8") if path.is_file() else ""
    if not guide.strip():
        return [_missing(module, "guide", "no_guide", file=GUIDE_FILE)]
    found = _guide_timing(module, guide)
    headings = [line.lstrip("#").strip().lower() for line in guide.splitlines() if line.startswith("#")]
    for key, words in _GUIDE_HEADINGS.items():
        if not any(word in heading for heading in headings for word in words):
            found.append(_missing(module, key, "no_heading", file=GUIDE_FILE, example=t(f"curriculum.heading.{key}")))
    lowered = guide.lower()
    for practice in GUIDE_PRACTICES:
        if practice not in lowered:
            found.append(_missing(module, "internfeminism", "guide_no_practice", file=GUIDE_FILE, practice=practice))
    return found
