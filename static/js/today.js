/* The worker's day: sections follow the counts without a reload.
 *
 * attention.js announces new counts; after a change, this fetches the
 * day page as the server renders it and replaces each live section
 * (data-live-section) with the new one, except a section that holds the
 * keyboard focus (the worker is working in it: it is updated once the
 * focus leaves it). A polite status line says that the page was updated.
 * Without JavaScript the page shows what was there at load.
 */
(function () {
  "use strict";
  var page = document.querySelector("[data-day-page]");
  if (!page || !window.fetch || !window.DOMParser) return;
  var status = document.getElementById("day-status");
  var busy = false;
  var again = false;

  // Every render masks the CSRF token anew: a form whose token alone
  // differs has not changed.
  function content(element) {
    return element.innerHTML.replace(/(name="csrfmiddlewaretoken" value=")[^"]*"/g, "$1\"");
  }
  // Each section as the server last sent it: compared with that, not with
  // the live DOM, which other scripts may have touched (a style attribute
  // is no news).
  var sent = {};
  var initial = page.querySelectorAll("[data-live-section]");
  for (var k = 0; k < initial.length; k++) sent[initial[k].id] = content(initial[k]);

  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    fetch(window.location.pathname, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null) return;
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var sections = page.querySelectorAll("[data-live-section]");
        var updated = 0;
        for (var i = 0; i < sections.length; i++) {
          var old = sections[i];
          var next = fresh.getElementById(old.id);
          if (!next) continue;
          var html = content(next);
          if (html === sent[old.id]) continue;
          if (old.contains(document.activeElement)) {
            // Updated once the focus leaves the section.
            old.addEventListener("focusout", function () { window.setTimeout(refresh, 300); }, { once: true });
            continue;
          }
          old.replaceWith(document.importNode(next, true));
          sent[old.id] = html;
          updated += 1;
        }
        if (updated && status) {
          var now = new Date();
          var time = ("0" + now.getHours()).slice(-2) + ":" + ("0" + now.getMinutes()).slice(-2);
          status.textContent = (status.getAttribute("data-updated") || "Bijgewerkt om") + " " + time + ".";
        }
      })
      .catch(function () {})
      .then(function () {
        busy = false;
        if (again) { again = false; window.setTimeout(refresh, 2000); }
      });
  }

  // "counts" comes after a change for this person (a second message in a
  // conversation already unread changes no count) or when the page comes
  // back from the background; "hello" at (re)connect, then only if the
  // counts changed.
  document.addEventListener("attention:counts", function (event) {
    if (event.detail && (event.detail.changed || event.detail.kind === "counts")) refresh();
  });
})();
