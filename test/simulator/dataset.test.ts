import { describe, expect, test } from '@jest/globals';
import { checkDataset, loadDataset, type Dataset } from '../../src/simulator/dataset.js';
import { generatedEmail, generatedPhone, generateDataset } from '../../src/simulator/generateDataset.js';
import { normalizePhone } from '../../src/requests/normalizePhone.js';

function withConversation(dataset: Dataset, changes: Partial<Dataset['conversations'][number]>): Dataset {
  const [first, ...rest] = dataset.conversations;
  return { ...dataset, conversations: [{ ...first!, ...changes }, ...rest] };
}

describe('checkDataset', () => {
  test('accepts the fixture account and a generated one', async () => {
    expect(() => checkDataset(generateDataset({ visitors: 3, conversationsPerVisitor: 2 }))).not.toThrow();
    await expect(loadDataset()).resolves.toMatchObject({ projects: [{ id: 6949 }, { id: 7012 }] });
  });

  test('refuses ids no server could hold, dangling references and ambiguous dates, naming each', async () => {
    const fixture = await loadDataset();
    const cases: [Dataset, string][] = [
      [withConversation(fixture, { id: '711944bd-cb87-49a7-91b0-c2c3a2668f5g' }), 'id is not a UUID'],
      [withConversation(fixture, { visitorId: '00000000-0000-4000-8000-000000000000' }), 'unknown visitor'],
      [withConversation(fixture, { projectId: 1 }), 'unknown project 1'],
      [withConversation(fixture, { createdAt: '2024-01-01T00:00:00Z', daysAgo: 3 }), 'exactly one of createdAt and daysAgo'],
    ];
    for (const [dataset, reason] of cases) {
      expect(() => checkDataset(dataset)).toThrow(reason);
    }
  });

  test('refuses a file that is not a dataset at all with a clear message', () => {
    expect(() => checkDataset({} as Dataset)).toThrow('no array users, projects, visitors, conversations');
  });

  test('generated profiles are realistic: most anonymous, the filled ones with a name, their e-mail and a valid phone', () => {
    const dataset = generateDataset({ seed: 3, visitors: 30, conversationsPerVisitor: 1 });

    const filled = dataset.visitors.filter((visitor) => visitor.email !== undefined);
    expect(filled).toHaveLength(10);
    for (const visitor of dataset.visitors.filter((v) => v.email === undefined)) {
      expect([visitor.firstName, visitor.lastName, visitor.phoneNumber]).toEqual([undefined, undefined, undefined]);
    }
    for (const visitor of filled) {
      const n = dataset.visitors.indexOf(visitor);
      expect(visitor).toMatchObject({ email: generatedEmail(n), phoneNumber: generatedPhone(n), firstName: expect.any(String), lastName: expect.any(String) });
      expect(normalizePhone(visitor.phoneNumber!)).toEqual({ e164: visitor.phoneNumber });
    }
    // every person says their e-mail in their first chat, so an anonymous one is findable too
    dataset.visitors.forEach((visitor, n) => {
      expect(dataset.conversations.find((c) => c.visitorId === visitor.id)?.messages[0]?.text).toContain(generatedEmail(n));
    });
  });

  test('the generator is deterministic for a seed', () => {
    const a = generateDataset({ seed: 3, visitors: 5, conversationsPerVisitor: 2 });
    const b = generateDataset({ seed: 3, visitors: 5, conversationsPerVisitor: 2 });
    const c = generateDataset({ seed: 4, visitors: 5, conversationsPerVisitor: 2 });

    expect(a).toEqual(b);
    expect(c.visitors[0]?.id).not.toBe(a.visitors[0]?.id);
  });
});
