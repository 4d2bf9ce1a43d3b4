"""Share bundles (``.casebook``): a zip of a manifest, the records as JSON Lines and the photos.

Layout (documented by ``resources/share/casebook-bundle.schema.json`` and the README)::

    manifest.json               format, version, exporting library, unit, editor, time,
                                record counts, and the SHA-256 and size of every other member
    records/<kind>.jsonl        one record per line, kinds in the order they are applied
    photos/<uuid>.<ext>         the photo files, stored as they are

Writing streams every member through SHA-256 into a temporary file beside the target, which
replaces the target only when complete. Reading trusts nothing: before a byte is decompressed
the member names (no ``..``, no absolute or drive paths, no links), the member count, the total
size and each member's compression ratio are checked against ``Limits``; the manifest is
checked against the schema and the format version; every member is hashed while it is
streamed and compared with the manifest; every record line is checked against its schema;
every photo must be an image of a sane size. Errors name the file, the member, the line and the
field, in Chinese.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import stat
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path, PurePosixPath
from typing import IO, Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError
from PIL import Image, UnidentifiedImageError

from desktop.domain.i18n import _
from desktop.domain.validation import CONTROL_CHARACTERS, DomainError
from desktop.files import atomic_write, explain_os_error
from desktop.images import decode_problem
from desktop.paths import resources_dir

FORMAT = "casebook-bundle"
FORMAT_VERSION = 1
SUFFIX = ".casebook"
MANIFEST = "manifest.json"
#: Record kinds in the order an import applies them (what is referred to comes first).
KINDS = ("regions", "themes", "model_types", "tags", "indicators", "pilots", "experiments", "cases")
SCHEMA_OF_KIND = {
    "regions": "region",
    "themes": "theme",
    "model_types": "model_type",
    "tags": "tag",
    "indicators": "indicator",
    "pilots": "pilot",
    "experiments": "experiment",
    "cases": "case",
}
IMAGE_FORMATS = frozenset({"JPEG", "PNG", "GIF", "BMP", "WEBP", "TIFF"})
_CHUNK = 1 << 16
_HEADER = 1 << 20  # enough of an image to find its kind and size behind large metadata
MiB = 1 << 20


def kind_label(kind: str) -> str:
    """What a kind of record in a bundle (``cases``, ``photos`` …) is called, in the current language."""
    return {
        "regions": _("地区"),
        "themes": _("主题"),
        "model_types": _("模式类型"),
        "tags": _("标签"),
        "indicators": _("指标"),
        "pilots": _("试点"),
        "experiments": _("探索事项"),
        "cases": _("案例"),
        "photos": _("照片"),
    }[kind]


def records_member(kind: str) -> str:
    """The member holding the records of ``kind``."""
    return f"records/{kind}.jsonl"


@dataclass(frozen=True)
class Limits:
    """What a bundle may hold before it is refused as hostile or broken."""

    max_members: int = 200_000
    max_total_bytes: int = 8 * 1024 * MiB
    max_member_bytes: int = 4 * 1024 * MiB
    max_manifest_bytes: int = 64 * MiB
    max_ratio: float = 200.0  # uncompressed / compressed, for members over ``ratio_floor``
    ratio_floor: int = MiB
    max_line_bytes: int = 32 * MiB
    max_vocabulary_bytes: int = 64 * MiB  # places, themes, model types, tags, indicators: read whole
    max_photo_bytes: int = 64 * MiB
    max_photo_pixels: int = 120_000_000


def image_problem(data: bytes, limits: Limits) -> str | None:
    """What makes ``data`` (an image's first bytes, or all of them) unfit to share, or None: not an image,
    a kind other than JPEG/PNG/GIF/BMP/WebP/TIFF, or more pixels than the limit."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a bomb or broken data is a problem below, not a warning
            with Image.open(io.BytesIO(data)) as image:
                kind, (width, height) = image.format, image.size
    except Image.DecompressionBombError:
        return _("图片尺寸过大（超过 {n} 像素）").format(n=limits.max_photo_pixels)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return _("不是可识别的图片")
    if kind not in IMAGE_FORMATS:
        return _("图片格式不受支持：{kind}").format(kind=kind)
    if width * height > limits.max_photo_pixels:
        return _("图片尺寸过大（{w}×{h} 像素）").format(w=width, h=height)
    return None


def photo_file_problem(path: Path, limits: Limits | None = None) -> str | None:
    """What would make a receiver refuse this photo file in a bundle, or None (checked before export)."""
    limits = limits or Limits()
    size = path.stat().st_size
    if size > limits.max_photo_bytes:
        return _("照片过大（{mb:.0f} MB）").format(mb=size / MiB)
    with path.open("rb") as f:
        head = f.read(_HEADER)
        problem = image_problem(head, limits)
        if problem and len(head) < size:  # the kind or size may lie further in (a compressed TIFF)
            problem = image_problem(head + f.read(), limits)
    if problem is None:
        broken = decode_problem(path)
        if broken:
            problem = _("照片已损坏或不完整（{reason}）").format(reason=_short(broken, 80))
    return problem


class BundleError(DomainError):
    """A bundle that cannot be written or read; the message says what and where."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(_("案例包“{name}”：{message}").format(name=path.name, message=message))
        self.path = path
        self.detail = message


# schema ------------------------------------------------------------------------------------
def schema_path() -> Path:
    """The JSON Schema of the bundle format."""
    return resources_dir() / "share" / "casebook-bundle.schema.json"


@cache
def _schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(schema_path().read_text(encoding="utf-8"))
    return loaded


def _inlined(node: Any, defs: Mapping[str, Any]) -> Any:
    """``node`` with every ``{"$ref": "#/$defs/x"}`` replaced by the definition itself (the schema
    has no recursion), which makes checking a record several times faster."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            rest = {k: v for k, v in node.items() if k != "$ref"}
            return _inlined(defs[ref.removeprefix("#/$defs/")], defs) | _inlined(rest, defs)
        return {k: _inlined(v, defs) for k, v in node.items()}
    if isinstance(node, list):
        return [_inlined(v, defs) for v in node]
    return node


@cache
def validator(kind: str | None) -> Draft202012Validator:
    """The validator of the manifest (``None``) or of one record kind's lines."""
    schema = _schema()
    defs = schema["$defs"]
    if kind is None:
        return Draft202012Validator({k: v for k, v in _inlined(schema, defs).items() if k != "$defs"})
    return Draft202012Validator(_inlined(defs[SCHEMA_OF_KIND[kind]], defs))


def _control_message(exc: ControlCharacterError) -> str:
    return _("字段 {field} 含有控制字符（如 NUL 或终端转义序列），不予接受").format(field=exc.field)


def _schema_problem(error: SchemaError) -> str:
    where = "/".join(str(p) for p in error.absolute_path) or _("（整条记录）")
    return _("字段 {field} 不符合格式：{reason}").format(field=where, reason=_short(error.message))


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _dump(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


_HALF_PAIR = re.compile(rb"\\u[dD][89a-fA-F]")


def _loads(raw: bytes) -> Any:
    """JSON from UTF-8 bytes. Text with half of a UTF-16 pair (an escaped lone surrogate such as
    ``\\ud800``) fails with ``UnicodeEncodeError``: no UTF-8 text and no SQLite column can hold it.
    Text with a control character — NUL, a terminal escape sequence, C1 controls — raises
    ``ControlCharacterError`` naming the field: such text would be stored, listed and printed raw."""
    obj = json.loads(raw.decode("utf-8"))
    if _HALF_PAIR.search(raw):  # rare: only then is the whole object encoded again to find out
        _dump(obj)
    if _MAYBE_CONTROL.search(raw):  # JSON keeps controls escaped (or C1 as two bytes): only then look closer
        where = _control_field(obj, "")
        if where is not None:
            raise ControlCharacterError(where)
    return obj


_MAYBE_CONTROL = re.compile(rb"\\u00[0-9a-fA-F]{2}|\xc2[\x80-\x9f]")


class ControlCharacterError(ValueError):
    """A text field of a bundle holds a control character (see ``_loads``)."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


def _control_field(obj: Any, where: str) -> str | None:
    """The path of the first text (key or value) in ``obj`` holding a control character, else None."""
    if isinstance(obj, str):
        return where or _("（整条记录）") if CONTROL_CHARACTERS.search(obj) else None
    if isinstance(obj, dict):
        for key, value in obj.items():
            path = f"{where}/{key}" if where else str(key)
            if CONTROL_CHARACTERS.search(key):
                return path
            found = _control_field(value, path)
            if found is not None:
                return found
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            found = _control_field(value, f"{where}/{i}" if where else str(i))
            if found is not None:
                return found
    return None


# writing -----------------------------------------------------------------------------------
class _HashingWriter:
    def __init__(self, raw: IO[bytes]) -> None:
        self.raw, self.sha, self.size = raw, hashlib.sha256(), 0

    def write(self, data: bytes) -> None:
        self.raw.write(data)
        self.sha.update(data)
        self.size += len(data)


class _Aborted(Exception):
    """Tells the temporary file of an abandoned bundle to go."""


class BundleWriter:
    """Writes a bundle member by member; ``finish`` adds the manifest and puts the file in place.

    Use as a context manager: leaving it with an exception removes the temporary file and
    leaves the target as it was.
    """

    def __init__(self, out: Path, manifest: Mapping[str, Any]) -> None:
        self.out = out
        self._manifest = dict(manifest)
        self._members: dict[str, dict[str, Any]] = {}
        self.counts = {kind: 0 for kind in (*KINDS, "photos")}
        self._target = atomic_write(out)
        self._tmp = self._target.__enter__()
        try:
            self._zip = zipfile.ZipFile(self._tmp, "x", compression=zipfile.ZIP_DEFLATED, compresslevel=6)
        except OSError as exc:
            self._target.__exit__(type(exc), exc, exc.__traceback__)
            message = _("无法在“{folder}”写入：{reason}").format(folder=out.parent, reason=explain_os_error(exc))
            raise BundleError(out, message) from exc
        self._done = False

    def __enter__(self) -> BundleWriter:
        return self

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        if not self._done:
            self.abort()

    @contextmanager
    def records(self, kind: str) -> Iterator[Callable[[Mapping[str, Any]], None]]:
        """A function writing one record of ``kind`` per call, as one JSON line."""
        name = records_member(kind)
        with self._zip.open(name, "w", force_zip64=True) as raw:
            out = _HashingWriter(raw)

            def put(obj: Mapping[str, Any]) -> None:
                out.write(_dump(obj) + b"\n")
                self.counts[kind] += 1

            yield put
        self._members[name] = {"sha256": out.sha.hexdigest(), "size": out.size}

    def photo(self, member: str, source: Path) -> tuple[str, int]:
        """Store a photo file as ``member`` (not compressed again); returns its SHA-256 and size."""
        info = zipfile.ZipInfo(member, date_time=(2000, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_STORED
        info.external_attr = 0o644 << 16
        with source.open("rb") as src, self._zip.open(info, "w", force_zip64=True) as raw:
            out = _HashingWriter(raw)
            while chunk := src.read(_CHUNK):
                out.write(chunk)
        self._members[member] = {"sha256": out.sha.hexdigest(), "size": out.size}
        self.counts["photos"] += 1
        return out.sha.hexdigest(), out.size

    def finish(self) -> None:
        """Write the manifest, close the zip and move it over the target."""
        manifest = self._manifest | {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "counts": dict(self.counts),
            "members": self._members,
        }
        self._zip.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
        self._zip.close()
        self._done = True
        try:
            self._target.__exit__(None, None, None)
        except OSError as exc:
            raise BundleError(self.out, _("无法写入：{reason}").format(reason=explain_os_error(exc))) from exc

    def abort(self) -> None:
        """Drop what was written; the target is left as it was."""
        self._done = True
        with suppress(OSError, ValueError, zipfile.BadZipFile):
            self._zip.close()
        with suppress(_Aborted):
            self._target.__exit__(_Aborted, _Aborted(), None)


# reading -----------------------------------------------------------------------------------
def _safe_name(name: str) -> bool:
    if not name or "\\" in name or "\x00" in name or name.startswith("/") or ":" in name:
        return False
    parts = PurePosixPath(name).parts
    return all(p not in ("..", ".", "") for p in parts)


class _CheckedStream(io.RawIOBase):
    """A member's bytes, hashed as they are read, refused past the size the manifest gives."""

    def __init__(self, raw: IO[bytes], expected: Mapping[str, Any], on_mismatch: Callable[[str], BundleError]) -> None:
        self.raw, self.expected, self.on_mismatch = raw, expected, on_mismatch
        self.sha, self.size = hashlib.sha256(), 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(len(buffer))
        self.size += len(data)
        if self.size > self.expected["size"]:
            raise self.on_mismatch(_("内容比清单记载的长"))
        self.sha.update(data)
        buffer[: len(data)] = data
        if not data:
            self.verify()
        return len(data)

    def verify(self) -> None:
        if self.size != self.expected["size"] or self.sha.hexdigest() != self.expected["sha256"]:
            raise self.on_mismatch(_("校验和与清单不符（文件可能已损坏或被改动）"))


@dataclass(frozen=True)
class Manifest:
    """What a bundle says about itself."""

    format_version: int
    app_version: str
    library: str
    unit: str
    editor: str
    exported_at: str
    selection: str
    counts: Mapping[str, int]
    members: Mapping[str, Mapping[str, Any]]


#: What reading a damaged member may raise: zip's own errors, zlib's (a corrupt deflate stream),
#: and NotImplementedError for a compression this Python cannot read (Deflate64 …).
_UNREADABLE = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError)


class BundleReader:
    """Opens a bundle for reading after checking its entries and manifest; refuses anything unsafe."""

    def __init__(self, path: Path, limits: Limits | None = None) -> None:
        self.path = path
        self.limits = limits or Limits()
        try:
            self._zip = zipfile.ZipFile(path)
        except FileNotFoundError as exc:
            raise BundleError(path, _("文件不存在")) from exc
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
            raise BundleError(path, _("不是有效的案例包（不是 zip 文件或已损坏）")) from exc
        try:
            self._check_entries()
            self.manifest = self._read_manifest()
        except BaseException:
            self._zip.close()
            raise

    def __enter__(self) -> BundleReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the file."""
        self._zip.close()

    def error(self, message: str, member: str | None = None, line: int | None = None) -> BundleError:
        """A ``BundleError`` pointing at a member (and a line of it)."""
        where = ""
        if member and line:
            where = _("{member} 第 {line} 行：").format(member=member, line=line)
        elif member:
            where = _("{member}：").format(member=member)
        return BundleError(self.path, where + message)

    def _check_entries(self) -> None:
        infos = self._zip.infolist()
        lim = self.limits
        if len(infos) > lim.max_members:
            raise self.error(_("条目过多（{n} 个，上限 {max} 个）").format(n=len(infos), max=lim.max_members))
        seen: set[str] = set()
        total = 0
        for info in infos:
            name = info.filename
            if not _safe_name(name):
                raise self.error(_("条目路径不安全（指向包外或为绝对路径）：{name}").format(name=_short(name, 80)))
            if name in seen:
                raise self.error(_("条目重复：{name}").format(name=name))
            seen.add(name)
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise self.error(_("条目是链接，不予接受：{name}").format(name=name))
            if info.flag_bits & 0x1:
                raise self.error(_("条目已加密，无法读取：{name}").format(name=name))
            if info.is_dir():
                continue
            if info.file_size > lim.max_member_bytes:
                raise self.error(_("条目过大：{name}（{mb:.0f} MB）").format(name=name, mb=info.file_size / MiB))
            total += info.file_size
            if total > lim.max_total_bytes:
                raise self.error(_("解压后总大小超过上限（{mb:.0f} MB）").format(mb=lim.max_total_bytes / MiB))
            if info.file_size > lim.ratio_floor and info.file_size > lim.max_ratio * max(info.compress_size, 1):
                raise self.error(
                    _("条目压缩比异常（{ratio:.0f} 倍），疑似压缩炸弹：{name}").format(
                        ratio=info.file_size / max(info.compress_size, 1), name=name
                    )
                )

    def _read_manifest(self) -> Manifest:
        try:
            info = self._zip.getinfo(MANIFEST)
        except KeyError:
            raise self.error(_("缺少清单 {m}，不是案例包").format(m=MANIFEST)) from None
        if info.file_size > self.limits.max_manifest_bytes:
            raise self.error(_("清单过大"), MANIFEST)
        try:
            with self._zip.open(info) as f:
                raw = f.read(self.limits.max_manifest_bytes + 1)
            data = _loads(raw)
        except ControlCharacterError as exc:
            raise self.error(_control_message(exc), MANIFEST) from exc
        except (UnicodeError, json.JSONDecodeError, RecursionError) as exc:  # RecursionError: nested too deeply
            raise self.error(_("不是有效的 JSON：{reason}").format(reason=_short(str(exc))), MANIFEST) from exc
        except _UNREADABLE as exc:
            raise self.error(_("无法读取（文件已损坏）"), MANIFEST) from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise self.error(_("不是试点案例库的案例包"), MANIFEST)
        version = data.get("format_version")
        if isinstance(version, int) and version > FORMAT_VERSION:
            raise self.error(
                _("由较新版本的试点案例库导出（格式版本 {v}，本软件支持到 {mine}），请先升级本软件").format(
                    v=version, mine=FORMAT_VERSION
                )
            )
        error = next(iter(sorted(validator(None).iter_errors(data), key=lambda e: list(e.absolute_path))), None)
        if error is not None:
            raise self.error(_schema_problem(error), MANIFEST)
        if data["exported_at"]:  # the pattern lets an impossible day through, e.g. 2025-02-30
            try:
                datetime.fromisoformat(data["exported_at"].replace("Z", "+00:00"))
            except ValueError as exc:
                raise self.error(_("日期无效：{reason}").format(reason=exc), MANIFEST) from exc
        members: dict[str, Any] = data["members"]
        present = {i.filename for i in self._zip.infolist() if not i.is_dir()} - {MANIFEST}
        missing = sorted(set(members) - present)
        if missing:
            raise self.error(_("清单列出的条目不在包中：{names}").format(names=_short(_("、").join(missing))))
        extra = sorted(present - set(members))
        if extra:
            raise self.error(_("包中有清单未列出的条目：{names}").format(names=_short(_("、").join(extra))))
        for name, expected in members.items():
            if self._zip.getinfo(name).file_size != expected["size"]:
                raise self.error(_("大小与清单不符"), name)
        return Manifest(
            format_version=data["format_version"],
            app_version=data["app_version"],
            library=data["library"],
            unit=data["unit"],
            editor=data["editor"],
            exported_at=data["exported_at"],
            selection=data.get("selection", ""),
            counts=data["counts"],
            members=members,
        )

    @contextmanager
    def _member(self, name: str) -> Iterator[_CheckedStream]:
        expected = self.manifest.members[name]
        try:
            with self._zip.open(name) as raw:
                yield _CheckedStream(raw, expected, lambda m: self.error(m, name))
        except _UNREADABLE as exc:
            if isinstance(exc, BundleError):
                raise
            raise self.error(_("无法读取（文件已损坏）：{reason}").format(reason=_short(str(exc))), name) from exc

    def records(self, kind: str, *, validate: bool = True) -> Iterator[tuple[int, dict[str, Any]]]:
        """The records of ``kind`` as (line number, object), each checked against the schema
        (unless ``validate`` is off: a second pass over a member already checked); the member's
        checksum is checked when the last line has been read."""
        name = records_member(kind)
        if name not in self.manifest.members:
            return
        check = validator(kind)
        limit = self.limits.max_line_bytes
        with self._member(name) as stream:
            buffered = io.BufferedReader(stream, buffer_size=_CHUNK)
            number = 0
            while True:
                line = buffered.readline(limit + 1)
                if not line:
                    break
                number += 1
                if len(line) > limit and not line.endswith(b"\n"):
                    raise self.error(_("记录过长"), name, number)
                if not line.strip():
                    continue
                try:
                    obj = _loads(line)
                except ControlCharacterError as exc:
                    raise self.error(_control_message(exc), name, number) from exc
                except (UnicodeError, json.JSONDecodeError, RecursionError) as exc:  # RecursionError: nested too deeply
                    raise self.error(
                        _("不是有效的 JSON：{reason}").format(reason=_short(str(exc))), name, number
                    ) from exc
                if validate and not check.is_valid(obj):
                    error = min(check.iter_errors(obj), key=lambda e: list(e.absolute_path))
                    raise self.error(_schema_problem(error), name, number)
                yield number, obj
            stream.verify()

    def check_photo(self, member: str) -> None:
        """Refuse a photo member that is not an image of a known kind, or is too large."""
        self._photo(member, None)

    def extract_photo(self, member: str, target: Path) -> None:
        """Copy a photo member to ``target`` (checked as in ``check_photo``)."""
        self._photo(member, target)

    def _photo(self, member: str, target: Path | None) -> None:
        if member not in self.manifest.members or not member.startswith("photos/"):
            raise self.error(_("照片不在包中"), member)
        size = self.manifest.members[member]["size"]
        if size > self.limits.max_photo_bytes:
            raise self.error(_("照片过大（{mb:.0f} MB）").format(mb=size / MiB), member)
        with self._member(member) as stream:
            buffered = io.BufferedReader(stream, buffer_size=_HEADER)
            header = buffered.peek(_HEADER)
            problem = image_problem(header, self.limits)
            if problem and len(header) >= size:
                raise self.error(problem, member)
            # The whole photo (at most ``max_photo_bytes``): the kind or size may lie further in (a
            # compressed TIFF keeps its directory at its end), and it must decode to its end.
            whole = buffered.read()
            stream.verify()
            if problem:
                self._check_image(member, whole)
            broken = decode_problem(whole)
            if broken:
                raise self.error(_("照片已损坏或不完整（{reason}）").format(reason=_short(broken, 80)), member)
            if target is not None:
                out = target.open("xb")
                try:
                    with out:
                        out.write(whole)
                except BaseException:
                    target.unlink(missing_ok=True)  # no half-written or unverified copy stays behind
                    raise

    def _check_image(self, member: str, header: bytes) -> None:
        problem = image_problem(header, self.limits)
        if problem:
            raise self.error(problem, member)

    def photo_members(self) -> list[str]:
        """The photo members the manifest lists."""
        return sorted(m for m in self.manifest.members if m.startswith("photos/"))
