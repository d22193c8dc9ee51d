import { describe, expect, it } from 'vitest';
import { runYosysScript, yosysCheck } from '../../synth/yosys.js';
import { combinationalLoop, counter, syntaxError, wideAdder } from '../fixtures/designs.js';

function sourcesOf(design: typeof counter): Record<string, string> {
  return Object.fromEntries(design.modules.map((module) => [module.fileName, module.text]));
}

describe('runYosysScript', () => {
  it('returns the log and the files the script wrote', async () => {
    const { log, files } = await runYosysScript(
      sourcesOf(counter),
      'read_verilog increment8.v\nwrite_verilog -noattr out.v',
    );
    expect(log).toContain('yosys> read_verilog increment8.v');
    expect(String(files['out.v'])).toContain('module increment8');
  });

  it('names the failing command and quotes Yosys’s error', async () => {
    await expect(
      runYosysScript(sourcesOf(counter), 'read_verilog counter.v\nhierarchy -check -top nope'),
    ).rejects.toThrow(/Yosys failed in `hierarchy -check -top nope` \(exit 1\)[\s\S]*ERROR: Module `nope' not found/);
  });
});

describe('yosysCheck', () => {
  it('passes clean designs', async () => {
    expect(await yosysCheck(counter)).toEqual({ ok: true, messages: '' });
    expect(await yosysCheck(wideAdder)).toEqual({ ok: true, messages: '' });
  });

  it('rejects a combinational loop, listing the cells in it', async () => {
    const result = await yosysCheck(combinationalLoop);
    expect(result.ok).toBe(false);
    expect(result.messages).toContain('Warning: found logic loop in module comb_loop');
    expect(result.messages).toMatch(/cell \$and\$comb_loop\.v:6/);
    expect(result.messages).toContain("ERROR: Found 1 problems in 'check -assert'");
  });

  it('reports a syntax error as a failed check', async () => {
    const result = await yosysCheck(syntaxError);
    expect(result).toEqual({ ok: false, messages: "broken.v:5: ERROR: syntax error, unexpected ';'" });
  });
});
