// The GCI questionnaire: every answer saves itself. A change goes first into a queue kept in
// localStorage (so a dropped connection or a closed tab loses nothing), then to the server
// with the version it started from. A stale version comes back as 409 with the stored answer:
// the question then shows both and the person chooses. Sub-questions show and hide as their
// parent's answer changes. Needs autosave.js (serialSaver, debounced) loaded before it.
"use strict";
(() => {
  const root = document.getElementById("questionnaire");
  if (!root) return;
  const text = root.dataset;
  const status = document.getElementById("save-status");
  const storageKey = text.queueKey;
  let offline = false;
  let problem = "";

  function loadQueue() {
    try { return JSON.parse(localStorage.getItem(storageKey)) || {}; } catch (error) { return {}; }
  }
  function storeQueue() {
    if (Object.keys(queue).length) localStorage.setItem(storageKey, JSON.stringify(queue));
    else localStorage.removeItem(storageKey);
  }
  const queue = loadQueue(); // question code -> {value, version, conflict?}

  const fieldset = (code) => document.getElementById("q-" + code);
  const inputs = (fs) => Array.from(fs.querySelectorAll("[data-answer]"));

  function readValue(fs) {
    const partial = fs.dataset.partial; // the answer type's template partial
    const fields = inputs(fs);
    if (partial === "checkboxes") return fields.filter((i) => i.checked).map((i) => i.value);
    if (partial === "number" || partial === "text") {
      const raw = fields[0].value;
      if (raw.trim() === "") return null;
      return partial === "number" ? Number(raw) : raw;
    }
    const checked = fields.find((i) => i.checked);
    return checked ? checked.value : null;
  }

  function writeValue(fs, value) {
    const partial = fs.dataset.partial;
    const fields = inputs(fs);
    if (partial === "number" || partial === "text") {
      fields[0].value = value === null || value === undefined ? "" : String(value);
      return;
    }
    const chosen = Array.isArray(value) ? value.map(String) : [String(value)];
    fields.forEach((i) => { i.checked = chosen.includes(i.value); });
  }

  function describe(fs, value) {
    if (value === null || value === undefined || (Array.isArray(value) && !value.length)) {
      return text.textNone;
    }
    const values = Array.isArray(value) ? value : [value];
    return values.map((v) => {
      const input = inputs(fs).find((i) => i.value === String(v) && i.type !== "number");
      const label = input && document.querySelector(`label[for="${CSS.escape(input.id)}"]`);
      return label ? label.textContent.trim() : String(v);
    }).join(", ");
  }

  // Parents come before their sub-questions in the page, so one pass decides each one.
  function updateVisibility() {
    const shown = new Set();
    root.querySelectorAll("fieldset.question").forEach((fs) => {
      let visible = true;
      const parent = fs.dataset.parent;
      if (parent) {
        const parentSet = fieldset(parent);
        const value = parentSet ? readValue(parentSet) : null;
        const chosen = value === null ? [] : (Array.isArray(value) ? value : [String(value)]);
        const when = fs.dataset.shownWhen.split(" ");
        visible = shown.has(parent) && chosen.some((v) => when.includes(v));
      }
      if (visible) shown.add(fs.dataset.code);
      fs.hidden = !visible;
    });
  }

  function questionStatus(code, message, unsaved) {
    const fs = fieldset(code);
    if (!fs) return;
    fs.querySelector("[data-status]").textContent = message;
    fs.classList.toggle("unsaved", Boolean(unsaved));
  }

  function showStatus() {
    const waiting = Object.values(queue).filter((item) => !item.conflict).length;
    if (problem) status.textContent = problem;
    else if (!waiting) status.textContent = text.textSaved;
    else if (offline) status.textContent = text.textOffline.replace("{n}", waiting);
    else status.textContent = text.textSaving;
  }

  function showConflict(code) {
    const fs = fieldset(code);
    const item = queue[code];
    if (!fs || !item || !item.conflict) return;
    const box = fs.querySelector("[data-conflict]");
    box.replaceChildren();
    const add = (tag, content) => {
      const node = document.createElement(tag);
      node.textContent = content;
      box.append(node);
      return node;
    };
    add("p", text.textConflict).className = "error";
    add("p", text.textMine.replace("{value}", describe(fs, item.value)));
    add("p", text.textTheirs.replace("{value}", describe(fs, item.conflict.value)));
    const keep = add("button", text.textKeep);
    const take = add("button", text.textTake);
    keep.type = take.type = "button";
    take.className = "secondary";
    keep.addEventListener("click", () => {
      queue[code] = { value: item.value, version: item.conflict.version };
      fs.dataset.version = item.conflict.version;
      settle(code, fs);
      flush();
    });
    take.addEventListener("click", () => {
      delete queue[code];
      fs.dataset.version = item.conflict.version;
      writeValue(fs, item.conflict.value);
      updateVisibility();
      settle(code, fs);
      questionStatus(code, text.textQuestionSaved, false);
    });
    box.hidden = false;
    questionStatus(code, text.textUnsaved, true);
    keep.focus();
  }

  function settle(code, fs) {
    const box = fs.querySelector("[data-conflict]");
    box.hidden = true;
    box.replaceChildren();
    storeQueue();
    showStatus();
  }

  function applyProgress(body) {
    const update = (selector, texts) => Object.entries(texts || {}).forEach(([code, value]) => {
      document.querySelectorAll(`[${selector}="${CSS.escape(code)}"]`).forEach((node) => {
        node.textContent = value;
      });
    });
    update("data-progress-pillar", body.pillars);
    update("data-progress-indicator", body.indicators);
    if (body.whatif) {
      document.querySelectorAll("[data-whatif-overall]").forEach((n) => { n.textContent = body.whatif.overall; });
      update("data-whatif-pillar", body.whatif.pillars);
    }
  }

  async function send(code, item) {
    const response = await fetch(text.answerUrl + encodeURIComponent(code), {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": text.csrf,
      },
      credentials: "same-origin",
      body: JSON.stringify({ value: item.value, version: item.version }),
    });
    let body = {};
    try { body = await response.json(); } catch (error) { body = {}; }
    return { response, body };
  }

  const flush = window.serialSaver(async () => {
    problem = "";
    for (const code of Object.keys(queue)) {
      const item = queue[code];
      if (item.conflict) continue;
      let reply;
      try {
        reply = await send(code, item);
      } catch (error) {
        offline = true; // fetch itself failed: no connection; everything stays queued
        showStatus();
        return;
      }
      offline = false;
      const { response, body } = reply;
      const fs = fieldset(code);
      if (response.ok) {
        if (queue[code] === item) delete queue[code];
        else queue[code].version = body.version; // changed again meanwhile: send that next
        if (fs) {
          fs.dataset.version = body.version;
          questionStatus(code, queue[code] ? text.textUnsaved : text.textQuestionSaved, queue[code]);
        }
        applyProgress(body);
      } else if (response.status === 409 && body.reason === "stale") {
        queue[code] = { value: queue[code].value, version: item.version, conflict: body };
        showConflict(code);
      } else if (response.status === 409 || response.status === 422) {
        delete queue[code]; // it can never be saved: say so beside the question
        questionStatus(code, text.textFailed.replace("{message}", body.message || ""), true);
        problem = text.textFailed.replace("{message}", body.message || response.statusText);
      } else {
        // signed out, an expired page or a server error: keep it and say so
        problem = text.textFailed.replace("{message}", body.detail || body.message || response.statusText);
        storeQueue();
        showStatus();
        return;
      }
      storeQueue();
    }
    showStatus();
  });

  function changed(event) {
    const fs = event.target.closest("fieldset.question");
    if (!fs || !event.target.matches("[data-answer]")) return;
    const code = fs.dataset.code;
    const waiting = queue[code];
    queue[code] = {
      value: readValue(fs),
      version: waiting && !waiting.conflict ? waiting.version : Number(fs.dataset.version),
    };
    storeQueue();
    updateVisibility();
    questionStatus(code, text.textUnsaved, true);
    showStatus();
  }

  const flushSoon = window.debounced(flush, 700);
  root.addEventListener("change", (event) => { changed(event); flush(); });
  root.addEventListener("input", (event) => {
    if (event.target.type === "radio" || event.target.type === "checkbox") return;
    changed(event);
    flushSoon();
  });
  window.addEventListener("online", () => flush());
  setInterval(() => { if (Object.keys(queue).length) flush(); }, 15000);

  // Answers still waiting from an earlier visit are shown as given, then sent.
  Object.entries(queue).forEach(([code, item]) => {
    const fs = fieldset(code);
    if (!fs) return;
    writeValue(fs, item.value);
    if (item.conflict) showConflict(code);
    else questionStatus(code, text.textUnsaved, true);
  });
  updateVisibility();
  if (Object.keys(queue).length) flush();
})();
