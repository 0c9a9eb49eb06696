// The header search box: htmx fills #search-quick as the user types (see base.html); this
// only opens and closes that list. Escape or a click elsewhere closes it; typing or focusing
// the box opens it again; the down arrow moves from the box into the list.
(function () {
  "use strict";

  function list() {
    return document.getElementById("search-quick");
  }

  function setOpen(open) {
    var element = list();
    if (element) {
      element.hidden = !open;
    }
  }

  document.addEventListener("keydown", function (event) {
    var inSearch = event.target.closest && event.target.closest(".site-search");
    if (!inSearch) {
      return;
    }
    if (event.key === "Escape") {
      setOpen(false);
      document.getElementById("site-search").focus();
    } else if (event.key === "ArrowDown" && event.target.id === "site-search") {
      var first = list() && list().querySelector("a");
      if (first) {
        event.preventDefault();
        setOpen(true);
        first.focus();
      }
    }
  });

  document.addEventListener("click", function (event) {
    if (!(event.target.closest && event.target.closest(".site-search"))) {
      setOpen(false);
    }
  });

  document.addEventListener("focusin", function (event) {
    if (event.target.id === "site-search") {
      setOpen(true);
    }
  });

  // htmx replaces the list on every answer: show the new one.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail && event.detail.target && event.detail.target.id === "search-quick") {
      setOpen(true);
    }
  });
})();
