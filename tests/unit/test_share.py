"""Share bundles on real libraries: round trips, every kind of merge, idempotent re-import,
provenance, and hostile or broken files refused with the library left exactly as it was."""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import stat
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from desktop.domain.enums import AdoptionExtent, ExperimentStatus, ReviewStatus
from desktop.domain.query import CaseQuery
from desktop.domain.records import Adoption, Experiment, Figure, Milestone, ModelCase, Photo, PilotSite, Ref
from desktop.domain.validation import CONTROL_CHARACTERS
from desktop.exchange.bundle import MANIFEST, BundleError, Limits
from desktop.services.casebook import Casebook
from desktop.services.context import Editor
from desktop.services.sharing import ImportConflictError, LibraryChangedError, Outcome, Resolution
from desktop.store.media import is_photo_file

COUNTY = Editor("王五", "淳安县农业农村局")
CITY = Editor("李四", "杭州市农业农村局")


# helpers ------------------------------------------------------------------------------------
def dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of a library file: equal dumps mean nothing changed."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
    finally:
        conn.close()


def media_files(book: Casebook) -> dict[str, bytes]:
    media = book.library.media_dir
    return {p.name: p.read_bytes() for p in sorted(media.glob("*")) if is_photo_file(p)} if media.exists() else {}


def open_book(path: Path, editor: Editor = CITY) -> Casebook:
    return Casebook.open(path, create=True, editor=editor)


def jpeg_file(folder: Path, name: str = "photo.jpg", color: tuple[int, int, int] = (200, 30, 30)) -> Path:
    path = folder / name
    Image.new("RGB", (64, 48), color).save(path, "JPEG")
    return path


def case_with_everything(book: Casebook, folder: Path, title: str = "下姜村“大下姜”乡村振兴联合体") -> ModelCase:
    """A case with places down to a village, themes, model type, tags, figures, a photo,
    a pilot with an experiment, and an adoption."""
    village = book.regions.ensure_path(["杭州市", "淳安县", "枫树岭镇", "下姜村"]).value
    county = book.regions.find("淳安县")
    theme = book.catalog.find_theme("（二）")
    model_type = book.catalog.model_types()[0]
    indicator = book.catalog.indicators()[0]
    pilot = book.pilots.save(
        PilotSite(name="淳安县共同富裕试点", lead_unit="淳安县委农办", places=[Ref(county.uuid)])
    ).value
    book.pilots.save_experiment(
        Experiment(
            pilot_uuid=pilot.uuid,
            title="联合体运营机制",
            status=ExperimentStatus.IN_PROGRESS,
            milestones=[Milestone(title="成立理事会", due_date=date(2026, 3, 1))],
        )
    )
    photo = Photo(file_name=book.cases.import_photo(jpeg_file(folder)), caption="下姜村全景", credit="县融媒体中心")
    case = book.cases.create(
        ModelCase(
            title=title,
            subtitle="以先富带后富",
            model_type=Ref(model_type.uuid),
            places=[Ref(village.uuid)],
            themes=[Ref(theme.uuid)],
            tags=["共富", "联合体"],
            basic_situation="下姜村位于淳安县西南部。",
            practices="一是组建联合体；二是统一规划。",
            outcomes="村集体经营性收入增长。",
            lessons="党建引领。",
            figures=[
                Figure(
                    label="村集体经营性收入", value=128.5, unit="万元", period="2024年", indicator=Ref(indicator.uuid)
                ),
                Figure(label="游客", value=12.0, unit="万人次", period="2023年", qualifier="约"),
            ],
            photos=[photo],
            source="浙江日报",
            source_url="https://zjrb.zjol.com.cn/",
            reported_on=date(2025, 6, 1),
            pilot=Ref(pilot.uuid),
        )
    ).value
    book.adoptions.save(
        Adoption(
            case_uuid=case.uuid, region=Ref(county.uuid), adopted_on=date(2025, 9, 1), extent=AdoptionExtent.REPLICATED
        )
    )
    return book.cases.get(case.uuid)


