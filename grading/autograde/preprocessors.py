"""nbgrader preprocessors Cirkel adds to the autograde pipeline.

``FillReflections`` runs in ``Autograde.sanitize_preprocessors`` after
``OverwriteCells``: it copies the learner's reflection from the answer store
(``svar/<exercise_id>.json`` beside the submitted notebook) into the
notebook's manually graded answer cell, so formgrader shows the text for
grading and comments. The text is the learner's and so hostile: it goes in as
sanitised markdown that neither formgrader's renderer nor JupyterLab's can read
again as a link, a tag or an image (:func:`widgets.core.safe_text.markdown_cell`). A learner who wrote nothing leaves the cell as released,
and nbgrader's own checksum rule then scores it 0 without asking anyone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from widgets.core.i18n import t
from widgets.core.safe_text import markdown_cell
from widgets.storage.answers import AnswerStore
from widgets.storage.reflection import reflection_text

__all__ = ["FillReflections"]


class FillReflections(NbGraderPreprocessor):
    """Put each learner's reflection text into its manually graded answer cell."""

    store_dirname = Unicode(
        "svar",
        help="Folder beside the submitted notebook that holds the answer store.",
    ).tag(config=True)

    heading = Unicode(
        "",
        help="Markdown line above the learner's text; {prompt} is the reflection question. "
        "Empty means the translated default.",
    ).tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        folder = (resources.get("metadata") or {}).get("path") or "."
        self._svar_dir = Path(folder) / self.store_dirname
        return super().preprocess(nb, resources)

    def preprocess_cell(
        self, cell: NotebookNode, resources: ResourcesDict, index: int
    ) -> tuple[NotebookNode, ResourcesDict]:
        meta: dict[str, Any] = cell.get("metadata", {}).get("cirkel", {}) or {}
        exercise_id = meta.get("reflection")
        if cell.cell_type != "markdown" or not isinstance(exercise_id, str):
            return cell, resources
        text = reflection_text(exercise_id, AnswerStore(self._svar_dir)).strip()
        if not text:
            return cell, resources
        heading = (self.heading or t("reflection_fill.heading")).format(prompt=meta.get("prompt", ""))
        cell.source = f"{heading}\n\n{markdown_cell(text, 'cirkel-reflection-text')}"
        self.log.info("Filled reflection %s from the answer store", exercise_id)
        return cell, resources
