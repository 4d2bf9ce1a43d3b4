"""Share bundles in the situations a merge between several libraries runs into: records passed on
through a third library, references to records in the receiver's trash, photos spoiled after the
preview, a cancel while the last records are written, hostile photo names."""

from __future__ import annotations

import json
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from desktop.domain.records import Experiment, ModelCase, Photo
from desktop.exchange.bundle import BundleError, BundleReader
from desktop.services.casebook import Casebook
from desktop.services.cases import PHOTO_SUFFIXES
from desktop.services.context import Editor
from desktop.services.sharing import Outcome
from tests.unit.test_share import (
    CITY,
    COUNTY,
    MANIFEST,
    case_with_everything,
    dump,
    library,
    media_files,
    rebuild,
    send,
)

PROVINCE = Editor("赵六", "浙江省农业农村厅")


@pytest.fixture
def county(tmp_path: Path) -> Iterator[Casebook]:
    yield from library(tmp_path, "county", COUNTY)


@pytest.fixture
def city(tmp_path: Path) -> Iterator[Casebook]:
    yield from library(tmp_path, "city", CITY)


@pytest.fixture
def province(tmp_path: Path) -> Iterator[Casebook]:
    yield from library(tmp_path, "province", PROVINCE)


# merges across three libraries ------------------------------------------------------------------
def test_a_case_passed_on_through_a_third_library_comes_back_as_an_update(
    county: Casebook, city: Casebook, province: Casebook, tmp_path: Path
) -> None:
    """County → city (the city edits it) → province → back to the county, which never touched it:
    the county's version is an ancestor of what comes back, so it is an update, not a conflict."""
    case = case_with_everything(county, tmp_path)
    send(county, city, [case.uuid], tmp_path / "1.casebook")
    city.cases.update(replace(city.cases.get(case.uuid), lessons="市里补充的启示"))
    send(city, province, [case.uuid], tmp_path / "2.casebook")
    province.share.export(tmp_path / "3.casebook", [case.uuid])

    plan = county.share.preview(tmp_path / "3.casebook")
    outcome = {p.uuid: p.outcome for p in plan.records}
    assert outcome[case.uuid] == Outcome.UPDATED
    county.share.apply(plan)
    assert county.cases.get(case.uuid).lessons == "市里补充的启示"


def test_a_case_passed_on_through_a_third_library_is_still_a_conflict_when_both_ends_edited(
    county: Casebook, city: Casebook, province: Casebook, tmp_path: Path
) -> None:
    case = case_with_everything(county, tmp_path)
    send(county, city, [case.uuid], tmp_path / "1.casebook")
    city.cases.update(replace(city.cases.get(case.uuid), lessons="市里补充的启示"))
    send(city, province, [case.uuid], tmp_path / "2.casebook")
    county.cases.update(replace(county.cases.get(case.uuid), outcomes="县里新的成效"))
    province.share.export(tmp_path / "3.casebook", [case.uuid])
    plan = county.share.preview(tmp_path / "3.casebook")
    assert [c.uuid for c in plan.conflicts] == [case.uuid]


# references to records in the receiver's trash --------------------------------------------------
def test_a_new_case_of_a_pilot_in_the_receivers_trash_is_imported(
    county: Casebook, city: Casebook, tmp_path: Path
) -> None:
    """The city has the pilot (from an earlier bundle) but moved it to the trash; a new case of
    that pilot arrives. The preview accepts it, so the import must not fail halfway."""
    first = case_with_everything(county, tmp_path)
    send(county, city, [first.uuid], tmp_path / "1.casebook")
    assert first.pilot is not None
    city.pilots.trash(first.pilot.uuid)
    second = county.cases.create(ModelCase(title="第二个案例", places=first.places, pilot=first.pilot)).value
    county.share.export(tmp_path / "2.casebook", [second.uuid])
    plan = city.share.preview(tmp_path / "2.casebook")
    assert {p.uuid: p.outcome for p in plan.records}[second.uuid] == Outcome.NEW
    city.share.apply(plan)
    assert city.cases.get(second.uuid).pilot == first.pilot
    assert first.pilot.uuid in [p.uuid for p in city.pilots.all()]  # back from the trash, as places are
    assert city.maintenance.check() == []


