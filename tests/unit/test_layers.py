"""The layers of desktop/ depend one way: only ui/ and app.py use Qt; domain/ uses nothing of ours."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "desktop"

# What each layer may import from the package (besides itself).
ALLOWED = {
    "domain": {"desktop.domain.i18n"},
    "search": {"desktop.domain", "desktop.domain.i18n"},
    "store": {"desktop.domain", "desktop.domain.i18n", "desktop.paths", "desktop.files"},
    "briefs": {"desktop.domain", "desktop.domain.i18n", "desktop.paths", "desktop.files", "desktop.images"},
    "exchange": {"desktop.domain", "desktop.domain.i18n", "desktop.paths", "desktop.files", "desktop.images"},
    "services": {
        "desktop.domain",
        "desktop.store",
        "desktop.search",
        "desktop.briefs",
        "desktop.exchange",
        "desktop.domain.i18n",
        "desktop.paths",
        "desktop.files",
    },
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_only_ui_and_app_import_qt() -> None:
    offenders = []
    for path in _modules():
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith("ui/") or rel == "app.py":
            continue
        if any(name.split(".")[0] == "PySide6" for name in _imports(path)):
            offenders.append(rel)
    assert offenders == []


def test_layers_depend_one_way() -> None:
    offenders = []
    for path in _modules():
        layer = path.relative_to(PACKAGE).parts[0]
        if layer not in ALLOWED:
            continue
        own = f"desktop.{layer}"
        for name in _imports(path):
            if not name.startswith("desktop") or name == "desktop" or name == own or name.startswith(own + "."):
                # ``desktop`` itself holds only the version
                continue
            if not any(name == a or name.startswith(a + ".") for a in ALLOWED[layer]):
                offenders.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert offenders == []


def test_domain_uses_only_the_standard_library() -> None:
    for path in (PACKAGE / "domain").rglob("*.py"):
        for name in _imports(path):
            assert name.split(".")[0] not in {"sqlalchemy", "reportlab", "PySide6", "alembic"}, (path, name)


def test_every_module_says_what_it_is_for() -> None:
    missing = [
        p.relative_to(PACKAGE).as_posix()
        for p in _modules()
        if ast.get_docstring(ast.parse(p.read_text(encoding="utf-8"))) is None
    ]
    assert missing == []


def _ui_calls(attr_names: set[str]) -> list[str]:
    """``module: line`` of every call in ui/ (and app.py) of an attribute named in ``attr_names``."""
    found = []
    for path in [*(PACKAGE / "ui").rglob("*.py"), PACKAGE / "app.py"]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in attr_names:
                target = node.func.value
                if attr_names == {"emit"} and not (isinstance(target, ast.Attribute) and target.attr == "changed"):
                    continue
                found.append(f"{path.relative_to(PACKAGE).as_posix()}:{node.lineno}")
    return found


def test_no_view_announces_changes_by_hand() -> None:
    """Only ``Operations`` broadcasts change sets: the ones services return and the change log's."""
    emits = [c for c in _ui_calls({"emit"}) if not c.startswith("ui/operations.py:")]
    broadcasts = [c for c in _ui_calls({"broadcast"}) if not c.startswith("ui/operations.py:")]
    assert emits == [] and broadcasts == []


def test_ui_writes_only_through_operations() -> None:
    """A view never opens a unit of work or calls a service's write outside ``Operations.write``: every
    ``book.<service>.<write>`` in ui/ sits in a function handed to ``ops.write``."""
    writes = {"unit_of_work", "write_snapshots"}
    assert _ui_calls(writes) == []
    for path in (PACKAGE / "ui").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "TaskRunner" not in text and "structure_changed" not in text and "cases_changed" not in text, path
