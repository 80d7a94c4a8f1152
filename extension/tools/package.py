"""Build the extension's packages: dist/iconoplasm-chromium-<version>.zip and
dist/iconoplasm-firefox-<version>.zip (`./dev package` runs this).

    python extension/tools/package.py [--out DIR] [--no-lint]

One folder serves both browsers unpacked, at the price of keys each browser reports and ignores
(Chromium the background scripts and the blocking webRequest permission, Firefox the service
worker); each package carries only its own browser's keys, and only what runs in the browser:
the top-level entries in SHIPPED (never the unit tests, their fixtures or these tools) and the
project's licence. The version is the project's, from pyproject.toml; extension/manifest.json
must say the same, so the unpacked folder and the packages never disagree. A package whose
manifest or pages name a file it lacks (a vendored library not copied yet) is refused, and the
Firefox package is checked by `web-ext lint` (Mozilla's add-on linter, from package.json) as
addons.mozilla.org would check it.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import re
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath

from pipeline.paths import REPO_ROOT

EXTENSION = REPO_ROOT / "extension"
# What runs in the browser: a new top-level folder the extension uses (a vendored library such as
# vendor/, a build output such as build/) joins this list; one that is missing is skipped, and the reference check below catches
# a package that needed it.
SHIPPED = ("manifest.json", "background.js", "build", "src", "icons", "vendor")
LICENCE = REPO_ROOT / "LICENSE"
BROWSERS = ("chromium", "firefox")
# Modules and pages name what they load: `import ... from "./x.js"`, `import("./x.js")`,
# `<script src>`, `<link href>`; only relative names are the package's own files.
JS_REFERENCE = re.compile(r"""(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+)["']""")
HTML_REFERENCE = re.compile(r"""\b(?:src|href)\s*=\s*["']([^"'#?]+)""")


class PackageError(Exception):
    """The extension folder cannot be packaged as it is; the message says why."""


def project_version(pyproject: Path = REPO_ROOT / "pyproject.toml") -> str:
    """The project's one version number, from pyproject.toml."""
    with pyproject.open("rb") as file:
        return tomllib.load(file)["project"]["version"]


# Firefox's PDF redirect (a blocking webRequest listener); Chromium redirects with a rule instead
# and reports webRequestBlocking as an error in MV3.
FIREFOX_PERMISSIONS = ("webRequest", "webRequestBlocking")


def chromium_manifest(manifest: dict) -> dict:
    """The manifest without Firefox's keys: the background page's script list and
    FIREFOX_PERMISSIONS (Chromium MV3 reports the script list and webRequestBlocking as errors,
    "requires manifest version of 2 or lower"), and the `gecko` settings, which it does not read."""
    result = json.loads(json.dumps(manifest))
    result["background"].pop("scripts", None)
    result["permissions"] = [name for name in result.get("permissions", []) if name not in FIREFOX_PERMISSIONS]
    result.pop("browser_specific_settings", None)
    return result


def firefox_manifest(manifest: dict) -> dict:
    """The manifest without the service worker key that Firefox ignores (it runs the
    background scripts as an event page)."""
    result = json.loads(json.dumps(manifest))
    result["background"].pop("service_worker", None)
    return result


MANIFEST_FOR: dict[str, Callable[[dict], dict]] = {"chromium": chromium_manifest, "firefox": firefox_manifest}


def shipped_files(extension: Path) -> Iterator[tuple[str, Path]]:
    """(name in the package, file) for every file of the SHIPPED entries, in a stable order;
    dotfiles and editor leftovers stay out."""
    for entry in SHIPPED:
        path = extension / entry
        if entry == "manifest.json" or not path.exists():
            continue  # the manifest is written per browser; a missing entry is not needed yet
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for file in files:
            relative = file.relative_to(extension)
            if any(part.startswith(".") for part in relative.parts) or file.name.endswith("~"):
                continue
            yield relative.as_posix(), file


def manifest_references(manifest: dict) -> set[str]:
    """The files and globs the manifest names: its background, content scripts, pages, icons
    and web-accessible resources."""
    background = manifest.get("background", {})
    names = set(background.get("scripts", []))
    names.update(filter(None, [background.get("service_worker")]))
    for script in manifest.get("content_scripts", []):
        names.update(script.get("js", []) + script.get("css", []))
    for resource in manifest.get("web_accessible_resources", []):
        names.update(resource["resources"])
    action = manifest.get("action", {})
    names.update(filter(None, [action.get("default_popup"), manifest.get("options_ui", {}).get("page")]))
    names.update(manifest.get("icons", {}).values())
    names.update(action.get("default_icon", {}).values())
    return names


