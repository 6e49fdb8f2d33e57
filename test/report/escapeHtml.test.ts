import { describe, expect, test } from '@jest/globals';
import { escapeHtml } from '../../src/report/escapeHtml.js';

describe('escapeHtml', () => {
  test('turns every character that could open markup or leave a quoted attribute into an entity', () => {
    expect(escapeHtml(`<script>alert("x")</script>`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(escapeHtml(`' onmouseover='x`)).toBe('&#39; onmouseover=&#39;x');
    expect(escapeHtml('R&D <b>')).toBe('R&amp;D &lt;b&gt;');
  });

  test('escapes an entity already written, so text shows as written and is never decoded into markup', () => {
    expect(escapeHtml('&lt;script&gt;')).toBe('&amp;lt;script&amp;gt;');
  });

  test('leaves other text as it is, accents, newlines and all', () => {
    expect(escapeHtml('Zoé — namesake, kept\nsee ticket 12')).toBe('Zoé — namesake, kept\nsee ticket 12');
    expect(escapeHtml('')).toBe('');
  });
});
