import { describe, expect, test } from '@jest/globals';
import { isInteractive, logFormatOf } from '../../src/logging/logFormat.js';

const terminal = { isTTY: true };
const file = { isTTY: false };

describe('logFormatOf and isInteractive', () => {
  test('on a terminal: lines for a person and the progress; elsewhere: JSON and no progress', () => {
    expect([logFormatOf({}, terminal), isInteractive({}, terminal)]).toEqual(['pretty', true]);
    expect([logFormatOf({}, file), isInteractive({}, file)]).toEqual(['json', false]);
    expect([logFormatOf({}, {}), isInteractive({}, {})]).toEqual(['json', false]);
  });

  test('LOG_FORMAT=json on a terminal: JSON, and no progress between the lines', () => {
    expect([logFormatOf({ LOG_FORMAT: 'json' }, terminal), isInteractive({ LOG_FORMAT: 'JSON' }, terminal)]).toEqual(['json', false]);
  });

  test('LOG_FORMAT=pretty off a terminal: lines for a person, still no progress; another value is as if unset', () => {
    expect([logFormatOf({ LOG_FORMAT: 'pretty' }, file), isInteractive({ LOG_FORMAT: 'pretty' }, file)]).toEqual(['pretty', false]);
    expect([logFormatOf({ LOG_FORMAT: 'yaml' }, file), logFormatOf({ LOG_FORMAT: 'yaml' }, terminal)]).toEqual(['json', 'pretty']);
  });
});
