/* Hotline entry: Ctrl+Enter (or Cmd+Enter) saves the report from any field, the description included.
 * Enter in a one-line field already submits the form without this script. */
(function () {
  "use strict";
  document.querySelectorAll("form[data-submit-shortcut]").forEach(function (form) {
    form.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && !event.isComposing) {
        event.preventDefault();
        if (form.requestSubmit) form.requestSubmit();
        else form.submit();
      }
    });
  });
})();
