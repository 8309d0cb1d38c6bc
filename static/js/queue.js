/* Consultation hour, worker on duty: the waiting list updates by itself.
 *
 * The page's attention socket (static/js/attention.js, ws/aandacht/) tells
 * when this person's counts may have changed: a visitor joined, asked the
 * first question, left, or was picked up. The page then fetches the waiting
 * list as the server renders it (names and questions escaped there) and
 * puts it in place. When no attention frame comes (no socket), it fetches
 * every 15 seconds; without JavaScript "Vernieuwen" works.
 */
(function () {
  "use strict";
  var section = document.getElementById("wachtrij");
  if (!section || !section.dataset.liveUrl || !window.fetch) return;
  var status = document.getElementById("wachtrij-status");
  var pollTimer = null;
  var heard = false;

  function refresh() {
    fetch(section.dataset.liveUrl, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null) return;
        // Keep the focus on a pick-up button that is still there.
        var active = document.activeElement;
        var item = active && section.contains(active) ? active.closest("li[data-visit]") : null;
        var focusedVisit = item ? item.dataset.visit : null;
        section.innerHTML = html;
        if (focusedVisit) {
          var again = section.querySelector('li[data-visit="' + focusedVisit + '"] button');
          if (again) again.focus();
        }
        if (status) status.textContent = status.dataset.updated || "";
      })
      .catch(function () {});
  }

  function startPolling() { if (!pollTimer) pollTimer = window.setInterval(refresh, 15000); }
  function stopPolling() { if (pollTimer) { window.clearInterval(pollTimer); pollTimer = null; } }

  document.addEventListener("attention:counts", function (event) {
    heard = true;
    stopPolling();
    var detail = event.detail || {};
    // Every change frame (a first question changes the list, not the
    // count); the opening frame only when something changed since the
    // page was rendered.
    if (detail.kind === "counts" || detail.changed) refresh();
  });
  // No socket frame within a few seconds: look for changes by polling.
  window.setTimeout(function () { if (!heard) startPolling(); }, 5000);
})();
