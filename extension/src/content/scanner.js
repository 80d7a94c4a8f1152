// Walks a document's text and wraps gene mentions in spans, a few milliseconds at a time, and
// keeps up with the page as it changes. Knows nothing about the lexicon: it is given
// `findMentions` (from matcher.js) and each symbol's colours.

export const GENE_CLASS = "iconoplasm-gene";
// Code, form fields and embedded documents are not prose; the card host is ours.
const SKIPPED_ELEMENTS = new Set([
  "script", "style", "textarea", "input", "select", "option", "code", "pre", "kbd", "samp",
  "noscript", "iframe", "svg", "math", "template", "iconoplasm-card",
]);

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
 * @param {object} options
 * @param {Document} options.document
 * @param {(text: string) => Array<{start: number, end: number, symbol: string}>} options.findMentions
 * @param {Record<string, [string, string]>} options.colours symbol -> [background, text colour]
 * @param {number} [options.sliceMs] longest stretch of work before yielding to the page
 * @param {() => number} [options.clock]
 * @param {(task: () => void) => void} [options.defer] runs a task after the page has had its turn
 */
export function createScanner({
  document,
  findMentions,
  colours,
  sliceMs = 8,
  clock = () => performance.now(),
  defer = (task) => setTimeout(task, 0),
}) {
  const window = document.defaultView;
  // Text nodes already looked at, including the pieces of text this scanner itself inserted.
  const seen = new WeakSet();
  const queue = [];
  let running = false;
  let waiting = [];
  let observer = null;

  function* textNodesUnder(root) {
    if (root.nodeType === 3) {
      yield root;
      return;
    }
    const walker = document.createTreeWalker(root, window.NodeFilter.SHOW_ELEMENT | window.NodeFilter.SHOW_TEXT, {
      acceptNode(node) {
        if (node.nodeType === 3) return node.data.length > 1 ? window.NodeFilter.FILTER_ACCEPT : window.NodeFilter.FILTER_SKIP;
        return isSkippedElement(node) ? window.NodeFilter.FILTER_REJECT : window.NodeFilter.FILTER_SKIP;
      },
    });
    // Step past a node before handing it out: highlighting replaces it, and a walker
    // cannot continue from a node that has left the document.
    let node = walker.nextNode();
    while (node) {
      const following = walker.nextNode();
      yield node;
      node = following;
    }
  }

  function geneSpan(text, symbol) {
    const span = document.createElement("span");
    const [background, foreground] = colours[symbol];
    span.className = GENE_CLASS;
    span.dataset.gene = symbol;
    span.style.setProperty("--iconoplasm-color", background);
    span.style.setProperty("--iconoplasm-text", foreground);
    span.textContent = text;
    return span;
  }

  function piece(text) {
    const node = document.createTextNode(text);
    seen.add(node);
    return node;
  }

  function highlight(textNode) {
    if (seen.has(textNode) || !textNode.isConnected) return;
    seen.add(textNode);
    const text = textNode.data;
    const mentions = findMentions(text);
    if (mentions.length === 0) return;
    const fragment = document.createDocumentFragment();
    let cursor = 0;
    for (const { start, end, symbol } of mentions) {
      if (start > cursor) fragment.append(piece(text.slice(cursor, start)));
      fragment.append(geneSpan(text.slice(start, end), symbol));
      cursor = end;
    }
    if (cursor < text.length) fragment.append(piece(text.slice(cursor)));
    textNode.parentNode.replaceChild(fragment, textNode);
  }

  function runSlice() {
    const started = clock();
    while (queue.length > 0) {
      const next = queue[0].next();
      if (next.done) {
        queue.shift();
        continue;
      }
      highlight(next.value);
      if (clock() - started >= sliceMs) {
        defer(runSlice);
        return;
      }
    }
    running = false;
    for (const resolve of waiting) resolve();
    waiting = [];
  }

  /** Queues `root` (an element or a text node) for highlighting. */
  function scan(root) {
    if (!root || isInsideSkipped(root)) return;
    queue.push(textNodesUnder(root));
    if (!running) {
      running = true;
      defer(runSlice);
    }
  }

  function onMutations(records) {
    for (const record of records) {
      if (record.type === "characterData") {
        // The page rewrote this text, even if it was a piece this scanner inserted.
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
      scan(document.querySelector("main, [role='main'], article"));
      scan(document.body);
      observer = new window.MutationObserver(onMutations);
      observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    },
    /** Stops following the page and puts its original text back. */
    stop() {
      observer?.disconnect();
      queue.length = 0;
      for (const span of document.querySelectorAll(`span.${GENE_CLASS}`)) {
        span.replaceWith(document.createTextNode(span.textContent));
      }
      document.body.normalize();
    },
    /** Resolves once everything queued so far has been highlighted. */
    idle() {
      return running ? new Promise((resolve) => waiting.push(resolve)) : Promise.resolve();
    },
  };
}
