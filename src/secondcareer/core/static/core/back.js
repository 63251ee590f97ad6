/* "Back" links: history.back() when there is a page to go back to, otherwise the link's
   own address. A static file, so the page needs no javascript: URL under the CSP. */
(function () {
  "use strict";
  document.querySelectorAll("a[data-back]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (window.history.length > 1) {
        event.preventDefault();
        window.history.back();
      }
    });
  });
})();
