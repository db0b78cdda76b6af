// /embed.js: the script that follows the embed code on other sites' pages. It sets the height
// of each embed card's iframe to the height the card reports (public/js/embed-card.js), so the
// whole card shows, at any width and text size. No dependencies, nothing global but one marker,
// and the embed code works without it (the frame keeps its estimated height).
//
// It trusts a message only if it comes from this library's own origin, the one this script was
// loaded from, and only resizes the iframe that sent it, if that iframe's address is the one the
// message names.
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
      // Only delivered if the frame holds a page of this library's origin.
      if (frame.contentWindow) frame.contentWindow.postMessage({ type: ASK }, origin)
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
    for (const frame of cardFrames()) {
      if (frame.contentWindow === event.source && frame.src === data.url) {
        resize(frame, Math.ceil(height))
      }
    }
  })

  window[MARKER] = { ask: ask }
  ask()
})()
