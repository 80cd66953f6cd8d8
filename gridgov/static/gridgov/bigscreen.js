/* The wall display (大屏): draws the charts, then fetches the board again every
   `data-interval` seconds and swaps it in. A failed fetch keeps the last board on screen and
   marks it stale; the next tick tries again. */
(function () {
  "use strict";
  var root = document.getElementById("screen");
  if (!root) { return; }
  var seconds = Math.max(15, Number(root.dataset.interval) || 60);
  var options = { dark: true };
  window.GridGovCharts.render(root, options);

  async function refresh() {
    try {
      var response = await fetch(root.dataset.refreshUrl, { credentials: "same-origin",
                                                            headers: { Accept: "text/html" } });
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      root.innerHTML = await response.text();
      root.classList.remove("stale");
      window.GridGovCharts.render(root, options);
      root.dataset.refreshed = String(Number(root.dataset.refreshed || 0) + 1);
    } catch (err) {
      root.classList.add("stale");
    }
  }
  window.setInterval(refresh, seconds * 1000);
  root.addEventListener("gridgov:refresh", refresh);
})();
