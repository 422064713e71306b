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


def test_the_postgresql_driver_is_imported_by_the_store_alone_and_only_for_a_url(seed_db):
    """psycopg is the `postgres` extra: db/store.py is the one module that imports it, and only
    when a URL is opened; a SQLite user's commands never load it."""
    import subprocess
    import sys

    importers = {
        str(p.relative_to(ROOT))
        for folder in ("db", "tui", "ingest")
        for p in (ROOT / folder).glob("*.py")
        if "psycopg" in imported_packages(p)
    } | {p.name for p in (ROOT / "cli.py", ROOT / "pipeline.py") if "psycopg" in imported_packages(p)}
    assert importers == {"db/store.py"}
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from cli import run; sys.argv[1:] = ['list', '--db', sys.argv[1]]\n"
            "try:\n    run()\nexcept SystemExit:\n    pass\nprint('psycopg' in sys.modules, file=sys.stderr)",
            str(seed_db),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stderr.strip().splitlines()[-1] == "False" and "Tehran" in loaded.stdout
