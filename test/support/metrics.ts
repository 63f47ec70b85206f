/**
 * Reads a sample from a Prometheus text exposition: the sum over the series of `name`
 * whose labels include every given label, or undefined when no series matches.
 */
export function metricValue(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  let total: number | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = new Map(
      [...(match[2] ?? '').matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)].map((m) => [
        m[1],
        m[2],
      ]),
    );
    if (Object.entries(labels).every(([k, v]) => present.get(k) === v))
      total = (total ?? 0) + Number(match[3]);
  }
  return total;
}

/** GETs a /metrics page; the API's wants the admin token as `bearer`, the worker's nothing. */
export async function scrape(url: string, bearer?: string): Promise<string> {
  const response = await fetch(
    url,
    bearer ? { headers: { authorization: `Bearer ${bearer}` } } : {},
  );
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}`);
  return response.text();
}
