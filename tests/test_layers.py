"""The layers, read from the imports: core → tenancy → capabilities → pages.

A lower layer never imports a higher one; it calls registered hooks instead
(``samenspraak/hooks.py``). This test reads every import in the project's
code (also imports inside functions) and fails on a new one that goes
upwards. Imports that still go upwards today are listed in ``KNOWN_UPWARD``
with the reason they remain; the list may only shrink: an entry that no
longer exists fails too, so whoever removes an upward import also removes
its line here. See the README, "How the code is laid out".
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)

LAYERS = {
    "samenspraak": 0,
    "accounts": 0,
    "audit": 0,
    "ratelimits": 0,
    "organisations": 1,
    "casefiles": 2,
    "blend": 2,
    "messaging": 2,
    "appointments": 2,
    "pages": 3,
}
LAYER_NAMES = ["core", "tenancy", "capabilities", "pages"]

# The composition root: URL and socket routing and settings name every app,
# and the demo organisation (make run) is filled with every capability.
COMPOSITION_ROOT = {
    "samenspraak.urls",
    "samenspraak.asgi",
    "samenspraak.settings",
    "samenspraak.settings_test",
    "organisations.management.commands.seed_demo",
}

# Upward imports that remain, importer module → higher apps it imports. Each
# goes when its part of the layering issue is done.
KNOWN_UPWARD: dict[str, set[str]] = {
    # Trusted-person grants are tenancy data the policy core reads; that
    # import stays, inside the grant lookup. (The capability getters live in
    # each capability's access.py: the core imports no capability.)
    "samenspraak.policy": {"organisations"},
    # Staff invitation form lists teams (tenancy) from the accounts app.
    "accounts.forms": {"organisations"},
    # A resident invited by a worker lands on that worker's caseload.
    "accounts.services": {"organisations"},
}


def _modules() -> dict[str, Path]:
    found = {}
    for app in LAYERS:
        for path in (ROOT / app).rglob("*.py"):
            relative = path.relative_to(ROOT)
            parts = relative.with_suffix("").parts
            if "tests" in parts or "migrations" in parts:
                continue
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    apps: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            apps.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            apps.add(node.module.split(".")[0])
    return apps & set(LAYERS)


def _upward_imports() -> dict[str, set[str]]:
    upward: dict[str, set[str]] = {}
    for module, path in _modules().items():
        if module in COMPOSITION_ROOT:
            continue
        own = LAYERS[module.split(".")[0]]
        higher = {app for app in _imported_apps(path) if LAYERS[app] > own}
        if higher:
            upward[module] = higher
    return upward


def test_no_layer_imports_a_higher_one() -> None:
    upward = _upward_imports()
    new = {
        module: apps - KNOWN_UPWARD.get(module, set())
        for module, apps in upward.items()
        if apps - KNOWN_UPWARD.get(module, set())
    }
    assert not new, (
        "A lower layer imports a higher one (core → tenancy → capabilities → pages). "
        f"Call a hook instead (samenspraak/hooks.py): {new}"
    )


def test_the_list_of_known_upward_imports_only_shrinks() -> None:
    upward = _upward_imports()
    gone = {
        module: apps - upward.get(module, set())
        for module, apps in KNOWN_UPWARD.items()
        if apps - upward.get(module, set())
    }
    assert not gone, f"These upward imports are gone: remove them from KNOWN_UPWARD: {gone}"


def test_every_app_has_a_layer() -> None:
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps <= set(LAYERS), f"Give the new app a layer in LAYERS: {apps - set(LAYERS)}"
