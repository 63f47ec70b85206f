/**
 * MATCHES patterns run on RE2 (re2js, pure JavaScript): matching takes time linear in the
 * text, whatever the pattern, so a tenant's `^(a+)+$` cannot stall the API or the worker as a
 * backtracking engine would. RE2 has no lookaround and no backreferences (the features that
 * need backtracking); a pattern that uses them is refused at validation with RE2's message.
 */
import { RE2JS } from 're2js';

/** Characters in a pattern. */
export const MAX_PATTERN_LENGTH = 300;
/**
 * Instructions of the compiled program: matching costs up to text length × program size, so
 * counted repetitions (`[a-z]{1,1000}`) are bounded too.
 */
export const MAX_PATTERN_PROGRAM = 1_000;

export interface Pattern {
  /** Whether the pattern matches somewhere in `text`, ignoring case. */
  test(text: string): boolean;
}

export class PatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PatternError';
  }
}

/** Compiled patterns by source: validation and compilation of a model compile each once. */
const compiledPatterns = new Map<string, Pattern>();
const MAX_CACHED_PATTERNS = 1_000;

/** The one way patterns are compiled, so validation accepts exactly what evaluation can run. */
export function compilePattern(source: string): Pattern {
  const cached = compiledPatterns.get(source);
  if (cached) return cached;
  const pattern = compileUncached(source);
  if (compiledPatterns.size >= MAX_CACHED_PATTERNS) compiledPatterns.clear();
  compiledPatterns.set(source, pattern);
  return pattern;
}

function compileUncached(source: string): Pattern {
  if (source.length > MAX_PATTERN_LENGTH) {
    throw new PatternError(
      `must be at most ${MAX_PATTERN_LENGTH} characters (got ${source.length})`,
    );
  }
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
  } catch (error) {
    throw new PatternError(
      `invalid regular expression (RE2 syntax: no lookaround or backreferences): ${(error as Error).message}`,
    );
  }
  if (compiled.programSize() > MAX_PATTERN_PROGRAM) {
    throw new PatternError(
      `is too complex (${compiled.programSize()} RE2 instructions, at most ${MAX_PATTERN_PROGRAM}): use smaller repetition counts`,
    );
  }
  return { test: (text) => compiled.test(text) };
}
