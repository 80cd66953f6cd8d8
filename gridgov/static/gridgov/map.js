/* GridGov map: grids as coloured polygons and buildings as dots, from the paged GeoJSON API.
   No base tiles unless a tile URL is configured, so the map works offline. */
(function () {
  "use strict";
  var PALETTE = ["#d1495b", "#edae49", "#00798c", "#30638e", "#8f2d56",
                 "#3b9b5d", "#b86f52", "#6a4c93", "#1982c4", "#c0843f"];

  function colourFor(code) {
    var h = 0;
    for (var i = 0; i < code.length; i++) { h = (h * 31 + code.charCodeAt(i)) >>> 0; }
    return PALETTE[h % PALETTE.length];
  }

  function text(tag, value, cls) {
    var el = document.createElement(tag);
    el.textContent = value;
    if (cls) { el.className = cls; }
    return el;
  }

  async function fetchAll(url) {
    var features = [];
    while (url) {
      var response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      var page = await response.json();
      features = features.concat(page.features);
      url = page.next;
    }
    return features;
  }

  function gridPopup(props, labels, focused) {
    var box = document.createElement("div");
    box.className = "map-popup";
    box.appendChild(text("strong", props.name));
    box.appendChild(text("div", props.code, "muted mono"));
    box.appendChild(text("div", labels.workers + ": " + (props.workers.join("、") || "—")));
    box.appendChild(text("div", labels.buildings + ": " + props.buildings));
    if (!focused) {
      var link = text("a", labels.open, "button primary small");
      link.href = props.url;
      box.appendChild(link);
    }
    return box;
  }

  async function draw(el) {
    var d = el.dataset;
    var labels = { open: d.openLabel, workers: d.workersLabel, buildings: d.buildingsLabel,
                   units: d.unitsLabel, floors: d.floorsLabel };
    var map = L.map(el, { zoomSnap: 0.25, attributionControl: !!d.tileUrl });
    if (d.tileUrl) {
      L.tileLayer(d.tileUrl, { maxZoom: 19, attribution: d.tileAttribution || "" }).addTo(map);
    }
    map.setView([42.77, 129.42], 14);
    try {
      var grids = await fetchAll(d.gridsUrl);
      var buildings = await fetchAll(d.buildingsUrl);
    } catch (err) {
      el.classList.add("map-error");
      el.appendChild(text("p", d.errorLabel, "map-error-text"));
      return;
    }
    var focusBounds = null;
    var gridLayer = L.geoJSON(grids, {
      style: function (f) {
        var focused = d.focus && f.properties.code === d.focus;
        var dimmed = d.focus && !focused;
        return { color: colourFor(f.properties.code), weight: focused ? 3 : 2,
                 fillOpacity: dimmed ? 0.05 : 0.25, opacity: dimmed ? 0.4 : 1,
                 className: "grid-shape grid-" + f.properties.code };
      },
      onEachFeature: function (f, layer) {
        var focused = d.focus && f.properties.code === d.focus;
        if (focused) { focusBounds = layer.getBounds(); }
        var short = f.properties.community && f.properties.name.indexOf(f.properties.community) === 0
          ? f.properties.name.slice(f.properties.community.length) : f.properties.name;
        // A text node, never a string: Leaflet inserts strings as HTML, and names are data.
        layer.bindTooltip(document.createTextNode(short || f.properties.name),
                          { permanent: true, direction: "center", className: "grid-label" });
        layer.bindPopup(gridPopup(f.properties, labels, focused));
      }
    }).addTo(map);
    L.geoJSON(buildings, {
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, { radius: 5, color: "#333", weight: 1, fillColor: "#fff",
                                        fillOpacity: 1, className: "building-dot" });
      },
      onEachFeature: function (f, layer) {
        var p = f.properties;
        layer.bindPopup(text("div", p.name + " · " + labels.floors + " " + p.floors + " · " + labels.units + " " + p.units));
      }
    }).addTo(map);
    var bounds = focusBounds || (grids.length ? gridLayer.getBounds() : null);
    if (bounds && bounds.isValid()) { map.fitBounds(bounds, { padding: [12, 12], animate: false }); }
    // Marked ready once the view has settled and the shapes are redrawn for it.
    requestAnimationFrame(function () { el.dataset.ready = "1"; });
  }

  document.querySelectorAll("#map, #grid-map").forEach(function (el) { draw(el); });
})();
