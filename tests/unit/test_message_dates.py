"""Kernel message dates read by the standard library: the same instants as dateutil, for every form."""

from __future__ import annotations

import datetime
import itertools

import pytest
from dateutil.parser import isoparse
from jupyter_client import jsonutil
from jupyter_client.session import Session

from grading.servers import message_dates

pytestmark = pytest.mark.unit

FRACTIONS = ["", ".5", ".58", ".584", ".5841", ".58412", ".584123"]
ZONES = ["", "Z", "+00:00", "+0100", "-05:30", "+14:00", "-1200"]


@pytest.mark.parametrize(("fraction", "zone"), itertools.product(FRACTIONS, ZONES))
def test_every_form_jupyter_client_lets_through_reads_as_dateutil_reads_it(fraction, zone):
    text = f"2026-12-05T02:05:59{fraction}{zone}"
    assert jsonutil.ISO8601_PAT.match(text)
    ours, theirs = message_dates.parse(text), isoparse(text)
    assert ours == theirs if theirs.tzinfo else ours.replace(tzinfo=None) == theirs
    assert ours.utcoffset() == theirs.utcoffset()
    assert ours.microsecond == theirs.microsecond


def test_what_the_standard_library_refuses_still_goes_to_dateutil():
    assert message_dates.parse("2026-12-05T24:00:00Z") == datetime.datetime(2026, 12, 6, tzinfo=datetime.UTC)


def test_a_message_through_a_session_keeps_its_date(monkeypatch):
    monkeypatch.setattr(jsonutil, "_dateutil_parse", jsonutil._dateutil_parse)  # undone after the test
    message_dates.install()
    session = Session(key=b"secret")
    sent = session.msg("status", {"execution_state": "idle"})
    wire = session.serialize(sent)
    _idents, parts = session.feed_identities(wire[1:] if wire[0] == b"" else wire)
    received = session.deserialize(parts)
    assert isinstance(received["header"]["date"], datetime.datetime)
    assert received["header"]["date"] == sent["header"]["date"]
    assert received["header"]["date"].utcoffset() == datetime.timedelta(0)
