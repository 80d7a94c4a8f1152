// Mentions drawn without a node added to the page: ranges over its own text nodes in the CSS
// highlight registry (the CSS Custom Highlight API). A span makes the browser lay its paragraph
// out again (0.1–0.2 ms a paragraph, most of the time a page of a megabyte took to highlight); a
// painted range does not. Painted mentions have no pill shape, no card and no Tab stop, so the
// scanner turns them into spans near the viewport and when the page is idle.
//
// Each highlight name costs every restyle of the page a style per element and name (with 68
// names a frame of a megabyte's page took 0.4–0.6 s, with a name per gene colour minutes), so the
// colours are painted from a small palette: the gene's hue in twelve steps, or grey, light under
// dark text and dark under light text. The spans then show the gene's own colour.

export const PAINTED_PREFIX = "iconoplasm-";
const AMBIGUOUS = `${PAINTED_PREFIX}ambiguous`;
const COLOUR = /^#[0-9a-fA-F]{6}$/;
const HUES = 12;
// Below this chroma (0–1) a colour is painted grey.
const GREY_CHROMA = 0.15;

/** Whether this browser has the CSS Custom Highlight API (Chromium 105, Firefox 140, Safari 17.2). */
export function canPaint(window) {
  return Boolean(window.CSS?.highlights && window.Highlight && window.StaticRange && window.CSSStyleSheet);
}

// name -> [background, text colour]: twelve hues and grey, each under dark and under light text.
const PALETTE = new Map();
for (const lightText of [true, false]) {
  const [lightness, text, shade] = lightText ? [32, "#ffffff", "dark"] : [72, "#000000", "light"];
  for (let hue = 0; hue < HUES; hue += 1) {
    const degrees = hue * (360 / HUES);
    PALETTE.set(`${PAINTED_PREFIX}${degrees}-${shade}`, [`hsl(${degrees} 60% ${lightness}%)`, text]);
  }
  PALETTE.set(`${PAINTED_PREFIX}grey-${shade}`, [`hsl(0 0% ${lightness}%)`, text]);
}
PALETTE.set(AMBIGUOUS, ["#d0d0d0", "#1d1d1f"]);

/**
 * The palette highlight a gene's colours are painted in (its name in PALETTE): the nearest of
 * twelve hues, or grey, in the shade its text colour needs.
 * @param {string} background #rrggbb
 * @param {string} text #rrggbb, the gene's text colour on its background
 */
export function paletteName(background, text) {
  const [red, green, blue] = [1, 3, 5].map((at) => parseInt(background.slice(at, at + 2), 16) / 255);
  const [darkest, lightest] = [Math.min(red, green, blue), Math.max(red, green, blue)];
  const chroma = lightest - darkest;
  const shade = relativeLuminance(text) > 0.5 ? "dark" : "light";
  if (chroma < GREY_CHROMA) return `${PAINTED_PREFIX}grey-${shade}`;
  const sector = lightest === red ? (green - blue) / chroma : lightest === green ? 2 + (blue - red) / chroma : 4 + (red - green) / chroma;
  const hue = Math.round((((sector * 60) % 360) + 360) % 360 / (360 / HUES)) % HUES;
  return `${PAINTED_PREFIX}${hue * (360 / HUES)}-${shade}`;
}

function relativeLuminance(colour) {
  const [red, green, blue] = [1, 3, 5].map((at) => parseInt(colour.slice(at, at + 2), 16) / 255);
  return 0.2126 * red + 0.7152 * green + 0.0722 * blue;
}

// The rule of one highlight in the page's style, as highlight.css draws spans (a pill's rounded
// padding and a box's outline are shapes a highlight cannot take, so they are approximated).
function rule(style, name, background, text) {
  if (style === "underline") return `::highlight(${name}) { text-decoration: underline ${background}; }`;
  if (style === "outline") return `::highlight(${name}) { text-decoration: underline overline ${background}; }`;
  return `::highlight(${name}) { background-color: ${background}; color: ${text}; }`;
}

/**
 * @param {Document} document the page; its root's data-iconoplasm-style (main.js) picks the style
 */
export function createPainter(document) {
  const window = document.defaultView;
  const root = document.documentElement;
  const sheet = new window.CSSStyleSheet();
  // A constructed sheet is not subject to the page's Content-Security-Policy, as a <style> would be.
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  // Every highlight of the palette at once: a new highlight or rule later would make the browser
  // restyle the whole page again (20–35 ms a time on a megabyte's page).
  const highlights = new Map([...PALETTE.keys()].map((name) => [name, new window.Highlight()]));
  for (const [name, highlight] of highlights) window.CSS.highlights.set(name, highlight);
  const restyle = () => sheet.replaceSync([...PALETTE].map(([name, colours]) => rule(root.dataset.iconoplasmStyle, name, ...colours)).join("\n"));
  restyle();
  const styleWatch = new window.MutationObserver(restyle);
  styleWatch.observe(root, { attributes: true, attributeFilter: ["data-iconoplasm-style"] });

  // Colours reach no stylesheet, only a choice of palette highlight; a colour that is not
  // #rrggbb (the lexicon is checked, this again) and a name several genes share are painted in
  // the neutral grey of highlight.css.
  const highlightOf = (colours) =>
    highlights.get(colours && COLOUR.test(colours[0]) && COLOUR.test(colours[1]) ? paletteName(...colours) : AMBIGUOUS);

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
        const highlight = highlightOf(symbol === null ? null : colours[symbol]);
        highlight.add(range);
        return [highlight, range];
      });
    },
    unpaint(painted) {
      for (const [highlight, range] of painted) highlight.delete(range);
    },
    /** Takes every painted mention, highlight and rule off the page. */
    clear() {
      styleWatch.disconnect();
      for (const name of highlights.keys()) window.CSS.highlights.delete(name);
      highlights.clear();
      document.adoptedStyleSheets = document.adoptedStyleSheets.filter((adopted) => adopted !== sheet);
    },
  };
}
