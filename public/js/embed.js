// /embed.js: the script that follows the embed code on other sites' pages. It sets the height
// of each embed card's iframe to the height the card reports (public/js/embed-card.js), so the
// whole card shows, at any width and text size. No dependencies, nothing global but one marker,
// and the embed code works without it (the frame keeps its estimated height).
//
// It trusts a message only if it comes from this library's own origin, the one this script was
// loaded from, and names one of the library's cards; it resizes only the iframe that sent it.
;(function () {
  'use strict'
  const HEIGHT = 'sector-led-stories:embed-height'
  const ASK = 'sector-led-stories:embed-ask'
  // A card is never this tall; a bigger number is a bug, not a reason to cover the page.
  const MAX_HEIGHT = 5000
  // Embed code may be pasted more than once on a page, each followed by this script: the first
  // copy listens for all of them; later copies only ask their new cards for a height.
  const MARKER = '__sectorLedStoriesEmbeds'

  if (window[MARKER]) {
    window[MARKER].ask()
    return
  }

  const script = document.currentScript
  if (!script || !script.src) return
  // The library's address (BASE_URL), which may have a path: the script is at BASE_URL/embed.js.
  const self = new URL(script.src)
  const origin = self.origin
  const cards = origin + self.pathname.replace(/\/embed\.js$/, '') + '/embed/'

  function cardFrames() {
    const frames = []
    for (const frame of document.getElementsByTagName('iframe')) {
      if (frame.src.startsWith(cards)) frames.push(frame)
    }
    return frames
  }

  // Cards report themselves when they load; a card that loaded before this script is asked.
  function ask() {
    for (const frame of cardFrames()) {
      // To any origin: the question carries nothing. A frame whose card has not arrived yet
      // (its address still redirecting, say) holds a blank page of the host's origin, and
      // naming the library's origin here would log an error for it; it reports once loaded.
      if (frame.contentWindow) frame.contentWindow.postMessage({ type: ASK }, '*')
    }
  }

  function resize(frame, height) {
    // The height of the card is the frame's content height: add any border or padding the
    // host's styles give the frame when they size it as a border box.
    const style = window.getComputedStyle(frame)
    const extra =
      style.boxSizing === 'border-box'
        ? parseFloat(style.borderTopWidth) +
          parseFloat(style.borderBottomWidth) +
          parseFloat(style.paddingTop) +
          parseFloat(style.paddingBottom)
        : 0
    frame.style.height = height + extra + 'px'
  }

  window.addEventListener('message', function (event) {
    if (event.origin !== origin) return
    const data = event.data
    if (!data || data.type !== HEIGHT || typeof data.url !== 'string') return
    const height = data.height
    if (typeof height !== 'number' || !(height > 0) || height > MAX_HEIGHT) return
    if (!data.url.startsWith(cards)) return
    // The frame is the one whose window sent the message (a sender cannot forge that), not the
    // one whose address matches: embed code pasted before a story was renamed loads the card at
    // its old address, which redirects, so the card names an address that the frame's src is not.
    for (const frame of cardFrames()) {
      if (frame.contentWindow === event.source) resize(frame, Math.ceil(height))
    }
  })

  window[MARKER] = { ask: ask }
  ask()
})()
