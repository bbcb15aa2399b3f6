// The one runtime check of messages from a webview. A webview is untrusted (the Explain panel
// renders model output; a page that got script to run could post anything), so a message is
// accepted only in one of the exact shapes given, and what comes back is a fresh object, never the
// input: both panels' protocols (protocol.ts, settingsProtocol.ts) go through here.

/** Whether a field's value is acceptable. */
export type Check = (value: unknown) => boolean;

/** For each message type, the exact other keys and their checks. */
export type MessageShapes<M extends { type: string }> = Record<M['type'], Record<string, Check>>;

function isPlainObject(value: unknown): value is object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** `message` as one of `shapes`, or undefined when it is anything else. */
export function parseMessage<M extends { type: string }>(message: unknown, shapes: MessageShapes<M>): M | undefined {
  if (!isPlainObject(message)) return undefined;
  // Own data properties only: no getters, no symbols, no inherited or "__proto__" keys slip by.
  const keys = Reflect.ownKeys(message);
  const values = new Map<string, unknown>();
  for (const key of keys) {
    if (typeof key !== 'string') return undefined;
    const descriptor = Object.getOwnPropertyDescriptor(message, key);
    if (!descriptor || !('value' in descriptor)) return undefined;
    values.set(key, descriptor.value);
  }
  const type = values.get('type');
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(shapes, type)) return undefined;
  const shape: Record<string, Check> = shapes[type as M['type']];
  const expected = Object.keys(shape);
  if (keys.length !== expected.length + 1) return undefined;
  const result: Record<string, unknown> = { type };
  for (const key of expected) {
    if (!values.has(key) || !shape[key](values.get(key))) return undefined;
    const value = values.get(key);
    // A checked array (a list of strings) is copied too, so later changes to the input cannot reach it.
    result[key] = Array.isArray(value) ? [...(value as unknown[])] : value;
  }
  return result as M;
}
