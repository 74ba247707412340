"""Where a run's talarstatistik content is: the first module with a ``SpeakerStats`` exercise."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from widgets.core.i18n import t, yaml_data
from widgets.models.content import ContentError
from widgets.models.speaker_stats import parse_settings
from widgets.storage.live_speaker.records import LiveSpeakerError

_WIDGET = "SpeakerStats"


def find_run_settings(run_dir: str | os.PathLike[str]) -> tuple[str, dict[str, Any]]:
    """The talarstatistik content of the run's course: ``(path relative to the run, content)``.

    The first module (in teaching order) with a ``SpeakerStats`` exercise
    gives it, from ``<run>/source/<module>/<content>.yml``. A run without one,
    or with a file that does not validate, gets a ``LiveSpeakerError`` naming
    what is wrong.
    """
    root = Path(run_dir)
    modules: list[str] = []
    info_file = root / "cirkel-run.yml"
    try:
        info = yaml_data(info_file.read_text(encoding="utf-8")) if info_file.is_file() else {}
        if isinstance(info, dict) and isinstance(info.get("modules"), list):
            modules = [str(m) for m in info["modules"]]
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        modules = []
    source = root / "source"
    if not modules and source.is_dir():
        modules = sorted(p.name for p in source.iterdir() if (p / "module.yml").is_file())
    for module in modules:
        module_file = source / module / "module.yml"
        try:
            data = yaml_data(module_file.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError, UnicodeDecodeError):
            continue
        exercises = data.get("exercises") if isinstance(data, dict) else None
        for exercise in exercises if isinstance(exercises, list) else []:
            if isinstance(exercise, dict) and exercise.get("widget") == _WIDGET and exercise.get("content"):
                path = source / module / str(exercise["content"])
                relative = path.relative_to(root).as_posix()
                try:
                    raw = yaml_data(path.read_text(encoding="utf-8"))
                    parse_settings(raw, relative)
                except ContentError as exc:
                    raise LiveSpeakerError(t("livespeaker.bad_settings", reason=str(exc))) from None
                except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
                    raise LiveSpeakerError(t("livespeaker.bad_settings", reason=f"{relative}: {exc}")) from None
                return relative, raw
    raise LiveSpeakerError(t("livespeaker.no_settings"))
