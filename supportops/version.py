"""The installed version of supportops, recorded in every report and evidence manifest."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("supportops")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+source"
