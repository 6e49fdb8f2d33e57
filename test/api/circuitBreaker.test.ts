import { describe, expect, test } from '@jest/globals';
import { CircuitBreaker } from '../../src/api/circuitBreaker.js';

function feed(breaker: CircuitBreaker, failures: number, successes: number): void {
  for (let i = 0; i < failures; i += 1) breaker.record('failure');
  for (let i = 0; i < successes; i += 1) breaker.record('success');
}

describe('CircuitBreaker', () => {
  test('opens at 11 failures of the last 20', () => {
    const breaker = new CircuitBreaker();
    feed(breaker, 11, 9);
    expect(breaker.isOpen).toBe(true);
    expect(breaker.reason).toBe('11 of the last 20 calls failed after retries');
  });

  test('stays closed at exactly 10 failures of 20: more than half is needed', () => {
    const breaker = new CircuitBreaker();
    feed(breaker, 10, 10);
    expect(breaker.isOpen).toBe(false);
    expect(breaker.reason).toBe('');
  });

  test('does not open before 20 calls were recorded, even if all of them failed', () => {
    const breaker = new CircuitBreaker();
    feed(breaker, 19, 0);
    expect(breaker.isOpen).toBe(false);
    breaker.record('failure');
    expect(breaker.isOpen).toBe(true);
    expect(breaker.reason).toBe('20 of the last 20 calls failed after retries');
  });

  test('opens on the call that makes 11 of the last 20, wherever the failures sit', () => {
    const breaker = new CircuitBreaker();
    feed(breaker, 0, 9);
    for (let i = 0; i < 10; i += 1) breaker.record('failure');
    breaker.record('success');
    expect(breaker.isOpen).toBe(false);
    breaker.record('failure');
    expect(breaker.isOpen).toBe(true);
    expect(breaker.reason).toBe('11 of the last 20 calls failed after retries');
  });

  test('only the last 20 calls count: old failures slide out of the window', () => {
    const breaker = new CircuitBreaker();
    feed(breaker, 10, 10);
    feed(breaker, 0, 10);
    feed(breaker, 10, 0);
    expect(breaker.isOpen).toBe(false);
    breaker.record('failure');
    expect(breaker.isOpen).toBe(true);
  });

  test('stays open once opened: a run stops, it does not half-open', () => {
    const breaker = new CircuitBreaker();
    feed(breaker, 11, 9);
    feed(breaker, 0, 100);
    expect(breaker.isOpen).toBe(true);
    expect(breaker.reason).toBe('11 of the last 20 calls failed after retries');
  });

  test('a custom window and ratio', () => {
    const breaker = new CircuitBreaker({ window: 5, failureRatio: 0.2 });
    feed(breaker, 0, 4);
    breaker.record('failure');
    expect(breaker.isOpen).toBe(false);
    breaker.record('failure');
    expect(breaker.isOpen).toBe(true);
    expect(breaker.reason).toBe('2 of the last 5 calls failed after retries');
  });

  test('refuses a window or ratio that could never work', () => {
    expect(() => new CircuitBreaker({ window: 0 })).toThrow(RangeError);
    expect(() => new CircuitBreaker({ window: 2.5 })).toThrow(RangeError);
    expect(() => new CircuitBreaker({ failureRatio: 1 })).toThrow(RangeError);
    expect(() => new CircuitBreaker({ failureRatio: -0.1 })).toThrow(RangeError);
  });
});
