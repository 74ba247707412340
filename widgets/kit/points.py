"""Points on the gradebook's scale: what a learner's exercise shows is what the course leader sees.

An exercise counts in its own units (one point a question, two a voting scenario); nbgrader's
gradebook counts the points ``module.yml`` gives the exercise. The module notebook passes those
as ``points``, and every score the learner reads is shown on that scale, rounded as the grading
check rounds it (``grading.checks``: the share of ``points``, to two decimals).
"""

from __future__ import annotations

from traitlets import Float

__all__ = ["points_trait", "on_scale"]


def points_trait() -> Float:
    """The ``points`` trait of a scored exercise."""
    return Float(
        None,
        allow_none=True,
        help="What the exercise is worth in the gradebook (module.yml); scores are shown on that scale. "
        "None: the exercise's own units.",
    )


def on_scale(value: float, max_score: float, points: float | None) -> float:
    """``value`` of ``max_score`` on the gradebook's scale of ``points`` (unchanged without ``points``)."""
    if points is None or not max_score:
        return value
    share = min(max(value / max_score, 0.0), 1.0)
    return round(share * points, 2)
