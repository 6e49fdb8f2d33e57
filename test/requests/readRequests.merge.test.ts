import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { ReadOutcome } from '../../src/requests/personRequest.js';
import { seededRandom } from '../helpers/seededRandom.js';
import { createTempDirectory, readAll, rejected, request, writeRequestFile } from './requestFiles.js';

let directory: Awaited<ReturnType<typeof createTempDirectory>>;
beforeAll(async () => {
  directory = await createTempDirectory();
});
afterAll(async () => {
  await directory.remove();
});

describe('merging rows by request_id', () => {
  test('rows sharing a request_id far apart merge into one request, yielded when its last row is read', async () => {
    const lines = ['request_id;email;search'];
    lines.push('FAR;first@example.com;');
    for (let index = 0; index < 50; index++) lines.push(`NEAR-${index};near${index}@example.com;`);
    lines.push('FAR;;Jean Dupont');
    lines.push('AFTER;after@example.com;');
    const file = await writeRequestFile(directory.path('far-apart.csv'), `${lines.join('\n')}\n`);

    const outcomes = await readAll(file);

    expect(outcomes).toHaveLength(52);
    expect(outcomes.slice(0, 50).map(requestIdOf)).toEqual(Array.from({ length: 50 }, (_, index) => `NEAR-${index}`));
    expect(outcomes[50]).toEqual(request('FAR', file, 2, { emails: ['first@example.com'], searches: ['Jean Dupont'] }));
    expect(outcomes[51]).toEqual(request('AFTER', file, 54, { emails: ['after@example.com'] }));
  });

  test('merged identifiers are deduplicated, in first-seen order; receivedAt is the earliest; source is the first row', async () => {
    const file = await writeRequestFile(
      directory.path('dedupe.csv'),
      'ticket,email,phone,received_at\n' +
        'D,b@example.com,+33 6 39 98 01 01,2024-03-05\n' +
        'D,A@example.com,0639980101,2024-03-01T23:00:00-02:00\n' +
        'D,a@example.com,+33639980101,2024-03-04\n',
    );

    expect(await readAll(file, { defaultCountry: 'FR' })).toEqual([
      request('D', file, 2, {
        emails: ['b@example.com', 'a@example.com'],
        phones: ['+33639980101'],
        receivedAt: '2024-03-02T01:00:00.000Z',
      }),
    ]);
  });

  test('a bad row rejects its whole merged request, listing every bad row with its line', async () => {
    const file = await writeRequestFile(
      directory.path('bad-row.csv'),
      'request_id,email,conversation_id\n' +
        'M,good@example.com,\n' +
        'OTHER,other@example.com,\n' +
        'M,,not-a-uuid\n' +
        'M,also-good@example.com,\n' +
        'M,bad@,\n',
    );

    expect(await readAll(file)).toEqual([
      request('OTHER', file, 3, { emails: ['other@example.com'] }),
      rejected('M', file, 2, [
        { line: 4, reason: 'conversation_id is not a UUID' },
        { line: 6, reason: 'email is not a valid e-mail address' },
      ]),
    ]);
  });

  test('a row without request_id is its own request, with an id from the file name and its line', async () => {
    const file = await writeRequestFile(directory.path('derived.csv'), 'request_id,email\n,a@example.com\n  ,b@example.com\nR,c@example.com\n,a@example.com\n');

    expect(await readAll(file)).toEqual([
      request('derived.csv:L2', file, 2, { emails: ['a@example.com'] }),
      request('derived.csv:L3', file, 3, { emails: ['b@example.com'] }),
      request('R', file, 4, { emails: ['c@example.com'] }),
      request('derived.csv:L5', file, 5, { emails: ['a@example.com'] }),
    ]);
  });

  test('request_ids are compared after trimming, and case matters', async () => {
    const file = await writeRequestFile(directory.path('id-case.csv'), 'request_id,email\n T1 ,a@example.com\nt1,b@example.com\nT1,c@example.com\n');

    expect(await readAll(file)).toEqual([
      request('t1', file, 3, { emails: ['b@example.com'] }),
      request('T1', file, 2, { emails: ['a@example.com', 'c@example.com'] }),
    ]);
  });

  test('20 000 generated rows sharing ids at random distances: each request is yielded exactly once, merged right, when its last row is read', async () => {
    const random = seededRandom(20240531);
    const expected = new Map<string, ReadOutcome>();
    const lastLines = new Map<string, number>();
    const lines = ['request_id,email,search'];
    const file = directory.path('generated.csv');
    for (let line = 2; line < 20_002; line++) {
      const shared = random() < 0.8;
      const requestId = shared ? `REQ-${Math.floor(random() * 4000)}` : '';
      const bad = random() < 0.01;
      const email = bad ? `broken${line}@` : `person${line % 997}@example.com`;
      const search = random() < 0.3 ? `search ${line % 101}` : '';
      lines.push(`${requestId},${email},${search}`);

      const id = requestId || `generated.csv:L${line}`;
      lastLines.set(id, line);
      const outcome = expected.get(id) ?? request(id, file, line);
      if (bad) {
        const problems = outcome.kind === 'rejected' ? outcome.rejected.problems : [];
        expected.set(id, rejected(id, file, sourceLineOf(outcome), [...problems, { line, reason: 'email is not a valid e-mail address' }]));
      } else if (outcome.kind === 'request') {
        const { emails, searches } = outcome.request;
        if (!emails.includes(email)) emails.push(email);
        if (search !== '' && !searches.includes(search)) searches.push(search);
        expected.set(id, outcome);
      } else {
        expected.set(id, outcome);
      }
    }
    await writeRequestFile(file, `${lines.join('\n')}\n`);

    const outcomes = await readAll(file);

    const ids = outcomes.map(requestIdOf);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Map(outcomes.map((outcome) => [requestIdOf(outcome), outcome]))).toEqual(expected);
    // yielded as they complete: in the order of their last rows
    expect(ids).toEqual([...lastLines.entries()].sort((a, b) => a[1] - b[1]).map(([id]) => id));
  });
});

function requestIdOf(outcome: ReadOutcome | undefined): string {
  if (outcome === undefined) return '';
  return outcome.kind === 'request' ? outcome.request.requestId : outcome.rejected.requestId;
}

function sourceLineOf(outcome: ReadOutcome): number {
  return outcome.kind === 'request' ? outcome.request.source.line : outcome.rejected.source.line;
}
