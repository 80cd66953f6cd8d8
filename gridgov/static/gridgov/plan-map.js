/* The plan page's map: the grid's outline, the route's checkpoints, and a tap that sets the new
   checkpoint's latitude and longitude (hidden inputs). Choosing a unit, hazard site or talk point
   (the picker of the chosen kind) moves the point there; the radius input resizes the circle. */
(function () {
  "use strict";
  var el = document.getElementById("plan-map");
  var dataEl = document.getElementById("plan-map-data");
  if (!el || !dataEl || !window.L) { return; }
  var data = JSON.parse(dataEl.textContent);
  var d = el.dataset;
  var latInput = document.getElementById(d.latInput);
  var lonInput = document.getElementById(d.lonInput);
  var unitInput = document.getElementById(d.unitInput);
  var radiusInput = document.getElementById(d.radiusInput);
  var shown = document.getElementById("picked-point");
  var map = L.map(el, { attributionControl: !!d.tileUrl });
  if (d.tileUrl) { L.tileLayer(d.tileUrl, { maxZoom: 19, attribution: d.tileAttribution || "" }).addTo(map); }
  // The view first (Leaflet places circles only on a map with a view), then the layers.
  var bounds = L.latLngBounds([]);
  var outline = data.grid ? L.geoJSON(data.grid, { style: { color: "#30638e", weight: 2, fillOpacity: 0.08 } }) : null;
  if (outline) { bounds.extend(outline.getBounds()); }
  data.checkpoints.forEach(function (cp) { bounds.extend([cp.lat, cp.lon]); });
  if (data.current) { bounds.extend([data.current.lat, data.current.lon]); }
  if (bounds.isValid()) { map.fitBounds(bounds.pad(0.1)); } else { map.setView([42.765, 129.405], 15); }
  if (outline) { outline.addTo(map); }
  data.checkpoints.forEach(function (cp, i) {
    L.circle([cp.lat, cp.lon], { radius: cp.radius, color: "#00798c" }).addTo(map)
      .bindTooltip((i + 1) + ". " + cp.name);
  });
  var picked = null;
  function radius() { return Math.max(5, parseInt(radiusInput && radiusInput.value, 10) || 50); }
  function pick(lat, lon, pan) {
    lat = Math.round(lat * 1e7) / 1e7;
    lon = Math.round(lon * 1e7) / 1e7;
    latInput.value = lat;
    lonInput.value = lon;
    if (shown) { shown.textContent = lat.toFixed(6) + ", " + lon.toFixed(6); }
    if (picked) { picked.setLatLng([lat, lon]); } else {
      picked = L.circle([lat, lon], { radius: radius(), color: "#d1495b" }).addTo(map);
    }
    if (pan) { map.panTo([lat, lon]); }
  }
  if (data.current) { pick(data.current.lat, data.current.lon, false); }
  else if (latInput.value && lonInput.value) { pick(parseFloat(latInput.value), parseFloat(lonInput.value), false); }
  map.on("click", function (event) { pick(event.latlng.lat, event.latlng.lng, false); });
  if (radiusInput) {
    radiusInput.addEventListener("input", function () { if (picked) { picked.setRadius(radius()); } });
  }
  // A picker per kind of target (unit, hazard site, talk point): only the chosen kind's shows,
  // and picking one moves the point to where it lies.
  var pickers = [["unit", unitInput, data.units], ["hazard_site", document.getElementById("id_hazard_site"), data.hazard_sites],
                 ["talk_point", document.getElementById("id_talk_point"), data.talk_points]];
  var kindInput = document.getElementById(d.kindInput);
  pickers.forEach(function (p) {
    if (!p[1]) { return; }
    p[1].addEventListener("change", function () {
      var id = parseInt(p[1].value, 10);
      var found = (p[2] || []).find(function (t) { return t.id === id; });
      if (found) { pick(found.lat, found.lon, true); }
    });
  });
  function showPickers() {
    pickers.forEach(function (p) {
      var wrap = p[1] && p[1].closest(".field");
      if (wrap) { wrap.hidden = !!kindInput && kindInput.value !== p[0]; }
    });
  }
  if (kindInput) { kindInput.addEventListener("change", showPickers); showPickers(); }
  el.planMap = { map: map, pick: pick };
})();
