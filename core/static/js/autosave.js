// Saves a form a moment after the last keystroke, so no edit is lost to a forgotten button.
// The server answers JSON: the new revision (sent back with the next save, so a stale save
// is refused), the form's address (an id may have changed) and a message for the status line.
"use strict";

// Shared with the GCI questionnaire (questionnaire.js): runs `save` one call at a time; a
// call made while one runs is remembered and made once, after it.
window.serialSaver = function serialSaver(save) {
  let busy = false;
  let again = false;
  return async function run() {
    if (busy) { again = true; return; }
    busy = true;
    try { await save(); } finally { busy = false; }
    if (again) { again = false; run(); }
  };
};

// Calls `fn` once the calls to the returned function have paused for `ms` milliseconds.
window.debounced = function debounced(fn, ms) {
  let timer = null;
  return function later() {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
};

// Binds one form; the drill console calls it again for the injects it inserts.
window.autosaveForm = function autosaveForm(form) {
  const status = form.querySelector("[data-autosave-status]");
  let stopped = false;

  const save = window.serialSaver(async () => {
    if (stopped) return;
    status.textContent = form.dataset.savingText;
    try {
      const response = await fetch(form.action || window.location.href, {
        method: "POST",
        body: new FormData(form),
        headers: { "X-Autosave": "1", "Accept": "application/json" },
        credentials: "same-origin",
      });
      const body = await response.json();
      status.textContent = body.message || "";
      if (response.ok) {
        form.elements.revision.value = body.revision;
        if (body.action) form.action = body.action;
      } else if (response.status === 409) {
        stopped = true; // the Save button now shows both versions side by side
      }
    } catch (error) {
      status.textContent = form.dataset.offlineText;
    }
  });

  form.addEventListener("input", window.debounced(save, 1200));
};

document.querySelectorAll("form[data-autosave]").forEach(window.autosaveForm);
