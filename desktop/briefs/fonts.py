"""The faces a PDF is set in, one per typographic role, and the markup that keeps every character visible.

Roles follow the conventions of Chinese official documents: 仿宋 for the body, 黑体 for first-level
headings, 楷体 for second-level headings and the editor's note, 小标宋 for titles and 宋体 for page
numbers. For each role the face is, in order of preference:

1. the file the user chose for it (Settings), a TrueType ``.ttf`` or ``.ttc`` (first face);
2. the office's own font from the Windows font folder (simfang/simhei/simkai/simsun, 方正小标宋);
3. the open Noto Serif SC / Noto Sans SC (SIL OFL 1.1), converted once to TrueType
   (see ``fontconv``), found in ``resources/fonts`` when the set-up put it there, else in the
   user's cache folder (``CASEBOOK_FONT_DIR`` overrides it), where it is converted on first use.

A character that the role's face lacks is set from another registered face that has it (a
``<font>`` run in the paragraph markup); one that no face has is printed as 〓 (the printer's mark
for a missing character) and reported by ``unsettable`` so the export can name it.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar
from xml.sax.saxutils import escape

from platformdirs import PlatformDirs
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from desktop.briefs import fontconv
from desktop.domain.i18n import _
from desktop.paths import APP_NAME, resources_dir

ROLES = ("body", "heading", "kai", "title", "song")

#: Printed in place of a character that no face can set.
MISSING_MARK = "〓"

# The office's files for each role, best first (Windows font folder; names compared case-insensitively).
_OFFICE_FILES: dict[str, tuple[str, ...]] = {
    "body": ("simfang.ttf", "仿宋_GB2312.ttf", "FS_GB2312.ttf", "fsgb2312.ttf"),
    "heading": ("simhei.ttf",),
    "kai": ("simkai.ttf", "楷体_GB2312.ttf", "KAI_GB2312.ttf", "kaigb2312.ttf"),
    "title": ("FZXBSJW.TTF", "方正小标宋简体.ttf", "FZXBSK.TTF", "方正小标宋_GBK.ttf", "simhei.ttf"),
    "song": ("simsun.ttc", "simsun.ttf"),
}
# Further office faces used only to set characters the role's face lacks.
_OFFICE_EXTRA: tuple[str, ...] = ("msyh.ttc", "simsunb.ttf", "simsun.ttc", "simhei.ttf")
# Which open face stands in for each role.
_OPEN_FOR_ROLE = {"body": "serif", "heading": "sans", "kai": "serif", "title": "serif", "song": "serif"}
# Characters that never need a glyph: line ends and tabs become spaces or breaks in the layout.
_LAYOUT_CHARS = frozenset("\n\t ")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff\ufe00-\ufe0f]")


class FontError(ValueError):
    """A chosen font file cannot be used (missing, not TrueType, or not embeddable)."""


@dataclass(frozen=True)
class FaceFile:
    """A font file and, for a collection (``.ttc``), which face in it."""

    path: Path
    index: int = 0


def font_cache_dir() -> Path:
    """Where converted open faces are kept: ``CASEBOOK_FONT_DIR`` or the user's cache folder."""
    override = os.environ.get("CASEBOOK_FONT_DIR")
    if override:
        return Path(override)
    return Path(PlatformDirs(appname=APP_NAME, appauthor=False).user_cache_dir) / "fonts"


def shipped_font_dir() -> Path:
    """Where the set-up (``make fonts``) puts the converted open faces: ``resources/fonts``."""
    return resources_dir() / "fonts"


def office_font_dirs() -> list[Path]:
    """The Windows font folders of this machine (system-wide and the user's own), where they exist."""
    dirs: list[Path] = []
    windir = os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT")
    if windir:
        dirs.append(Path(windir) / "Fonts")
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return [d for d in dirs if d.is_dir()]


def _find(dirs: Sequence[Path], names: Iterable[str]) -> Path | None:
    """The first of ``names`` present in one of ``dirs``, matched without regard to case."""
    listings: list[dict[str, Path]] = []
    for d in dirs:
        try:
            listings.append({p.name.lower(): p for p in d.iterdir()})
        except OSError:
            continue
    for name in names:
        for listing in listings:
            hit = listing.get(name.lower())
            if hit is not None:
                return hit
    return None


