"""Loading the shipped reference data (regions, designations, themes, model types, indicators).

Each data file has a version. Every record made from a file item is remembered with the item's
key and the record's version at load time, so a later release can add items and update the
ones nobody edited, while a record a user changed keeps the user's edit. Records made from
reference data get UUIDs derived from their key, the same in every library, so libraries that
share cases agree on their places and themes.
"""

from __future__ import annotations

import hashlib
import json
import uuid as _uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from desktop.domain.enums import RegionLevel
from desktop.paths import resources_dir
from desktop.services.cases import reindexing
from desktop.services.catalog import insert_region, refresh_full_names
from desktop.services.context import Editor, ServiceContext, stamp
from desktop.store.schema import (
    CasePlace,
    CaseRow,
    DesignationRow,
    IndicatorRow,
    ModelTypeRow,
    ReferenceItem,
    RegionRow,
    ThemeRow,
    Tracked,
)

#: Who the reference data's records were last changed by: record data, the same in every language.
REFERENCE_EDITOR = Editor(name="参考数据")
_NAMESPACE = _uuid.UUID("6b1f9a52-3c1e-4d0a-9a57-1c1f0c8a2d11")
DATASETS = ("regions", "designations", "themes", "model_types", "indicators")


def reference_uuid(dataset: str, key: str) -> str:
    """The UUID every library gives the record made from a reference item."""
    return str(_uuid.uuid5(_NAMESPACE, f"{dataset}/{key}"))


@dataclass
class LoadReport:
    """What a reference load did, per dataset."""

    added: dict[str, int]
    updated: dict[str, int]
    kept_user_edits: dict[str, int]


def read_dataset(name: str, folder: Path | None = None) -> dict[str, Any]:
    """A reference data file as parsed JSON."""
    path = (folder or resources_dir() / "reference") / f"{name}.json"
    with path.open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


