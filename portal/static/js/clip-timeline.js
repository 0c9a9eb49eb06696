// The clip editor's timeline (clips/_edit_timeline.html). Everything on it is placed by its
// data-*-ms; click the track to play from there (a comment mark seeks through player.js).
// Drag a handle (mouse, pen or touch) to move that edge of a kept range: it snaps to the words
// listed on the section (starts for a start, ends for an end) and is posted on release. A
// focused handle takes the arrow keys: the previous / next word, posted after a short pause
// (and focused again when the answer arrives, even when in or out moved and the page reloads).
// The hidden form posts; htmx swaps the section (and "cut by text"); the server snaps again
// and checks the edit, an error shows in the section.
(function () {
  "use strict";

  var clock = window.beltcastTime.format;
  var STEPS = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1 };
  var KEY_SAVE_DELAY_MS = 600; // several presses make one edit
  // The handle moved by keyboard ("range:edge"), focused again in the swapped timeline or the
  // reloaded page.
  var REFOCUS = "clip-timeline-focus";

  function num(text) {
    return parseFloat(text) || 0;
  }

  function wire(section) {
    var span = [num(section.dataset.spanStartMs), num(section.dataset.spanEndMs)];
    var length = Math.max(1, span[1] - span[0]);
    var track = section.querySelector("[data-ct-track]");
    var readout = section.querySelector("[data-ct-readout]");
    var form = section.querySelector("[data-ct-form]");
    var words = { start: JSON.parse(section.dataset.wordStarts),
                  end: JSON.parse(section.dataset.wordEnds) };
    var keyTimer = null;
    section._wired = true;

    function share(ms) {  // of the track, kept within it
      return Math.min(100, Math.max(0, (ms - span[0]) / length * 100));
    }

    function percent(ms) {
      return share(ms) + "%";
    }

    function drawRange(range) {
      var left = share(num(range.dataset.startMs));
      range.style.left = left + "%";
      range.style.width = (share(num(range.dataset.endMs)) - left) + "%";
    }

    function rangeOf(handle) {
      return section.querySelector('[data-ct-range="' + handle.dataset.range + '"]');
    }

    function limit(handle, ms) {
      return Math.min(num(handle.dataset.maxMs), Math.max(num(handle.dataset.minMs), ms));
    }

    // The word boundary of the handle's kind nearest to ms (ms itself when none is listed).
    function snap(handle, ms) {
      var best = ms;
      words[handle.dataset.edge].forEach(function (t) {
        if (t === limit(handle, t) && (best === ms || Math.abs(t - ms) < Math.abs(best - ms))) {
          best = t;
        }
      });
      return limit(handle, best);
    }

    // The next (step 1) or previous (step -1) boundary the handle may move to, or null.
    function neighbour(handle, step) {
      var at = num(handle.dataset.ms);
      var found = words[handle.dataset.edge].filter(function (t) {
        return t === limit(handle, t) && (step > 0 ? t > at : t < at);
      });
      if (!found.length) {
        return null;
      }
      return step > 0 ? Math.min.apply(null, found) : Math.max.apply(null, found);
    }

    function moveTo(handle, ms) {
      var range = rangeOf(handle);
      handle.dataset.ms = ms;
      handle.style.left = percent(ms);
      range.dataset[handle.dataset.edge === "start" ? "startMs" : "endMs"] = ms;
      drawRange(range);
      handle.setAttribute("aria-valuenow", (ms / 1000).toFixed(1));
      handle.setAttribute("aria-valuetext", clock(ms / 1000));
      readout.textContent = handle.getAttribute("aria-label") + ": " + clock(ms / 1000);
    }

    function save(handle) {
      form.elements.range.value = handle.dataset.range;
      form.elements.edge.value = handle.dataset.edge;
      form.elements.at_ms.value = Math.round(num(handle.dataset.ms));
      form.requestSubmit();
    }

    function msAt(clientX) {
      var box = track.getBoundingClientRect();
      return span[0] + (clientX - box.left) / box.width * length;
    }

    section.querySelectorAll("[data-ct-range]").forEach(drawRange);
    section.querySelectorAll("[data-ms]").forEach(function (element) {
      element.style.left = percent(num(element.dataset.ms));
    });

    section.querySelectorAll("[data-ct-handle]").forEach(function (handle) {
      var from = null; // where a drag started
      var grip = 0; // how far from the edge the pointer took hold of the handle (ms)

      handle.addEventListener("pointerdown", function (event) {
        event.preventDefault();
        handle.setPointerCapture(event.pointerId);
        handle.classList.add("dragging");
        from = num(handle.dataset.ms);
        grip = msAt(event.clientX) - from;
      });
      handle.addEventListener("pointermove", function (event) {
        if (from !== null) {
          moveTo(handle, snap(handle, msAt(event.clientX) - grip));
        }
      });
      handle.addEventListener("pointerup", function () {
        var started = from;
        from = null;
        handle.classList.remove("dragging");
        if (started !== null && num(handle.dataset.ms) !== started) {
          save(handle);
        }
      });
      handle.addEventListener("pointercancel", function () {
        if (from !== null) {
          moveTo(handle, from);
        }
        from = null;
        handle.classList.remove("dragging");
      });
      handle.addEventListener("keydown", function (event) {
        var step = STEPS[event.key];
        var to = step ? neighbour(handle, step) : null;
        if (!step) {
          return;
        }
        event.preventDefault();
        if (to === null) {
          return;
        }
        moveTo(handle, to);
        sessionStorage.setItem(REFOCUS, handle.dataset.range + ":" + handle.dataset.edge);
        clearTimeout(keyTimer);
        keyTimer = setTimeout(function () { save(handle); }, KEY_SAVE_DELAY_MS);
      });
    });

    track.addEventListener("click", function (event) {
      var player = document.querySelector("video[data-player]");
      if (!player || event.target.closest("[data-ct-handle], [data-seek]")) {
        return;
      }
      player.currentTime = msAt(event.clientX) / 1000;
    });

    var focused = (sessionStorage.getItem(REFOCUS) || "").split(":");
    var again = section.querySelector('[data-ct-handle][data-range="' + focused[0] +
      '"][data-edge="' + focused[1] + '"]');
    sessionStorage.removeItem(REFOCUS);
    if (again) {
      again.focus();
    }
  }

  // The playhead of whichever timeline is on the page now (htmx replaces it after an edit).
  function showPlayhead(player) {
    var section = document.querySelector("[data-clip-timeline]");
    var playhead = section && section.querySelector("[data-ct-playhead]");
    if (!playhead) {
      return;
    }
    var start = num(section.dataset.spanStartMs);
    var end = num(section.dataset.spanEndMs);
    var ms = player.currentTime * 1000;
    playhead.hidden = ms < start || ms > end || end <= start;
    playhead.style.left = ((ms - start) / Math.max(1, end - start) * 100) + "%";
  }

  function init() {
    document.querySelectorAll("[data-clip-timeline]").forEach(function (section) {
      if (!section._wired) {
        wire(section);
      }
    });
    var player = document.querySelector("video[data-player]");
    if (player && !player._timeline) {
      player._timeline = true;
      ["timeupdate", "seeked", "loadedmetadata"].forEach(function (name) {
        player.addEventListener(name, function () { showPlayhead(player); });
      });
    }
    if (player) {
      showPlayhead(player);
    }
  }

  document.addEventListener("htmx:afterSettle", init);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
