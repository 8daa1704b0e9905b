// Keeps a draft of the form in this browser, so that a reload or a lost connection never loses the text.
// The form works without it; nothing leaves the browser. A receipt page clears every draft.
(function () {
  "use strict";
  var PREFIX = "entraide-draft:";
  var FIELDS = ["title", "theme", "tags", "lang", "body", "author", "anonymous", "consent", "license"];
  var store;
  try { store = window.localStorage; } catch (e) { return; }
  if (!store) { return; }
  if (document.querySelector("[data-submission]")) {
    for (var i = store.length - 1; i >= 0; i--) {
      var key = store.key(i);
      if (key && key.indexOf(PREFIX) === 0) { store.removeItem(key); }
    }
    return;
  }
  var form = document.querySelector("form[method=post]");
  if (!form) { return; }
  var name = PREFIX + location.pathname;
  var saved = {};
  try { saved = JSON.parse(store.getItem(name) || "{}") || {}; } catch (e) { saved = {}; }
  var fresh = !document.querySelector("#error-summary, .notice, .similar, .preview");
  FIELDS.forEach(function (field) {
    var input = form.elements[field];
    if (!input || !(field in saved) || !fresh) { return; }
    if (input.type === "checkbox") { input.checked = saved[field] === true; }
    else if (!input.value) { input.value = saved[field]; }
  });
  function save() {
    var draft = {};
    FIELDS.forEach(function (field) {
      var input = form.elements[field];
      if (input) { draft[field] = input.type === "checkbox" ? input.checked : input.value; }
    });
    try { store.setItem(name, JSON.stringify(draft)); } catch (e) { /* full or refused: the form still works */ }
  }
  form.addEventListener("input", save);
  form.addEventListener("change", save);
})();
