// The recording page's transcript in pieces (recordings/detail.html). Markup opts in (strict CSP):
//   <ol data-transcript>                 pieces <li data-piece-from data-piece-to> in time order;
//                                        a piece not loaded yet (.piece-pending) holds an
//                                        <a data-piece-load> that htmx follows when it scrolls
//                                        into view, is clicked, or is sent "load-piece"
//   <a data-goto="S" data-goto-sentence="ID">   click: seek to S seconds, open its piece, show
//                                        the sentence (find in transcript)
//   <form data-goto-now="S">             the same, once, when htmx swaps it in (jump to time)
//   ?t=S#sentence-ID in the page URL     show that sentence (player.js seeks)
// When the player plays (or is moved) into a piece not loaded yet, the piece is loaded, so the
// current sentence is highlighted there too (player.js, data-follow-player).
(function () {
  "use strict";

  var pending = null; // a goto waiting for its piece: {seconds, sentenceId, pieceId, tries}
  var focusPiece = null; // a piece that held the focus while loading: focus its first time
  var playerPiece = null; // a piece loaded because the player reached it

  function transcript() {
    return document.querySelector("[data-transcript]");
  }

  function player() {
    return document.querySelector("video[data-player]");
  }

  function load(piece) {
    var link = piece.querySelector("[data-piece-load]");
    if (link && window.htmx) {
      window.htmx.trigger(link, "load-piece");
    }
  }

  // Scroll the transcript (its own box on wide screens, else the page) to show `element`, a
  // third of the way down (a piece still loading: at the top, so the one before stays unseen).
  function reveal(list, element) {
    var share = element.classList.contains("piece-pending") ? 0 : 1 / 3;
    var overflow = window.getComputedStyle(list).overflowY;
    if (overflow === "auto" || overflow === "scroll") {
      var offset = element.getBoundingClientRect().top - list.getBoundingClientRect().top;
      list.scrollTop += offset - list.clientHeight * share;
      list.scrollIntoView({ block: "nearest" });
    } else {
      var top = element.getBoundingClientRect().top - window.innerHeight * share;
      window.scrollBy(0, top);
    }
  }

  // The piece not loaded yet that `seconds` falls in, if any.
  function pendingAt(list, seconds) {
    var waiting = list.querySelectorAll(".piece-pending");
    for (var i = 0; i < waiting.length; i++) {
      var piece = waiting[i];
      if (seconds >= parseFloat(piece.dataset.pieceFrom) &&
          seconds < parseFloat(piece.dataset.pieceTo)) {
        return piece;
      }
    }
    return null;
  }

  // The first sentence, or piece not loaded yet, that ends after `seconds`.
  function firstAfter(list, seconds) {
    var items = list.querySelectorAll(".sentence[data-end], .piece-pending");
    for (var i = 0; i < items.length; i++) {
      var end = parseFloat(items[i].dataset.end || items[i].dataset.pieceTo);
      if (end > seconds) {
        return items[i];
      }
    }
    return items.length ? items[items.length - 1] : null;
  }

  function show(list, sentence) {
    list.querySelectorAll(".sentence.found").forEach(function (other) {
      other.classList.remove("found");
    });
    sentence.classList.add("found");
    reveal(list, sentence);
  }

  function goto(seconds, sentenceId, tries) {
    var list = transcript();
    var named = sentenceId && document.getElementById(sentenceId);
    var target = named || (list && (pendingAt(list, seconds) || firstAfter(list, seconds)));
    pending = null;
    if (!target) {
      return;
    }
    if (!target.classList.contains("piece-pending")) {
      show(list, target);
    } else if (tries < 3) {
      pending = { seconds: seconds, sentenceId: sentenceId, pieceId: target.id, tries: tries + 1 };
      reveal(list, target);
      load(target);
    }
  }

  function seek(seconds) {
    var video = player();
    if (!video) {
      return;
    }
    if (video.readyState >= 1) {
      video.currentTime = seconds;
    } else {
      video.addEventListener("loadedmetadata", function () { video.currentTime = seconds; },
        { once: true });
    }
  }

  function loadWhilePlaying(video, list) {
    video.addEventListener("timeupdate", function () {
      var piece = pendingAt(list, video.currentTime);
      if (piece) {
        playerPiece = piece.id;
        load(piece);
      }
    });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-goto]");
    if (link && transcript()) {
      event.preventDefault();
      var seconds = parseFloat(link.dataset.goto);
      seek(seconds);
      goto(seconds, link.dataset.gotoSentence, 0);
    }
  });

  // A keyboard user on a piece's link (focusing it scrolls it into view, which loads it) keeps
  // their place: the focus moves to the piece's first time button instead of being lost.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (target && target.classList.contains("piece") && target.contains(document.activeElement)) {
      focusPiece = target.id;
    }
  });

  function isLoaded(id) {
    var piece = id && document.getElementById(id);
    return Boolean(piece) && !piece.classList.contains("piece-pending");
  }

  document.addEventListener("htmx:afterSettle", function () {
    if (isLoaded(playerPiece) && player()) {
      playerPiece = null;
      // player.js highlights on timeupdate; a paused player sends none once the piece is in.
      player().dispatchEvent(new Event("timeupdate"));
    }
    var jumped = document.querySelector("[data-goto-now]");
    if (jumped) {
      var seconds = parseFloat(jumped.dataset.gotoNow);
      jumped.removeAttribute("data-goto-now");
      seek(seconds);
      goto(seconds, null, 0);
      return;
    }
    if (isLoaded(focusPiece)) {
      var first = document.getElementById(focusPiece).querySelector(".seek");
      focusPiece = null;
      if (first) {
        first.focus();
      }
    }
    if (pending && isLoaded(pending.pieceId)) {
      goto(pending.seconds, pending.sentenceId, pending.tries);
    }
  });

  ["htmx:responseError", "htmx:sendError"].forEach(function (name) {
    document.addEventListener(name, function () { pending = null; });
  });

  function init() {
    var list = transcript();
    var video = player();
    if (!list) {
      return;
    }
    if (video) {
      loadWhilePlaying(video, list);
    }
    var t = parseFloat(new URLSearchParams(window.location.search).get("t"));
    var hash = window.location.hash.slice(1);
    if (isFinite(t) && t >= 0) {
      goto(t, hash.indexOf("sentence-") === 0 ? hash : null, 0);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
