// Every generator configuration the regressions exercise (the simulated ones, and the examples'
// lint list), gathered from the case modules beside them, so tests that ask something of all of
// them (the three-tool lint of tb/cleanliness.test.ts) see exactly the configurations the
// regressions run, and a case added to a regression is linted without anyone remembering to.

import { dotProductRegressionConfigs } from './dot-product/cases.js';
import { exampleRegressionConfigs } from './examples-cases.js';
import { baselineRegressionConfigs } from './baseline/cases.js';
import { lutLlmRegressionConfigs } from './lut-llm/cases.js';
import { tensorCoreRegressionConfigs } from './lut-tensor-core/cases.js';
import type { RegressionConfig } from './regression-config.js';

/**
 * The configurations the default regressions run, or with `regress` also those only
 * `make regress` (LUTFORGE_REGRESS=1) runs. Duplicates are kept: callers that care
 * de-duplicate by the emitted text.
 */
export function regressionConfigs(regress: boolean): RegressionConfig[] {
  return [
    ...tensorCoreRegressionConfigs(regress),
    ...baselineRegressionConfigs(regress),
    ...lutLlmRegressionConfigs(regress),
    ...dotProductRegressionConfigs(),
    ...exampleRegressionConfigs(),
  ];
}
