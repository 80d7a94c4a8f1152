"""Debian's firefox-esr for the browser tests: headless, its own profile, driven through Marionette,
with the extension installed from its source folder as a temporary add-on (no signing needed)."""

from __future__ import annotations

import base64
import json
import subprocess
import uuid
from pathlib import Path

from marionette_driver.addons import Addons
from marionette_driver.by import By
from marionette_driver.marionette import Marionette

from .conftest import EXTENSION, wait_until
from .live_site import free_port

FIREFOX = "/usr/bin/firefox-esr"
ADDON_ID = json.loads((EXTENSION / "manifest.json").read_text())["browser_specific_settings"]["gecko"]["id"]
# Firefox picks a random host for moz-extension:// URLs at install; the profile fixes it instead.
EXTENSION_HOST = str(uuid.uuid5(uuid.NAMESPACE_URL, ADDON_ID))
PERMISSION_PROMPT = "addon-webext-permissions-notification"


def profile_prefs(marionette_port: int) -> dict[str, object]:
    """A quiet profile: no updates, telemetry, first-run or default-browser pages."""
    return {
        "marionette.port": marionette_port,
        "extensions.webextensions.uuids": json.dumps({ADDON_ID: EXTENSION_HOST}),
        "app.update.disabledForTesting": True,
        "app.normandy.enabled": False,
        "browser.shell.checkDefaultBrowser": False,
        "browser.startup.homepage_override.mstone": "ignore",
        "browser.aboutwelcome.enabled": False,
        "datareporting.policy.dataSubmissionEnabled": False,
        "datareporting.healthreport.uploadEnabled": False,
        "toolkit.telemetry.reportingpolicy.firstRun": False,
        "extensions.getAddons.cache.enabled": False,
        "browser.safebrowsing.malware.enabled": False,
        "browser.safebrowsing.phishing.enabled": False,
    }


