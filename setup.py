"""The package list, computed; everything else is in pyproject.toml.

The built-in rule pack lives in the top-level rules/ folder and ships as
k8slint.rules (see [tool.setuptools.package-dir]). Every rules/<family>/
folder with an __init__.py is one more package, k8slint.rules.<family>;
they are found here so that adding a family needs no edit to the packaging.
``[tool.setuptools.packages.find]`` cannot say this: it finds them as
``rules.<family>``, and package-dir does not rename what it finds.
"""

import os

from setuptools import find_packages, setup

HERE = os.path.dirname(os.path.abspath(__file__))

setup(
    packages=[
        *find_packages(where=HERE, include=["k8slint", "k8slint.*"]),
        "k8slint.rules",
        *(f"k8slint.rules.{name}" for name in find_packages(where=os.path.join(HERE, "rules"))),
        "k8slint.schemas",
    ],
)
