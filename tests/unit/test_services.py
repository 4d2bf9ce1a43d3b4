"""Services on a real library: reference data, regions, demo, validation, cases, pilots, maintenance."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from desktop.domain.changes import RecordKind
from desktop.domain.enums import AdoptionExtent, ExperimentStatus, PilotKind, PilotStatus, RegionLevel, ReviewStatus
from desktop.domain.query import MOUNTAIN_ISLAND, CaseFilters, CaseQuery
from desktop.domain.records import (
    Adoption,
    Experiment,
    Figure,
    Milestone,
    ModelCase,
    Photo,
    PilotSite,
    ProgressNote,
    Ref,
    Region,
    RegionDesignation,
)
from desktop.domain.validation import ValidationError
from desktop.paths import resources_dir
from desktop.services.casebook import Casebook
from desktop.services.context import NotFoundError
from desktop.services.reference import ReferenceLoader

EDITOR_LABEL = "测试员（省农业农村厅）"
CHINESE_NUMERALS = [
    "一",
    "二",
    "三",
    "四",
    "五",
    "六",
    "七",
    "八",
    "九",
    "十",
    "十一",
    "十二",
    "十三",
    "十四",
    "十五",
    "十六",
]


def _search(book: Casebook, words: str = "", **filters: object) -> list[str]:
    result = book.search.search(CaseQuery(words, CaseFilters(**filters), limit=1000))  # type: ignore[arg-type]
    assert result.total == len(result.hits)
    return [h.uuid for h in result.hits]


def _county(book: Casebook, name: str) -> Region:
    region = book.regions.find(name)
    assert region.level == RegionLevel.COUNTY
    return region


def _figure(**changes: object) -> Figure:
    base = Figure(label="村集体经营性收入", value=120.5, unit="万元", period="2023年", source="县农业农村局")
    return replace(base, **changes)  # type: ignore[arg-type]


def _case(book: Casebook, **changes: object) -> ModelCase:
    county = _county(book, "淳安县")
    base = ModelCase(
        title="强村公司带动山区村集体增收",
        subtitle="以市场化运营盘活闲置资源",
        places=[Ref(county.uuid)],
        basic_situation="该县地处山区，村集体经济薄弱。",
        practices="组建强村公司，统一运营闲置农房。",
        outcomes="村集体经营性收入明显增长。",
        lessons="坚持党建引领、市场运作。",
        figures=[_figure()],
        source="县农业农村局 2023 年总结",
        reported_on=date(2023, 11, 2),
        tags=["强村公司"],
    )
    return replace(base, **changes)  # type: ignore[arg-type]


# reference data ----------------------------------------------------------------------------


def test_reference_regions_have_every_city_and_county(book: Casebook) -> None:
    [province] = book.regions.children(None)
    assert province.name == "浙江省"
    assert province.level == RegionLevel.PROVINCE
    cities = book.regions.children(province.uuid)
    assert len(cities) == 11
    assert {c.level for c in cities} == {RegionLevel.CITY}
    assert {
        "杭州市",
        "宁波市",
        "温州市",
        "湖州市",
        "嘉兴市",
        "绍兴市",
        "金华市",
        "衢州市",
        "舟山市",
        "台州市",
        "丽水市",
    } == {c.name for c in cities}
    counties = [county for city in cities for county in book.regions.children(city.uuid)]
    assert len(counties) == 90
    assert {c.level for c in counties} == {RegionLevel.COUNTY}
    assert len({c.uuid for c in counties}) == 90
    chunan = book.regions.find("淳安县")
    assert chunan.full_name == "杭州市淳安县"


def test_mountain_and_island_counties_by_date(book: Casebook) -> None:
    in_2023 = book.regions.designations(MOUNTAIN_ISLAND, on=date(2023, 6, 1))
    in_2025 = book.regions.designations(MOUNTAIN_ISLAND, on=date(2025, 1, 1))
    assert len(in_2023) == 26
    assert len(in_2025) == 25
    names_2023 = {d.region.name for d in in_2023}
    names_2025 = {d.region.name for d in in_2025}
    assert "衢州市柯城区" in names_2023
    assert "衢州市柯城区" not in names_2025
    assert "温州市洞头区" in names_2025
    assert "温州市洞头区" not in names_2023
    assert "杭州市淳安县" in names_2023 & names_2025
    assert all(d.in_force_on(date(2023, 6, 1)) for d in in_2023)
    assert book.regions.designations("没有这种标识") == []


def test_theme_tree_follows_the_plan(book: Casebook) -> None:
    themes = book.catalog.themes()
    codes = {t.code for t in themes if t.code}
    for numeral in CHINESE_NUMERALS:
        assert f"（{numeral}）" in codes
    gaps = book.catalog.find_theme("三大差距")
    children = [t for t in themes if t.parent_uuid == gaps.uuid]
    assert sorted(t.name for t in children) == sorted(["地区差距", "城乡差距", "收入差距"])
    second = book.catalog.find_theme("（二）")
    assert second.name == "提升县城和中心镇承载力"
    assert {t.name for t in themes if t.parent_uuid == second.uuid} >= {"做大做强中心镇"}


def test_loading_reference_twice_adds_nothing(book: Casebook) -> None:
    assert book.created_with is not None
    assert book.created_with.added["regions"] == 102
    assert sum(book.created_with.added.values()) > 0
    regions_before = len(book.regions.children(None)) + len(book.catalog.themes())
    report = book.load_reference()
    assert sum(report.added.values()) == 0
    assert sum(report.updated.values()) == 0
    assert sum(report.kept_user_edits.values()) == 0
    assert len(book.regions.children(None)) + len(book.catalog.themes()) == regions_before
    assert len(book.catalog.model_types()) == 14


def _newer_model_types(tmp_path: Path, descriptions: dict[int, str]) -> Path:
    """A copy of the shipped reference data whose model types are one version newer."""
    folder = tmp_path / "reference"
    shutil.copytree(resources_dir() / "reference", folder)
    data_path = folder / "model_types.json"
    data = json.loads(data_path.read_text(encoding="utf-8"))
    data["version"] = int(data["version"]) + 1
    for index, description in descriptions.items():
        data["items"][index]["description"] = description
    data_path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return folder


def _model_type_key(folder: Path, index: int) -> str:
    data = json.loads((folder / "model_types.json").read_text(encoding="utf-8"))
    return str(data["items"][index]["key"])


def test_user_edit_survives_a_newer_reference_version(book: Casebook, tmp_path: Path) -> None:
    folder = _newer_model_types(tmp_path, {0: "新版参考数据的说明（甲）", 1: "新版参考数据的说明（乙）"})
    edited_key, untouched_key = _model_type_key(folder, 0), _model_type_key(folder, 1)

    edited = book.catalog.find_model_type(edited_key)
    book.catalog.save_model_type(replace(edited, description="用户自己写的说明"))

    report = ReferenceLoader(book.ctx, folder=folder).load()

    assert report.added["model_types"] == 0
    assert report.kept_user_edits["model_types"] == 1
    assert book.catalog.find_model_type(edited_key).description == "用户自己写的说明"
    assert book.catalog.find_model_type(untouched_key).description == "新版参考数据的说明（乙）"
    assert len(book.catalog.model_types()) == 14
    again = ReferenceLoader(book.ctx, folder=folder).load()
    assert again.updated["model_types"] == again.kept_user_edits["model_types"] == 0
    assert book.catalog.find_model_type(edited_key).description == "用户自己写的说明"


def test_newer_reference_version_reports_only_what_it_changed(book: Casebook, tmp_path: Path) -> None:
    folder = _newer_model_types(tmp_path, {0: "新版参考数据的说明（甲）", 1: "新版参考数据的说明（乙）"})
    edited = book.catalog.find_model_type(_model_type_key(folder, 0))
    book.catalog.save_model_type(replace(edited, description="用户自己写的说明"))
    untouched_before = book.catalog.find_model_type(_model_type_key(folder, 5))

    report = ReferenceLoader(book.ctx, folder=folder).load()

    assert (report.updated["model_types"], report.kept_user_edits["model_types"]) == (1, 1)
    untouched_after = book.catalog.find_model_type(_model_type_key(folder, 5))
    assert untouched_after.version == untouched_before.version
    assert untouched_after.updated_at == untouched_before.updated_at


# regions -----------------------------------------------------------------------------------


def test_users_add_towns_and_villages_under_a_county(book: Casebook) -> None:
    county = _county(book, "淳安县")
    town = book.regions.add(county.uuid, "枫树岭镇").value
    village = book.regions.add(town.uuid, "下姜村").value
    assert town.level == RegionLevel.TOWN
    assert village.level == RegionLevel.VILLAGE
    assert village.full_name == "杭州市淳安县枫树岭镇下姜村"
    assert village.parent_uuid == town.uuid
    assert village.updated_by == EDITOR_LABEL
    assert [r.uuid for r in book.regions.children(town.uuid)] == [village.uuid]
    assert book.regions.find("下姜村").uuid == village.uuid
    assert book.regions.find("杭州市淳安县枫树岭镇下姜村").uuid == village.uuid


def test_added_region_carries_its_stored_version(book: Casebook) -> None:
    county = _county(book, "淳安县")
    town = book.regions.add(county.uuid, "枫树岭镇").value
    assert town.version == book.regions.get(town.uuid).version
    renamed = book.regions.rename(town.uuid, "梓桐镇", town.version).value
    assert renamed.name == "梓桐镇"


def test_nothing_can_be_added_under_a_village(book: Casebook) -> None:
    county = _county(book, "淳安县")
    village = book.regions.add(book.regions.add(county.uuid, "枫树岭镇").value.uuid, "下姜村").value
    with pytest.raises(ValidationError) as info:
        book.regions.add(village.uuid, "某某自然村")
    assert "parent" in info.value.fields()
    assert "村(社区)下" in str(info.value)


def test_cities_and_counties_cannot_be_added_by_users(book: Casebook) -> None:
    [province] = book.regions.children(None)
    city = book.regions.find("杭州市")
    for parent in (province, city):
        with pytest.raises(ValidationError) as info:
            book.regions.add(parent.uuid, "新设区")
        assert "parent" in info.value.fields()
        assert "参考数据" in str(info.value)


def test_duplicate_name_under_one_parent_is_refused(book: Casebook) -> None:
    county = _county(book, "淳安县")
    book.regions.add(county.uuid, "枫树岭镇")
    with pytest.raises(ValidationError) as info:
        book.regions.add(county.uuid, " 枫树岭镇 ")
    assert info.value.fields() == ["name"]
    assert "已有" in str(info.value)
    other_county = _county(book, "安吉县")
    assert book.regions.add(other_county.uuid, "枫树岭镇").value.full_name == "湖州市安吉县枫树岭镇"


def test_empty_region_name_is_refused(book: Casebook) -> None:
    county = _county(book, "淳安县")
    with pytest.raises(ValidationError) as info:
        book.regions.add(county.uuid, "  ")
    assert info.value.fields() == ["name"]
    assert "不能为空" in str(info.value)


# demo --------------------------------------------------------------------------------------


def test_demo_adds_cases_and_pilots_once(book: Casebook) -> None:
    first = book.load_demo()
    assert (first.cases, first.pilots) == (9, 2)
    assert first.experiments > 0
    second = book.load_demo()
    assert (second.cases, second.pilots, second.experiments) == (0, 0, 0)
    assert len(_search(book)) == 9
    assert len(book.pilots.all()) == 2


def test_demo_cases_are_marked_and_complete(demo_book: Casebook) -> None:
    cases = [demo_book.cases.get(u) for u in _search(demo_book)]
    assert len(cases) == 9
    for case in cases:
        assert case.is_demo
        assert "示例" in case.title
        assert case.source.strip()
        assert case.places
        assert case.themes
        assert case.model_type is not None and case.model_type.name
        assert case.figures
        for fig in case.figures:
            assert fig.unit.strip() and fig.period.strip()
    for pilot in demo_book.pilots.all():
        assert pilot.is_demo
        assert "示例" in pilot.name


def test_demo_has_overdue_and_upcoming_milestones(demo_book: Casebook) -> None:
    due = demo_book.pilots.due_milestones()
    assert any(m.overdue for m in due)
    assert any(not m.overdue for m in due)
    today = date.today()
    for m in due:
        assert m.overdue == (m.due_date < today)
        assert m.due_date <= today + timedelta(days=14)
        assert m.pilot_name and m.experiment_title


def test_get_many_keeps_the_order_asked_for(demo_book: Casebook) -> None:
    uuids = _search(demo_book)[::-1]
    cases = demo_book.cases.get_many([*uuids[:3], "00000000-0000-0000-0000-000000000000"])
    assert [c.uuid for c in cases] == uuids[:3]


# validation --------------------------------------------------------------------------------


def test_empty_title_is_refused_naming_the_field(book: Casebook) -> None:
    with pytest.raises(ValidationError) as info:
        book.cases.create(_case(book, title="   "))
    assert "title" in info.value.fields()
    assert "标题" in str(info.value) and "不能为空" in str(info.value)
    assert _search(book) == []


def test_figure_without_unit_is_refused(book: Casebook) -> None:
    with pytest.raises(ValidationError) as info:
        book.cases.create(_case(book, figures=[_figure(unit="")]))
    assert info.value.fields() == ["figures[0].unit"]
    assert "单位" in str(info.value)


def test_figure_without_period_is_refused(book: Casebook) -> None:
    with pytest.raises(ValidationError) as info:
        book.cases.create(_case(book, figures=[_figure(), _figure(period=" ")]))
    assert info.value.fields() == ["figures[1].period"]
    with pytest.raises(ValidationError) as info:
        book.cases.create(_case(book, figures=[_figure(period="")]))
    assert info.value.fields() == ["figures[0].period"]
    assert "时期" in str(info.value)


def test_every_problem_is_reported_at_once(book: Casebook) -> None:
    with pytest.raises(ValidationError) as info:
        book.cases.create(_case(book, title="", figures=[_figure(unit="", period="")]))
    assert set(info.value.fields()) == {"title", "figures[0].unit", "figures[0].period"}


def test_pilot_ending_before_it_starts_is_refused(book: Casebook) -> None:
    pilot = PilotSite(name="某县专项试点", period_start=date(2024, 1, 1), period_end=date(2023, 12, 31))
    with pytest.raises(ValidationError) as info:
        book.pilots.save(pilot)
    assert info.value.fields() == ["period_end"]
    assert "结束日期早于开始日期" in str(info.value)
    assert book.pilots.all() == []


def test_designation_must_end_after_it_starts(book: Casebook) -> None:
    county = _county(book, "淳安县")
    bad = RegionDesignation(
        region=Ref(county.uuid), kind="试点县", valid_from=date(2024, 1, 1), valid_to=date(2024, 1, 1)
    )
    with pytest.raises(ValidationError) as info:
        book.regions.save_designation(bad)
    assert info.value.fields() == ["valid_to"]
    assert "有效期" in str(info.value)
    good = book.regions.save_designation(replace(bad, valid_to=date(2025, 1, 1))).value
    assert [d.uuid for d in book.regions.designations("试点县", on=date(2024, 6, 1))] == [good.uuid]
    assert book.regions.designations("试点县", on=date(2025, 1, 1)) == []


def test_return_without_reason_is_refused(book: Casebook) -> None:
    case = book.cases.create(_case(book, figures=[])).value
    submitted = book.cases.set_review_status(case.uuid, ReviewStatus.SUBMITTED, version=case.version).value
    with pytest.raises(ValidationError) as info:
        book.cases.set_review_status(case.uuid, ReviewStatus.RETURNED, "  ", version=submitted.version)
    assert info.value.fields() == ["return_reason"]
    assert "退回" in str(info.value) and "原因" in str(info.value)
    assert book.cases.get(case.uuid).review_status == ReviewStatus.SUBMITTED
    assert book.cases.get(case.uuid).version == submitted.version


def test_illegal_review_move_is_refused(book: Casebook) -> None:
    case = book.cases.create(_case(book, figures=[])).value
    with pytest.raises(ValidationError) as info:
        book.cases.set_review_status(case.uuid, ReviewStatus.APPROVED, version=case.version)
    assert info.value.fields() == ["review_status"]
    assert "草稿" in str(info.value) and "已审核" in str(info.value)
    assert book.cases.get(case.uuid).review_status == ReviewStatus.DRAFT
    assert book.cases.review_history(case.uuid) == []


# cases -------------------------------------------------------------------------------------


def test_create_records_editor_time_and_version(book: Casebook) -> None:
    case = book.cases.create(_case(book)).value
    assert case.updated_by == EDITOR_LABEL
    assert case.created_at is not None and case.updated_at is not None
    assert case.created_at.tzinfo is not None
    assert case.version == 1
    assert case.review_status == ReviewStatus.DRAFT
    stored = book.cases.get(case.uuid)
    assert stored.title == "强村公司带动山区村集体增收"
    assert stored.places[0].name == "杭州市淳安县"
    assert stored.tags == ["强村公司"]
    assert [(f.label, f.value, f.unit, f.period) for f in stored.figures] == [
        ("村集体经营性收入", 120.5, "万元", "2023年")
    ]


def test_update_bumps_version_and_time(book: Casebook) -> None:
    created = book.cases.create(_case(book, figures=[])).value
    updated = book.cases.update(replace(created, title="强村公司带动山区村集体经济增收")).value
    assert updated.version == created.version + 1
    assert updated.updated_by == EDITOR_LABEL
    assert updated.updated_at is not None and created.updated_at is not None
    assert updated.updated_at >= created.updated_at
    assert updated.created_at == created.created_at
    assert book.cases.get(created.uuid).title == "强村公司带动山区村集体经济增收"
    assert _search(book, "集体经济增收") == [created.uuid]


def test_update_of_a_case_with_figures_keeps_them(book: Casebook) -> None:
    created = book.cases.create(
        _case(book, figures=[_figure(), _figure(label="接待游客", value=3.2, unit="万人次")])
    ).value
    updated = book.cases.update(replace(created, subtitle="修改后的副标题")).value
    assert updated.subtitle == "修改后的副标题"
    assert [f.uuid for f in updated.figures] == [f.uuid for f in created.figures]
    changed = book.cases.update(replace(updated, figures=[replace(updated.figures[0], value=150.0)])).value
    assert [(f.label, f.value) for f in changed.figures] == [("村集体经营性收入", 150.0)]


def test_update_of_a_case_with_photos_keeps_them(book: Casebook) -> None:
    photo = Photo(file_name="xiajiang-01.jpg", caption="下姜村全景", credit="县融媒体中心")
    created = book.cases.create(_case(book, figures=[], photos=[photo])).value
    updated = book.cases.update(replace(created, subtitle="修改后的副标题")).value
    assert [(p.uuid, p.file_name, p.caption) for p in updated.photos] == [(photo.uuid, "xiajiang-01.jpg", "下姜村全景")]


def test_trash_restore_and_empty_trash(book: Casebook) -> None:
    keep = book.cases.create(_case(book, title="保留的案例", figures=[])).value
    gone = book.cases.create(_case(book, title="要删除的共富工坊案例", figures=[])).value
    assert _search(book, "共富工坊") == [gone.uuid]

    assert book.cases.trash([gone.uuid]).value == 1
    assert _search(book, "共富工坊") == []
    assert _search(book) == [keep.uuid]
    trashed = book.cases.get(gone.uuid)
    assert trashed.in_trash and trashed.updated_by == EDITOR_LABEL
    with pytest.raises(NotFoundError):
        book.cases.get(gone.uuid, include_trashed=False)

    assert book.cases.restore([gone.uuid]).value == 1
    assert _search(book, "共富工坊") == [gone.uuid]
    assert not book.cases.get(gone.uuid).in_trash
    assert book.maintenance.check() == []


def test_trash_is_listed_and_emptied_for_good(book: Casebook) -> None:
    gone = book.cases.create(_case(book, title="要删除的共富工坊案例")).value
    book.cases.trash([gone.uuid])

    entries = book.maintenance.trash()
    assert [(e.kind, e.uuid, e.name) for e in entries] == [(RecordKind.CASE, gone.uuid, "要删除的共富工坊案例")]

    assert book.maintenance.empty_trash().value >= 1
    assert book.maintenance.trash() == []
    with pytest.raises(NotFoundError) as info:
        book.cases.get(gone.uuid)
    assert "找不到案例" in str(info.value)
    assert book.maintenance.check() == []


def test_review_history_records_moves_with_reason(book: Casebook) -> None:
    case = book.cases.create(_case(book, figures=[])).value
    for status, reason in (
        (ReviewStatus.SUBMITTED, ""),
        (ReviewStatus.RETURNED, "数据来源不明，请补充"),
        (ReviewStatus.SUBMITTED, ""),
        (ReviewStatus.APPROVED, ""),
    ):
        case = book.cases.set_review_status(case.uuid, status, reason, version=case.version).value
    back = case
    assert back.review_status == ReviewStatus.APPROVED
    history = book.cases.review_history(case.uuid)
    assert [(h[2], h[3], h[4]) for h in history] == [
        ("草稿", "已报送", ""),
        ("已报送", "退回", "数据来源不明，请补充"),
        ("退回", "已报送", ""),
        ("已报送", "已审核", ""),
    ]
    assert {h[1] for h in history} == {EDITOR_LABEL}
    assert all(len(h[0]) == len("2025-01-01 12:00") for h in history)


def test_renamed_village_is_found_by_its_new_name_only(book: Casebook) -> None:
    county = _county(book, "淳安县")
    village = book.regions.add(book.regions.add(county.uuid, "枫树岭镇").value.uuid, "枫林村").value
    case = book.cases.create(_case(book, places=[Ref(village.uuid)], figures=[])).value
    assert _search(book, "枫林村") == [case.uuid]

    renamed = book.regions.rename(village.uuid, "梓桐村", book.regions.get(village.uuid).version).value
    assert renamed.full_name == "杭州市淳安县枫树岭镇梓桐村"
    assert _search(book, "梓桐村") == [case.uuid]
    assert _search(book, "枫林") == []
    assert book.cases.get(case.uuid).places[0].name == "杭州市淳安县枫树岭镇梓桐村"
    assert _search(book, region_uuid=village.uuid) == [case.uuid]
    assert book.maintenance.check() == []


def test_renamed_town_renames_the_villages_below(book: Casebook) -> None:
    county = _county(book, "淳安县")
    town = book.regions.add(county.uuid, "枫树岭镇").value
    village = book.regions.add(town.uuid, "下姜村").value
    case = book.cases.create(_case(book, places=[Ref(village.uuid)], figures=[])).value
    book.regions.rename(town.uuid, "梓桐镇", book.regions.get(town.uuid).version)
    assert book.regions.get(village.uuid).full_name == "杭州市淳安县梓桐镇下姜村"
    assert _search(book, "梓桐镇") == [case.uuid]
    assert _search(book, "枫树岭") == []


def test_renamed_model_type_is_found_by_its_new_name_only(book: Casebook) -> None:
    model_type = book.catalog.find_model_type("科创飞地")
    case = book.cases.create(_case(book, model_type=Ref(model_type.uuid), figures=[])).value
    assert _search(book, "科创飞地") == [case.uuid]

    book.catalog.save_model_type(replace(model_type, name="数字经济飞地"))
    assert _search(book, "数字经济飞地") == [case.uuid]
    assert _search(book, "科创") == []
    assert book.cases.get(case.uuid).model_type == Ref(model_type.uuid, "数字经济飞地")
    with pytest.raises(NotFoundError):
        book.catalog.find_model_type("科创飞地")
    assert book.maintenance.check() == []


def test_model_type_name_must_be_unique(book: Casebook) -> None:
    model_type = book.catalog.find_model_type("科创飞地")
    with pytest.raises(ValidationError) as info:
        book.catalog.save_model_type(replace(model_type, name="消薄飞地"))
    assert info.value.fields() == ["name"]
    assert "同名" in str(info.value)


# pilots, experiments, adoptions ------------------------------------------------------------


def test_pilot_and_experiment_read_back(book: Casebook) -> None:
    county = _county(book, "天台县")
    pilot = book.pilots.save(
        PilotSite(
            name="天台县乡村片区组团发展专项试点",
            kind=PilotKind.SPECIAL,
            batch="第一批",
            lead_unit="天台县人民政府",
            places=[Ref(county.uuid)],
            period_start=date(2024, 1, 1),
            period_end=date(2026, 12, 31),
            status=PilotStatus.RUNNING,
            description="探索片区组团发展机制。",
        )
    ).value
    assert pilot.updated_by == EDITOR_LABEL
    today = date.today()
    experiment = book.pilots.save_experiment(
        Experiment(
            pilot_uuid=pilot.uuid,
            title="片区联合党委运行机制",
            objective="建立片区统筹机制",
            status=ExperimentStatus.IN_PROGRESS,
            responsible_unit="县委组织部",
            milestones=[
                Milestone(title="出台工作规则", due_date=today - timedelta(days=10)),
                Milestone(
                    title="完成资源清单", due_date=today - timedelta(days=30), done_on=today - timedelta(days=31)
                ),
                Milestone(title="形成评估报告", due_date=today + timedelta(days=5), responsible_unit="县农业农村局"),
            ],
            progress_notes=[ProgressNote(noted_on=today - timedelta(days=3), text="已召开第一次联席会议。")],
        )
    ).value

    stored_pilot = book.pilots.get(pilot.uuid)
    assert stored_pilot.name == "天台县乡村片区组团发展专项试点"
    assert stored_pilot.places == [Ref(county.uuid, "台州市天台县")]
    assert (stored_pilot.period_start, stored_pilot.period_end) == (date(2024, 1, 1), date(2026, 12, 31))
    assert stored_pilot.status == PilotStatus.RUNNING

    [stored] = book.pilots.experiments(pilot.uuid)
    assert stored.uuid == experiment.uuid
    assert [m.title for m in stored.milestones] == ["出台工作规则", "完成资源清单", "形成评估报告"]
    assert stored.milestones[1].done_on == today - timedelta(days=31)
    assert [(n.text, n.author) for n in stored.progress_notes] == [("已召开第一次联席会议。", EDITOR_LABEL)]
    assert book.pilots.get_experiment(experiment.uuid).milestones == stored.milestones


def test_due_milestones_lists_open_steps_of_live_pilots(book: Casebook) -> None:
    pilot = book.pilots.save(PilotSite(name="天台县乡村片区组团发展专项试点", lead_unit="天台县人民政府")).value
    today = date.today()
    book.pilots.save_experiment(
        Experiment(
            pilot_uuid=pilot.uuid,
            title="片区联合党委运行机制",
            responsible_unit="县委组织部",
            milestones=[
                Milestone(title="出台工作规则", due_date=today - timedelta(days=10)),
                Milestone(
                    title="完成资源清单", due_date=today - timedelta(days=30), done_on=today - timedelta(days=31)
                ),
                Milestone(title="形成评估报告", due_date=today + timedelta(days=5), responsible_unit="县农业农村局"),
                Milestone(title="远期节点", due_date=today + timedelta(days=60)),
            ],
        )
    )
    due = book.pilots.due_milestones(today)
    assert [(m.title, m.overdue) for m in due] == [("出台工作规则", True), ("形成评估报告", False)]
    assert due[0].responsible_unit == "县委组织部"
    assert due[1].responsible_unit == "县农业农村局"
    assert due[0].pilot_name == "天台县乡村片区组团发展专项试点"
    book.pilots.trash(pilot.uuid)
    assert book.pilots.due_milestones(today) == []


def test_experiment_saved_again_keeps_its_milestones(book: Casebook) -> None:
    pilot = book.pilots.save(PilotSite(name="某县全域综合试点", kind=PilotKind.COMPREHENSIVE)).value
    today = date.today()
    experiment = book.pilots.save_experiment(
        Experiment(
            pilot_uuid=pilot.uuid,
            title="闲置农房盘活",
            milestones=[Milestone(title="摸清闲置农房底数", due_date=today + timedelta(days=20))],
            progress_notes=[ProgressNote(noted_on=today, text="启动摸底。")],
        )
    ).value
    done = replace(experiment.milestones[0], done_on=today)
    again = book.pilots.save_experiment(replace(experiment, milestones=[done], status=ExperimentStatus.DONE)).value
    assert again.status == ExperimentStatus.DONE
    assert [(m.uuid, m.done_on) for m in again.milestones] == [(done.uuid, today)]
    assert book.pilots.due_milestones(today) == []


def test_future_completion_date_is_refused(book: Casebook) -> None:
    pilot = book.pilots.save(PilotSite(name="某县专项试点")).value
    tomorrow = date.today() + timedelta(days=1)
    with pytest.raises(ValidationError) as info:
        book.pilots.save_experiment(
            Experiment(
                pilot_uuid=pilot.uuid,
                title="事项",
                milestones=[Milestone(title="节点", due_date=tomorrow, done_on=tomorrow)],
            )
        )
    assert info.value.fields() == ["milestones[0].done_on"]


def test_adoption_saved_and_listed_for_its_case(book: Casebook) -> None:
    case = book.cases.create(_case(book, figures=[])).value
    later = book.adoptions.save(
        Adoption(
            case_uuid=case.uuid,
            region=Ref(_county(book, "龙游县").uuid),
            adopted_on=date(2024, 5, 1),
            extent=AdoptionExtent.REPLICATED,
            note="复制强村公司做法",
        )
    ).value
    earlier = book.adoptions.save(
        Adoption(
            case_uuid=case.uuid,
            region=Ref(_county(book, "开化县").uuid),
            adopted_on=date(2023, 3, 1),
            extent=AdoptionExtent.LEARNED,
        )
    ).value
    listed = book.adoptions.of_case(case.uuid)
    assert [a.uuid for a in listed] == [earlier.uuid, later.uuid]
    assert listed[1].region.name == "衢州市龙游县"
    assert listed[1].extent == AdoptionExtent.REPLICATED
    assert listed[1].note == "复制强村公司做法"
    assert listed[1].updated_by == EDITOR_LABEL
    book.adoptions.trash(earlier.uuid)
    assert [a.uuid for a in book.adoptions.of_case(case.uuid)] == [later.uuid]


# search filters over the demo --------------------------------------------------------------


def test_designation_filter_follows_the_date(demo_book: Casebook) -> None:
    yudong = demo_book.search.search(CaseQuery("余东")).hits[0]
    assert "衢州市柯城区沟溪乡余东村" in yudong.places
    in_2023 = _search(demo_book, designation=MOUNTAIN_ISLAND, designation_on=date(2023, 6, 1))
    in_2025 = _search(demo_book, designation=MOUNTAIN_ISLAND, designation_on=date(2025, 1, 1))
    assert yudong.uuid in in_2023
    assert yudong.uuid not in in_2025
    assert set(in_2025) < set(in_2023)


# maintenance -------------------------------------------------------------------------------


def test_check_finds_a_broken_index_and_rebuild_fixes_it(demo_book: Casebook) -> None:
    assert demo_book.maintenance.check() == []
    with demo_book.library.engine.begin() as conn:
        conn.execute(text("INSERT INTO case_fts(case_fts) VALUES('delete-all')"))
    problems = demo_book.maintenance.check()
    assert len(problems) == 1
    assert "检索索引" in problems[0] and "9" in problems[0]
    assert _search(demo_book, "飞地") == []

    assert demo_book.maintenance.rebuild_index() == 9
    assert demo_book.maintenance.check() == []
    assert len(_search(demo_book, "飞地")) == 3


def test_check_reports_a_dangling_reference(book: Casebook) -> None:
    case = book.cases.create(_case(book, figures=[])).value
    with book.library.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys = OFF")
        conn.exec_driver_sql(
            "UPDATE case_place SET region_id = 999999 WHERE case_id = (SELECT id FROM model_case WHERE uuid = ?)",
            (case.uuid,),
        )
        conn.commit()
        conn.exec_driver_sql("PRAGMA foreign_keys = ON")
    problems = book.maintenance.check()
    assert any("case_place" in p and "region" in p for p in problems)


def test_any_record_kind_goes_to_the_trash_and_back(book: Casebook) -> None:
    """Trash and restore work for every kind; vocabularies still in use are refused."""
    from desktop.domain.changes import RecordKind
    from desktop.domain.records import ModelType
    from desktop.services.context import InUseError

    mt = book.catalog.save_model_type(ModelType(name="村企结对")).value
    book.maintenance.move_to_trash(RecordKind.MODEL_TYPE, mt.uuid)
    assert "村企结对" not in [m.name for m in book.catalog.model_types()]
    assert (RecordKind.MODEL_TYPE, mt.uuid) in [(e.kind, e.uuid) for e in book.maintenance.trash()]
    book.maintenance.restore([(RecordKind.MODEL_TYPE, mt.uuid)])
    assert "村企结对" in [m.name for m in book.catalog.model_types()]

    used = book.catalog.find_model_type("消薄飞地")
    book.cases.create(ModelCase(title="用到消薄飞地的案例", model_type=Ref(used.uuid, used.name)))
    with pytest.raises(InUseError, match="使用"):
        book.maintenance.move_to_trash(RecordKind.MODEL_TYPE, used.uuid)

    theme = book.catalog.find_theme("（二）")
    with pytest.raises(InUseError):  # it has sub-themes
        book.maintenance.move_to_trash(RecordKind.THEME, theme.uuid)
    with pytest.raises(NotFoundError):
        book.maintenance.move_to_trash(RecordKind.BRIEF_EXPORT, theme.uuid)
