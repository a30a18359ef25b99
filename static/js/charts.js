/* Draws the Vega-Lite charts named by [data-vega-spec] under the strict CSP: no eval, no inline styles.
 *
 * Markup: <div data-vega-spec="funnel-spec"></div> and, anywhere on the page,
 * <script type="application/json" id="funnel-spec">{...}</script> (Django's json_script filter).
 * Needs vendor/vega/vega.min.js, vega-lite.min.js and vega-embed.min.js loaded before this file.
 * The table beside each chart is the accessible version of the same figures. Every mark whose data row
 * has a `tip` (its hover text, written by sagsindsigt/stats/charts.py) gets an SVG <title>, the browser's
 * native tooltip; a mark whose row has an `href` becomes a keyboard-focusable link (Tab, Enter) named by
 * its tip. A chart without links is hidden from assistive technology except for its Danish description.
 */
(function () {
  "use strict";

  var FAILED = "Diagrammet kunne ikke vises. Tallene står i tabellen.";

  var OPTIONS = {
    renderer: "svg",
    actions: false,
    // Vega compiles expressions with new Function() unless it gets their syntax trees and an interpreter;
    // with ast: true vega-embed hands the view the interpreter it bundles (vega-interpreter).
    ast: true,
    // vega-embed would otherwise add a <style> element (for its actions menu and sizing) to the page.
    defaultStyle: false,
    // vega-tooltip would add a <style> element too; Vega's built-in handler puts the tooltip in a title
    // attribute instead.
    tooltip: false,
  };

  function specFor(element) {
    var source = document.getElementById(element.getAttribute("data-vega-spec"));
    if (!source || source.tagName !== "SCRIPT" || source.type !== "application/json") {
      throw new Error("Ingen diagramdata med id " + element.getAttribute("data-vega-spec"));
    }
    return JSON.parse(source.textContent);
  }

  function fail(element, error) {
    element.setAttribute("data-rendered", "failed");
    var message = document.createElement("p");
    message.className = "chart-error";
    message.textContent = FAILED;
    element.replaceChildren(message);
    if (window.console) {
      window.console.error("Diagram kunne ikke tegnes:", error);
    }
  }

  var SVG_NS = "http://www.w3.org/2000/svg";

  // Walks Vega's scene graph (group items hold marks, marks hold items; each drawn item keeps its SVG
  // element in _svg, which the SVG renderer reuses when it redraws) and marks up the points (symbols):
  // a text label beside a point is not a second link.
  function decorate(node, found) {
    var datum = node.datum;
    var el = node._svg;
    if (el && datum && typeof datum.tip === "string" && node.mark && node.mark.marktype === "symbol") {
      var title = el.querySelector("title");
      if (!title) {
        title = document.createElementNS(SVG_NS, "title");
        el.appendChild(title);
      }
      title.textContent = datum.tip;
      if (typeof datum.href === "string" && datum.href) {
        el.setAttribute("tabindex", "0");
        el.setAttribute("role", "link");
        el.setAttribute("aria-label", datum.tip);
        el.setAttribute("data-href", datum.href);
        found.push(el);
      }
    }
    var items = node.items || [];
    for (var i = 0; i < items.length; i++) {
      decorate(items[i], found);
    }
  }

  function follow(event) {
    var target = event.target.closest ? event.target.closest("[data-href]") : null;
    if (!target) {
      return;
    }
    if (event.type === "keydown" && event.key !== "Enter") {
      return;
    }
    event.preventDefault();
    window.location.assign(target.getAttribute("data-href"));
  }

  function interactive(element, view) {
    var svg = element.querySelector("svg");
    if (!svg) {
      return;
    }
    var links = [];
    decorate(view.scenegraph().root, links);
    if (!links.length) {
      // Vega may have given the container a role of its own; the figure stays one image with a name.
      element.setAttribute("role", "img");
      svg.setAttribute("aria-hidden", "true");
      svg.setAttribute("focusable", "false");
      return;
    }
    // The links must be reachable: the figure becomes a group named by its description, and Vega's
    // aria-hidden mark containers above a link are opened up (everything else stays hidden).
    element.setAttribute("role", "group");
    svg.removeAttribute("aria-hidden");
    links.forEach(function (link) {
      for (var up = link.parentNode; up && up !== svg; up = up.parentNode) {
        if (up.removeAttribute) {
          up.removeAttribute("aria-hidden");
        }
      }
    });
    if (!svg.hasAttribute("data-links")) {
      svg.setAttribute("data-links", "true");
      svg.addEventListener("click", follow);
      svg.addEventListener("keydown", follow);
    }
  }

  function render(element) {
    // Mark first: an htmx swap can fire while an earlier render of the same element is still running.
    element.setAttribute("data-rendered", "pending");
    var spec;
    try {
      if (typeof window.vegaEmbed !== "function") {
        throw new Error("vega-embed er ikke indlæst");
      }
      spec = specFor(element);
    } catch (error) {
      fail(element, error);
      return Promise.resolve();
    }
    return window
      .vegaEmbed(element, spec, OPTIONS)
      .then(function (result) {
        var container = result.view.container();
        if (container) {
          // Vega names the figure "visualization" in English; the Danish description is its label.
          container.setAttribute("aria-roledescription", "diagram");
        }
        interactive(element, result.view);
        element.setAttribute("data-rendered", "true");
      })
      .catch(function (error) {
        fail(element, error);
      });
  }

  function renderAll() {
    var pending = document.querySelectorAll("[data-vega-spec]:not([data-rendered])");
    return Promise.all(Array.prototype.map.call(pending, render));
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", renderAll);
  } else {
    renderAll();
  }
  // htmx swaps in new markup without a page load; htmx:afterSwap bubbles up to the document.
  document.addEventListener("htmx:afterSwap", renderAll);
})();
