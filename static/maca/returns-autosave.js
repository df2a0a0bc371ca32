// Saves a return's form as a draft every 20 seconds while it has unsaved changes.
// The form works the same without this: "Save as draft" posts it the ordinary way.
const SAVE_EVERY_MS = 20000;

const form = document.querySelector("form[data-autosave-url]");

if (form) {
  const status = document.getElementById("autosave-status");
  const revision = form.querySelector("input[name='revision']");
  let dirty = false;
  let saving = null; // the promise of the save in flight, if any
  let stopped = false;

  const say = (text) => {
    if (status) status.textContent = text;
  };

  const markDirty = () => {
    dirty = true;
  };
  form.addEventListener("input", markDirty);
  form.addEventListener("change", markDirty);

  async function save() {
    if (!dirty || saving || stopped) return;
    dirty = false;
    const body = new FormData(form);
    body.set("action", "autosave");
    saving = fetch(form.dataset.autosaveUrl, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(async (response) => {
        const result = await response.json();
        if (result.saved) {
          revision.value = result.revision;
          say(`Saved at ${result.saved_at}`);
        } else {
          say(result.message);
          // Someone else saved: stop, so the person compares versions on an ordinary save.
          if (result.stale || response.status === 409) stopped = true;
          // The database connection was lost for a moment: nothing saved; try again shortly.
          if (response.status === 503) dirty = true;
        }
      })
      .catch(() => {
        dirty = true;
        say("Not saved automatically: there was a problem with the connection. Choose 'Save as draft'.");
      })
      .finally(() => {
        saving = null;
      });
    await saving;
  }

  // An ordinary save must carry the revision an autosave in flight is about to return.
  form.addEventListener("submit", (event) => {
    stopped = true;
    if (saving) {
      event.preventDefault();
      const submitter = event.submitter;
      saving.then(() => form.requestSubmit(submitter));
    }
  });

  window.setInterval(save, SAVE_EVERY_MS);
}
