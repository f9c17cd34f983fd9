"""Import contracts between the layers, and the command line staying light.

The contracts are read from the source (every import statement, also those inside
functions), so a lazy import that breaks a layer is caught too."""

from __future__ import annotations

import ast
import functools
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "sip_tui"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports at run time (imports under ``if TYPE_CHECKING`` are only for the type checker)."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)  # `from . import x` imports a module
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


@functools.cache
def _graph() -> dict[str, set[str]]:
    return {_module_name(path): _imports(path) for path in PACKAGE.rglob("*.py")}


def _within(name: str, layer: str) -> bool:
    return name == layer or name.startswith(layer + ".")


def _reached(start: str) -> set[str]:
    """Every module ``start`` imports directly or through other sip_tui modules."""
    graph, seen, todo = _graph(), set(), [start]
    while todo:
        for target in graph.get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                if target in graph:
                    todo.append(target)
    return seen


def _modules(layer: str) -> list[str]:
    modules = sorted(name for name in _graph() if _within(name, layer))
    assert modules, layer
    return modules


def _breaches(layer: str, forbidden: tuple[str, ...], transitive: bool = True) -> list[str]:
    return [
        f"{module} -> {target}"
        for module in _modules(layer)
        for target in sorted(_reached(module) if transitive else _graph()[module])
        if any(_within(target, name) for name in forbidden)
    ]


def test_models_are_pure():
    """Rules and data only: no UI toolkit, no wording (the catalogue), no storage."""
    assert _breaches("sip_tui.models", ("textual", "sip_tui.catalogue", "sip_tui.i18n", "sip_tui.store")) == []


def test_the_store_knows_nothing_of_export_service_or_screens():
    forbidden = ("sip_tui.export", "sip_tui.service", "sip_tui.screens", "sip_tui.app", "textual")
    assert _breaches("sip_tui.store", forbidden) == []


def test_screens_do_not_import_the_store():
    """Screens go through the service (``self.app.service``); the app wires the store in."""
    assert _breaches("sip_tui.screens", ("sip_tui.store",), transitive=False) == []


def test_export_imports_no_screen():
    assert _breaches("sip_tui.export", ("sip_tui.screens", "sip_tui.app", "textual")) == []


def test_widgets_import_no_screen():
    """Widgets are the screens' building blocks: they never reach back into a screen."""
    assert _breaches("sip_tui.widgets", ("sip_tui.screens", "sip_tui.app")) == []


def test_the_atomic_writer_stands_alone():
    """The store and the export both write through ``sip_tui.files``: it needs neither of them, nor Textual."""
    assert _breaches("sip_tui.files", ("sip_tui", "textual")) == []


def test_the_contracts_see_imports():
    """The checker itself finds a real import, so an empty list above means something."""
    assert _breaches("sip_tui.screens", ("textual",), transitive=False)
    assert "sip_tui.store" in _reached("sip_tui.service")


# -- the command line stays light ---------------------------------------------------------------------------

_CHILD = """
import json, sys
from sip_tui.cli import main
code = main(sys.argv[1:])
heavy = sorted({name.split(".")[0] for name in sys.modules} & {"textual", "docx", "lxml"})
print(json.dumps({"code": code, "heavy": heavy}), file=sys.stderr)
"""


@pytest.mark.parametrize("argv", [["followups", "--json"], ["list"]], ids=["followups-json", "list"])
def test_cli_listing_loads_neither_textual_nor_python_docx(tmp_path, argv):
    """A scripted `sip-tui list` must start fast: the TUI toolkit and the Word writer stay unloaded."""
    env = {"SIP_TUI_STORE": str(tmp_path / "store"), "SIP_TUI_LANG": "en", "PATH": "", "HOME": str(tmp_path)}
    child = subprocess.run(
        [sys.executable, "-c", _CHILD, *argv], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    report = json.loads(child.stderr.strip().splitlines()[-1])
    assert report == {"code": 0, "heavy": []}, child.stderr
