// The drill console asks every 2 seconds whether anything changed. The answer is a 304 of a
// few bytes while nothing did (ETag), so a thousand idle consoles cost little; when new
// injects arrived, a notice offers to show them without losing the reader's place.
"use strict";
(function () {
  const console_ = document.getElementById("console");
  if (!console_) return;
  const notice = console_.querySelector("[data-new-injects]");
  let etag = console_.dataset.etag;

  async function poll() {
    try {
      const response = await fetch(console_.dataset.feed, {
        headers: { "If-None-Match": `"${etag}"`, "Accept": "application/json" },
        credentials: "same-origin",
        cache: "no-cache",
      });
      if (response.status === 200) {
        const changed = response.headers.get("ETag");
        if (changed) etag = changed.replace(/"/g, "");
        notice.hidden = false;
      }
    } catch (error) {
      // offline for a moment: the next poll tries again
    }
    setTimeout(poll, 2000);
  }
  setTimeout(poll, 2000);

  // A second click on a button that has just sent a form would send it twice.
  document.addEventListener("submit", (event) => {
    setTimeout(() => event.target.querySelectorAll("button").forEach((b) => { b.disabled = true; }));
  });

  // The countdown to the end of the drill, by the minute.
  const countdown = document.querySelector("[data-countdown]");
  function tick() {
    const left = Math.max(0, Math.ceil((Date.parse(countdown.dataset.countdown) - Date.now()) / 60000));
    countdown.textContent = `(${countdown.dataset.leftText.replace("{m}", left)})`;
  }
  if (countdown) { tick(); setInterval(tick, 15000); }
})();
