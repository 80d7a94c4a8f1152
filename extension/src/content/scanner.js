// Walks a document's text a few milliseconds at a time, has it matched in batches and wraps the
// gene mentions it gets back in spans, and keeps up with the page as it changes. Knows nothing
// about the lexicon: it is given `match`, which answers a batch of texts asynchronously (the
// background, where the name index lives). Where the browser can, mentions are first painted
// (painter.js), which costs the page no layout, and become spans near the viewport and when the
// page is idle.
import { canPaint, createPainter } from "./painter.js";

export const GENE_CLASS = "iconoplasm-gene";
export const AMBIGUOUS_CLASS = "iconoplasm-ambiguous";
// Code, form fields and embedded documents are not prose; the card host is ours.
const SKIPPED_ELEMENTS = new Set([
  "script", "style", "textarea", "input", "select", "option", "code", "pre", "kbd", "samp",
  "noscript", "iframe", "svg", "math", "template", "iconoplasm-card",
]);

/**
 * What a screen reader says for a highlight: its text and what it stands for
 * ("p53 (gene TP53)", "ERK (ambiguous: MAPK1 or MAPK3)").
 * @param {string} text
 * @param {{symbol: string | null, candidates?: string[]}} mention
 */
export function highlightLabel(text, { symbol, candidates }) {
  if (symbol === null) return `${text} (ambiguous: ${candidates.slice(0, -1).join(", ")} or ${candidates.at(-1)})`;
  return symbol === text ? `${text} (gene)` : `${text} (gene ${symbol})`;
}

function isSkippedElement(element) {
  if (SKIPPED_ELEMENTS.has(element.localName) || element.classList.contains(GENE_CLASS)) return true;
  if (element.getAttribute("role") === "textbox") return true;
  const editable = element.getAttribute("contenteditable");
  return editable !== null && editable.toLowerCase() !== "false";
}

function isInsideSkipped(node) {
  for (let element = node.nodeType === 1 ? node : node.parentElement; element; element = element.parentElement) {
    if (isSkippedElement(element)) return true;
  }
  return false;
}

/**
 * @typedef {{start: number, end: number, symbol: string | null, candidates?: string[]}} Mention
 *   `end` exclusive; `symbol` is null for a name several genes share, listed in `candidates`
 * @typedef {{mentions: Mention[][], colours: Record<string, [string, string]>}} Answer the
 *   mentions of each text sent, and symbol -> [background, text colour] for the symbols among them
 *
 * @param {object} options
 * @param {Document} options.document
 * @param {(texts: string[]) => Promise<Answer>} options.match
 * @param {(error: Error) => void} [options.onError] a batch could not be matched
 * @param {number} [options.firstBatch] characters in the first batch, small so the first
 *   highlight comes quickly; each later batch is four times the one before, up to `largestBatch`
 * @param {number} [options.largestBatch]
 * @param {number} [options.batchesOut] batches sent before the first of them is answered
 * @param {number} [options.sliceMs] longest stretch of work before yielding to the page
 * @param {number} [options.firstSliceMs] the first stretch, at page ready: long enough to send a
 *   megabyte's batches before the page's first layout, which on a long page holds the main thread
 *   for a quarter of a second or more, so that the background matches them meanwhile
 * @param {() => number} [options.clock]
 * @param {(task: () => void) => void} [options.defer] runs a task after the page has had its turn
 * @param {boolean} [options.paint] paint mentions before making spans of them, where the browser
 *   can (not where all the text is in view anyway, as in the PDF viewer's text layers)
 * @param {(task: () => void) => void} [options.whenIdle] runs a task when the page is idle
 * @param {Promise<unknown>} [options.drawAfter] answers are drawn once this settles (the page's
 *   setup, which the first batches need not wait for); batches go out before it
 */
