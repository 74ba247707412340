"""VotingProcedure: put the chair's questions in the right order, then read the decision.

The scenarios are data (a YAML file, see ``_voting_model``). For each
scenario the learner orders the questions with "Upp"/"Ned" buttons (keyboard
operable, no drag and drop), checks the order, then reads the votes round by
round and says what the meeting decided. Feedback explains the right order.
Every move and choice is saved, and a rebuilt widget shows the same state.

Buttons call the public methods ``move``, ``check_order``, ``choose_result``
and ``check_result``, so tests and a kernel with no display drive it as a
learner does.

One job per module: ``scenario_view`` (one scenario's controls and feedback) and
``procedure`` (:class:`VotingProcedure`).
"""

from __future__ import annotations

from widgets.exercises.voting.procedure import VotingProcedure
from widgets.models.voting import VotingBank, load_voting_bank

__all__ = ["VotingProcedure", "VotingBank", "load_voting_bank"]
