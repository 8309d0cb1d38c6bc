/* "Meldingen op dit apparaat" (notifications/settings.html): switch push
 * on or off for this browser. Permission is asked only after a click. The
 * subscription goes to the server as a form field with the CSRF token. */
(function () {
  "use strict";
  var controls = document.getElementById("push-controls");
  if (!controls) return;
  var status = document.getElementById("push-status");
  var onWrap = document.getElementById("push-on-wrap");
  var offWrap = document.getElementById("push-off-wrap");
  var csrf = document.querySelector("#push-form input[name=csrfmiddlewaretoken]").value;
  var text = controls.dataset;

  document.getElementById("push-no-script").hidden = true;
  controls.hidden = false;

  function say(message) { status.textContent = message; }

  function show(isOn) {
    onWrap.hidden = isOn;
    offWrap.hidden = !isOn;
    say(isOn ? text.textOn : text.textOff);
  }

  var supported = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window && window.isSecureContext;
  if (!supported) {
    onWrap.hidden = true;
    say(text.textUnsupported);
    return;
  }

  function keyBytes(base64url) {
    var base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    base64 += "====".slice(0, (4 - base64.length % 4) % 4);
    var raw = window.atob(base64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function post(url, fields) {
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrf);
    Object.keys(fields).forEach(function (name) { body.append(name, fields[name]); });
    return fetch(url, { method: "POST", body: body, credentials: "same-origin", headers: { "X-CSRFToken": csrf } })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (!response.ok) throw new Error(data.error || text.textFailed);
          return data;
        });
      });
  }

  function registration() { return navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () { return navigator.serviceWorker.ready; }); }

  function switchOn() {
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") { say(text.textDenied); return null; }
      return registration().then(function (reg) {
        return reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(text.vapidKey) });
      }).then(function (subscription) {
        return post(text.subscribeUrl, { subscription: JSON.stringify(subscription.toJSON()) });
      }).then(function () {
        window.location.reload();
      });
    }).catch(function (error) { say(error && error.message ? error.message : text.textFailed); });
  }

  function switchOff() {
    registration().then(function (reg) { return reg.pushManager.getSubscription(); }).then(function (subscription) {
      if (!subscription) return null;
      var endpoint = subscription.endpoint;
      return subscription.unsubscribe().then(function () { return post(text.unsubscribeUrl, { endpoint: endpoint }); });
    }).then(function () {
      window.location.reload();
    }).catch(function () { say(text.textFailed); });
  }

  document.getElementById("push-on").addEventListener("click", switchOn);
  document.getElementById("push-off").addEventListener("click", switchOff);

  navigator.serviceWorker.getRegistration("/").then(function (reg) {
    return reg ? reg.pushManager.getSubscription() : null;
  }).then(function (subscription) {
    show(Boolean(subscription));
    if (!subscription && Notification.permission === "denied") say(text.textDenied);
  }).catch(function () { show(false); });
})();
