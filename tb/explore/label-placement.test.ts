// Label placement: whatever the points, a complete placement leaves every label inside the plot,
// clear of every point and of every other label, and the same input gives the same placement.
// The width table is checked against the font the plots are rasterised with.

import { Resvg } from '@resvg/resvg-js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { placeLabels, pointBoxes, textHeight, textWidth, type Box } from '../../explore/label-placement.js';
import { PLOT_FONT_FAMILY } from '../../explore/render.js';

const overlap = (a: Box, b: Box): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('placeLabels', () => {
  it('keeps labels inside the plot and off points and each other, deterministically', () => {
    const point = fc.record({ x: fc.integer({ min: 0, max: 300 }), y: fc.integer({ min: 0, max: 200 }) });
    const request = fc.record({ x: fc.integer({ min: 0, max: 300 }), y: fc.integer({ min: 0, max: 200 }), text: fc.stringMatching(/^[a-z0-9= ]{1,24}$/) });
    fc.assert(
      fc.property(fc.array(request, { maxLength: 12 }), fc.array(point, { maxLength: 20 }), (requests, others) => {
        const obstacles = pointBoxes([...requests, ...others], 5);
        const options = { width: 300, height: 200, fontSize: 10, obstacles, pointRadius: 5, prefer: 'above' as const };
        const { labels, complete } = placeLabels(requests, options);
        expect(labels.map((label) => label.text)).toEqual(requests.map((r) => r.text));
        expect(placeLabels(requests, options)).toEqual({ labels, complete });
        if (!complete) return;
        const boxes = labels.map((label) => {
          const width = textWidth(label.text, 10);
          const height = textHeight(10);
          return { x: label.x - width / 2, y: label.y - height / 2, width, height };
        });
        boxes.forEach((box, i) => {
          expect(box.x).toBeGreaterThanOrEqual(0);
          expect(box.y).toBeGreaterThanOrEqual(0);
          expect(box.x + box.width).toBeLessThanOrEqual(300);
          expect(box.y + box.height).toBeLessThanOrEqual(200);
          for (const obstacle of obstacles) expect(overlap(box, obstacle)).toBe(false);
          for (const other of boxes.slice(i + 1)) expect(overlap(box, other)).toBe(false);
        });
      }),
      { numRuns: 60 },
    );
  });

  it('puts a lone label right above its point, without a leader', () => {
    const { labels, complete } = placeLabels([{ x: 100, y: 100, text: 'k=4' }], {
      width: 300,
      height: 200,
      fontSize: 10,
      obstacles: pointBoxes([{ x: 100, y: 100 }], 5.5),
      pointRadius: 5.5,
      prefer: 'above',
    });
    expect(complete).toBe(true);
    expect(labels[0]!.x).toBe(100);
    expect(labels[0]!.y).toBeLessThan(100);
    expect(labels[0]!.leaderEnd).toBeUndefined();
  });
});

describe('textWidth', () => {
  it('matches the width DejaVu Sans takes when rasterised', () => {
    for (const text of ['lut act=int8 k=4', 'mac act=fp16 k=6 kind=mac wbits=2', 'M2N64K4 (group 1) #3']) {
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="2000" height="40"><text x="5" y="30" font-family="${PLOT_FONT_FAMILY}" font-size="20">${text}</text></svg>`;
      const measured = new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: PLOT_FONT_FAMILY } }).getBBox()!.width;
      // The ink box is a little narrower than the advance widths the table holds.
      expect(textWidth(text, 20)).toBeGreaterThanOrEqual(measured - 1);
      expect(textWidth(text, 20)).toBeLessThan(measured * 1.06 + 2);
    }
  });
});
