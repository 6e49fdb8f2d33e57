/** The review page's style: inline under the CSP nonce, no font or image from anywhere. */
export const REVIEW_PAGE_STYLE = `
:root { font-family: system-ui, sans-serif; color: #1b1b1b; background: #f6f6f4; }
body { margin: 0 auto; max-width: 70rem; padding: 1rem 1.5rem 4rem; }
h1 { font-size: 1.5rem; margin: 0.5rem 0; }
h2 { font-size: 1.15rem; margin: 0; }
.muted { color: #5a5a5a; }
.toolbar { display: flex; gap: 0.75rem; align-items: center; flex-wrap: wrap; }
.toolbar input { padding: 0.3rem; min-width: 16rem; }
button { padding: 0.35rem 0.9rem; border: 1px solid #3b4b8a; background: #3b4b8a; color: #fff; border-radius: 4px; cursor: pointer; }
button:disabled { opacity: 0.5; cursor: default; }
#status { min-height: 1.3rem; font-weight: 600; }
#status.error { color: #a40000; }
.request { background: #fff; border: 1px solid #d6d6d0; border-radius: 6px; margin: 1rem 0; padding: 0.75rem 1rem; }
.request.overdue { border-left: 6px solid #a40000; }
.request.due-soon { border-left: 6px solid #c77700; }
.request > summary { cursor: pointer; display: flex; gap: 1rem; align-items: baseline; flex-wrap: wrap; }
.deadline { font-weight: 600; }
.identifiers { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; margin: 0.75rem 0; }
.identifiers dt { color: #5a5a5a; }
.target { border-top: 1px solid #e3e3de; padding: 0.6rem 0; }
.target.held { background: #fffaf0; }
.target-head { display: flex; gap: 0.75rem; flex-wrap: wrap; align-items: baseline; }
.uuid { font-family: ui-monospace, monospace; font-size: 0.85rem; }
.held-reason { background: #c77700; color: #fff; border-radius: 3px; padding: 0 0.4rem; font-size: 0.85rem; }
.evidence { font-size: 0.85rem; color: #3b3b3b; }
.profile { display: grid; grid-template-columns: max-content 1fr; gap: 0.1rem 1rem; margin: 0.4rem 0; }
.profile dt { color: #5a5a5a; }
.profile .conflict { background: #ffe0e0; outline: 2px solid #a40000; font-weight: 600; }
.conflict-label { color: #a40000; font-size: 0.8rem; margin-left: 0.5rem; }
.matches { list-style: none; padding: 0; margin: 0.3rem 0; }
.match blockquote { margin: 0.2rem 0 0.5rem 1rem; padding-left: 0.6rem; border-left: 3px solid #c8c8c0; white-space: pre-wrap; }
mark { background: #ffe45c; }
.decision { border: 1px solid #d6d6d0; border-radius: 4px; margin: 0.4rem 0; padding: 0.3rem 0.6rem; display: flex; gap: 1rem; flex-wrap: wrap; align-items: center; }
.decision .reason { min-width: 20rem; padding: 0.25rem; }
.decided { color: #2d6a2d; font-size: 0.85rem; }
.unread { color: #a40000; }
@media print { .toolbar, .decision, button { display: none; } }
`;
