// Reading a Yosys log (no Yosys run: fast tier).

import { describe, expect, it } from 'vitest';
import { yosysPeakMemoryMb } from '../../synth/runner.js';

describe('yosysPeakMemoryMb', () => {
  it("reads the peak from a native Yosys' last line", () => {
    expect(yosysPeakMemoryMb('yosys> stat\n\nEnd of script. Logfile hash: ef6792b505, CPU: user 3.12s system 0.08s, MEM: 135.21 MB peak\n')).toBe(135.21);
  });

  it('is undefined for the embedded build, whose last line has no MEM', () => {
    expect(yosysPeakMemoryMb('End of script. Logfile hash: 8c55634b93, CPU: user 33.67s system 0.00s\n')).toBeUndefined();
  });
});
