"""The Doc and its components: declared layers, checked order, one document
annotated layer by layer from Python."""
from __future__ import annotations

import pytest

from pipeline import Pipeline, Settings
from pipeline.doc import Doc, LayerMissing
from pipeline.stages.components import COMPONENTS, PIPELINE, check_order, run_components


def test_every_component_reads_only_layers_written_before_it():
    # the default pipeline passes its own check, and each layer it reads was assigned earlier
    comps = check_order(PIPELINE, given=("text", "language", "entities"))
    assert [c.name for c in comps] == list(PIPELINE)
    assert {"names", "links", "persons", "events"} <= {a for c in comps for a in c.assigns}


@pytest.mark.parametrize("order", [("links", "names"), ("names",), ("dates", "tokens", "record")])
def test_a_misordered_pipeline_fails_when_built(order):
    with pytest.raises(ValueError, match="requires"):
        check_order(order, given=("text", "language", "entities"))
    with pytest.raises(ValueError, match="requires"):
        Pipeline(settings=Settings(components=order))


def test_an_unknown_component_is_named():
    with pytest.raises(ValueError, match="no component named 'parse'"):
        check_order(("tokens", "parse"))


def test_a_component_run_too_early_names_the_missing_layer():
    doc = Doc.from_text("Minister Aida Sultanbekova arrived.", language="en")
    with pytest.raises(LayerMissing, match="tokens"):
        COMPONENTS["titles"](doc)
    COMPONENTS["tokens"](doc)
    COMPONENTS["titles"](doc)  # now it finds what it reads
    assert "titles" in doc.done and doc.titles


@pytest.mark.parametrize("lang,text,surname,role_type,country", [
    ("en", "Uzbek Minister of Energy Timur Abdullaev visited Baku on Tuesday.", "Abdullaev", "minister", "UZ"),
    ("tr", "Kırgızistan Dışişleri Bakanı Azamat Jeenbekov Ankara'yı ziyaret etti.", "Jeenbekov", "minister", "KG"),
    ("ru", "Посол Казахстана Ерлан Сагадиев прибыл в Анкару.", "Сагадиев", "ambassador", "KZ"),
])
def test_layers_build_on_each_other(lang, text, surname, role_type, country):
    doc = Doc.from_text(text, language=lang)
    run_components(doc)
    assert {"tokens", "places", "titles", "names", "links", "persons", "record", "events"} <= doc.done
    # places are found before names, and no name holds a place
    name = next(m for m in doc.names if surname in m.name)
    for p in doc.places:
        assert p.end <= name.start or p.start >= name.end
    # the link layer holds each name mention's titles, with the state
    links = doc.links[doc.names.index(name)]
    assert any(r.role_type == role_type for r in links)
    person = next(p for p in doc.persons if surname in p.name)
    assert person.country == country
    # and the record is built from the layers
    assert any(surname in p.name for p in doc.record.persons)


def test_a_pipeline_without_events_still_gives_records():
    pipe = Pipeline(settings=Settings(components=tuple(c for c in PIPELINE if c != "events")))
    rec = pipe.extract_text("Foreign Minister Daniyar Oskonbaev received Ambassador Lev Petrov in Bishkek.")
    assert any("Oskonbaev" in p.name for p in rec.persons)
    assert rec.events == []
