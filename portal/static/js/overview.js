// The whole stream's overview in the clip workshop: a strip of thumbnails and loudness as wide
// as the recording. Click (or tap) anywhere on it to play from that moment; as a slider it also
// takes the arrow keys (1 % of the stream), Page Up/Down (10 %), Home and End. A playhead follows
// the player. Markup: <div data-overview data-duration="SECONDS"> holding
// <span data-overview-playhead>; the player is the page's video[data-player].
(function () {
  "use strict";

  var KEY_STEPS = { ArrowRight: 0.01, ArrowUp: 0.01, ArrowLeft: -0.01, ArrowDown: -0.01,
                    PageUp: 0.1, PageDown: -0.1 };

  var clock = window.beltcastTime.format;

  function wire(strip, player) {
    var duration = parseFloat(strip.getAttribute("data-duration")) || 0;
    var playhead = strip.querySelector("[data-overview-playhead]");
    if (!duration) {
      return;
    }
    function seek(seconds) {
      player.currentTime = Math.max(0, Math.min(duration, seconds));
      player.play().catch(function () { /* autoplay refused: the position is still set */ });
    }
    function show() {
      var t = Math.min(player.currentTime, duration);
      playhead.style.left = (t / duration * 100) + "%";
      strip.setAttribute("aria-valuenow", String(Math.round(t)));
      strip.setAttribute("aria-valuetext", clock(t));
    }
    strip.addEventListener("click", function (event) {
      var box = strip.getBoundingClientRect();
      seek((event.clientX - box.left) / box.width * duration);
    });
    strip.addEventListener("keydown", function (event) {
      var step = KEY_STEPS[event.key];
      if (event.key === "Home" || event.key === "End") {
        seek(event.key === "Home" ? 0 : duration);
      } else if (step) {
        seek(player.currentTime + step * duration);
      } else {
        return;
      }
      event.preventDefault();
    });
    player.addEventListener("timeupdate", show);
    player.addEventListener("seeked", show);
  }

  function init() {
    var player = document.querySelector("video[data-player]");
    var strips = document.querySelectorAll("[data-overview]");
    for (var i = 0; player && i < strips.length; i++) {
      wire(strips[i], player);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
