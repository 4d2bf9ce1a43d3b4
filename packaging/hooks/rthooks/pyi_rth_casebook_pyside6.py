"""Run-time hook for PySide6 in the frozen application, in place of PyInstaller's own.

PyInstaller's hook imports ``PySide6.QtCore`` as the program starts, only to find that the PySide6
wheel has already made Qt relocatable; that costs every command (``casebook --version`` included)
the 50-60 ms of loading Qt. This one only points Qt at the bundled plugins (and, on Windows and for
a bare macOS folder, at the bundled libraries), leaving Qt to be loaded when the program uses it.
The bundle keeps the wheel's layout (``PySide6/Qt/{lib,plugins,translations}``; ``PySide6/`` on
Windows), from which Qt finds its own prefix.
"""


def _casebook_rthook() -> None:
    import os
    import sys

    bundle = sys._MEIPASS  # type: ignore[attr-defined]
    windows = sys.platform.startswith("win")
    qt_dir = os.path.join(bundle, "PySide6") if windows else os.path.join(bundle, "PySide6", "Qt")
    os.environ["QT_PLUGIN_PATH"] = os.path.join(qt_dir, "plugins")

    def prepend(name: str, path: str) -> None:
        current = os.environ.get(name)
        os.environ[name] = path + (os.pathsep + current if current else "")

    if windows:
        prepend("PATH", bundle)
    elif sys.platform == "darwin" and ".app" + os.sep + "Contents" not in bundle:
        prepend("DYLD_LIBRARY_PATH", bundle)


_casebook_rthook()
del _casebook_rthook
