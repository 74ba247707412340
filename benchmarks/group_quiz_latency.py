"""Group quiz: N phones tap "Svara" at once; how long until the big screen shows each, against one phone alone?

Everything is the real thing: the hub of ``tests/hub/live_hub.py`` (the demo
course run, circle "Cirkel A" led by lena), its live service running Voilà,
one Voilà kernel per page, the run's SQLite live store, and Debian's Chromium
with one browser context per person. The big screen is lena's page
``gruppquiz-skarm.ipynb?session=<id>``; each participant is a guest who types
the code and a name on the hub's code page (``/hub/kod``), as a newcomer with
a phone would, and lands on ``gruppquiz.ipynb``. The session is opened and
stepped with the store's own functions (the leader's buttons call the same).
Two meetings in the same run, on the same hub: first one phone alone (the
single-user case, ``--alone-rounds`` questions), then ``--phones`` phones
together (``--rounds`` questions), each with its own session and screen page.

For each round (one question), every participant's option is chosen first;
then every page is told to tap "Svara" at the same wall-clock moment (a
``setTimeout`` to a shared instant, so the taps are simultaneous, not
serialised by the driver); from round to round that moment steps evenly through the big
screen's 0.5 s poll, so no run is lucky or unlucky in where its taps fall between two polls
(most of one phone's wait). Each page notes the moment of its tap
(``Date.now()``) and the moment its own page shows "Ditt svar är sparat" (the
kernel's reply); the screen page notes, with a ``MutationObserver``, the moment
each name first appears among "Har svarat". All pages are in one Chromium on
one machine, so the clocks are the same clock.

Reported, over all taps of all rounds: median, p95 (nearest rank) and maximum
of **tap -> big screen** (phone kernel writes the answer, the screen's kernel
polls the store every 0.5 s and redraws, the screen's browser renders), and,
as the baseline, **tap -> own page confirms**: ipywidgets' own comm round trip
(browser -> kernel -> browser) of the same tap, which includes the one store
write but no other device. The figure asked for (issue 22 point 5) is the
p95 of tap -> big screen with N phones over the same with one phone alone
(aim: at most 3); the load average is printed beside it.

With ``--protocol-phones`` the phones are no browser: each guest types the code and
a name on ``/hub/kod`` over HTTP, follows the hub and the live service's OAuth dance
to her page (Voilà executes it in her kernel) and speaks the widget protocol over
that kernel's websocket, as ``hub_load.py`` does (``_quiz_phones.py``): she taps the
option and "Svara" with the messages her browser would send, and her "own page"
moment is when the kernel's "Ditt svar är sparat" arrives. The big screen stays a
real Chromium page and tap -> big screen stays the figure; the one phone alone is a
protocol phone too. On a real evening each phone has a CPU of its own, while here
100 phones' pages would share the server's 2 cores. ``--costs`` prints the CPU
seconds of each kind of process (phone kernels, the screen's kernel, the live
service's server, hub, proxy, Chromium, this script) over 10 idle seconds and over
each round, from the tap until every phone and the screen show it.

Run from the repository root: ``.venv/bin/python benchmarks/group_quiz_latency.py
[--phones 100] [--rounds 3] [--alone-rounds 12] [--protocol-phones] [--costs]``. Try ``--phones 3 --rounds 1 --alone-rounds 2`` first.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests" / "hub"), str(REPO / "tests" / "browser"), str(REPO / "benchmarks")]

from grading.circles import group_quiz as gq  # noqa: E402
from widgets.core.i18n import t  # noqa: E402

MODULE = "05-moten"
QUIZ = "motesroller"
CSS = ".cirkel-gq"
PAGE_MS = 300_000  # bounds a hang only
#: the instant every page taps, this far after the order is given to the last page
TAP_LEAD_MS = 3_000
#: guests joining at once (each join starts a kernel; all 100 at once would only queue)
JOIN_BATCH = 10
#: Chromium's renderer processes for all pages together
RENDERERS = 8
#: the big screen's poll (``GroupQuizScreen``'s ``poll_interval``)
SCREEN_POLL_MS = 500
#: everyone open and nobody tapping, measured once per meeting before the first question
IDLE_SECONDS = 10.0

_WATCH_SCREEN = """(names) => {
  window.__seen = window.__seen || {};
  const mark = () => {
    const now = Date.now();
    for (const li of document.querySelectorAll('.cirkel-gq-answered li')) {
      const name = li.textContent.trim();
      if (names.includes(name) && !(name in window.__seen)) window.__seen[name] = now;
    }
  };
  if (!window.__observer) {
    window.__observer = new MutationObserver(mark);
    window.__observer.observe(document.body, {subtree: true, childList: true, characterData: true});
  }
  mark();
}"""

_ARM_TAP = """([at, saved]) => {
  window.__tap = null; window.__confirmed = null;
  const button = [...document.querySelectorAll('.cirkel-gq-participant button')]
    .find((b) => b.textContent.trim() === ANSWER);
  // the status box's HTML is replaced on every update: watch the whole view, read the box afresh
  const root = document.querySelector('.cirkel-gq-participant');
  const observer = new MutationObserver(() => {
    const status = root.querySelector('.cirkel-gq-status');
    if (window.__tap !== null && window.__confirmed === null && status && status.textContent.includes(saved)) {
      window.__confirmed = Date.now(); observer.disconnect();
    }
  });
  observer.observe(root, {subtree: true, childList: true, characterData: true});
  setTimeout(() => { window.__tap = Date.now(); button.click(); }, Math.max(0, at - Date.now()));
}""".replace("ANSWER", json.dumps(t("groupquiz.answer")))


def nearest_rank(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def describe(name: str, values: list[float]) -> str:
    return (
        f"{name:<34} n={len(values):<3} median {statistics.median(values):7.0f} ms   "
        f"p95 {nearest_rank(values, 0.95):7.0f} ms   max {max(values):7.0f} ms"
    )


def _available_gib() -> float:
    """Memory the machine can still give (``MemAvailable``), in GiB."""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) / 2**20
    return math.inf


def _join(browser, hub, code: str, names: list[str], contexts: list, floor_gib: float) -> list:
    """Guests type the code and their name on ``/hub/kod``, :data:`JOIN_BATCH` at a time; their open phone pages.

    Each phone is a kernel (about 95 MiB) and a page: joining stops, said plainly, when the
    machine has less than ``floor_gib`` left, rather than wake the kernel's OOM killer on a
    machine others share.
    """
    phones = []
    for first in range(0, len(names), JOIN_BATCH):
        if _available_gib() < floor_gib:
            print(f"  stopped at {len(phones)} phones: {_available_gib():.1f} GiB left (--floor-gib {floor_gib})")
            break
        batch = []
        for name in names[first : first + JOIN_BATCH]:  # each a newcomer with the code, as on the big screen
            context = browser.new_context(locale="sv-SE", viewport={"width": 360, "height": 740}, has_touch=True)
            context.set_default_timeout(PAGE_MS)
            contexts.append(context)
            page = context.new_page()
            page.goto(f"{hub.url}/hub/kod")
            page.locator("#code_input").fill(code)
            page.locator("#name_input").fill(name)
            page.locator("#code_submit").click(no_wait_after=True)
            batch.append(page)
        for page in batch:
            page.wait_for_selector(f"{CSS}-participant", state="visible")
        phones.extend(batch)
    return phones


def _join_wire(hub, code: str, names: list[str], wire, saved: str, floor_gib: float) -> list:
    """Protocol phones: guests join over HTTP, :data:`JOIN_BATCH` at a time, then open their kernel's websocket."""
    from concurrent.futures import ThreadPoolExecutor

    from _quiz_phones import join_over_http

    from grading.hub.runs import live_service_name

    ws_base = f"{hub.url.replace('http://', 'ws://')}/services/{live_service_name(hub.course_id)}/api/kernels"
    phones: list = []
    with ThreadPoolExecutor(JOIN_BATCH) as pool:
        for first in range(0, len(names), JOIN_BATCH):
            if _available_gib() < floor_gib:
                print(f"  stopped at {len(phones)} phones: {_available_gib():.1f} GiB left (--floor-gib {floor_gib})")
                break
            batch = names[first : first + JOIN_BATCH]
            joined = list(pool.map(lambda name: join_over_http(hub.url, code, name, PAGE_MS / 1000), batch))
            for name, (_url, kernel, cookies) in zip(batch, joined):
                ws_url = f"{ws_base}/{kernel}/channels"
                phones.append(wire.run(wire.connect(ws_url, cookies, name, saved, PAGE_MS / 1000), PAGE_MS / 1000))
    return phones


