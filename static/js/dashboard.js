// Draws the dashboard's charts from the JSON the page carries; every chart has a table beside it.
(function () {
  "use strict";
  function data(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }
  function draw(id, option) {
    var element = document.getElementById(id);
    if (!element || typeof echarts === "undefined") return;
    var chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption(Object.assign({ animation: false, grid: { left: 40, right: 16, top: 30, bottom: 40 } }, option));
    window.addEventListener("resize", function () { chart.resize(); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var charts = data("dashboard-charts");
    if (!charts) return;
    draw("chart-statuses", {
      tooltip: {}, xAxis: { type: "category", data: charts.statuses.labels, axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: "value" }, series: [{ type: "bar", data: charts.statuses.values, itemStyle: { color: "#a61b1b" } }]
    });
    var colours = ["#2e7d32", "#f9a825", "#c62828", "#1565c0", "#9e9e9e"];
    draw("chart-lights", {
      tooltip: {}, series: [{
        type: "pie", radius: ["35%", "65%"],
        data: charts.lights.labels.map(function (label, i) {
          return { name: label, value: charts.lights.values[i], itemStyle: { color: colours[i] } };
        })
      }]
    });
    draw("chart-trend", {
      tooltip: { trigger: "axis" }, legend: { data: ["办结", "逾期"], top: 0 },
      xAxis: { type: "category", data: charts.trend.labels }, yAxis: { type: "value" },
      series: [
        { name: "办结", type: "line", data: charts.trend.completed, itemStyle: { color: "#2e7d32" } },
        { name: "逾期", type: "line", data: charts.trend.overdue, itemStyle: { color: "#c62828" } }
      ]
    });
    draw("chart-calendar", {
      tooltip: {}, xAxis: { type: "category", data: charts.calendar.labels }, yAxis: { type: "value" },
      series: [{ type: "bar", data: charts.calendar.values, itemStyle: { color: "#1565c0" } }]
    });
  });
})();
