// What the case modules of the regressions list, apart from tb/generators/cases.ts that gathers them.

/** One configuration a regression runs: a registered generator and its validated config. */
export interface RegressionConfig {
  /** Registry name (generators/index.ts). */
  readonly generator: string;
  /** Already validated by the generator's schema: `registry.get(generator).generate(config)`. */
  readonly config: unknown;
  /** Which regression runs it, for messages. */
  readonly origin: string;
}
