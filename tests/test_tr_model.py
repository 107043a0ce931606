"""The Turkish NER model shipped in models/tr_pressx_ner: it loads with
spacy.load on a plain install, tags sentences written for these tests, and
keeps suffixed names whole."""
from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

import pytest
import spacy

from pipeline.stages.crf_ner import Gazetteers, iob_spans, sentence_features, shape, split_suffix
from pipeline.stages.ner import SpacyNER, ner_for, turkish_model_path

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "tr_pressx_ner"


@pytest.fixture(scope="module")
def nlp():
    assert (MODEL / "meta.json").exists(), "models/tr_pressx_ner is missing: the repository ships it"
    return spacy.load(MODEL)


def ents(nlp, text: str) -> set[tuple[str, str]]:
    return {(e.text, e.label_) for e in nlp(text).ents}


def test_loads_from_models_with_spacy_load(nlp):
    assert nlp.pipe_names == ["sentencizer", "pressx_crf_ner"]
    assert nlp.lang == "tr"
    assert sum(f.stat().st_size for f in MODEL.rglob("*") if f.is_file()) < 50 * 2**20


def test_people_places_organisations(nlp):
    found = ents(nlp, "Dışişleri Bakanı Mevlüt Çavuşoğlu dün Ankara'da Azerbaycan Dışişleri Bakanı "
                      "Ceyhun Bayramov ile görüştü.")
    assert ("Mevlüt Çavuşoğlu", "PER") in found
    assert ("Ceyhun Bayramov", "PER") in found
    assert ("Ankara'da", "LOC") in found
    found = ents(nlp, "Türk Konseyi Genel Sekreteri Bağdat Amreyev, Bakü'deki toplantıda konuştu.")
    assert ("Bağdat Amreyev", "PER") in found
    assert ("Bakü'deki", "LOC") in found
    found = ents(nlp, "Türk Dil Kurumu ve Ankara Üniversitesi ortak bir çalışma başlattı.")
    assert found == {("Türk Dil Kurumu", "ORG"), ("Ankara Üniversitesi", "ORG")}
    assert ("Milli Güvenlik Kurulu", "ORG") in ents(nlp, "Bakan, Milli Güvenlik Kurulu toplantısına katıldı.")


def test_suffixed_names_stay_whole(nlp):
    found = ents(nlp, "Genel Sekreter Amreyev'in Kazakistan'a yaptığı ziyaret sona erdi.")
    assert ("Amreyev'in", "PER") in found
    assert ("Kazakistan'a", "LOC") in found
    # A typographic apostrophe is the same suffix.
    assert ("Kazakistan’a", "LOC") in ents(nlp, "Heyet yarın Kazakistan’a gidecek.")


def test_titles_are_not_part_of_the_name(nlp):
    found = ents(nlp, "Cumhurbaşkanı Recep Tayyip Erdoğan ile Dr. Ayşe Kaya Bey'in ofisinde buluştu.")
    assert ("Recep Tayyip Erdoğan", "PER") in found
    assert ("Ayşe Kaya", "PER") in found


def test_capitals_and_acronyms(nlp):
    found = ents(nlp, "ANKARA - Cumhurbaşkanı, TBMM'de konuştu.")
    assert ("ANKARA", "LOC") in found
    assert ("TBMM'de", "ORG") in found


def test_line_breaks_cut_sentences(nlp):
    doc = nlp("Ali Yılmaz\nAnkara Üniversitesi")
    assert all("\n" not in e.text for e in doc.ents)


def test_runs_are_cut_at_sentences_where_marked_and_always_at_line_breaks(nlp):
    crf = nlp.get_pipe("pressx_crf_ner")
    text = "Ali geldi. Veli  gitti.\nAnkara'da"
    marked = nlp.get_pipe("sentencizer")(nlp.make_doc(text))
    assert [words for _, words in crf.segments(marked)] == [["Ali", "geldi", "."], ["Veli", "gitti", "."],
                                                            ["Ankara'da"]]
    assert [words for _, words in crf.segments(nlp.make_doc(text))] == [["Ali", "geldi", ".", "Veli", "gitti", "."],
                                                                        ["Ankara'da"]]


