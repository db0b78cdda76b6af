// Progressive enhancement only: every page works without this file.
// govuk-frontend's service navigation script (scripts/build-assets.mjs points this import at
// the hashed copy in /assets/): on a phone it folds the navigation behind a "Menu" button.
import { ServiceNavigation } from './govuk-service-navigation.mjs'

// Copy buttons. An element marked data-app-copy="Button text" (a link, a citation, some
// code) is readable and selectable without JavaScript; here it gains a button that copies its
// text, where the browser lets pages write to the clipboard (secure contexts only).
function addCopyButtons() {
  if (!navigator.clipboard || typeof navigator.clipboard.writeText !== 'function') return
  for (const source of document.querySelectorAll('[data-app-copy]')) {
    const label = source.getAttribute('data-app-copy') || 'Copy'
    const wrapper = document.createElement('div')
    wrapper.className = 'app-copy'
    const button = document.createElement('button')
    button.type = 'button'
    button.className = 'govuk-button govuk-button--secondary app-copy-button'
    button.textContent = label
    const status = document.createElement('span')
    status.className = 'app-copy__status'
    status.setAttribute('role', 'status')
    let timer
    button.addEventListener('click', async () => {
      // The text as shown: the citation's spacing as it reads, the embed code's line breaks kept.
      const text = source.innerText.trim()
      try {
        await navigator.clipboard.writeText(text)
        status.textContent = 'Copied'
      } catch {
        status.textContent = 'Could not copy: select the text and copy it instead'
      }
      clearTimeout(timer)
      timer = setTimeout(() => {
        status.textContent = ''
      }, 5000)
    })
    wrapper.append(button, status)
    source.after(wrapper)
  }
}

// Filter panels (views/components/filters.njk) are a <details>, collapsed in the HTML so that a
// phone shows the results first. From govuk-frontend's tablet breakpoint up, where the panel
// sits beside the results, it is opened (and its control hidden by app.scss); it closes again
// if the window narrows, and opens if it widens.
function openFiltersOnWideScreens() {
  const panels = document.querySelectorAll('details[data-app-filter-panel]')
  if (panels.length === 0) return
  const wide = window.matchMedia('(min-width: 40.0625em)')
  const follow = () => {
    for (const panel of panels) panel.open = wide.matches
  }
  follow()
  wide.addEventListener('change', follow)
}

addCopyButtons()
openFiltersOnWideScreens()
for (const element of document.querySelectorAll('[data-module="govuk-service-navigation"]')) {
  // As govuk-frontend's createAll does: a component that cannot start (it throws if the page
  // lacks what it needs) leaves the links shown, and the rest of the page working.
  try {
    new ServiceNavigation(element)
  } catch (error) {
    console.log(error)
  }
}
