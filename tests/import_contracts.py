"""A contract type for import-linter: forbid a submodule of an external package.

import-linter's own `forbidden` contract can forbid only a whole external package (`django`),
because the import graph squashes external packages to their top level. The line of each
import is still recorded, so this contract reads it: `analysis` may use Django's command and
settings machinery, but never `django.db`.
"""

from __future__ import annotations

import grimp
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


class ForbiddenSubmoduleContract(Contract):
    type_name = "forbidden_submodule"

    source_modules = fields.ListField(subfield=fields.ModuleField())
    external_package = fields.StringField()
    forbidden_prefixes = fields.ListField(subfield=fields.StringField())

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        package = str(self.external_package)
        found: list[str] = []
        for source in self.source_modules:  # type: ignore[attr-defined]
            for module in sorted({source.name} | graph.find_descendants(source.name)):
                if not graph.direct_import_exists(importer=module, imported=package):
                    continue
                for detail in graph.get_import_details(importer=module, imported=package):
                    line = detail["line_contents"]
                    if any(self._names(line, prefix) for prefix in self.forbidden_prefixes):  # type: ignore[attr-defined]
                        found.append(f"{module}:{detail['line_number']}: {line}")
        return ContractCheck(kept=not found, metadata={"found": found})

    @staticmethod
    def _names(line: str, prefix: str) -> bool:
        words = line.replace(",", " ").split()
        return any(word == prefix or word.startswith(prefix + ".") for word in words)

    def render_broken_contract(self, check: ContractCheck) -> None:
        for item in check.metadata["found"]:
            output.print_error(item)


class AcyclicModulesContract(Contract):
    """No module of a package imports, however indirectly, a module that imports it back.

    Stricter than import-linter's `acyclic_siblings`, which compares siblings only: a package
    whose `__init__` imports a child that imports the package back is a cycle here too.
    """

    type_name = "acyclic_modules"

    packages = fields.ListField(subfield=fields.ModuleField())

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        cycles: list[list[str]] = []
        for package in self.packages:  # type: ignore[attr-defined]
            modules = {package.name} | graph.find_descendants(package.name)
            edges = {m: graph.find_modules_directly_imported_by(m) & modules for m in modules}
            cycles += [sorted(group) for group in strongly_connected(edges) if len(group) > 1]
        return ContractCheck(kept=not cycles, metadata={"cycles": cycles})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for group in check.metadata["cycles"]:
            output.print_error("import cycle: " + " ↔ ".join(group))


def strongly_connected(edges: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's strongly connected components, iteratively (deep packages need no recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    found.append(_pop_component(stack, on_stack, node))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(edges[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


def _pop_component(stack: list[str], on_stack: set[str], node: str) -> set[str]:
    component = set()
    while True:
        member = stack.pop()
        on_stack.discard(member)
        component.add(member)
        if member == node:
            return component
