"""Operations and change sets: every write says what it changed, logs it for other writers, refuses a
stale version, and can be undone and redone — asking first when someone else changed the records since."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from desktop.domain.bulk import BulkChange
from desktop.domain.changes import Action, ChangeSet, RecordKind
from desktop.domain.enums import ReviewStatus
from desktop.domain.merge import Side, case_fields, compare, merge
from desktop.domain.records import ModelCase, Ref
from desktop.services.casebook import Casebook
from desktop.services.context import ConcurrentEditError, Editor
from desktop.services.undo import NothingToUndoError, UndoConflictError
from desktop.store.changelog import MANY
from desktop.store.db import open_library
from tests.conftest import TEST_EDITOR

OTHER = Editor("乙", "市农业农村局")


def second_writer(path: Path) -> Casebook:
    """Another program on the same library file."""
    return Casebook.open(path, editor=OTHER)


def test_a_write_says_what_it_created_and_which_fields_it_changed(book: Casebook) -> None:
    created = book.cases.create(ModelCase(title="新案例", tags=["新标签"]))
    assert created.changes.uuids(RecordKind.CASE, Action.CREATED) == {created.value.uuid}
    assert RecordKind.TAG in created.changes.vocabulary  # a new tag came with it
    assert not created.changes.external

    updated = book.cases.update(replace(created.value, practices="先做调研"))
    assert updated.changes.uuids(RecordKind.CASE, Action.UPDATED) == {created.value.uuid}
    assert updated.changes.changed_fields(RecordKind.CASE) == {"practices"}
    assert not updated.changes.membership_may_change(RecordKind.CASE)
    assert updated.value.version == created.value.version + 1

    region = book.regions.find("淳安县")
    placed = book.cases.update(replace(updated.value, places=[Ref(region.uuid)]))
    assert placed.changes.changed_fields(RecordKind.CASE) == {"places"}

    trashed = book.cases.trash([created.value.uuid])
    assert trashed.changes.uuids(RecordKind.CASE, Action.TRASHED) == {created.value.uuid}
    assert trashed.changes.membership_may_change(RecordKind.CASE)
    restored = book.cases.restore([created.value.uuid])
    assert restored.changes.uuids(RecordKind.CASE, Action.RESTORED) == {created.value.uuid}


def test_vocabulary_and_pilot_writes_name_their_kinds(book: Casebook) -> None:
    county = book.regions.find("淳安县")
    town = book.regions.ensure_path(["杭州市", "淳安县", "枫树岭镇"])
    assert town.changes.uuids(RecordKind.REGION, Action.CREATED) == {town.value.uuid}
    assert town.changes.vocabulary == {RecordKind.REGION}
    from desktop.domain.records import PilotSite

    pilot = book.pilots.save(PilotSite(name="试点", places=[Ref(county.uuid)]))
    assert pilot.changes.uuids(RecordKind.PILOT) == {pilot.value.uuid}
    assert RecordKind.PILOT in pilot.changes.vocabulary


def test_other_writers_changes_are_read_from_the_log(book: Casebook, library_path: Path) -> None:
    case = book.cases.create(ModelCase(title="甲写的")).value
    since = book.library.log_position()
    other = second_writer(library_path)
    try:
        other.cases.update(replace(other.cases.get(case.uuid), outcomes="乙写的成效"))
        other.cases.create(ModelCase(title="乙新建的"))
    finally:
        other.close()
    position, changes = book.library.changes_since(since)
    assert changes.external
    assert case.uuid in changes.uuids(RecordKind.CASE, Action.UPDATED)
    assert len(changes.uuids(RecordKind.CASE, Action.CREATED)) == 1
    assert changes.changed_fields(RecordKind.CASE) is None  # another writer's fields are not known here
    # one's own writes are not reported back, and a second read from the new position finds nothing
    book.cases.update(replace(book.cases.get(case.uuid), lessons="甲又改了"))
    assert book.library.changes_since(position)[1].empty


def test_a_bulk_write_is_logged_as_many(book: Casebook, library_path: Path) -> None:
    since = book.library.log_position()
    other = second_writer(library_path)
    try:
        from desktop.services.sample import add_sample_cases

        add_sample_cases(other.ctx, MANY + 10, workers=1)
    finally:
        other.close()
    _position, changes = book.library.changes_since(since)
    assert RecordKind.CASE in changes.wholesale
    assert changes.touches(RecordKind.CASE, "any-uuid")


def test_a_log_pruned_past_the_readers_position_means_everything_changed(book: Casebook) -> None:
    book.cases.create(ModelCase(title="一"))
    since = book.library.log_position()
    book.cases.create(ModelCase(title="二"))
    book.cases.create(ModelCase(title="三"))
    with book.library.unit_of_work() as s:
        from sqlalchemy import delete

        from desktop.store.schema import ChangeLogRow

        s.execute(delete(ChangeLogRow).where(ChangeLogRow.seq <= since.seq + 1))
    other = open_library(book.library.path)  # a reader with another writer id
    try:
        _position, changes = other.changes_since(since)
    finally:
        other.close()
    assert changes.wholesale == frozenset(RecordKind)


def test_a_stale_save_is_refused_with_the_record_as_stored_now(book: Casebook, library_path: Path) -> None:
    mine = book.cases.create(ModelCase(title="两人都在改")).value
    other = second_writer(library_path)
    try:
        other.cases.update(replace(other.cases.get(mine.uuid), practices="乙的做法"))
    finally:
        other.close()
    with pytest.raises(ConcurrentEditError) as refused:
        book.cases.update(replace(mine, practices="甲的做法"))
    assert isinstance(refused.value.current, ModelCase)
    assert refused.value.current.practices == "乙的做法"
    assert "乙（市农业农村局）" in str(refused.value)
    assert book.cases.get(mine.uuid).practices == "乙的做法"  # nothing overwritten
    with pytest.raises(ConcurrentEditError):  # a review move carries the version too
        book.cases.set_review_status(mine.uuid, ReviewStatus.SUBMITTED, version=mine.version)


def test_undo_and_redo_in_a_row_walk_back_and_forth(book: Casebook) -> None:
    case = book.cases.create(ModelCase(title="案例")).value
    case = book.cases.update(replace(case, practices="一")).value
    case = book.cases.update(replace(case, practices="二")).value
    assert book.undo.labels() == ("编辑案例", None)
    seen = []
    for _ in range(2):
        book.undo.undo()
        seen.append(book.cases.get(case.uuid).practices)
    assert seen == ["一", ""]
    book.undo.undo()  # the creation: the case goes to the trash, nothing is lost
    assert book.cases.get(case.uuid).in_trash
    for expected in ("", "一", "二"):
        book.undo.redo()
        assert book.cases.get(case.uuid).practices == expected
        assert not book.cases.get(case.uuid).in_trash
    with pytest.raises(NothingToUndoError):
        book.undo.redo()
    undone = book.undo.undo()
    assert undone.value == "编辑案例"
    assert undone.changes.uuids(RecordKind.CASE, Action.UPDATED) == {case.uuid}


def test_undo_over_another_writers_change_asks_first(book: Casebook, library_path: Path) -> None:
    case = book.cases.create(ModelCase(title="案例")).value
    book.cases.update(replace(case, practices="甲的做法"))
    other = second_writer(library_path)
    try:
        other.cases.update(replace(other.cases.get(case.uuid), outcomes="乙的成效"))
    finally:
        other.close()
    with pytest.raises(UndoConflictError) as asked:
        book.undo.undo()
    assert "乙（市农业农村局）" in str(asked.value)
    stored = book.cases.get(case.uuid)
    assert (stored.practices, stored.outcomes) == ("甲的做法", "乙的成效")  # nothing written yet
    assert book.undo.labels()[0] == "编辑案例"  # the step is still there
    book.undo.undo(force=True)
    assert book.cases.get(case.uuid).practices == ""


def test_undo_of_an_import_asks_when_a_record_was_changed_since(demo_book: Casebook, tmp_path: Path) -> None:
    sender = Casebook.open(tmp_path / "sender.sqlite", create=True, editor=OTHER)
    try:
        new = sender.cases.create(ModelCase(title="外县送来的案例")).value
        sender.share.export(tmp_path / "x.casebook", [new.uuid])
    finally:
        sender.close()
    plan = demo_book.share.preview(tmp_path / "x.casebook")
    imported = demo_book.share.apply(plan)
    assert new.uuid in imported.changes.uuids(RecordKind.CASE, Action.CREATED)
    assert demo_book.undo.labels()[0] == "导入案例包"
    demo_book.cases.update(replace(demo_book.cases.get(new.uuid), lessons="本地补充"))  # a later step of ours
    demo_book.undo.undo()  # our own edit first
    demo_book.undo.undo()  # then the import: the case it brought goes to the trash
    assert demo_book.cases.get(new.uuid).in_trash
    demo_book.undo.redo()
    assert not demo_book.cases.get(new.uuid).in_trash


def test_a_bulk_edit_is_one_step_read_and_written_together(demo_book: Casebook) -> None:
    uuids = [h.uuid for h in demo_book.search.search(demo_book_query()).hits][:3]
    done = demo_book.cases.bulk_edit(uuids, BulkChange(add_tag="批量标签"))
    assert done.value == 3
    assert done.changes.uuids(RecordKind.CASE, Action.UPDATED) == set(uuids)
    assert all("批量标签" in demo_book.cases.get(u).tags for u in uuids)
    demo_book.undo.undo()
    assert all("批量标签" not in demo_book.cases.get(u).tags for u in uuids)


def demo_book_query() -> object:
    from desktop.domain.query import CaseQuery

    return CaseQuery("", limit=10)


def test_the_demo_and_the_reference_data_are_not_undo_steps(demo_book: Casebook) -> None:
    assert demo_book.undo.labels() == (None, None)


def test_emptying_the_trash_forgets_the_history(book: Casebook) -> None:
    case = book.cases.create(ModelCase(title="删")).value
    book.cases.trash([case.uuid])
    emptied = book.maintenance.empty_trash()
    assert case.uuid in emptied.changes.uuids(RecordKind.CASE, Action.PURGED)
    assert book.undo.labels() == (None, None)


def test_operations_act_for_the_editor_they_were_started_for(book: Casebook) -> None:
    acting = book.acting_as(OTHER)
    case = acting.cases.create(ModelCase(title="乙建的")).value
    assert case.updated_by == "乙（市农业农村局）"
    assert book.ctx.editor == TEST_EDITOR  # the original services are unchanged
    assert acting.undo.labels()[0] == "新建案例" == book.undo.labels()[0]  # one history per library


def test_three_way_merge_takes_each_sides_own_changes() -> None:
    base = ModelCase(title="标题", practices="做法", outcomes="成效", lessons="启示", version=3)
    mine = replace(base, practices="我的做法", lessons="我的启示")
    theirs = replace(base, outcomes="对方成效", lessons="对方启示", version=4)
    diffs = {d.name: d for d in compare(base, mine, theirs, case_fields())}
    assert set(diffs) == {"practices", "outcomes", "lessons"}
    assert not diffs["practices"].conflict and diffs["practices"].suggested == Side.MINE
    assert not diffs["outcomes"].conflict and diffs["outcomes"].suggested == Side.THEIRS
    assert diffs["lessons"].conflict
    merged = merge(mine, theirs, list(diffs.values()))
    assert (merged.practices, merged.outcomes, merged.lessons, merged.version) == (
        "我的做法",
        "对方成效",
        "我的启示",
        4,
    )
    chosen = merge(mine, theirs, list(diffs.values()), {"lessons": Side.THEIRS})
    assert chosen.lessons == "对方启示"


def test_change_sets_combine() -> None:
    a = ChangeSet.of([(RecordKind.CASE, "1", Action.UPDATED)], fields={RecordKind.CASE: {"title"}})
    b = ChangeSet.of([(RecordKind.CASE, "2", Action.UPDATED)], fields={RecordKind.CASE: {"lessons"}})
    both = a | b
    assert both.uuids(RecordKind.CASE) == {"1", "2"}
    assert both.changed_fields(RecordKind.CASE) == {"title", "lessons"}
    unknown = both | ChangeSet.of([(RecordKind.CASE, "3", Action.UPDATED)], external=True)
    assert unknown.changed_fields(RecordKind.CASE) is None and unknown.external
    assert ChangeSet().empty and not both.empty


def test_domain_errors_survive_a_trip_between_processes(tmp_path: Path) -> None:
    """A refusal met in a helper process reaches the window as the same error, with its details."""
    import pickle

    from desktop.domain.validation import FieldError, ValidationError
    from desktop.exchange.bundle import BundleError

    refused = BundleError(tmp_path / "x.casebook", "清单缺失")
    again = pickle.loads(pickle.dumps(refused))
    assert type(again) is BundleError and str(again) == str(refused) and again.path == refused.path
    invalid = pickle.loads(pickle.dumps(ValidationError([FieldError("title", "标题", "不能为空")])))
    assert invalid.fields() == ["title"]
    stale = pickle.loads(
        pickle.dumps(ConcurrentEditError("已被修改", kind=RecordKind.CASE, current=ModelCase(title="甲")))
    )
    assert isinstance(stale.current, ModelCase) and stale.kind == RecordKind.CASE
