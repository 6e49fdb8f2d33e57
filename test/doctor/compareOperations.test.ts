import { describe, expect, test } from '@jest/globals';
import { buildSchema } from 'graphql';
import { assumedCoordinates } from '../../src/doctor/assumedCoordinates.js';
import { compareOperations } from '../../src/doctor/compareOperations.js';
import { readOperations, readOurSchema } from '../../src/doctor/graphqlFiles.js';

/** graphql/operations against a schema that differs from graphql/schema.graphql, as `doctor` compares them. */

async function differencesWith(edit: (schema: string) => string) {
  const ours = await readOurSchema();
  const theirs = edit(ours.text);
  expect(theirs).not.toBe(ours.text);
  return compareOperations(buildSchema(theirs), buildSchema(ours.text), await readOperations(), assumedCoordinates(ours.text));
}

describe('assumedCoordinates', () => {
  test('reads the "# ASSUMED" comment right above a field or argument, and a type\'s for its fields', async () => {
    const assumed = assumedCoordinates((await readOurSchema()).text);

    expect(assumed).toContain('Conversation.projectId');
    expect(assumed).toContain('Query.visitors(phoneNumber:)');
    expect(assumed).toContain('Query.closedConversations(first:)');
    expect(assumed).toContain('ClosedConversationConnection.edges');
    expect(assumed).not.toContain('Query.closedConversations(interval:)');
    expect(assumed).not.toContain('Query.visitors(email:)');
    expect(assumed).not.toContain('Conversation.id');
  });
});

describe('compareOperations', () => {
  test('our own schema: no difference', async () => {
    const ours = await readOurSchema();
    expect(compareOperations(buildSchema(ours.text), buildSchema(ours.text), await readOperations(), assumedCoordinates(ours.text))).toEqual([]);
  });

  test('an assumed field, an assumed argument and a confirmed argument renamed: each named, the assumed ones first', async () => {
    const differences = await differencesWith((schema) =>
      schema
        .replace('\n    interval: Interval!\n', '\n    period: Interval!\n')
        .replace(/\n {2}projectId: Int!\n/, '\n  project: Int!\n')
        .replace('\n    phoneNumber: String\n', '\n    phone: String\n'),
    );

    expect(differences.map(({ coordinate, assumed }) => [coordinate, assumed])).toEqual([
      ['Conversation.projectId', true],
      ['Query.visitors(phoneNumber:)', true],
      ['Query.closedConversations', false],
      ['Query.closedConversations(interval:)', false],
    ]);
    expect(differences[0]).toMatchObject({ message: 'Cannot query field "projectId" on type "Conversation". Did you mean "project"?' });
    expect(differences[1]?.where).toContain('Visitors.graphql:4');
  });

  test('a type renamed: the fragments on it name the type', async () => {
    const differences = await differencesWith((schema) => schema.replace(/\bVisitorConnection\b/g, 'VisitorPage'));

    expect(differences.map((difference) => difference.coordinate)).toContain('VisitorConnection');
  });
});
