"""Merging people and finding bylines cost in proportion to the text: the
operations are counted, not timed; and the people merged stay right, on
names and sentences made up for these tests."""
import random

import pytest

from conftest import count_calls, person
from test_robustness import _made_up_surnames, _mutated


def _mention(k: int, name: str, source: str = "ner"):
    from pipeline.stages.people import PersonMention

    return PersonMention(4 * k, 4 * k + len(name.split()) - 1, 100 * k, 100 * k + len(name), name, source)


def _count_given_comparisons(monkeypatch, run) -> int:
    from pipeline.stages import persons

    return count_calls(monkeypatch, persons, "given_compatible", run)[0]


def _made_up_given(n: int, cyrillic: bool, middle: str) -> list[str]:
    """``n`` made-up given names of four syllables, no two compatible (nor
    with ``middle`` after them): as many people."""
    from pipeline.stages.persons import given_compatible

    rnd = random.Random(7)
    table = str.maketrans("bdfklmnprstvzaeiou", "бдфклмнпрствзаеиоу")
    out: list[str] = []
    while len(out) < n:
        w = "".join(rnd.choice("bdfklmnprstvz") + rnd.choice("aeiou") for _ in range(4))
        w = (w.translate(table) if cyrillic else w).capitalize()
        if not any(given_compatible(a, b) for g in out for a in (w, f"{w} {middle}") for b in (g, f"{g} {middle}")):
            out.append(w)
    return out


@pytest.mark.parametrize("cyrillic", [False, True])
def test_people_of_one_surname_meet_a_bounded_few(monkeypatch, cyrillic):
    """Twice as many people of one surname cost about twice the given-name
    comparisons (each new name was compared with every given name seen under
    its surname: n² / 2), and each is still one person: named by one given
    name, then with a second given name that every one of them shares."""
    from pipeline.stages.persons import merge_mentions

    surname, middle = ("Тарвелов", "Оз") if cyrillic else ("Tarvelov", "Oz")
    counts = []
    for n in (150, 300):
        given = _made_up_given(n, cyrillic, middle)
        mentions = [_mention(k, f"{g} {surname}") for k, g in enumerate(given)]
        mentions += [_mention(n + k, f"{g} {middle} {surname}") for k, g in enumerate(given)]
        people = []
        counts.append(_count_given_comparisons(monkeypatch, lambda: people.extend(merge_mentions(mentions))))
        assert [sorted({m.name for m in p.mentions}) for p in people] == \
            [sorted({f"{g} {surname}", f"{g} {middle} {surname}"}) for g in given]
    assert counts[1] <= 2.4 * counts[0], counts


def _brute_force(entries: list[tuple[str, int]], given: str) -> int | None:
    from pipeline.stages.persons import given_compatible

    return min((k for g, k in entries if given_compatible(given, g)), default=None)


@pytest.mark.parametrize("seed", [1, 2])
def test_the_given_name_index_finds_what_comparing_with_every_name_finds(seed):
    """The index narrows the comparisons, never the answer: for given names
    written out, spelt otherwise, as initials, one part of another, long
    enough to escape the deletion index, and missing, the first compatible
    person is the one a comparison with every name seen gives."""
    from pipeline.stages.persons import GivenIndex, _long_key, GIVEN_MIN, keys

    rnd = random.Random(seed)
    words = _made_up_surnames(40) + _made_up_surnames(20, cyrillic=True)[:10]
    words += _mutated(words, seed)
    pool = [""] + [w[0] + "." for w in words[:12]] + words
    pool += [" ".join(rnd.sample(words, rnd.randint(2, 4))) for _ in range(150)]
    pool += [" ".join(w[:4] + "." if rnd.random() < .3 else w for w in g.split()) for g in rnd.sample(pool, 40)]
    assert any(len(keys(g)[0]) > _long_key(GIVEN_MIN) for g in pool)
    index, entries = GivenIndex(), []
    for step in range(600):
        given = rnd.choice(pool)
        below = rnd.choice([None, None, rnd.randrange(100)])
        want = _brute_force(entries, given)
        want = want if below is None else below if want is None else min(want, below)
        assert index.first_compatible(given, below) == want, (given, below)
        person = want if want is not None and rnd.random() < .7 else rnd.randrange(100)
        index.add(given, person)
        entries.append((given, person))


