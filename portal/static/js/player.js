// Player integration shared by every page with a video and timed text (transcripts, clips,
// lessons, review comments). Markup opts in; no inline scripts (strict CSP):
//   <video data-player>                       the player (first one on the page by default)
//   <button data-seek="12.5">                 click: play from 12.5 s
//   <ol data-follow-player="#player">         children with data-start/data-end get the class
//     <li data-start="1.0" data-end="3.2">    "current" while the player is inside them
//   ?t=SECONDS in the page URL                 seek there once the video is ready
// window.beltcastTime.format/parse: times as people read and type them (m:ss.s), for the
// other scripts.
(function () {
  "use strict";

  // Times read and typed as m:ss.s (h:mm:ss.s from an hour), as portal/timecodes.py does.
  function formatTime(seconds) {
    var tenths = Math.round(Math.max(0, seconds) * 10);
    var whole = Math.floor(tenths / 10);
    var hours = Math.floor(whole / 3600);
    var minutes = Math.floor((whole % 3600) / 60);
    var secs = String(whole % 60).padStart(2, "0") + "." + (tenths % 10);
    return hours ? hours + ":" + String(minutes).padStart(2, "0") + ":" + secs : minutes + ":" + secs;
  }

  // m:ss.s, h:mm:ss.s or plain seconds (a full-width colon counts); NaN when unreadable.
  function parseTime(text) {
    var parts = String(text).trim().replace(/：/g, ":").split(":");
    if (parts.length > 3 || parts.some(function (p) { return !/^(\d+\.?\d*|\.\d+)$/.test(p); })) {
      return NaN;
    }
    return parts.reduce(function (total, part) { return total * 60 + parseFloat(part); }, 0);
  }

  window.beltcastTime = { format: formatTime, parse: parseTime };

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
      input.value = formatTime(player.currentTime);
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
