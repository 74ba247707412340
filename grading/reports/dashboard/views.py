"""The table shaped for the views: filters, who is behind, completion over time, the spread, per circle."""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING

from grading.reports.dashboard.table import CIRCLE_SEPARATOR, done_labels

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


def filter_table(frame: pd.DataFrame, circle: str | None = None, module: str | None = None) -> pd.DataFrame:
    """The rows of one circle (by id) and/or one module; ``None`` or ``""`` keeps all."""
    mask = frame["module"].notna()
    if circle:
        mask &= frame["circle"].map(lambda text: circle in str(text).split(CIRCLE_SEPARATOR))
    if module:
        mask &= frame["module"] == module
    return frame[mask].reset_index(drop=True)


def behind_list(frame: pd.DataFrame) -> pd.DataFrame:
    """Who is behind on which module and since when, longest behind first."""
    rows = frame[frame["behind_since"].notna()]
    rows = rows[["student_id", "namn", "circle", "module", "state", "behind_since"]]
    return rows.sort_values(["behind_since", "student_id", "module"]).reset_index(drop=True)


def completion_over_time(frame: pd.DataFrame) -> pd.DataFrame:
    """Submissions per day (local date of ``submitted_at``) and their running total.

    Columns: ``date`` (``datetime.date``), ``submissions``, ``cumulative``.
    """
    import pandas as pd

    done = frame[frame["state"].isin(done_labels()) & frame["submitted_at"].notna()]
    if done.empty:
        return pd.DataFrame(
            {"date": pd.Series(dtype=object), "submissions": pd.Series(dtype=int), "cumulative": pd.Series(dtype=int)}
        )
    days = done["submitted_at"].dt.tz_convert(_local_zone()).dt.date
    per_day = days.value_counts().sort_index()
    out = pd.DataFrame({"date": list(per_day.index), "submissions": per_day.to_numpy(dtype=int)})
    out["cumulative"] = out["submissions"].cumsum()
    return out


def _local_zone():
    return _dt.datetime.now().astimezone().tzinfo


def points_spread(frame: pd.DataFrame) -> pd.DataFrame:
    """The spread of points per graded module: count, min, quartiles, median, max, mean.

    One row per module in the table's order that has at least one graded row.
    """
    import pandas as pd

    graded = frame[frame["points"].notna()]
    rows = []
    for module in dict.fromkeys(frame["module"]):
        points = graded.loc[graded["module"] == module, "points"].astype(float)
        if points.empty:
            continue
        most = frame.loc[frame["module"] == module, "max_points"].dropna()
        rows.append(
            {
                "module": module,
                "count": int(points.size),
                "min": float(points.min()),
                "q1": float(points.quantile(0.25)),
                "median": float(points.median()),
                "q3": float(points.quantile(0.75)),
                "max": float(points.max()),
                "mean": float(points.mean()),
                "max_points": float(most.iloc[0]) if not most.empty else float("nan"),
            }
        )
    return pd.DataFrame(rows, columns=["module", "count", "min", "q1", "median", "q3", "max", "mean", "max_points"])


def circle_summary(frame: pd.DataFrame, names: dict[str, str] | None = None) -> pd.DataFrame:
    """Per circle: members, modules submitted of all, the share, mean points, rows behind.

    Learners in no circle are summed under ``circle_id`` ``""``.
    """
    import pandas as pd

    names = names or {}
    exploded = frame.assign(
        circle_id=frame["circle"].map(lambda text: [c for c in str(text).split(CIRCLE_SEPARATOR) if c] or [""])
    ).explode("circle_id")
    done = done_labels()
    rows = []
    for circle_id, part in exploded.groupby("circle_id", sort=True):
        total = len(part)
        finished = int(part["state"].isin(done).sum())
        rows.append(
            {
                "circle_id": circle_id,
                "name": names.get(circle_id, circle_id),
                "members": int(part["student_id"].nunique()),
                "done": finished,
                "total": total,
                "share_done": finished / total if total else 0.0,
                "mean_points": float(part["points"].mean()) if part["points"].notna().any() else float("nan"),
                "behind": int(part["behind_since"].notna().sum()),
            }
        )
    out = pd.DataFrame(
        rows, columns=["circle_id", "name", "members", "done", "total", "share_done", "mean_points", "behind"]
    )
    # named circles first, the learners in no circle last
    return out.sort_values("circle_id", key=lambda s: s.eq("")).reset_index(drop=True)