def page_references(name: str, text: str) -> set[str]:
    """The package files one module or page loads, as names in the package."""
    pattern = JS_REFERENCE if name.endswith((".js", ".mjs")) else HTML_REFERENCE
    folder = PurePosixPath(name).parent
    found = set()
    for reference in pattern.findall(text):
        if re.match(r"^[a-z][a-z0-9+.-]*:|^/", reference):
            continue  # another origin, a data: URL or an absolute path
        parts: list[str] = []
        for part in (folder / reference).parts:
            if part == "..":
                if parts:
                    parts.pop()
            elif part != ".":
                parts.append(part)
        found.add("/".join(parts))
    return found


def missing_references(manifest: dict, files: dict[str, Path]) -> list[str]:
    """What the manifest, our modules or our pages name that the package lacks."""
    missing = [name for name in sorted(manifest_references(manifest)) if not fnmatch.filter(files, name)]
    for name, file in files.items():
        # Vendored libraries are copied as their authors built them; only our own files are read.
        if name.startswith("vendor/") or not name.endswith((".js", ".mjs", ".html")):
            continue
        missing += [
            f"{target} (named by {name})"
            for target in sorted(page_references(name, file.read_text(encoding="utf-8")))
            if target not in files
        ]
    return missing


def build(out: Path, extension: Path = EXTENSION) -> dict[str, Path]:
    """Write both packages into `out`; returns each browser's package."""
    manifest = json.loads((extension / "manifest.json").read_text(encoding="utf-8"))
    version = project_version()
    if manifest["version"] != version:
        raise PackageError(
            f"extension/manifest.json says version {manifest['version']} but pyproject.toml says {version}: make them the same"
        )
    files = dict(shipped_files(extension))
    out.mkdir(parents=True, exist_ok=True)
    packages = {}
    for browser in BROWSERS:
        browser_manifest = MANIFEST_FOR[browser](manifest)
        missing = missing_references(browser_manifest, files)
        if missing:
            raise PackageError(
                "the package would lack files the extension loads (run the step that copies them?): "
                + ", ".join(missing)
            )
        package = out / f"iconoplasm-{browser}-{version}.zip"
        with zipfile.ZipFile(package, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("manifest.json", json.dumps(browser_manifest, indent=2) + "\n")
            archive.write(LICENCE, "LICENSE")
            for name, file in files.items():
                archive.write(file, name)
        packages[browser] = package
    return packages


def lint(folder: Path, *options: str) -> dict:
    """`web-ext lint`'s report (errors, warnings, notices) on an extension folder."""
    web_ext = REPO_ROOT / "node_modules" / ".bin" / "web-ext"
    if not web_ext.exists():
        raise PackageError("web-ext is missing: run `npm ci` at the repository root first")
    result = subprocess.run(
        [str(web_ext), "lint", "--source-dir", str(folder), "--output", "json", "--no-config-discovery", *options],
        capture_output=True,
        text=True,
        timeout=180,
    )
    try:
        return json.loads(result.stdout)
    except json.JSONDecodeError as error:
        raise PackageError(f"web-ext lint gave no report: {result.stderr.strip() or result.stdout.strip()}") from error


def lint_package(package: Path) -> dict:
    """`web-ext lint`'s report on a package's files, unpacked as the browser reads them."""
    with tempfile.TemporaryDirectory() as unpacked:
        with zipfile.ZipFile(package) as archive:
            archive.extractall(unpacked)
        return lint(Path(unpacked))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "dist", help="folder for the zips (default: dist/)")
    parser.add_argument("--no-lint", action="store_true", help="skip web-ext lint on the Firefox package")
    args = parser.parse_args()
    try:
        packages = build(args.out)
        report = {} if args.no_lint else lint_package(packages["firefox"])
    except PackageError as error:
        sys.exit(f"package: {error}")
    for kind in ("errors", "warnings"):
        for finding in report.get(kind, []):
            print(
                f"web-ext lint: {kind[:-1]} {finding['code']} in {finding.get('file')}: {finding['message']}",
                file=sys.stderr,
            )
    for package in packages.values():
        print(package)
    if report.get("errors"):
        sys.exit("package: web-ext lint found errors in the Firefox package")


if __name__ == "__main__":
    main()
