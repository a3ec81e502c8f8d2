// Chunked, resumable upload: whole segments per request; on failure it retries from the byte
// the server says it has. The server encrypts each chunk as it streams in.
(function () {
  "use strict";
  const form = document.getElementById("recording-upload");
  if (!form) return;
  const status = document.getElementById("recording-status");
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  async function post(url, body) {
    const response = await fetch(url, { method: "POST", body: body, headers: { "X-CSRFToken": csrf } });
    const data = await response.json();
    if (!response.ok) throw Object.assign(new Error(data.error), { data: data });
    return data;
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    const file = document.getElementById("recording-file").files[0];
    if (!file) return;
    const start = new FormData();
    start.append("name", file.name);
    start.append("type", file.type);
    start.append("third_parties", document.getElementById("recording-third-parties").checked ? "1" : "0");
    try {
      const upload = await post(form.dataset.start, start);
      const chunkSize = upload.segment * Math.max(1, Math.floor((8 * 1024 * 1024) / upload.segment));
      const chunkUrl = form.dataset.chunk.replace("/0/", "/" + upload.id + "/");
      let offset = 0;
      let tries = 0;
      while (offset < file.size || offset === 0) {
        const end = Math.min(offset + chunkSize, file.size);
        const final = end >= file.size ? "1" : "0";
        try {
          const done = await post(chunkUrl + "?offset=" + offset + "&final=" + final, file.slice(offset, end));
          offset = done.received;
          tries = 0;
          status.textContent = form.dataset.progress + " " + Math.round((100 * offset) / file.size) + " %";
          if (final === "1") break;
        } catch (error) {
          if (error.data && error.data.expected !== undefined && tries < 5) {
            offset = error.data.expected;
            tries += 1;
            continue;
          }
          throw error;
        }
      }
      status.textContent = form.dataset.done;
      // The list above comes from the server: reload to show the new recording (the page
      // repeats "stored" as a message).
      window.location.reload();
    } catch (error) {
      status.textContent = error.message;
    }
  });
})();
