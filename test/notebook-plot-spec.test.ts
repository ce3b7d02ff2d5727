import { describe, expect, it } from 'vitest';
import * as Plot from '@observablehq/plot';
import { PlotSpecWithRefs } from '../src/notebook/cell-schemas.ts';
import { renderPlot } from '../src/notebook/cells/plot.ts';
import { PlotSpecError, resolvePlotSpec, toPlotOptions, type PlotData } from '../src/notebook/plot-spec.ts';
import { headlessDocument } from '../src/node/headless-dom.ts';

const data = new Map<string, PlotData>([
  [
    'alerts',
    {
      columns: ['severity', 'confidence', 'typology', 'day', 'n'],
      rows: [
        { severity: 'high', confidence: 0.8, typology: 'PEEL_CHAIN', day: new Date('2026-01-05'), n: 3 },
        { severity: 'critical', confidence: 0.95, typology: 'STRUCTURING', day: new Date('2026-01-06'), n: 5 },
        { severity: 'medium', confidence: 0.62, typology: 'PEEL_CHAIN', day: new Date('2026-01-06'), n: 2 },
      ],
    },
  ],
]);

const spec = (yaml: object, params: Record<string, unknown> = {}) =>
  resolvePlotSpec(PlotSpecWithRefs.parse(yaml), new Map(Object.entries(params)) as never);

const markNames = (options: Plot.PlotOptions) => (options.marks as Plot.Mark[]).map((m) => m.constructor.name);

describe('plot spec → Plot options', () => {
  it('maps marks, channels, scales and plot options, nothing more', () => {
    const options = toPlotOptions(
      spec({
        data: 'alerts',
        title: 'By severity',
        width: 500,
        marks: [
          { type: 'barY', x: 'severity', y: 'n', fill: 'typology' },
          { type: 'ruleY', values: [0] },
        ],
        x: { label: 'Severity', domain: ['medium', 'high', 'critical'] },
        color: { legend: true, scheme: 'tableau10' },
      }),
      data,
    );
    expect(markNames(options)).toEqual(['BarY', 'RuleY']);
    expect(options).toMatchObject({
      title: 'By severity',
      width: 500,
      x: { label: 'Severity', domain: ['medium', 'high', 'critical'] },
      color: { legend: true, scheme: 'tableau10' },
    });
  });

  it('builds bin, group and stack transforms with their options', () => {
    const binned = toPlotOptions(
      spec({
        data: 'alerts',
        marks: [
          { type: 'rectY', x: 'confidence', fill: 'severity', transform: { binX: { y: 'count' }, thresholds: 20 } },
        ],
      }),
      data,
    );
    const grouped = toPlotOptions(
      spec({ data: 'alerts', marks: [{ type: 'barX', y: 'typology', transform: { groupY: { x: 'count' } } }] }),
      data,
    );
    const stacked = toPlotOptions(
      spec({
        data: 'alerts',
        marks: [{ type: 'barY', x: 'day', y: 'n', fill: 'severity', transform: { stackY: true, offset: 'normalize' } }],
      }),
      data,
    );
    const figure = (o: Plot.PlotOptions) => renderPlot({ options: o }, headlessDocument()).figure.outerHTML;
    expect(figure(binned)).toContain('<rect');
    expect(figure(grouped)).toContain('PEEL_CHAIN');
    // A normalised stack puts shares on y: its axis ends at 1.0.
    expect(figure(stacked)).toContain('1.0');
  });

  it('fills $params in: a number is a constant, a string picks a column', () => {
    const resolved = spec(
      {
        data: 'alerts',
        marks: [
          { type: 'dot', x: '$column', y: 'n' },
          { type: 'ruleX', x: '$min_confidence', stroke: 'red' },
        ],
      },
      { column: 'confidence', min_confidence: 0.75 },
    );
    expect(resolved.marks).toEqual([
      { type: 'dot', x: 'confidence', y: 'n' },
      { type: 'ruleX', x: 0.75, stroke: 'red' },
    ]);
    const options = toPlotOptions(resolved, data);
    // The constant rule is drawn once, not once per row of the plot's data.
    const rule = (options.marks as Plot.Mark[])[1] as unknown as { data: unknown[] };
    expect(rule.data).toEqual([{}]);
  });

  it('checks the spec again once params are filled in', () => {
    expect(() =>
      spec(
        {
          data: 'alerts',
          marks: [{ type: 'rectY', x: 'confidence', transform: { binX: { y: 'count' }, thresholds: '$bins' } }],
        },
        { bins: 'many' },
      ),
    ).toThrow(/transform\.thresholds: expected .* got "many" \(after parameters were filled in\)/);
    expect(() => spec({ marks: [{ type: 'ruleX', x: '$nope' }] })).toThrow('unknown parameter $nope');
  });

  it('names the missing column, the mark and what exists', () => {
    expect(() =>
      toPlotOptions(spec({ data: 'alerts', marks: [{ type: 'dot', x: 'confidence', y: 'count' }] }), data),
    ).toThrow(
      new PlotSpecError(
        "mark 1 (dot): y: no column 'count' in alerts: expected one of severity, confidence, typology, day, n",
      ),
    );
    expect(() => toPlotOptions(spec({ marks: [{ type: 'dot', x: 'confidence' }] }), data)).toThrow(
      /mark 1 \(dot\): expected data/,
    );
    expect(() =>
      toPlotOptions(spec({ data: 'alerts', facet: { x: 'nope' }, marks: [{ type: 'frame' }] }), data),
    ).toThrow("facet.x: no column 'nope'");
  });

  it('accepts only whitelisted marks, transforms, reducers and keys', () => {
    const issues = (yaml: object) =>
      PlotSpecWithRefs.safeParse(yaml).error?.issues.map((i) => `${i.path.join('.')}: ${i.code}`);
    expect(issues({ marks: [{ type: 'image', src: 'x' }] })).toEqual([
      'marks.0.type: invalid_value',
      'marks.0: unrecognized_keys',
    ]);
    expect(issues({ marks: [{ type: 'dot', transform: { binX: { y: 'eval' } } }] })).toEqual([
      'marks.0.transform.binX.y: invalid_value',
    ]);
    expect(issues({ marks: [{ type: 'dot', transform: { binX: { y: 'count' }, groupX: { y: 'count' } } }] })).toEqual([
      'marks.0.transform: custom',
    ]);
    expect(issues({ marks: [{ type: 'dot', render: 'alert(1)' }] })).toEqual(['marks.0: unrecognized_keys']);
    expect(issues({ marks: [{ type: 'dot' }], style: 'x' })).toEqual([': unrecognized_keys']);
  });
});

