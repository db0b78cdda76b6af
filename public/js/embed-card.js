// Runs in an embed card (/embed/…), the page another site shows in an iframe. An iframe cannot
// size itself to its content across sites, so the card tells the page around it how tall it is;
// /embed.js on that page (public/js/embed.js) sets the frame to that height. Without either
// script the frame keeps the estimated height of the embed code, and a card that needs more
// scrolls.
//
// Message, to the parent:
//   { type: 'sector-led-stories:embed-height', url: <this card's address>, height: <CSS px> }
// sent once laid out, whenever the card's size changes (a narrower frame wraps more lines,
// larger text, a late font), and when /embed.js asks with
//   { type: 'sector-led-stories:embed-ask' }
// (it may load after the card). Keep both scripts able to read older versions of the other:
// hosts cache /embed.js, and the card changes on its own schedule.
;(function () {
  'use strict'
  const HEIGHT = 'sector-led-stories:embed-height'
  const ASK = 'sector-led-stories:embed-ask'

  const parent = window.parent
  if (parent === window) return // opened on its own, not framed: nobody to tell
  const card = document.querySelector('.app-embed__card')
  if (!card) return

  // The card stretches to fill its frame (min-height: 100%, so a frame taller than the card
  // shows no gap below its border); what the frame needs is the card's height without that
  // stretch. Changed and put back before the browser draws, so nothing moves on screen.
  function naturalHeight() {
    const stretch = card.style.minHeight
    card.style.minHeight = '0'
    const height = card.getBoundingClientRect().height
    card.style.minHeight = stretch
    return Math.ceil(height)
  }

  let sent = 0
  function send(always) {
    const height = naturalHeight()
    if (height === sent && !always) return
    sent = height
    // Any origin may read it: a height is no secret, and the card cannot know which of the
    // sites allowed to frame it (frame-ancestors) is its parent. /embed.js checks the sender.
    parent.postMessage({ type: HEIGHT, url: window.location.href, height: height }, '*')
  }

  window.addEventListener('message', function (event) {
    if (event.source === parent && event.data && event.data.type === ASK) send(true)
  })

  if (typeof ResizeObserver === 'function') {
    const observer = new ResizeObserver(function () {
      send(false)
    })
    // The card itself changes with the frame's width; its parts also change with their text
    // (a font arriving, a larger text setting) while the stretched card keeps its size.
    observer.observe(card)
    for (const part of card.children) observer.observe(part)
  } else {
    window.addEventListener('resize', function () {
      send(false)
    })
  }
  send(true)
  window.addEventListener('load', function () {
    send(true)
  })
})()
