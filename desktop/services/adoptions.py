"""Adoptions: which places took up a model case, when and how far (一地创新、全省共享)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from desktop.domain.i18n import _
from desktop.domain.records import Adoption
from desktop.domain.validation import validate_adoption
from desktop.services.context import ServiceContext, check_version, get_row, stamp
from desktop.store.mapping import to_adoption
from desktop.store.schema import AdoptionRow, CaseRow, RegionRow, utcnow


class AdoptionService:
    """Record and list the spread of model cases."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def of_case(self, case_uuid: str) -> list[Adoption]:
        """A case's live adoptions, earliest first."""
        with self.ctx.library.reading() as s:
            case = get_row(s, CaseRow, case_uuid, what=_("案例"), include_trashed=True)
            rows = s.execute(
                select(AdoptionRow)
                .where(AdoptionRow.case_id == case.id, AdoptionRow.deleted_at.is_(None))
                .options(selectinload(AdoptionRow.region), selectinload(AdoptionRow.case))
                .order_by(AdoptionRow.adopted_on, AdoptionRow.id)
            ).scalars()
            return [to_adoption(r) for r in rows]

    def save(self, adoption: Adoption) -> Adoption:
        """Add an adoption or change one."""
        validate_adoption(adoption)
        with self.ctx.library.unit_of_work() as s:
            row = s.execute(select(AdoptionRow).where(AdoptionRow.uuid == adoption.uuid)).scalar_one_or_none()
            if row is None:
                row = AdoptionRow(uuid=adoption.uuid)
                s.add(row)
            else:
                check_version(row, adoption.version, what=_("推广记录"))
            row.case = get_row(s, CaseRow, adoption.case_uuid, what=_("案例"))
            row.region = get_row(s, RegionRow, adoption.region.uuid, what=_("地区"))
            row.adopted_on, row.extent, row.note = adoption.adopted_on, adoption.extent.value, adoption.note
            stamp(row, self.ctx.editor)
            s.flush()
            return to_adoption(row)

    def trash(self, uuid: str) -> None:
        """Move an adoption to the trash."""
        with self.ctx.library.unit_of_work() as s:
            row = get_row(s, AdoptionRow, uuid, what=_("推广记录"))
            row.deleted_at = utcnow()
            stamp(row, self.ctx.editor)
