"""Layout checks for any Playwright page: what a person on a phone would see go wrong.

``layout_problems(page)`` runs one script in the page and returns every problem
as a sentence: text cut off by its box, text spilling out of its box or printed
over other text, the page scrolling sideways, a box inside it scrolling sideways
that is not a labelled, focusable region, and visible controls smaller than
44×44 CSS px (WCAG 2.5.5 AAA, as issue 18 asks; 2.5.8 AA would be 24). Inline
links in running text are exempt, as 2.5.5 allows. ``problems_at_widths`` loads
nothing: it resizes the viewport of a page already open and checks it at each
width, so one page load serves 320, 390, 768 and 1280 px.

A plain module (no fixtures) so the browser tests, the hub tests and the
screenshot command can all call it on whatever page they hold.
"""

from __future__ import annotations

from collections.abc import Iterable

from playwright.sync_api import Page

__all__ = ["WIDTHS", "TARGET_PX", "layout_problems", "problems_at_widths", "describe_problems"]

#: the widths issue 18 asks for: a small phone, a common phone, a tablet, a laptop
WIDTHS = (320, 390, 768, 1280)
#: the smallest touch target, CSS px (WCAG 2.5.5)
TARGET_PX = 44

# One pass over the page. Text is measured through Ranges over its text nodes, so a
# wrapped line is a box of its own; elements are named by tag, first classes and text.
_SCRIPT = r"""
(targetPx) => {
  const problems = [];
  const styles = new Map();
  const style = (el) => {
    let s = styles.get(el);
    if (!s) { s = getComputedStyle(el); styles.set(el, s); }
    return s;
  };
  const sx = window.scrollX, sy = window.scrollY;
  const px = (n) => Math.round(n);
  const snippet = (text) => {
    const t = text.replace(/\s+/g, " ").trim();
    return t.length > 40 ? t.slice(0, 39) + "…" : t;
  };
  const name = (el) => {
    const cls = [...el.classList].filter((c) => !c.startsWith("lm-") && !c.startsWith("p-")).slice(0, 2);
    const tag = el.tagName.toLowerCase() + (cls.length ? "." + cls.join(".") : "");
    const text = snippet(el.innerText || el.textContent || el.getAttribute("aria-label") || el.value || "");
    return text ? `${tag} "${text}"` : tag;
  };
  const hiddenOnPurpose = (el) => {
    // visually hidden text for screen readers, and anything not drawn (a closed <details> too)
    if (el.checkVisibility && !el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return true;
    for (let e = el; e && e !== document.documentElement; e = e.parentElement) {
      const s = style(e);
      if (s.display === "none" || s.visibility === "hidden" || s.visibility === "collapse") return true;
      if (parseFloat(s.opacity) === 0) return true;
      if (s.clip && s.clip !== "auto") return true;
      if (s.clipPath && s.clipPath.startsWith("inset(50%")) return true;
      const r = e.getBoundingClientRect();
      if ((r.width <= 1 || r.height <= 1) && (s.overflow !== "visible" || s.position === "absolute")) return true;
    }
    return false;
  };
  // off the page on purpose (the skip link waits above the top until focused)
  const offPage = (r) => r.bottom + sy <= 0 || r.right + sx <= 0;

  // -- text: the elements that hold text of their own ------------------------------------------
  const skipTags = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "OPTION", "TITLE", "HEAD"]);
  const holders = new Map();  // element -> its text's line boxes
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || !node.data.trim() || skipTags.has(el.tagName)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const lines = [...range.getClientRects()].filter((r) => r.width >= 2 && r.height >= 2);
    if (!lines.length) continue;
    if (!holders.has(el)) holders.set(el, []);
    holders.get(el).push(...lines);
  }
  const texts = [];
  for (const [el, lines] of holders) {
    if (hiddenOnPurpose(el)) continue;
    const box = el.getBoundingClientRect();
    if (offPage(box)) continue;
    texts.push({ el, lines, box, fontSize: parseFloat(style(el).fontSize) || 16 });
  }

  for (const item of texts) {
    const { el, lines, box, fontSize } = item;
    const s = style(el);
    const clipsX = ["hidden", "clip"].includes(s.overflowX);
    const clipsY = ["hidden", "clip"].includes(s.overflowY);
    // 1. cut off by its own box (an ellipsis, a fixed height)
    if (clipsX && el.scrollWidth > el.clientWidth + 1) {
      problems.push(`text cut off: ${name(el)} needs ${el.scrollWidth} px but is ${el.clientWidth} px wide`);
      continue;
    }
    if (clipsY && el.scrollHeight > el.clientHeight + 1) {
      problems.push(`text cut off: ${name(el)} needs ${el.scrollHeight} px but is ${el.clientHeight} px high`);
      continue;
    }
    const slackY = Math.max(3, 0.3 * fontSize);
    const ext = {
      left: Math.min(...lines.map((r) => r.left)), right: Math.max(...lines.map((r) => r.right)),
      top: Math.min(...lines.map((r) => r.top)), bottom: Math.max(...lines.map((r) => r.bottom)),
    };
    // 2. cut off by any box around it that hides what sticks out, up to the first box that
    //    scrolls (what sticks out of that one can be scrolled to)
    let clipped = false;
    for (let a = el.parentElement; a && a !== document.body && !clipped; a = a.parentElement) {
      const as = style(a);
      const overflowing = [as.overflowX, as.overflowY];
      if (overflowing.every((o) => o === "visible")) continue;
      if (overflowing.some((o) => o === "auto" || o === "scroll")) break;
      const r = a.getBoundingClientRect();
      const hidX = ["hidden", "clip"].includes(as.overflowX), hidY = ["hidden", "clip"].includes(as.overflowY);
      if ((hidX && (ext.right > r.right + 1 || ext.left < r.left - 1)) ||
          (hidY && (ext.bottom > r.bottom + slackY || ext.top < r.top - slackY))) {
        problems.push(`text cut off: ${name(el)} sticks out of ${name(a).split(" ")[0]}, which hides it`);
        clipped = true;
      }
    }
    if (clipped) continue;
    // 3. text outside its own box: a fixed-height row whose long text wraps onto the next row
    const inline = s.display.startsWith("inline") && s.display !== "inline-block" && s.display !== "inline-flex";
    if (!inline && s.display !== "contents" &&
        (ext.bottom > box.bottom + slackY || ext.right > box.right + 2 || ext.left < box.left - 2)) {
      const how = ext.bottom > box.bottom + slackY
        ? `${px(ext.bottom - box.bottom)} px below` : `${px(Math.max(ext.right - box.right, box.left - ext.left))} px beside`;
      problems.push(`text outside its box: ${name(el)} runs ${how} its ${px(box.width)}×${px(box.height)} px box`);
    }
  }

  // 4. text printed over other text: line boxes of different elements that cross
  const lines = [];
  texts.forEach((item, i) => item.lines.forEach((r) => lines.push({ i, r })));
  lines.sort((a, b) => a.r.top - b.r.top);
  const pairs = new Set();
  for (let a = 0; a < lines.length; a++) {
    const A = lines[a];
    for (let b = a + 1; b < lines.length && lines[b].r.top < A.r.bottom; b++) {
      const B = lines[b];
      if (A.i === B.i) continue;
      const w = Math.min(A.r.right, B.r.right) - Math.max(A.r.left, B.r.left);
      const h = Math.min(A.r.bottom, B.r.bottom) - Math.max(A.r.top, B.r.top);
      if (w <= 2 || h <= 0.35 * Math.min(A.r.height, B.r.height)) continue;
      const ea = texts[A.i].el, eb = texts[B.i].el;
      if (ea.contains(eb) || eb.contains(ea)) continue;
      const key = A.i < B.i ? `${A.i}:${B.i}` : `${B.i}:${A.i}`;
      if (pairs.has(key)) continue;
      pairs.add(key);
      problems.push(`text over text: ${name(ea)} and ${name(eb)} are printed on top of each other`);
    }
  }

  // -- the page scrolls sideways ---------------------------------------------------------------
  const pageWidth = document.documentElement.scrollWidth;
  if (pageWidth > window.innerWidth) {
    const wide = [];
    for (const el of document.body.querySelectorAll("*")) {
      const r = el.getBoundingClientRect();
      if (r.right + sx <= window.innerWidth + 1 || r.width === 0 || hiddenOnPurpose(el)) continue;
      // inside a box that scrolls by itself: that box is the one to name
      let inScroller = false;
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        if (["auto", "scroll"].includes(style(a).overflowX) && a.scrollWidth > a.clientWidth) { inScroller = true; break; }
      }
      if (inScroller) continue;
      if ([...el.children].some((c) => c.getBoundingClientRect().right + sx > window.innerWidth + 1)) continue;
      wide.push(`${name(el)} (to ${px(r.right + sx)} px)`);
      if (wide.length === 3) break;
    }
    problems.push(`page scrolls sideways: ${pageWidth} px wide in a ${window.innerWidth} px window` +
                  (wide.length ? `; widest: ${wide.join(", ")}` : ""));
  }

  // -- a box inside the page that scrolls sideways: only a labelled, focusable region may
  //    (a wide table a keyboard can reach and a screen reader can name); any other box that
  //    scrolls cuts its text off at the edge
  for (const el of document.body.querySelectorAll("*")) {
    const s = style(el);
    if (!["auto", "scroll"].includes(s.overflowX) || el.scrollWidth <= el.clientWidth + 1) continue;
    if (["TEXTAREA", "SELECT", "INPUT"].includes(el.tagName) || hiddenOnPurpose(el)) continue;
    const r = el.getBoundingClientRect();
    if (!r.width || offPage(r)) continue;
    const named = el.hasAttribute("aria-label") || el.hasAttribute("aria-labelledby");
    if (named && el.tabIndex >= 0) continue;
    problems.push(`box scrolls sideways: ${name(el)} holds ${el.scrollWidth} px in ${el.clientWidth} px ` +
                  "(only a labelled, focusable region may scroll)");
  }

  // -- touch targets ---------------------------------------------------------------------------
  const interactive = "a[href], button, input:not([type=hidden]), select, textarea, summary, " +
    "[role=button], [role=link], [role=checkbox], [role=radio], [role=tab], [role=switch], " +
    "[role=menuitem], [role=option], [tabindex]:not([tabindex^='-'])";
  const seen = new Set();
  for (const el of document.body.querySelectorAll(interactive)) {
    if (el.disabled || el.closest("[inert]")) continue;
    // a control drawn inside its label: the label is what a finger touches
    const labels = el.labels ? [...el.labels] : [];
    const owner = labels.find((l) => l.contains(el)) || el.closest("label");
    const target = owner || el;
    if (seen.has(target)) continue;
    seen.add(target);
    let r = target.getBoundingClientRect();
    for (const label of labels) {
      if (label === target) continue;
      const lr = label.getBoundingClientRect();
      const near = lr.width > 0 && Math.abs(lr.top - r.top) < r.height + 4;
      if (near) {
        r = { left: Math.min(r.left, lr.left), right: Math.max(r.right, lr.right),
              top: Math.min(r.top, lr.top), bottom: Math.max(r.bottom, lr.bottom) };
        r.width = r.right - r.left; r.height = r.bottom - r.top;
      }
    }
    if (r.width === 0 || r.height === 0 || offPage(r) || hiddenOnPurpose(target)) continue;
    if (target.tagName === "A" && style(target).display === "inline") {
      // a link inside running text is exempt (2.5.5): its block has words of its own
      const block = target.parentElement;
      const own = (block.innerText || "").replace(/\s+/g, " ").trim().length;
      const link = (target.innerText || "").replace(/\s+/g, " ").trim().length;
      if (own > link + 1) continue;
    }
    if (r.width + 0.5 < targetPx || r.height + 0.5 < targetPx) {
      problems.push(`small target: ${name(target)} is ${px(r.width)}×${px(r.height)} px, under ${targetPx}×${targetPx}`);
    }
  }
  return problems;
}
"""

