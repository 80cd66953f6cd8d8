/* Draws a round's track and its checkpoints (the JSON read is audited on the server). */
(function () {
  "use strict";
  var el = document.getElementById("track-map");
  if (!el || !window.L) { return; }
  var map = L.map(el);
  if (el.dataset.tileUrl) { L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution }).addTo(map); }
  fetch(el.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var bounds = L.latLngBounds([]);
      data.checkpoints.forEach(function (cp) {
        var circle = L.circle([cp.lat, cp.lon], { radius: cp.radius, color: "#00798c" }).addTo(map).bindTooltip(cp.name);
        bounds.extend(circle.getLatLng());
      });
      var line = data.coordinates.map(function (c) { return [c[1], c[0]]; });
      if (line.length) {
        var path = L.polyline(line, { color: "#d1495b", weight: 4 }).addTo(map);
        bounds.extend(path.getBounds());
      } else {
        var note = document.createElement("p");
        note.className = "muted";
        note.textContent = el.dataset.emptyLabel;
        el.after(note);
      }
      if (bounds.isValid()) { map.fitBounds(bounds.pad(0.2)); } else { map.setView([42.765, 129.405], 15); }
    });
})();
