/* «Prelievi fatturati» (G4): the charts, drawn from the figures the tables print.
 *
 * The page works without this script: its tables are the data. With it, a
 * «Grafico / Tabella» switch shows one view or the other; the charts read the
 * same figures from the page's JSON (json_script), never from elsewhere.
 * Estimated months are hatched (a pattern, not only a colour) and the legend
 * says so: «Effettivo», «Stimato».
 */
"use strict";

(function () {
  var source = document.getElementById("consumption-data");
  var switcher = document.querySelector("[data-sp-view-switch]");
  if (!source || !switcher || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var lang = document.documentElement.lang || "it";
  var number = new Intl.NumberFormat(lang, { maximumFractionDigits: 3 });
  var primary =
    getComputedStyle(document.documentElement).getPropertyValue("--sp-primary").trim() ||
    "#1b5e20";
  var NEUTRAL = "#495057";
  var COLOURS = {
    years: [primary, "#6c757d"],
    bands: ["#a52834", "#8a5a00", "#1c5f93"],
  };

  // Diagonal stripes of the series' colour on white: an estimated bar.
  function hatch(colour) {
    var tile = document.createElement("canvas");
    tile.width = 8;
    tile.height = 8;
    var pen = tile.getContext("2d");
    pen.fillStyle = "#ffffff";
    pen.fillRect(0, 0, 8, 8);
    pen.strokeStyle = colour;
    pen.lineWidth = 2;
    pen.beginPath();
    pen.moveTo(0, 8);
    pen.lineTo(8, 0);
    pen.moveTo(-2, 2);
    pen.lineTo(2, -2);
    pen.moveTo(6, 10);
    pen.lineTo(10, 6);
    pen.stroke();
    return pen.createPattern(tile, "repeat");
  }

  function dataset(series, colour, stacked) {
    var pattern = hatch(colour);
    return {
      label: series.label,
      data: series.values,
      estimated: series.estimated,
      backgroundColor: series.estimated.map(function (estimated) {
        return estimated ? pattern : colour;
      }),
      borderColor: colour,
      borderWidth: 1.5,
      stack: stacked ? "bands" : series.label,
    };
  }

  // One entry per series, then what the hatching means.
  function legendLabels(chart) {
    var items = chart.data.datasets.map(function (set, index) {
      return {
        text: set.label,
        fillStyle: set.borderColor,
        strokeStyle: set.borderColor,
        lineWidth: 1,
        hidden: !chart.isDatasetVisible(index),
        datasetIndex: index,
      };
    });
    items.push(
      { text: data.texts.actual, fillStyle: NEUTRAL, strokeStyle: NEUTRAL, lineWidth: 1 },
      { text: data.texts.estimated, fillStyle: hatch(NEUTRAL), strokeStyle: NEUTRAL, lineWidth: 1 }
    );
    return items;
  }

  function draw(canvas) {
    var kind = canvas.getAttribute("data-sp-chart");
    var stacked = canvas.hasAttribute("data-sp-stacked");
    var colours = kind === "bands" ? COLOURS.bands : COLOURS.years;
    var unit = kind === "power" ? data.texts.kw : data.unit;
    var sets = data[kind].map(function (series, index) {
      return dataset(series, colours[index % colours.length], stacked);
    });
    return new window.Chart(canvas, {
      type: "bar",
      data: { labels: data.labels, datasets: sets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          x: { stacked: stacked },
          y: {
            stacked: stacked,
            beginAtZero: true,
            title: { display: true, text: unit },
            ticks: {
              callback: function (value) {
                return number.format(value);
              },
            },
          },
        },
        plugins: {
          legend: {
            labels: { generateLabels: legendLabels },
            onClick: function (event, item, legend) {
              if (item.datasetIndex === undefined) {
                return;
              }
              var chart = legend.chart;
              chart.setDatasetVisibility(item.datasetIndex, !chart.isDatasetVisible(item.datasetIndex));
              chart.update();
            },
          },
          tooltip: {
            callbacks: {
              label: function (context) {
                var set = context.dataset;
                var text = set.label + ": " + number.format(context.parsed.y) + " " + unit;
                return set.estimated[context.dataIndex] ? text + " (" + data.texts.estimated + ")" : text;
              },
            },
          },
        },
      },
    });
  }

  var drawn = false;
  var field = document.querySelector("[data-sp-view-field]");

  function show(view) {
    var chart = view === "grafico";
    document.querySelectorAll("[data-sp-chart-box]").forEach(function (box) {
      box.hidden = !chart;
    });
    document.querySelectorAll("[data-sp-table-box]").forEach(function (box) {
      box.hidden = chart;
    });
    switcher.querySelectorAll("[data-sp-view]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-sp-view") === view));
    });
    if (field) {
      field.value = view;
    }
    // Drawn once they are visible: a hidden canvas has no size to draw at.
    if (chart && !drawn) {
      document.querySelectorAll("canvas[data-sp-chart]").forEach(draw);
      drawn = true;
    }
  }

  switcher.addEventListener("click", function (event) {
    var button = event.target.closest("[data-sp-view]");
    if (button) {
      show(button.getAttribute("data-sp-view"));
    }
  });
  switcher.hidden = false;
  show(switcher.getAttribute("data-sp-initial") === "tabella" ? "tabella" : "grafico");
})();
