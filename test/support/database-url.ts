/** The server tests create their databases on; the database name in it is replaced. */
export function testDatabaseBaseUrl(): string {
  return process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

export function testRedisUrl(): string {
  return process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
}

export function databaseUrl(name: string): string {
  const url = new URL(testDatabaseBaseUrl());
  url.pathname = `/${name}`;
  return url.toString();
}
