"""Every Cirkel setting, declared once: traitlets traits with their help, as nbgrader, Voilà and JupyterHub do.

Two configurables. :class:`CirkelSettings` is what a server, a kernel and the ``cirkel``
command are told about where they run: Jupyter hands those on only through the
environment (a spawner's ``environment``, a KubeSpawner pod's ``env``, a kernel's
environment inherited from its server), so each takes its default from the variable
named in its ``env`` tag (:mod:`widgets.core.setting_env`). :class:`CirkelHubSettings` is the
hub's own configuration: its address and internal ports are set in the hub's config
file (``c.CirkelHubSettings.port = 8000``) or on its command line
(``--CirkelHubSettings.port=8000``, what ``cirkel serve --hub`` passes); its folders and
database also come from the environment, which the ``cirkel`` command on the hub's
machine shares with the hub.

A value in a config object wins over the environment. Each trait's ``help`` is the
string table's ``settings.<trait>`` (the ``cirkel config`` listing shows it); a bad value
is a :class:`~widgets.core.errors.CirkelError` naming the setting. Two readers take the variable
as the trait's default does, through :func:`widgets.core.setting_env.passed`, without building the
configurable: the string table's language (``cirkel --help`` loads no traitlets) and the live
apps' poll of where their store is (``grading.circles.group_quiz.db``); every other reader asks
:func:`cirkel_settings` or :func:`hub_settings`. docs/configuration.md says who sets each.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar

from traitlets import Integer, List, TraitError, Unicode, default
from traitlets.config import Config, Configurable

from widgets.core.errors import CirkelError
from widgets.core.i18n import t
from widgets.core.setting_env import (
    COMMITMENTS_ENV,
    FACIT_ENV,
    GALLERY_DIR_ENV,
    GRADEBOOK_URL_ENV,
    HUB_DB_ENV,
    HUB_DIR_ENV,
    KEY_DIR_ENV,
    LANG_ENV,
    LEARNER_ENV,
    LIVE_DB_ENV,
    ROLE_ENV,
    RUN_ENV,
    RUN_LEADERS_ENV,
    SVAR_DIR_ENV,
    VIEWER_ENV,
    passed,
)

__all__ = [
    "CirkelSettings",
    "CirkelHubSettings",
    "SETTINGS_CLASSES",
    "LEARNER_MAX_CHARS",
    "cirkel_settings",
    "hub_settings",
]

#: the longest ``learner`` setting (a pod's environment variable) a learner's pod reads: every run
#: she is on the roster of, with its title, fits many times over; the hub leaves out runs beyond it
LEARNER_MAX_CHARS = 16_384

_Settings = TypeVar("_Settings", bound=Configurable)


def _help(name: str) -> str:
    return t(f"settings.{name}")


def _from_env(name: str) -> Any:
    """A dynamic default for trait ``name``: its ``env`` variable (split on its ``sep``), else its static default."""

    def value(self: Configurable) -> Any:
        trait = self.traits()[name]
        text = passed(trait.metadata["env"])
        if text is None:
            return trait.default()  # the static default (a fresh list for a List)
        sep = trait.metadata.get("sep")
        return [part.strip() for part in text.split(sep) if part.strip()] if sep else text

    return default(name)(value)


def _text(name: str, env: str, fallback: str | None = None) -> Any:
    """A text setting from ``env``; unset is ``None`` unless it has a ``fallback``."""
    if fallback is None:
        return Unicode(None, allow_none=True, help=_help(name)).tag(config=True, env=env)
    return Unicode(fallback, help=_help(name)).tag(config=True, env=env)


class _Bounded(Unicode):
    """Text of at most ``most`` characters: a longer value is no value the setting's writer makes."""

    def __init__(self, most: int, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.most = most

    def validate(self, obj: Any, value: Any) -> Any:
        value = super().validate(obj, value)
        if value is not None and len(value) > self.most:
            raise TraitError(f"{self.name}: {len(value)} characters, at most {self.most}")
        return value


def _names(name: str, env: str, sep: str) -> Any:
    return List(Unicode(), help=_help(name)).tag(config=True, env=env, sep=sep)


def _port(name: str, fallback: int | None) -> Any:
    if fallback is None:
        return Integer(None, allow_none=True, min=1, max=65535, help=_help(name)).tag(config=True)
    return Integer(fallback, min=1, max=65535, help=_help(name)).tag(config=True)


class CirkelSettings(Configurable):
    """Where a Cirkel server, kernel or command runs, as the process that started it says."""

    lang = _text("lang", LANG_ENV, "sv")
    run = _text("run", RUN_ENV)
    run_leaders = _names("run_leaders", RUN_LEADERS_ENV, ",")
    viewer = _text("viewer", VIEWER_ENV)
    answer_key_dirs = _names("answer_key_dirs", FACIT_ENV, os.pathsep)
    answers_dir = _text("answers_dir", SVAR_DIR_ENV)
    live_db = _text("live_db", LIVE_DB_ENV)
    gradebook_url = _text("gradebook_url", GRADEBOOK_URL_ENV)
    role = _text("role", ROLE_ENV)
    learner = _Bounded(LEARNER_MAX_CHARS, None, allow_none=True, help=_help("learner")).tag(
        config=True, env=LEARNER_ENV
    )
    gallery_dir = _text("gallery_dir", GALLERY_DIR_ENV)
    commitments = _text("commitments", COMMITMENTS_ENV)

    _lang_default = _from_env("lang")
    _run_default = _from_env("run")
    _run_leaders_default = _from_env("run_leaders")
    _viewer_default = _from_env("viewer")
    _answer_key_dirs_default = _from_env("answer_key_dirs")
    _answers_dir_default = _from_env("answers_dir")
    _live_db_default = _from_env("live_db")
    _gradebook_url_default = _from_env("gradebook_url")
    _role_default = _from_env("role")
    _learner_default = _from_env("learner")
    _gallery_dir_default = _from_env("gallery_dir")
    _commitments_default = _from_env("commitments")


class CirkelHubSettings(Configurable):
    """The hub on one machine: its folders and database, its address and internal ports."""

    hub_dir = _text("hub_dir", HUB_DIR_ENV)
    hub_db = _text("hub_db", HUB_DB_ENV)
    key_dir = _text("key_dir", KEY_DIR_ENV)
    ip = Unicode("127.0.0.1", help=_help("ip")).tag(config=True)
    port = _port("port", 8000)
    hub_api_port = _port("hub_api_port", None)
    proxy_api_port = _port("proxy_api_port", None)

    _hub_dir_default = _from_env("hub_dir")
    _hub_db_default = _from_env("hub_db")
    _key_dir_default = _from_env("key_dir")

    @default("hub_api_port")
    def _hub_api_port_default(self) -> int:
        return int(self.port) + 81  # JupyterHub's own 8081 beside 8000: two hubs on two ports do not collide

    @default("proxy_api_port")
    def _proxy_api_port_default(self) -> int:
        return int(self.port) + 1


#: what ``cirkel config`` lists, in this order
SETTINGS_CLASSES: tuple[type[Configurable], ...] = (CirkelSettings, CirkelHubSettings)


def cirkel_settings(config: Config | None = None) -> CirkelSettings:
    """The settings as this process's environment and ``config`` (a config file's ``c``) say now."""
    return _made(CirkelSettings, config)


def hub_settings(config: Config | None = None) -> CirkelHubSettings:
    """The hub's settings as its config object ``config`` and this process's environment say now."""
    return _made(CirkelHubSettings, config)


def _made(cls: Callable[..., _Settings], config: Config | None) -> _Settings:
    """``cls`` from ``config``, every trait read once, so that a bad value is a ``CirkelError`` here, naming it."""
    name = getattr(cls, "__name__", "")
    try:
        made = cls(config=config) if config is not None else cls()
        for trait in made.trait_names(config=True):
            getattr(made, trait)
        return made
    except TraitError:
        section = config.get(name, {}) if config is not None else {}
        for key, value in section.items():
            try:
                getattr(cls(config=Config({name: {key: value}})), key)
            except TraitError:
                raise CirkelError.from_key("settings.bad_value", setting=f"{name}.{key}", value=value) from None
        raise
