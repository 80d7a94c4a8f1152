import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { highlightName, PALETTE, paletteColour } from "../src/content/painter.js";
import { HIGHLIGHT_STYLES } from "../src/shared/settings.js";

test("a gene's colour is painted in the nearest of twelve hues, in the shade its text colour needs", () => {
  assert.equal(paletteColour(["#e53935", "#ffffff"]), "0-dark");
  assert.equal(paletteColour(["#ff0040", "#ffffff"]), "330-dark", "344.9° is nearer 330° than 360°");
  assert.equal(paletteColour(["#ff1010", "#000000"]), "0-light");
  assert.equal(paletteColour(["#43a047", "#000000"]), "120-light");
  assert.equal(paletteColour(["#1e88e5", "#ffffff"]), "210-dark");
  assert.equal(paletteColour(["#fb8c00", "#000000"]), "30-light");
  assert.equal(paletteColour(["#ff00f8", "#000000"]), "300-light");
});

test("colours without much colour are grey; a shared name and a malformed colour are the neutral grey", () => {
  assert.equal(paletteColour(["#808585", "#000000"]), "grey-light");
  assert.equal(paletteColour(["#202020", "#ffffff"]), "grey-dark");
  assert.equal(paletteColour(null), "ambiguous");
  assert.equal(paletteColour(["red", "#ffffff"]), "ambiguous");
  assert.equal(paletteColour(["#123456", "#fff; background: url(x)"]), "ambiguous");
});

test("every palette colour the painter picks has a highlight name known to the stylesheet, in every style", () => {
  const css = readFileSync(new URL("../src/content/highlight.css", import.meta.url), "utf8");
  const inSheet = new Set([...css.matchAll(/::highlight\(([\w-]+)\)/g)].map((rule) => rule[1]));
  const named = new Set(HIGHLIGHT_STYLES.flatMap((style) => PALETTE.map((colour) => highlightName(style, colour))));
  assert.deepEqual([...inSheet].sort(), [...named].sort());
  assert.equal(named.size, HIGHLIGHT_STYLES.length * 27);
  // Every colour paletteColour can answer is in the palette.
  for (let red = 0; red < 256; red += 17) {
    for (let green = 0; green < 256; green += 17) {
      for (let blue = 0; blue < 256; blue += 17) {
        const hex = `#${[red, green, blue].map((value) => value.toString(16).padStart(2, "0")).join("")}`;
        for (const text of ["#ffffff", "#000000"]) assert.ok(PALETTE.includes(paletteColour([hex, text])), `${hex} on ${text}`);
      }
    }
  }
});
