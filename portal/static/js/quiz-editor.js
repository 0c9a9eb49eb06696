// Quiz question form: show the choice rows or the true/false answer, whichever the kind uses.
// Without JavaScript both stay visible and the server ignores the one that does not apply.
(function () {
  "use strict";

  function sync(select) {
    var form = select.form;
    form.querySelectorAll("[data-quiz-kinds]").forEach(function (part) {
      var kinds = part.getAttribute("data-quiz-kinds").split(" ");
      part.hidden = kinds.indexOf(select.value) === -1;
    });
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("select[data-quiz-kind]")) {
      sync(event.target);
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select[data-quiz-kind]").forEach(sync);
  });
})();
