"""The backend's apps follow the data flow: each imports only apps above it, and only the studio draws.

Read from the source (every ``import`` statement, also those inside functions), not from what
happens to be loaded, so a lazy import cannot hide a violation.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from django.conf import settings

from pipeline.paths import REPO_ROOT

BACKEND = REPO_ROOT / "backend"

# The data flow, upstream first: the order of INSTALLED_APPS.
FLOW = ["limits", "genes", "portraits", "studio", "accounts", "moderation", "casts", "learning", "pages"]
# Shared by all and importing none of them.
FOUNDATIONS = {"common", "limits"}
# The project package (settings, root URLs) may import every app.
PROJECT = "iconoplasm"
# Apps of the same level that must not know each other.
SIBLINGS = {frozenset({"accounts", "moderation"})}


def imported_modules(path: Path) -> list[str]:
    """Every module ``path`` imports, relative imports made absolute."""
    package = ".".join(path.relative_to(REPO_ROOT).with_suffix("").parts[:-1])
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                names.append(".".join([*base, node.module] if node.module else base))
            else:
                names.append(node.module or "")
    return names


def backend_sources() -> list[Path]:
    return sorted(p for p in BACKEND.rglob("*.py") if "migrations" not in p.parts)


def violations() -> list[str]:
    found = []
    for path in backend_sources():
        owner = path.relative_to(BACKEND).parts[0]
        if owner.endswith(".py"):
            continue
        for module in imported_modules(path):
            parts = module.split(".")
            if module.startswith("pipeline.render") and owner != "studio":
                found.append(f"{path.relative_to(REPO_ROOT)} imports {module}: only the studio draws")
            if parts[0] != "backend" or len(parts) < 2 or parts[1] == owner:
                continue
            target = parts[1]
            if owner == PROJECT or target in FOUNDATIONS:
                continue
            if owner in FOUNDATIONS:
                found.append(
                    f"{path.relative_to(REPO_ROOT)} imports {module}: backend.{owner} is shared and imports no app"
                )
            elif target == PROJECT or target not in FLOW or owner not in FLOW:
                found.append(f"{path.relative_to(REPO_ROOT)} imports {module}: not a known app of the data flow")
            elif FLOW.index(target) > FLOW.index(owner):
                found.append(f"{path.relative_to(REPO_ROOT)} imports {module}: {target} is downstream of {owner}")
            elif frozenset({owner, target}) in SIBLINGS:
                found.append(
                    f"{path.relative_to(REPO_ROOT)} imports {module}: {owner} and {target} must stay independent"
                )
    return found


def test_no_app_imports_one_downstream_of_it_and_only_the_studio_imports_the_renderers():
    assert violations() == []


def test_the_checker_catches_a_downstream_import(tmp_path, monkeypatch):
    fake_backend = tmp_path / "backend"
    (fake_backend / "genes").mkdir(parents=True)
    (fake_backend / "genes" / "views.py").write_text(
        "def page():\n    from backend.portraits.selectors import candidates\n    import pipeline.render.blot\n"
    )
    (fake_backend / "moderation").mkdir()
    (fake_backend / "moderation" / "services.py").write_text("from ..accounts.models import Discovery\n")
    monkeypatch.setattr(sys.modules[__name__], "BACKEND", fake_backend)
    monkeypatch.setattr(sys.modules[__name__], "REPO_ROOT", tmp_path)
    assert violations() == [
        "backend/genes/views.py imports backend.portraits.selectors: portraits is downstream of genes",
        "backend/genes/views.py imports pipeline.render.blot: only the studio draws",
        "backend/moderation/services.py imports backend.accounts.models: moderation and accounts must stay independent",
    ]


def test_the_flow_is_the_order_of_installed_apps():
    ours = [app.split(".")[1] for app in settings.INSTALLED_APPS if app.startswith("backend.")]
    assert ours == FLOW