export function createScanner({
  document,
  match,
  onError = () => {},
  firstBatch = 2_000,
  largestBatch = 64_000,
  batchesOut = 16,
  sliceMs = 8,
  firstSliceMs = 24,
  clock = () => performance.now(),
  defer = (task) => setTimeout(task, 0),
  paint = true,
  // Called on the window: Firefox refuses a content script's unbound requestIdleCallback.
  whenIdle = (task) => {
    const view = document.defaultView;
    if (view.requestIdleCallback) view.requestIdleCallback(task);
    else setTimeout(task, 0);
  },
  drawAfter = Promise.resolve(),
}) {
  const window = document.defaultView;
  // Text nodes already looked at, including the pieces of text this scanner itself inserted.
  const seen = new WeakSet();
  const colours = {};
  // Every highlight is a button that opens its card, but only the first of each gene (or shared
  // name) is a Tab stop: a page naming TP53 a thousand times is not a thousand Tab presses long.
  const tabStops = new Set();
  const walks = []; // generators of text nodes still to collect, main content first
  let batch = { nodes: [], texts: [], characters: 0 };
  let batchLimit = firstBatch;
  // Batches out and not yet answered: the background matches the next while this tab draws.
  // The background matches them in the order sent; their answers are drawn in that order too.
  let matching = 0;
  // Never rejects: a failed setup stops the scanner (main.js), and each batch's failure is
  // handled where its answer is drawn.
  let answers = drawAfter.catch(() => {});
  const answered = []; // [{node, text, mentions}] waiting to become spans
  let scheduled = false;
  let stopped = false;
  let waiting = [];
  let observer = null;
  let drawn = 0; // mentions painted or made spans, for the marks in the page's performance timeline
  let drawnWhenMarked = 0;
  const painting = paint && canPaint(window);
  let painter = null; // made with the first mention painted: a page that names no gene is left as it is
  // Painted mentions by the element around them, in page order, until they become spans; and
  // each painted text node's entry, so a page's rewrite of it takes the old paint off.
  const painted = new Map();
  const paintedNodes = new WeakMap();
  const nearView = painting ? new window.IntersectionObserver(spansNearView, { rootMargin: "100% 0px" }) : null;
  let upgrading = false;

  // `walked`: an element under `root` whose text is walked already (the main content). The
  // walker reads text nodes only and each element's verdict is remembered, so the walk calls no
  // script per node (a filter function made it five times the cost of the walk itself).
  function* textNodesUnder(root, walked = null) {
    if (root.nodeType === 3) {
      yield root;
      return;
    }
    const leftAlone = new Map([[root.parentElement, false]]);
    const isLeftAlone = (element) => {
      const unknown = [];
      let verdict = false;
      for (let at = element; at; at = at.parentElement) {
        const known = leftAlone.get(at);
        if (known !== undefined) {
          verdict = known;
          break;
        }
        unknown.push(at);
      }
      for (let index = unknown.length - 1; index >= 0; index -= 1) {
        verdict ||= unknown[index] === walked || isSkippedElement(unknown[index]);
        leftAlone.set(unknown[index], verdict);
      }
      return verdict;
    };
    const walker = document.createTreeWalker(root, window.NodeFilter.SHOW_TEXT);
    // Step past a node before handing it out: highlighting replaces it, and a walker
    // cannot continue from a node that has left the document.
    let node = walker.nextNode();
    while (node) {
      const following = walker.nextNode();
      if (node.length > 1 && !isLeftAlone(node.parentElement)) yield node;
      node = following;
    }
  }

  function geneSpan(text, { symbol, candidates }) {
    const span = document.createElement("span");
    span.className = GENE_CLASS;
    span.textContent = text;
    span.setAttribute("role", "button");
    span.setAttribute("aria-haspopup", "dialog");
    span.setAttribute("aria-expanded", "false");
    span.setAttribute("aria-label", highlightLabel(text, { symbol, candidates }));
    const stop = symbol ?? candidates.join(" ");
    span.tabIndex = tabStops.has(stop) ? -1 : 0;
    tabStops.add(stop);
    if (symbol === null) {
      // A name several genes share: its card lists them, in the neutral colours of the stylesheet.
      span.classList.add(AMBIGUOUS_CLASS);
      span.dataset.candidates = candidates.join(" ");
      return span;
    }
    const [background, foreground] = colours[symbol];
    span.dataset.gene = symbol;
    span.style.setProperty("--iconoplasm-color", background);
    span.style.setProperty("--iconoplasm-text", foreground);
    return span;
  }

  function piece(text) {
    const node = document.createTextNode(text);
    seen.add(node);
    return node;
  }

  // The page may have removed or rewritten a node while it was being matched; a rewrite is
  // scanned again on its own.
  const asMatched = ({ node, text }) => node.isConnected && node.data === text;

  function highlight({ node, text, mentions }) {
    if (!asMatched({ node, text })) return;
    const fragment = document.createDocumentFragment();
    let cursor = 0;
    for (const mention of mentions) {
      const { start, end } = mention;
      if (start > cursor) fragment.append(piece(text.slice(cursor, start)));
      fragment.append(geneSpan(text.slice(start, end), mention));
      cursor = end;
    }
    if (cursor < text.length) fragment.append(piece(text.slice(cursor)));
    node.parentNode.replaceChild(fragment, node);
  }

  function paintMentions(found) {
    if (!asMatched(found)) return;
    const { node, mentions } = found;
    const element = node.parentElement;
    let entries = painted.get(element);
    if (!entries) {
      painted.set(element, (entries = []));
      nearView.observe(element);
    }
    painter ??= createPainter(document);
    const entry = { ...found, ranges: painter.paint(node, mentions, colours) };
    entries.push(entry);
    paintedNodes.set(node, entry);
  }

  function unpaintNode(node) {
    const entry = paintedNodes.get(node);
    if (!entry) return;
    painter.unpaint(entry.ranges);
    entry.ranges = [];
    paintedNodes.delete(node);
  }

  // The painted mentions in `element` become spans (highlight() leaves a text the page changed).
  function spansIn(element) {
    const entries = painted.get(element);
    painted.delete(element);
    nearView.unobserve(element);
    for (const entry of entries) {
      unpaintNode(entry.node);
      highlight(entry);
    }
  }

  function spansNearView(records) {
    for (const record of records) if (record.isIntersecting && painted.has(record.target)) spansIn(record.target);
  }

  // The rest become spans a slice at a time while the page is idle, in page order.
  function spansWhenIdle() {
    if (upgrading || stopped || painted.size === 0) return;
    upgrading = true;
    whenIdle(() => {
      upgrading = false;
      if (stopped) return;
      const started = clock();
      for (const element of painted.keys()) {
        if (clock() - started >= sliceMs) break;
        spansIn(element);
      }
      spansWhenIdle();
    });
  }

  // Marks in the page's performance timeline (only the latest of each is kept): when the first
  // mention was drawn, and each time all that was queued has been.
  function mark(name) {
    performance.clearMarks(name);
    performance.mark(name, { detail: { mentions: drawn } });
  }

  // Adds the next unseen text node to the batch; false when every walk is done.
  function collectOne() {
    while (walks.length > 0) {
      const next = walks[0].next();
      if (next.done) {
        walks.shift();
        continue;
      }
      const node = next.value;
      if (seen.has(node) || !node.isConnected) continue;
      seen.add(node);
      batch.nodes.push(node);
      batch.texts.push(node.data);
      batch.characters += node.data.length;
      return true;
    }
    return false;
  }

  function send() {
    const { nodes, texts } = batch;
    batch = { nodes: [], texts: [], characters: 0 };
    batchLimit = Math.min(batchLimit * 4, largestBatch);
    matching += 1;
    const pending = match(texts);
    answers = answers
      .then(() => pending)
      .then(
        (answer) => {
          if (stopped) return;
          Object.assign(colours, answer.colours);
          answer.mentions.forEach((mentions, i) => mentions.length > 0 && answered.push({ node: nodes[i], text: texts[i], mentions }));
        },
        // A stopped scanner reports nothing (a disabled site's batches, which the background refuses).
        (error) => stopped || onError(error),
      )
      .finally(() => {
        matching -= 1;
        if (stopped) return;
        // The first answer is drawn now rather than after the page's next task.
        if (drawn === 0 && answered.length > 0) slice();
        else work();
      });
  }

  // One slice: the walk, each batch sent as soon as it is full, then what came back drawn, for as
  // long as the slice lasts; the first answer is drawn before any more walking, for the first
  // highlight's sake. Batches go out before their answers come, so the background matches while
  // this tab walks and draws.
  function slice(budget = sliceMs) {
    scheduled = false;
    if (stopped) return;
    const started = clock();
    const late = () => clock() - started >= budget;
    if (drawn > 0) walk(late);
    const before = drawn;
    while (answered.length > 0 && !late()) {
      const found = answered.shift();
      if (painting) paintMentions(found);
      else highlight(found);
      drawn += found.mentions.length;
    }
    if (before === 0 && drawn > 0) mark("iconoplasm-first-highlight");
    walk(late);
    work();
  }

  function walk(late) {
    while (!late()) {
      if (batch.characters >= batchLimit) {
        if (matching >= batchesOut) return;
        send();
      }
      if (!collectOne()) return;
    }
  }

  function work() {
    const full = batch.characters >= batchLimit || walks.length === 0;
    if (matching < batchesOut && batch.texts.length > 0 && full) send();
    const more = answered.length > 0 || (walks.length > 0 && batch.characters < batchLimit);
    if (more && !scheduled) {
      scheduled = true;
      defer(slice);
    }
    if (!scheduled && !matching && walks.length === 0 && batch.texts.length === 0) {
      if (drawn !== drawnWhenMarked) {
        mark("iconoplasm-highlighted");
        drawnWhenMarked = drawn;
      }
      for (const resolve of waiting) resolve();
      waiting = [];
      spansWhenIdle();
    }
  }

  function enqueue(root, walked = null) {
    if (!stopped && root && !isInsideSkipped(root)) walks.push(textNodesUnder(root, walked));
  }

  /** Queues `root` (an element or a text node) for highlighting. */
  function scan(root) {
    enqueue(root);
    work();
  }

  function onMutations(records) {
    for (const record of records) {
      if (record.type === "characterData") {
        // The page rewrote this text, even if it was a piece this scanner inserted.
        unpaintNode(record.target);
        seen.delete(record.target);
        scan(record.target);
      } else {
        for (const added of record.addedNodes) {
          if ((added.nodeType === 1 || added.nodeType === 3) && !seen.has(added)) scan(added);
        }
      }
    }
  }

  return {
    scan,
    /** Scans the main content first, then the rest of the page, then follows its changes. */
    start() {
      const main = document.querySelector("main, [role='main'], article");
      enqueue(main);
      enqueue(document.body, main);
      observer = new window.MutationObserver(onMutations);
      observer.observe(document.body, { childList: true, subtree: true, characterData: true });
      // The first batches go out now rather than after the page's first layout.
      slice(firstSliceMs);
    },
    /** Stops following the page and puts its original text back. */
    stop() {
      stopped = true;
      observer?.disconnect();
      nearView?.disconnect();
      painter?.clear();
      painted.clear();
      walks.length = 0;
      answered.length = 0;
      batch = { nodes: [], texts: [], characters: 0 };
      // A page where nothing was drawn (a disabled site) is left exactly as it is.
      if (drawn > 0) {
        for (const span of document.querySelectorAll(`span.${GENE_CLASS}`)) {
          span.replaceWith(document.createTextNode(span.textContent));
        }
        document.body.normalize();
      }
      for (const resolve of waiting) resolve();
      waiting = [];
    },
    /** Resolves once everything queued so far has been highlighted. */
    idle() {
      const busy = scheduled || matching || walks.length > 0 || batch.texts.length > 0;
      return busy && !stopped ? new Promise((resolve) => waiting.push(resolve)) : Promise.resolve();
    },
  };
}
