import type { ProgressView } from './progressMeter.js';

const SEPARATOR = ' | ';
const COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/**
 * The progress line's text, at most `columns - 1` characters (the last column is left for the
 * cursor, so the terminal never wraps the line). What does not fit is left out, least useful first:
 * the rate, the targets, then the ETA; the request count is cut if it alone does not fit.
 * `final`: the run's end, with its duration in place of the ETA. ASCII only: one character, one column.
 */
export function progressText(view: ProgressView, columns: number, final = false): string {
  const { requestsResolved: resolved, requestsTotal: total } = view;
  const requests =
    total === undefined
      ? `${COUNT.format(resolved)} requests`
      : `${COUNT.format(resolved)}/${COUNT.format(total)} requests${total > 0 ? ` ${Math.floor((resolved * 100) / total)}%` : ''}`;
  const parts: { text: string; dropRank: number }[] = [
    { text: requests, dropRank: Number.POSITIVE_INFINITY },
    { text: `${COUNT.format(view.targetsDone)}/${COUNT.format(view.targetsFound)} targets done`, dropRank: 2 },
  ];
  if (view.requestsPerSecond !== undefined) parts.push({ text: `${rateText(view.requestsPerSecond)} req/s`, dropRank: 1 });
  if (final) parts.push({ text: `in ${durationText(Math.round(view.elapsedMs / 1000))}`, dropRank: 3 });
  else if (view.etaSeconds !== undefined) parts.push({ text: `ETA ${durationText(view.etaSeconds)}`, dropRank: 3 });

  const width = Math.max(1, columns - 1);
  let kept = parts;
  let text = kept.map((part) => part.text).join(SEPARATOR);
  while (text.length > width && kept.length > 1) {
    const dropped = kept.reduce((lowest, part) => (part.dropRank < lowest.dropRank ? part : lowest));
    kept = kept.filter((part) => part !== dropped);
    text = kept.map((part) => part.text).join(SEPARATOR);
  }
  return text.slice(0, width);
}

function rateText(perSecond: number): string {
  return perSecond >= 100 ? COUNT.format(perSecond) : perSecond.toFixed(1);
}

/** 45s, 3m05s, 2h07m. */
export function durationText(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