# Two frames after a resize: the browser has laid the page out and widgets have
# answered their resize observers.
_SETTLE = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))"


def layout_problems(page: Page, target_px: int = TARGET_PX) -> list[str]:
    """Every layout problem on ``page`` as it is drawn now, one sentence each."""
    page.evaluate(_SETTLE)
    return list(page.evaluate(_SCRIPT, target_px))


def problems_at_widths(page: Page, widths: Iterable[int] = WIDTHS, height: int = 800) -> dict[int, list[str]]:
    """``layout_problems`` at each width, resizing the open page (no reload); the viewport is put back after."""
    before = page.viewport_size
    found: dict[int, list[str]] = {}
    try:
        for width in widths:
            page.set_viewport_size({"width": width, "height": height})
            found[width] = layout_problems(page)
    finally:
        if before:
            page.set_viewport_size(before)
    return found


def describe_problems(found: dict[int, list[str]], limit: int = 25) -> str:
    """A readable failure message: per width, how many and the first ``limit`` of them."""
    out = []
    for width, problems in found.items():
        if problems:
            out.append(f"at {width} px, {len(problems)} problem(s):")
            out.extend(f"  - {p}" for p in problems[:limit])
            if len(problems) > limit:
                out.append(f"  … and {len(problems) - limit} more")
    return "\n".join(out)
