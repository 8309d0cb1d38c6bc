/* What needs this person: the menu badges stay current.
 *
 * One socket per page to ws/aandacht/. The server sends the counts when the
 * socket opens ("hello") and after every change ("counts"): numbers only,
 * never names or content. Each badge says which counts it adds up
 * (data-attention="name other"); a badge of 0 is hidden. Other scripts of
 * the page listen to the "attention:counts" event on document (detail: the
 * counts and whether they changed). When the page comes back from the
 * background it asks again. Without JavaScript the badges show the counts
 * of the last page load.
 */
(function () {
  "use strict";
  var nav = document.querySelector("[data-attention-socket]");
  if (!nav || !window.WebSocket || !window.JSON) return;
  var path = nav.getAttribute("data-attention-socket");
  var socket = null;
  var attempts = 0;
  var ended = false;
  var last = null;

  function apply(counts, kind) {
    var badges = document.querySelectorAll("[data-attention]");
    // Whether a badge shows another number than before: on the first
    // frame, the numbers the page was rendered with.
    var differs = false;
    for (var i = 0; i < badges.length; i++) {
      var names = badges[i].getAttribute("data-attention").split(" ");
      var total = 0;
      var known = false;
      for (var j = 0; j < names.length; j++) {
        if (names[j] && Object.prototype.hasOwnProperty.call(counts, names[j])) {
          total += counts[names[j]];
          known = true;
        }
      }
      if (!known && names.join("").length) continue;
      var number = badges[i].querySelector("[data-attention-number]");
      if (number) {
        if (number.textContent !== String(total)) differs = true;
        number.textContent = String(total);
      }
      badges[i].hidden = total === 0;
    }
    var serialised = JSON.stringify(counts);
    // Something may have changed between the page's render and the
    // socket's first frame: then the badges the page came with differ.
    var changed = last === null ? differs : serialised !== last;
    last = serialised;
    document.dispatchEvent(new CustomEvent("attention:counts", { detail: { counts: counts, kind: kind, changed: changed } }));
  }

  function connect() {
    if (ended) return;
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    try {
      socket = new WebSocket(scheme + window.location.host + path);
    } catch (error) {
      return;
    }
    socket.onopen = function () { attempts = 0; };
    socket.onmessage = function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (error) { return; }
      if ((frame.type === "hello" || frame.type === "counts") && frame.counts) apply(frame.counts, frame.type);
      else if (frame.type === "access-ended") ended = true;
    };
    socket.onclose = function (event) {
      socket = null;
      if (ended || event.code === 4403) { ended = true; return; }
      // Back off: 1, 2, 4 ... up to 60 seconds.
      attempts += 1;
      window.setTimeout(connect, Math.min(60000, 1000 * Math.pow(2, attempts - 1)));
    };
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState !== "visible") return;
    if (socket && socket.readyState === 1) socket.send(JSON.stringify({ type: "refresh" }));
    else if (!socket && !ended) { attempts = 0; connect(); }
  });
  connect();
})();
