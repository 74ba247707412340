/*
 * Cirkel: the saved page gives way to the live one, and keeps what the learner did meanwhile.
 *
 * While a page's kernel runs its cells, the server draws each cell's widgets with her saved answers
 * as plain HTML (`.cirkel-snapshot`, grading/servers/page_snapshot.py), right after the cell (Voilà's
 * `div[cell-index]`). She can read it, type in its text fields and make her choices. When Voilà's
 * front end draws the live widgets of that cell, this script
 *
 * - reads what she changed in the drawing (text typed, an option or box chosen), and where the focus was,
 * - removes the drawing in the same moment (never two copies of a field on the page),
 * - and, once the live widgets of the cell have stopped being drawn for a moment, puts each change into
 *   the live field of the same kind and order, as if she had made it there (the events ipywidgets listens
 *   to), and the focus back in the field she was in.
 *
 * `window.cirkelWhenLive(callback)` calls back once no drawing is left: the page is live (the template
 * then marks the body `cirkel-ready`). A drawing whose live widgets never come (a widget the front end
 * could not draw) is waited for at most LIVE_WAIT_MS.
 */
(function () {
  "use strict";
  var SETTLE_MS = 150; // the live widgets of a cell count as drawn after this long without a change
  var MAX_WAIT_MS = 3000; // ... or after this long, on a page that never stops changing
  var LIVE = {
    textarea: "textarea",
    text: "input[type=text]",
    password: "input[type=password]",
    select: "select",
    checkbox: "input[type=checkbox]",
    date: "input[type=date]",
    time: "input[type=time]",
    radio: ".widget-radio-box",
  };
  var LIVE_WAIT_MS = 20000;
  var whenLive = [];
  var pending = []; // { cell, changes, focus, timer, since }
  var lastAction = 0; // when she last pressed a key, clicked or touched

  // The field of a drawing she is in. Voilà's front end moves the page's cells into its own frame when
  // it starts, which takes the focus from every field: the field is remembered, not read at the end.
  var inField = null;
  document.addEventListener(
    "focusin",
    function (event) {
      inField = event.target.closest && event.target.closest(".cirkel-snapshot") ? event.target : null;
    },
    true
  );

  ["keydown", "mousedown", "touchstart"].forEach(function (type) {
    document.addEventListener(
      type,
      function () {
        lastAction = Date.now();
      },
      true
    );
  });

  function shown(element) {
    return element.isConnected && element.getClientRects().length > 0;
  }

  /* -- what she did in a drawing -------------------------------------------------------------- */
  function changesIn(snapshot) {
    var counts = {};
    var changes = [];
    var focus = null;
    var radios = {};
    Array.prototype.forEach.call(snapshot.querySelectorAll("[data-cirkel-field]"), function (field) {
      var kind = field.getAttribute("data-cirkel-field");
      var order;
      if (kind === "radio") {
        if (!(field.name in radios)) {
          radios[field.name] = counts.radio || 0;
          counts.radio = radios[field.name] + 1;
        }
        order = radios[field.name];
        if (field.checked && !field.defaultChecked) {
          changes.push({ kind: kind, order: order, option: Number(field.value) });
        }
      } else {
        order = counts[kind] || 0;
        counts[kind] = order + 1;
        if (kind === "checkbox") {
          if (field.checked !== field.defaultChecked) {
            changes.push({ kind: kind, order: order, checked: field.checked });
          }
        } else if (kind === "select") {
          var chosen = field.options[field.selectedIndex];
          if (chosen && !chosen.defaultSelected) {
            changes.push({ kind: kind, order: order, option: field.selectedIndex });
          }
        } else if (field.value !== field.defaultValue) {
          changes.push({ kind: kind, order: order, value: field.value });
        }
      }
      if (field === inField) {
        focus = { kind: kind, order: order, caret: typeof field.selectionStart === "number" ? field.selectionStart : null };
      }
    });
    return { changes: changes, focus: focus };
  }

  /* -- into the live widgets ------------------------------------------------------------------ */
  function liveFields(cell, kind) {
    return Array.prototype.filter.call(cell.querySelectorAll(".jupyter-widgets " + LIVE[kind]), shown);
  }

  function say(field, type) {
    field.dispatchEvent(new Event(type, { bubbles: true }));
  }

  function apply(change, cell) {
    var field = liveFields(cell, change.kind)[change.order];
    if (!field) {
      return null;
    }
    if (change.kind === "radio") {
      var option = field.querySelectorAll("input[type=radio]")[change.option];
      if (option && !option.checked && !option.disabled) {
        option.click();
      }
      return option || null;
    }
    if (field.disabled) {
      return field;
    }
    if (change.kind === "checkbox") {
      if (field.checked !== change.checked) {
        field.click();
      }
    } else if (change.kind === "select") {
      field.selectedIndex = change.option;
      say(field, "change");
    } else {
      field.value = change.value;
      say(field, "input");
      say(field, "change");
    }
    return field;
  }

  function settle(item) {
    item.timer = null;
    item.changes = item.changes.filter(function (change) {
      return apply(change, item.cell) === null; // its live field is not drawn yet
    });
    if (item.changes.length && Date.now() < item.since + MAX_WAIT_MS) {
      wait(item);
      return;
    }
    if (lastAction > item.since) {
      item.focus = null; // she has gone on somewhere else meanwhile: leave her there
    }
    if (item.focus) {
      var target = liveFields(item.cell, item.focus.kind)[item.focus.order];
      if (target && item.focus.kind === "radio") {
        target = target.querySelector("input[type=radio]:checked") || target.querySelector("input[type=radio]");
      }
      if (target) {
        target.focus();
        if (item.focus.caret !== null && typeof target.setSelectionRange === "function") {
          target.setSelectionRange(target.value.length, target.value.length);
        }
      }
    }
    pending.splice(pending.indexOf(item), 1);
  }

  function wait(item) {
    if (item.timer) {
      clearTimeout(item.timer);
    }
    var left = Math.max(10, Math.min(SETTLE_MS, item.since + MAX_WAIT_MS - Date.now()));
    item.timer = setTimeout(function () {
      settle(item);
    }, left);
  }

  /* -- the moment a cell's live widgets come ---------------------------------------------------- */
  function giveWay(snapshot, cell) {
    var done = changesIn(snapshot);
    var focused = inField !== null && snapshot.contains(inField);
    snapshot.remove();
    if (done.changes.length || (focused && done.focus)) {
      var item = { cell: cell, changes: done.changes, focus: focused ? done.focus : null, timer: null, since: Date.now() };
      pending.push(item);
      wait(item);
    }
  }

  function live() {
    var waiting = whenLive;
    whenLive = [];
    waiting.forEach(function (callback) {
      callback();
    });
  }

  var drawings = document.getElementsByClassName("cirkel-snapshot"); // live: its length costs nothing
  var pageShown = false; // the template has shown the page (display_cells)

  window.cirkelWhenLive = function (callback) {
    pageShown = true;
    whenLive.push(callback);
    if (!drawings.length) {
      live();
      return;
    }
    setTimeout(function () {
      if (whenLive.length) {
        console.warn("Cirkel: live widgets did not come for every drawing of the saved page");
        live();
      }
    }, LIVE_WAIT_MS);
  };

  /* Only what was added is looked at: Voilà's front end adds the page's widgets in hundreds of
     small steps, and a search of the whole page at each step held the page back by a tenth of a second. */
  function cellsWithWidgets(records) {
    var cells = [];
    for (var i = 0; i < records.length; i++) {
      var added = records[i].addedNodes;
      for (var j = 0; j < added.length; j++) {
        var node = added[j];
        if (node.nodeType !== 1 || !(node.classList.contains("jupyter-widgets") || node.querySelector(".jupyter-widgets"))) {
          continue;
        }
        var cell = node.closest("div[cell-index]");
        if (cell && cells.indexOf(cell) < 0) {
          cells.push(cell);
        }
      }
    }
    return cells;
  }

  var observer = new MutationObserver(function (records) {
    if (!drawings.length && !pending.length) {
      if (pageShown) {
        observer.disconnect(); // the page is live: nothing more to do here
      }
      return;
    }
    cellsWithWidgets(records).forEach(function (cell) {
      var snapshot = document.querySelector('.cirkel-snapshot[data-cirkel-cell="' + cell.getAttribute("cell-index") + '"]');
      if (snapshot) {
        giveWay(snapshot, cell);
      }
      pending.forEach(function (item) {
        if (item.cell === cell) {
          wait(item); // still being drawn: wait until it stops
        }
      });
    });
    if (whenLive.length && !drawings.length) {
      live();
    }
  });
  observer.observe(document.documentElement, { childList: true, subtree: true });
})();
