// The page's only way to the service: fetch with JSON, the optional API token, and problem
// details (RFC 9457) turned into ApiError whose message is the problem's detail.

/** A refusal by the API, carrying the problem details. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || 'HTTP ' + status);
    this.status = status;
    this.problem = problem;
  }
}

let token = sessionStorage.getItem('cvmsim.token') || '';

/** Sets the bearer token sent with every request (empty: none). */
export function setToken(value) {
  token = value.trim();
  if (token) {
    sessionStorage.setItem('cvmsim.token', token);
  } else {
    sessionStorage.removeItem('cvmsim.token');
  }
}

/** Returns the bearer token. */
export function getToken() {
  return token;
}

/**
 * Calls the API and returns the parsed JSON body (null for 204), or the text of another media type.
 * Throws ApiError for a problem answer, and an ApiError with status 0 when the service cannot be
 * reached. Options: accept (default application/json), signal (an AbortSignal: an aborted call
 * rejects with the DOMException named AbortError).
 */
export async function call(method, path, body, options = {}) {
  const headers = { ...(options.headers || {}), Accept: options.accept || 'application/json' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  if (token) {
    headers.Authorization = 'Bearer ' + token;
  }
  let res;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      signal: options.signal,
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, { title: 'Network error', detail: 'the service cannot be reached (' + e.message + ')' });
  }
  if (res.status === 204) {
    return null;
  }
  const type = res.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await res.json() : await res.text();
  if (!res.ok) {
    const problem = typeof data === 'object' && data !== null
      ? data
      : { title: res.statusText, detail: 'HTTP ' + res.status + ' ' + res.statusText };
    throw new ApiError(res.status, problem);
  }
  return data;
}

export const get = (path, options) => call('GET', path, undefined, options);
export const post = (path, body, options) => call('POST', path, body === undefined ? {} : body, options);
export const del = (path, options) => call('DELETE', path, undefined, options);

/** Returns the URL path of a VM's resource, e.g. vmPath('t1', 'meminfo'). */
export function vmPath(id, rest) {
  return '/api/v1/vms/' + encodeURIComponent(id) + (rest ? '/' + rest : '');
}
