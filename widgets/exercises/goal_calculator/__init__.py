"""GoalCalculator: what the document's 2030 goals mean in people and conversations where we live.

Strategidokumentet, Del 1, sets targets for 2030 in "Klass" and "Den unga
generationen". The learner enters their municipality's number of people in
working-class occupations and under 30, the share who sympathise with the party
today (their own estimate) and the branch's active members, or starts from the
example table (labelled "Exempel, inte riktig statistik"). The widget shows the
targets in people as a chart and a table, and how many conversations a year each
active member would need to have, under an assumption the learner can change;
then the learner sets the branch's own plan of conversations.

Public attributes a test (or a notebook) may drive: ``example_picker``,
``example_button``, ``population_inputs`` and ``today_inputs`` (dicts by group
id), ``members``, ``per_sympathiser``, ``planned``, and the methods
``use_example``, ``table``, ``conversations``.

One job per module: ``markup`` (the example table, the chart, the table, the verdict) and
``calculator`` (:class:`GoalCalculator`).
"""

from __future__ import annotations

from widgets.exercises.goal_calculator.calculator import GoalCalculator
from widgets.models.goal_calculator import GoalSettings, load_settings

__all__ = ["GoalCalculator", "GoalSettings", "load_settings"]
