/* The review page: one question at a time through the review API (/api/review/next/, /api/review/answers/).
 *
 * Choose with a tap or the keys 1-4; the answer is revealed at once (the right choice is named in the
 * question's signed showing token), with a grade suggested: Again after a wrong choice (the only grade
 * a wrong choice can get), Good after a right one. Grade with 1-4, or Space for the suggestion; the
 * answer is sent, its fact shown above the next question. Everything is built with createElement and
 * textContent: the page never parses a string as HTML.
 */
"use strict";

(() => {
  const root = document.getElementById("review");
  if (!root) return;

  const GRADES = [
    [1, "Again"],
    [2, "Hard"],
    [3, "Good"],
    [4, "Easy"],
  ];
  const AGAIN = 1;
  const GOOD = 3;
  const BATCH = 10;
  const COLOUR = /^#[0-9a-fA-F]{6}$/;

  const byId = (id) => document.getElementById(id);
  const statusLine = byId("review-status");
  const cardBox = byId("review-card");
  const promptBox = byId("review-prompt");
  const questionLine = byId("review-question");
  const choicesBox = byId("review-choices");
  const gradesBox = byId("review-grades");
  const verdictLine = byId("review-verdict");
  const gradeButtons = byId("review-grade-buttons");
  const feedbackBox = byId("review-feedback");
  const doneBox = byId("review-done");
  const dueCount = byId("review-due");

  let queue = [];
  let current = null;
  // "idle" (loading or done), "choose", "grade" (revealed, waiting for a grade), "sending".
  let phase = "idle";
  let chosen = null;
  let wrong = false;
  let suggested = GOOD;
  let shownAt = 0;

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function cookie(name) {
    const row = document.cookie.split("; ").find((entry) => entry.startsWith(name + "="));
    return row ? decodeURIComponent(row.slice(name.length + 1)) : "";
  }

  // The right choice named in a showing token: django.core.signing writes "payload:timestamp:signature",
  // the payload being the JSON in URL-safe base64. Signed, not secret: the server checks the signature.
  function rightChoice(showing) {
    const payload = showing.split(":")[0].replace(/-/g, "+").replace(/_/g, "/");
    try {
      return JSON.parse(atob(payload + "=".repeat((4 - (payload.length % 4)) % 4))).answer;
    } catch {
      return null;
    }
  }

  function say(text) {
    statusLine.textContent = text;
    statusLine.hidden = !text;
  }

  function setDue(due) {
    dueCount.textContent = String(due);
  }

  async function problem(response) {
    try {
      const body = await response.json();
      if (typeof body.detail === "string") return body.detail;
    } catch {
      // not JSON: the status says enough
    }
    return `the server answered ${response.status}`;
  }

  async function load() {
    phase = "idle";
    doneBox.hidden = true;
    say("Loading the next questions…");
    let data;
    try {
      const response = await fetch(`${root.dataset.nextUrl}?limit=${BATCH}`, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!response.ok) {
        say(`Could not load the questions: ${await problem(response)}.`);
        return;
      }
      data = await response.json();
    } catch {
      say("You seem to be offline: the review needs the site. Try again when you are connected.");
      return;
    }
    setDue(data.due);
    queue = data.items;
    say("");
    if (queue.length === 0) {
      cardBox.hidden = true;
      doneBox.hidden = false;
      return;
    }
    next();
  }

  // The next question of the batch; when the batch is used up, ask for more (more may be due by now).
  function next() {
    current = queue.shift() || null;
    if (current) show(current);
    else load();
  }

  function show(item) {
    promptBox.replaceChildren();
    if (item.prompt.image_url) {
      const image = element("img", "review-portrait");
      image.src = item.prompt.image_url;
      image.alt = "A gene's portrait";
      promptBox.append(image);
    }
    if (item.prompt.symbol) {
      const pill = element("span", "pill review-symbol", item.prompt.symbol);
      if (item.prompt.color_hex && COLOUR.test(item.prompt.color_hex)) {
        pill.style.setProperty("--gene", item.prompt.color_hex);
      }
      promptBox.append(pill);
    }
    questionLine.textContent = item.question;
    choicesBox.replaceChildren();
    item.choices.forEach((choice, index) => {
      const button = element("button", "review-choice");
      button.type = "button";
      button.dataset.id = choice.id;
      button.append(element("span", "review-key", String(index + 1)));
      if (choice.image_url) {
        button.classList.add("has-image");
        const image = element("img");
        image.src = choice.image_url;
        image.alt = choice.label;
        button.append(image);
      } else {
        button.append(element("span", "review-label", choice.label));
      }
      button.addEventListener("click", () => choose(choice.id));
      choicesBox.append(button);
    });
    gradesBox.hidden = true;
    cardBox.hidden = false;
    doneBox.hidden = true;
    chosen = null;
    phase = "choose";
    shownAt = performance.now();
  }

  function choose(id) {
    if (phase !== "choose") return;
    chosen = id;
    const right = rightChoice(current.showing);
    wrong = right !== null && id !== right;
    suggested = wrong ? AGAIN : GOOD;
    for (const button of choicesBox.children) {
      button.disabled = true;
      button.classList.toggle("is-right", button.dataset.id === right);
      button.classList.toggle("is-wrong", wrong && button.dataset.id === id);
      button.setAttribute("aria-pressed", String(button.dataset.id === id));
    }
    verdictLine.textContent =
      right === null ? "How well did you know it?" : wrong ? "Not this one: the right answer is marked." : "Right!";
    verdictLine.className = "review-verdict " + (wrong ? "is-wrong" : "is-right");
    gradeButtons.replaceChildren();
    for (const [grade, name] of GRADES) {
      const button = element("button", grade === suggested ? "review-grade is-suggested" : "review-grade secondary");
      button.type = "button";
      button.disabled = wrong && grade !== AGAIN;
      button.append(element("span", "review-key", String(grade)), document.createTextNode(name));
      button.addEventListener("click", () => send(grade));
      gradeButtons.append(button);
    }
    gradesBox.hidden = false;
    phase = "grade";
    gradeButtons.children[suggested - 1].focus();
  }

  async function send(grade) {
    if (phase !== "grade") return;
    phase = "sending";
    const item = current;
    const body = {
      card: item.card,
      showing: item.showing,
      choice: chosen,
      grade: wrong ? AGAIN : grade,
      elapsed_ms: Math.round(performance.now() - shownAt),
    };
    let response;
    try {
      response = await fetch(root.dataset.answerUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": cookie("csrftoken") },
        body: JSON.stringify(body),
      });
    } catch {
      say("You seem to be offline: that answer was not sent. Grade again when you are connected.");
      phase = "grade";
      return;
    }
    if (response.status === 409) {
      feedback(item, null, "Already answered (in another tab?): on to the next one.");
      next();
      return;
    }
    if (!response.ok) {
      say(`That answer was not recorded: ${await problem(response)}.`);
      phase = "grade";
      return;
    }
    const result = await response.json();
    say("");
    setDue(result.due);
    feedback(item, result);
    next();
  }

  function interval(days) {
    if (days < 1 / 24) return `${Math.max(1, Math.round(days * 24 * 60))} min`;
    if (days < 1) return `${Math.round(days * 24)} h`;
    return `${days < 10 ? days.toFixed(1) : Math.round(days)} days`;
  }

  function feedback(item, result, note) {
    feedbackBox.replaceChildren();
    if (result) {
      const heading = result.correct ? "Right" : `Not quite: it was ${result.answer.label}`;
      feedbackBox.className = "panel review-feedback " + (result.correct ? "is-right" : "is-wrong");
      feedbackBox.append(element("strong", "", heading));
      feedbackBox.append(element("p", "review-fact", result.fact));
      const grade = GRADES[result.grade - 1][1];
      feedbackBox.append(element("p", "muted", `Graded ${grade}: next review in ${interval(result.interval_days)}.`));
    } else {
      feedbackBox.className = "panel review-feedback";
      feedbackBox.append(element("p", "muted", note));
    }
    feedbackBox.hidden = false;
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target instanceof HTMLElement && event.target.closest("input, textarea, select")) return;
    const number = Number(event.key);
    if (number >= 1 && number <= 4) {
      if (phase === "choose" && current.choices[number - 1]) {
        event.preventDefault();
        choose(current.choices[number - 1].id);
      } else if (phase === "grade") {
        event.preventDefault();
        send(wrong ? AGAIN : number);
      }
    } else if (event.key === " " && phase === "grade" && !event.target.closest?.(".review-grade")) {
      // Space sends the suggested grade; on a grade button (the suggested one has the focus after the
      // reveal) the browser's own Space presses that button instead.
      event.preventDefault();
      send(suggested);
    }
  });

  byId("review-again").addEventListener("click", load);

  load();
})();
