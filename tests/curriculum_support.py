"""Small valid courses for the curriculum tests (``tests/unit/test_curriculum*.py``) to break on
purpose: every part a module needs, commitments, prose that reads easily and a guide with its minutes."""

from __future__ import annotations

import textwrap
from pathlib import Path

from grading.course.curriculum import module_parts
from grading.course.loading import load_course

from mini_module import QUIZ_YML, module_yml

COMMITMENTS = textwrap.dedent("""\
    - id: moten-1
      part: Del 2
      section: Varje möte ett genomtänkt möte
      text: "göra varje möte till ett genomtänkt möte"
    - id: moten-2
      part: Del 2
      section: Varje möte ett genomtänkt möte
      text: "ha talarlista på möten"
    - id: ledarskap-1
      part: Del 3
      section: Ett brett ledarskap
      text: "utbilda fler ledare"
    """)

# Plain prose: 8 sentences, 47 words, 3 of them long (talarlista, internfeminism, funktionsförmåga).
PROSE = " ".join(
    [
        "Vi har möte i kväll.",
        "Alla ska få tala lika.",
        "Vi för talarlista och ser vem.",
        "Det här är vår internfeminism nu.",
        "Ingen ska slås ut av sin funktionsförmåga.",
        "Vi tar en paus och fika.",
        "Sen tar vi nästa fråga här.",
        "Vi slutar i tid i kväll.",
    ]
)

GUIDE = textwrap.dedent("""\
    # Till dig som leder cirkeln

    Be någon föra talarstatistik. Använd talarlista. Den som inte har talat går först.

    ## Tid för varje del

    | Moment | Del | Minuter |
    | --- | --- | --- |
    | Öppna träffen | samtal | 10 |
    | Läs texten | läsning | 30 |
    | Paus (räknas inte) | paus | (15) |
    | Övningen | övning | 35 |
    | Reflektion | reflektion | 5 |
    | Avsluta träffen | samtal | 10 |
    | **Summa** | | **90** |

    ## Så öppnar du

    Hälsa alla välkomna.

    ## Så gör ni övningen

    Gör övningen två och två.

    ## Så avslutar du

    Tacka för i kväll.
    """)


def write_module(folder: Path, commitments: str = "[moten-1]") -> None:
    folder.mkdir(parents=True)
    (folder / "module.yml").write_text(module_yml(commitments=commitments), encoding="utf-8")
    # The first paragraph explains the module's commitments (the first samtalsfråga works with them).
    marker = f"<!-- åtagande: {commitments.strip('[]')} -->"
    (folder / "text.md").write_text(
        "# Ett prov\n\n" + marker + "\n" + "\n\n".join([PROSE] * 7) + "\n", encoding="utf-8"
    )
    (folder / "cirkelledare.md").write_text(GUIDE, encoding="utf-8")
    (folder / "fragor.yml").write_text(QUIZ_YML, encoding="utf-8")


def write_course(root: Path, course_id: str, modules: dict[str, str]) -> Path:
    folder = root / course_id
    folder.mkdir(parents=True)
    listed = "\n".join(f"  - {name}" for name in modules)
    (folder / "course.yml").write_text(
        f"id: {course_id}\ntitle: Kurs {course_id}\ndescription: En kurs.\nlanguage: sv\nmodules:\n{listed}\n",
        encoding="utf-8",
    )
    (folder / "commitments.yml").write_text(COMMITMENTS, encoding="utf-8")
    for name, commitments in modules.items():
        write_module(folder / name, commitments)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def parts_of(root: Path, course: str = "forsta", module: str = "01-prov"):
    loaded = load_course(root / course)
    return module_parts(loaded.module(module), loaded.commitments)


def two_courses(root: Path) -> Path:
    """Two small valid courses in ``root``: all parts there, one commitment left uncovered; and a folder that is none."""
    write_course(root, "forsta", {"01-prov": "[moten-1]", "02-andra": "[moten-1, moten-2]"})
    write_course(root, "andra", {"01-ett": "[moten-2]"})
    (root / "inte-en-kurs").mkdir()
    return root
