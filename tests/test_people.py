"""People, roles and their links, on sentences written for these tests."""
from conftest import person


def first_role(record, surname: str) -> tuple[str, str | None]:
    """(role type of the first role, state) of the person with that surname."""
    p = person(record, surname)
    return p.roles[0].role_type, p.country


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
    assert first_role(r, "Kovacs") == ("head_of_government", "HU")


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


# -- Turkish ------------------------------------------------------------------

def test_turkish_genitive_chain_and_later_short_mentions(pipeline):
    r = pipeline.extract_text(
        "Azerbaycan'ın Ankara Büyükelçisi Rauf Guluzade, Kırgızistan Dışişleri Bakanı Temir Sydykov ile "
        "görüştü. Görüşmede Bakan Sydykov'un önerileri ele alındı. Guluzade'nin konuşması ilgiyle izlendi.")
    g = person(r, "Guluzade")
    assert g.name == "Rauf Guluzade" and len(g.spans) == 2
    assert (g.roles[0].role_type, g.country) == ("ambassador", "AZ")
    s = person(r, "Sydykov")
    assert s.name == "Temir Sydykov" and len(s.spans) == 2
    assert (s.roles[0].role_type, s.country) == ("minister", "KG")
    assert "Ankara" in {c.name for c in r.cities}


def test_turkish_suffixes_honorifics_and_initials(pipeline):
    r = pipeline.extract_text(
        "Sayın Nihat Hasanov’un daveti üzerine Genel Sekreter Dr. Orhan Baykal Bişkek'e gitti. "
        "N. Hasanov ziyaretin önemine değindi. Toplantıya Akademi Başkanı Ş.Kerimov da katıldı.")
    h = person(r, "Hasanov")
    assert h.name == "Nihat Hasanov" and "N. Hasanov" in h.mentions
    b = person(r, "Baykal")
    assert b.name == "Orhan Baykal" and b.roles[0].role_type == "secretary_general"
    k = person(r, "Kerimov")
    assert k.name == "Ş.Kerimov" and k.roles[0].role_type == "chair"


def test_turkish_organisations_fill_the_role(pipeline):
    r = pipeline.extract_text("TÜRKSOY Genel Sekreteri Ayten Demir ve Türk Akademisi Başkanı Murat Öz Astana'da buluştu.")
    assert person(r, "Demir").roles[0].organization == "TÜRKSOY"
    oz = person(r, "Öz").roles[0]
    assert (oz.role_type, oz.organization) == ("chair", "Türk Akademisi")
    assert {p.name for p in r.persons} == {"Ayten Demir", "Murat Öz"}


# -- English ------------------------------------------------------------------

def test_english_nationality_word_and_state_after_the_name(pipeline):
    r = pipeline.extract_text(
        "Kyrgyz President Almaz Toktogulov met President Yusuf Karimli of Azerbaijan in Bishkek.")
    assert first_role(r, "Toktogulov") == ("head_of_state", "KG")
    assert first_role(r, "Karimli") == ("head_of_state", "AZ")


def test_english_appointment_predicate_and_organisation(pipeline):
    r = pipeline.extract_text(
        "Nurlan Seitkali was appointed Secretary General of the Organization of Turkic States on Monday. "
        "H.E. Nurlan Seitkali thanked the member states.")
    s = person(r, "Seitkali")
    assert s.name == "Nurlan Seitkali"
    assert s.roles[0].role_type == "secretary_general"
    assert s.roles[0].organization == "Organization of Turkic States"


def test_english_academic_ranks_and_chained_titles(pipeline):
    r = pipeline.extract_text(
        "The panel included Assoc. Prof. Dr. Leyla Aksoy and the Deputy Prime Minister and Minister of Energy "
        "of Uzbekistan Timur Rakhimov.")
    assert person(r, "Aksoy").roles[0].role_type == "other"
    types = {x.role_type for x in person(r, "Rakhimov").roles}
    assert types == {"deputy_head_of_government", "minister"}
    assert person(r, "Rakhimov").country == "UZ"


# -- Russian ------------------------------------------------------------------

def test_russian_case_inflected_titles_and_names(pipeline):
    r = pipeline.extract_text(
        "Президент Республики Узбекистан Тимура Рахимова поздравил генеральный секретарь организации "
        "Азамат Беков. Встреча с Азаматом Бековым прошла в Ташкенте.")
    b = person(r, "Беков")
    assert b.name == "Азамат Беков" and b.roles[0].role_type == "secretary_general"


def test_russian_complement_in_parentheses_and_nested_titles(pipeline):
    r = pipeline.extract_text(
        "В заседании приняли участие премьер-министр Венгрии (страны-наблюдателя) Андраш Ковач "
        "и советник президента академии Ерлан Сапаров.")
    assert first_role(r, "Ковач") == ("head_of_government", "HU")
    assert person(r, "Сапаров").roles[0].role_type == "official"


def test_russian_initials(pipeline):
    r = pipeline.extract_text("Ректор университета Шамиль Мусаев выступил с докладом. Ш.Мусаев отметил рост числа студентов.")
    m = person(r, "Мусаев")
    assert m.name == "Шамиль Мусаев" and "Ш.Мусаев" in m.mentions


def test_a_state_without_iso_code_gives_no_country(pipeline):
    r = pipeline.extract_text("Kuzey Kıbrıs Türk Cumhuriyeti Cumhurbaşkanı Kemal Ural zirveye gözlemci olarak katıldı.")
    u = person(r, "Ural")
    assert u.roles[0].role_type == "head_of_state" and u.country is None


def test_a_byline_names_the_author(pipeline):
    r = pipeline.extract_text("Leaders meet in Baku\n\nBy Arman Seitov\n\nThe ministers of Azerbaijan met by the sea.")
    s = person(r, "Seitov")
    assert s.name == "Arman Seitov" and s.roles[0].role_type == "journalist"
    assert len(r.persons) == 1  # "by the sea" is no byline


def test_a_name_and_its_longer_form_are_one_person(pipeline):
    r = pipeline.extract_text(
        "Khalid bin Saeed receives Kyrgyz minister\n"
        "H.H. Sheikh Khalid bin Saeed Al Falasi, Minister of Culture, met Kyrgyz Minister of Culture "
        "Aibek Toktogulov in Dubai.")
    names = [p.name for p in r.persons]
    assert "Khalid bin Saeed Al Falasi" in names and "Khalid bin Saeed" not in names


def test_a_family_name_first_alone_is_the_same_person(pipeline):
    r = pipeline.extract_text(
        "Cumhurbaşkanı Erdoğan, Vietnam Devlet Başkanı Vo Van-thuong ile görüştü. Ziyaret, Devlet Başkanı "
        "Vo'nun daveti üzerine yapıldı.")
    names = [p.name for p in r.persons]
    assert "Vo" not in names


def test_a_towns_form_before_a_surname_is_no_given_name(pipeline):
    # "Balkanabat" is a Turkmen town, no given name: the person is "Orazov"
    r = pipeline.extract_text("Türkmenistan heyetinde Sayın Balkanabat Orazov da vardı. Orazov konuştu.")
    assert [p.name for p in r.persons] == ["Orazov"]
