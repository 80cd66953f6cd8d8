/* GridGov: "Use my location" on the hazard forms. A button[data-locate] asks the phone for its
   position (WGS-84, as the case form does) and writes it into the inputs named by data-lat and
   data-lon; the server checks that it lies inside the chosen grid. */
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("button[data-locate]"), function (button) {
    var form = button.form;
    var status = document.getElementById(button.dataset.status);
    var say = function (text) { if (status) { status.textContent = text; } };
    button.addEventListener("click", function () {
      if (!navigator.geolocation) { say(button.dataset.failed); return; }
      navigator.geolocation.getCurrentPosition(function (pos) {
        form.elements[button.dataset.lat].value = pos.coords.latitude.toFixed(7);
        form.elements[button.dataset.lon].value = pos.coords.longitude.toFixed(7);
        say(button.dataset.located + " " + pos.coords.latitude.toFixed(5) + ", " + pos.coords.longitude.toFixed(5));
      }, function () { say(button.dataset.failed); },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  });
})();