def comparable(case: ModelCase) -> dict[str, Any]:
    """A case's content and bookkeeping that must survive a trip between libraries."""
    return {
        "uuid": case.uuid,
        "title": case.title,
        "subtitle": case.subtitle,
        "model_type": case.model_type,
        "places": case.places,
        "themes": case.themes,
        "tags": case.tags,
        "sections": (case.basic_situation, case.practices, case.outcomes, case.lessons),
        "figures": case.figures,
        "photos": [(p.uuid, p.caption, p.credit) for p in case.photos],
        "source": (case.source, case.source_url, case.reported_on),
        "review": (case.review_status, case.return_reason),
        "pilot": case.pilot,
        "is_demo": case.is_demo,
        "times": (case.created_at, case.updated_at, case.updated_by),
    }


def photo_bytes(book: Casebook, case: ModelCase) -> list[bytes]:
    return [book.cases.photo_path(p.file_name).read_bytes() for p in case.photos]


def library(tmp_path: Path, name: str, editor: Editor) -> Iterator[Casebook]:
    """A new library in its own folder, acting for ``editor``; closed after the test."""
    book = open_book(tmp_path / name / "casebook.sqlite", editor)
    try:
        yield book
    finally:
        book.close()


@pytest.fixture
def county(tmp_path: Path) -> Iterator[Casebook]:
    yield from library(tmp_path, "county", COUNTY)


@pytest.fixture
def city(tmp_path: Path) -> Iterator[Casebook]:
    yield from library(tmp_path, "city", CITY)


def send(sender: Casebook, receiver: Casebook, uuids: list[str], out: Path, **decide: Any) -> Any:
    sender.share.export(out, uuids)
    plan = receiver.share.preview(out)
    receiver.share.apply(plan, **decide)
    return plan


# round trips --------------------------------------------------------------------------------
def test_round_trip_into_an_empty_library_gives_identical_records(
    county: Casebook, city: Casebook, tmp_path: Path
) -> None:
    county.load_demo()
    rich = case_with_everything(county, tmp_path)
    uuids = county.briefs.choose(everything=True)
    out = tmp_path / "淳安县案例.casebook"
    report = county.share.export(out, uuids, selection="全部案例").value
    assert report.counts["cases"] == len(uuids) == 10
    assert report.counts["photos"] == 1 and report.counts["pilots"] == 1 and report.counts["experiments"] == 1

    plan = city.share.preview(out)
    assert plan.count(Outcome.NEW) == 12 and plan.conflicts == []
    assert plan.added["regions"] > 0  # the demo's and the rich case's towns and villages
    regions_before = len(dump(city.library.path)["region"])
    result = city.share.apply(plan).value
    assert len(dump(city.library.path)["region"]) == regions_before + plan.added["regions"]
    assert result.added == 12 and result.photos == 1

    for u in uuids:
        assert comparable(city.cases.get(u)) == comparable(county.cases.get(u))
    assert photo_bytes(city, city.cases.get(rich.uuid)) == photo_bytes(county, rich)
    assert [a.uuid for a in city.adoptions.of_case(rich.uuid)] == [a.uuid for a in county.adoptions.of_case(rich.uuid)]
    pilot = city.pilots.get(rich.pilot.uuid)  # type: ignore[union-attr]
    assert pilot.name == "淳安县共同富裕试点"
    assert [e.title for e in city.pilots.experiments(pilot.uuid)] == ["联合体运营机制"]
    assert city.maintenance.check() == []
    found = city.search.search(CaseQuery("大下姜", limit=10))
    assert rich.uuid in [h.uuid for h in found.hits]

    origin = city.share.provenance(rich.uuid)
    assert origin is not None
    assert origin.origin_unit == "淳安县农业农村局" and origin.via_unit == "淳安县农业农村局"
    assert "淳安县农业农村局" in origin.summary() and "淳安县案例.casebook" in origin.summary()


def test_importing_the_same_bundle_twice_changes_nothing_the_second_time(
    county: Casebook, city: Casebook, tmp_path: Path
) -> None:
    case_with_everything(county, tmp_path)
    out = tmp_path / "x.casebook"
    send(county, city, county.briefs.choose(everything=True), out)
    before, files = dump(city.library.path), media_files(city)
    again = city.share.preview(out)
    assert again.count(Outcome.UNCHANGED) == len(again.records) and not any(again.added.values())
    city.share.apply(again)
    assert dump(city.library.path) == before
    assert media_files(city) == files


