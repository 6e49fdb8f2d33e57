/**
 * What each request of fixtures/demo-requests.csv shows, by its request id: the fixture account
 * (fixtures/dataset.json) was written so that each meets one case a person meets for real.
 */
export const DEMO_SCENARIOS: Readonly<Record<string, string>> = {
  'DEMO-001': 'an e-mail with a profile in each project: both erased, with their conversations',
  'DEMO-002': "an e-mail also written in an anonymous visitor's chat: that visitor erased too",
  'DEMO-003': 'a conversation id, whose conversation was anonymized before: already done',
  'DEMO-004': 'a phone number written with spaces, read as E.164',
  'DEMO-005': 'nobody has this e-mail: no match',
  'DEMO-006': 'a common word as the search: the over-match guard holds everything it reached',
  'DEMO-007': 'an e-mail without a valid domain: rejected before any call, to fix in the file',
  'DEMO-008': "the admin's visitor number instead of the visitor's UUID: rejected",
  'DEMO-009': 'her profile and second device erased; a namesake and a neighbour who named her held',
};

export function scenarioOf(requestId: string): string {
  return DEMO_SCENARIOS[requestId] ?? 'not described';
}
