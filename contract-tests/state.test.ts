// The state file: ids only, whatever is in it; anything unusable is a reason, never a crash.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { beginRun, keepFresh, keepLedger, ledgerLine, ledgerOfRun, readState } from './state.js';

const ID = '0b7e2f7c-5f5e-4a55-9d37-3c2b8f6e1a11';
const pathIn = () => join(mkdtempSync(join(tmpdir(), 'didit-share-state-')), 'nested', 'drift-state.json');

describe('the state file', () => {
  it('is missing on a first run, said so', () => {
    const path = pathIn();
    expect(readState(path)).toEqual({
      state: { version: 1, fresh: {} },
      problem: `no state file at ${path} (a first run, or its cache was lost)`,
    });
  });

  it.each([
    ['not JSON', 'nope {', /unreadable/],
    ['JSON of another shape', '[1, 2]', /not a drift state/],
    ['another version', '{"version": 2, "fresh": {}}', /not a drift state/],
    ['too large', `{"version": 1, "fresh": {}, "x": "${'a'.repeat(70_000)}"}`, /too large/],
  ])('is unusable when %s, saying why', (_what, text, why) => {
    const path = join(mkdtempSync(join(tmpdir(), 'didit-share-state-')), 'drift-state.json');
    writeFileSync(path, text);
    expect(readState(path).problem).toMatch(why);
    expect(readState(path).state.fresh).toEqual({});
  });

  it('reads ids only: anything but a UUID is dropped', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'didit-share-state-')), 'drift-state.json');
    writeFileSync(path, JSON.stringify({ version: 1, fresh: { user: 'sk_live_secret', business: ID, other: ID } }));
    expect(readState(path).state.fresh).toEqual({ business: ID });
  });

  it('keeps each kind, and the ledger until the next run begins', () => {
    const path = pathIn();
    keepFresh(path, 'user', ID);
    keepFresh(path, 'business', ID.replace('0b', '1c'));
    const ledger = {
      used: [{ kind: 'user' as const, sessionId: ID, from: 'state' as const }],
      created: [],
      imports: 2,
    };
    keepLedger(path, ledger);
    expect(readState(path).state).toEqual({
      version: 1,
      fresh: { user: ID, business: ID.replace('0b', '1c') },
      lastRun: ledger,
    });
    expect(ledgerLine(ledgerOfRun(path))).toBe(`used user ${ID} (from the state file); created none; 2 imports made`);
    beginRun(path);
    expect(ledgerOfRun(path)).toEqual({ used: [], created: [], imports: 0 });
    expect(readState(path).state.fresh.user).toBe(ID);
  });

  it('refuses to write anything but an id', () => {
    expect(() => keepFresh(pathIn(), 'user', 'eyJhbGciOiJIUzI1NiJ9.e30.sig')).toThrow(/ids only/);
  });
});
