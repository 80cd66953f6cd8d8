/* GridGov patrol round: records the track, checks in, reports findings and finishes — all through
   an offline queue in IndexedDB, sent in order when the network is there. Each queued call has an
   idempotency key made once on this phone, so a resend never duplicates anything. */
(function () {
  "use strict";
  var root = document.getElementById("patrol");
  if (!root || root.dataset.walking !== "1") { return; }
  var ROUND = root.dataset.round;
  var CSRF = (document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1] ||
    (document.querySelector("[name=csrfmiddlewaretoken]") || {}).value || "";
  var MIN_SECONDS = 30, MIN_METRES = 20, BATCH_SIZE = 10, BATCH_SECONDS = 60;
  var gpsStatus = document.querySelector("[data-testid=gps-status]");
  var queueStatus = document.querySelector("[data-testid=queue-status]");
  var last = null, kept = null, buffer = [], batchStarted = 0, flushing = false;

  function key(kind) {
    var random = (self.crypto && crypto.randomUUID) ? crypto.randomUUID() : String(Math.random()).slice(2);
    return ROUND + "-" + kind + "-" + random;
  }

  // ---- IndexedDB queue ------------------------------------------------------------------------
  var dbPromise = new Promise(function (resolve, reject) {
    var open = indexedDB.open("gridgov-patrol", 1);
    open.onupgradeneeded = function () { open.result.createObjectStore("queue", { keyPath: "id", autoIncrement: true }); };
    open.onsuccess = function () { resolve(open.result); };
    open.onerror = function () { reject(open.error); };
  });
  function store(mode) {
    return dbPromise.then(function (db) { return db.transaction("queue", mode).objectStore("queue"); });
  }
  function request(r) {
    return new Promise(function (resolve, reject) { r.onsuccess = function () { resolve(r.result); }; r.onerror = function () { reject(r.error); }; });
  }
  function enqueue(item) {
    item.round = ROUND;
    return store("readwrite").then(function (s) { return request(s.add(item)); }).then(function () { showQueue(); flush(); });
  }
  function pending() {
    return store("readonly").then(function (s) { return request(s.getAll()); })
      .then(function (items) { return items.filter(function (i) { return i.round === ROUND; }); });
  }
  function drop(id) { return store("readwrite").then(function (s) { return request(s.delete(id)); }); }

  function showQueue() {
    pending().then(function (items) {
      if (!queueStatus) { return; }
      queueStatus.textContent = items.length ? root.dataset.pendingLabel + " " + items.length : root.dataset.sentLabel;
      queueStatus.dataset.pending = String(items.length);
      if (!navigator.onLine && items.length) { queueStatus.textContent = root.dataset.offlineLabel + " (" + items.length + ")"; }
    });
  }

  function send(item) {
    var init = { method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": CSRF, Accept: "application/json" } };
    if (item.json) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(item.json);
    } else {
      var form = new FormData();
      Object.keys(item.fields).forEach(function (name) {
        var value = item.fields[name];
        if (value instanceof Blob) { form.append(name, value, name + ".jpg"); } else if (value !== null && value !== undefined) { form.append(name, value); }
      });
      init.body = form;
    }
    return fetch(item.url, init);
  }

  function flush() {
    if (flushing) { return Promise.resolve(); }
    flushing = true;
    function next() {
      return pending().then(function (items) {
        if (!items.length) { return null; }
        var item = items[0];
        return send(item).then(function (response) {
          if (response.status >= 500 || response.status === 429 || response.status === 408) { throw new Error("retry later"); }
          return response.json().catch(function () { return {}; }).then(function (body) {
            if (!response.ok) { say(root.dataset.refusedLabel + ": " + (body.error || response.status)); }
            else { applied(item, body); }
            return drop(item.id).then(next);
          });
        });
      });
    }
    return next().catch(function () { /* offline or server trouble: stays queued */ })
      .then(function () { flushing = false; showQueue(); });
  }

  function say(text) {
    var line = document.createElement("p");
    line.className = "flash error";
    line.setAttribute("role", "alert");
    line.textContent = text;
    root.prepend(line);
  }

  function applied(item, body) {
    if (item.kind === "finish" && body.url) { window.location.href = body.url; }
    if (item.kind === "checkin") { mark(String(body.checkpoint), body.label || body.method); }
    if (item.kind === "inspect") {
      var done = root.querySelector('[data-form=inspect][data-checkpoint="' + body.checkpoint + '"]');
      if (done) {
        var note = document.createElement("p");
        note.className = "small"; note.dataset.testid = "inspected"; note.textContent = "✓ " + (body.label || "");
        done.replaceWith(note);
      }
    }
  }

  function mark(id, method) {
    var li = root.querySelector('[data-testid=checkpoint][data-id="' + id + '"]');
    if (!li) { return; }
    li.classList.add("done");
    li.querySelector("[data-testid=checked]").textContent = "✓" + (method ? " " + method : "");
    var actions = li.querySelector(".row-actions");
    if (actions) { actions.remove(); }
    var inspect = li.querySelector("[data-form=inspect]");
    if (inspect) { inspect.hidden = false; }
  }

  // ---- the track --------------------------------------------------------------------------------
  function metres(a, b) {
    var r = 6371008.8, rad = Math.PI / 180;
    var dp = (b[0] - a[0]) * rad, dl = (b[1] - a[1]) * rad;
    var h = Math.pow(Math.sin(dp / 2), 2) + Math.cos(a[0] * rad) * Math.cos(b[0] * rad) * Math.pow(Math.sin(dl / 2), 2);
    return 2 * r * Math.asin(Math.sqrt(h));
  }
  function queueBatch() {
    if (!buffer.length) { return Promise.resolve(); }
    var points = buffer; buffer = [];
    return enqueue({ kind: "points", url: root.dataset.pointsUrl, json: { key: key("p"), points: points } });
  }
  function onPosition(position) {
    var c = position.coords, now = position.timestamp / 1000;
    last = [c.latitude, c.longitude, now, Math.round(c.accuracy || 0)];
    if (gpsStatus) { gpsStatus.textContent = "GPS ±" + Math.round(c.accuracy || 0) + " m"; gpsStatus.dataset.fix = c.latitude.toFixed(5) + "," + c.longitude.toFixed(5); }
    if (!kept || now - kept[2] >= MIN_SECONDS || metres(kept, last) >= MIN_METRES) {
      kept = last;
      if (!buffer.length) { batchStarted = now; }
      buffer.push(last);
      if (buffer.length >= BATCH_SIZE || now - batchStarted >= BATCH_SECONDS) { queueBatch(); }
    }
  }
  if (navigator.geolocation) {
    navigator.geolocation.watchPosition(onPosition, function () {
      if (gpsStatus) { gpsStatus.textContent = root.dataset.noGpsLabel; }
    }, { enableHighAccuracy: true, maximumAge: 10000, timeout: 60000 });
  }
  setInterval(function () { queueBatch(); flush(); }, BATCH_SECONDS * 1000);
  window.addEventListener("online", function () { flush(); });
  window.addEventListener("offline", showQueue);
  window.addEventListener("pagehide", function () { queueBatch(); });

  // ---- check-ins, findings, finish -----------------------------------------------------------
  function here() {
    return last ? { lat: last[0], lon: last[1] } : { lat: null, lon: null };
  }
  function checkIn(fields) {
    var at = here();
    fields.lat = at.lat; fields.lon = at.lon; fields.at = Date.now() / 1000; fields.key = key("c");
    return queueBatch().then(function () { return enqueue({ kind: "checkin", url: root.dataset.checkinUrl, fields: fields }); });
  }
  root.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-checkin=gps]");
    if (!button) { return; }
    if (!last) { say(root.dataset.noGpsLabel); return; }
    checkIn({ method: "gps", checkpoint: button.closest("[data-testid=checkpoint]").dataset.id });
  });
  root.addEventListener("change", function (event) {
    var input = event.target;
    if (input.dataset.checkin === "photo" && input.files[0]) {
      checkIn({ method: "photo", checkpoint: input.closest("[data-testid=checkpoint]").dataset.id, photo: input.files[0] });
    }
  });
  var qrForm = root.querySelector("[data-form=qr]");
  if (qrForm) {
    qrForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var token = qrForm.qr.value.trim().replace(/^GRIDGOV-CP:/, "");
      if (token) { checkIn({ method: "qr", qr: token }); qrForm.reset(); }
    });
  }
  var findingForm = root.querySelector("[data-form=finding]");
  if (findingForm) {
    findingForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var at = here();
      var kind = (findingForm.querySelector("[name=kind]:checked") || {}).value || "case";
      var fields = { description: findingForm.description.value, lat: at.lat, lon: at.lon, key: key("f") };
      var url = root.dataset.findingUrl;
      if (kind === "hazard") {
        url = findingForm.dataset.hazardUrl; fields.key = key("h");
        fields.risk_level = findingForm.risk_level.value; fields.site = findingForm.site.value;
        fields.address = findingForm.address.value;
      } else if (kind === "update") {
        url = findingForm.dataset.updateUrl; fields.key = key("u"); fields.hazard = findingForm.hazard.value;
      }
      if (findingForm.photo.files[0]) { fields.photo = findingForm.photo.files[0]; }
      enqueue({ kind: kind === "case" ? "finding" : kind, url: url, fields: fields });
      findingForm.reset();
      showKind();
    });
    var showKind = function () {
      var kind = (findingForm.querySelector("[name=kind]:checked") || {}).value || "case";
      findingForm.querySelectorAll("[data-kind-only]").forEach(function (block) {
        block.hidden = block.dataset.kindOnly !== kind;
      });
    };
    findingForm.addEventListener("change", function (event) {
      if (event.target.name === "kind") { showKind(); }
    });
    showKind();
  }
  root.addEventListener("submit", function (event) {
    var form = event.target.closest("[data-form=inspect]");
    if (!form) { return; }
    event.preventDefault();
    enqueue({ kind: "inspect", url: form.dataset.url, fields: { checkpoint: form.dataset.checkpoint, result: form.result.value, key: key("i") } });
    form.querySelector("button").disabled = true;
  });
  var finishForm = root.querySelector("[data-form=finish]");
  if (finishForm) {
    finishForm.addEventListener("submit", function (event) {
      event.preventDefault();
      if (last && (!kept || kept !== last)) { buffer.push(last); }
      queueBatch().then(function () {
        return enqueue({ kind: "finish", url: root.dataset.finishUrl, fields: { note: finishForm.note.value, key: key("e") } });
      });
    });
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(root.dataset.swUrl, { scope: "/patrols/" }).catch(function () {});
  }
  showQueue();
  flush();
})();
