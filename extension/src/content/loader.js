// Content scripts cannot be ES modules in MV3, so this classic script imports the module
// entry point (listed in web_accessible_resources) from the extension's own origin.
{
  const runtime = (globalThis.browser ?? globalThis.chrome).runtime;
  import(runtime.getURL("src/content/main.js")).catch((error) => {
    console.warn(`Iconoplasm could not start on this page: ${error.message}`);
  });
}