def _open_faces(needed: set[str]) -> dict[str, Path]:
    """The converted open faces (key -> file) that exist, converting the ``needed`` ones that do not.

    Shipped faces (``resources/fonts``) come first, then the cache; missing needed faces are converted
    into the cache, side by side in worker processes unless running from a frozen bundle.
    """
    found: dict[str, Path] = {}
    for face in fontconv.OPEN_FACES:
        for directory in (shipped_font_dir(), font_cache_dir()):
            path = fontconv.converted(directory, face)
            if path is not None:
                found[face.key] = path
                break
    missing = [f for f in fontconv.OPEN_FACES if f.key in needed and f.key not in found]
    if missing:
        made = fontconv.ensure_open_faces(font_cache_dir(), missing, parallel=not getattr(sys, "frozen", False))
        found.update(made)
    return found


@dataclass(frozen=True)
class FaceChoice:
    """Which face a role will be set in, decided without loading it: the user's file (``chosen``), the
    office's font (``office``) or the open stand-in (``open``, ``path`` None until it is converted)."""

    role: str
    source: str  # "chosen", "office" or "open"
    path: Path | None
    family: str  # the face's family name as its file names it, or the open face's

    def describe(self) -> str:
        """The choice in the user's words, e.g. "仿宋（本机字体 simfang.ttf）"."""
        if self.source == "open":
            return _("{family}（开源字体，本机没有公文字体）").format(family=self.family)
        assert self.path is not None
        where = _("所选文件") if self.source == "chosen" else _("本机字体")
        return _("{family}（{where} {file}）").format(family=self.family, where=where, file=self.path.name)


_OPEN_FAMILIES = {"serif": "Noto Serif SC", "sans": "Noto Sans SC"}


def _family(path: Path) -> str:
    """The family name in the font file's name table (the Chinese one when there is one), else its stem."""
    try:
        from fontTools.ttLib import TTFont as ToolsFont

        font = ToolsFont(str(path), lazy=True, fontNumber=0)
        try:
            table = font["name"]
            chinese = next((r for r in table.names if r.nameID in (1, 16) and r.langID == 0x0804), None)
            record = chinese or table.getName(16, 3, 1, 0x409) or table.getName(1, 3, 1, 0x409)
            return record.toUnicode() if record is not None else path.stem
        finally:
            font.close()
    except Exception:  # a face that cannot be read is reported when it is loaded; here its name will do
        return path.stem


def planned_faces(
    preferences: Mapping[str, Path] | None = None, *, system_dirs: Sequence[Path] | None = None
) -> dict[str, FaceChoice]:
    """For each role, the face an export will use (the order of preference above), without loading
    or converting anything. A chosen file that does not exist is still reported as chosen: the export
    refuses it by name."""
    prefs = {r: Path(p) for r, p in (preferences or {}).items() if r in ROLES and p}
    dirs = list(office_font_dirs() if system_dirs is None else system_dirs)
    out: dict[str, FaceChoice] = {}
    for role in ROLES:
        pref = prefs.get(role)
        if pref is not None:
            out[role] = FaceChoice(role, "chosen", pref, _family(pref) if pref.is_file() else pref.stem)
            continue
        office = _find(dirs, _OFFICE_FILES[role]) if dirs else None
        if office is not None:
            out[role] = FaceChoice(role, "office", office, _family(office))
        else:
            out[role] = FaceChoice(role, "open", None, _OPEN_FAMILIES[_OPEN_FOR_ROLE[role]])
    return out


def _face_name(face: FaceFile) -> str:
    """A ReportLab font name unique to the file and face index."""
    stem = re.sub(r"[^A-Za-z0-9]", "", face.path.stem)[:24] or "face"
    digest = hashlib.sha1(f"{face.path.resolve()}|{face.index}".encode()).hexdigest()[:8]
    return f"cb-{stem}-{face.index}-{digest}"


