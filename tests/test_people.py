"""People, roles and their links, on sentences written for these tests."""
from conftest import person


def test_turkish_title_before_name_with_country_and_suffix(pipeline):
    r = pipeline.extract_text(
        "Özbekistan Cumhuriyeti Ulaştırma Bakanı Ravshan Tursunov ile Türk Konseyi Genel Sekreteri "
        "Nurlan Kasymov`un katıldığı toplantı Taşkent'te yapıldı. Toplantıda Tursunov bir konuşma yaptı.")
    t = person(r, "Tursunov")
    assert t.name == "Ravshan Tursunov"
    assert [(x.role_type, x.country) for x in t.roles] == [("minister", "UZ")]
    assert t.country == "UZ" and len(t.spans) == 2
    k = person(r, "Kasymov")
    assert k.name == "Nurlan Kasymov"  # suffix `un cut off
    assert k.roles[0].role_type == "secretary_general" and k.roles[0].organization == "Türk Konseyi"


def test_turkish_list_after_plural_title_and_honorifics(pipeline):
    r = pipeline.extract_text(
        "Genel Sekretere Genel Sekreter Yardımcısı Dr. Selim Aktaş, Proje Direktörleri Mert Yavuz ve Ayla Korkmaz eşlik etti.")
    assert person(r, "Aktaş").roles[0].role_type == "deputy_secretary_general"
    assert person(r, "Aktaş").name == "Selim Aktaş"
    for surname in ("Yavuz", "Korkmaz"):
        assert person(r, surname).roles[0].role_type == "director"


def test_english_apposition_and_premodifier(pipeline):
    r = pipeline.extract_text(
        "ASTANA, May 3. Minister of Foreign Affairs of Kazakhstan, Yerlan Nurbekov, met Hungarian "
        "Prime Minister Laszlo Kovacs in Astana. Later, Yerlan Nurbekov, the Minister of Foreign Affairs, "
        "briefed journalists.")
    n = person(r, "Nurbekov")
    assert ("minister", "KZ") in [(x.role_type, x.country) for x in n.roles]
    k = person(r, "Kovacs")
    assert (k.roles[0].role_type, k.country) == ("head_of_government", "HU")


def test_russian_names_in_the_nominative(pipeline):
    r = pipeline.extract_text(
        "Министр иностранных дел Казахстана Ерлан Нурбеков встретился с генеральным секретарем "
        "организации Русланом Абдуллаевым. Нурбеков отметил важность сотрудничества.")
    n = person(r, "Нурбеков")
    assert n.name == "Ерлан Нурбеков" and n.country == "KZ"
    assert n.roles[0].role_type == "minister"
    a = person(r, "Абдуллаев")
    assert a is not None and a.name == "Руслан Абдуллаев"


def test_organisations_and_countries_are_not_people(pipeline):
    r = pipeline.extract_text("TÜRKSOY ve Türk Konseyi, Kazakistan ile Azerbaycan'da ortak etkinlikler düzenledi.")
    assert r.persons == []
    assert {c.code for c in r.countries} == {"KZ", "AZ"}
