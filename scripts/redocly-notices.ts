// Redocly CLI 2.x prints a boxed "Node.js 20 support is ending" banner to stderr on every start
// under Node 20: unconditionally (no option, environment variable or config turns it off, as of
// 2.77, whose next releases require Node 22.12). build-docs adds a boxed "now renders docs with
// Redoc 3" notice. This filter drops exactly those boxes (and the blank lines that pad them) from a
// stream, line by line so the order of everything else is kept.
const NOTICE = /Node\.js 20 support is ending|renders docs with Redoc 3/;

export function noticeFilter(write: (text: string) => void) {
  let pending = '';
  let blanks = '';
  let box: string | undefined;
  let dropped = false; // the blank lines right after a dropped box padded it: drop them too
  const line = (text: string) => {
    if (box !== undefined) {
      box += text;
      if (!text.includes('╚')) return;
      dropped = NOTICE.test(box);
      if (!dropped) write(blanks + box);
      box = undefined;
      blanks = '';
    } else if (text.includes('╔')) box = text;
    else if (text.trim() === '') blanks += dropped ? '' : text;
    else {
      write(blanks + text);
      blanks = '';
      dropped = false;
    }
  };
  return {
    push(chunk: string) {
      pending += chunk;
      for (let i = pending.indexOf('\n'); i >= 0; i = pending.indexOf('\n')) {
        line(pending.slice(0, i + 1));
        pending = pending.slice(i + 1);
      }
    },
    end() {
      // An unfinished box is not a notice we know: keep it.
      write(blanks + (box ?? '') + pending);
    },
  };
}
