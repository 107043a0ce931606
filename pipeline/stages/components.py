"""The stages as pipeline components over one ``Doc``.

Each component declares the layers it reads (``requires``) and writes
(``assigns``), as spaCy's registered components do; the work itself is done
by the functions of the stage modules, which know nothing of the ``Doc``.
``check_order`` validates a pipeline's order once, when it is built, so a
misordered pipeline fails before the first document, not in the middle of a
batch. ``PIPELINE`` is the default order after language and NER, which run
per batch (``pipeline.run.extract``).

Places, titles and institutions come before names, so a name may not absorb
a place ("Republic Nurlan Abdiev") or a title; organisations come after names
so a name is no organisation; links after all of them."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from ..doc import LAYERS, Doc, LayerMissing
from ..knowledge.lexicon import byline_starts, token_words
from ..knowledge.textnorm import token_span, tokenize
from ..schema import City, Country, DateMention, Person, Record
from .dates import find_dates, publication_date
from .events import find_events
from .langid import detect_language
from .ner import Entity, ner_for
from .organizations import find_organizations
from .people import find_people
from .persons import DocPerson, drop_stray_words, merge_mentions, trim_institutions
from .places import country_name, find_places, has_iso_code, names_event
from .roles import Context, find_roles, institution_tokens, link_roles, list_gap
from .states import infer_states

UNRESOLVED = ""  # entity id of a person before resolution


@dataclass(frozen=True)
class Component:
    name: str  # also the ``stage`` of an error entry the component causes
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    func: Callable[[Doc], None]

    def __call__(self, doc: Doc) -> None:
        missing = [layer for layer in self.requires if layer not in doc.done]
        if missing:  # by name, before any work
            raise LayerMissing(f"component {self.name!r} needs layers {missing}, not annotated yet")
        self.func(doc)
        doc.done.update(self.assigns)


COMPONENTS: dict[str, Component] = {}


def component(name: str, requires: Sequence[str], assigns: Sequence[str]) -> Callable[[Callable[[Doc], None]], Component]:
    """Register ``func(doc)`` as the component ``name``."""
    unknown = set(requires) - LAYERS | set(assigns) - LAYERS
    if unknown:
        raise ValueError(f"component {name}: no such layer {sorted(unknown)}")

    def register(func: Callable[[Doc], None]) -> Component:
        COMPONENTS[name] = Component(name, tuple(requires), tuple(assigns), func)
        return COMPONENTS[name]

    return register


def check_order(names: Iterable[str], given: Iterable[str] = ("text",)) -> list[Component]:
    """The components ``names`` in order, after checking each finds the layers
    it requires written by reading (``given``) or by a component before it."""
    have = set(given)
    out: list[Component] = []
    for name in names:
        if name not in COMPONENTS:
            raise ValueError(f"no component named {name!r} (known: {', '.join(COMPONENTS)})")
        comp = COMPONENTS[name]
        missing = [layer for layer in comp.requires if layer not in have]
        if missing:
            raise ValueError(f"component {name!r} requires {missing}, which no component before it assigns")
        have.update(comp.assigns)
        out.append(comp)
    return out


# -- language and NER (run per batch by the pipeline; here for one document) ---
@component("language", requires=("text",), assigns=("language",))
def annotate_language(doc: Doc) -> None:
    doc.language = detect_language(doc.text).language


@component("ner", requires=("text", "language"), assigns=("entities",))
def annotate_entities(doc: Doc) -> None:
    doc.entities = ner_for(doc.language)([doc.text])[0]


def pipe_entities(docs: list[Doc], lang: str) -> None:
    """NER for documents of one language at once (the model's own batching)."""
    for doc, ents in zip(docs, ner_for(lang)([d.text for d in docs])):
        doc.set("entities", ents)


# -- the rule stages ------------------------------------------------------------
@component("dates", requires=("text", "language"), assigns=("publication_date", "dates"))
def annotate_dates(doc: Doc) -> None:
    # a page's markup date (htmldate) first: trafilatura may leave the page's date line out
    pub = doc.document.published or publication_date(doc.text, doc.language, doc.lines)
    doc.publication_date = pub
    base = dt.date.fromisoformat(pub) if pub else None
    # dates from the whole text: a "last updated" footer is no publication date, but a date
    doc.dates = [DateMention(text=d.text, value=d.value, start=d.range_start, end=d.range_end, span=(d.start, d.end))
                 for d in find_dates(doc.document.text, doc.language, base)]


@component("tokens", requires=("text",), assigns=("tokens", "starts", "words"))
def annotate_tokens(doc: Doc) -> None:
    doc.tokens = tokenize(doc.text)
    doc.starts = [t.start for t in doc.tokens]
    doc.words = token_words(doc.tokens)


@component("places", requires=("tokens", "starts", "language"), assigns=("places", "place_tokens"))
def annotate_places(doc: Doc) -> None:
    doc.places = find_places(doc.tokens, doc.language, text=doc.text)
    doc.place_tokens = {i: p for p in doc.places for i in token_span(doc.tokens, doc.starts, p.start, p.end)}


@component("titles", requires=("tokens", "words", "language"), assigns=("titles", "bylines", "institutions"))
def annotate_titles(doc: Doc) -> None:
    doc.titles = find_roles(doc.tokens, doc.language, doc.words, doc.text)
    doc.bylines = byline_starts(doc.tokens, doc.text, doc.language)
    doc.institutions = institution_tokens(doc.tokens, doc.language, doc.words)


@component("names", requires=("tokens", "starts", "entities", "titles", "bylines", "institutions", "places",
                              "place_tokens"),
           assigns=("names", "name_tokens", "places", "place_tokens"))
def annotate_names(doc: Doc) -> None:
    """Name mentions and the tokens they cover; then the places a name holds
    ("Bağdat Amreyev") are no places (``places`` and ``place_tokens`` refined)."""
    found = find_people(doc.tokens, doc.text, doc.language, doc.titles, doc.entities, doc.bylines, doc.place_tokens)
    not_names = doc.institutions.keys()
    doc.names = drop_stray_words(trim_institutions(found, not_names, doc.tokens, doc.text, doc.language), not_names)
    in_names = doc.name_tokens = {i for m in doc.names for i in range(m.first, m.last + 1)}
    doc.places = [p for p in doc.places
                  if not any(i in in_names for i in token_span(doc.tokens, doc.starts, p.start, p.end))]
    doc.place_tokens = {i: p for i, p in doc.place_tokens.items() if i not in in_names}


@component("organisations", requires=("tokens", "words", "entities", "name_tokens", "place_tokens", "titles"),
           assigns=("organizations",))
def annotate_organizations(doc: Doc) -> None:
    countries = {i for i, p in doc.place_tokens.items() if p.kind == "country"}
    found = find_organizations(doc.tokens, doc.language, doc.entities, doc.text, stop=countries | doc.name_tokens,
                               words=doc.words, title_starts=frozenset(r.first for r in doc.titles))
    # "Kazakh" is no organisation
    doc.organizations = [o for o in found if not all(k in doc.place_tokens for k in range(o.first, o.last + 1))]


@component("links", requires=("tokens", "starts", "names", "name_tokens", "titles", "place_tokens", "organizations", "bylines",
                              "institutions"),
           assigns=("links", "role_context"))
def annotate_links(doc: Doc) -> None:
    """Each name mention's titles, with their organisation and state; a
    mention in a list shares the titles of the one before it. Linking records
    in the role context the states of plural titles, which persons reads."""
    ctx = doc.role_context = Context(doc.tokens, doc.text, doc.language, doc.place_tokens, doc.organizations,
                                     doc.name_tokens, doc.titles, set(doc.bylines), doc.institutions, doc.starts,
                                     doc.lines)
    prev = None
    for m in doc.names:
        joined = prev is not None and m.first > prev.last + 1 and list_gap(doc.tokens, prev.last + 1, m.first)
        m.roles = link_roles(ctx, doc.titles, m.first, m.last, prev.roles if prev else None, joined)
        prev = m
    doc.links = [m.roles for m in doc.names]


@component("persons", requires=("names", "links", "role_context", "places"), assigns=("persons",))
def annotate_persons(doc: Doc) -> None:
    """One entry per person; the state each acts for, over the whole release."""
    doc.persons = merge_mentions(doc.names)
    infer_states(doc.role_context, doc.persons, doc.places, doc.names)


@component("geography", requires=("tokens", "places", "place_tokens", "organizations", "language"),
           assigns=("countries", "cities"))
def annotate_geography(doc: Doc) -> None:
    doc.countries = _countries(doc.places)
    # "Ankara Üniversitesi" names a university, not the city; a city in the name of
    # an event ("the Antalya Diplomacy Forum") still counts; an organisation the
    # model ran over a line break names nothing on the next line
    tokens, text = doc.tokens, doc.text
    org_tokens = {k for o in doc.organizations for k in range(o.first, o.last + 1)
                  if "\n" not in text[tokens[o.first].start:tokens[o.last].end]
                  and not names_event(tokens, o.first, o.last, doc.language)}
    in_orgs = {id(p) for i, p in doc.place_tokens.items() if i in org_tokens}
    doc.cities = _cities([p for p in doc.places if id(p) not in in_orgs])


@component("record", requires=("language", "publication_date", "dates", "persons", "countries", "cities"),
           assigns=("record",))
def annotate_record(doc: Doc) -> None:
    doc.record = new_record(doc, publication_date=doc.publication_date, dates=doc.dates,
                            persons=[_person(p) for p in doc.persons], countries=doc.countries, cities=doc.cities)
    if doc.document.is_html:
        doc.record.text = doc.document.text  # the spans index this, not the page's bytes


@component("events", requires=("record", "tokens", "titles"), assigns=("events",))
def annotate_events(doc: Doc) -> None:
    tokens = doc.tokens
    titles = [(tokens[r.first].start, tokens[r.last].end, r.role_type, r.plural) for r in doc.titles]
    doc.events = doc.record.events = find_events(doc.record, doc.text, titles)


PIPELINE: tuple[str, ...] = ("dates", "tokens", "places", "titles", "names", "organisations", "links", "persons",
                             "geography", "record", "events")


def run_components(doc: Doc, names: Sequence[str] = PIPELINE, entities: list[Entity] | None = None) -> Doc:
    """Run components on one document (language and NER too, unless already
    annotated or ``entities`` given): the whole analysis, from Python."""
    if "language" not in doc.done:
        COMPONENTS["language"](doc)
    if entities is not None:
        doc.set("entities", entities)
    elif "entities" not in doc.done:
        COMPONENTS["ner"](doc)
    for comp in check_order(names, given=doc.done):
        comp(doc)
    return doc


# -- helpers --------------------------------------------------------------------
def new_record(doc: Doc, **fields) -> Record:
    """A record of the document with its identity, language and warnings (and ``fields``)."""
    d = doc.document
    return Record(doc_id=d.doc_id, source=d.source, language=doc.language, encoding=d.encoding,
                  content_hash=d.content_hash or None, warnings=list(doc.warnings), **fields)


def _person(p: DocPerson) -> Person:
    names = list(dict.fromkeys(m.name for m in p.mentions))
    return Person(entity_id=UNRESOLVED, name=p.name, mentions=names,
                  spans=[(m.start, m.end) for m in p.mentions], roles=p.roles, country=p.country)


def _countries(places) -> list[Country]:
    out: dict[str, Country] = {}
    for p in places:
        if p.kind == "country" and has_iso_code(p.code):
            c = out.setdefault(p.code, Country(code=p.code, name=country_name(p.code), mentions=[]))
            if p.text not in c.mentions:
                c.mentions.append(p.text)
            c.spans.append((p.start, p.end))
    return list(out.values())


def _cities(places) -> list[City]:
    out: dict[int, City] = {}
    for p in places:
        if p.kind == "city" and p.city is not None:
            c = out.setdefault(p.city.geonameid, City(name=p.city.name, mentions=[], country=p.city.country,
                                                      geonameid=p.city.geonameid))
            if p.text not in c.mentions:
                c.mentions.append(p.text)
            c.spans.append((p.start, p.end))
    return list(out.values())


__all__ = ["COMPONENTS", "PIPELINE", "Component", "LayerMissing", "check_order", "component", "new_record", "pipe_entities",
           "run_components"]
