/* Share page: "Copy link" and "Copy embed code" buttons (shown only when this script runs).
   The clipboard API needs a secure page; elsewhere the field is selected and the status line
   says how to copy it by hand. */
(function () {
  "use strict";

  function selectField(field) {
    field.focus();
    field.select();
  }

  function copy(button, status) {
    var field = document.getElementById(button.dataset.copy);
    var done = function () { status.textContent = button.dataset.copied; };
    var byHand = function () {
      selectField(field);
      status.textContent = status.dataset.selectHint;
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, byHand);
    } else {
      byHand();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var status = document.querySelector(".copy-status");
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { copy(button, status); });
    });
  });
})();
