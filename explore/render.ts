// Vega-Lite specs to SVG and PNG in Node, with no browser and no network. Output is meant to be
// committed and diffed, so the same spec must always give the same bytes.

import { Resvg } from '@resvg/resvg-js';
import { View, parse, type Loader } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** The font the plots ask for; Debian's fonts-dejavu-core provides it (scripts/setup.sh). */
export const PLOT_FONT_FAMILY = 'DejaVu Sans';

/** Renders a Vega-Lite spec to a standalone SVG document. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  // All data is inline, so any load is a spec bug. Vega only warns when a load fails and draws
  // the plot without that data, so refused loads are collected and turned into an error here:
  // rendering stays offline and reproducible instead of quietly fetching or dropping data.
  const refused: string[] = [];
  const refuse = (uri: string): Promise<never> => {
    refused.push(uri);
    return Promise.reject(new Error(`refusing to load '${uri}'`));
  };
  const loader: Loader = { load: refuse, sanitize: refuse, http: refuse, file: refuse };
  const view = new View(parse(compile(spec).spec), { renderer: 'none', loader });
  try {
    const svg = await view.toSVG();
    if (refused.length > 0) {
      const uris = refused.map((uri) => `'${uri}'`).join(', ');
      throw new Error(`plots render offline from inline data; the spec asks to load ${uris}`);
    }
    return canonicalDefIds(svg);
  } finally {
    view.finalize();
  }
}

/**
 * Vega numbers clip paths and gradients from process-wide counters, so the second plot a process
 * renders says `clip2` where the first said `clip1`. Renumbering in order of first appearance
 * makes the SVG depend on the spec alone; resetting vega's counters instead would race between
 * concurrent renders.
 */
function canonicalDefIds(svg: string): string {
  const renamed = new Map<string, string>();
  // Radial gradients are referenced through a pattern named after them with a `p_` prefix, so
  // the prefix is kept and the name behind it renamed consistently.
  const defId = /(id="|url\(#|href="#)(p_)?((?:clip|gradient_)\d+)(?=[")])/g;
  return svg.replace(defId, (_match, lead: string, pattern: string | undefined, id: string) => {
    let name = renamed.get(id);
    if (name === undefined) {
      name = `${id.replace(/\d+$/, '')}${renamed.size + 1}`;
      renamed.set(id, name);
    }
    return `${lead}${pattern ?? ''}${name}`;
  });
}

/** Rasterises an SVG at twice its size, with DejaVu Sans standing in for generic font names. */
export function svgToPng(svg: string): Uint8Array {
  const resvg = new Resvg(svg, {
    font: { loadSystemFonts: true, defaultFontFamily: PLOT_FONT_FAMILY, sansSerifFamily: PLOT_FONT_FAMILY },
    fitTo: { mode: 'zoom', value: 2 },
    // The plots carry their own white background; this only covers specs that do not.
    background: 'white',
  });
  return resvg.render().asPng();
}

/**
 * The files of one plot, shaped like host/atomic.ts's OutputFile so the caller writes them with
 * the rest of its output in one atomic step.
 */
export async function plotFiles(
  name: string,
  spec: TopLevelSpec,
  options: { readonly png: boolean },
): Promise<{ name: string; contents: string | Uint8Array }[]> {
  if (name === '' || name === '.' || name === '..' || /[/\\]/.test(name)) {
    throw new Error(`plot name '${name}' must be a plain file name`);
  }
  const svg = await renderSvg(spec);
  const files: { name: string; contents: string | Uint8Array }[] = [{ name: `${name}.svg`, contents: svg }];
  if (options.png) files.push({ name: `${name}.png`, contents: svgToPng(svg) });
  return files;
}
