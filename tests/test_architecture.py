"""The package layout (docs/architecture.md): arrows only downward, no import cycles, no private
name used outside its module, and the core importable without the terminal or the readers."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "esgcli"
# A module may import from its own stage and the stages below it (lower rank), never above.
RANK = {"base": 0, "questionnaire": 1, "answers": 2, "registry": 2, "engine": 3, "outputs": 4,
        "reports": 5, "cli": 6}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path) -> list[tuple[str, list[str], int]]:
    """(module, names, line) of every import of an esgcli module, at any depth (lazy ones too)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                and node.module.split(".")[0] == "esgcli":
            found.append((node.module, [a.name for a in node.names], node.lineno))
        elif isinstance(node, ast.ImportFrom) and node.level:
            found.append(("." * node.level + (node.module or ""), [], node.lineno))
        elif isinstance(node, ast.Import):
            found += [(a.name, [], node.lineno) for a in node.names if a.name.split(".")[0] == "esgcli"]
    return found


def stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in RANK else None


def targets(module: str, names: list[str], known: dict[str, Path]) -> list[str]:
    """The esgcli modules an import statement loads (`from esgcli.x import y` may name a module)."""
    found = [f"{module}.{n}" for n in names if f"{module}.{n}" in known]
    return found or ([module] if module in known else [])


def test_imports_are_absolute() -> None:
    relative = [f"{name}:{line}" for name, path in modules().items()
                for module, _, line in imports(path) if module.startswith(".")]
    assert relative == []


def test_arrows_only_downward() -> None:
    known = modules()
    upward = []
    for name, path in known.items():
        here = stage(name)
        if here is None:
            continue
        for module, names, line in imports(path):
            for target in targets(module, names, known):
                there = stage(target)
                if there is not None and RANK[there] > RANK[here]:
                    upward.append(f"{name}:{line} imports {target}")
    assert upward == []


def test_no_import_cycles() -> None:
    known = modules()
    graph = {name: {t for module, names, _ in imports(path) for t in targets(module, names, known)
                    if t != name and t != "esgcli"}
             for name, path in known.items()}
    cycles = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" → ".join([*stack[stack.index(nxt):], nxt]))
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert cycles == []


def test_no_private_name_used_outside_its_module() -> None:
    used = []
    for name, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("esgcli"):
                used += [f"{name}:{node.lineno} {node.module}.{a.name}" for a in node.names
                         if a.name.startswith("_") and not a.name.startswith("__")]
    assert used == []


@pytest.mark.parametrize(("module", "absent"), [
    ("esgcli.engine.scoring", ["typer", "rich", "python_calamine", "fastexcel", "openpyxl",
                               "esgcli.answers.read", "esgcli.answers.workbook"]),
    ("esgcli.engine.certification", ["typer", "rich", "python_calamine", "openpyxl"]),
    ("esgcli.answers.read", ["typer", "rich"]),
    ("esgcli.registry.core", ["typer", "rich", "pandas"]),
    ("esgcli.reports.html", ["typer", "rich"]),
])
def test_layers_load_without_what_they_do_not_need(module: str, absent: list[str]) -> None:
    code = (f"import sys, {module}\n"
            f"print(','.join(m for m in {absent!r} if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == ""
