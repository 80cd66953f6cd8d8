/* Resident report form: location, map tap, photos (at most 9, each removable), hold-to-talk
   voice (pointer or keyboard) with an audio-file fallback, category search, a live character
   count, a draft kept on the phone, and a submission that can be retried without making a
   second case: the idempotency key stays with the draft until the server confirms, and stays
   with the sent report so that Back then Send answers with the first case. */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) { return; }
  var d = form.dataset;
  var DRAFT = "gridgov-report-draft";
  var SENT = "gridgov-report-sent";
  var SENT_KEEP_MS = 2 * 3600 * 1000;
  var FIELDS = ["description", "category", "address", "lat", "lon", "idempotency_key", "building",
                "unit", "community", "contact_name", "contact_phone"];
  var voiceBlob = null;

  function field(name) { return form.elements.namedItem(name); }
  function say(id, text) { var el = document.getElementById(id); if (el) { el.textContent = text; } }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_m, k) { return values[k]; });
  }
  function load(key) {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }
  function store(key, value) {
    try {
      if (value === null) { localStorage.removeItem(key); } else { localStorage.setItem(key, JSON.stringify(value)); }
    } catch (e) { /* private mode: nothing kept */ }
  }
  function snapshot() {
    var data = {};
    FIELDS.forEach(function (name) { var el = field(name); if (el) { data[name] = el.value; } });
    return data;
  }
  function restore(data) {
    FIELDS.forEach(function (name) {
      var el = field(name);
      if (el && data[name] != null && data[name] !== "") { el.value = data[name]; }
    });
  }

  // Coming Back to a report already sent: show it as sent, with its key, so Send again answers
  // with the first case. Any other visit starts from the draft (or empty).
  function backNavigation() {
    var nav = window.performance && performance.getEntriesByType && performance.getEntriesByType("navigation")[0];
    return !!nav && nav.type === "back_forward";
  }
  function showSent(sent) {
    restore(sent.fields);
    document.getElementById("report-sent-link").href = sent.url;
    document.getElementById("report-sent").hidden = false;
  }
  var sent = load(SENT);
  if (sent && (Date.now() - sent.at > SENT_KEEP_MS || !backNavigation())) { store(SENT, null); sent = null; }
  if (sent) {
    showSent(sent);
  } else {
    var draft = load(DRAFT);
    if (draft) { restore(draft); }
  }
  window.addEventListener("pageshow", function (event) {
    var again = load(SENT);
    if (event.persisted && again) { showSent(again); }
  });
  function saveDraft() {
    if (!document.getElementById("report-sent").hidden) { return; }  // a sent report is not a draft
    store(DRAFT, snapshot());
  }
  form.addEventListener("input", saveDraft);
  form.addEventListener("change", saveDraft);
  document.getElementById("report-new").addEventListener("click", function () {
    store(SENT, null);
    store(DRAFT, null);
  });

  // Description: a live count against the limit (the page never cuts a paste).
  var description = field("description");
  var counter = document.getElementById("description-count");
  var maxChars = parseInt(description.dataset.max, 10);
  function chars() {
    // As the server counts: characters, with each line break sent as CR LF.
    return Array.from(description.value.replace(/\r?\n/g, "\r\n")).length;
  }
  function count() {
    var n = chars();
    var over = n > maxChars;
    counter.textContent = over
      ? fill(counter.dataset.overTemplate, { over: n - maxChars, max: maxChars })
      : fill(counter.dataset.template, { count: n, max: maxChars });
    counter.classList.toggle("over", over);
    description.setAttribute("aria-invalid", over ? "true" : "false");
    return over;
  }
  description.addEventListener("input", count);
  count();

  // Map: grids drawn when the user may see them; a tap marks the place.
  var mapEl = document.getElementById("report-map");
  var map = null, marker = null;
  function mark(lat, lon, label) {
    field("lat").value = lat.toFixed(7);
    field("lon").value = lon.toFixed(7);
    saveDraft();
    if (map) {
      // A drawn circle, not Leaflet's image pin: the pin's image path is guessed from the CSS file's
      // name, which hashed static names break (a broken "Marker" image).
      if (!marker) {
        marker = L.circleMarker([lat, lon], { radius: 10, color: "#b42318", weight: 3, fillOpacity: 0.5 }).addTo(map);
      } else { marker.setLatLng([lat, lon]); }
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

  // Without an account the building list is that of the chosen community, read from the public
  // list (paged: follow `next`). The draft's building is chosen again once its list is in.
  var community = field("community");
  var wantedBuilding = ((sent && sent.fields) || load(DRAFT) || {}).building || (building && building.value) || "";
  var wantedUnit = ((sent && sent.fields) || load(DRAFT) || {}).unit || "";
  function fillBuildings(items) {
    var keep = wantedBuilding || building.value;
    while (building.options.length > 1) { building.remove(1); }
    if (unit) { while (unit.options.length > 1) { unit.remove(1); } }
    var unitSuffix = unit ? (unit.dataset.unitSuffix || "") : "";
    items.forEach(function (item) {
      var opt = document.createElement("option");
      opt.value = String(item.id);
      opt.textContent = item.name + " (" + item.code + ")";
      building.appendChild(opt);
      (item.units || []).forEach(function (u) {
        if (!unit) { return; }
        var uopt = document.createElement("option");
        uopt.value = String(u.id);
        uopt.dataset.building = String(item.id);
        uopt.textContent = u.number + unitSuffix;
        unit.appendChild(uopt);
      });
    });
    building.value = items.some(function (item) { return String(item.id) === keep; }) ? keep : "";
    if (unit) { unit.value = wantedUnit; if (unit.value !== wantedUnit) { unit.value = ""; } }
    wantedBuilding = "";
    wantedUnit = "";
    syncUnits();
  }
  function loadBuildings() {
    if (!community.value) { fillBuildings([]); return; }
    var items = [];
    var asked = community.value;
    function page(url) {
      return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
        .then(function (body) {
          items = items.concat(body.results);
          if (body.next) { return page(body.next); }
          if (community.value === asked) { fillBuildings(items); }
        });
    }
    page(building.dataset.source + "?page_size=500&community=" + encodeURIComponent(asked))
      .catch(function () { /* the community and the map still place the report */ });
  }
  if (building && community && building.dataset.source) {
    community.addEventListener("change", function () { wantedBuilding = ""; loadBuildings(); });
    if (community.value) { loadBuildings(); }
  }

  // Photos: at most MAX, gathered over several picks, each shown with a button that removes it.
  var photos = field("photos");
  var previews = document.getElementById("photo-previews");
  var maxPhotos = parseInt(d.maxPhotos, 10);
  var chosen = [];
  function syncInput() {
    if (typeof DataTransfer === "undefined") { return; }
    try {
      var transfer = new DataTransfer();
      chosen.forEach(function (file) { transfer.items.add(file); });
      photos.files = transfer.files;
    } catch (e) { /* older browsers: the submission sends `chosen` itself */ }
  }
  function showPreviews() {
    previews.innerHTML = "";
    chosen.forEach(function (file, i) {
      var item = document.createElement("li");
      var img = document.createElement("img");
      img.src = URL.createObjectURL(file);
      img.alt = file.name;
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "remove-photo";
      remove.textContent = "×";
      remove.setAttribute("aria-label", fill(d.removePhotoLabel, { n: i + 1 }) + " " + file.name);
      remove.addEventListener("click", function () {
        chosen.splice(i, 1);
        syncInput();
        showPreviews();
        var next = previews.querySelectorAll(".remove-photo")[Math.min(i, chosen.length - 1)];
        (next || photos).focus();
      });
      item.appendChild(img);
      item.appendChild(remove);
      previews.appendChild(item);
    });
    say("photo-count", chosen.length ? fill(d.photoCountLabel, { count: chosen.length, n: maxPhotos }) : "");
  }
  function addPhotos() {
    var picked = Array.prototype.slice.call(photos.files);
    var known = {};
    chosen.forEach(function (f) { known[f.name + "/" + f.size + "/" + f.lastModified] = true; });
    var extra = 0;
    picked.forEach(function (file) {
      var id = file.name + "/" + file.size + "/" + file.lastModified;
      if (known[id]) { return; }
      known[id] = true;
      if (chosen.length < maxPhotos) { chosen.push(file); } else { extra += 1; }
    });
    syncInput();
    showPreviews();
    say("media-status", extra ? fill(d.photoLimitLabel, { n: maxPhotos, extra: extra }) : "");
  }
  if (photos && previews) {
    photos.addEventListener("change", addPhotos);
    // Files chosen before this script ran (slow network, back button) get their previews too.
    if (photos.files.length) { addPhotos(); }
  }

  // Hold to talk (MediaRecorder), at most 60 seconds. A pointer records while held; the keyboard
  // (Space or Enter) starts and then stops it. The audio-file field stays for any other way.
  var talk = document.getElementById("hold-to-talk");
  var recorder = null, chunks = [], stopTimer = null, starting = false;
  function stopRecording() {
    if (recorder && recorder.state === "recording") { recorder.stop(); }
    clearTimeout(stopTimer);
    talk.setAttribute("aria-pressed", "false");
  }
  function startRecording(label) {
    if (starting || (recorder && recorder.state === "recording")) { return; }
    starting = true;
    navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
      starting = false;
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
      say("media-status", label);
      stopTimer = setTimeout(stopRecording, 60000);
    }).catch(function () { starting = false; say("media-status", d.micFailedLabel); });
  }
  if (talk && navigator.mediaDevices && window.MediaRecorder) {
    talk.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      startRecording(d.recordingLabel);
    });
    ["pointerup", "pointerleave", "pointercancel"].forEach(function (name) {
      talk.addEventListener(name, stopRecording);
    });
    // A click with no pointer behind it (detail 0) comes from the keyboard or a screen reader.
    talk.addEventListener("click", function (event) {
      if (event.detail !== 0) { return; }
      if (talk.getAttribute("aria-pressed") === "true") { stopRecording(); } else { startRecording(d.recordingKeyboardLabel); }
    });
  } else if (talk) {
    talk.hidden = true;
    var help = document.getElementById("talk-help");
    if (help) { help.hidden = true; }
  }

  // Submission: JSON answer, errors shown in place. A dropped network and a server fault are told
  // apart; in both the text stays on the phone and the same key goes with the next try.
  var errors = document.getElementById("report-errors");
  var submit = document.getElementById("report-submit");
  var sending = false;
  function showError(text) {
    errors.textContent = text;
    errors.hidden = false;
    errors.scrollIntoView({ block: "center" });
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (sending) { return; }
    if (count()) { showError(counter.textContent); description.focus(); return; }
    var data = new FormData(form);
    data.delete("photos");
    chosen.forEach(function (file) { data.append("photos", file, file.name); });
    if (voiceBlob) {
      var ext = (voiceBlob.type.indexOf("ogg") !== -1) ? "ogg" : (voiceBlob.type.indexOf("mp4") !== -1 ? "m4a" : "webm");
      data.set("voice", voiceBlob, "voice." + ext);
    }
    var fields = snapshot();
    sending = true;
    submit.disabled = true;
    var label = submit.textContent;
    submit.textContent = d.sendingLabel;
    errors.hidden = true;
    fetch(form.action || window.location.href, { method: "POST", body: data, credentials: "same-origin",
      headers: { Accept: "application/json" } })
      .then(function (r) {
        if (r.status >= 500) { return { kind: "server" }; }
        if (r.status === 429) { return { kind: "busy" }; }
        return r.json().then(function (body) { return { kind: r.ok ? "ok" : "invalid", body: body }; },
          function () { return { kind: "server" }; });
      }, function () { return { kind: "offline" }; })
      .then(function (res) {
        if (res.kind === "ok") {
          store(SENT, { url: res.body.url, at: Date.now(), fields: fields });
          store(DRAFT, null);
          window.location.href = res.body.url;
          return;
        }
        store(DRAFT, fields);
        if (res.kind === "invalid") {
          showError(fieldErrors(res.body.errors || {}).join(" "));
        } else if (res.kind === "busy") {
          showError(d.busyLabel);
        } else {
          showError(res.kind === "server" ? d.serverErrorLabel : d.offlineLabel);
        }
      })
      .then(function () { sending = false; submit.disabled = false; submit.textContent = label; });
  });
  // Each refused field named in the summary ("您的手机号：…") and its message shown under it.
  function fieldErrors(errors) {
    var separator = (document.documentElement.lang || "").indexOf("zh") === 0 ? "：" : ": ";
    form.querySelectorAll("[data-js-error]").forEach(function (el) { el.remove(); });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    var messages = [];
    Object.keys(errors).forEach(function (name) {
      var input = form.querySelector('[name="' + name + '"]:not([type=hidden])');
      var labelEl = input && input.id ? form.querySelector('label[for="' + input.id + '"]') : null;
      var label = labelEl ? labelEl.textContent.replace(/[*＊:：\s]+$/, "").trim() : "";
      errors[name].forEach(function (m) { messages.push(label ? label + separator + m : m); });
      if (input) {
        input.setAttribute("aria-invalid", "true");
        var note = document.createElement("p");
        note.className = "field-error";
        note.setAttribute("data-js-error", "");
        note.textContent = errors[name].join(" ");
        input.insertAdjacentElement("afterend", note);
      }
    });
    return messages;
  }
})();
