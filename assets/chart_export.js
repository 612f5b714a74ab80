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

  // plotly does not wrap text: break a long title or source into lines that fit the width
  function wrap(text, width, pixelsPerCharacter) {
    const most = Math.max(20, Math.floor(width / pixelsPerCharacter));
    const lines = [];
    let line = "";
    String(text).split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > most) {
        lines.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    });
    lines.push(line);
    return lines;
  }

  function exportImage(graph, format) {
    const full = graph._fullLayout;
    if (!full || !window.Plotly) {
      return;
    }
    const title = titleOf(graph);
    const titleLines = wrap(title, full.width - 20, 8.5).map(escapeText);
    const sourceLines = wrap(sourceOf(graph), full.width - 20, 6).map(escapeText);
    // the margins as drawn (axis titles push them beyond the layout's), then room for the
    // title above and the source below
    const drawn = full._size || {};
    const above = 16 + 22 * titleLines.length;
    const below = 24 + 16 * sourceLines.length;
    const margin = Object.assign({}, graph.layout.margin || {}, {
      l: drawn.l || 40,
      r: drawn.r || 20,
      t: (drawn.t || 10) + above,
      b: (drawn.b || 30) + below,
    });
    const layout = Object.assign({}, graph.layout, {
      margin: margin,
      paper_bgcolor: "#ffffff",
      annotations: (graph.layout.annotations || []).concat([
        {
          // the title as an annotation: plotly's own title shifts when it holds several lines
          text: titleLines.join("<br>"),
          align: "left",
          xref: "paper",
          yref: "paper",
          x: 0,
          y: 1,
          xanchor: "left",
          yanchor: "top",
          xshift: -margin.l + 10,
          yshift: margin.t - 8,
          showarrow: false,
          font: {size: 16, color: "#1e1e1e"},
        },
        {
          text: sourceLines.join("<br>"),
          align: "left",
          xref: "paper",
          yref: "paper",
          x: 0,
          y: 0,
          xanchor: "left",
          yanchor: "top",
          xshift: -margin.l + 10,
          yshift: -((drawn.b || 30) + 16),
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
        height: full.height + above + below,
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
