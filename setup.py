"""Packages of the `supportops` namespace, gathered from its five roots (see docs/architecture.md).

setuptools' `packages.find` maps a package name to one folder, so it cannot combine the core with the
wings; this lists every package with the folder it lives in. Everything else is in pyproject.toml.
"""

from pathlib import Path

from setuptools import find_namespace_packages, setup

ROOTS = (".", "stacks", "policies", "runbooks", "cli")

package_dir: dict[str, str] = {}
for root in ROOTS:
    for package in find_namespace_packages(root, include=["supportops", "supportops.*"]):
        if "__pycache__" not in package:
            package_dir.setdefault(package, Path(root, *package.split(".")).as_posix())

setup(packages=sorted(package_dir), package_dir=package_dir)