# merges ---------------------------------------------------------------------------------------
def test_every_kind_of_merge(county: Casebook, city: Casebook, tmp_path: Path) -> None:
    county.load_demo()
    uuids = county.briefs.choose(everything=True)
    send(county, city, uuids, tmp_path / "1.casebook")
    changed_there, changed_here, both_sides, same = uuids[:4]

    # the city edits two cases and sends everything back; the county edited one of them too,
    # and another one that the city did not touch
    for u, text in ((changed_there, "市里补充的做法"), (both_sides, "市里改写的做法")):
        city.cases.update(replace(city.cases.get(u), practices=text))
    county.cases.update(replace(county.cases.get(both_sides), practices="县里改写的做法"))
    county.cases.update(replace(county.cases.get(changed_here), lessons="县里新的启示"))
    city.share.export(tmp_path / "2.casebook", uuids)

    plan = county.share.preview(tmp_path / "2.casebook")
    outcome = {p.uuid: p.outcome for p in plan.records}
    assert outcome[changed_there] == Outcome.UPDATED
    assert outcome[changed_here] == Outcome.UNCHANGED
    assert outcome[same] == Outcome.UNCHANGED
    assert outcome[both_sides] == Outcome.CONFLICT
    assert [c.uuid for c in plan.conflicts] == [both_sides]
    conflict = plan.conflicts[0]
    assert conflict.theirs_by.startswith("李四") and conflict.mine_by.startswith("王五")

    before = dump(county.library.path)
    with pytest.raises(ImportConflictError) as refused:
        county.share.apply(plan)
    assert both_sides in str(refused.value)
    assert dump(county.library.path) == before

    county.share.apply(plan, {both_sides: Resolution.MINE})
    assert county.cases.get(changed_there).practices == "市里补充的做法"
    assert county.cases.get(both_sides).practices == "县里改写的做法"
    assert county.cases.get(changed_here).lessons == "县里新的启示"
    # kept mine: the same bundle again is no longer a conflict
    assert county.share.preview(tmp_path / "2.casebook").conflicts == []


@pytest.mark.parametrize("resolution", [Resolution.THEIRS, Resolution.BOTH])
def test_conflicts_settled_by_taking_theirs_or_keeping_both(
    county: Casebook, city: Casebook, tmp_path: Path, resolution: Resolution
) -> None:
    case = case_with_everything(county, tmp_path)
    send(county, city, [case.uuid], tmp_path / "1.casebook")
    city.cases.update(replace(city.cases.get(case.uuid), outcomes="市里的成效"))
    county.cases.update(replace(county.cases.get(case.uuid), outcomes="县里的成效"))
    city.share.export(tmp_path / "2.casebook", [case.uuid])
    plan = county.share.preview(tmp_path / "2.casebook")
    assert [c.uuid for c in plan.conflicts] == [case.uuid]
    before_count = len(county.briefs.choose(everything=True))

    report = county.share.apply(plan, default=resolution).value
    if resolution == Resolution.THEIRS:
        assert county.cases.get(case.uuid).outcomes == "市里的成效"
        assert report.updated == 1 and report.copies == 0
        assert len(county.briefs.choose(everything=True)) == before_count
    else:
        assert county.cases.get(case.uuid).outcomes == "县里的成效"
        assert report.copies == 1
        everything = county.briefs.choose(everything=True)
        assert len(everything) == before_count + 1
        copy = next(county.cases.get(u) for u in everything if u != case.uuid)
        assert copy.outcomes == "市里的成效" and copy.title.endswith("（杭州市农业农村局版）")
        assert {p.uuid for p in copy.photos}.isdisjoint(p.uuid for p in case.photos)
        assert photo_bytes(county, copy) == photo_bytes(county, county.cases.get(case.uuid))
        origin = county.share.provenance(copy.uuid)
        assert origin is not None and origin.copy_of == case.uuid
    assert county.maintenance.check() == []
    # settled either way: importing the same bundle again changes nothing
    before = dump(county.library.path)
    again = county.share.preview(tmp_path / "2.casebook")
    assert again.conflicts == [] and again.count(Outcome.UNCHANGED) == len(again.records)
    county.share.apply(again)
    assert dump(county.library.path) == before


