// Where the caches go for each way lutforge is installed.

import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheDirFor } from '../../toolchain/cache-dir.js';

const writable = (): boolean => true;
const readOnly = (): boolean => false;

describe('cacheDirFor', () => {
  it('keeps a checkout\'s caches in its .cache folder', () => {
    expect(cacheDirFor('synth', '/src/lutforge', {}, readOnly)).toBe('/src/lutforge/.cache/synth');
  });

  it("puts an installed package's caches beside it in node_modules/.cache", () => {
    expect(cacheDirFor('verilator', '/proj/node_modules/lutforge', {}, writable)).toBe('/proj/node_modules/.cache/lutforge/verilator');
  });

  it('gives a user who cannot write beside a global install a cache of their own', () => {
    const global = '/usr/lib/node_modules/lutforge';
    expect(cacheDirFor('verilator', global, { XDG_CACHE_HOME: '/home/ann/.xdg' }, readOnly)).toBe('/home/ann/.xdg/lutforge/verilator');
    expect(cacheDirFor('verilator', global, {}, readOnly)).toBe(path.join(os.homedir(), '.cache', 'lutforge', 'verilator'));
  });

  it('lets LUTFORGE_CACHE_DIR override every other place', () => {
    expect(cacheDirFor('icarus', '/usr/lib/node_modules/lutforge', { LUTFORGE_CACHE_DIR: '/tmp/c' }, readOnly)).toBe('/tmp/c/icarus');
  });
});