class ReferenceLoader:
    """Adds or refreshes the reference records of a library."""

    def __init__(self, ctx: ServiceContext, folder: Path | None = None) -> None:
        self.ctx = ServiceContext(ctx.library, REFERENCE_EDITOR, ctx.index)
        self.folder = folder

    def load(self) -> LoadReport:
        """Load every dataset in one transaction."""
        report = LoadReport({}, {}, {})
        with self.ctx.library.unit_of_work() as s:
            for name in DATASETS:
                data = read_dataset(name, self.folder)
                apply = getattr(self, f"_apply_{name}")
                self._load(s, name, data, apply, report)
        return report

    def _load(
        self,
        s: Session,
        name: str,
        data: dict[str, Any],
        apply: Callable[[Session, Tracked | None, dict[str, Any]], Tracked],
        report: LoadReport,
    ) -> None:
        version = int(data["version"])
        known = {r.key: r for r in s.execute(select(ReferenceItem).where(ReferenceItem.dataset == name)).scalars()}
        added = kept = 0
        updates: list[tuple[ReferenceItem, Tracked, dict[str, Any], dict[str, Any]]] = []
        for position, raw in enumerate(data["items"]):
            item = {"sort_order": position, **raw}
            ref = known.get(item["key"])
            if ref is None:
                with s.no_autoflush:
                    row = apply(s, None, item)
                s.flush()
                s.add(
                    ReferenceItem(
                        dataset=name,
                        key=item["key"],
                        dataset_version=version,
                        record_uuid=row.uuid,
                        record_version=row.version,
                        item_hash=_hash(raw),
                    )
                )
                added += 1
            elif ref.dataset_version < version and ref.item_hash == _hash(raw):
                ref.dataset_version = version  # the item did not change in the new release
            elif ref.dataset_version < version:
                row_cls = _ROW_CLASSES[name]
                current = s.execute(select(row_cls).where(row_cls.uuid == ref.record_uuid)).scalar_one_or_none()
                if current is not None and current.version == ref.record_version:
                    updates.append((ref, current, item, raw))
                else:
                    kept += 1
                ref.dataset_version = version

        def apply_updates() -> None:
            for ref, current, item, raw in updates:
                with s.no_autoflush:
                    apply(s, current, item)
                s.flush()
                ref.record_version = current.version
                ref.item_hash = _hash(raw)

        # Names of places and model types are in the search index: their cases are re-indexed.
        reindexing(self.ctx, s, _cases_using(s, name, [u[1] for u in updates]), apply_updates)
        updated = len(updates)
        report.added[name], report.updated[name], report.kept_user_edits[name] = added, updated, kept

    def _ref_row(self, s: Session, cls: type[Tracked], dataset: str, key: str | None) -> Any:
        if key is None:
            return None
        return s.execute(select(cls).where(cls.uuid == reference_uuid(dataset, key))).scalar_one()

    def _apply_regions(self, s: Session, row: Tracked | None, item: dict[str, Any]) -> Tracked:
        if row is None:
            parent = self._ref_row(s, RegionRow, "regions", item["parent"])
            return insert_region(
                s,
                self.ctx,
                parent,
                item["name"],
                RegionLevel(item["level"]),
                category=item.get("category") or "",
                uuid=reference_uuid("regions", item["key"]),
            )
        assert isinstance(row, RegionRow)
        row.category = item.get("category") or ""
        if row.name != item["name"]:
            row.name = item["name"]
            refresh_full_names(s, row)
        stamp(row, self.ctx.editor)
        return row

    def _apply_designations(self, s: Session, row: Tracked | None, item: dict[str, Any]) -> Tracked:
        if row is None:
            row = DesignationRow(uuid=reference_uuid("designations", item["key"]))
            s.add(row)
        assert isinstance(row, DesignationRow)
        row.region = self._ref_row(s, RegionRow, "regions", item["region"])
        row.kind, row.label, row.category = item["kind"], item.get("label") or "", item.get("category") or ""
        row.valid_from = date.fromisoformat(item["valid_from"])
        row.valid_to = date.fromisoformat(item["valid_to"]) if item.get("valid_to") else None
        row.source, row.note = item.get("source") or "", item.get("note") or ""
        stamp(row, self.ctx.editor)
        return row

    def _apply_themes(self, s: Session, row: Tracked | None, item: dict[str, Any]) -> Tracked:
        new = row is None
        if row is None:
            parent = self._ref_row(s, ThemeRow, "themes", item["parent"])
            row = ThemeRow(uuid=reference_uuid("themes", item["key"]), parent_id=parent.id if parent else None)
            s.add(row)
        assert isinstance(row, ThemeRow)
        row.name, row.code = item["name"], item.get("code") or ""
        row.description = item.get("description") or ""
        row.sort_order = _order(item)
        stamp(row, self.ctx.editor)
        if new:
            s.flush()
            parent_path = s.execute(select(ThemeRow.path).where(ThemeRow.id == row.parent_id)).scalar() or "/"
            row.path = f"{parent_path}{row.id}/"
        return row

    def _apply_model_types(self, s: Session, row: Tracked | None, item: dict[str, Any]) -> Tracked:
        if row is None:  # a type the user already made under the same name becomes the reference one
            row = s.execute(select(ModelTypeRow).where(ModelTypeRow.name == item["name"])).scalar_one_or_none()
        if row is None:
            row = ModelTypeRow(uuid=reference_uuid("model_types", item["key"]))
            s.add(row)
        assert isinstance(row, ModelTypeRow)
        row.name, row.description, row.sort_order = item["name"], item.get("description") or "", _order(item)
        stamp(row, self.ctx.editor)
        return row

    def _apply_indicators(self, s: Session, row: Tracked | None, item: dict[str, Any]) -> Tracked:
        if row is None:  # an indicator the user already made under the same name becomes the reference one
            row = s.execute(select(IndicatorRow).where(IndicatorRow.name == item["name"])).scalar_one_or_none()
        if row is None:
            row = IndicatorRow(uuid=reference_uuid("indicators", item["key"]))
            s.add(row)
        assert isinstance(row, IndicatorRow)
        row.name, row.unit, row.description = item["name"], item.get("unit") or "", item.get("description") or ""
        stamp(row, self.ctx.editor)
        return row


def _cases_using(s: Session, dataset: str, rows: list[Tracked]) -> list[int]:
    """Live cases whose indexed text shows one of these reference rows (places, model types)."""
    ids = [r.id for r in rows]
    if not ids:
        return []
    if dataset == "model_types":
        return list(s.execute(select(CaseRow.id).where(CaseRow.model_type_id.in_(ids))).scalars())
    if dataset == "regions":
        paths = [r.path for r in rows if isinstance(r, RegionRow)]
        under = select(RegionRow.id).where(or_(*(RegionRow.path.startswith(p, autoescape=False) for p in paths)))
        return list(s.execute(select(CasePlace.case_id).where(CasePlace.region_id.in_(under)).distinct()).scalars())
    return []


def _hash(item: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(item, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _order(item: dict[str, Any]) -> int:
    # Items keep the order of the data file unless they say otherwise.
    return int(item["sort_order"])


_ROW_CLASSES: dict[str, type[Tracked]] = {
    "regions": RegionRow,
    "designations": DesignationRow,
    "themes": ThemeRow,
    "model_types": ModelTypeRow,
    "indicators": IndicatorRow,
}
