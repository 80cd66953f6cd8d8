/* GridGov map: the base map (roads, the river, building footprints, or tiles when configured),
   grids shaded by a chosen figure, buildings, and on the main map the cases and hazards as
   clustered points coloured by state plus a heat layer, all from the paged GeoJSON APIs.
   Data are WGS-84; on GCJ-02 tiles (高德, 腾讯) every drawn point is shifted to GCJ-02 first. */
(function () {
  "use strict";
  var PALETTE = ["#d1495b", "#edae49", "#00798c", "#30638e", "#8f2d56",
                 "#3b9b5d", "#b86f52", "#6a4c93", "#1982c4", "#c0843f"];
  var STATE_RANK = { overdue: 4, warning: 3, open: 2, closed: 1, ended: 0 };
  var MAX_POINT_PAGES = 10;  // at most 10 pages of 2,000 points per layer: the map stays bounded

  /* WGS-84 → GCJ-02, the widely published formula (Krasovsky ellipsoid); its Python twin and
     the reference values it is tested against are in gridgov/geo/gcj02.py. */
  var GCJ = (function () {
    var A = 6378245.0, EE = 0.00669342162296594323, PI = Math.PI;
    function outOfChina(lon, lat) {
      return !(lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271);
    }
    function tLat(x, y) {
      var r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
      r += (20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0 / 3.0;
      r += (20.0 * Math.sin(y * PI) + 40.0 * Math.sin(y / 3.0 * PI)) * 2.0 / 3.0;
      r += (160.0 * Math.sin(y / 12.0 * PI) + 320 * Math.sin(y * PI / 30.0)) * 2.0 / 3.0;
      return r;
    }
    function tLon(x, y) {
      var r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
      r += (20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0 / 3.0;
      r += (20.0 * Math.sin(x * PI) + 40.0 * Math.sin(x / 3.0 * PI)) * 2.0 / 3.0;
      r += (150.0 * Math.sin(x / 12.0 * PI) + 300.0 * Math.sin(x / 30.0 * PI)) * 2.0 / 3.0;
      return r;
    }
    function offset(lon, lat) {
      var dLat = tLat(lon - 105.0, lat - 35.0), dLon = tLon(lon - 105.0, lat - 35.0);
      var radLat = lat / 180.0 * PI, magic = 1 - EE * Math.sin(radLat) * Math.sin(radLat);
      var sqrtMagic = Math.sqrt(magic);
      dLat = (dLat * 180.0) / ((A * (1 - EE)) / (magic * sqrtMagic) * PI);
      dLon = (dLon * 180.0) / (A / sqrtMagic * Math.cos(radLat) * PI);
      return [dLon, dLat];
    }
    return {
      wgs84ToGcj02: function (lon, lat) {
        if (outOfChina(lon, lat)) { return [lon, lat]; }
        var d = offset(lon, lat);
        return [lon + d[0], lat + d[1]];
      },
      gcj02ToWgs84: function (lon, lat) {
        if (outOfChina(lon, lat)) { return [lon, lat]; }
        var d = offset(lon, lat);
        return [lon - d[0], lat - d[1]];
      }
    };
  })();
  window.GridGovCoords = GCJ;

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

  async function fetchAll(url, maxPages) {
    var features = [];
    var pages = 0;
    while (url && (!maxPages || pages < maxPages)) {
      var response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      var page = await response.json();
      features = features.concat(page.features);
      url = page.next;
      pages += 1;
    }
    return features;
  }

  function withQuery(url, params) {
    var u = new URL(url, window.location.href);
    Object.keys(params).forEach(function (k) {
      if (params[k] !== "" && params[k] !== null && params[k] !== undefined) { u.searchParams.set(k, params[k]); }
    });
    return u.pathname + u.search;
  }

  function gridPopup(props, labels, focused, figure) {
    var box = document.createElement("div");
    box.className = "map-popup";
    box.appendChild(text("strong", props.name));
    box.appendChild(text("div", props.code, "muted mono"));
    box.appendChild(text("div", labels.workers + ": " + (props.workers.join("、") || "—")));
    box.appendChild(text("div", labels.buildings + ": " + props.buildings));
    if (figure) { box.appendChild(text("div", figure.label + ": " + figure.value, "map-figure")); }
    if (!focused) {
      var link = text("a", labels.open, "button primary small");
      link.href = props.url;
      box.appendChild(link);
    }
    return box;
  }

  function pointPopup(p, openLabel, extra) {
    var box = document.createElement("div");
    box.className = "map-popup";
    box.appendChild(text("strong", p.title));
    box.appendChild(text("div", p.number + " · " + p.status_label, "muted"));
    (extra || []).forEach(function (line) { if (line) { box.appendChild(text("div", line)); } });
    var link = text("a", openLabel, "button primary small");
    link.href = p.url;
    box.appendChild(link);
    return box;
  }

  /* A shade of red from pale (0) to deep (the largest value). */
  function shade(value, max) {
    if (!max || !value) { return "#f4efe6"; }
    var t = Math.min(1, value / max);
    var light = [254, 229, 217], deep = [165, 15, 21];
    var c = light.map(function (l, i) { return Math.round(l + (deep[i] - l) * t); });
    return "rgb(" + c.join(",") + ")";
  }

  function isoDay(date) {
    return date.getFullYear() + "-" + String(date.getMonth() + 1).padStart(2, "0") + "-" +
      String(date.getDate()).padStart(2, "0");
  }

  function filterParams(form) {
    if (!form) { return {}; }
    var days = form.elements.days.value;
    var params = { category: form.elements.category.value, status: form.elements.status.value };
    if (days) {
      var since = new Date();
      since.setDate(since.getDate() - Number(days) + 1);
      params.since = isoDay(since);
    }
    return params;
  }

  async function draw(el) {
    var d = el.dataset;
    var labels = { open: d.openLabel, workers: d.workersLabel, buildings: d.buildingsLabel,
                   units: d.unitsLabel, floors: d.floorsLabel };
    var gcj = d.tileUrl && d.tileCrs === "gcj02";
    function toLatLng(lon, lat) {
      if (gcj) { var c = GCJ.wgs84ToGcj02(lon, lat); return L.latLng(c[1], c[0]); }
      return L.latLng(lat, lon);
    }
    function coordsToLatLng(coords) { return toLatLng(coords[0], coords[1]); }

    var map = L.map(el, { zoomSnap: 0.25, attributionControl: !!d.tileUrl, maxZoom: 19 });
    if (d.tileUrl) {
      L.tileLayer(d.tileUrl, { maxZoom: 19, attribution: d.tileAttribution || "" }).addTo(map);
    }
    // Panes keep the order whatever loads first: base map < grids < buildings < points.
    map.createPane("basemap").style.zIndex = 350;
    map.createPane("grids").style.zIndex = 400;
    map.createPane("buildings").style.zIndex = 420;
    map.createPane("points").style.zIndex = 660;  // above the grid labels (tooltips, 650)
    map.setView([42.77, 129.42], 14);

    var grids, buildings, basemap = [];
    try {
      var loads = [fetchAll(d.gridsUrl), fetchAll(d.buildingsUrl)];
      if (d.basemapUrl && !d.tileUrl) { loads.push(fetchAll(d.basemapUrl)); }
      var loaded = await Promise.all(loads);
      grids = loaded[0]; buildings = loaded[1]; basemap = loaded[2] || [];
    } catch (err) {
      el.classList.add("map-error");
      el.appendChild(text("p", d.errorLabel, "map-error-text"));
      return;
    }

    var overlays = {};
    var baseLayer = null;
    if (basemap.length) {
      baseLayer = L.geoJSON(basemap, {
        pane: "basemap",
        coordsToLatLng: coordsToLatLng,
        interactive: false,
        style: function (f) {
          var kind = f.properties.kind;
          if (kind === "water") { return { color: "#7fb2d9", weight: 1, fillColor: "#a9cde8", fillOpacity: 1, className: "base-water" }; }
          if (kind === "building") { return { color: "#8f877a", weight: 1, fillColor: "#cfc7b8", fillOpacity: 1, className: "base-building" }; }
          return { color: "#ffffff", weight: 7, opacity: 1, lineCap: "round", className: "base-road" };
        },
        onEachFeature: function (f, layer) {
          if (f.properties.kind !== "building" && f.properties.name) {
            layer.bindTooltip(document.createTextNode(f.properties.name),
                              { sticky: true, className: "base-label" });
          }
        }
      }).addTo(map);
      overlays[d.basemapLabel || "Base map"] = baseLayer;
    }

    var focusBounds = null;
    var metric = { label: "", values: null, max: 0 };
    var gridLayers = {};
    function gridFigure(code) {
      var v = metric.values[code];
      if (metric.rate) { return v === null || v === undefined ? "—" : v.toFixed(2) + "%"; }
      return v || 0;
    }
    // Counts: the more, the deeper. Rates: the lower, the deeper (a weak grid stands out).
    function shadeFor(value) {
      if (value === null || value === undefined) { return metric.rate ? "#e4e6ea" : shade(0, metric.max); }
      return metric.rate ? shade(100 - value, 100) : shade(value, metric.max);
    }
    function gridStyle(f) {
      var code = f.properties.code;
      var focused = d.focus && code === d.focus;
      var dimmed = d.focus && !focused;
      var shaded = metric.values !== null;
      return { color: colourFor(code), weight: focused ? 3 : 2,
               fillColor: shaded ? shadeFor(metric.values[code]) : colourFor(code),
               fillOpacity: shaded ? 0.4 : (dimmed ? 0.05 : 0.12), opacity: dimmed ? 0.4 : 1,
               className: "grid-shape grid-" + code };
    }
    var gridLayer = L.geoJSON(grids, {
      pane: "grids",
      coordsToLatLng: coordsToLatLng,
      style: gridStyle,
      onEachFeature: function (f, layer) {
        var focused = d.focus && f.properties.code === d.focus;
        if (focused) { focusBounds = layer.getBounds(); }
        gridLayers[f.properties.code] = layer;
        var short = f.properties.community && f.properties.name.indexOf(f.properties.community) === 0
          ? f.properties.name.slice(f.properties.community.length) : f.properties.name;
        // A text node, never a string: Leaflet inserts strings as HTML, and names are data.
        layer.bindTooltip(document.createTextNode(short || f.properties.name),
                          { permanent: true, direction: "center", className: "grid-label" });
        layer.bindPopup(function () {
          var figure = metric.values !== null
            ? { label: metric.label, value: gridFigure(f.properties.code) } : null;
          return gridPopup(f.properties, labels, focused, figure);
        });
      }
    }).addTo(map);
    overlays[d.gridsLabel || "Grids"] = gridLayer;

    var buildingLayer = L.geoJSON(buildings, {
      pane: "buildings",
      pointToLayer: function (f) {
        var c = f.geometry.coordinates;
        return L.circleMarker(toLatLng(c[0], c[1]), { pane: "buildings", radius: 4, color: "#333", weight: 1,
                                        fillColor: "#fff", fillOpacity: 1, className: "building-dot" });
      },
      onEachFeature: function (f, layer) {
        var p = f.properties;
        layer.bindPopup(text("div", p.name + " · " + labels.floors + " " + p.floors + " · " + labels.units + " " + p.units));
      }
    }).addTo(map);
    overlays[d.buildingsLabel || "Buildings"] = buildingLayer;

    var bounds = focusBounds || (grids.length ? gridLayer.getBounds() : null);
    if (!focusBounds && bounds && baseLayer) {
      // Show the river and the roads around the grids too.
      baseLayer.eachLayer(function (layer) {
        if (layer.feature.properties.kind === "water") {
          var b = L.latLngBounds(bounds);
          bounds = b.extend([layer.getBounds().getSouth(), b.getCenter().lng]);
        }
      });
    }
    if (bounds && bounds.isValid()) { map.fitBounds(bounds, { padding: [12, 12], animate: false }); }

    var form = document.getElementById("map-filters");
    var hasPoints = d.casesUrl && L.markerClusterGroup;
    if (hasPoints) {
      var caseCluster = L.markerClusterGroup({
        showCoverageOnHover: false, maxClusterRadius: 40, clusterPane: "points",
        iconCreateFunction: function (cluster) {
          var worst = "ended";
          cluster.getAllChildMarkers().forEach(function (m) {
            if (STATE_RANK[m.options.state] > STATE_RANK[worst]) { worst = m.options.state; }
          });
          var n = cluster.getChildCount();
          return L.divIcon({ html: "<span>" + n + "</span>", className: "case-cluster state-" + worst,
                             iconSize: L.point(34, 34) });
        }
      });
      var hazardCluster = L.markerClusterGroup({
        showCoverageOnHover: false, maxClusterRadius: 30, clusterPane: "points",
        iconCreateFunction: function (cluster) {
          return L.divIcon({ html: "<span>" + cluster.getChildCount() + "</span>",
                             className: "hazard-cluster", iconSize: L.point(30, 30) });
        }
      });
      var heat = L.heatLayer ? L.heatLayer([], { radius: 22, blur: 18, maxZoom: 17 }) : null;
      overlays[d.casesLabel || "Cases"] = caseCluster.addTo(map);
      overlays[d.hazardsLabel || "Hazards"] = hazardCluster.addTo(map);
      if (heat) { overlays[d.heatLabel || "Heat"] = heat; }

      var refresh = async function () {
        el.dataset.ready = "";
        var params = filterParams(form);
        var metricName = form ? form.elements.metric.value : "";
        try {
          var results = await Promise.all([
            fetchAll(withQuery(d.casesUrl, Object.assign({ page_size: 2000 }, params)), MAX_POINT_PAGES),
            fetchAll(withQuery(d.hazardsUrl, { page_size: 2000, since: params.since, status: params.status }), MAX_POINT_PAGES),
            metricName ? fetch(withQuery(d.metricUrl, Object.assign({ metric: metricName }, params)),
                               { credentials: "same-origin", headers: { Accept: "application/json" } })
                           .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
                       : Promise.resolve(null)
          ]);
        } catch (err) {
          el.classList.add("map-error");
          return;
        }
        var cases = results[0], hazards = results[1], figure = results[2];
        caseCluster.clearLayers();
        hazardCluster.clearLayers();
        var heatPoints = [];
        caseCluster.addLayers(cases.map(function (f) {
          var c = f.geometry.coordinates, p = f.properties;
          var latlng = toLatLng(c[0], c[1]);
          heatPoints.push([latlng.lat, latlng.lng, 0.6]);
          var marker = L.marker(latlng, {
            state: p.state, title: p.number + " " + p.title, keyboard: true, pane: "points",
            icon: L.divIcon({ className: "case-pin state-" + p.state, iconSize: L.point(16, 16) })
          });
          marker.bindPopup(function () { return pointPopup(p, d.openCaseLabel, [p.category]); });
          return marker;
        }));
        hazardCluster.addLayers(hazards.map(function (f) {
          var c = f.geometry.coordinates, p = f.properties;
          var marker = L.marker(toLatLng(c[0], c[1]), {
            title: p.number + " " + p.title, keyboard: true, pane: "points",
            icon: L.divIcon({ className: "hazard-pin state-" + p.state, html: "<span>!</span>", iconSize: L.point(18, 18) })
          });
          marker.bindPopup(function () {
            return pointPopup(p, d.openHazardLabel, [p.risk + " · " + d.deadlineLabel + " " + p.deadline,
                                                     p.approximate ? d.approximateLabel : ""]);
          });
          return marker;
        }));
        if (heat) { heat.setLatLngs(heatPoints); }
        metric = figure ? { label: figure.title, values: figure.values, max: figure.max,
                            rate: figure.unit === "%" }
                        : { label: "", values: null, max: 0, rate: false };
        gridLayer.setStyle(gridStyle);
        var key = document.getElementById("map-metric-key");
        if (key) {
          key.hidden = !figure;
          key.textContent = !figure ? "" : figure.unit === "%"
            ? figure.title + ": 100% → 0%" : figure.title + ": 0 – " + figure.max;
        }
        el.dataset.cases = String(cases.length);
        el.dataset.hazards = String(hazards.length);
        requestAnimationFrame(function () { el.dataset.ready = "1"; });
      };
      if (form) {
        form.addEventListener("change", refresh);
        form.addEventListener("submit", function (e) { e.preventDefault(); refresh(); });
      }
      L.control.layers(null, overlays, { collapsed: true }).addTo(map);
      await refresh();
    } else {
      // Marked ready once the view has settled and the shapes are redrawn for it.
      requestAnimationFrame(function () { el.dataset.ready = "1"; });
    }
  }

  document.querySelectorAll("#map, #grid-map").forEach(function (el) { draw(el); });
})();
