"""Table cells formatted once per distinct value read exactly as ``widgets.core.formats`` writes them one by one."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from grading.reports.completion import format_points
from grading.reports.table_text import datetime_texts, points_texts
from widgets.core.formats import format_datetime

pytestmark = pytest.mark.unit

# around the change to summer time in Stockholm (2026-03-29 01:00 UTC), a naive time, midnight, a missing one
MOMENTS = [
    dt.datetime(2026, 3, 29, 0, 59, 30, tzinfo=dt.UTC),
    dt.datetime(2026, 3, 29, 1, 0, 0, tzinfo=dt.UTC),
    dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC),
    dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC),
    dt.datetime(2026, 12, 3, 13, 5, 59),
    dt.datetime(2026, 12, 31, 23, 0, tzinfo=dt.UTC),
    dt.datetime(2026, 12, 3, 14, 5, tzinfo=dt.timezone(dt.timedelta(hours=5))),
]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_times_read_as_format_datetime_gives_them(lang):
    series = pd.Series([*MOMENTS[:4], None, MOMENTS[5]], dtype=object)
    stamps = pd.to_datetime(series, utc=True)
    expected = [format_datetime(m, lang=lang) for m in [*MOMENTS[:4]]] + ["", format_datetime(MOMENTS[5], lang=lang)]
    assert datetime_texts(stamps, lang=lang) == expected
    assert datetime_texts(MOMENTS, lang=lang) == [format_datetime(m, lang=lang) for m in MOMENTS]


def test_points_read_as_format_points_gives_them():
    points = [7.25, math.nan, 0.0, 7.25, 12345.5, None]
    most = [9.0, 9.0, 3.0, 9.0, 20000.0, 4.0]
    assert points_texts(points, most) == [format_points(p, m) for p, m in zip(points, most)]
    assert points_texts(points, most)[0] == "7,25/9"
