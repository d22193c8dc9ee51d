import { it } from 'vitest';
import { defineModule, UInt, SInt, Bool, Vec, Bundle, lit, mux, select, connect, HdlError, type ModuleBuilder, type Signal } from '../../dsl/index.js';

function show(title: string, f: () => unknown): void {
  try { f(); console.log(`${title}: NO THROW`); }
  catch (e) {
    if (e instanceof HdlError) console.log(`${title}: ${e.name} loc=${e.loc?.file}:${e.loc?.line}\n   ${e.message}`);
    else console.log(`${title}: NON-HDL ${String(e)}`);
  }
}
function here(): number { const s = new Error().stack!.split('\n')[2]!; return Number(/:(\d+):\d+\)?$/.exec(s)![1]); }

it('scratch', () => {
  console.log('here', here());
  show('w9to8', () => defineModule('t', (m) => { const a = m.input('a', UInt(9)); const o = m.output('o', UInt(8));
    o.assign(a); return { a, o }; }));
  show('when2', () => defineModule('t', (m) => { const a = m.input('sel', UInt(2)); const o = m.output('o', UInt(8)); o.assign(0);
    m.when(a, () => o.assign(1)); return { a, o }; }));
  show('addsign', () => defineModule('t', (m) => { const a = m.input('a', SInt(8)); const b = m.input('b', UInt(8));
    a.add(b); return { a, b }; }));
  show('switch signed val', () => defineModule('t', (m) => { const a = m.input('a', UInt(2)); const o = m.output('o', UInt(8)); o.assign(0);
    m.switch(a).is(lit(1, SInt(2)), () => o.assign(1)); return { a, o }; }));
  show('switch narrow neg', () => defineModule('t', (m) => { const a = m.input('a', SInt(4)); const o = m.output('o', UInt(8)); o.assign(0);
    m.switch(a).is(lit(-1, SInt(2)), () => o.assign(1)).is(3, () => o.assign(2)); return { a, o }; }));
  let leaked: Signal | undefined;
  defineModule('child', (m) => { const a = m.input('a', UInt(8)); const w = m.wire('w', UInt(8)); w.assign(a); leaked = w; return { a }; });
  show('assign child internal', () => defineModule('p', (m) => { const x = m.input('x', UInt(8)); leaked!.assign(x); return { x }; }));
  show('read child internal', () => defineModule('p', (m) => { const o = m.output('o', UInt(8)); o.assign(leaked!); return { o }; }));
  show('io expr', () => defineModule('p', (m) => { const a = m.input('a', UInt(8)); return { a, x: a.add(1) }; }));
  show('io expr with mem', () => defineModule('p', (m) => { const a = m.input('a', UInt(1)); const mem = m.memory('mem', { shape: UInt(8), depth: 2 }); mem.write(a, 1); return { a, x: a.add(1) }; }));
  show('bundle field', () => defineModule('p', (m) => { const w = m.wire('x', Bundle({ 'a-b': Bool })); return {}; }));
  show('extend huge', () => defineModule('p', (m) => { const a = m.input('a', UInt(8)); const e = a.extend(1e6); console.log(e.width); return { a }; }));
  let mm: ModuleBuilder | undefined;
  defineModule('fin', (m) => { mm = m; m.reg('r', UInt(1)).assign(0); return {}; });
  show('memory after finish', () => mm!.memory('late', { shape: UInt(8), depth: 4 }));
  show('wire after finish', () => mm!.wire('late', UInt(8)));
  show('connect vec', () => defineModule('p', (m) => { const a = m.input('a', Vec(3, UInt(8))); const o = m.output('o', Vec(2, UInt(8))); connect(o, a); return { a, o }; }));
  show('loop', () => defineModule('p', (m) => { const a = m.wire('a', UInt(8)); const b = m.wire('b', UInt(8)); a.assign(b); b.assign(a); return {}; }));
  show('sel', () => select(lit(0, UInt(1)), [lit(1, UInt(2)), 2, 3]));
  show('shl13', () => defineModule('p', (m) => { const a = m.input('a', UInt(8)); const b = m.input('b', UInt(13)); a.shl(b); return { a, b }; }));
});
