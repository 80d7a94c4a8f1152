// Cast pages: with a mouse, hovering a portrait shows its card; a click (or a tap, or Enter) pins it open
// through <details> itself, so the page works without this script too. Nothing here writes markup.
if (window.matchMedia("(hover: hover)").matches) {
  for (const member of document.querySelectorAll("details.member")) {
    let openedByHover = false;
    member.addEventListener("mouseenter", () => {
      if (!member.open) {
        member.open = true;
        openedByHover = true;
      }
    });
    member.addEventListener("mouseleave", () => {
      if (openedByHover) {
        member.open = false;
        openedByHover = false;
      }
    });
    member.querySelector("summary").addEventListener("click", (event) => {
      // The hover already opened it: this click keeps it open instead of closing it.
      if (openedByHover) {
        event.preventDefault();
        openedByHover = false;
      }
    });
  }
}
