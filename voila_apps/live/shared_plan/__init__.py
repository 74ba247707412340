"""One shared strategic plan for a study circle, edited from several devices at once.

``SharedPlanBuilder`` has the six steps and the controls of
``StrategicPlanBuilder`` (``widgets.exercises.plan``), but the plan lives in the course
run's live database (``_shared_plan_store``), one field per control. Each
device saves a field when it changes (a text after a short pause in typing)
and asks the store every second whether the plan moved; what others changed
appears within a couple of seconds. A text this person is typing is never
replaced under their fingers: when they save, theirs wins, the other text is
kept in the plan's history, and the page says so and where to find it.

``shared_plan_app`` is the Voilà app: it finds the circle (``?circle=<id>`` or a
choice among the viewer's circles), checks that the viewer may edit its plan,
and shows the builder, or a plain message.

One job per module: ``prompts`` (where the wording comes from), ``markup`` (the style
sheet, layouts, headings), ``rows`` (a control bound to a field, an item's row),
``history`` (how the history reads), ``syncing`` (the fields kept in step with the
store), ``builder`` (the plan's screen) and ``app`` (which circle, and who may edit).
"""

from __future__ import annotations

from voila_apps.live.shared_plan.app import may_edit, shared_plan_app
from voila_apps.live.shared_plan.builder import SharedPlanBuilder
from voila_apps.live.shared_plan.prompts import find_prompts

__all__ = ["SharedPlanBuilder", "shared_plan_app", "find_prompts", "may_edit"]
