// Matching for tabs: each document's texts go to one page matcher (matcher.js `page()`), so what a
// page said earlier (an abbreviation defined in its abstract) is read with what it says later.
// Kept in the background beside the name index, which is too big to copy into every tab.

// Open documents that each keep a page matcher; the least recently used is dropped beyond this.
export const PAGES_KEPT = 32;

/** Which document a message came from: tab, frame and, where the browser says, the document itself. */
export function documentOf(sender) {
  return { tab: sender.tab?.id ?? null, frame: sender.frameId ?? 0, document: sender.documentId ?? null };
}

/** One string per document, from documentOf. */
export const keyOf = ({ tab, frame, document }) => `${tab}/${frame}/${document}`;

/**
 * @param {{capacity?: number}} [options]
 */
export function createPageMatchers({ capacity = PAGES_KEPT } = {}) {
  // key -> {tab, frame, matcher, page}; a Map iterates in insertion order, so re-inserting an
  // entry on use keeps the least recently used first.
  const pages = new Map();

  function pageFor(where, matcher) {
    const key = keyOf(where);
    let entry = pages.get(key);
    pages.delete(key);
    // A new lexicon or blocklist means a new matcher: the page's context starts again with it.
    if (entry?.matcher !== matcher) entry = { tab: where.tab, frame: where.frame, matcher, page: matcher.page() };
    pages.set(key, entry);
    if (pages.size > capacity) pages.delete(pages.keys().next().value);
    return entry.page;
  }

  function forgetWhere(keep) {
    for (const [key, entry] of pages) if (!keep(entry)) pages.delete(key);
  }

  return {
    /**
     * The mentions of each of `texts` (what the page matcher answers, passed on unchanged) and the
     * colours of the symbols among them, so a tab receives only the colours it shows.
     * @param {{tab: number | null, frame: number, document: string | null}} where from documentOf
     * @param {{page: () => {match: (texts: string[]) => object[][]}}} matcher
     * @param {Map<string, [string, string]>} colours symbol -> [background, text colour]
     * @param {string[]} texts
     */
    match(where, matcher, colours, texts) {
      const mentions = pageFor(where, matcher).match(texts);
      const found = {};
      for (const list of mentions) {
        // An ambiguous mention (symbol null) is drawn without a gene's colour.
        for (const { symbol } of list) if (symbol !== null) found[symbol] ??= colours.get(symbol);
      }
      return { mentions, colours: found };
    },
    /** A new document started in this frame: the ones it replaced are gone. */
    forgetFrame({ tab, frame }) {
      forgetWhere((entry) => entry.tab !== tab || entry.frame !== frame);
    },
    /** The tab was closed. */
    forgetTab(tab) {
      forgetWhere((entry) => entry.tab !== tab);
    },
    get size() {
      return pages.size;
    },
  };
}
