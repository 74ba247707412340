"""What preheated kernels on a learner's hub server cost and give: a learner logs in and opens a module.

A learner's server (``grading/hub/learner_server_config.py``) may keep Voilà kernels preheated
(``grading.servers.preheat``) for "Mina moduler" and the modules. Each waiting kernel has run its whole
notebook, so it costs the CPU of a page load whether anyone opens it or not. This starts the real
hub with the demo course run (``grading.hub.demo.build_hub_demo``) once per setting and, for each
learner in turn, measures what a person does when a meeting starts: log in, land on "Mina
moduler" (the spawn and the landing page), open a module (anna the first module, which the pool
holds; bilal the fifth, which it does not), then wait as a person reads (``--read`` seconds,
pools refill meanwhile). Reported per learner: seconds to the landing page and to the module
(the whole page, all cells run, as ``requests`` reads it), kernels started, and the CPU seconds
of the learner's server with all its kernels (alive or ended).

Run: ``.venv/bin/python benchmarks/learner_preheat.py [--rounds 2] [--read 15] [--dwell 5]``; ``--dwell``
is how long she stays on "Mina moduler" before she opens the module (0: at once).
Settings compared (``SETTINGS``): the earlier one (the home and the first module by name, each
refilled after use), the learner server's own (``learner_server_config.py`` as it is: the home, then
her next module two seconds after its handover; anna's module is the one guessed, bilal's is not),
the home only (``--PreheatKernelManager.next_module_after=``, to 2026-12-05) and none
(``--PreheatKernelManager.max_kernels=0`` on the server's command line).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "hub"))

import psutil  # noqa: E402

from grading.hub.demo import build_hub_demo, create_demo_accounts  # noqa: E402
from grading.servers.serve import Learner  # noqa: E402
from grading.system.processes import KERNEL_NAME  # noqa: E402

from hub_process import Hub, running_hub  # noqa: E402

LEARNERS = (Learner("anna", "Anna"), Learner("bilal", "Bilal"))
#: the module each learner opens: anna the first (the one a pool holds), bilal a later one
OPENS = {"anna": 0, "bilal": 4}
#: the settings compared, as arguments added to every learner server's command line (after its config file)
_BEFORE = [
    "--PreheatKernelManager.preheat_notebooks=mina-moduler.ipynb",
    "--PreheatKernelManager.preheat_notebooks=*/*/*.ipynb",
    "--PreheatKernelManager.max_kernels=2",
    "--PreheatKernelManager.refill=True",
]
SETTINGS = {
    "before": f"c.CirkelSpawner.args = {_BEFORE!r}\n",  # the home and the first module, refilled (to 2026-12-04)
    "as configured": "",  # learner_server_config.py as it is
    # the home only, without her next module after it (2026-12-04 to 2026-12-05)
    "home only": 'c.CirkelSpawner.args = ["--PreheatKernelManager.next_module_after="]\n',
    "no preheat": 'c.CirkelSpawner.args = ["--PreheatKernelManager.max_kernels=0"]\n',
}


def _server_cpu(home: Path) -> tuple[float, int]:
    """CPU seconds of the learner's server and its kernels (ended ones through the server's children), kernels seen."""
    total, kernels = 0.0, 0
    for process in psutil.process_iter():
        try:
            cwd, command = process.cwd(), " ".join(process.cmdline())
            if not cwd.startswith(str(home)):
                continue
            times = process.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
        if "jupyterhub-singleuser" in command or "singleuser" in command:
            total += times.children_user + times.children_system
        if "ipykernel" in command or process.name() == KERNEL_NAME:  # started the stock way, or forked by the zygote
            kernels += 1
    return total, kernels


def measure(setting: str, extra: str, read: float, dwell: float) -> dict[str, dict[str, float]]:
    folder = Path(tempfile.mkdtemp(prefix="learner-preheat-"))
    course_run = build_hub_demo(folder, folder / "omgang", LEARNERS)
    passwords = create_demo_accounts(folder, course_run, LEARNERS)
    for attempt in range(3):  # JupyterHub gives its proxy 10 s to start: a busy machine may need another try
        try:
            return _measure_on_hub(setting, extra, read, dwell, folder, course_run, passwords)
        except AssertionError as problem:
            if "did not start" not in str(problem) or attempt == 2:
                raise
            print(f"{setting}: the hub did not start, trying again")
    raise AssertionError("unreachable")


def _measure_on_hub(setting, extra, read, dwell, folder, course_run, passwords) -> dict[str, dict[str, float]]:
    results = {}
    with running_hub(folder, extra_config=extra) as url:
        hub = Hub(url, passwords, folder)
        for name, index in OPENS.items():
            module = course_run.modules[index]
            began = time.monotonic()
            session = hub.server(name)  # the spawn and "Mina moduler", as after the login form
            landed = time.monotonic() - began
            time.sleep(dwell)  # she reads her list of modules before she opens one
            began = time.monotonic()
            page = session.get(f"{url}/user/{name}/voila/render/{course_run.course_id}/{module}/{module}.ipynb")
            opened = time.monotonic() - began
            assert page.status_code == 200, page.status_code
            time.sleep(read)
            cpu, alive = _server_cpu((folder / "hem" / name).resolve())
            results[name] = {
                "landing s": landed,
                "module s": opened,
                "server+kernels CPU s": cpu,
                "kernels alive": alive,
            }
            print(f"{setting:14} {name:6} {module:28} " + "  ".join(f"{k} {v:.2f}" for k, v in results[name].items()))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--read", type=float, default=15.0, help="seconds a learner reads before the CPU is read")
    parser.add_argument(
        "--dwell", type=float, default=0.0, help="seconds on 'Mina moduler' before she opens the module"
    )
    options = parser.parse_args()
    table: dict[tuple[str, str], list[dict[str, float]]] = {}
    for _ in range(options.rounds):
        for setting, extra in SETTINGS.items():
            for name, figures in measure(setting, extra, options.read, options.dwell).items():
                table.setdefault((setting, name), []).append(figures)
    print("\nmedians:")
    for (setting, name), rows in table.items():
        keys = rows[0].keys()
        print(f"{setting:14} {name:6} " + "  ".join(f"{k} {statistics.median(r[k] for r in rows):.2f}" for k in keys))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
