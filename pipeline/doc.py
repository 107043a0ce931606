"""A release under analysis: one object the stages annotate in layers.

Like natasha's ``Doc``, it is a plain object: reading fills ``text``, and
each stage (``pipeline.stages.components``) reads the layers it declares in
``requires`` and writes those it declares in ``assigns``, as spaCy
components do. ``done`` names the layers written so far, so a stage that
runs too early fails at once, by name, rather than reading an empty list.

    from pipeline.doc import Doc
    from pipeline.stages.components import run_components
    doc = Doc.from_text("Dışişleri Bakanı Hakan Fidan Bakü'de konuştu.", language="tr")
    run_components(doc, entities=[])   # or pass NER spans
    doc.persons[0].name, doc.persons[0].roles
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import TYPE_CHECKING

from .knowledge.textnorm import Lines
from .run.reading import Document

if TYPE_CHECKING:
    from .knowledge.lexicon import Word
    from .knowledge.textnorm import Token
    from .schema import City, Country, DateMention, Event, Record, Role
    from .stages.ner import Entity
    from .stages.organizations import OrgMention
    from .stages.people import PersonMention
    from .stages.persons import DocPerson
    from .stages.places import PlaceMention
    from .stages.roles import Context, RoleMention


class LayerMissing(RuntimeError):
    """A stage ran before the stage that writes a layer it reads."""


@dataclass(eq=False)
class Doc:
    document: Document  # as read: doc id, source, encoding, the page's date
    # the text every offset indexes: the document's, boilerplate masked with spaces
    text: str
    warnings: list[str] = field(default_factory=list)
    done: set[str] = field(default_factory=lambda: {"text"})  # the layers written so far

    # -- layers, in the order the default pipeline writes them -------------
    language: str | None = None
    entities: list[Entity] | None = None  # NER spans (PER, LOC, ORG ...)
    publication_date: str | None = None
    dates: list[DateMention] | None = None
    tokens: list[Token] | None = None  # with character offsets into ``text``
    starts: list[int] | None = None  # the tokens' start offsets, for bisection
    words: list[Word] | None = None  # the tokens' stems and lemmas, for lexicons
    places: list[PlaceMention] | None = None  # countries, cities, demonyms
    place_tokens: dict[int, PlaceMention] | None = None  # token index -> the place it is in
    titles: list[RoleMention] | None = None  # office titles, typed
    bylines: list[int] | None = None  # tokens that start an author's name
    institutions: dict[int, str] | None = None  # token -> state whose institution it names
    names: list[PersonMention] | None = None  # person name mentions, in text order
    name_tokens: set[int] | None = None  # the tokens inside a name mention
    organizations: list[OrgMention] | None = None
    links: list[list[Role]] | None = None  # per name mention: its titles, with organisation and state
    # the role linker's view of the document, with the states linking gave plural
    # titles ("the foreign ministers of A and B"), which state inference reads
    role_context: Context | None = None
    persons: list[DocPerson] | None = None  # one per person, with the state each acts for
    countries: list[Country] | None = None
    cities: list[City] | None = None
    record: Record | None = None  # the record so far (persons not yet resolved)
    events: list[Event] | None = None

    @classmethod
    def from_document(cls, document: Document) -> Doc:
        return cls(document=document, text=document.clean_text, warnings=list(document.warnings))

    @classmethod
    def from_text(cls, text: str, doc_id: str = "doc", language: str | None = None) -> Doc:
        doc = cls.from_document(Document(doc_id=doc_id, source="<text>", text=text, encoding="utf-8"))
        if language is not None:
            doc.set("language", language)
        return doc

    @cached_property
    def lines(self) -> Lines:
        """The text's lines, found once: the publication date and the role
        linker both read them. Not a layer: it follows from ``text`` alone."""
        return Lines(self.text)

    def set(self, layer: str, value) -> None:
        """Write a layer from outside a component (a caller that knows it)."""
        setattr(self, layer, value)
        self.done.add(layer)

    def layer(self, name: str):
        """A layer's value; ``LayerMissing`` if no stage has written it."""
        if name not in self.done:
            raise LayerMissing(f"layer '{name}' is not annotated yet")
        return getattr(self, name)


# the annotation layers (the fields a stage may require or assign); "text" is reading's
LAYERS = frozenset(f.name for f in fields(Doc)) - {"document", "warnings", "done"}
