"""A learner's JSON file nested deeper than Cirkel writes is refused as damaged, never with ``RecursionError``."""

from __future__ import annotations

import json

import pytest

from widgets.core.i18n import t
from widgets.core.learner_json import MAX_JSON_DEPTH, loads
from widgets.storage.submission import SubmitError, find_learner

pytestmark = pytest.mark.unit

DEEP = 100_000


def nested(depth: int, inner: str = "1") -> str:
    """``depth`` levels, arrays and objects in turn, around ``inner``."""
    text = inner
    for level in range(depth):
        text = f"[{text}]" if level % 2 else f'{{"k": {text}}}'
    return text


def test_the_limit_is_exact_and_brackets_in_strings_do_not_count():
    quoted = json.dumps('[[{ \\" \\\\' * 50)  # escaped quotes and backslashes among brackets
    assert loads(nested(MAX_JSON_DEPTH, quoted)) == json.loads(nested(MAX_JSON_DEPTH, quoted))
    assert loads(nested(MAX_JSON_DEPTH).encode()) == json.loads(nested(MAX_JSON_DEPTH))
    wide = "[" + ",".join(["[]"] * 10_000) + "]"  # many brackets, two levels
    assert loads(wide) == json.loads(wide)
    in_a_string = '["' + "\\" * 9 + '", ' + "[" * DEEP + '"]'  # the ninth backslash escapes the quote
    assert loads(in_a_string) == ["\\" * 4 + '", ' + "[" * DEEP]
    for too_deep in (nested(MAX_JSON_DEPTH + 1), nested(MAX_JSON_DEPTH + 1, quoted)):
        with pytest.raises(json.JSONDecodeError):
            loads(too_deep)


@pytest.mark.parametrize(
    "attack",
    [
        "[" * DEEP + "]" * DEEP,
        '{"a":' * DEEP + "1" + "}" * DEEP,
        "[" * DEEP,  # never closed
        '["' + "\\" * 8 + '", ' + "[" * DEEP,  # four escaped backslashes: the string ends, the attack follows
        '"' + '\\"' * DEEP + "[" * DEEP,  # a string never closed: the brackets are in it, json.loads refuses it
        "[" + "1" * 5_000 + "]",  # more digits than int() converts: a plain ValueError from json.loads
    ],
    ids=["arrays", "objects", "unclosed", "escapes", "unclosed_string", "long_integer"],
)
def test_an_attack_is_a_decode_error_like_any_damaged_file(attack):
    with pytest.raises(json.JSONDecodeError):
        loads(attack)


def test_a_learner_file_nested_too_deep_is_a_damaged_learner_file(tmp_path):
    (tmp_path / ".cirkel-deltagare.json").write_text('{"student_id": ' + "[" * DEEP + "]" * DEEP + "}")
    with pytest.raises(SubmitError) as refused:
        find_learner(tmp_path)
    assert str(refused.value) == t("submit.bad_learner_file")
