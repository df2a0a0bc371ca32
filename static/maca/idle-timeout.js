// Warn before the idle timeout signs a person out, and let them stay signed in.
//
// The server ends a session after data-session-idle-seconds without a request. Shortly before
// that (data-session-warning-seconds) this shows a dialog; "Stay signed in" makes a request to
// the keep-alive endpoint, which restarts the server's clock. At the limit the page signs out,
// so nothing is left on screen. Activity in another tab of the same browser counts: the time
// of the latest request is shared through localStorage.

const body = document.body;
const idleSeconds = Number(body.dataset.sessionIdleSeconds);
const warningSeconds = Number(body.dataset.sessionWarningSeconds);
const keepAliveUrl = body.dataset.keepAliveUrl;
const dialog = document.getElementById("idle-timeout-dialog");
const STORAGE_KEY = "maca-last-activity";

function readShared() {
  try {
    return Number(window.localStorage.getItem(STORAGE_KEY)) || 0;
  } catch {
    return 0;
  }
}

function writeShared(time) {
  try {
    window.localStorage.setItem(STORAGE_KEY, String(time));
  } catch {
    // Storage can be switched off; the timer in this tab still works.
  }
}

let lastActivity = Date.now();
let timer = null;

function latestActivity() {
  return Math.max(lastActivity, readShared());
}

function signOut() {
  const form = dialog.querySelector("[data-idle-sign-out]");
  form.submit();
}

function schedule() {
  window.clearTimeout(timer);
  const elapsed = (Date.now() - latestActivity()) / 1000;
  const untilWarning = idleSeconds - warningSeconds - elapsed;
  const untilLimit = idleSeconds - elapsed;
  if (untilLimit <= 0) {
    signOut();
  } else if (untilWarning <= 0) {
    if (!dialog.open) {
      dialog.showModal();
      dialog.querySelector("[data-idle-stay]").focus();
    }
    timer = window.setTimeout(schedule, Math.min(untilLimit, 5) * 1000);
  } else {
    if (dialog.open) {
      dialog.close();
    }
    timer = window.setTimeout(schedule, Math.min(untilWarning, 30) * 1000);
  }
}

function csrfToken() {
  const input = dialog.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

async function staySignedIn() {
  try {
    const response = await fetch(keepAliveUrl, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-CSRFToken": csrfToken() },
    });
    if (!response.ok) {
      // Already signed out (or the session was ended elsewhere): show the sign-in page.
      window.location.reload();
      return;
    }
  } catch {
    return;
  }
  lastActivity = Date.now();
  writeShared(lastActivity);
  dialog.close();
  schedule();
}

if (dialog && idleSeconds > 0 && keepAliveUrl) {
  writeShared(lastActivity);
  dialog.querySelector("[data-idle-stay]").addEventListener("click", staySignedIn);
  // Escape would close the dialog without telling the server; treat it as "Stay signed in".
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    staySignedIn();
  });
  schedule();
}
