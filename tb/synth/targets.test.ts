// stat -json parsing, on the text each Yosys build writes (no Yosys run: fast tier).

import { describe, expect, it } from 'vitest';
import { parseStat } from '../../synth/targets.js';

// Yosys 0.23's `tee -o modules.json stat -json` of a design with a submodule, abridged: the
// hierarchy listing lands in the middle of the JSON as bare text.
const YOSYS_0_23_HIERARCHICAL = `
yosys> stat -json
{
   "creator": "Yosys 0.23 (git sha1 7ce5011c24b)",
   "invocation": "stat -json ",
   "modules": {
      "\\\\child": {
         "num_cells":         2,
         "num_cells_by_type": {
            "LUT6": 2
         }
      },
      "\\\\top": {
         "num_cells":         3,
         "num_cells_by_type": {
            "FDRE": 1,
            "child": 2
         }
      }
   },
       child          2
      "design": {
         "num_cells":         5,
         "num_cells_by_type": {
            "FDRE": 1,
            "LUT6": 4
         }
      }
}
`;

describe('parseStat', () => {
  it("reads Yosys 0.23's hierarchical stat, skipping the hierarchy lines it writes into the JSON", () => {
    const modules = parseStat(YOSYS_0_23_HIERARCHICAL);
    expect(Object.keys(modules)).toEqual(['child', 'top']);
    expect(modules.top?.num_cells_by_type).toEqual({ FDRE: 1, child: 2 });
    expect(modules.child?.num_cells_by_type).toEqual({ LUT6: 2 });
  });
});
