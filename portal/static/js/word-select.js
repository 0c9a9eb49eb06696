// Word selection in the clip editor's "cut by text" section (clips/_words.html).
// Markup opts in (strict CSP, no inline scripts):
//   <button data-word data-start="ms" data-end="ms" aria-pressed> for each word, and one
//   <form data-word-bar> with [data-word-start]/[data-word-end] inputs, a [data-word-summary]
//   and its [data-word-action] submit buttons (enabled while words are selected).
// A tap selects a word; a second tap on another word selects the run between them (a tap on
// the one selected word clears it). Shift-click extends. Keyboard: the words are buttons
// (Tab, Enter); the left and right arrows move between words, Shift+arrow extends the
// selection; Delete or Backspace deletes the selected words.
(function () {
  "use strict";

  function section(node) {
    return node.closest("#cuts") || document;
  }

  function words(root) {
    return Array.prototype.slice.call(root.querySelectorAll("[data-word]"));
  }

  function state(root) {
    if (!root._words) {
      root._words = { first: null, last: null, awaiting: false };
    }
    return root._words;
  }

  function paint(root) {
    var chosen = state(root);
    var low = Math.min(chosen.first, chosen.last);
    var high = Math.max(chosen.first, chosen.last);
    var all = words(root);
    var picked = [];
    all.forEach(function (word, index) {
      var on = chosen.first !== null && index >= low && index <= high;
      word.classList.toggle("selected", on);
      word.setAttribute("aria-pressed", on ? "true" : "false");
      if (on) {
        picked.push(word);
      }
    });
    publish(root, picked);
  }

  function publish(root, picked) {
    var bar = root.querySelector("[data-word-bar]");
    if (!bar) {
      return;
    }
    var start = picked.length ? parseInt(picked[0].dataset.start, 10) : null;
    var end = picked.length ? parseInt(picked[picked.length - 1].dataset.end, 10) : null;
    bar.querySelector("[data-word-start]").value = start === null ? "" : start;
    bar.querySelector("[data-word-end]").value = end === null ? "" : end;
    bar.querySelectorAll("[data-word-action]").forEach(function (button) {
      button.disabled = !picked.length;
    });
    bar.classList.toggle("has-selection", picked.length > 0);
    var summary = bar.querySelector("[data-word-summary]");
    summary.textContent = picked.length
      ? summary.dataset.msgSome.replace("{count}", picked.length)
          .replace("{seconds}", ((end - start) / 1000).toFixed(1))
      : summary.dataset.msgNone;
  }

  function pick(root, index, extend) {
    var chosen = state(root);
    if (extend && chosen.first !== null) {
      chosen.last = index;
      chosen.awaiting = false;
    } else if (chosen.awaiting && chosen.first === index) {
      chosen.first = chosen.last = null;
      chosen.awaiting = false;
    } else if (chosen.awaiting) {
      chosen.last = index;
      chosen.awaiting = false;
    } else {
      chosen.first = chosen.last = index;
      chosen.awaiting = true;
    }
    paint(root);
  }

  document.addEventListener("click", function (event) {
    var word = event.target.closest && event.target.closest("[data-word]");
    if (!word) {
      return;
    }
    var root = section(word);
    pick(root, words(root).indexOf(word), event.shiftKey);
  });

  document.addEventListener("keydown", function (event) {
    var word = event.target.closest && event.target.closest("[data-word]");
    if (!word) {
      return;
    }
    var root = section(word);
    var all = words(root);
    var index = all.indexOf(word);
    var step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (step && all[index + step]) {
      event.preventDefault();
      all[index + step].focus();
      if (event.shiftKey) {
        if (state(root).first === null) {
          state(root).first = index;
        }
        state(root).last = index + step;
        state(root).awaiting = false;
        paint(root);
      }
    } else if ((event.key === "Delete" || event.key === "Backspace") && state(root).first !== null) {
      event.preventDefault();
      var cut = root.querySelector("[data-word-action][value=cut_words]");
      if (cut) {
        cut.click();
      }
    }
  });
})();
