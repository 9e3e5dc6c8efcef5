// Plumbline console: small progressive enhancements. Every page works without this script.
(function () {
  "use strict";

  // Drift page: the expiry field belongs to Accept only.
  function acceptOnly() {
    var form = document.querySelector(".disposition-form");
    if (!form) { return; }
    var field = form.querySelector(".accept-only");
    var input = field.querySelector("input");
    function update() {
      var chosen = form.querySelector("input[name=kind]:checked");
      var accept = chosen && chosen.value === "ACCEPT";
      field.hidden = !accept;
      input.required = accept;
    }
    form.addEventListener("change", update);
    update();
  }

  // Environment page: one chart per behavioural metric, PSI by window with its status bands.
  function charts() {
    var boxes = document.querySelectorAll(".chart[data-series]");
    if (boxes.length === 0) { return; }
    var s = document.createElement("script");
    s.src = "/console/assets/echarts.min.js";
    s.onload = function () { boxes.forEach(draw); };
    document.head.appendChild(s);
  }

  var BANDS = { BREACH: "rgba(220, 120, 0, 0.18)", DRIFT: "rgba(200, 0, 0, 0.20)",
    COOLDOWN: "rgba(120, 120, 120, 0.15)" };

  function draw(box) {
    var windows = JSON.parse(box.getAttribute("data-series"));
    var labels = windows.map(function (w) { return w.window; });
    var areas = [];
    windows.forEach(function (w) {
      if (BANDS[w.status]) {
        areas.push([{ xAxis: w.window, itemStyle: { color: BANDS[w.status] }, name: w.status },
          { xAxis: w.window }]);
      }
    });
    var chart = window.echarts.init(box, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { data: ["PSI", "statistic"] },
      grid: { left: 48, right: 16, top: 32, bottom: 40 },
      xAxis: { type: "category", data: labels },
      yAxis: { type: "value" },
      series: [
        { name: "PSI", type: "line", data: windows.map(function (w) { return w.psi; }),
          markArea: { silent: true, data: areas },
          markLine: { silent: true, symbol: "none", data: [{ yAxis: 0.25, name: "PSI 0.25" }] } },
        { name: "statistic", type: "line", data: windows.map(function (w) { return w.statistic; }) }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    acceptOnly();
    charts();
  });
})();
