"""Her next module, preheated while she reads "Mina moduler".

A learner's own server preheats her landing page only (``grading.servers.voila_settings``): which
module she opens is hers to choose, and preheating the first by name at every login ran a whole
module for nothing for most of them. Once her landing page is handed over, though, her answers say
which module she will most likely open next: the first she has begun, else the first not begun
(``widgets.storage.module_states.next_module``). :class:`NextModuleGuess`, a mixin of
``grading.servers.preheat_manager.PreheatKernelManager``, preheats that one, a couple of seconds
after the handover (the landing page's own work done first), in a pool of its own:

- opened after that, her module's page comes from the kernel that has run it (handed over as any
  pool kernel, her answers read again);
- opened while its kernel still waits to start, it starts cold at once, not held back by the wait;
- a page of any other notebook lets the guess go, and a kernel started for it is shut: nothing
  waits for a page she did not open;
- on a busy machine (a circle logging in at once) nothing is guessed: a wrong guess would take
  the cores from the pages they open.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

from traitlets import Float, Unicode
from traitlets.config import LoggingConfigurable

__all__ = ["NextModuleGuess", "load_per_core"]


def load_per_core() -> float:
    """The machine's load average over the last minute, per core (0 where the system does not say)."""
    try:
        return os.getloadavg()[0] / (os.cpu_count() or 1)
    except OSError:
        return 0.0


class NextModuleGuess(LoggingConfigurable):
    """Mixin for Voilà's pooling kernel manager: a pool for her next module after her landing page."""

    next_module_after = Unicode(
        "",
        help="A notebook (relative to the root: a learner's 'mina-moduler.ipynb') after whose handover the "
        "module its learner will most likely open next is preheated, next_module_delay later (the first she "
        "has begun, else the first not begun). A page of that module opened before its kernel has begun to "
        "start is started cold, and a page of any other notebook drops the guess. Empty: none.",
    ).tag(config=True)
    next_module_delay = Float(
        2.0, help="Seconds after the handover of next_module_after before her next module's kernel starts."
    ).tag(config=True)
    next_module_max_load = Float(
        1.0,
        help="No next module is preheated while the machine's load average over the last minute is this "
        "much or more per core: a circle logging in at once needs the cores for the pages they open, and "
        "a wrong guess would take from them.",
    ).tag(config=True)

    _guess: str | None = None  # the notebook preheated as her next module
    _guessing: asyncio.TimerHandle | None = None  # the guess to come, next_module_delay after a handover

    def guess_after(self, notebook_name: str) -> None:
        """After a handover of ``notebook_name``: if it is her landing page, guess her next module soon."""
        if not self.next_module_after or notebook_name != self.next_module_after:
            return
        self.forget_guess()
        self._guessing = asyncio.get_running_loop().call_later(
            self.next_module_delay, self._preheat_next_module, notebook_name
        )

    def guess_gives_way(self, notebook_name: str) -> bool:
        """Before a page of ``notebook_name`` is served: whether it must start cold (its guess still waits to start).

        A page of another notebook than her landing page cancels a guess to come and lets a guess made go.
        """
        manager: Any = self
        if notebook_name != self.next_module_after and self._guessing is not None:
            self._guessing.cancel()  # she opened a page before her next module was guessed
            self._guessing = None
        if self._guess is not None and notebook_name not in (self._guess, self.next_module_after):
            self._drop_guess()
        elif notebook_name == self._guess and all(
            not task.done() and task not in manager._starting for task in manager._pools.get(notebook_name, [])
        ):
            self._drop_guess()
            return True
        return False

    def guess_taken(self, notebook_name: str) -> None:
        """A pool kernel of ``notebook_name`` is handed over: if it was the guess, it is one no more."""
        if notebook_name == self._guess:
            self._guess = None

    def forget_guess(self) -> None:
        """No guess to come (the server stops, or a new handover of her landing page)."""
        if self._guessing is not None:
            self._guessing.cancel()
            self._guessing = None

    def _preheat_next_module(self, home: str) -> None:
        """Preheat the module of the learner whose home is ``home``, if a kernel may still wait."""
        from widgets.storage.module_states import module_states, next_module
        from widgets.storage.submission import SubmitError, find_learner

        manager: Any = self
        self._guessing = None
        if manager._stopping or load_per_core() >= self.next_module_max_load:
            return
        root = Path(manager.root_dir).resolve()
        try:
            learner = find_learner((root / home).parent)
            status = next_module(module_states(learner))
            if status is None:
                return  # every module handed in
            name = (learner.workspace / status.notebook).resolve().relative_to(root).as_posix()
        except (SubmitError, OSError, ValueError):  # no learner here, or her module outside the root
            return
        if manager._pools.get(name) or sum(len(pool) for pool in manager._pools.values()) >= manager.max_kernels:
            return
        self._guess = name
        manager.kernel_pools_config[name] = {"pool_size": 1}
        manager.fill_if_needed(delay=0, notebook_name=name)
        self.log.info("Cirkel: preheating %s, the module she will most likely open next", name)

    def _drop_guess(self) -> None:
        """Give up the preheated next module: a kernel still waiting to start is not started, a started one is shut."""
        manager: Any = self
        name, self._guess = self._guess, None
        if name is None:
            return
        self.log.info("Cirkel: %s was not the next module opened: its preheated kernel is let go", name)
        manager.kernel_pools_config.pop(name, None)
        for task in manager._pools.pop(name, []):
            if not task.done() and task not in manager._starting:
                task.cancel()
                continue
            task.add_done_callback(self._shut_when_ready)

    def _shut_when_ready(self, task: asyncio.Task[Any]) -> None:
        if task.cancelled() or task.exception() is not None:
            return
        manager: Any = self
        kernel_id = task.result().get("kernel_id")
        if kernel_id in manager:
            asyncio.ensure_future(manager.shutdown_kernel(kernel_id))
