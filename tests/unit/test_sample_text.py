"""Synthetic case texts: determinism, size, searchable names and well-formed figures."""

from __future__ import annotations

from dataclasses import astuple

from desktop.services.sample_text import SampleText, SampleTextGenerator

PLACES = (
    ("杭州市淳安县", "下姜村", "乡村振兴联合体", ("提升县城和中心镇承载力",)),
    ("湖州市安吉县", "", "研学文旅协同", ("培育特色产业和产业平台", "健全城乡就业创业体系")),
    ("金华市义乌市", "后宅街道", "共富联盟（抱团发展）", ()),
    ("台州市天台县", "塔后村", "多产业联动", ("完善省域协调发展战略布局",)),
)
SECTIONS = ("basic_situation", "practices", "outcomes", "lessons")


def generate(seed: int, n: int) -> list[SampleText]:
    gen = SampleTextGenerator(seed)
    out = []
    for i in range(n):
        place, village, model_type, themes = PLACES[i % len(PLACES)]
        out.append(gen.case(place, village, model_type, themes, 2019 + i % 8))
    return out


def full_text(case: SampleText) -> str:
    return "".join((case.title, case.subtitle, *(getattr(case, s) for s in SECTIONS)))


def test_same_seed_same_output() -> None:
    assert [astuple(c) for c in generate(42, 30)] == [astuple(c) for c in generate(42, 30)]


def test_different_seeds_differ() -> None:
    a = generate(1, 10)
    b = generate(2, 10)
    assert [full_text(c) for c in a] != [full_text(c) for c in b]
    assert sum(full_text(x) != full_text(y) for x, y in zip(a, b, strict=True)) >= 8


def test_global_random_state_untouched() -> None:
    import random

    random.seed(5)
    expected = random.random()
    random.seed(5)
    generate(9, 5)
    assert random.random() == expected


def test_section_lengths() -> None:
    cases = generate(7, 200)
    totals = [sum(len(getattr(c, s)) for s in SECTIONS) for c in cases]
    mean = sum(totals) / len(totals)
    assert 1300 <= mean <= 1700
    for c in cases:
        assert all(getattr(c, s) for s in SECTIONS)
        assert c.practices.startswith("一是")
        assert "二是" in c.practices and "三是" in c.practices
        assert "三是" in c.lessons
        assert c.subtitle.startswith("——")
        assert 3 <= len(c.tags) <= 6 and len(set(c.tags)) == len(c.tags)
        assert 1 <= len(c.figures) <= 4


def test_names_appear_in_text() -> None:
    for c, (place, village, model_type, themes) in zip(generate(3, 40), PLACES * 10, strict=True):
        text = full_text(c)
        county = place[3:]
        assert county in c.title
        assert place in c.basic_situation
        assert model_type in c.basic_situation
        if village:
            assert village in c.title and village in c.basic_situation
        for theme in themes:
            assert theme in text


def test_figures_well_formed() -> None:
    for c in generate(11, 200):
        labels = [f.label for f in c.figures]
        assert len(set(labels)) == len(labels)
        for f in c.figures:
            assert f.unit
            assert f.period and f.period.endswith(("年", "月"))
            assert f.source and "，" in f.source
            assert f.value > 0
            digits = {"元": 0, "人": 0, "亿元": 2}.get(f.unit, 1)
            shown = f"{f.value:.{digits}f}"
            assert shown in c.outcomes
        assert c.source


def test_some_cases_carry_latin_letters() -> None:
    cases = generate(5, 500)
    share = sum(any("A" <= ch <= "Z" or "a" <= ch <= "z" for ch in c.practices) for c in cases) / 500
    assert 0.05 < share < 0.4