def test_places_and_themes_are_added_once_and_never_duplicated(
    county: Casebook, city: Casebook, tmp_path: Path
) -> None:
    case = case_with_everything(county, tmp_path)
    # the city added the same town on its own (another UUID): it is matched by name
    city_town = city.regions.ensure_path(["杭州市", "淳安县", "枫树岭镇"]).value
    parent = county.catalog.find_theme("（二）")
    new_theme = county.catalog.save_theme(
        replace(
            parent,
            uuid="5f0c61a2-3a1e-4a8e-9c39-000000000001",
            name="县域新主题",
            code="",
            parent_uuid=parent.uuid,
            version=0,
        )
    ).value
    county.cases.update(replace(county.cases.get(case.uuid), themes=[*case.themes, Ref(new_theme.uuid)]))
    # the city already uses the tag 共富 (its own UUID); 联合体 is new to it
    city.cases.create(ModelCase(title="市里的案例", tags=["共富"]))
    plan = send(county, city, [case.uuid], tmp_path / "1.casebook")
    assert plan.added == {"regions": 1, "themes": 1, "model_types": 0, "tags": 1, "indicators": 0}
    assert sorted(t.name for t in city.catalog.tags()) == sorted(["共富", "联合体"])
    county_tags = {t.name: t.uuid for t in county.catalog.tags()}
    assert {t.name: t.uuid for t in city.catalog.tags()}["联合体"] == county_tags["联合体"]
    assert city.cases.get(case.uuid).tags == ["共富", "联合体"]
    imported = city.cases.get(case.uuid)
    places = [p.uuid for p in imported.places]
    village = city.regions.get(places[0])
    assert village.name == "下姜村" and village.parent_uuid == city_town.uuid
    assert [r.name for r in city.regions.children(city_town.uuid)] == ["下姜村"]
    assert [t.name for t in city.catalog.themes() if t.name == "县域新主题"] == ["县域新主题"]
    # a second bundle with the same case: nothing more is added
    county.cases.update(replace(county.cases.get(case.uuid), lessons="第二次"))
    plan = send(county, city, [case.uuid], tmp_path / "2.casebook")
    assert not any(plan.added.values())
    assert [r.name for r in city.regions.children(city_town.uuid)] == ["下姜村"]
    assert city.cases.get(case.uuid).lessons == "第二次"