def test_a_new_experiment_of_a_pilot_in_the_receivers_trash_is_imported(
    county: Casebook, city: Casebook, tmp_path: Path
) -> None:
    case = case_with_everything(county, tmp_path)
    send(county, city, [case.uuid], tmp_path / "1.casebook")
    assert case.pilot is not None
    city.pilots.trash(case.pilot.uuid)
    added = county.pilots.save_experiment(Experiment(pilot_uuid=case.pilot.uuid, title="新的探索事项")).value
    county.share.export(tmp_path / "2.casebook", [case.uuid])
    plan = city.share.preview(tmp_path / "2.casebook")
    assert {p.uuid: p.outcome for p in plan.records}[added.uuid] == Outcome.NEW
    before = dump(city.library.path)
    city.share.apply(plan)
    assert dump(city.library.path) != before
    assert city.pilots.get_experiment(added.uuid).title == "新的探索事项"
    assert city.maintenance.check() == []


# spoiled or hostile files --------------------------------------------------------------------------
def flip_last_byte_of_photos(name: str, data: bytes) -> bytes:
    """A photo of the same size whose bytes no longer match the manifest (found only at its end)."""
    return data[:-3] + bytes([data[-3] ^ 0xFF]) + data[-2:] if name.startswith("photos/") else data


def test_a_photo_spoiled_after_the_preview_leaves_no_file_behind(
    county: Casebook, city: Casebook, tmp_path: Path
) -> None:
    case = case_with_everything(county, tmp_path)
    good = tmp_path / "good.casebook"
    county.share.export(good, [case.uuid])
    plan = city.share.preview(good)
    before, files = dump(city.library.path), media_files(city)
    spoiled = rebuild(good, tmp_path / "spoiled.casebook", change=flip_last_byte_of_photos, relist=False)
    good.write_bytes(spoiled.read_bytes())
    with pytest.raises(BundleError) as refused:
        city.share.apply(plan)
    assert "校验和与清单不符" in str(refused.value)
    assert dump(city.library.path) == before
    assert media_files(city) == files


def test_a_case_whose_photo_file_the_sender_lost_does_not_block_the_bundle(
    county: Casebook, city: Casebook, province: Casebook, tmp_path: Path
) -> None:
    """The export warns that the file is missing and sends the photo without it: the receiver that
    has the file keeps it, one that has not imports the case without that photo."""
    case = case_with_everything(county, tmp_path)
    send(county, city, [case.uuid], tmp_path / "1.casebook")
    city_photo = city.cases.get(case.uuid).photos[0]
    city_bytes = city.cases.photo_path(city_photo.file_name).read_bytes()
    county.cases.photo_path(case.photos[0].file_name).unlink()
    county.cases.update(replace(county.cases.get(case.uuid), lessons="县里新的启示"))
    report = county.share.export(tmp_path / "2.casebook", [case.uuid]).value
    assert report.warnings and report.counts["photos"] == 0

    plan = city.share.preview(tmp_path / "2.casebook")
    assert {p.uuid: p.outcome for p in plan.records}[case.uuid] == Outcome.UPDATED
    city.share.apply(plan)
    updated = city.cases.get(case.uuid)
    assert updated.lessons == "县里新的启示"
    assert updated.photos == [city_photo]
    assert city.cases.photo_path(updated.photos[0].file_name).read_bytes() == city_bytes

    province.share.apply(province.share.preview(tmp_path / "2.casebook"))
    assert province.cases.get(case.uuid).lessons == "县里新的启示"
    assert province.cases.get(case.uuid).photos == []
    assert province.maintenance.check() == []


# cancel ------------------------------------------------------------------------------------------
class Cancelled(Exception):
    """What the window's progress callback raises once the user pressed 取消."""


