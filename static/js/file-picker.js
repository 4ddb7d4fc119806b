/* The file picker of core.forms.FilePickerInput: the browser's own button is hidden (it speaks the
 * browser's language, "Choose Files" in an English browser), a label in the page's language opens it,
 * and this script writes the chosen files' names next to it. Without the script the label still opens
 * the picker; only the names are not shown. Loaded once per picker: the first copy does the work. */
(function () {
  "use strict";
  if (window.thongsuotFilePicker) {
    return;
  }
  window.thongsuotFilePicker = true;
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches('.file-picker input[type="file"]')) {
      return;
    }
    var names = input.parentNode.querySelector(".file-picker-names");
    var chosen = Array.prototype.map.call(input.files || [], function (file) {
      return file.name;
    });
    names.textContent = chosen.length ? chosen.join(", ") : names.getAttribute("data-empty");
  });
})();
