/* GridGov patrol service worker: the round page and its assets open without a network.
   Pages: network first, the last copy when offline. Static assets: cache first. POSTs are never
   touched (the page's IndexedDB queue resends them). */
var CACHE = "gridgov-patrol-v2";

self.addEventListener("install", function (event) { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(caches.open(CACHE).then(function (cache) {
      return cache.match(request).then(function (hit) {
        return hit || fetch(request).then(function (response) {
          if (response.ok) { cache.put(request, response.clone()); }
          return response;
        });
      });
    }));
    return;
  }
  if (request.mode === "navigate" && /^\/patrols\/(rounds\/\d+\/)?$/.test(url.pathname)) {
    event.respondWith(fetch(request).then(function (response) {
      if (!response.ok) { return response; }
      var copy = response.clone();
      return caches.open(CACHE).then(function (cache) { return cache.put(request, copy); })
        .then(function () { return response; });
    }).catch(function () {
      return caches.open(CACHE).then(function (cache) { return cache.match(request, { ignoreVary: true }); })
        .then(function (hit) { return hit || Response.error(); });
    }));
  }
});
