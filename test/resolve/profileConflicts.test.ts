import { describe, expect, test } from '@jest/globals';
import { namesAgree, nameWords } from '../../src/resolve/nameWords.js';
import { profileConflicts, profileMatches, type VisitorProfile } from '../../src/resolve/profileConflicts.js';

const ANONYMOUS: VisitorProfile = { email: null, phoneNumber: null, firstName: null, lastName: null };
const profile = (fields: Partial<VisitorProfile>): VisitorProfile => ({ ...ANONYMOUS, ...fields });
const request = (fields: { emails?: string[]; phones?: string[]; searches?: string[] }) => ({ emails: [], phones: [], searches: [], ...fields });

describe('nameWords and namesAgree', () => {
  test('ignores case, accents, hyphens and word order', () => {
    expect([...nameWords('  ZOÉ  Lefranc-Aubry ')]).toEqual(['zoe', 'lefranc', 'aubry']);
    expect(namesAgree(nameWords('Lefranc Zoé'), nameWords('zoe LEFRANC'))).toBe(true);
  });

  test('one word set must hold the other: a part of the name agrees, a different word does not', () => {
    const search = nameWords('Zoé Lefranc');
    expect(namesAgree(nameWords('Zoé'), search)).toBe(true);
    expect(namesAgree(nameWords('Lefranc'), search)).toBe(true);
    expect(namesAgree(nameWords('Zoé Lefranc-Aubry'), search)).toBe(true);
    expect(namesAgree(nameWords('Marie Lefranc'), search)).toBe(false);
    expect(namesAgree(nameWords('Paul Martin'), search)).toBe(false);
  });

  test('an empty name agrees with nothing', () => {
    expect(namesAgree(nameWords(''), nameWords('Zoé'))).toBe(false);
    expect(namesAgree(nameWords('Zoé'), nameWords(' - '))).toBe(false);
  });
});

describe('profileConflicts', () => {
  test('an anonymous profile names nobody', () => {
    expect(profileConflicts(ANONYMOUS, request({ searches: ['Camille Perrin'] }))).toEqual([]);
    expect(profileConflicts(profile({ email: ' ', firstName: '' }), request({}))).toEqual([]);
  });

  test('a namesake: the same name with another e-mail conflicts on the e-mail only', () => {
    const namesake = profile({ firstName: 'Camille', lastName: 'Perrin', email: 'camille.perrin78@example.net' });
    expect(profileConflicts(namesake, request({ emails: ['camille.perrin@example.fr'], searches: ['Camille Perrin'] }))).toEqual(['email']);
  });

  test('a neighbour who names the person: every field of her profile conflicts', () => {
    const neighbour = profile({ firstName: 'Marc', lastName: 'Dubois', email: 'marc.dubois@example.com', phoneNumber: '+33612345678' });
    expect(profileConflicts(neighbour, request({ searches: ['Camille Perrin'] }))).toEqual(['email', 'phoneNumber', 'firstName', 'lastName']);
  });

  test('only the name fields that no search string accounts for are marked', () => {
    expect(profileConflicts(profile({ firstName: 'Marie', lastName: 'Lefranc' }), request({ searches: ['Zoé Lefranc'] }))).toEqual(['firstName']);
  });

  test('names split over two search strings agree with neither: both fields are marked', () => {
    expect(profileConflicts(profile({ firstName: 'Zoé', lastName: 'Lefranc' }), request({ searches: ['Zoé Martin', 'Paul Lefranc'] }))).toEqual([
      'firstName',
      'lastName',
    ]);
  });

  test("the request's own e-mail (any case) and phone (any spelling, with the default country) do not conflict", () => {
    const own = profile({ email: 'Camille.Perrin@Example.FR', phoneNumber: '06 39 98 03 00', firstName: 'Camille' });
    const asked = request({ emails: ['camille.perrin@example.fr'], phones: ['+33639980300'], searches: ['Camille Perrin'] });
    expect(profileConflicts(own, asked, 'FR')).toEqual([]);
  });

  test('a profile phone that cannot be read counts as another person\u2019s', () => {
    expect(profileConflicts(profile({ phoneNumber: '06 39 98 03 00' }), request({ phones: ['+33639980300'] }))).toEqual(['phoneNumber']);
  });

  test('a name with no search string to compare to conflicts: the request gave no name', () => {
    expect(profileConflicts(profile({ firstName: 'Alice' }), request({ emails: ['alice@example.com'] }))).toEqual(['firstName']);
  });
});

describe('profileMatches', () => {
  test('names the request identifiers the profile carries, by position', () => {
    const own = profile({ email: 'B@example.com', phoneNumber: '+33639980300' });
    expect(profileMatches(own, { emails: ['a@example.com', 'b@example.com'], phones: ['+33639980300'] })).toEqual(['email#2', 'phone#1']);
    expect(profileMatches(ANONYMOUS, { emails: ['a@example.com'], phones: [] })).toEqual([]);
  });
});
