// Sentence selection, in/out nudges and in→out preview for the clip workshop and editor.
// Markup opts in (strict CSP, no inline scripts):
//   <ol data-sentence-select [data-range-target="#range-form"]> with
//     <li data-position data-start data-end><button data-pick="N">…</button></li>
//   click picks the first sentence; Shift-click (or a second tap) picks the last.
//   With data-range-target, the selection fills that form's [data-range-start]/[data-range-end];
//   otherwise the page's [data-selection-first]/[data-selection-last] inputs. Either way the
//   page's [data-selection-summary] (the sticky selection bar) says how many and how long.
//   <button data-nudge="start|end" data-delta="-0.1"> moves an edge; <button data-preview>
//   plays from in to out, jumping over what is cut (the [data-kept] section's ranges, in ms).
(function () {
  "use strict";

  // The start (s) of the kept range after a cut the player is in, or null outside any cut.
  function pastCut(seconds) {
    var section = document.querySelector("[data-kept]");
    var kept = section ? JSON.parse(section.dataset.kept) : [];
    for (var i = 1; i < kept.length; i += 1) {
      if (seconds >= kept[i - 1][1] / 1000 && seconds < kept[i][0] / 1000) {
        return kept[i][0] / 1000;
      }
    }
    return null;
  }

  function round1(value) {
    return Math.max(0, Math.round(value * 10) / 10);
  }

  var formatTime = window.beltcastTime.format;
  var parseTime = window.beltcastTime.parse;

  function selectionState(list) {
    if (!list._selection) {
      list._selection = { first: null, last: null };
    }
    return list._selection;
  }

  function paint(list) {
    var state = selectionState(list);
    var low = Math.min(state.first, state.last);
    var high = Math.max(state.first, state.last);
    list.querySelectorAll("li[data-position]").forEach(function (li) {
      var position = parseInt(li.dataset.position, 10);
      var chosen = state.first !== null && position >= low && position <= high;
      li.classList.toggle("selected", chosen);
      var button = li.querySelector("[data-pick]");
      if (button) {
        button.setAttribute("aria-pressed", chosen ? "true" : "false");
      }
    });
  }

  // The picked first and last sentences are on the page; those between may be in transcript
  // pieces not loaded yet, so the count comes from the positions.
  function selectedTimes(list) {
    var state = selectionState(list);
    var items = list.querySelectorAll("li.selected");
    if (!items.length) {
      return null;
    }
    return {
      start: parseFloat(items[0].dataset.start),
      end: parseFloat(items[items.length - 1].dataset.end),
      count: Math.abs(state.last - state.first) + 1
    };
  }

  function publish(list) {
    var state = selectionState(list);
    var times = selectedTimes(list);
    var target = list.getAttribute("data-range-target");
    if (target && times) {
      var form = document.querySelector(target);
      form.querySelector("[data-range-start]").value = formatTime(times.start);
      form.querySelector("[data-range-end]").value = formatTime(times.end);
    }
    var first = document.querySelector("[data-selection-first]");
    var last = document.querySelector("[data-selection-last]");
    if (!target && first && last) {
      first.value = state.first === null ? "" : Math.min(state.first, state.last);
      last.value = state.last === null ? "" : Math.max(state.first, state.last);
    }
    var summary = document.querySelector("[data-selection-summary]");
    if (summary) {
      summary.textContent = times
        ? summary.dataset.msgSome.replace("{count}", times.count)
            .replace("{seconds}", Math.round(times.end - times.start))
        : summary.dataset.msgNone;
    }
  }

  // Sentences swapped into a list (the editor's "more", a workshop transcript piece) show the
  // selection too.
  document.addEventListener("htmx:afterSettle", function () {
    document.querySelectorAll("[data-sentence-select]").forEach(function (list) {
      if (list._selection) {
        paint(list);
      }
    });
  });

  document.addEventListener("click", function (event) {
    var pick = event.target.closest && event.target.closest("[data-pick]");
    if (pick) {
      var list = pick.closest("[data-sentence-select]");
      var state = selectionState(list);
      var position = parseInt(pick.getAttribute("data-pick"), 10);
      var extending = event.shiftKey || (state.first !== null && state.first === state.last &&
        list._awaitingLast);
      if (extending && state.first !== null) {
        state.last = position;
        list._awaitingLast = false;
      } else {
        state.first = position;
        state.last = position;
        list._awaitingLast = !event.shiftKey;
      }
      paint(list);
      publish(list);
      return;
    }
    var nudge = event.target.closest && event.target.closest("[data-nudge]");
    if (nudge) {
      var form = nudge.closest("form");
      var input = form.querySelector(nudge.dataset.nudge === "start" ? "[data-range-start]" : "[data-range-end]");
      var moved = round1((parseTime(input.value) || 0) + parseFloat(nudge.dataset.delta));
      input.value = formatTime(moved);
      var player = document.querySelector("video[data-player]");
      if (player) {
        player.currentTime = moved;
      }
      return;
    }
    var preview = event.target.closest && event.target.closest("[data-preview]");
    if (preview) {
      var rangeForm = preview.closest("form");
      var video = document.querySelector("video[data-player]");
      var start = parseTime(rangeForm.querySelector("[data-range-start]").value);
      var end = parseTime(rangeForm.querySelector("[data-range-end]").value);
      if (!video || !(end > start)) {
        return;
      }
      var stopAtOut = function () {
        var next = pastCut(video.currentTime);
        if (video.currentTime >= end) {
          video.pause();
          video.removeEventListener("timeupdate", stopAtOut);
        } else if (next !== null) {
          video.currentTime = next;
        }
      };
      video.addEventListener("timeupdate", stopAtOut);
      video.currentTime = start;
      video.play().catch(function () { /* autoplay refused */ });
    }
  });
})();
