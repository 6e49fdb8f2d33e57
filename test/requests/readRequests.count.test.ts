import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readRequests } from '../../src/requests/readRequests.js';
import { createTempDirectory, writeRequestFile } from './requestFiles.js';

let directory: Awaited<ReturnType<typeof createTempDirectory>>;
beforeAll(async () => {
  directory = await createTempDirectory();
});
afterAll(async () => {
  await directory.remove();
});

/** The count pass 1 gives, the outcomes pass 2 gives, and how many outcomes were already out when the count came. */
async function countAndRead(file: string): Promise<{ counted: number[]; outcomes: number; outcomesBeforeCount: number }> {
  const counted: number[] = [];
  let outcomes = 0;
  let outcomesBeforeCount = -1;
  for await (const _ of readRequests(file, {
    onCounted: (requests) => {
      counted.push(requests);
      outcomesBeforeCount = outcomes;
    },
  }))
    outcomes++;
  return { counted, outcomes, outcomesBeforeCount };
}

describe('the count of a file’s requests, from pass 1', () => {
  test('rows sharing a request_id count once, rows without one and rejected rows once each, a row of empty cells not at all; told once, before any request', async () => {
    const file = await writeRequestFile(
      directory.path('mixed.csv'),
      [
        'request_id,email,search',
        'A,a1@example.com,',
        'B,b@example.com,',
        'A,a2@example.com,',
        ',no-id@example.com,',
        'C,not-an-email,',
        'A,,Jean Dupont',
        ',,',
        'D,d@example.com,',
      ].join('\n') + '\n',
    );

    const { counted, outcomes, outcomesBeforeCount } = await countAndRead(file);

    expect(counted).toEqual([outcomes]);
    expect(outcomes).toBe(5);
    expect(outcomesBeforeCount).toBe(0);
  });

  test('NDJSON and a header-only CSV: the count is what pass 2 gives', async () => {
    const ndjson = await writeRequestFile(
      directory.path('r.ndjson'),
      ['{"request_id":"X","email":"x@example.com"}', '{"request_id":"X","phone":"+33639980101"}', '{"email":"y@example.com"}'].join('\n') + '\n',
    );
    const headerOnly = await writeRequestFile(directory.path('empty.csv'), 'request_id,email\n');

    expect(await countAndRead(ndjson)).toMatchObject({ counted: [2], outcomes: 2 });
    expect(await countAndRead(headerOnly)).toMatchObject({ counted: [0], outcomes: 0 });
  });
});
