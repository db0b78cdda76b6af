// The CMS's sign-in popup (views/pages/admin-sign-in.njk): hands the result (a GitHub token, or
// why there is none) to the CMS window that opened it, with the popup protocol Decap CMS and
// Sveltia CMS share. This window says "authorizing:github"; the CMS answers the same words, and
// then gets "authorization:github:success:{"token":…,"provider":"github"}" (or ":error:…").
//
// Only ever to our own origin (from BASE_URL): postMessage with that target origin is dropped
// by the browser when the opener is another site, and an answer is taken only from the
// opener, at our origin, so another site that opens this page never gets the token.
const handoff = document.getElementById('cms-sign-in')
const opener = window.opener
if (handoff !== null && opener !== null) {
  const { origin, provider, message } = handoff.dataset
  const handshake = `authorizing:${provider}`
  const answer = (event) => {
    if (event.origin !== origin || event.source !== opener || event.data !== handshake) return
    window.removeEventListener('message', answer)
    opener.postMessage(message, origin)
  }
  window.addEventListener('message', answer)
  opener.postMessage(handshake, origin)
}
