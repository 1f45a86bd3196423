/**
 * The checkout's own data, asked for as soon as this module runs: a chunk of its own that imports nothing, which the
 * page's shell also runs as an async script, so the request overlaps the download and evaluation of the shared chunk
 * (Lit, the elements, the adapter) instead of following them. The adapter takes this answer as its first read of the
 * page (`takeFirstRead`).
 */
const path = `/api/browser/v2/hosted_pages/${location.pathname.split('/').pop() ?? ''}`;
const token = new URLSearchParams(location.hash.slice(1)).get('token');
let first: Promise<Response> | undefined = token
  ? fetch(path, { headers: { Accept: 'application/json', 'X-Paylit-Hosted-Page-Token': token }, credentials: 'omit' })
  : undefined;
// An answer nobody takes (the page was refused, say) must not be reported as an unhandled rejection.
first?.catch(() => undefined);

/**
 * A `fetch` for the adapter: its first GET of this page's data is the request already made (abortable by its
 * signal, so its timeout holds); everything else, and a retry, is a new request.
 */
export function takeFirstRead(url: string, init: RequestInit = {}): Promise<Response> {
  const answer = first;
  if (!answer || (init.method ?? 'GET') !== 'GET' || new URL(url, location.href).pathname !== path) return fetch(url, init);
  first = undefined;
  const signal = init.signal;
  if (!signal) return answer;
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    answer.then(resolve, reject);
  });
}