def test_the_library_changed_after_the_preview_is_refused(county: Casebook, city: Casebook, tmp_path: Path) -> None:
    county.load_demo()
    uuids = county.briefs.choose(everything=True)
    send(county, city, uuids, tmp_path / "1.casebook")
    county.cases.update(replace(county.cases.get(uuids[0]), lessons="县里的新版本"))
    county.share.export(tmp_path / "2.casebook", uuids)
    plan = city.share.preview(tmp_path / "2.casebook")
    assert plan.count(Outcome.UPDATED) == 1
    city.cases.update(replace(city.cases.get(uuids[0]), lessons="市里抢先改了"))
    before = dump(city.library.path)
    with pytest.raises(LibraryChangedError):
        city.share.apply(plan)
    assert dump(city.library.path) == before


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cases=st.lists(
        st.fixed_dictionaries(
            {
                "title": st.text(min_size=1, max_size=40)
                .map(lambda t: CONTROL_CHARACTERS.sub("", t).strip())
                .filter(bool),
                # any text a case may hold: control characters other than line breaks and tabs are refused
                "text": st.text(max_size=300).map(lambda t: CONTROL_CHARACTERS.sub("", t)),
                "tags": st.lists(
                    st.text(min_size=1, max_size=8).map(lambda t: CONTROL_CHARACTERS.sub("", t).strip()).filter(bool),
                    max_size=3,
                    unique=True,
                ),
                "value": st.floats(allow_nan=False, allow_infinity=False, width=32),
                "status": st.sampled_from(list(ReviewStatus)),
                "photo": st.booleans(),
            }
        ),
        min_size=1,
        max_size=4,
    )
)
def test_round_trip_of_generated_cases(cases: list[dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        a, b = open_book(root / "a.sqlite", COUNTY), open_book(root / "b.sqlite", CITY)
        try:
            county = a.regions.find("淳安县")
            made = []
            for i, c in enumerate(cases):
                photos = []
                if c["photo"]:
                    source = jpeg_file(root, f"p{i}.jpg", (i * 40 % 256, 90, 160))
                    photos = [Photo(file_name=a.cases.import_photo(source), caption=c["title"])]
                draft = ModelCase(
                    title=c["title"][:200],
                    practices=c["text"],
                    places=[Ref(county.uuid)],
                    tags=[t for t in c["tags"] if t.strip()],
                    figures=[Figure(label="指标", value=c["value"], unit="个", period="2024年")],
                    photos=photos,
                    review_status=c["status"] if c["status"] != ReviewStatus.RETURNED else ReviewStatus.DRAFT,
                )
                made.append(a.cases.create(draft).value)
            out = root / "x.casebook"
            a.share.export(out, [m.uuid for m in made])
            b.share.apply(b.share.preview(out))
            for m in made:
                theirs = b.cases.get(m.uuid)
                assert comparable(theirs) == comparable(a.cases.get(m.uuid))
                assert photo_bytes(b, theirs) == photo_bytes(a, m)
        finally:
            a.close()
            b.close()


# hostile and broken files -----------------------------------------------------------------------
def rebuild(
    source: Path,
    target: Path,
    *,
    change: Callable[[str, bytes], bytes | None] = lambda name, data: data,
    add: dict[str, bytes] | None = None,
    manifest: Callable[[dict[str, Any]], None] | None = None,
    relist: bool = True,
) -> Path:
    """A copy of a good bundle with members changed, dropped (``None``) or added; the manifest is
    rewritten to match (``relist``) unless the test wants it stale."""
    with zipfile.ZipFile(source) as zin:
        members = {n: zin.read(n) for n in zin.namelist()}
    meta = json.loads(members.pop(MANIFEST))
    out: dict[str, bytes] = {}
    for name, data in members.items():
        new = change(name, data)
        if new is not None:
            out[name] = new
    out.update(add or {})
    if relist:
        meta["members"] = {n: {"sha256": hashlib.sha256(d).hexdigest(), "size": len(d)} for n, d in out.items()}
    if manifest:
        manifest(meta)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in out.items():
            zout.writestr(name, data)
        zout.writestr(MANIFEST, json.dumps(meta, ensure_ascii=False))
    return target


def png_header(width: int, height: int) -> bytes:
    """A tiny PNG file that declares a large size: identified by its header alone."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(16))) + chunk(b"IEND", b"")
    )


def same_size_tamper(name: str, data: bytes) -> bytes:
    """The first case's title with one character changed: same size, another checksum."""
    if name != "records/cases.jsonl":
        return data
    at = data.index(b'"title":"') + len(b'"title":"')
    return data[:at] + "甲".encode() + data[at + 3 :]


def replace_line(kind: str, edit: Callable[[dict[str, Any]], object]) -> Callable[[str, bytes], bytes]:
    def change(name: str, data: bytes) -> bytes:
        if name != f"records/{kind}.jsonl":
            return data
        lines = data.decode().splitlines()
        obj = json.loads(lines[0])
        edit(obj)
        lines[0] = json.dumps(obj, ensure_ascii=False)
        return ("\n".join(lines) + "\n").encode()

    return change


def with_zip_entry(source: Path, target: Path, info: zipfile.ZipInfo, data: bytes, *, listed: bool = True) -> Path:
    """A good bundle plus one raw entry (a link, an absolute path …), listed in the manifest."""
    rebuild(source, target)
    with zipfile.ZipFile(target) as z:
        members = {n: z.read(n) for n in z.namelist()}
    meta = json.loads(members.pop(MANIFEST))
    if listed:
        meta["members"][info.filename] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    with zipfile.ZipFile(target, "w") as z:
        for n, d in members.items():
            z.writestr(n, d)
        z.writestr(info, data)
        z.writestr(MANIFEST, json.dumps(meta))
    return target


@pytest.fixture
def good_bundle(county: Casebook, tmp_path: Path) -> Path:
    county.load_demo()
    case_with_everything(county, tmp_path)
    out = tmp_path / "good.casebook"
    county.share.export(out, county.briefs.choose(everything=True))
    return out


def symlink_entry() -> zipfile.ZipInfo:
    info = zipfile.ZipInfo("photos/link.jpg")
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


HOSTILE: dict[str, tuple[Callable[[Path, Path], Path], str, Limits | None]] = {
    "parent path": (
        lambda g, t: rebuild(g, t, add={"../evil.txt": b"x"}, relist=False),
        "路径不安全",
        None,
    ),
    "absolute path": (
        lambda g, t: with_zip_entry(g, t, zipfile.ZipInfo("/etc/evil"), b"x"),
        "路径不安全",
        None,
    ),
    "windows drive path": (
        lambda g, t: with_zip_entry(g, t, zipfile.ZipInfo("C:/evil.txt"), b"x"),
        "路径不安全",
        None,
    ),
    "symbolic link": (lambda g, t: with_zip_entry(g, t, symlink_entry(), b"/etc/passwd"), "链接", None),
    "too many entries": (lambda g, t: rebuild(g, t), "条目过多", Limits(max_members=5)),
    "too large in total": (lambda g, t: rebuild(g, t), "总大小超过上限", Limits(max_total_bytes=2000)),
    "compression bomb": (
        lambda g, t: rebuild(g, t, add={"photos/bomb.jpg": bytes(3 * 1024 * 1024)}),
        "压缩比异常",
        None,
    ),
    "checksum mismatch": (
        lambda g, t: rebuild(g, t, change=same_size_tamper, relist=False),
        "校验和与清单不符",
        None,
    ),
    "member missing": (
        lambda g, t: rebuild(g, t, change=lambda n, d: None if n.startswith("photos/") else d, relist=False),
        "不在包中",
        None,
    ),
    "unlisted member": (
        lambda g, t: rebuild(g, t, add={"records/extra.jsonl": b"{}\n"}, relist=False),
        "清单未列出",
        None,
    ),
    "malformed JSON": (
        lambda g, t: rebuild(g, t, change=lambda n, d: d[:-20] + b"\n" if n == "records/cases.jsonl" else d),
        "不是有效的 JSON",
        None,
    ),
    "record breaking the schema": (
        lambda g, t: rebuild(g, t, change=replace_line("cases", lambda o: o.update(title=17))),
        "records/cases.jsonl 第 1 行：字段 title",
        None,
    ),
    "unknown field": (
        lambda g, t: rebuild(g, t, change=replace_line("cases", lambda o: o.update(script="rm -rf /"))),
        "records/cases.jsonl 第 1 行",
        None,
    ),
    "impossible date": (
        lambda g, t: rebuild(g, t, change=replace_line("cases", lambda o: o.update(reported_on="2025-02-30"))),
        "日期无效",
        None,
    ),
    "dangling reference": (
        lambda g, t: rebuild(
            g, t, change=replace_line("cases", lambda o: o.update(themes=["5f0c61a2-3a1e-4a8e-9c39-00000000dead"]))
        ),
        "引用的主题",
        None,
    ),
    "newer format": (
        lambda g, t: rebuild(g, t, manifest=lambda m: m.update(format_version=99)),
        "较新版本",
        None,
    ),
    "not a bundle manifest": (
        lambda g, t: rebuild(g, t, manifest=lambda m: m.update(format="something-else")),
        "不是试点案例库的案例包",
        None,
    ),
    "photo that is not an image": (
        lambda g, t: rebuild(
            g, t, change=lambda n, d: b"MZ\x90\x00 not an image" * 10 if n.startswith("photos/") else d
        ),
        "不是可识别的图片",
        None,
    ),
    "huge image": (
        lambda g, t: rebuild(g, t, change=lambda n, d: png_header(12000, 12000) if n.startswith("photos/") else d),
        "图片尺寸过大",
        None,
    ),
    "decompression-bomb image": (
        lambda g, t: rebuild(g, t, change=lambda n, d: png_header(40000, 40000) if n.startswith("photos/") else d),
        "图片尺寸过大",
        None,
    ),
    "photo file too large": (lambda g, t: rebuild(g, t), "照片过大", Limits(max_photo_bytes=100)),
    "places too many to hold": (
        lambda g, t: rebuild(g, t),
        "条目过大：records/regions.jsonl",
        Limits(max_vocabulary_bytes=100),
    ),
    "random bytes": (lambda g, t: (t.write_bytes(bytes(range(256)) * 40), t)[1], "不是 zip 文件", None),
    "empty file": (lambda g, t: (t.write_bytes(b""), t)[1], "不是 zip 文件", None),
    "zip without manifest": (
        lambda g, t: (zipfile.ZipFile(t, "w").close(), t)[1],
        "缺少清单",
        None,
    ),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_or_broken_bundles_are_refused_and_nothing_changes(
    name: str, good_bundle: Path, city: Casebook, tmp_path: Path
) -> None:
    make, message, limits = HOSTILE[name]
    bad = make(good_bundle, tmp_path / "bad.casebook")
    before, files = dump(city.library.path), media_files(city)
    with pytest.raises(BundleError) as refused:
        city.share.preview(bad, limits=limits)
    assert message in str(refused.value)
    assert "bad.casebook" in str(refused.value)
    assert dump(city.library.path) == before
    assert media_files(city) == files


def test_a_bundle_spoiled_after_the_preview_rolls_back_everything(
    good_bundle: Path, city: Casebook, tmp_path: Path
) -> None:
    plan = city.share.preview(good_bundle)
    before, files = dump(city.library.path), media_files(city)
    # the same manifest, but the photo (written late in the import) no longer matches it
    spoiled = rebuild(
        good_bundle,
        tmp_path / "spoiled.casebook",
        change=lambda n, d: jpeg_bytes() if n.startswith("photos/") else d,
        relist=False,
    )
    good_bundle.write_bytes(spoiled.read_bytes())
    with pytest.raises(BundleError):
        city.share.apply(plan)
    assert dump(city.library.path) == before
    assert media_files(city) == files


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), (0, 0, 0)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_an_unwritable_target_is_refused_in_chinese(county: Casebook, tmp_path: Path) -> None:
    county.load_demo()
    target = tmp_path / "no-such-folder" / "x.casebook"
    with pytest.raises(BundleError) as refused:
        county.share.export(target, county.briefs.choose(everything=True))
    assert "无法在" in str(refused.value)
    assert not target.parent.exists()


def test_the_schema_is_valid_and_describes_what_an_export_writes(good_bundle: Path) -> None:
    from jsonschema import Draft202012Validator

    from desktop.exchange.bundle import SCHEMA_OF_KIND, schema_path

    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    with zipfile.ZipFile(good_bundle) as z:
        manifest = json.loads(z.read(MANIFEST))
        Draft202012Validator(schema).validate(manifest)
        assert set(manifest["members"]) == set(z.namelist()) - {MANIFEST}
        for kind, definition in SCHEMA_OF_KIND.items():
            check = Draft202012Validator({"$defs": schema["$defs"], "$ref": f"#/$defs/{definition}"})
            lines = z.read(f"records/{kind}.jsonl").decode().splitlines()
            assert len(lines) == manifest["counts"][kind]
            for line in lines:
                check.validate(json.loads(line))


def test_the_demo_cases_of_two_libraries_are_the_same_records(county: Casebook, city: Casebook, tmp_path: Path) -> None:
    county.load_demo()
    city.load_demo()
    out = tmp_path / "demo.casebook"
    county.share.export(out, county.briefs.choose(everything=True))
    plan = city.share.preview(out)
    assert plan.conflicts == [] and plan.count(Outcome.UNCHANGED) == len(plan.records) == 9


def test_a_photo_a_receiver_would_refuse_is_left_out_of_the_export_with_a_warning(
    county: Casebook, city: Casebook, tmp_path: Path
) -> None:
    case = case_with_everything(county, tmp_path)
    fake = tmp_path / "not-a-photo.jpg"
    fake.write_bytes(b"%PDF-1.4 this is a document, not a photo" * 50)
    bad = Photo(file_name=county.cases.import_photo(fake), caption="误传的文件")
    county.cases.update(replace(county.cases.get(case.uuid), photos=[*case.photos, bad]))
    out = tmp_path / "x.casebook"
    report = county.share.export(out, [case.uuid]).value
    assert report.counts["photos"] == 1
    assert any("不能分享" in w and "不是可识别的图片" in w for w in report.warnings)
    city.share.apply(city.share.preview(out))  # the bundle is importable as a whole
    imported = city.cases.get(case.uuid)
    assert photo_bytes(city, replace(imported, photos=imported.photos[:1])) == photo_bytes(county, case)
