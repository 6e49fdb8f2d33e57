/**
 * The review page's script, sent inline under the CSP nonce. Every value from the server goes into
 * the page through textContent and DOM nodes, never innerHTML: a message's text is the person's or
 * an agent's, and must show as text. The secret comes from the page's URL and goes in a header
 * (X-Review-Secret) on every call; the server refuses a POST that carries it only in the URL.
 * Plain ES2020 in a String.raw, so it has no backtick and no dollar-brace of its own.
 */
export const REVIEW_PAGE_SCRIPT = String.raw`
'use strict';
(function () {
  var secret = new URLSearchParams(location.search).get('s') || '';
  var FIELDS = [['firstName', 'First name'], ['lastName', 'Last name'], ['email', 'E-mail'], ['phoneNumber', 'Phone']];
  var LEDGER_STATUS = {
    anonymized: 'the ledger has it anonymized already (for this or another request)',
    already_anonymized: 'the ledger found it anonymized already',
    failed: 'the ledger has its anonymization failed: a re-run retries it',
    planned: 'the ledger has it planned',
  };
  var IDENTIFIERS = [['emails', 'E-mails'], ['phones', 'Phones'], ['searches', 'Searches'], ['conversationIds', 'Conversation ids'], ['visitorIds', 'Visitor ids']];
  var HOLD_REASONS = { conflicting_profile: 'conflicting profile', over_visitor_guard: 'over the visitor guard' };
  var DAY_MS = 24 * 60 * 60 * 1000;
  var requestsBox = document.getElementById('requests');
  var statusLine = document.getElementById('status');
  var reviewerInput = document.getElementById('reviewer');
  var saveButton = document.getElementById('save');
  var applyButton = document.getElementById('apply');
  var held = [];

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      var value = attributes[name];
      if (value === undefined || value === null || value === false) return;
      if (name === 'class') node.className = value;
      else if (name === 'text') node.textContent = String(value);
      else node.setAttribute(name, value === true ? '' : String(value));
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }

  function say(text, isError) {
    statusLine.textContent = text;
    statusLine.className = isError ? 'error' : '';
  }

  function call(method, path, body) {
    var init = { method: method, headers: { 'X-Review-Secret': secret }, cache: 'no-store', credentials: 'omit' };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(path, init).then(function (response) {
      return response.json().then(function (answer) {
        if (!response.ok) throw new Error(answer && answer.error ? answer.error : 'HTTP ' + response.status);
        return answer;
      });
    });
  }

  function day(iso) {
    return iso ? iso.slice(0, 10) : 'unknown';
  }

  function when(iso) {
    return iso ? iso.slice(0, 16).replace('T', ' ') + ' UTC' : 'unknown';
  }

  function urgency(request) {
    if (!request.deadline) return '';
    var left = Date.parse(request.deadline) - Date.now();
    if (left < 0) return 'overdue';
    return left < 7 * DAY_MS ? 'due-soon' : '';
  }

  function evidenceText(evidence) {
    return evidence.map(function (entry) {
      var text = entry.kind.replace(/_/g, ' ');
      if (entry.matched && entry.matched.length) text += ' (' + entry.matched.join(', ') + ')';
      if (entry.via && entry.via.length) text += ' via ' + entry.via.join(', ').replace(/_/g, ' ');
      return text;
    }).join('; ');
  }

  function holdLabel(hold) {
    var text = 'held: ' + (HOLD_REASONS[hold.reason] || hold.reason);
    if (hold.fields && hold.fields.length) text += ' (' + hold.fields.join(', ') + ')';
    if (hold.visitor) text += ' of visitor ' + hold.visitor;
    return el('span', { class: 'held-reason', text: text });
  }

  function targetKey(requestId, target) {
    return requestId + '|' + target.kind + '|' + target.id;
  }

  function decisionControls(request, target) {
    var name = 'decision:' + targetKey(request.requestId, target);
    var reason = el('input', { class: 'reason', type: 'text', maxlength: '1000', placeholder: 'why keep (required for a keep)', 'aria-label': 'reason to keep ' + target.id, disabled: true });
    var radios = ['erase', 'keep'].map(function (choice) {
      var input = el('input', { type: 'radio', name: name, value: choice, 'data-choice': choice });
      input.addEventListener('change', function () {
        reason.disabled = choice !== 'keep';
        reason.required = choice === 'keep';
      });
      return el('label', {}, [input, ' ' + choice]);
    });
    var box = el('fieldset', { class: 'decision', 'data-decision-for': targetKey(request.requestId, target) }, [el('legend', { text: 'Decision' })].concat(radios, [reason]));
    if (target.decision) box.appendChild(el('span', { class: 'decided', text: 'decided before: ' + target.decision.decision + ' by ' + target.decision.decidedBy }));
    return box;
  }

  function profileList(profile, conflicting) {
    var list = el('dl', { class: 'profile' });
    FIELDS.forEach(function (field) {
      var value = profile[field[0]];
      var marked = conflicting.indexOf(field[0]) >= 0;
      list.appendChild(el('dt', { text: field[1] }));
      var cell = el('dd', { class: marked ? 'conflict' : '', 'data-field': field[0] }, [value === null ? el('span', { class: 'muted', text: '(empty)' }) : value]);
      if (marked) cell.appendChild(el('span', { class: 'conflict-label', text: 'names someone else' }));
      list.appendChild(cell);
    });
    return list;
  }

  function highlighted(excerpt) {
    var quote = el('blockquote', {});
    var at = 0;
    if (excerpt.cutBefore) quote.appendChild(document.createTextNode('… '));
    excerpt.ranges.forEach(function (range) {
      quote.appendChild(document.createTextNode(excerpt.text.slice(at, range[0])));
      quote.appendChild(el('mark', { text: excerpt.text.slice(range[0], range[1]) }));
      at = range[1];
    });
    quote.appendChild(document.createTextNode(excerpt.text.slice(at)));
    if (excerpt.cutAfter) quote.appendChild(document.createTextNode(' …'));
    return quote;
  }

  function liveView(target) {
    var box = el('div', { class: 'live' });
    if (target.unread) {
      box.appendChild(el('p', { class: 'unread', text: 'could not be read now: ' + target.unread }));
      return box;
    }
    var conflicting = target.held && target.held.fields ? target.held.fields : [];
    if (target.profile) {
      box.appendChild(el('p', { class: 'muted', text: target.kind === 'visitor' ? 'Profile' : 'Profile of its visitor ' + target.profile.id }));
      box.appendChild(profileList(target.profile, conflicting));
    }
    if (target.conversations) {
      box.appendChild(el('p', { class: 'muted', text: 'Conversations (' + target.conversations.length + (target.moreConversations ? '+' : '') + ')' }));
      box.appendChild(el('ul', {}, target.conversations.map(function (conversation) {
        return el('li', { text: when(conversation.createdAt) + ', project ' + conversation.projectId + ', ' + conversation.id });
      })));
    }
    if (target.conversation) {
      var conversation = target.conversation;
      box.appendChild(el('p', { class: 'conversation-facts', text: 'Started ' + when(conversation.createdAt) + ', project ' + conversation.projectId + '; ' + conversation.messagesRead + (conversation.moreMessages ? '+' : '') + ' messages read' }));
      if (conversation.matches.length === 0) box.appendChild(el('p', { class: 'muted', text: 'No message matches the request now.' }));
      box.appendChild(el('ul', { class: 'matches' }, conversation.matches.map(function (match) {
        return el('li', { class: 'match' }, [el('span', { class: 'muted', text: when(match.createdAt) + ', ' + match.author }), highlighted(match)]);
      })));
    }
    return box;
  }

  function targetRow(request, target) {
    var row = el('div', { class: 'target' + (target.held ? ' held' : ''), 'data-target-id': target.id, 'data-kind': target.kind }, [
      el('div', { class: 'target-head' }, [
        el('strong', { text: target.kind }),
        el('span', { class: 'uuid', text: target.id }),
        target.held ? holdLabel(target.held) : el('span', { class: 'muted', text: 'not held (erased, or to be)' }),
        target.ledgerStatus ? el('span', { class: 'muted ledger-status', text: LEDGER_STATUS[target.ledgerStatus] || target.ledgerStatus }) : null,
      ]),
      el('div', { class: 'evidence', text: 'evidence: ' + evidenceText(target.evidence) }),
    ]);
    if (target.visitor) row.appendChild(el('div', { class: 'muted', text: 'visitor ' + target.visitor }));
    if (target.held) row.appendChild(decisionControls(request, target));
    row.appendChild(el('div', { class: 'live' }));
    return row;
  }

  function identifiersList(identifiers) {
    if (identifiers.problem) return el('p', { class: 'unread', text: 'identifiers not shown: ' + identifiers.problem });
    var list = el('dl', { class: 'identifiers' });
    IDENTIFIERS.forEach(function (entry) {
      var values = identifiers[entry[0]] || [];
      if (values.length === 0) return;
      list.appendChild(el('dt', { text: entry[1] }));
      list.appendChild(el('dd', { text: values.join(', ') }));
    });
    return list;
  }

  function openRequest(request, section, body) {
    if (section.getAttribute('data-loaded')) return;
    section.setAttribute('data-loaded', 'loading');
    say('Reading ' + request.requestId + ' from the API…');
    call('GET', '/api/requests/' + encodeURIComponent(request.requestId)).then(function (details) {
      body.insertBefore(identifiersList(details.identifiers), body.firstChild);
      details.targets.forEach(function (target) {
        var row = body.querySelector('[data-target-id="' + CSS.escape(target.id) + '"][data-kind="' + target.kind + '"]');
        if (!row) return;
        row.replaceChild(liveView(target), row.querySelector('.live'));
      });
      section.setAttribute('data-loaded', 'done');
      say('Read ' + request.requestId + ' live: ' + details.targets.length + ' targets.');
    }).catch(function (error) {
      section.removeAttribute('data-loaded');
      say(request.requestId + ': ' + error.message, true);
    });
  }

  function requestSection(request) {
    var heldCount = request.targets.filter(function (target) { return target.held; }).length;
    var section = el('details', { class: 'request ' + urgency(request), 'data-request-id': request.requestId });
    var body = el('div', { class: 'request-body' });
    section.appendChild(el('summary', {}, [
      el('h2', { text: request.requestId }),
      el('span', { class: 'deadline', text: request.deadline ? 'deadline ' + day(request.deadline) : 'deadline unknown' }),
      el('span', { class: 'muted', text: heldCount + ' held of ' + request.targets.length + ' targets; line ' + request.source.line + ' of ' + request.source.file }),
    ]));
    if (request.reason) body.appendChild(el('p', { class: 'reason-text', text: request.reason }));
    if (request.inputProblem) body.appendChild(el('p', { class: 'unread', text: 'input file: ' + request.inputProblem }));
    // the held targets first: they are what the reviewer decides on
    var ordered = request.targets.filter(function (target) { return target.held; }).concat(request.targets.filter(function (target) { return !target.held; }));
    ordered.forEach(function (target) { body.appendChild(targetRow(request, target)); });
    section.appendChild(body);
    section.addEventListener('toggle', function () { if (section.open) openRequest(request, section, body); });
    return section;
  }

  function render(list) {
    held = list.requests;
    document.getElementById('subject').textContent = list.subject.kind + ' ' + list.subject.file;
    requestsBox.replaceChildren.apply(requestsBox, held.map(requestSection));
    if (held.length === 0) requestsBox.appendChild(el('p', { text: 'No request needs a decision.' }));
  }

  function load() {
    return call('GET', '/api/requests').then(render);
  }

  function collectDecisions() {
    var problems = [];
    var requests = [];
    held.forEach(function (request) {
      var decided = [];
      var undecided = 0;
      request.targets.filter(function (target) { return target.held; }).forEach(function (target) {
        var box = requestsBox.querySelector('[data-decision-for="' + CSS.escape(targetKey(request.requestId, target)) + '"]');
        var chosen = box && box.querySelector('input[type=radio]:checked');
        if (!chosen) { undecided += 1; return; }
        var reason = box.querySelector('.reason').value.trim();
        if (chosen.value === 'keep' && reason === '') problems.push(request.requestId + ': a keep needs a reason (' + target.id + ')');
        decided.push({ kind: target.kind, id: target.id, decision: chosen.value, reason: chosen.value === 'keep' ? reason : undefined });
      });
      if (decided.length === 0) return;
      if (undecided > 0) problems.push(request.requestId + ': ' + undecided + ' held targets have no decision');
      requests.push({ requestId: request.requestId, targets: decided });
    });
    if (requests.length === 0) problems.push('nothing decided yet');
    return { problems: problems, requests: requests };
  }

  saveButton.addEventListener('click', function () {
    var reviewer = reviewerInput.value.trim();
    var collected = collectDecisions();
    if (reviewer === '') collected.problems.unshift('enter the reviewer\'s name');
    if (collected.problems.length) return say(collected.problems.join('; '), true);
    saveButton.disabled = true;
    call('POST', '/api/decisions', { reviewer: reviewer, requests: collected.requests }).then(function (saved) {
      say('Saved decisions for ' + saved.requests + ' requests to ' + saved.file + '.');
    }).catch(function (error) {
      say('Not saved: ' + error.message, true);
    }).then(function () { saveButton.disabled = false; });
  });

  applyButton.addEventListener('click', function () {
    applyButton.disabled = true;
    say('Applying the saved decisions…');
    call('POST', '/api/apply', {}).then(function (result) {
      var counts = Object.keys(result.requests).map(function (status) { return status + ': ' + result.requests[status]; }).join(', ');
      var summary = 'Applied: exit code ' + result.exitCode + (counts ? '; ' + counts : '') + '; still held: ' + result.stillHeld + '.';
      return load().then(function () { say(summary); });
    }).catch(function (error) {
      say('Not applied: ' + error.message, true);
    }).then(function () { applyButton.disabled = false; });
  });

  load().then(function () {
    say(held.length + (held.length === 1 ? ' request needs' : ' requests need') + ' a decision, most urgent first.');
  }).catch(function (error) { say(error.message, true); });
})();
`;
