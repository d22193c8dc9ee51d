// TEMPORARY stand-ins for fpExp and fpReciprocal until the fpops branch lands (block-spec.md
// section 1): identities, so the kernel's sequencing can be built and tested meanwhile. Deleted
// by the merge of fpops.

import type { Expr, FpFormat, FpOptions, ModuleBuilder } from '../../api/index.js';

export function fpExp(_m: ModuleBuilder, _name: string, a: Expr, _format: FpFormat, _options?: FpOptions): Expr {
  return a;
}

export function fpReciprocal(_m: ModuleBuilder, _name: string, a: Expr, _format: FpFormat, _options?: FpOptions): Expr {
  return a;
}
