"""Synthetic cases for tests and benchmarks (``casebook sample N``).

Cases are spread over the real county-level regions, themes and model types of the library,
with about 1,500 characters of Chinese text each. They are written with bulk inserts, and
their text is generated and tokenised in worker processes when there are many, so that
100,000 cases take about a minute. The same seed gives the same cases.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import uuid as _uuid
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from multiprocessing.pool import AsyncResult
from typing import Any

from sqlalchemy import Connection, func, insert, select

from desktop.domain.changes import RecordKind
from desktop.domain.enums import ReviewStatus
from desktop.domain.i18n import _
from desktop.domain.records import new_uuid
from desktop.search.document import CaseText, IndexRow, index_row
from desktop.services.context import ServiceContext
from desktop.services.sample_text import SampleTextGenerator
from desktop.store.changelog import log_wholesale
from desktop.store.schema import (
    CasePlace,
    CaseRow,
    CaseTag,
    CaseTheme,
    FigureRow,
    ModelTypeRow,
    RegionRow,
    TagRow,
    ThemeRow,
    utcnow,
)

CHUNK = 2000
_SURNAMES = "王李张陈徐吴周何金方叶郑钱杨朱胡沈俞潘蒋楼应鲍严"
_PLACE_SUFFIX = ["家", "岙", "坞", "垟", "山", "溪", "岭", "塘", "桥", "湾", "坑", "坪", "头", "源", "口", "畈"]
_STATUS_WEIGHTS = [
    (ReviewStatus.DRAFT, 3),
    (ReviewStatus.SUBMITTED, 3),
    (ReviewStatus.APPROVED, 3),
    (ReviewStatus.RECOMMENDED, 1),
    (ReviewStatus.RETURNED, 1),
]
SAMPLE_SOURCE = "合成样本（测试用）"


@dataclass(frozen=True)
class _Vocab:
    counties: list[tuple[int, str]]  # (region id, full name)
    themes: list[tuple[int, str]]
    model_types: list[tuple[int, str]]
    today: date


@dataclass(frozen=True)
class _SampleCase:
    row: dict[str, Any]
    place_id: int
    theme_ids: tuple[int, ...]
    tags: tuple[str, ...]
    figures: tuple[dict[str, Any], ...]
    tokens: tuple[str, str, str, str]


def _build_chunk(args: tuple[int, int, int, int, _Vocab]) -> list[_SampleCase]:
    seed, chunk_no, first_id, count, vocab = args
    rng = random.Random(seed * 1_000_003 + chunk_no)
    gen = SampleTextGenerator(rng.getrandbits(32))
    statuses = [s for s, w in _STATUS_WEIGHTS for _i in range(w)]
    span = (vocab.today - date(2019, 1, 1)).days
    out: list[_SampleCase] = []
    for i in range(count):
        county_id, county = rng.choice(vocab.counties)
        mt_id, mt_name = rng.choice(vocab.model_types)
        themes = rng.sample(vocab.themes, k=rng.randint(1, 3))
        village = rng.choice(_SURNAMES) + rng.choice(_PLACE_SUFFIX) + "村"
        reported = date(2019, 1, 1) + timedelta(days=rng.randrange(span))
        text = gen.case(county, village, mt_name, [t[1] for t in themes], reported.year)
        status = rng.choice(statuses)
        case_id = first_id + i
        ct = CaseText(
            title=text.title,
            subtitle=text.subtitle,
            sections=(text.basic_situation, text.practices, text.outcomes, text.lessons),
            tags=" ".join(text.tags),
            places=county,
            model_type=mt_name,
        )
        ix = index_row(case_id, ct)
        row = {
            "id": case_id,
            "uuid": str(_uuid.UUID(int=rng.getrandbits(128), version=4)),
            "title": text.title,
            "subtitle": text.subtitle,
            "model_type_id": mt_id,
            "basic_situation": text.basic_situation,
            "practices": text.practices,
            "outcomes": text.outcomes,
            "lessons": text.lessons,
            "source": text.source or SAMPLE_SOURCE,
            "source_url": "",
            "reported_on": reported,
            "review_status": status.value,
            "return_reason": "示例退回：数据口径需核实" if status == ReviewStatus.RETURNED else "",
            "pilot_id": None,
            "is_demo": False,
        }
        figures = tuple(
            {"label": f.label, "value": f.value, "unit": f.unit, "period": f.period, "source": f.source}
            for f in text.figures
        )
        out.append(
            _SampleCase(
                row,
                county_id,
                tuple(t[0] for t in themes),
                text.tags,
                figures,
                (ix.bi, ix.ch, ix.title_bi, ix.title_ch),
            )
        )
    return out


def _vocab(ctx: ServiceContext) -> _Vocab:
    with ctx.library.reading() as s:
        counties = [
            (i, n)
            for i, n in s.execute(
                select(RegionRow.id, RegionRow.full_name)
                .where(RegionRow.level == "county", RegionRow.deleted_at.is_(None))
                .order_by(RegionRow.id)
            )
        ]
        themes = [
            (i, n)
            for i, n in s.execute(
                select(ThemeRow.id, ThemeRow.name)
                .where(ThemeRow.deleted_at.is_(None), ThemeRow.parent_id.is_not(None))
                .order_by(ThemeRow.id)
            )
        ]
        mts = [
            (i, n)
            for i, n in s.execute(
                select(ModelTypeRow.id, ModelTypeRow.name)
                .where(ModelTypeRow.deleted_at.is_(None))
                .order_by(ModelTypeRow.id)
            )
        ]
    if not counties or not themes or not mts:
        raise ValueError(_("案例库缺少参考数据（地区、主题或模式类型），请先运行 casebook init"))
    return _Vocab(counties, themes, mts, date.today())


def _chunks(seed: int, n: int, first_id: int, vocab: _Vocab) -> list[tuple[int, int, int, int, _Vocab]]:
    return [(seed, k, first_id + start, min(CHUNK, n - start), vocab) for k, start in enumerate(range(0, n, CHUNK))]


def _generate(jobs: Sequence[tuple[int, int, int, int, _Vocab]], workers: int) -> Iterator[list[_SampleCase]]:
    """Chunks in order; with workers, at most ``workers + 1`` chunks are in flight (bounded memory)."""
    if workers <= 1 or len(jobs) <= 1:
        yield from map(_build_chunk, jobs)
        return
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        pending: deque[AsyncResult[list[_SampleCase]]] = deque()
        for job in jobs:
            pending.append(pool.apply_async(_build_chunk, (job,)))
            if len(pending) > workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def add_sample_cases(ctx: ServiceContext, n: int, *, seed: int = 1, workers: int | None = None) -> int:
    """Add ``n`` synthetic cases; returns how many were added.

    Each chunk of cases is one transaction. The bulk load runs with ``synchronous=NORMAL``
    (still safe from corruption in WAL mode; only the last chunks may be lost on power failure).
    """
    if n <= 0:
        return 0
    vocab = _vocab(ctx)
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if n >= 4 * CHUNK else 1
    tag_ids: dict[str, int] = {}
    editor = ctx.editor.label
    added = 0
    with ctx.library.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA synchronous = NORMAL")
        try:
            first_id = int(conn.execute(select(func.coalesce(func.max(CaseRow.id), 0))).scalar_one()) + 1
            conn.commit()
            shift = 0
            for chunk in _generate(_chunks(seed, n, first_id, vocab), workers):
                with conn.begin():
                    if conn.dialect.name == "sqlite":  # another writer waits for this chunk (or it for them)
                        conn.exec_driver_sql("BEGIN IMMEDIATE")
                    # another writer (an import) may have added cases since: move this chunk's ids past theirs
                    top = int(conn.execute(select(func.coalesce(func.max(CaseRow.id), 0))).scalar_one())
                    shift = max(shift, top + 1 - int(chunk[0].row["id"]))
                    if shift:
                        chunk = [replace(c, row={**c.row, "id": c.row["id"] + shift}) for c in chunk]
                    _insert_chunk(conn, ctx, chunk, tag_ids, editor)
                added += len(chunk)
        finally:
            conn.exec_driver_sql("PRAGMA synchronous = FULL")
    return added


def _insert_chunk(
    conn: Connection, ctx: ServiceContext, chunk: list[_SampleCase], tag_ids: dict[str, int], editor: str
) -> None:
    now = utcnow()
    missing = {t for c in chunk for t in c.tags} - tag_ids.keys()
    if missing:
        existing = dict(conn.execute(select(TagRow.name, TagRow.id).where(TagRow.name.in_(missing))).all())
        new_tags = sorted(missing - existing.keys())
        if new_tags:
            conn.execute(
                insert(TagRow),
                [
                    {
                        "uuid": new_uuid(),
                        "name": name,
                        "created_at": now,
                        "updated_at": now,
                        "updated_by": editor,
                        "version": 1,
                    }
                    for name in new_tags
                ],
            )
        tag_ids.update(conn.execute(select(TagRow.name, TagRow.id).where(TagRow.name.in_(missing))).all())
    meta = {"created_at": now, "updated_at": now, "updated_by": editor, "version": 1, "deleted_at": None}
    conn.execute(insert(CaseRow), [{**c.row, **meta} for c in chunk])
    conn.execute(insert(CasePlace), [{"case_id": c.row["id"], "region_id": c.place_id, "position": 0} for c in chunk])
    conn.execute(
        insert(CaseTheme),
        [{"case_id": c.row["id"], "theme_id": t, "position": i} for c in chunk for i, t in enumerate(c.theme_ids)],
    )
    conn.execute(
        insert(CaseTag),
        [
            {"case_id": c.row["id"], "tag_id": tag_ids[t], "position": i}
            for c in chunk
            for i, t in enumerate(dict.fromkeys(c.tags))
        ],
    )
    figures = [
        {**f, "uuid": new_uuid(), "case_id": c.row["id"], "position": i, "qualifier": "", "indicator_id": None}
        for c in chunk
        for i, f in enumerate(c.figures)
    ]
    if figures:
        conn.execute(insert(FigureRow), figures)
    ctx.index.add(conn, [IndexRow(c.row["id"], *c.tokens) for c in chunk])
    kinds = [RecordKind.CASE, RecordKind.TAG] if missing else [RecordKind.CASE]
    log_wholesale(conn, ctx.library.writer_id, kinds)
