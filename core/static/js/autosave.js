// Saves a form a moment after the last keystroke, so no edit is lost to a forgotten button.
// The server answers JSON: the new revision (sent back with the next save, so a stale save
// is refused), the form's address (an id may have changed) and a message for the status line.
"use strict";
document.querySelectorAll("form[data-autosave]").forEach((form) => {
  const status = form.querySelector("[data-autosave-status]");
  let timer = null;
  let busy = false;
  let again = false;
  let stopped = false;

  async function save() {
    if (stopped) return;
    if (busy) { again = true; return; }
    busy = true;
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
    busy = false;
    if (again) { again = false; save(); }
  }

  form.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(save, 1200);
  });
});
