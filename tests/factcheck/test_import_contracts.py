"""The two contract types of our own (tests/import_contracts.py) break where they should.

import-linter's own contracts are import-linter's to test; these are ours, so each gets a graph
that keeps it and one that breaks it. `make lint` runs all of them on the real code.
"""

from __future__ import annotations

import grimp
import pytest

from tests.import_contracts import (
    AcyclicModulesContract,
    ForbiddenSubmoduleContract,
    strongly_connected,
)


def graph(*imports: tuple[str, str, str]) -> grimp.ImportGraph:
    built = grimp.ImportGraph()
    for importer, imported, line in imports:
        built.add_module(importer.split(".")[0])
        built.add_module(importer)
        built.add_import(importer=importer, imported=imported, line_number=1, line_contents=line)
    return built


def no_django_db(modules: list[str]) -> ForbiddenSubmoduleContract:
    return ForbiddenSubmoduleContract(
        name="no django.db",
        session_options={"root_packages": ["analysis"], "include_external_packages": "True"},
        contract_options={
            "source_modules": modules,
            "external_package": "django",
            "forbidden_prefixes": ["django.db"],
        },
    )


def acyclic(packages: list[str]) -> AcyclicModulesContract:
    return AcyclicModulesContract(
        name="acyclic",
        session_options={"root_packages": packages},
        contract_options={"packages": packages},
    )


@pytest.mark.parametrize(
    "line",
    ["from django.db import models", "import django.db.models", "from django.db.models import Q"],
)
def test_a_django_db_import_breaks_the_contract(line: str) -> None:
    imports = graph(("analysis.text", "django", line))
    check = no_django_db(["analysis"]).check(imports, verbose=False)
    assert not check.kept
    assert check.metadata["found"] == [f"analysis.text:1: {line}"]


@pytest.mark.parametrize(
    "line",
    ["from django.conf import settings", "from django.core.management import BaseCommand"],
)
def test_other_django_imports_keep_it(line: str) -> None:
    imports = graph(("analysis.management.commands.assess", "django", line))
    assert no_django_db(["analysis"]).check(imports, verbose=False).kept


def test_a_cycle_through_a_package_init_breaks_it_and_a_chain_does_not() -> None:
    chain = graph(("app.a", "app.b", "import app.b"), ("app.b", "app.c", "import app.c"))
    assert acyclic(["app"]).check(chain, verbose=False).kept
    looped = graph(
        ("app.pkg", "app.pkg.rules", "from app.pkg import rules"),
        ("app.pkg.rules", "app.pkg", "from app.pkg import Reading"),
    )
    check = acyclic(["app"]).check(looped, verbose=False)
    assert not check.kept
    assert check.metadata["cycles"] == [["app.pkg", "app.pkg.rules"]]


def test_strongly_connected_finds_each_cycle_once() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a", "e"}, "e": {"d"}, "f": set()}
    groups = sorted(sorted(g) for g in strongly_connected(edges) if len(g) > 1)
    assert groups == [["a", "b", "c"], ["d", "e"]]
