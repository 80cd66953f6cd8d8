/* Resident report form: location, map tap, photos preview, hold-to-talk voice, category search,
   a draft kept on the phone, and a submission that can be retried without making a second case
   (the idempotency key stays the same until the report is accepted). */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) { return; }
  var d = form.dataset;
  var DRAFT = "gridgov-report-draft";
  var FIELDS = ["description", "category", "address", "lat", "lon", "idempotency_key", "building",
                "unit", "community", "contact_name", "contact_phone"];
  var voiceBlob = null;

  function field(name) { return form.elements.namedItem(name); }
  function say(id, text) { var el = document.getElementById(id); if (el) { el.textContent = text; } }

  // Draft: restored on load, saved on every change, dropped once the report is accepted.
  try {
    var draft = JSON.parse(localStorage.getItem(DRAFT) || "null");
    if (draft) {
      FIELDS.forEach(function (name) {
        var el = field(name);
        if (el && draft[name] != null && draft[name] !== "") { el.value = draft[name]; }
      });
    }
  } catch (e) { /* private mode: no draft */ }
  function saveDraft() {
    var data = {};
    FIELDS.forEach(function (name) { var el = field(name); if (el) { data[name] = el.value; } });
    try { localStorage.setItem(DRAFT, JSON.stringify(data)); } catch (e) { /* ignore */ }
  }
  form.addEventListener("input", saveDraft);
  form.addEventListener("change", saveDraft);

  // Map: grids drawn when the user may see them; a tap marks the place.
  var mapEl = document.getElementById("report-map");
  var map = null, marker = null;
  function mark(lat, lon, label) {
    field("lat").value = lat.toFixed(7);
    field("lon").value = lon.toFixed(7);
    saveDraft();
    if (map) {
      if (!marker) { marker = L.marker([lat, lon]).addTo(map); } else { marker.setLatLng([lat, lon]); }
      map.setView([lat, lon], Math.max(map.getZoom(), 16));
    }
    say("location-status", label);
  }
  if (mapEl && window.L) {
    map = L.map(mapEl, { attributionControl: false }).setView([42.77, 129.42], 14);
    if (mapEl.dataset.tileUrl) { L.tileLayer(mapEl.dataset.tileUrl, { maxZoom: 19 }).addTo(map); }
    fetch(mapEl.dataset.gridsUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (page) {
        var layer = L.geoJSON(page.features, { style: { color: "#b5222b", weight: 1, fillOpacity: 0.08 } }).addTo(map);
        if (page.features.length) { map.fitBounds(layer.getBounds(), { animate: false }); }
      })
      .catch(function () { document.getElementById("report-map-box").hidden = true; });
    map.on("click", function (e) { mark(e.latlng.lat, e.latlng.lng, mapEl.dataset.tapLabel); });
    if (field("lat").value && field("lon").value) {
      mark(parseFloat(field("lat").value), parseFloat(field("lon").value), d.locatedLabel);
    }
  }

  // The phone's location.
  var locate = document.getElementById("use-location");
  if (locate) {
    locate.addEventListener("click", function () {
      if (!navigator.geolocation) { say("location-status", d.locateFailedLabel); return; }
      navigator.geolocation.getCurrentPosition(function (pos) {
        mark(pos.coords.latitude, pos.coords.longitude, d.locatedLabel);
      }, function () { say("location-status", d.locateFailedLabel); },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  }

  // Category search: narrows the list and picks the first match.
  var search = document.getElementById("category-search");
  var select = field("category");
  if (search && select) {
    search.addEventListener("input", function () {
      var q = search.value.trim();
      var first = null;
      Array.prototype.forEach.call(select.options, function (opt) {
        var show = !q || !opt.value || opt.text.indexOf(q) !== -1;
        opt.hidden = !show;
        if (show && opt.value && !first) { first = opt; }
      });
      if (q && first) { select.value = first.value; saveDraft(); }
    });
  }

  // Units follow the chosen building.
  var building = field("building"), unit = field("unit"), unitField = document.getElementById("unit-field");
  function syncUnits() {
    if (!building || !unit || !unitField) { return; }
    var any = false;
    Array.prototype.forEach.call(unit.options, function (opt) {
      var show = !opt.value || opt.dataset.building === building.value;
      opt.hidden = !show;
      if (show && opt.value) { any = true; }
      if (!show && opt.selected) { unit.value = ""; }
    });
    unitField.hidden = !any;
  }
  if (building) { building.addEventListener("change", syncUnits); syncUnits(); }

  // Photo previews.
  var photos = field("photos");
  var previews = document.getElementById("photo-previews");
  if (photos && previews) {
    var showPreviews = function () {
      previews.innerHTML = "";
      Array.prototype.slice.call(photos.files, 0, 9).forEach(function (file) {
        var img = document.createElement("img");
        img.src = URL.createObjectURL(file);
        img.alt = file.name;
        previews.appendChild(img);
      });
    };
    photos.addEventListener("change", showPreviews);
    // Files chosen before this script ran (slow network, back button) get their previews too.
    showPreviews();
  }

  // Hold to talk (MediaRecorder), at most 60 seconds.
  var talk = document.getElementById("hold-to-talk");
  var recorder = null, chunks = [], stopTimer = null;
  function stopRecording() {
    if (recorder && recorder.state === "recording") { recorder.stop(); }
    clearTimeout(stopTimer);
    talk.setAttribute("aria-pressed", "false");
  }
  if (talk && navigator.mediaDevices && window.MediaRecorder) {
    form.querySelector(".voice-fallback").hidden = true;
    talk.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
        chunks = [];
        recorder = new MediaRecorder(stream);
        recorder.ondataavailable = function (e) { if (e.data.size) { chunks.push(e.data); } };
        recorder.onstop = function () {
          stream.getTracks().forEach(function (t) { t.stop(); });
          voiceBlob = new Blob(chunks, { type: recorder.mimeType || "audio/webm" });
          var preview = document.getElementById("voice-preview");
          preview.src = URL.createObjectURL(voiceBlob);
          preview.hidden = false;
          say("media-status", d.recordedLabel);
        };
        recorder.start(250);
        talk.setAttribute("aria-pressed", "true");
        say("media-status", d.recordingLabel);
        stopTimer = setTimeout(stopRecording, 60000);
      }).catch(function () { say("media-status", d.micFailedLabel); });
    });
    ["pointerup", "pointerleave", "pointercancel"].forEach(function (name) {
      talk.addEventListener(name, stopRecording);
    });
  } else if (talk) {
    talk.hidden = true;
  }

  // Submission: JSON answer, errors shown in place, the form kept if the network fails.
  var errors = document.getElementById("report-errors");
  var submit = document.getElementById("report-submit");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var data = new FormData(form);
    if (voiceBlob) {
      var ext = (voiceBlob.type.indexOf("ogg") !== -1) ? "ogg" : (voiceBlob.type.indexOf("mp4") !== -1 ? "m4a" : "webm");
      data.set("voice", voiceBlob, "voice." + ext);
    }
    submit.disabled = true;
    var label = submit.textContent;
    submit.textContent = d.sendingLabel;
    fetch(form.action || window.location.href, { method: "POST", body: data, credentials: "same-origin",
      headers: { Accept: "application/json" } })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (res) {
        if (res.ok) {
          try { localStorage.removeItem(DRAFT); } catch (e) { /* ignore */ }
          window.location.href = res.body.url;
          return;
        }
        var messages = [];
        Object.keys(res.body.errors || {}).forEach(function (k) { messages = messages.concat(res.body.errors[k]); });
        errors.textContent = messages.join(" ");
        errors.hidden = false;
        errors.scrollIntoView({ block: "center" });
      })
      .catch(function () {
        saveDraft();
        errors.textContent = d.offlineLabel;
        errors.hidden = false;
      })
      .then(function () { submit.disabled = false; submit.textContent = label; });
  });
})();
