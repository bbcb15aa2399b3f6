// Where completions may be sent. Code sent to a host other than this machine leaves the machine,
// so such a host needs the user's confirmation once.

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1)$/i;
/** A URL that names its port (user info and IPv6 brackets skipped: "http://[::1]" names none). */
const EXPLICIT_PORT = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/?#@]*@)?(?:\[[^\]]*\]|[^/?#:@]*):\d+(?:[/?#]|$)/i;

/** The host URL normalised the way ollama-js reads it (scheme, port 11434 when none is given). */
export function normaliseHost(host: string): string {
  let value = host.trim();
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) value = `http://${value}`;
  const url = new URL(value);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`unsupported scheme ${url.protocol}`);
  // ollama-js uses port 80/443 for a URL with a scheme and no port; Ollama listens on 11434.
  if (!url.port && !EXPLICIT_PORT.test(value)) url.port = '11434';
  return url.origin;
}

export function isLoopbackHost(host: string): boolean {
  try {
    return LOOPBACK.test(new URL(normaliseHost(host)).hostname);
  } catch {
    return false;
  }
}
