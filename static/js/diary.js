/* The activity diary: an entry that cannot be sent (no connection) stays
   on this device and is sent again, so nothing is silently lost.

   The form works without this script. With it, the add form is sent with
   fetch; the fields are first put in localStorage (the outbox) and taken
   out only when the server answered. The form's client_key makes a resend
   find the stored entry instead of adding a second one. The outbox is sent
   again when the browser is online again, every 30 seconds, and when a
   diary page opens. An entry the server refuses on a later try (its day
   is now too far ahead, say) goes back into the add form with the
   server's message. Also: the "what you do often" and minutes buttons,
   and the print button. */
(function () {
  "use strict";
  var KEY = "samenspraak.diary.outbox";
  var status = document.querySelector("[data-diary-outbox-status]");
  var form = document.querySelector("form[data-diary-outbox]");

  function load() {
    try { return JSON.parse(window.localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }
  function save(items) {
    try { window.localStorage.setItem(KEY, JSON.stringify(items)); } catch (e) { /* private mode: the page keeps the form */ }
  }
  function without(key) {
    save(load().filter(function (item) { return item.key !== key; }));
  }
  function token() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function text(name, count) {
    return status ? (status.getAttribute("data-" + name) || "").replace("%(count)s", count) : "";
  }
  function show(message) {
    if (!status) { return; }
    status.textContent = message;
    status.hidden = !message;
  }
  function describe() {
    var waiting = load().length;
    show(waiting === 0 ? "" : waiting === 1 ? text("one", 1) : text("many", waiting));
  }

  function post(item) {
    var body = new URLSearchParams();
    item.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    body.set("csrfmiddlewaretoken", token());
    // "manual": a redirect means stored; the week page (with its message)
    // is then opened by the browser itself.
    return fetch(item.url, { method: "POST", body: body, credentials: "same-origin", redirect: "manual" });
  }
  function stored(response) { return response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400); }
  function keep(response) { return response.status === 0 || response.status === 403 || response.status === 429 || response.status >= 500; }

  function weekUrl(item) {
    var day = "";
    item.fields.forEach(function (pair) { if (pair[0] === "day") { day = pair[1]; } });
    return item.done + (day ? "?week=" + encodeURIComponent(day) : "");
  }

  function fill(item) {
    item.fields.forEach(function (pair) {
      var fields = form.querySelectorAll("[name='" + pair[0] + "']");
      fields.forEach(function (field) {
        if (field.type === "radio") { field.checked = field.value === pair[1]; }
        else if (field.type === "checkbox") { field.checked = true; }
        else if (field.name !== "csrfmiddlewaretoken") { field.value = pair[1]; }
      });
    });
  }

  var flushing = false;
  function flush() {
    if (flushing) { return; }
    var items = load().filter(function (item) { return !item.refused; });
    if (!items.length) { return review(); }
    flushing = true;
    var sent = 0;
    var next = function () {
      var item = items.shift();
      if (!item) { flushing = false; if (sent) { show(text("sent", sent)); } else { describe(); } return review(); }
      post(item).then(function (response) {
        if (stored(response)) { without(item.key); sent += 1; return next(); }
        if (keep(response)) { flushing = false; return describe(); }
        // Refused with a message: put it back in the form to show it.
        var all = load();
        all.forEach(function (other) { if (other.key === item.key) { other.refused = true; } });
        save(all);
        next();
      }, function () { flushing = false; describe(); });
    };
    next();
  }

  function review() {
    var refused = load().filter(function (item) { return item.refused; });
    if (!refused.length) { return; }
    if (form) {
      fill(refused[0]);
      without(refused[0].key);
      form.submit();  // the ordinary post: the page answers with the message
    } else {
      show(text("refused", refused.length));
    }
  }

  if (form) {
    form.addEventListener("submit", function (event) {
      if (!window.fetch || !window.URLSearchParams) { return; }
      event.preventDefault();
      var data = new FormData(form);
      var item = { key: String(data.get("client_key") || Date.now()), url: form.action || window.location.href,
                   done: form.getAttribute("data-diary-done"), fields: [] };
      data.forEach(function (value, name) { if (name !== "csrfmiddlewaretoken") { item.fields.push([name, String(value)]); } });
      without(item.key);
      save(load().concat([item]));
      var button = form.querySelector("button[type=submit]");
      if (button) { button.disabled = true; }
      post(item).then(function (response) {
        if (button) { button.disabled = false; }
        if (stored(response)) { without(item.key); window.location.assign(weekUrl(item)); return; }
        if (keep(response)) { show(text("offline", 1)); return; }
        without(item.key);
        return response.text().then(function (html) { document.open(); document.write(html); document.close(); });
      }, function () {
        if (button) { button.disabled = false; }
        show(text("offline", 1));
      });
    });
  }

  document.querySelectorAll("[data-diary-frequent], [data-diary-minutes], [data-diary-print]").forEach(function (el) { el.hidden = false; });
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("button") : null;
    if (!target) { return; }
    if (target.hasAttribute("data-diary-what")) {
      var what = document.getElementById("id_what");
      if (what) { what.value = target.getAttribute("data-diary-what"); what.focus(); }
    } else if (target.hasAttribute("data-diary-minutes-value")) {
      var minutes = document.getElementById("id_minutes");
      if (minutes) { minutes.value = target.getAttribute("data-diary-minutes-value"); minutes.focus(); }
    } else if (target.hasAttribute("data-diary-print")) {
      window.print();
    }
  });

  describe();
  flush();
  window.addEventListener("online", flush);
  if (window.diaryOutboxTimer) { window.clearInterval(window.diaryOutboxTimer); }
  window.diaryOutboxTimer = window.setInterval(flush, 30000);
})();
