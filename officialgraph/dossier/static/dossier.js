/* The dossier's two charts (ECharts, inlined above this script) and the marks the browser test
 * reads. Text from pages reaches tooltips only through esc(); chart labels are drawn on canvas. */
(function () {
  "use strict";
  var FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif';
  var PRECISION = {"day": "日期见原文", "day-year-inferred": "年份推断"};
  var KINDS = {"meeting": "会议", "conference": "大会", "inspection": "调研", "signing": "签约",
               "visit": "来访", "other": "其他"};
  var STEP_NAMES = ["本人", "一步同场", "两步同场"];
  var STEP_COLOURS = ["#d1242f", "#0b5cad", "#8c959f"];
  var scriptStart = performance.now();
  var data = JSON.parse(document.getElementById("dossier-data").textContent);
  var body = document.body;
  var pending = 0;

  function esc(value) {
    return String(value == null ? "" : value).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }

  // Each chart reports once, after its first complete render; then the page marks itself done.
  function whenRendered(chart, mark) {
    pending += 1;
    var done = false;
    chart.on("finished", function () {
      if (done) { return; }
      done = true;
      mark(chart);
      pending -= 1;
      if (pending === 0) { finish(); }
    });
  }

  function finish() {
    body.setAttribute("data-render-ms", performance.now().toFixed(1));
    body.setAttribute("data-script-start-ms", scriptStart.toFixed(1));
    body.setAttribute("data-rendered", "true");
  }

  function timelineChart(el) {
    var chart = echarts.init(el, null, {renderer: "canvas"});
    var kinds = [];
    data.timeline.forEach(function (p) { if (kinds.indexOf(p.kind) < 0) { kinds.push(p.kind); } });
    var series = Object.keys(PRECISION).map(function (precision) {
      return {
        name: PRECISION[precision], type: "scatter", symbolSize: 12,
        symbol: precision === "day" ? "circle" : "emptyCircle",
        itemStyle: {color: precision === "day" ? "#0b5cad" : "#b35900", borderWidth: 2},
        data: data.timeline.filter(function (p) { return p.precision === precision; }).map(function (p) {
          return {value: [p.date, p.kind], point: p};
        })
      };
    });
    var many = data.timeline.length > 40;
    whenRendered(chart, function (c) {
      var drawn = 0;
      c.getOption().series.forEach(function (s, i) { drawn += c.getModel().getSeriesByIndex(i).getData().count(); });
      el.setAttribute("data-points", String(drawn));
    });
    chart.setOption({
      animation: false,
      textStyle: {fontFamily: FONT},
      grid: {left: 90, right: 24, top: 36, bottom: many ? 70 : 36},
      legend: {top: 4, data: series.map(function (s) { return s.name; })},
      tooltip: {trigger: "item", formatter: function (item) {
        var p = item.data.point;
        return esc(p.date) + "（" + esc(PRECISION[p.precision]) + "）<br>" + esc(p.event) +
          "<br>" + esc(p.roles.join("、"));
      }},
      xAxis: {type: "time", boundaryGap: ["4%", "4%"], splitLine: {show: true},
              axisLabel: {hideOverlap: true,
                          formatter: {year: "{yyyy}年", month: "{yyyy}年{M}月", day: "{M}月{d}日"}}},
      yAxis: {type: "category", data: kinds, axisLabel: {formatter: function (k) { return KINDS[k] || k; }}},
      dataZoom: many ? [{type: "inside"}, {type: "slider", bottom: 12, showDataShadow: false}] : [],
      series: series
    });
    chart.on("click", function (item) {
      if (item.data && item.data.point) { location.hash = item.data.point.row; }
    });
    return chart;
  }

  function networkChart(el) {
    var chart = echarts.init(el, null, {renderer: "canvas"});
    var nodes = data.network.nodes;
    var maxWeight = Math.max.apply(null, nodes.map(function (n) { return n.weight; }).concat([1]));
    var labelAll = nodes.length <= 40;
    var names = {};
    var steps = {};
    nodes.forEach(function (n) { names[n.id] = n.name; steps[n.id] = n.step; });
    whenRendered(chart, function (c) {
      var series = c.getModel().getSeriesByIndex(0);
      el.setAttribute("data-nodes", String(series.getData().count()));
      el.setAttribute("data-edges", String(series.getEdgeData().count()));
    });
    chart.setOption({
      animation: false,
      textStyle: {fontFamily: FONT},
      legend: {top: 4, data: STEP_NAMES},
      tooltip: {formatter: function (item) {
        if (item.dataType === "edge") {
          return esc(item.data.sourceName) + " — " + esc(item.data.targetName) + "：共同活动 " + esc(item.data.value);
        }
        var n = item.data.node;
        return esc(n.name) + "（" + esc(n.region || "无地区") + "）<br>" + esc(STEP_NAMES[n.step]) +
          (n.step ? "，权重 " + esc(n.weight) : "");
      }},
      series: [{
        // Positions arrive laid out (force-directed, networkx, in Python): nothing to iterate here.
        // The layout's proportions, not the box's (round nodes, true distances); room for labels.
        type: "graph", layout: "none", roam: true, preserveAspect: "contain",
        left: 40, right: 110, top: 50, bottom: 30,
        categories: STEP_NAMES.map(function (name, i) { return {name: name, itemStyle: {color: STEP_COLOURS[i]}}; }),
        label: {position: "right", fontFamily: FONT},
        // Slightly curved: ECharts 6.1 leaves straight (curveness 0) edges behind after a resize.
        lineStyle: {color: "#6e7781", curveness: 0.05},
        emphasis: {focus: "adjacency"},
        labelLayout: {hideOverlap: true},
        // The subject last, so it is drawn (and labelled) on top of the crowd around it.
        data: nodes.slice().sort(function (a, b) { return b.step - a.step; }).map(function (n) {
          return {id: n.id, name: n.name, value: n.weight, category: n.step, node: n, x: n.xy[0], y: -n.xy[1],
                  symbolSize: n.step === 0 ? 36 : 10 + 22 * Math.sqrt(n.weight / maxWeight),
                  label: {show: n.step < 2 || labelAll, fontWeight: n.step === 0 ? "bold" : "normal",
                          fontSize: n.step === 0 ? 16 : 12}};
        }),
        links: data.network.edges.map(function (e) {
          // Ties of the subject stand out; ties among the others stay in the background.
          var depth = Math.max(steps[e.source], steps[e.target]) + Math.min(steps[e.source], steps[e.target]);
          return {source: e.source, target: e.target, value: e.weight,
                  sourceName: names[e.source], targetName: names[e.target],
                  lineStyle: {width: Math.min(1 + e.weight, 8) / (depth > 1 ? 2 : 1),
                              opacity: [0.7, 0.7, 0.3, 0.12][depth]}};
        })
      }]
    });
    return chart;
  }

  var charts = [];
  var timelineEl = document.getElementById("timeline-chart");
  if (timelineEl) { charts.push(timelineChart(timelineEl)); }
  charts.push(networkChart(document.getElementById("network-chart")));
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  window.dossierCharts = charts;  // for readers who want the chart instances (and the test)
})();
