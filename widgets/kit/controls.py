"""The ipywidgets controls Cirkel draws with, sharing their Layout and style models.

Every ipywidgets ``DOMWidget`` makes a ``LayoutModel`` of its own, and every
widget with a description a style model, even when nothing is ever set on them.
The module ``05-moten`` therefore had 864 widget models, 550 of them layouts and
styles, and each one is sent by the kernel, fetched, created and drawn by the
browser before the learner can answer (and sent again at every autograde). The classes here are the ipywidgets classes with one change: a
widget made without a ``layout`` or ``style`` gets a shared one, so a page
carries one model per thing drawn.

Shared layouts and styles are frozen: setting ``widget.layout.display`` on one
would change every widget that shares it, so it raises instead. Change how a
widget is shown by giving it another shared layout, with ``show``, ``relayout``
and ``restyle``; ``layout`` and ``style`` give the shared model for a set of
attributes, made once per kernel.
"""

from __future__ import annotations

import itertools
import weakref
from typing import Any, TypeVar

import ipywidgets as ipw
from traitlets import HasTraits, Int, default, observe, validate

from widgets.core.errors import CirkelError

__all__ = [
    "Box",
    "BoundedFloatText",
    "BoundedIntText",
    "Button",
    "Checkbox",
    "DatePicker",
    "Dropdown",
    "HBox",
    "HTML",
    "Play",
    "RadioButtons",
    "Text",
    "Textarea",
    "TimePicker",
    "VBox",
    "layout",
    "style",
    "show",
    "shown",
    "relayout",
    "restyle",
    "FrozenError",
    "MAX_TEXT_LENGTH",
    "MAX_TEXTAREA_LENGTH",
    "report_refusals_to",
    "holds",
    "focus",
    "live",
    "choice_group",
    "LEGEND_CLASS",
]

W = TypeVar("W", bound=ipw.DOMWidget)


class FrozenError(CirkelError, AttributeError):
    """A shared layout or style was changed in place."""


class _Frozen:
    """Mixin: the synced traits cannot change after construction (the front end may still sync state in)."""

    _frozen = False
    _shares: type = object  # the ipywidgets class this one is a shared, frozen copy of

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self._frozen = True

    def __setattr__(self, name: str, value: Any) -> None:
        if self._frozen and name in self.keys:  # type: ignore[attr-defined]  # the widget's synced traits
            raise FrozenError(
                f"{type(self).__name__}.{name}: this {self._shares.__name__} is shared by many widgets; "
                "give the widget another one with widgets.kit.controls.show, relayout or restyle"
            )
        super().__setattr__(name, value)


_frozen_classes: dict[type, type] = {}
_shared: dict[tuple[type, tuple[tuple[str, Any], ...]], ipw.Widget] = {}


def _frozen_class(klass: type) -> type:
    if klass not in _frozen_classes:
        _frozen_classes[klass] = type(
            f"Shared{klass.__name__}", (_Frozen, klass), {"__module__": __name__, "_shares": klass}
        )
    return _frozen_classes[klass]


def _attributes(model: HasTraits) -> dict[str, Any]:
    """The attributes of a layout or style that differ from the class's defaults."""
    traits = model.traits()
    return {
        name: getattr(model, name)
        for name in model.keys  # type: ignore[attr-defined]  # a Widget's synced traits
        if not name.startswith("_") and getattr(model, name) != traits[name].default()
    }


def _shared_model(klass: type, attrs: dict[str, Any]) -> ipw.Widget:
    key = (klass, tuple(sorted((name, value) for name, value in attrs.items() if value is not None)))
    model = _shared.get(key)
    if model is None or model.comm is None:  # none yet, or closed (e.g. Widget.close_all in a test)
        model = _frozen_class(klass)(**dict(key[1]))
        _shared[key] = model
    return model


def layout(**attrs: Any) -> ipw.Layout:
    """The shared, frozen ``Layout`` with these attributes (``layout(width="auto")``)."""
    return _shared_model(ipw.Layout, attrs)


def style(klass: type[ipw.Widget], **attrs: Any) -> ipw.Widget:
    """The shared, frozen style model for ``klass`` (a widget class or a style class) with these attributes."""
    if issubclass(klass, ipw.DOMWidget):
        klass = klass.class_traits()["style"].klass
    return _shared_model(klass, attrs)


