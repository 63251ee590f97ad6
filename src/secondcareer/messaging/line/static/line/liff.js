/* LIFF stand-in for the platform's own pages opened from LINE: the ID token arrives in
   the URL fragment (never sent to the server in the URL) and is posted with the form;
   the server verifies it with LINE. A static file, so the pages need no inline script
   under the Content-Security-Policy. */
(function () {
  "use strict";
  var m = /id_token=([^&]+)/.exec(window.location.hash);
  var field = document.querySelector('input[name="id_token"]');
  if (m && field) {
    field.value = decodeURIComponent(m[1]);
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }
})();
