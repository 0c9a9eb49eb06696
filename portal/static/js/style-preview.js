// The subtitle style preview (#18): boxes laid over a picture show where a render will put the
// logo, the hook line, the product card and the subtitles, in the chosen template's colours.
// Markup: <div data-style-overlay data-template="NAME" data-templates='{"NAME": {...}}'> (see
// clips/_style_overlay.html) after a <video> (placed over its picture, letterbox excluded) or
// alone in a box (filling it). A form with data-style-form drives the page's overlay: its
// "template" radios ("" is the form's data-org-template), "hook_text", "show_card" and a
// [data-style-toggle] checkbox that hides the preview.
(function () {
  "use strict";

  var BOXES = ["logo", "hook", "card"];

  function apply(overlay, name) {
    var templates = JSON.parse(overlay.getAttribute("data-templates"));
    var t = templates[name];
    if (!t) {
      return;
    }
    BOXES.forEach(function (key) {
      var box = overlay.querySelector('[data-style-box="' + key + '"]');
      if (box) {
        box.style.left = t[key][0] + "%";
        box.style.top = t[key][1] + "%";
        box.style.width = t[key][2] + "%";
        box.style.height = t[key][3] + "%";
      }
    });
    var s = overlay.style;
    s.setProperty("--sub-font", String(t.font / 100));
    s.setProperty("--sub-outline", String(t.outline / 100));
    s.setProperty("--sub-bottom", t.bottom + "%");
    s.setProperty("--sub-primary", t.colours[0]);
    s.setProperty("--sub-outline-colour", t.colours[1]);
    s.setProperty("--sub-highlight", t.colours[2]);
    overlay.setAttribute("data-position", t.position);
    overlay.setAttribute("data-template", name);
  }

  // Lay the overlay over the video's picture (object-fit: contain leaves bands around it).
  function fit(overlay, video) {
    if (!video.videoWidth || !video.clientWidth) {
      return;
    }
    var scale = Math.min(video.clientWidth / video.videoWidth, video.clientHeight / video.videoHeight);
    var width = video.videoWidth * scale;
    var height = video.videoHeight * scale;
    var s = overlay.style;
    s.left = (video.offsetLeft + (video.clientWidth - width) / 2) + "px";
    s.top = (video.offsetTop + (video.clientHeight - height) / 2) + "px";
    s.width = width + "px";
    s.height = height + "px";
    s.right = "auto";
    s.bottom = "auto";
  }

  function wireVideo(overlay) {
    var video = overlay.previousElementSibling;
    if (!video || video.tagName !== "VIDEO") {
      return;
    }
    var refit = function () { fit(overlay, video); };
    video.addEventListener("loadedmetadata", refit);
    if (window.ResizeObserver) {
      new ResizeObserver(refit).observe(video);
    }
    refit();
  }

  function chosen(form) {
    var checked = form.querySelector('input[name="template"]:checked');
    var value = checked ? checked.value : "";
    return value || form.getAttribute("data-org-template");
  }

  function follow(event) {
    var form = event.target.closest ? event.target.closest("[data-style-form]") : null;
    var overlay = document.querySelector(".style-stage [data-style-overlay]");
    if (!form || !overlay) {
      return;
    }
    apply(overlay, chosen(form));
    var hook = form.querySelector('[name="hook_text"]');
    var hookBox = overlay.querySelector('[data-style-box="hook"]');
    if (hook && hookBox) {
      overlay.querySelector("[data-style-hook]").textContent = hook.value;
      hookBox.hidden = !hook.value.trim();
    }
    var card = form.querySelector('[name="show_card"]');
    var cardBox = overlay.querySelector("[data-style-card]");
    if (card && cardBox) {
      cardBox.hidden = !card.checked;
    }
    var toggle = form.querySelector("[data-style-toggle]");
    overlay.hidden = toggle ? !toggle.checked : false;
  }

  function init() {
    var overlays = document.querySelectorAll("[data-style-overlay]");
    for (var i = 0; i < overlays.length; i++) {
      apply(overlays[i], overlays[i].getAttribute("data-template"));
      wireVideo(overlays[i]);
    }
    document.addEventListener("input", follow);
    document.addEventListener("change", follow);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
