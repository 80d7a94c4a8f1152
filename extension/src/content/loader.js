// Content scripts cannot be ES modules in MV3, so this classic script imports the module
// entry point (listed in web_accessible_resources) from the extension's own origin. It runs at
// document_start, so the page setup is asked for and the modules arrive while the page is still
// loading. Each level of static imports costs a round trip to the extension, so the modules the
// first highlight needs are fetched side by side rather than one level after another.
{
  const runtime = (globalThis.browser ?? globalThis.chrome).runtime;
  const setup = runtime.sendMessage({ type: "page-setup", site: location.hostname });
  const modules = [
    "src/content/main.js",
    "src/content/scanner.js",
    "src/content/painter.js",
    "src/shared/messages.js",
    "src/shared/browser_api.js",
  ];
  Promise.all(modules.map((path) => import(runtime.getURL(path))))
    .then(
      ([main]) => main.start(setup),
      (error) => console.warn(`Iconoplasm could not start on this page: ${error.message}`),
    )
    .catch((error) => console.info(`Iconoplasm is not highlighting this page: ${error.message}`));
}
