/* Forms marked data-multipart-if-files are sent as multipart/form-data only when a file is attached.
 * Without a file the browser sends the same fields URL-encoded, which the server reads several times
 * faster (multipart parsing is the costliest part of a citizen's report without photos). Without this
 * script the form keeps its multipart enctype and works the same. The enctype is read by the browser
 * after the submit event, so setting it here decides this submission's encoding. */
(function () {
  "use strict";
  var MULTIPART = "multipart/form-data";
  var URLENCODED = "application/x-www-form-urlencoded";
  document.querySelectorAll("form[data-multipart-if-files]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var attached = Array.prototype.some.call(form.querySelectorAll('input[type="file"]'), function (input) {
        return input.files && input.files.length > 0;
      });
      form.enctype = attached ? MULTIPART : URLENCODED;
    });
  });
})();
