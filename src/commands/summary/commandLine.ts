const PROGRAM_NAME = 'iadvize-erasure';
/** Flags whose value may carry a secret: a webhook URL often holds its token in the path or query. */
const HIDDEN_VALUES: Record<string, string> = { '--webhook': '<webhook-url>' };
/** URLs whose user and password, if given, are left out. */
const URL_FLAGS = new Set(['--endpoint']);
const SAFE_WORD = /^[\w@%+=:,./-]+$/;

/**
 * The command line this process was started with, as a person would type it again: the program's
 * name, each argument quoted for a POSIX shell, and no secret (those come from the environment
 * anyway; a webhook URL and an endpoint's password are replaced).
 */
export function commandLineOf(argv: readonly string[] = process.argv.slice(2)): string {
  const words: string[] = [];
  let hideNext: string | undefined;
  let urlNext = false;
  for (const arg of argv) {
    if (hideNext !== undefined) {
      words.push(hideNext);
      hideNext = undefined;
      continue;
    }
    if (urlNext) {
      words.push(quoteForShell(withoutPassword(arg)));
      urlNext = false;
      continue;
    }
    const [flag, value] = splitInline(arg);
    if (flag in HIDDEN_VALUES) {
      if (value === undefined) hideNext = HIDDEN_VALUES[flag];
      words.push(value === undefined ? flag : `${flag}=${HIDDEN_VALUES[flag]}`);
      continue;
    }
    if (URL_FLAGS.has(flag)) {
      if (value === undefined) urlNext = true;
      words.push(value === undefined ? flag : quoteForShell(`${flag}=${withoutPassword(value)}`));
      continue;
    }
    words.push(quoteForShell(arg));
  }
  return [PROGRAM_NAME, ...words].join(' ');
}

/** `iadvize-erasure <words>`, each word quoted as needed. */
export function commandOf(...words: string[]): string {
  return [PROGRAM_NAME, ...words.map(quoteForShell)].join(' ');
}

/** A shell command other than ours (`mv a b`), each word quoted as needed. */
export function shellCommandOf(program: string, ...words: string[]): string {
  return [program, ...words.map(quoteForShell)].join(' ');
}

export function quoteForShell(word: string): string {
  if (SAFE_WORD.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

function splitInline(arg: string): [string, string | undefined] {
  if (!arg.startsWith('--')) return [arg, undefined];
  const at = arg.indexOf('=');
  return at < 0 ? [arg, undefined] : [arg.slice(0, at), arg.slice(at + 1)];
}

function withoutPassword(text: string): string {
  try {
    const url = new URL(text);
    if (url.username === '' && url.password === '') return text;
    url.username = '';
    url.password = '';
    return url.href;
  } catch {
    return text;
  }
}
