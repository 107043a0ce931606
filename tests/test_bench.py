"""scripts/bench.py's corpus of distinct documents: NER-set tokens back into
running text, sentences grouped into news-sized documents."""
import random
import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from bench import _grouped, _ner_sentences, corpus_kind, detokenise  # noqa: E402


def test_tokens_become_running_text_in_each_language():
    assert detokenise(["Minister", "Selim", "Aydemir", "(", "Ankara", ")", "said", ":", "``", "We", "agree",
                       "''", ",", "and", "it", "'s", "done", "."]) == \
        'Minister Selim Aydemir (Ankara) said: "We agree", and it\'s done.'
    # Turkish case suffixes split off by the annotators go back onto their name
    assert detokenise(["Bakan", "Eryılmaz", "'ın", "Bişkek", "'te", "yaptığı", "%", "5", "açıklama", "."]) == \
        "Bakan Eryılmaz'ın Bişkek'te yaptığı %5 açıklama."
    # straight quotes open and close in turn; guillemets hug their words
    assert detokenise(["Агентство", "«", "Вести", "»", "сообщило", ",", '"', "визит", "отложен", '"', "на", "5",
                       "%", "."]) == 'Агентство «Вести» сообщило, "визит отложен" на 5%.'


def test_sentences_are_grouped_into_documents_of_the_asked_length(tmp_path):
    bio = tmp_path / "set.bio"
    bio.write_text("# doc = a/1\nOne\tO\nsentence\tO\n.\tO\n\n# doc = a/2\nAnother\tB-PER\n!\tO\n", encoding="utf-8")
    assert list(_ner_sentences(bio)) == [("a/1", ["One", "sentence", "."]), ("a/2", ["Another", "!"])]
    sentences = [["w"] * n for n in (120, 90, 70, 200, 150, 40, 30, 10)]
    groups = list(_grouped(sentences, random.Random(1), low=250, high=300))
    assert [sum(map(len, g)) for g in groups] == [280, 350]  # the last 80 words, under 250, are left out
    assert [s for g in groups for s in g] == sentences[:5]  # consecutive, in order


def test_the_corpus_says_when_it_falls_back_to_repeated_texts(monkeypatch, capsys, tmp_path):
    import bench

    monkeypatch.setattr(bench, "NER_DATA", tmp_path / "absent")
    assert corpus_kind(None) == "repeated"
    assert "REPEATED" in capsys.readouterr().err
    assert corpus_kind("repeated") == "repeated"
