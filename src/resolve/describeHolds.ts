import type { HeldCounts } from '../ledger/ledgerEvents.js';
import type { JudgedTarget, ProfileField, Resolution } from './evidence.js';

/** Held targets as counts per kind and reason, for the request event, the report and the summary. */
export function heldCounts(targets: readonly JudgedTarget[]): HeldCounts | undefined {
  const held = targets.filter((target) => target.held !== undefined);
  if (held.length === 0) return undefined;
  const counts: HeldCounts = { conversations: 0, visitors: 0, reasons: {} };
  for (const target of held) {
    if (target.kind === 'conversation') counts.conversations += 1;
    else counts.visitors += 1;
    const reason = target.held!.reason;
    counts.reasons[reason] = (counts.reasons[reason] ?? 0) + 1;
  }
  return counts;
}

/**
 * Why part of a request waits for a person, in words for the report, without any value:
 * "reached 7 visitors (limit 5) and 12 conversations; held for review: 6 visitors and 10
 * conversations reached through message text only" or "held for review: 1 visitor whose profile
 * names someone else (email, firstName) and 2 conversations of it". Undefined when nothing is held.
 */
export function describeHolds(resolution: Resolution): string | undefined {
  const byReason = (reason: string) => resolution.targets.filter((target) => target.held?.reason === reason);
  const held: string[] = [];
  const guarded = byReason('over_visitor_guard');
  if (guarded.length > 0) held.push(`${kinds(guarded)} reached through message text only`);
  const conflicting = byReason('conflicting_profile');
  const profiles = conflicting.filter((target) => target.kind === 'visitor');
  if (profiles.length > 0) {
    const fields = [...new Set(profiles.flatMap((target) => target.held?.fields ?? []))].sort(byFieldOrder);
    const conversations = conflicting.length - profiles.length;
    const whose = profiles.length === 1 ? 'visitor whose profile names' : 'visitors whose profiles name';
    const of = profiles.length === 1 ? 'it' : 'them';
    held.push(
      `${profiles.length} ${whose} someone else (${fields.join(', ')})${conversations > 0 ? ` and ${plural(conversations, 'conversation')} of ${of}` : ''}`,
    );
  }
  if (held.length === 0) return undefined;
  const { guard } = resolution;
  const conversationsReached = resolution.targets.filter((target) => target.kind === 'conversation').length;
  const reach =
    guard !== undefined && guarded.length > 0 ? `reached ${guard.visitors} visitors (limit ${guard.limit}) and ${conversationsReached} conversations; ` : '';
  return `${reach}held for review: ${held.join('; ')}`;
}

const FIELD_ORDER: readonly ProfileField[] = ['email', 'phoneNumber', 'firstName', 'lastName'];

function byFieldOrder(a: ProfileField, b: ProfileField): number {
  return FIELD_ORDER.indexOf(a) - FIELD_ORDER.indexOf(b);
}

function kinds(targets: readonly JudgedTarget[]): string {
  const visitors = targets.filter((target) => target.kind === 'visitor').length;
  const conversations = targets.length - visitors;
  return [visitors > 0 ? plural(visitors, 'visitor') : '', conversations > 0 ? plural(conversations, 'conversation') : ''].filter(Boolean).join(' and ');
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
