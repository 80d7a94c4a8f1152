// Shared by the unit tests in ../test: the sample of the real lexicon, a fake WebExtension
// storage and a loopback server. Kept outside test/, where node --test runs every .js file.
import { readFileSync } from "node:fs";
import { readLexicon } from "../src/shared/lexicon_format.js";

export const sampleBody = () => JSON.parse(readFileSync(new URL("../test/fixtures/lexicon_sample.json", import.meta.url), "utf8"));
export const sampleGenes = () => readLexicon(sampleBody());
export const prose = () => readFileSync(new URL("../test/fixtures/prose.txt", import.meta.url), "utf8");

/** The part of `browser` the background uses, backed by a plain object. */
export function fakeBrowser() {
  const area = {};
  return {
    area,
    storage: {
      local: {
        async get(key) {
          return key in area ? { [key]: structuredClone(area[key]) } : {};
        },
        async set(values) {
          for (const [key, value] of Object.entries(values)) area[key] = structuredClone(value);
        },
      },
    },
  };
}

/**
 * A loopback HTTP server for the background's tests, closed when test `t` ends (even when it
 * fails, so a failure never leaves the runner waiting). `routes` maps "METHOD /path" to
 * (body, request) => [status, payload] (payload: object for JSON, string for text).
 */
export async function serve(t, routes) {
  const { createServer } = await import("node:http");
  const requests = [];
  const server = createServer(async (request, response) => {
    let text = "";
    for await (const chunk of request) text += chunk;
    const body = text ? JSON.parse(text) : null;
    requests.push({ method: request.method, path: request.url, headers: request.headers, body });
    const route = routes[`${request.method} ${request.url}`];
    const [status, payload] = route ? await route(body, request) : [404, { detail: "not found" }];
    response.writeHead(status, { "Content-Type": typeof payload === "string" ? "text/html" : "application/json" });
    response.end(typeof payload === "string" ? payload : JSON.stringify(payload));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  t?.after(() => new Promise((resolve) => server.close(resolve)));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** An address nothing listens on. */
export async function deadServer() {
  const server = await serve(null, {});
  await server.close();
  return server.url;
}
