// Draws every chart on a dashboard page from the figure the server embedded with json_script.
// No inline scripts (CSP script-src 'self'); Plotly and the world topojson come from our static files.
(function () {
  "use strict";

  // Smaller payload: marker x are day offsets, and customdata carries speakers/outlets as indexes into
  // layout.meta.strings; turn both back. Mirrors tracker/dashboard/charts.py:hydrate().
  function hydrate(figure) {
    var strings = (figure.layout && figure.layout.meta && figure.layout.meta.strings) || [];
    figure.data.forEach(function (trace) {
      // Marker x as whole days since trace._x0 (a YYYY-MM-DD date): back to date strings.
      if (trace._x0) {
        var p = trace._x0.split("-"), start = Date.UTC(+p[0], +p[1] - 1, +p[2]);
        trace.x = trace.x.map(function (d) { return new Date(start + d * 86400000).toISOString().slice(0, 10); });
        delete trace._x0;
      }
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

  // Plotly's automatic margins (axis automargin, a legend outside the plot) are measured after a first
  // draw, which is then done again: ~40% of the drawing time of a 1,000-marker chart. Measure the
  // level labels and the legend here with canvas text metrics instead, and set the margins once.
  function fixMargins(layout, data, width) {
    if (!layout.yaxis || !layout.yaxis.ticktext || !width) return;
    var font = layout.font || {}, size = font.size || 13;
    var ctx = document.createElement("canvas").getContext("2d");
    ctx.font = size + "px " + (font.family || "sans-serif");
    function textWidth(text) {
      // labels and names arrive escaped by charts.esc(): & < > as entities; measure the characters
      var plain = String(text).replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
      return ctx.measureText(plain).width;
    }
    var labels = layout.yaxis.ticktext.map(function (t) { return String(t).split("<br>"); });
    var left = Math.max.apply(null, [0].concat(labels.map(function (parts) {
      return Math.max.apply(null, parts.map(textWidth));
    })));
    // horizontal legend under the plot: items packed into rows of the chart's width
    var rows = 0, x = Infinity, usable = width - 20;
    data.forEach(function (trace) {
      if (trace.showlegend === false || !trace.name) return;
      var w = textWidth(trace.name) + 50; // symbol + gaps
      if (x + w > usable) { rows += 1; x = 0; }
      x += w;
    });
    var height = layout.height || 450, top = (layout.margin && layout.margin.t) || 30;
    var legend = rows * (size + 9) + 8;
    // the legend hangs at y = -0.12 of the plot height below the plot area, under the date labels
    var bottom = Math.ceil((0.12 * (height - top) + legend + 4) / 1.12);
    layout.margin = { l: Math.ceil(left) + 16, r: 20, t: top, b: Math.max(bottom, size + 20), autoexpand: false };
    layout.yaxis.automargin = false;
    if (layout.xaxis) layout.xaxis.automargin = false;
  }

  function render(el) {
    var data = document.getElementById(el.dataset.figure);
    if (!data || typeof Plotly === "undefined") return;
    window.__chartStartedAt = window.__chartStartedAt || performance.now(); // the bench: draw time
    var figure = hydrate(JSON.parse(data.textContent));
    wrapTicks(figure.layout, el.clientWidth);
    fixMargins(figure.layout, figure.data, el.clientWidth);
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
    if (el.dataset.scopesUrl) el.on("plotly_restyle", function () { loadScopes(el); });
    var statementUrl = el.dataset.statementUrl; // e.g. /statements/0/
    el.on("plotly_click", function (ev) {
      var point = ev.points && ev.points[0];
      var cd = point && point.customdata;
      // Statement markers carry the statement id last in customdata (an integer from the server).
      if (!cd || typeof cd[cd.length - 1] !== "number" || !statementUrl) return;
      window.location.assign(statementUrl.replace(/\/0\/$/, "/" + cd[cd.length - 1] + "/"));
    });
  }

  // Scope lines start hidden, so the page sends only their legend entries (traces with meta.lazy).
  // When one is switched on (a legend click or double-click restyles it), fetch the real lines once
  // (same query string, so the same filters) and swap them in, each keeping its placeholder's visibility.
  function loadScopes(el) {
    if (el.dataset.scopesState) return; // loading or loaded
    var wanted = el.data.some(function (t) { return t.meta && t.meta.lazy && t.visible === true; });
    if (!wanted) return;
    el.dataset.scopesState = "loading";
    fetch(el.dataset.scopesUrl + window.location.search, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("scope lines: HTTP " + response.status);
        return response.json();
      })
      .then(function (payload) {
        var data = [];
        el.data.forEach(function (trace) {
          var code = trace.meta && trace.meta.lazy;
          if (!code) { data.push(trace); return; }
          payload.data.forEach(function (real) {
            if (real.legendgroup !== code) return;
            real.visible = trace.visible;
            data.push(real);
          });
        });
        return Plotly.react(el, data, el.layout);
      })
      .then(function () { el.dataset.scopesState = "loaded"; })
      .catch(function (err) { delete el.dataset.scopesState; console.warn(err); });
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