class BriefFonts:
    """The registered faces of one export: a face per role, fallbacks, and markup helpers."""

    _cache: ClassVar[dict[tuple[object, ...], BriefFonts]] = {}
    _registered: ClassVar[dict[FaceFile, tuple[str, frozenset[str]]]] = {}
    _ps_names: ClassVar[dict[bytes, FaceFile]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    faces: dict[str, Path]

    def __init__(self, roles: Mapping[str, FaceFile], extras: Sequence[FaceFile] = ()) -> None:
        """Register ``roles`` (one face per role) and the ``extras`` used only for missing characters."""
        missing = [r for r in ROLES if r not in roles]
        if missing:
            raise ValueError(f"no face for roles {missing}")
        self.faces = {role: roles[role].path for role in ROLES}
        self._names: dict[str, str] = {}
        self._covers: dict[str, frozenset[str]] = {}
        for role in ROLES:
            name, cover = self._register(roles[role], role)
            self._names[role] = name
            self._covers[name] = cover
        extra_names: list[str] = []
        for face in extras:
            try:
                name, cover = self._register(face, "")
            except FontError:
                continue
            self._covers[name] = cover
            extra_names.append(name)
        # Missing characters come from faces of a like style first: serif roles try the song and body
        # faces, the heading tries sans faces; then anything registered.
        self._chains: dict[str, tuple[str, ...]] = {}
        for role in ROLES:
            order = (
                ["heading", "title", "body", "song", "kai"]
                if role == "heading"
                else ["song", "body", "kai", "title", "heading"]
            )
            chain: list[str] = []
            for name in [self._names[r] for r in order] + extra_names:
                if name != self._names[role] and name not in chain:
                    chain.append(name)
            self._chains[role] = tuple(chain)
        self._all_cover: frozenset[str] = frozenset().union(*self._covers.values())

    @classmethod
    def _register(cls, face: FaceFile, role: str) -> tuple[str, frozenset[str]]:
        """Register ``face`` with ReportLab once per process; returns its name and the characters it has."""
        with cls._lock:
            known = cls._registered.get(face)
            if known is not None:
                return known
            name = _face_name(face)
            try:
                font = TTFont(name, str(face.path), subfontIndex=face.index)
            except (TTFError, OSError, IndexError) as exc:
                what = _("字体文件无法使用（须为 TrueType 字形的 .ttf 或 .ttc）：{path}（{error}）").format(
                    path=face.path, error=exc
                )
                if role:
                    what = _("{role}字体：").format(role=role_label(role)) + what
                raise FontError(what) from exc
            # ReportLab shares one font among files with the same PostScript name; a second file so
            # named (a user's copy of a face already in use) gets a name of its own.
            ps_name = font.face.name
            if ps_name in cls._ps_names and cls._ps_names[ps_name] != face:
                font.face.name = ps_name + b"-" + name.rsplit("-", 1)[-1].encode("ascii")
            cls._ps_names.setdefault(font.face.name, face)
            pdfmetrics.registerFont(font)
            used = pdfmetrics.getFont(name)
            cover = frozenset(chr(c) for c in used.face.charToGlyph if c >= 0x20)
            cls._registered[face] = (name, cover)
            return name, cover

    @classmethod
    def load(
        cls,
        preferences: Mapping[str, Path] | None = None,
        *,
        system_dirs: Sequence[Path] | None = None,
    ) -> BriefFonts:
        """The faces for an export: user choices, then office fonts, then the open faces (cached per process).

        ``preferences`` maps a role to a TrueType file; ``system_dirs`` replaces the Windows font folders
        that are searched for the office's fonts (for tests and unusual set-ups).
        """
        prefs = {r: Path(p) for r, p in (preferences or {}).items() if r in ROLES and p}
        dirs = list(office_font_dirs() if system_dirs is None else system_dirs)
        key = (tuple(sorted((r, str(p)) for r, p in prefs.items())), tuple(str(d) for d in dirs))
        cached = cls._cache.get(key)
        if cached is not None:
            return cached
        roles: dict[str, FaceFile] = {}
        for role, choice in planned_faces(prefs, system_dirs=dirs).items():
            if choice.path is None:
                continue
            if choice.source == "chosen" and not choice.path.is_file():
                raise FontError(_("{role}字体文件不存在：{path}").format(role=role_label(role), path=choice.path))
            roles[role] = FaceFile(choice.path)
        open_faces = _open_faces({_OPEN_FOR_ROLE[r] for r in ROLES if r not in roles})
        for role in ROLES:
            if role not in roles:
                roles[role] = FaceFile(open_faces[_OPEN_FOR_ROLE[role]])
        extras = [FaceFile(p) for p in open_faces.values()]
        if dirs:
            for name in _OFFICE_EXTRA:
                found = _find(dirs, (name,))
                if found is not None:
                    extras.append(FaceFile(found))
        fonts = cls(roles, extras)
        cls._cache[key] = fonts
        return fonts

    def is_open(self, role: str) -> bool:
        """Whether the role is set in an open stand-in face (regular weight only) rather than the office's."""
        return self.faces[role].name in (fontconv.SERIF.ttf_name, fontconv.SANS.ttf_name)

    def name(self, role: str) -> str:
        """The ReportLab font name of the face for ``role``."""
        try:
            return self._names[role]
        except KeyError:
            raise ValueError(f"unknown font role {role!r}; expected one of {ROLES}") from None

    def has(self, role: str, text: str) -> bool:
        """Whether the role's own face has every character of ``text``."""
        return set(clean(text)) - _LAYOUT_CHARS <= self._covers[self.name(role)]

    def face_for(self, text: str, role: str) -> str:
        """A single face for ``text`` (where runs cannot be mixed, as in charts): the role's own if
        it has every character, else the first fallback that does, else the role's own."""
        chars = set(clean(text)) - _LAYOUT_CHARS
        own = self.name(role)
        if chars <= self._covers[own]:
            return own
        return next((n for n in self._chains[role] if chars <= self._covers[n]), own)

    def unsettable(self, text: str) -> set[str]:
        """The characters of ``text`` that no registered face has."""
        chars = set(clean(text)) - _LAYOUT_CHARS
        return chars - self._all_cover

    def markup(self, text: str, role: str) -> str:
        """Paragraph markup printing ``text`` literally in ``role``'s face.

        Everything is escaped, so tags, entities and ampersands in user text print as typed; line
        ends become line breaks; characters the face lacks are set from a fallback face, and those
        no face has become 〓. Breaking long unbroken strings is the paragraph's job (``typeset``).
        """
        return self.checked_markup(text, role)[0]

    def checked_markup(self, text: str, role: str) -> tuple[str, set[str]]:
        """``markup`` of ``text`` and the characters of it that no face has (one pass for both)."""
        own = self.name(role)
        cover = self._covers[own]
        text = clean(text)
        chars = set(text)
        if chars <= cover:
            return escape(text).replace("\n", "<br/>"), set()
        unset = (chars - _LAYOUT_CHARS) - self._all_cover
        chain = self._chains[role]
        covers = self._covers
        parts: list[str] = []
        run: list[str] = []
        run_face = own

        def flush() -> None:
            if not run:
                return
            body = escape("".join(run)).replace("\n", "<br/>")
            parts.append(body if run_face == own else f'<font name="{run_face}">{body}</font>')
            run.clear()

        for ch in text:
            if ch in cover or ch in _LAYOUT_CHARS:
                face = own
            elif ch in unset:
                ch = MISSING_MARK
                face = own if ch in cover else next((n for n in chain if ch in covers[n]), own)
            else:
                face = next(n for n in chain if ch in covers[n])
            if face != run_face:
                flush()
                run_face = face
            run.append(ch)
        flush()
        return "".join(parts), unset


def clean(text: str) -> str:
    """``text`` without control and invisible formatting characters; tabs and odd line ends made plain."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _CONTROL.sub("", text)


def role_label(role: str) -> str:
    """The role's name as shown to the user."""
    labels = {
        "body": _("正文（仿宋）"),
        "heading": _("一级标题（黑体）"),
        "kai": _("二级标题（楷体）"),
        "title": _("标题（小标宋）"),
        "song": _("页码（宋体）"),
    }
    return labels.get(role, role)