def _meeting(
    hub, browser, lena, phones_count: int, rounds: int, contexts: list, floor_gib: float, wire=None
) -> tuple[list[float], list[float], list[str]]:
    """One session with ``phones_count`` guests: (tap -> big screen, tap -> own page) of every tap, CPU by kind.

    ``wire`` (a ``_quiz_phones.PhoneLoop``) makes the phones protocol clients; without it they are Chromium pages.
    """
    from _quiz_phones import cpu_by_kind, cpu_lines, kernel_of_page
    from playwright.sync_api import expect

    started = time.monotonic()
    session = gq.open_session(hub.run_dir, "cirkel-a", MODULE, QUIZ, "lena")
    code = gq.session_info(hub.run_dir, session).code
    names = [f"Deltagare {i:03d}" for i in range(1, phones_count + 1)]
    saved = t("groupquiz.saved", answer="X").split("X")[0].strip()
    screen = lena.new_page()
    screen.goto(hub.app_url("gruppquiz-skarm.ipynb", session=session), wait_until="domcontentloaded")
    screen.wait_for_selector(f"{CSS}-screen", state="visible", timeout=PAGE_MS)
    screen_kernel = kernel_of_page(screen.content())
    mine: list = []
    if wire is None:
        phones = _join(browser, hub, code, names, mine, floor_gib)
    else:
        phones = _join_wire(hub, code, names, wire, saved, floor_gib)
    names = names[: len(phones)]
    contexts.extend(mine)
    print(f"{len(phones)} phone(s) and the screen open in {time.monotonic() - started:.0f} s", flush=True)
    expect(screen.locator(f"{CSS}-joined li")).to_have_count(len(names), timeout=PAGE_MS)
    time.sleep(2)  # the joins settle: then ten seconds of everyone open and nobody tapping
    idle_before, idle_started = cpu_by_kind(screen_kernel), time.monotonic()
    time.sleep(IDLE_SECONDS)
    costs = ["  all open, nobody tapping (the phones and the screen poll the store):"]
    costs += cpu_lines(idle_before, cpu_by_kind(screen_kernel), 0, time.monotonic() - idle_started)
    to_screen: list[float] = []
    to_self: list[float] = []
    for number in range(rounds):
        gq.next_question(hub.run_dir, session)
        snap = gq.snapshot(hub.run_dir, session)
        assert snap.question is not None
        first = f"A. {snap.question.options[0]}"
        if wire is None:
            role = "checkbox" if snap.question.type == "multiple" else "radio"
            for page in phones:
                page.get_by_role(role, name=first, exact=True).check()
        else:
            wire.run(wire.choose(phones, first, PAGE_MS / 1000), PAGE_MS / 1000)
        expect(screen.locator(f"{CSS}-question").first).to_have_text(snap.question.text, timeout=PAGE_MS)
        screen.evaluate("() => { window.__seen = {}; }")
        screen.evaluate(_WATCH_SCREEN, names)
        lead = TAP_LEAD_MS + (150 * len(phones) if wire is None else 0)
        # the taps of successive rounds step evenly through the screen's 0.5 s poll: where a tap falls
        # between two polls sets most of a lone tap's wait, and no run should be lucky or unlucky in it
        at = screen.evaluate("() => Date.now()") + lead + number * SCREEN_POLL_MS // rounds
        if wire is None:
            for page in phones:
                page.evaluate(_ARM_TAP, [at, saved])
        else:
            tapping = asyncio.run_coroutine_threadsafe(wire.tap(phones, t("groupquiz.answer"), at), wire.loop)
        time.sleep(max(0.0, (at - 50) / 1000 - time.time()))
        cpu_before, round_started = cpu_by_kind(screen_kernel), time.monotonic()
        expect(screen.locator(f"{CSS}-answered-count")).to_have_text(
            t("groupquiz.answered_count", answered=len(names), total=len(names)), timeout=PAGE_MS
        )
        seen = screen.evaluate("() => window.__seen")
        if wire is not None:
            tapping.result(PAGE_MS / 1000)
        for name, page in zip(names, phones):
            if wire is None:
                page.wait_for_function("() => window.__confirmed !== null", timeout=60_000)
                tap, confirmed = page.evaluate("() => [window.__tap, window.__confirmed]")
            else:
                deadline = time.monotonic() + 60
                while page.confirmed is None and time.monotonic() < deadline:
                    time.sleep(0.05)
                tap, confirmed = page.tap, page.confirmed
            to_screen.append(seen[name] - tap)
            to_self.append(confirmed - tap)
        costs.append(f"  round {number + 1}, {len(names)} taps, from the tap until the screen and every phone show it:")
        costs += cpu_lines(cpu_before, cpu_by_kind(screen_kernel), len(names), time.monotonic() - round_started)
        print(f"  round {number + 1}: {describe('tap -> big screen', to_screen[-len(names) :])}", flush=True)
        gq.show_spread(hub.run_dir, session)
    gq.end_session(hub.run_dir, session)
    if wire is not None:
        wire.run(wire.close(phones), 60)
    for context in mine:  # the kernels of this meeting go, as when the phones close their tabs
        context.close()
    screen.close()
    return to_screen, to_self, costs


