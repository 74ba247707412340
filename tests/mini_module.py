"""The small module the tests write when they need a course of their own."""

from __future__ import annotations

import textwrap
from pathlib import Path

__all__ = ["QUIZ_YML", "module_yml", "write_mini_course"]

#: ``fragor.yml`` of that module: one single-choice question
QUIZ_YML = textwrap.dedent("""\
    title: Frågor
    questions:
      - id: syfte
        type: single
        text: Ska ett möte ha ett syfte?
        options:
          - text: Ja
            correct: true
          - text: Nej
        explanation: Ett möte ska ha ett syfte.
    """)


def module_yml(title: str = "Ett prov", prompt: str = "Vad tar du med dig?", commitments: str = "[moten-1]") -> str:
    """``module.yml`` of a one-meeting module: a quiz (``fragor.yml``, 2 points) and a reflection.

    The first samtalsfråga works with the module's ``commitments``; the minutes of its 90-minute
    meeting are reading 30, discussion 20, exercise 35 and reflection 5.
    """
    return textwrap.dedent(f"""\
        title: {title}
        source:
          - part: Del 2
            section: Varje möte ett genomtänkt möte
        study_hours: 2
        minutes: {{reading: 30, discussion: 20, exercise: 35, reflection: 5}}
        goals:
          - Du vet vad ett möte är.
        commitments: {commitments}
        samtalsfragor:
          - text: Vad är ett bra möte?
            commitments: {commitments}
          - Vem talar mest?
          - Vad kan vi ändra?
        exercises:
          - id: fragor
            widget: MeetingRoleQuiz
            content: fragor.yml
            check: score_quiz
            points: 2
          - id: reflektion
            widget: Reflection
            prompt: {prompt}
            points: 1
        """)


def write_mini_course(root: Path) -> Path:
    """The small valid course (one module, ``01-prov``) written to ``root``: ``tests/conftest.py``'s
    per-test ``mini_course`` and the module-scoped fixtures that cannot use that one."""
    module = root / "01-prov"
    module.mkdir(parents=True)
    (root / "course.yml").write_text(
        textwrap.dedent("""\
        id: minikurs
        title: Minikurs
        description: En liten kurs för testerna.
        language: sv
        modules:
          - 01-prov
        """),
        encoding="utf-8",
    )
    (module / "module.yml").write_text(module_yml(), encoding="utf-8")
    (root / "commitments.yml").write_text(
        '- id: moten-1\n  part: Del 2\n  section: Möten\n  text: "göra varje möte till ett genomtänkt möte"\n',
        encoding="utf-8",
    )
    (module / "text.md").write_text("Ett möte ska ha ett syfte.\n", encoding="utf-8")
    (module / "fragor.yml").write_text(QUIZ_YML, encoding="utf-8")
    return root
