"""试点案例库 · Pilot Casebook: a library of Zhejiang's pilots, experiments and model cases."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("pilot-casebook")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
