// Forms marked data-live send their answers in the background when an answer
// changes, and only the parts of the page marked data-live-region (for example
// the screening findings) are replaced from the answer. The form itself is never
// reloaded: what the person is typing, and where the cursor is, stay as they are.
// Field errors (such as one blood pressure number of two) wait for the Save
// button. Without JavaScript the Save button does the same as a live update.
(() => {
  const state = new WeakMap(); // form -> {busy, again}

  async function update(form) {
    const s = state.get(form) || { busy: false, again: false };
    state.set(form, s);
    if (s.busy) {
      s.again = true; // send the newest answers once the current request ends
      return;
    }
    s.busy = true;
    try {
      do {
        s.again = false;
        const response = await fetch(form.action || window.location.href, {
          method: "POST",
          body: new FormData(form),
          credentials: "same-origin",
          headers: { "X-Live-Update": "1" },
        });
        if (!response.ok) break;
        const page = new DOMParser().parseFromString(await response.text(), "text/html");
        for (const region of document.querySelectorAll("[data-live-region]")) {
          const fresh = page.getElementById(region.id);
          if (fresh) region.replaceWith(fresh);
        }
        form.dataset.liveSaved = String(Date.now());
      } while (s.again);
    } finally {
      s.busy = false;
    }
  }

  document.addEventListener("change", (event) => {
    const form = event.target.form;
    if (form && form.dataset.live !== undefined) update(form);
  });
})();
