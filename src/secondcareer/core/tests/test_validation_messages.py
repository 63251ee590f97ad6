"""pydantic's errors read as Japanese sentences, with the limits they name."""

from __future__ import annotations

from typing import Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError, field_validator

from secondcareer.core.validation_messages import error_message, key_path


class Weekday(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Literal["mon", "tue"]
    count: StrictInt = Field(ge=1, le=5)

    @field_validator("count")
    @classmethod
    def not_three(cls, value: int) -> int:
        if value == 3:
            raise ValueError("3 は使えません。")
        return value


class Venue(BaseModel):
    model_config = ConfigDict(extra="forbid")
    weekdays: list[Weekday]


def _errors(data: dict) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        Venue.model_validate(data)
    return {key_path(e["loc"]): error_message(e) for e in caught.value.errors()}


def test_each_problem_is_named_by_its_key_path_in_japanese():
    errors = _errors(
        {
            "weekdays": [
                {"name": "mon", "count": 1},
                {"name": "fun", "count": 9},
                {"name": "tue", "count": "2", "colour": "red"},
                {"name": "tue", "count": 3},
                {"count": 0},
            ]
        }
    )
    assert errors == {
        "weekdays[1].name": "次のいずれかで指定してください: 'mon'、'tue'",
        "weekdays[1].count": "5 以下の値にしてください。",
        "weekdays[2].count": "整数で指定してください。",
        "weekdays[2].colour": "不明な項目です。",
        "weekdays[3].count": "3 は使えません。",
        "weekdays[4].name": "必須の項目です。",
        "weekdays[4].count": "1 以上の値にしてください。",
    }


def test_a_wrong_container_type_is_said_plainly():
    assert _errors({"weekdays": "mon"}) == {"weekdays": "リスト（[ ... ]）で指定してください。"}
    assert _errors({"weekdays": ["mon"]}) == {
        "weekdays[0]": "オブジェクト（キーと値の組）で指定してください。"
    }


def test_an_unknown_error_type_still_gets_a_japanese_sentence():
    assert (
        error_message({"type": "no_such_type", "msg": "Some English"}) == "値が正しくありません。"
    )
