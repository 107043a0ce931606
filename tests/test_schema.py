"""The record schema refuses what the output contract does not allow."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from pipeline.schema import DateMention, Event


@pytest.mark.parametrize("model,base", [(DateMention, {"text": "9-12 Eylül 2019"}), (Event, {"type": "visit"})])
@pytest.mark.parametrize("ends", [{"start": "2019-09-09"}, {"end": "2019-09-12"},
                                  {"start": "2019-09-09", "end": None}])
def test_a_range_with_one_end_is_refused(model, base, ends):
    with pytest.raises(ValidationError, match="both start and end"):
        model(**base, **ends)


@pytest.mark.parametrize("model,base", [(DateMention, {"text": "9-12 Eylül 2019"}), (Event, {"type": "visit"})])
def test_a_whole_range_or_none_passes(model, base):
    assert model(**base, start="2019-09-09", end="2019-09-12").end == "2019-09-12"
    assert model(**base).start is None


def test_a_date_that_is_not_iso_is_refused():
    with pytest.raises(ValidationError):
        DateMention(text="12.09.2019", value="12.09.2019")
