import { ConfigError } from '@quorum/config';

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ECONNRESET',
  'EAI_AGAIN',
]);

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

function codeOf(error: unknown): string | undefined {
  const e = error as { code?: string; errors?: { code?: string }[] };
  return e?.code ?? e?.errors?.[0]?.code;
}

/** One clear line for what stopped the process from starting, instead of a stack trace. */
export function describeStartupError(
  error: unknown,
  urls: { databaseUrl?: string; redisUrl?: string },
  stage: 'postgres' | 'redis' | 'other',
): string {
  if (error instanceof ConfigError) return error.message;
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  if (
    stage === 'postgres' &&
    (CONNECTION_CODES.has(code ?? '') || /connect|timeout/i.test(message))
  ) {
    return `Cannot reach PostgreSQL at ${redact(urls.databaseUrl ?? '')} (${code ?? message}). Start it with \`docker compose up -d postgres redis\`, or set DATABASE_URL.`;
  }
  if (stage === 'redis') {
    return `Cannot reach Redis at ${redact(urls.redisUrl ?? '')} (${code ?? message}). Start it with \`docker compose up -d postgres redis\`, or set REDIS_URL.`;
  }
  if (stage === 'postgres')
    return `PostgreSQL at ${redact(urls.databaseUrl ?? '')} refused to start Quorum: ${message}`;
  return `Quorum failed to start: ${message}`;
}

export function exitWith(line: string): never {
  process.stderr.write(`${line}\n`);
  process.exit(1);
}
