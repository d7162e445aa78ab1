"""The direction of imports: ``core`` is the ground and reaches up into no other app."""

from __future__ import annotations

import ast
from pathlib import Path

import sportello

PACKAGE = Path(sportello.__file__).parent
APPS = sorted(
    path.name for path in PACKAGE.iterdir() if (path / "apps.py").exists() and path.name != "core"
)


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at any depth (``TYPE_CHECKING`` blocks too)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.ImportFrom) and node.level >= 2:
            # ``from ..billing import x`` inside core would climb out of it.
            found.add(f"sportello.{node.module or ''}")
    return found


def test_it_keeps_core_free_of_domain_apps() -> None:
    assert "billing" in APPS and "portal" in APPS  # the walk sees the apps
    reaching_up = {
        f"{path.relative_to(PACKAGE)}: {module}"
        for path in (PACKAGE / "core").rglob("*.py")
        for module in imported_modules(path)
        if any(
            module == f"sportello.{app}" or module.startswith(f"sportello.{app}.") for app in APPS
        )
    }
    assert reaching_up == set()
