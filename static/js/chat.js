/* Samenspraak chat: real-time messages over a WebSocket, with a fallback.
 *
 * Without JavaScript the page works with a plain form post. With it:
 * - messages are sent over the socket with a client key; until the server
 *   acknowledges a message it stays "pending" and is resent (same key) after
 *   a reconnect, so a network drop never loses or doubles a message;
 * - after every (re)connect the page asks for all messages after the last
 *   sequence number it has, so nothing is missed;
 * - when the socket cannot connect, the page polls and sends by form post.
 */
(function () {
  "use strict";
  var list = document.getElementById("chat");
  var form = document.getElementById("bericht-schrijven");
  if (!list || !form || !window.WebSocket || !window.fetch) return;

  var status = document.getElementById("laatste");
  var textarea = form.querySelector("textarea");
  var fileInput = form.querySelector("input[type=file]");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var me = list.dataset.me;
  var last = parseInt(list.dataset.last, 10) || 0;
  var pending = new Map();
  var socket = null;
  var attempts = 0;
  var pollTimer = null;
  var ended = false;

  function newKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function setStatus(which) {
    if (status) status.textContent = status.dataset[which] || "";
  }

  function showError(text) {
    var p = document.createElement("p");
    p.className = "message message-error";
    p.setAttribute("role", "alert");
    p.textContent = text;
    form.parentNode.insertBefore(p, form);
    window.setTimeout(function () { p.remove(); }, 8000);
  }

  function removedText(message) {
    return message.status === "hidden" ? list.dataset.hiddenText || "Dit bericht is verborgen door de sociaal werker."
      : list.dataset.deletedText || "Dit bericht is verwijderd.";
  }

  // The safety warning the page shows above a message from someone else
  // with a link or a question about codes (texts from the page, as there).
  function warningText(warnings) {
    if (!warnings || !warnings.length) return "";
    if (warnings.indexOf("sensitive") !== -1) return list.dataset.warningSensitive || "";
    return list.dataset.warningLink || "";
  }

  var ZERO_ID = "00000000-0000-0000-0000-000000000000";
  var editMs = (parseInt(list.dataset.editSeconds, 10) || 0) * 1000;

  // The same actions the server renders, from a <template> in the page:
  // edit (only within the edit window) and delete on one's own message;
  // report (and hide, for staff) on someone else's message in a group.
  function actions(message) {
    var template = document.getElementById(message.author === me ? "chat-actions-mine" : "chat-actions-other");
    if (!template || message.status !== "visible") return null;
    var box = template.content.firstElementChild.cloneNode(true);
    box.querySelectorAll("a[href], form[action]").forEach(function (node) {
      var attribute = node.tagName === "A" ? "href" : "action";
      node.setAttribute(attribute, node.getAttribute(attribute).replace(ZERO_ID, message.id));
    });
    var edit = box.querySelector("[data-action=edit]");
    if (edit) {
      var left = new Date(message.created_at).getTime() + editMs - Date.now();
      if (left <= 0) edit.remove();
      else window.setTimeout(function () { edit.remove(); }, left);
    }
    return box;
  }

  function attachmentLink(message) {
    var p = document.createElement("p");
    var a = document.createElement("a");
    a.href = "/berichten/bericht/" + encodeURIComponent(message.id) + "/bijlage/";
    a.textContent = list.dataset.attachmentText || "Bijlage openen";
    p.appendChild(a);
    return p;
  }

  function fill(li, message) {
    var read = li.querySelector(".chat-read");
    li.textContent = "";
    li.dataset.id = message.id;
    var meta = document.createElement("p");
    meta.className = "chat-meta";
    var name = document.createElement("strong");
    name.textContent = message.author_name;
    var time = document.createElement("time");
    time.dateTime = message.created_at;
    // The same form as the page itself shows ("29 november, 20:28").
    var when = new Date(message.created_at);
    var locale = document.documentElement.lang === "en" ? "en-GB" : "nl-NL";
    time.textContent = when.toLocaleDateString(locale, { day: "numeric", month: "long" }) + ", " +
      when.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" });
    meta.appendChild(name);
    meta.appendChild(document.createTextNode(" "));
    meta.appendChild(time);
    if (message.edited) meta.appendChild(document.createTextNode(" · " + (list.dataset.editedText || "gewijzigd")));
    li.appendChild(meta);
    var warning = message.status === "visible" && message.author !== me ? warningText(message.warnings) : "";
    if (warning) {
      var note = document.createElement("p");
      note.className = "chat-warning";
      note.setAttribute("role", "note");
      note.textContent = warning;
      li.appendChild(note);
    }
    var body = document.createElement("p");
    if (message.status === "visible") {
      body.className = "chat-body";
      body.textContent = message.body;
    } else {
      body.className = "chat-removed";
      body.textContent = removedText(message);
    }
    li.appendChild(body);
    if (message.status === "visible" && message.has_attachment) li.appendChild(attachmentLink(message));
    var box = actions(message);
    if (box) li.appendChild(box);
    if (read && message.author === me) li.appendChild(read);
  }

  // "Read by" under one's own messages, as the server shows it after a reload.
  function showRead(frame) {
    if (!frame.reader || frame.reader_id === me) return;
    list.querySelectorAll(".chat-message.mine").forEach(function (li) {
      if (parseInt(li.dataset.sequence, 10) > frame.sequence) return;
      var read = li.querySelector(".chat-read");
      if (!read) {
        read = document.createElement("p");
        read.className = "chat-read";
        read.dataset.readers = "";
        li.appendChild(read);
      }
      var names = read.dataset.readers ? read.dataset.readers.split("\n")
        : read.textContent.replace(list.dataset.readText || "Gelezen door", "").split(",").map(function (n) { return n.trim(); }).filter(Boolean);
      if (names.indexOf(frame.reader) !== -1) return;
      names.push(frame.reader);
      read.dataset.readers = names.join("\n");
      read.textContent = (list.dataset.readText || "Gelezen door") + " " + names.join(", ");
    });
  }

  function render(message) {
    var existing = document.getElementById("bericht-" + message.sequence);
    if (existing) {
      if (message.status !== "visible" || message.edited) fill(existing, message);
      return;
    }
    var empty = list.querySelector(".chat-empty");
    if (empty) empty.remove();
    var li = document.createElement("li");
    li.className = "chat-message" + (message.author === me ? " mine" : "");
    li.id = "bericht-" + message.sequence;
    li.dataset.sequence = message.sequence;
    fill(li, message);
    var after = null;
    list.querySelectorAll(".chat-message").forEach(function (node) {
      if (!after && parseInt(node.dataset.sequence, 10) > message.sequence) after = node;
    });
    list.insertBefore(li, after);
    if (message.sequence > last) last = message.sequence;
  }

  function markRead() {
    if (socket && socket.readyState === 1 && !document.hidden) {
      socket.send(JSON.stringify({ type: "read", sequence: last }));
    }
  }

  function sendByPost(key, body) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", csrf);
    data.append("client_key", key);
    data.append("body", body);
    return fetch(list.dataset.sendUrl, {
      method: "POST", body: data, credentials: "same-origin", headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (frame) {
        if (response.ok) { pending.delete(key); render(frame.message); }
        else { pending.delete(key); showError(frame.message); }
      });
    }).catch(function () { /* still pending: resent on the next try */ });
  }

  function poll() {
    fetch(list.dataset.sinceUrl + "?na=" + last, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (frame) { if (frame) frame.messages.forEach(render); })
      .catch(function () {});
    pending.forEach(function (body, key) { sendByPost(key, body); });
  }

  function accessEnded(text) {
    if (ended) return;
    ended = true;
    stopPolling();
    socket = null;
    if ((list.dataset.reloadOn || "").split(" ").indexOf("closed") !== -1) { window.location.reload(); return; }
    setStatus("ended");
    var p = document.createElement("p");
    p.className = "message message-error";
    p.setAttribute("role", "alert");
    p.textContent = text || (status && status.dataset.ended) || "";
    var again = document.createElement("a");
    again.href = window.location.pathname + window.location.search;
    again.textContent = (status && status.dataset.reload) || "";
    if (again.textContent) { p.appendChild(document.createTextNode(" ")); p.appendChild(again); }
    form.parentNode.insertBefore(p, form);
  }

  function startPolling() { if (!pollTimer) pollTimer = window.setInterval(poll, 5000); }
  function stopPolling() { if (pollTimer) { window.clearInterval(pollTimer); pollTimer = null; } }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    try {
      socket = new WebSocket(scheme + window.location.host + "/ws/gesprekken/" + list.dataset.conversation + "/");
    } catch (error) {
      // The browser refused to open a socket at all: poll and post instead.
      socket = null;
      setStatus("offline");
      startPolling();
      return;
    }
    socket.onopen = function () {
      attempts = 0;
      stopPolling();
      setStatus("connected");
      socket.send(JSON.stringify({ type: "sync", after: last }));
      pending.forEach(function (body, key) {
        socket.send(JSON.stringify({ type: "send", client_key: key, body: body }));
      });
    };
    socket.onmessage = function (event) {
      var frame = JSON.parse(event.data);
      if (frame.type === "ack") { pending.delete(frame.client_key); render(frame.message); markRead(); }
      else if (frame.type === "message") { render(frame.message); markRead(); }
      else if (frame.type === "messages") {
        frame.messages.forEach(render);
        if (frame.more) socket.send(JSON.stringify({ type: "sync", after: last }));
        markRead();
      }
      else if (frame.type === "update") { render(frame.message); }
      else if (frame.type === "read") { showRead(frame); }
      else if ((list.dataset.reloadOn || "").split(" ").indexOf(frame.type) !== -1) { window.location.reload(); }
      else if (frame.type === "access-ended") { accessEnded(frame.message); }
      else if (frame.type === "error") {
        if (frame.client_key && frame.code !== "rate_limited") pending.delete(frame.client_key);
        showError(frame.message);
      }
    };
    socket.onclose = function (event) {
      // 4403: access ended (signed out, no longer a member, visit closed).
      // Reconnecting would not help; the page says what to do instead.
      if (event.code === 4403 || ended) { accessEnded(); return; }
      setStatus("offline");
      startPolling();
      attempts += 1;
      window.setTimeout(connect, Math.min(30000, 1000 * Math.pow(2, attempts)));
    };
  }

  form.addEventListener("submit", function (event) {
    if (fileInput && fileInput.files.length) return; // attachments go by the normal form post
    var body = textarea.value.trim();
    if (!body) return; // the server explains what is wrong
    event.preventDefault();
    var key = newKey();
    pending.set(key, body);
    if (socket && socket.readyState === 1) {
      socket.send(JSON.stringify({ type: "send", client_key: key, body: body }));
    } else {
      sendByPost(key, body);
    }
    textarea.value = "";
    textarea.focus();
  });
  document.addEventListener("visibilitychange", markRead);
  connect();
})();