def test_a_cancel_while_the_last_records_are_written_is_honoured(
    county: Casebook, city: Casebook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window drops the result of a job cancelled meanwhile, so an import that was cancelled
    while it copied the photos must stop before it commits, not commit unseen."""
    case = case_with_everything(county, tmp_path)
    out = tmp_path / "1.casebook"
    county.share.export(out, [case.uuid])
    plan = city.share.preview(out)
    before, files = dump(city.library.path), media_files(city)
    cancel = False

    def progress(_done: int, _total: int, _text: str) -> None:
        if cancel:
            raise Cancelled

    extract = BundleReader.extract_photo

    def extract_then_cancel(reader: BundleReader, member: str, target: Path) -> None:
        nonlocal cancel
        extract(reader, member, target)
        cancel = True  # the user presses 取消 while the photos are copied

    monkeypatch.setattr(BundleReader, "extract_photo", extract_then_cancel)
    with pytest.raises(Cancelled):
        city.share.apply(plan, progress=progress)
    assert dump(city.library.path) == before
    assert media_files(city) == files


def renamed_photo(source: Path, target: Path, name: str) -> Path:
    """A good bundle whose (only) photo member is called ``photos/<name>``, the case pointing at it."""
    with zipfile.ZipFile(source) as z:
        (old,) = [n for n in z.namelist() if n.startswith("photos/")]
        data = z.read(old)

    def change(member: str, content: bytes) -> bytes | None:
        if member == old:
            return None
        if member == "records/cases.jsonl":
            return content.replace(json.dumps(old).encode(), json.dumps(f"photos/{name}").encode())
        return content

    return rebuild(source, target, change=change, add={f"photos/{name}": data})


@pytest.mark.parametrize("name", ["desktop.ini", "CON.jpg", "report.url", "x.hta"])
def test_a_photo_is_stored_under_a_name_of_this_librarys_own(
    county: Casebook, city: Casebook, tmp_path: Path, name: str
) -> None:
    """A photo member may be called anything the format allows; in the media folder it must not
    become a file Windows treats specially (desktop.ini, a device name, a link or a program)."""
    case = case_with_everything(county, tmp_path)
    county.share.export(tmp_path / "good.casebook", [case.uuid])
    bundle = renamed_photo(tmp_path / "good.casebook", tmp_path / "renamed.casebook", name)
    city.share.apply(city.share.preview(bundle))
    (photo,) = city.cases.get(case.uuid).photos
    assert photo.file_name != name
    assert Path(photo.file_name).suffix in (*PHOTO_SUFFIXES, ".img")
    assert list(media_files(city)) == [photo.file_name]
    assert media_files(city)[photo.file_name] == county.cases.photo_path(case.photos[0].file_name).read_bytes()


def edit_lines(
    kind: str, edit: Callable[[list[dict[str, Any]]], list[dict[str, Any]]]
) -> Callable[[str, bytes], bytes]:
    def change(name: str, data: bytes) -> bytes:
        if name != f"records/{kind}.jsonl":
            return data
        lines = edit([json.loads(line) for line in data.decode().splitlines()])
        return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in lines).encode()

    return change


def town_under_its_own_village(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_name = {o["name"]: o for o in lines}
    by_name["枫树岭镇"]["parent"] = by_name["下姜村"]["uuid"]
    return lines


def theme_under_itself(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    lines.append(lines[-1] | {"uuid": "5f0c61a2-3a1e-4a8e-9c39-00000000beef", "name": "自成一环"})
    lines[-1]["parent"] = lines[-1]["uuid"]
    return lines


def case_twice(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [*lines, lines[0] | {"title": "同一个 UUID 的另一个案例"}]


def pilot_twice(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [*lines, lines[0] | {"name": "同一个 UUID 的另一个试点"}]


@pytest.mark.parametrize(
    ("kind", "edit", "message"),
    [
        ("regions", town_under_its_own_village, "records/regions.jsonl"),
        ("themes", theme_under_itself, "records/themes.jsonl"),
        ("cases", case_twice, "records/cases.jsonl 第 2 行"),
        ("pilots", pilot_twice, "records/pilots.jsonl 第 2 行"),
    ],
)
def test_a_bundle_whose_records_contradict_each_other_is_refused_by_the_preview(
    county: Casebook,
    city: Casebook,
    tmp_path: Path,
    kind: str,
    edit: Callable[[list[dict[str, Any]]], list[dict[str, Any]]],
    message: str,
) -> None:
    """A place that is its own ancestor, or one UUID for two records: the schema cannot tell, the
    preview must (not the import, halfway, with a database error)."""
    case = case_with_everything(county, tmp_path)
    county.share.export(tmp_path / "good.casebook", [case.uuid])
    bad = rebuild(tmp_path / "good.casebook", tmp_path / "bad.casebook", change=edit_lines(kind, edit))
    before, files = dump(city.library.path), media_files(city)
    with pytest.raises(BundleError) as refused:
        city.share.preview(bad)
    assert message in str(refused.value)
    assert dump(city.library.path) == before
    assert media_files(city) == files


DEEP = b"[" * 100_000 + b"]" * 100_000


@pytest.mark.parametrize("where", ["records", "manifest"])
def test_json_nested_too_deeply_is_refused_as_invalid_json(
    county: Casebook, city: Casebook, tmp_path: Path, where: str
) -> None:
    case = case_with_everything(county, tmp_path)
    county.share.export(tmp_path / "good.casebook", [case.uuid])
    bad = tmp_path / "bad.casebook"
    if where == "records":
        rebuild(
            tmp_path / "good.casebook",
            bad,
            change=lambda n, d: d + DEEP + b"\n" if n == "records/cases.jsonl" else d,
        )
    else:
        with zipfile.ZipFile(bad, "w") as z:
            z.writestr(MANIFEST, DEEP)
    with pytest.raises(BundleError) as refused:
        city.share.preview(bad)
    assert "不是有效的 JSON" in str(refused.value)


def with_compression_method(source: Path, target: Path, member: str, method: int) -> Path:
    """A copy of a bundle whose ``member`` says it is compressed with ``method`` (local and central header)."""
    data = bytearray(source.read_bytes())
    name = member.encode()
    for signature, name_length_at, name_at, method_at in ((b"PK\x03\x04", 26, 30, 8), (b"PK\x01\x02", 28, 46, 10)):
        at = 0
        while (at := data.find(signature, at)) >= 0:
            length = struct.unpack_from("<H", data, at + name_length_at)[0]
            if data[at + name_at : at + name_at + length] == name:
                struct.pack_into("<H", data, at + method_at, method)
            at += len(signature)
    target.write_bytes(bytes(data))
    return target


@pytest.mark.parametrize("member", [MANIFEST, "records/cases.jsonl"])
def test_a_compression_method_this_program_cannot_read_is_refused(
    county: Casebook, city: Casebook, tmp_path: Path, member: str
) -> None:
    """Say a zip tool re-packed the bundle with Deflate64 or Zstandard."""
    case = case_with_everything(county, tmp_path)
    county.share.export(tmp_path / "good.casebook", [case.uuid])
    bad = with_compression_method(tmp_path / "good.casebook", tmp_path / "bad.casebook", member, 93)
    with pytest.raises(BundleError) as refused:
        city.share.preview(bad)
    assert "无法读取" in str(refused.value) and member in str(refused.value)


def test_a_large_compressed_tiff_photo_is_shared(county: Casebook, city: Casebook, tmp_path: Path) -> None:
    """A compressed TIFF keeps its image directory at its end, beyond the first megabyte the kind
    and size are usually read from: the library took it as a photo, so a bundle must carry it."""
    source = tmp_path / "scan.tif"
    Image.effect_noise((1500, 1500), 64).convert("RGB").save(source, "TIFF", compression="tiff_lzw")
    assert source.stat().st_size > 2 * 1024 * 1024
    case = county.cases.create(
        ModelCase(title="扫描件", photos=[Photo(file_name=county.cases.import_photo(source), caption="扫描件")])
    ).value
    county.share.export(tmp_path / "tiff.casebook", [case.uuid])
    city.share.apply(city.share.preview(tmp_path / "tiff.casebook"))
    (photo,) = city.cases.get(case.uuid).photos
    assert city.cases.photo_path(photo.file_name).read_bytes() == source.read_bytes()


# scenarios that already behave (kept as guards) ----------------------------------------------------
def test_a_photo_name_taken_in_the_media_folder_by_another_file_is_left_alone(
    county: Casebook, city: Casebook, tmp_path: Path
) -> None:
    case = case_with_everything(county, tmp_path)
    out = tmp_path / "1.casebook"
    county.share.export(out, [case.uuid])
    with zipfile.ZipFile(out) as z:
        (member,) = [n for n in z.namelist() if n.startswith("photos/")]
    taken = city.library.media_dir / Path(member).name
    taken.parent.mkdir(parents=True)
    taken.write_bytes(b"somebody else's file")
    city.share.apply(city.share.preview(out))
    (photo,) = city.cases.get(case.uuid).photos
    assert photo.file_name != taken.name and taken.read_bytes() == b"somebody else's file"
    assert (
        city.cases.photo_path(photo.file_name).read_bytes()
        == county.cases.photo_path(case.photos[0].file_name).read_bytes()
    )


def test_a_member_streaming_more_than_it_declares_is_refused(county: Casebook, city: Casebook, tmp_path: Path) -> None:
    """The sizes in the zip say what the manifest says, but the deflate data of the cases expands to
    megabytes of zeros: reading stops at the declared size and the member is refused."""
    case = case_with_everything(county, tmp_path)
    county.share.export(tmp_path / "good.casebook", [case.uuid])
    crafted = rebuild(tmp_path / "good.casebook", tmp_path / "crafted.casebook")
    with zipfile.ZipFile(crafted) as z:
        info = z.getinfo("records/cases.jsonl")
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    bomb = compressor.compress(bytes(64 * 1024 * 1024)) + compressor.flush()
    assert len(bomb) > info.compress_size
    raw = bytearray(crafted.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    raw[start : start + info.compress_size] = bomb[: info.compress_size]
    crafted.write_bytes(bytes(raw))
    with pytest.raises(BundleError) as refused:
        city.share.preview(crafted)
    assert "records/cases.jsonl" in str(refused.value)


def test_a_manifest_with_an_impossible_export_time_is_refused(county: Casebook, city: Casebook, tmp_path: Path) -> None:
    """The pattern of the schema lets 2025-02-30 through; the preview shows the time and the
    import keeps it, so the bundle must be refused before either."""
    case = case_with_everything(county, tmp_path)
    county.share.export(tmp_path / "good.casebook", [case.uuid])
    bad = rebuild(
        tmp_path / "good.casebook",
        tmp_path / "bad.casebook",
        manifest=lambda m: m.update(exported_at="2025-02-30T08:00:00Z"),
    )
    with pytest.raises(BundleError) as refused:
        city.share.preview(bad)
    assert "日期无效" in str(refused.value) and MANIFEST in str(refused.value)


def figure_too_big(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    lines[0]["figures"][0]["value"] = 10**400  # a JSON integer no float can hold
    return lines


def theme_order_too_big(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [*lines, lines[-1] | {"uuid": "5f0c61a2-3a1e-4a8e-9c39-00000000beef", "name": "新主题", "sort_order": 2**70}]


@pytest.mark.parametrize(
    ("kind", "edit", "field"),
    [("cases", figure_too_big, "figures/0/value"), ("themes", theme_order_too_big, "sort_order")],
)
def test_numbers_beyond_what_the_library_can_store_are_refused_by_the_schema(
    county: Casebook,
    city: Casebook,
    tmp_path: Path,
    kind: str,
    edit: Callable[[list[dict[str, Any]]], list[dict[str, Any]]],
    field: str,
) -> None:
    case = case_with_everything(county, tmp_path)
    county.share.export(tmp_path / "good.casebook", [case.uuid])
    bad = rebuild(tmp_path / "good.casebook", tmp_path / "bad.casebook", change=edit_lines(kind, edit))
    with pytest.raises(BundleError) as refused:
        city.share.preview(bad)
    assert f"字段 {field}" in str(refused.value)


def lone_surrogate_in_records(name: str, data: bytes) -> bytes:
    return data.replace(b'"title":"', b'"title":"\\ud800', 1) if name == "records/cases.jsonl" else data


@pytest.mark.parametrize("where", ["records", "manifest"])
def test_text_with_a_lone_surrogate_is_refused_as_invalid_json(
    county: Casebook, city: Casebook, tmp_path: Path, where: str
) -> None:
    """JSON may escape half of a UTF-16 pair (\\ud800), which no UTF-8 text or SQLite column can hold."""
    case = case_with_everything(county, tmp_path)
    county.share.export(tmp_path / "good.casebook", [case.uuid])
    if where == "records":
        bad = rebuild(tmp_path / "good.casebook", tmp_path / "bad.casebook", change=lone_surrogate_in_records)
    else:
        with zipfile.ZipFile(tmp_path / "good.casebook") as z:
            members = {n: z.read(n) for n in z.namelist()}
        meta = json.loads(members[MANIFEST])
        members[MANIFEST] = json.dumps(meta | {"unit": "县\ud800"}).encode()  # ASCII: the half pair is escaped
        bad = tmp_path / "bad.casebook"
        with zipfile.ZipFile(bad, "w") as z:
            for n, d in members.items():
                z.writestr(n, d)
    before = dump(city.library.path)
    with pytest.raises(BundleError) as refused:
        city.share.preview(bad)
    assert "不是有效的 JSON" in str(refused.value)
    assert dump(city.library.path) == before


def test_a_part_uuid_used_twice_is_refused_in_chinese_and_nothing_changes(
    county: Casebook, city: Casebook, tmp_path: Path
) -> None:
    """Two cases of a bundle carrying the same figure UUID pass the preview; the import refuses them
    with a message, not a database error, and the library is left as it was."""
    case = case_with_everything(county, tmp_path)
    county.share.export(tmp_path / "good.casebook", [case.uuid])

    def twin(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
        other = dict(lines[0], uuid="5f0c61a2-3a1e-4a8e-9c39-0000000000aa", title="同一组数据的另一个案例")
        other["photos"], other["adoptions"] = [], []
        return [*lines, other]

    bad = rebuild(tmp_path / "good.casebook", tmp_path / "bad.casebook", change=edit_lines("cases", twin))
    plan = city.share.preview(bad)
    before, files = dump(city.library.path), media_files(city)
    with pytest.raises(BundleError) as refused:
        city.share.apply(plan)
    assert "重复" in str(refused.value) and "bad.casebook" in str(refused.value)
    assert dump(city.library.path) == before
    assert media_files(city) == files
