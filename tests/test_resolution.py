from pathlib import Path

import pytest

from pipeline.persons import same_person
from pipeline.resolution import Registry
from pipeline.schema import Role
from pipeline.translit import keys

PAIRS = [tuple(line.split("\t")) for line in
         (Path(__file__).parent / "data" / "name_pairs.tsv").read_text(encoding="utf-8").splitlines()
         if line and not line.startswith("#")]


def test_the_pair_table_is_large_and_has_both_kinds():
    assert len(PAIRS) >= 80
    assert {kind for kind, _, _ in PAIRS} == {"same", "diff"}


@pytest.mark.parametrize("kind,a,b", PAIRS, ids=[f"{k}-{i}" for i, (k, _, _) in enumerate(PAIRS)])
def test_name_pairs(kind, a, b):
    assert same_person(a, b) is (kind == "same")
    assert same_person(b, a) is (kind == "same")


def test_keys_compare_across_scripts():
    assert set(keys("Жапаров")) & set(keys("Caparov"))
    assert set(keys("Sharshembiyev")) == set(keys("Шаршембиев"))


def test_registry_ids_are_stable_across_runs(tmp_path):
    minister = [Role(title="Minister", role_type="minister", country="AZ")]
    reg = Registry(tmp_path)
    a = reg.resolve("Ceyhun Bayramov", ["Ceyhun Bayramov"], "d1", minister, "AZ")
    b = reg.resolve("Джейхун Байрамов", ["Джейхун Байрамов"], "d2", minister, "AZ")
    other = reg.resolve("Elmar Bayramli", ["Elmar Bayramli"], "d3", [], None)
    reg.close()
    assert a == b != other
    again = Registry(tmp_path)
    assert again.resolve("Jeyhun Bayramov", ["Jeyhun Bayramov"], "d4", minister, "AZ") == a
    again.close()
