// A bounded excerpt of any value, for messages: its JSON text up to `max` characters, then '…'. Built
// with an explicit stack, reading only own enumerable keys and never calling what the value defines
// (`toString`, `toJSON`), so a hostile body (100 000 levels deep, 90 000 fields wide, keys named like
// Object's methods) is quoted at the cost of `max`, never able to throw or overflow the stack.
// `describeBody` words an error body with it: what every DiditApiError message quotes.

type Frame = { value: Record<string, unknown> | unknown[]; keys: string[] | undefined; i: number };

/** `text` cut to `max` characters + '…' (never inside a surrogate pair); as it is when short enough. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text[max - 1] ?? '') ? max - 1 : max;
  return `${text.slice(0, end)}…`;
}

// A leaf as JSON writes it; what JSON cannot hold (undefined, a function, a symbol, a bigint) by its type.
function leaf(value: unknown, max: number): string {
  if (typeof value === 'string') return JSON.stringify(value.length > max ? value.slice(0, max + 1) : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return JSON.stringify(value);
  return `"[${typeof value}]"`;
}

/** The JSON text of `value`, at most `max` characters (then '…'); never throws. */
export function excerpt(value: unknown, max = 200): string {
  let out = '';
  const stack: Frame[] = [];
  let next: { value: unknown } | undefined = { value };
  try {
    while (out.length <= max) {
      if (next) {
        const v = next.value;
        next = undefined;
        if (v === null || typeof v !== 'object') out += leaf(v, max);
        else if (Array.isArray(v)) {
          out += '[';
          stack.push({ value: v, keys: undefined, i: 0 });
        } else {
          out += '{';
          stack.push({ value: v as Record<string, unknown>, keys: Object.keys(v), i: 0 });
        }
        continue;
      }
      const top = stack.at(-1);
      if (!top) break;
      const { keys } = top;
      if (top.i >= (keys ?? (top.value as unknown[])).length) {
        out += keys ? '}' : ']';
        stack.pop();
        continue;
      }
      if (top.i > 0) out += ',';
      const key = keys ? keys[top.i]! : top.i;
      top.i++;
      if (typeof key === 'string') out += `${leaf(key, max)}:`;
      next = { value: (top.value as Record<string | number, unknown>)[key] };
    }
  } catch {
    // A getter or a proxy that throws: what was read so far.
    return `${cut(out, max)}${out.length > max ? '' : '…'}`;
  }
  return cut(out, max);
}

// A message quotes this much of what a response said: enough to act on, never the megabyte it may be.
const MAX_WORDS = 400;

// A value of an error body in words: a string as it is, a list of them joined (DRF's `[messages]`),
// anything else as a bounded JSON excerpt.
const wordsOf = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : Array.isArray(value)
      ? value
          .slice(0, 20)
          .map((item) => (typeof item === 'string' ? item : excerpt(item)))
          .join(', ')
      : excerpt(value);

/** What an error body says, bounded: DRF's `{detail}` or `{field: [messages]}`, else a JSON excerpt. */
export function describeBody(body: unknown): string {
  if (body === undefined || body === '') return 'empty body';
  if (typeof body === 'string') return 'not JSON';
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return excerpt(body, MAX_WORDS);
  try {
    const parts: string[] = [];
    let length = 0;
    for (const key of Object.keys(body)) {
      if (length > MAX_WORDS) break;
      const words = cut(wordsOf((body as Record<string, unknown>)[key]), MAX_WORDS);
      const part = key === 'detail' ? words : `${cut(key, 60)}: ${words}`;
      parts.push(part);
      length += part.length + 2;
    }
    return cut(parts.join('; '), MAX_WORDS) || excerpt(body);
  } catch {
    // Not JSON but a value with throwing getters (generate is public): what excerpt can read of it.
    return excerpt(body, MAX_WORDS);
  }
}
