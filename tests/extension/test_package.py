"""`./dev package` (extension/tools/package.py): the Chromium and Firefox zips hold what runs in
the browser and nothing else, carry the project's one version, each browser's manifest, and pass
`web-ext lint` (Firefox) and Chromium's own manifest check."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from marionette_driver.addons import Addons
from playwright.sync_api import sync_playwright

from pipeline.paths import REPO_ROOT

from .conftest import CHROMIUM, EXTENSION, package_tool
from .firefox import Firefox
from .test_firefox import save_server

# Beside the extension for its developers only: the unit tests, their helpers, the analysis tools.
DEVELOPMENT_ONLY = ("test", "testing", "tools", "README.md")


def version() -> str:
    with (REPO_ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["project"]["version"]


@pytest.fixture(scope="module")
def packages(tmp_path_factory) -> dict[str, Path]:
    """Both zips, built by the command `./dev package` runs (which also lints the Firefox one)."""
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "extension/tools/package.py", "--out", str(out)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return {browser: out / f"iconoplasm-{browser}-{version()}.zip" for browser in ("chromium", "firefox")}


def names(package: Path) -> set[str]:
    with zipfile.ZipFile(package) as archive:
        return set(archive.namelist())


def packaged_manifest(package: Path) -> dict:
    with zipfile.ZipFile(package) as archive:
        return json.loads(archive.read("manifest.json"))


def unpacked(package: Path, folder: Path) -> Path:
    with zipfile.ZipFile(package) as archive:
        archive.extractall(folder)
    return folder


def test_each_package_holds_the_extension_without_its_development_files(packages):
    source = {
        path.relative_to(EXTENSION).as_posix()
        for path in EXTENSION.rglob("*")
        if path.is_file() and path.relative_to(EXTENSION).parts[0] not in DEVELOPMENT_ONLY
    }
    for package in packages.values():
        contents = names(package)
        assert contents == source | {"LICENSE"}, contents ^ (source | {"LICENSE"})
        assert not any(
            name.split("/")[0] in DEVELOPMENT_ONLY or name.endswith((".py", ".test.js")) for name in contents
        )
        assert {
            "manifest.json",
            "background.js",
            "build/content_script.js",
            "src/pages/popup.html",
            "icons/icon-48.png",
        } <= contents
    with zipfile.ZipFile(packages["firefox"]) as archive:
        assert archive.read("LICENSE") == (REPO_ROOT / "LICENSE").read_bytes()


def test_both_packages_carry_the_projects_one_version(packages):
    source = json.loads((EXTENSION / "manifest.json").read_text(encoding="utf-8"))
    assert (
        {packaged_manifest(package)["version"] for package in packages.values()} == {version()} == {source["version"]}
    )


def test_each_browser_gets_only_its_own_manifest_keys(packages):
    source = json.loads((EXTENSION / "manifest.json").read_text(encoding="utf-8"))
    chromium, firefox = packaged_manifest(packages["chromium"]), packaged_manifest(packages["firefox"])
    assert chromium["background"] == {"service_worker": "background.js", "type": "module"}
    assert "browser_specific_settings" not in chromium
    # Firefox's PDF redirect is a blocking webRequest listener; Chromium's is a rule.
    firefox_only = {"webRequest", "webRequestBlocking"}
    assert firefox_only <= set(firefox["permissions"])
    assert chromium["permissions"] == [name for name in source["permissions"] if name not in firefox_only]
    assert firefox["background"] == {"scripts": ["background.js"], "type": "module"}
    assert firefox["browser_specific_settings"] == source["browser_specific_settings"]
    assert firefox["browser_specific_settings"]["gecko_android"]["strict_min_version"]
    assert firefox["permissions"] == source["permissions"]
    unchanged = set(source) - {"background", "browser_specific_settings", "permissions"}
    assert (
        {key: chromium[key] for key in unchanged}
        == {key: firefox[key] for key in unchanged}
        == {key: source[key] for key in unchanged}
    )


def test_the_firefox_package_passes_web_ext_lint_for_desktop_and_android(packages):
    report = package_tool().lint_package(packages["firefox"])
    assert report["errors"] == [], report["errors"]
    codes = {warning["code"] for warning in report["warnings"]}
    # Left: pdf.js import()s URLs it computes and sets innerHTML in its viewer. Gone with the
    # package: the ignored service worker key.
    assert codes <= {"UNSAFE_VAR_ASSIGNMENT"}, report["warnings"]
    assert not any("ANDROID" in warning["code"] for warning in report["warnings"] + report["notices"])


def test_chromium_loads_its_package_without_manifest_errors(packages, tmp_path):
    """Chromium's own check, as chrome://extensions shows it in developer mode; the source folder
    (with Firefox's background scripts and blocking webRequest) gets errors there, which the
    package is built to avoid."""
    folders = {"package": unpacked(packages["chromium"], tmp_path / "chromium"), "source": EXTENSION}
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--headless=new",
                f"--disable-extensions-except={folders['package']},{EXTENSION}",
                f"--load-extension={folders['package']},{EXTENSION}",
            ],
        )
        try:
            page = context.new_page()
            page.goto("chrome://extensions")
            page.evaluate(
                "new Promise((done) => chrome.developerPrivate.updateProfileConfiguration({inDeveloperMode: true}, done))"
            )
            found = page.evaluate("new Promise((done) => chrome.developerPrivate.getExtensionsInfo(done))")
            ids = {Path(info["path"]).resolve(): info["id"] for info in found if info["name"] == "Iconoplasm"}
            errors = {}
            for name, folder in folders.items():
                extension_id = ids[folder.resolve()]
                # Reloaded in developer mode, so that Chromium records what it thinks of the manifest.
                page.evaluate(
                    "(id) => new Promise((done) => chrome.developerPrivate.reload(id, {failQuietly: true}, done))",
                    extension_id,
                )
                page.wait_for_timeout(1000)
                info = page.evaluate(
                    "(id) => new Promise((done) => chrome.developerPrivate.getExtensionInfo(id, done))", extension_id
                )
                assert info["version"] == version()
                errors[name] = [error["message"] for error in info["manifestErrors"]] + info["installWarnings"]
        finally:
            context.close()
    assert errors["package"] == []
    assert any("background.scripts" in message for message in errors["source"]), errors["source"]
    assert any("webRequestBlocking" in message for message in errors["source"]), errors["source"]


def test_firefox_runs_its_package(packages, tmp_path, site, pages):
    """Installed over the source folder (same add-on id), the Firefox zip is what runs, and it
    highlights a page."""
    firefox = Firefox(tmp_path)
    firefox.start()
    try:
        Addons(firefox.client).install(str(packages["firefox"]), temp=True)
        save_server(firefox, site.url)
        loaded = json.dumps(f"5 genes loaded from {site.url}.")
        firefox.wait_for(f"document.getElementById('server-message').textContent === {loaded}")
        # The folder's developer files are gone: the package runs, not the folder it replaced.
        fetch = "return fetch(browser.runtime.getURL(arguments[0])).then((r) => r.ok, () => false);"
        assert firefox.run_async(fetch, "build/content_script.js") is True
        assert firefox.run_async(fetch, "README.md") is False
        firefox.open_tab(pages.write("package.html", "<!doctype html><p>The TP53 gene binds LAIR1.</p>"))
        firefox.wait_for("document.querySelectorAll('span.iconoplasm-gene').length === 2")
        assert firefox.evaluate(
            "Array.from(document.querySelectorAll('span.iconoplasm-gene'), (e) => e.dataset.gene)"
        ) == [
            "TP53",
            "LAIR1",
        ]
    finally:
        firefox.stop()


def copy_of_extension(folder: Path) -> Path:
    shutil.copytree(EXTENSION, folder, ignore=shutil.ignore_patterns(*DEVELOPMENT_ONLY))
    return folder


def test_a_manifest_version_other_than_the_projects_is_refused(tmp_path):
    extension = copy_of_extension(tmp_path / "extension")
    manifest = json.loads((extension / "manifest.json").read_text(encoding="utf-8"))
    (extension / "manifest.json").write_text(json.dumps({**manifest, "version": "9.9.9"}), encoding="utf-8")
    tool = package_tool()
    with pytest.raises(
        tool.PackageError, match=f"manifest.json says version 9.9.9 but pyproject.toml says {version()}"
    ):
        tool.build(tmp_path / "dist", extension)
    assert not (tmp_path / "dist").exists()


def test_a_package_lacking_a_file_the_extension_loads_is_refused(tmp_path):
    extension = copy_of_extension(tmp_path / "extension")
    popup = extension / "src" / "pages" / "popup.html"
    popup.write_text(
        popup.read_text(encoding="utf-8").replace(
            "</head>", '<script type="module" src="../../lib/chart.js"></script></head>'
        ),
        encoding="utf-8",
    )
    (extension / "src" / "shared" / "settings.js").write_text(
        'import { LIMITS } from "./limits.js";\n'
        + (extension / "src" / "shared" / "settings.js").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    manifest = json.loads((extension / "manifest.json").read_text(encoding="utf-8"))
    manifest["icons"]["16"] = "icons/icon-16.png"
    (extension / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    tool = package_tool()
    with pytest.raises(tool.PackageError) as refused:
        tool.build(tmp_path / "dist", extension)
    assert "files the extension loads (run the step that copies them?): icons/icon-16.png, " in str(refused.value)
    assert "lib/chart.js (named by src/pages/popup.html)" in str(refused.value)
    assert "src/shared/limits.js (named by src/shared/settings.js)" in str(refused.value)
