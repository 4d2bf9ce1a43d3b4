"""The search index stays exact through every change, and a stale one is detected and repaired;
names stay unique where the library needs them to be; the demo is added whole or not at all."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from desktop.domain.changes import RecordKind
from desktop.domain.query import CaseQuery
from desktop.domain.records import Indicator, ModelCase, ModelType, PilotSite, Ref
from desktop.domain.validation import DomainError, ValidationError
from desktop.paths import resources_dir
from desktop.search.index import IndexOutOfStepError
from desktop.services.casebook import Casebook
from desktop.services.context import InUseError
from desktop.services.reference import ReferenceLoader, reference_uuid
from tests.conftest import TEST_EDITOR


def found(book: Casebook, query: str) -> int:
    return book.search.search(CaseQuery(query, limit=None)).total


def newer_reference(tmp_path: Path, dataset: str, change: dict[str, str]) -> Path:
    folder = tmp_path / "reference"
    shutil.copytree(resources_dir() / "reference", folder)
    path = folder / f"{dataset}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["version"] += 1
    for item in data["items"]:
        if item["key"] in change:
            item["name"] = change[item["key"]]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return folder


def test_reference_rename_of_a_model_type_reindexes_its_cases(demo_book: Casebook, tmp_path: Path) -> None:
    book = demo_book
    assert found(book, "强村集团") == 0
    report = ReferenceLoader(book.ctx, newer_reference(tmp_path, "model_types", {"强村公司": "强村集团"})).load()
    assert report.updated["model_types"] == 1
    assert found(book, "强村集团") >= 1
    assert book.maintenance.index_problems() == []
    assert book.maintenance.check() == []


def test_reference_rename_of_a_county_renames_the_places_below(demo_book: Casebook, tmp_path: Path) -> None:
    book = demo_book
    folder = newer_reference(tmp_path, "regions", {"浙江省/杭州市/淳安县": "千岛湖县"})
    ReferenceLoader(book.ctx, folder).load()
    assert found(book, "千岛湖县枫树岭镇") == 1
    assert found(book, "淳安县") == 0 or "淳安县" in " ".join(
        h.title + h.snippet for h in book.search.search(CaseQuery("淳安县", limit=None)).hits
    )
    village = book.regions.find("下姜村")
    assert village.full_name == "杭州市千岛湖县枫树岭镇下姜村"
    assert book.maintenance.index_problems() == []


def test_a_stale_index_is_detected_refused_and_repaired(demo_book: Casebook) -> None:
    book = demo_book
    case = book.search.search(CaseQuery("消薄飞地")).hits[0]
    with book.library.unit_of_work() as s:  # text changed behind the services' back
        s.execute(text("UPDATE model_case SET title = '改过的标题' WHERE uuid = :u"), {"u": case.uuid})
    problems = book.maintenance.index_problems()
    assert any("不一致" in p for p in problems)
    assert book.maintenance.check() != []
    with pytest.raises(IndexOutOfStepError):
        book.cases.trash([case.uuid])
    assert not book.cases.get(case.uuid).in_trash  # nothing changed
    book.maintenance.rebuild_index()
    assert book.maintenance.index_problems() == []
    assert found(book, "改过的标题") == 1
    book.cases.trash([case.uuid, case.uuid])  # the same case twice is one case
    assert book.maintenance.index_problems() == []


def test_an_index_built_by_another_version_is_rebuilt_on_opening(demo_book: Casebook) -> None:
    path = demo_book.library.path
    with demo_book.library.unit_of_work() as s:
        s.execute(text("UPDATE library_meta SET value = '1' WHERE key = 'search_index_version'"))
    demo_book.close()
    again = Casebook.open(path, editor=TEST_EDITOR)
    try:
        assert again.maintenance.index_problems() == []
        assert found(again, "飞地") == 3
    finally:
        again.close()


def test_names_that_must_stay_unique(book: Casebook) -> None:
    town = book.regions.ensure_path(["杭州市", "淳安县", "枫树岭镇"]).value
    book.regions.add(town.uuid, "甲村")
    second = book.regions.add(town.uuid, "乙村").value
    with pytest.raises(ValidationError) as err:
        book.regions.rename(second.uuid, "甲村", second.version)
    assert "甲村" in str(err.value)
    with pytest.raises(ValidationError):
        county = book.regions.find("淳安县")
        book.regions.rename(county.uuid, "建德市", county.version)
    book.cases.create(ModelCase(title="案", tags=["甲", "乙"]))
    tag = next(t for t in book.catalog.tags() if t.name == "乙")
    with pytest.raises(ValidationError, match="同名标签"):
        book.catalog.rename_tag(tag.uuid, "甲")
    book.catalog.save_indicator(Indicator(name="村民满意度", unit="%"))
    with pytest.raises(ValidationError, match="同名指标"):
        book.catalog.save_indicator(Indicator(name="村民满意度", unit="分"))
    place = book.regions.find("淳安县")
    made = book.cases.create(ModelCase(title="重复地点", places=[Ref(place.uuid, "甲"), Ref(place.uuid, "乙")])).value
    assert len(made.places) == 1


def test_a_release_adding_a_model_type_the_user_already_made(book: Casebook, tmp_path: Path) -> None:
    mine = book.catalog.save_model_type(ModelType(name="村企结对")).value
    folder = tmp_path / "reference"
    shutil.copytree(resources_dir() / "reference", folder)
    path = folder / "model_types.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["version"] += 1
    data["items"].append({"key": "村企结对", "name": "村企结对", "description": "新增"})
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    ReferenceLoader(book.ctx, folder).load()
    names = [m.name for m in book.catalog.model_types()]
    assert names.count("村企结对") == 1
    assert mine.uuid in [m.uuid for m in book.catalog.model_types()]


def test_empty_trash_removes_vocabulary_for_good(book: Casebook) -> None:
    mt = book.catalog.save_model_type(ModelType(name="临时类型")).value
    book.maintenance.move_to_trash(RecordKind.MODEL_TYPE, mt.uuid)
    assert book.maintenance.empty_trash().value >= 1
    assert all(e.uuid != mt.uuid for e in book.maintenance.trash())
    again = book.catalog.save_model_type(ModelType(name="临时类型")).value  # the name is free again
    assert again.name == "临时类型"


def test_a_town_used_by_a_pilot_stays(book: Casebook) -> None:
    town = book.regions.ensure_path(["丽水市", "松阳县", "大东坝镇"]).value
    book.pilots.save(PilotSite(name="试点", places=[Ref(town.uuid)]))
    with pytest.raises(InUseError, match="试点"):
        book.regions.trash(town.uuid)


def test_the_demo_is_added_whole_or_not_at_all(book: Casebook) -> None:
    book.maintenance.move_to_trash(RecordKind.THEME, reference_uuid("themes", "三.9"))
    with pytest.raises(DomainError, match="主题"):
        book.load_demo()
    assert book.search.search(CaseQuery("")).total == 0
    assert book.pilots.all() == []
    book.maintenance.restore([(RecordKind.THEME, reference_uuid("themes", "三.9"))])
    report = book.load_demo()
    assert report.cases == 9 and report.pilots == 2
