// A chart's image (PNG or SVG) carries its title, its source and the date, so that it can be
// pasted into a council report as it is. The toolbar's download button and the "PNG" / "SVG"
// buttons under each chart both come here; the chart on the page is left untouched.
(function () {
  "use strict";

  function escapeText(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function meta(graph) {
    return (graph.layout && graph.layout.meta) || {};
  }

  function titleOf(graph) {
    if (meta(graph).titre) {
      return meta(graph).titre;
    }
    const box = graph.closest(".chart, .mini-chart");
    const heading = box && box.querySelector("h2, h3, h4");
    return heading ? heading.textContent.trim() : document.title;
  }

  function sourceOf(graph) {
    const source = meta(graph).source || "Source : Suivi des territoires (ANCT)";
    return source + " — image du " + new Date().toLocaleDateString("fr-FR");
  }

  function fileName(title) {
    const plain = title.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
    return plain.replace(/[^A-Za-z0-9]+/g, "_").replace(/^_|_$/g, "").slice(0, 80) || "graphique";
  }

  function exportImage(graph, format) {
    const full = graph._fullLayout;
    if (!full || !window.Plotly) {
      return;
    }
    const title = titleOf(graph);
    // the margins as drawn (axis titles push them beyond the layout's), then room for the
    // title above and the source below
    const drawn = full._size || {};
    const margin = Object.assign({}, graph.layout.margin || {}, {
      l: drawn.l || 40, r: drawn.r || 20, t: drawn.t || 20, b: drawn.b || 30,
    });
    const below = margin.b;
    const layout = Object.assign({}, graph.layout, {
      title: {text: escapeText(title), x: 0.01, xanchor: "left", font: {size: 16}},
      margin: Object.assign({}, margin, {t: margin.t + 50, b: below + 40}),
      paper_bgcolor: "#ffffff",
      annotations: (graph.layout.annotations || []).concat([
        {
          text: escapeText(sourceOf(graph)),
          xref: "paper",
          yref: "paper",
          x: 0,
          y: 0,
          xanchor: "left",
          yanchor: "top",
          yshift: -(below + 8),
          showarrow: false,
          font: {size: 11, color: "#3a3a3a"},
        },
      ]),
    });
    window.Plotly.downloadImage(
      {data: graph.data, layout: layout},
      {
        format: format,
        width: full.width,
        height: full.height + 90,
        filename: fileName(title),
      }
    );
  }

  document.addEventListener(
    "click",
    function (event) {
      const target = event.target instanceof Element ? event.target : null;
      if (!target) {
        return;
      }
      // the toolbar holds the image download alone (dashboard/components/chart.py)
      const toolbarButton = target.closest(".modebar-btn");
      const pageButton = target.closest("button.chart-image");
      if (!toolbarButton && !pageButton) {
        return;
      }
      const box = pageButton && pageButton.closest(".chart, .mini-chart");
      const graph = toolbarButton
        ? toolbarButton.closest(".js-plotly-plot")
        : box && box.querySelector(".js-plotly-plot");
      if (!graph) {
        return;
      }
      event.preventDefault();
      event.stopPropagation();
      exportImage(graph, pageButton ? pageButton.dataset.format : "png");
    },
    true
  );
})();
