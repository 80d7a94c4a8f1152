// The popup's review panel: draws the states of review_state.js with DOM calls and textContent
// only, and turns clicks and keys (1–4, Space) into its steps. Talking to the server is left to
// the callbacks, which the popup routes through the background.
import { GRADES, answerFor, choose, currentItem, doneText, failed, keyAction, nextReviewText, progressText, recorded, sending, skipped, startReview, verdictText } from "./review_state.js";

const SAFE_COLOUR = /^#[0-9a-f]{6}$/i;
const KEPT = "Answers sent before this one are saved; press a grade to send it again.";

function element(document, tag, { className, text } = {}) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function promptView(document, prompt) {
  if (prompt.image_url) {
    const image = element(document, "img", { className: "prompt-image" });
    image.src = prompt.image_url;
    image.alt = "The portrait in question";
    return image;
  }
  const symbol = element(document, "p", { className: "prompt-symbol" });
  if (prompt.color_hex && SAFE_COLOUR.test(prompt.color_hex)) {
    const swatch = element(document, "span", { className: "swatch" });
    swatch.style.backgroundColor = prompt.color_hex;
    symbol.append(swatch);
  }
  symbol.append(element(document, "span", { text: prompt.symbol ?? "" }));
  return symbol;
}

function choiceButton(document, choice, position, state, act) {
  const button = element(document, "button", { className: "choice" });
  button.type = "button";
  button.dataset.choice = choice.id;
  button.append(element(document, "span", { className: "key", text: String(position + 1) }));
  if (choice.image_url) {
    const image = element(document, "img");
    image.src = choice.image_url;
    image.alt = choice.label;
    button.append(image);
  } else {
    button.append(element(document, "span", { className: "label", text: choice.label }));
  }
  if (state.phase === "question") {
    button.addEventListener("click", () => act({ choose: choice.id }));
  } else {
    button.disabled = true;
    button.classList.toggle("chosen", choice.id === state.chosen);
    button.classList.toggle("answer", choice.id === currentItem(state).answer.id);
  }
  return button;
}

function gradeButtons(document, state, act) {
  const grades = element(document, "div", { className: "grades" });
  GRADES.forEach(({ grade, label }, position) => {
    const button = element(document, "button", { className: "grade" });
    button.type = "button";
    button.dataset.grade = String(grade);
    button.append(element(document, "span", { className: "key", text: String(position + 1) }), element(document, "span", { text: label }));
    button.setAttribute("aria-pressed", String(grade === state.grade));
    button.disabled = state.phase === "sending";
    button.addEventListener("click", () => act({ grade }));
    grades.append(button);
  });
  const preselected = GRADES.find(({ grade }) => grade === state.grade).label;
  return [grades, element(document, "p", { className: "hint", text: `1–4 to grade, Space for ${preselected}` })];
}

/** What came of the previous question: the fact behind its answer, or why it was skipped. */
function previousView(document, state) {
  if (state.note) return [element(document, "p", { className: "note", text: state.note })];
  if (!state.last) return [];
  const fact = element(document, "p", { className: "fact", text: state.last.fact });
  fact.append(element(document, "span", { className: "hint", text: ` (${nextReviewText(state.last.intervalDays)})` }));
  return [fact];
}

/** The nodes for `state`. */
export function renderReview(document, state, act) {
  if (state.phase === "loading") return [element(document, "p", { className: "hint", text: "Loading questions…" })];
  if (state.phase === "unavailable") return [element(document, "p", { className: "message error", text: state.error })];
  const previous = previousView(document, state);
  if (state.phase === "done") return [...previous, element(document, "p", { className: "done", text: state.items.length ? doneText(state) : "Nothing is due right now." })];
  const item = currentItem(state);
  const choices = element(document, "div", { className: "choices" });
  item.choices.forEach((choice, position) => choices.append(choiceButton(document, choice, position, state, act)));
  const nodes = [...previous, element(document, "p", { className: "progress hint", text: progressText(state) }), element(document, "p", { className: "question", text: item.question }), promptView(document, item.prompt), choices];
  if (state.phase === "question") return [...nodes, element(document, "p", { className: "hint", text: "1–4 to choose" })];
  nodes.push(element(document, "p", { className: `verdict ${state.correct ? "right" : "wrong"}`, text: verdictText(state) }));
  nodes.push(...gradeButtons(document, state, act));
  if (state.error) nodes.push(element(document, "p", { className: "message error", text: state.error }));
  return nodes;
}

/**
 * Runs one short review in `container`: `loadItems()` gives {due, items}, `sendAnswer(answer)`
 * gives {recorded: result} or {skipped: note}; `onDue(count)` hears each new due count and
 * `onDone(state)` the end, when the keys are let go. Returns {state(), stop()}.
 */
export function runReview(container, { loadItems, sendAnswer, onDue = () => {}, onDone = () => {}, now = Date.now }) {
  const document = container.ownerDocument;
  let state = { phase: "loading" };

  const stop = () => document.removeEventListener("keydown", onKey);

  function show(next) {
    state = next;
    container.replaceChildren(...renderReview(document, state, act));
    // Focus on the panel, not a button, so Space reaches the key handler instead of clicking.
    container.focus();
    if (state.phase === "unavailable") stop();
    if (state.phase === "done") {
      stop();
      onDone(state);
    }
  }

  async function grade(value) {
    show(sending(state, value));
    try {
      const outcome = await sendAnswer(answerFor(state, value));
      if (outcome.skipped) {
        show(skipped(state, outcome.skipped, now()));
        return;
      }
      onDue(outcome.recorded.due);
      show(recorded(state, outcome.recorded, now()));
    } catch (error) {
      show(failed(state, `${error.message} ${KEPT}`));
    }
  }

  function act(action) {
    if (action.choose !== undefined) show(choose(state, action.choose, now()));
    else if (action.grade !== undefined && state.phase === "reveal") grade(action.grade);
  }

  function onKey(event) {
    if (event.repeat || event.ctrlKey || event.altKey || event.metaKey) return;
    const action = keyAction(state, event.key);
    if (!action) return;
    event.preventDefault();
    act(action);
  }

  container.tabIndex = -1;
  document.addEventListener("keydown", onKey);
  show(state);
  loadItems().then(
    ({ due, items }) => {
      onDue(due);
      show(startReview(items, due, now()));
    },
    (error) => show({ phase: "unavailable", error: error.message }),
  );
  return { state: () => state, stop };
}
