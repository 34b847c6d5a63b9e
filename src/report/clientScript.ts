/**
 * The report page's own script: reads the report's JSON (figureTypes.ts ReportData) from
 * <script id="report-data" type="application/json"> and draws every section with d3 (inlined
 * before it): pixel figures as <image> elements on d3 axes with colour bars, histograms and
 * bar charts as rects, curves as paths, scanned cycles as dashed lines. Every data mark has class "mark"; a drawn section
 * gets data-rendered="true" and data-marks (its number of marks), which the headless-browser
 * test reads back. Plain ES2017 for any browser; kept as text because the project compiles
 * for Node without DOM types.
 */
export const CLIENT_SCRIPT = String.raw`
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var fmt = d3.format(".3~g");
  var MARGIN = { top: 24, right: 12, bottom: 40, left: 64 };

  function svgIn(container, width, height) {
    return d3.select(container).append("svg").attr("width", width).attr("height", height).attr("viewBox", "0 0 " + width + " " + height);
  }

  function colourScale(stops, log, min, max) {
    var n = stops.length - 1;
    var t = log ? d3.scaleLog().domain([min, max]) : d3.scaleLinear().domain([min, max]);
    t.range([0, 1]).clamp(true);
    var c = d3.scaleLinear().domain(stops.map(function (_, i) { return i / n; })).range(stops).interpolate(d3.interpolateRgb);
    return { value: t, colour: function (v) { return c(t(v)); } };
  }

  // A colour bar: 48 rects from min to max with an axis, at (x, y) of height h.
  function colourBar(g, bar, x, y, h) {
    var cs = colourScale(bar.stops, bar.log, bar.min, bar.max);
    var k = 48;
    var pos = bar.log ? d3.scaleLog().domain([bar.min, bar.max]).range([y + h, y]) : d3.scaleLinear().domain([bar.min, bar.max]).range([y + h, y]);
    var values = d3.range(k).map(function (i) {
      return bar.log ? bar.min * Math.pow(bar.max / bar.min, (i + 0.5) / k) : bar.min + ((i + 0.5) / k) * (bar.max - bar.min);
    });
    g.append("g").selectAll("rect").data(values).join("rect").attr("class", "mark")
      .attr("x", x).attr("width", 12).attr("y", function (_, i) { return y + h - ((i + 1) * h) / k; }).attr("height", h / k + 0.5)
      .attr("fill", function (v) { return cs.colour(v); });
    g.append("g").attr("transform", "translate(" + (x + 12) + ",0)").call(d3.axisRight(pos).ticks(4, bar.log ? "~e" : "~g"));
    g.append("text").attr("class", "bar-label").attr("x", x).attr("y", y - 6).text(bar.label);
  }

  // A pixel image on physical axes (the longer side of "size" px), with overlay and colour bar.
  function imagePanel(container, p, size) {
    var wPhys = p.freeAspect ? p.width : Math.abs(p.x[1] - p.x[0]);
    var hPhys = p.freeAspect ? Math.min(1.5 * p.width, Math.max(0.6 * p.width, p.height)) : Math.abs(p.y[1] - p.y[0]);
    var s = size / Math.max(wPhys, hPhys);
    var pw = Math.max(40, wPhys * s), ph = Math.max(40, hPhys * s);
    var barW = p.colourBar ? 78 : 0;
    var svg = svgIn(container, MARGIN.left + pw + MARGIN.right + barW, MARGIN.top + ph + MARGIN.bottom);
    var g = svg.append("g").attr("transform", "translate(" + MARGIN.left + "," + MARGIN.top + ")");
    var x = d3.scaleLinear().domain(p.x).range([0, pw]);
    var y = d3.scaleLinear().domain(p.y).range([ph, 0]);
    g.append("image").attr("class", "mark").attr("href", p.src).attr("width", pw).attr("height", ph).attr("preserveAspectRatio", "none");
    if (p.overlay) g.append("image").attr("class", "mark").attr("href", p.overlay).attr("width", pw).attr("height", ph).attr("preserveAspectRatio", "none");
    g.append("g").attr("transform", "translate(0," + ph + ")").call(d3.axisBottom(x).ticks(5));
    g.append("g").call(d3.axisLeft(y).ticks(5));
    g.append("text").attr("class", "axis-label").attr("x", pw / 2).attr("y", ph + 34).attr("text-anchor", "middle").text(p.xLabel);
    g.append("text").attr("class", "axis-label").attr("transform", "rotate(-90)").attr("x", -ph / 2).attr("y", -42).attr("text-anchor", "middle").text(p.yLabel);
    g.append("text").attr("class", "panel-title").attr("x", 0).attr("y", -8).text(p.title);
    if (p.colourBar) colourBar(g, p.colourBar, pw + 16, 0, ph);
  }

  // Axes frame for charts: returns {g, x, y} with axes drawn.
  function chart(container, o) {
    var w = o.width || 460, h = o.height || 260;
    var svg = svgIn(container, w, h);
    var iw = w - MARGIN.left - MARGIN.right - (o.extraRight || 0), ih = h - MARGIN.top - MARGIN.bottom;
    var g = svg.append("g").attr("transform", "translate(" + MARGIN.left + "," + MARGIN.top + ")");
    var x = o.x.range([0, iw]);
    var y = o.y.range([ih, 0]);
    g.append("g").attr("transform", "translate(0," + ih + ")").call(o.xAxis ? o.xAxis(x) : d3.axisBottom(x).ticks(6));
    g.append("g").call(d3.axisLeft(y).ticks(5));
    g.append("text").attr("class", "axis-label").attr("x", iw / 2).attr("y", ih + 34).attr("text-anchor", "middle").text(o.xLabel);
    g.append("text").attr("class", "axis-label").attr("transform", "rotate(-90)").attr("x", -ih / 2).attr("y", -52).attr("text-anchor", "middle").text(o.yLabel);
    if (o.title) g.append("text").attr("class", "panel-title").attr("x", 0).attr("y", -8).text(o.title);
    return { g: g, x: x, y: y, iw: iw, ih: ih };
  }

  function legend(g, entries, x, y) {
    var rows = g.append("g").attr("transform", "translate(" + x + "," + y + ")").selectAll("g").data(entries).join("g")
      .attr("transform", function (_, i) { return "translate(0," + i * 16 + ")"; });
    rows.append("rect").attr("class", "mark").attr("width", 10).attr("height", 10).attr("fill", function (e) { return e.colour; });
    rows.append("text").attr("x", 14).attr("y", 9).text(function (e) { return e.name; });
  }

  function htmlLegend(container, title, entries) {
    var div = d3.select(container).append("div").attr("class", "legend");
    div.append("div").attr("class", "legend-title").text(title);
    var item = div.selectAll("span.item").data(entries).join("span").attr("class", "item");
    item.append("svg").attr("width", 12).attr("height", 12).append("rect").attr("class", "mark").attr("width", 12).attr("height", 12).attr("fill", function (e) { return e.colour; });
    item.append("span").text(function (e) { return " " + e.name + "  "; });
  }

  function line(g, xs, ys, x, y, colour, dash) {
    var pts = xs.map(function (v, i) { return [v, ys[i]]; }).filter(function (p) { return isFinite(x(p[0])) && isFinite(y(p[1])); });
    g.append("path").attr("class", "mark").attr("fill", "none").attr("stroke", colour).attr("stroke-width", 2).attr("stroke-dasharray", dash || null)
      .attr("d", d3.line().x(function (p) { return x(p[0]); }).y(function (p) { return y(p[1]); })(pts));
  }

  // Scanned cycles as dashed vertical lines (class "scan-line") across a fade chart.
  var SCAN_COLOUR = "#888888";
  function scanLines(c, cycles) {
    var lo = c.x.domain()[0], hi = c.x.domain()[1];
    var shown = cycles.filter(function (k) { return k >= lo && k <= hi; });
    var g = c.g.append("g");
    g.selectAll("line").data(shown).join("line").attr("class", "mark scan-line")
      .attr("x1", function (k) { return c.x(k); }).attr("x2", function (k) { return c.x(k); }).attr("y1", 0).attr("y2", c.ih)
      .attr("stroke", SCAN_COLOUR).attr("stroke-width", 1.5).attr("stroke-dasharray", "4 3");
    if (shown.length <= 12) {
      // Labels right of their line, or left of it near the right edge.
      var right = function (k) { return c.x(k) < c.iw - 48; };
      g.selectAll("text").data(shown).join("text").attr("class", "scan-label").attr("y", c.ih - 4)
        .attr("x", function (k) { return c.x(k) + (right(k) ? 3 : -3); }).attr("text-anchor", function (k) { return right(k) ? "start" : "end"; })
        .attr("font-size", 9).attr("fill", "#555").text(function (k) { return "scan " + k; });
    }
  }

  var draw = {
    projections: function (el, f) {
      var row = el.querySelector(".plots");
      f.projections.forEach(function (p) { imagePanel(row, p, 200); });
      imagePanel(row, f.sinogram, 260);
    },
    slices: function (el, f) {
      var row = el.querySelector(".plots");
      f.panels.forEach(function (p) { imagePanel(row, p, 236); });
      f.legends.forEach(function (l) { htmlLegend(el.querySelector(".legends"), l.title, l.entries); });
    },
    particleSizes: function (el, f) {
      var edges = f.edgesUm, n = edges.length - 1, k = f.series.length;
      var maxCount = d3.max(f.series, function (s) { return d3.max(s.counts); }) || 1;
      var c = chart(el.querySelector(".plots"), {
        width: 640, height: 300, extraRight: 0,
        x: d3.scaleLinear().domain([edges[0], edges[n]]), y: d3.scaleLinear().domain([0, maxCount]).nice(),
        xLabel: "equivalent diameter (um)", yLabel: "particles",
      });
      var colours = ["#4e79a7", "#f28e2c", "#59a14f"];
      f.series.forEach(function (s, j) {
        c.g.append("g").selectAll("rect").data(s.counts).join("rect").attr("class", "mark")
          .attr("x", function (_, i) { return c.x(edges[i]) + ((c.x(edges[i + 1]) - c.x(edges[i])) * j) / k + 0.5; })
          .attr("width", function (_, i) { return Math.max(1, (c.x(edges[i + 1]) - c.x(edges[i])) / k - 1); })
          .attr("y", function (v) { return c.y(v); }).attr("height", function (v) { return c.ih - c.y(v); })
          .attr("fill", colours[j % colours.length]);
      });
      legend(c.g, f.series.map(function (s, j) {
        return { colour: colours[j % colours.length], name: s.name + ": " + s.particles + ", median " + fmt(s.medianUm) + " um" };
      }), c.iw - 280, 4);
    },
    dose: function (el, f) {
      imagePanel(el.querySelector(".plots"), f.map, 300);
    },
    temperature: function (el, f) {
      // Above the ambient temperature when it is known: small rises stay readable.
      var base = f.ambientK !== null ? f.ambientK : 0;
      var pts = f.timeS.map(function (t, i) { return [t, f.peakK[i] - base]; }).filter(function (p) { return p[0] > 0; });
      var tMin = d3.min(pts, function (p) { return p[0]; }), tMax = d3.max(pts, function (p) { return p[0]; });
      var logT = tMax / tMin > 1000;
      var ys = pts.map(function (p) { return p[1]; }).concat(f.ambientK !== null ? [0] : []);
      var c = chart(el.querySelector(".plots"), {
        width: 640, height: 300,
        x: logT ? d3.scaleLog().domain([tMin, tMax]) : d3.scaleLinear().domain([0, tMax]),
        xAxis: logT ? function (x) { return d3.axisBottom(x).ticks(6, "~e"); } : null,
        y: d3.scaleLinear().domain(d3.extent(ys)).nice(),
        xLabel: "beam-on time (s)" + (logT ? ", log scale" : ""),
        yLabel: f.ambientK !== null ? "peak rise above " + fmt(f.ambientK) + " K (K)" : "peak temperature (K)",
      });
      line(c.g, pts.map(function (p) { return p[0]; }), pts.map(function (p) { return p[1]; }), c.x, c.y, "#e15759");
      c.g.append("g").selectAll("circle").data(pts).join("circle").attr("class", "mark").attr("r", 2.5).attr("fill", "#e15759")
        .attr("cx", function (p) { return c.x(p[0]); }).attr("cy", function (p) { return c.y(p[1]); });
      legend(c.g, [{ colour: "#e15759", name: "hottest sample cell" + (f.bubbles > 0 ? " (" + f.bubbles + " bubble events)" : "") }], c.iw - 230, c.ih - 24);
    },
    fade: function (el, f) {
      var row = el.querySelector(".plots");
      var x = function () { return d3.scaleLinear().domain(d3.extent(f.cycle)); };
      var capMin = d3.min(f.capacityFraction);
      var a = chart(row, { x: x(), y: d3.scaleLinear().domain([Math.min(capMin, 1 - 1e-3), 1]).nice(), xLabel: "cycle", yLabel: "capacity fraction", title: "capacity" });
      scanLines(a, f.scannedCycles);
      line(a.g, f.cycle, f.capacityFraction, a.x, a.y, "#4e79a7");
      var b = chart(row, { x: x(), y: d3.scaleLinear().domain([0, Math.max(1e-6, d3.max(f.lliFraction.concat(f.lamFraction)))]).nice(), xLabel: "cycle", yLabel: "fraction lost", title: "loss of lithium inventory and of active material" });
      scanLines(b, f.scannedCycles);
      line(b.g, f.cycle, f.lliFraction, b.x, b.y, "#e15759");
      line(b.g, f.cycle, f.lamFraction, b.x, b.y, "#59a14f", "5 3");
      legend(b.g, [{ colour: "#e15759", name: "LLI" }, { colour: "#59a14f", name: "LAM" }].concat(f.scannedCycles.length > 0 ? [{ colour: SCAN_COLOUR, name: "scanned cycle" }] : []), 10, 4);
    },
    cycles: function (el, f) {
      var row = el.querySelector(".plots");
      f.columns.forEach(function (c) {
        var col = d3.select(row).append("div").attr("class", "cycle-column");
        col.append("div").attr("class", "cycle-title").text("cycle " + c.cycle + (c.capacityFraction !== null ? ": capacity " + d3.format(".4f")(c.capacityFraction) : ""));
        imagePanel(col.node(), c.labels, 220);
        if (c.lithium) imagePanel(col.node(), c.lithium, 220);
      });
      htmlLegend(el.querySelector(".legends"), "true classes (aged classes in strong colours)", f.legend);
      var colourOf = {};
      f.legend.forEach(function (e) { colourOf[e.name] = e.colour; });
      var counts = d3.select(el).append("div").attr("class", "plots");
      // The counts as a table (exact numbers) ...
      var table = counts.append("table").attr("class", "scores aged-counts");
      table.append("thead").append("tr").selectAll("th").data(["aged class (voxels)"].concat(f.columns.map(function (c) { return "cycle " + c.cycle; }))).join("th").text(function (d) { return d; });
      var rows = table.append("tbody").selectAll("tr").data(f.agedClasses).join("tr");
      var first = rows.append("td");
      first.append("span").attr("class", "swatch").style("background", function (name) { return colourOf[name] || "#fff"; });
      first.append("span").text(function (name) { return " " + name; });
      rows.each(function (name, i) {
        d3.select(this).selectAll("td.count").data(f.columns.map(function (c) { return c.agedCounts[i]; })).join("td").attr("class", "count").text(function (v) { return String(v); });
      });
      // ... and as bars on a log scale (the classes span 1 to 10^4 voxels), one per cycle.
      var maxCount = d3.max(f.columns, function (c) { return d3.max(c.agedCounts); }) || 1;
      var n = f.columns.length;
      var x0 = d3.scaleBand().domain(f.agedClasses).padding(0.2);
      var c = chart(counts.node(), {
        width: Math.max(460, 140 + f.agedClasses.length * (12 * n + 16)), height: 280, extraRight: 90,
        x: x0, y: d3.scaleLog().domain([0.8, Math.max(10, maxCount * 1.5)]),
        xLabel: "aged class", yLabel: "voxels (log scale)", title: "aged-class voxels per scanned cycle",
        xAxis: function (x) { return d3.axisBottom(x); },
      });
      var shade = function (j) { return d3.interpolateRgb("#c6dbef", "#08306b")(n > 1 ? j / (n - 1) : 1); };
      f.columns.forEach(function (col, j) {
        var bars = col.agedCounts.map(function (v, i) { return { v: v, i: i }; }).filter(function (b) { return b.v > 0; });
        c.g.append("g").selectAll("rect").data(bars).join("rect").attr("class", "mark")
          .attr("x", function (b) { return x0(f.agedClasses[b.i]) + (x0.bandwidth() * j) / n; })
          .attr("width", Math.max(1, x0.bandwidth() / n - 1))
          .attr("y", function (b) { return c.y(b.v); }).attr("height", function (b) { return Math.max(0, c.ih - c.y(b.v)); })
          .attr("fill", shade(j));
      });
      legend(c.g, f.columns.map(function (col, j) { return { colour: shade(j), name: "cycle " + col.cycle }; }), c.iw + 10, 0);
    },
    scores: function (el, f) {
      var row = el.querySelector(".plots");
      if (f.table.length > 0) {
        var table = d3.select(row).append("table").attr("class", "scores");
        table.append("thead").append("tr").selectAll("th").data(["score", "value"]).join("th").text(function (d) { return d; });
        table.append("tbody").selectAll("tr").data(f.table).join("tr").selectAll("td").data(function (r) { return r; }).join("td").text(function (d) { return d; });
      }
      if (f.classes.length > 0) {
        var x0 = d3.scaleBand().domain(f.classes).padding(0.2);
        var c = chart(row, { width: 520, height: 300, x: x0, y: d3.scaleLinear().domain([0, 1]), xLabel: "true class", yLabel: "score", xAxis: function (x) { return d3.axisBottom(x); } });
        var kinds = [{ name: "Dice", values: f.dice, colour: "#4e79a7" }, { name: "IoU", values: f.iou, colour: "#f28e2c" }];
        kinds.forEach(function (kd, j) {
          c.g.append("g").selectAll("rect").data(kd.values).join("rect").attr("class", "mark")
            .attr("x", function (_, i) { return x0(f.classes[i]) + (x0.bandwidth() / 2) * j; })
            .attr("width", x0.bandwidth() / 2 - 1)
            .attr("y", function (v) { return c.y(v); }).attr("height", function (v) { return Math.max(0, c.ih - c.y(v)); })
            .attr("fill", kd.colour);
        });
        legend(c.g, kinds.map(function (kd) { return { colour: kd.colour, name: kd.name }; }), c.iw - 60, -18);
      }
    },
  };

  Object.keys(draw).forEach(function (key) {
    var el = document.getElementById("fig-" + key);
    var f = data[key];
    if (!el || !f || f.status !== "ok") return;
    try {
      draw[key](el, f);
      el.setAttribute("data-marks", String(el.querySelectorAll("svg .mark").length));
      el.setAttribute("data-rendered", "true");
    } catch (e) {
      el.setAttribute("data-rendered", "error");
      var p = document.createElement("p");
      p.className = "missing";
      p.textContent = "drawing failed: " + e;
      el.appendChild(p);
    }
  });
  document.body.setAttribute("data-report-done", "true");
})();
`;
