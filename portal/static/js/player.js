// Player integration shared by every page with a video and timed text (transcripts, clips,
// lessons, review comments). Markup opts in; no inline scripts (strict CSP):
//   <video data-player>                       the player (first one on the page by default)
//   <button data-seek="12.5">                 click: play from 12.5 s
//   <ol data-follow-player="#player">         children with data-start/data-end get the class
//     <li data-start="1.0" data-end="3.2">    "current" while the player is inside them
//   ?t=SECONDS in the page URL                 seek there once the video is ready
(function () {
  "use strict";

  function playerFor(element) {
    var selector = element && element.getAttribute("data-player-target");
    return document.querySelector(selector || "video[data-player]");
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-seek]");
    if (!button) {
      return;
    }
    var player = playerFor(button);
    if (!player) {
      return;
    }
    event.preventDefault();
    player.currentTime = parseFloat(button.getAttribute("data-seek")) || 0;
    player.play().catch(function () { /* autoplay refused: the position is still set */ });
  });

  // <form data-pin-time="#player"> gets the player's current time in its [data-pin-input]
  // when submitted, so a comment is pinned to the moment the reviewer paused on.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var selector = form.getAttribute && form.getAttribute("data-pin-time");
    var input = selector && form.querySelector("[data-pin-input]");
    var player = selector && document.querySelector(selector);
    if (input && player && !input.dataset.touched) {
      input.value = (Math.round(player.currentTime * 10) / 10).toFixed(1);
    }
  }, true);
  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("[data-pin-input]")) {
      event.target.dataset.touched = "1";
    }
  });

  function follow(list, player) {
    var current = null;
    player.addEventListener("timeupdate", function () {
      var t = player.currentTime;
      if (current && t >= parseFloat(current.dataset.start) && t < parseFloat(current.dataset.end)) {
        return;
      }
      if (current) {
        current.classList.remove("current");
        current.removeAttribute("aria-current");
      }
      current = null;
      var items = list.querySelectorAll("[data-start]");
      for (var i = 0; i < items.length; i++) {
        if (t >= parseFloat(items[i].dataset.start) && t < parseFloat(items[i].dataset.end)) {
          current = items[i];
          current.classList.add("current");
          current.setAttribute("aria-current", "true");
          if (list.hasAttribute("data-autoscroll") && !list.matches(":focus-within")) {
            current.scrollIntoView({ block: "nearest" });
          }
          break;
        }
      }
    });
  }

  function seekFromUrl(player) {
    var t = parseFloat(new URLSearchParams(window.location.search).get("t"));
    if (!isFinite(t) || t < 0) {
      return;
    }
    var apply = function () { player.currentTime = t; };
    if (player.readyState >= 1) {
      apply();
    } else {
      player.addEventListener("loadedmetadata", apply, { once: true });
    }
  }

  function init() {
    var lists = document.querySelectorAll("[data-follow-player]");
    for (var i = 0; i < lists.length; i++) {
      var player = document.querySelector(lists[i].getAttribute("data-follow-player"));
      if (player) {
        follow(lists[i], player);
      }
    }
    var main = document.querySelector("video[data-player]");
    if (main) {
      seekFromUrl(main);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
