"""Output records: the Pydantic models are the contract (see OUTPUT_CONTRACT.md)."""
from __future__ import annotations

from typing import Annotated, Literal, Optional

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from . import __version__

RoleType = Literal[
    "head_of_state",
    "head_of_government",
    "deputy_head_of_government",
    "minister",
    "deputy_minister",
    "secretary_general",
    "deputy_secretary_general",
    "ambassador",
    "chair",
    "deputy_chair",
    "director",
    "official",
    "journalist",
    "other",
]

# The version of OUTPUT_CONTRACT.md the records follow.
SCHEMA_VERSION = "2"
PRESSX_VERSION = __version__

_ISO_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
_ALPHA2 = r"^[A-Z]{2}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _check_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    for start, end in spans:
        if not 0 <= start < end:
            raise ValueError(f"bad span [{start}, {end})")
    return spans


# character offsets [start, end) into the document's text
Spans = Annotated[list[tuple[int, int]], AfterValidator(_check_spans)]


class Role(_Strict):
    title: str
    role_type: RoleType
    organization: Optional[str] = None
    country: Optional[str] = Field(default=None, pattern=_ALPHA2)
    spans: Spans = []  # where the title stands


class Person(_Strict):
    entity_id: str
    name: str
    mentions: list[str]
    spans: Spans
    roles: list[Role] = []
    country: Optional[str] = Field(default=None, pattern=_ALPHA2)


class Country(_Strict):
    code: str = Field(pattern=_ALPHA2)
    name: str
    mentions: list[str]
    spans: Spans = []


class City(_Strict):
    name: str
    mentions: list[str]
    country: Optional[str] = Field(default=None, pattern=_ALPHA2)
    geonameid: Optional[int] = None
    spans: Spans = []


def _range_complete(item):
    """A date range has both ends (for dates and events alike); checked on the
    whole item, so a ``start`` with no ``end`` given at all fails too."""
    if (item.end is None) != (item.start is None):
        raise ValueError("a range needs both start and end")
    return item


class DateMention(_Strict):
    text: str
    value: Optional[str] = Field(default=None, pattern=_ISO_DATE)
    start: Optional[str] = Field(default=None, pattern=_ISO_DATE)
    end: Optional[str] = Field(default=None, pattern=_ISO_DATE)
    span: Optional[tuple[int, int]] = None

    range_complete = model_validator(mode="after")(_range_complete)


EventType = Literal["meeting", "call", "summit", "visit", "signing", "message"]


class Event(_Strict):
    """What the document reports that its people did (GOLD_FORMAT.md, Events)."""

    type: EventType
    participants: list[str] = []  # entity ids of the record's persons
    city: Optional[str] = None
    country: Optional[str] = Field(default=None, pattern=_ALPHA2)
    value: Optional[str] = Field(default=None, pattern=_ISO_DATE)
    start: Optional[str] = Field(default=None, pattern=_ISO_DATE)
    end: Optional[str] = Field(default=None, pattern=_ISO_DATE)
    span: Optional[tuple[int, int]] = None
    # indices into Record.persons: ids are given only at resolution, after analysis
    _people: list[int] = PrivateAttr(default_factory=list)

    range_complete = model_validator(mode="after")(_range_complete)


class Record(_Strict):
    """One press release, as pressx extracted it."""

    doc_id: str
    source: str
    language: str
    publication_date: Optional[str] = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    persons: list[Person] = []
    countries: list[Country] = []
    cities: list[City] = []
    dates: list[DateMention] = []
    events: list[Event] = []
    encoding: Optional[str] = None
    content_hash: Optional[str] = None
    warnings: list[str] = []
    # Which contract and which pressx wrote the record, so an archive of mixed
    # runs can be told apart; records written before these fields read as current.
    schema_version: str = SCHEMA_VERSION
    pressx_version: str = PRESSX_VERSION
    # The text every span indexes, for HTML input (the article trafilatura took
    # from the page); None for text files, whose spans index the file as decoded.
    text: Optional[str] = None


class ErrorEntry(_Strict):
    """A document that could not be turned into a record."""

    doc_id: str
    source: str
    stage: str
    reason: str
