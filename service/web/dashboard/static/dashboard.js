// tollwatch dashboard: refresh each section from its HTML fragment without reloading the page.
// The fragments are rendered (and escaped) by the server; nothing here builds markup from data.
(function () {
  "use strict";
  var seconds = parseInt(document.body.getAttribute("data-refresh-seconds"), 10) || 30;
  var status = document.getElementById("refresh-status");
  var updated = document.getElementById("updated");
  var busy = false;

  function refresh() {
    if (busy || document.hidden) return;
    busy = true;
    var query = window.location.search;
    var sections = Array.prototype.slice.call(document.querySelectorAll("[data-fragment]"));
    Promise.all(sections.map(function (el) {
      return fetch(el.getAttribute("data-fragment") + query, {credentials: "same-origin", cache: "no-store",
                                                              headers: {"Accept": "text/html"}})
        .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.text(); })
        .then(function (html) { el.innerHTML = html; });
    })).then(function () {
      var now = new Date();
      updated.textContent = now.toISOString().slice(11, 19) + " UTC";
      updated.setAttribute("datetime", now.toISOString());
      status.textContent = "";
      status.className = "refresh-status";
    }, function (err) {
      status.textContent = "· refresh failed (" + err.message + "), retrying";
      status.className = "refresh-status bad";
    }).then(function () { busy = false; });
  }

  // The filter applies without a reload too: new query string, then refresh.
  var form = document.getElementById("filters");
  if (form && window.history && window.URLSearchParams) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var params = new URLSearchParams();
      Array.prototype.forEach.call(form.elements, function (field) {
        if (field.name && field.value) params.set(field.name, field.value);
      });
      var qs = params.toString();
      window.history.replaceState(null, "", window.location.pathname + (qs ? "?" + qs : ""));
      refresh();
    });
  }

  window.setInterval(refresh, seconds * 1000);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) refresh(); });
})();
