"""The 2030 goals in people and conversations: content, the learner's numbers, the arithmetic.

Strategidokumentet, Del 1, sets two goals for 2030 ("Klass": at least 50 % of
all in working-class occupations see themselves as left and at least 20 %
sympathise with Vänsterpartiet; "Den unga generationen": at least 50 % of all
under 30 see themselves as left and at least 25 % sympathise). The targets are
content (``mal-2030.yml``), so a course author quotes them, never the code.

A learner enters their own municipality's numbers (or starts from the example
table that ships with the content, which is labelled as an example and is not
real statistics) and sees what the targets mean in people, and how many
conversations a year each active member would need to have, under an assumption
they can change (conversations per new sympathiser). Pure Python (no ipywidgets,
no pandas), so ``grading`` can score it and a learner's kernel does not carry pandas
(some 50 MiB) for a table of a few rows; ``goal_table`` still gives the table as a
pandas ``DataFrame`` for whoever wants one.

One job per module: ``content`` (the YAML and the example table), ``plan`` (the learner's
numbers and what the check counts) and ``arithmetic`` (people and conversations).
"""

from __future__ import annotations

from widgets.models.goal_calculator.arithmetic import (
    ConversationPlan,
    GoalRow,
    conversation_plan,
    goal_rows,
    goal_table,
    years_left,
)
from widgets.models.goal_calculator.content import (
    MEMBERS_COLUMN,
    PLACE_COLUMN,
    TODAY_SUFFIX,
    ExampleTable,
    GoalSettings,
    Group,
    Numbers,
    load_examples,
    load_settings,
    parse_settings,
)
from widgets.models.goal_calculator.plan import Plan, goal_completeness, goal_parts, is_example

__all__ = [
    "Group",
    "GoalSettings",
    "Numbers",
    "Plan",
    "load_settings",
    "parse_settings",
    "ExampleTable",
    "load_examples",
    "GoalRow",
    "goal_rows",
    "goal_table",
    "ConversationPlan",
    "conversation_plan",
    "years_left",
    "is_example",
    "goal_parts",
    "goal_completeness",
    "PLACE_COLUMN",
    "MEMBERS_COLUMN",
    "TODAY_SUFFIX",
]