def _reshared(model: ipw.Widget, attrs: dict[str, Any]) -> ipw.Widget:
    """The shared model of ``model``'s class with its present attributes changed by ``attrs``."""
    return _shared_model(getattr(model, "_shares", type(model)), {**_attributes(model), **attrs})


def relayout(widget: W, **attrs: Any) -> W:
    """Give ``widget`` the shared layout of its present attributes changed by ``attrs`` (``None`` unsets)."""
    widget.layout = _reshared(widget.layout, attrs)
    return widget


def restyle(widget: W, **attrs: Any) -> W:
    """Give ``widget`` the shared style of its present style attributes changed by ``attrs`` (``None`` unsets)."""
    widget.style = _reshared(widget.style, attrs)
    return widget


def show(widget: W, visible: bool = True) -> W:
    """Show or hide ``widget`` (CSS ``display: none``), keeping the rest of its layout."""
    return relayout(widget, display=None if visible else "none")


def shown(widget: ipw.DOMWidget) -> bool:
    """Whether ``widget`` is shown, as ``show`` left it."""
    return widget.layout.display != "none"


def _lean(klass: type[W]) -> type[W]:
    """``klass`` with a shared layout and, where it has one, a shared style by default.

    A ``layout`` or ``style`` given as a dict also becomes the shared one with those attributes.
    """
    namespace: dict[str, Any] = {"__module__": __name__, "__doc__": klass.__doc__}

    def __init__(self: ipw.DOMWidget, *args: Any, **kwargs: Any) -> None:
        if isinstance(kwargs.get("layout"), dict):
            kwargs["layout"] = layout(**kwargs["layout"])
        if isinstance(kwargs.get("style"), dict):
            kwargs["style"] = style(klass, **kwargs["style"])
        klass.__init__(self, *args, **kwargs)

    namespace["__init__"] = __init__

    def _layout(self: ipw.DOMWidget) -> ipw.Layout:
        return layout()

    namespace["_default_shared_layout"] = default("layout")(_layout)
    if "style" in klass.class_traits():
        style_class = klass.class_traits()["style"].klass

        def _style(self: ipw.DOMWidget) -> ipw.Widget:
            return _shared_model(style_class, {})

        namespace["_default_shared_style"] = default("style")(_style)
    return type(klass.__name__, (klass,), namespace)


# -- text fields with a most length ---------------------------------------------------------------
#: The most characters a one-line text field takes: far above any name, title or short answer.
MAX_TEXT_LENGTH = 1_000
#: The most characters a text area takes: a long reflection is some 5 000.
MAX_TEXTAREA_LENGTH = 20_000
#: CSS class prefix that tells the page's script (``cirkel-limits.js``) the field's ``maxlength``.
MAX_LENGTH_CLASS = "cirkel-max-"

#: widgets told (in their ``status``) when a text field drawn inside them refuses a value
_told: weakref.WeakSet[ipw.Widget] = weakref.WeakSet()


def report_refusals_to(owner: ipw.Widget) -> None:
    """Tell ``owner`` when a text field inside it refuses a value above its most length.

    ``owner`` has a ``status`` trait shown to the person (an exercise, the shared plan); its
    ``_show_limit(message)`` is called instead when it has one.
    """
    _told.add(owner)


def holds(owner: ipw.Widget, control: ipw.Widget) -> bool:
    """Whether ``control`` is drawn inside ``owner`` (among its children, at any depth)."""
    todo: list[ipw.Widget] = [owner]
    seen: set[int] = set()
    while todo:
        widget = todo.pop()
        if widget is control:
            return True
        if id(widget) not in seen:
            seen.add(id(widget))
            todo.extend(getattr(widget, "children", ()) or ())
    return False


def _refused(control: ipw.Widget, most: int) -> None:
    from widgets.core.i18n import t
    from widgets.core.numbers import format_number

    message = t("store.text_too_long", max=format_number(most, 0))
    for owner in list(_told):
        if holds(owner, control):
            show_limit = getattr(owner, "_show_limit", None)
            if show_limit is not None:
                show_limit(message)
            else:
                owner.status = message