def _load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"load {one:.1f} (1 min) {five:.1f} (5 min)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", "--participants", dest="phones", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3, help="questions the phones answer together, one round each")
    parser.add_argument(
        "--alone-rounds", type=int, default=12, help="questions one phone alone answers first (the bank has 14)"
    )
    parser.add_argument("--floor-gib", type=float, default=2.5, help="stop adding phones below this much free memory")
    parser.add_argument(
        "--protocol-phones",
        action="store_true",
        help="phones speak the widget protocol over their kernel's websocket (no browser); the big screen stays Chromium",
    )
    parser.add_argument(
        "--costs", action="store_true", help="print the CPU of each kind of process, idle and per round"
    )
    args = parser.parse_args()

    from _quiz_phones import PhoneLoop
    from playwright.sync_api import sync_playwright

    from browser_harness import CHROMIUM, CHROMIUM_ARGS
    from live_hub import live_hub

    started = time.monotonic()
    with (
        tempfile.TemporaryDirectory(prefix="gruppquiz-bench-") as folder,
        live_hub(Path(folder)) as hub,
        sync_playwright() as playwright,
    ):
        print(f"hub up with the demo run in {time.monotonic() - started:.0f} s; {_load()}", flush=True)
        # 100 phones' pages share a few renderer processes, as tabs of one browser do; one each would not fit
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=[*CHROMIUM_ARGS, f"--renderer-process-limit={RENDERERS}"]
        )
        contexts: list = []
        wire = PhoneLoop() if args.protocol_phones else None
        kind = "protocol clients over the kernel websocket" if wire else "Chromium pages"
        try:
            lena = hub.context(browser, "lena")
            contexts.append(lena)
            print(f"phones: {kind}; one phone alone:", flush=True)
            alone_screen, alone_self, alone_costs = _meeting(
                hub, browser, lena, 1, args.alone_rounds, contexts, args.floor_gib, wire
            )
            print(f"{args.phones} phones at once ({_load()}):", flush=True)
            crowd_screen, crowd_self, crowd_costs = _meeting(
                hub, browser, lena, args.phones, args.rounds, contexts, args.floor_gib, wire
            )
            phones = len(crowd_screen) // args.rounds  # fewer than asked if memory ran short
            if args.costs:
                print("\nCPU by kind of process, one phone alone:", *alone_costs, sep="\n")
                print(f"\nCPU by kind of process, {phones} phones:", *crowd_costs, sep="\n")
            print()
            print(
                f"{args.alone_rounds} rounds alone, {args.rounds} together; guests on the real hub, Voilà kernel per page, SQLite live store, "
                f"phones as {kind}, the big screen in Chromium; {_load()}:"
            )
            print(describe("1 phone: tap -> big screen", alone_screen))
            print(describe("1 phone: tap -> own page", alone_self))
            print(describe(f"{phones} phones: tap -> big screen", crowd_screen))
            print(describe(f"{phones} phones: tap -> own page", crowd_self))
            p95 = nearest_rank(crowd_screen, 0.95) / max(nearest_rank(alone_screen, 0.95), 1e-9)
            own = nearest_rank(crowd_screen, 0.95) / max(nearest_rank(crowd_self, 0.95), 1e-9)
            print(f"p95 ratio, tap -> big screen, {phones} phones / one phone alone: {p95:.1f}x (aim: at most 3)")
            print(f"p95 ratio, {phones} phones, big screen / own round trip: {own:.1f}x")
            print(f"whole run {time.monotonic() - started:.0f} s")
        finally:
            for context in contexts:
                with contextlib.suppress(Exception):  # closed already with its meeting
                    context.close()
            browser.close()
            if wire is not None:
                wire.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
