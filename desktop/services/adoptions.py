"""Adoptions: which places took up a model case, when and how far (一地创新、全省共享)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from desktop.domain.changes import RecordKind
from desktop.domain.i18n import _
from desktop.domain.records import Adoption
from desktop.domain.validation import validate_adoption
from desktop.services.context import Op, ServiceContext, get_row, stamp
from desktop.services.writing import write
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

    def save(self, adoption: Adoption) -> Op[Adoption]:
        """Add an adoption, or change one read at ``adoption.version`` (undoable)."""
        validate_adoption(adoption)
        with write(self.ctx, _("编辑推广记录")) as w:
            s = w.session
            row, _new = w.saving(RecordKind.ADOPTION, adoption)
            apply_adoption(s, row, adoption)
            stamp(row, self.ctx.editor)
            s.flush()
            saved = to_adoption(row)
        return Op(saved, w.changes)

    def trash(self, uuid: str) -> Op[None]:
        """Move an adoption to the trash (undoable)."""
        with write(self.ctx, _("删除推广记录")) as w:
            row = get_row(w.session, AdoptionRow, uuid, what=_("推广记录"))
            w.track(RecordKind.ADOPTION, [uuid])
            row.deleted_at = utcnow()
            stamp(row, self.ctx.editor)
        return Op(None, w.changes)

    def write_state(self, s: Session, state: Adoption) -> None:
        """Make a stored adoption exactly what ``state`` says, trash included (undo and redo)."""
        row = s.execute(select(AdoptionRow).where(AdoptionRow.uuid == state.uuid)).scalar_one()
        apply_adoption(s, row, state)
        row.deleted_at = state.deleted_at
        stamp(row, self.ctx.editor)


def apply_adoption(s: Session, row: AdoptionRow, adoption: Adoption) -> None:
    """Set an adoption row's fields from a record (the caller validates and stamps)."""
    row.case = get_row(s, CaseRow, adoption.case_uuid, what=_("案例"))
    row.region = get_row(s, RegionRow, adoption.region.uuid, what=_("地区"))
    row.adopted_on, row.extent, row.note = adoption.adopted_on, adoption.extent.value, adoption.note
