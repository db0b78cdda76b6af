// Runs first in <body>: tells govuk-frontend's CSS that JavaScript is available. This is the
// script govuk-frontend's template writes inline; as a file it needs no CSP exception.
document.body.className +=
  ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '')
