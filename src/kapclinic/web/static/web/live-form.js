// Forms marked data-live submit themselves when an answer changes, so the page
// (for example the screening findings) updates as answers come in. Without
// JavaScript the Save button does the same.
document.addEventListener("change", (event) => {
  const form = event.target.form;
  if (form && form.dataset.live !== undefined) {
    sessionStorage.setItem("kapclinic-live-focus", event.target.id);
    form.requestSubmit();
  }
});
document.addEventListener("DOMContentLoaded", () => {
  const id = sessionStorage.getItem("kapclinic-live-focus");
  sessionStorage.removeItem("kapclinic-live-focus");
  const field = id && document.getElementById(id);
  if (field) field.focus();
});
