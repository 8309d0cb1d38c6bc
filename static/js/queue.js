/* Consultation hour, worker on duty: the waiting list updates by itself.
 *
 * The attention socket (ws/aandacht/) says when this person's counts
 * changed (a visitor joined, asked the first question, left, or was picked
 * up); the page then fetches the waiting list as the server renders it
 * (names and questions escaped there) and puts it in place. Without the
 * socket it fetches every 15 seconds; without JavaScript "Vernieuwen" works.
 */
(function () {
  "use strict";
  var section = document.getElementById("wachtrij");
  if (!section || !section.dataset.liveUrl || !window.fetch) return;
  var status = document.getElementById("wachtrij-status");
  var attempts = 0;
  var pollTimer = null;
  var ended = false;
  var connectedBefore = false;

  function refresh() {
    fetch(section.dataset.liveUrl, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null) return;
        // Keep focus on a pick-up button that is still there.
        var focused = document.activeElement && section.contains(document.activeElement)
          ? document.activeElement.closest("li") : null;
        var focusedVisit = focused ? focused.dataset.visit : null;
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

  function connect() {
    if (!window.WebSocket) { startPolling(); return; }
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket;
    try {
      socket = new WebSocket(scheme + window.location.host + "/ws/aandacht/");
    } catch (error) {
      startPolling();
      return;
    }
    socket.onopen = function () { attempts = 0; stopPolling(); };
    socket.onmessage = function (event) {
      var frame = JSON.parse(event.data);
      if (frame.type === "counts") refresh();
      else if (frame.type === "hello") {
        // After a reconnect, changes may have been missed while away.
        if (connectedBefore) refresh();
        connectedBefore = true;
      }
      else if (frame.type === "access-ended") { ended = true; stopPolling(); }
    };
    socket.onclose = function (event) {
      if (ended || event.code === 4403) return;
      startPolling();
      attempts += 1;
      window.setTimeout(function () { connect(); }, Math.min(30000, 1000 * Math.pow(2, attempts)));
    };
  }
  connect();
})();
