// The optional proof of work (ALTCHA's SHA-256 scheme): find the number whose hash with the salt is the
// challenge, then send it with the form. Started when the page opens, so it is usually done before the
// person has finished writing; a submit before that waits for it. Nothing leaves the browser but the answer.
(function () {
  "use strict";
  var field = document.querySelector("input[name=altcha][data-challenge]");
  if (!field || !window.crypto || !window.crypto.subtle || !window.TextEncoder) { return; }
  var form = field.form;
  var spec;
  try { spec = JSON.parse(field.getAttribute("data-challenge")); } catch (e) { return; }
  var encoder = new TextEncoder();

  function hex(buffer) {
    var bytes = new Uint8Array(buffer), out = "";
    for (var i = 0; i < bytes.length; i++) { out += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16); }
    return out;
  }

  async function solve() {
    for (var n = 0; n <= spec.maxnumber; n++) {
      var digest = await window.crypto.subtle.digest("SHA-256", encoder.encode(spec.salt + n));
      if (hex(digest) === spec.challenge) {
        return btoa(JSON.stringify({algorithm: spec.algorithm, challenge: spec.challenge, number: n,
                                    salt: spec.salt, signature: spec.signature}));
      }
    }
    return "";
  }

  var solved = solve().then(function (payload) {
    field.value = payload;
    form.setAttribute("data-pow", payload ? "done" : "failed");
    return payload;
  });
  form.addEventListener("submit", function (event) {
    if (field.value || form.getAttribute("data-pow") === "failed") { return; }
    event.preventDefault();
    var submitter = event.submitter;
    solved.then(function () { form.requestSubmit ? form.requestSubmit(submitter || undefined) : form.submit(); });
  });
})();