def test_save_and_load_again_tags_the_same(nlp, tmp_path):
    nlp.to_disk(tmp_path / "copy")
    again = spacy.load(tmp_path / "copy")
    text = "Kırgızistan Dışişleri Bakanı Ruslan Kazakbayev Bişkek'te açıklama yaptı."
    assert ents(again, text) == ents(nlp, text)


def test_pipeline_uses_the_model_for_turkish():
    assert turkish_model_path() == MODEL
    backend = ner_for("tr")
    assert isinstance(backend, SpacyNER) and backend.name == "spacy:tr_pressx_ner"
    [found] = backend(["Kazakistan Cumhurbaşkanı Kasım Cömert Tokayev Astana'da konuştu."])
    assert any(e.label == "PER" and e.text == "Kasım Cömert Tokayev" for e in found)


def test_component_without_model_says_so():
    nlp = spacy.blank("tr")
    nlp.add_pipe("pressx_crf_ner")
    with pytest.raises(ValueError, match="no model loaded"):
        nlp("Ali geldi.")


# --- features and training data ----------------------------------------------------

def test_split_suffix_and_shape():
    assert split_suffix("Amreyev'in") == ("Amreyev", "in")
    assert split_suffix("Bakü’de") == ("Bakü", "de")
    assert split_suffix("Ankara") == ("Ankara", "")
    assert shape("TÜSİAD") == "XX" and shape("Çavuşoğlu") == "Xxx" and shape("2019'da") == "dd'xx"


def test_iob_spans_opens_on_stray_inside():
    assert list(iob_spans(["B-PER", "I-PER", "O", "I-LOC", "B-ORG", "I-LOC"])) == [
        (0, 2, "PER"), (3, 4, "LOC"), (4, 5, "ORG"), (5, 6, "LOC")]


def test_sentence_features_see_gazetteers_and_neighbours():
    gaz = Gazetteers({"given": frozenset({"ali"}), "title": frozenset({"bakanı"})}, {"bakanı": 5})
    feats = sentence_features(["Bakanı", "Ali'nin", "sözleri"], gaz)
    assert {"given", "apo", "-1:title", "suf:nin", "l:ali"} <= set(feats[1])
    assert {"zipf:5", "BOS", "title", "1:given", "l|+1l:bakanı|ali"} <= set(feats[0])
    assert {"EOS", "-1:given", "-2:title"} <= set(feats[2]) and "given" not in feats[2]


def _train_module():
    spec = importlib.util.spec_from_file_location("train_tr_ner", ROOT / "scripts" / "train_tr_ner.py")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(ROOT / "scripts"))
    spec.loader.exec_module(module)
    return module


def test_training_data_cleaning():
    t = _train_module()
    from nerdata import Sentence

    s = Sentence(["Bay", "Smith", "Bey'in", "1990", "yılı"], ["B-PER", "I-PER", "I-PER", "B-LOC", "O"])
    s = t.strip_titles(t.drop_numbers(s), frozenset({"bay"}), frozenset({"bey"}))
    assert s.tags == ["O", "B-PER", "O", "O", "O"]
    swapped = t.swap_entities(Sentence(["JOHN", "SMITH'İN", "evi"], ["B-PER", "I-PER", "O"]), "PER",
                              lambda n: ["Ayşe", "Kaya"])
    assert swapped.words == ["AYŞE", "KAYA'İN", "evi"] and swapped.tags == ["B-PER", "I-PER", "O"]
    rng = random.Random(0)
    gaz = Gazetteers({"given": frozenset({"ayşe", "mehmet"}), "surname": frozenset({"kaya"})}, {})
    name = t.person_maker(gaz, rng)(2)
    assert name[-1] == "Kaya" and name[0] in {"Ayşe", "Mehmet"}
