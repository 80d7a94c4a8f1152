// The viewer's address: the extension page with the PDF's address after `?file=`, as it is. A
// redirect rule can only append the address it matched, not encode it, so everything after the
// marker is the PDF's address, `&` and all.

export const VIEWER_PAGE = "src/pdf/viewer.html";
const MARKER = "?file=";
const VIEWABLE = new Set(["http:", "https:", "file:"]);

/** The viewer page showing `pdf`; `viewerPage` is the page's full extension URL. */
export function viewerAddress(viewerPage, pdf) {
  return `${viewerPage}${MARKER}${pdf}`;
}

/** The address of the PDF the viewer at `search` (its location.search) shows; an Error says why not. */
export function pdfAddressOf(search) {
  if (!search.startsWith(MARKER)) throw new Error("No PDF to show: the viewer's address has no ?file= part.");
  let pdf;
  try {
    pdf = new URL(search.slice(MARKER.length));
  } catch {
    throw new Error(`"${search.slice(MARKER.length)}" is not the address of a PDF.`);
  }
  if (!VIEWABLE.has(pdf.protocol)) throw new Error(`The viewer opens http, https and file PDFs, not ${pdf.protocol} ones.`);
  return pdf.href;
}
