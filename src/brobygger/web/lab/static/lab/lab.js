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
  // A live update of a form with hx-post always goes there. htmx would otherwise send it to
  // the formaction of the form's last clicked submit button ("Save", "Run in the
  // background"), so an update still pending when one of those is clicked would save or
  // queue a second time.
  document.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail.elt;
    if (elt.tagName === "FORM" && elt.hasAttribute("hx-post")) {
      event.detail.path = elt.getAttribute("hx-post");
    }
  });
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (event) { draw(event.target); });
})();