def _limited(klass: type[W], most: int) -> type[W]:
    """``klass`` (a text field) that refuses a value longer than ``max_length`` and keeps the old one.

    ipywidgets' ``Text`` and ``Textarea`` have no ``maxlength``: a browser may send anything,
    and every keystroke sends the whole value. A value above the limit never reaches the
    exercise or the answer store: the field keeps its value (which ipywidgets then sends back
    to the browser), and the widget it is drawn in shows a Swedish message (see
    :func:`report_refusals_to`).
    """

    class Limited(klass):  # type: ignore[misc, valid-type]
        max_length = Int(most, help="The most characters the field takes; a longer value is refused.")

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._mark_limit()

        @validate("value")
        def _within_limit(self, proposal: dict[str, Any]) -> str:
            value = proposal["value"]
            if len(value) <= self.max_length:
                self._kept = value
                return value
            _refused(self, self.max_length)
            # From the browser (ipywidgets' ``set_state``) the long value is in place until this
            # check at the end: the kept one replaces it, and ipywidgets sends it to the browser.
            return getattr(self, "_kept", "")

        @observe("max_length")
        def _mark_limit(self, _change: Any = None) -> None:
            for name in [c for c in self._dom_classes if c.startswith(MAX_LENGTH_CLASS)]:
                self.remove_class(name)
            self.add_class(f"{MAX_LENGTH_CLASS}{self.max_length}")

    Limited.__name__ = Limited.__qualname__ = klass.__name__
    Limited.__doc__ = klass.__doc__
    return Limited


# -- what the page's script (``cirkel-a11y.js``) makes accessible -----------------------------------
#: CSS class of the text that names the choices after it (a question): the group's legend.
LEGEND_CLASS = "cirkel-legend"
#: CSS class prefix of a request to move the keyboard focus to a widget, numbered so each is new.
FOCUS_CLASS = "cirkel-focus-"
_focus_requests = itertools.count(1)


def focus(widget: W) -> W:
    """Move the keyboard focus to ``widget`` (its first control, or itself) once the page shows it.

    ipywidgets' own ``widget.focus()`` is lost when the widget is hidden or not drawn yet, as it
    is when an action has just shown it; a numbered class waits in the page until it is shown.
    A result (an ``HTML``) is focused as a whole, so a screen reader reads it.
    """
    old = [name for name in widget._dom_classes if name.startswith(FOCUS_CLASS)]
    widget._dom_classes = (
        *(name for name in widget._dom_classes if name not in old),
        f"{FOCUS_CLASS}{next(_focus_requests)}",
    )
    return widget


def live(widget: W, alert: bool = False) -> W:
    """Make ``widget`` (an ``HTML``) a live region from the moment it is drawn; set its ``value`` only.

    A region made anew with each message may be missed by a screen reader; this one is in the
    page before its text changes. ``alert`` for errors that must interrupt.
    """
    widget.add_class("cirkel-live")
    if alert:
        widget.add_class("cirkel-live-alert")
    return widget


def choice_group(box: W) -> W:
    """Make ``box`` (of checkboxes) a group named by the ``LEGEND_CLASS`` text before it."""
    box.add_class("cirkel-choice-group")
    return box


Box = _lean(ipw.Box)
BoundedFloatText = _lean(ipw.BoundedFloatText)
BoundedIntText = _lean(ipw.BoundedIntText)
Button = _lean(ipw.Button)
Checkbox = _lean(ipw.Checkbox)
DatePicker = _lean(ipw.DatePicker)
Dropdown = _lean(ipw.Dropdown)
HBox = _lean(ipw.HBox)
HTML = _lean(ipw.HTML)
Play = _lean(ipw.Play)
RadioButtons = _lean(ipw.RadioButtons)
# A field whose value only a button reads takes ``continuous_update=False``: its text then goes to the
# kernel once, as the field is left, ahead of the click. Sent key by key, ipywidgets holds a field's
# later updates back while the kernel is busy with an earlier one, but not a button's click, so on a
# slow line the button's handler read half the text ("i tis" for "i tisdags").
Text = _limited(_lean(ipw.Text), MAX_TEXT_LENGTH)
Textarea = _limited(_lean(ipw.Textarea), MAX_TEXTAREA_LENGTH)
TimePicker = _lean(ipw.TimePicker)
VBox = _lean(ipw.VBox)
