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
    assert set(range(name.first, name.last + 1)) <= doc.name_tokens  # the names' tokens, found once for all readers
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


def test_persons_reads_the_role_context_links_writes():
    # the states linking gives plural titles reach state inference as a declared layer
    assert "role_context" in COMPONENTS["links"].assigns and "role_context" in COMPONENTS["persons"].requires
    with pytest.raises(ValueError, match="role_context"):
        check_order(("tokens", "places", "titles", "names", "organisations", "persons"),
                    given=("text", "language", "entities"))


@pytest.mark.parametrize("lang,text", [
    ("en", "Minister of Water Luvsan Batbold\nopened the dam in Darkhan on 3 May 2024."),
    ("tr", "Su Bakanı Luvsan Batbold\n3 Mayıs 2024'te Darhan'da barajı açtı."),
    ("ru", "Министр водных ресурсов Лувсан Батболд\n3 мая 2024 года открыл плотину в Дархане."),
])
def test_the_texts_lines_are_found_once_per_document(monkeypatch, lang, text):
    # the publication date and the role linker both read where the lines break
    from conftest import count_calls
    from pipeline.knowledge.textnorm import Lines

    calls, doc = count_calls(monkeypatch, Lines, "__init__", lambda: run_components(Doc.from_text(text, language=lang)))
    assert calls == 1 and doc.role_context.lines is doc.lines
    assert any("Batbold" in p.name or "Батболд" in p.name for p in doc.persons)


@pytest.mark.parametrize("lang,text,states", [
    ("en", "The Foreign Ministers of Mongolia and Latvia, Luvsan Batbold and Andris Ozols, opened the trade fair.",
     {"Batbold": "MN", "Ozols": "LV"}),
    ("tr", "Moğolistan ve Letonya Dışişleri Bakanları Batbold Ganzorig ve Andris Ozols ticaret fuarını açtı.",
     {"Ganzorig": "MN", "Ozols": "LV"}),
])
def test_the_role_context_carries_a_plural_titles_states_to_persons(lang, text, states):
    doc = run_components(Doc.from_text(text, language=lang))
    assert "role_context" in doc.done
    assert list(doc.role_context.plural_states.values()) == [list(states.values())]  # linking's plural title ...
    assert {p.name.split()[-1]: p.country for p in doc.persons} == states  # ... read by state inference
