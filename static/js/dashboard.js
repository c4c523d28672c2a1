// Draws every chart on a dashboard page from the figure the server embedded with json_script.
// No inline scripts (CSP script-src 'self'); Plotly and the world topojson come from our static files.
(function () {
  "use strict";

  // Marker customdata carries speakers/outlets as indexes into layout.meta.strings (smaller payload);
  // swap the strings back in. Mirrors tracker/dashboard/charts.py:hydrate().
  function hydrate(figure) {
    var strings = (figure.layout && figure.layout.meta && figure.layout.meta.strings) || [];
    figure.data.forEach(function (trace) {
      var cols = trace._lookup;
      delete trace._lookup;
      if (!cols || !trace.customdata) return;
      trace.customdata = trace.customdata.map(function (row) {
        return row.map(function (v, i) { return cols.indexOf(i) >= 0 ? strings[v] : v; });
      });
    });
    return figure;
  }

  // On a phone the level names would take half the chart: break them over two lines.
  function wrapTicks(layout, width) {
    var axis = layout.yaxis;
    if (width >= 600 || !axis || !axis.ticktext) return;
    axis.ticktext = axis.ticktext.map(function (label) {
      var mid = label.length / 2, best = -1;
      for (var i = 0; i < label.length; i++) {
        if (label[i] === " " && (best < 0 || Math.abs(i - mid) < Math.abs(best - mid))) best = i;
      }
      return best < 0 ? label : label.slice(0, best) + "<br>" + label.slice(best + 1);
    });
  }

  function render(el) {
    var data = document.getElementById(el.dataset.figure);
    if (!data || typeof Plotly === "undefined") return;
    var figure = hydrate(JSON.parse(data.textContent));
    wrapTicks(figure.layout, el.clientWidth);
    var config = {
      responsive: true,
      displaylogo: false,
      topojsonURL: el.dataset.topojson, // never cdn.plot.ly
      modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"],
    };
    Plotly.newPlot(el, figure.data, figure.layout, config).then(function () {
      el.classList.add("chart-ready");
      window.__chartPaintedAt = window.__chartPaintedAt || performance.now();
    });
    var statementUrl = el.dataset.statementUrl; // e.g. /statements/0/
    el.on("plotly_click", function (ev) {
      var point = ev.points && ev.points[0];
      var cd = point && point.customdata;
      // Statement markers carry the statement id last in customdata (an integer from the server).
      if (!cd || typeof cd[cd.length - 1] !== "number" || !statementUrl) return;
      window.location.assign(statementUrl.replace(/\/0\/$/, "/" + cd[cd.length - 1] + "/"));
    });
  }

  function start() {
    document.querySelectorAll(".chart[data-figure]").forEach(render);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
