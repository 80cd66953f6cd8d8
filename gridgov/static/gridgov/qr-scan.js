/* Scanning a checkpoint's QR code with the phone's camera (扫码签到). The camera frame is decoded
   by the browser's BarcodeDetector where there is one, else by jsQR (npm, served as
   static/vendor/jsqr). A code found is put in the round page's QR form and submitted, so it
   goes the one way typed codes go: patrol.js queues it (IndexedDB) and sends it when online.
   `window.GridGovQR.decode(source)` is the decoding step alone (an <img>, <canvas> or <video>). */
(function () {
  "use strict";
  var PREFIX = "GRIDGOV-CP:";

  function tokenFrom(text) {
    var value = (text || "").trim();
    if (value.indexOf(PREFIX) !== 0) { return null; }
    var token = value.slice(PREFIX.length);
    return /^[A-Za-z0-9_-]{4,32}$/.test(token) ? token : null;
  }

  function size(source) {
    return {
      width: source.videoWidth || source.naturalWidth || source.width || 0,
      height: source.videoHeight || source.naturalHeight || source.height || 0
    };
  }

  var canvas = null;
  function decodeWithJsQR(source) {
    if (!window.jsQR) { return null; }
    var s = size(source);
    if (!s.width || !s.height) { return null; }
    // Large camera frames are scaled down: faster, and jsQR finds codes fine at ~640 px.
    var scale = Math.min(1, 640 / Math.max(s.width, s.height));
    var w = Math.round(s.width * scale), h = Math.round(s.height * scale);
    canvas = canvas || document.createElement("canvas");
    canvas.width = w;
    canvas.height = h;
    var context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(source, 0, 0, w, h);
    var code = window.jsQR(context.getImageData(0, 0, w, h).data, w, h, { inversionAttempts: "attemptBoth" });
    return code ? code.data : null;
  }

  var detector;
  function nativeDetector() {
    if (detector !== undefined) { return detector; }
    detector = null;
    if ("BarcodeDetector" in window) {
      try { detector = new window.BarcodeDetector({ formats: ["qr_code"] }); } catch (e) { detector = null; }
    }
    return detector;
  }

  /* The text of the first QR code in the source, or null. */
  function decode(source) {
    var native = nativeDetector();
    if (!native) { return Promise.resolve(decodeWithJsQR(source)); }
    return native.detect(source).then(function (codes) {
      return codes.length ? codes[0].rawValue : decodeWithJsQR(source);
    }).catch(function () { return decodeWithJsQR(source); });
  }

  window.GridGovQR = { decode: decode, decodeWithJsQR: decodeWithJsQR, tokenFrom: tokenFrom,
                       usesBarcodeDetector: function () { return !!nativeDetector(); } };

  var button = document.querySelector("[data-scan-qr]");
  var form = document.querySelector("[data-form=qr]");
  var box = document.querySelector("[data-qr-scanner]");
  if (!button || !form || !box) { return; }
  var video = box.querySelector("video");
  var status = box.querySelector("[data-qr-status]");
  var stream = null;
  var timer = null;

  function say(text) { if (status) { status.textContent = text; } }

  function stop() {
    if (timer) { clearTimeout(timer); timer = null; }
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
    video.srcObject = null;
    box.hidden = true;
    button.hidden = false;
  }

  function found(token) {
    stop();
    form.qr.value = PREFIX + token;
    if (form.requestSubmit) { form.requestSubmit(); } else { form.dispatchEvent(new Event("submit", { cancelable: true })); }
  }

  function scan() {
    timer = null;
    if (!stream) { return; }
    var ready = video.readyState >= 2 ? decode(video) : Promise.resolve(null);
    ready.then(function (text) {
      if (!stream) { return; }
      var token = tokenFrom(text);
      if (token) { found(token); return; }
      if (text) { say(box.dataset.notOursLabel); }
      timer = setTimeout(scan, 250);
    });
  }

  button.addEventListener("click", function () {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      say(box.dataset.noCameraLabel);
      box.hidden = false;
      form.qr.focus();
      return;
    }
    box.hidden = false;
    button.hidden = true;
    say(box.dataset.aimLabel);
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        return video.play();
      })
      .then(function () { scan(); })
      .catch(function () {
        stop();
        box.hidden = false;
        say(box.dataset.noCameraLabel);
        form.qr.focus();
      });
  });
  box.querySelector("[data-qr-cancel]").addEventListener("click", stop);
})();