@pytest.mark.parametrize("text, same, apart", [
    ("Foreign Minister Arvid Kelmetov met Energy Minister Rustem Kelmetov in Astana on Monday. A. Kelmetov said "
     "the talks went well. Arvid Sabit Kelmetov thanked his host.",
     ("Arvid Kelmetov", "A. Kelmetov", "Arvid Sabit Kelmetov"), "Rustem Kelmetov"),
    ("Dışişleri Bakanı Ersoy Tandoğar, Ticaret Bakanı Levent Tandoğar ile Ankara'da görüştü. E. Tandoğar "
     "görüşmenin verimli geçtiğini söyledi. Bakan Ersoy Kaan Tandoğar konuğuna teşekkür etti.",
     ("Ersoy Tandoğar", "E. Tandoğar", "Ersoy Kaan Tandoğar"), "Levent Tandoğar"),
    ("Министр иностранных дел Дамир Ержанов провёл встречу в Астане. Министр энергетики Руслан Ержанов "
     "также принял участие. Д. Ержанов отметил итоги переговоров. Дамир Серикович Ержанов поблагодарил гостей.",
     ("Дамир Ержанов", "Д. Ержанов", "Дамир Серикович Ержанов"), "Руслан Ержанов"),
])
def test_forms_of_one_person_merge_and_namesakes_stay_apart(pipeline, text, same, apart):
    """Initials and a longer form join the person they abbreviate or extend;
    another given name under the same surname is another person."""
    r = pipeline.extract_text(text)
    first = person(r, same[0].split()[0])
    other = person(r, apart.split()[0])
    assert first is not None and other is not None and first is not other, [p.mentions for p in r.persons]
    assert set(same) <= set(first.mentions), first.mentions
    assert apart in other.mentions and not set(same) & set(other.mentions), other.mentions


def test_a_long_last_line_is_read_a_few_words_per_person(monkeypatch):
    """The byline test reads a person's last line only as far as its fourth
    word beside the person's names (copying and counting the whole line per
    person was quadratic in a text of one line); what it counts is as before:
    the words left when the names are cut out."""
    from pipeline.stages import events

    read = 0
    real = events._WORD

    class Counted:
        def finditer(self, *args):
            nonlocal read
            for m in real.finditer(*args):
                read += 1
                yield m

    line = " ".join(f"Almaz Kerimbek{k} met Zhan Turgan{k} at the fair" for k in range(400))
    spans = [(m.start(), m.end()) for m in __import__("re").finditer(r"Almaz Kerimbek\d+", line)]
    monkeypatch.setattr(events, "_WORD", Counted())
    for s, e in spans:
        assert events._words_beside(line, 0, len(line), [(s, e)], events.BYLINE_WORDS) == events.BYLINE_WORDS + 1
    assert read <= (events.BYLINE_WORDS + 1) * len(spans)
    monkeypatch.setattr(events, "_WORD", real)
    byline = "Zhan Turgan, Kabar agency"
    assert events._words_beside(byline, 0, len(byline), [(0, 11)], 3) == 2  # "Kabar agency": a byline
    assert events._words_beside(byline, 0, len(byline), [(0, 4), (3, 11)], 3) == 2  # overlapping cuts
    assert events._words_beside(byline, 5, len(byline), [(5, 11)], 1) == 2  # stops past the limit


