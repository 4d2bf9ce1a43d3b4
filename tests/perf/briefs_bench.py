"""Benchmarks of the PDF briefs (part of ``make bench``): a 500-case collection against a bare
ReportLab script laying out the same text with the same fonts, a one-case PDF from a cold start,
and the size of a 20-case collection.

Each measurement runs in a fresh process (``python -m tests.perf.briefs_bench MODE N``) so that
imports, font loading and peak memory are its own.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

COUNTIES = ["杭州市淳安县", "丽水市景宁畲族自治县", "温州市苍南县", "宁波市象山县", "台州市天台县", "衢州市开化县"]
VILLAGES = ["下岙村", "垟头村", "坞根村", "墺里村", "东坑村", "前溪村", "大园村", "桃源村"]
THEMES = ["山海协作与飞地经济", "提升县城和中心镇承载力", "重点村培育与片区组团", "培育特色产业和产业平台", "城乡差距"]
MODEL_TYPES = ["乡村振兴联合体", "共富联盟（抱团发展）", "多产业联动", "研学文旅协同", "强村公司", "消薄飞地"]


def synthetic_cases(n: int, seed: int = 1) -> list[object]:
    """``n`` cases of realistic length; every other one has a series of figures (a chart)."""
    from desktop.domain.records import Figure, ModelCase, Ref, new_uuid
    from desktop.services.sample_text import SampleTextGenerator

    gen, rng = SampleTextGenerator(seed), random.Random(seed)
    out: list[object] = []
    for i in range(n):
        county, village, mt = rng.choice(COUNTIES), rng.choice(VILLAGES), rng.choice(MODEL_TYPES)
        themes = rng.sample(THEMES, k=rng.randint(1, 3))
        year = rng.randint(2020, 2025)
        t = gen.case(county, village, mt, themes, year)
        figures = [
            Figure(label=f.label, value=f.value, unit=f.unit, period=f.period, source=f.source) for f in t.figures
        ]
        if i % 2 == 0 and figures:
            first = figures[0]
            figures += [
                Figure(
                    label=first.label,
                    value=round(first.value * (1 - 0.12 * back), 1),
                    unit=first.unit,
                    period=f"{year - back}年",
                    source=first.source,
                )
                for back in (3, 2, 1)
            ]
        out.append(
            ModelCase(
                title=t.title,
                subtitle=t.subtitle,
                model_type=Ref(new_uuid(), mt),
                places=[Ref(new_uuid(), county + village)],
                themes=[Ref(new_uuid(), x) for x in themes],
                tags=list(t.tags),
                basic_situation=t.basic_situation,
                practices=t.practices,
                outcomes=t.outcomes,
                lessons=t.lessons,
                figures=figures,
                source=t.source,
            )
        )
    return out


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _child(mode: str, n: int) -> dict[str, float]:
    start = time.perf_counter()
    from desktop.briefs.fonts import BriefFonts
    from desktop.briefs.render import render
    from desktop.domain.brief import BriefSpec, GroupBy, Template

    out = Path(tempfile.mkdtemp()) / f"{mode}.pdf"
    cases = synthetic_cases(n)
    if mode == "cold":  # the clock started before the imports: imports + fonts + one case
        gen = 0.0
        fonts = BriefFonts.load()
        report = render(BriefSpec(template=Template.CASE, unit="浙江省农业农村厅"), cases, out, fonts=fonts)
        elapsed = time.perf_counter() - start
    else:
        fonts = BriefFonts.load()
        gen = time.perf_counter()
        if mode == "bare":
            pages = _bare(cases, fonts, out)
            elapsed = time.perf_counter() - gen
            return {
                "seconds": elapsed,
                "pages": pages,
                "pages_per_s": pages / elapsed,
                "peak_mb": _peak_mb(),
                "mb": out.stat().st_size / 1e6,
            }
        spec = BriefSpec(
            template=Template.COLLECTION,
            title="千万工程试点典型案例汇编",
            unit="浙江省农业农村厅",
            issued_on=date(2026, 11, 28),
            group_by=GroupBy.THEME,
        )
        report = render(spec, cases, out, fonts=fonts)
        elapsed = time.perf_counter() - gen
    return {
        "seconds": elapsed,
        "pages": report.pages,
        "pages_per_s": report.pages / elapsed,
        "peak_mb": _peak_mb(),
        "mb": out.stat().st_size / 1e6,
    }


def _bare(cases: list[object], fonts: object, out: Path) -> int:
    """The same text with the same fonts through plain ReportLab Platypus: the speed to compare with."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    name = fonts.name  # type: ignore[attr-defined]
    body = ParagraphStyle("b", fontName=name("body"), fontSize=12, leading=21, firstLineIndent=24, wordWrap="CJK")
    head = ParagraphStyle("h", fontName=name("heading"), fontSize=13, leading=21, wordWrap="CJK")
    title = ParagraphStyle("t", fontName=name("title"), fontSize=18, leading=26, alignment=1, wordWrap="CJK")
    story: list[object] = []
    for c in cases:
        story += [Paragraph(escape(c.title), title), Paragraph(escape(c.subtitle), head)]  # type: ignore[attr-defined]
        for label, text in (
            ("基本情况", c.basic_situation),
            ("主要做法", c.practices),  # type: ignore[attr-defined]
            ("取得成效", c.outcomes),
            ("经验启示", c.lessons),
        ):  # type: ignore[attr-defined]
            story += [Paragraph(label, head), Paragraph(escape(text), body)]
        story.append(PageBreak())
    doc = SimpleDocTemplate(
        str(out), pagesize=A4, topMargin=30 * mm, bottomMargin=25 * mm, leftMargin=28 * mm, rightMargin=26 * mm
    )
    doc.build(story)
    return int(doc.page)


def _run(mode: str, n: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-m", "tests.perf.briefs_bench", mode, str(n)],
        capture_output=True,
        text=True,
        check=True,
        timeout=900,
    ).stdout
    data: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return data


def measure() -> dict[str, object]:
    """Every brief figure; prints them too."""
    big = _run("collection", 500)
    bare = _run("bare", 500)
    ratio = big["pages_per_s"] / bare["pages_per_s"]
    print(
        f"500-case collection: {big['pages']:.0f} pages in {big['seconds']:.1f} s ({big['pages_per_s']:.0f} pages/s), "
        f"peak {big['peak_mb']:.0f} MB, {big['mb']:.1f} MB"
    )
    print(
        f"bare ReportLab, same text and fonts: {bare['pages']:.0f} pages in {bare['seconds']:.1f} s "
        f"({bare['pages_per_s']:.0f} pages/s); ours/bare = {ratio:.2f}"
    )
    cold = min((_run("cold", 1) for _ in range(3)), key=lambda r: r["seconds"])
    print(f"one-case PDF from a cold start (imports, fonts, render): {cold['seconds']:.2f} s")
    small = _run("collection", 20)
    print(f"20-case collection without photos: {small['pages']:.0f} pages, {small['mb']:.2f} MB")
    return {
        "collection_500": big,
        "bare_500": bare,
        "speed_ratio": round(ratio, 2),
        "cold_one_case_s": cold["seconds"],
        "collection_20_mb": small["mb"],
    }


if __name__ == "__main__":
    print(json.dumps(_child(sys.argv[1], int(sys.argv[2]))))
