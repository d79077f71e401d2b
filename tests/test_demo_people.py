"""Second entries of a person: what changes, and when a change cannot apply."""

from __future__ import annotations

import random

import pytest

from toolkit.demo_mess import MessMaker
from toolkit.demo_people import Person, Registry, make_people, second_entry
from toolkit.table import Lang


def _person(name: str, phone: str, email: str, company: str | None, city: str) -> Person:
    return Person(0, name, "M", None, phone, email, company, None, None, city, None, None, None)


ZH = _person("张伟", "13800138000", "zhangwei@163.com", "北京星辰科技有限公司", "北京")
ZH_RARE = _person("李明", "13900139000", "liming@163.com", None, "上海")
EN = _person("Robert Brown", "+14155550123", "robert.brown@gmail.com", "Acme Retail Inc.", "Boston")
EN_CN = _person("Wei Li", "+8613800138000", "wli@gmail.com", "Shanghai Huaxin Trading Co., Ltd.",
                "Shanghai")  # fmt: skip


@pytest.mark.parametrize(
    ("lang", "person", "change", "field", "expected"),
    [
        ("zh", ZH, ("traditional", ""), "name", "張偉"),
        ("zh", ZH, ("homophone", ""), "name", "章伟"),
        ("zh", ZH, ("", "phone_format"), "phone", "13800138000"),  # the planting holds the mess
        ("en", EN, ("nickname", ""), "name", "Bob Brown"),
        ("en", EN, ("company", ""), "company", "Acme Retail Inc"),
        ("en", EN_CN, ("company", ""), "company", "Shanghai Huaxin Trading Co. Ltd."),
    ],
)
def test_second_entry_changes_what_it_says(
    lang: Lang, person: Person, change: tuple[str, str], field: str, expected: str
) -> None:
    rng = random.Random(0)
    twin = second_entry(person, change, registry=Registry(rng, lang), maker=MessMaker(lang, rng))
    assert twin is not None and twin.key == person.key and twin.second_entry
    assert getattr(twin, field) == expected


@pytest.mark.parametrize(
    ("lang", "person", "change"),
    [
        ("zh", ZH_RARE, ("traditional", "")),  # 李明 is the same in traditional characters
        ("zh", ZH_RARE, ("company", "")),  # no company to vary
        ("en", _person("Ann Lee", "+14155550100", "a@b.com", None, "Boston"), ("nickname", "")),
    ],
)
def test_second_entry_refuses_a_change_that_cannot_apply(
    lang: Lang, person: Person, change: tuple[str, str]
) -> None:
    rng = random.Random(0)
    registry, maker = Registry(rng, lang), MessMaker(lang, rng)
    assert second_entry(person, change, registry=registry, maker=maker) is None


def test_second_entry_with_formatted_phone_carries_the_planting() -> None:
    rng = random.Random(0)
    twin = second_entry(ZH, ("", "phone_format"), registry=Registry(rng, "zh"),
                        maker=MessMaker("zh", rng))  # fmt: skip
    assert twin is not None
    assert [(p.field, p.problem, p.value) for p in twin.planted] == [
        ("phone", "phone_format", "+86 138-0013-8000")
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_people_are_unique_but_for_namesakes_and_second_entries(lang: Lang) -> None:
    rng = random.Random(11)
    people = make_people(rng, lang, MessMaker(lang, rng), persons=120)
    firsts = [p for p in people if not p.second_entry]
    assert len(firsts) == 120 and len(people) - len(firsts) == 15
    loners = [p for p in firsts if not p.namesake]
    assert len({p.name for p in loners}) == len(loners)
    assert len({p.phone for p in firsts}) == len({p.email for p in firsts}) == 120
    namesakes = [(p.name, p.city) for p in firsts if p.namesake]
    assert namesakes and all(namesakes.count(key) == 2 for key in namesakes)
