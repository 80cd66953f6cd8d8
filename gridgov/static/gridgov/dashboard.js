/* GridGov dashboards: the trend and category charts (ECharts from npm) drawn from the
   `dashboard-data` JSON the page carries. `GridGovCharts.render(root)` is called again by
   bigscreen.js after each refresh. */
(function () {
  "use strict";
  var charts = [];

  function dispose() {
    charts.forEach(function (c) { c.dispose(); });
    charts = [];
  }

  function render(root, options) {
    options = options || {};
    var dark = !!options.dark;
    var dataEl = root.querySelector("#dashboard-data");
    if (!dataEl || !window.echarts) { return; }
    var data = JSON.parse(dataEl.textContent);
    dispose();
    var ink = dark ? "#e8edf3" : "#1f2328";
    var grid = dark ? "#3a4656" : "#dde1e6";
    var trendEl = root.querySelector("#trend-chart");
    if (trendEl) {
      var t = data.trend, l = data.labels;
      var chart = echarts.init(trendEl, null, { renderer: "svg" });
      // Days still to come are null (a gap); a value with no neighbour (the 1st of the month)
      // would draw nothing without a dot of its own.
      var dotted = function (values) {
        return values.map(function (v, i) {
          var alone = v !== null && values[i - 1] == null && values[i + 1] == null;
          return alone ? { value: v, symbol: "circle", symbolSize: 7 } : v;
        });
      };
      var line = function (name, values, colour, dashed) {
        return { name: name, type: "line", data: dotted(values), smooth: true, symbol: "none", connectNulls: false,
                 lineStyle: { color: colour, width: dashed ? 1.5 : 2.5, type: dashed ? "dashed" : "solid" },
                 itemStyle: { color: colour } };
      };
      chart.setOption({
        animation: !dark,
        textStyle: { color: ink },
        tooltip: { trigger: "axis" },
        legend: { top: 0, textStyle: { color: ink } },
        grid: { left: 36, right: 12, top: 56, bottom: 28 },
        xAxis: { type: "category", data: t.labels, axisLabel: { color: ink }, axisLine: { lineStyle: { color: grid } } },
        yAxis: { type: "value", minInterval: 1, axisLabel: { color: ink }, splitLine: { lineStyle: { color: grid } } },
        series: [
          line(l.created, t.created, "#b5222b", false),
          line(l.closed, t.closed, "#3b9b5d", false),
          line(l.created_before, t.created_before, "#e39aa0", true),
          line(l.closed_before, t.closed_before, "#9fcfae", true)
        ]
      });
      charts.push(chart);
    }
    var catEl = root.querySelector("#category-chart");
    if (catEl && data.categories.names.length) {
      var bar = echarts.init(catEl, null, { renderer: "svg" });
      bar.setOption({
        animation: !dark,
        textStyle: { color: ink },
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
        xAxis: { type: "value", minInterval: 1, axisLabel: { color: ink }, splitLine: { lineStyle: { color: grid } } },
        yAxis: { type: "category", inverse: true, data: data.categories.names, axisLabel: { color: ink, width: 110, overflow: "truncate" } },
        series: [{ type: "bar", barMaxWidth: 28, data: data.categories.counts, itemStyle: { color: "#30638e" },
                   label: { show: true, position: "right", color: ink } }]
      });
      charts.push(bar);
    } else if (catEl) {
      catEl.hidden = true;
    }
    (root.nodeType === 9 ? root.body : root).dataset.chartsReady = "1";
  }

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  window.GridGovCharts = { render: render };
  if (!document.body.classList.contains("bigscreen")) {
    render(document);
  }
})();
