// Resumable uploads with tus-js-client (vendor/tus.min.js) for <div data-upload-widget>.
// Markup and translated texts come from uploads/_widget.html; no inline script (strict CSP).
// Choosing the same file again (even after the browser was closed) resumes the earlier upload.
// Success: the upload id goes into the hidden input named by data-input, the form's submit
// button is enabled, and a bubbling "beltcast:uploaded" event fires on the widget.
(function () {
  "use strict";

  if (window.beltcastUploads) {
    return; // the widget macro may include this script more than once
  }
  window.beltcastUploads = true;

  var CHUNK_BYTES = 8 * 1024 * 1024;
  var RETRY_DELAYS = [0, 1000, 3000, 5000, 10000, 20000];
  var SPEED_WINDOW_MS = 5000;

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  function fill(template, values) {
    return (template || "").replace(/\{(\w+)\}/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
    });
  }

  function clock(seconds) {
    var whole = Math.max(0, Math.round(seconds));
    var hours = Math.floor(whole / 3600);
    var minutes = Math.floor((whole % 3600) / 60);
    var secs = whole % 60;
    var mm = hours ? String(minutes).padStart(2, "0") : String(minutes);
    return (hours ? hours + ":" : "") + mm + ":" + String(secs).padStart(2, "0");
  }

  function percentOf(sent, total) {
    return total ? (Math.floor((sent / total) * 1000) / 10).toFixed(1) : "0.0";
  }

  // app.css gives buttons display:inline-block, which beats the [hidden] attribute, so the
  // display is set too (CSSOM is allowed by the CSP; style attributes in markup are not).
  function setVisible(element, visible) {
    element.hidden = !visible;
    element.style.display = visible ? "" : "none";
  }

  function uploadIdOf(url) {
    return url.split("?")[0].replace(/\/+$/, "").split("/").pop();
  }

  function statusOf(error) {
    var response = error && error.originalResponse;
    return response ? response.getStatus() : 0;
  }

  function bodyOf(error) {
    return (error.originalResponse.getBody() || "").trim();
  }

  // The server said no (signed out, not allowed, too large for the limit or the quota): its
  // translated text is the message, and resuming cannot help.
  var REFUSALS = [401, 403, 413];
  // The server's disk is full (507): its text says so; what arrived is kept, so Resume stays.
  // Retrying at once cannot help either, so tus-js-client does not retry it.
  var DISK_FULL = 507;

  function shouldRetry(error, attempt, options) {
    return (
      statusOf(error) !== DISK_FULL &&
      window.tus.defaultOptions.onShouldRetry(error, attempt, options)
    );
  }

  function Widget(root) {
    this.root = root;
    this.file = root.querySelector("[data-upload-file]");
    this.progress = root.querySelector("[data-upload-progress]");
    this.status = root.querySelector("[data-upload-status]");
    this.pauseButton = root.querySelector("[data-upload-pause]");
    this.resumeButton = root.querySelector("[data-upload-resume]");
    this.hidden = document.getElementById(root.getAttribute("data-input"));
    this.form = (this.hidden && this.hidden.form) || root.closest("form");
    this.upload = null;
    this.samples = [];
    this.sent = 0;
    this.total = 0;

    this.setButtons(null);
    this.file.addEventListener("change", this.choose.bind(this));
    this.pauseButton.addEventListener("click", this.pause.bind(this));
    this.resumeButton.addEventListener("click", this.resume.bind(this));
    if (this.hidden && this.hidden.value) {
      this.show(this.message("ready")); // the form came back with a finished upload
      this.setSubmitEnabled(true);
    } else {
      this.setSubmitEnabled(false);
    }
  }

  Widget.prototype.message = function (name, values) {
    return fill(this.root.getAttribute("data-msg-" + name), values || {});
  };

  Widget.prototype.show = function (text) {
    this.status.textContent = text;
  };

  // running: true shows Pause, false shows Resume, null shows neither.
  Widget.prototype.setButtons = function (running) {
    setVisible(this.pauseButton, running === true);
    setVisible(this.resumeButton, running === false);
  };

  Widget.prototype.submitButtons = function () {
    if (!this.form) {
      return [];
    }
    var marked = this.form.querySelectorAll("[data-upload-submit]");
    return marked.length ? marked : this.form.querySelectorAll("[type=submit]");
  };

  Widget.prototype.setSubmitEnabled = function (enabled) {
    Array.prototype.forEach.call(this.submitButtons(), function (button) {
      button.disabled = !enabled;
    });
  };

  Widget.prototype.choose = function () {
    var file = this.file.files && this.file.files[0];
    if (this.upload) {
      this.upload.abort();
      this.upload = null;
    }
    if (this.hidden) {
      this.hidden.value = "";
    }
    this.setSubmitEnabled(false);
    if (!file) {
      this.setButtons(null);
      return;
    }
    this.upload = new window.tus.Upload(file, {
      endpoint: this.root.getAttribute("data-endpoint"),
      chunkSize: CHUNK_BYTES,
      retryDelays: RETRY_DELAYS,
      headers: { "X-CSRFToken": csrfToken() },
      metadata: { filename: file.name, filetype: file.type || "application/octet-stream" },
      onShouldRetry: shouldRetry,
      onProgress: this.onProgress.bind(this),
      onUploadUrlAvailable: this.quotaChanged.bind(this),
      onSuccess: this.onSuccess.bind(this),
      onError: this.onError.bind(this)
    });
    setVisible(this.progress, true);
    this.progress.value = 0;
    this.show(this.message("preparing"));
    var upload = this.upload;
    var widget = this;
    upload.findPreviousUploads().then(function (previous) {
      if (upload !== widget.upload) {
        return; // another file was chosen meanwhile
      }
      if (previous.length) {
        upload.resumeFromPreviousUpload(previous[0]);
        widget.show(widget.message("resuming"));
      }
      widget.start();
    });
  };

  // The quota box (uploads/_quota.html, loaded by htmx) reloads on this event: creating an
  // upload reserves its whole size; a refusal for quota shows what is really left.
  Widget.prototype.quotaChanged = function () {
    this.root.dispatchEvent(new CustomEvent("beltcast:quota", { bubbles: true }));
  };

  Widget.prototype.start = function () {
    this.samples = [];
    this.setButtons(true);
    this.upload.start();
  };

  Widget.prototype.pause = function () {
    if (!this.upload) {
      return;
    }
    this.upload.abort();
    this.setButtons(false);
    this.show(this.message("paused", { percent: percentOf(this.sent, this.total) }));
  };

  Widget.prototype.resume = function () {
    if (this.upload) {
      this.start();
    }
  };

  Widget.prototype.speed = function (sent) {
    var now = Date.now();
    this.samples.push({ at: now, sent: sent });
    while (this.samples.length > 2 && now - this.samples[0].at > SPEED_WINDOW_MS) {
      this.samples.shift();
    }
    var first = this.samples[0];
    var seconds = (now - first.at) / 1000;
    return seconds > 0 ? (sent - first.sent) / seconds : 0;
  };

  Widget.prototype.onProgress = function (sent, total) {
    var bytesPerSecond = this.speed(sent);
    this.sent = sent;
    this.total = total;
    this.progress.value = total ? (sent / total) * 100 : 0;
    this.progress.textContent = percentOf(sent, total) + "%";
    this.show(
      this.message("progress", {
        percent: percentOf(sent, total),
        speed: (bytesPerSecond / 1e6).toFixed(1),
        left: bytesPerSecond > 0 ? clock((total - sent) / bytesPerSecond) : "…"
      })
    );
  };

  Widget.prototype.onSuccess = function () {
    var upload = this.upload;
    var uploadId = uploadIdOf(upload.url);
    this.progress.value = 100;
    this.setButtons(null);
    if (this.hidden) {
      this.hidden.value = uploadId;
    }
    this.setSubmitEnabled(true);
    this.show(this.message("done", { filename: upload.file.name }));
    this.root.dispatchEvent(
      new CustomEvent("beltcast:uploaded", {
        bubbles: true,
        detail: {
          uploadId: uploadId,
          url: upload.url,
          filename: upload.file.name,
          size: upload.file.size
        }
      })
    );
  };

  Widget.prototype.onError = function (error) {
    var status = statusOf(error);
    if (REFUSALS.indexOf(status) >= 0) {
      this.setButtons(null);
      setVisible(this.progress, false);
      this.show(bodyOf(error));
      if (status === 413) {
        this.quotaChanged();
      }
      return;
    }
    this.setButtons(false);
    if (status === DISK_FULL) {
      this.show(bodyOf(error));
      return;
    }
    var reason = status ? "HTTP " + status : this.message("offline");
    this.show(this.message("error", { reason: reason }));
  };

  function install(scope) {
    var roots = (scope || document).querySelectorAll("[data-upload-widget]");
    Array.prototype.forEach.call(roots, function (root) {
      if (!root.beltcastUpload) {
        root.beltcastUpload = new Widget(root);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    install(document);
  });
  // Widgets that arrive in an htmx swap.
  document.addEventListener("htmx:load", function (event) {
    install(event.target);
  });
  if (document.readyState !== "loading") {
    install(document);
  }
})();
