/* Consultation hour, visitor's closed chat: a print button (the page has
 * a print stylesheet). Without JavaScript the browser's own menu prints. */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("[data-print-help]").forEach(function (help) { help.hidden = true; });
})();
