"""The PDF export: ``render(spec, cases, out)`` sets a brief, a collection or a one-case sheet.

The service layer and the command line call ``render``; it needs nothing but the domain objects. The
file is written with ``desktop.files.atomic_write``, so a failed or killed export never leaves half a
PDF behind. The report names the characters no face could set
(printed as 〓) and the outline with the physical page (1-based) of every chapter and case.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop.briefs import case_sheet, collection, work_brief
from desktop.briefs.document import Registry
from desktop.briefs.fonts import BriefFonts
from desktop.briefs.styles import Setter
from desktop.domain.brief import BriefSpec, Template
from desktop.domain.records import ModelCase
from desktop.domain.wording import document_keywords, document_title, template_name
from desktop.files import atomic_write

CREATOR = "试点案例库 · Pilot Casebook"


@dataclass(frozen=True)
class RenderReport:
    """What an export produced."""

    pages: int
    unset_characters: frozenset[str]  # characters no face could set (the export names them)
    outline: tuple[tuple[str, int], ...]  # (heading, page number) of chapters and cases


def render(
    spec: BriefSpec,
    cases: Sequence[ModelCase],
    out: Path,
    *,
    fonts: BriefFonts | None = None,
    photo_dir: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RenderReport:
    """Set ``cases`` in ``spec``'s template and write the PDF to ``out``."""
    fonts = fonts or BriefFonts.load()
    setter = Setter(fonts)
    registry = Registry(progress=progress, total=len(cases))
    meta = {
        "title": document_title(spec, cases),
        "author": spec.unit.strip(),
        "subject": template_name(spec.template),
        "keywords": "; ".join(document_keywords(spec, cases)),
        "creator": CREATOR,
        "lang": "zh-CN",
    }
    with atomic_write(Path(out)) as tmp:
        template = Template(spec.template)
        if template == Template.BRIEF:
            doc = work_brief.build(spec, cases, setter, registry, str(tmp), meta)
        elif template == Template.COLLECTION:
            doc = collection.build(spec, cases, setter, registry, str(tmp), meta, photo_dir)
        else:
            doc = case_sheet.build(spec, cases, setter, registry, str(tmp), meta, photo_dir)
    if progress is not None and registry.done < len(cases):
        progress(len(cases), len(cases))
    return RenderReport(
        pages=int(doc.page),
        unset_characters=frozenset(setter.unset),
        outline=tuple(registry.outline),
    )
