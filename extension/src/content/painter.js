// Mentions drawn without a node added to the page: ranges over its own text nodes in the CSS
// highlight registry (the CSS Custom Highlight API). A span makes the browser lay its paragraph
// out again (0.1–0.2 ms a paragraph, most of the time a page of a megabyte took to highlight); a
// painted range does not. Painted mentions have no pill shape, no card and no Tab stop, so the
// scanner turns them into spans near the viewport and when the page is idle.
//
// Each registered highlight name costs every restyle of the page a style per element and name
// (with 68 names a frame of a megabyte's page took 0.4–0.6 s, with a name per gene colour
// minutes), so the colours are painted from a palette of 27 (highlight.css, which the browser
// loads with the page: a rule added later would restyle all of it): the gene's hue in twelve
// steps, or grey, in the shade its text colour needs. The spans then show the gene's own colour.

const HUES = 12;
const SHADES = ["dark", "light"]; // under light text, under dark text
// Below this chroma (0–1) a colour is painted grey.
const GREY_CHROMA = 0.15;
const COLOUR = /^#[0-9a-fA-F]{6}$/;
const AMBIGUOUS = "ambiguous";
// A palette colour's name without its style: "0-dark" … "330-light", "grey-dark", "ambiguous".
export const PALETTE = [
  ...SHADES.flatMap((shade) => [...Array.from({ length: HUES }, (_, hue) => `${hue * (360 / HUES)}-${shade}`), `grey-${shade}`]),
  AMBIGUOUS,
];

/** Whether this browser has the CSS Custom Highlight API (Chromium 105, Firefox 140, Safari 17.2). */
export function canPaint(window) {
  return Boolean(window.CSS?.highlights && window.Highlight && window.StaticRange);
}

/**
 * The name in the registry of palette colour `colour` drawn in `style`, one of settings.js's
 * HIGHLIGHT_STYLES: highlight.css has a rule for each (not imported: settings.js would add its
 * defaults and the blocklist to the content script every page parses).
 */
export function highlightName(style, colour) {
  return `iconoplasm-${style}-${colour}`;
}

/**
 * The palette colour a gene's colours are painted in: the nearest of twelve hues, or grey, in the
 * shade its text colour needs; a colour that is not #rrggbb (the lexicon is checked, this again)
 * and a name several genes share (null) get the neutral grey of a shared name.
 * @param {[string, string] | null} colours [background, text colour]
 */
export function paletteColour(colours) {
  if (!colours || !COLOUR.test(colours[0]) || !COLOUR.test(colours[1])) return AMBIGUOUS;
  const [red, green, blue] = channels(colours[0]);
  const [darkest, lightest] = [Math.min(red, green, blue), Math.max(red, green, blue)];
  const chroma = lightest - darkest;
  const [textRed, textGreen, textBlue] = channels(colours[1]);
  const shade = 0.2126 * textRed + 0.7152 * textGreen + 0.0722 * textBlue > 0.5 ? "dark" : "light";
  if (chroma < GREY_CHROMA) return `grey-${shade}`;
  const sector = lightest === red ? (green - blue) / chroma : lightest === green ? 2 + (blue - red) / chroma : 4 + (red - green) / chroma;
  const degrees = (((sector * 60) % 360) + 360) % 360;
  return `${(Math.round(degrees / (360 / HUES)) % HUES) * (360 / HUES)}-${shade}`;
}

const channels = (colour) => [1, 3, 5].map((at) => parseInt(colour.slice(at, at + 2), 16) / 255);

/**
 * @param {Document} document the page; its root's data-iconoplasm-style (main.js) picks the style
 */
export function createPainter(document) {
  const window = document.defaultView;
  const root = document.documentElement;
  const highlights = new Map(PALETTE.map((colour) => [colour, new window.Highlight()]));
  let style = root.dataset.iconoplasmStyle;
  const unregister = () => {
    for (const colour of PALETTE) window.CSS.highlights.delete(highlightName(style, colour));
  };
  // The same highlights under the names of the page's style, registered again when it changes.
  const register = () => {
    for (const [colour, highlight] of highlights) window.CSS.highlights.set(highlightName(style, colour), highlight);
  };
  register();
  const styleWatch = new window.MutationObserver(() => {
    unregister();
    style = root.dataset.iconoplasmStyle;
    register();
  });
  styleWatch.observe(root, { attributes: true, attributeFilter: ["data-iconoplasm-style"] });

  return {
    /**
     * Paints the mentions of text node `node`; what to give `unpaint` to take them off again.
     * @param {Text} node
     * @param {Array<{start: number, end: number, symbol: string | null}>} mentions
     * @param {Record<string, [string, string]>} colours symbol -> [background, text colour]
     * @returns {Array<[Highlight, StaticRange]>}
     */
    paint(node, mentions, colours) {
      return mentions.map(({ start, end, symbol }) => {
        const range = new window.StaticRange({ startContainer: node, startOffset: start, endContainer: node, endOffset: end });
        const highlight = highlights.get(paletteColour(symbol === null ? null : colours[symbol]));
        highlight.add(range);
        return [highlight, range];
      });
    },
    unpaint(painted) {
      for (const [highlight, range] of painted) highlight.delete(range);
    },
    /** Takes every painted mention off the page. */
    clear() {
      styleWatch.disconnect();
      unregister();
      highlights.clear();
    },
  };
}
