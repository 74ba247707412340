"""The server side of :mod:`grading.servers.preheat`: Voilà's kernel pools in a Jupyter server.

Voilà's ``voila_kernel_manager_factory`` turns a kernel manager into one with a
pool of preheated kernels per notebook, but expects the standalone ``voila``
app as its parent (its template paths, its Voilà configuration, its settings).
:class:`PreheatKernelManager` gives it what a Jupyter server with the Voilà
extension has instead, fills pools only for the configured notebooks, and
hands a kernel over to the learner (:func:`grading.servers.preheat.handover`) before
Voilà sends the page.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jupyter_server._tz import utcnow
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Bool, Float, Int, List, TraitError, Unicode, validate
from voila.configuration import VoilaConfiguration
from voila.paths import collect_template_paths
from voila.request_info_handler import RequestInfoSocketHandler
from voila.utils import ENV_VARIABLE, get_page_config
from voila.voila_kernel_manager import voila_kernel_manager_factory

from grading.servers.app_kernels import AppKernelArguments
from grading.servers.kernel_cap import PageKernelCap
from grading.servers.next_module import NextModuleGuess
from grading.servers.page_render import EndingRenderer
from grading.servers.page_snapshot import keep_state, redraw

__all__ = ["PreheatKernelManager", "pooled_notebooks"]

#: At most this many kernels wait in all pools together by default: each idles at
#: some 60 to 80 MB, and starting them costs the two cores of a small server.
DEFAULT_MAX_KERNELS = 4

#: What the server runs in a pool kernel at handover (``{url!r}``: the request's address).
HANDOVER_CODE = (
    "import grading.servers.preheat as _cirkel_preheat\n_cirkel_preheat.handover({url!r})\ndel _cirkel_preheat"
)

#: Voilà's pooling kernel manager on jupyter_server's kernel manager, with no pool by default.
_VoilaPools: type = voila_kernel_manager_factory(AsyncMappingKernelManager, True, 0)


def pooled_notebooks(
    root: str | os.PathLike[str], patterns: list[str], pool_size: int, max_kernels: int
) -> dict[str, int]:
    """The notebooks that get a pool, as ``{path relative to root: pool size}``.

    Patterns are taken in order; within one pattern, notebooks are ordered by
    file name and then path, so a cap covers every learner's first module
    before anyone's second. Nothing in a hidden folder (checkpoints, caches) gets a pool. The pools together
    hold at most ``max_kernels`` kernels.
    """
    base = Path(root)
    chosen: dict[str, int] = {}
    budget = max(max_kernels, 0)
    for pattern in patterns:
        found = [
            p
            for p in base.glob(pattern)
            if p.is_file()
            and p.suffix == ".ipynb"
            and not any(part.startswith(".") for part in p.relative_to(base).parts)
        ]
        for notebook in sorted(found, key=lambda p: (p.name, p.as_posix())):
            name = notebook.relative_to(base).as_posix()
            if name in chosen:
                continue
            size = min(pool_size, budget)
            if size <= 0:
                return chosen
            chosen[name] = size
            budget -= size
    return chosen


def _has_activity_markers(kernel: Any) -> bool:
    """Whether jupyter_server has given the kernel its ``last_activity`` (a trait without default until then)."""
    try:
        return kernel.last_activity is not None
    except (AttributeError, TraitError):
        return False


class PreheatKernelManager(NextModuleGuess, PageKernelCap, AppKernelArguments, _VoilaPools):
    """jupyter_server's kernel manager with Voilà's preheated pools for chosen notebooks.

    Set it as ``ServerApp.kernel_manager_class``. Kernels JupyterLab starts are
    plain kernels; Voilà takes a pool kernel when the requested notebook has a
    ready one and starts a cold kernel otherwise. A page's kernel, cold or
    handed over from a pool, counts towards ``max_page_kernels``
    (``grading.servers.kernel_cap``); the kernels waiting in the pools do not, and the
    culler never shuts them (Voilà's ``cull_kernel_if_idle`` skips them).
    """

    preheat_notebooks = List(
        Unicode(),
        default_value=[],
        help="Glob patterns, relative to the server's root, of the notebooks that get a pool of "
        "preheated kernels (a pool per notebook path), in order of priority.",
    ).tag(config=True)
    pool_size = Int(1, help="Kernels kept ready for each chosen notebook.").tag(config=True)
    max_kernels = Int(
        DEFAULT_MAX_KERNELS,
        help="At most this many kernels wait in all pools together; further notebooks start cold. "
        "Each idle kernel holds some 60-80 MB.",
    ).tag(config=True)
    fill_delay = Float(
        5.0,
        help="Seconds after a kernel is handed over before its replacement starts: the learner's page "
        "loads and draws its widgets first, without a kernel start competing for the cores.",
    ).tag(config=True)
    refill = Bool(
        True,
        help="Start a replacement after a kernel is handed over. Off where each notebook is opened once "
        "(a learner's own server and its landing page): a replacement would wait, unused, for the "
        "rest of the session.",
    ).tag(config=True)
    handover_timeout = Float(
        60.0, help="Seconds the handover (answers read again) may take before the page is sent anyway."
    ).tag(config=True)

    @validate("pool_size", "max_kernels")
    def _not_negative(self, proposal: dict[str, Any]) -> int:
        value = int(proposal["value"])
        if value < 0:
            raise ValueError(f"{proposal['trait'].name} must be 0 or more, not {value}")
        return value

    def __init__(self, **kwargs: Any) -> None:
        # jupyter_server's own start, not Voilà's: Voilà would start a pool for every
        # notebook below the root (``rglob``), and reads a standalone Voilà app as parent.
        super(_VoilaPools, self).__init__(**kwargs)  # type: ignore[arg-type]  # skip Voilà's __init__
        self._wait_at_startup = True
        self.notebook_data: dict[str, Any] = {}
        self._pools: dict[str, list[Any]] = {}
        self.notebook_path = None
        self._renderer_context: dict[str, Any] | None = None
        self._stopping = False
        self._starting: set[asyncio.Task[Any]] = set()  # pool tasks past their delay, starting a kernel
        parent = self.parent
        if parent is not None and not hasattr(parent, "server_url"):
            # Voilà's pool filler reads the app's server_url; the Jupyter server's is its base_url
            parent.server_url = parent.base_url
        pools = pooled_notebooks(self.root_dir, list(self.preheat_notebooks), self.pool_size, self.max_kernels)
        self.kernel_pools_config = {"default": {"pool_size": 0}} | {
            name: {"pool_size": size} for name, size in pools.items()
        }
        for name in pools:
            self.fill_if_needed(delay=0, notebook_name=name)
        if pools:
            self.log.info("Cirkel: preheating %d kernel(s) for %d notebook(s)", sum(pools.values()), len(pools))

    # -- Voilà's pools, given what a Jupyter server with the Voilà extension has ---------------
    @property
    def _server(self) -> Any:
        """The Jupyter server application this manager belongs to (its ``parent``, set by then)."""
        return self.parent

    def _notebook_renderer_factory(self, notebook_path: str | None = None) -> EndingRenderer:
        """Voilà's renderer, set up as the Voilà extension's handler sets it up for a cold start."""
        context = self._context()
        settings = context["settings"]
        page_config_kwargs = {
            "base_url": self._server.base_url,
            "settings": settings,
            "log": self.log,
            "voila_configuration": context["voila_configuration"],
        }
        page_config = get_page_config(**page_config_kwargs)
        hook = context["voila_configuration"].page_config_hook
        if hook:  # as Voilà's handler calls it for a page with a new kernel
            page_config = hook(page_config, **page_config_kwargs, notebook_path=notebook_path)
        return EndingRenderer(
            voila_configuration=context["voila_configuration"],
            traitlet_config=self._server.config,
            notebook_path=notebook_path,
            template_paths=context["template_paths"],
            config_manager=settings.get("config_manager"),
            contents_manager=settings.get("contents_manager"),
            base_url=self._server.base_url,
            kernel_spec_manager=self.kernel_spec_manager,
            page_config=page_config,
            mathjax_config=settings.get("mathjax_config"),
            mathjax_url=settings.get("mathjax_url"),
        )

    def _context(self) -> dict[str, Any]:
        # made when the first pool kernel is rendered: the web application exists by then
        if self._renderer_context is None:
            voila_configuration = VoilaConfiguration(parent=self.parent)
            self._renderer_context = {
                "voila_configuration": voila_configuration,
                "template_paths": collect_template_paths(["voila", "nbconvert"], voila_configuration.template),
                "settings": self._server.web_app.settings,
            }
        return self._renderer_context

    def get_pool_size(self, notebook_name: str) -> int:
        """Ready kernels for ``notebook_name``; none once the notebook is gone (e.g. erased).

        The guess of her next module gives way: to another page she opens (its kernel is shut),
        and to its own page opened while its kernel still waits to start (a cold start is sooner).
        """
        if self.guess_gives_way(notebook_name):
            return 0
        if self._pools.get(notebook_name) and not (Path(self.root_dir) / notebook_name).is_file():
            return 0
        return super().get_pool_size(notebook_name)

    def fill_if_needed(
        self,
        delay: float | None = None,
        notebook_name: str | None = None,
        extra_kernel_env_variables: dict | None = None,
        **kwargs: Any,
    ) -> None:
        if self._stopping:  # no refill while the server stops: it would start kernels only to shut them down
            return None
        # Voilà passes the previous request's address on to the refill: a new kernel knows none
        return super().fill_if_needed(delay=delay, notebook_name=notebook_name, extra_kernel_env_variables={}, **kwargs)

    async def shutdown_all(self, *args: Any, **kwargs: Any) -> None:
        """Shut down at once: refills still waiting out their delay are dropped, not awaited.

        Voilà's own waits for every pool task, so a server stopped a few seconds after a
        handover waited out the refill's delay, started a kernel, and shut it down again.
        """
        self._stopping = True
        self.forget_guess()
        for pool in self._pools.values():
            for task in [t for t in pool if not t.done() and t not in self._starting]:
                pool.remove(task)  # when its delay ends, _initialize below refuses to start a kernel
                task.add_done_callback(lambda t: t.cancelled() or t.exception())  # that refusal is expected
        await super().shutdown_all(*args, **kwargs)

    async def _initialize(self, notebook_path: str, kernel_id: str | None = None, **kwargs: Any) -> dict[str, Any]:
        if self._stopping:
            raise RuntimeError("the server is stopping: no kernel is preheated")
        task = asyncio.current_task()
        if task is not None:
            self._starting.add(task)
            task.add_done_callback(self._starting.discard)
        content = await super()._initialize(notebook_path, kernel_id, **kwargs)

        def ready(task: Any) -> None:
            if not task.cancelled() and task.exception() is None:
                self.log.info("Cirkel: preheated kernel %s has run %s", content["kernel_id"], notebook_path)

        content["task"].add_done_callback(ready)
        return content

    async def get_rendered_notebook(
        self, notebook_name: str, extra_kernel_env_variables: dict | None = None, **kwargs: Any
    ) -> tuple[Any, list[str], str]:
        """Take a pool kernel for the request and hand it over before the page is sent.

        As Voilà's own, except that the kernel first finishes the notebook (a kernel
        still preheating is waited for: the page needs every cell anyway) and then
        runs the handover, the notebook's last step, before anything is sent.
        """
        if notebook_name is None:
            raise NameError("Notebook name must be provided!")
        if not self._pools.get(notebook_name):
            raise Exception(f"Kernel pool for {notebook_name} is empty!")
        self.check_page_kernels()  # one page too many: refused before a pool kernel is taken
        self.guess_taken(notebook_name)
        content = await self._pools[notebook_name].pop(0)
        renderer, render_task, kernel_id = content["renderer"], content["task"], content["kernel_id"]
        # out of the pool, not yet connected and idle since it was preheated: active from now, or the
        # culler could take it between the pool and the page
        self.get_kernel(kernel_id).last_activity = utcnow()
        self.count_page_kernel(kernel_id)
        self.log.info("Using pre-heated kernel: %s for %s", kernel_id, notebook_name)
        if self.refill:
            self.fill_if_needed(delay=None, notebook_name=notebook_name)
        await render_task  # all cells run and rendered into renderer.rendered_cache
        request_url = dict(extra_kernel_env_variables or {}).get(ENV_VARIABLE.VOILA_REQUEST_URL, "")
        executor = getattr(renderer, "executor", None)
        states: dict[str, dict[str, Any]] = executor.widget_state if executor is not None else {}
        updates: list[Any] = []
        await self.hand_over(kernel_id, request_url, on_message=updates.append)
        renderer.stop_generator = True
        for message in updates:
            keep_state(states, message)
        drawn = getattr(renderer, "snapshot_outputs", {})
        if updates and drawn:
            # the drawing of her saved page shows her answers as the handover read them, not the pool's
            renderer.rendered_cache[:] = redraw(renderer.rendered_cache, drawn, states)
        self.guess_after(notebook_name)
        return render_task, renderer.rendered_cache, kernel_id

    async def hand_over(
        self, kernel_id: str, request_url: str, on_message: Callable[[dict[str, Any]], None] | None = None
    ) -> bool:
        """Run :func:`grading.servers.preheat.handover` in the kernel; ``False`` (and logged) if it failed.

        Runs after the notebook's last cell, before the page is sent. ``on_message`` gets each
        message the handover made on the kernel's iopub channel (the widgets' updates).
        """
        client = self.get_kernel(kernel_id).client()
        client.start_channels()
        try:
            reply = await client.execute_interactive(
                HANDOVER_CODE.format(url=request_url),
                silent=True,
                store_history=False,
                allow_stdin=False,
                timeout=self.handover_timeout,
                output_hook=on_message or (lambda _msg: None),
            )
        except Exception as exc:  # the page is still sent; the log says why answers may be old
            self.log.error("Cirkel: handover of kernel %s failed: %s", kernel_id, exc)
            return False
        finally:
            client.stop_channels()
        content = reply.get("content", {})
        if content.get("status") != "ok":
            self.log.error(
                "Cirkel: handover of kernel %s failed: %s: %s", kernel_id, content.get("ename"), content.get("evalue")
            )
            return False
        self.log.info("Cirkel: kernel %s handed over for %s", kernel_id, request_url.split("?")[0])
        return True

    def kernel_model(self, kernel_id: str) -> dict[str, Any]:
        """As jupyter_server's, for a kernel still starting too (reported as ``starting``).

        jupyter_server lists a new kernel one step of the event loop before it gives it
        its activity markers; a ``GET /api/kernels`` in that step failed with a 500.
        With pools refilling in the background that step comes often.
        """
        kernel = self._kernels.get(kernel_id)
        if kernel is not None and not _has_activity_markers(kernel):
            kernel.execution_state = "starting"
            kernel.reason = ""
            kernel.last_activity = utcnow()
        return super().kernel_model(kernel_id)

    async def shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:
        # Voilà's handler leaves the request's details for a /voila/query socket we do not serve
        RequestInfoSocketHandler._cache.pop(kernel_id, None)
        return await super().shutdown_kernel(kernel_id, *args, **kwargs)
