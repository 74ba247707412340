/*
 * Cirkel: what ipywidgets does not say to a keyboard or screen-reader user.
 *
 * The widgets mark what they mean with CSS classes (widgets/kit/controls.py); this script turns the marks
 * into the page's semantics, again each time ipywidgets draws a part anew:
 *
 * - every RadioButtons box is a `radiogroup` named by its description or by the nearest
 *   `.cirkel-legend` before it (the question), and its radios share one `name`, so the browser
 *   gives the group one tab stop and moves the choice with the arrow keys;
 * - a `.cirkel-choice-group` (a box of checkboxes) is a named `group` in the same way;
 * - a `.cirkel-live` widget is a live region (`role="status"`, `cirkel-live-alert`: `role="alert"`)
 *   from the moment it is drawn, and only its content changes after that;
 * - a `cirkel-focus-<n>` class is a request from the kernel to move the keyboard focus there once
 *   the widget is shown (ipywidgets' own `focus()` is lost when the widget is not drawn yet);
 * - when the focused control is removed, hidden or disabled by an action, focus goes to the
 *   control that took its place, or the next one, never to the page body.
 */
(function () {
  "use strict";
  var FOCUS_PREFIX = "cirkel-focus-";
  var TABBABLE = "button, input, select, textarea, a[href], [tabindex]:not([tabindex='-1'])";
  var counter = 0;
  var doneRequests = {};
  var last = null; // { element, ancestors: [[ancestor, index among its tabbables], ...] }
  var lostTimer = null;

  function newId(prefix) {
    counter += 1;
    return prefix + counter;
  }

  function idOf(element) {
    if (!element.id) {
      element.id = newId("cirkel-a11y-");
    }
    return element.id;
  }

  function shown(element) {
    return element.isConnected && element.getClientRects().length > 0;
  }

  function usable(element) {
    return shown(element) && !element.disabled && !element.closest("[inert]");
  }

  function tabbables(root) {
    return Array.prototype.filter.call(root.querySelectorAll(TABBABLE), usable);
  }

  /* -- names: the description of the widget, or the nearest legend before it --------------- */
  function legendBefore(element) {
    var node = element;
    for (var depth = 0; node && depth < 5 && node.id !== "rendered_cells"; depth++) {
      for (var sibling = node.previousElementSibling; sibling; sibling = sibling.previousElementSibling) {
        if (sibling.classList.contains("cirkel-legend")) {
          return sibling;
        }
        var inside = sibling.querySelectorAll(".cirkel-legend");
        if (inside.length) {
          return inside[inside.length - 1];
        }
      }
      node = node.parentElement;
    }
    return null;
  }

  function nameGroup(group, view) {
    var label = view.querySelector(":scope > .widget-label");
    var source = label && label.textContent.trim() ? label : legendBefore(view);
    if (source) {
      var id = idOf(source);
      if (group.getAttribute("aria-labelledby") !== id) {
        group.setAttribute("aria-labelledby", id);
      }
    }
  }

  function groupRadios(root) {
    var views = root.querySelectorAll(".widget-radio");
    for (var i = 0; i < views.length; i++) {
      var box = views[i].querySelector(".widget-radio-box");
      if (!box) {
        continue;
      }
      if (box.getAttribute("role") !== "radiogroup") {
        box.setAttribute("role", "radiogroup");
      }
      if (!box.dataset.cirkelName) {
        box.dataset.cirkelName = newId("cirkel-choice-");
      }
      nameGroup(box, views[i]);
      var radios = box.querySelectorAll("input[type='radio']");
      for (var j = 0; j < radios.length; j++) {
        if (radios[j].name !== box.dataset.cirkelName) {
          radios[j].name = box.dataset.cirkelName;
        }
      }
    }
    var groups = root.querySelectorAll(".cirkel-choice-group");
    for (var k = 0; k < groups.length; k++) {
      if (groups[k].getAttribute("role") !== "group") {
        groups[k].setAttribute("role", "group");
      }
      nameGroup(groups[k], groups[k]);
    }
  }

  /* -- live regions that are there before their content changes ----------------------------- */
  function liveRegions(root) {
    var regions = root.querySelectorAll(".cirkel-live");
    for (var i = 0; i < regions.length; i++) {
      var alert = regions[i].classList.contains("cirkel-live-alert");
      if (!regions[i].hasAttribute("aria-live")) {
        regions[i].setAttribute("role", alert ? "alert" : "status");
        regions[i].setAttribute("aria-live", alert ? "assertive" : "polite");
        regions[i].setAttribute("aria-atomic", "true");
      }
    }
  }

  /* -- focus the kernel asked for --------------------------------------------------------- */
  function controlIn(element) {
    if (element.matches(TABBABLE) && usable(element)) {
      return element;
    }
    if (element.classList.contains("cirkel-live")) {
      // a result: focusable by script only, read out whole when focused (a link in it comes next)
      element.setAttribute("tabindex", "-1");
      return element;
    }
    var checked = element.querySelector("input[type='radio']:checked:not([disabled])");
    if (checked && usable(checked)) {
      return checked;
    }
    var controls = tabbables(element);
    if (controls.length) {
      return controls[0];
    }
    // text without controls: focusable by script only, read out when focused
    element.setAttribute("tabindex", "-1");
    return element;
  }

  function requestOf(element) {
    for (var i = 0; i < element.classList.length; i++) {
      if (element.classList[i].indexOf(FOCUS_PREFIX) === 0) {
        return element.classList[i];
      }
    }
    return "";
  }

  function answerRequests(root) {
    var asked = root.querySelectorAll("[class*='" + FOCUS_PREFIX + "']");
    for (var i = 0; i < asked.length; i++) {
      var token = requestOf(asked[i]);
      if (!token || doneRequests[token] || !shown(asked[i])) {
        continue; // a hidden widget gets the focus when it is shown
      }
      doneRequests[token] = true;
      controlIn(asked[i]).focus();
    }
  }

  /* -- focus that an action would drop to the page body ----------------------------------- */
  function remember(element) {
    var ancestors = [];
    var node = element.parentElement;
    while (node && node !== document.body && ancestors.length < 8) {
      ancestors.push([node, tabbables(node).indexOf(element)]);
      if (node.id === "rendered_cells") {
        break;
      }
      node = node.parentElement;
    }
    last = { element: element, ancestors: ancestors };
  }

  function bodyHasFocus() {
    var active = document.activeElement;
    return !active || active === document.body || active === document.documentElement;
  }

  function nextAfter(element, root) {
    var controls = tabbables(root);
    var before = null;
    for (var i = 0; i < controls.length; i++) {
      var position = element.compareDocumentPosition(controls[i]);
      if (position & Node.DOCUMENT_POSITION_FOLLOWING && !(position & Node.DOCUMENT_POSITION_CONTAINED_BY)) {
        return controls[i];
      }
      before = controls[i];
    }
    return before;
  }

  function replacement() {
    var element = last.element;
    for (var i = 0; i < last.ancestors.length; i++) {
      var ancestor = last.ancestors[i][0];
      if (!ancestor.isConnected) {
        continue;
      }
      if (element.isConnected) {
        return nextAfter(element, ancestor.closest(".cirkel-exercise") || ancestor);
      }
      var controls = tabbables(ancestor);
      if (controls.length) {
        var index = Math.max(0, Math.min(last.ancestors[i][1], controls.length - 1));
        return controls[index];
      }
    }
    return null;
  }

  function recoverFocus() {
    lostTimer = null;
    if (!last || !bodyHasFocus() || usable(last.element)) {
      return;
    }
    var target = replacement();
    if (target) {
      target.focus();
    }
  }

  function watchFocus() {
    if (last && bodyHasFocus() && !usable(last.element) && lostTimer === null) {
      // the kernel's own request, sent with the change, comes first
      lostTimer = window.setTimeout(recoverFocus, 250);
    }
  }

  function update() {
    groupRadios(document);
    liveRegions(document);
    answerRequests(document);
    watchFocus();
  }

  function start() {
    var planned = false;
    update();
    document.addEventListener(
      "focusin",
      function (event) {
        if (event.target !== document.body && event.target.closest && event.target.closest("#rendered_cells")) {
          remember(event.target);
        }
      },
      true
    );
    new MutationObserver(function () {
      if (!planned) {
        planned = true;
        window.requestAnimationFrame(function () {
          planned = false;
          update();
        });
      }
    }).observe(document.body, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ["class", "style", "disabled"],
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
