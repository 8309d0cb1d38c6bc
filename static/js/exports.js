// While the export is made: ask for the progress every two seconds and show
// it; reload the page when it is ready (or failed). Without JavaScript the
// page has a link to look again (no timed refresh: WCAG 2.2.1).
(function () {
  "use strict";
  var text = document.getElementById("export-progress-text");
  var bar = document.getElementById("export-progress");
  if (!text || !bar) return;
  var url = text.getAttribute("data-progress-url");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) return;
        bar.value = data.progress;
        bar.textContent = data.progress + "%";
        if (data.status !== "queued" && data.status !== "running") {
          window.location.reload();
          return;
        }
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