def test_line_bounds_by_bisection_agree_with_reading_the_line() -> None:
    """``Lines.bounds`` is the bisection form of rfind/find around a span, and
    ``Lines.same`` of looking for a newline in it: the same answers for every
    span of texts with empty lines, a leading and a trailing newline, and one
    long line."""
    from pipeline.knowledge.textnorm import Lines

    texts = ["", "Ankara", "\nBakü, 3 Mart\n\nDışişleri Bakanı görüştü.\n",
             "Астана\r\nПрезидент принял посла.", "one line " * 40]
    for text in texts:
        lines = Lines(text)
        for start in range(len(text) + 1):
            for end in range(start, min(len(text), start + 30) + 1):
                hi = text.find("\n", end)
                expected = (text.rfind("\n", 0, start) + 1, len(text) if hi < 0 else hi)
                assert lines.bounds(start, end) == expected, (text, start, end)
                assert lines.same(start, end) == ("\n" not in text[start:end]), (text, start, end)
                assert lines.same(end, start)  # an empty stretch holds no break
        assert lines.bounds(len(text)) == (text.rfind("\n") + 1, len(text))


def _office_questions(pipeline, monkeypatch, n: int):
    """How often the remaining-party rule asks for a role's office, on a
    release of ``n`` meetings of an unstated and a Georgian prime minister."""
    from pipeline.stages import states

    text = "Egypt and Georgia signed trade agreements. " + " ".join(
        f"Prime Minister Ahmed {s} met Georgian Prime Minister Levan {s}ov." for s in _made_up_surnames(n))
    return count_calls(monkeypatch, states, "_office", lambda: pipeline.extract_text(text))


def test_the_remaining_party_counts_offices_once_not_per_person(pipeline, monkeypatch) -> None:
    """The first unstated prime minister gets the one party state no one else
    holds the office for (Egypt); then Egypt is held, and no state is left for
    the others. The offices are counted once per document: the
    questions grow with the people, not with their square (1,679 and 6,559 for
    40 and 80 meetings when every other person was read again per person)."""
    small, _ = _office_questions(pipeline, monkeypatch, 40)
    large, record = _office_questions(pipeline, monkeypatch, 80)
    assert large <= 2.2 * small
    unstated = [p for p in record.persons if p.name.startswith("Ahmed")]
    assert len(unstated) == 80
    assert [p.country for p in unstated] == ["EG"] + [None] * 79


def test_a_run_has_the_long_run_collector_and_gives_the_old_one_back(pipeline):
    """Full collections walk the whole heap (models, registry, caches): a run
    keeps the young generations large while it goes, and restores what the
    caller had when it ends, or fails."""
    import gc

    from pipeline.run.heap import LONG_RUN_THRESHOLDS, long_run_collector
    from pipeline.run.reading import Document

    caller = gc.get_threshold()  # a worker made in this process (an Analyser) keeps the long run's
    before = (700, 10, 10)
    gc.set_threshold(*before)
    docs = [Document(doc_id=f"d{i}", source="<text>", encoding="utf-8",
                     text=f"President Talgat Mursaliyev met Minister Dana Oskenbay in Astana on 3 March 2021. ({i})")
            for i in range(2)]
    seen = []
    for record in pipeline.extract_documents(docs):
        seen.append(gc.get_threshold())
        assert record.persons
    assert seen == [LONG_RUN_THRESHOLDS] * 2
    assert gc.get_threshold() == before
    with pytest.raises(KeyError):
        with long_run_collector():
            raise KeyError("a run that fails")
    assert gc.get_threshold() == before
    gc.set_threshold(*caller)


def test_runs_that_end_out_of_order_still_give_the_old_collector_back():
    import gc

    from pipeline.run.heap import LONG_RUN_THRESHOLDS, long_run_collector

    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    first, second = long_run_collector(), long_run_collector()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)  # a generator closed before the one started after it
    assert gc.get_threshold() == LONG_RUN_THRESHOLDS
    second.__exit__(None, None, None)
    assert gc.get_threshold() == (700, 10, 10)
    gc.set_threshold(*before)
