// Progress for 903 imports and for files of drafts being made. Without JavaScript the form posts normally and the import page
// offers a refresh link; with it, the upload shows its progress and the page then follows the
// import task's progress until it finishes.

const POLL_MS = 1000;

function show(panel, percent, text) {
  const bar = panel.querySelector("progress");
  const status = panel.querySelector("[data-status]");
  if (bar) {
    bar.value = percent;
    bar.textContent = `${percent}%`;
  }
  if (status) status.textContent = text;
}

function follow(statusUrl, panel, offset, scale) {
  const tick = async () => {
    let data;
    try {
      const response = await fetch(statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      data = await response.json();
    } catch {
      show(panel, offset, "Lost contact with the server. Refresh the page to see how it is going.");
      return;
    }
    show(panel, Math.round(offset + (data.progress * scale) / 100), `${data.message || data.status_label} (${data.progress}%)`);
    if (data.finished) {
      window.location.assign(data.url);
    } else {
      window.setTimeout(tick, POLL_MS);
    }
  };
  tick();
}

const form = document.querySelector("form[data-upload-progress]");
if (form && window.FormData && window.XMLHttpRequest) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const panel = document.getElementById(form.dataset.uploadProgress);
    panel.hidden = false;
    const button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    const request = new XMLHttpRequest();
    request.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) {
        const sent = Math.round((e.loaded / e.total) * 100);
        show(panel, Math.round(sent / 2), `Uploading: ${sent}%`);
      }
    });
    request.addEventListener("load", () => {
      if (request.status === 200) {
        const reply = JSON.parse(request.responseText);
        show(panel, 50, "Uploaded. Checking the files…");
        follow(reply.status_url, panel, 50, 50);
      } else {
        // Let the server show its errors on a normal page, beside the fields.
        HTMLFormElement.prototype.submit.call(form);
      }
    });
    request.addEventListener("error", () => HTMLFormElement.prototype.submit.call(form));
    request.open("POST", form.action);
    request.setRequestHeader("Accept", "application/json");
    request.send(new FormData(form));
  });
}

// The same for any job a page follows: a 903 import, or a file of a draft being made.
const running = document.querySelector("[data-import-status], [data-job-status]");
if (running) {
  follow(running.dataset.importStatus || running.dataset.jobStatus, running, 0, 100);
}
