/*
 * Cirkel: a text field in the browser takes at most one character more than its widget keeps.
 *
 * ipywidgets' Text and Textarea have no maxlength, so a paste of any size would be sent to the
 * kernel whole, again on every keystroke. Cirkel's text widgets carry their limit as a CSS class
 * (`cirkel-max-<N>`, widgets/kit/controls.py). Here each field gets `maxlength` N + 1: a paste is cut there
 * in the browser, and the one character too many reaches the kernel, which refuses the value,
 * keeps the old one and tells the learner in Swedish.
 */
(function () {
  "use strict";
  var PREFIX = "cirkel-max-";

  function mostOf(box) {
    for (var i = 0; i < box.classList.length; i++) {
      var name = box.classList[i];
      if (name.indexOf(PREFIX) === 0) {
        var most = parseInt(name.slice(PREFIX.length), 10);
        if (most > 0) {
          return most;
        }
      }
    }
    return 0;
  }

  function limit(root) {
    var boxes = root.querySelectorAll('[class*="' + PREFIX + '"]');
    for (var i = 0; i < boxes.length; i++) {
      var most = mostOf(boxes[i]);
      var fields = boxes[i].querySelectorAll("input, textarea");
      for (var j = 0; most && j < fields.length; j++) {
        if (fields[j].maxLength !== most + 1) {
          fields[j].maxLength = most + 1;
        }
      }
    }
  }

  function start() {
    var planned = false;
    limit(document);
    // widgets are drawn (and rows added) after the page loads: look again once per frame that changed
    new MutationObserver(function () {
      if (!planned) {
        planned = true;
        window.requestAnimationFrame(function () {
          planned = false;
          limit(document);
        });
      }
    }).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["class"] });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
