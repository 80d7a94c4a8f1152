// A status line on the extension's pages.
export function say(element, text, { error = false } = {}) {
  element.textContent = text;
  element.classList.toggle("error", error);
}