class Firefox:
    """One headless Firefox with the extension installed; ``client`` is its Marionette session."""

    def __init__(self, profile: Path):
        self.profile = profile
        self.port = free_port()
        self.log = profile / "firefox.log"
        self.process: subprocess.Popen | None = None
        self.client: Marionette | None = None

    def start(self) -> None:
        prefs = profile_prefs(self.port)
        (self.profile / "user.js").write_text(
            "".join(f"user_pref({json.dumps(name)}, {json.dumps(value)});\n" for name, value in prefs.items())
        )
        # System access lets Marionette open moz-extension:// pages and use the chrome context.
        command = [FIREFOX, "--headless", "--marionette", "--remote-allow-system-access", "--no-remote"]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [*command, "--profile", str(self.profile)],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            self.client = Marionette(host="127.0.0.1", port=self.port)
            try:
                self.client.raise_for_port(timeout=60)
            except OSError as error:
                raise RuntimeError(f"firefox-esr did not start Marionette: {self.log.read_text()[-2000:]}") from error
            self.client.start_session()
            Addons(self.client).install(str(EXTENSION), temp=True)
        except BaseException:
            self.stop()  # no Firefox left running after a failed start
            raise

    def stop(self) -> None:
        if self.client is not None and self.client.session is not None:
            self.client.delete_session()
        self.client = None
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None

    @staticmethod
    def extension_url(path: str) -> str:
        return f"moz-extension://{EXTENSION_HOST}/{path}"

    def open_tab(self, url: str) -> None:
        """A new tab at ``url``, which later calls act on."""
        handle = self.client.open(type="tab", focus=True)["handle"]
        self.client.switch_to_window(handle)
        self.client.navigate(url)

    def close_tab(self) -> None:
        """Closes the current tab and goes back to the first one, which never closes."""
        self.client.close()
        self.client.switch_to_window(self.client.window_handles[0])

    def switch_to_tab_at(self, url: str, timeout: float = 10.0) -> None:
        """Makes the open tab showing ``url`` current (a tab the extension opened itself, which
        may still be opening: the first-run page once failed a CI run, not yet there)."""

        def showing() -> bool:
            for handle in self.client.window_handles:
                self.client.switch_to_window(handle)
                if self.client.get_url() == url:
                    return True
            return False

        try:
            wait_until(showing, timeout)
        except AssertionError:
            raise AssertionError(f"no tab shows {url}") from None

    def evaluate(self, expression: str, *args):
        """An expression's value in the current tab's own scope (where extension pages have ``browser``)."""
        return self.client.execute_script(f"return {expression};", script_args=args, sandbox=None)

    def run_async(self, body: str, *args):
        """The value of an async function body run in the current tab's scope; its error raised."""
        outcome = self.client.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            f"(async (...args) => {{ {body} }})(...Array.from(arguments).slice(0, -1))"
            ".then((value) => done({ value }), (error) => done({ error: String(error) }));",
            script_args=args,
            sandbox=None,
        )
        if "error" in outcome:
            raise AssertionError(outcome["error"])
        return outcome.get("value")

    def wait_for(self, expression: str, timeout: float = 15.0) -> None:
        wait_until(lambda: self.evaluate(expression), timeout)

    def find(self, selector: str):
        return self.client.find_element(By.CSS_SELECTOR, selector)

    def fill(self, selector: str, text: str) -> None:
        field = self.find(selector)
        field.clear()
        field.send_keys(text)

    def hover(self, selector: str) -> None:
        """Moves the real (synthesised) mouse pointer onto the element."""
        pointer = self.client.actions.sequence("pointer", "mouse", {"pointerType": "mouse"})
        pointer.pointer_move(0, 0, origin=self.find(selector)).perform()

    def move_pointer_away(self) -> None:
        self.client.actions.sequence("pointer", "mouse", {"pointerType": "mouse"}).pointer_move(0, 0).perform()

    def answer_permission_prompt(self, *, allow: bool) -> dict:
        """Waits for Firefox's own permission prompt for the extension, presses Allow or Cancel, and
        returns what it showed: the extension's name and the permissions it listed."""
        with self.client.using_context("chrome"):
            shown = f"PopupNotifications.getNotification('addon-webext-permissions') && document.getElementById('{PERMISSION_PROMPT}')"
            wait_until(lambda: self.client.execute_script(f"return Boolean({shown});"))
            return self.client.execute_script(
                f"""const prompt = document.getElementById('{PERMISSION_PROMPT}');
                const said = {{
                    extension: prompt.getAttribute('name'),
                    permissions: Array.from(prompt.querySelectorAll('li'), (item) => item.textContent.trim()).filter(Boolean),
                }};
                (arguments[0] ? prompt.button : prompt.secondaryButton).click();
                return said;""",
                script_args=[allow],
            )

    def print_pdf(self) -> bytes:
        """The current tab printed to PDF by Firefox (WebDriver's Print command, A4 by default in
        Firefox). marionette-driver has no method for it, so the command is sent as it is."""
        return base64.b64decode(self.client._send_message("WebDriver:Print", {"background": True}, key="value"))

    def stop_background(self) -> None:
        """Stops the extension's background page as Firefox does when it is idle: its memory is gone.

        An event the page listens for that arrives just after (a tab closed a moment before: its
        ``tabs.onRemoved``) wakes it again at once, so it is stopped again until it stays stopped.
        """
        with self.client.using_context("chrome"):
            stopped = self.client.execute_async_script(
                "const done = arguments[0];"
                f"const extension = WebExtensionPolicy.getByID({json.dumps(ADDON_ID)}).extension;"
                """(async () => {
                    for (let attempt = 0; attempt < 20; attempt++) {
                        await extension.terminateBackground();
                        await new Promise((resolve) => setTimeout(resolve, 250));
                        if (extension.backgroundState === "stopped") return "stopped";
                    }
                    return extension.backgroundState;
                })().then(done);"""
            )
        assert stopped == "stopped", stopped
