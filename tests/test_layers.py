"""What pipeline.py itself imports: the one layer rule `lint-imports` cannot check, for import-linter
takes only packages as roots (see .importlinter). Imports *of* pipeline and cli are checked there."""

import ast
from pathlib import Path

from tests.helpers import ROOT


def imported_packages(path: Path) -> set[str]:
    """The top-level names a module imports, anywhere in it (imports inside functions included)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_the_pipeline_imports_neither_the_app_nor_a_terminal_library():
    assert {"tui", "pipeline", "db"} <= imported_packages(ROOT / "cli.py")  # the reader sees imports in functions
    assert imported_packages(ROOT / "pipeline.py") & {"tui", "cli", "textual", "rich"} == set()
