// Draws the lab's Plotly figures: each [data-figure] element names the JSON <script> that
// holds its figure (built on the server). Runs on page load and after every htmx swap.
(function () {
  "use strict";
  function draw(root) {
    if (typeof Plotly === "undefined") { return; }
    root.querySelectorAll("[data-figure]").forEach(function (el) {
      var source = document.getElementById(el.dataset.figure);
      if (!source) { return; }
      var figure = JSON.parse(source.textContent);
      Plotly.react(el, figure.data, figure.layout, {displayModeBar: false, responsive: true});
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (event) { draw(event.target); });
})();