describe('rendering headless', () => {
  it('draws SVG with linkedom, including a continuous colour legend through the canvas stand-in', () => {
    const options = toPlotOptions(
      spec({
        data: 'alerts',
        marks: [{ type: 'dot', x: 'confidence', y: 'n', fill: 'confidence' }],
        color: { legend: true, scheme: 'viridis' },
      }),
      data,
    );
    const { figure, warnings } = renderPlot({ options }, headlessDocument());
    expect(warnings).toEqual([]);
    const html = figure.outerHTML;
    expect(html).toContain('<circle');
    expect(html).toMatch(/<image[^>]+href="data:image\/svg\+xml;base64,/);
  });

  it('escapes data text in titles and labels', () => {
    const hostile = new Map<string, PlotData>([
      ['t', { columns: ['label', 'n'], rows: [{ label: '</title><script>alert(1)</script>', n: 1 }] }],
    ]);
    const options = toPlotOptions(
      spec({ data: 't', marks: [{ type: 'barY', x: 'label', y: 'n', title: 'label' }] }),
      hostile,
    );
    const html = renderPlot({ options }, headlessDocument()).figure.outerHTML;
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
  });

  it('collects Plot warnings instead of printing them', () => {
    const options = toPlotOptions(spec({ data: 'alerts', marks: [{ type: 'barY', x: 'day', y: 'n' }] }), data);
    const { warnings } = renderPlot({ options }, headlessDocument());
    expect(warnings.join(' ')).toMatch(/dates/);
  });
});

describe('x facets side by side', () => {
  it("keep each facet's edge tick labels apart from its neighbour's (no '100%0%')", () => {
    const rows = ['truth', 'explicit', 'address', 'proxy', 'evolution', 'other'].flatMap((source) =>
      [0, 0.5, 1].map((x) => ({ source, x, share: 0.2 })),
    );
    const faceted = new Map<string, PlotData>([['scores', { columns: ['source', 'x', 'share'], rows }]]);
    const options = toPlotOptions(
      spec({
        data: 'scores',
        width: 560,
        x: { tickFormat: '.0%', ticks: 4 },
        marks: [{ type: 'dot', x: 'x', y: 'share', fx: 'source' }],
      }),
      faceted,
    );
    const svg = Plot.plot({ ...options, document: headlessDocument() }) as unknown as Element;
    // Each facet's x-axis tick labels, left to right, as their anchors' x positions.
    const ticks = [...svg.querySelectorAll('[aria-label="x-axis tick label"] text')].map((t) => {
      const own = /translate\(([-\d.]+)/.exec(t.getAttribute('transform') ?? '');
      const facet = /translate\(([-\d.]+)/.exec(t.closest('g[transform]')?.getAttribute('transform') ?? '');
      return { text: t.textContent, x: Number(own?.[1] ?? 0) + Number(facet?.[1] ?? 0) };
    });
    const firsts = ticks.filter((t) => t.text === '0%').map((t) => t.x);
    const lasts = ticks.filter((t) => t.text === '100%').map((t) => t.x);
    expect(firsts).toHaveLength(6);
    // "100%" and "0%" at 10 px are about 26 and 14 px wide: their anchors need over 20 px between them.
    for (let i = 0; i + 1 < firsts.length; i++) expect(firsts[i + 1]! - lasts[i]!).toBeGreaterThan(24);
    // Within a facet too: the spec's 4 ticks would be 0%, 20%, ... 100% in 60 px.
    const xs = ticks.map((t) => t.x).sort((a, b) => a - b);
    for (let i = 0; i + 1 < xs.length; i++) expect(xs[i + 1]! - xs[i]!).toBeGreaterThan(24);
  });
});
