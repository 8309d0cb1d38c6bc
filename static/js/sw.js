/* Samenspraak service worker, served as /sw.js with its settings in front
 * (self.SAMENSPRAAK_SW, notifications/pwa.py).
 *
 * What it keeps: the offline page and static files. Nothing else, ever:
 * every other page may show personal data, so pages always come from the
 * network, and without a network the offline page takes their place.
 * - static files: from the cache first, else the network (then kept);
 * - page navigations: the network, else the kept offline page;
 * - everything else (POSTs, fetches, sockets): not touched.
 * It also shows pushes, which carry no content (notifications/push.py).
 */
"use strict";

var CONFIG = self.SAMENSPRAAK_SW;
var CACHE = "samenspraak-" + CONFIG.version;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      // The offline page without cookies: it is rendered for nobody in particular.
      var offline = new Request(CONFIG.offlineUrl, { credentials: "omit", cache: "no-store" });
      return Promise.all([
        fetch(offline).then(function (response) {
          if (!response.ok) throw new Error("offline page " + response.status);
          return cache.put(CONFIG.offlineUrl, response);
        }),
        cache.addAll(CONFIG.precache)
      ]);
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("samenspraak-") === 0 && name !== CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function offlinePage() {
  return caches.match(CONFIG.offlineUrl, { cacheName: CACHE, ignoreVary: true }).then(function (response) {
    return response || Response.error();
  });
}

function staticFirst(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request, { ignoreVary: true }).then(function (kept) {
      if (kept) return kept;
      return fetch(request).then(function (response) {
        if (response.ok && response.type === "basic") cache.put(request, response.clone());
        return response;
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(offlinePage));
    return;
  }
  if (url.pathname.indexOf(CONFIG.staticUrl) === 0) {
    event.respondWith(staticFirst(request));
  }
});

/* A path on this site, never another site's address. */
function ownPath(value) {
  try {
    var url = new URL(String(value || "/"), self.location.origin);
    if (url.origin === self.location.origin) return url.pathname + url.search + url.hash;
  } catch (error) { /* not a URL: the start page */ }
  return "/";
}

self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (error) { data = {}; }
  var title = typeof data.title === "string" ? data.title : "Samenspraak";
  var body = typeof data.body === "string" ? data.body : "";
  event.waitUntil(self.registration.showNotification(title, {
    body: body,
    icon: CONFIG.icon,
    lang: "nl",
    tag: "samenspraak-nieuws",
    data: { url: ownPath(data.url) }
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var path = ownPath(event.notification.data && event.notification.data.url);
  var target = new URL(path, self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
      for (var i = 0; i < windows.length; i++) {
        if (new URL(windows[i].url).origin === self.location.origin && "focus" in windows[i]) {
          return windows[i].focus().then(function (client) {
            return client && "navigate" in client ? client.navigate(target) : client;
          });
        }
      }
      return self.clients.openWindow(target);
    })
  );
});
