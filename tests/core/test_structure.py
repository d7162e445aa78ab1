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


#: The floors of the project, from the ground up: an app may import its own
#: floor's apps and those below, never above (DESIGN.md, "Direction of imports").
FLOORS = [
    {"core"},
    {"customers"},
    # Notices speak to users (their language, addresses, preferences, digests).
    {"accounts", "energy", "notices"},
    {"leasing"},
    {"billing", "documents", "servicedesk"},
    # The imports and the API load and read back every domain app's objects.
    {"statements", "portal", "backoffice", "integration", "demo"},
]


def floor_of(app: str) -> int:
    return next(number for number, apps in enumerate(FLOORS) if app in apps)


def test_it_knows_the_floor_of_every_app() -> None:
    assert set(APPS) | {"core"} == set().union(*FLOORS)


def test_it_keeps_every_import_pointing_down() -> None:
    reaching_up = set()
    for app in APPS:
        for path in (PACKAGE / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for module in imported_modules(path):
                parts = module.split(".")
                if parts[0] != "sportello" or len(parts) < 2 or parts[1] not in set(APPS):
                    continue
                if floor_of(parts[1]) > floor_of(app):
                    reaching_up.add(f"{path.relative_to(PACKAGE)}: {module}")
    assert reaching_up == set()
