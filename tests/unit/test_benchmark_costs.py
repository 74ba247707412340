"""The measuring parts behind docs/scaling.md: they must count what they claim to count.

``benchmarks/_tree_cost.py`` adds up a process tree's CPU (a kernel shut down
during the load must still count), ``benchmarks/hub_load.py``'s ``Pacer`` lets
every learner finish a step before anyone begins the next (so a step's CPU can
be divided by the learners) without hanging when one learner fails, and the
database figures count each table's rows.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

from _tree_cost import sqlite_figures, tree_cpu  # noqa: E402

pytestmark = pytest.mark.unit

BURN = "import time\nend = time.process_time() + 0.4\nwhile time.process_time() < end: pass\n"


def test_a_trees_cpu_counts_a_child_that_has_ended():
    # a server whose kernel burned CPU and was shut down (and waited for) before the figure is read
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import subprocess, sys, time
            subprocess.run([sys.executable, "-c", {BURN!r}])
            print("done", flush=True)
            time.sleep(30)
            """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert parent.stdout.readline().strip() == "done"
        assert tree_cpu(parent.pid) >= 0.4
    finally:
        parent.kill()
        parent.wait()


def test_learners_finish_each_step_together_and_a_failing_one_does_not_hold_the_others():
    from _pacer import Pacer

    STEPS = range(5)  # hub_load.STEPS: login+spawn, landing page, open module, answer, submit

    marks: list[int] = []
    began: dict[str, list[float]] = {}
    ended: dict[str, list[float]] = {}
    barriers = [threading.Barrier(3, action=lambda: marks.append(len(marks))) for _ in range(len(STEPS) + 1)]

    def learner(name: str, fails_at: int | None) -> None:
        pacer = Pacer(barriers)
        try:
            for step in range(len(STEPS)):
                pacer.at(step)
                began.setdefault(name, []).append(time.monotonic())
                time.sleep(0.01 * len(name))
                ended.setdefault(name, []).append(time.monotonic())
                if step == fails_at:
                    raise RuntimeError("this learner's server did not start")
        except RuntimeError:
            pass
        pacer.finish()

    threads = [threading.Thread(target=learner, args=(n, f)) for n, f in (("a", None), ("bb", 1), ("ccc", None))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert not any(thread.is_alive() for thread in threads), "a learner waits for ever"
    assert marks == list(range(len(STEPS) + 1))  # each step's start and the end are marked once
    # nobody began a step before everyone still going had finished the one before
    for step in range(1, len(STEPS)):
        assert min(began["a"][step], began["ccc"][step]) >= max(t[step - 1] for t in ended.values() if len(t) >= step)
    assert len(began["bb"]) == 2  # the one who failed went no further


def test_an_sqlite_files_figures_count_each_tables_rows(tmp_path):
    path = tmp_path / "cirklar.sqlite"
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as db:
        db.exec_driver_sql("CREATE TABLE circle (id TEXT)")
        db.exec_driver_sql("CREATE TABLE meeting (id TEXT)")
        db.exec_driver_sql("INSERT INTO circle VALUES ('a'), ('b')")
    engine.dispose()
    size, rows = sqlite_figures(path)
    assert size == path.stat().st_size
    assert rows == {"circle": 2}  # empty tables are left out
