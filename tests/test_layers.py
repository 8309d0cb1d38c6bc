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
    "notifications": 0,
    "consents": 0,
    "organisations": 1,
    "casefiles": 2,
    "blend": 2,
    "messaging": 2,
    "appointments": 2,
    "diary": 2,
    "outcomes": 2,
    "exports": 2,
    "privacy": 2,
    "learning": 2,
    "preparation": 2,
    "benchmark": 2,
    "feedback": 2,
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


def _module_imports(path: Path, modules: set[str]) -> set[str]:
    """The project modules ``path`` imports (also inside functions)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                if f"{node.module}.{alias.name}" in modules:
                    found.add(f"{node.module}.{alias.name}")
                elif node.module in modules:
                    found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in modules)
    return found


def test_no_import_cycles() -> None:
    """No two modules import each other, directly or around a loop — not
    even through an import inside a function (the usual way to hide one)."""
    modules = _modules()
    graph = {name: _module_imports(path, set(modules)) for name, path in modules.items()}
    cycles = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for imported in sorted(graph[module]):
            if state.get(imported) == 1:
                cycles.append([*path[path.index(imported) :], imported])
            elif imported not in state:
                visit(imported, [*path, imported])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, f"Import cycles: {cycles}"


# What one capability may use of another: its services (changes), selectors
# (reads), access (getters), and the case file's shared timeline and upload
# check. Never another capability's models: those are its own business.
PUBLIC_MODULES = {"services", "selectors", "access", "timeline", "uploads"}


def _runtime_import_froms(path: Path) -> list[ast.ImportFrom]:
    """Every ``from x import y`` outside ``if TYPE_CHECKING:`` blocks (a
    type-only import couples nothing at run time)."""
    found: list[ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for statement in node.orelse:
                visit(statement)
            return
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(), filename=str(path)))
    return found


def test_capabilities_use_each_other_only_through_public_modules() -> None:
    capabilities = {app for app, layer in LAYERS.items() if layer == LAYER_NAMES.index("capabilities")}
    wrong = []
    for module, path in _modules().items():
        own = module.split(".")[0]
        # Demo data (make run) spans every capability, like the composition root.
        if own not in capabilities or module.endswith(".demo"):
            continue
        for node in _runtime_import_froms(path):
            assert node.module is not None
            app, *rest = node.module.split(".")
            if app not in capabilities or app == own:
                continue
            names = {alias.name for alias in node.names} if not rest else {rest[0]}
            if not names <= PUBLIC_MODULES:
                wrong.append(f"{module} imports {node.module}: {sorted(names - PUBLIC_MODULES)}")
    assert not wrong, f"Use another capability through {sorted(PUBLIC_MODULES)} only: {wrong}"


def test_every_app_has_a_layer() -> None:
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps <= set(LAYERS), f"Give the new app a layer in LAYERS: {apps - set(LAYERS)}"
