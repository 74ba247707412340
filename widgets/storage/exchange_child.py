"""nbgrader's exchange (hand in, fetch feedback) run in a short-lived child process.

Importing anything of nbgrader imports all of it (its package pulls in its Jupyter Server
extensions, nbconvert, SQLAlchemy and Alembic): some 50 MiB that a page's kernel would keep for
as long as the learner's page stays open, in every learner's kernel. The child does the one call
with nbgrader's own ``ExchangeSubmit`` or ``ExchangeFetchFeedback`` and ends; the page's kernel
keeps only the answer. It costs the same import once per call instead of once per kernel.

The parent (:func:`call`) sends the learner and the module as JSON on the child's standard input
and reads one JSON object back from its last line of standard output; nbgrader's refusals come
back as a ``problem`` the caller turns into Swedish.

A kernel forked by the hub's server zygote has a socket to it instead (its number in
:data:`EXCHANGE_FD_ENV`): the zygote, which has imported nbgrader once for every learner, forks the
child, which gives the same answer (:func:`answer`) on that socket. A hand-in then costs a fork, not
a Python that imports nbgrader (about a second of CPU, in every learner's hand-in at once when a
circle hands in together). When the zygote is gone, the child is started as above.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, Protocol

from widgets.core.errors import CirkelError
from widgets.core.setting_env import EXCHANGE_FD_ENV

__all__ = ["EXCHANGE_SECONDS", "ExchangeProblem", "answer", "call", "main"]


#: a child that has not answered in this long is stopped and the call counts as failed
EXCHANGE_SECONDS = 120
#: the most of the child's answer that is read (a timestamp or a short reason)
ANSWER_BYTES = 64_000
#: nbgrader ignores these in a module folder when it hands in (editor leftovers, fetched feedback)
SUBMIT_IGNORE = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".*.tmp"]
CACHE_DIRNAME = ".nbgrader-cache"


class Whom(Protocol):
    """Who hands in or fetches, and where (``widgets.storage.submission.Learner``, which imports this module)."""

    @property
    def student_id(self) -> str: ...
    @property
    def course_id(self) -> str: ...
    @property
    def exchange_root(self) -> Path: ...
    @property
    def workspace(self) -> Path: ...


class ExchangeProblem(CirkelError):
    """The child said no or did not answer: ``kind`` is ``not_released`` or ``failed``, ``reason`` its words."""

    def __init__(self, kind: str, reason: str = "") -> None:
        super().__init__(kind, reason)
        self.kind = kind
        self.reason = reason


def call(verb: str, learner: Whom, modules: list[str]) -> dict[str, Any]:
    """Run ``verb`` (``submit`` or ``fetch_feedback``) for ``modules`` in a child; its answer, or ``ExchangeProblem``."""
    request = {
        "verb": verb,
        "modules": modules,
        "learner": {
            "student_id": learner.student_id,
            "course_id": learner.course_id,
            "exchange_root": str(learner.exchange_root),
            "workspace": str(learner.workspace),
        },
    }
    answered = _ask_the_zygote(request)
    if answered is not None:
        return _answer_or_problem(answered)
    try:
        done = subprocess.run(
            [sys.executable, "-m", __name__],
            input=json.dumps(request),
            capture_output=True,
            text=True,
            timeout=EXCHANGE_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ExchangeProblem("failed", "timeout") from None
    except OSError as exc:
        raise ExchangeProblem("failed", exc.strerror or str(exc)) from None
    lines = done.stdout[-ANSWER_BYTES:].strip().splitlines()
    try:
        reply = json.loads(lines[-1]) if lines else None
    except ValueError:
        reply = None
    if not isinstance(reply, dict):
        sys.stderr.write(done.stderr[-2000:])  # the server's log says why; the learner gets a sentence
        raise ExchangeProblem("failed", f"exit {done.returncode}")
    return _answer_or_problem(reply)


def _answer_or_problem(reply: dict[str, Any]) -> dict[str, Any]:
    if "problem" in reply:
        raise ExchangeProblem(str(reply["problem"]), str(reply.get("reason") or ""))
    return reply


_zygote: socket.socket | None = None
_zygote_lock = threading.Lock()


def _ask_the_zygote(request: dict[str, Any]) -> dict[str, Any] | None:
    """The answer of a child the hub's server zygote forked; ``None`` if this kernel has no zygote (any more).

    One exchange at a time per kernel: the children answer on the one socket.
    """
    global _zygote
    with _zygote_lock:
        if _zygote is None:
            fd = os.environ.pop(EXCHANGE_FD_ENV, None)  # nothing this kernel starts needs to know it
            if fd is None or not fd.isdigit():
                return None
            try:
                _zygote = socket.socket(fileno=int(fd))
            except OSError:
                return None
        line = json.dumps({"exchange": request, "env": dict(os.environ), "cwd": os.getcwd()}) + "\n"
        try:
            _zygote.settimeout(EXCHANGE_SECONDS)
            _zygote.sendall(line.encode())
        except OSError:  # the zygote has gone (the hub restarted): a child of this kernel does it
            _zygote.close()
            _zygote = None
            return None
        received = b""
        problem = None
        try:
            while not received.endswith(b"\n") and len(received) < ANSWER_BYTES:
                data = _zygote.recv(ANSWER_BYTES)
                if not data:
                    break
                received += data
        except TimeoutError:
            problem = ExchangeProblem("failed", "timeout")
        except OSError as exc:
            problem = ExchangeProblem("failed", exc.strerror or str(exc))
        if problem is not None or not received.endswith(b"\n"):
            # a late answer must never be read as the next hand-in's: this kernel's later ones start a child
            _zygote.close()
            _zygote = None
        if problem is not None:
            raise problem
    try:
        reply = json.loads(received)
    except ValueError:
        reply = None
    if not isinstance(reply, dict):
        raise ExchangeProblem("failed", "the hand-in's child gave no answer")
    return reply


# --- the child's side: everything below imports nbgrader, and runs only in the child ---


def _config(learner: dict[str, str]) -> Any:
    from traitlets.config import Config

    cfg = Config()
    cfg.Exchange.root = learner["exchange_root"]
    cfg.Exchange.path_includes_course = True
    cfg.Exchange.cache = str(Path(learner["workspace"]) / CACHE_DIRNAME)
    cfg.ExchangeSubmit.strict = True
    cfg.CourseDirectory.ignore = SUBMIT_IGNORE
    return cfg


def _exchange(kind: Any, learner: dict[str, str], module: str) -> Any:
    import logging

    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory

    cfg = _config(learner)
    coursedir = CourseDirectory(
        config=cfg, course_id=learner["course_id"], assignment_id=module, student_id=learner["student_id"]
    )
    app = kind(coursedir=coursedir, authenticator=Authenticator(config=cfg), config=cfg)
    app.assignment_dir = learner["workspace"]
    app.log.setLevel(logging.ERROR)
    return app


def _submit(learner: dict[str, str], module: str) -> dict[str, Any]:
    from nbgrader.exchange import ExchangeError
    from nbgrader.exchange.default import ExchangeSubmit

    submitter = _exchange(ExchangeSubmit, learner, module)
    try:
        submitter.start()
    except ExchangeError:
        return {"problem": "not_released"}
    except (OSError, RuntimeError) as exc:
        return {"problem": "failed", "reason": getattr(exc, "strerror", None) or str(exc)}
    return {"timestamp": submitter.timestamp}


def _fetch_feedback(learner: dict[str, str], modules: list[str]) -> dict[str, Any]:
    """Fetch each module's released feedback; nothing released, or an exchange problem, is left for the next try."""
    from nbgrader.exchange import ExchangeError
    from nbgrader.exchange.default import ExchangeFetchFeedback

    fetched = []
    for module in modules:
        try:
            _exchange(ExchangeFetchFeedback, learner, module).start()
            fetched.append(module)
        except (ExchangeError, OSError):
            continue
    return {"fetched": fetched}


def answer(request: dict[str, Any]) -> dict[str, Any]:
    """The child's answer to ``request`` (what :func:`call` sends): nbgrader's result, or a ``problem``."""
    try:
        verb, learner, modules = request["verb"], request["learner"], [str(m) for m in request["modules"]]
        if verb == "submit" and len(modules) == 1:
            return _submit(learner, modules[0])
        if verb == "fetch_feedback":
            return _fetch_feedback(learner, modules)
        return {"problem": "failed", "reason": "unknown request"}
    except (ValueError, KeyError, TypeError) as exc:
        return {"problem": "failed", "reason": type(exc).__name__}


def main() -> None:
    """The child: one request on standard input, one JSON answer on the last line of standard output."""
    try:
        request = json.loads(sys.stdin.read(ANSWER_BYTES))
    except ValueError as exc:
        print(json.dumps({"problem": "failed", "reason": type(exc).__name__}), flush=True)
        return
    print(json.dumps(answer(request)), flush=True)


if __name__ == "__main__":
    main()
