"""The client's build backend: setuptools as the machine has it (Debian's python3-setuptools), fetched from nowhere.

pip builds a project in an isolated environment holding only the project's build requirements, which it downloads.
A machine with no package index (a desk's, or CI's) has setuptools and wheel installed but cannot download them, so
this backend declares no requirement and takes setuptools, and the wheel package it asks for, from the interpreter's
own site directories, which the isolation hides.
"""

import importlib.util
import re
import site
import sys

if importlib.util.find_spec("setuptools") is None:
    sys.path.extend(path for path in site.getsitepackages() if path not in sys.path)

try:
    from setuptools import build_meta as _setuptools
except ImportError as error:  # pragma: no cover - a machine without setuptools
    raise ImportError(
        "building jao-scraper needs setuptools 61 or later: install Debian's python3-setuptools "
        "(or `pip install setuptools` where an index is reachable)"
    ) from error

build_sdist = _setuptools.build_sdist
build_wheel = _setuptools.build_wheel
prepare_metadata_for_build_wheel = _setuptools.prepare_metadata_for_build_wheel
get_requires_for_build_sdist = _setuptools.get_requires_for_build_sdist


def _missing(requirements):
    """Those of setuptools' further requirements (`wheel`) that this interpreter cannot already import."""
    return [name for name in requirements if importlib.util.find_spec(_module_of(name)) is None]


def _module_of(requirement):
    """The importable name of a requirement such as `wheel>=0.36` (the project name up to its first specifier)."""
    return re.split(r"[\s<>=!~;\[]", requirement.strip(), maxsplit=1)[0].replace("-", "_")


def get_requires_for_build_wheel(config_settings=None):
    return _missing(_setuptools.get_requires_for_build_wheel(config_settings))


if hasattr(_setuptools, "build_editable"):
    build_editable = _setuptools.build_editable
    prepare_metadata_for_build_editable = _setuptools.prepare_metadata_for_build_editable

    def get_requires_for_build_editable(config_settings=None):
        return _missing(_setuptools.get_requires_for_build_editable(config_settings))
