// The drill console asks every 2 seconds whether anything changed, and just after an inject
// falls due when the server says one will before then (Poll-After, in ms). The answer is a
// 304 of a few bytes while nothing did (ETag), so a thousand idle consoles cost little. New
// injects are
// put at the top of the list without a reload, leaving what the team is typing untouched,
// and an unobtrusive notice links to them; any other change (a broadcast, a score, the
// drill starting or ending) offers a reload instead.
"use strict";
(function () {
  const console_ = document.getElementById("console");
  if (!console_) return;
  const notice = console_.querySelector("[data-new-injects]");
  let etag = console_.dataset.etag;

  async function poll() {
    let next = 2000;
    try {
      const response = await fetch(console_.dataset.feed, {
        headers: { "If-None-Match": `"${etag}"`, "Accept": "application/json" },
        credentials: "same-origin",
        cache: "no-cache",
      });
      // An inject (or the start) falls due before the next poll: ask just after it does.
      const soon = parseInt(response.headers.get("Poll-After"), 10);
      if (soon >= 0 && soon < next) next = soon + 100;
      if (response.status === 200) {
        const changed = response.headers.get("ETag");
        if (changed) etag = changed.replace(/"/g, "");
        const feed = await response.json();
        const fresh = feed.injects.filter((id) => !document.getElementById(`inject-${id}`));
        if (!(fresh.length && await insert(fresh))) showNotice("");
      }
    } catch (error) {
      // offline for a moment: the next poll tries again
    }
    setTimeout(poll, next);
  }
  setTimeout(poll, 2000);

  function showNotice(anchor) {
    notice.querySelector("a").setAttribute("href", anchor || window.location.pathname);
    notice.hidden = false;
  }

  // Copies the new injects' items from a fresh copy of this page; false if it cannot.
  async function insert(ids) {
    const list = document.getElementById("injects");
    if (!list) return false;
    const page = await fetch(window.location.pathname, { credentials: "same-origin" });
    if (!page.ok) return false;
    const doc = new DOMParser().parseFromString(await page.text(), "text/html");
    const items = ids.map((id) => doc.getElementById(`inject-${id}`)).filter(Boolean);
    if (items.length !== ids.length) return false;
    list.querySelectorAll("li:not(.inject)").forEach((empty) => empty.remove());
    items.forEach((item) => {  // oldest first, each above the last: newest on top
      const copy = document.importNode(item, true);
      list.prepend(copy);
      copy.querySelectorAll("form[data-autosave]").forEach((form) => {
        if (window.autosaveForm) window.autosaveForm(form);
      });
    });
    showNotice(`#inject-${ids[ids.length - 1]}`);
    return true;
  }

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
