import { REVIEW_PAGE_SCRIPT } from './reviewPageScript.js';
import { REVIEW_PAGE_STYLE } from './reviewPageStyle.js';

/**
 * The review page: one self-contained document, its style and script inline under the response's
 * nonce (the CSP allows nothing else), no asset from anywhere, so it works offline. It holds no
 * data: the script asks the server for the list and, request by request, for what is read live.
 */
export function reviewPageHtml(nonce: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>iadvize-erasure review</title>
<style nonce="${nonce}">${REVIEW_PAGE_STYLE}</style>
</head>
<body>
<header>
  <h1>Held erasure requests</h1>
  <p id="subject" class="muted"></p>
  <div class="toolbar">
    <label>Reviewer <input id="reviewer" type="text" autocomplete="name" maxlength="200" required></label>
    <button id="save" type="button">Save decisions</button>
    <button id="apply" type="button">Apply</button>
  </div>
  <p id="status" role="status" aria-live="polite"></p>
</header>
<main id="requests"></main>
<noscript>This page needs JavaScript.</noscript>
<script nonce="${nonce}">${REVIEW_PAGE_SCRIPT}</script>
</body>
</html>
`;
}
