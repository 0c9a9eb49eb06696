// The course lesson player (courses/templates/courses/lesson.html). Markup opts in; no inline
// scripts (strict CSP). Works beside player.js, which handles data-seek, data-follow-player
// and ?t=SECONDS.
//   <video data-lesson-player
//          data-resume-at="83.2"          where to continue (ignored when ?t= is in the URL)
//          data-progress-url="/courses/…" where to post the position (absent in previews)
//          data-progress-seq="12">        the last sequence number the server stored
//   <button data-speed="1.25">            playback speed (remembered on this device)
//   <ol data-scroll-current>              keeps the current transcript sentence in view
//   [data-lesson-done] / [data-mark-done] shown / hidden once the server says "completed"
//   [data-watch-note] / [data-mark-done-button]  how much is still to watch (text from the
//                                  server), and the button enabled once enough was watched
// The position is posted every 5 s while playing and on pause, end, leaving or hiding the
// page (fetch keepalive, so it survives navigation), with the X-CSRFToken of <body hx-headers>.
(function () {
  "use strict";

  var SPEED_KEY = "beltcast.lessonSpeed";
  var POST_EVERY_MS = 5000;

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  function hasStartParam() {
    var t = parseFloat(new URLSearchParams(window.location.search).get("t"));
    return isFinite(t) && t >= 0;
  }

  function whenMetadata(video, callback) {
    if (video.readyState >= 1) {
      callback();
    } else {
      video.addEventListener("loadedmetadata", callback, { once: true });
    }
  }

  function resume(video) {
    var at = parseFloat(video.getAttribute("data-resume-at"));
    if (hasStartParam() || !isFinite(at) || at <= 0) {
      return;
    }
    whenMetadata(video, function () {
      // Near the very end, start again rather than land on the last frame.
      if (!isFinite(video.duration) || at < video.duration - 1) {
        video.currentTime = at;
      }
    });
  }

  function markDone() {
    document.querySelectorAll("[data-lesson-done]").forEach(function (el) { el.hidden = false; });
    document.querySelectorAll("[data-mark-done]").forEach(function (el) { el.hidden = true; });
  }

  function showWatched(data) {
    document.querySelectorAll("[data-watch-note]").forEach(function (el) {
      el.textContent = data.watch_note || "";
      el.hidden = !data.watch_note;
    });
    document.querySelectorAll("[data-mark-done-button]").forEach(function (button) {
      button.disabled = !data.can_mark_done;
    });
  }

  function trackProgress(video) {
    var url = video.getAttribute("data-progress-url");
    if (!url) {
      return;
    }
    var seq = parseInt(video.getAttribute("data-progress-seq"), 10) || 0;
    var started = false;
    var lastSent = null;

    function send() {
      if (!started) {
        return; // never overwrite the saved place before the learner has played anything
      }
      var position = Math.round(video.currentTime * 10) / 10;
      if (position === lastSent) {
        return;
      }
      lastSent = position;
      seq += 1;
      var body = { position_s: position, seq: seq };
      if (isFinite(video.duration)) {
        body.duration_s = Math.round(video.duration * 10) / 10;
      }
      fetch(url, {
        method: "POST",
        keepalive: true,
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          "Accept": "application/json",
          "X-CSRFToken": csrfToken()
        },
        body: JSON.stringify(body)
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (data) {
        if (!data) {
          return;
        }
        if (data.seq > seq) {
          seq = data.seq; // another tab or a late post got ahead: continue after it
        }
        showWatched(data);
        if (data.completed) {
          markDone();
        }
      }).catch(function () { /* offline or leaving: the next post carries the position */ });
    }

    video.addEventListener("play", function () { started = true; });
    video.addEventListener("pause", send);
    video.addEventListener("ended", send);
    window.setInterval(function () {
      if (!video.paused && !video.ended) {
        send();
      }
    }, POST_EVERY_MS);
    window.addEventListener("pagehide", send);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") {
        send();
      }
    });
  }

  function setSpeed(video, buttons, rate) {
    video.defaultPlaybackRate = rate;
    video.playbackRate = rate;
    buttons.forEach(function (button) {
      var pressed = parseFloat(button.getAttribute("data-speed")) === rate;
      button.setAttribute("aria-pressed", pressed ? "true" : "false");
    });
  }

  function speedControl(video) {
    var buttons = Array.prototype.slice.call(document.querySelectorAll("[data-speed]"));
    if (!buttons.length) {
      return;
    }
    var saved = null;
    try {
      saved = parseFloat(window.localStorage.getItem(SPEED_KEY));
    } catch (error) { /* storage blocked: keep normal speed */ }
    if (saved && buttons.some(function (b) { return parseFloat(b.dataset.speed) === saved; })) {
      setSpeed(video, buttons, saved);
      whenMetadata(video, function () { setSpeed(video, buttons, saved); });
    }
    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        var rate = parseFloat(button.getAttribute("data-speed")) || 1;
        setSpeed(video, buttons, rate);
        try {
          window.localStorage.setItem(SPEED_KEY, String(rate));
        } catch (error) { /* not remembered, still applied */ }
      });
    });
  }

  function scrollCurrent(list, video) {
    var shown = null;
    var userScrolledAt = 0;
    list.addEventListener("scroll", function () {
      if (!list.dataset.autoScrolling) {
        userScrolledAt = Date.now();
      }
    }, { passive: true });
    video.addEventListener("timeupdate", function () {
      var current = list.querySelector(".current");
      if (!current || current === shown || list.matches(":focus-within")) {
        return;
      }
      shown = current;
      if (Date.now() - userScrolledAt < 4000) {
        return; // the learner is reading elsewhere in the transcript
      }
      list.dataset.autoScrolling = "1";
      list.scrollTop = current.offsetTop - list.clientHeight / 3;
      window.setTimeout(function () { delete list.dataset.autoScrolling; }, 100);
    });
  }

  function init() {
    var video = document.querySelector("video[data-lesson-player]");
    if (!video) {
      return;
    }
    speedControl(video);
    resume(video);
    trackProgress(video);
    document.querySelectorAll("[data-scroll-current]").forEach(function (list) {
      scrollCurrent(list, video);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
